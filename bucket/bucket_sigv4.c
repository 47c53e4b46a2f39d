/* bucket_sigv4 — an S3-compatible endpoint over libcurl, requests signed
 * with AWS Signature V4 by CURLOPT_AWS_SIGV4 (what AWS S3 itself requires;
 * libs3 from Debian only signs V2).
 *
 * Why it looks the way it does:
 * - curl 7.88 signs the query string as given, without sorting it, so list
 *   queries are built already in canonical order (names sorted, values
 *   RFC 3986-encoded, "=" always present).
 * - curl hashes POSTFIELDS into the signature, so a put sends its body as
 *   POSTFIELDS with a custom PUT method (not an upload callback, whose body
 *   curl would hash as empty), and we send x-amz-content-sha256 with the
 *   same hash, which S3 requires.
 * - curl 7.88 signs every header in CURLOPT_HTTPHEADER, even an "Expect:"
 *   that only removes a header, so none such is set.
 * - Every transfer has a timeout from the caller's deadline and a cap on
 *   the bytes it keeps (object bodies, XML answers, headers).
 * - Connections are reused across calls and threads through a curl share
 *   handle guarded by one mutex per shared data kind. */
#include "bucket_int.h"
#include "curlx.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/evp.h>

#define XML_CAP      (8u << 20)   /* list answers: 1000 keys of 1 KiB fit */
#define ERRBODY_CAP  (64u << 10)

struct sv4 {
	char endpoint[512];      /* scheme://host[:port] */
	char scheme[8];
	char host[480];
	char region[64];
	char sigv4[128];         /* "aws:amz:REGION:s3" */
	char userpwd[400];
	char token_hdr[2100];    /* "x-amz-security-token: ..." or "" */
	bool path_style;
	struct curlx_share *share;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc;

static void global_init(void)
{
	init_rc = curlx_global_init();
	xmlInitParser();
}

static void sv4_close(void *impl)
{
	struct sv4 *s = impl;

	if (!s)
		return;
	curlx_share_free(s->share);
	free(s);
}

static void *sv4_open(const struct bucket_config *cfg, struct err *e)
{
	struct sv4 *s = NULL;
	const char *h;

	pthread_once(&init_once, global_init);
	if (init_rc) {
		err_set(e, ERR_S3_CLIENT, "curl_global_init failed");
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
	snprintf(s->endpoint, sizeof s->endpoint, "%s", cfg->endpoint);
	h = strstr(cfg->endpoint, "://");
	if (!h) {
		err_set(e, ERR_STATES_RUNTIME, "S3 endpoint '%s' has no scheme", cfg->endpoint);
		goto fail;
	}
	snprintf(s->scheme, sizeof s->scheme, "%.*s", (int)(h - cfg->endpoint), cfg->endpoint);
	snprintf(s->host, sizeof s->host, "%s", h + 3);
	snprintf(s->region, sizeof s->region, "%s", cfg->region);
	snprintf(s->sigv4, sizeof s->sigv4, "aws:amz:%s:s3", cfg->region);
	snprintf(s->userpwd, sizeof s->userpwd, "%s:%s", cfg->access_key, cfg->secret_key);
	if (cfg->session_token[0])
		snprintf(s->token_hdr, sizeof s->token_hdr, "x-amz-security-token: %s", cfg->session_token);
	s->path_style = cfg->path_style;
	s->share = curlx_share_new();
	if (!s->share) {
		err_set(e, ERR_S3_CLIENT, "out of memory (curl share)");
		goto fail;
	}
	return s;
fail:
	sv4_close(s);
	return NULL;
}

/* RFC 3986 percent-encoding, keeping '/' when `keep_slash`. */
static int uri_encode(struct buf *b, const char *s, bool keep_slash)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
			if (buf_append(b, s, 1) < 0)
				return -1;
		} else if (buf_printf(b, "%%%02X", c) < 0) {
			return -1;
		}
	}
	return 0;
}

