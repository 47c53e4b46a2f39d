/* util/utf8.c: text cut at character boundaries and cleaned to UTF-8, so
 * that an error cause can always become JSON; err_set's messages. */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "utf8.h"

#define EMOJI "\xf0\x9f\x98\x80" /* U+1F600, 4 bytes */

START_TEST(test_char_len)
{
	ck_assert_uint_eq(utf8_char_len("a", 1), 1);
	ck_assert_uint_eq(utf8_char_len("\xc3\xa9", 2), 2);
	ck_assert_uint_eq(utf8_char_len(EMOJI, 4), 4);
	ck_assert_uint_eq(utf8_char_len(EMOJI, 3), 0);              /* cut short */
	ck_assert_uint_eq(utf8_char_len("\xc0\xaf", 2), 0);         /* overlong */
	ck_assert_uint_eq(utf8_char_len("\xed\xa0\x80", 3), 0);     /* a surrogate */
	ck_assert_uint_eq(utf8_char_len("\xf4\x90\x80\x80", 4), 0); /* above U+10FFFF */
	ck_assert_uint_eq(utf8_char_len("\x80", 1), 0);
	ck_assert(utf8_valid("a" EMOJI "\xc3\xa9", 7));
	ck_assert(!utf8_valid("a" EMOJI, 4));
}
END_TEST

START_TEST(test_cut)
{
	const char *s = "a" EMOJI EMOJI; /* 9 bytes */

	ck_assert_int_eq(utf8_cut(s, 9), 9);
	ck_assert_int_eq(utf8_cut(s, 8), 5);
	ck_assert_int_eq(utf8_cut(s, 5), 5);
	ck_assert_int_eq(utf8_cut(s, 4), 1);
	ck_assert_int_eq(utf8_cut(s, 0), 0);
	ck_assert_int_eq(utf8_cut(s, 100), 9);
	ck_assert_int_eq(utf8_cut("ab\xff"
				  "cd",
				  4),
			 4);                             /* a stray byte is no boundary */
	ck_assert_int_eq(utf8_cut("ab\xf0\x9f", 10), 2); /* the text ends inside a character */
}
END_TEST

START_TEST(test_clean_and_json)
{
	char out[64];
	json_t *j;

	ck_assert_uint_eq(utf8_clean("a\xff"
				     "b",
				     3, out, sizeof out),
			  5);
	ck_assert_str_eq(out, "a\xef\xbf\xbd"
			      "b");
	/* no room for the whole of the last character: stopped before it */
	ck_assert_uint_eq(utf8_clean("ab" EMOJI, 6, out, 5), 2);
	ck_assert_str_eq(out, "ab");
	ck_assert_ptr_null(json_string("x" EMOJI "\xf0\x9f")); /* what lost causes */
	j = utf8_json_string("x" EMOJI "\xf0\x9f");
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(json_string_value(j), "x" EMOJI "\xef\xbf\xbd\xef\xbf\xbd");
	json_decref(j);
	j = utf8_json_string("plain");
	ck_assert_str_eq(json_string_value(j), "plain");
	json_decref(j);
	ck_assert_ptr_null(utf8_json_string(NULL));
}
END_TEST

START_TEST(test_snprintf)
{
	char out[8];

	/* "a" + 2 emojis = 9 bytes: cut at 7 would split the second */
	ck_assert_int_eq(utf8_snprintf(out, sizeof out, "a%s", EMOJI EMOJI), 9);
	ck_assert_str_eq(out, "a" EMOJI);
	ck_assert_int_eq(utf8_snprintf(out, sizeof out, "%s", "\xff"), 1);
	ck_assert_str_eq(out, "\xef\xbf\xbd");
}
END_TEST

/* The cause of the review: a message quoting 60 emojis at %.200s. */
START_TEST(test_err_set_stays_utf8)
{
	char text[300] = "a";
	struct err e;
	json_t *j;

	for (int i = 0; i < 60; i++)
		strcat(text, EMOJI);
	err_set(&e, ERR_STATES_RUNTIME, "expression '%.200s' failed", text);
	ck_assert_msg(utf8_valid(e.msg, strlen(e.msg)), "%s", e.msg);
	j = json_string(e.msg);
	ck_assert_ptr_nonnull(j);
	json_decref(j);
	ck_assert_ptr_nonnull(strstr(e.msg, "' failed"));
	/* a message cut by ERR_MSG_MAX inside a character */
	{
		char *big = malloc(ERR_MSG_MAX * 2);

		memset(big, 'x', ERR_MSG_MAX - 2);
		big[ERR_MSG_MAX - 2] = '\0';
		strcat(big, EMOJI EMOJI);
		err_setn(&e, "T", "%s", big);
		ck_assert_msg(utf8_valid(e.msg, strlen(e.msg)), "cut inside a character");
		ck_assert_uint_eq(strlen(e.msg), ERR_MSG_MAX - 2);
		free(big);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("utf8");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_char_len);
	tcase_add_test(tc, test_cut);
	tcase_add_test(tc, test_clean_and_json);
	tcase_add_test(tc, test_snprintf);
	tcase_add_test(tc, test_err_set_stays_utf8);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
