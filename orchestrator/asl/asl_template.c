/* asl_template — typed field values, paths, intrinsic expressions, payload
 * templates (Parameters, ItemSelector, ResultSelector, Credentials, Assign;
 * the template walk is shared with JSONata's, asl_jsonata.c, which brings
 * its own leaf rules), Task Resource strings and Retry/Catch lists. Every
 * helper reports its own problems at the field it looks at; see
 * asl_internal.h. */
#include <math.h>
#include <string.h>

#include "asl_internal.h"
#include "intrinsics.h"
#include "jsonpath.h"

bool asl_get_string(struct asl_ctx *c, const char *key, const struct asl_found *f,
		    const char **out)
{
	if (!json_is_string(f->v)) {
		asl_problem_at(c, key, f->pos, "must be a string");
		return false;
	}
	*out = json_string_value(f->v);
	return true;
}

bool asl_get_uint(struct asl_ctx *c, const char *key, const struct asl_found *f,
		  uint32_t min, uint32_t max, uint32_t *out)
{
	double d;

	/* 3.0 is accepted as 3, as AWS's JSON binding accepts it. */
	if (json_is_integer(f->v)) {
		json_int_t i = json_integer_value(f->v);

		if (i >= (json_int_t)min && i <= (json_int_t)max) {
			*out = (uint32_t)i;
			return true;
		}
	} else if (json_is_real(f->v)) {
		d = json_real_value(f->v);
		if (d == floor(d) && d >= min && d <= max) {
			*out = (uint32_t)d;
			return true;
		}
	}
	asl_problem_at(c, key, f->pos, "must be an integer between %u and %u", min, max);
	return false;
}

bool asl_get_number(struct asl_ctx *c, const char *key, const struct asl_found *f,
		    double *out)
{
	if (!json_is_number(f->v)) {
		asl_problem_at(c, key, f->pos, "must be a number");
		return false;
	}
	*out = json_number_value(f->v);
	return true;
}

bool asl_get_path(struct asl_ctx *c, const char *key, const struct asl_found *f,
		  unsigned flags, bool nullable, bool input_only, struct asl_path *out)
{
	struct err e;   /* not = { 0 }: 1 KiB to clear, per path */
	struct jsonpath *jp;
	const char *text;
	int rc;

	err_clear(&e);
	if (json_is_null(f->v) && nullable) {
		out->mode = ASL_PATH_NULL;
		return true;
	}
	if (!json_is_string(f->v)) {
		asl_problem_at(c, key, f->pos, nullable ? "must be a string (a JSONPath) or null"
							: "must be a string (a JSONPath)");
		return false;
	}
	text = json_string_value(f->v);
	rc = asl_path_get(c, text, flags, &jp, &e);
	if (rc == -1)
		asl_problem_at(c, key, f->pos, "%s", e.msg);
	if (rc)
		return false;
	if (input_only && jsonpath_root(jp) != JSONPATH_ROOT_INPUT) {
		asl_problem_at(c, key, f->pos,
			       "must be a path into the state's data ('$...'), not the context object or a variable");
		return false;
	}
	out->mode = ASL_PATH_SET;
	out->jp = jp;
	out->text = text;
	out->is_root = !strcmp(text, "$");
	return true;
}

/* The value of a "key.$" field (or ErrorPath/CausePath), at the current path. */
static bool compile_expr(struct asl_ctx *c, json_t *v, bool reference, struct asl_expr *out)
{
	struct err e;
	const char *text;
	int rc;

	err_clear(&e);
	if (!json_is_string(v)) {
		asl_problem(c, "must be a string (a JSONPath or an intrinsic function call)");
		return false;
	}
	text = json_string_value(v);
	out->text = text;
	if (intrinsic_looks_like(text)) {
		out->fn = intrinsic_compile(text, &e);
		if (!out->fn) {
			asl_problem(c, "%s", e.msg);
			return false;
		}
		return asl_own_fn(c, out->fn);
	}
	if (text[0] != '$') {
		asl_problem(c, "must be a JSONPath (starting with '$') or an intrinsic function call");
		return false;
	}
	rc = asl_path_get(c, text, reference ? JSONPATH_REFERENCE : 0, &out->jp, &e);
	if (rc == -1)
		asl_problem(c, "%s", e.msg);
	return !rc;
}

