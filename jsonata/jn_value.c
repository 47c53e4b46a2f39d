/* jn_value.c: the arena (with a per-thread chunk cache), values and their
 * constructors, ordered objects, equality and copies, sequences. Text is in
 * jn_text.c, jansson conversion in jn_json.c. */
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jn_int.h"

/* ------------------------------------------------------------------ */
/* Arena                                                               */
/* ------------------------------------------------------------------ */

struct jn_chunk {
	struct jn_chunk *next;
	size_t size;
	_Alignas(16) char data[];
};

#define JN_CHUNK_MIN ((size_t)16 << 10)
#define JN_CHUNK_MAX ((size_t)1 << 20)

/* Chunks kept by the thread between evaluations: a fresh malloc of a
 * large chunk is fresh pages from the kernel (page faults, zeroing) on
 * every evaluation. At most JN_CACHE_MAX bytes, of the standard sizes. */
#define JN_CACHE_MAX ((size_t)8 << 20)
static _Thread_local struct jn_chunk *chunk_cache;
static _Thread_local size_t chunk_cache_bytes;
static _Thread_local int chunk_cache_keyed;
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

/* at thread exit: the thread's cached chunks go back to malloc */
static void cache_drop(void *unused)
{
	(void)unused;
	while (chunk_cache) {
		struct jn_chunk *nx = chunk_cache->next;
		free(chunk_cache);
		chunk_cache = nx;
	}
	chunk_cache_bytes = 0;
}

static void cache_key_init(void) { pthread_key_create(&cache_key, cache_drop); }

static struct jn_chunk *chunk_get(size_t want)
{
	struct jn_chunk **pp = &chunk_cache;
	for (struct jn_chunk *ch = chunk_cache; ch; pp = &ch->next, ch = ch->next) {
		if (ch->size >= want && ch->size <= want * 2) {
			*pp = ch->next;
			chunk_cache_bytes -= ch->size;
			return ch;
		}
	}
	struct jn_chunk *ch = malloc(sizeof(*ch) + want);
	if (ch)
		ch->size = want;
	return ch;
}

static void chunk_put(struct jn_chunk *ch)
{
	/* only the standard sizes: a compile arena's small chunks would never
	 * be taken again (and would make the list long to walk) */
	if (ch->size >= JN_CHUNK_MIN && ch->size <= JN_CHUNK_MAX && chunk_cache_bytes + ch->size <= JN_CACHE_MAX) {
		if (!chunk_cache_keyed) {
			pthread_once(&cache_once, cache_key_init);
			pthread_setspecific(cache_key, (void *)1);
			chunk_cache_keyed = 1;
		}
		ch->next = chunk_cache;
		chunk_cache = ch;
		chunk_cache_bytes += ch->size;
	} else
		free(ch);
}

static void *arena_grow(struct jn_ctx *c, size_t n)
{
	struct jn_arena *a = &c->arena;
	size_t want = a->head ? a->head->size * 2 : a->first ? a->first : JN_CHUNK_MIN;
	if (want > JN_CHUNK_MAX)
		want = JN_CHUNK_MAX;
	if (want < n + 64)
		want = n + 64;
	if (a->cap && a->total + want > a->cap) {
		c->e.code = "U1002";
		c->e.position = -1;
		c->e.has_value = 0;
		if (c->oom_jmp)
			longjmp(*c->oom_jmp, 1);
		abort();
	}
	struct jn_chunk *ch = chunk_get(want);
	if (!ch) {
		c->e.code = "U1002";
		c->e.position = -1;
		if (c->oom_jmp)
			longjmp(*c->oom_jmp, 1);
		abort();
	}
	ch->next = a->head;
	a->head = ch;
	a->total += ch->size + sizeof(*ch);
	want = ch->size;
	a->cur = ch->data;
	a->end = ch->data + want;
	return NULL;
}

/* jn_alloc_raw's slow path (n already rounded): a new chunk */
void *jn_alloc_grow(struct jn_ctx *c, size_t n)
{
	struct jn_arena *a = &c->arena;
	arena_grow(c, n);
	void *p = a->cur;
	a->cur += n;
	return p;
}

