/* tutti execution start|list|describe|history|stop|redrive (commands.def):
 * Step Functions' StartExecution, ListExecutions, DescribeExecution,
 * GetExecutionHistory, StopExecution and RedriveExecution through cli_call
 * (cli/call.c): start, stop and redrive on the running server; the rest
 * read the store. Output: the action's answer as JSON (scripts depend on
 * it: start's {"executionArn", "startDate"}, describe's DescribeExecution,
 * list's {"executions"}, history's {"events"} with --output json); list and
 * history as text columns by default. Exit 0 done, 1 refused or no server
 * ("tutti: ..." on stderr), 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine.h"

#define SFN "AWSStepFunctions."
#define DETAIL_MAX 72   /* characters of a history line's detail */

static const struct cli_column exec_columns[] = {
	{ "NAME", "name" }, { "STATUS", "status" }, { "STARTED", "start" }, { "STOPPED", "stop" },
	{ "STATE MACHINE", "sm" },
};
static const struct cli_column event_columns[] = {
	{ "ID", "id" }, { "TYPE", "type" }, { "STATE", "state" }, { "TIME", "time" }, { "DETAIL", "detail" },
};

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int start(struct cli *cli, const struct cli_args *a, json_t *req)
{
	const char *in = cli_str(a, OPT_INPUT);
	char arn[CLI_ARN_MAX], *text = NULL;
	json_t *resp = NULL;
	int rc;

	cli_sm_arn(a->pos[0], arn, sizeof arn);
	json_object_set_new(req, "stateMachineArn", json_string(arn));
	if (cli_str(a, OPT_NAME))
		json_object_set_new(req, "name", json_string(cli_str(a, OPT_NAME)));
	/* The service enforces the 256 KiB limit (States.DataLimitExceeded's
	 * size); more than that is not even read. */
	text = cli_json_arg(in ? in : "{}", "execution start: --input", 4 * ENGINE_DATA_MAX);
	if (!text)
		return CLI_EXIT_USAGE;
	json_object_set_new(req, "input", json_string(text));
	free(text);
	if (!json_object_get(req, "input"))
		return cli_usage("execution start: --input is not UTF-8");
	rc = cli_call(cli, SFN "StartExecution", req, &resp);
	return rc ? rc : cli_print_doc(resp);
}

static int list(struct cli *cli, const struct cli_args *a, json_t *req)
{
	const char *fmt = cli_str(a, OPT_OUTPUT) ? cli_str(a, OPT_OUTPUT) : "text";
	char arn[CLI_ARN_MAX], t0[64], t1[64];
	json_t *resp = NULL, *rows, *el;
	const char *sm;
	size_t i;
	int rc;

	if (cli_str(a, OPT_STATE_MACHINE)) {
		cli_sm_arn(cli_str(a, OPT_STATE_MACHINE), arn, sizeof arn);
		json_object_set_new(req, "stateMachineArn", json_string(arn));
	}
	if (cli_str(a, OPT_STATUS))
		json_object_set_new(req, "statusFilter", json_string(cli_str(a, OPT_STATUS)));
	rc = cli_call_pages(cli, SFN "ListExecutions", req, "executions", "nextToken", "maxResults", a, &resp);
	if (rc)
		return rc;
	if (!strcmp(fmt, "json"))
		return cli_print_doc(resp);
	rows = json_array();
	json_array_foreach(json_object_get(resp, "executions"), i, el) {
		sm = str(el, "stateMachineArn");
		sm = sm && strrchr(sm, ':') ? strrchr(sm, ':') + 1 : sm;
		cli_time_text(json_object_get(el, "startDate"), t0, sizeof t0);
		cli_time_text(json_object_get(el, "stopDate"), t1, sizeof t1);
		json_array_append_new(rows, json_pack("{s:o,s:o,s:s,s:s,s:o}",
			"name", cli_table_cell(str(el, "name"), 80), "status", cli_table_cell(str(el, "status"), 16),
			"start", t0, "stop", t1, "sm", cli_table_cell(sm, 80)));
	}
	json_decref(resp);
	return cli_print_rows(rows, exec_columns, sizeof exec_columns / sizeof exec_columns[0]);
}

/* The event's "...EventDetails" object, or NULL. */
static json_t *details_of(json_t *ev)
{
	const char *k;
	size_t n;
	json_t *v;

	json_object_foreach(ev, k, v) {
		n = strlen(k);
		if (n > 12 && !strcmp(k + n - 12, "EventDetails") && json_is_object(v))
			return v;
	}
	return NULL;
}

/* A short detail: the error and cause, else the output, input or resource. */
static json_t *detail_of(json_t *d)
{
	static const char *const keys[] = { "output", "input", "resource", "name", NULL };
	char buf[DETAIL_MAX * 4 + 8];
	const char *err = str(d, "error"), *cause = str(d, "cause");

	if (err || cause) {
		snprintf(buf, sizeof buf, "%s%s%s", err ? err : "", err && cause ? ": " : "", cause ? cause : "");
		return cli_table_cell(buf, DETAIL_MAX);
	}
	for (int i = 0; keys[i]; i++)
		if (str(d, keys[i]) && strcmp(keys[i], "name"))
			return cli_table_cell(str(d, keys[i]), DETAIL_MAX);
	return json_string("");
}

