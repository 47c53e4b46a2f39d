/* jn_eval_path.c: location paths (evaluatePath, evaluateStep,
 * evaluateTupleStep, evaluateStages), predicates (evaluateFilter), group-by
 * and object constructors (evaluateGroupExpression), order-by
 * (evaluateSortExpression with fn.sort's merge sort), wildcards and
 * descendants — as jsonata.js, including its tuple streams (objects with
 * '@', the bound variables and the ancestor labels). */
#include <math.h>
#include <string.h>

#include "jn_eval.h"

int jn_js_compare(const jv *a, const jv *b);

/* An array, forced (a lazy input array gets its items). */
static int is_arr(jv *v)
{
	if (v && v->type == JV_ARRAY) {
		jn_force(v);
		return 1;
	}
	return 0;
}

/* JS `x.length` where the code reads it on a step result */
static size_t js_length(const jv *v)
{
	if (!v)
		return 0;
	if (is_arr((jv *)v))
		return v->u.a.n;
	if (v->type == JV_STRING)
		return jn_str_u16len(v);
	return 1; /* not 0: the loop goes on */
}

static void tuple_set(struct jn_ctx *c, jv *t, const char *k, jv *v)
{
	if (!v) {
		/* tuple[k] = undefined: JS keeps the key; we drop it (lookups give undefined alike) */
		jn_obj_del(t, k, strlen(k));
		return;
	}
	jn_obj_set(c, t, k, strlen(k), v);
}

static jv *tuple_copy(struct jn_ctx *c, const jv *src)
{
	jv *t = jn_obj_new(c);
	if (src && src->type == JV_OBJECT)
		for (size_t i = 0; i < src->u.o.n; i++)
			jn_obj_set(c, t, src->u.o.kv[i].k.p, src->u.o.kv[i].k.len, src->u.o.kv[i].v);
	return t;
}

static jv *tuple_at(const jv *t) { return jn_obj_get(t, "@", 1); }

/* ------------------------------------------------------------------ */
/* Sort                                                                */
/* ------------------------------------------------------------------ */

struct sort_ctx {
	struct jn_ctx *c;
	const struct jn_node *expr;
	struct jn_frame *env;
	int tuple;
};

/* The comparator of evaluateSortExpression: 1 when a and b must swap. */
static int sort_comp(struct sort_ctx *s, jv *a, jv *b, int *swap)
{
	struct jn_ctx *c = s->c;
	int comp = 0;
	for (size_t i = 0; comp == 0 && i < s->expr->items.n; i++) {
		const struct jn_node *term = s->expr->items.v[i];
		jv *ctx = a, *aa = NULL, *bb = NULL;
		struct jn_frame *env = s->env;
		if (s->tuple) {
			ctx = tuple_at(a);
			env = jn_frame_tuple(c, s->env, a);
		}
		if (jn_eval(c, term->expression, ctx, env, &aa))
			return -1;
		ctx = b;
		env = s->env;
		if (s->tuple) {
			ctx = tuple_at(b);
			env = jn_frame_tuple(c, s->env, b);
		}
		if (jn_eval(c, term->expression, ctx, env, &bb))
			return -1;
		if (!aa) {
			comp = bb ? 1 : 0;
			continue;
		}
		if (!bb) {
			comp = -1;
			continue;
		}
		int at = aa->type, bt = bb->type;
		if (!(at == JV_STRING || at == JV_NUMBER) || !(bt == JV_STRING || bt == JV_NUMBER))
			return jn_throw(c, "T2008", s->expr->position, NULL,
					!(at == JV_STRING || at == JV_NUMBER) ? aa : bb);
		if (at != bt)
			return jn_throw2(c, "T2007", s->expr->position, NULL, aa, bb);
		int k = jn_js_compare(aa, bb);
		if (k == 0)
			continue;
		comp = k < 0 ? -1 : 1;
		if (term->descending)
			comp = -comp;
	}
	*swap = comp == 1;
	return 0;
}

