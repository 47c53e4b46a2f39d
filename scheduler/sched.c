/* sched — expressions (cron, rate, at), the next fire time in a zone, and
 * the bookkeeping of fires: names, flexible-window offsets, what is due. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_int.h"

/* Instants sched_next looks at: years 1-9999. */
#define T_MIN (-62135596800LL)
#define T_MAX 253402300799LL
#define MISSED_COUNT_MAX 10000

struct sched_expr {
	enum sched_kind kind;
	const struct sched_tz *tz;
	char tzname[SCHED_TZ_NAME_MAX];
	struct sched_cron cron;
	int64_t period;          /* rate */
	int64_t at;              /* at: the UTC instant */
};

/* ---- parsing ---------------------------------------------------------------- */

static int parse_rate(const char *expr, size_t off, size_t len, struct sched_expr *x, struct err *e)
{
	static const struct {
		const char *one, *many;
		int64_t secs;
	} units[] = { { "minute", "minutes", 60 }, { "hour", "hours", 3600 }, { "day", "days", 86400 } };
	size_t i = off, end = off + len, vs, us;
	int64_t v = 0;
	size_t k, ul;

	while (i < end && expr[i] == ' ')
		i++;
	vs = i;
	while (i < end && isdigit((unsigned char)expr[i]) && i - vs < 10)
		v = v * 10 + (expr[i++] - '0');
	if (i == vs)
		return err_set(e, ERR_SCHED_VALIDATION, "%s: rate takes a positive whole number then a unit: "
			       "rate(5 minutes) (column %zu)", expr, vs + 1);
	if (i < end && isdigit((unsigned char)expr[i]))
		return err_set(e, ERR_SCHED_VALIDATION, "%s: the value is too large (column %zu)", expr, vs + 1);
	if (v == 0)
		return err_set(e, ERR_SCHED_VALIDATION, "%s: the value must be positive (column %zu)", expr, vs + 1);
	if (i >= end || expr[i] != ' ')
		return err_set(e, ERR_SCHED_VALIDATION, "%s: a space and a unit (minutes, hours, days) must follow "
			       "the value (column %zu)", expr, i + 1);
	while (i < end && expr[i] == ' ')
		i++;
	us = i;
	while (i < end && expr[i] != ' ')
		i++;
	ul = i - us;
	while (i < end && expr[i] == ' ')
		i++;
	if (i < end)
		return err_set(e, ERR_SCHED_VALIDATION, "%s: unexpected '%c' after the unit (column %zu)", expr,
			       expr[i], i + 1);
	for (k = 0; k < sizeof units / sizeof *units; k++) {
		bool one = strlen(units[k].one) == ul && !memcmp(expr + us, units[k].one, ul);
		bool many = strlen(units[k].many) == ul && !memcmp(expr + us, units[k].many, ul);

		if (!one && !many)
			continue;
		if (one && v != 1)
			return err_set(e, ERR_SCHED_VALIDATION, "%s: a value above 1 takes the plural unit '%s' "
				       "(column %zu)", expr, units[k].many, us + 1);
		if (many && v == 1)
			return err_set(e, ERR_SCHED_VALIDATION, "%s: the value 1 takes the singular unit '%s' "
				       "(column %zu)", expr, units[k].one, us + 1);
		if (v > 1000000000LL / units[k].secs * 60)
			return err_set(e, ERR_SCHED_VALIDATION, "%s: the value is too large (column %zu)", expr,
				       vs + 1);
		x->period = v * units[k].secs;
		return 0;
	}
	return err_set(e, ERR_SCHED_VALIDATION, "%s: unknown unit '%.*s': minute(s), hour(s) or day(s) (column %zu)",
		       expr, (int)(ul > 16 ? 16 : ul), expr + us, us + 1);
}

