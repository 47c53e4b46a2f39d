/* jn_fn_format.c: $formatNumber (XPath F&O fn:format-number picture strings
 * and the decimal-format options), $formatBase, $formatInteger and
 * $parseInteger (fn:format-integer pictures: decimal digit patterns of any
 * Unicode digit family, grouping, ordinals, letters, roman numerals,
 * English words).
 *
 * These are ports of functions.js formatNumber/formatBase and datetime.js
 * formatInteger/parseInteger that keep their exact behaviour, quirks
 * included (the exponent position measured in the sub-picture but applied
 * to the active part, the fractional grouping positions searched in the
 * integer part, ...): the picture and the result are handled as JavaScript
 * strings, arrays of UTF-16 code units (struct jn_u16), with the same
 * indexOf/substring/slice/substr semantics.
 *
 * The integer picture code is also what $fromMillis needs for its integer
 * components: jn_intpic_analyse() / jn_intpic_format() (jn_fn_a.h).
 *
 * Thread-safety: as every builtin (one evaluation's arena). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jn_fn_a.h"
#include "jn_int.h"

static jv *arg(const struct jn_call *call, int i) { return i < call->nargs ? call->args[i] : NULL; }

/* ------------------------------------------------------------------ */
/* JavaScript string operations on UTF-16 units                         */
/* ------------------------------------------------------------------ */

typedef struct jn_u16 U;

static U u_view(const uint16_t *u, size_t n) { return (U){(uint16_t *)u, n}; }
static U u_empty(void) { return (U){NULL, 0}; }

static U u_of(struct jn_ctx *c, const char *s) { return jn_u16_from(c, s, strlen(s)); }
static U u_of_jv(struct jn_ctx *c, const jv *v) { return jn_u16_from(c, v->u.s.p, v->u.s.len); }

static int u_eq(U a, U b) { return a.n == b.n && (a.n == 0 || !memcmp(a.u, b.u, a.n * sizeof *a.u)); }

/* s.indexOf(t, from) */
static long u_indexof(U s, U t, long from)
{
	if (from < 0)
		from = 0;
	if ((size_t)from > s.n)
		from = (long)s.n;
	if (t.n == 0)
		return from;
	for (size_t i = (size_t)from; i + t.n <= s.n; i++)
		if (s.u[i] == t.u[0] && !memcmp(s.u + i, t.u, t.n * sizeof *t.u))
			return (long)i;
	return -1;
}

/* s.lastIndexOf(t) */
static long u_lastindexof(U s, U t)
{
	if (t.n > s.n)
		return -1;
	for (size_t i = s.n - t.n + 1; i-- > 0;)
		if (t.n == 0 || !memcmp(s.u + i, t.u, t.n * sizeof *t.u))
			return (long)i;
	return -1;
}

static double clampd(double d, double lo, double hi) { return d < lo ? lo : d > hi ? hi : d; }

/* s.substring(a, b) (b < 0 or NAN-free: pass s.n for "to the end") */
static U u_substring(U s, double a, double b)
{
	a = clampd(jn_js_toint(a), 0, (double)s.n);
	b = clampd(jn_js_toint(b), 0, (double)s.n);
	if (a > b) {
		double t = a;
		a = b;
		b = t;
	}
	return u_view(s.u + (size_t)a, (size_t)(b - a));
}

/* s.substr(start, length) (length < 0 given as HUGE_VAL for "absent") */
static U u_substr(U s, double start, double length)
{
	double n = (double)s.n;
	start = jn_js_toint(start);
	if (start < 0)
		start = start + n < 0 ? 0 : start + n;
	if (start > n)
		start = n;
	length = clampd(jn_js_toint(length), 0, n - start);
	return u_view(s.u + (size_t)start, (size_t)length);
}

static U u_cat(struct jn_ctx *c, U a, U b)
{
	U r;
	r.n = a.n + b.n;
	r.u = jn_alloc_raw(c, (r.n + 1) * sizeof *r.u);
	if (a.n)
		memcpy(r.u, a.u, a.n * sizeof *r.u);
	if (b.n)
		memcpy(r.u + a.n, b.u, b.n * sizeof *r.u);
	return r;
}

static U u_cat3(struct jn_ctx *c, U a, U b, U d) { return u_cat(c, u_cat(c, a, b), d); }

