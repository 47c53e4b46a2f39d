/* jn_fn_regex.c: regular expressions with JavaScript's semantics on PCRE2,
 * and the functions that take a matcher: $match, and the regex forms of
 * $contains, $split and $replace (their string forms are in jn_fn_string.c,
 * which calls jn_fn_*_matcher() below when the argument is a function).
 *
 * A JSONata regex literal is a JavaScript RegExp (no u flag, flags i and m,
 * plus the g JSONata always adds). PCRE2 runs it in UTF mode after the
 * source is translated from JavaScript's syntax (js_translate below); what
 * the translation covers and what still differs is the "Regex" section of
 * docs/jsonata.md — keep both in step.
 *
 * A matcher is either a regex value (matched natively here, positions in
 * bytes, converted to UTF-16 indexes where JSONata shows them) or any
 * function returning JSONata's match object {match, start, end, groups,
 * next} (evaluateMatcher in functions.js), called through jn_apply.
 *
 * Thread-safety: a compiled struct jn_regex is immutable; the match data a
 * search needs is per thread (a cached block, grown on demand); the match
 * context (the backtracking limit) is created once and read-only. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jn_int.h"

/* The backtracking budget of one search (PCRE2's match limit): a pattern
 * that exceeds it (catastrophic backtracking) raises D1012 as a timeout
 * would, instead of running for minutes. */
#define JN_REGEX_MATCH_LIMIT 20000000u      /* JIT: ~0.2 s */
#define JN_REGEX_MATCH_LIMIT_INTERP 5000000u /* the interpreter: ~0.2 s */
#define JN_REGEX_DEPTH_LIMIT 100000u
/* Source length cap of one regex literal (the expression's own cap is
 * larger; a translated pattern grows at most ~60x per character). */
#define JN_REGEX_SRC_MAX ((size_t)64 << 10)

/* ------------------------------------------------------------------ */
/* A small growable buffer (malloc: compiling happens outside any       */
/* evaluation's arena)                                                  */
/* ------------------------------------------------------------------ */

struct rbuf {
	char *p;
	size_t n, cap;
	int oom;
};

