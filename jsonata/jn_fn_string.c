/* jn_fn_string.c: JSONata's string functions ($substring, $substringBefore,
 * $substringAfter, $uppercase, $lowercase, $trim, $pad, $contains, $split,
 * $join, $replace, $base64encode/decode, $encodeUrl[Component],
 * $decodeUrl[Component]) as functions.js implements them on JavaScript
 * strings: code points where it uses stringToArray ($substring, $pad),
 * UTF-16 code units where JavaScript's own methods count them (split(""),
 * btoa's latin1 view), full Unicode case mapping (tables generated from
 * node's ICU: jn_case_tables.h). The regex forms of $contains/$split/
 * $replace are in jn_fn_regex.c.
 *
 * Thread-safety: as every builtin (one evaluation's arena). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jn_fn_a.h"
#include "jn_int.h"
#include "jn_case_tables.h"

static jv *arg(const struct jn_call *call, int i) { return i < call->nargs ? call->args[i] : NULL; }

/* ------------------------------------------------------------------ */
/* Shared helpers (jn_fn_a.h)                                           */
/* ------------------------------------------------------------------ */

struct jn_u16 jn_u16_from(struct jn_ctx *c, const char *p, size_t n)
{
	struct jn_u16 r;
	r.u = jn_alloc_raw(c, (n + 1) * sizeof *r.u); /* units <= bytes */
	r.n = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp = jn_utf8_next(p, n, &i);
		if (cp >= 0x10000) {
			cp -= 0x10000;
			r.u[r.n++] = (uint16_t)(0xd800 + (cp >> 10));
			r.u[r.n++] = (uint16_t)(0xdc00 + (cp & 0x3ff));
		} else {
			r.u[r.n++] = (uint16_t)cp;
		}
	}
	return r;
}

void jn_sb_u16(struct jn_ctx *c, struct jn_sb *b, const uint16_t *u, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t cp = u[i];
		if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n && u[i + 1] >= 0xdc00 && u[i + 1] <= 0xdfff) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (u[i + 1] - 0xdc00u);
			i++;
		}
		jn_sb_cp(c, b, cp);
	}
}

jv *jn_u16_str(struct jn_ctx *c, const uint16_t *u, size_t n)
{
	struct jn_sb b;
	jn_sb_init(&b);
	jn_sb_u16(c, &b, u, n);
	return jn_sb_str(c, &b);
}

int jn_room(struct jn_ctx *c, double bytes)
{
	size_t cap = c->arena.cap, used = c->arena.total;
	/* NaN and negative sizes build nothing; with no cap (0), what a
	 * size_t cannot hold is still refused */
	if (!(bytes > 0))
		return 0;
	if (!cap)
		cap = SIZE_MAX / 2;
	if (used < cap && bytes <= (double)(cap - used))
		return 0;
	return jn_throw(c, "U1002", -1, NULL, jn_num(c, (double)cap));
}

double jn_js_toint(double d)
{
	if (isnan(d))
		return 0;
	return trunc(d) + 0.0; /* -0 -> 0 */
}

/* Array.prototype.slice's index resolution over length len. */
static size_t slice_index(double rel, size_t len)
{
	rel = jn_js_toint(rel);
	if (rel < 0) {
		rel += (double)len;
		return rel < 0 ? 0 : (size_t)rel;
	}
	return rel > (double)len ? len : (size_t)rel;
}

/* ------------------------------------------------------------------ */
/* $substring, $substringBefore, $substringAfter                        */
/* ------------------------------------------------------------------ */

static int is_ascii(const jv *s)
{
	if (s->flags & JV_STR_ASCII)
		return 1;
	for (size_t i = 0; i < s->u.s.len; i++)
		if ((unsigned char)s->u.s.p[i] >= 0x80)
			return 0;
	return 1;
}

