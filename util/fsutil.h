/* fsutil — small filesystem helpers used by every store.
 *
 * All return 0 or -errno. Paths are borrowed. fs_read_file returns a
 * malloc'd, NUL-terminated buffer the caller frees; it refuses files larger
 * than `cap` with -EFBIG. Writes are atomic (temp file + fsync + rename), so
 * a crash leaves either the old or the new content, never a mix. */
#ifndef TUTTI_FSUTIL_H
#define TUTTI_FSUTIL_H

#include <stddef.h>

int fs_mkdir_p(const char *path, unsigned mode);
int fs_read_file(const char *path, size_t cap, char **out, size_t *len);
int fs_write_atomic(const char *path, const void *data, size_t len, unsigned mode);
/* Copy what descriptor `in` reads from offset 0 (pread: its position does
 * not matter) into dst atomically, with mode `mode`, hashing the same
 * bytes into sha_hex[65] (may be NULL) and their count into *size. The cap
 * holds while copying, whatever the file claims its size is: one byte more
 * than `cap` stops the copy with -EFBIG (nothing left behind). */
int fs_copy_fd_atomic(int in, const char *dst, unsigned mode, unsigned long long cap, char *sha_hex,
		      unsigned long long *size);
int fs_rm_rf(const char *path);
/* A private directory for tutti's state ($TUTTI_HOME): created 0700 when
 * missing (missing parents too); refused when it is not a directory, is
 * owned by another user, or group or others may write it, or when one of
 * its ancestors is owned by another user (not root) or writable by others
 * without the sticky bit — the directories the path as given walks through
 * (checked first, before anything is created) and those above the resolved
 * path; an existing directory others may read or enter (0755 from older
 * versions) is tightened to 0700, last. 0, or -errno with a
 * sentence in why[n] ("... is writable by its group or others (mode
 * 0775)"). */
int fs_private_dir(const char *path, char *why, size_t n);
int fs_exists(const char *path);
/* Hex SHA-256 of a file's contents into out[65]. */
int fs_sha256_file(const char *path, char out[65]);

#endif
