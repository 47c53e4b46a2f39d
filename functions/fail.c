/* fail — always fails: raises input.error (default "CustomError") with the
 * message input.cause (default "fail function called"). */
#include <tutti.h>

#include "mini_json.h"

int handler(tt_ctx *ctx, const char *event, size_t event_len)
{
	struct mj_val in = mj_root(event, event_len);
	char error[256] = "CustomError";
	char cause[4096] = "fail function called";

	if (mj_string(mj_get(in, "error"), error, sizeof error) <= 0)
		snprintf(error, sizeof error, "CustomError");
	if (mj_string(mj_get(in, "cause"), cause, sizeof cause) < 0)
		snprintf(cause, sizeof cause, "fail function called");
	return tt_raise(ctx, error, "%s", cause);
}
