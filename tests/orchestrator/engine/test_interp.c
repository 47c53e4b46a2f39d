/* The ASL interpreter: golden cases from tests/data/interp/ (*.json files) plus
 * engine API tests (threads, abort, integrations, task tokens).
 *
 * A golden case is an object:
 *   {"name": N, "definition": D, "input"?: I,
 *    "expected": X                          the output (numbers by value), or
 *    "error": E, "cause"?: C                a failed execution (cause exact
 *                                           when given; "cause_prefix"?: P)
 *    "status"?: "TIMED_OUT"|"FAILED"        (default FAILED with "error")
 *    "wait_scale"?: F (default 0)           Wait/Retry delays multiplied by F
 *    "type"?: "STANDARD"|"EXPRESS" (default STANDARD), "history_max"?: N
 *    "name_of_execution"?: S, "machine_name"?: S
 *    "input_big_string"?: N                 input.s = N 'x' characters
 *    "expected_input"?: true                the output is the input
 *    "null_error"?: true                    failed with no error name
 *    "history"?: [types...]                 the exact event type sequence
 *    "history_has"?: [types...]             types that must appear
 *    "min_ms"?: T, "max_ms"?: T}            wall time bounds
 * Cases whose machine calls a function get a runtime with the example
 * functions (echo, add, fail, flaky, sleep) bound.
 * TUTTI_TESTDATA overrides the data folder (default tests/data). */
#include <check.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "asl.h"
#include "engine.h"
#include "fsutil.h"
#include "jsonpath.h"
#include "rt.h"

#include "golden.h"

static json_t *cases;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

static bool calls_functions(const struct asl_machine *m)
{
	for (size_t i = 0; i < m->n_states; i++) {
		const struct asl_state *st = &m->states[i];

		if (st->type == ASL_TASK && (st->task.kind == ASL_RES_FUNCTION ||
					     (st->task.service && !strcmp(st->task.service, "lambda"))))
			return true;
		if (st->type == ASL_PARALLEL)
			for (size_t b = 0; b < st->parallel.n_branches; b++)
				if (calls_functions(st->parallel.branches[b]))
					return true;
		if (st->type == ASL_MAP && calls_functions(st->map.processor))
			return true;
	}
	return false;
}

static const char *fn_path(const char *name, char *buf, size_t n)
{
	snprintf(buf, n, "%s/%s/functions/%s.so", getenv("TUTTI_TOP") ? getenv("TUTTI_TOP") : ".",
		 getenv("BUILD") ? getenv("BUILD") : "build", name);
	return buf;
}

static const char *status_name(enum engine_status s)
{
	static const char *const names[] = { "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED" };

	return names[s];
}

static void check_history(const char *where, json_t *c, const struct history *h)
{
	json_t *want = json_object_get(c, "history"), *has = json_object_get(c, "history_has"), *t;
	size_t i, n = history_count(h);
	char got[8192];
	size_t off = 0;

	got[0] = '\0';
	for (i = 0; i < n && off < sizeof got - 64; i++)
		off += (size_t)snprintf(got + off, sizeof got - off, "%s%s", i ? "," : "",
					history_type_name(history_get(h, i)->type));
	if (want) {
		ck_assert_msg(json_array_size(want) == n, "%s: %zu events, want %zu: %s", where, n,
			      json_array_size(want), got);
		json_array_foreach(want, i, t)
			ck_assert_msg(!strcmp(json_string_value(t),
					      history_type_name(history_get(h, i)->type)),
				      "%s: event %zu is %s, want %s (%s)", where, i + 1,
				      history_type_name(history_get(h, i)->type), json_string_value(t), got);
	}
	json_array_foreach(has, i, t)
		ck_assert_msg(strstr(got, json_string_value(t)), "%s: no %s event in %s", where,
			      json_string_value(t), got);
	/* ids are 1..n and previous ids point backwards */
	for (i = 0; i < n; i++) {
		const struct history_event *ev = history_get(h, i);

		ck_assert_uint_eq(ev->id, i + 1);
		ck_assert_msg(ev->prev < ev->id, "%s: event %u has previousEventId %u", where, ev->id,
			      ev->prev);
	}
}