void *jn_realloc(struct jn_ctx *c, void *p, size_t old, size_t n)
{
	struct jn_arena *a = &c->arena;
	size_t o16 = (old + 15) & ~(size_t)15, n16 = (n + 15) & ~(size_t)15;
	if (p && (char *)p + o16 == a->cur && (size_t)(a->end - (char *)p) >= n16) {
		a->cur = (char *)p + n16;
		return p;
	}
	void *q = jn_alloc_raw(c, n);
	if (p && old)
		memcpy(q, p, old < n ? old : n);
	return q;
}

char *jn_memdup(struct jn_ctx *c, const void *p, size_t n)
{
	char *q = jn_alloc_raw(c, n + 1);
	if (n)
		memcpy(q, p, n);
	q[n] = 0;
	return q;
}

void jn_defer(struct jn_ctx *c, void (*fn)(void *), void *arg)
{
	struct jn_defer *d = jn_alloc(c, sizeof(*d));
	d->fn = fn;
	d->arg = arg;
	d->next = c->defers;
	c->defers = d;
}

/* Releases the arena (and runs the deferred releases): jn_api.c. */
void jn_arena_release(struct jn_ctx *c)
{
	for (struct jn_defer *d = c->defers; d; d = d->next)
		d->fn(d->arg);
	c->defers = NULL;
	struct jn_chunk *ch = c->arena.head;
	while (ch) {
		struct jn_chunk *nx = ch->next;
		chunk_put(ch);
		ch = nx;
	}
	memset(&c->arena, 0, sizeof(c->arena));
}

/* ------------------------------------------------------------------ */
/* Constants and constructors                                          */
/* ------------------------------------------------------------------ */

static jv v_null = {.type = JV_NULL};
static jv v_true = {.type = JV_BOOL, .u.b = 1};
static jv v_false = {.type = JV_BOOL, .u.b = 0};

jv *jn_null(void) { return &v_null; }
jv *jn_true(void) { return &v_true; }
jv *jn_false(void) { return &v_false; }

/* Numbers and strings take only their part of the union: a range of 1e7
 * numbers is 160 MB, not 480. Never copy a jv by value. */
#define JV_NUM_SIZE (offsetof(jv, u) + sizeof(double))

jv *jn_num(struct jn_ctx *c, double d)
{
	jv *v = jn_alloc_raw(c, JV_NUM_SIZE);
	v->type = JV_NUMBER;
	v->flags = 0;
	v->u.num = d;
	return v;
}

jv *jn_str_ref(struct jn_ctx *c, const char *p, size_t len)
{
	jv *v = jn_alloc_raw(c, JV_STR_SIZE);
	v->type = JV_STRING;
	v->flags = 0;
	v->u.s.p = len ? p : "";
	v->u.s.len = len;
	return v;
}

jv *jn_str(struct jn_ctx *c, const char *p, size_t len)
{
	return jn_str_ref(c, len ? jn_memdup(c, p, len) : "", len);
}

jv *jn_cstr(struct jn_ctx *c, const char *s) { return jn_str(c, s, strlen(s)); }

jv *jn_arr_new(struct jn_ctx *c, size_t cap)
{
	jv *v = jn_alloc(c, sizeof(jv));
	v->type = JV_ARRAY;
	if (cap) {
		v->u.a.v = jn_alloc_raw(c, cap * sizeof(jv *));
		v->u.a.cap = cap;
	}
	return v;
}

jv *jn_seq_new(struct jn_ctx *c)
{
	jv *v = jn_arr_new(c, 0);
	v->flags = JV_SEQ;
	return v;
}

void jn_arr_push(struct jn_ctx *c, jv *a, jv *v)
{
	if (!v)
		return;
	jn_force(a);
	a->flags &= (uint8_t)~JV_DEEP;
	struct jn_arr *r = &a->u.a;
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 4;
		r->v = jn_realloc(c, r->v, r->cap * sizeof(jv *), nc * sizeof(jv *));
		r->cap = nc;
	}
	r->v[r->n++] = v;
}

jv *jn_arr_copy(struct jn_ctx *c, const jv *a)
{
	jn_force((jv *)a);
	jv *r = jn_arr_new(c, a->u.a.n);
	if (a->u.a.n)
		memcpy(r->u.a.v, a->u.a.v, a->u.a.n * sizeof(jv *));
	r->u.a.n = a->u.a.n;
	return r;
}

jv *jn_fn_value(struct jn_ctx *c, struct jn_fn *f)
{
	jv *v = jn_alloc(c, sizeof(jv));
	v->type = JV_FUNCTION;
	v->u.fn = f;
	return v;
}

