/* jn_fn_intpic.c: fn:format-integer pictures (datetime.js
 * analyseIntegerPicture/_formatInteger): decimal digit patterns of any of
 * the Unicode digit families datetime.js knows, grouping separators
 * regular or not, ordinals, letters, roman numerals, English words; and
 * $formatInteger and $parseInteger on them. jn_intpic_analyse() and
 * jn_intpic_format() (jn_fn_a.h) are also what $fromMillis formats its
 * integer components with, as datetime.js shares the code.
 *
 * Ports that keep the reference's exact behaviour, quirks included; the
 * pictures and results are JavaScript strings (UTF-16 code units,
 * jn_fn_u16.h) where positions count units.
 *
 * Thread-safety: as every builtin (one evaluation's arena). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jn_fn_a.h"
#include "jn_fn_u16.h"
#include "jn_int.h"

static jv *arg(const struct jn_call *call, int i) { return i < call->nargs ? call->args[i] : NULL; }

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
			long factor = jn_regular_of(c, idx, f->nsep);
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
