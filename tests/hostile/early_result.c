/* early_result — answer the next invocation before reading its request.
 *
 * The token is no secret from the function: its own INVOKE frame lies just
 * before `event` (small frames are read into one buffer: header, deadline,
 * request id, payload), and any thread may read descriptor 1000 itself. So,
 * handling {"mode":"steal"}, it answers its own invocation with that token
 * ("stolen": its own result, the documented limit), then reads only the
 * header and fixed part of the next INVOKE (queued on this environment: a
 * payload larger than the socket takes, so tutti still has bytes of it to
 * write) and answers it at once with its token, leaving the rest unread.
 * Then it waits to be killed.
 *
 * Expected: Runtime.InvalidResponse for that next invocation (answered
 * before its request was read). Before, tutti took the answer, and its next
 * INVOKE on this environment replaced the unsent rest of the previous one
 * in memory: each such round leaked a request (up to 6 MiB) in tutti. */
#include "hostile.h"

#include <stdint.h>

struct hdr {
	uint32_t type, len;
	uint64_t seq;
};

static int answer(uint64_t seq, const char *json)
{
	char b[64];
	struct hdr h = { 2 /* PROTO_RESULT */, (uint32_t)(1 + strlen(json)), seq };

	memcpy(b, &h, sizeof h);
	b[sizeof h] = 0; /* PROTO_OK */
	memcpy(b + sizeof h + 1, json, strlen(json));
	return write(1000, b, sizeof h + h.len) == (ssize_t)(sizeof h + h.len) ? 0 : -1;
}

static int read_full(char *p, size_t n)
{
	while (n) {
		ssize_t r = read(1000, p, n);

		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char buf[16], next[sizeof(struct hdr) + 8 + 40];
	struct hdr mine, h;

	(void)len;
	if (strcmp(hj_str(event, "mode", buf, sizeof buf, ""), "steal"))
		return tt_return(ctx, "\"plain\"", 0);
	memcpy(&mine, event - 8 - 40 - sizeof mine, sizeof mine);
	if (mine.type != 1 /* PROTO_INVOKE */ || answer(mine.seq, "\"stolen\""))
		return tt_raise(ctx, "Hostile.NoToken", "no INVOKE header before the event");
	if (read_full(next, sizeof next))
		_exit(0);
	memcpy(&h, next, sizeof h);
	answer(h.seq, "\"early\"");
	for (;;)
		pause();
}
