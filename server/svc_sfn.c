/* svc_sfn — the Step Functions actions (AWSStepFunctions.*), shaped as the
 * awsJson1_0 API shapes them, and nested executions
 * (arn:aws:states:::states:startExecution, plain, .sync, .sync:2 and
 * .waitForTaskToken).
 *
 * A state machine is a store resource of kind "state-machine" whose body
 * is DescribeStateMachine's output (definition as text, timestamps as
 * microseconds internally: "creationUs"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "utf8.h"
#include "asl.h"
#include "engine.h"
#include "log.h"
#include "svc_internal.h"

#define SFN_DEFINITION_MAX (1024 * 1024)
#define SFN_NAME_MAX       80


static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static unsigned max_results(json_t *req, struct err *e)
{
	json_t *v = json_object_get(req, "maxResults");

	if (!v)
		return 100;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000) {
		err_setn(e, "ValidationException", "maxResults must be between 0 and 1000");
		return 0;
	}
	return json_integer_value(v) ? (unsigned)json_integer_value(v) : 100;
}

/* ---- state machines ---------------------------------------------------------------- */

static int get_sm(struct svc *s, const char *arn, struct store_res *r, json_t **body,
		  struct err *e)
{
	memset(r, 0, sizeof *r);
	*body = NULL;
	if (!arn)
		return -1;
	if (svc_sfn_check_arn(arn, "stateMachine", e))
		return -1;
	if (store_res_get(s->store, arn, r, NULL) ||
	    (strcmp(r->kind, "state-machine") && strcmp(r->kind, "state-machine-version"))) {
		store_res_free(r);
		return err_setn(e, "StateMachineDoesNotExist", "State Machine Does Not Exist: '%.300s'",
				arn);
	}
	*body = json_loads(r->body, 0, NULL);
	if (!*body) {
		store_res_free(r);
		return err_setn(e, "ServiceException", "the stored state machine is damaged");
	}
	return 0;
}

/* AWS's name rule for state machines and executions: 1-80 characters, no
 * white space, brackets, wildcards, special or control characters. */
static bool sfn_name_ok(const char *n)
{
	size_t len = 0;

	for (const unsigned char *p = (const unsigned char *)n; *p; p++) {
		if (*p <= 0x20 || *p == 0x7f || strchr("<>{}[]?*\"#%\\^|~`$&,;:/", *p))
			return false;
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)   /* U+0080-009F */
			return false;
		len += (*p & 0xC0) != 0x80;
	}
	return len >= 1 && len <= SFN_NAME_MAX;
}

static bool is_bool_or_absent(json_t *req, const char *k)
{
	json_t *v = json_object_get(req, k);

	return !v || json_is_null(v) || json_is_boolean(v);
}

/* loggingConfiguration / tracingConfiguration: objects, kept as given
 * (tutti writes no CloudWatch logs and no X-Ray traces). */
