/* kill_pid — kill({"pid":N}, {"sig":S}, default SIGKILL) with the raw
 * syscall. N is a host pid (another sandbox), 1 (the sandbox's own init:
 * itself), or -1 (everything the uid may signal).
 * Expected: a host pid or -1 is Runtime.SandboxViolation naming kill; pid 1
 * reaches only the sandbox itself. */
#include "hostile.h"

#include <signal.h>
#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	long pid = (long)hj_num(event, "pid", 1), sig = (long)hj_num(event, "sig", SIGKILL), rc;

	(void)len;
	rc = syscall(SYS_kill, pid, sig);
	return hj_return(ctx, "{\"pid\":%ld,\"kill\":%ld,\"errno\":\"%s\"}", pid, rc, rc ? hj_errname(errno) : "0");
}
