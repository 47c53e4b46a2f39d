/* util/termsafe.c: what a function's log may put on an operator's
 * terminal; util/fsutil.c's bounded copy and private directory. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "termsafe.h"

static const char *esc(const char *in, size_t n)
{
	static char out[1024];
	size_t w = termsafe_escape(in, n, out, sizeof out - 1);

	ck_assert_uint_lt(w, sizeof out);
	out[w] = '\0';
	return out;
}

#define ESC(lit) esc(lit, sizeof lit - 1)

START_TEST(test_controls_escaped)
{
	ck_assert_str_eq(ESC("plain text\n\ttab"), "plain text\n\ttab");
	ck_assert_str_eq(ESC("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
	ck_assert_str_eq(ESC("\x1b[2J\x1b[1;1H"), "\\x1b[2J\\x1b[1;1H");
	ck_assert_str_eq(ESC("over\rwrite"), "over\\x0dwrite");
	ck_assert_str_eq(ESC("nul\0del\x7f"), "nul\\x00del\\x7f");
	ck_assert_str_eq(ESC("bs\b\x0c"), "bs\\x08\\x0c");
}
END_TEST

START_TEST(test_utf8_kept_c1_and_junk_escaped)
{
	/* é, €, 😀 unchanged */
	ck_assert_str_eq(ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* U+009B (CSI) in UTF-8, a lone 0x9b, an overlong ESC, a cut sequence */
	ck_assert_str_eq(ESC("\xc2\x9b" "31m"), "\\xc2\\x9b31m");
	ck_assert_str_eq(ESC("\x9b" "31m"), "\\x9b31m");
	ck_assert_str_eq(ESC("\xc0\x9b"), "\\xc0\\x9b");
	ck_assert_str_eq(ESC("\xe2\x82"), "\\xe2\\x82");
	ck_assert_str_eq(ESC("\xed\xa0\x80"), "\\xed\\xa0\\x80"); /* a surrogate */
}
END_TEST

/* Error texts from functions become UTF-8 (jansson builds no string of
 * anything else): junk, cut sequences and C1 controls turn into '?'. */
START_TEST(test_fix_utf8)
{
	char a[] = "caf\xc3\xa9 \xe2\x82\xac ok", b[] = "T\xff \xc3 \xc2\x9b \xed\xa0\x80 \xf0\x9f\x98";

	termsafe_fix_utf8(a);
	ck_assert_str_eq(a, "caf\xc3\xa9 \xe2\x82\xac ok");
	termsafe_fix_utf8(b);
	ck_assert_str_eq(b, "T? ? ?? ??? ???");
}
END_TEST

START_TEST(test_cap)
{
	char out[8];

	/* "ab" + \x1b (4) fits in 6; the next escape does not: cut before it */
	ck_assert_uint_eq(termsafe_escape("ab\x1b\x1b", 4, out, 7), 10);
	ck_assert_int_eq(memcmp(out, "ab\\x1b", 6), 0);
}
END_TEST

START_TEST(test_write_not_a_tty_is_raw)
{
	char path[] = "/tmp/tutti-termsafe.XXXXXX", back[64];
	int fd = mkstemp(path);
	FILE *f;
	size_t n;

	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w+");
	termsafe_write(f, "a\x1b[2Jb", 6);
	rewind(f);
	n = fread(back, 1, sizeof back, f);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(memcmp(back, "a\x1b[2Jb", 6), 0);
	fclose(f);
	unlink(path);
}
END_TEST

/* fs_copy_fd_atomic: the cap holds while copying, whatever st_size says. */
START_TEST(test_copy_fd_cap)
{
	char dir[] = "/tmp/tutti-copy.XXXXXX", dst[128], sha[65];
	unsigned long long size = 0;
	struct stat st;
	int fd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(dst, sizeof dst, "%s/out", dir);
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd >= 0) {
		ck_assert_int_eq(fs_copy_fd_atomic(fd, dst, 0600, 1 << 20, sha, &size), -EFBIG);
		ck_assert_int_ne(stat(dst, &st), 0); /* nothing left behind */
		close(fd);
	}
	fd = open("/dev/zero", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fs_copy_fd_atomic(fd, dst, 0600, 65536 * 3 + 5, sha, &size), -EFBIG);
	close(fd);
	fd = open("/etc/hostname", O_RDONLY);
	if (fd >= 0) {
		ck_assert_int_eq(fs_copy_fd_atomic(fd, dst, 0600, 1 << 20, sha, &size), 0);
		ck_assert_int_eq(stat(dst, &st), 0);
		ck_assert_uint_eq((unsigned long long)st.st_size, size);
		ck_assert_uint_eq(st.st_mode & 07777, 0600);
		ck_assert_uint_eq(strlen(sha), 64);
		close(fd);
	}
	unlink(dst);
	rmdir(dir);
}
END_TEST

START_TEST(test_private_dir)
{
	char dir[] = "/tmp/tutti-priv.XXXXXX", p[128], why[512];
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p, sizeof p, "%s/new/home", dir);
	ck_assert_int_eq(fs_private_dir(p, why, sizeof why), 0);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0700);
	chmod(p, 0755); /* an older version's home: tightened */
	ck_assert_int_eq(fs_private_dir(p, why, sizeof why), 0);
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0700);
	chmod(p, 0770); /* group-writable: refused, untouched */
	ck_assert_int_eq(fs_private_dir(p, why, sizeof why), -EPERM);
	ck_assert_msg(strstr(why, "writable by its group or others (mode 0770)"), "%s", why);
	chmod(p, 0700);
	snprintf(p, sizeof p, "%s/new", dir);
	chmod(p, 0777); /* an ancestor anyone may write: refused */
	snprintf(p, sizeof p, "%s/new/home", dir);
	ck_assert_int_eq(fs_private_dir(p, why, sizeof why), -EPERM);
	ck_assert_msg(strstr(why, "writable by anyone"), "%s", why);
	rmdir(p);
	snprintf(p, sizeof p, "%s/new", dir);
	rmdir(p);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("termsafe");
	TCase *tc = tcase_create("termsafe");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_controls_escaped);
	tcase_add_test(tc, test_utf8_kept_c1_and_junk_escaped);
	tcase_add_test(tc, test_fix_utf8);
	tcase_add_test(tc, test_cap);
	tcase_add_test(tc, test_write_not_a_tty_is_raw);
	tcase_add_test(tc, test_copy_fd_cap);
	tcase_add_test(tc, test_private_dir);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