static int config_member(json_t *req, const char *key, const char *err_type, struct err *e)
{
	json_t *v = json_object_get(req, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return err_setn(e, err_type, "'%s' must be an object", key);
	if (!strcmp(key, "loggingConfiguration")) {
		json_t *l = json_object_get(v, "level"), *d = json_object_get(v, "destinations");
		const char *lv = json_string_value(l);

		if (l && (!lv || (strcmp(lv, "ALL") && strcmp(lv, "ERROR") && strcmp(lv, "FATAL") &&
				  strcmp(lv, "OFF"))))
			return err_setn(e, "ValidationException", "1 validation error detected: Value at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]");
		if (d && (!json_is_array(d) || json_array_size(d) > 1))
			return err_setn(e, err_type, "loggingConfiguration.destinations must hold at most one log group");
		if (lv && strcmp(lv, "OFF") && json_array_size(d) == 0)
			return err_setn(e, err_type, "Invalid Logging Configuration: Must specify exactly one Log Destination.");
	} else {
		json_t *en = json_object_get(v, "enabled");

		if (en && !json_is_boolean(en))
			return err_setn(e, "ValidationException", "tracingConfiguration.enabled must be a boolean");
	}
	return 0;
}

static void set_configs(json_t *body, json_t *req)
{
	json_t *l = json_object_get(req, "loggingConfiguration");
	json_t *t = json_object_get(req, "tracingConfiguration");

	if (json_is_object(l)) {
		json_t *c = json_deep_copy(l);

		if (!json_object_get(c, "level"))
			json_object_set_new(c, "level", json_string("OFF"));
		if (!json_object_get(c, "includeExecutionData"))
			json_object_set_new(c, "includeExecutionData", json_false());
		json_object_set_new(body, "loggingConfiguration", c);
	}
	if (json_is_object(t))
		json_object_set_new(body, "tracingConfiguration",
				    json_pack("{s:b}", "enabled", json_is_true(json_object_get(t, "enabled"))));
}

static json_t *sm_public(json_t *body)
{
	json_t *o = json_deep_copy(body);
	json_int_t c = json_integer_value(json_object_get(body, "creationUs"));
	static const char *const internal[] = { "creationUs", "updateUs", "tags", "publishedRevision",
						"publishedVersionArn", "version", NULL };

	for (size_t i = 0; internal[i]; i++)
		json_object_del(o, internal[i]);
	if (json_object_get(o, "stateMachineVersionArn")) {
		/* a version: its own ARN, the state machine's name */
		json_object_set(o, "stateMachineArn", json_object_get(o, "stateMachineVersionArn"));
		json_object_del(o, "stateMachineVersionArn");
	}
	if (!json_object_get(o, "loggingConfiguration"))
		json_object_set_new(o, "loggingConfiguration",
				    json_pack("{s:s, s:b}", "level", "OFF", "includeExecutionData", 0));
	if (!json_object_get(o, "tracingConfiguration"))
		json_object_set_new(o, "tracingConfiguration", json_pack("{s:b}", "enabled", 0));
	json_object_set_new(o, "creationDate", svc_time(c));
	return o;
}

static int act_create_sm(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *name = svc_str(req, "name", true, SFN_NAME_MAX, e), *def, *role, *type, *vdesc;
	struct store_res r = { 0 }, old = { 0 };
	json_t *body = NULL;
	char *arn = NULL, *res = NULL, *varn = NULL, rev[37];
	bool publish;
	int64_t vcreated = 0;
	int64_t now = now_us();
	int rc = -1;

	if (!name)
		return -1;
	def = svc_str(req, "definition", true, SFN_DEFINITION_MAX, e);
	if (!def)
		return -1;
	role = svc_str(req, "roleArn", false, 256, e);
	if (!role && e->type[0])
		return -1;
	type = svc_str(req, "type", false, 16, e);
	if (!type && e->type[0])
		return -1;
	if (!type)
		type = "STANDARD";
	if (strcmp(type, "STANDARD") && strcmp(type, "EXPRESS"))
		return err_setn(e, "ValidationException", "1 validation error detected: Value '%.16s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]", type);
	vdesc = svc_str(req, "versionDescription", false, 256, e);
	if (e->type[0])
		return -1;
	if (!is_bool_or_absent(req, "publish"))
		return err_setn(e, "ValidationException", "'publish' must be a boolean");
	publish = json_is_true(json_object_get(req, "publish"));
	if (vdesc && !publish)
		return err_setn(e, "ValidationException", "Version description can only be set when publish is true");
	if (!sfn_name_ok(name))
		return err_setn(e, "InvalidName", "Invalid Name: '%.100s'", name);
	if (role && strncmp(role, "arn:", 4))
		return err_setn(e, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: %.200s'", role);
	if (json_object_get(req, "tags") && (svc_sfn_check_tags(json_object_get(req, "tags"), e)))
		return -1;
	if (config_member(req, "loggingConfiguration", "InvalidLoggingConfiguration", e) ||
	    config_member(req, "tracingConfiguration", "InvalidTracingConfiguration", e) ||
	    svc_sfn_check_definition(def, e))
		return -1;
	svc_sfn_uuid(rev);
	if (asprintf(&res, "stateMachine:%s", name) < 0 || !(arn = svc_arn(s, "states", res)))
		goto oom;
	if (!role)
		role = "arn:aws:iam::000000000000:role/StatesExecutionRole";
	body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "stateMachineArn", arn, "name",
			 name, "status", "ACTIVE", "definition", def, "roleArn", role, "type", type,
			 "creationUs", (json_int_t)now);
	if (!body)
		goto oom;
	json_object_set_new(body, "revisionId", json_string(rev));
	set_configs(body, req);
	if (json_array_size(json_object_get(req, "tags")) &&
	    svc_sfn_merge_tags(body, json_object_get(req, "tags"), arn, e))
		goto out;
	r.kind = "state-machine";
	r.arn = arn;
	r.name = (char *)name;
	r.parent = "";
	r.body = json_dumps(body, JSON_COMPACT);
	if (!r.body)
		goto oom;
	if (store_res_create(s->store, &r, e)) {
		json_t *ob;

		/* the same definition again is not an error (AWS: idempotent) */
		if (strcmp(e->type, "ResourceConflictException") ||
		    store_res_get(s->store, arn, &old, NULL))
			goto out;
		ob = json_loads(old.body, 0, NULL);
		if (ob && !strcmp(json_string_value(json_object_get(ob, "definition")) ?: "", def) &&
		    !strcmp(json_string_value(json_object_get(ob, "type")) ?: "", type)) {
			*resp = json_pack("{s:s, s:o}", "stateMachineArn", arn, "creationDate",
					  svc_time(json_integer_value(json_object_get(ob, "creationUs"))));
			if (publish && json_is_string(json_object_get(ob, "publishedVersionArn")))
				json_object_set(*resp, "stateMachineVersionArn",
						json_object_get(ob, "publishedVersionArn"));
			json_decref(ob);
			err_clear(e);
			rc = 0;
			goto out;
		}
		json_decref(ob);
		err_setn(e, "StateMachineAlreadyExists", "State Machine Already Exists: '%s'", arn);
		goto out;
	}
	if (publish && svc_sfn_publish(s, arn, vdesc, NULL, &varn, &vcreated, e))
		goto out;
	*resp = json_pack("{s:s, s:o}", "stateMachineArn", arn, "creationDate", svc_time(now));
	if (varn)
		json_object_set_new(*resp, "stateMachineVersionArn", json_string(varn));
	rc = 0;
	goto out;
oom:
	err_setn(e, "ServiceException", "out of memory");
out:
	free((char *)(r.kind == NULL ? NULL : r.body));
	free(varn);
	store_res_free(&old);
	json_decref(body);
	free(arn);
	free(res);
	return rc;
}

static int act_describe_sm(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_res r;
	json_t *body;

	if (get_sm(s, svc_str(req, "stateMachineArn", true, 2048, e), &r, &body, e))
		return -1;
	*resp = sm_public(body);
	json_decref(body);
	store_res_free(&r);
	return 0;
}

static int act_list_sm(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *token = svc_str(req, "nextToken", false, STORE_TOKEN_MAX, e);
	unsigned limit = max_results(req, e);
	struct store_res *v = NULL;
	size_t n = 0, i;
	char *next = NULL;
	json_t *arr;

	if (e->type[0])
		return -1;
	if (store_res_list(s->store, "state-machine", NULL, token, limit, &v, &n, &next, e))
		return -1;
	arr = json_array();
	for (i = 0; i < n; i++) {
		json_t *b = json_loads(v[i].body, 0, NULL);

		if (b)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:o}", "stateMachineArn",
							     v[i].arn, "name", v[i].name, "type",
							     json_string_value(json_object_get(b, "type")) ?: "STANDARD",
							     "creationDate", svc_time(v[i].created_us)));
		json_decref(b);
	}
	*resp = json_pack("{s:o}", "stateMachines", arr);
	if (next)
		json_object_set_new(*resp, "nextToken", json_string(next));
	free(next);
	store_res_list_free(v, n);
	return 0;
}

