/* libFuzzer target: the HTTP layer of `tutti serve` (server/http.c: the
 * router, body caps, the AWS JSON protocol; server/http_sched.c: the
 * Scheduler's REST routes; server/sigv4.c: SigV4 verification).
 *
 * The first byte picks what the rest is:
 *   even: raw bytes of one HTTP/1.1 connection, written to a real listener
 *         on 127.0.0.1 (one without credentials, or — when bit 1 is set —
 *         one that requires SigV4), then read until the server answers or
 *         closes. Every answer must be an HTTP response and never a 500.
 *   odd:  a request for sigv4_verify in-process: "METHOD URI\n", then
 *         "Name: value" header lines, then an empty line and the body.
 * svc_call is a stand-in (linked here): it echoes the request, or fails
 * with the request's "type" when the target ends in "Fail", so every
 * route's success and error paths run without a store.
 *
 *   make fuzz && build/fuzz/fuzz_http -max_total_time=600 -dict=fuzz/fuzz_http.dict CORPUS */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "http.h"
#include "service.h"
#include "sigv4.h"

const char *const *svc_targets(void)
{
	static const char *const t[] = { "AWSStepFunctions.StartExecution", "AWSEvents.PutRule", "Fake.Fail",
					 "TuttiScheduler.CreateSchedule", "TuttiScheduler.GetSchedule",
					 "TuttiScheduler.ListSchedules", "TuttiScheduler.UpdateSchedule",
					 "TuttiScheduler.DeleteSchedule", "TuttiScheduler.CreateScheduleGroup",
					 "TuttiScheduler.GetScheduleGroup", "TuttiScheduler.ListScheduleGroups",
					 "TuttiScheduler.DeleteScheduleGroup", NULL };

	return t;
}

int svc_http_status(const struct err *e)
{
	return !strncmp(e->type, "Internal", 8) ? 500 : 400;
}

int svc_call(struct svc *s, const char *target, json_t *req, json_t **resp, struct err *e)
{
	const char *type = json_string_value(json_object_get(req, "type"));

	(void)s;
	*resp = NULL;
	if (!json_is_object(req))
		__builtin_trap();
	if (strlen(target) > 4 && !strcmp(target + strlen(target) - 4, "Fail"))
		return err_setn(e, type && strncmp(type, "Internal", 8) ? type : "ValidationException", "failed");
	if (json_object_get(req, "Name") && !json_is_string(json_object_get(req, "Name")))
		__builtin_trap();
	*resp = json_incref(req);
	return 0;
}

static struct http_server *open_srv, *auth_srv;
static struct sigv4_keys *keys;
static struct svc *const FAKE = (struct svc *)1;

static struct http_server *start(const char *creds)
{
	struct http_options o;
	struct http_server *h = NULL;
	struct err e = { 0 };
	static const char *const sched[] = HTTP_SCHEDULER_PATHS;

	http_options_init(&o);
	o.listen = "127.0.0.1:0";
	o.credentials = creds;
	o.timeout_s = 2;
	if (http_new(&o, &h, &e) || http_route(h, "POST", "/", http_aws_json, FAKE, 0, &e) ||
	    http_route(h, "*", "/small", http_aws_json, FAKE, 64, &e)) {
		fprintf(stderr, "fuzz_http: %s\n", e.msg);
		abort();
	}
	for (size_t i = 0; i < 4; i++)
		if (http_route(h, "*", sched[i], http_scheduler_rest, FAKE, 0, &e))
			abort();
	if (http_start(h, &e))
		abort();
	return h;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[] = "/tmp/fuzz_http.XXXXXX";
	int fd = mkstemp(path);
	static const char creds[] = "[default]\naws_access_key_id = AKIDEXAMPLE\n"
				    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n";
	struct err e = { 0 };

	(void)argc;
	(void)argv;
	if (fd < 0 || write(fd, creds, sizeof creds - 1) != (ssize_t)(sizeof creds - 1))
		abort();
	close(fd);
	chmod(path, 0600);
	if (sigv4_load(path, &keys, &e))
		abort();
	open_srv = start(NULL);
	auth_srv = start(path);
	unlink(path);
	return 0;
}

static const char *hdr_of(void *ctx, const char *name)
{
	char **h = ctx;

	for (int i = 0; i < 32 && h[2 * i]; i++)
		if (!strcasecmp(h[2 * i], name))
			return h[2 * i + 1];
	return NULL;
}

/* odd: sigv4_verify on a parsed request. */
static void verify(const char *d, size_t n)
{
	char *copy = malloc(n + 1), *line, *save = NULL, *sp, *body;
	char *h[66] = { 0 };
	int nh = 0;
	unsigned st = 0;
	bool s3;
	struct err e = { 0 };
	struct sigv4_req r = { 0 };

	memcpy(copy, d, n);
	copy[n] = '\0';
	body = strstr(copy, "\n\n");
	if (body) {
		*body = '\0';
		body += 2;
	}
	line = strtok_r(copy, "\n", &save);
	if (!line || !(sp = strchr(line, ' ')))
		goto out;
	*sp = '\0';
	r.method = line;
	r.uri = sp + 1;
	while ((line = strtok_r(NULL, "\n", &save)) && nh < 32) {
		char *c = strchr(line, ':');

		if (!c)
			continue;
		*c = '\0';
		h[2 * nh] = line;
		h[2 * nh + 1] = c + 1 + (c[1] == ' ');
		nh++;
	}
	r.header = hdr_of;
	r.ctx = h;
	r.body = body;
	r.len = body ? strlen(body) : 0;
	r.now = 1440938160;
	if (sigv4_verify(keys, &r, &st, &s3, &e) && (st < 400 || st > 499 || !e.type[0]))
		__builtin_trap();
out:
	free(copy);
}

/* even: one raw connection. */
static void raw(const struct http_server *srv, const uint8_t *d, size_t n)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)http_port(srv)) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char buf[65536];
	size_t got = 0;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a))
		abort();
	if (n && send(fd, d, n, MSG_NOSIGNAL) < 0)
		goto out;
	shutdown(fd, SHUT_WR);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t k;

		if (poll(&p, 1, 3000) <= 0)
			break;
		k = recv(fd, buf + got, sizeof buf - 1 - got, 0);
		if (k <= 0)
			break;
		got += (size_t)k;
		if (got == sizeof buf - 1)
			break;
	}
	buf[got] = '\0';
	/* An answer is HTTP; an internal error never comes from bad input. */
	if (got && strncmp(buf, "HTTP/1.", 7))
		__builtin_trap();
	if (got >= 12 && !strncmp(buf + 9, "500", 3))
		__builtin_trap();
out:
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	if (!n)
		return 0;
	if (d[0] & 1)
		verify((const char *)d + 1, n - 1);
	else
		raw(d[0] & 2 ? auth_srv : open_srv, d + 1, n - 1);
	return 0;
}
