#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void hex(const unsigned char *md, unsigned n, char out[65]);

int fs_mkdir_p(const char *path, unsigned mode)
{
	char tmp[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof tmp)
		return -ENAMETOOLONG;
	memcpy(tmp, path, n + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int fs_read_file(const char *path, size_t cap, char **out, size_t *len)
{
	int fd = -1, rc = 0;
	char *data = NULL;
	size_t used = 0, alloc = 0;

	*out = NULL;
	if (len)
		*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* A regular file: one buffer of its size (plus room to see the end),
	 * not a doubling one copied as it grows. */
	{
		struct stat sb;

		if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
		    (size_t)sb.st_size <= cap) {
			alloc = (size_t)sb.st_size + 4096;
			data = malloc(alloc + 1);
			if (!data) {
				rc = -ENOMEM;
				goto out;
			}
		}
	}
	for (;;) {
		ssize_t r;

		if (alloc - used < 4096) {
			size_t n = alloc ? alloc * 2 : 8192;
			char *p;

			if (n > cap + 4096)
				n = cap + 4096;
			if (n <= used) {
				rc = -EFBIG;
				goto out;
			}
			p = realloc(data, n + 1);
			if (!p) {
				rc = -ENOMEM;
				goto out;
			}
			data = p;
			alloc = n;
		}
		r = read(fd, data + used, alloc - used);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		if (r == 0)
			break;
		used += (size_t)r;
		if (used > cap) {
			rc = -EFBIG;
			goto out;
		}
	}
	if (!data) {
		data = malloc(1);
		if (!data) {
			rc = -ENOMEM;
			goto out;
		}
	}
	data[used] = '\0';
	*out = data;
	data = NULL;
	if (len)
		*len = used;
out:
	free(data);
	if (fd >= 0)
		close(fd);
	return rc;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int fs_write_atomic(const char *path, const void *data, size_t len, unsigned mode)
{
	char tmp[PATH_MAX];
	int fd = -1, rc;

	if (snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof tmp)
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	rc = write_all(fd, data, len);
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}

int fs_copy_fd_atomic(int in, const char *dst, unsigned mode, unsigned long long cap, char *sha_hex,
		      unsigned long long *size)
{
	const size_t bsz = 65536;
	char tmp[PATH_MAX];
	unsigned char *b = NULL;
	unsigned long long done = 0;
	int out = -1, rc = 0;
	EVP_MD_CTX *md = NULL;

	*size = 0;
	if (snprintf(tmp, sizeof tmp, "%s.tmp.%d", dst, (int)getpid()) >= (int)sizeof tmp)
		return -ENAMETOOLONG;
	/* (heap, not TLS: static TLS is in every thread of every process
	 * linking libtutti, sandboxed functions' threads included) */
	b = malloc(bsz);
	if (!b)
		return -ENOMEM;
	if (sha_hex) {
		md = EVP_MD_CTX_new();
		if (!md) {
			free(b);
			return -ENOMEM;
		}
		EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	}
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (out < 0) {
		rc = -errno;
		goto out;
	}
	for (;;) {
		ssize_t r = pread(in, b, bsz, (off_t)done);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto out;
		}
		if (r == 0)
			break;
		if ((unsigned long long)r > cap - done) {
			rc = -EFBIG;
			goto out;
		}
		if (md)
			EVP_DigestUpdate(md, b, (size_t)r);
		rc = write_all(out, b, (size_t)r);
		if (rc)
			goto out;
		done += (unsigned long long)r;
	}
	if (fchmod(out, mode) < 0 || fsync(out) < 0)
		rc = -errno;
out:
	if (out >= 0 && close(out) < 0 && !rc)
		rc = -errno;
	if (!rc && rename(tmp, dst) < 0)
		rc = -errno;
	if (rc && out >= 0)
		unlink(tmp);
	if (md) {
		unsigned char d[EVP_MAX_MD_SIZE];
		unsigned n = 0;

		EVP_DigestFinal_ex(md, d, &n);
		if (!rc)
			hex(d, n, sha_hex);
		EVP_MD_CTX_free(md);
	}
	if (!rc)
		*size = done;
	free(b);
	return rc;
}

/* Every directory above `p` (modified: cut at each '/'): owned by root or
 * us, and not writable by anyone without the sticky bit. With `lexical`,
 * `p` is the path as given (its prefixes stat'ed, so through whatever
 * symlinks it names; prefixes not there yet are ours to create); else the
 * resolved path. */
static int trusted_above(char *p, bool lexical, const char *path, uid_t me, char *why, size_t n)
{
	struct stat st;

	for (char *slash = strrchr(p, '/'); slash; slash = strrchr(p, '/')) {
		*slash = '\0';
		const char *dir = slash == p ? "/" : p;

		if (stat(dir, &st) < 0) {
			if (lexical && errno == ENOENT)
				continue;
			snprintf(why, n, "cannot stat %s: %s", dir, strerror(errno));
			return -errno;
		}
		if (st.st_uid != 0 && st.st_uid != me) {
			snprintf(why, n, "%s, above %s, is owned by another user (uid %u)", dir, path,
				 (unsigned)st.st_uid);
			return -EPERM;
		}
		if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX)) {
			snprintf(why, n, "%s, above %s, is writable by anyone (mode %04o, no sticky bit)", dir, path,
				 (unsigned)(st.st_mode & 07777));
			return -EPERM;
		}
		if (slash == p)
			break;
	}
	return 0;
}

