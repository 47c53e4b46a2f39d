/* Durable checkpoints (engine.h, "durability"): an execution journaled into
 * a simulated store is cut after every checkpoint — as if the server had
 * died right after that commit — and resumed from the rows in a fresh
 * engine. Every cut must end with the output of the uncut run, history ids
 * 1..N with no gap and no duplicate, and each state entered exactly as
 * often as in the uncut run (Tasks in flight may be scheduled again). */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "engine.h"
#include "history.h"

/* ---- a store in memory: rows by path, events, version ---------------------------- */
struct sim {
	json_t *rows;      /* path -> body */
	json_t *events;    /* [{"id", "prev", "type"}] */
	int64_t version;
	bool finished;
	json_t *output;
	char error[128];
};

struct journal_rec {
	json_t *cps;       /* checkpoints as JSON, in order */
};

static void rec_checkpoint(void *ctx, const struct engine_checkpoint *c)
{
	struct journal_rec *r = ctx;
	json_t *cp = json_object(), *evs = json_array(), *chs = json_array();
	size_t i;

	for (i = c->ev_from; i < c->ev_to; i++) {
		const struct history_event *ev = history_get(c->hist, i);
		json_t *b = history_event_body(ev);

		json_object_set_new(b, "id", json_integer(ev->id));
		json_object_set_new(b, "prev", json_integer(ev->prev));
		json_array_append_new(evs, b);
	}
	for (i = 0; i < c->nchanges; i++) {
		const struct engine_frame_change *x = &c->changes[i];

		json_array_append_new(chs, json_pack("{s:i, s:s?, s:o?}", "op", x->op, "path", x->path,
						     "body", x->body ? json_deep_copy(x->body) : NULL));
	}
	json_object_set_new(cp, "events", evs);
	json_object_set_new(cp, "changes", chs);
	json_object_set_new(cp, "version", json_integer(c->version));
	if (c->finished) {
		json_object_set_new(cp, "finished", json_integer(c->status));
		if (c->output)
			json_object_set_new(cp, "output", json_deep_copy(c->output));
		if (c->error)
			json_object_set_new(cp, "error", json_string(c->error));
	}
	json_array_append_new(r->cps, cp);
}

static void sim_apply(struct sim *s, json_t *cp)
{
	size_t i;
	json_t *v;

	ck_assert_int_eq(json_integer_value(json_object_get(cp, "version")), s->version);
	s->version++;
	json_array_foreach(json_object_get(cp, "events"), i, v)
		json_array_append(s->events, v);
	json_array_foreach(json_object_get(cp, "changes"), i, v) {
		int op = (int)json_integer_value(json_object_get(v, "op"));
		const char *path = json_string_value(json_object_get(v, "path"));

		if (op == ENGINE_FRAME_PUT) {
			json_object_set(s->rows, path, json_object_get(v, "body"));
		} else if (op == ENGINE_FRAME_DELETE_ALL) {
			json_object_clear(s->rows);
		} else {
			const char *k;
			json_t *tmp;
			size_t n = strlen(path);

			json_object_foreach_safe(s->rows, tmp, k, v)
				if (!strncmp(k, path, n) && k[n] == '/')
					json_object_del(s->rows, k);
		}
	}
	if (json_object_get(cp, "finished")) {
		s->finished = true;
		s->output = json_incref(json_object_get(cp, "output"));
		snprintf(s->error, sizeof s->error, "%s",
			 json_string_value(json_object_get(cp, "error")) ?: "");
	}
}

/* ---- a task integration: echo, and "flaky" (fails while RetryCount < 2) ---------- */
static bool t_match(const struct asl_task *t, void *ctx)
{
	(void)ctx;
	return t->action && !strncmp(t->resource, "arn:aws:states:::test:", 22);
}

static int t_start(struct task_call *c, void *ctx, struct err *e)
{
	const char *a = task_call_task(c)->action;
	json_t *in = task_call_input(c);

	(void)ctx;
	if (!strcmp(a, "flaky") && json_integer_value(json_object_get(in, "rc")) < 2) {
		err_setn(e, "Test.Flaky", "try again");
		task_call_done(c, NULL, e);
		return 0;
	}
	if (!strcmp(a, "boom")) {
		err_setn(e, "Test.Boom", "boom");
		task_call_done(c, NULL, e);
		return 0;
	}
	task_call_done(c, json_incref(in), NULL);
	return 0;
}

static const struct task_ops t_ops = { .name = "test", .match = t_match, .start = t_start };

