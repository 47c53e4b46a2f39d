/* exec_lambda — the built-in integrations: Lambda functions named by a Task
 * Resource (NAME, arn:...:lambda:...:function:NAME[:QUALIFIER]) and the
 * optimized integration arn:aws:states:::lambda:invoke (Parameters
 * FunctionName, Payload, Qualifier, InvocationType), both through the
 * runtime's asynchronous invoke.
 *
 * A function error reaches the state machine as error = errorType, cause =
 * errorMessage (then, if the function wrote anything, the last lines of
 * its output: add_log_tail), for both forms. lambda:invoke wraps the result in Lambda's
 * Invoke response, as Step Functions does: {"ExecutedVersion", "Payload",
 * "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode": 200}. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"
#include "rt.h"
#include "termsafe.h"

/* A failing function's last output lines follow its errorMessage in the
 * cause: at most LAMBDA_TAIL_MAX bytes of output, whole lines, control
 * bytes and bytes that are not UTF-8 escaped (\xHH), so the cause stays a
 * valid JSON string and a function cannot reach a terminal through it. */
#define LAMBDA_TAIL_MAX 1024

struct lambda_req {
	struct task_call *c;
	bool envelope;
	char version[16];
};

static bool match_function(const struct asl_task *t, void *ctx)
{
	(void)ctx;
	return t->kind == ASL_RES_FUNCTION;
}

static bool match_invoke(const struct asl_task *t, void *ctx)
{
	(void)ctx;
	return t->kind == ASL_RES_SERVICE && t->service && !strcmp(t->service, "lambda") &&
	       t->action && !strcmp(t->action, "invoke") && t->pattern != ASL_INVOKE_SYNC;
}

static json_t *envelope(json_t *payload, const char *version, const char *reqid)
{
	return json_pack("{s:s, s:o, s:{s:{s:s, s:s, s:s}, s:i}, s:{s:s}, s:i}",
			 "ExecutedVersion", version, "Payload", payload,
			 "SdkHttpMetadata", "HttpHeaders", "Content-Type", "application/json",
			 "X-Amz-Executed-Version", version, "x-amzn-RequestId", reqid,
			 "HttpStatusCode", 200, "SdkResponseMetadata", "RequestId", reqid,
			 "StatusCode", 200);
}

