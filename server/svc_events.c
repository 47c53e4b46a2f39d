/* svc_events — the EventBridge rule actions (schedule rules only) and the
 * EventBridge Scheduler actions (schedules, groups), shaped as the AWS APIs
 * shape them (aws-sdk models events-2015-10-07, scheduler-2021-06-30),
 * plus Tutti.ListFires. Stored bodies: svc_events.h. Every change that
 * can move a fire ends with svc_sched_changed(). The scheduler itself is
 * svc_events_fire.c. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler.h"
#include "svc_events.h"

#define VALIDATION "ValidationException"
#define NOT_FOUND  "ResourceNotFoundException"

/* ---- request members ---------------------------------------------------------- */

/* A string member: 0 (*out borrowed, NULL when absent and optional), or -1
 * ValidationException in AWS's wording. */
static int get_str(json_t *req, const char *key, bool required, size_t min, size_t max, const char **out,
		   struct err *e)
{
	json_t *v = json_object_get(req, key);
	size_t n;

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (!required)
			return 0;
		return err_setn(e, VALIDATION,
				"1 validation error detected: Value null at '%s' failed to satisfy constraint: "
				"Member must not be null",
				key);
	}
	if (!json_is_string(v))
		return err_setn(e, VALIDATION, "'%s' must be a string", key);
	n = json_string_length(v);
	if (n < min || n > max)
		return err_setn(e, VALIDATION,
				"1 validation error detected: Value at '%s' failed to satisfy constraint: Member "
				"must have length between %zu and %zu",
				key, min, max);
	if (strlen(json_string_value(v)) != n)
		return err_setn(e, VALIDATION, "'%s' must not contain NUL characters", key);
	*out = json_string_value(v);
	return 0;
}

/* An integer member within [min, max]: 0 (*out = dflt when absent). */
static int get_int(json_t *req, const char *key, int64_t min, int64_t max, int64_t dflt, int64_t *out,
		   struct err *e)
{
	json_t *v = json_object_get(req, key);

	*out = dflt;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return err_setn(e, VALIDATION, "'%s' must be an integer", key);
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return err_setn(e, VALIDATION,
				"1 validation error detected: Value '%" JSON_INTEGER_FORMAT
				"' at '%s' failed to satisfy constraint: Member must have value between %" PRId64
				" and %" PRId64,
				json_integer_value(v), key, min, max);
	*out = json_integer_value(v);
	return 0;
}

static int get_enum(json_t *req, const char *key, const char *const *allowed, const char *dflt,
		    const char **out, struct err *e)
{
	size_t i;

	if (get_str(req, key, false, 1, 64, out, e))
		return -1;
	if (!*out) {
		*out = dflt;
		return 0;
	}
	for (i = 0; allowed[i]; i++)
		if (!strcmp(*out, allowed[i]))
			return 0;
	return err_setn(e, VALIDATION,
			"1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member "
			"must satisfy enum value set: [%s%s%s]",
			*out, key, allowed[0], allowed[1] ? ", " : "", allowed[1] ? allowed[1] : "");
}

static const char *const STATES[] = { "ENABLED", "DISABLED", NULL };
static const char *const MISSED[] = { "SKIP", "ONCE", NULL };

/* Pagination members: a limit in 1..100 (default 100) and a token. */
static int get_page(json_t *req, const char *limit_key, unsigned *limit, const char **token, struct err *e)
{
	int64_t l;

	if (get_int(req, limit_key, 1, 100, 100, &l, e) || get_str(req, "NextToken", false, 1, STORE_TOKEN_MAX, token, e))
		return -1;
	*limit = (unsigned)l;
	return 0;
}

/* ---- ARNs ---------------------------------------------------------------------- */

static bool all(const char *p, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && !strchr(set, p[i]))
			return false;
	return true;
}

/* "arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE" with each part well-formed;
 * service and resource returned (borrowed, resource to the end). */
static bool arn_split(const char *arn, char service[32], const char **resource)
{
	const char *p[6];
	size_t i, len[5];
	const char *c = arn;

	if (strncmp(arn, "arn:", 4))
		return false;
	p[0] = arn;
	for (i = 1; i < 6; i++) {
		c = strchr(c, ':');
		if (!c)
			return false;
		len[i - 1] = (size_t)(c - p[i - 1]);
		p[i] = ++c;
	}
	/* p[1] partition, p[2] service, p[3] region, p[4] account, p[5] resource */
	if (len[1] < 3 || strncmp(p[1], "aws", 3) || !all(p[1], len[1], "-"))
		return false;
	if (!len[2] || len[2] >= 32 || !all(p[2], len[2], "-"))
		return false;
	if (!all(p[3], len[3], "-") || !all(p[4], len[4], "") || !*p[5])
		return false;
	memcpy(service, p[2], len[2]);
	service[len[2]] = 0;
	*resource = p[5];
	return true;
}

enum target_kind { TK_MALFORMED = -1, TK_OTHER = 0, TK_STATE_MACHINE, TK_FUNCTION };

/* A state machine (arn:aws:states:R:A:stateMachine:NAME[:QUALIFIER]) or a
 * function (arn:aws:lambda:R:A:function:NAME[:QUALIFIER]). */
static enum target_kind target_kind(const char *arn)
{
	char svc[32];
	const char *res, *name, *q;
	size_t n;

	if (!arn_split(arn, svc, &res))
		return TK_MALFORMED;
	if (!strcmp(svc, "states") && !strncmp(res, "stateMachine:", 13))
		name = res + 13;
	else if (!strcmp(svc, "lambda") && !strncmp(res, "function:", 9))
		name = res + 9;
	else
		return TK_OTHER;
	q = strchr(name, ':');
	n = q ? (size_t)(q - name) : strlen(name);
	if (!n || n > 80 || !all(name, n, "-_."))
		return TK_MALFORMED;
	if (q && (!q[1] || strlen(q + 1) > 128 || !all(q + 1, strlen(q + 1), "-_.$")))
		return TK_MALFORMED;
	return svc[0] == 's' ? TK_STATE_MACHINE : TK_FUNCTION;
}

static int check_role(const char *role, const char *field, struct err *e)
{
	char svc[32];
	const char *res;

	if (!role)
		return 0;
	if (!arn_split(role, svc, &res) || strcmp(svc, "iam") || strncmp(res, "role/", 5) || !res[5])
		return err_setn(e, VALIDATION, "%s '%.200s' is not a valid IAM role ARN", field, role);
	return 0;
}

static int check_input(const char *input, const char *field, struct err *e)
{
	json_error_t je;
	json_t *v;

	if (!input)
		return 0;
	if (strlen(input) > EV_INPUT_MAX)
		return err_setn(e, VALIDATION, "%s is longer than %d bytes", field, EV_INPUT_MAX);
	if (!(v = json_loads(input, JSON_DECODE_ANY, &je)))
		return err_setn(e, VALIDATION, "%s is not valid JSON: %s (line %d, column %d)", field, je.text,
				je.line, je.column);
	json_decref(v);
	return 0;
}

