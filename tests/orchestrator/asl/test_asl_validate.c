/* Tests of the ASL parser/validator (orchestrator/asl*.c): golden
 * definitions (tests/data/asl/valid must compile; each
 * tests/data/asl/invalid/NAME.json must fail with exactly the lines of
 * NAME.expected), the conformance cases (tests/data/conformance) and the
 * benchmark machines (bench/machines), the compiled model, and hostile
 * inputs.
 * Data is found under $TUTTI_TOP (default: the current directory). */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asl.h"
#include "fsutil.h"
#include "intrinsics.h"
#include "jsonpath.h"

static glob_t valid_files, invalid_files, shared_files, jx_run_files, jx_bad_files;

static char *slurp(const char *path, size_t *len)
{
	char *data = NULL;
	size_t n = 0;

	if (fs_read_file(path, 4 * ASL_DEFINITION_MAX, &data, &n))
		return NULL;
	if (len)
		*len = n;
	return data;
}

static char *joined(const struct asl_diag *d)
{
	size_t i, n = 1;
	char *s;

	for (i = 0; i < d->count; i++)
		n += strlen(d->lines[i]) + 1;
	s = calloc(1, n);
	for (i = 0; s && i < d->count; i++) {
		strcat(s, d->lines[i]);
		strcat(s, "\n");
	}
	return s;
}

static struct asl_machine *compile_str(const char *s, struct asl_diag *d)
{
	return asl_compile(s, strlen(s), d);
}

/* ---- golden files ---- */

START_TEST(test_golden_valid)
{
	const char *path = valid_files.gl_pathv[_i];
	struct asl_diag d;
	size_t len;
	char *text = slurp(path, &len), *got;
	struct asl_machine *m;

	ck_assert_msg(text != NULL, "cannot read %s", path);
	asl_diag_init(&d);
	m = asl_compile(text, len, &d);
	got = joined(&d);
	ck_assert_msg(m != NULL, "%s should be valid, got:\n%s", path, got);
	ck_assert_uint_eq(d.count, 0);
	asl_machine_free(m);
	asl_diag_free(&d);
	free(got);
	free(text);
}
END_TEST

START_TEST(test_golden_invalid)
{
	const char *path = invalid_files.gl_pathv[_i];
	char expath[4096], *text, *want, *got;
	struct asl_diag d;
	size_t len;

	snprintf(expath, sizeof expath, "%.*s.expected", (int)(strlen(path) - 5), path);
	text = slurp(path, &len);
	want = slurp(expath, NULL);
	ck_assert_msg(text && want, "cannot read %s or %s", path, expath);
	asl_diag_init(&d);
	ck_assert_ptr_null(asl_compile(text, len, &d));
	ck_assert_uint_ge(d.total, 1);
	got = joined(&d);
	ck_assert_msg(!strcmp(got, want), "%s:\n--- expected\n%s--- got\n%s", path, want, got);
	ck_assert_uint_eq(asl_validate(text, len, NULL), d.total);
	asl_diag_free(&d);
	free(got);
	free(want);
	free(text);
}
END_TEST

START_TEST(test_shared_definitions)
{
	const char *path = shared_files.gl_pathv[_i];
	struct asl_diag d;
	size_t len;
	char *text = slurp(path, &len), *got;

	ck_assert_msg(text != NULL, "cannot read %s", path);
	asl_diag_init(&d);
	ck_assert_uint_eq(asl_validate(text, len, &d), 0);
	got = joined(&d);
	ck_assert_msg(d.count == 0, "%s:\n%s", path, got);
	asl_diag_free(&d);
	free(got);
	free(text);
}
END_TEST

/* ---- JSONata state machines (tests/data/asl/jsonata) ---- */

/* Every run case compiles; every validation case gives exactly the lines
 * of its expected-problems.txt. */
START_TEST(test_jsonata_cases_compile)
{
	const char *path = jx_run_files.gl_pathv[_i];
	char dpath[4096], *text, *got;
	struct asl_diag d;
	struct asl_machine *m;
	size_t len;

	snprintf(dpath, sizeof dpath, "%.*sdefinition.asl.json",
		 (int)(strlen(path) - strlen("expected.json")), path);
	text = slurp(dpath, &len);
	ck_assert_msg(text != NULL, "cannot read %s", dpath);
	asl_diag_init(&d);
	m = asl_compile(text, len, &d);
	got = joined(&d);
	ck_assert_msg(m != NULL, "%s should be valid, got:\n%s", dpath, got);
	asl_machine_free(m);
	asl_diag_free(&d);
	free(got);
	free(text);
}
END_TEST

START_TEST(test_jsonata_cases_invalid)
{
	const char *path = jx_bad_files.gl_pathv[_i];
	char dpath[4096], *text, *want, *got;
	struct asl_diag d;
	size_t len;

	snprintf(dpath, sizeof dpath, "%.*sdefinition.asl.json",
		 (int)(strlen(path) - strlen("expected-problems.txt")), path);
	text = slurp(dpath, &len);
	want = slurp(path, NULL);
	ck_assert_msg(text && want, "cannot read %s or %s", dpath, path);
	asl_diag_init(&d);
	ck_assert_ptr_null(asl_compile(text, len, &d));
	got = joined(&d);
	ck_assert_msg(!strcmp(got, want), "%s:\n--- expected\n%s--- got\n%s", dpath, want, got);
	asl_diag_free(&d);
	free(got);
	free(want);
	free(text);
}
END_TEST

/* The model of a JSONata machine: states flagged, "{% %}" leaves compiled,
 * literals left as literals, rule conditions, Wait/Fail expressions. */
