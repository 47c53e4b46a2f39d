/* tutti rule put|targets|list|delete|enable|disable (commands.def):
 * EventBridge's PutRule, PutTargets / ListTargetsByRule, ListRules,
 * RemoveTargets + DeleteRule, EnableRule and DisableRule on the default
 * event bus, through cli_call (cli/call.c). Output: put and targets --target
 * print the action's answer (JSON); list and targets print text columns by
 * default; delete, enable and disable print nothing. Exit 0 done, 1
 * refused (or a target PutTargets did not take), 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine.h"

#define EVENTS "AWSEvents."

static const struct cli_column rule_columns[] = {
	{ "NAME", "Name" }, { "STATE", "State" }, { "SCHEDULE", "ScheduleExpression" },
	{ "DESCRIPTION", "Description" },
};
static const struct cli_column target_columns[] = { { "ID", "Id" }, { "ARN", "Arn" }, { "INPUT", "Input" } };

/* Text rows of the string fields `cols` names, made terminal-safe. */
static json_t *rows_of(json_t *arr, const struct cli_column *cols, size_t ncols)
{
	json_t *rows = json_array(), *el, *row;
	size_t i;

	json_array_foreach(arr, i, el) {
		row = json_object();
		for (size_t c = 0; c < ncols; c++)
			json_object_set_new(row, cols[c].path,
					    cli_table_cell(json_string_value(json_object_get(el, cols[c].path)), 80));
		json_array_append_new(rows, row);
	}
	return rows;
}

static int listing(struct cli *cli, const struct cli_args *a, const char *target, json_t *req, const char *key,
		   const struct cli_column *cols, size_t ncols)
{
	const char *fmt = cli_str(a, OPT_OUTPUT) ? cli_str(a, OPT_OUTPUT) : "text";
	json_t *resp = NULL;
	int rc = cli_call_pages(cli, target, req, key, "NextToken", "Limit", a, &resp);

	if (rc)
		return rc;
	if (!strcmp(fmt, "json"))
		return cli_print_doc(resp);
	rc = cli_print_rows(rows_of(json_object_get(resp, key), cols, ncols), cols, ncols);
	json_decref(resp);
	return rc;
}

static int put_targets(struct cli *cli, const struct cli_args *a, json_t *req)
{
	const char *in = cli_str(a, OPT_TARGET_INPUT);
	json_t *t = json_pack("{s:s,s:s}", "Id", cli_str(a, OPT_TARGET_ID) ? cli_str(a, OPT_TARGET_ID) : "1",
			      "Arn", cli_str(a, OPT_TARGET));
	json_t *resp = NULL;
	char *text;
	int rc;

	if (!t)
		return cli_usage("rule targets: --target-id and --target must be UTF-8");
	if (in) {
		text = cli_json_arg(in, "rule targets: --target-input", 4 * ENGINE_DATA_MAX);
		if (!text) {
			json_decref(t);
			return CLI_EXIT_USAGE;
		}
		json_object_set_new(t, "Input", json_string(text));
		free(text);
	}
	json_object_set_new(req, "Targets", json_pack("[o]", t));
	rc = cli_call(cli, EVENTS "PutTargets", req, &resp);
	if (rc)
		return rc;
	rc = json_integer_value(json_object_get(resp, "FailedEntryCount")) ? CLI_EXIT_FAILED : CLI_EXIT_OK;
	return cli_print_doc(resp) ? CLI_EXIT_FAILED : rc;
}

/* AWS refuses to delete a rule that has targets: remove them first. */
static int delete_rule(struct cli *cli, json_t *req)
{
	json_t *q = json_pack("{s:O}", "Rule", json_object_get(req, "Name")), *resp = NULL, *ids = NULL, *t;
	size_t i;
	int rc;

	rc = cli_call(cli, EVENTS "ListTargetsByRule", q, &resp);
	if (rc)
		goto out;
	ids = json_array();
	json_array_foreach(json_object_get(resp, "Targets"), i, t)
		json_array_append(ids, json_object_get(t, "Id"));
	json_decref(resp);
	resp = NULL;
	if (json_array_size(ids)) {
		json_object_set(q, "Ids", ids);
		rc = cli_call(cli, EVENTS "RemoveTargets", q, &resp);
		if (rc)
			goto out;
		json_decref(resp);
		resp = NULL;
	}
	rc = cli_call(cli, EVENTS "DeleteRule", req, &resp);
out:
	json_decref(resp);
	json_decref(ids);
	json_decref(q);
	return rc;
}

int cmd_rule(struct cli *cli, const struct cli_args *a)
{
	const char *sched = cli_str(a, OPT_SCHEDULE_EXPRESSION), *pattern = cli_str(a, OPT_EVENT_PATTERN);
	json_t *req = json_object(), *resp = NULL;
	char *text;
	int rc = CLI_EXIT_USAGE;

	if (!req)
		return CLI_EXIT_FAILED;
	if (a->cmd == CMD_RULE_LIST) {
		rc = listing(cli, a, EVENTS "ListRules", req, "Rules", rule_columns,
			     sizeof rule_columns / sizeof rule_columns[0]);
		goto out;
	}
	json_object_set_new(req, a->cmd == CMD_RULE_TARGETS ? "Rule" : "Name", json_string(a->pos[0]));
	switch (a->cmd) {
	case CMD_RULE_PUT:
		if (!sched == !pattern) {
			rc = cli_cmd_error(a->g, a->cmd, "give --schedule-expression or --event-pattern (one of them)");
			goto out;
		}
		if (sched)
			json_object_set_new(req, "ScheduleExpression", json_string(sched));
		if (pattern) {
			text = cli_json_arg(pattern, "rule put: --event-pattern", 4096 * 4);
			if (!text)
				goto out;
			json_object_set_new(req, "EventPattern", json_string(text));
			free(text);
		}
		json_object_set_new(req, "State", json_string(cli_str(a, OPT_STATE) ? cli_str(a, OPT_STATE) : "ENABLED"));
		if (cli_str(a, OPT_DESCRIPTION))
			json_object_set_new(req, "Description", json_string(cli_str(a, OPT_DESCRIPTION)));
		rc = cli_call(cli, EVENTS "PutRule", req, &resp);
		if (!rc)
			rc = cli_print_doc(resp);
		break;
	case CMD_RULE_TARGETS:
		if (cli_str(a, OPT_TARGET))
			rc = put_targets(cli, a, req);
		else if (cli_str(a, OPT_TARGET_ID) || cli_str(a, OPT_TARGET_INPUT))
			rc = cli_cmd_error(a->g, a->cmd, "--target-id and --target-input go with --target ARN");
		else
			rc = listing(cli, a, EVENTS "ListTargetsByRule", req, "Targets", target_columns,
				     sizeof target_columns / sizeof target_columns[0]);
		break;
	case CMD_RULE_DELETE:
		rc = delete_rule(cli, req);
		break;
	default:
		rc = cli_call(cli, a->cmd == CMD_RULE_ENABLE ? EVENTS "EnableRule" : EVENTS "DisableRule", req, &resp);
		json_decref(resp);
		break;
	}
out:
	json_decref(req);
	return rc;
}
