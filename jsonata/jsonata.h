/* jsonata: a JSONata 2.x engine (the language as the npm package jsonata@2.2.2
 * implements it), in C.
 *
 * An expression is compiled once (jsonata_compile) into an immutable AST
 * that may be shared by any number of threads, each evaluating it with its
 * own input (jsonata_eval). An evaluation allocates from an arena of its own
 * and frees everything at once at its end; the result is converted to a
 * jansson value (a new reference for the caller).
 *
 * Errors carry JSONata's codes and messages (S0201, T2001, D3030, ...), the
 * position (in UTF-16 code units after the offending token, as JavaScript
 * counts) and the token. The engine is bounded: a depth limit (D1011), a time
 * limit (D1012), a memory cap on the arena (U1002, tutti's own code) and the
 * range operator's 1e7 items (D2014).
 *
 * No dependency on the orchestrator: jansson and PCRE2 only. docs/jsonata.md. */
#ifndef TUTTI_JSONATA_H
#define TUTTI_JSONATA_H

#include <stddef.h>
#include <jansson.h>

/* A compiled expression: immutable, shareable across threads. */
struct jsonata;

struct jsonata_error {
	char code[8];        /* "S0201", "T2001", ... */
	long position;       /* -1 when the error has none */
	char token[64];      /* "" when none */
	char message[512];   /* JSONata's message text, inserts substituted */
};

/* Defaults when a field is 0 (or lim is NULL): depth_max 500 nested
 * (non-tail) function calls, time_ms 1000 (a negative value: no time
 * limit), memory_max 1 GiB of arena. The C stack an evaluation uses is
 * bounded too (by the thread's stack size): D1011 like the depth. */
struct jsonata_limits {
	unsigned depth_max;
	long time_ms;
	size_t memory_max;
};

#define JSONATA_DEPTH_DEFAULT 500u
#define JSONATA_TIME_DEFAULT_MS 1000L
#define JSONATA_MEMORY_DEFAULT ((size_t)1 << 30)
/* Expression texts longer than this are refused (S0500-like "expression too long"). */
#define JSONATA_EXPR_MAX ((size_t)1 << 20)
/* The memory one compiled expression may take (its parse tree, in its
 * arena): more is refused (S0500 "expression too big"). */
#define JSONATA_COMPILE_MEMORY_MAX ((size_t)64 << 20)

/* Compiles EXPR (LEN bytes of UTF-8; bytes that are not UTF-8 read as
 * U+FFFD). 0 with *out set, or -1 with err filled (a syntax error: S01xx,
 * S02xx, S03xx (S0303: an invalid regular expression), S04xx; U1001 nested
 * too deeply; S0500 over JSONATA_EXPR_MAX or JSONATA_COMPILE_MEMORY_MAX). */
int jsonata_compile(const char *expr, size_t len, struct jsonata **out, struct jsonata_error *err);
void jsonata_free(struct jsonata *x);

/* An environment: extension functions and switches, for a family of
 * evaluations (the Step Functions engine registers $partition, $hash, ...
 * and forbids $eval). Built once, then read-only: shareable across threads. */
struct jsonata_env;

/* An extension function. args[i] are borrowed (NULL = undefined, after
 * signature validation); *out a new reference (NULL = undefined). Returns 0,
 * or -1 with err filled (err->code, at most 7 characters, and err->message,
 * used as is; position and token are filled in by the engine). */
typedef int (*jsonata_ext_fn)(void *ud, json_t *const *args, int nargs, json_t **out,
			      struct jsonata_error *err);

struct jsonata_env *jsonata_env_new(void);
void jsonata_env_free(struct jsonata_env *env);
/* Registers $NAME with a JSONata signature (e.g. "<n-n?:a<n>>"; NULL: any
 * arguments). A builtin of the same name is hidden. 0, or -1 (bad signature,
 * too many functions: 64). */
int jsonata_env_add(struct jsonata_env *env, const char *name, const char *signature, jsonata_ext_fn fn,
		    void *ud);
/* Makes $NAME (a builtin, e.g. "eval") an error when called: code, message.
 * 0 or -1. */
int jsonata_env_forbid(struct jsonata_env *env, const char *name, const char *code, const char *message);

/* Evaluates X. input NULL = undefined input. bindings: a JSON object of
 * NAME -> value (bound as $NAME), or NULL. *out = NULL when the result is
 * undefined, else a new reference. 0, or -1 with err (a JSONata code; the
 * limits': D1011 depth, D1012 time, U1002 memory, U1003 a result nested
 * deeper than 1000 levels; docs/jsonata.md "Limits"). */
int jsonata_eval(const struct jsonata *x, const json_t *input, const json_t *bindings,
		 const struct jsonata_limits *lim, json_t **out, struct jsonata_error *err);
int jsonata_eval_env(const struct jsonata *x, const struct jsonata_env *env, const json_t *input,
		     const json_t *bindings, const struct jsonata_limits *lim, json_t **out,
		     struct jsonata_error *err);

/* The result as JSON text, as JavaScript's JSON.stringify prints it
 * (numbers in their shortest round-trip form: 0.30000000000000004, 1e+21,
 * -0 as 0), compact. *out_json (malloc'd, NUL-terminated) is NULL when the
 * result is undefined. 0, or -1 with err. This path never builds a json_t. */
int jsonata_eval_text(const struct jsonata *x, const struct jsonata_env *env, const json_t *input,
		      const json_t *bindings, const struct jsonata_limits *lim, char **out_json,
		      struct jsonata_error *err);

/* A jansson value as JSON.stringify prints it (reals in the shortest
 * round-trip form, integral reals without ".0"); malloc'd, or NULL. */
char *jsonata_dumps(const json_t *v);

#endif