int jn_fn_substring(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0), *start = arg(call, 1), *length = arg(call, 2);
	if (!str)
		return 0;
	const char *p = str->u.s.p;
	size_t n = str->u.s.len;
	int ascii = is_ascii(str);
	size_t cps = ascii ? n : jn_utf8_cplen(p, n);
	double st = start ? start->u.num : NAN; /* undefined: NaN in the arithmetic, 0 in slice() */
	if ((double)cps + st < 0)
		st = 0;
	size_t from, to;
	if (length) {
		double len = length->u.num;
		if (len <= 0) {
			*out = jn_str_ref(c, "", 0);
			return 0;
		}
		double end = st >= 0 ? st + len : (double)cps + st + len;
		from = slice_index(st, cps);
		to = slice_index(end, cps);
	} else {
		from = slice_index(st, cps);
		to = cps;
	}
	if (from >= to) {
		*out = jn_str_ref(c, "", 0);
		return 0;
	}
	size_t bf = ascii ? from : jn_utf8_cp_offset(p, n, from);
	size_t bt = ascii ? to : bf + jn_utf8_cp_offset(p + bf, n - bf, to - from);
	*out = jn_str_ref(c, p + bf, bt - bf);
	return 0;
}

/* str.indexOf(chars) on UTF-8 bytes (same answer as on UTF-16 units for
 * well-formed text: UTF-8 is self-synchronising). (size_t)-1: absent. */
static size_t find(const char *h, size_t hn, const char *nd, size_t nn, size_t from)
{
	if (nn == 0)
		return from <= hn ? from : hn;
	if (from > hn || hn - from < nn)
		return (size_t)-1;
	const char *r = memmem(h + from, hn - from, nd, nn);
	return r ? (size_t)(r - h) : (size_t)-1;
}

/* The second argument as JavaScript's indexOf sees it (undefined is the
 * text "undefined"). */
static struct jn_str needle(const jv *v)
{
	struct jn_str s = {"undefined", 9};
	if (jn_is_string(v))
		s = v->u.s;
	return s;
}

int jn_fn_substringBefore(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0);
	if (!str)
		return 0;
	struct jn_str nd = needle(arg(call, 1));
	size_t pos = find(str->u.s.p, str->u.s.len, nd.p, nd.len, 0);
	*out = pos == (size_t)-1 ? str : jn_str_ref(c, str->u.s.p, pos);
	return 0;
}

int jn_fn_substringAfter(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0);
	if (!str)
		return 0;
	struct jn_str nd = needle(arg(call, 1));
	size_t pos = find(str->u.s.p, str->u.s.len, nd.p, nd.len, 0);
	*out = pos == (size_t)-1 ? str : jn_str_ref(c, str->u.s.p + pos + nd.len, str->u.s.len - pos - nd.len);
	return 0;
}

/* ------------------------------------------------------------------ */
/* $uppercase, $lowercase                                               */
/* ------------------------------------------------------------------ */