static void rb_put(struct rbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

static void rb_puts(struct rbuf *b, const char *s) { rb_put(b, s, strlen(s)); }

static void rb_hex(struct rbuf *b, uint32_t cp)
{
	char t[16];
	int k = snprintf(t, sizeof t, "\\x{%x}", (unsigned)cp);
	rb_put(b, t, (size_t)k);
}

/* ------------------------------------------------------------------ */
/* JavaScript -> PCRE2 translation                                      */
/* ------------------------------------------------------------------ */

/* JS \s: WhiteSpace and LineTerminator (ECMA-262 with Unicode 15's Zs). */
static const uint32_t js_space[][2] = {
	{0x09, 0x0d}, {0x20, 0x20}, {0xa0, 0xa0}, {0x1680, 0x1680}, {0x2000, 0x200a}, {0x2028, 0x2029},
	{0x202f, 0x202f}, {0x205f, 0x205f}, {0x3000, 0x3000}, {0xfeff, 0xfeff},
};
#define JS_SPACE_N (sizeof js_space / sizeof js_space[0])

static void emit_range(struct rbuf *b, uint32_t lo, uint32_t hi)
{
	rb_hex(b, lo);
	if (hi != lo) {
		rb_puts(b, "-");
		rb_hex(b, hi);
	}
}

/* The members of \s (or of \S: the complement over all code points),
 * for use inside a PCRE2 class. */
static void emit_space_members(struct rbuf *b, int negated)
{
	if (!negated) {
		for (size_t i = 0; i < JS_SPACE_N; i++)
			emit_range(b, js_space[i][0], js_space[i][1]);
		return;
	}
	uint32_t next = 0;
	for (size_t i = 0; i < JS_SPACE_N; i++) {
		if (js_space[i][0] > next)
			emit_range(b, next, js_space[i][0] - 1);
		next = js_space[i][1] + 1;
	}
	emit_range(b, next, 0x10ffff);
}

struct tr {
	const uint32_t *s; /* the source as code points */
	size_t n, i;
	int multiline;
	unsigned ngroups;  /* capturing groups in the whole pattern */
	int has_names;     /* any (?<name>...) */
	int has_backref;   /* a back-reference was emitted (no JIT: see below) */
	struct rbuf out;
	const char *err;   /* V8's wording */
};

static int is_hex(uint32_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static unsigned hexv(uint32_t c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }
static int is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static int is_alpha(uint32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_ident(uint32_t c) { return is_alpha(c) || is_digit(c) || c == '_' || c == '$'; }

/* Counts the capturing groups (and whether any is named) as V8 does before
 * parsing: '(' not followed by '?', or '(?<' not followed by '=' or '!'. */
static void count_groups(struct tr *t)
{
	int in_class = 0;
	for (size_t i = 0; i < t->n; i++) {
		uint32_t c = t->s[i];
		if (c == '\\') {
			i++;
			continue;
		}
		if (in_class) {
			if (c == ']')
				in_class = 0;
			continue;
		}
		if (c == '[') {
			in_class = 1;
		} else if (c == '(') {
			if (i + 1 < t->n && t->s[i + 1] == '?') {
				if (i + 3 < t->n && t->s[i + 2] == '<' && t->s[i + 3] != '=' && t->s[i + 3] != '!') {
					t->ngroups++;
					t->has_names = 1;
				}
			} else {
				t->ngroups++;
			}
		}
	}
}

/* Legacy octal escape (Annex B) starting at s[i] (an octal digit): up to
 * three digits, value <= 0377. Advances t->i past them. */
static uint32_t legacy_octal(struct tr *t)
{
	uint32_t v = t->s[t->i++] - '0';
	if (t->i < t->n && t->s[t->i] >= '0' && t->s[t->i] <= '7') {
		v = v * 8 + (t->s[t->i++] - '0');
		if (v < 040 && t->i < t->n && t->s[t->i] >= '0' && t->s[t->i] <= '7')
			v = v * 8 + (t->s[t->i++] - '0');
	}
	return v;
}

/* \uXXXX at t->i (after the 'u'): 1 with *cp, 0 when not 4 hex digits. A
 * surrogate pair written as two escapes becomes one code point. */
static int u_escape(struct tr *t, uint32_t *cp)
{
	if (t->i + 4 > t->n)
		return 0;
	for (int k = 0; k < 4; k++)
		if (!is_hex(t->s[t->i + (size_t)k]))
			return 0;
	uint32_t v = 0;
	for (int k = 0; k < 4; k++)
		v = v * 16 + hexv(t->s[t->i + (size_t)k]);
	t->i += 4;
	if (v >= 0xd800 && v <= 0xdbff && t->i + 6 <= t->n && t->s[t->i] == '\\' && t->s[t->i + 1] == 'u') {
		uint32_t lo = 0;
		int ok = 1;
		for (int k = 0; k < 4; k++) {
			if (!is_hex(t->s[t->i + 2 + (size_t)k])) {
				ok = 0;
				break;
			}
			lo = lo * 16 + hexv(t->s[t->i + 2 + (size_t)k]);
		}
		if (ok && lo >= 0xdc00 && lo <= 0xdfff) {
			t->i += 6;
			v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
		}
	}
	*cp = v;
	return 1;
}

/* A literal code point outside a class. */
static void emit_literal(struct tr *t, uint32_t cp)
{
	if (cp >= 0xd800 && cp <= 0xdfff) {
		/* a lone surrogate: never part of valid UTF-8 subjects */
		rb_puts(&t->out, "(?!)");
	} else if (is_alpha(cp) || is_digit(cp) || cp == ' ' || cp == '_') {
		char ch = (char)cp;
		rb_put(&t->out, &ch, 1);
	} else if (cp < 0x80 && cp >= 0x21) {
		char e[2] = {'\\', (char)cp};
		rb_put(&t->out, e, 2);
	} else {
		rb_hex(&t->out, cp);
	}
}

/* The class-item kinds of js_class. */
enum { CI_CHAR, CI_SET };

struct citem {
	int kind;
	uint32_t cp;  /* CI_CHAR */
	uint32_t set; /* CI_SET: 'd' 'D' 'w' 'W' 's' 'S' */
};

/* One item of a class at t->i (after '[' or a previous item). */
static int class_item(struct tr *t, struct citem *it)
{
	uint32_t c = t->s[t->i++];
	it->kind = CI_CHAR;
	if (c != '\\') {
		it->cp = c;
		return 0;
	}
	if (t->i >= t->n) {
		t->err = "\\ at end of pattern";
		return -1;
	}
	c = t->s[t->i++];
	switch (c) {
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
		it->kind = CI_SET;
		it->set = c;
		return 0;
	case 'b': it->cp = 8; return 0;
	case 't': it->cp = 9; return 0;
	case 'n': it->cp = 10; return 0;
	case 'v': it->cp = 11; return 0;
	case 'f': it->cp = 12; return 0;
	case 'r': it->cp = 13; return 0;
	case 'c':
		/* Annex B ClassControlLetter: letters, digits and _ */
		if (t->i < t->n && (is_alpha(t->s[t->i]) || is_digit(t->s[t->i]) || t->s[t->i] == '_')) {
			it->cp = t->s[t->i++] % 32;
		} else {
			/* "\c" stays a backslash; the c is read next */
			it->cp = '\\';
			t->i--;
		}
		return 0;
	case 'x':
		if (t->i + 2 <= t->n && is_hex(t->s[t->i]) && is_hex(t->s[t->i + 1])) {
			it->cp = hexv(t->s[t->i]) * 16 + hexv(t->s[t->i + 1]);
			t->i += 2;
		} else {
			it->cp = 'x';
		}
		return 0;
	case 'u':
		if (!u_escape(t, &it->cp))
			it->cp = 'u';
		return 0;
	default:
		if (c >= '0' && c <= '7') {
			t->i--;
			it->cp = legacy_octal(t);
		} else {
			it->cp = c; /* identity escape, \8 \9 included */
		}
		return 0;
	}
}

static void emit_class_item(struct tr *t, const struct citem *it)
{
	if (it->kind == CI_CHAR) {
		if (it->cp >= 0xd800 && it->cp <= 0xdfff)
			return; /* a lone surrogate never matches valid text */
		rb_hex(&t->out, it->cp);
		return;
	}
	switch (it->set) {
	case 'd': rb_puts(&t->out, "\\d"); break;
	case 'D': rb_puts(&t->out, "\\D"); break;
	case 'w': rb_puts(&t->out, "\\w"); break;
	case 'W': rb_puts(&t->out, "\\W"); break;
	case 's': emit_space_members(&t->out, 0); break;
	case 'S': emit_space_members(&t->out, 1); break;
	}
}

/* A class [...] at t->i (after '['). */
static int js_class(struct tr *t)
{
	int negated = 0;
	if (t->i < t->n && t->s[t->i] == '^') {
		negated = 1;
		t->i++;
	}
	if (t->i < t->n && t->s[t->i] == ']') {
		t->i++;
		/* [] matches nothing, [^] any character */
		rb_puts(&t->out, negated ? "(?s:.)" : "(?!)");
		return 0;
	}
	/* Build into a separate buffer: a class whose members are all lone
	 * surrogates would otherwise be emitted empty. */
	struct rbuf save = t->out;
	t->out = (struct rbuf){0};
	int any = 0;
	for (;;) {
		if (t->i >= t->n) {
			free(t->out.p);
			t->out = save;
			t->err = "Unterminated character class";
			return -1;
		}
		if (t->s[t->i] == ']') {
			t->i++;
			break;
		}
		struct citem a, b;
		if (class_item(t, &a) < 0)
			goto fail;
		if (t->i + 1 < t->n && t->s[t->i] == '-' && t->s[t->i + 1] != ']') {
			size_t dash = t->i;
			t->i++;
			if (class_item(t, &b) < 0)
				goto fail;
			if (a.kind == CI_CHAR && b.kind == CI_CHAR) {
				if (a.cp > b.cp) {
					t->err = "Range out of order in character class";
					goto fail;
				}
				uint32_t lo = a.cp, hi = b.cp;
				/* surrogates cannot be in a PCRE2 UTF class */
				if (lo >= 0xd800 && lo <= 0xdfff)
					lo = hi >= 0xe000 ? 0xe000 : lo;
				if (hi >= 0xd800 && hi <= 0xdfff)
					hi = lo < 0xd800 ? 0xd7ff : hi;
				if (!((lo >= 0xd800 && lo <= 0xdfff) || (hi >= 0xd800 && hi <= 0xdfff)) && lo <= hi) {
					emit_range(&t->out, lo, hi);
					any = 1;
				}
				continue;
			}
			/* Annex B: a range with a class escape at either end is
			 * the two items and a literal '-' */
			(void)dash;
			emit_class_item(t, &a);
			rb_hex(&t->out, '-');
			emit_class_item(t, &b);
			any = 1;
			continue;
		}
		if (a.kind == CI_CHAR && a.cp >= 0xd800 && a.cp <= 0xdfff)
			continue;
		emit_class_item(t, &a);
		any = 1;
	}
	{
		struct rbuf body = t->out;
		t->out = save;
		if (body.oom)
			t->out.oom = 1;
		if (!any) {
			rb_puts(&t->out, negated ? "(?s:.)" : "(?!)");
		} else {
			rb_puts(&t->out, negated ? "[^" : "[");
			rb_put(&t->out, body.p, body.n);
			rb_puts(&t->out, "]");
		}
		free(body.p);
	}
	return 0;
fail:
	free(t->out.p);
	t->out = save;
	return -1;
}

/* A {n}, {n,}, {n,m} quantifier at t->i ('{')? Returns its length in code
 * points (0 when the brace is a literal, Annex B). */
static size_t brace_quantifier(const struct tr *t, double *lo, double *hi)
{
	size_t i = t->i + 1;
	double a = 0, b;
	if (i >= t->n || !is_digit(t->s[i]))
		return 0;
	while (i < t->n && is_digit(t->s[i]))
		a = a * 10 + (t->s[i++] - '0');
	b = a;
	if (i < t->n && t->s[i] == ',') {
		i++;
		if (i < t->n && is_digit(t->s[i])) {
			b = 0;
			while (i < t->n && is_digit(t->s[i]))
				b = b * 10 + (t->s[i++] - '0');
		} else {
			b = -1; /* unbounded */
		}
	}
	if (i >= t->n || t->s[i] != '}')
		return 0;
	*lo = a;
	*hi = b;
	return i + 1 - t->i;
}

static int is_quant_start(const struct tr *t)
{
	uint32_t c = t->s[t->i];
	double lo, hi;
	return c == '*' || c == '+' || c == '?' || (c == '{' && brace_quantifier(t, &lo, &hi) > 0);
}

/* Emits the quantifier at t->i (and its lazy '?'). 0 or -1. */
static int emit_quantifier(struct tr *t, int quantifiable)
{
	uint32_t c = t->s[t->i];
	if (!quantifiable) {
		t->err = "Nothing to repeat";
		return -1;
	}
	if (c == '{') {
		double lo, hi;
		size_t len = brace_quantifier(t, &lo, &hi);
		if (hi >= 0 && lo > hi) {
			t->err = "numbers out of order in {} quantifier";
			return -1;
		}
		if (lo > 65535 || hi > 65535) {
			/* PCRE2's limit; JavaScript allows up to 2^53-1 */
			t->err = "quantifier too large (tutti: at most 65535)";
			return -1;
		}
		char q[48];
		int k;
		if (hi < 0)
			k = snprintf(q, sizeof q, "{%.0f,}", lo);
		else if (hi == lo)
			k = snprintf(q, sizeof q, "{%.0f}", lo);
		else
			k = snprintf(q, sizeof q, "{%.0f,%.0f}", lo, hi);
		rb_put(&t->out, q, (size_t)k);
		t->i += len;
	} else {
		char ch = (char)c;
		rb_put(&t->out, &ch, 1);
		t->i++;
	}
	if (t->i < t->n && t->s[t->i] == '?') {
		rb_puts(&t->out, "?");
		t->i++;
	}
	if (t->i < t->n && is_quant_start(t)) {
		t->err = "Nothing to repeat";
		return -1;
	}
	return 0;
}

/* An escape outside a class at t->i (after the backslash). *atom: whether
 * what was emitted can take a quantifier. */
static int js_escape(struct tr *t, int *atom)
{
	if (t->i >= t->n) {
		t->err = "\\ at end of pattern";
		return -1;
	}
	uint32_t c = t->s[t->i++];
	*atom = 1;
	switch (c) {
	/* as one-item classes: PCRE2 10.42's JIT with PCRE2_MATCH_INVALID_UTF
	 * fails to match the bare \W \D \S against non-ASCII characters */
	case 'd': rb_puts(&t->out, "[\\d]"); return 0;
	case 'D': rb_puts(&t->out, "[\\D]"); return 0;
	case 'w': rb_puts(&t->out, "[\\w]"); return 0;
	case 'W': rb_puts(&t->out, "[\\W]"); return 0;
	case 's': case 'S':
		rb_puts(&t->out, c == 's' ? "[" : "[^");
		emit_space_members(&t->out, 0);
		rb_puts(&t->out, "]");
		return 0;
	case 'b': rb_puts(&t->out, "\\b"); *atom = 0; return 0;
	case 'B': rb_puts(&t->out, "\\B"); *atom = 0; return 0;
	case 't': rb_puts(&t->out, "\\t"); return 0;
	case 'n': rb_puts(&t->out, "\\n"); return 0;
	case 'r': rb_puts(&t->out, "\\r"); return 0;
	case 'f': rb_puts(&t->out, "\\f"); return 0;
	case 'v': rb_hex(&t->out, 11); return 0;
	case 'c':
		if (t->i < t->n && is_alpha(t->s[t->i])) {
			rb_hex(&t->out, t->s[t->i++] % 32);
		} else {
			rb_puts(&t->out, "\\\\"); /* the c follows as a literal */
			t->i--;
		}
		return 0;
	case 'x':
		if (t->i + 2 <= t->n && is_hex(t->s[t->i]) && is_hex(t->s[t->i + 1])) {
			rb_hex(&t->out, hexv(t->s[t->i]) * 16 + hexv(t->s[t->i + 1]));
			t->i += 2;
		} else {
			emit_literal(t, 'x');
		}
		return 0;
	case 'u': {
		uint32_t cp;
		if (u_escape(t, &cp))
			emit_literal(t, cp);
		else
			emit_literal(t, 'u');
		return 0;
	}
	case 'k':
		if (!t->has_names) {
			emit_literal(t, 'k');
			return 0;
		}
		if (t->i < t->n && t->s[t->i] == '<') {
			size_t j = t->i + 1;
			while (j < t->n && t->s[j] != '>' && is_ident(t->s[j]))
				j++;
			if (j < t->n && t->s[j] == '>' && j > t->i + 1) {
				rb_puts(&t->out, "\\k<");
				t->has_backref = 1;
				for (size_t k = t->i + 1; k < j; k++) {
					if (t->s[k] == '$') {
						t->err = "Invalid capture group name (tutti: '$' in group names is not supported)";
						return -1;
					}
					char ch = (char)t->s[k];
					rb_put(&t->out, &ch, 1);
				}
				rb_puts(&t->out, ">");
				t->i = j + 1;
				return 0;
			}
		}
		t->err = "Invalid named reference";
		return -1;
	case '0':
		if (t->i >= t->n || !is_digit(t->s[t->i])) {
			rb_hex(&t->out, 0);
			return 0;
		}
		t->i--;
		rb_hex(&t->out, legacy_octal(t));
		return 0;
	default:
		break;
	}
	if (c >= '1' && c <= '9') {
		/* a back-reference when the number is a group's, else Annex B's
		 * legacy octal escape or identity escape (\8 \9) */
		size_t j = t->i - 1;
		double num = 0;
		while (j < t->n && is_digit(t->s[j]))
			num = num * 10 + (t->s[j++] - '0');
		if (num <= t->ngroups) {
			char q[32];
			int k = snprintf(q, sizeof q, "\\g{%.0f}", num);
			t->has_backref = 1;
			rb_put(&t->out, q, (size_t)k);
			t->i = j;
			return 0;
		}
		if (c <= '7') {
			t->i--;
			emit_literal(t, legacy_octal(t));
		} else {
			emit_literal(t, c);
		}
		return 0;
	}
	/* identity escape: the character itself (\/ \. \a \p \z ...) */
	emit_literal(t, c);
	return 0;
}

/* A group opener at t->i (after '('). */
static int js_group(struct tr *t, int *lookbehind)
{
	*lookbehind = 0;
	if (t->i >= t->n || t->s[t->i] != '?') {
		rb_puts(&t->out, "(");
		return 0;
	}
	if (t->i + 1 < t->n) {
		uint32_t c = t->s[t->i + 1];
		if (c == ':' || c == '=' || c == '!') {
			char g[3] = {'(', '?', (char)c};
			rb_put(&t->out, g, 3);
			t->i += 2;
			return 0;
		}
		if (c == '<' && t->i + 2 < t->n && (t->s[t->i + 2] == '=' || t->s[t->i + 2] == '!')) {
			char g[4] = {'(', '?', '<', (char)t->s[t->i + 2]};
			rb_put(&t->out, g, 4);
			t->i += 3;
			*lookbehind = 1;
			return 0;
		}
		if (c == '<') {
			size_t j = t->i + 2;
			if (j < t->n && (is_alpha(t->s[j]) || t->s[j] == '_' || t->s[j] == '$')) {
				while (j < t->n && is_ident(t->s[j]))
					j++;
				if (j < t->n && t->s[j] == '>') {
					rb_puts(&t->out, "(?<");
					for (size_t k = t->i + 2; k < j; k++) {
						if (t->s[k] == '$') {
							t->err = "Invalid capture group name (tutti: '$' in group names is not supported)";
							return -1;
						}
						char ch = (char)t->s[k];
						rb_put(&t->out, &ch, 1);
					}
					rb_puts(&t->out, ">");
					t->i = j + 1;
					return 0;
				}
			}
			t->err = "Invalid capture group name";
			return -1;
		}
	}
	t->err = "Invalid group";
	return -1;
}

/* Translates t->s into t->out. 0 or -1 (t->err). */
static int js_translate(struct tr *t)
{
	/* per open group: was it a lookbehind (not quantifiable when closed) */
	unsigned char stack[256];
	unsigned depth = 0;
	int quantifiable = 0;
	count_groups(t);
	while (t->i < t->n) {
		uint32_t c = t->s[t->i];
		if (c == '*' || c == '+' || c == '?' || (c == '{' && is_quant_start(t))) {
			if (emit_quantifier(t, quantifiable) < 0)
				return -1;
			quantifiable = 0;
			continue;
		}
		t->i++;
		switch (c) {
		case '\\':
			if (js_escape(t, &quantifiable) < 0)
				return -1;
			break;
		case '.':
			rb_puts(&t->out, "[^\\n\\r\\x{2028}\\x{2029}]");
			quantifiable = 1;
			break;
		case '^':
			rb_puts(&t->out, t->multiline ? "(?:^|(?<=[\\n\\r\\x{2028}\\x{2029}]))" : "^");
			quantifiable = 0;
			break;
		case '$':
			rb_puts(&t->out, t->multiline ? "(?=[\\n\\r\\x{2028}\\x{2029}]|\\z)" : "\\z");
			quantifiable = 0;
			break;
		case '(': {
			int lb;
			if (depth >= sizeof stack) {
				t->err = "regular expression too deeply nested (tutti: 256 groups)";
				return -1;
			}
			if (js_group(t, &lb) < 0)
				return -1;
			stack[depth++] = (unsigned char)lb;
			quantifiable = 0;
			break;
		}
		case ')':
			if (depth == 0) {
				t->err = "Unmatched ')'";
				return -1;
			}
			depth--;
			rb_puts(&t->out, ")");
			/* Annex B: lookaheads are quantifiable, lookbehinds not */
			quantifiable = !stack[depth];
			break;
		case '[':
			if (js_class(t) < 0)
				return -1;
			quantifiable = 1;
			break;
		case '|':
			rb_puts(&t->out, "|");
			quantifiable = 0;
			break;
		default:
			/* '{' '}' ']' not forming syntax are literals (Annex B) */
			emit_literal(t, c);
			quantifiable = 1;
			break;
		}
	}
	if (depth) {
		t->err = "Unterminated group";
		return -1;
	}
	return t->out.oom ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Compile / exec (the API of jn_int.h)                                 */
/* ------------------------------------------------------------------ */

static pthread_once_t mctx_once = PTHREAD_ONCE_INIT;
static pcre2_match_context *mctx, *mctx_interp;

static void mctx_init(void)
{
	mctx = pcre2_match_context_create(NULL);
	if (mctx) {
		pcre2_set_match_limit(mctx, JN_REGEX_MATCH_LIMIT);
		pcre2_set_depth_limit(mctx, JN_REGEX_DEPTH_LIMIT);
	}
	mctx_interp = pcre2_match_context_create(NULL);
	if (mctx_interp) {
		pcre2_set_match_limit(mctx_interp, JN_REGEX_MATCH_LIMIT_INTERP);
		pcre2_set_depth_limit(mctx_interp, JN_REGEX_DEPTH_LIMIT);
	}
}

static void set_err(char *errbuf, size_t errlen, const char *src, size_t srclen, const char *flags, const char *why)
{
	if (errbuf && errlen)
		snprintf(errbuf, errlen, "Invalid regular expression: /%.*s/%sg: %s", (int)(srclen > 200 ? 200 : srclen),
			 src, flags ? flags : "", why);
}

int jn_regex_compile(const char *src, size_t srclen, const char *flags, struct jn_regex **out, char *errbuf,
		     size_t errlen)
{
	struct tr t = {0};
	uint32_t *cps = NULL;
	struct jn_regex *re = NULL;
	int icase = 0, multiline = 0;
	*out = NULL;
	for (const char *f = flags ? flags : ""; *f; f++) {
		int *which = *f == 'i' ? &icase : *f == 'm' ? &multiline : NULL;
		if (!which || *which) {
			if (errbuf && errlen)
				snprintf(errbuf, errlen, "Invalid flags supplied to RegExp constructor '%sg'", flags);
			return -1;
		}
		*which = 1;
	}
	if (srclen > JN_REGEX_SRC_MAX) {
		set_err(errbuf, errlen, src, srclen, flags, "regular expression too large (tutti: 64 KiB)");
		return -1;
	}
	cps = malloc((srclen + 1) * sizeof *cps);
	if (!cps)
		goto oom;
	size_t n = 0;
	for (size_t i = 0; i < srclen;)
		cps[n++] = jn_utf8_next(src, srclen, &i);
	t.s = cps;
	t.n = n;
	t.multiline = multiline;
	if (js_translate(&t) < 0) {
		if (t.out.oom)
			goto oom;
		set_err(errbuf, errlen, src, srclen, flags, t.err);
		goto fail;
	}
	re = calloc(1, sizeof *re);
	if (!re)
		goto oom;
	re->source = malloc(srclen + 1);
	if (!re->source)
		goto oom;
	memcpy(re->source, src, srclen);
	re->source[srclen] = 0;
	re->srclen = srclen;
	re->icase = icase;
	re->multiline = multiline;
	{
		int errcode;
		PCRE2_SIZE erroff;
		uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_MATCH_UNSET_BACKREF | PCRE2_NEVER_BACKSLASH_C |
				PCRE2_ALLOW_EMPTY_CLASS;
		if (icase)
			opts |= PCRE2_CASELESS;
		re->code = pcre2_compile((PCRE2_SPTR)(t.out.p ? t.out.p : ""), t.out.n, opts, &errcode, &erroff, NULL);
		if (!re->code) {
			PCRE2_UCHAR msg[160];
			pcre2_get_error_message(errcode, msg, sizeof msg);
			set_err(errbuf, errlen, src, srclen, flags, (const char *)msg);
			goto fail;
		}
		/* JIT when available; the interpreter otherwise, and always for
		 * back-references: PCRE2 10.42's JIT with PCRE2_MATCH_UNSET_BACKREF
		 * fails patterns the interpreter matches as JavaScript does
		 * (/(\1+?)x*?/ on "a"; found by differential testing) */
		if (!t.has_backref)
			(void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
		uint32_t cap = 0;
		pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &cap);
		re->ngroups = cap;
	}
	free(cps);
	free(t.out.p);
	*out = re;
	return 0;
oom:
	if (errbuf && errlen)
		snprintf(errbuf, errlen, "out of memory compiling a regular expression");
fail:
	free(cps);
	free(t.out.p);
	jn_regex_free(re);
	return -1;
}

void jn_regex_free(struct jn_regex *re)
{
	if (!re)
		return;
	if (re->code)
		pcre2_code_free(re->code);
	free(re->source);
	free(re);
}

/* The thread's match data, grown to the largest group count seen; freed
 * when the thread ends (a pthread key's destructor). */
struct tl_md {
	pcre2_match_data *md;
	uint32_t pairs;
};
static pthread_key_t md_key;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static int md_key_ok;

static void md_free(void *p)
{
	struct tl_md *t = p;
	if (t) {
		pcre2_match_data_free(t->md);
		free(t);
	}
}

static void md_key_init(void) { md_key_ok = pthread_key_create(&md_key, md_free) == 0; }

static pcre2_match_data *match_data(uint32_t pairs)
{
	pthread_once(&md_once, md_key_init);
	if (!md_key_ok)
		return NULL;
	struct tl_md *t = pthread_getspecific(md_key);
	if (!t) {
		t = calloc(1, sizeof *t);
		if (!t || pthread_setspecific(md_key, t) != 0) {
			free(t);
			return NULL;
		}
	}
	if (!t->md || t->pairs < pairs) {
		uint32_t want = pairs < 16 ? 16 : pairs;
		pcre2_match_data *md = pcre2_match_data_create(want, NULL);
		if (!md)
			return NULL;
		pcre2_match_data_free(t->md);
		t->md = md;
		t->pairs = want;
	}
	return t->md;
}

int jn_regex_exec(struct jn_ctx *c, const struct jn_regex *re, const char *s, size_t len, size_t from,
		  struct jn_match *m)
{
	pthread_once(&mctx_once, mctx_init);
	if (from > len)
		return 0;
	pcre2_match_data *md = match_data(re->ngroups + 1);
	if (!md)
		return jn_throw(c, "U1002", -1, NULL, NULL);
	size_t jitsize = 0;
	pcre2_pattern_info(re->code, PCRE2_INFO_JITSIZE, &jitsize);
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, from, 0, md, jitsize ? mctx : mctx_interp);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		/* the match or depth limit: a pattern that backtracks without
		 * end, reported as the evaluation's timeout */
		jv *ms = jn_num(c, (double)(c->time_ms > 0 ? c->time_ms : 0));
		return jn_throw(c, "D1012", -1, NULL, ms);
	}
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	m->start = ov[0];
	m->end = ov[1];
	m->ngroups = re->ngroups;
	m->gstart = m->gend = NULL;
	if (re->ngroups) {
		m->gstart = jn_alloc_raw(c, re->ngroups * sizeof(size_t));
		m->gend = jn_alloc_raw(c, re->ngroups * sizeof(size_t));
		for (uint32_t g = 0; g < re->ngroups; g++) {
			if ((int)(g + 1) < rc && ov[2 * (g + 1)] != PCRE2_UNSET) {
				m->gstart[g] = ov[2 * (g + 1)];
				m->gend[g] = ov[2 * (g + 1) + 1];
			} else {
				m->gstart[g] = m->gend[g] = (size_t)-1;
			}
		}
	}
	return 1;
}

const struct jn_regex *jn_regex_of(const jv *fn)
{
	if (!jn_is_function(fn) || fn->u.fn->kind != JN_FN_REGEX)
		return NULL;
	return fn->u.fn->re;
}

/* ------------------------------------------------------------------ */
/* Matchers: a regex (native) or a function returning match objects    */
/* ------------------------------------------------------------------ */

#include "jn_fn_a.h"

/* One match, as evaluateMatcher() returns it. */
struct mt {
	jv *match;     /* the matched text (a string for native matches) */
	size_t sb, eb; /* native: byte offsets of the match */
	jv *start;     /* number: UTF-16 index (custom: whatever it returned) */
	jv *end;
	jv *groups;    /* array */
	jv *obj;       /* custom: the object returned (its next is called) */
};

struct matcher {
	const struct jn_regex *re; /* native when non-NULL */
	jv *fn;
	jv *str;
	const char *s;
	size_t len;
	size_t last;      /* native: lastIndex in bytes */
	size_t conv_b;    /* incremental byte -> UTF-16 index */
	double conv_u;
};

/* The UTF-16 index of byte offset b (b >= every offset asked before). */
static double u16_at(struct matcher *m, size_t b)
{
	if (b < m->conv_b) {
		m->conv_b = 0;
		m->conv_u = 0;
	}
	size_t i = m->conv_b;
	double u = m->conv_u;
	while (i < b) {
		uint32_t cp = jn_utf8_next(m->s, m->len, &i);
		u += cp >= 0x10000 ? 2 : 1;
	}
	m->conv_b = i;
	m->conv_u = u;
	return u;
}

static jv *sub(struct jn_ctx *c, struct matcher *m, size_t a, size_t b)
{
	return jn_str_ref(c, m->s + a, b - a);
}

static int native_exec(struct jn_ctx *c, struct matcher *m, size_t from, int check_empty, struct mt *r)
{
	struct jn_match jm;
	int rc = jn_regex_exec(c, m->re, m->s, m->len, from, &jm);
	if (rc <= 0)
		return rc;
	if (check_empty && jm.end == jm.start)
		return jn_throw(c, "D1004", -1, NULL, NULL);
	m->last = jm.end;
	r->sb = jm.start;
	r->eb = jm.end;
	r->match = sub(c, m, jm.start, jm.end);
	r->start = NULL;
	r->end = NULL;
	r->obj = NULL;
	r->groups = jn_arr_new(c, jm.ngroups);
	for (uint32_t g = 0; g < jm.ngroups; g++) {
		/* JavaScript has undefined in the array for a group that did
		 * not participate; a jv array cannot hold undefined: null */
		if (jm.gstart[g] == (size_t)-1)
			jn_arr_push(c, r->groups, jn_null());
		else
			jn_arr_push(c, r->groups, sub(c, m, jm.gstart[g], jm.gend[g]));
	}
	return 1;
}

/* evaluateMatcher(): checks the shape of what a custom matcher returned. */
static int custom_result(struct jn_ctx *c, jv *res, struct mt *r)
{
	if (!res)
		return 0;
	jv *start = jn_is_object(res) ? jn_obj_get(res, "start", 5) : NULL;
	jv *groups = jn_is_object(res) ? jn_obj_get(res, "groups", 6) : NULL;
	jv *next = jn_is_object(res) ? jn_obj_get(res, "next", 4) : NULL;
	if (!jn_is_number(start) && !jn_is_array(groups) && !jn_is_function(next))
		return jn_throw(c, "T1010", -1, NULL, NULL);
	memset(r, 0, sizeof *r);
	r->obj = res;
	r->match = jn_obj_get(res, "match", 5);
	r->start = start;
	r->end = jn_obj_get(res, "end", 3);
	r->groups = groups;
	return 1;
}

/* The first match. 1, 0 (none) or -1. */
static int matcher_first(struct jn_ctx *c, struct matcher *m, jv *fn, jv *str, struct mt *r)
{
	memset(m, 0, sizeof *m);
	m->fn = fn;
	m->str = str;
	m->s = str->u.s.p;
	m->len = str->u.s.len;
	m->re = jn_regex_of(fn);
	if (m->re)
		return native_exec(c, m, 0, 0, r);
	jv *res = NULL;
	jv *args[1] = {str};
	if (jn_apply(c, fn, args, 1, &res) < 0)
		return -1;
	return custom_result(c, res, r);
}

/* The match after r (its `next`). 1, 0 or -1. */
static int matcher_next(struct jn_ctx *c, struct matcher *m, struct mt *r)
{
	if (m->re) {
		if (m->last >= m->len)
			return 0;
		return native_exec(c, m, m->last, 1, r);
	}
	jv *next = jn_obj_get(r->obj, "next", 4);
	jv *res = NULL;
	jv *args[1] = {NULL};
	if (jn_apply(c, next, args, 0, &res) < 0)
		return -1;
	return custom_result(c, res, r);
}

/* start of a match as a number value (UTF-16 index) */
static jv *mt_start(struct jn_ctx *c, struct matcher *m, struct mt *r)
{
	if (!m->re)
		return r->start;
	return jn_num(c, u16_at(m, r->sb));
}

/* The byte offset of a custom matcher's UTF-16 position (clamped, as
 * JavaScript's substring() clamps: NaN and negatives 0, beyond: length). */
static size_t custom_off(struct matcher *m, const jv *pos)
{
	double d = jn_is_number(pos) ? pos->u.num : 0;
	if (!(d > 0))
		return 0;
	return jn_utf8_u16_offset(m->s, m->len, (size_t)(d > 1e15 ? 1e15 : d));
}

/* str.substring(a, b) for byte offsets (substring swaps a > b). */
static void put_sub(struct jn_ctx *c, struct jn_sb *b, struct matcher *m, size_t x, size_t y)
{
	if (x > y) {
		size_t t = x;
		x = y;
		y = t;
	}
	if (y > m->len)
		y = m->len;
	if (x > y)
		x = y;
	jn_sb_put(c, b, m->s + x, y - x);
}

/* A match object {match, start, end, groups, next} (the regex closure's). */
struct next_state {
	const struct jn_regex *re;
	jv *str;
	size_t last;
};

static int next_fn(struct jn_ctx *c, struct jn_call *call, jv **out);

static jv *match_object(struct jn_ctx *c, struct matcher *m, struct mt *r)
{
	jv *o = jn_obj_new(c);
	jn_obj_set(c, o, "match", 5, r->match);
	jn_obj_set(c, o, "start", 5, jn_num(c, u16_at(m, r->sb)));
	jn_obj_set(c, o, "end", 3, jn_num(c, u16_at(m, r->eb)));
	jn_obj_set(c, o, "groups", 6, r->groups);
	struct next_state *ns = jn_alloc(c, sizeof *ns);
	ns->re = m->re;
	ns->str = m->str;
	ns->last = r->eb;
	jn_obj_set(c, o, "next", 4, jn_native(c, "next", NULL, next_fn, ns));
	return o;
}

static int next_fn(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	const struct next_state *ns = call->self->data;
	struct matcher m;
	struct mt r;
	memset(&m, 0, sizeof m);
	m.re = ns->re;
	m.str = ns->str;
	m.s = ns->str->u.s.p;
	m.len = ns->str->u.s.len;
	if (ns->last >= m.len)
		return 0;
	int rc = native_exec(c, &m, ns->last, 1, &r);
	if (rc <= 0)
		return rc;
	*out = match_object(c, &m, &r);
	return 0;
}

int jn_regex_match_object(struct jn_ctx *c, const struct jn_regex *re, const jv *str, jv **out)
{
	struct matcher m;
	struct mt r;
	*out = NULL;
	if (!jn_is_string(str))
		return 0;
	memset(&m, 0, sizeof m);
	m.re = re;
	m.str = (jv *)str;
	m.s = str->u.s.p;
	m.len = str->u.s.len;
	int rc = native_exec(c, &m, 0, 0, &r);
	if (rc <= 0)
		return rc;
	*out = match_object(c, &m, &r);
	return 0;
}

/* ------------------------------------------------------------------ */
/* $match, and the matcher forms of $contains, $split, $replace         */
/* ------------------------------------------------------------------ */

/* $match(str, pattern [, limit]) */
int jn_fn_match(struct jn_ctx *c, struct jn_call *call, jv **out)
{
	jv *str = call->args[0];
	jv *fn = call->nargs > 1 ? call->args[1] : NULL;
	jv *limit = call->nargs > 2 ? call->args[2] : NULL;
	if (!str)
		return 0;
	if (limit && limit->u.num < 0)
		return jn_throw_arg(c, "D3040", -1, NULL, 3, NULL, limit);
	jv *seq = jn_seq_new(c);
	if (!limit || limit->u.num > 0) {
		struct matcher m;
		struct mt r;
		double count = 0;
		int rc = matcher_first(c, &m, fn, str, &r);
		while (rc == 1 && (!limit || count < limit->u.num)) {
			jv *o = jn_obj_new(c);
			jn_obj_set(c, o, "match", 5, r.match);
			jn_obj_set(c, o, "index", 5, mt_start(c, &m, &r));
			jn_obj_set(c, o, "groups", 6, r.groups);
			jn_arr_push(c, seq, o);
			rc = matcher_next(c, &m, &r);
			count++;
			if (rc >= 0 && jn_tick(c) < 0)
				return -1;
		}
		if (rc < 0)
			return -1;
	}
	*out = seq;
	return 0;
}

int jn_rx_contains(struct jn_ctx *c, jv *str, jv *matcher, jv **out)
{
	struct matcher m;
	struct mt r;
	int rc = matcher_first(c, &m, matcher, str, &r);
	if (rc < 0)
		return -1;
	*out = jn_bool(rc == 1);
	return 0;
}

int jn_rx_split(struct jn_ctx *c, jv *str, jv *matcher, jv *limit, jv **out)
{
	jv *res = jn_arr_new(c, 4);
	struct matcher m;
	struct mt r;
	double count = 0;
	size_t start = 0;
	int rc = matcher_first(c, &m, matcher, str, &r);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		jn_arr_push(c, res, str);
		*out = res;
		return 0;
	}
	while (rc == 1 && (!limit || count < limit->u.num)) {
		size_t ms = m.re ? r.sb : custom_off(&m, r.start);
		if (m.re && start <= ms) {
			jn_arr_push(c, res, sub(c, &m, start, ms)); /* no copy */
		} else {
			struct jn_sb b;
			jn_sb_init(&b);
			put_sub(c, &b, &m, start, ms);
			jn_arr_push(c, res, jn_sb_str(c, &b));
		}
		start = m.re ? r.eb : custom_off(&m, r.end);
		rc = matcher_next(c, &m, &r);
		count++;
		if (rc >= 0 && jn_tick(c) < 0)
			return -1;
	}
	if (rc < 0)
		return -1;
	if (!limit || count < limit->u.num)
		jn_arr_push(c, res, sub(c, &m, start < m.len ? start : m.len, m.len));
	*out = res;
	return 0;
}

/* The replacement string's $ references, parsed once per group count as
 * functions.js' replacer scans them. */
enum { SEG_TEXT, SEG_MATCH, SEG_GROUP };
struct seg {
	int kind;
	const char *p; /* SEG_TEXT */
	size_t n;
	long group; /* SEG_GROUP: 1-based; may be out of range (nothing) */
};
struct tmpl {
	struct seg *v;
	size_t n, cap;
	long ngroups; /* for which it was parsed; -1 none */
};

static void tmpl_add(struct jn_ctx *c, struct tmpl *t, int kind, const char *p, size_t n, long g)
{
	if (kind == SEG_TEXT && n == 0)
		return;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		t->v = jn_realloc(c, t->v, t->cap * sizeof *t->v, cap * sizeof *t->v);
		t->cap = cap;
	}
	t->v[t->n++] = (struct seg){kind, p, n, g};
}