START_TEST(test_model_jsonata)
{
	static const char *def =
		"{\"StartAt\":\"A\",\"States\":{"
		"\"A\":{\"Type\":\"Pass\",\"Parameters\":{\"a\":1},\"Next\":\"B\"},"
		"\"B\":{\"Type\":\"Task\",\"QueryLanguage\":\"JSONata\",\"Resource\":\"echo\","
		"\"Arguments\":{\"lit\":\"x\",\"e\":\"{% 1 + 2 %}\",\"s\":\"{% no\"},"
		"\"TimeoutSeconds\":\"{% 5 %}\",\"Output\":{\"a\":[1,2]},"
		"\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Output\":\"{% $states.errorOutput %}\",\"Next\":\"C\"}],\"Next\":\"C\"},"
		"\"C\":{\"Type\":\"Choice\",\"QueryLanguage\":\"JSONata\",\"Choices\":[{\"Condition\":\"{% true %}\",\"Next\":\"W\"}],\"Default\":\"W\"},"
		"\"W\":{\"Type\":\"Wait\",\"QueryLanguage\":\"JSONata\",\"Seconds\":\"{% 0 %}\",\"Next\":\"F\"},"
		"\"F\":{\"Type\":\"Fail\",\"QueryLanguage\":\"JSONata\",\"Error\":\"{% 'E' %}\",\"Cause\":\"plain\"}}}";
	struct asl_diag d;
	struct asl_machine *m;
	const struct asl_state *a, *b, *c, *w, *f;
	const struct asl_template *args;
	size_t i;

	asl_diag_init(&d);
	m = compile_str(def, &d);
	ck_assert_msg(m != NULL, "%s", d.count ? d.lines[0] : "?");
	a = &m->states[0];
	b = &m->states[1];
	c = &m->states[2];
	w = &m->states[3];
	f = &m->states[4];
	ck_assert(!a->jsonata && a->parameters);
	ck_assert(b->jsonata && c->jsonata && w->jsonata && f->jsonata);
	args = b->arguments;
	ck_assert_ptr_nonnull(args);
	ck_assert_int_eq(args->kind, ASL_T_OBJECT);
	ck_assert_uint_eq(args->n, 3);
	for (i = 0; i < 3; i++) {
		const struct asl_tfield *fl = &args->fields[i];

		if (!strcmp(fl->key, "e")) {
			ck_assert_int_eq(fl->value.kind, ASL_T_JSONATA);
			ck_assert_ptr_nonnull(fl->value.jx);
			ck_assert_str_eq(fl->value.expr.text, "{% 1 + 2 %}");
		} else {
			ck_assert_int_eq(fl->value.kind, ASL_T_LITERAL);   /* "x" and "{% no" */
		}
	}
	ck_assert_int_eq(b->output->kind, ASL_T_LITERAL);
	ck_assert_ptr_nonnull(b->task.timeout_expr);
	ck_assert_uint_eq(b->task.timeout_seconds, 0);
	ck_assert_int_eq(b->catch_[0].output->kind, ASL_T_JSONATA);
	ck_assert_int_eq(c->choice.rules[0].kind, ASL_RULE_CONDITION);
	ck_assert_int_eq(c->choice.rules[0].condition->kind, ASL_T_JSONATA);
	ck_assert_int_eq(w->wait.kind, ASL_WAIT_SECONDS_EXPR);
	ck_assert_ptr_nonnull(f->fail.error_expr);
	ck_assert_ptr_null(f->fail.cause_expr);
	ck_assert_str_eq(f->fail.cause, "plain");
	asl_machine_free(m);
	asl_diag_free(&d);
}
END_TEST

/* Rules, one definition each: the problem line expected. */
START_TEST(test_jsonata_rules)
{
	static const struct { const char *def, *want; } cases[] = {
		{ "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"OutputPath\":\"$\",\"End\":true}}}",
		  "$.States.A.OutputPath: not allowed in a JSONata state: use 'Output' (and 'Assign') with $states.result\n" },
		{ "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Output\":\"{% 1 + %}\",\"End\":true}}}",
		  "$.States.A.Output: JSONata syntax error S0207 at character 3 of the expression (token '(end)'): Unexpected end of expression\n" },
		{ "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"QueryLanguage\":\"JSONPath\",\"End\":true}}}",
		  "$.States.A.QueryLanguage: cannot be \"JSONPath\" inside a state machine whose QueryLanguage is \"JSONata\" (only a JSONPath machine may mix in JSONata states)\n" },
		{ "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Arguments\":{},\"End\":true}}}",
		  "$.States.A.Arguments: not allowed in a Pass state\n" },
		{ "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":\"f\",\"Arguments\":{},\"End\":true}}}",
		  "$.States.A.Arguments: only allowed in a state whose QueryLanguage is \"JSONata\"\n" },
		{ "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Wait\",\"Seconds\":\"{% %}\",\"End\":true}}}",
		  "$.States.A.Seconds: the JSONata expression between '{%' and '%}' is empty\n" },
		{ "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Wait\",\"Seconds\":\"5\",\"End\":true}}}",
		  "$.States.A.Seconds: must be an integer between 0 and 99999999\n" },
		{ "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Assign\":{\"v\":{\"deep\":[\"{% $x( %}\"]}},\"End\":true}}}",
		  "$.States.A.Assign.v.deep[0]: JSONata syntax error S0203 at character 3 of the expression (token '(end)'): Expected \")\" before end of expression\n" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct asl_diag d;
		char *got;

		asl_diag_init(&d);
		ck_assert_ptr_null(compile_str(cases[i].def, &d));
		got = joined(&d);
		ck_assert_msg(!strcmp(got, cases[i].want), "case %zu:\n--- expected\n%s--- got\n%s", i,
			      cases[i].want, got);
		free(got);
		asl_diag_free(&d);
	}
}
END_TEST

/* ---- the model ---- */

START_TEST(test_model_states_and_transitions)
{
	const char *def =
		"{\"StartAt\": \"B\", \"TimeoutSeconds\": 30, \"Comment\": \"c\", \"States\": {"
		" \"A\": {\"Type\": \"Succeed\"},"
		" \"B\": {\"Type\": \"Pass\", \"Result\": null, \"Next\": \"C\"},"
		" \"C\": {\"Type\": \"Choice\", \"Choices\": [{\"Variable\": \"$.x\", \"IsPresent\": true, \"Next\": \"A\"}], \"Default\": \"D\"},"
		" \"D\": {\"Type\": \"Fail\", \"Error\": \"E\", \"CausePath\": \"States.Format('{}', $.c)\"}}}";
	struct asl_machine *m = compile_str(def, NULL);

	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->n_states, 4);
	ck_assert_int_eq(m->start, 1);
	ck_assert_uint_eq(m->timeout_seconds, 30);
	ck_assert_str_eq(m->comment, "c");
	ck_assert_uint_eq(m->depth, 0);
	ck_assert_str_eq(m->states[1].name, "B");
	ck_assert_int_eq(m->states[1].type, ASL_PASS);
	ck_assert_int_eq(m->states[1].next, 2);
	ck_assert(!m->states[1].end);
	ck_assert(json_is_null(m->states[1].pass.result));
	ck_assert_int_eq(m->states[2].type, ASL_CHOICE);
	ck_assert_int_eq(m->states[2].next, ASL_NONE);
	ck_assert_int_eq(m->states[2].choice.default_next, 3);
	ck_assert_int_eq(m->states[2].choice.rules[0].next, 0);
	ck_assert(m->states[0].end);
	ck_assert(m->states[3].end);
	ck_assert_str_eq(m->states[3].fail.error, "E");
	ck_assert_ptr_null(m->states[3].fail.cause);
	ck_assert_ptr_nonnull(m->states[3].fail.cause_path.fn);
	ck_assert_ptr_null(m->states[3].fail.error_path.jp);
	ck_assert_int_eq(asl_find_state(m, "C"), 2);
	ck_assert_int_eq(asl_find_state(m, "Z"), ASL_NONE);
	ck_assert_str_eq(asl_type_name(ASL_MAP), "Map");
	ck_assert_str_eq(asl_cmp_name(ASL_CMP_TIMESTAMP_GREATER_THAN_EQUALS), "TimestampGreaterThanEquals");
	asl_machine_free(m);
	asl_machine_free(NULL);
}
END_TEST

