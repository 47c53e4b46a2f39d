/* fnlog — records: their text, and appending them with rotation (fnlog.h).
 * Reading and --since: fnlog_read.c. */
#include "fnlog.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "termsafe.h"

void fnlog_record_from_result(struct fnlog_record *r, const struct fn_config *cfg,
			      const struct rt_result *res)
{
	struct timespec ts;

	memset(r, 0, sizeof *r);
	clock_gettime(CLOCK_REALTIME, &ts);
	r->function = cfg->name;
	r->version = cfg->version[0] ? cfg->version : "$LATEST";
	r->request_id = res->request_id;
	r->ok = res->ok;
	r->error_type = res->ok ? NULL : res->err.type;
	r->error_message = res->ok ? NULL : res->err.msg;
	r->cold = res->cold;
	r->duration_us = res->duration_us;
	r->init_us = res->init_us;
	r->memory_mb = cfg->memory_mb;
	r->max_rss_kib = res->max_rss_kib;
	r->output = res->log;
	r->output_len = res->log ? res->log_len : 0;
	r->output_dropped = res->log_dropped;
	r->end_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void fnlog_format_time(int64_t ms, char *out)
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;

	if (ms < 0 || !gmtime_r(&s, &tm)) {
		snprintf(out, FNLOG_TIME_LEN + 1, "1970-01-01T00:00:00.000Z");
		return;
	}
	snprintf(out, FNLOG_TIME_LEN + 1, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms % 1000));
}

size_t fnlog_format_report(const struct fnlog_record *r, char *out, size_t cap)
{
	uint64_t billed_ms = (r->duration_us + 999) / 1000, mem_mb = (r->max_rss_kib + 1023) / 1024;
	int n;

	if (!billed_ms)
		billed_ms = 1;
	n = snprintf(out, cap,
		     "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %llu ms\tMemory Size: %u MB\t"
		     "Max Memory Used: %llu MB\t",
		     r->request_id, (double)r->duration_us / 1000.0, (unsigned long long)billed_ms,
		     r->memory_mb, (unsigned long long)mem_mb);
	if (n < 0)
		return 0;
	if (r->cold) {
		size_t at = (size_t)n < cap ? (size_t)n : (cap ? cap - 1 : 0);
		int m = snprintf(out ? out + at : NULL, cap > at ? cap - at : 0, "Init Duration: %.2f ms\t",
				 (double)r->init_us / 1000.0);

		if (m > 0)
			n += m;
	}
	return (size_t)n;
}

/* One line: time, a space, text, newline. */
static int put_line(struct buf *b, const char *ts, const char *text, size_t n)
{
	if (buf_append(b, ts, FNLOG_TIME_LEN) || buf_append(b, " ", 1) || buf_append(b, text, n) ||
	    buf_append(b, "\n", 1))
		return -1;
	return 0;
}

static int put_escaped(struct buf *b, const char *ts, const char *p, size_t n)
{
	size_t need = termsafe_escape(p, n, NULL, 0);
	char *e = malloc(need + 1);
	int rc;

	if (!e)
		return -1;
	termsafe_escape(p, n, e, need);
	rc = put_line(b, ts, e, need);
	free(e);
	return rc;
}

/* The output's last lines that fit FNLOG_OUTPUT_MAX once stored (time and
 * escapes counted): where they start, and how many bytes before are not. */
static size_t output_keep_from(const char *p, size_t n)
{
	size_t used = 0, end = n, start;

	if (n && p[n - 1] == '\n')
		end = n - 1;
	for (;;) {
		const char *nl = end ? memrchr(p, '\n', end) : NULL;
		size_t line = nl ? (size_t)(nl - p) + 1 : 0;
		size_t cost = FNLOG_TIME_LEN + 2 + termsafe_escape(p + line, end - line, NULL, 0);

		if (used + cost > FNLOG_OUTPUT_MAX) {
			if (used)
				return end + 1;
			/* One line too long by itself: its last bytes (each byte
			 * takes at most 4 once escaped). */
			start = end - (FNLOG_OUTPUT_MAX - FNLOG_TIME_LEN - 2) / 4;
			return start;
		}
		used += cost;
		if (!nl)
			return 0;
		end = line - 1;
	}
}

