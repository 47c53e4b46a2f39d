/* bucket_file — buckets as directories under cfg->root; an object KEY of
 * bucket B is the file root/B/KEY, its "/"-separated segments directories.
 *
 * Why it is safe:
 * - Keys are checked segment by segment: no empty, "." or ".." segment, no
 *   leading or trailing "/", nothing starting with ".tutti-" (our own
 *   temporary and metadata files), each segment at most NAME_MAX bytes.
 *   Directories are walked with openat(O_NOFOLLOW | O_DIRECTORY), so a
 *   symlink planted inside a bucket cannot lead a key outside it.
 * - A put writes a temporary file in the object's directory, fsyncs it,
 *   renames it over the key and fsyncs the directory: a crash leaves the
 *   old object or the new one, never a mix (at worst an orphan
 *   .tutti-tmp.* file, which listings skip).
 * - Metadata (content type, ETag) lives in a sidecar ".tutti-meta.NAME"
 *   renamed into place after the data; it records the size and mtime of the
 *   data it describes, and a sidecar that does not match them (a crash
 *   between the two renames) is ignored: the ETag is then recomputed and
 *   the content type is application/octet-stream.
 * - S3 allows keys "a" and "a/b" side by side; a file system does not. Such
 *   a put fails with S3.S3Exception "InvalidArgument: ... conflicts ...". */
#include "bucket_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define RESERVED     ".tutti-"
#define META_PREFIX  ".tutti-meta."
#define TMP_PREFIX   ".tutti-tmp."
#define META_MAX     4096     /* content type, ETag, size, mtime and user metadata */
#define WALK_DEPTH   128

struct fb {
	char root[PATH_MAX];
};

static void *fb_open(const struct bucket_config *cfg, struct err *e)
{
	struct fb *fb;

	if (!cfg->root[0]) {
		err_set(e, ERR_STATES_RUNTIME, "the file-backed bucket store needs a root directory");
		return NULL;
	}
	fb = calloc(1, sizeof *fb);
	if (!fb) {
		err_set(e, ERR_S3_CLIENT, "out of memory");
		return NULL;
	}
	snprintf(fb->root, sizeof fb->root, "%s", cfg->root);
	return fb;
}

static void fb_close(void *impl)
{
	free(impl);
}

static int sys_error(struct err *e, const char *what, int errnum)
{
	return err_set(e, ERR_S3_CLIENT, "%s: %s", what, strerror(errnum));
}

/* Open root/BUCKET as a directory; NoSuchBucket when it is not one. */
static int open_bucket(struct fb *fb, const char *bucket, struct err *e)
{
	char p[PATH_MAX + BUCKET_NAME_MAX + 2];
	int fd;

	snprintf(p, sizeof p, "%s/%s", fb->root, bucket);
	fd = open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
		return err_set(e, ERR_S3_NO_SUCH_BUCKET, "The specified bucket does not exist: %s", bucket);
	return sys_error(e, p, errno);
}

static int check_key(const char *key, struct err *e)
{
	const char *s = key;

	if (key[0] == '/')
		return err_set(e, ERR_S3_EXCEPTION, "InvalidArgument: the file-backed store refuses keys starting with '/'");
	for (;;) {
		size_t n = strcspn(s, "/");

		if (n == 0)
			return err_set(e, ERR_S3_EXCEPTION, "InvalidArgument: the file-backed store refuses keys with an empty segment ('//' or a trailing '/'): '%.200s'", key);
		if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return err_set(e, ERR_S3_EXCEPTION, "InvalidArgument: the file-backed store refuses '.' and '..' segments in keys: '%.200s'", key);
		if (n >= strlen(RESERVED) && !strncmp(s, RESERVED, strlen(RESERVED)))
			return err_set(e, ERR_S3_EXCEPTION, "InvalidArgument: key segments starting with '" RESERVED "' are reserved: '%.200s'", key);
		if (n > NAME_MAX)
			return err_set(e, ERR_S3_EXCEPTION, "KeyTooLongError: a key segment is longer than %d bytes", NAME_MAX);
		if (!s[n])
			return 0;
		s += n + 1;
	}
}

