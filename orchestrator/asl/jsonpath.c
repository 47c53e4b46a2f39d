/* jsonpath — compile and evaluate Step Functions JSONPath.
 *
 * Semantics follow Jayway JsonPath, which Step Functions uses:
 *  - a definite path selects one node; when a node is missing on the definite
 *    prefix of any path (the steps before the first wildcard, slice, union,
 *    filter or `..`), evaluation fails ("No results for path");
 *  - past that prefix, missing members just contribute no match and the
 *    result is an array of the matches (possibly empty);
 *  - a filter on an array tests each element, a filter on an object tests
 *    the object itself;
 *  - `..` visits a node before its children (pre-order).
 * Evaluation keeps the current node set in a jansson array, step by step,
 * so only `..` and the filter/equality helpers recurse, each bounded by
 * JSONPATH_DEPTH_MAX. */
#include "jsonpath.h"
#include "jsonpath_impl.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILTER_NEST_MAX 64

/* ---- parser ---------------------------------------------------------- */

struct parser {
	const char *s;
	size_t len;
	size_t pos;
	int fdepth;         /* filter nesting: parentheses, `!`, brackets */
	struct err *e;
};

static int perr(struct parser *p, const char *why)
{
	int shown = p->len > 200 ? 200 : (int)p->len;

	return err_set(p->e, ERR_STATES_RUNTIME,
		       "Invalid JSONPath '%.*s%s': %s at position %zu",
		       shown, p->s, p->len > 200 ? "..." : "", why, p->pos);
}

static int peek(const struct parser *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static int peek_at(const struct parser *p, size_t off)
{
	return p->pos + off < p->len ? (unsigned char)p->s[p->pos + off] : -1;
}

static void skip_ws(struct parser *p)
{
	while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' ||
				   p->s[p->pos] == '\n' || p->s[p->pos] == '\r'))
		p->pos++;
}

static bool accept(struct parser *p, const char *tok)
{
	size_t n = strlen(tok);

	if (p->len - p->pos >= n && memcmp(p->s + p->pos, tok, n) == 0) {
		p->pos += n;
		return true;
	}
	return false;
}

/* Characters allowed in a dot-notation member name. Anything else needs
 * bracket notation. Bytes >= 0x80 (UTF-8) are allowed. */
static bool name_char(int c)
{
	if (c < 0)
		return false;
	if (c >= 0x80)
		return true;
	if (c <= ' ' || c == 0x7f)
		return false;
	return strchr(".[]()',\"=!<>&|?*", c) == NULL;
}

/* Identifier of a workflow variable: letters, digits, '_', UTF-8. */
static bool var_char(int c, bool first)
{
	if (c < 0)
		return false;
	if (c >= 0x80 || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return !first && c >= '0' && c <= '9';
}

static void steps_free(struct steps *ss);
static void fexpr_free(struct fexpr *f);

static void step_clear(struct step *st)
{
	size_t i;

	free(st->name.s);
	for (i = 0; i < st->nsels; i++)
		free(st->sels[i].name.s);
	free(st->sels);
	fexpr_free(st->filter);
}

static void steps_free(struct steps *ss)
{
	size_t i;

	for (i = 0; i < ss->n; i++)
		step_clear(&ss->v[i]);
	free(ss->v);
	ss->v = NULL;
	ss->n = ss->alloc = 0;
}

static void operand_clear(struct operand *o)
{
	json_decref(o->lit);
	steps_free(&o->path);
}

static void fexpr_free(struct fexpr *f)
{
	if (!f)
		return;
	fexpr_free(f->l);
	fexpr_free(f->r);
	operand_clear(&f->a);
	operand_clear(&f->b);
	free(f);
}

static struct step *steps_push(struct steps *ss)
{
	if (ss->n == ss->alloc) {
		size_t na = ss->alloc ? ss->alloc * 2 : 8;
		struct step *v = realloc(ss->v, na * sizeof *v);

		if (!v)
			return NULL;
		ss->v = v;
		ss->alloc = na;
	}
	memset(&ss->v[ss->n], 0, sizeof ss->v[0]);
	return &ss->v[ss->n++];
}

static void put_utf8(char *out, size_t *n, uint32_t cp)
{
	if (cp < 0x80) {
		out[(*n)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*n)++] = (char)(0xc0 | (cp >> 6));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*n)++] = (char)(0xe0 | (cp >> 12));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*n)++] = (char)(0xf0 | (cp >> 18));
		out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*n)++] = (char)(0x80 | (cp & 0x3f));
	}
}