char *fnlog_format(const struct fnlog_record *r, size_t *len)
{
	char ts_start[FNLOG_TIME_LEN + 1], ts_end[FNLOG_TIME_LEN + 1], line[1024];
	int64_t start_ms = r->end_ms - (int64_t)(r->duration_us / 1000);
	struct buf b;
	size_t n;

	buf_init(&b, FNLOG_OUTPUT_MAX + 64 * 1024);
	fnlog_format_time(start_ms, ts_start);
	fnlog_format_time(r->end_ms, ts_end);
	n = (size_t)snprintf(line, sizeof line, "START RequestId: %s Version: %s", r->request_id,
			     r->version ? r->version : "$LATEST");
	if (put_escaped(&b, ts_start, line, n < sizeof line ? n : sizeof line - 1))
		goto fail;
	if (r->output && r->output_len) {
		const char *p = r->output;
		size_t from = output_keep_from(p, r->output_len), end = r->output_len;
		uint64_t dropped = r->output_dropped + from;

		if (dropped) {
			n = (size_t)snprintf(line, sizeof line, "[truncated %llu bytes]", (unsigned long long)dropped);
			if (put_line(&b, ts_end, line, n))
				goto fail;
		}
		if (end > from && p[end - 1] == '\n')
			end--;
		while (from <= end) {
			const char *nl = memchr(p + from, '\n', end - from);
			size_t stop = nl ? (size_t)(nl - p) : end;

			if (put_escaped(&b, ts_end, p + from, stop - from))
				goto fail;
			if (!nl)
				break;
			from = stop + 1;
		}
	}
	if (!r->ok) {
		char *nl;

		n = (size_t)snprintf(line, sizeof line, "[ERROR] %s: %s", r->error_type ? r->error_type : "Error",
				     r->error_message ? r->error_message : "");
		if (n >= sizeof line)
			n = sizeof line - 1;
		while ((nl = memchr(line, '\n', n)))
			*nl = ' ';
		if (put_escaped(&b, ts_end, line, n))
			goto fail;
	}
	n = (size_t)snprintf(line, sizeof line, "END RequestId: %s", r->request_id);
	if (put_escaped(&b, ts_end, line, n < sizeof line ? n : sizeof line - 1))
		goto fail;
	n = fnlog_format_report(r, line, sizeof line);
	if (put_escaped(&b, ts_end, line, n < sizeof line ? n : sizeof line - 1))
		goto fail;
	*len = b.len;
	return buf_take(&b);
fail:
	buf_free(&b);
	return NULL;
}

static void file_path(char *out, size_t n, const char *dir, int i)
{
	if (i == 0)
		snprintf(out, n, "%s/log", dir);
	else
		snprintf(out, n, "%s/log.%d", dir, i);
}

/* log.2 -> log.3, log.1 -> log.2, log -> log.1 (the oldest goes). */
static int rotate(const char *dir)
{
	char from[PATH_MAX], to[PATH_MAX];

	for (int i = FNLOG_FILES - 1; i > 0; i--) {
		file_path(from, sizeof from, dir, i - 1);
		file_path(to, sizeof to, dir, i);
		if (rename(from, to) && errno != ENOENT)
			return -errno;
	}
	return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int dir_of(const char *home, const char *name, char *out, size_t n)
{
	if (!name || !fnconf_valid_name(name))
		return -EINVAL;
	if ((size_t)snprintf(out, n, "%s/logs/functions/%s", home, name) >= n)
		return -ENAMETOOLONG;
	return 0;
}

bool fnlog_exists(const char *home, const char *name)
{
	char dir[PATH_MAX];
	struct stat st;

	return !dir_of(home, name, dir, sizeof dir) && !stat(dir, &st) && S_ISDIR(st.st_mode);
}

int fnlog_append(const char *home, const struct fnlog_record *r)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], *text = NULL;
	int lock = -1, fd = -1, rc;
	struct stat st;
	size_t len = 0;

	rc = dir_of(home, r->function, dir, sizeof dir - 16);
	if (rc)
		return rc;
	text = fnlog_format(r, &len);
	if (!text)
		return -ENOMEM;
	rc = fs_mkdir_p(dir, 0700);
	if (rc)
		goto out;
	snprintf(path, sizeof path, "%s/.lock", dir);
	lock = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lock < 0 || flock(lock, LOCK_EX)) {
		rc = -errno;
		goto out;
	}
	file_path(path, sizeof path, dir, 0);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || fstat(fd, &st)) {
		rc = -errno;
		goto out;
	}
	if (st.st_size > 0 && (uint64_t)st.st_size + len > FNLOG_FILE_MAX) {
		close(fd);
		fd = -1;
		rc = rotate(dir);
		if (rc)
			goto out;
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0) {
			rc = -errno;
			goto out;
		}
	}
	rc = write_all(fd, text, len);
out:
	if (fd >= 0)
		close(fd);
	if (lock >= 0)
		close(lock);   /* drops the flock */
	free(text);
	return rc;
}
