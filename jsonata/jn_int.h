/* jn_int.h: the JSONata engine's private shared header — the value model,
 * the per-evaluation arena and context, errors, the builtin-function
 * interface, regexes, and the helpers the function library uses.
 *
 * ===================================================================
 * HOW TO WRITE A BUILTIN (read this first)
 * ===================================================================
 * 1. One line in your .def file (jn_fn_string.def, ...):
 *        X("substring", "<s-nn?:s>", jn_fn_substring)
 *    name without '$'; the signature exactly as functions.js declares it
 *    (jsonata.js: `defineFunction(fn.substring, '<s-nn?:s>')`). The
 *    prototype is declared here from the .def files (see the bottom).
 * 2. The C function, non-static, in your .c file:
 *        int jn_fn_substring(struct jn_ctx *c, struct jn_call *call, jv **out)
 *    - call->args[0 .. call->nargs-1]: the arguments AFTER signature
 *      validation (jn_sig.c does what signature.js validate() does: the
 *      context value is inserted for '-', an argument of type 'a' that is
 *      not an array is wrapped in a one-item array, type errors T0410,
 *      T0411, T0412 are raised before you run). nargs is the number of
 *      arguments actually given (after '-' insertion); optional ones not
 *      given are absent (i >= nargs), and an argument may be undefined
 *      (args[i] == NULL) even when given: `$substring(nothing, 1)`.
 *      Functions declared without a signature (NULL) receive the raw args.
 *    - call->input: the context value at the call (what `$` is there).
 *    - *out: the result; leave NULL (its initial value) for undefined.
 *    - return 0, or -1 after jn_throw*() (which returns -1):
 *          return jn_throw(c, "D3030", -1, NULL, arg);
 *      position -1 and token NULL: the evaluator fills in the call's
 *      position and the function's name, as jsonata.js does. The message
 *      is formatted at the end from the template table (jn_errors.c), so
 *      you pass the inserts, not text.
 * 3. Allocation: everything with jn_alloc()/the jv constructors, from the
 *    evaluation's arena: never free, never malloc (there is no cleanup
 *    path: when the arena's cap is crossed, jn_alloc longjmps out of the
 *    evaluation with U1002). If you must hold a non-arena resource across
 *    calls that allocate, register its release with jn_defer().
 *    Lazy input: the input and bindings are converted from jansson lazily
 *    (JV_LAZY below). Your arguments are forced all the way down before you
 *    run, and so is what jn_apply() returns to you, EXCEPT for the builtins
 *    listed in SHALLOW in jn_builtins.c (count, map, filter, sort, zip, each,
 *    sift, ...: their code reads only the top level of the arguments, items
 *    are passed on): if you change one of those to look inside an item, call
 *    jn_force(item) first, or ask to take it off that list.
 *    Long loops (per character, per item of a big array) call jn_tick(c)
 *    so that the time limit holds.
 * 4. Values are IMMUTABLE once they are visible to anyone else: never
 *    change an argument (not even its flags); build new arrays/objects.
 *    The shared constants (jn_null(), jn_true(), ...) live in read-only
 *    static storage shared by threads.
 * 5. Calling a function value (HOFs, $replace with a function, $sort's
 *    comparator): jn_apply(c, fn, args, nargs, &res). Pass as many args as
 *    the function takes: jn_fn_arity(fn) (jsonata.js hofFuncArgs()).
 * 6. Numbers are doubles. A result that is not finite must raise D1001
 *    where jsonata.js does (most arithmetic does it in the evaluator).
 *    Strings are UTF-8 (ptr,len), not NUL-terminated; JSONata's $length
 *    and $substring count code points (stringToArray: Array.from), regex
 *    positions and $pad/... widths may count UTF-16 units: use the
 *    jn_utf8_* helpers.
 *
 * Thread-safety: a struct jn_ctx belongs to one evaluation on one thread.
 * Compiled ASTs, parsed signatures, builtin tables and compiled regexes are
 * immutable and shared. */
