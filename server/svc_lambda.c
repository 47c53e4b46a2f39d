/* svc_lambda — the Lambda API's routes, errors, functions and Invoke
 * (svc_lambda.h). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "fnconf.h"
#include "fnlog.h"
#include "fsutil.h"
#include "registry.h"
#include "rt.h"
#include "svc_lambda_int.h"

#define LOG_TAIL 4096   /* bytes of log in X-Amz-Log-Result, as Lambda */

/* ---- errors and answers ------------------------------------------------------ */

static const struct {
	const char *type;
	unsigned status;
} statuses[] = {
	{ "ResourceNotFoundException", 404 },   { "ResourceConflictException", 409 },
	{ "InvalidParameterValueException", 400 }, { "InvalidRequestContentException", 400 },
	{ "TooManyRequestsException", 429 },    { "RequestTooLargeException", 413 },
	{ "PreconditionFailedException", 412 }, { "UnsupportedMediaTypeException", 415 },
	{ "CodeStorageExceededException", 400 }, { "UnknownOperationException", 404 },
	{ "ServiceException", 500 },
};

int lambda_error(struct http_response *resp, const struct err *e)
{
	const char *type = e->type[0] ? e->type : "ServiceException";
	char msg[ERR_MSG_MAX + ERR_TYPE_MAX + 4];
	unsigned status = 0;
	json_t *doc;
	int rc;

	for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
		if (!strcmp(statuses[i].type, type))
			status = statuses[i].status;
	snprintf(msg, sizeof msg, "%s", e->msg);
	if (!strcmp(type, "ValidationException")) {   /* the service's helpers' name for it */
		type = "InvalidParameterValueException";
		status = 400;
	}
	if (!status) {
		/* A runtime's or the store's own name: the model has no such
		 * error, so it travels as ServiceException, named in the text. */
		snprintf(msg, sizeof msg, "%s: %s", type, e->msg);
		type = strncmp(type, "Runtime.", 8) ? "ServiceException" : "InvalidParameterValueException";
		status = strcmp(type, "ServiceException") ? 400 : 500;
	}
	doc = json_pack("{s:s,s:s}", "Type", status >= 500 ? "Service" : "User",
			status >= 500 ? "Message" : "message", msg);
	if (!doc)
		doc = json_pack("{s:s,s:s}", "Type", "Service", "Message", "the error's text is not UTF-8");
	if (doc && !strcmp(type, "TooManyRequestsException"))
		json_object_set_new(doc, "Reason", json_string("ReservedFunctionConcurrentInvocationLimitExceeded"));
	free(resp->headers);   /* an error answer carries its own headers only */
	resp->headers = NULL;
	rc = doc ? lambda_json(resp, status, doc) : -1;
	if (!rc)
		http_response_header(resp, "X-Amzn-ErrorType", type);
	json_decref(doc);
	return rc;
}

static int fail(struct http_response *resp, const char *type, const char *fmt, const char *arg)
{
	struct err e = { 0 };

	err_setn(&e, type, fmt, arg);
	return lambda_error(resp, &e);
}

int lambda_json(struct http_response *resp, unsigned status, json_t *doc)
{
	char *s = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(13));

	if (!s)
		return -1;
	free(resp->body);
	resp->body = s;
	resp->len = strlen(s);
	resp->status = status;
	resp->content_type = "application/json";
	return 0;
}

static int empty(struct http_response *resp, unsigned status)
{
	free(resp->body);
	resp->body = NULL;
	resp->len = 0;
	resp->status = status;
	return 0;
}

int lambda_int(json_t *o, const char *key, long min, long max, long *out, struct err *e)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return err_setn(e, "InvalidParameterValueException", "%s must be an integer from %ld to %ld", key,
				min, max);
	*out = (long)json_integer_value(v);
	return 0;
}

/* A string member or NULL; -1 with e when present and not a string. */
static int opt_str(json_t *o, const char *key, size_t max, const char **out, struct err *e)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || json_string_length(v) > max)
		return err_setn(e, "InvalidParameterValueException", "%s must be a string of at most %zu bytes", key,
				max);
	*out = json_string_value(v);
	return 0;
}

/* ---- references ------------------------------------------------------------- */

char *lambda_fn_arn(struct svc *s, const char *name, const char *qual)
{
	char res[FN_NAME_MAX + LAMBDA_QUAL_MAX + 16];

	snprintf(res, sizeof res, "function:%s%s%s", name, qual && *qual ? ":" : "", qual ? qual : "");
	return svc_arn(s, "lambda", res);
}

