/* http — the HTTP/1.1 listener of `tutti serve` (libmicrohttpd), and the
 * router every HTTP API of the server goes through.
 *
 * One port for everything. A route is (method, path, handler): the path is
 * matched exactly ("/", "/health"), or as a prefix when it ends in '*'
 * ("/2015-03-31/functions/" + "*", "/console/" + "*"); the first route added that
 * matches wins. A path no route matches gets 404; a path that matches
 * only with another method gets 405 (with Allow). GET /health
 * ({"status": "ok"}) is built in. The AWS JSON protocol is a route like any
 * other, with the service as its argument:
 *   http_route(h, "POST", "/", http_aws_json, svc, 0, &e);
 * Restful APIs (Lambda, Scheduler, S3) and static files are further routes.
 *
 * Limits on outside bytes and clients: a request body is at most the
 * route's body_max (default SVC_REQUEST_MAX): a declared Content-Length
 * over it is answered 413 before the body is read and the connection
 * closed; a chunked body crossing it is discarded, answered 413, closed.
 * Headers are capped by the connection's memory (HTTP_CONN_MEMORY). At
 * most max_conns connections at once (more are accepted and closed);
 * a connection idle for timeout_s seconds is closed, which is what keeps a
 * slow client (slowloris) from holding its slot forever.
 *
 * Authentication: with o->credentials (a file sigv4.h reads), every
 * request but GET /health must carry a valid AWS Signature V4, checked
 * once its body is in and before its handler runs (an unrouted path is
 * checked too, before its 404); a refusal is answered in the shape of the
 * API the signature's scope names (S3: XML; the others: JSON with
 * X-Amzn-ErrorType). Without credentials requests are taken unsigned, and
 * http_new refuses to listen on anything but a loopback address.
 *
 * Threads: libmicrohttpd's. threads 0: one thread per connection (the
 * default: a handler may block — svc_call waits for the store's fsync —
 * and blocks only its own client); threads N: N event-loop threads
 * sharing all connections (docs/serve.md has the measurements). Handlers
 * run on those threads, concurrently.
 *
 * Ownership: http_new returns a server http_free stops and frees; routes'
 * `arg` are borrowed and must outlive it. Not thread-safe: http_route and
 * http_start before serving, http_stop/http_free from one thread.
 *
 * Built into tutti-integrations.so (libmicrohttpd costs ~2 ms of every
 * process start): the CLI reaches it through integ_load() (integ_loader.h). */
#ifndef TUTTI_HTTP_H
#define TUTTI_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct svc;
struct http_server;

#define HTTP_DEFAULT_LISTEN   "127.0.0.1:8080"
#define HTTP_LISTEN_MAX       280            /* bytes of "ADDR:PORT" */
#define HTTP_DEFAULT_CONNS    256
#define HTTP_DEFAULT_TIMEOUT  30             /* seconds a connection may stay idle */
#define HTTP_CONN_MEMORY      (64 * 1024)    /* per connection: headers and buffers */
#define HTTP_ROUTES_MAX       64
#define HTTP_STOP_WAIT_MS     10000          /* http_stop waits this long for in-flight requests */

struct http_options {
	const char *listen;      /* "ADDR:PORT" (IPv4 dotted or [IPv6]); port 0 = any free one */
	unsigned threads;        /* 0: a thread per connection; N: a pool of N */
	unsigned max_conns;      /* 0: HTTP_DEFAULT_CONNS */
	unsigned timeout_s;      /* 0: HTTP_DEFAULT_TIMEOUT */
	size_t body_max;         /* 0: SVC_REQUEST_MAX */
	const char *credentials; /* a credentials file: SigV4 required (sigv4.h); NULL: none, loopback only */
};
void http_options_init(struct http_options *o);

/* What a handler sees: valid during the call only. */
struct http_request {
	const char *method;      /* "GET", "POST", ... */
	const char *path;        /* without the query string */
	const char *body;        /* NUL-terminated; "" when none */
	size_t len;
	void *conn;              /* for http_header() */
	const char *uri;         /* the request target as sent (path?query, not decoded) */
};
/* A request header (case-insensitive name), or NULL. */
const char *http_header(const struct http_request *r, const char *name);
/* A query-string argument ("?a=b"), or NULL. */
const char *http_query(const struct http_request *r, const char *name);

/* What a handler answers: status, content type and body (malloc'd: the
 * server frees it). A handler returns 0; -1 drops the connection. */
struct http_response {
	unsigned status;
	const char *content_type;   /* static text; default application/json */
	char *body;
	size_t len;
	char *headers;              /* extra headers, "Name: value\n" each (http_response_header) */
};
/* Add a header to the answer (copied). -1: out of memory, or a name or
 * value with a CR or LF. */
int http_response_header(struct http_response *resp, const char *name, const char *value);
typedef int (*http_handler_fn)(void *arg, const struct http_request *req, struct http_response *resp);

