/* svc_sfn_test — the Step Functions actions that check or run a definition
 * without keeping anything: ValidateStateMachineDefinition (tutti's
 * validator's problems as AWS's diagnostics), TestState (one state run by
 * a private engine on a wrapper machine, optionally with a mocked Task
 * result), and StartSyncExecution (an EXPRESS execution, answered when it
 * ends).
 *
 * TestState's wrapper: the state under test is the only real state, with
 * "End": true instead of its Next, without its Retry (a retrier matching
 * the error answers RETRIABLE, as AWS, instead of retrying), and every
 * state it can go to (Choice rules, Default, Catch) is a Pass stub that
 * ends the run: the stub entered is the nextState, the output is the
 * stub's input. Wait states do not wait (wait_scale 0). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asl.h"
#include "engine.h"
#include "history.h"
#include "integ_loader.h"
#include "svc_internal.h"

#define SFN_DEFINITION_MAX (1024 * 1024)
#define SFN_DATA_MAX       262144
#define DIAG_MAX           100
#define SYNC_WAIT_S        300      /* Express executions run at most 5 minutes */

/* ---- diagnostics ------------------------------------------------------------------- */

/* "$.States.A.Catch[0].Next: message" → code, "/States/A/Catch/0/Next", message. */
static void diag_split(const char *line, const char **code, char *loc, size_t locn, const char **msg)
{
	const char *colon = strstr(line, ": ");
	size_t n = colon ? (size_t)(colon - line) : 0, j = 0;

	*msg = colon ? colon + 2 : line;
	loc[0] = 0;
	if (colon && line[0] == '$') {
		for (size_t i = 1; i < n && j + 2 < locn; i++) {
			char c = line[i];

			if (c == '.' || c == '[')
				loc[j++] = '/';
			else if (c != ']' && c != '\'' && c != '"')
				loc[j++] = c;
		}
		loc[j] = 0;
	}
	if (strstr(*msg, "invalid JSON") || strstr(*msg, "not valid JSON"))
		*code = "INVALID_JSON_DESCRIPTION";
	else if (strstr(*msg, "no state named") || strstr(*msg, "not reachable"))
		*code = "MISSING_TRANSITION_TARGET";
	else if (strstr(*msg, "no terminal state"))
		*code = "MISSING_TERMINAL_STATE";
	else if (strstr(*msg, "duplicate"))
		*code = "DUPLICATE_STATE_NAME";
	else
		*code = "SCHEMA_VALIDATION_FAILED";
}

int svc_sfn_check_definition(const char *def, struct err *e)
{
	struct asl_diag d;
	char msg[ERR_MSG_MAX] = "", loc[512];
	size_t used = 0;

	asl_diag_init(&d);
	if (!asl_validate(def, strlen(def), &d)) {
		asl_diag_free(&d);
		return 0;
	}
	for (size_t i = 0; i < d.count && used + 1 < sizeof msg; i++) {
		const char *code, *m;
		int w;

		diag_split(d.lines[i], &code, loc, sizeof loc, &m);
		w = snprintf(msg + used, sizeof msg - used, "%s%s: %s%s%s", i ? ", " : "", code, m,
			     loc[0] ? " at " : "", loc);
		if (w < 0)
			break;
		used += (size_t)w < sizeof msg - used ? (size_t)w : sizeof msg - used - 1;
	}
	if (!d.count)
		snprintf(msg, sizeof msg, "SCHEMA_VALIDATION_FAILED: the definition is not valid");
	asl_diag_free(&d);
	return err_setn(e, "InvalidDefinition", "Invalid State Machine Definition: '%.1900s'", msg);
}