START_TEST(test_model_paths)
{
	const char *def =
		"{\"StartAt\": \"A\", \"States\": {"
		" \"A\": {\"Type\": \"Pass\", \"InputPath\": null, \"OutputPath\": \"$\", \"ResultPath\": \"$.r.s\", \"Next\": \"B\"},"
		" \"B\": {\"Type\": \"Pass\", \"ResultPath\": null, \"End\": true}}}";
	struct asl_machine *m = compile_str(def, NULL);
	const struct asl_state *a, *b;

	ck_assert_ptr_nonnull(m);
	a = &m->states[0];
	b = &m->states[1];
	ck_assert_int_eq(a->input_path.mode, ASL_PATH_NULL);
	ck_assert_int_eq(a->output_path.mode, ASL_PATH_SET);
	ck_assert(a->output_path.is_root);
	ck_assert_int_eq(a->result_path.mode, ASL_PATH_SET);
	ck_assert(!a->result_path.is_root);
	ck_assert_str_eq(a->result_path.text, "$.r.s");
	ck_assert(jsonpath_is_definite(a->result_path.jp));
	ck_assert_int_eq(b->input_path.mode, ASL_PATH_ABSENT);
	ck_assert_int_eq(b->result_path.mode, ASL_PATH_NULL);
	asl_machine_free(m);
}
END_TEST

/* A path text used again is compiled once and shared (also across nested
 * machines); the flags are part of the key, and a bad path is reported at
 * every use. */
START_TEST(test_model_shared_paths)
{
	const char *def =
		"{\"StartAt\": \"A\", \"States\": {"
		" \"A\": {\"Type\": \"Pass\", \"OutputPath\": \"$.x\", \"Parameters\": {\"v.$\": \"$.x\"}, \"Next\": \"B\"},"
		" \"B\": {\"Type\": \"Parallel\", \"ResultPath\": \"$.x\", \"End\": true, \"Branches\": ["
		"  {\"StartAt\": \"C\", \"States\": {\"C\": {\"Type\": \"Pass\", \"InputPath\": \"$.x\", \"End\": true}}}]}}}";
	const char *bad =
		"{\"StartAt\": \"A\", \"States\": {"
		" \"A\": {\"Type\": \"Pass\", \"OutputPath\": \"$.a[*]\", \"ResultPath\": \"$.a[*]\", \"Next\": \"B\"},"
		" \"B\": {\"Type\": \"Pass\", \"InputPath\": \"$.(\", \"OutputPath\": \"$.(\", \"End\": true}}}";
	struct asl_machine *m = compile_str(def, NULL);
	const struct asl_state *a, *b, *c;
	struct asl_diag d;

	ck_assert_ptr_nonnull(m);
	a = &m->states[0];
	b = &m->states[1];
	c = &b->parallel.branches[0]->states[0];
	ck_assert_ptr_nonnull(a->output_path.jp);
	ck_assert_ptr_eq(a->output_path.jp, a->parameters->fields[0].value.expr.jp);
	ck_assert_ptr_eq(a->output_path.jp, c->input_path.jp);
	/* a ResultPath is compiled as a reference path: its own handle */
	ck_assert_ptr_nonnull(b->result_path.jp);
	ck_assert_ptr_ne(a->output_path.jp, b->result_path.jp);
	ck_assert_str_eq(b->result_path.text, "$.x");
	asl_machine_free(m);

	asl_diag_init(&d);
	ck_assert_ptr_null(compile_str(bad, &d));
	ck_assert_uint_eq(d.total, 3);
	ck_assert_ptr_nonnull(strstr(d.lines[0], "$.States.A.ResultPath: "));
	ck_assert_ptr_nonnull(strstr(d.lines[1], "$.States.B.InputPath: "));
	ck_assert_ptr_nonnull(strstr(d.lines[2], "$.States.B.OutputPath: "));
	asl_diag_free(&d);
}
END_TEST