static bool valid_qual(const char *q)
{
	if (!*q || strlen(q) >= LAMBDA_QUAL_MAX)
		return false;
	if (!strcmp(q, "$LATEST"))
		return true;
	for (const char *p = q; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return false;
	return true;
}

int lambda_ref(struct lreq *q, const char *seg, bool resolve_alias, struct lref *r, struct err *e)
{
	const char *p = seg, *colon, *qq = http_query(q->hr, "Qualifier");
	size_t n;

	memset(r, 0, sizeof *r);
	/* arn:aws:lambda:REGION:ACCOUNT:function:NAME[:Q], ACCOUNT:function:NAME[:Q] */
	if (strstr(seg, ":function:"))
		p = strstr(seg, ":function:") + 10;
	else if (!strncmp(seg, "arn:", 4))
		return err_setn(e, "InvalidParameterValueException", "'%.200s' is not a function ARN", seg);
	colon = strchr(p, ':');
	n = colon ? (size_t)(colon - p) : strlen(p);
	if (n == 0 || n > FN_NAME_MAX)
		return err_setn(e, "InvalidParameterValueException",
				"1 validation error detected: Value '%.200s' at 'functionName' failed to satisfy constraint",
				seg);
	memcpy(r->name, p, n);
	r->name[n] = '\0';
	if (!fnconf_valid_name(r->name))
		return err_setn(e, "InvalidParameterValueException", "invalid function name '%.80s'", r->name);
	if (colon)
		snprintf(r->qual, sizeof r->qual, "%s", colon + 1);
	if (qq && *qq) {
		if (*r->qual && strcmp(r->qual, qq))
			return err_setn(e, "InvalidParameterValueException",
					"The derived qualifier from the function name does not match the specified qualifier.");
		snprintf(r->qual, sizeof r->qual, "%s", qq);
	}
	if (*r->qual && !valid_qual(r->qual))
		return err_setn(e, "InvalidParameterValueException", "invalid qualifier '%.130s'", r->qual);
	snprintf(r->version, sizeof r->version, "%s", *r->qual ? r->qual : "$LATEST");
	if (*r->qual && strcmp(r->qual, "$LATEST") && strspn(r->qual, "0123456789") != strlen(r->qual)) {
		/* An alias: its FunctionVersion. */
		struct store_res res = { 0 };
		char *arn;
		json_t *b;
		int rc;

		if (!resolve_alias)
			goto done;
		arn = lambda_fn_arn(q->s, r->name, r->qual);
		if (!arn)
			return err_setn(e, "ServiceException", "out of memory");
		rc = store_res_get(q->s->store, arn, &res, e);
		if (rc) {
			err_setn(e, "ResourceNotFoundException", "Function not found: %s", arn);
			free(arn);
			return -1;
		}
		free(arn);
		b = json_loads(res.body, 0, NULL);
		snprintf(r->version, sizeof r->version, "%s",
			 json_string_value(json_object_get(b, "FunctionVersion")) ?
				 json_string_value(json_object_get(b, "FunctionVersion")) : "$LATEST");
		json_decref(b);
		store_res_free(&res);
	}
done:
	if (!strcmp(r->version, "$LATEST"))
		snprintf(r->reg, sizeof r->reg, "%s", r->name);
	else
		snprintf(r->reg, sizeof r->reg, "%s:%s", r->name, r->version);
	return 0;
}

/* ---- the lambda-function record ------------------------------------------------ */

json_t *lambda_meta(struct svc *s, const char *name)
{
	struct store_res res = { 0 };
	struct err e = { 0 };
	char *arn = lambda_fn_arn(s, name, NULL);
	json_t *j = NULL;

	if (arn && !store_res_get(s->store, arn, &res, &e)) {
		j = json_loads(res.body, 0, NULL);
		store_res_free(&res);
	}
	free(arn);
	if (!json_is_object(j)) {
		json_decref(j);
		j = json_object();
	}
	return j;
}

int lambda_meta_put(struct svc *s, const char *name, json_t *meta, struct err *e)
{
	char *arn = lambda_fn_arn(s, name, NULL), *body = json_dumps(meta, JSON_COMPACT);
	struct store_res r = { 0 };
	struct err e2 = { 0 };
	int rc = -1;

	if (!arn || !body) {
		err_setn(e, "ServiceException", "out of memory");
		goto out;
	}
	if (!store_res_update(s->store, arn, body, 0, &e2)) {
		rc = 0;
		goto out;
	}
	r.kind = (char *)LAMBDA_KIND_FN;
	r.arn = arn;
	r.name = (char *)name;
	r.parent = (char *)"";
	r.body = body;
	rc = store_res_create(s->store, &r, e);
out:
	free(arn);
	free(body);
	return rc;
}

/* The registry's configuration as the model shapes it: Role, Runtime and
 * Handler as given, tutti's own fields out. */
static void shape_config(json_t *cfg, json_t *meta)
{
	static const char *keys[] = { "Role", "Runtime", "Handler" };

	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		json_t *v = json_object_get(meta, keys[i]);

		if (json_is_string(v))
			json_object_set(cfg, keys[i], v);
	}
	if (!json_is_string(json_object_get(meta, "Role")))
		json_object_set_new(cfg, "Role", json_string("arn:aws:iam::000000000000:role/tutti"));
	if (!json_is_string(json_object_get(meta, "Runtime")))
		json_object_set_new(cfg, "Runtime", json_string("provided.al2023"));
	json_object_del(cfg, "Network");
	json_object_del(cfg, "ReservedConcurrentExecutions");
	json_object_set_new(cfg, "RevisionId", json_string(json_string_value(json_object_get(cfg, "CodeSha256")) ?
								  json_string_value(json_object_get(cfg, "CodeSha256")) :
								  ""));
}

static int config_json(struct svc *s, const char *ref, const char *name, json_t **out, struct err *e)
{
	json_t *meta;

	if (registry_function_get_json(s->reg, ref, out, e))
		return -1;
	meta = lambda_meta(s, name);
	shape_config(*out, meta);
	json_decref(meta);
	return 0;
}

/* ---- code: base64 zips into a directory, the .so in it ------------------------- */

static unsigned char *b64_decode(const char *in, size_t n, size_t *outlen)
{
	unsigned char *out;
	int r;
	size_t pad = 0;

	if (n % 4)
		return NULL;
	out = malloc(n / 4 * 3 + 1);
	if (!out)
		return NULL;
	r = n ? EVP_DecodeBlock(out, (const unsigned char *)in, (int)n) : 0;
	if (r < 0) {
		free(out);
		return NULL;
	}
	if (n && in[n - 1] == '=')
		pad++;
	if (n > 1 && in[n - 2] == '=')
		pad++;
	*outlen = (size_t)r - pad;
	return out;
}

