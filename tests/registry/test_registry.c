/* Unit tests of the function and layer registry (registry/registry.h). The
 * code check is a fake callback: no sandbox is started here. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"
#include "registry.h"

static char home[PATH_MAX];
static char work[PATH_MAX];
static struct registry *reg;

struct fake_check {
	int calls;
	int fail;                 /* 1: fail with Runtime.HandlerNotFound */
	struct fn_config seen;
	int opt_had_file;         /* opt_dir/lib/common.txt was readable */
};

static int fake_check(void *arg, const struct fn_config *cfg, struct err *e)
{
	struct fake_check *f = arg;
	char p[PATH_MAX + 32];

	f->calls++;
	f->seen = *cfg;
	snprintf(p, sizeof p, "%s/lib/common.txt", cfg->opt_dir);
	f->opt_had_file = *cfg->opt_dir && access(p, R_OK) == 0;
	if (access(cfg->code_path, R_OK) < 0)
		return err_set(e, ERR_RUNTIME_IMPORT, "cannot read %s", cfg->code_path);
	if (f->fail)
		return err_set(e, ERR_RUNTIME_HANDLER_NOT_FOUND, "no symbol %s", cfg->handler);
	return 0;
}

static void put(const char *path, const char *data)
{
	ck_assert_int_eq(fs_write_atomic(path, data, strlen(data), 0644), 0);
}

static char *wpath(const char *rel)
{
	static char p[8][PATH_MAX];
	static int i;

	i = (i + 1) % 8;
	snprintf(p[i], sizeof p[i], "%s/%s", work, rel);
	return p[i];
}

static char *hpath(const char *rel)
{
	static char p[8][PATH_MAX];
	static int i;

	i = (i + 1) % 8;
	snprintf(p[i], sizeof p[i], "%s/%s", home, rel);
	return p[i];
}

/* Entries in a directory (all of them, dot-files included). */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void setup(void)
{
	struct err e = { 0 };
	char tmpl[] = "/tmp/tutti-reg.XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	snprintf(home, sizeof home, "%s/home", tmpl);
	snprintf(work, sizeof work, "%s/work", tmpl);
	ck_assert_int_eq(fs_mkdir_p(work, 0755), 0);
	reg = registry_open(home, &e);
	ck_assert_msg(reg != NULL, "%s", e.msg);
	put(wpath("a.so"), "code A");
	put(wpath("b.so"), "code B");
}

static void teardown(void)
{
	char top[PATH_MAX];

	registry_close(reg);
	reg = NULL;
	snprintf(top, sizeof top, "%s", home);
	*strrchr(top, '/') = '\0';
	fs_rm_rf(top);
}

static int create(const char *name, const char *code, struct err *e)
{
	struct registry_fn_spec s;

	registry_fn_spec_init(&s);
	s.code_path = code;
	return registry_function_create(reg, name, &s, NULL, NULL, e);
}

static void expect_err(int rc, const struct err *e, enum err_code code)
{
	ck_assert_int_lt(rc, 0);
	ck_assert_msg(err_is(e, code), "expected %s, got %s: %s", err_name(code), e->type, e->msg);
}

static void store_is_empty(void)
{
	ck_assert_int_eq(entries(hpath("functions")), 0);
	ck_assert_int_eq(entries(hpath("code")), 0);
	ck_assert_int_eq(entries(hpath("opt")), 0);
}

START_TEST(test_create_resolve)
{
	struct fake_check fc = { 0 };
	struct registry_fn_spec s;
	struct fn_config c;
	struct err e = { 0 };
	char sha[65], want[PATH_MAX];

	registry_fn_spec_init(&s);
	s.code_path = wpath("a.so");
	ck_assert_int_eq(registry_function_create(reg, "f", &s, fake_check, &fc, &e), 1);
	ck_assert_int_eq(fc.calls, 1);
	ck_assert_str_eq(fc.seen.version, "1");
	ck_assert_str_eq(fc.seen.name, "f");

	ck_assert_int_eq(registry_resolve(reg, "f", &c, &e), 0);
	ck_assert_str_eq(c.name, "f");
	ck_assert_str_eq(c.version, "$LATEST");
	ck_assert_int_eq(fs_sha256_file(wpath("a.so"), sha), 0);
	ck_assert_str_eq(c.code_sha256, sha);
	snprintf(want, sizeof want, "%s/code/%s.so", home, sha);
	ck_assert_str_eq(c.code_path, want);
	ck_assert_str_eq(c.handler, "handler");
	ck_assert_str_eq(c.opt_dir, "");
	ck_assert_uint_eq(c.timeout_s, 3);
	ck_assert_uint_eq(c.memory_mb, 128);
	ck_assert_uint_eq(c.tmp_mb, 512);
	ck_assert_uint_eq(c.reserved_concurrency, 0);
	ck_assert(!c.network);
	ck_assert_uint_eq(c.env_len, 0);
	/* The check saw a private copy with the same content. */
	ck_assert_str_eq(fc.seen.code_sha256, sha);
	ck_assert_str_ne(fc.seen.code_path, want);

	ck_assert_int_eq(registry_resolve(reg, "f:1", &c, &e), 0);
	ck_assert_str_eq(c.version, "1");
	ck_assert_int_eq(registry_resolve(reg, "f:$LATEST", &c, &e), 0);
	ck_assert_str_eq(c.version, "$LATEST");
}
END_TEST

