/* bench_cli — whole-process start-up: `tutti invoke noop.so` against
 * `bwrap --unshare-all --ro-bind / / /bin/true`, fork/exec/wait each,
 * interleaved (one of each per round, so load on a shared machine hits
 * both alike), medians. Prints `name: value unit` lines:
 *   cli.invoke_us, cli.bwrap_true_us, cli.invoke_vs_bwrap (invoke / bwrap;
 *   the goal is <= 0.5)
 * and, with BENCH_CLI_OTHER=/path/to/another/tutti, cli.other_invoke_us
 * (e.g. an older build, timed in the same rounds).
 * Usage: bench_cli [ROUNDS]   ($TUTTI or $TUTTI_TOP/$BUILD/bin/tutti;
 * $TUTTI_HOME, else a private temporary one). Skips bwrap if absent. */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#define ROUNDS_MAX 1000

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* One run, stdout and stderr to /dev/null: microseconds, or -1 if it
 * failed. */
static double run(char *const argv[])
{
	double t0 = now_us();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return -1;
	return now_us() - t0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	static double t_inv[ROUNDS_MAX], t_bw[ROUNDS_MAX], t_oth[ROUNDS_MAX];
	const char *top = getenv("TUTTI_TOP") ? getenv("TUTTI_TOP") : ".", *build = getenv("BUILD") ? getenv("BUILD") : "build";
	const char *other = getenv("BENCH_CLI_OTHER");
	char tutti[PATH_MAX], noop[PATH_MAX], home[] = "/tmp/tutti-bench-cli.XXXXXX";
	int rounds = argc > 1 ? atoi(argv[1]) : 60, bw_ok = access("/usr/bin/bwrap", X_OK) == 0;
	bool own_home = !getenv("TUTTI_HOME");

	if (rounds < 1 || rounds > ROUNDS_MAX)
		rounds = 60;
	snprintf(tutti, sizeof tutti, "%s", getenv("TUTTI") ? getenv("TUTTI") : "");
	if (!tutti[0])
		snprintf(tutti, sizeof tutti, "%s/%s/bin/tutti", top, build);
	snprintf(noop, sizeof noop, "%s/%s/functions/noop.so", top, build);
	if (own_home) {
		if (!mkdtemp(home)) {
			perror("mkdtemp");
			return 1;
		}
		setenv("TUTTI_HOME", home, 1);
	}
	{
		char *inv[] = { tutti, "invoke", noop, NULL }, *oth[] = { (char *)other, "invoke", noop, NULL };
		char *bw[] = { "bwrap", "--unshare-all", "--ro-bind", "/", "/", "/bin/true", NULL };

		for (int i = 0; i < 5; i++) /* warm-up: page cache, seccomp cache */
			if (run(inv) < 0 || (other && run(oth) < 0)) {
				fprintf(stderr, "bench_cli: %s invoke %s fails\n", i ? other : tutti, noop);
				return 1;
			}
		for (int i = 0; i < rounds; i++) {
			t_inv[i] = run(inv);
			if (bw_ok)
				t_bw[i] = run(bw);
			if (other)
				t_oth[i] = run(oth);
			if (t_inv[i] < 0 || (bw_ok && t_bw[i] < 0) || (other && t_oth[i] < 0)) {
				fprintf(stderr, "bench_cli: a run failed in round %d\n", i);
				return 1;
			}
		}
	}
	double mi = median(t_inv, rounds);

	printf("cli.invoke_us: %.0f us\n", mi);
	if (other)
		printf("cli.other_invoke_us: %.0f us\n", median(t_oth, rounds));
	if (bw_ok) {
		double mb = median(t_bw, rounds);

		printf("cli.bwrap_true_us: %.0f us\n", mb);
		printf("cli.invoke_vs_bwrap: %.2f x\n", mi / mb);
	} else {
		printf("cli.bwrap_true_us: skipped (no /usr/bin/bwrap)\n");
	}
	if (own_home) {
		char cmd[PATH_MAX + 16];

		usleep(200 * 1000); /* the last zygote's clean-up */
		snprintf(cmd, sizeof cmd, "rm -rf %s", home);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_cli: cannot remove %s\n", home);
	}
	return 0;
}
