/* jn_fn_regex_tr.c: JavaScript regex syntax (no u flag) translated to
 * PCRE2's (UTF mode), so that PCRE2 matches what V8 matches: \s as
 * JavaScript's set, `.` and `$` and the m flag's line ends, Annex B's
 * legacy octal escapes and identity escapes, back-references counted
 * before they are told from octal, classes item by item, V8's error
 * wording. jn_fn_regex.c compiles and runs the result; the "Regex" section
 * of docs/jsonata.md lists what is translated and what still differs —
 * keep both in step.
 *
 * Thread-safety: pure (malloc'd output, no shared state). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jn_fn_a.h"

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

/* A group name s[from, to) into the PCRE2 pattern, then '>': the same
 * for a named group "(?<n>" and a reference "\k<n>". */
static int put_group_name(struct tr *t, size_t from, size_t to)
{
	for (size_t k = from; k < to; k++) {
		if (t->s[k] == '$') {
			t->err = "Invalid capture group name (tutti: '$' in group names is not supported)";
			return -1;
		}
		char ch = (char)t->s[k];
		rb_put(&t->out, &ch, 1);
	}
	rb_puts(&t->out, ">");
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
				if (put_group_name(t, t->i + 1, j) < 0)
					return -1;
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
					if (put_group_name(t, t->i + 2, j) < 0)
						return -1;
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

int jn_rx_translate(const uint32_t *cps, size_t n, int multiline, char **out, size_t *outlen, int *has_backref,
		    const char **why)
{
	struct tr t = {0};
	t.s = cps;
	t.n = n;
	t.multiline = multiline;
	*out = NULL;
	*outlen = 0;
	*why = NULL;
	if (js_translate(&t) < 0) {
		*why = t.out.oom ? NULL : t.err;
		free(t.out.p);
		return -1;
	}
	*out = t.out.p;
	*outlen = t.out.n;
	*has_backref = t.has_backref;
	return 0;
}