bool asl_get_expr(struct asl_ctx *c, const char *key, const struct asl_found *f,
		  bool reference, struct asl_expr *out)
{
	bool ok;

	asl_push_key(c, key, f->pos);
	ok = compile_expr(c, f->v, reference, out);
	asl_pop(c);
	return ok;
}

/* Workflow variable names: letters, digits and '_', not starting with a
 * digit (bytes >= 0x80 are taken as letters: identifiers may be Unicode). */
bool asl_var_name_ok(const char *s)
{
	size_t i;

	if (!*s || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!(ch >= 0x80 || ch == '_' || (ch >= '0' && ch <= '9') ||
		      (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
			return false;
	}
	return true;
}

/* The walk both languages share: objects and arrays descended (the current
 * path kept for problems), leaves handed to the language's rules, and a
 * subtree without any expression kept as one literal (evaluation returns
 * it without copying). */
static bool walk(struct asl_ctx *c, json_t *v, struct asl_template *t, unsigned depth,
		 bool assign, const struct asl_tmpl_rules *r)
{
	bool ok = true, literal = true;
	const char *key;
	json_t *x;
	size_t i;
	int rc;

	if (depth > ASL_TEMPLATE_DEPTH_MAX) {
		asl_problem(c, "nested deeper than %d levels", ASL_TEMPLATE_DEPTH_MAX);
		return false;
	}
	if (json_is_string(v) && r->string && (rc = r->string(c, v, t)) >= 0)
		return rc;
	if (json_is_object(v)) {
		t->kind = ASL_T_OBJECT;
		t->n = json_object_size(v);
		t->fields = asl_alloc(c, t->n ? t->n : 1, sizeof *t->fields);
		if (!t->fields)
			return false;
		i = 0;
		json_object_foreach(v, key, x) {
			struct asl_tfield *f = &t->fields[i];

			asl_push_key(c, key, (uint32_t)i);
			f->key = key;
			rc = r->member ? r->member(c, v, key, x, f) : -1;
			if (rc < 0) {
				rc = walk(c, x, &f->value, depth + 1, false, r);
				if (rc && f->value.kind != ASL_T_LITERAL)
					literal = false;
			} else {
				literal = false;
			}
			if (!rc)
				ok = false;
			if (assign && !r->var_ok(f->key)) {
				asl_problem(c, "'%s' is not a valid variable name (%s)", f->key,
					    r->var_rule);
				ok = false;
			}
			asl_pop(c);
			i++;
			if (c->oom)
				return false;
		}
	} else if (json_is_array(v)) {
		t->kind = ASL_T_ARRAY;
		t->n = json_array_size(v);
		t->items = asl_alloc(c, t->n ? t->n : 1, sizeof *t->items);
		if (!t->items)
			return false;
		for (i = 0; i < t->n; i++) {
			asl_push_index(c, i);
			if (!walk(c, json_array_get(v, i), &t->items[i], depth + 1, false, r))
				ok = false;
			else if (t->items[i].kind != ASL_T_LITERAL)
				literal = false;
			asl_pop(c);
			if (c->oom)
				return false;
		}
	} else {
		t->kind = ASL_T_LITERAL;
		t->literal = v;
		return true;
	}
	if (ok && literal) {
		t->kind = ASL_T_LITERAL;
		t->literal = v;
		t->n = 0;
		t->fields = NULL;
		t->items = NULL;
	}
	return ok;
}

struct asl_template *asl_template_walk(struct asl_ctx *c, const char *key,
				       const struct asl_found *f, bool assign,
				       const struct asl_tmpl_rules *r)
{
	struct asl_template *t;
	bool ok;

	if (assign && !json_is_object(f->v)) {
		asl_problem_at(c, key, f->pos, "must be an object");
		return NULL;
	}
	t = asl_alloc(c, 1, sizeof *t);
	if (!t)
		return NULL;
	asl_push_key(c, key, f->pos);
	ok = walk(c, f->v, t, 0, assign, r);
	asl_pop(c);
	return ok ? t : NULL;
}

/* JSONPath: a "key.$" member is a path or an intrinsic call, set under
 * "key"; strings are literals. */
static int jp_member(struct asl_ctx *c, json_t *obj, const char *key, json_t *v,
		     struct asl_tfield *f)
{
	size_t len = strlen(key);
	bool ok;
	char *k;

	if (len < 2 || key[len - 2] != '.' || key[len - 1] != '$')
		return -1;
	k = asl_alloc(c, len - 1, 1);
	if (!k)
		return 0;
	memcpy(k, key, len - 2);
	f->key = k;
	f->value.kind = ASL_T_EXPR;
	ok = compile_expr(c, v, false, &f->value.expr);
	if (json_object_get(obj, k)) {
		asl_problem(c, "conflicts with field '%s' (same name once '.$' is removed)", k);
		ok = false;
	}
	return ok;
}

static const struct asl_tmpl_rules jsonpath_rules = {
	.member = jp_member,
	.var_ok = asl_var_name_ok,
	.var_rule = "letters, digits and '_', not starting with a digit",
};

struct asl_template *asl_get_template(struct asl_ctx *c, const char *key,
				      const struct asl_found *f, bool assign)
{
	return asl_template_walk(c, key, f, assign, &jsonpath_rules);
}

bool asl_exclusive(struct asl_ctx *c, const char *a, const struct asl_found *fa,
		   const char *b, const struct asl_found *fb)
{
	if (!fa->v || !fb->v)
		return true;
	if (fa->pos > fb->pos)
		asl_problem_at(c, a, fa->pos, "cannot be used together with '%s'", b);
	else
		asl_problem_at(c, b, fb->pos, "cannot be used together with '%s'", a);
	return false;
}

/* ---- Task Resource -------------------------------------------------------- */

static const char *dup(struct asl_ctx *c, const char *s, size_t n)
{
	char *d = asl_alloc(c, n + 1, 1);

	if (d)
		memcpy(d, s, n);
	return d;
}

static bool fn_name_ok(const char *s, size_t n);

/* A qualifier is a version, an alias, or $LATEST. */
static bool qualifier_ok(const char *s, size_t n)
{
	return (n == 7 && !memcmp(s, "$LATEST", 7)) || fn_name_ok(s, n);
}

static bool fn_name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || n > 64)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

/* Split an ARN at ':' into at most 8 parts; returns the count. */
static size_t arn_split(const char *s, const char **p, size_t *len)
{
	size_t n = 0;

	while (n < 8) {
		const char *e = n < 7 ? strchr(s, ':') : NULL;

		p[n] = s;
		len[n] = e ? (size_t)(e - s) : strlen(s);
		n++;
		if (!e)
			break;
		s = e + 1;
	}
	return n;
}

static bool part_is(const char *p, size_t len, const char *s)
{
	return len == strlen(s) && !memcmp(p, s, len);
}

/* The partitions Step Functions runs in. */
static bool partition_ok(const char *p, size_t len)
{
	static const char *const parts[] = {
		"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f",
		"aws-eusc",
	};

	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
		if (part_is(p, len, parts[i]))
			return true;
	return false;
}

/* A region as AWS spells them: us-east-1, eu-central-2, us-gov-west-1,
 * cn-north-1, ap-southeast-4, us-iso-east-1, us-isob-east-1, or tutti's
 * own "local": lower-case words and a number, separated by '-'. */
static bool region_ok(const char *s, size_t n)
{
	size_t i, words = 0;
	bool digit_last = false;

	if (part_is(s, n, "local"))
		return true;
	if (n < 4 || n > 32)
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] == '-') {
			if (!i || s[i - 1] == '-' || digit_last)
				return false;
			words++;
		} else if (s[i] >= '0' && s[i] <= '9') {
			if (!i || (s[i - 1] != '-' && !(s[i - 1] >= '0' && s[i - 1] <= '9')))
				return false;
			digit_last = true;
		} else if (s[i] < 'a' || s[i] > 'z' || digit_last) {
			return false;
		}
	}
	return words >= 2 && digit_last;
}

