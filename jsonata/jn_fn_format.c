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
 * indexOf/substring/slice/substr semantics. round() and toFixed() are in
 * jn_fn_jsnum.c.
 *
 * A picture's analysis is kept for its next calls: each thread has a small
 * cache of analysed pictures ("The analysed pictures ..." below).
 *
 * Thread-safety: as every builtin (one evaluation's arena); the picture
 * cache is per thread (thread-local, freed at thread exit). */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jn_fn_a.h"
#include "jn_fn_u16.h"
#include "jn_int.h"

static jv *arg(const struct jn_call *call, int i) { return i < call->nargs ? call->args[i] : NULL; }

/* ------------------------------------------------------------------ */
/* Numbers as JavaScript prints them (round() and toFixed() are in      */
/* jn_fn_jsnum.c)                                                       */
/* ------------------------------------------------------------------ */

/* toFixed as UTF-16 units in the arena */
static U js_to_fixed(struct jn_ctx *c, double v, int dp)
{
	char small[448];
	if (dp <= 22)
		return u_ascii(c, small, jn_js_to_fixed(v, dp, small, sizeof small));
	size_t cap = (size_t)dp + 400;
	char *buf = jn_alloc_raw(c, cap);
	return u_ascii(c, buf, jn_js_to_fixed(v, dp, buf, cap));
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
/* the defaults, as UTF-16 units (views on them are never written to) */
static const uint16_t prop_defaults[P_COUNT][8] = {
	{'.'}, {','}, {'e'}, {'I', 'n', 'f', 'i', 'n', 'i', 't', 'y'}, {'-'}, {'N', 'a', 'N'}, {'%'},
	{0x2030}, {'0'}, {'#'}, {';'},
};
static const uint8_t prop_default_len[P_COUNT] = {1, 1, 1, 8, 1, 3, 1, 1, 1, 1, 1};

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
	U prefix, suffix;
	long *fgp;
	size_t nfgp;
	long min_frac, max_frac, min_exp;
	/* the sub-picture holds the percent, per-mille, decimal separator */
	int has_percent, has_permille, has_decimal;
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
	r->has_percent = u_indexof(pt->sub, f->p[P_PERCENT], 0) != -1;
	r->has_permille = u_indexof(pt->sub, f->p[P_PERMILLE], 0) != -1;
	r->has_decimal = u_indexof(pt->sub, f->p[P_DECIMAL], 0) != -1;
}

/* makeString(value, dp): toFixed of |value|, digits in the family */
static U make_string(struct jn_ctx *c, const struct nfmt *f, double value, long dp)
{
	U s = js_to_fixed(c, fabs(value), (int)(dp > 10000 ? 10000 : dp));
	if (f->p[P_ZERO].n != 1 || f->p[P_ZERO].u[0] != '0')
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

/* An analysed picture: the decimal format it was analysed with and the
 * positive and negative sub-pictures (getFormattingVariables), all that
 * formatting a value needs. */
struct fmt_an {
	struct nfmt f;
	struct pic vars[2];
};

/* The decimal format: the defaults, then the options' properties. *custom:
 * an option named one of them. */
static void resolve_format(struct jn_ctx *c, const jv *options, struct nfmt *f, int *custom)
{
	*custom = 0;
	for (int i = 0; i < P_COUNT; i++)
		f->p[i] = u_view(prop_defaults[i], prop_default_len[i]);
	if (jn_is_object(options)) {
		for (size_t k = 0; k < options->u.o.n; k++) {
			const struct jn_kv *kv = &options->u.o.kv[k];
			for (int i = 0; i < P_COUNT; i++)
				if (strlen(prop_names[i]) == kv->k.len && !memcmp(prop_names[i], kv->k.p, kv->k.len)) {
					f->p[i] = option_text(c, kv->v);
					*custom = 1;
				}
		}
	}
}

/* actives/family0 from f->p (again after f->p moved) */
static void format_derive(struct nfmt *f)
{
	f->family0 = f->p[P_ZERO].n ? f->p[P_ZERO].u[0] : 0;
	f->actives[0] = f->p[P_DECIMAL];
	f->actives[1] = f->p[P_EXPONENT];
	f->actives[2] = f->p[P_GROUPING];
	f->actives[3] = f->p[P_DIGIT];
	f->actives[4] = f->p[P_PATTERN];
}

/* Splits, validates and analyses PICT under an->f (in the arena). NULL, or
 * the code to raise. */
static const char *analyse_picture(struct jn_ctx *c, U pict, struct fmt_an *an)
{
	const struct nfmt *f = &an->f;
	/* picture.split(pattern-separator) */
	U subs[3];
	size_t nsub = 0;
	if (f->p[P_PATTERN].n == 0) {
		for (size_t i = 0; i < pict.n && nsub < 3; i++)
			subs[nsub++] = u_view(pict.u + i, 1);
	} else {
		long from = 0;
		for (;;) {
			long at = u_indexof(pict, f->p[P_PATTERN], from);
			if (at == -1 || nsub == 3)
				break;
			subs[nsub++] = u_view(pict.u + from, (size_t)(at - from));
			from = at + (long)f->p[P_PATTERN].n;
		}
		if (nsub < 3)
			subs[nsub++] = u_view(pict.u + from, pict.n - (size_t)from);
	}
	if (nsub > 2)
		return "D3080";
	struct parts pts[2];
	for (size_t i = 0; i < nsub; i++)
		split_parts(f, subs[i], &pts[i]);
	for (size_t i = 0; i < nsub; i++) {
		const char *e = validate(f, &pts[i]);
		if (e)
			return e;
	}
	for (size_t i = 0; i < nsub; i++)
		analyse(c, f, &pts[i], &an->vars[i]);
	if (nsub == 1) {
		an->vars[1] = an->vars[0];
		an->vars[1].prefix = u_cat(c, f->p[P_MINUS], an->vars[0].prefix);
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The analysed pictures of the thread's last few calls                */
/* ------------------------------------------------------------------ */

/* A picture is most often a literal formatting value after value: its
 * analysis (UTF-16 conversion, split, validation, grouping positions) cost
 * more than the formatting. The thread keeps the last FMT_CACHE_N analyses,
 * keyed by the picture's bytes and the decimal format's properties when
 * options named any; each entry one malloc'd block (freed at thread exit),
 * at most FMT_ENTRY_MAX bytes (a longer picture or options are analysed
 * every time). Pictures that raise an error are not kept. */
#define FMT_CACHE_N 8
#define FMT_KEY_MAX 1024
#define FMT_ENTRY_MAX ((size_t)16 << 10)

struct fmt_entry {
	size_t keylen;
	const unsigned char *key;
	struct fmt_an an;
	_Alignas(8) unsigned char data[]; /* longs, then units, then the key */
};

static _Thread_local struct fmt_entry *fmt_cache[FMT_CACHE_N];
static _Thread_local int fmt_cache_keyed;
static pthread_key_t fmt_cache_key;
static pthread_once_t fmt_cache_once = PTHREAD_ONCE_INIT;

/* at thread exit */
static void fmt_cache_drop(void *unused)
{
	(void)unused;
	for (int i = 0; i < FMT_CACHE_N; i++) {
		free(fmt_cache[i]);
		fmt_cache[i] = NULL;
	}
	fmt_cache_keyed = 0;
}

static void fmt_cache_key_init(void) { pthread_key_create(&fmt_cache_key, fmt_cache_drop); }

/* The key: 0 and the picture's bytes for the default format; else 1, each
 * property's length (4 bytes) and units, then the picture's bytes. 0 when
 * it would exceed FMT_KEY_MAX (not cached). */
static size_t fmt_key(const struct nfmt *f, int custom, const jv *picture, unsigned char *key)
{
	size_t n = 1, plen = picture->u.s.len;
	key[0] = (unsigned char)custom;
	if (custom) {
		for (int i = 0; i < P_COUNT; i++) {
			uint32_t len = (uint32_t)f->p[i].n;
			size_t bytes = f->p[i].n * sizeof *f->p[i].u;
			if (f->p[i].n > FMT_KEY_MAX || n + 4 + bytes > FMT_KEY_MAX)
				return 0;
			memcpy(key + n, &len, 4);
			if (bytes)
				memcpy(key + n + 4, f->p[i].u, bytes);
			n += 4 + bytes;
		}
	}
	if (plen > FMT_KEY_MAX - n)
		return 0;
	if (plen)
		memcpy(key + n, picture->u.s.p, plen);
	return n + plen;
}

static const struct fmt_an *fmt_cache_get(const unsigned char *key, size_t keylen)
{
	for (int i = 0; i < FMT_CACHE_N && fmt_cache[i]; i++) {
		struct fmt_entry *e = fmt_cache[i];
		if (e->keylen == keylen && !memcmp(e->key, key, keylen)) {
			/* move to the front: the least recently used is dropped */
			memmove(fmt_cache + 1, fmt_cache, (size_t)i * sizeof *fmt_cache);
			fmt_cache[0] = e;
			return &e->an;
		}
	}
	return NULL;
}

static U copy_units(uint16_t **at, U s)
{
	U r = u_view(*at, s.n);
	if (s.n)
		memcpy(*at, s.u, s.n * sizeof *s.u);
	*at += s.n;
	return r;
}

static long *copy_longs(long **at, const long *v, size_t n)
{
	long *r = *at;
	if (n)
		memcpy(r, v, n * sizeof *v);
	*at += n;
	return r;
}

/* Keeps a copy of AN (arena pointers) in front, dropping the least
 * recently used when full. Nothing when it would be too big or malloc
 * fails: the next call analyses again. */
static void fmt_cache_put(const unsigned char *key, size_t keylen, const struct fmt_an *an)
{
	size_t nlong = 0, nunit = 0;
	for (int i = 0; i < P_COUNT; i++)
		nunit += an->f.p[i].n;
	for (int v = 0; v < 2; v++) {
		nlong += an->vars[v].nigp + an->vars[v].nfgp;
		nunit += an->vars[v].prefix.n + an->vars[v].suffix.n;
	}
	if (nlong > FMT_ENTRY_MAX || nunit > FMT_ENTRY_MAX)
		return;
	size_t size = sizeof(struct fmt_entry) + nlong * sizeof(long) + nunit * sizeof(uint16_t) + keylen;
	if (size > FMT_ENTRY_MAX)
		return;
	struct fmt_entry *e = malloc(size);
	if (!e)
		return;
	if (!fmt_cache_keyed) {
		pthread_once(&fmt_cache_once, fmt_cache_key_init);
		pthread_setspecific(fmt_cache_key, (void *)1);
		fmt_cache_keyed = 1;
	}
	e->an = *an;
	long *l = (long *)(void *)e->data;
	for (int v = 0; v < 2; v++) {
		e->an.vars[v].igp = copy_longs(&l, an->vars[v].igp, an->vars[v].nigp);
		e->an.vars[v].fgp = copy_longs(&l, an->vars[v].fgp, an->vars[v].nfgp);
	}
	uint16_t *u = (uint16_t *)(void *)l;
	for (int i = 0; i < P_COUNT; i++)
		e->an.f.p[i] = copy_units(&u, an->f.p[i]);
	format_derive(&e->an.f);
	for (int v = 0; v < 2; v++) {
		e->an.vars[v].prefix = copy_units(&u, an->vars[v].prefix);
		e->an.vars[v].suffix = copy_units(&u, an->vars[v].suffix);
	}
	unsigned char *k = (unsigned char *)u;
	memcpy(k, key, keylen);
	e->key = k;
	e->keylen = keylen;
	free(fmt_cache[FMT_CACHE_N - 1]);
	memmove(fmt_cache + 1, fmt_cache, (FMT_CACHE_N - 1) * sizeof *fmt_cache);
	fmt_cache[0] = e;
}

/* ------------------------------------------------------------------ */
/* Formatting a value                                                   */
/* ------------------------------------------------------------------ */

static int format_value(struct jn_ctx *c, const struct fmt_an *an, double v, jv **out)
{
	const struct nfmt *f = &an->f;
	const struct pic *pic = v >= 0 ? &an->vars[0] : &an->vars[1];
	double adjusted;
	if (pic->has_percent)
		adjusted = v * 100;
	else if (pic->has_permille)
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
	double rounded = jn_js_round(mantissa, (double)pic->max_frac);
	U sv = make_string(c, f, rounded, pic->max_frac);
	static const uint16_t dot_unit = '.';
	long dpos = u_indexof(sv, u_view(&dot_unit, 1), 0);
	if (dpos == -1)
		sv = u_cat(c, sv, f->p[P_DECIMAL]);
	else
		sv = u_cat3(c, u_view(sv.u, (size_t)dpos), f->p[P_DECIMAL],
			    u_view(sv.u + dpos + 1, sv.n - (size_t)dpos - 1));
	while (ch_is(u_char_at(sv, 0), f->p[P_ZERO]) && sv.n)
		sv = u_view(sv.u + 1, sv.n - 1);
	while (sv.n && ch_is(u_char_at(sv, (long)sv.n - 1), f->p[P_ZERO]))
		sv.n--;
	dpos = u_indexof(sv, f->p[P_DECIMAL], 0);
	double padl = (double)pic->min_int - (double)dpos;
	double padr = (double)pic->min_frac - ((double)sv.n - (double)dpos - 1);
	sv = u_cat3(c, padl > 0 ? u_repeat(c, f->p[P_ZERO], padl) : u_empty(), sv,
		    padr > 0 ? u_repeat(c, f->p[P_ZERO], padr) : u_empty());
	dpos = u_indexof(sv, f->p[P_DECIMAL], 0);
	size_t svcap = 0; /* sv is not ours to grow in place yet */
	if (pic->regular > 0) {
		long groups = (long)floor((double)(dpos - 1) / (double)pic->regular);
		for (long g = 1; g <= groups; g++) {
			double at = (double)dpos - (double)g * (double)pic->regular;
			sv = u_slice_insert(c, sv, &svcap, at, f->p[P_GROUPING]);
			if (jn_tick(c) < 0)
				return -1;
		}
	} else {
		for (size_t i = 0; i < pic->nigp; i++) {
			double at = (double)dpos - (double)pic->igp[i];
			sv = u_slice_insert(c, sv, &svcap, at, f->p[P_GROUPING]);
			dpos++;
			if (jn_tick(c) < 0)
				return -1;
		}
	}
	dpos = u_indexof(sv, f->p[P_DECIMAL], 0);
	for (size_t i = 0; i < pic->nfgp; i++) {
		double at = (double)pic->fgp[i] + (double)dpos + 1;
		sv = u_slice_insert(c, sv, &svcap, at, f->p[P_GROUPING]);
		if (jn_tick(c) < 0)
			return -1;
	}
	dpos = u_indexof(sv, f->p[P_DECIMAL], 0);
	if (!pic->has_decimal || dpos == (long)sv.n - 1)
		sv = u_substring(sv, 0, (double)sv.n - 1);
	if (has_exp) {
		U se = make_string(c, f, exponent, 0);
		double pad = (double)pic->min_exp - (double)se.n;
		if (pad > 0)
			se = u_cat(c, u_repeat(c, f->p[P_ZERO], pad), se);
		sv = u_cat(c, sv, f->p[P_EXPONENT]);
		if (exponent < 0)
			sv = u_cat(c, sv, f->p[P_MINUS]);
		sv = u_cat(c, sv, se);
	}
	sv = u_cat3(c, pic->prefix, sv, pic->suffix);
	*out = u_str(c, sv);
	return 0;
}


int jn_fn_formatNumber(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *value = arg(call, 0), *picture = arg(call, 1), *options = arg(call, 2);
	if (!value)
		return 0;
	struct fmt_an local;
	int custom;
	resolve_format(c, options, &local.f, &custom);
	format_derive(&local.f);
	if (!picture) /* JavaScript: a TypeError (no JSONata code) */
		return jn_throw_arg(c, "T0410", -1, NULL, 2, NULL, NULL);
	unsigned char key[FMT_KEY_MAX];
	size_t keylen = fmt_key(&local.f, custom, picture, key);
	const struct fmt_an *an = keylen ? fmt_cache_get(key, keylen) : NULL;
	if (!an) {
		const char *e = analyse_picture(c, u_of_jv(c, picture), &local);
		if (e)
			return jn_throw(c, e, -1, NULL, NULL);
		if (keylen)
			fmt_cache_put(key, keylen, &local);
		an = &local;
	}
	return format_value(c, an, value->u.num, out);
}

/* ------------------------------------------------------------------ */
/* $formatBase                                                           */
/* ------------------------------------------------------------------ */

int jn_fn_formatBase(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *value = arg(call, 0), *radix = arg(call, 1);
	if (!value)
		return 0;
	double v = jn_js_round(value->u.num, 0);
	double r = radix ? jn_js_round(radix->u.num, 0) : 10;
	if (r < 2 || r > 36)
		return jn_throw(c, "D3100", -1, NULL, jn_num(c, r));
	*out = js_to_radix(c, v, (int)r);
	return 0;
}