/* Fill resp with a JSON error {"__type": type, "message": msg} and status. */
int http_error_response(struct http_response *resp, unsigned status, const char *type, const char *msg);

/* Fill resp with a restJson1 error, as the Scheduler and Lambda answer
 * them: the code in X-Amzn-ErrorType, {"Message": msg} (and "message",
 * "__type" for the SDKs that read those) as the body. */
int http_rest_error(struct http_response *resp, unsigned status, const char *type, const char *msg);

/* EventBridge Scheduler's restJson1 routes (arg: the struct svc), each
 * mapped onto its TuttiScheduler.<Action> (server/http_sched.c):
 *   POST|GET|PUT|DELETE /schedules/{Name}   Create|Get|Update|DeleteSchedule
 *   GET /schedules                          ListSchedules
 *   POST|GET|DELETE /schedule-groups/{Name} Create|Get|DeleteScheduleGroup
 *   GET /schedule-groups                    ListScheduleGroups
 * Route it at "/schedules", "/schedules/" "*", "/schedule-groups" and
 * "/schedule-groups/" "*" (any method): HTTP_SCHEDULER_PATHS. */
int http_scheduler_rest(void *svc, const struct http_request *req, struct http_response *resp);
#define HTTP_SCHEDULER_PATHS { "/schedules", "/schedules/*", "/schedule-groups", "/schedule-groups/*" }

/* The AWS JSON protocol (awsJson1_0/1_1), for POST /: arg is the struct
 * svc. The action in X-Amz-Target (one of svc_targets(), else 400
 * UnknownOperationException), a JSON object as the body (else 400
 * SerializationException), answered by svc_call (server/service.h): 200
 * and the response, or svc_http_status() and {"__type": ..., "message":
 * ...}. Content-Type: application/x-amz-json-1.0 or 1.1 (application/json
 * is taken as 1.0), else 415. */
int http_aws_json(void *svc, const struct http_request *req, struct http_response *resp);

/* Bind o->listen (EADDRINUSE, EACCES, a bad address: -1 with e set and a
 * message naming the address) and add the built-in routes; nothing is
 * served until http_start. */
int http_new(const struct http_options *o, struct http_server **out, struct err *e);
/* Add a route (before http_start). method: "GET", ... or "*" for any;
 * path exact, or a prefix when it ends in '*'; body_max 0 = the server's.
 * -1 with e when the table is full or the route is malformed. */
int http_route(struct http_server *h, const char *method, const char *path, http_handler_fn fn,
	       void *arg, size_t body_max, struct err *e);
/* http_route, answered without a signature even when the server has
 * credentials: the console's static files (a browser cannot sign a page
 * load). */
int http_route_public(struct http_server *h, const char *method, const char *path, http_handler_fn fn,
		      void *arg, size_t body_max, struct err *e);
/* Whether requests must be signed (the server has credentials). */
bool http_auth_required(const struct http_server *h);

/* Browser safety, for every request but GET /health, before its body is
 * read: without credentials the Host must be a loopback name (127.0.0.0/8,
 * [::1], localhost, *.localhost, "PREFIX-127.0.0.1"), which defeats DNS
 * rebinding; a request other than GET/HEAD/OPTIONS carrying an Origin
 * must come from http://<its Host> (no cross-site form posts). Refused:
 * 403 AccessDeniedException. */

/* A streaming route, for what a buffered body and answer cannot carry
 * (S3: uploads of gigabytes, downloads from files, response headers).
 * Its handler is libmicrohttpd's access handler (MHD_AccessHandlerCallback)
 * for the requests it takes: `conn` is the struct MHD_Connection, `*state`
 * its per-request pointer (NULL at the first call, made when the headers
 * are in), and it returns MHD_YES or MHD_NO. The body limits above do not
 * apply: the handler keeps its own. `claims` (NULL: always) is asked
 * first, with the headers in, whether the route takes a request its method
 * and path match; a route that does not claim it is passed over, as if it
 * did not match. `done` frees *state when the request ends, answered or
 * cut. The table is borrowed and must outlive the server. */
struct http_stream_route {
	const char *method;      /* as http_route */
	const char *path;
	bool (*claims)(void *arg, void *conn, const char *method, const char *url);
	int (*handle)(void *arg, void *conn, const char *url, const char *method, const char *upload,
		      size_t *upload_size, void **state);
	void (*done)(void *arg, void *state);
	void *arg;
};
int http_route_stream(struct http_server *h, const struct http_stream_route *r, struct err *e);

/* Start serving on libmicrohttpd's threads. */
int http_start(struct http_server *h, struct err *e);
/* The bound port (useful with port 0) and "http://ADDR:PORT". */
unsigned http_port(const struct http_server *h);
const char *http_url(const struct http_server *h);
/* Stop accepting, wait up to HTTP_STOP_WAIT_MS for the requests being
 * handled to be answered, then close every connection. Idempotent. */
void http_stop(struct http_server *h);
/* http_stop, then free. NULL accepted. */
void http_free(struct http_server *h);

#endif
