/* fetch_todos — GET a JSON API and return the parsed response.
 *
 * Event: {"url": "https://..."} (default jsonplaceholder's /todos/).
 * Result: the response body, which must be JSON (at most 5 MiB).
 * Errors: Fetch.HttpError (status >= 400, retried by the state machine),
 *         Fetch.NetworkError (no answer), Fetch.InvalidJson, Fetch.TooLarge,
 *         Fetch.BadInput.
 * Needs: --network, and the curl and jansson layers (their libraries are
 * found in /opt/lib inside the sandbox). */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tutti.h>

#define BODY_MAX (5u << 20)
#define DEFAULT_URL "https://jsonplaceholder.typicode.com/todos/"

struct body {
	char *data;
	size_t len;
	int too_large;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct body *b = arg;
	size_t add = size * n;
	char *q;

	if (b->len + add > BODY_MAX) {
		b->too_large = 1;
		return 0;
	}
	q = realloc(b->data, b->len + add + 1);
	if (!q)
		return 0;
	b->data = q;
	memcpy(b->data + b->len, p, add);
	b->len += add;
	b->data[b->len] = '\0';
	return add;
}

int init(tt_ctx *ctx)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT))
		return tt_raise(ctx, "Fetch.InitError", "curl_global_init failed");
	return 0;
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	json_error_t je;
	json_t *in = json_loadb(event, len, JSON_DECODE_ANY, &je), *out = NULL;
	const char *url = DEFAULT_URL;
	struct body b = { NULL, 0, 0 };
	CURL *c = NULL;
	CURLcode cc;
	long status = 0, timeout_ms;
	int rc;

	if (!in)
		return tt_raise(ctx, "Fetch.BadInput", "the event is not JSON: %s", je.text);
	if (json_is_string(json_object_get(in, "url")))
		url = json_string_value(json_object_get(in, "url"));
	c = curl_easy_init();
	if (!c) {
		rc = tt_raise(ctx, "Fetch.NetworkError", "curl_easy_init failed");
		goto out;
	}
	/* Leave a little of the invocation's time to report an error. */
	timeout_ms = tt_remaining_ms(ctx) - 200;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms > 1000 ? timeout_ms : 1000L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "tutti-fetch_todos/1");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	printf("GET %s -> %ld (%zu bytes)\n", url, status, b.len);
	if (b.too_large) {
		rc = tt_raise(ctx, "Fetch.TooLarge", "%s: the response is over %u bytes", url, BODY_MAX);
		goto out;
	}
	if (cc != CURLE_OK) {
		rc = tt_raise(ctx, "Fetch.NetworkError", "%s: %s", url, curl_easy_strerror(cc));
		goto out;
	}
	if (status >= 400) {
		rc = tt_raise(ctx, "Fetch.HttpError", "%s: HTTP %ld", url, status);
		goto out;
	}
	out = json_loadb(b.data ? b.data : "", b.len, JSON_DECODE_ANY, &je);
	if (!out) {
		rc = tt_raise(ctx, "Fetch.InvalidJson", "%s: the response is not JSON: %s", url, je.text);
		goto out;
	}
	rc = tt_return(ctx, b.data, b.len);
out:
	json_decref(out);
	json_decref(in);
	free(b.data);
	if (c)
		curl_easy_cleanup(c);
	return rc;
}
