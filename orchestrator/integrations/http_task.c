/* http_task — Parameters → one libcurl request → the HTTP Task's result.
 *
 * Why it looks the way it does:
 * - Every byte from outside has a cap: the response body (max_response),
 *   the response headers (HEADERS_CAP), an OAuth token answer
 *   (TOKEN_CAP); crossing one aborts the transfer from the callback, so
 *   memory stays bounded whatever the server sends.
 * - Redirects are not followed: a connection's API key header would travel
 *   to whatever host the Location names.
 * - Connections (and DNS answers) are reused across calls and threads
 *   through one curl share handle, locked per data kind. */
#include "http_task.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "buf.h"
#include "connection.h"
#include "curlx.h"
#include "http_request.h"

#define HEADERS_CAP (256u << 10)
#define TOKEN_CAP   (64u << 10)
#define URL_CAP     (64u << 10)

struct http_task {
	char home[4096];
	size_t max_request, max_response;
	long max_timeout_ms;
	struct curlx_share *share;
};

struct http_task *http_task_new(const struct http_task_config *cfg, struct err *e)
{
	struct http_task *ht;

	if (curlx_global_init()) {
		err_set(e, ERR_STATES_RUNTIME, "curl_global_init failed");
		return NULL;
	}
	ht = calloc(1, sizeof *ht);
	if (!ht) {
		err_set(e, ERR_STATES_RUNTIME, "out of memory");
		return NULL;
	}
	snprintf(ht->home, sizeof ht->home, "%s", cfg->home ? cfg->home : "");
	ht->max_request = cfg->max_request ? cfg->max_request : HTTP_TASK_DEFAULT_CAP;
	ht->max_response = cfg->max_response ? cfg->max_response : HTTP_TASK_DEFAULT_CAP;
	ht->max_timeout_ms = cfg->max_timeout_ms > 0 ? cfg->max_timeout_ms : HTTP_TASK_MAX_TIMEOUT_MS;
	ht->share = curlx_share_new();
	if (!ht->share) {
		err_set(e, ERR_STATES_RUNTIME, "out of memory (curl share)");
		http_task_free(ht);
		return NULL;
	}
	return ht;
}

void http_task_free(struct http_task *ht)
{
	if (!ht)
		return;
	curlx_share_free(ht->share);
	free(ht);
}

bool http_task_matches(const char *resource)
{
	return resource && !strcmp(resource, HTTP_TASK_RESOURCE);
}

/* ---- transfers ---- */

struct resp {
	struct curlx_sink sink;   /* the body, capped */
	json_t *headers;          /* name → [values] */
	size_t header_bytes;
	bool headers_over_cap;
	char status_text[128];
};

