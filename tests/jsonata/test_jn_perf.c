/* The JSONata engine's fast paths give the same answers as the slow ones
 * they bypass (the goldens cover the common shapes; these go through the
 * edges of each fast path on purpose):
 *
 * - JSON string escaping copies 8 plain bytes at a time: every special byte
 *   (quote, backslash, control characters, 0xED: a lone surrogate or a
 *   Hangul syllable) at every position of strings 0..40 bytes long, written
 *   from the input as is (lazy) and from a constructed object, against a
 *   plain escaper written here;
 * - strings read from the input come back as the input's own json_t (a
 *   reference, not a copy), and strings built by the expression do not;
 * - the object constructor with literal keys and one input item builds the
 *   object without the group-by bookkeeping: key order, undefined values,
 *   the first error, duplicate keys (D1009), array-index keys (ordered
 *   first), an array of one item and of two (the general path);
 * - numbers print as the shortest decimal that reads back (the short-decimal
 *   path skips the candidates too far off to be worth a division): random
 *   prices, ratios and raw doubles against printf's digits;
 * - a compiled expression's arena is sized from the expression, not an
 *   evaluation's 16 KiB. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jn_ast.h"
#include "jsonata.h"

static struct jsonata *compile_ok(const char *expr)
{
	struct jsonata_error err;
	struct jsonata *x = NULL;

	memset(&err, 0, sizeof err);
	ck_assert_msg(jsonata_compile(expr, strlen(expr), &x, &err) == 0, "%s: %s %s", expr, err.code,
		      err.message);
	return x;
}

static json_t *eval_in(const char *expr, const json_t *input)
{
	struct jsonata_error err;
	struct jsonata *x = compile_ok(expr);
	json_t *out = NULL;

	memset(&err, 0, sizeof err);
	ck_assert_msg(jsonata_eval(x, input, NULL, NULL, &out, &err) == 0, "%s: %s %s", expr, err.code,
		      err.message);
	jsonata_free(x);
	return out;
}

/* The error code of evaluating EXPR on INPUT ("" when it succeeds). */
static void eval_code(const char *expr, const json_t *input, char code[8], char *msg, size_t msz)
{
	struct jsonata_error err;
	struct jsonata *x = compile_ok(expr);
	json_t *out = NULL;

	memset(&err, 0, sizeof err);
	code[0] = 0;
	if (jsonata_eval(x, input, NULL, NULL, &out, &err)) {
		snprintf(code, 8, "%s", err.code);
		snprintf(msg, msz, "%s", err.message);
	}
	json_decref(out);
	jsonata_free(x);
}

/* JSON.stringify of a string, the plain way: n bytes of s, quoted. */
static size_t ref_escape(const unsigned char *s, size_t n, char *out)
{
	size_t o = 0;

	out[o++] = '"';
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = s[i];

		switch (ch) {
		case '"': o += (size_t)sprintf(out + o, "\\\""); break;
		case '\\': o += (size_t)sprintf(out + o, "\\\\"); break;
		case '\b': o += (size_t)sprintf(out + o, "\\b"); break;
		case '\f': o += (size_t)sprintf(out + o, "\\f"); break;
		case '\n': o += (size_t)sprintf(out + o, "\\n"); break;
		case '\r': o += (size_t)sprintf(out + o, "\\r"); break;
		case '\t': o += (size_t)sprintf(out + o, "\\t"); break;
		default:
			if (ch < 0x20)
				o += (size_t)sprintf(out + o, "\\u%04x", ch);
			else
				out[o++] = (char)ch;
		}
	}
	out[o++] = '"';
	out[o] = 0;
	return o;
}

START_TEST(test_escape_every_position)
{
	/* the special bytes (a 3-byte Hangul syllable starts with 0xED) and
	 * plain ones around them (0x7F, a 2-byte letter) */
	static const char *const specials[] = { "\"", "\\",   "\n",       "\x01",        "\x1f",
						"\t", "\x7f", "\xc3\xa9", "\xed\x95\x9c" };
	struct jsonata *lazy = compile_ok("$string($)");
	struct jsonata *built = compile_ok("$string({\"s\": s})");
	char buf[128], want[512], esc[512];
	size_t checked = 0;

	for (size_t sp = 0; sp < sizeof specials / sizeof specials[0]; sp++) {
		size_t sl = strlen(specials[sp]);

		for (size_t n = 0; n <= 40; n++) {
			for (size_t p = 0; p <= n; p++) {
				struct jsonata *both[2] = { lazy, built };
				size_t len = 0;

				/* n plain bytes with the special one inserted at p
				 * (p == n: none) */
				for (size_t i = 0; i < n; i++) {
					if (i == p) {
						memcpy(buf + len, specials[sp], sl);
						len += sl;
					}
					buf[len++] = (char)('a' + i % 26);
				}
				json_t *in = json_pack("{s:s%}", "s", buf, len);

				ck_assert_ptr_nonnull(in);
				ref_escape((const unsigned char *)buf, len, esc);
				snprintf(want, sizeof want, "{\"s\":%s}", esc);
				for (int k = 0; k < 2; k++) {
					struct jsonata_error err;
					json_t *out = NULL;

					ck_assert_int_eq(jsonata_eval(both[k], in, NULL, NULL, &out, &err),
							 0);
					ck_assert_msg(json_is_string(out) &&
							      strcmp(json_string_value(out), want) == 0,
						      "%s, special %zu at %zu of %zu: got %s want %s",
						      k ? "built" : "lazy", sp, p, n,
						      json_is_string(out) ? json_string_value(out) : "?",
						      want);
					json_decref(out);
					checked++;
				}
				json_decref(in);
			}
		}
	}
	ck_assert_uint_gt(checked, 5000);
	jsonata_free(lazy);
	jsonata_free(built);
}
END_TEST

