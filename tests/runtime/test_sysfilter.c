/* The on-disk cache of the seccomp programs (sysfilter_memfds): a miss
 * compiles and writes a private file, a hit gives the very same programs,
 * and a file that is corrupted, foreign (another key), not private, not a
 * regular file or in a directory that is not private is refused: the
 * programs are compiled again and the file rewritten. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox.h"
#include "sysfilter.h"

static char dir[] = "/tmp/tutti-test-sysfilter.XXXXXX";
static char file[sizeof dir + 64];

/* Both memfds' contents, concatenated; *cached as sysfilter_memfds says. */
static size_t get(char *out, size_t cap, bool *cached, const char *where)
{
	int mfd[2];
	char why[256];
	size_t n = 0;

	ck_assert_int_eq(sysfilter_memfds(where, SANDBOX_CHAN_FD, SANDBOX_UID, mfd, cached, why, sizeof why), 0);
	for (int i = 0; i < 2; i++) {
		ssize_t r = pread(mfd[i], out + n, cap - n, 0);

		ck_assert_int_gt(r, 0);
		n += (size_t)r;
		close(mfd[i]);
	}
	return n;
}

static void fresh(void)
{
	unlink(file);
	ck_assert_int_eq(chmod(dir, 0700), 0);
}

static void flip_byte(off_t off)
{
	int fd = open(file, O_RDWR);
	unsigned char c;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, &c, 1, off), 1);
	c ^= 0x5a;
	ck_assert_int_eq(pwrite(fd, &c, 1, off), 1);
	close(fd);
}

static char a[65536], b[65536];

START_TEST(test_miss_then_hit)
{
	bool cached;
	size_t na, nb;
	struct stat st;

	fresh();
	na = get(a, sizeof a, &cached, dir);
	ck_assert(!cached);
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	nb = get(b, sizeof b, &cached, dir);
	ck_assert(cached);
	ck_assert_uint_eq(na, nb);
	ck_assert(!memcmp(a, b, na));
	/* No cache directory: compiled, the same programs. */
	nb = get(b, sizeof b, &cached, NULL);
	ck_assert(!cached);
	ck_assert(!memcmp(a, b, na));
}
END_TEST

START_TEST(test_corrupted_refused)
{
	bool cached;
	size_t na, nb;
	struct stat st;

	fresh();
	na = get(a, sizeof a, &cached, dir);
	ck_assert_int_eq(stat(file, &st), 0);
	/* One flipped byte anywhere (header, either program, the last
	 * instruction) is refused, and the file is rewritten. */
	for (off_t off = 0; off < st.st_size; off += st.st_size / 7 + 1) {
		flip_byte(off);
		nb = get(b, sizeof b, &cached, dir);
		ck_assert_msg(!cached, "a file corrupted at byte %lld was used", (long long)off);
		ck_assert(!memcmp(a, b, na));
		get(b, sizeof b, &cached, dir);
		ck_assert(cached);
	}
	flip_byte(st.st_size - 1);
	get(b, sizeof b, &cached, dir);
	ck_assert(!cached);
	/* Truncated, or grown. */
	ck_assert_int_eq(truncate(file, st.st_size - 8), 0);
	get(b, sizeof b, &cached, dir);
	ck_assert(!cached);
	ck_assert_int_eq(truncate(file, st.st_size + 8), 0);
	get(b, sizeof b, &cached, dir);
	ck_assert(!cached);
	(void)nb;
}
END_TEST

START_TEST(test_foreign_refused)
{
	bool cached;
	char other[sizeof file + 16];
	struct stat st;
	uint64_t key = sysfilter_cache_key(SANDBOX_CHAN_FD, SANDBOX_UID);

	fresh();
	get(a, sizeof a, &cached, dir);
	/* A valid file of another key under this key's name: its header names
	 * the other key. (Its programs are ours here, so only the key refuses
	 * it.) */
	{
		int fd = open(file, O_RDWR);
		uint64_t k = key ^ 1;

		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(pwrite(fd, &k, sizeof k, 8), (ssize_t)sizeof k);
		close(fd);
	}
	get(b, sizeof b, &cached, dir);
	ck_assert(!cached);
	get(b, sizeof b, &cached, dir);
	ck_assert(cached);
	/* Not private: ignored. */
	ck_assert_int_eq(chmod(file, 0644), 0);
	get(b, sizeof b, &cached, dir);
	ck_assert(!cached);
	ck_assert_int_eq(stat(file, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600); /* rewritten */
	/* A symlink to a valid file: refused (O_NOFOLLOW). */
	snprintf(other, sizeof other, "%s.real", file);
	ck_assert_int_eq(rename(file, other), 0);
	ck_assert_int_eq(symlink(other, file), 0);
	get(b, sizeof b, &cached, dir);
	ck_assert(!cached);
	unlink(other);
	/* A directory others may write to: no cache at all. */
	fresh();
	ck_assert_int_eq(chmod(dir, 0777), 0);
	get(b, sizeof b, &cached, dir);
	ck_assert(!cached);
	ck_assert_int_ne(access(file, F_OK), 0);
	ck_assert_int_eq(chmod(dir, 0700), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sysfilter");
	TCase *tc = tcase_create("cache");
	SRunner *sr;
	int failed;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(file, sizeof file, "%s/seccomp-%016llx.bpf",
		 dir, (unsigned long long)sysfilter_cache_key(SANDBOX_CHAN_FD, SANDBOX_UID));
	tcase_add_test(tc, test_miss_then_hit);
	tcase_add_test(tc, test_corrupted_refused);
	tcase_add_test(tc, test_foreign_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	{
		char cmd[sizeof dir + 16];

		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", dir);
	}
	return failed ? 1 : 0;
}
