/* jn_eval_fn.c: functions — calls (evaluateFunction), apply with the
 * tail-call trampoline, applyInner, lambdas and closures, partial
 * application, the ~> operator, the transform operator, regex values, and
 * jn_apply() for the function library. As jsonata.js, including where an
 * error gets its position and token. */
#include <string.h>

#include "jn_eval.h"

/* JavaScript truthiness (environment.lookup(...) tested in an if) */
static int jn_truthy_fn(const jv *v)
{
	if (!v)
		return 0;
	switch (v->type) {
	case JV_NULL: return 0;
	case JV_BOOL: return v->u.b;
	case JV_NUMBER: return v->u.num != 0 && v->u.num == v->u.num;
	case JV_STRING: return v->u.s.len > 0;
	default: return 1;
	}
}

/* The name jsonata.js reports for a call's procedure (procName). */
static const char *proc_name(struct jn_ctx *c, const struct jn_node *p)
{
	if (!p)
		return NULL;
	if (p->type == NT_PATH) {
		const struct jn_node *s = p->items.v[0];
		if (s->name_z)
			return s->name_z;
		if (s->type == NT_NAME || s->type == NT_VARIABLE || s->type == NT_STRING)
			return jn_memdup(c, s->str.p, s->str.len);
		return s->op;
	}
	if (p->name_z)
		return p->name_z;
	if (p->type == NT_VARIABLE || p->type == NT_NAME || p->type == NT_STRING)
		return jn_memdup(c, p->str.p, p->str.len);
	if (p->type == NT_FUNCTION || p->type == NT_PARTIAL)
		return "(";
	if (p->type == NT_NUMBER) {
		char nb[40];
		size_t n = jn_num_fmt(p->lit->u.num, nb);
		return jn_memdup(c, nb, n);
	}
	if (p->type == NT_VALUE)
		return p->lit->type == JV_NULL ? "null" : p->lit->u.b ? "true" : "false";
	if (p->type == NT_BINARY || p->type == NT_BIND || p->type == NT_APPLY || p->type == NT_UNARY)
		return p->op;
	return NULL;
}

/* typeof proc === 'object' in jsonata.js: builtins, lambdas, transforms and
 * extensions are objects; regex closures and JS closures are functions. */
static int is_object_fn(const jv *f)
{
	return f && f->type == JV_FUNCTION && f->u.fn->kind != JN_FN_REGEX && f->u.fn->kind != JN_FN_NATIVE;
}

int jn_fn_arity(const jv *fn)
{
	if (!fn || fn->type != JV_FUNCTION)
		return 0;
	const struct jn_fn *f = fn->u.fn;
	switch (f->kind) {
	case JN_FN_LAMBDA: return f->nparams;
	case JN_FN_BUILTIN: return jn_builtin_arity(f->bi);
	case JN_FN_PARTIAL: return f->arity;
	case JN_FN_REGEX: return 2;
	case JN_FN_NATIVE: return f->arity;
	case JN_FN_EXT: return f->arity;
	}
	return 0;
}

/* How many parameter names partial application sees (getNativeFunctionArguments). */
static int native_nparams(const jv *fn)
{
	const struct jn_fn *f = fn->u.fn;
	switch (f->kind) {
	case JN_FN_BUILTIN: return jn_builtin_nparams(f->bi);
	case JN_FN_REGEX: return 2;
	default: return f->arity;
	}
}

/* Where the function object's .position and .token live (NULL: a shared
 * static function outside the builtin table, which keeps none). */
static struct jn_fnstate *fn_state(struct jn_ctx *c, jv *proc)
{
	if (!proc || proc->type != JV_FUNCTION)
		return NULL;
	struct jn_fn *f = proc->u.fn;
	if (!f->shared)
		return (struct jn_fnstate *)(void *)&f->pos;
	if (f->kind == JN_FN_BUILTIN && f->bi >= jn_builtin_table && f->bi < jn_builtin_table + jn_builtin_count) {
		struct jn_bistate *b = c->bi_state;
		while (b && b->bi != f->bi)
			b = b->next;
		if (!b) {
			b = jn_alloc(c, sizeof(*b));
			b->bi = f->bi;
			b->next = c->bi_state;
			c->bi_state = b;
		}
		return &b->st;
	}
	return NULL;
}

