/* jn_fn_format.c: $formatNumber (XPath F&O fn:format-number picture strings
 * and the decimal-format options) and $formatBase; $formatInteger and
 * $parseInteger are in jn_fn_intpic.c.
 *
 * These are ports of functions.js formatNumber/formatBase that keep their
 * exact behaviour, quirks
 * included (the exponent position measured in the sub-picture but applied
 * to the active part, the fractional grouping positions searched in the
 * integer part, ...): the picture and the result are handled as JavaScript
 * strings, arrays of UTF-16 code units (struct jn_u16), with the same
 * indexOf/substring/slice/substr semantics.
 *
 * Thread-safety: as every builtin (one evaluation's arena). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jn_fn_a.h"
#include "jn_fn_u16.h"
#include "jn_int.h"

static jv *arg(const struct jn_call *call, int i) { return i < call->nargs ? call->args[i] : NULL; }

/* ------------------------------------------------------------------ */
/* Numbers as JavaScript prints and rounds them                         */
/* ------------------------------------------------------------------ */

/* Math.round */
static double js_math_round(double x)
{
	if (!isfinite(x))
		return x;
	double r = floor(x);
	if (x - r >= 0.5)
		r += 1;
	return r;
}

/* "<mantissa>e<exp + shift>" re-read: the decimal shift of functions.js round() */
static double shift10(double v, double shift)
{
	char num[40], buf[80];
	size_t n = jn_num_fmt(v, num);
	num[n] = 0;
	char *e = strchr(num, 'e');
	long ex = 0;
	if (e) {
		*e = 0;
		ex = strtol(e + 1, NULL, 10);
	}
	snprintf(buf, sizeof buf, "%se%.0f", num, (double)ex + shift);
	return strtod(buf, NULL);
}

/* functions.js round(arg, precision): half to even on the decimal value. */
static double js_round(double arg, double precision)
{
	int shift = precision != 0 && !isnan(precision);
	if (shift)
		arg = shift10(arg, precision);
	double result = js_math_round(arg);
	double diff = result - arg;
	if (fabs(diff) == 0.5 && fabs(fmod(result, 2)) == 1)
		result -= 1;
	if (shift)
		result = shift10(result, -precision);
	if (result == 0)
		result = 0; /* -0 */
	return result;
}

/* Number.prototype.toFixed(dp) of |v| (v >= 0), as ASCII into the arena:
 * the exact binary value rounded to dp decimals, ties away from zero. */
static U js_to_fixed(struct jn_ctx *c, double v, int dp)
{
	char small[64];
	if (v >= 1e21 || !isfinite(v)) {
		size_t n = jn_num_fmt(v, small);
		return u_ascii(c, small, n);
	}
	if (dp < 0)
		dp = 0;
	/* a tie is only possible when the exact expansion stops at dp+1 with a
	 * 5: print 25 more digits than needed to see it */
	size_t cap = (size_t)dp + 400;
	char *buf = jn_alloc_raw(c, cap);
	int k;
	if (dp <= 22) {
		/* the common case, cheaply: v * 10^dp (one rounding: 10^dp is
		 * exact) is farther from a half than its error, so no tie */
		double x = v * pow(10, dp);
		double fr = x - floor(x);
		if (x < 1e15 && fabs(fr - 0.5) > x * 2.3e-16 + 1e-12) {
			k = snprintf(buf, cap, "%.*f", dp, v);
			return u_ascii(c, buf, (size_t)k);
		}
	}
	k = snprintf(buf, cap, "%.*f", dp + 25, v);
	char *dot = strchr(buf, '.');
	int tie = 0;
	if (dot && k > 0) {
		const char *t = dot + 1 + dp;
		if (*t == '5') {
			tie = 1;
			for (const char *q = t + 1; *q; q++)
				if (*q != '0')
					tie = 0;
		}
	}
	if (tie) {
		/* truncate at dp and add one unit in the last place */
		size_t len = (size_t)(dot - buf) + (dp ? (size_t)dp + 1 : 0);
		buf[len] = 0;
		long i = (long)len - 1;
		for (; i >= 0; i--) {
			if (buf[i] == '.')
				continue;
			if (buf[i] == '9') {
				buf[i] = '0';
				continue;
			}
			buf[i]++;
			break;
		}
		if (i < 0) {
			memmove(buf + 1, buf, len + 1);
			buf[0] = '1';
			len++;
		}
		return u_ascii(c, buf, len);
	}
	k = snprintf(buf, cap, "%.*f", dp, v);
	return u_ascii(c, buf, (size_t)k);
}

