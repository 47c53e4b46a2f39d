/* tutti serve under load, driven as users drive it: a real `tutti serve`
 * process on 127.0.0.1, its store on disk with fsync on ($TUTTI_BENCH_DIR,
 * default /var/tmp), and clients speaking its HTTP API (libcurl,
 * keep-alive).
 *   serve.transitions_per_s        states entered per second by 64 executions
 *                                  of a 500-state Pass chain started at once
 *                                  (each state: 2 history events and a version
 *                                  bump, durable), until all SUCCEEDED
 *   serve.transitions_per_s_each_state  the same with TUTTI_CHECKPOINT=state
 *                                  (one store transaction per transition)
 *   serve.start_execution_p50_ms   StartExecution latency with 64 clients
 *   serve.start_execution_p99_ms
 *   serve.start_execution_per_s
 *   serve.warm_invoke_p50_us       Tutti.Invoke of a no-op function (warm)
 *   serve.idle_rss_mib             the server's RSS with 10,000 finished
 *                                  executions in its store, idle
 *   serve.recovery_ms              from exec to answering after kill -9 with
 *                                  1,000 running executions, all resumed
 * Usage: bench_serve   ($TUTTI or $TUTTI_TOP/$BUILD/bin/tutti) */
#include <curl/curl.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CLIENTS 64

static char tutti[PATH_MAX], home[PATH_MAX], url[128];
static pid_t server;
static unsigned port;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct buf {
	char *p;
	size_t n;
};

static size_t on_data(char *d, size_t sz, size_t nm, void *arg)
{
	struct buf *b = arg;
	char *q = realloc(b->p, b->n + sz * nm + 1);

	if (!q)
		return 0;
	memcpy(q + b->n, d, sz * nm);
	b->n += sz * nm;
	q[b->n] = 0;
	b->p = q;
	return sz * nm;
}

/* One action; the response (new reference) or NULL. */
static json_t *call(CURL *c, const char *target, json_t *req)
{
	struct curl_slist *h = NULL;
	char th[160], *body = json_dumps(req, JSON_COMPACT);
	struct buf b = { 0 };
	long code = 0;
	json_t *r = NULL;

	snprintf(th, sizeof th, "X-Amz-Target: %s", target);
	h = curl_slist_append(h, th);
	h = curl_slist_append(h, "Content-Type: application/x-amz-json-1.0");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	if (curl_easy_perform(c) == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		if (code == 200 && b.p)
			r = json_loads(b.p, 0, NULL);
		else if (b.p)
			fprintf(stderr, "bench_serve: %s: %ld %s\n", target, code, b.p);
	}
	curl_slist_free_all(h);
	free(body);
	free(b.p);
	return r;
}

