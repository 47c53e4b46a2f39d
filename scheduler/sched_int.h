/* sched_int — what the scheduler's files share: civil-date arithmetic, time
 * zones (tz.c), cron (cron.c). Private to scheduler/ (and its unit test). */
#ifndef TUTTI_SCHED_INT_H
#define TUTTI_SCHED_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "scheduler.h"

/* ---- civil dates (proleptic Gregorian, any year) ---------------------------- */

/* Days since 1970-01-01 of y-m-d (m 1-12, d 1-31). */
int64_t sched_days_from_civil(int64_t y, unsigned m, unsigned d);
void sched_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
bool sched_leap(int64_t y);
unsigned sched_mdays(int64_t y, unsigned m);
/* 0 = Sunday .. 6 = Saturday. */
unsigned sched_wday(int64_t days);

struct sched_tm {
	int64_t year;
	unsigned mon, mday, hour, min, sec, wday;
};
void sched_split(int64_t t, struct sched_tm *tm);
int64_t sched_join(int64_t y, unsigned mon, unsigned mday, unsigned hour, unsigned min, unsigned sec);

/* ---- time zones (tz.c) ------------------------------------------------------ */

#define SCHED_TZ_CACHE_MAX 64          /* zones kept loaded by the process */
#define SCHED_TZ_FILE_MAX  (256 << 10) /* a TZif file's size */
#define SCHED_TZ_TRANS_MAX 4096        /* transitions kept from one file */
#define SCHED_TZ_TYPES_MAX 256

/* A POSIX TZ rule's date: Jn (1-365, no Feb 29), n (0-365), Mm.w.d. */
struct tz_rule_date {
	char kind;               /* 'J', 'D' (n), 'M' */
	int n, m, w, d;
	int32_t time;            /* seconds after local midnight, -167h..167h */
};

struct tz_posix {
	bool set;                /* a footer was read */
	bool dst;                /* has a daylight-saving part */
	int32_t std_off, dst_off; /* UTC offsets (east positive) */
	struct tz_rule_date start, end;
};

struct sched_tz {
	char name[SCHED_TZ_NAME_MAX];
	bool cached;             /* lives in the cache (never freed) */
	uint32_t ntrans, ntypes;
	int64_t *trans;          /* ascending UTC instants */
	uint8_t *idx;            /* type index after each transition */
	int32_t *offs;           /* UTC offset of each type */
	struct tz_posix posix;   /* after the last transition */
	uint32_t noffs;
	int32_t distinct[SCHED_TZ_TYPES_MAX + 2]; /* every offset the zone uses */
};

/* The zone `name` (NULL, "", "UTC", "Etc/UTC": built in); NULL with e set
 * when the name is refused or no readable TZif file has it. Cached zones
 * are shared and never freed; with the cache full, the zone is the
 * caller's (sched_tz_release frees it). */
const struct sched_tz *sched_tz_get(const char *name, struct err *e);
void sched_tz_release(const struct sched_tz *z);
/* Load a TZif image (tests, fuzzing); caller releases. */
struct sched_tz *sched_tz_from_tzif(const char *name, const unsigned char *p, size_t n, struct err *e);
/* Parse a POSIX TZ string ("EST5EDT,M3.2.0,M11.1.0"); 0 or -1. */
int sched_tz_posix_parse(const char *s, struct tz_posix *out);

/* The UTC offset (seconds east) in force at UTC instant t. */
int32_t sched_tz_offset(const struct sched_tz *z, int64_t t);

/* UTC instants whose wall time is `local` (seconds since the epoch read as
 * UTC): 0 (a gap), 1, or 2 (an overlap; out[0] < out[1]). */
int sched_tz_local_to_utc(const struct sched_tz *z, int64_t local, int64_t out[2]);
/* Same, always one answer: the first in an overlap; in a gap, the wall time
 * read with the offset in force before the gap (later on the clock). */
int64_t sched_tz_resolve(const struct sched_tz *z, int64_t local);

/* ---- cron (cron.c) ---------------------------------------------------------- */

struct sched_cron {
	uint64_t minutes;        /* bit m */
	uint32_t hours;          /* bit h */
	uint32_t mdays;          /* bit d, 1-31 */
	uint16_t months;         /* bit m, 1-12 */
	uint8_t wdays;           /* bit d, 0 (SUN) - 6 (SAT) */
	uint64_t years[4];       /* bit y - 1970, 1970-2199 */
	bool dom_any;            /* day-of-month is '?' (day-of-week decides) */
	bool dom_last;           /* L */
	bool dom_last_wd;        /* LW */
	int dom_near_wd;         /* nW: the weekday nearest day n, 0: none */
	int dow_last;            /* nL: the last weekday d+1 of the month, 0: none */
	int dow_nth_day, dow_nth; /* d#n: 0: none */
};

/* Compile the inside of "cron(...)". expr is the whole expression (for
 * messages), `off` where the fields start in it. */
int sched_cron_parse(const char *expr, size_t off, size_t len, struct sched_cron *c, struct err *e);
/* The first matching wall time (seconds, read as UTC) strictly after
 * `local`, or SCHED_NONE. */
int64_t sched_cron_next_local(const struct sched_cron *c, int64_t local);

#endif
