/* stack_overflow — unbounded recursion with a big frame (bounded only by a
 * depth from the payload the compiler can't see through; default 1e9).
 * Expected: Runtime.ExitError (SIGSEGV on the stack guard page). */
#include "hostile.h"

static long deep(volatile char *prev, long n, long limit)
{
	volatile char frame[4096];

	frame[0] = (char)n;
	frame[4095] = prev ? prev[0] : 0;
	if (n >= limit)
		return n;
	return deep(frame, n + 1, limit) + frame[100];
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	(void)len;
	return hj_return(ctx, "{\"depth\":%ld}", deep(NULL, 0, (long)hj_num(event, "depth", 1000000000)));
}
