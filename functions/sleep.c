/* sleep — waits input.ms milliseconds (default 0), then returns its input.
 *
 * Errors: InvalidInputError when ms is negative or not a number. Waits
 * longer than the function's timeout end as Sandbox.Timedout, as in Lambda. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <time.h>

#include <tutti.h>

#include "mini_json.h"

#define SLEEP_MAX_MS (900.0 * 1000) /* Lambda's longest timeout */

int handler(tt_ctx *ctx, const char *event, size_t event_len)
{
	struct mj_val in = mj_root(event, event_len), ms = mj_get(in, "ms");
	double d = 0;
	struct timespec ts;

	if (ms.p && !mj_number(ms, &d))
		return tt_raise(ctx, "InvalidInputError", "sleep expects \"ms\" to be a number");
	if (d < 0)
		return tt_raise(ctx, "InvalidInputError", "sleep expects \"ms\" >= 0, got %g", d);
	if (d > SLEEP_MAX_MS)
		d = SLEEP_MAX_MS;
	ts.tv_sec = (time_t)(d / 1000);
	ts.tv_nsec = (long)((d - (double)ts.tv_sec * 1000) * 1e6);
	if (ts.tv_nsec > 999999999)
		ts.tv_nsec = 999999999;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	return tt_return(ctx, event, event_len);
}
