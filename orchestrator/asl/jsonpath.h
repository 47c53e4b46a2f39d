/* jsonpath — JSONPath as AWS Step Functions evaluates it (JSONPath query
 * language mode): Paths, Reference Paths, the context object and workflow
 * variables.
 *
 * A path is compiled once (jsonpath_compile) into an immutable handle that
 * any number of threads may evaluate at the same time; jsonpath_free
 * accepts NULL. Supported: `$`, `$$`, `$name`, `.key`, `['key']`, `["key"]`,
 * `[i]` (negative from the end), `.*`, `[*]`, `[s:e:step]`, unions
 * `[0,2]`/`['a','b']`, filters `[?(...)]` and recursive descent `..`.
 *
 * Ownership (jansson): the roots passed in are borrowed; every json_t
 * returned through `out` is a new reference the caller must json_decref.
 * Results share sub-values with the roots (no deep copy): treat them as
 * immutable, or json_deep_copy before changing them.
 *
 * Errors: compile errors and evaluation failures fill `struct err` with type
 * "States.Runtime" and a message naming the path; the caller renames them
 * (States.ParameterPathFailure, States.ResultPathMatchFailure, ...) as the
 * state field requires.
 *
 * Caps: path text <= JSONPATH_TEXT_MAX bytes; evaluation descends at most
 * JSONPATH_DEPTH_MAX levels into a document and fails beyond that. */
#ifndef TUTTI_JSONPATH_H
#define TUTTI_JSONPATH_H

#include <jansson.h>
#include <stdbool.h>

#include "err.h"

#define JSONPATH_TEXT_MAX  4096
#define JSONPATH_DEPTH_MAX 512

struct jsonpath;

/* Flags for jsonpath_compile. JSONPATH_REFERENCE: a Reference Path, only
 * definite paths (no wildcards, filters, slices, unions or `..`); required
 * for ResultPath and for Variable in Choice rules. */
enum { JSONPATH_REFERENCE = 1 };

/* What a path is rooted at: "$" input, "$$" the context object, "$name" a
 * workflow variable. All borrowed; any may be NULL (a path rooted at a
 * NULL root fails to evaluate). */
struct jsonpath_roots {
	json_t *input;
	json_t *context;
	json_t *vars;   /* object name -> value, may be NULL */
};

/* Compile `text`. NULL + e (type "States.Runtime") on a syntax error, on
 * text over the cap, or on a non-reference path when JSONPATH_REFERENCE is
 * set. */
struct jsonpath *jsonpath_compile(const char *text, unsigned flags, struct err *e);
/* Same for the first `len` bytes of `text` (need not be NUL-terminated). */
struct jsonpath *jsonpath_compilen(const char *text, size_t len, unsigned flags,
				   struct err *e);
void jsonpath_free(struct jsonpath *p);

/* True when the path selects at most one node (no wildcard, slice, union,
 * filter or recursive descent). */
bool jsonpath_is_definite(const struct jsonpath *p);

/* The text the path was compiled from (borrowed, lives as long as p). */
const char *jsonpath_text(const struct jsonpath *p);

/* Which root the path starts at. */
enum jsonpath_root { JSONPATH_ROOT_INPUT, JSONPATH_ROOT_CONTEXT, JSONPATH_ROOT_VAR };
enum jsonpath_root jsonpath_root(const struct jsonpath *p);
/* For JSONPATH_ROOT_VAR: the variable name (borrowed); else NULL. */
const char *jsonpath_var_name(const struct jsonpath *p);

/* Evaluate. Definite path: *out = the node (new reference); a missing node
 * returns -1 with e (type "States.Runtime", message naming the path).
 * Indefinite path: *out = a new array of the matches, possibly empty.
 * Returns 0 on success, -1 on failure (*out is then NULL). */
int jsonpath_eval(const struct jsonpath *p, const struct jsonpath_roots *roots,
		  json_t **out, struct err *e);

/* ResultPath: *out = `input_take` with `value` (borrowed) placed at the
 * reference path p (rooted at "$", definite), creating missing intermediate
 * objects; "$" yields `value` itself. Takes the caller's reference to the
 * input (the _take exception to the borrowing rule, so that it can be
 * copy-on-write): a node no one else holds (refcount 1) is changed in place,
 * a shared one is copied first, so other holders never see the change. With `old` non-NULL, *old receives
 * the value that was replaced (new reference, NULL if it was missing).
 * Fails with States.ResultPathMatchFailure if an existing intermediate (or
 * the input) is not an object where a name is applied, or not an array
 * where an index is, or an index is out of range. Returns 0 or -1 (*out
 * NULL). */
int jsonpath_set(const struct jsonpath *p, json_t *input_take, json_t *value,
		 json_t **out, json_t **old, struct err *e);

/* JSON equality as filters and States.ArrayContains/ArrayUnique compare:
 * numbers by value (1 == 1.0), strings by bytes, arrays in order, objects
 * regardless of member order. Values nested deeper than JSONPATH_DEPTH_MAX
 * compare unequal. */
bool jsonpath_value_equal(const json_t *a, const json_t *b);

/* Convenience: compile, evaluate and free in one go. */
int jsonpath_query(const char *text, const struct jsonpath_roots *roots,
		   json_t **out, struct err *e);

#endif
