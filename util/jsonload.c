/* jsonload — see jsonload.h. A recursive-descent parser over the buffer:
 * every construct it meets either parses exactly as jansson 2.14 parses it
 * or makes the whole parse give up (fail()), and json_loadb starts over.
 * Giving up is always correct, only slower; accepting what jansson
 * rejects, or building a different value, is the one thing to avoid
 * (tests/util/test_jsonload.c compares both on valid, invalid and mutated
 * documents). */
#include "jsonload.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Below jansson's JSON_PARSER_MAX_DEPTH (2048): deeper documents go to
 * jansson, which decides. */
#define DEPTH_MAX 512

struct jp {
	const unsigned char *p, *end;
	size_t flags;
	int depth;
	char *sb; /* unescaped strings */
	size_t scap;
};

static inline void ws(struct jp *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t'))
		j->p++;
}

/* Length of the UTF-8 sequence at s (at most n bytes there), 0 when it is
 * not valid: no overlong forms, no surrogates, nothing past U+10FFFF. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0;
	if (c < 0xE0)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c < 0xF0) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
			return 0;
		return 3;
	}
	if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
		return 0;
	if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
		return 0;
	return 4;
}

static bool sb_reserve(struct jp *j, size_t need)
{
	char *n;
	size_t cap = j->scap ? j->scap : 256;

	if (need <= j->scap)
		return true;
	while (cap < need)
		cap *= 2;
	n = realloc(j->sb, cap);
	if (!n)
		return false;
	j->sb = n;
	j->scap = cap;
	return true;
}

static int hex4(const unsigned char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/* j->p just past the opening quote. On success *s, *len is the string's
 * text (in the buffer, or in j->sb when it had escapes) and j->p is past
 * the closing quote. NUL characters are refused (jansson wants
 * JSON_ALLOW_NUL for them, and never takes them in keys). */
static bool string(struct jp *j, const char **s, size_t *len)
{
	const unsigned char *p = j->p, *start = p;
	size_t n = 0;

	for (;;) {
		size_t l;

		if (p >= j->end)
			return false;
		if (*p == '"') {
			*s = (const char *)start;
			*len = (size_t)(p - start);
			j->p = p + 1;
			return true;
		}
		if (*p == '\\')
			break;
		if (*p < 0x20)
			return false;
		if (*p < 0x80) {
			p++;
			continue;
		}
		l = utf8_len(p, (size_t)(j->end - p));
		if (!l)
			return false;
		p += l;
	}
	/* Escapes: unescape into j->sb, the plain prefix first. */
	n = (size_t)(p - start);
	if (!sb_reserve(j, n + 64))
		return false;
	memcpy(j->sb, start, n);
	for (;;) {
		size_t l;
		int u;

		if (!sb_reserve(j, n + 8))
			return false;
		if (p >= j->end)
			return false;
		if (*p == '"')
			break;
		if (*p < 0x20)
			return false;
		if (*p != '\\') {
			l = *p < 0x80 ? 1 : utf8_len(p, (size_t)(j->end - p));
			if (!l)
				return false;
			memcpy(j->sb + n, p, l);
			n += l;
			p += l;
			continue;
		}
		if (++p >= j->end)
			return false;
		switch (*p++) {
		case '"': j->sb[n++] = '"'; continue;
		case '\\': j->sb[n++] = '\\'; continue;
		case '/': j->sb[n++] = '/'; continue;
		case 'b': j->sb[n++] = '\b'; continue;
		case 'f': j->sb[n++] = '\f'; continue;
		case 'n': j->sb[n++] = '\n'; continue;
		case 'r': j->sb[n++] = '\r'; continue;
		case 't': j->sb[n++] = '\t'; continue;
		case 'u': break;
		default: return false;
		}
		if (j->end - p < 4 || (u = hex4(p)) < 0)
			return false;
		p += 4;
		if (u == 0 || (u >= 0xDC00 && u <= 0xDFFF))
			return false;
		if (u >= 0xD800 && u <= 0xDBFF) {
			int lo;

			if (j->end - p < 6 || p[0] != '\\' || p[1] != 'u' || (lo = hex4(p + 2)) < 0 ||
			    lo < 0xDC00 || lo > 0xDFFF)
				return false;
			p += 6;
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
		}
		if (u < 0x80) {
			j->sb[n++] = (char)u;
		} else if (u < 0x800) {
			j->sb[n++] = (char)(0xC0 | (u >> 6));
			j->sb[n++] = (char)(0x80 | (u & 0x3F));
		} else if (u < 0x10000) {
			j->sb[n++] = (char)(0xE0 | (u >> 12));
			j->sb[n++] = (char)(0x80 | ((u >> 6) & 0x3F));
			j->sb[n++] = (char)(0x80 | (u & 0x3F));
		} else {
			j->sb[n++] = (char)(0xF0 | (u >> 18));
			j->sb[n++] = (char)(0x80 | ((u >> 12) & 0x3F));
			j->sb[n++] = (char)(0x80 | ((u >> 6) & 0x3F));
			j->sb[n++] = (char)(0x80 | (u & 0x3F));
		}
	}
	*s = j->sb;
	*len = n;
	j->p = p + 1;
	return true;
}

