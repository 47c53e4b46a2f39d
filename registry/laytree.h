/* laytree — the directory-tree work behind layers: checking and copying a
 * user's directory into a layer version, and laying layer trees over one
 * another for a merged /opt view. Internal to the registry (layerstore.c).
 *
 * Both walk open directory fds with *at() calls and never follow a
 * symlink, so a tree that changes under them cannot lead them outside it.
 * Thread-safety: reentrant. */
#ifndef TUTTI_LAYTREE_H
#define TUTTI_LAYTREE_H

#include <stddef.h>

#include "err.h"

#define LAYTREE_DEPTH_MAX 64   /* nesting; each level holds two fds open */

struct laytree_stats {
	unsigned entries;              /* files, directories and symlinks */
	unsigned long long bytes;      /* of regular files */
	char digest[65];               /* copy only: sha256 of the manifest */
};

/* With dfd < 0, check the tree at sfd: only regular files, directories and
 * symlinks whose target stays inside it; at most REGISTRY_LAYER_FILES_MAX
 * entries and REGISTRY_LAYER_BYTES_MAX bytes. With dfd >= 0 also copy it
 * there (files 0444, or 0555 when executable; directories 0755), enforcing
 * the same limits on what is actually read, and digest it: the same content
 * gives the same digest. 0, or -1 with InvalidParameterValueException (the
 * message names the offending path) or Runtime.InternalError. */
int laytree_copy(int sfd, int dfd, struct laytree_stats *st, struct err *e);

/* Lay the tree at sfd over the one at dfd (whose host path is dpath), as
 * extracting a later layer over earlier ones: each entry replaces what is
 * at its path. Files are hard links to the source (copies where linking
 * is impossible). 0 or -errno. */
int laytree_merge(int sfd, int dfd, const char *dpath);

/* The entries of an open directory but "." and "..", sorted (so digests
 * are reproducible), at most `max` of them (-E2BIG past it): 0 or -errno.
 * Free with laytree_names_free. */
int laytree_names(int dfd, size_t max, char ***out, size_t *n);
void laytree_names_free(char **v, size_t n);

#endif
