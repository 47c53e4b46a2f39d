/* tz — IANA time zones without the TZ variable: a reader of compiled TZif
 * files (RFC 8536, versions 1-4; the 64-bit section when there is one), the
 * POSIX TZ rule of the footer for instants after the table, wall time to
 * UTC with gaps and overlaps, and a bounded process-wide cache. Also the
 * civil-date arithmetic the scheduler shares (Howard Hinnant's
 * days_from_civil), valid for any year. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "sched_int.h"

/* ---- civil dates ------------------------------------------------------------ */

static int64_t floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

int64_t sched_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = floordiv(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void sched_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floordiv(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

bool sched_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned sched_mdays(int64_t y, unsigned m)
{
	static const unsigned char days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && sched_leap(y) ? 29 : days[m - 1];
}

unsigned sched_wday(int64_t days)
{
	int64_t w = (days + 4) % 7; /* 1970-01-01 was a Thursday */

	return (unsigned)(w < 0 ? w + 7 : w);
}

void sched_split(int64_t t, struct sched_tm *tm)
{
	int64_t days = floordiv(t, 86400), secs = t - days * 86400;

	sched_civil_from_days(days, &tm->year, &tm->mon, &tm->mday);
	tm->hour = (unsigned)(secs / 3600);
	tm->min = (unsigned)(secs / 60 % 60);
	tm->sec = (unsigned)(secs % 60);
	tm->wday = sched_wday(days);
}

int64_t sched_join(int64_t y, unsigned mon, unsigned mday, unsigned hour, unsigned min, unsigned sec)
{
	return sched_days_from_civil(y, mon, mday) * 86400 + hour * 3600 + min * 60 + sec;
}

/* ---- POSIX TZ strings ------------------------------------------------------- */

static const char *posix_name(const char *s)
{
	const char *p = s;

	if (*p == '<') {
		while (*++p && *p != '>')
			if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			      *p == '+' || *p == '-'))
				return NULL;
		return *p == '>' && p - s >= 4 ? p + 1 : NULL;
	}
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	return p - s >= 3 ? p : NULL;
}

static const char *posix_num(const char *s, int lo, int hi, int *out)
{
	int v = 0, n = 0;

	while (*s >= '0' && *s <= '9' && n < 4) {
		v = v * 10 + (*s++ - '0');
		n++;
	}
	if (!n || v < lo || v > hi)
		return NULL;
	*out = v;
	return s;
}

/* [+-]hh[:mm[:ss]], hh at most maxh: seconds. */
static const char *posix_hms(const char *s, int maxh, int32_t *out)
{
	int sign = 1, h, m = 0, sec = 0;

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if (!(s = posix_num(s, 0, maxh, &h)))
		return NULL;
	if (*s == ':' && !(s = posix_num(s + 1, 0, 59, &m)))
		return NULL;
	if (*s == ':' && !(s = posix_num(s + 1, 0, 59, &sec)))
		return NULL;
	*out = sign * (h * 3600 + m * 60 + sec);
	return s;
}

static const char *posix_date(const char *s, struct tz_rule_date *r)
{
	r->time = 7200;
	if (*s == 'J') {
		r->kind = 'J';
		s = posix_num(s + 1, 1, 365, &r->n);
	} else if (*s == 'M') {
		r->kind = 'M';
		if (!(s = posix_num(s + 1, 1, 12, &r->m)) || *s != '.' || !(s = posix_num(s + 1, 1, 5, &r->w)) ||
		    *s != '.')
			return NULL;
		s = posix_num(s + 1, 0, 6, &r->d);
	} else {
		r->kind = 'D';
		s = posix_num(s, 0, 365, &r->n);
	}
	if (s && *s == '/')
		s = posix_hms(s + 1, 167, &r->time);
	return s;
}

