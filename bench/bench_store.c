/* Store benchmark (store/store.h): durable transitions per second on a
 * real file (fsync on), as `tutti serve` makes them — one transition = 2
 * history events + 1 frame PUT + the version bump — queued from one
 * thread over 64 running executions and committed in groups; the same
 * with one fsync per transition (group_max 1); StartExecution-like
 * creates from 16 threads. Prints `name: value unit` lines.
 *
 * Usage: bench_store [DIR]   (default: a temporary folder under $TMPDIR or
 * /tmp; the file system it is on is printed, tmpfs would not fsync). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "store.h"

#define EXECS 64
#define TMPFS_MAGIC 0x01021994

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *details =
	"{\"type\":\"TaskStateEntered\",\"stateEnteredEventDetails\":{\"name\":\"Process\",\"input\":"
	"\"{\\\"order\\\":{\\\"id\\\":\\\"o-12345\\\",\\\"items\\\":3,\\\"total\\\":42.5}}\"}}";
static char frame_body[400];

static int fails;
/* Transitions queued and not yet durable: the producer keeps it under
 * INFLIGHT, as a server bounds its executions' in-flight checkpoints,
 * rather than spinning on a full queue. */
#define INFLIGHT 16384
static int inflight;

static void done(void *arg, int rc, const struct err *e)
{
	(void)arg;
	__atomic_sub_fetch(&inflight, 1, __ATOMIC_RELEASE);
	if (rc && fails++ == 0)
		fprintf(stderr, "bench_store: %s: %s\n", e->type, e->msg);
}

static struct store *open_store(const char *home, unsigned group_max, struct err *e)
{
	struct store_options o;
	struct store *s = NULL;

	fs_rm_rf(home);
	store_options_init(&o);
	o.home = home;
	o.group_max = group_max;
	return store_open(&o, &s, e) ? NULL : s;
}

static int make_execs(struct store *s, struct err *e)
{
	char arn[64];

	for (int i = 0; i < EXECS; i++) {
		struct store_exec x = { .arn = arn, .name = (char *)"x", .sm_arn = (char *)"arn:sm:bench",
					.type = (char *)"STANDARD", .input = (char *)"{}", .start_us = i + 1 };
		bool existed;

		snprintf(arn, sizeof arn, "arn:aws:states:local:0:execution:bench:%d", i);
		if (store_exec_create(s, &x, NULL, &existed, e))
			return -1;
	}
	return 0;
}

/* `rounds` transitions of each execution, queued as fast as the queue
 * takes them. */
static double transitions(const char *home, unsigned group_max, int rounds, double *group)
{
	struct store_event ev[2] = { { .type = (char *)"TaskStateEntered", .details = (char *)details },
				     { .type = (char *)"TaskScheduled", .details = (char *)details } };
	struct store_frame fr = { .op = STORE_FRAME_PUT, .path = "", .body = frame_body };
	struct store_txn t = { .events = ev, .nevents = 2, .frames = &fr, .nframes = 1 };
	struct store_stats st;
	struct err e = { 0 };
	char arns[EXECS][64];
	struct store *s = open_store(home, group_max, &e);
	double t0, dt;

	if (!s || make_execs(s, &e)) {
		fprintf(stderr, "bench_store: %s: %s\n", e.type, e.msg);
		exit(1);
	}
	for (int i = 0; i < EXECS; i++)
		snprintf(arns[i], sizeof arns[i], "arn:aws:states:local:0:execution:bench:%d", i);
	t0 = now_s();
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < EXECS; i++) {
			t.exec_arn = arns[i];
			t.version = 1 + r;
			ev[0].id = 1 + 2 * r;
			ev[0].prev = 2 * r;
			ev[1].id = 2 + 2 * r;
			ev[1].prev = 1 + 2 * r;
			ev[0].ts_us = ev[1].ts_us = r;
			fr.due_us = r;
			while (__atomic_load_n(&inflight, __ATOMIC_ACQUIRE) >= INFLIGHT)
				nanosleep(&(struct timespec){ .tv_nsec = 100000 }, NULL);
			__atomic_add_fetch(&inflight, 1, __ATOMIC_RELAXED);
			if (store_commit(s, &t, done, NULL, &e)) {
				fprintf(stderr, "bench_store: %s: %s\n", e.type, e.msg);
				exit(1);
			}
		}
	if (store_sync(s, &e)) {
		fprintf(stderr, "bench_store: %s: %s\n", e.type, e.msg);
		exit(1);
	}
	dt = now_s() - t0;
	store_stats(s, &st);
	*group = st.commits ? (double)st.txns / (double)st.commits : 0;
	store_close(s);
	if (fails) {
		fprintf(stderr, "bench_store: %d transitions failed\n", fails);
		exit(1);
	}
	return (double)rounds * EXECS / dt;
}

