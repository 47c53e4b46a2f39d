/* regutil — helpers shared by the registry's two halves (registry.c for
 * functions, layerstore.c for layers): reference and ARN parsing, numbered
 * record directories, JSON records on disk, timestamps. Internal to the
 * registry; not part of the library's public API.
 *
 * Ownership: json_t values returned through `out` are new references.
 * Thread-safety: all functions are reentrant. */
#ifndef TUTTI_REGUTIL_H
#define TUTTI_REGUTIL_H

#include <jansson.h>
#include <stddef.h>

#include "err.h"

#define REGUTIL_REF_MAX     512          /* longest reference or ARN accepted */
#define REGUTIL_QUAL_MAX    128
#define REGUTIL_RECORD_MAX  (1u << 20)   /* one JSON record on disk */
#define REGUTIL_VERSION_MAX 999999999u

/* Strict decimal in 1..max (no sign, no leading zero, no junk): 0 or -1. */
int regutil_parse_uint(const char *s, unsigned max, unsigned *out);

/* Split "NAME", "NAME:QUAL" or "arn:PARTITION:lambda:REGION:ACCOUNT:KIND:NAME[:QUAL]"
 * (KIND is "function" or "layer"). qual is "" when absent. The name is not
 * validated beyond its length. 0, or -1 with InvalidParameterValueException. */
int regutil_split_ref(const char *ref, const char *kind, char *name, size_t name_sz,
		      char *qual, size_t qual_sz, struct err *e);

/* "arn:aws:lambda:local:000000000000:KIND:NAME[:QUAL]" into out. */
void regutil_arn(char *out, size_t n, const char *kind, const char *name, const char *qual);

/* Numbers N of the entries "N<suffix>" in dir, ascending, in a malloc'd
 * array (*out NULL when none). A missing dir has none. 0 or -errno. */
int regutil_numbers(const char *dir, const char *suffix, unsigned **out, size_t *n);

/* Read a JSON object record: 0; -ENOENT when missing (e untouched); -1 with
 * e set (Runtime.InternalError) when unreadable or not a JSON object. */
int regutil_read_json(const char *path, json_t **out, struct err *e);
/* Write a record atomically (0600: records hold variables): 0, or -1 with e set. */
int regutil_write_json(const char *path, const json_t *j, struct err *e);

/* vsnprintf into out[PATH_MAX]: 0, or -ENAMETOOLONG (out truncated). The
 * registry caps $TUTTI_HOME at REGISTRY_HOME_MAX so that its own paths
 * always fit; callers building from those need not check. */
int regutil_path(char *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Set e to Runtime.InternalError "cannot WHAT PATH: strerror(-rc)"; -1. */
int regutil_ioerr(struct err *e, const char *what, const char *path, int rc);

/* Lambda's time format, "2024-05-01T12:00:00.000+0000". */
void regutil_timestamp(char out[32]);
/* Hex SHA-256 to the base64 Lambda shows as CodeSha256. */
void regutil_sha_b64(const char *hex, char out[45]);
/* A 64-char lower-case hex digest? */
int regutil_is_sha(const char *s, size_t len);

/* Remove leftovers of interrupted writers in dir: entries whose name starts
 * with ".tmp", ".incoming" or ".trash", or contains ".tmp.". Only call with
 * the store lock held (then no writer is in flight). */
void regutil_sweep(const char *dir);

#endif
