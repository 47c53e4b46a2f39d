/* bucket — object storage (S3 buckets) behind one interface.
 *
 * A `struct bucket_store` is one configured backend:
 *   BUCKET_FILE   buckets are directories under `root` ($TUTTI_HOME/buckets),
 *                 objects are files written atomically (bucket_file.c);
 *   BUCKET_S3_V2  an S3-compatible endpoint through libs3, which signs with
 *                 AWS Signature V2 (bucket_s3.c);
 *   BUCKET_S3_V4  an S3-compatible endpoint (AWS S3 itself) through libcurl,
 *                 signed with Signature V4 by CURLOPT_AWS_SIGV4
 *                 (bucket_sigv4.c).
 * Callers use the bucket_* verbs below and never look at the backend; each
 * backend is a const `struct bucket_ops` table.
 *
 * Errors: every verb returns 0 or -1 with `e` filled with an S3 name as Step
 * Functions' SDK integration spells it (util/errors.def):
 * S3.NoSuchBucketException, S3.NoSuchKeyException,
 * S3.BucketAlreadyOwnedByYouException, S3.S3Exception (any other answer
 * of the service; the message starts with the S3 error code, e.g.
 * "AccessDenied: ...", "InvalidAccessKeyId: ...", "BucketNotEmpty: ..."),
 * S3.SdkClientException (the service could not be reached or answered
 * nonsense), States.Timeout (the deadline passed) and
 * States.DataLimitExceeded (an object over the store's `max_object`).
 *
 * Deadlines are CLOCK_MONOTONIC nanoseconds; 0 means "no deadline" (the
 * network backends still give up after BUCKET_DEFAULT_TIMEOUT_MS).
 *
 * Ownership: bucket_open returns a store the caller closes; results are
 * written to caller storage (`struct buf`, `struct bucket_list`, which
 * bucket_list_clear empties). Thread-safety: a store may be used from many
 * threads at once. Call bucket_open before the process starts threads (it
 * initialises libcurl/libs3 once). */
#ifndef TUTTI_BUCKET_H
#define TUTTI_BUCKET_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define BUCKET_NAME_MAX    63
#define BUCKET_KEY_MAX     1024
#define BUCKET_ETAG_MAX    80
#define BUCKET_CTYPE_MAX   256
#define BUCKET_META_MAX    2048     /* user metadata (x-amz-meta-*), as S3's 2 KB */
#define BUCKET_LIST_MAX    1000     /* MaxKeys ceiling, as S3 */
#define BUCKET_DEFAULT_MAX_OBJECT (10u << 20)
#define BUCKET_DEFAULT_TIMEOUT_MS 60000

enum bucket_backend { BUCKET_FILE, BUCKET_S3_V2, BUCKET_S3_V4 };

struct bucket_config {
	enum bucket_backend backend;
	char root[PATH_MAX];        /* BUCKET_FILE: the directory of buckets */
	char endpoint[512];         /* S3: scheme://host[:port], no path */
	char region[64];
	char access_key[128];
	char secret_key[256];
	char session_token[2048];   /* optional (AWS_SESSION_TOKEN, V4 only) */
	bool path_style;            /* http://host/BUCKET/KEY, else BUCKET.host */
	size_t max_object;          /* largest object put or got; 0: default */
};

/* Fill `cfg` from the environment:
 *   TUTTI_BUCKETS=file|s3     force a backend (default: s3 when an
 *                             endpoint is set, else file)
 *   AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL   the endpoint
 *   AWS_REGION, AWS_DEFAULT_REGION          region (default us-east-1)
 *   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN
 *   S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION   used when the
 *                             AWS_* ones are unset (functions: Lambda
 *                             reserves the AWS_* names)
 *   TUTTI_S3_PATH_STYLE=0|1   default 1, except for *.amazonaws.com
 *   TUTTI_S3_SIGV4=0|1        default 1 for *.amazonaws.com and when no
 *                             endpoint is set, else 0 (libs3, V2)
 * `home` is $TUTTI_HOME (root = home/buckets); may be NULL when only the
 * S3 backends are wanted. Returns 0, or -1 with States.Runtime in `e` for a
 * malformed value. */
int bucket_config_from_env(struct bucket_config *cfg, const char *home, struct err *e);

struct bucket_store;

struct bucket_store *bucket_open(const struct bucket_config *cfg, struct err *e);
void bucket_close(struct bucket_store *bs);
/* "file", "s3-v2" or "s3-v4". */
const char *bucket_backend_name(const struct bucket_store *bs);
size_t bucket_max_object(const struct bucket_store *bs);

