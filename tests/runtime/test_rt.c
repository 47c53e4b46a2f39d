/* The runtime library API against real sandboxes and the example functions
 * in $TUTTI_TOP/$BUILD/functions. Needs root (namespaces, cgroups). */
#include <check.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "rt.h"
#include "rt_internal.h" /* the watchdog test reaches into the pools */

static struct rt *rt;
static char home[] = "/tmp/tutti-test-rt.XXXXXX";

static const char *fn_path(const char *name)
{
	static char paths[8][PATH_MAX];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, PATH_MAX, "%s/%s/functions/%s.so", getenv("TUTTI_TOP") ? getenv("TUTTI_TOP") : ".",
		 getenv("BUILD") ? getenv("BUILD") : "build", name);
	return p;
}

/* A function of tests/hostile ($BUILD/hostile/NAME.so). */
static const char *hostile_path(const char *name)
{
	static char p[PATH_MAX];

	snprintf(p, sizeof p, "%s/%s/hostile/%s.so", getenv("TUTTI_TOP") ? getenv("TUTTI_TOP") : ".",
		 getenv("BUILD") ? getenv("BUILD") : "build", name);
	return p;
}

static void cfg_for(struct fn_config *c, const char *name)
{
	fnconf_defaults(c, name, fn_path(name));
}

static void setup(void)
{
	struct rt_options o = { 0 };
	struct err e;

	ck_assert_ptr_nonnull(mkdtemp(home));
	o.home = home;
	o.quiet = true;
	o.event_retry_delay_ms = 10;
	rt = rt_new(&o, &e);
	ck_assert_msg(rt != NULL, "rt_new: %s: %s", e.type, e.msg);
}

static void teardown(void)
{
	rt_free(rt);
	fs_rm_rf(home);
	strcpy(home, "/tmp/tutti-test-rt.XXXXXX");
}

static void invoke(const char *name, const char *payload, struct rt_result *r)
{
	struct fn_config c;

	cfg_for(&c, name);
	ck_assert_int_eq(rt_invoke(rt, &c, payload, strlen(payload), r), 0);
}

START_TEST(test_echo_roundtrip)
{
	struct rt_result r;

	invoke("echo", "{\"a\":[1,2,{\"b\":null}]}", &r);
	ck_assert_msg(r.ok, "%s: %s", r.err.type, r.err.msg);
	ck_assert_str_eq(r.payload, "{\"a\":[1,2,{\"b\":null}]}");
	ck_assert(r.cold);
	ck_assert_int_eq(strlen(r.request_id), 36);
	rt_result_free(&r);
	invoke("echo", "7", &r);
	ck_assert(r.ok && !r.cold);
	ck_assert_str_eq(r.payload, "7");
	rt_result_free(&r);
}
END_TEST

/* Idle environments are frozen: a thread a handler leaves spinning burns no
 * CPU between invocations, the environment stays warm, and each result
 * counts the CPU time of its own invocation (cpu_us). */
START_TEST(test_idle_environment_frozen)
{
	struct fn_config c;
	struct rt_result r;
	long long idle_ms;

	fnconf_defaults(&c, "idle_spin", hostile_path("idle_spin"));
	ck_assert_int_eq(rt_invoke(rt, &c, "{}", 2, &r), 0);
	ck_assert_msg(r.ok, "%s: %s", r.err.type, r.err.msg);
	rt_result_free(&r);
	usleep(1000000);
	ck_assert_int_eq(rt_invoke(rt, &c, "{}", 2, &r), 0);
	ck_assert_msg(r.ok, "%s: %s", r.err.type, r.err.msg);
	ck_assert(!r.cold);
	ck_assert_int_eq(sscanf(r.payload, "{\"calls\":2,\"idle_cpu_ms\":%lld}", &idle_ms), 1);
	/* Spinning all along would be ~1000 ms of the thread's CPU time. */
	ck_assert_msg(idle_ms < 100, "the idle environment's thread ran %lld ms in 1 s of idle", idle_ms);
	ck_assert_msg(r.cpu_us < 100000, "cpu_us %llu for an invocation after 1 s of idle",
		      (unsigned long long)r.cpu_us);
	rt_result_free(&r);
}
END_TEST

