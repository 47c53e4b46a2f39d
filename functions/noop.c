/* noop — does nothing and returns null; the benchmarks' baseline. */
#include <tutti.h>

int handler(tt_ctx *ctx, const char *event, size_t event_len)
{
	(void)ctx;
	(void)event;
	(void)event_len;
	return 0;
}
