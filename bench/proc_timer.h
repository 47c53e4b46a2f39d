/* Whole-process timing for the command-line benchmarks (bench_cli.c,
 * bench_asl_cmd.c): spawn a command with posix_spawn (stdin from /dev/null,
 * stdout to a file or /dev/null, stderr to /dev/null), wait for it, and
 * return its wall time in microseconds. Callers interleave the commands
 * they compare, run each many times, and quote medians: the machine is
 * shared and noisy, and only ratios measured side by side mean much. */
#ifndef BENCH_PROC_TIMER_H
#define BENCH_PROC_TIMER_H

#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static inline uint64_t pt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Runs argv (argv[0] a path or a name on $PATH); stdout goes to `out`
 * (NULL: /dev/null). Returns the wall time in us, or -1 when the command
 * could not start or did not exit 0. *user_us gets its user+system CPU
 * time when not NULL. */
static inline int64_t pt_run(char *const argv[], const char *out, int64_t *cpu_us)
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	uint64_t t0, t1;
	pid_t pid;
	int st = 0, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out ? out : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	t0 = pt_now_ns();
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -1;
	if (wait4(pid, &st, 0, &ru) != pid)
		return -1;
	t1 = pt_now_ns();
	if (cpu_us)
		*cpu_us = (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 + ru.ru_utime.tv_usec +
			  ru.ru_stime.tv_usec;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return -1;
	return (int64_t)((t1 - t0) / 1000u);
}

static inline int pt_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Median of v[0..n) (sorts v). */
static inline double pt_median(int64_t *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof v[0], pt_cmp_i64);
	return n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

#endif