static int conflict(struct err *e, const char *key)
{
	return err_set(e, ERR_S3_EXCEPTION,
		       "InvalidArgument: key '%.200s' conflicts with another key (the file-backed store keeps keys as paths: 'a' and 'a/b' cannot both exist)", key);
}

/* Walk to the directory holding KEY's last segment, creating directories
 * when `create`. Returns the directory fd (and *leaf), or -1 with `e` set:
 * NoSuchKey when a directory is missing and !create. */
static int walk(int bucket_fd, const char *key, bool create, const char **leaf, struct err *e)
{
	char seg[NAME_MAX + 1];
	const char *s = key;
	int dfd = dup(bucket_fd);

	if (dfd < 0)
		return sys_error(e, "dup", errno);
	for (;;) {
		size_t n = strcspn(s, "/");
		int next;

		if (!s[n]) {
			*leaf = s;
			return dfd;
		}
		memcpy(seg, s, n);
		seg[n] = '\0';
		if (create && mkdirat(dfd, seg, 0700) < 0 && errno != EEXIST) {
			int err = errno;

			close(dfd);
			return sys_error(e, "mkdir", err);
		}
		next = openat(dfd, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int err = errno;

			close(dfd);
			if (err == ENOENT && create)
				return -2;   /* removed under us by a delete: retry */
			if (err == ENOENT || err == ENOTDIR || err == ELOOP)
				return create ? conflict(e, key)
					      : err_set(e, ERR_S3_NO_SUCH_KEY, "The specified key does not exist: %s", key);
			return sys_error(e, "open", err);
		}
		close(dfd);
		dfd = next;
		s += n + 1;
	}
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

/* Copy `size` bytes of src (from offset 0) to fd: in the kernel when it
 * can (copy_file_range), else through a buffer. */
static int copy_from(int fd, int src, uint64_t size)
{
	loff_t off = 0;
	char *chunk = NULL;
	int rc = 0;

	while ((uint64_t)off < size) {
		ssize_t n = copy_file_range(src, &off, fd, NULL, (size_t)(size - (uint64_t)off < (1u << 30) ? size - (uint64_t)off : (1u << 30)), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP))
			break;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;   /* the source is shorter than announced */
	}
	while (!rc && (uint64_t)off < size) {
		size_t want = size - (uint64_t)off < (1u << 16) ? (size_t)(size - (uint64_t)off) : (1u << 16);
		ssize_t n;

		if (!chunk && !(chunk = malloc(1u << 16)))
			return -ENOMEM;
		n = pread(src, chunk, want, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			break;
		}
		rc = write_all(fd, chunk, (size_t)n);
		off += n;
	}
	free(chunk);
	return rc;
}

/* Create, fill (from data, or from src when src >= 0) and fsync a uniquely
 * named temporary file in dfd. */
static int write_temp_src(int dfd, const void *data, size_t len, int src, uint64_t size, char name[64],
			  struct stat *st);

static int write_temp(int dfd, const void *data, size_t len, char name[64], struct stat *st)
{
	return write_temp_src(dfd, data, len, -1, 0, name, st);
}

static int write_temp_src(int dfd, const void *data, size_t len, int src, uint64_t size, char name[64],
			  struct stat *st)
{
	unsigned char rnd[8];
	int fd = -1, rc;

	for (int tries = 0; tries < 8; tries++) {
		if (getrandom(rnd, sizeof rnd, 0) != sizeof rnd)
			return -EIO;
		snprintf(name, 64, TMP_PREFIX "%02x%02x%02x%02x%02x%02x%02x%02x",
			 rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
		fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0)
		return -errno;
	rc = src >= 0 ? copy_from(fd, src, size) : write_all(fd, data, len);
	if (!rc && fsync(fd) < 0)
		rc = -errno;
	if (!rc && st && fstat(fd, st) < 0)
		rc = -errno;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	if (rc)
		unlinkat(dfd, name, 0);
	return rc;
}

static void meta_name(char out[NAME_MAX + 16], const char *leaf)
{
	snprintf(out, NAME_MAX + 16, META_PREFIX "%s", leaf);
}

/* One attempt at a put of data/len or of src/size (src >= 0); -2: retry. */
static int put_once(struct fb *fb, const char *bucket, const char *key, const void *data,
		    size_t len, int src, uint64_t size, const struct bucket_put_opts *o,
		    struct bucket_object_info *info, struct err *e)
{
	const char *ctype = o->content_type;
	char tmp[64], mtmp[64], meta[META_MAX], mname[NAME_MAX + 16];
	const char *leaf = NULL;
	int bfd = -1, dfd = -1, rc = -1, r;
	struct stat st;

