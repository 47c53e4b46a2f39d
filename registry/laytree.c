#include "laytree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "registry.h"
#include "regutil.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void laytree_names_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int laytree_names(int dfd, size_t max, char ***out, size_t *n)
{
	DIR *d;
	struct dirent *de;
	char **v = NULL, **p;
	size_t used = 0, alloc = 0;
	int fd = dup(dfd), rc = 0;

	*out = NULL;
	*n = 0;
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rewinddir(d);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (used == max) {
			rc = -E2BIG;
			goto out;
		}
		if (used == alloc) {
			alloc = alloc ? alloc * 2 : 32;
			p = realloc(v, alloc * sizeof *v);
			if (!p) {
				rc = -ENOMEM;
				goto out;
			}
			v = p;
		}
		v[used] = strdup(de->d_name);
		if (!v[used]) {
			rc = -ENOMEM;
			goto out;
		}
		used++;
	}
	if (used)
		qsort(v, used, sizeof *v, cmp_str);
	*out = v;
	*n = used;
	v = NULL;
	used = 0;
out:
	laytree_names_free(v, used);
	closedir(d);
	return rc;
}

/* Does a symlink at depth `depth` (0: the layer's top directory) with this
 * target stay inside the layer? ".." is allowed only as leading
 * components: after a normal component it would be resolved through what
 * may itself be a symlink, and lexical checking would no longer be sound. */
static bool link_inside(unsigned depth, const char *target)
{
	bool normal = false;
	const char *p = target;

	if (!*target || *target == '/')
		return false;
	while (*p) {
		size_t l = strcspn(p, "/");

		if (l == 2 && p[0] == '.' && p[1] == '.') {
			if (normal || depth == 0)
				return false;
			depth--;
		} else if (l > 0 && !(l == 1 && p[0] == '.')) {
			normal = true;
		}
		p += l;
		while (*p == '/')
			p++;
	}
	return true;
}

/* Copy one regular file between directory fds; hashes it into md (may be
 * NULL); fails with -EFBIG once *budget (may be NULL) would go negative. */
static int copy_at(int sfd, const char *name, int dfd, mode_t mode, EVP_MD_CTX *md,
		   unsigned long long *budget, unsigned long long *size)
{
	char b[65536];
	int in = -1, out = -1, rc = 0;
	struct stat st;

	*size = 0;
	/* O_NONBLOCK: a FIFO swapped in after the scan must not block us. */
	in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (in < 0)
		return -errno;
	if (fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = -EINVAL;
		goto out;
	}
	out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (out < 0) {
		rc = -errno;
		goto out;
	}
	for (;;) {
		ssize_t r = read(in, b, sizeof b), w;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = -errno;
			goto out;
		}
		if (r == 0)
			break;
		if (budget) {
			if ((unsigned long long)r > *budget) {
				rc = -EFBIG;
				goto out;
			}
			*budget -= (unsigned long long)r;
		}
		if (md)
			EVP_DigestUpdate(md, b, (size_t)r);
		for (ssize_t off = 0; off < r; off += w) {
			w = write(out, b + off, (size_t)(r - off));
			if (w < 0 && errno == EINTR) {
				w = 0;
				continue;
			}
			if (w < 0) {
				rc = -errno;
				goto out;
			}
		}
		*size += (unsigned long long)r;
	}
	if (fchmod(out, mode) < 0)
		rc = -errno;
out:
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) < 0 && !rc)
		rc = -errno;
	return rc;
}

struct walk {
	unsigned entries;
	unsigned long long bytes;     /* scan: sizes seen; copy: budget left */
	EVP_MD_CTX *manifest;         /* copy pass: digest of the whole tree */
	char rel[PATH_MAX];
	char target[PATH_MAX];        /* scratch for readlink (not per frame) */
};

static void manifest_add(struct walk *w, const char *kind, const char *a, const char *b)
{
	if (!w->manifest)
		return;
	/* NUL-separated, so no name can fake a field boundary. */
	EVP_DigestUpdate(w->manifest, kind, strlen(kind) + 1);
	EVP_DigestUpdate(w->manifest, w->rel, strlen(w->rel) + 1);
	EVP_DigestUpdate(w->manifest, a, strlen(a) + 1);
	EVP_DigestUpdate(w->manifest, b, strlen(b) + 1);
}

static int bad(struct err *e, const struct walk *w, const char *why)
{
	return err_set(e, ERR_INVALID_PARAMETER, "layer content '%s': %s", w->rel, why);
}

