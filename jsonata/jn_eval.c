/* jn_eval.c: evaluate() — the dispatch on node types with the sequence
 * post-processing, frames, the time and stack guard, and the operators
 * (evaluateBinary, evaluateUnary, names, literals, variables, conditions,
 * blocks, bindings, ranges). Follows jsonata.js function by function. */
#include <math.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "jn_eval.h"

/* ------------------------------------------------------------------ */
/* Frames                                                              */
/* ------------------------------------------------------------------ */

struct jn_frame *jn_frame_new_cap(struct jn_ctx *c, struct jn_frame *parent, uint32_t cap)
{
	/* the frame and its first bindings in one allocation */
	struct jn_frame *f = jn_alloc_raw(c, sizeof(*f) + cap * sizeof(struct jn_bind));
	f->parent = parent;
	f->b = cap ? (struct jn_bind *)(void *)(f + 1) : NULL;
	f->n = 0;
	f->cap = cap;
	return f;
}

struct jn_frame *jn_frame_new(struct jn_ctx *c, struct jn_frame *parent)
{
	struct jn_frame *f = jn_alloc_raw(c, sizeof(*f));
	f->parent = parent;
	f->b = NULL;
	f->n = f->cap = 0;
	return f;
}

void jn_frame_bind(struct jn_ctx *c, struct jn_frame *f, const char *name, size_t len, uint32_t hash, jv *v)
{
	for (uint32_t i = 0; i < f->n; i++) {
		struct jn_bind *b = &f->b[i];
		if (b->hash == hash && b->len == len && memcmp(b->name, name, len) == 0) {
			b->v = v;
			return;
		}
	}
	if (f->n == f->cap) {
		uint32_t nc = f->cap ? f->cap * 2 : 4;
		f->b = jn_realloc(c, f->b, f->cap * sizeof(*f->b), nc * sizeof(*f->b));
		f->cap = nc;
	}
	f->b[f->n].name = name;
	f->b[f->n].len = len;
	f->b[f->n].hash = hash;
	f->b[f->n].v = v;
	f->n++;
}

int jn_frame_lookup(const struct jn_frame *f, const char *name, size_t len, uint32_t hash, jv **out)
{
	for (; f; f = f->parent) {
		for (uint32_t i = 0; i < f->n; i++) {
			const struct jn_bind *b = &f->b[i];
			if (b->hash == hash && b->len == len && memcmp(b->name, name, len) == 0) {
				*out = b->v;
				return 1;
			}
		}
	}
	return 0;
}

jv *jn_lookup(struct jn_ctx *c, struct jn_frame *f, const char *name, size_t len, uint32_t hash)
{
	jv *v = NULL;
	if (jn_frame_lookup(f, name, len, hash, &v))
		return v;
	if (c->env) {
		v = jn_env_lookup(c, name, len);
		if (v)
			return v;
	}
	const struct jn_builtin *b = jn_builtin_find(name, len);
	return b ? jn_builtin_value(b) : NULL;
}

struct jn_frame *jn_frame_tuple(struct jn_ctx *c, struct jn_frame *env, jv *tuple)
{
	struct jn_frame *f = jn_frame_new(c, env);
	if (tuple && tuple->type == JV_OBJECT) {
		for (size_t i = 0; i < tuple->u.o.n; i++) {
			const struct jn_kv *e = &tuple->u.o.kv[i];
			jn_frame_bind(c, f, e->k.p, e->k.len, e->hash, e->v);
		}
	}
	return f;
}

/* ------------------------------------------------------------------ */
/* Sequences                                                           */
/* ------------------------------------------------------------------ */

void jn_arr_push_u(struct jn_ctx *c, jv *a, jv *v)
{
	a->flags &= (uint8_t)~JV_DEEP;
	struct jn_arr *r = &a->u.a;
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 4;
		r->v = jn_realloc(c, r->v, r->cap * sizeof(jv *), nc * sizeof(jv *));
		r->cap = nc;
	}
	r->v[r->n++] = v;
}

jv *jn_seq1(struct jn_ctx *c, jv *item)
{
	jv *s = jn_seq_new(c);
	jn_arr_push_u(c, s, item);
	return s;
}