static const struct jn_case_map *case_find(const struct jn_case_map *t, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t[mid].cp == cp)
			return &t[mid];
		if (t[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int in_ranges(const struct jn_case_range *t, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < t[mid].lo)
			hi = mid;
		else if (cp > t[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int is_cased(uint32_t cp) { return in_ranges(jn_cased, NELEM(jn_cased), cp); }
static int is_case_ignorable(uint32_t cp) { return in_ranges(jn_case_ignorable, NELEM(jn_case_ignorable), cp); }

/* Unicode's Final_Sigma condition for the sigma at byte range [at, after). */
static int final_sigma(const char *p, size_t n, size_t at, size_t after)
{
	/* before: a cased letter, skipping case-ignorables */
	int before = 0;
	size_t i = at;
	while (i > 0) {
		size_t j = i - 1;
		while (j > 0 && ((unsigned char)p[j] & 0xc0) == 0x80)
			j--;
		size_t k = j;
		uint32_t cp = jn_utf8_next(p, n, &k);
		i = j;
		if (is_case_ignorable(cp))
			continue;
		before = is_cased(cp);
		break;
	}
	if (!before)
		return 0;
	for (i = after; i < n;) {
		uint32_t cp = jn_utf8_next(p, n, &i);
		if (is_case_ignorable(cp))
			continue;
		return !is_cased(cp);
	}
	return 1;
}

static int map_case(struct jn_ctx *c, jv *str, int upper, jv **out)
{
	const char *p = str->u.s.p;
	size_t n = str->u.s.len, i;
	/* nothing to change: the same value */
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];
		if (ch >= 0x80 || (upper ? (ch >= 'a' && ch <= 'z') : (ch >= 'A' && ch <= 'Z')))
			break;
	}
	if (i == n) {
		*out = str;
		return 0;
	}
	struct jn_sb b;
	jn_sb_init(&b);
	jn_sb_put(c, &b, p, i);
	const struct jn_case_map *t = upper ? jn_upper_map : jn_lower_map;
	size_t tn = upper ? NELEM(jn_upper_map) : NELEM(jn_lower_map);
	while (i < n) {
		unsigned char ch = (unsigned char)p[i];
		if (ch < 0x80) {
			if (upper && ch >= 'a' && ch <= 'z')
				ch -= 32;
			else if (!upper && ch >= 'A' && ch <= 'Z')
				ch += 32;
			jn_sb_putc(c, &b, (char)ch);
			i++;
			continue;
		}
		size_t at = i;
		uint32_t cp = jn_utf8_next(p, n, &i);
		if (!upper && cp == 0x3a3) {
			jn_sb_cp(c, &b, final_sigma(p, n, at, i) ? 0x3c2 : 0x3c3);
			continue;
		}
		const struct jn_case_map *m = case_find(t, tn, cp);
		if (m)
			jn_sb_put(c, &b, m->to, m->len);
		else
			jn_sb_put(c, &b, p + at, i - at);
	}
	*out = jn_sb_str(c, &b);
	return 0;
}

int jn_fn_uppercase(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0);
	return str ? map_case(c, str, 1, out) : 0;
}

int jn_fn_lowercase(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0);
	return str ? map_case(c, str, 0, out) : 0;
}

/* ------------------------------------------------------------------ */
/* $trim, $pad                                                          */
/* ------------------------------------------------------------------ */

static int trim_ws(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

int jn_fn_trim(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0);
	if (!str)
		return 0;
	const char *p = str->u.s.p;
	size_t n = str->u.s.len;
	struct jn_sb b;
	jn_sb_init(&b);
	/* str.replace(/[ \t\n\r]+/gm, ' ') then one leading and one trailing
	 * space removed */
	for (size_t i = 0; i < n;) {
		if (trim_ws(p[i])) {
			while (i < n && trim_ws(p[i]))
				i++;
			jn_sb_putc(c, &b, ' ');
			continue;
		}
		size_t j = i;
		while (j < n && !trim_ws(p[j]))
			j++;
		jn_sb_put(c, &b, p + i, j - i);
		i = j;
	}
	const char *r = b.p ? b.p : "";
	size_t rn = b.n;
	if (rn && r[0] == ' ') {
		r++;
		rn--;
	}
	if (rn && r[rn - 1] == ' ')
		rn--;
	*out = jn_str_ref(c, r, rn);
	return 0;
}