	tmp[0] = mtmp[0] = '\0';
	bfd = open_bucket(fb, bucket, e);
	if (bfd < 0)
		return -1;
	dfd = walk(bfd, key, true, &leaf, e);
	if (dfd < 0) {
		rc = dfd;
		goto out;
	}
	r = write_temp_src(dfd, data, len, src, size, tmp, &st);
	if (r) {
		rc = r == -ENOENT ? -2 : sys_error(e, "writing the object", -r);
		tmp[0] = '\0';
		goto out;
	}
	if (src < 0)
		size = len;
	if (o->etag)
		snprintf(info->etag, sizeof info->etag, "%s", o->etag);
	else if (src < 0)
		bucket_etag_md5(data, len, info->etag);
	else if ((r = bucket_etag_md5_fd(src, size, info->etag))) {
		rc = sys_error(e, "reading the upload", -r);
		goto out;
	}
	snprintf(info->content_type, sizeof info->content_type, "%s", ctype);
	snprintf(info->meta, sizeof info->meta, "%s", o->meta ? o->meta : "");
	info->size = size;
	info->last_modified = st.st_mtim.tv_sec;
	/* The sidecar names the data it describes by size and mtime; the
	 * user metadata follows, one "name:value" a line. */
	r = snprintf(meta, sizeof meta, "tutti-meta 1\n%s\n%s\n%llu\n%lld.%09ld\n%s", ctype,
		     info->etag, (unsigned long long)size, (long long)st.st_mtim.tv_sec,
		     st.st_mtim.tv_nsec, info->meta);
	if (r >= (int)sizeof meta) {
		rc = err_set(e, ERR_S3_EXCEPTION, "MetadataTooLarge: the object's metadata is too large");
		goto out;
	}
	r = write_temp(dfd, meta, (size_t)r, mtmp, NULL);
	if (r) {
		mtmp[0] = '\0';
		rc = sys_error(e, "writing the object's metadata", -r);
		goto out;
	}
	if (renameat(dfd, tmp, dfd, leaf) < 0) {
		rc = errno == EISDIR || errno == ENOTEMPTY || errno == EEXIST ? conflict(e, key)
		     : errno == ENOENT ? -2 : sys_error(e, "rename", errno);
		goto out;
	}
	tmp[0] = '\0';
	meta_name(mname, leaf);
	if (renameat(dfd, mtmp, dfd, mname) < 0) {
		rc = sys_error(e, "rename", errno);
		goto out;
	}
	mtmp[0] = '\0';
	if (fsync(dfd) < 0) {
		rc = sys_error(e, "fsync", errno);
		goto out;
	}
	rc = 0;
out:
	if (dfd >= 0) {
		if (tmp[0])
			unlinkat(dfd, tmp, 0);
		if (mtmp[0])
			unlinkat(dfd, mtmp, 0);
		close(dfd);
	}
	if (bfd >= 0)
		close(bfd);
	return rc;
}

static int fb_put(void *impl, const char *bucket, const char *key, const void *data,
		  size_t len, const char *ctype, uint64_t deadline_ns,
		  struct bucket_object_info *info, struct err *e)
{
	struct bucket_put_opts o = { .content_type = ctype };
	int rc = -2;