/* ------------------------------------------------------------------ */
/* Guard                                                               */
/* ------------------------------------------------------------------ */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int jn_tick(struct jn_ctx *c)
{
	if (c->deadline_ns && (++c->tick & 255) == 0 && now_ns() > c->deadline_ns) {
		c->e.code = NULL;
		return jn_throw(c, "D1012", -1, NULL, jn_num(c, (double)c->time_ms));
	}
	return 0;
}

void jn_walk_timeout(struct jn_ctx *c)
{
	c->tick--; /* jn_tick counts it again */
	if (jn_tick(c) < 0 && c->oom_jmp) {
		c->jmp_timeout = 1;
		longjmp(*c->oom_jmp, 1);
	}
}

int jn_guard_fail(struct jn_ctx *c) { return jn_throw(c, "D1011", -1, NULL, jn_num(c, (double)c->depth_max)); }

/* ------------------------------------------------------------------ */
/* Operators                                                           */
/* ------------------------------------------------------------------ */

/* isNumeric(n): a number that is not NaN; D1001 when infinite. -1 error. */
static int is_numeric(struct jn_ctx *c, jv *v)
{
	if (!v || v->type != JV_NUMBER || isnan(v->u.num))
		return 0;
	if (isinf(v->u.num))
		return jn_throw(c, "D1001", -1, NULL, v);
	return 1;
}

static int eval_numeric(struct jn_ctx *c, jv *lhs, jv *rhs, const char *op, jv **out)
{
	int ln = lhs ? is_numeric(c, lhs) : 1;
	if (ln < 0)
		return -1;
	if (lhs && !ln)
		return jn_throw(c, "T2001", -1, NULL, lhs);
	int rn = rhs ? is_numeric(c, rhs) : 1;
	if (rn < 0)
		return -1;
	if (rhs && !rn)
		return jn_throw(c, "T2002", -1, NULL, rhs);
	if (!lhs || !rhs)
		return 0;
	double a = lhs->u.num, b = rhs->u.num, r = 0;
	switch (op[0]) {
	case '+': r = a + b; break;
	case '-': r = a - b; break;
	case '*': r = a * b; break;
	case '/': r = a / b; break;
	case '%': r = fmod(a, b); break;
	}
	*out = jn_num(c, r);
	return 0;
}

static int str_cmp(const jv *a, const jv *b)
{
	/* JavaScript compares UTF-16 code units; UTF-8 byte order equals code
	 * point order, which differs only for astral vs U+E000..U+FFFF. */
	size_t n = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;
	size_t i = 0;
	while (i < n && a->u.s.p[i] == b->u.s.p[i])
		i++;
	if (i == n)
		return a->u.s.len < b->u.s.len ? -1 : a->u.s.len > b->u.s.len ? 1 : 0;
	/* back to the start of the differing code points */
	size_t ia = i, ib = i;
	while (ia > 0 && ((unsigned char)a->u.s.p[ia] & 0xC0) == 0x80)
		ia--;
	while (ib > 0 && ((unsigned char)b->u.s.p[ib] & 0xC0) == 0x80)
		ib--;
	uint32_t ca = jn_utf8_next(a->u.s.p, a->u.s.len, &ia);
	uint32_t cb = jn_utf8_next(b->u.s.p, b->u.s.len, &ib);
	/* UTF-16 order: astral code points sort as their high surrogate */
	uint32_t ua = ca >= 0x10000 ? 0xD800 + ((ca - 0x10000) >> 10) : ca;
	uint32_t ub = cb >= 0x10000 ? 0xD800 + ((cb - 0x10000) >> 10) : cb;
	if (ua != ub)
		return ua < ub ? -1 : 1;
	return ca < cb ? -1 : ca > cb ? 1 : 0;
}

int jn_js_compare(const jv *a, const jv *b); /* for sort: numbers or strings of one type */
int jn_js_compare(const jv *a, const jv *b)
{
	if (a->type == JV_NUMBER)
		return a->u.num < b->u.num ? -1 : a->u.num > b->u.num ? 1 : 0;
	return str_cmp(a, b);
}

