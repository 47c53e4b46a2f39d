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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph.h"
#include "scheduler.h"
#include "svc_internal.h"

#define CONSOLE_EVENTS_MAX 100000
#define STATE_DATA_INLINE  8192   /* bytes of a state's input or output answered inline */
#define FIRE_TIMES_MAX     100

/* What load_history kept of the data: the events whose input or output
 * was left out for its size, by event id. */
struct kept {
	uint8_t *big;      /* bit 1: the input was left out, bit 2: the output */
	size_t n;
};

/* Leave out an event's input or output over STATE_DATA_INLINE bytes, and
 * its assigned variables (a
 * history holds up to 25,000 events of up to 256 KiB each twice: kept
 * whole, a poll of the console would hold gigabytes). */
static void strip(json_t *o, uint32_t id, struct kept *k)
{
	const char *key;
	json_t *d;

	json_object_foreach(o, key, d) {
		json_t *in, *out;

		if (!json_is_object(d))
			continue;
		in = json_object_get(d, "input");
		out = json_object_get(d, "output");
		if (json_is_string(in) && json_string_length(in) > STATE_DATA_INLINE) {
			json_object_del(d, "input");
			k->big[id] |= 1;
		}
		if (json_is_string(out) && json_string_length(out) > STATE_DATA_INLINE) {
			json_object_del(d, "output");
			k->big[id] |= 2;
		}
		/* up to 256 KiB an event, and no state answer shows them */
		json_object_del(d, "assignedVariables");
		json_object_del(d, "assignedVariablesDetails");
	}
}

/* The whole history of an execution as GetExecutionHistory shows it, but
 * for inputs and outputs over STATE_DATA_INLINE bytes (noted in *k). */
static json_t *load_history(struct svc *s, const char *arn, json_t **exec, struct kept *k, struct err *e)
{
	struct store_exec x;
	json_t *events = NULL;
	uint32_t from = 0;
	bool more = true;

	memset(k, 0, sizeof *k);
	if (svc_sfn_check_arn(arn, "execution|express", e))
		return NULL;
	if (store_exec_get(s->store, arn, &x, NULL)) {
		err_setn(e, "ExecutionDoesNotExist", "Execution Does Not Exist: '%.300s'", arn);
		return NULL;
	}
	*exec = json_pack("{s:s, s:s}", "status", store_status_name(x.status), "name", x.name);
	store_exec_free(&x);
	events = json_array();
	k->n = CONSOLE_EVENTS_MAX + 1001;
	k->big = calloc(k->n, 1);
	if (!*exec || !events || !k->big)
		goto oom;
	while (more) {
		struct store_event *v = NULL;
		size_t n = 0, i;

		if (store_history(s->store, arn, from, false, 1000, &v, &n, &more, e))
			goto fail;
		for (i = 0; i < n; i++) {
			json_t *o = svc_event_json(&v[i]);

			if (o && v[i].id < k->n)
				strip(o, v[i].id, k);
			if (!o || json_array_append_new(events, o)) {
				store_event_list_free(v, n);
				goto oom;
			}
		}
		if (n)
			from = v[n - 1].id;
		store_event_list_free(v, n);
		if (!n)
			break;
		if (json_array_size(events) > CONSOLE_EVENTS_MAX) {
			err_setn(e, "ValidationException", "the execution has more than %d events", CONSOLE_EVENTS_MAX);
			goto fail;
		}
	}
	return events;
oom:
	err_setn(e, "ServiceException", "out of memory");
fail:
	json_decref(events);
	json_decref(*exec);
	*exec = NULL;
	free(k->big);
	k->big = NULL;
	return NULL;
}

/* One event's input or output ("input"/"output" of its details), whole. */
static json_t *event_data(struct svc *s, const char *arn, json_int_t id, const char *key)
{
	struct store_event *v = NULL;
	size_t n = 0;
	bool more;
	struct err e = { 0 };
	json_t *o, *d, *found = NULL;
	const char *k;

	if (id < 1 || id > UINT32_MAX || store_history(s->store, arn, (uint32_t)id - 1, false, 1, &v, &n, &more, &e))
		return NULL;
	o = n && v[0].id == id ? json_loads(v[0].details, 0, NULL) : NULL;
	store_event_list_free(v, n);
	json_object_foreach(o, k, d)
		if (json_is_string(json_object_get(d, key)))
			found = json_incref(json_object_get(d, key));
	json_decref(o);
	return found;
}

/* Each state's input and output as kept, or flagged inputTruncated /
 * outputTruncated; for `only` (a state name), that state alone, whole. */