int jn_fn_pad(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0), *width = arg(call, 1), *ch = arg(call, 2);
	if (!str)
		return 0;
	const char *pc = " ";
	size_t pn = 1;
	if (ch && ch->u.s.len > 0) {
		pc = ch->u.s.p;
		pn = ch->u.s.len;
	}
	double w = width ? trunc(width->u.num) : NAN;
	double padlen = fabs(w) - (double)jn_utf8_cplen(str->u.s.p, str->u.s.len);
	if (!(padlen > 0)) {
		*out = str;
		return 0;
	}
	/* the first padlen code points of the pad string repeated: whole
	 * copies of it, then a head of it. Sized (and checked against the
	 * memory cap) before anything is built: $pad("x", 1e21) is U1002 at
	 * once, not a loop until the cap or the time limit. */
	/* each code point of padding is at least one byte: a width past the
	 * cap is refused before the arithmetic below, which is exact only
	 * while padlen is (6.4e37 / 3 left a "rest" of 1e21 code points to
	 * walk in a 3-byte pad string: found by fuzz_jsonata) */
	if (jn_room(c, padlen + (double)str->u.s.len + 1) < 0)
		return -1;
	double pcps = (double)jn_utf8_cplen(pc, pn);
	double whole = floor(padlen / pcps), rest = padlen - whole * pcps;
	size_t head = 0;
	for (double k = 0; k < rest && head < pn; k++)
		(void)jn_utf8_next(pc, pn, &head);
	double total = whole * (double)pn + (double)head + (double)str->u.s.len;
	if (jn_room(c, total + 1) < 0)
		return -1;
	struct jn_sb b = {.p = jn_alloc_raw(c, (size_t)total + 1), .n = 0, .cap = (size_t)total + 1};
	if (w > 0)
		jn_sb_put(c, &b, str->u.s.p, str->u.s.len);
	/* doubling copies: log(whole) memcpys, a time check between them */
	size_t from = b.n;
	if (whole >= 1)
		jn_sb_put(c, &b, pc, pn);
	size_t have = 1, want = (size_t)whole;
	while (have < want) {
		size_t n = have < want - have ? have : want - have;
		memcpy(b.p + b.n, b.p + from, n * pn);
		b.n += n * pn;
		have += n;
		if (jn_tick(c) < 0)
			return -1;
	}
	jn_sb_put(c, &b, pc, head);
	if (!(w > 0))
		jn_sb_put(c, &b, str->u.s.p, str->u.s.len);
	*out = jn_sb_str(c, &b);
	return 0;
}

/* ------------------------------------------------------------------ */
/* $contains, $split, $join, $replace                                   */
/* ------------------------------------------------------------------ */

int jn_fn_contains(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0), *token = arg(call, 1);
	if (!str || !token)
		return 0;
	if (jn_is_string(token)) {
		*out = jn_bool(find(str->u.s.p, str->u.s.len, token->u.s.p, token->u.s.len, 0) != (size_t)-1);
		return 0;
	}
	return jn_rx_contains(c, str, token, out);
}

/* JavaScript's ToUint32. */
static double to_uint32(double d)
{
	if (!isfinite(d))
		return 0;
	d = trunc(d);
	d = fmod(d, 4294967296.0);
	if (d < 0)
		d += 4294967296.0;
	return d;
}

int jn_fn_split(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0), *sep = arg(call, 1), *limit = arg(call, 2);
	if (!str)
		return 0;
	if (limit && limit->u.num < 0)
		return jn_throw_arg(c, "D3020", -1, NULL, 3, NULL, limit);
	if (limit && !(limit->u.num > 0)) {
		*out = jn_arr_new(c, 0);
		return 0;
	}
	if (!sep) /* JavaScript: a TypeError (no JSONata code) */
		return jn_throw_arg(c, "T0410", -1, NULL, 2, NULL, NULL);
	if (!jn_is_string(sep))
		return jn_rx_split(c, str, sep, limit, out);
	/* String.prototype.split(separator, limit) */
	double lim = limit ? to_uint32(limit->u.num) : 4294967295.0;
	jv *res = jn_arr_new(c, 4);
	*out = res;
	if (lim == 0)
		return 0;
	struct jn_str s = str->u.s;
	struct jn_str nd = needle(sep);
	if (nd.len == 0) {
		/* code units, a surrogate pair split in two */
		struct jn_u16 u = jn_u16_from(c, s.p, s.len);
		for (size_t i = 0; i < u.n && (double)res->u.a.n < lim; i++)
			jn_arr_push(c, res, jn_u16_str(c, u.u + i, 1));
		return 0;
	}
	size_t from = 0;
	for (;;) {
		size_t pos = find(s.p, s.len, nd.p, nd.len, from);
		if (pos == (size_t)-1)
			break;
		jn_arr_push(c, res, jn_str_ref(c, s.p + from, pos - from));
		if ((double)res->u.a.n >= lim)
			return 0;
		from = pos + nd.len;
	}
	jn_arr_push(c, res, jn_str_ref(c, s.p + from, s.len - from));
	return 0;
}

