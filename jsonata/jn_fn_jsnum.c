/* jn_fn_jsnum.c: numbers as JavaScript rounds and prints them, for
 * $formatNumber and $formatBase (jn_fn_format.c): functions.js round()
 * (half to even on the decimal text) and Number.prototype.toFixed (the
 * exact binary value, ties away from zero).
 *
 * Both run once per formatted value, so each has a shortcut for the common
 * case that is provably the exact answer (one multiplication or division
 * by an exact power of ten, digits by hand) and the literal slow path
 * (printf/strtod on the decimal text) wherever the shortcut cannot be sure;
 * tests/jsonata/test_jn_fmtnum.c holds both to exact oracles.
 *
 * Thread-safety: pure functions. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jn_fn_a.h"
#include "jn_int.h"

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

/* 10^0 .. 10^22: the powers of ten a double holds exactly */
static const double p10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
			      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/* "<mantissa>e<exp + shift>" re-read: the decimal shift of functions.js
 * round(), Number(String(v) + "e" + shift) with String(v) the shortest
 * round-trip digits. Those digits as an integer D below 2^53 times 10^k with
 * |k| <= 22 need one multiplication or division: both operands are exact,
 * so IEEE's single rounding is the correctly rounded decimal strtod (and
 * JavaScript's Number()) would give (Clinger's fast path). The rest
 * (longer digits, far exponents, NaN, Infinity) is read back by strtod. */
static double shift10(double v, double shift)
{
	char num[40], buf[80];
	size_t n = jn_num_fmt(v, num);
	num[n] = 0;
	if (fabs(shift) <= 400 && shift == floor(shift)) {
		const char *p = num;
		int neg = *p == '-', dot = 0, ok = 1;
		uint64_t d = 0;
		long frac = 0, ex = 0;
		for (p += neg; *p && *p != 'e'; p++) {
			if (*p == '.') {
				dot = 1;
			} else if (*p >= '0' && *p <= '9' && d < (UINT64_C(1) << 53) / 10) {
				d = d * 10 + (uint64_t)(*p - '0');
				frac += dot;
			} else {
				ok = 0; /* NaN, Infinity, or too many digits */
				break;
			}
		}
		if (ok && *p == 'e')
			ex = strtol(p + 1, NULL, 10);
		long k = ex - frac + (long)shift;
		if (ok && k >= -22 && k <= 22) {
			double r = k >= 0 ? (double)d * p10[k] : (double)d / p10[-k];
			return neg ? -r : r;
		}
	}
	/* Number("Infinitye-2") is NaN in JavaScript; strtod would read it */
	if (!isfinite(v))
		return NAN;
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
double jn_js_round(double arg, double precision)
{
	int shift = precision != 0 && !isnan(precision);
	if (shift && precision > 0 && precision <= 22 && precision == floor(precision)) {
		/* the common case without the decimal digits: y = arg * 10^p is
		 * within 3 * 2^-53 * |y| of the shifted shortest decimal (arg's own
		 * distance to it, and two roundings); when y's fraction is farther
		 * than that from a half, both round to the same integer R, neither
		 * is a tie, and String(R) + "e-p" is R's digits: R / 10^p, one
		 * rounding of exact operands */
		double y = arg * p10[(int)precision];
		if (fabs(y) < 1e15) {
			double fl = floor(y), fr = y - fl;
			if (fabs(fr - 0.5) > fabs(y) * 1e-15) {
				double result = (fl + (fr > 0.5)) / p10[(int)precision];
				return result == 0 ? 0 : result; /* -0 */
			}
		}
	}
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

/* Number.prototype.toFixed(dp) of |v| (v >= 0), as ASCII into buf (cap
 * bytes, at least dp + 400): the exact binary value rounded to dp decimals,
 * ties away from zero. Returns the length. */
size_t jn_js_to_fixed(double v, int dp, char *buf, size_t cap)
{
	if (v >= 1e21 || !isfinite(v))
		return jn_num_fmt(v, buf);
	if (dp < 0)
		dp = 0;
	int k;
	if (dp <= 22) {
		/* the common case, without printf: x = v * 10^dp (one rounding:
		 * 10^dp is exact) is off the exact product by at most half an ulp,
		 * x * 2^-53; when its fraction is farther than that from a half,
		 * the exact product's nearest integer is x's (no tie) */
		double x = v * p10[dp];
		double fl = floor(x), fr = x - fl;
		if (x < 1e15 && fabs(fr - 0.5) > x * 2.3e-16 + 1e-12) {
			uint64_t u = (uint64_t)fl + (fr > 0.5);
			char tmp[40];
			int nd = 0;
			do {
				tmp[nd++] = (char)('0' + u % 10);
				u /= 10;
			} while (u);
			while (nd < dp + 1) /* "0.05": a zero before the point */
				tmp[nd++] = '0';
			size_t o = 0;
			for (int i = nd - 1; i >= 0; i--) {
				buf[o++] = tmp[i];
				if (i == dp && dp)
					buf[o++] = '.';
			}
			buf[o] = 0;
			return o;
		}
	}
	/* a tie is only possible when the exact expansion stops at dp+1 with a
	 * 5: print 25 more digits than needed to see it */
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
		return len;
	}
	k = snprintf(buf, cap, "%.*f", dp, v);
	return (size_t)k;
}
