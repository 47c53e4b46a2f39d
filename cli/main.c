/* tutti — command-line entry point. Exit codes: 0 ok, 1 the function or
 * execution failed, 2 usage or configuration error. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fsutil.h"
#include "log.h"

struct command {
	const char *name;
	int (*fn)(struct cli *, int, char **);
	const char *help;
};

static const struct command commands[] = {
#define X(name, fn, help) { #name, fn, help },
#include "commands.def"
#undef X
};

static void usage(FILE *f)
{
	fprintf(f, "usage: tutti COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\nState lives under $TUTTI_HOME (default ~/.tutti). See docs/cli.md.\n");
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tutti: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_USAGE;
}

struct rt *cli_rt(struct cli *cli)
{
	struct rt_options o = { 0 };
	struct err e = { 0 };

	if (cli->rt)
		return cli->rt;
	o.home = cli->home;
	/* One blank environment: it gets ready while the command reads its
	 * arguments and files, and a one-shot command rarely needs more. */
	o.prefork = 1;
	cli->rt = rt_new(&o, &e);
	if (!cli->rt)
		fprintf(stderr, "tutti: cannot start the runtime: %s: %s\n", e.type, e.msg);
	return cli->rt;
}

char *cli_read_arg(const char *arg, size_t cap, size_t *len)
{
	char *data = NULL;
	size_t n = strlen(arg);
	int rc;

	if (arg[0] == '@') {
		rc = fs_read_file(arg + 1, cap, &data, len);
		if (rc) {
			fprintf(stderr, "tutti: cannot read %s: %s\n", arg + 1,
				rc == -EFBIG ? "larger than the limit" : strerror(-rc));
			return NULL;
		}
		return data;
	}
	if (n > cap) {
		fprintf(stderr, "tutti: argument larger than the limit (%zu bytes)\n", cap);
		return NULL;
	}
	data = strdup(arg);
	if (data && len)
		*len = n;
	return data;
}

static void resolve_home(struct cli *cli)
{
	const char *h = getenv("TUTTI_HOME");

	if (h && *h)
		snprintf(cli->home, sizeof cli->home, "%s", h);
	else
		snprintf(cli->home, sizeof cli->home, "%s/.tutti", getenv("HOME") ? getenv("HOME") : "/root");
}

/* $TUTTI_HOME holds functions' variables: private (fs_private_dir), or
 * refused before any command uses it (build and validate don't). */
static bool home_unsafe(struct cli *cli, const char *cmd)
{
	char why[PATH_MAX + 128];

	if (!strcmp(cmd, "build") || !strcmp(cmd, "validate") || !fs_private_dir(cli->home, why, sizeof why))
		return false;
	fprintf(stderr, "tutti: unsafe TUTTI_HOME: %s\n", why);
	return true;
}

int main(int argc, char **argv)
{
	struct cli cli = { .rt = NULL, .argv0 = argv[0] };
	int rc = CLI_EXIT_USAGE;

	log_set_role("cli");
	signal(SIGPIPE, SIG_IGN);
	resolve_home(&cli);
	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		printf("tutti 0.1.0\n");
		return CLI_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		if (home_unsafe(&cli, argv[1]))
			return CLI_EXIT_USAGE;
		rc = commands[i].fn(&cli, argc - 1, argv + 1);
		goto out;
	}
	fprintf(stderr, "tutti: unknown command '%s'\n", argv[1]);
	usage(stderr);
out:
	fflush(stdout);
	rt_free(cli.rt);
	return rc;
}
