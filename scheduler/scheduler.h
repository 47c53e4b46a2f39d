/* scheduler — EventBridge schedule expressions, pure logic (no server, no I/O
 * but reading compiled time zones from /usr/share/zoneinfo).
 *
 * An expression ("cron(0 12 ? * MON-FRI *)", "rate(5 minutes)",
 * "at(2026-03-08T02:30:00)") and an IANA time zone compile into an
 * immutable `struct sched_expr` (sched_parse). From it: the next fire time
 * strictly after any instant (sched_next), and the bookkeeping a scheduler
 * needs around each fire: its deterministic execution name
 * (sched_exec_name), its flexible-window offset (sched_flex_offset), and
 * what is due at a given moment (sched_due), computed from the last fire
 * time the caller stored and the clock, so that a restart, a second node or
 * a clock jump never starts a fire twice nor loses one beyond the policy.
 *
 * Times are int64_t seconds since the Unix epoch, UTC. Fire times are whole
 * minutes for cron and whole seconds for rate and at. SCHED_NONE means "no
 * such time" (no further fire, no bound).
 *
 * Time zones: an expression is evaluated on the zone's wall clock
 * (ScheduleExpressionTimezone, default UTC). Daylight saving as EventBridge
 * Scheduler documents it: a cron fire time that does not exist (the
 * spring-forward gap) is skipped; one that exists twice (the fall-back
 * overlap) fires once, at its first occurrence. at() in a gap fires when
 * the wall clock has moved forward past it (the same UTC instant as the
 * wall time read with the offset before the gap). rate() counts elapsed
 * time (24 hours a day), not the wall clock.
 *
 * Ownership: sched_parse returns an object the caller frees with
 * sched_free (NULL accepted). Strings passed in are borrowed.
 * Thread-safety: a compiled expression is immutable and may be used from
 * any number of threads at once. Zones are loaded once into a bounded,
 * mutex-protected cache shared by the process (no TZ variable, no
 * localtime); every other function is pure. */
#ifndef TUTTI_SCHEDULER_H
#define TUTTI_SCHEDULER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SCHED_NONE           INT64_MIN
#define SCHED_EXPR_MAX       256    /* ScheduleExpression's length limit */
#define SCHED_TZ_NAME_MAX    128    /* a zone name's length */
#define SCHED_WINDOW_MAX     1440   /* MaximumWindowInMinutes */
#define SCHED_EXEC_NAME_MAX  80     /* an execution name's length (Step Functions) */
#define SCHED_GRACE_DEFAULT  60     /* seconds late a fire still counts as on time */
#define SCHED_DUE_MAX        16     /* fires sched_due returns in one call */
#define SCHED_YEAR_MIN       1970
#define SCHED_YEAR_MAX       2199

enum sched_kind { SCHED_CRON, SCHED_RATE, SCHED_AT };

struct sched_expr;

/* Compile `expr` evaluated in zone `tz` (NULL or "": UTC). NULL on error,
 * with e set to ValidationException and a message that quotes the
 * expression and locates the problem:
 *   "cron(0 12 * * * *): field 5 (day-of-week): one of day-of-month and
 *    day-of-week must be '?' (column 15)"
 * (columns count from 1 in the whole expression) or names the zone
 * ("unknown time zone 'Mars/Base'"). */
struct sched_expr *sched_parse(const char *expr, const char *tz, struct err *e);
void sched_free(struct sched_expr *x);

enum sched_kind sched_kind(const struct sched_expr *x);
/* The zone's canonical name as given ("UTC" when none). Borrowed. */
const char *sched_tz_name(const struct sched_expr *x);
/* rate(): the period in seconds; 0 for cron and at. */
int64_t sched_rate_period(const struct sched_expr *x);

/* The first fire time strictly after `after`, or SCHED_NONE (an at() time
 * that has passed; a cron expression whose years are over; nothing before
 * the end of 2199). `anchor` matters for rate() only: fires are at
 * anchor + k * period, k >= 0 (the schedule's StartDate, or its creation
 * time); SCHED_NONE there means the epoch. */
int64_t sched_next(const struct sched_expr *x, int64_t anchor, int64_t after);

/* The execution name of one fire: "<name>-<YYYYMMDDTHHMMSSZ>" with the fire
 * time in UTC, at most SCHED_EXEC_NAME_MAX characters, only [A-Za-z0-9_-].
 * When the schedule's name had to be shortened or had other characters
 * (replaced by '_'), "-<8 hex digits>" of a hash of the whole name follows
 * it, so two schedules never share a name. out needs
 * SCHED_EXEC_NAME_MAX + 1 bytes; returns the length. */
