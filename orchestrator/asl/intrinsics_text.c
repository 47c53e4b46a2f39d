/* intrinsics_text — text helpers for the intrinsics: literal escapes,
 * States.Format templates and rendering, compact JSON, UTF-8, Base64.
 * Every producer writes into a capped struct buf, so a result over
 * INTRINSIC_RESULT_MAX fails instead of growing without bound. */
#include "intrinsics_impl.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int hex4(const char *s, size_t avail, uint32_t *v)
{
	size_t i;

	if (avail < 4)
		return -1;
	*v = 0;
	for (i = 0; i < 4; i++) {
		int d = hexval((unsigned char)s[i]);

		if (d < 0)
			return -1;
		*v = *v << 4 | (uint32_t)d;
	}
	return 0;
}

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* One escape at s[*i] == '\\': writes at most 4 bytes to dst, advances *i.
 * The reserved characters (' { } \) are the documented escapes; \" \n \r
 * \t and \uXXXX are accepted too. Anything else is an "open escape". */
static int unescape_one(const char *s, size_t len, size_t *i, char *dst, size_t *dn)
{
	uint32_t cp, lo;
	int c;

	if (*i + 1 >= len)
		return -1;
	c = (unsigned char)s[*i + 1];
	*i += 2;
	switch (c) {
	case '\'': case '{': case '}': case '\\': case '"':
		dst[0] = (char)c;
		*dn = 1;
		return 0;
	case 'n': dst[0] = '\n'; *dn = 1; return 0;
	case 'r': dst[0] = '\r'; *dn = 1; return 0;
	case 't': dst[0] = '\t'; *dn = 1; return 0;
	case 'u':
		if (hex4(s + *i, len - *i, &cp))
			return -1;
		*i += 4;
		if (cp >= 0xd800 && cp < 0xdc00 && len - *i >= 6 && s[*i] == '\\' &&
		    s[*i + 1] == 'u' && !hex4(s + *i + 2, len - *i - 2, &lo) &&
		    lo >= 0xdc00 && lo < 0xe000) {
			*i += 6;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		} else if (cp >= 0xd800 && cp < 0xe000) {
			return -1;
		}
		*dn = put_utf8(dst, cp);
		return 0;
	default:
		return -1;
	}
}

int itext_unescape(const char *src, size_t len, char **out, size_t *out_len)
{
	char *d = malloc(len + 1);
	size_t i = 0, n = 0, k;

	if (!d)
		return -1;
	while (i < len) {
		if (src[i] != '\\') {
			d[n++] = src[i++];
			continue;
		}
		/* An escape never decodes to more bytes than it spans. */
		if (unescape_one(src, len, &i, d + n, &k)) {
			free(d);
			return -1;
		}
		n += k;
	}
	d[n] = '\0';
	*out = d;
	*out_len = n;
	return 0;
}

static int put_err(struct err *e, int rc)
{
	if (rc == 0)
		return 0;
	return ifail(e, "the result is larger than %d bytes or nested too deeply",
		     INTRINSIC_RESULT_MAX);
}

int itext_format(const char *tpl, size_t len, bool escapes, json_t *const *args,
		 size_t nargs, struct buf *out, struct err *e)
{
	size_t i = 0, used = 0;
	int count = 0;

	while (i < len) {
		char tmp[4];
		size_t k;

		if (tpl[i] == '{' && i + 1 < len && tpl[i + 1] == '}') {
			i += 2;
			if (count == INT32_MAX)
				return -1;
			count++;
			if (!out)
				continue;
			if (used >= nargs)
				return ifail(e, "States.Format: the template has more '{}' than values");
			if (itext_render(args[used++], out, 0))
				return put_err(e, -1);
			continue;
		}
		if (escapes && tpl[i] == '\\') {
			if (unescape_one(tpl, len, &i, tmp, &k))
				return out ? ifail(e, "States.Format: invalid escape in the template") : -1;
			if (out && put_err(e, buf_append(out, tmp, k)))
				return -1;
			continue;
		}
		if (out && put_err(e, buf_append(out, tpl + i, 1)))
			return -1;
		i++;
	}
	return count;
}

void itext_double(double d, char *buf, size_t size)
{
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	if (!strpbrk(buf, ".eEn") && strlen(buf) + 3 <= size)
		strcat(buf, ".0");
}

static int put_number(const json_t *v, struct buf *out)
{
	char tmp[64];

	if (json_is_integer(v))
		snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else
		itext_double(json_real_value(v), tmp, sizeof tmp);
	return buf_puts(out, tmp);
}

static int too_deep(int depth)
{
	return depth > 512 ? -1 : 0;
}

int itext_render(const json_t *v, struct buf *out, int depth)
{
	size_t i;
	void *it;

	if (too_deep(depth))
		return -1;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return buf_append(out, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
	case JSON_REAL:
		return put_number(v, out);
	case JSON_TRUE: return buf_puts(out, "true");
	case JSON_FALSE: return buf_puts(out, "false");
	case JSON_NULL: return buf_puts(out, "null");
	case JSON_ARRAY:
		if (buf_puts(out, "["))
			return -1;
		for (i = 0; i < json_array_size(v); i++)
			if ((i && buf_puts(out, ", ")) ||
			    itext_render(json_array_get(v, i), out, depth + 1))
				return -1;
		return buf_puts(out, "]");
	case JSON_OBJECT:
		if (buf_puts(out, "{"))
			return -1;
		i = 0;
		for (it = json_object_iter((json_t *)v); it;
		     it = json_object_iter_next((json_t *)v, it), i++)
			if ((i && buf_puts(out, ", ")) ||
			    buf_append(out, json_object_iter_key(it), json_object_iter_key_len(it)) ||
			    buf_puts(out, "=") ||
			    itext_render(json_object_iter_value(it), out, depth + 1))
				return -1;
		return buf_puts(out, "}");
	}
	return -1;
}

static int put_jstring(const char *s, size_t len, struct buf *out)
{
	size_t i, run = 0;

	if (buf_puts(out, "\""))
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char tmp[8];

		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (c < 0x20) {
				snprintf(tmp, sizeof tmp, "\\u%04x", c);
				esc = tmp;
			}
		}
		if (!esc)
			continue;
		if (buf_append(out, s + run, i - run) || buf_puts(out, esc))
			return -1;
		run = i + 1;
	}
	if (buf_append(out, s + run, len - run))
		return -1;
	return buf_puts(out, "\"");
}

