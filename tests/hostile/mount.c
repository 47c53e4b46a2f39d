/* mount — mount a tmpfs over /var/task (to swap the code).
 * Expected: Runtime.SandboxViolation naming mount. */
#include "hostile.h"

#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	long rc;

	(void)event;
	(void)len;
	rc = syscall(SYS_mount, "evil", "/var/task", "tmpfs", 0L, NULL);
	return hj_return(ctx, "{\"mount\":%ld,\"errno\":\"%s\"}", rc, hj_errname(errno));
}