static void state_data(struct svc *s, const char *arn, json_t *states, const struct kept *k, const char *only)
{
	const char *name;
	json_t *st;
	void *tmp;

	json_object_foreach_safe(states, tmp, name, st) {
		json_int_t in = json_integer_value(json_object_get(st, "enteredEventId"));
		json_int_t out = json_integer_value(json_object_get(st, "exitedEventId"));
		bool big_in = in > 0 && (size_t)in < k->n && (k->big[in] & 1);
		bool big_out = out > 0 && (size_t)out < k->n && (k->big[out] & 2);

		if (only && strcmp(name, only)) {
			json_object_del(states, name);
			continue;
		}
		if (big_in && only)
			json_object_set_new(st, "input", event_data(s, arn, in, "input") ?: json_null());
		else if (big_in)
			json_object_set_new(st, "inputTruncated", json_true());
		if (big_out && only)
			json_object_set_new(st, "output", event_data(s, arn, out, "output") ?: json_null());
		else if (big_out)
			json_object_set_new(st, "outputTruncated", json_true());
	}
}

/* The Fail state called `name` anywhere in a definition (names are unique
 * across a machine), or NULL. */
static json_t *find_fail(json_t *states, const char *name, int depth)
{
	const char *k;
	json_t *st, *found = NULL, *b;
	size_t i;

	if (!json_is_object(states) || depth > 64)
		return NULL;
	json_object_foreach(states, k, st) {
		if (!strcmp(k, name))
			return st;
		found = find_fail(json_object_get(json_object_get(st, "ItemProcessor"), "States"), name, depth + 1);
		if (!found)
			found = find_fail(json_object_get(json_object_get(st, "Iterator"), "States"), name, depth + 1);
		json_array_foreach(json_object_get(st, "Branches"), i, b)
			if (!found)
				found = find_fail(json_object_get(b, "States"), name, depth + 1);
		if (found)
			return found;
	}
	return NULL;
}

/* The definition an execution runs (NULL when it cannot be read). */
static json_t *exec_definition(struct svc *s, const char *arn)
{
	json_t *q = json_pack("{s:s}", "executionArn", arn), *a = NULL, *def = NULL;
	struct err e = { 0 };

	if (q && !svc_call(s, "AWSStepFunctions.DescribeStateMachineForExecution", q, &a, &e))
		def = json_loads(json_string_value(json_object_get(a, "definition")) ?: "", 0, NULL);
	json_decref(q);
	json_decref(a);
	return def;
}

/* A Fail state inside a Parallel branch or a Map iteration leaves no event
 * with its error (only the enclosing state's failure, as on AWS): its
 * Error and Cause are the definition's, when they are constants. *def is
 * read on first need and kept for the caller (who frees it). */
static void fail_details(struct svc *s, const char *arn, json_t *states, json_t **def)
{
	const char *name;
	json_t *st;

	json_object_foreach(states, name, st) {
		json_t *f;

		if (strcmp(json_string_value(json_object_get(st, "type")) ?: "", "Fail") ||
		    json_object_get(st, "error"))
			continue;
		if (!*def && !(*def = exec_definition(s, arn)))
			return;
		f = find_fail(json_object_get(*def, "States"), name, 0);
		if (json_is_string(json_object_get(f, "Error")))
			json_object_set(st, "error", json_object_get(f, "Error"));
		if (json_is_string(json_object_get(f, "Cause")))
			json_object_set(st, "cause", json_object_get(f, "Cause"));
	}
}

/* A failed iteration whose error no event carries (it failed in a Fail
 * state): the error of the Fail state it ended in, from the definition.
 * At most ITERATION_LOOKUPS of a page are looked into (each reads the
 * history once). */
#define ITERATION_LOOKUPS 100
static void iteration_errors(struct svc *s, const char *arn, const json_t *events, const char *map, json_t *arr)
{
	json_t *def = NULL;
	unsigned looked = 0;
	json_t *it;
	size_t i;

	json_array_foreach(arr, i, it) {
		json_t *states, *st;
		const char *name;
		struct err e = { 0 };

		if (strcmp(json_string_value(json_object_get(it, "status")) ?: "", "FAILED") ||
		    json_object_get(it, "error") || looked++ == ITERATION_LOOKUPS)
			continue;
		states = graph_exec_states(events, map, (long)json_integer_value(json_object_get(it, "index")), &e);
		fail_details(s, arn, json_object_get(states, "states"), &def);
		json_object_foreach(json_object_get(states, "states"), name, st)
			if (!strcmp(json_string_value(json_object_get(st, "status")) ?: "", "FAILED") &&
			    json_object_get(st, "error")) {
				json_object_set(it, "error", json_object_get(st, "error"));
				if (json_object_get(st, "cause"))
					json_object_set(it, "cause", json_object_get(st, "cause"));
				break;
			}
		json_decref(states);
	}
	json_decref(def);
}