START_TEST(test_update_keeps_settings)
{
	const char *env1[] = { "A=1", "B=two" }, *env2[] = { "C=3" };
	struct registry_fn_spec s;
	struct fn_config c1, c;
	struct err e = { 0 };

	registry_fn_spec_init(&s);
	s.code_path = wpath("a.so");
	s.handler = "entry";
	s.description = "first";
	s.timeout_s = 10;
	s.tmp_mb = 1024;
	s.reserved_concurrency = 4;
	s.network = 1;
	s.set_env = true;
	s.env = env1;
	s.n_env = 2;
	ck_assert_int_eq(registry_function_create(reg, "f", &s, NULL, NULL, &e), 1);
	ck_assert_int_eq(registry_resolve(reg, "f", &c1, &e), 0);

	registry_fn_spec_init(&s);
	s.memory_mb = 256;
	ck_assert_int_eq(registry_function_update(reg, "f", &s, NULL, NULL, &e), 2);
	ck_assert_int_eq(registry_resolve(reg, "f", &c, &e), 0);
	ck_assert_uint_eq(c.memory_mb, 256);
	ck_assert_str_eq(c.handler, "entry");
	ck_assert_uint_eq(c.timeout_s, 10);
	ck_assert_uint_eq(c.tmp_mb, 1024);
	ck_assert_uint_eq(c.reserved_concurrency, 4);
	ck_assert(c.network);
	ck_assert_uint_eq(c.env_len, c1.env_len);
	ck_assert_mem_eq(c.env, "A=1\0B=two\0", c.env_len);
	ck_assert_str_eq(c.code_sha256, c1.code_sha256);

	/* New code, replaced variables, network off. */
	registry_fn_spec_init(&s);
	s.code_path = wpath("b.so");
	s.set_env = true;
	s.env = env2;
	s.n_env = 1;
	s.network = 0;
	s.reserved_concurrency = 0;
	ck_assert_int_eq(registry_function_update(reg, "f", &s, NULL, NULL, &e), 3);
	ck_assert_int_eq(registry_resolve(reg, "f", &c, &e), 0);
	ck_assert_str_ne(c.code_sha256, c1.code_sha256);
	ck_assert_mem_eq(c.env, "C=3\0", c.env_len);
	ck_assert(!c.network);
	ck_assert_uint_eq(c.reserved_concurrency, 0);
	ck_assert_uint_eq(c.memory_mb, 256);

	/* Older versions are immutable. */
	ck_assert_int_eq(registry_resolve(reg, "f:1", &c, &e), 0);
	ck_assert_str_eq(c.code_sha256, c1.code_sha256);
	ck_assert_uint_eq(c.memory_mb, 128);
	ck_assert_int_eq(registry_resolve(reg, "f:2", &c, &e), 0);
	ck_assert_uint_eq(c.memory_mb, 256);

	/* No variables at all. */
	registry_fn_spec_init(&s);
	s.set_env = true;
	ck_assert_int_eq(registry_function_update(reg, "f", &s, NULL, NULL, &e), 4);
	ck_assert_int_eq(registry_resolve(reg, "f", &c, &e), 0);
	ck_assert_uint_eq(c.env_len, 0);
}
END_TEST

START_TEST(test_references)
{
	static const struct {
		const char *ref;
		int ok;                  /* 1 resolves; else the error */
		enum err_code code;
		const char *version;
	} cases[] = {
		{ "f", 1, 0, "$LATEST" },
		{ "f:$LATEST", 1, 0, "$LATEST" },
		{ "f:1", 1, 0, "1" },
		{ "f:2", 1, 0, "2" },
		{ "arn:aws:lambda:local:000000000000:function:f", 1, 0, "$LATEST" },
		{ "arn:aws:lambda:us-east-1:123456789012:function:f:1", 1, 0, "1" },
		{ "arn:aws:lambda:eu-west-1:1:function:f:$LATEST", 1, 0, "$LATEST" },
		{ "f:3", 0, ERR_FUNCTION_NOT_FOUND, NULL },
		{ "f:prod", 0, ERR_FUNCTION_NOT_FOUND, NULL },
		{ "g", 0, ERR_FUNCTION_NOT_FOUND, NULL },
		{ "arn:aws:lambda:r:1:function:g", 0, ERR_FUNCTION_NOT_FOUND, NULL },
		{ "f:0", 0, ERR_INVALID_PARAMETER, NULL },
		{ "f:01", 0, ERR_INVALID_PARAMETER, NULL },
		{ "f:", 0, ERR_INVALID_PARAMETER, NULL },
		{ "f:1:2", 0, ERR_INVALID_PARAMETER, NULL },
		{ "", 0, ERR_INVALID_PARAMETER, NULL },
		{ "bad name", 0, ERR_INVALID_PARAMETER, NULL },
		{ "arn:aws:lambda:r:1:layer:f:1", 0, ERR_INVALID_PARAMETER, NULL },
		{ "arn:aws:s3:::bucket", 0, ERR_INVALID_PARAMETER, NULL },
		{ "arn:aws:lambda:r:1:function:f:1:x", 0, ERR_INVALID_PARAMETER, NULL },
		{ "arn:aws:lambda:r:1:function:", 0, ERR_INVALID_PARAMETER, NULL },
	};
	struct registry_fn_spec s;
	struct fn_config c;
	struct err e = { 0 };

	ck_assert_int_eq(create("f", wpath("a.so"), &e), 1);
	registry_fn_spec_init(&s);
	s.code_path = wpath("b.so");
	ck_assert_int_eq(registry_function_update(reg, "f", &s, NULL, NULL, &e), 2);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc;

		err_clear(&e);
		rc = registry_resolve(reg, cases[i].ref, &c, &e);
		if (cases[i].ok) {
			ck_assert_msg(rc == 0, "%s: %s", cases[i].ref, e.msg);
			ck_assert_str_eq(c.version, cases[i].version);
			ck_assert_str_eq(c.name, "f");
		} else {
			ck_assert_msg(rc < 0 && err_is(&e, cases[i].code), "%s: got %s (%s)",
				      cases[i].ref, e.type, e.msg);
		}
	}
	/* Lambda's message names the ARN. */
	registry_resolve(reg, "nope", &c, &e);
	ck_assert_str_eq(e.msg, "Function not found: arn:aws:lambda:local:000000000000:function:nope");
}
END_TEST

