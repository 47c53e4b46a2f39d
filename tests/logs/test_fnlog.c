/* logs/fnlog.c, fnlog_read.c: the record's lines (Lambda's START, END and
 * REPORT), the output cap, hostile bytes, rotation's bound, appends from
 * several processes at once, reading back and --since. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fnlog.h"
#include "fsutil.h"

#define T0 1714564800000LL /* 2024-05-01T12:00:00.000Z */

static struct fnlog_record rec(const char *out, size_t n)
{
	struct fnlog_record r = { 0 };

	r.function = "fn";
	r.version = "3";
	r.request_id = "11111111-2222-3333-4444-555555555555";
	r.ok = true;
	r.duration_us = 1234;   /* 1.23 ms, billed 2 */
	r.memory_mb = 128;
	r.max_rss_kib = 12 * 1024 + 1;  /* rounded up: 13 MB */
	r.output = out;
	r.output_len = n;
	r.end_ms = T0 + 5;
	return r;
}

static char *home(void)
{
	static char dir[64];

	snprintf(dir, sizeof dir, "/tmp/test_fnlog.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

START_TEST(test_report_line)
{
	struct fnlog_record r = rec(NULL, 0);
	char b[512];

	fnlog_format_report(&r, b, sizeof b);
	ck_assert_str_eq(b, "REPORT RequestId: 11111111-2222-3333-4444-555555555555\tDuration: 1.23 ms\t"
			    "Billed Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 13 MB\t");
	r.cold = true;
	r.init_us = 3450;
	r.duration_us = 0;
	fnlog_format_report(&r, b, sizeof b);
	ck_assert_str_eq(b, "REPORT RequestId: 11111111-2222-3333-4444-555555555555\tDuration: 0.00 ms\t"
			    "Billed Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 13 MB\tInit Duration: 3.45 ms\t");
	/* cut like snprintf, and the full length returned */
	ck_assert_uint_eq(fnlog_format_report(&r, b, 10), strlen("REPORT RequestId: 11111111-2222-3333-4444-555555555555\tDuration: 0.00 ms\t"
								 "Billed Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 13 MB\tInit Duration: 3.45 ms\t"));
	ck_assert_str_eq(b, "REPORT Re");
}
END_TEST

START_TEST(test_record_lines)
{
	const char out[] = "hello\n\x1b]0;pwned\x07\r\n\xff tail";
	struct fnlog_record r = rec(out, sizeof out - 1);
	size_t len;
	char *t;

	r.ok = false;
	r.error_type = "Boom";
	r.error_message = "two\nlines";
	t = fnlog_format(&r, &len);
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t, "2024-05-01T12:00:00.004Z START RequestId: 11111111-2222-3333-4444-555555555555 Version: 3\n"
			    "2024-05-01T12:00:00.005Z hello\n"
			    "2024-05-01T12:00:00.005Z \\x1b]0;pwned\\x07\\x0d\n"
			    "2024-05-01T12:00:00.005Z \\xff tail\n"
			    "2024-05-01T12:00:00.005Z [ERROR] Boom: two lines\n"
			    "2024-05-01T12:00:00.005Z END RequestId: 11111111-2222-3333-4444-555555555555\n"
			    "2024-05-01T12:00:00.005Z REPORT RequestId: 11111111-2222-3333-4444-555555555555\t"
			    "Duration: 1.23 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 13 MB\t\n");
	ck_assert_uint_eq(len, strlen(t));
	free(t);
}
END_TEST

/* Hostile output: NULs, every byte value, one huge line, many empty lines:
 * no raw control byte stored, and the record stays within its cap. */
START_TEST(test_hostile_output_capped)
{
	size_t n = 64 * 1024, len;
	char *out = malloc(n), *t;

	for (size_t i = 0; i < n; i++)
		out[i] = (char)(i * 7);
	{
		struct fnlog_record r = rec(out, n);

		r.output_dropped = 1000;
		t = fnlog_format(&r, &len);
	}
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_le(len, FNLOG_OUTPUT_MAX + 1024);
	ck_assert_uint_eq(strlen(t), len);  /* no NUL inside */
	for (size_t i = 0; i < len; i++)
		ck_assert(t[i] == '\n' || t[i] == '\t' || ((unsigned char)t[i] >= 0x20 && t[i] != 0x7f));
	ck_assert_ptr_nonnull(strstr(t, "[truncated "));
	ck_assert_ptr_nonnull(strstr(t, "Z END RequestId: "));
	free(t);

	memset(out, '\n', n);   /* 64 Ki empty lines */
	{
		struct fnlog_record r = rec(out, n);

		t = fnlog_format(&r, &len);
	}
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_le(len, FNLOG_OUTPUT_MAX + 1024);
	ck_assert_ptr_nonnull(strstr(t, "[truncated "));
	free(t);

	memset(out, 'a', n);    /* one line of 64 KiB: its last bytes */
	out[n - 1] = 'Z';
	{
		struct fnlog_record r = rec(out, n);

		t = fnlog_format(&r, &len);
	}
	ck_assert_uint_le(len, FNLOG_OUTPUT_MAX + 1024);
	ck_assert_ptr_nonnull(strstr(t, "aaaaZ\n"));
	free(t);
	free(out);
}
END_TEST

static int count_line(void *arg, int64_t ts, const char *text, size_t len)
{
	size_t *n = arg;

	(void)ts;
	if (len >= 7 && !memcmp(text, "REPORT ", 7))
		n[0]++;
	n[1]++;
	return 0;
}

static size_t dir_bytes(const char *dir, int *files)
{
	char p[256];
	struct stat st;
	size_t total = 0;

	*files = 0;
	for (int i = 0; i < FNLOG_FILES + 2; i++) {
		if (i)
			snprintf(p, sizeof p, "%s/log.%d", dir, i);
		else
			snprintf(p, sizeof p, "%s/log", dir);
		if (!stat(p, &st)) {
			total += (size_t)st.st_size;
			(*files)++;
		}
	}
	return total;
}

START_TEST(test_rotation_bound)
{
	char *h = home(), dir[128], *out = malloc(60000);
	struct fnlog_reader *rd;
	size_t counts[2] = { 0, 0 }, total;
	int files;

	memset(out, 'x', 60000);
	for (int i = 0; i < 200; i++) {
		struct fnlog_record r = rec(out, 60000);

		ck_assert_int_eq(fnlog_append(h, &r), 0);
	}
	snprintf(dir, sizeof dir, "%s/logs/functions/fn", h);
	total = dir_bytes(dir, &files);
	ck_assert_int_eq(files, FNLOG_FILES);
	ck_assert_uint_le(total, (size_t)FNLOG_FILES * FNLOG_FILE_MAX);
	ck_assert_int_eq(fnlog_reader_open(h, "fn", 0, &rd), 0);
	ck_assert_int_eq(fnlog_reader_read(rd, count_line, counts), 0);
	fnlog_reader_close(rd);
	/* each file holds whole records: ~16 of 61 KiB in 1 MiB */
	ck_assert_uint_gt(counts[0], (FNLOG_FILES - 1) * 15);
	ck_assert_uint_lt(counts[0], 200);
	ck_assert_int_eq(fnlog_reader_open(h, "nope", 0, &rd), -ENOENT);
	ck_assert_int_eq(fnlog_reader_open(h, "../x", 0, &rd), -EINVAL);
	free(out);
	fs_rm_rf(h);
}
END_TEST

/* 4 processes append 50 records each at once: 200 whole records, none
 * torn (every START has its END and REPORT next to its own lines). */
static int check_order(void *arg, int64_t ts, const char *text, size_t len)
{
	int *st = arg;   /* st[0]: expected next kind (0 START, 1 body, 2 END, 3 REPORT), st[1]: records, st[2]: bad */

	(void)ts;
	if (len >= 6 && !memcmp(text, "START ", 6)) {
		st[2] += st[0] != 0;
		st[0] = 1;
	} else if (len >= 4 && !memcmp(text, "END ", 4)) {
		st[2] += st[0] != 1;
		st[0] = 3;
	} else if (len >= 7 && !memcmp(text, "REPORT ", 7)) {
		st[2] += st[0] != 3;
		st[0] = 0;
		st[1]++;
	} else {
		st[2] += st[0] != 1 || len != 2000;
	}
	return 0;
}

START_TEST(test_concurrent_appends)
{
	char *h = home(), *out = malloc(4 * 2001);
	struct fnlog_reader *rd;
	int st[3] = { 0, 0, 0 };
	pid_t kids[4];

	for (int k = 0; k < 4; k++) {
		memset(out + k * 2001, 'a' + k, 2000);
		out[k * 2001 + 2000] = '\n';
	}
	for (int k = 0; k < 4; k++) {
		kids[k] = fork();
		ck_assert_int_ge(kids[k], 0);
		if (kids[k] == 0) {
			for (int i = 0; i < 50; i++) {
				struct fnlog_record r = rec(out, 4 * 2001);

				if (fnlog_append(h, &r))
					_exit(1);
			}
			_exit(0);
		}
	}
	for (int k = 0; k < 4; k++) {
		int status;

		ck_assert_int_eq(waitpid(kids[k], &status, 0), kids[k]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ck_assert_int_eq(fnlog_reader_open(h, "fn", 0, &rd), 0);
	ck_assert_int_eq(fnlog_reader_read(rd, check_order, st), 0);
	fnlog_reader_close(rd);
	ck_assert_int_eq(st[2], 0);
	ck_assert_int_eq(st[1], 200);   /* 200 x ~8 KiB: no rotation lost any */
	free(out);
	fs_rm_rf(h);
}
END_TEST

START_TEST(test_since_and_follow)
{
	char *h = home();
	struct fnlog_reader *rd;
	size_t counts[2] = { 0, 0 };
	int64_t t;

	ck_assert_int_eq(fnlog_parse_since("10m", T0, &t), 0);
	ck_assert_int_eq(t, T0 - 600000);
	ck_assert_int_eq(fnlog_parse_since("2d", T0, &t), 0);
	ck_assert_int_eq(t, T0 - 2 * 86400000LL);
	ck_assert_int_eq(fnlog_parse_since("30s", T0, &t), 0);
	ck_assert_int_eq(t, T0 - 30000);
	ck_assert_int_eq(fnlog_parse_since("2024-05-01T12:00:00Z", 0, &t), 0);
	ck_assert_int_eq(t, T0);
	ck_assert_int_eq(fnlog_parse_since("2024-05-01T12:00:00.250", 0, &t), 0);
	ck_assert_int_eq(t, T0 + 250);
	ck_assert_int_eq(fnlog_parse_since("2024-05-01", 0, &t), 0);
	ck_assert_int_eq(t, T0 - 12 * 3600000LL);
	ck_assert_int_eq(fnlog_parse_since("10", 0, &t), -EINVAL);
	ck_assert_int_eq(fnlog_parse_since("m", 0, &t), -EINVAL);
	ck_assert_int_eq(fnlog_parse_since("-5m", 0, &t), -EINVAL);
	ck_assert_int_eq(fnlog_parse_since("2024-13-01", 0, &t), -EINVAL);
	ck_assert_int_eq(fnlog_parse_since("2024-05-01T12:00:00Zjunk", 0, &t), -EINVAL);

	for (int i = 0; i < 3; i++) {
		struct fnlog_record r = rec("x\n", 2);

		r.end_ms = T0 + i * 60000;   /* 12:00, 12:01, 12:02 */
		ck_assert_int_eq(fnlog_append(h, &r), 0);
	}
	ck_assert_int_eq(fnlog_reader_open(h, "fn", T0 + 60000 - 10, &rd), 0);
	ck_assert_int_eq(fnlog_reader_read(rd, count_line, counts), 0);
	ck_assert_uint_eq(counts[0], 2);
	/* following: a new record, and one after a rotation */
	{
		struct fnlog_record r = rec("y\n", 2);

		r.end_ms = T0 + 180000;
		ck_assert_int_eq(fnlog_append(h, &r), 0);
	}
	ck_assert_int_eq(fnlog_reader_read(rd, count_line, counts), 0);
	ck_assert_uint_eq(counts[0], 3);
	ck_assert_int_eq(fnlog_reader_read(rd, count_line, counts), 0);
	ck_assert_uint_eq(counts[0], 3);
	{
		char *big = malloc(60000);

		memset(big, 'z', 60000);
		for (int i = 0; i < 20; i++) {   /* > FNLOG_FILE_MAX: rotates */
			struct fnlog_record r = rec(big, 60000);

			r.end_ms = T0 + 240000;
			ck_assert_int_eq(fnlog_append(h, &r), 0);
		}
		free(big);
	}
	ck_assert_int_eq(fnlog_reader_read(rd, count_line, counts), 0);
	ck_assert_uint_eq(counts[0], 23);
	fnlog_reader_close(rd);
	fs_rm_rf(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fnlog");
	TCase *tc = tcase_create("fnlog");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_report_line);
	tcase_add_test(tc, test_record_lines);
	tcase_add_test(tc, test_hostile_output_capped);
	tcase_add_test(tc, test_rotation_bound);
	tcase_add_test(tc, test_concurrent_appends);
	tcase_add_test(tc, test_since_and_follow);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
