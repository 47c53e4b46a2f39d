/* ASL interpreter benchmark, in process: states entered per second on the
 * benchmark machines of bench/machines (with and without the execution history), the
 * wall time of one run, peak RSS, and the memory an idle running execution
 * costs. Prints `name: value unit` lines.
 *
 * Usage: bench_asl [MACHINES_DIR]   (default $TUTTI_TOP/bench/machines)
 * Each machine runs in a child process so that its peak RSS is its own. */
#include <dirent.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "asl.h"
#include "engine.h"
#include "fsutil.h"

#define MIN_SECONDS 1.0
#define IDLE_EXECS  10000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *dir, const char *name, const char *ext, size_t *len)
{
	char path[4096];
	char *text = NULL;

	snprintf(path, sizeof path, "%s/%s%s", dir, name, ext);
	if (fs_read_file(path, 64u << 20, &text, len))
		return NULL;
	return text;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Runs `m` repeatedly for MIN_SECONDS; returns states entered per second
 * (median of the runs' rates) and the median run time. */
static int measure(const struct asl_machine *m, json_t *input, json_t *expected, bool history,
		   double *rate, double *ms)
{
	struct engine_options o;
	struct engine *eng;
	struct err e;
	double start = now_s(), times[4096], rates[4096];
	size_t n = 0;
	int rc = 0;

	engine_options_init(&o);
	o.history = history;
	o.history_max = 0;
	eng = engine_new(&o, &e);
	if (!eng)
		return -1;
	while ((now_s() - start < MIN_SECONDS || n < 5) && n < 4096) {
		struct engine_start_args a = { .machine = m, .input = input, .type = ENGINE_EXPRESS };
		struct engine_exec *x = NULL;
		double t0 = now_s(), t1;

		if (engine_run(eng, &a, &x, &e)) {
			fprintf(stderr, "bench_asl: %s: %s\n", e.type, e.msg);
			rc = -1;
			break;
		}
		t1 = now_s();
		if (engine_exec_status(x) != ENGINE_SUCCEEDED ||
		    (expected && n == 0 && !json_equal(engine_exec_output(x), expected))) {
			fprintf(stderr, "bench_asl: wrong result (%s: %s)\n",
				engine_exec_error(x) ? engine_exec_error(x) : "output differs",
				engine_exec_cause(x) ? engine_exec_cause(x) : "");
			rc = -1;
		}
		times[n] = t1 - t0;
		rates[n] = (double)engine_exec_transitions(x) / (t1 - t0);
		n++;
		engine_exec_release(x);
		if (rc)
			break;
	}
	engine_free(eng);
	qsort(times, n, sizeof times[0], cmp_double);
	qsort(rates, n, sizeof rates[0], cmp_double);
	*rate = n ? rates[n / 2] : 0;
	*ms = n ? times[n / 2] * 1000 : 0;
	return rc;
}

static void bench_machine(const char *dir, const char *name)
{
	struct asl_diag diag;
	struct asl_machine *m;
	json_t *input, *expected;
	double rate = 0, ms = 0, rate_h = 0, ms_h = 0, t0;
	size_t len;
	char *def = slurp(dir, name, ".asl.json", &len), *in, *exp;
	const char *only;
	struct rusage ru;

	if (!def) {
		fprintf(stderr, "bench_asl: cannot read %s/%s.asl.json\n", dir, name);
		exit(1);
	}
	asl_diag_init(&diag);
	t0 = now_s();
	m = asl_compile(def, len, &diag);
	if (!m) {
		fprintf(stderr, "bench_asl: %s does not compile: %s\n", name,
			diag.count ? diag.lines[0] : "?");
		exit(1);
	}
	printf("asl.%s.compile_ms: %.2f ms\n", name, (now_s() - t0) * 1000);
	in = slurp(dir, name, ".input.json", &len);
	input = in ? json_loadb(in, len, JSON_DECODE_ANY, NULL) : json_object();
	exp = slurp(dir, name, ".expected.json", &len);
	expected = exp ? json_loadb(exp, len, JSON_DECODE_ANY, NULL) : NULL;
	/* BENCH_ASL_HISTORY=0 or 1 measures only that mode (for profiling) */
	only = getenv("BENCH_ASL_HISTORY");
	if ((!only || *only == '0') && measure(m, input, expected, false, &rate, &ms))
		exit(1);
	if ((!only || *only == '1') && measure(m, input, expected, true, &rate_h, &ms_h))
		exit(1);
	getrusage(RUSAGE_SELF, &ru);
	printf("asl.%s.states_per_s: %.0f states/s\n", name, rate);
	printf("asl.%s.run_ms: %.3f ms\n", name, ms);
	printf("asl.%s.states_per_s_history: %.0f states/s\n", name, rate_h);
	printf("asl.%s.run_ms_history: %.3f ms\n", name, ms_h);
	printf("asl.%s.peak_rss_kib: %ld KiB\n", name, ru.ru_maxrss);
	fflush(stdout);
	json_decref(input);
	json_decref(expected);
	asl_machine_free(m);
	asl_diag_free(&diag);
	free(def);
	free(in);
	free(exp);
}

/* IDLE_EXECS executions parked in a Wait state: heap bytes each. */
static void bench_idle(void)
{
	static const char def[] =
		"{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":100000,\"End\":true}}}";
	static const char pass[] = "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}";
	struct asl_machine *m = asl_compile(def, sizeof def - 1, NULL);
	struct asl_machine *p = asl_compile(pass, sizeof pass - 1, NULL);
	struct engine_options o;
	struct engine *eng;
	struct err e;
	struct mallinfo2 before, after;
	json_t *input = json_object();
	size_t i;

	if (!m || !p)
		exit(1);
	engine_options_init(&o);
	eng = engine_new(&o, &e);
	malloc_trim(0);
	before = mallinfo2();
	for (i = 0; i < IDLE_EXECS; i++) {
		struct engine_start_args a = { .machine = m, .input = input, .type = ENGINE_STANDARD };

		if (engine_start(eng, &a, NULL, &e))
			exit(1);
	}
	{
		/* running one more execution turns the loop: the others start and park */
		struct engine_start_args a = { .machine = p, .input = input };

		engine_run(eng, &a, NULL, &e);
	}
	after = mallinfo2();
	printf("asl.idle_execution_bytes: %zu bytes (history on, %d executions in a Wait state)\n",
	       (after.uordblks - before.uordblks) / IDLE_EXECS, IDLE_EXECS);
	engine_free(eng);
	asl_machine_free(m);
	asl_machine_free(p);
	json_decref(input);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	char dir[4096], *names[64];
	size_t n = 0, i;
	struct dirent *de;
	DIR *d;

	/* A long-running engine's steady state: without this, glibc returns
	 * each run's freed history to the kernel and faults it back in on the
	 * next run, which is what would be measured (page faults are costly
	 * in VMs). */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	if (argc > 1)
		snprintf(dir, sizeof dir, "%s", argv[1]);
	else
		snprintf(dir, sizeof dir, "%s/bench/machines",
			 getenv("TUTTI_TOP") ? getenv("TUTTI_TOP") : ".");
	d = opendir(dir);
	if (!d) {
		printf("SKIP: asl: no machines folder %s\n", dir);
		return 0;
	}
	while ((de = readdir(d)) && n < 64) {
		size_t l = strlen(de->d_name);

		if (l > 9 && !strcmp(de->d_name + l - 9, ".asl.json"))
			names[n++] = strndup(de->d_name, l - 9);
	}
	closedir(d);
	qsort(names, n, sizeof names[0], by_name);
	for (i = 0; i < n; i++) {
		pid_t pid;
		int st;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			bench_machine(dir, names[i]);
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			return 1;
		free(names[i]);
	}
	bench_idle();
	return 0;
}
