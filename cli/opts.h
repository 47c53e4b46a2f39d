/* opts — the one command-line grammar of `tutti`, table-driven on
 * getopt_long.
 *
 * A grammar is two static tables: every option any command takes
 * (struct cli_opt, from cli/options.def) and every command and subcommand
 * (struct cli_cmd, from cli/commands.def), each naming the options it
 * accepts and its positional arguments. One parser serves them all:
 *
 *   --opt VALUE and --opt=VALUE    for every option that takes a value;
 *                                  --opt=VALUE only for an optional value
 *   -h, --help                     on every command: its help on stdout
 *   long names match exactly       (no abbreviations: --pay is unknown,
 *                                  with "did you mean --payload?")
 *   repeated options               a list of at most `max` values, then
 *                                  "too many --env (max 64)"; an option
 *                                  with max 1 keeps the last value given
 *   positionals anywhere           counted against the command's POS
 *   --                             ends the options; what follows is
 *                                  positional, or a->rest (CLI_REST)
 *
 * Errors are usage errors: one line "tutti: CMD: message" and the
 * command's usage lines on stderr, exit code CLI_EXIT_USAGE (2). Unknown
 * options, commands and subcommands get the closest name as a suggestion
 * (edit distance).
 *
 * Everything is static data; parsing allocates one array (positionals).
 * Not thread-safe: getopt_long keeps global state. */
#ifndef TUTTI_CLI_OPTS_H
#define TUTTI_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_EXIT_OK     0
#define CLI_EXIT_FAILED 1
#define CLI_EXIT_USAGE  2

#define CLI_OPTS_MAX 128   /* options in one grammar (a command's set is a cli_mask) */
/* A set of options: bit i is option i (GCC's 128-bit integer). */
typedef unsigned __int128 cli_mask;
#define CLI_VALS_MAX 256   /* the sum of `max` over one command's list options */
#define CLI_NONE     (-1)  /* no parent command; no such option */

enum cli_arg {
	CLI_ARG_NONE,      /* --flag */
	CLI_ARG_REQ,       /* --opt VALUE, --opt=VALUE */
	CLI_ARG_OPT,       /* --opt, --opt=VALUE */
	CLI_ARG_CHOICE,    /* as REQ, one of the '|'-separated words of meta */
};

struct cli_opt {
	const char *name;      /* the long name without "--"; NULL: short only */
	char shortname;        /* 0: none */
	unsigned char arg;     /* enum cli_arg */
	unsigned short max;    /* 1, or how many times a list option may be given */
	const char *meta;      /* the value's name in help ("K=V"), or NULL */
	const char *help;      /* one line */
};

#define CLI_REST 1u        /* cmd flag: what follows "--" is a->rest, not positional */

struct cli_cmd {
	const char *name;      /* "create" */
	int parent;            /* the group's index, or CLI_NONE */
	bool group;            /* has subcommands, no arguments of its own */
	const char *pos;       /* positionals: "NAME DIR", "[NAME]", "SRC.c...";
				  a word in [] is optional, one ending in ... repeats */
	const char *usage;     /* after "tutti PATH ", alternatives on lines of their own */
	const char *summary;   /* one line */
	cli_mask opts;         /* bit i: opts[i] is accepted (help always is) */
	unsigned flags;        /* CLI_REST */
	const char *notes;     /* more help text, or NULL */
};

struct cli_grammar {
	const char *prog;                  /* "tutti" */
	const struct cli_opt *opts;
	size_t nopts;
	int help;                          /* the index of --help in opts */
	const struct cli_cmd *cmds;
	size_t ncmds;
};

struct cli_val {
	const char *last;      /* the last value given; NULL: none (or a flag) */
	unsigned short n;      /* how many times the option was given */
	unsigned short first;  /* list options: values are vals[first .. first + n) */
	int at;                /* argv index of its last occurrence (which of two came last) */
};

struct cli_args {
	const struct cli_grammar *g;
	int cmd;               /* index in g->cmds */
	int argc;              /* from the command's own word on, as given */
	char **argv;
	int npos;
	char **pos;            /* the positionals, in order (owned) */
	int nrest;
	char **rest;           /* after "--" (CLI_REST commands) */
	struct cli_val opt[CLI_OPTS_MAX];
	const char *vals[CLI_VALS_MAX];
};

/* What cli_parse and cli_dispatch return besides an exit code. */
#define CLI_DONE (-1)      /* help was printed: exit CLI_EXIT_OK */

/* Parse the arguments of leaf command `cmd`: argv[0] is its word, the
 * rest options and positionals. 0; CLI_DONE after printing its help on
 * stdout (--help); or CLI_EXIT_USAGE after printing the error and the
 * usage on stderr. Free a with cli_args_free whatever it returns. */
int cli_parse(const struct cli_grammar *g, int cmd, int argc, char **argv, struct cli_args *a);
void cli_args_free(struct cli_args *a);

/* The whole command line (argv[0] is the program): finds the command and
 * subcommand and parses its arguments into a (a->cmd). 0: run it;
 * CLI_DONE: help was printed (`tutti help ...`, --help, `tutti CMD help`);
 * CLI_EXIT_USAGE: a usage error, printed. */
int cli_dispatch(const struct cli_grammar *g, int argc, char **argv, struct cli_args *a);

/* Option i's values: the last one (NULL if not given), how many. */
static inline const char *cli_str(const struct cli_args *a, int i) { return a->opt[i].last; }
static inline unsigned cli_count(const struct cli_args *a, int i) { return a->opt[i].n; }
static inline const char *const *cli_list(const struct cli_args *a, int i)
{
	return a->vals + a->opt[i].first;
}

/* `tutti help [COMMAND [SUBCOMMAND]]` (a's positionals): that help on
 * stdout and CLI_EXIT_OK, or a usage error. */
int cli_help_topic(const struct cli_grammar *g, const struct cli_args *a);

/* The index of the subcommand `name` of group `parent` (CLI_NONE for a
 * top-level command), or CLI_NONE. */
int cli_find(const struct cli_grammar *g, int parent, const char *name);

/* Help and usage. cli_help: the full help of a command or group;
 * cli_usage_lines: its "usage: ..." lines; cli_help_all: every command's
 * usage lines, then a summary of the commands. */
void cli_help(const struct cli_grammar *g, int cmd, FILE *f);
void cli_usage_lines(const struct cli_grammar *g, int cmd, FILE *f);
void cli_help_all(const struct cli_grammar *g, FILE *f);

/* "tutti: PATH: message" and cmd's usage lines on stderr; CLI_EXIT_USAGE.
 * cmd may be CLI_NONE (no usage lines). */
int cli_cmd_error(const struct cli_grammar *g, int cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The candidate closest to `word` by edit distance (transpositions count
 * one), or a unique candidate `word` is a prefix of; NULL when none is
 * close. */
const char *cli_suggest(const char *word, const char *const *cands, size_t n);

/* Where help and errors go (tests): NULL restores stdout / stderr. */
void cli_set_streams(FILE *out, FILE *err);

#endif