/* A Map's ItemReader: Parameters.Key "nK" reads the items [0, K), at most
 * the reader's MaxItems. */
static bool r_match(const struct asl_task *t, void *ctx)
{
	(void)ctx;
	return !strcmp(t->canonical, "arn:aws:states:::s3:getObject") ||
	       !strcmp(t->canonical, "arn:aws:states:::s3:putObject");
}

static int r_start(struct task_call *c, void *ctx, struct err *e)
{
	const char *key = json_string_value(json_object_get(task_call_input(c), "Key"));
	long n = key && key[0] == 'n' ? strtol(key + 1, NULL, 10) : -1;
	json_t *items = json_array();

	(void)ctx;
	if (task_call_writer(c)) {   /* a ResultWriter: what it was given, without the run's id */
		json_t *in = task_call_input(c);

		json_decref(items);
		task_call_done(c, json_pack("{s:O, s:O, s:O}", "Bucket", json_object_get(in, "Bucket"),
					    "ok", json_object_get(in, "SUCCEEDED"), "failed",
					    json_object_get(in, "FAILED")), NULL);
		return 0;
	}
	ck_assert_ptr_nonnull(task_call_reader(c));
	if (n < 0) {
		err_set(e, ERR_STATES_ITEM_READER_FAILED, "no such key");
		task_call_done(c, NULL, e);
		json_decref(items);
		return 0;
	}
	if (task_call_reader_max(c) && (uint64_t)n > task_call_reader_max(c))
		n = (long)task_call_reader_max(c);
	for (long i = 0; i < n; i++)
		json_array_append_new(items, json_integer(i));
	task_call_done(c, items, NULL);
	return 0;
}

static const struct task_ops r_ops = { .name = "reader", .match = r_match, .start = r_start };

/* ---- running ------------------------------------------------------------------------ */
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

static void *loop_thread(void *arg)
{
	engine_loop(arg);
	return NULL;
}

/* Resume the execution held in s; record its checkpoints in cps. */
static void run_from(struct asl_machine *m, json_t *input, struct sim *s, json_t *cps)
{
	struct journal_rec rec = { cps };
	struct engine_journal j = { rec_checkpoint, &rec };
	struct engine_options o;
	struct waiter w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	struct engine_frame_row rows[256];
	struct engine_resume_args a = { 0 };
	struct engine *eng;
	struct err e;
	pthread_t th;
	const char *k;
	json_t *v;
	size_t n = 0;

	engine_options_init(&o);
	o.journal = &j;
	o.wait_scale = 0.001;
	eng = engine_new(&o, &e);
	ck_assert_ptr_nonnull(eng);
	ck_assert_int_eq(engine_register_task(eng, &t_ops, NULL), 0);
	ck_assert_int_eq(engine_register_task(eng, &r_ops, NULL), 0);
	json_object_foreach(s->rows, k, v) {
		ck_assert_uint_lt(n, 256);
		rows[n].path = k;
		rows[n].body = v;
		n++;
	}
	a.machine = m;
	a.arn = "arn:aws:states:us-east-1:123456789012:execution:SM:x";
	a.name = "x";
	a.machine_name = "SM";
	a.input = input;
	a.start_us = 1;
	a.last_event = (uint32_t)json_array_size(s->events);
	a.version = s->version;
	a.rows = rows;
	a.nrows = n;
	a.done = on_done;
	a.arg = &w;
	ck_assert_int_eq(engine_resume(eng, &a, NULL, &e), 0);
	pthread_create(&th, NULL, loop_thread, eng);
	pthread_mutex_lock(&w.lock);
	while (!w.done)
		pthread_cond_wait(&w.cond, &w.lock);
	pthread_mutex_unlock(&w.lock);
	engine_stop(eng);
	pthread_join(th, NULL);
	engine_free(eng);
}

static void sim_init(struct sim *s, struct asl_machine *m, json_t *input)
{
	memset(s, 0, sizeof *s);
	s->rows = json_object();
	s->events = json_array();
	s->version = 1;
	json_object_set_new(s->rows, "r", engine_first_row(m, input));
	json_array_append_new(s->events, json_pack("{s:s, s:i, s:i}", "type", "ExecutionStarted",
						   "id", 1, "prev", 0));
}

static void sim_free(struct sim *s)
{
	json_decref(s->rows);
	json_decref(s->events);
	json_decref(s->output);
}

