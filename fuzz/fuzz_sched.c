/* libFuzzer target: compile a schedule expression (the first input line; a
 * second line, when there is one, is the time zone) and walk its next fire
 * times from a few instants, with names, offsets and a due computation; then
 * read the rest of the input as a TZif file and a POSIX TZ string.
 * Crashes, hangs, leaks and sanitizer reports are the findings. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sched_int.h"
#include "scheduler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int64_t froms[] = { 0, 1796601600, 4102444800LL, 7258118400LL, -1 };
	char expr[SCHED_EXPR_MAX + 2], tz[64] = "", name[SCHED_EXEC_NAME_SIZE], iso[SCHED_ISO_SIZE];
	const uint8_t *nl = memchr(data, '\n', size), *nl2 = NULL;
	size_t elen = nl ? (size_t)(nl - data) : size;
	struct sched_expr *x;
	struct err e;
	struct tz_posix p;

	if (elen > SCHED_EXPR_MAX + 1)
		elen = SCHED_EXPR_MAX + 1;
	memcpy(expr, data, elen);
	expr[elen] = '\0';
	if (nl) {
		size_t rest = size - (size_t)(nl - data) - 1, tlen;

		nl2 = memchr(nl + 1, '\n', rest);
		tlen = nl2 ? (size_t)(nl2 - nl - 1) : rest;
		tlen = tlen < sizeof tz - 1 ? tlen : sizeof tz - 1;
		memcpy(tz, nl + 1, tlen);
		tz[tlen] = '\0';
	}
	x = sched_parse(expr, tz, &e);
	if (x) {
		for (size_t i = 0; i < sizeof froms / sizeof *froms; i++) {
			int64_t t = froms[i];
			struct sched_opts o = { .name = expr, .anchor = froms[i], .start = SCHED_NONE,
						.end = SCHED_NONE, .window_min = (unsigned)(size % 20) };
			struct sched_due d;

			for (int k = 0; k < 5 && t != SCHED_NONE; k++) {
				t = sched_next(x, froms[i], t);
				sched_exec_name(expr, t, name);
				sched_format_utc(t, iso);
			}
			sched_due(x, &o, froms[i], froms[i] + 86400 * 40, &d);
		}
		sched_free(x);
	}
	if (nl2) {
		size_t rest = size - (size_t)(nl2 + 1 - data);
		struct sched_tz *z = sched_tz_from_tzif("fuzz", nl2 + 1, rest, &e);
		char s[128];
		size_t n = rest < sizeof s - 1 ? rest : sizeof s - 1;

		if (z) {
			int64_t out[2];

			sched_tz_offset(z, 1796601600);
			sched_tz_local_to_utc(z, 1796601600, out);
			sched_tz_resolve(z, 1796601600);
		}
		sched_tz_release(z);
		memcpy(s, nl2 + 1, n);
		s[n] = '\0';
		sched_tz_posix_parse(s, &p);
	}
	return 0;
}
