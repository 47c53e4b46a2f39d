/* abort — abort().
 * Expected: Runtime.ExitError. */
#include "hostile.h"

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	(void)event;
	(void)len;
	abort();
	return tt_return(ctx, "\"survived\"", 0);
}
