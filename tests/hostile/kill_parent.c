/* kill_parent — kill(getppid(), SIGKILL). The sandbox is pid 1 of its own
 * PID namespace, so getppid() is 0 and this is kill(0, SIGKILL): a signal
 * to the caller's whole process group.
 * Expected: nothing outside the sandbox dies — the tutti process, its
 * zygote, and above all other sandboxes that may share the process group
 * (the test runs a sleep.so invocation alongside and checks it succeeds). */
#include "hostile.h"

#include <signal.h>
#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	pid_t ppid = getppid();
	long rc;

	(void)event;
	(void)len;
	rc = syscall(SYS_kill, (long)ppid, SIGKILL);
	return hj_return(ctx, "{\"ppid\":%d,\"kill\":%ld,\"errno\":\"%s\"}", (int)ppid, rc,
			 rc ? hj_errname(errno) : "0");
}