int itext_json(const json_t *v, struct buf *out, int depth)
{
	size_t i;
	void *it;

	if (too_deep(depth))
		return -1;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return put_jstring(json_string_value(v), json_string_length(v), out);
	case JSON_INTEGER:
	case JSON_REAL:
		return put_number(v, out);
	case JSON_TRUE: return buf_puts(out, "true");
	case JSON_FALSE: return buf_puts(out, "false");
	case JSON_NULL: return buf_puts(out, "null");
	case JSON_ARRAY:
		if (buf_puts(out, "["))
			return -1;
		for (i = 0; i < json_array_size(v); i++)
			if ((i && buf_puts(out, ",")) ||
			    itext_json(json_array_get(v, i), out, depth + 1))
				return -1;
		return buf_puts(out, "]");
	case JSON_OBJECT:
		if (buf_puts(out, "{"))
			return -1;
		i = 0;
		for (it = json_object_iter((json_t *)v); it;
		     it = json_object_iter_next((json_t *)v, it), i++)
			if ((i && buf_puts(out, ",")) ||
			    put_jstring(json_object_iter_key(it), json_object_iter_key_len(it), out) ||
			    buf_puts(out, ":") ||
			    itext_json(json_object_iter_value(it), out, depth + 1))
				return -1;
		return buf_puts(out, "}");
	}
	return -1;
}

size_t itext_utf8_chars(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

int itext_b64_encode(const unsigned char *in, size_t len, struct buf *out)
{
	size_t need = 4 * ((len + 2) / 3) + 1;
	int n;

	if (len > INT32_MAX / 2 || buf_reserve(out, need))
		return -1;
	n = EVP_EncodeBlock((unsigned char *)out->data + out->len, in, (int)len);
	if (n < 0)
		return -1;
	out->len += (size_t)n;
	out->data[out->len] = '\0';
	return 0;
}

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* As Java's basic decoder: the standard alphabet, no whitespace, padding
 * optional but correct when present. */
int itext_b64_decode(const char *in, size_t len, struct buf *out)
{
	size_t n = len, pad = 0, i;
	uint32_t acc = 0;
	int bits = 0;

	while (n > 0 && in[n - 1] == '=' && pad < 2) {
		n--;
		pad++;
	}
	if ((pad && len % 4 != 0) || n % 4 == 1)
		return -1;
	for (i = 0; i < n; i++) {
		int v = b64val((unsigned char)in[i]);
		unsigned char byte;

		if (v < 0)
			return -1;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			byte = (unsigned char)(acc >> bits);
			if (buf_append(out, &byte, 1))
				return -1;
		}
	}
	return 0;
}

/* Length of the valid UTF-8 sequence at s (0 if malformed). */
static size_t utf8_seq(const unsigned char *s, size_t avail)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

json_t *itext_string_lossy(const char *s, size_t len)
{
	struct buf b;
	size_t i = 0;
	json_t *r = NULL;

	buf_init(&b, 0);
	while (i < len) {
		size_t k = utf8_seq((const unsigned char *)s + i, len - i);

		if (k) {
			if (buf_append(&b, s + i, k))
				goto out;
			i += k;
		} else {
			if (buf_append(&b, "\xef\xbf\xbd", 3))
				goto out;
			i++;
		}
	}
	r = json_stringn(b.data ? b.data : "", b.len);
out:
	buf_free(&b);
	return r;
}
