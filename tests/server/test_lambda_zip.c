/* Unit tests of lambda_zip_extract (server/svc_lambda.h): zips are made
 * with libzip into memory, then extracted into a fresh directory; hostile
 * ones (zip-slip, absolute paths, symlinks out, paths through a symlink,
 * bombs, too many entries, damaged and non-zip bytes) must be refused with
 * InvalidParameterValueException and write nothing outside. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "fsutil.h"
#include "svc_lambda.h"

struct ent {
	const char *name;
	const char *data;   /* NULL: a directory */
	size_t len;         /* 0: strlen(data) */
	unsigned mode;      /* unix mode with type; 0: 0100644 */
};

static char top[64], dir[128];

static void setup(void)
{
	snprintf(top, sizeof top, "/tmp/tutti-test-zip.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(top));
	snprintf(dir, sizeof dir, "%s/x", top);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
}

static void teardown(void)
{
	fs_rm_rf(top);
}

/* A zip of ents, in memory (malloc'd, *len bytes). */
static void *mkzip(const struct ent *ents, size_t n, size_t *len)
{
	char path[160];
	zip_t *z;
	int err = 0;
	char *buf;

	snprintf(path, sizeof path, "%s/made.zip", top);
	z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	ck_assert_ptr_nonnull(z);
	for (size_t i = 0; i < n; i++) {
		zip_int64_t idx;

		if (!ents[i].data) {
			idx = zip_dir_add(z, ents[i].name, 0);
		} else {
			zip_source_t *s = zip_source_buffer(z, ents[i].data,
							    ents[i].len ? ents[i].len : strlen(ents[i].data), 0);

			ck_assert_ptr_nonnull(s);
			idx = zip_file_add(z, ents[i].name, s, ZIP_FL_ENC_UTF_8);
		}
		ck_assert_int_ge(idx, 0);
		ck_assert_int_eq(zip_file_set_external_attributes(z, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
								  (zip_uint32_t)(ents[i].mode ? ents[i].mode :
									  ents[i].data ? 0100644 : 040755) << 16),
				 0);
	}
	ck_assert_int_eq(zip_close(z), 0);
	ck_assert_int_eq(fs_read_file(path, 64u << 20, &buf, len), 0);
	unlink(path);
	return buf;
}

static int extract(const void *zip, size_t len, uint64_t cap, struct err *e)
{
	memset(e, 0, sizeof *e);
	return lambda_zip_extract(zip, len, dir, cap, NULL, e);
}

static void refused(const struct ent *ents, size_t n, uint64_t cap, const char *msg)
{
	struct err e;
	size_t len;
	void *z = mkzip(ents, n, &len);

	ck_assert_int_eq(extract(z, len, cap, &e), -1);
	ck_assert_str_eq(e.type, "InvalidParameterValueException");
	ck_assert_msg(strstr(e.msg, msg), "message '%s' lacks '%s'", e.msg, msg);
	free(z);
}

static bool exists(const char *rel)
{
	char p[256];
	struct stat st;

	snprintf(p, sizeof p, "%s/%s", top, rel);
	return lstat(p, &st) == 0;
}

START_TEST(a_tree_is_extracted)
{
	const struct ent ents[] = {
		{ "f.so", "ELF?", 0, 0100755 },
		{ "lib/", NULL, 0, 0 },
		{ "lib/libx.so.1", "data", 0, 0 },
		{ "lib/cur", "libx.so.1", 0, 0120777 },
		{ "share/deep/file.txt", "hello", 0, 0 },
		{ "./dot.txt", "dot", 0, 0 },
		{ "notype", "n", 0, 0600 },   /* Python's zipfile.writestr: permissions, no type */
	};
	struct lambda_zip_stats st;
	struct err e = { 0 };
	char p[256], *buf, lnk[64];
	size_t len, n;
	struct stat sb;
	void *z = mkzip(ents, sizeof ents / sizeof *ents, &len);
	ssize_t l;

	ck_assert_int_eq(lambda_zip_extract(z, len, dir, 1 << 20, &st, &e), 0);
	ck_assert_uint_eq(st.entries, 7);
	ck_assert_uint_eq(st.bytes, 4 + 4 + 9 + 5 + 3 + 1);
	ck_assert(exists("x/notype"));
	snprintf(p, sizeof p, "%s/f.so", dir);
	ck_assert_int_eq(stat(p, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 0777, 0755);
	snprintf(p, sizeof p, "%s/lib/libx.so.1", dir);
	ck_assert_int_eq(stat(p, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 0777, 0644);
	snprintf(p, sizeof p, "%s/share/deep/file.txt", dir);
	ck_assert_int_eq(fs_read_file(p, 100, &buf, &n), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert(!memcmp(buf, "hello", 5));
	free(buf);
	snprintf(p, sizeof p, "%s/lib/cur", dir);
	l = readlink(p, lnk, sizeof lnk - 1);
	ck_assert_int_eq(l, 9);
	lnk[l] = '\0';
	ck_assert_str_eq(lnk, "libx.so.1");
	ck_assert(exists("x/dot.txt"));
	free(z);
}
END_TEST

START_TEST(zip_slip_is_refused)
{
	const struct ent a[] = { { "../evil", "x", 0, 0 } };
	const struct ent b[] = { { "ok/../../evil", "x", 0, 0 } };
	const struct ent c[] = { { "/tmp/evil-abs", "x", 0, 0 } };
	const struct ent d[] = { { "..\\evil", "x", 0, 0 } };

	refused(a, 1, 1 << 20, "leaves the archive");
	refused(b, 1, 1 << 20, "leaves the archive");
	refused(c, 1, 1 << 20, "absolute path");
	refused(d, 1, 1 << 20, "backslash");
	ck_assert(!exists("evil"));
	ck_assert(!exists("x/ok"));
}
END_TEST

START_TEST(symlinks_out_are_refused)
{
	const struct ent a[] = { { "out", "../../etc", 0, 0120777 } };
	const struct ent b[] = { { "out", "/etc", 0, 0120777 } };
	const struct ent c[] = { { "a/b/out", "../../..", 0, 0120777 } };
	/* Inside, but a later entry through it: never followed. */
	const struct ent d[] = { { "here", ".", 0, 0120777 }, { "here/x", "data", 0, 0 } };
	/* A symlink out first, then a file through it (the classic). */
	const struct ent e2[] = { { "up", "..", 0, 0120777 }, { "up/evil", "x", 0, 0 } };

	refused(a, 1, 1 << 20, "points out");
	refused(b, 1, 1 << 20, "points out");
	refused(c, 1, 1 << 20, "points out");
	fs_rm_rf(dir);
	mkdir(dir, 0700);
	refused(d, 2, 1 << 20, "not a directory");
	ck_assert(!exists("x/x"));
	fs_rm_rf(dir);
	mkdir(dir, 0700);
	refused(e2, 2, 1 << 20, "points out");
	ck_assert(!exists("evil"));
}
END_TEST

START_TEST(special_files_are_refused)
{
	const struct ent a[] = { { "fifo", "", 0, 0010644 } };
	const struct ent b[] = { { "dev", "", 0, 0020644 } };

	refused(a, 1, 1 << 20, "device, fifo");
	refused(b, 1, 1 << 20, "device, fifo");
}
END_TEST

START_TEST(a_bomb_stops_at_the_cap)
{
	size_t big = 4u << 20;
	char *zeros = calloc(1, big);
	const struct ent a[] = { { "zeros", zeros, big, 0 } };
	char p[256];
	struct stat st;
	struct err e;
	size_t len;
	void *z;

	ck_assert_ptr_nonnull(zeros);
	z = mkzip(a, 1, &len);
	ck_assert_uint_lt(len, 64 * 1024);   /* small zipped */
	ck_assert_int_eq(extract(z, len, 1 << 20, &e), -1);
	ck_assert_str_eq(e.type, "InvalidParameterValueException");
	ck_assert_ptr_nonnull(strstr(e.msg, "Unzipped size must be smaller than 1048576"));
	/* What was written before the refusal stayed within the cap. */
	snprintf(p, sizeof p, "%s/zeros", dir);
	if (stat(p, &st) == 0)
		ck_assert_int_le(st.st_size, 1 << 20);
	/* The same zip with room enough is fine: the cap is what counts. */
	fs_rm_rf(dir);
	mkdir(dir, 0700);
	ck_assert_int_eq(extract(z, len, 8u << 20, &e), 0);
	free(z);
	free(zeros);
}
END_TEST

START_TEST(too_many_entries)
{
	size_t n = LAMBDA_ZIP_ENTRIES_MAX + 1, len;
	struct ent *ents = calloc(n, sizeof *ents);
	char (*names)[16] = calloc(n, 16);
	struct err e;
	void *z;

	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], 16, "f%zu", i);
		ents[i].name = names[i];
		ents[i].data = "";
	}
	z = mkzip(ents, n, &len);
	ck_assert_int_eq(extract(z, len, 1 << 20, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "entries"));
	ck_assert(!exists("x/f0"));
	free(z);
	free(ents);
	free(names);
}
END_TEST

START_TEST(not_a_zip_and_damaged_zips)
{
	const struct ent a[] = { { "file", "some data that deflates: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, 0 } };
	static const char text[] = "this is plain text and not a zip archive, long enough to look at";
	struct err e;
	size_t len;
	unsigned char *z;

	ck_assert_int_eq(extract(text, sizeof text, 1 << 20, &e), -1);
	ck_assert_str_eq(e.type, "InvalidParameterValueException");
	ck_assert_ptr_nonnull(strstr(e.msg, "not a zip"));
	ck_assert_int_eq(extract("", 0, 1 << 20, &e), -1);
	ck_assert_int_eq(extract("PK\3\4", 4, 1 << 20, &e), -1);
	z = mkzip(a, 1, &len);
	/* Cut: the central directory is gone. */
	ck_assert_int_eq(extract(z, len - 30, 1 << 20, &e), -1);
	ck_assert_str_eq(e.type, "InvalidParameterValueException");
	/* A byte of the compressed data changed: the CRC (or inflate) says so. */
	z[30 + 4 + 3] ^= 0x55;
	fs_rm_rf(dir);
	mkdir(dir, 0700);
	ck_assert_int_eq(extract(z, len, 1 << 20, &e), -1);
	ck_assert_str_eq(e.type, "InvalidParameterValueException");
	free(z);
}
END_TEST

START_TEST(duplicate_entries_are_refused)
{
	const struct ent a[] = { { "lib/", NULL, 0, 0 }, { "lib", "file over a dir", 0, 0 } };

	refused(a, 2, 1 << 20, "lib");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("lambda_zip");
	TCase *tc = tcase_create("extract");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_tree_is_extracted);
	tcase_add_test(tc, zip_slip_is_refused);
	tcase_add_test(tc, symlinks_out_are_refused);
	tcase_add_test(tc, special_files_are_refused);
	tcase_add_test(tc, a_bomb_stops_at_the_cap);
	tcase_add_test(tc, too_many_entries);
	tcase_add_test(tc, not_a_zip_and_damaged_zips);
	tcase_add_test(tc, duplicate_entries_are_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
