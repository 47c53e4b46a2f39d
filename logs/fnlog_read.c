/* fnlog — reading a function's log (oldest first, then following what is
 * appended, through rotations), and the --since values (fnlog.h). */
#include "fnlog.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct fnlog_reader {
	char dir[PATH_MAX];
	int64_t since_ms;
	bool started;        /* the rotated files have been read */
	int fd;              /* `log` as it was when opened, or -1 */
	ino_t ino;
	char *line;          /* a line not yet complete */
	size_t len;
	bool skipping;       /* the rest of a line longer than FNLOG_LINE_MAX */
};

static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
	/* Howard Hinnant's days_from_civil: no timegm/TZ dependence. */
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

/* "YYYY-MM-DD[THH:MM[:SS[.fff]]][Z]" at s: ms, and how many bytes it took
 * (0: not a time). */
static size_t parse_iso(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, n = 0;
	const char *p;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return 0;
	p = s + n;
	if (*p == 'T' || *p == ' ') {
		if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &n) != 2 || n != 5)
			return 0;
		p += 1 + n;
		if (*p == ':') {
			if (sscanf(p + 1, "%2d%n", &sec, &n) != 1 || n != 2)
				return 0;
			p += 1 + n;
			if (*p == '.') {
				int digits = 0;

				for (p++; isdigit((unsigned char)*p); p++, digits++)
					if (digits < 3)
						ms = ms * 10 + (*p - '0');
				if (!digits)
					return 0;
				for (; digits < 3; digits++)
					ms *= 10;
			}
		}
	}
	if (*p == 'Z')
		p++;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 || y < 1970)
		return 0;
	*out = ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 24 + h) * 60 + mi) * 60000 + sec * 1000 + ms;
	return (size_t)(p - s);
}

int fnlog_parse_since(const char *s, int64_t now_ms, int64_t *out)
{
	static const struct { const char *unit; int64_t ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 }, { "d", 86400000 }, { "w", 604800000 },
	};
	char *end;
	unsigned long long v;
	int64_t t;

	if (!s || !*s)
		return -EINVAL;
	if (strlen(s) >= 10 && s[4] == '-') {
		size_t n = parse_iso(s, &t);

		if (!n || s[n])
			return -EINVAL;
		*out = t;
		return 0;
	}
	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || v > 100ull * 365 * 86400 * 1000)
		return -EINVAL;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (!strcmp(end, units[i].unit)) {
			*out = now_ms - (int64_t)v * units[i].ms;
			return 0;
		}
	return -EINVAL;
}

int fnlog_reader_open(const char *home, const char *name, int64_t since_ms, struct fnlog_reader **out)
{
	struct fnlog_reader *rd;
	struct stat st;

	*out = NULL;
	if (!fnconf_valid_name(name))
		return -EINVAL;
	rd = calloc(1, sizeof *rd);
	if (!rd)
		return -ENOMEM;
	if ((size_t)snprintf(rd->dir, sizeof rd->dir, "%s/logs/functions/%s", home, name) >= sizeof rd->dir) {
		free(rd);
		return -ENAMETOOLONG;
	}
	if (stat(rd->dir, &st) || !S_ISDIR(st.st_mode)) {
		free(rd);
		return -ENOENT;
	}
	rd->line = malloc(FNLOG_LINE_MAX);
	if (!rd->line) {
		free(rd);
		return -ENOMEM;
	}
	rd->fd = -1;
	rd->since_ms = since_ms;
	*out = rd;
	return 0;
}

void fnlog_reader_close(struct fnlog_reader *rd)
{
	if (!rd)
		return;
	if (rd->fd >= 0)
		close(rd->fd);
	free(rd->line);
	free(rd);
}

static int emit(struct fnlog_reader *rd, fnlog_line_fn fn, void *arg)
{
	int64_t ts = 0;
	size_t n = rd->len, at = 0;

	rd->len = 0;
	if (n > FNLOG_TIME_LEN && rd->line[FNLOG_TIME_LEN] == ' ') {
		rd->line[n] = '\0';
		if (parse_iso(rd->line, &ts) == FNLOG_TIME_LEN)
			at = FNLOG_TIME_LEN + 1;
		else
			ts = 0;
	}
	if (rd->since_ms && ts < rd->since_ms)
		return 0;
	return fn(arg, ts, rd->line + at, n - at);
}

/* Every complete line readable from fd; a last line without a newline
 * stays in rd->line for the next read (a record being written). */
static int drain(struct fnlog_reader *rd, int fd, fnlog_line_fn fn, void *arg)
{
	char b[16384];

	for (;;) {
		ssize_t r = read(fd, b, sizeof b);
		size_t i = 0;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		while (i < (size_t)r) {
			char *nl = memchr(b + i, '\n', (size_t)r - i);
			size_t n = nl ? (size_t)(nl - (b + i)) : (size_t)r - i;
			int rc;

			if (!rd->skipping) {
				size_t room = FNLOG_LINE_MAX - 1 - rd->len, take = n < room ? n : room;

				memcpy(rd->line + rd->len, b + i, take);
				rd->len += take;
				if (take < n || (!nl && rd->len == FNLOG_LINE_MAX - 1)) {
					/* too long: delivered cut, the rest skipped */
					rc = emit(rd, fn, arg);
					if (rc)
						return rc;
					rd->skipping = true;
				}
			}
			i += n;
			if (nl) {
				i++;
				if (rd->skipping)
					rd->skipping = false;
				else if ((rc = emit(rd, fn, arg)))
					return rc;
			}
		}
	}
}

static int read_file(struct fnlog_reader *rd, const char *path, fnlog_line_fn fn, void *arg)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), rc;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	rc = drain(rd, fd, fn, arg);
	close(fd);
	rd->len = 0;   /* a rotated file ends with whole records */
	rd->skipping = false;
	return rc;
}

int fnlog_reader_read(struct fnlog_reader *rd, fnlog_line_fn fn, void *arg)
{
	char path[PATH_MAX + 16];
	struct stat st;
	int rc;

	if (!rd->started) {
		rd->started = true;
		for (int i = FNLOG_FILES - 1; i > 0; i--) {
			snprintf(path, sizeof path, "%s/log.%d", rd->dir, i);
			rc = read_file(rd, path, fn, arg);
			if (rc)
				return rc;
		}
	}
	snprintf(path, sizeof path, "%s/log", rd->dir);
	for (int turns = 0; turns < FNLOG_FILES; turns++) {
		if (rd->fd < 0) {
			rd->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
			if (rd->fd < 0)
				return errno == ENOENT ? 0 : -errno;
			if (fstat(rd->fd, &st)) {
				rc = -errno;
				close(rd->fd);
				rd->fd = -1;
				return rc;
			}
			rd->ino = st.st_ino;
		}
		rc = drain(rd, rd->fd, fn, arg);
		if (rc)
			return rc;
		/* Rotated since we opened it: the rest of it was read, on to the
		 * new one. */
		if (stat(path, &st) == 0 && st.st_ino == rd->ino)
			return 0;
		rc = drain(rd, rd->fd, fn, arg);
		close(rd->fd);
		rd->fd = -1;
		rd->len = 0;
		rd->skipping = false;
		if (rc)
			return rc;
	}
	return 0;
}