int sched_tz_posix_parse(const char *s, struct tz_posix *out)
{
	int32_t off;

	memset(out, 0, sizeof *out);
	if (!(s = posix_name(s)) || !(s = posix_hms(s, 24, &off)))
		return -1;
	out->std_off = out->dst_off = -off;
	out->set = true;
	if (!*s)
		return 0;
	if (!(s = posix_name(s)))
		return -1;
	out->dst = true;
	out->dst_off = out->std_off + 3600;
	if (*s && *s != ',') {
		if (!(s = posix_hms(s, 24, &off)))
			return -1;
		out->dst_off = -off;
	}
	if (!*s) {
		/* No rule: the US rule, as glibc assumes. */
		out->start = (struct tz_rule_date){ 'M', 0, 3, 2, 0, 7200 };
		out->end = (struct tz_rule_date){ 'M', 0, 11, 1, 0, 7200 };
		return 0;
	}
	if (*s != ',' || !(s = posix_date(s + 1, &out->start)) || *s != ',' || !(s = posix_date(s + 1, &out->end)))
		return -1;
	return *s ? -1 : 0;
}

/* Local seconds (read as UTC) of rule date r in year y. */
static int64_t rule_local(const struct tz_rule_date *r, int64_t y)
{
	int64_t days;

	if (r->kind == 'J') {
		days = sched_days_from_civil(y, 1, 1) + r->n - 1 + (sched_leap(y) && r->n >= 60);
	} else if (r->kind == 'D') {
		days = sched_days_from_civil(y, 1, 1) + r->n;
	} else {
		int64_t first = sched_days_from_civil(y, (unsigned)r->m, 1);
		int64_t d = ((int64_t)r->d - sched_wday(first) + 7) % 7 + 7 * (r->w - 1);

		while (d >= sched_mdays(y, (unsigned)r->m))
			d -= 7;
		days = first + d;
	}
	return days * 86400 + r->time;
}

static int32_t posix_offset(const struct tz_posix *p, int64_t t)
{
	struct sched_tm tm;
	int64_t s, e;

	if (!p->dst)
		return p->std_off;
	sched_split(t + p->std_off, &tm);
	s = rule_local(&p->start, tm.year) - p->std_off;
	e = rule_local(&p->end, tm.year) - p->dst_off;
	if (s < e)
		return t >= s && t < e ? p->dst_off : p->std_off;
	return t >= e && t < s ? p->std_off : p->dst_off;
}

/* ---- offsets, wall time ----------------------------------------------------- */

int32_t sched_tz_offset(const struct sched_tz *z, int64_t t)
{
	uint32_t lo, hi;

	if (!z->ntrans || t >= z->trans[z->ntrans - 1]) {
		if (z->posix.set)
			return posix_offset(&z->posix, t);
		if (!z->ntrans)
			return z->ntypes ? z->offs[0] : 0;
	}
	if (t < z->trans[0])
		return z->offs[0];
	lo = 0;
	hi = z->ntrans; /* trans[lo] <= t < trans[hi] */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->offs[z->idx[lo]];
}

int sched_tz_local_to_utc(const struct sched_tz *z, int64_t local, int64_t out[2])
{
	int64_t lo = SCHED_NONE, hi = SCHED_NONE;
	uint32_t i;
	int n = 0;

	for (i = 0; i < z->noffs; i++) {
		int64_t t = local - z->distinct[i];

		if (sched_tz_offset(z, t) != z->distinct[i])
			continue;
		if (!n++) {
			lo = hi = t;
		} else {
			lo = t < lo ? t : lo;
			hi = t > hi ? t : hi;
		}
	}
	out[0] = lo;
	out[1] = hi;
	return n > 2 ? 2 : n;
}

int64_t sched_tz_resolve(const struct sched_tz *z, int64_t local)
{
	int64_t t[2];
	int32_t omax = z->distinct[0];
	uint32_t i;

	if (sched_tz_local_to_utc(z, local, t))
		return t[0];
	for (i = 1; i < z->noffs; i++)
		omax = z->distinct[i] > omax ? z->distinct[i] : omax;
	/* The gap's transition lies after local - omax: the offset there is
	 * the one before the gap. */
	return local - sched_tz_offset(z, local - omax);
}