/* "YYYY-MM-DDThh:mm:ss" at s[0..len): wall seconds; -1 with *col set. */
static int parse_wall(const char *s, size_t len, bool need_time, int64_t *out, size_t *col, size_t *tail)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	unsigned v[6] = { 0 };
	size_t i, n = sizeof shape - 1;
	int f = 0;

	for (i = 0; i < n; i++) {
		if (i >= len) {
			if (!need_time && (i == 10 || i == 16))
				break;
			*col = i;
			return -1;
		}
		if (shape[i] == 'd') {
			if (!isdigit((unsigned char)s[i])) {
				*col = i;
				return -1;
			}
			v[f] = v[f] * 10 + (unsigned)(s[i] - '0');
		} else if (s[i] != shape[i] && !(shape[i] == 'T' && !need_time && (s[i] == 't' || s[i] == ' '))) {
			if (!need_time && (i == 10 || i == 16))
				break;
			*col = i;
			return -1;
		} else {
			f++;
		}
	}
	*tail = i;
	if (v[0] < 1 || v[0] > 9999 || v[1] < 1 || v[1] > 12) {
		*col = v[1] < 1 || v[1] > 12 ? 5 : 0;
		return -1;
	}
	if (v[2] < 1 || v[2] > sched_mdays(v[0], v[1])) {
		*col = 8;
		return -1;
	}
	if (v[3] > 23 || v[4] > 59 || v[5] > 59) {
		*col = v[3] > 23 ? 11 : v[4] > 59 ? 14 : 17;
		return -1;
	}
	*out = sched_join(v[0], v[1], v[2], v[3], v[4], v[5]);
	return 0;
}

static int parse_at(const char *expr, size_t off, size_t len, struct sched_expr *x, struct err *e)
{
	int64_t wall;
	size_t col = 0, tail = 0;

	if (parse_wall(expr + off, len, true, &wall, &col, &tail) || tail != len)
		return err_set(e, ERR_SCHED_VALIDATION, "%s: at takes a date and time yyyy-mm-ddThh:mm:ss "
			       "(column %zu)", expr, off + (tail && tail != len ? tail : col) + 1);
	x->at = sched_tz_resolve(x->tz, wall);
	return 0;
}

struct sched_expr *sched_parse(const char *expr, const char *tz, struct err *e)
{
	struct sched_expr *x = NULL;
	size_t len, i, open;
	int rc;

	if (!expr)
		expr = "";
	len = strnlen(expr, SCHED_EXPR_MAX + 1);
	if (len > SCHED_EXPR_MAX) {
		err_set(e, ERR_SCHED_VALIDATION, "schedule expression is longer than %d characters", SCHED_EXPR_MAX);
		return NULL;
	}
	for (i = 0; i < len; i++)
		if ((unsigned char)expr[i] < 0x20 || (unsigned char)expr[i] > 0x7e) {
			err_set(e, ERR_SCHED_VALIDATION, "schedule expression: byte 0x%02x is not printable ASCII "
				"(column %zu)", (unsigned char)expr[i], i + 1);
			return NULL;
		}
	if (!(x = calloc(1, sizeof *x))) {
		err_set(e, ERR_SCHED_VALIDATION, "out of memory");
		return NULL;
	}
	snprintf(x->tzname, sizeof x->tzname, "%s", tz && *tz ? tz : "UTC");
	if (!(x->tz = sched_tz_get(tz, e)))
		goto fail;
	open = strcspn(expr, "(");
	if (open == len) {
		err_set(e, ERR_SCHED_VALIDATION, "'%s': expected cron(fields), rate(value unit) or "
			"at(yyyy-mm-ddThh:mm:ss)", expr);
		goto fail;
	}
	if (expr[len - 1] != ')') {
		const char *close = memchr(expr + open, ')', len - open);

		if (close)
			err_set(e, ERR_SCHED_VALIDATION, "%s: unexpected '%c' after ')' (column %zu)", expr, close[1],
				(size_t)(close - expr) + 2);
		else
			err_set(e, ERR_SCHED_VALIDATION, "%s: missing ')' at the end (column %zu)", expr, len + 1);
		goto fail;
	}
	if (open == 4 && !memcmp(expr, "cron", 4)) {
		x->kind = SCHED_CRON;
		rc = sched_cron_parse(expr, 5, len - 6, &x->cron, e);
	} else if (open == 4 && !memcmp(expr, "rate", 4)) {
		x->kind = SCHED_RATE;
		rc = parse_rate(expr, 5, len - 6, x, e);
	} else if (open == 2 && !memcmp(expr, "at", 2)) {
		x->kind = SCHED_AT;
		rc = parse_at(expr, 3, len - 4, x, e);
	} else {
		err_set(e, ERR_SCHED_VALIDATION, "%s: '%.*s' is not cron, rate or at (column 1)", expr,
			(int)(open > 16 ? 16 : open), expr);
		goto fail;
	}
	if (!rc && memchr(expr + open + 1, ')', len - open - 2)) {
		err_set(e, ERR_SCHED_VALIDATION, "%s: unexpected ')' (column %zu)", expr,
			(size_t)((const char *)memchr(expr + open + 1, ')', len - open - 2) - expr) + 1);
		goto fail;
	}
	if (!rc)
		return x;
fail:
	sched_free(x);
	return NULL;
}

