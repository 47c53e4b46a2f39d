/* registry — functions and layers stored under $TUTTI_HOME, as Lambda keeps
 * them: every create/update publishes an immutable numbered version (1, 2,
 * ...) and moves $LATEST to it; layers are published as numbered read-only
 * trees; a function version's layers are merged once into one directory that
 * the runtime shows at /opt.
 *
 * On disk (see docs/cli.md for the full layout):
 *   code/<sha256>.so                  function code, by content, 0644
 *   functions/NAME/versions/<N>.json  one record per published version
 *   layers/NAME/<N>/  + <N>.json      layer version tree and its record
 *   layers/NAME/last                  last version number ever published
 *   opt/<sha256>/                     merged layer views
 *   .registry.lock                    store-wide lock for writers
 * $LATEST is the highest numbered version of a function: publishing is the
 * atomic rename of one record, and the version $LATEST points to cannot be
 * deleted on its own.
 *
 * References: "NAME", "NAME:$LATEST", "NAME:3", and the ARN forms
 * "arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]". Layers:
 * "NAME" (its latest version), "NAME:3", "arn:...:layer:NAME:3".
 *
 * Errors: every function returns 0 (or a version number, or a value) on
 * success and -1 (or NULL) with *e set: ResourceNotFoundException (unknown
 * function, version or layer), ResourceConflictException (create of an
 * existing name, deleting the version $LATEST points to),
 * InvalidParameterValueException (a value out of range or malformed), the
 * check callback's own error, or Runtime.InternalError (the store could not
 * be read or written; the message names the path and errno).
 *
 * Ownership: strings and specs passed in are borrowed; json_t values
 * returned through `out` are new references the caller json_decref()s.
 *
 * Thread-safety: one struct registry may be used from many threads. Reads
 * (resolve, get, list) take no lock: every record is replaced by an atomic
 * rename, so a reader sees the old or the new state. Writers serialize on
 * a mutex and a POSIX record lock on .registry.lock (which, unlike flock,
 * is not inherited by children forked while it is held), so concurrent
 * processes and threads never interleave a read-modify-write. */
#ifndef TUTTI_REGISTRY_H
#define TUTTI_REGISTRY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "fnconf.h"

#define REGISTRY_HOME_MAX         2048   /* so every path under it fits PATH_MAX */
#define REGISTRY_ACCOUNT          "000000000000"
#define REGISTRY_REGION           "local"
#define REGISTRY_DESC_MAX         256
#define REGISTRY_LAYER_NAME_MAX   140
#define REGISTRY_TMP_MIN_MB       512
#define REGISTRY_TMP_MAX_MB       10240
#define REGISTRY_CONCURRENCY_MAX  1000
#define REGISTRY_CODE_MAX         (250ull << 20)   /* the .so file */
#define REGISTRY_LAYER_BYTES_MAX  (250ull << 20)   /* Lambda's unzipped limit */
#define REGISTRY_LAYER_FILES_MAX  10000u           /* entries in one layer */

struct registry;

/* Loads the candidate configuration (code_path is a private copy of the
 * code, opt_dir its merged layers) and says whether it can run: 0, or -1
 * with *e set. Runs with the store lock held, so other writers wait for
 * it. The CLI passes rt_check_code; start the runtime (its zygote) before
 * calling create/update rather than lazily inside the check. */
typedef int (*registry_check_fn)(void *arg, const struct fn_config *cfg, struct err *e);

/* What create/update set. On update every field left at its "keep" value
 * keeps the previous version's setting; on create it takes the default
 * (Lambda's: handler "handler", 3 s, 128 MB, 512 MB /tmp, no network). */
struct registry_fn_spec {
	const char *code_path;            /* required on create; NULL keeps */
	const char *handler;              /* NULL keeps */
	const char *description;          /* NULL keeps */
	long timeout_s;                   /* -1 keeps; else 1-900 */
	long memory_mb;                   /* -1 keeps; else 128-10240 */
	long tmp_mb;                      /* -1 keeps; else 512-10240 */
	long reserved_concurrency;        /* -1 keeps; 0 removes the reservation */
	int network;                      /* -1 keeps; 0 off; 1 on */
	bool set_env;                     /* replace the variables with env[] */
	const char *const *env;           /* "K=V"; a repeated K: the last wins */
	size_t n_env;
	bool set_layers;                  /* replace the layer list with layers[] */
	const char *const *layers;        /* layer references, in /opt order */
	size_t n_layers;
};

/* A spec whose every field keeps (callers then set what they change). */
void registry_fn_spec_init(struct registry_fn_spec *s);

/* Opens (creating the directories of) the store under `home`. */
struct registry *registry_open(const char *home, struct err *e);
void registry_close(struct registry *reg);

/* Create `name` as version 1, or publish the next version of an existing
 * function from the latest one + `spec`. Everything is validated and
 * `check` (may be NULL) is run before anything is stored; on failure the
 * store is unchanged. Returns the new version number (>= 1) or -1. */
int registry_function_create(struct registry *reg, const char *name,
			     const struct registry_fn_spec *spec,
			     registry_check_fn check, void *arg, struct err *e);
int registry_function_update(struct registry *reg, const char *name,
			     const struct registry_fn_spec *spec,
			     registry_check_fn check, void *arg, struct err *e);

/* Fill `out` with what the runtime needs to run `ref`. version is "$LATEST"
 * for unqualified references, else the number. */
int registry_resolve(struct registry *reg, const char *ref, struct fn_config *out,
		     struct err *e);

/* Lambda's GetFunctionConfiguration for `ref`. */
int registry_function_get_json(struct registry *reg, const char *ref, json_t **out,
			       struct err *e);
/* {"Functions": [...]}: $LATEST of every function, by name. */
int registry_function_list_json(struct registry *reg, json_t **out, struct err *e);
/* {"Versions": [...]}: $LATEST then every published version, ascending. */
int registry_function_versions_json(struct registry *reg, const char *name, json_t **out,
				    struct err *e);
/* "NAME" deletes every version; "NAME:N" one version (not the one $LATEST
 * points to). Code and /opt views no longer used are removed. */
int registry_function_delete(struct registry *reg, const char *ref, struct err *e);

/* Publish the tree at `dir` as the next version of layer `name`:
 * regular files, directories and symlinks that stay inside `dir`; at most
 * REGISTRY_LAYER_BYTES_MAX bytes and REGISTRY_LAYER_FILES_MAX entries.
 * `out` (may be NULL) gets Lambda's PublishLayerVersion response.
 * Returns the version number or -1. */
int registry_layer_publish(struct registry *reg, const char *name, const char *dir,
			   const char *description, json_t **out, struct err *e);
/* {"Layers": [...]} as ListLayers (each with its LatestMatchingVersion). */
int registry_layer_list_json(struct registry *reg, json_t **out, struct err *e);
/* {"LayerVersions": [...]} of one layer, newest first, as ListLayerVersions. */
int registry_layer_versions_json(struct registry *reg, const char *name, json_t **out,
				 struct err *e);
/* GetLayerVersion of "NAME[:VER]" (no version: the latest). */
int registry_layer_get_json(struct registry *reg, const char *ref, json_t **out,
			    struct err *e);
/* "NAME:VER" deletes one version, "NAME" all of them. As in Lambda, a
 * version still used by functions may be deleted: those function versions
 * keep working (their /opt view holds its own links to the files) but no
 * new function version can reference it. Version numbers are not reused. */
int registry_layer_delete(struct registry *reg, const char *ref, struct err *e);

#endif
