/* jn_lex.c: the tokenizer, as parser.js's tokenizer(): one token per call,
 * positions in UTF-16 code units just after the token (JavaScript's string
 * indices), syntax errors S0101..S0106, S0301, S0302. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jn_ast.h"

long jn_lex_u16(struct jn_compile *k, size_t off)
{
	if (off > k->len)
		off = k->len;
	return k->u16pos ? (long)k->u16pos[off] : (long)off;
}

/* The single-character operators of parser.js's `operators` table. */
static int is_op_char(char ch)
{
	return ch && strchr(".[]{}(),@#;:?+-*/%|=<>^&!~", ch) != NULL;
}

static int is_ws(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v'; }

static int at(struct jn_compile *k, size_t i) { return i < k->len ? (unsigned char)k->src[i] : 0; }

static void tok(struct jn_compile *k, struct jn_token *t, enum jn_tok type, const char *p, size_t n)
{
	t->type = type;
	t->s.p = p;
	t->s.len = n;
	t->position = jn_lex_u16(k, k->pos);
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static void scan_regex(struct jn_compile *k, struct jn_token *t)
{
	size_t start = k->pos;
	int depth = 0;
	while (k->pos < k->len) {
		int ch = at(k, k->pos);
		if (ch == '/' && depth == 0) {
			size_t bs = 0;
			while (k->pos >= bs + 1 && at(k, k->pos - (bs + 1)) == '\\')
				bs++;
			if (bs % 2 == 0) {
				size_t plen = k->pos - start;
				if (plen == 0)
					jn_parse_fail(k, "S0301", jn_lex_u16(k, k->pos), NULL, NULL);
				k->pos++;
				size_t fs = k->pos;
				while (at(k, k->pos) == 'i' || at(k, k->pos) == 'm')
					k->pos++;
				tok(k, t, TK_REGEX, k->src + start, plen);
				t->flags.p = k->src + fs;
				t->flags.len = k->pos - fs;
				return;
			}
		}
		int prev = k->pos > 0 ? at(k, k->pos - 1) : 0;
		if ((ch == '(' || ch == '[' || ch == '{') && prev != '\\')
			depth++;
		if ((ch == ')' || ch == ']' || ch == '}') && prev != '\\')
			depth--;
		k->pos++;
	}
	jn_parse_fail(k, "S0302", jn_lex_u16(k, k->pos), NULL, NULL);
}

/* A string literal's contents, unescaped (UTF-8; \uD83D\uDE00 pairs joined,
 * a lone surrogate kept as its 3-byte form). */
static void scan_string(struct jn_compile *k, struct jn_token *t)
{
	int quote = at(k, k->pos);
	k->pos++;
	size_t start = k->pos;
	/* fast path: no escapes */
	size_t i = start;
	while (i < k->len && k->src[i] != quote && k->src[i] != '\\')
		i++;
	if (i < k->len && k->src[i] == quote) {
		k->pos = i + 1;
		tok(k, t, TK_STRING, k->src + start, i - start);
		return;
	}
	struct jn_sb b;
	jn_sb_init(&b);
	size_t hi_end = (size_t)-1; /* b.n just after a \u high surrogate */
	uint32_t hi = 0;
	while (k->pos < k->len) {
		int ch = at(k, k->pos);
		if (ch == '\\') {
			k->pos++;
			ch = at(k, k->pos);
			const char *esc = NULL;
			switch (ch) {
			case '"': esc = "\""; break;
			case '\\': esc = "\\"; break;
			case '/': esc = "/"; break;
			case 'b': esc = "\b"; break;
			case 'f': esc = "\f"; break;
			case 'n': esc = "\n"; break;
			case 'r': esc = "\r"; break;
			case 't': esc = "\t"; break;
			}
			if (esc) {
				jn_sb_putc(k->c, &b, esc[0]);
			} else if (ch == 'u') {
				/* JS: /^[0-9a-fA-F]+$/.test(path.substr(position + 1, 4)) */
				uint32_t cp = 0;
				int nh = 0;
				for (; nh < 4 && k->pos + 1 + (size_t)nh < k->len; nh++) {
					int h = hexval(at(k, k->pos + 1 + (size_t)nh));
					if (h < 0)
						break;
					cp = cp * 16 + (uint32_t)h;
				}
				size_t avail = k->len - (k->pos + 1);
				if (nh == 0 || (size_t)nh < (avail < 4 ? avail : 4))
					jn_parse_fail(k, "S0104", jn_lex_u16(k, k->pos), NULL, NULL);
				if (cp >= 0xDC00 && cp <= 0xDFFF && hi_end == b.n) {
					b.n -= 3;
					jn_sb_cp(k->c, &b, 0x10000 + ((hi - 0xD800) << 10) + (cp - 0xDC00));
				} else {
					jn_sb_cp(k->c, &b, cp);
					if (cp >= 0xD800 && cp <= 0xDBFF) {
						hi = cp;
						hi_end = b.n;
					}
				}
				k->pos += (size_t)nh;
			} else {
				char tk[8] = {0};
				size_t q = k->pos;
				if (q < k->len)
					jn_utf8_next(k->src, k->len, &q);
				memcpy(tk, k->src + k->pos, q - k->pos < 7 ? q - k->pos : 7);
				jn_parse_fail(k, "S0103", jn_lex_u16(k, k->pos), jn_memdup(k->c, tk, strlen(tk)), NULL);
			}
		} else if (ch == quote) {
			k->pos++;
			tok(k, t, TK_STRING, b.p ? b.p : "", b.n);
			return;
		} else {
			jn_sb_putc(k->c, &b, (char)ch);
		}
		k->pos++;
	}
	jn_parse_fail(k, "S0101", jn_lex_u16(k, k->pos), NULL, NULL);
}

/* ^-?(0|([1-9][0-9]*))(\.[0-9]+)?([Ee][-+]?[0-9]+)? at pos; its length or 0. */
static size_t match_number(struct jn_compile *k)
{
	size_t i = k->pos;
	if (at(k, i) == '-')
		i++;
	if (at(k, i) == '0')
		i++;
	else if (at(k, i) >= '1' && at(k, i) <= '9') {
		while (at(k, i) >= '0' && at(k, i) <= '9')
			i++;
	} else
		return 0;
	if (at(k, i) == '.' && at(k, i + 1) >= '0' && at(k, i + 1) <= '9') {
		i += 2;
		while (at(k, i) >= '0' && at(k, i) <= '9')
			i++;
	}
	if (at(k, i) == 'e' || at(k, i) == 'E') {
		size_t j = i + 1;
		if (at(k, j) == '+' || at(k, j) == '-')
			j++;
		if (at(k, j) >= '0' && at(k, j) <= '9') {
			while (at(k, j) >= '0' && at(k, j) <= '9')
				j++;
			i = j;
		}
	}
	return i - k->pos;
}

int jn_lex_next(struct jn_compile *k, int prefix, struct jn_token *t)
{
	memset(t, 0, sizeof(*t));
again:
	if (k->pos >= k->len)
		return 0;
	while (k->pos < k->len && is_ws(k->src[k->pos]))
		k->pos++;
	int ch = at(k, k->pos);
	if (ch == '/' && at(k, k->pos + 1) == '*') {
		size_t cs = k->pos;
		k->pos += 2;
		for (;;) {
			if (at(k, k->pos) == '*' && at(k, k->pos + 1) == '/')
				break;
			k->pos++;
			if (k->pos >= k->len)
				jn_parse_fail(k, "S0106", jn_lex_u16(k, cs), NULL, NULL);
		}
		k->pos += 2;
		goto again;
	}
	if (!prefix && ch == '/') {
		k->pos++;
		scan_regex(k, t);
		return 1;
	}
	static const char *const two[] = {"..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??"};
	for (size_t i = 0; i < sizeof(two) / sizeof(two[0]); i++) {
		if (ch == two[i][0] && at(k, k->pos + 1) == two[i][1]) {
			k->pos += 2;
			tok(k, t, TK_OPERATOR, two[i], 2);
			return 1;
		}
	}
	if (is_op_char((char)ch)) {
		k->pos++;
		tok(k, t, TK_OPERATOR, k->src + k->pos - 1, 1);
		return 1;
	}
	if (ch == '"' || ch == '\'') {
		scan_string(k, t);
		return 1;
	}
	size_t nl = match_number(k);
	if (nl) {
		char buf[64];
		char *tmp = nl < sizeof(buf) ? buf : jn_alloc_raw(k->c, nl + 1);
		memcpy(tmp, k->src + k->pos, nl);
		tmp[nl] = 0;
		double d = strtod(tmp, NULL);
		if (!isfinite(d))
			jn_parse_fail(k, "S0102", jn_lex_u16(k, k->pos), jn_memdup(k->c, tmp, nl), NULL);
		k->pos += nl;
		tok(k, t, TK_NUMBER, NULL, 0);
		t->num = d;
		return 1;
	}
	if (ch == '`') {
		k->pos++;
		const char *e = memchr(k->src + k->pos, '`', k->len - k->pos);
		if (e) {
			size_t s = k->pos;
			k->pos = (size_t)(e - k->src) + 1;
			tok(k, t, TK_NAME, k->src + s, (size_t)(e - k->src) - s);
			return 1;
		}
		k->pos = k->len;
		jn_parse_fail(k, "S0105", jn_lex_u16(k, k->pos), NULL, NULL);
	}
	size_t i = k->pos;
	while (i < k->len && !is_ws(k->src[i]) && !is_op_char(k->src[i]))
		i++;
	size_t s = k->pos;
	k->pos = i;
	if (at(k, s) == '$') {
		tok(k, t, TK_VARIABLE, k->src + s + 1, i - s - 1);
		return 1;
	}
	size_t n = i - s;
	const char *p = k->src + s;
	if ((n == 2 && !memcmp(p, "or", 2)) || (n == 2 && !memcmp(p, "in", 2)) || (n == 3 && !memcmp(p, "and", 3))) {
		tok(k, t, TK_OPERATOR, p, n);
		return 1;
	}
	if (n == 4 && !memcmp(p, "true", 4)) {
		tok(k, t, TK_VALUE, p, n);
		t->val = jn_true();
		return 1;
	}
	if (n == 5 && !memcmp(p, "false", 5)) {
		tok(k, t, TK_VALUE, p, n);
		t->val = jn_false();
		return 1;
	}
	if (n == 4 && !memcmp(p, "null", 4)) {
		tok(k, t, TK_VALUE, p, n);
		t->val = jn_null();
		return 1;
	}
	if (k->pos == k->len && n == 0)
		return 0;
	tok(k, t, TK_NAME, p, n);
	return 1;
}