static int act_validate(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *def = svc_str(req, "definition", true, SFN_DEFINITION_MAX, e), *type, *sev;
	json_t *mr = json_object_get(req, "maxResults"), *arr;
	long long max = DIAG_MAX;
	struct asl_diag d;
	char loc[512];
	size_t i;

	(void)s;
	if (!def)
		return -1;
	type = svc_str(req, "type", false, 16, e);
	if (e->type[0])
		return -1;
	sev = svc_str(req, "severity", false, 16, e);
	if (e->type[0])
		return -1;
	if (!*def)
		return err_setn(e, "ValidationException", "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length greater than or equal to 1");
	if (type && strcmp(type, "STANDARD") && strcmp(type, "EXPRESS"))
		return err_setn(e, "ValidationException", "1 validation error detected: Value '%.16s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]", type);
	if (sev && strcmp(sev, "ERROR") && strcmp(sev, "WARNING"))
		return err_setn(e, "ValidationException", "1 validation error detected: Value '%.16s' at 'severity' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, WARNING]", sev);
	if (mr && (!json_is_integer(mr) || json_integer_value(mr) < 0 || json_integer_value(mr) > DIAG_MAX))
		return err_setn(e, "ValidationException", "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 0 and 100");
	if (mr && json_integer_value(mr) > 0)
		max = json_integer_value(mr);
	asl_diag_init(&d);
	asl_validate(def, strlen(def), &d);
	arr = json_array();
	for (i = 0; i < d.count && i < (size_t)max; i++) {
		const char *code, *m;
		json_t *o;

		diag_split(d.lines[i], &code, loc, sizeof loc, &m);
		o = json_pack("{s:s, s:s, s:s}", "severity", "ERROR", "code", code, "message", m);
		if (o && loc[0])
			json_object_set_new(o, "location", json_string(loc));
		json_array_append_new(arr, o);
	}
	*resp = json_pack("{s:s, s:o, s:b}", "result", d.total ? "FAIL" : "OK", "diagnostics", arr,
			  "truncated", d.total > (size_t)max || d.total > d.count);
	asl_diag_free(&d);
	return 0;
}

/* ---- TestState --------------------------------------------------------------------- */

struct mock {
	json_t *result;              /* mock.result parsed, or NULL */
	const char *error, *cause;   /* mock.errorOutput */
};

static bool mock_match(const struct asl_task *t, void *ctx)
{
	(void)t;
	(void)ctx;
	return true;
}

static int mock_start(struct task_call *c, void *ctx, struct err *e)
{
	struct mock *m = ctx;
	struct err te;

	(void)e;
	if (m->result) {
		task_call_done(c, json_incref(m->result), NULL);
	} else {
		err_setn(&te, m->error ? m->error : "States.TaskFailed", "%s", m->cause ? m->cause : "");
		task_call_done(c, NULL, &te);
	}
	return 0;
}

static const struct task_ops mock_ops = {
	.name = "mock", .match = mock_match, .start = mock_start,
};

/* AWS's error matching for a Retry's ErrorEquals. */
static bool errors_match(json_t *equals, const char *error)
{
	size_t i;
	json_t *v;

	json_array_foreach(equals, i, v) {
		const char *n = json_string_value(v);

		if (!n)
			continue;
		if (!strcmp(n, "States.ALL") || !strcmp(n, error) ||
		    (!strcmp(n, "States.TaskFailed") && strcmp(error, "States.Timeout") &&
		     strncmp(error, "States.", 7)))
			return true;
	}
	return false;
}

static bool retriable(json_t *state, const char *error)
{
	size_t i;
	json_t *r;

	json_array_foreach(json_object_get(state, "Retry"), i, r) {
		json_t *ma = json_object_get(r, "MaxAttempts");

		if (errors_match(json_object_get(r, "ErrorEquals"), error))
			return !ma || json_integer_value(ma) > 0;
	}
	return false;
}

static void add_stub(json_t *states, json_t *target, const char *self)
{
	const char *n = json_string_value(target);

	if (n && strcmp(n, self) && !json_object_get(states, n))
		json_object_set_new(states, n, json_pack("{s:s, s:b}", "Type", "Pass", "End", 1));
}

/* Every Next a Choice rule (nested in And/Or/Not too) names. */
static void choice_targets(json_t *states, json_t *rules, const char *self)
{
	size_t i;
	json_t *r;

	json_array_foreach(rules, i, r)
		add_stub(states, json_object_get(r, "Next"), self);
}

