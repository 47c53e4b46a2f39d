/* jsonmem: values made before install, during, from other threads and
 * after jsonmem_disable() are all freed by the right allocator; json_dumps
 * results are free()able; contents survive reuse of freed blocks. */
#include <check.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonmem.h"

static json_t *make(int i)
{
	char key[32], big[2000];

	snprintf(key, sizeof key, "k%d", i);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	return json_pack("{s:i, s:s, s:[f, b, n], s:s}", key, i, "name", key, "list", 1.5, 1, "big", big);
}

static void *thread_fn(void *arg)
{
	json_t **out = arg;

	for (int i = 0; i < 1000; i++) {
		json_t *v = make(i);

		json_decref(v);
	}
	*out = make(42); /* freed by the main thread */
	return NULL;
}

START_TEST(test_mixed)
{
	json_t *before = make(1), *during, *after, *other = NULL;
	pthread_t th;
	char *s;

	ck_assert_ptr_nonnull(before);
	jsonmem_install(); /* false under sanitizers: still correct */
	during = make(2);
	for (int round = 0; round < 3; round++) {
		json_t *a = json_array();

		for (int i = 0; i < 5000; i++)
			json_array_append_new(a, make(i));
		ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(a, 4321), "k4321")), 4321);
		json_decref(a);
	}
	ck_assert_int_eq(pthread_create(&th, NULL, thread_fn, &other), 0);
	pthread_join(th, NULL);
	ck_assert_ptr_nonnull(other);
	s = json_dumps(other, JSON_COMPACT | JSON_SORT_KEYS);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(strstr(s, "\"k42\":42"));
	free(s); /* malloc'd, as jansson documents */
	json_decref(other);
	jsonmem_disable();
	after = make(3);
	ck_assert_int_eq(json_integer_value(json_object_get(before, "k1")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(during, "k2")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(after, "k3")), 3);
	json_decref(before);
	json_decref(during);
	json_decref(after);
	s = json_dumps(json_null(), JSON_ENCODE_ANY);
	ck_assert_str_eq(s, "null");
	free(s);
	ck_assert_ptr_null(json_dumps(json_null(), 0)); /* not an object or array */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jsonmem");
	TCase *tc = tcase_create("jsonmem");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_mixed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
