/* history: appending, ids, chunk growth, rendering as GetExecutionHistory
 * shows it, streaming, and a reader running while the writer appends. */
#include <check.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"

static uint32_t add(struct history *h, enum history_type t, uint32_t prev, const char *name,
		    json_t *data_take)
{
	struct history_event ev = { .type = (uint16_t)t, .prev = prev, .name = name,
				    .data = data_take, .num = -1, .num2 = -1 };

	return history_append_take(h, &ev);
}

START_TEST(test_append_and_read)
{
	struct history *h = history_new();
	json_t *in = json_pack("{s:i}", "a", 1);
	const struct history_event *ev;

	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(history_count(h), 0);
	ck_assert_uint_eq(add(h, HIST_EXECUTION_STARTED, 0, NULL, json_incref(in)), 1);
	ck_assert_uint_eq(add(h, HIST_PASS_STATE_ENTERED, 1, "S", json_incref(in)), 2);
	ck_assert_uint_eq(history_count(h), 2);
	ev = history_get(h, 1);
	ck_assert_uint_eq(ev->id, 2);
	ck_assert_uint_eq(ev->prev, 1);
	ck_assert_str_eq(ev->name, "S");
	ck_assert_ptr_eq(ev->data, in);     /* a reference, not a copy */
	ck_assert_int_eq(in->refcount, 3);
	ck_assert(ev->ts_us > 1600000000000000LL);
	history_free(h);
	ck_assert_int_eq(in->refcount, 1);  /* references released */
	json_decref(in);
	history_free(NULL);
}
END_TEST

START_TEST(test_many_events)
{
	struct history *h = history_new();
	size_t i, n = 100000;

	for (i = 0; i < n; i++)
		ck_assert_uint_eq(add(h, HIST_PASS_STATE_ENTERED, (uint32_t)i, "S", json_integer((json_int_t)i)),
				  i + 1);
	ck_assert_uint_eq(history_count(h), n);
	for (i = 0; i < n; i += 997) {
		const struct history_event *ev = history_get(h, i);

		ck_assert_uint_eq(ev->id, i + 1);
		ck_assert_int_eq(json_integer_value(ev->data), (json_int_t)i);
	}
	ck_assert_int_eq(json_integer_value(history_get(h, n - 1)->data), (json_int_t)(n - 1));
	history_free(h);
}
END_TEST

START_TEST(test_type_names)
{
	ck_assert_str_eq(history_type_name(HIST_EXECUTION_STARTED), "ExecutionStarted");
	ck_assert_str_eq(history_type_name(HIST_LAMBDA_FUNCTION_SCHEDULED), "LambdaFunctionScheduled");
	ck_assert_str_eq(history_type_name(HIST_MAP_ITERATION_SUCCEEDED), "MapIterationSucceeded");
	ck_assert_str_eq(history_type_name(HIST_TASK_TIMED_OUT), "TaskTimedOut");
	ck_assert_str_eq(history_type_name((enum history_type)HIST__COUNT), "?");
}
END_TEST

static json_t *details(json_t *ev, const char *key)
{
	json_t *d = json_object_get(ev, key);

	ck_assert_msg(json_is_object(d), "no %s", key);
	return d;
}

