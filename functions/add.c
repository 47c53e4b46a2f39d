/* add — {"a": 1, "b": 2} -> 3; [1, 2, 3] -> 6.
 *
 * Errors: InvalidInputError when the input is neither such an object nor an
 * array of numbers; OverflowError when the sum is not a finite number. */
#include <tutti.h>

#include "mini_json.h"

int handler(tt_ctx *ctx, const char *event, size_t event_len)
{
	struct mj_val in = mj_root(event, event_len), it, x;
	double a, b, sum = 0;
	char out[64];
	size_t i = 0;

	switch (mj_type(in)) {
	case 'o':
		if (!mj_number(mj_get(in, "a"), &a) || !mj_number(mj_get(in, "b"), &b))
			return tt_raise(ctx, "InvalidInputError",
					"add expects {\"a\": number, \"b\": number}");
		sum = a + b;
		break;
	case 'a':
		it = in;
		while (mj_next(&it, &x)) {
			if (!mj_number(x, &a))
				return tt_raise(ctx, "InvalidInputError",
						"add expects an array of numbers; element %zu is not a number", i);
			sum += a;
			i++;
		}
		break;
	default:
		return tt_raise(ctx, "InvalidInputError",
				"add expects {\"a\": number, \"b\": number} or an array of numbers");
	}
	if (mj_format_number(sum, out, sizeof out) < 0)
		return tt_raise(ctx, "OverflowError", "the sum is not a finite number");
	return tt_return(ctx, out, 0);
}
