/* jn_api.c: the public API (jsonata.h): compiling (source copied into the
 * expression's own arena, the parser's errors by longjmp), evaluating (one
 * arena per evaluation, the limits, the input and bindings converted once),
 * extension environments, and JSON text as JavaScript prints it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jn_eval.h"


_Noreturn void jn_parse_fail(struct jn_compile *k, const char *code, long position, const char *token, jv *value)
{
	struct jn_err_state *e = &k->c->e;
	jv *tv = e->token_val;
	const char *msg = e->message;
	memset(e, 0, sizeof(*e));
	e->code = code;
	e->position = position;
	e->token = token;
	e->token_val = tv;
	e->message = msg;
	if (value) {
		e->value = value;
		e->has_value = 1;
	}
	longjmp(k->jmp, 1);
}

static void set_err(struct jsonata_error *err, const char *code, const char *msg)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
	snprintf(err->code, sizeof(err->code), "%s", code);
	err->position = -1;
	snprintf(err->message, sizeof(err->message), "%s", msg);
}

static void free_regexes(struct jn_compile *k)
{
	for (size_t i = 0; i < k->nregex; i++)
		jn_regex_free(k->regexes[i]);
	for (size_t i = 0; i < k->nsig; i++)
		jn_sig_free(k->sigs[i]);
	k->nregex = k->nsig = 0;
}

/* Parses and post-processes k->src. 0, or -1 with k->c->e set. */
static int compile_src(struct jn_compile *k, struct jn_node **out)
{
	int ascii = 1;
	for (size_t i = 0; i < k->len && ascii; i++)
		ascii = (unsigned char)k->src[i] < 0x80;
	if (!ascii) {
		k->u16pos = jn_alloc_raw(k->c, (k->len + 1) * sizeof(uint32_t));
		uint32_t u = 0;
		for (size_t i = 0; i < k->len; i++) {
			unsigned char b = (unsigned char)k->src[i];
			k->u16pos[i] = u;
			if ((b & 0xC0) != 0x80)
				u += b >= 0xF0 ? 2 : 1;
		}
		k->u16pos[k->len] = u;
	}
	if (setjmp(k->jmp))
		return -1;
	struct jn_node *ast = jn_parse(k);
	*out = jn_process(k, ast);
	return 0;
}

int jsonata_compile(const char *expr, size_t len, struct jsonata **out, struct jsonata_error *err)
{
	jn_builtins_init();
	*out = NULL;
	if (len > JSONATA_EXPR_MAX) {
		set_err(err, "S0500", "expression too long");
		return -1;
	}
	struct jn_ctx *c = calloc(1, sizeof(*c));
	struct jsonata *x = calloc(1, sizeof(*x));
	if (!c || !x) {
		free(c);
		free(x);
		set_err(err, "U1002", "out of memory");
		return -1;
	}
	struct jn_compile *k = calloc(1, sizeof(*k));
	if (!k) {
		free(c);
		free(x);
		set_err(err, "U1002", "out of memory");
		return -1;
	}
	char base;
	c->oom_jmp = &k->jmp;
	/* the tree takes ~140-220 bytes per byte of source (parsed, then
	 * processed): the first chunk sized for that, not an evaluation's
	 * 16 KiB (a state machine keeps hundreds of expressions); a bigger
	 * tree grows it (chunks double) */
	c->arena.first = len < 4096 ? 224 * len + 1024 : (size_t)1 << 20;
	/* and capped: a 1 MiB list of 480,000 items took 390 MB to parse */
	c->arena.cap = JSONATA_COMPILE_MEMORY_MAX;
	k->c = c;
	k->len = len;
	k->stack_base = &base;
	k->stack_max = jn_stack_budget();
	struct jn_node *ast = NULL;
	int rc;
	if (setjmp(k->jmp)) {
		rc = -1; /* out of memory copying the source */
	} else {
		const char *text = expr ? expr : "";
		if (jn_utf8_valid(text, len)) {
			k->src = jn_memdup(c, text, len);
		} else {
			/* bytes that are not UTF-8 read as U+FFFD (as a TextDecoder
			 * would hand them to JavaScript) */
			size_t n = 0;
			char *t = jn_utf8_sanitize(text, len, &n);
			k->src = t ? jn_memdup(c, t, n) : jn_memdup(c, "", 0);
			k->len = t ? n : 0;
			free(t);
		}
		rc = compile_src(k, &ast);
	}
	if (rc) {
		if (err && c->e.code && strcmp(c->e.code, "U1002") == 0) {
			set_err(err, "S0500", "expression too big: its parse tree exceeds the 64 MiB cap");
		} else if (err) {
			c->arena.cap = 0;
			c->oom_jmp = NULL;
			jn_err_format(c, err);
		}
		free_regexes(k);
		jn_arena_release(c);
		free(c);
		free(x);
		free(k);
		return -1;
	}
	c->oom_jmp = NULL;
	c->arena.cap = 0; /* built: nothing more is allocated against the cap */
	x->c = c;
	x->ast = ast;
	x->regexes = k->regexes;
	x->nregex = k->nregex;
	x->sigs = k->sigs;
	x->nsig = k->nsig;
	free(k);
	*out = x;
	return 0;
}

