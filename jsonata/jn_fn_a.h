/* jn_fn_a.h: private to the string, format, regex and date/time functions
 * (jn_fn_string.c, jn_fn_format*.c, jn_fn_jsnum.c, jn_fn_regex*.c,
 * jn_fn_datetime*.c): what they share beyond
 * jn_int.h — the matcher-taking forms of $contains/$split/$replace that
 * jn_fn_string.c dispatches to jn_fn_regex.c, and a few JavaScript string
 * operations on UTF-16 code units.
 *
 * Thread-safety: as jn_int.h (everything works in one evaluation's arena). */
#ifndef TUTTI_JN_FN_A_H
#define TUTTI_JN_FN_A_H

#include "jn_int.h"

/* The forms of $contains, $split and $replace whose pattern argument is a
 * function (a regex literal or a function returning a match object).
 * Arguments as the builtin received them (already validated, str defined);
 * limit NULL when absent. 0 or -1 (raised). */
int jn_rx_contains(struct jn_ctx *c, jv *str, jv *matcher, jv **out);
int jn_rx_split(struct jn_ctx *c, jv *str, jv *matcher, jv *limit, jv **out);
int jn_rx_replace(struct jn_ctx *c, jv *str, jv *matcher, jv *replacement, jv *limit, jv **out);

/* A JavaScript regex source (code points, no u flag) in PCRE2's syntax
 * (jn_fn_regex_tr.c). 0 with *out (malloc'd, *outlen bytes) and
 * *has_backref (one was emitted: the JIT must not run it); -1 with *why,
 * V8's wording of the syntax error (static), or NULL when out of memory. */
int jn_rx_translate(const uint32_t *cps, size_t n, int multiline, char **out, size_t *outlen, int *has_backref,
		    const char **why);

/* What `/re/(str)` evaluates to: the match object {match, start, end,
 * groups, next} of the first match (start/end in UTF-16 units), or NULL
 * (undefined) when none. The evaluator calls it for a JN_FN_REGEX value. */
int jn_regex_match_object(struct jn_ctx *c, const struct jn_regex *re, const jv *str, jv **out);

/* UTF-16 views of strings (for the operations JavaScript defines on code
 * units: split(""), the picture strings of $formatNumber, ...). */
struct jn_u16 {
	uint16_t *u;
	size_t n;
};
/* Decodes UTF-8 (WTF-8 lone surrogates kept as units) into the arena. */
struct jn_u16 jn_u16_from(struct jn_ctx *c, const char *p, size_t n);
/* Encodes units as UTF-8 (pairs joined, lone surrogates as WTF-8). */
jv *jn_u16_str(struct jn_ctx *c, const uint16_t *u, size_t n);
void jn_sb_u16(struct jn_ctx *c, struct jn_sb *b, const uint16_t *u, size_t n);

/* Output sized by a number the user gave ($pad's width, a roman numeral's
 * thousands, a picture's width): raises U1002 (the memory cap's code) at once
 * when `bytes` more would not fit under the evaluation's memory cap, before
 * anything is allocated or looped over. 0, or -1 raised. */
int jn_room(struct jn_ctx *c, double bytes);

/* JavaScript's ToIntegerOrInfinity for slice()/substring() arguments. */
double jn_js_toint(double d);

/* An analysed fn:format-integer picture (datetime.js analyseIntegerPicture),
 * for $formatInteger/$parseInteger and the integer components of
 * $fromMillis/$toMillis pictures. */
enum { JN_INT_DECIMAL, JN_INT_LETTERS, JN_INT_ROMAN, JN_INT_WORDS, JN_INT_SEQUENCE };
enum { JN_CASE_LOWER, JN_CASE_UPPER, JN_CASE_TITLE };
struct jn_intsep {
	long position;
	uint32_t cp;
};
struct jn_intpic {
	int primary;        /* JN_INT_* */
	int tcase;          /* JN_CASE_* */
	int ordinal;        /* ";o" */
	uint32_t zero_code; /* DECIMAL: the digit family's zero (0x30, 0x660, ...) */
	/* mandatoryDigits (has_mandatory: not undefined; a date/time width
	 * can set it, so it may be huge) and optionalDigits */
	int has_mandatory;
	double mandatory, optional;
	int regular;        /* grouping at a regular interval: sep[0] holds it */
	struct jn_intsep *sep; /* as found from the right (datetime.js order) */
	size_t nsep;
	const char *token;  /* SEQUENCE: the picture (UTF-8, NUL-terminated) */
	size_t token_len;
	/* date/time parsing: an integer right after another must have exactly
	 * parse_width digits (when has_parse_width and it is not 0 or NaN) */
	int has_parse_width;
	double parse_width;
};
/* Analyses PIC (UTF-8). 0, or -1 raised (D3131). */
int jn_intpic_analyse(struct jn_ctx *c, const char *pic, size_t n, struct jn_intpic *out);
/* Formats floor(value)'s integer as the picture says into b. 0, or -1
 * raised (D3130 for a numbering sequence). */
int jn_intpic_format(struct jn_ctx *c, double value, const struct jn_intpic *f, struct jn_sb *b);
/* regular(indexes) of a grouping picture: the common interval when every
 * multiple of it up to the count is present, else 0 (jn_fn_format.c). */
long jn_regular_of(struct jn_ctx *c, const long *idx, size_t n);

/* functions.js round(arg, precision): half to even on the decimal value
 * (jn_fn_jsnum.c). */
double jn_js_round(double arg, double precision);
/* Number.prototype.toFixed(dp) of v (0 <= v, dp >= 0) as ASCII into buf
 * (cap bytes, at least dp + 400): the exact binary value rounded to dp
 * decimals, ties away from zero; v >= 1e21 as String(v). Returns the
 * length (jn_fn_jsnum.c). */
size_t jn_js_to_fixed(double v, int dp, char *buf, size_t cap);

/* wordsToNumber(text) of lower-cased UTF-8 text ($parseInteger's "w"). */
double jn_words_to_number(struct jn_ctx *c, const char *s, size_t n);

#endif