/* The wrapper machine around `state` named `name` (a new reference). */
static json_t *wrapper(json_t *state, const char *name)
{
	json_t *st = json_deep_copy(state), *states = json_object(), *c;
	const char *type = json_string_value(json_object_get(state, "Type"));
	size_t i;

	if (!st || !states) {
		json_decref(st);
		json_decref(states);
		return NULL;
	}
	json_object_del(st, "Retry");
	if (type && strcmp(type, "Choice") && strcmp(type, "Succeed") && strcmp(type, "Fail")) {
		json_object_del(st, "Next");
		json_object_set_new(st, "End", json_true());
	}
	json_object_set_new(states, name, st);
	json_array_foreach(json_object_get(state, "Catch"), i, c)
		add_stub(states, json_object_get(c, "Next"), name);
	choice_targets(states, json_object_get(state, "Choices"), name);
	add_stub(states, json_object_get(state, "Default"), name);
	return json_pack("{s:s, s:o}", "StartAt", name, "States", states);
}

static json_t *data_text(json_t *v)
{
	char *t = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	json_t *r = t ? json_string(t) : NULL;

	free(t);
	return r;
}

static int act_test_state(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *def = svc_str(req, "definition", true, SFN_DEFINITION_MAX, e), *in, *lvl, *role;
	const char *sname, *type;
	json_t *doc = NULL, *state = NULL, *wrap = NULL, *input = NULL, *mj, *out = NULL, *idata = NULL;
	struct asl_machine *m = NULL;
	struct asl_diag d;
	struct engine *eng = NULL;
	struct engine_options eo;
	struct engine_start_args a = { 0 };
	struct engine_exec *x = NULL;
	struct mock mock = { 0 };
	const struct history *h;
	char *wtext = NULL, name[ASL_NAME_MAX + 1] = "TestState";
	const char *next = NULL, *stub = NULL, *ferr = NULL, *fcause = NULL;
	json_t *params = NULL, *result = NULL;
	int rc = -1;

	asl_diag_init(&d);
	if (!def)
		return -1;
	in = svc_str(req, "input", false, SFN_DATA_MAX, e);
	if (e->type[0])
		return -1;
	lvl = svc_str(req, "inspectionLevel", false, 16, e);
	if (e->type[0])
		return -1;
	role = svc_str(req, "roleArn", false, 256, e);
	if (e->type[0])
		return -1;
	sname = svc_str(req, "stateName", false, ASL_NAME_MAX, e);
	if (e->type[0])
		return -1;
	if (role && strncmp(role, "arn:", 4))
		return err_setn(e, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: %.200s'", role);
	if (lvl && strcmp(lvl, "INFO") && strcmp(lvl, "DEBUG") && strcmp(lvl, "TRACE"))
		return err_setn(e, "ValidationException", "1 validation error detected: Value '%.16s' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]", lvl);
	if (json_object_get(req, "revealSecrets") && !json_is_boolean(json_object_get(req, "revealSecrets")))
		return err_setn(e, "ValidationException", "'revealSecrets' must be a boolean");
	doc = json_loads(def, 0, NULL);
	if (!json_is_object(doc)) {
		err_setn(e, "InvalidDefinition", "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: the definition is not a JSON object'");
		goto out;
	}
	if (json_is_object(json_object_get(doc, "States"))) {
		/* a whole machine: test one of its states (stateName, else StartAt) */
		const char *pick = sname ? sname : json_string_value(json_object_get(doc, "StartAt"));

		state = pick ? json_object_get(json_object_get(doc, "States"), pick) : NULL;
		if (!state) {
			err_setn(e, "ValidationException", "State '%.100s' is not in the definition", pick ? pick : "");
			goto out;
		}
		snprintf(name, sizeof name, "%s", pick);
	} else {
		state = doc;
		if (sname)
			snprintf(name, sizeof name, "%s", sname);
	}
	type = json_string_value(json_object_get(state, "Type"));
	next = json_string_value(json_object_get(state, "Next"));
	mj = json_object_get(req, "mock");
	if (mj && !json_is_null(mj)) {
		json_t *r = json_object_get(mj, "result"), *eo_ = json_object_get(mj, "errorOutput");

		if (!json_is_object(mj) || (!r == !eo_)) {
			err_setn(e, "ValidationException", "mock must have exactly one of 'result' and 'errorOutput'");
			goto out;
		}
		if (!type || (strcmp(type, "Task") && strcmp(type, "Map") && strcmp(type, "Parallel"))) {
			err_setn(e, "ValidationException", "A mock can only be given for a Task, Map or Parallel state, not a %.20s state",
				 type ? type : "typeless");
			goto out;
		}
		if (r) {
			mock.result = json_is_string(r) ? json_loads(json_string_value(r), JSON_DECODE_ANY, NULL) : NULL;
			if (!mock.result) {
				err_setn(e, "ValidationException", "mock.result must be a string holding JSON");
				goto out;
			}
		} else {
			mock.error = json_string_value(json_object_get(eo_, "error"));
			mock.cause = json_string_value(json_object_get(eo_, "cause"));
			if (!json_is_object(eo_)) {
				err_setn(e, "ValidationException", "mock.errorOutput must be an object {error, cause}");
				goto out;
			}
		}
	}
	input = json_loads(in ? in : "{}", JSON_DECODE_ANY, NULL);
	if (!input) {
		err_setn(e, "InvalidExecutionInput", "Invalid State Machine Execution Input: the input is not valid JSON");
		goto out;
	}
	wrap = wrapper(state, name);
	wtext = wrap ? json_dumps(wrap, JSON_COMPACT) : NULL;
	if (!wtext) {
		err_setn(e, "ServiceException", "out of memory");
		goto out;
	}
	m = asl_compile(wtext, strlen(wtext), &d);
	if (!m) {
		if (svc_sfn_check_definition(wtext, e) == 0)
			err_setn(e, "InvalidDefinition", "Invalid State Machine Definition: '%s'",
				 d.count ? d.lines[0] : "invalid");
		goto out;
	}
	engine_options_init(&eo);
	eo.rt = s->rt;
	eo.registry = s->reg;
	eo.wait_scale = 0;
	eo.region = s->region;
	eo.account = s->account;
	eng = engine_new(&eo, e);
	if (!eng)
		goto out;
	if (s->integ_api && s->integ) {
		struct err ie;

		s->integ_api->integrations_register(s->integ, eng, &ie);
	}
	if (mj && !json_is_null(mj) && engine_register_task(eng, &mock_ops, &mock)) {
		err_setn(e, "ServiceException", "out of memory");
		goto out;
	}
	a.machine = m;
	a.input = input;
	a.machine_name = "TestState";
	a.type = ENGINE_EXPRESS;
	if (engine_run(eng, &a, &x, e)) {
		if (!strncmp(e->type, "States.", 7))
			err_setn(e, "InvalidExecutionInput", "%s: %s", e->type, e->msg);
		goto out;
	}
	/* What happened, from the history. */
	h = engine_exec_history(x);
	for (size_t i = 0; h && i < history_count(h); i++) {
		const struct history_event *ev = history_get(h, i);
		const char *tn = history_type_name(ev->type);
		size_t tl = strlen(tn);

		if (tl > 12 && !strcmp(tn + tl - 12, "StateEntered") && ev->name && strcmp(ev->name, name))
			stub = ev->name;
		if ((!strcmp(tn, "TaskScheduled") || !strcmp(tn, "LambdaFunctionScheduled")) && ev->data)
			params = ev->data;
		if ((!strcmp(tn, "TaskSucceeded") || !strcmp(tn, "LambdaFunctionSucceeded")) && ev->data)
			result = ev->data;
		if (strncmp(tn, "Execution", 9) && tl > 8 &&
		    (!strcmp(tn + tl - 6, "Failed") || !strcmp(tn + tl - 8, "TimedOut")) && !ferr) {
			ferr = json_string_value(ev->data);
			fcause = json_string_value(ev->data2);
		}
	}
	out = json_object();
	switch (engine_exec_status(x)) {
	case ENGINE_SUCCEEDED: {
		json_t *o = engine_exec_output(x);

		if (stub && ferr && retriable(state, ferr)) {
			json_object_set_new(out, "status", json_string("RETRIABLE"));
		} else if (stub && ferr) {
			json_object_set_new(out, "status", json_string("CAUGHT_ERROR"));
			json_object_set_new(out, "nextState", json_string(stub));
			json_object_set_new(out, "output", data_text(o));
		} else {
			json_object_set_new(out, "status", json_string("SUCCEEDED"));
			json_object_set_new(out, "output", data_text(o));
			if (stub || next)
				json_object_set_new(out, "nextState", json_string(stub ? stub : next));
		}
		if (ferr) {
			json_object_set_new(out, "error", json_string(ferr));
			json_object_set_new(out, "cause", json_string(fcause ? fcause : ""));
		}
		break;
	}
	default: {
		const char *er = engine_exec_error(x) ? engine_exec_error(x) : "States.Runtime";

		json_object_set_new(out, "status", json_string(retriable(state, er) ? "RETRIABLE" : "FAILED"));
		json_object_set_new(out, "error", json_string(er));
		json_object_set_new(out, "cause", json_string(engine_exec_cause(x) ? engine_exec_cause(x) : ""));
		break;
	}
	}
	if (lvl && strcmp(lvl, "INFO")) {
		idata = json_object();
		json_object_set_new(idata, "input", data_text(input));
		if (params)
			json_object_set_new(idata, "afterParameters", data_text(params));
		if (result)
			json_object_set_new(idata, "result", data_text(result));
		else if (mock.result)
			json_object_set_new(idata, "result", data_text(mock.result));
		if (json_object_get(out, "output") && !json_object_get(state, "OutputPath"))
			json_object_set(idata, "afterResultPath", json_object_get(out, "output"));
		json_object_set_new(out, "inspectionData", idata);
	}
	*resp = out;
	out = NULL;
	rc = 0;
out:
	if (x)
		engine_exec_release(x);
	engine_free(eng);
	asl_machine_free(m);
	asl_diag_free(&d);
	json_decref(mock.result);
	json_decref(out);
	json_decref(doc);
	json_decref(wrap);
	json_decref(input);
	free(wtext);
	return rc;
}

/* ---- StartSyncExecution ------------------------------------------------------------- */

struct sync_wait {
	pthread_mutex_t m;
	pthread_cond_t cv;
	int refs;
	bool done;
	enum store_status status;
	char *output, *error, *cause;
	int64_t stop_us;
};

static void sync_unref(struct sync_wait *w)
{
	bool last;

	pthread_mutex_lock(&w->m);
	last = --w->refs == 0;
	pthread_mutex_unlock(&w->m);
	if (!last)
		return;
	pthread_mutex_destroy(&w->m);
	pthread_cond_destroy(&w->cv);
	free(w->output);
	free(w->error);
	free(w->cause);
	free(w);
}

static void sync_done(void *arg, const struct store_exec *x)
{
	struct sync_wait *w = arg;

	pthread_mutex_lock(&w->m);
	w->status = x->status;
	w->output = x->output ? strdup(x->output) : NULL;
	w->error = x->error ? strdup(x->error) : NULL;
	w->cause = x->cause ? strdup(x->cause) : NULL;
	w->stop_us = x->stop_us;
	w->done = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->m);
	sync_unref(w);
}

