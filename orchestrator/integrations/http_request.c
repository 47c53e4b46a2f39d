/* http_request — an HTTP Task's request from its Parameters: checks,
 * headers, query string, body encodings (http_request.h). */
#include "http_request.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define URL_CAP (64u << 10)

static bool is_scalar(const json_t *v)
{
	return json_is_string(v) || json_is_number(v) || json_is_boolean(v) || json_is_null(v);
}


static const char *const reserved_headers[] = {
	"a-im", "accept-charset", "accept-datetime", "accept-encoding", "authorization",
	"cache-control", "connection", "content-encoding", "content-length", "content-md5",
	"date", "expect", "forwarded", "from", "host", "http2-settings", "if-match",
	"if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "max-forwards",
	"origin", "pragma", "proxy-authorization", "referer", "server", "te", "trailer",
	"transfer-encoding", "upgrade", "via", "warning",
};

static bool header_reserved(const char *name)
{
	if (!strncasecmp(name, "x-forwarded-", 12) || !strncasecmp(name, "x-amz-", 6) ||
	    !strncasecmp(name, "x-amzn-", 7))
		return true;
	for (size_t i = 0; i < sizeof reserved_headers / sizeof *reserved_headers; i++)
		if (!strcasecmp(name, reserved_headers[i]))
			return true;
	return false;
}

static bool header_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s))
			return false;
	return true;
}

/* Render a scalar as the text an HTTP parameter carries. */
static int scalar_text(const json_t *v, struct buf *out)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		return buf_append(out, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	case JSON_REAL:
		return buf_printf(out, "%.17g", json_real_value(v));
	case JSON_TRUE:
		return buf_puts(out, "true");
	case JSON_FALSE:
		return buf_puts(out, "false");
	case JSON_NULL:
		return buf_puts(out, "null");
	default:
		return -2;
	}
}

/* application/x-www-form-urlencoded bytes of `s`. */
static int form_escape(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int r = isalnum(c) || strchr("-_.~", c) ? buf_append(out, &s[i], 1)
							  : buf_printf(out, "%%%02X", c);
		if (r < 0)
			return -1;
	}
	return 0;
}

int http_request_form_pair(struct buf *out, const char *key, const json_t *v)
{
	struct buf t;
	int rc;

	buf_init(&t, 0);
	rc = scalar_text(v, &t);
	if (!rc && out->len)
		rc = buf_puts(out, "&");
	if (!rc)
		rc = form_escape(out, key, strlen(key));
	if (!rc)
		rc = buf_puts(out, "=");
	if (!rc)
		rc = form_escape(out, t.data ? t.data : "", t.len);
	buf_free(&t);
	return rc;
}

/* One key=value (or nested key[sub]=value) group, arrays per `fmt`. */
static int form_value(struct buf *out, const char *key, const json_t *v, enum array_format fmt, int depth)
{
	char sub[2048];
	const char *k;
	json_t *it;
	size_t i;

	if (depth > 32)
		return -2;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, it) {
			if (snprintf(sub, sizeof sub, "%s[%s]", key, k) >= (int)sizeof sub ||
			    form_value(out, sub, it, fmt, depth + 1))
				return -2;
		}
		return 0;
	}
	if (!json_is_array(v))
		return http_request_form_pair(out, key, v);
	if (fmt == ARR_COMMAS) {
		struct buf joined;
		json_t *s;
		int rc = 0;

		buf_init(&joined, 0);
		json_array_foreach(v, i, it)
			if ((i && buf_puts(&joined, ",")) || scalar_text(it, &joined))
				rc = -2;
		s = rc ? NULL : json_stringn(joined.data ? joined.data : "", joined.len);
		rc = s ? http_request_form_pair(out, key, s) : -2;
		json_decref(s);
		buf_free(&joined);
		return rc;
	}
	json_array_foreach(v, i, it) {
		int n = fmt == ARR_INDICES  ? snprintf(sub, sizeof sub, "%s[%zu]", key, i)
			: fmt == ARR_BRACKETS ? snprintf(sub, sizeof sub, "%s[]", key)
					      : snprintf(sub, sizeof sub, "%s", key);

		if (n >= (int)sizeof sub || form_value(out, sub, it, fmt, depth + 1))
			return -2;
	}
	return 0;
}