static int hex4(const char *s, uint32_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		int c = (unsigned char)s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		*v = *v << 4 | (uint32_t)d;
	}
	return 0;
}

/* A quoted string ('...' or "..."), JSON escapes plus \' ; result is
 * UTF-8, may contain NUL (length in k->len). */
static int parse_quoted(struct parser *p, struct key *k)
{
	int q = peek(p);
	size_t start, n = 0;
	char *out = NULL;

	if (q != '\'' && q != '"')
		return perr(p, "expected a quoted string");
	start = ++p->pos;
	/* The decoded text is never longer than the source. */
	out = malloc(p->len - start + 1);
	if (!out)
		return perr(p, "out of memory");
	for (;;) {
		int c = peek(p);

		if (c < 0) {
			free(out);
			return perr(p, "unterminated string");
		}
		p->pos++;
		if (c == q)
			break;
		if (c != '\\') {
			out[n++] = (char)c;
			continue;
		}
		c = peek(p);
		p->pos++;
		switch (c) {
		case '\'': case '"': case '\\': case '/':
			out[n++] = (char)c;
			break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case 'u': {
			uint32_t cp, lo;

			if (p->len - p->pos < 4 || hex4(p->s + p->pos, &cp)) {
				free(out);
				return perr(p, "bad \\u escape");
			}
			p->pos += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && p->len - p->pos >= 6 &&
			    p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u' &&
			    !hex4(p->s + p->pos + 2, &lo) && lo >= 0xdc00 && lo < 0xe000) {
				p->pos += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xd800 && cp < 0xe000) {
				free(out);
				return perr(p, "lone surrogate in \\u escape");
			}
			put_utf8(out, &n, cp);
			break;
		}
		default:
			free(out);
			return perr(p, "bad escape in string");
		}
	}
	out[n] = '\0';
	/* The buffer was sized for the rest of the path: give back the slack. */
	k->s = realloc(out, n + 1);
	if (!k->s)
		k->s = out;
	k->len = n;
	return 0;
}

static int parse_int(struct parser *p, long long *v)
{
	bool neg = false;
	long long x = 0;
	int c = peek(p);

	if (c == '-') {
		neg = true;
		p->pos++;
		c = peek(p);
	}
	if (c < '0' || c > '9')
		return perr(p, "expected an integer");
	while ((c = peek(p)) >= '0' && c <= '9') {
		if (__builtin_mul_overflow(x, 10, &x) ||
		    __builtin_add_overflow(x, c - '0', &x))
			return perr(p, "integer out of range");
		p->pos++;
	}
	*v = neg ? -x : x;
	return 0;
}

static int parse_filter_or(struct parser *p, struct fexpr **out);

/* Steps of a filter operand (after '@' or '$'): definite only. */
static int parse_steps(struct parser *p, struct steps *ss, bool in_filter);

static int parse_literal(struct parser *p, json_t **lit)
{
	int c = peek(p);

	if (c == '\'' || c == '"') {
		struct key k = { 0 };

		if (parse_quoted(p, &k))
			return -1;
		*lit = json_stringn(k.s, k.len);
		free(k.s);
		return *lit ? 0 : perr(p, "invalid UTF-8 in string");
	}
	if (accept(p, "true")) {
		*lit = json_true();
		return 0;
	}
	if (accept(p, "false")) {
		*lit = json_false();
		return 0;
	}
	if (accept(p, "null")) {
		*lit = json_null();
		return 0;
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		size_t start = p->pos, n;
		bool real = false;
		char buf[64];

		if (c == '-')
			p->pos++;
		while ((c = peek(p)) >= 0 && ((c >= '0' && c <= '9') || c == '.' ||
					      c == 'e' || c == 'E' || c == '+' || c == '-')) {
			if (c == '.' || c == 'e' || c == 'E')
				real = true;
			p->pos++;
		}
		n = p->pos - start;
		if (n >= sizeof buf)
			return perr(p, "number too long");
		memcpy(buf, p->s + start, n);
		buf[n] = '\0';
		*lit = jsonpath_parse_number(buf, real);
		return *lit ? 0 : perr(p, "bad number");
	}
	return perr(p, "expected a value");
}

