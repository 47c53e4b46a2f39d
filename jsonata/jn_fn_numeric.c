/* jn_fn_numeric.c: JSONata's numeric and aggregation functions — $abs,
 * $floor, $ceil, $round, $power, $sqrt, $random, $sum, $max, $min, $average
 * ($number is jn_fn_core.c's).
 *
 * Each does what functions.js does, including its quirks: $round is
 * round-half-to-even done on the decimal string (JavaScript's toString, the
 * exponent shifted by the precision, then Math.round and the even
 * correction), so $round(1.005, 2) is 1 as in JavaScript; $power raises
 * D3061 for a result that is not finite (NaN included); $sqrt raises D3060
 * below zero; $max/$min/$average of an empty array are undefined and $sum is
 * 0. The signatures (jn_fn_numeric.def) have already checked the types.
 *
 * Thread-safety: none needed; everything lives in the evaluation's arena. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jn_int.h"

static jv *arg(const struct jn_call *call, int i)
{
	return i < call->nargs ? call->args[i] : NULL;
}

/* ---------------------------------------------------------------- */
/* JavaScript number <-> string, as $round needs them                */
/* ---------------------------------------------------------------- */

/* ToNumber(string) for the strings $round builds ("1.005e2", "NaNe-2",
 * "1e1.5"): a StrDecimalLiteral with optional whitespace around it, or
 * NaN. Empty (all blank) is 0, as in JavaScript. */
