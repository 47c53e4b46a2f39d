#include "layerstore.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "laytree.h"
#include "regutil.h"

bool layerstore_valid_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > REGISTRY_LAYER_NAME_MAX)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return false;
	return true;
}

int layerstore_parse_ref(const char *ref, char name[REGISTRY_LAYER_NAME_MAX + 1],
			 unsigned *version, struct err *e)
{
	char qual[REGUTIL_QUAL_MAX];

	if (regutil_split_ref(ref, "layer", name, REGISTRY_LAYER_NAME_MAX + 1, qual,
			      sizeof qual, e))
		return -1;
	if (!layerstore_valid_name(name))
		return err_set(e, ERR_INVALID_PARAMETER,
			       "invalid layer name '%s' (1-%d characters of A-Z a-z 0-9 _ -)",
			       name, REGISTRY_LAYER_NAME_MAX);
	*version = 0;
	if (*qual && regutil_parse_uint(qual, REGUTIL_VERSION_MAX, version))
		return err_set(e, ERR_INVALID_PARAMETER,
			       "invalid layer version '%s' in '%s' (a number from 1)", qual, ref);
	return 0;
}

static void layer_dir(char *out, const char *home, const char *name)
{
	regutil_path(out, "%s/layers/%s", home, name);
}

static int not_found(struct err *e, const char *name, unsigned version)
{
	char arn[512], q[16];

	snprintf(q, sizeof q, "%u", version);
	regutil_arn(arn, sizeof arn, "layer", name, version ? q : NULL);
	return err_set(e, ERR_FUNCTION_NOT_FOUND, "Layer version not found: %s", arn);
}

static int latest_number(const char *home, const char *name, unsigned *out)
{
	char d[PATH_MAX];
	unsigned *v = NULL;
	size_t n = 0;
	int rc;

	layer_dir(d, home, name);
	rc = regutil_numbers(d, ".json", &v, &n);
	*out = n ? v[n - 1] : 0;
	free(v);
	return rc;
}

static int load_record(const char *home, const char *name, unsigned version, json_t **out,
		       struct err *e)
{
	char p[PATH_MAX];
	int rc;

	regutil_path(p, "%s/layers/%s/%u.json", home, name, version);
	rc = regutil_read_json(p, out, e);
	if (rc == -ENOENT)
		return not_found(e, name, version);
	return rc;
}

int layerstore_lookup(const char *home, const char *name, unsigned version,
		      struct layer_ref *out, struct err *e)
{
	json_t *rec = NULL;
	const char *dg;
	int rc = -1;

	if (version == 0) {
		if (latest_number(home, name, &version) || version == 0)
			return not_found(e, name, 0);
	}
	if (load_record(home, name, version, &rec, e))
		return -1;
	dg = json_string_value(json_object_get(rec, "CodeSha256"));
	if (!dg || !regutil_is_sha(dg, strlen(dg)) ||
	    !json_is_integer(json_object_get(rec, "CodeSize"))) {
		err_set(e, ERR_RUNTIME_INTERNAL, "corrupt record of layer %s:%u", name, version);
		goto out;
	}
	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "%s", name);
	out->version = version;
	out->size = (unsigned long long)json_integer_value(json_object_get(rec, "CodeSize"));
	memcpy(out->digest, dg, 65);
	rc = 0;
out:
	json_decref(rec);
	return rc;
}

/* ---- records and JSON answers ---- */

static json_t *version_json(const char *name, const json_t *rec, bool full)
{
	char arn[512], varn[512], q[16], b64[45];
	json_int_t v = json_integer_value(json_object_get(rec, "Version"));
	const char *desc = json_string_value(json_object_get(rec, "Description"));
	const char *created = json_string_value(json_object_get(rec, "CreatedDate"));
	json_t *j;

	snprintf(q, sizeof q, "%lld", (long long)v);
	regutil_arn(arn, sizeof arn, "layer", name, NULL);
	regutil_arn(varn, sizeof varn, "layer", name, q);
	j = json_pack("{s:s, s:I, s:s, s:s}", "LayerVersionArn", varn, "Version", v,
		      "Description", desc ? desc : "", "CreatedDate", created ? created : "");
	if (j && full) {
		const char *dg = json_string_value(json_object_get(rec, "CodeSha256"));

		regutil_sha_b64(dg ? dg : "", b64);
		json_object_set_new(j, "LayerArn", json_string(arn));
		json_object_set_new(j, "Content",
				    json_pack("{s:s, s:O}", "CodeSha256", b64, "CodeSize",
					      json_object_get(rec, "CodeSize")));
	}
	return j;
}