/* RetryPolicy and DeadLetterConfig, as both APIs spell them. */
static int check_retry_dlq(json_t *t, bool sqs_only, struct err *e)
{
	json_t *rp = json_object_get(t, "RetryPolicy"), *dl = json_object_get(t, "DeadLetterConfig");
	const char *arn;
	int64_t v;
	char svc[32];
	const char *res;

	if (rp && !json_is_null(rp)) {
		if (!json_is_object(rp))
			return err_setn(e, VALIDATION, "RetryPolicy must be an object");
		if (get_int(rp, "MaximumRetryAttempts", 0, 185, 0, &v, e) ||
		    get_int(rp, "MaximumEventAgeInSeconds", 60, 86400, 60, &v, e))
			return -1;
	}
	if (dl && !json_is_null(dl)) {
		if (!json_is_object(dl))
			return err_setn(e, VALIDATION, "DeadLetterConfig must be an object");
		if (get_str(dl, "Arn", sqs_only, 1, EV_ARN_MAX, &arn, e))
			return -1;
		if (arn && (!arn_split(arn, svc, &res) || (sqs_only && strcmp(svc, "sqs")) || strchr(res, ':')))
			return err_setn(e, VALIDATION, "DeadLetterConfig.Arn '%.200s' is not a valid SQS queue ARN",
					arn);
	}
	return 0;
}

/* ---- times ----------------------------------------------------------------------- */

int64_t svc_events_now(struct svc *s);   /* svc_events_fire.c */

/* A timestamp member: epoch seconds (a number, or digits) or ISO-8601. */
static int get_time(json_t *req, const char *key, int64_t *out, struct err *e)
{
	json_t *v = json_object_get(req, key);
	const char *str;
	char *end;
	struct err pe;

	*out = SCHED_NONE;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_number(v)) {
		double d = json_number_value(v);
		if (d < 0 || d > 7258118400.0)   /* 2200-01-01 */
			return err_setn(e, VALIDATION, "%s is out of range", key);
		*out = (int64_t)d;
		return 0;
	}
	if (!json_is_string(v) || json_string_length(v) > 64)
		return err_setn(e, VALIDATION, "%s must be a timestamp", key);
	str = json_string_value(v);
	if (*str && isdigit((unsigned char)*str) && !strchr(str, '-')) {
		errno = 0;
		double d = strtod(str, &end);
		if (errno || *end || d < 0 || d > 7258118400.0)
			return err_setn(e, VALIDATION, "%s '%s' is not a timestamp", key, str);
		*out = (int64_t)d;
		return 0;
	}
	err_clear(&pe);
	if (sched_parse_time(str, NULL, out, &pe))
		return err_setn(e, VALIDATION, "%s: %s", key, pe.msg);
	return 0;
}

/* ---- stored rows --------------------------------------------------------------------- */

static json_t *load_body(const struct store_res *r, struct err *e)
{
	json_t *b = json_loads(r->body ? r->body : "", 0, NULL);

	if (!json_is_object(b)) {
		json_decref(b);
		err_setn(e, "InternalException", "the stored body of %s is not a JSON object", r->arn);
		return NULL;
	}
	return b;
}

/* A copy of body without its internal "tutti:*" members (deep: targets). */
static json_t *public_copy(json_t *v)
{
	const char *k;
	json_t *x, *out;
	size_t i;

	if (json_is_object(v)) {
		out = json_object();
		json_object_foreach(v, k, x)
			if (strncmp(k, "tutti:", 6))
				json_object_set_new(out, k, public_copy(x));
		return out;
	}
	if (json_is_array(v)) {
		out = json_array();
		json_array_foreach(v, i, x)
			json_array_append_new(out, public_copy(x));
		return out;
	}
	return json_incref(v);
}

static int res_put(struct svc *s, const char *kind, const char *arn, const char *name, const char *parent,
		   json_t *body, bool create, struct err *e)
{
	char *text = json_dumps(body, JSON_COMPACT);
	struct store_res r = { 0 };
	int rc;

	if (!text)
		return err_setn(e, "InternalException", "out of memory");
	if (create) {
		r.kind = (char *)kind;
		r.arn = (char *)arn;
		r.name = (char *)name;
		r.parent = (char *)(parent ? parent : "");
		r.body = text;
		rc = store_res_create(s->store, &r, e);
	} else {
		rc = store_res_update(s->store, arn, text, 0, e);
	}
	free(text);
	return rc;
}

/* Walk the rows of a kind (and parent), NamePrefix filtered, until limit
 * items: fn turns a row into an item (a new reference) or NULL to pass. */
typedef json_t *(*row_fn)(struct svc *s, const struct store_res *r, json_t *body, void *arg);

static int list_rows(struct svc *s, const char *kind, const char *parent, const char *token, unsigned limit,
		     const char *prefix, row_fn fn, void *arg, json_t *items, char **next, struct err *e)
{
	struct store_res *v = NULL;
	size_t n = 0, i, plen = prefix ? strlen(prefix) : 0;
	char *tok = token ? strdup(token) : NULL, *nx = NULL;
	int rc = -1;
	bool end = false;

	*next = NULL;
	if (token && !tok)
		return err_setn(e, "InternalException", "out of memory");
	while (!end && json_array_size(items) < limit) {
		if (store_res_list(s->store, kind, parent, tok, limit - (unsigned)json_array_size(items), &v, &n,
				   &nx, e)) {
			if (!strcmp(e->type, "InvalidParameterValueException"))
				err_setn(e, VALIDATION, "Invalid NextToken: %s", e->msg);
			goto out;
		}
		for (i = 0; i < n && !end; i++) {
			json_t *b, *item;

			if (prefix && strncmp(v[i].name, prefix, plen)) {
				/* ordered by name: past the prefix, nothing more matches */
				end = strcmp(v[i].name, prefix) > 0;
				continue;
			}
			if (!(b = load_body(&v[i], e)))
				goto out;
			item = fn(s, &v[i], b, arg);
			json_decref(b);
			if (item)
				json_array_append_new(items, item);
		}
		store_res_list_free(v, n);
		v = NULL;
		n = 0;
		free(tok);
		tok = nx;
		nx = NULL;
		if (!tok)
			end = true;
	}
	if (!end && tok) {
		*next = tok;
		tok = NULL;
	}
	rc = 0;
out:
	store_res_list_free(v, n);
	free(tok);
	free(nx);
	return rc;
}

/* ---- EventBridge rules ------------------------------------------------------------ */

static int check_bus(struct svc *s, json_t *req, const char *key, struct err *e)
{
	const char *bus;
	char *arn;
	bool ok;

	if (get_str(req, key, false, 1, 1600, &bus, e))
		return -1;
	if (!bus || !strcmp(bus, "default"))
		return 0;
	arn = svc_arn(s, "events", "event-bus/default");
	ok = arn && !strcmp(arn, bus);
	free(arn);
	if (!ok)
		return err_setn(e, NOT_FOUND, "Event bus %.200s does not exist.", bus);
	return 0;
}

