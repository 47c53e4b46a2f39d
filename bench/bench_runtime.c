/* Runtime benchmark: cold start, warm latency, warm throughput, idle
 * environment memory — for a no-op function with full isolation.
 * Prints `name: value unit` lines. Usage: bench_runtime [NOOP.so]
 * (default $TUTTI_TOP/$BUILD/functions/noop.so). */
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt.h"

#define COLD_RUNS 200
#define WARM_RUNS 20000
#define THROUGHPUT_SECONDS 3

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t pct(uint64_t *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);

	return v[i];
}

/* ---- warm throughput: keep `depth` invocations in flight -------------- */

struct tp {
	struct rt *rt;
	struct fn_config *cfg;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint64_t done, errors;
	uint64_t stop_at;
	unsigned inflight;
};

static void tp_done(void *arg, struct rt_result *r)
{
	struct tp *t = arg;
	bool again;

	pthread_mutex_lock(&t->lock);
	t->done++;
	if (!r->ok)
		t->errors++;
	again = now_ns() < t->stop_at;
	if (!again && --t->inflight == 0)
		pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
	rt_result_free(r);
	if (again && rt_invoke_async(t->rt, t->cfg, "{}", 2, tp_done, t)) {
		pthread_mutex_lock(&t->lock);
		if (--t->inflight == 0)
			pthread_cond_signal(&t->cond);
		pthread_mutex_unlock(&t->lock);
	}
}

/* Private memory (KiB) of the idle environments: processes that are pid 1
 * of their own namespace, run as the sandbox user, and descend from this
 * process within three generations (we → tutti-zygote → the zygote proper,
 * pid 1 of its namespace → environment). */
static long idle_env_private_kib(int *count)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	long total = 0;

	*count = 0;
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[300], line[256];
		FILE *f;
		int ppid = 0, uid = -1, zppid = 0;
		long kib = 0;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/status", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof line, f)) {
			if (!strncmp(line, "PPid:", 5))
				ppid = atoi(line + 5);
			else if (!strncmp(line, "Uid:", 4))
				uid = atoi(line + 4);
		}
		fclose(f);
		if (uid != 65534 || ppid <= 0)
			continue;
		for (int up = 0; up < 2 && ppid > 0 && ppid != getpid(); up++) {
			snprintf(path, sizeof path, "/proc/%d/status", ppid);
			f = fopen(path, "r");
			if (!f)
				break;
			zppid = 0;
			while (fgets(line, sizeof line, f))
				if (!strncmp(line, "PPid:", 5))
					zppid = atoi(line + 5);
			fclose(f);
			ppid = zppid;
		}
		if (ppid != getpid())
			continue;
		snprintf(path, sizeof path, "/proc/%s/smaps_rollup", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof line, f))
			if (!strncmp(line, "Private_Clean:", 14) || !strncmp(line, "Private_Dirty:", 14))
				kib += atol(line + 14);
		fclose(f);
		total += kib;
		(*count)++;
	}
	closedir(d);
	return total;
}

