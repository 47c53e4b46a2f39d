/* cli — shared state of one `tutti` command-line process.
 *
 * The CLI uses only the library's public headers. A command returns the
 * process exit code: 0 success, 1 a function/execution failed, 2 usage or
 * configuration error (message on stderr). */
#ifndef TUTTI_CLI_H
#define TUTTI_CLI_H

#include <stdbool.h>

#include "rt.h"

#define CLI_EXIT_OK     0
#define CLI_EXIT_FAILED 1
#define CLI_EXIT_USAGE  2

struct cli {
	char home[4096];   /* $TUTTI_HOME or ~/.tutti */
	struct rt *rt;     /* created on first use by cli_rt */
	const char *argv0;
};

/* The runtime, created on first call (forks the zygote: call it before any
 * thread is started). NULL with a message on stderr on failure. */
struct rt *cli_rt(struct cli *cli);

/* Read a "JSON|@FILE" argument (capped at `cap` bytes); caller frees. */
char *cli_read_arg(const char *arg, size_t cap, size_t *len);

/* Print a usage error and return CLI_EXIT_USAGE. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define X(name, fn, help) int fn(struct cli *cli, int argc, char **argv);
#include "commands.def"
#undef X

#endif
