/* setuid0 — become root again: setuid(0).
 * Expected: Runtime.SandboxViolation naming setuid. */
#include "hostile.h"

#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	long rc;

	(void)event;
	(void)len;
	rc = syscall(SYS_setuid, 0L);
	return hj_return(ctx, "{\"setuid\":%ld,\"uid\":%d,\"errno\":\"%s\"}", rc, (int)getuid(), hj_errname(errno));
}