static char *rule_arn(struct svc *s, const char *name)
{
	char res[EV_NAME_MAX + 8];

	snprintf(res, sizeof res, "rule/%s", name);
	return svc_arn(s, "events", res);
}

/* The rule named by member `key` (Name or Rule): its ARN and body. */
static int rule_get(struct svc *s, json_t *req, const char *key, char **arn, json_t **body, struct err *e)
{
	const char *name;
	struct store_res r = { 0 };
	struct err ge;

	*arn = NULL;
	*body = NULL;
	if (get_str(req, key, true, 1, EV_NAME_MAX, &name, e) || svc_check_name(name, key, EV_NAME_MAX, e) ||
	    check_bus(s, req, "EventBusName", e))
		return -1;
	if (!(*arn = rule_arn(s, name)))
		return err_setn(e, "InternalException", "out of memory");
	err_clear(&ge);
	if (store_res_get(s->store, *arn, &r, &ge)) {
		if (strcmp(ge.type, NOT_FOUND))
			*e = ge;
		else
			err_setn(e, NOT_FOUND, "Rule %s does not exist on EventBus default.", name);
		goto fail;
	}
	*body = load_body(&r, e);
	store_res_free(&r);
	if (*body)
		return 0;
fail:
	free(*arn);
	*arn = NULL;
	return -1;
}

static int rule_save(struct svc *s, const char *arn, json_t *body, struct err *e)
{
	if (res_put(s, "rule", arn, NULL, NULL, body, false, e))
		return -1;
	svc_sched_changed(s);
	return 0;
}

static int put_rule(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *name, *expr, *state, *desc, *role, *missed;
	struct sched_expr *x = NULL;
	struct store_res r = { 0 };
	json_t *body = NULL, *old = NULL, *ot;
	char *arn = NULL;
	struct err ge;
	int64_t now = svc_events_now(s);
	int rc = -1;

	if (get_str(req, "Name", true, 1, EV_NAME_MAX, &name, e) || svc_check_name(name, "Name", EV_NAME_MAX, e) ||
	    check_bus(s, req, "EventBusName", e) ||
	    get_str(req, "ScheduleExpression", false, 1, SCHED_EXPR_MAX, &expr, e) ||
	    get_enum(req, "State", STATES, "ENABLED", &state, e) ||
	    get_str(req, "Description", false, 0, EV_DESC_MAX, &desc, e) ||
	    get_str(req, "RoleArn", false, 1, EV_ARN_MAX, &role, e) || check_role(role, "RoleArn", e) ||
	    get_enum(req, "MissedFires", MISSED, "SKIP", &missed, e))
		goto out;
	if (!expr) {
		if (json_object_get(req, "EventPattern"))
			err_setn(e, VALIDATION,
				 "tutti serves schedule rules only: rule %s has an EventPattern and no "
				 "ScheduleExpression (event patterns are not supported)",
				 name);
		else
			err_setn(e, VALIDATION, "Parameter(s) EventPattern or ScheduleExpression must be specified.");
		goto out;
	}
	if (json_object_get(req, "EventPattern")) {
		err_setn(e, VALIDATION, "tutti serves schedule rules only: EventPattern is not supported");
		goto out;
	}
	if (!(x = sched_parse(expr, NULL, e))) {
		snprintf(e->type, sizeof e->type, "%s", VALIDATION);
		goto out;
	}
	if (sched_kind(x) == SCHED_AT) {
		err_setn(e, VALIDATION, "Parameter ScheduleExpression is not valid: rules take cron() or rate(), "
					"at() is for Scheduler schedules");
		goto out;
	}
	if (!(arn = rule_arn(s, name)))
		goto oom;
	err_clear(&ge);
	if (!store_res_get(s->store, arn, &r, &ge)) {
		if (!(old = load_body(&r, e)))
			goto out;
	} else if (strcmp(ge.type, NOT_FOUND)) {
		*e = ge;
		goto out;
	}
	body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "Name", name, "Arn", arn, "EventBusName", "default",
			 "ScheduleExpression", expr, "State", state, "MissedFires", missed);
	if (!body)
		goto oom;
	if (desc)
		json_object_set_new(body, "Description", json_string(desc));
	if (role)
		json_object_set_new(body, "RoleArn", json_string(role));
	ot = old ? json_object_get(old, "Targets") : NULL;
	json_object_set_new(body, "Targets", json_is_array(ot) ? json_incref(ot) : json_array());
	json_object_set_new(body, "tutti:created",
			    old && json_object_get(old, "tutti:created") ? json_incref(json_object_get(old, "tutti:created"))
									 : json_integer(now));
	/* Re-armed when the expression changes or the rule is (re-)enabled. */
	if (old && !strcmp(json_string_value(json_object_get(old, "ScheduleExpression")) ?: "", expr) &&
	    !strcmp(json_string_value(json_object_get(old, "State")) ?: "", state) &&
	    json_object_get(old, "tutti:since"))
		json_object_set(body, "tutti:since", json_object_get(old, "tutti:since"));
	else
		json_object_set_new(body, "tutti:since", json_integer(now));
	if (res_put(s, "rule", arn, name, NULL, body, !old, e))
		goto out;
	svc_sched_changed(s);
	*resp = json_pack("{s:s}", "RuleArn", arn);
	rc = 0;
	goto out;
oom:
	err_setn(e, "InternalException", "out of memory");
out:
	sched_free(x);
	store_res_free(&r);
	json_decref(body);
	json_decref(old);
	free(arn);
	return rc;
}

/* The DescribeRule / ListRules shape of a stored rule. */
static json_t *rule_shape(struct svc *s, json_t *body, bool describe)
{
	static const char *const keys[] = { "Name", "Arn", "ScheduleExpression", "State", "Description",
					    "RoleArn", "EventBusName", NULL };
	json_t *o = json_object();
	size_t i;

	for (i = 0; keys[i]; i++)
		if (json_object_get(body, keys[i]))
			json_object_set(o, keys[i], json_object_get(body, keys[i]));
	if (describe)
		json_object_set_new(o, "CreatedBy", json_string(s->account));
	if (json_object_get(body, "MissedFires"))
		json_object_set(o, "MissedFires", json_object_get(body, "MissedFires"));
	return o;
}

static int describe_rule(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	char *arn;
	json_t *body;

	if (rule_get(s, req, "Name", &arn, &body, e))
		return -1;
	*resp = rule_shape(s, body, true);
	json_decref(body);
	free(arn);
	return 0;
}

static json_t *rule_row(struct svc *s, const struct store_res *r, json_t *body, void *arg)
{
	(void)r, (void)arg;
	return rule_shape(s, body, false);
}

static int list_rules(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *prefix, *token;
	unsigned limit;
	json_t *items;
	char *next = NULL;

	if (get_str(req, "NamePrefix", false, 1, EV_NAME_MAX, &prefix, e) || check_bus(s, req, "EventBusName", e) ||
	    get_page(req, "Limit", &limit, &token, e))
		return -1;
	items = json_array();
	if (list_rows(s, "rule", NULL, token, limit, prefix, rule_row, NULL, items, &next, e)) {
		json_decref(items);
		return -1;
	}
	*resp = json_pack("{s:o}", "Rules", items);
	if (next)
		json_object_set_new(*resp, "NextToken", json_string(next));
	free(next);
	return 0;
}