	(void)deadline_ns;
	if (check_key(key, e))
		return -1;
	/* -2: a concurrent delete removed a directory on our path; go again. */
	for (int tries = 0; rc == -2 && tries < 5; tries++)
		rc = put_once(impl, bucket, key, data, len, -1, 0, &o, info, e);
	if (rc == -2)
		return err_set(e, ERR_S3_CLIENT, "the key's directory kept disappearing (concurrent deletes)");
	return rc;
}

static int fb_put_fd(void *impl, const char *bucket, const char *key, int fd, uint64_t size,
		     const struct bucket_put_opts *o, struct bucket_object_info *info, struct err *e)
{
	int rc = -2;

	if (check_key(key, e))
		return -1;
	for (int tries = 0; rc == -2 && tries < 5; tries++)
		rc = put_once(impl, bucket, key, NULL, 0, fd, size, o, info, e);
	if (rc == -2)
		return err_set(e, ERR_S3_CLIENT, "the key's directory kept disappearing (concurrent deletes)");
	return rc;
}

/* Read the sidecar of `leaf` and keep it only if it describes `st`. */
static void read_meta(int dfd, const char *leaf, const struct stat *st, struct bucket_object_info *info)
{
	char mname[NAME_MAX + 16], m[META_MAX], ctype[BUCKET_CTYPE_MAX], etag[BUCKET_ETAG_MAX];
	unsigned long long size;
	long long sec;
	long nsec;
	ssize_t n;
	int fd, lines = 0;
	const char *rest = m;

	meta_name(mname, leaf);
	fd = openat(dfd, mname, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, m, sizeof m - 1);
	close(fd);
	if (n <= 0)
		return;
	m[n] = '\0';
	if (sscanf(m, "tutti-meta 1\n%255[^\n]\n%79[^\n]\n%llu\n%lld.%ld\n", ctype, etag, &size,
		   &sec, &nsec) != 5)
		return;
	if (size != (unsigned long long)st->st_size || sec != (long long)st->st_mtim.tv_sec ||
	    nsec != st->st_mtim.tv_nsec)
		return;
	snprintf(info->content_type, sizeof info->content_type, "%s", ctype);
	snprintf(info->etag, sizeof info->etag, "%s", etag);
	while (lines < 5 && (rest = strchr(rest, '\n'))) {
		rest++;
		lines++;
	}
	if (rest)
		snprintf(info->meta, sizeof info->meta, "%s", rest);
}

static int fb_open_fd(void *impl, const char *bucket, const char *key, int *out, struct bucket_object_info *info,
		      struct err *e)
{
	const char *leaf = NULL;
	int bfd = -1, dfd = -1, fd = -1, rc = -1, r;
	struct stat st;

	if (check_key(key, e))
		return -1;
	bfd = open_bucket(impl, bucket, e);
	if (bfd < 0)
		return -1;
	dfd = walk(bfd, key, false, &leaf, e);
	if (dfd < 0)
		goto out;
	fd = openat(dfd, leaf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && (errno == ENOENT || errno == ELOOP || errno == ENOTDIR)) {
		err_set(e, ERR_S3_NO_SUCH_KEY, "The specified key does not exist: %s", key);
		goto out;
	}
	if (fd < 0 || fstat(fd, &st) < 0) {
		sys_error(e, "open", errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(e, ERR_S3_NO_SUCH_KEY, "The specified key does not exist: %s", key);
		goto out;
	}
	info->size = (uint64_t)st.st_size;
	info->last_modified = st.st_mtim.tv_sec;
	snprintf(info->content_type, sizeof info->content_type, "application/octet-stream");
	read_meta(dfd, leaf, &st, info);
	if (!info->etag[0] && (r = bucket_etag_md5_fd(fd, info->size, info->etag))) {
		sys_error(e, "read", -r);
		goto out;
	}
	*out = fd;
	fd = -1;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (bfd >= 0)
		close(bfd);
	return rc;
}

static int fb_get(void *impl, const char *bucket, const char *key, uint64_t deadline_ns,
		  struct buf *body, struct bucket_object_info *info, struct err *e)
{
	const char *leaf = NULL;
	int bfd = -1, dfd = -1, fd = -1, rc = -1;
	size_t start = body->len;
	struct stat st;

