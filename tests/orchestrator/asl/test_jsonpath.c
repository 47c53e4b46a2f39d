/* JSONPath: golden cases from the JSON files in tests/data/jsonpath plus API tests.
 *
 * A golden case is an object:
 *   {"path": P, "input": I, "context"?: C, "vars"?: V, "reference"?: true,
 *    "expected": X}                      evaluates to X (exact JSON types)
 *   {..., "error": "States.Runtime"}      evaluation fails with that type
 *   {..., "compile_error": true}          compilation fails
 *   {"set": P, "input": I, "value": X, "expected"|"error"|"compile_error"}
 *                                         jsonpath_set (ResultPath), the path
 *                                         compiled as a reference path
 * TUTTI_TESTDATA overrides the data folder (default tests/data). */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonpath.h"

#include "golden.h"

static json_t *cases;

START_TEST(test_golden)
{
	json_t *c = json_array_get(cases, (size_t)_i), *got = NULL;
	const char *where = json_string_value(json_object_get(c, "_where"));
	const char *text = json_string_value(json_object_get(c, "path"));
	bool is_set = !text;
	json_t *expected = json_object_get(c, "expected");
	const char *want_err = json_string_value(json_object_get(c, "error"));
	bool want_cerr = json_is_true(json_object_get(c, "compile_error"));
	unsigned flags = json_is_true(json_object_get(c, "reference")) ? JSONPATH_REFERENCE : 0;
	struct jsonpath_roots roots = {
		.input = json_object_get(c, "input"),
		.context = json_object_get(c, "context"),
		.vars = json_object_get(c, "vars"),
	};
	struct err e = { 0 };
	struct jsonpath *p;
	int rc;

	if (is_set) {
		text = json_string_value(json_object_get(c, "set"));
		flags = JSONPATH_REFERENCE;
	}
	ck_assert_msg(text, "%s: no path", where);
	p = jsonpath_compile(text, flags, &e);
	if (want_cerr) {
		ck_assert_msg(!p, "%s: '%s' compiled but should not", where, text);
		ck_assert_str_eq(e.type, "States.Runtime");
		ck_assert_msg(e.msg[0], "%s: empty message", where);
		return;
	}
	ck_assert_msg(p, "%s: '%s' did not compile: %s", where, text, e.msg);
	ck_assert_str_eq(jsonpath_text(p), text);
	if (is_set)
		rc = jsonpath_set(p, json_incref(roots.input), json_object_get(c, "value"), &got, NULL, &e);
	else
		rc = jsonpath_eval(p, &roots, &got, &e);
	if (want_err) {
		char *g = golden_show(got);

		ck_assert_msg(rc == -1, "%s: '%s' gave %s, want error %s", where, text, g, want_err);
		free(g);
		ck_assert_msg(!got, "%s: output set on error", where);
		ck_assert_str_eq(e.type, want_err);
		ck_assert_msg(strlen(e.msg) > 0, "%s: empty message", where);
	} else {
		char *g = golden_show(got), *x = golden_show(expected);

		ck_assert_msg(rc == 0, "%s: '%s' failed: %s: %s", where, text, e.type, e.msg);
		ck_assert_msg(json_equal(got, expected), "%s: '%s' gave %s, want %s", where,
			      text, g, x);
		free(g);
		free(x);
		if (!is_set)
			ck_assert_msg(jsonpath_is_definite(p) || json_is_array(got),
				      "%s: indefinite path must give an array", where);
	}
	json_decref(got);
	jsonpath_free(p);
}
END_TEST

START_TEST(test_api)
{
	struct err e = { 0 };
	struct jsonpath *p = jsonpath_compile("$.a['b'][0]", 0, &e);
	struct jsonpath *v = jsonpath_compile("$my.x[*]", 0, &e);
	struct jsonpath *c = jsonpath_compile("$$.Execution", JSONPATH_REFERENCE, &e);

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_nonnull(c);
	ck_assert(jsonpath_is_definite(p));
	ck_assert(!jsonpath_is_definite(v));
	ck_assert_int_eq(jsonpath_root(p), JSONPATH_ROOT_INPUT);
	ck_assert_int_eq(jsonpath_root(v), JSONPATH_ROOT_VAR);
	ck_assert_str_eq(jsonpath_var_name(v), "my");
	ck_assert_ptr_null(jsonpath_var_name(p));
	ck_assert_int_eq(jsonpath_root(c), JSONPATH_ROOT_CONTEXT);
	jsonpath_free(p);
	jsonpath_free(v);
	jsonpath_free(c);
	jsonpath_free(NULL);
	ck_assert_ptr_null(jsonpath_compile(NULL, 0, &e));
}
END_TEST

START_TEST(test_text_cap)
{
	struct err e = { 0 };
	char *t = malloc(JSONPATH_TEXT_MAX + 2);
	struct jsonpath *p;

	t[0] = '$';
	memset(t + 1, 'a', JSONPATH_TEXT_MAX);
	t[1] = '.';
	t[JSONPATH_TEXT_MAX] = '\0';            /* exactly the cap */
	p = jsonpath_compile(t, 0, &e);
	ck_assert_msg(p, "%s", e.msg);
	jsonpath_free(p);
	t[JSONPATH_TEXT_MAX] = 'a';
	t[JSONPATH_TEXT_MAX + 1] = '\0';        /* one over */
	ck_assert_ptr_null(jsonpath_compile(t, 0, &e));
	ck_assert_str_eq(e.type, "States.Runtime");
	free(t);
}
END_TEST