jv *jn_native(struct jn_ctx *c, const char *name, const char *signature, jn_builtin_fn fn, void *data)
{
	struct jn_builtin *b = jn_alloc(c, sizeof(*b));
	b->name = name;
	b->signature = signature;
	b->fn = fn;
	struct jn_fn *f = jn_alloc(c, sizeof(*f));
	f->kind = JN_FN_NATIVE;
	f->bi = b;
	f->data = data;
	return jn_fn_value(c, f);
}

/* ------------------------------------------------------------------ */
/* Objects                                                             */
/* ------------------------------------------------------------------ */

uint32_t jn_key_hash(const char *k, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)k[i];
		h *= 16777619u;
	}
	return h;
}

/* A canonical array index ("0", "42"; < 2^32 - 1): its value, else -1. */
static int64_t array_index(const char *k, size_t n)
{
	if (n == 0 || n > 10)
		return -1;
	if (k[0] == '0')
		return n == 1 ? 0 : -1;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (k[i] < '0' || k[i] > '9')
			return -1;
		v = v * 10 + (k[i] - '0');
	}
	return v < 4294967295LL ? v : -1;
}

jv *jn_obj_new(struct jn_ctx *c)
{
	jv *v = jn_alloc(c, sizeof(jv));
	v->type = JV_OBJECT;
	return v;
}

static void idx_rebuild(struct jn_ctx *c, struct jn_obj *o, size_t cap)
{
	o->idx = jn_alloc(c, cap * sizeof(uint32_t));
	o->idxcap = cap;
	for (size_t i = 0; i < o->n; i++) {
		size_t j = o->kv[i].hash & (cap - 1);
		while (o->idx[j])
			j = (j + 1) & (cap - 1);
		o->idx[j] = (uint32_t)(i + 1);
	}
}

static long obj_find(const struct jn_obj *o, const char *k, size_t klen, uint32_t h)
{
	if (o->idx) {
		size_t m = o->idxcap - 1, j = h & m;
		while (o->idx[j]) {
			const struct jn_kv *e = &o->kv[o->idx[j] - 1];
			if (e->hash == h && e->k.len == klen && memcmp(e->k.p, k, klen) == 0)
				return (long)o->idx[j] - 1;
			j = (j + 1) & m;
		}
		return -1;
	}
	for (size_t i = 0; i < o->n; i++) {
		const struct jn_kv *e = &o->kv[i];
		if (e->hash == h && e->k.len == klen && memcmp(e->k.p, k, klen) == 0)
			return (long)i;
	}
	return -1;
}

/* A member of a lazy object, without forcing it: looked up in the jansson
 * object (a fresh lazy shell each time). */
static jv *lazy_member(const jv *o, const char *k, size_t klen)
{
	const json_t *x = json_object_getn(o->src, k, klen);
	return x ? jn_from_json_lazy(jn_tl_ctx, x) : NULL;
}

void jn_obj_add_new(struct jn_ctx *c, jv *ov, const char *k, size_t klen, jv *v)
{
	struct jn_obj *o = &ov->u.o;
	if (!v)
		return;
	if (o->idx || array_index(k, klen) >= 0 || o->n == o->cap) {
		jn_obj_set(c, ov, k, klen, v); /* the general case: ordering, index, growth */
		return;
	}
	struct jn_kv *e = &o->kv[o->n++];
	e->k.p = k;
	e->k.len = klen;
	e->hash = jn_key_hash(k, klen);
	e->v = v;
}

void jn_obj_add_done(struct jn_ctx *c, jv *ov)
{
	struct jn_obj *o = &ov->u.o;
	if (o->n > 8 && !o->idx) {
		size_t cap = 32;
		while (o->n * 2 > cap)
			cap *= 2;
		idx_rebuild(c, o, cap);
	}
}

jv *jn_obj_get(const jv *o, const char *k, size_t klen)
{
	if (o && o->type == JV_OBJECT && (o->flags & JV_LAZY))
		return lazy_member(o, k, klen);
	if (!o || o->type != JV_OBJECT || !o->u.o.n)
		return NULL;
	long i = obj_find(&o->u.o, k, klen, jn_key_hash(k, klen));
	return i < 0 ? NULL : o->u.o.kv[i].v;
}