int jn_fn_join(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *strs = arg(call, 0), *sep = arg(call, 1);
	if (!strs)
		return 0;
	size_t n = jn_is_array(strs) ? strs->u.a.n : 1;
	/* sized first: a separator repeated between many items can be far
	 * bigger than the items (U1002 at once, and one allocation) */
	double total = 1;
	for (size_t i = 0; i < n; i++) {
		const jv *v = jn_is_array(strs) ? strs->u.a.v[i] : strs;
		total += (double)(jn_is_string(v) ? v->u.s.len : 0) + (double)(i && sep ? sep->u.s.len : 0);
	}
	if (jn_room(c, total) < 0)
		return -1;
	struct jn_sb b = {.p = jn_alloc_raw(c, (size_t)total), .n = 0, .cap = (size_t)total};
	for (size_t i = 0; i < n; i++) {
		const jv *v = jn_is_array(strs) ? strs->u.a.v[i] : strs;
		if (i && sep)
			jn_sb_put(c, &b, sep->u.s.p, sep->u.s.len);
		if (jn_is_string(v))
			jn_sb_put(c, &b, v->u.s.p, v->u.s.len);
	}
	*out = jn_sb_str(c, &b);
	return 0;
}

int jn_fn_replace(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0), *pattern = arg(call, 1), *rep = arg(call, 2), *limit = arg(call, 3);
	if (!str)
		return 0;
	if (jn_is_string(pattern) && pattern->u.s.len == 0)
		return jn_throw_arg(c, "D3010", -1, NULL, 2, NULL, pattern);
	if (limit && limit->u.num < 0)
		return jn_throw_arg(c, "D3011", -1, NULL, 4, NULL, limit);
	if (limit && !(limit->u.num > 0)) {
		*out = str;
		return 0;
	}
	/* JavaScript fails with a TypeError on these (no JSONata code) */
	if (!pattern)
		return jn_throw_arg(c, "T0410", -1, NULL, 2, NULL, NULL);
	if (!jn_is_string(pattern)) {
		if (!rep)
			return jn_throw_arg(c, "T0410", -1, NULL, 3, NULL, NULL);
		return jn_rx_replace(c, str, pattern, rep, limit, out);
	}
	/* a string pattern: the replacement is inserted as is (no $n);
	 * JavaScript's `result += replacement` gives "undefined" for a missing
	 * one (and a function's source text for a function: "" here) */
	struct jn_str s = str->u.s, nd = pattern->u.s;
	struct jn_str r = {"", 0};
	if (jn_is_string(rep))
		r = rep->u.s;
	else if (!rep)
		r = (struct jn_str){"undefined", 9};
	/* the matches counted first, so that the result is sized (and checked
	 * against the memory cap) before it is built: a long replacement at
	 * many places can be far bigger than the text */
	double count = 0;
	for (size_t at = 0;; count++) {
		if (limit && !(count < limit->u.num))
			break;
		size_t pos = find(s.p, s.len, nd.p, nd.len, at);
		if (pos == (size_t)-1)
			break;
		at = pos + nd.len;
		/* refused as soon as what is counted would not fit */
		if (((unsigned long)count & 0xff) == 0xff &&
		    (jn_room(c, (double)s.len + (count + 1) * ((double)r.len - (double)nd.len) + 1) < 0 ||
		     jn_tick(c) < 0))
			return -1;
	}
	double total = (double)s.len + count * ((double)r.len - (double)nd.len) + 1;
	if (jn_room(c, total) < 0)
		return -1;
	struct jn_sb b = {.p = jn_alloc_raw(c, (size_t)total), .n = 0, .cap = (size_t)total};
	size_t from = 0;
	double done = 0;
	for (; done < count; done++) {
		size_t pos = find(s.p, s.len, nd.p, nd.len, from);
		jn_sb_put(c, &b, s.p + from, pos - from);
		jn_sb_put(c, &b, r.p, r.len);
		from = pos + nd.len;
	}
	if (count == 0) {
		*out = str;
		return 0;
	}
	jn_sb_put(c, &b, s.p + from, s.len - from);
	*out = jn_sb_str(c, &b);
	return 0;
}

