/* jn_fn_object.c: JSONata's object functions — $spread, $merge, $each,
 * $sift ($keys, $lookup, $error, $assert and $type are jn_fn_core.c's).
 *
 * As functions.js: $spread of an array appends the spread of each item
 * (Array.prototype.concat, so the result is a plain array once anything was
 * appended) and returns a value that is neither array nor object as it is;
 * $merge lets a later key overwrite an earlier one in its first place;
 * $each/$sift call the function with (value, key, object), as many of
 * those as the function takes; $sift of nothing left is undefined.
 *
 * Thread-safety: none needed; everything lives in the evaluation's arena. */
#include <string.h>

#include "jn_int.h"

static jv *arg(const struct jn_call *call, int i)
{
	return i < call->nargs ? call->args[i] : NULL;
}

static jv *spread(struct jn_ctx *c, jv *a)
{
	if (!a)
		return NULL;
	if (a->type == JV_ARRAY) {
		jv *r = jn_seq_new(c);
		for (size_t i = 0; i < a->u.a.n; i++)
			r = jn_append(c, r, spread(c, a->u.a.v[i]));
		return r;
	}
	if (a->type == JV_OBJECT) {
		jv *r = jn_seq_new(c);
		for (size_t i = 0; i < a->u.o.n; i++) {
			const struct jn_kv *kv = &a->u.o.kv[i];
			jv *o = jn_obj_new(c);
			jn_obj_set(c, o, kv->k.p, kv->k.len, kv->v);
			jn_arr_push(c, r, o);
		}
		return r;
	}
	/* scalars and functions come back as they are (a builtin function
	 * object would be spread into its JavaScript properties in jsonata.js:
	 * nothing a user can rely on) */
	return a;
}

int jn_fn_spread(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (!a) {
		/* spread(undefined) is the empty sequence of createSequence():
		 * undefined once the evaluator unwraps it */
		*out = NULL;
		return 0;
	}
	*out = spread(c, a);
	return 0;
}

int jn_fn_merge(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (!a)
		return 0;
	jv *r = jn_obj_new(c);
	size_t n = a->type == JV_ARRAY ? a->u.a.n : 1;
	for (size_t i = 0; i < n; i++) {
		jv *o = a->type == JV_ARRAY ? a->u.a.v[i] : a;
		if (o->type != JV_OBJECT)
			continue; /* utils.keys() of a non-object is [] */
		for (size_t k = 0; k < o->u.o.n; k++)
			jn_obj_set(c, r, o->u.o.kv[k].k.p, o->u.o.kv[k].k.len, o->u.o.kv[k].v);
	}
	*out = r;
	return 0;
}

/* hofFuncArgs(func, value, key, object) then func.apply */
static int call_kv(struct jn_ctx *c, jv *fn, jv *obj, const struct jn_kv *kv, jv **res)
{
	jv *args[3];
	int arity = jn_fn_arity(fn), n = 1;
	args[0] = kv->v;
	if (arity >= 2)
		args[n++] = jn_str_ref(c, kv->k.p, kv->k.len);
	if (arity >= 3)
		args[n++] = obj;
	return jn_apply(c, fn, args, n, res);
}

int jn_fn_each(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *o = arg(call, 0), *fn = arg(call, 1);
	jv *r = jn_seq_new(c);
	if (o && o->type == JV_OBJECT) {
		for (size_t i = 0; i < o->u.o.n; i++) {
			jv *res = NULL;
			if (call_kv(c, fn, o, &o->u.o.kv[i], &res) < 0)
				return -1;
			jn_arr_push(c, r, res);
		}
	}
	*out = r;
	return 0;
}

int jn_fn_sift(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *o = arg(call, 0), *fn = arg(call, 1);
	if (!o || o->type != JV_OBJECT || o->u.o.n == 0)
		return 0;
	if (!fn || fn->type != JV_FUNCTION)
		/* jsonata.js: "Cannot read properties of undefined (reading
		 * 'arity')", a TypeError without a code: the nearest JSONata code */
		return jn_throw(c, "T1006", -1, NULL, NULL);
	jv *r = NULL;
	for (size_t i = 0; i < o->u.o.n; i++) {
		jv *res = NULL;
		const struct jn_kv *kv = &o->u.o.kv[i];
		if (call_kv(c, fn, o, kv, &res) < 0)
			return -1;
		if (jn_truthy(res)) {
			if (!r)
				r = jn_obj_new(c);
			jn_obj_set(c, r, kv->k.p, kv->k.len, kv->v);
		}
	}
	*out = r;
	return 0;
}
