/* svc_lambda_res — the Lambda API's aliases, reserved concurrency and
 * layers (svc_lambda.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fnconf.h"
#include "fsutil.h"
#include "registry.h"
#include "svc_lambda_int.h"

#define ALIAS_MAX 128

static int err1(struct http_response *resp, const char *type, const char *fmt, const char *arg)
{
	struct err e = { 0 };

	err_setn(&e, type, fmt, arg);
	return lambda_error(resp, &e);
}

static int no_content(struct http_response *resp)
{
	free(resp->body);
	resp->body = NULL;
	resp->len = 0;
	resp->status = 204;
	return 0;
}

static int unknown_op(struct lreq *q)
{
	return err1(q->resp, "UnknownOperationException", "no Lambda operation is %.300s", q->hr->path);
}

/* ---- aliases: store resources "lambda-alias", parent the function's ARN ---------------- */

static bool valid_alias(const char *a)
{
	size_t n = strlen(a);

	if (!n || n > ALIAS_MAX || strspn(a, "0123456789") == n)
		return false;
	for (const char *p = a; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return false;
	return true;
}

/* FunctionVersion must name an existing version of `name`. */
static int check_version(struct svc *s, const char *name, const char *ver, struct err *e)
{
	char ref[LAMBDA_REF_MAX];
	json_t *j = NULL;

	if (strcmp(ver, "$LATEST") && (!*ver || strspn(ver, "0123456789") != strlen(ver)))
		return err_setn(e, "InvalidParameterValueException",
				"FunctionVersion must be $LATEST or a version number, not '%.40s'", ver);
	if (!strcmp(ver, "$LATEST"))
		snprintf(ref, sizeof ref, "%s", name);
	else
		snprintf(ref, sizeof ref, "%s:%s", name, ver);
	if (registry_function_get_json(s->reg, ref, &j, e))
		return -1;
	json_decref(j);
	return 0;
}

static json_t *alias_out(const struct store_res *r)
{
	json_t *j = json_loads(r->body, 0, NULL);
	char rev[32];

	if (!json_is_object(j)) {
		json_decref(j);
		return NULL;
	}
	snprintf(rev, sizeof rev, "%lld", (long long)r->revision);
	json_object_set_new(j, "RevisionId", json_string(rev));
	return j;
}

static int alias_answer(struct lreq *q, const char *arn, unsigned status)
{
	struct store_res r = { 0 };
	struct err e = { 0 };
	json_t *j;
	int rc;

	if (store_res_get(q->s->store, arn, &r, &e)) {
		err_setn(&e, "ResourceNotFoundException", "Alias not found: %s", arn);
		return lambda_error(q->resp, &e);
	}
	j = alias_out(&r);
	rc = j ? lambda_json(q->resp, status, j) : err1(q->resp, "ServiceException", "alias %s is damaged", arn);
	json_decref(j);
	store_res_free(&r);
	return rc;
}

/* Description and RoutingConfig (only an empty one: tutti does not split
 * traffic between versions). */
static int alias_fields(json_t *body, json_t *doc, struct err *e)
{
	json_t *d = json_object_get(body, "Description"), *rc = json_object_get(body, "RoutingConfig");

	if (d && !json_is_null(d)) {
		if (!json_is_string(d) || json_string_length(d) > REGISTRY_DESC_MAX)
			return err_setn(e, "InvalidParameterValueException", "Description must be a string of at most %d bytes",
					REGISTRY_DESC_MAX);
		json_object_set(doc, "Description", d);
	}
	if (rc && !json_is_null(rc)) {
		json_t *w = json_object_get(rc, "AdditionalVersionWeights");

		if (!json_is_object(rc) || (w && !json_is_null(w) && (!json_is_object(w) || json_object_size(w))))
			return err_setn(e, "InvalidParameterValueException",
					"RoutingConfig with AdditionalVersionWeights is not supported by tutti");
	}
	return 0;
}

static int alias_create(struct lreq *q, const struct lref *fn)
{
	struct err e = { 0 };
	const char *name = svc_str(q->body, "Name", true, ALIAS_MAX, &e);
	const char *ver = name ? svc_str(q->body, "FunctionVersion", true, 32, &e) : NULL;
	char *arn = NULL, *parent = NULL, *body = NULL;
	struct store_res r = { 0 };
	json_t *doc = NULL;
	int rc;

	if (!ver)
		goto fail;
	if (!valid_alias(name)) {
		err_setn(&e, "InvalidParameterValueException",
			 "invalid alias name '%.130s' (1-128 of A-Z a-z 0-9 - _, not only digits)", name);
		goto fail;
	}
	if (check_version(q->s, fn->name, ver, &e))
		goto fail;
	arn = lambda_fn_arn(q->s, fn->name, name);
	parent = lambda_fn_arn(q->s, fn->name, NULL);
	doc = json_pack("{s:s,s:s,s:s,s:s}", "AliasArn", arn ? arn : "", "Name", name, "FunctionVersion", ver,
			"Description", "");
	if (!arn || !parent || !doc || alias_fields(q->body, doc, &e))
		goto fail;
	body = json_dumps(doc, JSON_COMPACT);
	r.kind = (char *)LAMBDA_KIND_ALIAS;
	r.arn = arn;
	r.name = (char *)name;
	r.parent = parent;
	r.body = body;
	if (store_res_create(q->s->store, &r, &e)) {
		if (!strcmp(e.type, "ResourceConflictException"))
			err_setn(&e, "ResourceConflictException", "Alias already exists: %s", arn);
		goto fail;
	}
	rc = alias_answer(q, arn, 201);
	goto out;
fail:
	rc = lambda_error(q->resp, &e);
out:
	free(arn);
	free(parent);
	free(body);
	json_decref(doc);
	return rc;
}

static int alias_update(struct lreq *q, const struct lref *fn, const char *alias)
{
	struct err e = { 0 };
	char *arn = lambda_fn_arn(q->s, fn->name, alias), *body = NULL;
	struct store_res r = { 0 };
	json_t *doc = NULL, *ver = json_object_get(q->body, "FunctionVersion");
	const char *rev = json_string_value(json_object_get(q->body, "RevisionId"));
	char have[32];
	int rc;

	if (!arn || store_res_get(q->s->store, arn, &r, &e)) {
		err_setn(&e, "ResourceNotFoundException", "Alias not found: %s", arn ? arn : alias);
		goto fail;
	}
	snprintf(have, sizeof have, "%lld", (long long)r.revision);
	if (rev && strcmp(rev, have)) {
		err_setn(&e, "PreconditionFailedException",
			 "The Revision Id provided does not match the latest Revision Id. Call the GetAlias API to "
			 "retrieve the latest Revision Id");
		goto fail;
	}
	doc = json_loads(r.body, 0, NULL);
	if (!json_is_object(doc)) {
		err_setn(&e, "ServiceException", "alias %s is damaged", arn);
		goto fail;
	}
	if (ver && !json_is_null(ver)) {
		if (!json_is_string(ver) || check_version(q->s, fn->name, json_string_value(ver), &e)) {
			if (!e.type[0])
				err_setn(&e, "InvalidParameterValueException", "FunctionVersion must be a string");
			goto fail;
		}
		json_object_set(doc, "FunctionVersion", ver);
	}
	if (alias_fields(q->body, doc, &e))
		goto fail;
	body = json_dumps(doc, JSON_COMPACT);
	if (!body || store_res_update(q->s->store, arn, body, r.revision, &e)) {
		if (!strcmp(e.type, "StoreConflict"))
			err_setn(&e, "PreconditionFailedException", "the alias changed meanwhile: call GetAlias");
		goto fail;
	}
	rc = alias_answer(q, arn, 200);
	goto out;
fail:
	rc = lambda_error(q->resp, &e);
out:
	store_res_free(&r);
	free(arn);
	free(body);
	json_decref(doc);
	return rc;
}

static int alias_list(struct lreq *q, const struct lref *fn)
{
	struct err e = { 0 };
	char *parent = lambda_fn_arn(q->s, fn->name, NULL), *next = NULL;
	const char *want = http_query(q->hr, "FunctionVersion"), *mk = http_query(q->hr, "Marker"),
		   *mi = http_query(q->hr, "MaxItems");
	struct store_res *v = NULL;
	size_t n = 0;
	json_t *arr = json_array(), *out = NULL;
	unsigned limit = mi && *mi ? (unsigned)strtoul(mi, NULL, 10) : 50;
	int rc;

	if (!parent || !arr || check_version(q->s, fn->name, "$LATEST", &e))
		goto fail;
	if (limit < 1 || limit > 10000) {
		err_setn(&e, "InvalidParameterValueException", "MaxItems must be from 1 to 10000");
		goto fail;
	}
	if (store_res_list(q->s->store, LAMBDA_KIND_ALIAS, parent, mk && *mk ? mk : NULL, limit, &v, &n, &next,
			   &e)) {
		if (mk && *mk)
			err_setn(&e, "InvalidParameterValueException", "invalid Marker");
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *j = alias_out(&v[i]);

		if (j && (!want || !*want ||
			  !strcmp(want, json_string_value(json_object_get(j, "FunctionVersion")) ?
						json_string_value(json_object_get(j, "FunctionVersion")) : "")))
			json_array_append(arr, j);
		json_decref(j);
	}
	out = json_pack("{s:O}", "Aliases", arr);
	if (out && next)
		json_object_set_new(out, "NextMarker", json_string(next));
	rc = out ? lambda_json(q->resp, 200, out) : -1;
	goto out;
fail:
	rc = lambda_error(q->resp, &e);
out:
	store_res_list_free(v, n);
	free(next);
	free(parent);
	json_decref(arr);
	json_decref(out);
	return rc;
}

void lambda_aliases_drop(struct svc *s, const char *name)
{
	char *parent = lambda_fn_arn(s, name, NULL), *next = NULL;
	struct store_res *v = NULL;
	struct err e = { 0 };
	size_t n = 0;

	if (parent && !store_res_list(s->store, LAMBDA_KIND_ALIAS, parent, NULL, 10000, &v, &n, &next, &e))
		for (size_t i = 0; i < n; i++)
			store_res_delete(s->store, v[i].arn, &e);
	store_res_list_free(v, n);
	free(next);
	free(parent);
}

/* /2015-03-31/functions/NAME/aliases[/ALIAS] */
int lambda_aliases(struct lreq *q)
{
	struct err e = { 0 };
	struct lref fn;
	const char *alias = q->nseg == 5 ? q->seg[4] : NULL;
	char *arn;
	int rc = 0;

	if (q->nseg > 5)
		return unknown_op(q);
	if (lambda_ref(q, q->seg[2], false, &fn, &e))
		return lambda_error(q->resp, &e);
	if (!alias && !strcmp(q->hr->method, "GET"))
		return alias_list(q, &fn);
	if (alias && !valid_alias(alias))
		return err1(q->resp, "InvalidParameterValueException", "invalid alias name '%.130s'", alias);
	if (alias && !strcmp(q->hr->method, "GET")) {
		arn = lambda_fn_arn(q->s, fn.name, alias);
		rc = arn ? alias_answer(q, arn, 200) : -1;
		free(arn);
		return rc;
	}
	if (alias && !strcmp(q->hr->method, "DELETE")) {
		arn = lambda_fn_arn(q->s, fn.name, alias);
		if (arn)
			store_res_delete(q->s->store, arn, &e);   /* absent: 204 too, as Lambda */
		free(arn);
		return arn ? no_content(q->resp) : -1;
	}
	if ((!alias && strcmp(q->hr->method, "POST")) || (alias && strcmp(q->hr->method, "PUT")))
		return unknown_op(q);
	if (q->hr->len) {
		q->body = json_loadb(q->hr->body, q->hr->len, 0, NULL);
		if (!json_is_object(q->body)) {
			json_decref(q->body);
			q->body = NULL;
			return err1(q->resp, "InvalidRequestContentException", "Could not parse request body into json%s",
				    "");
		}
	} else {
		q->body = json_object();
	}
	rc = alias ? alias_update(q, &fn, alias) : alias_create(q, &fn);
	json_decref(q->body);
	q->body = NULL;
	return rc;
}

/* ---- reserved concurrency: "Concurrency" in the lambda-function record ----------------- */

int lambda_concurrency(struct lreq *q)
{
	struct err e = { 0 };
	struct lref fn;
	json_t *meta = NULL, *out = NULL, *probe = NULL;
	long n = -1;
	int rc;

	if (lambda_ref(q, q->seg[2], false, &fn, &e))
		goto fail;
	if (*fn.qual) {
		err_setn(&e, "InvalidParameterValueException", "concurrency is set on the unqualified function");
		goto fail;
	}
	if (registry_function_get_json(q->s->reg, fn.name, &probe, &e))
		goto fail;
	meta = lambda_meta(q->s, fn.name);
	if (!strcmp(q->hr->method, "GET")) {
		out = json_object();
		if (json_is_integer(json_object_get(meta, "Concurrency")))
			json_object_set(out, "ReservedConcurrentExecutions", json_object_get(meta, "Concurrency"));
		rc = lambda_json(q->resp, 200, out);
		goto out;
	}
	if (!strcmp(q->hr->method, "DELETE")) {
		json_object_del(meta, "Concurrency");
		if (lambda_meta_put(q->s, fn.name, meta, &e))
			goto fail;
		rc = no_content(q->resp);
		goto out;
	}
	if (strcmp(q->hr->method, "PUT") || !q->body) {
		rc = unknown_op(q);
		goto out;
	}
	if (lambda_int(q->body, "ReservedConcurrentExecutions", 0, REGISTRY_CONCURRENCY_MAX, &n, &e))
		goto fail;
	if (n < 0) {
		err_setn(&e, "InvalidParameterValueException", "ReservedConcurrentExecutions is required");
		goto fail;
	}
	json_object_set_new(meta, "Concurrency", json_integer(n));
	if (lambda_meta_put(q->s, fn.name, meta, &e))
		goto fail;
	out = json_pack("{s:I}", "ReservedConcurrentExecutions", (json_int_t)n);
	rc = out ? lambda_json(q->resp, 200, out) : -1;
	goto out;
fail:
	rc = lambda_error(q->resp, &e);
out:
	json_decref(probe);
	json_decref(meta);
	json_decref(out);
	return rc;
}

/* ---- layers: the registry's ---------------------------------------------------------------- */

static int layer_publish(struct lreq *q, const char *name)
{
	struct err e = { 0 };
	const char *desc = NULL;
	json_t *out = NULL, *d = json_object_get(q->body, "Description");
	char *dir = NULL;
	static const char *echo[] = { "CompatibleRuntimes", "LicenseInfo", "CompatibleArchitectures" };
	int rc;

	if (d && !json_is_null(d)) {
		if (!json_is_string(d) || json_string_length(d) > REGISTRY_DESC_MAX) {
			err_setn(&e, "InvalidParameterValueException", "Description must be a string of at most %d bytes",
				 REGISTRY_DESC_MAX);
			goto fail;
		}
		desc = json_string_value(d);
	}
	if (lambda_unzip_member(q->s, json_object_get(q->body, "Content"), "ZipFile", &dir, &e) ||
	    registry_layer_publish(q->s->reg, name, dir, desc, &out, &e) < 0)
		goto fail;
	for (size_t i = 0; i < sizeof echo / sizeof *echo; i++)
		if (json_object_get(q->body, echo[i]))
			json_object_set(out, echo[i], json_object_get(q->body, echo[i]));
	rc = lambda_json(q->resp, 201, out);
	goto out;
fail:
	rc = lambda_error(q->resp, &e);
out:
	if (dir) {
		fs_rm_rf(dir);
		free(dir);
	}
	json_decref(out);
	return rc;
}

/* /2018-10-31/layers[/NAME/versions[/N]] */
int lambda_layers(struct lreq *q)
{
	const char *m = q->hr->method;
	struct err e = { 0 };
	json_t *out = NULL;
	char ref[REGISTRY_LAYER_NAME_MAX + 300];
	int rc = 0;

	if (q->nseg == 2 && !strcmp(m, "GET") && http_query(q->hr, "find")) {
		/* GetLayerVersionByArn: ?find=LayerVersion&Arn=... */
		const char *arn = http_query(q->hr, "Arn");

		if (strcmp(http_query(q->hr, "find"), "LayerVersion") || !arn || strlen(arn) > 400) {
			err_setn(&e, "InvalidParameterValueException", "find=LayerVersion and Arn are required");
			goto fail;
		}
		if (registry_layer_get_json(q->s->reg, arn, &out, &e))
			goto fail;
		goto ok;
	}
	if (q->nseg == 2 && !strcmp(m, "GET")) {
		if (registry_layer_list_json(q->s->reg, &out, &e))
			goto fail;
		goto ok;
	}
	if (q->nseg < 4 || q->nseg > 5 || strcmp(q->seg[3], "versions") ||
	    strlen(q->seg[2]) > REGISTRY_LAYER_NAME_MAX + 200)
		return unknown_op(q);
	if (q->nseg == 4 && !strcmp(m, "POST"))
		return layer_publish(q, q->seg[2]);
	if (q->nseg == 4 && !strcmp(m, "GET")) {
		if (registry_layer_versions_json(q->s->reg, q->seg[2], &out, &e))
			goto fail;
		goto ok;
	}
	if (q->nseg != 5 || strspn(q->seg[4], "0123456789") != strlen(q->seg[4]) || strlen(q->seg[4]) > 9)
		return unknown_op(q);
	snprintf(ref, sizeof ref, "%s:%s", q->seg[2], q->seg[4]);
	if (!strcmp(m, "GET")) {
		if (registry_layer_get_json(q->s->reg, ref, &out, &e))
			goto fail;
		goto ok;
	}
	if (!strcmp(m, "DELETE")) {
		/* As Lambda: deleting what is not there answers 204 too. */
		if (registry_layer_delete(q->s->reg, ref, &e) && strcmp(e.type, "ResourceNotFoundException"))
			goto fail;
		return no_content(q->resp);
	}
	return unknown_op(q);
ok:
	rc = lambda_json(q->resp, 200, out);
	json_decref(out);
	return rc;
fail:
	json_decref(out);
	return lambda_error(q->resp, &e);
}