static int parse_operand(struct parser *p, struct operand *o)
{
	int c = peek(p);

	if (c == '@' || (c == '$' && peek_at(p, 1) != '$')) {
		o->kind = c == '@' ? OPND_CUR : OPND_ROOT;
		p->pos++;
		return parse_steps(p, &o->path, true);
	}
	o->kind = OPND_LIT;
	return parse_literal(p, &o->lit);
}

static int parse_cmp_op(struct parser *p, enum cmp_op *op)
{
	if (accept(p, "=="))
		*op = CMP_EQ;
	else if (accept(p, "!="))
		*op = CMP_NE;
	else if (accept(p, "<="))
		*op = CMP_LE;
	else if (accept(p, ">="))
		*op = CMP_GE;
	else if (accept(p, "<"))
		*op = CMP_LT;
	else if (accept(p, ">"))
		*op = CMP_GT;
	else
		return 1;
	return 0;
}

static int parse_filter_unary(struct parser *p, struct fexpr **out)
{
	struct fexpr *f = NULL;
	int rc = -1;

	if (++p->fdepth > FILTER_NEST_MAX) {
		perr(p, "filter nested too deeply");
		goto out;
	}
	skip_ws(p);
	f = calloc(1, sizeof *f);
	if (!f) {
		perr(p, "out of memory");
		goto out;
	}
	if (peek(p) == '!' && peek_at(p, 1) != '=') {
		p->pos++;
		f->kind = FX_NOT;
		if (parse_filter_unary(p, &f->l))
			goto out;
	} else if (peek(p) == '(') {
		p->pos++;
		free(f);
		f = NULL;
		if (parse_filter_or(p, &f))
			goto out;
		skip_ws(p);
		if (peek(p) != ')') {
			perr(p, "expected ')'");
			goto out;
		}
		p->pos++;
	} else {
		if (parse_operand(p, &f->a))
			goto out;
		skip_ws(p);
		if (parse_cmp_op(p, &f->op) == 0) {
			f->kind = FX_CMP;
			skip_ws(p);
			if (parse_operand(p, &f->b))
				goto out;
		} else if (f->a.kind == OPND_LIT) {
			perr(p, "a literal alone is not a condition");
			goto out;
		} else {
			f->kind = FX_EXISTS;
		}
	}
	*out = f;
	f = NULL;
	rc = 0;
out:
	p->fdepth--;
	fexpr_free(f);
	return rc;
}

static int parse_filter_bin(struct parser *p, struct fexpr **out, bool is_or)
{
	struct fexpr *l = NULL, *n;

	if (is_or ? parse_filter_bin(p, &l, false) : parse_filter_unary(p, &l))
		return -1;
	for (;;) {
		skip_ws(p);
		if (!accept(p, is_or ? "||" : "&&"))
			break;
		n = calloc(1, sizeof *n);
		if (!n) {
			fexpr_free(l);
			return perr(p, "out of memory");
		}
		n->kind = is_or ? FX_OR : FX_AND;
		n->l = l;
		l = n;
		if (is_or ? parse_filter_bin(p, &n->r, false) : parse_filter_unary(p, &n->r)) {
			fexpr_free(l);
			return -1;
		}
	}
	*out = l;
	return 0;
}

static int parse_filter_or(struct parser *p, struct fexpr **out)
{
	return parse_filter_bin(p, out, true);
}

