#include "fnrecord.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "regutil.h"

#if defined(__x86_64__)
#define FNREC_ARCH "x86_64"
#elif defined(__aarch64__)
#define FNREC_ARCH "arm64"
#else
#define FNREC_ARCH "unknown"
#endif

/* Keys Lambda sets itself and refuses in a function's configuration. */
static const char *const reserved_env[] = {
	"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
	"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
	"AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
	"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API",
	"LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
};

void fnrecord_defaults(struct fnrec *r, const char *name)
{
	memset(r, 0, sizeof *r);
	fnconf_defaults(&r->cfg, name, "");
}

json_t *fnrecord_pack(const struct fnrec *r)
{
	json_t *env = json_array(), *layers = json_array();
	const struct fn_config *c = &r->cfg;

	if (!env || !layers)
		goto fail;
	for (size_t off = 0; off < c->env_len; off += strlen(c->env + off) + 1)
		json_array_append_new(env, json_string(c->env + off));
	for (size_t i = 0; i < r->n_layers; i++)
		json_array_append_new(layers, json_pack("{s:s, s:I, s:I, s:s}", "Name",
							r->layers[i].name, "Version",
							(json_int_t)r->layers[i].version, "CodeSize",
							(json_int_t)r->layers[i].size, "Digest",
							r->layers[i].digest));
	return json_pack("{s:s, s:I, s:s, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:b, s:o, s:o, "
			 "s:s, s:s}",
			 "FunctionName", c->name, "Version", (json_int_t)r->version,
			 "CodeSha256", c->code_sha256, "CodeSize", (json_int_t)r->code_size,
			 "Handler", c->handler, "Description", r->description,
			 "Timeout", (json_int_t)c->timeout_s, "MemorySize", (json_int_t)c->memory_mb,
			 "EphemeralStorage", (json_int_t)c->tmp_mb,
			 "ReservedConcurrency", (json_int_t)c->reserved_concurrency,
			 "Network", (int)c->network, "Environment", env, "Layers", layers,
			 "OptDir", r->opt_hash, "LastModified", r->modified);
fail:
	json_decref(env);
	json_decref(layers);
	return NULL;
}

static bool in_range(json_int_t v, long lo, long hi)
{
	return v >= lo && v <= hi;
}

int fnrecord_unpack(const json_t *j, const char *path, const char *name, unsigned version,
		    struct fnrec *r, struct err *e)
{
	const char *fname, *sha, *handler, *desc, *opt, *mod;
	json_int_t ver, size, timeout, mem, tmp, conc;
	int net;
	json_t *env, *layers, *it;
	json_error_t je;
	size_t i;

