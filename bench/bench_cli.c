/* Whole-process benchmark of the command line, side by side with a peer:
 *   cli.invoke_us        median wall time of `tutti invoke noop.so`
 *   cli.bwrap_true_us    median of `bwrap --unshare-all --ro-bind / / /bin/true`
 *                        (Debian's bubblewrap: a sandboxed no-op process)
 *   cli.invoke_vs_bwrap  bwrap / tutti (goal >= 2.0)
 *   cli.version_us       median of `tutti --version` (process start alone)
 * The commands are interleaved, round after round, so that both see the same
 * machine. A missing peer gives a `SKIP: reason` line, never a number.
 * Usage: bench_cli [ROUNDS]   ($TUTTI or $TUTTI_TOP/$BUILD/bin/tutti) */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc_timer.h"

enum { INVOKE, BWRAP, VERSION, NCMD };

int main(int argc, char **argv)
{
	const char *top = getenv("TUTTI_TOP") ? getenv("TUTTI_TOP") : ".";
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	char tutti[PATH_MAX], so[PATH_MAX], home[] = "/tmp/tutti-bench-cli.XXXXXX";
	int rounds = argc > 1 ? atoi(argv[1]) : 200;
	int64_t *t[NCMD];
	size_t n[NCMD] = { 0 };
	bool have[NCMD] = { true, true, true };
	char *cmd[NCMD][8] = {
		{ tutti, "invoke", so, NULL },
		{ "bwrap", "--unshare-all", "--ro-bind", "/", "/", "/bin/true", NULL },
		{ tutti, "--version", NULL },
	};
	const char *bwrap_why = NULL;

	if (getenv("TUTTI"))
		snprintf(tutti, sizeof tutti, "%s", getenv("TUTTI"));
	else
		snprintf(tutti, sizeof tutti, "%s/%s/bin/tutti", top, build);
	snprintf(so, sizeof so, "%s/%s/functions/noop.so", top, build);
	if (rounds < 1)
		rounds = 1;
	if (!mkdtemp(home))
		return 2;
	setenv("TUTTI_HOME", home, 1);
	for (int c = 0; c < NCMD; c++)
		t[c] = calloc((size_t)rounds, sizeof *t[c]);

	/* Each command once, untimed: it must work, and caches get warm. */
	if (pt_run(cmd[INVOKE], NULL, NULL) < 0) {
		fprintf(stderr, "bench_cli: `%s invoke %s` failed\n", tutti, so);
		have[INVOKE] = false;
	}
	if (pt_run(cmd[VERSION], NULL, NULL) < 0) {
		fprintf(stderr, "bench_cli: `%s --version` failed\n", tutti);
		have[VERSION] = false;
	}
	if (access("/usr/bin/bwrap", X_OK) != 0 && system("command -v bwrap >/dev/null 2>&1") != 0)
		bwrap_why = "bwrap not installed (Debian's bubblewrap; scripts/deps.sh installs it)";
	else if (pt_run(cmd[BWRAP], NULL, NULL) < 0)
		bwrap_why = "bwrap --unshare-all fails on this machine (no user/network namespaces?)";
	if (bwrap_why)
		have[BWRAP] = false;

	for (int r = 0; r < rounds; r++)
		for (int k = 0; k < NCMD; k++) {
			int c = (r + k) % NCMD; /* rotate who goes first */
			int64_t us;

			if (!have[c])
				continue;
			us = pt_run(cmd[c], NULL, NULL);
			if (us >= 0)
				t[c][n[c]++] = us;
		}

	if (n[INVOKE])
		printf("cli.invoke_us: %.0f us\n", pt_median(t[INVOKE], n[INVOKE]));
	else
		printf("SKIP: cli.invoke_us: tutti invoke failed\n");
	if (n[BWRAP])
		printf("cli.bwrap_true_us: %.0f us\n", pt_median(t[BWRAP], n[BWRAP]));
	else
		printf("SKIP: cli.bwrap_true_us: %s\n", bwrap_why ? bwrap_why : "bwrap failed");
	if (n[INVOKE] && n[BWRAP])
		printf("cli.invoke_vs_bwrap: %.2f x\n",
		       pt_median(t[BWRAP], n[BWRAP]) / pt_median(t[INVOKE], n[INVOKE]));
	else
		printf("SKIP: cli.invoke_vs_bwrap: needs both tutti invoke and bwrap\n");
	if (n[VERSION])
		printf("cli.version_us: %.0f us\n", pt_median(t[VERSION], n[VERSION]));
	else
		printf("SKIP: cli.version_us: tutti --version failed\n");
	{
		char rm[PATH_MAX + 16];

		snprintf(rm, sizeof rm, "rm -rf %s", home);
		if (system(rm)) {
			/* best effort */
		}
	}
	return 0;
}