static void add_log_tail(struct err *e, const struct rt_result *res)
{
	char esc[LAMBDA_TAIL_MAX * 4 + 1], head[128];
	const char *p = res->log, *t = esc;
	size_t n = res->log_len, from, used = strnlen(e->msg, sizeof e->msg), room, m;
	int hl;

	while (p && n && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	if (!p || !n)
		return;
	from = n > LAMBDA_TAIL_MAX ? n - LAMBDA_TAIL_MAX : 0;
	if (from) {
		const char *nl = memchr(p + from, '\n', n - from);

		if (nl && (size_t)(nl + 1 - p) < n)
			from = (size_t)(nl + 1 - p);
	}
	m = termsafe_escape(p + from, n - from, esc, sizeof esc - 1);
	if (m > sizeof esc - 1)
		m = sizeof esc - 1;
	esc[m] = '\0';
	hl = snprintf(head, sizeof head, "\n--- log tail (RequestId: %s) ---\n", res->request_id);
	if (hl < 0 || used + (size_t)hl + 64 >= sizeof e->msg)
		return;
	room = sizeof e->msg - used - (size_t)hl - 1;
	/* Too long after the message: its last whole lines. */
	while (strlen(t) > room) {
		const char *nl = strchr(t, '\n');

		t = nl ? nl + 1 : t + strlen(t) - room;
	}
	snprintf(e->msg + used, sizeof e->msg - used, "%s%s", head, t);
	termsafe_fix_utf8(e->msg);
}

/* On the runtime's I/O thread. */
static void lambda_done(void *arg, struct rt_result *res)
{
	struct lambda_req *r = arg;
	struct task_call *c = r->c;
	json_t *v = NULL;
	struct err e;

	err_clear(&e);
	if (res->ok) {
		json_error_t je;

		v = res->payload && res->payload_len
			    ? json_loadb(res->payload, res->payload_len, JSON_DECODE_ANY, &je)
			    : json_null();
		if (!v)
			err_set(&e, ERR_RUNTIME_INVALID_RESPONSE, "the function returned invalid JSON: %s",
				je.text);
		else if (r->envelope)
			v = envelope(v, r->version, res->request_id);
		if (!v && !err_isset(&e))
			err_set(&e, ERR_STATES_RUNTIME, "out of memory");
	} else {
		e = res->err;
		add_log_tail(&e, res);
	}
	free(r);
	rt_result_free(res);
	task_call_done(c, v, v ? NULL : &e);
}

static int invoke(struct task_call *c, const char *ref, json_t *payload, bool envelope_it,
		  bool event, struct err *e)
{
	struct rt *rt = task_call_rt(c);
	struct fn_config *cfg = NULL;
	struct lambda_req *r = NULL;
	char *text = NULL;
	int rc = -1;

	if (!rt)
		return err_set(e, ERR_STATES_RUNTIME,
			       "Task state '%.100s' calls function '%.100s' but no function runtime is running",
			       task_call_state(c), ref);
	cfg = malloc(sizeof *cfg);
	r = calloc(1, sizeof *r);
	text = json_dumps(payload ? payload : json_null(), JSON_COMPACT | JSON_ENCODE_ANY);
	if (!cfg || !r || !text) {
		err_set(e, ERR_STATES_RUNTIME, "out of memory");
		goto out;
	}
	if (task_call_resolve_function(c, ref, cfg, e))
		goto out;
	if (event) {
		int x = rt_invoke_event(rt, cfg, text, strlen(text));

		if (x) {
			err_set(e, ERR_STATES_TASK_FAILED, "cannot invoke '%.100s': %s", ref, strerror(-x));
			goto out;
		}
		task_call_done(c, json_pack("{s:i, s:s}", "StatusCode", 202, "Payload", ""), NULL);
		rc = 0;
		goto out;
	}
	r->c = c;
	r->envelope = envelope_it;
	snprintf(r->version, sizeof r->version, "%s",
		 strcmp(cfg->version, "local") && cfg->version[0] ? cfg->version : "$LATEST");
	rc = rt_invoke_async(rt, cfg, text, strlen(text), lambda_done, r);
	if (rc) {
		err_set(e, ERR_STATES_TASK_FAILED, "cannot invoke '%.100s': %s", ref, strerror(-rc));
		rc = -1;
		goto out;
	}
	r = NULL;   /* lambda_done owns it */
out:
	free(r);
	free(cfg);
	free(text);
	return rc;
}

static int start_function(struct task_call *c, void *ctx, struct err *e)
{
	const struct asl_task *t = task_call_task(c);
	char ref[256];

	(void)ctx;
	if (t->qualifier)
		snprintf(ref, sizeof ref, "%s:%s", t->function, t->qualifier);
	else
		snprintf(ref, sizeof ref, "%s", t->function);
	return invoke(c, ref, task_call_input(c), false, false, e);
}

/* FunctionName: NAME[:QUAL], ACCOUNT:function:NAME[:QUAL] or a full ARN. */
static int function_ref(const char *fn, const char *qualifier, char *out, size_t n,
			struct err *e)
{
	const char *p = strstr(fn, ":function:");
	const char *name = p ? p + 10 : fn;
	size_t len = strcspn(name, ":");

	if (!len || len > FN_NAME_MAX)
		return err_set(e, ERR_STATES_RUNTIME, "invalid FunctionName '%.200s'", fn);
	if (qualifier)
		snprintf(out, n, "%.*s:%s", (int)len, name, qualifier);
	else
		snprintf(out, n, "%s", name);
	return 0;
}

static int start_invoke(struct task_call *c, void *ctx, struct err *e)
{
	json_t *params = task_call_input(c);
	const char *fn = json_string_value(json_object_get(params, "FunctionName"));
	const char *qual = json_string_value(json_object_get(params, "Qualifier"));
	const char *type = json_string_value(json_object_get(params, "InvocationType"));
	json_t *payload = json_object_get(params, "Payload");
	char ref[256];
	json_t *empty = NULL;
	int rc;

	(void)ctx;
	if (!json_is_object(params) || !fn)
		return err_set(e, ERR_STATES_RUNTIME,
			       "lambda:invoke needs Parameters.FunctionName (a string)");
	if (function_ref(fn, qual, ref, sizeof ref, e))
		return -1;
	if (type && !strcmp(type, "DryRun")) {
		task_call_done(c, json_pack("{s:i}", "StatusCode", 204), NULL);
		return 0;
	}
	if (!payload)
		payload = empty = json_object();
	rc = invoke(c, ref, payload, true, type && !strcmp(type, "Event"), e);
	json_decref(empty);
	return rc;
}

static const struct task_ops function_ops = {
	.name = "lambda",
	.lambda_events = true,
	.match = match_function,
	.start = start_function,
};

static const struct task_ops invoke_ops = {
	.name = "lambda",
	.lambda_events = false,
	.match = match_invoke,
	.start = start_invoke,
};

void task_register_builtin(struct engine *eng)
{
	engine_register_task(eng, &function_ops, NULL);
	engine_register_task(eng, &invoke_ops, NULL);
}
