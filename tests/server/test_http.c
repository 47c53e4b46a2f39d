/* Unit tests of the HTTP layer of `tutti serve` (server/http.h): each test
 * starts a server on 127.0.0.1:0 and talks to it with libcurl (and raw
 * sockets for slow clients). svc_call is the stand-in below, linked only
 * into this test: targets Fake.Echo (answers the request), Fake.Fail
 * (fails with the request's "type" and "message"), Fake.Sleep (sleeps
 * "ms", then echoes). */
#include <arpa/inet.h>
#include <check.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "http.h"
#include "service.h"

/* ---- the stand-in service --------------------------------------------------- */

const char *const *svc_targets(void)
{
	static const char *const t[] = { "Fake.Echo", "Fake.Fail", "Fake.Sleep", NULL };

	return t;
}

int svc_http_status(const struct err *e)
{
	if (!strcmp(e->type, "ServiceUnavailable"))
		return 503;
	if (!strncmp(e->type, "Internal", 8))
		return 500;
	return 400;
}

const char *svc_error_namespace(const char *target, const char *type)
{
	(void)target;
	(void)type;
	return NULL;   /* svc_sfn.c's is tested by tests/e2e/api_sfn.sh */
}

int svc_call(struct svc *s, const char *target, json_t *req, json_t **resp, struct err *e)
{
	(void)s;
	*resp = NULL;
	if (!strcmp(target, "Fake.Fail"))
		return err_setn(e, json_string_value(json_object_get(req, "type")), "%s",
				json_string_value(json_object_get(req, "message")));
	if (!strcmp(target, "Fake.Sleep"))
		usleep((useconds_t)json_integer_value(json_object_get(req, "ms")) * 1000);
	*resp = json_incref(req);
	return 0;
}

/* ---- helpers -------------------------------------------------------------------- */

static struct svc *const FAKE = (struct svc *)1;  /* never dereferenced */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct http_server *start(unsigned threads, unsigned max_conns, unsigned timeout_s)
{
	struct http_options o;
	struct http_server *h = NULL;
	struct err e = { 0 };

	http_options_init(&o);
	o.listen = "127.0.0.1:0";
	o.threads = threads;
	o.max_conns = max_conns;
	o.timeout_s = timeout_s;
	ck_assert_msg(!http_new(&o, &h, &e), "%s: %s", e.type, e.msg);
	ck_assert(!http_route(h, "POST", "/", http_aws_json, FAKE, 0, &e));
	ck_assert_msg(!http_start(h, &e), "%s: %s", e.type, e.msg);
	ck_assert_uint_gt(http_port(h), 0);
	return h;
}

struct reply {
	long status;
	char ctype[128];
	char allow[128];
	char body[4096];
	size_t len;
	long connects;   /* new connections this transfer opened */
	CURLcode rc;
};

static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
	struct reply *r = arg;
	size_t k = sz * n, room = sizeof r->body - 1 - r->len;

	memcpy(r->body + r->len, p, k < room ? k : room);
	r->len += k < room ? k : room;
	r->body[r->len] = '\0';
	return k;
}

static size_t on_header(char *p, size_t sz, size_t n, void *arg)
{
	struct reply *r = arg;
	size_t k = sz * n;

	if (!strncasecmp(p, "Allow:", 6))
		snprintf(r->allow, sizeof r->allow, "%.*s", (int)(k - 6), p + 6);
	return k;
}

/* Headers every request() adds (Host, Origin), NULL-ended. */
static const char *extra[4];

/* One request on `c` (a reused handle keeps its connection). target NULL:
 * no X-Amz-Target; ctype NULL: the default AWS JSON 1.0; body NULL: GET. */
static void request(CURL *c, const struct http_server *h, const char *method, const char *path,
		    const char *target, const char *ctype, const char *body, long len, bool chunked, struct reply *r)
{
	struct curl_slist *hd = NULL;
	char url[256], line[256];
	char *ct = NULL;

	memset(r, 0, sizeof *r);
	snprintf(url, sizeof url, "%s%s", http_url(h), path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (target) {
		snprintf(line, sizeof line, "X-Amz-Target: %s", target);
		hd = curl_slist_append(hd, line);
	}
	snprintf(line, sizeof line, "Content-Type: %s", ctype ? ctype : "application/x-amz-json-1.0");
	hd = curl_slist_append(hd, line);
	hd = curl_slist_append(hd, "Expect:");
	for (size_t i = 0; i < sizeof extra / sizeof *extra && extra[i]; i++)
		hd = curl_slist_append(hd, extra[i]);
	if (chunked)
		hd = curl_slist_append(hd, "Transfer-Encoding: chunked");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hd);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, chunked ? -1L : len);
	} else {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	}
	r->rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
	if (ct)
		snprintf(r->ctype, sizeof r->ctype, "%s", ct);
	curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &r->connects);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hd);
}

