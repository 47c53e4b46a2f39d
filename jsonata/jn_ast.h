/* jn_ast.h: the tokenizer's tokens and the syntax tree, private to the
 * core (lexer, parser, evaluator). The tree mirrors jsonata.js's parser
 * objects field by field (type, value, position, lhs/rhs, steps, stages,
 * predicate, group, focus, index, tuple, ancestor, seekingParent, ...), so
 * that the post-processing (processAST) and the evaluator can follow the
 * reference step by step. A compiled tree is immutable after
 * jsonata_compile() and shared by every evaluation. */
#ifndef TUTTI_JN_AST_H
#define TUTTI_JN_AST_H

#include "jn_int.h"

enum jn_tok {
	TK_NONE = 0,
	TK_NAME,
	TK_VARIABLE,
	TK_STRING,
	TK_NUMBER,
	TK_VALUE, /* true false null */
	TK_REGEX,
	TK_OPERATOR,
};

struct jn_token {
	enum jn_tok type;
	struct jn_str s;  /* name, variable, string, operator text, regex source */
	double num;       /* number */
	jv *val;          /* value: jn_true/jn_false/jn_null */
	struct jn_str flags; /* regex flags */
	long position;    /* UTF-16 offset just after the token */
};

enum jn_nt {
	NT_NONE = 0,
	/* from tokens */
	NT_NAME,
	NT_VARIABLE,
	NT_STRING,
	NT_NUMBER,
	NT_VALUE,
	NT_REGEX,
	NT_OPERATOR, /* an operator token as an operand: `and` as a name, `?` placeholder */
	NT_END,
	/* built by nud/led */
	NT_BINARY,
	NT_UNARY,
	NT_FUNCTION,
	NT_PARTIAL,
	NT_LAMBDA,
	NT_CONDITION,
	NT_BLOCK,
	NT_TRANSFORM,
	NT_WILDCARD,
	NT_DESCENDANT,
	NT_PARENT,
	/* built by processAST */
	NT_PATH,
	NT_BIND,
	NT_APPLY,
	NT_SORT,
	NT_FILTER, /* a stage/predicate: expr */
	NT_INDEX,  /* a stage: #$var (str) */
	NT_TERM,   /* a sort term: expr, descending */
};

struct jn_node;

struct jn_nodev {
	struct jn_node **v;
	size_t n, cap;
};

/* An ancestor slot (the parent operator %): shared by reference between the
 * % node and the step that binds it, as in parser.js. */
struct jn_slot {
	char label[16]; /* "!0", "!1", ... */
	int level;
	int index;
};

/* seekingParent: an array shared by reference between nodes, as in
 * parser.js (pushAncestry assigns the same array to the parent). */
struct jn_slotv {
	struct jn_slot **v;
	size_t n, cap;
};

struct jn_group {
	struct jn_nodev pairs; /* key, value, key, value, ... */
	long position;
	int lit_keys; /* jn_literal_keys(&pairs) */
};

struct jn_node {
	enum jn_nt type;
	const char *id;    /* the symbol id ("+", "(", "(name)", "(literal)", "(end)") */
	const char *op;    /* the token value for operators: "+", "[", "{", "and", "~>", ".." */
	struct jn_str str; /* name, variable, string literal */
	jv *lit;           /* literal value (string, number, true/false/null): AST memory */
	long position;
	int has_position;

	struct jn_node *lhs, *rhs;
	struct jn_node *expression; /* unary -, lambda-less: the operand; filter: the predicate */
	struct jn_node *condition, *then, *els;
	struct jn_node *pattern, *update, *del;
	struct jn_node *procedure, *body;
	struct jn_nodev items;     /* block/array: expressions; function/partial/lambda: arguments; path: steps; sort: terms */
	struct jn_nodev pairs;     /* object constructor (unary {) / group-by rhs (binary {) before processing */
	struct jn_nodev stages;    /* a step's stages (filter, index) */
	struct jn_nodev predicate; /* a non-step's predicates (filter) */
	int has_stages, has_predicate;
	struct jn_group *group;
	struct jn_str focus, index; /* @$v, #$i: p != NULL when bound */
	struct jn_slot *ancestor, *slot;
	struct jn_slotv *seeking; /* NULL: undefined */

