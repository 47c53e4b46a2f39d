/* Intrinsic functions: golden cases from the JSON files in
 * tests/data/intrinsics plus API tests.
 *
 * A golden case is an object:
 *   {"expr": E, "input": I, "context"?: C, "vars"?: V, "expected": X}
 *                                   evaluates to X (exact JSON types)
 *   {..., "expected_length": N}     evaluates to an array of N elements
 *   {..., "between": [LO, HI]}      evaluates to an integer in [LO, HI]
 *   {..., "match": "uuid"}          evaluates to a lowercase v4 UUID
 *   {..., "error": "States.IntrinsicFailure"}   evaluation fails so
 *   {..., "compile_error": true}    intrinsic_compile fails (States.Runtime)
 * TUTTI_TESTDATA overrides the data folder (default tests/data). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intrinsics.h"

#include "golden.h"

static json_t *cases;

static bool is_uuid4(const char *s)
{
	int i;

	if (!s || strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!strchr("0123456789abcdef", s[i])) {
			return false;
		}
	}
	return s[14] == '4' && strchr("89ab", s[19]);
}

START_TEST(test_golden)
{
	json_t *c = json_array_get(cases, (size_t)_i), *got = NULL;
	const char *where = json_string_value(json_object_get(c, "_where"));
	const char *text = json_string_value(json_object_get(c, "expr"));
	json_t *expected = json_object_get(c, "expected");
	json_t *between = json_object_get(c, "between");
	json_t *length = json_object_get(c, "expected_length");
	const char *match = json_string_value(json_object_get(c, "match"));
	const char *want_err = json_string_value(json_object_get(c, "error"));
	struct jsonpath_roots roots = {
		.input = json_object_get(c, "input"),
		.context = json_object_get(c, "context"),
		.vars = json_object_get(c, "vars"),
	};
	struct err e = { 0 };
	struct intrinsic *f;
	char *g;
	int rc;

	ck_assert_msg(text, "%s: no expr", where);
	f = intrinsic_compile(text, &e);
	if (json_is_true(json_object_get(c, "compile_error"))) {
		ck_assert_msg(!f, "%s: '%s' compiled but should not", where, text);
		ck_assert_str_eq(e.type, "States.Runtime");
		ck_assert_msg(e.msg[0], "%s: empty message", where);
		return;
	}
	ck_assert_msg(f, "%s: '%s' did not compile: %s", where, text, e.msg);
	ck_assert(intrinsic_looks_like(text));
	rc = intrinsic_eval(f, &roots, &got, &e);
	g = golden_show(got);
	if (want_err) {
		ck_assert_msg(rc == -1, "%s: '%s' gave %s, want %s", where, text, g, want_err);
		ck_assert_msg(!got, "%s: output set on error", where);
		ck_assert_str_eq(e.type, want_err);
		ck_assert_msg(e.msg[0], "%s: empty message", where);
	} else {
		ck_assert_msg(rc == 0, "%s: '%s' failed: %s: %s", where, text, e.type, e.msg);
		if (expected) {
			char *x = golden_show(expected);

			ck_assert_msg(json_equal(got, expected), "%s: '%s' gave %s, want %s",
				      where, text, g, x);
			free(x);
		} else if (length) {
			ck_assert_msg(json_array_size(got) == (size_t)json_integer_value(length),
				      "%s: length %zu", where, json_array_size(got));
		} else if (between) {
			json_int_t v = json_integer_value(got);

			ck_assert_msg(json_is_integer(got) &&
				      v >= json_integer_value(json_array_get(between, 0)) &&
				      v <= json_integer_value(json_array_get(between, 1)),
				      "%s: %s out of range", where, g);
		} else if (match) {
			ck_assert_msg(is_uuid4(json_string_value(got)), "%s: %s is not a UUID",
				      where, g);
		} else {
			ck_abort_msg("%s: case has no expectation", where);
		}
	}
	free(g);
	json_decref(got);
	intrinsic_free(f);
}
END_TEST

START_TEST(test_api)
{
	struct err e = { 0 };
	struct intrinsic *f = intrinsic_compile("States.MathAdd(1, States.ArrayLength($.a))", &e);

	ck_assert(intrinsic_looks_like("States.Array()"));
	ck_assert(intrinsic_looks_like("States.Nope(")); /* a compile error later */
	ck_assert(!intrinsic_looks_like("$.States.Array()"));
	ck_assert(!intrinsic_looks_like("States.Array"));
	ck_assert(!intrinsic_looks_like(NULL));
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(intrinsic_name(f), "States.MathAdd");
	intrinsic_free(f);
	intrinsic_free(NULL);
	ck_assert_ptr_null(intrinsic_compile(NULL, &e));
}
END_TEST

