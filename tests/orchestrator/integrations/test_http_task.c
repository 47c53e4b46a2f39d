/* Unit tests of the HTTP Task (orchestrator/integrations/http_task.h) and connections
 * (orchestrator/connection.h) against tests/fixtures/http_fixture, which
 * main() starts once on a free 127.0.0.1 port. */
#include <check.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "connection.h"
#include "fsutil.h"
#include "http_task.h"

#include "fixture.h"

static int port;
static pid_t fixture_pid;
static char home[PATH_MAX];
static struct http_task *ht;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void setup(void)
{
	struct http_task_config cfg = { .home = home };
	struct err e = { 0 };

	ht = http_task_new(&cfg, &e);
	ck_assert_msg(ht, "%s", e.msg);
}

static void teardown(void)
{
	http_task_free(ht);
	ht = NULL;
}

/* A ring of buffers per thread: threads_share_one_task calls it from 8
 * threads at once (a shared ring raced: a request saw a half-written URL). */
static char *url(const char *path)
{
	static _Thread_local char u[8][512];
	static _Thread_local int i;

	i = (i + 1) % 8;
	snprintf(u[i], sizeof u[i], "http://127.0.0.1:%d%s", port, path);
	return u[i];
}

/* Invoke with Parameters given as JSON text (%s-formatted). */
static int call(const char *params_json, uint64_t deadline_ns, json_t **res, struct err *e)
{
	json_error_t je;
	json_t *p = json_loads(params_json, 0, &je);
	int rc;

	ck_assert_msg(p, "bad test JSON: %s: %s", je.text, params_json);
	memset(e, 0, sizeof *e);
	rc = http_task_invoke(ht, p, deadline_ns, res, e);
	json_decref(p);
	return rc;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	static char b[4][8192];
	static int i;
	va_list ap;

	i = (i + 1) % 4;
	va_start(ap, f);
	vsnprintf(b[i], sizeof b[i], f, ap);
	va_end(ap);
	return b[i];
}

START_TEST(get_json)
{
	struct err e;
	json_t *r = NULL;

	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\"}", url("/json")), 0, &r, &e), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "StatusCode")), 200);
	ck_assert_str_eq(json_string_value(json_object_get(r, "StatusText")), "OK");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "ResponseBody"), "hello")), "world");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(json_object_get(r, "Headers"), "content-type"), 0)),
			 "application/json");
	json_decref(r);
}
END_TEST

START_TEST(non_json_bodies)
{
	struct err e;
	json_t *r = NULL;

	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\"}", url("/text")), 0, &r, &e), 0);
	ck_assert_str_eq(json_string_value(json_object_get(r, "ResponseBody")), "plain text here");
	json_decref(r);
	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\"}", url("/badjson")), 0, &r, &e), 0);
	ck_assert_str_eq(json_string_value(json_object_get(r, "ResponseBody")), "{not json");
	json_decref(r);
	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\"}", url("/binary")), 0, &r, &e), -1);
	ck_assert_str_eq(e.type, "States.TaskFailed");
	ck_assert_ptr_null(r);
}
END_TEST

START_TEST(status_errors)
{
	struct err e;
	json_t *r = NULL, *cause;

	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\"}", url("/status/500")), 0, &r, &e), -1);
	ck_assert_str_eq(e.type, "States.Http.StatusCode.500");
	cause = json_loads(e.msg, 0, NULL);
	ck_assert_msg(cause, "cause is not JSON: %s", e.msg);
	ck_assert_int_eq(json_integer_value(json_object_get(cause, "StatusCode")), 500);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(cause, "ResponseBody"), "error")), "fixture error");
	json_decref(cause);
	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"DELETE\"}", url("/status/404")), 0, &r, &e), -1);
	ck_assert_str_eq(e.type, "States.Http.StatusCode.404");
	/* A 3xx is a result: redirects are not followed. */
	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\"}", url("/redirect")), 0, &r, &e), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "StatusCode")), 302);
	json_decref(r);
}
END_TEST

START_TEST(server_down)
{
	struct err e;
	json_t *r = NULL;

	/* Port 1 on loopback: nothing listens there. */
	ck_assert_int_eq(call("{\"ApiEndpoint\":\"http://127.0.0.1:1/x\",\"Method\":\"GET\"}", 0, &r, &e), -1);
	ck_assert_str_eq(e.type, "States.Http.Socket");
	ck_assert_ptr_null(r);
}
END_TEST