/* ID TYPE STATE TIME DETAIL: STATE is the state an event belongs to, the
 * name of its *StateEntered/Exited, or carried along previousEventId. */
static int history_text(json_t *events)
{
	size_t n = json_array_size(events), i, maxid = 0;
	const char **state = NULL;
	size_t *at = NULL;
	json_t *rows = json_array(), *ev;
	char when[64], id[24];

	json_array_foreach(events, i, ev) {
		json_int_t v = json_integer_value(json_object_get(ev, "id"));

		if (v > 0 && (size_t)v > maxid && v <= 10 * ENGINE_HISTORY_MAX + (json_int_t)n)
			maxid = (size_t)v;
	}
	state = calloc(maxid + 1, sizeof *state);
	at = malloc((maxid + 1) * sizeof *at);
	if (!state || !at || !rows) {
		free(state);
		free(at);
		json_decref(rows);
		return CLI_EXIT_FAILED;
	}
	for (i = 0; i <= maxid; i++)
		at[i] = n;
	json_array_foreach(events, i, ev) {
		json_int_t v = json_integer_value(json_object_get(ev, "id"));

		if (v > 0 && (size_t)v <= maxid)
			at[v] = i;
	}
	/* In id order (whatever the order shown), a state's name reaches
	 * every event that follows from it. */
	for (size_t v = 1; v <= maxid; v++) {
		json_int_t p;
		const char *type;

		if (at[v] == n)
			continue;
		ev = json_array_get(events, at[v]);
		p = json_integer_value(json_object_get(ev, "previousEventId"));
		type = str(ev, "type");
		if (type && strstr(type, "State") && (strstr(type, "Entered") || strstr(type, "Exited")))
			state[v] = str(details_of(ev), "name");
		else if (p > 0 && (size_t)p < v)
			state[v] = state[p];
	}
	json_array_foreach(events, i, ev) {
		json_int_t v = json_integer_value(json_object_get(ev, "id"));
		json_t *d = details_of(ev);

		snprintf(id, sizeof id, "%" JSON_INTEGER_FORMAT, v);
		cli_time_text(json_object_get(ev, "timestamp"), when, sizeof when);
		json_array_append_new(rows, json_pack("{s:s,s:o,s:o,s:s,s:o}", "id", id,
			"type", cli_table_cell(str(ev, "type"), 48),
			"state", cli_table_cell(v > 0 && (size_t)v <= maxid ? state[v] : NULL, 40),
			"time", when, "detail", d ? detail_of(d) : json_string("")));
	}
	free(state);
	free(at);
	return cli_print_rows(rows, event_columns, sizeof event_columns / sizeof event_columns[0]);
}

static int history(struct cli *cli, const struct cli_args *a, json_t *req)
{
	const char *fmt = cli_str(a, OPT_OUTPUT) ? cli_str(a, OPT_OUTPUT) : "text";
	json_t *resp = NULL;
	int rc;

	json_object_set_new(req, "executionArn", json_string(a->pos[0]));
	if (cli_count(a, OPT_REVERSE))
		json_object_set_new(req, "reverseOrder", json_true());
	rc = cli_call_pages(cli, SFN "GetExecutionHistory", req, "events", "nextToken", "maxResults", a, &resp);
	if (rc)
		return rc;
	if (!strcmp(fmt, "json"))
		return cli_print_doc(resp);
	rc = history_text(json_object_get(resp, "events"));
	json_decref(resp);
	return rc;
}

int cmd_exec(struct cli *cli, const struct cli_args *a)
{
	json_t *req = json_object(), *resp = NULL;
	const char *target = NULL;
	int rc;

	if (!req)
		return CLI_EXIT_FAILED;
	switch (a->cmd) {
	case CMD_EXECUTION_START:
		rc = start(cli, a, req);
		goto out;
	case CMD_EXECUTION_LIST:
		rc = list(cli, a, req);
		goto out;
	case CMD_EXECUTION_HISTORY:
		rc = history(cli, a, req);
		goto out;
	case CMD_EXECUTION_DESCRIBE:
		target = SFN "DescribeExecution";
		break;
	case CMD_EXECUTION_STOP:
		target = SFN "StopExecution";
		if (cli_str(a, OPT_ERROR))
			json_object_set_new(req, "error", json_string(cli_str(a, OPT_ERROR)));
		if (cli_str(a, OPT_CAUSE))
			json_object_set_new(req, "cause", json_string(cli_str(a, OPT_CAUSE)));
		break;
	default:
		target = SFN "RedriveExecution";
		break;
	}
	json_object_set_new(req, "executionArn", json_string(a->pos[0]));
	rc = cli_call(cli, target, req, &resp);
	if (!rc)
		rc = cli_print_doc(resp);
out:
	json_decref(req);
	return rc;
}
