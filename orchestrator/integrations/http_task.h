/* http_task — Step Functions' HTTP Task, "arn:aws:states:::http:invoke".
 *
 * Parameters (resolved by the interpreter, passed as a JSON object):
 *   ApiEndpoint      http(s) URL (required)
 *   Method           GET POST PUT DELETE PATCH OPTIONS HEAD (required)
 *   Authentication   {"ConnectionArn": ARN or NAME} (connection.h); also
 *                    accepted as InvocationConfig.ConnectionArn; optional
 *                    in tutti (AWS requires one)
 *   Headers          {"Name": "value" | [values]}; the headers Step
 *                    Functions reserves (Host, Authorization, Content-Length,
 *                    x-amz-*, ...) are refused
 *   QueryParameters  {"name": scalar | [scalars]} appended to the URL
 *   RequestBody      any JSON value; a string is sent as it is, anything
 *                    else as JSON text (Content-Type application/json;
 *                    charset=UTF-8 unless Headers set one)
 *   Transform        {"RequestBodyEncoding": "NONE" | "URL_ENCODED",
 *                     "RequestEncodingOptions": {"ArrayFormat":
 *                       "INDICES" (default) | "REPEAT" | "COMMAS" | "BRACKETS"}}
 * The connection's InvocationHttpParameters are merged in (they win), and
 * its API key header, Basic credentials or OAuth bearer token is added;
 * none of them appear in the result or in an error.
 *
 * Result: {"ResponseBody": parsed JSON when the response's Content-Type is
 * application/json or *+json and parses, else the body as a string,
 * "StatusCode": 200, "StatusText": "OK", "Headers": {"name": ["value",
 * ...]}} (header names in lower case). Redirects are not followed: a 3xx is
 * a result like a 2xx.
 *
 * Errors (struct err):
 *   States.Http.StatusCode.NNN   the server answered NNN >= 400; the
 *                                message is the result as JSON text (the
 *                                body shortened to fit)
 *   States.Http.Socket           no answer: refused, reset, DNS failure, or
 *                                the 60-second HTTP limit passed
 *   States.Timeout               the caller's deadline passed first
 *   States.DataLimitExceeded     request or response body over its cap
 *   States.Http.ConnectionNotFound / States.Http.ConnectionInvalid
 *   States.TaskFailed            a response body that is not UTF-8 text, or
 *                                an OAuth token request that failed
 *   States.Runtime               Parameters of the wrong shape
 *
 * Ownership: `params` is borrowed; *result is a new reference. Thread-
 * safety: one struct http_task serves many threads at once (connections
 * are shared under locks). Create it before the process starts threads. */
#ifndef TUTTI_HTTP_TASK_H
#define TUTTI_HTTP_TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"

#define HTTP_TASK_RESOURCE      "arn:aws:states:::http:invoke"
#define HTTP_TASK_DEFAULT_CAP   (10u << 20)
#define HTTP_TASK_MAX_TIMEOUT_MS 60000

struct http_task_config {
	const char *home;          /* $TUTTI_HOME, for connections/ */
	size_t max_request;        /* request body cap; 0: 10 MiB */
	size_t max_response;       /* response body cap; 0: 10 MiB */
	long max_timeout_ms;       /* per-request limit; 0: 60 s (AWS's) */
};

struct http_task;

struct http_task *http_task_new(const struct http_task_config *cfg, struct err *e);
void http_task_free(struct http_task *ht);

bool http_task_matches(const char *resource);

/* Call the API `params` describe, before `deadline_ns` (CLOCK_MONOTONIC;
 * 0: only the 60-second limit). 0 with *result, or -1 with `e`. */
int http_task_invoke(struct http_task *ht, const json_t *params, uint64_t deadline_ns,
		     json_t **result, struct err *e);

#endif