/* Lone surrogates (WTF-8 inside, from "\ud800" escapes) are escaped by
 * JSON.stringify, at any position (the 8-byte blocks must stop at them). */
START_TEST(test_escape_lone_surrogate)
{
	for (int pre = 0; pre <= 17; pre++) {
		char expr[128], want[128];
		json_t *v;

		snprintf(expr, sizeof expr, "$string([\"%.*s\\ud800z\"])", pre, "abcdefghijklmnopqrstuvwxyz");
		snprintf(want, sizeof want, "[\"%.*s\\ud800z\"]", pre, "abcdefghijklmnopqrstuvwxyz");
		v = eval_in(expr, NULL);
		ck_assert_msg(json_is_string(v) && strcmp(json_string_value(v), want) == 0, "%s: got %s",
			      expr, json_is_string(v) ? json_string_value(v) : "?");
		json_decref(v);
	}
}
END_TEST

START_TEST(test_input_strings_shared)
{
	json_t *in = json_pack("{s:s, s:{s:s}, s:i}", "s", "hello", "o", "t", "world", "n", 7);
	json_t *s = json_object_get(in, "s"), *t = json_object_get(json_object_get(in, "o"), "t");
	json_t *v;

	v = eval_in("s", in);
	ck_assert_ptr_eq(v, s); /* the input's own string */
	json_decref(v);
	v = eval_in("{\"a\": s, \"b\": o.t, \"c\": s & \"!\", \"d\": $uppercase(s)}", in);
	ck_assert_ptr_eq(json_object_get(v, "a"), s);
	ck_assert_ptr_eq(json_object_get(v, "b"), t);
	ck_assert_str_eq(json_string_value(json_object_get(v, "c")), "hello!");
	ck_assert_str_eq(json_string_value(json_object_get(v, "d")), "HELLO");
	json_decref(v);
	/* the references are counted: the result outlives the input */
	v = eval_in("[s, o.t]", in);
	json_decref(in);
	ck_assert_str_eq(json_string_value(json_array_get(v, 0)), "hello");
	ck_assert_str_eq(json_string_value(json_array_get(v, 1)), "world");
	json_decref(v);
}
END_TEST

/* An object constructor's result as compact JSON text (key order kept). */
static void check_obj(const char *expr, const char *input, const char *want)
{
	json_t *in = input ? json_loads(input, JSON_DECODE_ANY, NULL) : NULL;
	json_t *v = eval_in(expr, in);
	char *got = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;

	ck_assert_msg(got && strcmp(got, want) == 0, "%s on %s: got %s want %s", expr,
		      input ? input : "undefined", got ? got : "undefined", want);
	free(got);
	json_decref(v);
	json_decref(in);
}

START_TEST(test_object_constructor)
{
	char code[8], msg[256];

	check_obj("{\"b\": 1, \"a\": 2, \"c\": x}", "{\"x\": 3}", "{\"b\":1,\"a\":2,\"c\":3}");
	check_obj("{\"a\": nothing, \"b\": 1}", "{}", "{\"b\":1}");
	check_obj("{\"a\": nothing}", NULL, "{}");
	check_obj("{\"v\": x}", "[{\"x\": 5}]", "{\"v\":5}");
	check_obj("{\"v\": x}", "[{\"x\": 5}, {\"x\": 6}]", "{\"v\":[5,6]}");
	check_obj("{\"v\": $}", "[]", "{\"v\":[]}");
	/* array-index keys go first, ascending (not the fast path) */
	check_obj("{\"b\": 1, \"10\": 2, \"2\": 3}", "{}", "{\"2\":3,\"10\":2,\"b\":1}");
	/* group-by on a path of one item, and of several */
	check_obj("o{\"k\": v}", "{\"o\": {\"v\": 1}}", "{\"k\":1}");
	check_obj("o{k: v}", "{\"o\": [{\"k\": \"a\", \"v\": 1}, {\"k\": \"a\", \"v\": 2}]}",
		  "{\"a\":[1,2]}");
	/* the first value's error is the one raised */
	eval_code("{\"a\": $error(\"first\"), \"b\": $error(\"second\")}", NULL, code, msg, sizeof msg);
	ck_assert_str_eq(code, "D3137");
	ck_assert_msg(strstr(msg, "first") != NULL, "%s", msg);
	/* a key twice: D1009 (the general path) */
	eval_code("{\"a\": 1, \"a\": 2}", NULL, code, msg, sizeof msg);
	ck_assert_str_eq(code, "D1009");
	eval_code("{\"_jsonata_lambda\": 1}", NULL, code, msg, sizeof msg);
	ck_assert_str_eq(code, "D1013");
}
END_TEST

