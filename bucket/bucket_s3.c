/* bucket_s3 — an S3-compatible endpoint through libs3 (Debian's libs3 2.0,
 * AWS Signature V2).
 *
 * Why it looks the way it does:
 * - libs3 2.0 has no per-request timeout, so every request runs in its own
 *   S3RequestContext that we drive with select() until the caller's
 *   deadline; past it the context is destroyed, which aborts the transfer.
 * - S3_initialize is process-wide: it runs once (pthread_once), which is
 *   why bucket_open must come before threads. Each request has its own
 *   context and callback data, so calls from many threads do not share
 *   anything but libs3's initialised globals.
 * - libs3 speaks ListObjects (V1, marker-based); ListObjectsV2's
 *   ContinuationToken is carried as the V1 marker (NextMarker, or the last
 *   key returned). */
#include "bucket_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include <libs3.h>

struct s3be {
	char host[480];
	char access[128];
	char secret[256];
	S3Protocol protocol;
	S3UriStyle style;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static S3Status init_status;

static void global_init(void)
{
	/* A NULL default host would make libs3 use s3.amazonaws.com; every
	 * request names its host anyway. */
	init_status = S3_initialize("tutti", S3_INIT_ALL, NULL);
}

static void *s3_open(const struct bucket_config *cfg, struct err *e)
{
	struct s3be *s;
	const char *h = strstr(cfg->endpoint, "://");

	pthread_once(&init_once, global_init);
	if (init_status != S3StatusOK) {
		err_set(e, ERR_S3_CLIENT, "S3_initialize failed: %s", S3_get_status_name(init_status));
		return NULL;
	}
	if (!h) {
		err_set(e, ERR_STATES_RUNTIME, "S3 endpoint '%s' has no scheme", cfg->endpoint);
		return NULL;
	}
	if (!cfg->access_key[0] || !cfg->secret_key[0]) {
		err_set(e, ERR_STATES_RUNTIME, "S3 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
		return NULL;
	}
	s = calloc(1, sizeof *s);
	if (!s) {
		err_set(e, ERR_S3_CLIENT, "out of memory");
		return NULL;
	}
	snprintf(s->host, sizeof s->host, "%s", h + 3);
	snprintf(s->access, sizeof s->access, "%s", cfg->access_key);
	snprintf(s->secret, sizeof s->secret, "%s", cfg->secret_key);
	s->protocol = !strncmp(cfg->endpoint, "https://", 8) ? S3ProtocolHTTPS : S3ProtocolHTTP;
	s->style = cfg->path_style ? S3UriStylePath : S3UriStyleVirtualHost;
	return s;
}

static void s3_close(void *impl)
{
	free(impl);
}

/* What one request's callbacks see. */
struct call {
	S3Status status;
	bool done;
	char code_msg[512];        /* the error details' message */
	struct bucket_object_info *info;
	/* put */
	const char *data;
	size_t len, off;
	/* get */
	struct buf *body;
	bool over_cap;
	/* list */
	struct bucket_list *list;
	bool list_oom;
	/* list service */
	char ***names;
	size_t *n, alloc;
};

static S3Status on_props(const S3ResponseProperties *p, void *arg)
{
	struct call *c = arg;

	if (c->info) {
		if (p->eTag)
			snprintf(c->info->etag, sizeof c->info->etag, "%s", p->eTag);
		if (p->contentType)
			snprintf(c->info->content_type, sizeof c->info->content_type, "%s", p->contentType);
		if (p->lastModified > 0)
			c->info->last_modified = p->lastModified;
	}
	return S3StatusOK;
}

static void on_complete(S3Status status, const S3ErrorDetails *d, void *arg)
{
	struct call *c = arg;

	c->status = status;
	c->done = true;
	if (d && d->message)
		snprintf(c->code_msg, sizeof c->code_msg, "%s", d->message);
}

static const S3ResponseHandler response_handler = { on_props, on_complete };

/* Run the request libs3 queued in `ctx` until it completes or the deadline
 * passes. Returns 0 when it completed, -1 on timeout. */
static int drive(S3RequestContext *ctx, struct call *c, uint64_t deadline_ns)
{
	for (;;) {
		fd_set r, w, x;
		int remaining = 0, maxfd = -1;
		long ms;
		int64_t t;
		struct timeval tv;

		if (S3_runonce_request_context(ctx, &remaining) != S3StatusOK || !remaining || c->done)
			return 0;
		ms = bucket_remaining_ms(deadline_ns);
		if (!ms)
			return -1;
		FD_ZERO(&r);
		FD_ZERO(&w);
		FD_ZERO(&x);
		S3_get_request_context_fdsets(ctx, &r, &w, &x, &maxfd);
		t = S3_get_request_context_timeout(ctx);
		if (t < 0 || t > 100)
			t = 100;    /* look at the deadline at least every 100 ms */
		if (t > ms)
			t = ms;
		tv.tv_sec = (time_t)(t / 1000);
		tv.tv_usec = (suseconds_t)(t % 1000) * 1000;
		if (select(maxfd + 1, maxfd >= 0 ? &r : NULL, maxfd >= 0 ? &w : NULL,
			   maxfd >= 0 ? &x : NULL, &tv) < 0 && errno != EINTR)
			return 0;   /* let runonce report the failure */
	}
}

/* Map a finished call's status to 0 or a named error. */
static int status_error(const struct call *c, bool key_op, struct err *e)
{
	const char *name = S3_get_status_name(c->status);

	switch (c->status) {
	case S3StatusOK:
		return 0;
	case S3StatusNameLookupError:
	case S3StatusFailedToConnect:
	case S3StatusConnectionFailed:
	case S3StatusServerFailedVerification:
		return err_set(e, ERR_S3_CLIENT, "Unable to execute HTTP request: %s", name);
	case S3StatusHttpErrorNotFound:
		return bucket_http_error(e, 404, key_op);
	case S3StatusHttpErrorForbidden:
		return bucket_http_error(e, 403, key_op);
	case S3StatusHttpErrorConflict:
		return bucket_http_error(e, 409, key_op);
	case S3StatusHttpErrorBadRequest:
		return bucket_http_error(e, 400, key_op);
	default:
		break;
	}
	if (!strncmp(name, "Error", 5) && strcmp(name, "ErrorUnknown"))
		return bucket_s3_error(e, name + 5, c->code_msg[0] ? c->code_msg : name + 5);
	return err_set(e, ERR_S3_CLIENT, "S3 request failed: %s%s%s", name,
		       c->code_msg[0] ? ": " : "", c->code_msg);
}

static int finish(struct call *c, bool key_op, struct err *e)
{
	if (c->over_cap)
		return err_set(e, ERR_STATES_DATA_LIMIT, "the object is over the %zu-byte limit", c->body->cap);
	if (c->list_oom)
		return err_set(e, ERR_S3_CLIENT, "out of memory while listing");
	if (!c->done)
		return err_set(e, ERR_S3_CLIENT, "the S3 request ended without an answer");
	return status_error(c, key_op, e);
}

/* Each request runs in a context of its own: begin() makes it, the libs3
 * call queues the request in it, end() drives it and names the outcome. */
static S3RequestContext *begin(struct err *e)
{
	S3RequestContext *ctx = NULL;

	if (S3_create_request_context(&ctx) != S3StatusOK) {
		err_set(e, ERR_S3_CLIENT, "out of memory");
		return NULL;
	}
	return ctx;
}

static int end(S3RequestContext *ctx, struct call *c, uint64_t deadline_ns, bool key_op,
	       struct err *e)
{
	int timed_out = drive(ctx, c, deadline_ns);

	/* Destroying the context aborts a transfer still running. */
	S3_destroy_request_context(ctx);
	if (timed_out)
		return err_set(e, ERR_STATES_TIMEOUT, "the S3 request did not finish before the deadline");
	return finish(c, key_op, e);
}

static void bucket_ctx(const struct s3be *s, const char *bucket, S3BucketContext *bc)
{
	memset(bc, 0, sizeof *bc);
	bc->hostName = s->host;
	bc->bucketName = bucket;
	bc->protocol = s->protocol;
	bc->uriStyle = s->style;
	bc->accessKeyId = s->access;
	bc->secretAccessKey = s->secret;
}

static int on_put_data(int size, char *buffer, void *arg)
{
	struct call *c = arg;
	size_t n = c->len - c->off;

	if (n > (size_t)size)
		n = (size_t)size;
	memcpy(buffer, c->data + c->off, n);
	c->off += n;
	return (int)n;
}

static int s3_put(void *impl, const char *bucket, const char *key, const void *data,
		  size_t len, const char *ctype, uint64_t deadline_ns,
		  struct bucket_object_info *info, struct err *e)
{
	struct call c = { .info = info, .data = data, .len = len };
	S3PutObjectHandler h = { response_handler, on_put_data };
	S3PutProperties props = { 0 };
	S3RequestContext *ctx;
	S3BucketContext bc;

	bucket_ctx(impl, bucket, &bc);
	props.contentType = ctype;
	props.expires = -1;
	if (!(ctx = begin(e)))
		return -1;
	S3_put_object(&bc, key, len, &props, ctx, &h, &c);
	if (end(ctx, &c, deadline_ns, true, e))
		return -1;
	snprintf(info->content_type, sizeof info->content_type, "%s", ctype);
	info->size = len;
	/* libs3 2.0 does not hand a PUT's response headers to the properties
	 * callback; a single-part PUT's ETag is the body's MD5. */
	if (!info->etag[0])
		bucket_etag_md5(data, len, info->etag);
	return 0;
}

static S3Status on_get_data(int size, const char *buffer, void *arg)
{
	struct call *c = arg;

	if (buf_append(c->body, buffer, (size_t)size) < 0) {
		c->over_cap = true;
		return S3StatusAbortedByCallback;
	}
	return S3StatusOK;
}

static int s3_get(void *impl, const char *bucket, const char *key, uint64_t deadline_ns,
		  struct buf *body, struct bucket_object_info *info, struct err *e)
{
	struct call c = { .info = info, .body = body };
	S3GetObjectHandler h = { response_handler, on_get_data };
	S3RequestContext *ctx;
	S3BucketContext bc;
	size_t start = body->len;

	bucket_ctx(impl, bucket, &bc);
	if (!(ctx = begin(e)))
		return -1;
	S3_get_object(&bc, key, NULL, 0, 0, ctx, &h, &c);
	if (end(ctx, &c, deadline_ns, true, e))
		return -1;
	info->size = body->len - start;
	if (!info->content_type[0])
		snprintf(info->content_type, sizeof info->content_type, "application/octet-stream");
	return 0;
}

static int s3_del(void *impl, const char *bucket, const char *key, uint64_t deadline_ns, struct err *e)
{
	struct call c = { 0 };
	S3RequestContext *ctx;
	S3BucketContext bc;

	bucket_ctx(impl, bucket, &bc);
	if (!(ctx = begin(e)))
		return -1;
	S3_delete_object(&bc, key, ctx, &response_handler, &c);
	if (end(ctx, &c, deadline_ns, true, e)) {
		/* Some servers answer 404 for a missing key; S3 says 204. */
		if (c.status == S3StatusErrorNoSuchKey || c.status == S3StatusHttpErrorNotFound) {
			err_clear(e);
			return 0;
		}
		return -1;
	}
	return 0;
}

static S3Status on_list(int truncated, const char *next_marker, int count,
			const S3ListBucketContent *contents, int nprefixes,
			const char **prefixes, void *arg)
{
	struct call *c = arg;
	struct bucket_list *l = c->list;

	/* libs3 may call back more than once per answer (one call per chunk
	 * of parsed XML); the last one carries the final truncation flag. */
	for (int i = 0; i < count; i++) {
		if (bucket_list_add(l, contents[i].key, contents[i].size,
				    contents[i].eTag ? contents[i].eTag : "", contents[i].lastModified) < 0) {
			c->list_oom = true;
			return S3StatusAbortedByCallback;
		}
	}
	for (int i = 0; i < nprefixes; i++) {
		if (bucket_list_add_prefix(l, prefixes[i]) < 0) {
			c->list_oom = true;
			return S3StatusAbortedByCallback;
		}
	}
	l->truncated = truncated != 0;
	if (next_marker && *next_marker) {
		free(l->next_token);
		if (!(l->next_token = strdup(next_marker))) {
			c->list_oom = true;
			return S3StatusAbortedByCallback;
		}
	}
	return S3StatusOK;
}

static int s3_list(void *impl, const char *bucket, const struct bucket_list_req *req,
		   uint64_t deadline_ns, struct bucket_list *out, struct err *e)
{
	struct call c = { .list = out };
	S3ListBucketHandler h = { response_handler, on_list };
	const char *marker = req->token ? req->token : req->start_after;
	S3RequestContext *ctx;
	S3BucketContext bc;

	if (req->max_keys == 0)
		return 0;
	bucket_ctx(impl, bucket, &bc);
	if (!(ctx = begin(e)))
		return -1;
	S3_list_bucket(&bc, req->prefix && *req->prefix ? req->prefix : NULL,
		       marker && *marker ? marker : NULL, req->delimiter, req->max_keys, ctx, &h, &c);
	if (end(ctx, &c, deadline_ns, false, e))
		return -1;
	if (out->truncated && !out->next_token) {
		/* V1 answers carry NextMarker only with a delimiter: go on
		 * after the last key or common prefix returned. */
		const char *a = out->n ? out->items[out->n - 1].key : NULL;
		const char *b = out->nprefixes ? out->prefixes[out->nprefixes - 1] : NULL;
		const char *last = !a ? b : !b ? a : strcmp(a, b) > 0 ? a : b;

		if (last && !(out->next_token = strdup(last)))
			return err_set(e, ERR_S3_CLIENT, "out of memory");
	}
	if (!out->truncated) {
		free(out->next_token);
		out->next_token = NULL;
	}
	return 0;
}

static int s3_create(void *impl, const char *bucket, uint64_t deadline_ns, struct err *e)
{
	struct s3be *s = impl;
	struct call c = { 0 };
	S3RequestContext *ctx = begin(e);

	if (!ctx)
		return -1;
	S3_create_bucket(s->protocol, s->access, s->secret, s->host, bucket, S3CannedAclPrivate,
			 NULL, ctx, &response_handler, &c);
	return end(ctx, &c, deadline_ns, false, e);
}

static int s3_remove(void *impl, const char *bucket, uint64_t deadline_ns, struct err *e)
{
	struct s3be *s = impl;
	struct call c = { 0 };
	S3RequestContext *ctx = begin(e);

	if (!ctx)
		return -1;
	S3_delete_bucket(s->protocol, s->style, s->access, s->secret, s->host, bucket, ctx,
			 &response_handler, &c);
	return end(ctx, &c, deadline_ns, false, e);
}

static S3Status on_service(const char *owner, const char *display, const char *name,
			   int64_t created, void *arg)
{
	struct call *c = arg;

	(void)owner;
	(void)display;
	(void)created;
	if (*c->n == c->alloc) {
		size_t na = c->alloc ? 2 * c->alloc : 16;
		char **v = realloc(*c->names, na * sizeof *v);

		if (!v)
			goto oom;
		*c->names = v;
		c->alloc = na;
	}
	if (!((*c->names)[*c->n] = strdup(name)))
		goto oom;
	(*c->n)++;
	return S3StatusOK;
oom:
	c->list_oom = true;
	return S3StatusAbortedByCallback;
}

static int s3_buckets(void *impl, uint64_t deadline_ns, char ***names, size_t *n, struct err *e)
{
	struct s3be *s = impl;
	struct call c = { .names = names, .n = n };
	S3ListServiceHandler h = { response_handler, on_service };
	S3RequestContext *ctx = begin(e);

	if (!ctx)
		return -1;
	S3_list_service(s->protocol, s->access, s->secret, s->host, ctx, &h, &c);
	if (end(ctx, &c, deadline_ns, false, e)) {
		bucket_names_free(*names, *n);
		*names = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

const struct bucket_ops bucket_s3_ops = {
	.name = "s3-v2",
	.open = s3_open,
	.close = s3_close,
	.put = s3_put,
	.get = s3_get,
	.list = s3_list,
	.del = s3_del,
	.create = s3_create,
	.remove = s3_remove,
	.buckets = s3_buckets,
};