#ifndef TUTTI_JN_INT_H
#define TUTTI_JN_INT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "jsonata.h"

struct jn_ctx;
struct jn_node;
struct jn_frame;
struct jn_sig;

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

/* A value is a `jv *`. NULL is JavaScript's `undefined` (JSONata's "no
 * match"); JSON null is jn_null(). */
typedef struct jv jv;

enum jv_type {
	JV_NULL = 1,
	JV_BOOL,
	JV_NUMBER,
	JV_STRING,
	JV_ARRAY,
	JV_OBJECT,
	JV_FUNCTION,
};

/* Array flags (jv.flags when type == JV_ARRAY), as jsonata.js sets
 * properties on its arrays: */
#define JV_SEQ 0x01   /* .sequence: a result sequence (singletons unwrap) */
#define JV_KEEP 0x02  /* .keepSingleton: a path with [] keeps arrays */
#define JV_CONS 0x04  /* .cons: built by an array constructor [..] */
#define JV_OUTER 0x08 /* .outerWrapper: the input array wrapped at top */
#define JV_TUPLE 0x10 /* .tupleStream: items are tuples (evaluator only) */
/* Arrays and objects of the input and bindings are converted from jansson
 * lazily: a JV_LAZY container has u.a / u.o EMPTY until jn_force() fills
 * them (its items lazy in turn) from jv.src. The evaluator forces what it
 * walks; builtins never see one: their arguments, and what jn_apply returns
 * to them, are forced all the way down (jn_force_deep) before they run. */
#define JV_LAZY 0x20
/* A container jn_force_deep has walked: nothing lazy inside (cleared by
 * jn_arr_push, jn_obj_set: an item added later may be lazy). */
#define JV_DEEP 0x80
/* String flags (type == JV_STRING): cached facts. */
#define JV_STR_ASCII 0x40 /* known all-ASCII (UTF-16 len == byte len) */
/* A string read from the input or bindings: its bytes are a jansson
 * string's, whose json_t is stored right after the value (jn_str_src), so
 * that jn_to_json hands back a reference instead of a copy. (The bit is
 * JV_DEEP's on containers: nothing looks for that one on a string but
 * jn_force_deep, for which a string is complete either way.) */
#define JV_STR_JSON 0x80

struct jn_str {
	const char *p; /* UTF-8, not NUL-terminated */
	size_t len;    /* bytes */
};

struct jn_arr {
	jv **v; /* items; never NULL items (undefined is never stored) */
	size_t n, cap;
};

struct jn_kv {
	struct jn_str k;
	uint32_t hash;
	jv *v; /* never NULL */
};

/* An ordered object. Key order follows JavaScript's for plain objects:
 * array-index keys ("0", "17": canonical integers < 2^32-1) first in
 * ascending numeric order, then the others in insertion order. Lookups use
 * a hash index once the object has more than 8 keys. */
struct jn_obj {
	struct jn_kv *kv;
	size_t n, cap;
	uint32_t *idx; /* open addressing: kv index + 1; 0 = empty; NULL when small */
	size_t idxcap; /* power of two */
};

enum jn_fn_kind {
	JN_FN_BUILTIN = 1, /* a library function (struct jn_builtin) */
	JN_FN_LAMBDA,      /* function($x){...}: body + closure frame */
	JN_FN_PARTIAL,     /* f(?, 2): target + args with placeholders */
	JN_FN_REGEX,       /* a regex literal /ab+/i: callable, returns a match object */
	JN_FN_NATIVE,      /* a C closure (the `next` of a match object, ...) */
	JN_FN_EXT,         /* an extension from struct jsonata_env */
};

/* The builtin function's C type. See the top of this file. */
struct jn_call;
typedef int (*jn_builtin_fn)(struct jn_ctx *c, struct jn_call *call, jv **out);