static int eval_comparison(struct jn_ctx *c, jv *lhs, jv *rhs, const char *op, jv **out)
{
	int lt = lhs ? lhs->type : 0, rt = rhs ? rhs->type : 0;
	int lcomp = !lhs || lt == JV_STRING || lt == JV_NUMBER;
	int rcomp = !rhs || rt == JV_STRING || rt == JV_NUMBER;
	if (!lcomp || !rcomp)
		return jn_throw(c, "T2010", -1, NULL, !(lt == JV_STRING || lt == JV_NUMBER) ? lhs : rhs);
	if (!lhs || !rhs)
		return 0;
	if (lt != rt)
		return jn_throw2(c, "T2009", -1, NULL, lhs, rhs);
	int r;
	int k = lt == JV_NUMBER ? (lhs->u.num < rhs->u.num ? -1 : lhs->u.num > rhs->u.num ? 1 : lhs->u.num == rhs->u.num ? 0 : 2)
				: str_cmp(lhs, rhs);
	if (k == 2) /* NaN: every comparison is false */
		r = 0;
	else if (op[0] == '<')
		r = op[1] == '=' ? k <= 0 : k < 0;
	else
		r = op[1] == '=' ? k >= 0 : k > 0;
	*out = jn_bool(r);
	return 0;
}

/* JavaScript's === on JSONata values */
static int strict_equal(const jv *a, const jv *b)
{
	if (a == b)
		return 1;
	if (!a || !b || a->type != b->type)
		return 0;
	switch (a->type) {
	case JV_NULL: return 1;
	case JV_BOOL: return a->u.b == b->u.b;
	case JV_NUMBER: return a->u.num == b->u.num;
	case JV_STRING: return a->u.s.len == b->u.s.len && !memcmp(a->u.s.p, b->u.s.p, a->u.s.len);
	default: return 0;
	}
}

static int eval_range(struct jn_ctx *c, jv *lhs, jv *rhs, jv **out)
{
	if (lhs && !(lhs->type == JV_NUMBER && jn_is_integer(lhs->u.num)))
		return jn_throw(c, "T2003", -1, NULL, lhs);
	if (rhs && !(rhs->type == JV_NUMBER && jn_is_integer(rhs->u.num)))
		return jn_throw(c, "T2004", -1, NULL, rhs);
	if (!lhs || !rhs)
		return 0;
	double a = lhs->u.num, b = rhs->u.num;
	if (a > b)
		return 0;
	double size = b - a + 1;
	if (size > 1e7)
		return jn_throw(c, "D2014", -1, NULL, jn_num(c, size));
	size_t n = (size_t)size;
	jv *r = jn_arr_new(c, n);
	/* numbers of 16 bytes (jn_num's size), contiguous */
	const size_t sz = offsetof(jv, u) + sizeof(double);
	char *nums = jn_alloc_raw(c, n * sz);
	for (size_t i = 0; i < n; i++) {
		jv *v = (jv *)(void *)(nums + i * sz);
		v->type = JV_NUMBER;
		v->flags = 0;
		v->u.num = a + (double)i;
		r->u.a.v[i] = v;
	}
	r->u.a.n = n;
	r->flags = JV_SEQ;
	*out = r;
	return 0;
}

static int eval_concat(struct jn_ctx *c, jv *lhs, jv *rhs, jv **out)
{
	jv *ls = NULL, *rs = NULL;
	if (lhs && jn_to_string(c, lhs, 0, &ls))
		return -1;
	if (rhs && jn_to_string(c, rhs, 0, &rs))
		return -1;
	size_t ln = ls ? ls->u.s.len : 0, rn = rs ? rs->u.s.len : 0;
	if (!rn && ls) {
		*out = ls;
		return 0;
	}
	if (!ln && rs) {
		*out = rs;
		return 0;
	}
	char *p = jn_alloc_raw(c, ln + rn + 1);
	if (ln)
		memcpy(p, ls->u.s.p, ln);
	if (rn)
		memcpy(p + ln, rs->u.s.p, rn);
	p[ln + rn] = 0;
	*out = jn_str_ref(c, p, ln + rn);
	return 0;
}

