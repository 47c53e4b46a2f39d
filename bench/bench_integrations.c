/* bench_integrations — the HTTP Task and the S3 tasks' stores.
 *
 * Prints `name: value unit` lines:
 *   http_task_roundtrips        HTTP Task calls/s, GET of a small JSON from
 *                               tests/fixtures/http_fixture on 127.0.0.1
 *   http_task_roundtrips_4thr   the same from 4 threads sharing one task
 *   s3_put_1k_file, s3_put_1m_file     putObject/s, file-backed store
 *   s3_put_1k_v4, s3_put_1m_v4         ... SigV4 store against s3rver
 *   s3_put_1k_v2, s3_put_1m_v2         ... libs3 (V2) store against s3rver
 * The s3rver lines need s3rver ($TUTTI_S3RVER or
 * /opt/s3rver/node_modules/.bin/s3rver); without it they are skipped. Each
 * measurement runs for about a second (bounded counts). Exit 0, or 1 when
 * something failed. */
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bucket.h"
#include "fsutil.h"
#include "http_task.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Start PATH ARGS... with stdout to a pipe; read the first number it
 * prints that follows `marker` (NULL: the first line). */
static pid_t spawn(char *const argv[], const char *marker, int *port)
{
	int out[2], in[2];
	pid_t pid;
	char line[512];
	FILE *f;

	if (pipe(out) || pipe(in))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		close(in[1]);
		close(out[0]);
		setenv("NODE_OPTIONS", "--openssl-legacy-provider", 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	f = fdopen(out[0], "r");
	*port = 0;
	while (f && fgets(line, sizeof line, f)) {
		const char *p = marker ? strstr(line, marker) : line;

		if (p && (*port = atoi(p + (marker ? strlen(marker) : 0))) > 0)
			break;
	}
	return *port > 0 ? pid : -1;
}

struct hcall {
	struct http_task *ht;
	json_t *params;
	int n, ok;
};

static void *http_worker(void *arg)
{
	struct hcall *h = arg;

	for (int i = 0; i < h->n; i++) {
		json_t *r = NULL;
		struct err e = { 0 };

		if (!http_task_invoke(h->ht, h->params, 0, &r, &e))
			h->ok++;
		json_decref(r);
	}
	return NULL;
}

static int bench_http(int port)
{
	struct http_task_config cfg = { .home = "/nonexistent" };
	struct http_task *ht = http_task_new(&cfg, NULL);
	char url[128];
	struct hcall h[4];
	pthread_t t[4];
	double t0;
	int rc = 0, ok = 0;

	snprintf(url, sizeof url, "http://127.0.0.1:%d/json", port);
	h[0] = (struct hcall){ ht, json_pack("{s:s,s:s}", "ApiEndpoint", url, "Method", "GET"), 3000, 0 };
	t0 = now_s();
	http_worker(&h[0]);
	printf("http_task_roundtrips: %.0f calls/s\n", h[0].ok / (now_s() - t0));
	rc |= h[0].ok != h[0].n;
	for (int i = 0; i < 4; i++)
		h[i] = (struct hcall){ ht, h[0].params, 1500, 0 };
	t0 = now_s();
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, http_worker, &h[i]);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ok += h[i].ok;
	}
	printf("http_task_roundtrips_4thr: %.0f calls/s\n", ok / (now_s() - t0));
	rc |= ok != 6000;
	json_decref(h[0].params);
	http_task_free(ht);
	return rc;
}

/* putObject of `size` bytes for about a second (at most `max` puts). */
static int bench_put(struct bucket_store *bs, const char *bucket, const char *name, size_t size, int max)
{
	char *data = malloc(size), key[64];
	struct bucket_object_info info;
	struct err e = { 0 };
	double t0 = now_s(), t;
	int n = 0;

	memset(data, 'x', size);
	do {
		snprintf(key, sizeof key, "bench/%s/%d", name, n % 64);
		if (bucket_put(bs, bucket, key, data, size, "application/octet-stream", 0, &info, &e)) {
			fprintf(stderr, "bench %s: %s: %s\n", name, e.type, e.msg);
			free(data);
			return 1;
		}
		n++;
		t = now_s() - t0;
	} while (t < 1.0 && n < max);
	printf("%s: %.0f puts/s\n", name, n / t);
	free(data);
	return 0;
}

