/* console — the web console's routes on the port of `tutti serve`:
 *
 *   GET  /console                 301 to /console/
 *   GET  /console/                index.html; /console/FILE: a file of
 *                                 console/web (console_files.h), with its
 *                                 ETag (If-None-Match → 304)
 *   GET  /console/api/config      {"auth": bool, "region", "version"}
 *   POST /console/api/graph       {"definition": TEXT} or {"stateMachineArn"}
 *                                 → the state machine laid out by Graphviz
 *                                 as SVG (graph.h), or a JSON error
 *
 * The static files and the config are public (http_route_public): a
 * browser cannot sign a page load, and they hold no data. Everything the
 * page then asks for goes through the APIs' own routes, signed when the
 * server has credentials (the page signs with the keys the user types).
 * Every answer carries a Content-Security-Policy that allows only this
 * origin's scripts (no inline script, no eval), no framing and no
 * outside connections, so an execution's output shown in the page cannot
 * become script. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "console_files.h"
#include "graph.h"
#include "http.h"
#include "integ_loader.h"
#include "console.h"
#include "svc_internal.h"

#define CONSOLE_GRAPH_BODY_MAX (2u * 1024 * 1024)   /* a definition is at most 1 MiB, JSON-escaped */
#define CONSOLE_DEFINITION_MAX (1024u * 1024)           /* as CreateStateMachine */
#define CONSOLE_VERSION        "0.1.0"

static const char CSP[] = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
			  "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
			  "form-action 'self'";

static int secure_headers(struct http_response *resp)
{
	return http_response_header(resp, "Content-Security-Policy", CSP) ||
	       http_response_header(resp, "X-Content-Type-Options", "nosniff") ||
	       http_response_header(resp, "X-Frame-Options", "DENY") ||
	       http_response_header(resp, "Referrer-Policy", "no-referrer");
}