static int eval_binary(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out)
{
	jv *lhs = NULL, *rhs = NULL;
	const char *op = expr->op;
	if (jn_eval(c, expr->lhs, input, env, &lhs))
		return -1;
	int rc = 0;
	if ((op[0] == 'a' && op[1] == 'n') || (op[0] == 'o' && op[1] == 'r')) {
		int l = jn_truthy(lhs);
		if (lhs && lhs->type == JV_NUMBER && isinf(lhs->u.num))
			rc = jn_throw(c, "D1001", -1, NULL, lhs);
		else if (op[0] == 'a' ? l : !l) {
			rc = jn_eval(c, expr->rhs, input, env, &rhs);
			if (!rc) {
				if (rhs && rhs->type == JV_NUMBER && isinf(rhs->u.num))
					rc = jn_throw(c, "D1001", -1, NULL, rhs);
				else
					*out = jn_bool(jn_truthy(rhs));
			}
		} else
			*out = jn_bool(l);
		goto done;
	}
	if (jn_eval(c, expr->rhs, input, env, &rhs))
		return -1;
	switch (op[0]) {
	case '+':
	case '-':
	case '*':
	case '/':
	case '%':
		rc = eval_numeric(c, lhs, rhs, op, out);
		break;
	case '=':
		*out = jn_bool(lhs && rhs && jn_deep_equal(lhs, rhs));
		break;
	case '!':
		*out = jn_bool(lhs && rhs && !jn_deep_equal(lhs, rhs));
		break;
	case '<':
	case '>':
		rc = eval_comparison(c, lhs, rhs, op, out);
		break;
	case '&':
		rc = eval_concat(c, lhs, rhs, out);
		break;
	case '.':
		rc = eval_range(c, lhs, rhs, out);
		break;
	case 'i': /* in */
		if (!lhs || !rhs) {
			*out = jn_false();
		} else if (rhs->type == JV_ARRAY) {
			int found = 0;
			jn_force(rhs);
			for (size_t i = 0; i < rhs->u.a.n && !found; i++)
				found = strict_equal(rhs->u.a.v[i], lhs);
			*out = jn_bool(found);
		} else
			*out = jn_bool(strict_equal(rhs, lhs));
		break;
	}
done:
	if (rc) {
		/* catch(err) { err.position = expr.position; err.token = op; } */
		c->e.position = expr->position;
		c->e.token = op;
		c->e.token_val = NULL;
	}
	return rc;
}

static int eval_unary(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out)
{
	if (expr->op[0] == '-') {
		jv *r = NULL;
		if (jn_eval(c, expr->expression, input, env, &r))
			return -1;
		if (!r)
			return 0;
		int n = is_numeric(c, r);
		if (n < 0)
			return -1;
		if (!n)
			return jn_throw(c, "D1002", expr->position, "-", r);
		*out = jn_num(c, -r->u.num);
		return 0;
	}
	if (expr->op[0] == '[') {
		jv *result = jn_arr_new(c, expr->items.n);
		for (size_t i = 0; i < expr->items.n; i++) {
			const struct jn_node *item = expr->items.v[i];
			jv *value = NULL;
			if (jn_eval(c, item, input, env, &value))
				return -1;
			if (!value)
				continue;
			if (item->op && item->op[0] == '[' && item->type == NT_UNARY)
				jn_arr_push(c, result, value);
			else if (value->type == JV_ARRAY) {
				jn_force(value);
				for (size_t j = 0; j < value->u.a.n; j++)
					jn_arr_push_u(c, result, value->u.a.v[j]);
			} else
				jn_arr_push(c, result, value);
		}
		if (expr->consarray)
			result->flags |= JV_CONS;
		*out = result;
		return 0;
	}
	/* '{' object constructor */
	return jn_eval_group(c, &expr->pairs, expr->position, expr->lit_keys, input, env, out);
}

jv *jn_lookup_field(struct jn_ctx *c, jv *input, const char *k, size_t klen, uint32_t h)
{
	if (!input)
		return NULL;
	if (input->type == JV_OBJECT)
		return jn_obj_geth(input, k, klen, h);
	if (input->type != JV_ARRAY)
		return NULL;
	jn_force(input);
	jv *result = jn_seq_new(c);
	for (size_t i = 0; i < input->u.a.n; i++) {
		jv *res = jn_lookup_field(c, input->u.a.v[i], k, klen, h);
		if (!res)
			continue;
		if (res->type == JV_ARRAY) {
			jn_force(res);
			for (size_t j = 0; j < res->u.a.n; j++)
				jn_arr_push_u(c, result, res->u.a.v[j]);
		} else
			jn_arr_push(c, result, res);
	}
	return result;
}

static int eval_condition(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out)
{
	jv *cond = NULL;
	if (jn_eval(c, expr->condition, input, env, &cond))
		return -1;
	if (cond && cond->type == JV_NUMBER && isinf(cond->u.num))
		return jn_throw(c, "D1001", -1, NULL, cond);
	if (jn_truthy(cond))
		return jn_eval(c, expr->then, input, env, out);
	if (expr->els)
		return jn_eval(c, expr->els, input, env, out);
	return 0;
}

