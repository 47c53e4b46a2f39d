/* no_handler — a valid tutti object that exports no `handler`.
 * Expected: Runtime.HandlerNotFound. */
#include "hostile.h"

int not_the_handler(tt_ctx *ctx, const char *event, size_t len);

int not_the_handler(tt_ctx *ctx, const char *event, size_t len)
{
	(void)event;
	(void)len;
	return tt_return(ctx, "1", 0);
}