START_TEST(slow_deadline_and_limit)
{
	struct http_task_config cfg = { .home = home, .max_timeout_ms = 300 };
	struct http_task *short_ht;
	struct err e;
	json_t *r = NULL, *p;
	uint64_t t0 = now_ns();

	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\"}", url("/slow?ms=3000")),
			      now_ns() + 300000000u, &r, &e), -1);
	ck_assert_str_eq(e.type, "States.Timeout");
	ck_assert_uint_lt(now_ns() - t0, 2000000000u);
	/* The HTTP Task's own limit (60 s in AWS, 300 ms here). */
	short_ht = http_task_new(&cfg, &e);
	p = json_pack("{s:s,s:s}", "ApiEndpoint", url("/slow?ms=3000"), "Method", "GET");
	ck_assert_int_eq(http_task_invoke(short_ht, p, 0, &r, &e), -1);
	ck_assert_str_eq(e.type, "States.Http.Socket");
	/* A deadline already past fails at once. */
	ck_assert_int_eq(http_task_invoke(short_ht, p, now_ns() - 1, &r, &e), -1);
	ck_assert_str_eq(e.type, "States.Timeout");
	json_decref(p);
	http_task_free(short_ht);
}
END_TEST

START_TEST(big_body_capped)
{
	struct err e;
	json_t *r = NULL;
	struct rusage ru;

	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\"}", url("/big?mb=50")), 0, &r, &e), -1);
	ck_assert_str_eq(e.type, "States.DataLimitExceeded");
	ck_assert_ptr_null(r);
	getrusage(RUSAGE_SELF, &ru);
	/* 10 MiB cap (+ buffer doubling): never the 50 MiB body. */
	ck_assert_int_lt(ru.ru_maxrss, 48 * 1024);
}
END_TEST

START_TEST(echo_request)
{
	struct err e;
	json_t *r = NULL, *b, *q, *h;

	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"POST\","
				  "\"Headers\":{\"X-Test\":\"one\",\"X-Num\":5},"
				  "\"QueryParameters\":{\"a\":\"1 2\",\"b\":[\"x\",\"y\"]},"
				  "\"RequestBody\":{\"k\":\"v\",\"n\":[1,2]}}", url("/echo?pre=1")), 0, &r, &e), 0);
	b = json_object_get(r, "ResponseBody");
	q = json_object_get(b, "query");
	h = json_object_get(b, "headers");
	ck_assert_str_eq(json_string_value(json_object_get(b, "method")), "POST");
	ck_assert_str_eq(json_string_value(json_object_get(b, "body")), "{\"k\":\"v\",\"n\":[1,2]}");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(q, "pre"), 0)), "1");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(q, "a"), 0)), "1 2");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(q, "b"), 1)), "y");
	ck_assert_str_eq(json_string_value(json_object_get(h, "x-test")), "one");
	ck_assert_str_eq(json_string_value(json_object_get(h, "x-num")), "5");
	ck_assert_str_eq(json_string_value(json_object_get(h, "content-type")), "application/json; charset=UTF-8");
	json_decref(r);
	/* A string body goes as it is, with the caller's content type. */
	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"PUT\",\"Headers\":{\"Content-Type\":\"text/csv\"},"
				  "\"RequestBody\":\"a,b\\n1,2\"}", url("/echo")), 0, &r, &e), 0);
	b = json_object_get(r, "ResponseBody");
	ck_assert_str_eq(json_string_value(json_object_get(b, "body")), "a,b\n1,2");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(b, "headers"), "content-type")), "text/csv");
	json_decref(r);
}
END_TEST

static const char *form_body(const char *array_format)
{
	static char out[1024];
	struct err e;
	json_t *r = NULL;

	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"POST\","
				  "\"Transform\":{\"RequestBodyEncoding\":\"URL_ENCODED\""
				  "%s%s%s},"
				  "\"RequestBody\":{\"arr\":[\"a\",\"b c\"],\"s\":\"x&y\",\"o\":{\"p\":1}}}",
				  url("/echo"), array_format ? ",\"RequestEncodingOptions\":{\"ArrayFormat\":\"" : "",
				  array_format ? array_format : "", array_format ? "\"}" : ""),
			      0, &r, &e), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(r, "ResponseBody"), "headers"),
							     "content-type")),
			 "application/x-www-form-urlencoded");
	snprintf(out, sizeof out, "%s", json_string_value(json_object_get(json_object_get(r, "ResponseBody"), "body")));
	json_decref(r);
	return out;
}

