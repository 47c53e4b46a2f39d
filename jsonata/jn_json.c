/* jn_json.c: jansson values in and out — eager and lazy conversion (a
 * JV_LAZY container filled from its json_t when first walked), forcing, the
 * thread's current evaluation and its stack budget. */
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jn_int.h"

/* ------------------------------------------------------------------ */
/* jansson                                                             */
/* ------------------------------------------------------------------ */

_Thread_local struct jn_ctx *jn_tl_ctx;

int jn_stack_low(void)
{
	char here;
	const struct jn_ctx *c = jn_tl_ctx;
	return c && c->stack_base && c->stack_base - &here > (ptrdiff_t)c->stack_max;
}

static jv *lazy_shell(struct jn_ctx *c, const json_t *j, uint8_t type)
{
	jv *v = jn_alloc_raw(c, sizeof(jv));
	memset(v, 0, sizeof(*v));
	v->type = type;
	v->flags = JV_LAZY;
	v->src = j;
	return v;
}

jv *jn_from_json_lazy(struct jn_ctx *c, const json_t *j)
{
	if (!j)
		return NULL;
	switch (json_typeof(j)) {
	case JSON_ARRAY: return lazy_shell(c, j, JV_ARRAY);
	case JSON_OBJECT: return lazy_shell(c, j, JV_OBJECT);
	default: return jn_from_json(c, j);
	}
}

void jn_force_(jv *v)
{
	struct jn_ctx *c = jn_tl_ctx;
	const json_t *j = v->src;
	v->flags &= (uint8_t)~JV_LAZY;
	if (v->type == JV_ARRAY) {
		size_t n = json_array_size(j);
		v->u.a.v = jn_alloc_raw(c, (n ? n : 1) * sizeof(jv *));
		v->u.a.cap = n;
		for (size_t i = 0; i < n; i++)
			v->u.a.v[i] = jn_from_json_lazy(c, json_array_get(j, i));
		v->u.a.n = n;
	} else {
		const char *k;
		size_t kl;
		json_t *x;
		size_t n = json_object_size(j);
		if (n) {
			v->u.o.kv = jn_alloc_raw(c, n * sizeof(*v->u.o.kv));
			v->u.o.cap = n;
		}
		for (void *it = json_object_iter((json_t *)j); it; it = json_object_iter_next((json_t *)j, it)) {
			k = json_object_iter_key(it);
			kl = json_object_iter_key_len(it);
			x = json_object_iter_value(it);
			jn_obj_add_new(c, v, k, kl, jn_from_json_lazy(c, x));
		}
		jn_obj_add_done(c, v);
	}
}

/* 1 when everything under v is forced (then v is marked JV_DEEP). */
static int force_deep(jv *v, int depth)
{
	if (!v || (v->flags & JV_DEEP))
		return 1;
	if (depth > 10000 || jn_stack_low())
		return 0;
	jn_walk_tick(); /* a DAG deeper than that is walked once per path */
	jn_force(v);
	int complete = 1;
	if (v->type == JV_ARRAY) {
		for (size_t i = 0; i < v->u.a.n; i++)
			if (v->u.a.v[i] && (v->u.a.v[i]->type == JV_ARRAY || v->u.a.v[i]->type == JV_OBJECT))
				complete &= force_deep(v->u.a.v[i], depth + 1);
	} else if (v->type == JV_OBJECT) {
		for (size_t i = 0; i < v->u.o.n; i++)
			if (v->u.o.kv[i].v->type == JV_ARRAY || v->u.o.kv[i].v->type == JV_OBJECT)
				complete &= force_deep(v->u.o.kv[i].v, depth + 1);
	} else
		return 1;
	if (complete)
		v->flags |= JV_DEEP;
	return complete;
}

void jn_force_deep(jv *v) { (void)force_deep(v, 0); }

