#include "registry.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fnrecord.h"
#include "fsutil.h"
#include "layerstore.h"
#include "laytree.h"
#include "log.h"
#include "regutil.h"

struct registry {
	char home[PATH_MAX];
	pthread_mutex_t mu;    /* writers in this process; the file lock for others */
};

void registry_fn_spec_init(struct registry_fn_spec *s)
{
	memset(s, 0, sizeof *s);
	s->timeout_s = -1;
	s->memory_mb = -1;
	s->tmp_mb = -1;
	s->reserved_concurrency = -1;
	s->network = -1;
}

struct registry *registry_open(const char *home, struct err *e)
{
	static const char *const subdirs[] = { "functions", "layers", "code", "opt" };
	struct registry *reg = NULL;
	char p[PATH_MAX], why[PATH_MAX + 128];
	int r;

	if (!home || !*home || strlen(home) > REGISTRY_HOME_MAX) {
		err_set(e, ERR_INVALID_PARAMETER, "TUTTI_HOME must be 1-%d characters",
			REGISTRY_HOME_MAX);
		return NULL;
	}
	/* Private: records hold functions' variables (secrets, often). */
	if (fs_private_dir(home, why, sizeof why)) {
		err_set(e, ERR_INVALID_PARAMETER, "unsafe TUTTI_HOME: %s", why);
		return NULL;
	}
	reg = calloc(1, sizeof *reg);
	if (!reg) {
		err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
		return NULL;
	}
	/* Absolute, so the paths handed to the runtime do not depend on cwd. */
	if (!realpath(home, reg->home) || strlen(reg->home) > REGISTRY_HOME_MAX) {
		regutil_ioerr(e, "resolve", home, errno ? -errno : -ENAMETOOLONG);
		goto fail;
	}
	for (size_t i = 0; i < sizeof subdirs / sizeof subdirs[0]; i++) {
		regutil_path(p, "%s/%s", reg->home, subdirs[i]);
		/* 0700, also those an older version made 0755. (code/ and
		 * opt/ hold what sandboxes mount, readable by the sandbox user
		 * through the mount, not through these directories.) */
		if ((r = fs_mkdir_p(p, 0700)) || (r = chmod(p, 0700) < 0 ? -errno : 0)) {
			regutil_ioerr(e, "create", p, r);
			goto fail;
		}
	}
	pthread_mutex_init(&reg->mu, NULL);
	return reg;
fail:
	free(reg);
	return NULL;
}

void registry_close(struct registry *reg)
{
	if (!reg)
		return;
	pthread_mutex_destroy(&reg->mu);
	free(reg);
}

/* Writers: the mutex orders this process's threads, a POSIX record lock
 * other processes. A record lock (not flock) because it is not inherited
 * through fork: a zygote started while it is held does not keep it. */
static int lock(struct registry *reg, struct err *e)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char p[PATH_MAX];
	int fd, err;

	pthread_mutex_lock(&reg->mu);
	regutil_path(p, "%s/.registry.lock", reg->home);
	fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		goto fail;
	while (fcntl(fd, F_SETLKW, &fl) < 0) {
		if (errno != EINTR) {
			err = errno;
			close(fd);
			errno = err;
			goto fail;
		}
	}
	return fd;
fail:
	regutil_ioerr(e, "lock", p, -errno);
	pthread_mutex_unlock(&reg->mu);
	return -1;
}

static void unlock(struct registry *reg, int fd)
{
	close(fd);   /* releases the record lock */
	pthread_mutex_unlock(&reg->mu);
}

/* ---- references and records ---- */

enum qual { Q_UNQUALIFIED, Q_LATEST, Q_NUMBER };

struct fnref {
	char name[FN_NAME_MAX + 1];
	enum qual kind;
	unsigned number;
	char text[REGUTIL_QUAL_MAX];   /* the qualifier as written */
};

static int not_found(struct err *e, const char *name, const char *qual)
{
	char arn[512];

	regutil_arn(arn, sizeof arn, "function", name, qual);
	return err_set(e, ERR_FUNCTION_NOT_FOUND, "Function not found: %s", arn);
}