/* A document deeper than the evaluation cap fails instead of recursing. */
START_TEST(test_deep_document)
{
	struct err e = { 0 };
	json_t *doc = json_object(), *cur = doc, *out = NULL;
	struct jsonpath_roots roots = { .input = doc };
	struct jsonpath *p;
	int i;

	for (i = 0; i < 3000; i++) {
		json_t *n = json_object();

		json_object_set_new(cur, "a", n);
		cur = n;
	}
	json_object_set_new(cur, "x", json_integer(1));
	ck_assert_int_eq(jsonpath_query("$..x", &roots, &out, &e), -1);
	ck_assert_str_eq(e.type, "States.Runtime");
	ck_assert_ptr_null(out);
	ck_assert_int_eq(jsonpath_query("$..[?(@.x)]", &roots, &out, &e), -1);
	/* Definite steps do not recurse: a long chain works. */
	{
		size_t len = 2 + 2 * 1500;
		char *t = malloc(len + 1);

		t[0] = '$';
		for (i = 0; i < 1500; i++)
			memcpy(t + 1 + 2 * i, ".a", 2);
		t[len - 1] = '\0';
		p = jsonpath_compile(t, 0, &e);
		ck_assert_msg(p, "%s", e.msg);
		ck_assert_int_eq(jsonpath_eval(p, &roots, &out, &e), 0);
		ck_assert(json_is_object(out));
		json_decref(out);
		jsonpath_free(p);
		free(t);
	}
	json_decref(doc);
}
END_TEST

/* Copy-on-write: a holder of the input other than the call never sees the
 * change; an input only the call holds is changed in place. */
START_TEST(test_set_leaves_input)
{
	struct err e = { 0 };
	json_t *in = json_pack("{s:{s:i}}", "a", "b", 1), *val = json_string("v"), *out, *old;
	struct jsonpath *p = jsonpath_compile("$.a.c", JSONPATH_REFERENCE, &e);
	json_t *before = json_deep_copy(in), *a = json_object_get(in, "a");

	ck_assert_int_eq(jsonpath_set(p, json_incref(in), val, &out, &old, &e), 0);
	ck_assert(json_equal(in, before));
	ck_assert_ptr_null(old);
	ck_assert_ptr_ne(out, in);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "a"), "c")), "v");
	json_decref(out);
	/* handed over, held by the call alone: changed in place */
	ck_assert_int_eq(jsonpath_set(p, in, val, &out, &old, &e), 0);
	ck_assert_ptr_eq(out, in);
	ck_assert_ptr_eq(json_object_get(out, "a"), a);
	ck_assert_ptr_null(old);
	json_decref(val);
	val = json_integer(7);
	ck_assert_int_eq(jsonpath_set(p, out, val, &in, &old, &e), 0);
	ck_assert_str_eq(json_string_value(old), "v");
	json_decref(old);
	json_decref(in);
	json_decref(before);
	json_decref(val);
	jsonpath_free(p);
}
END_TEST

START_TEST(test_nul_key_and_equal)
{
	struct err e = { 0 };
	json_t *in = json_object(), *out = NULL;
	struct jsonpath_roots roots = { .input = in };
	json_t *a = json_pack("{s:[i,f,{s:n}]}", "k", 1, 2.0, "z");
	json_t *b = json_pack("{s:[f,i,{s:n}]}", "k", 1.0, 2, "z");

	json_object_setn_new(in, "a\0b", 3, json_integer(7));
	ck_assert_int_eq(jsonpath_query("$['a\\u0000b']", &roots, &out, &e), 0);
	ck_assert_int_eq(json_integer_value(out), 7);
	json_decref(out);
	ck_assert_int_eq(jsonpath_query("$['a']", &roots, &out, &e), -1);
	ck_assert(jsonpath_value_equal(a, b));
	json_array_append_new(json_object_get(b, "k"), json_null());
	ck_assert(!jsonpath_value_equal(a, b));
	json_decref(a);
	json_decref(b);
	json_decref(in);
}
END_TEST

struct thr {
	const struct jsonpath *p;
	json_t *doc;
	int ok;
};

static void *thr_main(void *arg)
{
	struct thr *t = arg;
	struct jsonpath_roots roots = { .input = t->doc };
	struct err e;
	int i;

	for (i = 0; i < 2000; i++) {
		json_t *out = NULL;

		if (jsonpath_eval(t->p, &roots, &out, &e) == 0 && json_array_size(out) == 2)
			t->ok++;
		json_decref(out);
	}
	return NULL;
}

/* One compiled path, evaluated from several threads on separate documents. */
START_TEST(test_threads)
{
	struct err e = { 0 };
	struct jsonpath *p = jsonpath_compile("$..v[?(@ > 1)]", 0, &e);
	pthread_t th[4];
	struct thr t[4];
	int i;

	for (i = 0; i < 4; i++) {
		t[i].p = p;
		t[i].doc = json_pack("{s:[i,i,i],s:{s:[i]}}", "v", 1, 2, 3, "x", "v", 0);
		t[i].ok = 0;
		pthread_create(&th[i], NULL, thr_main, &t[i]);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		ck_assert_int_eq(t[i].ok, 2000);
		json_decref(t[i].doc);
	}
	jsonpath_free(p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jsonpath");
	TCase *golden = tcase_create("golden"), *api = tcase_create("api");
	SRunner *sr;
	int failed;

	cases = golden_load("jsonpath", NULL);
	tcase_add_loop_test(golden, test_golden, 0, (int)json_array_size(cases));
	tcase_add_test(api, test_api);
	tcase_add_test(api, test_text_cap);
	tcase_add_test(api, test_deep_document);
	tcase_add_test(api, test_set_leaves_input);
	tcase_add_test(api, test_nul_key_and_equal);
	tcase_add_test(api, test_threads);
	suite_add_tcase(s, golden);
	suite_add_tcase(s, api);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	json_decref(cases);
	return failed ? 1 : 0;
}