START_TEST(url_encoded_bodies)
{
	ck_assert_str_eq(form_body(NULL), "arr%5B0%5D=a&arr%5B1%5D=b%20c&s=x%26y&o%5Bp%5D=1");
	ck_assert_str_eq(form_body("INDICES"), "arr%5B0%5D=a&arr%5B1%5D=b%20c&s=x%26y&o%5Bp%5D=1");
	ck_assert_str_eq(form_body("REPEAT"), "arr=a&arr=b%20c&s=x%26y&o%5Bp%5D=1");
	ck_assert_str_eq(form_body("COMMAS"), "arr=a%2Cb%20c&s=x%26y&o%5Bp%5D=1");
	ck_assert_str_eq(form_body("BRACKETS"), "arr%5B%5D=a&arr%5B%5D=b%20c&s=x%26y&o%5Bp%5D=1");
}
END_TEST

START_TEST(bad_parameters)
{
	static const char *const cases[] = {
		"{\"Method\":\"GET\"}",
		"{\"ApiEndpoint\":\"ftp://x/\",\"Method\":\"GET\"}",
		"{\"ApiEndpoint\":\"http://127.0.0.1:1/\",\"Method\":\"FETCH\"}",
		"{\"ApiEndpoint\":\"http://127.0.0.1:1/\",\"Method\":\"GET\",\"Headers\":{\"Host\":\"evil\"}}",
		"{\"ApiEndpoint\":\"http://127.0.0.1:1/\",\"Method\":\"GET\",\"Headers\":{\"x-amz-date\":\"1\"}}",
		"{\"ApiEndpoint\":\"http://127.0.0.1:1/\",\"Method\":\"GET\",\"Headers\":{\"X\":\"a\\r\\nB: c\"}}",
		"{\"ApiEndpoint\":\"http://127.0.0.1:1/\",\"Method\":\"GET\",\"Headers\":[1]}",
		"{\"ApiEndpoint\":\"http://127.0.0.1:1/\",\"Method\":\"GET\",\"QueryParameters\":{\"a\":{\"b\":1}}}",
		"{\"ApiEndpoint\":\"http://127.0.0.1:1/\",\"Method\":\"POST\",\"Transform\":{\"RequestBodyEncoding\":\"XML\"}}",
		"{\"ApiEndpoint\":\"http://127.0.0.1:1/\",\"Method\":\"POST\",\"Transform\":{\"RequestBodyEncoding\":\"URL_ENCODED\",\"RequestEncodingOptions\":{\"ArrayFormat\":\"DOTS\"}}}",
		"{\"ApiEndpoint\":\"http://127.0.0.1:1/\",\"Method\":\"GET\",\"Authentication\":{\"ConnectionArn\":\"arn:aws:events:us-east-1:1:connection/../x\"}}",
		"{\"ApiEndpoint\":\"http://127.0.0.1:1/\",\"Method\":\"GET\",\"Authentication\":\"x\"}",
	};
	struct err e;
	json_t *r = NULL;

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ck_assert_int_eq(call(cases[i], 0, &r, &e), -1);
		ck_assert_msg(!strcmp(e.type, "States.Runtime"), "case %zu: %s: %s", i, e.type, e.msg);
	}
}
END_TEST

static void save_conn(const char *name, const char *text)
{
	struct err e = { 0 };

	ck_assert_msg(connection_save(home, name, text, &e) == 0, "%s: %s", e.type, e.msg);
}

