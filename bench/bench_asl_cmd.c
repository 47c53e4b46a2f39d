/* Whole-process benchmark of `tutti run DEFINITION INPUT` on the benchmark
 * machines (bench/machines: a 1,000-state pass chain, a 10,000-iteration
 * choice loop, a Map over 10,000 items, a Parallel of 8 x 100 states), side
 * by side with a peer: aws-local-stepfunctions, a JavaScript interpreter of
 * the same language, driven by bench/peer/run-aws-local-sfn.mjs (installed
 * by scripts/bench-peer.sh under $TUTTI_BENCH_PEER, default
 * /opt/tutti-bench-peer). Both are timed the same way (spawn, wait, wall
 * time) in interleaved rounds; each output is first checked against
 * NAME.expected.json. Prints, per machine:
 *   asl_cmd.NAME.median_ms     tutti run, median wall time
 *   asl_cmd.NAME.states_per_s  NAME.transitions / median
 *   asl_cmd.NAME.peer_ms       the peer's median wall time
 *   asl_cmd.NAME.vs_peer       peer / tutti (goal >= 100)
 * or `SKIP: reason` lines for the peer when it is missing.
 * Usage: bench_asl_cmd [-n PEER_RUNS] [MACHINES_DIR]
 * Each round runs the peer once and tutti TUTTI_PER_ROUND times. With
 * $TUTTI_BASELINE (another tutti binary, e.g. the one before a change), each
 * tutti run is followed by one of the baseline, and the lines
 *   asl_cmd.NAME.baseline_ms, asl_cmd.NAME.vs_baseline (baseline / tutti)
 * compare the two side by side. */
#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc_timer.h"

#define TUTTI_PER_ROUND 5
#define MAX_MACHINES 32

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 when the JSON in `out` equals the JSON in `expected`, 0 when not, -1
 * when there is no expected output to compare with. */
static int same_json(const char *out, const char *expected)
{
	json_t *a, *e;
	int r;

	if (access(expected, R_OK) != 0)
		return -1;
	a = json_load_file(out, JSON_DECODE_ANY, NULL);
	e = json_load_file(expected, JSON_DECODE_ANY, NULL);
	r = a && e && json_equal(a, e);
	json_decref(a);
	json_decref(e);
	return r;
}