START_TEST(test_model_templates)
{
	const char *def =
		"{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true,"
		" \"Parameters\": {\"lit\": {\"a\": [1, 2]}, \"p.$\": \"$.x\", \"f.$\": \"States.Array($.x)\","
		"   \"arr\": [{\"q.$\": \"$$.Execution.Id\"}, 3]},"
		" \"Assign\": {\"v\": 1, \"w\": 2}}}}";
	struct asl_machine *m = compile_str(def, NULL);
	const struct asl_template *t, *arr;

	ck_assert_ptr_nonnull(m);
	t = m->states[0].parameters;
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(t->kind, ASL_T_OBJECT);
	ck_assert_uint_eq(t->n, 4);
	ck_assert_str_eq(t->fields[0].key, "lit");
	ck_assert_int_eq(t->fields[0].value.kind, ASL_T_LITERAL);
	ck_assert(json_is_object(t->fields[0].value.literal));
	ck_assert_str_eq(t->fields[1].key, "p");
	ck_assert_int_eq(t->fields[1].value.kind, ASL_T_EXPR);
	ck_assert_ptr_nonnull(t->fields[1].value.expr.jp);
	ck_assert_ptr_null(t->fields[1].value.expr.fn);
	ck_assert_str_eq(t->fields[2].key, "f");
	ck_assert_ptr_nonnull(t->fields[2].value.expr.fn);
	ck_assert_str_eq(intrinsic_name(t->fields[2].value.expr.fn), "States.Array");
	arr = &t->fields[3].value;
	ck_assert_int_eq(arr->kind, ASL_T_ARRAY);
	ck_assert_uint_eq(arr->n, 2);
	ck_assert_int_eq(arr->items[0].kind, ASL_T_OBJECT);
	ck_assert_str_eq(arr->items[0].fields[0].key, "q");
	ck_assert_int_eq(jsonpath_root(arr->items[0].fields[0].value.expr.jp), JSONPATH_ROOT_CONTEXT);
	ck_assert_int_eq(arr->items[1].kind, ASL_T_LITERAL);
	/* a template without any "key.$" is one literal */
	ck_assert_int_eq(m->states[0].assign->kind, ASL_T_LITERAL);
	ck_assert_uint_eq(json_object_size(m->states[0].assign->literal), 2);
	asl_machine_free(m);
}
END_TEST

START_TEST(test_model_choice_rules)
{
	const char *def =
		"{\"StartAt\": \"C\", \"States\": {\"C\": {\"Type\": \"Choice\", \"Choices\": ["
		" {\"And\": [{\"Variable\": \"$.n\", \"NumericGreaterThanEquals\": 2.5},"
		"            {\"Not\": {\"Variable\": \"$.s\", \"StringMatches\": \"a\\\\*b*\"}}],"
		"  \"Next\": \"D\", \"Assign\": {\"hit.$\": \"$.n\"}},"
		" {\"Variable\": \"$.t\", \"TimestampLessThan\": \"2016-03-14T01:59:00+01:00\", \"Next\": \"D\"},"
		" {\"Variable\": \"$var\", \"BooleanEqualsPath\": \"$.b\", \"Next\": \"D\"}]},"
		" \"D\": {\"Type\": \"Succeed\"}}}";
	struct asl_machine *m = compile_str(def, NULL);
	const struct asl_rule *r, *a0, *nt;
	struct asl_time want;

	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->states[0].choice.n_rules, 3);
	r = &m->states[0].choice.rules[0];
	ck_assert_int_eq(r->kind, ASL_RULE_AND);
	ck_assert_int_eq(r->next, 1);
	ck_assert_ptr_nonnull(r->assign);
	ck_assert_uint_eq(r->n, 2);
	a0 = &r->subs[0];
	ck_assert_int_eq(a0->kind, ASL_RULE_CMP);
	ck_assert_int_eq(a0->cmp, ASL_CMP_NUMERIC_GREATER_THAN_EQUALS);
	ck_assert_int_eq(a0->operand, ASL_OPD_NUMBER);
	ck_assert(!a0->by_path);
	ck_assert(a0->num == 2.5);
	ck_assert_str_eq(a0->variable_text, "$.n");
	ck_assert_int_eq(a0->next, ASL_NONE);
	nt = &r->subs[1];
	ck_assert_int_eq(nt->kind, ASL_RULE_NOT);
	ck_assert_int_eq(nt->subs[0].cmp, ASL_CMP_STRING_MATCHES);
	ck_assert(asl_pattern_match(&nt->subs[0].pattern, "a*bcd", 5));
	ck_assert(!asl_pattern_match(&nt->subs[0].pattern, "axbcd", 5));
	r = &m->states[0].choice.rules[1];
	ck_assert_int_eq(r->operand, ASL_OPD_TIMESTAMP);
	ck_assert(asl_time_parse("2016-03-14T00:59:00Z", &want));
	ck_assert_int_eq(asl_time_cmp(&r->ts, &want), 0);
	r = &m->states[0].choice.rules[2];
	ck_assert_int_eq(r->cmp, ASL_CMP_BOOLEAN_EQUALS);
	ck_assert(r->by_path);
	ck_assert_ptr_nonnull(r->value_path);
	ck_assert_int_eq(jsonpath_root(r->variable), JSONPATH_ROOT_VAR);
	asl_machine_free(m);
}
END_TEST