/* URL of BUCKET[/KEY][?QUERY] ("" bucket: the service root). */
static int make_url(const struct sv4 *s, struct buf *u, const char *bucket, const char *key,
		    const char *query)
{
	int rc;

	if (!*bucket)
		rc = buf_printf(u, "%s://%s/", s->scheme, s->host);
	else if (s->path_style)
		rc = buf_printf(u, "%s://%s/%s", s->scheme, s->host, bucket);
	else
		rc = buf_printf(u, "%s://%s.%s", s->scheme, bucket, s->host);
	if (!rc && *bucket && (key || !s->path_style))
		rc = buf_puts(u, "/");
	if (!rc && key)
		rc = uri_encode(u, key, true);
	if (!rc && query && *query)
		rc = buf_printf(u, "?%s", query);
	return rc;
}

struct xfer {
	struct curlx_sink sink;   /* the body, capped */
	char etag[BUCKET_ETAG_MAX];
	char ctype[BUCKET_CTYPE_MAX];
	char last_modified[64];
	long long content_length;
};

static void header_value(char *dst, size_t cap, const char *v, size_t n)
{
	while (n && (*v == ' ' || *v == '\t'))
		v++, n--;
	while (n && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' '))
		n--;
	snprintf(dst, cap, "%.*s", (int)n, v);
}

static size_t on_header(char *p, size_t sz, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = sz * n;
	char *colon = memchr(p, ':', len);
	size_t kl, vl;

	if (!colon)
		return len;
	kl = (size_t)(colon - p);
	vl = len - kl - 1;
	if (kl == 4 && !strncasecmp(p, "etag", 4))
		header_value(x->etag, sizeof x->etag, colon + 1, vl);
	else if (kl == 12 && !strncasecmp(p, "content-type", 12))
		header_value(x->ctype, sizeof x->ctype, colon + 1, vl);
	else if (kl == 13 && !strncasecmp(p, "last-modified", 13))
		header_value(x->last_modified, sizeof x->last_modified, colon + 1, vl);
	else if (kl == 14 && !strncasecmp(p, "content-length", 14)) {
		char v[32];

		header_value(v, sizeof v, colon + 1, vl);
		x->content_length = strtoll(v, NULL, 10);
	}
	return len;
}

static void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	for (unsigned i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
	out[2 * n] = '\0';
}

/* The text of the first element named `name` under `node` (any depth
 * 1); NULL when absent. Caller xmlFree()s. */