void jsonata_free(struct jsonata *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->nregex; i++)
		jn_regex_free(x->regexes[i]);
	for (size_t i = 0; i < x->nsig; i++)
		jn_sig_free(x->sigs[i]);
	jn_arena_release(x->c);
	free(x->c);
	free(x);
}

/* $eval: compiles into the evaluation's arena; its regexes and signatures
 * are released with the arena. */
static void regex_free_cb(void *p) { jn_regex_free(p); }
static void sig_free_cb(void *p) { jn_sig_free(p); }

int jn_eval_text(struct jn_ctx *c, const char *src, size_t len, struct jn_node **ast)
{
	struct jn_compile *k = jn_alloc(c, sizeof(*k));
	k->c = c;
	k->src = jn_memdup(c, src, len);
	k->len = len;
	k->stack_base = c->stack_base; /* $eval: within the evaluation's budget */
	k->stack_max = c->stack_max;
	int rc = compile_src(k, ast);
	for (size_t i = 0; i < k->nregex; i++)
		jn_defer(c, regex_free_cb, k->regexes[i]);
	for (size_t i = 0; i < k->nsig; i++)
		jn_defer(c, sig_free_cb, (void *)k->sigs[i]);
	return rc;
}

static struct jsonata *chain;
static pthread_once_t chain_once = PTHREAD_ONCE_INIT;

static void chain_init(void)
{
	static const char src[] = "function($f, $g) { function($x){ $g($f($x)) } }";
	struct jsonata_error e;
	if (jsonata_compile(src, sizeof(src) - 1, &chain, &e) != 0)
		abort();
}

const struct jn_node *jn_chain_ast(void)
{
	pthread_once(&chain_once, chain_init);
	return chain->ast;
}

/* ------------------------------------------------------------------ */
/* Environments                                                        */
/* ------------------------------------------------------------------ */

#define ENV_EXT_MAX 64
#define ENV_FORBID_MAX 16

struct env_ext {
	char name[64];
	jsonata_ext_fn fn;
	void *ud;
	struct jn_builtin bi;
	struct jn_fn f;
	jv v;
};

struct env_forbid {
	char name[64];
	char code[8];
	char message[256];
	struct jn_builtin bi;
	struct jn_fn f;
	jv v;
};

struct jsonata_env {
	struct env_ext ext[ENV_EXT_MAX];
	int n;
	struct env_forbid forbid[ENV_FORBID_MAX];
	int nf;
};

struct jsonata_env *jsonata_env_new(void)
{
	jn_builtins_init();
	return calloc(1, sizeof(struct jsonata_env));
}

void jsonata_env_free(struct jsonata_env *env)
{
	if (!env)
		return;
	for (int i = 0; i < env->n; i++)
		jn_sig_free(env->ext[i].bi.sig);
	free(env);
}