START_TEST(test_model_retry_catch)
{
	const char *def =
		"{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": \"echo\","
		" \"Retry\": [{\"ErrorEquals\": [\"A\", \"B\"]},"
		"  {\"ErrorEquals\": [\"States.ALL\"], \"IntervalSeconds\": 5, \"MaxAttempts\": 0,"
		"   \"BackoffRate\": 1.5, \"MaxDelaySeconds\": 60, \"JitterStrategy\": \"FULL\"}],"
		" \"Catch\": [{\"ErrorEquals\": [\"States.TaskFailed\"], \"Next\": \"F\", \"ResultPath\": \"$.e\"},"
		"  {\"ErrorEquals\": [\"States.ALL\"], \"Next\": \"F\", \"ResultPath\": null}],"
		" \"End\": true}, \"F\": {\"Type\": \"Fail\"}}}";
	struct asl_machine *m = compile_str(def, NULL);
	const struct asl_state *t;

	ck_assert_ptr_nonnull(m);
	t = &m->states[0];
	ck_assert_uint_eq(t->n_retry, 2);
	ck_assert_uint_eq(t->retry[0].interval_seconds, 1);
	ck_assert_uint_eq(t->retry[0].max_attempts, 3);
	ck_assert(t->retry[0].backoff_rate == 2.0);
	ck_assert_uint_eq(t->retry[0].max_delay_seconds, 0);
	ck_assert(!t->retry[0].jitter_full);
	ck_assert_uint_eq(t->retry[0].errors.n, 2);
	ck_assert_str_eq(t->retry[0].errors.names[1], "B");
	ck_assert(!t->retry[0].errors.all);
	ck_assert(t->retry[1].errors.all);
	ck_assert_uint_eq(t->retry[1].interval_seconds, 5);
	ck_assert_uint_eq(t->retry[1].max_attempts, 0);
	ck_assert(t->retry[1].backoff_rate == 1.5);
	ck_assert_uint_eq(t->retry[1].max_delay_seconds, 60);
	ck_assert(t->retry[1].jitter_full);
	ck_assert_uint_eq(t->n_catch, 2);
	ck_assert_int_eq(t->catch_[0].next, 1);
	ck_assert_int_eq(t->catch_[0].result_path.mode, ASL_PATH_SET);
	ck_assert_int_eq(t->catch_[1].result_path.mode, ASL_PATH_NULL);
	/* matching */
	ck_assert(asl_errors_match(&t->retry[0].errors, "B"));
	ck_assert(!asl_errors_match(&t->retry[0].errors, "C"));
	ck_assert(asl_errors_match(&t->retry[1].errors, "Anything"));
	ck_assert(!asl_errors_match(&t->retry[1].errors, "States.Runtime"));
	ck_assert(!asl_errors_match(&t->retry[1].errors, "States.DataLimitExceeded"));
	ck_assert(asl_errors_match(&t->catch_[0].errors, "CustomError"));
	ck_assert(asl_errors_match(&t->catch_[0].errors, "States.TaskFailed"));
	ck_assert(!asl_errors_match(&t->catch_[0].errors, "States.Timeout"));
	asl_machine_free(m);
}
END_TEST

START_TEST(test_model_task_resources)
{
	const char *def =
		"{\"StartAt\": \"A\", \"States\": {"
		" \"A\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:lambda:us-east-1:123456789012:function:echo:prod\", \"Next\": \"B\","
		"        \"TimeoutSeconds\": 9, \"HeartbeatSecondsPath\": \"$.h\"},"
		" \"B\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\", \"Next\": \"C\"},"
		" \"C\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::s3:putObject.sync\", \"Next\": \"D\"},"
		" \"D\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::sqs:sendMessage.waitForTaskToken\", \"Next\": \"E\"},"
		" \"E\": {\"Type\": \"Task\", \"Resource\": \"fetch\", \"Next\": \"F\"},"
		" \"F\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:eu-west-1:123456789012:activity:work\", \"End\": true}}}";
	struct asl_machine *m = compile_str(def, NULL);
	const struct asl_task *t;

	ck_assert_ptr_nonnull(m);
	t = &m->states[0].task;
	ck_assert_int_eq(t->kind, ASL_RES_FUNCTION);
	ck_assert_str_eq(t->function, "echo");
	ck_assert_str_eq(t->qualifier, "prod");
	ck_assert_uint_eq(t->timeout_seconds, 9);
	ck_assert_uint_eq(t->heartbeat_seconds, 0);
	ck_assert_int_eq(t->heartbeat_path.mode, ASL_PATH_SET);
	t = &m->states[1].task;
	ck_assert_int_eq(t->kind, ASL_RES_SERVICE);
	ck_assert_str_eq(t->service, "lambda");
	ck_assert_str_eq(t->action, "invoke");
	ck_assert_int_eq(t->pattern, ASL_INVOKE_RESPONSE);
	t = &m->states[2].task;
	ck_assert_str_eq(t->service, "s3");
	ck_assert_str_eq(t->action, "putObject");
	ck_assert_int_eq(t->pattern, ASL_INVOKE_SYNC);
	ck_assert_int_eq(m->states[3].task.pattern, ASL_INVOKE_TOKEN);
	t = &m->states[4].task;
	ck_assert_int_eq(t->kind, ASL_RES_FUNCTION);
	ck_assert_str_eq(t->function, "fetch");
	ck_assert_ptr_null(t->qualifier);
	ck_assert_int_eq(m->states[5].task.kind, ASL_RES_ACTIVITY);
	ck_assert_str_eq(m->states[5].task.resource, "arn:aws:states:eu-west-1:123456789012:activity:work");
	asl_machine_free(m);
}
END_TEST

/* Every Resource form names the same integration: the canonical spelling
 * (partition aws, no region or account) is what integrations match on. */
START_TEST(test_model_resource_arn_forms)
{
	static const struct {
		const char *res, *service, *action, *canonical;
		int pattern;
	} cases[] = {
		{ "arn:aws:states:us-east-1:123456789012:aws-sdk:s3:getObject", "s3", "getObject",
		  "arn:aws:states:::aws-sdk:s3:getObject", ASL_INVOKE_RESPONSE },
		{ "arn:aws:states:::aws-sdk:s3:getObject", "s3", "getObject",
		  "arn:aws:states:::aws-sdk:s3:getObject", ASL_INVOKE_RESPONSE },
		{ "arn:aws-us-gov:states:::lambda:invoke", "lambda", "invoke",
		  "arn:aws:states:::lambda:invoke", ASL_INVOKE_RESPONSE },
		{ "arn:aws-cn:states:cn-north-1:123456789012:lambda:invoke.waitForTaskToken", "lambda", "invoke",
		  "arn:aws:states:::lambda:invoke.waitForTaskToken", ASL_INVOKE_TOKEN },
		{ "arn:aws:states:eu-west-1:123456789012:states:startExecution.sync:2", "states", "startExecution",
		  "arn:aws:states:::states:startExecution.sync:2", ASL_INVOKE_SYNC },
		{ "arn:aws:states:us-east-1:123456789012:http:invoke", "http", "invoke",
		  "arn:aws:states:::http:invoke", ASL_INVOKE_RESPONSE },
	};
	char def[1024];

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct asl_machine *m;
		const struct asl_task *t;

		snprintf(def, sizeof def,
			 "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"%s\", \"End\": true}}}",
			 cases[i].res);
		m = compile_str(def, NULL);
		ck_assert_msg(m != NULL, "%s does not compile", cases[i].res);
		t = &m->states[0].task;
		ck_assert_int_eq(t->kind, ASL_RES_SERVICE);
		ck_assert_str_eq(t->service, cases[i].service);
		ck_assert_str_eq(t->action, cases[i].action);
		ck_assert_str_eq(t->canonical, cases[i].canonical);
		ck_assert_str_eq(t->resource, cases[i].res);
		ck_assert_int_eq(t->pattern, cases[i].pattern);
		asl_machine_free(m);
	}
	/* a function ARN with an alias, in another partition */
	snprintf(def, sizeof def, "%s",
		 "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": "
		 "\"arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:NAME:alias\", \"End\": true}}}");
	{
		struct asl_machine *m = compile_str(def, NULL);

		ck_assert_ptr_nonnull(m);
		ck_assert_int_eq(m->states[0].task.kind, ASL_RES_FUNCTION);
		ck_assert_str_eq(m->states[0].task.function, "NAME");
		ck_assert_str_eq(m->states[0].task.qualifier, "alias");
		asl_machine_free(m);
	}
}
END_TEST