void sched_free(struct sched_expr *x)
{
	if (!x)
		return;
	sched_tz_release(x->tz);
	free(x);
}

enum sched_kind sched_kind(const struct sched_expr *x)
{
	return x->kind;
}

const char *sched_tz_name(const struct sched_expr *x)
{
	return x->tzname;
}

int64_t sched_rate_period(const struct sched_expr *x)
{
	return x->kind == SCHED_RATE ? x->period : 0;
}

/* ---- next ------------------------------------------------------------------- */

int64_t sched_next(const struct sched_expr *x, int64_t anchor, int64_t after)
{
	int64_t local, t[2];
	int i;

	if (after >= T_MAX)
		return SCHED_NONE;
	if (after < T_MIN)
		after = T_MIN;
	switch (x->kind) {
	case SCHED_AT:
		return x->at > after ? x->at : SCHED_NONE;
	case SCHED_RATE:
		if (anchor == SCHED_NONE)
			anchor = 0;
		if (anchor < T_MIN || anchor > T_MAX)
			return SCHED_NONE;
		if (after < anchor)
			return anchor;
		return anchor + ((after - anchor) / x->period + 1) * x->period;
	case SCHED_CRON:
		break;
	}
	/* Wall times in order: their first UTC instants increase with them
	 * (a gap's have none: skipped), so the first one past `after` is it. */
	local = after + sched_tz_offset(x->tz, after);
	for (i = 0; i < 100000; i++) {
		local = sched_cron_next_local(&x->cron, local);
		if (local == SCHED_NONE)
			return SCHED_NONE;
		if (sched_tz_local_to_utc(x->tz, local, t) && t[0] > after)
			return t[0];
	}
	return SCHED_NONE;
}