static double js_str_to_num(const char *s, size_t n)
{
	size_t i = 0, j = n;
	while (i < j && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\v' || s[i] == '\f'))
		i++;
	while (j > i && (s[j - 1] == ' ' || s[j - 1] == '\t' || s[j - 1] == '\n' || s[j - 1] == '\r' ||
			 s[j - 1] == '\v' || s[j - 1] == '\f'))
		j--;
	if (i == j)
		return 0;
	size_t k = i;
	int neg = 0;
	if (s[k] == '+' || s[k] == '-') {
		neg = s[k] == '-';
		k++;
	}
	if (j - k == 8 && memcmp(s + k, "Infinity", 8) == 0)
		return neg ? -INFINITY : INFINITY;
	size_t digits = 0;
	while (k < j && s[k] >= '0' && s[k] <= '9') {
		k++;
		digits++;
	}
	if (k < j && s[k] == '.') {
		k++;
		while (k < j && s[k] >= '0' && s[k] <= '9') {
			k++;
			digits++;
		}
	}
	if (digits == 0)
		return NAN;
	if (k < j && (s[k] == 'e' || s[k] == 'E')) {
		k++;
		if (k < j && (s[k] == '+' || s[k] == '-'))
			k++;
		size_t ed = 0;
		while (k < j && s[k] >= '0' && s[k] <= '9') {
			k++;
			ed++;
		}
		if (ed == 0)
			return NAN;
	}
	if (k != j)
		return NAN;
	char buf[512];
	if (j - i >= sizeof buf)
		return NAN; /* cannot come from a number's toString */
	memcpy(buf, s + i, j - i);
	buf[j - i] = 0;
	return strtod(buf, NULL);
}

/* value.toString().split('e') then +(mantissa + 'e' + (exp ? +exp + shift : shift)):
 * the decimal shift functions.js round() does on both sides of Math.round. */
static double js_shift_decimal(double v, double shift)
{
	char num[40], sh[40], out[96];
	size_t n = jn_num_fmt(v, num);
	num[n] = 0;
	char *e = memchr(num, 'e', n);
	double ex;
	size_t mlen = n;
	if (e) {
		mlen = (size_t)(e - num);
		ex = js_str_to_num(e + 1, n - mlen - 1) + shift;
	} else {
		ex = shift;
	}
	size_t sl = jn_num_fmt(ex, sh);
	if (mlen + 1 + sl >= sizeof out)
		return NAN;
	memcpy(out, num, mlen);
	out[mlen] = 'e';
	memcpy(out + mlen + 1, sh, sl);
	return js_str_to_num(out, mlen + 1 + sl);
}

/* Math.round: the nearest integer, ties towards +Infinity; -0 stays -0 and
 * (-0.5, -0) rounds to -0. */
static double js_math_round(double x)
{
	if (!isfinite(x) || x == 0)
		return x;
	double r = floor(x);
	if (x - r >= 0.5)
		r += 1.0;
	if (r == 0 && x < 0)
		r = -0.0;
	return r;
}

/* ---------------------------------------------------------------- */
/* Math.pow as V8 computes it                                        */
/* ---------------------------------------------------------------- */

/* V8 (node 20) computes Math.pow with fdlibm's __ieee754_pow (its
 * base::ieee754::legacy::pow), which is not always correctly rounded: glibc's
 * pow differs from it in the last digit for about 3% of arguments. This is
 * the same algorithm (fdlibm e_pow.c, Copyright (C) 1993 by Sun
 * Microsystems, Inc.: "Permission to use, copy, modify, and distribute this
 * software is freely granted, provided that this notice is preserved."),
 * rewritten with memcpy word access, with V8's own change in the last
 * step (see below). Special cases as ECMAScript's
 * Number::exponentiate (NaN for (+-1) ** (+-Infinity)). */

static uint32_t hi_word(double d)
{
	uint64_t b;
	memcpy(&b, &d, sizeof b);
	return (uint32_t)(b >> 32);
}

static uint32_t lo_word(double d)
{
	uint64_t b;
	memcpy(&b, &d, sizeof b);
	return (uint32_t)b;
}

static double from_words(uint32_t hi, uint32_t lo)
{
	uint64_t b = ((uint64_t)hi << 32) | lo;
	double d;
	memcpy(&d, &b, sizeof d);
	return d;
}

static double with_lo(double d, uint32_t lo)
{
	return from_words(hi_word(d), lo);
}

static double with_hi(double d, uint32_t hi)
{
	return from_words(hi, lo_word(d));
}

static double js_pow(double x, double y)
{
	static const double bp[] = {1.0, 1.5}, dp_h[] = {0.0, 5.84962487220764160156e-01},
			    dp_l[] = {0.0, 1.35003920212974897128e-08};
	static const double two53 = 9007199254740992.0, huge = 1.0e300, tiny = 1.0e-300;
	static const double L1 = 5.99999999999994648725e-01, L2 = 4.28571428578550184252e-01,
			    L3 = 3.33333329818377432918e-01, L4 = 2.72728123808534006489e-01,
			    L5 = 2.30660745775561754067e-01, L6 = 2.06975017800338417784e-01;
	static const double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03,
			    P3 = 6.61375632143793436117e-05, P4 = -1.65339022054652515390e-06,
			    P5 = 4.13813679705723846039e-08;
	static const double lg2 = 6.93147180559945286227e-01, lg2_h = 6.93147182464599609375e-01,
			    lg2_l = -1.90465429995776804525e-09, ovt = 8.0085662595372944372e-17;
	static const double cp = 9.61796693925975554329e-01, cp_h = 9.61796700954437255859e-01,
			    cp_l = -7.02846165095275826516e-09;
	static const double ivln2 = 1.44269504088896338700e+00, ivln2_h = 1.44269502162933349609e+00,
			    ivln2_l = 1.92596299112661746887e-08;

	if (isnan(y))
		return NAN;
	if (isinf(y) && (x == 1 || x == -1))
		return NAN;

	double z, ax, z_h, z_l, p_h, p_l, y1, t1, t2, r, s, t, u, v, w;
	int32_t i, j, k, yisint, n, hx, hy, ix, iy;
	uint32_t lx, ly;

	hx = (int32_t)hi_word(x);
	lx = lo_word(x);
	hy = (int32_t)hi_word(y);
	ly = lo_word(y);
	ix = hx & 0x7fffffff;
	iy = hy & 0x7fffffff;

	if ((iy | (int32_t)ly) == 0)
		return 1.0;
	if (ix > 0x7ff00000 || (ix == 0x7ff00000 && lx != 0) || iy > 0x7ff00000 || (iy == 0x7ff00000 && ly != 0))
		return NAN;

	/* yisint: 0 not an integer, 1 odd, 2 even (only when x < 0) */
	yisint = 0;
	if (hx < 0) {
		if (iy >= 0x43400000) {
			yisint = 2;
		} else if (iy >= 0x3ff00000) {
			k = (iy >> 20) - 0x3ff;
			if (k > 20) {
				uint32_t jj = ly >> (52 - k);
				if ((jj << (52 - k)) == ly)
					yisint = 2 - (int32_t)(jj & 1);
			} else if (ly == 0) {
				j = iy >> (20 - k);
				if ((j << (20 - k)) == iy)
					yisint = 2 - (j & 1);
			}
		}
	}

	if (ly == 0) {
		if (iy == 0x7ff00000) { /* y is +-inf */
			if (((ix - 0x3ff00000) | (int32_t)lx) == 0)
				return NAN;
			else if (ix >= 0x3ff00000)
				return hy >= 0 ? y : 0.0;
			else
				return hy < 0 ? -y : 0.0;
		}
		if (iy == 0x3ff00000) /* y is +-1 */
			return hy < 0 ? 1.0 / x : x;
		if (hy == 0x40000000) /* y is 2 */
			return x * x;
		if (hy == 0x3fe00000 && hx >= 0) /* y is 0.5 */
			return sqrt(x);
	}

	ax = fabs(x);
	if (lx == 0 && (ix == 0x7ff00000 || ix == 0 || ix == 0x3ff00000)) {
		z = ax; /* x is +-0, +-inf, +-1 */
		if (hy < 0)
			z = 1.0 / z;
		if (hx < 0) {
			if (((ix - 0x3ff00000) | yisint) == 0)
				z = NAN; /* (-1) ** non-integer */
			else if (yisint == 1)
				z = -z;
		}
		return z;
	}

	n = (int32_t)(((uint32_t)hx >> 31) - 1);
	if ((n | yisint) == 0)
		return NAN; /* (x < 0) ** non-integer */

	s = 1.0;
	if ((n | (yisint - 1)) == 0)
		s = -1.0; /* (-x) ** odd integer */

	if (iy > 0x41e00000) { /* |y| > 2**31 */
		if (iy > 0x43f00000) { /* |y| > 2**64: must over/underflow */
			if (ix <= 0x3fefffff)
				return hy < 0 ? huge * huge : tiny * tiny;
			if (ix >= 0x3ff00000)
				return hy > 0 ? huge * huge : tiny * tiny;
		}
		if (ix < 0x3fefffff)
			return hy < 0 ? s * huge * huge : s * tiny * tiny;
		if (ix > 0x3ff00000)
			return hy > 0 ? s * huge * huge : s * tiny * tiny;
		/* |1 - x| <= 2**-20: log(x) by x - x^2/2 + x^3/3 - x^4/4 */
		t = ax - 1.0;
		w = (t * t) * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
		u = ivln2_h * t;
		v = t * ivln2_l - w * ivln2;
		t1 = with_lo(u + v, 0);
		t2 = v - (t1 - u);
	} else {
		double ss, s2, s_h, s_l, t_h, t_l;
		n = 0;
		if (ix < 0x00100000) { /* subnormal x */
			ax *= two53;
			n -= 53;
			ix = (int32_t)hi_word(ax);
		}
		n += (ix >> 20) - 0x3ff;
		j = ix & 0x000fffff;
		ix = j | 0x3ff00000;
		if (j <= 0x3988E)
			k = 0; /* |x| < sqrt(3/2) */
		else if (j < 0xBB67A)
			k = 1; /* |x| < sqrt(3) */
		else {
			k = 0;
			n += 1;
			ix -= 0x00100000;
		}
		ax = with_hi(ax, (uint32_t)ix);

		/* ss = s_h + s_l = (x - 1)/(x + 1) or (x - 1.5)/(x + 1.5) */
		u = ax - bp[k];
		v = 1.0 / (ax + bp[k]);
		ss = u * v;
		s_h = with_lo(ss, 0);
		t_h = from_words((uint32_t)(((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18)), 0);
		t_l = ax - (t_h - bp[k]);
		s_l = v * ((u - s_h * t_h) - s_h * t_l);
		/* log(ax) */
		s2 = ss * ss;
		r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
		r += s_l * (s_h + ss);
		s2 = s_h * s_h;
		t_h = with_lo(3.0 + s2 + r, 0);
		t_l = r - ((t_h - 3.0) - s2);
		u = s_h * t_h;
		v = s_l * t_h + t_l * ss;
		p_h = with_lo(u + v, 0);
		p_l = v - (p_h - u);
		z_h = cp_h * p_h;
		z_l = cp_l * p_h + p_l * cp + dp_l[k];
		t = (double)n;
		t1 = with_lo(((z_h + z_l) + dp_h[k]) + t, 0);
		t2 = z_l - (((t1 - t) - dp_h[k]) - z_h);
	}

	/* (y1 + y2) * (t1 + t2) */
	y1 = with_lo(y, 0);
	p_l = (y - y1) * t1 + y * t2;
	p_h = y1 * t1;
	z = p_l + p_h;
	j = (int32_t)hi_word(z);
	i = (int32_t)lo_word(z);
	if (j >= 0x40900000) { /* z >= 1024 */
		if (((j - 0x40900000) | i) != 0)
			return s * huge * huge;
		if (p_l + ovt > z - p_h)
			return s * huge * huge;
	} else if ((j & 0x7fffffff) >= 0x4090cc00) { /* z <= -1075 */
		if (((uint32_t)j - 0xc090cc00u) | (uint32_t)i)
			return s * tiny * tiny;
		if (p_l <= z - p_h)
			return s * tiny * tiny;
	}
	/* 2 ** (p_h + p_l) */
	i = j & 0x7fffffff;
	k = (i >> 20) - 0x3ff;
	n = 0;
	if (i > 0x3fe00000) { /* |z| > 0.5: n = [z + 0.5] */
		n = j + (0x00100000 >> (k + 1));
		k = ((n & 0x7fffffff) >> 20) - 0x3ff;
		t = from_words((uint32_t)(n & ~(0x000fffff >> k)), 0);
		n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
		if (j < 0)
			n = -n;
		p_h -= t;
	}
	t = with_lo(p_l + p_h, 0);
	u = t * lg2_h;
	v = (p_l - (t - p_h)) * lg2 + t * lg2_l;
	z = u + v;
	w = v - (z - u);
	t = z * z;
	t1 = z - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
	/* V8's port divides by the whole ((t1 - 2) - (w + z*w)) where fdlibm
	 * has (z*t1)/(t1 - 2) - (w + z*w): the reason for the differences */
	r = (z * t1) / ((t1 - 2.0) - (w + z * w));
	z = 1.0 - (r - z);
	j = (int32_t)hi_word(z);
	j += (int32_t)((uint32_t)n << 20);
	if ((j >> 20) <= 0)
		z = scalbn(z, n); /* subnormal result */
	else
		z = with_hi(z, (uint32_t)j);
	return s * z;
}

/* ---------------------------------------------------------------- */
/* The functions                                                    */
/* ---------------------------------------------------------------- */

int jn_fn_abs(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (a)
		*out = jn_num(c, fabs(a->u.num));
	return 0;
}

int jn_fn_floor(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (a)
		*out = jn_num(c, floor(a->u.num));
	return 0;
}

int jn_fn_ceil(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (a)
		*out = jn_num(c, ceil(a->u.num));
	return 0;
}

int jn_fn_round(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0), *p = arg(call, 1);
	if (!a)
		return 0;
	double x = a->u.num;
	double prec = p ? p->u.num : 0;
	/* `if (precision)`: 0, NaN and undefined are all falsy */
	int shifted = p && prec != 0 && !isnan(prec);
	if (shifted)
		x = js_shift_decimal(x, prec);
	double r = js_math_round(x);
	double diff = r - x;
	if (fabs(diff) == 0.5 && fabs(fmod(r, 2)) == 1)
		r = r - 1;
	if (shifted)
		r = js_shift_decimal(r, -prec);
	if (r == 0)
		r = 0; /* JSON has no -0 */
	*out = jn_num(c, r);
	return 0;
}

int jn_fn_sqrt(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (!a)
		return 0;
	if (a->u.num < 0)
		return jn_throw(c, "D3060", -1, NULL, a);
	*out = jn_num(c, sqrt(a->u.num));
	return 0;
}

int jn_fn_power(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0), *b = arg(call, 1);
	if (!a)
		return 0;
	/* the signature makes the exponent mandatory; undefined (a path that
	 * matched nothing) gives NaN in JavaScript: D3061 with exponent unset */
	double r = b ? js_pow(a->u.num, b->u.num) : NAN;
	if (!isfinite(r)) {
		jn_throw(c, "D3061", -1, NULL, a);
		if (c->e.code && strcmp(c->e.code, "D3061") == 0) {
			c->e.exp = b; /* NULL: "exponent=undefined", as JSON.stringify(undefined) inserts */
			c->e.has_exp = 1;
		}
		return -1;
	}
	*out = jn_num(c, r);
	return 0;
}

