/* x32 — call execve through the x32 ABI (syscall number | 0x40000000),
 * which a filter that compares bare numbers could miss.
 * Expected: Runtime.SandboxViolation (libseccomp rejects x32 numbers in a
 * native x86_64 filter), never a result. */
#include "hostile.h"

#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	(void)event;
	(void)len;
#if defined(__x86_64__)
	{
		char *const argv[] = { "/var/task/function.so", NULL };
		long rc = syscall(0x40000000L | 520L /* x32 execve */, argv[0], argv, argv + 1);

		return hj_return(ctx, "{\"x32\":%ld,\"errno\":\"%s\"}", rc, hj_errname(errno));
	}
#else
	return tt_return(ctx, "{\"skipped\":\"not x86_64\"}", 0);
#endif
}
