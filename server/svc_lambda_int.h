/* svc_lambda_int — what the Lambda API's files share (not part of the API).
 *
 *   svc_lambda.c      routes, errors, functions (create/get/list/update/
 *                     delete, versions) and Invoke
 *   svc_lambda_res.c  aliases, concurrency, layers
 *   svc_lambda_zip.c  zips into directories (svc_lambda.h)
 */
#ifndef TUTTI_SVC_LAMBDA_INT_H
#define TUTTI_SVC_LAMBDA_INT_H

#include <jansson.h>
#include <stdbool.h>

#include "http.h"
#include "svc_internal.h"
#include "svc_lambda.h"

#define LAMBDA_KIND_FN    "lambda-function"
#define LAMBDA_KIND_ALIAS "lambda-alias"
#define LAMBDA_QUAL_MAX   129
#define LAMBDA_REF_MAX    (FN_NAME_MAX + LAMBDA_QUAL_MAX + 2)

/* One request on a Lambda route. */
struct lreq {
	struct svc *s;
	const struct http_request *hr;
	struct http_response *resp;
	char *seg[6];            /* path segments after the version (decoded) */
	unsigned nseg;
	json_t *body;            /* the JSON body (an object), or NULL */
};

/* A function reference from the URI ("NAME", "NAME:QUAL", an ARN, a
 * partial ARN) and the Qualifier query argument. */
struct lref {
	char name[FN_NAME_MAX + 1];
	char qual[LAMBDA_QUAL_MAX];   /* "" unqualified */
	char version[LAMBDA_QUAL_MAX];/* the version it names ("$LATEST", "3"): an alias resolved */
	char reg[LAMBDA_REF_MAX];     /* what the registry takes: NAME or NAME:VERSION */
};

/* Answer a restJson1 error: status by e->type, X-Amzn-ErrorType, body
 * {"Type": "User", "message": ...}. Returns 0 (or -1: drop). */
int lambda_error(struct http_response *resp, const struct err *e);
/* Answer doc (borrowed) with status. */
int lambda_json(struct http_response *resp, unsigned status, json_t *doc);
/* Parse the function segment + ?Qualifier into r; resolve aliases. */
int lambda_ref(struct lreq *q, const char *seg, bool resolve_alias, struct lref *r, struct err *e);
/* The function's ARN, malloc'd (qual NULL: unqualified). */
char *lambda_fn_arn(struct svc *s, const char *name, const char *qual);
/* An integer member: -1 with InvalidParameterValueException when present and
 * not an integer in [min, max]; *out untouched when absent. */
int lambda_int(json_t *o, const char *key, long min, long max, long *out, struct err *e);
/* The "lambda-function" record's body (new reference; {} when none). */
json_t *lambda_meta(struct svc *s, const char *name);
int lambda_meta_put(struct svc *s, const char *name, json_t *meta, struct err *e);

/* svc_lambda_res.c: the handlers by route, after the segments are split. */
int lambda_aliases(struct lreq *q);
int lambda_concurrency(struct lreq *q);
int lambda_layers(struct lreq *q);
/* Remove the function's aliases (DeleteFunction). */
void lambda_aliases_drop(struct svc *s, const char *name);
/* Decode the base64 of member `key` and extract it into a fresh directory
 * under $TUTTI_HOME/tmp: *dir (malloc'd; the caller fs_rm_rf's and frees). */
int lambda_unzip_member(struct svc *s, json_t *code, const char *key, char **dir, struct err *e);

#endif