static int bad_name(struct err *e, const char *name)
{
	return err_set(e, ERR_INVALID_PARAMETER,
		       "invalid function name '%.80s' (1-%d characters of A-Z a-z 0-9 _ -)", name,
		       FN_NAME_MAX);
}

static int parse_ref(const char *ref, struct fnref *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	if (regutil_split_ref(ref, "function", r->name, sizeof r->name, r->text,
			      sizeof r->text, e))
		return -1;
	if (!fnconf_valid_name(r->name))
		return bad_name(e, r->name);
	if (!*r->text)
		r->kind = Q_UNQUALIFIED;
	else if (!strcmp(r->text, "$LATEST"))
		r->kind = Q_LATEST;
	else if (!regutil_parse_uint(r->text, REGUTIL_VERSION_MAX, &r->number))
		r->kind = Q_NUMBER;
	else if (fnconf_valid_name(r->text) && strspn(r->text, "0123456789") != strlen(r->text))
		/* Lambda would look for an alias; tutti has none. */
		return not_found(e, r->name, r->text);
	else
		return err_set(e, ERR_INVALID_PARAMETER,
			       "invalid qualifier '%.80s' (expected $LATEST or a version number)",
			       r->text);
	return 0;
}

static int latest_version(const struct registry *reg, const char *name, unsigned *out,
			  struct err *e)
{
	char d[PATH_MAX];
	unsigned *v = NULL;
	size_t n = 0;
	int r;

	regutil_path(d, "%s/functions/%s/versions", reg->home, name);
	if ((r = regutil_numbers(d, ".json", &v, &n)))
		return regutil_ioerr(e, "list", d, r);
	*out = n ? v[n - 1] : 0;
	free(v);
	return 0;
}

/* Load version `version` of `name`: 0, or -1 (not found: ResourceNotFound). */
static int load_version(const struct registry *reg, const char *name, unsigned version,
			const char *qual, struct fnrec *rec, struct err *e)
{
	char p[PATH_MAX];
	json_t *j = NULL;
	int r;

	regutil_path(p, "%s/functions/%s/versions/%u.json", reg->home, name, version);
	r = regutil_read_json(p, &j, e);
	if (r == -ENOENT)
		return not_found(e, name, qual);
	if (r)
		return -1;
	r = fnrecord_unpack(j, p, name, version, rec, e);
	json_decref(j);
	return r;
}

static int load_ref(const struct registry *reg, const struct fnref *ref, struct fnrec *rec,
		    struct err *e)
{
	unsigned v = ref->number;

	if (ref->kind != Q_NUMBER) {
		if (latest_version(reg, ref->name, &v, e))
			return -1;
		if (v == 0)
			return not_found(e, ref->name, ref->text);
	}
	return load_version(reg, ref->name, v, ref->text, rec, e);
}

static void code_path(const struct registry *reg, const char *sha, char out[PATH_MAX])
{
	regutil_path(out, "%s/code/%s.so", reg->home, sha);
}

/* What the runtime sees of `rec`: stored code, merged layers, "$LATEST"
 * or the number as the version. */
static void fill_config(const struct registry *reg, const struct fnrec *rec, bool latest,
			struct fn_config *out)
{
	*out = rec->cfg;
	code_path(reg, rec->cfg.code_sha256, out->code_path);
	if (*rec->opt_hash)
		regutil_path(out->opt_dir, "%s/opt/%s", reg->home, rec->opt_hash);
	else
		out->opt_dir[0] = '\0';
	if (latest)
		snprintf(out->version, sizeof out->version, "$LATEST");
	else
		snprintf(out->version, sizeof out->version, "%u", rec->version);
}

/* ---- create / update ---- */

/* Copy the code (the descriptor fnrecord_prepare opened) into the store
 * under a private name, bounded by REGISTRY_CODE_MAX as it copies; its
 * hash and size from the same bytes. The copy is what gets checked (the
 * caller's check loads it in a sandbox: ELF, ABI, handler) and stored, so
 * nothing can change between the check and the store. */
