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
#define CLI_SUBSTITUTE_MAX 128 /* --substitute (more: --substitutions FILE.json) */

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

struct svc;

struct cli {
	char home[4096];   /* $TUTTI_HOME or ~/.tutti */
	struct rt *rt;     /* created on first use by cli_rt */
	struct svc *svc;   /* cli_call's in-process service, opened on first use */
	struct svc *serving; /* tutti serve's service: invocation records (atomic) */
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

/* A definition file with --substitute NAME=VALUE and --substitutions
 * FILE.json applied, and ${AWS::Partition}, ${AWS::Region},
 * ${AWS::AccountId} (cli/definition.c, asl_substitute). 0 with *text
 * (caller frees) and *len; else CLI_EXIT_USAGE after printing: a usage
 * error on stderr, or the definition's problems one a line on `problems`,
 * after the line `header` when not NULL. */
int cli_definition(const struct cli_args *a, const char *path, FILE *problems, const char *header,
		   char **text, size_t *len);

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

/* ---- the server's actions (cli/call.c) ------------------------------------ */

#define CLI_RESPONSE_MAX (64u << 20)   /* bytes of a server's answer */
#define CLI_CALL_TIMEOUT_MS 120000

/* Run one AWS action (target "AWSStepFunctions.StartExecution", ...; req
 * borrowed) where it belongs:
 *   Describe*, List*, Get*   in-process on a read-only service (the store,
 *                            with or without a running server);
 *   resource changes         on the running server, else in-process on an
 *                            offline service (which takes the store's lock);
 *   actions that run things  on the running server only (StartExecution,
 *                            StopExecution, RedriveExecution, SendTask*):
 *                            with none, "no tutti serve is running at URL".
 * The server: cli_endpoint(). 0 and *resp (a new reference); or the error
 * printed on stderr ("tutti: TYPE: message") and CLI_EXIT_FAILED. */
int cli_call(struct cli *cli, const char *target, json_t *req, json_t **resp);
/* The server's URL: $TUTTI_ENDPOINT, else the one in
 * $TUTTI_HOME/serve.endpoint, else http://127.0.0.1:8080; *known (may be
 * NULL): whether it came from one of the first two. */
void cli_endpoint(const struct cli *cli, char *url, size_t n, bool *known);
#define CLI_ENDPOINT_FILE "serve.endpoint"
#define CLI_ARN_MAX 2048
/* NAME|ARN of a state machine as an ARN (a name gets this build's region
 * and account). */
void cli_sm_arn(const char *name_or_arn, char *out, size_t n);
/* An AWS timestamp (seconds since the epoch, a JSON number) as local
 * "YYYY-MM-DD HH:MM:SS.mmm"; "-" for anything else. */
void cli_time_text(const json_t *v, char *buf, size_t n);
/* Read a JSON|@FILE argument as JSON text (checked; capped at cap); NULL
 * after a usage message naming `what`. Caller frees. */
char *cli_json_arg(const char *arg, const char *what, size_t cap);
/* Print doc as indented JSON on stdout (through termsafe) and take it;
 * the exit code. */
int cli_print_doc(json_t *doc);
/* Print rows (an array of objects of strings, cells already made terminal
 * safe by cli_table_cell) as text columns under cols; takes rows. */
int cli_print_rows(json_t *rows, const struct cli_column *cols, size_t ncols);
/* A cell: s with C1 controls and broken UTF-8 as '?', cut to max characters. */
json_t *cli_table_cell(const char *s, size_t max);
/* Every page of a List action: calls target with req plus nextToken (the
 * request key `token_key`, e.g. "nextToken" or "NextToken") until there is
 * none, appending each page's array `key` to one array; *out is the last
 * page's answer with the whole array. With max_items, one page only, as
 * the options ask (--max-items/--next-token). */
int cli_call_pages(struct cli *cli, const char *target, json_t *req, const char *key, const char *token_key,
		   const char *max_key, const struct cli_args *a, json_t **out);

/* `tutti __graph-layout`: the server's layout process (cli/cmd_graph.c, graph.h). */
int cmd_graph_layout_child(void);

#define X_HANDLER(id, parent, name, fn, ...) int fn(struct cli *cli, const struct cli_args *a);
#define CMD X_HANDLER
#define GROUP(...)
#include "commands.def"
#undef CMD
#undef GROUP
#undef X_HANDLER

#endif