int jsonata_env_add(struct jsonata_env *env, const char *name, const char *signature, jsonata_ext_fn fn, void *ud)
{
	if (!env || !name || !fn || env->n >= ENV_EXT_MAX || strlen(name) >= sizeof(env->ext[0].name))
		return -1;
	struct env_ext *e = &env->ext[env->n];
	memset(e, 0, sizeof(*e));
	snprintf(e->name, sizeof(e->name), "%s", name);
	if (signature) {
		const char *code;
		int off;
		if (jn_sig_parse(signature, strlen(signature), &e->bi.sig, &code, &off) != 0)
			return -1;
	}
	e->fn = fn;
	e->ud = ud;
	e->bi.name = e->name;
	e->bi.signature = signature;
	e->f.kind = JN_FN_EXT;
	e->f.shared = 1;
	e->f.bi = &e->bi;
	e->f.ext = e;
	e->f.arity = jn_sig_arity(e->bi.sig);
	e->v.type = JV_FUNCTION;
	e->v.u.fn = &e->f;
	env->n++;
	return 0;
}

static int forbidden_fn(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	(void)out;
	const struct env_forbid *f = call->self->data;
	jn_throw(c, f->code, -1, NULL, NULL);
	c->e.raw_message = f->message;
	return -1;
}

int jsonata_env_forbid(struct jsonata_env *env, const char *name, const char *code, const char *message)
{
	if (!env || !name || env->nf >= ENV_FORBID_MAX || strlen(name) >= sizeof(env->forbid[0].name))
		return -1;
	struct env_forbid *f = &env->forbid[env->nf];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->code, sizeof(f->code), "%s", code ? code : "D3120");
	snprintf(f->message, sizeof(f->message), "%s", message ? message : "function not allowed");
	f->bi.name = f->name;
	f->bi.fn = forbidden_fn;
	f->f.kind = JN_FN_BUILTIN;
	f->f.shared = 1;
	f->f.bi = &f->bi;
	f->f.data = f;
	f->v.type = JV_FUNCTION;
	f->v.u.fn = &f->f;
	env->nf++;
	return 0;
}

jv *jn_env_lookup(struct jn_ctx *c, const char *name, size_t len)
{
	const struct jsonata_env *env = c->env;
	for (int i = 0; i < env->nf; i++)
		if (strlen(env->forbid[i].name) == len && !memcmp(env->forbid[i].name, name, len))
			return (jv *)&env->forbid[i].v;
	for (int i = 0; i < env->n; i++)
		if (strlen(env->ext[i].name) == len && !memcmp(env->ext[i].name, name, len))
			return (jv *)&env->ext[i].v;
	return NULL;
}

static void decref_cb(void *p) { json_decref(p); }
static void decref_slot_cb(void *p)
{
	json_decref(*(json_t **)p);
	*(json_t **)p = NULL;
}
static size_t json_cost(const jv *v, size_t cap, size_t acc);