/* ListRuleNamesByTarget: the rules with a target of that ARN, by name. */
static json_t *rule_name_if_target(struct svc *s, const struct store_res *r, json_t *body, void *arg)
{
	json_t *t;
	size_t i;

	(void)s, (void)r;
	json_array_foreach(json_object_get(body, "Targets"), i, t)
		if (!strcmp(json_string_value(json_object_get(t, "Arn")) ?: "", arg))
			return json_incref(json_object_get(body, "Name"));
	return NULL;
}

static int list_rule_names_by_target(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *target, *token;
	unsigned limit;
	json_t *items;
	char *next = NULL;

	if (get_str(req, "TargetArn", true, 1, 1600, &target, e) || check_bus(s, req, "EventBusName", e) ||
	    get_page(req, "Limit", &limit, &token, e))
		return -1;
	items = json_array();
	if (list_rows(s, "rule", NULL, token, limit, NULL, rule_name_if_target, (void *)target, items, &next, e)) {
		json_decref(items);
		return -1;
	}
	*resp = json_pack("{s:o}", "RuleNames", items);
	if (next)
		json_object_set_new(*resp, "NextToken", json_string(next));
	free(next);
	return 0;
}

static int delete_rule(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	char *arn;
	json_t *body;
	int rc = -1;

	if (rule_get(s, req, "Name", &arn, &body, e)) {
		/* DeleteRule of a rule that does not exist succeeds, as on AWS. */
		if (strcmp(e->type, NOT_FOUND) || strncmp(e->msg, "Rule ", 5))
			return -1;
		err_clear(e);
		*resp = json_object();
		return 0;
	}
	if (json_array_size(json_object_get(body, "Targets"))) {
		err_setn(e, VALIDATION, "Rule can't be deleted since it has targets.");
		goto out;
	}
	if (store_res_delete(s->store, arn, e))
		goto out;
	svc_sched_changed(s);
	*resp = json_object();
	rc = 0;
out:
	json_decref(body);
	free(arn);
	return rc;
}

static int set_rule_state(struct svc *s, json_t *req, json_t **resp, const char *state, struct err *e)
{
	char *arn;
	json_t *body;
	int rc = -1;

	if (rule_get(s, req, "Name", &arn, &body, e))
		return -1;
	if (strcmp(json_string_value(json_object_get(body, "State")) ?: "", state)) {
		json_object_set_new(body, "State", json_string(state));
		json_object_set_new(body, "tutti:since", json_integer(svc_events_now(s)));
		if (rule_save(s, arn, body, e))
			goto out;
	}
	*resp = json_object();
	rc = 0;
out:
	json_decref(body);
	free(arn);
	return rc;
}

static int enable_rule(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	return set_rule_state(s, req, resp, "ENABLED", e);
}

static int disable_rule(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	return set_rule_state(s, req, resp, "DISABLED", e);
}

static json_t *failed_entry(const char *id, const char *code, const char *msg)
{
	return json_pack("{s:s, s:s, s:s}", "TargetId", id, "ErrorCode", code, "ErrorMessage", msg);
}

/* One PutTargets entry: checked whole (ValidationException fails the
 * request, as AWS does for malformed entries). */
static int check_rule_target(json_t *t, size_t i, const char **id, enum target_kind *kind, struct err *e)
{
	static const char *const unsupported[] = { "InputPath", "InputTransformer", "KinesisParameters",
						   "RunCommandParameters", "EcsParameters", "BatchParameters",
						   "SqsParameters", "HttpParameters", "RedshiftDataParameters",
						   "SageMakerPipelineParameters", "AppSyncParameters", NULL };
	const char *arn, *input, *role;
	size_t k;
	char field[48];

	if (!json_is_object(t))
		return err_setn(e, VALIDATION, "Targets[%zu] must be an object", i);
	if (get_str(t, "Id", true, 1, EV_NAME_MAX, id, e) || svc_check_name(*id, "Id", EV_NAME_MAX, e) ||
	    get_str(t, "Arn", true, 1, EV_ARN_MAX, &arn, e) || get_str(t, "Input", false, 0, EV_INPUT_MAX, &input, e) ||
	    get_str(t, "RoleArn", false, 1, EV_ARN_MAX, &role, e) || check_role(role, "RoleArn", e) ||
	    check_retry_dlq(t, true, e))
		return -1;
	for (k = 0; unsupported[k]; k++)
		if (json_object_get(t, unsupported[k]))
			return err_setn(e, VALIDATION, "Target %s: %s is not supported by tutti", *id, unsupported[k]);
	snprintf(field, sizeof field, "Input of target %s", *id);
	if (check_input(input, field, e))
		return -1;
	if ((*kind = target_kind(arn)) == TK_MALFORMED)
		return err_setn(e, VALIDATION, "Parameter %.200s is not valid for target %s: not a valid ARN", arn, *id);
	return 0;
}

static int put_targets(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	char *arn = NULL;
	json_t *body = NULL, *in, *targets, *failed = NULL, *t, *cur = NULL;
	enum target_kind kind;
	const char *id;
	size_t i, j;
	int64_t now = svc_events_now(s);
	int rc = -1;

	in = json_object_get(req, "Targets");
	if (!json_is_array(in) || !json_array_size(in) || json_array_size(in) > EV_PUT_TARGETS_MAX)
		return err_setn(e, VALIDATION, "Targets must be a list of 1 to %d targets", EV_PUT_TARGETS_MAX);
	json_array_foreach(in, i, t)
		if (check_rule_target(t, i, &id, &kind, e))
			return -1;
	if (rule_get(s, req, "Rule", &arn, &body, e))
		return -1;
	targets = json_object_get(body, "Targets");
	if (!json_is_array(targets)) {
		targets = json_array();
		json_object_set_new(body, "Targets", targets);
	}
	failed = json_array();
	json_array_foreach(in, i, t) {
		json_t *copy;

		check_rule_target(t, i, &id, &kind, e);
		if (kind == TK_OTHER) {
			json_array_append_new(failed, failed_entry(id, VALIDATION,
								   "tutti delivers to state machines "
								   "(arn:aws:states:...:stateMachine:NAME) and functions "
								   "(arn:aws:lambda:...:function:NAME) only"));
			continue;
		}
		copy = json_deep_copy(t);
		json_array_foreach(targets, j, cur)
			if (!strcmp(json_string_value(json_object_get(cur, "Id")) ?: "", id))
				break;
		json_object_set_new(copy, "tutti:since", j < json_array_size(targets) &&
								   json_object_get(cur, "tutti:since")
							   ? json_incref(json_object_get(cur, "tutti:since"))
							   : json_integer(now));
		if (j < json_array_size(targets))
			json_array_set_new(targets, j, copy);
		else
			json_array_append_new(targets, copy);
	}
	if (json_array_size(targets) > EV_TARGETS_MAX) {
		err_setn(e, "LimitExceededException",
			 "The requested resource exceeds the maximum number allowed: a rule has at most %d targets.",
			 EV_TARGETS_MAX);
		goto out;
	}
	if (json_array_size(failed) < json_array_size(in) && rule_save(s, arn, body, e))
		goto out;
	*resp = json_pack("{s:I, s:O}", "FailedEntryCount", (json_int_t)json_array_size(failed), "FailedEntries",
			  failed);
	rc = 0;
out:
	json_decref(failed);
	json_decref(body);
	free(arn);
	return rc;
}

