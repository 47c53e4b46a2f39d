/* FN-A's tests: the string, format and regex functions (jsonata/jn_fn_string.c,
 * jn_fn_format.c, jn_fn_regex.c).
 *
 * - sampled cases (tests/jsonata/fna/cases.jsonl, written by
 *   tests/jsonata/fna/gen.mjs with jsonata@2.2.2 as the oracle): curated edge
 *   cases and thousands of random regexes, pictures and strings; each runs
 *   through the public API and its output must equal JSON.stringify of the
 *   reference's result character for character, or fail with its code;
 * - white-box: every regex the translator produces gives the same matches
 *   under PCRE2's JIT and its interpreter (10.42's JIT has bugs the
 *   translation steers around; this finds new ones); the case-mapping tables
 *   are sorted (binary search);
 * - tutti's own behaviour where JavaScript has none to copy (docs/jsonata.md,
 *   Regex): S0303 for an invalid pattern, D1012 for catastrophic
 *   backtracking within a bounded time; roman numerals of millions in full
 *   (the reference's stack ends them), D1011 for Infinity; output sized by a
 *   user's number checked against the memory cap before it is built (U1002
 *   at once); the documented case-folding difference;
 * - threads sharing one compiled regex.
 *
 * TUTTI_FNA_SHOW=N shows N failures (default 20). */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsonata.h"
#include "jn_int.h"
#include "jn_case_tables.h"

#define CASES_FILE "tests/jsonata/fna/cases.jsonl"
#define LINE_MAX_BYTES (1 << 20)

/* Evaluates EXPR (undefined input); *out the JSON text or NULL. 0 or -1. */
static int eval_text(const char *expr, char **out, struct jsonata_error *err)
{
	struct jsonata *x = NULL;
	*out = NULL;
	memset(err, 0, sizeof *err);
	if (jsonata_compile(expr, strlen(expr), &x, err) < 0)
		return -1;
	int rc = jsonata_eval_text(x, NULL, NULL, NULL, NULL, out, err);
	jsonata_free(x);
	return rc;
}

START_TEST(fna_sampled_cases)
{
	char path[4096];
	const char *top = getenv("TUTTI_TOP"); /* scripts/run-unit.sh sets it */
	snprintf(path, sizeof path, "%s%s%s", top ? top : "", top ? "/" : "", CASES_FILE);
	FILE *f = fopen(path, "r");
	setvbuf(stdout, NULL, _IOLBF, 0);
	ck_assert_msg(f != NULL, "%s not found (run from the top of the tree)", CASES_FILE);
	const char *show_env = getenv("TUTTI_FNA_SHOW");
	long show = show_env ? atol(show_env) : 20;
	char *line = malloc(LINE_MAX_BYTES);
	ck_assert_ptr_nonnull(line);
	long n = 0, failed = 0;
	while (fgets(line, LINE_MAX_BYTES, f)) {
		json_error_t jerr;
		json_t *c = json_loads(line, JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &jerr);
		ck_assert_msg(c != NULL, "%s line %ld: %s", CASES_FILE, n + 1, jerr.text);
		n++;
		const char *expr = json_string_value(json_object_get(c, "expr"));
		json_t *result = json_object_get(c, "result");
		const char *ecode = json_string_value(json_object_get(c, "error"));
		int want_undef = json_is_true(json_object_get(c, "undefined"));
		struct jsonata_error err;
		char *got = NULL, *want = NULL;
		int rc = eval_text(expr, &got, &err);
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
			if (failed <= show)
				printf("FAIL %s\n  want: %s\n  got:  %s%s%s\n", expr,
				       ecode ? ecode : want_undef ? "(undefined)" : want ? want : "?",
				       rc < 0 ? err.code : got ? got : "(undefined)", rc < 0 ? " " : "",
				       rc < 0 ? err.message : "");
		}
		free(got);
		free(want);
		json_decref(c);
	}
	fclose(f);
	free(line);
	printf("fna: %ld cases, %ld failed\n", n, failed);
	ck_assert_msg(n > 5000, "only %ld cases read", n);
	ck_assert_msg(failed == 0, "%ld of %ld sampled cases differ from the reference", failed, n);
}
END_TEST

/* ---- JIT vs interpreter ------------------------------------------------ */