struct jn_builtin {
	const char *name;      /* without '$' */
	const char *signature; /* "<s-nn?:s>", or NULL: no validation */
	jn_builtin_fn fn;
	const struct jn_sig *sig; /* parsed once at start-up (jn_builtins_init) */
};

struct jn_regex;

struct jn_fn {
	enum jn_fn_kind kind;
	/* JN_FN_BUILTIN, JN_FN_NATIVE (bi points at a struct the closure
	 * owns: name, signature, fn; data is the closure's own state). */
	const struct jn_builtin *bi;
	void *data;
	/* JN_FN_LAMBDA */
	const struct jn_node *lambda;
	struct jn_frame *env; /* the closure's frame */
	jv *input;            /* the context value where the lambda was defined */
	/* JN_FN_PARTIAL: target function and its args; a NULL arg in args
	 * with is_placeholder[i] set is a `?` */
	jv *target;
	jv **args;
	unsigned char *is_placeholder;
	int nargs;
	/* JN_FN_REGEX */
	const struct jn_regex *re;
	/* JN_FN_EXT */
	const void *ext;
	/* evaluator-private (lambdas and partial applications of lambdas) */
	struct jn_node *const *params; /* the variable nodes bound to the args */
	int nparams;
	const struct jn_node *body;
	const struct jn_sig *lsig; /* the lambda's signature, or NULL */
	int thunk;                 /* a tail call to make (the trampoline's) */
	int arity;                 /* JN_FN_PARTIAL of a native: placeholders */
	/* jsonata.js sets .position and .token on a function object at each
	 * call by name and reads them back when an error passes through it:
	 * the evaluation's copy of that state (builtins: in jn_ctx) */
	long pos;
	const char *tok;
	int shared; /* static storage shared by threads: never written */
};

/* NEVER copy a jv by value (`jv x = *v`): numbers and strings are
 * allocated with only their part of the union. */
struct jv {
	uint8_t type;  /* enum jv_type */
	uint8_t flags; /* JV_SEQ ... for arrays, JV_STR_* for strings */
	union {
		double num;
		int b;
		struct jn_str s;
		struct jn_arr a;
		struct jn_obj o;
		struct jn_fn *fn;
	} u;
	const json_t *src; /* JV_LAZY: the jansson value (arrays/objects only: after u) */
};

/* The json_t of a JV_STR_JSON string (jn_json.c allocates it after the
 * string's part of the value). */
#define JV_STR_SIZE (offsetof(jv, u) + sizeof(struct jn_str))
static inline const json_t *jn_str_src(const jv *v)
{
	const json_t *j;
	memcpy(&j, (const char *)v + JV_STR_SIZE, sizeof(j));
	return j;
}

/* Fills a JV_LAZY container (its children lazy); a no-op otherwise. */
void jn_force_(jv *v);
static inline jv *jn_force(jv *v)
{
	if (v && (v->flags & JV_LAZY))
		jn_force_(v);
	return v;
}
/* Forces v and everything in it. */
void jn_force_deep(jv *v);
/* The evaluation running on this thread (lazy conversion allocates in it). */
extern _Thread_local struct jn_ctx *jn_tl_ctx;
/* 1 when the evaluation on this thread has used up its C stack budget:
 * recursive walks over values (nested 100,000 deep is easy to build) stop
 * there (json output raises D1011, comparisons say unequal). */
int jn_stack_low(void);

/* Read-only shared constants. */
jv *jn_null(void);
jv *jn_true(void);
jv *jn_false(void);
static inline jv *jn_bool(int b) { return b ? jn_true() : jn_false(); }

/* Constructors (arena). jn_str copies the bytes; jn_str_ref does not (the
 * bytes must outlive the evaluation: arena or AST memory). */
