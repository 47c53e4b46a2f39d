#include "termsafe.h"

#include <string.h>
#include <unistd.h>

#include "utf8.h"

/* Length of the well-formed UTF-8 sequence at p (2-4), or 0: utf8.h's
 * rule, and the C1 controls (U+0080-U+009F, 0xC2 0x80-0x9F) refused too,
 * as a terminal acts on them. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len = utf8_char_len((const char *)p, n);

	if (len == 2 && p[0] == 0xc2 && p[1] <= 0x9f)
		return 0;
	return len;
}

void termsafe_fix_utf8(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t n = strlen(s);

	for (size_t i = 0; i < n;) {
		size_t len = p[i] < 0x80 ? 1 : utf8_len(p + i, n - i);

		if (!len) {
			p[i++] = '?';
			continue;
		}
		i += len;
	}
}

size_t termsafe_escape(const char *text, size_t n, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)text;
	size_t need = 0;

	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t len = 1;
		char esc[4];
		const char *src;

		if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
			src = (const char *)p + i;
		} else if (c >= 0x80 && (len = utf8_len(p + i, n - i)) > 0) {
			src = (const char *)p + i;
		} else {
			len = 1;
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[c >> 4];
			esc[3] = hex[c & 15];
			src = esc;
		}
		size_t w = src == esc ? 4 : len;

		if (need + w <= cap)
			for (size_t k = 0; k < w; k++)
				out[need + k] = src[k];
		else
			cap = need; /* cut here: nothing after fits either */
		need += w;
		i += len;
	}
	return need;
}

void termsafe_write(FILE *f, const char *p, size_t n)
{
	char buf[4096];

	if (!isatty(fileno(f))) {
		fwrite(p, 1, n, f);
		return;
	}
	/* In pieces: one escaped byte is at most 4. */
	while (n) {
		size_t take = n < sizeof buf / 4 ? n : sizeof buf / 4;
		size_t w = termsafe_escape(p, take, buf, sizeof buf);

		/* A UTF-8 sequence cut at the piece's end is escaped byte by
		 * byte: step back to keep it whole when we can. */
		if (take < n) {
			size_t back = 0;

			while (back < 3 && back < take && ((unsigned char)p[take - 1 - back] & 0xc0) == 0x80)
				back++;
			if (back < take && ((unsigned char)p[take - 1 - back] & 0xc0) == 0xc0) {
				take -= back + 1;
				if (take == 0)
					take = 1;
				w = termsafe_escape(p, take, buf, sizeof buf);
			}
		}
		fwrite(buf, 1, w, f);
		p += take;
		n -= take;
	}
}