	(void)deadline_ns;
	if (check_key(key, e))
		return -1;
	bfd = open_bucket(impl, bucket, e);
	if (bfd < 0)
		return -1;
	dfd = walk(bfd, key, false, &leaf, e);
	if (dfd < 0)
		goto out;
	fd = openat(dfd, leaf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && (errno == ENOENT || errno == ELOOP || errno == ENOTDIR)) {
		err_set(e, ERR_S3_NO_SUCH_KEY, "The specified key does not exist: %s", key);
		goto out;
	}
	if (fd < 0 || fstat(fd, &st) < 0) {
		sys_error(e, "open", errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(e, ERR_S3_NO_SUCH_KEY, "The specified key does not exist: %s", key);
		goto out;
	}
	if (body->cap && (uint64_t)st.st_size > body->cap - start) {
		err_set(e, ERR_STATES_DATA_LIMIT, "the object is %lld bytes, over the %zu-byte limit",
			(long long)st.st_size, body->cap - start);
		goto out;
	}
	if (buf_reserve(body, (size_t)st.st_size) < 0) {
		err_set(e, ERR_S3_CLIENT, "out of memory for a %lld-byte object", (long long)st.st_size);
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, body->data + body->len, body->alloc - body->len - 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sys_error(e, "read", errno);
			goto out;
		}
		if (n == 0)
			break;
		body->len += (size_t)n;
		/* The file grew since fstat: a concurrent put replaced it with a
		 * rename, so we still read the old inode; growth means an
		 * outside writer. Stop at the cap rather than follow it. */
		if (body->len + 1 >= body->alloc && buf_reserve(body, 65536) < 0) {
			err_set(e, ERR_STATES_DATA_LIMIT, "the object grew past the limit while being read");
			goto out;
		}
	}
	body->data[body->len] = '\0';
	info->size = body->len - start;
	info->last_modified = st.st_mtim.tv_sec;
	snprintf(info->content_type, sizeof info->content_type, "application/octet-stream");
	read_meta(dfd, leaf, &st, info);
	if (!info->etag[0])
		bucket_etag_md5(body->data + start, info->size, info->etag);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (bfd >= 0)
		close(bfd);
	return rc;
}

/* Remove now-empty directories from KEY's parent up to the bucket. */
static void prune_dirs(int bfd, const char *key)
{
	char path[BUCKET_KEY_MAX + 1];
	char *slash;

	snprintf(path, sizeof path, "%s", key);
	while ((slash = strrchr(path, '/'))) {
		*slash = '\0';
		if (unlinkat(bfd, path, AT_REMOVEDIR) < 0)
			break;
	}
}

static int fb_del(void *impl, const char *bucket, const char *key, uint64_t deadline_ns, struct err *e)
{
	char mname[NAME_MAX + 16];
	const char *leaf = NULL;
	int bfd, dfd, rc = 0;
	struct stat st;

	(void)deadline_ns;
	if (check_key(key, e))
		return -1;
	bfd = open_bucket(impl, bucket, e);
	if (bfd < 0)
		return -1;
	dfd = walk(bfd, key, false, &leaf, e);
	if (dfd < 0) {
		/* A missing key is not an error for DeleteObject. */
		rc = !strcmp(e->type, err_name(ERR_S3_NO_SUCH_KEY)) ? (err_clear(e), 0) : -1;
		close(bfd);
		return rc;
	}
	if (fstatat(dfd, leaf, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
		if (unlinkat(dfd, leaf, 0) < 0 && errno != ENOENT)
			rc = sys_error(e, "unlink", errno);
		meta_name(mname, leaf);
		unlinkat(dfd, mname, 0);
		if (!rc && fsync(dfd) < 0)
			rc = sys_error(e, "fsync", errno);
	}
	close(dfd);
	if (!rc)
		prune_dirs(bfd, key);
	close(bfd);
	return rc;
}

/* ---- listing ---- */

/* Keys only: a page stats just the keys it returns. A listing of 100,000
 * keys is 100 pages, and each page walks the tree again (the store keeps
 * no index); stat-ing and copying every key each time made it 27 s. */
struct keyvec {
	struct bucket_list_entry *v;
	size_t n, alloc;
	/* what a page can return: keys under prefix, after `after` (and, when
	 * after_is_prefix, not under it) */
	const char *prefix, *after;
	size_t plen;
	bool after_is_prefix;
};

static int keyvec_push(struct keyvec *kv, const char *key)
{
	if (kv->n == kv->alloc) {
		size_t na = kv->alloc ? 2 * kv->alloc : 64;
		struct bucket_list_entry *v = realloc(kv->v, na * sizeof *v);

		if (!v)
			return -ENOMEM;
		kv->v = v;
		kv->alloc = na;
	}
	memset(&kv->v[kv->n], 0, sizeof kv->v[kv->n]);
	kv->v[kv->n].key = strdup(key);
	if (!kv->v[kv->n].key)
		return -ENOMEM;
	kv->n++;
	return 0;
}

static void keyvec_free(struct keyvec *kv)
{
	for (size_t i = 0; i < kv->n; i++)
		free(kv->v[i].key);
	free(kv->v);
}

/* The key can be on this page. */
static bool key_wanted(const struct keyvec *kv, const char *k)
{
	if (strncmp(k, kv->prefix, kv->plen))
		return false;
	return !kv->after[0] ||
	       (strcmp(k, kv->after) > 0 && !(kv->after_is_prefix && !strncmp(k, kv->after, strlen(kv->after))));
}

/* Some key under directory `dir` ("a/b/") can be on this page: it may
 * match the prefix, and not every key in it sorts before `after`. */
static bool dir_wanted(const struct keyvec *kv, const char *dir, size_t dl)
{
	size_t m = dl < kv->plen ? dl : kv->plen;

	if (strncmp(dir, kv->prefix, m))
		return false;
	if (!kv->after[0] || !strncmp(kv->after, dir, dl))
		return true;   /* `after` is inside: some keys may follow it */
	return strncmp(dir, kv->after, dl) > 0;
}

/* Collect the keys a page can return under directory fd `dfd` (whose keys
 * start with `path`, "" or "dir/"). Takes ownership of dfd. */
static int collect(int dfd, char *path, size_t plen, int depth, struct keyvec *kv)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		close(dfd);
		return -errno;
	}
	while (!rc && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		bool reg, dir;

		if (de->d_name[0] == '.' && (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
					     !strncmp(de->d_name, RESERVED, strlen(RESERVED))))
			continue;
		if (plen + n + 1 > BUCKET_KEY_MAX)
			continue;   /* cannot be a key we wrote */
		reg = de->d_type == DT_REG;
		dir = de->d_type == DT_DIR;
		if (de->d_type == DT_UNKNOWN) {   /* a file system without d_type */
			struct stat st;

			if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
				continue;   /* deleted while we walk */
			reg = S_ISREG(st.st_mode);
			dir = S_ISDIR(st.st_mode);
		}
		memcpy(path + plen, de->d_name, n + 1);
		if (reg) {
			if (key_wanted(kv, path))
				rc = keyvec_push(kv, path);
		} else if (dir && depth < WALK_DEPTH) {
			path[plen + n] = '/';
			path[plen + n + 1] = '\0';
			if (dir_wanted(kv, path, plen + n + 1)) {
				int sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

				if (sub >= 0)
					rc = collect(sub, path, plen + n + 1, depth + 1, kv);
			}
		}
		path[plen] = '\0';
	}
	closedir(d);
	return rc;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct bucket_list_entry *)a)->key, ((const struct bucket_list_entry *)b)->key);
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Tokens are the hex of the last key or common prefix returned. */
static int token_decode(const char *tok, char *out, size_t cap)
{
	size_t n = strlen(tok);

	if (n % 2 || n / 2 >= cap)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval(tok[i]), lo = hexval(tok[i + 1]);

		if (hi < 0 || lo < 0 || (!hi && !lo))
			return -1;
		out[i / 2] = (char)(hi << 4 | lo);
	}
	out[n / 2] = '\0';
	return 0;
}