jv *jn_num(struct jn_ctx *c, double d);
jv *jn_str(struct jn_ctx *c, const char *p, size_t len);
jv *jn_str_ref(struct jn_ctx *c, const char *p, size_t len);
jv *jn_cstr(struct jn_ctx *c, const char *s); /* copies a NUL-terminated string */
jv *jn_arr_new(struct jn_ctx *c, size_t cap);
jv *jn_seq_new(struct jn_ctx *c); /* an empty array with JV_SEQ */
void jn_arr_push(struct jn_ctx *c, jv *a, jv *v); /* v == NULL: ignored */
jv *jn_obj_new(struct jn_ctx *c);
/* Sets key k to v; an existing key keeps its place, a new one goes last
 * (array-index keys: in numeric order before the others). The key bytes are
 * NOT copied: they must live as long as the evaluation (arena, AST or input
 * memory; jn_memdup() them otherwise). v NULL: no-op. */
void jn_obj_set(struct jn_ctx *c, jv *o, const char *k, size_t klen, jv *v);
jv *jn_obj_get(const jv *o, const char *k, size_t klen); /* NULL when absent */
/* The same with the key's hash given (jn_key_hash: FNV-1a 32). */
jv *jn_obj_geth(const jv *o, const char *k, size_t klen, uint32_t hash);
uint32_t jn_key_hash(const char *k, size_t n);
int jn_obj_del(jv *o, const char *k, size_t klen);       /* 1 removed, 0 absent */
/* Filling a new object with keys known to be distinct (a jansson object's):
 * jn_obj_add_new() each, then jn_obj_add_done(). Reserve u.o.kv first. */
void jn_obj_add_new(struct jn_ctx *c, jv *o, const char *k, size_t klen, jv *v);
void jn_obj_add_done(struct jn_ctx *c, jv *o);
jv *jn_fn_value(struct jn_ctx *c, struct jn_fn *f);       /* wraps (f arena-allocated) */
/* A JN_FN_NATIVE closure: calls fn with call->self->data == data. Its
 * arguments are not validated (signature: informative, for its arity: the
 * number of parameters it lists). */
jv *jn_native(struct jn_ctx *c, const char *name, const char *signature, jn_builtin_fn fn, void *data);

/* Type tests. */
static inline int jn_is_array(const jv *v) { return v && v->type == JV_ARRAY; }
static inline int jn_is_seq(const jv *v) { return v && v->type == JV_ARRAY && (v->flags & JV_SEQ); }
static inline int jn_is_object(const jv *v) { return v && v->type == JV_OBJECT; }
static inline int jn_is_string(const jv *v) { return v && v->type == JV_STRING; }
static inline int jn_is_number(const jv *v) { return v && v->type == JV_NUMBER; }
static inline int jn_is_bool(const jv *v) { return v && v->type == JV_BOOL; }
static inline int jn_is_null(const jv *v) { return v && v->type == JV_NULL; }
static inline int jn_is_function(const jv *v) { return v && v->type == JV_FUNCTION; }
/* "string" "number" "boolean" "null" "array" "object" "function", or NULL for undefined. */
const char *jn_type_name(const jv *v);
/* JSONata's boolean cast ($boolean, conditions): undefined -> 0. */
int jn_truthy(const jv *v);
/* jsonata.js isDeepEqual: numbers ==, strings by bytes, arrays/objects
 * recursively (object key order ignored). */
int jn_deep_equal(const jv *a, const jv *b);
/* A copy of arrays/objects all the way down (the transform's $clone). */
jv *jn_deep_copy(struct jn_ctx *c, const jv *v);
/* A plain copy of an array (same items, flags cleared). */
jv *jn_arr_copy(struct jn_ctx *c, const jv *a);
/* Number helpers */
int jn_is_integer(double d); /* finite and integral */

/* ------------------------------------------------------------------ */
/* Text                                                                */
/* ------------------------------------------------------------------ */

/* JavaScript's Number.prototype.toString(): shortest round-trip digits,
 * exponent form from 1e21 and below 1e-6 ("1e+21", "1.5e-7"), "NaN",
 * "Infinity", -0 -> "0". buf >= 32 bytes. Returns the length. */