START_TEST(test_golden)
{
	json_t *c = json_array_get(cases, (size_t)_i);
	const char *where = json_string_value(json_object_get(c, "_where"));
	json_t *expected = json_object_get(c, "expected"), *input = json_object_get(c, "input");
	const char *want_err = json_string_value(json_object_get(c, "error"));
	const char *want_status = json_string_value(json_object_get(c, "status"));
	const char *type = json_string_value(json_object_get(c, "type"));
	json_t *ws = json_object_get(c, "wait_scale"), *big = json_object_get(c, "input_big_string");
	char *def = json_dumps(json_object_get(c, "definition"), 0);
	char home[] = "/tmp/tutti-test-interp.XXXXXX", path[PATH_MAX];
	struct engine_start_args a = { 0 };
	struct engine_options o;
	struct engine_exec *x = NULL;
	struct engine *eng;
	struct asl_diag diag;
	struct asl_machine *m;
	struct rt *rt = NULL;
	struct err e;
	double t0, ms;

	asl_diag_init(&diag);
	m = asl_compile(def, strlen(def), &diag);
	ck_assert_msg(m, "%s: does not compile: %s", where, diag.count ? diag.lines[0] : "?");
	engine_options_init(&o);
	o.wait_scale = ws ? json_number_value(ws) : 0;
	if (json_object_get(c, "history_max"))
		o.history_max = (unsigned)json_integer_value(json_object_get(c, "history_max"));
	if (calls_functions(m)) {
		struct rt_options ro = { 0 };

		ck_assert_ptr_nonnull(mkdtemp(home));
		ro.home = home;
		ro.quiet = true;
		rt = rt_new(&ro, &e);
		ck_assert_msg(rt, "%s: rt_new: %s: %s", where, e.type, e.msg);
		o.rt = rt;
	}
	eng = engine_new(&o, &e);
	ck_assert_ptr_nonnull(eng);
	if (rt) {
		static const char *const fns[] = { "echo", "add", "fail", "flaky", "sleep" };

		for (size_t i = 0; i < 5; i++) {
			struct fn_config cfg;

			fnconf_defaults(&cfg, fns[i], fn_path(fns[i], path, sizeof path));
			ck_assert_int_eq(engine_bind_function(eng, fns[i], &cfg), 0);
		}
	}
	if (big) {
		size_t n = (size_t)json_integer_value(big);
		char *s = malloc(n + 1);

		memset(s, 'x', n);
		s[n] = '\0';
		input = json_pack("{s:s}", "s", s);
		free(s);
	} else {
		input = input ? json_incref(input) : json_object();
	}
	a.machine = m;
	a.input = input;
	a.name = json_string_value(json_object_get(c, "name_of_execution"));
	a.machine_name = json_string_value(json_object_get(c, "machine_name"));
	a.type = type && !strcmp(type, "EXPRESS") ? ENGINE_EXPRESS : ENGINE_STANDARD;
	t0 = now_ms();
	if (engine_run(eng, &a, &x, &e)) {
		/* refused before it ran: compare like a failure */
		ck_assert_msg(want_err, "%s: engine_run: %s: %s", where, e.type, e.msg);
		ck_assert_str_eq(e.type, want_err);
		goto out;
	}
	ms = now_ms() - t0;
	if (want_err) {
		const char *cause = json_string_value(json_object_get(c, "cause"));
		const char *prefix = json_string_value(json_object_get(c, "cause_prefix"));
		char *g = golden_show(engine_exec_output(x));

		ck_assert_msg(engine_exec_status(x) != ENGINE_SUCCEEDED,
			      "%s: succeeded with %s, want error %s", where, g, want_err);
		free(g);
		ck_assert_msg(engine_exec_error(x) && !strcmp(engine_exec_error(x), want_err),
			      "%s: error %s (%s), want %s", where,
			      engine_exec_error(x) ? engine_exec_error(x) : "(null)",
			      engine_exec_cause(x) ? engine_exec_cause(x) : "", want_err);
		if (cause)
			ck_assert_msg(engine_exec_cause(x) && !strcmp(engine_exec_cause(x), cause),
				      "%s: cause '%s', want '%s'", where, engine_exec_cause(x), cause);
		if (prefix)
			ck_assert_msg(engine_exec_cause(x) &&
				      !strncmp(engine_exec_cause(x), prefix, strlen(prefix)),
				      "%s: cause '%s', want it to start with '%s'", where,
				      engine_exec_cause(x), prefix);
		ck_assert_str_eq(status_name(engine_exec_status(x)), want_status ? want_status : "FAILED");
	} else if (json_object_get(c, "null_error")) {
		ck_assert_int_eq(engine_exec_status(x), ENGINE_FAILED);
		ck_assert_ptr_null(engine_exec_error(x));
	} else {
		char *g, *w;

		if (json_is_true(json_object_get(c, "expected_input")))
			expected = input;
		g = golden_show(engine_exec_output(x));
		w = golden_show(expected);

		ck_assert_msg(engine_exec_status(x) == ENGINE_SUCCEEDED, "%s: %s: %s: %s", where,
			      status_name(engine_exec_status(x)),
			      engine_exec_error(x) ? engine_exec_error(x) : "(null)",
			      engine_exec_cause(x) ? engine_exec_cause(x) : "");
		ck_assert_msg(jsonpath_value_equal(engine_exec_output(x), expected),
			      "%s: output %s, want %s", where, g, w);
		free(g);
		free(w);
	}
	check_history(where, c, engine_exec_history(x));
	if (json_object_get(c, "min_ms"))
		ck_assert_msg(ms >= json_number_value(json_object_get(c, "min_ms")),
			      "%s: took %.0f ms, want at least %.0f", where, ms,
			      json_number_value(json_object_get(c, "min_ms")));
	if (json_object_get(c, "max_ms"))
		ck_assert_msg(ms <= json_number_value(json_object_get(c, "max_ms")),
			      "%s: took %.0f ms, want at most %.0f", where, ms,
			      json_number_value(json_object_get(c, "max_ms")));
out:
	engine_exec_release(x);
	engine_free(eng);
	if (rt)
		rt_drain(rt);   /* Event invocations */
	rt_free(rt);
	if (rt)
		fs_rm_rf(home);
	asl_machine_free(m);
	asl_diag_free(&diag);
	json_decref(input);
	free(def);
}
END_TEST