START_TEST(test_validation_stores_nothing)
{
	char big_env[FN_ENV_MAX + 8], desc[REGISTRY_DESC_MAX + 2];
	const char *env_bad1[] = { "NOEQUALS" }, *env_bad2[] = { "1A=x" },
		   *env_bad3[] = { "AWS_REGION=x" }, *env_big[] = { big_env },
		   *six[] = { "a", "b", "c", "d", "e", "f" }, *dup[] = { "l", "l:1" },
		   *unknown[] = { "nosuchlayer" };
	struct fake_check fc = { .fail = 1 };
	struct registry_fn_spec s;
	struct err e = { 0 };
	int n = 0;

	memset(desc, 'd', sizeof desc - 1);
	desc[sizeof desc - 1] = '\0';
	memset(big_env, 'x', sizeof big_env - 1);
	big_env[0] = 'K';
	big_env[1] = '=';
	big_env[sizeof big_env - 1] = '\0';
#define TRY(code, ...)                                                                   \
	do {                                                                             \
		registry_fn_spec_init(&s);                                               \
		s.code_path = wpath("a.so");                                             \
		__VA_ARGS__;                                                             \
		err_clear(&e);                                                           \
		expect_err(registry_function_create(reg, "f", &s, NULL, NULL, &e), &e, code); \
		store_is_empty();                                                        \
		n++;                                                                     \
	} while (0)
	TRY(ERR_INVALID_PARAMETER, s.timeout_s = 0);
	TRY(ERR_INVALID_PARAMETER, s.timeout_s = 901);
	TRY(ERR_INVALID_PARAMETER, s.memory_mb = 127);
	TRY(ERR_INVALID_PARAMETER, s.memory_mb = 10241);
	TRY(ERR_INVALID_PARAMETER, s.tmp_mb = 511);
	TRY(ERR_INVALID_PARAMETER, s.tmp_mb = 10241);
	TRY(ERR_INVALID_PARAMETER, s.reserved_concurrency = 1001);
	TRY(ERR_INVALID_PARAMETER, s.handler = "1abc");
	TRY(ERR_INVALID_PARAMETER, s.handler = "a-b");
	TRY(ERR_INVALID_PARAMETER, s.handler = "");
	TRY(ERR_INVALID_PARAMETER, s.description = desc);
	TRY(ERR_INVALID_PARAMETER, s.set_env = true; s.env = env_bad1; s.n_env = 1);
	TRY(ERR_INVALID_PARAMETER, s.set_env = true; s.env = env_bad2; s.n_env = 1);
	TRY(ERR_INVALID_PARAMETER, s.set_env = true; s.env = env_bad3; s.n_env = 1);
	TRY(ERR_INVALID_PARAMETER, s.set_env = true; s.env = env_big; s.n_env = 1);
	TRY(ERR_INVALID_PARAMETER, s.set_layers = true; s.layers = six; s.n_layers = 6);
	TRY(ERR_INVALID_PARAMETER, s.set_layers = true; s.layers = dup; s.n_layers = 2);
	TRY(ERR_FUNCTION_NOT_FOUND, s.set_layers = true; s.layers = unknown; s.n_layers = 1);
	TRY(ERR_INVALID_PARAMETER, s.code_path = wpath("missing.so"));
	TRY(ERR_INVALID_PARAMETER, s.code_path = work);
	TRY(ERR_INVALID_PARAMETER, s.code_path = NULL);
	ck_assert_int_eq(n, 21);

	/* Name rules. */
	expect_err(create("bad name", wpath("a.so"), &e), &e, ERR_INVALID_PARAMETER);
	expect_err(create("", wpath("a.so"), &e), &e, ERR_INVALID_PARAMETER);
	expect_err(create("x-_-0123456789012345678901234567890123456789012345678901234567890",
			  wpath("a.so"), &e), &e, ERR_INVALID_PARAMETER);
	store_is_empty();

	/* The check refused the code: nothing stored, its error passed on. */
	registry_fn_spec_init(&s);
	s.code_path = wpath("a.so");
	expect_err(registry_function_create(reg, "f", &s, fake_check, &fc, &e), &e,
		   ERR_RUNTIME_HANDLER_NOT_FOUND);
	ck_assert_int_eq(fc.calls, 1);
	store_is_empty();

	/* Update of an unknown function; create of an existing one. */
	registry_fn_spec_init(&s);
	expect_err(registry_function_update(reg, "f", &s, NULL, NULL, &e), &e,
		   ERR_FUNCTION_NOT_FOUND);
	ck_assert_int_eq(create("f", wpath("a.so"), &e), 1);
	expect_err(create("f", wpath("b.so"), &e), &e, ERR_FUNCTION_CONFLICT);
	ck_assert_int_eq(entries(hpath("code")), 1);
	ck_assert_int_eq(entries(hpath("functions/f/versions")), 1);
	/* A failed update leaves version 1 alone and adds no code. */
	registry_fn_spec_init(&s);
	s.code_path = wpath("b.so");
	fc.calls = 0;
	expect_err(registry_function_update(reg, "f", &s, fake_check, &fc, &e), &e,
		   ERR_RUNTIME_HANDLER_NOT_FOUND);
	ck_assert_int_eq(entries(hpath("code")), 1);
	ck_assert_int_eq(entries(hpath("functions/f/versions")), 1);
#undef TRY
}
END_TEST

