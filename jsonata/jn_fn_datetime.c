/* jn_fn_datetime.c: JSONata's date/time functions — $now, $millis,
 * $fromMillis, $toMillis — with XPath/XSLT picture strings
 * (fn:format-dateTime §9.8) and time-zone offsets, as datetime.js does.
 *
 * The code follows datetime.js step by step, quirks included, because a
 * user's picture string must give what the reference gives:
 * - the time zone argument is parseInt()'d and split with Math.floor and %
 *   ("-0530" is -6 hours and -30 minutes, so -06:30), as the reference does;
 * - Date.UTC's two-digit years (0..99 -> 1900..1999) where datetime.js calls
 *   Date.UTC (day-in-year, week numbers, parsing);
 * - integer formatting ($formatInteger's picture language: decimal digit
 *   families, grouping separators, ordinals, words, roman, letters) is the
 *   same code as datetime.js _formatInteger, kept here in UTF-16 code units
 *   because its grouping positions count them;
 * - $toMillis without a picture accepts what the reference's ISO 8601
 *   regular expression accepts, then gives what V8's Date.parse gives for
 *   those strings (date-only forms and date-times with an offset exactly;
 *   a date-time without an offset is read as UTC — V8 reads it in the local
 *   time zone, which is the same on a UTC machine);
 * - $toMillis with a picture builds the same regular expression the
 *   reference builds (PCRE2, case-insensitive) and applies the same rules
 *   for the components left out (now's for the leading ones, zero after).
 * Invalid dates format as "NaN" where JavaScript's do; a parse that yields
 * an invalid time returns NaN (JSON null once printed), as the reference.
 *
 * $now() and $millis() read c->now_ms: one value per evaluation.
 *
 * Thread-safety: none needed; everything lives in the evaluation's arena
 * (a PCRE2 pattern compiled for a picture is freed before anything else is
 * allocated). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jn_fn_a.h"
#include "jn_int.h"

#define MS_PER_DAY 86400000.0

static jv *arg(const struct jn_call *call, int i)
{
	return i < call->nargs ? call->args[i] : NULL;
}

/* ---------------------------------------------------------------- */
/* UTF-16 buffers                                                   */
/* ---------------------------------------------------------------- */

struct u16 {
	uint16_t *p;
	size_t n, cap;
};

static void u16_grow(struct jn_ctx *c, struct u16 *b, size_t more)
{
	if (b->n + more <= b->cap)
		return;
	size_t nc = b->cap ? b->cap * 2 : 32;
	while (nc < b->n + more)
		nc *= 2;
	b->p = jn_realloc(c, b->p, b->cap * sizeof *b->p, nc * sizeof *b->p);
	b->cap = nc;
}

static void u16_push(struct jn_ctx *c, struct u16 *b, uint16_t u)
{
	u16_grow(c, b, 1);
	b->p[b->n++] = u;
}

static void u16_push_cp(struct jn_ctx *c, struct u16 *b, uint32_t cp)
{
	if (cp >= 0x10000) {
		cp -= 0x10000;
		u16_push(c, b, (uint16_t)(0xD800 + (cp >> 10)));
		u16_push(c, b, (uint16_t)(0xDC00 + (cp & 0x3FF)));
	} else {
		u16_push(c, b, (uint16_t)cp);
	}
}

static void u16_puts(struct jn_ctx *c, struct u16 *b, const char *s)
{
	while (*s)
		u16_push(c, b, (unsigned char)*s++);
}

static void u16_append(struct jn_ctx *c, struct u16 *b, const struct u16 *x)
{
	u16_grow(c, b, x->n);
	if (x->n)
		memcpy(b->p + b->n, x->p, x->n * sizeof *b->p);
	b->n += x->n;
}

/* Inserts x at unit index at (<= b->n). */
static void u16_insert(struct jn_ctx *c, struct u16 *b, size_t at, const struct u16 *x)
{
	u16_grow(c, b, x->n);
	memmove(b->p + at + x->n, b->p + at, (b->n - at) * sizeof *b->p);
	if (x->n)
		memcpy(b->p + at, x->p, x->n * sizeof *b->p);
	b->n += x->n;
}

static void u16_from_utf8(struct jn_ctx *c, struct u16 *b, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n)
		u16_push_cp(c, b, jn_utf8_next(s, n, &i));
}

/* Appends the units as UTF-8 (pairs joined; a lone surrogate in its 3-byte
 * form, as the engine's strings keep them). 0, or -1 (time limit). */
static int u16_to_sb(struct jn_ctx *c, struct jn_sb *sb, const struct u16 *b)
{
	char buf[4096];
	size_t k = 0;
	for (size_t i = 0; i < b->n; i++) {
		uint32_t u = b->p[i];
		if (k + 4 > sizeof buf) {
			jn_sb_put(c, sb, buf, k);
			k = 0;
			if (jn_tick(c) < 0) /* a huge width: let the time limit end it */
				return -1;
		}
		if (u < 0x80) {
			buf[k++] = (char)u;
			continue;
		}
		if (u >= 0xD800 && u < 0xDC00 && i + 1 < b->n && b->p[i + 1] >= 0xDC00 && b->p[i + 1] < 0xE000) {
			u = 0x10000 + ((u - 0xD800) << 10) + (b->p[i + 1] - 0xDC00u);
			i++;
		}
		k += jn_utf8_put(u, buf + k);
	}
	jn_sb_put(c, sb, buf, k);
	return 0;
}

static void u16_upper_ascii(struct u16 *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->p[i] >= 'a' && b->p[i] <= 'z')
			b->p[i] = (uint16_t)(b->p[i] - 32);
}

static void u16_lower_ascii(struct u16 *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->p[i] >= 'A' && b->p[i] <= 'Z')
			b->p[i] = (uint16_t)(b->p[i] + 32);
}

/* ---------------------------------------------------------------- */
/* JavaScript helpers                                               */
/* ---------------------------------------------------------------- */

/* JavaScript's WhiteSpace and LineTerminator (\s). */
static int js_space(uint32_t cp)
{
	return cp == 9 || cp == 10 || cp == 11 || cp == 12 || cp == 13 || cp == 32 || cp == 0xA0 || cp == 0x1680 ||
	       (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
	       cp == 0x3000 || cp == 0xFEFF;
}

/* parseInt(s) (radix undefined): NaN when no digit. */
static double js_parse_int(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		if (!js_space(jn_utf8_next(s, n, &j)))
			break;
		i = j;
	}
	int neg = 0;
	if (i < n && (s[i] == '+' || s[i] == '-')) {
		neg = s[i] == '-';
		i++;
	}
	int radix = 10;
	if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		radix = 16;
		i += 2;
	}
	size_t d0 = i;
	double v = 0;
	for (; i < n; i++) {
		int ch = (unsigned char)s[i], d;
		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if (ch >= 'a' && ch <= 'z')
			d = ch - 'a' + 10;
		else if (ch >= 'A' && ch <= 'Z')
			d = ch - 'A' + 10;
		else
			break;
		if (d >= radix)
			break;
		v = v * radix + d;
	}
	if (i == d0)
		return NAN;
	if (radix == 10 && i - d0 > 15 && i - d0 < 400) {
		char buf[400];
		memcpy(buf, s + d0, i - d0);
		buf[i - d0] = 0;
		v = strtod(buf, NULL); /* exact, as JavaScript's decimal conversion */
	}
	return neg ? -v : v;
}

