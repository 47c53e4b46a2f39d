/* cron — EventBridge's six-field cron: compile to bit sets, find the next
 * matching wall time. Fields and wildcards as the EventBridge cron
 * expressions reference lists them:
 *
 *   minutes 0-59 , - * /      hours 0-23 , - * /     day-of-month 1-31 , - * ? / L W
 *   month 1-12 JAN-DEC , - * /    day-of-week 1-7 SUN-SAT , - * ? L #    year 1970-2199 , - * /
 *
 * Exactly one of day-of-month and day-of-week is '?'. L, LW, nW, nL and n#k
 * stand alone in their field. A range whose start is above its end wraps
 * around (FRI-MON, 22-2), except for years. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sched_int.h"

enum { F_MIN, F_HOUR, F_DOM, F_MON, F_DOW, F_YEAR, F_COUNT };

static const struct field {
	const char *name;
	int lo, hi;
	const char *wild; /* allowed beyond digits, ',' '-' '*' */
} fields[F_COUNT] = {
	[F_MIN] = { "minutes", 0, 59, "/" },
	[F_HOUR] = { "hours", 0, 23, "/" },
	[F_DOM] = { "day-of-month", 1, 31, "/?LW" },
	[F_MON] = { "month", 1, 12, "/" },
	[F_DOW] = { "day-of-week", 1, 7, "?L#" },
	[F_YEAR] = { "year", SCHED_YEAR_MIN, SCHED_YEAR_MAX, "/" },
};

static const char *const months[] = { "JAN", "FEB", "MAR", "APR", "MAY", "JUN",
				      "JUL", "AUG", "SEP", "OCT", "NOV", "DEC" };
static const char *const wdays[] = { "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT" };

struct pctx {
	const char *expr;    /* the whole expression, for messages */
	const char *s;       /* the field's text (not terminated) */
	size_t off, len;     /* where the field starts in expr, its length */
	int f;
	struct err *e;
};

