/* jn_fn_core.c: the functions the evaluator itself leans on — $string,
 * $number, $boolean, $not, $exists, $count, $type, $length, $lookup,
 * $keys, $append, $error, $assert, $eval, $clone — as functions.js and
 * jsonata.js define them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jn_eval.h"

static jv *arg(const struct jn_call *call, int i) { return i < call->nargs ? call->args[i] : NULL; }

int jn_fn_string(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *p = arg(call, 1);
	return jn_to_string(c, arg(call, 0), p && jn_truthy(p), out);
}

static int dec_number(const char *s, size_t n)
{
	/* ^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$ */
	size_t i = 0;
	if (i < n && s[i] == '-')
		i++;
	size_t d = i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == d)
		return 0;
	if (i < n && s[i] == '.') {
		i++;
		d = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d)
			return 0;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		d = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d)
			return 0;
	}
	return i == n;
}

static int radix_digit(char ch, int radix)
{
	int v = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'z' ? ch - 'a' + 10 : ch >= 'A' && ch <= 'Z' ? ch - 'A' + 10 : 99;
	return v < radix ? v : -1;
}

/* a run of 0x.., 0o.. or 0b.. digits at s[i]: its end, or 0 */
static size_t prefixed_at(const char *s, size_t n, size_t i, char kind)
{
	int radix = kind == 'x' ? 16 : kind == 'o' ? 8 : 2;
	if (i + 2 > n || s[i] != '0' || (s[i + 1] | 0x20) != kind)
		return 0;
	size_t j = i + 2;
	while (j < n && radix_digit(s[j], radix) >= 0)
		j++;
	return j > i + 2 ? j : 0;
}

/* JavaScript's Number(str) for what the hex/octal/binary test admits. */
static double js_number_prefixed(const char *s, size_t n)
{
	size_t b = 0, e = n;
	while (b < e && strchr(" \t\n\r\v\f", s[b]))
		b++;
	while (e > b && strchr(" \t\n\r\v\f", s[e - 1]))
		e--;
	if (e - b > 2 && s[b] == '0' && strchr("xXoObB", s[b + 1])) {
		char k = (char)(s[b + 1] | 0x20);
		int radix = k == 'x' ? 16 : k == 'o' ? 8 : 2;
		double v = 0;
		for (size_t i = b + 2; i < e; i++) {
			int d = radix_digit(s[i], radix);
			if (d < 0)
				return NAN;
			v = v * radix + d;
		}
		return v;
	}
	return NAN;
}

int jn_fn_number(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (!a)
		return 0;
	if (a->type == JV_NUMBER) {
		*out = a;
		return 0;
	}
	if (a->type == JV_BOOL) {
		*out = jn_num(c, a->u.b ? 1 : 0);
		return 0;
	}
	if (a->type == JV_STRING) {
		const char *s = a->u.s.p;
		size_t n = a->u.s.len;
		if (dec_number(s, n)) {
			char *z = jn_strz(c, a);
			double d = strtod(z, NULL);
			if (isfinite(d)) {
				*out = jn_num(c, d);
				return 0;
			}
		}
		/* /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/ */
		int m = prefixed_at(s, n, 0, 'x') != 0;
		for (size_t i = 0; !m && i + 2 < n + 1; i++)
			m = prefixed_at(s, n, i, 'o') != 0;
		for (size_t i = 0; !m && i < n; i++)
			m = prefixed_at(s, n, i, 'b') == n;
		if (m) {
			*out = jn_num(c, js_number_prefixed(s, n));
			return 0;
		}
	}
	c->e.code = NULL;
	jn_throw(c, "D3030", -1, NULL, a);
	c->e.index = 1;
	return -1;
}

static int check_numeric(struct jn_ctx *c, const jv *v)
{
	if (!v || jn_stack_low())
		return 0;
	if (jn_tick(c) < 0) /* an array of shared parts (a DAG) has many paths */
		return -1;
	if (v->type == JV_NUMBER && isinf(v->u.num))
		return jn_throw(c, "D1001", -1, NULL, (jv *)v);
	if (v->type == JV_ARRAY)
		for (size_t i = 0; i < v->u.a.n; i++)
			if (check_numeric(c, v->u.a.v[i]))
				return -1;
	return 0;
}

int jn_fn_boolean(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (!a)
		return 0;
	if (check_numeric(c, a))
		return -1;
	*out = jn_bool(jn_truthy(a));
	return 0;
}

int jn_fn_not(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (!a)
		return 0;
	if (check_numeric(c, a))
		return -1;
	*out = jn_bool(!jn_truthy(a));
	return 0;
}

int jn_fn_exists(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	(void)c;
	*out = jn_bool(arg(call, 0) != NULL);
	return 0;
}

int jn_fn_count(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0); /* $count is called unforced: a lazy array counts its jansson items */
	*out = jn_num(c, !a || a->type != JV_ARRAY ? 0 : (a->flags & JV_LAZY) ? (double)json_array_size(a->src) : (double)a->u.a.n);
	return 0;
}

int jn_fn_type(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (!a)
		return 0;
	if (a->type == JV_NUMBER) {
		if (isinf(a->u.num))
			return jn_throw(c, "D1001", -1, NULL, a);
		if (isnan(a->u.num)) {
			*out = jn_str_ref(c, "object", 6);
			return 0;
		}
	}
	*out = jn_cstr(c, jn_type_name(a));
	return 0;
}

int jn_fn_length(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = arg(call, 0);
	if (!a)
		return 0;
	*out = jn_num(c, (double)jn_utf8_cplen(a->u.s.p, a->u.s.len));
	return 0;
}

