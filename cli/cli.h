/* cli — shared state of one `tutti` command-line process.
 *
 * The CLI uses only the library's public headers. A command returns the
 * process exit code: 0 success, 1 a function/execution failed, 2 usage or
 * configuration error (message on stderr). Its arguments arrive parsed by
 * the one grammar (opts.h) from the tables in options.def and
 * commands.def. */
#ifndef TUTTI_CLI_H
#define TUTTI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "opts.h"
#include "rt.h"

#define CLI_ENV_MAX      64   /* --env given at most this many times */
#define CLI_FUNCTION_MAX 64   /* run --function */

/* OPT_HELP, OPT_PAYLOAD, ...: indexes into cli_grammar.opts */
enum cli_opt_id {
#define OPT(id, ...) OPT_##id,
#include "options.def"
#undef OPT
	OPT_COUNT
};

/* CMD_INVOKE, CMD_FUNCTION, CMD_FUNCTION_CREATE, ...: into cli_grammar.cmds */
enum cli_cmd_id {
	CMD_NONE = CLI_NONE,
#define GROUP(id, ...) CMD_##id,
#define CMD(id, ...) CMD_##id,
#include "commands.def"
#undef GROUP
#undef CMD
	CMD_COUNT
};

/* The grammar of tutti (cli/commands.c). */
extern const struct cli_grammar cli_grammar;

struct cli {
	char home[4096];   /* $TUTTI_HOME or ~/.tutti */
	struct rt *rt;     /* created on first use by cli_rt */
	bool oneshot;      /* for cli_rt: one environment at most (rt_options.oneshot) */
	bool log_failures; /* for cli_rt: each failed invocation's output on stderr (run --log) */
	bool log_warned;   /* a log store error was reported (the rt's I/O thread) */
	const char *argv0;
};

/* The runtime, created on first call (forks the zygote: call it before any
 * thread is started). NULL with a message on stderr on failure. */
struct rt *cli_rt(struct cli *cli);

/* Read a "JSON|@FILE" argument (capped at `cap` bytes); caller frees. */
char *cli_read_arg(const char *arg, size_t cap, size_t *len);

/* Print "tutti: message" on stderr and return CLI_EXIT_USAGE. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "tutti: TYPE: MESSAGE" on stderr. An error's type and message may
 * be a function's own text (tt_raise, a forged start-up frame, a dlerror
 * naming its DT_NEEDED): on a terminal they are escaped (util/termsafe.h). */
void cli_print_err(const struct err *e);

/* Print `v` as JSON (json_dumpf flags) and a newline on f. On a terminal,
 * through termsafe: JSON escapes C0 controls but not C1 ones (U+009B is
 * CSI) nor DEL, and results and errors are a function's text. */
void cli_print_json(FILE *f, const json_t *v, size_t flags);

/* One column of a text listing: its header, and where its value is in a
 * listed element ("Key", "LatestMatchingVersion.Version"). */
struct cli_column {
	const char *header;
	const char *path;
};

/* Print a listing by --output (default `def`, "json" or "text"): json, doc
 * as one JSON document; text, the elements of doc's array `array` as
 * aligned columns under a header line (with a single column: the values
 * alone, one a line). Strings are shown with control characters as '?',
 * numbers as numbers, true/false as yes/no, arrays by their length,
 * anything absent as '-'. Takes doc; returns the exit code. */
int cli_print_listing(const struct cli_args *a, json_t *doc, const char *array,
		      const struct cli_column *cols, size_t ncols, const char *def);

#define X_HANDLER(id, parent, name, fn, ...) int fn(struct cli *cli, const struct cli_args *a);
#define CMD X_HANDLER
#define GROUP(...)
#include "commands.def"
#undef CMD
#undef GROUP
#undef X_HANDLER

#endif