	unsigned keep_array : 1;
	unsigned keep_singleton : 1; /* path: keepSingletonArray */
	unsigned consarray : 1;
	unsigned tuple : 1;
	unsigned thunk : 1;
	unsigned descending : 1;
	unsigned is_error : 1;
	unsigned lit_keys : 1; /* object constructor: jn_literal_keys(&pairs) */

	const struct jn_sig *sig;    /* lambda signature */
	struct jn_regex *re;         /* regex literal */
	uint32_t name_hash;          /* variables: hash of str */
	const char *name_z;          /* variables: str NUL-terminated (error tokens) */
	const struct jn_builtin *bi; /* variables naming a builtin: the fallback (a binding may hide it) */
};

/* The compile context: an arena (a struct jn_ctx used only for its arena
 * and error state), the source, positions, and the error jump. */
struct jn_compile {
	struct jn_ctx *c;
	const char *src;
	size_t len;
	uint32_t *u16pos; /* byte offset -> UTF-16 offset, NULL when all ASCII */
	jmp_buf jmp;
	/* lexer */
	size_t pos;
	/* parser */
	struct jn_node *node; /* the current token's node */
	int depth;
	const char *stack_base; /* the compile's C stack budget, as evaluation's */
	size_t stack_max;
	int ancestor_label, ancestor_index;
	struct jn_nodev ancestry;
	struct jn_regex **regexes; /* every regex compiled, to free */
	size_t nregex, capregex;
	const struct jn_sig **sigs; /* every lambda signature, to free */
	size_t nsig, capsig;
};

#define JN_PARSE_DEPTH_MAX 1000
/* Nesting too deep for the parser (levels or this thread's C stack). */
static inline int jn_parse_too_deep(const struct jn_compile *k)
{
	char here;
	return k->depth > JN_PARSE_DEPTH_MAX || (k->stack_base && k->stack_base - &here > (ptrdiff_t)k->stack_max);
}
size_t jn_stack_budget(void);

/* lexer (jn_lex.c) */
long jn_lex_u16(struct jn_compile *k, size_t byte_off);
int jn_lex_next(struct jn_compile *k, int prefix, struct jn_token *t); /* 1 token, 0 end */
/* Raises a syntax error: longjmps to jsonata_compile. */
_Noreturn void jn_parse_fail(struct jn_compile *k, const char *code, long position, const char *token, jv *value);

/* parser (jn_parse.c, jn_ast.c) */
struct jn_node *jn_parse(struct jn_compile *k);
struct jn_node *jn_process(struct jn_compile *k, struct jn_node *expr);
struct jn_node *jn_node_new(struct jn_compile *k, enum jn_nt type);
const char *jn_node_type_name(enum jn_nt t); /* jsonata.js's expr.type */
void jn_nodev_push(struct jn_compile *k, struct jn_nodev *v, struct jn_node *n);
uint32_t jn_name_hash(const char *p, size_t n);
/* 1 when an object constructor's keys are all plain string literals,
 * distinct, none an array index ("0", "17": JavaScript orders those first)
 * nor a name that raises D1013: its keys need no evaluation and each group
 * is one pair (jn_eval_group's fast path for a single input item). */
int jn_literal_keys(const struct jn_nodev *pairs);

/* the compiled expression */
struct jsonata {
	struct jn_ctx *c; /* owns the arena with the tree */
	struct jn_node *ast;
	struct jn_regex **regexes;
	size_t nregex;
	const struct jn_sig **sigs;
	size_t nsig;
};

#endif