/* Environment variables of one configuration are not in the memory of an
 * environment of another (the zygote never holds them): mem_scan looks for
 * the first one's variable in all of its own memory. */
START_TEST(test_no_other_configs_variables)
{
	static const char secret[] = "TT-UNIT-SECRET-5bd1e995";
	struct fn_config a, b;
	struct rt_result r;
	char payload[200], *p;

	cfg_for(&a, "echo");
	ck_assert_int_eq(fnconf_add_env(&a, "DB_PASSWORD=TT-UNIT-SECRET-5bd1e995"), 0);
	ck_assert_int_eq(rt_invoke(rt, &a, "1", 1, &r), 0);
	ck_assert(r.ok);
	rt_result_free(&r);
	p = payload + snprintf(payload, sizeof payload, "{\"enc\":\"");
	for (const char *q = secret; *q; q++)
		p += sprintf(p, "%02x", (unsigned char)(*q ^ 0x5a));
	strcpy(p, "\"}");
	fnconf_defaults(&b, "mem_scan", hostile_path("mem_scan"));
	b.timeout_s = 60; /* (sanitizer builds map much more to scan) */
	for (int round = 0; round < 2; round++) { /* a blank, then a fresh clone */
		ck_assert_int_eq(rt_invoke(rt, &b, payload, strlen(payload), &r), 0);
		ck_assert_msg(r.ok, "%s: %s", r.err.type, r.err.msg);
		ck_assert_msg(strstr(r.payload, "\"found\":false"), "round %d: %s", round, r.payload);
		rt_result_free(&r);
		b.memory_mb = 256; /* another configuration: another environment */
	}
}
END_TEST

START_TEST(test_raised_error_keeps_environment)
{
	struct rt_result r;

	invoke("fail", "{\"error\":\"Custom.Thing\",\"cause\":\"it broke\"}", &r);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.err.type, "Custom.Thing");
	ck_assert_str_eq(r.err.msg, "it broke");
	rt_result_free(&r);
	invoke("fail", "{}", &r);
	ck_assert(!r.ok && !r.cold);
	ck_assert_str_eq(r.err.type, "CustomError");
	ck_assert_str_eq(r.err.msg, "fail function called");
	rt_result_free(&r);
}
END_TEST

START_TEST(test_warm_state_persists)
{
	struct rt_result r;

	/* flaky counts attempts in memory: only a reused environment gets there */
	invoke("flaky", "{\"failTimes\":2}", &r);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.err.type, "FlakyError");
	ck_assert_str_eq(r.err.msg, "attempt 1 failed");
	rt_result_free(&r);
	invoke("flaky", "{\"failTimes\":2}", &r);
	ck_assert_str_eq(r.err.msg, "attempt 2 failed");
	rt_result_free(&r);
	invoke("flaky", "{\"failTimes\":2}", &r);
	ck_assert_msg(r.ok, "%s", r.err.msg);
	ck_assert_ptr_nonnull(strstr(r.payload, "3"));
	rt_result_free(&r);
}
END_TEST

START_TEST(test_timeout_replaces_environment)
{
	struct fn_config c;
	struct rt_result r;

	cfg_for(&c, "sleep");
	c.timeout_s = 1;
	ck_assert_int_eq(rt_invoke(rt, &c, "{\"ms\":5000}", 11, &r), 0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.err.type, "Sandbox.Timedout");
	ck_assert_str_eq(r.err.msg, "Task timed out after 1.00 seconds");
	rt_result_free(&r);
	ck_assert_int_eq(rt_invoke(rt, &c, "{\"ms\":1}", 8, &r), 0);
	ck_assert_msg(r.ok, "%s: %s", r.err.type, r.err.msg);
	ck_assert(r.cold);
	rt_result_free(&r);
}
END_TEST