static const struct console_file *find_file(const char *path)
{
	size_t lo = 0, hi = console_nfiles;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(path, console_files[mid].path);

		if (!c)
			return &console_files[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int text_answer(struct http_response *resp, unsigned status, const char *type, const char *text)
{
	resp->status = status;
	resp->content_type = type;
	resp->body = strdup(text);
	resp->len = resp->body ? strlen(resp->body) : 0;
	return resp->body ? secure_headers(resp) : -1;
}

static int redirect(void *arg, const struct http_request *req, struct http_response *resp)
{
	(void)arg;
	(void)req;
	if (http_response_header(resp, "Location", "/console/"))
		return -1;
	return text_answer(resp, 301, "text/plain; charset=utf-8", "moved to /console/\n");
}

static int config(struct svc *s, struct http_server *h, struct http_response *resp)
{
	json_t *o = json_pack("{s:b, s:s, s:s}", "auth", http_auth_required(h), "region", s->region, "version",
			      CONSOLE_VERSION);
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	if (!text)
		return -1;
	resp->status = 200;
	resp->content_type = "application/json";
	resp->body = text;
	resp->len = strlen(text);
	return secure_headers(resp) || http_response_header(resp, "Cache-Control", "no-store");
}

struct console {
	struct svc *svc;
	struct http_server *h;
};

static int static_file(void *arg, const struct http_request *req, struct http_response *resp)
{
	struct console *c = arg;
	const char *rel = req->path + strlen("/console");   /* "/..." */
	const struct console_file *f;
	const char *inm;

	if (!strcmp(rel, "/api/config"))
		return config(c->svc, c->h, resp);
	f = find_file(!strcmp(rel, "/") ? "/index.html" : rel);
	if (!f)
		return text_answer(resp, 404, "text/plain; charset=utf-8", "no such console file\n");
	if (secure_headers(resp) || http_response_header(resp, "ETag", f->etag) ||
	    http_response_header(resp, "Cache-Control", "no-cache"))
		return -1;
	inm = http_header(req, "If-None-Match");
	if (inm && strstr(inm, f->etag)) {
		resp->status = 304;
		resp->content_type = f->type;
		return 0;
	}
	resp->status = 200;
	resp->content_type = f->type;
	if (!strcmp(req->method, "HEAD"))
		return 0;
	resp->body = malloc(f->len ? f->len : 1);
	if (!resp->body)
		return -1;
	memcpy(resp->body, f->data, f->len);
	resp->len = f->len;
	return 0;
}

static int json_error(struct http_response *resp, const struct err *e)
{
	return http_error_response(resp, (unsigned)svc_http_status(e), e->type, e->msg) || secure_headers(resp);
}

/* The definition of {"definition"} or of {"stateMachineArn"} (that
 * machine's current one, or the version's). */
static json_t *definition_of(struct svc *s, json_t *req, struct err *e)
{
	json_t *def = json_object_get(req, "definition"), *out;

	if (json_is_string(def)) {
		json_error_t je;

		if (json_string_length(def) > CONSOLE_DEFINITION_MAX) {
			err_setn(e, "ValidationException", "the definition is %zu bytes, over %u",
				 json_string_length(def), CONSOLE_DEFINITION_MAX);
			return NULL;
		}
		if (svc_sfn_check_definition(json_string_value(def), e))
			return NULL;
		out = json_loads(json_string_value(def), 0, &je);
		if (!out)
			err_setn(e, "InvalidDefinition", "the definition is not JSON: %s", je.text);
		return out;
	}
	if (json_is_string(json_object_get(req, "stateMachineArn"))) {
		json_t *q = json_pack("{s:O}", "stateMachineArn", json_object_get(req, "stateMachineArn")), *a = NULL;

		if (!q || svc_call(s, "AWSStepFunctions.DescribeStateMachine", q, &a, e)) {
			json_decref(q);
			return NULL;
		}
		json_decref(q);
		out = json_loads(json_string_value(json_object_get(a, "definition")) ?: "", 0, NULL);
		json_decref(a);
		if (!out)
			err_setn(e, "ServiceException", "the stored definition is not JSON");
		return out;
	}
	err_setn(e, "ValidationException", "give definition (the ASL text) or stateMachineArn");
	return NULL;
}

static int graph(void *arg, const struct http_request *req, struct http_response *resp)
{
	struct console *c = arg;
	json_t *body = json_loadb(req->body, req->len, 0, NULL), *def = NULL;
	struct buf dot, svg;
	struct err e = { 0 };
	int rc;

	buf_init(&dot, GRAPH_DOT_MAX);
	buf_init(&svg, GRAPH_SVG_MAX);
	if (!json_is_object(body)) {
		err_setn(&e, "SerializationException", "the body must be a JSON object");
		goto fail;
	}
	def = definition_of(c->svc, body, &e);
	if (!def || graph_dot(def, NULL, NULL, &dot, &e) ||
	    graph_svg_isolated("/proc/self/exe", dot.data, dot.len, &svg, &e))
		goto fail;
	json_decref(body);
	json_decref(def);
	buf_free(&dot);
	resp->status = 200;
	resp->content_type = "image/svg+xml";
	resp->len = svg.len;
	resp->body = buf_take(&svg);
	if (!resp->body)
		return -1;
	return secure_headers(resp) || http_response_header(resp, "Cache-Control", "no-store");
fail:
	if (!e.type[0])
		err_setn(&e, "ServiceException", "out of memory");
	json_decref(body);
	json_decref(def);
	buf_free(&dot);
	buf_free(&svg);
	rc = json_error(resp, &e);
	return rc;
}

int console_routes(struct http_server *h, struct svc *s, struct err *e)
{
	static struct console c;   /* one server per process */

	c.svc = s;
	c.h = h;
	return http_route_public(h, "GET", "/console", redirect, &c, 0, e) ||
	       http_route_public(h, "GET", "/console/*", static_file, &c, 0, e) ||
	       http_route_public(h, "HEAD", "/console/*", static_file, &c, 0, e) ||
	       http_route(h, "POST", "/console/api/graph", graph, &c, CONSOLE_GRAPH_BODY_MAX, e);
}
