/* intrinsics — parse and evaluate intrinsic function calls.
 *
 * Grammar (whitespace allowed between tokens):
 *   call := "States." NAME "(" [arg ("," arg)*] ")"
 *   arg  := 'string' | number | true | false | null | path | call
 * A path runs from '$' to the first ',', ')' or blank outside brackets, so
 * names with those characters need bracket notation ($['a b']), as in Step
 * Functions. Argument counts are checked at compile time; types at run time.
 */
#include "intrinsics.h"
#include "intrinsics_impl.h"
#include "jsonpath_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ifail(struct err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	snprintf(e->type, sizeof e->type, "%s", err_name(ERR_STATES_INTRINSIC_FAILURE));
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

bool intrinsic_looks_like(const char *text)
{
	return text && strncmp(text, "States.", 7) == 0 && strchr(text + 7, '(') != NULL;
}

/* ---- parser ---------------------------------------------------------- */

struct iparser {
	const char *s;
	size_t len;
	size_t pos;
	struct err *e;
};

static int ierr(struct iparser *p, const char *why)
{
	int shown = p->len > 200 ? 200 : (int)p->len;

	return err_set(p->e, ERR_STATES_RUNTIME,
		       "Invalid intrinsic function '%.*s%s': %s at position %zu",
		       shown, p->s, p->len > 200 ? "..." : "", why, p->pos);
}

static int ipeek(const struct iparser *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static bool is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void iskip(struct iparser *p)
{
	while (is_blank(ipeek(p)))
		p->pos++;
}

static bool iaccept_word(struct iparser *p, const char *w)
{
	size_t n = strlen(w);
	int after;

	if (p->len - p->pos < n || memcmp(p->s + p->pos, w, n) != 0)
		return false;
	after = p->pos + n < p->len ? (unsigned char)p->s[p->pos + n] : -1;
	if ((after >= 'a' && after <= 'z') || (after >= 'A' && after <= 'Z') ||
	    (after >= '0' && after <= '9') || after == '_' || after == '.')
		return false;
	p->pos += n;
	return true;
}

static void arg_clear(struct iarg *a)
{
	json_decref(a->lit);
	free(a->raw);
	jsonpath_free(a->path);
	intrinsic_free(a->call);
}

void intrinsic_free(struct intrinsic *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->nargs; i++)
		arg_clear(&f->args[i]);
	free(f->args);
	free(f);
}

static struct intrinsic *parse_call(struct iparser *p, int depth);

static int parse_string(struct iparser *p, struct iarg *a)
{
	size_t start = ++p->pos;
	char *val = NULL;
	size_t vlen;

	for (;;) {
		int c = ipeek(p);

		if (c < 0)
			return ierr(p, "unterminated string literal");
		if (c == '\\') {
			if (p->pos + 1 >= p->len)
				return ierr(p, "open escape '\\' at the end of a string");
			p->pos += 2;
			continue;
		}
		if (c == '\'')
			break;
		p->pos++;
	}
	a->raw_len = p->pos - start;
	a->raw = strndup(p->s + start, a->raw_len);
	if (!a->raw)
		return ierr(p, "out of memory");
	if (itext_unescape(a->raw, a->raw_len, &val, &vlen)) {
		p->pos = start;
		return ierr(p, "invalid escape sequence in string literal");
	}
	p->pos++;   /* closing quote */
	a->kind = IARG_LIT;
	a->lit = json_stringn(val, vlen);
	free(val);
	return a->lit ? 0 : ierr(p, "string literal is not valid UTF-8");
}

static int parse_number(struct iparser *p, struct iarg *a)
{
	size_t start = p->pos, n;
	bool real = false;
	char buf[64];
	int c;

	if (ipeek(p) == '-')
		p->pos++;
	while ((c = ipeek(p)) >= 0 && ((c >= '0' && c <= '9') || c == '.' || c == 'e' ||
				       c == 'E' || c == '+' || c == '-')) {
		if (c == '.' || c == 'e' || c == 'E')
			real = true;
		p->pos++;
	}
	n = p->pos - start;
	if (n >= sizeof buf) {
		p->pos = start;
		return ierr(p, "number literal too long");
	}
	memcpy(buf, p->s + start, n);
	buf[n] = '\0';
	a->kind = IARG_LIT;
	a->lit = jsonpath_parse_number(buf, real);
	if (!a->lit) {
		p->pos = start;
		return ierr(p, "invalid number literal");
	}
	return 0;
}