/* 12 digits on AWS; fewer are taken too (tests and tools write 0). */
static bool account_ok(const char *s, size_t n)
{
	if (!n || n > 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* A placeholder left by a deployment tool: "${Name}" (SAM's and CDK's
 * DefinitionSubstitutions, CloudFormation's Fn::Sub); name and n: the
 * first one's name. */
static bool placeholder(const char *s, const char **name, size_t *n)
{
	const char *p = strstr(s, "${"), *e;

	if (!p)
		return false;
	e = strchr(p + 2, '}');
	*name = p + 2;
	*n = e ? (size_t)(e - p - 2) : strlen(p + 2);
	if (*n > 100)
		*n = 100;
	return true;
}

static bool bad_resource(struct asl_ctx *c, const struct asl_found *fr, const char *msg)
{
	asl_problem_at(c, "Resource", fr->pos, "%s", msg);
	return false;
}

/* arn:PARTITION:states:[REGION:ACCOUNT]:SERVICE:ACTION[.PATTERN], the
 * service-integration form; `act` is what follows SERVICE: (to the end). */
static bool service_resource(struct asl_ctx *c, const struct asl_found *fr, struct asl_task *t,
			     const char *svc, size_t svclen, const char *act)
{
	size_t alen = strlen(act);
	const char *dot, *suffix = "";
	char *canon;
	size_t clen;
	bool sdk = part_is(svc, svclen, "aws-sdk");

	t->kind = ASL_RES_SERVICE;
	t->service = dup(c, svc, svclen);
	t->pattern = ASL_INVOKE_RESPONSE;
	/* AWS SDK integrations: ...:aws-sdk:SERVICE:ACTION (the service
	 * becomes SERVICE, e.g. "s3"). */
	if (sdk) {
		const char *colon = strchr(act, ':');

		if (!colon || colon == act || !colon[1] || strchr(colon + 1, ':'))
			return bad_resource(c, fr, "an AWS SDK integration is arn:aws:states:::aws-sdk:SERVICE:ACTION");
		t->service = dup(c, act, (size_t)(colon - act));
		act = colon + 1;
		alen = strlen(act);
	}
	dot = memchr(act, '.', alen);
	if (dot && (!strcmp(dot, ".sync") || !strcmp(dot, ".sync:2"))) {
		if (sdk)
			return bad_resource(c, fr, "AWS SDK integrations support only ACTION (request-response) and ACTION.waitForTaskToken, not .sync");
		t->pattern = ASL_INVOKE_SYNC;
	} else if (dot && !strcmp(dot, ".waitForTaskToken")) {
		t->pattern = ASL_INVOKE_TOKEN;
	} else if (dot || strchr(act, ':')) {
		return bad_resource(c, fr, "unknown integration pattern (expected ACTION, ACTION.sync or ACTION.waitForTaskToken)");
	}
	if (!alen || dot == act)
		return bad_resource(c, fr, "the integration names no action (arn:aws:states:::SERVICE:ACTION)");
	if (dot)
		suffix = dot;
	t->action = dup(c, act, dot ? (size_t)(dot - act) : alen);
	/* The one spelling integrations match on: partition aws, no region
	 * or account (they do not change what runs locally). */
	clen = strlen("arn:aws:states:::aws-sdk:") + svclen + alen + 2;
	canon = asl_alloc(c, clen, 1);
	if (!canon || !t->service || !t->action)
		return false;
	if (sdk)
		snprintf(canon, clen, "arn:aws:states:::aws-sdk:%s:%s%s", t->service, t->action, suffix);
	else
		snprintf(canon, clen, "arn:aws:states:::%s:%s%s", t->service, t->action, suffix);
	t->canonical = canon;
	return true;
}

bool asl_get_resource(struct asl_ctx *c, const struct asl_found *fr, struct asl_task *t)
{
	const char *s, *p[8], *colon, *ph;
	size_t len[8], n, phlen;

	if (!asl_get_string(c, "Resource", fr, &s))
		return false;
	t->resource = s;
	t->canonical = s;
	if (placeholder(s, &ph, &phlen)) {
		asl_problem_at(c, "Resource", fr->pos,
			       "unresolved placeholder ${%.*s}: pass --substitute %.*s=VALUE (or --substitutions FILE.json), as SAM's and CDK's DefinitionSubstitutions do",
			       (int)phlen, ph, (int)phlen, ph);
		return false;
	}
	if (strncmp(s, "arn:", 4)) {
		/* a bare function name, optionally NAME:QUALIFIER */
		colon = strchr(s, ':');
		t->kind = ASL_RES_FUNCTION;
		if (!fn_name_ok(s, colon ? (size_t)(colon - s) : strlen(s)) ||
		    (colon && !qualifier_ok(colon + 1, strlen(colon + 1))))
			return bad_resource(c, fr, "must be a function name or an ARN");
		t->function = colon ? dup(c, s, (size_t)(colon - s)) : s;
		t->qualifier = colon ? colon + 1 : NULL;
		return true;
	}
	n = arn_split(s, p, len);
	if (n < 7)
		return bad_resource(c, fr, "unsupported resource ARN (expected a Lambda function ARN, arn:aws:states:::SERVICE:ACTION or an activity ARN)");
	if (!partition_ok(p[1], len[1])) {
		asl_problem_at(c, "Resource", fr->pos,
			       "unknown partition '%.*s' (expected aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f or aws-eusc)",
			       (int)(len[1] > 40 ? 40 : len[1]), p[1]);
		return false;
	}
	if (part_is(p[2], len[2], "lambda") && part_is(p[5], len[5], "function")) {
		if (!region_ok(p[3], len[3]) || !account_ok(p[4], len[4]))
			return bad_resource(c, fr, "a Lambda function ARN is arn:aws:lambda:REGION:ACCOUNT:function:NAME[:VERSION|ALIAS] (ACCOUNT: up to 12 digits)");
		if (!fn_name_ok(p[6], len[6]) || (n == 8 && !qualifier_ok(p[7], strlen(p[7]))))
			return bad_resource(c, fr, "invalid function name or qualifier (1-64 of A-Z a-z 0-9 _ -; $LATEST, a version or an alias)");
		t->kind = ASL_RES_FUNCTION;
		t->function = dup(c, p[6], len[6]);
		t->qualifier = n == 8 ? p[7] : NULL;
		return true;
	}
	if (!part_is(p[2], len[2], "states"))
		return bad_resource(c, fr, "unsupported resource ARN (expected a Lambda function ARN, arn:aws:states:::SERVICE:ACTION or an activity ARN)");
	if (part_is(p[5], len[5], "activity")) {
		if (n != 7 || !region_ok(p[3], len[3]) || !account_ok(p[4], len[4]) || !len[6])
			return bad_resource(c, fr, "an activity ARN is arn:aws:states:REGION:ACCOUNT:activity:NAME");
		t->kind = ASL_RES_ACTIVITY;
		t->function = p[6];
		return true;
	}
	/* A service integration, written without region and account (as the
	 * documentation does) or with both (as the console exports them). */
	if ((len[3] || len[4]) && !(region_ok(p[3], len[3]) && account_ok(p[4], len[4])))
		return bad_resource(c, fr, "a service integration is arn:aws:states:::SERVICE:ACTION, or arn:aws:states:REGION:ACCOUNT:SERVICE:ACTION with both a region and an account");
	if (!len[5] || !len[6])
		return bad_resource(c, fr, "unsupported resource ARN (expected a Lambda function ARN, arn:aws:states:::SERVICE:ACTION or an activity ARN)");
	for (size_t i = 0; i < len[5]; i++)
		if (!((p[5][i] >= 'a' && p[5][i] <= 'z') || (p[5][i] >= '0' && p[5][i] <= '9') || p[5][i] == '-'))
			return bad_resource(c, fr, "invalid service name in the integration ARN (lower-case letters, digits and '-')");
	return service_resource(c, fr, t, p[5], len[5], p[6]);
}

/* ---- Retry and Catch ------------------------------------------------------- */

/* ErrorEquals of the retrier/catcher at the current path. */
static bool get_errors(struct asl_ctx *c, const struct asl_found *f, bool last,
		       const char *what, struct asl_errors *out)
{
	bool ok = true;
	size_t i, n;

	if (!f->v) {
		asl_problem(c, "missing required field 'ErrorEquals'");
		return false;
	}
	n = json_array_size(f->v);
	if (!json_is_array(f->v) || !n) {
		asl_problem_at(c, "ErrorEquals", f->pos, "must be a non-empty array of error names");
		return false;
	}
	out->names = asl_alloc(c, n, sizeof *out->names);
	if (!out->names)
		return false;
	out->n = n;
	asl_push_key(c, "ErrorEquals", f->pos);
	for (i = 0; i < n; i++) {
		json_t *e = json_array_get(f->v, i);
		const char *s = json_string_value(e);

		asl_push_index(c, i);
		if (!s || !*s) {
			asl_problem(c, "must be a non-empty string");
			ok = false;
		} else if (!strcmp(s, "States.ALL")) {
			out->all = true;
			if (n > 1) {
				asl_problem(c, "'States.ALL' must appear alone in ErrorEquals");
				ok = false;
			} else if (!last) {
				asl_problem(c, "'States.ALL' must be in the last %s", what);
				ok = false;
			}
		}
		out->names[i] = s ? s : "";
		asl_pop(c);
	}
	asl_pop(c);
	return ok;
}

static const char *const retry_fields[] = {
	"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
	"MaxDelaySeconds", "JitterStrategy", "Comment",
};

static bool get_retrier(struct asl_ctx *c, json_t *v, bool last, struct asl_retrier *r)
{
	struct asl_found f[7];
	const char *s;
	bool ok;

	asl_scan(c, v, retry_fields, 7, NULL, f);
	r->interval_seconds = 1;
	r->max_attempts = 3;
	r->backoff_rate = 2.0;
	ok = get_errors(c, &f[0], last, "retrier", &r->errors);
	if (f[1].v && !asl_get_uint(c, "IntervalSeconds", &f[1], 1, ASL_SECONDS_MAX, &r->interval_seconds))
		ok = false;
	if (f[2].v && !asl_get_uint(c, "MaxAttempts", &f[2], 0, ASL_SECONDS_MAX, &r->max_attempts))
		ok = false;
	if (f[3].v) {
		if (!asl_get_number(c, "BackoffRate", &f[3], &r->backoff_rate)) {
			ok = false;
		} else if (!(r->backoff_rate >= 1.0)) {
			asl_problem_at(c, "BackoffRate", f[3].pos, "must be >= 1.0");
			ok = false;
		}
	}
	if (f[4].v && !asl_get_uint(c, "MaxDelaySeconds", &f[4], 1, 31622400, &r->max_delay_seconds))
		ok = false;
	if (f[5].v) {
		if (!asl_get_string(c, "JitterStrategy", &f[5], &s)) {
			ok = false;
		} else if (!strcmp(s, "FULL")) {
			r->jitter_full = true;
		} else if (strcmp(s, "NONE")) {
			asl_problem_at(c, "JitterStrategy", f[5].pos, "must be \"FULL\" or \"NONE\"");
			ok = false;
		}
	}
	if (f[6].v && !asl_get_string(c, "Comment", &f[6], &s))
		ok = false;
	return ok;
}

bool asl_get_retry(struct asl_ctx *c, const struct asl_found *f, struct asl_state *st)
{
	bool ok = true;
	size_t i, n = json_array_size(f->v);

	if (!json_is_array(f->v)) {
		asl_problem_at(c, "Retry", f->pos, "must be an array");
		return false;
	}
	st->retry = asl_alloc(c, n ? n : 1, sizeof *st->retry);
	if (!st->retry)
		return false;
	st->n_retry = n;
	asl_push_key(c, "Retry", f->pos);
	for (i = 0; i < n; i++) {
		json_t *v = json_array_get(f->v, i);

		asl_push_index(c, i);
		if (!json_is_object(v)) {
			asl_problem(c, "must be an object");
			ok = false;
		} else if (!get_retrier(c, v, i + 1 == n, &st->retry[i])) {
			ok = false;
		}
		asl_pop(c);
	}
	asl_pop(c);
	return ok;
}

static const char *const catch_fields[] = {
	"ErrorEquals", "Next", "ResultPath", "Assign", "Comment", "Output",
};

static bool get_catcher(struct asl_ctx *c, json_t *v, bool last, struct asl_catcher *k,
			const struct asl_machine *m)
{
	struct asl_found f[6];
	const char *s;
	bool ok;

	asl_scan(c, v, catch_fields, 6, NULL, f);
	k->next = ASL_NONE;
	ok = get_errors(c, &f[0], last, "catcher", &k->errors);
	if (!f[1].v) {
		asl_problem(c, "missing required field 'Next'");
		c->lost_edges++;
		ok = false;
	} else if ((k->next = asl_resolve(c, m, "Next", &f[1])) == ASL_NONE) {
		ok = false;
	}
	if (c->jsonata) {
		if (f[2].v) {
			asl_problem_at(c, "ResultPath", f[2].pos,
				       "not allowed in a JSONata state: use 'Output' (and 'Assign') with $states.errorOutput");
			ok = false;
		}
		if (f[3].v && !(k->assign = asl_get_jtemplate(c, "Assign", &f[3], true)))
			ok = false;
		if (f[5].v && !(k->output = asl_get_jtemplate(c, "Output", &f[5], false)))
			ok = false;
		if (f[4].v && !asl_get_string(c, "Comment", &f[4], &s))
			ok = false;
		return ok;
	}
	if (f[5].v) {
		asl_problem_at(c, "Output", f[5].pos,
			       "only allowed in a state whose QueryLanguage is \"JSONata\"");
		ok = false;
	}
	if (f[2].v && !asl_get_path(c, "ResultPath", &f[2], JSONPATH_REFERENCE, true, true,
				    &k->result_path))
		ok = false;
	if (f[3].v && !(k->assign = asl_get_template(c, "Assign", &f[3], true)))
		ok = false;
	if (f[4].v && !asl_get_string(c, "Comment", &f[4], &s))
		ok = false;
	return ok;
}

bool asl_get_catch(struct asl_ctx *c, const struct asl_found *f, struct asl_state *st,
		   const struct asl_machine *m)
{
	bool ok = true;
	size_t i, n = json_array_size(f->v);

	if (!json_is_array(f->v)) {
		asl_problem_at(c, "Catch", f->pos, "must be an array");
		c->lost_edges++;
		return false;
	}
	st->catch_ = asl_alloc(c, n ? n : 1, sizeof *st->catch_);
	if (!st->catch_)
		return false;
	st->n_catch = n;
	asl_push_key(c, "Catch", f->pos);
	for (i = 0; i < n; i++) {
		json_t *v = json_array_get(f->v, i);

		asl_push_index(c, i);
		st->catch_[i].next = ASL_NONE;
		if (!json_is_object(v)) {
			asl_problem(c, "must be an object");
			c->lost_edges++;
			ok = false;
		} else if (!get_catcher(c, v, i + 1 == n, &st->catch_[i], m)) {
			ok = false;
		}
		asl_pop(c);
	}
	asl_pop(c);
	return ok;
}
