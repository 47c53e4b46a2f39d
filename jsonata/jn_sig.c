/* jn_sig.c: function signatures as signature.js: parsing "<s-nn?:s>" into
 * parameters, and validate(): the arguments' type symbols matched against
 * the parameters as the regex signature.js builds would (greedy, with
 * backtracking), context insertion for '-', wrapping of non-arrays for 'a',
 * and the errors T0410, T0411, T0412 with the same argument index. */
#include <stdlib.h>
#include <string.h>

#include "jn_int.h"

struct jn_param {
	char set[12];   /* the symbols this parameter accepts: "sm", "asnblfom" */
	char quant;     /* 0, '?' or '+' */
	char type;      /* s n b l o a f j x, or '(' for a choice */
	int context;    /* '-': the context value when missing */
	char ctxset[12];/* the set before '?' was added (contextRegex) */
	char subtype[16];
	int has_subtype;
};

struct jn_sig {
	int n;
	struct jn_param p[];
};

static size_t find_closing(const char *s, size_t len, size_t start, char open, char close)
{
	int depth = 1;
	size_t pos = start;
	while (pos < len) {
		pos++;
		if (pos >= len)
			break;
		if (s[pos] == close) {
			if (--depth == 0)
				break;
		} else if (s[pos] == open)
			depth++;
	}
	return pos;
}

int jn_sig_parse(const char *s, size_t len, const struct jn_sig **out, const char **code, int *offset)
{
	struct jn_sig *sig = calloc(1, sizeof(*sig) + (len + 1) * sizeof(struct jn_param));
	if (!sig) {
		*code = "S0401";
		*offset = 0;
		return -1;
	}
	struct jn_param cur = {0}, *prev = &cur;
	for (size_t pos = 1; pos < len; pos++) {
		char sym = s[pos];
		if (sym == ':')
			break;
		switch (sym) {
		case 's':
		case 'n':
		case 'b':
		case 'l':
		case 'o':
			snprintf(cur.set, sizeof(cur.set), "%cm", sym);
			cur.type = sym;
			goto next;
		case 'a':
			snprintf(cur.set, sizeof(cur.set), "asnblfom");
			cur.type = sym;
			goto next;
		case 'f':
			snprintf(cur.set, sizeof(cur.set), "f");
			cur.type = sym;
			goto next;
		case 'j':
			snprintf(cur.set, sizeof(cur.set), "asnblom");
			cur.type = sym;
			goto next;
		case 'x':
			snprintf(cur.set, sizeof(cur.set), "asnblfom");
			cur.type = sym;
			goto next;
		case '-':
			prev->context = 1;
			memcpy(prev->ctxset, prev->set, sizeof(prev->ctxset));
			prev->quant = '?';
			break;
		case '?':
		case '+':
			prev->quant = sym;
			break;
		case '(': {
			size_t end = find_closing(s, len, pos, '(', ')');
			size_t cl = end > pos + 1 ? end - pos - 1 : 0;
			if (memchr(s + pos + 1, '<', cl)) {
				free(sig);
				*code = "S0402";
				*offset = (int)pos;
				return -1;
			}
			snprintf(cur.set, sizeof(cur.set), "%.*sm", (int)(cl < 10 ? cl : 10), s + pos + 1);
			cur.type = '(';
			pos = end;
			goto next;
		}
		case '<':
			if (prev->type == 'a' || prev->type == 'f') {
				size_t end = find_closing(s, len, pos, '<', '>');
				size_t cl = end > pos + 1 ? end - pos - 1 : 0;
				snprintf(prev->subtype, sizeof(prev->subtype), "%.*s", (int)(cl < 15 ? cl : 15), s + pos + 1);
				prev->has_subtype = 1;
				pos = end;
			} else {
				free(sig);
				*code = "S0401";
				*offset = (int)pos;
				return -1;
			}
			break;
		}
		continue;
	next:
		sig->p[sig->n] = cur;
		prev = &sig->p[sig->n];
		sig->n++;
		memset(&cur, 0, sizeof(cur));
	}
	*out = sig;
	return 0;
}

void jn_sig_free(const struct jn_sig *s) { free((void *)s); }

int jn_sig_arity(const struct jn_sig *s) { return s ? s->n : 0; }

static char symbol_of(const jv *v)
{
	if (!v)
		return 'm';
	switch (v->type) {
	case JV_FUNCTION: return 'f';
	case JV_STRING: return 's';
	case JV_NUMBER: return 'n';
	case JV_BOOL: return 'b';
	case JV_NULL: return 'l';
	case JV_ARRAY: return 'a';
	default: return 'o';
	}
}