START_TEST(connection_api_key)
{
	struct err e;
	json_t *r = NULL;
	char *text;

	save_conn("keyed", "{\"AuthorizationType\":\"API_KEY\",\"AuthParameters\":{"
			   "\"ApiKeyAuthParameters\":{\"ApiKeyName\":\"x-api-key\",\"ApiKeyValue\":\"s3cr3t-key\"},"
			   "\"InvocationHttpParameters\":{\"HeaderParameters\":[{\"Key\":\"X-Conn\",\"Value\":\"yes\"}],"
			   "\"QueryStringParameters\":[{\"Key\":\"cq\",\"Value\":7}],"
			   "\"BodyParameters\":[{\"Key\":\"cb\",\"Value\":\"from-conn\"}]}}}");
	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"POST\",\"RequestBody\":{\"mine\":1},"
				  "\"Authentication\":{\"ConnectionArn\":\"arn:aws:events:us-east-1:123456789012:connection/keyed/0f1e\"}}",
				  url("/echo")), 0, &r, &e), 0);
	text = json_dumps(json_object_get(r, "ResponseBody"), JSON_COMPACT);
	ck_assert_ptr_nonnull(strstr(text, "\"x-api-key\":\"s3cr3t-key\""));
	ck_assert_ptr_nonnull(strstr(text, "\"x-conn\":\"yes\""));
	ck_assert_ptr_nonnull(strstr(text, "\"cq\":[\"7\"]"));
	ck_assert_ptr_nonnull(strstr(text, "\\\"cb\\\":\\\"from-conn\\\""));
	free(text);
	/* The secret stays out of the result's own fields and of errors. */
	ck_assert_ptr_null(json_object_get(r, "RequestHeaders"));
	json_decref(r);
	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\","
				  "\"Authentication\":{\"ConnectionArn\":\"keyed\"}}", url("/status/401")), 0, &r, &e), -1);
	ck_assert_str_eq(e.type, "States.Http.StatusCode.401");
	ck_assert_ptr_null(strstr(e.msg, "s3cr3t"));
}
END_TEST

START_TEST(connection_basic_and_oauth)
{
	struct err e;
	json_t *r = NULL;
	const char *auth;

	save_conn("basic", "{\"AuthorizationType\":\"BASIC\",\"AuthParameters\":{\"BasicAuthParameters\":"
			   "{\"Username\":\"u\",\"Password\":\"p\"}}}");
	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\",\"Authentication\":{\"ConnectionArn\":\"basic\"}}",
				  url("/echo")), 0, &r, &e), 0);
	auth = json_string_value(json_object_get(json_object_get(json_object_get(r, "ResponseBody"), "headers"), "authorization"));
	ck_assert_str_eq(auth, "Basic dTpw");
	json_decref(r);
	save_conn("oauth", fmt("{\"AuthorizationType\":\"OAUTH_CLIENT_CREDENTIALS\",\"AuthParameters\":{\"OAuthParameters\":"
			       "{\"AuthorizationEndpoint\":\"%s\",\"HttpMethod\":\"POST\",\"ClientParameters\":"
			       "{\"ClientID\":\"cid\",\"ClientSecret\":\"csecret\"}}}}", url("/token")));
	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\",\"Authentication\":{\"ConnectionArn\":\"oauth\"}}",
				  url("/echo")), 0, &r, &e), 0);
	auth = json_string_value(json_object_get(json_object_get(json_object_get(r, "ResponseBody"), "headers"), "authorization"));
	ck_assert_str_eq(auth, "Bearer tok-123");
	json_decref(r);
	save_conn("badoauth", fmt("{\"AuthorizationType\":\"OAUTH_CLIENT_CREDENTIALS\",\"AuthParameters\":{\"OAuthParameters\":"
				  "{\"AuthorizationEndpoint\":\"%s\",\"ClientParameters\":"
				  "{\"ClientID\":\"cid\",\"ClientSecret\":\"wrong\"}}}}", url("/token")));
	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\",\"Authentication\":{\"ConnectionArn\":\"badoauth\"}}",
				  url("/echo")), 0, &r, &e), -1);
	ck_assert_str_eq(e.type, "States.TaskFailed");
	save_conn("fixed", "{\"AuthorizationType\":\"OAUTH_CLIENT_CREDENTIALS\",\"AuthParameters\":{\"OAuthParameters\":"
			   "{\"AccessToken\":\"static-tok\"}}}");
	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\",\"Authentication\":{\"ConnectionArn\":\"fixed\"}}",
				  url("/echo")), 0, &r, &e), 0);
	auth = json_string_value(json_object_get(json_object_get(json_object_get(r, "ResponseBody"), "headers"), "authorization"));
	ck_assert_str_eq(auth, "Bearer static-tok");
	json_decref(r);
}
END_TEST

