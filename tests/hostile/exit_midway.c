/* exit_midway — exit(3) from the handler, in the middle of an invocation
 * (the runtime's loop never gets to send a result).
 * Expected: Runtime.ExitError naming exit status 3. */
#include "hostile.h"

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	(void)ctx;
	(void)event;
	(void)len;
	exit(3);
}
