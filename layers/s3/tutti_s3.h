/* tutti_s3 — S3 objects from inside a function (the "s3" layer).
 *
 * Talks to the S3-compatible endpoint the function's environment names,
 * with the same variables as tutti's S3 tasks: AWS_ENDPOINT_URL_S3 (or
 * AWS_ENDPOINT_URL), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN, AWS_REGION, TUTTI_S3_PATH_STYLE, TUTTI_S3_SIGV4. The
 * function needs network on (tutti function create ... --network). tutti's
 * file-backed buckets ($TUTTI_HOME/buckets) are not reachable from a
 * sandbox.
 *
 * Every call returns 0, or -1 with a message in err[errlen] and the error
 * name (S3.NoSuchKeyException, S3.NoSuchBucketException, S3.S3Exception,
 * S3.SdkClientException, States.Timeout, States.DataLimitExceeded) from
 * tutti_s3_error_name. A call gives up after 60 seconds.
 *
 * Ownership: tutti_s3_get's *data is malloc'd (NUL-terminated), the caller
 * free()s it. Thread-safety: a handle serves one thread at a time (the last
 * error lives in it); create one per thread. Link with -ltutti_s3. */
#ifndef TUTTI_S3_H
#define TUTTI_S3_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tutti_s3 tutti_s3;

/* NULL with a message when the environment names no usable endpoint. */
tutti_s3 *tutti_s3_from_env(char *err, size_t errlen);
void tutti_s3_free(tutti_s3 *s3);

/* Largest object tutti_s3_get accepts (default 64 MiB). */
void tutti_s3_set_max_object(tutti_s3 *s3, size_t bytes);

int tutti_s3_put(tutti_s3 *s3, const char *bucket, const char *key, const void *data,
		 size_t len, const char *content_type, char *err, size_t errlen);
int tutti_s3_get(tutti_s3 *s3, const char *bucket, const char *key, char **data,
		 size_t *len, char *err, size_t errlen);
int tutti_s3_delete(tutti_s3 *s3, const char *bucket, const char *key, char *err, size_t errlen);

/* Calls fn once per key under `prefix` (NULL: all), in key order, across
 * pages; fn returning non-zero stops the listing (tutti_s3_list then
 * returns 0). */
typedef int (*tutti_s3_key_fn)(const char *key, uint64_t size, const char *etag, void *arg);
int tutti_s3_list(tutti_s3 *s3, const char *bucket, const char *prefix, tutti_s3_key_fn fn,
		  void *arg, char *err, size_t errlen);

/* The error name of the last failed call on this handle ("" if none). */
const char *tutti_s3_error_name(const tutti_s3 *s3);

#ifdef __cplusplus
}
#endif

#endif