static int stage_code(const struct registry *reg, int fd, const char *src, char incoming[PATH_MAX],
		      struct fnrec *r, struct err *e)
{
	unsigned long long size;
	int rc;

	regutil_path(incoming, "%s/code/.incoming.%d.so", reg->home, (int)getpid());
	/* 0644: the sandbox user reads it through its own mount; the store's
	 * 0700 directories keep everyone else out. */
	rc = fs_copy_fd_atomic(fd, incoming, 0644, REGISTRY_CODE_MAX, r->cfg.code_sha256, &size);
	if (rc == -EFBIG)
		return err_set(e, ERR_INVALID_PARAMETER, "code file %s is larger than %llu MiB", src,
			       REGISTRY_CODE_MAX >> 20);
	if (rc)
		return regutil_ioerr(e, "copy code to", incoming, rc);
	r->code_size = size;
	return 0;
}

static int publish(struct registry *reg, const char *name, const struct registry_fn_spec *s,
		   bool creating, registry_check_fn check, void *arg, struct err *e)
{
	struct fnrec *rec = NULL;
	struct fnrecord_prep *p = NULL;
	struct fn_config *cfg = NULL;
	char incoming[PATH_MAX] = "", final[PATH_MAX] = "", path[PATH_MAX], opt[PATH_MAX] = "";
	bool code_created = false, opt_created = false;
	unsigned latest = 0;
	int lk = -1, rc = -1, r;
	json_t *j = NULL;

	if (!name || !fnconf_valid_name(name))
		return bad_name(e, name ? name : "");
	rec = malloc(sizeof *rec);
	p = malloc(sizeof *p);
	cfg = malloc(sizeof *cfg);
	if (p)
		p->code_fd = -1;
	if (!rec || !p || !cfg) {
		err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
		goto out;
	}
	if (fnrecord_prepare(s, creating, p, e))
		goto out;
	if ((lk = lock(reg, e)) < 0)
		goto out;
	if (latest_version(reg, name, &latest, e))
		goto out;
	if (creating && latest) {
		err_set(e, ERR_FUNCTION_CONFLICT, "Function already exists: %s", name);
		goto out;
	}
	if (creating) {
		fnrecord_defaults(rec, name);
	} else if (!latest) {
		not_found(e, name, NULL);
		goto out;
	} else if (load_version(reg, name, latest, NULL, rec, e)) {
		goto out;
	}
	if (latest >= REGUTIL_VERSION_MAX) {
		err_set(e, ERR_INVALID_PARAMETER, "function %s has too many versions", name);
		goto out;
	}
	rec->version = latest + 1;
	fnrecord_apply(s, p, rec);
	if (s->set_layers) {
		rec->n_layers = s->n_layers;
		for (size_t i = 0; i < s->n_layers; i++)
			if (layerstore_lookup(reg->home, p->layer_names[i], p->layer_versions[i],
					      &rec->layers[i], e))
				goto out;
	}
	rec->opt_hash[0] = '\0';
	if (rec->n_layers && layerstore_materialize(reg->home, rec->layers, rec->n_layers,
						    rec->opt_hash, &opt_created, e))
		goto out;
	if (opt_created)
		regutil_path(opt, "%s/opt/%s", reg->home, rec->opt_hash);
	if (s->code_path && stage_code(reg, p->code_fd, s->code_path, incoming, rec, e))
		goto out;
	regutil_timestamp(rec->modified);

	/* Check exactly what will be stored, before storing it. */
	fill_config(reg, rec, false, cfg);
	if (*incoming)
		snprintf(cfg->code_path, sizeof cfg->code_path, "%s", incoming);
	else if (!fs_exists(cfg->code_path)) {
		err_set(e, ERR_RUNTIME_INTERNAL, "code of %s:%u is missing from the store (%s)", name,
			latest, cfg->code_path);
		goto out;
	}
	err_clear(e);
	if (check && check(arg, cfg, e)) {
		if (!err_isset(e))
			err_set(e, ERR_RUNTIME_IMPORT, "the code could not be loaded");
		goto out;
	}

	/* Commit: code first, then the record, whose rename publishes. */
	if (*incoming) {
		code_path(reg, rec->cfg.code_sha256, final);
		if (fs_exists(final)) {
			unlink(incoming);
		} else if (rename(incoming, final) < 0) {
			regutil_ioerr(e, "store code as", final, -errno);
			goto out;
		} else {
			code_created = true;
		}
		incoming[0] = '\0';
	}
	regutil_path(path, "%s/functions/%s/versions", reg->home, name);
	if ((r = fs_mkdir_p(path, 0700))) {
		regutil_ioerr(e, "create", path, r);
		goto out;
	}
	regutil_path(path, "%s/functions/%s/versions/%u.json", reg->home, name, rec->version);
	j = fnrecord_pack(rec);
	if (!j) {
		err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
		goto out;
	}
	if (regutil_write_json(path, j, e))
		goto out;
	rc = (int)rec->version;
out:
	if (rc < 0 && lk >= 0) {
		/* Leave the store as it was: nothing of this attempt stays. */
		if (*incoming)
			unlink(incoming);
		if (code_created)
			unlink(final);
		if (opt_created)
			fs_rm_rf(opt);
		if (creating) {
			regutil_path(path, "%s/functions/%s/versions", reg->home, name);
			rmdir(path);
			regutil_path(path, "%s/functions/%s", reg->home, name);
			rmdir(path);
		}
	}
	if (lk >= 0)
		unlock(reg, lk);
	json_decref(j);
	free(rec);
	if (p && p->code_fd >= 0)
		close(p->code_fd);
	free(p);
	free(cfg);
	return rc;
}