/* ---- TZif ------------------------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_hdr {
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static size_t tzif_body(const struct tzif_hdr *h, size_t tsize)
{
	return (size_t)h->timecnt * tsize + h->timecnt + (size_t)h->typecnt * 6 + h->charcnt +
	       (size_t)h->leapcnt * (tsize + 4) + h->isstdcnt + h->isutcnt;
}

static int tzif_hdr(const unsigned char *p, size_t n, struct tzif_hdr *h)
{
	if (n < 44 || memcmp(p, "TZif", 4))
		return -1;
	h->isutcnt = be32(p + 20);
	h->isstdcnt = be32(p + 24);
	h->leapcnt = be32(p + 28);
	h->timecnt = be32(p + 32);
	h->typecnt = be32(p + 36);
	h->charcnt = be32(p + 40);
	if (h->timecnt > SCHED_TZ_FILE_MAX || h->typecnt > SCHED_TZ_FILE_MAX || h->charcnt > SCHED_TZ_FILE_MAX ||
	    h->leapcnt > SCHED_TZ_FILE_MAX || h->isutcnt > SCHED_TZ_FILE_MAX || h->isstdcnt > SCHED_TZ_FILE_MAX)
		return -1;
	return 0;
}

static void tz_distinct(struct sched_tz *z)
{
	int32_t cand[SCHED_TZ_TYPES_MAX + 2];
	uint32_t n = 0, i, j;

	for (i = 0; i < z->ntypes; i++)
		cand[n++] = z->offs[i];
	if (z->posix.set) {
		cand[n++] = z->posix.std_off;
		cand[n++] = z->posix.dst_off;
	}
	z->noffs = 0;
	for (i = 0; i < n; i++) {
		for (j = 0; j < z->noffs && z->distinct[j] != cand[i]; j++)
			;
		if (j == z->noffs)
			z->distinct[z->noffs++] = cand[i];
	}
	if (!z->noffs)
		z->distinct[z->noffs++] = 0;
}

static void tz_free(struct sched_tz *z)
{
	if (!z)
		return;
	free(z->trans);
	free(z->idx);
	free(z->offs);
	free(z);
}

struct sched_tz *sched_tz_from_tzif(const char *name, const unsigned char *p, size_t n, struct err *e)
{
	struct sched_tz *z = NULL;
	struct tzif_hdr h;
	const unsigned char *d;
	size_t tsize = 4, body;
	uint32_t i;

	if (tzif_hdr(p, n, &h))
		goto bad;
	body = tzif_body(&h, 4);
	if (p[4] >= '2') {
		/* Skip the 32-bit section: the 64-bit one follows it. */
		if (44 + body > n)
			goto bad;
		p += 44 + body;
		n -= 44 + body;
		if (tzif_hdr(p, n, &h))
			goto bad;
		tsize = 8;
		body = tzif_body(&h, 8);
	}
	if (44 + body > n || h.typecnt == 0 || h.typecnt > SCHED_TZ_TYPES_MAX || h.timecnt > SCHED_TZ_TRANS_MAX)
		goto bad;
	if (h.leapcnt) {
		err_set(e, ERR_SCHED_VALIDATION, "time zone '%s' counts leap seconds (a right/ zone): not supported",
			name);
		return NULL;
	}
	d = p + 44;
	if (!(z = calloc(1, sizeof *z)) || !(z->trans = calloc(h.timecnt + 1, sizeof *z->trans)) ||
	    !(z->idx = calloc(h.timecnt + 1, 1)) || !(z->offs = calloc(h.typecnt, sizeof *z->offs))) {
		tz_free(z);
		err_set(e, ERR_SCHED_VALIDATION, "out of memory loading time zone '%s'", name);
		return NULL;
	}
	snprintf(z->name, sizeof z->name, "%s", name);
	z->ntrans = h.timecnt;
	z->ntypes = h.typecnt;
	for (i = 0; i < h.timecnt; i++) {
		z->trans[i] = tsize == 8 ? be64(d + i * 8) : (int32_t)be32(d + i * 4);
		if (i && z->trans[i] <= z->trans[i - 1])
			goto bad;
	}
	d += (size_t)h.timecnt * tsize;
	for (i = 0; i < h.timecnt; i++) {
		if (d[i] >= h.typecnt)
			goto bad;
		z->idx[i] = d[i];
	}
	d += h.timecnt;
	for (i = 0; i < h.typecnt; i++) {
		int32_t off = (int32_t)be32(d + i * 6);

		if (off < -25 * 3600 || off > 26 * 3600)
			goto bad;
		z->offs[i] = off;
	}
	/* The footer: "\nTZ\n" after the 64-bit body. */
	if (tsize == 8 && 44 + body < n && p[44 + body] == '\n') {
		const unsigned char *f = p + 44 + body + 1, *nl = memchr(f, '\n', n - 44 - body - 1);
		char tzs[128];

		if (!nl || (size_t)(nl - f) >= sizeof tzs)
			goto bad;
		memcpy(tzs, f, (size_t)(nl - f));
		tzs[nl - f] = '\0';
		if (tzs[0] && sched_tz_posix_parse(tzs, &z->posix))
			goto bad;
	}
	tz_distinct(z);
	return z;
