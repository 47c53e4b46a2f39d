/* tutti build — compile a function against the SDK.
 *
 *   tutti build SRC.c [more.c ...] -o OUT.so [-- extra cc flags]
 *   tutti build --cflags
 *
 * Runs $CC (default cc) as
 *   CC -std=c11 -O2 -fPIC -shared -Wall -I<dir of tutti.h> SRC... -o OUT EXTRA...
 * with fork + execvp (no shell: every argument reaches the compiler as
 * given). Extra flags come last so that -l options follow the sources.
 *
 * tutti.h is found, in order: in $TUTTI_INCLUDE; next to the binary as
 * installed (<prefix>/bin/tutti -> <prefix>/include/tutti.h); in the source
 * tree the binary was built in (<repo>/build/bin/tutti ->
 * <repo>/include/tutti.h), via /proc/self/exe.
 *
 * Exit codes: 0 compiled; 1 the compiler failed (its messages are on
 * stderr); 2 usage error, tutti.h not found, or the compiler could not be
 * started. Arguments: commands.def (-o OUT or -oOUT; everything after
 * "--" goes to the compiler as given). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

#define BUILD_CC_WORDS_MAX 16   /* words in $CC, e.g. "ccache gcc" */
#define BUILD_ANCESTORS    4    /* how far up from bin/ to look for include/ */

/* Flags every function is compiled with, before -I and the sources. */
static const char *const build_flags[] = { "-std=c11", "-O2", "-fPIC", "-shared", "-Wall" };
/* What `tutti build --cflags` and `pkg-config --cflags tutti` add to -I. */
#define BUILD_PC_CFLAGS "-std=c11 -fPIC"

static int has_header(const char *dir)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof path, "%s/tutti.h", dir) >= sizeof path)
		return 0;
	return access(path, R_OK) == 0;
}

/* Strip the last path component in place; false at the root. */
static int path_up(char *path)
{
	char *slash = strrchr(path, '/');

	if (!slash || slash == path)
		return 0;
	*slash = '\0';
	return 1;
}

/* The directory holding tutti.h into dir[PATH_MAX]; 0 or -ENOENT. */
static int find_include(char *dir)
{
	const char *env = getenv("TUTTI_INCLUDE");
	char exe[PATH_MAX], prefix[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(dir, PATH_MAX, "%s", env);
		return has_header(dir) ? 0 : -ENOENT;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return -ENOENT;
	exe[n] = '\0';
	if (!path_up(exe))     /* exe is now <prefix>/bin */
		return -ENOENT;
	snprintf(prefix, sizeof prefix, "%s", exe);
	if (path_up(prefix) && (size_t)snprintf(dir, PATH_MAX, "%s/include", prefix) < PATH_MAX &&
	    has_header(dir))
		return 0;
	/* build/bin/tutti, build/asan/bin/tutti, ...: the tree's include/ */
	for (int i = 0; i < BUILD_ANCESTORS && path_up(exe); i++) {
		if ((size_t)snprintf(dir, PATH_MAX, "%s/include", exe) < PATH_MAX && has_header(dir))
			return 0;
	}
	return -ENOENT;
}

static int include_error(void)
{
	const char *env = getenv("TUTTI_INCLUDE");

	if (env && *env)
		return cli_usage("build: no tutti.h in $TUTTI_INCLUDE (%s)", env);
	return cli_usage("build: cannot find tutti.h next to this tutti binary; "
			 "set TUTTI_INCLUDE to the directory that holds it");
}

/* Split $CC on blanks into words (pointers into the returned copy). */
static char *split_cc(const char **words, int *nwords)
{
	const char *cc = getenv("CC");
	char *copy, *save = NULL;

	*nwords = 0;
	copy = strdup(cc && *cc ? cc : "cc");
	if (!copy)
		return NULL;
	for (char *w = strtok_r(copy, " \t", &save); w && *nwords < BUILD_CC_WORDS_MAX;
	     w = strtok_r(NULL, " \t", &save))
		words[(*nwords)++] = w;
	if (*nwords == 0) {
		free(copy);
		copy = strdup("cc");
		if (copy)
			words[(*nwords)++] = copy;
	}
	return copy;
}

/* Run argv[0] with argv and wait. Returns the CLI exit code. A failed exec
 * is reported by the child over a close-on-exec pipe, so "cannot start the
 * compiler" (2) is told apart from "the compiler failed" (1). */
static int run_compiler(char **argv)
{
	int pfd[2] = { -1, -1 }, status, child_errno = 0, rc = CLI_EXIT_USAGE;
	pid_t pid;
	ssize_t n;

	if (pipe2(pfd, O_CLOEXEC)) {
		fprintf(stderr, "tutti: build: pipe2: %s\n", strerror(errno));
		goto out;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "tutti: build: fork: %s\n", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int e;

		execvp(argv[0], argv);
		e = errno;
		if (write(pfd[1], &e, sizeof e) < 0)
			_exit(127);
		_exit(127);
	}
	close(pfd[1]);
	pfd[1] = -1;
	do
		n = read(pfd[0], &child_errno, sizeof child_errno);
	while (n < 0 && errno == EINTR);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "tutti: build: waitpid: %s\n", strerror(errno));
			goto out;
		}
	}
	if (n == (ssize_t)sizeof child_errno) {
		fprintf(stderr, "tutti: build: cannot run '%s': %s (set CC to a C compiler)\n",
			argv[0], strerror(child_errno));
		goto out;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		rc = CLI_EXIT_OK;
	} else {
		if (WIFSIGNALED(status))
			fprintf(stderr, "tutti: build: '%s' killed by signal %d\n", argv[0],
				WTERMSIG(status));
		rc = CLI_EXIT_FAILED;
	}