static int eval_block(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out)
{
	struct jn_frame *frame = jn_frame_new(c, env);
	jv *result = NULL;
	for (size_t i = 0; i < expr->items.n; i++) {
		result = NULL;
		if (jn_eval(c, expr->items.v[i], input, frame, &result))
			return -1;
	}
	*out = result;
	return 0;
}

static int eval_variable(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out)
{
	if (expr->str.len == 0) {
		*out = input && input->type == JV_ARRAY && (input->flags & JV_OUTER) ? (input->u.a.n ? input->u.a.v[0] : NULL)
										    : input;
		return 0;
	}
	jv *v = NULL;
	if (jn_frame_lookup(env, expr->str.p, expr->str.len, expr->name_hash, &v)) {
		*out = v;
		return 0;
	}
	if (c->env) {
		v = jn_env_lookup(c, expr->str.p, expr->str.len);
		if (v) {
			*out = v;
			return 0;
		}
	}
	if (expr->bi)
		*out = jn_builtin_value(expr->bi);
	return 0;
}

int jn_eval(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out)
{
	jv *result = NULL;
	int rc = 0;
	*out = NULL;
	if (jn_guard(c))
		return -1;
	switch (expr->type) {
	case NT_PATH: rc = jn_eval_path(c, expr, input, env, &result); break;
	case NT_BINARY: rc = eval_binary(c, expr, input, env, &result); break;
	case NT_UNARY: rc = eval_unary(c, expr, input, env, &result); break;
	case NT_NAME: result = jn_lookup_field(c, input, expr->str.p, expr->str.len, expr->name_hash); break;
	case NT_STRING:
	case NT_NUMBER:
	case NT_VALUE: result = expr->lit; break;
	case NT_WILDCARD: rc = jn_eval_wildcard(c, input, &result); break;
	case NT_DESCENDANT: rc = jn_eval_descendants(c, input, &result); break;
	case NT_PARENT: {
		const char *l = expr->slot->label;
		result = jn_lookup(c, env, l, strlen(l), jn_key_hash(l, strlen(l)));
		break;
	}
	case NT_CONDITION: rc = eval_condition(c, expr, input, env, &result); break;
	case NT_BLOCK: rc = eval_block(c, expr, input, env, &result); break;
	case NT_BIND:
		rc = jn_eval(c, expr->rhs, input, env, &result);
		if (!rc)
			jn_frame_bind(c, env, expr->lhs->str.p, expr->lhs->str.len, expr->lhs->name_hash, result);
		break;
	case NT_REGEX: rc = jn_eval_regex(c, expr, &result); break;
	case NT_FUNCTION: rc = jn_eval_function(c, expr, input, env, NULL, 0, &result); break;
	case NT_VARIABLE: rc = eval_variable(c, expr, input, env, &result); break;
	case NT_LAMBDA: rc = jn_eval_lambda(c, expr, input, env, &result); break;
	case NT_PARTIAL: rc = jn_eval_partial(c, expr, input, env, &result); break;
	case NT_APPLY: rc = jn_eval_apply_expr(c, expr, input, env, &result); break;
	case NT_TRANSFORM: rc = jn_eval_transform(c, expr, input, env, &result); break;
	default: break; /* operators as operands (`?` outside a call): undefined */
	}
	if (rc)
		return -1;
	if (expr->has_predicate) {
		for (size_t i = 0; i < expr->predicate.n; i++) {
			jv *r = NULL;
			if (jn_eval_filter(c, expr->predicate.v[i]->expression, result, env, &r))
				return -1;
			result = r;
		}
	}
	if (expr->type != NT_PATH && expr->group) {
		jv *r = NULL;
		if (jn_eval_group(c, &expr->group->pairs, expr->group->position, expr->group->lit_keys, result, env, &r))
			return -1;
		result = r;
	}
	if (result && result->type == JV_ARRAY && (result->flags & JV_SEQ) && !(result->flags & JV_TUPLE)) {
		if (expr->keep_array)
			result->flags |= JV_KEEP;
		if (result->u.a.n == 0)
			result = NULL;
		else if (result->u.a.n == 1 && !(result->flags & JV_KEEP))
			result = result->u.a.v[0];
	}
	*out = result;
	return 0;
}
