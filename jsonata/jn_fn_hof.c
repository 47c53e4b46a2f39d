/* jn_fn_hof.c: JSONata's higher-order functions — $map, $filter, $single,
 * $reduce.
 *
 * The function argument is called as JavaScript's hofFuncArgs() does: with
 * (value), (value, index) or (value, index, array) depending on how many
 * parameters it takes (jn_fn_arity: a lambda's declared parameters, a
 * builtin's JavaScript arity); $reduce passes (accumulator, value[, index[,
 * array]]) and refuses a function of fewer than two parameters (D3050).
 * Results are sequences, as createSequence() makes them (the evaluator
 * unwraps a singleton); undefined results are dropped by $map. $filter and
 * $single test with JSONata's boolean cast; $single raises D3138 (more than
 * one match) or D3139 (none).
 *
 * Thread-safety: none needed; everything lives in the evaluation's arena. */
#include "jn_int.h"

static jv *arg(const struct jn_call *call, int i)
{
	return i < call->nargs ? call->args[i] : NULL;
}

/* hofFuncArgs(func, arr[i], i, arr) then func.apply */
static int call_item(struct jn_ctx *c, jv *fn, int arity, jv *arr, size_t i, jv **res)
{
	jv *args[3];
	int n = 1;
	args[0] = arr->u.a.v[i];
	if (arity >= 2)
		args[n++] = jn_num(c, (double)i);
	if (arity >= 3)
		args[n++] = arr;
	return jn_apply(c, fn, args, n, res);
}

int jn_fn_map(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0), *fn = arg(call, 1);
	if (!a)
		return 0;
	jv *r = jn_seq_new(c);
	int arity = jn_fn_arity(fn);
	for (size_t i = 0; i < a->u.a.n; i++) {
		jv *res = NULL;
		if (call_item(c, fn, arity, a, i, &res) < 0)
			return -1;
		jn_arr_push(c, r, res);
	}
	*out = r;
	return 0;
}

int jn_fn_filter(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0), *fn = arg(call, 1);
	if (!a)
		return 0;
	jv *r = jn_seq_new(c);
	int arity = jn_fn_arity(fn);
	for (size_t i = 0; i < a->u.a.n; i++) {
		jv *res = NULL;
		if (call_item(c, fn, arity, a, i, &res) < 0)
			return -1;
		if (jn_truthy(res))
			jn_arr_push(c, r, a->u.a.v[i]);
	}
	*out = r;
	return 0;
}

int jn_fn_single(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0), *fn = arg(call, 1);
	if (!a)
		return 0;
	int arity = fn ? jn_fn_arity(fn) : 0;
	jv *found = NULL;
	for (size_t i = 0; i < a->u.a.n; i++) {
		int hit = 1;
		if (fn) {
			jv *res = NULL;
			if (call_item(c, fn, arity, a, i, &res) < 0)
				return -1;
			hit = jn_truthy(res);
		}
		if (hit) {
			if (found)
				return jn_throw(c, "D3138", -1, NULL, NULL);
			found = a->u.a.v[i];
		}
	}
	if (!found)
		return jn_throw(c, "D3139", -1, NULL, NULL);
	*out = found;
	return 0;
}

int jn_fn_reduce(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0), *fn = arg(call, 1), *init = arg(call, 2);
	if (!a)
		return 0;
	int arity = jn_fn_arity(fn);
	if (arity < 2)
		return jn_throw(c, "D3050", -1, NULL, NULL);
	jv *acc;
	size_t i;
	if (!init && a->u.a.n > 0) {
		acc = a->u.a.v[0];
		i = 1;
	} else {
		acc = init;
		i = 0;
	}
	for (; i < a->u.a.n; i++) {
		jv *args[4];
		int n = 2;
		args[0] = acc;
		args[1] = a->u.a.v[i];
		if (arity >= 3)
			args[n++] = jn_num(c, (double)i);
		if (arity >= 4)
			args[n++] = a;
		jv *res = NULL;
		if (jn_apply(c, fn, args, n, &res) < 0)
			return -1;
		acc = res;
	}
	*out = acc;
	return 0;
}
