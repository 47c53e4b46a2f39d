/* jn_fn_dtpic.c: what the date/time functions build on (jn_fn_dt.h):
 * JavaScript's parseInt and Date arithmetic (MakeDay, MakeTime, TimeClip,
 * Date.UTC's two-digit years), a time's UTC fields, the integer pictures
 * (jn_fn_intpic.c's, as datetime.js shares _formatInteger with
 * $formatInteger) and the analysis of a picture string
 * (analyseDateTimePicture). jn_fn_datetime.c says how they follow
 * datetime.js.
 *
 * Thread-safety: none needed (the evaluation's arena). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jn_fn_dt.h"

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
double jn_dt_parse_int(const char *s, size_t n)
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

double jn_dt_time_clip(double t)
{
	if (!isfinite(t) || fabs(t) > 8.64e15)
		return NAN;
	return trunc(t) + 0.0;
}

/* MakeDate/TimeClip of the fields as given (Date.parse: no two-digit years) */
double jn_dt_date_fields(double y, double m, double d, double h, double mi, double s, double ms)
{
	double day = js_make_day(y, m, d), t = js_make_time(h, mi, s, ms);
	if (isnan(day) || isnan(t))
		return NAN;
	return jn_dt_time_clip(day * MS_PER_DAY + t);
}

/* Date.UTC(y, m, d, h, mi, s, ms) */
double jn_dt_date_utc(double y, double m, double d, double h, double mi, double s, double ms)
{
	if (isnan(y))
		return NAN;
	double yi = trunc(y);
	if (yi >= 0 && yi <= 99)
		y = 1900 + yi;
	double day = js_make_day(y, m, d), t = js_make_time(h, mi, s, ms);
	if (isnan(day) || isnan(t))
		return NAN;
	return jn_dt_time_clip(day * MS_PER_DAY + t);
}

void jn_dt_of(double t, struct dtv *d)
{
	d->t = jn_dt_time_clip(t);
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

double jn_dt_weekday(double t)
{
	if (isnan(t))
		return NAN;
	double w = fmod(floor(t / MS_PER_DAY) + 4, 7);
	return w < 0 ? w + 7 : w;
}

/* ---------------------------------------------------------------- */
/* Integer pictures: jn_fn_intpic.c's (jn_intpic_*), as datetime.js     */
/* shares analyseIntegerPicture/_formatInteger with formatInteger       */
/* ---------------------------------------------------------------- */

const char *const jn_dt_month_names[] = {"January", "February", "March",     "April",   "May",	 "June",
					  "July",    "August",	 "September", "October", "November", "December"};
const char *const jn_dt_day_names[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

/* _formatInteger(value, format), appended to out. 0, or -1 (D3130, U1002). */
int jn_dt_format_int(struct jn_ctx *c, struct u16 *out, double value, const struct jn_intpic *f)
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
	*v = jn_dt_parse_int(s, len);
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

int jn_dt_analyse(struct jn_ctx *c, const char *pic, size_t len, struct dspec *spec)
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

