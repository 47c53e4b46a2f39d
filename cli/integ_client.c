/* integ_client — the CLI's HTTP client of `tutti serve` (cli/call.c): one
 * POST of an AWS JSON request, through libcurl (util/curlx.h). Built into
 * tutti-integrations.so with libcurl, so that only the commands that talk
 * to a server load it (integ_loader.h). */
#include <stdio.h>
#include <string.h>

#include "curlx.h"
#include "integ_loader.h"

int integ_http_call(const char *url, const char *target, const char *body, size_t len, size_t cap,
		    long timeout_ms, long *status, struct buf *resp, struct err *e)
{
	struct curlx_sink sink;
	struct curl_slist *hd = NULL, *h2;
	char line[ERR_TYPE_MAX + 32];
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
