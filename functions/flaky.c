/* flaky — fails the first input.failTimes calls (default 1) with the same
 * input, then succeeds.
 *
 * Call K (counting from 1) with a given input raises input.error (default
 * "FlakyError") with the message "attempt K failed" while K <= failTimes,
 * and returns {"attempts": K} after that. Calls are counted per input text
 * in this execution environment's memory: the runtime keeps environments
 * warm, so a retry reaches the same counter. A fresh environment starts
 * counting again.
 *
 * The table is fixed-size (FLAKY_SLOTS); when full, the least recently used
 * input is forgotten. */
#include <stdint.h>

#include <tutti.h>

#include "mini_json.h"

#define FLAKY_SLOTS 256

struct slot {
	uint64_t hash;      /* 0 = free */
	unsigned long calls;
	unsigned long used; /* LRU clock */
};

static struct slot slots[FLAKY_SLOTS];
static unsigned long clock_now;

/* FNV-1a, 64 bits; never 0 (0 marks a free slot). */
static uint64_t hash_text(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h ? h : 1;
}

/* The call count for this input, after counting this call. */
static unsigned long count_call(uint64_t h)
{
	struct slot *victim = &slots[0];

	clock_now++;
	for (size_t i = 0; i < FLAKY_SLOTS; i++) {
		if (slots[i].hash == h) {
			slots[i].used = clock_now;
			return ++slots[i].calls;
		}
		if (slots[i].used < victim->used)
			victim = &slots[i];
	}
	victim->hash = h;
	victim->calls = 1;
	victim->used = clock_now;
	return 1;
}

int handler(tt_ctx *ctx, const char *event, size_t event_len)
{
	struct mj_val in = mj_root(event, event_len), ft = mj_get(in, "failTimes");
	double fail_times = 1;
	char error[256] = "FlakyError";
	char out[64];
	unsigned long k;

	if (ft.p && (!mj_number(ft, &fail_times) || fail_times < 0))
		return tt_raise(ctx, "InvalidInputError",
				"flaky expects \"failTimes\" to be a number >= 0");
	if (mj_string(mj_get(in, "error"), error, sizeof error) <= 0)
		snprintf(error, sizeof error, "FlakyError");
	k = count_call(hash_text(event, event_len));
	if ((double)k <= fail_times)
		return tt_raise(ctx, error, "attempt %lu failed", k);
	snprintf(out, sizeof out, "{\"attempts\": %lu}", k);
	return tt_return(ctx, out, 0);
}