/* The same on the direct path: a warm environment driven by the caller. */
START_TEST(test_warm_timeout)
{
	struct fn_config c;
	struct rt_result r;

	cfg_for(&c, "sleep");
	c.timeout_s = 1;
	ck_assert_int_eq(rt_invoke(rt, &c, "{\"ms\":1}", 8, &r), 0);
	ck_assert(r.ok && r.cold);
	rt_result_free(&r);
	ck_assert_int_eq(rt_invoke(rt, &c, "{\"ms\":3000}", 11, &r), 0);
	ck_assert(!r.ok && !r.cold);
	ck_assert_str_eq(r.err.type, "Sandbox.Timedout");
	rt_result_free(&r);
	ck_assert_int_eq(rt_invoke(rt, &c, "{\"ms\":1}", 8, &r), 0);
	ck_assert_msg(r.ok, "%s: %s", r.err.type, r.err.msg);
	ck_assert(r.cold);
	rt_result_free(&r);
}
END_TEST

START_TEST(test_load_errors)
{
	struct fn_config c;
	struct err e;
	char bogus[PATH_MAX];

	cfg_for(&c, "echo");
	ck_assert_int_eq(rt_check_code(rt, &c, &e), 0);
	snprintf(c.handler, sizeof c.handler, "no_such_symbol");
	ck_assert_int_eq(rt_check_code(rt, &c, &e), -1);
	ck_assert_str_eq(e.type, "Runtime.HandlerNotFound");
	snprintf(bogus, sizeof bogus, "%s/not-elf.so", home);
	{
		char text[256];

		memset(text, 'x', sizeof text);
		ck_assert_int_eq(fs_write_atomic(bogus, text, sizeof text, 0644), 0);
	}
	fnconf_defaults(&c, "bogus", bogus);
	ck_assert_int_eq(rt_check_code(rt, &c, &e), -1);
	ck_assert_str_eq(e.type, "Runtime.ImportModuleError");
	ck_assert_msg(strstr(e.msg, "invalid ELF header") != NULL, "%s", e.msg);
}
END_TEST

START_TEST(test_payload_cap)
{
	struct fn_config c;
	struct rt_result r;
	size_t n = FN_PAYLOAD_MAX + 10;
	char *big = malloc(n + 1);

	memset(big, ' ', n);
	big[0] = '1';
	big[n] = '\0';
	cfg_for(&c, "echo");
	ck_assert_int_eq(rt_invoke(rt, &c, big, n, &r), 0);
	ck_assert(!r.ok);
	ck_assert_str_eq(r.err.type, "Runtime.RequestTooLarge");
	rt_result_free(&r);
	free(big);
}
END_TEST

START_TEST(test_log_capture)
{
	struct rt_result r;

	invoke("hello", "{\"name\":\"Log\"}", &r);
	ck_assert(r.ok);
	ck_assert_ptr_nonnull(r.log);
	ck_assert_ptr_nonnull(strstr(r.log, "init"));
	rt_result_free(&r);
}
END_TEST

/* Many invocations in flight across functions; one function limited to a
 * single environment by its reserved concurrency. */
struct counter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int left, ok;
};

static void count_done(void *arg, struct rt_result *r)
{
	struct counter *c = arg;

	pthread_mutex_lock(&c->lock);
	c->ok += r->ok;
	if (--c->left == 0)
		pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
	rt_result_free(r);
}

START_TEST(test_async_concurrency)
{
	struct counter cnt = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };
	struct fn_config one, many;
	struct rt_stats before, after;
	const int n = 12;

	cfg_for(&one, "sleep");
	one.reserved_concurrency = 1;
	cfg_for(&many, "echo");
	rt_stats(rt, &before);
	cnt.left = 2 * n;
	for (int i = 0; i < n; i++) {
		ck_assert_int_eq(rt_invoke_async(rt, &one, "{\"ms\":5}", 8, count_done, &cnt), 0);
		ck_assert_int_eq(rt_invoke_async(rt, &many, "{\"x\":1}", 7, count_done, &cnt), 0);
	}
	pthread_mutex_lock(&cnt.lock);
	while (cnt.left)
		pthread_cond_wait(&cnt.cond, &cnt.lock);
	pthread_mutex_unlock(&cnt.lock);
	ck_assert_int_eq(cnt.ok, 2 * n);
	rt_stats(rt, &after);
	/* `one` had a single environment; `many` at most the default limit. */
	ck_assert_uint_ge(after.cold_starts - before.cold_starts, 2);
	ck_assert_uint_le(after.cold_starts - before.cold_starts, 1 + 8);
}
END_TEST