int main(int argc, char **argv)
{
	struct rt_options o = { 0 };
	struct err e;
	struct rt *rt;
	struct fn_config cfg;
	struct rt_result r;
	char so[PATH_MAX], arg[PATH_MAX], home[] = "/tmp/tutti-bench.XXXXXX";
	static uint64_t cold[COLD_RUNS], cold_init[COLD_RUNS], warm[WARM_RUNS];
	size_t ncold = 0;

	if (argc > 1)
		snprintf(arg, sizeof arg, "%s", argv[1]);
	else
		snprintf(arg, sizeof arg, "%s/%s/functions/noop.so", getenv("TUTTI_TOP") ? getenv("TUTTI_TOP") : ".",
			 getenv("BUILD") ? getenv("BUILD") : "build");
	if (!realpath(arg, so)) {
		fprintf(stderr, "bench_runtime: %s not found\n", arg);
		return 2;
	}
	if (!mkdtemp(home))
		return 2;
	o.home = home;
	o.max_envs = 256;
	o.idle_ms = 200;
	o.quiet = true;
	o.prefork = getenv("TUTTI_PREFORK") ? atoi(getenv("TUTTI_PREFORK")) : 0;
	rt = rt_new(&o, &e);
	if (!rt) {
		fprintf(stderr, "bench_runtime: %s: %s\n", e.type, e.msg);
		return 2;
	}

	/* The machine's own floor, for ratios: fork + exit + wait of this
	 * process (the reference machine: ~140 us). */
	{
		static uint64_t f[200];

		for (int i = 0; i < 200; i++) {
			uint64_t t0 = now_ns();
			pid_t pid = fork();

			if (pid == 0)
				_exit(0);
			waitpid(pid, NULL, 0);
			f[i] = (now_ns() - t0) / 1000u;
		}
		qsort(f, 200, sizeof f[0], cmp_u64);
		printf("runtime.fork_exit_wait_p50_us: %llu us\n", (unsigned long long)pct(f, 200, 0.50));
	}

	/* Cold starts: each run is a new configuration, so a new environment. */
	for (int i = 0; i < COLD_RUNS; i++) {
		char kv[32];
		uint64_t t0;

		fnconf_defaults(&cfg, "noop", so);
		snprintf(kv, sizeof kv, "RUN=%d", i);
		fnconf_add_env(&cfg, kv);
		t0 = now_ns();
		if (rt_invoke(rt, &cfg, "{}", 2, &r) == 0 && r.ok && r.cold) {
			cold_init[ncold] = r.init_us;
			cold[ncold++] = (now_ns() - t0) / 1000u;
		}
		else if (i == 0)
			fprintf(stderr, "bench_runtime: cold invoke failed: %s: %s\n", r.err.type, r.err.msg);
		rt_result_free(&r);
		/* Cold starts arrive spaced out, as they do in practice: the
		 * zygote has time to get a blank environment ready. */
		usleep(20000);
		if (i % 32 == 31)
			usleep(250000); /* let idle environments expire */
	}
	if (ncold) {
		qsort(cold, ncold, sizeof cold[0], cmp_u64);
		printf("runtime.cold_start_p50_us: %llu us\n", (unsigned long long)pct(cold, ncold, 0.50));
		printf("runtime.cold_start_p99_us: %llu us\n", (unsigned long long)pct(cold, ncold, 0.99));
		qsort(cold_init, ncold, sizeof cold_init[0], cmp_u64);
		printf("runtime.cold_setup_p50_us: %llu us\n", (unsigned long long)pct(cold_init, ncold, 0.50));
	}
	usleep(300000);

	/* Warm latency, one caller. */
	fnconf_defaults(&cfg, "noop", so);
	cfg.reserved_concurrency = 2;
	for (int i = 0; i < 100; i++) {
		rt_invoke(rt, &cfg, "{}", 2, &r);
		rt_result_free(&r);
	}
	for (int i = 0; i < WARM_RUNS; i++) {
		uint64_t t0 = now_ns();

		rt_invoke(rt, &cfg, "{}", 2, &r);
		warm[i] = (now_ns() - t0) / 1000u;
		rt_result_free(&r);
	}
	qsort(warm, WARM_RUNS, sizeof warm[0], cmp_u64);
	printf("runtime.warm_invoke_p50_us: %llu us\n", (unsigned long long)pct(warm, WARM_RUNS, 0.50));
	printf("runtime.warm_invoke_p99_us: %llu us\n", (unsigned long long)pct(warm, WARM_RUNS, 0.99));

	/* Warm throughput, two environments, 16 in flight. */
	{
		struct tp t = { .rt = rt, .cfg = &cfg };
		uint64_t t0;
		unsigned depth = 16;

		pthread_mutex_init(&t.lock, NULL);
		pthread_cond_init(&t.cond, NULL);
		t0 = now_ns();
		t.stop_at = t0 + (uint64_t)THROUGHPUT_SECONDS * 1000000000u;
		pthread_mutex_lock(&t.lock);
		t.inflight = depth;
		pthread_mutex_unlock(&t.lock);
		for (unsigned i = 0; i < depth; i++)
			if (rt_invoke_async(rt, &cfg, "{}", 2, tp_done, &t)) {
				pthread_mutex_lock(&t.lock);
				t.inflight--;
				pthread_mutex_unlock(&t.lock);
			}
		pthread_mutex_lock(&t.lock);
		while (t.inflight)
			pthread_cond_wait(&t.cond, &t.lock);
		pthread_mutex_unlock(&t.lock);
		printf("runtime.warm_throughput_per_s: %.0f invocations/s\n",
		       (double)t.done / ((double)(now_ns() - t0) / 1e9));
		if (t.errors)
			printf("runtime.warm_throughput_errors: %llu count\n", (unsigned long long)t.errors);
	}

	/* Idle environment memory. */
	{
		int n = 0;
		long kib = idle_env_private_kib(&n);

		if (n > 0)
			printf("runtime.idle_env_rss_kib: %ld KiB\n", kib / n);
	}
	rt_free(rt);
	{
		char cmd[PATH_MAX + 16];

		snprintf(cmd, sizeof cmd, "rm -rf %s", home);
		if (system(cmd)) {
			/* best effort */
		}
	}
	return 0;
}