static xmlChar *child_text(xmlNode *node, const char *name)
{
	for (xmlNode *c = node ? node->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
			return xmlNodeGetContent(c);
	return NULL;
}

static xmlDoc *parse_xml(const struct buf *b)
{
	if (!b->len || b->len > INT32_MAX)
		return NULL;
	/* No network, no entities, no DTD: the answer is data, not a document
	 * that may pull in other documents. */
	return xmlReadMemory(b->data, (int)b->len, "s3.xml", NULL,
			     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* Turn a non-2xx answer into a named error. */
static int answer_error(struct xfer *x, long status, bool key_op, struct err *e)
{
	xmlDoc *doc = parse_xml(&x->sink.body);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	xmlChar *code = NULL, *msg = NULL;
	int rc;

	if (root && !strcmp((const char *)root->name, "Error")) {
		code = child_text(root, "Code");
		msg = child_text(root, "Message");
	}
	if (code)
		rc = bucket_s3_error(e, (const char *)code, msg ? (const char *)msg : "");
	else
		rc = bucket_http_error(e, status, key_op);
	xmlFree(code);
	xmlFree(msg);
	xmlFreeDoc(doc);
	return rc;
}

struct req {
	const char *method;
	const char *bucket;
	const char *key;          /* NULL: a bucket request */
	const char *query;        /* canonical order already */
	const void *data;         /* PUT body */
	size_t len;
	const char *ctype;
	size_t cap;               /* answer body cap */
	uint64_t deadline_ns;
};

/* Run one signed request; 0 with *status on any HTTP answer, -1 with `e`
 * when no answer came (S3.SdkClientException, States.Timeout,
 * States.DataLimitExceeded). */
static int perform(struct sv4 *s, const struct req *r, struct xfer *x, long *status, struct err *e)
{
	char hash[65], hdr[128 + BUCKET_CTYPE_MAX];
	struct curl_slist *hl = NULL, *t;
	struct buf url;
	CURL *c = NULL;
	CURLcode cc;
	long ms = bucket_remaining_ms(r->deadline_ns);
	int rc = -1;

	buf_init(&url, 8192);
	buf_init(&x->sink.body, r->cap);
	if (!ms)
		return err_set(e, ERR_STATES_TIMEOUT, "the deadline passed before the S3 request");
	if (make_url(s, &url, r->bucket, r->key, r->query) < 0) {
		err_set(e, ERR_S3_CLIENT, "the request URL is too long");
		goto out;
	}
	sha256_hex(r->data ? r->data : "", r->len, hash);
	snprintf(hdr, sizeof hdr, "x-amz-content-sha256: %s", hash);
	if (!(t = curl_slist_append(hl, hdr)))
		goto oom;
	hl = t;
	if (r->ctype) {
		snprintf(hdr, sizeof hdr, "Content-Type: %s", r->ctype);
		if (!(t = curl_slist_append(hl, hdr)))
			goto oom;
		hl = t;
	}
	if (s->token_hdr[0]) {
		if (!(t = curl_slist_append(hl, s->token_hdr)))
			goto oom;
		hl = t;
	}
	c = curlx_easy(s->share, url.data, ms, &x->sink, on_header, x);
	if (!c)
		goto oom;
	curl_easy_setopt(c, CURLOPT_AWS_SIGV4, s->sigv4);
	curl_easy_setopt(c, CURLOPT_USERPWD, s->userpwd);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	if (!strcmp(r->method, "PUT")) {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->len);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->len ? r->data : "");
	} else if (!strcmp(r->method, "DELETE")) {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "DELETE");
	}
	cc = curl_easy_perform(c);
	if (cc == CURLE_WRITE_ERROR && x->sink.over_cap) {
		err_set(e, ERR_STATES_DATA_LIMIT, "the S3 answer is over the %zu-byte limit", r->cap);
	} else if (cc == CURLE_OPERATION_TIMEDOUT) {
		if (r->deadline_ns && ms < BUCKET_DEFAULT_TIMEOUT_MS)
			err_set(e, ERR_STATES_TIMEOUT, "the S3 request did not finish before the deadline");
		else
			err_set(e, ERR_S3_CLIENT, "Unable to execute HTTP request: timed out after %ld ms", ms);
	} else if (cc != CURLE_OK) {
		err_set(e, ERR_S3_CLIENT, "Unable to execute HTTP request: %s (%s)", curl_easy_strerror(cc), s->endpoint);
	} else {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
		rc = 0;
	}
	goto out;
oom:
	err_set(e, ERR_S3_CLIENT, "out of memory");
out:
	curl_easy_cleanup(c);
	curl_slist_free_all(hl);
	buf_free(&url);
	return rc;
}

/* perform, and any answer but 2xx becomes its S3 error. */
static int perform_2xx(struct sv4 *s, const struct req *r, struct xfer *x, bool key_op, struct err *e)
{
	long status = 0;

	if (perform(s, r, x, &status, e))
		return -1;
	if (status / 100 != 2) {
		answer_error(x, status, key_op, e);
		return -1;
	}
	return 0;
}

static int sv4_put(void *impl, const char *bucket, const char *key, const void *data,
		   size_t len, const char *ctype, uint64_t deadline_ns,
		   struct bucket_object_info *info, struct err *e)
{
	struct req r = { .method = "PUT", .bucket = bucket, .key = key, .data = data,
			 .len = len, .ctype = ctype, .cap = ERRBODY_CAP, .deadline_ns = deadline_ns };
	struct xfer x = { 0 };
	int rc = -1;

	if (perform_2xx(impl, &r, &x, true, e))
		goto out;
	snprintf(info->etag, sizeof info->etag, "%s", x.etag);
	snprintf(info->content_type, sizeof info->content_type, "%s", ctype);
	info->size = len;
	rc = 0;
out:
	buf_free(&x.sink.body);
	return rc;
}

static int sv4_get(void *impl, const char *bucket, const char *key, uint64_t deadline_ns,
		   struct buf *body, struct bucket_object_info *info, struct err *e)
{
	struct req r = { .method = "GET", .bucket = bucket, .key = key,
			 .cap = body->cap ? body->cap - body->len : 0, .deadline_ns = deadline_ns };
	struct xfer x = { 0 };
	int rc = -1;

