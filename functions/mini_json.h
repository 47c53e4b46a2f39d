/* mini_json.h — just enough JSON for the example functions, in one header.
 *
 * The example functions run in a sandbox where only libc is guaranteed, so
 * they cannot count on jansson. This header reads a field of a JSON object,
 * numbers, strings and array elements, and writes escaped JSON strings. It
 * is a scanner, not a parser: it trusts the runtime to hand it valid JSON
 * (the runtime validates every payload) but stays safe on anything: every
 * read is bounded by the text's length, nesting is capped at MJ_MAX_DEPTH,
 * and every output buffer has a caller-given capacity.
 *
 * A value is a span [p, end) of the caller's text; nothing is allocated,
 * nothing is owned. All functions are static inline and thread-safe. */
#ifndef TUTTI_MINI_JSON_H
#define TUTTI_MINI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MJ_MAX_DEPTH 256
#define MJ_KEY_MAX   256

/* One JSON value: [p, end) of the caller's text. p == NULL: no value. */
struct mj_val {
	const char *p;
	const char *end;
};

static inline const char *mj__ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Skip a string starting at its opening quote; return what follows. */
static inline const char *mj__skip_string(const char *p, const char *end)
{
	if (p >= end || *p != '"')
		return NULL;
	for (p++; p < end; p++) {
		if (*p == '\\') {
			if (++p >= end)
				return NULL;
		} else if (*p == '"') {
			return p + 1;
		} else if ((unsigned char)*p < 0x20) {
			return NULL;
		}
	}
	return NULL;
}

/* Skip one value of any type; NULL if malformed or nested too deep. */
static inline const char *mj__skip_value(const char *p, const char *end, int depth)
{
	char close;

	p = mj__ws(p, end);
	if (p >= end || depth > MJ_MAX_DEPTH)
		return NULL;
	switch (*p) {
	case '"':
		return mj__skip_string(p, end);
	case '{':
	case '[':
		close = *p == '{' ? '}' : ']';
		p = mj__ws(p + 1, end);
		if (p < end && *p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				p = mj__skip_string(mj__ws(p, end), end);
				if (!p)
					return NULL;
				p = mj__ws(p, end);
				if (p >= end || *p != ':')
					return NULL;
				p++;
			}
			p = mj__skip_value(p, end, depth + 1);
			if (!p)
				return NULL;
			p = mj__ws(p, end);
			if (p >= end)
				return NULL;
			if (*p == close)
				return p + 1;
			if (*p != ',')
				return NULL;
			p++;
		}
	default:
		/* numbers and literals: a run of their characters */
		if (!strchr("-0123456789tfn", *p))
			return NULL;
		{
			const char *s = p;

			while (p < end && *p && strchr("+-.0123456789eEtruefalsn", *p))
				p++;
			return p > s ? p : NULL;
		}
	}
}

/* The whole text as one value (surrounding whitespace trimmed). */
static inline struct mj_val mj_root(const char *json, size_t len)
{
	struct mj_val v = { NULL, NULL };
	const char *end = json + len;
	const char *p = mj__ws(json, end);
	const char *q = mj__skip_value(p, end, 0);

	if (q && mj__ws(q, end) == end) {
		v.p = p;
		v.end = q;
	}
	return v;
}

/* The JSON type letter of v: 'o' object, 'a' array, 's' string, 'n' number,
 * 'b' boolean, 'z' null, 0 no value. */
static inline char mj_type(struct mj_val v)
{
	if (!v.p || v.p >= v.end)
		return 0;
	switch (*v.p) {
	case '{': return 'o';
	case '[': return 'a';
	case '"': return 's';
	case 't': case 'f': return 'b';
	case 'n': return 'z';
	default: return 'n';
	}
}

/* Decode the string value v into buf (NUL-terminated, UTF-8). Returns its
 * length, or -1 if v is not a string or does not fit in cap bytes. */
static inline long mj_string(struct mj_val v, char *buf, size_t cap)
{
	const char *p, *end;
	size_t n = 0;

	if (mj_type(v) != 's' || cap == 0)
		return -1;
	end = v.end - 1; /* the closing quote */
	for (p = v.p + 1; p < end; p++) {
		unsigned long c = (unsigned char)*p;
		char tmp[4];
		size_t k = 1;

		if (c == '\\') {
			if (++p >= end)
				return -1;
			switch (*p) {
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u': {
				char hex[5] = { 0 };

				if (end - p < 5)
					return -1;
				memcpy(hex, p + 1, 4);
				c = strtoul(hex, NULL, 16);
				p += 4;
				/* a surrogate pair: \uD8xx\uDCxx */
				if (c >= 0xD800 && c < 0xDC00 && end - p >= 7 && p[1] == '\\' && p[2] == 'u') {
					unsigned long lo;

					memcpy(hex, p + 3, 4);
					lo = strtoul(hex, NULL, 16);
					if (lo >= 0xDC00 && lo < 0xE000) {
						c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
						p += 6;
					}
				}
				if (c >= 0xD800 && c < 0xE000)
					c = 0xFFFD; /* a lone surrogate */
				break;
			}
			default: c = (unsigned char)*p; break; /* \" \\ \/ */
			}
			if (c >= 0x10000) {
				tmp[0] = (char)(0xF0 | (c >> 18));
				tmp[1] = (char)(0x80 | ((c >> 12) & 0x3F));
				tmp[2] = (char)(0x80 | ((c >> 6) & 0x3F));
				tmp[3] = (char)(0x80 | (c & 0x3F));
				k = 4;
			} else if (c >= 0x800) {
				tmp[0] = (char)(0xE0 | (c >> 12));
				tmp[1] = (char)(0x80 | ((c >> 6) & 0x3F));
				tmp[2] = (char)(0x80 | (c & 0x3F));
				k = 3;
			} else if (c >= 0x80) {
				tmp[0] = (char)(0xC0 | (c >> 6));
				tmp[1] = (char)(0x80 | (c & 0x3F));
				k = 2;
			} else {
				tmp[0] = (char)c;
			}
		} else {
			tmp[0] = (char)c;
		}
		if (n + k >= cap)
			return -1;
		memcpy(buf + n, tmp, k);
		n += k;
	}
	buf[n] = '\0';
	return (long)n;
}

