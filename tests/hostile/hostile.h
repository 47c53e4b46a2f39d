/* hostile.h — small helpers shared by the hostile test functions.
 *
 * Each tests/hostile/NAME.c is one function (built like a user's function:
 * -std=c11 -Wall -Wextra -Werror -fPIC -shared -Iruntime) that attacks the
 * sandbox in one way; tests/e2e/runtime_hostile.sh runs it through the real
 * runtime and checks the outcome. Include this header first: it turns on
 * the GNU names (syscall, SYS_*, mknod...) before any system header.
 *
 * Results are tiny JSON objects built with snprintf; payloads are read with
 * hj_str/hj_num, which understand just enough JSON for flat test payloads
 * ({"path":"/x","port":123}; no escapes in strings). */
#ifndef HOSTILE_H
#define HOSTILE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <tutti.h>

/* The errno's symbolic name ("ENOENT"), or "E<n>" for the ones we don't list. */
static inline const char *hj_errname(int e)
{
	static char other[16];

	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EINTR: return "EINTR";
	case EIO: return "EIO";
	case ENXIO: return "ENXIO";
	case E2BIG: return "E2BIG";
	case ENOEXEC: return "ENOEXEC";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case EINVAL: return "EINVAL";
	case EMFILE: return "EMFILE";
	case EFBIG: return "EFBIG";
	case ENOSPC: return "ENOSPC";
	case EROFS: return "EROFS";
	case EPIPE: return "EPIPE";
	case ENOSYS: return "ENOSYS";
	case ENOTSOCK: return "ENOTSOCK";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	case ENETDOWN: return "ENETDOWN";
	case ENETUNREACH: return "ENETUNREACH";
	case ECONNREFUSED: return "ECONNREFUSED";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EHOSTUNREACH: return "EHOSTUNREACH";
	case ENOTCONN: return "ENOTCONN";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default:
		snprintf(other, sizeof other, "E%d", e);
		return other;
	}
}

/* Where the value of "key" starts in a flat JSON object, or NULL. */
static inline const char *hj_find(const char *json, const char *key)
{
	char pat[80];
	const char *p;

	snprintf(pat, sizeof pat, "\"%s\"", key);
	p = json ? strstr(json, pat) : NULL;
	if (!p)
		return NULL;
	p += strlen(pat);
	while (*p == ' ' || *p == ':')
		p++;
	return p;
}

/* The string value of "key" copied into out (no escapes), or def. */
static inline const char *hj_str(const char *json, const char *key, char *out, size_t n, const char *def)
{
	const char *p = hj_find(json, key), *end;

	if (!p || *p != '"')
		return def;
	end = strchr(p + 1, '"');
	if (!end)
		return def;
	snprintf(out, n, "%.*s", (int)(end - p - 1), p + 1);
	return out;
}

/* The number value of "key", or def. */
static inline long long hj_num(const char *json, const char *key, long long def)
{
	const char *p = hj_find(json, key);
	char *end;
	long long v;

	if (!p)
		return def;
	v = strtoll(p, &end, 10);
	return end == p ? def : v;
}

/* Return a JSON text built from a format. */
__attribute__((format(printf, 2, 3))) static inline int hj_return(tt_ctx *ctx, const char *fmt, ...)
{
	char buf[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return tt_return(ctx, buf, 0);
}

/* Append "PATH":{"opened":bool,"errno":"E..."} for one open(2) attempt to
 * the object being built in out (which starts as "{"). */
static inline void hj_try_open(const char *path, int flags, char *out, size_t n)
{
	int fd = open(path, flags, 0644), err = errno;
	size_t used = strlen(out);

	if (fd >= 0)
		close(fd);
	snprintf(out + used, n - used, "%s\"%s\":{\"opened\":%s,\"errno\":\"%s\"}", used > 1 ? "," : "",
		 path, fd >= 0 ? "true" : "false", fd >= 0 ? "0" : hj_errname(err));
}

#endif