static int apply_procedure(struct jn_ctx *c, const struct jn_fn *proc, jv **args, int nargs, jv **out)
{
	if (++c->depth > c->depth_max) {
		c->depth--;
		return jn_throw(c, "D1011", -1, NULL, jn_num(c, (double)c->depth_max));
	}
	struct jn_frame *env = jn_frame_new_cap(c, proc->env, (uint32_t)proc->nparams);
	for (int i = 0; i < proc->nparams; i++) {
		const struct jn_node *p = proc->params[i];
		jn_frame_bind(c, env, p->str.p, p->str.len, p->name_hash, i < nargs ? args[i] : NULL);
	}
	int rc = jn_eval(c, proc->body, proc->input, env, out);
	c->depth--;
	return rc;
}

/* applyInner(proc, args, input, environment) */
static int apply_inner(struct jn_ctx *c, jv *proc, jv **args, int nargs, jv *input, struct jn_frame *env,
		       long call_pos, const char *call_tok, jv **out)
{
	int rc;
	*out = NULL;
	if (!proc || proc->type != JV_FUNCTION) {
		rc = jn_throw(c, "T1006", -1, NULL, NULL);
		c->e.has_value = 0;
		return rc;
	}
	const struct jn_fn *f = proc->u.fn;
	struct jn_call call = {args, nargs, input, f, call_pos, env};
	switch (f->kind) {
	case JN_FN_LAMBDA:
		if (f->lsig)
			for (int i = 0; i < nargs; i++)
				jn_force(args[i]);
		if (f->lsig && jn_sig_validate(c, f->lsig, &call, NULL)) {
			rc = -1;
			break;
		}
		rc = apply_procedure(c, f, call.args, call.nargs, out);
		break;
	case JN_FN_BUILTIN:
	case JN_FN_NATIVE: {
		int force = jn_builtin_shallow(f->bi);
		if (force != 2)
			for (int i = 0; i < nargs; i++)
				jn_force(args[i]);
		if (f->bi->sig && jn_sig_validate(c, f->bi->sig, &call, f->bi->name)) {
			rc = -1;
			break;
		}
		/* builtins never see a lazy value (but the lazy-aware ones): forced
		 * all the way down (the context inserted for '-' too) */
		if (force == 1)
			for (int i = 0; i < call.nargs; i++)
				jn_force(call.args[i]);
		else if (force == 0)
			for (int i = 0; i < call.nargs; i++)
				jn_force_deep(call.args[i]);
		rc = f->bi->fn(c, &call, out);
		break;
	}
	case JN_FN_EXT:
		for (int i = 0; i < nargs; i++)
			jn_force(args[i]);
		if (f->bi && f->bi->sig && jn_sig_validate(c, f->bi->sig, &call, f->bi->name)) {
			rc = -1;
			break;
		}
		rc = jn_call_ext(c, f, call.args, call.nargs, out);
		break;
	case JN_FN_REGEX:
		if (nargs >= 1 && args[0] && args[0]->type == JV_STRING)
			rc = jn_regex_match_object(c, f->re, args[0], out);
		else
			rc = 0;
		break;
	case JN_FN_PARTIAL: {
		/* applyProcedure + applyNativeFunction: the placeholders in order */
		jv **full = jn_alloc(c, (size_t)(f->nargs ? f->nargs : 1) * sizeof(jv *));
		int k = 0;
		for (int i = 0; i < f->nargs; i++)
			full[i] = f->is_placeholder[i] ? (k < nargs ? args[k++] : NULL) : f->args[i];
		int n = f->nargs;
		while (n > 0 && !full[n - 1] && f->is_placeholder[n - 1])
			n--; /* trailing unfilled placeholders: absent */
		rc = apply_inner(c, f->target, full, n, NULL, env, -1, NULL, out);
		break;
	}
	default:
		rc = jn_throw(c, "T1006", -1, NULL, NULL);
	}
	if (rc) {
		/* catch: err.token ||= proc.token; err.position = proc.position || err.position */
		struct jn_fnstate *st = fn_state(c, proc);
		const char *tok = st ? st->tok : call_tok;
		long pos = st ? st->pos : call_pos;
		if (tok && !c->e.token && !c->e.token_val)
			c->e.token = tok;
		if (pos > 0)
			c->e.position = pos;
	}
	return rc;
}