static int act_update_sm(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_res r;
	json_t *body;
	const char *def = svc_str(req, "definition", false, SFN_DEFINITION_MAX, e), *role, *vdesc;
	char *text = NULL, *varn = NULL, rev[37];
	int64_t now = now_us(), vcreated = 0;
	bool publish, changed = false;
	int rc = -1;

	if (e->type[0])
		return -1;
	role = svc_str(req, "roleArn", false, 256, e);
	if (e->type[0])
		return -1;
	vdesc = svc_str(req, "versionDescription", false, 256, e);
	if (e->type[0])
		return -1;
	if (!is_bool_or_absent(req, "publish"))
		return err_setn(e, "ValidationException", "'publish' must be a boolean");
	publish = json_is_true(json_object_get(req, "publish"));
	if (vdesc && !publish)
		return err_setn(e, "ValidationException", "Version description can only be set when publish is true");
	if (!def && !role && !json_object_get(req, "loggingConfiguration") &&
	    !json_object_get(req, "tracingConfiguration") && !publish)
		return err_setn(e, "MissingRequiredParameter", "Either the definition, the roleArn, the loggingConfiguration or the tracingConfiguration must be given");
	if (role && strncmp(role, "arn:", 4))
		return err_setn(e, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: %.200s'", role);
	if (config_member(req, "loggingConfiguration", "InvalidLoggingConfiguration", e) ||
	    config_member(req, "tracingConfiguration", "InvalidTracingConfiguration", e))
		return -1;
	if (def && svc_sfn_check_definition(def, e))
		return -1;
	if (get_sm(s, svc_str(req, "stateMachineArn", true, 2048, e), &r, &body, e))
		return -1;
	if (strcmp(r.kind, "state-machine")) {
		err_setn(e, "ValidationException", "Cannot update a state machine version: '%.300s'", r.arn);
		goto out;
	}
	if (def && strcmp(def, json_string_value(json_object_get(body, "definition")) ?: ""))
		changed = true;
	if (role && strcmp(role, json_string_value(json_object_get(body, "roleArn")) ?: ""))
		changed = true;
	if (def)
		json_object_set_new(body, "definition", json_string(def));
	if (role)
		json_object_set_new(body, "roleArn", json_string(role));
	if (json_object_get(req, "loggingConfiguration") || json_object_get(req, "tracingConfiguration")) {
		set_configs(body, req);
		changed = true;
	}
	if (changed) {
		svc_sfn_uuid(rev);
		json_object_set_new(body, "revisionId", json_string(rev));
	}
	json_object_set_new(body, "updateUs", json_integer(now));
	text = json_dumps(body, JSON_COMPACT);
	if (!text || store_res_update(s->store, r.arn, text, r.revision, e)) {
		if (!strcmp(e->type, "StoreConflict"))
			err_setn(e, "ConflictException", "the state machine was changed at the same time: try again");
		goto out;
	}
	if (publish && svc_sfn_publish(s, r.arn, vdesc, NULL, &varn, &vcreated, e))
		goto out;
	*resp = json_pack("{s:o}", "updateDate", svc_time(now));
	if (json_is_string(json_object_get(body, "revisionId")))
		json_object_set(*resp, "revisionId", json_object_get(body, "revisionId"));
	if (varn)
		json_object_set_new(*resp, "stateMachineVersionArn", json_string(varn));
	rc = 0;
out:
	free(varn);
	free(text);
	json_decref(body);
	store_res_free(&r);
	return rc;
}

static int act_delete_sm(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *arn = svc_str(req, "stateMachineArn", true, 2048, e);
	struct err ig;

	(void)resp;
	if (!arn)
		return -1;
	if (svc_sfn_check_arn(arn, "stateMachine", e))
		return -1;
	if (strchr(strstr(arn, ":stateMachine:") ? strstr(arn, ":stateMachine:") + 14 : arn, ':'))
		return err_setn(e, "ValidationException", "Use DeleteStateMachineVersion or DeleteStateMachineAlias for a qualified ARN: '%.300s'", arn);
	svc_sfn_delete_children(s, arn);
	store_res_delete(s->store, arn, &ig);   /* deleting a missing one succeeds, as AWS */
	return 0;
}

/* ---- executions ---------------------------------------------------------------------- */

static int act_start(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct svc_start a = { 0 };
	char *arn = NULL;
	int64_t start = 0;
	bool existed;

	a.sm_arn = svc_str(req, "stateMachineArn", true, 2048, e);
	if (!a.sm_arn || svc_sfn_check_arn(a.sm_arn, "stateMachine", e))
		return -1;
	if (json_is_string(json_object_get(req, "name")) && !sfn_name_ok(json_string_value(json_object_get(req, "name"))))
		return err_setn(e, "InvalidName", "Invalid Name: '%.100s'", json_string_value(json_object_get(req, "name")));
	a.name = svc_str(req, "name", false, SFN_NAME_MAX, e);
	if (e->type[0])
		return -1;
	a.input = svc_str(req, "input", false, 262144, e);
	if (e->type[0]) {
		if (!strcmp(e->type, "ValidationException") && json_is_string(json_object_get(req, "input")))
			err_setn(e, "InvalidExecutionInput", "the input is larger than 262144 bytes");
		return -1;
	}
	if (svc_start_execution(s, &a, &arn, &start, &existed, e))
		return -1;
	*resp = json_pack("{s:s, s:o}", "executionArn", arn, "startDate", svc_time(start));
	free(arn);
	return 0;
}

static json_t *exec_json(const struct store_exec *x, bool data)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o}", "executionArn", x->arn,
			      "stateMachineArn", x->sm_arn, "name", x->name, "status",
			      store_status_name(x->status), "startDate", svc_time(x->start_us));

	if (!o)
		return NULL;
	if (x->stop_us)
		json_object_set_new(o, "stopDate", svc_time(x->stop_us));
	if (x->sm_qualified) {
		const char *q = strrchr(x->sm_qualified, ':');
		bool version = q && q[1] && strspn(q + 1, "0123456789") == strlen(q + 1);

		json_object_set_new(o, version ? "stateMachineVersionArn" : "stateMachineAliasArn",
				    json_string(x->sm_qualified));
		if (!version && x->trace) {
			json_t *tr = json_loads(x->trace, 0, NULL);

			if (json_is_string(json_object_get(tr, "stateMachineVersionArn")))
				json_object_set(o, "stateMachineVersionArn", json_object_get(tr, "stateMachineVersionArn"));
			json_decref(tr);
		}
	}
	if (x->redrive_count) {
		json_object_set_new(o, "redriveCount", json_integer(x->redrive_count));
		json_object_set_new(o, "redriveDate", svc_time(x->redrive_us));
	}
	if (data) {
		bool redrivable = (x->status == STORE_FAILED || x->status == STORE_TIMED_OUT ||
				   x->status == STORE_ABORTED) && strcmp(x->type ? x->type : "", "EXPRESS");

		json_object_set_new(o, "redriveStatus", json_string(redrivable ? "REDRIVABLE" : "NOT_REDRIVABLE"));
		if (!redrivable) {
			char why[96];

			snprintf(why, sizeof why, "Execution is %s and cannot be redriven", store_status_name(x->status));
			json_object_set_new(o, "redriveStatusReason", json_string(why));
		}
		json_object_set_new(o, "input", json_string(x->input ? x->input : "{}"));
		json_object_set_new(o, "inputDetails", json_pack("{s:b}", "included", 1));
		if (x->output) {
			json_object_set_new(o, "output", json_string(x->output));
			json_object_set_new(o, "outputDetails", json_pack("{s:b}", "included", 1));
		}
		if (x->error)
			json_object_set_new(o, "error", utf8_json_string(x->error));
		if (x->cause)
			json_object_set_new(o, "cause", utf8_json_string(x->cause));
		if (x->parent)
			json_object_set_new(o, "tuttiParentExecutionArn", json_string(x->parent));
	}
	return o;
}