START_TEST(test_env_cap_and_duplicates)
{
	char fits[FN_ENV_MAX], over[FN_ENV_MAX + 1];
	const char *e1[] = { fits }, *e2[] = { over }, *e3[] = { "A=1", "B=2", "A=3" };
	struct registry_fn_spec s;
	struct fn_config c;
	struct err e = { 0 };

	/* "K=" + value + NUL is exactly FN_ENV_MAX bytes: fits; one more does not. */
	memset(fits, 'v', sizeof fits);
	memcpy(fits, "K=", 2);
	fits[sizeof fits - 1] = '\0';
	memset(over, 'v', sizeof over);
	memcpy(over, "K=", 2);
	over[sizeof over - 1] = '\0';
	registry_fn_spec_init(&s);
	s.code_path = wpath("a.so");
	s.set_env = true;
	s.n_env = 1;
	s.env = e2;
	expect_err(registry_function_create(reg, "f", &s, NULL, NULL, &e), &e,
		   ERR_INVALID_PARAMETER);
	ck_assert_ptr_nonnull(strstr(e.msg, "4096"));
	s.env = e1;
	ck_assert_int_eq(registry_function_create(reg, "f", &s, NULL, NULL, &e), 1);
	ck_assert_int_eq(registry_resolve(reg, "f", &c, &e), 0);
	ck_assert_uint_eq(c.env_len, FN_ENV_MAX);

	/* A repeated key: the last value wins, once. */
	s.env = e3;
	s.n_env = 3;
	s.code_path = NULL;
	ck_assert_int_eq(registry_function_update(reg, "f", &s, NULL, NULL, &e), 2);
	ck_assert_int_eq(registry_resolve(reg, "f", &c, &e), 0);
	ck_assert_uint_eq(c.env_len, 8);
	ck_assert_mem_eq(c.env, "B=2\0A=3\0", 8);
}
END_TEST

/* A layer directory under work/: files given as "path=content" or
 * "path->target" (a symlink). */
static void mklayer(const char *dir, const char *const *items, size_t n)
{
	char p[PATH_MAX];

	snprintf(p, sizeof p, "%s/%s", work, dir);
	ck_assert_int_eq(fs_mkdir_p(p, 0755), 0);
	for (size_t i = 0; i < n; i++) {
		const char *arrow = strstr(items[i], "->"), *eq = strchr(items[i], '=');
		size_t l = arrow ? (size_t)(arrow - items[i]) : (size_t)(eq - items[i]);
		char *slash;

		snprintf(p, sizeof p, "%s/%s/%.*s", work, dir, (int)l, items[i]);
		slash = strrchr(p, '/');
		*slash = '\0';
		ck_assert_int_eq(fs_mkdir_p(p, 0755), 0);
		*slash = '/';
		if (arrow)
			ck_assert_int_eq(symlink(arrow + 2, p), 0);
		else
			put(p, eq + 1);
	}
}

static int publish(const char *name, const char *dir, struct err *e)
{
	return registry_layer_publish(reg, name, wpath(dir), NULL, NULL, e);
}

static void read_opt(const struct fn_config *c, const char *rel, char *out, size_t n)
{
	char p[PATH_MAX * 2], *data = NULL;

	snprintf(p, sizeof p, "%s/%s", c->opt_dir, rel);
	ck_assert_msg(fs_read_file(p, 1024, &data, NULL) == 0, "cannot read %s", p);
	snprintf(out, n, "%s", data);
	free(data);
}

