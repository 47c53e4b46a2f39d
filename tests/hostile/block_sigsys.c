/* block_sigsys — block SIGSYS (the runtime's violation reporter), then
 * call execve, hoping the trap is lost and the call goes on.
 * Expected: Runtime.SandboxViolation: the kernel forces a blocked SIGSYS
 * through (the process dies of it), so the call never runs. */
#include "hostile.h"

#include <signal.h>
#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	sigset_t s;
	char *const argv[] = { "/var/task/function.so", NULL };
	long rc;

	(void)event;
	(void)len;
	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	sigprocmask(SIG_BLOCK, &s, NULL);
	rc = syscall(SYS_execve, argv[0], argv, argv + 1);
	return hj_return(ctx, "{\"execve\":%ld,\"errno\":\"%s\"}", rc, hj_errname(errno));
}