static char *b64_encode(const void *in, size_t n)
{
	char *out = malloc(4 * ((n + 2) / 3) + 1);

	if (out)
		EVP_EncodeBlock((unsigned char *)out, in, (int)n);
	return out;
}

int lambda_unzip_member(struct svc *s, json_t *code, const char *key, char **dir, struct err *e)
{
	json_t *v = json_object_get(code, key);
	unsigned char *zip = NULL;
	size_t zlen = 0;
	char tmp[PATH_MAX], *d = NULL;
	int rc = -1;

	*dir = NULL;
	if (!json_is_object(code))
		return err_setn(e, "InvalidParameterValueException", "Code (Content) must be an object");
	if (!json_is_string(v)) {
		if (json_object_get(code, "S3Bucket") || json_object_get(code, "ImageUri"))
			return err_setn(e, "InvalidParameterValueException",
					"tutti takes code as a ZipFile only (not S3Bucket/S3Key or ImageUri)");
		return err_setn(e, "InvalidParameterValueException", "%s is required (the zip, base64)", key);
	}
	zip = b64_decode(json_string_value(v), json_string_length(v), &zlen);
	if (!zip)
		return err_setn(e, "InvalidParameterValueException",
				"Could not unzip uploaded file: %s is not base64", key);
	snprintf(tmp, sizeof tmp, "%s/tmp", s->home);
	if (fs_mkdir_p(tmp, 0700)) {
		err_setn(e, "ServiceException", "cannot make %s: %s", tmp, strerror(errno));
		goto out;
	}
	snprintf(tmp, sizeof tmp, "%s/tmp/lambda-zip-XXXXXX", s->home);
	if (!mkdtemp(tmp)) {
		err_setn(e, "ServiceException", "cannot make a directory under %s/tmp: %s", s->home, strerror(errno));
		goto out;
	}
	d = strdup(tmp);
	if (!d) {
		fs_rm_rf(tmp);
		err_setn(e, "ServiceException", "out of memory");
		goto out;
	}
	if (lambda_zip_extract(zip, zlen, d, LAMBDA_ZIP_BYTES_MAX, NULL, e)) {
		fs_rm_rf(d);
		free(d);
		d = NULL;
		goto out;
	}
	*dir = d;
	rc = 0;
out:
	free(zip);
	return rc;
}

/* The .so of an extracted code zip: FILE.so when the handler is
 * FILE.SYMBOL, else the one .so at the top level. */
static int find_so(const char *dir, const char *handler, char *out, size_t n, struct err *e)
{
	const char *dot = handler ? strrchr(handler, '.') : NULL;
	char names[256] = "";
	unsigned found = 0;
	struct stat st;
	struct dirent *de;
	DIR *d;

	if (dot) {
		if (strstr(handler, "..") || handler[0] == '/')
			return err_setn(e, "InvalidParameterValueException", "invalid Handler '%.130s'", handler);
		snprintf(out, n, "%s/%.*s.so", dir, (int)(dot - handler), handler);
		if (lstat(out, &st) || !S_ISREG(st.st_mode))
			return err_setn(e, "InvalidParameterValueException",
					"Handler '%.130s' names %.*s.so, which the zip does not hold as a file", handler,
					(int)(dot - handler), handler);
		return 0;
	}
	d = opendir(dir);
	if (!d)
		return err_setn(e, "ServiceException", "cannot read %s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l < 4 || strcmp(de->d_name + l - 3, ".so"))
			continue;
		snprintf(out, n, "%s/%s", dir, de->d_name);
		if (lstat(out, &st) || !S_ISREG(st.st_mode))
			continue;
		if (found++ < 4)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%.60s", found > 1 ? ", " : "",
				 de->d_name);
		if (found == 1)
			continue;
	}
	closedir(d);
	if (found == 0)
		return err_setn(e, "InvalidParameterValueException",
				"the zip holds no .so at its top level (tutti runs provided-runtime functions built as "
				"shared objects)");
	if (found > 1)
		return err_setn(e, "InvalidParameterValueException",
				"the zip holds %u .so files at its top level (%s): say which with Handler FILE.SYMBOL",
				found, names);
	/* out holds the last .so seen; with one, it is that one. */
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		size_t l = strlen(de->d_name);

		snprintf(out, n, "%s/%s", dir, de->d_name);
		if (l >= 4 && !strcmp(de->d_name + l - 3, ".so") && !lstat(out, &st) && S_ISREG(st.st_mode))
			break;
	}
	if (d)
		closedir(d);
	return 0;
}

static const char *symbol_of(const char *handler)
{
	const char *dot = handler ? strrchr(handler, '.') : NULL;

	return dot ? dot + 1 : handler;
}

static int check_code(void *arg, const struct fn_config *cfg, struct err *e)
{
	struct svc *s = arg;

	if (!s->rt)
		return 0;
	if (!rt_check_code(s->rt, cfg, e))
		return 0;
	/* The function could not be loaded: a bad parameter, as Lambda's
	 * refusal of a package it cannot use. */
	{
		char msg[ERR_MSG_MAX];

		snprintf(msg, sizeof msg, "%s: %s", e->type, e->msg);
		err_setn(e, "InvalidParameterValueException", "%s", msg);
	}
	return -1;
}