jv *jn_obj_geth(const jv *o, const char *k, size_t klen, uint32_t h)
{
	if (o && o->type == JV_OBJECT && (o->flags & JV_LAZY))
		return lazy_member(o, k, klen);
	if (!o || o->type != JV_OBJECT || !o->u.o.n)
		return NULL;
	long i = obj_find(&o->u.o, k, klen, h);
	return i < 0 ? NULL : o->u.o.kv[i].v;
}

void jn_obj_set(struct jn_ctx *c, jv *ov, const char *k, size_t klen, jv *v)
{
	if (!v)
		return;
	jn_force(ov);
	ov->flags &= (uint8_t)~JV_DEEP;
	struct jn_obj *o = &ov->u.o;
	uint32_t h = jn_key_hash(k, klen);
	long i = obj_find(o, k, klen, h);
	if (i >= 0) {
		o->kv[i].v = v;
		return;
	}
	if (o->n == o->cap) {
		size_t nc = o->cap ? o->cap * 2 : 4;
		o->kv = jn_realloc(c, o->kv, o->cap * sizeof(*o->kv), nc * sizeof(*o->kv));
		o->cap = nc;
	}
	size_t pos = o->n;
	int64_t ai = array_index(k, klen);
	if (ai >= 0) {
		/* JavaScript orders integer keys first, ascending */
		pos = 0;
		while (pos < o->n) {
			int64_t bi = array_index(o->kv[pos].k.p, o->kv[pos].k.len);
			if (bi < 0 || bi > ai)
				break;
			pos++;
		}
		memmove(&o->kv[pos + 1], &o->kv[pos], (o->n - pos) * sizeof(*o->kv));
	}
	o->kv[pos].k.p = k;
	o->kv[pos].k.len = klen;
	o->kv[pos].hash = h;
	o->kv[pos].v = v;
	o->n++;
	if (o->n > 8) {
		if (pos != o->n - 1 || !o->idx || o->n * 2 > o->idxcap) {
			size_t cap = o->idxcap ? o->idxcap : 32;
			while (o->n * 2 > cap)
				cap *= 2;
			idx_rebuild(c, o, cap);
		} else {
			size_t m = o->idxcap - 1, j = h & m;
			while (o->idx[j])
				j = (j + 1) & m;
			o->idx[j] = (uint32_t)o->n;
		}
	}
}

int jn_obj_del(jv *ov, const char *k, size_t klen)
{
	jn_force(ov);
	struct jn_obj *o = &ov->u.o;
	long i = obj_find(o, k, klen, jn_key_hash(k, klen));
	if (i < 0)
		return 0;
	memmove(&o->kv[i], &o->kv[i + 1], (o->n - (size_t)i - 1) * sizeof(*o->kv));
	o->n--;
	if (o->idx) {
		/* rebuild in place: same capacity */
		memset(o->idx, 0, o->idxcap * sizeof(uint32_t));
		for (size_t x = 0; x < o->n; x++) {
			size_t j = o->kv[x].hash & (o->idxcap - 1);
			while (o->idx[j])
				j = (j + 1) & (o->idxcap - 1);
			o->idx[j] = (uint32_t)(x + 1);
		}
	}
	return 1;
}

/* ------------------------------------------------------------------ */
/* Tests, equality, copies                                             */
/* ------------------------------------------------------------------ */

const char *jn_type_name(const jv *v)
{
	if (!v)
		return NULL;
	switch (v->type) {
	case JV_NULL: return "null";
	case JV_BOOL: return "boolean";
	case JV_NUMBER: return "number";
	case JV_STRING: return "string";
	case JV_ARRAY: return "array";
	case JV_OBJECT: return "object";
	default: return "function";
	}
}

int jn_truthy(const jv *v)
{
	if (!v || jn_stack_low())
		return 0;
	jn_walk_tick(); /* [[$a],[$a]] of a DAG: see jn_walk_tick */
	jn_force((jv *)v);
	switch (v->type) {
	case JV_ARRAY:
		if (v->u.a.n == 1)
			return jn_truthy(v->u.a.v[0]);
		for (size_t i = 0; i < v->u.a.n; i++)
			if (jn_truthy(v->u.a.v[i]))
				return 1;
		return 0;
	case JV_STRING: return v->u.s.len > 0;
	case JV_NUMBER: return v->u.num != 0 && !isnan(v->u.num);
	case JV_OBJECT: return v->u.o.n > 0;
	case JV_BOOL: return v->u.b;
	default: return 0;
	}
}

