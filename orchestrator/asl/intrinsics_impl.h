/* intrinsics_impl — internals shared by intrinsics.c (parser, dispatch),
 * intrinsics_fns.c (the States.* functions) and intrinsics_text.c (text
 * helpers). Not a public interface. */
#ifndef TUTTI_INTRINSICS_IMPL_H
#define TUTTI_INTRINSICS_IMPL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "intrinsics.h"

/* Strings an intrinsic builds (Format, JsonToString, ...) are capped: Step
 * Functions payloads are at most 256 KiB, so anything bigger fails. */
#define INTRINSIC_RESULT_MAX (1024 * 1024)
/* Step Functions' own cap on Base64Encode/Base64Decode/Hash input. */
#define INTRINSIC_CHARS_MAX 10000
#define INTRINSIC_RANGE_MAX 1000

enum iarg_kind { IARG_LIT, IARG_PATH, IARG_CALL };

struct iarg {
	enum iarg_kind kind;
	json_t *lit;            /* IARG_LIT */
	char *raw;              /* IARG_LIT strings: text between the quotes */
	size_t raw_len;
	struct jsonpath *path;  /* IARG_PATH */
	struct intrinsic *call; /* IARG_CALL */
};

struct ifn;

struct intrinsic {
	const struct ifn *fn;
	struct iarg *args;
	size_t nargs;
};

/* argv[i] are borrowed; *out is a new reference. Failures fill e with
 * States.IntrinsicFailure (ifail). */
typedef int (*ifn_eval_fn)(const struct intrinsic *f, json_t *const *argv,
			   size_t argc, json_t **out, struct err *e);

struct ifn {
	const char *name;       /* "States.Format" */
	int min_args;
	int max_args;           /* -1: INTRINSIC_ARGS_MAX */
	ifn_eval_fn eval;
};

/* The function table (intrinsics_fns.c), terminated by a NULL name. */
extern const struct ifn intrinsic_fns[];

/* printf into e as States.IntrinsicFailure; returns -1. */
int ifail(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Format template pieces: literal text and `{}` placeholders. `escapes`:
 * the template is intrinsic literal source (\' \{ \} \\ ... are escapes).
 * Returns the number of placeholders, or -1 (bad escape). When out is
 * non-NULL, appends the result with args substituted (nargs must equal the
 * placeholder count). */
int itext_format(const char *tpl, size_t len, bool escapes, json_t *const *args,
		 size_t nargs, struct buf *out, struct err *e);

/* Decode intrinsic literal escapes (\' \{ \} \\ \" \n \r \t \uXXXX) of
 * src[0..len) into a new NUL-terminated string; -1 on a bad escape. */
int itext_unescape(const char *src, size_t len, char **out, size_t *out_len);

/* Compact JSON text of v (JsonToString). */
int itext_json(const json_t *v, struct buf *out, int depth);
/* Format's rendering of a value: strings raw, objects {k=v, ...}. */
int itext_render(const json_t *v, struct buf *out, int depth);
/* Shortest text that reads back as the same double ("1.5", "1.0"). */
void itext_double(double d, char *buf, size_t size);
/* Number of Unicode code points in valid UTF-8. */
size_t itext_utf8_chars(const char *s, size_t len);
/* Base64 (standard alphabet, padded). */
int itext_b64_encode(const unsigned char *in, size_t len, struct buf *out);
/* Strict decode; padding optional; -1 on an invalid character or length. */
int itext_b64_decode(const char *in, size_t len, struct buf *out);
/* A JSON string from arbitrary bytes, malformed UTF-8 replaced by U+FFFD. */
json_t *itext_string_lossy(const char *s, size_t len);

#endif