static json_t *type_counts(json_t *events)
{
	json_t *c = json_object(), *v;
	size_t i;

	json_array_foreach(events, i, v) {
		const char *t = json_string_value(json_object_get(v, "type"));

		json_object_set_new(c, t, json_integer(json_integer_value(json_object_get(c, t)) + 1));
	}
	return c;
}

static void check_cuts(const char *def, const char *input_text)
{
	struct asl_machine *m = asl_compile(def, strlen(def), NULL);
	json_t *input = json_loads(input_text, 0, NULL), *ref_cps = json_array(), *ref_counts;
	struct sim ref;
	size_t k, i, ncuts = 0;

	ck_assert_ptr_nonnull(m);
	sim_init(&ref, m, input);
	run_from(m, input, &ref, ref_cps);
	for (i = 0; i < json_array_size(ref_cps); i++)
		sim_apply(&ref, json_array_get(ref_cps, i));
	ck_assert(ref.finished);
	ck_assert_uint_eq(json_object_size(ref.rows), 0);
	ref_counts = type_counts(ref.events);

	for (k = 1; k < json_array_size(ref_cps); k++) {
		struct sim s;
		json_t *cps = json_array(), *v, *counts;
		const char *t;

		sim_init(&s, m, input);
		for (i = 0; i < k; i++)
			sim_apply(&s, json_array_get(ref_cps, i));
		if (s.finished) {
			sim_free(&s);
			json_decref(cps);
			continue;
		}
		ncuts++;
		run_from(m, input, &s, cps);
		for (i = 0; i < json_array_size(cps); i++)
			sim_apply(&s, json_array_get(cps, i));
		ck_assert_msg(s.finished, "cut %zu: not finished", k);
		ck_assert_str_eq(s.error, ref.error);
		ck_assert_msg(json_equal(s.output, ref.output), "cut %zu: output differs", k);
		ck_assert_uint_eq(json_object_size(s.rows), 0);
		/* ids 1..N, each once; previous ids point backwards */
		json_array_foreach(s.events, i, v) {
			ck_assert_int_eq(json_integer_value(json_object_get(v, "id")), (json_int_t)i + 1);
			ck_assert_int_lt(json_integer_value(json_object_get(v, "prev")), (json_int_t)i + 1);
		}
		counts = type_counts(s.events);
		json_object_foreach(ref_counts, t, v) {
			json_int_t want = json_integer_value(v),
				   got = json_integer_value(json_object_get(counts, t));

			if (!strcmp(t, "TaskScheduled") || !strcmp(t, "TaskStarted") ||
			    !strcmp(t, "TaskFailed") || !strcmp(t, "TaskSucceeded"))
				ck_assert_msg(got >= want, "cut %zu: %s %lld < %lld", k, t,
					      (long long)got, (long long)want);
			else
				ck_assert_msg(got == want, "cut %zu: %s %lld != %lld", k, t,
					      (long long)got, (long long)want);
		}
		json_decref(counts);
		json_decref(cps);
		sim_free(&s);
	}
	fprintf(stderr, "%zu checkpoints, %zu cuts resumed\n", json_array_size(ref_cps), ncuts);
	ck_assert_uint_gt(ncuts, 2);
	json_decref(ref_counts);
	json_decref(ref_cps);
	sim_free(&ref);
	json_decref(input);
	asl_machine_free(m);
}

START_TEST(test_cut_chain)
{
	check_cuts("{\"StartAt\":\"A\",\"States\":{"
		   "\"A\":{\"Type\":\"Pass\",\"Result\":1,\"ResultPath\":\"$.a\",\"Next\":\"W\"},"
		   "\"W\":{\"Type\":\"Wait\",\"Seconds\":2,\"Next\":\"T\"},"
		   "\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::test:echo\",\"ResultPath\":\"$.t\",\"Next\":\"C\"},"
		   "\"C\":{\"Type\":\"Choice\",\"Choices\":[{\"Variable\":\"$.a\",\"NumericEquals\":1,\"Next\":\"F\"}],\"Default\":\"B\"},"
		   "\"F\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::test:flaky\","
		   "\"Parameters\":{\"rc.$\":\"$$.State.RetryCount\"},\"ResultPath\":\"$.f\","
		   "\"Retry\":[{\"ErrorEquals\":[\"Test.Flaky\"],\"IntervalSeconds\":1,\"MaxAttempts\":3}],\"Next\":\"X\"},"
		   "\"X\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::test:boom\","
		   "\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"ResultPath\":\"$.err\",\"Next\":\"B\"}],\"End\":true},"
		   "\"B\":{\"Type\":\"Pass\",\"End\":true}}}",
		   "{\"x\": 1}");
}
END_TEST

