#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"

START_TEST(test_append_and_cap)
{
	struct buf b;

	buf_init(&b, 8);
	ck_assert_int_eq(buf_puts(&b, "abcd"), 0);
	ck_assert_int_eq(buf_puts(&b, "efgh"), 0);
	ck_assert_int_eq(buf_puts(&b, "i"), -EMSGSIZE);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_str_eq(b.data, "abcdefgh");
	buf_free(&b);
}
END_TEST

START_TEST(test_printf_take)
{
	struct buf b;
	char *s;

	buf_init(&b, 0);
	ck_assert_int_eq(buf_printf(&b, "%d-%s", 42, "x"), 0);
	s = buf_take(&b);
	ck_assert_str_eq(s, "42-x");
	ck_assert_ptr_null(b.data);
	free(s);
}
END_TEST

START_TEST(test_err_names)
{
	struct err e = { 0 };

	ck_assert_str_eq(err_name(ERR_SANDBOX_TIMEDOUT), "Sandbox.Timedout");
	ck_assert_int_eq(err_set(&e, ERR_RUNTIME_OOM, "limit %d", 128), -1);
	ck_assert(err_is(&e, ERR_RUNTIME_OOM));
	ck_assert_str_eq(e.msg, "limit 128");
	err_clear(&e);
	ck_assert(!err_isset(&e));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("buf");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_append_and_cap);
	tcase_add_test(tc, test_printf_take);
	tcase_add_test(tc, test_err_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