/* ---- API tests ------------------------------------------------------------------- */

static struct asl_machine *compile(const char *def)
{
	struct asl_diag d;
	struct asl_machine *m;

	asl_diag_init(&d);
	m = asl_compile(def, strlen(def), &d);
	ck_assert_msg(m, "does not compile: %s", d.count ? d.lines[0] : "?");
	asl_diag_free(&d);
	return m;
}

/* A mock integration: arn:aws:states:::mock:echo returns its input from
 * another thread after 10 ms; mock:hold never finishes until cancelled. */
struct mock {
	pthread_mutex_t lock;
	char token[128];
	int started, cancelled;
};

static void *mock_thread(void *arg)
{
	struct task_call *c = arg;

	usleep(10000);
	task_call_done(c, json_incref(task_call_input(c)), NULL);
	return NULL;
}

static bool mock_match(const struct asl_task *t, void *ctx)
{
	(void)ctx;
	return t->kind == ASL_RES_SERVICE && !strcmp(t->service, "mock");
}

static int mock_start(struct task_call *c, void *ctx, struct err *e)
{
	struct mock *mk = ctx;
	const struct asl_task *t = task_call_task(c);
	pthread_t th;

	pthread_mutex_lock(&mk->lock);
	mk->started++;
	if (task_call_token(c))
		snprintf(mk->token, sizeof mk->token, "%s", task_call_token(c));
	pthread_mutex_unlock(&mk->lock);
	if (!strcmp(t->action, "fail"))
		return err_setn(e, "Mock.Refused", "refused");
	if (!strcmp(t->action, "hold"))
		return 0;
	if (pthread_create(&th, NULL, mock_thread, c))
		return err_set(e, ERR_STATES_RUNTIME, "no thread");
	pthread_detach(th);
	return 0;
}

static void mock_cancel(struct task_call *c, void *ctx)
{
	struct mock *mk = ctx;

	pthread_mutex_lock(&mk->lock);
	mk->cancelled++;
	pthread_mutex_unlock(&mk->lock);
	task_call_done(c, NULL, NULL);
}

static const struct task_ops mock_ops = {
	.name = "mock", .match = mock_match, .start = mock_start, .cancel = mock_cancel,
};

static void *loop_thread(void *arg)
{
	engine_loop(arg);
	return NULL;
}

struct waiter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int done;
};

