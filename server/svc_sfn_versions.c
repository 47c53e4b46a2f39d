/* svc_sfn_versions — Step Functions state machine versions, aliases and
 * tags (AWSStepFunctions.PublishStateMachineVersion, ...Alias, TagResource,
 * ...), and the resolution of a qualified state machine ARN (a version
 * "SM:3" or an alias "SM:prod") to what an execution runs.
 *
 * A version is a store resource of kind "state-machine-version", ARN
 * "<state machine ARN>:<n>", parent the state machine's ARN; its body is a
 * frozen copy of the state machine's (definition, roleArn, type, logging
 * and tracing configurations, revisionId) plus "stateMachineVersionArn",
 * "description" and "version" (n). An alias is of kind
 * "state-machine-alias", ARN "<state machine ARN>:<name>", body
 * DescribeStateMachineAlias's output (timestamps in µs: "creationUs",
 * "updateUs"). Tags live in the tagged resource's body ("tags": [{key,
 * value}]). Version numbers come from store_seq_next (durable, never
 * reused). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "svc_internal.h"

#define VERSIONS_MAX   1000   /* per state machine (AWS's quota) */
#define ALIASES_MAX    100
#define TAGS_MAX       50
#define ROUTES_MAX     2

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void svc_sfn_uuid(char out[37])
{
	unsigned char r[16];

	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		uint64_t t = (uint64_t)now_us();

		memcpy(r, &t, 8);
		memcpy(r + 8, &t, 8);
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
		 r[13], r[14], r[15]);
}

/* ---- ARNs ------------------------------------------------------------------------- */

/* arn:PARTITION:states:REGION:ACCOUNT:TYPE:... with TYPE one of `types`
 * ("stateMachine", "execution", ... separated by '|'). */
