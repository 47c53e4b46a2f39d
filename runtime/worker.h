/* worker — the execution environment's main loop (inside the sandbox).
 *
 * Loads the function (layer libraries from /opt/lib first), checks its ABI
 * marker and handler, runs `init` once, then serves INVOKE frames on
 * SANDBOX_CHAN_FD one at a time until the channel closes. Load and init
 * failures are sent as PROTO_INIT_ERROR with their error name. */
#ifndef TUTTI_WORKER_H
#define TUTTI_WORKER_H

#include "fnconf.h"

enum worker_mode {
	WORKER_SERVE = 0,   /* init, then invocations */
	WORKER_CHECK = 1,   /* load and check only, reply LOADED, exit */
};

__attribute__((noreturn)) void worker_main(const struct fn_config *cfg, int mode);

#endif