/* The value of `key` in the object v; {NULL, NULL} when v is not an object
 * or has no such key (the first occurrence wins). */
static inline struct mj_val mj_get(struct mj_val v, const char *key)
{
	struct mj_val none = { NULL, NULL }, k, val;
	const char *p, *end = v.end;
	char name[MJ_KEY_MAX];

	if (mj_type(v) != 'o')
		return none;
	p = mj__ws(v.p + 1, end);
	while (p < end && *p == '"') {
		k.p = p;
		k.end = mj__skip_string(p, end);
		if (!k.end)
			return none;
		p = mj__ws(k.end, end);
		if (p >= end || *p != ':')
			return none;
		val.p = mj__ws(p + 1, end);
		val.end = mj__skip_value(val.p, end, 1);
		if (!val.end)
			return none;
		if (mj_string(k, name, sizeof name) >= 0 && !strcmp(name, key))
			return val;
		p = mj__ws(val.end, end);
		if (p >= end || *p != ',')
			return none;
		p = mj__ws(p + 1, end);
	}
	return none;
}

/* Read the number value v into *out; false if v is not a number. */
static inline bool mj_number(struct mj_val v, double *out)
{
	char tmp[64], *e;
	size_t n;

	if (mj_type(v) != 'n')
		return false;
	n = (size_t)(v.end - v.p);
	if (n >= sizeof tmp)
		return false; /* no sane number is that long */
	memcpy(tmp, v.p, n);
	tmp[n] = '\0';
	*out = strtod(tmp, &e);
	return e == tmp + n;
}

/* Array iteration: `it` starts as the array value; each call moves to the
 * next element and stores it in *elem. False at the end or if malformed. */
static inline bool mj_next(struct mj_val *it, struct mj_val *elem)
{
	const char *p;

	if (!it->p || it->p >= it->end)
		return false;
	p = mj__ws(it->p + 1, it->end); /* past '[' first, ',' later */
	if (p >= it->end || *p == ']') {
		it->p = NULL;
		return false;
	}
	elem->p = p;
	elem->end = mj__skip_value(p, it->end, 1);
	if (!elem->end) {
		it->p = NULL;
		return false;
	}
	p = mj__ws(elem->end, it->end);
	if (p >= it->end || (*p != ',' && *p != ']')) {
		it->p = NULL;
		return false;
	}
	/* leave it->p on the ',' (the next call skips it), or at the end */
	it->p = *p == ']' ? it->end : p;
	return true;
}

/* Write s as a quoted JSON string into buf (NUL-terminated). Returns its
 * length, or -1 if it does not fit in cap bytes. */
static inline long mj_escape(const char *s, char *buf, size_t cap)
{
	size_t n = 0;

	if (cap < 3)
		return -1;
	buf[n++] = '"';
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char tmp[8];
		size_t k;

		if (c == '"' || c == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)c;
			k = 2;
		} else if (c == '\n') {
			memcpy(tmp, "\\n", k = 2);
		} else if (c == '\t') {
			memcpy(tmp, "\\t", k = 2);
		} else if (c == '\r') {
			memcpy(tmp, "\\r", k = 2);
		} else if (c < 0x20) {
			snprintf(tmp, sizeof tmp, "\\u%04x", c);
			k = 6;
		} else {
			tmp[0] = (char)c;
			k = 1;
		}
		if (n + k + 2 > cap)
			return -1;
		memcpy(buf + n, tmp, k);
		n += k;
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return (long)n;
}

/* Format a number as JSON: integral values without a fraction (3, not 3.0
 * or 3e+00), others with enough digits to round-trip. Non-finite values
 * have no JSON spelling: -1. Returns the length written. */
static inline long mj_format_number(double d, char *buf, size_t cap)
{
	int n;

	if (d != d || d > 1.7976931348623157e308 || d < -1.7976931348623157e308)
		return -1;
	if (d > -9007199254740992.0 && d < 9007199254740992.0 && d == (double)(int64_t)d)
		n = snprintf(buf, cap, "%lld", (long long)d);
	else
		n = snprintf(buf, cap, "%.17g", d);
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

#endif
