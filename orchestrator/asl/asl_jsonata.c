/* asl_jsonata — the JSONata side of a definition: "{% expr %}" strings
 * compiled once (jsonata_compile) into ASL_T_JSONATA template leaves, with
 * syntax errors reported at the field and the character of the expression.
 * The walk over a field's value is asl_template.c's (asl_template_walk),
 * with JSONata's rules: "{% %}" strings are leaves, keys are plain names.
 * Which fields a JSONata state may carry is the table in asl_states.def
 * (J / P); the state-level rules are in asl_parse.c. */
#include <stdio.h>
#include <string.h>

#include "asl_internal.h"
#include "jsonata.h"

bool asl_is_jx(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n >= 4 && s[0] == '{' && s[1] == '%' && s[n - 2] == '%' && s[n - 1] == '}';
}

/* Compile the expression of the string v (already known to be "{% %}")
 * into t; the problem (at the current path) on a syntax error. */
static bool jx_compile(struct asl_ctx *c, json_t *v, struct asl_template *t)
{
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	struct jsonata_error err;
	struct jsonata *jx = NULL;
	const char *b = s + 2, *e = s + n - 2;

	while (b < e && (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r'))
		b++;
	while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	if (b == e) {
		asl_problem(c, "the JSONata expression between '{%%' and '%%}' is empty");
		return false;
	}
	memset(&err, 0, sizeof err);
	if (jsonata_compile(b, (size_t)(e - b), &jx, &err)) {
		if (err.position >= 0)
			asl_problem(c, "JSONata syntax error %s at character %ld of the expression%s%.60s%s: %.300s",
				    err.code, err.position, err.token[0] ? " (token '" : "", err.token,
				    err.token[0] ? "')" : "", err.message);
		else
			asl_problem(c, "JSONata syntax error %s: %.300s", err.code, err.message);
		return false;
	}
	if (!asl_own_jx(c, jx))
		return false;
	t->kind = ASL_T_JSONATA;
	t->jx = jx;
	t->expr.text = s;
	return true;
}

static bool var_ok(const char *s)
{
	return asl_var_name_ok(s) && strcmp(s, "states");
}

/* A "{% %}" string anywhere in the value is an expression; keys are names. */
static int jx_string(struct asl_ctx *c, json_t *v, struct asl_template *t)
{
	return asl_is_jx(json_string_value(v)) ? jx_compile(c, v, t) : -1;
}

static const struct asl_tmpl_rules jsonata_rules = {
	.string = jx_string,
	.var_ok = var_ok,
	.var_rule = "letters, digits and '_', not starting with a digit; 'states' is reserved",
};

struct asl_template *asl_get_jtemplate(struct asl_ctx *c, const char *key,
				       const struct asl_found *f, bool assign)
{
	return asl_template_walk(c, key, f, assign, &jsonata_rules);
}

bool asl_get_jexpr(struct asl_ctx *c, const char *key, const struct asl_found *f,
		   struct asl_template **out)
{
	struct asl_template *t;
	bool ok;

	*out = NULL;
	if (!json_is_string(f->v) || !asl_is_jx(json_string_value(f->v)))
		return true;
	t = asl_alloc(c, 1, sizeof *t);
	if (!t)
		return false;
	asl_push_key(c, key, f->pos);
	ok = jx_compile(c, f->v, t);
	asl_pop(c);
	if (ok)
		*out = t;
	return ok;
}
