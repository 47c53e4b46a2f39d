/* http — the listener and router of `tutti serve` (http.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include "buf.h"
#include "http.h"
#include "service.h"
#include "sigv4.h"

/* A chunked body past its cap is read and dropped (libmicrohttpd cannot
 * answer in the middle of an upload), up to this much; then the
 * connection is cut. */
#define DISCARD_MAX (16u * 1024 * 1024)

struct route {
	char method[16];
	char path[256];
	size_t plen;
	bool prefix;
	http_handler_fn fn;
	void *arg;
	size_t body_max;
	const struct http_stream_route *stream;   /* a streaming route (http_route_stream) */
	bool public;             /* answered without a signature (http_route_public) */
};

struct http_server {
	struct http_options o;
	int lfd;
	unsigned port;
	char url[HTTP_LISTEN_MAX + 16];
	struct route routes[HTTP_ROUTES_MAX];
	size_t nroutes;
	struct MHD_Daemon *d;
	bool stopped;
	pthread_mutex_t mu;
	pthread_cond_t idle;
	unsigned inflight;       /* requests between their headers and their end (mu) */
	struct sigv4_keys *keys; /* credentials: SigV4 required */
};

/* One request (libmicrohttpd's con_cls). */
struct req {
	const struct route *route;
	struct buf body;
	bool over;               /* the body crossed its cap: answer 413 */
	size_t dropped;
	bool started;            /* the headers were seen (and counted in inflight) */
	unsigned status;         /* no route: 404 or 405, answered once the body is in */
	char allow[64];
	char *uri;               /* the request target as sent */
	void *stream_state;      /* a streaming route's per-request pointer */
};

void http_options_init(struct http_options *o)
{
	memset(o, 0, sizeof *o);
	o->listen = HTTP_DEFAULT_LISTEN;
}

