/* jn_text.c: text — the arena string builder, numbers as JavaScript prints
 * them, UTF-8 helpers, JSON.stringify and the $string cast. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jn_int.h"

/* ------------------------------------------------------------------ */
/* String building                                                     */
/* ------------------------------------------------------------------ */

void jn_sb_init(struct jn_sb *b) { memset(b, 0, sizeof(*b)); }

void jn_sb_put(struct jn_ctx *c, struct jn_sb *b, const char *p, size_t n)
{
	if (!n)
		return;
	if (b->n + n > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 32;
		while (nc < b->n + n)
			nc *= 2;
		b->p = jn_realloc(c, b->p, b->cap, nc);
		b->cap = nc;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

void jn_sb_putc(struct jn_ctx *c, struct jn_sb *b, char ch) { jn_sb_put(c, b, &ch, 1); }
void jn_sb_puts(struct jn_ctx *c, struct jn_sb *b, const char *s) { jn_sb_put(c, b, s, strlen(s)); }

void jn_sb_printf(struct jn_ctx *c, struct jn_sb *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(tmp)) {
		jn_sb_put(c, b, tmp, (size_t)n);
		return;
	}
	char *big = jn_alloc_raw(c, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	jn_sb_put(c, b, big, (size_t)n);
}

void jn_sb_cp(struct jn_ctx *c, struct jn_sb *b, uint32_t cp)
{
	char u[4];
	jn_sb_put(c, b, u, jn_utf8_put(cp, u));
}

jv *jn_sb_str(struct jn_ctx *c, struct jn_sb *b) { return jn_str_ref(c, b->p ? b->p : "", b->n); }

char *jn_strz(struct jn_ctx *c, const jv *s) { return jn_memdup(c, s->u.s.p, s->u.s.len); }

/* ------------------------------------------------------------------ */
/* Numbers as JavaScript prints them                                   */
/* ------------------------------------------------------------------ */

/* Lays out significant digits (nd of them, no trailing zeros) with the
 * decimal point after position n as Number.prototype.toString does. */
static size_t js_layout(char *buf, int neg, const char *digits, int nd, int n)
{
	char *o = buf;
	if (neg)
		*o++ = '-';
	if (nd <= n && n <= 21) {
		memcpy(o, digits, (size_t)nd);
		o += nd;
		for (int i = nd; i < n; i++)
			*o++ = '0';
	} else if (0 < n && n <= 21) {
		memcpy(o, digits, (size_t)n);
		o += n;
		*o++ = '.';
		memcpy(o, digits + n, (size_t)(nd - n));
		o += nd - n;
	} else if (-6 < n && n <= 0) {
		*o++ = '0';
		*o++ = '.';
		for (int i = 0; i < -n; i++)
			*o++ = '0';
		memcpy(o, digits, (size_t)nd);
		o += nd;
	} else {
		*o++ = digits[0];
		if (nd > 1) {
			*o++ = '.';
			memcpy(o, digits + 1, (size_t)(nd - 1));
			o += nd - 1;
		}
		o += sprintf(o, "e%c%d", n - 1 < 0 ? '-' : '+', abs(n - 1));
	}
	*o = 0;
	return (size_t)(o - buf);
}

/* The shortest decimal of |d| with up to 17 fraction digits whose value
 * times 10^k stays an exact integer: r / 10^k == |d| is a correctly rounded
 * division, so it tells exactly whether that decimal reads back as d; the
 * first k that works gives the shortest form (JavaScript's digits). Most
 * data numbers (prices, ratios) take this path instead of printf's.
 * 0 when d is not of that kind. */
static int short_decimal(double d, char *digits, int *nd, int *point)
{
	static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
				     1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	double a = fabs(d);
	if (!(a >= 1e-7 && a < 1e15))
		return 0;
	for (int k = 1; k <= 17; k++) {
		double v = a * p10[k];
		if (v >= 9007199254740992.0)
			return 0;
		/* the nearest integer (v < 2^53; a conversion, not libm's
		 * nearbyint call: r - 1 and r + 1 are tried too) */
		double r = (double)(unsigned long long)(v + 0.5);
		/* a candidate that reads back as a is within v * 2^-52 of v (the
		 * division and v's product are each correctly rounded): the
		 * others are not worth a division (most k are far off) */
		double slack = v * 0x1p-50;
		for (int t = 0; t < 3; t++) {
			double cand = t == 0 ? r : t == 1 ? r - 1 : r + 1;
			if (cand <= 0 || fabs(cand - v) > slack || cand / p10[k] != a)
				continue;
			char tmp[24];
			int n = 0;
			unsigned long long u = (unsigned long long)cand;
			while (u) {
				tmp[n++] = (char)('0' + u % 10);
				u /= 10;
			}
			*nd = 0;
			for (int i = n - 1; i >= 0; i--)
				digits[(*nd)++] = tmp[i];
			*point = n - k;
			while (*nd > 1 && digits[*nd - 1] == '0')
				(*nd)--;
			return 1;
		}
	}
	return 0;
}

size_t jn_num_fmt(double d, char *buf)
{
	if (isnan(d))
		return (size_t)sprintf(buf, "NaN");
	if (isinf(d))
		return (size_t)sprintf(buf, d < 0 ? "-Infinity" : "Infinity");
	if (d == 0)
		return (size_t)sprintf(buf, "0");
	if (d == floor(d) && fabs(d) < 1e15) {
		/* integers: digits by hand (printf's float path is slow) */
		long long v = (long long)d;
		char tmp[24];
		int n = 0, neg = v < 0;
		unsigned long long u = neg ? (unsigned long long)-v : (unsigned long long)v;
		do {
			tmp[n++] = (char)('0' + u % 10);
			u /= 10;
		} while (u);
		char *o = buf;
		if (neg)
			*o++ = '-';
		while (n)
			*o++ = tmp[--n];
		*o = 0;
		return (size_t)(o - buf);
	}
	char fd[24];
	int fnd, fpoint;
	if (short_decimal(d, fd, &fnd, &fpoint))
		return js_layout(buf, d < 0, fd, fnd, fpoint);
	/* shortest round-trip digits */
	char tmp[40];
	int prec;
	/* 15 digits round-trip for every normal double whose shortest form is
	 * shorter; subnormals have fewer digits of precision: search from 1 */
	for (prec = fabs(d) < 2.2250738585072014e-308 ? 1 : 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, d);
		if (prec == 17 || strtod(tmp, NULL) == d)
			break;
	}
	/* tmp: [-]d.dddde[+-]xx */
	char digits[24];
	int nd = 0, neg = 0;
	const char *p = tmp;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	int exp10 = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	return js_layout(buf, neg, digits, nd, exp10 + 1);
}

/* Number(d.toPrecision(15)).toString(): the 15 significant digits of d,
 * trailing zeros dropped, are the shortest form of that number (any
 * decimal of at most 15 digits round-trips through a double), so no
 * round trip is needed. */
size_t jn_num_fmt15(double d, char *buf)
{
	if (!isfinite(d) || d == floor(d))
		return jn_num_fmt(d, buf);
	char fd[24];
	int fnd, fpoint;
	if (short_decimal(d, fd, &fnd, &fpoint) && fnd <= 15)
		return js_layout(buf, d < 0, fd, fnd, fpoint);
	/* toPrecision(15) rounds half away from zero on the exact value (printf
	 * rounds half to even): the first 15 of 60 correctly rounded digits,
	 * up when the 16th is 5 or more */
	char tmp[80], digits[24];
	snprintf(tmp, sizeof(tmp), "%.59e", d);
	const char *p = tmp;
	int neg = 0, nd = 0;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	char all[64];
	int na = 0;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9' && na < 63)
			all[na++] = *p;
	int exp10 = atoi(p + 1);
	memcpy(digits, all, 15);
	nd = 15;
	if (all[15] >= '5') {
		int i = 14;
		while (i >= 0 && digits[i] == '9')
			digits[i--] = '0';
		if (i >= 0) {
			digits[i]++;
		} else {
			/* 999...9 rounds to 1000...0: one more digit before the point */
			memmove(digits + 1, digits, 14);
			digits[0] = '1';
			exp10++;
		}
	}
	if (fabs(d) < 2.2250738585072014e-308) {
		/* subnormal: read back the rounded decimal, print it shortest */
		char rt[64];
		snprintf(rt, sizeof(rt), "%s%c.%.14se%d", neg ? "-" : "", digits[0], digits + 1, exp10);
		return jn_num_fmt(strtod(rt, NULL), buf);
	}
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	return js_layout(buf, neg, digits, nd, exp10 + 1);
}

/* ------------------------------------------------------------------ */
/* UTF-8                                                               */
/* ------------------------------------------------------------------ */

uint32_t jn_utf8_next(const char *s, size_t n, size_t *i)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k = *i;
	unsigned c0 = p[k];
	if (c0 < 0x80) {
		*i = k + 1;
		return c0;
	}
	int len = c0 >= 0xF0 ? 4 : c0 >= 0xE0 ? 3 : c0 >= 0xC0 ? 2 : 0;
	if (!len || k + (size_t)len > n || c0 > 0xF4) {
		*i = k + 1;
		return 0xFFFD;
	}
	uint32_t cp = c0 & (0x7F >> len);
	for (int j = 1; j < len; j++) {
		if ((p[k + j] & 0xC0) != 0x80) {
			*i = k + 1;
			return 0xFFFD;
		}
		cp = (cp << 6) | (p[k + j] & 0x3F);
	}
	/* overlong forms and code points past U+10FFFF are not UTF-8 */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
		*i = k + 1;
		return 0xFFFD;
	}
	*i = k + (size_t)len;
	return cp;
}