/* ---- Date arithmetic (ECMAScript's MakeDay/MakeTime/TimeClip) ---- */

static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static double js_make_day(double year, double month, double date)
{
	if (!isfinite(year) || !isfinite(month) || !isfinite(date))
		return NAN;
	double y = trunc(year), m = trunc(month), dt = trunc(date);
	double ym = y + floor(m / 12);
	double mn = fmod(m, 12);
	if (mn < 0)
		mn += 12;
	if (fabs(ym) > 1e6)
		return NAN; /* far outside the time value range */
	return (double)days_from_civil((int64_t)ym, (int)mn + 1, 1) + dt - 1;
}

static double js_make_time(double h, double m, double s, double ms)
{
	if (!isfinite(h) || !isfinite(m) || !isfinite(s) || !isfinite(ms))
		return NAN;
	return trunc(h) * 3600000.0 + trunc(m) * 60000.0 + trunc(s) * 1000.0 + trunc(ms);
}

static double js_time_clip(double t)
{
	if (!isfinite(t) || fabs(t) > 8.64e15)
		return NAN;
	return trunc(t) + 0.0;
}

/* MakeDate/TimeClip of the fields as given (Date.parse: no two-digit years) */
static double js_date_fields(double y, double m, double d, double h, double mi, double s, double ms)
{
	double day = js_make_day(y, m, d), t = js_make_time(h, mi, s, ms);
	if (isnan(day) || isnan(t))
		return NAN;
	return js_time_clip(day * MS_PER_DAY + t);
}

/* Date.UTC(y, m, d, h, mi, s, ms) */
static double js_date_utc(double y, double m, double d, double h, double mi, double s, double ms)
{
	if (isnan(y))
		return NAN;
	double yi = trunc(y);
	if (yi >= 0 && yi <= 99)
		y = 1900 + yi;
	double day = js_make_day(y, m, d), t = js_make_time(h, mi, s, ms);
	if (isnan(day) || isnan(t))
		return NAN;
	return js_time_clip(day * MS_PER_DAY + t);
}

/* A Date's UTC fields. */
struct dtv {
	int valid;
	double t;
	double y, mon0, day, h, mi, s, ms, wday;
};

static void dt_of(double t, struct dtv *d)
{
	d->t = js_time_clip(t);
	d->valid = !isnan(d->t);
	if (!d->valid) {
		d->y = d->mon0 = d->day = d->h = d->mi = d->s = d->ms = d->wday = NAN;
		return;
	}
	double days = floor(d->t / MS_PER_DAY);
	double inday = d->t - days * MS_PER_DAY;
	int64_t y;
	int m, dd;
	civil_from_days((int64_t)days, &y, &m, &dd);
	d->y = (double)y;
	d->mon0 = m - 1;
	d->day = dd;
	d->h = floor(inday / 3600000.0);
	d->mi = floor(fmod(inday, 3600000.0) / 60000.0);
	d->s = floor(fmod(inday, 60000.0) / 1000.0);
	d->ms = fmod(inday, 1000.0);
	double w = fmod(days + 4, 7);
	if (w < 0)
		w += 7;
	d->wday = w;
}

static double weekday_of(double t)
{
	if (isnan(t))
		return NAN;
	double w = fmod(floor(t / MS_PER_DAY) + 4, 7);
	return w < 0 ? w + 7 : w;
}

/* ---------------------------------------------------------------- */
/* Integer pictures: jn_fn_format.c's (jn_intpic_*), as datetime.js     */
/* shares analyseIntegerPicture/_formatInteger with formatInteger       */
/* ---------------------------------------------------------------- */

enum { TC_LOWER = JN_CASE_LOWER, TC_UPPER = JN_CASE_UPPER, TC_TITLE = JN_CASE_TITLE };

static const char *const month_names[] = {"January", "February", "March",     "April",   "May",	 "June",
					  "July",    "August",	 "September", "October", "November", "December"};
static const char *const day_names[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

/* _formatInteger(value, format), appended to out. 0, or -1 (D3130, U1002). */
static int format_int(struct jn_ctx *c, struct u16 *out, double value, const struct jn_intpic *f)
{
	struct jn_sb b;
	jn_sb_init(&b);
	if (jn_intpic_format(c, value, f, &b) < 0)
		return -1;
	u16_grow(c, out, b.n);
	u16_from_utf8(c, out, b.p ? b.p : "", b.n);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Date/time pictures (datetime.js analyseDateTimePicture)           */
/* ---------------------------------------------------------------- */

struct dpart {
	int literal;
	const char *lit; /* UTF-8, "]]" already made "]" */
	size_t lit_len;
	/* a variable marker */
	uint32_t comp;	/* the component specifier (first character) */
	const char *comp_s; /* ... as UTF-8, for messages */
	size_t comp_len;
	int has_width, has_wmin, has_wmax;
	double wmin, wmax;
	const char *p1; /* presentation1 (UTF-8) */
	size_t p1_len;
	uint32_t p2; /* presentation2 or 0 */
	int names;   /* 0, or 1 + TC_* */
	int has_ifmt;
	struct jn_intpic ifmt;
	double n; /* the year's digits to keep (-1: all) */
};

struct dspec {
	struct dpart *v;
	size_t n, cap;
};

static struct dpart *dspec_add(struct jn_ctx *c, struct dspec *s)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 8;
		s->v = jn_realloc(c, s->v, s->cap * sizeof *s->v, nc * sizeof *s->v);
		s->cap = nc;
	}
	struct dpart *p = &s->v[s->n++];
	memset(p, 0, sizeof *p);
	return p;
}

static void add_literal_raw(struct jn_ctx *c, struct dspec *s, const char *p, size_t n)
{
	struct dpart *d = dspec_add(c, s);
	d->literal = 1;
	d->lit = p;
	d->lit_len = n;
}

static void add_literal(struct jn_ctx *c, struct dspec *s, const char *pic, size_t start, size_t end)
{
	if (end <= start)
		return;
	/* literal.split(']]').join(']') */
	char *o = jn_alloc_raw(c, end - start);
	size_t k = 0;
	for (size_t i = start; i < end; i++) {
		o[k++] = pic[i];
		if (pic[i] == ']' && i + 1 < end && pic[i + 1] == ']')
			i++;
	}
	add_literal_raw(c, s, o, k);
}