static int list_targets(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	char *arn, *end;
	json_t *body, *targets, *out;
	const char *token;
	unsigned limit;
	size_t from = 0, i;

	if (get_page(req, "Limit", &limit, &token, e))
		return -1;
	if (token) {
		errno = 0;
		unsigned long v = strtoul(token, &end, 10);
		if (errno || *end || !isdigit((unsigned char)*token) || v > EV_TARGETS_MAX)
			return err_setn(e, VALIDATION, "Invalid NextToken");
		from = v;
	}
	if (rule_get(s, req, "Rule", &arn, &body, e))
		return -1;
	targets = json_object_get(body, "Targets");
	out = json_array();
	for (i = from; i < json_array_size(targets) && json_array_size(out) < limit; i++)
		json_array_append_new(out, public_copy(json_array_get(targets, i)));
	*resp = json_pack("{s:o}", "Targets", out);
	if (i < json_array_size(targets)) {
		char tok[24];
		snprintf(tok, sizeof tok, "%zu", i);
		json_object_set_new(*resp, "NextToken", json_string(tok));
	}
	json_decref(body);
	free(arn);
	return 0;
}

static int remove_targets(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	char *arn;
	json_t *body, *ids, *targets, *v;
	size_t i, j;
	bool changed = false;
	int rc = -1;

	ids = json_object_get(req, "Ids");
	if (!json_is_array(ids) || !json_array_size(ids) || json_array_size(ids) > EV_PUT_TARGETS_MAX)
		return err_setn(e, VALIDATION, "Ids must be a list of 1 to %d target ids", EV_PUT_TARGETS_MAX);
	json_array_foreach(ids, i, v)
		if (!json_is_string(v) || svc_check_name(json_string_value(v), "Ids", EV_NAME_MAX, e))
			return json_is_string(v) ? -1 : err_setn(e, VALIDATION, "Ids must be strings");
	if (rule_get(s, req, "Rule", &arn, &body, e))
		return -1;
	targets = json_object_get(body, "Targets");
	json_array_foreach(ids, i, v)
		for (j = 0; j < json_array_size(targets); j++)
			if (!strcmp(json_string_value(json_object_get(json_array_get(targets, j), "Id")) ?: "",
				    json_string_value(v))) {
				json_array_remove(targets, j);
				changed = true;
				break;
			}
	if (changed && rule_save(s, arn, body, e))
		goto out;
	*resp = json_pack("{s:i, s:[]}", "FailedEntryCount", 0, "FailedEntries");
	rc = 0;
out:
	json_decref(body);
	free(arn);
	return rc;
}

/* ---- Scheduler: groups -------------------------------------------------------------- */

static char *group_arn(struct svc *s, const char *group)
{
	char res[EV_NAME_MAX + 24];

	snprintf(res, sizeof res, "schedule-group/%s", group);
	return svc_arn(s, "scheduler", res);
}

static char *schedule_arn(struct svc *s, const char *group, const char *name)
{
	char res[2 * EV_NAME_MAX + 24];

	snprintf(res, sizeof res, "schedule/%s/%s", group, name);
	return svc_arn(s, "scheduler", res);
}

static int group_create(struct svc *s, const char *name, json_t *tags, struct err *e)
{
	char *arn = group_arn(s, name);
	json_t *body = json_pack("{s:s, s:s, s:s}", "Name", name, "Arn", arn ?: "", "State", "ACTIVE");
	int rc;

	if (tags)
		json_object_set(body, "tutti:tags", tags);
	rc = arn && body ? res_put(s, "schedule-group", arn, name, NULL, body, true, e)
			 : err_setn(e, "InternalServerException", "out of memory");
	json_decref(body);
	free(arn);
	return rc;
}

/* The "default" group always exists: made on first need where the mode
 * can write. 0 when it exists (or was made), -1 otherwise. */
static int group_exists(struct svc *s, const char *name, struct store_res *out, struct err *e)
{
	char *arn = group_arn(s, name);
	struct err ge;
	int rc;

	err_clear(&ge);
	if (!arn)
		return err_setn(e, "InternalServerException", "out of memory");
	rc = store_res_get(s->store, arn, out, &ge);
	if (rc && !strcmp(ge.type, NOT_FOUND) && !strcmp(name, "default") && s->o.mode != SVC_READER) {
		err_clear(&ge);
		if (group_create(s, name, NULL, &ge) && strcmp(ge.type, "ResourceConflictException"))
			rc = -1;
		else
			rc = store_res_get(s->store, arn, out, &ge);
	}
	if (rc) {
		if (!strcmp(ge.type, NOT_FOUND))
			err_setn(e, NOT_FOUND, "Schedule group %s does not exist.", name);
		else
			*e = ge;
	}
	free(arn);
	return rc;
}

static int get_group_name(json_t *req, const char *key, bool required, const char **out, struct err *e)
{
	if (get_str(req, key, required, 1, EV_NAME_MAX, out, e))
		return -1;
	if (!*out)
		*out = "default";
	return svc_check_name(*out, key, EV_NAME_MAX, e);
}

static json_t *group_shape(const struct store_res *r, json_t *body)
{
	return json_pack("{s:O, s:O, s:O, s:o, s:o}", "Arn", json_object_get(body, "Arn"), "Name",
			 json_object_get(body, "Name"), "State", json_object_get(body, "State"), "CreationDate",
			 svc_time(r->created_us), "LastModificationDate", svc_time(r->updated_us));
}

static int create_group(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *name;
	json_t *tags = json_object_get(req, "Tags");
	char *arn;

	if (get_str(req, "Name", true, 1, EV_NAME_MAX, &name, e) || svc_check_name(name, "Name", EV_NAME_MAX, e))
		return -1;
	if (tags && (!json_is_array(tags) || json_array_size(tags) > 200))
		return err_setn(e, VALIDATION, "Tags must be a list of at most 200 tags");
	if (group_create(s, name, tags, e)) {
		if (!strcmp(e->type, "ResourceConflictException"))
			err_setn(e, "ConflictException", "Schedule group %s already exists.", name);
		return -1;
	}
	arn = group_arn(s, name);
	*resp = json_pack("{s:s}", "ScheduleGroupArn", arn ?: "");
	free(arn);
	return 0;
}