/* ---- names, offsets --------------------------------------------------------- */

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t fnv(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

size_t sched_exec_name(const char *name, int64_t fire, char out[SCHED_EXEC_NAME_SIZE])
{
	/* "-YYYYMMDDTHHMMSSZ" is 17, "-xxxxxxxx" 9. */
	const size_t plain_max = SCHED_EXEC_NAME_MAX - 17, hashed_max = plain_max - 9;
	struct sched_tm tm;
	size_t n = strlen(name), i, w;
	bool clean = n > 0 && n <= plain_max;

	for (i = 0; i < n && clean; i++)
		clean = isalnum((unsigned char)name[i]) || name[i] == '-' || name[i] == '_';
	w = clean ? n : (n < hashed_max ? n : hashed_max);
	for (i = 0; i < w; i++)
		out[i] = isalnum((unsigned char)name[i]) || name[i] == '-' || name[i] == '_' ? name[i] : '_';
	if (!clean)
		w += (size_t)snprintf(out + w, SCHED_EXEC_NAME_SIZE - w, "%s%08" PRIx64, w ? "-" : "",
				      mix(fnv(name)) >> 32);
	if (fire < T_MIN || fire > T_MAX)
		fire = fire < T_MIN ? T_MIN : T_MAX;
	sched_split(fire, &tm);
	w += (size_t)snprintf(out + w, SCHED_EXEC_NAME_SIZE - w, "-%04" PRId64 "%02u%02uT%02u%02u%02uZ", tm.year,
			      tm.mon, tm.mday, tm.hour, tm.min, tm.sec);
	return w;
}

int64_t sched_flex_offset(const char *name, int64_t fire, unsigned window_min)
{
	if (!window_min)
		return 0;
	if (window_min > SCHED_WINDOW_MAX)
		window_min = SCHED_WINDOW_MAX;
	return (int64_t)(mix(fnv(name) ^ mix((uint64_t)fire)) % ((uint64_t)window_min * 60));
}

/* ---- what is due ------------------------------------------------------------ */

/* The next fire after t within [start, end), or SCHED_NONE. */
static int64_t next_in(const struct sched_expr *x, const struct sched_opts *o, int64_t t)
{
	int64_t f;

	if (o->start != SCHED_NONE && t < o->start - 1)
		t = o->start - 1;
	f = sched_next(x, o->anchor, t);
	return f == SCHED_NONE || (o->end != SCHED_NONE && f >= o->end) ? SCHED_NONE : f;
}

int64_t sched_fire_start(const struct sched_expr *x, const struct sched_opts *o, int64_t fire)
{
	unsigned wmin = o->window_min > SCHED_WINDOW_MAX ? SCHED_WINDOW_MAX : o->window_min;
	int64_t w = (int64_t)wmin * 60, s, g, a;
	int i;

	if (!wmin)
		return fire;
	s = fire + sched_flex_offset(o->name ? o->name : "", fire, wmin);
	/* Earlier fires within the window may start later than this one's
	 * offset: it waits for them. At most w/60 of them (a minute apart). */
	for (g = next_in(x, o, fire - w), i = 0; g != SCHED_NONE && g < fire && i <= SCHED_WINDOW_MAX;
	     g = next_in(x, o, g), i++) {
		a = g + sched_flex_offset(o->name ? o->name : "", g, wmin);
		s = a > s ? a : s;
	}
	return s;
}

/* The latest fire in (t0, m], or SCHED_NONE; *count how many (capped). */
static int64_t latest_upto(const struct sched_expr *x, const struct sched_opts *o, int64_t t0, int64_t m,
			   uint64_t *count)
{
	static const int64_t spans[] = { 120, 3600, 86400, 32 * 86400LL, 367 * 86400LL, 1462 * 86400LL,
					 14611 * 86400LL, 109575 * 86400LL };
	int64_t f = SCHED_NONE, g, lo;
	size_t k;
	int i;

	for (k = 0; k <= sizeof spans / sizeof *spans && f == SCHED_NONE; k++) {
		lo = k < sizeof spans / sizeof *spans && m - spans[k] > t0 ? m - spans[k] : t0;
		g = next_in(x, o, lo);
		if (g != SCHED_NONE && g <= m)
			f = g;
		if (lo == t0)
			break;
	}
	if (f == SCHED_NONE)
		return SCHED_NONE;
	for (i = 0; i < 1000000 && (g = next_in(x, o, f)) != SCHED_NONE && g <= m; i++)
		f = g;
	/* How many were passed over: exact for rate, counted for the rest. */
	if (x->kind == SCHED_RATE) {
		g = next_in(x, o, t0);
		*count = g != SCHED_NONE && g <= f ? (uint64_t)((f - g) / x->period) + 1 : 0;
	} else {
		*count = 0;
		for (g = next_in(x, o, t0); g != SCHED_NONE && g <= f && *count < MISSED_COUNT_MAX;
		     g = next_in(x, o, g))
			++*count;
	}
	return f;
}

void sched_due(const struct sched_expr *x, const struct sched_opts *o, int64_t last, int64_t now,
	       struct sched_due *out)
{
	int64_t grace = o->grace_s ? o->grace_s : SCHED_GRACE_DEFAULT;
	int64_t w = (int64_t)(o->window_min > SCHED_WINDOW_MAX ? SCHED_WINDOW_MAX : o->window_min) * 60;
	int64_t t, f, s, m;
	uint64_t n = 0;
	int i;

	memset(out, 0, sizeof *out);
	out->last_missed = out->next = out->wake = SCHED_NONE;
	if (last == SCHED_NONE)
		last = o->start != SCHED_NONE ? o->start - 1 : now - 1;
	t = last;
	/* Fires at or before m started more than grace ago whatever their
	 * offset: passed over in one search, not one by one. */
	m = now - w - grace;
	f = next_in(x, o, t);
	if (f != SCHED_NONE && f <= m && (f = latest_upto(x, o, t, m, &n)) != SCHED_NONE) {
		out->nmissed = n;
		out->last_missed = t = f;
	}
	for (i = 0;; i++) {
		f = next_in(x, o, t);
		if (f == SCHED_NONE || f > now)
			break;
		s = sched_fire_start(x, o, f);
		if (s > now)
			break;
		if (out->nrun == SCHED_DUE_MAX || i > 4 * SCHED_WINDOW_MAX) {
			out->wake = now; /* more on time than one call takes */
			break;
		}
		if (now - s < grace) {
			out->run[out->nrun++] = f;
		} else {
			out->nmissed += out->nmissed < MISSED_COUNT_MAX;
			out->last_missed = f;
		}
		t = f;
	}
	if (o->missed == SCHED_MISSED_ONCE && !out->nrun && out->last_missed != SCHED_NONE)
		out->run[out->nrun++] = out->last_missed;
	out->last = t;
	out->next = f;
	out->done = f == SCHED_NONE;
	if (out->wake == SCHED_NONE && f != SCHED_NONE)
		out->wake = sched_fire_start(x, o, f);
}

/* ---- ISO-8601 --------------------------------------------------------------- */

char *sched_format_utc(int64_t t, char out[SCHED_ISO_SIZE])
{
	struct sched_tm tm;

	if (t < T_MIN || t > T_MAX)
		t = t < T_MIN ? T_MIN : T_MAX;
	sched_split(t, &tm);
	snprintf(out, SCHED_ISO_SIZE, "%04" PRId64 "-%02u-%02uT%02u:%02u:%02uZ", tm.year, tm.mon, tm.mday, tm.hour,
		 tm.min, tm.sec);
	return out;
}

int sched_parse_time(const char *s, const struct sched_expr *x, int64_t *out, struct err *e)
{
	size_t len = strnlen(s, 64), col = 0, tail = 0;
	int64_t wall, off = 0;
	const char *z;
	bool zoned = false;

	if (len >= 64 || parse_wall(s, len, false, &wall, &col, &tail))
		return err_set(e, ERR_INVALID_PARAMETER,
			       "'%.40s' is not an ISO-8601 time (2026-12-07T12:00:00Z) (column %zu)", s,
			       len >= 64 ? 1 : col + 1);
	z = s + tail;
	if ((*z == 'Z' || *z == 'z') && !z[1]) {
		zoned = true;
	} else if ((*z == '+' || *z == '-') && isdigit((unsigned char)z[1]) && isdigit((unsigned char)z[2])) {
		const char *mm = z[3] == ':' ? z + 4 : z + 3;
		int h = (z[1] - '0') * 10 + (z[2] - '0'), mi;

		if (!isdigit((unsigned char)mm[0]) || !isdigit((unsigned char)mm[1]) || mm[2] || h > 23)
			goto bad;
		mi = (mm[0] - '0') * 10 + (mm[1] - '0');
		if (mi > 59)
			goto bad;
		off = (h * 3600 + mi * 60) * (*z == '-' ? -1 : 1);
		zoned = true;
	} else if (*z) {
		goto bad;
	}
	if (zoned)
		*out = wall - off;
	else
		*out = x ? sched_tz_resolve(x->tz, wall) : wall;
	return 0;
bad:
	return err_set(e, ERR_INVALID_PARAMETER,
		       "'%.40s' is not an ISO-8601 time: expected Z, +hh:mm or nothing after the time (column %zu)", s,
		       tail + 1);
}