/* fn.sort's merge: left-first unless the comparator says swap */
static int msort(struct sort_ctx *s, jv **v, size_t n, jv **tmp)
{
	if (n <= 1)
		return 0;
	size_t mid = n / 2;
	if (msort(s, v, mid, tmp) || msort(s, v + mid, n - mid, tmp))
		return -1;
	size_t i = 0, j = mid, k = 0;
	while (i < mid && j < n) {
		int swap = 0;
		if (sort_comp(s, v[i], v[j], &swap))
			return -1;
		tmp[k++] = swap ? v[j++] : v[i++];
	}
	while (i < mid)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
	return 0;
}

static int eval_sort(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out)
{
	if (!input) {
		*out = NULL;
		return 0;
	}
	if (!is_arr(input) || input->u.a.n <= 1) {
		*out = input;
		return 0;
	}
	struct sort_ctx s = {c, expr, env, (input->flags & JV_TUPLE) != 0};
	jv *r = jn_arr_copy(c, input);
	jv **tmp = jn_alloc_raw(c, r->u.a.n * sizeof(jv *));
	if (msort(&s, r->u.a.v, r->u.a.n, tmp))
		return -1;
	*out = r;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Filters and stages                                                  */
/* ------------------------------------------------------------------ */

int jn_eval_filter(struct jn_ctx *c, const struct jn_node *pred, jv *input, struct jn_frame *env, jv **out)
{
	jv *results = jn_seq_new(c);
	if (input && input->type == JV_ARRAY && (input->flags & JV_TUPLE))
		results->flags |= JV_TUPLE;
	if (!is_arr(input))
		input = jn_seq1(c, input);
	if (pred->type == NT_NUMBER) {
		double index = floor(pred->lit->u.num);
		if (index < 0)
			index = (double)input->u.a.n + index;
		if (index >= 0 && index < (double)input->u.a.n) {
			jv *item = input->u.a.v[(size_t)index];
			if (item) {
				if (item->type == JV_ARRAY)
					results = item;
				else
					jn_arr_push(c, results, item);
			}
		}
		*out = results;
		return 0;
	}
	int tuple = (input->flags & JV_TUPLE) != 0;
	for (size_t index = 0; index < input->u.a.n; index++) {
		jv *item = input->u.a.v[index], *context = item, *res = NULL;
		struct jn_frame *e = env;
		if (tuple) {
			context = tuple_at(item);
			e = jn_frame_tuple(c, env, item);
		}
		if (jn_eval(c, pred, context, e, &res))
			return -1;
		if (res && res->type == JV_NUMBER) {
			if (isinf(res->u.num))
				return jn_throw(c, "D1001", -1, NULL, res);
			if (!isnan(res->u.num)) {
				double ii = floor(res->u.num);
				if (ii < 0)
					ii = (double)input->u.a.n + ii;
				if (ii == (double)index)
					jn_arr_push_u(c, results, item);
				continue;
			}
		}
		int all_num = is_arr(res);
		if (all_num) {
			for (size_t j = 0; j < res->u.a.n; j++) {
				jv *x = res->u.a.v[j];
				if (!x || x->type != JV_NUMBER || isnan(x->u.num)) {
					all_num = 0;
					break;
				}
				if (isinf(x->u.num))
					return jn_throw(c, "D1001", -1, NULL, x);
			}
		}
		if (all_num) {
			for (size_t j = 0; j < res->u.a.n; j++) {
				double ii = floor(res->u.a.v[j]->u.num);
				if (ii < 0)
					ii = (double)input->u.a.n + ii;
				if (ii == (double)index)
					jn_arr_push_u(c, results, item);
			}
		} else if (jn_truthy(res)) {
			jn_arr_push_u(c, results, item);
		}
	}
	*out = results;
	return 0;
}

static int eval_stages(struct jn_ctx *c, const struct jn_nodev *stages, jv *input, struct jn_frame *env, jv **out)
{
	jv *result = input;
	for (size_t s = 0; s < stages->n; s++) {
		const struct jn_node *stage = stages->v[s];
		if (stage->type == NT_FILTER) {
			jv *r = NULL;
			if (jn_eval_filter(c, stage->expression, result, env, &r))
				return -1;
			result = r;
		} else if (stage->type == NT_INDEX && is_arr(result)) {
			char *name = jn_memdup(c, stage->str.p, stage->str.len);
			for (size_t e = 0; e < result->u.a.n; e++)
				if (result->u.a.v[e] && result->u.a.v[e]->type == JV_OBJECT)
					tuple_set(c, result->u.a.v[e], name, jn_num(c, (double)e));
		}
	}
	*out = result;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Steps                                                               */
/* ------------------------------------------------------------------ */

static int eval_step(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, int last, jv **out)
{
	if (expr->type == NT_SORT) {
		jv *r = NULL;
		if (eval_sort(c, expr, input, env, &r))
			return -1;
		if (expr->has_stages)
			return eval_stages(c, &expr->stages, r, env, out);
		*out = r;
		return 0;
	}
	/* a bare name: fn.lookup straight, without a whole evaluate() per item */
	int bare = expr->type == NT_NAME && !expr->has_stages && !expr->has_predicate && !expr->group && !expr->keep_array;
	/* over a lazy input array: its jansson items directly, no jv for them */
	const json_t *src = bare && input && input->type == JV_ARRAY && (input->flags & JV_LAZY) ? input->src : NULL;
	size_t n = src ? json_array_size(src) : is_arr(input) ? input->u.a.n : 0;
	jv *result = jn_arr_new(c, n);
	result->flags = JV_SEQ;
	int flat = 1; /* no item is an array: the flattened sequence is result itself */
	for (size_t i = 0; i < n; i++) {
		jv *res = NULL;
		if (src) {
			if ((i & 63) == 0 && jn_tick(c))
				return -1;
			const json_t *item = json_array_get(src, i);
			if (json_is_object(item)) {
				res = jn_from_json_lazy(c, json_object_getn(item, expr->str.p, expr->str.len));
			} else if (json_is_array(item)) {
				res = jn_lookup_field(c, jn_from_json_lazy(c, item), expr->str.p, expr->str.len, expr->name_hash);
				res = jn_seq_result(res);
			}
		} else if (bare) {
			if ((i & 63) == 0 && jn_tick(c))
				return -1;
			res = jn_lookup_field(c, input->u.a.v[i], expr->str.p, expr->str.len, expr->name_hash);
			res = jn_seq_result(res);
		} else {
			if (jn_eval(c, expr, input->u.a.v[i], env, &res))
				return -1;
			if (expr->has_stages) {
				for (size_t s = 0; s < expr->stages.n; s++) {
					const struct jn_node *st = expr->stages.v[s];
					if (st->type != NT_FILTER)
						continue;
					jv *r = NULL;
					if (jn_eval_filter(c, st->expression, res, env, &r))
						return -1;
					res = r;
				}
			}
		}
		if (res) {
			if (res->type == JV_ARRAY && !(res->flags & JV_CONS))
				flat = 0;
			result->u.a.v[result->u.a.n++] = res; /* made for n items just above */
		}
	}
	if (last && result->u.a.n == 1 && result->u.a.v[0]->type == JV_ARRAY && !(result->u.a.v[0]->flags & JV_SEQ)) {
		*out = result->u.a.v[0];
		return 0;
	}
	if (flat) {
		*out = result;
		return 0;
	}
	jv *rs = jn_seq_new(c);
	for (size_t i = 0; i < result->u.a.n; i++) {
		jv *res = result->u.a.v[i];
		if (!is_arr(res) || (res->flags & JV_CONS)) {
			jn_arr_push(c, rs, res);
		} else {
			for (size_t j = 0; j < res->u.a.n; j++)
				jn_arr_push_u(c, rs, res->u.a.v[j]);
		}
	}
	*out = rs;
	return 0;
}

static int eval_tuple_step(struct jn_ctx *c, const struct jn_node *expr, jv *input, jv *bindings, struct jn_frame *env,
			   jv **out)
{
	if (expr->type == NT_SORT) {
		jv *result = NULL;
		if (bindings) {
			if (eval_sort(c, expr, bindings, env, &result))
				return -1;
		} else {
			jv *sorted = NULL;
			if (eval_sort(c, expr, input, env, &sorted))
				return -1;
			result = jn_seq_new(c);
			result->flags |= JV_TUPLE;
			const char *ix = expr->index.p ? jn_memdup(c, expr->index.p, expr->index.len) : "undefined";
			size_t n = is_arr(sorted) ? sorted->u.a.n : 0;
			for (size_t s = 0; s < n; s++) {
				jv *t = jn_obj_new(c);
				tuple_set(c, t, "@", sorted->u.a.v[s]);
				tuple_set(c, t, ix, jn_num(c, (double)s));
				jn_arr_push(c, result, t);
			}
		}
		if (expr->has_stages)
			return eval_stages(c, &expr->stages, result, env, out);
		*out = result;
		return 0;
	}
	jv *result = jn_seq_new(c);
	result->flags |= JV_TUPLE;
	if (!bindings) {
		size_t n = is_arr(input) ? input->u.a.n : 0;
		bindings = jn_arr_new(c, n);
		for (size_t i = 0; i < n; i++) {
			jv *t = jn_obj_new(c);
			tuple_set(c, t, "@", input->u.a.v[i]);
			jn_arr_push(c, bindings, t);
		}
	}
	const char *focus = expr->focus.p && expr->focus.len ? jn_memdup(c, expr->focus.p, expr->focus.len) : NULL;
	const char *index = expr->index.p && expr->index.len ? jn_memdup(c, expr->index.p, expr->index.len) : NULL;
	size_t nb = is_arr(bindings) ? bindings->u.a.n : 0;
	for (size_t e = 0; e < nb; e++) {
		jv *tb = bindings->u.a.v[e];
		struct jn_frame *step_env = jn_frame_tuple(c, env, tb);
		jv *res = NULL;
		if (jn_eval(c, expr, tuple_at(tb), step_env, &res))
			return -1;
		if (!res)
			continue;
		if (!is_arr(res))
			res = jn_seq1(c, res);
		for (size_t b = 0; b < res->u.a.n; b++) {
			jv *t = tuple_copy(c, tb);
			if (res->flags & JV_TUPLE) {
				jv *src = res->u.a.v[b];
				if (src && src->type == JV_OBJECT)
					for (size_t k = 0; k < src->u.o.n; k++)
						jn_obj_set(c, t, src->u.o.kv[k].k.p, src->u.o.kv[k].k.len, src->u.o.kv[k].v);
			} else {
				if (focus) {
					tuple_set(c, t, focus, res->u.a.v[b]);
					tuple_set(c, t, "@", tuple_at(tb));
				} else {
					tuple_set(c, t, "@", res->u.a.v[b]);
				}
				if (index)
					tuple_set(c, t, index, jn_num(c, (double)b));
				if (expr->ancestor)
					tuple_set(c, t, jn_memdup(c, expr->ancestor->label, strlen(expr->ancestor->label)),
						  tuple_at(tb));
			}
			jn_arr_push(c, result, t);
		}
	}
	if (expr->has_stages)
		return eval_stages(c, &expr->stages, result, env, out);
	*out = result;
	return 0;
}

/* A step the single-item fast path of jn_eval_path may take: a name (or
 * the first step's variable) with nothing attached. */
static int simple_step(const struct jn_node *s, size_t ii)
{
	return (s->type == NT_NAME || (ii == 0 && s->type == NT_VARIABLE)) && !s->has_stages && !s->has_predicate &&
	       !s->group && !s->focus.p && !s->index.p && !s->tuple && !s->keep_array && !s->consarray;
}

int jn_eval_path(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out)
{
	jv *input_seq = NULL;
	size_t nsteps = expr->items.n, start = 0;
	int first_var = expr->items.v[0]->type == NT_VARIABLE;
	if (!expr->keep_singleton && !expr->group && !expr->tuple && (first_var || !input || input->type != JV_ARRAY)) {
		/* The input sequence holds one item: evaluateStep over [cur] without
		 * building sequences, while each step gives one non-array value. */
		jv *cur = input;
		for (; start < nsteps && simple_step(expr->items.v[start], start); start++) {
			jv *res = NULL;
			if (jn_eval(c, expr->items.v[start], cur, env, &res))
				return -1;
			int last = start == nsteps - 1;
			if (!res) {
				*out = NULL; /* an empty step: the path is empty */
				return 0;
			}
			if (res->type == JV_ARRAY) {
				if (last && !(res->flags & JV_SEQ)) {
					*out = res;
					return 0;
				}
				const struct jn_node *nx = last ? NULL : expr->items.v[start + 1];
				if ((res->flags & JV_LAZY) && nx && nx->type == NT_NAME && !nx->tuple && !nx->has_stages &&
				    !nx->has_predicate && !nx->group && !nx->keep_array && json_array_size(res->src) > 0) {
					/* a bare name step next iterates the items: no need to copy
					 * them into a sequence (nor to build them) */
					input_seq = res;
					start++;
					break;
				}
				jv *rs = jn_seq_new(c);
				if (res->flags & JV_CONS) {
					jn_arr_push(c, rs, res);
				} else {
					jn_force(res);
					for (size_t j = 0; j < res->u.a.n; j++)
						jn_arr_push_u(c, rs, res->u.a.v[j]);
				}
				if (last || rs->u.a.n == 0) {
					*out = rs;
					return 0;
				}
				input_seq = rs;
				start++;
				break;
			}
			if (last) {
				*out = res;
				return 0;
			}
			cur = res;
		}
		if (!input_seq)
			input_seq = jn_seq1(c, cur);
	} else if (is_arr(input) && !first_var)
		input_seq = input;
	else
		input_seq = jn_seq1(c, input);
	jv *result_seq = NULL, *tuple_bindings = NULL;
	int is_tuple = 0;
	for (size_t ii = start; ii < nsteps; ii++) {
		const struct jn_node *step = expr->items.v[ii];
		if (step->tuple)
			is_tuple = 1;
		if (ii == 0 && step->consarray) {
			if (jn_eval(c, step, input_seq, env, &result_seq))
				return -1;
		} else if (is_tuple) {
			jv *tb = NULL;
			if (eval_tuple_step(c, step, input_seq, tuple_bindings, env, &tb))
				return -1;
			tuple_bindings = tb;
		} else {
			if (eval_step(c, step, input_seq, env, ii == nsteps - 1, &result_seq))
				return -1;
		}
		if (!is_tuple && (!result_seq || js_length(result_seq) == 0))
			break;
		if (!step->focus.p)
			input_seq = result_seq;
	}
	if (is_tuple) {
		if (expr->tuple) {
			result_seq = tuple_bindings;
		} else {
			result_seq = jn_seq_new(c);
			size_t n = is_arr(tuple_bindings) ? tuple_bindings->u.a.n : 0;
			for (size_t i = 0; i < n; i++)
				jn_arr_push_u(c, result_seq, tuple_at(tuple_bindings->u.a.v[i]));
		}
	}
	if (expr->keep_singleton && result_seq) {
		if (result_seq->type == JV_ARRAY && (result_seq->flags & JV_CONS) && !(result_seq->flags & JV_SEQ))
			result_seq = jn_seq1(c, result_seq);
		if (result_seq->type == JV_ARRAY)
			result_seq->flags |= JV_KEEP;
	}
	if (expr->group) {
		if (jn_eval_group(c, &expr->group->pairs, expr->group->position, expr->group->lit_keys,
				  is_tuple ? tuple_bindings : result_seq, env,
				  &result_seq))
			return -1;
	}
	*out = result_seq;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Group-by and object constructors                                    */
/* ------------------------------------------------------------------ */

static jv *reduce_tuple_stream(struct jn_ctx *c, jv *ts)
{
	if (!is_arr(ts))
		return ts;
	jv *result = tuple_copy(c, ts->u.a.n ? ts->u.a.v[0] : NULL);
	for (size_t i = 1; i < ts->u.a.n; i++) {
		jv *t = ts->u.a.v[i];
		if (!t || t->type != JV_OBJECT)
			continue;
		for (size_t k = 0; k < t->u.o.n; k++) {
			const struct jn_kv *e = &t->u.o.kv[k];
			jv *cur = jn_obj_geth(result, e->k.p, e->k.len, e->hash);
			jn_obj_set(c, result, e->k.p, e->k.len, jn_append(c, cur, e->v));
		}
	}
	return result;
}

struct group {
	jv *data;
	size_t expr_index;
};

int jn_eval_group(struct jn_ctx *c, const struct jn_nodev *pairs, long position, int lit_keys, jv *input,
		  struct jn_frame *env, jv **out)
{
	jv *result = jn_obj_new(c);
	int reduce = input && input->type == JV_ARRAY && (input->flags & JV_TUPLE);
	size_t npairs = pairs->n / 2;
	if (lit_keys && !reduce && (!is_arr(input) || input->u.a.n <= 1)) {
		/* One item (or none) and keys that are distinct plain literals
		 * (jn_literal_keys): every key is a group of its own holding that
		 * item, in the pairs' order, so the values are evaluated in that
		 * order with the item as context, as the general path below does. */
		jv *item = is_arr(input) ? (input->u.a.n ? input->u.a.v[0] : NULL) : input;
		result->u.o.kv = jn_alloc_raw(c, npairs * sizeof(*result->u.o.kv));
		result->u.o.cap = npairs;
		for (size_t p = 0; p < npairs; p++) {
			jv *value = NULL;
			if (jn_eval(c, pairs->v[2 * p + 1], item, env, &value))
				return -1;
			const struct jn_str *k = &pairs->v[2 * p]->lit->u.s;
			if (value)
				jn_obj_add_new(c, result, k->p, k->len, value);
		}
		jn_obj_add_done(c, result);
		*out = result;
		return 0;
	}
	jv *groups = jn_obj_new(c); /* key -> index into gv: keeps JS key order */
	struct group *gv = NULL;
	size_t ng = 0, capg = 0;
	if (!is_arr(input))
		input = jn_seq1(c, input);
	size_t n = input->u.a.n;
	jv *empty_item[1] = {NULL};
	jv **items = input->u.a.v;
	if (n == 0 && !reduce) {
		items = empty_item;
		n = 1;
	}
	for (size_t it = 0; it < n; it++) {
		jv *item = items[it];
		struct jn_frame *e = reduce ? jn_frame_tuple(c, env, item) : env;
		for (size_t p = 0; p < npairs; p++) {
			jv *key = NULL;
			if (jn_eval(c, pairs->v[2 * p], reduce ? tuple_at(item) : item, e, &key))
				return -1;
			if (key && key->type != JV_STRING)
				return jn_throw(c, "T1003", position, NULL, key);
			if (!key)
				continue;
			if ((key->u.s.len == 15 && !memcmp(key->u.s.p, "_jsonata_lambda", 15)) ||
			    (key->u.s.len == 17 && !memcmp(key->u.s.p, "_jsonata_function", 17)))
				return jn_throw(c, "D1013", position, NULL, key);
			jv *gi = jn_obj_get(groups, key->u.s.p, key->u.s.len);
			if (gi) {
				struct group *g = &gv[(size_t)gi->u.num];
				if (g->expr_index != p)
					return jn_throw(c, "D1009", position, NULL, key);
				g->data = jn_append(c, g->data, item);
			} else {
				if (ng == capg) {
					size_t nc = capg ? capg * 2 : 8;
					gv = jn_realloc(c, gv, capg * sizeof(*gv), nc * sizeof(*gv));
					capg = nc;
				}
				gv[ng].data = item;
				gv[ng].expr_index = p;
				jn_obj_set(c, groups, key->u.s.p, key->u.s.len, jn_num(c, (double)ng));
				ng++;
			}
		}
	}
	for (size_t k = 0; k < groups->u.o.n; k++) {
		const struct jn_kv *kv = &groups->u.o.kv[k];
		struct group *g = &gv[(size_t)kv->v->u.num];
		jv *context = g->data;
		struct jn_frame *e = env;
		if (reduce) {
			jv *tuple = reduce_tuple_stream(c, g->data);
			context = tuple_at(tuple);
			if (tuple && tuple->type == JV_OBJECT)
				jn_obj_del(tuple, "@", 1);
			e = jn_frame_tuple(c, env, tuple);
		}
		jv *value = NULL;
		if (jn_eval(c, pairs->v[2 * g->expr_index + 1], context, e, &value))
			return -1;
		if (value)
			jn_obj_set(c, result, kv->k.p, kv->k.len, value);
	}
	*out = result;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Wildcards                                                           */
/* ------------------------------------------------------------------ */

static void flatten(struct jn_ctx *c, jv *arg, jv *into)
{
	if (jn_stack_low())
		return;
	if (is_arr(arg)) {
		for (size_t i = 0; i < arg->u.a.n; i++)
			flatten(c, arg->u.a.v[i], into);
	} else
		jn_arr_push_u(c, into, arg);
}

int jn_eval_wildcard(struct jn_ctx *c, jv *input, jv **out)
{
	jv *results = jn_seq_new(c);
	if (input && input->type == JV_ARRAY && (input->flags & JV_OUTER) && input->u.a.n > 0)
		input = input->u.a.v[0];
	jn_force(input);
	/* utils.keys(input): an object's values, or an array's items (an array
	 * is an object in JavaScript, its keys the indices) */
	size_t n = !input ? 0 : input->type == JV_OBJECT ? input->u.o.n : input->type == JV_ARRAY ? input->u.a.n : 0;
	if (n) {
		for (size_t i = 0; i < n; i++) {
			jv *value = input->type == JV_OBJECT ? input->u.o.kv[i].v : input->u.a.v[i];
			if (!value)
				continue;
			if (is_arr(value)) {
				jv *flat = jn_arr_new(c, 0);
				flatten(c, value, flat);
				results = jn_append(c, results, flat);
			} else
				jn_arr_push_u(c, results, value);
		}
	}
	*out = results;
	return 0;
}

static int recurse_descendants(struct jn_ctx *c, jv *input, jv *results)
{
	if (jn_guard(c))
		return -1;
	jn_force(input);
	if (!input || input->type != JV_ARRAY)
		jn_arr_push_u(c, results, input);
	if (input && input->type == JV_ARRAY) {
		for (size_t i = 0; i < input->u.a.n; i++)
			if (recurse_descendants(c, input->u.a.v[i], results))
				return -1;
	} else if (input && input->type == JV_OBJECT) {
		for (size_t i = 0; i < input->u.o.n; i++)
			if (recurse_descendants(c, input->u.o.kv[i].v, results))
				return -1;
	}
	return 0;
}

int jn_eval_descendants(struct jn_ctx *c, jv *input, jv **out)
{
	if (!input) {
		*out = NULL;
		return 0;
	}
	jv *results = jn_seq_new(c);
	if (recurse_descendants(c, input, results))
		return -1;
	*out = results->u.a.n == 1 ? results->u.a.v[0] : results;
	return 0;
}
