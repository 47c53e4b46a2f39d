/* The JSONata engine against hostile expressions (a security review's
 * findings), each bounded in time and memory:
 *
 * - a result nested deeper than JN_RESULT_DEPTH_MAX (1000) levels is U1003,
 *   as jansson and as text (json_dumps recursed 27,500 deep and crashed
 *   the server); 1000 levels still come out;
 * - walks over a value built of shared parts (a DAG: {"x":$a,"y":$a} sixty
 *   times over has 2^60 paths) end at the time limit (D1012): equality,
 *   truthiness, $distinct, $boolean, $not, $keys, $string, a filter;
 * - $distinct of items that differ only deep down stays fast (its hash
 *   reaches them) and still answers right (key order ignored);
 * - an extension function's arguments are checked against the memory left
 *   (U1002 before a byte is copied) and nested ones are U1003;
 * - compiling is bounded: a 1 MB expression is refused (S0500) with little
 *   memory, a big object literal compiles in linear time. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "jsonata.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Evaluates EXPR (jansson result, or text when text is set); the error's
 * code in code ("" when none), the time taken in ms. */
static long run(const char *expr, const struct jsonata_env *env, const struct jsonata_limits *lim, int text,
		char code[8], json_t **out)
{
	struct jsonata_error err;
	struct jsonata *x = NULL;
	json_t *res = NULL;
	char *t = NULL;
	long t0;
	int rc;

	memset(&err, 0, sizeof err);
	code[0] = 0;
	if (out)
		*out = NULL;
	ck_assert_msg(jsonata_compile(expr, strlen(expr), &x, &err) == 0, "%s: %s", expr, err.message);
	t0 = now_ms();
	rc = text ? jsonata_eval_text(x, env, NULL, NULL, lim, &t, &err)
		  : jsonata_eval_env(x, env, NULL, NULL, lim, &res, &err);
	t0 = now_ms() - t0;
	if (rc)
		snprintf(code, 8, "%s", err.code);
	if (out && !text)
		*out = res;
	else
		json_decref(res);
	free(t);
	jsonata_free(x);
	return t0;
}

static int json_depth(const json_t *j)
{
	int d = 0;

	while (json_is_array(j) && json_array_size(j) == 1) {
		j = json_array_get(j, 0);
		d++;
	}
	return d + (json_is_array(j) ? 1 : 0);
}

START_TEST(test_deep_result)
{
	static const char *const deep[] = {
		"$reduce([1..30000], function($a,$v){[[$a]]}, [])",
		"$reduce([1..30000], function($a,$v){{\"a\":$a}}, {})",
		"$reduce([1..1000], function($a,$v){[[$a]]}, [])",
		"{\"k\": $reduce([1..999], function($a,$v){[[$a]]}, [])}",
	};
	char code[8];
	json_t *out;
	long ms;

	for (size_t i = 0; i < sizeof deep / sizeof deep[0]; i++)
		for (int text = 0; text < 2; text++) {
			ms = run(deep[i], NULL, NULL, text, code, NULL);
			ck_assert_msg(strcmp(code, "U1003") == 0, "%s (%s): got \"%s\"", deep[i],
				      text ? "text" : "json", code);
			ck_assert_msg(ms < 1000, "U1003 after %ld ms", ms);
		}
	/* 1000 levels (999 wraps of []) are fine, and jansson writes them */
	run("$reduce([1..999], function($a,$v){[[$a]]}, [])", NULL, NULL, 0, code, &out);
	ck_assert_str_eq(code, "");
	ck_assert_int_eq(json_depth(out), 1000);
	{
		char *s = json_dumps(out, JSON_ENCODE_ANY | JSON_COMPACT);

		ck_assert_ptr_nonnull(s);
		ck_assert_uint_eq(strlen(s), 2000);
		free(s);
	}
	json_decref(out);
	run("$reduce([1..999], function($a,$v){[[$a]]}, [])", NULL, NULL, 1, code, NULL);
	ck_assert_str_eq(code, "");
	/* $string of a deep value is a string, not a result: no limit there */
	run("$length($string($reduce([1..5000], function($a,$v){[[$a]]}, [])))", NULL, NULL, 0, code, &out);
	ck_assert_str_eq(code, "");
	ck_assert(json_integer_value(out) == 10002); /* 5001 levels */
	json_decref(out);
}
END_TEST

#define DAG_OBJ  "$f := function($n){ $reduce([1..$n], function($a,$v){{\"x\":$a,\"y\":$a}}, {\"z\":1}) }; "
#define DAG_ARR  "$g := function($n){ $reduce([1..$n], function($a,$v){[[$a],[$a]]}, [{\"k\":0}]) }; "
#define DAG_ZERO "$h := function($n){ $reduce([1..$n], function($a,$v){[[$a],[$a]]}, [0]) }; "

