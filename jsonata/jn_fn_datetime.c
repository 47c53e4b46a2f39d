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
 * - integer components ($formatInteger's picture language: decimal digit
 *   families, grouping separators, ordinals, words, roman, letters) go
 *   through jn_fn_intpic.c's jn_intpic_analyse/jn_intpic_format, as
 *   datetime.js shares _formatInteger with $formatInteger; the picture's
 *   widths then apply to UTF-16 code units, as datetime.js counts them;
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
 * The code is in three files: jn_fn_dtpic.c (date arithmetic, picture
 * analysis), this one (formatting, the builtins), jn_fn_dtparse.c
 * ($toMillis's parsing); jn_fn_dt.h is what they share.
 *
 * Thread-safety: none needed; everything lives in the evaluation's arena
 * (a PCRE2 pattern compiled for a picture is freed before anything else is
 * allocated). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jn_fn_dt.h"

static jv *arg(const struct jn_call *call, int i)
{
	return i < call->nargs ? call->args[i] : NULL;
}

/* ---------------------------------------------------------------- */
/* Formatting (datetime.js formatDateTime)                          */
/* ---------------------------------------------------------------- */

static double start_of_first_week(double year, double month)
{
	double jan1 = jn_dt_date_utc(year, month, 1, 0, 0, 0, 0);
	double dow = jn_dt_weekday(jan1);
	if (dow == 0)
		dow = 7;
	return dow > 4 ? jan1 + (8 - dow) * MS_PER_DAY : jan1 - (dow - 1) * MS_PER_DAY;
}

static double delta_weeks(double start, double end)
{
	return (end - start) / (MS_PER_DAY * 7) + 1;
}

struct cval jn_dt_fragment(const struct dtv *d, uint32_t comp)
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
		double today = jn_dt_date_utc(d->y, d->mon0, d->day, 0, 0, 0, 0);
		double jan1 = jn_dt_date_utc(d->y, 0, 1, 0, 0, 0, 0);
		v.num = (today - jan1) / MS_PER_DAY + 1;
		break;
	}
	case 'F':
		v.num = d->wday == 0 ? 7 : d->wday;
		break;
	case 'W': {
		double s1 = start_of_first_week(d->y, 0);
		double today = jn_dt_date_utc(d->y, d->mon0, d->day, 0, 0, 0, 0);
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
		double today = jn_dt_date_utc(d->y, d->mon0, d->day, 0, 0, 0, 0);
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
		struct cval v = jn_dt_fragment(date, comp);
		if (comp == 'Y' && p->n != -1)
			v.num = fmod(v.num, pow(10, p->n));
		if (p->names) {
			const char *name = NULL;
			if (comp == 'M' || comp == 'x') {
				if (v.num >= 1 && v.num <= 12 && v.num == floor(v.num))
					name = jn_dt_month_names[(int)v.num - 1];
			} else if (comp == 'F') {
				if (v.num >= 0 && v.num <= 7 && v.num == floor(v.num))
					name = jn_dt_day_names[(int)v.num];
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
		return jn_dt_format_int(c, out, v.num, &p->ifmt);
	}
	if (comp == 'f') {
		struct cval v = jn_dt_fragment(date, comp);
		if (!p->has_ifmt) { /* [fN]: a TypeError in datetime.js */
			struct jn_intpic plain;
			jn_intpic_analyse(c, "1", 1, &plain);
			return jn_dt_format_int(c, out, v.num, &plain);
		}
		return jn_dt_format_int(c, out, v.num, &p->ifmt);
	}
	if (comp == 'Z' || comp == 'z') {
		double offset = oh * 100 + om;
		struct u16 s = {0};
		if (p->ifmt.regular == 1) {
			if (jn_dt_format_int(c, &s, offset, &p->ifmt) < 0)
				return -1;
		} else {
			double nd = p->ifmt.has_mandatory ? p->ifmt.mandatory : NAN;
			if (nd == 1 || nd == 2) {
				if (jn_dt_format_int(c, &s, oh, &p->ifmt) < 0)
					return -1;
				if (om != 0) {
					struct jn_intpic two;
					jn_intpic_analyse(c, "00", 2, &two);
					u16_push(c, &s, ':');
					if (jn_dt_format_int(c, &s, floor(om), &two) < 0)
						return -1;
				}
			} else if (nd == 3 || nd == 4) {
				if (jn_dt_format_int(c, &s, offset, &p->ifmt) < 0)
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
		struct cval v = jn_dt_fragment(date, comp);
		struct u16 s = {0};
		u16_puts(c, &s, v.str);
		if (p->names == 1 + TC_UPPER)
			u16_upper_ascii(&s);
		u16_append(c, out, &s);
		return 0;
	}
	struct cval v = jn_dt_fragment(date, comp);
	u16_puts(c, out, v.kind == 2 ? v.str : "undefined");
	return 0;
}

static const char iso_picture[] = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

/* formatDateTime(millis, picture, timezone) */
static int format_datetime(struct jn_ctx *c, double millis, const jv *picture, const jv *tz, jv **out)
{
	double oh = 0, om = 0;
	if (tz) {
		double off = jn_dt_parse_int(tz->u.s.p, tz->u.s.len);
		oh = floor(off / 100);
		om = fmod(off, 100);
	}
	struct dspec spec;
	int rc = picture ? jn_dt_analyse(c, picture->u.s.p, picture->u.s.len, &spec)
			 : jn_dt_analyse(c, iso_picture, sizeof iso_picture - 1, &spec);
	if (rc < 0)
		return -1;
	double offms = (60 * oh + om) * 60 * 1000;
	struct dtv date;
	jn_dt_of(millis + offms, &date);
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
		if (!jn_dt_iso_re(ts->u.s.p, ts->u.s.len))
			return jn_throw(c, "D3110", -1, NULL, ts);
		*out = jn_num(c, jn_dt_iso_parse(ts->u.s.p, ts->u.s.len));
		return 0;
	}
	return jn_dt_parse(c, ts->u.s.p, ts->u.s.len, pic, out);
}
