/* sigv4 — verifying AWS Signature Version 4 on the requests `tutti serve`
 * receives, when credentials are configured (`--credentials FILE` or
 * $TUTTI_HOME/credentials).
 *
 * The credentials file is ~/.aws/credentials' format (an INI file read by
 * libinih): one or more [profile] sections, each with aws_access_key_id
 * and aws_secret_access_key; every pair found is accepted. Its mode must
 * not give the group or others any access (0600, as ssh does for keys).
 *
 * A request is signed either in its Authorization header
 * ("AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request,
 * SignedHeaders=..., Signature=...") or in its query string (presigned
 * URLs: X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
 * X-Amz-SignedHeaders, X-Amz-Signature). Region and service come from the
 * credential scope, whatever they are. The payload hash is
 * x-amz-content-sha256 when the request carries it (a hex SHA-256 is
 * checked against the body; UNSIGNED-PAYLOAD and STREAMING-* are signed as
 * they are: the seed signature is verified, the chunk signatures are not),
 * else the SHA-256 of the body (else UNSIGNED-PAYLOAD for presigned URLs).
 * The canonical URI is the path as sent, decoded and encoded again once
 * for S3 and twice for every other service (as the SDKs sign them).
 * Signatures are compared in constant time (CRYPTO_memcmp).
 *
 * Errors, in AWS's names for the service of the scope (S3 | the others):
 *   no signature           AccessDenied 403 | MissingAuthenticationTokenException 403
 *   a malformed one        AuthorizationHeaderMalformed 400 | IncompleteSignatureException 400
 *   an unknown key         InvalidAccessKeyId 403 | UnrecognizedClientException 403
 *   more than 15 min skew  RequestTimeTooSkewed 403 (both)
 *   an expired presign     AccessDenied 403 (both)
 *   a wrong signature      SignatureDoesNotMatch 403 | InvalidSignatureException 403
 *   body ≠ its hash        XAmzContentSHA256Mismatch 400 (both)
 *
 * Thread-safety: a loaded key set is read-only; sigv4_verify may run on
 * any number of threads at once. Built into tutti-integrations.so (it
 * uses libcurl's URL encoding). */
#ifndef TUTTI_SIGV4_H
#define TUTTI_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "err.h"

#define SIGV4_SKEW_MAX     (15 * 60)   /* seconds either way */
#define SIGV4_EXPIRES_MAX  604800      /* a presigned URL's longest life (7 days) */
#define SIGV4_KEYS_MAX     64          /* key pairs in one credentials file */
#define SIGV4_FIELD_MAX    4096        /* bytes of Authorization, a query, a signed header */
#define SIGV4_QUERY_MAX    128         /* query parameters */
#define SIGV4_HEADERS_MAX  32          /* signed headers */

struct sigv4_keys;

/* Read a credentials file. -1 with e (InvalidParameterValueException):
 * missing, unreadable, readable by others, not INI, no key pair. */
int sigv4_load(const char *path, struct sigv4_keys **out, struct err *e);
void sigv4_free(struct sigv4_keys *k);
size_t sigv4_count(const struct sigv4_keys *k);
/* The first key pair (the CLI signs its calls with it): borrowed; -1 if none. */
int sigv4_first(const struct sigv4_keys *k, const char **id, const char **secret);

/* What the verifier needs of a request. */
struct sigv4_req {
	const char *method;
	const char *uri;         /* the request target as sent: path[?query] */
	const char *(*header)(void *ctx, const char *name);   /* case-insensitive, or NULL */
	void *ctx;
	const char *body;        /* the whole body (NULL: not hashed; then the
				  * request must carry x-amz-content-sha256) */
	size_t len;
	time_t now;
};

/* 0: signed by one of the keys. -1: e->type/msg the AWS error, *status its
 * HTTP status, *s3 whether the scope named S3 (answer in XML). */
int sigv4_verify(const struct sigv4_keys *k, const struct sigv4_req *r, unsigned *status, bool *s3,
		 struct err *e);

/* The signature of a request (hex, 65 bytes), for tests and clients:
 * the key's secret, "YYYYMMDD", region, service, string to sign. */
void sigv4_sign(const char *secret, const char *date, const char *region, const char *service,
		const char *sts, char out[65]);

#endif