/* s.charAt(i) */
static U u_char_at(U s, long i)
{
	if (i < 0 || (size_t)i >= s.n)
		return u_empty();
	return u_view(s.u + i, 1);
}

static U u_repeat(struct jn_ctx *c, U s, double times)
{
	U r = u_empty();
	if (!(times > 0) || s.n == 0)
		return r;
	r.n = s.n * (size_t)times;
	r.u = jn_alloc_raw(c, (r.n + 1) * sizeof *r.u);
	for (size_t i = 0; i < (size_t)times; i++)
		memcpy(r.u + i * s.n, s.u, s.n * sizeof *r.u);
	return r;
}

static U u_ascii(struct jn_ctx *c, const char *s, size_t n)
{
	U r;
	r.n = n;
	r.u = jn_alloc_raw(c, (n + 1) * sizeof *r.u);
	for (size_t i = 0; i < n; i++)
		r.u[i] = (unsigned char)s[i];
	return r;
}

static jv *u_str(struct jn_ctx *c, U s) { return jn_u16_str(c, s.u, s.n); }

/* s with ins inserted at index at (0..s.n), in place when s has room (cap
 * units): the separators' insertion loops stay linear in memory. */
static U u_insert(struct jn_ctx *c, U s, size_t *cap, size_t at, U ins)
{
	if (s.n + ins.n > *cap) {
		size_t ncap = (s.n + ins.n) * 2 + 16;
		uint16_t *nu = jn_alloc_raw(c, ncap * sizeof *nu);
		if (s.n)
			memcpy(nu, s.u, s.n * sizeof *nu);
		s.u = nu;
		*cap = ncap;
	}
	memmove(s.u + at + ins.n, s.u + at, (s.n - at) * sizeof *s.u);
	if (ins.n)
		memcpy(s.u + at, ins.u, ins.n * sizeof *s.u);
	s.n += ins.n;
	return s;
}

/* s.slice(0, at) + ins + s.slice(at): an insertion at the index slice()
 * resolves at to */
static U u_slice_insert(struct jn_ctx *c, U s, size_t *cap, double at, U ins)
{
	double n = (double)s.n;
	at = jn_js_toint(at);
	at = at < 0 ? (at + n < 0 ? 0 : at + n) : (at > n ? n : at);
	return u_insert(c, s, cap, (size_t)at, ins);
}

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
static long regular_of(struct jn_ctx *c, const long *idx, size_t n)
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
	r->regular = regular_of(c, r->igp, r->nigp);
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

/* ------------------------------------------------------------------ */
/* Integer pictures (datetime.js): analysis, words, roman, letters      */
/* ------------------------------------------------------------------ */

static const char *const few[] = {"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine",
				  "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen",
				  "Seventeen", "Eighteen", "Nineteen"};
static const char *const ordinals[] = {"Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth",
				       "Seventh", "Eighth", "Ninth", "Tenth", "Eleventh", "Twelfth", "Thirteenth",
				       "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth",
				       "Nineteenth"};
static const char *const decades[] = {"Twenty", "Thirty", "Forty", "Fifty", "Sixty",
				      "Seventy", "Eighty", "Ninety", "Hundred"};
static const char *const magnitudes[] = {"Thousand", "Million", "Billion", "Trillion"};

/* The Unicode decimal digit groups datetime.js knows (their zeros). */
static const uint32_t decimal_groups[] = {
	0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
	0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
	0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10};

