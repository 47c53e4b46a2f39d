/* graph_rule — a Choice rule as a short label: `$.x == 3`,
 * `$.s matches "a*"`, `$.v is present`, `And($.a > 1, $.b == "x")`,
 * `Not(…)`, a JSONata Condition as written. Cut at GRAPH_LABEL_MAX
 * characters: the text is built only a little past that, so a huge or
 * deeply nested rule costs no more than a small one. */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

#define RULE_BUILD_MAX (4 * GRAPH_LABEL_MAX)   /* bytes built before cutting */
#define RULE_DEPTH_MAX 16

static const struct {
	const char *key, *op;
} cmp_ops[] = {
	{ "StringEquals", "==" }, { "StringLessThan", "<" }, { "StringGreaterThan", ">" },
	{ "StringLessThanEquals", "<=" }, { "StringGreaterThanEquals", ">=" }, { "StringMatches", "matches" },
	{ "NumericEquals", "==" }, { "NumericLessThan", "<" }, { "NumericGreaterThan", ">" },
	{ "NumericLessThanEquals", "<=" }, { "NumericGreaterThanEquals", ">=" }, { "BooleanEquals", "==" },
	{ "TimestampEquals", "==" }, { "TimestampLessThan", "<" }, { "TimestampGreaterThan", ">" },
	{ "TimestampLessThanEquals", "<=" }, { "TimestampGreaterThanEquals", ">=" },
};

static const struct {
	const char *key, *yes, *no;
} type_tests[] = {
	{ "IsNull", "is null", "is not null" }, { "IsPresent", "is present", "is absent" },
	{ "IsNumeric", "is numeric", "is not numeric" }, { "IsString", "is a string", "is not a string" },
	{ "IsBoolean", "is a boolean", "is not a boolean" }, { "IsTimestamp", "is a timestamp", "is not a timestamp" },
};

static bool full(const struct buf *b)
{
	return b->len >= RULE_BUILD_MAX;
}

/* A literal as JSON (strings quoted), capped. */
static void put_value(struct buf *b, const json_t *v)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

	if (s) {
		buf_append(b, s, strlen(s) > RULE_BUILD_MAX ? RULE_BUILD_MAX : strlen(s));
		free(s);
	}
}

static void put_rule(struct buf *b, const json_t *r, int depth)
{
	const char *var = json_string_value(json_object_get(r, "Variable"));
	const json_t *v;
	size_t i, k;

	if (full(b))
		return;
	if (depth > RULE_DEPTH_MAX || !json_is_object(r)) {
		buf_puts(b, "…");
		return;
	}
	if ((v = json_object_get(r, "Condition"))) {
		if (json_is_string(v))
			buf_append(b, json_string_value(v),
				   strlen(json_string_value(v)) > RULE_BUILD_MAX ? RULE_BUILD_MAX
										  : strlen(json_string_value(v)));
		else
			put_value(b, v);
		return;
	}
	for (k = 0; k < 2; k++) {
		const char *op = k ? "Or" : "And";

		if (!(v = json_object_get(r, op)))
			continue;
		buf_printf(b, "%s(", op);
		for (i = 0; i < json_array_size(v) && !full(b); i++) {
			if (i)
				buf_puts(b, ", ");
			put_rule(b, json_array_get(v, i), depth + 1);
		}
		buf_puts(b, ")");
		return;
	}
	if ((v = json_object_get(r, "Not"))) {
		buf_puts(b, "Not(");
		put_rule(b, v, depth + 1);
		buf_puts(b, ")");
		return;
	}
	for (i = 0; i < sizeof type_tests / sizeof type_tests[0]; i++) {
		if (!(v = json_object_get(r, type_tests[i].key)))
			continue;
		buf_printf(b, "%.*s %s", RULE_BUILD_MAX, var ? var : "?",
			   json_is_false(v) ? type_tests[i].no : type_tests[i].yes);
		return;
	}
	for (i = 0; i < sizeof cmp_ops / sizeof cmp_ops[0]; i++) {
		char path_key[64];

		snprintf(path_key, sizeof path_key, "%sPath", cmp_ops[i].key);
		if ((v = json_object_get(r, cmp_ops[i].key))) {
			buf_printf(b, "%.*s %s ", RULE_BUILD_MAX, var ? var : "?", cmp_ops[i].op);
			put_value(b, v);
			return;
		}
		if ((v = json_object_get(r, path_key))) {
			buf_printf(b, "%.*s %s %.*s", RULE_BUILD_MAX, var ? var : "?", cmp_ops[i].op, RULE_BUILD_MAX,
				   json_is_string(v) ? json_string_value(v) : "?");
			return;
		}
	}
	buf_puts(b, var ? var : "?");
}

char *graph_cut(const char *s, size_t max)
{
	size_t i = 0, chars = 0, cut = 0;
	char *r;

	while (s[i]) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (chars == max - 1)
				cut = i;   /* where "…" goes if there is more */
			if (chars == max)
				break;
			chars++;
		}
		i++;
	}
	if (!s[i])
		return strdup(s);
	r = malloc(cut + 4);
	if (!r)
		return NULL;
	memcpy(r, s, cut);
	memcpy(r + cut, "\xE2\x80\xA6", 4);
	return r;
}

char *graph_rule_text(const json_t *rule)
{
	struct buf b;
	char *r;

	buf_init(&b, RULE_BUILD_MAX * 2 + 64);
	put_rule(&b, rule, 0);
	/* a cap hit mid-character leaves a partial sequence: graph_cut stops
	 * well before the end of what was built */
	r = graph_cut(b.data ? b.data : "", GRAPH_LABEL_MAX);
	buf_free(&b);
	return r;
}
