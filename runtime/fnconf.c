#include "fnconf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <stdint.h>

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

/* FNV-1a: the key is computed for every invocation, so it must be cheap;
 * collisions only matter within one process's pools and are guarded by the
 * name and version in clear. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++) {
		h ^= c[i];
		h *= 1099511628211ull;
	}
	return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s, strlen(s) + 1);
}

void fnconf_key(const struct fn_config *c, char *out, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	unsigned nums[4] = { c->timeout_s, c->memory_mb, c->tmp_mb, c->network };

	/* Everything that changes what an environment is goes into the key. */
	h = fnv_str(h, c->code_path);
	h = fnv_str(h, c->code_sha256);
	h = fnv_str(h, c->handler);
	h = fnv_str(h, c->opt_dir);
	h = fnv(h, nums, sizeof nums);
	h = fnv(h, c->env, c->env_len);
	snprintf(out, n, "%s:%s:%016llx", c->name, c->version, (unsigned long long)h);
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