int jn_intpic_analyse(struct jn_ctx *c, const char *pic, size_t n, struct jn_intpic *f)
{
	memset(f, 0, sizeof *f);
	f->primary = JN_INT_DECIMAL;
	f->tcase = JN_CASE_LOWER;
	/* picture.lastIndexOf(';') (';' is ASCII: bytes will do) */
	size_t pn = n;
	for (size_t i = n; i-- > 0;)
		if (pic[i] == ';') {
			pn = i;
			if (i + 1 < n && pic[i + 1] == 'o')
				f->ordinal = 1;
			break;
		}
	const char *p = pic;
	if (pn == 1 && (p[0] == 'A' || p[0] == 'a')) {
		f->primary = JN_INT_LETTERS;
		f->tcase = p[0] == 'A' ? JN_CASE_UPPER : JN_CASE_LOWER;
		return 0;
	}
	if (pn == 1 && (p[0] == 'I' || p[0] == 'i')) {
		f->primary = JN_INT_ROMAN;
		f->tcase = p[0] == 'I' ? JN_CASE_UPPER : JN_CASE_LOWER;
		return 0;
	}
	if ((pn == 1 && (p[0] == 'W' || p[0] == 'w')) || (pn == 2 && p[0] == 'W' && p[1] == 'w')) {
		f->primary = JN_INT_WORDS;
		f->tcase = pn == 2 ? JN_CASE_TITLE : p[0] == 'W' ? JN_CASE_UPPER : JN_CASE_LOWER;
		return 0;
	}
	/* a decimal-digit-pattern when it has a digit of any group; read from
	 * the right, so that separator positions count digits to their right */
	size_t ncp = jn_utf8_cplen(p, pn);
	uint32_t *cps = jn_alloc_raw(c, (ncp + 1) * sizeof *cps);
	size_t k = 0;
	for (size_t i = 0; i < pn;)
		cps[k++] = jn_utf8_next(p, pn, &i);
	int have_zero = 0;
	long seppos = 0;
	size_t capsep = 4;
	f->sep = jn_alloc_raw(c, capsep * sizeof *f->sep);
	for (size_t r = k; r-- > 0;) {
		uint32_t cp = cps[r];
		int digit = 0;
		for (size_t g = 0; g < sizeof decimal_groups / sizeof decimal_groups[0]; g++) {
			uint32_t grp = decimal_groups[g];
			if (cp >= grp && cp <= grp + 9) {
				digit = 1;
				f->mandatory++;
				seppos++;
				if (!have_zero) {
					f->zero_code = grp;
					have_zero = 1;
				} else if (grp != f->zero_code) {
					return jn_throw(c, "D3131", -1, NULL, NULL);
				}
				break;
			}
		}
		if (digit)
			continue;
		if (cp == '#') {
			seppos++;
			f->optional++;
			continue;
		}
		if (f->nsep == capsep) {
			f->sep = jn_realloc(c, f->sep, capsep * sizeof *f->sep, capsep * 2 * sizeof *f->sep);
			capsep *= 2;
		}
		f->sep[f->nsep++] = (struct jn_intsep){seppos, cp};
	}
	if (f->mandatory == 0) {
		f->primary = JN_INT_SEQUENCE;
		f->token = jn_memdup(c, p, pn);
		f->token_len = pn;
		return 0;
	}
	f->has_mandatory = 1;
	/* regular grouping: one character at multiples of one interval */
	if (f->nsep > 0) {
		int same = 1;
		for (size_t i = 1; i < f->nsep; i++)
			if (f->sep[i].cp != f->sep[0].cp)
				same = 0;
		if (same) {
			long *idx = jn_alloc_raw(c, f->nsep * sizeof *idx);
			for (size_t i = 0; i < f->nsep; i++)
				idx[i] = f->sep[i].position;
			long factor = regular_of(c, idx, f->nsep);
			if (factor > 0) {
				f->regular = 1;
				f->sep[0].position = factor;
				f->nsep = 1;
			}
		}
	}
	return 0;
}

/* numberToWords' lookup() */
static void words(struct jn_ctx *c, struct jn_sb *b, double num, int prev, int ord)
{
	if (num <= 19) {
		if (prev)
			jn_sb_puts(c, b, " and ");
		jn_sb_puts(c, b, ord ? ordinals[(int)num] : few[(int)num]);
	} else if (num < 100) {
		int tens = (int)floor(num / 10), rem = (int)fmod(num, 10);
		if (prev)
			jn_sb_puts(c, b, " and ");
		const char *d = decades[tens - 2];
		if (rem > 0) {
			jn_sb_puts(c, b, d);
			jn_sb_putc(c, b, '-');
			words(c, b, rem, 0, ord);
		} else if (ord) {
			jn_sb_put(c, b, d, strlen(d) - 1);
			jn_sb_puts(c, b, "ieth");
		} else {
			jn_sb_puts(c, b, d);
		}
	} else if (num < 1000) {
		int hundreds = (int)floor(num / 100);
		double rem = fmod(num, 100);
		if (prev)
			jn_sb_puts(c, b, ", ");
		jn_sb_puts(c, b, few[hundreds]);
		jn_sb_puts(c, b, " Hundred");
		if (rem > 0)
			words(c, b, rem, 1, ord);
		else if (ord)
			jn_sb_puts(c, b, "th");
	} else {
		int mag = (int)floor(log10(num) / 3);
		if (mag > 4)
			mag = 4;
		double factor = pow(10, mag * 3);
		double mant = floor(num / factor);
		double rem = num - mant * factor;
		if (prev)
			jn_sb_puts(c, b, ", ");
		words(c, b, mant, 0, 0);
		jn_sb_putc(c, b, ' ');
		jn_sb_puts(c, b, magnitudes[mag - 1]);
		if (rem > 0)
			words(c, b, rem, 1, ord);
		else if (ord)
			jn_sb_puts(c, b, "th");
	}
}