static json_t *number(struct jp *j)
{
	const unsigned char *p = j->p, *start = p;
	bool real = false;
	char tmp[64];
	size_t n;

	if (p < j->end && *p == '-')
		p++;
	if (p >= j->end)
		return NULL;
	if (*p == '0') {
		p++;
		if (p < j->end && *p >= '0' && *p <= '9')
			return NULL;
	} else if (*p >= '1' && *p <= '9') {
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	} else {
		return NULL;
	}
	if (p < j->end && *p == '.') {
		real = true;
		p++;
		if (p >= j->end || *p < '0' || *p > '9')
			return NULL;
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < j->end && (*p == 'e' || *p == 'E')) {
		real = true;
		p++;
		if (p < j->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= j->end || *p < '0' || *p > '9')
			return NULL;
		while (p < j->end && *p >= '0' && *p <= '9')
			p++;
	}
	n = (size_t)(p - start);
	if (n >= sizeof tmp)
		return NULL;
	memcpy(tmp, start, n);
	tmp[n] = '\0';
	j->p = p;
	errno = 0;
	if (!real) {
		long long v;

		/* Short integers cannot overflow: no strtoll. */
		if (n <= 18) {
			const char *q = tmp + (tmp[0] == '-');

			v = 0;
			while (*q)
				v = v * 10 + (*q++ - '0');
			if (tmp[0] == '-')
				v = -v;
		} else {
			v = strtoll(tmp, NULL, 10);
			if (errno == ERANGE)
				return NULL;
		}
		return json_integer(v);
	} else {
		double d = strtod(tmp, NULL);

		if (errno == ERANGE && isinf(d))
			return NULL;
		return json_real(d);
	}
}

static json_t *value(struct jp *j);

static json_t *object(struct jp *j)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return o;
	}
	for (;;) {
		const char *k;
		size_t kl;
		json_t *v;
		char *key = NULL;
		char small[128];

		if (j->p >= j->end || *j->p != '"')
			goto fail;
		j->p++;
		if (!string(j, &k, &kl))
			goto fail;
		/* The key may live in j->sb, which the value's strings reuse. */
		if (k == j->sb) {
			key = kl < sizeof small ? small : malloc(kl);
			if (!key)
				goto fail;
			memcpy(key, k, kl);
			k = key;
		}
		ws(j);
		if (j->p >= j->end || *j->p != ':') {
			if (key != small)
				free(key);
			goto fail;
		}
		j->p++;
		ws(j);
		v = value(j);
		if (!v || ((j->flags & JSON_REJECT_DUPLICATES) && json_object_getn(o, k, kl)) ||
		    json_object_setn_new_nocheck(o, k, kl, v)) {
			if (key != small)
				free(key);
			json_decref(v);
			goto fail;
		}
		if (key != small)
			free(key);
		ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			ws(j);
			continue;
		}
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			return o;
		}
		goto fail;
	}
fail:
	json_decref(o);
	return NULL;
}

static json_t *array(struct jp *j)
{
	json_t *a = json_array();

	if (!a)
		return NULL;
	ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return a;
	}
	for (;;) {
		json_t *v = value(j);

		if (!v || json_array_append_new(a, v))
			goto fail;
		ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			ws(j);
			continue;
		}
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			return a;
		}
		goto fail;
	}
fail:
	json_decref(a);
	return NULL;
}

static bool word(struct jp *j, const char *w, size_t n)
{
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n))
		return false;
	j->p += n;
	return true;
}

static json_t *value(struct jp *j)
{
	json_t *v = NULL;

	if (j->p >= j->end)
		return NULL;
	switch (*j->p) {
	case '{':
	case '[':
		if (++j->depth > DEPTH_MAX)
			return NULL;
		j->p++;
		v = j->p[-1] == '{' ? object(j) : array(j);
		j->depth--;
		return v;
	case '"': {
		const char *s;
		size_t l;

		j->p++;
		return string(j, &s, &l) ? json_stringn_nocheck(s, l) : NULL;
	}
	case 't':
		return word(j, "true", 4) ? json_true() : NULL;
	case 'f':
		return word(j, "false", 5) ? json_false() : NULL;
	case 'n':
		return word(j, "null", 4) ? json_null() : NULL;
	default:
		return number(j);
	}
}

json_t *jsonload_buf(const char *buf, size_t len, size_t flags, json_error_t *error)
{
	struct jp j = { .p = (const unsigned char *)buf, .end = (const unsigned char *)buf + len, .flags = flags };
	json_t *v = NULL;
	const struct lconv *lc = localeconv();

	if (buf && !(flags & ~(size_t)(JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)) && lc &&
	    !strcmp(lc->decimal_point, ".")) {
		ws(&j);
		if (j.p < j.end && ((flags & JSON_DECODE_ANY) || *j.p == '{' || *j.p == '['))
			v = value(&j);
		ws(&j);
		if (v && j.p != j.end) {
			json_decref(v);
			v = NULL;
		}
		free(j.sb);
		if (v) {
			if (error) {
				error->line = error->column = -1;
				error->position = 0;
				snprintf(error->source, sizeof error->source, "<buffer>");
				error->text[0] = '\0';
			}
			return v;
		}
	}
	return json_loadb(buf, len, flags, error);
}
