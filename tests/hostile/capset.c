/* capset — ask for every capability back (effective, permitted,
 * inheritable) with the raw capset(2), and then for CAP_SYS_ADMIN's mount.
 * Expected: Runtime.SandboxViolation naming capset, or, where the filter
 * admits capset, {"capset":"EPERM"}: the bounding set is empty and the
 * process has no permitted capabilities to raise. */
#include "hostile.h"

#include <linux/capability.h>
#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	long rc;

	(void)event;
	(void)len;
	memset(d, 0xff, sizeof d);
	rc = syscall(SYS_capset, &h, d);
	return hj_return(ctx, "{\"capset\":\"%s\"}", rc ? hj_errname(errno) : "0");
}