int registry_function_create(struct registry *reg, const char *name,
			     const struct registry_fn_spec *spec,
			     registry_check_fn check, void *arg, struct err *e)
{
	return publish(reg, name, spec, true, check, arg, e);
}

int registry_function_update(struct registry *reg, const char *name,
			     const struct registry_fn_spec *spec,
			     registry_check_fn check, void *arg, struct err *e)
{
	return publish(reg, name, spec, false, check, arg, e);
}

/* ---- reading ---- */

int registry_resolve(struct registry *reg, const char *ref, struct fn_config *out,
		     struct err *e)
{
	struct fnrec *rec = malloc(sizeof *rec);
	struct fnref r;
	int rc = -1;

	if (!rec)
		return err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
	if (parse_ref(ref, &r, e) || load_ref(reg, &r, rec, e))
		goto out;
	fill_config(reg, rec, r.kind != Q_NUMBER, out);
	if (access(out->code_path, R_OK) < 0) {
		err_set(e, ERR_RUNTIME_INTERNAL, "code of %s:%u is missing from the store (%s)",
			r.name, rec->version, out->code_path);
		goto out;
	}
	rc = 0;
out:
	free(rec);
	return rc;
}

int registry_function_get_json(struct registry *reg, const char *ref, json_t **out,
			       struct err *e)
{
	struct fnrec *rec = malloc(sizeof *rec);
	struct fnref r;
	int rc = -1;

	*out = NULL;
	if (!rec)
		return err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
	if (parse_ref(ref, &r, e) || load_ref(reg, &r, rec, e))
		goto out;
	*out = fnrecord_config_json(rec, r.kind != Q_NUMBER);
	rc = *out ? 0 : err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
out:
	free(rec);
	return rc;
}

/* Function names in functions/, sorted; entries that are not names
 * (leftovers such as ".trash.*") are skipped by the callers. */
static int function_names(const struct registry *reg, char ***names, size_t *n,
			  struct err *e)
{
	char d[PATH_MAX];
	int fd, r;

	*names = NULL;
	*n = 0;
	regutil_path(d, "%s/functions", reg->home);
	fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : regutil_ioerr(e, "open", d, -errno);
	r = laytree_names(fd, SIZE_MAX, names, n);
	close(fd);
	return r ? regutil_ioerr(e, "list", d, r) : 0;
}