static void serve_start(void)
{
	char listen[64];
	CURL *c = curl_easy_init();

	snprintf(listen, sizeof listen, "127.0.0.1:%u", port);
	server = fork();
	if (server == 0) {
		int fd = open("/dev/null", 1);

		if (fd >= 0)
			dup2(fd, 2);
		execl(tutti, tutti, "serve", "--listen", listen, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 2000; i++) {
		char h[160];
		long code = 0;
		struct buf b = { 0 };

		snprintf(h, sizeof h, "http://127.0.0.1:%u/health", port);
		curl_easy_setopt(c, CURLOPT_URL, h);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
		if (curl_easy_perform(c) == CURLE_OK &&
		    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK && code == 200) {
			free(b.p);
			break;
		}
		free(b.p);
		usleep(5000);
	}
	curl_easy_cleanup(c);
}

static void serve_stop(int sig)
{
	kill(server, sig);
	waitpid(server, NULL, 0);
}

static char *create_sm(CURL *c, const char *name, json_t *def)
{
	char *text = json_dumps(def, JSON_COMPACT);
	json_t *r = call(c, "AWSStepFunctions.CreateStateMachine",
			 json_pack("{s:s, s:s}", "name", name, "definition", text));
	char *arn = r ? strdup(json_string_value(json_object_get(r, "stateMachineArn"))) : NULL;

	free(text);
	json_decref(r);
	json_decref(def);
	return arn;
}

static json_t *chain(int n)
{
	json_t *states = json_object();

	for (int i = 0; i < n; i++) {
		char k[16], nx[16];

		snprintf(k, sizeof k, "S%d", i);
		snprintf(nx, sizeof nx, "S%d", i + 1);
		json_object_set_new(states, k, i + 1 < n ? json_pack("{s:s, s:s}", "Type", "Pass", "Next", nx)
						       : json_pack("{s:s, s:b}", "Type", "Pass", "End", 1));
	}
	return json_pack("{s:s, s:o}", "StartAt", "S0", "States", states);
}

static long running(CURL *c, const char *sm)
{
	json_t *r = call(c, "AWSStepFunctions.ListExecutions",
			 json_pack("{s:s, s:s, s:i}", "stateMachineArn", sm, "statusFilter", "RUNNING",
				   "maxResults", 1000));
	long n = r ? (long)json_array_size(json_object_get(r, "executions")) : -1;

	json_decref(r);
	return n;
}

/* ---- clients ---------------------------------------------------------------------- */
struct client {
	const char *sm;
	int n, base;
	double *lat;
	pthread_t th;
};

static void *client_main(void *arg)
{
	struct client *k = arg;
	CURL *c = curl_easy_init();

	for (int i = 0; i < k->n; i++) {
		char name[64];
		double t0 = now_ms();
		json_t *r;

		snprintf(name, sizeof name, "e%d", k->base + i);
		r = call(c, "AWSStepFunctions.StartExecution",
			 json_pack("{s:s, s:s, s:s}", "stateMachineArn", k->sm, "name", name, "input", "{}"));
		if (k->lat)
			k->lat[i] = now_ms() - t0;
		json_decref(r);
	}
	curl_easy_cleanup(c);
	return NULL;
}

static double starts(const char *sm, int per, int base, double *lat)
{
	struct client k[CLIENTS];
	double t0 = now_ms();

	for (int i = 0; i < CLIENTS; i++) {
		k[i] = (struct client){ sm, per, base + i * per, lat ? lat + i * per : NULL, 0 };
		pthread_create(&k[i].th, NULL, client_main, &k[i]);
	}
	for (int i = 0; i < CLIENTS; i++)
		pthread_join(k[i].th, NULL);
	return now_ms() - t0;
}

static void wait_idle(CURL *c, const char *sm, double limit_ms)
{
	double end = now_ms() + limit_ms;

	while (running(c, sm) != 0 && now_ms() < end)
		usleep(2000);
}

int main(void)
{
	const char *top = getenv("TUTTI_TOP") ? getenv("TUTTI_TOP") : ".";
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	const char *dir = getenv("TUTTI_BENCH_DIR") ? getenv("TUTTI_BENCH_DIR") : "/var/tmp";
	char cmd[PATH_MAX * 2], *sm;
	CURL *c;
	int per = 50;
	double *lat, t;

	if (getenv("TUTTI"))
		snprintf(tutti, sizeof tutti, "%s", getenv("TUTTI"));
	else
		snprintf(tutti, sizeof tutti, "%s/%s/bin/tutti", top, build);
	snprintf(home, sizeof home, "%s/tutti-bench-serve.XXXXXX", dir);
	if (!mkdtemp(home)) {
		printf("SKIP: serve.*: cannot create a directory in %s\n", dir);
		return 0;
	}
	setenv("TUTTI_HOME", home, 1);
	srand((unsigned)getpid());
	port = 20000 + (unsigned)(rand() % 20000);
	snprintf(url, sizeof url, "http://127.0.0.1:%u/", port);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	serve_start();
	c = curl_easy_init();

	/* transitions: one checkpoint per execution per loop turn (the default),
	 * then one per state transition (TUTTI_CHECKPOINT=state) */
	sm = create_sm(c, "chain", chain(500));
	t = now_ms();
	starts(sm, 1, 0, NULL);
	wait_idle(c, sm, 120000);
	t = now_ms() - t;
	printf("serve.transitions_per_s: %.0f /s\n", 64.0 * 500 / (t / 1000));
	serve_stop(SIGTERM);
	setenv("TUTTI_CHECKPOINT", "state", 1);
	serve_start();
	t = now_ms();
	starts(sm, 1, 1000000, NULL);
	wait_idle(c, sm, 120000);
	t = now_ms() - t;
	printf("serve.transitions_per_s_each_state: %.0f /s\n", 64.0 * 500 / (t / 1000));
	serve_stop(SIGTERM);
	unsetenv("TUTTI_CHECKPOINT");
	serve_start();
	free(sm);

	/* StartExecution under 64 clients */
	sm = create_sm(c, "one", chain(1));
	lat = calloc(CLIENTS * per, sizeof *lat);
	t = starts(sm, per, 0, lat);
	qsort(lat, CLIENTS * per, sizeof *lat, cmp_d);
	printf("serve.start_execution_p50_ms: %.2f ms\n", lat[CLIENTS * per / 2]);
	printf("serve.start_execution_p99_ms: %.2f ms\n", lat[CLIENTS * per * 99 / 100]);
	printf("serve.start_execution_per_s: %.0f /s\n", CLIENTS * per / (t / 1000));

	/* warm invoke through the server */
	snprintf(cmd, sizeof cmd, "%s function create noop --code %s/%s/functions/noop.so >/dev/null", tutti,
		 top, build);
	if (system(cmd) == 0) {
		double inv[300];
		json_t *req = json_pack("{s:s, s:{}}", "FunctionName", "noop", "Payload");

		for (int i = 0; i < 20; i++)
			json_decref(call(c, "Tutti.Invoke", req));
		for (int i = 0; i < 300; i++) {
			double t0 = now_ms();

			json_decref(call(c, "Tutti.Invoke", req));
			inv[i] = (now_ms() - t0) * 1000;
		}
		qsort(inv, 300, sizeof *inv, cmp_d);
		printf("serve.warm_invoke_p50_us: %.0f us\n", inv[150]);
		json_decref(req);
	} else {
		printf("SKIP: serve.warm_invoke_p50_us: the noop function could not be created\n");
	}

	/* idle RSS with 10,000 finished executions */
	{
		int total = 10000 - CLIENTS * per, each = total / CLIENTS;
		char status[64], line[256];
		FILE *f;
		long rss = -1;

		starts(sm, each, 100000, NULL);
		wait_idle(c, sm, 120000);
		sleep(1);
		snprintf(status, sizeof status, "/proc/%d/status", (int)server);
		f = fopen(status, "r");
		while (f && fgets(line, sizeof line, f))
			if (!strncmp(line, "VmRSS:", 6))
				rss = atol(line + 6);
		if (f)
			fclose(f);
		printf("serve.idle_rss_mib: %.1f MiB\n", (double)rss / 1024);
	}
	free(sm);

	/* recovery of 1,000 running executions */
	{
		json_t *def = json_pack("{s:s, s:{s:{s:s, s:i, s:b}}}", "StartAt", "W", "States", "W", "Type",
					"Wait", "Seconds", 3600, "End", 1);
		long left;

		sm = create_sm(c, "waits", def);
		{
			struct client k[8];

			for (int i = 0; i < 8; i++) {
				k[i] = (struct client){ sm, 125, 200000 + i * 125, NULL, 0 };
				pthread_create(&k[i].th, NULL, client_main, &k[i]);
			}
			for (int i = 0; i < 8; i++)
				pthread_join(k[i].th, NULL);
		}
		sleep(1);
		serve_stop(SIGKILL);
		t = now_ms();
		serve_start();
		t = now_ms() - t;
		left = running(c, sm);
		if (left == 1000)
			printf("serve.recovery_ms: %.0f ms\n", t);
		else
			printf("SKIP: serve.recovery_ms: %ld running executions after the restart, not 1000\n", left);
		free(sm);
	}
	curl_easy_cleanup(c);
	serve_stop(SIGTERM);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", home);
	if (system(cmd))
		return 1;
	curl_global_cleanup();
	return 0;
}