/* A path ends at ',', ')' or a blank outside brackets and quotes. */
static int parse_path(struct iparser *p, struct iarg *a)
{
	size_t start = p->pos;
	int depth = 0;
	struct err pe;

	while (p->pos < p->len) {
		int c = ipeek(p);

		if (depth == 0 && (c == ',' || c == ')' || is_blank(c)))
			break;
		if (c == '[') {
			depth++;
		} else if (c == ']') {
			depth--;
		} else if ((c == '\'' || c == '"') && depth > 0) {
			int q = c;

			for (p->pos++; p->pos < p->len && ipeek(p) != q; p->pos++)
				if (ipeek(p) == '\\')
					p->pos++;
		}
		p->pos++;
	}
	if (p->pos > p->len)
		p->pos = p->len;
	a->kind = IARG_PATH;
	a->path = jsonpath_compilen(p->s + start, p->pos - start, 0, &pe);
	if (!a->path) {
		p->pos = start;
		return err_set(p->e, ERR_STATES_RUNTIME, "Invalid intrinsic function argument: %s",
			       pe.msg);
	}
	return 0;
}

static int parse_arg(struct iparser *p, struct iarg *a, int depth)
{
	int c = ipeek(p);

	if (c == '\'')
		return parse_string(p, a);
	if (c == '$')
		return parse_path(p, a);
	if (c == '-' || (c >= '0' && c <= '9'))
		return parse_number(p, a);
	if (iaccept_word(p, "true")) {
		a->kind = IARG_LIT;
		a->lit = json_true();
		return 0;
	}
	if (iaccept_word(p, "false")) {
		a->kind = IARG_LIT;
		a->lit = json_false();
		return 0;
	}
	if (iaccept_word(p, "null")) {
		a->kind = IARG_LIT;
		a->lit = json_null();
		return 0;
	}
	if (p->len - p->pos >= 7 && memcmp(p->s + p->pos, "States.", 7) == 0) {
		a->kind = IARG_CALL;
		a->call = parse_call(p, depth + 1);
		return a->call ? 0 : -1;
	}
	if (c == '"')
		return ierr(p, "string literals take single quotes");
	return ierr(p, "expected an argument");
}

/* Static checks that need only the compiled arguments. */
static int check_call(struct iparser *p, struct intrinsic *f, size_t name_pos)
{
	const struct ifn *fn = f->fn;
	int max = fn->max_args < 0 ? INTRINSIC_ARGS_MAX : fn->max_args;

	p->pos = name_pos;
	if ((int)f->nargs < fn->min_args || (int)f->nargs > max) {
		char why[160];

		if (fn->min_args == max)
			snprintf(why, sizeof why, "%s takes %d argument%s, not %zu", fn->name,
				 max, max == 1 ? "" : "s", f->nargs);
		else
			snprintf(why, sizeof why, "%s takes %d to %d arguments, not %zu",
				 fn->name, fn->min_args, max, f->nargs);
		return ierr(p, why);
	}
	if (strcmp(fn->name, "States.Format") == 0 && f->args[0].kind == IARG_LIT) {
		int n;

		if (!json_is_string(f->args[0].lit))
			return ierr(p, "the first argument of States.Format must be a string");
		n = itext_format(f->args[0].raw, f->args[0].raw_len, true, NULL, 0, NULL, NULL);
		if (n < 0)
			return ierr(p, "invalid escape in the States.Format template");
		if ((size_t)n != f->nargs - 1) {
			char why[160];

			snprintf(why, sizeof why,
				 "States.Format template has %d '{}' but %zu value argument%s",
				 n, f->nargs - 1, f->nargs == 2 ? "" : "s");
			return ierr(p, why);
		}
	}
	if (strcmp(fn->name, "States.JsonToString") == 0 && f->args[0].kind == IARG_LIT)
		return ierr(p, "the argument of States.JsonToString must be a path");
	return 0;
}

static struct intrinsic *parse_call(struct iparser *p, int depth)
{
	struct intrinsic *f = NULL;
	size_t name_pos, start;
	const struct ifn *fn;