/* JavaScript's StrWhiteSpaceChar (what parseInt skips). */
static int js_ws(uint32_t cp)
{
	if (cp == 9 || cp == 10 || cp == 11 || cp == 12 || cp == 13 || cp == 32 || cp == 0xa0 || cp == 0x1680 ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000 || cp == 0xfeff)
		return 1;
	return cp >= 0x2000 && cp <= 0x200a;
}

/* parseInt(u[a..b), 10) over UTF-16 units: 1 with *v, 0 for NaN. */
static int js_parse_int(const uint16_t *u, size_t a, size_t b, double *v)
{
	size_t i = a;
	while (i < b && js_ws(u[i]))
		i++;
	int neg = 0;
	if (i < b && (u[i] == '+' || u[i] == '-'))
		neg = u[i++] == '-';
	if (i >= b || u[i] < '0' || u[i] > '9')
		return 0;
	double x = 0;
	while (i < b && u[i] >= '0' && u[i] <= '9')
		x = x * 10 + (u[i++] - '0');
	*v = neg ? -x : x;
	return 1;
}

static void tmpl_parse(struct jn_ctx *c, struct tmpl *t, const jv *rep, long ngroups)
{
	struct jn_u16 r = jn_u16_from(c, rep->u.s.p, rep->u.s.len);
	/* byte offset of each unit index (n+1 entries) */
	size_t *off = jn_alloc_raw(c, (r.n + 1) * sizeof *off);
	{
		size_t bi = 0, ui = 0;
		while (bi < rep->u.s.len) {
			off[ui] = bi;
			uint32_t cp = jn_utf8_next(rep->u.s.p, rep->u.s.len, &bi);
			if (cp >= 0x10000)
				off[++ui] = bi; /* inside the pair: its end */
			ui++;
		}
		off[r.n] = rep->u.s.len;
	}
	t->n = 0;
	t->ngroups = ngroups;
	const char *p = rep->u.s.p;
	size_t position = 0;
	size_t index = 0;
	while (index < r.n && r.u[index] != '$')
		index++;
	while (index < r.n && position < r.n) {
		tmpl_add(c, t, SEG_TEXT, p + off[position], off[index] - off[position], 0);
		position = index + 1;
		uint16_t dollar = position < r.n ? r.u[position] : 0;
		if (position < r.n && dollar == '$') {
			tmpl_add(c, t, SEG_TEXT, "$", 1, 0);
			position++;
		} else if (position < r.n && dollar == '0') {
			tmpl_add(c, t, SEG_MATCH, NULL, 0, 0);
			position++;
		} else {
			size_t maxd = ngroups == 0 ? 1 : (size_t)floor(log((double)ngroups) * M_LOG10E) + 1;
			double v;
			size_t e1 = position + maxd > r.n ? r.n : position + maxd;
			int ok = js_parse_int(r.u, position, e1, &v);
			if (maxd > 1 && ok && v > ngroups) {
				size_t e2 = position + maxd - 1 > r.n ? r.n : position + maxd - 1;
				ok = js_parse_int(r.u, position, e2, &v);
			}
			if (ok) {
				if (ngroups > 0)
					tmpl_add(c, t, SEG_GROUP, NULL, 0, (long)v);
				char num[32];
				position += jn_num_fmt(v, num);
			} else {
				tmpl_add(c, t, SEG_TEXT, "$", 1, 0);
			}
		}
		index = position;
		while (index < r.n && r.u[index] != '$')
			index++;
	}
	if (position < r.n)
		tmpl_add(c, t, SEG_TEXT, p + off[position], rep->u.s.len - off[position], 0);
}

