/* asl_jsonata — the JSONata side of a definition: "{% expr %}" strings
 * compiled once (jsonata_compile) into ASL_T_JSONATA template leaves, with
 * syntax errors reported at the field and the character of the expression.
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
	size_t i;

	if (!*s || (s[0] >= '0' && s[0] <= '9') || !strcmp(s, "states"))
		return false;
	for (i = 0; s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!(ch >= 0x80 || ch == '_' || (ch >= '0' && ch <= '9') ||
		      (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
			return false;
	}
	return true;
}

static bool jcompile(struct asl_ctx *c, json_t *v, struct asl_template *t, unsigned depth,
		     bool assign)
{
	bool ok = true, literal = true;
	const char *key;
	json_t *x;
	size_t i;

	if (depth > ASL_TEMPLATE_DEPTH_MAX) {
		asl_problem(c, "nested deeper than %d levels", ASL_TEMPLATE_DEPTH_MAX);
		return false;
	}
	if (json_is_string(v)) {
		if (asl_is_jx(json_string_value(v)))
			return jx_compile(c, v, t);
		t->kind = ASL_T_LITERAL;
		t->literal = v;
		return true;
	}
	if (json_is_object(v)) {
		uint32_t pos = 0;

		t->kind = ASL_T_OBJECT;
		t->n = json_object_size(v);
		t->fields = asl_alloc(c, t->n ? t->n : 1, sizeof *t->fields);
		if (!t->fields)
			return false;
		i = 0;
		json_object_foreach(v, key, x) {
			asl_push_key(c, key, pos++);
			t->fields[i].key = key;
			if (assign && !var_ok(key)) {
				asl_problem(c, "'%s' is not a valid variable name (letters, digits and '_', not starting with a digit; 'states' is reserved)",
					    key);
				ok = false;
			}
			if (!jcompile(c, x, &t->fields[i].value, depth + 1, false))
				ok = false;
			else if (t->fields[i].value.kind != ASL_T_LITERAL)
				literal = false;
			asl_pop(c);
			i++;
			if (c->oom)
				return false;
		}
	} else if (json_is_array(v)) {
		t->kind = ASL_T_ARRAY;
		t->n = json_array_size(v);
		t->items = asl_alloc(c, t->n ? t->n : 1, sizeof *t->items);
		if (!t->items)
			return false;
		for (i = 0; i < t->n; i++) {
			asl_push_index(c, i);
			if (!jcompile(c, json_array_get(v, i), &t->items[i], depth + 1, false))
				ok = false;
			else if (t->items[i].kind != ASL_T_LITERAL)
				literal = false;
			asl_pop(c);
			if (c->oom)
				return false;
		}
	} else {
		t->kind = ASL_T_LITERAL;
		t->literal = v;
		return true;
	}
	if (ok && literal) {
		t->kind = ASL_T_LITERAL;
		t->literal = v;
		t->n = 0;
		t->fields = NULL;
		t->items = NULL;
	}
	return ok;
}

struct asl_template *asl_get_jtemplate(struct asl_ctx *c, const char *key,
				       const struct asl_found *f, bool assign)
{
	struct asl_template *t;
	bool ok;

	if (assign && !json_is_object(f->v)) {
		asl_problem_at(c, key, f->pos, "must be an object");
		return NULL;
	}
	t = asl_alloc(c, 1, sizeof *t);
	if (!t)
		return NULL;
	asl_push_key(c, key, f->pos);
	ok = jcompile(c, f->v, t, 0, assign);
	asl_pop(c);
	return ok ? t : NULL;
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
