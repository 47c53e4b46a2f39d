/* jn_fn_array.c: JSONata's array functions — $sort, $reverse, $shuffle,
 * $distinct, $zip ($count and $append are jn_fn_core.c's).
 *
 * As functions.js: $sort is the same top-down merge sort (the middle at
 * floor(n/2), the right item taken when comparator(left, right) is truthy in
 * JavaScript's sense), so a comparator that is not a consistent order gives
 * the reference's result too; without a comparator the items must be all
 * numbers or all strings (D3070) and strings compare by UTF-16 code units.
 * An array of 0 or 1 items is returned as it came (flags included) by
 * $sort/$reverse/$shuffle/$distinct, a new plain array otherwise; $distinct
 * keeps a sequence a sequence.
 *
 * Thread-safety: none needed; everything lives in the evaluation's arena. */
#include <math.h>
#include <string.h>

#include "jn_int.h"

static jv *arg(const struct jn_call *call, int i)
{
	return i < call->nargs ? call->args[i] : NULL;
}

/* ---------------------------------------------------------------- */
/* Comparisons as JavaScript's `a > b`                               */
/* ---------------------------------------------------------------- */

/* A UTF-16 code unit reader over UTF-8 (WTF-8) bytes. */
struct u16it {
	const char *p;
	size_t n, i;
	int pending; /* a low surrogate still to return, or -1 */
};

static int u16_next(struct u16it *it)
{
	if (it->pending >= 0) {
		int u = it->pending;
		it->pending = -1;
		return u;
	}
	if (it->i >= it->n)
		return -1;
	uint32_t cp = jn_utf8_next(it->p, it->n, &it->i);
	if (cp >= 0x10000) {
		cp -= 0x10000;
		it->pending = (int)(0xDC00 + (cp & 0x3FF));
		return (int)(0xD800 + (cp >> 10));
	}
	return (int)cp;
}

/* <0, 0, >0 as the strings compare by UTF-16 code units (JavaScript's <). */
static int str_cmp_u16(const struct jn_str *a, const struct jn_str *b)
{
	/* bytes order as code points do; only a code point above U+FFFF
	 * against one in U+E000..U+FFFF orders differently in UTF-16, so the
	 * common prefix is skipped bytewise first */
	size_t n = a->len < b->len ? a->len : b->len, k = 0;
	while (k < n && a->p[k] == b->p[k])
		k++;
	if (k == n)
		return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
	/* back to the start of the code point that differs */
	while (k > 0 && ((unsigned char)a->p[k] & 0xC0) == 0x80)
		k--;
	struct u16it x = {a->p + k, a->len - k, 0, -1}, y = {b->p + k, b->len - k, 0, -1};
	for (;;) {
		int u = u16_next(&x), v = u16_next(&y);
		if (u != v)
			return u < v ? -1 : 1; /* -1 (end) sorts first */
		if (u < 0)
			return 0;
	}
}

/* JavaScript's `a > b` for two numbers or two strings. */
static int js_greater(const jv *a, const jv *b)
{
	if (a->type == JV_NUMBER && b->type == JV_NUMBER)
		return a->u.num > b->u.num;
	return str_cmp_u16(&a->u.s, &b->u.s) > 0;
}

/* JavaScript's truthiness of a JSONata value: what `if (await comp(...))`
 * tests in functions.js sort(). Arrays, objects and functions are true. */
static int js_truthy(const jv *v)
{
	if (!v)
		return 0;
	switch (v->type) {
	case JV_NULL:
		return 0;
	case JV_BOOL:
		return v->u.b != 0;
	case JV_NUMBER:
		return v->u.num != 0 && !isnan(v->u.num);
	case JV_STRING:
		return v->u.s.len != 0;
	default:
		return 1;
	}
}

/* ---------------------------------------------------------------- */
/* $sort                                                            */
/* ---------------------------------------------------------------- */

struct sorter {
	struct jn_ctx *c;
	jv *comp; /* NULL: js_greater */
	unsigned long ncmp;
};

/* comp(l, r) truthy: r goes first. 1, 0, or -1 (error raised). */
static int swap_needed(struct sorter *s, jv *l, jv *r)
{
	if (!s->comp) {
		/* millions of items: let the time limit end it */
		if ((++s->ncmp & 0xFF) == 0 && jn_tick(s->c) < 0)
			return -1;
		return js_greater(l, r);
	}
	jv *args[2] = {l, r}, *res = NULL;
	if (jn_apply(s->c, s->comp, args, 2, &res) < 0)
		return -1;
	return js_truthy(res);
}