START_TEST(connection_errors)
{
	char path[PATH_MAX + 64];
	struct err e;
	json_t *r = NULL;

	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\",\"Authentication\":{\"ConnectionArn\":\"nope\"}}",
				  url("/json")), 0, &r, &e), -1);
	ck_assert_str_eq(e.type, "States.Http.ConnectionNotFound");
	snprintf(path, sizeof path, "%s/connections", home);
	fs_mkdir_p(path, 0700);
	snprintf(path, sizeof path, "%s/connections/broken.json", home);
	ck_assert_int_eq(fs_write_atomic(path, "{\"AuthorizationType\":\"API_KEY\",\"AuthParameters\":{\"secret\":", 58, 0600), 0);
	ck_assert_int_eq(call(fmt("{\"ApiEndpoint\":\"%s\",\"Method\":\"GET\",\"Authentication\":{\"ConnectionArn\":\"broken\"}}",
				  url("/json")), 0, &r, &e), -1);
	ck_assert_str_eq(e.type, "States.Http.ConnectionInvalid");
	ck_assert_int_eq(connection_save(home, "bad", "{\"AuthorizationType\":\"NONE\",\"AuthParameters\":{}}", &e), -1);
	ck_assert_str_eq(e.type, "States.Http.ConnectionInvalid");
}
END_TEST

START_TEST(request_body_cap)
{
	struct http_task_config cfg = { .home = home, .max_request = 64 };
	struct http_task *small = http_task_new(&cfg, NULL);
	json_t *p = json_pack("{s:s,s:s,s:s}", "ApiEndpoint", url("/echo"), "Method", "POST", "RequestBody",
			      "0123456789012345678901234567890123456789012345678901234567890123456789");
	struct err e = { 0 };
	json_t *r = NULL;

	ck_assert_int_eq(http_task_invoke(small, p, 0, &r, &e), -1);
	ck_assert_str_eq(e.type, "States.DataLimitExceeded");
	json_decref(p);
	http_task_free(small);
}
END_TEST

static pthread_mutex_t hammer_lock = PTHREAD_MUTEX_INITIALIZER;
static char hammer_err[512];   /* the first failure, for the assertion's message */

static void *hammer(void *arg)
{
	long ok = 0;

	(void)arg;
	for (int i = 0; i < 40; i++) {
		json_t *p = json_pack("{s:s,s:s}", "ApiEndpoint", url("/json"), "Method", "GET"), *r = NULL;
		struct err e = { 0 };

		if (!http_task_invoke(ht, p, 0, &r, &e) && json_integer_value(json_object_get(r, "StatusCode")) == 200) {
			ok++;
		} else {
			pthread_mutex_lock(&hammer_lock);
			if (!hammer_err[0])
				snprintf(hammer_err, sizeof hammer_err, "%s: %s (status %lld)", e.type, e.msg,
					 (long long)json_integer_value(json_object_get(r, "StatusCode")));
			pthread_mutex_unlock(&hammer_lock);
		}
		json_decref(r);
		json_decref(p);
	}
	return (void *)ok;
}

START_TEST(threads_share_one_task)
{
	pthread_t t[8];
	long total = 0;

	for (int i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, hammer, NULL);
	for (int i = 0; i < 8; i++) {
		void *ok;

		pthread_join(t[i], &ok);
		total += (long)ok;
	}
	ck_assert_msg(total == 8 * 40, "%ld of %d requests succeeded; the first failure: %s", total, 8 * 40,
		      hammer_err);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("http_task");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	snprintf(home, sizeof home, "/tmp/tutti-http-test.%d", (int)getpid());
	fs_mkdir_p(home, 0700);
	fixture_pid = fixture_start(&port);
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, get_json);
	tcase_add_test(tc, non_json_bodies);
	tcase_add_test(tc, status_errors);
	tcase_add_test(tc, server_down);
	tcase_add_test(tc, slow_deadline_and_limit);
	tcase_add_test(tc, big_body_capped);
	tcase_add_test(tc, echo_request);
	tcase_add_test(tc, url_encoded_bodies);
	tcase_add_test(tc, bad_parameters);
	tcase_add_test(tc, connection_api_key);
	tcase_add_test(tc, connection_basic_and_oauth);
	tcase_add_test(tc, connection_errors);
	tcase_add_test(tc, request_body_cap);
	tcase_add_test(tc, threads_share_one_task);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	fixture_stop(fixture_pid);
	fs_rm_rf(home);
	return failed ? 1 : 0;
}