START_TEST(test_layers_merge_in_order)
{
	const char *l1[] = { "lib/common.txt=one", "only1.txt=1", "bin/tool=t1", "share=file" };
	const char *l2[] = { "lib/common.txt=two", "only2.txt=2", "lib/link->common.txt",
			     "share/x=dir now", "bin/tool->../only2.txt" };
	const char *ab[] = { "L1", "L2:1" }, *ba[] = { "L2", "arn:aws:lambda:r:1:layer:L1:1" };
	struct fake_check fc = { 0 };
	struct registry_fn_spec s;
	struct fn_config f, g, h;
	struct err e = { 0 };
	char buf[64], p[PATH_MAX * 2];
	struct stat st, lst;

	mklayer("l1", l1, 4);
	mklayer("l2", l2, 5);
	ck_assert_int_eq(publish("L1", "l1", &e), 1);
	ck_assert_int_eq(publish("L2", "l2", &e), 1);

	registry_fn_spec_init(&s);
	s.code_path = wpath("a.so");
	s.set_layers = true;
	s.layers = ab;
	s.n_layers = 2;
	ck_assert_int_eq(registry_function_create(reg, "f", &s, fake_check, &fc, &e), 1);
	ck_assert(fc.opt_had_file);   /* the check sees /opt as it will be */
	ck_assert_int_eq(registry_resolve(reg, "f", &f, &e), 0);
	ck_assert_str_eq(fc.seen.opt_dir, f.opt_dir);
	read_opt(&f, "lib/common.txt", buf, sizeof buf);
	ck_assert_str_eq(buf, "two");
	read_opt(&f, "lib/link", buf, sizeof buf);
	ck_assert_str_eq(buf, "two");
	read_opt(&f, "only1.txt", buf, sizeof buf);
	ck_assert_str_eq(buf, "1");
	read_opt(&f, "share/x", buf, sizeof buf);     /* a dir replaced a file */
	ck_assert_str_eq(buf, "dir now");
	read_opt(&f, "bin/tool", buf, sizeof buf);    /* a symlink replaced a file */
	ck_assert_str_eq(buf, "2");

	s.layers = ba;
	ck_assert_int_eq(registry_function_create(reg, "g", &s, NULL, NULL, &e), 1);
	ck_assert_int_eq(registry_resolve(reg, "g", &g, &e), 0);
	ck_assert_str_ne(g.opt_dir, f.opt_dir);
	read_opt(&g, "lib/common.txt", buf, sizeof buf);
	ck_assert_str_eq(buf, "one");
	read_opt(&g, "bin/tool", buf, sizeof buf);
	ck_assert_str_eq(buf, "t1");

	/* The same ordered list shares one view; files are read-only links. */
	s.layers = ab;
	ck_assert_int_eq(registry_function_create(reg, "h", &s, NULL, NULL, &e), 1);
	ck_assert_int_eq(registry_resolve(reg, "h", &h, &e), 0);
	ck_assert_str_eq(h.opt_dir, f.opt_dir);
	ck_assert_int_eq(entries(hpath("opt")), 2);
	snprintf(p, sizeof p, "%s/lib/common.txt", f.opt_dir);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0444);
	ck_assert_int_eq(stat(hpath("layers/L2/1/lib/common.txt"), &lst), 0);
	ck_assert(st.st_ino == lst.st_ino);

	/* Update without --layer keeps the layers (and the view). */
	registry_fn_spec_init(&s);
	s.memory_mb = 512;
	ck_assert_int_eq(registry_function_update(reg, "f", &s, NULL, NULL, &e), 2);
	ck_assert_int_eq(registry_resolve(reg, "f", &h, &e), 0);
	ck_assert_str_eq(h.opt_dir, f.opt_dir);
	/* --no-layers: none. */
	s.set_layers = true;
	ck_assert_int_eq(registry_function_update(reg, "f", &s, NULL, NULL, &e), 3);
	ck_assert_int_eq(registry_resolve(reg, "f", &h, &e), 0);
	ck_assert_str_eq(h.opt_dir, "");
}
END_TEST

START_TEST(test_layer_versions_and_delete)
{
	const char *one[] = { "lib/common.txt=one" }, *two[] = { "lib/common.txt=two" };
	const char *want1[] = { "L1:1" }, *latest[] = { "L1" };
	struct registry_fn_spec s;
	struct fn_config f;
	struct err e = { 0 };
	json_t *j = NULL;
	char buf[16];

	mklayer("v1", one, 1);
	mklayer("v2", two, 1);
	ck_assert_int_eq(publish("L1", "v1", &e), 1);
	ck_assert_int_eq(publish("L1", "v2", &e), 2);
	registry_fn_spec_init(&s);
	s.code_path = wpath("a.so");
	s.set_layers = true;
	s.n_layers = 1;
	s.layers = latest;      /* no version: the latest */
	ck_assert_int_eq(registry_function_create(reg, "g", &s, NULL, NULL, &e), 1);
	ck_assert_int_eq(registry_resolve(reg, "g", &f, &e), 0);
	read_opt(&f, "lib/common.txt", buf, sizeof buf);
	ck_assert_str_eq(buf, "two");
	s.layers = want1;
	ck_assert_int_eq(registry_function_create(reg, "f", &s, NULL, NULL, &e), 1);

	/* Deleting a version in use: the function keeps its /opt. */
	ck_assert_int_eq(registry_layer_delete(reg, "L1:1", &e), 0);
	ck_assert_int_eq(registry_resolve(reg, "f", &f, &e), 0);
	read_opt(&f, "lib/common.txt", buf, sizeof buf);
	ck_assert_str_eq(buf, "one");
	expect_err(registry_layer_delete(reg, "L1:1", &e), &e, ERR_FUNCTION_NOT_FOUND);
	expect_err(registry_function_create(reg, "h", &s, NULL, NULL, &e), &e,
		   ERR_FUNCTION_NOT_FOUND);
	/* ...and updates of it that keep the layers still work. */
	registry_fn_spec_init(&s);
	s.timeout_s = 9;
	ck_assert_int_eq(registry_function_update(reg, "f", &s, NULL, NULL, &e), 2);

	ck_assert_int_eq(registry_layer_versions_json(reg, "L1", &j, &e), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "LayerVersions")), 1);
	json_decref(j);

	/* Numbers are never reused, even after deleting every version. */
	ck_assert_int_eq(registry_layer_delete(reg, "L1", &e), 0);
	expect_err(registry_layer_get_json(reg, "L1", &j, &e), &e, ERR_FUNCTION_NOT_FOUND);
	ck_assert_int_eq(registry_layer_list_json(reg, &j, &e), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "Layers")), 0);
	json_decref(j);
	ck_assert_int_eq(publish("L1", "v1", &e), 3);
	ck_assert_int_eq(registry_layer_get_json(reg, "arn:aws:lambda:local:0:layer:L1:3", &j, &e), 0);
	ck_assert_str_eq(json_string_value(json_object_get(j, "LayerVersionArn")),
			 "arn:aws:lambda:local:000000000000:layer:L1:3");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "Content"),
							    "CodeSize")), 3);
	json_decref(j);
	expect_err(registry_layer_delete(reg, "nosuch", &e), &e, ERR_FUNCTION_NOT_FOUND);
	expect_err(registry_layer_delete(reg, "L1:x", &e), &e, ERR_INVALID_PARAMETER);
}
END_TEST