static char *token_encode(const char *s)
{
	size_t n = strlen(s);
	char *t = malloc(2 * n + 1);

	for (size_t i = 0; t && i < n; i++)
		sprintf(t + 2 * i, "%02x", (unsigned char)s[i]);
	if (t)
		t[2 * n] = '\0';
	return t;
}

static int fb_list(void *impl, const char *bucket, const struct bucket_list_req *req,
		   uint64_t deadline_ns, struct bucket_list *out, struct err *e)
{
	const char *prefix = req->prefix ? req->prefix : "", *delim = req->delimiter;
	char path[BUCKET_KEY_MAX + 2], after[BUCKET_KEY_MAX + 1], *last = NULL;
	size_t plen = strlen(prefix), dlen = delim ? strlen(delim) : 0, taken = 0;
	struct keyvec kv = { 0 };
	int bfd, dfd, rc = -1;
	bool after_is_prefix = false;
	const char *slash;

	(void)deadline_ns;   /* one local walk: its caller checks between pages */
	after[0] = '\0';
	if (req->token) {
		if (token_decode(req->token, after, sizeof after) < 0)
			return err_set(e, ERR_S3_EXCEPTION, "InvalidArgument: The continuation token provided is incorrect");
		after_is_prefix = delim && strlen(after) >= dlen && !strcmp(after + strlen(after) - dlen, delim);
	} else if (req->start_after) {
		snprintf(after, sizeof after, "%s", req->start_after);
	}
	bfd = open_bucket(impl, bucket, e);
	if (bfd < 0)
		return -1;
	/* Start the walk at the deepest directory the prefix names. */
	path[0] = '\0';
	slash = strrchr(prefix, '/');
	if (slash) {
		size_t dl = (size_t)(slash - prefix) + 1;
		char dir[BUCKET_KEY_MAX + 2];
		const char *leaf;

		memcpy(dir, prefix, dl);
		memcpy(dir + dl, "x", 2);   /* walk() wants a leaf after the last '/' */
		if (check_key(dir, NULL) < 0) {
			rc = 0;             /* no key we store can match */
			goto done;
		}
		dfd = walk(bfd, dir, false, &leaf, NULL);
		if (dfd < 0) {
			rc = 0;
			goto done;
		}
		memcpy(path, prefix, dl);
		path[dl] = '\0';
	} else {
		dfd = dup(bfd);
	}
	if (dfd < 0) {
		sys_error(e, "listing the bucket", errno);
		goto out;
	}
	kv.prefix = prefix;
	kv.plen = plen;
	kv.after = after;
	kv.after_is_prefix = after_is_prefix;
	rc = collect(dfd, path, strlen(path), 0, &kv);
	if (rc < 0) {
		sys_error(e, "listing the bucket", -rc);
		rc = -1;
		goto out;
	}
	if (kv.n)
		qsort(kv.v, kv.n, sizeof *kv.v, cmp_entry);
	for (size_t i = 0; i < kv.n; i++) {
		const char *k = kv.v[i].key;
		const char *d;

		if (strncmp(k, prefix, plen))
			continue;
		if (after[0] && (strcmp(k, after) <= 0 ||
				 (after_is_prefix && !strncmp(k, after, strlen(after)))))
			continue;
		d = delim ? strstr(k + plen, delim) : NULL;
		if (d) {
			size_t cl = (size_t)(d - k) + dlen;

			if (last && strlen(last) == cl && !strncmp(last, k, cl))
				continue;   /* same common prefix as the previous one */
			if (taken == (size_t)req->max_keys) {
				out->truncated = true;
				break;
			}
			memcpy(path, k, cl);
			path[cl] = '\0';
			if (bucket_list_add_prefix(out, path) < 0)
				goto oom;
			last = out->prefixes[out->nprefixes - 1];
		} else {
			if (taken == (size_t)req->max_keys) {
				out->truncated = true;
				break;
			}
			{
				struct stat st;
				struct bucket_object_info info = { 0 };
				const char *leaf;
				int lfd = walk(bfd, k, false, &leaf, NULL), got = -1;

				if (lfd >= 0) {
					got = fstatat(lfd, leaf, &st, AT_SYMLINK_NOFOLLOW);
					if (got == 0)
						read_meta(lfd, leaf, &st, &info);
					close(lfd);
				}
				if (got != 0 || !S_ISREG(st.st_mode))
					continue;   /* deleted (or replaced) while we list */
				if (bucket_list_add(out, k, (uint64_t)st.st_size, info.etag, st.st_mtim.tv_sec) < 0)
					goto oom;
			}
			last = out->items[out->n - 1].key;
		}
		taken++;
	}
	if (out->truncated && last && !(out->next_token = token_encode(last)))
		goto oom;
done:
	rc = 0;
	goto out;
oom:
	err_set(e, ERR_S3_CLIENT, "out of memory while listing");
out:
	keyvec_free(&kv);
	close(bfd);
	return rc;
}

