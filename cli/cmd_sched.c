/* tutti schedule create|list|get|delete (commands.def): EventBridge
 * Scheduler's CreateSchedule, ListSchedules, GetSchedule and DeleteSchedule
 * (the Scheduler model's shapes), as the targets TuttiScheduler.* through
 * cli_call (cli/call.c). Output: create and get print the answer (JSON);
 * list prints text columns by default; delete prints nothing. Exit 0 done,
 * 1 refused, 2 usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "engine.h"
#include "registry.h"

#define SCHED "TuttiScheduler."

static const struct cli_column sched_columns[] = {
	{ "NAME", "name" }, { "GROUP", "group" }, { "STATE", "state" }, { "TARGET", "target" },
};

/* TIME: seconds since the epoch, or ISO 8601 UTC "YYYY-MM-DDTHH:MM:SS[Z]". */
static int parse_time(const char *s, double *out)
{
	struct tm tm = { 0 };
	const char *end;
	char *e2;

	errno = 0;
	*out = strtod(s, &e2);
	if (!errno && e2 != s && !*e2)
		return 0;
	end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end || (*end && strcmp(end, "Z")))
		return -1;
	*out = (double)timegm(&tm);
	return 0;
}

static int create(struct cli *cli, const struct cli_args *a, json_t *req)
{
	const char *expr = cli_str(a, OPT_SCHEDULE_EXPRESSION), *target = cli_str(a, OPT_TARGET);
	const char *in = cli_str(a, OPT_TARGET_INPUT), *flex = cli_str(a, OPT_FLEXIBLE_WINDOW);
	const char *role = cli_str(a, OPT_ROLE_ARN);
	static const struct { int opt; const char *key; } dates[] = {
		{ OPT_START_DATE, "StartDate" }, { OPT_END_DATE, "EndDate" },
	};
	json_t *t, *resp = NULL;
	char *text, *end;
	double when;
	long m;
	int rc;

	if (!expr || !target)
		return cli_cmd_error(a->g, a->cmd, "--schedule-expression and --target are required");
	json_object_set_new(req, "ScheduleExpression", json_string(expr));
	if (cli_str(a, OPT_TZ))
		json_object_set_new(req, "ScheduleExpressionTimezone", json_string(cli_str(a, OPT_TZ)));
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		const char *v = cli_str(a, dates[i].opt);

		if (!v)
			continue;
		if (parse_time(v, &when))
			return cli_cmd_error(a->g, a->cmd, "bad time '%s' (YYYY-MM-DDTHH:MM:SSZ or seconds since the epoch)", v);
		json_object_set_new(req, dates[i].key, json_real(when));
	}
	if (flex) {
		errno = 0;
		m = strtol(flex, &end, 10);
		if (errno || *end || end == flex || m < 1 || m > 1440)
			return cli_cmd_error(a->g, a->cmd, "--flexible-window must be 1-1440 minutes");
		json_object_set_new(req, "FlexibleTimeWindow",
				    json_pack("{s:s,s:I}", "Mode", "FLEXIBLE", "MaximumWindowInMinutes", (json_int_t)m));
	} else {
		json_object_set_new(req, "FlexibleTimeWindow", json_pack("{s:s}", "Mode", "OFF"));
	}
	/* AWS requires a role; tutti keeps it and checks no permissions. */
	t = json_pack("{s:s,s:s}", "Arn", target, "RoleArn",
		      role ? role : "arn:aws:iam::" REGISTRY_ACCOUNT ":role/tutti-scheduler");
	if (!t)
		return cli_usage("schedule create: --target and --role-arn must be UTF-8");
	if (in) {
		text = cli_json_arg(in, "schedule create: --target-input", 4 * ENGINE_DATA_MAX);
		if (!text) {
			json_decref(t);
			return CLI_EXIT_USAGE;
		}
		json_object_set_new(t, "Input", json_string(text));
		free(text);
	}
	json_object_set_new(req, "Target", t);
	if (cli_str(a, OPT_AFTER_COMPLETION))
		json_object_set_new(req, "ActionAfterCompletion", json_string(cli_str(a, OPT_AFTER_COMPLETION)));
	json_object_set_new(req, "State", json_string(cli_str(a, OPT_STATE) ? cli_str(a, OPT_STATE) : "ENABLED"));
	if (cli_str(a, OPT_DESCRIPTION))
		json_object_set_new(req, "Description", json_string(cli_str(a, OPT_DESCRIPTION)));
	rc = cli_call(cli, SCHED "CreateSchedule", req, &resp);
	return rc ? rc : cli_print_doc(resp);
}

static int list(struct cli *cli, const struct cli_args *a, json_t *req)
{
	const char *fmt = cli_str(a, OPT_OUTPUT) ? cli_str(a, OPT_OUTPUT) : "text";
	json_t *resp = NULL, *rows, *el;
	size_t i;
	int rc = cli_call_pages(cli, SCHED "ListSchedules", req, "Schedules", "NextToken", "MaxResults", a, &resp);

	if (rc)
		return rc;
	if (!strcmp(fmt, "json"))
		return cli_print_doc(resp);
	rows = json_array();
	json_array_foreach(json_object_get(resp, "Schedules"), i, el)
		json_array_append_new(rows, json_pack("{s:o,s:o,s:o,s:o}",
			"name", cli_table_cell(json_string_value(json_object_get(el, "Name")), 64),
			"group", cli_table_cell(json_string_value(json_object_get(el, "GroupName")), 64),
			"state", cli_table_cell(json_string_value(json_object_get(el, "State")), 16),
			"target", cli_table_cell(json_string_value(json_object_get(json_object_get(el, "Target"), "Arn")),
						 200)));
	json_decref(resp);
	return cli_print_rows(rows, sched_columns, sizeof sched_columns / sizeof sched_columns[0]);
}

int cmd_sched(struct cli *cli, const struct cli_args *a)
{
	json_t *req = json_object(), *resp = NULL;
	int rc;

	if (!req)
		return CLI_EXIT_FAILED;
	if (cli_str(a, OPT_GROUP))
		json_object_set_new(req, "GroupName", json_string(cli_str(a, OPT_GROUP)));
	if (a->cmd != CMD_SCHEDULE_LIST)
		json_object_set_new(req, "Name", json_string(a->pos[0]));
	switch (a->cmd) {
	case CMD_SCHEDULE_CREATE:
		rc = create(cli, a, req);
		break;
	case CMD_SCHEDULE_LIST:
		rc = list(cli, a, req);
		break;
	case CMD_SCHEDULE_GET:
		rc = cli_call(cli, SCHED "GetSchedule", req, &resp);
		if (!rc)
			rc = cli_print_doc(resp);
		break;
	default:
		rc = cli_call(cli, SCHED "DeleteSchedule", req, &resp);
		json_decref(resp);
		break;
	}
	json_decref(req);
	return rc;
}