/* The significant digits of a number's text (sign, point, exponent and
 * leading/trailing zeros dropped). */
static int sig_digits(const char *s, char *out)
{
	int n = 0;

	for (; *s && *s != 'e' && *s != 'E'; s++)
		if (*s >= '0' && *s <= '9' && (n || *s != '0'))
			out[n++] = *s;
	while (n > 1 && out[n - 1] == '0')
		n--;
	out[n] = 0;
	return n;
}

START_TEST(test_numbers_shortest)
{
	uint64_t x = 0x9E3779B97F4A7C15ull;
	long checked = 0;

	for (long i = 0; i < 300000; i++) {
		double d;
		char ours[48], ref[48], od[32], rd[32];

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		switch (i % 4) {
		case 0: d = (double)(x % 10000000) / 100.0; break;          /* prices */
		case 1: d = (double)(x % 100000000) / 1000.0 * 1e-3; break; /* small decimals */
		case 2: d = (double)(x >> 11) / 9007199254740992.0; break;  /* ratios */
		default: {
			memcpy(&d, &x, sizeof d); /* any double */
			if (!isfinite(d) || d == 0)
				continue;
		}
		}
		if (d == 0)
			continue;
		jn_num_fmt(d, ours);
		ck_assert_msg(strtod(ours, NULL) == d, "%.17g printed %s", d, ours);
		/* the shortest digits printf finds that read back */
		for (int p = 1; p <= 17; p++) {
			snprintf(ref, sizeof ref, "%.*e", p - 1, d);
			if (strtod(ref, NULL) == d)
				break;
		}
		sig_digits(ours, od);
		sig_digits(ref, rd);
		ck_assert_msg(strlen(od) == strlen(rd), "%.17g: %s is not the shortest (%s)", d, ours, ref);
		/* $string's 15 digits: toPrecision(15) for a number that is not an
		 * integer (no ties on these; integers print in full, as the
		 * reference does) */
		if (d == floor(d)) {
			checked++;
			continue;
		}
		{
			/* an exact tie at the 16th digit: toPrecision rounds it away
			 * from zero, printf to even (tested by the goldens) */
			char exact[80], dg[80];
			snprintf(exact, sizeof exact, "%.60e", d);
			int nd = sig_digits(exact, dg);
			if (nd == 16 && dg[15] == '5') {
				checked++;
				continue;
			}
		}
		jn_num_fmt15(d, ours);
		snprintf(ref, sizeof ref, "%.14e", d);
		ck_assert_msg(strtod(ours, NULL) == strtod(ref, NULL), "%.17g: 15 digits %s, printf %s", d,
			      ours, ref);
		checked++;
	}
	ck_assert_int_gt(checked, 250000);
}
END_TEST

START_TEST(test_compile_arena_small)
{
	struct jsonata *x = compile_ok("$states.input.order.id");

	/* an evaluation's first chunk is 16 KiB; this tree needs ~5 */
	ck_assert_uint_lt(x->c->arena.total, 8u << 10);
	jsonata_free(x);
	/* a long expression still compiles (its arena grows) and runs */
	{
		static char expr[4000];
		size_t n = 0;
		json_t *v;

		for (int i = 0; i < 500; i++)
			n += (size_t)snprintf(expr + n, sizeof expr - n, "%s%d", i ? " + " : "", i);
		v = eval_in(expr, NULL);
		ck_assert(json_is_integer(v) && json_integer_value(v) == 499 * 500 / 2);
		json_decref(v);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jsonata-perf");
	TCase *tc = tcase_create("fast paths");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_escape_every_position);
	tcase_add_test(tc, test_escape_lone_surrogate);
	tcase_add_test(tc, test_input_strings_shared);
	tcase_add_test(tc, test_object_constructor);
	tcase_add_test(tc, test_numbers_shortest);
	tcase_add_test(tc, test_compile_arena_small);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? 1 : 0;
}