static const char *default_presentation(uint32_t comp)
{
	switch (comp) {
	case 'Y': case 'M': case 'D': case 'd': case 'W': case 'w': case 'X': case 'x': case 'H': case 'h': case 'f':
		return "1";
	case 'F': case 'P': case 'C': case 'E':
		return "n";
	case 'm': case 's':
		return "01";
	case 'Z': case 'z':
		return "01:01";
	default:
		return NULL;
	}
}

/* UTF-8 of cps[from..to) */
static const char *cps_utf8(struct jn_ctx *c, const uint32_t *cps, size_t from, size_t to, size_t *len)
{
	char *o = jn_alloc_raw(c, (to > from ? to - from : 0) * 4 + 1);
	size_t k = 0;
	for (size_t i = from; i < to; i++)
		k += jn_utf8_put(cps[i], o + k);
	o[k] = 0;
	*len = k;
	return o;
}

/* parseWidth(): undefined for an absent width or '*', else parseInt */
static void parse_width(struct jn_ctx *c, const uint32_t *cps, size_t from, size_t to, int *has, double *v)
{
	size_t len;
	const char *s = cps_utf8(c, cps, from, to, &len);
	if (len == 1 && s[0] == '*') {
		*has = 0;
		return;
	}
	*has = 1;
	*v = js_parse_int(s, len);
}

static int analyse_marker(struct jn_ctx *c, struct dspec *spec, const char *pic, size_t start, size_t end)
{
	/* the marker's text with every run of white space removed */
	size_t i = start, n = 0;
	uint32_t *cps = jn_alloc_raw(c, (end - start + 1) * sizeof *cps);
	while (i < end) {
		uint32_t cp = jn_utf8_next(pic, end, &i);
		if (!js_space(cp))
			cps[n++] = cp;
	}
	struct dpart *d = dspec_add(c, spec);
	d->n = -1;
	d->comp = n ? cps[0] : 0;
	d->comp_s = cps_utf8(c, cps, 0, n ? 1 : 0, &d->comp_len);
	long comma = -1;
	for (size_t k = n; k-- > 0;)
		if (cps[k] == ',') {
			comma = (long)k;
			break;
		}
	size_t pm_from, pm_to;
	if (comma >= 0) {
		/* the width modifier: min[-max] */
		size_t w0 = (size_t)comma + 1;
		long dash = -1;
		for (size_t k = w0; k < n; k++)
			if (cps[k] == '-') {
				dash = (long)k;
				break;
			}
		d->has_width = 1;
		if (dash < 0) {
			parse_width(c, cps, w0, n, &d->has_wmin, &d->wmin);
		} else {
			parse_width(c, cps, w0, (size_t)dash, &d->has_wmin, &d->wmin);
			parse_width(c, cps, (size_t)dash + 1, n, &d->has_wmax, &d->wmax);
		}
		/* marker.substring(1, comma): the arguments swap when comma < 1 */
		size_t a = n ? 1 : 0, b = (size_t)comma;
		pm_from = a < b ? a : b;
		pm_to = a < b ? b : a;
	} else {
		pm_from = n ? 1 : 0;
		pm_to = n;
	}
	size_t pm_len = pm_to - pm_from;
	const uint32_t *pm = cps + pm_from;
	int has_p1 = 1;
	if (pm_len == 1) {
		d->p1 = cps_utf8(c, pm, 0, 1, &d->p1_len);
	} else if (pm_len > 1) {
		uint32_t last = pm[pm_len - 1];
		if (last == 'a' || last == 't' || last == 'c' || last == 'o') {
			d->p2 = last;
			d->p1 = cps_utf8(c, pm, 0, pm_len - 1, &d->p1_len);
		} else {
			d->p1 = cps_utf8(c, pm, 0, pm_len, &d->p1_len);
		}
	} else {
		d->p1 = n ? default_presentation(d->comp) : NULL;
		if (d->p1)
			d->p1_len = strlen(d->p1);
		else
			has_p1 = 0;
	}
	if (!has_p1)
		return jn_throw(c, "D3132", -1, NULL, jn_str(c, d->comp_s, d->comp_len));
	if (d->p1_len > 0 && d->p1[0] == 'n') {
		d->names = 1 + TC_LOWER;
	} else if (d->p1_len > 0 && d->p1[0] == 'N') {
		d->names = 1 + ((d->p1_len > 1 && d->p1[1] == 'n') ? TC_TITLE : TC_UPPER);
	} else if (d->comp && d->comp < 128 && strchr("YMDdFWwXxHhmsf", (int)d->comp)) {
		size_t il = d->p1_len + (d->p2 ? 2 : 0);
		char *ip = jn_alloc_raw(c, il + 1);
		memcpy(ip, d->p1, d->p1_len);
		if (d->p2) {
			ip[d->p1_len] = ';';
			ip[d->p1_len + 1] = (char)d->p2;
		}
		ip[il] = 0;
		if (jn_intpic_analyse(c, ip, il, &d->ifmt) < 0)
			return -1;
		d->has_ifmt = 1;
		if (d->has_width && d->has_wmin && d->ifmt.has_mandatory && d->ifmt.mandatory < d->wmin)
			d->ifmt.mandatory = d->wmin;
		if (d->comp == 'Y') {
			d->n = -1;
			if (d->has_width && d->has_wmax) {
				d->n = d->wmax;
				d->ifmt.mandatory = d->n;
				d->ifmt.has_mandatory = 1;
			} else {
				double w = d->ifmt.has_mandatory ? d->ifmt.mandatory + d->ifmt.optional : NAN;
				if (w >= 2)
					d->n = w;
			}
		}
		/* an integer right after another one: the earlier one's width
		 * must be exact for parsing */
		if (spec->n >= 2) {
			struct dpart *prev = &spec->v[spec->n - 2];
			if (!prev->literal && prev->has_ifmt) {
				prev->ifmt.has_parse_width = prev->ifmt.has_mandatory;
				prev->ifmt.parse_width = prev->ifmt.mandatory;
			}
		}
	}
	if (d->comp == 'Z' || d->comp == 'z') {
		if (jn_intpic_analyse(c, d->p1, d->p1_len, &d->ifmt) < 0)
			return -1;
		d->has_ifmt = 1;
	}
	return 0;
}

