/* err — domain errors as values.
 *
 * A `struct err` is filled by the callee and owned by the caller (usually on
 * the stack). `type` is an error name (one of errors.def, or a name a
 * function raised); `msg` is human text. System-call failures are returned
 * as -errno instead and never go through this struct.
 * Thread-safety: none needed, no shared state. */
#ifndef TUTTI_ERR_H
#define TUTTI_ERR_H

#include <stdbool.h>
#include <stddef.h>

#define ERR_TYPE_MAX 128
#define ERR_MSG_MAX  2048

enum err_code {
#define X(id, name) ERR_##id,
#include "errors.def"
#undef X
	ERR__COUNT
};

struct err {
	char type[ERR_TYPE_MAX];
	char msg[ERR_MSG_MAX];
};

/* The name of a built-in error code ("Runtime.OutOfMemory"). */
const char *err_name(enum err_code code);

/* Fill `e` (may be NULL) with a built-in name and a printf message; returns -1
 * so that `return err_set(...)` ends a failing function. */
int err_set(struct err *e, enum err_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Same with a free-text error name (truncated to ERR_TYPE_MAX-1). */
int err_setn(struct err *e, const char *type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

void err_clear(struct err *e);
bool err_is(const struct err *e, enum err_code code);
bool err_isset(const struct err *e);

#endif