static int get_group(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *name;
	struct store_res r = { 0 };
	json_t *body;

	if (get_group_name(req, "Name", true, &name, e) || group_exists(s, name, &r, e))
		return -1;
	body = load_body(&r, e);
	if (body)
		*resp = group_shape(&r, body);
	json_decref(body);
	store_res_free(&r);
	return body ? 0 : -1;
}

static json_t *group_row(struct svc *s, const struct store_res *r, json_t *body, void *arg)
{
	(void)s, (void)arg;
	return group_shape(r, body);
}

static int list_groups(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *prefix, *token;
	unsigned limit;
	json_t *items;
	char *next = NULL;
	struct store_res r = { 0 };
	struct err ge;

	if (get_str(req, "NamePrefix", false, 1, EV_NAME_MAX, &prefix, e) || get_page(req, "MaxResults", &limit, &token, e))
		return -1;
	if (s->o.mode != SVC_READER && !group_exists(s, "default", &r, &ge))
		store_res_free(&r);
	items = json_array();
	if (list_rows(s, "schedule-group", NULL, token, limit, prefix, group_row, NULL, items, &next, e)) {
		json_decref(items);
		return -1;
	}
	*resp = json_pack("{s:o}", "ScheduleGroups", items);
	if (next)
		json_object_set_new(*resp, "NextToken", json_string(next));
	free(next);
	return 0;
}

static int delete_group(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *name;
	char *arn = NULL, *tok = NULL, *nx = NULL;
	struct store_res *v = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (get_group_name(req, "Name", true, &name, e))
		return -1;
	if (!strcmp(name, "default"))
		return err_setn(e, VALIDATION, "You cannot delete the default group.");
	if (!(arn = group_arn(s, name)))
		return err_setn(e, "InternalServerException", "out of memory");
	/* Its schedules first, then the group: a crash between leaves the
	 * group (and fewer schedules); the call can be repeated. */
	do {
		if (store_res_list(s->store, "schedule", arn, tok, STORE_PAGE_MAX, &v, &n, &nx, e))
			goto out;
		for (i = 0; i < n; i++)
			if (store_res_delete(s->store, v[i].arn, e) && strcmp(e->type, NOT_FOUND))
				goto out;
		store_res_list_free(v, n);
		v = NULL;
		n = 0;
		free(tok);
		tok = nx;
		nx = NULL;
	} while (tok);
	if (store_res_delete(s->store, arn, e)) {
		if (!strcmp(e->type, NOT_FOUND))
			err_setn(e, NOT_FOUND, "Schedule group %s does not exist.", name);
		goto out;
	}
	svc_sched_changed(s);
	*resp = json_object();
	rc = 0;
out:
	store_res_list_free(v, n);
	free(tok);
	free(nx);
	free(arn);
	return rc;
}

/* ---- Scheduler: schedules ------------------------------------------------------------ */

static int check_schedule_target(json_t *t, struct err *e)
{
	const char *arn, *role, *input;

	if (!json_is_object(t))
		return err_setn(e, VALIDATION,
				"1 validation error detected: Value null at 'target' failed to satisfy constraint: "
				"Member must not be null");
	if (get_str(t, "Arn", true, 1, EV_ARN_MAX, &arn, e) || get_str(t, "RoleArn", true, 1, EV_ARN_MAX, &role, e) ||
	    check_role(role, "Target.RoleArn", e) || get_str(t, "Input", false, 1, EV_INPUT_MAX, &input, e) ||
	    check_input(input, "Target.Input", e) || check_retry_dlq(t, true, e))
		return -1;
	switch (target_kind(arn)) {
	case TK_STATE_MACHINE:
	case TK_FUNCTION:
		return 0;
	case TK_OTHER:
		return err_setn(e, VALIDATION,
				"Target.Arn %.200s: tutti delivers to state machines (arn:aws:states:...:stateMachine:NAME) "
				"and functions (arn:aws:lambda:...:function:NAME) only",
				arn);
	default:
		return err_setn(e, VALIDATION, "Invalid target arn %.200s.", arn);
	}
}

/* CreateSchedule and UpdateSchedule: the request checked and turned into
 * the stored body (old: the stored one on update). */
static json_t *schedule_body(struct svc *s, json_t *req, const char *group, const char *name, const char *arn,
			     json_t *old, struct err *e)
{
	static const char *const ACTIONS[] = { "NONE", "DELETE", NULL };
	static const char *const MODES[] = { "OFF", "FLEXIBLE", NULL };
	const char *expr, *tz, *state, *desc, *action, *mode, *missed, *kms;
	json_t *ftw = json_object_get(req, "FlexibleTimeWindow"), *target = json_object_get(req, "Target");
	json_t *body = NULL;
	struct sched_expr *x = NULL;
	int64_t start, end, window = 0, now = svc_events_now(s);

	if (get_str(req, "ScheduleExpression", true, 1, SCHED_EXPR_MAX, &expr, e) ||
	    get_str(req, "ScheduleExpressionTimezone", false, 1, 50, &tz, e) ||
	    get_enum(req, "State", STATES, "ENABLED", &state, e) ||
	    get_str(req, "Description", false, 0, EV_DESC_MAX, &desc, e) ||
	    get_enum(req, "ActionAfterCompletion", ACTIONS, "NONE", &action, e) ||
	    get_enum(req, "MissedFires", MISSED, "SKIP", &missed, e) ||
	    get_str(req, "KmsKeyArn", false, 1, 2048, &kms, e) || get_time(req, "StartDate", &start, e) ||
	    get_time(req, "EndDate", &end, e))
		return NULL;
	if (!json_is_object(ftw)) {
		err_setn(e, VALIDATION, "1 validation error detected: Value null at 'flexibleTimeWindow' failed to "
					"satisfy constraint: Member must not be null");
		return NULL;
	}
	if (get_enum(ftw, "Mode", MODES, NULL, &mode, e))
		return NULL;
	if (!mode) {
		err_setn(e, VALIDATION, "FlexibleTimeWindow.Mode must be OFF or FLEXIBLE");
		return NULL;
	}
	if (!strcmp(mode, "FLEXIBLE")) {
		if (!json_object_get(ftw, "MaximumWindowInMinutes")) {
			err_setn(e, VALIDATION, "MaximumWindowInMinutes is required when Mode is FLEXIBLE.");
			return NULL;
		}
		if (get_int(ftw, "MaximumWindowInMinutes", 1, SCHED_WINDOW_MAX, 0, &window, e))
			return NULL;
	} else if (json_object_get(ftw, "MaximumWindowInMinutes")) {
		err_setn(e, VALIDATION, "MaximumWindowInMinutes must not be set when Mode is OFF.");
		return NULL;
	}
	if (check_schedule_target(target, e))
		return NULL;
	if (!(x = sched_parse(expr, tz, e))) {
		snprintf(e->type, sizeof e->type, "%s", VALIDATION);
		return NULL;
	}
	if (sched_kind(x) != SCHED_AT) {
		if (start != SCHED_NONE && end != SCHED_NONE && end <= start) {
			err_setn(e, VALIDATION, "The EndDate you specify must be after the StartDate.");
			goto fail;
		}
		if (end != SCHED_NONE && end <= now) {
			err_setn(e, VALIDATION, "The EndDate you specify cannot be earlier than the current time.");
			goto fail;
		}
		if (start != SCHED_NONE && start < now - 300 && !old) {
			err_setn(e, VALIDATION,
				 "The StartDate you specify cannot be earlier than 5 minutes prior to the current time.");
			goto fail;
		}
	}
	body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "Arn", arn, "Name", name, "GroupName", group,
			 "ScheduleExpression", expr, "ScheduleExpressionTimezone", sched_tz_name(x), "State", state,
			 "ActionAfterCompletion", action, "MissedFires", missed);
	if (!body) {
		err_setn(e, "InternalServerException", "out of memory");
		goto fail;
	}
	if (!tz)
		json_object_del(body, "ScheduleExpressionTimezone");
	if (desc)
		json_object_set_new(body, "Description", json_string(desc));
	if (kms)
		json_object_set_new(body, "KmsKeyArn", json_string(kms));
	if (start != SCHED_NONE)
		json_object_set_new(body, "StartDate", json_integer(start));
	if (end != SCHED_NONE)
		json_object_set_new(body, "EndDate", json_integer(end));
	json_object_set_new(body, "FlexibleTimeWindow", json_pack("{s:s}", "Mode", mode));
	if (window)
		json_object_set_new(json_object_get(body, "FlexibleTimeWindow"), "MaximumWindowInMinutes",
				    json_integer(window));
	target = json_deep_copy(target);
	{
		/* The defaults AWS shows for a target without a RetryPolicy. */
		json_t *rp = json_object_get(target, "RetryPolicy");
		if (!json_is_object(rp)) {
			rp = json_object();
			json_object_set_new(target, "RetryPolicy", rp);
		}
		if (!json_object_get(rp, "MaximumRetryAttempts"))
			json_object_set_new(rp, "MaximumRetryAttempts", json_integer(EV_RETRIES_DEFAULT));
		if (!json_object_get(rp, "MaximumEventAgeInSeconds"))
			json_object_set_new(rp, "MaximumEventAgeInSeconds", json_integer(EV_AGE_DEFAULT));
	}
	json_object_set_new(body, "Target", target);
	json_object_set_new(body, "tutti:created",
			    old && json_object_get(old, "tutti:created") ? json_incref(json_object_get(old, "tutti:created"))
									 : json_integer(now));
	json_object_set_new(body, "tutti:since", json_integer(now));
	sched_free(x);
	return body;