/* What JavaScript's `substitute += v` appends for a group value. */
static void put_value(struct jn_ctx *c, struct jn_sb *b, const jv *v, int native)
{
	char num[32];
	if (!v)
		return;
	switch (v->type) {
	case JV_STRING:
		jn_sb_put(c, b, v->u.s.p, v->u.s.len);
		break;
	case JV_NULL:
		if (!native) /* native: null stands for undefined */
			jn_sb_puts(c, b, "null");
		break;
	case JV_NUMBER:
		jn_sb_put(c, b, num, jn_num_fmt(v->u.num, num));
		break;
	case JV_BOOL:
		jn_sb_puts(c, b, v->u.b ? "true" : "false");
		break;
	default: {
		jv *s = NULL;
		if (jn_to_string(c, v, 0, &s) == 0 && s)
			jn_sb_put(c, b, s->u.s.p, s->u.s.len);
		break;
	}
	}
}

int jn_rx_replace(struct jn_ctx *c, jv *str, jv *matcher, jv *replacement, jv *limit, jv **out)
{
	struct matcher m;
	struct mt r;
	struct tmpl t = {.ngroups = -1};
	struct jn_sb b;
	double count = 0;
	size_t position = 0;
	int rc = matcher_first(c, &m, matcher, str, &r);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		*out = str;
		return 0;
	}
	jn_sb_init(&b);
	while (rc == 1 && (!limit || count < limit->u.num)) {
		size_t ms = m.re ? r.sb : custom_off(&m, r.start);
		put_sub(c, &b, &m, position, ms);
		if (jn_is_string(replacement)) {
			long ng = jn_is_array(r.groups) ? (long)r.groups->u.a.n : 0;
			if (t.ngroups != ng)
				tmpl_parse(c, &t, replacement, ng);
			for (size_t i = 0; i < t.n; i++) {
				const struct seg *sg = &t.v[i];
				if (sg->kind == SEG_TEXT)
					jn_sb_put(c, &b, sg->p, sg->n);
				else if (sg->kind == SEG_MATCH)
					put_value(c, &b, r.match, 0);
				else if (sg->group >= 1 && sg->group <= ng)
					put_value(c, &b, r.groups->u.a.v[sg->group - 1], m.re != NULL);
			}
		} else {
			jv *arg = m.re ? match_object(c, &m, &r) : r.obj;
			jv *res = NULL;
			if (jn_apply(c, replacement, &arg, 1, &res) < 0)
				return -1;
			if (!jn_is_string(res))
				return jn_throw(c, "D3012", -1, NULL, res);
			jn_sb_put(c, &b, res->u.s.p, res->u.s.len);
		}
		if (m.re) {
			position = r.eb;
		} else {
			/* matches.start + matches.match.length (UTF-16 units) */
			double st = jn_is_number(r.start) ? r.start->u.num : 0;
			double ml = jn_is_string(r.match) ? (double)jn_str_u16len(r.match) : 0;
			jv tmp = {.type = JV_NUMBER, .u.num = st + ml};
			position = custom_off(&m, &tmp);
		}
		count++;
		rc = matcher_next(c, &m, &r);
		if (rc >= 0 && jn_tick(c) < 0)
			return -1;
	}
	if (rc < 0)
		return -1;
	if (position < m.len)
		jn_sb_put(c, &b, m.s + position, m.len - position);
	*out = jn_sb_str(c, &b);
	return 0;
}