int registry_function_list_json(struct registry *reg, json_t **out, struct err *e)
{
	struct fnrec *rec = malloc(sizeof *rec);
	json_t *arr = json_array();
	char **names = NULL;
	size_t n = 0;
	int rc = -1;

	*out = NULL;
	if (!rec || !arr) {
		err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
		goto out;
	}
	if (function_names(reg, &names, &n, e))
		goto out;
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		if (!fnconf_valid_name(names[i]) || latest_version(reg, names[i], &v, e))
			continue;
		if (v == 0)
			continue;
		if (load_version(reg, names[i], v, NULL, rec, e)) {
			if (err_is(e, ERR_FUNCTION_NOT_FOUND))
				continue;   /* deleted while we listed */
			goto out;
		}
		json_array_append_new(arr, fnrecord_config_json(rec, true));
	}
	err_clear(e);
	*out = json_pack("{s:O}", "Functions", arr);
	rc = *out ? 0 : err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
out:
	laytree_names_free(names, n);
	json_decref(arr);
	free(rec);
	return rc;
}

int registry_function_versions_json(struct registry *reg, const char *name, json_t **out,
				    struct err *e)
{
	struct fnrec *rec = malloc(sizeof *rec);
	json_t *arr = json_array();
	char d[PATH_MAX];
	unsigned *v = NULL;
	size_t n = 0;
	int rc = -1, r;

	*out = NULL;
	if (!rec || !arr) {
		err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
		goto out;
	}
	if (!name || !fnconf_valid_name(name)) {
		bad_name(e, name ? name : "");
		goto out;
	}
	regutil_path(d, "%s/functions/%s/versions", reg->home, name);
	if ((r = regutil_numbers(d, ".json", &v, &n))) {
		regutil_ioerr(e, "list", d, r);
		goto out;
	}
	if (n == 0) {
		not_found(e, name, NULL);
		goto out;
	}
	/* $LATEST first, as ListVersionsByFunction shows it. */
	for (size_t i = n; i-- > 0;) {
		if (load_version(reg, name, v[i], NULL, rec, e))
			goto out;
		if (i == n - 1)
			json_array_append_new(arr, fnrecord_config_json(rec, true));
		json_array_insert_new(arr, 1, fnrecord_config_json(rec, false));
	}
	*out = json_pack("{s:O}", "Versions", arr);
	rc = *out ? 0 : err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
out:
	json_decref(arr);
	free(v);
	free(rec);
	return rc;
}

/* ---- deleting ---- */

static void set_add(json_t *set, const char *key)
{
	if (*key)
		json_object_set_new(set, key, json_true());
}

/* Remove code and /opt views no function version refers to any more, and
 * what interrupted writers left. Called with the lock held; gives up
 * (removing nothing) when any record cannot be read. */
static void gc(struct registry *reg)
{
	json_t *codes = json_object(), *opts = json_object();
	struct fnrec *rec = malloc(sizeof *rec);
	char **names = NULL, **files = NULL, d[PATH_MAX], p[PATH_MAX];
	size_t n = 0, nf = 0;
	struct err e = { 0 };
	const char *sub[] = { "code", "opt" };

	if (!codes || !opts || !rec || function_names(reg, &names, &n, &e))
		goto out;
	regutil_path(d, "%s/functions", reg->home);
	regutil_sweep(d);
	for (size_t i = 0; i < n; i++) {
		unsigned *v = NULL;
		size_t nv = 0;
		bool ok = true;

		if (!fnconf_valid_name(names[i]))
			continue;
		regutil_path(d, "%s/functions/%s/versions", reg->home, names[i]);
		regutil_sweep(d);
		if (regutil_numbers(d, ".json", &v, &nv))
			goto out;
		for (size_t k = 0; ok && k < nv; k++) {
			ok = load_version(reg, names[i], v[k], NULL, rec, &e) == 0;
			if (ok) {
				set_add(codes, rec->cfg.code_sha256);
				set_add(opts, rec->opt_hash);
			}
		}
		free(v);
		if (!ok) {
			log_warn("registry: not collecting garbage: %s", e.msg);
			goto out;
		}
	}
	for (size_t s = 0; s < 2; s++) {
		json_t *keep = s == 0 ? codes : opts;
		int fd;

		regutil_path(d, "%s/%s", reg->home, sub[s]);
		regutil_sweep(d);
		fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (laytree_names(fd, SIZE_MAX, &files, &nf) == 0) {
			for (size_t i = 0; i < nf; i++) {
				char key[65];
				size_t l = strlen(files[i]);

				/* code/<sha>.so, opt/<sha>: anything else is not ours. */
				if (s == 0 ? (l != 67 || strcmp(files[i] + 64, ".so")) : l != 64)
					continue;
				memcpy(key, files[i], 64);
				key[64] = '\0';
				if (!regutil_is_sha(key, 64) || json_object_get(keep, key))
					continue;
				regutil_path(p, "%s/%s", d, files[i]);
				fs_rm_rf(p);
			}
		}
		laytree_names_free(files, nf);
		files = NULL;
		nf = 0;
		close(fd);
	}
out:
	laytree_names_free(names, n);
	json_decref(codes);
	json_decref(opts);
	free(rec);
}