/* ---- buckets ---- */

static int fb_create(void *impl, const char *bucket, uint64_t deadline_ns, struct err *e)
{
	struct fb *fb = impl;
	char p[PATH_MAX + BUCKET_NAME_MAX + 2];

	(void)deadline_ns;
	/* Private, as all of $TUTTI_HOME: 0700 directories, 0600 objects. */
	if (mkdir(fb->root, 0700) < 0 && errno != EEXIST) {
		/* The parent ($TUTTI_HOME) may not exist yet either. */
		char parent[PATH_MAX];
		char *slash;

		snprintf(parent, sizeof parent, "%s", fb->root);
		slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = '\0';
			mkdir(parent, 0700);
		}
		if (mkdir(fb->root, 0700) < 0 && errno != EEXIST)
			return sys_error(e, fb->root, errno);
	}
	snprintf(p, sizeof p, "%s/%s", fb->root, bucket);
	if (mkdir(p, 0700) < 0) {
		if (errno == EEXIST)
			return err_set(e, ERR_S3_BUCKET_EXISTS, "Your previous request to create the named bucket succeeded and you already own it: %s", bucket);
		return sys_error(e, p, errno);
	}
	return 0;
}

static int fb_remove(void *impl, const char *bucket, uint64_t deadline_ns, struct err *e)
{
	struct fb *fb = impl;
	char p[PATH_MAX + BUCKET_NAME_MAX + 2];
	struct stat st;

	(void)deadline_ns;
	snprintf(p, sizeof p, "%s/%s", fb->root, bucket);
	if (lstat(p, &st) < 0 || !S_ISDIR(st.st_mode))
		return err_set(e, ERR_S3_NO_SUCH_BUCKET, "The specified bucket does not exist: %s", bucket);
	if (rmdir(p) < 0) {
		if (errno == ENOTEMPTY || errno == EEXIST)
			return err_set(e, ERR_S3_EXCEPTION, "BucketNotEmpty: The bucket you tried to delete is not empty: %s", bucket);
		return sys_error(e, p, errno);
	}
	return 0;
}

