/* tutti schedule next EXPR [-n N] [--tz ZONE] [--from TIME] — the next fire
 * times of a schedule expression, one ISO-8601 UTC time a line.
 *
 * Exit codes: 0 (also when nothing is left to print: an at() time before
 * --from, years that are over); 2 a usage error, or an expression, zone or
 * time that is not valid ("tutti: schedule next: ValidationException:
 * cron(...): field 5 (day-of-week): ... (column 15)" on stderr). Arguments:
 * commands.def. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "scheduler.h"
#include "termsafe.h"

#define SCHEDULE_NEXT_MAX 1000

static int value_error(const struct err *e)
{
	fputs("tutti: schedule next: ", stderr);
	termsafe_write(stderr, e->type, strlen(e->type));
	fputs(": ", stderr);
	termsafe_write(stderr, e->msg, strlen(e->msg));
	fputc('\n', stderr);
	return CLI_EXIT_USAGE;
}

int cmd_schedule_next(struct cli *cli, const struct cli_args *a)
{
	const char *ns = cli_str(a, OPT_NUMBER), *from_s = cli_str(a, OPT_FROM);
	struct sched_expr *x = NULL;
	struct err e = { 0 };
	char iso[SCHED_ISO_SIZE];
	int64_t from, t;
	long n = 5, i;
	char *end;
	int rc;

	(void)cli;
	if (ns) {
		errno = 0;
		n = strtol(ns, &end, 10);
		if (errno || end == ns || *end || n < 1 || n > SCHEDULE_NEXT_MAX)
			return cli_cmd_error(a->g, a->cmd, "-n must be a whole number 1-%d, not '%.40s'",
					     SCHEDULE_NEXT_MAX, ns);
	}
	if (!(x = sched_parse(a->pos[0], cli_str(a, OPT_TZ), &e)))
		return value_error(&e);
	if (from_s) {
		if (sched_parse_time(from_s, x, &from, &e)) {
			rc = value_error(&e);
			goto out;
		}
	} else {
		from = (int64_t)time(NULL);
	}
	/* rate() counts from --from (a schedule's StartDate). */
	for (i = 0, t = from; i < n; i++) {
		t = sched_next(x, from, t);
		if (t == SCHED_NONE)
			break;
		printf("%s\n", sched_format_utc(t, iso));
	}
	rc = fflush(stdout) || ferror(stdout) ? CLI_EXIT_FAILED : CLI_EXIT_OK;
out:
	sched_free(x);
	return rc;
}