out:
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	return rc;
}

int cmd_build(struct cli *cli, const struct cli_args *a)
{
	const char *cc_words[BUILD_CC_WORDS_MAX];
	char inc[PATH_MAX], iflag[PATH_MAX + 2];
	char **cc_argv = NULL, *cc_copy = NULL;
	const char *out = cli_str(a, OPT_OUT);
	int nsrcs = a->npos, nextra = a->nrest, ncc = 0, k = 0, rc = CLI_EXIT_USAGE, i;

	(void)cli;
	if (find_include(inc))
		return include_error();
	if (cli_count(a, OPT_CFLAGS)) {
		if (nsrcs || out || a->rest)
			return cli_cmd_error(a->g, a->cmd, "--cflags takes no other arguments");
		printf("-I%s %s\n", inc, BUILD_PC_CFLAGS);
		return CLI_EXIT_OK;
	}
	if (nsrcs == 0 || !out || !*out)
		return cli_cmd_error(a->g, a->cmd, "%s", nsrcs == 0 ? "no source file given" : "missing -o OUT.so");

	cc_copy = split_cc(cc_words, &ncc);
	cc_argv = calloc((size_t)ncc + sizeof build_flags / sizeof build_flags[0] + 1 +
			 (size_t)nsrcs + 2 + (size_t)nextra + 1, sizeof *cc_argv);
	if (!cc_copy || !cc_argv) {
		fprintf(stderr, "tutti: build: out of memory\n");
		goto out;
	}
	for (i = 0; i < ncc; i++)
		cc_argv[k++] = (char *)cc_words[i];
	for (i = 0; i < (int)(sizeof build_flags / sizeof build_flags[0]); i++)
		cc_argv[k++] = (char *)build_flags[i];
	snprintf(iflag, sizeof iflag, "-I%s", inc);
	cc_argv[k++] = iflag;
	for (i = 0; i < nsrcs; i++)
		cc_argv[k++] = a->pos[i];
	cc_argv[k++] = "-o";
	cc_argv[k++] = (char *)out;
	for (i = 0; i < nextra; i++)
		cc_argv[k++] = a->rest[i];
	cc_argv[k] = NULL;
	rc = run_compiler(cc_argv);
out:
	free(cc_argv);
	free(cc_copy);
	return rc;
}
