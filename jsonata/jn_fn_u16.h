/* jn_fn_u16.h: JavaScript string operations on UTF-16 code units, for the
 * picture-string code that must index, slice and search as JavaScript does
 * (jn_fn_format.c's $formatNumber, jn_fn_intpic.c's integer pictures).
 * Small static inline helpers over struct jn_u16 (jn_fn_a.h); results live
 * in the evaluation's arena.
 *
 * Thread-safety: as jn_int.h. */
#ifndef TUTTI_JN_FN_U16_H
#define TUTTI_JN_FN_U16_H

#include <math.h>
#include <string.h>

#include "jn_fn_a.h"
#include "jn_int.h"

/* ------------------------------------------------------------------ */
/* JavaScript string operations on UTF-16 units                         */
/* ------------------------------------------------------------------ */

typedef struct jn_u16 U;

static inline U u_view(const uint16_t *u, size_t n) { return (U){(uint16_t *)u, n}; }
static inline U u_empty(void) { return (U){NULL, 0}; }

static inline U u_of(struct jn_ctx *c, const char *s) { return jn_u16_from(c, s, strlen(s)); }
static inline U u_of_jv(struct jn_ctx *c, const jv *v) { return jn_u16_from(c, v->u.s.p, v->u.s.len); }

static inline int u_eq(U a, U b) { return a.n == b.n && (a.n == 0 || !memcmp(a.u, b.u, a.n * sizeof *a.u)); }

/* s.indexOf(t, from) */
static inline long u_indexof(U s, U t, long from)
{
	if (from < 0)
		from = 0;
	if ((size_t)from > s.n)
		from = (long)s.n;
	if (t.n == 0)
		return from;
	if (t.n == 1) { /* a separator or a digit: no memcmp per match */
		for (size_t i = (size_t)from; i < s.n; i++)
			if (s.u[i] == t.u[0])
				return (long)i;
		return -1;
	}
	for (size_t i = (size_t)from; i + t.n <= s.n; i++)
		if (s.u[i] == t.u[0] && !memcmp(s.u + i, t.u, t.n * sizeof *t.u))
			return (long)i;
	return -1;
}

/* s.lastIndexOf(t) */
static inline long u_lastindexof(U s, U t)
{
	if (t.n > s.n)
		return -1;
	for (size_t i = s.n - t.n + 1; i-- > 0;)
		if (t.n == 0 || !memcmp(s.u + i, t.u, t.n * sizeof *t.u))
			return (long)i;
	return -1;
}

static inline double clampd(double d, double lo, double hi) { return d < lo ? lo : d > hi ? hi : d; }

/* s.substring(a, b) (b < 0 or NAN-free: pass s.n for "to the end") */
static inline U u_substring(U s, double a, double b)
{
	a = clampd(jn_js_toint(a), 0, (double)s.n);
	b = clampd(jn_js_toint(b), 0, (double)s.n);
	if (a > b) {
		double t = a;
		a = b;
		b = t;
	}
	return u_view(s.u + (size_t)a, (size_t)(b - a));
}

/* s.substr(start, length) (length < 0 given as HUGE_VAL for "absent") */
static inline U u_substr(U s, double start, double length)
{
	double n = (double)s.n;
	start = jn_js_toint(start);
	if (start < 0)
		start = start + n < 0 ? 0 : start + n;
	if (start > n)
		start = n;
	length = clampd(jn_js_toint(length), 0, n - start);
	return u_view(s.u + (size_t)start, (size_t)length);
}

static inline U u_cat(struct jn_ctx *c, U a, U b)
{
	U r;
	r.n = a.n + b.n;
	r.u = jn_alloc_raw(c, (r.n + 1) * sizeof *r.u);
	if (a.n)
		memcpy(r.u, a.u, a.n * sizeof *r.u);
	if (b.n)
		memcpy(r.u + a.n, b.u, b.n * sizeof *r.u);
	return r;
}

static inline U u_cat3(struct jn_ctx *c, U a, U b, U d) { return u_cat(c, u_cat(c, a, b), d); }

/* s.charAt(i) */
static inline U u_char_at(U s, long i)
{
	if (i < 0 || (size_t)i >= s.n)
		return u_empty();
	return u_view(s.u + i, 1);
}

static inline U u_repeat(struct jn_ctx *c, U s, double times)
{
	U r = u_empty();
	if (!(times > 0) || s.n == 0)
		return r;
	r.n = s.n * (size_t)times;
	r.u = jn_alloc_raw(c, (r.n + 1) * sizeof *r.u);
	for (size_t i = 0; i < (size_t)times; i++)
		memcpy(r.u + i * s.n, s.u, s.n * sizeof *r.u);
	return r;
}

static inline U u_ascii(struct jn_ctx *c, const char *s, size_t n)
{
	U r;
	r.n = n;
	r.u = jn_alloc_raw(c, (n + 1) * sizeof *r.u);
	for (size_t i = 0; i < n; i++)
		r.u[i] = (unsigned char)s[i];
	return r;
}

/* s as a string value; all ASCII (the common result: digits and
 * separators) without the per-code-point UTF-8 encoder */
static inline jv *u_str(struct jn_ctx *c, U s)
{
	for (size_t i = 0; i < s.n; i++)
		if (s.u[i] >= 0x80)
			return jn_u16_str(c, s.u, s.n);
	char *p = jn_alloc_raw(c, s.n + 1);
	for (size_t i = 0; i < s.n; i++)
		p[i] = (char)s.u[i];
	jv *v = jn_str_ref(c, p, s.n);
	v->flags |= JV_STR_ASCII;
	return v;
}

/* s with ins inserted at index at (0..s.n), in place when s has room (cap
 * units): the separators' insertion loops stay linear in memory. */
static inline U u_insert(struct jn_ctx *c, U s, size_t *cap, size_t at, U ins)
{
	if (s.n + ins.n > *cap) {
		size_t ncap = (s.n + ins.n) * 2 + 16;
		uint16_t *nu = jn_alloc_raw(c, ncap * sizeof *nu);
		if (s.n)
			memcpy(nu, s.u, s.n * sizeof *nu);
		s.u = nu;
		*cap = ncap;
	}
	memmove(s.u + at + ins.n, s.u + at, (s.n - at) * sizeof *s.u);
	if (ins.n)
		memcpy(s.u + at, ins.u, ins.n * sizeof *s.u);
	s.n += ins.n;
	return s;
}

/* s.slice(0, at) + ins + s.slice(at): an insertion at the index slice()
 * resolves at to */
static inline U u_slice_insert(struct jn_ctx *c, U s, size_t *cap, double at, U ins)
{
	double n = (double)s.n;
	at = jn_js_toint(at);
	at = at < 0 ? (at + n < 0 ? 0 : at + n) : (at > n ? n : at);
	return u_insert(c, s, cap, (size_t)at, ins);
}

#endif
