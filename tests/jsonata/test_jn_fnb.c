/* FN-B's sampled cases (tests/jsonata/fnb/cases.jsonl, written by
 * tests/jsonata/fnb/gen.mjs with jsonata@2.2.2 as the oracle): $round and
 * $power over thousands of arguments, $fromMillis/$toMillis over instants,
 * pictures, time zones and every ISO 8601 shape the reference accepts, and
 * the array/object/higher-order functions over generated data. Each case
 * runs through the public API (jsonata_compile + jsonata_eval_text) and its
 * output must equal JSON.stringify of the reference's result character for
 * character (number digits and object key order included), or fail with
 * the reference's error code.
 *
 * TUTTI_FNB_SHOW=N shows N failures (default 20). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonata.h"

#define CASES_FILE "tests/jsonata/fnb/cases.jsonl"
#define LINE_MAX_BYTES (1 << 20)

/* The compiled expressions: the file uses a few dozen distinct ones. */
struct compiled {
	char *expr;
	struct jsonata *x;
};
static struct compiled cache[256];
static size_t ncache;

static struct jsonata *compile_cached(const char *expr, struct jsonata_error *err)
{
	for (size_t i = 0; i < ncache; i++)
		if (strcmp(cache[i].expr, expr) == 0)
			return cache[i].x;
	struct jsonata *x = NULL;
	if (jsonata_compile(expr, strlen(expr), &x, err) < 0)
		return NULL;
	if (ncache < sizeof cache / sizeof *cache) {
		cache[ncache].expr = strdup(expr);
		cache[ncache].x = x;
		ncache++;
	}
	return x;
}

START_TEST(fnb_sampled_cases)
{
	FILE *f = fopen(CASES_FILE, "r");
	setvbuf(stdout, NULL, _IOLBF, 0); /* the failures show even when the check aborts */
	ck_assert_msg(f != NULL, "%s not found (run from the top of the tree)", CASES_FILE);
	const char *show_env = getenv("TUTTI_FNB_SHOW");
	long show = show_env ? atol(show_env) : 20;
	char *line = malloc(LINE_MAX_BYTES);
	ck_assert_ptr_nonnull(line);
	long n = 0, failed = 0;
	while (fgets(line, LINE_MAX_BYTES, f)) {
		json_error_t jerr;
		json_t *c = json_loads(line, JSON_DECODE_INT_AS_REAL, &jerr);
		ck_assert_msg(c != NULL, "%s line %ld: %s", CASES_FILE, n + 1, jerr.text);
		n++;
		const char *expr = json_string_value(json_object_get(c, "expr"));
		json_t *bindings = json_object_get(c, "bindings");
		json_t *result = json_object_get(c, "result");
		const char *ecode = json_string_value(json_object_get(c, "error"));
		int want_undef = json_is_true(json_object_get(c, "undefined"));

		struct jsonata_error err;
		memset(&err, 0, sizeof err);
		char *got = NULL, *want = NULL;
		int rc = -1;
		struct jsonata *x = compile_cached(expr, &err);
		if (x)
			rc = jsonata_eval_text(x, NULL, NULL, bindings, NULL, &got, &err);
		int ok;
		if (ecode)
			ok = rc < 0 && strcmp(err.code, ecode) == 0;
		else if (want_undef)
			ok = rc == 0 && got == NULL;
		else {
			want = jsonata_dumps(result);
			ok = rc == 0 && got && want && strcmp(got, want) == 0;
		}
		if (!ok) {
			failed++;
			if (failed <= show) {
				char *b = bindings ? json_dumps(bindings, JSON_COMPACT) : NULL;
				printf("FAIL %s with %s\n  want: %s\n  got:  %s%s%s\n", expr, b ? b : "-",
				       ecode ? ecode : want_undef ? "(undefined)" : want ? want : "?",
				       rc < 0 ? err.code : got ? got : "(undefined)", rc < 0 ? " " : "",
				       rc < 0 ? err.message : "");
				free(b);
			}
		}
		free(got);
		free(want);
		json_decref(c);
	}
	fclose(f);
	free(line);
	for (size_t i = 0; i < ncache; i++) {
		jsonata_free(cache[i].x);
		free(cache[i].expr);
	}
	ncache = 0;
	printf("fnb: %ld cases, %ld failed\n", n, failed);
	ck_assert_msg(n > 1000, "only %ld cases read", n);
	ck_assert_msg(failed == 0, "%ld of %ld sampled cases differ from the reference", failed, n);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jsonata-fnb");
	TCase *tc = tcase_create("sampled");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, fnb_sampled_cases);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
