/* fnconf — everything the runtime needs to run one function version.
 *
 * A plain value type with fixed-size fields, so it can be copied into the
 * zygote over a socket as is (both ends are the same binary). The registry
 * fills it from $TUTTI_HOME; `tutti invoke PATH.so` and `tutti run
 * --function` fill it directly with fnconf_defaults + a path. */
#ifndef TUTTI_FNCONF_H
#define TUTTI_FNCONF_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define FN_NAME_MAX        64          /* as Lambda: 1-64 chars [A-Za-z0-9_-] */
#define FN_HANDLER_MAX     128
#define FN_ENV_MAX         4096        /* all K=V pairs together */
#define FN_LAYERS_MAX      5
#define FN_TIMEOUT_MIN_S   1
#define FN_TIMEOUT_MAX_S   900
#define FN_TIMEOUT_DEF_S   3
#define FN_MEMORY_MIN_MB   128
#define FN_MEMORY_MAX_MB   10240
#define FN_MEMORY_DEF_MB   128
#define FN_TMP_DEF_MB      512
#define FN_PAYLOAD_MAX     (6u * 1024 * 1024)   /* request and response */
#define FN_INIT_TIMEOUT_MS 10000

struct fn_config {
	char name[FN_NAME_MAX + 1];
	char version[16];                 /* "$LATEST", "3", or "local" */
	char code_path[PATH_MAX];         /* the .so on the host */
	char code_sha256[65];             /* identifies the code; "" if unknown */
	char handler[FN_HANDLER_MAX + 1]; /* symbol, default "handler" */
	char opt_dir[PATH_MAX];           /* merged layers, shown at /opt; "" = none */
	unsigned timeout_s;
	unsigned memory_mb;
	unsigned tmp_mb;
	unsigned reserved_concurrency;    /* 0 = no reservation (shared limit) */
	bool network;
	size_t env_len;                   /* bytes used in env */
	char env[FN_ENV_MAX];             /* "K=V\0K=V\0" */
};

/* Defaults for a function called `name` whose code is at `path`. */
void fnconf_defaults(struct fn_config *c, const char *name, const char *path);
/* Add K=V to c->env; -E2BIG past FN_ENV_MAX, -EINVAL if not K=V. */
int fnconf_add_env(struct fn_config *c, const char *kv);
/* A key identifying this exact configuration: environments are reused only
 * for invocations with the same key. */
void fnconf_key(const struct fn_config *c, char *out, size_t n);
/* Name rules (1-64 of [A-Za-z0-9_-]). */
bool fnconf_valid_name(const char *name);

#endif