static int ferr(const struct pctx *p, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int ferr(const struct pctx *p, size_t at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(p->e, ERR_SCHED_VALIDATION, "%s: field %d (%s): %s (column %zu)", p->expr, p->f + 1,
		       fields[p->f].name, msg, p->off + at + 1);
}

/* A value at s[*i]: digits, or a month or weekday name. */
static int value(const struct pctx *p, size_t *i, int *out)
{
	const struct field *fd = &fields[p->f];
	size_t start = *i, n = 0;
	long v = 0;

	if (*i < p->len && isalpha((unsigned char)p->s[*i])) {
		const char *const *names = p->f == F_MON ? months : p->f == F_DOW ? wdays : NULL;
		int count = p->f == F_MON ? 12 : 7, k;

		while (*i + n < p->len && isalpha((unsigned char)p->s[*i + n]))
			n++;
		if (!names)
			return ferr(p, start, "'%.*s' is not a number", (int)(n > 16 ? 16 : n), p->s + start);
		/* A name is 3 letters; "5L" and "FRIL" go on after it. */
		for (k = 0; k < count && (n < 3 || strncasecmp(p->s + start, names[k], 3)); k++)
			;
		if (k == count)
			return ferr(p, start, "'%.*s' is not a %s name (%s)", (int)(n > 16 ? 16 : n), p->s + start,
				    p->f == F_MON ? "month" : "day", p->f == F_MON ? "JAN-DEC" : "SUN-SAT");
		n = 3;
		*i += n;
		*out = k + 1;
		return 0;
	}
	while (*i + n < p->len && isdigit((unsigned char)p->s[*i + n]) && n < 6)
		v = v * 10 + (p->s[*i + n++] - '0');
	if (!n) {
		if (*i >= p->len)
			return ferr(p, start, "a value is missing at the end of the field");
		return ferr(p, start, "unexpected '%c'", p->s[*i]);
	}
	if (v < fd->lo || v > fd->hi)
		return ferr(p, start, "value %.*s is out of range %d-%d", (int)n, p->s + start, fd->lo, fd->hi);
	*i += n;
	*out = (int)v;
	return 0;
}

static void set_bit(struct sched_cron *c, int f, int v)
{
	switch (f) {
	case F_MIN: c->minutes |= 1ull << v; break;
	case F_HOUR: c->hours |= 1u << v; break;
	case F_DOM: c->mdays |= 1u << v; break;
	case F_MON: c->months |= (uint16_t)(1u << v); break;
	case F_DOW: c->wdays |= (uint8_t)(1u << (v - 1)); break;
	default: c->years[(v - SCHED_YEAR_MIN) / 64] |= 1ull << ((v - SCHED_YEAR_MIN) % 64); break;
	}
}

/* One comma-separated item s[i..end). */
static int item(const struct pctx *p, size_t i, size_t end, struct sched_cron *c)
{
	const struct field *fd = &fields[p->f];
	int lo, hi, step = 1, span, k;
	size_t at = i;

	if (p->s[i] == '*') {
		lo = fd->lo;
		hi = fd->hi;
		i++;
	} else {
		if (value(p, &i, &lo))
			return -1;
		hi = lo;
		if (i < end && p->s[i] == '-') {
			size_t rat = ++i;

			if (value(p, &i, &hi))
				return -1;
			if (hi < lo && p->f == F_YEAR)
				return ferr(p, rat, "range %d-%d ends before it starts", lo, hi);
		}
	}
	if (i < end && p->s[i] == '/') {
		size_t sat = ++i;
		long s = 0;
		size_t n = 0;

		if (!strchr(fd->wild, '/'))
			return ferr(p, sat - 1, "'/' is not allowed in %s", fd->name);
		while (i < end && isdigit((unsigned char)p->s[i]) && n < 6)
			s = s * 10 + (p->s[i++] - '0'), n++;
		if (!n)
			return ferr(p, sat, "'/' must be followed by an increment");
		if (s < 1 || s > fd->hi - fd->lo)
			return ferr(p, sat, "increment %ld is out of range 1-%d", s, fd->hi - fd->lo);
		step = (int)s;
		if (lo == hi && p->s[at] != '*')
			hi = fd->hi; /* "5/15": from 5 to the end */
	}
	if (i < end)
		return ferr(p, i, "unexpected '%c'", p->s[i]);
	/* lo..hi by step, wrapping around past the field's end (FRI-MON). */
	span = hi >= lo ? hi - lo : (fd->hi - lo + 1) + (hi - fd->lo);
	for (k = 0; k <= span; k += step)
		set_bit(c, p->f, lo + k > fd->hi ? lo + k - (fd->hi - fd->lo + 1) : lo + k);
	return 0;
}

/* L, LW, nW (day-of-month), L, nL, n#k (day-of-week): the whole field. */
static int special(const struct pctx *p, struct sched_cron *c, bool *done)
{
	const char *s = p->s;
	size_t n = p->len, i = 0;
	int v, k;
	const char *hit;

	*done = false;
	hit = memchr(s, p->f == F_DOM ? 'W' : '#', n);
	if (!hit)
		hit = memchr(s, 'L', n);
	if (!hit)
		return 0;
	if (memchr(s, ',', n))
		return ferr(p, (size_t)(hit - s), "'%c' cannot be used in a list", *hit);
	*done = true;
	if (p->f == F_DOM) {
		if (n == 1 && s[0] == 'L') {
			c->dom_last = true;
			return 0;
		}
		if (n == 2 && !memcmp(s, "LW", 2)) {
			c->dom_last_wd = true;
			return 0;
		}
		if (s[n - 1] == 'W' && n >= 2) {
			if (value(p, &i, &v))
				return -1;
			if (i != n - 1)
				return ferr(p, i, "unexpected '%c' ('W' follows a single day: 15W)", s[i]);
			c->dom_near_wd = v;
			return 0;
		}
		return ferr(p, (size_t)(hit - s), "'%c' must be L, LW or a day followed by W (15W)", *hit);
	}
	if (n == 1 && s[0] == 'L') {
		c->wdays = 1u << 6; /* L alone: the last day of the week, SAT */
		return 0;
	}
	if (value(p, &i, &v))
		return -1;
	if (i < n && s[i] == 'L' && i + 1 == n) {
		c->dow_last = v;
		return 0;
	}
	if (i < n && s[i] == '#') {
		size_t at = ++i;

		if (i + 1 != n || s[i] < '1' || s[i] > '5')
			return ferr(p, at, "'#' must be followed by a week 1-5 (3#2: the second Tuesday)");
		k = s[i] - '0';
		c->dow_nth_day = v;
		c->dow_nth = k;
		return 0;
	}
	return ferr(p, i < n ? i : n, "'%c' must follow a single day (5L, 3#2)", *hit);
}

static int field(struct pctx *p, struct sched_cron *c, bool *any)
{
	const struct field *fd = &fields[p->f];
	size_t i, start;
	bool done;

	*any = false;
	for (i = 0; i < p->len; i++) {
		char ch = p->s[i];

		if (isdigit((unsigned char)ch) || ch == ',' || ch == '-' || ch == '*')
			continue;
		if (isalpha((unsigned char)ch) && (p->f == F_MON || p->f == F_DOW))
			continue;
		if (strchr(fd->wild, ch) && ch)
			continue;
		if (ch == 'L' || ch == 'W' || ch == '#' || ch == '?' || ch == '/')
			return ferr(p, i, "'%c' is not allowed in %s", ch, fd->name);
		if (isalpha((unsigned char)ch))
			return ferr(p, i, "unexpected '%c' (%s takes numbers)", ch, fd->name);
		return ferr(p, i, "unexpected '%c'", ch);
	}
	if (memchr(p->s, '?', p->len)) {
		if (p->len != 1)
			return ferr(p, (size_t)((const char *)memchr(p->s, '?', p->len) - p->s),
				    "'?' must be the whole field");
		*any = true;
		return 0;
	}
	if ((p->f == F_DOM || p->f == F_DOW) && special(p, c, &done))
		return -1;
	if ((p->f == F_DOM || p->f == F_DOW) && done)
		return 0;
	for (start = 0, i = 0; i <= p->len; i++) {
		if (i < p->len && p->s[i] != ',')
			continue;
		if (i == start)
			return ferr(p, i, i < p->len ? "empty list item before ','" : "empty list item after ','");
		if (item(p, start, i, c))
			return -1;
		start = i + 1;
	}
	return 0;
}

int sched_cron_parse(const char *expr, size_t off, size_t len, struct sched_cron *c, struct err *e)
{
	struct pctx p = { .expr = expr, .e = e };
	size_t i = off, end = off + len, fstart[F_COUNT];
	bool any[F_COUNT];
	int n = 0;

	memset(c, 0, sizeof *c);
	while (n <= F_COUNT) {
		size_t s;

		while (i < end && (expr[i] == ' ' || expr[i] == '\t'))
			i++;
		if (i >= end)
			break;
		s = i;
		while (i < end && expr[i] != ' ' && expr[i] != '\t')
			i++;
		if (n == F_COUNT)
			return err_set(e, ERR_SCHED_VALIDATION,
				       "%s: more than 6 fields (minutes hours day-of-month month day-of-week year) "
				       "(column %zu)", expr, s + 1);
		fstart[n] = s;
		p.f = n;
		p.s = expr + s;
		p.off = s;
		p.len = i - s;
		if (field(&p, c, &any[n]))
			return -1;
		n++;
	}
	if (n < F_COUNT)
		return err_set(e, ERR_SCHED_VALIDATION,
			       "%s: %d field%s, cron takes 6 (minutes hours day-of-month month day-of-week year); "
			       "field %d (%s) is missing (column %zu)",
			       expr, n, n == 1 ? "" : "s", n + 1, fields[n].name, end + 1);
	p.f = F_DOW;
	p.s = expr + fstart[F_DOW];
	p.off = fstart[F_DOW];
	if (any[F_DOM] == any[F_DOW])
		return ferr(&p, 0, any[F_DOM] ? "day-of-month and day-of-week cannot both be '?'"
					      : "one of day-of-month and day-of-week must be '?'");
	p.f = F_MIN;
	p.off = fstart[F_MIN];
	c->dom_any = any[F_DOM];
	return 0;
}

/* ---- matching --------------------------------------------------------------- */

/* Days 1-31 of (y, m) that match, as bits. */
static uint32_t day_mask(const struct sched_cron *c, int64_t y, unsigned m)
{
	unsigned n = sched_mdays(y, m), d, w1 = sched_wday(sched_days_from_civil(y, m, 1));
	uint32_t mask = 0;

	if (c->dom_any) {
		if (c->dow_nth_day) {
			d = 1 + ((unsigned)(c->dow_nth_day - 1) + 7 - w1) % 7 + 7 * (unsigned)(c->dow_nth - 1);
			return d <= n ? 1u << d : 0;
		}
		if (c->dow_last) {
			d = 1 + ((unsigned)(c->dow_last - 1) + 7 - w1) % 7;
			while (d + 7 <= n)
				d += 7;
			return 1u << d;
		}
		for (d = 1; d <= n; d++)
			if (c->wdays & (1u << ((w1 + d - 1) % 7)))
				mask |= 1u << d;
		return mask;
	}
	if (c->dom_last)
		return 1u << n;
	if (c->dom_last_wd || c->dom_near_wd) {
		unsigned t = c->dom_last_wd ? n : (unsigned)c->dom_near_wd, w;

		if (t > n)
			return 0; /* 31W in a 30-day month: no such day */
		w = (w1 + t - 1) % 7;
		if (w == 6) /* Saturday: the Friday before, or Monday when that leaves the month */
			t = t == 1 ? 3 : t - 1;
		else if (w == 0) /* Sunday: the Monday after, or Friday when that leaves the month */
			t = t == n ? t - 2 : t + 1;
		return 1u << t;
	}
	return c->mdays & (((n == 31) ? 0xffffffffu : ((1u << (n + 1)) - 1)) & ~1u);
}

static bool year_ok(const struct sched_cron *c, int64_t y)
{
	int64_t b = y - SCHED_YEAR_MIN;

	return b >= 0 && y <= SCHED_YEAR_MAX && (c->years[b / 64] >> (b % 64) & 1);
}

/* The lowest bit >= k in mask, or -1. */
static int next_bit(uint64_t mask, unsigned k)
{
	if (k >= 64)
		return -1;
	mask >>= k;
	return mask ? (int)(k + (unsigned)__builtin_ctzll(mask)) : -1;
}

int64_t sched_cron_next_local(const struct sched_cron *c, int64_t local)
{
	int64_t t, y;
	struct sched_tm tm;
	int i, b;

	t = local - ((local % 60) + 60) % 60 + 60;
	for (i = 0; i < 100000; i++) {
		sched_split(t, &tm);
		y = tm.year;
		if (y > SCHED_YEAR_MAX)
			return SCHED_NONE;
		if (y < SCHED_YEAR_MIN) {
			t = sched_join(SCHED_YEAR_MIN, 1, 1, 0, 0, 0);
			continue;
		}
		if (!year_ok(c, y)) {
			while (++y <= SCHED_YEAR_MAX && !year_ok(c, y))
				;
			if (y > SCHED_YEAR_MAX)
				return SCHED_NONE;
			t = sched_join(y, 1, 1, 0, 0, 0);
			continue;
		}
		if (!(c->months >> tm.mon & 1)) {
			b = next_bit(c->months, tm.mon + 1);
			t = b < 0 ? sched_join(y + 1, 1, 1, 0, 0, 0) : sched_join(y, (unsigned)b, 1, 0, 0, 0);
			continue;
		}
		b = next_bit(day_mask(c, y, tm.mon), tm.mday);
		if (b < 0) {
			t = tm.mon == 12 ? sched_join(y + 1, 1, 1, 0, 0, 0) : sched_join(y, tm.mon + 1, 1, 0, 0, 0);
			continue;
		}
		if ((unsigned)b != tm.mday) {
			t = sched_join(y, tm.mon, (unsigned)b, 0, 0, 0);
			continue;
		}
		b = next_bit(c->hours, tm.hour);
		if (b < 0) {
			t = sched_join(y, tm.mon, tm.mday, 0, 0, 0) + 86400;
			continue;
		}
		if ((unsigned)b != tm.hour) {
			t = sched_join(y, tm.mon, tm.mday, (unsigned)b, 0, 0);
			continue;
		}
		b = next_bit(c->minutes, tm.min);
		if (b < 0) {
			t = sched_join(y, tm.mon, tm.mday, tm.hour, 0, 0) + 3600;
			continue;
		}
		return sched_join(y, tm.mon, tm.mday, tm.hour, (unsigned)b, 0);
	}
	return SCHED_NONE;
}