/* ------------------------------------------------------------------ */
/* $base64encode, $base64decode                                         */
/* ------------------------------------------------------------------ */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int jn_fn_base64encode(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0);
	if (!str)
		return 0;
	/* Buffer.from(str, 'binary'): each UTF-16 unit's low byte */
	struct jn_u16 u = jn_u16_from(c, str->u.s.p, str->u.s.len);
	struct jn_sb b;
	jn_sb_init(&b);
	for (size_t i = 0; i < u.n; i += 3) {
		uint32_t v = (uint32_t)(u.u[i] & 0xff) << 16;
		if (i + 1 < u.n)
			v |= (uint32_t)(u.u[i + 1] & 0xff) << 8;
		if (i + 2 < u.n)
			v |= u.u[i + 2] & 0xff;
		char q[4] = {b64[v >> 18], b64[(v >> 12) & 63], i + 1 < u.n ? b64[(v >> 6) & 63] : '=',
			     i + 2 < u.n ? b64[v & 63] : '='};
		jn_sb_put(c, &b, q, 4);
	}
	*out = jn_sb_str(c, &b);
	return 0;
}

static int unb64(unsigned ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return (int)(ch - 'A');
	if (ch >= 'a' && ch <= 'z')
		return (int)(ch - 'a' + 26);
	if (ch >= '0' && ch <= '9')
		return (int)(ch - '0' + 52);
	if (ch == '+' || ch == '-')
		return 62;
	if (ch == '/' || ch == '_')
		return 63;
	return -1;
}

int jn_fn_base64decode(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0);
	if (!str)
		return 0;
	/* Buffer.from(str, 'base64') as node does it: each unit's low byte,
	 * both alphabets, other characters skipped, '=' ends the data; then
	 * toString('binary'): each byte a code point U+0000..U+00FF */
	struct jn_u16 u = jn_u16_from(c, str->u.s.p, str->u.s.len);
	struct jn_sb b;
	jn_sb_init(&b);
	uint32_t acc = 0;
	int have = 0;
	for (size_t i = 0; i < u.n; i++) {
		unsigned ch = u.u[i] & 0xff;
		if (ch == '=')
			break;
		int v = unb64(ch);
		if (v < 0)
			continue;
		acc = (acc << 6) | (uint32_t)v;
		if (++have == 4) {
			jn_sb_cp(c, &b, (acc >> 16) & 0xff);
			jn_sb_cp(c, &b, (acc >> 8) & 0xff);
			jn_sb_cp(c, &b, acc & 0xff);
			acc = 0;
			have = 0;
		}
	}
	if (have == 2) {
		jn_sb_cp(c, &b, (acc >> 4) & 0xff);
	} else if (have == 3) {
		jn_sb_cp(c, &b, (acc >> 10) & 0xff);
		jn_sb_cp(c, &b, (acc >> 2) & 0xff);
	}
	*out = jn_sb_str(c, &b);
	return 0;
}

/* ------------------------------------------------------------------ */
/* $encodeUrl[Component], $decodeUrl[Component]                         */
/* ------------------------------------------------------------------ */

static int url_unreserved(unsigned ch, int component)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
		return 1;
	if (strchr("-_.!~*'()", (int)ch) && ch)
		return 1;
	return !component && ch && strchr(";/?:@&=+$,#", (int)ch);
}

static int url_error(struct jn_ctx *c, jv *str, const char *fname)
{
	int rc = jn_throw(c, "D3140", -1, NULL, str);
	if (!c->e.function_name)
		c->e.function_name = fname;
	return rc;
}