START_TEST(test_layer_refusals)
{
	const char *abs_link[] = { "lib/x->/etc/passwd" }, *up[] = { "x->../outside" },
		   *up2[] = { "a/x->../../outside" }, *mid[] = { "a/x->b/../../y", "a/b/c=1" },
		   *fine[] = { "a/b/x->../../top", "top=1", "a/y->./b/x" };
	struct err e = { 0 };
	char p[PATH_MAX];
	int fd;

	mklayer("abs", abs_link, 1);
	mklayer("up", up, 1);
	mklayer("up2", up2, 1);
	mklayer("mid", mid, 2);
	expect_err(publish("L", "abs", &e), &e, ERR_INVALID_PARAMETER);
	ck_assert_ptr_nonnull(strstr(e.msg, "lib/x"));
	expect_err(publish("L", "up", &e), &e, ERR_INVALID_PARAMETER);
	expect_err(publish("L", "up2", &e), &e, ERR_INVALID_PARAMETER);
	expect_err(publish("L", "mid", &e), &e, ERR_INVALID_PARAMETER);
	expect_err(publish("L", "missing", &e), &e, ERR_INVALID_PARAMETER);
	expect_err(publish("bad name", "up", &e), &e, ERR_INVALID_PARAMETER);

	/* A FIFO. */
	mklayer("fifo", NULL, 0);
	snprintf(p, sizeof p, "%s/fifo/pipe", work);
	ck_assert_int_eq(mkfifo(p, 0644), 0);
	expect_err(publish("L", "fifo", &e), &e, ERR_INVALID_PARAMETER);
	ck_assert_ptr_nonnull(strstr(e.msg, "pipe"));

	/* Over 250 MiB (sparse: refused from the sizes, nothing is read). */
	mklayer("big", NULL, 0);
	snprintf(p, sizeof p, "%s/big/blob", work);
	fd = open(p, O_WRONLY | O_CREAT, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)REGISTRY_LAYER_BYTES_MAX + 1), 0);
	close(fd);
	expect_err(publish("L", "big", &e), &e, ERR_INVALID_PARAMETER);
	ck_assert_ptr_nonnull(strstr(e.msg, "250"));

	/* Over 10,000 entries. */
	mklayer("many", NULL, 0);
	for (unsigned i = 0; i <= REGISTRY_LAYER_FILES_MAX; i++) {
		snprintf(p, sizeof p, "%s/many/f%u", work, i);
		fd = open(p, O_WRONLY | O_CREAT, 0644);
		ck_assert_int_ge(fd, 0);
		close(fd);
	}
	expect_err(publish("L", "many", &e), &e, ERR_INVALID_PARAMETER);
	ck_assert_ptr_nonnull(strstr(e.msg, "10000"));

	ck_assert_int_eq(entries(hpath("layers")), 0);

	/* Symlinks that stay inside are kept as symlinks. */
	mklayer("fine", fine, 3);
	ck_assert_int_eq(publish("L", "fine", &e), 1);
	ck_assert_int_eq(readlink(hpath("layers/L/1/a/b/x"), p, sizeof p), 9);
}
END_TEST

START_TEST(test_delete_and_gc)
{
	struct registry_fn_spec s;
	struct fn_config c;
	struct err e = { 0 };
	json_t *j = NULL, *v;

	ck_assert_int_eq(create("f", wpath("a.so"), &e), 1);
	registry_fn_spec_init(&s);
	s.code_path = wpath("b.so");
	ck_assert_int_eq(registry_function_update(reg, "f", &s, NULL, NULL, &e), 2);
	s.code_path = NULL;
	ck_assert_int_eq(registry_function_update(reg, "f", &s, NULL, NULL, &e), 3);
	ck_assert_int_eq(create("g", wpath("b.so"), &e), 1);
	ck_assert_int_eq(entries(hpath("code")), 2);

	expect_err(registry_function_delete(reg, "f:3", &e), &e, ERR_FUNCTION_CONFLICT);
	expect_err(registry_function_delete(reg, "f:$LATEST", &e), &e, ERR_INVALID_PARAMETER);
	expect_err(registry_function_delete(reg, "f:9", &e), &e, ERR_FUNCTION_NOT_FOUND);
	expect_err(registry_function_delete(reg, "nope", &e), &e, ERR_FUNCTION_NOT_FOUND);
	ck_assert_int_eq(registry_function_delete(reg, "f:2", &e), 0);
	expect_err(registry_resolve(reg, "f:2", &c, &e), &e, ERR_FUNCTION_NOT_FOUND);
	ck_assert_int_eq(registry_resolve(reg, "f:1", &c, &e), 0);

	ck_assert_int_eq(registry_function_versions_json(reg, "f", &j, &e), 0);
	v = json_object_get(j, "Versions");
	ck_assert_uint_eq(json_array_size(v), 3);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(v, 0), "Version")), "$LATEST");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(v, 1), "Version")), "1");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(v, 2), "Version")), "3");
	json_decref(j);

	/* f:1 was the only user of a.so: deleting it collects the code. */
	ck_assert_int_eq(registry_function_delete(reg, "f:1", &e), 0);
	ck_assert_int_eq(entries(hpath("code")), 1);
	ck_assert_int_eq(registry_function_delete(reg, "f", &e), 0);
	expect_err(registry_resolve(reg, "f", &c, &e), &e, ERR_FUNCTION_NOT_FOUND);
	ck_assert_int_eq(entries(hpath("code")), 1);   /* g still uses b.so */
	ck_assert_int_eq(registry_function_delete(reg, "arn:aws:lambda:x:1:function:g", &e), 0);
	store_is_empty();

	/* A deleted name starts again at 1. */
	ck_assert_int_eq(create("f", wpath("a.so"), &e), 1);
}
END_TEST