int layerstore_publish(const char *home, const char *name, const char *dir,
		       const char *description, json_t **out, struct err *e)
{
	char ldir[PATH_MAX], tmp[PATH_MAX] = "", fin[PATH_MAX] = "", p[PATH_MAX];
	char when[32], num[16];
	struct laytree_stats st;
	unsigned last = 0, next;
	int sfd = -1, dfd = -1, rc = -1, r;
	bool existed = true;
	char *data = NULL;
	json_t *rec = NULL;

	if (out)
		*out = NULL;
	if (!layerstore_valid_name(name))
		return err_set(e, ERR_INVALID_PARAMETER,
			       "invalid layer name '%s' (1-%d characters of A-Z a-z 0-9 _ -)",
			       name, REGISTRY_LAYER_NAME_MAX);
	if (description && strlen(description) > REGISTRY_DESC_MAX)
		return err_set(e, ERR_INVALID_PARAMETER, "description longer than %d characters",
			       REGISTRY_DESC_MAX);
	sfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0)
		return err_set(e, ERR_INVALID_PARAMETER, "layer directory %s: %s", dir,
			       strerror(errno));
	/* Pass 1: check limits and entry types before anything is written. */
	if (laytree_copy(sfd, -1, &st, e))
		goto out;

	layer_dir(ldir, home, name);
	existed = fs_exists(ldir);
	if ((r = fs_mkdir_p(ldir, 0700))) {
		regutil_ioerr(e, "create", ldir, r);
		goto out;
	}
	regutil_path(p, "%s/last", ldir);
	if (fs_read_file(p, 32, &data, NULL) == 0) {
		data[strcspn(data, "\n")] = '\0';
		regutil_parse_uint(data, REGUTIL_VERSION_MAX, &last);
	}
	if ((r = latest_number(home, name, &next))) {
		regutil_ioerr(e, "list", ldir, r);
		goto out;
	}
	next = (next > last ? next : last) + 1;
	if (next > REGUTIL_VERSION_MAX) {
		err_set(e, ERR_INVALID_PARAMETER, "layer %s has too many versions", name);
		goto out;
	}

	/* Pass 2: copy into a temp dir, renamed into place when complete. */
	regutil_path(tmp, "%s/.tmp.%d", ldir, (int)getpid());
	fs_rm_rf(tmp);
	/* The store's copy is private (0700 directories): sandboxes see a
	 * layer only through its merged view under opt/, whose directories
	 * are made 0755 and whose files are these read-only inodes. */
	if (mkdir(tmp, 0700) < 0 || chmod(tmp, 0700) < 0 ||
	    (dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		regutil_ioerr(e, "create", tmp, -errno);
		goto out;
	}
	if (laytree_copy(sfd, dfd, &st, e))
		goto out;
	if (syncfs(dfd) < 0) {
		regutil_ioerr(e, "sync", tmp, -errno);
		goto out;
	}
	regutil_path(fin, "%s/%u", ldir, next);
	fs_rm_rf(fin);   /* a tree left by a publish that died before its record */
	if (rename(tmp, fin) < 0) {
		regutil_ioerr(e, "rename", fin, -errno);
		fin[0] = '\0';
		goto out;
	}

	/* `last` first: a crash before the record only skips a number. */
	snprintf(num, sizeof num, "%u\n", next);
	if ((r = fs_write_atomic(p, num, strlen(num), 0600))) {
		regutil_ioerr(e, "write", p, r);
		goto out;
	}
	regutil_timestamp(when);
	rec = json_pack("{s:s, s:I, s:s, s:s, s:I, s:s, s:I}", "LayerName", name, "Version",
			(json_int_t)next, "Description", description ? description : "",
			"CreatedDate", when, "CodeSize", (json_int_t)st.bytes,
			"CodeSha256", st.digest, "Files", (json_int_t)st.entries);
	if (!rec) {
		err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
		goto out;
	}
	regutil_path(p, "%s/%u.json", ldir, next);
	if (regutil_write_json(p, rec, e))
		goto out;
	if (out)
		*out = version_json(name, rec, true);
	rc = (int)next;
out:
	if (rc < 0) {
		fs_rm_rf(tmp);
		fs_rm_rf(fin);
		if (!existed)
			fs_rm_rf(ldir);
	}
	if (dfd >= 0)
		close(dfd);
	close(sfd);
	free(data);
	json_decref(rec);
	return rc;
}

