/* hello — {"name": "Ada"} -> {"message": "Hello, Ada!"}.
 *
 * The example of init: init runs once per execution environment, before its
 * first invocation, and prepares what every invocation reuses — here the
 * greeting, taken from the GREETING environment variable (default "Hello").
 * Globals set in init persist across the warm invocations that follow. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tutti.h>

#include "mini_json.h"

static char greeting[128];

int init(tt_ctx *ctx)
{
	const char *g = getenv("GREETING");

	(void)ctx;
	snprintf(greeting, sizeof greeting, "%s", g && *g ? g : "Hello");
	printf("hello: init done, greeting \"%s\"\n", greeting);
	return 0;
}

int handler(tt_ctx *ctx, const char *event, size_t event_len)
{
	struct mj_val in = mj_root(event, event_len);
	char name[256], message[512], out[4096];

	if (mj_string(mj_get(in, "name"), name, sizeof name) <= 0)
		snprintf(name, sizeof name, "World");
	snprintf(message, sizeof message, "%s, %s!", greeting, name);
	out[0] = '\0';
	strcat(out, "{\"message\": ");
	if (mj_escape(message, out + strlen(out), sizeof out - strlen(out) - 1) < 0)
		return tt_raise(ctx, "InvalidInputError", "name too long");
	strcat(out, "}");
	return tt_return(ctx, out, 0);
}
