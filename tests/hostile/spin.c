/* spin — burn CPU forever in the handler.
 * Expected with --timeout 1: Sandbox.Timedout after about a second. */
#include "hostile.h"

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	volatile unsigned long n = 0;

	(void)ctx;
	(void)event;
	(void)len;
	for (;;)
		n++;
	return 0;
}