START_TEST(test_event_json)
{
	struct history_event ev = { .type = HIST_PASS_STATE_EXITED, .id = 3, .prev = 2,
				    .ts_us = 1712345678123456LL, .name = "Step", .num = -1, .num2 = -1 };
	json_t *out = json_pack("{s:[i,s]}", "x", 1, "y"), *j, *d;

	ev.data = out;
	j = history_event_json(&ev);
	ck_assert_str_eq(json_string_value(json_object_get(j, "type")), "PassStateExited");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "id")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "previousEventId")), 2);
	ck_assert(json_real_value(json_object_get(j, "timestamp")) > 1712345678.12 &&
		  json_real_value(json_object_get(j, "timestamp")) < 1712345678.124);
	d = details(j, "stateExitedEventDetails");
	ck_assert_str_eq(json_string_value(json_object_get(d, "name")), "Step");
	/* inputs and outputs are JSON text, as the API carries them */
	ck_assert_str_eq(json_string_value(json_object_get(d, "output")), "{\"x\":[1,\"y\"]}");
	ck_assert(json_is_false(json_object_get(json_object_get(d, "outputDetails"), "truncated")));
	json_decref(j);

	ev.type = HIST_EXECUTION_FAILED;
	ev.data = json_string("E");
	ev.data2 = json_string("C");
	j = history_event_json(&ev);
	d = details(j, "executionFailedEventDetails");
	ck_assert_str_eq(json_string_value(json_object_get(d, "error")), "E");
	ck_assert_str_eq(json_string_value(json_object_get(d, "cause")), "C");
	json_decref(j);
	json_decref(ev.data);
	json_decref(ev.data2);

	ev.type = HIST_LAMBDA_FUNCTION_SCHEDULED;
	ev.resource = "arn:aws:lambda:us-east-1:1:function:f";
	ev.data = out;
	ev.data2 = NULL;
	ev.num = 30;
	j = history_event_json(&ev);
	d = details(j, "lambdaFunctionScheduledEventDetails");
	ck_assert_str_eq(json_string_value(json_object_get(d, "resource")), ev.resource);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "timeoutInSeconds")), 30);
	ck_assert_str_eq(json_string_value(json_object_get(d, "input")), "{\"x\":[1,\"y\"]}");
	json_decref(j);

	ev.type = HIST_TASK_SCHEDULED;
	ev.name = "lambda";
	ev.resource = "invoke";
	ev.data2 = json_string("local");
	ev.num = -1;
	ev.num2 = 5;
	j = history_event_json(&ev);
	d = details(j, "taskScheduledEventDetails");
	ck_assert_str_eq(json_string_value(json_object_get(d, "resourceType")), "lambda");
	ck_assert_str_eq(json_string_value(json_object_get(d, "resource")), "invoke");
	ck_assert_str_eq(json_string_value(json_object_get(d, "region")), "local");
	ck_assert_str_eq(json_string_value(json_object_get(d, "parameters")), "{\"x\":[1,\"y\"]}");
	ck_assert_ptr_null(json_object_get(d, "timeoutInSeconds"));
	ck_assert_int_eq(json_integer_value(json_object_get(d, "heartbeatInSeconds")), 5);
	json_decref(j);
	json_decref(ev.data2);

	ev.type = HIST_MAP_ITERATION_STARTED;
	ev.name = "M";
	ev.num = 7;
	j = history_event_json(&ev);
	d = details(j, "mapIterationStartedEventDetails");
	ck_assert_int_eq(json_integer_value(json_object_get(d, "index")), 7);
	ck_assert_str_eq(json_string_value(json_object_get(d, "name")), "M");
	json_decref(j);

	ev.type = HIST_PARALLEL_STATE_STARTED;   /* no details */
	j = history_event_json(&ev);
	ck_assert_uint_eq(json_object_size(j), 4);
	json_decref(j);
	json_decref(out);
}
END_TEST

/* assignedVariables: each value as JSON text, beside an untruncated flag;
 * absent when nothing was assigned. EvaluationFailed: error, cause, the
 * location (a span of the cause) and the state. */