#define SCHED_EXEC_NAME_SIZE (SCHED_EXEC_NAME_MAX + 1)
size_t sched_exec_name(const char *sched_name, int64_t fire, char out[SCHED_EXEC_NAME_SIZE]);

/* The flexible time window's offset of one fire: seconds in
 * [0, window_min * 60), a hash of the schedule's name and the fire time (the
 * same on every node and after every restart). 0 when window_min is 0
 * (Mode OFF). window_min above SCHED_WINDOW_MAX counts as the maximum. */
int64_t sched_flex_offset(const char *sched_name, int64_t fire, unsigned window_min);

/* What happens to fires that were due while the scheduler was not running
 * (or the clock jumped forward past them). EventBridge does not backfill:
 * SKIP is the default. ONCE runs the latest missed fire once. */
enum sched_missed { SCHED_MISSED_SKIP, SCHED_MISSED_ONCE };

/* A schedule's settings around its expression. */
struct sched_opts {
	const char *name;          /* the schedule's name: flexible-window offsets */
	int64_t anchor;            /* rate(): StartDate or creation time */
	int64_t start, end;        /* fires f with start <= f < end; SCHED_NONE: unbounded */
	unsigned window_min;       /* flexible time window, 0 (OFF) or 1..1440 */
	enum sched_missed missed;
	unsigned grace_s;          /* 0: SCHED_GRACE_DEFAULT */
};

/* When a fire actually starts: its nominal time plus its offset, but never
 * before an earlier fire's start (fires start in order of their nominal
 * times, so a fire whose offset would put it before an earlier fire's start
 * waits for it). fire itself when the window is OFF. */
int64_t sched_fire_start(const struct sched_expr *x, const struct sched_opts *o, int64_t fire);

struct sched_due {
	size_t nrun;
	int64_t run[SCHED_DUE_MAX]; /* nominal fire times to start now, ascending */
	uint64_t nmissed;           /* fires passed over (missed, not run); counted up to 100000 */
	int64_t last_missed;        /* the latest of them, or SCHED_NONE */
	int64_t last;               /* what the caller stores as its last fire time */
	int64_t next;               /* the next nominal fire after `last`, or SCHED_NONE */
	int64_t wake;               /* when to call again: next's start (sched_fire_start) */
	bool done;                  /* no fire will ever come again (ActionAfterCompletion) */
};

/* What to do at `now`, given `last`: the latest nominal fire time handled
 * (run or passed over), as stored by the caller. For a schedule that never
 * fired, pass the second before its creation (a rate() schedule without a
 * StartDate then fires at once, at its anchor, as on AWS), or SCHED_NONE
 * (start - 1, or now - 1 without a start).
 *
 * Fires are taken in order of their nominal times f > last, f < end,
 * f >= start. One whose start time (sched_fire_start) is later than now is
 * pending: it is `next`, and nothing after it is looked at. One that
 * started within grace_s seconds before now is run; one older than that is
 * missed: passed over (SKIP), or, when nothing was run, the latest missed
 * one is run (ONCE). The caller starts out->run[] (their names:
 * sched_exec_name, which makes a second start of one fire harmless), then
 * stores out->last. Because everything is computed from (last, now) and
 * last only grows, a clock that jumps backwards fires nothing twice, and
 * one that jumps forwards is a stretch of downtime (the missed policy).
 * Cost: bounded (the missed stretch is skipped by search, not by walking
 * it); with more than SCHED_DUE_MAX fires on time, the rest waits for the
 * next call (wake = now). */
void sched_due(const struct sched_expr *x, const struct sched_opts *o, int64_t last, int64_t now,
	       struct sched_due *out);

/* "2026-12-07T12:00:00Z" into out[21]; returns out. Years 0-9999. */
#define SCHED_ISO_SIZE 21
char *sched_format_utc(int64_t t, char out[SCHED_ISO_SIZE]);

/* Parse an ISO-8601 instant: YYYY-MM-DD, or YYYY-MM-DDThh:mm[:ss] followed
 * by Z, +hh:mm, -hh:mm, +hhmm or nothing. Without an offset the wall time
 * is read in `x`'s zone (x NULL: UTC), with a gap or overlap resolved as
 * for at(). 0, or -1 with e set (InvalidParameterValueException). */
int sched_parse_time(const char *s, const struct sched_expr *x, int64_t *out, struct err *e);

#endif