START_TEST(test_model_nested_machines)
{
	const char *def =
		"{\"StartAt\": \"P\", \"States\": {"
		" \"P\": {\"Type\": \"Parallel\", \"Next\": \"M\", \"Parameters\": {\"x.$\": \"$\"}, \"Branches\": ["
		"   {\"StartAt\": \"P1\", \"States\": {\"P1\": {\"Type\": \"Pass\", \"End\": true}}},"
		"   {\"StartAt\": \"P2\", \"States\": {\"P2\": {\"Type\": \"Wait\", \"Timestamp\": \"1970-01-01T00:01:00Z\", \"End\": true}}}]},"
		" \"M\": {\"Type\": \"Map\", \"ItemsPath\": \"$.items\", \"Parameters\": {\"v.$\": \"$$.Map.Item.Value\"},"
		"   \"MaxConcurrency\": 3, \"ToleratedFailurePercentage\": 12.5,"
		"   \"Iterator\": {\"StartAt\": \"I\", \"States\": {\"I\": {\"Type\": \"Wait\", \"SecondsPath\": \"$.s\", \"End\": true}}},"
		"   \"End\": true}}}";
	struct asl_machine *m = compile_str(def, NULL);
	const struct asl_state *p, *mp;
	const struct asl_machine *b;

	ck_assert_ptr_nonnull(m);
	p = &m->states[0];
	ck_assert_uint_eq(p->parallel.n_branches, 2);
	ck_assert_ptr_nonnull(p->parameters);
	b = p->parallel.branches[1];
	ck_assert_uint_eq(b->depth, 1);
	ck_assert_int_eq(b->start, 0);
	ck_assert_int_eq(b->states[0].wait.kind, ASL_WAIT_TIMESTAMP);
	ck_assert_int_eq(b->states[0].wait.timestamp.sec, 60);
	mp = &m->states[1];
	ck_assert_ptr_null(mp->parameters);
	ck_assert_ptr_nonnull(mp->map.item_selector);
	ck_assert_str_eq(mp->map.items_path.text, "$.items");
	ck_assert_uint_eq(mp->map.max_concurrency, 3);
	ck_assert(mp->map.has_tolerated_pct);
	ck_assert(mp->map.tolerated_pct == 12.5);
	ck_assert(!mp->map.has_tolerated_count);
	ck_assert(!mp->map.distributed);
	ck_assert_int_eq(mp->map.processor->states[0].wait.kind, ASL_WAIT_SECONDS_PATH);
	ck_assert_int_eq(asl_find_state(mp->map.processor, "I"), 0);
	ck_assert_int_eq(asl_find_state(m, "I"), ASL_NONE);
	asl_machine_free(m);
}
END_TEST

/* ---- helpers ---- */

START_TEST(test_time_parse)
{
	struct asl_time a, b;

	ck_assert(asl_time_parse("1970-01-01T00:00:00Z", &a));
	ck_assert_int_eq(a.sec, 0);
	ck_assert(asl_time_parse("2016-03-14T01:59:00Z", &a));
	ck_assert_int_eq(a.sec, 1457920740);
	ck_assert(asl_time_parse("2016-03-14T02:59:00.5+01:00", &b));
	ck_assert_int_eq(b.sec, 1457920740);
	ck_assert_int_eq(b.nsec, 500000000);
	ck_assert_int_gt(asl_time_cmp(&b, &a), 0);
	ck_assert(asl_time_parse("2000-02-29T00:00:00.123456789123Z", &a));
	ck_assert_int_eq(a.nsec, 123456789);
	ck_assert(asl_time_parse("1969-12-31T23:59:59-00:30", &a));
	ck_assert_int_eq(a.sec, 1799);
	ck_assert(!asl_time_parse("1900-02-29T00:00:00Z", NULL));
	ck_assert(!asl_time_parse("2016-03-14T01:59:00", NULL));
	ck_assert(!asl_time_parse("2016-03-14t01:59:00Z", NULL));
	ck_assert(!asl_time_parse("2016-03-14T01:59:00z", NULL));
	ck_assert(!asl_time_parse("2016-03-14T01:59:00.Z", NULL));
	ck_assert(!asl_time_parse("2016-03-14T24:00:00Z", NULL));
	ck_assert(!asl_time_parse("2016-3-14T01:59:00Z", NULL));
	ck_assert(!asl_time_parse("2016-03-14T01:59:00Z ", NULL));
	ck_assert(!asl_time_parse("2016-03-14T01:59:00+0100", NULL));
	ck_assert(!asl_time_parse("", NULL));
	ck_assert(!asl_time_parse(NULL, NULL));
}
END_TEST