/* The spec fields CreateFunction and UpdateFunctionConfiguration share.
 * *touched: whether one of them is set. Strings borrowed from body;
 * env/layers arrays malloc'd into the spec (free with spec_free). */
static int spec_from(json_t *body, struct registry_fn_spec *sp, bool *touched, struct err *e)
{
	const char *desc = NULL, *handler = NULL;
	json_t *env = json_object_get(body, "Environment"), *layers = json_object_get(body, "Layers"),
	       *eph = json_object_get(body, "EphemeralStorage");
	long v;

	*touched = false;
	if (opt_str(body, "Description", REGISTRY_DESC_MAX, &desc, e) ||
	    opt_str(body, "Handler", FN_HANDLER_MAX, &handler, e))
		return -1;
	if (desc)
		sp->description = desc, *touched = true;
	if (handler) {
		const char *sym = symbol_of(handler);

		if (!*sym)
			return err_setn(e, "InvalidParameterValueException", "invalid Handler '%.130s'", handler);
		sp->handler = sym, *touched = true;
	}
	v = -1;
	if (lambda_int(body, "Timeout", FN_TIMEOUT_MIN_S, FN_TIMEOUT_MAX_S, &v, e))
		return -1;
	if (v >= 0)
		sp->timeout_s = v, *touched = true;
	v = -1;
	if (lambda_int(body, "MemorySize", FN_MEMORY_MIN_MB, FN_MEMORY_MAX_MB, &v, e))
		return -1;
	if (v >= 0)
		sp->memory_mb = v, *touched = true;
	if (eph && !json_is_null(eph)) {
		v = -1;
		if (!json_is_object(eph) || lambda_int(eph, "Size", REGISTRY_TMP_MIN_MB, REGISTRY_TMP_MAX_MB, &v, e))
			return e->type[0] ? -1 :
					    err_setn(e, "InvalidParameterValueException", "EphemeralStorage must be an object");
		if (v >= 0)
			sp->tmp_mb = v, *touched = true;
	}
	if (env && !json_is_null(env)) {
		json_t *vars = json_object_get(env, "Variables"), *val;
		const char *k;
		const char **kv;
		size_t i = 0;

		if (!json_is_object(env) || (vars && !json_is_null(vars) && !json_is_object(vars)))
			return err_setn(e, "InvalidParameterValueException",
					"Environment must be {\"Variables\": {NAME: VALUE, ...}}");
		kv = calloc(json_object_size(vars) + 1, sizeof *kv);
		if (!kv)
			return err_setn(e, "ServiceException", "out of memory");
		sp->env = kv;
		json_object_foreach(vars, k, val) {
			char *s;

			if (!json_is_string(val) || asprintf(&s, "%s=%s", k, json_string_value(val)) < 0)
				return err_setn(e, "InvalidParameterValueException",
						"environment variable %.100s must be a string", k);
			kv[i++] = s;
			sp->n_env = i;
		}
		sp->set_env = true;
		*touched = true;
	}
	{
		/* tutti's extension: a function's sandbox has no network unless it
		 * asks (AWS's functions outside a VPC reach the internet):
		 * "Tags": {"tutti:network": "on"} on CreateFunction. */
		json_t *tags = json_object_get(body, "Tags");
		const char *net = json_string_value(json_object_get(tags, "tutti:network"));

		if (net) {
			if (!strcmp(net, "on") || !strcmp(net, "true"))
				sp->network = 1;
			else if (!strcmp(net, "off") || !strcmp(net, "false"))
				sp->network = 0;
			else
				return err_setn(e, "InvalidParameterValueException",
						"the tag tutti:network must be \"on\" or \"off\"");
			*touched = true;
		}
	}
	if (layers && !json_is_null(layers)) {
		const char **l;
		size_t i;
		json_t *it;

		if (!json_is_array(layers) || json_array_size(layers) > FN_LAYERS_MAX)
			return err_setn(e, "InvalidParameterValueException",
					"Layers must be a list of at most %d layer version ARNs", FN_LAYERS_MAX);
		l = calloc(json_array_size(layers) + 1, sizeof *l);
		if (!l)
			return err_setn(e, "ServiceException", "out of memory");
		sp->layers = l;
		json_array_foreach(layers, i, it) {
			if (!json_is_string(it))
				return err_setn(e, "InvalidParameterValueException", "Layers must hold ARN strings");
			l[i] = json_string_value(it);
		}
		sp->n_layers = json_array_size(layers);
		sp->set_layers = true;
		*touched = true;
	}
	return 0;
}

static void spec_free(struct registry_fn_spec *sp)
{
	for (size_t i = 0; i < sp->n_env; i++)
		free((char *)sp->env[i]);
	free((void *)sp->env);
	free((void *)sp->layers);
}

static int check_runtime(json_t *body, const char **rt, struct err *e)
{
	static const char *ok[] = { "provided.al2023", "provided.al2", "provided" };

	if (opt_str(body, "Runtime", 64, rt, e))
		return -1;
	if (!*rt)
		return 0;
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		if (!strcmp(*rt, ok[i]))
			return 0;
	return err_setn(e, "InvalidParameterValueException",
			"The runtime parameter of %.64s is not supported by tutti: functions are shared objects of the "
			"OS-only runtime (provided.al2023 or provided)",
			*rt);
}

/* ---- functions ------------------------------------------------------------------ */

