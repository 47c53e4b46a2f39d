/* tutti task success|failure|heartbeat TOKEN (commands.def): Step
 * Functions' SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat, on
 * the running server (cli_call, cli/call.c). Prints nothing. Exit 0 done,
 * 1 refused (TaskDoesNotExist, TaskTimedOut, ...) or no server, 2 usage. */
#include <stdlib.h>

#include "cli.h"
#include "engine.h"

#define SFN "AWSStepFunctions."

int cmd_task(struct cli *cli, const struct cli_args *a)
{
	json_t *req = json_pack("{s:s}", "taskToken", a->pos[0]), *resp = NULL;
	const char *target;
	char *text;
	int rc = CLI_EXIT_USAGE;

	if (!req)
		return cli_usage("task: TOKEN must be UTF-8");
	switch (a->cmd) {
	case CMD_TASK_SUCCESS:
		target = SFN "SendTaskSuccess";
		text = cli_json_arg(a->npos > 1 ? a->pos[1] : "{}", "task success: OUTPUT", 4 * ENGINE_DATA_MAX);
		if (!text)
			goto out;
		json_object_set_new(req, "output", json_string(text));
		free(text);
		break;
	case CMD_TASK_FAILURE:
		target = SFN "SendTaskFailure";
		if (cli_str(a, OPT_ERROR))
			json_object_set_new(req, "error", json_string(cli_str(a, OPT_ERROR)));
		if (cli_str(a, OPT_CAUSE))
			json_object_set_new(req, "cause", json_string(cli_str(a, OPT_CAUSE)));
		break;
	default:
		target = SFN "SendTaskHeartbeat";
		break;
	}
	rc = cli_call(cli, target, req, &resp);
	json_decref(resp);
out:
	json_decref(req);
	return rc;
}