int svc_sfn_check_arn(const char *arn, const char *types, struct err *e)
{
	const char *p = arn, *f[6];
	size_t n = 0, len;
	char type[32];

	if (!arn || !*arn)
		return err_setn(e, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context'");
	if (strlen(arn) > 2048 || strncmp(arn, "arn:", 4))
		return err_setn(e, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: %.200s'", arn);
	for (n = 0; n < 6 && p; n++) {
		f[n] = p;
		p = strchr(p, ':');
		if (p)
			p++;
	}
	if (n < 6 || !p || !*p)
		return err_setn(e, "InvalidArn", "Invalid Arn: '%.300s'", arn);
	if (strncmp(f[1], "aws:", 4) && strncmp(f[1], "aws-cn:", 7) && strncmp(f[1], "aws-us-gov:", 11))
		return err_setn(e, "InvalidArn", "Invalid Arn: 'Invalid ARN partition: %.200s'", arn);
	if (strncmp(f[2], "states:", 7))
		return err_setn(e, "InvalidArn", "Invalid Arn: 'Invalid ARN service: %.200s'", arn);
	len = (size_t)(p - 1 - f[5]);
	if (len == 0 || len >= sizeof type)
		return err_setn(e, "InvalidArn", "Invalid Arn: '%.300s'", arn);
	memcpy(type, f[5], len);
	type[len] = 0;
	for (const char *t = types; *t;) {
		size_t tl = strcspn(t, "|");

		if (tl == len && !strncmp(t, type, len))
			return 0;
		t += tl;
		if (*t == '|')
			t++;
	}
	return err_setn(e, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: %s'", type);
}

/* The qualifier after "stateMachine:NAME:", or NULL for an unqualified ARN. */
static const char *qualifier(const char *arn)
{
	const char *p = strstr(arn, ":stateMachine:");

	if (!p)
		return NULL;
	p = strchr(p + strlen(":stateMachine:"), ':');
	return p ? p + 1 : NULL;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static int get_res(struct svc *s, const char *arn, const char *kind, struct store_res *r, json_t **body)
{
	memset(r, 0, sizeof *r);
	*body = NULL;
	if (store_res_get(s->store, arn, r, NULL) || strcmp(r->kind, kind))
		goto no;
	*body = json_loads(r->body, 0, NULL);
	if (*body)
		return 0;
no:
	store_res_free(r);
	memset(r, 0, sizeof *r);
	return -1;
}

void svc_sfn_target_free(struct svc_sfn_target *t)
{
	store_res_free(&t->res);
	json_decref(t->body);
	free(t->base);
	free(t->qualified);
	free(t->version);
	memset(t, 0, sizeof *t);
}

/* Pick one of an alias's versions by weight. */
static const char *route(json_t *routes)
{
	unsigned char b = 0;
	int pick, acc = 0;
	size_t i;
	json_t *r;

	if (getrandom(&b, 1, 0) != 1)
		b = (unsigned char)now_us();
	pick = b % 100;
	json_array_foreach(routes, i, r) {
		acc += (int)json_integer_value(json_object_get(r, "weight"));
		if (pick < acc)
			return json_string_value(json_object_get(r, "stateMachineVersionArn"));
	}
	r = json_array_get(routes, 0);
	return json_string_value(json_object_get(r, "stateMachineVersionArn"));
}

int svc_sfn_resolve(struct svc *s, const char *arn, struct svc_sfn_target *t, struct err *e)
{
	const char *q = qualifier(arn);
	struct store_res ar = { 0 };
	json_t *ab = NULL;
	const char *v;

	memset(t, 0, sizeof *t);
	if (!q) {
		if (get_res(s, arn, "state-machine", &t->res, &t->body))
			goto missing;
		t->base = strdup(arn);
		return t->base ? 0 : err_setn(e, "ServiceException", "out of memory");
	}
	t->qualified = strdup(arn);
	t->base = strndup(arn, (size_t)(q - 1 - arn));
	if (!t->qualified || !t->base)
		goto oom;
	if (all_digits(q)) {
		if (get_res(s, arn, "state-machine-version", &t->res, &t->body))
			goto missing;
		t->version = strdup(arn);
		return t->version ? 0 : err_setn(e, "ServiceException", "out of memory");
	}
	if (get_res(s, arn, "state-machine-alias", &ar, &ab))
		goto missing;
	v = route(json_object_get(ab, "routingConfiguration"));
	if (!v || get_res(s, v, "state-machine-version", &t->res, &t->body)) {
		err_setn(e, "StateMachineDoesNotExist", "State Machine Does Not Exist: '%.300s' (its version '%.300s')",
			 arn, v ? v : "");
		goto fail;
	}
	t->version = strdup(v);
	store_res_free(&ar);
	json_decref(ab);
	return t->version ? 0 : err_setn(e, "ServiceException", "out of memory");
oom:
	err_setn(e, "ServiceException", "out of memory");
	goto fail;
missing:
	err_setn(e, "StateMachineDoesNotExist", "State Machine Does Not Exist: '%.300s'", arn);
fail:
	store_res_free(&ar);
	json_decref(ab);
	svc_sfn_target_free(t);
	return -1;
}

/* ---- versions ---------------------------------------------------------------------- */

static int cmp_version_desc(const void *a, const void *b)
{
	int64_t x = ((const struct store_res *)a)->created_us, y = ((const struct store_res *)b)->created_us;
	const char *ka = strrchr(((const struct store_res *)a)->arn, ':');
	const char *kb = strrchr(((const struct store_res *)b)->arn, ':');
	long na = ka ? atol(ka + 1) : 0, nb = kb ? atol(kb + 1) : 0;

	if (na != nb)
		return na < nb ? 1 : -1;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Every resource of a kind under a parent (at most `max`). */
static int list_all(struct svc *s, const char *kind, const char *parent, size_t max,
		    struct store_res **out, size_t *n, struct err *e)
{
	struct store_res *all = NULL, *v = NULL;
	size_t na = 0, nv = 0;
	char *tok = NULL, *next = NULL;

	*out = NULL;
	*n = 0;
	do {
		struct store_res *grown;

		if (store_res_list(s->store, kind, parent, tok, 1000, &v, &nv, &next, e)) {
			free(tok);
			store_res_list_free(all, na);
			return -1;
		}
		free(tok);
		tok = next;
		grown = nv ? realloc(all, (na + nv) * sizeof *all) : all;
		if (nv && !grown) {
			store_res_list_free(v, nv);
			store_res_list_free(all, na);
			free(tok);
			return err_setn(e, "ServiceException", "out of memory");
		}
		all = grown;
		if (nv)
			memcpy(all + na, v, nv * sizeof *v);
		na += nv;
		free(v);   /* the elements moved into `all` */
		v = NULL;
	} while (tok && na < max + 1000);
	free(tok);
	*out = all;
	*n = na;
	return 0;
}

/* A page of `n` sorted items as offsets: token "N" → start at N. */
static int page(json_t *req, size_t n, size_t *from, size_t *to, bool *more, struct err *e)
{
	json_t *mr = json_object_get(req, "maxResults");
	json_t *nt = json_object_get(req, "nextToken");
	long long lim = 100, start = 0;

	if (mr && (!json_is_integer(mr) || json_integer_value(mr) < 0 || json_integer_value(mr) > 1000))
		return err_setn(e, "ValidationException", "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000");
	if (mr && json_integer_value(mr) > 0)
		lim = json_integer_value(mr);
	if (nt && !json_is_null(nt)) {
		char *end;

		if (!json_is_string(nt) || !*json_string_value(nt))
			return err_setn(e, "InvalidToken", "Invalid Token: the token is not a string");
		start = strtoll(json_string_value(nt), &end, 10);
		if (*end || start < 0 || (size_t)start > n)
			return err_setn(e, "InvalidToken", "Invalid Token: '%.64s'", json_string_value(nt));
	}
	*from = (size_t)start;
	*to = (size_t)start + (size_t)lim < n ? (size_t)start + (size_t)lim : n;
	*more = *to < n;
	return 0;
}

static void set_token(json_t *resp, bool more, size_t to)
{
	char tok[32];

	if (!more)
		return;
	snprintf(tok, sizeof tok, "%zu", to);
	json_object_set_new(resp, "nextToken", json_string(tok));
}

/* Publish the state machine's current revision (idempotent per revision). */
int svc_sfn_publish(struct svc *s, const char *sm_arn, const char *desc, const char *want_rev,
		    char **varn, int64_t *created, struct err *e)
{
	struct store_res r = { 0 }, old = { 0 };
	json_t *body = NULL, *vb = NULL, *ob = NULL;
	const char *rev, *pub;
	char *text = NULL, *vtext = NULL, res[64];
	int64_t n = 0, now = now_us();
	struct store_res vr = { 0 };
	struct store_res *all = NULL;
	size_t nall = 0;
	int rc = -1;

	*varn = NULL;
	if (get_res(s, sm_arn, "state-machine", &r, &body))
		return err_setn(e, "StateMachineDoesNotExist", "State Machine Does Not Exist: '%.300s'", sm_arn);
	rev = json_string_value(json_object_get(body, "revisionId"));
	if (want_rev && (!rev || strcmp(want_rev, rev))) {
		err_setn(e, "ConflictException", "Failed to publish the State Machine version: the revisionId '%.100s' is not the current revision '%s'",
			 want_rev, rev ? rev : "");
		goto out;
	}
	pub = json_string_value(json_object_get(body, "publishedRevision"));
	if (rev && pub && !strcmp(rev, pub) &&
	    !get_res(s, json_string_value(json_object_get(body, "publishedVersionArn")) ?: "",
		     "state-machine-version", &old, &ob)) {
		/* this revision is published already: the same version (AWS) */
		*varn = strdup(old.arn);
		*created = old.created_us;
		rc = *varn ? 0 : err_setn(e, "ServiceException", "out of memory");
		goto out;
	}
	if (list_all(s, "state-machine-version", sm_arn, VERSIONS_MAX, &all, &nall, e))
		goto out;
	if (nall >= VERSIONS_MAX) {
		err_setn(e, "ServiceQuotaExceededException", "The state machine '%.300s' has %d versions already: delete unused ones with DeleteStateMachineVersion",
			 sm_arn, VERSIONS_MAX);
		goto out;
	}
	if (store_seq_next(s->store, sm_arn, &n, e))
		goto out;
	snprintf(res, sizeof res, ":%lld", (long long)n);
	if (asprintf(varn, "%s%s", sm_arn, res) < 0) {
		*varn = NULL;
		goto oom;
	}
	vb = json_deep_copy(body);
	if (!vb)
		goto oom;
	json_object_del(vb, "tags");
	json_object_del(vb, "publishedRevision");
	json_object_del(vb, "publishedVersionArn");
	json_object_del(vb, "updateUs");
	json_object_set_new(vb, "stateMachineArn", json_string(sm_arn));
	json_object_set_new(vb, "stateMachineVersionArn", json_string(*varn));
	json_object_set_new(vb, "version", json_integer(n));
	json_object_set_new(vb, "creationUs", json_integer(now));
	if (desc)
		json_object_set_new(vb, "description", json_string(desc));
	vtext = json_dumps(vb, JSON_COMPACT);
	if (!vtext)
		goto oom;
	vr.kind = "state-machine-version";
	vr.arn = *varn;
	vr.name = (char *)(json_string_value(json_object_get(body, "name")) ?: "");
	vr.parent = (char *)sm_arn;
	vr.body = vtext;
	if (store_res_create(s->store, &vr, e))
		goto out;
	json_object_set_new(body, "publishedRevision", json_string(rev ? rev : ""));
	json_object_set_new(body, "publishedVersionArn", json_string(*varn));
	text = json_dumps(body, JSON_COMPACT);
	if (!text || store_res_update(s->store, sm_arn, text, r.revision, e)) {
		/* published; only the idempotency record was lost */
		err_clear(e);
	}
	*created = now;
	rc = 0;
	goto out;
oom:
	err_setn(e, "ServiceException", "out of memory");
out:
	if (rc) {
		free(*varn);
		*varn = NULL;
	}
	store_res_list_free(all, nall);
	store_res_free(&r);
	store_res_free(&old);
	json_decref(body);
	json_decref(vb);
	json_decref(ob);
	free(text);
	free(vtext);
	return rc;
}

static int act_publish(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *arn = svc_str(req, "stateMachineArn", true, 256, e), *rev, *desc;
	char *varn = NULL;
	int64_t created = 0;

	if (!arn)
		return -1;
	rev = svc_str(req, "revisionId", false, 64, e);
	if (e->type[0])
		return -1;
	desc = svc_str(req, "description", false, 256, e);
	if (e->type[0] || svc_sfn_check_arn(arn, "stateMachine", e))
		return -1;
	if (qualifier(arn))
		return err_setn(e, "ValidationException", "The state machine ARN must not be qualified: '%.300s'", arn);
	if (svc_sfn_publish(s, arn, desc, rev, &varn, &created, e))
		return -1;
	*resp = json_pack("{s:o, s:s}", "creationDate", svc_time(created), "stateMachineVersionArn", varn);
	free(varn);
	return 0;
}

static int act_list_versions(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *arn = svc_str(req, "stateMachineArn", true, 256, e);
	struct store_res *all = NULL;
	size_t n = 0, from, to, i;
	bool more;
	json_t *arr;

	if (!arn || svc_sfn_check_arn(arn, "stateMachine", e))
		return -1;
	if (qualifier(arn))
		return err_setn(e, "ValidationException", "The state machine ARN must not be qualified: '%.300s'", arn);
	if (list_all(s, "state-machine-version", arn, VERSIONS_MAX, &all, &n, e))
		return -1;
	qsort(all, n, sizeof *all, cmp_version_desc);
	if (page(req, n, &from, &to, &more, e)) {
		store_res_list_free(all, n);
		return -1;
	}
	arr = json_array();
	for (i = from; i < to; i++)
		json_array_append_new(arr, json_pack("{s:s, s:o}", "stateMachineVersionArn", all[i].arn,
						     "creationDate", svc_time(all[i].created_us)));
	*resp = json_pack("{s:o}", "stateMachineVersions", arr);
	set_token(*resp, more, to);
	store_res_list_free(all, n);
	return 0;
}

/* Does an alias of this state machine route to `varn`? Its ARN, malloc'd. */
static char *alias_using(struct svc *s, const char *sm_arn, const char *varn)
{
	struct store_res *all = NULL;
	size_t n = 0, i, j;
	char *found = NULL;
	struct err e;

	if (list_all(s, "state-machine-alias", sm_arn, ALIASES_MAX, &all, &n, &e))
		return NULL;
	for (i = 0; i < n && !found; i++) {
		json_t *b = json_loads(all[i].body, 0, NULL), *r;

		json_array_foreach(json_object_get(b, "routingConfiguration"), j, r)
			if (!strcmp(json_string_value(json_object_get(r, "stateMachineVersionArn")) ?: "", varn))
				found = strdup(all[i].arn);
		json_decref(b);
	}
	store_res_list_free(all, n);
	return found;
}

static int act_delete_version(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *arn = svc_str(req, "stateMachineVersionArn", true, 2048, e), *q;
	struct store_res r;
	json_t *b = NULL;
	char *alias, *base;
	struct err ig;

	(void)resp;
	if (!arn || svc_sfn_check_arn(arn, "stateMachine", e))
		return -1;
	q = qualifier(arn);
	if (!q || !all_digits(q))
		return err_setn(e, "ValidationException", "'%.300s' is not a state machine version ARN", arn);
	if (get_res(s, arn, "state-machine-version", &r, &b))
		return 0;   /* deleting a missing version succeeds (AWS) */
	base = strndup(arn, (size_t)(q - 1 - arn));
	alias = base ? alias_using(s, base, arn) : NULL;
	free(base);
	json_decref(b);
	store_res_free(&r);
	if (alias) {
		err_setn(e, "ConflictException", "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [%.300s]",
			 alias);
		free(alias);
		return -1;
	}
	store_res_delete(s->store, arn, &ig);
	return 0;
}

/* Remove every version and alias of a state machine (DeleteStateMachine). */
void svc_sfn_delete_children(struct svc *s, const char *sm_arn)
{
	static const char *const kinds[] = { "state-machine-alias", "state-machine-version" };
	struct store_res *all = NULL;
	size_t n = 0, i, k;
	struct err e;

	for (k = 0; k < 2; k++) {
		if (list_all(s, kinds[k], sm_arn, VERSIONS_MAX, &all, &n, &e))
			continue;
		for (i = 0; i < n; i++)
			store_res_delete(s->store, all[i].arn, &e);
		store_res_list_free(all, n);
	}
}

/* ---- aliases ------------------------------------------------------------------------- */

/* A routingConfiguration: 1 or 2 versions of `sm_arn` (when known) with
 * weights 0-100 summing to 100, each existing. A new reference. */
static json_t *check_routes(struct svc *s, json_t *rc, const char *sm_arn, char **base_out,
			    struct err *e)
{
	size_t i, n = json_array_size(rc);
	int sum = 0;
	json_t *r, *out = NULL;
	char *base = NULL;

	if (!json_is_array(rc) || n < 1 || n > ROUTES_MAX) {
		err_setn(e, "ValidationException", "1 validation error detected: Value at 'routingConfiguration' failed to satisfy constraint: Member must have length between 1 and %d",
			 ROUTES_MAX);
		return NULL;
	}
	out = json_array();
	json_array_foreach(rc, i, r) {
		json_t *v = json_object_get(r, "stateMachineVersionArn"), *w = json_object_get(r, "weight");
		const char *q;
		struct store_res vr;
		json_t *vb;

		if (!json_is_object(r) || !json_is_string(v) || !json_is_integer(w) ||
		    json_integer_value(w) < 0 || json_integer_value(w) > 100) {
			err_setn(e, "ValidationException", "each routingConfiguration entry needs a stateMachineVersionArn and a weight from 0 to 100");
			goto fail;
		}
		if (svc_sfn_check_arn(json_string_value(v), "stateMachine", e))
			goto fail;
		q = qualifier(json_string_value(v));
		if (!q || !all_digits(q)) {
			err_setn(e, "ValidationException", "Routing configuration must contain state machine version ARNs: '%.300s'",
				 json_string_value(v));
			goto fail;
		}
		if (!base)
			base = strndup(json_string_value(v), (size_t)(q - 1 - json_string_value(v)));
		if (!base || strncmp(json_string_value(v), base, strlen(base)) ||
		    json_string_value(v)[strlen(base)] != ':' || (sm_arn && strcmp(base, sm_arn))) {
			err_setn(e, "ValidationException", "Routing configuration must contain versions of the same state machine");
			goto fail;
		}
		if (i == 1 && !strcmp(json_string_value(v), json_string_value(json_object_get(json_array_get(rc, 0), "stateMachineVersionArn")))) {
			err_setn(e, "ValidationException", "Routing configuration must contain distinct state machine version ARNs");
			goto fail;
		}
		if (get_res(s, json_string_value(v), "state-machine-version", &vr, &vb)) {
			err_setn(e, "ResourceNotFound", "Resource not found: '%.300s'", json_string_value(v));
			goto fail;
		}
		json_decref(vb);
		store_res_free(&vr);
		sum += (int)json_integer_value(w);
		json_array_append_new(out, json_pack("{s:O, s:O}", "stateMachineVersionArn", v, "weight", w));
	}
	if (sum != 100) {
		err_setn(e, "ValidationException", "Sum of routing configuration weights must equal 100, it is %d", sum);
		goto fail;
	}
	if (base_out)
		*base_out = base;
	else
		free(base);
	return out;
fail:
	free(base);
	json_decref(out);
	return NULL;
}

static int alias_name_ok(const char *name, struct err *e)
{
	bool letter = false;
	size_t n = strlen(name);

	if (n < 1 || n > 80)
		return err_setn(e, "ValidationException", "1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length between 1 and 80");
	for (const char *p = name; *p; p++) {
		if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.'))
			return err_setn(e, "InvalidName", "Invalid Name: '%.100s'", name);
		if (!isdigit((unsigned char)*p))
			letter = true;
	}
	if (!letter)
		return err_setn(e, "InvalidName", "Invalid Name: '%.100s' (an alias name must not be a number)", name);
	return 0;
}

static int act_create_alias(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *name = svc_str(req, "name", true, 80, e), *desc;
	json_t *routes = NULL, *body = NULL, *smb = NULL, *ob = NULL;
	struct store_res r = { 0 }, sm = { 0 }, old = { 0 };
	struct store_res *all = NULL;
	size_t nall = 0;
	char *base = NULL, *arn = NULL;
	int64_t now = now_us();
	int rc = -1;

	if (!name)
		return -1;
	desc = svc_str(req, "description", false, 256, e);
	if (e->type[0] || alias_name_ok(name, e))
		return -1;
	if (!json_object_get(req, "routingConfiguration"))
		return err_setn(e, "ValidationException", "1 validation error detected: Value null at 'routingConfiguration' failed to satisfy constraint: Member must not be null");
	routes = check_routes(s, json_object_get(req, "routingConfiguration"), NULL, &base, e);
	if (!routes)
		return -1;
	if (get_res(s, base, "state-machine", &sm, &smb)) {
		err_setn(e, "ResourceNotFound", "Resource not found: '%.300s'", base);
		goto out;
	}
	if (asprintf(&arn, "%s:%s", base, name) < 0) {
		arn = NULL;
		goto oom;
	}
	if (list_all(s, "state-machine-alias", base, ALIASES_MAX, &all, &nall, e))
		goto out;
	body = json_pack("{s:s, s:s, s:O, s:I, s:I}", "stateMachineAliasArn", arn, "name", name,
			 "routingConfiguration", routes, "creationUs", (json_int_t)now, "updateUs", (json_int_t)now);
	if (!body)
		goto oom;
	if (desc)
		json_object_set_new(body, "description", json_string(desc));
	if (!get_res(s, arn, "state-machine-alias", &old, &ob)) {
		/* idempotent on the same description and routing */
		bool same = ob && json_equal(json_object_get(ob, "routingConfiguration"), routes) &&
			    !strcmp(json_string_value(json_object_get(ob, "description")) ?: "", desc ? desc : "");

		if (same)
			*resp = json_pack("{s:s, s:o}", "stateMachineAliasArn", arn, "creationDate",
					  svc_time(old.created_us));
		else
			err_setn(e, "ConflictException", "Failed to create alias because an alias with the same name and a different routing configuration already exists: '%.300s'",
				 arn);
		rc = same ? 0 : -1;
		goto out;
	}
	if (nall >= ALIASES_MAX) {
		err_setn(e, "ServiceQuotaExceededException", "The state machine has %d aliases already", ALIASES_MAX);
		goto out;
	}
	r.kind = "state-machine-alias";
	r.arn = arn;
	r.name = (char *)name;
	r.parent = base;
	r.body = json_dumps(body, JSON_COMPACT);
	if (!r.body)
		goto oom;
	if (store_res_create(s->store, &r, e)) {
		if (!strcmp(e->type, "ResourceConflictException"))
			err_setn(e, "ConflictException", "an alias named '%.100s' was created at the same time", name);
		goto out;
	}
	*resp = json_pack("{s:s, s:o}", "stateMachineAliasArn", arn, "creationDate", svc_time(now));
	rc = 0;
	goto out;
oom:
	err_setn(e, "ServiceException", "out of memory");
out:
	free(r.body);
	store_res_list_free(all, nall);
	store_res_free(&sm);
	store_res_free(&old);
	json_decref(smb);
	json_decref(ob);
	json_decref(routes);
	json_decref(body);
	free(base);
	free(arn);
	return rc;
}

static int get_alias(struct svc *s, json_t *req, struct store_res *r, json_t **b, struct err *e)
{
	const char *arn = svc_str(req, "stateMachineAliasArn", true, 256, e), *q;

	memset(r, 0, sizeof *r);
	*b = NULL;
	if (!arn || svc_sfn_check_arn(arn, "stateMachine", e))
		return -1;
	q = qualifier(arn);
	if (!q || all_digits(q))
		return err_setn(e, "InvalidArn", "Invalid Arn: '%.300s' is not a state machine alias ARN", arn);
	if (get_res(s, arn, "state-machine-alias", r, b))
		return err_setn(e, "ResourceNotFound", "Resource not found: '%.300s'", arn);
	return 0;
}

static json_t *alias_public(const struct store_res *r, json_t *b)
{
	json_t *o = json_deep_copy(b);

	json_object_del(o, "creationUs");
	json_object_del(o, "updateUs");
	json_object_set_new(o, "creationDate", svc_time(json_integer_value(json_object_get(b, "creationUs"))));
	json_object_set_new(o, "updateDate", svc_time(json_integer_value(json_object_get(b, "updateUs"))));
	(void)r;
	return o;
}

static int act_describe_alias(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_res r;
	json_t *b;

	if (get_alias(s, req, &r, &b, e))
		return -1;
	*resp = alias_public(&r, b);
	json_decref(b);
	store_res_free(&r);
	return 0;
}

static int act_update_alias(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_res r;
	json_t *b, *routes = NULL, *rcj = json_object_get(req, "routingConfiguration");
	const char *desc = svc_str(req, "description", false, 256, e);
	int64_t now = now_us();
	char *text = NULL, *base;
	int rc = -1;

	if (e->type[0])
		return -1;
	if (!desc && !rcj)
		return err_setn(e, "ValidationException", "Either the description or the routingConfiguration must be given");
	if (get_alias(s, req, &r, &b, e))
		return -1;
	base = strndup(r.arn, (size_t)(qualifier(r.arn) - 1 - r.arn));
	if (rcj) {
		routes = base ? check_routes(s, rcj, base, NULL, e) : NULL;
		if (!routes)
			goto out;
		json_object_set(b, "routingConfiguration", routes);
	}
	if (desc)
		json_object_set_new(b, "description", json_string(desc));
	json_object_set_new(b, "updateUs", json_integer(now));
	text = json_dumps(b, JSON_COMPACT);
	if (!text || store_res_update(s->store, r.arn, text, r.revision, e)) {
		if (!e->type[0] || !strcmp(e->type, "StoreConflict"))
			err_setn(e, "ConflictException", "the alias was changed at the same time");
		goto out;
	}
	*resp = json_pack("{s:o}", "updateDate", svc_time(now));
	rc = 0;
out:
	free(base);
	free(text);
	json_decref(routes);
	json_decref(b);
	store_res_free(&r);
	return rc;
}

static int act_delete_alias(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_res r;
	json_t *b;
	struct err ig;

	(void)resp;
	if (get_alias(s, req, &r, &b, e))
		return -1;
	store_res_delete(s->store, r.arn, &ig);
	json_decref(b);
	store_res_free(&r);
	return 0;
}

static int act_list_aliases(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *arn = svc_str(req, "stateMachineArn", true, 256, e), *q;
	struct store_res *all = NULL, sm;
	json_t *smb, *arr;
	size_t n = 0, from, to, i;
	char *base;
	bool more;

	if (!arn || svc_sfn_check_arn(arn, "stateMachine", e))
		return -1;
	q = qualifier(arn);
	if (q && !all_digits(q))
		return err_setn(e, "InvalidArn", "Invalid Arn: '%.300s' (an alias ARN)", arn);
	base = q ? strndup(arn, (size_t)(q - 1 - arn)) : strdup(arn);
	if (!base)
		return err_setn(e, "ServiceException", "out of memory");
	if (get_res(s, q ? arn : base, q ? "state-machine-version" : "state-machine", &sm, &smb)) {
		free(base);
		return q ? err_setn(e, "ResourceNotFound", "Resource not found: '%.300s'", arn)
			 : err_setn(e, "StateMachineDoesNotExist", "State Machine Does Not Exist: '%.300s'", arn);
	}
	json_decref(smb);
	store_res_free(&sm);
	if (list_all(s, "state-machine-alias", base, ALIASES_MAX, &all, &n, e)) {
		free(base);
		return -1;
	}
	free(base);
	/* newest first; with a version ARN, only the aliases routing to it */
	if (q) {
		size_t k = 0;

		for (i = 0; i < n; i++) {
			json_t *b = json_loads(all[i].body, 0, NULL), *r;
			size_t j;
			bool uses = false;

			json_array_foreach(json_object_get(b, "routingConfiguration"), j, r)
				uses |= !strcmp(json_string_value(json_object_get(r, "stateMachineVersionArn")) ?: "", arn);
			json_decref(b);
			if (uses) {
				struct store_res t = all[k];

				all[k++] = all[i];
				all[i] = t;
			}
		}
		for (i = k; i < n; i++)
			store_res_free(&all[i]);
		n = k;
	}
	for (i = 0; i < n / 2; i++) {
		struct store_res t = all[i];

		all[i] = all[n - 1 - i];
		all[n - 1 - i] = t;
	}
	if (page(req, n, &from, &to, &more, e)) {
		store_res_list_free(all, n);
		return -1;
	}
	arr = json_array();
	for (i = from; i < to; i++)
		json_array_append_new(arr, json_pack("{s:s, s:o}", "stateMachineAliasArn", all[i].arn,
						     "creationDate", svc_time(all[i].created_us)));
	*resp = json_pack("{s:o}", "stateMachineAliases", arr);
	set_token(*resp, more, to);
	store_res_list_free(all, n);
	return 0;
}

/* ---- tags ------------------------------------------------------------------------------ */

static int tag_target(struct svc *s, json_t *req, struct store_res *r, json_t **b, struct err *e)
{
	const char *arn = svc_str(req, "resourceArn", true, 256, e);

	memset(r, 0, sizeof *r);
	*b = NULL;
	if (!arn || svc_sfn_check_arn(arn, "stateMachine|activity", e))
		return -1;
	if (qualifier(arn))
		return err_setn(e, "InvalidArn", "Invalid Arn: 'Tags can only be added to state machines and activities: %.300s'", arn);
	if (get_res(s, arn, "state-machine", r, b))
		return err_setn(e, "ResourceNotFound", "Resource not found: '%.300s'", arn);
	return 0;
}

/* A tag list as AWS takes it: [{key, value}], keys 1-128, values 0-256
 * characters. */
int svc_sfn_check_tags(json_t *tags, struct err *e)
{
	size_t i;
	json_t *t;

	if (!json_is_array(tags))
		return err_setn(e, "ValidationException", "'tags' must be a list of {key, value}");
	json_array_foreach(tags, i, t) {
		json_t *k = json_object_get(t, "key"), *v = json_object_get(t, "value");

		if (!json_is_string(k) || json_string_length(k) < 1 || json_string_length(k) > 128)
			return err_setn(e, "ValidationException", "1 validation error detected: Value at 'tags.%zu.member.key' failed to satisfy constraint: Member must have length between 1 and 128",
					i + 1);
		if (v && !json_is_null(v) && (!json_is_string(v) || json_string_length(v) > 256))
			return err_setn(e, "ValidationException", "1 validation error detected: Value at 'tags.%zu.member.value' failed to satisfy constraint: Member must have length less than or equal to 256",
					i + 1);
	}
	return 0;
}

/* Merge `add` into the body's tags (a key again replaces its value).
 * TooManyTags over TAGS_MAX. */
int svc_sfn_merge_tags(json_t *body, json_t *add, const char *arn, struct err *e)
{
	json_t *cur = json_object_get(body, "tags"), *next = json_array(), *t;
	size_t i, j;

	json_array_foreach(cur, i, t)
		json_array_append(next, t);
	json_array_foreach(add, i, t) {
		json_t *c;
		bool found = false;

		json_array_foreach(next, j, c)
			if (json_equal(json_object_get(c, "key"), json_object_get(t, "key"))) {
				json_object_set(c, "value", json_object_get(t, "value") ?: json_string(""));
				found = true;
			}
		if (!found)
			json_array_append_new(next, json_pack("{s:O, s:s}", "key", json_object_get(t, "key"), "value",
							      json_string_value(json_object_get(t, "value")) ?: ""));
	}
	if (json_array_size(next) > TAGS_MAX) {
		json_decref(next);
		return err_setn(e, "TooManyTags", "Too many tags: '%.300s' would have %zu, the limit is %d",
				arn, json_array_size(cur) + json_array_size(add), TAGS_MAX);
	}
	json_object_set_new(body, "tags", next);
	return 0;
}

static int save(struct svc *s, const struct store_res *r, json_t *b, struct err *e)
{
	char *text = json_dumps(b, JSON_COMPACT);
	int rc;

	if (!text)
		return err_setn(e, "ServiceException", "out of memory");
	rc = store_res_update(s->store, r->arn, text, r->revision, e);
	if (rc && !strcmp(e->type, "StoreConflict"))
		err_setn(e, "ConflictException", "the resource was changed at the same time: try again");
	free(text);
	return rc;
}

static int act_tag(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_res r;
	json_t *b, *tags = json_object_get(req, "tags");
	int rc = -1;

	(void)resp;
	if (!tags)
		return err_setn(e, "ValidationException", "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
	if (svc_sfn_check_tags(tags, e) || tag_target(s, req, &r, &b, e))
		return -1;
	if (!svc_sfn_merge_tags(b, tags, r.arn, e)) {
		if (!strcmp(e->type, "TooManyTags"))
			goto out;
		rc = save(s, &r, b, e);
	}
out:
	json_decref(b);
	store_res_free(&r);
	return rc;
}

static int act_untag(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_res r;
	json_t *b, *keys = json_object_get(req, "tagKeys"), *next, *t, *k;
	size_t i, j;
	int rc;

	(void)resp;
	if (!json_is_array(keys))
		return err_setn(e, "ValidationException", "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
	json_array_foreach(keys, i, k)
		if (!json_is_string(k) || json_string_length(k) < 1 || json_string_length(k) > 128)
			return err_setn(e, "ValidationException", "tagKeys must be strings of 1 to 128 characters");
	if (tag_target(s, req, &r, &b, e))
		return -1;
	next = json_array();
	json_array_foreach(json_object_get(b, "tags"), i, t) {
		bool drop = false;

		json_array_foreach(keys, j, k)
			drop |= json_equal(k, json_object_get(t, "key"));
		if (!drop)
			json_array_append(next, t);
	}
	json_object_set_new(b, "tags", next);
	rc = save(s, &r, b, e);
	json_decref(b);
	store_res_free(&r);
	return rc;
}

static int act_list_tags(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	struct store_res r;
	json_t *b, *tags;

	if (tag_target(s, req, &r, &b, e))
		return -1;
	tags = json_object_get(b, "tags");
	*resp = json_pack("{s:O}", "tags", tags ? tags : json_array());
	json_decref(b);
	store_res_free(&r);
	return 0;
}

const struct svc_action svc_sfn_version_actions[] = {
	{ "AWSStepFunctions.PublishStateMachineVersion", act_publish, SVC_WRITE },
	{ "AWSStepFunctions.ListStateMachineVersions", act_list_versions, SVC_READ },
	{ "AWSStepFunctions.DeleteStateMachineVersion", act_delete_version, SVC_WRITE },
	{ "AWSStepFunctions.CreateStateMachineAlias", act_create_alias, SVC_WRITE },
	{ "AWSStepFunctions.DescribeStateMachineAlias", act_describe_alias, SVC_READ },
	{ "AWSStepFunctions.UpdateStateMachineAlias", act_update_alias, SVC_WRITE },
	{ "AWSStepFunctions.DeleteStateMachineAlias", act_delete_alias, SVC_WRITE },
	{ "AWSStepFunctions.ListStateMachineAliases", act_list_aliases, SVC_READ },
	{ "AWSStepFunctions.TagResource", act_tag, SVC_WRITE },
	{ "AWSStepFunctions.UntagResource", act_untag, SVC_WRITE },
	{ "AWSStepFunctions.ListTagsForResource", act_list_tags, SVC_READ },
	{ NULL, NULL, 0 },
};