static int create_function(struct lreq *q)
{
	struct svc *s = q->s;
	struct registry_fn_spec sp;
	struct err e = { 0 };
	const char *name, *role = NULL, *runtime = NULL, *handler = NULL, *ptype = NULL;
	char *dir = NULL, so[PATH_MAX];
	json_t *out = NULL, *meta = NULL;
	bool touched;
	int rc;

	registry_fn_spec_init(&sp);
	name = svc_str(q->body, "FunctionName", true, 170, &e);
	if (!name || opt_str(q->body, "Role", 2048, &role, &e) || check_runtime(q->body, &runtime, &e) ||
	    opt_str(q->body, "Handler", FN_HANDLER_MAX, &handler, &e) ||
	    opt_str(q->body, "PackageType", 16, &ptype, &e))
		goto fail;
	if (strstr(name, ":function:"))
		name = strstr(name, ":function:") + 10;
	if (!fnconf_valid_name(name)) {
		err_setn(&e, "InvalidParameterValueException",
			 "1 validation error detected: Value '%.80s' at 'functionName' failed to satisfy constraint: "
			 "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+ (1-64)",
			 name);
		goto fail;
	}
	if (!role) {
		err_setn(&e, "InvalidParameterValueException", "Role is required");
		goto fail;
	}
	if (ptype && strcmp(ptype, "Zip")) {
		err_setn(&e, "InvalidParameterValueException", "PackageType %.16s: tutti runs Zip packages only", ptype);
		goto fail;
	}
	if (spec_from(q->body, &sp, &touched, &e) ||
	    lambda_unzip_member(s, json_object_get(q->body, "Code"), "ZipFile", &dir, &e) ||
	    find_so(dir, handler, so, sizeof so, &e))
		goto fail;
	sp.code_path = so;
	if (registry_function_create(s->reg, name, &sp, check_code, s, &e) < 0)
		goto fail;
	meta = json_pack("{s:s,s:s}", "Role", role, "Runtime", runtime ? runtime : "provided.al2023");
	if (meta && handler)
		json_object_set_new(meta, "Handler", json_string(handler));
	if (!meta || lambda_meta_put(s, name, meta, &e) || config_json(s, name, name, &out, &e))
		goto fail;
	rc = lambda_json(q->resp, 201, out);
	goto out;
fail:
	rc = lambda_error(q->resp, &e);
out:
	if (dir) {
		fs_rm_rf(dir);
		free(dir);
	}
	spec_free(&sp);
	json_decref(meta);
	json_decref(out);
	return rc;
}

static int update_code(struct lreq *q, const struct lref *r)
{
	struct svc *s = q->s;
	struct registry_fn_spec sp;
	struct err e = { 0 };
	json_t *meta = lambda_meta(s, r->name), *out = NULL;
	char *dir = NULL, so[PATH_MAX];
	int rc;

	registry_fn_spec_init(&sp);
	if (lambda_unzip_member(s, q->body, "ZipFile", &dir, &e) ||
	    find_so(dir, json_string_value(json_object_get(meta, "Handler")), so, sizeof so, &e))
		goto fail;
	sp.code_path = so;
	if (json_is_true(json_object_get(q->body, "DryRun"))) {
		if (config_json(s, r->name, r->name, &out, &e))
			goto fail;
	} else if (registry_function_update(s->reg, r->name, &sp, check_code, s, &e) < 0 ||
		   config_json(s, r->name, r->name, &out, &e)) {
		goto fail;
	}
	rc = lambda_json(q->resp, 200, out);
	goto out;
fail:
	rc = lambda_error(q->resp, &e);
out:
	if (dir) {
		fs_rm_rf(dir);
		free(dir);
	}
	json_decref(meta);
	json_decref(out);
	return rc;
}

static int update_config(struct lreq *q, const struct lref *r)
{
	struct svc *s = q->s;
	struct registry_fn_spec sp;
	struct err e = { 0 };
	const char *role = NULL, *runtime = NULL, *handler = NULL;
	json_t *meta = lambda_meta(s, r->name), *out = NULL;
	bool touched;
	int rc;

	registry_fn_spec_init(&sp);
	if (opt_str(q->body, "Role", 2048, &role, &e) || check_runtime(q->body, &runtime, &e) ||
	    opt_str(q->body, "Handler", FN_HANDLER_MAX, &handler, &e) || spec_from(q->body, &sp, &touched, &e))
		goto fail;
	if (registry_function_get_json(s->reg, r->name, &out, &e))   /* exists? */
		goto fail;
	json_decref(out);
	out = NULL;
	if (touched && registry_function_update(s->reg, r->name, &sp, check_code, s, &e) < 0)
		goto fail;
	if (role)
		json_object_set_new(meta, "Role", json_string(role));
	if (runtime)
		json_object_set_new(meta, "Runtime", json_string(runtime));
	if (handler)
		json_object_set_new(meta, "Handler", json_string(handler));
	if (((role || runtime || handler) && lambda_meta_put(s, r->name, meta, &e)) ||
	    config_json(s, r->name, r->name, &out, &e))
		goto fail;
	rc = lambda_json(q->resp, 200, out);
	goto out;
fail:
	rc = lambda_error(q->resp, &e);
out:
	spec_free(&sp);
	json_decref(meta);
	json_decref(out);
	return rc;
}

