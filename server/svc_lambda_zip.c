/* svc_lambda_zip — a code or layer zip into a directory, with libzip, for
 * hostile zips (svc_lambda.h: lambda_zip_extract). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "svc_lambda.h"

#define ERR_ZIP     "InvalidParameterValueException"
#define LINK_MAX_SZ 4096
#define CHUNK       (64 * 1024)

/* The path's components into comp[] (pointers into buf, a copy of name):
 * "." and empty ones skipped. -1 with e on a refused name. */
static int split_name(const char *name, char *buf, size_t bufsz, char **comp, unsigned *n, struct err *e)
{
	char *save = NULL, *c;

	*n = 0;
	if (!*name)
		return err_setn(e, ERR_ZIP, "Could not unzip uploaded file: an entry has an empty name");
	if (strlen(name) >= bufsz || strlen(name) > LAMBDA_ZIP_NAME_MAX)
		return err_setn(e, ERR_ZIP, "Could not unzip uploaded file: an entry's name is longer than %u bytes",
				LAMBDA_ZIP_NAME_MAX);
	if (name[0] == '/')
		return err_setn(e, ERR_ZIP, "Could not unzip uploaded file: entry '%.200s' has an absolute path",
				name);
	if (strchr(name, '\\'))
		return err_setn(e, ERR_ZIP, "Could not unzip uploaded file: entry '%.200s' has a backslash in its path",
				name);
	snprintf(buf, bufsz, "%s", name);
	for (c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, ".."))
			return err_setn(e, ERR_ZIP,
					"Could not unzip uploaded file: entry '%.200s' leaves the archive's directory (..)",
					name);
		if (*n == LAMBDA_ZIP_DEPTH_MAX)
			return err_setn(e, ERR_ZIP, "Could not unzip uploaded file: entry '%.200s' is deeper than %u",
					name, LAMBDA_ZIP_DEPTH_MAX);
		comp[(*n)++] = c;
	}
	return 0;
}

/* Whether a symlink at depth `depth` (its directory's components) whose
 * target is `t` stays inside the tree, read lexically. */
static bool link_inside(const char *t, unsigned depth)
{
	char buf[LINK_MAX_SZ + 1], *save = NULL, *c;
	long d = depth;

	if (!*t || t[0] == '/' || strlen(t) > LINK_MAX_SZ)
		return false;
	snprintf(buf, sizeof buf, "%s", t);
	for (c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			if (--d < 0)
				return false;
		} else {
			d++;
		}
	}
	return true;
}

/* Open (making them) the directories comp[0..n) under root without
 * following a symlink: a directory fd, or -1 with e. */