static const struct {
	double v;
	const char *s;
} roman[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
	     {40, "xl"},  {10, "x"},   {9, "ix"},   {5, "v"},    {4, "iv"},   {1, "i"}};

int jn_intpic_format(struct jn_ctx *c, double value, const struct jn_intpic *f, struct jn_sb *b)
{
	value = floor(value);
	int negative = value < 0;
	value = fabs(value);
	size_t start = b->n;
	if (negative && f->primary != JN_INT_SEQUENCE)
		jn_sb_putc(c, b, '-');
	switch (f->primary) {
	case JN_INT_LETTERS: {
		char tmp[512];
		size_t n = sizeof tmp;
		char a = f->tcase == JN_CASE_UPPER ? 'A' : 'a';
		while (value > 0 && n > 0) {
			tmp[--n] = (char)(fmod(value - 1, 26) + a);
			value = floor((value - 1) / 26);
		}
		jn_sb_put(c, b, tmp + n, sizeof tmp - n);
		break;
	}
	case JN_INT_ROMAN: {
		/* decimalToRoman: one 'm' per thousand, then at most 15 more
		 * numerals. The reference recurses once per numeral and its
		 * stack gives out somewhere past 9,000 'm's (how far depends on
		 * the stack); tutti writes them all, as the reference would with
		 * a stack big enough, under the memory cap (U1002 before any is
		 * written when they would not fit: 1e21 is 1e18 'm's). */
		double ms = floor(value / 1000);
		if (isinf(value)) /* the reference recurses until its stack gives out */
			return jn_throw(c, "D1011", -1, NULL, NULL);
		if (jn_room(c, ms + 16) < 0)
			return -1;
		char chunk[4096];
		memset(chunk, f->tcase == JN_CASE_UPPER ? 'M' : 'm', sizeof chunk);
		for (double left = ms; left > 0;) {
			size_t n = left < (double)sizeof chunk ? (size_t)left : sizeof chunk;
			jn_sb_put(c, b, chunk, n);
			left -= (double)n;
			if (jn_tick(c) < 0)
				return -1;
		}
		value -= ms * 1000;
		for (size_t i = 1; i < sizeof roman / sizeof roman[0]; i++)
			while (value >= roman[i].v) {
				const char *s = roman[i].s;
				for (; *s; s++)
					jn_sb_putc(c, b, f->tcase == JN_CASE_UPPER ? (char)(*s - 32) : *s);
				value -= roman[i].v;
			}
		break;
	}
	case JN_INT_WORDS: {
		size_t at = b->n;
		/* NaN and Infinity (10%0, 1/0): the reference recurses until its
		 * stack gives out; here they would index past the magnitudes
		 * (found by fuzz_jsonata). D1011, as for roman numerals past
		 * what the reference can print. */
		if (!isfinite(value))
			return jn_throw(c, "D1011", -1, NULL, NULL);
		words(c, b, value, 0, f->ordinal);
		for (size_t i = at; i < b->n; i++) {
			char ch = b->p[i];
			if (f->tcase == JN_CASE_UPPER && ch >= 'a' && ch <= 'z')
				b->p[i] = (char)(ch - 32);
			else if (f->tcase == JN_CASE_LOWER && ch >= 'A' && ch <= 'Z')
				b->p[i] = (char)(ch + 32);
		}
		break;
	}
	case JN_INT_DECIMAL: {
		char num[40];
		size_t nn = jn_num_fmt(value, num);
		U fi = u_ascii(c, num, nn);
		double pad = f->has_mandatory ? f->mandatory - (double)fi.n : NAN;
		/* a date/time width ([Y,1000000000]) can make it huge: the zeros
		 * pass through UTF-16 copies, then UTF-8, then the date/time
		 * picture's own UTF-16: about 12 bytes each at most */
		if (jn_room(c, pad * 12) < 0)
			return -1;
		if (pad > 0)
			fi = u_cat(c, u_repeat(c, u_ascii(c, "0", 1), pad), fi);
		if (f->zero_code != 0x30) {
			struct jn_sb t;
			jn_sb_init(&t);
			for (size_t i = 0; i < fi.n; i++)
				jn_sb_cp(c, &t, fi.u[i] + f->zero_code - 0x30);
			fi = jn_u16_from(c, t.p ? t.p : "", t.n);
		}
		if (f->regular) {
			struct jn_sb t;
			jn_sb_init(&t);
			jn_sb_cp(c, &t, f->sep[0].cp);
			U sep = jn_u16_from(c, t.p, t.n);
			double pos = (double)f->sep[0].position;
			double n = floor(((double)fi.n - 1) / pos);
			size_t ficap = 0;
			for (double ii = n; ii > 0; ii--) {
				/* at >= 1 here: substr() is a plain insertion */
				double at = (double)fi.n - ii * pos;
				fi = u_insert(c, fi, &ficap, (size_t)at, sep);
				if (jn_tick(c) < 0)
					return -1;
			}
		} else {
			for (size_t i = f->nsep; i-- > 0;) {
				struct jn_sb t;
				jn_sb_init(&t);
				jn_sb_cp(c, &t, f->sep[i].cp);
				U sep = jn_u16_from(c, t.p, t.n);
				double at = (double)fi.n - (double)f->sep[i].position;
				fi = u_cat3(c, u_substr(fi, 0, at), sep, u_substr(fi, at, HUGE_VAL));
				if (jn_tick(c) < 0)
					return -1;
			}
		}
		if (f->ordinal) {
			const char *suffix = NULL;
			uint16_t last = fi.n ? fi.u[fi.n - 1] : 0;
			if (last == '1')
				suffix = "st";
			else if (last == '2')
				suffix = "nd";
			else if (last == '3')
				suffix = "rd";
			if (!suffix || (fi.n > 1 && fi.u[fi.n - 2] == '1'))
				suffix = "th";
			fi = u_cat(c, fi, u_ascii(c, suffix, 2));
		}
		jn_sb_u16(c, b, fi.u, fi.n);
		break;
	}
	default: {
		b->n = start;
		jv *tok = jn_str(c, f->token ? f->token : "", f->token ? f->token_len : 0);
		return jn_throw(c, "D3130", -1, NULL, tok);
	}
	}
	return 0;
}