jv *jn_from_json(struct jn_ctx *c, const json_t *j)
{
	if (!j)
		return NULL;
	switch (json_typeof(j)) {
	case JSON_NULL: return jn_null();
	case JSON_TRUE: return jn_true();
	case JSON_FALSE: return jn_false();
	case JSON_INTEGER: return jn_num(c, (double)json_integer_value(j));
	case JSON_REAL: return jn_num(c, json_real_value(j));
	case JSON_STRING: {
		/* the json_t kept after the value: see JV_STR_JSON */
		jv *v = jn_alloc_raw(c, JV_STR_SIZE + sizeof(j));
		v->type = JV_STRING;
		v->flags = JV_STR_JSON;
		v->u.s.len = json_string_length(j);
		v->u.s.p = v->u.s.len ? json_string_value(j) : "";
		memcpy((char *)v + JV_STR_SIZE, &j, sizeof(j));
		return v;
	}
	case JSON_ARRAY: {
		size_t n = json_array_size(j);
		jv *a = jn_arr_new(c, n);
		for (size_t i = 0; i < n; i++)
			a->u.a.v[i] = jn_from_json(c, json_array_get(j, i));
		a->u.a.n = n;
		return a;
	}
	case JSON_OBJECT: {
		jv *o = jn_obj_new(c);
		const char *k;
		size_t kl, n = json_object_size(j);
		json_t *v;
		if (n) {
			o->u.o.kv = jn_alloc_raw(c, n * sizeof(*o->u.o.kv));
			o->u.o.cap = n;
		}
		for (void *it = json_object_iter((json_t *)j); it; it = json_object_iter_next((json_t *)j, it)) {
			k = json_object_iter_key(it);
			kl = json_object_iter_key_len(it);
			v = json_object_iter_value(it);
			jn_obj_add_new(c, o, k, kl, jn_from_json(c, v));
		}
		jn_obj_add_done(c, o);
		return o;
	}
	}
	return NULL;
}

static json_t *to_json(const jv *v, unsigned depth);

json_t *jn_to_json(const jv *v) { return to_json(v, 0); }

static json_t *to_json(const jv *v, unsigned depth)
{
	if (!v)
		return NULL;
	if ((depth & 31) == 31 && jn_stack_low()) {
		/* nested too deep for this thread's stack: the caller sees D1011 */
		if (jn_tl_ctx)
			jn_throw(jn_tl_ctx, "D1011", -1, NULL, NULL);
		return json_null();
	}
	if (v->flags & JV_LAZY)
		return json_incref((json_t *)v->src); /* untouched input: share it */
	/* an extension function's argument, converted while the evaluation
	 * runs (oom_jmp set), counts against the time limit */
	if (jn_tl_ctx && jn_tl_ctx->oom_jmp && (jn_tl_ctx->e.code || jn_tick(jn_tl_ctx) < 0))
		return json_null();
	if (depth >= JN_RESULT_DEPTH_MAX && (v->type == JV_ARRAY || v->type == JV_OBJECT)) {
		/* json_dumps would recurse as deep: U1003 (see JN_RESULT_DEPTH_MAX) */
		if (jn_tl_ctx)
			jn_throw(jn_tl_ctx, "U1003", -1, NULL, jn_num(jn_tl_ctx, JN_RESULT_DEPTH_MAX));
		return json_null();
	}
	switch (v->type) {
	case JV_NULL: return json_null();
	case JV_BOOL: return json_boolean(v->u.b);
	case JV_NUMBER: {
		double d = v->u.num;
		if (!isfinite(d))
			return json_null();
		if (d == floor(d) && fabs(d) <= 9007199254740992.0)
			return json_integer((json_int_t)d);
		return json_real(d);
	}
	case JV_STRING: {
		if (v->flags & JV_STR_JSON) /* the input's own string: share it */
			return json_incref((json_t *)jn_str_src(v));
		/* strings are UTF-8 (input checked by jansson, expressions at
		 * compile) except WTF-8 surrogates: check only those */
		int wtf = 0;
		for (const char *q = v->u.s.p, *e = q + v->u.s.len; (q = memchr(q, 0xED, (size_t)(e - q))) && q + 1 < e; q++)
			if (((unsigned char)q[1] & 0xE0) == 0xA0) {
				wtf = 1;
				break;
			}
		json_t *j = wtf ? NULL : json_stringn_nocheck(v->u.s.p, v->u.s.len);
		if (!j) {
			/* a lone surrogate (WTF-8): jansson holds UTF-8 only */
			size_t n = 0;
			char *t = jn_utf8_sanitize(v->u.s.p, v->u.s.len, &n);
			j = t ? json_stringn(t, n) : NULL;
			free(t);
		}
		return j;
	}
	case JV_ARRAY: {
		json_t *a = json_array();
		for (size_t i = 0; i < v->u.a.n; i++) {
			json_t *x = to_json(v->u.a.v[i], depth + 1);
			json_array_append_new(a, x ? x : json_null());
		}
		return a;
	}
	case JV_OBJECT: {
		json_t *o = json_object();
		for (size_t i = 0; i < v->u.o.n; i++) {
			const struct jn_kv *e = &v->u.o.kv[i];
			json_t *x = to_json(e->v, depth + 1);
			/* keys are UTF-8 (input: jansson checked them; expression
			 * literals: checked at compile) but for WTF-8 lone
			 * surrogates: only a key with 0xED needs jansson's check */
			if (x && !memchr(e->k.p, 0xED, e->k.len))
				json_object_setn_new_nocheck(o, e->k.p, e->k.len, x);
			else if (x)
				json_object_setn_new(o, e->k.p, e->k.len, x);
		}
		return o;
	}
	default: return NULL;
	}
}