static int walk_dir(struct walk *w, int sfd, int dfd, unsigned depth, struct err *e)
{
	char **names = NULL, *target = w->target;
	size_t n = 0, rl = strlen(w->rel);
	int rc = -1, r;

	r = laytree_names(sfd, REGISTRY_LAYER_FILES_MAX + 1, &names, &n);
	if (r == -E2BIG)
		return err_set(e, ERR_INVALID_PARAMETER, "layer has more than %u entries",
			       REGISTRY_LAYER_FILES_MAX);
	if (r)
		return regutil_ioerr(e, "read directory", *w->rel ? w->rel : ".", r);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		int csfd = -1, cdfd = -1;

		if (snprintf(w->rel + rl, sizeof w->rel - rl, "%s%s", rl ? "/" : "", names[i]) >=
		    (int)(sizeof w->rel - rl)) {
			w->rel[rl] = '\0';
			err_set(e, ERR_INVALID_PARAMETER, "layer content: a path under '%s' is too long",
				w->rel);
			goto out;
		}
		if (++w->entries > REGISTRY_LAYER_FILES_MAX) {
			err_set(e, ERR_INVALID_PARAMETER, "layer has more than %u entries",
				REGISTRY_LAYER_FILES_MAX);
			goto out;
		}
		if (fstatat(sfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			regutil_ioerr(e, "stat", w->rel, -errno);
			goto out;
		}
		if (S_ISDIR(st.st_mode)) {
			if (depth + 1 > LAYTREE_DEPTH_MAX) {
				bad(e, w, "directories nested too deep");
				goto out;
			}
			csfd = openat(sfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (csfd < 0) {
				regutil_ioerr(e, "open", w->rel, -errno);
				goto out;
			}
			if (dfd >= 0) {
				/* (the store's copy: private; merged views
				 * under opt/ get 0755 directories) */
				if (mkdirat(dfd, names[i], 0700) < 0 || fchmodat(dfd, names[i], 0700, 0) < 0 ||
				    (cdfd = openat(dfd, names[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
					regutil_ioerr(e, "create", w->rel, -errno);
					close(csfd);
					goto out;
				}
				manifest_add(w, "d", "", "");
			}
			r = walk_dir(w, csfd, cdfd, depth + 1, e);
			close(csfd);
			if (cdfd >= 0)
				close(cdfd);
			w->rel[rl] = '\0';
			if (r)
				goto out;
		} else if (S_ISREG(st.st_mode)) {
			mode_t mode = (st.st_mode & 0111) ? 0555 : 0444;
			unsigned long long size = 0;
			unsigned char md[EVP_MAX_MD_SIZE];
			char ms[64], shex[65];
			unsigned mdn = 0;
			EVP_MD_CTX *fmd;

			if (dfd < 0) {
				w->bytes += (unsigned long long)st.st_size;
				if (w->bytes > REGISTRY_LAYER_BYTES_MAX) {
					err_set(e, ERR_INVALID_PARAMETER,
						"layer is larger than %llu MiB (Lambda's unzipped limit)",
						REGISTRY_LAYER_BYTES_MAX >> 20);
					goto out;
				}
				continue;
			}
			fmd = EVP_MD_CTX_new();
			if (!fmd) {
				err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
				goto out;
			}
			EVP_DigestInit_ex(fmd, EVP_sha256(), NULL);
			r = copy_at(sfd, names[i], dfd, mode, fmd, &w->bytes, &size);
			EVP_DigestFinal_ex(fmd, md, &mdn);
			EVP_MD_CTX_free(fmd);
			if (r == -EFBIG) {
				err_set(e, ERR_INVALID_PARAMETER,
					"layer is larger than %llu MiB (Lambda's unzipped limit)",
					REGISTRY_LAYER_BYTES_MAX >> 20);
				goto out;
			}
			if (r == -EINVAL) {
				bad(e, w, "changed while being copied");
				goto out;
			}
			if (r) {
				regutil_ioerr(e, "copy", w->rel, r);
				goto out;
			}
			for (unsigned k = 0; k < 32 && k < mdn; k++)
				snprintf(shex + 2 * k, 3, "%02x", md[k]);
			snprintf(ms, sizeof ms, "%o %llu", (unsigned)mode, size);
			manifest_add(w, "f", ms, shex);
		} else if (S_ISLNK(st.st_mode)) {
			ssize_t l = readlinkat(sfd, names[i], target, PATH_MAX - 1);

			if (l < 0) {
				regutil_ioerr(e, "read link", w->rel, -errno);
				goto out;
			}
			target[l] = '\0';
			if (!link_inside(depth, target)) {
				bad(e, w, "symlink pointing outside the layer");
				goto out;
			}
			if (dfd >= 0) {
				if (symlinkat(target, dfd, names[i]) < 0) {
					regutil_ioerr(e, "create", w->rel, -errno);
					goto out;
				}
				manifest_add(w, "l", target, "");
			}
		} else {
			bad(e, w, "not a regular file, directory or symlink (devices, FIFOs and "
				  "sockets are refused)");
			goto out;
		}
		w->rel[rl] = '\0';
	}
	rc = 0;
out:
	w->rel[rl] = '\0';
	laytree_names_free(names, n);
	return rc;
}

/* Remove whatever is at dfd/name (dpath/name on the host). */
static int remove_at(int dfd, const char *dpath, const char *name, const struct stat *st)
{
	char p[PATH_MAX];

	if (!S_ISDIR(st->st_mode))
		return unlinkat(dfd, name, 0) < 0 ? -errno : 0;
	if (regutil_path(p, "%s/%s", dpath, name))
		return -ENAMETOOLONG;
	return fs_rm_rf(p);
}

/* Lay the tree at sfd over the one at dfd (path dpath), as extracting a
 * later layer over earlier ones: its entries replace what is there. */
struct merge {
	char dpath[PATH_MAX];   /* host path of the directory being filled */
	char target[PATH_MAX];  /* scratch for readlink */
};

static int merge_dir(struct merge *m, int sfd, int dfd, unsigned depth)
{
	char **names = NULL, *dpath = m->dpath;
	size_t n = 0, dl = strlen(dpath);
	int r;

	if (depth > LAYTREE_DEPTH_MAX)
		return -ELOOP;
	r = laytree_names(sfd, SIZE_MAX, &names, &n);
	for (size_t i = 0; !r && i < n; i++) {
		struct stat st, dt;
		bool have = fstatat(dfd, names[i], &dt, AT_SYMLINK_NOFOLLOW) == 0;
		int cs = -1, cd = -1;

		if (fstatat(sfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			r = -errno;
			break;
		}
		if (have && !(S_ISDIR(st.st_mode) && S_ISDIR(dt.st_mode)) &&
		    (r = remove_at(dfd, dpath, names[i], &dt)))
			break;
		if (S_ISDIR(st.st_mode)) {
			if (!(have && S_ISDIR(dt.st_mode)) &&
			    (mkdirat(dfd, names[i], 0755) < 0 || fchmodat(dfd, names[i], 0755, 0) < 0)) {
				r = -errno;
				break;
			}
			cs = openat(sfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			cd = openat(dfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (cs < 0 || cd < 0)
				r = -errno;
			else if (snprintf(dpath + dl, PATH_MAX - dl, "/%s", names[i]) >= (int)(PATH_MAX - dl))
				r = -ENAMETOOLONG;
			else
				r = merge_dir(m, cs, cd, depth + 1);
			dpath[dl] = '\0';
			if (cs >= 0)
				close(cs);
			if (cd >= 0)
				close(cd);
		} else if (S_ISREG(st.st_mode)) {
			unsigned long long size;

			/* A hard link shares the (read-only) inode: no copy, and the view
			 * outlives the layer version. Copy when linking is not possible. */
			if (linkat(sfd, names[i], dfd, names[i], 0) < 0) {
				if (errno != EXDEV && errno != EMLINK && errno != EPERM && errno != EACCES)
					r = -errno;
				else
					r = copy_at(sfd, names[i], dfd, st.st_mode & 0555, NULL, NULL, &size);
			}
		} else if (S_ISLNK(st.st_mode)) {
			ssize_t l = readlinkat(sfd, names[i], m->target, PATH_MAX - 1);

			if (l < 0) {
				r = -errno;
				break;
			}
			m->target[l] = '\0';
			if (symlinkat(m->target, dfd, names[i]) < 0)
				r = -errno;
		}
	}
	laytree_names_free(names, n);
	return r;
}

int laytree_merge(int sfd, int dfd, const char *dpath)
{
	struct merge *m = malloc(sizeof *m);
	int r;

	if (!m)
		return -ENOMEM;
	r = regutil_path(m->dpath, "%s", dpath);
	if (!r)
		r = merge_dir(m, sfd, dfd, 0);
	free(m);
	return r;
}

int laytree_copy(int sfd, int dfd, struct laytree_stats *st, struct err *e)
{
	struct walk *w = calloc(1, sizeof *w);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdn = 0;
	int rc = -1;

	memset(st, 0, sizeof *st);
	if (!w)
		return err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
	if (dfd >= 0) {
		w->bytes = REGISTRY_LAYER_BYTES_MAX;
		w->manifest = EVP_MD_CTX_new();
		if (!w->manifest) {
			err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
			goto out;
		}
		EVP_DigestInit_ex(w->manifest, EVP_sha256(), NULL);
	}
	if (walk_dir(w, sfd, dfd, 0, e))
		goto out;
	st->entries = w->entries;
	if (dfd >= 0) {
		EVP_DigestFinal_ex(w->manifest, md, &mdn);
		for (unsigned k = 0; k < 32 && k < mdn; k++)
			snprintf(st->digest + 2 * k, 3, "%02x", md[k]);
		st->bytes = REGISTRY_LAYER_BYTES_MAX - w->bytes;
	} else {
		st->bytes = w->bytes;
	}
	rc = 0;
out:
	if (w->manifest)
		EVP_MD_CTX_free(w->manifest);
	free(w);
	return rc;
}
