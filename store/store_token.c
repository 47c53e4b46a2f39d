/* Pagination tokens: base64url (no padding) of TAG A '\0' B, where A and B
 * are the last row's sort key. Opaque to callers, checked on the way in:
 * anything that does not decode to the expected shape is "Invalid
 * pagination token", never a query on garbage. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int b64val(unsigned char c)
{
	const char *p = c ? strchr(b64, c) : NULL;

	return p ? (int)(p - b64) : -1;
}

char *store_token_make(char tag, const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b), n = 1 + alen + 1 + blen, o = 0;
	unsigned char *raw = malloc(n);
	char *out = malloc((n + 2) / 3 * 4 + 1);

	if (!raw || !out)
		goto fail;
	raw[0] = (unsigned char)tag;
	memcpy(raw + 1, a, alen);
	raw[1 + alen] = '\0';
	memcpy(raw + 2 + alen, b, blen);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = raw[i] << 16 | (i + 1 < n ? raw[i + 1] << 8 : 0) | (i + 2 < n ? raw[i + 2] : 0);

		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		if (i + 1 < n)
			out[o++] = b64[v >> 6 & 63];
		if (i + 2 < n)
			out[o++] = b64[v & 63];
	}
	out[o] = '\0';
	free(raw);
	if (o > STORE_TOKEN_MAX) {   /* cannot happen with the caps on names and ARNs */
		free(out);
		return NULL;
	}
	return out;
fail:
	free(raw);
	free(out);
	return NULL;
}

int store_token_parse(const char *token, char tag, char **a, char **b, struct err *e)
{
	size_t len = strlen(token), n = 0;
	unsigned char *raw = NULL;
	unsigned acc = 0;
	int bits = 0, rc = -1;
	char *nul;

	*a = *b = NULL;
	if (len == 0 || len > STORE_TOKEN_MAX || len % 4 == 1)
		goto out;
	if (!(raw = malloc(len)))
		goto out;
	for (size_t i = 0; i < len; i++) {
		int v = b64val((unsigned char)token[i]);

		if (v < 0)
			goto out;
		acc = acc << 6 | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			raw[n++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (acc != 0 || n < 2 || raw[0] != (unsigned char)tag)
		goto out;
	if (!(nul = memchr(raw + 1, '\0', n - 1)) || memchr(nul + 1, '\0', n - (size_t)(nul + 1 - (char *)raw)))
		goto out;
	*a = strndup((char *)raw + 1, (size_t)(nul - (char *)raw - 1));
	*b = strndup(nul + 1, n - (size_t)(nul + 1 - (char *)raw));
	if (!*a || !*b)
		goto out;
	rc = 0;
out:
	free(raw);
	if (rc) {
		free(*a);
		free(*b);
		*a = *b = NULL;
		err_set(e, ERR_INVALID_PARAMETER, "Invalid pagination token");
	}
	return rc;
}