int layerstore_versions_json(const char *home, const char *name, json_t **out,
			     struct err *e)
{
	char d[PATH_MAX];
	unsigned *v = NULL;
	size_t n = 0;
	json_t *arr = NULL, *rec = NULL;
	int rc = -1, r;

	*out = NULL;
	if (!layerstore_valid_name(name))
		return err_set(e, ERR_INVALID_PARAMETER, "invalid layer name '%s'", name);
	layer_dir(d, home, name);
	if ((r = regutil_numbers(d, ".json", &v, &n)))
		return regutil_ioerr(e, "list", d, r);
	if (n == 0) {
		not_found(e, name, 0);
		goto out;
	}
	arr = json_array();
	for (size_t i = n; i-- > 0;) {
		if (load_record(home, name, v[i], &rec, e)) {
			if (err_is(e, ERR_FUNCTION_NOT_FOUND))
				continue;   /* deleted meanwhile */
			goto out;
		}
		json_array_append_new(arr, version_json(name, rec, false));
		json_decref(rec);
		rec = NULL;
	}
	*out = json_pack("{s:o}", "LayerVersions", arr);
	arr = NULL;
	rc = *out ? 0 : err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
out:
	json_decref(arr);
	free(v);
	return rc;
}

int layerstore_list_json(const char *home, json_t **out, struct err *e)
{
	char d[PATH_MAX], arn[512];
	char **names = NULL;
	size_t n = 0;
	int fd = -1, rc = -1, r;
	json_t *arr = json_array(), *vers = NULL;

	*out = NULL;
	regutil_path(d, "%s/layers", home);
	fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 && (r = laytree_names(fd, SIZE_MAX, &names, &n))) {
		regutil_ioerr(e, "list", d, r);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *latest;

		if (!layerstore_valid_name(names[i]))
			continue;
		err_clear(e);
		if (layerstore_versions_json(home, names[i], &vers, e)) {
			if (err_is(e, ERR_FUNCTION_NOT_FOUND))
				continue;   /* every version deleted */
			goto out;
		}
		latest = json_array_get(json_object_get(vers, "LayerVersions"), 0);
		if (latest) {
			regutil_arn(arn, sizeof arn, "layer", names[i], NULL);
			json_array_append_new(arr, json_pack("{s:s, s:s, s:O}", "LayerName", names[i],
							     "LayerArn", arn,
							     "LatestMatchingVersion", latest));
		}
		json_decref(vers);
		vers = NULL;
	}
	err_clear(e);
	*out = json_pack("{s:O}", "Layers", arr);
	rc = *out ? 0 : err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
out:
	json_decref(arr);
	json_decref(vers);
	laytree_names_free(names, n);
	if (fd >= 0)
		close(fd);
	return rc;
}

int layerstore_get_json(const char *home, const char *ref, json_t **out, struct err *e)
{
	char name[REGISTRY_LAYER_NAME_MAX + 1];
	unsigned version;
	json_t *rec = NULL;

	*out = NULL;
	if (layerstore_parse_ref(ref, name, &version, e))
		return -1;
	if (version == 0 && (latest_number(home, name, &version) || version == 0))
		return not_found(e, name, 0);
	if (load_record(home, name, version, &rec, e))
		return -1;
	*out = version_json(name, rec, true);
	json_decref(rec);
	return *out ? 0 : err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
}