static int get_exec(struct svc *s, json_t *req, struct store_exec *x, struct err *e)
{
	const char *arn = svc_str(req, "executionArn", true, 2048, e);

	memset(x, 0, sizeof *x);
	if (!arn)
		return -1;
	if (svc_sfn_check_arn(arn, "execution|express", e))
		return -1;
	if (store_exec_get(s->store, arn, x, NULL))
		return err_setn(e, "ExecutionDoesNotExist", "Execution Does Not Exist: '%.300s'", arn);
	return 0;
}

static int act_describe_exec(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_exec x;

	if (get_exec(s, req, &x, e))
		return -1;
	*resp = exec_json(&x, true);
	store_exec_free(&x);
	return 0;
}

static int act_describe_sm_for_exec(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_exec x;
	json_t *tr, *r;
	struct store_res sm;
	json_t *body;

	if (get_exec(s, req, &x, e))
		return -1;
	if (get_sm(s, x.sm_arn, &sm, &body, e)) {
		store_exec_free(&x);
		return -1;
	}
	r = sm_public(body);
	tr = x.trace ? json_loads(x.trace, 0, NULL) : NULL;
	if (json_object_get(tr, "definition"))
		json_object_set(r, "definition", json_object_get(tr, "definition"));
	json_object_del(r, "status");
	json_object_del(r, "type");
	json_object_del(r, "creationDate");
	json_object_set_new(r, "updateDate", svc_time(sm.updated_us));
	*resp = r;
	json_decref(tr);
	json_decref(body);
	store_res_free(&sm);
	store_exec_free(&x);
	return 0;
}

