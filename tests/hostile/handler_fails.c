/* handler_fails — return non-zero without tt_raise.
 * Expected: Runtime.HandlerFailed. */
#include "hostile.h"

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	(void)ctx;
	(void)event;
	(void)len;
	return 7;
}