const char *http_header(const struct http_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_query(const struct http_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int http_response_header(struct http_response *resp, const char *name, const char *value)
{
	size_t old = resp->headers ? strlen(resp->headers) : 0, n;
	char *h;

	if (strpbrk(name, "\r\n:") || strpbrk(value, "\r\n"))
		return -1;
	n = old + strlen(name) + strlen(value) + 4;
	h = realloc(resp->headers, n);
	if (!h)
		return -1;
	snprintf(h + old, n - old, "%s: %s\n", name, value);
	resp->headers = h;
	return 0;
}

static int json_response(struct http_response *resp, unsigned status, json_t *doc, const char *ctype)
{
	char *s = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(13));

	if (!s)
		return -1;
	free(resp->body);
	resp->status = status;
	resp->content_type = ctype;
	resp->body = s;
	resp->len = strlen(s);
	return 0;
}

int http_error_response(struct http_response *resp, unsigned status, const char *type, const char *msg)
{
	json_t *doc = json_pack("{s:s,s:s}", "__type", type, "message", msg);
	int rc;

	if (!doc) /* type or msg not UTF-8 */
		doc = json_pack("{s:s,s:s}", "__type", err_name(ERR_HTTP_INTERNAL), "message",
				"the error's text is not UTF-8");
	rc = doc ? json_response(resp, status, doc, "application/json") : -1;
	json_decref(doc);
	return rc;
}

int http_rest_error(struct http_response *resp, unsigned status, const char *type, const char *msg)
{
	json_t *doc = json_pack("{s:s,s:s,s:s}", "__type", type, "message", msg, "Message", msg);
	int rc;

	if (!doc)
		return http_error_response(resp, status, type, msg);
	rc = json_response(resp, status, doc, "application/json");
	json_decref(doc);
	return rc || http_response_header(resp, "X-Amzn-ErrorType", type) ? -1 : 0;
}

/* ---- the built-in routes ---------------------------------------------- */

static int health(void *arg, const struct http_request *req, struct http_response *resp)
{
	json_t *doc = json_pack("{s:s}", "status", "ok");
	int rc;

	(void)arg;
	(void)req;
	rc = doc ? json_response(resp, 200, doc, "application/json") : -1;
	json_decref(doc);
	return rc;
}

static bool known_target(const char *target)
{
	for (const char *const *t = svc_targets(); t && *t; t++)
		if (!strcmp(*t, target))
			return true;
	return false;
}

/* The media type's version: "1.0", "1.1", or NULL when it is not AWS JSON
 * (application/json is taken as 1.0: curl and scripts send it). */
static const char *aws_json_version(const char *ctype)
{
	size_t n;

	if (!ctype)
		return NULL;
	n = strcspn(ctype, "; \t");
	if (n == strlen("application/x-amz-json-1.0") && !strncasecmp(ctype, "application/x-amz-json-1.", 25) &&
	    (ctype[25] == '0' || ctype[25] == '1'))
		return ctype[25] == '0' ? "1.0" : "1.1";
	if (n == strlen("application/json") && !strncasecmp(ctype, "application/json", n))
		return "1.0";
	return NULL;
}

/* POST /: the AWS JSON protocol. */
int http_aws_json(void *svc, const struct http_request *req, struct http_response *resp)
{
	const char *target = http_header(req, "X-Amz-Target");
	const char *ver = aws_json_version(http_header(req, "Content-Type"));
	const char *ctype;
	struct err e = { 0 };
	json_t *body = NULL, *out = NULL;
	json_error_t je;
	char msg[256];
	int rc = -1;

	if (!ver)
		return http_error_response(resp, 415, err_name(ERR_HTTP_UNSUPPORTED_MEDIA),
					   "the body must be application/x-amz-json-1.0 or 1.1");
	ctype = !strcmp(ver, "1.1") ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0";
	if (!target || !*target)
		return http_error_response(resp, 400, err_name(ERR_HTTP_UNKNOWN_OPERATION),
					   "missing X-Amz-Target header");
	if (!known_target(target)) {
		snprintf(msg, sizeof msg, "unknown operation '%.200s'", target);
		return http_error_response(resp, 400, err_name(ERR_HTTP_UNKNOWN_OPERATION), msg);
	}
	/* An empty body is an empty request, as some SDKs send for no input. */
	body = req->len ? json_loadb(req->body, req->len, 0, &je) : json_object();
	if (!body) {
		snprintf(msg, sizeof msg, "the body is not valid JSON: %s (at byte %d)", je.text, je.position);
		rc = http_error_response(resp, 400, err_name(ERR_HTTP_SERIALIZATION), msg);
		goto out;
	}
	if (!json_is_object(body)) {
		rc = http_error_response(resp, 400, err_name(ERR_HTTP_SERIALIZATION),
					 "the body must be a JSON object");
		goto out;
	}
	if (svc_call(svc, target, body, &out, &e)) {
		unsigned st = (unsigned)svc_http_status(&e);

		char full[ERR_TYPE_MAX + 64];
		const char *ns;

		if (!e.type[0])
			snprintf(e.type, sizeof e.type, "%s", err_name(ERR_HTTP_INTERNAL));
		/* "com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist", as AWS */
		ns = svc_error_namespace(target, e.type);
		if (ns)
			snprintf(full, sizeof full, "%s#%s", ns, e.type);
		rc = http_error_response(resp, st >= 400 && st < 600 ? st : 500, ns ? full : e.type, e.msg);
		goto out;
	}
	if (!out)
		out = json_object();
	rc = json_response(resp, 200, out, ctype);
	if (rc)
		rc = http_error_response(resp, 500, err_name(ERR_HTTP_INTERNAL), "cannot encode the response");
out:
	json_decref(body);
	json_decref(out);
	return rc;
}

/* ---- routing ------------------------------------------------------------- */

int http_route(struct http_server *h, const char *method, const char *path, http_handler_fn fn, void *arg,
	       size_t body_max, struct err *e)
{
	struct route *r;
	size_t n = path ? strlen(path) : 0;

	if (h->d)
		return err_set(e, ERR_INVALID_PARAMETER, "http_route after http_start");
	if (h->nroutes == HTTP_ROUTES_MAX)
		return err_set(e, ERR_INVALID_PARAMETER, "too many HTTP routes (max %d)", HTTP_ROUTES_MAX);
	if (!method || !*method || strlen(method) >= sizeof r->method || !n || path[0] != '/' ||
	    n >= sizeof r->path || !fn)
		return err_set(e, ERR_INVALID_PARAMETER, "bad HTTP route '%s %s'", method ? method : "",
			       path ? path : "");
	r = &h->routes[h->nroutes++];
	snprintf(r->method, sizeof r->method, "%s", method);
	r->prefix = path[n - 1] == '*';
	r->plen = n - r->prefix;
	memcpy(r->path, path, r->plen);
	r->path[r->plen] = '\0';
	r->fn = fn;
	r->arg = arg;
	r->body_max = body_max;
	return 0;
}

int http_route_public(struct http_server *h, const char *method, const char *path, http_handler_fn fn, void *arg,
		      size_t body_max, struct err *e)
{
	if (http_route(h, method, path, fn, arg, body_max, e))
		return -1;
	h->routes[h->nroutes - 1].public = true;
	return 0;
}

bool http_auth_required(const struct http_server *h)
{
	return h->keys != NULL;
}

int http_route_stream(struct http_server *h, const struct http_stream_route *sr, struct err *e)
{
	if (!sr || !sr->handle)
		return err_set(e, ERR_INVALID_PARAMETER, "bad streaming HTTP route");
	/* fn is a placeholder: on_request calls sr->handle for this route. */
	if (http_route(h, sr->method, sr->path, health, sr->arg, 0, e))
		return -1;
	h->routes[h->nroutes - 1].stream = sr;
	return 0;
}

static bool path_matches(const struct route *r, const char *path)
{
	return r->prefix ? !strncmp(path, r->path, r->plen) : !strcmp(path, r->path);
}

/* The route for (method, path); NULL with *status 404 or 405 (allow: the
 * methods the path takes). */
static const struct route *find(const struct http_server *h, void *conn, const char *method, const char *path,
				unsigned *status, char *allow, size_t allow_size)
{
	size_t used = 0;

	*status = 404;
	allow[0] = '\0';
	for (size_t i = 0; i < h->nroutes; i++) {
		const struct route *r = &h->routes[i];

		if (!path_matches(r, path))
			continue;
		if (r->stream && r->stream->claims && !r->stream->claims(r->stream->arg, conn, method, path))
			continue;
		if (!strcmp(r->method, "*") || !strcmp(r->method, method))
			return r;
		*status = 405;
		if (!strstr(allow, r->method) && used + strlen(r->method) + 3 < allow_size)
			used += (size_t)snprintf(allow + used, allow_size - used, "%s%s", used ? ", " : "",
						 r->method);
	}
	return NULL;
}

/* ---- libmicrohttpd's callbacks --------------------------------------------- */

static enum MHD_Result reply(struct MHD_Connection *c, struct http_response *resp, const char *allow)
{
	struct MHD_Response *r;
	enum MHD_Result ok;

	r = MHD_create_response_from_buffer(resp->len, resp->body ? resp->body : (char *)"",
					    resp->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(resp->headers);
		resp->headers = NULL;
		return MHD_NO;
	}
	resp->body = NULL;  /* libmicrohttpd frees it */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				resp->content_type ? resp->content_type : "application/json");
	if (allow && *allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	for (char *h = resp->headers, *nl; h && *h; h = nl + 1) {
		char *colon = strchr(h, ':');

		nl = strchr(h, '\n');
		if (!nl || !colon || colon > nl)
			break;
		*colon = *nl = '\0';
		MHD_add_response_header(r, h, colon + 2);
	}
	free(resp->headers);
	resp->headers = NULL;
	ok = MHD_queue_response(c, resp->status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, enum err_code code, const char *msg,
				  const char *allow)
{
	struct http_response resp = { 0 };

	if (http_error_response(&resp, status, err_name(code), msg))
		return MHD_NO;
	return reply(c, &resp, allow);
}

/* A request target in absolute form ("http://sync-127.0.0.1:8080/", what a
 * client sends through a proxy) as its path: RFC 9112 §3.2.2 has servers
 * accept it. The AWS CLI puts a host prefix ("sync-") before the endpoint's
 * host for StartSyncExecution and TestState; with HTTP_PROXY set to the
 * endpoint such requests reach tutti in this form (docs/api.md). */
static const char *origin_form(const char *url)
{
	const char *p;

	if (strncasecmp(url, "http://", 7) && strncasecmp(url, "https://", 8))
		return url;
	p = strchr(url + (url[4] == ':' ? 7 : 8), '/');
	return p ? p : "/";
}

/* The request target as sent, before libmicrohttpd decodes it (SigV4
 * signs it): the first thing known of a request, so its struct req is
 * made here. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct req *q = calloc(1, sizeof *q);

	(void)cls;
	(void)c;
	if (q)
		q->uri = strdup(origin_form(uri ? uri : "/"));
	return q;
}

static const char *header_of(void *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* Which protocol a request speaks, for answering it before any handler:
 * the JSON APIs by their target or their paths, S3 for everything else. */
static bool speaks_s3(struct MHD_Connection *c, const char *url)
{
	static const char *const json_paths[] = { "/2015-03-31/", "/2018-10-31/", "/2017-03-31/",
						  "/2016-08-19/", "/2019-09-25/", "/schedules",
						  "/schedule-groups", "/tags/", "/health", "/console/", NULL };

	if (header_of(c, "X-Amz-Target"))
		return false;
	for (size_t i = 0; json_paths[i]; i++)
		if (!strncmp(url, json_paths[i], strlen(json_paths[i])))
			return false;
	return true;
}

/* An authentication failure, in the shape of the API (S3: XML). */
static enum MHD_Result send_auth_error(struct MHD_Connection *c, unsigned status, const struct err *e, bool s3)
{
	struct http_response resp = { 0 };

	if (s3) {
		struct buf b;

		buf_init(&b, 4096);
		buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>");
		buf_puts(&b, e->type);
		buf_puts(&b, "</Code><Message>");
		for (const char *m = e->msg; *m; m++)
			buf_puts(&b, *m == '<' ? "&lt;" : *m == '>' ? "&gt;" : *m == '&' ? "&amp;" :
				     (char[]){ *m, 0 });
		buf_puts(&b, "</Message></Error>");
		resp.status = status;
		resp.content_type = "application/xml";
		resp.len = b.len;
		resp.body = buf_take(&b);
		if (!resp.body)
			return MHD_NO;
	} else if (http_rest_error(&resp, status, e->type, e->msg)) {
		free(resp.body);
		free(resp.headers);
		return MHD_NO;
	}
	return reply(c, &resp, NULL);
}

/* Whether host (a Host header's name, without its port) names this
 * machine's loopback: 127.0.0.0/8, [::1], [::ffff:127.x.y.z], localhost,
 * NAME.localhost, or any of them after a "PREFIX-" (the AWS CLI's host
 * prefixes: "sync-127.0.0.1"). A numeric last label cannot be a domain
 * anyone registers, so no outside name resolves to one of these. */
static bool loopback_host(const char *host, size_t n)
{
	char v[256];
	unsigned a, b, cc, d;
	char tail;
	const char *dash;

	if (n >= sizeof v || !n)
		return false;
	memcpy(v, host, n);
	v[n] = '\0';
	if (!strcasecmp(v, "localhost") || (n > 10 && !strcasecmp(v + n - 10, ".localhost")) ||
	    !strcmp(v, "[::1]") || !strncasecmp(v, "[::ffff:127.", 12))
		return true;
	dash = strrchr(v, '-');
	if (sscanf(dash ? dash + 1 : v, "%3u.%3u.%3u.%3u%c", &a, &b, &cc, &d, &tail) == 4)
		return a == 127 && b < 256 && cc < 256 && d < 256;
	return false;
}

/* What keeps a web page in the user's browser from using the server:
 *   - DNS rebinding: without credentials (a loopback listener), a request
 *     must be addressed to a loopback name (Host), else a page of
 *     evil.example whose name was re-pointed at 127.0.0.1 could read and
 *     drive every API as a same-origin page;
 *   - cross-site requests: a request that may change something (not GET,
 *     HEAD or OPTIONS) that carries an Origin must come from this server's
 *     own origin (http://HOST), else any page could POST a "simple"
 *     request (a form, text/plain) to invoke a function.
 * false with the reason in msg. */
static bool browser_guard(const struct http_server *h, struct MHD_Connection *c, const char *method, char *msg,
			  size_t msgn)
{
	const char *host = header_of(c, "Host"), *origin = header_of(c, "Origin");
	size_t hn = 0;

	if (host) {
		const char *colon = host[0] == '[' ? strchr(host, ']') : strchr(host, ':');

		hn = colon ? (size_t)(colon - host) + (host[0] == '[') : strlen(host);
		if (!h->keys && !loopback_host(host, hn)) {
			snprintf(msg, msgn,
				 "Host '%.100s' is not a loopback name: without credentials tutti serve answers only "
				 "requests addressed to 127.0.0.1, [::1] or localhost",
				 host);
			return false;
		}
	}
	if (origin && strcmp(method, "GET") && strcmp(method, "HEAD") && strcmp(method, "OPTIONS")) {
		if (!host || strncasecmp(origin, "http://", 7) || strcasecmp(origin + 7, host)) {
			snprintf(msg, msgn, "a request from the page of '%.100s' may not change anything here: "
				 "only the server's own pages (http://%.100s) may", origin, host ? host : "?");
			return false;
		}
	}
	return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct http_server *h = cls;
	struct req *q = *con_cls;
	struct http_response resp = { 0 };
	struct http_request hr;
	char msg[512];
	enum MHD_Result ok;

	(void)version;
	url = origin_form(url);
	if (!q) {
		q = on_uri(h, url, c);
		if (!q)
			return MHD_NO;
		*con_cls = q;
	}
	if (!q->started) {
		/* The headers are in: route, check the declared length. */
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		size_t cap;

		q->started = true;
		pthread_mutex_lock(&h->mu);
		h->inflight++;
		pthread_mutex_unlock(&h->mu);
		if (!q->uri)
			return MHD_NO;
		q->route = find(h, c, method, url, &q->status, q->allow, sizeof q->allow);
		if (!(q->route && q->route->fn == health && !q->route->stream) && !browser_guard(h, c, method, msg, sizeof msg)) {
			struct http_response deny = { 0 };

			if (http_error_response(&deny, 403, "AccessDeniedException", msg))
				return MHD_NO;
			return reply(c, &deny, NULL);
		}
		/* An unrouted request is answered once its body is in, after its
		 * signature is checked; without credentials at once. */
		if (!q->route && !h->keys) {
			snprintf(msg, sizeof msg, q->status == 405 ? "%s is not allowed on %.300s" : "no route for %s %.300s",
				 method, url);
			return send_error(c, q->status, q->status == 405 ? ERR_HTTP_METHOD_NOT_ALLOWED : ERR_HTTP_NOT_FOUND,
					  msg, q->allow);
		}
		if (q->route && q->route->stream) {
			/* A streamed body (S3) is checked on its headers: its payload
			 * hash is taken as sent (STREAMING-*, UNSIGNED-PAYLOAD or a hex
			 * digest that is not recomputed over the stream). */
			if (h->keys) {
				struct sigv4_req sr = { .method = method, .uri = q->uri, .header = header_of,
							.ctx = c, .body = NULL, .len = 0, .now = time(NULL) };
				struct err e = { 0 };
				unsigned st = 403;
				bool s3 = true;

				if (sigv4_verify(h->keys, &sr, &st, &s3, &e)) {
					if (!strcmp(e.type, "MissingAuthenticationTokenException"))
						snprintf(e.type, sizeof e.type, "AccessDenied");
					else if (!strcmp(e.type, "IncompleteSignatureException"))
						snprintf(e.type, sizeof e.type, "AuthorizationHeaderMalformed");
					return send_auth_error(c, st, &e, true);
				}
			}
			return (enum MHD_Result)q->route->stream->handle(q->route->arg, c, url, method, upload,
									  upload_size, &q->stream_state);
		}
		cap = q->route && q->route->body_max ? q->route->body_max : h->o.body_max;
		buf_init(&q->body, cap);
		if (cl) {
			char *end;
			unsigned long long n;

			errno = 0;
			n = strtoull(cl, &end, 10);
			if (!errno && end != cl && !*end && n > cap) {
				snprintf(msg, sizeof msg, "the request body (%llu bytes) is larger than the limit (%zu bytes)",
					 n, cap);
				return send_error(c, 413, ERR_HTTP_REQUEST_TOO_LARGE, msg, NULL);
			}
		}
		return MHD_YES;
	}
	if (q->route && q->route->stream)
		return (enum MHD_Result)q->route->stream->handle(q->route->arg, c, url, method, upload, upload_size,
								  &q->stream_state);
	if (*upload_size) {
		if (!q->over && buf_append(&q->body, upload, *upload_size))
			q->over = true;
		if (q->over) {
			q->dropped += *upload_size;
			if (q->dropped > DISCARD_MAX)
				return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (q->over) {
		snprintf(msg, sizeof msg, "the request body is larger than the limit (%zu bytes)", q->body.cap);
		return send_error(c, 413, ERR_HTTP_REQUEST_TOO_LARGE, msg, NULL);
	}
	if (h->keys && !(q->route && (q->route->fn == health || q->route->public))) {
		struct sigv4_req sr = { .method = method, .uri = q->uri, .header = header_of, .ctx = c,
					.body = q->body.data ? q->body.data : "", .len = q->body.len,
					.now = time(NULL) };
		struct err e = { 0 };
		unsigned st = 403;
		bool s3 = false;

		if (sigv4_verify(h->keys, &sr, &st, &s3, &e)) {
			/* Refused before its scope was read: S3 by its path. */
			bool missing = !strcmp(e.type, "MissingAuthenticationTokenException");

			if (!s3 && (missing || !strcmp(e.type, "IncompleteSignatureException")) && speaks_s3(c, url)) {
				s3 = true;
				snprintf(e.type, sizeof e.type, missing ? "AccessDenied" : "AuthorizationHeaderMalformed");
			}
			return send_auth_error(c, st, &e, s3);
		}
	}
	if (!q->route) {
		snprintf(msg, sizeof msg, q->status == 405 ? "%s is not allowed on %.300s" : "no route for %s %.300s",
			 method, url);
		return send_error(c, q->status, q->status == 405 ? ERR_HTTP_METHOD_NOT_ALLOWED : ERR_HTTP_NOT_FOUND,
				  msg, q->allow);
	}
	hr.method = method;
	hr.path = url;
	hr.body = q->body.data ? q->body.data : "";
	hr.len = q->body.len;
	hr.conn = c;
	hr.uri = q->uri;
	if (q->route->fn(q->route->arg, &hr, &resp)) {
		free(resp.body);
		free(resp.headers);
		return MHD_NO;
	}
	if (!resp.status)
		resp.status = 200;
	ok = reply(c, &resp, NULL);
	free(resp.body);
	free(resp.headers);
	return ok;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode why)
{
	struct http_server *h = cls;
	struct req *q = *con_cls;

	(void)c;
	(void)why;
	if (!q)
		return;
	if (q->route && q->route->stream && q->route->stream->done)
		q->route->stream->done(q->route->arg, q->stream_state);
	buf_free(&q->body);
	free(q->uri);
	*con_cls = NULL;
	if (q->started) {
		pthread_mutex_lock(&h->mu);
		if (--h->inflight == 0)
			pthread_cond_broadcast(&h->idle);
		pthread_mutex_unlock(&h->mu);
	}
	free(q);
}

/* ---- the listening socket ---------------------------------------------------- */

/* "ADDR:PORT" or "[V6]:PORT" into a bound, listening socket. */
static int listen_on(struct http_server *h, const char *spec, struct err *e)
{
	char host[HTTP_LISTEN_MAX], port[8], shown[INET6_ADDRSTRLEN];
	struct addrinfo hints = { 0 }, *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	const char *colon = strrchr(spec, ':');
	char *end;
	unsigned long pn;
	int fd = -1, one = 1, rc = -1, g;
	size_t hl;

	if (!colon || strlen(spec) >= HTTP_LISTEN_MAX || !colon[1] || strlen(colon + 1) >= sizeof port)
		return err_set(e, ERR_INVALID_PARAMETER, "bad listen address '%s' (ADDR:PORT)", spec);
	errno = 0;
	pn = strtoul(colon + 1, &end, 10);
	if (errno || *end || pn > 65535)
		return err_set(e, ERR_INVALID_PARAMETER, "bad port in listen address '%s'", spec);
	snprintf(port, sizeof port, "%lu", pn);
	hl = (size_t)(colon - spec);
	if (hl >= 2 && spec[0] == '[' && spec[hl - 1] == ']')
		snprintf(host, sizeof host, "%.*s", (int)(hl - 2), spec + 1);
	else
		snprintf(host, sizeof host, "%.*s", (int)hl, spec);
	if (!host[0])
		snprintf(host, sizeof host, "127.0.0.1");
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	g = getaddrinfo(host, port, &hints, &ai);
	if (g)
		return err_set(e, ERR_INVALID_PARAMETER, "bad listen address '%s': %s", spec, gai_strerror(g));
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err_set(e, ERR_INVALID_PARAMETER, "socket for %s: %s", spec, strerror(errno));
		goto out;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, ai->ai_addr, ai->ai_addrlen)) {
		err_set(e, ERR_INVALID_PARAMETER, "cannot listen on %s: %s%s", spec, strerror(errno),
			errno == EADDRINUSE ? " (another process has this port; choose another with --listen)" : "");
		goto out;
	}
	if (listen(fd, 128) || getsockname(fd, (struct sockaddr *)&ss, &sl)) {
		err_set(e, ERR_INVALID_PARAMETER, "cannot listen on %s: %s", spec, strerror(errno));
		goto out;
	}
	if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;

		h->port = ntohs(a6->sin6_port);
		if (IN6_IS_ADDR_UNSPECIFIED(&a6->sin6_addr))
			snprintf(shown, sizeof shown, "::1");
		else
			inet_ntop(AF_INET6, &a6->sin6_addr, shown, sizeof shown);
		snprintf(h->url, sizeof h->url, "http://[%s]:%u", shown, h->port);
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;

		h->port = ntohs(a4->sin_port);
		if (a4->sin_addr.s_addr == htonl(INADDR_ANY))
			snprintf(shown, sizeof shown, "127.0.0.1");
		else
			inet_ntop(AF_INET, &a4->sin_addr, shown, sizeof shown);
		snprintf(h->url, sizeof h->url, "http://%s:%u", shown, h->port);
	}
	h->lfd = fd;
	fd = -1;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return rc;
}

/* Whether the bound socket is a loopback address; else -1 with e: without
 * credentials anyone who can reach the port could run code. */
static bool loopback_only(struct http_server *h, const char *spec, struct err *e)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	bool lo = false;

	if (!getsockname(h->lfd, (struct sockaddr *)&ss, &sl)) {
		if (ss.ss_family == AF_INET)
			lo = (ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr) >> 24) == 127;
		else if (ss.ss_family == AF_INET6)
			lo = IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)&ss)->sin6_addr);
	}
	if (!lo)
		err_set(e, ERR_INVALID_PARAMETER,
			"refusing to listen on %s without credentials: anyone who reaches it could run code; "
			"give --credentials FILE (or $TUTTI_HOME/credentials: aws_access_key_id and "
			"aws_secret_access_key, mode 0600) to require AWS Signature V4, or listen on 127.0.0.1",
			spec);
	return lo;
}

