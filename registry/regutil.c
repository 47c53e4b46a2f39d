#include "regutil.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "registry.h"

int regutil_parse_uint(const char *s, unsigned max, unsigned *out)
{
	unsigned long v = 0;

	if (!s || !*s || (s[0] == '0' && s[1]) || strlen(s) > 10)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v < 1 || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int regutil_split_ref(const char *ref, const char *kind, char *name, size_t name_sz,
		      char *qual, size_t qual_sz, struct err *e)
{
	char tmp[REGUTIL_REF_MAX + 1];
	char *part[9];
	size_t np = 0, n = ref ? strlen(ref) : 0;
	const char *nm, *q;

	if (n == 0 || n > REGUTIL_REF_MAX)
		return err_set(e, ERR_INVALID_PARAMETER, "invalid %s reference (1-%d characters)",
			       kind, REGUTIL_REF_MAX);
	memcpy(tmp, ref, n + 1);
	part[np++] = tmp;
	for (char *p = tmp; *p; p++) {
		if (*p != ':')
			continue;
		if (np == 9)
			goto bad;
		*p = '\0';
		part[np++] = p + 1;
	}
	if (!strcmp(part[0], "arn")) {
		/* arn:PARTITION:lambda:REGION:ACCOUNT:KIND:NAME[:QUAL] */
		if (np < 7 || np > 8 || !*part[1] || strcmp(part[2], "lambda") ||
		    strcmp(part[5], kind))
			goto bad;
		nm = part[6];
		q = np == 8 ? part[7] : "";
		if (np == 8 && !*q)
			goto bad;
	} else {
		if (np > 2 || (np == 2 && !*part[1]))
			goto bad;
		nm = part[0];
		q = np == 2 ? part[1] : "";
	}
	if (!*nm || strlen(nm) >= name_sz)
		goto bad;
	if (strlen(q) >= qual_sz)
		return err_set(e, ERR_INVALID_PARAMETER, "qualifier too long in '%s'", ref);
	snprintf(name, name_sz, "%s", nm);
	snprintf(qual, qual_sz, "%s", q);
	return 0;
bad:
	return err_set(e, ERR_INVALID_PARAMETER,
		       "invalid %s reference '%s' (expected NAME, NAME:QUALIFIER or "
		       "arn:aws:lambda:REGION:ACCOUNT:%s:NAME[:QUALIFIER])",
		       kind, ref, kind);
}

void regutil_arn(char *out, size_t n, const char *kind, const char *name, const char *qual)
{
	snprintf(out, n, "arn:aws:lambda:%s:%s:%s:%s%s%s", REGISTRY_REGION, REGISTRY_ACCOUNT,
		 kind, name, qual && *qual ? ":" : "", qual && *qual ? qual : "");
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

int regutil_numbers(const char *dir, const char *suffix, unsigned **out, size_t *n)
{
	DIR *d = NULL;
	struct dirent *de;
	unsigned *v = NULL, *p;
	size_t used = 0, alloc = 0, sl = strlen(suffix);
	int rc = 0;

	*out = NULL;
	*n = 0;
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		char num[16];
		size_t l = strlen(de->d_name);
		unsigned x;

		/* Temp files ("3.json.tmp.123") and anything else do not match. */
		if (l <= sl || l - sl >= sizeof num || strcmp(de->d_name + l - sl, suffix))
			continue;
		memcpy(num, de->d_name, l - sl);
		num[l - sl] = '\0';
		if (regutil_parse_uint(num, REGUTIL_VERSION_MAX, &x))
			continue;
		if (used == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			p = realloc(v, alloc * sizeof *v);
			if (!p) {
				rc = -ENOMEM;
				goto out;
			}
			v = p;
		}
		v[used++] = x;
	}
	if (used)
		qsort(v, used, sizeof *v, cmp_unsigned);
	*out = v;
	*n = used;
	v = NULL;
out:
	free(v);
	closedir(d);
	return rc;
}

int regutil_read_json(const char *path, json_t **out, struct err *e)
{
	char *data = NULL;
	size_t len = 0;
	json_error_t je;
	json_t *j = NULL;
	int rc;

	*out = NULL;
	rc = fs_read_file(path, REGUTIL_RECORD_MAX, &data, &len);
	if (rc == -ENOENT)
		return rc;
	if (rc)
		return regutil_ioerr(e, "read", path, rc);
	j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
	free(data);
	if (!j || !json_is_object(j)) {
		json_decref(j);
		return err_set(e, ERR_RUNTIME_INTERNAL, "corrupt record %s", path);
	}
	*out = j;
	return 0;
}

int regutil_write_json(const char *path, const json_t *j, struct err *e)
{
	char *s = json_dumps(j, JSON_COMPACT);
	int rc;

	if (!s)
		return err_set(e, ERR_RUNTIME_INTERNAL, "out of memory writing %s", path);
	rc = fs_write_atomic(path, s, strlen(s), 0600);
	free(s);
	if (rc)
		return regutil_ioerr(e, "write", path, rc);
	return 0;
}

int regutil_path(char *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, PATH_MAX, fmt, ap);
	va_end(ap);
	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

int regutil_ioerr(struct err *e, const char *what, const char *path, int rc)
{
	return err_set(e, ERR_RUNTIME_INTERNAL, "cannot %s %s: %s", what, path, strerror(-rc));
}

void regutil_timestamp(char out[32])
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(out, 20, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03d+0000", (int)(ts.tv_nsec / 1000000) % 1000);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

void regutil_sha_b64(const char *hex, char out[45])
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char raw[33] = { 0 };
	size_t o = 0;

	if (!regutil_is_sha(hex, strlen(hex))) {
		out[0] = '\0';
		return;
	}
	for (int i = 0; i < 32; i++)
		raw[i] = (unsigned char)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
	for (int i = 0; i < 33; i += 3) {
		unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];

		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = i + 1 < 32 ? tab[v >> 6 & 63] : '=';
		out[o++] = i + 2 < 32 ? tab[v & 63] : '=';
	}
	out[o] = '\0';
}

int regutil_is_sha(const char *s, size_t len)
{
	if (len != 64)
		return 0;
	for (size_t i = 0; i < 64; i++)
		if (hexval(s[i]) < 0)
			return 0;
	return 1;
}

void regutil_sweep(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char p[PATH_MAX];

	if (!d)
		return;
	while ((de = readdir(d))) {
		const char *n = de->d_name;

		if (strncmp(n, ".tmp", 4) && strncmp(n, ".incoming", 9) &&
		    strncmp(n, ".trash", 6) && !strstr(n, ".tmp."))
			continue;
		if (!regutil_path(p, "%s/%s", dir, n))
			fs_rm_rf(p);
	}
	closedir(d);
}