	if (depth > INTRINSIC_DEPTH_MAX) {
		ierr(p, "intrinsic functions nested too deeply");
		return NULL;
	}
	name_pos = p->pos;
	if (p->len - p->pos < 7 || memcmp(p->s + p->pos, "States.", 7) != 0) {
		ierr(p, "expected 'States.'");
		return NULL;
	}
	start = p->pos;
	p->pos += 7;
	while (p->pos < p->len && ((ipeek(p) >= 'A' && ipeek(p) <= 'Z') ||
				   (ipeek(p) >= 'a' && ipeek(p) <= 'z') ||
				   (ipeek(p) >= '0' && ipeek(p) <= '9')))
		p->pos++;
	for (fn = intrinsic_fns; fn->name; fn++)
		if (strlen(fn->name) == p->pos - start &&
		    memcmp(fn->name, p->s + start, p->pos - start) == 0)
			break;
	if (!fn->name) {
		p->pos = start;
		ierr(p, "unknown intrinsic function");
		return NULL;
	}
	f = calloc(1, sizeof *f);
	if (!f) {
		ierr(p, "out of memory");
		return NULL;
	}
	f->fn = fn;
	iskip(p);
	if (ipeek(p) != '(') {
		ierr(p, "expected '('");
		goto fail;
	}
	p->pos++;
	iskip(p);
	if (ipeek(p) == ')') {
		p->pos++;
	} else {
		for (;;) {
			struct iarg *na;

			if (f->nargs >= INTRINSIC_ARGS_MAX) {
				ierr(p, "too many arguments");
				goto fail;
			}
			na = realloc(f->args, (f->nargs + 1) * sizeof *na);
			if (!na) {
				ierr(p, "out of memory");
				goto fail;
			}
			f->args = na;
			memset(&na[f->nargs], 0, sizeof *na);
			f->nargs++;
			if (parse_arg(p, &na[f->nargs - 1], depth))
				goto fail;
			iskip(p);
			if (ipeek(p) == ',') {
				p->pos++;
				iskip(p);
				continue;
			}
			if (ipeek(p) == ')') {
				p->pos++;
				break;
			}
			ierr(p, "expected ',' or ')'");
			goto fail;
		}
	}
	{
		size_t end = p->pos;

		if (check_call(p, f, name_pos))
			goto fail;
		p->pos = end;
	}
	return f;
fail:
	intrinsic_free(f);
	return NULL;
}

struct intrinsic *intrinsic_compile(const char *text, struct err *e)
{
	struct iparser p = { .s = text, .e = e };
	struct intrinsic *f;

	if (!text) {
		err_set(e, ERR_STATES_RUNTIME, "intrinsic function text is missing");
		return NULL;
	}
	p.len = strnlen(text, INTRINSIC_TEXT_MAX + 1);
	if (p.len > INTRINSIC_TEXT_MAX) {
		err_set(e, ERR_STATES_RUNTIME, "intrinsic function is longer than %d bytes",
			INTRINSIC_TEXT_MAX);
		return NULL;
	}
	f = parse_call(&p, 1);
	if (!f)
		return NULL;
	iskip(&p);
	if (p.pos != p.len) {
		ierr(&p, "unexpected text after the call");
		intrinsic_free(f);
		return NULL;
	}
	return f;
}

const char *intrinsic_name(const struct intrinsic *f)
{
	return f ? f->fn->name : NULL;
}

/* ---- evaluation ------------------------------------------------------ */

int intrinsic_eval(const struct intrinsic *f, const struct jsonpath_roots *roots,
		   json_t **out, struct err *e)
{
	json_t *small[8], **argv = small;   /* most calls: no allocation */
	size_t i, n = 0;
	int rc = -1;

	*out = NULL;
	if (!f)
		return ifail(e, "no intrinsic function");
	if (f->nargs > sizeof small / sizeof small[0]) {
		argv = calloc(f->nargs, sizeof *argv);
		if (!argv)
			return ifail(e, "out of memory");
	}
	for (n = 0; n < f->nargs; n++) {
		const struct iarg *a = &f->args[n];
		struct err ae;

		switch (a->kind) {
		case IARG_LIT:
			argv[n] = json_incref(a->lit);
			break;
		case IARG_PATH:
			if (jsonpath_eval(a->path, roots, &argv[n], &ae)) {
				ifail(e, "%s: argument %zu: %s", f->fn->name, n + 1, ae.msg);
				goto out;
			}
			break;
		case IARG_CALL:
			/* Recursion depth is bounded by INTRINSIC_DEPTH_MAX at compile. */
			if (intrinsic_eval(a->call, roots, &argv[n], e))
				goto out;
			break;
		}
	}
	rc = f->fn->eval(f, argv, f->nargs, out, e);
out:
	for (i = 0; i < n; i++)
		json_decref(argv[i]);
	if (argv != small)
		free(argv);
	return rc;
}