static int url_encode(struct jn_ctx *c, jv *str, int component, const char *fname, jv **out)
{
	const char *p = str->u.s.p;
	size_t n = str->u.s.len;
	struct jn_sb b;
	jn_sb_init(&b);
	for (size_t i = 0; i < n;) {
		size_t at = i;
		uint32_t cp = jn_utf8_next(p, n, &i);
		if (cp < 0x80 && url_unreserved(cp, component)) {
			jn_sb_putc(c, &b, (char)cp);
			continue;
		}
		if (cp >= 0xd800 && cp <= 0xdfff)
			return url_error(c, str, fname); /* a lone surrogate: URIError */
		char enc[4];
		size_t k = jn_utf8_put(cp, enc);
		(void)at;
		for (size_t j = 0; j < k; j++)
			jn_sb_printf(c, &b, "%%%02X", (unsigned char)enc[j]);
	}
	*out = jn_sb_str(c, &b);
	return 0;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* ECMA-262 Decode(string, reservedSet) on UTF-8 text. */
static int url_decode(struct jn_ctx *c, jv *str, int component, const char *fname, jv **out)
{
	const char *p = str->u.s.p;
	size_t n = str->u.s.len;
	struct jn_sb b;
	jn_sb_init(&b);
	for (size_t k = 0; k < n; k++) {
		if (p[k] != '%') {
			jn_sb_putc(c, &b, p[k]);
			continue;
		}
		size_t start = k;
		if (k + 2 >= n || hexval(p[k + 1]) < 0 || hexval(p[k + 2]) < 0)
			return url_error(c, str, fname);
		unsigned B = (unsigned)(hexval(p[k + 1]) * 16 + hexval(p[k + 2]));
		k += 2;
		if (B < 0x80) {
			if (!component && strchr(";/?:@&=+$,#", (int)B) && B)
				jn_sb_put(c, &b, p + start, k + 1 - start);
			else
				jn_sb_putc(c, &b, (char)B);
			continue;
		}
		int nb = (B & 0xe0) == 0xc0 ? 2 : (B & 0xf0) == 0xe0 ? 3 : (B & 0xf8) == 0xf0 ? 4 : 0;
		if (!nb)
			return url_error(c, str, fname);
		unsigned char oct[4] = {(unsigned char)B};
		if (k + 3 * (size_t)(nb - 1) >= n)
			return url_error(c, str, fname);
		for (int j = 1; j < nb; j++) {
			k++;
			if (p[k] != '%' || hexval(p[k + 1]) < 0 || hexval(p[k + 2]) < 0)
				return url_error(c, str, fname);
			unsigned o = (unsigned)(hexval(p[k + 1]) * 16 + hexval(p[k + 2]));
			if ((o & 0xc0) != 0x80)
				return url_error(c, str, fname);
			oct[j] = (unsigned char)o;
			k += 2;
		}
		uint32_t cp;
		if (nb == 2)
			cp = ((B & 0x1fu) << 6) | (oct[1] & 0x3fu);
		else if (nb == 3)
			cp = ((B & 0x0fu) << 12) | ((oct[1] & 0x3fu) << 6) | (oct[2] & 0x3fu);
		else
			cp = ((B & 0x07u) << 18) | ((oct[1] & 0x3fu) << 12) | ((oct[2] & 0x3fu) << 6) | (oct[3] & 0x3fu);
		uint32_t min = nb == 2 ? 0x80 : nb == 3 ? 0x800 : 0x10000;
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return url_error(c, str, fname);
		jn_sb_put(c, &b, (const char *)oct, (size_t)nb);
	}
	*out = jn_sb_str(c, &b);
	return 0;
}

int jn_fn_encodeUrlComponent(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0);
	return str ? url_encode(c, str, 1, "encodeUrlComponent", out) : 0;
}

int jn_fn_encodeUrl(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0);
	return str ? url_encode(c, str, 0, "encodeUrl", out) : 0;
}

int jn_fn_decodeUrlComponent(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0);
	return str ? url_decode(c, str, 1, "decodeUrlComponent", out) : 0;
}

int jn_fn_decodeUrl(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = arg(call, 0);
	return str ? url_decode(c, str, 0, "decodeUrl", out) : 0;
}