size_t jn_utf8_put(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

char *jn_utf8_sanitize(const char *p, size_t n, size_t *outlen)
{
	char *o = malloc(n * 3 + 1);
	size_t k = 0;
	if (!o)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t st = i;
		uint32_t cp = jn_utf8_next(p, n, &i);
		if (cp >= 0xD800 && cp <= 0xDFFF)
			cp = 0xFFFD;
		if (cp == 0xFFFD && !(i - st == 3 && (unsigned char)p[st] == 0xEF))
			cp = 0xFFFD;
		k += jn_utf8_put(cp, o + k);
	}
	o[k] = 0;
	*outlen = k;
	return o;
}

int jn_utf8_valid(const char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char b = (unsigned char)p[i];
		if (b < 0x80) {
			i++;
			continue;
		}
		size_t st = i;
		uint32_t cp = jn_utf8_next(p, n, &i);
		size_t len = i - st;
		if (cp == 0xFFFD && !(len == 3 && b == 0xEF))
			return 0; /* invalid, overlong or past U+10FFFF (jn_utf8_next says so) */
	}
	return 1;
}

size_t jn_utf8_cplen(const char *p, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)p[i] & 0xC0) != 0x80)
			c++;
	return c;
}

size_t jn_utf16_len(const char *p, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)p[i];
		if ((b & 0xC0) != 0x80)
			c += b >= 0xF0 ? 2 : 1;
	}
	return c;
}