int jn_fn_lookup(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *in = arg(call, 0), *k = arg(call, 1);
	if (!k)
		return 0;
	*out = jn_lookup_field(c, in, k->u.s.p, k->u.s.len, jn_key_hash(k->u.s.p, k->u.s.len));
	return 0;
}

static void keys_into(struct jn_ctx *c, jv *a, jv *seen, jv *result)
{
	if (!a || jn_stack_low())
		return;
	jn_walk_tick(); /* an array of shared parts (a DAG) has many paths */
	jn_force(a); /* $keys forces its argument one level only */
	if (a->type == JV_ARRAY) {
		for (size_t i = 0; i < a->u.a.n; i++)
			keys_into(c, a->u.a.v[i], seen, result);
		return;
	}
	if (a->type != JV_OBJECT)
		return;
	for (size_t i = 0; i < a->u.o.n; i++)
		jn_obj_set(c, seen, a->u.o.kv[i].k.p, a->u.o.kv[i].k.len, jn_true());
	(void)result;
}

int jn_fn_keys(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *a = jn_force(arg(call, 0)); /* $keys is called unforced */
	jv *result = jn_seq_new(c);
	if (a && a->type == JV_ARRAY) {
		/* merge the keys of every item (in an object: JS key order) */
		jv *merge = jn_obj_new(c);
		keys_into(c, a, merge, result);
		a = merge;
	}
	if (a && a->type == JV_OBJECT)
		for (size_t i = 0; i < a->u.o.n; i++)
			jn_arr_push(c, result, jn_str_ref(c, a->u.o.kv[i].k.p, a->u.o.kv[i].k.len));
	*out = result;
	return 0;
}

int jn_fn_append(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	*out = jn_append(c, arg(call, 0), arg(call, 1));
	return 0;
}

int jn_fn_error(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	(void)out;
	jv *m = arg(call, 0);
	return jn_throw_msg(c, "D3137", m && m->u.s.len ? jn_strz(c, m) : "$error() function evaluated");
}

int jn_fn_assert(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	(void)out;
	jv *cond = arg(call, 0), *m = arg(call, 1);
	if (!cond || !cond->u.b)
		return jn_throw_msg(c, "D3141", m && m->u.s.len ? jn_strz(c, m) : "$assert() statement failed");
	return 0;
}

/* JSON.parse(fn.string(v)): 15-digit numbers, functions as "" */
static int clone_rec(struct jn_ctx *c, const jv *v, jv **out, int depth)
{
	if (depth > 100000 || jn_stack_low())
		return jn_throw(c, "D1011", -1, NULL, NULL);
	switch (v->type) {
	case JV_NUMBER: {
		if (!isfinite(v->u.num))
			return jn_throw(c, "D1001", -1, NULL, (jv *)v);
		char nb[40];
		size_t n = jn_num_fmt15(v->u.num, nb);
		nb[n] = 0;
		*out = jn_num(c, strtod(nb, NULL));
		return 0;
	}
	case JV_FUNCTION: *out = jn_str_ref(c, "", 0); return 0;
	case JV_ARRAY: {
		jv *r = jn_arr_new(c, v->u.a.n);
		for (size_t i = 0; i < v->u.a.n; i++) {
			jv *x = NULL;
			if (!v->u.a.v[i])
				x = jn_null();
			else if (clone_rec(c, v->u.a.v[i], &x, depth + 1))
				return -1;
			jn_arr_push(c, r, x);
		}
		*out = r;
		return 0;
	}
	case JV_OBJECT: {
		jv *r = jn_obj_new(c);
		for (size_t i = 0; i < v->u.o.n; i++) {
			jv *x = NULL;
			if (clone_rec(c, v->u.o.kv[i].v, &x, depth + 1))
				return -1;
			jn_obj_set(c, r, v->u.o.kv[i].k.p, v->u.o.kv[i].k.len, x);
		}
		*out = r;
		return 0;
	}
	default: *out = (jv *)v; return 0;
	}
}

int jn_clone_value(struct jn_ctx *c, const jv *v, jv **out)
{
	*out = NULL;
	if (!v)
		return 0;
	if (v->type == JV_ARRAY && (v->flags & JV_OUTER) && v->u.a.n)
		v = v->u.a.v[0];
	if (v->type == JV_FUNCTION) {
		*out = jn_str_ref(c, "", 0);
		return 0;
	}
	return clone_rec(c, v, out, 0);
}

int jn_fn_clone(struct jn_ctx *c, struct jn_call *call, jv **out) { return jn_clone_value(c, arg(call, 0), out); }

/* $eval: jn_api.c compiles into this evaluation's arena */
int jn_eval_text(struct jn_ctx *c, const char *src, size_t len, struct jn_node **ast);

int jn_fn_eval(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *expr = arg(call, 0), *focus = arg(call, 1);
	if (!expr)
		return 0;
	if (c->eval_forbidden)
		return jn_throw_msg(c, "D3120", "$eval is not allowed here");
	jv *input = call->input;
	if (call->nargs > 1 && focus) {
		input = focus;
		if (input->type == JV_ARRAY && !(input->flags & JV_SEQ)) {
			input = jn_seq1(c, input);
			input->flags |= JV_OUTER;
		}
	}
	struct jn_node *ast = NULL;
	struct jsonata_error je;
	if (jn_eval_text(c, expr->u.s.p, expr->u.s.len, &ast)) {
		jn_err_format(c, &je);
		memset(&c->e, 0, sizeof(c->e));
		return jn_throw(c, "D3120", -1, NULL, jn_cstr(c, je.message));
	}
	if (jn_eval(c, ast, input, call->frame ? call->frame : c->global, out)) {
		jn_err_format(c, &je);
		memset(&c->e, 0, sizeof(c->e));
		*out = NULL;
		return jn_throw(c, "D3121", -1, NULL, jn_cstr(c, je.message));
	}
	return 0;
}
