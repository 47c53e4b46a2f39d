/* jn_fn_regex.c: regular expressions with JavaScript's semantics on PCRE2,
 * and the functions that take a matcher: $match, and the regex forms of
 * $contains, $split and $replace (their string forms are in jn_fn_string.c,
 * which calls jn_fn_*_matcher() below when the argument is a function).
 *
 * A JSONata regex literal is a JavaScript RegExp (no u flag, flags i and m,
 * plus the g JSONata always adds). PCRE2 runs it in UTF mode after the
 * source is translated from JavaScript's syntax (jn_fn_regex_tr.c); what
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

#include "jn_fn_a.h"
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
	uint32_t *cps = NULL;
	char *pat = NULL;
	size_t patlen = 0;
	int has_backref = 0;
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
	const char *why = NULL;
	if (jn_rx_translate(cps, n, multiline, &pat, &patlen, &has_backref, &why) < 0) {
		if (!why)
			goto oom;
		set_err(errbuf, errlen, src, srclen, flags, why);
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
		re->code = pcre2_compile((PCRE2_SPTR)(pat ? pat : ""), patlen, opts, &errcode, &erroff, NULL);
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
		if (!has_backref)
			(void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
		uint32_t cap = 0;
		pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &cap);
		re->ngroups = cap;
	}
	free(cps);
	free(pat);
	*out = re;
	return 0;
oom:
	if (errbuf && errlen)
		snprintf(errbuf, errlen, "out of memory compiling a regular expression");
fail:
	free(cps);
	free(pat);
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