size_t jn_str_u16len(const jv *s)
{
	if (s->flags & JV_STR_ASCII)
		return s->u.s.len;
	return jn_utf16_len(s->u.s.p, s->u.s.len);
}

size_t jn_utf8_cp_offset(const char *p, size_t n, size_t k)
{
	size_t i = 0;
	while (i < n && k > 0) {
		jn_utf8_next(p, n, &i);
		k--;
	}
	return i;
}

size_t jn_utf8_u16_offset(const char *p, size_t n, size_t k)
{
	size_t i = 0, u = 0;
	while (i < n && u < k) {
		unsigned char b = (unsigned char)p[i];
		jn_utf8_next(p, n, &i);
		u += b >= 0xF0 ? 2 : 1;
	}
	return i;
}

size_t jn_utf16_index(const char *p, size_t n, size_t off)
{
	return jn_utf16_len(p, off < n ? off : n);
}

/* ------------------------------------------------------------------ */
/* JSON.stringify                                                      */
/* ------------------------------------------------------------------ */

/* Bytes JSON.stringify escapes: controls, '"', '\\', and 0xED (the lead
 * byte of a WTF-8 surrogate, checked further). */
static const unsigned char json_special[256] = {
	[0 ... 0x1F] = 1, ['"'] = 1, ['\\'] = 1, [0xED] = 1,
};

