/* jn_fn_dt.h: private to the date/time functions (jn_fn_dtpic.c: date
 * arithmetic and picture analysis; jn_fn_datetime.c: formatting and the
 * builtins; jn_fn_dtparse.c: $toMillis's parsing). What they share: UTF-16
 * buffers (datetime.js counts widths and positions in code units), a
 * Date's UTC fields, an analysed picture, ECMAScript's date arithmetic.
 *
 * Thread-safety: as jn_int.h (everything in one evaluation's arena). */
#ifndef TUTTI_JN_FN_DT_H
#define TUTTI_JN_FN_DT_H

#include <math.h>
#include <string.h>

#include "jn_fn_a.h"
#include "jn_int.h"

#define MS_PER_DAY 86400000.0

enum { TC_LOWER = JN_CASE_LOWER, TC_UPPER = JN_CASE_UPPER, TC_TITLE = JN_CASE_TITLE };

/* ---------------------------------------------------------------- */
/* UTF-16 buffers                                                   */
/* ---------------------------------------------------------------- */

struct u16 {
	uint16_t *p;
	size_t n, cap;
};

static inline void u16_grow(struct jn_ctx *c, struct u16 *b, size_t more)
{
	if (b->n + more <= b->cap)
		return;
	size_t nc = b->cap ? b->cap * 2 : 32;
	while (nc < b->n + more)
		nc *= 2;
	b->p = jn_realloc(c, b->p, b->cap * sizeof *b->p, nc * sizeof *b->p);
	b->cap = nc;
}

static inline void u16_push(struct jn_ctx *c, struct u16 *b, uint16_t u)
{
	u16_grow(c, b, 1);
	b->p[b->n++] = u;
}

static inline void u16_push_cp(struct jn_ctx *c, struct u16 *b, uint32_t cp)
{
	if (cp >= 0x10000) {
		cp -= 0x10000;
		u16_push(c, b, (uint16_t)(0xD800 + (cp >> 10)));
		u16_push(c, b, (uint16_t)(0xDC00 + (cp & 0x3FF)));
	} else {
		u16_push(c, b, (uint16_t)cp);
	}
}

static inline void u16_puts(struct jn_ctx *c, struct u16 *b, const char *s)
{
	while (*s)
		u16_push(c, b, (unsigned char)*s++);
}

static inline void u16_append(struct jn_ctx *c, struct u16 *b, const struct u16 *x)
{
	u16_grow(c, b, x->n);
	if (x->n)
		memcpy(b->p + b->n, x->p, x->n * sizeof *b->p);
	b->n += x->n;
}

/* Inserts x at unit index at (<= b->n). */
static inline void u16_insert(struct jn_ctx *c, struct u16 *b, size_t at, const struct u16 *x)
{
	u16_grow(c, b, x->n);
	memmove(b->p + at + x->n, b->p + at, (b->n - at) * sizeof *b->p);
	if (x->n)
		memcpy(b->p + at, x->p, x->n * sizeof *b->p);
	b->n += x->n;
}

static inline void u16_from_utf8(struct jn_ctx *c, struct u16 *b, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n)
		u16_push_cp(c, b, jn_utf8_next(s, n, &i));
}

/* Appends the units as UTF-8 (pairs joined; a lone surrogate in its 3-byte
 * form, as the engine's strings keep them). 0, or -1 (time limit). */
static inline int u16_to_sb(struct jn_ctx *c, struct jn_sb *sb, const struct u16 *b)
{
	char buf[4096];
	size_t k = 0;
	for (size_t i = 0; i < b->n; i++) {
		uint32_t u = b->p[i];
		if (k + 4 > sizeof buf) {
			jn_sb_put(c, sb, buf, k);
			k = 0;
			if (jn_tick(c) < 0) /* a huge width: let the time limit end it */
				return -1;
		}
		if (u < 0x80) {
			buf[k++] = (char)u;
			continue;
		}
		if (u >= 0xD800 && u < 0xDC00 && i + 1 < b->n && b->p[i + 1] >= 0xDC00 && b->p[i + 1] < 0xE000) {
			u = 0x10000 + ((u - 0xD800) << 10) + (b->p[i + 1] - 0xDC00u);
			i++;
		}
		k += jn_utf8_put(u, buf + k);
	}
	jn_sb_put(c, sb, buf, k);
	return 0;
}

static inline void u16_upper_ascii(struct u16 *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->p[i] >= 'a' && b->p[i] <= 'z')
			b->p[i] = (uint16_t)(b->p[i] - 32);
}

static inline void u16_lower_ascii(struct u16 *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->p[i] >= 'A' && b->p[i] <= 'Z')
			b->p[i] = (uint16_t)(b->p[i] + 32);
}

/* A Date's UTC fields. */
struct dtv {
	int valid;
	double t;
	double y, mon0, day, h, mi, s, ms, wday;
};

struct dpart {
	int literal;
	const char *lit; /* UTF-8, "]]" already made "]" */
	size_t lit_len;
	/* a variable marker */
	uint32_t comp;	/* the component specifier (first character) */
	const char *comp_s; /* ... as UTF-8, for messages */
	size_t comp_len;
	int has_width, has_wmin, has_wmax;
	double wmin, wmax;
	const char *p1; /* presentation1 (UTF-8) */
	size_t p1_len;
	uint32_t p2; /* presentation2 or 0 */
	int names;   /* 0, or 1 + TC_* */
	int has_ifmt;
	struct jn_intpic ifmt;
	double n; /* the year's digits to keep (-1: all) */
};

struct dspec {
	struct dpart *v;
	size_t n, cap;
};

/* A component's value: a number, a string (P, C, E), or undefined. */
struct cval {
	int kind; /* 0 undefined, 1 number, 2 string */
	double num;
	const char *str;
};

/* JavaScript's parseInt(s) (radix undefined): NaN when no digit. */
double jn_dt_parse_int(const char *s, size_t n);
/* Date.UTC(y, m, d, h, mi, s, ms) with its two-digit years; MakeDate and
 * TimeClip of the fields as given (Date.parse); TimeClip. */
double jn_dt_date_utc(double y, double m, double d, double h, double mi, double s, double ms);
double jn_dt_date_fields(double y, double m, double d, double h, double mi, double s, double ms);
double jn_dt_time_clip(double t);
/* A time's UTC fields; its weekday (0 Sunday; NaN for NaN). */
void jn_dt_of(double t, struct dtv *d);
double jn_dt_weekday(double t);

extern const char *const jn_dt_month_names[12];
extern const char *const jn_dt_day_names[8];

/* _formatInteger(value, format), appended to out. 0, or -1 (D3130, U1002). */
int jn_dt_format_int(struct jn_ctx *c, struct u16 *out, double value, const struct jn_intpic *f);
/* analyseDateTimePicture(pic) into spec. 0, or -1 raised. */
int jn_dt_analyse(struct jn_ctx *c, const char *pic, size_t len, struct dspec *spec);
/* getDateTimeFragment(date, component) */
struct cval jn_dt_fragment(const struct dtv *d, uint32_t comp);

/* $toMillis without a picture: the reference's ISO 8601 check, then
 * Date.parse of the text. */
int jn_dt_iso_re(const char *s, size_t n);
double jn_dt_iso_parse(const char *s, size_t n);
/* $toMillis(ts, picture) */
int jn_dt_parse(struct jn_ctx *c, const char *ts, size_t tslen, const jv *picture, jv **out);

#endif