static int fb_buckets(void *impl, uint64_t deadline_ns, char ***names, size_t *n, struct err *e)
{
	struct fb *fb = impl;
	struct dirent *de;
	size_t alloc = 0;
	DIR *d;

	(void)deadline_ns;
	d = opendir(fb->root);
	if (!d)
		return errno == ENOENT ? 0 : sys_error(e, fb->root, errno);
	while ((de = readdir(d))) {
		struct stat st;

		if (!bucket_name_valid(de->d_name) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (*n == alloc) {
			char **v = realloc(*names, (alloc = alloc ? 2 * alloc : 16) * sizeof *v);

			if (!v)
				goto oom;
			*names = v;
		}
		if (!((*names)[*n] = strdup(de->d_name)))
			goto oom;
		(*n)++;
	}
	closedir(d);
	return 0;
oom:
	closedir(d);
	bucket_names_free(*names, *n);
	*names = NULL;
	*n = 0;
	return err_set(e, ERR_S3_CLIENT, "out of memory");
}

const struct bucket_ops bucket_file_ops = {
	.name = "file",
	.open = fb_open,
	.close = fb_close,
	.put = fb_put,
	.get = fb_get,
	.list = fb_list,
	.del = fb_del,
	.create = fb_create,
	.remove = fb_remove,
	.buckets = fb_buckets,
	.put_fd = fb_put_fd,
	.open_fd = fb_open_fd,
};
