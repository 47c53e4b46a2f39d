/* integ_client — the CLI's HTTP client of `tutti serve` (cli/call.c): one
 * POST of an AWS JSON request, through libcurl (util/curlx.h). Built into
 * tutti-integrations.so with libcurl, so that only the commands that talk
 * to a server load it (integ_loader.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curlx.h"
#include "integ_loader.h"
#include "sigv4.h"

/* A server with credentials wants SigV4: sign with $AWS_ACCESS_KEY_ID and
 * $AWS_SECRET_ACCESS_KEY when both are set, else with the first key of
 * $TUTTI_CREDENTIALS or the home's credentials file (when readable). */
static void sign(CURL *c, char *userpwd, size_t size)
{
	const char *id = getenv("AWS_ACCESS_KEY_ID"), *secret = getenv("AWS_SECRET_ACCESS_KEY");
	const char *home = getenv("TUTTI_HOME"), *file = getenv("TUTTI_CREDENTIALS");
	struct sigv4_keys *k = NULL;
	struct err e = { 0 };
	char path[4096];

	if (!id || !secret) {
		if (file)
			snprintf(path, sizeof path, "%s", file);
		else if (home && *home)
			snprintf(path, sizeof path, "%s/credentials", home);
		else
			snprintf(path, sizeof path, "%s/.tutti/credentials", getenv("HOME") ? getenv("HOME") : "/root");
		if (access(path, R_OK) || sigv4_load(path, &k, &e) || sigv4_first(k, &id, &secret)) {
			sigv4_free(k);
			return;
		}
	}
	snprintf(userpwd, size, "%s:%s", id, secret);
	sigv4_free(k);
	curl_easy_setopt(c, CURLOPT_AWS_SIGV4, "aws:amz:local:states");
	curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
}

int integ_http_call(const char *url, const char *target, const char *body, size_t len, size_t cap,
		    long timeout_ms, long *status, struct buf *resp, struct err *e)
{
	struct curlx_sink sink;
	struct curl_slist *hd = NULL, *h2;
	char line[ERR_TYPE_MAX + 32], userpwd[300] = "";
	CURLcode cc;
	CURL *c = NULL;
	int rc = -1;

	*status = 0;
	buf_init(&sink.body, cap);
	sink.over_cap = false;
	if (curlx_global_init()) {
		err_set(e, ERR_HTTP_INTERNAL, "cannot initialise libcurl");
		goto out;
	}
	c = curlx_easy(NULL, url, timeout_ms, &sink, NULL, NULL);
	snprintf(line, sizeof line, "X-Amz-Target: %s", target);
	if (!c || !(hd = curl_slist_append(NULL, line)) ||
	    !(h2 = curl_slist_append(hd, "Content-Type: application/x-amz-json-1.0")) ||
	    !(h2 = curl_slist_append(hd, "Expect:"))) {
		err_set(e, ERR_HTTP_INTERNAL, "out of memory");
		goto out;
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	sign(c, userpwd, sizeof userpwd);
	cc = curl_easy_perform(c);
	if (cc == CURLE_COULDNT_CONNECT) {
		rc = 1;   /* nothing listens there */
		goto out;
	}
	if (cc == CURLE_WRITE_ERROR && sink.over_cap) {
		err_set(e, ERR_HTTP_REQUEST_TOO_LARGE, "the answer of %s is larger than the limit (%zu bytes)",
			url, cap);
		goto out;
	}
	if (cc != CURLE_OK) {
		err_setn(e, "ServiceUnavailable", "%s: %s", url, curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	buf_free(resp);
	*resp = sink.body;
	buf_init(&sink.body, cap);
	rc = 0;
out:
	curl_slist_free_all(hd);
	if (c)
		curl_easy_cleanup(c);
	buf_free(&sink.body);
	return rc;
}