static void trim(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static size_t on_header(char *p, size_t sz, size_t n, void *arg)
{
	struct resp *r = arg;
	size_t len = sz * n, kl, vl;
	const char *colon, *v;
	char name[256];
	json_t *arr, *sv;

	r->header_bytes += len;
	if (r->header_bytes > HEADERS_CAP) {
		r->headers_over_cap = true;
		return 0;
	}
	if (len >= 5 && !strncmp(p, "HTTP/", 5)) {
		/* A new status line (after a 1xx): start over. */
		const char *sp = memchr(p, ' ', len);
		const char *sp2 = sp ? memchr(sp + 1, ' ', len - (size_t)(sp + 1 - p)) : NULL;

		json_object_clear(r->headers);
		r->status_text[0] = '\0';
		if (sp2) {
			v = sp2 + 1;
			vl = len - (size_t)(v - p);
			trim(&v, &vl);
			snprintf(r->status_text, sizeof r->status_text, "%.*s", (int)vl, v);
		}
		return len;
	}
	colon = memchr(p, ':', len);
	if (!colon || colon == p || (size_t)(colon - p) >= sizeof name)
		return len;
	kl = (size_t)(colon - p);
	for (size_t i = 0; i < kl; i++)
		name[i] = (char)tolower((unsigned char)p[i]);
	name[kl] = '\0';
	v = colon + 1;
	vl = len - kl - 1;
	trim(&v, &vl);
	sv = json_stringn(v, vl);
	if (!sv)
		return len;   /* not UTF-8: leave it out */
	arr = json_object_get(r->headers, name);
	if (!arr) {
		arr = json_array();
		if (!arr || json_object_set_new(r->headers, name, arr)) {
			json_decref(sv);
			return len;
		}
	}
	json_array_append_new(arr, sv);
	return len;
}

static const char *reason(long code)
{
	static const struct { long code; const char *text; } t[] = {
		{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" }, { 204, "No Content" },
		{ 301, "Moved Permanently" }, { 302, "Found" }, { 304, "Not Modified" },
		{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
		{ 404, "Not Found" }, { 405, "Method Not Allowed" }, { 409, "Conflict" },
		{ 429, "Too Many Requests" }, { 500, "Internal Server Error" },
		{ 502, "Bad Gateway" }, { 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
	};

	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (t[i].code == code)
			return t[i].text;
	return "";
}

static long remaining_ms(uint64_t deadline_ns, long cap, bool *deadline_limits)
{
	struct timespec ts;
	uint64_t now;
	long ms;

	*deadline_limits = false;
	if (!deadline_ns)
		return cap;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (now >= deadline_ns) {
		*deadline_limits = true;
		return 0;
	}
	ms = (long)((deadline_ns - now + 999999) / 1000000);
	if (ms <= cap) {
		*deadline_limits = true;
		return ms;
	}
	return cap;
}

struct xfer_in {
	const char *method;
	const char *url;
	struct curl_slist *headers;
	const char *body;          /* NULL: none */
	size_t body_len;
	const char *userpwd;       /* Basic credentials, or NULL */
	uint64_t deadline_ns;
	size_t cap;
};

/* Run one request. 0 with *status, or -1 with a named error. */
static int transfer(struct http_task *ht, const struct xfer_in *in, struct resp *r, long *status,
		    struct err *e)
{
	bool by_deadline;
	long ms = remaining_ms(in->deadline_ns, ht->max_timeout_ms, &by_deadline);
	CURL *c;
	CURLcode cc;
	int rc = -1;

	if (!ms)
		return err_set(e, ERR_STATES_TIMEOUT, "the task's deadline passed before the HTTP request");
	buf_init(&r->sink.body, in->cap);
	c = curlx_easy(ht->share, in->url, ms, &r->sink, on_header, r);
	if (!c)
		return err_set(e, ERR_STATES_RUNTIME, "curl_easy_init failed");
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, in->headers);
	if (in->userpwd) {
		curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(c, CURLOPT_USERPWD, in->userpwd);
	}
	if (!strcmp(in->method, "HEAD"))
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	else if (strcmp(in->method, "GET") || in->body)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, in->method);
	if (in->body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)in->body_len);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, in->body);
	}
	cc = curl_easy_perform(c);
	if (cc == CURLE_WRITE_ERROR && r->sink.over_cap)
		err_set(e, ERR_STATES_DATA_LIMIT, "the HTTP response body is over the %zu-byte limit", in->cap);
	else if (cc == CURLE_WRITE_ERROR && r->headers_over_cap)
		err_set(e, ERR_STATES_DATA_LIMIT, "the HTTP response headers are over %u bytes", HEADERS_CAP);
	else if (cc == CURLE_OPERATION_TIMEDOUT && by_deadline)
		err_set(e, ERR_STATES_TIMEOUT, "the task's deadline passed during the HTTP request");
	else if (cc == CURLE_OPERATION_TIMEDOUT)
		err_set(e, ERR_STATES_HTTP_SOCKET, "the HTTP request timed out after %ld ms", ms);
	else if (cc != CURLE_OK)
		err_set(e, ERR_STATES_HTTP_SOCKET, "%s", curl_easy_strerror(cc));
	else
		rc = 0;
	if (!rc)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	curl_easy_cleanup(c);
	return rc;
}

/* Bearer token of an OAuth connection: the fixed AccessToken, or one
 * fetched with the client-credentials grant (not cached: tokens are asked
 * for per call, which keeps no secret in memory between calls). */
static int oauth_token(struct http_task *ht, const struct connection *c, uint64_t deadline_ns,
		       struct buf *token, struct err *e)
{
	struct curl_slist *hl = NULL;
	struct buf url, form, userpwd;
	struct resp r = { 0 };
	json_t *doc = NULL, *tok;
	long status = 0;
	int rc = -1;