static int act_states(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *arn = svc_str(req, "executionArn", true, 2048, e);
	const char *map = arn ? svc_str(req, "mapStateName", false, 80, e) : NULL;
	const char *only = arn ? svc_str(req, "stateName", false, 80, e) : NULL;
	json_t *it = json_object_get(req, "iteration"), *exec = NULL, *events, *out, *def = NULL;
	struct kept k;
	long iteration = -1;

	if (e->type[0])
		return -1;
	if (it) {
		if (!json_is_integer(it) || json_integer_value(it) < 0 || json_integer_value(it) > 100000000 || !map)
			return err_setn(e, "ValidationException",
					"iteration must be a whole number >= 0, given with mapStateName");
		iteration = (long)json_integer_value(it);
	} else if (map) {
		return err_setn(e, "ValidationException", "mapStateName needs an iteration");
	}
	if (!(events = load_history(s, arn, &exec, &k, e)))
		return -1;
	out = graph_exec_states(events, map, iteration, e);
	json_decref(events);
	if (!out) {
		free(k.big);
		json_decref(exec);
		if (!e->type[0])
			err_setn(e, "ServiceException", "out of memory");
		return -1;
	}
	/* The execution's own status is the store's (the history may lag a
	 * transition that is being committed). */
	if (!map)
		json_object_set(out, "status", json_object_get(exec, "status"));
	else if (json_object_get(json_object_get(out, "iteration"), "status"))
		json_object_set(out, "status", json_object_get(json_object_get(out, "iteration"), "status"));
	state_data(s, arn, json_object_get(out, "states"), &k, only);
	free(k.big);
	fail_details(s, arn, json_object_get(out, "states"), &def);
	json_decref(def);
	json_object_set_new(out, "executionArn", json_string(arn));
	json_decref(exec);
	*resp = out;
	return 0;
}

static int act_iterations(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *arn = svc_str(req, "executionArn", true, 2048, e);
	const char *map = arn ? svc_str(req, "mapStateName", true, 80, e) : NULL;
	const char *st = map ? svc_str(req, "statusFilter", false, 16, e) : NULL;
	const char *token = map ? svc_str(req, "nextToken", false, 32, e) : NULL;
	json_t *mr = json_object_get(req, "maxResults"), *exec = NULL, *events, *arr;
	size_t limit = 100, offset = 0, total = 0;
	struct kept k;
	char tok[32];

	if (e->type[0])
		return -1;
	if (mr) {
		if (!json_is_integer(mr) || json_integer_value(mr) < 0 || json_integer_value(mr) > 1000)
			return err_setn(e, "ValidationException", "maxResults must be between 0 and 1000");
		if (json_integer_value(mr))
			limit = (size_t)json_integer_value(mr);
	}
	if (st && strcmp(st, "SUCCEEDED") && strcmp(st, "FAILED") && strcmp(st, "RUNNING") && strcmp(st, "ABORTED"))
		return err_setn(e, "ValidationException",
				"statusFilter '%.16s' is not one of SUCCEEDED, FAILED, RUNNING, ABORTED", st);
	if (token) {
		char *end;
		unsigned long long t = strtoull(token, &end, 10);

		if (!*token || *end || t > 100000000)
			return err_setn(e, "InvalidToken", "Invalid Token: '%.32s'", token);
		offset = (size_t)t;
	}
	if (!(events = load_history(s, arn, &exec, &k, e)))
		return -1;
	free(k.big);
	arr = graph_map_iterations(events, map, st, offset, limit, &total, e);
	if (arr)
		iteration_errors(s, arn, events, map, arr);
	json_decref(events);
	json_decref(exec);
	if (!arr) {
		if (!e->type[0])
			err_setn(e, "ServiceException", "out of memory");
		return -1;
	}
	*resp = json_pack("{s:o, s:I}", "iterations", arr, "total", (json_int_t)total);
	if (offset + json_array_size(arr) < total && json_array_size(arr)) {
		snprintf(tok, sizeof tok, "%zu", offset + json_array_size(arr));
		json_object_set_new(*resp, "nextToken", json_string(tok));
	}
	return 0;
}


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
		if (!json_is_number(after_v) || !(json_number_value(after_v) >= -62135596800.0) ||
		    !(json_number_value(after_v) <= 253402300799.0))
			return err_setn(e, "ValidationException", "After must be a time in epoch seconds, years 1-9999");
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
	{ "Tutti.DescribeExecutionStates", act_states, SVC_READ },
	{ "Tutti.ListMapIterations", act_iterations, SVC_READ },
	{ "Tutti.NextFireTimes", act_fire_times, SVC_READ },
	{ NULL, NULL, 0 },
};
