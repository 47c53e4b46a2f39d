/* tutti logs FUNCTION [--follow] [--since AGE|TIME] [--output json|text]
 * (arguments: commands.def). Prints the function's kept log (logs/fnlog.h),
 * oldest first; --follow then prints what is appended until SIGINT or
 * SIGTERM (exit 0), or until stdout is closed (EPIPE, exit 0). Exit 2: a
 * bad --since, or a function that is neither registered nor logged (with
 * the closest name as a suggestion). */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "fnlog.h"
#include "registry.h"
#include "termsafe.h"

#define LOGS_POLL_MS   200
#define LOGS_CANDS_MAX 512   /* names considered for "did you mean" */

static volatile sig_atomic_t stop_follow;

static void on_stop(int sig)
{
	(void)sig;
	stop_follow = 1;
}

struct out {
	bool json;
	bool failed;   /* stdout refused a write (EPIPE) */
};

static int print_line(void *arg, int64_t ts, const char *text, size_t len)
{
	struct out *o = arg;

	if (o->json) {
		json_t *m = json_stringn(text, len), *v;

		if (!m) {   /* not UTF-8: the file was not written by tutti */
			char *e = malloc(len * 4 + 1);
			size_t n = e ? termsafe_escape(text, len, e, len * 4) : 0;

			m = e ? json_stringn(e, n) : NULL;
			free(e);
		}
		v = json_pack("{s:I, s:o*}", "timestamp", (json_int_t)ts, "message", m);
		if (v) {
			cli_print_json(stdout, v, JSON_COMPACT);
			json_decref(v);
		}
	} else {
		char t[FNLOG_TIME_LEN + 1];

		if (ts) {
			fnlog_format_time(ts, t);
			fputs(t, stdout);
			fputc(' ', stdout);
		}
		termsafe_write(stdout, text, len);
		fputc('\n', stdout);
	}
	if (ferror(stdout)) {
		o->failed = true;
		return -EPIPE;
	}
	return 0;
}

/* The registered functions' names and those with a log directory. */
static size_t candidates(struct cli *cli, char **names, size_t max)
{
	struct err e = { 0 };
	struct registry *reg = registry_open(cli->home, &e);
	json_t *j = NULL, *f;
	char dir[sizeof cli->home + 32];
	struct dirent *de;
	size_t n = 0, i;
	DIR *d;

	if (reg && !registry_function_list_json(reg, &j, &e))
		json_array_foreach(json_object_get(j, "Functions"), i, f) {
			const char *s = json_string_value(json_object_get(f, "FunctionName"));

			if (s && n < max && (names[n] = strdup(s)))
				n++;
		}
	json_decref(j);
	registry_close(reg);
	snprintf(dir, sizeof dir, "%s/logs/functions", cli->home);
	d = opendir(dir);
	while (d && (de = readdir(d)) && n < max)
		if (de->d_name[0] != '.' && (names[n] = strdup(de->d_name)))
			n++;
	if (d)
		closedir(d);
	return n;
}

static bool registered(struct cli *cli, const char *name)
{
	struct err e = { 0 };
	struct registry *reg = registry_open(cli->home, &e);
	struct fn_config cfg;
	bool ok = reg && !registry_resolve(reg, name, &cfg, &e);

	registry_close(reg);
	return ok;
}

static int unknown(struct cli *cli, const char *name)
{
	char *names[LOGS_CANDS_MAX];
	size_t n = candidates(cli, names, LOGS_CANDS_MAX);
	const char *s = cli_suggest(name, (const char *const *)names, n);

	if (s)
		fprintf(stderr, "tutti: logs: no function named '%s' (did you mean '%s'?)\n", name, s);
	else
		fprintf(stderr, "tutti: logs: no function named '%s' (tutti function list shows them)\n", name);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return CLI_EXIT_USAGE;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cmd_logs(struct cli *cli, const struct cli_args *a)
{
	const char *name = a->pos[0], *since_arg = cli_str(a, OPT_SINCE), *fmt = cli_str(a, OPT_OUTPUT);
	bool follow = cli_count(a, OPT_FOLLOW) > 0;
	struct out o = { .json = fmt && !strcmp(fmt, "json") };
	struct fnlog_reader *rd = NULL;
	struct sigaction sa;
	int64_t since = 0;
	int rc;

	if (since_arg && fnlog_parse_since(since_arg, now_ms(), &since))
		return cli_usage("logs: --since takes an age (30s, 10m, 1h, 2d) or an ISO-8601 UTC time "
				 "(2024-05-01T12:00:00Z), not '%s'",
				 since_arg);
	if (!fnconf_valid_name(name) || (!fnlog_exists(cli->home, name) && !registered(cli, name)))
		return unknown(cli, name);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;   /* no SA_RESTART: the poll's sleep ends */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (;;) {
		if (!rd) {
			rc = fnlog_reader_open(cli->home, name, since, &rd);
			if (rc && rc != -ENOENT) {
				fprintf(stderr, "tutti: logs: cannot read the log of %s: %s\n", name, strerror(-rc));
				return CLI_EXIT_FAILED;
			}
		}
		if (rd) {
			rc = fnlog_reader_read(rd, print_line, &o);
			if (fflush(stdout) || o.failed)
				break;
			if (rc) {
				fprintf(stderr, "tutti: logs: cannot read the log of %s: %s\n", name, strerror(-rc));
				fnlog_reader_close(rd);
				return CLI_EXIT_FAILED;
			}
		}
		if (!follow || stop_follow)
			break;
		{
			struct timespec ts = { 0, LOGS_POLL_MS * 1000000L };

			nanosleep(&ts, NULL);
		}
		if (stop_follow)
			break;
	}
	fnlog_reader_close(rd);
	return CLI_EXIT_OK;
}