/* ---- life cycle ------------------------------------------------------------- */

int http_new(const struct http_options *o, struct http_server **out, struct err *e)
{
	struct http_server *h;

	*out = NULL;
	h = calloc(1, sizeof *h);
	if (!h)
		return err_set(e, ERR_HTTP_INTERNAL, "out of memory");
	h->o = *o;
	h->o.listen = NULL;
	h->lfd = -1;
	if (!h->o.max_conns)
		h->o.max_conns = HTTP_DEFAULT_CONNS;
	if (!h->o.timeout_s)
		h->o.timeout_s = HTTP_DEFAULT_TIMEOUT;
	if (!h->o.body_max)
		h->o.body_max = SVC_REQUEST_MAX;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->idle, NULL);
	if (o->credentials && sigv4_load(o->credentials, &h->keys, e)) {
		http_free(h);
		return -1;
	}
	if (listen_on(h, o->listen ? o->listen : HTTP_DEFAULT_LISTEN, e) ||
	    (!h->keys && !loopback_only(h, o->listen ? o->listen : HTTP_DEFAULT_LISTEN, e)) ||
	    http_route(h, "GET", "/health", health, h, 0, e)) {
		http_free(h);
		return -1;
	}
	*out = h;
	return 0;
}

int http_start(struct http_server *h, struct err *e)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC;
	unsigned pool = h->o.threads;

	if (h->d || h->stopped)
		return err_set(e, ERR_INVALID_PARAMETER, "http_start: already started");
	if (!pool)
		flags |= MHD_USE_THREAD_PER_CONNECTION;
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
				MHD_OPTION_LISTEN_SOCKET, h->lfd,
				MHD_OPTION_CONNECTION_LIMIT, h->o.max_conns,
				MHD_OPTION_CONNECTION_TIMEOUT, h->o.timeout_s,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONN_MEMORY,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
				MHD_OPTION_URI_LOG_CALLBACK, on_uri, h,
				pool ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, pool,
				MHD_OPTION_END);
	if (!h->d)
		return err_set(e, ERR_HTTP_INTERNAL, "cannot start the HTTP server on %s (libmicrohttpd refused)",
			       h->url);
	h->lfd = -1;  /* libmicrohttpd's now; http_stop takes it back (quiesce) */
	return 0;
}

unsigned http_port(const struct http_server *h)
{
	return h->port;
}

const char *http_url(const struct http_server *h)
{
	return h->url;
}

void http_stop(struct http_server *h)
{
	struct timespec until;
	int fd;

	if (!h || h->stopped)
		return;
	h->stopped = true;
	if (!h->d)
		return;
	/* No new connections; then the requests being handled finish. */
	fd = MHD_quiesce_daemon(h->d);
	if (fd >= 0)
		close(fd);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += HTTP_STOP_WAIT_MS / 1000;
	pthread_mutex_lock(&h->mu);
	while (h->inflight && pthread_cond_timedwait(&h->idle, &h->mu, &until) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&h->mu);
	MHD_stop_daemon(h->d);
	h->d = NULL;
}

void http_free(struct http_server *h)
{
	if (!h)
		return;
	http_stop(h);
	if (h->lfd >= 0)
		close(h->lfd);
	pthread_cond_destroy(&h->idle);
	pthread_mutex_destroy(&h->mu);
	sigv4_free(h->keys);
	free(h);
}
