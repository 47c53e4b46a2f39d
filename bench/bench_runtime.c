/* Runtime benchmark: cold start, warm latency, warm throughput, idle
 * environment memory — for a no-op function with full isolation.
 * Prints `name: value unit` lines. Usage: bench_runtime [NOOP.so]
 * (default $TUTTI_TOP/$BUILD/functions/noop.so). */
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt.h"

#define COLD_RUNS 200
#define WARM_RUNS 20000
#define WARM_BLOCKS 10
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

/* ---- floors: the machine's bare process-to-process round trip --------- */

/* A child process that answers each byte on its pipe with one byte: the
 * least an invocation in another process can cost (two wake-ups). */
struct pong {
	pid_t pid;
	int to, from;
};

static int pong_start(struct pong *p)
{
	int a[2], b[2];

	if (pipe(a) || pipe(b))
		return -1;
	p->pid = fork();
	if (p->pid < 0)
		return -1;
	if (p->pid == 0) {
		char c;

		close(a[1]);
		close(b[0]);
		while (read(a[0], &c, 1) == 1)
			if (write(b[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	close(a[0]);
	close(b[1]);
	p->to = a[1];
	p->from = b[0];
	return 0;
}

static int pong_rtt(struct pong *p)
{
	char c = 'x';

	return write(p->to, &c, 1) == 1 && read(p->from, &c, 1) == 1 ? 0 : -1;
}

static void pong_stop(struct pong *p)
{
	close(p->to);
	close(p->from);
	kill(p->pid, SIGKILL); /* a later pair's child may hold our pipe open */
	waitpid(p->pid, NULL, 0);
}

struct pong_tp {
	struct pong *p;
	uint64_t stop_at, done;
};

static void *pong_tp_thread(void *arg)
{
	struct pong_tp *t = arg;

	while (now_ns() < t->stop_at && pong_rtt(t->p) == 0)
		t->done++;
	return NULL;
}

/* Round trips per second of two ping-pong pairs side by side for `ms`. */
static double pong_rate(struct pong pairs[2], unsigned ms)
{
	struct pong_tp t[2];
	pthread_t th[2];
	uint64_t t0 = now_ns();

	for (int i = 0; i < 2; i++) {
		t[i] = (struct pong_tp){ .p = &pairs[i], .stop_at = t0 + (uint64_t)ms * 1000000u };
		pthread_create(&th[i], NULL, pong_tp_thread, &t[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	return (double)(t[0].done + t[1].done) / ((double)(now_ns() - t0) / 1e9);
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
	/* Warm latency, one caller, in blocks interleaved with blocks of bare
	 * pipe round trips to a child process (the floor), so that both see
	 * the same machine. */
	{
		struct pong p;
		static uint64_t floor_rtt[WARM_RUNS];
		double wp50, fp50;

		if (pong_start(&p))
			return 2;
		for (int b = 0; b < WARM_BLOCKS; b++) {
			for (int i = b * (WARM_RUNS / WARM_BLOCKS); i < (b + 1) * (WARM_RUNS / WARM_BLOCKS); i++) {
				uint64_t t0 = now_ns();

				rt_invoke(rt, &cfg, "{}", 2, &r);
				warm[i] = (now_ns() - t0);
				rt_result_free(&r);
			}
			for (int i = b * (WARM_RUNS / WARM_BLOCKS); i < (b + 1) * (WARM_RUNS / WARM_BLOCKS); i++) {
				uint64_t t0 = now_ns();

				pong_rtt(&p);
				floor_rtt[i] = now_ns() - t0;
			}
		}
		pong_stop(&p);
		qsort(warm, WARM_RUNS, sizeof warm[0], cmp_u64);
		qsort(floor_rtt, WARM_RUNS, sizeof floor_rtt[0], cmp_u64);
		wp50 = (double)pct(warm, WARM_RUNS, 0.50) / 1000;
		fp50 = (double)pct(floor_rtt, WARM_RUNS, 0.50) / 1000;
		printf("runtime.warm_invoke_p50_us: %.0f us\n", wp50);
		printf("runtime.warm_invoke_p99_us: %.0f us\n", (double)pct(warm, WARM_RUNS, 0.99) / 1000);
		printf("runtime.pipe_rtt_p50_us: %.1f us\n", fp50);
		printf("runtime.warm_vs_pipe_floor: %.2f x\n",
		       wp50 / fp50);
	}

	/* Warm throughput, two environments, 16 in flight, in slices
	 * interleaved with slices of two bare ping-pong process pairs. */
	{
		struct tp t = { .rt = rt, .cfg = &cfg };
		struct pong pairs[2];
		unsigned depth = 16;
		uint64_t busy_ns = 0;
		double floor_sum = 0;

		pthread_mutex_init(&t.lock, NULL);
		pthread_cond_init(&t.cond, NULL);
		if (pong_start(&pairs[0]) || pong_start(&pairs[1]))
			return 2;
		for (int slice = 0; slice < THROUGHPUT_SECONDS; slice++) {
			uint64_t t0 = now_ns();

			t.stop_at = t0 + 1000000000u;
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
			busy_ns += now_ns() - t0;
			floor_sum += pong_rate(pairs, 1000);
		}
		pong_stop(&pairs[0]);
		pong_stop(&pairs[1]);
		{
			double rate = (double)t.done / ((double)busy_ns / 1e9), floor = floor_sum / THROUGHPUT_SECONDS;

			printf("runtime.warm_throughput_per_s: %.0f invocations/s\n", rate);
			printf("runtime.pingpong_pairs_per_s: %.0f round_trips/s\n", floor);
			printf("runtime.warm_throughput_vs_floor: %.2f x\n",
			       rate / floor);
		}
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