	if (json_unpack_ex((json_t *)j, &je, 0,
			   "{s:s, s:I, s:s, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:b, s:o, s:o, "
			   "s:s, s:s}",
			   "FunctionName", &fname, "Version", &ver, "CodeSha256", &sha,
			   "CodeSize", &size, "Handler", &handler, "Description", &desc,
			   "Timeout", &timeout, "MemorySize", &mem, "EphemeralStorage", &tmp,
			   "ReservedConcurrency", &conc, "Network", &net, "Environment", &env,
			   "Layers", &layers, "OptDir", &opt, "LastModified", &mod) ||
	    strcmp(fname, name) || ver != (json_int_t)version ||
	    !regutil_is_sha(sha, strlen(sha)) || size < 0 || !fnrecord_valid_handler(handler) ||
	    strlen(desc) > REGISTRY_DESC_MAX ||
	    !in_range(timeout, FN_TIMEOUT_MIN_S, FN_TIMEOUT_MAX_S) ||
	    !in_range(mem, FN_MEMORY_MIN_MB, FN_MEMORY_MAX_MB) ||
	    !in_range(tmp, REGISTRY_TMP_MIN_MB, REGISTRY_TMP_MAX_MB) ||
	    !in_range(conc, 0, REGISTRY_CONCURRENCY_MAX) || !json_is_array(env) ||
	    !json_is_array(layers) || json_array_size(layers) > FN_LAYERS_MAX ||
	    (*opt && !regutil_is_sha(opt, strlen(opt))) || strlen(mod) >= sizeof r->modified)
		goto corrupt;
	fnrecord_defaults(r, name);
	r->version = version;
	snprintf(r->cfg.code_sha256, sizeof r->cfg.code_sha256, "%s", sha);
	snprintf(r->cfg.handler, sizeof r->cfg.handler, "%s", handler);
	snprintf(r->cfg.version, sizeof r->cfg.version, "%u", version);
	r->cfg.timeout_s = (unsigned)timeout;
	r->cfg.memory_mb = (unsigned)mem;
	r->cfg.tmp_mb = (unsigned)tmp;
	r->cfg.reserved_concurrency = (unsigned)conc;
	r->cfg.network = net;
	r->code_size = (unsigned long long)size;
	snprintf(r->description, sizeof r->description, "%s", desc);
	snprintf(r->opt_hash, sizeof r->opt_hash, "%s", opt);
	snprintf(r->modified, sizeof r->modified, "%s", mod);
	json_array_foreach(env, i, it) {
		if (!json_is_string(it) || fnconf_add_env(&r->cfg, json_string_value(it)))
			goto corrupt;
	}
	json_array_foreach(layers, i, it) {
		struct layer_ref *l = &r->layers[i];
		const char *ln, *dg;
		json_int_t lv, ls;

		if (json_unpack(it, "{s:s, s:I, s:I, s:s}", "Name", &ln, "Version", &lv, "CodeSize",
				&ls, "Digest", &dg) ||
		    !layerstore_valid_name(ln) || !in_range(lv, 1, REGUTIL_VERSION_MAX) || ls < 0 ||
		    !regutil_is_sha(dg, strlen(dg)))
			goto corrupt;
		snprintf(l->name, sizeof l->name, "%s", ln);
		l->version = (unsigned)lv;
		l->size = (unsigned long long)ls;
		memcpy(l->digest, dg, 65);
	}
	r->n_layers = json_array_size(layers);
	if ((r->n_layers > 0) != (*opt != '\0'))
		goto corrupt;
	return 0;
corrupt:
	return err_set(e, ERR_RUNTIME_INTERNAL, "corrupt record %s", path);
}

json_t *fnrecord_config_json(const struct fnrec *r, bool latest)
{
	const struct fn_config *c = &r->cfg;
	char arn[512], q[16], b64[45], larn[512], key[FN_ENV_MAX];
	json_t *vars = json_object(), *layers = json_array(), *j;

	if (!vars || !layers)
		goto fail;
	snprintf(q, sizeof q, "%u", r->version);
	regutil_arn(arn, sizeof arn, "function", c->name, latest ? NULL : q);
	regutil_sha_b64(c->code_sha256, b64);
	for (size_t off = 0; off < c->env_len; off += strlen(c->env + off) + 1) {
		const char *kv = c->env + off, *eq = strchr(kv, '=');

		memcpy(key, kv, (size_t)(eq - kv));
		key[eq - kv] = '\0';
		json_object_set_new(vars, key, json_string(eq + 1));
	}
	for (size_t i = 0; i < r->n_layers; i++) {
		snprintf(q, sizeof q, "%u", r->layers[i].version);
		regutil_arn(larn, sizeof larn, "layer", r->layers[i].name, q);
		json_array_append_new(layers, json_pack("{s:s, s:I}", "Arn", larn, "CodeSize",
							(json_int_t)r->layers[i].size));
	}
	snprintf(q, sizeof q, "%u", r->version);
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:{s:I}, s:{s:o}, s:o, "
		      "s:s, s:I, s:s, s:s, s:s, s:s, s:[s], s:b}",
		      "FunctionName", c->name, "FunctionArn", arn,
		      "Version", latest ? "$LATEST" : q, "Description", r->description,
		      "Runtime", "provided.tutti", "Handler", c->handler,
		      "Timeout", (json_int_t)c->timeout_s, "MemorySize", (json_int_t)c->memory_mb,
		      "CodeSize", (json_int_t)r->code_size,
		      "EphemeralStorage", "Size", (json_int_t)c->tmp_mb,
		      "Environment", "Variables", vars, "Layers", layers,
		      "CodeSha256", b64,
		      "ReservedConcurrentExecutions", (json_int_t)c->reserved_concurrency,
		      "LastModified", r->modified, "State", "Active",
		      "LastUpdateStatus", "Successful", "PackageType", "Zip",
		      "Architectures", FNREC_ARCH, "Network", (int)c->network);
	if (j && c->reserved_concurrency == 0)
		json_object_del(j, "ReservedConcurrentExecutions");
	return j;