int jn_is_integer(double d) { return isfinite(d) && d == floor(d); }

int jn_deep_equal(const jv *a, const jv *b)
{
	if (a == b)
		return 1;
	if (!a || !b || a->type != b->type || jn_stack_low())
		return 0;
	jn_walk_tick(); /* $f(60) = $f(60) of a DAG: see jn_walk_tick */
	jn_force((jv *)a);
	jn_force((jv *)b);
	switch (a->type) {
	case JV_NULL: return 1;
	case JV_BOOL: return a->u.b == b->u.b;
	case JV_NUMBER: return a->u.num == b->u.num;
	case JV_STRING: return a->u.s.len == b->u.s.len && memcmp(a->u.s.p, b->u.s.p, a->u.s.len) == 0;
	case JV_ARRAY:
		if (a->u.a.n != b->u.a.n)
			return 0;
		for (size_t i = 0; i < a->u.a.n; i++)
			if (!jn_deep_equal(a->u.a.v[i], b->u.a.v[i]))
				return 0;
		return 1;
	case JV_OBJECT:
		if (a->u.o.n != b->u.o.n)
			return 0;
		for (size_t i = 0; i < a->u.o.n; i++) {
			const struct jn_kv *e = &a->u.o.kv[i];
			jv *bv = jn_obj_get(b, e->k.p, e->k.len);
			if (!bv || !jn_deep_equal(e->v, bv))
				return 0;
		}
		return 1;
	default: return 0; /* distinct function values */
	}
}

jv *jn_deep_copy(struct jn_ctx *c, const jv *v)
{
	if (!v || jn_stack_low())
		return (jv *)v;
	jn_force((jv *)v);
	if (v->type == JV_ARRAY) {
		jv *r = jn_arr_new(c, v->u.a.n);
		for (size_t i = 0; i < v->u.a.n; i++)
			r->u.a.v[i] = jn_deep_copy(c, v->u.a.v[i]);
		r->u.a.n = v->u.a.n;
		return r;
	}
	if (v->type == JV_OBJECT) {
		jv *r = jn_obj_new(c);
		for (size_t i = 0; i < v->u.o.n; i++)
			jn_obj_set(c, r, v->u.o.kv[i].k.p, v->u.o.kv[i].k.len, jn_deep_copy(c, v->u.o.kv[i].v));
		return r;
	}
	return (jv *)v;
}

/* ------------------------------------------------------------------ */
/* Sequences                                                           */
/* ------------------------------------------------------------------ */

jv *jn_append(struct jn_ctx *c, jv *a, jv *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	jn_force(a);
	jn_force(b);
	/* Array.prototype.concat: a plain array, whatever the arguments were */
	jv *r = jn_arr_new(c, (a->type == JV_ARRAY ? a->u.a.n : 1) + (b->type == JV_ARRAY ? b->u.a.n : 1));
	if (a->type == JV_ARRAY) {
		for (size_t i = 0; i < a->u.a.n; i++)
			jn_arr_push(c, r, a->u.a.v[i]);
	} else
		jn_arr_push(c, r, a);
	if (b->type == JV_ARRAY)
		for (size_t i = 0; i < b->u.a.n; i++)
			jn_arr_push(c, r, b->u.a.v[i]);
	else
		jn_arr_push(c, r, b);
	return r;
}

jv *jn_seq_result(jv *seq)
{
	if (!seq || seq->type != JV_ARRAY || !(seq->flags & JV_SEQ))
		return seq;
	if (seq->u.a.n == 0)
		return NULL;
	if (seq->u.a.n == 1 && !(seq->flags & JV_KEEP))
		return seq->u.a.v[0];
	return seq;
}

/* ------------------------------------------------------------------ */
/* Misc                                                                */
/* ------------------------------------------------------------------ */

double jn_random(struct jn_ctx *c)
{
	/* xorshift128+ */
	uint64_t s1 = c->rng[0];
	const uint64_t s0 = c->rng[1];
	c->rng[0] = s0;
	s1 ^= s1 << 23;
	c->rng[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
	return (double)((c->rng[1] + s0) >> 11) * (1.0 / 9007199254740992.0);
}