int http_request_parse(const json_t *p, struct http_spec *s, struct err *e)
{
	static const char *const methods[] = { "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD" };
	const json_t *auth = json_object_get(p, "Authentication"), *t = json_object_get(p, "Transform");
	const char *enc, *fmt;
	bool ok = false;

	memset(s, 0, sizeof *s);
	if (!json_is_object(p))
		return err_set(e, ERR_STATES_RUNTIME, "the HTTP Task's Parameters must be an object");
	s->endpoint = json_string_value(json_object_get(p, "ApiEndpoint"));
	if (!s->endpoint || (strncasecmp(s->endpoint, "http://", 7) && strncasecmp(s->endpoint, "https://", 8)))
		return err_set(e, ERR_STATES_RUNTIME, "Parameters.ApiEndpoint must be an http:// or https:// URL");
	if (strpbrk(s->endpoint, " \r\n\t") || strchr(s->endpoint, '#'))
		return err_set(e, ERR_STATES_RUNTIME, "Parameters.ApiEndpoint has a space, a line break or a fragment");
	s->method = json_string_value(json_object_get(p, "Method"));
	for (size_t i = 0; s->method && i < sizeof methods / sizeof *methods; i++)
		ok |= !strcmp(s->method, methods[i]);
	if (!ok)
		return err_set(e, ERR_STATES_RUNTIME, "Parameters.Method must be GET, POST, PUT, DELETE, PATCH, OPTIONS or HEAD");
	if (!auth)
		auth = json_object_get(p, "InvocationConfig");
	if (auth && (!json_is_object(auth) || !json_is_string(json_object_get(auth, "ConnectionArn"))))
		return err_set(e, ERR_STATES_RUNTIME, "Parameters.Authentication must be {\"ConnectionArn\": \"...\"}");
	s->conn_arn = auth ? json_string_value(json_object_get(auth, "ConnectionArn")) : NULL;
	s->headers = json_object_get(p, "Headers");
	if (s->headers && !json_is_object(s->headers))
		return err_set(e, ERR_STATES_RUNTIME, "Parameters.Headers must be an object");
	s->query = json_object_get(p, "QueryParameters");
	if (s->query && !json_is_object(s->query))
		return err_set(e, ERR_STATES_RUNTIME, "Parameters.QueryParameters must be an object");
	s->body = json_object_get(p, "RequestBody");
	s->fmt = ARR_INDICES;
	if (t) {
		const json_t *opts = json_object_get(t, "RequestEncodingOptions");

		enc = json_string_value(json_object_get(t, "RequestBodyEncoding"));
		fmt = json_string_value(json_object_get(opts, "ArrayFormat"));
		if (!json_is_object(t) || (json_object_get(t, "RequestBodyEncoding") && !enc) ||
		    (enc && strcmp(enc, "NONE") && strcmp(enc, "URL_ENCODED")))
			return err_set(e, ERR_STATES_RUNTIME, "Parameters.Transform.RequestBodyEncoding must be NONE or URL_ENCODED");
		s->form = enc && !strcmp(enc, "URL_ENCODED");
		if (opts && (!json_is_object(opts) || (json_object_get(opts, "ArrayFormat") && !fmt)))
			return err_set(e, ERR_STATES_RUNTIME, "Parameters.Transform.RequestEncodingOptions must be {\"ArrayFormat\": ...}");
		if (fmt) {
			if (!strcmp(fmt, "INDICES"))
				s->fmt = ARR_INDICES;
			else if (!strcmp(fmt, "REPEAT"))
				s->fmt = ARR_REPEAT;
			else if (!strcmp(fmt, "COMMAS"))
				s->fmt = ARR_COMMAS;
			else if (!strcmp(fmt, "BRACKETS"))
				s->fmt = ARR_BRACKETS;
			else
				return err_set(e, ERR_STATES_RUNTIME, "ArrayFormat must be INDICES, REPEAT, COMMAS or BRACKETS");
		}
	}
	if (s->form && s->body && !json_is_object(s->body) && !json_is_string(s->body))
		return err_set(e, ERR_STATES_RUNTIME, "a URL_ENCODED RequestBody must be an object");
	return 0;
}

/* *out: the body to send (NULL when none) with the connection's
 * BodyParameters merged in; a new reference. */
static int merged_body(const struct http_spec *s, const struct connection *c, json_t **out, struct err *e)
{
	json_t *b;

	*out = NULL;
	if (!c || !c->body.n) {
		*out = s->body ? json_incref((json_t *)s->body) : NULL;
		return 0;
	}
	if (s->body && !json_is_object(s->body) && !json_is_null(s->body))
		return err_set(e, ERR_STATES_RUNTIME, "the connection has BodyParameters, so RequestBody must be an object");
	b = s->body && json_is_object(s->body) ? json_copy((json_t *)s->body) : json_object();
	for (size_t i = 0; b && i < c->body.n; i++)
		if (json_object_set_new(b, c->body.v[i].key, json_string(c->body.v[i].value))) {
			json_decref(b);
			b = NULL;
		}
	if (!b)
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	*out = b;
	return 0;
}

int http_request_add_header(struct curl_slist **hl, const char *name, const char *value)
{
	struct buf h;
	struct curl_slist *t;

	buf_init(&h, 16384);
	if (buf_printf(&h, "%s: %s", name, value) < 0) {
		buf_free(&h);
		return -1;
	}
	t = curl_slist_append(*hl, h.data);
	buf_free(&h);
	if (!t)
		return -1;
	*hl = t;
	return 0;
}