fail:
	json_decref(vars);
	json_decref(layers);
	return NULL;
}

static bool reserved(const char *k, size_t n)
{
	for (size_t i = 0; i < sizeof reserved_env / sizeof reserved_env[0]; i++)
		if (strlen(reserved_env[i]) == n && !memcmp(reserved_env[i], k, n))
			return true;
	return false;
}

static bool same_key(const char *a, const char *b)
{
	size_t la = strcspn(a, "="), lb = strcspn(b, "=");

	return la == lb && !memcmp(a, b, la);
}

int fnrecord_set_env(struct fn_config *c, const char *const *kv, size_t n, struct err *e)
{
	c->env_len = 0;
	memset(c->env, 0, sizeof c->env);
	if (n > FN_ENV_MAX / 4)   /* "K=V\0" is at least 4 bytes */
		goto big;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(kv[i], '=');
		size_t kl = eq ? (size_t)(eq - kv[i]) : 0;
		bool later = false;
		int r;

		if (!eq || kl == 0 ||
		    !((kv[i][0] >= 'A' && kv[i][0] <= 'Z') || (kv[i][0] >= 'a' && kv[i][0] <= 'z')))
			return err_set(e, ERR_INVALID_PARAMETER,
				       "invalid environment variable '%.64s' (expected KEY=VALUE, the "
				       "key a letter then letters, digits or _)", kv[i]);
		if (reserved(kv[i], kl))
			return err_set(e, ERR_INVALID_PARAMETER,
				       "environment variable %.*s is reserved by Lambda", (int)kl, kv[i]);
		for (size_t k = i + 1; k < n && !later; k++)
			later = same_key(kv[i], kv[k]);
		if (later)
			continue;
		r = fnconf_add_env(c, kv[i]);
		if (r == -E2BIG)
			goto big;
		if (r)
			return err_set(e, ERR_INVALID_PARAMETER,
				       "invalid environment variable '%.64s' (expected KEY=VALUE, the "
				       "key a letter then letters, digits or _)", kv[i]);
	}
	return 0;
big:
	c->env_len = 0;
	return err_set(e, ERR_INVALID_PARAMETER,
		       "environment variables exceed %d bytes in total (Lambda's 4 KB limit)",
		       FN_ENV_MAX);
}

