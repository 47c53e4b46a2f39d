/* close_chan — close the runtime's channel, descriptor 1000.
 * Expected: Runtime.SandboxViolation naming close. */
#include "hostile.h"

#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	long rc;

	(void)event;
	(void)len;
	rc = syscall(SYS_close, 1000L);
	return hj_return(ctx, "{\"close\":%ld,\"errno\":\"%s\"}", rc, hj_errname(errno));
}
