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
	double r = b ? pow(a->u.num, b->u.num) : NAN;
	if (b && (a->u.num == 1 || a->u.num == -1) && isinf(b->u.num))
		r = NAN; /* C's pow(+-1, +-inf) is 1, JavaScript's NaN */
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