struct creator {
	struct store *s;
	int id, n;
};

static void *create_many(void *arg)
{
	struct creator *c = arg;
	struct store_event ev = { .id = 1, .type = (char *)"ExecutionStarted", .details = (char *)details };
	struct store_frame fr = { .op = STORE_FRAME_PUT, .path = "", .body = frame_body };
	struct store_txn t = { .events = &ev, .nevents = 1, .frames = &fr, .nframes = 1 };
	char arn[96], name[32];
	struct err e;

	for (int i = 0; i < c->n; i++) {
		struct store_exec x = { .arn = arn, .name = name, .sm_arn = (char *)"arn:sm:bench",
					.type = (char *)"STANDARD", .input = (char *)"{\"n\":1}" };
		bool existed;

		snprintf(name, sizeof name, "%d-%d", c->id, i);
		snprintf(arn, sizeof arn, "arn:aws:states:local:0:execution:bench:%s", name);
		t.exec_arn = arn;
		if (store_exec_create(c->s, &x, &t, &existed, &e)) {
			fprintf(stderr, "bench_store: %s: %s\n", e.type, e.msg);
			exit(1);
		}
	}
	return NULL;
}

static double exec_creates(const char *home, int threads, int each)
{
	struct creator c[64];
	pthread_t tid[64];
	struct err e = { 0 };
	struct store *s = open_store(home, 512, &e);
	double t0;

	if (!s) {
		fprintf(stderr, "bench_store: %s: %s\n", e.type, e.msg);
		exit(1);
	}
	t0 = now_s();
	for (int i = 0; i < threads; i++) {
		c[i] = (struct creator){ .s = s, .id = i, .n = each };
		pthread_create(&tid[i], NULL, create_many, &c[i]);
	}
	for (int i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	t0 = now_s() - t0;
	store_close(s);
	return (double)threads * each / t0;
}

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR"), *only = getenv("BENCH_STORE_ONLY");
	char dir[4096], home[4200];
	struct statfs fs;
	double group, rate;

	snprintf(dir, sizeof dir, "%s/tutti-bench-store.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (argc > 1)
		snprintf(dir, sizeof dir, "%s", argv[1]);
	else if (!mkdtemp(dir))
		return perror("mkdtemp"), 1;
	snprintf(home, sizeof home, "%s/home", dir);
	memset(frame_body, 'f', sizeof frame_body - 1);
	memcpy(frame_body, "{\"s\":\"", 6);
	memcpy(frame_body + sizeof frame_body - 3, "\"}", 2);
	if (statfs(dir, &fs) == 0)
		fprintf(stderr, "bench_store: on %s (%s)\n", dir,
			fs.f_type == TMPFS_MAGIC ? "tmpfs: fsync is free here" : "not tmpfs");
	/* BENCH_STORE_ONLY=grouped|each|create runs one part (profiling). */
	if (!only || strcmp(only, "grouped") == 0) {
		rate = transitions(home, 512, 3000, &group);
		printf("store.transitions_per_s: %.0f transitions/s\n", rate);
		printf("store.transitions_group: %.1f txns/commit\n", group);
	}
	if (!only || strcmp(only, "each") == 0) {
		rate = transitions(home, 1, 40, &group);
		printf("store.transitions_per_s_fsync_each: %.0f transitions/s\n", rate);
	}
	if (!only || strcmp(only, "create") == 0)
		printf("store.exec_create_per_s: %.0f creates/s\n", exec_creates(home, 16, 2000));
	if (argc <= 1)
		fs_rm_rf(dir);
	return 0;
}