static void sb_reserve(struct jn_ctx *c, struct jn_sb *b, size_t extra)
{
	if (b->n + extra > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 256;
		while (nc < b->n + extra)
			nc *= 2;
		b->p = jn_realloc(c, b->p, b->cap, nc);
		b->cap = nc;
	}
}

static inline void sb_putc(struct jn_ctx *c, struct jn_sb *b, char ch)
{
	if (b->n == b->cap)
		sb_reserve(c, b, 1);
	b->p[b->n++] = ch;
}

/* 1 when one of the 8 bytes in w needs json_str's slow path: a control
 * character, '"', '\\' or 0xED (maybe a WTF-8 lone surrogate). Exact: the
 * zero-byte tests have no false positives as a whole. */
static inline int json_special8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\'), ed = w ^ (ones * 0xED);
	return (((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((bs - ones) & ~bs) | ((ed - ones) & ~ed)) & high ? 1 : 0;
}

/* The escape of s[i] (a json_special byte) into b; the index after it.
 * Out of line: json_str's common path stays small. */
static __attribute__((noinline)) size_t json_escape(struct jn_ctx *c, struct jn_sb *b, const char *s, size_t n,
						     size_t i)
{
	unsigned char ch = (unsigned char)s[i];
	const char *esc = NULL;
	char u[8];
	if (ch == 0xED) {
		if (i + 2 < n && ((unsigned char)s[i + 1] & 0xE0) == 0xA0) {
			/* a lone surrogate (WTF-8): JSON.stringify escapes it */
			size_t k = i;
			uint32_t cp = jn_utf8_next(s, n, &k);
			snprintf(u, sizeof(u), "\\u%04x", cp);
			jn_sb_puts(c, b, u);
			return k;
		}
		jn_sb_putc(c, b, (char)ch);
		return i + 1;
	}
	switch (ch) {
	case '"': esc = "\\\""; break;
	case '\\': esc = "\\\\"; break;
	case '\b': esc = "\\b"; break;
	case '\f': esc = "\\f"; break;
	case '\n': esc = "\\n"; break;
	case '\r': esc = "\\r"; break;
	case '\t': esc = "\\t"; break;
	default: snprintf(u, sizeof(u), "\\u%04x", ch); esc = u;
	}
	jn_sb_puts(c, b, esc);
	return i + 1;
}

/* A JSON string literal. Room for the whole string and its quotes is made
 * once; a string of 4 to 16 plain bytes (most keys, names, ids) is checked
 * and copied as two overlapping 4- or 8-byte blocks, without a loop whose
 * end the branch predictor would have to guess; longer ones 8 bytes at a
 * time, the last block overlapping; anything with a byte to escape (or a
 * string under 4 bytes) goes byte by byte. */
static void json_str(struct jn_ctx *c, struct jn_sb *b, const char *s, size_t n)
{
	if (b->cap - b->n < n + 2)
		sb_reserve(c, b, n + 2);
	b->p[b->n] = '"';
	char *o = b->p + b->n + 1; /* byte i of s goes to o[i] until an escape */
	size_t i = 0;
	if (n >= 8) {
		uint64_t w;
		while (i + 8 < n) {
			memcpy(&w, s + i, 8);
			if (json_special8(w))
				goto bytes;
			memcpy(o + i, &w, 8);
			i += 8;
		}
		memcpy(&w, s + n - 8, 8); /* the last 8, overlapping the copied ones */
		if (json_special8(w))
			goto bytes;
		memcpy(o + n - 8, &w, 8);
		i = n;
	} else if (n >= 4) {
		uint32_t w1, w2;
		memcpy(&w1, s, 4);
		memcpy(&w2, s + n - 4, 4);
		if (json_special8(((uint64_t)w1 << 32) | w2))
			goto bytes;
		memcpy(o, &w1, 4);
		memcpy(o + n - 4, &w2, 4);
		i = n;
	}
bytes:
	o += i;
	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		if (!json_special[ch]) {
			*o++ = (char)ch;
			i++;
			continue;
		}
		b->n = (size_t)(o - b->p);
		i = json_escape(c, b, s, n, i);
		if (b->cap - b->n < n - i + 1)
			sb_reserve(c, b, n - i + 1);
		o = b->p + b->n;
	}
	*o++ = '"';
	b->n = (size_t)(o - b->p);
}

