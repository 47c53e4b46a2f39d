/* bad_utf8 — raise an error whose type and message are not UTF-8 (a lone
 * 0xff, a cut sequence, a C1 control).
 * Expected: the error as raised, those bytes shown as '?' (callers put it
 * in JSON, which must be UTF-8). Before, `tutti invoke` printed nothing at
 * all, and in `tutti run` the error escaped every Catch as
 * "States.Runtime: out of memory", failing the whole execution. */
#include "hostile.h"

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	(void)event;
	(void)len;
	return tt_raise(ctx, "Hostile.Utf8\xff", "half \xc3 and C1 \xc2\x9b end");
}
