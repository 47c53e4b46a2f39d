/* worker — the execution environment's main loop (inside the sandbox).
 *
 * Receives the function's configuration from tutti on SANDBOX_CHAN_FD
 * (PROTO_CONFIG: it never passes through the zygote), sets the function's
 * environment variables, loads the function (layer libraries from /opt/lib
 * first), checks its ABI marker and handler, runs `init` once, then serves
 * INVOKE frames one at a time until the channel closes. Load and init
 * failures are sent as PROTO_INIT_ERROR with their error name. */
#ifndef TUTTI_WORKER_H
#define TUTTI_WORKER_H

#include <stdint.h>

#include "fnconf.h"

enum worker_mode {
	WORKER_SERVE = 0,   /* init, then invocations */
	WORKER_CHECK = 1,   /* load and check only, reply LOADED, exit */
};

/* What an environment learns of its function (the PROTO_CONFIG body: the
 * fixed part, then env_len bytes of "K=V\0" pairs). No host paths. */
struct worker_config {
	char name[FN_NAME_MAX + 1];
	char version[16];
	char handler[FN_HANDLER_MAX + 1];
	uint32_t memory_mb;
	uint32_t timeout_s;
	int32_t mode;
	uint32_t env_len;
	char env[FN_ENV_MAX];
};

#define WORKER_CONFIG_FIXED (sizeof(struct worker_config) - FN_ENV_MAX)

/* In tutti: the configuration an environment of `c` gets (returns the
 * number of bytes of *w to send). */
size_t worker_config_make(struct worker_config *w, const struct fn_config *c, int mode);

__attribute__((noreturn)) void worker_main(void);

#endif