static int analyse_dt_picture(struct jn_ctx *c, const char *pic, size_t len, struct dspec *spec)
{
	memset(spec, 0, sizeof *spec);
	size_t start = 0, pos = 0;
	while (pos < len) {
		if (pic[pos] == '[') {
			if (pos + 1 < len && pic[pos + 1] == '[') {
				add_literal(c, spec, pic, start, pos);
				add_literal_raw(c, spec, "[", 1);
				pos += 2;
				start = pos;
				continue;
			}
			add_literal(c, spec, pic, start, pos);
			start = pos;
			const char *close = memchr(pic + start, ']', len - start);
			if (!close)
				return jn_throw(c, "D3135", -1, NULL, NULL);
			pos = (size_t)(close - pic);
			if (analyse_marker(c, spec, pic, start + 1, pos) < 0)
				return -1;
			start = pos + 1;
		}
		pos++;
	}
	add_literal(c, spec, pic, start, pos);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Formatting (datetime.js formatDateTime)                          */
/* ---------------------------------------------------------------- */

static double start_of_first_week(double year, double month)
{
	double jan1 = js_date_utc(year, month, 1, 0, 0, 0, 0);
	double dow = weekday_of(jan1);
	if (dow == 0)
		dow = 7;
	return dow > 4 ? jan1 + (8 - dow) * MS_PER_DAY : jan1 - (dow - 1) * MS_PER_DAY;
}

static double delta_weeks(double start, double end)
{
	return (end - start) / (MS_PER_DAY * 7) + 1;
}

/* A component's value: a number, a string (P, C, E), or undefined. */
struct cval {
	int kind; /* 0 undefined, 1 number, 2 string */
	double num;
	const char *str;
};

static struct cval fragment(const struct dtv *d, uint32_t comp)
{
	struct cval v = {1, NAN, NULL};
	switch (comp) {
	case 'Y':
		v.num = d->y;
		break;
	case 'M':
		v.num = d->mon0 + 1;
		break;
	case 'D':
		v.num = d->day;
		break;
	case 'd': {
		double today = js_date_utc(d->y, d->mon0, d->day, 0, 0, 0, 0);
		double jan1 = js_date_utc(d->y, 0, 1, 0, 0, 0, 0);
		v.num = (today - jan1) / MS_PER_DAY + 1;
		break;
	}
	case 'F':
		v.num = d->wday == 0 ? 7 : d->wday;
		break;
	case 'W': {
		double s1 = start_of_first_week(d->y, 0);
		double today = js_date_utc(d->y, d->mon0, d->day, 0, 0, 0, 0);
		double week = delta_weeks(s1, today);
		if (week > 52) {
			if (today >= start_of_first_week(d->y + 1, 0))
				week = 1;
		} else if (week < 1) {
			week = delta_weeks(start_of_first_week(d->y - 1, 0), today);
		}
		v.num = floor(week);
		break;
	}
	case 'w': {
		double s1 = start_of_first_week(d->y, d->mon0);
		double today = js_date_utc(d->y, d->mon0, d->day, 0, 0, 0, 0);
		double week = delta_weeks(s1, today);
		if (week > 4) {
			double ny = d->mon0 == 11 ? d->y + 1 : d->y, nm = d->mon0 == 11 ? 0 : d->mon0 + 1;
			if (today >= start_of_first_week(ny, nm))
				week = 1;
		} else if (week < 1) {
			double py = d->mon0 == 0 ? d->y - 1 : d->y, pm = d->mon0 == 0 ? 11 : d->mon0 - 1;
			week = delta_weeks(start_of_first_week(py, pm), today);
		}
		v.num = floor(week);
		break;
	}
	case 'X': {
		double s = start_of_first_week(d->y, 0), e = start_of_first_week(d->y + 1, 0);
		v.num = d->t < s ? d->y - 1 : d->t >= e ? d->y + 1 : d->y;
		break;
	}
	case 'x': {
		double s = start_of_first_week(d->y, d->mon0);
		double ny = d->mon0 == 11 ? d->y + 1 : d->y, nm = d->mon0 == 11 ? 0 : d->mon0 + 1;
		double e = start_of_first_week(ny, nm);
		double pm = d->mon0 == 0 ? 11 : d->mon0 - 1;
		v.num = d->t < s ? pm + 1 : d->t >= e ? nm + 1 : d->mon0 + 1;
		break;
	}
	case 'H':
		v.num = d->h;
		break;
	case 'h':
		v.num = fmod(d->h, 12);
		if (v.num == 0)
			v.num = 12;
		break;
	case 'P':
		v.kind = 2;
		v.str = d->h >= 12 ? "pm" : "am";
		break;
	case 'm':
		v.num = d->mi;
		break;
	case 's':
		v.num = d->s;
		break;
	case 'f':
		v.num = d->ms;
		break;
	case 'C':
	case 'E':
		v.kind = 2;
		v.str = "ISO";
		break;
	default:
		v.kind = 0;
		break;
	}
	return v;
}

static int format_component(struct jn_ctx *c, struct u16 *out, const struct dtv *date, const struct dpart *p,
			    double oh, double om)
{
	uint32_t comp = p->comp;
	if (comp && comp < 128 && strchr("YMDdFWwXxHhms", (int)comp)) {
		struct cval v = fragment(date, comp);
		if (comp == 'Y' && p->n != -1)
			v.num = fmod(v.num, pow(10, p->n));
		if (p->names) {
			const char *name = NULL;
			if (comp == 'M' || comp == 'x') {
				if (v.num >= 1 && v.num <= 12 && v.num == floor(v.num))
					name = month_names[(int)v.num - 1];
			} else if (comp == 'F') {
				if (v.num >= 0 && v.num <= 7 && v.num == floor(v.num))
					name = day_names[(int)v.num];
			} else {
				return jn_throw(c, "D3133", -1, NULL, jn_str(c, p->comp_s, p->comp_len));
			}
			struct u16 s = {0};
			u16_puts(c, &s, name ? name : "undefined");
			if (p->names == 1 + TC_UPPER)
				u16_upper_ascii(&s);
			else if (p->names == 1 + TC_LOWER)
				u16_lower_ascii(&s);
			if (p->has_width && p->has_wmax && (double)s.n > p->wmax)
				s.n = p->wmax > 0 ? (size_t)p->wmax : 0;
			u16_append(c, out, &s);
			return 0;
		}
		return format_int(c, out, v.num, &p->ifmt);
	}
	if (comp == 'f') {
		struct cval v = fragment(date, comp);
		if (!p->has_ifmt) { /* [fN]: a TypeError in datetime.js */
			struct jn_intpic plain;
			jn_intpic_analyse(c, "1", 1, &plain);
			return format_int(c, out, v.num, &plain);
		}
		return format_int(c, out, v.num, &p->ifmt);
	}
	if (comp == 'Z' || comp == 'z') {
		double offset = oh * 100 + om;
		struct u16 s = {0};
		if (p->ifmt.regular == 1) {
			if (format_int(c, &s, offset, &p->ifmt) < 0)
				return -1;
		} else {
			double nd = p->ifmt.has_mandatory ? p->ifmt.mandatory : NAN;
			if (nd == 1 || nd == 2) {
				if (format_int(c, &s, oh, &p->ifmt) < 0)
					return -1;
				if (om != 0) {
					struct jn_intpic two;
					jn_intpic_analyse(c, "00", 2, &two);
					u16_push(c, &s, ':');
					if (format_int(c, &s, floor(om), &two) < 0)
						return -1;
				}
			} else if (nd == 3 || nd == 4) {
				if (format_int(c, &s, offset, &p->ifmt) < 0)
					return -1;
			} else {
				return jn_throw(c, "D3134", -1, NULL, p->ifmt.has_mandatory ? jn_num(c, nd) : NULL);
			}
		}
		if (offset >= 0) {
			struct u16 plus = {0};
			u16_push(c, &plus, '+');
			u16_insert(c, &s, 0, &plus);
		}
		if (comp == 'z') {
			struct u16 gmt = {0};
			u16_puts(c, &gmt, "GMT");
			u16_insert(c, &s, 0, &gmt);
		}
		if (offset == 0 && p->p2 == 't') {
			s.n = 0;
			u16_push(c, &s, 'Z');
		}
		u16_append(c, out, &s);
		return 0;
	}
	if (comp == 'P') {
		struct cval v = fragment(date, comp);
		struct u16 s = {0};
		u16_puts(c, &s, v.str);
		if (p->names == 1 + TC_UPPER)
			u16_upper_ascii(&s);
		u16_append(c, out, &s);
		return 0;
	}
	struct cval v = fragment(date, comp);
	u16_puts(c, out, v.kind == 2 ? v.str : "undefined");
	return 0;
}

static const char iso_picture[] = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

/* formatDateTime(millis, picture, timezone) */
static int format_datetime(struct jn_ctx *c, double millis, const jv *picture, const jv *tz, jv **out)
{
	double oh = 0, om = 0;
	if (tz) {
		double off = js_parse_int(tz->u.s.p, tz->u.s.len);
		oh = floor(off / 100);
		om = fmod(off, 100);
	}
	struct dspec spec;
	int rc = picture ? analyse_dt_picture(c, picture->u.s.p, picture->u.s.len, &spec)
			 : analyse_dt_picture(c, iso_picture, sizeof iso_picture - 1, &spec);
	if (rc < 0)
		return -1;
	double offms = (60 * oh + om) * 60 * 1000;
	struct dtv date;
	dt_of(millis + offms, &date);
	struct jn_sb sb;
	jn_sb_init(&sb);
	for (size_t i = 0; i < spec.n; i++) {
		const struct dpart *p = &spec.v[i];
		if (p->literal) {
			jn_sb_put(c, &sb, p->lit, p->lit_len);
			continue;
		}
		struct u16 s = {0};
		if (format_component(c, &s, &date, p, oh, om) < 0 || u16_to_sb(c, &sb, &s) < 0)
			return -1;
	}
	*out = jn_sb_str(c, &sb);
	return 0;
}

/* ---------------------------------------------------------------- */
/* $toMillis without a picture: the ISO 8601 check and Date.parse    */
/* ---------------------------------------------------------------- */

static int is_d(const char *s, size_t n, size_t i)
{
	return i < n && s[i] >= '0' && s[i] <= '9';
}

/* The reference's
 * ^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$
 * as a backtracking matcher over its optional groups. */
static int iso_re_from(const char *s, size_t n, size_t i, int group)
{
	if (group == 5)
		return i == n;
	size_t j = i;
	int took = 0;
	switch (group) {
	case 0: /* -[01]\d */
		if (j + 3 <= n && s[j] == '-' && (s[j + 1] == '0' || s[j + 1] == '1') && is_d(s, n, j + 2)) {
			j += 3;
			took = 1;
		}
		break;
	case 1: /* -[0-3]\d */
		if (j + 3 <= n && s[j] == '-' && s[j + 1] >= '0' && s[j + 1] <= '3' && is_d(s, n, j + 2)) {
			j += 3;
			took = 1;
		}
		break;
	case 2: /* T[0-2]\d:[0-5]\d:[0-5]\d */
		if (j + 9 <= n && s[j] == 'T' && s[j + 1] >= '0' && s[j + 1] <= '2' && is_d(s, n, j + 2) &&
		    s[j + 3] == ':' && s[j + 4] >= '0' && s[j + 4] <= '5' && is_d(s, n, j + 5) && s[j + 6] == ':' &&
		    s[j + 7] >= '0' && s[j + 7] <= '5' && is_d(s, n, j + 8)) {
			j += 9;
			took = 1;
		}
		break;
	case 3: /* \.\d+ (greedy; what follows never starts with a digit) */
		if (j + 2 <= n && s[j] == '.' && is_d(s, n, j + 1)) {
			j += 2;
			while (is_d(s, n, j))
				j++;
			took = 1;
		}
		break;
	case 4: /* [+-][0-2]\d:?[0-5]\d | Z */
		if (j < n && s[j] == 'Z') {
			j++;
			took = 1;
		} else if (j + 3 <= n && (s[j] == '+' || s[j] == '-') && s[j + 1] >= '0' && s[j + 1] <= '2' &&
			   is_d(s, n, j + 2)) {
			size_t k = j + 3;
			if (k + 3 <= n && s[k] == ':' && s[k + 1] >= '0' && s[k + 1] <= '5' && is_d(s, n, k + 2)) {
				j = k + 3;
				took = 1;
			} else if (k + 2 <= n && s[k] >= '0' && s[k] <= '5' && is_d(s, n, k + 1)) {
				j = k + 2;
				took = 1;
			}
		}
		break;
	}
	if (took && iso_re_from(s, n, j, group + 1))
		return 1;
	return iso_re_from(s, n, i, group + 1);
}

static int iso_re(const char *s, size_t n)
{
	if (n < 4 || !is_d(s, n, 0) || !is_d(s, n, 1) || !is_d(s, n, 2) || !is_d(s, n, 3))
		return 0;
	return iso_re_from(s, n, 4, 0);
}

static int two(const char *s, size_t i)
{
	return (s[i] - '0') * 10 + (s[i + 1] - '0');
}

/* What V8's Date.parse gives for a string the regular expression accepted
 * (times without an offset as UTC). NaN for an invalid date. */
static double iso_parse(const char *s, size_t n)
{
	size_t i = 4;
	double y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int mon = -1, day = -1;
	if (i + 3 <= n && s[i] == '-' && is_d(s, n, i + 1) && is_d(s, n, i + 2)) {
		mon = two(s, i + 1);
		i += 3;
		if (i + 3 <= n && s[i] == '-' && is_d(s, n, i + 1) && is_d(s, n, i + 2)) {
			day = two(s, i + 1);
			i += 3;
		}
	}
	int has_time = 0, hh = 0, mm = 0, ss = 0;
	if (i < n && s[i] == 'T') {
		if (i + 9 > n)
			return NAN;
		hh = two(s, i + 1);
		mm = two(s, i + 4);
		ss = two(s, i + 7);
		has_time = 1;
		i += 9;
	}
	int has_frac = 0, frac_zero = 1;
	double ms = 0, fint = 0;
	size_t fdig = 0;
	if (i < n && s[i] == '.') {
		i++;
		size_t f0 = i;
		while (is_d(s, n, i))
			i++;
		fdig = i - f0;
		if (fdig == 0)
			return NAN;
		has_frac = 1;
		for (size_t k = 0; k < 3; k++)
			ms = ms * 10 + (k < fdig ? s[f0 + k] - '0' : 0);
		for (size_t k = 0; k < fdig && k < 12; k++)
			fint = fint * 10 + (s[f0 + k] - '0');
		for (size_t k = 0; k < fdig; k++)
			if (s[f0 + k] != '0')
				frac_zero = 0;
		if (fdig >= 12)
			fint = 1e12; /* no valid month or day */
	}
	int tz = 0; /* 0 none, 1 Z, 2 numeric */
	double tzmin = 0;
	if (i < n && s[i] == 'Z') {
		tz = 1;
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		int sign = s[i] == '-' ? -1 : 1;
		if (i + 3 > n)
			return NAN;
		int th = two(s, i + 1), tm;
		i += 3;
		if (i < n && s[i] == ':')
			i++;
		if (i + 2 > n)
			return NAN;
		tm = two(s, i);
		i += 2;
		if (th > 23 || tm > 59)
			return NAN;
		tz = 2;
		tzmin = sign * (th * 60 + tm);
	}
	if (i != n)
		return NAN;
	if (has_time) {
		int m = mon < 0 ? 1 : mon, d = day < 0 ? 1 : day;
		if (m < 1 || m > 12 || d < 1 || d > 31)
			return NAN;
		if (hh > 24 || mm > 59 || ss > 59 || (hh == 24 && (mm || ss || !frac_zero)))
			return NAN;
		double t = js_date_fields(y, m - 1, d, hh, mm, ss, ms);
		return js_time_clip(t - tzmin * 60000.0);
	}
	/* date-only forms: no numeric offset (V8's legacy parser refuses it) */
	if (tz == 2)
		return NAN;
	int m = mon < 0 ? 1 : mon, d = day < 0 ? 1 : day;
	if (has_frac) {
		/* V8's legacy parser reads "2017.5" as May 2017, "2017-07.5"
		 * as 5 July 2017: the fraction is the next field */
		if (day >= 0)
			return NAN;
		if (mon < 0)
			m = (int)(fint > 1e6 ? 1e6 : fint), d = 1;
		else
			d = (int)(fint > 1e6 ? 1e6 : fint);
	}
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return NAN;
	return js_date_fields(y, m - 1, d, 0, 0, 0, 0);
}

/* ---------------------------------------------------------------- */
/* $toMillis with a picture (datetime.js parseDateTime)              */
/* ---------------------------------------------------------------- */

/* wordValues, in its insertion order (the alternation order of the words
 * regular expression) */
struct wordval {
	const char *w;
	double v;
};

static size_t word_values(struct wordval *o)
{
	static const char *const fewl[] = {"zero",	"one",	    "two",	"three",    "four",
					   "five",	"six",	    "seven",	"eight",    "nine",
					   "ten",	"eleven",   "twelve",	"thirteen", "fourteen",
					   "fifteen",	"sixteen",  "seventeen", "eighteen", "nineteen"};
	static const char *const ordl[] = {"zeroth",	 "first",      "second",     "third",	  "fourth",
					   "fifth",	 "sixth",      "seventh",    "eighth",	  "ninth",
					   "tenth",	 "eleventh",   "twelfth",    "thirteenth", "fourteenth",
					   "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"};
	static const char *const decl[] = {"twenty",  "twentieth", "thirty", "thirtieth", "forty",   "fortieth",
					   "fifty",   "fiftieth",  "sixty",  "sixtieth",  "seventy", "seventieth",
					   "eighty",  "eightieth", "ninety", "ninetieth", "hundred", "hundreieth"};
	static const char *const magl[] = {"thousand", "thousandth", "million",	 "millionth",
					   "billion",  "billionth",  "trillion", "trillionth"};
	size_t k = 0;
	for (int i = 0; i < 20; i++)
		o[k++] = (struct wordval){fewl[i], i};
	for (int i = 0; i < 20; i++)
		o[k++] = (struct wordval){ordl[i], i};
	for (int i = 0; i < 18; i++)
		o[k++] = (struct wordval){decl[i], (i / 2 + 2) * 10};
	o[k++] = (struct wordval){"hundredth", 100};
	for (int i = 0; i < 8; i++)
		o[k++] = (struct wordval){magl[i], pow(10, (i / 2 + 1) * 3)};
	return k;
}

#define NWORDS 67

/* One part's matcher: how its captured text becomes a value. */
enum { M_NONE, M_TZ, M_FRAC, M_INT, M_NAME };

struct mpart {
	int kind;
	uint32_t comp;
	const struct dpart *p;
	const struct jn_intpic *f; /* M_INT */
	uint32_t sep;	      /* M_TZ: the separator, 0 none */
};

static void re_escape_literal(struct jn_ctx *c, struct jn_sb *b, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (strchr(".*+?^${}()|[]\\", p[i]) && p[i])
			jn_sb_putc(c, b, '\\');
		jn_sb_putc(c, b, p[i]);
	}
}