fail:
	sched_free(x);
	json_decref(body);
	return NULL;
}

static int create_schedule(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *name, *group;
	struct store_res g = { 0 };
	json_t *body = NULL;
	char *arn = NULL;
	int rc = -1;

	if (get_str(req, "Name", true, 1, EV_NAME_MAX, &name, e) || svc_check_name(name, "Name", EV_NAME_MAX, e) ||
	    get_group_name(req, "GroupName", false, &group, e))
		return -1;
	if (!(arn = schedule_arn(s, group, name)))
		return err_setn(e, "InternalServerException", "out of memory");
	if (!(body = schedule_body(s, req, group, name, arn, NULL, e)) || group_exists(s, group, &g, e))
		goto out;
	if (res_put(s, "schedule", arn, name, g.arn, body, true, e)) {
		if (!strcmp(e->type, "ResourceConflictException"))
			err_setn(e, "ConflictException", "Schedule %s already exists.", name);
		goto out;
	}
	svc_sched_changed(s);
	*resp = json_pack("{s:s}", "ScheduleArn", arn);
	rc = 0;
out:
	store_res_free(&g);
	json_decref(body);
	free(arn);
	return rc;
}

/* The schedule named by Name and GroupName. */
static int schedule_get(struct svc *s, json_t *req, char **arn, struct store_res *r, json_t **body, struct err *e)
{
	const char *name, *group;
	struct err ge;

	*arn = NULL;
	*body = NULL;
	if (get_str(req, "Name", true, 1, EV_NAME_MAX, &name, e) || svc_check_name(name, "Name", EV_NAME_MAX, e) ||
	    get_group_name(req, "GroupName", false, &group, e))
		return -1;
	if (!(*arn = schedule_arn(s, group, name)))
		return err_setn(e, "InternalServerException", "out of memory");
	err_clear(&ge);
	if (store_res_get(s->store, *arn, r, &ge)) {
		if (!strcmp(ge.type, NOT_FOUND))
			err_setn(e, NOT_FOUND, "Schedule %s does not exist.", name);
		else
			*e = ge;
	} else if ((*body = load_body(r, e))) {
		return 0;
	}
	store_res_free(r);
	free(*arn);
	*arn = NULL;
	return -1;
}

static int get_schedule(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_res r = { 0 };
	json_t *body;
	char *arn;

	if (schedule_get(s, req, &arn, &r, &body, e))
		return -1;
	*resp = public_copy(body);
	json_object_set_new(*resp, "CreationDate", svc_time(r.created_us));
	json_object_set_new(*resp, "LastModificationDate", svc_time(r.updated_us));
	json_decref(body);
	store_res_free(&r);
	free(arn);
	return 0;
}

static int update_schedule(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_res r = { 0 };
	json_t *old, *body;
	char *arn;
	int rc = -1;

	if (schedule_get(s, req, &arn, &r, &old, e))
		return -1;
	body = schedule_body(s, req, json_string_value(json_object_get(old, "GroupName")),
			     json_string_value(json_object_get(old, "Name")), arn, old, e);
	if (!body || res_put(s, "schedule", arn, NULL, NULL, body, false, e))
		goto out;
	svc_sched_changed(s);
	*resp = json_pack("{s:s}", "ScheduleArn", arn);
	rc = 0;
out:
	json_decref(body);
	json_decref(old);
	store_res_free(&r);
	free(arn);
	return rc;
}

static int delete_schedule(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_res r = { 0 };
	json_t *body;
	char *arn;
	int rc;

	if (schedule_get(s, req, &arn, &r, &body, e))
		return -1;
	rc = store_res_delete(s->store, arn, e);
	if (!rc) {
		svc_sched_changed(s);
		*resp = json_object();
	}
	json_decref(body);
	store_res_free(&r);
	free(arn);
	return rc;
}

struct sched_filter {
	const char *state;
};

static json_t *schedule_row(struct svc *s, const struct store_res *r, json_t *body, void *arg)
{
	struct sched_filter *f = arg;
	const char *state = json_string_value(json_object_get(body, "State")) ?: "";

	(void)s;
	if (f->state && strcmp(f->state, state))
		return NULL;
	return json_pack("{s:O, s:O, s:O, s:s, s:o, s:o, s:{s:O}}", "Arn", json_object_get(body, "Arn"), "Name",
			 json_object_get(body, "Name"), "GroupName", json_object_get(body, "GroupName"), "State", state,
			 "CreationDate", svc_time(r->created_us), "LastModificationDate", svc_time(r->updated_us),
			 "Target", "Arn", json_object_get(json_object_get(body, "Target"), "Arn"));
}