static void json_indent(struct jn_ctx *c, struct jn_sb *b, int depth)
{
	jn_sb_putc(c, b, '\n');
	for (int i = 0; i < depth; i++)
		jn_sb_put(c, b, "  ", 2);
}

static int json_val(struct jn_ctx *c, struct jn_sb *b, const jv *v, int flags, int depth);
static int json_src(struct jn_ctx *c, struct jn_sb *b, const json_t *j, int flags, int depth);

/* A member or item of a jansson container: strings (most of them) written
 * here, the rest by json_src (a recursive call and its type switch less
 * per string); -1 as json_src, the jv path takes over. */
static inline int json_src_item(struct jn_ctx *c, struct jn_sb *b, const json_t *x, int flags, int depth)
{
	if (json_is_string(x)) {
		json_str(c, b, json_string_value(x), json_string_length(x));
		return 0;
	}
	int r = json_src(c, b, x, flags, depth);
	if (r == -1)
		r = json_val(c, b, jn_from_json_lazy(c, x), flags, depth);
	return r;
}

/* A lazy value written straight from its jansson value (no jv is built):
 * -1 when the jv path must do it (keys to reorder). */
static int json_src(struct jn_ctx *c, struct jn_sb *b, const json_t *j, int flags, int depth)
{
	char nb[40];
	switch (json_typeof(j)) {
	case JSON_NULL: jn_sb_put(c, b, "null", 4); return 0;
	case JSON_TRUE: jn_sb_put(c, b, "true", 4); return 0;
	case JSON_FALSE: jn_sb_put(c, b, "false", 5); return 0;
	case JSON_INTEGER: jn_sb_put(c, b, nb, jn_num_fmt((double)json_integer_value(j), nb)); return 0;
	case JSON_REAL: {
		double d = json_real_value(j);
		jn_sb_put(c, b, nb, (flags & JN_JSON_PREC15) ? jn_num_fmt15(d, nb) : jn_num_fmt(d, nb));
		return 0;
	}
	case JSON_STRING: json_str(c, b, json_string_value(j), json_string_length(j)); return 0;
	case JSON_ARRAY: {
		if ((depth & 15) == 15 && jn_stack_low())
			return jn_throw(c, "D1011", -1, NULL, NULL), -2;
		size_t n = json_array_size(j);
		sb_putc(c, b, '[');
		for (size_t i = 0; i < n; i++) {
			if (i)
				sb_putc(c, b, ',');
			if (flags & JN_JSON_PRETTY)
				json_indent(c, b, depth + 1);
			int r = json_src_item(c, b, json_array_get(j, i), flags, depth + 1);
			if (r == -2)
				return -2;
		}
		if ((flags & JN_JSON_PRETTY) && n)
			json_indent(c, b, depth);
		sb_putc(c, b, ']');
		return 0;
	}
	case JSON_OBJECT: {
		if ((depth & 15) == 15 && jn_stack_low())
			return jn_throw(c, "D1011", -1, NULL, NULL), -2;
		const char *k;
		size_t kl, start = b->n;
		json_t *x;
		int any = 0, other = 0, have_prev = 0;
		uint64_t prev = 0;
		sb_putc(c, b, '{');
		/* the iterator itself, not json_object_keylen_foreach (which
		 * turns the key back into an iterator three times a member) */
		for (void *it = json_object_iter((json_t *)j); it; it = json_object_iter_next((json_t *)j, it)) {
			k = json_object_iter_key(it);
			kl = json_object_iter_key_len(it);
			x = json_object_iter_value(it);
			/* JavaScript puts array-index keys first, ascending: when the
			 * jansson order is not that, undo and let the jv path sort */
			int idx = kl > 0 && kl <= 10 && k[0] >= '0' && k[0] <= '9' && !(kl > 1 && k[0] == '0');
			uint64_t iv = 0;
			for (size_t i = 0; idx && i < kl; i++) {
				idx = k[i] >= '0' && k[i] <= '9';
				iv = iv * 10 + (uint64_t)(k[i] - '0');
			}
			if (idx && iv < 4294967295ull) {
				if (other || (have_prev && iv < prev)) {
					b->n = start;
					return -1;
				}
				prev = iv;
				have_prev = 1;
			} else
				other = 1;
			if (any)
				sb_putc(c, b, ',');
			any = 1;
			if (flags & JN_JSON_PRETTY)
				json_indent(c, b, depth + 1);
			json_str(c, b, k, kl);
			sb_putc(c, b, ':');
			if (flags & JN_JSON_PRETTY)
				sb_putc(c, b, ' ');
			int r = json_src_item(c, b, x, flags, depth + 1);
			if (r == -2)
				return -2;
		}
		if ((flags & JN_JSON_PRETTY) && any)
			json_indent(c, b, depth);
		sb_putc(c, b, '}');
		return 0;
	}
	}
	return -1;
}