int jn_call_ext(struct jn_ctx *c, const struct jn_fn *f, jv **args, int nargs, jv **out)
{
	const struct env_ext *e = f->ext;
	json_t **ja = jn_alloc(c, (size_t)(nargs ? nargs : 1) * sizeof(json_t *));
	/* the jansson copies are malloc'd outside the arena, a shared part once
	 * per reference: bounded by what is left of the cap (U1002) and by the
	 * clock (to_json ticks while an evaluation runs) */
	size_t left = c->arena.cap > c->arena.total ? c->arena.cap - c->arena.total : 0, cost = 0;
	for (int i = 0; i < nargs && cost <= left; i++)
		cost = json_cost(args[i], left, cost);
	if (c->arena.cap && cost > left)
		return jn_throw(c, "U1002", -1, NULL, jn_num(c, (double)c->arena.cap));
	for (int i = 0; i < nargs; i++) {
		jn_defer(c, decref_slot_cb, &ja[i]);
		ja[i] = jn_to_json(args[i]);
	}
	if (c->e.code) /* U1003 (nested too deeply), D1012 */
		return -1;
	json_t *res = NULL;
	struct jsonata_error je;
	memset(&je, 0, sizeof(je));
	int frc = e->fn(e->ud, ja, nargs, &res, &je);
	for (int i = 0; i < nargs; i++) {
		/* done with: freed now, not at the evaluation's end (a loop of
		 * calls would keep every copy); the result holds what it shares */
		json_decref(ja[i]);
		ja[i] = NULL;
	}
	if (frc != 0) {
		jn_throw(c, je.code[0] ? jn_memdup(c, je.code, strlen(je.code)) : "D3137", -1, NULL, NULL);
		c->e.raw_message = jn_memdup(c, je.message, strlen(je.message));
		return -1;
	}
	if (res) {
		jn_defer(c, decref_cb, res);
		*out = jn_from_json(c, res);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                          */
/* ------------------------------------------------------------------ */

#include <pthread.h>

/* Once per thread: pthread_getattr_np reads /proc/self/maps for the main
 * thread, far dearer than an evaluation. */
static _Thread_local size_t stack_budget_cached;

size_t jn_stack_budget(void)
{
	if (stack_budget_cached)
		return stack_budget_cached;
	size_t size = 0;
	pthread_attr_t a;
	if (pthread_getattr_np(pthread_self(), &a) == 0) {
		pthread_attr_getstacksize(&a, &size);
		pthread_attr_destroy(&a);
	}
	if (size == 0)
		size = 256u << 10; /* unknown: assume a small thread */
	/* leave what the caller above us uses: 192 KiB, or half a small stack */
	size -= size / 2 < (192u << 10) ? size / 2 : (192u << 10);
	if (size > (64u << 20))
		size = 64u << 20;
	stack_budget_cached = size;
	return size;
}

#ifdef CLOCK_MONOTONIC_COARSE
#define JN_CLOCK_START CLOCK_MONOTONIC_COARSE
#else
#define JN_CLOCK_START CLOCK_MONOTONIC
#endif

/* JN_CLOCK_START's resolution in ns (read once) */
static uint64_t start_clock_res(void)
{
	static _Thread_local uint64_t res;
	if (!res) {
		struct timespec r;
		res = clock_getres(JN_CLOCK_START, &r) == 0 ? (uint64_t)r.tv_sec * 1000000000ull + (uint64_t)r.tv_nsec : 0;
		if (res == 0 || res > 100000000ull)
			res = 10000000ull; /* unknown or odd: 10 ms */
	}
	return res;
}

/* The wall clock in ms from a monotonic reading: the offset between the two
 * clocks is read once a second per thread (one clock call per evaluation,
 * not two; $now()/$millis() stay within a second of a clock step). */
static int64_t wall_ms(uint64_t mono_ns)
{
	static _Thread_local uint64_t refreshed_ns;
	static _Thread_local int64_t offset_ns;
	if (!refreshed_ns || mono_ns - refreshed_ns > 1000000000ull) {
		struct timespec rt, mt;
		clock_gettime(CLOCK_REALTIME, &rt);
		clock_gettime(CLOCK_MONOTONIC, &mt);
		offset_ns = ((int64_t)rt.tv_sec - (int64_t)mt.tv_sec) * 1000000000ll + (rt.tv_nsec - mt.tv_nsec);
		refreshed_ns = mono_ns;
	}
	return ((int64_t)mono_ns + offset_ns) / 1000000;
}

static int eval_common(const struct jsonata *x, const struct jsonata_env *env, const json_t *input,
		       const json_t *bindings, const struct jsonata_limits *lim, struct jn_ctx *c, jv **res,
		       struct jsonata_error *err)
{
	jmp_buf oom;
	c->oom_jmp = &oom;
	c->env = env;
	c->arena.cap = lim && lim->memory_max ? lim->memory_max : JSONATA_MEMORY_DEFAULT;
	c->depth_max = lim && lim->depth_max ? lim->depth_max : JSONATA_DEPTH_DEFAULT;
	c->time_ms = lim && lim->time_ms ? lim->time_ms : JSONATA_TIME_DEFAULT_MS;
	c->stack_max = jn_stack_budget(); /* stack_base: set by the caller, whose frame outlives this one */
	/* the coarse clock: ~10 ns a reading against ~40 for the precise one
	 * (a VM's TSC clock source), a field access costing ~250 ns in all; its
	 * resolution (a few ms) is added to the deadline, which is never early
	 * then, and $now()/$millis() may be that much behind the wall clock */
	struct timespec ts;
	clock_gettime(JN_CLOCK_START, &ts);
	uint64_t now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	c->deadline_ns = c->time_ms > 0 ? now + (uint64_t)c->time_ms * 1000000ull + start_clock_res() : 0;
	c->now_ms = wall_ms(now);
	static _Thread_local uint64_t seq;
	c->rng[0] = now ^ 0x9E3779B97F4A7C15ull;
	c->rng[1] = ((uint64_t)(uintptr_t)c << 17) ^ (++seq * 0xD1B54A32D192ED03ull) ^ 0xBF58476D1CE4E5B9ull;
	if (!c->rng[0] && !c->rng[1])
		c->rng[1] = 1;
	if (setjmp(oom)) {
		c->arena.cap = 0;
		c->oom_jmp = NULL;
		if (c->jmp_timeout) { /* a walk over a value ran out of time: D1012 is set */
			if (err)
				jn_err_format(c, err);
			return -1;
		}
		jv *cap = jn_num(c, (double)(lim && lim->memory_max ? lim->memory_max : JSONATA_MEMORY_DEFAULT));
		c->e.code = "U1002";
		c->e.value = cap;
		c->e.has_value = 1;
		c->e.position = -1;
		if (err)
			jn_err_format(c, err);
		return -1;
	}
	c->global = jn_frame_new(c, NULL);
	if (bindings && json_is_object(bindings)) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)bindings, k, v)
		{
			size_t kl = strlen(k);
			jn_frame_bind(c, c->global, k, kl, jn_name_hash(k, kl), jn_from_json_lazy(c, v));
		}
	}
	jv *in = jn_from_json_lazy(c, input);
	jn_frame_bind(c, c->global, "$", 1, jn_name_hash("$", 1), in);
	if (in && in->type == JV_ARRAY) {
		in = jn_seq1(c, in);
		in->flags |= JV_OUTER;
	}
	c->root = in;
	if (jn_eval(c, x->ast, in, c->global, res)) {
		if (err)
			jn_err_format(c, err);
		return -1;
	}
	return 0;
}