#define PREVIEW_MAX 200

/* outputPreview: the first PREVIEW_MAX bytes of the output, cut at a
 * UTF-8 boundary; and the error of a failed execution. */
static void preview(json_t *o, const struct store_exec *x)
{
	if (x->output) {
		size_t n = strlen(x->output);

		if (n > PREVIEW_MAX) {
			n = PREVIEW_MAX;
			while (n && ((unsigned char)x->output[n] & 0xC0) == 0x80)
				n--;
		}
		json_object_set_new(o, "outputPreview", json_stringn(x->output, n));
	}
	if (x->error)
		json_object_set_new(o, "error", utf8_json_string(x->error));
}

static int counts(struct svc *s, const char *sm_arn, json_t *resp, struct err *e)
{
	static const enum store_status all[] = { STORE_RUNNING, STORE_SUCCEEDED, STORE_FAILED, STORE_TIMED_OUT,
						  STORE_ABORTED, STORE_PENDING_REDRIVE };
	json_t *c = json_object();
	size_t i;

	json_object_set_new(resp, "counts", c);
	for (i = 0; i < sizeof all / sizeof *all; i++) {
		uint64_t k = 0;

		if (store_exec_count(s->store, sm_arn, all[i], &k, e))
			return -1;
		json_object_set_new(c, store_status_name(all[i]), json_integer((json_int_t)k));
	}
	return 0;
}

/* ListExecutions; tutti: Tutti.ListExecutions, which also takes
 * nameContains and answers each execution's error and the start of its
 * output (outputPreview), and the counts by status of the machine (or of
 * all executions) — what the console's list shows in one call. */
static int list_exec(struct svc *s, json_t *req, json_t **resp, bool tutti, struct err *e)
{
	struct store_exec_query q = { 0 };
	const char *st, *qualified = NULL;
	char *base = NULL;
	struct store_exec *v = NULL;
	size_t n = 0, i;
	char *next = NULL;
	json_t *arr;

	q.sm_arn = svc_str(req, "stateMachineArn", false, 2048, e);
	st = svc_str(req, "statusFilter", false, 32, e);
	q.token = svc_str(req, "nextToken", false, STORE_TOKEN_MAX, e);
	q.limit = max_results(req, e);
	if (tutti)
		q.name_contains = svc_str(req, "nameContains", false, 80, e);
	if (e->type[0])
		return -1;
	if (st) {
		if (store_status_parse(st, &q.status))
			return err_setn(e, "ValidationException", "statusFilter '%.40s' is not one of RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE", st);
		q.has_status = true;
	}
	if (q.sm_arn) {
		struct store_res r;
		json_t *b;

		if (get_sm(s, q.sm_arn, &r, &b, e)) {
			/* an alias ARN is not a state machine resource */
			struct svc_sfn_target t;
			struct err e2;

			if (strcmp(e->type, "StateMachineDoesNotExist") || svc_sfn_resolve(s, q.sm_arn, &t, &e2))
				return -1;
			svc_sfn_target_free(&t);
			err_clear(e);
			qualified = q.sm_arn;
		} else {
			if (strcmp(r.kind, "state-machine"))
				qualified = q.sm_arn;
			json_decref(b);
			store_res_free(&r);
		}
		if (qualified) {
			base = strndup(qualified, (size_t)(strrchr(qualified, ':') - qualified));
			if (!base)
				return err_setn(e, "ServiceException", "out of memory");
			q.sm_arn = base;
		}
	}
	if (store_exec_list(s->store, &q, &v, &n, &next, e)) {
		free(base);
		return -1;
	}
	arr = json_array();
	for (i = 0; i < n; i++) {
		json_t *o;

		if (qualified) {
			o = exec_json(&v[i], false);
			if (strcmp(json_string_value(json_object_get(o, "stateMachineAliasArn")) ?: "", qualified) &&
			    strcmp(json_string_value(json_object_get(o, "stateMachineVersionArn")) ?: "", qualified)) {
				json_decref(o);
				continue;
			}
			if (tutti)
				preview(o, &v[i]);
			json_array_append_new(arr, o);
			continue;
		}
		o = exec_json(&v[i], false);
		if (tutti && o)
			preview(o, &v[i]);
		json_array_append_new(arr, o);
	}
	free(base);
	*resp = json_pack("{s:o}", "executions", arr);
	if (next)
		json_object_set_new(*resp, "nextToken", json_string(next));
	free(next);
	store_exec_list_free(v, n);
	if (tutti && counts(s, q.sm_arn, *resp, e)) {
		json_decref(*resp);
		*resp = NULL;
		return -1;
	}
	return 0;
}