int jn_fn_formatInteger(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *value = arg(call, 0), *picture = arg(call, 1);
	if (!value)
		return 0;
	struct jn_intpic f;
	if (!picture) /* JavaScript: a TypeError (no JSONata code) */
		return jn_throw_arg(c, "T0410", -1, NULL, 2, NULL, NULL);
	const char *pp = picture->u.s.p;
	size_t pn = picture->u.s.len;
	if (jn_intpic_analyse(c, pp, pn, &f) < 0)
		return -1;
	struct jn_sb b;
	jn_sb_init(&b);
	if (jn_intpic_format(c, value->u.num, &f, &b) < 0)
		return -1;
	*out = jn_sb_str(c, &b);
	return 0;
}

/* ------------------------------------------------------------------ */
/* $parseInteger                                                         */
/* ------------------------------------------------------------------ */

/* datetime.js wordValues */
static double word_value(const char *w, size_t n)
{
	char low[32];
	if (n == 0 || n >= sizeof low)
		return NAN;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)((w[i] >= 'A' && w[i] <= 'Z') ? w[i] + 32 : w[i]);
	low[n] = 0;
	for (int i = 0; i < 20; i++) {
		if (!strcasecmp(low, few[i]) || !strcasecmp(low, ordinals[i]))
			return i;
	}
	for (int i = 0; i < 9; i++) {
		char ieth[32];
		size_t dl = strlen(decades[i]);
		snprintf(ieth, sizeof ieth, "%.*sieth", (int)dl - 1, decades[i]);
		if (!strcasecmp(low, decades[i]) || !strcasecmp(low, ieth))
			return (i + 2) * 10;
	}
	if (!strcmp(low, "hundredth"))
		return 100;
	for (int i = 0; i < 4; i++) {
		char th[32];
		snprintf(th, sizeof th, "%sth", magnitudes[i]);
		if (!strcasecmp(low, magnitudes[i]) || !strcasecmp(low, th))
			return pow(10, (i + 1) * 3);
	}
	return NAN; /* undefined */
}