START_TEST(test_cut_fanout)
{
	check_cuts("{\"StartAt\":\"M\",\"States\":{"
		   "\"M\":{\"Type\":\"Map\",\"MaxConcurrency\":2,\"ItemsPath\":\"$.items\",\"ResultPath\":\"$.m\","
		   "\"ItemProcessor\":{\"StartAt\":\"I1\",\"States\":{"
		   "\"I1\":{\"Type\":\"Pass\",\"Next\":\"I2\"},"
		   "\"I2\":{\"Type\":\"Wait\",\"Seconds\":1,\"Next\":\"I3\"},"
		   "\"I3\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::test:echo\",\"End\":true}}},"
		   "\"Next\":\"P\"},"
		   "\"P\":{\"Type\":\"Parallel\",\"ResultPath\":\"$.p\",\"Branches\":["
		   "{\"StartAt\":\"B1\",\"States\":{\"B1\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::test:flaky\","
		   "\"Parameters\":{\"rc.$\":\"$$.State.RetryCount\"},"
		   "\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"],\"IntervalSeconds\":1,\"MaxAttempts\":3}],\"End\":true}}},"
		   "{\"StartAt\":\"B2\",\"States\":{\"B2\":{\"Type\":\"Wait\",\"Seconds\":3,\"Next\":\"B3\"},"
		   "\"B3\":{\"Type\":\"Map\",\"ItemsPath\":\"$.items\",\"ItemProcessor\":{\"StartAt\":\"Q\",\"States\":"
		   "{\"Q\":{\"Type\":\"Pass\",\"End\":true}}},\"End\":true}}}],"
		   "\"End\":true}}}",
		   "{\"items\": [1, 2, 3, 4, 5]}");
}
END_TEST

/* A Map whose items are read and whose results are written (calls in
 * flight in the owner's row), then a read that fails into a Catch. */
START_TEST(test_cut_itemreader)
{
	check_cuts("{\"StartAt\":\"M\",\"States\":{"
		   "\"M\":{\"Type\":\"Map\",\"MaxConcurrency\":2,\"ResultPath\":\"$.m\","
		   "\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\","
		   "\"ReaderConfig\":{\"InputType\":\"JSON\",\"MaxItemsPath\":\"$.max\"},"
		   "\"Parameters\":{\"Bucket\":\"b\",\"Key.$\":\"$.key\"}},"
		   "\"ItemSelector\":{\"v.$\":\"$$.Map.Item.Value\",\"x.$\":\"$.x\"},"
		   "\"ResultWriter\":{\"Resource\":\"arn:aws:states:::s3:putObject\","
		   "\"Parameters\":{\"Bucket\":\"out\",\"Prefix.$\":\"$.key\"},"
		   "\"WriterConfig\":{\"Transformation\":\"COMPACT\"}},"
		   "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":\"STANDARD\"},"
		   "\"StartAt\":\"I1\",\"States\":{"
		   "\"I1\":{\"Type\":\"Wait\",\"Seconds\":1,\"Next\":\"I2\"},"
		   "\"I2\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::test:echo\",\"End\":true}}},"
		   "\"Next\":\"N\"},"
		   "\"N\":{\"Type\":\"Map\",\"ResultPath\":\"$.n\","
		   "\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\","
		   "\"ReaderConfig\":{\"InputType\":\"JSON\"},\"Parameters\":{\"Bucket\":\"b\",\"Key\":\"missing\"}},"
		   "\"ItemProcessor\":{\"ProcessorConfig\":{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":\"STANDARD\"},"
		   "\"StartAt\":\"Q\",\"States\":{\"Q\":{\"Type\":\"Pass\",\"End\":true}}},"
		   "\"Catch\":[{\"ErrorEquals\":[\"States.ItemReaderFailed\"],\"ResultPath\":\"$.err\",\"Next\":\"E\"}],"
		   "\"End\":true},"
		   "\"E\":{\"Type\":\"Pass\",\"End\":true}}}",
		   "{\"key\": \"n9\", \"max\": 5, \"x\": 7}");
}
END_TEST

Suite *journal_suite(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("cuts");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_cut_chain);
	tcase_add_test(tc, test_cut_fanout);
	tcase_add_test(tc, test_cut_itemreader);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(journal_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