static int act_start_sync(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct svc_start a = { 0 };
	struct svc_sfn_target t;
	struct sync_wait *w = NULL;
	const char *type;
	char *arn = NULL;
	int64_t start = 0, billed;
	bool existed;
	struct timespec until;
	int rc = -1;

	a.sm_arn = svc_str(req, "stateMachineArn", true, 2048, e);
	if (!a.sm_arn || svc_sfn_check_arn(a.sm_arn, "stateMachine", e))
		return -1;
	a.name = svc_str(req, "name", false, 80, e);
	if (e->type[0])
		return -1;
	a.input = svc_str(req, "input", false, SFN_DATA_MAX, e);
	if (e->type[0]) {
		if (json_is_string(json_object_get(req, "input")))
			err_setn(e, "InvalidExecutionInput", "the input is larger than %d bytes", SFN_DATA_MAX);
		return -1;
	}
	if (svc_sfn_resolve(s, a.sm_arn, &t, e))
		return -1;
	type = json_string_value(json_object_get(t.body, "type"));
	if (!type || strcmp(type, "EXPRESS")) {
		svc_sfn_target_free(&t);
		return err_setn(e, "StateMachineTypeNotSupported", "This operation is not supported by this type of state machine: '%.300s' is a STANDARD state machine",
				a.sm_arn);
	}
	svc_sfn_target_free(&t);
	if (svc_start_execution(s, &a, &arn, &start, &existed, e))
		return -1;
	w = calloc(1, sizeof *w);
	if (!w) {
		err_setn(e, "ServiceException", "out of memory");
		goto out;
	}
	pthread_mutex_init(&w->m, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->refs = 2;
	if (svc_when_done(s, arn, sync_done, w)) {
		w->refs = 1;
		err_setn(e, "ServiceException", "out of memory");
		goto out;
	}
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += SYNC_WAIT_S;
	pthread_mutex_lock(&w->m);
	while (!w->done && pthread_cond_timedwait(&w->cv, &w->m, &until) == 0)
		;
	*resp = json_pack("{s:s, s:s, s:s, s:o, s:s, s:{s:b}}", "executionArn", arn, "stateMachineArn",
			  a.sm_arn, "name", strrchr(arn, ':') + 1, "startDate", svc_time(start), "input",
			  a.input ? a.input : "{}", "inputDetails", "included", 1);
	if (!w->done) {
		int64_t now = (int64_t)until.tv_sec * 1000000;

		json_object_set_new(*resp, "status", json_string("TIMED_OUT"));
		json_object_set_new(*resp, "error", json_string("States.Timeout"));
		json_object_set_new(*resp, "cause", json_string("The execution ran longer than 5 minutes"));
		json_object_set_new(*resp, "stopDate", svc_time(now));
		billed = now - start;
	} else {
		const char *st = w->status == STORE_SUCCEEDED ? "SUCCEEDED"
				 : w->status == STORE_TIMED_OUT ? "TIMED_OUT" : "FAILED";

		json_object_set_new(*resp, "status", json_string(st));
		json_object_set_new(*resp, "stopDate", svc_time(w->stop_us));
		if (w->output) {
			json_object_set_new(*resp, "output", json_string(w->output));
			json_object_set_new(*resp, "outputDetails", json_pack("{s:b}", "included", 1));
		}
		if (w->error)
			json_object_set_new(*resp, "error", json_string(w->error));
		if (w->cause)
			json_object_set_new(*resp, "cause", json_string(w->cause));
		billed = w->stop_us - start;
	}
	pthread_mutex_unlock(&w->m);
	/* Express billing: 100 ms steps (at least one), 64 MB */
	billed = billed < 0 ? 0 : billed / 1000;
	billed = (billed / 100 + 1) * 100;
	json_object_set_new(*resp, "billingDetails", json_pack("{s:I, s:I}", "billedMemoryUsedInMB", (json_int_t)64,
							       "billedDurationInMilliseconds", (json_int_t)billed));
	rc = 0;
out:
	if (w)
		sync_unref(w);
	free(arn);
	return rc;
}

const struct svc_action svc_sfn_test_actions[] = {
	{ "AWSStepFunctions.ValidateStateMachineDefinition", act_validate, SVC_READ },
	{ "AWSStepFunctions.TestState", act_test_state, SVC_RUN },
	{ "AWSStepFunctions.StartSyncExecution", act_start_sync, SVC_RUN },
	{ NULL, NULL, 0 },
};