static void on_done(void *arg, struct engine_exec *x)
{
	struct waiter *w = arg;

	(void)x;
	pthread_mutex_lock(&w->lock);
	w->done++;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static void wait_done(struct waiter *w, int n)
{
	pthread_mutex_lock(&w->lock);
	while (w->done < n)
		pthread_cond_wait(&w->cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

START_TEST(test_integration_hook)
{
	struct asl_machine *m = compile(
		"{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\","
		"\"Resource\":\"arn:aws:states:::mock:echo\",\"Parameters\":{\"v.$\":\"$.v\"},"
		"\"ResultPath\":\"$.r\",\"End\":true}}}");
	struct mock mk = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct engine *eng = engine_new(NULL, NULL);
	struct engine_exec *x = NULL;
	json_t *in = json_pack("{s:i}", "v", 5);
	struct engine_start_args a = { .machine = m, .input = in };
	struct err e;
	const struct history *h;

	ck_assert_int_eq(engine_register_task(eng, &mock_ops, &mk), 0);
	ck_assert_int_eq(engine_run(eng, &a, &x, &e), 0);
	ck_assert_int_eq(engine_exec_status(x), ENGINE_SUCCEEDED);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(engine_exec_output(x), "r"), "v")), 5);
	h = engine_exec_history(x);
	ck_assert_str_eq(history_type_name(history_get(h, 2)->type), "TaskScheduled");
	ck_assert_str_eq(history_get(h, 2)->name, "mock");
	ck_assert_str_eq(history_type_name(history_get(h, 4)->type), "TaskSucceeded");
	engine_exec_release(x);
	engine_free(eng);
	asl_machine_free(m);
	json_decref(in);
}
END_TEST

static int count_type(const struct history *h, const char *type)
{
	size_t i, n = history_count(h);
	int k = 0;

	for (i = 0; i < n; i++)
		k += !strcmp(history_type_name(history_get(h, i)->type), type);
	return k;
}

static const struct history_event *find_event(const struct history *h, const char *type,
					      const char *name)
{
	size_t i, n = history_count(h);

	for (i = 0; i < n; i++) {
		const struct history_event *ev = history_get(h, i);

		if (!strcmp(history_type_name(ev->type), type) && ev->name && !strcmp(ev->name, name))
			return ev;
	}
	return NULL;
}

/* The history of variables and query errors: a Task's own query error is an
 * EvaluationFailed per attempt (before Retry and Catch); the Catch's Assign
 * is what the state's exit shows; a Map iteration's uncaught query error
 * fails the execution with one "An error occurred while executing the state
 * 'Q' (entered at the event id #N). " sentence naming the inner state. */
START_TEST(test_history_variables_and_query_errors)
{
	struct asl_machine *m = compile(
		"{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"T\",\"States\":{"
		"\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::mock:echo\","
		"\"Arguments\":{\"x\":\"{% $states.input.nope %}\"},\"Assign\":{\"never\":1},"
		"\"Retry\":[{\"ErrorEquals\":[\"States.QueryEvaluationError\"],\"MaxAttempts\":1,"
		"\"IntervalSeconds\":1}],"
		"\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],"
		"\"Assign\":{\"e\":\"{% $states.errorOutput.Error %}\"},\"Next\":\"M\"}],\"End\":true},"
		"\"M\":{\"Type\":\"Map\",\"Items\":[1],\"ItemProcessor\":{\"StartAt\":\"A\",\"States\":{"
		"\"A\":{\"Type\":\"Pass\",\"Assign\":{\"i\":\"{% $states.input %}\"},\"Next\":\"Q\"},"
		"\"Q\":{\"Type\":\"Pass\",\"Output\":\"{% $number('x') %}\",\"End\":true}}},\"End\":true}}}");
	struct mock mk = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct engine_options o;
	struct engine *eng;
	struct engine_exec *x = NULL;
	json_t *in = json_object();
	struct engine_start_args a = { .machine = m, .input = in };
	const struct history_event *ev, *q;
	const struct history *h;
	struct err e;
	char want[256];

	engine_options_init(&o);
	o.wait_scale = 0;
	eng = engine_new(&o, &e);
	ck_assert_ptr_nonnull(eng);
	ck_assert_int_eq(engine_register_task(eng, &mock_ops, &mk), 0);
	ck_assert_int_eq(engine_run(eng, &a, &x, &e), 0);
	ck_assert_int_eq(engine_exec_status(x), ENGINE_FAILED);
	h = engine_exec_history(x);
	ck_assert_int_eq(count_type(h, "EvaluationFailed"), 3);
	ck_assert_int_eq(count_type(h, "TaskScheduled"), 0);
	ev = find_event(h, "EvaluationFailed", "T");
	ck_assert_ptr_nonnull(ev);
	ck_assert_str_eq(json_string_value(ev->data), "States.QueryEvaluationError");
	ck_assert_int_eq(ev->num2, 11);
	ck_assert(!strncmp(json_string_value(ev->data2) + ev->num, "Arguments/x", 11));
	/* the Catch's Assign, not the state's own */
	ev = find_event(h, "TaskStateExited", "T");
	ck_assert_ptr_nonnull(ev);
	ck_assert_uint_eq(json_object_size(ev->data2), 1);
	ck_assert_str_eq(json_string_value(json_object_get(ev->data2, "e")),
			 "States.QueryEvaluationError");
	/* a state that assigned nothing has nothing to show */
	ck_assert_ptr_null(find_event(h, "MapStateExited", "M"));
	ev = find_event(h, "PassStateExited", "A");
	ck_assert_ptr_nonnull(ev);
	ck_assert_int_eq(json_integer_value(json_object_get(ev->data2, "i")), 1);
	q = find_event(h, "PassStateEntered", "Q");
	ck_assert_ptr_nonnull(q);
	ev = find_event(h, "EvaluationFailed", "Q");
	ck_assert_ptr_nonnull(ev);
	ck_assert_uint_eq(ev->prev, q->id);
	snprintf(want, sizeof want,
		 "An error occurred while executing the state 'Q' (entered at the event id #%u). "
		 "The JSONata expression '$number('x')' specified for the field 'Output' threw",
		 q->id);
	ck_assert_str_eq(engine_exec_error(x), "States.QueryEvaluationError");
	ck_assert_msg(!strncmp(engine_exec_cause(x), want, strlen(want)), "cause: %s",
		      engine_exec_cause(x));
	ck_assert_ptr_null(strstr(engine_exec_cause(x) + 1, "An error occurred"));
	engine_exec_release(x);
	engine_free(eng);
	asl_machine_free(m);
	json_decref(in);
}
END_TEST