/* Bytes the jansson copy of v would take, roughly (json_t nodes and their
 * strings), stopping once past cap. */
static size_t json_cost(const jv *v, size_t cap, size_t acc)
{
	if (!v || acc > cap || jn_stack_low())
		return acc;
	if (v->flags & JV_LAZY)
		return acc; /* shared with the input, not copied */
	acc += 64;
	switch (v->type) {
	case JV_STRING: return acc + v->u.s.len;
	case JV_ARRAY:
		for (size_t i = 0; i < v->u.a.n && acc <= cap; i++)
			acc = json_cost(v->u.a.v[i], cap, acc);
		return acc;
	case JV_OBJECT:
		for (size_t i = 0; i < v->u.o.n && acc <= cap; i++)
			acc = json_cost(v->u.o.kv[i].v, cap, acc + 32 + v->u.o.kv[i].k.len);
		return acc;
	default: return acc;
	}
}

int jsonata_eval_env(const struct jsonata *x, const struct jsonata_env *env, const json_t *input,
		     const json_t *bindings, const struct jsonata_limits *lim, json_t **out, struct jsonata_error *err)
{
	struct jn_ctx c;
	char base;
	memset(&c, 0, sizeof(c));
	c.stack_base = &base;
	jv *res = NULL;
	*out = NULL;
	struct jn_ctx *outer = jn_tl_ctx; /* an extension function may evaluate too */
	jn_tl_ctx = &c;
	int rc = eval_common(x, env, input, bindings, lim, &c, &res, err);
	if (!rc) {
		/* the jansson copy is malloc'd outside the arena: bounded alike */
		size_t cap = lim && lim->memory_max ? lim->memory_max : JSONATA_MEMORY_DEFAULT;
		c.oom_jmp = NULL;
		c.arena.cap = 0;
		if (json_cost(res, cap, 0) > cap) {
			c.e.code = "U1002";
			c.e.value = jn_num(&c, (double)cap);
			c.e.has_value = 1;
			c.e.position = -1;
		} else {
			*out = jn_to_json(res);
		}
		if (c.e.code) {
			/* too big, or nested deeper than the stack allows */
			json_decref(*out);
			*out = NULL;
			if (err)
				jn_err_format(&c, err);
			rc = -1;
		}
	}
	jn_arena_release(&c);
	jn_tl_ctx = outer;
	return rc;
}

