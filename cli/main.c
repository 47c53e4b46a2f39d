/* tutti — command-line entry point. Exit codes: 0 ok, 1 the function or
 * execution failed, 2 usage or configuration error. The command line is
 * parsed by the one grammar (opts.h, commands.def), then the command's
 * handler runs. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fnlog.h"
#include "fsutil.h"
#include "graph.h"
#include "log.h"
#include "service.h"
#include "termsafe.h"

#define TUTTI_VERSION "0.1.0"

typedef int (*cli_handler)(struct cli *, const struct cli_args *);

static const cli_handler handlers[CMD_COUNT] = {
#define GROUP(...)
#define CMD(id, parent, name, fn, ...) [CMD_##id] = fn,
#include "commands.def"
#undef GROUP
#undef CMD
};

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

void cli_print_err(const struct err *e)
{
	fputs("tutti: ", stderr);
	termsafe_write(stderr, e->type, strlen(e->type));
	fputs(": ", stderr);
	termsafe_write(stderr, e->msg, strlen(e->msg));
	fputc('\n', stderr);
}

void cli_print_json(FILE *f, const json_t *v, size_t flags)
{
	/* 13 significant digits: epoch-second timestamps print as 1796595013.909 */
	char *s = json_dumps(v, flags | (flags & 0xF800 ? 0 : JSON_REAL_PRECISION(13)));

	if (s) {
		termsafe_write(f, s, strlen(s));
		free(s);
	}
	fputc('\n', f);
}

/* Every invocation the CLI's runtime completes (rt_options.observe, on its
 * I/O thread): a registered function's record goes to the log store
 * (logs/fnlog.h); a path (`tutti invoke ./f.so`) or a `run --function`
 * binding has version "local" and no log of its own. A store error never
 * fails the invocation: it is reported once. */
static void cli_observe(void *arg, const struct fn_config *cfg, const struct rt_result *res)
{
	struct cli *cli = arg;
	struct fnlog_record r;
	int rc;

	if (cli->log_failures && !res->ok) {
		const size_t tail = 4096;
		const char *p = res->log;
		size_t n = res->log_len;

		fprintf(stderr, "--- %s (RequestId: %s) failed: %s; its output:\n", cfg->name, res->request_id,
			res->err.type);
		if (p && n > tail) {
			p += n - tail;
			n = tail;
		}
		if (p && n) {
			termsafe_write(stderr, p, n);
			if (p[n - 1] != '\n')
				fputc('\n', stderr);
		}
		fflush(stderr);
	}
	if (!strcmp(cfg->version, "local"))
		return;
	svc_observe(__atomic_load_n(&cli->serving, __ATOMIC_ACQUIRE), cfg, res);
	fnlog_record_from_result(&r, cfg, res);
	rc = fnlog_append(cli->home, &r);
	if (rc && !cli->log_warned) {
		cli->log_warned = true;
		log_warn("cannot keep the log of %s in %s/logs: %s", cfg->name, cli->home, strerror(-rc));
	}
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
	/* A command that runs one function (invoke, function create's code
	 * check) makes no blank beyond the first; every command leaves the
	 * zygote's clean-up to the zygote (docs/runtime.md, one-shot start-up). */
	o.oneshot = cli->oneshot;
	o.detach_zygote = !getenv("TUTTI_WAIT_ZYGOTE");
	o.observe = cli_observe;
	o.observe_arg = cli;
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
			if (rc == -EFBIG)
				fprintf(stderr, "tutti: cannot read %s: larger than the limit (%zu bytes)\n",
					arg + 1, cap);
			else
				fprintf(stderr, "tutti: cannot read %s: %s\n", arg + 1, strerror(-rc));
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

int cmd_help(struct cli *cli, const struct cli_args *a)
{
	(void)cli;
	return cli_help_topic(a->g, a);
}

int cmd_version(struct cli *cli, const struct cli_args *a)
{
	(void)cli;
	(void)a;
	printf("tutti " TUTTI_VERSION "\n");
	return CLI_EXIT_OK;
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
 * refused before any command uses it (build, validate, help and version
 * don't). */
static bool home_unsafe(struct cli *cli, int cmd)
{
	char why[PATH_MAX + 128];

	if (cmd == CMD_BUILD || cmd == CMD_VALIDATE || cmd == CMD_HELP || cmd == CMD_VERSION ||
	    !fs_private_dir(cli->home, why, sizeof why))
		return false;
	fprintf(stderr, "tutti: unsafe TUTTI_HOME: %s\n", why);
	return true;
}

int main(int argc, char **argv)
{
	struct cli cli = { .rt = NULL, .svc = NULL, .argv0 = argv[0] };
	struct cli_args a;
	int rc;

	if (argc >= 2 && !strcmp(argv[1], "--version")) {
		puts("tutti " TUTTI_VERSION);
		return CLI_EXIT_OK;
	}
	if (argc == 2 && !strcmp(argv[1], GRAPH_LAYOUT_COMMAND))   /* the server's layout process (graph.h) */
		return cmd_graph_layout_child();
	log_set_role("cli");
	signal(SIGPIPE, SIG_IGN);
	resolve_home(&cli);
	rc = cli_dispatch(&cli_grammar, argc, argv, &a);
	if (rc == CLI_DONE)
		rc = CLI_EXIT_OK;
	else if (rc == 0)
		rc = home_unsafe(&cli, a.cmd) ? CLI_EXIT_USAGE : handlers[a.cmd](&cli, &a);
	cli_args_free(&a);
	fflush(stdout);
	svc_close(cli.svc);
	rt_free(cli.rt);
	return rc;
}