static int delete_version(const char *home, const char *name, unsigned v, struct err *e)
{
	char p[PATH_MAX];
	int r;

	/* The record is the commit point: once it is gone the version is. */
	regutil_path(p, "%s/layers/%s/%u.json", home, name, v);
	if (unlink(p) < 0)
		return errno == ENOENT ? not_found(e, name, v) : regutil_ioerr(e, "remove", p, -errno);
	regutil_path(p, "%s/layers/%s/%u", home, name, v);
	if ((r = fs_rm_rf(p)))
		return regutil_ioerr(e, "remove", p, r);
	return 0;
}

int layerstore_delete(const char *home, const char *ref, struct err *e)
{
	char name[REGISTRY_LAYER_NAME_MAX + 1], d[PATH_MAX];
	unsigned version, *v = NULL;
	size_t n = 0;
	int rc = -1, r;

	if (layerstore_parse_ref(ref, name, &version, e))
		return -1;
	layer_dir(d, home, name);
	if (version) {
		rc = delete_version(home, name, version, e);
		goto out;
	}
	if ((r = regutil_numbers(d, ".json", &v, &n)))
		return regutil_ioerr(e, "list", d, r);
	if (n == 0) {
		not_found(e, name, 0);
		goto out;
	}
	for (size_t i = n; i-- > 0;)
		if (delete_version(home, name, v[i], e))
			goto out;
	rc = 0;
out:
	regutil_sweep(d);
	free(v);
	return rc;
}

/* ---- merged /opt views ---- */

void layerstore_opt_hash(const struct layer_ref *refs, size_t n, char out[65])
{
	char line[REGISTRY_LAYER_NAME_MAX + 96];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dn = 0;

	out[0] = '\0';
	if (!md)
		return;
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	for (size_t i = 0; i < n; i++) {
		int l = snprintf(line, sizeof line, "%s:%u:%s\n", refs[i].name, refs[i].version,
				 refs[i].digest);

		EVP_DigestUpdate(md, line, (size_t)l);
	}
	EVP_DigestFinal_ex(md, d, &dn);
	EVP_MD_CTX_free(md);
	for (unsigned k = 0; k < 32 && k < dn; k++)
		snprintf(out + 2 * k, 3, "%02x", d[k]);
}

int layerstore_materialize(const char *home, const struct layer_ref *refs, size_t n,
			   char hash[65], bool *created, struct err *e)
{
	char fin[PATH_MAX], tmp[PATH_MAX], src[PATH_MAX];
	struct layer_ref cur;
	struct stat st;
	int dfd = -1, rc = -1, r;

	*created = false;
	layerstore_opt_hash(refs, n, hash);
	regutil_path(fin, "%s/opt/%s", home, hash);
	if (stat(fin, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	regutil_path(tmp, "%s/opt", home);
	if ((r = fs_mkdir_p(tmp, 0700)))
		return regutil_ioerr(e, "create", tmp, r);
	regutil_path(tmp, "%s/opt/.tmp.%.16s.%d", home, hash, (int)getpid());
	fs_rm_rf(tmp);
	if (mkdir(tmp, 0755) < 0 || chmod(tmp, 0755) < 0 ||
	    (dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		regutil_ioerr(e, "create", tmp, -errno);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int sfd;

		/* The version must still be the one the function was given. */
		if (layerstore_lookup(home, refs[i].name, refs[i].version, &cur, e))
			goto out;
		if (strcmp(cur.digest, refs[i].digest)) {
			not_found(e, refs[i].name, refs[i].version);
			goto out;
		}
		regutil_path(src, "%s/layers/%s/%u", home, refs[i].name, refs[i].version);
		sfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (sfd < 0) {
			regutil_ioerr(e, "open", src, -errno);
			goto out;
		}
		r = laytree_merge(sfd, dfd, tmp);
		close(sfd);
		if (r) {
			regutil_ioerr(e, "merge layers into", tmp, r);
			goto out;
		}
	}
	if (syncfs(dfd) < 0 || rename(tmp, fin) < 0) {
		regutil_ioerr(e, "create", fin, -errno);
		goto out;
	}
	*created = true;
	rc = 0;
out:
	if (dfd >= 0)
		close(dfd);
	if (rc)
		fs_rm_rf(tmp);
	return rc;
}
