/* greet_example — uses the greet layer: returns {"message": greet_hello()}.
 *
 * libgreet.so.1 exists only in the greet layer (build/layers/greet), never
 * on the host's library path, so this function loads only when the runtime
 * resolves its libraries from the layer at /opt/lib. The runtime's tests
 * use it to prove exactly that. */
#include <greet.h>
#include <tutti.h>

#include "mini_json.h"

int handler(tt_ctx *ctx, const char *event, size_t event_len)
{
	char msg[512], out[600];

	(void)event;
	(void)event_len;
	if (mj_escape(greet_hello(), msg, sizeof msg) < 0)
		return tt_raise(ctx, "GreetError", "greeting too long");
	snprintf(out, sizeof out, "{\"message\": %s}", msg);
	return tt_return(ctx, out, 0);
}
