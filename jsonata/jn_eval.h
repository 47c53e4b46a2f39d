/* jn_eval.h: the evaluator's private interface, shared by jn_eval.c
 * (dispatch, operators), jn_eval_path.c (paths, steps, tuples, filters,
 * sort, group-by) and jn_eval_fn.c (calls, lambdas, partial application,
 * the trampoline, ~>, transform). Every function follows jsonata.js's
 * function of the same name; they return 0, or -1 with c->e set. */
#ifndef TUTTI_JN_EVAL_H
#define TUTTI_JN_EVAL_H

#include "jn_ast.h"

struct jn_bind {
	const char *name;
	size_t len;
	uint32_t hash;
	jv *v; /* may be NULL: bound to undefined (hides outer bindings) */
};

/* An environment frame (createFrame). */
struct jn_frame {
	struct jn_frame *parent;
	struct jn_bind *b;
	uint32_t n, cap;
};

struct jn_frame *jn_frame_new(struct jn_ctx *c, struct jn_frame *parent);
struct jn_frame *jn_frame_new_cap(struct jn_ctx *c, struct jn_frame *parent, uint32_t cap);
void jn_frame_bind(struct jn_ctx *c, struct jn_frame *f, const char *name, size_t len, uint32_t hash, jv *v);
/* 1 found (*out, maybe NULL), 0 not bound anywhere (builtins not included). */
int jn_frame_lookup(const struct jn_frame *f, const char *name, size_t len, uint32_t hash, jv **out);
/* environment.lookup(name): frames, then the env's extensions, then the builtins. */
jv *jn_lookup(struct jn_ctx *c, struct jn_frame *f, const char *name, size_t len, uint32_t hash);

/* evaluate(expr, input, environment) */
int jn_eval(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out);

/* A sequence holding one item, which may be undefined (createSequence(x)). */
jv *jn_seq1(struct jn_ctx *c, jv *item);
/* Appends an item that may be undefined (JS arrays can hold undefined). */
void jn_arr_push_u(struct jn_ctx *c, jv *a, jv *v);
/* createFrameFromTuple */
struct jn_frame *jn_frame_tuple(struct jn_ctx *c, struct jn_frame *env, jv *tuple);
/* fn.lookup on an input (evaluateName) */
jv *jn_lookup_field(struct jn_ctx *c, jv *input, const char *k, size_t klen, uint32_t h);

/* jn_eval_path.c */
int jn_eval_path(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out);
int jn_eval_filter(struct jn_ctx *c, const struct jn_node *pred, jv *input, struct jn_frame *env, jv **out);
/* lit_keys: jn_literal_keys(pairs), for the fast path of one input item */
int jn_eval_group(struct jn_ctx *c, const struct jn_nodev *pairs, long position, int lit_keys, jv *input,
		  struct jn_frame *env, jv **out);
int jn_eval_wildcard(struct jn_ctx *c, jv *input, jv **out);
int jn_eval_descendants(struct jn_ctx *c, jv *input, jv **out);

/* jn_eval_fn.c */
int jn_eval_function(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv *applyto,
		     int has_applyto, jv **out);
int jn_eval_partial(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out);
int jn_eval_lambda(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out);
int jn_eval_apply_expr(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out);
int jn_eval_transform(struct jn_ctx *c, const struct jn_node *expr, jv *input, struct jn_frame *env, jv **out);
int jn_eval_regex(struct jn_ctx *c, const struct jn_node *expr, jv **out);
/* apply(proc, args, input, environment): the trampoline. position: the
 * call's (for the error override of applyInner), -1 none. */
int jn_apply_full(struct jn_ctx *c, jv *proc, jv **args, int nargs, jv *input, struct jn_frame *env, long position,
		  const char *token, jv **out);

/* The time/stack guard, called on every evaluate(): inline, the checks
 * are two compares; the raising is out of line. */
int jn_guard_fail(struct jn_ctx *c); /* D1011 */
static inline int jn_guard(struct jn_ctx *c)
{
	char here;
	if (c->stack_base && c->stack_base - &here > (ptrdiff_t)c->stack_max)
		return jn_guard_fail(c);
	if (c->deadline_ns && (++c->tick & 255) == 0) {
		c->tick--; /* jn_tick counts it again */
		return jn_tick(c);
	}
	return 0;
}

/* The transform function's signature <(oa):o> (jn_builtins_init). */
extern const struct jn_sig *jn_transform_sig;
/* The static function values of the builtins (jn_builtins.c). */
jv *jn_builtin_value(const struct jn_builtin *b);
/* jsonata.js getFunctionArity of a builtin (the JS implementation's
 * declared parameters) and the number of parameter names partial
 * application binds. */
int jn_builtin_arity(const struct jn_builtin *b);
int jn_builtin_nparams(const struct jn_builtin *b);
/* How far its arguments are forced: 0 all the way, 1 one level (it reads
 * only the top level), 2 not at all (it is lazy-aware). */
int jn_builtin_shallow(const struct jn_builtin *b);

/* The extension functions of a jsonata_env (jn_api.c). */
jv *jn_env_lookup(struct jn_ctx *c, const char *name, size_t len);
int jn_call_ext(struct jn_ctx *c, const struct jn_fn *f, jv **args, int nargs, jv **out);

/* $clone's copy (JSON.parse(fn.string(arg))): jn_fn_core.c */
int jn_clone_value(struct jn_ctx *c, const jv *v, jv **out);

/* The chain lambda of f ~> g (λ($f, $g) { λ($x){ $g($f($x)) } }). */
const struct jn_node *jn_chain_ast(void);

#endif