/* Marker/MaxItems over an array: the items after index Marker. */
static int paginate(struct lreq *q, json_t *doc, const char *key, struct err *e)
{
	json_t *arr = json_object_get(doc, key), *page;
	const char *mk = http_query(q->hr, "Marker"), *mi = http_query(q->hr, "MaxItems");
	size_t from = 0, max = 10000, n = json_array_size(arr);
	char *end, next[32];

	if (mk && *mk) {
		errno = 0;
		from = strtoul(mk, &end, 10);
		if (errno || *end)
			return err_setn(e, "InvalidParameterValueException", "invalid Marker '%.64s'", mk);
	}
	if (mi && *mi) {
		errno = 0;
		max = strtoul(mi, &end, 10);
		if (errno || *end || max < 1 || max > 10000)
			return err_setn(e, "InvalidParameterValueException", "MaxItems must be from 1 to 10000");
	}
	page = json_array();
	for (size_t i = from; i < n && i < from + max; i++)
		json_array_append(page, json_array_get(arr, i));
	json_object_set_new(doc, key, page);
	if (from + max < n) {
		snprintf(next, sizeof next, "%zu", from + max);
		json_object_set_new(doc, "NextMarker", json_string(next));
	}
	return 0;
}

static int shape_list(struct svc *s, json_t *arr)
{
	size_t i;
	json_t *it;

	json_array_foreach(arr, i, it) {
		json_t *meta = lambda_meta(s, json_string_value(json_object_get(it, "FunctionName")) ?
						      json_string_value(json_object_get(it, "FunctionName")) :
						      "");

		shape_config(it, meta);
		json_decref(meta);
	}
	return 0;
}

/* ListFunctions / ListVersionsByFunction: the registry's list under `key`,
 * shaped and paginated. `got` is the registry call's result. */
static int list_answer(struct lreq *q, int got, json_t *out, const char *key, struct err *e)
{
	int rc;

	if (got || shape_list(q->s, json_object_get(out, key)) || paginate(q, out, key, e))
		rc = lambda_error(q->resp, e);
	else
		rc = lambda_json(q->resp, 200, out);
	json_decref(out);
	return rc;
}

static int list_functions(struct lreq *q)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int got = registry_function_list_json(q->s->reg, &out, &e);

	return list_answer(q, got, out, "Functions", &e);
}

static int list_versions(struct lreq *q, const struct lref *r)
{
	struct err e = { 0 };
	json_t *out = NULL;
	int got = registry_function_versions_json(q->s->reg, r->name, &out, &e);

	return list_answer(q, got, out, "Versions", &e);
}

/* PublishVersion: every create and update has published a version already
 * (registry.h): the answer is the version $LATEST is. */
static int publish_version(struct lreq *q, const struct lref *r)
{
	struct err e = { 0 };
	json_t *vers = NULL, *out = NULL, *last;
	const char *sha = NULL, *have;
	char ref[LAMBDA_REF_MAX];
	int rc;

	if (q->body && opt_str(q->body, "CodeSha256", 64, &sha, &e))
		goto fail;
	if (registry_function_versions_json(q->s->reg, r->name, &vers, &e))
		goto fail;
	last = json_array_get(json_object_get(vers, "Versions"), json_array_size(json_object_get(vers, "Versions")) - 1);
	snprintf(ref, sizeof ref, "%s:%s", r->name, json_string_value(json_object_get(last, "Version")) ?
							   json_string_value(json_object_get(last, "Version")) : "1");
	if (config_json(q->s, ref, r->name, &out, &e))
		goto fail;
	have = json_string_value(json_object_get(out, "CodeSha256"));
	if (sha && *sha && (!have || strcmp(sha, have))) {
		err_setn(&e, "PreconditionFailedException",
			 "CodeSha256 (%.64s) is different from the function's code (%.64s)", sha, have ? have : "");
		goto fail;
	}
	rc = lambda_json(q->resp, 201, out);
	goto out;
fail:
	rc = lambda_error(q->resp, &e);
out:
	json_decref(vers);
	json_decref(out);
	return rc;
}

static int get_function(struct lreq *q, const struct lref *r, bool config_only)
{
	struct err e = { 0 };
	json_t *cfg = NULL, *out = NULL, *meta;
	int rc;

	if (config_json(q->s, r->reg, r->name, &cfg, &e))
		return lambda_error(q->resp, &e);
	if (*r->qual && strcmp(r->qual, r->version)) {
		/* Through an alias: the ARN names the alias, as Lambda. */
		char *arn = lambda_fn_arn(q->s, r->name, r->qual);

		if (arn)
			json_object_set_new(cfg, "FunctionArn", json_string(arn));
		free(arn);
	}
	if (config_only) {
		rc = lambda_json(q->resp, 200, cfg);
		json_decref(cfg);
		return rc;
	}
	meta = lambda_meta(q->s, r->name);
	out = json_pack("{s:o,s:{s:s}}", "Configuration", cfg, "Code", "RepositoryType", "S3");
	if (out && json_is_integer(json_object_get(meta, "Concurrency")))
		json_object_set_new(out, "Concurrency",
				    json_pack("{s:O}", "ReservedConcurrentExecutions",
					      json_object_get(meta, "Concurrency")));
	rc = out ? lambda_json(q->resp, 200, out) : -1;
	json_decref(meta);
	json_decref(out);
	return rc;
}

static int delete_function(struct lreq *q, const struct lref *r)
{
	struct err e = { 0 };
	char *arn;

	if (*r->qual && strcmp(r->qual, r->version))
		return fail(q->resp, "InvalidParameterValueException",
			    "Deletion of aliases is not supported through DeleteFunction (%s): use DeleteAlias", r->qual);
	if (!strcmp(r->version, "$LATEST") && *r->qual)
		return fail(q->resp, "InvalidParameterValueException", "%s cannot be deleted on its own",
			    "$LATEST");
	if (registry_function_delete(q->s->reg, r->reg, &e))
		return lambda_error(q->resp, &e);
	if (!*r->qual) {
		lambda_aliases_drop(q->s, r->name);
		arn = lambda_fn_arn(q->s, r->name, NULL);
		if (arn)
			store_res_delete(q->s->store, arn, &e);
		free(arn);
	}
	return empty(q->resp, 204);
}

