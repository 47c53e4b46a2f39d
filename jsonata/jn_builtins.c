/* jn_builtins.c: the function library's table, from the .def files (one
 * X("name", "<signature>", c_function) line per function), its parsed
 * signatures, the static function values the evaluator hands out, and the
 * arities jsonata.js derives from its JavaScript implementations. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jn_eval.h"

static struct jn_builtin table[] = {
#define X(name, sig, fn) {name, sig, fn, NULL},
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
};

#define NBUILTIN (sizeof(table) / sizeof(table[0]))

const struct jn_builtin *const jn_builtin_table = table;
const size_t jn_builtin_count = NBUILTIN;

static jv values[NBUILTIN];
static unsigned char shallow[NBUILTIN];

/* Builtins whose code reads only the top level of their arguments (items
 * are passed on, counted, typed or compared through lazy-aware helpers):
 * their arguments are forced one level, not all the way down. */
static const char *const SHALLOW[] = {
	"reverse", "shuffle", "sum", "max", "min", "average", "join", "map", "filter", "single", "reduce", "sort", "zip", "each", "sift",
};
/* Builtins whose code is lazy-aware throughout (mine, jn_fn_core.c: they
 * read types only, or go through jn_truthy, jn_append, jn_lookup_field,
 * jn_to_string, or force what they walk): arguments are not forced at all. */
static const char *const UNFORCED[] = {
	"string", "type", "exists", "boolean", "not", "lookup", "keys", "append", "count",
};
static struct jn_fn fns[NBUILTIN];
static pthread_once_t once = PTHREAD_ONCE_INIT;
const struct jn_sig *jn_transform_sig;

static void init(void)
{
	for (size_t i = 0; i < NBUILTIN; i++) {
		if (table[i].signature) {
			const struct jn_sig *s = NULL;
			const char *code = NULL;
			int off = 0;
			if (jn_sig_parse(table[i].signature, strlen(table[i].signature), &s, &code, &off) != 0) {
				/* a bad signature in a .def is a programming error: say so loudly */
				fprintf(stderr, "jsonata: bad signature %s for $%s (%s at %d)\n", table[i].signature,
					table[i].name, code, off);
				abort();
			}
			table[i].sig = s;
		}
		for (size_t k = 0; k < sizeof(SHALLOW) / sizeof(SHALLOW[0]); k++)
			if (!strcmp(SHALLOW[k], table[i].name))
				shallow[i] = 1;
		for (size_t k = 0; k < sizeof(UNFORCED) / sizeof(UNFORCED[0]); k++)
			if (!strcmp(UNFORCED[k], table[i].name))
				shallow[i] = 2;
		fns[i].kind = JN_FN_BUILTIN;
		fns[i].bi = &table[i];
		fns[i].shared = 1;
		values[i].type = JV_FUNCTION;
		values[i].u.fn = &fns[i];
	}
	const char *code;
	int off;
	if (jn_sig_parse("<(oa):o>", 8, &jn_transform_sig, &code, &off) != 0)
		abort();
}

void jn_builtins_init(void) { pthread_once(&once, init); }

const struct jn_builtin *jn_builtin_find(const char *name, size_t len)
{
	/* a linear scan over ~70 names: called at compile time (variables cache
	 * their builtin) and for dynamic lookups only */
	for (size_t i = 0; i < NBUILTIN; i++)
		if (strlen(table[i].name) == len && memcmp(table[i].name, name, len) == 0)
			return &table[i];
	return NULL;
}

jv *jn_builtin_value(const struct jn_builtin *b)
{
	size_t i = (size_t)(b - table);
	if (i < NBUILTIN)
		return &values[i];
	return NULL;
}

/* The JavaScript implementations' declared parameters, where they differ
 * from the signature's: string(arg, prettify = false) has length 1, zip()
 * takes its arguments from `arguments`. */
int jn_builtin_arity(const struct jn_builtin *b)
{
	if (!strcmp(b->name, "string"))
		return 1;
	if (!strcmp(b->name, "zip"))
		return 0;
	return jn_sig_arity(b->sig);
}

int jn_builtin_nparams(const struct jn_builtin *b)
{
	if (!strcmp(b->name, "zip"))
		return 0;
	return jn_sig_arity(b->sig);
}

int jn_builtin_shallow(const struct jn_builtin *b)
{
	size_t i = (size_t)(b - table);
	return i < NBUILTIN ? shallow[i] : 0;
}
