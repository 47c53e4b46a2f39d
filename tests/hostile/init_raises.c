/* init_raises — init fails with tt_raise.
 * Expected: Runtime.InitError, its message naming the raised error. */
#include "hostile.h"

int init(tt_ctx *ctx)
{
	return tt_raise(ctx, "Hostile.InitBoom", "init refuses to start");
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	(void)event;
	(void)len;
	return tt_return(ctx, "\"unreachable\"", 0);
}