/* Matches params[i..np) against str[pos..len): greedy with backtracking as
 * a JS regex. anchored: must end at len. caps[i] = (start, end) per param.
 * Returns the end position, or -1. */
static long match(const struct jn_param *p, int np, int i, const char *str, size_t len, size_t pos, int anchored,
		  size_t (*caps)[2])
{
	if (i == np)
		return !anchored || pos == len ? (long)pos : -1;
	const struct jn_param *q = &p[i];
	size_t maxn = 0;
	while (pos + maxn < len && strchr(q->set, str[pos + maxn]) && (q->quant == '+' || maxn < 1))
		maxn++;
	size_t minn = q->quant == '?' ? 0 : 1;
	for (long k = (long)maxn; k >= (long)minn; k--) {
		long r = match(p, np, i + 1, str, len, pos + (size_t)k, anchored, caps);
		if (r >= 0) {
			caps[i][0] = pos;
			caps[i][1] = pos + (size_t)k;
			return r;
		}
	}
	return -1;
}

static const char *plural(const char *subtype)
{
	switch (subtype[0]) {
	case 'a': return "arrays";
	case 'b': return "booleans";
	case 'f': return "functions";
	case 'n': return "numbers";
	case 'o': return "objects";
	case 's': return "strings";
	}
	return NULL;
}

int jn_sig_validate(struct jn_ctx *c, const struct jn_sig *s, struct jn_call *call, const char *name)
{
	(void)name; /* the evaluator adds the function's name as the token */
	int nargs = call->nargs;
	char *sup = jn_alloc_raw(c, (size_t)nargs + 1);
	for (int i = 0; i < nargs; i++)
		sup[i] = symbol_of(call->args[i]);
	sup[nargs] = 0;
	size_t(*caps)[2] = jn_alloc(c, (size_t)(s->n + 1) * sizeof(*caps));
	if (match(s->p, s->n, 0, sup, (size_t)nargs, 0, 1, caps) < 0) {
		/* throwValidationError: the longest prefix of parameters that matches */
		size_t good = 0;
		for (int k = 1; k <= s->n; k++) {
			long r = match(s->p, k, 0, sup, (size_t)nargs, 0, 0, caps);
			if (r < 0)
				break;
			good = (size_t)r;
		}
		jv *bad = good < (size_t)nargs ? call->args[good] : NULL;
		return jn_throw_arg(c, "T0410", -1, NULL, (int)good + 1, NULL, bad);
	}
	jv **out = jn_alloc(c, (size_t)(s->n + nargs + 1) * sizeof(jv *));
	int no = 0, ai = 0;
	for (int i = 0; i < s->n; i++) {
		const struct jn_param *q = &s->p[i];
		size_t m0 = caps[i][0], m1 = caps[i][1];
		jv *arg = ai < nargs ? call->args[ai] : NULL;
		if (m0 == m1) {
			if (q->context) {
				char cs = symbol_of(call->input);
				if (strchr(q->ctxset, cs)) {
					out[no++] = call->input;
				} else {
					return jn_throw_arg(c, "T0411", -1, NULL, ai + 1, NULL, call->input);
				}
			} else {
				out[no++] = arg;
				ai++;
			}
			continue;
		}
		for (size_t k = m0; k < m1; k++) {
			char single = sup[k];
			arg = ai < nargs ? call->args[ai] : NULL;
			if (q->type == 'a') {
				if (single == 'm') {
					arg = NULL;
				} else {
					int ok = 1;
					if (q->has_subtype) {
						size_t ml = m1 - m0;
						if (single != 'a' &&
						    !(ml == strlen(q->subtype) && !memcmp(sup + m0, q->subtype, ml)))
							ok = 0;
						else if (single == 'a' && arg->u.a.n > 0) {
							char it = symbol_of(arg->u.a.v[0]);
							if (it != q->subtype[0])
								ok = 0;
							else
								for (size_t x = 0; x < arg->u.a.n; x++)
									if (symbol_of(arg->u.a.v[x]) != it) {
										ok = 0;
										break;
									}
						}
					}
					if (!ok)
						return jn_throw_arg(c, "T0412", -1, NULL, ai + 1, plural(q->subtype), arg);
					if (single != 'a') {
						jv *w = jn_arr_new(c, 1);
						jn_arr_push(c, w, arg);
						arg = w;
					}
				}
			}
			out[no++] = arg;
			ai++;
		}
	}
	call->args = out;
	call->nargs = no;
	return 0;
}
