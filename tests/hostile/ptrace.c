/* ptrace — PTRACE_TRACEME, then PTRACE_ATTACH to a pid from the payload.
 * Expected: Runtime.SandboxViolation naming ptrace. */
#include "hostile.h"

#include <sys/ptrace.h>
#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	long rc;

	(void)len;
	rc = syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
	if (rc == 0)
		rc = syscall(SYS_ptrace, PTRACE_ATTACH, (long)hj_num(event, "pid", 1), 0, 0);
	return hj_return(ctx, "{\"ptrace\":%ld,\"errno\":\"%s\"}", rc, hj_errname(errno));
}
