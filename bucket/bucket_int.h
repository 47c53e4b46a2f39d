/* bucket_int — the backend table and the helpers the backends share
 * (bucket_file.c, bucket_s3.c, bucket_sigv4.c). Private to bucket/: callers
 * use bucket.h. */
#ifndef TUTTI_BUCKET_INT_H
#define TUTTI_BUCKET_INT_H

#include "bucket.h"

/* bucket.c checks names, keys and list parameters before it calls a
 * backend, so backends see a valid bucket name, a key of 1..1024 bytes and
 * 0 <= max_keys <= 1000. `impl` is what `open` returned. */
struct bucket_ops {
	const char *name;
	void *(*open)(const struct bucket_config *cfg, struct err *e);
	void (*close)(void *impl);
	int (*put)(void *impl, const char *bucket, const char *key, const void *data,
		   size_t len, const char *content_type, uint64_t deadline_ns,
		   struct bucket_object_info *info, struct err *e);
	int (*get)(void *impl, const char *bucket, const char *key, uint64_t deadline_ns,
		   struct buf *body, struct bucket_object_info *info, struct err *e);
	int (*list)(void *impl, const char *bucket, const struct bucket_list_req *req,
		    uint64_t deadline_ns, struct bucket_list *out, struct err *e);
	int (*del)(void *impl, const char *bucket, const char *key, uint64_t deadline_ns,
		   struct err *e);
	int (*create)(void *impl, const char *bucket, uint64_t deadline_ns, struct err *e);
	int (*remove)(void *impl, const char *bucket, uint64_t deadline_ns, struct err *e);
	int (*buckets)(void *impl, uint64_t deadline_ns, char ***names, size_t *n,
		       struct err *e);
	/* Optional (NULL: bucket.c goes through put/get in memory). */
	int (*put_fd)(void *impl, const char *bucket, const char *key, int fd, uint64_t size,
		      const struct bucket_put_opts *o, struct bucket_object_info *info, struct err *e);
	int (*open_fd)(void *impl, const char *bucket, const char *key, int *fd,
		       struct bucket_object_info *info, struct err *e);
};

extern const struct bucket_ops bucket_file_ops;
extern const struct bucket_ops bucket_s3_ops;
extern const struct bucket_ops bucket_sigv4_ops;

/* Milliseconds left before `deadline_ns` (at least 1 while it has not
 * passed, 0 once it has); BUCKET_DEFAULT_TIMEOUT_MS when deadline_ns is 0,
 * and never more than that. */
long bucket_remaining_ms(uint64_t deadline_ns);
/* Fill `e` from an S3 error code ("NoSuchKey") and message: the dedicated
 * S3.<Code>Exception names where the SDK has one, else S3.S3Exception with
 * "Code: message". Returns -1. */
int bucket_s3_error(struct err *e, const char *code, const char *msg);
/* Same from a bare HTTP status (a reply without an XML error body). */
int bucket_http_error(struct err *e, long status, bool is_key_op);
/* "\"<hex md5>\"" of a memory block, as S3 computes a single-part ETag. */
void bucket_etag_md5(const void *data, size_t len, char out[BUCKET_ETAG_MAX]);
/* Append an entry or a common prefix to a list result; 0 or -ENOMEM. */
int bucket_list_add(struct bucket_list *l, const char *key, uint64_t size,
		    const char *etag, int64_t last_modified);
int bucket_list_add_prefix(struct bucket_list *l, const char *prefix);

#endif
