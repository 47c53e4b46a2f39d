/* jsonpath_impl — internals shared by jsonpath.c (parser), jsonpath_eval.c
 * (evaluation) and the intrinsics. Not a public interface. */
#ifndef TUTTI_JSONPATH_IMPL_H
#define TUTTI_JSONPATH_IMPL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "jsonpath.h"

enum step_kind { STEP_NAME, STEP_INDEX, STEP_WILD, STEP_SLICE, STEP_UNION, STEP_FILTER };

struct key {
	char *s;        /* UTF-8, may contain NUL */
	size_t len;
};

struct sel {
	bool is_name;
	struct key name;
	long long index;
};

struct slice {
	bool has_start, has_end;
	long long start, end, step;
};

struct fexpr;

struct step {
	enum step_kind kind;
	bool descend;           /* preceded by "..": applies at every depth */
	struct key name;        /* STEP_NAME */
	long long index;        /* STEP_INDEX */
	struct slice slice;     /* STEP_SLICE */
	struct sel *sels;       /* STEP_UNION */
	size_t nsels;
	struct fexpr *filter;   /* STEP_FILTER */
};

struct steps {
	struct step *v;
	size_t n, alloc;
};

enum operand_kind { OPND_LIT, OPND_CUR, OPND_ROOT };

struct operand {
	enum operand_kind kind;
	json_t *lit;            /* OPND_LIT */
	struct steps path;      /* OPND_CUR (@...) / OPND_ROOT ($...): definite */
};

enum fx_kind { FX_OR, FX_AND, FX_NOT, FX_CMP, FX_EXISTS };
enum cmp_op { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

struct fexpr {
	enum fx_kind kind;
	enum cmp_op op;
	struct fexpr *l, *r;    /* OR, AND: both; NOT: l */
	struct operand a, b;    /* CMP: a op b; EXISTS: a */
};

struct jsonpath {
	char *text;
	enum jsonpath_root root;
	char *var;
	struct steps steps;
	bool definite;
};

/* A JSON number from its text (`real`: has '.', 'e' or 'E'); NULL if the
 * text is not a JSON number or is out of range. New reference. */
json_t *jsonpath_parse_number(const char *text, bool real);

#endif