START_TEST(test_json_shapes)
{
	const char *env[] = { "GREETING=hi" };
	struct registry_fn_spec s;
	struct err e = { 0 };
	json_t *j = NULL, *f;

	registry_fn_spec_init(&s);
	s.code_path = wpath("a.so");
	s.set_env = true;
	s.env = env;
	s.n_env = 1;
	s.description = "says hi";
	ck_assert_int_eq(registry_function_create(reg, "zeta", &s, NULL, NULL, &e), 1);
	ck_assert_int_eq(create("alpha", wpath("b.so"), &e), 1);

	ck_assert_int_eq(registry_function_list_json(reg, &j, &e), 0);
	f = json_object_get(j, "Functions");
	ck_assert_uint_eq(json_array_size(f), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(f, 0), "FunctionName")),
			 "alpha");
	json_decref(j);

	ck_assert_int_eq(registry_function_get_json(reg, "zeta:1", &j, &e), 0);
	ck_assert_str_eq(json_string_value(json_object_get(j, "FunctionArn")),
			 "arn:aws:lambda:local:000000000000:function:zeta:1");
	ck_assert_str_eq(json_string_value(json_object_get(j, "Version")), "1");
	ck_assert_str_eq(json_string_value(json_object_get(j, "Description")), "says hi");
	ck_assert_str_eq(json_string_value(json_object_get(j, "State")), "Active");
	ck_assert_int_eq(json_integer_value(json_object_get(j, "Timeout")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "MemorySize")), 128);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "CodeSize")), 6);
	ck_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(json_object_get(j, "Environment"), "Variables"),
				 "GREETING")), "hi");
	/* sha256("code A"), base64 as Lambda shows it. */
	ck_assert_uint_eq(strlen(json_string_value(json_object_get(j, "CodeSha256"))), 44);
	ck_assert_ptr_null(json_object_get(j, "ReservedConcurrentExecutions"));
	json_decref(j);
	ck_assert_int_eq(registry_function_get_json(reg, "zeta", &j, &e), 0);
	ck_assert_str_eq(json_string_value(json_object_get(j, "FunctionArn")),
			 "arn:aws:lambda:local:000000000000:function:zeta");
	ck_assert_str_eq(json_string_value(json_object_get(j, "Version")), "$LATEST");
	json_decref(j);
}
END_TEST

START_TEST(test_leftovers_are_harmless)
{
	const char *one[] = { "x=1" };
	struct registry_fn_spec s;
	struct fn_config c;
	struct err e = { 0 };
	json_t *j = NULL;

	ck_assert_int_eq(create("f", wpath("a.so"), &e), 1);
	/* What writers killed mid-way leave behind. */
	put(hpath("functions/f/versions/2.json.tmp.99999"), "{\"half");
	put(hpath("functions/f/versions/.tmp.1"), "junk");
	put(hpath("code/.incoming.99999.so"), "partial");
	put(hpath("code/0000.so.tmp.4"), "partial");
	ck_assert_int_eq(fs_mkdir_p(hpath("opt/.tmp.abcd.99999/lib"), 0755), 0);
	ck_assert_int_eq(fs_mkdir_p(hpath("functions/.trash.g.99999/versions"), 0755), 0);
	ck_assert_int_eq(fs_mkdir_p(hpath("functions/empty/versions"), 0755), 0);
	ck_assert_int_eq(fs_mkdir_p(hpath("layers/L/.tmp.99999/lib"), 0755), 0);
	ck_assert_int_eq(fs_mkdir_p(hpath("layers/L/1/stale"), 0755), 0);  /* no record */

	ck_assert_int_eq(registry_resolve(reg, "f", &c, &e), 0);
	ck_assert_str_eq(c.version, "$LATEST");
	ck_assert_int_eq(registry_function_list_json(reg, &j, &e), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "Functions")), 1);
	json_decref(j);
	ck_assert_int_eq(registry_layer_list_json(reg, &j, &e), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "Layers")), 0);
	json_decref(j);
	expect_err(registry_resolve(reg, "empty", &c, &e), &e, ERR_FUNCTION_NOT_FOUND);
	ck_assert_int_eq(create("empty", wpath("b.so"), &e), 1);

	registry_fn_spec_init(&s);
	s.code_path = wpath("b.so");
	ck_assert_int_eq(registry_function_update(reg, "f", &s, NULL, NULL, &e), 2);
	ck_assert_int_eq(registry_resolve(reg, "f:2", &c, &e), 0);
	mklayer("one", one, 1);
	ck_assert_int_eq(publish("L", "one", &e), 1);
	ck_assert(!fs_exists(hpath("layers/L/1/stale")));

	/* Writers sweep leftovers when they delete. */
	ck_assert_int_eq(registry_function_delete(reg, "f:1", &e), 0);
	ck_assert(!fs_exists(hpath("code/.incoming.99999.so")));
	ck_assert(!fs_exists(hpath("opt/.tmp.abcd.99999")));
	ck_assert(!fs_exists(hpath("functions/.trash.g.99999")));
	ck_assert(!fs_exists(hpath("functions/f/versions/2.json.tmp.99999")));
	ck_assert_int_eq(registry_resolve(reg, "f", &c, &e), 0);

	/* A corrupt record is reported, not trusted. */
	put(hpath("functions/f/versions/2.json"), "{\"FunctionName\": \"f\"}");
	expect_err(registry_resolve(reg, "f", &c, &e), &e, ERR_RUNTIME_INTERNAL);
}
END_TEST