/* generateRegex() for an integer format: appended to b. 0 or -1. */
static int int_regex(struct jn_ctx *c, struct jn_sb *b, const struct jn_intpic *f)
{
	int upper = f->tcase == TC_UPPER;
	switch (f->primary) {
	case JN_INT_LETTERS:
		jn_sb_puts(c, b, upper ? "[A-Z]+" : "[a-z]+");
		return 0;
	case JN_INT_ROMAN:
		jn_sb_puts(c, b, upper ? "[MDCLXVI]+" : "[mdclxvi]+");
		return 0;
	case JN_INT_WORDS: {
		struct wordval wv[NWORDS];
		size_t k = word_values(wv);
		jn_sb_puts(c, b, "(?:");
		for (size_t i = 0; i < k; i++) {
			jn_sb_puts(c, b, wv[i].w);
			jn_sb_putc(c, b, '|');
		}
		jn_sb_puts(c, b, "and|[\\-, ])+");
		return 0;
	}
	case JN_INT_DECIMAL:
		jn_sb_puts(c, b, "[0-9]");
		if (f->has_parse_width && f->parse_width != 0 && !isnan(f->parse_width)) {
			char num[40];
			size_t l = jn_num_fmt(f->parse_width, num);
			jn_sb_putc(c, b, '{');
			jn_sb_put(c, b, num, l);
			jn_sb_putc(c, b, '}');
		} else {
			jn_sb_putc(c, b, '+');
		}
		if (f->ordinal)
			jn_sb_puts(c, b, "(?:th|st|nd|rd)");
		return 0;
	default:
		return jn_throw(c, "D3130", -1, NULL, jn_str(c, f->token, f->token_len));
	}
}