	if (c->access_token)
		return buf_puts(token, c->access_token) ? err_set(e, ERR_STATES_RUNTIME, "out of memory") : 0;
	buf_init(&url, URL_CAP);
	buf_init(&form, URL_CAP);
	buf_init(&userpwd, 4096);
	r.headers = json_object();
	{
		json_t *gt = json_string("client_credentials");

		if (!gt || http_request_form_pair(&form, "grant_type", gt))
			rc = -2;
		json_decref(gt);
	}
	for (size_t i = 0; rc != -2 && i < c->oauth_body.n; i++) {
		json_t *sv = json_string(c->oauth_body.v[i].value);

		if (!sv || http_request_form_pair(&form, c->oauth_body.v[i].key, sv))
			rc = -2;
		json_decref(sv);
	}
	if (rc == -2 || buf_puts(&url, c->oauth_endpoint) ||
	    buf_printf(&userpwd, "%s:%s", c->client_id, c->client_secret) ||
	    http_request_add_header(&hl, "Content-Type", "application/x-www-form-urlencoded") ||
	    http_request_add_header(&hl, "Accept", "application/json") || !r.headers) {
		err_set(e, ERR_STATES_RUNTIME, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < c->oauth_query.n; i++) {
		json_t *sv = json_string(c->oauth_query.v[i].value);
		struct buf q;

		buf_init(&q, URL_CAP);
		if (!sv || http_request_form_pair(&q, c->oauth_query.v[i].key, sv) ||
		    buf_printf(&url, "%s%s", strchr(url.data, '?') ? "&" : "?", q.data)) {
			json_decref(sv);
			buf_free(&q);
			err_set(e, ERR_STATES_RUNTIME, "the token URL is too long");
			goto out;
		}
		json_decref(sv);
		buf_free(&q);
	}
	for (size_t i = 0; i < c->oauth_headers.n; i++)
		if (http_request_add_header(&hl, c->oauth_headers.v[i].key, c->oauth_headers.v[i].value)) {
			err_set(e, ERR_STATES_RUNTIME, "out of memory");
			goto out;
		}
	{
		struct xfer_in in = { .method = c->oauth_method, .url = url.data, .headers = hl,
				      .body = strcmp(c->oauth_method, "GET") ? form.data : NULL,
				      .body_len = form.len, .userpwd = userpwd.data,
				      .deadline_ns = deadline_ns, .cap = TOKEN_CAP };

		if (transfer(ht, &in, &r, &status, e))
			goto out;
	}
	doc = r.sink.body.len ? json_loadb(r.sink.body.data, r.sink.body.len, 0, NULL) : NULL;
	tok = json_object_get(doc, "access_token");
	if (status / 100 != 2 || !json_is_string(tok) || !*json_string_value(tok) ||
	    strpbrk(json_string_value(tok), "\r\n")) {
		err_set(e, ERR_STATES_TASK_FAILED, "connection '%s': the OAuth token request answered %ld without an access_token", c->name, status);
		goto out;
	}
	if (buf_puts(token, json_string_value(tok))) {
		err_set(e, ERR_STATES_RUNTIME, "out of memory");
		goto out;
	}
	rc = 0;
out:
	json_decref(doc);
	json_decref(r.headers);
	buf_free(&r.sink.body);
	curl_slist_free_all(hl);
	buf_free(&url);
	buf_free(&form);
	buf_free(&userpwd);
	return rc;
}

static bool is_json_type(const json_t *headers)
{
	const char *ct = json_string_value(json_array_get(json_object_get(headers, "content-type"), 0));
	size_t n;

	if (!ct)
		return false;
	n = strcspn(ct, ";");
	while (n && isspace((unsigned char)ct[n - 1]))
		n--;
	return (n == 16 && !strncasecmp(ct, "application/json", 16)) ||
	       (n > 5 && !strncasecmp(ct + n - 5, "+json", 5));
}

/* The message of States.Http.StatusCode.NNN: the result as JSON text,
 * with the body shortened (as a string) when the whole does not fit. */
static void status_cause(json_t *result, struct err *e)
{
	char *text = json_dumps(result, JSON_COMPACT);
	json_t *short_res;

	if (text && strlen(text) < sizeof e->msg) {
		snprintf(e->msg, sizeof e->msg, "%s", text);
		free(text);
		return;
	}
	free(text);
	short_res = json_copy(result);
	text = json_dumps(json_object_get(result, "ResponseBody"), JSON_COMPACT | JSON_ENCODE_ANY);
	if (short_res && text) {
		size_t keep = sizeof e->msg / 2;

		json_object_del(short_res, "Headers");
		while (keep > 16 && (text[keep] & 0xC0) == 0x80)
			keep--;   /* cut on a UTF-8 boundary */
		text[keep < strlen(text) ? keep : strlen(text)] = '\0';
		json_object_set_new(short_res, "ResponseBody", json_string(text));
		free(text);
		text = json_dumps(short_res, JSON_COMPACT);
	}
	snprintf(e->msg, sizeof e->msg, "%s", text ? text : "{}");
	free(text);
	json_decref(short_res);
}

int http_task_invoke(struct http_task *ht, const json_t *params, uint64_t deadline_ns,
		     json_t **result, struct err *e)
{
	struct connection *conn = NULL;
	struct curl_slist *hl = NULL;
	struct buf url, body, token, userpwd;
	struct resp r = { 0 };
	json_t *res = NULL, *rb = NULL;
	struct http_spec s;
	bool has_body = false;
	long status = 0;
	int rc = -1;

	*result = NULL;
	buf_init(&url, URL_CAP);
	buf_init(&body, ht->max_request);
	buf_init(&token, 16384);
	buf_init(&userpwd, 4096);
	if (http_request_parse(params, &s, e))
		goto out;
	if (s.conn_arn && !(conn = connection_load(ht->home, s.conn_arn, e)))
		goto out;
	if (http_request_body(&s, conn, &body, &has_body, e))
		goto out;
	if (http_request_url(&s, conn, &url, e) || http_request_headers(&s, conn, has_body, &hl, e))
		goto out;
	if (conn && conn->auth == CONNECTION_API_KEY && http_request_add_header(&hl, conn->api_key_name, conn->api_key_value)) {
		err_set(e, ERR_STATES_RUNTIME, "out of memory");
		goto out;
	}
	if (conn && conn->auth == CONNECTION_BASIC &&
	    buf_printf(&userpwd, "%s:%s", conn->username, conn->password)) {
		err_set(e, ERR_STATES_HTTP_CONN_INVALID, "connection '%s': credentials too long", conn->name);
		goto out;
	}
	if (conn && conn->auth == CONNECTION_OAUTH) {
		struct buf h;

		if (oauth_token(ht, conn, deadline_ns, &token, e))
			goto out;
		buf_init(&h, 20000);
		if (buf_printf(&h, "Bearer %s", token.data) || http_request_add_header(&hl, "Authorization", h.data)) {
			buf_free(&h);
			err_set(e, ERR_STATES_RUNTIME, "the OAuth token is too long");
			goto out;
		}
		buf_free(&h);
	}
	r.headers = json_object();
	if (!r.headers) {
		err_set(e, ERR_STATES_RUNTIME, "out of memory");
		goto out;
	}
	{
		struct xfer_in in = { .method = s.method, .url = url.data, .headers = hl,
				      .body = has_body ? (body.data ? body.data : "") : NULL,
				      .body_len = body.len, .userpwd = userpwd.len ? userpwd.data : NULL,
				      .deadline_ns = deadline_ns, .cap = ht->max_response };

		if (transfer(ht, &in, &r, &status, e))
			goto out;
	}
	if (is_json_type(r.headers) && r.sink.body.len)
		rb = json_loadb(r.sink.body.data, r.sink.body.len, JSON_DECODE_ANY, NULL);
	if (!rb)
		rb = json_stringn(r.sink.body.data ? r.sink.body.data : "", r.sink.body.len);
	if (!rb) {
		err_set(e, ERR_STATES_TASK_FAILED, "the HTTP response body (%zu bytes, status %ld) is not UTF-8 text", r.sink.body.len, status);
		goto out;
	}
	res = json_object();
	if (!res || json_object_set_new(res, "ResponseBody", rb) ||
	    json_object_set_new(res, "StatusCode", json_integer(status)) ||
	    json_object_set_new(res, "StatusText", json_string(r.status_text[0] ? r.status_text : reason(status))) ||
	    json_object_set(res, "Headers", r.headers)) {
		rb = NULL;
		err_set(e, ERR_STATES_RUNTIME, "out of memory");
		goto out;
	}
	rb = NULL;
	if (status >= 400) {
		char name[ERR_TYPE_MAX];

		snprintf(name, sizeof name, "States.Http.StatusCode.%ld", status);
		err_setn(e, name, "%s", "");
		status_cause(res, e);
		goto out;
	}
	*result = res;
	res = NULL;
	rc = 0;
out:
	json_decref(rb);
	json_decref(res);
	json_decref(r.headers);
	buf_free(&r.sink.body);
	curl_slist_free_all(hl);
	connection_free(conn);
	/* The token and credentials are secrets: wipe before freeing. */
	if (token.data)
		memset(token.data, 0, token.alloc);
	if (userpwd.data)
		memset(userpwd.data, 0, userpwd.alloc);
	buf_free(&token);
	buf_free(&userpwd);
	buf_free(&url);
	buf_free(&body);
	return rc;
}