int jn_fn_random(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	(void)call;
	*out = jn_num(c, jn_random(c));
	return 0;
}

int jn_fn_sum(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (!a)
		return 0;
	double t = 0;
	if (a->type == JV_ARRAY) {
		for (size_t i = 0; i < a->u.a.n; i++)
			t += a->u.a.v[i]->u.num;
	} else if (a->type == JV_NUMBER) {
		t = a->u.num;
	}
	*out = jn_num(c, t);
	return 0;
}

/* Math.max / Math.min over the items: NaN wins, +0 is above -0. */
static int minmax(struct jn_ctx *c, struct jn_call *call, jv **out, int want_max)
{
	jv *a = arg(call, 0);
	if (!a)
		return 0;
	if (a->type == JV_NUMBER) {
		*out = a;
		return 0;
	}
	if (a->type != JV_ARRAY || a->u.a.n == 0)
		return 0;
	double r = want_max ? -INFINITY : INFINITY;
	for (size_t i = 0; i < a->u.a.n; i++) {
		double x = a->u.a.v[i]->u.num;
		if (isnan(x)) {
			r = x;
			break;
		}
		if (want_max ? (x > r || (x == 0 && r == 0 && !signbit(x))) : (x < r || (x == 0 && r == 0 && signbit(x))))
			r = x;
	}
	*out = jn_num(c, r);
	return 0;
}

int jn_fn_max(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	return minmax(c, call, out, 1);
}

int jn_fn_min(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	return minmax(c, call, out, 0);
}

int jn_fn_average(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (!a)
		return 0;
	if (a->type == JV_NUMBER) {
		*out = a;
		return 0;
	}
	if (a->type != JV_ARRAY || a->u.a.n == 0)
		return 0;
	double t = 0;
	for (size_t i = 0; i < a->u.a.n; i++)
		t += a->u.a.v[i]->u.num;
	*out = jn_num(c, t / (double)a->u.a.n);
	return 0;
}