/* .waitForTaskToken: the state waits for engine_task_success from another
 * thread; a loop thread runs the engine (as a server would). */
START_TEST(test_task_token)
{
	struct asl_machine *m = compile(
		"{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\","
		"\"Resource\":\"arn:aws:states:::mock:echo.waitForTaskToken\","
		"\"Parameters\":{\"token.$\":\"$$.Task.Token\"},\"End\":true}}}");
	struct mock mk = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	struct engine *eng = engine_new(NULL, NULL);
	struct engine_exec *x = NULL;
	struct engine_start_args a = { .machine = m, .done = on_done, .arg = &w };
	json_t *out = json_pack("{s:s}", "ok", "yes");
	struct err e;
	pthread_t th;
	char token[128];
	int tries;

	engine_register_task(eng, &mock_ops, &mk);
	ck_assert_int_eq(pthread_create(&th, NULL, loop_thread, eng), 0);
	ck_assert_int_eq(engine_start(eng, &a, &x, &e), 0);
	for (tries = 0; tries < 2000; tries++) {
		pthread_mutex_lock(&mk.lock);
		snprintf(token, sizeof token, "%s", mk.token);
		pthread_mutex_unlock(&mk.lock);
		if (token[0])
			break;
		usleep(1000);
	}
	ck_assert_msg(token[0], "no token");
	usleep(50000);   /* the integration finished; the state still waits */
	ck_assert_int_eq(engine_exec_status(x), ENGINE_RUNNING);
	ck_assert_int_eq(engine_task_success(eng, "nope", out, &e), -1);
	ck_assert_str_eq(e.type, "TaskDoesNotExist");
	ck_assert_int_eq(engine_task_heartbeat(eng, token, &e), 0);
	ck_assert_int_eq(engine_task_success(eng, token, out, &e), 0);
	wait_done(&w, 1);
	ck_assert_int_eq(engine_exec_status(x), ENGINE_SUCCEEDED);
	ck_assert(json_equal(engine_exec_output(x), out));
	engine_stop(eng);
	pthread_join(th, NULL);
	engine_exec_release(x);
	engine_free(eng);
	asl_machine_free(m);
	json_decref(out);
}
END_TEST

/* engine_abort from another thread stops a waiting execution, cancels its
 * task call, and engine_free waits for the call to end. */