START_TEST(test_dag_walks)
{
	static const char *const dag[] = {
		"(" DAG_OBJ "$f(60) = $f(60))",
		"(" DAG_OBJ "$f(60) != $f(60))",
		"(" DAG_OBJ "$count($distinct([$f(60), $f(60)])))",
		"(" DAG_ZERO "$h(60) ? \"t\" : \"f\")",
		"(" DAG_ZERO "$boolean($h(60)))",
		"(" DAG_ZERO "$not($h(60)))",
		"(" DAG_ZERO "$count($h(60)[$]))",
		"(" DAG_ARR "$keys($g(60)))",
		"(" DAG_ARR "$keys($g(20000)))",
		"(" DAG_ARR "$string($g(60)))",
		"(" DAG_OBJ "$sort([$f(60), $f(60)], function($a, $b){ $a = $b }))",
	};
	struct jsonata_limits lim = { .time_ms = 200 };
	char code[8];

	for (size_t i = 0; i < sizeof dag / sizeof dag[0]; i++) {
		long ms = run(dag[i], NULL, &lim, 0, code, NULL);

		/* the clock ends it, or the memory cap for a walk that keeps what
		 * it sees ($string: the text) */
		ck_assert_msg(strcmp(code, "D1012") == 0 || strcmp(code, "U1002") == 0, "%s: got \"%s\"",
			      dag[i], code);
		ck_assert_msg(ms < 1500, "%s: %s after %ld ms for a 200 ms limit", dag[i], code, ms);
		if (i < 9)
			ck_assert_msg(strcmp(code, "D1012") == 0, "%s: got \"%s\"", dag[i], code);
	}
	/* the results of such values, as jansson and as text: U1002 at once */
	for (int text = 0; text < 2; text++) {
		long ms = run("(" DAG_OBJ "$f(60))", NULL, &lim, text, code, NULL);

		ck_assert_str_eq(code, "U1002");
		ck_assert_msg(ms < 1500, "U1002 after %ld ms", ms);
	}
	/* an error whose message quotes such a value: written no further than
	 * the message keeps (511 bytes), not once per path */
	{
		long ms = run("(" DAG_OBJ "{$f(30): 1})", NULL, NULL, 0, code, NULL);

		ck_assert_str_eq(code, "T1003");
		ck_assert_msg(ms < 1000, "T1003 after %ld ms", ms);
	}
	/* small DAGs still compare and print right */
	{
		json_t *out;

		run("(" DAG_OBJ DAG_ZERO
		    "[$f(10) = $f(10), $f(10) = $f(9), $count($distinct([$f(8), $f(8), $f(9)])), "
		    "$h(10) ? 1 : 2, $length($string($f(2)))])",
		    NULL, NULL, 0, code, &out);
		ck_assert_str_eq(code, "");
		{
			char *s = json_dumps(out, JSON_COMPACT);

			/* {"x":{"x":{"z":1},"y":{"z":1}},"y":{...}}: 61 bytes */
			ck_assert_str_eq(s, "[true,false,2,2,61]");
			free(s);
		}
		json_decref(out);
	}
}
END_TEST

