/* jsonload_buf must give exactly what json_loadb gives: the same values
 * (types, key order, numbers) or NULL with jansson's error. Fixed cases,
 * then many random mutations of valid documents, all compared with
 * json_loadb under each combination of the flags tutti uses. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "jsonload.h"

static const size_t flag_sets[] = { 0, JSON_REJECT_DUPLICATES, JSON_DECODE_ANY,
				    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY };

/* 0 when both agree on `text`. */
static int differs(const char *text, size_t len, size_t flags)
{
	json_error_t e1, e2;
	json_t *a = jsonload_buf(text, len, flags, &e1), *b = json_loadb(text, len, flags, &e2);
	int r = 0;

	if (!a || !b) {
		r = (a != NULL) != (b != NULL) || strcmp(e1.text, e2.text);
	} else {
		char *da = json_dumps(a, JSON_ENCODE_ANY | JSON_COMPACT);
		char *db = json_dumps(b, JSON_ENCODE_ANY | JSON_COMPACT);

		r = !json_equal(a, b) || !da || !db || strcmp(da, db);
		free(da);
		free(db);
	}
	json_decref(a);
	json_decref(b);
	return r;
}

static void check_all(const char *text, size_t len)
{
	for (size_t f = 0; f < sizeof flag_sets / sizeof flag_sets[0]; f++)
		ck_assert_msg(!differs(text, len, flag_sets[f]), "jsonload and json_loadb differ on [%.*s] flags %zu",
			      (int)len, text, flag_sets[f]);
}

static const char *const cases[] = {
	"{}", "[]", " { } ", "{\"a\":1}", "{\"a\":1,\"a\":2}", "[1,2,3]", "[1,]", "{\"a\":1,}", "{,}", "[,]",
	"1", "-1", "-0", "-0.0", "0", "01", "-", "1.", ".5", "1e5", "1E+5", "1e-5", "1e", "1e+", "1.5e300",
	"1e400", "-1e400", "1e-400", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
	"-9223372036854775809", "123456789012345678", "1234567890123456789", "0.1", "[0.30000000000000004]",
	"\"abc\"", "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "\"\\u0041\\u00e9\\u20ac\"", "\"\\ud834\\udd1e\"",
	"\"\\ud834\"", "\"\\udd1e\"", "\"\\ud834\\u0041\"", "\"\\u0000\"", "\"\\u00\"", "\"\\x\"", "\"a\nb\"",
	"\"\x7f\"", "\"\xc3\xa9\"", "\"\xc3\"", "\"\xc0\x80\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"",
	"\"\xf0\x9f\x98\x80\"", "\"\xe0\x80\x80\"", "\"\xff\"", "true", "false", "null", "tru", "truex",
	"[true,false,null]", "[nul]", "{\"a\" 1}", "{\"a\":}", "{a:1}", "{\"a\":1} x", "{\"a\":1}\n", "",
	"   ", "{\"\":0}", "{\"k\\u0000\":1}", "{\"\\u00e9\":{\"b\":[1,{\"c\":\"d\"}]}}", "[[[[[[]]]]]]",
	"{\"a\":1,\"b\":2,\"a\":3}", "{\"x\\ny\":1,\"x\\u000ay\":2}", "[1 2]", "[\"a\" \"b\"]", "\xef\xbb\xbf{}",
	"{\"a\":[1,2,{\"b\":null}],\"c\":\"\xe2\x82\xac\",\"d\":-12.5e-3}",
};

START_TEST(test_cases)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_all(cases[i], strlen(cases[i]));
	/* A NUL byte inside the buffer, and a buffer not NUL-terminated. */
	check_all("[1]\0", 4);
	check_all("{\"a\":\"b\0c\"}", 11);
	check_all("[123]x", 5);
}
END_TEST

START_TEST(test_deep)
{
	static char buf[2 * 3000 + 1];

	for (int depth = 100; depth <= 3000; depth += 700) {
		memset(buf, '[', (size_t)depth);
		memset(buf + depth, ']', (size_t)depth);
		check_all(buf, 2 * (size_t)depth);
	}
}
END_TEST

START_TEST(test_mutations)
{
	static const char *const seeds[] = {
		"{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Result\":{\"x\":1.5,\"y\":[true,null,-3]},\"End\":true}}}",
		"[\"\\u00e9\\ud834\\udd1e\\n\",123456789,-0.25e+2,{\"k\":\"v\",\"k2\":[]}]",
		"{\"a\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\"b\":{\"c\":{\"d\":[1,2,3]}},\"a2\":false}",
	};
	static const char alphabet[] = "{}[]\",:\\/u0123456789abcdefABCDEF+-.eEtrufalsn \t\n\r\x01\x1f\x7f"
				       "\x80\xbf\xc3\xa9\xed\xa0\xf0\xf4\xff";
	char buf[512];

	srand(42);
	for (int it = 0; it < 20000; it++) {
		const char *s = seeds[it % 3];
		size_t len = strlen(s);
		int edits = 1 + rand() % 3;

		memcpy(buf, s, len);
		for (int k = 0; k < edits; k++) {
			size_t at = (size_t)rand() % (len + 1);
			char c = alphabet[(size_t)rand() % (sizeof alphabet - 1)];

			switch (rand() % 3) {
			case 0: /* replace */
				if (at < len)
					buf[at] = c;
				break;
			case 1: /* insert */
				if (len + 1 < sizeof buf) {
					memmove(buf + at + 1, buf + at, len - at);
					buf[at] = c;
					len++;
				}
				break;
			default: /* delete */
				if (at < len) {
					memmove(buf + at, buf + at + 1, len - at - 1);
					len--;
				}
			}
		}
		check_all(buf, len);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jsonload");
	TCase *tc = tcase_create("jsonload");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_cases);
	tcase_add_test(tc, test_deep);
	tcase_add_test(tc, test_mutations);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