/* Forged frames (tests/hostile/forge_frame.c) with invocations queued
 * behind the forger on one environment: each forger fails alone with
 * Runtime.InvalidResponse, the others succeed, all complete. */
struct forge_run {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int left;
	char types[16][64];
};

struct forge_slot {
	struct forge_run *run;
	int i;
};

static void forge_done(void *arg, struct rt_result *r)
{
	struct forge_slot *s = arg;

	pthread_mutex_lock(&s->run->lock);
	snprintf(s->run->types[s->i], sizeof s->run->types[s->i], "%s", r->ok ? r->payload : r->err.type);
	if (--s->run->left == 0)
		pthread_cond_signal(&s->run->cond);
	pthread_mutex_unlock(&s->run->lock);
	rt_result_free(r);
}

START_TEST(test_forged_frames_fail_only_the_forger)
{
	static const char *const modes[] = { "ok", "init_error", "ok", "result", "ok", "garbage",
					     "ok", "half", "ok", "ready", "ok", "huge", "ok" };
	const int n = (int)(sizeof modes / sizeof modes[0]);
	struct forge_run run = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, { { 0 } } };
	struct forge_slot slots[16];
	struct fn_config c;
	struct rt_result r;
	struct timespec dl;
	char path[PATH_MAX], payload[64];
	int rc = 0;

	snprintf(path, sizeof path, "%s/%s/hostile/forge_frame.so", getenv("TUTTI_TOP") ? getenv("TUTTI_TOP") : ".",
		 getenv("BUILD") ? getenv("BUILD") : "build");
	fnconf_defaults(&c, "forger", path);
	c.reserved_concurrency = 1;
	/* The direct path (a warm idle environment, the caller's thread). */
	ck_assert_int_eq(rt_invoke(rt, &c, "{\"mode\":\"ok\"}", 13, &r), 0);
	ck_assert_msg(r.ok, "%s: %s", r.err.type, r.err.msg);
	rt_result_free(&r);
	ck_assert_int_eq(rt_invoke(rt, &c, "{\"mode\":\"init_error\"}", 21, &r), 0);
	ck_assert_str_eq(r.err.type, "Runtime.InvalidResponse");
	rt_result_free(&r);
	/* The queue: all on one environment at a time. */
	run.left = n;
	for (int i = 0; i < n; i++) {
		slots[i] = (struct forge_slot){ &run, i };
		snprintf(payload, sizeof payload, "{\"mode\":\"%s\"}", modes[i]);
		ck_assert_int_eq(rt_invoke_async(rt, &c, payload, strlen(payload), forge_done, &slots[i]), 0);
	}
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 30;
	pthread_mutex_lock(&run.lock);
	while (run.left && rc == 0)
		rc = pthread_cond_timedwait(&run.cond, &run.lock, &dl);
	pthread_mutex_unlock(&run.lock);
	ck_assert_msg(run.left == 0, "%d invocation(s) never completed", run.left);
	for (int i = 0; i < n; i++)
		ck_assert_msg(!strcmp(run.types[i], strcmp(modes[i], "ok") ? "Runtime.InvalidResponse" : "{\"ok\":true}"),
			      "mode %s (#%d): got %s", modes[i], i, run.types[i]);
}
END_TEST

/* An environment that answers an invocation before reading its request
 * (hostile/early_result.so: the token is in its own INVOKE header) fails
 * it: the rest of that request was still waiting to be written, and the
 * next INVOKE used to replace it in memory (a leak per round). */
