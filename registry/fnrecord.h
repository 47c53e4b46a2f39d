/* fnrecord — one published function version as the registry stores it,
 * packed to and unpacked from its JSON record explicitly (never a raw
 * struct on disk), and shown as Lambda's GetFunctionConfiguration. Also the
 * validation of the values a version holds. Internal to the registry.
 *
 * Record (functions/NAME/versions/N.json):
 *   {"FunctionName", "Version": N, "CodeSha256": hex, "CodeSize", "Handler",
 *    "Description", "Timeout", "MemorySize", "EphemeralStorage": MB,
 *    "ReservedConcurrency", "Network", "Environment": ["K=V", ...],
 *    "Layers": [{"Name", "Version", "CodeSize", "Digest"}], "OptDir": hash
 *    or "", "LastModified"}
 *
 * Ownership: json_t results are new references. Thread-safety: reentrant. */
#ifndef TUTTI_FNRECORD_H
#define TUTTI_FNRECORD_H

#include <jansson.h>
#include <stdbool.h>

#include "err.h"
#include "fnconf.h"
#include "layerstore.h"
#include "registry.h"

struct fnrec {
	struct fn_config cfg;       /* code_path and opt_dir are not stored */
	unsigned version;
	char description[REGISTRY_DESC_MAX + 1];
	unsigned long long code_size;
	struct layer_ref layers[FN_LAYERS_MAX];
	size_t n_layers;
	char opt_hash[65];          /* the merged /opt view, "" = no layers */
	char modified[32];
};

/* A version-less record of `name` with Lambda's defaults. */
void fnrecord_defaults(struct fnrec *r, const char *name);

json_t *fnrecord_pack(const struct fnrec *r);
/* Unpack and check a record read from `path` (named in errors), which must
 * belong to function `name`, version `version`. 0, or -1 with
 * Runtime.InternalError. */
int fnrecord_unpack(const json_t *j, const char *path, const char *name, unsigned version,
		    struct fnrec *r, struct err *e);

/* GetFunctionConfiguration of this version; `latest`: as seen through
 * $LATEST (unqualified ARN, Version "$LATEST"). */
json_t *fnrecord_config_json(const struct fnrec *r, bool latest);

/* Replace c's variables with kv[] ("K=V"; a repeated K: the last wins).
 * Keys: a letter then letters, digits, '_'; not one Lambda reserves;
 * all pairs within FN_ENV_MAX. 0 or -1 (InvalidParameterValueException). */
int fnrecord_set_env(struct fn_config *c, const char *const *kv, size_t n, struct err *e);

/* A create/update spec checked before the store lock is taken, so bad
 * input costs no I/O under it: ranges, handler, description, the code
 * file (a readable regular file within REGISTRY_CODE_MAX), variables,
 * layer references (syntax, count, no layer twice). Whether the layers
 * exist is checked under the lock. 0 or -1 (InvalidParameterValueException).
 * The code file is opened here, once (p->code_fd); the caller closes it
 * (on failure too, when it is not -1). */
struct fnrecord_prep {
	int code_fd;                             /* the code, opened once; -1 none */
	struct fn_config env;                    /* env/env_len when set_env */
	char layer_names[FN_LAYERS_MAX][REGISTRY_LAYER_NAME_MAX + 1];
	unsigned layer_versions[FN_LAYERS_MAX];  /* 0 = latest */
};
int fnrecord_prepare(const struct registry_fn_spec *s, bool creating, struct fnrecord_prep *p,
		     struct err *e);
/* Apply the spec's settings (not code or layers) to r. */
void fnrecord_apply(const struct registry_fn_spec *s, const struct fnrecord_prep *p,
		    struct fnrec *r);

/* A C identifier of at most FN_HANDLER_MAX characters. */
bool fnrecord_valid_handler(const char *h);

#endif
