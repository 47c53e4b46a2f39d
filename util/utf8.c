/* utf8 — see utf8.h. */
#include "utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t utf8_char_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;
	uint32_t cp;

	if (!n)
		return 0;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

int utf8_cut(const char *s, size_t max)
{
	size_t i = 0;

	while (i < max && s[i]) {
		size_t len = utf8_char_len(s + i, strnlen(s + i, 4));

		if (!len) {
			unsigned char c = (unsigned char)s[i];
			size_t want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

			if (c >= 0xc2 && c <= 0xf4 && strnlen(s + i, want) < want)
				break; /* a character the end of the text cuts short */
			len = 1;       /* a stray byte: kept (a sink cleans it), not a reason to stop */
		}
		if (i + len > max)
			break;
		i += len;
	}
	return (int)(i < (size_t)INT32_MAX ? i : INT32_MAX);
}

/* s[0..n) without a character cut short at its end. */
static size_t trim_partial(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t back = 0;

	while (back < 3 && back < n && (p[n - 1 - back] & 0xc0) == 0x80)
		back++;
	if (back < n && p[n - 1 - back] >= 0xc0) {
		size_t lead = n - 1 - back;
		unsigned char c = p[lead];
		size_t want = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

		if (back + 1 < want)
			return lead;
	}
	return n;
}

bool utf8_valid(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t len = utf8_char_len(s + i, n - i);

		if (!len)
			return false;
		i += len;
	}
	return true;
}

size_t utf8_clean(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		size_t len = utf8_char_len(s + i, n - i);
		const char *src = s + i;

		if (!len) {
			src = "\xef\xbf\xbd"; /* U+FFFD */
			if (o + 3 >= cap)
				break;
			memcpy(out + o, src, 3);
			o += 3;
			i++;
			continue;
		}
		if (o + len >= cap)
			break;
		memcpy(out + o, src, len);
		o += len;
		i += len;
	}
	out[o] = '\0';
	return o;
}

int utf8_snprintf(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int rc;
	size_t n;

	va_start(ap, fmt);
	rc = vsnprintf(out, cap, fmt, ap);
	va_end(ap);
	if (!cap)
		return rc;
	n = strlen(out);
	if (rc >= 0 && (size_t)rc >= cap) { /* cut: not inside a character */
		n = trim_partial(out, n);
		out[n] = '\0';
	}
	if (!utf8_valid(out, n)) {
		char *tmp = malloc(cap);

		if (tmp) {
			utf8_clean(out, n, tmp, cap);
			memcpy(out, tmp, strlen(tmp) + 1);
			free(tmp);
		}
	}
	return rc;
}
