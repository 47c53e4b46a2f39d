/* unshare_user — make a user namespace (where one is root again), through
 * unshare(CLONE_NEWUSER) or ({"clone":1}) a raw clone with CLONE_NEWUSER.
 * Expected: Runtime.SandboxViolation naming unshare (clone). */
#include "hostile.h"

#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	long rc;

	(void)len;
	if (hj_num(event, "clone", 0))
		rc = syscall(SYS_clone, (long)(CLONE_NEWUSER | SIGCHLD), 0L, NULL, NULL, 0L);
	else
		rc = syscall(SYS_unshare, (long)CLONE_NEWUSER);
	if (rc == 0 && hj_num(event, "clone", 0))
		_exit(0);
	return hj_return(ctx, "{\"unshare\":%ld,\"errno\":\"%s\"}", rc, hj_errname(errno));
}