static void post(const struct http_server *h, const char *target, const char *body, struct reply *r)
{
	CURL *c = curl_easy_init();

	request(c, h, "POST", "/", target, NULL, body, (long)strlen(body), false, r);
	curl_easy_cleanup(c);
}

/* The reply is JSON {"__type": type, ...} with that status. */
static void is_error(const struct reply *r, long status, const char *type)
{
	json_t *j = json_loads(r->body, 0, NULL);

	ck_assert_msg(r->rc == CURLE_OK, "curl: %s", curl_easy_strerror(r->rc));
	ck_assert_msg(r->status == status, "status %ld, expected %ld: %s", r->status, status, r->body);
	ck_assert_msg(j && json_is_string(json_object_get(j, "__type")) &&
		      json_is_string(json_object_get(j, "message")), "not an error shape: %s", r->body);
	ck_assert_str_eq(json_string_value(json_object_get(j, "__type")), type);
	json_decref(j);
}

static int tcp_connect(unsigned port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_ge(fd, 0);
	ck_assert_msg(!connect(fd, (struct sockaddr *)&a, sizeof a), "connect: %s", strerror(errno));
	return fd;
}

/* Whether the server closes fd within ms (EOF or a reset). */
static bool closed_within(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char b[512];

	while (poll(&p, 1, ms) == 1) {
		ssize_t n = read(fd, b, sizeof b);

		if (n <= 0)
			return true;
	}
	return false;
}

/* ---- tests ------------------------------------------------------------------------ */

START_TEST(health_and_echo)
{
	struct http_server *h = start(0, 0, 0);
	CURL *c = curl_easy_init();
	struct reply r;

	request(c, h, "GET", "/health", NULL, NULL, NULL, 0, false, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "{\"status\":\"ok\"}");
	request(c, h, "POST", "/", "Fake.Echo", NULL, "{\"a\": [1, \"x\"]}", -1, false, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "{\"a\":[1,\"x\"]}");
	ck_assert_str_eq(r.ctype, "application/x-amz-json-1.0");
	request(c, h, "POST", "/", "Fake.Echo", "application/x-amz-json-1.1", "{}", 2, false, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.ctype, "application/x-amz-json-1.1");
	/* an empty body is an empty request */
	request(c, h, "POST", "/", "Fake.Echo", NULL, "", 0, false, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "{}");
	curl_easy_cleanup(c);
	http_free(h);
}
END_TEST

START_TEST(errors_have_the_aws_shape)
{
	struct http_server *h = start(0, 0, 0);
	CURL *c = curl_easy_init();
	struct reply r;

	post(h, "Fake.Fail", "{\"type\": \"ExecutionDoesNotExist\", \"message\": \"no such execution\"}", &r);
	is_error(&r, 400, "ExecutionDoesNotExist");
	ck_assert_ptr_nonnull(strstr(r.body, "\"message\":\"no such execution\""));
	post(h, "Fake.Fail", "{\"type\": \"ServiceUnavailable\", \"message\": \"down\"}", &r);
	is_error(&r, 503, "ServiceUnavailable");
	post(h, "Fake.Fail", "{\"type\": \"InternalFailure\", \"message\": \"x\"}", &r);
	is_error(&r, 500, "InternalFailure");
	post(h, "Fake.Nope", "{}", &r);
	is_error(&r, 400, "UnknownOperationException");
	ck_assert_ptr_nonnull(strstr(r.body, "Fake.Nope"));
	post(h, NULL, "{}", &r);
	is_error(&r, 400, "UnknownOperationException");
	post(h, "Fake.Echo", "{\"a\": ", &r);
	is_error(&r, 400, "SerializationException");
	post(h, "Fake.Echo", "[1, 2]", &r);
	is_error(&r, 400, "SerializationException");
	post(h, "Fake.Echo", "{\"a\": \"\xff\"}", &r);
	is_error(&r, 400, "SerializationException");
	request(c, h, "POST", "/", "Fake.Echo", "text/plain", "{}", 2, false, &r);
	is_error(&r, 415, "UnsupportedMediaTypeException");
	/* wrong method, wrong path */
	request(c, h, "GET", "/", NULL, NULL, NULL, 0, false, &r);
	is_error(&r, 405, "MethodNotAllowedException");
	ck_assert_ptr_nonnull(strstr(r.allow, "POST"));
	request(c, h, "DELETE", "/health", NULL, NULL, NULL, 0, false, &r);
	is_error(&r, 405, "MethodNotAllowedException");
	request(c, h, "GET", "/nope", NULL, NULL, NULL, 0, false, &r);
	is_error(&r, 404, "NotFoundException");
	request(c, h, "POST", "/x/y", "Fake.Echo", NULL, "{}", 2, false, &r);
	is_error(&r, 404, "NotFoundException");
	curl_easy_cleanup(c);
	http_free(h);
}
END_TEST