/* msort(array) of functions.js: sorts v[0..n) using tmp[0..n). */
static int msort(struct sorter *s, jv **v, jv **tmp, size_t n)
{
	if (n <= 1)
		return 0;
	size_t mid = n / 2;
	if (msort(s, v, tmp, mid) < 0 || msort(s, v + mid, tmp + mid, n - mid) < 0)
		return -1;
	size_t i = 0, j = mid, k = 0;
	while (i < mid && j < n) {
		int sw = swap_needed(s, v[i], v[j]);
		if (sw < 0)
			return -1;
		tmp[k++] = sw ? v[j++] : v[i++];
	}
	while (i < mid)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
	return 0;
}

int jn_fn_sort(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0), *comp = arg(call, 1);
	if (!a)
		return 0;
	if (a->type != JV_ARRAY || a->u.a.n <= 1) {
		*out = a;
		return 0;
	}
	size_t n = a->u.a.n;
	if (!comp) {
		int nums = 1, strs = 1;
		for (size_t i = 0; i < n; i++) {
			int t = a->u.a.v[i]->type;
			if (t != JV_NUMBER)
				nums = 0;
			if (t != JV_STRING)
				strs = 0;
		}
		if (!nums && !strs)
			return jn_throw(c, "D3070", -1, NULL, NULL);
	}
	jv *r = jn_arr_new(c, n);
	jv **tmp = jn_alloc_raw(c, n * sizeof *tmp);
	memcpy(r->u.a.v, a->u.a.v, n * sizeof *tmp);
	r->u.a.n = n;
	struct sorter s = {c, comp, 0};
	if (msort(&s, r->u.a.v, tmp, n) < 0)
		return -1;
	*out = r;
	return 0;
}

/* ---------------------------------------------------------------- */
/* $reverse, $shuffle, $distinct, $zip                               */
/* ---------------------------------------------------------------- */

int jn_fn_reverse(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (!a)
		return 0;
	if (a->type != JV_ARRAY || a->u.a.n <= 1) {
		*out = a;
		return 0;
	}
	size_t n = a->u.a.n;
	jv *r = jn_arr_new(c, n);
	for (size_t i = 0; i < n; i++)
		r->u.a.v[i] = a->u.a.v[n - 1 - i];
	r->u.a.n = n;
	*out = r;
	return 0;
}

int jn_fn_shuffle(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (!a)
		return 0;
	if (a->type != JV_ARRAY || a->u.a.n <= 1) {
		*out = a;
		return 0;
	}
	size_t n = a->u.a.n;
	jv *r = jn_arr_new(c, n);
	jv **v = r->u.a.v;
	/* the 'inside-out' Fisher-Yates of functions.js */
	for (size_t i = 0; i < n; i++) {
		size_t j = (size_t)floor(jn_random(c) * (double)(i + 1));
		if (j > i)
			j = i;
		if (i != j)
			v[i] = v[j];
		v[j] = a->u.a.v[i];
		if ((i & 0xFF) == 0xFF && jn_tick(c) < 0)
			return -1;
	}
	r->u.a.n = n;
	*out = r;
	return 0;
}

static uint32_t mix32(uint32_t h)
{
	h ^= h >> 16;
	h *= 0x7feb352du;
	h ^= h >> 15;
	h *= 0x846ca68bu;
	h ^= h >> 16;
	return h;
}

static uint32_t bytes_hash(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 16777619u;
	return h;
}

/* A hash of a value consistent with jn_deep_equal: numbers by value (-0 is
 * 0), strings by bytes, arrays by their items in order, objects by their
 * members in any order (deep_equal ignores key order). A container whose
 * budget (nodes) is below its size counts by its kind and size only; its
 * items share the rest evenly, so equal values spend it alike whatever
 * their key order, items differing deep down still hash apart (not all
 * colliding into a quadratic probe), and a value of shared parts (a DAG,
 * 2^60 paths) costs at most the budget; 512 levels at most (the C
 * stack). Equality is decided by
 * jn_deep_equal; the hash only spreads them. */
