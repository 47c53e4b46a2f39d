/* exec_shell — replace the environment with a shell (execve /bin/sh).
 * Expected: Runtime.SandboxViolation naming execve (there is no /bin/sh in
 * the sandbox either, but the call must trap before the kernel looks). */
#include "hostile.h"

#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char *const argv[] = { "/bin/sh", "-c", "id", NULL };
	char *const envp[] = { NULL };
	long rc;

	(void)event;
	(void)len;
	rc = syscall(SYS_execve, "/bin/sh", argv, envp);
	return hj_return(ctx, "{\"execve\":%ld,\"errno\":\"%s\"}", rc, hj_errname(errno));
}
