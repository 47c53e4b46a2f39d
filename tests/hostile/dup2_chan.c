/* dup2_chan — replace the runtime's channel (descriptor 1000) with
 * /dev/null, through dup2 or ({"dup3":1}) dup3.
 * Expected: Runtime.SandboxViolation naming dup2 (dup3). */
#include "hostile.h"

#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	int fd = open("/dev/null", O_WRONLY);
	long rc;

	(void)len;
	if (hj_num(event, "dup3", 0))
		rc = syscall(SYS_dup3, (long)fd, 1000L, 0L);
	else
		rc = syscall(SYS_dup2, (long)fd, 1000L);
	return hj_return(ctx, "{\"dup\":%ld,\"errno\":\"%s\"}", rc, hj_errname(errno));
}