/* ---- Invoke ------------------------------------------------------------------------ */

static int log_tail_header(struct http_response *resp, const struct fn_config *cfg, const struct rt_result *res)
{
	struct fnlog_record r;
	size_t len = 0;
	char *txt, *b64;
	int rc = -1;

	fnlog_record_from_result(&r, cfg, res);
	txt = fnlog_format(&r, &len);
	if (!txt)
		return -1;
	b64 = len > LOG_TAIL ? b64_encode(txt + len - LOG_TAIL, LOG_TAIL) : b64_encode(txt, len);
	if (b64)
		rc = http_response_header(resp, "X-Amz-Log-Result", b64);
	free(b64);
	free(txt);
	return rc;
}

static int invoke(struct lreq *q, const struct lref *r)
{
	struct svc *s = q->s;
	const char *type = http_header(q->hr, "X-Amz-Invocation-Type"), *lt = http_header(q->hr, "X-Amz-Log-Type");
	const char *payload = q->hr->len ? q->hr->body : "{}";
	size_t plen = q->hr->len ? q->hr->len : 2;
	struct rt_result res = { 0 };
	struct fn_config cfg;
	struct err e = { 0 };
	json_t *meta = NULL, *conc, *chk;
	int rc;

	if (!type || !*type)
		type = "RequestResponse";
	if (strcmp(type, "RequestResponse") && strcmp(type, "Event") && strcmp(type, "DryRun"))
		return fail(q->resp, "InvalidParameterValueException",
			    "X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, not '%.40s'", type);
	if (lt && *lt && strcmp(lt, "Tail") && strcmp(lt, "None"))
		return fail(q->resp, "InvalidParameterValueException", "X-Amz-Log-Type must be None or Tail, not '%.40s'",
			    lt);
	if (plen > FN_PAYLOAD_MAX) {
		err_setn(&e, "RequestTooLargeException", "Request must be smaller than %u bytes for the InvokeFunction operation",
			 FN_PAYLOAD_MAX);
		return lambda_error(q->resp, &e);
	}
	chk = json_loadb(payload, plen, JSON_DECODE_ANY, NULL);
	if (!chk)
		return fail(q->resp, "InvalidRequestContentException", "Could not parse request body into json%s", "");
	json_decref(chk);
	if (registry_resolve(s->reg, r->reg, &cfg, &e))
		return lambda_error(q->resp, &e);
	meta = lambda_meta(s, r->name);
	conc = json_object_get(meta, "Concurrency");
	if (json_is_integer(conc) && json_integer_value(conc) == 0) {
		json_decref(meta);
		return fail(q->resp, "TooManyRequestsException", "Rate Exceeded.%s", "");
	}
	if (json_is_integer(conc))
		cfg.reserved_concurrency = (unsigned)json_integer_value(conc);
	json_decref(meta);
	if (!s->rt)
		return fail(q->resp, "ServiceException", "no runtime: %s", "tutti serve has none");
	if (!strcmp(type, "DryRun"))
		return empty(q->resp, 204);
	if (!strcmp(type, "Event")) {
		rc = rt_invoke_event(s->rt, &cfg, payload, plen);
		if (rc)
			return fail(q->resp, "TooManyRequestsException", "the invocation could not be queued: %s",
				    strerror(-rc));
		empty(q->resp, 202);
		return http_response_header(q->resp, "X-Amz-Executed-Version", cfg.version) ? -1 : 0;
	}
	rc = rt_invoke(s->rt, &cfg, payload, plen, &res);
	if (rc) {
		if (rc == -EAGAIN || rc == -ENOSPC || rc == -EBUSY)
			return fail(q->resp, "TooManyRequestsException", "Rate Exceeded: %s", strerror(-rc));
		return fail(q->resp, "ServiceException", "the invocation could not be queued: %s", strerror(-rc));
	}
	if (res.ok) {
		free(q->resp->body);
		q->resp->body = res.payload;
		q->resp->len = res.payload_len;
		res.payload = NULL;
		q->resp->status = 200;
		q->resp->content_type = "application/json";
	} else {
		json_t *doc = json_pack("{s:s,s:s}", "errorMessage", res.err.msg, "errorType", res.err.type);

		if (!doc)
			doc = json_pack("{s:s,s:s}", "errorMessage", "(not UTF-8)", "errorType", res.err.type[0] ? "Runtime.Unknown" : "");
		rc = doc ? lambda_json(q->resp, 200, doc) : -1;
		json_decref(doc);
		if (rc || http_response_header(q->resp, "X-Amz-Function-Error", "Unhandled"))
			goto bad;
	}
	if (http_response_header(q->resp, "X-Amz-Executed-Version", cfg.version))
		goto bad;
	if (lt && !strcmp(lt, "Tail") && log_tail_header(q->resp, &cfg, &res))
		goto bad;
	rt_result_free(&res);
	return 0;
bad:
	rt_result_free(&res);
	return -1;
}

/* ---- routing --------------------------------------------------------------------------- */