static int json_val(struct jn_ctx *c, struct jn_sb *b, const jv *v, int flags, int depth)
{
	char nb[40];
	if (!v)
		return -1;
	if (v->flags & JV_LAZY) {
		int r = json_src(c, b, v->src, flags, depth);
		if (r != -1)
			return r;
	}
	jn_force((jv *)v);
	switch (v->type) {
	case JV_NULL: jn_sb_put(c, b, "null", 4); return 0;
	case JV_BOOL: v->u.b ? jn_sb_put(c, b, "true", 4) : jn_sb_put(c, b, "false", 5); return 0;
	case JV_NUMBER:
		if (!isfinite(v->u.num) && (flags & JN_JSON_PREC15) && !isnan(v->u.num)) {
			/* $string's replacer runs isNumeric on every value: D1001 */
			jn_throw(c, "D1001", -1, NULL, (jv *)v);
			return -2;
		}
		if (!isfinite(v->u.num))
			jn_sb_put(c, b, "null", 4);
		else
			jn_sb_put(c, b, nb, (flags & JN_JSON_PREC15) ? jn_num_fmt15(v->u.num, nb) : jn_num_fmt(v->u.num, nb));
		return 0;
	case JV_STRING: json_str(c, b, v->u.s.p, v->u.s.len); return 0;
	case JV_FUNCTION:
		if (flags & JN_JSON_FNEMPTY) {
			jn_sb_put(c, b, "\"\"", 2);
			return 0;
		}
		return -1;
	case JV_ARRAY:
		if ((flags & JN_JSON_PREC15) && jn_tick(c) < 0) /* $string of a DAG: the clock counts */
			return -2;
		if ((flags & JN_JSON_RESULT) && depth >= JN_RESULT_DEPTH_MAX)
			return jn_throw(c, "U1003", -1, NULL, jn_num(c, JN_RESULT_DEPTH_MAX)), -2;
		if (depth > 100000 || ((depth & 15) == 15 && jn_stack_low()))
			return jn_throw(c, "D1011", -1, NULL, NULL), -2;
		jn_sb_putc(c, b, '[');
		for (size_t i = 0; i < v->u.a.n && !((flags & JN_JSON_SHORT) && b->n > 4096); i++) {
			if (i)
				jn_sb_putc(c, b, ',');
			if (flags & JN_JSON_PRETTY)
				json_indent(c, b, depth + 1);
			int r = json_val(c, b, v->u.a.v[i], flags, depth + 1);
			if (r == -2)
				return -2;
			if (r < 0)
				jn_sb_put(c, b, "null", 4);
		}
		if ((flags & JN_JSON_PRETTY) && v->u.a.n)
			json_indent(c, b, depth);
		jn_sb_putc(c, b, ']');
		return 0;
	case JV_OBJECT: {
		if ((flags & JN_JSON_PREC15) && jn_tick(c) < 0)
			return -2;
		if ((flags & JN_JSON_RESULT) && depth >= JN_RESULT_DEPTH_MAX)
			return jn_throw(c, "U1003", -1, NULL, jn_num(c, JN_RESULT_DEPTH_MAX)), -2;
		if (depth > 100000 || ((depth & 15) == 15 && jn_stack_low()))
			return jn_throw(c, "D1011", -1, NULL, NULL), -2;
		jn_sb_putc(c, b, '{');
		int any = 0;
		for (size_t i = 0; i < v->u.o.n && !((flags & JN_JSON_SHORT) && b->n > 4096); i++) {
			const struct jn_kv *e = &v->u.o.kv[i];
			if (e->v->type == JV_FUNCTION && !(flags & JN_JSON_FNEMPTY))
				continue;
			if (any)
				jn_sb_putc(c, b, ',');
			any = 1;
			if (flags & JN_JSON_PRETTY)
				json_indent(c, b, depth + 1);
			json_str(c, b, e->k.p, e->k.len);
			jn_sb_putc(c, b, ':');
			if (flags & JN_JSON_PRETTY)
				jn_sb_putc(c, b, ' ');
			if (json_val(c, b, e->v, flags, depth + 1) == -2)
				return -2;
		}
		if ((flags & JN_JSON_PRETTY) && any)
			json_indent(c, b, depth);
		jn_sb_putc(c, b, '}');
		return 0;
	}
	}
	return -1;
}

int jn_json_write(struct jn_ctx *c, struct jn_sb *b, const jv *v, int flags)
{
	int r = json_val(c, b, v, flags, 0);
	return r == -2 ? -2 : r;
}

int jn_to_string(struct jn_ctx *c, const jv *v, int pretty, jv **out)
{
	*out = NULL;
	if (!v)
		return 0;
	if (v->type == JV_STRING) {
		*out = (jv *)v;
		return 0;
	}
	if (v->type == JV_FUNCTION) {
		*out = jn_str_ref(c, "", 0);
		return 0;
	}
	if (v->type == JV_NUMBER && !isfinite(v->u.num))
		return jn_throw(c, "D3001", -1, NULL, (jv *)v);
	if (v->type == JV_ARRAY && (v->flags & JV_OUTER) && v->u.a.n)
		v = v->u.a.v[0];
	struct jn_sb b;
	jn_sb_init(&b);
	int r = jn_json_write(c, &b, v, JN_JSON_PREC15 | JN_JSON_FNEMPTY | (pretty ? JN_JSON_PRETTY : 0));
	if (r == -2)
		return -1;
	*out = jn_sb_str(c, &b);
	return 0;
}