/* A body at the cap is served; one byte more is 413, declared or chunked,
 * and the answer comes at once (the connection is not left hanging). */
START_TEST(body_cap)
{
	struct http_server *h = start(0, 0, 0);
	size_t n = SVC_REQUEST_MAX + 1;
	char *big = malloc(n + 1);
	CURL *c = curl_easy_init();
	struct reply r;
	uint64_t t0;

	memset(big, ' ', n);
	big[0] = '{';
	big[n - 2] = '}';
	big[n - 1] = ' ';
	big[n] = '\0';
	request(c, h, "POST", "/", "Fake.Echo", NULL, big, (long)(n - 1), false, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "{}");
	t0 = now_ms();
	request(c, h, "POST", "/", "Fake.Echo", NULL, big, (long)n, false, &r);
	is_error(&r, 413, "RequestTooLargeException");
	ck_assert_uint_lt(now_ms() - t0, 5000);
	request(c, h, "POST", "/", "Fake.Echo", NULL, big, (long)n, true, &r);
	is_error(&r, 413, "RequestTooLargeException");
	/* the server still serves, on a new connection */
	request(c, h, "POST", "/", "Fake.Echo", NULL, "{\"ok\":1}", -1, false, &r);
	ck_assert_int_eq(r.status, 200);
	curl_easy_cleanup(c);
	free(big);
	http_free(h);
}
END_TEST

START_TEST(keep_alive)
{
	struct http_server *h = start(0, 0, 0);
	CURL *c = curl_easy_init();
	struct reply r;

	request(c, h, "POST", "/", "Fake.Echo", NULL, "{}", 2, false, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.connects, 1);
	for (int i = 0; i < 5; i++) {
		request(c, h, "POST", "/", "Fake.Echo", NULL, "{}", 2, false, &r);
		ck_assert_int_eq(r.status, 200);
		ck_assert_int_eq(r.connects, 0);   /* the same connection */
	}
	/* an error answer keeps the connection too */
	request(c, h, "POST", "/", "Fake.Nope", NULL, "{}", 2, false, &r);
	ck_assert_int_eq(r.status, 400);
	request(c, h, "POST", "/", "Fake.Echo", NULL, "{}", 2, false, &r);
	ck_assert_int_eq(r.connects, 0);
	curl_easy_cleanup(c);
	http_free(h);
}
END_TEST

struct client {
	const struct http_server *h;
	int ok;
};

static void *sleeper(void *arg)
{
	struct client *cl = arg;
	struct reply r;

	post(cl->h, "Fake.Sleep", "{\"ms\": 300}", &r);
	cl->ok = r.status == 200 && !strcmp(r.body, "{\"ms\":300}");
	return NULL;
}

/* 16 clients whose calls block 300 ms each. A thread per connection (the
 * default) serves them at once; a pool only has to answer them all: its
 * threads share connections, so a blocked handler holds up the others on
 * its thread (measured: 16 such clients took 0.3 s with a thread per
 * connection, up to 4.5 s with a pool of 16 — why it is not the default). */