int fs_private_dir(const char *path, char *why, size_t n)
{
	char real[PATH_MAX], given[PATH_MAX];
	struct stat st;
	uid_t me = geteuid();
	int fd = -1, rc;

	*why = '\0';
	/* Whoever may replace an ancestor may replace the directory: checked
	 * before anything is created or changed, on the path as given (a
	 * symlink there, swapped in by whoever owns its directory, would
	 * otherwise lead the checks and the chmod below anywhere, /etc
	 * included) and, further down, on the resolved one. */
	if (path[0] == '/')
		rc = snprintf(given, sizeof given, "%s", path);
	else
		rc = getcwd(real, sizeof real) ? snprintf(given, sizeof given, "%s/%s", real, path) : -errno;
	if (rc >= 0 && (size_t)rc >= sizeof given)
		rc = -ENAMETOOLONG;
	if (rc < 0) {
		snprintf(why, n, "cannot resolve %s: %s", path, strerror(-rc));
		return rc;
	}
	if ((rc = trusted_above(given, true, path, me, why, n)))
		return rc;
	if ((rc = fs_mkdir_p(path, 0700))) {
		snprintf(why, n, "cannot create %s: %s", path, strerror(-rc));
		return rc;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		snprintf(why, n, "cannot open %s: %s", path, strerror(errno));
		goto out;
	}
	if (st.st_uid != me) {
		rc = -EPERM;
		snprintf(why, n, "%s is owned by uid %u, not by this user (uid %u)", path, (unsigned)st.st_uid,
			 (unsigned)me);
		goto out;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		rc = -EPERM;
		snprintf(why, n, "%s is writable by its group or others (mode %04o); chmod 700 it", path,
			 (unsigned)(st.st_mode & 07777));
		goto out;
	}
	if (!realpath(path, real)) {
		rc = -errno;
		snprintf(why, n, "cannot resolve %s: %s", path, strerror(errno));
		goto out;
	}
	if ((rc = trusted_above(real, false, path, me, why, n)))
		goto out;
	/* Last, once everything above is known to be ours. */
	if ((st.st_mode & 077) && fchmod(fd, st.st_mode & 07700) < 0) {
		rc = -errno;
		snprintf(why, n, "cannot make %s private (chmod 700): %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(p) < 0 ? -1 : 0;
	return unlink(p) < 0 ? -1 : 0;
}

int fs_rm_rf(const char *path)
{
	if (access(path, F_OK) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) < 0)
		return -errno;
	return 0;
}

int fs_exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static void hex(const unsigned char *md, unsigned n, char out[65])
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned i = 0; i < n && i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[64] = '\0';
}

int fs_sha256_file(const char *path, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE], b[65536];
	unsigned n = 0;
	int fd, rc = 0;
	EVP_MD_CTX *ctx;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ctx = EVP_MD_CTX_new();
	if (!ctx) {
		close(fd);
		return -ENOMEM;
	}
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (;;) {
		ssize_t r = read(fd, b, sizeof b);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (r == 0)
			break;
		EVP_DigestUpdate(ctx, b, (size_t)r);
	}
	if (!rc) {
		EVP_DigestFinal_ex(ctx, md, &n);
		hex(md, n, out);
	}
	EVP_MD_CTX_free(ctx);
	close(fd);
	return rc;
}
