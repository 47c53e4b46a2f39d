/* forge_frame — bypass the SDK and write frames straight on the runtime's
 * channel (descriptor 1000) while handling an invocation, laid out as the
 * runtime's own (runtime/proto.h: u32 type, u32 len, u64 token):
 *
 *   {}                       a result header announcing 64 MiB, then 64 MiB
 *   {"mode":"init_error"}    INIT_ERROR "Forged.InitError\0forged" (token 0,
 *                            as start-up frames carry), then return normally
 *   {"mode":"result"}        a RESULT "forged" with a guessed token (the
 *                            request id's first bytes), then return normally
 *   {"mode":"ready"}         READY (token 0), then return normally
 *   {"mode":"garbage"}       4 KiB of random bytes, then return normally
 *   {"mode":"half"}          half a header, then return normally (the
 *                            runtime's real result is misaligned behind it)
 *   {"mode":"ok"}            no forgery: return {"ok":true} after "ms"
 *                            milliseconds (default 50): the well-behaved
 *                            invocations queued behind a forger
 *
 * Expected: Runtime.InvalidResponse for every forging mode (the frame does
 * not fit the environment's state or carries no valid token), the
 * environment replaced, and invocations queued behind it unaffected. */
#include "hostile.h"

#include <stdint.h>
#include <sys/random.h>
#include <time.h>

struct hdr {
	uint32_t type, len;
	uint64_t seq;
};

static int put(tt_ctx *ctx, const void *p, size_t n)
{
	if (write(1000, p, n) != (ssize_t)n)
		return tt_raise(ctx, "Hostile.Write", "channel: %s", hj_errname(errno));
	return 0;
}

static int frame(tt_ctx *ctx, uint32_t type, uint64_t seq, const void *body, size_t len)
{
	struct hdr h = { type, (uint32_t)len, seq };

	return put(ctx, &h, sizeof h) ? -1 : put(ctx, body, len);
}

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char buf[32];
	const char *mode = hj_str(event, "mode", buf, sizeof buf, "huge");
	uint64_t guess = 0;

	(void)len;
	if (!strcmp(mode, "ok")) {
		nap(hj_num(event, "ms", 50));
		return tt_return(ctx, "{\"ok\":true}", 0);
	}
	if (!strcmp(mode, "huge")) {
		struct hdr h = { 2 /* PROTO_RESULT */, 64u << 20, 0 };
		static char junk[1 << 16];

		if (put(ctx, &h, sizeof h))
			return -1;
		for (int i = 0; i < 1024; i++)
			if (write(1000, junk, sizeof junk) < 0)
				break;
	} else if (!strcmp(mode, "init_error")) {
		static const char body[] = "Forged.InitError\0forged";

		if (frame(ctx, 5 /* PROTO_INIT_ERROR */, 0, body, sizeof body - 1))
			return -1;
	} else if (!strcmp(mode, "result")) {
		static const char body[] = "\0\"forged\"";

		memcpy(&guess, tt_request_id(ctx), sizeof guess);
		if (frame(ctx, 2 /* PROTO_RESULT */, guess, body, sizeof body - 1))
			return -1;
	} else if (!strcmp(mode, "ready")) {
		if (frame(ctx, 4 /* PROTO_READY */, 0, NULL, 0))
			return -1;
	} else if (!strcmp(mode, "garbage")) {
		static char junk[4096];

		if (getrandom(junk, sizeof junk, 0) != (ssize_t)sizeof junk)
			return tt_raise(ctx, "Hostile.Random", "getrandom: %s", hj_errname(errno));
		if (put(ctx, junk, sizeof junk))
			return -1;
	} else if (!strcmp(mode, "half")) {
		struct hdr h = { 2, 9, 0 };

		if (put(ctx, &h, sizeof h / 2))
			return -1;
	} else {
		return tt_raise(ctx, "Hostile.Mode", "unknown mode %s", mode);
	}
	/* Give the runtime time to read the forgery before the real result. */
	nap(100);
	return tt_return(ctx, "\"forged\"", 0);
}
