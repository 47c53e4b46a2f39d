/* integ_loader — the HTTP and S3 integrations, loaded on demand.
 *
 * The integrations (integrations.h, http_task, s3_task, bucket*, and the
 * body of `tutti bucket`) need libcurl, libs3 and libxml2: ~30 shared
 * libraries and ~30 ms of process start. They live in their own shared
 * object, tutti-integrations.so, so that the tutti binary (and every
 * sandbox forked from it) links only jansson, libseccomp, libcap and
 * libcrypto. integ_load() dlopens it the first time a command needs it.
 *
 * Where the object is looked for, first match wins:
 *   $TUTTI_INTEGRATIONS                          (a path; overrides the rest)
 *   <dir of /proc/self/exe>/../lib/tutti-integrations.so        (the build tree)
 *   <dir of /proc/self/exe>/../lib/tutti/tutti-integrations.so  (make install)
 * Its undefined symbols (err_set, buf_*, engine_register_task, ...) resolve
 * against the tutti executable, which exports exactly those (the Makefile
 * generates the list from the objects). The object exports one symbol,
 * INTEG_SYMBOL, a const struct integ_api.
 *
 * Ownership: the table is static data of the loaded object, which is never
 * unloaded; callers keep no handle. Thread-safety: integ_load may be
 * called from any thread (dlopen serialises); the loader keeps no state of
 * its own. Threads: loading starts none (the integrations start theirs on
 * their first call), so the runtime's zygote may be forked before or after. */
#ifndef TUTTI_INTEG_LOADER_H
#define TUTTI_INTEG_LOADER_H

#include <stdbool.h>

#include "err.h"

struct asl_machine;
struct engine;
struct integrations;

/* Bumped whenever struct integ_api or a signature in it changes: a stale
 * tutti-integrations.so is refused instead of called wrongly. */
#define INTEG_API_VERSION 1
#define INTEG_SYMBOL      "tutti_integrations"
#define INTEG_SO_NAME     "tutti-integrations.so"
#define INTEG_ENV         "TUTTI_INTEGRATIONS"

struct integ_api {
	unsigned version;        /* INTEG_API_VERSION */
	unsigned size;           /* sizeof(struct integ_api) */
	/* integrations.h */
	struct integrations *(*integrations_new)(const char *home, struct err *e);
	int (*integrations_register)(struct integrations *in, struct engine *eng, struct err *e);
	void (*integrations_free)(struct integrations *in);
	/* `tutti bucket ARGS...` (argv[0] is "bucket"); returns the exit code. */
	int (*bucket_main)(int argc, char **argv, const char *home);
};

/* The loaded table, or NULL with e set (States.Runtime: "the HTTP/S3
 * integrations are not available: <why>"). Loads on the first call. */
const struct integ_api *integ_load(struct err *e);

/* Whether `m` (Parallel branches and Map processors included) has a Task
 * the integrations serve: arn:aws:states:::http:invoke or
 * arn:aws:states:::aws-sdk:s3:*. Needs nothing loaded. */
bool integ_machine_needs(const struct asl_machine *m);

/* Defined in tutti-integrations.so only (cli/integ_bucket.c): reach it
 * through integ_load()->bucket_main. */
int integ_bucket_main(int argc, char **argv, const char *home);

#endif