int jsonata_eval(const struct jsonata *x, const json_t *input, const json_t *bindings,
		 const struct jsonata_limits *lim, json_t **out, struct jsonata_error *err)
{
	return jsonata_eval_env(x, NULL, input, bindings, lim, out, err);
}

int jsonata_eval_text(const struct jsonata *x, const struct jsonata_env *env, const json_t *input,
		      const json_t *bindings, const struct jsonata_limits *lim, char **out_json,
		      struct jsonata_error *err)
{
	struct jn_ctx c;
	char base;
	memset(&c, 0, sizeof(c));
	c.stack_base = &base;
	jv *res = NULL; /* set before the setjmp below, not after: need not be volatile */
	*out_json = NULL;
	struct jn_ctx *outer = jn_tl_ctx;
	jn_tl_ctx = &c;
	volatile int rc = eval_common(x, env, input, bindings, lim, &c, &res, err);
	jmp_buf oom;
	size_t cap = lim && lim->memory_max ? lim->memory_max : JSONATA_MEMORY_DEFAULT;
	if (!rc && res && json_cost(res, cap, 0) > cap) {
		/* bounded as jsonata_eval_env's result (a DAG of shared parts
		 * would be written out once per path) */
		c.arena.cap = 0;
		c.oom_jmp = NULL;
		c.e.code = "U1002";
		c.e.value = jn_num(&c, (double)cap);
		c.e.has_value = 1;
		c.e.position = -1;
		if (err)
			jn_err_format(&c, err);
		rc = -1;
	} else if (!rc && res && setjmp(oom)) {
		/* the text outgrew the arena's second allowance */
		c.oom_jmp = NULL;
		c.arena.cap = 0;
		c.e.code = "U1002";
		c.e.value = jn_num(&c, (double)(lim && lim->memory_max ? lim->memory_max : JSONATA_MEMORY_DEFAULT));
		c.e.has_value = 1;
		c.e.position = -1;
		if (err)
			jn_err_format(&c, err);
		rc = -1;
	} else if (!rc && res) {
		struct jn_sb b;
		jn_sb_init(&b);
		/* the text may take as much again as the evaluation could */
		c.oom_jmp = &oom;
		c.arena.cap = c.arena.total + (lim && lim->memory_max ? lim->memory_max : JSONATA_MEMORY_DEFAULT);
		int w = jn_json_write(&c, &b, res, JN_JSON_RESULT);
		c.oom_jmp = NULL;
		if (w == -2) {
			if (err)
				jn_err_format(&c, err);
			rc = -1;
		} else if (w == 0) {
			*out_json = malloc(b.n + 1);
			if (*out_json) {
				memcpy(*out_json, b.p, b.n);
				(*out_json)[b.n] = 0;
			} else {
				set_err(err, "U1002", "out of memory");
				rc = -1;
			}
		}
	}
	jn_arena_release(&c);
	jn_tl_ctx = outer;
	return rc;
}

char *jsonata_dumps(const json_t *v)
{
	if (!v)
		return NULL;
	struct jn_ctx c;
	memset(&c, 0, sizeof(c));
	jmp_buf oom;
	char *volatile r = NULL;
	c.oom_jmp = &oom;
	if (setjmp(oom) == 0) {
		struct jn_sb b;
		jn_sb_init(&b);
		if (jn_json_write(&c, &b, jn_from_json(&c, v), 0) == 0) {
			r = malloc(b.n + 1);
			if (r) {
				memcpy(r, b.p, b.n);
				r[b.n] = 0;
			}
		}
	}
	jn_arena_release(&c);
	return r;
}
