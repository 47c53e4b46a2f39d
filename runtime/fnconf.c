#include "fnconf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fsutil.h"

void fnconf_defaults(struct fn_config *c, const char *name, const char *path)
{
	memset(c, 0, sizeof *c);
	snprintf(c->name, sizeof c->name, "%s", name);
	snprintf(c->version, sizeof c->version, "$LATEST");
	snprintf(c->code_path, sizeof c->code_path, "%s", path);
	snprintf(c->handler, sizeof c->handler, "handler");
	c->timeout_s = FN_TIMEOUT_DEF_S;
	c->memory_mb = FN_MEMORY_DEF_MB;
	c->tmp_mb = FN_TMP_DEF_MB;
}

int fnconf_add_env(struct fn_config *c, const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t n = strlen(kv) + 1;

	if (!eq || eq == kv)
		return -EINVAL;
	for (const char *p = kv; p < eq; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return -EINVAL;
	if (c->env_len + n > sizeof c->env)
		return -E2BIG;
	memcpy(c->env + c->env_len, kv, n);
	c->env_len += n;
	return 0;
}

void fnconf_key(const struct fn_config *c, char *out, size_t n)
{
	char h[65];

	/* Everything that changes what an environment is goes into the hash. */
	struct {
		char code[PATH_MAX];
		char sha[65];
		char handler[FN_HANDLER_MAX + 1];
		char opt[PATH_MAX];
		unsigned t, m, tmp;
		bool net;
	} k;
	memset(&k, 0, sizeof k);
	memcpy(k.code, c->code_path, sizeof k.code);
	memcpy(k.sha, c->code_sha256, sizeof k.sha);
	memcpy(k.handler, c->handler, sizeof k.handler);
	memcpy(k.opt, c->opt_dir, sizeof k.opt);
	k.t = c->timeout_s;
	k.m = c->memory_mb;
	k.tmp = c->tmp_mb;
	k.net = c->network;
	char blob[sizeof k + FN_ENV_MAX];
	memcpy(blob, &k, sizeof k);
	memcpy(blob + sizeof k, c->env, c->env_len);
	fs_sha256_hex(blob, sizeof k + c->env_len, h);
	snprintf(out, n, "%s:%s:%.16s", c->name, c->version, h);
}

bool fnconf_valid_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > FN_NAME_MAX)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	return true;
}
