/* curlx — tutti's one libcurl set-up, shared by the HTTP task
 * (orchestrator/integrations/http_task.c) and the SigV4 bucket backend
 * (bucket/bucket_sigv4.c).
 *
 * curlx_share_new() makes a share handle (DNS cache, connection pool, TLS
 * sessions) safe to use from many threads at once; curlx_easy() makes an
 * easy handle with the options every request tutti sends must have. The
 * body lands in a capped `struct buf`: a body over its cap aborts the
 * transfer with CURLE_WRITE_ERROR and sets `over_cap`.
 *
 * Ownership: curlx_share_free() frees what curlx_share_new() returned
 * (NULL accepted), after every easy handle using it is cleaned up; the
 * caller curl_easy_cleanup()s what curlx_easy() returned. Linked into
 * tutti-integrations.so and the s3 layer only (not into libtutti, which
 * does not link libcurl). */
#ifndef TUTTI_CURLX_H
#define TUTTI_CURLX_H

#include <curl/curl.h>
#include <stdbool.h>

#include "buf.h"

/* curl_global_init, once per process, thread-safe. 0 or -1. */
int curlx_global_init(void);

struct curlx_share;
struct curlx_share *curlx_share_new(void);
void curlx_share_free(struct curlx_share *s);

/* Where a response body goes: `body` (initialised by the caller with its
 * cap), `over_cap` set when the cap stopped the transfer. */
struct curlx_sink {
	struct buf body;
	bool over_cap;
};

/* An easy handle for `url` through `share`: no signals (threads), http and
 * https only, no redirects followed, `timeout_ms` for the whole transfer,
 * the body into `sink`, each header line to `on_header(line, 1, len,
 * header_arg)` when on_header is non-NULL. NULL if out of memory. */
CURL *curlx_easy(struct curlx_share *share, const char *url, long timeout_ms, struct curlx_sink *sink,
		 curl_write_callback on_header, void *header_arg);

#endif
