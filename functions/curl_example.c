/* curl_example — uses the curl layer: GETs input.url and returns
 * {"status": HTTP_STATUS, "bytes": BODY_LENGTH}. The function needs network
 * access (tutti function create ... --network --layer curl).
 *
 * The body is counted, not kept; bodies past CURL_EXAMPLE_MAX_BYTES abort
 * the transfer (BodyTooLargeError). The transfer ends before the
 * invocation's deadline (tt_remaining_ms). Certificates: the sandbox shows
 * the host's CA bundle when network is on; otherwise the bundle the curl
 * layer carries at /opt/etc/ssl/certs is used.
 *
 * Errors: InvalidInputError (no "url"), CurlError (curl's message),
 * BodyTooLargeError. */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <unistd.h>

#include <curl/curl.h>
#include <tutti.h>

#include "mini_json.h"

#define CURL_EXAMPLE_MAX_BYTES (64L * 1024 * 1024)

static const char *const ca_bundles[] = {
	"/etc/ssl/certs/ca-certificates.crt",
	"/opt/etc/ssl/certs/ca-certificates.crt",
};

struct counter {
	long bytes;
	bool too_large;
};

static size_t count_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct counter *c = arg;

	(void)data;
	c->bytes += (long)(size * nmemb);
	if (c->bytes > CURL_EXAMPLE_MAX_BYTES) {
		c->too_large = true;
		return 0; /* aborts the transfer */
	}
	return size * nmemb;
}

int init(tt_ctx *ctx)
{
	(void)ctx;
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

int handler(tt_ctx *ctx, const char *event, size_t event_len)
{
	struct mj_val in = mj_root(event, event_len);
	struct counter count = { 0, false };
	char url[4096], out[128];
	CURL *curl = NULL;
	CURLcode cc;
	long status = 0, left;
	int rc;

	if (mj_string(mj_get(in, "url"), url, sizeof url) <= 0)
		return tt_raise(ctx, "InvalidInputError", "curl_example expects {\"url\": \"http(s)://...\"}");
	curl = curl_easy_init();
	if (!curl)
		return tt_raise(ctx, "CurlError", "curl_easy_init failed");
	curl_easy_setopt(curl, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "tutti-curl-example/1");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, count_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &count);
	left = tt_remaining_ms(ctx);
	if (left > 200)
		curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, left - 100);
	for (size_t i = 0; i < sizeof ca_bundles / sizeof ca_bundles[0]; i++) {
		if (access(ca_bundles[i], R_OK) == 0) {
			curl_easy_setopt(curl, CURLOPT_CAINFO, ca_bundles[i]);
			break;
		}
	}
	cc = curl_easy_perform(curl);
	if (count.too_large) {
		rc = tt_raise(ctx, "BodyTooLargeError", "the body is larger than %ld bytes",
			      CURL_EXAMPLE_MAX_BYTES);
		goto out;
	}
	if (cc != CURLE_OK) {
		rc = tt_raise(ctx, "CurlError", "%s", curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	snprintf(out, sizeof out, "{\"status\": %ld, \"bytes\": %ld}", status, count.bytes);
	rc = tt_return(ctx, out, 0);
out:
	curl_easy_cleanup(curl);
	return rc;
}