struct bucket_object_info {
	char etag[BUCKET_ETAG_MAX];          /* quoted, as S3 sends it */
	char content_type[BUCKET_CTYPE_MAX];
	uint64_t size;
	int64_t last_modified;               /* Unix seconds; 0 unknown */
	/* User metadata as "name:value\n" lines (names lowercase, without
	 * "x-amz-meta-"); "" when none. Kept by the file store only. */
	char meta[BUCKET_META_MAX];
};

struct bucket_list_req {
	const char *prefix;      /* NULL or "" for all */
	const char *delimiter;   /* NULL: no CommonPrefixes */
	const char *start_after;
	const char *token;       /* a ContinuationToken from a previous page */
	int max_keys;            /* 0..1000; <0 means 1000 */
};

struct bucket_list_entry {
	char *key;
	uint64_t size;
	char etag[BUCKET_ETAG_MAX];
	int64_t last_modified;
};

struct bucket_list {
	struct bucket_list_entry *items;
	size_t n;
	char **prefixes;         /* CommonPrefixes, when a delimiter was given */
	size_t nprefixes;
	bool truncated;
	char *next_token;        /* set when truncated */
};

void bucket_list_clear(struct bucket_list *l);

/* Store `len` bytes under KEY (replacing any object). `content_type` may be
 * NULL (application/octet-stream). On success fills `info` (may be NULL). */
int bucket_put(struct bucket_store *bs, const char *bucket, const char *key,
	       const void *data, size_t len, const char *content_type,
	       uint64_t deadline_ns, struct bucket_object_info *info, struct err *e);

/* What bucket_put_fd stores beside the bytes; every field may be NULL. */
struct bucket_put_opts {
	const char *content_type;   /* NULL: application/octet-stream */
	const char *etag;           /* quoted; NULL: the MD5 of the bytes */
	const char *meta;           /* "name:value\n" lines, at most BUCKET_META_MAX - 1 bytes */
};

/* Store `size` bytes read from `fd` (from offset 0, with pread: the
 * descriptor's position is not used; borrowed) under KEY. The file store
 * copies them into place without holding them in memory (any size); the
 * S3 backends read them into memory, up to the store's max_object. */
int bucket_put_fd(struct bucket_store *bs, const char *bucket, const char *key, int fd, uint64_t size,
		  const struct bucket_put_opts *o, uint64_t deadline_ns, struct bucket_object_info *info,
		  struct err *e);

/* Open an object for reading: *fd (the caller closes it) holds
 * info->size bytes from offset 0, a snapshot that a later put does not
 * change. The file store opens the object's own file (any size); the S3
 * backends fetch it into an anonymous file, up to max_object. */
int bucket_open_object(struct bucket_store *bs, const char *bucket, const char *key, uint64_t deadline_ns,
		       int *fd, struct bucket_object_info *info, struct err *e);

/* "\"<hex md5>\"" of the first `size` bytes of fd (pread): 0 or -errno. */
int bucket_etag_md5_fd(int fd, uint64_t size, char out[BUCKET_ETAG_MAX]);

/* Read an object into `body` (appended; body->cap is lowered to the
 * store's max_object when larger or unlimited). */
int bucket_get(struct bucket_store *bs, const char *bucket, const char *key,
	       uint64_t deadline_ns, struct buf *body, struct bucket_object_info *info,
	       struct err *e);

/* One page of keys in lexicographic (byte) order, as ListObjectsV2. */
int bucket_list_objects(struct bucket_store *bs, const char *bucket,
			const struct bucket_list_req *req, uint64_t deadline_ns,
			struct bucket_list *out, struct err *e);

/* Delete KEY; deleting a missing key succeeds (as S3). */
int bucket_delete(struct bucket_store *bs, const char *bucket, const char *key,
		  uint64_t deadline_ns, struct err *e);

int bucket_create(struct bucket_store *bs, const char *bucket, uint64_t deadline_ns, struct err *e);
/* Fails with S3.S3Exception "BucketNotEmpty: ..." unless empty. */
int bucket_remove(struct bucket_store *bs, const char *bucket, uint64_t deadline_ns, struct err *e);
/* Names of all buckets, sorted; *names is a malloc'd array of malloc'd
 * strings (free with bucket_names_free). */
int bucket_list_buckets(struct bucket_store *bs, uint64_t deadline_ns, char ***names,
			size_t *n, struct err *e);
void bucket_names_free(char **names, size_t n);

/* S3's bucket naming rules (3-63 of a-z 0-9 . -, starting and ending with a
 * letter or digit, no "..", not an IPv4 address). */
bool bucket_name_valid(const char *name);

#endif