/* Number.prototype.toString(radix) for radix 2..36 (V8's
 * DoubleToRadixCString; the values here are integers after round()). */
static jv *js_to_radix(struct jn_ctx *c, double value, int radix)
{
	static const char chars[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char num[40];
	if (radix == 10 || !isfinite(value) || isnan(value)) {
		size_t n = jn_num_fmt(value, num);
		return jn_str(c, num, n);
	}
	int neg = value < 0;
	if (neg)
		value = -value;
	/* the values here are integers (round() before): no fraction digits */
	double integer = floor(value);
	char buf[1200];
	size_t cur = sizeof buf, fcur = sizeof buf;
	/* integer digits: those below the double's precision are zeros */
	while (integer / radix >= 9007199254740992.0) {
		integer /= radix;
		buf[--cur] = '0';
	}
	do {
		double rem = fmod(integer, radix);
		buf[--cur] = chars[(int)rem];
		integer = (integer - rem) / radix;
	} while (integer > 0 && cur > 1);
	if (neg)
		buf[--cur] = '-';
	return jn_str(c, buf + cur, fcur - cur);
}

/* ------------------------------------------------------------------ */
/* $formatNumber                                                         */
/* ------------------------------------------------------------------ */

enum {
	P_DECIMAL, P_GROUPING, P_EXPONENT, P_INFINITY, P_MINUS, P_NAN, P_PERCENT, P_PERMILLE, P_ZERO, P_DIGIT,
	P_PATTERN, P_COUNT
};
static const char *const prop_names[P_COUNT] = {
	"decimal-separator", "grouping-separator", "exponent-separator", "infinity", "minus-sign", "NaN",
	"percent", "per-mille", "zero-digit", "digit", "pattern-separator",
};
static const char *const prop_defaults[P_COUNT] = {
	".", ",", "e", "Infinity", "-", "NaN", "%", "\xe2\x80\xb0", "0", "#", ";",
};

struct nfmt {
	U p[P_COUNT];
	uint16_t family0; /* the zero digit's first unit */
	U actives[5];     /* decimal, exponent, grouping, digit, pattern */
};

static int is_family(const struct nfmt *f, uint16_t u) { return u >= f->family0 && u < (uint32_t)f->family0 + 10; }

/* activeChars.indexOf(ch) !== -1 for a one-unit ch */
static int is_active(const struct nfmt *f, uint16_t u)
{
	if (is_family(f, u))
		return 1;
	for (int i = 0; i < 5; i++)
		if (f->actives[i].n == 1 && f->actives[i].u[0] == u)
			return 1;
	return 0;
}

/* a one-unit string (charAt) equal to a property */
static int ch_is(U ch, U prop) { return u_eq(ch, prop); }

struct parts {
	U prefix, suffix, active, mantissa, exponent, integer, fraction, sub;
	int has_exponent;
};

static void split_parts(const struct nfmt *f, U sub, struct parts *r)
{
	memset(r, 0, sizeof *r);
	r->sub = sub;
	r->prefix = u_empty();
	for (size_t i = 0; i < sub.n; i++) {
		U ch = u_view(sub.u + i, 1);
		if (is_active(f, sub.u[i]) && !ch_is(ch, f->p[P_EXPONENT])) {
			r->prefix = u_view(sub.u, i);
			break;
		}
	}
	r->suffix = u_empty();
	for (size_t i = sub.n; i-- > 0;) {
		U ch = u_view(sub.u + i, 1);
		if (is_active(f, sub.u[i]) && !ch_is(ch, f->p[P_EXPONENT])) {
			r->suffix = u_view(sub.u + i + 1, sub.n - i - 1);
			break;
		}
	}
	r->active = u_substring(sub, (double)r->prefix.n, (double)sub.n - (double)r->suffix.n);
	long ep = u_indexof(sub, f->p[P_EXPONENT], (long)r->prefix.n);
	if (ep == -1 || (double)ep > (double)sub.n - (double)r->suffix.n) {
		r->mantissa = r->active;
		r->has_exponent = 0;
	} else {
		/* (sic) a position in the sub-picture used on the active part */
		r->mantissa = u_substring(r->active, 0, (double)ep);
		r->exponent = u_substring(r->active, (double)ep + 1, (double)r->active.n);
		r->has_exponent = 1;
	}
	long dp = u_indexof(r->mantissa, f->p[P_DECIMAL], 0);
	if (dp == -1) {
		r->integer = r->mantissa;
		r->fraction = r->suffix; /* (sic) */
	} else {
		r->integer = u_substring(r->mantissa, 0, (double)dp);
		r->fraction = u_substring(r->mantissa, (double)dp + 1, (double)r->mantissa.n);
	}
}

static size_t count_family(const struct nfmt *f, U s, int or_digit)
{
	size_t k = 0;
	for (size_t i = 0; i < s.n; i++)
		if (is_family(f, s.u[i]) || (or_digit && ch_is(u_view(s.u + i, 1), f->p[P_DIGIT])))
			k++;
	return k;
}

static const char *validate(const struct nfmt *f, const struct parts *pt)
{
	const char *error = NULL;
	U sub = pt->sub;
	long dpos = u_indexof(sub, f->p[P_DECIMAL], 0);
	if (dpos != u_lastindexof(sub, f->p[P_DECIMAL]))
		error = "D3081";
	if (u_indexof(sub, f->p[P_PERCENT], 0) != u_lastindexof(sub, f->p[P_PERCENT]))
		error = "D3082";
	if (u_indexof(sub, f->p[P_PERMILLE], 0) != u_lastindexof(sub, f->p[P_PERMILLE]))
		error = "D3083";
	if (u_indexof(sub, f->p[P_PERCENT], 0) != -1 && u_indexof(sub, f->p[P_PERMILLE], 0) != -1)
		error = "D3084";
	if (count_family(f, pt->mantissa, 1) == 0)
		error = "D3085";
	for (size_t i = 0; i < pt->active.n; i++)
		if (!is_active(f, pt->active.u[i])) {
			error = "D3086";
			break;
		}
	if (dpos != -1) {
		if (ch_is(u_char_at(sub, dpos - 1), f->p[P_GROUPING]) || ch_is(u_char_at(sub, dpos + 1), f->p[P_GROUPING]))
			error = "D3087";
	} else if (ch_is(u_char_at(pt->integer, (long)pt->integer.n - 1), f->p[P_GROUPING])) {
		error = "D3088";
	}
	{
		U gg = {NULL, 0};
		uint16_t two[16];
		if (f->p[P_GROUPING].n <= 8) {
			memcpy(two, f->p[P_GROUPING].u, f->p[P_GROUPING].n * sizeof *two);
			memcpy(two + f->p[P_GROUPING].n, f->p[P_GROUPING].u, f->p[P_GROUPING].n * sizeof *two);
			gg = u_view(two, f->p[P_GROUPING].n * 2);
			if (u_indexof(sub, gg, 0) != -1)
				error = "D3089";
		}
	}
	long op = u_indexof(pt->integer, f->p[P_DIGIT], 0);
	if (op != -1 && count_family(f, u_substring(pt->integer, 0, (double)op), 0) > 0)
		error = "D3090";
	op = u_lastindexof(pt->fraction, f->p[P_DIGIT]);
	if (op != -1 && count_family(f, u_substring(pt->fraction, (double)op, (double)pt->fraction.n), 0) > 0)
		error = "D3091";
	if (pt->has_exponent && pt->exponent.n > 0 &&
	    (u_indexof(sub, f->p[P_PERCENT], 0) != -1 || u_indexof(sub, f->p[P_PERMILLE], 0) != -1))
		error = "D3092";
	if (pt->has_exponent && (pt->exponent.n == 0 || count_family(f, pt->exponent, 0) != pt->exponent.n))
		error = "D3093";
	return error;
}

struct pic {
	long *igp; /* integer part grouping positions */
	size_t nigp;
	long regular;
	long min_int, scaling;
	U prefix, suffix, picture;
	long *fgp;
	size_t nfgp;
	long min_frac, max_frac, min_exp;
};

static long gcd(long a, long b) { return b == 0 ? a : gcd(b, a % b); }

static void grouping_positions(struct jn_ctx *c, const struct nfmt *f, const struct parts *pt, U part, int to_left,
			       long **out, size_t *nout)
{
	size_t cap = 4, n = 0;
	long *v = jn_alloc_raw(c, cap * sizeof *v);
	/* digits (family or optional) in part[0..i): linear, whatever the
	 * number of separators */
	size_t *pre = jn_alloc_raw(c, (part.n + 1) * sizeof *pre);
	pre[0] = 0;
	for (size_t i = 0; i < part.n; i++)
		pre[i + 1] = pre[i] + (is_family(f, part.u[i]) || ch_is(u_view(part.u + i, 1), f->p[P_DIGIT]));
	long gp = u_indexof(part, f->p[P_GROUPING], 0);
	while (gp != -1) {
		size_t at = (size_t)gp > part.n ? part.n : (size_t)gp; /* substring() clamps */
		if (n == cap) {
			v = jn_realloc(c, v, cap * sizeof *v, cap * 2 * sizeof *v);
			cap *= 2;
		}
		v[n++] = (long)(to_left ? pre[at] : pre[part.n] - pre[at]);
		/* (sic) the next one is searched in the integer part */
		gp = u_indexof(pt->integer, f->p[P_GROUPING], gp + 1);
	}
	*out = v;
	*nout = n;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

/* regular(indexes): the common interval when every multiple of it up to
 * the count is present, else 0 */
long jn_regular_of(struct jn_ctx *c, const long *idx, size_t n)
{
	if (n == 0)
		return 0;
	long factor = idx[0];
	for (size_t i = 1; i < n; i++)
		factor = gcd(factor, idx[i]);
	long *sorted = jn_alloc_raw(c, n * sizeof *sorted);
	memcpy(sorted, idx, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, cmp_long);
	for (size_t k = 1; k <= n; k++) {
		long want = (long)k * factor;
		if (!bsearch(&want, sorted, n, sizeof *sorted, cmp_long))
			return 0;
	}
	return factor;
}

static void analyse(struct jn_ctx *c, const struct nfmt *f, const struct parts *pt, struct pic *r)
{
	memset(r, 0, sizeof *r);
	grouping_positions(c, f, pt, pt->integer, 0, &r->igp, &r->nigp);
	r->regular = jn_regular_of(c, r->igp, r->nigp);
	grouping_positions(c, f, pt, pt->fraction, 1, &r->fgp, &r->nfgp);
	r->min_int = (long)count_family(f, pt->integer, 0);
	r->scaling = r->min_int;
	r->min_frac = (long)count_family(f, pt->fraction, 0);
	r->max_frac = (long)count_family(f, pt->fraction, 1);
	if (r->min_int == 0 && r->max_frac == 0) {
		if (pt->has_exponent) {
			r->min_frac = 1;
			r->max_frac = 1;
		} else {
			r->min_int = 1;
		}
	}
	if (pt->has_exponent && r->min_int == 0 && u_indexof(pt->integer, f->p[P_DIGIT], 0) != -1)
		r->min_int = 1;
	if (r->min_int == 0 && r->min_frac == 0)
		r->min_frac = 1;
	r->min_exp = pt->has_exponent ? (long)count_family(f, pt->exponent, 0) : 0;
	r->prefix = pt->prefix;
	r->suffix = pt->suffix;
	r->picture = pt->sub;
}

/* makeString(value, dp): toFixed of |value|, digits in the family */
static U make_string(struct jn_ctx *c, const struct nfmt *f, double value, long dp)
{
	U s = js_to_fixed(c, fabs(value), (int)(dp > 10000 ? 10000 : dp));
	U zero = u_ascii(c, "0", 1);
	if (!u_eq(f->p[P_ZERO], zero))
		for (size_t i = 0; i < s.n; i++)
			if (s.u[i] >= '0' && s.u[i] <= '9')
				s.u[i] = (uint16_t)(f->family0 + (s.u[i] - '0'));
	return s;
}

/* JavaScript String(v) of an option's value */
static U option_text(struct jn_ctx *c, const jv *v)
{
	if (jn_is_string(v))
		return u_of_jv(c, v);
	jv *s = NULL;
	if (jn_is_number(v)) {
		char num[40];
		size_t n = jn_num_fmt(v->u.num, num);
		return u_ascii(c, num, n);
	}
	if (jn_is_bool(v))
		return u_of(c, v->u.b ? "true" : "false");
	if (jn_is_null(v))
		return u_of(c, "null");
	if (jn_to_string(c, v, 0, &s) == 0 && s)
		return u_of_jv(c, s);
	return u_empty();
}

int jn_fn_formatNumber(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *value = arg(call, 0), *picture = arg(call, 1), *options = arg(call, 2);
	if (!value)
		return 0;
	struct nfmt f;
	for (int i = 0; i < P_COUNT; i++)
		f.p[i] = u_of(c, prop_defaults[i]);
	if (jn_is_object(options)) {
		for (size_t k = 0; k < options->u.o.n; k++) {
			const struct jn_kv *kv = &options->u.o.kv[k];
			for (int i = 0; i < P_COUNT; i++)
				if (strlen(prop_names[i]) == kv->k.len && !memcmp(prop_names[i], kv->k.p, kv->k.len))
					f.p[i] = option_text(c, kv->v);
		}
	}
	f.family0 = f.p[P_ZERO].n ? f.p[P_ZERO].u[0] : 0;
	f.actives[0] = f.p[P_DECIMAL];
	f.actives[1] = f.p[P_EXPONENT];
	f.actives[2] = f.p[P_GROUPING];
	f.actives[3] = f.p[P_DIGIT];
	f.actives[4] = f.p[P_PATTERN];

	if (!picture) /* JavaScript: a TypeError (no JSONata code) */
		return jn_throw_arg(c, "T0410", -1, NULL, 2, NULL, NULL);
	U pict = u_of_jv(c, picture);
	/* picture.split(pattern-separator) */
	U subs[3];
	size_t nsub = 0;
	if (f.p[P_PATTERN].n == 0) {
		for (size_t i = 0; i < pict.n && nsub < 3; i++)
			subs[nsub++] = u_view(pict.u + i, 1);
	} else {
		long from = 0;
		for (;;) {
			long at = u_indexof(pict, f.p[P_PATTERN], from);
			if (at == -1 || nsub == 3)
				break;
			subs[nsub++] = u_view(pict.u + from, (size_t)(at - from));
			from = at + (long)f.p[P_PATTERN].n;
		}
		if (nsub < 3)
			subs[nsub++] = u_view(pict.u + from, pict.n - (size_t)from);
	}
	if (nsub > 2)
		return jn_throw(c, "D3080", -1, NULL, NULL);

	struct parts pts[2];
	for (size_t i = 0; i < nsub; i++)
		split_parts(&f, subs[i], &pts[i]);
	for (size_t i = 0; i < nsub; i++) {
		const char *e = validate(&f, &pts[i]);
		if (e)
			return jn_throw(c, e, -1, NULL, NULL);
	}
	struct pic vars[2];
	for (size_t i = 0; i < nsub; i++)
		analyse(c, &f, &pts[i], &vars[i]);
	if (nsub == 1) {
		vars[1] = vars[0];
		vars[1].prefix = u_cat(c, f.p[P_MINUS], vars[0].prefix);
	}
	double v = value->u.num;
	const struct pic *pic = v >= 0 ? &vars[0] : &vars[1];
	double adjusted;
	if (u_indexof(pic->picture, f.p[P_PERCENT], 0) != -1)
		adjusted = v * 100;
	else if (u_indexof(pic->picture, f.p[P_PERMILLE], 0) != -1)
		adjusted = v * 1000;
	else
		adjusted = v;
	double mantissa, exponent = 0;
	int has_exp = 0;
	if (pic->min_exp == 0) {
		mantissa = adjusted;
	} else {
		double maxm = pow(10, (double)pic->scaling), minm = pow(10, (double)pic->scaling - 1);
		mantissa = adjusted;
		has_exp = 1;
		if (mantissa != 0 && isfinite(mantissa)) {
			while (fabs(mantissa) < minm) {
				mantissa *= 10;
				exponent -= 1;
			}
			while (fabs(mantissa) > maxm) {
				mantissa /= 10;
				exponent += 1;
			}
		}
	}
	if (pic->max_frac > 100) /* toFixed(): a RangeError (no JSONata code) */
		return jn_throw(c, "D1001", -1, NULL, jn_num(c, (double)pic->max_frac));
	double rounded = js_round(mantissa, (double)pic->max_frac);
	U sv = make_string(c, &f, rounded, pic->max_frac);
	U dot = u_ascii(c, ".", 1);
	long dpos = u_indexof(sv, dot, 0);
	if (dpos == -1)
		sv = u_cat(c, sv, f.p[P_DECIMAL]);
	else
		sv = u_cat3(c, u_view(sv.u, (size_t)dpos), f.p[P_DECIMAL], u_view(sv.u + dpos + 1, sv.n - (size_t)dpos - 1));
	while (ch_is(u_char_at(sv, 0), f.p[P_ZERO]) && sv.n)
		sv = u_view(sv.u + 1, sv.n - 1);
	while (sv.n && ch_is(u_char_at(sv, (long)sv.n - 1), f.p[P_ZERO]))
		sv.n--;
	dpos = u_indexof(sv, f.p[P_DECIMAL], 0);
	double padl = (double)pic->min_int - (double)dpos;
	double padr = (double)pic->min_frac - ((double)sv.n - (double)dpos - 1);
	sv = u_cat3(c, padl > 0 ? u_repeat(c, f.p[P_ZERO], padl) : u_empty(), sv,
		    padr > 0 ? u_repeat(c, f.p[P_ZERO], padr) : u_empty());
	dpos = u_indexof(sv, f.p[P_DECIMAL], 0);
	size_t svcap = 0; /* sv is not ours to grow in place yet */
	if (pic->regular > 0) {
		long groups = (long)floor((double)(dpos - 1) / (double)pic->regular);
		for (long g = 1; g <= groups; g++) {
			double at = (double)dpos - (double)g * (double)pic->regular;
			sv = u_slice_insert(c, sv, &svcap, at, f.p[P_GROUPING]);
			if (jn_tick(c) < 0)
				return -1;
		}
	} else {
		for (size_t i = 0; i < pic->nigp; i++) {
			double at = (double)dpos - (double)pic->igp[i];
			sv = u_slice_insert(c, sv, &svcap, at, f.p[P_GROUPING]);
			dpos++;
			if (jn_tick(c) < 0)
				return -1;
		}
	}
	dpos = u_indexof(sv, f.p[P_DECIMAL], 0);
	for (size_t i = 0; i < pic->nfgp; i++) {
		double at = (double)pic->fgp[i] + (double)dpos + 1;
		sv = u_slice_insert(c, sv, &svcap, at, f.p[P_GROUPING]);
		if (jn_tick(c) < 0)
			return -1;
	}
	dpos = u_indexof(sv, f.p[P_DECIMAL], 0);
	if (u_indexof(pic->picture, f.p[P_DECIMAL], 0) == -1 || dpos == (long)sv.n - 1)
		sv = u_substring(sv, 0, (double)sv.n - 1);
	if (has_exp) {
		U se = make_string(c, &f, exponent, 0);
		double pad = (double)pic->min_exp - (double)se.n;
		if (pad > 0)
			se = u_cat(c, u_repeat(c, f.p[P_ZERO], pad), se);
		sv = u_cat(c, sv, f.p[P_EXPONENT]);
		if (exponent < 0)
			sv = u_cat(c, sv, f.p[P_MINUS]);
		sv = u_cat(c, sv, se);
	}
	sv = u_cat3(c, pic->prefix, sv, pic->suffix);
	*out = u_str(c, sv);
	return 0;
}

/* ------------------------------------------------------------------ */
/* $formatBase                                                           */
/* ------------------------------------------------------------------ */

int jn_fn_formatBase(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *value = arg(call, 0), *radix = arg(call, 1);
	if (!value)
		return 0;
	double v = js_round(value->u.num, 0);
	double r = radix ? js_round(radix->u.num, 0) : 10;
	if (r < 2 || r > 36)
		return jn_throw(c, "D3100", -1, NULL, jn_num(c, r));
	*out = js_to_radix(c, v, (int)r);
	return 0;
}