bool fnrecord_valid_handler(const char *h)
{
	size_t n = strlen(h);

	if (n == 0 || n > FN_HANDLER_MAX || (h[0] >= '0' && h[0] <= '9'))
		return false;
	for (const char *p = h; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

static int check_range(long v, long lo, long hi, const char *what, const char *unit,
		       struct err *e)
{
	if (v == -1 || (v >= lo && v <= hi))
		return 0;
	return err_set(e, ERR_INVALID_PARAMETER, "%s must be %ld-%ld%s (got %ld)", what, lo, hi,
		       unit, v);
}

int fnrecord_prepare(const struct registry_fn_spec *s, bool creating, struct fnrecord_prep *p,
		     struct err *e)
{
	struct stat st;
	int fd;

	memset(p, 0, sizeof *p);
	p->code_fd = -1;
	if (creating && !s->code_path)
		return err_set(e, ERR_INVALID_PARAMETER, "creating a function needs its code (.so)");
	if (s->code_path) {
		/* Opened once: everything after (type, size, copy, hash, the
		 * ELF check) uses this descriptor, so the path can't be swapped
		 * in between. O_NONBLOCK: opening a FIFO must not wait for a
		 * writer (it is refused just below). */
		fd = open(s->code_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			return err_set(e, ERR_INVALID_PARAMETER, "code file %s: %s", s->code_path,
				       strerror(errno));
		p->code_fd = fd;
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
			return err_set(e, ERR_INVALID_PARAMETER, "code file %s is not a regular file",
				       s->code_path);
		/* An early refusal only: /proc files say 0, so the copy
		 * enforces the limit again as it goes. */
		if ((unsigned long long)st.st_size > REGISTRY_CODE_MAX)
			return err_set(e, ERR_INVALID_PARAMETER, "code file %s is larger than %llu MiB",
				       s->code_path, REGISTRY_CODE_MAX >> 20);
	}
	if (s->handler && !fnrecord_valid_handler(s->handler))
		return err_set(e, ERR_INVALID_PARAMETER,
			       "invalid handler '%.80s' (a C symbol name, at most %d characters)",
			       s->handler, FN_HANDLER_MAX);
	if (s->description && strlen(s->description) > REGISTRY_DESC_MAX)
		return err_set(e, ERR_INVALID_PARAMETER, "description longer than %d characters",
			       REGISTRY_DESC_MAX);
	if (check_range(s->timeout_s, FN_TIMEOUT_MIN_S, FN_TIMEOUT_MAX_S, "timeout", " seconds", e) ||
	    check_range(s->memory_mb, FN_MEMORY_MIN_MB, FN_MEMORY_MAX_MB, "memory", " MB", e) ||
	    check_range(s->tmp_mb, REGISTRY_TMP_MIN_MB, REGISTRY_TMP_MAX_MB, "ephemeral storage (/tmp)",
			" MB", e) ||
	    check_range(s->reserved_concurrency, 0, REGISTRY_CONCURRENCY_MAX,
			"reserved concurrency", "", e))
		return -1;
	if (s->network < -1 || s->network > 1)
		return err_set(e, ERR_INVALID_PARAMETER, "network must be on or off");
	if (s->set_env && fnrecord_set_env(&p->env, s->env, s->n_env, e))
		return -1;
	if (s->set_layers) {
		if (s->n_layers > FN_LAYERS_MAX)
			return err_set(e, ERR_INVALID_PARAMETER,
				       "a function can use at most %d layers (got %zu)", FN_LAYERS_MAX,
				       s->n_layers);
		for (size_t i = 0; i < s->n_layers; i++) {
			if (layerstore_parse_ref(s->layers[i], p->layer_names[i], &p->layer_versions[i],
						 e))
				return -1;
			for (size_t k = 0; k < i; k++)
				if (!strcmp(p->layer_names[k], p->layer_names[i]))
					return err_set(e, ERR_INVALID_PARAMETER,
						       "layer %s is listed twice (two versions of the "
						       "same layer are not allowed)", p->layer_names[i]);
		}
	}
	return 0;
}

void fnrecord_apply(const struct registry_fn_spec *s, const struct fnrecord_prep *p,
		    struct fnrec *r)
{
	if (s->handler)
		snprintf(r->cfg.handler, sizeof r->cfg.handler, "%s", s->handler);
	if (s->description)
		snprintf(r->description, sizeof r->description, "%s", s->description);
	if (s->timeout_s != -1)
		r->cfg.timeout_s = (unsigned)s->timeout_s;
	if (s->memory_mb != -1)
		r->cfg.memory_mb = (unsigned)s->memory_mb;
	if (s->tmp_mb != -1)
		r->cfg.tmp_mb = (unsigned)s->tmp_mb;
	if (s->reserved_concurrency != -1)
		r->cfg.reserved_concurrency = (unsigned)s->reserved_concurrency;
	if (s->network != -1)
		r->cfg.network = s->network == 1;
	if (s->set_env) {
		memcpy(r->cfg.env, p->env.env, sizeof r->cfg.env);
		r->cfg.env_len = p->env.env_len;
	}
}