int registry_function_delete(struct registry *reg, const char *ref, struct err *e)
{
	char p[PATH_MAX], trash[PATH_MAX];
	struct fnref r;
	unsigned latest = 0;
	int lk, rc = -1, x;

	if (parse_ref(ref, &r, e))
		return -1;
	if (r.kind == Q_LATEST)
		return err_set(e, ERR_INVALID_PARAMETER,
			       "$LATEST cannot be deleted on its own: delete %s to delete the function",
			       r.name);
	if ((lk = lock(reg, e)) < 0)
		return -1;
	if (latest_version(reg, r.name, &latest, e))
		goto out;
	if (latest == 0) {
		not_found(e, r.name, r.text);
		goto out;
	}
	if (r.kind == Q_NUMBER) {
		if (r.number == latest) {
			err_set(e, ERR_FUNCTION_CONFLICT,
				"version %u is $LATEST of %s: update the function first, or delete %s",
				latest, r.name, r.name);
			goto out;
		}
		regutil_path(p, "%s/functions/%s/versions/%u.json", reg->home, r.name, r.number);
		if (unlink(p) < 0) {
			if (errno == ENOENT)
				not_found(e, r.name, r.text);
			else
				regutil_ioerr(e, "remove", p, -errno);
			goto out;
		}
	} else {
		/* One rename makes the whole function disappear at once. */
		regutil_path(p, "%s/functions/%s", reg->home, r.name);
		regutil_path(trash, "%s/functions/.trash.%s.%d", reg->home, r.name, (int)getpid());
		fs_rm_rf(trash);
		if (rename(p, trash) < 0) {
			regutil_ioerr(e, "remove", p, -errno);
			goto out;
		}
		if ((x = fs_rm_rf(trash)))
			log_warn("registry: cannot remove %s: %s", trash, strerror(-x));
	}
	gc(reg);
	rc = 0;
out:
	unlock(reg, lk);
	return rc;
}

/* ---- layers ---- */

int registry_layer_publish(struct registry *reg, const char *name, const char *dir,
			   const char *description, json_t **out, struct err *e)
{
	int lk, rc;

	if (out)
		*out = NULL;
	if ((lk = lock(reg, e)) < 0)
		return -1;
	rc = layerstore_publish(reg->home, name, dir, description, out, e);
	unlock(reg, lk);
	return rc;
}

int registry_layer_list_json(struct registry *reg, json_t **out, struct err *e)
{
	return layerstore_list_json(reg->home, out, e);
}

int registry_layer_versions_json(struct registry *reg, const char *name, json_t **out,
				 struct err *e)
{
	return layerstore_versions_json(reg->home, name, out, e);
}

int registry_layer_get_json(struct registry *reg, const char *ref, json_t **out,
			    struct err *e)
{
	return layerstore_get_json(reg->home, ref, out, e);
}

int registry_layer_delete(struct registry *reg, const char *ref, struct err *e)
{
	int lk, rc;

	if ((lk = lock(reg, e)) < 0)
		return -1;
	rc = layerstore_delete(reg->home, ref, e);
	unlock(reg, lk);
	return rc;
}
