/* echo — returns its input unchanged. */
#include <tutti.h>

int handler(tt_ctx *ctx, const char *event, size_t event_len)
{
	return tt_return(ctx, event, event_len);
}