static int act_list_exec(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	return list_exec(s, req, resp, false, e);
}

static int act_tutti_list_exec(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	return list_exec(s, req, resp, true, e);
}

static int act_stop(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_exec x;
	const char *error = svc_str(req, "error", false, 256, e), *cause;
	int64_t stop = now_us();

	if (e->type[0])
		return -1;
	cause = svc_str(req, "cause", false, 32768, e);
	if (e->type[0] || get_exec(s, req, &x, e))
		return -1;
	if (x.status == STORE_RUNNING) {
		if (engine_abort_arn(s->eng, x.arn, error, cause)) {
			store_exec_free(&x);
			return err_setn(e, "ServiceException", "out of memory");
		}
	} else if (x.stop_us) {
		stop = x.stop_us;
	}
	store_exec_free(&x);
	*resp = json_pack("{s:o}", "stopDate", svc_time(stop));
	return 0;
}

json_t *svc_event_json(const struct store_event *v)
{
	json_t *o = json_loads(v->details, 0, NULL);

	if (!o)
		o = json_pack("{s:s}", "type", v->type);
	if (!o || json_object_set_new(o, "timestamp", svc_time(v->ts_us)) ||
	    json_object_set_new(o, "id", json_integer(v->id)) ||
	    json_object_set_new(o, "previousEventId", json_integer(v->prev))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int act_history(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_exec x;
	const char *token = svc_str(req, "nextToken", false, 64, e);
	bool reverse = json_is_true(json_object_get(req, "reverseOrder"));
	bool data = !json_is_false(json_object_get(req, "includeExecutionData"));
	unsigned limit = max_results(req, e);
	struct store_event *v = NULL;
	size_t n = 0, i;
	uint32_t from = 0;
	bool more = false;
	json_t *arr;
	char tok[32];

	if (e->type[0] || get_exec(s, req, &x, e))
		return -1;
	if (token) {
		char *end;
		unsigned long t = strtoul(token, &end, 10);

		if (*end || !*token || t > UINT32_MAX) {
			store_exec_free(&x);
			return err_setn(e, "InvalidToken", "Invalid Token: '%.64s'", token);
		}
		from = (uint32_t)t;
	}
	if (store_history(s->store, x.arn, from, reverse, limit, &v, &n, &more, e)) {
		store_exec_free(&x);
		return -1;
	}
	arr = json_array();
	for (i = 0; i < n; i++) {
		json_t *o = svc_event_json(&v[i]);

		if (!o)
			continue;
		if (!data) {
			const char *k;
			json_t *d;

			/* the variables' values are execution data too (the
			 * service model marks them sensitive, as input and output) */
			json_object_foreach(o, k, d)
				if (json_is_object(d)) {
					json_object_del(d, "input");
					json_object_del(d, "output");
					json_object_del(d, "assignedVariables");
				}
		}
		json_array_append_new(arr, o);
	}
	*resp = json_pack("{s:o}", "events", arr);
	if (more && n) {
		snprintf(tok, sizeof tok, "%u", v[n - 1].id);
		json_object_set_new(*resp, "nextToken", json_string(tok));
	}
	store_event_list_free(v, n);
	store_exec_free(&x);
	return 0;
}

static int act_redrive(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_exec x;
	struct store_frame_row *rows = NULL;
	size_t nrows = 0, i;
	json_t *row = NULL, *again = NULL, *evb = NULL;
	struct history_event ev = { .type = HIST_EXECUTION_REDRIVEN, .num2 = -1 };
	struct store_event sev = { 0 };
	struct store_frame fr[2] = { { 0 } };
	struct store_txn t = { 0 };
	char *text = NULL;
	int64_t now = now_us();
	uint32_t last = 0;
	int rc = -1;

	if (get_exec(s, req, &x, e))
		return -1;
	if (x.status != STORE_FAILED && x.status != STORE_TIMED_OUT && x.status != STORE_ABORTED) {
		err_setn(e, "ExecutionNotRedrivable", "Execution is %s: only FAILED, TIMED_OUT or ABORTED executions can be redriven",
			 store_status_name(x.status));
		goto out;
	}
	if (!strcmp(x.type ? x.type : "", "EXPRESS")) {
		err_setn(e, "ExecutionNotRedrivable", "Express executions cannot be redriven");
		goto out;
	}
	if (store_exec_frames(s->store, x.arn, &rows, &nrows, &last, e))
		goto out;
	for (i = 0; i < nrows && !row; i++)
		if (!strcmp(rows[i].path, "r"))
			row = json_loads(rows[i].body, 0, NULL);
	ev.id = last + 1;
	ev.prev = last;
	ev.ts_us = now;
	ev.num = (int32_t)x.redrive_count + 1;
	again = engine_redrive_row(row, ev.id);
	if (!again) {
		err_setn(e, "ExecutionNotRedrivable", "The execution has no state to redrive from");
		goto out;
	}
	evb = history_event_body(&ev);
	sev.id = ev.id;
	sev.prev = ev.prev;
	sev.ts_us = now;
	sev.type = "ExecutionRedriven";
	sev.details = evb ? json_dumps(evb, JSON_COMPACT) : NULL;
	text = json_dumps(again, JSON_COMPACT);
	if (!sev.details || !text) {
		err_setn(e, "ServiceException", "out of memory");
		goto out;
	}
	fr[0].op = STORE_FRAME_DELETE_ALL;
	fr[1].op = STORE_FRAME_PUT;
	fr[1].path = "r";
	fr[1].body = text;
	t.exec_arn = x.arn;
	t.version = x.version;
	t.events = &sev;
	t.nevents = 1;
	t.frames = fr;
	t.nframes = 2;
	if (store_exec_reopen(s->store, x.arn, &t, e))
		goto out;
	{
		struct store_exec y;
		struct store_frame_row r = { .path = "r", .body = text };

		if (store_exec_get(s->store, x.arn, &y, e))
			goto out;
		rc = svc_resume(s, &y, ev.id, &r, 1, e);
		store_exec_free(&y);
		if (rc)
			goto out;
	}
	*resp = json_pack("{s:o}", "redriveDate", svc_time(now));
	rc = 0;
out:
	free(sev.details);
	free(text);
	json_decref(evb);
	json_decref(again);
	json_decref(row);
	store_frame_rows_free(rows, nrows);
	store_exec_free(&x);
	return rc;
}

/* ---- task tokens -------------------------------------------------------------------------- */

static int act_task_success(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *tok = svc_str(req, "taskToken", true, 1024, e), *out;
	json_t *v;
	int rc;

	(void)resp;
	if (!tok)
		return -1;
	out = svc_str(req, "output", true, 262144, e);
	if (!out)
		return -1;
	v = json_loads(out, JSON_DECODE_ANY, NULL);
	if (!v)
		return err_setn(e, "InvalidOutput", "Invalid Output: the output is not valid JSON");
	rc = engine_task_success(s->eng, tok, v, e);
	json_decref(v);
	return rc;
}

static int act_task_failure(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *tok = svc_str(req, "taskToken", true, 1024, e), *error, *cause;

	(void)resp;
	if (!tok)
		return -1;
	error = svc_str(req, "error", false, 256, e);
	cause = svc_str(req, "cause", false, 32768, e);
	if (e->type[0])
		return -1;
	return engine_task_failure(s->eng, tok, error, cause, e);
}

static int act_task_heartbeat(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *tok = svc_str(req, "taskToken", true, 1024, e);

	(void)resp;
	if (!tok)
		return -1;
	return engine_task_heartbeat(s->eng, tok, e);
}

const struct svc_action svc_sfn_actions[] = {
	/* versions, aliases, tags: svc_sfn_versions.c; ValidateStateMachineDefinition,
	 * TestState, StartSyncExecution: svc_sfn_test.c */
	{ "AWSStepFunctions.CreateStateMachine", act_create_sm, SVC_WRITE },
	{ "AWSStepFunctions.DescribeStateMachine", act_describe_sm, SVC_READ },
	{ "AWSStepFunctions.ListStateMachines", act_list_sm, SVC_READ },
	{ "AWSStepFunctions.UpdateStateMachine", act_update_sm, SVC_WRITE },
	{ "AWSStepFunctions.DeleteStateMachine", act_delete_sm, SVC_WRITE },
	{ "AWSStepFunctions.StartExecution", act_start, SVC_RUN },
	{ "AWSStepFunctions.DescribeExecution", act_describe_exec, SVC_READ },
	{ "AWSStepFunctions.DescribeStateMachineForExecution", act_describe_sm_for_exec, SVC_READ },
	{ "AWSStepFunctions.ListExecutions", act_list_exec, SVC_READ },
	{ "Tutti.ListExecutions", act_tutti_list_exec, SVC_READ },
	{ "AWSStepFunctions.StopExecution", act_stop, SVC_RUN },
	{ "AWSStepFunctions.RedriveExecution", act_redrive, SVC_RUN },
	{ "AWSStepFunctions.GetExecutionHistory", act_history, SVC_READ },
	{ "AWSStepFunctions.SendTaskSuccess", act_task_success, SVC_RUN },
	{ "AWSStepFunctions.SendTaskFailure", act_task_failure, SVC_RUN },
	{ "AWSStepFunctions.SendTaskHeartbeat", act_task_heartbeat, SVC_RUN },
	{ NULL, NULL, 0 },
};

/* Step Functions' own errors (the model's exception shapes). */
const char *svc_error_namespace(const char *target, const char *type)
{
	static const char *const model[] = {
		"ActivityAlreadyExists", "ActivityDoesNotExist", "ActivityLimitExceeded",
		"ActivityWorkerLimitExceeded", "ConflictException", "ExecutionAlreadyExists",
		"ExecutionDoesNotExist", "ExecutionLimitExceeded", "ExecutionNotRedrivable",
		"InvalidArn", "InvalidDefinition", "InvalidEncryptionConfiguration",
		"InvalidExecutionInput", "InvalidLoggingConfiguration", "InvalidName", "InvalidOutput",
		"InvalidToken", "InvalidTracingConfiguration", "MissingRequiredParameter",
		"ResourceNotFound", "ServiceQuotaExceededException", "StateMachineAlreadyExists",
		"StateMachineDeleting", "StateMachineDoesNotExist", "StateMachineLimitExceeded",
		"StateMachineTypeNotSupported", "TaskDoesNotExist", "TaskTimedOut", "TooManyTags",
		"ValidationException", NULL
	};

	if (!target || strncmp(target, "AWSStepFunctions.", 17) || !type || strchr(type, '#'))
		return NULL;
	for (size_t i = 0; model[i]; i++)
		if (!strcmp(model[i], type))
			return "com.amazonaws.swf.service.v2.model";
	return NULL;
}

/* ---- nested executions ------------------------------------------------------------------------ */

struct nested {
	struct svc *s;
	struct task_call *c;
	bool v2;                     /* .sync:2: Output as JSON */
	char *sm_arn, *input;
};

static bool nested_match(const struct asl_task *t, void *ctx)
{
	(void)ctx;
	return t->service && !strcmp(t->service, "states") && t->action &&
	       !strcmp(t->action, "startExecution");
}

static void nested_done(void *arg, const struct store_exec *xp)
{
	struct nested *n = arg;
	struct store_exec x = *xp;
	struct err e;
	json_t *r;

	x.sm_arn = n->sm_arn;
	x.input = n->input;
	r = exec_json(&x, true);
	if (n->v2 && x.output) {
		json_t *o = json_loads(x.output, JSON_DECODE_ANY, NULL);

		if (o)
			json_object_set_new(r, "output", o);
	}
	{
		/* Step Functions names the members with capitals here */
		json_t *R = json_object();
		const char *k;
		json_t *v;

		json_object_foreach(r, k, v) {
			char K[64];

			snprintf(K, sizeof K, "%s", k);
			K[0] = (char)(K[0] >= 'a' && K[0] <= 'z' ? K[0] - 32 : K[0]);
			json_object_set(R, K, v);
		}
		json_decref(r);
		r = R;
	}
	if (x.status == STORE_SUCCEEDED) {
		task_call_done(n->c, r, NULL);
	} else {
		char *cause = json_dumps(r, JSON_COMPACT);

		err_setn(&e, "States.TaskFailed", "%s", cause ? cause : "the execution failed");
		free(cause);
		json_decref(r);
		task_call_done(n->c, NULL, &e);
	}
	free(n->sm_arn);
	free(n->input);
	free(n);
}

static int nested_start(struct task_call *c, void *ctx, struct err *e)
{
	struct svc *s = ctx;
	const struct asl_task *t = task_call_task(c);
	json_t *in = task_call_input(c), *iv = json_object_get(in, "Input");
	struct svc_start a = { 0 };
	char *arn = NULL, *input = NULL;
	int64_t start = 0;
	bool existed;

	a.sm_arn = json_string_value(json_object_get(in, "StateMachineArn"));
	a.name = json_string_value(json_object_get(in, "Name"));
	a.parent = task_call_execution(c);
	if (!a.sm_arn)
		return err_setn(e, "States.Runtime", "startExecution needs a StateMachineArn");
	if (json_is_string(iv))
		a.input = json_string_value(iv);
	else if (iv)
		a.input = input = json_dumps(iv, JSON_COMPACT | JSON_ENCODE_ANY);
	if (svc_start_execution(s, &a, &arn, &start, &existed, e)) {
		char msg[ERR_MSG_MAX];

		snprintf(msg, sizeof msg, "%s: %s", e->type, e->msg);
		free(input);
		return err_setn(e, "StepFunctions.SfnException", "%s", msg);
	}
	if (t->pattern == ASL_INVOKE_SYNC) {
		struct nested *n = calloc(1, sizeof *n);
		size_t rl = strlen(t->resource);

		if (!n) {
			free(arn);
			free(input);
			return err_setn(e, "States.Runtime", "out of memory");
		}
		n->s = s;
		n->c = c;
		n->sm_arn = strdup(a.sm_arn);
		n->input = strdup(a.input ? a.input : "{}");
		n->v2 = rl > 2 && !strcmp(t->resource + rl - 2, ":2");
		svc_when_done(s, arn, nested_done, n);
	} else {
		task_call_done(c, json_pack("{s:s, s:o}", "ExecutionArn", arn, "StartDate",
					    svc_time(start)), NULL);
	}
	free(input);
	free(arn);
	return 0;
}

static const struct task_ops nested_ops = {
	.name = "states", .match = nested_match, .start = nested_start,
};

int svc_register_nested(struct svc *s, struct err *e)
{
	if (engine_register_task(s->eng, &nested_ops, s))
		return err_setn(e, "ServiceException", "out of memory");
	return 0;
}
