/* svc_console — tutti's own read actions behind the web console (and any
 * client): what the AWS APIs do not answer in one call.
 *
 *   Tutti.DescribeExecutionStates {executionArn, mapStateName?, iteration?}
 *       what happened to each state (graph_exec_states over the history)
 *   Tutti.ListMapIterations {executionArn, mapStateName, statusFilter?,
 *       maxResults?, nextToken?}   a Map state's iterations, by index, paged
 *   Tutti.NextFireTimes {ScheduleArn | RuleArn | ScheduleExpression
 *       (+ ScheduleExpressionTimezone), Count?, After?}   nominal fire times
 *
 * (Tutti.ListExecutions, the executions list with a name search and counts,
 * is in svc_sfn.c beside ListExecutions.)
 *
 * The history is read whole, page by page, up to CONSOLE_EVENTS_MAX
 * events: a STANDARD execution fails at 25,000, so every one fits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scheduler.h"
#include "svc_internal.h"

#define FIRE_TIMES_MAX     100


static int64_t int_field(json_t *o, const char *k, int64_t dflt)
{
	json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

static int act_fire_times(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *sarn = svc_str(req, "ScheduleArn", false, 1224, e);
	const char *rarn = svc_str(req, "RuleArn", false, 1224, e);
	const char *expr = svc_str(req, "ScheduleExpression", false, 256, e);
	const char *tz = svc_str(req, "ScheduleExpressionTimezone", false, 50, e);
	json_t *cnt = json_object_get(req, "Count"), *after_v = json_object_get(req, "After"), *body = NULL, *arr;
	int64_t count = 5, after = (int64_t)time(NULL), anchor, start = SCHED_NONE, end = SCHED_NONE, t;
	struct store_res r = { 0 };
	struct sched_expr *x = NULL;
	int given = !!sarn + !!rarn + !!expr;

	if (e->type[0])
		return -1;
	if (given != 1)
		return err_setn(e, "ValidationException", "give exactly one of ScheduleArn, RuleArn and ScheduleExpression");
	if (cnt) {
		if (!json_is_integer(cnt) || json_integer_value(cnt) < 1 || json_integer_value(cnt) > FIRE_TIMES_MAX)
			return err_setn(e, "ValidationException", "Count must be a whole number 1-%d", FIRE_TIMES_MAX);
		count = json_integer_value(cnt);
	}
	if (after_v) {
		if (!json_is_number(after_v))
			return err_setn(e, "ValidationException", "After must be a time in epoch seconds");
		after = (int64_t)json_number_value(after_v);
	}
	anchor = after;
	if (!expr) {
		const char *arn = sarn ? sarn : rarn;

		if (store_res_get(s->store, arn, &r, e) || strcmp(r.kind, sarn ? "schedule" : "rule")) {
			store_res_free(&r);
			err_clear(e);
			return err_setn(e, "ResourceNotFoundException", "%s %.300s does not exist.",
					sarn ? "Schedule" : "Rule", arn);
		}
		body = json_loads(r.body, 0, NULL);
		store_res_free(&r);
		expr = json_string_value(json_object_get(body, "ScheduleExpression"));
		tz = json_string_value(json_object_get(body, "ScheduleExpressionTimezone"));
		if (!expr) {
			json_decref(body);
			/* an event-pattern rule: it never fires on time */
			*resp = json_pack("{s:[]}", "FireTimes");
			return 0;
		}
		start = int_field(body, "StartDate", SCHED_NONE);
		end = int_field(body, "EndDate", SCHED_NONE);
		anchor = start != SCHED_NONE ? start : int_field(body, "tutti:created", 0);
	}
	x = sched_parse(expr, tz, e);
	if (!x) {
		json_decref(body);
		return -1;
	}
	arr = json_array();
	t = start != SCHED_NONE && start - 1 > after ? start - 1 : after;
	while (arr && (int64_t)json_array_size(arr) < count) {
		t = sched_next(x, anchor, t);
		if (t == SCHED_NONE || (end != SCHED_NONE && t >= end))
			break;
		json_array_append_new(arr, json_integer(t));
	}
	*resp = json_pack("{s:o, s:s}", "FireTimes", arr, "ScheduleExpressionTimezone", sched_tz_name(x));
	sched_free(x);
	json_decref(body);
	return *resp ? 0 : err_setn(e, "ServiceException", "out of memory");
}

const struct svc_action svc_console_actions[] = {
	{ "Tutti.NextFireTimes", act_fire_times, SVC_READ },
	{ NULL, NULL, 0 },
};