static double parse_int_part(struct jn_ctx *c, const struct jn_intpic *f, const char *s, size_t n)
{
	switch (f->primary) {
	case JN_INT_LETTERS: {
		/* lettersToDecimal over UTF-16 units */
		struct u16 u = {0};
		u16_from_utf8(c, &u, s, n);
		double a = f->tcase == TC_UPPER ? 'A' : 'a', dec = 0;
		for (size_t i = 0; i < u.n; i++)
			dec += ((double)u.p[u.n - i - 1] - a + 1) * pow(26, (double)i);
		return dec;
	}
	case JN_INT_ROMAN: {
		double dec = 0, max = 1;
		int max_undef = 0;
		for (size_t i = n; i-- > 0;) {
			char ch = s[i];
			if (f->tcase != TC_UPPER && ch >= 'a' && ch <= 'z')
				ch = (char)(ch - 32);
			double v;
			switch (ch) {
			case 'M': v = 1000; break;
			case 'D': v = 500; break;
			case 'C': v = 100; break;
			case 'L': v = 50; break;
			case 'X': v = 10; break;
			case 'V': v = 5; break;
			case 'I': v = 1; break;
			default: v = NAN; break;
			}
			/* undefined < max is false: max becomes undefined and the
			 * sum NaN */
			if (!isnan(v) && !max_undef && v < max) {
				dec -= v;
			} else {
				if (isnan(v))
					max_undef = 1;
				else
					max_undef = 0;
				max = v;
				dec += v;
			}
		}
		return dec;
	}
	case JN_INT_WORDS: {
		char *l = jn_alloc_raw(c, n + 1);
		for (size_t i = 0; i < n; i++)
			l[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
		return jn_words_to_number(c, l, n);
	}
	default: { /* JN_INT_DECIMAL */
		size_t end = n;
		if (f->ordinal)
			end = n >= 2 ? n - 2 : 0;
		char *d = jn_alloc_raw(c, end + 1);
		size_t k = 0;
		for (size_t i = 0; i < end;) {
			size_t j = i;
			uint32_t cp = jn_utf8_next(s, end, &j);
			int drop = 0;
			if (f->regular == 1)
				drop = cp == ',';
			else
				for (size_t q = 0; q < f->nsep; q++)
					if (f->sep[q].cp == cp)
						drop = 1;
			if (!drop) {
				memcpy(d + k, s + i, j - i);
				k += j - i;
			}
			i = j;
		}
		if (f->zero_code != 0x30)
			return NAN; /* String.fromCodePoint of a negative code point: a RangeError */
		return js_parse_int(d, k);
	}
	}
}

/* A component's parsed value. */
struct pcomp {
	int present; /* a key of `components` */
	int defined; /* its value is not undefined */
	int is_str;
	double v;
	const char *str;
};

static int comp_truthy(const struct pcomp *p)
{
	if (!p->defined)
		return 0;
	if (p->is_str)
		return p->str && *p->str;
	return p->v != 0 && !isnan(p->v);
}

static int parse_datetime(struct jn_ctx *c, const char *ts, size_t tslen, const jv *picture, jv **out)
{
	struct dspec spec;
	if (analyse_dt_picture(c, picture->u.s.p, picture->u.s.len, &spec) < 0)
		return -1;
	struct mpart *mp = jn_alloc(c, (spec.n + 1) * sizeof *mp);
	struct jn_sb re;
	jn_sb_init(&re);
	jn_sb_putc(c, &re, '^');
	for (size_t i = 0; i < spec.n; i++) {
		const struct dpart *p = &spec.v[i];
		mp[i].p = p;
		mp[i].comp = p->comp;
		jn_sb_putc(c, &re, '(');
		if (p->literal) {
			mp[i].kind = M_NONE;
			re_escape_literal(c, &re, p->lit, p->lit_len);
		} else if (p->comp == 'Z' || p->comp == 'z') {
			mp[i].kind = M_TZ;
			if (p->ifmt.regular == 1)
				mp[i].sep = p->ifmt.sep[0].cp;
			if (p->comp == 'z')
				jn_sb_puts(c, &re, "GMT");
			jn_sb_puts(c, &re, "[-+][0-9]+");
			if (mp[i].sep) {
				jn_sb_cp(c, &re, mp[i].sep);
				jn_sb_puts(c, &re, "[0-9]+");
			}
		} else if (p->comp == 'f') {
			mp[i].kind = M_FRAC;
			jn_sb_puts(c, &re, "[0-9]+");
		} else if (p->has_ifmt) {
			mp[i].kind = M_INT;
			mp[i].f = &p->ifmt;
			if (int_regex(c, &re, &p->ifmt) < 0)
				return -1;
		} else {
			mp[i].kind = M_NAME;
			jn_sb_puts(c, &re, "[a-zA-Z]+");
			if (!(p->comp == 'M' || p->comp == 'x' || p->comp == 'F' || p->comp == 'P'))
				return jn_throw(c, "D3133", -1, NULL, jn_str(c, p->comp_s, p->comp_len));
		}
		jn_sb_putc(c, &re, ')');
	}
	jn_sb_putc(c, &re, '$');

	/* match: nothing is allocated from the arena between compile and free */
	size_t ngroups = spec.n;
	size_t *ov_copy = jn_alloc(c, (ngroups + 1) * 2 * sizeof *ov_copy);
	int matched = 0;
	{
		int errcode;
		PCRE2_SIZE erroff;
		pcre2_code *code =
			pcre2_compile((PCRE2_SPTR)re.p, re.n,
				      PCRE2_CASELESS | PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_MATCH_INVALID_UTF,
				      &errcode, &erroff, NULL);
		if (!code)
			/* a time-zone separator that is not valid in a regular
			 * expression: JavaScript throws a SyntaxError without a
			 * code; nothing matches here */
			return 0;
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
		pcre2_match_context *mc = pcre2_match_context_create(NULL);
		if (md && mc) {
			pcre2_set_match_limit(mc, 1000000);
			int rc = pcre2_match(code, (PCRE2_SPTR)ts, tslen, 0, 0, md, mc);
			if (rc > 0) {
				PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
				uint32_t cnt = pcre2_get_ovector_count(md);
				matched = 1;
				for (size_t g = 0; g <= ngroups; g++) {
					if (g < cnt && (int)g < rc && ov[2 * g] != PCRE2_UNSET) {
						ov_copy[2 * g] = ov[2 * g];
						ov_copy[2 * g + 1] = ov[2 * g + 1];
					} else {
						ov_copy[2 * g] = ov_copy[2 * g + 1] = 0;
					}
				}
			}
		}
		pcre2_match_context_free(mc);
		pcre2_match_data_free(md);
		pcre2_code_free(code);
	}
	if (!matched)
		return 0; /* undefined */

	struct pcomp comps[128];
	memset(comps, 0, sizeof comps);
	int any = 0;
	for (size_t i = 0; i < spec.n; i++) {
		const struct mpart *m = &mp[i];
		if (m->kind == M_NONE)
			continue;
		const char *s = ts + ov_copy[2 * (i + 1)];
		size_t n = ov_copy[2 * (i + 1) + 1] - ov_copy[2 * (i + 1)];
		struct pcomp pc = {1, 1, 0, NAN, NULL};
		switch (m->kind) {
		case M_TZ: {
			const char *v = s;
			size_t vn = n;
			if (m->comp == 'z') {
				v += 3;
				vn -= 3;
			}
			double oh = 0, om = 0;
			if (m->sep) {
				char sb[8];
				size_t sl = jn_utf8_put(m->sep, sb);
				size_t at = vn;
				for (size_t k = 0; k + sl <= vn; k++)
					if (memcmp(v + k, sb, sl) == 0) {
						at = k;
						break;
					}
				oh = js_parse_int(v, at);
				om = at + sl <= vn ? js_parse_int(v + at + sl, vn - at - sl) : NAN;
			} else {
				size_t nd = vn - 1;
				if (nd <= 2) {
					oh = js_parse_int(v, vn);
				} else {
					oh = js_parse_int(v, 3);
					om = js_parse_int(v + 3, vn - 3);
				}
			}
			pc.v = oh * 60 + om;
			break;
		}
		case M_FRAC: {
			char b[8] = "0.";
			size_t k = n < 3 ? n : 3;
			memcpy(b + 2, s, k);
			b[2 + k] = 0;
			pc.v = strtod(b, NULL) * 1000;
			break;
		}
		case M_INT:
			pc.v = parse_int_part(c, m->f, s, n);
			break;
		case M_NAME: {
			const struct dpart *p = m->p;
			pc.defined = 0;
			if (p->comp == 'M' || p->comp == 'x' || p->comp == 'F') {
				int is_day = p->comp == 'F';
				int cnt = is_day ? 7 : 12;
				for (int k = 0; k < cnt; k++) {
					const char *name = is_day ? day_names[k + 1] : month_names[k];
					size_t nl = strlen(name);
					if (p->has_width && p->has_wmax && p->wmax > 0 && !isnan(p->wmax) &&
					    (double)nl > p->wmax)
						nl = (size_t)p->wmax;
					if (nl == n && memcmp(name, s, n) == 0) {
						pc.defined = 1;
						pc.v = k + 1;
					}
				}
			} else { /* P */
				if ((n == 2 && (memcmp(s, "am", 2) == 0 || memcmp(s, "AM", 2) == 0))) {
					pc.defined = 1;
					pc.v = 0;
				} else if (n == 2 && (memcmp(s, "pm", 2) == 0 || memcmp(s, "PM", 2) == 0)) {
					pc.defined = 1;
					pc.v = 1;
				}
			}
			break;
		}
		}
		if (m->comp < 128) {
			comps[m->comp] = pc;
			any = 1;
		}
	}
	if (!any)
		return 0;

	/* which date and time forms were given (datetime.js bit masks) */
	int mask = 0;
	for (const char *q = "YXMxWwdD"; *q; q++)
		mask = (mask << 1) | comp_truthy(&comps[(int)*q]);
#define IS_TYPE(t) (!(~(t) & mask) && ((t) & mask))
	int dateA = IS_TYPE(161);
	int dateB = !dateA && IS_TYPE(130);
	int dateC = IS_TYPE(84);
	int dateD = !dateC && IS_TYPE(72);
	mask = 0;
	for (const char *q = "PHhmsf"; *q; q++)
		mask = (mask << 1) | comp_truthy(&comps[(int)*q]);
	int timeA = IS_TYPE(23);
	int timeB = !timeA && IS_TYPE(47);
#undef IS_TYPE
	const char *dcomps = dateB ? "YD" : dateC ? "XxwF" : dateD ? "XWF" : "YMD";
	const char *tcomps = timeB ? "Phmsf" : "Hmsf";

	struct dtv now;
	dt_of((double)c->now_ms, &now);
	int start_specified = 0, end_specified = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (const char *q = pass ? tcomps : dcomps; *q; q++) {
			struct pcomp *pc = &comps[(int)*q];
			if (!pc->defined) {
				pc->present = pc->defined = 1;
				pc->is_str = 0;
				if (start_specified) {
					pc->v = strchr("MDd", *q) ? 1 : 0;
					end_specified = 1;
				} else {
					struct cval v = fragment(&now, (uint32_t)*q);
					if (v.kind == 2) {
						pc->is_str = 1;
						pc->str = v.str;
					} else {
						pc->v = v.num;
					}
				}
			} else {
				start_specified = 1;
				if (end_specified)
					return jn_throw(c, "D3136", -1, NULL, NULL);
			}
		}
	}
	struct pcomp *M = &comps['M'];
	if (M->defined && !M->is_str && M->v > 0)
		M->v -= 1;
	else {
		M->defined = 1;
		M->is_str = 0;
		M->v = 0;
	}
	double Y = comps['Y'].defined ? comps['Y'].v : NAN;
	double D = comps['D'].defined ? comps['D'].v : NAN;
	if (dateB) {
		double jan1 = js_date_utc(Y, 0, 1, 0, 0, 0, 0);
		double dd = comps['d'].defined ? comps['d'].v : NAN;
		struct dtv der;
		dt_of(jan1 + (dd - 1) * MS_PER_DAY, &der);
		M->v = der.mon0;
		D = der.day;
	}
	if (dateC || dateD)
		return jn_throw(c, "D3136", -1, NULL, NULL);
	double H = comps['H'].defined ? comps['H'].v : NAN;
	if (timeB) {
		double h = comps['h'].v;
		H = h == 12 ? 0 : h;
		if (!comps['P'].is_str && comps['P'].defined && comps['P'].v == 1)
			H += 12;
	}
	double millis = js_date_utc(Y, M->v, D, H, comps['m'].v, comps['s'].v, comps['f'].v);
	double zoff = comp_truthy(&comps['Z']) ? comps['Z'].v : comps['z'].defined ? comps['z'].v : NAN;
	if (comp_truthy(&comps['Z']) || comp_truthy(&comps['z']))
		millis -= zoff * 60 * 1000;
	*out = jn_num(c, millis);
	return 0;
}

/* ---------------------------------------------------------------- */
/* The functions                                                    */
/* ---------------------------------------------------------------- */

int jn_fn_now(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	return format_datetime(c, (double)c->now_ms, arg(call, 0), arg(call, 1), out);
}

int jn_fn_millis(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	(void)call;
	*out = jn_num(c, (double)c->now_ms);
	return 0;
}

int jn_fn_from_millis(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *ms = arg(call, 0);
	if (!ms)
		return 0;
	return format_datetime(c, ms->u.num, arg(call, 1), arg(call, 2), out);
}

int jn_fn_to_millis(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *ts = arg(call, 0), *pic = arg(call, 1);
	if (!ts)
		return 0;
	if (!pic) {
		if (!iso_re(ts->u.s.p, ts->u.s.len))
			return jn_throw(c, "D3110", -1, NULL, ts);
		*out = jn_num(c, iso_parse(ts->u.s.p, ts->u.s.len));
		return 0;
	}
	return parse_datetime(c, ts->u.s.p, ts->u.s.len, pic, out);
}
