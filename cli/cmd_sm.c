/* tutti state-machine create|update|list|describe|delete (commands.def):
 * Step Functions' CreateStateMachine, UpdateStateMachine,
 * ListStateMachines, DescribeStateMachine and DeleteStateMachine, through
 * cli_call (cli/call.c). Output: the action's answer as JSON; list as text
 * columns by default. Exit 0 done, 1 refused ("tutti: Type: message" on
 * stderr), 2 usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl.h"
#include "cli.h"
#include "fsutil.h"

#define SFN "AWSStepFunctions."

static const struct cli_column sm_columns[] = {
	{ "NAME", "name" }, { "TYPE", "type" }, { "CREATED", "created" }, { "ARN", "arn" },
};

/* The definition file's text, substituted (cli_definition), into req's
 * "definition". */
static int add_definition(json_t *req, const struct cli_args *a, const char *path)
{
	char *text = NULL, header[300];
	size_t len = 0;
	json_t *s;
	int r;

	snprintf(header, sizeof header, "tutti: state-machine: %.250s:", path);
	r = cli_definition(a, path, stderr, header, &text, &len);
	if (r)
		return r;
	s = json_stringn(text, len);
	free(text);
	if (!s)
		return cli_usage("state-machine: %s is not UTF-8 text", path);
	json_object_set_new(req, "definition", s);
	return 0;
}

static int list(struct cli *cli, const struct cli_args *a)
{
	const char *fmt = cli_str(a, OPT_OUTPUT) ? cli_str(a, OPT_OUTPUT) : "text";
	json_t *req = json_object(), *resp = NULL, *rows, *el;
	char when[64];
	size_t i;
	int rc;

	rc = cli_call_pages(cli, SFN "ListStateMachines", req, "stateMachines", "nextToken", "maxResults", a, &resp);
	json_decref(req);
	if (rc)
		return rc;
	if (!strcmp(fmt, "json"))
		return cli_print_doc(resp);
	rows = json_array();
	json_array_foreach(json_object_get(resp, "stateMachines"), i, el) {
		cli_time_text(json_object_get(el, "creationDate"), when, sizeof when);
		json_array_append_new(rows, json_pack("{s:o,s:o,s:s,s:o}",
			"name", cli_table_cell(json_string_value(json_object_get(el, "name")), 80),
			"type", cli_table_cell(json_string_value(json_object_get(el, "type")), 16),
			"created", when,
			"arn", cli_table_cell(json_string_value(json_object_get(el, "stateMachineArn")), 256)));
	}
	json_decref(resp);
	return cli_print_rows(rows, sm_columns, sizeof sm_columns / sizeof sm_columns[0]);
}

int cmd_sm(struct cli *cli, const struct cli_args *a)
{
	const char *def = cli_str(a, OPT_DEFINITION), *role = cli_str(a, OPT_ROLE_ARN);
	const char *target;
	char arn[CLI_ARN_MAX];
	json_t *req, *resp = NULL;
	int rc;

	if (a->cmd == CMD_STATE_MACHINE_LIST)
		return list(cli, a);
	req = json_object();
	if (!req)
		return CLI_EXIT_FAILED;
	switch (a->cmd) {
	case CMD_STATE_MACHINE_CREATE:
		target = SFN "CreateStateMachine";
		if (!def) {
			rc = cli_cmd_error(a->g, a->cmd, "--definition FILE is required");
			goto out;
		}
		json_object_set_new(req, "name", json_string(a->pos[0]));
		json_object_set_new(req, "type", json_string(cli_str(a, OPT_TYPE) ? cli_str(a, OPT_TYPE) : "STANDARD"));
		break;
	case CMD_STATE_MACHINE_UPDATE:
		target = SFN "UpdateStateMachine";
		if (!def && !role) {
			rc = cli_cmd_error(a->g, a->cmd, "nothing to change: give --definition or --role-arn");
			goto out;
		}
		break;
	case CMD_STATE_MACHINE_DESCRIBE:
		target = SFN "DescribeStateMachine";
		break;
	default:
		target = SFN "DeleteStateMachine";
		break;
	}
	if (a->cmd != CMD_STATE_MACHINE_CREATE) {
		cli_sm_arn(a->pos[0], arn, sizeof arn);
		json_object_set_new(req, "stateMachineArn", json_string(arn));
	}
	if (role)
		json_object_set_new(req, "roleArn", json_string(role));
	if (def && (rc = add_definition(req, a, def)))
		goto out;
	rc = cli_call(cli, target, req, &resp);
	if (!rc)
		rc = a->cmd == CMD_STATE_MACHINE_DELETE ? (json_decref(resp), CLI_EXIT_OK) : cli_print_doc(resp);
out:
	json_decref(req);
	return rc;
}
