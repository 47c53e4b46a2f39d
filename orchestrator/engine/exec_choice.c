/* exec_choice — evaluating Choice rules against a state's effective input.
 *
 * As Step Functions does: a comparison whose Variable has the wrong type is
 * false (not an error); a Variable that points nowhere is a States.Runtime
 * error, except for IsPresent, which is what it tests; Is*: false is true
 * for every value of another type. */
#include <string.h>

#include "exec_internal.h"
#include "jsonpath.h"

static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);

	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

/* -1/0/1 from a comparison, for the op family (EQUALS, LESS_THAN, ...) at
 * offset `k` from the family's first operator. */
static bool order_ok(int c, int k)
{
	switch (k) {
	case 0: return c == 0;   /* Equals */
	case 1: return c < 0;    /* LessThan */
	case 2: return c > 0;    /* GreaterThan */
	case 3: return c <= 0;   /* LessThanEquals */
	case 4: return c >= 0;   /* GreaterThanEquals */
	}
	return false;
}

static int num_cmp(const json_t *a, const json_t *b, double bnum)
{
	double x, y;

	if (b && json_is_integer(a) && json_is_integer(b)) {
		json_int_t i = json_integer_value(a), j = json_integer_value(b);

		return i < j ? -1 : i > j;
	}
	x = json_number_value(a);
	y = b ? json_number_value(b) : bnum;
	return x < y ? -1 : x > y;
}

static bool is_timestamp(const json_t *v, struct asl_time *t)
{
	return json_is_string(v) && asl_time_parse(json_string_value(v), t);
}

static int compare(const struct asl_rule *r, const json_t *v, const json_t *other)
{
	struct asl_time ta, tb;
	const json_t *lit = r->by_path ? other : r->value;

	switch (r->cmp) {
	case ASL_CMP_STRING_EQUALS:
	case ASL_CMP_STRING_LESS_THAN:
	case ASL_CMP_STRING_GREATER_THAN:
	case ASL_CMP_STRING_LESS_THAN_EQUALS:
	case ASL_CMP_STRING_GREATER_THAN_EQUALS:
		if (!json_is_string(v) || !json_is_string(lit))
			return 0;
		return order_ok(cmp_bytes(json_string_value(v), json_string_length(v),
					  json_string_value(lit), json_string_length(lit)),
				r->cmp - ASL_CMP_STRING_EQUALS);
	case ASL_CMP_STRING_MATCHES:
		return json_is_string(v) &&
		       asl_pattern_match(&r->pattern, json_string_value(v), json_string_length(v));
	case ASL_CMP_NUMERIC_EQUALS:
	case ASL_CMP_NUMERIC_LESS_THAN:
	case ASL_CMP_NUMERIC_GREATER_THAN:
	case ASL_CMP_NUMERIC_LESS_THAN_EQUALS:
	case ASL_CMP_NUMERIC_GREATER_THAN_EQUALS:
		if (!json_is_number(v) || !json_is_number(lit))
			return 0;
		return order_ok(num_cmp(v, lit, r->num), r->cmp - ASL_CMP_NUMERIC_EQUALS);
	case ASL_CMP_BOOLEAN_EQUALS:
		return json_is_boolean(v) && json_is_boolean(lit) &&
		       json_is_true(v) == json_is_true(lit);
	case ASL_CMP_TIMESTAMP_EQUALS:
	case ASL_CMP_TIMESTAMP_LESS_THAN:
	case ASL_CMP_TIMESTAMP_GREATER_THAN:
	case ASL_CMP_TIMESTAMP_LESS_THAN_EQUALS:
	case ASL_CMP_TIMESTAMP_GREATER_THAN_EQUALS:
		if (!is_timestamp(v, &ta))
			return 0;
		if (r->by_path) {
			if (!is_timestamp(other, &tb))
				return 0;
		} else {
			tb = r->ts;
		}
		return order_ok(asl_time_cmp(&ta, &tb), r->cmp - ASL_CMP_TIMESTAMP_EQUALS);
	case ASL_CMP_IS_NULL:
		return json_is_null(v) == r->boolean;
	case ASL_CMP_IS_NUMERIC:
		return json_is_number(v) == r->boolean;
	case ASL_CMP_IS_STRING:
		return json_is_string(v) == r->boolean;
	case ASL_CMP_IS_BOOLEAN:
		return json_is_boolean(v) == r->boolean;
	case ASL_CMP_IS_TIMESTAMP:
		return is_timestamp(v, &ta) == r->boolean;
	case ASL_CMP_IS_PRESENT:
		return r->boolean;   /* v was found */
	default:
		return 0;
	}
}

int choice_eval(struct evalctx *ec, const struct asl_rule *r, struct err *e)
{
	json_t *v = NULL, *other = NULL;
	size_t i;
	int rc;

	switch (r->kind) {
	case ASL_RULE_AND:
	case ASL_RULE_OR:
		for (i = 0; i < r->n; i++) {
			rc = choice_eval(ec, &r->subs[i], e);
			if (rc < 0)
				return rc;
			if ((r->kind == ASL_RULE_AND) != (rc == 1))
				return r->kind == ASL_RULE_OR;
		}
		return r->kind == ASL_RULE_AND;
	case ASL_RULE_NOT:
		rc = choice_eval(ec, &r->subs[0], e);
		return rc < 0 ? rc : !rc;
	case ASL_RULE_CMP:
		break;
	case ASL_RULE_CONDITION:
		if (jx_field(ec, r->condition, "Condition", &v, e))
			return -1;
		rc = json_is_boolean(v) ? json_is_true(v) : -1;
		json_decref(v);
		if (rc < 0) {
			const char *x;
			int n = jx_inner(r->condition->expr.text, &x);

			return err_set(e, ERR_STATES_QUERY_EVALUATION,
				       "The JSONata expression '%.*s' specified for the field 'Condition' must return a boolean",
				       n > 200 ? 200 : n, x);
		}
		return rc;
	}
	if (ec_path(ec, r->variable, &v, e)) {
		if (r->cmp == ASL_CMP_IS_PRESENT)
			return !r->boolean;
		return err_set(e, ERR_STATES_RUNTIME,
			       "Invalid path '%.200s': The choice state's condition path references an invalid value.",
			       r->variable_text);
	}
	if (r->by_path && ec_path(ec, r->value_path, &other, e)) {
		json_decref(v);
		return err_set(e, ERR_STATES_RUNTIME,
			       "Invalid path '%.200s': The choice state's condition path references an invalid value.",
			       jsonpath_text(r->value_path));
	}
	rc = compare(r, v, other);
	json_decref(v);
	json_decref(other);
	return rc;
}
