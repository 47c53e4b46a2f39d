/* init_spin — burn CPU forever in init (the Init phase).
 * Expected: Runtime.InitError once the 10 s init limit passes, whatever
 * the function's own timeout. */
#include "hostile.h"

int init(tt_ctx *ctx)
{
	volatile unsigned long n = 0;

	(void)ctx;
	for (;;)
		n++;
	return 0;
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	(void)event;
	(void)len;
	return tt_return(ctx, "\"unreachable\"", 0);
}