size_t jn_num_fmt(double d, char *buf);
/* Number(d.toPrecision(15)) then as above (what $string does to numbers). */
size_t jn_num_fmt15(double d, char *buf);

/* A growable string in the arena. */
struct jn_sb {
	char *p;
	size_t n, cap;
};
void jn_sb_init(struct jn_sb *b);
void jn_sb_put(struct jn_ctx *c, struct jn_sb *b, const char *p, size_t n);
void jn_sb_putc(struct jn_ctx *c, struct jn_sb *b, char ch);
void jn_sb_puts(struct jn_ctx *c, struct jn_sb *b, const char *s);
void jn_sb_printf(struct jn_ctx *c, struct jn_sb *b, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void jn_sb_cp(struct jn_ctx *c, struct jn_sb *b, uint32_t cp); /* a code point as UTF-8 */
jv *jn_sb_str(struct jn_ctx *c, struct jn_sb *b);               /* the string value (no copy) */

/* JSON.stringify(v) into b. flags: JN_JSON_PRETTY (indent 2), JN_JSON_PREC15
 * (numbers through toPrecision(15), as $string), JN_JSON_FNEMPTY (functions
 * as "" as $string does; otherwise omitted in objects / null in arrays).
 * Returns 0, or -1 when v is undefined or a bare function (nothing
 * written: JSON.stringify returns undefined). */
#define JN_JSON_PRETTY 0x1
#define JN_JSON_PREC15 0x2
#define JN_JSON_FNEMPTY 0x4
/* an evaluation's result: U1003 past JN_RESULT_DEPTH_MAX */
#define JN_JSON_RESULT 0x8
/* an error message's insert: cut short past 4 KiB (the message is cut at
 * 511 bytes; a value of shared parts would be written once per path) */
#define JN_JSON_SHORT 0x10
/* The deepest result an evaluation may give (arrays and objects nested):
 * jansson parses at most 2048 levels and its json_dumps recurses once per
 * level (a result 27,500 deep crashed the server writing it). U1003. */
#define JN_RESULT_DEPTH_MAX 1000
int jn_json_write(struct jn_ctx *c, struct jn_sb *b, const jv *v, int flags);
/* $string(v, pretty): the cast JSONata does (strings as is, functions "",
 * non-finite numbers D3001, the rest JSON with 15-digit numbers).
 * *out NULL for undefined. 0 or -1. */
int jn_to_string(struct jn_ctx *c, const jv *v, int pretty, jv **out);
/* A NUL-terminated copy of a string value's bytes (arena). */
char *jn_strz(struct jn_ctx *c, const jv *s);

/* UTF-8 helpers. Strings are valid UTF-8, except that lone surrogates
 * (from "\ud800" escapes) are encoded as their 3-byte form (WTF-8). */
/* Decodes the code point at p[*i] (n bytes total), advances *i. Invalid
 * bytes decode as U+FFFD, one byte each. */
uint32_t jn_utf8_next(const char *p, size_t n, size_t *i);
size_t jn_utf8_put(uint32_t cp, char *out); /* out >= 4 bytes; returns length */
size_t jn_utf8_cplen(const char *p, size_t n);   /* code points */
/* 1 when p is valid UTF-8 (surrogates allowed: WTF-8), else 0. */
int jn_utf8_valid(const char *p, size_t n);
/* A malloc'd copy with invalid bytes and surrogates as U+FFFD. */
char *jn_utf8_sanitize(const char *p, size_t n, size_t *outlen);
size_t jn_utf16_len(const char *p, size_t n);    /* UTF-16 code units */
size_t jn_str_u16len(const jv *s);               /* of a string value (uses JV_STR_ASCII) */
/* The byte offset of code point index k (clamped to n). */
size_t jn_utf8_cp_offset(const char *p, size_t n, size_t k);
/* The byte offset of UTF-16 index k (clamped; inside a pair: after it). */
size_t jn_utf8_u16_offset(const char *p, size_t n, size_t k);
/* The UTF-16 index of byte offset off. */
size_t jn_utf16_index(const char *p, size_t n, size_t off);

/* ------------------------------------------------------------------ */
/* Regex (PCRE2 with JavaScript's semantics where they differ)          */
/* ------------------------------------------------------------------ */

/* A compiled regex literal /src/flags (flags: i, m; JSONata forbids the
 * others). Immutable; owned by the AST (or by a $eval's arena). The
 * source is translated from JavaScript's syntax before compiling (see
 * jn_regex.c: \d \w \s ASCII classes as JS, $ end-only, . not matching line
 * terminators, \u{...} and \uXXXX escapes, unset back-references match
 * empty). */
struct jn_regex {
	pcre2_code *code;
	char *source; /* the JavaScript source text (NUL-terminated) */
	size_t srclen;
	int icase, multiline;
	uint32_t ngroups; /* capture groups */
};

/* Compiles SRC/flags. 0, or -1 with a message in errbuf. */
int jn_regex_compile(const char *src, size_t srclen, const char *flags, struct jn_regex **out, char *errbuf,
		     size_t errlen);
void jn_regex_free(struct jn_regex *re);

/* One match. Offsets are BYTE offsets into the subject; an unset group
 * has start == end == (size_t)-1. */
struct jn_match {
	size_t start, end;
	uint32_t ngroups;
	size_t *gstart, *gend; /* arena arrays of ngroups */
};
/* Searches s[from..len). 1 matched (m filled), 0 no match, -1 error raised
 * (the match limit: D1012-like timeout via jn_throw). */
int jn_regex_exec(struct jn_ctx *c, const struct jn_regex *re, const char *s, size_t len, size_t from,
		  struct jn_match *m);
/* If fn is a regex value (a literal), its compiled regex, else NULL. */
const struct jn_regex *jn_regex_of(const jv *fn);
/* Calling a regex value: the match object {match, start, end, groups,
 * next} of the first match in str (*out NULL when none). 0 or -1.
 * (jn_regex_* are implemented in jn_fn_regex.c.) */
int jn_regex_match_object(struct jn_ctx *c, const struct jn_regex *re, const jv *str, jv **out);

/* ------------------------------------------------------------------ */
/* The evaluation context                                              */
/* ------------------------------------------------------------------ */

struct jn_chunk;

struct jn_arena {
	struct jn_chunk *head;
	char *cur, *end;
	size_t total, cap; /* bytes taken from malloc; the cap (memory_max) */
	/* the first chunk's size (0: 16 KiB, an evaluation's); later chunks
	 * double. A compiled expression keeps its arena as long as it lives:
	 * jsonata_compile sizes it from the expression's length. */
	size_t first;
};

struct jn_defer {
	void (*fn)(void *);
	void *arg;
	struct jn_defer *next;
};

/* The error being raised: the code and the inserts of its message
 * template (formatted once at the end, as populateMessage() does). */
struct jn_err_state {
	const char *code; /* NULL: no error */
	long position;    /* -1: none yet */
	const char *token;
	jv *token_val; /* a token that is not a string (S0202 "got 1"): its JSON */
	jv *value, *value2, *exp; /* {{value}} {{value2}} {{exp}}: JSON.stringify'd */
	int has_value, has_value2, has_exp;
	int index;                 /* {{index}} (T0410..): 0 = none */
	const char *type;          /* {{type}} (T0412) */
	const char *message;       /* {{{message}}} (D3137, D3141) */
	const char *function_name; /* {{{functionName}}} (D3140) */
	const char *raw_message;   /* an extension's message text, used as is */
};

struct jn_ctx {
	struct jn_arena arena;
	jmp_buf *oom_jmp; /* where jn_alloc jumps when the cap is crossed */
	struct jn_defer *defers;
	struct jn_err_state e;
	/* limits */
	unsigned depth, depth_max; /* nested (non-tail) function applications */
	const char *stack_base;    /* the C stack at the evaluation's start */
	size_t stack_max;          /* bytes of C stack the evaluation may use */
	uint64_t deadline_ns; /* 0: none */
	long time_ms;
	unsigned tick;
	/* per evaluation */
	int64_t now_ms; /* $now()/$millis(): fixed for the evaluation */
	uint64_t rng[2];
	const struct jsonata_env *env;
	struct jn_frame *global; /* bindings + builtins */
	jv *root;                /* $$ */
	int eval_forbidden;      /* $eval: its error code/message in the env */
	struct jn_fn thunk_fn;   /* the tail call being made (jn_eval_fn.c) */
	/* per builtin called in this evaluation (a short list: an evaluation
	 * calls few; a table of every builtin zeroed each time cost more) */
	struct jn_bistate {
		struct jn_fnstate { long pos; const char *tok; } st; /* first: &st is the node */
		const struct jn_builtin *bi;
		struct jn_bistate *next;
	} *bi_state;
	jv thunk_v;
	int jmp_timeout; /* jumped to oom_jmp by jn_walk_timeout: D1012, not U1002 */
};

/* Arena allocation: 16-byte aligned, zeroed. Never returns NULL: crossing
 * the cap longjmps to the evaluation's start (error U1002). Inline: an
 * evaluation allocates at every step, the call cost more than the bump. */
void *jn_alloc_grow(struct jn_ctx *c, size_t n); /* a new chunk, then as below */
static inline void *jn_alloc_raw(struct jn_ctx *c, size_t n) /* not zeroed */
{
	struct jn_arena *a = &c->arena;
	n = (n + 15) & ~(size_t)15;
	if (__builtin_expect(!a->cur || (size_t)(a->end - a->cur) < n, 0))
		return jn_alloc_grow(c, n);
	void *p = a->cur;
	a->cur += n;
	return p;
}
static inline void *jn_alloc(struct jn_ctx *c, size_t n)
{
	void *p = jn_alloc_raw(c, n);
	memset(p, 0, n);
	return p;
}
void *jn_realloc(struct jn_ctx *c, void *p, size_t old, size_t n);
char *jn_memdup(struct jn_ctx *c, const void *p, size_t n); /* +NUL */
void jn_defer(struct jn_ctx *c, void (*fn)(void *), void *arg);

/* Raises an error: records code and inserts, returns -1. position -1 and
 * token NULL let the evaluator fill them with the call's. Only the first
 * raise counts until the error is cleared. */
int jn_throw(struct jn_ctx *c, const char *code, long position, const char *token, jv *value);
/* With {{value2}} too (T2007, T2009). */
int jn_throw2(struct jn_ctx *c, const char *code, long position, const char *token, jv *value, jv *value2);
/* With {{index}} / {{type}} (T0410, T0411, T0412). */
int jn_throw_arg(struct jn_ctx *c, const char *code, long position, const char *token, int index,
		 const char *type, jv *value);
/* With {{{message}}} (D3137/D3141, $error/$assert) */
int jn_throw_msg(struct jn_ctx *c, const char *code, const char *message);
/* Any other insert: fill c->e yourself after jn_throw(). */

/* The message of the error raised (populateMessage) into out. */
void jn_err_format(struct jn_ctx *c, struct jsonata_error *out);
const char *jn_err_template(const char *code);
/* Frees the arena and runs the deferred releases. */
void jn_arena_release(struct jn_ctx *c);

/* Checks the time limit every few hundred calls (the evaluator calls it on
 * every node; a builtin looping long over its input may too). 0 or -1. */
int jn_tick(struct jn_ctx *c);
/* The same for walks over values that return no error (jn_deep_equal,
 * jn_truthy, $distinct's hash): a value built of shared parts is a DAG
 * ({"x":$a,"y":$a} sixty times over has 2^60 paths), so such a walk may
 * never end; past the deadline it raises D1012 and jumps to the
 * evaluation's start, as the memory cap does. */
void jn_walk_timeout(struct jn_ctx *c);
static inline void jn_walk_tick(void)
{
	struct jn_ctx *c = jn_tl_ctx;
	if (c && c->deadline_ns && (++c->tick & 255) == 0)
		jn_walk_timeout(c);
}

/* A pseudo-random double in [0, 1) (per-evaluation state; Math.random). */
double jn_random(struct jn_ctx *c);

/* ------------------------------------------------------------------ */
/* Calls                                                               */
/* ------------------------------------------------------------------ */

struct jn_call {
	jv **args;
	int nargs;
	jv *input;                /* the context value at the call */
	const struct jn_fn *self; /* the function value called (NATIVE: ->data) */
	long position;            /* of the call in the expression */
	struct jn_frame *frame;   /* the caller's environment ($eval) */
};

/* Calls a function value with args (borrowed). 0 with *out (NULL =
 * undefined), or -1 (T1006 when fn is not a function). Counts depth
 * (D1011). */
int jn_apply(struct jn_ctx *c, jv *fn, jv **args, int nargs, jv **out);
/* How many arguments fn takes: a lambda's parameters, a builtin's
 * signature's parameters (jsonata.js getFunctionArity). */
int jn_fn_arity(const jv *fn);

/* Conversions. jn_from_json converts everything now; jn_from_json_lazy
 * makes containers JV_LAZY (j must outlive the evaluation). */
jv *jn_from_json(struct jn_ctx *c, const json_t *j);
jv *jn_from_json_lazy(struct jn_ctx *c, const json_t *j);
/* A new jansson reference, or NULL for undefined. As JSON.stringify:
 * functions are omitted from objects and null in arrays (a bare function:
 * NULL); non-finite numbers are null; integral numbers within +-2^53 become
 * json_integer, the others json_real. */
json_t *jn_to_json(const jv *v);

/* Sequence helpers (jsonata.js fn.append / flattening rules). */
/* append(arg1, arg2) of functions.js: undefined-aware concatenation; the
 * result of a concatenation is a plain array (no flags), as JS concat. */
jv *jn_append(struct jn_ctx *c, jv *a, jv *b);
/* A sequence's value after evaluation: empty -> undefined, one item (not
 * keepSingleton) -> the item. */
jv *jn_seq_result(jv *seq);

/* ------------------------------------------------------------------ */
/* The builtin table                                                   */
/* ------------------------------------------------------------------ */

/* Every .def: X("name", "<signature>", c_function). */
#define X(name, sig, fn) int fn(struct jn_ctx *c, struct jn_call *call, jv **out);
#include "jn_fn_core.def"
#include "jn_fn_string.def"
#include "jn_fn_format.def"
#include "jn_fn_regex.def"
#include "jn_fn_numeric.def"
#include "jn_fn_array.def"
#include "jn_fn_object.def"
#include "jn_fn_hof.def"
#include "jn_fn_datetime.def"
#undef X

/* The table (jn_builtins.c), parsed signatures ready after jn_builtins_init(). */
void jn_builtins_init(void); /* idempotent, thread-safe (pthread_once) */
const struct jn_builtin *jn_builtin_find(const char *name, size_t len);
extern const struct jn_builtin *const jn_builtin_table;
extern const size_t jn_builtin_count;

/* Signatures (jn_sig.c). */
/* Parses "<...>" (len bytes). 0, or -1 with *code ("S0401", "S0402") and
 * *offset (into src) and *value (the offending type text, static/src
 * memory). The result is malloc'd: jn_sig_free(). */
int jn_sig_parse(const char *src, size_t len, const struct jn_sig **out, const char **code, int *offset);
void jn_sig_free(const struct jn_sig *s);
int jn_sig_arity(const struct jn_sig *s);
/* Validates and rewrites call->args/nargs (context insertion, array
 * wrapping). name: for errors. 0 or -1. */
int jn_sig_validate(struct jn_ctx *c, const struct jn_sig *s, struct jn_call *call, const char *name);

#endif