/* \s of a JavaScript regex, on one unit */
static int js_ws_unit(uint16_t u)
{
	return (u >= 9 && u <= 13) || u == 32 || u == 0xa0 || u == 0x1680 || (u >= 0x2000 && u <= 0x200a) ||
	       u == 0x2028 || u == 0x2029 || u == 0x202f || u == 0x205f || u == 0x3000 || u == 0xfeff;
}

/* wordsToNumber(text): text already lower-cased */
static double words_to_number(struct jn_ctx *c, U t)
{
	/* text.split(/,\s|\sand\s|[\s\\-]/) */
	size_t cap = 8, nseg = 1;
	double *segs = jn_alloc_raw(c, cap * sizeof *segs);
	segs[0] = 0;
	size_t i = 0, from = 0;
	for (;;) {
		size_t skip = 0;
		int at_end = i >= t.n;
		if (!at_end) {
			uint16_t ch = t.u[i];
			if (ch == ',' && i + 1 < t.n && js_ws_unit(t.u[i + 1]))
				skip = 2;
			else if (js_ws_unit(ch) && i + 4 < t.n && t.u[i + 1] == 'a' && t.u[i + 2] == 'n' &&
				 t.u[i + 3] == 'd' && js_ws_unit(t.u[i + 4]))
				skip = 5;
			else if (js_ws_unit(ch) || ch == '\\' || ch == '-')
				skip = 1;
		}
		if (!at_end && !skip) {
			i++;
			continue;
		}
		/* a part: t[from..i) */
		struct jn_sb pb;
		jn_sb_init(&pb);
		jn_sb_u16(c, &pb, t.u + from, i - from);
		double value = word_value(pb.p ? pb.p : "", pb.n);
		if (value < 100) {
			double top = segs[--nseg];
			if (top >= 1000) {
				segs[nseg++] = top;
				top = 0;
			}
			if (nseg == cap) {
				segs = jn_realloc(c, segs, cap * sizeof *segs, cap * 2 * sizeof *segs);
				cap *= 2;
			}
			segs[nseg++] = top + value;
		} else {
			/* also undefined (NaN): segs.pop() * undefined */
			segs[nseg - 1] = segs[nseg - 1] * value;
		}
		if (at_end)
			break;
		i += skip;
		from = i;
	}
	double sum = 0;
	for (size_t k = 0; k < nseg; k++)
		sum += segs[k];
	return sum;
}

double jn_words_to_number(struct jn_ctx *c, const char *s, size_t n)
{
	return words_to_number(c, jn_u16_from(c, s, n));
}

/* JavaScript's parseInt(s, 10) over units. */
static double js_parse_int10(U s)
{
	size_t i = 0;
	while (i < s.n && js_ws_unit(s.u[i]))
		i++;
	int neg = 0;
	if (i < s.n && (s.u[i] == '+' || s.u[i] == '-'))
		neg = s.u[i++] == '-';
	size_t d0 = i;
	while (i < s.n && s.u[i] >= '0' && s.u[i] <= '9')
		i++;
	if (i == d0)
		return NAN;
	/* through strtod: the same correctly rounded value for long inputs */
	char small[64];
	char *buf = i - d0 + 2 <= sizeof small ? small : malloc(i - d0 + 2);
	if (!buf)
		return NAN;
	size_t k = 0;
	for (size_t j = d0; j < i; j++)
		buf[k++] = (char)s.u[j];
	buf[k] = 0;
	double v = strtod(buf, NULL);
	if (buf != small)
		free(buf);
	return neg ? -v : v;
}

/* s.split(sep).join('') for a one-code-point separator */
static U remove_all(struct jn_ctx *c, U s, uint32_t cp)
{
	struct jn_sb t;
	jn_sb_init(&t);
	jn_sb_cp(c, &t, cp);
	U sep = jn_u16_from(c, t.p, t.n);
	if (sep.n == 0)
		return s;
	U r;
	r.u = jn_alloc_raw(c, (s.n + 1) * sizeof *r.u);
	r.n = 0;
	for (size_t i = 0; i < s.n;) {
		if (i + sep.n <= s.n && !memcmp(s.u + i, sep.u, sep.n * sizeof *sep.u)) {
			i += sep.n;
			continue;
		}
		r.u[r.n++] = s.u[i++];
	}
	return r;
}