/* After '[': wildcard, filter, names, indexes or a slice; consumes ']'. */
static int parse_bracket(struct parser *p, struct step *st, bool in_filter)
{
	int c;

	skip_ws(p);
	c = peek(p);
	if (c == '*') {
		p->pos++;
		st->kind = STEP_WILD;
	} else if (c == '?') {
		p->pos++;
		skip_ws(p);
		if (peek(p) != '(')
			return perr(p, "expected '(' after '?'");
		p->pos++;
		if (++p->fdepth > FILTER_NEST_MAX)
			return perr(p, "filter nested too deeply");
		if (parse_filter_or(p, &st->filter))
			return -1;
		p->fdepth--;
		skip_ws(p);
		if (peek(p) != ')')
			return perr(p, "expected ')' closing the filter");
		p->pos++;
		st->kind = STEP_FILTER;
	} else if (c == '\'' || c == '"') {
		for (;;) {
			struct sel *ns = realloc(st->sels, (st->nsels + 1) * sizeof *ns);

			if (!ns)
				return perr(p, "out of memory");
			st->sels = ns;
			memset(&ns[st->nsels], 0, sizeof *ns);
			ns[st->nsels].is_name = true;
			if (parse_quoted(p, &ns[st->nsels].name))
				return -1;
			st->nsels++;
			skip_ws(p);
			if (peek(p) != ',')
				break;
			p->pos++;
			skip_ws(p);
		}
		st->kind = STEP_UNION;
	} else if (c == '-' || c == ':' || (c >= '0' && c <= '9')) {
		long long v[3] = { 0, 0, 1 };
		bool has[3] = { false, false, false };
		int part = 0;

		for (;;) {
			skip_ws(p);
			c = peek(p);
			if (c == '-' || (c >= '0' && c <= '9')) {
				if (parse_int(p, &v[part]))
					return -1;
				has[part] = true;
				skip_ws(p);
			}
			if (peek(p) != ':')
				break;
			if (++part > 2)
				return perr(p, "too many ':' in slice");
			p->pos++;
		}
		if (part > 0) {
			if (has[2] && v[2] == 0)
				return perr(p, "slice step cannot be zero");
			st->kind = STEP_SLICE;
			st->slice.has_start = has[0];
			st->slice.has_end = has[1];
			st->slice.start = v[0];
			st->slice.end = v[1];
			st->slice.step = has[2] ? v[2] : 1;
		} else {
			if (!has[0])
				return perr(p, "expected an index");
			for (;;) {
				struct sel *ns = realloc(st->sels, (st->nsels + 1) * sizeof *ns);

				if (!ns)
					return perr(p, "out of memory");
				st->sels = ns;
				memset(&ns[st->nsels], 0, sizeof *ns);
				ns[st->nsels++].index = v[0];
				skip_ws(p);
				if (peek(p) != ',')
					break;
				p->pos++;
				skip_ws(p);
				if (parse_int(p, &v[0]))
					return -1;
			}
			st->kind = STEP_UNION;
		}
	} else {
		return perr(p, "unexpected character in brackets");
	}
	skip_ws(p);
	if (peek(p) != ']')
		return perr(p, "expected ']'");
	p->pos++;
	/* A one-element union is a plain member or index. */
	if (st->kind == STEP_UNION && st->nsels == 1) {
		if (st->sels[0].is_name) {
			st->kind = STEP_NAME;
			st->name = st->sels[0].name;
		} else {
			st->kind = STEP_INDEX;
			st->index = st->sels[0].index;
		}
		free(st->sels);
		st->sels = NULL;
		st->nsels = 0;
	}
	if (in_filter && st->kind != STEP_NAME && st->kind != STEP_INDEX)
		return perr(p, "only members and indexes are allowed in filter paths");
	return 0;
}

static int parse_dot_name(struct parser *p, struct step *st)
{
	size_t start = p->pos;

	while (name_char(peek(p)))
		p->pos++;
	if (p->pos == start)
		return perr(p, "expected a member name");
	st->kind = STEP_NAME;
	st->name.len = p->pos - start;
	st->name.s = strndup(p->s + start, st->name.len);
	return st->name.s ? 0 : perr(p, "out of memory");
}

