/* fork_bomb — fork() forever.
 * Expected: Runtime.SandboxViolation naming clone: only threads
 * (CLONE_THREAD) may be created, so the first fork traps. */
#include "hostile.h"

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	long n = 0;

	(void)event;
	(void)len;
	for (;;) {
		pid_t p = fork();

		if (p == 0)
			continue;
		if (p < 0)
			break;
		n++;
	}
	return hj_return(ctx, "{\"forked\":%ld,\"errno\":\"%s\"}", n, hj_errname(errno));
}