int http_request_headers(const struct http_spec *s, const struct connection *c, bool has_body,
			 struct curl_slist **hl, struct err *e)
{
	bool ctype = false;
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)s->headers, k, v) {
		struct buf val;
		int rc = 0;

		if (!header_name_ok(k))
			return err_set(e, ERR_STATES_RUNTIME, "Headers: '%.100s' is not a valid header name", k);
		if (header_reserved(k))
			return err_set(e, ERR_STATES_RUNTIME, "Headers: the HTTP Task does not allow setting '%.100s'", k);
		buf_init(&val, 16384);
		if (json_is_array(v)) {
			size_t i;
			json_t *it;

			json_array_foreach(v, i, it)
				if ((i && buf_puts(&val, ", ")) || scalar_text(it, &val))
					rc = -1;
		} else {
			rc = scalar_text(v, &val);
		}
		if (!rc && val.data && strpbrk(val.data, "\r\n"))
			rc = -1;
		if (!rc)
			rc = http_request_add_header(hl, k, val.data ? val.data : "");
		buf_free(&val);
		if (rc)
			return err_set(e, ERR_STATES_RUNTIME, "Headers.%.100s must be a string, number, boolean or a list of them, without line breaks (at most 16 KiB)", k);
		ctype |= !strcasecmp(k, "content-type");
	}
	for (size_t i = 0; c && i < c->headers.n; i++)
		if (http_request_add_header(hl, c->headers.v[i].key, c->headers.v[i].value))
			return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	if (has_body && !ctype &&
	    http_request_add_header(hl, "Content-Type", s->form ? "application/x-www-form-urlencoded"
						   : "application/json; charset=UTF-8"))
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	/* No 100-continue round trip; user agent as a Step Functions call. */
	if (http_request_add_header(hl, "Expect", "") || http_request_add_header(hl, "User-Agent", "tutti (Step Functions HTTP Task)"))
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	return 0;
}

int http_request_url(const struct http_spec *s, const struct connection *c, struct buf *url, struct err *e)
{
	struct buf q;
	const char *k;
	json_t *v;
	int rc = 0;

	buf_init(&q, URL_CAP);
	json_object_foreach((json_t *)s->query, k, v) {
		if (json_is_array(v)) {
			size_t i;
			json_t *it;

			json_array_foreach(v, i, it)
				if (!rc && (!is_scalar(it) || http_request_form_pair(&q, k, it)))
					rc = -1;
		} else if (!is_scalar(v) || http_request_form_pair(&q, k, v)) {
			rc = -1;
		}
	}
	for (size_t i = 0; !rc && c && i < c->query.n; i++) {
		json_t *sv = json_string(c->query.v[i].value);

		rc = sv ? http_request_form_pair(&q, c->query.v[i].key, sv) : -1;
		json_decref(sv);
	}
	if (rc) {
		buf_free(&q);
		return err_set(e, ERR_STATES_RUNTIME, "QueryParameters values must be scalars or lists of scalars (URL at most 64 KiB)");
	}
	rc = buf_puts(url, s->endpoint);
	if (!rc && q.len)
		rc = buf_printf(url, "%s%s", strchr(s->endpoint, '?') ? "&" : "?", q.data);
	buf_free(&q);
	if (rc)
		return err_set(e, ERR_STATES_RUNTIME, "the URL is longer than 64 KiB");
	return 0;
}

/* The body to send: the RequestBody with the connection's BodyParameters
 * merged in, as text (string as is, URL_ENCODED form, or JSON). */
int http_request_body(const struct http_spec *s, const struct connection *conn, struct buf *body,
		      bool *has_body, struct err *e)
{
	json_t *jbody = NULL;
	int rc = -1;

	*has_body = false;
	if (merged_body(s, conn, &jbody, e))
		return -1;
	if (!jbody)
		return 0;
	*has_body = true;
	if (json_is_string(jbody)) {
		if (buf_append(body, json_string_value(jbody), json_string_length(jbody)) < 0) {
			err_set(e, ERR_STATES_DATA_LIMIT, "the request body is over the %zu-byte limit", body->cap);
			goto out;
		}
	} else if (s->form) {
		const char *k;
		json_t *v;
		int frc = 0;

		json_object_foreach(jbody, k, v)
			if (!frc)
				frc = form_value(body, k, v, s->fmt, 0);
		if (frc) {
			err_set(e, frc == -2 ? ERR_STATES_RUNTIME : ERR_STATES_DATA_LIMIT,
				frc == -2 ? "the URL_ENCODED RequestBody nests too deep or holds a key over 2 KiB"
					  : "the request body is over the byte limit");
			goto out;
		}
	} else {
		char *text = json_dumps(jbody, JSON_COMPACT | JSON_ENCODE_ANY);
		int arc = text ? buf_puts(body, text) : -1;

		free(text);
		if (arc) {
			err_set(e, ERR_STATES_DATA_LIMIT, "the request body is over the %zu-byte limit", body->cap);
			goto out;
		}
	}
	rc = 0;
out:
	json_decref(jbody);
	return rc;
}