	if (perform_2xx(impl, &r, &x, true, e))
		goto out;
	if (buf_append(body, x.sink.body.data ? x.sink.body.data : "", x.sink.body.len) < 0) {
		err_set(e, ERR_STATES_DATA_LIMIT, "the object is over the %zu-byte limit", body->cap);
		goto out;
	}
	info->size = x.sink.body.len;
	snprintf(info->etag, sizeof info->etag, "%s", x.etag);
	snprintf(info->content_type, sizeof info->content_type, "%s",
		 x.ctype[0] ? x.ctype : "application/octet-stream");
	if (x.last_modified[0]) {
		time_t t = curl_getdate(x.last_modified, NULL);

		info->last_modified = t > 0 ? (int64_t)t : 0;
	}
	rc = 0;
out:
	buf_free(&x.sink.body);
	return rc;
}

static int sv4_del(void *impl, const char *bucket, const char *key, uint64_t deadline_ns,
		   struct err *e)
{
	struct req r = { .method = "DELETE", .bucket = bucket, .key = key, .cap = ERRBODY_CAP,
			 .deadline_ns = deadline_ns };
	struct xfer x = { 0 };
	long status = 0;
	int rc = -1;

	if (perform(impl, &r, &x, &status, e))
		goto out;
	if (status / 100 != 2 && !(status == 404 && !x.sink.body.len)) {
		answer_error(&x, status, true, e);
		goto out;
	}
	rc = 0;
out:
	buf_free(&x.sink.body);
	return rc;
}