bad:
	tz_free(z);
	err_set(e, ERR_SCHED_VALIDATION, "time zone '%s': not a valid TZif file", name);
	return NULL;
}

/* ---- the cache -------------------------------------------------------------- */

static const struct sched_tz utc_zone = { .name = "UTC", .cached = true, .noffs = 1 };
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sched_tz *cache[SCHED_TZ_CACHE_MAX];
static size_t ncache;

static int name_check(const char *name, struct err *e)
{
	const char *p;

	if (strlen(name) >= SCHED_TZ_NAME_MAX)
		return err_set(e, ERR_SCHED_VALIDATION, "time zone name is longer than %d characters",
			       SCHED_TZ_NAME_MAX - 1);
	if (name[0] == '/')
		return err_set(e, ERR_SCHED_VALIDATION, "time zone '%s': must be a name (America/New_York), not a path",
			       name);
	if (strstr(name, ".."))
		return err_set(e, ERR_SCHED_VALIDATION, "time zone '%s': '..' is not allowed in a zone name", name);
	for (p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '/' || *p == '_' || *p == '-' || *p == '+'))
			return err_set(e, ERR_SCHED_VALIDATION,
				       "time zone '%.*s': character %zu is not allowed in a zone name", 64, name,
				       (size_t)(p - name) + 1);
	return 0;
}

static struct sched_tz *load(const char *name, struct err *e)
{
	const char *dir = getenv("TZDIR");
	char path[4096];
	char *buf = NULL;
	size_t len = 0;
	struct sched_tz *z;
	int rc;

	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	rc = fs_read_file(path, SCHED_TZ_FILE_MAX, &buf, &len);
	if (rc == -ENOENT || rc == -EISDIR || rc == -ENOTDIR) {
		err_set(e, ERR_SCHED_VALIDATION, "unknown time zone '%s'", name);
		return NULL;
	}
	if (rc) {
		err_set(e, ERR_SCHED_VALIDATION, "time zone '%s': cannot read %s: %s", name, path, strerror(-rc));
		return NULL;
	}
	z = sched_tz_from_tzif(name, (const unsigned char *)buf, len, e);
	free(buf);
	return z;
}

const struct sched_tz *sched_tz_get(const char *name, struct err *e)
{
	struct sched_tz *z = NULL;
	size_t i;

	if (!name || !*name || !strcmp(name, "UTC") || !strcmp(name, "Etc/UTC"))
		return &utc_zone;
	if (name_check(name, e))
		return NULL;
	pthread_mutex_lock(&cache_lock);
	for (i = 0; i < ncache; i++)
		if (!strcmp(cache[i]->name, name)) {
			z = cache[i];
			goto out;
		}
	if (!(z = load(name, e)))
		goto out;
	if (ncache < SCHED_TZ_CACHE_MAX) {
		z->cached = true;
		cache[ncache++] = z;
	}
out:
	pthread_mutex_unlock(&cache_lock);
	return z;
}

void sched_tz_release(const struct sched_tz *z)
{
	if (z && !z->cached)
		tz_free((struct sched_tz *)z);
}