START_TEST(test_uuid_unique)
{
	struct err e = { 0 };
	struct intrinsic *f = intrinsic_compile("States.UUID()", &e);
	struct jsonpath_roots roots = { 0 };
	json_t *seen = json_object(), *out;
	int i;

	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(intrinsic_eval(f, &roots, &out, &e), 0);
		ck_assert(is_uuid4(json_string_value(out)));
		ck_assert_ptr_null(json_object_get(seen, json_string_value(out)));
		json_object_set_new(seen, json_string_value(out), json_true());
		json_decref(out);
	}
	json_decref(seen);
	intrinsic_free(f);
}
END_TEST

/* Unseeded MathRandom covers [start, end) and never leaves it. */
START_TEST(test_random_range)
{
	struct err e = { 0 };
	struct intrinsic *f = intrinsic_compile("States.MathRandom(-2, 3)", &e);
	struct jsonpath_roots roots = { 0 };
	int hits[5] = { 0 }, i;
	json_t *out;

	for (i = 0; i < 500; i++) {
		json_int_t v;

		ck_assert_int_eq(intrinsic_eval(f, &roots, &out, &e), 0);
		v = json_integer_value(out);
		ck_assert(v >= -2 && v < 3);
		hits[v + 2]++;
		json_decref(out);
	}
	for (i = 0; i < 5; i++)
		ck_assert_int_gt(hits[i], 0);
	intrinsic_free(f);
}
END_TEST

/* Strings an intrinsic builds are capped: no unbounded growth. */
START_TEST(test_result_cap)
{
	struct err e = { 0 };
	char expr[8192] = "States.Format('";
	struct intrinsic *f;
	json_t *in = json_object(), *out = NULL;
	struct jsonpath_roots roots = { .input = in };
	char *big = malloc(300 * 1024 + 1);
	int i;

	memset(big, 'x', 300 * 1024);
	big[300 * 1024] = '\0';
	json_object_set_new(in, "s", json_string(big));
	for (i = 0; i < 8; i++)
		strcat(expr, "{}");
	strcat(expr, "'");
	for (i = 0; i < 8; i++)
		strcat(expr, ", $.s");
	strcat(expr, ")");
	f = intrinsic_compile(expr, &e);
	ck_assert_msg(f, "%s", e.msg);
	ck_assert_int_eq(intrinsic_eval(f, &roots, &out, &e), -1);
	ck_assert_str_eq(e.type, "States.IntrinsicFailure");
	ck_assert_ptr_null(out);
	intrinsic_free(f);
	free(big);
	json_decref(in);
}
END_TEST

START_TEST(test_text_cap)
{
	struct err e = { 0 };
	size_t n = INTRINSIC_TEXT_MAX + 100;
	char *t = malloc(n + 1);

	memset(t, ' ', n);
	memcpy(t, "States.Array()", 14);
	t[n] = '\0';
	ck_assert_ptr_null(intrinsic_compile(t, &e));
	ck_assert_str_eq(e.type, "States.Runtime");
	free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("intrinsics");
	TCase *golden = tcase_create("golden"), *api = tcase_create("api");
	SRunner *sr;
	int failed;

	cases = golden_load("intrinsics", NULL);
	tcase_add_loop_test(golden, test_golden, 0, (int)json_array_size(cases));
	tcase_add_test(api, test_api);
	tcase_add_test(api, test_uuid_unique);
	tcase_add_test(api, test_random_range);
	tcase_add_test(api, test_result_cap);
	tcase_add_test(api, test_text_cap);
	suite_add_tcase(s, golden);
	suite_add_tcase(s, api);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	json_decref(cases);
	return failed ? 1 : 0;
}
