/* bad_json — return text that is not JSON.
 * Expected: Runtime.InvalidResponse. */
#include "hostile.h"

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	(void)event;
	(void)len;
	return tt_return(ctx, "{\"truncated\": [1, 2,", 0);
}
