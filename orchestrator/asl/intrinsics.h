/* intrinsics — Step Functions intrinsic functions (States.Format,
 * States.Array, States.Hash, ...) in JSONPath query language mode.
 *
 * An expression such as `States.Format('x {}', $.a)` is compiled once into
 * an immutable handle that any number of threads may evaluate; every call's
 * arguments are string literals in single quotes, numbers, true/false/null,
 * JSONPaths ($.x, $$.x, $var) or nested intrinsic calls.
 * intrinsic_free accepts NULL.
 *
 * Ownership (jansson): roots are borrowed; *out is a new reference that may
 * share sub-values with the roots (treat as immutable or deep-copy).
 *
 * Errors: compile errors (unknown function, bad quoting, wrong argument
 * count, text over the cap, nesting over the cap) have type
 * "States.Runtime"; evaluation errors (wrong argument types, values out of
 * range, missing paths) have type "States.IntrinsicFailure".
 *
 * Caps: text <= INTRINSIC_TEXT_MAX bytes, nesting <= INTRINSIC_DEPTH_MAX,
 * <= INTRINSIC_ARGS_MAX arguments per call. */
#ifndef TUTTI_INTRINSICS_H
#define TUTTI_INTRINSICS_H

#include <jansson.h>
#include <stdbool.h>

#include "err.h"
#include "jsonpath.h"

#define INTRINSIC_TEXT_MAX  (64 * 1024)
#define INTRINSIC_DEPTH_MAX 32
#define INTRINSIC_ARGS_MAX  256

struct intrinsic;

/* True when text starts with "States." and contains a '(' — what Step
 * Functions uses to tell an intrinsic from a path in a "key.$" field. */
bool intrinsic_looks_like(const char *text);

struct intrinsic *intrinsic_compile(const char *text, struct err *e);
void intrinsic_free(struct intrinsic *f);

/* Evaluate; 0 and *out (new reference) or -1 and e. */
int intrinsic_eval(const struct intrinsic *f, const struct jsonpath_roots *roots,
		   json_t **out, struct err *e);

/* The name of the outermost function ("States.Format"); borrowed. */
const char *intrinsic_name(const struct intrinsic *f);

#endif