static const struct {
	char ch;
	double v;
} roman_values[] = {{'M', 1000}, {'D', 500}, {'C', 100}, {'L', 50}, {'X', 10}, {'V', 5}, {'I', 1}};

int jn_fn_parseInteger(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *value = arg(call, 0), *picture = arg(call, 1);
	if (!value)
		return 0;
	struct jn_intpic f;
	if (!picture) /* JavaScript: a TypeError (no JSONata code) */
		return jn_throw_arg(c, "T0410", -1, NULL, 2, NULL, NULL);
	const char *pp = picture->u.s.p;
	size_t pn = picture->u.s.len;
	if (jn_intpic_analyse(c, pp, pn, &f) < 0)
		return -1;
	double result = NAN;
	switch (f.primary) {
	case JN_INT_LETTERS: {
		/* lettersToDecimal: every unit counts, whatever it is */
		U s = u_of_jv(c, value);
		double a = f.tcase == JN_CASE_UPPER ? 'A' : 'a';
		result = 0;
		for (size_t i = 0; i < s.n; i++)
			result += ((double)s.u[s.n - i - 1] - a + 1) * pow(26, (double)i);
		break;
	}
	case JN_INT_ROMAN: {
		/* romanToDecimal(upper ? value : value.toUpperCase()) */
		jv *v = value;
		if (f.tcase != JN_CASE_UPPER) {
			jv *arg1[1] = {value};
			struct jn_call up = {.args = arg1, .nargs = 1, .input = call->input};
			v = NULL;
			if (jn_fn_uppercase(c, &up, &v) < 0)
				return -1;
		}
		U s = u_of_jv(c, v);
		double decimal = 0, max = 1;
		int max_undef = 0;
		for (size_t i = s.n; i-- > 0;) {
			double dv = NAN;
			for (size_t k = 0; k < sizeof roman_values / sizeof roman_values[0]; k++)
				if (s.u[i] == (uint16_t)roman_values[k].ch)
					dv = roman_values[k].v;
			/* undefined < max is false: max becomes undefined and the
			 * sum NaN, as in JavaScript */
			if (!max_undef && dv < max) {
				decimal -= dv;
			} else {
				max = dv;
				max_undef = isnan(dv);
				decimal += dv;
			}
		}
		result = decimal;
		break;
	}
	case JN_INT_WORDS: {
		jv *arg1[1] = {value};
		struct jn_call low = {.args = arg1, .nargs = 1, .input = call->input};
		jv *v = NULL;
		if (jn_fn_lowercase(c, &low, &v) < 0)
			return -1;
		result = words_to_number(c, u_of_jv(c, v));
		break;
	}
	case JN_INT_DECIMAL: {
		U digits = u_of_jv(c, value);
		if (f.ordinal)
			digits = u_substring(digits, 0, (double)digits.n - 2);
		if (f.regular) {
			digits = remove_all(c, digits, ','); /* (sic) ',' whatever the separator */
		} else {
			for (size_t i = 0; i < f.nsep; i++)
				digits = remove_all(c, digits, f.sep[i].cp);
		}
		if (f.zero_code != 0x30) {
			struct jn_sb t;
			jn_sb_init(&t);
			for (size_t i = 0; i < digits.n; i++) {
				int64_t cp = (int64_t)digits.u[i] - f.zero_code + 0x30;
				/* String.fromCodePoint throws a RangeError (no JSONata
				 * code): reported as D1001 with the offending value */
				if (cp < 0 || cp > 0x10ffff)
					return jn_throw(c, "D1001", -1, NULL, jn_num(c, (double)cp));
				jn_sb_cp(c, &t, (uint32_t)cp);
			}
			digits = jn_u16_from(c, t.p ? t.p : "", t.n);
		}
		result = js_parse_int10(digits);
		break;
	}
	default:
		return jn_throw(c, "D3130", -1, NULL, jn_str(c, f.token ? f.token : "", f.token ? f.token_len : 0));
	}
	*out = jn_num(c, result);
	return 0;
}