#define VHASH_BUDGET (1u << 20)
static uint32_t vhash(const jv *v, size_t budget, int depth)
{
	jn_force((jv *)v); /* a lazy container's items are not there yet */
	switch (v->type) {
	case JV_NUMBER: {
		double d = v->u.num == 0 ? 0 : v->u.num;
		uint64_t b;
		memcpy(&b, &d, sizeof b);
		return mix32((uint32_t)b ^ (uint32_t)(b >> 32) * 31u);
	}
	case JV_STRING:
		return bytes_hash(v->u.s.p, v->u.s.len);
	case JV_ARRAY: {
		uint32_t h = 0x9e3779b9u ^ (uint32_t)v->u.a.n;
		if (budget > v->u.a.n && depth < 512) {
			jn_walk_tick();
			size_t each = (budget - v->u.a.n) / (v->u.a.n ? v->u.a.n : 1);
			for (size_t i = 0; i < v->u.a.n; i++)
				h = mix32(h * 31u + vhash(v->u.a.v[i], each, depth + 1));
		}
		return h;
	}
	case JV_OBJECT: {
		uint32_t h = 0x85ebca6bu ^ (uint32_t)v->u.o.n, sum = 0;
		if (budget > v->u.o.n && depth < 512) {
			jn_walk_tick();
			size_t each = (budget - v->u.o.n) / (v->u.o.n ? v->u.o.n : 1);
			for (size_t i = 0; i < v->u.o.n; i++)
				sum += mix32(bytes_hash(v->u.o.kv[i].k.p, v->u.o.kv[i].k.len) ^
					     vhash(v->u.o.kv[i].v, each, depth + 1));
		}
		return mix32(h + sum);
	}
	case JV_BOOL:
		return v->u.b ? 3 : 5;
	case JV_NULL:
		return 7;
	default:
		return 11; /* functions: equal only to themselves (deep_equal decides) */
	}
}

int jn_fn_distinct(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (!a)
		return 0;
	if (a->type != JV_ARRAY || a->u.a.n <= 1) {
		*out = a;
		return 0;
	}
	size_t n = a->u.a.n;
	jv *r = (a->flags & JV_SEQ) ? jn_seq_new(c) : jn_arr_new(c, 0);
	/* jsonata.js compares each item with every kept one (O(n^2)); an open
	 * hash table over the kept items gives the same result in O(n) */
	size_t cap = 16;
	while (cap < n * 2)
		cap <<= 1;
	uint32_t *slot = jn_alloc(c, cap * sizeof *slot); /* index into r + 1 */
	uint32_t *hs = jn_alloc_raw(c, n * sizeof *hs);
	for (size_t i = 0; i < n; i++) {
		jv *v = a->u.a.v[i];
		uint32_t h = vhash(v, VHASH_BUDGET, 0);
		size_t k = h & (cap - 1);
		int found = 0;
		while (slot[k]) {
			size_t j = slot[k] - 1;
			if (hs[j] == h && jn_deep_equal(v, r->u.a.v[j])) {
				found = 1;
				break;
			}
			k = (k + 1) & (cap - 1);
		}
		if (found)
			continue;
		hs[r->u.a.n] = h;
		jn_arr_push(c, r, v);
		slot[k] = (uint32_t)r->u.a.n;
		if ((i & 0xFF) == 0xFF && jn_tick(c) < 0)
			return -1;
	}
	*out = r;
	return 0;
}

int jn_fn_zip(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	size_t len = (size_t)-1;
	for (int k = 0; k < call->nargs; k++) {
		jv *x = call->args[k];
		size_t l = x && x->type == JV_ARRAY ? x->u.a.n : 0;
		if (l < len)
			len = l;
	}
	if (call->nargs == 0)
		len = 0; /* Math.min() is Infinity: the signature forbids it anyway */
	jv *r = jn_arr_new(c, len);
	for (size_t i = 0; i < len; i++) {
		jv *t = jn_arr_new(c, (size_t)call->nargs);
		for (int k = 0; k < call->nargs; k++)
			t->u.a.v[k] = call->args[k]->u.a.v[i];
		t->u.a.n = (size_t)call->nargs;
		r->u.a.v[i] = t;
	}
	r->u.a.n = len;
	*out = r;
	return 0;
}