int jn_apply_full(struct jn_ctx *c, jv *proc, jv **args, int nargs, jv *input, struct jn_frame *env, long position,
		  const char *token, jv **out)
{
	jv *result = NULL;
	if (apply_inner(c, proc, args, nargs, input, env, position, token, &result))
		return -1;
	while (result && result->type == JV_FUNCTION && result->u.fn->kind == JN_FN_LAMBDA && result->u.fn->thunk) {
		/* the thunk lives in c->thunk, reused: read it before anything runs */
		const struct jn_node *call = result->u.fn->body;
		jv *tinput = result->u.fn->input;
		struct jn_frame *tenv = result->u.fn->env;
		jv *next = NULL;
		if (jn_eval(c, call->procedure, tinput, tenv, &next))
			return -1;
		const char *tok = call->procedure->type == NT_VARIABLE ? call->procedure->name_z : NULL;
		long pos = call->procedure->has_position ? call->procedure->position : -1;
		int n = (int)call->items.n;
		jv **a = jn_alloc(c, (size_t)(n ? n : 1) * sizeof(jv *));
		for (int i = 0; i < n; i++)
			if (jn_eval(c, call->items.v[i], tinput, tenv, &a[i]))
				return -1;
		result = NULL;
		struct jn_fnstate *st = fn_state(c, next);
		if (st) {
			if (tok)
				st->tok = tok;
			st->pos = pos;
		}
		if (apply_inner(c, next, a, n, input, env, pos, tok, &result))
			return -1;
	}
	*out = result;
	return 0;
}

int jn_apply(struct jn_ctx *c, jv *fn, jv **args, int nargs, jv **out)
{
	if (jn_apply_full(c, fn, args, nargs, NULL, c->global, -1, NULL, out))
		return -1;
	jn_force_deep(*out); /* the builtin calling us walks it */
	return 0;
}

int jn_eval_function(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv *applyto,
		     int has_applyto, jv **out)
{
	jv *proc = NULL;
	if (jn_eval(c, expr->procedure, input, env, &proc))
		return -1;
	if (!proc && expr->procedure->type == NT_PATH) {
		const struct jn_node *s0 = expr->procedure->items.v[0];
		if (s0->str.p && jn_truthy_fn(jn_lookup(c, env, s0->str.p, s0->str.len, jn_name_hash(s0->str.p, s0->str.len)))) {
			return jn_throw(c, "T1005", expr->position, jn_memdup(c, s0->str.p, s0->str.len), NULL);
		}
	}
	int n = (int)expr->items.n + (has_applyto ? 1 : 0);
	jv **args = jn_alloc(c, (size_t)(n ? n : 1) * sizeof(jv *));
	int k = 0;
	if (has_applyto)
		args[k++] = applyto;
	for (size_t i = 0; i < expr->items.n; i++)
		if (jn_eval(c, expr->items.v[i], input, env, &args[k++]))
			return -1;
	const char *name = proc_name(c, expr->procedure);
	int obj = is_object_fn(proc);
	if (obj) {
		/* proc.token = procName; proc.position = expr.position */
		struct jn_fnstate *st = fn_state(c, proc);
		if (st) {
			st->tok = name;
			st->pos = expr->position;
		}
	}
	if (jn_apply_full(c, proc, args, n, input, env, obj ? expr->position : -1, obj ? name : NULL, out)) {
		if (c->e.position <= 0)
			c->e.position = expr->position;
		if (!c->e.token && !c->e.token_val)
			c->e.token = name;
		return -1;
	}
	return 0;
}