static const char *const atoms[] = {
	"a", "\\w", "\\W", "\\d", "\\D", "\\s", "\\S", ".", "[^a]", "[a-z]", "\xc3\xa9", "\\u00e9", "[\xc3\xa9-\xc3\xbc]",
	"\\b", "\\B", "^", "$", "(a|\xc3\xa9)", "[^\\s]", "\xf0\x9f\x98\x80", "[\xf0\x9f\x98\x80]", "x", "[\\W\\d]",
	"(?=\xc3\xa9)", "(?!a)", "(?<=a)", "\\1", "[^]", "\xc5\xbf", "\xe2\x84\xaa", "\xcf\x83", "(?<=\xc3\xa9)",
	"[^\xc3\xa9]", "\xce\xa3", "[\\s\\S]", "(?:\xc3\xa9|a)+", "\xc3\x9f", "\xe1\xba\x9e", "[\\W]+", "\\W\\b",
	"(?=\\W)", "(?<!\xf0\x9f\x98\x80)", "[^\xf0\x9f\x98\x80]", "\\k<n>", "(?<n>\xc3\xa9)",
};
static const char *const quants[] = {"", "", "", "*", "+", "?", "{2}", "*?", "+?"};
static const char *const subjects[] = {
	"a", "\xc3\xa9", "a\xc3\xa9", "\xc3\xa9" "a", "\xe2\x82\xac" "x", "\xf0\x9f\x98\x80", "a\xf0\x9f\x98\x80" "b",
	"\xc5\xbfs", "Kk\xe2\x84\xaa", "\xce\xa3\xcf\x83\xcf\x82\xce\xa3", "a b\xc2\xa0" "c", "\xc3\xa9 \xc3\xa9",
	"aa\xc3\xa9\xc3\xa9", "\n\xe2\x80\xa8" "a", "", "\xc3\x9fSS\xe1\xba\x9e",
};

START_TEST(fna_jit_matches_interpreter)
{
	unsigned seed = 12345;
	long compiled = 0, diffs = 0;
	pcre2_match_data *md = pcre2_match_data_create(16, NULL);
	ck_assert_ptr_nonnull(md);
	for (int it = 0; it < 6000; it++) {
		char pat[512] = "";
		int na = 1 + (int)(rand_r(&seed) % 4);
		for (int k = 0; k < na; k++) {
			strcat(pat, atoms[rand_r(&seed) % (sizeof atoms / sizeof *atoms)]);
			strcat(pat, quants[rand_r(&seed) % (sizeof quants / sizeof *quants)]);
		}
		const char *flags = (rand_r(&seed) % 2) ? "i" : (rand_r(&seed) % 2 ? "m" : "");
		struct jn_regex *re = NULL;
		char eb[256];
		if (jn_regex_compile(pat, strlen(pat), flags, &re, eb, sizeof eb) != 0)
			continue;
		compiled++;
		for (size_t s = 0; s < sizeof subjects / sizeof *subjects; s++) {
			size_t len = strlen(subjects[s]);
			for (size_t from = 0; from <= len; from++) {
				if (from < len && ((unsigned char)subjects[s][from] & 0xc0) == 0x80)
					continue;
				int r1 = pcre2_match(re->code, (PCRE2_SPTR)subjects[s], len, from, 0, md, NULL);
				PCRE2_SIZE a0 = r1 > 0 ? pcre2_get_ovector_pointer(md)[0] : 0;
				PCRE2_SIZE a1 = r1 > 0 ? pcre2_get_ovector_pointer(md)[1] : 0;
				int r2 = pcre2_match(re->code, (PCRE2_SPTR)subjects[s], len, from, PCRE2_NO_JIT, md, NULL);
				PCRE2_SIZE b0 = r2 > 0 ? pcre2_get_ovector_pointer(md)[0] : 0;
				PCRE2_SIZE b1 = r2 > 0 ? pcre2_get_ovector_pointer(md)[1] : 0;
				if (r1 != r2 || a0 != b0 || a1 != b1) {
					if (diffs++ < 10)
						printf("JIT DIFF /%s/%s on subject %zu from %zu: jit %d [%zu,%zu] "
						       "interpreter %d [%zu,%zu]\n",
						       pat, flags, s, from, r1, (size_t)a0, (size_t)a1, r2, (size_t)b0,
						       (size_t)b1);
				}
			}
		}
		jn_regex_free(re);
	}
	pcre2_match_data_free(md);
	ck_assert_msg(compiled > 3000, "only %ld patterns compiled", compiled);
	ck_assert_msg(diffs == 0, "%ld JIT/interpreter differences", diffs);
}
END_TEST

START_TEST(fna_case_tables_sorted)
{
	for (size_t i = 1; i < sizeof jn_upper_map / sizeof *jn_upper_map; i++)
		ck_assert_uint_lt(jn_upper_map[i - 1].cp, jn_upper_map[i].cp);
	for (size_t i = 1; i < sizeof jn_lower_map / sizeof *jn_lower_map; i++)
		ck_assert_uint_lt(jn_lower_map[i - 1].cp, jn_lower_map[i].cp);
	for (size_t i = 0; i < sizeof jn_cased / sizeof *jn_cased; i++) {
		ck_assert_uint_le(jn_cased[i].lo, jn_cased[i].hi);
		if (i)
			ck_assert_uint_gt(jn_cased[i].lo, jn_cased[i - 1].hi + 1);
	}
	for (size_t i = 0; i < sizeof jn_case_ignorable / sizeof *jn_case_ignorable; i++) {
		ck_assert_uint_le(jn_case_ignorable[i].lo, jn_case_ignorable[i].hi);
		if (i)
			ck_assert_uint_gt(jn_case_ignorable[i].lo, jn_case_ignorable[i - 1].hi + 1);
	}
}
END_TEST