/* Children update the same function at once: every update gets its own
 * version, none is lost, every record stays readable. */
START_TEST(test_concurrent_processes)
{
	enum { KIDS = 4, EACH = 8 };
	struct fn_config c;
	struct err e = { 0 };
	pid_t pids[KIDS];
	int status, wins = 0;

	ck_assert_int_eq(create("f", wpath("a.so"), &e), 1);
	for (int k = 0; k < KIDS; k++) {
		pids[k] = fork();
		ck_assert_int_ge(pids[k], 0);
		if (pids[k] == 0) {
			struct registry *r = registry_open(home, &e);
			struct registry_fn_spec s;
			int bad = 0, won;

			registry_fn_spec_init(&s);
			s.code_path = k % 2 ? wpath("a.so") : wpath("b.so");
			for (int i = 0; i < EACH; i++) {
				s.timeout_s = 10 + k;
				bad += registry_function_update(r, "f", &s, NULL, NULL, &e) < 2;
			}
			/* All race to create "g": one wins, the others conflict. */
			s.code_path = wpath("a.so");
			won = registry_function_create(r, "g", &s, NULL, NULL, &e) == 1;
			if (!won && !err_is(&e, ERR_FUNCTION_CONFLICT))
				bad++;
			registry_close(r);
			_exit(bad ? 2 : won ? 0 : 1);
		}
	}
	for (int k = 0; k < KIDS; k++) {
		ck_assert_int_eq(waitpid(pids[k], &status, 0), pids[k]);
		ck_assert(WIFEXITED(status));
		ck_assert_int_le(WEXITSTATUS(status), 1);
		wins += WEXITSTATUS(status) == 0;
	}
	ck_assert_int_eq(wins, 1);
	ck_assert_int_eq(entries(hpath("functions/f/versions")), 1 + KIDS * EACH);
	for (int v = 1; v <= 1 + KIDS * EACH; v++) {
		char ref[32];

		snprintf(ref, sizeof ref, "f:%d", v);
		ck_assert_msg(registry_resolve(reg, ref, &c, &e) == 0, "%s: %s", ref, e.msg);
	}
	ck_assert_int_eq(entries(hpath("functions/g/versions")), 1);
	ck_assert_int_eq(entries(hpath("code")), 2);
}
END_TEST

static volatile int stop;

static void *resolver(void *arg)
{
	struct fn_config *c = malloc(sizeof *c);
	struct err e = { 0 };
	long failures = 0;

	(void)arg;
	while (!stop)
		failures += registry_resolve(reg, "f", c, &e) != 0;
	free(c);
	return (void *)failures;
}

/* Resolves on several threads while another publishes: never a torn read. */
START_TEST(test_concurrent_resolve)
{
	pthread_t t[4];
	struct registry_fn_spec s;
	struct err e = { 0 };
	void *res;

	ck_assert_int_eq(create("f", wpath("a.so"), &e), 1);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, resolver, NULL), 0);
	registry_fn_spec_init(&s);
	for (int i = 0; i < 30; i++) {
		s.code_path = i % 2 ? wpath("a.so") : wpath("b.so");
		ck_assert_int_eq(registry_function_update(reg, "f", &s, NULL, NULL, &e), i + 2);
	}
	stop = 1;
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(t[i], &res), 0);
		ck_assert_int_eq((long)res, 0);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("registry");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_create_resolve);
	tcase_add_test(tc, test_update_keeps_settings);
	tcase_add_test(tc, test_references);
	tcase_add_test(tc, test_validation_stores_nothing);
	tcase_add_test(tc, test_env_cap_and_duplicates);
	tcase_add_test(tc, test_layers_merge_in_order);
	tcase_add_test(tc, test_layer_versions_and_delete);
	tcase_add_test(tc, test_layer_refusals);
	tcase_add_test(tc, test_delete_and_gc);
	tcase_add_test(tc, test_json_shapes);
	tcase_add_test(tc, test_leftovers_are_harmless);
	tcase_add_test(tc, test_concurrent_processes);
	tcase_add_test(tc, test_concurrent_resolve);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