int jn_eval_lambda(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out)
{
	if (expr->thunk) {
		/* a tail call: the trampoline (jn_apply_full) consumes it at once,
		 * so one thunk per evaluation is reused instead of allocated */
		struct jn_fn *t = &c->thunk_fn;
		t->kind = JN_FN_LAMBDA;
		t->thunk = 1;
		t->body = expr->body;
		t->input = input;
		t->env = env;
		c->thunk_v.type = JV_FUNCTION;
		c->thunk_v.u.fn = t;
		*out = &c->thunk_v;
		return 0;
	}
	struct jn_fn *f = jn_alloc(c, sizeof(*f));
	f->kind = JN_FN_LAMBDA;
	f->lambda = expr;
	f->input = input;
	f->env = env;
	f->params = expr->items.v;
	f->nparams = (int)expr->items.n;
	f->body = expr->body;
	f->lsig = expr->sig;
	f->thunk = expr->thunk;
	*out = jn_fn_value(c, f);
	return 0;
}

int jn_eval_partial(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out)
{
	int n = (int)expr->items.n;
	jv **args = jn_alloc(c, (size_t)(n ? n : 1) * sizeof(jv *));
	unsigned char *ph = jn_alloc(c, (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		const struct jn_node *a = expr->items.v[i];
		if (a->type == NT_OPERATOR && a->op && !strcmp(a->op, "?"))
			ph[i] = 1;
		else if (jn_eval(c, a, input, env, &args[i]))
			return -1;
	}
	jv *proc = NULL;
	if (jn_eval(c, expr->procedure, input, env, &proc))
		return -1;
	const struct jn_node *s0 = expr->procedure->type == NT_PATH ? expr->procedure->items.v[0] : NULL;
	if (!proc && s0 && s0->str.p &&
	    jn_truthy_fn(jn_lookup(c, env, s0->str.p, s0->str.len, jn_name_hash(s0->str.p, s0->str.len)))) {
		return jn_throw(c, "T1007", expr->position, jn_memdup(c, s0->str.p, s0->str.len), NULL);
	}
	if (!proc || proc->type != JV_FUNCTION) {
		const char *tok = s0 ? jn_memdup(c, s0->str.p, s0->str.len) : proc_name(c, expr->procedure);
		return jn_throw(c, "T1008", expr->position, tok, NULL);
	}
	const struct jn_fn *p = proc->u.fn;
	struct jn_fn *f = jn_alloc(c, sizeof(*f));
	if (p->kind == JN_FN_LAMBDA) {
		/* partialApplyProcedure */
		struct jn_frame *fe = jn_frame_new(c, p->env ? p->env : env);
		struct jn_node **unbound = jn_alloc(c, (size_t)(p->nparams ? p->nparams : 1) * sizeof(*unbound));
		int nu = 0;
		for (int i = 0; i < p->nparams; i++) {
			struct jn_node *param = p->params[i];
			if (i < n && ph[i])
				unbound[nu++] = param;
			else
				jn_frame_bind(c, fe, param->str.p, param->str.len, param->name_hash, i < n ? args[i] : NULL);
		}
		f->kind = JN_FN_LAMBDA;
		f->input = p->input;
		f->env = fe;
		f->params = unbound;
		f->nparams = nu;
		f->body = p->body;
		*out = jn_fn_value(c, f);
		return 0;
	}
	/* partialApplyNativeFunction: the native's own parameter names */
	int np = native_nparams(proc);
	f->kind = JN_FN_PARTIAL;
	f->target = proc;
	f->nargs = np;
	f->args = jn_alloc(c, (size_t)(np ? np : 1) * sizeof(jv *));
	f->is_placeholder = jn_alloc(c, (size_t)(np ? np : 1));
	for (int i = 0; i < np; i++) {
		if (i < n && ph[i]) {
			f->is_placeholder[i] = 1;
			f->arity++;
		} else
			f->args[i] = i < n ? args[i] : NULL;
	}
	*out = jn_fn_value(c, f);
	return 0;
}

int jn_eval_apply_expr(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out)
{
	jv *lhs = NULL;
	if (jn_eval(c, expr->lhs, input, env, &lhs))
		return -1;
	if (expr->rhs->type == NT_FUNCTION)
		return jn_eval_function(c, expr->rhs, input, env, lhs, 1, out);
	jv *func = NULL;
	if (jn_eval(c, expr->rhs, input, env, &func))
		return -1;
	if (!func || func->type != JV_FUNCTION)
		return jn_throw(c, "T2006", expr->position, NULL, func);
	if (lhs && lhs->type == JV_FUNCTION) {
		jv *chain = NULL;
		if (jn_eval(c, jn_chain_ast(), NULL, env, &chain))
			return -1;
		jv *a[2] = {lhs, func};
		return jn_apply_full(c, chain, a, 2, NULL, env, -1, NULL, out);
	}
	jv *a[1] = {lhs};
	return jn_apply_full(c, func, a, 1, NULL, env, -1, NULL, out);
}

int jn_eval_regex(struct jn_ctx *c, const struct jn_node *expr, jv **out)
{
	struct jn_fn *f = jn_alloc(c, sizeof(*f));
	f->kind = JN_FN_REGEX;
	f->re = expr->re;
	f->lambda = expr;
	*out = jn_fn_value(c, f);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Transform                                                           */
/* ------------------------------------------------------------------ */

struct transform {
	const struct jn_node *expr;
	struct jn_frame *env;
};

static int is_array_of_strings(const jv *v)
{
	if (!v || v->type != JV_ARRAY)
		return 0;
	jn_force((jv *)v);
	for (size_t i = 0; i < v->u.a.n; i++)
		if (!v->u.a.v[i] || v->u.a.v[i]->type != JV_STRING)
			return 0;
	return 1;
}

static int transformer(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	const struct transform *t = call->self->data;
	const struct jn_node *expr = t->expr;
	struct jn_frame *env = t->env;
	jv *obj = call->nargs > 0 ? call->args[0] : NULL;
	if (!obj)
		return 0;
	jv *clone = jn_lookup(c, env, "clone", 5, jn_name_hash("clone", 5));
	if (!clone || clone->type != JV_FUNCTION)
		return jn_throw(c, "T2013", expr->position, NULL, NULL);
	jv *result = NULL, *matches = NULL;
	if (jn_apply_full(c, clone, &obj, 1, NULL, env, -1, NULL, &result))
		return -1;
	if (jn_eval(c, expr->pattern, result, env, &matches))
		return -1;
	if (matches) {
		if (matches->type != JV_ARRAY)
			matches = jn_seq1(c, matches);
		jn_force(matches);
		for (size_t i = 0; i < matches->u.a.n; i++) {
			jv *match = matches->u.a.v[i], *update = NULL;
			if (jn_eval(c, expr->update, match, env, &update))
				return -1;
			if (update) {
				if (update->type != JV_OBJECT)
					return jn_throw(c, "T2011", expr->update->position, NULL, update);
				jn_force(update);
				if (match && match->type == JV_OBJECT)
					for (size_t k = 0; k < update->u.o.n; k++)
						jn_obj_set(c, match, update->u.o.kv[k].k.p, update->u.o.kv[k].k.len,
							   update->u.o.kv[k].v);
			}
			if (expr->del) {
				jv *del = NULL;
				if (jn_eval(c, expr->del, match, env, &del))
					return -1;
				if (del) {
					jv *val = del;
					if (del->type != JV_ARRAY)
						del = jn_seq1(c, del);
					if (!is_array_of_strings(del))
						return jn_throw(c, "T2012", expr->del->position, NULL, val);
					if (match && match->type == JV_OBJECT)
						for (size_t k = 0; k < del->u.a.n; k++)
							jn_obj_del(match, del->u.a.v[k]->u.s.p, del->u.a.v[k]->u.s.len);
				}
			}
		}
	}
	*out = result;
	return 0;
}

int jn_eval_transform(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out)
{
	(void)input;
	struct transform *t = jn_alloc(c, sizeof(*t));
	t->expr = expr;
	t->env = env;
	jv *f = jn_native(c, "transform", "<(oa):o>", transformer, t);
	((struct jn_builtin *)f->u.fn->bi)->sig = jn_transform_sig;
	f->u.fn->kind = JN_FN_BUILTIN; /* an object in jsonata.js (defineFunction) */
	f->u.fn->arity = 1;
	*out = f;
	return 0;
}