static int walk_dirs(int root, char **comp, unsigned n, const char *name, struct err *e)
{
	int fd = dup(root);

	if (fd < 0)
		return err_setn(e, "ServiceException", "dup: %s", strerror(errno));
	for (unsigned i = 0; i < n; i++) {
		int nfd;

		if (mkdirat(fd, comp[i], 0755) && errno != EEXIST) {
			err_setn(e, ERR_ZIP, "Could not unzip uploaded file: entry '%.200s': mkdir: %s", name,
				 strerror(errno));
			close(fd);
			return -1;
		}
		nfd = openat(fd, comp[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		if (nfd < 0)
			return err_setn(e, ERR_ZIP,
					"Could not unzip uploaded file: entry '%.200s' goes through '%.100s', which is not a "
					"directory (a symlink or a file)",
					name, comp[i]);
		fd = nfd;
	}
	return fd;
}

/* Read the open entry f into fd (or into lbuf when fd < 0: a symlink's
 * target, at most LINK_MAX_SZ), adding to *total, capped at max. */
static int copy_entry(zip_file_t *f, int fd, char *lbuf, uint64_t *total, uint64_t max, const char *name,
		      struct err *e)
{
	char *chunk = malloc(CHUNK);
	size_t lused = 0;
	int rc = -1;

	if (!chunk)
		return err_setn(e, "ServiceException", "out of memory");
	for (;;) {
		zip_int64_t r = zip_fread(f, chunk, CHUNK);

		if (r < 0) {
			err_setn(e, ERR_ZIP, "Could not unzip uploaded file: entry '%.200s': %s", name,
				 zip_file_strerror(f));
			goto out;
		}
		if (r == 0)
			break;
		*total += (uint64_t)r;
		if (*total > max) {
			err_setn(e, ERR_ZIP,
				 "Unzipped size must be smaller than %llu bytes (entry '%.200s' crosses it: a zip bomb?)",
				 (unsigned long long)max, name);
			goto out;
		}
		if (fd < 0) {
			if (lused + (size_t)r > LINK_MAX_SZ) {
				err_setn(e, ERR_ZIP, "Could not unzip uploaded file: symlink '%.200s' has a target "
						     "longer than %d bytes", name, LINK_MAX_SZ);
				goto out;
			}
			memcpy(lbuf + lused, chunk, (size_t)r);
			lused += (size_t)r;
			continue;
		}
		for (zip_int64_t off = 0; off < r;) {
			ssize_t w = write(fd, chunk + off, (size_t)(r - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0) {
				err_setn(e, "ServiceException", "cannot write entry '%.200s': %s", name,
					 strerror(w < 0 ? errno : ENOSPC));
				goto out;
			}
			off += w;
		}
	}
	if (lbuf)
		lbuf[lused] = '\0';
	rc = 0;
out:
	free(chunk);
	return rc;
}

static int extract_one(zip_t *z, zip_uint64_t i, int root, uint64_t *total, uint64_t max, struct err *e)
{
	char buf[LAMBDA_ZIP_NAME_MAX + 1], lbuf[LINK_MAX_SZ + 1];
	char *comp[LAMBDA_ZIP_DEPTH_MAX];
	const char *name = zip_get_name(z, i, ZIP_FL_ENC_GUESS);
	zip_uint8_t opsys = 0;
	zip_uint32_t attr = 0;
	unsigned n = 0, mode = 0;
	bool is_dir;
	zip_file_t *f = NULL;
	int dfd = -1, fd = -1, rc = -1;

	if (!name)
		return err_setn(e, ERR_ZIP, "Could not unzip uploaded file: entry %llu has no name",
				(unsigned long long)i);
	is_dir = name[0] && name[strlen(name) - 1] == '/';
	if (split_name(name, buf, sizeof buf, comp, &n, e))
		return -1;
	if (zip_file_get_external_attributes(z, i, 0, &opsys, &attr) == 0 && opsys == ZIP_OPSYS_UNIX)
		mode = (attr >> 16) & 0xffff;
	if (S_ISDIR(mode))
		is_dir = true;
	else if ((mode & S_IFMT) && !S_ISREG(mode) && !S_ISLNK(mode))   /* no type bits: a file */
		return err_setn(e, ERR_ZIP, "Could not unzip uploaded file: entry '%.200s' is a device, fifo or "
					    "socket", name);
	if (n == 0) {
		if (is_dir)
			return 0;   /* "./" */
		return err_setn(e, ERR_ZIP, "Could not unzip uploaded file: entry '%.200s' has no file name", name);
	}
	dfd = walk_dirs(root, comp, is_dir ? n : n - 1, name, e);
	if (dfd < 0)
		return -1;
	if (is_dir) {
		rc = 0;
		goto out;
	}
	f = zip_fopen_index(z, i, 0);
	if (!f) {
		err_setn(e, ERR_ZIP, "Could not unzip uploaded file: entry '%.200s': %s", name, zip_strerror(z));
		goto out;
	}
	if (S_ISLNK(mode)) {
		if (copy_entry(f, -1, lbuf, total, max, name, e))
			goto out;
		if (strlen(lbuf) == 0 || !link_inside(lbuf, n - 1)) {
			err_setn(e, ERR_ZIP, "Could not unzip uploaded file: symlink '%.200s' points out of the archive "
					     "('%.200s')", name, lbuf);
			goto out;
		}
		if (symlinkat(lbuf, dfd, comp[n - 1])) {
			err_setn(e, ERR_ZIP, "Could not unzip uploaded file: symlink '%.200s': %s", name,
				 strerror(errno));
			goto out;
		}
		rc = 0;
		goto out;
	}
	fd = openat(dfd, comp[n - 1], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    (mode & 0111) ? 0755 : 0644);
	if (fd < 0) {
		err_setn(e, ERR_ZIP, "Could not unzip uploaded file: entry '%.200s': %s", name,
			 errno == EEXIST ? "appears twice (or over a directory or symlink)" : strerror(errno));
		goto out;
	}
	if (copy_entry(f, fd, NULL, total, max, name, e))
		goto out;
	rc = 0;
out:
	if (f && zip_fclose(f) && !rc) {
		err_setn(e, ERR_ZIP, "Could not unzip uploaded file: entry '%.200s' is damaged", name);
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	return rc;
}

int lambda_zip_extract(const void *data, size_t len, const char *dir, uint64_t max_bytes,
		       struct lambda_zip_stats *st, struct err *e)
{
	zip_error_t ze;
	zip_source_t *src = NULL;
	zip_t *z = NULL;
	zip_int64_t n;
	uint64_t total = 0;
	int root = -1, rc = -1;

	zip_error_init(&ze);
	if (st)
		memset(st, 0, sizeof *st);
	if (len < 22) {  /* the end-of-central-directory record alone is 22 bytes */
		err_setn(e, ERR_ZIP, "Could not unzip uploaded file: %zu bytes are not a zip archive", len);
		goto out;
	}
	src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		err_setn(e, "ServiceException", "libzip: %s", zip_error_strerror(&ze));
		goto out;
	}
	z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!z) {
		err_setn(e, ERR_ZIP, "Could not unzip uploaded file: not a zip archive (%s)", zip_error_strerror(&ze));
		goto out;
	}
	src = NULL;   /* the archive's now */
	n = zip_get_num_entries(z, 0);
	if (n < 0 || (uint64_t)n > LAMBDA_ZIP_ENTRIES_MAX) {
		err_setn(e, ERR_ZIP, "Could not unzip uploaded file: %lld entries (at most %u)", (long long)n,
			 LAMBDA_ZIP_ENTRIES_MAX);
		goto out;
	}
	root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		err_setn(e, "ServiceException", "cannot open %s: %s", dir, strerror(errno));
		goto out;
	}
	for (zip_int64_t i = 0; i < n; i++)
		if (extract_one(z, (zip_uint64_t)i, root, &total, max_bytes, e))
			goto out;
	if (st) {
		st->entries = (unsigned)n;
		st->bytes = total;
	}
	rc = 0;
out:
	if (root >= 0)
		close(root);
	if (z)
		zip_discard(z);
	if (src)
		zip_source_free(src);
	zip_error_fini(&ze);
	return rc;
}