int main(int argc, char **argv)
{
	const char *top = getenv("TUTTI_TOP") ? getenv("TUTTI_TOP") : ".";
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	const char *peer_dir = getenv("TUTTI_BENCH_PEER") ? getenv("TUTTI_BENCH_PEER") : "/opt/tutti-bench-peer";
	char tutti[PATH_MAX], dir[PATH_MAX], driver[PATH_MAX], pkg[PATH_MAX];
	char home[] = "/tmp/tutti-bench-cmd.XXXXXX", out[PATH_MAX + 16];
	char *names[MAX_MACHINES];
	const char *peer_why = NULL;
	int peer_runs = 5, nm = 0, rc = 0, ai = 1;
	DIR *d;
	struct dirent *de;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		peer_runs = atoi(argv[2]);
		ai = 3;
	}
	if (peer_runs < 1)
		peer_runs = 1;
	if (argc > ai)
		snprintf(dir, sizeof dir, "%s", argv[ai]);
	else
		snprintf(dir, sizeof dir, "%s/bench/machines", top);
	if (getenv("TUTTI"))
		snprintf(tutti, sizeof tutti, "%s", getenv("TUTTI"));
	else
		snprintf(tutti, sizeof tutti, "%s/%s/bin/tutti", top, build);
	snprintf(driver, sizeof driver, "%s/bench/peer/run-aws-local-sfn.mjs", top);
	snprintf(pkg, sizeof pkg, "%s/node_modules/aws-local-stepfunctions/package.json", peer_dir);
	if (system("command -v node >/dev/null 2>&1") != 0)
		peer_why = "node not installed (scripts/bench-peer.sh installs the peer)";
	else if (access(pkg, R_OK) != 0)
		peer_why = "aws-local-stepfunctions not installed (run scripts/bench-peer.sh)";
	if (!mkdtemp(home))
		return 2;
	setenv("TUTTI_HOME", home, 1);
	snprintf(out, sizeof out, "%s/out.json", home);

	d = opendir(dir);
	if (!d) {
		printf("SKIP: asl_cmd: no machines folder %s\n", dir);
		return 0;
	}
	while ((de = readdir(d)) && nm < MAX_MACHINES) {
		size_t l = strlen(de->d_name);

		if (l > 9 && !strcmp(de->d_name + l - 9, ".asl.json"))
			names[nm++] = strndup(de->d_name, l - 9);
	}
	closedir(d);
	qsort(names, (size_t)nm, sizeof names[0], cmp_str);

	for (int m = 0; m < nm; m++) {
		char def[PATH_MAX], in[PATH_MAX], exp[PATH_MAX], trp[PATH_MAX];
		char *tcmd[] = { tutti, "run", def, in, NULL };
		char *pcmd[] = { "node", driver, def, in, NULL };
		int64_t *tt = calloc((size_t)peer_runs * TUTTI_PER_ROUND, sizeof *tt);
		int64_t *pt = calloc((size_t)peer_runs, sizeof *pt);
		int64_t *bt = calloc((size_t)peer_runs * TUTTI_PER_ROUND, sizeof *bt);
		char *base = getenv("TUTTI_BASELINE");
		char *bcmd[] = { base, "run", def, in, NULL };
		size_t nt = 0, np = 0, nb = 0;
		bool peer = !peer_why;
		long transitions = 0;
		const char *name = names[m];
		FILE *f;

		snprintf(def, sizeof def, "%s/%s.asl.json", dir, name);
		snprintf(in, sizeof in, "%s/%s.input.json", dir, name);
		snprintf(exp, sizeof exp, "%s/%s.expected.json", dir, name);
		snprintf(trp, sizeof trp, "%s/%s.transitions", dir, name);
		f = fopen(trp, "r");
		if (f) {
			if (fscanf(f, "%ld", &transitions) != 1)
				transitions = 0;
			fclose(f);
		}
		/* One untimed run of each, checked. */
		if (pt_run(tcmd, out, NULL) < 0 || same_json(out, exp) == 0) {
			printf("asl_cmd.%s: tutti run FAILED or output DIFFERENT from %s.expected.json\n", name, name);
			rc = 1;
			continue;
		}
		if (peer && (pt_run(pcmd, out, NULL) < 0 || same_json(out, exp) == 0)) {
			printf("SKIP: asl_cmd.%s.vs_peer: the peer failed or its output differs from %s.expected.json\n",
			       name, name);
			peer = false;
		}
		for (int r = 0; r < peer_runs; r++) {
			int64_t us;

			if (peer && (us = pt_run(pcmd, NULL, NULL)) >= 0)
				pt[np++] = us;
			for (int k = 0; k < TUTTI_PER_ROUND; k++) {
				if ((us = pt_run(tcmd, NULL, NULL)) >= 0)
					tt[nt++] = us;
				if (base && *base && (us = pt_run(bcmd, NULL, NULL)) >= 0)
					bt[nb++] = us;
			}
		}
		if (nt) {
			double med = pt_median(tt, nt);

			printf("asl_cmd.%s.median_ms: %.2f ms\n", name, med / 1000);
			if (transitions)
				printf("asl_cmd.%s.states_per_s: %.0f states/s\n", name, (double)transitions / (med / 1e6));
			if (nb) {
				double bmed = pt_median(bt, nb);

				printf("asl_cmd.%s.baseline_ms: %.2f ms\n", name, bmed / 1000);
				printf("asl_cmd.%s.vs_baseline: %.2f x\n", name, bmed / med);
			}
			if (np) {
				double pmed = pt_median(pt, np);

				printf("asl_cmd.%s.peer_ms: %.1f ms\n", name, pmed / 1000);
				printf("asl_cmd.%s.vs_peer: %.1f x\n",
				       name, pmed / med);
			}
			else
				printf("SKIP: asl_cmd.%s.vs_peer: %s\n", name, peer_why ? peer_why : "the peer failed");
		}
		free(tt);
		free(pt);
		free(bt);
	}
	{
		char cmd[PATH_MAX + 16];

		snprintf(cmd, sizeof cmd, "rm -rf %s", home);
		if (system(cmd)) {
			/* best effort */
		}
	}
	return rc;
}