static int list_schedules(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *prefix, *token, *group;
	struct sched_filter f;
	unsigned limit;
	json_t *items;
	char *next = NULL, *garn = NULL;
	int rc = -1;

	if (get_str(req, "NamePrefix", false, 1, EV_NAME_MAX, &prefix, e) ||
	    get_str(req, "GroupName", false, 1, EV_NAME_MAX, &group, e) ||
	    (group && svc_check_name(group, "GroupName", EV_NAME_MAX, e)) ||
	    get_enum(req, "State", STATES, NULL, &f.state, e) || get_page(req, "MaxResults", &limit, &token, e))
		return -1;
	if (group && !(garn = group_arn(s, group)))
		return err_setn(e, "InternalServerException", "out of memory");
	items = json_array();
	if (!list_rows(s, "schedule", garn, token, limit, prefix, schedule_row, &f, items, &next, e)) {
		*resp = json_pack("{s:O}", "Schedules", items);
		if (next)
			json_object_set_new(*resp, "NextToken", json_string(next));
		rc = 0;
	}
	json_decref(items);
	free(next);
	free(garn);
	return rc;
}

/* ---- Tutti.ListFires ------------------------------------------------------------------ */

static json_t *fire_shape(const struct store_fire *f, const char *target)
{
	json_t *o = json_pack("{s:I, s:o}", "FireTime", (json_int_t)f->fire_s, "RecordedAt", svc_time(f->at_us));
	char iso[SCHED_ISO_SIZE];

	json_object_set_new(o, "FireTimeIso", json_string(sched_format_utc(f->fire_s, iso)));
	if (target)
		json_object_set_new(o, "TargetId", json_string(target));
	if (f->exec_arn) {
		bool exec = !strncmp(f->exec_arn, "arn:aws:states:", 15);
		json_object_set_new(o, exec ? "ExecutionArn" : "FunctionArn", json_string(f->exec_arn));
	}
	if (f->error)
		json_object_set_new(o, "Error", json_string(f->error));
	json_object_set_new(o, "Status", json_string(f->error ? "FAILED" : f->exec_arn ? "STARTED" : "PENDING"));
	return o;
}

static int fires_of(struct svc *s, const char *key, const char *target, unsigned limit, json_t *out, struct err *e)
{
	struct store_fire *v = NULL;
	size_t n = 0, i;

	if (store_fire_list(s->store, key, limit, &v, &n, e))
		return -1;
	for (i = 0; i < n; i++)
		json_array_append_new(out, fire_shape(&v[i], target));
	store_fire_list_free(v, n);
	return 0;
}

static int by_fire_desc(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a, "FireTime"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b, "FireTime"));

	return x < y ? 1 : x > y ? -1 : 0;
}

static int list_fires(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *sarn, *rarn;
	int64_t limit;
	json_t *out = NULL, *targets, *t;
	struct store_res r = { 0 };
	size_t i;
	int rc = -1;

	if (get_str(req, "ScheduleArn", false, 1, 1224, &sarn, e) || get_str(req, "RuleArn", false, 1, 1224, &rarn, e) ||
	    get_int(req, "MaxResults", 1, 1000, 20, &limit, e))
		return -1;
	if (!sarn == !rarn)
		return err_setn(e, VALIDATION, "give exactly one of ScheduleArn and RuleArn");
	if (store_res_get(s->store, sarn ? sarn : rarn, &r, e) ||
	    strcmp(r.kind, sarn ? "schedule" : "rule")) {
		if (!err_isset(e) || !strcmp(e->type, NOT_FOUND))
			err_setn(e, NOT_FOUND, "%s %.300s does not exist.", sarn ? "Schedule" : "Rule", sarn ?: rarn);
		goto out;
	}
	out = json_array();
	if (sarn) {
		if (fires_of(s, sarn, NULL, (unsigned)limit, out, e))
			goto out;
	} else {
		json_t *body = load_body(&r, e);
		if (!body)
			goto out;
		targets = json_object_get(body, "Targets");
		json_array_foreach(targets, i, t) {
			const char *id = json_string_value(json_object_get(t, "Id"));
			char *key = id ? svc_events_rule_key(rarn, id) : NULL;
			int frc = key ? fires_of(s, key, id, (unsigned)limit, out, e) : 0;
			free(key);
			if (frc) {
				json_decref(body);
				goto out;
			}
		}
		json_decref(body);
		/* newest first across targets, at most limit */
		if (json_array_size(out) > 1) {
			size_t n = json_array_size(out);
			json_t **v = malloc(n * sizeof *v);
			if (!v) {
				err_setn(e, "InternalException", "out of memory");
				goto out;
			}
			for (i = 0; i < n; i++)
				v[i] = json_incref(json_array_get(out, i));
			qsort(v, n, sizeof *v, by_fire_desc);
			json_array_clear(out);
			for (i = 0; i < n; i++)
				if (i < (size_t)limit)
					json_array_append_new(out, v[i]);
				else
					json_decref(v[i]);
			free(v);
		}
	}
	*resp = json_pack("{s:O}", "Fires", out);
	rc = 0;
out:
	json_decref(out);
	store_res_free(&r);
	return rc;
}

/* ---- the table ------------------------------------------------------------------------ */

const struct svc_action svc_events_actions[] = {
	{ "AWSEvents.PutRule", put_rule, SVC_WRITE },
	{ "AWSEvents.DescribeRule", describe_rule, SVC_READ },
	{ "AWSEvents.ListRules", list_rules, SVC_READ },
	{ "AWSEvents.ListRuleNamesByTarget", list_rule_names_by_target, SVC_READ },
	{ "AWSEvents.DeleteRule", delete_rule, SVC_WRITE },
	{ "AWSEvents.EnableRule", enable_rule, SVC_WRITE },
	{ "AWSEvents.DisableRule", disable_rule, SVC_WRITE },
	{ "AWSEvents.PutTargets", put_targets, SVC_WRITE },
	{ "AWSEvents.ListTargetsByRule", list_targets, SVC_READ },
	{ "AWSEvents.RemoveTargets", remove_targets, SVC_WRITE },
	{ "TuttiScheduler.CreateSchedule", create_schedule, SVC_WRITE },
	{ "TuttiScheduler.GetSchedule", get_schedule, SVC_READ },
	{ "TuttiScheduler.ListSchedules", list_schedules, SVC_READ },
	{ "TuttiScheduler.UpdateSchedule", update_schedule, SVC_WRITE },
	{ "TuttiScheduler.DeleteSchedule", delete_schedule, SVC_WRITE },
	{ "TuttiScheduler.CreateScheduleGroup", create_group, SVC_WRITE },
	{ "TuttiScheduler.GetScheduleGroup", get_group, SVC_READ },
	{ "TuttiScheduler.ListScheduleGroups", list_groups, SVC_READ },
	{ "TuttiScheduler.DeleteScheduleGroup", delete_group, SVC_WRITE },
	{ "Tutti.ListFires", list_fires, SVC_READ },
	{ NULL, NULL, 0 },
};