static bool match(const char *pat, const char *s)
{
	const char *def_fmt =
		"{\"StartAt\": \"C\", \"States\": {\"C\": {\"Type\": \"Choice\", \"Choices\": ["
		"{\"Variable\": \"$\", \"StringMatches\": %s, \"Next\": \"D\"}]}, \"D\": {\"Type\": \"Succeed\"}}}";
	char def[1024];
	json_t *js = json_string(pat);
	char *q = json_dumps(js, JSON_ENCODE_ANY);
	struct asl_machine *m;
	bool r;

	snprintf(def, sizeof def, def_fmt, q);
	m = compile_str(def, NULL);
	ck_assert_msg(m != NULL, "pattern %s", pat);
	r = asl_pattern_match(&m->states[0].choice.rules[0].pattern, s, strlen(s));
	asl_machine_free(m);
	free(q);
	json_decref(js);
	return r;
}

START_TEST(test_pattern_match)
{
	ck_assert(match("log-*.txt", "log-2020.txt"));
	ck_assert(match("log-*.txt", "log-.txt"));
	ck_assert(!match("log-*.txt", "log-2020.txtx"));
	ck_assert(match("*", ""));
	ck_assert(match("**", "abc"));
	ck_assert(match("", ""));
	ck_assert(!match("", "a"));
	ck_assert(match("a*b*c", "aXbYbZc"));
	ck_assert(!match("a*b*c", "aXcYb"));
	ck_assert(match("*ab", "aab"));
	ck_assert(!match("ab*ba", "aba"));
	ck_assert(match("a\\*b", "a*b"));
	ck_assert(!match("a\\*b", "aXb"));
	ck_assert(match("a\\\\*", "a\\xyz"));
	ck_assert(match("*.\\**", "x.*y"));
	ck_assert(match("exact", "exact"));
	ck_assert(!match("exact", "exac"));
}
END_TEST

/* ---- diagnostics and hostile input ---- */

START_TEST(test_diag_cap_and_order)
{
	json_t *states = json_object(), *doc;
	struct asl_diag d;
	char name[16], *text;
	int i;

	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "S%03d", i);
		json_object_set_new(states, name, json_pack("{s:s, s:s}", "Type", "Pass", "Next", "Nope"));
	}
	doc = json_pack("{s:s, s:o}", "StartAt", "S000", "States", states);
	text = json_dumps(doc, 0);
	asl_diag_init(&d);
	ck_assert_ptr_null(compile_str(text, &d));
	ck_assert_uint_eq(d.total, 300);
	ck_assert_uint_eq(d.count, ASL_DIAG_MAX);
	ck_assert_str_eq(d.lines[0], "$.States.S000.Next: no state named 'Nope'");
	ck_assert_str_eq(d.lines[99], "$.States.S099.Next: no state named 'Nope'");
	asl_diag_free(&d);
	asl_diag_free(NULL);
	free(text);
	json_decref(doc);
}
END_TEST

START_TEST(test_size_cap)
{
	size_t n = ASL_DEFINITION_MAX + 1;
	char *text = malloc(n);
	struct asl_diag d;

	memset(text, ' ', n);
	asl_diag_init(&d);
	ck_assert_ptr_null(asl_compile(text, n, &d));
	ck_assert_uint_eq(d.count, 1);
	ck_assert_str_eq(d.lines[0], "$: definition is larger than 1048576 bytes");
	asl_diag_free(&d);
	ck_assert_ptr_null(asl_compile(NULL, 0, &d));
	ck_assert_str_eq(d.lines[0], "$: no definition");
	asl_diag_free(&d);
	free(text);
}
END_TEST

START_TEST(test_big_definition)
{
	json_t *states = json_object(), *doc;
	char name[16], next[16], *text;
	struct asl_machine *m;
	clock_t t0;
	int i, n = 0;

	/* a chain of Pass states just under 1 MiB */
	for (i = 0; ; i++) {
		snprintf(name, sizeof name, "S%06d", i);
		snprintf(next, sizeof next, "S%06d", i + 1);
		json_object_set_new(states, name, json_pack("{s:s, s:{s:i, s:s}, s:s}", "Type", "Pass",
							     "Parameters", "i", i, "x.$", "$.x", "Next", next));
		n += 90;
		if (n > ASL_DEFINITION_MAX - 200)
			break;
	}
	snprintf(name, sizeof name, "S%06d", i + 1);
	json_object_set_new(states, name, json_pack("{s:s}", "Type", "Succeed"));
	doc = json_pack("{s:s, s:o}", "StartAt", "S000000", "States", states);
	text = json_dumps(doc, JSON_COMPACT);
	ck_assert_uint_le(strlen(text), ASL_DEFINITION_MAX);
	t0 = clock();
	m = compile_str(text, NULL);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->n_states, (size_t)i + 2);
	ck_assert_int_eq(m->states[i].next, i + 1);
	ck_assert_msg(clock() - t0 < 5 * CLOCKS_PER_SEC, "compiling 1 MiB took too long");
	asl_machine_free(m);
	free(text);
	json_decref(doc);
}
END_TEST

static char *nested_parallel(int levels)
{
	json_t *m = json_pack("{s:s, s:{s:{s:s, s:b}}}", "StartAt", "L", "States", "L", "Type", "Pass", "End", 1);
	char name[16], *text;
	int k;

	for (k = 1; k <= levels; k++) {
		snprintf(name, sizeof name, "P%d", k);
		m = json_pack("{s:s, s:{s:{s:s, s:[o], s:b}}}", "StartAt", name, "States", name,
			      "Type", "Parallel", "Branches", m, "End", 1);
	}
	text = json_dumps(m, JSON_COMPACT);
	json_decref(m);
	return text;
}

