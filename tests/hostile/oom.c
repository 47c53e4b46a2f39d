/* oom — malloc + memset 16 MiB at a time, forever, keeping it all.
 * Expected with --memory 128: Runtime.OutOfMemory. */
#include "hostile.h"

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	size_t total = 0;

	(void)event;
	(void)len;
	for (;;) {
		char *p = malloc(16u << 20);

		if (!p)
			break;
		memset(p, 0x5a, 16u << 20);
		total += 16u << 20;
	}
	return hj_return(ctx, "{\"allocated_mb\":%zu}", total >> 20);
}