START_TEST(test_answer_before_request_fails)
{
	struct forge_run run = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 3, { { 0 } } };
	struct forge_slot slots[3] = { { &run, 0 }, { &run, 1 }, { &run, 2 } };
	const size_t big = 1u << 20;
	char path[PATH_MAX], *payload = malloc(big);
	struct fn_config c;
	struct timespec dl;
	int rc = 0;

	ck_assert_ptr_nonnull(payload);
	memset(payload, 'a', big);
	payload[0] = payload[big - 1] = '"';
	snprintf(path, sizeof path, "%s/%s/hostile/early_result.so", getenv("TUTTI_TOP") ? getenv("TUTTI_TOP") : ".",
		 getenv("BUILD") ? getenv("BUILD") : "build");
	fnconf_defaults(&c, "early", path);
	c.reserved_concurrency = 1;
	ck_assert_int_eq(rt_invoke_async(rt, &c, "{\"mode\":\"steal\"}", 16, forge_done, &slots[0]), 0);
	ck_assert_int_eq(rt_invoke_async(rt, &c, payload, big, forge_done, &slots[1]), 0);
	ck_assert_int_eq(rt_invoke_async(rt, &c, payload, big, forge_done, &slots[2]), 0);
	free(payload);
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 30;
	pthread_mutex_lock(&run.lock);
	while (run.left && rc == 0)
		rc = pthread_cond_timedwait(&run.cond, &run.lock, &dl);
	pthread_mutex_unlock(&run.lock);
	ck_assert_msg(run.left == 0, "%d invocation(s) never completed", run.left);
	ck_assert_str_eq(run.types[0], "\"stolen\"");  /* its own: the documented limit */
	ck_assert_str_eq(run.types[1], "Runtime.InvalidResponse");
	ck_assert_str_eq(run.types[2], "\"plain\"");   /* a fresh environment */
}
END_TEST

/* The watchdog: an invocation its environment lost track of (the bug a
 * forged INIT_ERROR used to cause, simulated here by unhooking it) is
 * still answered, by its deadline + the exit wait + the margin. */
START_TEST(test_watchdog_answers_a_lost_invocation)
{
	struct forge_run run = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 1, { { 0 } } };
	struct forge_slot slot = { &run, 0 };
	struct fn_config c;
	struct timespec dl;
	bool lost = false;
	int rc = 0;

	cfg_for(&c, "sleep");
	c.timeout_s = 1;
	ck_assert_int_eq(rt_invoke_async(rt, &c, "{\"ms\":3000}", 11, forge_done, &slot), 0);
	for (int i = 0; i < 500 && !lost; i++) {
		pthread_mutex_lock(&rt->plock);
		for (struct pool *p = rt->pools; p && !lost; p = p->next)
			for (struct env *env = p->envs; env && !lost; env = env->next)
				if (env->state == ENV_BUSY && env->inv) {
					env->inv = NULL; /* lost: nothing will answer it */
					lost = true;
				}
		pthread_mutex_unlock(&rt->plock);
		if (!lost)
			usleep(10000);
	}
	ck_assert_msg(lost, "the invocation never got an environment");
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += 20;
	pthread_mutex_lock(&run.lock);
	while (run.left && rc == 0)
		rc = pthread_cond_timedwait(&run.cond, &run.lock, &dl);
	pthread_mutex_unlock(&run.lock);
	ck_assert_msg(run.left == 0, "the lost invocation was never answered");
	ck_assert_str_eq(run.types[0], "Runtime.InternalError");
}
END_TEST

START_TEST(test_event_retries_then_dead_letter)
{
	struct fn_config c;
	char dir[PATH_MAX];
	struct stat st;

	cfg_for(&c, "fail");
	ck_assert_int_eq(rt_invoke_event(rt, &c, "{\"error\":\"E\"}", 13), 0);
	rt_drain(rt);
	snprintf(dir, sizeof dir, "%s/dead-letter/fail", home);
	ck_assert_int_eq(stat(dir, &st), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rt");
	TCase *tc = tcase_create("rt");
	SRunner *sr;
	int failed;

	if (geteuid() != 0) {
		fprintf(stderr, "test_rt: needs root (namespaces, cgroups); skipped\n");
		return 77;
	}
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_echo_roundtrip);
	tcase_add_test(tc, test_raised_error_keeps_environment);
	tcase_add_test(tc, test_idle_environment_frozen);
	tcase_add_test(tc, test_no_other_configs_variables);
	tcase_add_test(tc, test_warm_state_persists);
	tcase_add_test(tc, test_timeout_replaces_environment);
	tcase_add_test(tc, test_warm_timeout);
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_payload_cap);
	tcase_add_test(tc, test_log_capture);
	tcase_add_test(tc, test_async_concurrency);
	tcase_add_test(tc, test_event_retries_then_dead_letter);
	tcase_add_test(tc, test_forged_frames_fail_only_the_forger);
	tcase_add_test(tc, test_watchdog_answers_a_lost_invocation);
	tcase_add_test(tc, test_answer_before_request_fails);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