/* Split path after `skip` bytes into q->seg (modifies a copy in buf). */
static int split(struct lreq *q, char *buf, size_t n, const char *path)
{
	char *save = NULL, *c;

	if (strlen(path) >= n)
		return -1;
	snprintf(buf, n, "%s", path);
	q->nseg = 0;
	for (c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (q->nseg == sizeof q->seg / sizeof *q->seg)
			return -1;
		q->seg[q->nseg++] = c;
	}
	return 0;
}

static int parse_body(struct lreq *q)
{
	json_error_t je;

	if (!q->hr->len) {
		q->body = json_object();
		return 0;
	}
	q->body = json_loadb(q->hr->body, q->hr->len, 0, &je);
	if (!json_is_object(q->body)) {
		char msg[300];

		snprintf(msg, sizeof msg, "Could not parse request body into json: %.200s",
			 q->body ? "the body must be a JSON object" : je.text);
		json_decref(q->body);
		q->body = NULL;
		return fail(q->resp, "InvalidRequestContentException", "%s", msg) ? -1 : 1;
	}
	return 0;
}

static int unknown(struct lreq *q)
{
	char msg[400];

	snprintf(msg, sizeof msg, "no Lambda operation is %.8s %.300s", q->hr->method, q->hr->path);
	return fail(q->resp, "UnknownOperationException", "%s", msg);
}

static bool is(const struct lreq *q, const char *m)
{
	return !strcmp(q->hr->method, m);
}

/* /2015-03-31/functions[/NAME[/SUB[/X]]] */
static int functions(void *arg, const struct http_request *hr, struct http_response *resp)
{
	struct lreq q = { .s = arg, .hr = hr, .resp = resp };
	char buf[1024];
	struct lref r;
	struct err e = { 0 };
	const char *sub;
	int rc;

	if (split(&q, buf, sizeof buf, hr->path) || q.nseg < 2 || strcmp(q.seg[1], "functions"))
		return unknown(&q);
	if (!q.s->reg || !q.s->store)
		return fail(resp, "ServiceException", "%s", "the Lambda API needs the full service");
	if (q.nseg == 2) {
		if (is(&q, "GET"))
			return list_functions(&q);
		if (!is(&q, "POST"))
			return unknown(&q);
		if ((rc = parse_body(&q)))
			return rc < 0 ? -1 : 0;
		rc = create_function(&q);
		json_decref(q.body);
		return rc;
	}
	sub = q.nseg > 3 ? q.seg[3] : "";
	if (!strcmp(sub, "aliases"))
		return lambda_aliases(&q);
	if (lambda_ref(&q, q.seg[2], !strcmp(sub, "invocations") || !strcmp(sub, "configuration") || !*sub, &r, &e))
		return lambda_error(resp, &e);
	if (!strcmp(sub, "invocations") && q.nseg == 4 && is(&q, "POST"))
		return invoke(&q, &r);
	if (q.nseg == 3 && is(&q, "GET"))
		return get_function(&q, &r, false);
	if (q.nseg == 3 && is(&q, "DELETE"))
		return delete_function(&q, &r);
	if (!strcmp(sub, "configuration") && q.nseg == 4 && is(&q, "GET"))
		return get_function(&q, &r, true);
	if (!strcmp(sub, "versions") && q.nseg == 4 && is(&q, "GET"))
		return list_versions(&q, &r);
	if (q.nseg != 4 || (!is(&q, "PUT") && !is(&q, "POST")))
		return unknown(&q);
	if ((rc = parse_body(&q)))
		return rc < 0 ? -1 : 0;
	if (!strcmp(sub, "configuration") && is(&q, "PUT"))
		rc = update_config(&q, &r);
	else if (!strcmp(sub, "code") && is(&q, "PUT"))
		rc = update_code(&q, &r);
	else if (!strcmp(sub, "versions") && is(&q, "POST"))
		rc = publish_version(&q, &r);
	else
		rc = unknown(&q);
	json_decref(q.body);
	return rc;
}

static int concurrency(void *arg, const struct http_request *hr, struct http_response *resp)
{
	struct lreq q = { .s = arg, .hr = hr, .resp = resp };
	char buf[1024];
	int rc;

	if (split(&q, buf, sizeof buf, hr->path) || q.nseg != 4 || strcmp(q.seg[1], "functions") ||
	    strcmp(q.seg[3], "concurrency"))
		return unknown(&q);
	if (is(&q, "PUT") && (rc = parse_body(&q)))
		return rc < 0 ? -1 : 0;
	rc = lambda_concurrency(&q);
	json_decref(q.body);
	return rc;
}

static int layers(void *arg, const struct http_request *hr, struct http_response *resp)
{
	struct lreq q = { .s = arg, .hr = hr, .resp = resp };
	char buf[1024];
	int rc;

	if (split(&q, buf, sizeof buf, hr->path) || q.nseg < 2 || strcmp(q.seg[1], "layers"))
		return unknown(&q);
	if (is(&q, "POST") && (rc = parse_body(&q)))
		return rc < 0 ? -1 : 0;
	rc = lambda_layers(&q);
	json_decref(q.body);
	return rc;
}

int svc_lambda_routes(struct http_server *h, struct svc *s, struct err *e)
{
	if (http_route(h, "*", "/2015-03-31/functions*", functions, s, LAMBDA_BODY_MAX, e) ||
	    http_route(h, "*", "/2017-10-31/functions/*", concurrency, s, 0, e) ||
	    http_route(h, "GET", "/2019-09-30/functions/*", concurrency, s, 0, e) ||
	    http_route(h, "*", "/2018-10-31/layers*", layers, s, LAMBDA_BODY_MAX, e))
		return -1;
	return 0;
}