START_TEST(test_abort)
{
	struct asl_machine *m = compile(
		"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Parallel\",\"Branches\":["
		"{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::mock:hold\",\"End\":true}}},"
		"{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":1000,\"End\":true}}}],\"End\":true}}}");
	struct mock mk = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	struct engine *eng = engine_new(NULL, NULL);
	struct engine_exec *x = NULL;
	struct engine_start_args a = { .machine = m, .done = on_done, .arg = &w, .name = "abort-me" };
	struct err e;
	pthread_t th;

	engine_register_task(eng, &mock_ops, &mk);
	pthread_create(&th, NULL, loop_thread, eng);
	ck_assert_int_eq(engine_start(eng, &a, &x, &e), 0);
	usleep(50000);
	ck_assert_int_eq(engine_exec_status(x), ENGINE_RUNNING);
	engine_abort(eng, x, "Stopped", "by the test");
	wait_done(&w, 1);
	ck_assert_int_eq(engine_exec_status(x), ENGINE_ABORTED);
	ck_assert_str_eq(engine_exec_error(x), "Stopped");
	ck_assert_str_eq(engine_exec_name(x), "abort-me");
	ck_assert(strstr(engine_exec_arn(x), ":execution:StateMachine:abort-me"));
	engine_stop(eng);
	pthread_join(th, NULL);
	pthread_mutex_lock(&mk.lock);
	ck_assert_int_eq(mk.cancelled, 1);
	pthread_mutex_unlock(&mk.lock);
	engine_exec_release(x);
	engine_free(eng);
	asl_machine_free(m);
}
END_TEST

/* Many executions at once on one loop; a failing integration start. */
START_TEST(test_many_and_start_failure)
{
	struct asl_machine *m = compile(
		"{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::mock:echo\","
		"\"Next\":\"F\"},\"F\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::mock:fail\","
		"\"Catch\":[{\"ErrorEquals\":[\"Mock.Refused\"],\"ResultPath\":\"$.e\",\"Next\":\"D\"}],\"End\":true},"
		"\"D\":{\"Type\":\"Succeed\"}}}");
	struct mock mk = { .lock = PTHREAD_MUTEX_INITIALIZER };
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	struct engine *eng = engine_new(NULL, NULL);
	struct engine_exec *xs[50];
	struct err e;
	pthread_t th;
	int i;

	engine_register_task(eng, &mock_ops, &mk);
	pthread_create(&th, NULL, loop_thread, eng);
	for (i = 0; i < 50; i++) {
		json_t *in = json_pack("{s:i}", "i", i);
		struct engine_start_args a = { .machine = m, .input = in, .done = on_done, .arg = &w };

		ck_assert_int_eq(engine_start(eng, &a, &xs[i], &e), 0);
		json_decref(in);
	}
	wait_done(&w, 50);
	for (i = 0; i < 50; i++) {
		json_t *o = engine_exec_output(xs[i]);

		ck_assert_int_eq(engine_exec_status(xs[i]), ENGINE_SUCCEEDED);
		ck_assert_int_eq(json_integer_value(json_object_get(o, "i")), i);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(o, "e"), "Error")),
				 "Mock.Refused");
		engine_exec_release(xs[i]);
	}
	engine_stop(eng);
	pthread_join(th, NULL);
	engine_free(eng);
	asl_machine_free(m);
}
END_TEST

START_TEST(test_start_refused)
{
	struct asl_machine *m = compile("{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}");
	struct engine *eng = engine_new(NULL, NULL);
	struct engine_start_args a = { .machine = m, .name = "bad name" };
	struct err e;

	ck_assert_int_eq(engine_start(eng, &a, NULL, &e), -1);
	ck_assert_str_eq(e.type, "InvalidName");
	a.name = NULL;
	a.machine_name = "a:b";
	ck_assert_int_eq(engine_run(eng, &a, NULL, &e), -1);
	engine_free(eng);
	engine_free(NULL);
	asl_machine_free(m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("interp");
	TCase *tg = tcase_create("golden"), *ta = tcase_create("api");
	SRunner *sr;
	int failed;

	cases = golden_load("interp", "name");
	tcase_set_timeout(tg, 60);
	tcase_add_loop_test(tg, test_golden, 0, (int)json_array_size(cases));
	suite_add_tcase(s, tg);
	tcase_set_timeout(ta, 30);
	tcase_add_test(ta, test_integration_hook);
	tcase_add_test(ta, test_history_variables_and_query_errors);
	tcase_add_test(ta, test_task_token);
	tcase_add_test(ta, test_abort);
	tcase_add_test(ta, test_many_and_start_failure);
	tcase_add_test(ta, test_start_refused);
	suite_add_tcase(s, ta);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	json_decref(cases);
	return failed ? 1 : 0;
}