/* ---- tutti's own behaviour ---------------------------------------------- */

static void expect_error(const char *expr, const char *code, const char *msg_part)
{
	char *got = NULL;
	struct jsonata_error err;
	int rc = eval_text(expr, &got, &err);
	ck_assert_msg(rc < 0, "%s: no error (got %.200s)", expr, got ? got : "undefined");
	ck_assert_msg(strcmp(err.code, code) == 0, "%s: %s (%s), want %s", expr, err.code, err.message, code);
	if (msg_part)
		ck_assert_msg(strstr(err.message, msg_part) != NULL, "%s: message '%s' lacks '%s'", expr, err.message,
			      msg_part);
	free(got);
}

static void expect_text(const char *expr, const char *want)
{
	char *got = NULL;
	struct jsonata_error err;
	int rc = eval_text(expr, &got, &err);
	ck_assert_msg(rc == 0, "%s: %s %s", expr, err.code, err.message);
	ck_assert_msg(got && strcmp(got, want) == 0, "%s: got %s, want %s", expr, got ? got : "undefined", want);
	free(got);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

START_TEST(fna_tutti_behaviour)
{
	/* JavaScript throws a SyntaxError without a code: S0303, V8's words */
	expect_error("$match(\"a\", /a**/)", "S0303", "Invalid regular expression: /a**/g: Nothing to repeat");
	expect_error("$match(\"a\", /a{2,1}/)", "S0303", "numbers out of order");
	expect_error("$match(\"a\", /(?<=a+)b/)", "S0303", "Invalid regular expression");
	expect_error("$match(\"a\", /a/ii)", "S0303", NULL);
	/* catastrophic backtracking: D1012, quickly, with and without the JIT */
	const char *slow[] = {"$match(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\", /^(a|aa)+$/)",
			      "$match(\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\", /^(a|a)+\\1$/)"};
	for (size_t i = 0; i < 2; i++) {
		double t0 = now_s();
		expect_error(slow[i], "D1012", NULL);
		ck_assert_msg(now_s() - t0 < 5, "%s took %.1f s", slow[i], now_s() - t0);
	}
	/* decimalToRoman recurses once per numeral: the reference's stack ends
	 * it past ~9,000 'm's; tutti writes them all (one per thousand) */
	expect_text("$formatInteger(8999999, \"I\") ~> $length()", "9005"); /* 8999 m + cmxcix */
	expect_text("$formatInteger(1e9, \"i\") ~> $length()", "1000000");
	expect_text("$formatInteger(-1e9 - 1999, \"I\") ~> $substring(999995)", "\"MMMMMMMCMXCIX\"");
	expect_text("$parseInteger($formatInteger(987654321, \"i\"), \"i\")", "987654321");
	expect_error("$formatInteger(1/0, \"I\")", "D1011", NULL);
	/* documented difference: Unicode case folding */
	expect_text("$match(\"\xc5\xbf\", /s/i).match", "\"\xc5\xbf\"");
	/* a zero-length match after the first: D1004 as the reference */
	expect_error("$match(\"abc\", /x*/)", "D1004", NULL);
}
END_TEST

/* Output whose size comes from a number the user gave: checked against the
 * memory cap before it is built, so a huge one is U1002 at once (not a loop
 * until the cap or the time limit). */
START_TEST(fna_output_caps)
{
	const char *huge[] = {
		"$pad(\"x\", 1e21)", "$pad(\"x\", 6.4e37, \"abc\")", "$pad(\"x\", -6.4e37, \"\xc3\xa9\xf0\x9f\x98\x80" "c\")", "$pad(\"x\", -1e21, \"ab\")", "$pad(\"x\", 2e9, \"\xf0\x9f\x98\x80\")",
		"$formatInteger(1e21, \"I\")", "$formatInteger(-1e300, \"i\")",
		"$fromMillis(0, \"[Y,1000000000000]\")", "$fromMillis(0, \"[Y,1000000000000-*]\")",
		"$fromMillis(0, \"[m01,1000000000000]\")",
	};
	for (size_t i = 0; i < sizeof huge / sizeof *huge; i++) {
		double t0 = now_s();
		expect_error(huge[i], "U1002", "memory limit");
		ck_assert_msg(now_s() - t0 < 0.5, "%s took %.2f s", huge[i], now_s() - t0);
	}
	/* sizes that are products of sizes: a separator or a replacement
	 * repeated many times is sized before it is built */
	const char *product[] = {
		"($a := $pad(\"\", 100000, \"a\"); $b := $pad(\"\", 100000, \"b\"); $join([1..100000].$a, $b))",
		"($a := $pad(\"\", 1000000, \"a\"); $b := $pad(\"\", 1000000, \"b\"); $replace($a, \"a\", $b))",
		"($a := $pad(\"\", 1000000, \"ab\"); $b := $pad(\"\", 100000, \"b\"); $replace($a, \"ab\", $b, 20000))",
	};
	for (size_t i = 0; i < sizeof product / sizeof *product; i++) {
		double t0 = now_s();
		expect_error(product[i], "U1002", "memory limit");
		ck_assert_msg(now_s() - t0 < 0.5, "%s took %.2f s", product[i], now_s() - t0);
	}
	expect_text("$length($replace($pad(\"\", 1000000, \"ab\"), \"ab\", \"xyz\", 1000))", "1001000");
	/* widths written out in the picture are bounded by its text */
	expect_text("$formatInteger(5, \"#\" & $pad(\"\", 100, \"0\")) ~> $length()", "100");
	/* under a small cap (a Step Functions evaluation's 64 MiB), what fits is
	 * built and what does not is refused before it is built */
	struct jsonata_limits lim = {.memory_max = 64u << 20};
	const char *exprs[][2] = {
		{"$length($pad(\"x\", 1e7, \"ab\"))", "10000000"},
		{"$length($pad(\"x\", 1e8))", NULL},
		{"$length($formatInteger(1e10, \"i\"))", "10000000"},
		{"$length($formatInteger(1e11, \"i\"))", NULL},
		{"$length($fromMillis(0, \"[Y,1000000]\"))", "1000000"},
		{"$length($fromMillis(0, \"[Y,100000000]\"))", NULL},
	};
	for (size_t i = 0; i < sizeof exprs / sizeof *exprs; i++) {
		struct jsonata *x = NULL;
		struct jsonata_error err;
		char *out = NULL;
		ck_assert_int_eq(jsonata_compile(exprs[i][0], strlen(exprs[i][0]), &x, &err), 0);
		double t0 = now_s();
		int rc = jsonata_eval_text(x, NULL, NULL, NULL, &lim, &out, &err);
		double took = now_s() - t0;
		if (exprs[i][1]) {
			ck_assert_msg(rc == 0 && out && strcmp(out, exprs[i][1]) == 0, "%s: %s %s", exprs[i][0],
				      rc ? err.code : "", out ? out : "");
		} else {
			ck_assert_msg(rc < 0 && strcmp(err.code, "U1002") == 0, "%s: %s", exprs[i][0], rc ? err.code : out);
			ck_assert_msg(strstr(err.message, "67108864") != NULL, "%s: %s", exprs[i][0], err.message);
			ck_assert_msg(took < 0.2, "%s took %.2f s to refuse", exprs[i][0], took);
		}
		free(out);
		jsonata_free(x);
	}
}
END_TEST

/* ---- threads -------------------------------------------------------------- */

static struct jsonata *shared_x;

static void *thread_body(void *arg)
{
	long bad = 0;
	(void)arg;
	for (int i = 0; i < 2000; i++) {
		char *out = NULL;
		struct jsonata_error err;
		json_t *in = json_pack("{s:s}", "s", i % 2 ? "caf\xc3\xa9 au lait, na\xc3\xafve" : "x1 y22 z333");
		if (jsonata_eval_text(shared_x, NULL, in, NULL, NULL, &out, &err) != 0)
			bad++;
		else if (strcmp(out, i % 2 ? "[\"caf\xc3\xa9\",\"au\",\"lait\",\"na\xc3\xafve\"]" : "[\"x1\",\"y22\",\"z333\"]"))
			bad++;
		free(out);
		json_decref(in);
	}
	return (void *)bad;
}

START_TEST(fna_threads_share_a_regex)
{
	const char *e = "$match(s, /[^\\s,]+/).match";
	struct jsonata_error err;
	ck_assert_int_eq(jsonata_compile(e, strlen(e), &shared_x, &err), 0);
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, thread_body, NULL), 0);
	long bad = 0;
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	jsonata_free(shared_x);
	ck_assert_int_eq(bad, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jsonata-fna");
	TCase *tc = tcase_create("fna");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, fna_sampled_cases);
	tcase_add_test(tc, fna_jit_matches_interpreter);
	tcase_add_test(tc, fna_case_tables_sorted);
	tcase_add_test(tc, fna_tutti_behaviour);
	tcase_add_test(tc, fna_threads_share_a_regex);
	tcase_add_test(tc, fna_output_caps);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