START_TEST(test_assigned_and_evaluation_failed)
{
	static const char cause[] = "The JSONata expression '$x' specified for the field "
				    "'Output/a[0]' returned nothing (undefined).";
	struct history_event ev = { .type = HIST_CHOICE_STATE_EXITED, .id = 4, .prev = 3,
				    .name = "C", .num = -1, .num2 = -1 };
	json_t *j, *d, *a;
	const char *loc;

	ev.data = json_object();
	ev.data2 = json_pack("{s:i, s:s, s:{s:[n,b]}, s:n}", "n", 2, "s", "hi", "o", "a", 1, "z");
	j = history_event_json(&ev);
	d = details(j, "stateExitedEventDetails");
	a = json_object_get(d, "assignedVariables");
	ck_assert_uint_eq(json_object_size(a), 4);
	ck_assert_str_eq(json_string_value(json_object_get(a, "n")), "2");
	ck_assert_str_eq(json_string_value(json_object_get(a, "s")), "\"hi\"");
	ck_assert_str_eq(json_string_value(json_object_get(a, "o")), "{\"a\":[null,true]}");
	ck_assert_str_eq(json_string_value(json_object_get(a, "z")), "null");
	ck_assert(json_is_false(json_object_get(json_object_get(d, "assignedVariablesDetails"),
						"truncated")));
	json_decref(j);
	json_decref(ev.data2);

	/* nothing assigned (no Assign, or an empty one): no field at all */
	ev.data2 = json_object();
	j = history_event_json(&ev);
	d = details(j, "stateExitedEventDetails");
	ck_assert_ptr_null(json_object_get(d, "assignedVariables"));
	ck_assert_ptr_null(json_object_get(d, "assignedVariablesDetails"));
	json_decref(j);
	json_decref(ev.data2);
	json_decref(ev.data);

	ev.type = HIST_EVALUATION_FAILED;
	ev.data = json_string("States.QueryEvaluationError");
	ev.data2 = json_string(cause);
	loc = strstr(cause, "Output/a[0]");
	ev.num = (int32_t)(loc - cause);
	ev.num2 = (int32_t)strlen("Output/a[0]");
	j = history_event_json(&ev);
	ck_assert_str_eq(json_string_value(json_object_get(j, "type")), "EvaluationFailed");
	d = details(j, "evaluationFailedEventDetails");
	ck_assert_uint_eq(json_object_size(d), 4);
	ck_assert_str_eq(json_string_value(json_object_get(d, "error")), "States.QueryEvaluationError");
	ck_assert_str_eq(json_string_value(json_object_get(d, "cause")), cause);
	ck_assert_str_eq(json_string_value(json_object_get(d, "location")), "Output/a[0]");
	ck_assert_str_eq(json_string_value(json_object_get(d, "state")), "C");
	json_decref(j);

	/* a span outside the cause is no location, never a read past it */
	ev.num = (int32_t)strlen(cause) - 2;
	ev.num2 = 10;
	j = history_event_json(&ev);
	d = details(j, "evaluationFailedEventDetails");
	ck_assert_ptr_null(json_object_get(d, "location"));
	ck_assert_str_eq(json_string_value(json_object_get(d, "state")), "C");
	json_decref(j);
	json_decref(ev.data);
	json_decref(ev.data2);
}
END_TEST

START_TEST(test_to_json_and_write)
{
	struct history *h = history_new();
	json_t *all, *parsed;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	add(h, HIST_EXECUTION_STARTED, 0, NULL, json_pack("{s:s}", "k", "v"));
	add(h, HIST_SUCCEED_STATE_ENTERED, 1, "Done", json_null());
	all = history_to_json(h);
	ck_assert_uint_eq(json_array_size(json_object_get(all, "events")), 2);
	ck_assert_int_eq(history_write(h, f), 0);
	fclose(f);
	parsed = json_loads(text, 0, NULL);
	ck_assert_msg(parsed, "history_write is not JSON: %s", text);
	ck_assert_uint_eq(json_array_size(json_object_get(parsed, "events")), 2);
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(json_array_get(json_object_get(parsed, "events"), 0),
						 "executionStartedEventDetails"), "input")),
			 "{\"k\":\"v\"}");
	json_decref(parsed);
	json_decref(all);
	free(text);
	history_free(h);
}
END_TEST

/* A reader walking the history while the writer appends sees consistent
 * events (ids match positions) and never an unfinished one. */
static struct history *shared;
static atomic_bool writing;

static void *reader(void *arg)
{
	size_t seen = 0;

	(void)arg;
	while (atomic_load(&writing) || seen < history_count(shared)) {
		size_t n = history_count(shared), i;

		for (i = seen; i < n; i++) {
			const struct history_event *ev = history_get(shared, i);

			if (ev->id != i + 1 || json_integer_value(ev->data) != (json_int_t)i)
				return (void *)1;
		}
		seen = n;
	}
	return NULL;
}

START_TEST(test_concurrent_reader)
{
	pthread_t th;
	void *bad;
	size_t i;

	shared = history_new();
	atomic_store(&writing, true);
	pthread_create(&th, NULL, reader, NULL);
	for (i = 0; i < 50000; i++)
		add(shared, HIST_PASS_STATE_ENTERED, 0, "S", json_integer((json_int_t)i));
	atomic_store(&writing, false);
	pthread_join(th, &bad);
	ck_assert_ptr_null(bad);
	history_free(shared);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("history");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_append_and_read);
	tcase_add_test(tc, test_many_events);
	tcase_add_test(tc, test_type_names);
	tcase_add_test(tc, test_event_json);
	tcase_add_test(tc, test_assigned_and_evaluation_failed);
	tcase_add_test(tc, test_to_json_and_write);
	tcase_add_test(tc, test_concurrent_reader);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