/* ISO 8601 "2024-01-02T03:04:05.000Z" to Unix seconds (0 if malformed). */
static int64_t iso_time(const char *s)
{
	struct tm tm = { 0 };

	if (!s || sscanf(s, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

static int add_param(struct buf *q, const char *name, const char *value)
{
	if (q->len && buf_puts(q, "&") < 0)
		return -1;
	if (buf_printf(q, "%s=", name) < 0)
		return -1;
	return uri_encode(q, value, false);
}

static int parse_list(struct xfer *x, struct bucket_list *out, struct err *e)
{
	xmlDoc *doc = parse_xml(&x->sink.body);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	int rc = -1;

	if (!root || strcmp((const char *)root->name, "ListBucketResult")) {
		err_set(e, ERR_S3_CLIENT, "the ListObjectsV2 answer is not a ListBucketResult document");
		goto out;
	}
	for (xmlNode *c = root->children; c; c = c->next) {
		xmlChar *k = NULL, *sz = NULL, *et = NULL, *lm = NULL, *t;
		int r = 0;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)c->name, "Contents")) {
			k = child_text(c, "Key");
			sz = child_text(c, "Size");
			et = child_text(c, "ETag");
			lm = child_text(c, "LastModified");
			if (k)
				r = bucket_list_add(out, (const char *)k, sz ? strtoull((const char *)sz, NULL, 10) : 0,
						    et ? (const char *)et : "", iso_time((const char *)lm));
		} else if (!strcmp((const char *)c->name, "CommonPrefixes")) {
			if ((k = child_text(c, "Prefix")))
				r = bucket_list_add_prefix(out, (const char *)k);
		} else if (!strcmp((const char *)c->name, "IsTruncated")) {
			t = xmlNodeGetContent(c);
			out->truncated = t && !strcmp((const char *)t, "true");
			xmlFree(t);
		} else if (!strcmp((const char *)c->name, "NextContinuationToken")) {
			t = xmlNodeGetContent(c);
			free(out->next_token);
			out->next_token = t ? strdup((const char *)t) : NULL;
			xmlFree(t);
		}
		xmlFree(k);
		xmlFree(sz);
		xmlFree(et);
		xmlFree(lm);
		if (r < 0) {
			err_set(e, ERR_S3_CLIENT, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	xmlFreeDoc(doc);
	return rc;
}

static int sv4_list(void *impl, const char *bucket, const struct bucket_list_req *lr,
		    uint64_t deadline_ns, struct bucket_list *out, struct err *e)
{
	struct req r = { .method = "GET", .bucket = bucket, .cap = XML_CAP, .deadline_ns = deadline_ns };
	struct xfer x = { 0 };
	struct buf q;
	char mk[16];
	int rc = -1;

	/* Sorted by name: curl signs the query as it is. */
	buf_init(&q, 16384);
	snprintf(mk, sizeof mk, "%d", lr->max_keys);
	if ((lr->token && add_param(&q, "continuation-token", lr->token) < 0) ||
	    (lr->delimiter && add_param(&q, "delimiter", lr->delimiter) < 0) ||
	    add_param(&q, "list-type", "2") < 0 || add_param(&q, "max-keys", mk) < 0 ||
	    (lr->prefix && *lr->prefix && add_param(&q, "prefix", lr->prefix) < 0) ||
	    (lr->start_after && *lr->start_after && add_param(&q, "start-after", lr->start_after) < 0)) {
		err_set(e, ERR_S3_CLIENT, "the list query is too long");
		goto out;
	}
	r.query = q.data;
	if (perform_2xx(impl, &r, &x, false, e))
		goto out;
	rc = parse_list(&x, out, e);
	if (!rc && out->truncated && !out->next_token) {
		/* Servers that answer ListObjectsV2 without a token: go on
		 * after the last key, as StartAfter would. */
		const char *last = out->n ? out->items[out->n - 1].key : NULL;

		if (last && !(out->next_token = strdup(last)))
			rc = err_set(e, ERR_S3_CLIENT, "out of memory");
	}
out:
	buf_free(&q);
	buf_free(&x.sink.body);
	return rc;
}

static int sv4_bucket_req(struct sv4 *s, const char *method, const char *bucket,
			  uint64_t deadline_ns, struct err *e)
{
	char body[256];
	struct req r = { .method = method, .bucket = bucket, .cap = ERRBODY_CAP, .deadline_ns = deadline_ns };
	struct xfer x = { 0 };
	int rc = -1;

	if (!strcmp(method, "PUT") && strcmp(s->region, "us-east-1")) {
		r.len = (size_t)snprintf(body, sizeof body,
					 "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
					 "<LocationConstraint>%s</LocationConstraint></CreateBucketConfiguration>",
					 s->region);
		r.data = body;
	}
	if (perform_2xx(s, &r, &x, false, e))
		goto out;
	rc = 0;
out:
	buf_free(&x.sink.body);
	return rc;
}

static int sv4_create(void *impl, const char *bucket, uint64_t deadline_ns, struct err *e)
{
	return sv4_bucket_req(impl, "PUT", bucket, deadline_ns, e);
}

static int sv4_remove(void *impl, const char *bucket, uint64_t deadline_ns, struct err *e)
{
	return sv4_bucket_req(impl, "DELETE", bucket, deadline_ns, e);
}

static int sv4_buckets(void *impl, uint64_t deadline_ns, char ***names, size_t *n, struct err *e)
{
	struct req r = { .method = "GET", .bucket = "", .cap = XML_CAP, .deadline_ns = deadline_ns };
	struct xfer x = { 0 };
	xmlDoc *doc = NULL;
	xmlNode *root, *bl = NULL;
	size_t alloc = 0;
	int rc = -1;

	if (perform_2xx(impl, &r, &x, false, e))
		goto out;
	doc = parse_xml(&x.sink.body);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	for (xmlNode *c = root ? root->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "Buckets"))
			bl = c;
	if (!root) {
		err_set(e, ERR_S3_CLIENT, "the ListBuckets answer is not XML");
		goto out;
	}
	for (xmlNode *c = bl ? bl->children : NULL; c; c = c->next) {
		xmlChar *name;

		if (c->type != XML_ELEMENT_NODE || !(name = child_text(c, "Name")))
			continue;
		if (*n == alloc) {
			char **v = realloc(*names, (alloc = alloc ? 2 * alloc : 16) * sizeof *v);

			if (!v) {
				xmlFree(name);
				goto oom;
			}
			*names = v;
		}
		(*names)[*n] = strdup((const char *)name);
		xmlFree(name);
		if (!(*names)[*n])
			goto oom;
		(*n)++;
	}
	rc = 0;
	goto out;
oom:
	bucket_names_free(*names, *n);
	*names = NULL;
	*n = 0;
	err_set(e, ERR_S3_CLIENT, "out of memory");
out:
	xmlFreeDoc(doc);
	buf_free(&x.sink.body);
	return rc;
}

const struct bucket_ops bucket_sigv4_ops = {
	.name = "s3-v4",
	.open = sv4_open,
	.close = sv4_close,
	.put = sv4_put,
	.get = sv4_get,
	.list = sv4_list,
	.del = sv4_del,
	.create = sv4_create,
	.remove = sv4_remove,
	.buckets = sv4_buckets,
};
