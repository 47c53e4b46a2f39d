/* vfork — the other ways to make a process: vfork(2) and a raw clone(2)
 * without CLONE_THREAD.
 * Expected: Runtime.SandboxViolation naming vfork. */
#include "hostile.h"

#include <signal.h>
#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	long rc;

	(void)len;
	if (hj_num(event, "clone", 0))
		rc = syscall(SYS_clone, (long)SIGCHLD, 0L, NULL, NULL, 0L);
	else
		rc = syscall(SYS_vfork);
	if (rc == 0)
		_exit(0);
	return hj_return(ctx, "{\"child\":%ld,\"errno\":\"%s\"}", rc, hj_errname(errno));
}