static void concurrent(unsigned threads, bool at_once)
{
	struct http_server *h = start(threads, 0, 0);
	struct client cl[16];
	pthread_t t[16];
	uint64_t t0 = now_ms(), took;

	for (int i = 0; i < 16; i++) {
		cl[i] = (struct client){ .h = h };
		ck_assert(!pthread_create(&t[i], NULL, sleeper, &cl[i]));
	}
	for (int i = 0; i < 16; i++) {
		pthread_join(t[i], NULL);
		ck_assert_msg(cl[i].ok, "client %d failed", i);
	}
	took = now_ms() - t0;
	ck_assert_msg(!at_once || took < 16 * 300 / 2, "16 blocking calls took %llu ms: not concurrent",
		      (unsigned long long)took);
	http_free(h);
}

START_TEST(concurrent_clients)
{
	concurrent(0, true);
	concurrent(4, false);
}
END_TEST

/* Clients that send half a request and stall hold no thread from the
 * others, and are cut after the idle timeout. */
START_TEST(slow_clients)
{
	struct http_server *h = start(0, 32, 1);
	int fds[8];
	struct reply r;
	uint64_t t0;

	for (int i = 0; i < 8; i++) {
		fds[i] = tcp_connect(http_port(h));
		ck_assert_int_gt(write(fds[i], "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-", 33), 0);
	}
	t0 = now_ms();
	post(h, "Fake.Echo", "{\"x\":1}", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_lt(now_ms() - t0, 1000);
	for (int i = 0; i < 8; i++) {
		ck_assert_msg(closed_within(fds[i], 5000), "slow client %d not cut after the timeout", i);
		close(fds[i]);
	}
	/* a body that stalls half-way, too */
	fds[0] = tcp_connect(http_port(h));
	ck_assert_int_gt(write(fds[0], "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Fake.Echo\r\n"
				       "Content-Type: application/x-amz-json-1.0\r\nContent-Length: 10\r\n\r\n{\"a\"", 120), 0);
	ck_assert(closed_within(fds[0], 5000));
	close(fds[0]);
	http_free(h);
}
END_TEST

/* At most max_conns connections: one more is closed at once, and the
 * slots come back when clients leave. */
START_TEST(connection_cap)
{
	struct http_server *h = start(0, 4, 30);
	int fds[5];
	struct reply r;

	for (int i = 0; i < 4; i++)
		fds[i] = tcp_connect(http_port(h));
	usleep(200 * 1000);
	fds[4] = tcp_connect(http_port(h));
	ck_assert_msg(closed_within(fds[4], 3000), "a fifth connection was kept");
	for (int i = 0; i < 5; i++)
		close(fds[i]);
	usleep(300 * 1000);
	post(h, "Fake.Echo", "{}", &r);
	ck_assert_int_eq(r.status, 200);
	http_free(h);
}
END_TEST

struct stopper {
	struct http_server *h;
};

static void *stop_soon(void *arg)
{
	usleep(150 * 1000);
	http_stop(arg);
	return NULL;
}

/* http_stop answers the requests being handled before it closes. */
START_TEST(stop_finishes_in_flight)
{
	struct http_server *h = start(0, 0, 0);
	struct reply r;
	pthread_t t;
	CURL *c;

	ck_assert(!pthread_create(&t, NULL, stop_soon, h));
	post(h, "Fake.Sleep", "{\"ms\": 600}", &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "{\"ms\":600}");
	pthread_join(t, NULL);
	/* and then serves no more */
	c = curl_easy_init();
	request(c, h, "GET", "/health", NULL, NULL, NULL, 0, false, &r);
	ck_assert_int_ne(r.rc, CURLE_OK);
	curl_easy_cleanup(c);
	http_free(h);
}
END_TEST

START_TEST(port_in_use)
{
	struct http_server *h = start(0, 0, 0), *h2 = NULL;
	struct http_options o;
	struct err e = { 0 };
	char addr[64];

	http_options_init(&o);
	snprintf(addr, sizeof addr, "127.0.0.1:%u", http_port(h));
	o.listen = addr;
	ck_assert_int_eq(http_new(&o, &h2, &e), -1);
	ck_assert_ptr_null(h2);
	ck_assert_msg(strstr(e.msg, "Address already in use") && strstr(e.msg, addr), "%s", e.msg);
	o.listen = "127.0.0.1";
	ck_assert_int_eq(http_new(&o, &h2, &e), -1);
	o.listen = "127.0.0.1:99999";
	ck_assert_int_eq(http_new(&o, &h2, &e), -1);
	o.listen = "no.such.host.invalid:80";
	ck_assert_int_eq(http_new(&o, &h2, &e), -1);
	http_free(h);
}
END_TEST

static int console(void *arg, const struct http_request *req, struct http_response *resp)
{
	char *s;

	(void)arg;
	if (asprintf(&s, "page %s (%zu bytes) q=%s", req->path, req->len,
		     http_query(req, "q") ? http_query(req, "q") : "-") < 0)
		return -1;
	resp->status = 200;
	resp->content_type = "text/plain";
	resp->body = s;
	resp->len = strlen(s);
	return 0;
}

/* Further routes: a prefix, any method, its own body cap. */
START_TEST(routes_table)
{
	struct http_options o;
	struct http_server *h = NULL;
	struct err e = { 0 };
	CURL *c = curl_easy_init();
	struct reply r;

	http_options_init(&o);
	o.listen = "127.0.0.1:0";
	ck_assert(!http_new(&o, &h, &e));
	ck_assert(!http_route(h, "POST", "/", http_aws_json, FAKE, 0, &e));
	ck_assert(!http_route(h, "GET", "/console/*", console, NULL, 0, &e));
	ck_assert(!http_route(h, "*", "/small", console, NULL, 10, &e));
	ck_assert_int_eq(http_route(h, "GET", "nope", console, NULL, 0, &e), -1);
	ck_assert(!http_start(h, &e));
	ck_assert_int_eq(http_route(h, "GET", "/late", console, NULL, 0, &e), -1);
	request(c, h, "GET", "/console/app.js?q=1", NULL, NULL, NULL, 0, false, &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, "page /console/app.js (0 bytes) q=1");
	ck_assert_str_eq(r.ctype, "text/plain");
	request(c, h, "PUT", "/small", NULL, NULL, "0123456789", 10, false, &r);
	ck_assert_str_eq(r.body, "page /small (10 bytes) q=-");
	request(c, h, "PUT", "/small", NULL, NULL, "0123456789A", 11, false, &r);
	is_error(&r, 413, "RequestTooLargeException");
	request(c, h, "POST", "/console/x", NULL, NULL, "{}", 2, false, &r);
	is_error(&r, 405, "MethodNotAllowedException");
	/* the built-in routes are still there */
	request(c, h, "POST", "/", "Fake.Echo", NULL, "{}", 2, false, &r);
	ck_assert_int_eq(r.status, 200);
	curl_easy_cleanup(c);
	http_free(h);
}
END_TEST


/* With credentials every request needs SigV4 (signed here by libcurl's own
 * signer, CURLOPT_AWS_SIGV4); without, only loopback addresses. */
START_TEST(sigv4_and_binding)
{
	char dir[] = "/tmp/test_http.XXXXXX", path[64], url[128];
	struct http_options o;
	struct http_server *h = NULL;
	struct err e = { 0 };
	struct reply r;
	CURL *c = curl_easy_init(), *g;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/credentials", dir);
	f = fopen(path, "w");
	fprintf(f, "[default]\naws_access_key_id = AKIDTUTTI\naws_secret_access_key = secret/+key\n");
	fclose(f);
	chmod(path, 0600);
	/* no credentials: loopback only */
	http_options_init(&o);
	o.listen = "0.0.0.0:0";
	ck_assert_int_eq(http_new(&o, &h, &e), -1);
	ck_assert_msg(strstr(e.msg, "without credentials"), "%s", e.msg);
	o.listen = "[::]:0";
	ck_assert_int_eq(http_new(&o, &h, &e), -1);
	/* with them, anywhere; requests must be signed */
	o.listen = "0.0.0.0:0";
	o.credentials = path;
	ck_assert_msg(!http_new(&o, &h, &e), "%s", e.msg);
	ck_assert(!http_route(h, "POST", "/", http_aws_json, FAKE, 0, &e));
	ck_assert(!http_start(h, &e));
	request(c, h, "POST", "/", "Fake.Echo", NULL, "{\"a\":1}", 7, false, &r);
	is_error(&r, 403, "MissingAuthenticationTokenException");
	request(c, h, "GET", "/health", NULL, NULL, NULL, 0, false, &r);
	ck_assert_int_eq(r.status, 200);
	curl_easy_setopt(c, CURLOPT_AWS_SIGV4, "aws:amz:eu-west-3:states");
	curl_easy_setopt(c, CURLOPT_USERPWD, "AKIDTUTTI:secret/+key");
	request(c, h, "POST", "/", "Fake.Echo", NULL, "{\"a\":1}", 7, false, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(r.body, "{\"a\":1}");
	/* a query string and an unrouted path are checked too (then 404); a
	 * new handle: libcurl would hash the last POST's body into a GET */
	g = curl_easy_init();
	curl_easy_setopt(g, CURLOPT_AWS_SIGV4, "aws:amz:eu-west-3:states");
	curl_easy_setopt(g, CURLOPT_USERPWD, "AKIDTUTTI:secret/+key");
	request(g, h, "GET", "/nothing/here?a=1&b=2", NULL, NULL, NULL, 0, false, &r);
	is_error(&r, 404, "NotFoundException");
	curl_easy_cleanup(g);
	curl_easy_setopt(c, CURLOPT_USERPWD, "AKIDTUTTI:wrong");
	request(c, h, "POST", "/", "Fake.Echo", NULL, "{\"a\":1}", 7, false, &r);
	is_error(&r, 403, "InvalidSignatureException");
	curl_easy_setopt(c, CURLOPT_USERPWD, "AKIDOTHER:secret/+key");
	request(c, h, "POST", "/", "Fake.Echo", NULL, "{\"a\":1}", 7, false, &r);
	is_error(&r, 403, "UnrecognizedClientException");
	/* S3's paths answer in S3's XML */
	g = curl_easy_init();
	curl_easy_setopt(g, CURLOPT_AWS_SIGV4, "aws:amz:eu-west-3:s3");
	curl_easy_setopt(g, CURLOPT_USERPWD, "AKIDOTHER:secret/+key");
	request(g, h, "GET", "/bucket/key", NULL, NULL, NULL, 0, false, &r);
	curl_easy_cleanup(g);
	ck_assert_int_eq(r.status, 403);
	ck_assert_msg(strstr(r.body, "<Code>InvalidAccessKeyId</Code>"), "%s", r.body);
	snprintf(url, sizeof url, "%s", http_url(h));
	ck_assert_msg(strstr(url, "127.0.0.1"), "%s", url);
	curl_easy_cleanup(c);
	http_free(h);
	unlink(path);
	rmdir(dir);
}
END_TEST

/* A web page in the user's browser must not drive the server: a Host
 * that is not a loopback name is refused (DNS rebinding), and so is a
 * POST whose Origin is another site (cross-site forms); the server's own
 * pages may. Public routes answer without a signature, others do not. */
START_TEST(browser_guard)
{
	char dir[] = "/tmp/test_http.XXXXXX", path[64], origin[128], host[96];
	static const char *const good_hosts[] = { "Host: localhost:1", "Host: 127.0.0.1", "Host: 127.9.8.7:80",
						  "Host: bucket.localhost:9", "Host: sync-127.0.0.1:8080",
						  "Host: [::1]:8080", "Host: LOCALHOST" };
	static const char *const bad_hosts[] = { "Host: evil.example:8080", "Host: 128.0.0.1",
						 "Host: localhost.evil.example", "Host: 127.0.0.1.evil.example",
						 "Host: 127.0.0.256", "Host: x-10.0.0.1", "Host: [::2]:80" };
	struct http_options o;
	struct http_server *h = NULL;
	struct err e = { 0 };
	struct reply r;
	CURL *c = curl_easy_init();
	FILE *f;
	size_t i;

	http_options_init(&o);
	o.listen = "127.0.0.1:0";
	ck_assert(!http_new(&o, &h, &e));
	ck_assert(!http_route(h, "POST", "/", http_aws_json, FAKE, 0, &e));
	ck_assert(!http_route_public(h, "GET", "/console/*", console, NULL, 0, &e));
	ck_assert(!http_auth_required(h));
	ck_assert(!http_start(h, &e));
	for (i = 0; i < sizeof good_hosts / sizeof *good_hosts; i++) {
		extra[0] = good_hosts[i];
		request(c, h, "POST", "/", "Fake.Echo", NULL, "{}", 2, false, &r);
		ck_assert_msg(r.status == 200, "%s: %ld %s", good_hosts[i], r.status, r.body);
	}
	for (i = 0; i < sizeof bad_hosts / sizeof *bad_hosts; i++) {
		extra[0] = bad_hosts[i];
		request(c, h, "POST", "/", "Fake.Echo", NULL, "{}", 2, false, &r);
		is_error(&r, 403, "AccessDeniedException");
		ck_assert_msg(strstr(r.body, "loopback"), "%s", r.body);
		request(c, h, "GET", "/console/index.html", NULL, NULL, NULL, 0, false, &r);
		is_error(&r, 403, "AccessDeniedException");
	}
	/* the server's own origin may post; another may not, nor "null" */
	snprintf(host, sizeof host, "Host: 127.0.0.1:%u", http_port(h));
	snprintf(origin, sizeof origin, "Origin: http://127.0.0.1:%u", http_port(h));
	extra[0] = host;
	extra[1] = origin;
	request(c, h, "POST", "/", "Fake.Echo", NULL, "{}", 2, false, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	extra[1] = "Origin: http://evil.example";
	request(c, h, "POST", "/", "Fake.Echo", "text/plain", "{}", 2, false, &r);
	is_error(&r, 403, "AccessDeniedException");
	ck_assert_msg(strstr(r.body, "evil.example"), "%s", r.body);
	extra[1] = "Origin: null";
	request(c, h, "POST", "/", "Fake.Echo", NULL, "{}", 2, false, &r);
	is_error(&r, 403, "AccessDeniedException");
	extra[1] = "Origin: http://127.0.0.1:1";   /* another port is another origin */
	request(c, h, "POST", "/", "Fake.Echo", NULL, "{}", 2, false, &r);
	is_error(&r, 403, "AccessDeniedException");
	/* a GET from another origin is a read the browser will not show it */
	extra[1] = "Origin: http://evil.example";
	request(c, h, "GET", "/console/x", NULL, NULL, NULL, 0, false, &r);
	ck_assert_int_eq(r.status, 200);
	extra[0] = extra[1] = NULL;
	/* /health stays open whatever the Host */
	extra[0] = "Host: evil.example";
	request(c, h, "GET", "/health", NULL, NULL, NULL, 0, false, &r);
	ck_assert_int_eq(r.status, 200);
	extra[0] = NULL;
	http_free(h);

	/* with credentials: any Host (requests are signed), public routes
	 * answer unsigned, the others do not */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/credentials", dir);
	f = fopen(path, "w");
	fprintf(f, "[default]\naws_access_key_id = AKIDTUTTI\naws_secret_access_key = k\n");
	fclose(f);
	chmod(path, 0600);
	o.credentials = path;
	ck_assert_msg(!http_new(&o, &h, &e), "%s", e.msg);
	ck_assert(!http_route(h, "POST", "/", http_aws_json, FAKE, 0, &e));
	ck_assert(!http_route_public(h, "GET", "/console/*", console, NULL, 0, &e));
	ck_assert(!http_route(h, "POST", "/console/api/graph", console, NULL, 0, &e));
	ck_assert(http_auth_required(h));
	ck_assert(!http_start(h, &e));
	extra[0] = "Host: tutti.example.com";
	request(c, h, "GET", "/console/index.html", NULL, NULL, NULL, 0, false, &r);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	request(c, h, "POST", "/console/api/graph", NULL, NULL, "{}", 2, false, &r);
	is_error(&r, 403, "MissingAuthenticationTokenException");
	request(c, h, "POST", "/", "Fake.Echo", NULL, "{}", 2, false, &r);
	is_error(&r, 403, "MissingAuthenticationTokenException");
	extra[0] = NULL;
	curl_easy_cleanup(c);
	http_free(h);
	unlink(path);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("http");
	SRunner *sr;
	int failed;

	curl_global_init(CURL_GLOBAL_ALL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, health_and_echo);
	tcase_add_test(tc, browser_guard);
	tcase_add_test(tc, errors_have_the_aws_shape);
	tcase_add_test(tc, body_cap);
	tcase_add_test(tc, keep_alive);
	tcase_add_test(tc, concurrent_clients);
	tcase_add_test(tc, slow_clients);
	tcase_add_test(tc, connection_cap);
	tcase_add_test(tc, sigv4_and_binding);
	tcase_add_test(tc, stop_finishes_in_flight);
	tcase_add_test(tc, port_in_use);
	tcase_add_test(tc, routes_table);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
