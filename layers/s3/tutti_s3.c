/* tutti_s3 — the function-side S3 API over tutti's own S3 stores
 * (bucket/bucket.h, the libs3 and SigV4 backends). Built into
 * libtutti_s3.so with everything but the tutti_s3_* functions hidden. */
#include "tutti_s3.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bucket.h"

#define API __attribute__((visibility("default")))

struct tutti_s3 {
	struct bucket_store *bs;
	char error_name[ERR_TYPE_MAX];
};

static int failed(tutti_s3 *s3, const struct err *e, char *err, size_t errlen)
{
	snprintf(s3->error_name, sizeof s3->error_name, "%s", e->type);
	if (err && errlen)
		snprintf(err, errlen, "%s", e->msg);
	return -1;
}

API tutti_s3 *tutti_s3_from_env(char *err, size_t errlen)
{
	struct bucket_config cfg;
	struct err e = { 0 };
	tutti_s3 *s3;

	if (!getenv("AWS_ENDPOINT_URL_S3") && !getenv("AWS_ENDPOINT_URL") && !getenv("TUTTI_BUCKETS"))
		setenv("TUTTI_BUCKETS", "s3", 0);   /* real AWS S3, as the SDKs do */
	if (bucket_config_from_env(&cfg, NULL, &e) == 0 && cfg.backend == BUCKET_FILE)
		err_set(&e, ERR_STATES_RUNTIME, "the file-backed buckets are not reachable from a function: set AWS_ENDPOINT_URL_S3");
	s3 = calloc(1, sizeof *s3);
	if (!s3 || err_isset(&e)) {
		if (err && errlen)
			snprintf(err, errlen, "%s", s3 ? e.msg : "out of memory");
		free(s3);
		return NULL;
	}
	cfg.max_object = 64u << 20;
	s3->bs = bucket_open(&cfg, &e);
	if (!s3->bs) {
		if (err && errlen)
			snprintf(err, errlen, "%s", e.msg);
		free(s3);
		return NULL;
	}
	return s3;
}

API void tutti_s3_free(tutti_s3 *s3)
{
	if (!s3)
		return;
	bucket_close(s3->bs);
	free(s3);
}

API void tutti_s3_set_max_object(tutti_s3 *s3, size_t bytes)
{
	(void)s3;
	(void)bytes;   /* fixed at open in this version: 64 MiB */
}

API int tutti_s3_put(tutti_s3 *s3, const char *bucket, const char *key, const void *data,
		     size_t len, const char *content_type, char *err, size_t errlen)
{
	struct bucket_object_info info;
	struct err e = { 0 };

	s3->error_name[0] = '\0';
	if (bucket_put(s3->bs, bucket, key, data, len, content_type, 0, &info, &e))
		return failed(s3, &e, err, errlen);
	return 0;
}

API int tutti_s3_get(tutti_s3 *s3, const char *bucket, const char *key, char **data,
		     size_t *len, char *err, size_t errlen)
{
	struct bucket_object_info info;
	struct err e = { 0 };
	struct buf b;

	s3->error_name[0] = '\0';
	*data = NULL;
	*len = 0;
	buf_init(&b, 0);
	if (bucket_get(s3->bs, bucket, key, 0, &b, &info, &e)) {
		buf_free(&b);
		return failed(s3, &e, err, errlen);
	}
	*len = b.len;
	*data = b.data ? buf_take(&b) : strdup("");
	return 0;
}

API int tutti_s3_delete(tutti_s3 *s3, const char *bucket, const char *key, char *err, size_t errlen)
{
	struct err e = { 0 };

	s3->error_name[0] = '\0';
	if (bucket_delete(s3->bs, bucket, key, 0, &e))
		return failed(s3, &e, err, errlen);
	return 0;
}

API int tutti_s3_list(tutti_s3 *s3, const char *bucket, const char *prefix, tutti_s3_key_fn fn,
		      void *arg, char *err, size_t errlen)
{
	struct bucket_list_req req = { .prefix = prefix, .max_keys = BUCKET_LIST_MAX };
	char *token = NULL;
	int rc = 0, stop = 0;

	s3->error_name[0] = '\0';
	do {
		struct bucket_list l;
		struct err e = { 0 };

		req.token = token;
		if (bucket_list_objects(s3->bs, bucket, &req, 0, &l, &e)) {
			rc = failed(s3, &e, err, errlen);
			break;
		}
		for (size_t i = 0; i < l.n && !stop; i++)
			stop = fn(l.items[i].key, l.items[i].size, l.items[i].etag, arg);
		free(token);
		token = l.truncated && l.next_token ? strdup(l.next_token) : NULL;
		bucket_list_clear(&l);
	} while (token && !stop);
	free(token);
	return rc;
}

API const char *tutti_s3_error_name(const tutti_s3 *s3)
{
	return s3->error_name;
}
