/* http_request — builds the HTTP Task's request (http_task.h) from its
 * resolved Parameters and connection: field checks, the reserved headers,
 * query strings, and the body encodings (JSON, string, URL_ENCODED with
 * the four ArrayFormats). Used by http_task.c only.
 *
 * Errors are States.Runtime (Parameters of the wrong shape) or
 * States.DataLimitExceeded (a body over its buffer's cap). Everything the
 * spec points to is borrowed from the Parameters. Thread-safety: none
 * needed, no shared state. */
#ifndef TUTTI_HTTP_REQUEST_H
#define TUTTI_HTTP_REQUEST_H

#include <stdbool.h>

#include <curl/curl.h>
#include <jansson.h>

#include "buf.h"
#include "connection.h"
#include "err.h"

enum array_format { ARR_INDICES, ARR_REPEAT, ARR_COMMAS, ARR_BRACKETS };

struct http_spec {
	const char *endpoint, *method, *conn_arn;
	const json_t *headers, *query, *body;
	bool form;                 /* Transform.RequestBodyEncoding URL_ENCODED */
	enum array_format fmt;
};

int http_request_parse(const json_t *params, struct http_spec *s, struct err *e);
/* Append the body to send to `body`; *has_body false when there is none. */
int http_request_body(const struct http_spec *s, const struct connection *conn, struct buf *body,
		      bool *has_body, struct err *e);
/* The task's Headers, the connection's header parameters, a default
 * Content-Type when there is a body. */
int http_request_headers(const struct http_spec *s, const struct connection *conn, bool has_body,
			 struct curl_slist **hl, struct err *e);
/* ApiEndpoint with QueryParameters and the connection's query parameters. */
int http_request_url(const struct http_spec *s, const struct connection *conn, struct buf *url,
		     struct err *e);

/* "name: value" appended to *hl; 0 or -1 (out of memory, over 16 KiB). */
int http_request_add_header(struct curl_slist **hl, const char *name, const char *value);
/* key=value, form-encoded, appended to `out` (with '&' when not first);
 * 0, -1 (over the cap) or -2 (v is not a scalar). */
int http_request_form_pair(struct buf *out, const char *key, const json_t *v);

#endif
