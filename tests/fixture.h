/* fixture.h — starting and stopping tests/fixtures/http_fixture from a
 * unit test (header-only: every function is static).
 *
 * fixture_start(&port) runs $TUTTI_TOP/$BUILD/fixtures/http_fixture
 * (defaults "." and "build"), reads the 127.0.0.1 port it prints and
 * returns its pid. The pipe to the fixture's stdin is left open on purpose:
 * the fixture exits when this process does, even if it dies early. If the
 * fixture does not start, prints why and exits 1: the test cannot run.
 * fixture_stop(pid) sends SIGTERM and reaps it. Call both from main(),
 * never from a forked Check test. */
#ifndef TESTS_FIXTURE_H
#define TESTS_FIXTURE_H

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t fixture_start(int *port)
{
	const char *top = getenv("TUTTI_TOP"), *build = getenv("BUILD");
	char path[PATH_MAX];
	int out[2], in[2];
	pid_t pid;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s/fixtures/http_fixture", top ? top : ".", build ? build : "build");
	if (pipe(out) || pipe(in))
		abort();
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	/* in[1] stays open: the fixture exits when this process does. */
	f = fdopen(out[0], "r");
	if (!f || fscanf(f, "%d", port) != 1 || *port <= 0) {
		fprintf(stderr, "cannot start %s\n", path);
		exit(1);
	}
	return pid;
}

static void fixture_stop(pid_t pid)
{
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
}

#endif