START_TEST(test_distinct_deep)
{
	static const char nine[] = "$count($distinct([1..9000].{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":{"
				   "\"a\":{\"a\":{\"a\":$}}}}}}}}}))";
	struct jsonata_limits lim = { .time_ms = 1000 };
	char code[8];
	json_t *out;
	long ms;

	ms = run(nine, NULL, &lim, 0, code, &out);
	ck_assert_msg(code[0] == 0, "got \"%s\" after %ld ms", code, ms);
	ck_assert(json_integer_value(out) == 9000);
	ck_assert_msg(ms < 1000, "9,000 deep items took %ld ms (5-20 s when their hashes collided)", ms);
	json_decref(out);
	/* equal deep values collapse whatever their key order; values that
	 * differ deep down do not */
	run("$distinct([{\"p\":{\"q\":[1,{\"r\":2,\"s\":3}]},\"t\":0}, "
	    "{\"t\":0,\"p\":{\"q\":[1,{\"s\":3,\"r\":2}]}}, "
	    "{\"t\":0,\"p\":{\"q\":[1,{\"s\":3,\"r\":4}]}}, [1,[2,[3]]], [1,[2,[3]]], [1,[2,[4]]]]) ~> "
	    "$count",
	    NULL, NULL, 0, code, &out);
	ck_assert_str_eq(code, "");
	ck_assert(json_integer_value(out) == 4);
	json_decref(out);
	/* 20 levels deep, 2000 items, each equal to one other */
	run("$count($distinct([1..2000].$reduce([1..20], function($a,$v){{\"n\":$a}}, $ % 1000)))", NULL,
	    NULL, 0, code, &out);
	ck_assert_str_eq(code, "");
	ck_assert(json_integer_value(out) == 1000);
	json_decref(out);
}
END_TEST

/* An extension that counts its calls and returns the number of items of
 * its first argument. */
static int ext_calls;

static int ext_size(void *ud, json_t *const *args, int nargs, json_t **out, struct jsonata_error *err)
{
	(void)ud;
	(void)err;
	ext_calls++;
	*out = json_integer(nargs && json_is_array(args[0]) ? (json_int_t)json_array_size(args[0]) : -1);
	return 0;
}

START_TEST(test_ext_args)
{
	struct jsonata_env *env = jsonata_env_new();
	struct jsonata_limits small = { .memory_max = 64u << 20 };
	char code[8];
	json_t *out;
	long ms;

	ck_assert_int_eq(jsonata_env_add(env, "size", NULL, ext_size, NULL), 0);
	/* fine */
	run("$size([1, 2, 3])", env, NULL, 0, code, &out);
	ck_assert_str_eq(code, "");
	ck_assert(json_integer_value(out) == 3);
	json_decref(out);
	/* a DAG (4M paths) or a shared 1 MB string 50,000 times: U1002 before
	 * the copy, the function not called */
	ext_calls = 0;
	ms = run("(" DAG_OBJ "$size([$f(22)]))", env, &small, 0, code, NULL);
	ck_assert_str_eq(code, "U1002");
	ck_assert_msg(ms < 1000, "U1002 after %ld ms", ms);
	ms = run("($s := $pad(\"\", 1000000, \"a\"); $size([1..50000].$s))", env, &small, 0, code, NULL);
	ck_assert_str_eq(code, "U1002");
	ck_assert_msg(ms < 1000, "U1002 after %ld ms", ms);
	ck_assert_int_eq(ext_calls, 0);
	/* nested too deeply to hand over: U1003 */
	run("$size($reduce([1..5000], function($a,$v){[[$a]]}, []))", env, NULL, 0, code, NULL);
	ck_assert_str_eq(code, "U1003");
	ck_assert_int_eq(ext_calls, 0);
	/* a loop of calls on a big argument keeps one copy at a time: 200
	 * calls on 2 MB of strings stay under a 64 MiB cap */
	run("($s := $pad(\"\", 10000, \"a\"); $sum([1..200].$size([1..200].$s)))", env, &small, 0, code,
	    &out);
	ck_assert_str_eq(code, "");
	ck_assert(json_integer_value(out) == 40000);
	json_decref(out);
	ck_assert_int_eq(ext_calls, 200);
	jsonata_env_free(env);
}
END_TEST

static long compile_ms(const char *expr, char code[8])
{
	struct jsonata_error err;
	struct jsonata *x = NULL;
	long t0 = now_ms();

	memset(&err, 0, sizeof err);
	code[0] = 0;
	if (jsonata_compile(expr, strlen(expr), &x, &err))
		snprintf(code, 8, "%s", err.code);
	jsonata_free(x);
	return now_ms() - t0;
}

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

START_TEST(test_compile_bounds)
{
	size_t n = 480000;
	char *s = malloc(2 * n + 2);
	char code[8];
	long rss0 = maxrss_kb(), ms;

	/* (1;1;...;1), [1,1,...], $f(1,1,...): ~1 MB each; 390 MB each before */
	static const char open[] = "([", close[] = ")]";
	for (int k = 0; k < 2; k++) {
		s[0] = open[k];
		for (size_t i = 0; i < n; i++)
			s[1 + 2 * i] = '1', s[2 + 2 * i] = k ? ',' : ';';
		s[2 * n] = close[k];
		s[2 * n + 1] = 0;
		ms = compile_ms(s, code);
		ck_assert_msg(strcmp(code, "S0500") == 0, "got \"%s\"", code);
		ck_assert_msg(ms < 2000, "S0500 after %ld ms", ms);
	}
	ck_assert_msg(maxrss_kb() - rss0 < 200 * 1024, "compiling took %ld KB", maxrss_kb() - rss0);
	/* 20,000 items still compile */
	n = 20000;
	s[0] = '[';
	for (size_t i = 0; i < n; i++)
		s[1 + 2 * i] = '1', s[2 + 2 * i] = ',';
	s[2 * n] = ']';
	s[2 * n + 1] = 0;
	compile_ms(s, code);
	ck_assert_str_eq(code, "");
	free(s);
	/* an object literal of 30,000 keys compiles in linear time (the literal
	 * keys' duplicate check was quadratic: 9 s for 40,000) */
	{
		size_t cap = 30000 * 24 + 4, len = 0;
		char *o = malloc(cap);

		o[len++] = '{';
		for (int i = 0; i < 30000; i++)
			len += (size_t)snprintf(o + len, cap - len, "%s\"k%d\":%d", i ? "," : "", i, i);
		o[len++] = '}';
		o[len] = 0;
		ms = compile_ms(o, code);
		ck_assert_str_eq(code, "");
		ck_assert_msg(ms < 1000, "30,000 keys compiled in %ld ms", ms);
		free(o);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jn_harden");
	TCase *tc = tcase_create("harden");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_deep_result);
	tcase_add_test(tc, test_dag_walks);
	tcase_add_test(tc, test_distinct_deep);
	tcase_add_test(tc, test_ext_args);
	tcase_add_test(tc, test_compile_bounds);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
