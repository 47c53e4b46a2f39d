/* bucket — configuration, argument checks and dispatch to a backend's
 * bucket_ops; helpers the backends share. */
#include "bucket_int.h"

#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

struct bucket_store {
	const struct bucket_ops *ops;
	void *impl;
	size_t max_object;
};

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

static int copy_field(char *dst, size_t cap, const char *v, const char *what, struct err *e)
{
	if (strlen(v) >= cap)
		return err_set(e, ERR_STATES_RUNTIME, "%s is too long (at most %zu bytes)", what, cap - 1);
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int env_bool(const char *name, int dflt, struct err *e)
{
	const char *v = env(name);

	if (!v)
		return dflt;
	if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes"))
		return 1;
	if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no"))
		return 0;
	return err_set(e, ERR_STATES_RUNTIME, "%s must be 0 or 1, not '%s'", name, v);
}

/* Is the endpoint's host AWS's own (*.amazonaws.com)? */
static bool is_aws_host(const char *endpoint)
{
	const char *h = strstr(endpoint, "://");
	size_t n;

	h = h ? h + 3 : endpoint;
	n = strcspn(h, ":/");
	return n >= 14 && !strncasecmp(h + n - 14, ".amazonaws.com", 14);
}

int bucket_config_from_env(struct bucket_config *cfg, const char *home, struct err *e)
{
	const char *endpoint = env("AWS_ENDPOINT_URL_S3");
	const char *force = env("TUTTI_BUCKETS");
	const char *v;
	int sigv4, path_style;

	memset(cfg, 0, sizeof *cfg);
	if (!endpoint)
		endpoint = env("AWS_ENDPOINT_URL");
	if (force && strcmp(force, "file") && strcmp(force, "s3"))
		return err_set(e, ERR_STATES_RUNTIME, "TUTTI_BUCKETS must be 'file' or 's3', not '%s'", force);
	if (home && snprintf(cfg->root, sizeof cfg->root, "%s/buckets", home) >= (int)sizeof cfg->root)
		return err_set(e, ERR_STATES_RUNTIME, "TUTTI_HOME is too long");
	v = env("AWS_REGION");
	if (!v)
		v = env("AWS_DEFAULT_REGION");
	if (!v)
		v = env("S3_REGION");
	if (copy_field(cfg->region, sizeof cfg->region, v ? v : "us-east-1", "AWS_REGION", e))
		return -1;
	/* Lambda reserves the AWS_* credential names for a function's role, so
	 * functions pass theirs as libs3's S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY. */
	if ((v = env("AWS_ACCESS_KEY_ID") ? env("AWS_ACCESS_KEY_ID") : env("S3_ACCESS_KEY_ID")) && copy_field(cfg->access_key, sizeof cfg->access_key, v, "AWS_ACCESS_KEY_ID", e))
		return -1;
	if ((v = env("AWS_SECRET_ACCESS_KEY") ? env("AWS_SECRET_ACCESS_KEY") : env("S3_SECRET_ACCESS_KEY")) && copy_field(cfg->secret_key, sizeof cfg->secret_key, v, "AWS_SECRET_ACCESS_KEY", e))
		return -1;
	if ((v = env("AWS_SESSION_TOKEN")) && copy_field(cfg->session_token, sizeof cfg->session_token, v, "AWS_SESSION_TOKEN", e))
		return -1;
	if (force ? !strcmp(force, "file") : !endpoint) {
		cfg->backend = BUCKET_FILE;
		if (!home)
			return err_set(e, ERR_STATES_RUNTIME, "no TUTTI_HOME for the file-backed buckets and no S3 endpoint (AWS_ENDPOINT_URL_S3)");
		return 0;
	}
	if (!endpoint) {
		if (snprintf(cfg->endpoint, sizeof cfg->endpoint, "https://s3.%s.amazonaws.com", cfg->region) >= (int)sizeof cfg->endpoint)
			return err_set(e, ERR_STATES_RUNTIME, "AWS_REGION is too long");
	} else if (copy_field(cfg->endpoint, sizeof cfg->endpoint, endpoint, "AWS_ENDPOINT_URL_S3", e)) {
		return -1;
	}
	/* Trailing slashes would double in every URL. */
	for (size_t n = strlen(cfg->endpoint); n && cfg->endpoint[n - 1] == '/'; n--)
		cfg->endpoint[n - 1] = '\0';
	if (strncmp(cfg->endpoint, "http://", 7) && strncmp(cfg->endpoint, "https://", 8))
		return err_set(e, ERR_STATES_RUNTIME, "S3 endpoint '%s' must start with http:// or https://", cfg->endpoint);
	if (strchr(strstr(cfg->endpoint, "://") + 3, '/'))
		return err_set(e, ERR_STATES_RUNTIME, "S3 endpoint '%s' must not have a path", cfg->endpoint);
	sigv4 = env_bool("TUTTI_S3_SIGV4", is_aws_host(cfg->endpoint), e);
	path_style = env_bool("TUTTI_S3_PATH_STYLE", !is_aws_host(cfg->endpoint), e);
	if (sigv4 < 0 || path_style < 0)
		return -1;
	cfg->backend = sigv4 ? BUCKET_S3_V4 : BUCKET_S3_V2;
	cfg->path_style = path_style;
	return 0;
}

static const struct bucket_ops *ops_of(enum bucket_backend b)
{
	switch (b) {
	case BUCKET_FILE:  return &bucket_file_ops;
	case BUCKET_S3_V2: return &bucket_s3_ops;
	case BUCKET_S3_V4: return &bucket_sigv4_ops;
	}
	return NULL;
}

struct bucket_store *bucket_open(const struct bucket_config *cfg, struct err *e)
{
	const struct bucket_ops *ops = ops_of(cfg->backend);
	struct bucket_store *bs = NULL;

	if (!ops) {
		err_set(e, ERR_STATES_RUNTIME, "unknown bucket backend %d", (int)cfg->backend);
		return NULL;
	}
	bs = calloc(1, sizeof *bs);
	if (!bs) {
		err_set(e, ERR_S3_CLIENT, "out of memory");
		return NULL;
	}
	bs->ops = ops;
	bs->max_object = cfg->max_object ? cfg->max_object : BUCKET_DEFAULT_MAX_OBJECT;
	bs->impl = ops->open(cfg, e);
	if (!bs->impl) {
		free(bs);
		return NULL;
	}
	return bs;
}

void bucket_close(struct bucket_store *bs)
{
	if (!bs)
		return;
	bs->ops->close(bs->impl);
	free(bs);
}

const char *bucket_backend_name(const struct bucket_store *bs)
{
	return bs->ops->name;
}

size_t bucket_max_object(const struct bucket_store *bs)
{
	return bs->max_object;
}

bool bucket_name_valid(const char *name)
{
	size_t n = strlen(name);
	int dots = 0, digits_only = 1;

	if (n < 3 || n > BUCKET_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
			return false;
		if (c == '.') {
			dots++;
			if (i && name[i - 1] == '.')
				return false;
		} else if (!(c >= '0' && c <= '9')) {
			digits_only = 0;
		}
	}
	if (name[0] == '.' || name[0] == '-' || name[n - 1] == '.' || name[n - 1] == '-')
		return false;
	return !(dots == 3 && digits_only);   /* looks like an IPv4 address */
}

static int check_bucket(const char *bucket, struct err *e)
{
	if (!bucket || !bucket_name_valid(bucket))
		return err_set(e, ERR_S3_EXCEPTION,
			       "InvalidBucketName: the bucket name '%.80s' is not valid (3-63 of a-z 0-9 . -)",
				bucket ? bucket : "");
	return 0;
}

static int check_key(const char *key, struct err *e)
{
	size_t n = key ? strlen(key) : 0;

	if (!n)
		return err_set(e, ERR_S3_EXCEPTION, "InvalidArgument: the object key is empty");
	if (n > BUCKET_KEY_MAX)
		return err_set(e, ERR_S3_EXCEPTION, "KeyTooLongError: the object key is %zu bytes (at most %d)", n, BUCKET_KEY_MAX);
	return 0;
}

int bucket_put(struct bucket_store *bs, const char *bucket, const char *key,
	       const void *data, size_t len, const char *content_type,
	       uint64_t deadline_ns, struct bucket_object_info *info, struct err *e)
{
	struct bucket_object_info tmp;

	if (check_bucket(bucket, e) || check_key(key, e))
		return -1;
	if (len > bs->max_object)
		return err_set(e, ERR_STATES_DATA_LIMIT, "the object is %zu bytes, over the %zu-byte limit", len, bs->max_object);
	if (content_type && strlen(content_type) >= BUCKET_CTYPE_MAX)
		return err_set(e, ERR_S3_EXCEPTION, "InvalidArgument: ContentType is longer than %d bytes", BUCKET_CTYPE_MAX - 1);
	for (const char *c = content_type; c && *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return err_set(e, ERR_S3_EXCEPTION, "InvalidArgument: ContentType has a control character");
	if (!content_type || !*content_type)
		content_type = "application/octet-stream";
	memset(&tmp, 0, sizeof tmp);
	if (bs->ops->put(bs->impl, bucket, key, data, len, content_type, deadline_ns, &tmp, e))
		return -1;
	if (info)
		*info = tmp;
	return 0;
}

/* Read exactly n bytes at off (pread); 0 or -errno (-EIO: the file is shorter). */
static int pread_all(int fd, void *dst, size_t n, uint64_t off)
{
	char *p = dst;

	while (n) {
		ssize_t r = pread(fd, p, n, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO;
		p += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

int bucket_put_fd(struct bucket_store *bs, const char *bucket, const char *key, int fd, uint64_t size,
		  const struct bucket_put_opts *o, uint64_t deadline_ns, struct bucket_object_info *info,
		  struct err *e)
{
	struct bucket_put_opts opts = o ? *o : (struct bucket_put_opts){ 0 };
	struct bucket_object_info tmp;
	char *data = NULL;
	int rc = -1, r;

	if (check_bucket(bucket, e) || check_key(key, e))
		return -1;
	if (opts.content_type && strlen(opts.content_type) >= BUCKET_CTYPE_MAX)
		return err_set(e, ERR_S3_EXCEPTION, "InvalidArgument: ContentType is longer than %d bytes", BUCKET_CTYPE_MAX - 1);
	for (const char *c = opts.content_type; c && *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return err_set(e, ERR_S3_EXCEPTION, "InvalidArgument: ContentType has a control character");
	if (opts.etag && strlen(opts.etag) >= BUCKET_ETAG_MAX)
		return err_set(e, ERR_S3_EXCEPTION, "InvalidArgument: the ETag is too long");
	if (opts.meta && strlen(opts.meta) >= BUCKET_META_MAX)
		return err_set(e, ERR_S3_EXCEPTION, "MetadataTooLarge: Your metadata headers exceed the maximum allowed metadata size (%d bytes)", BUCKET_META_MAX - 1);
	if (!opts.content_type || !*opts.content_type)
		opts.content_type = "application/octet-stream";
	memset(&tmp, 0, sizeof tmp);
	if (bs->ops->put_fd) {
		if (bs->ops->put_fd(bs->impl, bucket, key, fd, size, &opts, &tmp, e))
			goto out;
	} else {
		if (size > bs->max_object) {
			err_set(e, ERR_STATES_DATA_LIMIT, "the object is %llu bytes, over the %zu-byte limit",
				(unsigned long long)size, bs->max_object);
			goto out;
		}
		data = malloc(size ? (size_t)size : 1);
		if (!data) {
			err_set(e, ERR_S3_CLIENT, "out of memory for a %llu-byte object", (unsigned long long)size);
			goto out;
		}
		r = pread_all(fd, data, (size_t)size, 0);
		if (r) {
			err_set(e, ERR_S3_CLIENT, "reading the upload: %s", strerror(-r));
			goto out;
		}
		if (bs->ops->put(bs->impl, bucket, key, data, (size_t)size, opts.content_type, deadline_ns, &tmp, e))
			goto out;
	}
	if (info)
		*info = tmp;
	rc = 0;
out:
	free(data);
	return rc;
}

int bucket_open_object(struct bucket_store *bs, const char *bucket, const char *key, uint64_t deadline_ns,
		       int *fd, struct bucket_object_info *info, struct err *e)
{
	struct bucket_object_info tmp;
	struct buf body;
	int mfd = -1, rc = -1;
	size_t off = 0;

	*fd = -1;
	if (check_bucket(bucket, e) || check_key(key, e))
		return -1;
	memset(&tmp, 0, sizeof tmp);
	if (bs->ops->open_fd) {
		if (bs->ops->open_fd(bs->impl, bucket, key, fd, &tmp, e))
			return -1;
		if (info)
			*info = tmp;
		return 0;
	}
	buf_init(&body, bs->max_object);
	if (bs->ops->get(bs->impl, bucket, key, deadline_ns, &body, &tmp, e))
		goto out;
	mfd = memfd_create("tutti-object", MFD_CLOEXEC);
	if (mfd < 0) {
		err_set(e, ERR_S3_CLIENT, "memfd_create: %s", strerror(errno));
		goto out;
	}
	while (off < body.len) {
		ssize_t w = write(mfd, body.data + off, body.len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			err_set(e, ERR_S3_CLIENT, "writing the object to memory: %s", strerror(errno));
			goto out;
		}
		off += (size_t)w;
	}
	tmp.size = body.len;
	*fd = mfd;
	mfd = -1;
	if (info)
		*info = tmp;
	rc = 0;
out:
	if (mfd >= 0)
		close(mfd);
	buf_free(&body);
	return rc;
}

int bucket_get(struct bucket_store *bs, const char *bucket, const char *key,
	       uint64_t deadline_ns, struct buf *body, struct bucket_object_info *info,
	       struct err *e)
{
	struct bucket_object_info tmp;
	size_t had = body->len;

	if (check_bucket(bucket, e) || check_key(key, e))
		return -1;
	if (!body->cap || body->cap > had + bs->max_object)
		body->cap = had + bs->max_object;
	memset(&tmp, 0, sizeof tmp);
	if (bs->ops->get(bs->impl, bucket, key, deadline_ns, body, &tmp, e)) {
		body->len = had;
		if (body->data)
			body->data[had] = '\0';
		return -1;
	}
	if (info)
		*info = tmp;
	return 0;
}

int bucket_list_objects(struct bucket_store *bs, const char *bucket,
			const struct bucket_list_req *req, uint64_t deadline_ns,
			struct bucket_list *out, struct err *e)
{
	struct bucket_list_req r = *req;

	memset(out, 0, sizeof *out);
	if (check_bucket(bucket, e))
		return -1;
	if (r.max_keys < 0 || r.max_keys > BUCKET_LIST_MAX)
		r.max_keys = BUCKET_LIST_MAX;
	if (r.prefix && strlen(r.prefix) > BUCKET_KEY_MAX)
		return err_set(e, ERR_S3_EXCEPTION, "InvalidArgument: Prefix is longer than %d bytes", BUCKET_KEY_MAX);
	if (r.start_after && strlen(r.start_after) > BUCKET_KEY_MAX)
		return err_set(e, ERR_S3_EXCEPTION, "InvalidArgument: StartAfter is longer than %d bytes", BUCKET_KEY_MAX);
	if (r.token && strlen(r.token) > 2 * BUCKET_KEY_MAX + 16)
		return err_set(e, ERR_S3_EXCEPTION, "InvalidArgument: the continuation token is not valid");
	if (r.delimiter && !*r.delimiter)
		r.delimiter = NULL;
	if (bs->ops->list(bs->impl, bucket, &r, deadline_ns, out, e)) {
		bucket_list_clear(out);
		return -1;
	}
	return 0;
}

int bucket_delete(struct bucket_store *bs, const char *bucket, const char *key,
		  uint64_t deadline_ns, struct err *e)
{
	if (check_bucket(bucket, e) || check_key(key, e))
		return -1;
	return bs->ops->del(bs->impl, bucket, key, deadline_ns, e);
}

int bucket_create(struct bucket_store *bs, const char *bucket, uint64_t deadline_ns, struct err *e)
{
	if (check_bucket(bucket, e))
		return -1;
	return bs->ops->create(bs->impl, bucket, deadline_ns, e);
}

int bucket_remove(struct bucket_store *bs, const char *bucket, uint64_t deadline_ns, struct err *e)
{
	if (check_bucket(bucket, e))
		return -1;
	return bs->ops->remove(bs->impl, bucket, deadline_ns, e);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int bucket_list_buckets(struct bucket_store *bs, uint64_t deadline_ns, char ***names,
			size_t *n, struct err *e)
{
	*names = NULL;
	*n = 0;
	if (bs->ops->buckets(bs->impl, deadline_ns, names, n, e))
		return -1;
	if (*n)
		qsort(*names, *n, sizeof **names, cmp_str);
	return 0;
}

void bucket_names_free(char **names, size_t n)
{
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

void bucket_list_clear(struct bucket_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].key);
	for (size_t i = 0; i < l->nprefixes; i++)
		free(l->prefixes[i]);
	free(l->items);
	free(l->prefixes);
	free(l->next_token);
	memset(l, 0, sizeof *l);
}

int bucket_list_add(struct bucket_list *l, const char *key, uint64_t size,
		    const char *etag, int64_t last_modified)
{
	struct bucket_list_entry *items, *it;

	/* Grow by doubling; a page holds at most BUCKET_LIST_MAX entries. */
	if ((l->n & (l->n - 1)) == 0) {
		items = realloc(l->items, (l->n ? 2 * l->n : 1) * sizeof *items);
		if (!items)
			return -ENOMEM;
		l->items = items;
	}
	it = &l->items[l->n];
	memset(it, 0, sizeof *it);
	it->key = strdup(key);
	if (!it->key)
		return -ENOMEM;
	it->size = size;
	snprintf(it->etag, sizeof it->etag, "%s", etag ? etag : "");
	it->last_modified = last_modified;
	l->n++;
	return 0;
}

int bucket_list_add_prefix(struct bucket_list *l, const char *prefix)
{
	char **p;

	if ((l->nprefixes & (l->nprefixes - 1)) == 0) {
		p = realloc(l->prefixes, (l->nprefixes ? 2 * l->nprefixes : 1) * sizeof *p);
		if (!p)
			return -ENOMEM;
		l->prefixes = p;
	}
	l->prefixes[l->nprefixes] = strdup(prefix);
	if (!l->prefixes[l->nprefixes])
		return -ENOMEM;
	l->nprefixes++;
	return 0;
}

long bucket_remaining_ms(uint64_t deadline_ns)
{
	struct timespec ts;
	uint64_t now;
	long ms;

	if (!deadline_ns)
		return BUCKET_DEFAULT_TIMEOUT_MS;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (now >= deadline_ns)
		return 0;
	ms = (long)((deadline_ns - now + 999999) / 1000000);
	return ms > BUCKET_DEFAULT_TIMEOUT_MS ? BUCKET_DEFAULT_TIMEOUT_MS : ms;
}

/* S3 error codes the SDK turns into an exception class of their own. */
static const char *const dedicated[] = {
	"NoSuchKey", "NoSuchBucket", "BucketAlreadyExists", "BucketAlreadyOwnedByYou",
	"NoSuchUpload", "InvalidObjectState", "ObjectAlreadyInActiveTierError",
	"ObjectNotInActiveTierError",
};

int bucket_s3_error(struct err *e, const char *code, const char *msg)
{
	if (!code || !*code)
		code = "InternalError";
	if (!msg || !*msg)
		msg = "(no message)";
	for (size_t i = 0; i < sizeof dedicated / sizeof *dedicated; i++) {
		if (!strcmp(code, dedicated[i])) {
			char name[ERR_TYPE_MAX];

			snprintf(name, sizeof name, "S3.%sException", code);
			return err_setn(e, name, "%s", msg);
		}
	}
	return err_set(e, ERR_S3_EXCEPTION, "%s: %s", code, msg);
}

int bucket_http_error(struct err *e, long status, bool is_key_op)
{
	switch (status) {
	case 404:
		return is_key_op ? err_set(e, ERR_S3_NO_SUCH_KEY, "The specified key does not exist.")
				 : err_set(e, ERR_S3_NO_SUCH_BUCKET, "The specified bucket does not exist");
	case 403:
		return err_set(e, ERR_S3_EXCEPTION, "AccessDenied: Access Denied (Status Code: 403)");
	case 409:
		return err_set(e, ERR_S3_EXCEPTION, "Conflict: (Status Code: 409)");
	default:
		return err_set(e, ERR_S3_EXCEPTION, "HttpError: the service answered with status %ld", status);
	}
}

int bucket_etag_md5_fd(int fd, uint64_t size, char out[BUCKET_ETAG_MAX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	char *chunk = malloc(1u << 16), *p = out;
	uint64_t off = 0;
	int rc = -ENOMEM;

	if (!ctx || !chunk || !EVP_DigestInit_ex(ctx, EVP_md5(), NULL))
		goto out;
	while (off < size) {
		size_t n = size - off < (1u << 16) ? (size_t)(size - off) : (1u << 16);

		rc = pread_all(fd, chunk, n, off);
		if (rc)
			goto out;
		if (!EVP_DigestUpdate(ctx, chunk, n)) {
			rc = -EIO;
			goto out;
		}
		off += n;
	}
	if (!EVP_DigestFinal_ex(ctx, md, &mdlen)) {
		rc = -EIO;
		goto out;
	}
	*p++ = '"';
	for (unsigned i = 0; i < mdlen; i++)
		p += sprintf(p, "%02x", md[i]);
	*p++ = '"';
	*p = '\0';
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	free(chunk);
	return rc;
}

void bucket_etag_md5(const void *data, size_t len, char out[BUCKET_ETAG_MAX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char *p = out;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_md5(), NULL))
		mdlen = 0;
	*p++ = '"';
	for (unsigned i = 0; i < mdlen; i++)
		p += sprintf(p, "%02x", md[i]);
	*p++ = '"';
	*p = '\0';
}