int main(void)
{
	const char *top = getenv("TUTTI_TOP"), *build = getenv("BUILD"), *s3rver = getenv("TUTTI_S3RVER");
	char fixture[PATH_MAX], home[64], data[80];
	struct bucket_config cfg = { .backend = BUCKET_FILE, .max_object = 4u << 20 };
	struct bucket_store *bs;
	struct err e = { 0 };
	pid_t fx, srv = -1;
	int port, rc = 0;

	snprintf(fixture, sizeof fixture, "%s/%s/fixtures/http_fixture", top ? top : ".", build ? build : "build");
	fx = spawn((char *[]){ fixture, NULL }, NULL, &port);
	if (fx < 0) {
		fprintf(stderr, "bench_integrations: cannot start %s\n", fixture);
		return 1;
	}
	rc |= bench_http(port);
	kill(fx, SIGTERM);
	waitpid(fx, NULL, 0);

	snprintf(home, sizeof home, "/tmp/tutti-bench-int.%d", (int)getpid());
	snprintf(cfg.root, sizeof cfg.root, "%s/buckets", home);
	bs = bucket_open(&cfg, &e);
	if (!bs || bucket_create(bs, "bench", 0, &e)) {
		fprintf(stderr, "bench_integrations: %s\n", e.msg);
		return 1;
	}
	rc |= bench_put(bs, "bench", "s3_put_1k_file", 1024, 20000);
	rc |= bench_put(bs, "bench", "s3_put_1m_file", 1 << 20, 2000);
	bucket_close(bs);

	if (!s3rver)
		s3rver = "/opt/s3rver/node_modules/.bin/s3rver";
	snprintf(data, sizeof data, "%s/s3rver", home);
	fs_mkdir_p(data, 0755);
	if (access(s3rver, X_OK) == 0)
		srv = spawn((char *[]){ (char *)s3rver, "-d", data, "-a", "127.0.0.1", "-p", "0", "--silent",
					"--configure-bucket", "bench", NULL },
			    "listening on 127.0.0.1:", &port);
	if (srv < 0) {
		puts("# s3rver not found or did not start: S3 endpoint figures skipped");
	} else {
		for (int v4 = 1; v4 >= 0; v4--) {
			struct bucket_config c = { .backend = v4 ? BUCKET_S3_V4 : BUCKET_S3_V2, .path_style = true,
						   .max_object = 4u << 20 };
			char n1[32], n2[32];

			snprintf(c.endpoint, sizeof c.endpoint, "http://127.0.0.1:%d", port);
			snprintf(c.region, sizeof c.region, "us-east-1");
			snprintf(c.access_key, sizeof c.access_key, "S3RVER");
			snprintf(c.secret_key, sizeof c.secret_key, "S3RVER");
			snprintf(n1, sizeof n1, "s3_put_1k_%s", v4 ? "v4" : "v2");
			snprintf(n2, sizeof n2, "s3_put_1m_%s", v4 ? "v4" : "v2");
			bs = bucket_open(&c, &e);
			if (!bs) {
				fprintf(stderr, "%s\n", e.msg);
				rc = 1;
				continue;
			}
			rc |= bench_put(bs, "bench", n1, 1024, 3000);
			rc |= bench_put(bs, "bench", n2, 1 << 20, 300);
			bucket_close(bs);
		}
		kill(srv, SIGTERM);
		waitpid(srv, NULL, 0);
	}
	fs_rm_rf(home);
	return rc;
}
