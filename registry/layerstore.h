/* layerstore — the layer half of the registry: publishing a directory as a
 * layer version, layer records, and the merged /opt views of a function's
 * layers. Internal to the registry (registry.h is the public API, and takes
 * the store lock around every mutation here).
 *
 *   layers/NAME/<N>/      the version's tree: files read-only (0444, or
 *                         0555 when executable), directories 0755
 *   layers/NAME/<N>.json  its record; a version exists iff this exists
 *   layers/NAME/last      the last number published (numbers never reused)
 *   opt/<sha256>/         layers merged in order, later ones replacing
 *                         earlier entries; files are hard links to the
 *                         layer trees (copies across filesystems), so a
 *                         view survives deletion of its layer versions
 *
 * Ownership: paths and names borrowed; json_t out-values are new refs.
 * Thread-safety: mutations need the registry's lock; reads are lock-free. */
#ifndef TUTTI_LAYERSTORE_H
#define TUTTI_LAYERSTORE_H

#include <jansson.h>
#include <stdbool.h>

#include "err.h"
#include "registry.h"

struct layer_ref {
	char name[REGISTRY_LAYER_NAME_MAX + 1];
	unsigned version;
	unsigned long long size;       /* bytes of regular files */
	char digest[65];               /* sha256 of the tree's manifest */
};

bool layerstore_valid_name(const char *name);

/* Parse "NAME", "NAME:VER" or a layer version ARN into name and version
 * (0 = the latest). 0 or -1 (InvalidParameterValueException). */
int layerstore_parse_ref(const char *ref, char name[REGISTRY_LAYER_NAME_MAX + 1],
			 unsigned *version, struct err *e);

/* Fill `out` for an existing layer version (version 0: the latest).
 * -1 with ResourceNotFoundException when it does not exist. */
int layerstore_lookup(const char *home, const char *name, unsigned version,
		      struct layer_ref *out, struct err *e);

int layerstore_publish(const char *home, const char *name, const char *dir,
		       const char *description, json_t **out, struct err *e);
int layerstore_list_json(const char *home, json_t **out, struct err *e);
int layerstore_versions_json(const char *home, const char *name, json_t **out,
			     struct err *e);
int layerstore_get_json(const char *home, const char *ref, json_t **out, struct err *e);
int layerstore_delete(const char *home, const char *ref, struct err *e);

/* The view's name: sha256 over the ordered (name, version, digest) list. */
void layerstore_opt_hash(const struct layer_ref *refs, size_t n, char out[65]);
/* Make sure opt/<hash> exists, building it from the layer trees when it
 * does not; *created says it was built now (so a caller that gives up can
 * remove it). 0 or -1 with e set. */
int layerstore_materialize(const char *home, const struct layer_ref *refs, size_t n,
			   char hash[65], bool *created, struct err *e);

#endif