static int parse_steps(struct parser *p, struct steps *ss, bool in_filter)
{
	for (;;) {
		int c = peek(p);
		struct step *st;

		if (c != '.' && c != '[')
			return 0;
		st = steps_push(ss);
		if (!st)
			return perr(p, "out of memory");
		if (c == '[') {
			p->pos++;
			if (parse_bracket(p, st, in_filter))
				return -1;
			continue;
		}
		p->pos++;
		if (peek(p) == '.') {
			if (in_filter)
				return perr(p, "'..' is not allowed in filter paths");
			st->descend = true;
			p->pos++;
		}
		c = peek(p);
		if (c == '*') {
			if (in_filter)
				return perr(p, "'*' is not allowed in filter paths");
			p->pos++;
			st->kind = STEP_WILD;
		} else if (c == '[') {
			p->pos++;
			if (parse_bracket(p, st, in_filter))
				return -1;
		} else if (parse_dot_name(p, st)) {
			return -1;
		}
	}
}

static bool step_definite(const struct step *st)
{
	return !st->descend && (st->kind == STEP_NAME || st->kind == STEP_INDEX);
}

struct jsonpath *jsonpath_compilen(const char *text, size_t len, unsigned flags,
				   struct err *e)
{
	struct parser p = { .s = text, .len = len, .e = e };
	struct jsonpath *jp = NULL;
	size_t i;

	if (!text)
		return err_set(e, ERR_STATES_RUNTIME, "JSONPath is missing"), NULL;
	if (len > JSONPATH_TEXT_MAX) {
		err_set(e, ERR_STATES_RUNTIME, "JSONPath is longer than %d bytes",
			JSONPATH_TEXT_MAX);
		return NULL;
	}
	jp = calloc(1, sizeof *jp);
	if (!jp || !(jp->text = strndup(text, len))) {
		err_set(e, ERR_STATES_RUNTIME, "out of memory");
		goto fail;
	}
	if (peek(&p) != '$') {
		perr(&p, "a path must start with '$'");
		goto fail;
	}
	p.pos++;
	if (peek(&p) == '$') {
		p.pos++;
		jp->root = JSONPATH_ROOT_CONTEXT;
	} else if (var_char(peek(&p), true)) {
		size_t start = p.pos;

		while (var_char(peek(&p), false))
			p.pos++;
		jp->root = JSONPATH_ROOT_VAR;
		jp->var = strndup(text + start, p.pos - start);
		if (!jp->var) {
			perr(&p, "out of memory");
			goto fail;
		}
	} else {
		jp->root = JSONPATH_ROOT_INPUT;
	}
	if (parse_steps(&p, &jp->steps, false))
		goto fail;
	if (p.pos != p.len) {
		perr(&p, "unexpected character");
		goto fail;
	}
	jp->definite = true;
	for (i = 0; i < jp->steps.n; i++)
		if (!step_definite(&jp->steps.v[i]))
			jp->definite = false;
	if ((flags & JSONPATH_REFERENCE) && !jp->definite) {
		err_set(e, ERR_STATES_RUNTIME,
			"Invalid reference path '%.200s': wildcards, filters, slices, unions and '..' are not allowed",
			jp->text);
		goto fail;
	}
	return jp;
fail:
	jsonpath_free(jp);
	return NULL;
}

struct jsonpath *jsonpath_compile(const char *text, unsigned flags, struct err *e)
{
	if (!text)
		return jsonpath_compilen(NULL, 0, flags, e);
	return jsonpath_compilen(text, strnlen(text, JSONPATH_TEXT_MAX + 1), flags, e);
}

void jsonpath_free(struct jsonpath *jp)
{
	if (!jp)
		return;
	steps_free(&jp->steps);
	free(jp->var);
	free(jp->text);
	free(jp);
}

bool jsonpath_is_definite(const struct jsonpath *jp)
{
	return jp && jp->definite;
}

const char *jsonpath_text(const struct jsonpath *jp)
{
	return jp ? jp->text : NULL;
}

enum jsonpath_root jsonpath_root(const struct jsonpath *jp)
{
	return jp->root;
}

const char *jsonpath_var_name(const struct jsonpath *jp)
{
	return jp && jp->root == JSONPATH_ROOT_VAR ? jp->var : NULL;
}