START_TEST(test_nesting_limit)
{
	char *ok = nested_parallel(ASL_NESTING_MAX - 1), *deep = nested_parallel(ASL_NESTING_MAX);
	char *deeper = nested_parallel(300);
	struct asl_machine *m = compile_str(ok, NULL);
	struct asl_diag d;

	ck_assert_ptr_nonnull(m);
	asl_machine_free(m);
	asl_diag_init(&d);
	ck_assert_ptr_null(compile_str(deep, &d));
	ck_assert_uint_eq(d.count, 1);
	ck_assert_ptr_nonnull(strstr(d.lines[0], ": state machines nested deeper than 64 levels"));
	asl_diag_free(&d);
	ck_assert_uint_eq(asl_validate(deeper, strlen(deeper), NULL), 1);
	free(ok);
	free(deep);
	free(deeper);
}
END_TEST

START_TEST(test_garbage_bytes)
{
	static const char nul[] = "{\"StartAt\": \"A\", \"States\": {\"A\0\": {}}}";
	static const char bad_utf8[] = "{\"StartAt\": \"\xff\xfe\", \"States\": {}}";
	struct asl_diag d;

	asl_diag_init(&d);
	ck_assert_ptr_null(asl_compile(nul, sizeof nul - 1, &d));
	ck_assert_uint_eq(d.count, 1);
	ck_assert_ptr_nonnull(strstr(d.lines[0], "$: invalid JSON:"));
	asl_diag_free(&d);
	ck_assert_ptr_null(asl_compile(bad_utf8, sizeof bad_utf8 - 1, &d));
	ck_assert_ptr_nonnull(strstr(d.lines[0], "$: invalid JSON:"));
	asl_diag_free(&d);
	ck_assert_ptr_null(compile_str("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"x\\ny\"}}}", &d));
	ck_assert_str_eq(d.lines[0], "$.States.A.Next: no state named 'x\\u000ay'");
	asl_diag_free(&d);
}
END_TEST

/* Every prefix and a few thousand byte flips of a rich definition: no crash,
 * no leak (under ASan), a verdict each time. */
START_TEST(test_mutations)
{
	const char *path = "tests/data/asl/valid/all-state-types.json";
	char full[4096], *text, *copy;
	const char *top = getenv("TUTTI_TOP");
	size_t len, i;
	unsigned seed = 12345;

	snprintf(full, sizeof full, "%s/%s", top ? top : ".", path);
	text = slurp(full, &len);
	ck_assert_ptr_nonnull(text);
	copy = malloc(len);
	for (i = 0; i <= len; i += 3)
		asl_machine_free(asl_compile(text, i, NULL));
	for (i = 0; i < 3000; i++) {
		memcpy(copy, text, len);
		seed = seed * 1103515245 + 12345;
		copy[(seed >> 8) % len] = (char)(seed >> 16);
		seed = seed * 1103515245 + 12345;
		copy[(seed >> 8) % len] = "{}[]\":,$.*\\ aT0"[(seed >> 20) % 15];
		asl_machine_free(asl_compile(copy, len, NULL));
	}
	free(copy);
	free(text);
}
END_TEST

static void find_files(glob_t *g, const char *pattern, int flags)
{
	const char *top = getenv("TUTTI_TOP");
	char full[4096];

	snprintf(full, sizeof full, "%s/%s", top ? top : ".", pattern);
	glob(full, flags, NULL, g);
}

int main(void)
{
	Suite *s = suite_create("asl_validate");
	TCase *tc = tcase_create("golden"), *tm = tcase_create("model"), *th = tcase_create("hostile");
	SRunner *sr;
	int failed;
	bool no_data;

	find_files(&valid_files, "tests/data/asl/valid/*.json", 0);
	find_files(&invalid_files, "tests/data/asl/invalid/*.json", 0);
	find_files(&shared_files, "tests/data/conformance/*/definition.asl.json", 0);
	find_files(&shared_files, "bench/machines/*.asl.json", GLOB_APPEND);
	find_files(&jx_run_files, "tests/data/asl/jsonata/*/expected.json", 0);
	find_files(&jx_bad_files, "tests/data/asl/jsonata/*/expected-problems.txt", 0);
	tcase_add_loop_test(tc, test_jsonata_cases_compile, 0, (int)jx_run_files.gl_pathc);
	tcase_add_loop_test(tc, test_jsonata_cases_invalid, 0, (int)jx_bad_files.gl_pathc);
	tcase_add_test(tc, test_jsonata_rules);
	tcase_add_loop_test(tc, test_golden_valid, 0, (int)valid_files.gl_pathc);
	tcase_add_loop_test(tc, test_golden_invalid, 0, (int)invalid_files.gl_pathc);
	tcase_add_loop_test(tc, test_shared_definitions, 0, (int)shared_files.gl_pathc);
	suite_add_tcase(s, tc);
	tcase_add_test(tm, test_model_states_and_transitions);
	tcase_add_test(tm, test_model_paths);
	tcase_add_test(tm, test_model_shared_paths);
	tcase_add_test(tm, test_model_templates);
	tcase_add_test(tm, test_model_choice_rules);
	tcase_add_test(tm, test_model_retry_catch);
	tcase_add_test(tm, test_model_task_resources);
	tcase_add_test(tm, test_model_resource_arn_forms);
	tcase_add_test(tm, test_model_nested_machines);
	tcase_add_test(tm, test_model_jsonata);
	tcase_add_test(tm, test_time_parse);
	tcase_add_test(tm, test_pattern_match);
	suite_add_tcase(s, tm);
	tcase_set_timeout(th, 60);
	tcase_add_test(th, test_diag_cap_and_order);
	tcase_add_test(th, test_size_cap);
	tcase_add_test(th, test_big_definition);
	tcase_add_test(th, test_nesting_limit);
	tcase_add_test(th, test_garbage_bytes);
	tcase_add_test(th, test_mutations);
	suite_add_tcase(s, th);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	no_data = valid_files.gl_pathc == 0 || invalid_files.gl_pathc == 0 ||
		  jx_run_files.gl_pathc == 0 || jx_bad_files.gl_pathc == 0;
	if (no_data)
		fprintf(stderr, "no golden files found: run from the top of the tree or set TUTTI_TOP\n");
	globfree(&valid_files);
	globfree(&invalid_files);
	globfree(&shared_files);
	globfree(&jx_run_files);
	globfree(&jx_bad_files);
	return failed || no_data ? EXIT_FAILURE : EXIT_SUCCESS;
}
