/* scheduler/: cron, rate and at fire times (UTC and zones with daylight
 * saving), every error with its location, the TZif and POSIX TZ readers,
 * execution names, flexible-window offsets, and what is due on a fake clock
 * (downtime, clocks jumping both ways). Zone cases need tzdata: without
 * /usr/share/zoneinfo they are reported and the program exits 77 (SKIP). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sched_int.h"
#include "scheduler.h"

static bool have_tzdata(void)
{
	return access("/usr/share/zoneinfo/America/New_York", R_OK) == 0;
}

static int64_t iso(const char *s)
{
	struct err e = { 0 };
	int64_t t = 0;

	ck_assert_msg(!sched_parse_time(s, NULL, &t, &e), "%s: %s", s, e.msg);
	return t;
}

/* The next n fire times after `from`, space-separated (rate: anchored at from). */
static const char *next_n(const char *expr, const char *tz, const char *from, int n)
{
	static char out[4096];
	struct err e = { 0 };
	struct sched_expr *x = sched_parse(expr, tz, &e);
	char buf[SCHED_ISO_SIZE];
	int64_t t, f;
	size_t w = 0;

	ck_assert_msg(x, "%s: %s", expr, e.msg);
	f = t = iso(from);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		t = sched_next(x, f, t);
		if (t == SCHED_NONE) {
			w += (size_t)snprintf(out + w, sizeof out - w, "%sNONE", w ? " " : "");
			break;
		}
		w += (size_t)snprintf(out + w, sizeof out - w, "%s%s", w ? " " : "", sched_format_utc(t, buf));
	}
	sched_free(x);
	return out;
}

static const struct {
	const char *expr, *from;
	int n;
	const char *want;
} utc_cases[] = {
	{ "cron(0 12 * * ? *)", "2026-12-05T00:00:00Z", 3,
	  "2026-12-05T12:00:00Z 2026-12-06T12:00:00Z 2026-12-07T12:00:00Z" },
	/* strictly after: a fire at `from` itself is not listed */
	{ "cron(0 12 * * ? *)", "2026-12-05T12:00:00Z", 1, "2026-12-06T12:00:00Z" },
	{ "cron(0/15 * * * ? *)", "2026-01-01T00:00:00Z", 3,
	  "2026-01-01T00:15:00Z 2026-01-01T00:30:00Z 2026-01-01T00:45:00Z" },
	{ "cron(1/10 * * * ? *)", "2026-01-01T00:55:00Z", 3,
	  "2026-01-01T01:01:00Z 2026-01-01T01:11:00Z 2026-01-01T01:21:00Z" },
	{ "cron(*/20 8-9 * * ? *)", "2026-01-01T00:00:00Z", 4,
	  "2026-01-01T08:00:00Z 2026-01-01T08:20:00Z 2026-01-01T08:40:00Z 2026-01-01T09:00:00Z" },
	{ "cron(5,10 1-2 * * ? *)", "2026-01-01T00:00:00Z", 5,
	  "2026-01-01T01:05:00Z 2026-01-01T01:10:00Z 2026-01-01T02:05:00Z 2026-01-01T02:10:00Z "
	  "2026-01-02T01:05:00Z" },
	{ "cron(0 22-1 * * ? *)", "2026-01-01T21:00:00Z", 5,
	  "2026-01-01T22:00:00Z 2026-01-01T23:00:00Z 2026-01-02T00:00:00Z 2026-01-02T01:00:00Z "
	  "2026-01-02T22:00:00Z" },
	/* 2026-01-01 is a Thursday */
	{ "cron(0 10 ? * MON-FRI *)", "2026-01-01T12:00:00Z", 3,
	  "2026-01-02T10:00:00Z 2026-01-05T10:00:00Z 2026-01-06T10:00:00Z" },
	{ "cron(0 10 ? * 2-6 *)", "2026-01-01T12:00:00Z", 3,
	  "2026-01-02T10:00:00Z 2026-01-05T10:00:00Z 2026-01-06T10:00:00Z" },
	{ "cron(0 0 ? * fri-mon *)", "2026-01-01T12:00:00Z", 5,
	  "2026-01-02T00:00:00Z 2026-01-03T00:00:00Z 2026-01-04T00:00:00Z 2026-01-05T00:00:00Z "
	  "2026-01-09T00:00:00Z" },
	{ "cron(0 0 ? * SUN,SAT *)", "2026-01-01T00:00:00Z", 3,
	  "2026-01-03T00:00:00Z 2026-01-04T00:00:00Z 2026-01-10T00:00:00Z" },
	{ "cron(0 0 1 JAN,JUL ? *)", "2026-01-01T00:00:00Z", 3,
	  "2026-07-01T00:00:00Z 2027-01-01T00:00:00Z 2027-07-01T00:00:00Z" },
	{ "cron(0 0 1 1/4 ? *)", "2026-01-01T00:00:00Z", 3,
	  "2026-05-01T00:00:00Z 2026-09-01T00:00:00Z 2027-01-01T00:00:00Z" },
	{ "cron(0 0 31 * ? *)", "2026-01-31T00:00:00Z", 3,
	  "2026-03-31T00:00:00Z 2026-05-31T00:00:00Z 2026-07-31T00:00:00Z" },
	/* L: the last day of the month */
	{ "cron(0 0 L * ? *)", "2026-01-01T00:00:00Z", 4,
	  "2026-01-31T00:00:00Z 2026-02-28T00:00:00Z 2026-03-31T00:00:00Z 2026-04-30T00:00:00Z" },
	{ "cron(0 0 L 2 ? *)", "2027-03-01T00:00:00Z", 2, "2028-02-29T00:00:00Z 2029-02-28T00:00:00Z" },
	/* W: 2026-08-01 is a Saturday: Monday the 3rd, never July 31 */
	{ "cron(0 9 1W * ? *)", "2026-07-15T00:00:00Z", 2, "2026-08-03T09:00:00Z 2026-09-01T09:00:00Z" },
	/* 15W: 2026-08-15 Saturday -> Friday 14; 2026-11-15 Sunday -> Monday 16 */
	{ "cron(0 9 15W 8,11 ? *)", "2026-01-01T00:00:00Z", 2, "2026-08-14T09:00:00Z 2026-11-16T09:00:00Z" },
	/* 31W and LW: 2026-05-31 is a Sunday -> Friday 29, never June 1 */
	{ "cron(0 9 31W * ? *)", "2026-04-01T00:00:00Z", 2, "2026-05-29T09:00:00Z 2026-07-31T09:00:00Z" },
	{ "cron(0 9 LW * ? *)", "2026-05-01T00:00:00Z", 2, "2026-05-29T09:00:00Z 2026-06-30T09:00:00Z" },
	/* 2027-02-28 is a Sunday: LW -> Friday 26 */
	{ "cron(0 9 LW 2 ? *)", "2027-01-01T00:00:00Z", 1, "2027-02-26T09:00:00Z" },
	/* 5L: the last Thursday; L alone: Saturday */
	{ "cron(0 12 ? * 5L *)", "2026-01-01T00:00:00Z", 3,
	  "2026-01-29T12:00:00Z 2026-02-26T12:00:00Z 2026-03-26T12:00:00Z" },
	{ "cron(0 12 ? * THUL *)", "2026-01-01T00:00:00Z", 1, "2026-01-29T12:00:00Z" },
	{ "cron(0 12 ? * L *)", "2026-01-01T00:00:00Z", 2, "2026-01-03T12:00:00Z 2026-01-10T12:00:00Z" },
	/* #: the second Tuesday; a fifth Monday skips the months without one */
	{ "cron(0 12 ? * 3#2 *)", "2026-01-01T00:00:00Z", 3,
	  "2026-01-13T12:00:00Z 2026-02-10T12:00:00Z 2026-03-10T12:00:00Z" },
	{ "cron(0 12 ? * TUE#2 *)", "2026-01-01T00:00:00Z", 1, "2026-01-13T12:00:00Z" },
	{ "cron(0 12 ? * 2#5 *)", "2026-01-01T00:00:00Z", 2, "2026-03-30T12:00:00Z 2026-06-29T12:00:00Z" },
	/* February 29: every 4 years, and 2100 is not a leap year */
	{ "cron(0 0 29 2 ? *)", "2026-01-01T00:00:00Z", 3,
	  "2028-02-29T00:00:00Z 2032-02-29T00:00:00Z 2036-02-29T00:00:00Z" },
	{ "cron(0 0 29 2 ? *)", "2096-03-01T00:00:00Z", 2, "2104-02-29T00:00:00Z 2108-02-29T00:00:00Z" },
	{ "cron(0 0 30 2 ? *)", "2026-01-01T00:00:00Z", 1, "NONE" },
	/* years */
	{ "cron(0 0 1 1 ? 2199)", "2198-06-01T00:00:00Z", 2, "2199-01-01T00:00:00Z NONE" },
	{ "cron(59 23 31 12 ? *)", "2199-12-31T23:58:00Z", 2, "2199-12-31T23:59:00Z NONE" },
	{ "cron(0 0 1 1 ? 1970-1971)", "2026-01-01T00:00:00Z", 1, "NONE" },
	{ "cron(0 0 1 1 ? 2030/10)", "2026-01-01T00:00:00Z", 3,
	  "2030-01-01T00:00:00Z 2040-01-01T00:00:00Z 2050-01-01T00:00:00Z" },
	{ "cron(0 0 1 1 ? 2027,2029-2030)", "2026-01-01T00:00:00Z", 4,
	  "2027-01-01T00:00:00Z 2029-01-01T00:00:00Z 2030-01-01T00:00:00Z NONE" },
	{ "cron(0 0 1 1 ? *)", "1960-01-01T00:00:00Z", 1, "1970-01-01T00:00:00Z" },
	/* rate: from the anchor (here --from) */
	{ "rate(5 minutes)", "2026-01-01T00:00:00Z", 3,
	  "2026-01-01T00:05:00Z 2026-01-01T00:10:00Z 2026-01-01T00:15:00Z" },
	{ "rate(1 minute)", "2026-01-01T00:00:30Z", 2, "2026-01-01T00:01:30Z 2026-01-01T00:02:30Z" },
	{ "rate(1 hour)", "2026-01-01T00:10:00Z", 2, "2026-01-01T01:10:00Z 2026-01-01T02:10:00Z" },
	{ "rate(2 days)", "2026-01-01T00:00:00Z", 2, "2026-01-03T00:00:00Z 2026-01-05T00:00:00Z" },
	/* at */
	{ "at(2026-07-01T09:00:00)", "2026-01-01T00:00:00Z", 2, "2026-07-01T09:00:00Z NONE" },
	{ "at(2026-07-01T09:00:00)", "2026-07-01T09:00:00Z", 1, "NONE" },
};

START_TEST(test_utc_table)
{
	size_t i;

	for (i = 0; i < sizeof utc_cases / sizeof *utc_cases; i++)
		ck_assert_msg(!strcmp(next_n(utc_cases[i].expr, NULL, utc_cases[i].from, utc_cases[i].n),
				      utc_cases[i].want),
			      "%s from %s: got %s, want %s", utc_cases[i].expr, utc_cases[i].from,
			      next_n(utc_cases[i].expr, NULL, utc_cases[i].from, utc_cases[i].n), utc_cases[i].want);
}
END_TEST

static const struct {
	const char *expr, *tz, *from;
	int n;
	const char *want;
} tz_cases[] = {
	/* New York, 2026-03-08: 02:00 EST -> 03:00 EDT. 02:30 does not exist: skipped. */
	{ "cron(30 2 * * ? *)", "America/New_York", "2026-03-07T00:00:00Z", 3,
	  "2026-03-07T07:30:00Z 2026-03-09T06:30:00Z 2026-03-10T06:30:00Z" },
	{ "cron(0/30 * * * ? *)", "America/New_York", "2026-03-08T06:15:00Z", 3,
	  "2026-03-08T06:30:00Z 2026-03-08T07:00:00Z 2026-03-08T07:30:00Z" },
	/* 2026-11-01: 02:00 EDT -> 01:00 EST. 01:30 happens twice: fires once, the first time. */
	{ "cron(30 1 * * ? *)", "America/New_York", "2026-10-31T12:00:00Z", 2,
	  "2026-11-01T05:30:00Z 2026-11-02T06:30:00Z" },
	{ "cron(0/30 * * * ? *)", "America/New_York", "2026-11-01T04:45:00Z", 4,
	  "2026-11-01T05:00:00Z 2026-11-01T05:30:00Z 2026-11-01T07:00:00Z 2026-11-01T07:30:00Z" },
	/* from inside the second pass of the overlap: nothing repeats */
	{ "cron(0/30 * * * ? *)", "America/New_York", "2026-11-01T06:10:00Z", 1, "2026-11-01T07:00:00Z" },
	{ "cron(0 12 ? * MON *)", "America/New_York", "2026-03-01T00:00:00Z", 2,
	  "2026-03-02T17:00:00Z 2026-03-09T16:00:00Z" },
	/* London, 2026-03-29: 01:00 GMT -> 02:00 BST */
	{ "cron(30 1 * * ? *)", "Europe/London", "2026-03-28T00:00:00Z", 2,
	  "2026-03-28T01:30:00Z 2026-03-30T00:30:00Z" },
	/* Lord Howe: +10:30, half an hour of daylight saving (+11). 2026-10-04 02:00 -> 02:30 */
	{ "cron(15 2 * * ? *)", "Australia/Lord_Howe", "2026-10-02T00:00:00Z", 2,
	  "2026-10-02T15:45:00Z 2026-10-04T15:15:00Z" },
	/* 2026-04-05 02:00 -> 01:30: 01:45 twice, fires at the first */
	{ "cron(45 1 * * ? *)", "Australia/Lord_Howe", "2026-04-03T00:00:00Z", 3,
	  "2026-04-03T14:45:00Z 2026-04-04T14:45:00Z 2026-04-05T15:15:00Z" },
	/* beyond the file's table: the POSIX rule (2150-03-08 second Sunday) */
	{ "cron(0 12 9 3 ? 2150)", "America/New_York", "2026-01-01T00:00:00Z", 1, "2150-03-09T16:00:00Z" },
	{ "cron(30 2 8 3 ? 2150)", "America/New_York", "2026-01-01T00:00:00Z", 1, "NONE" },
	/* at in a zone; at in the gap fires once the clock passed it */
	{ "at(2026-07-01T09:00:00)", "Europe/Berlin", "2026-01-01T00:00:00Z", 1, "2026-07-01T07:00:00Z" },
	{ "at(2026-03-08T02:30:00)", "America/New_York", "2026-01-01T00:00:00Z", 1, "2026-03-08T07:30:00Z" },
	{ "at(2026-11-01T01:30:00)", "America/New_York", "2026-01-01T00:00:00Z", 1, "2026-11-01T05:30:00Z" },
	/* rate counts elapsed time, not the wall clock */
	{ "rate(1 day)", "America/New_York", "2026-03-07T12:00:00Z", 2, "2026-03-08T12:00:00Z 2026-03-09T12:00:00Z" },
	{ "cron(0 12 * * ? *)", "Etc/UTC", "2026-12-05T00:00:00Z", 1, "2026-12-05T12:00:00Z" },
	{ "cron(0 12 * * ? *)", "Asia/Kolkata", "2026-12-05T00:00:00Z", 1, "2026-12-05T06:30:00Z" },
};

START_TEST(test_tz_table)
{
	size_t i;

	if (!have_tzdata())
		return;
	for (i = 0; i < sizeof tz_cases / sizeof *tz_cases; i++) {
		const char *got = next_n(tz_cases[i].expr, tz_cases[i].tz, tz_cases[i].from, tz_cases[i].n);

		ck_assert_msg(!strcmp(got, tz_cases[i].want), "%s in %s from %s: got %s, want %s", tz_cases[i].expr,
			      tz_cases[i].tz, tz_cases[i].from, got, tz_cases[i].want);
	}
}
END_TEST

/* Every error: its full message (the expression, the field, the column). */
static const struct {
	const char *expr, *msg;
} errors[] = {
	{ "cron(0 12 * * * *)",
	  "cron(0 12 * * * *): field 5 (day-of-week): one of day-of-month and day-of-week must be '?' (column 15)" },
	{ "cron(0 12 ? * ? *)",
	  "cron(0 12 ? * ? *): field 5 (day-of-week): day-of-month and day-of-week cannot both be '?' (column 15)" },
	{ "cron(60 12 * * ? *)", "cron(60 12 * * ? *): field 1 (minutes): value 60 is out of range 0-59 (column 6)" },
	{ "cron(0 24 * * ? *)", "cron(0 24 * * ? *): field 2 (hours): value 24 is out of range 0-23 (column 8)" },
	{ "cron(0 12 0 * ? *)", "cron(0 12 0 * ? *): field 3 (day-of-month): value 0 is out of range 1-31 (column 11)" },
	{ "cron(0 12 * 13 ? *)", "cron(0 12 * 13 ? *): field 4 (month): value 13 is out of range 1-12 (column 13)" },
	{ "cron(0 12 ? * 0 *)", "cron(0 12 ? * 0 *): field 5 (day-of-week): value 0 is out of range 1-7 (column 15)" },
	{ "cron(0 12 ? * 8 *)", "cron(0 12 ? * 8 *): field 5 (day-of-week): value 8 is out of range 1-7 (column 15)" },
	{ "cron(0 12 * * ? 1969)",
	  "cron(0 12 * * ? 1969): field 6 (year): value 1969 is out of range 1970-2199 (column 17)" },
	{ "cron(0 12 * * ? 2200)",
	  "cron(0 12 * * ? 2200): field 6 (year): value 2200 is out of range 1970-2199 (column 17)" },
	{ "cron(0 12 * * ?)", "cron(0 12 * * ?): 5 fields, cron takes 6 (minutes hours day-of-month month "
			      "day-of-week year); field 6 (year) is missing (column 16)" },
	{ "cron(0 12 * * ? * *)", "cron(0 12 * * ? * *): more than 6 fields (minutes hours day-of-month month "
				  "day-of-week year) (column 19)" },
	{ "cron(0 12 * FOO ? *)", "cron(0 12 * FOO ? *): field 4 (month): 'FOO' is not a month name (JAN-DEC) (column 13)" },
	{ "cron(0 12 ? * MONDAY *)", "cron(0 12 ? * MONDAY *): field 5 (day-of-week): unexpected 'D' (column 18)" },
	{ "cron(0 12 L,1 * ? *)", "cron(0 12 L,1 * ? *): field 3 (day-of-month): 'L' cannot be used in a list (column 11)" },
	{ "cron(0 12 ? * 3#1,6#3 *)",
	  "cron(0 12 ? * 3#1,6#3 *): field 5 (day-of-week): '#' cannot be used in a list (column 16)" },
	{ "cron(0 12 ? * 3#6 *)", "cron(0 12 ? * 3#6 *): field 5 (day-of-week): '#' must be followed by a week 1-5 "
				  "(3#2: the second Tuesday) (column 17)" },
	{ "cron(0 12 W * ? *)",
	  "cron(0 12 W * ? *): field 3 (day-of-month): 'W' must be L, LW or a day followed by W (15W) (column 11)" },
	{ "cron(*/0 * * * ? *)", "cron(*/0 * * * ? *): field 1 (minutes): increment 0 is out of range 1-59 (column 8)" },
	{ "cron(*/60 * * * ? *)",
	  "cron(*/60 * * * ? *): field 1 (minutes): increment 60 is out of range 1-59 (column 8)" },
	{ "cron(0 12 ? * 1/2 *)", "cron(0 12 ? * 1/2 *): field 5 (day-of-week): '/' is not allowed in day-of-week (column 16)" },
	{ "cron(0 L * * ? *)", "cron(0 L * * ? *): field 2 (hours): 'L' is not allowed in hours (column 8)" },
	{ "cron(0 12 ? * 1W *)", "cron(0 12 ? * 1W *): field 5 (day-of-week): unexpected 'W' (column 16)" },
	{ "cron(0 12 1#2 * ? *)",
	  "cron(0 12 1#2 * ? *): field 3 (day-of-month): '#' is not allowed in day-of-month (column 12)" },
	{ "cron(0 12 1,,2 * ? *)", "cron(0 12 1,,2 * ? *): field 3 (day-of-month): empty list item before ',' (column 13)" },
	{ "cron(0 12 1, * ? *)", "cron(0 12 1, * ? *): field 3 (day-of-month): empty list item after ',' (column 13)" },
	{ "cron(0 12 * * ?? *)", "cron(0 12 * * ?? *): field 5 (day-of-week): '?' must be the whole field (column 15)" },
	{ "cron(0 ? * * ? *)", "cron(0 ? * * ? *): field 2 (hours): '?' is not allowed in hours (column 8)" },
	{ "cron(0 12 * * ? 2030-2020)",
	  "cron(0 12 * * ? 2030-2020): field 6 (year): range 2030-2020 ends before it starts (column 22)" },
	{ "cron(a 12 * * ? *)", "cron(a 12 * * ? *): field 1 (minutes): unexpected 'a' (minutes takes numbers) (column 6)" },
	{ "cron(0 12 * JAN ? *)x", "cron(0 12 * JAN ? *)x: unexpected 'x' after ')' (column 21)" },
	{ "cron(0 12 * * ? *", "cron(0 12 * * ? *: missing ')' at the end (column 18)" },
	{ "rate(1 minutes)", "rate(1 minutes): the value 1 takes the singular unit 'minute' (column 8)" },
	{ "rate(5 minute)", "rate(5 minute): a value above 1 takes the plural unit 'minutes' (column 8)" },
	{ "rate(2 hour)", "rate(2 hour): a value above 1 takes the plural unit 'hours' (column 8)" },
	{ "rate(1 days)", "rate(1 days): the value 1 takes the singular unit 'day' (column 8)" },
	{ "rate(0 minutes)", "rate(0 minutes): the value must be positive (column 6)" },
	{ "rate(5 weeks)", "rate(5 weeks): unknown unit 'weeks': minute(s), hour(s) or day(s) (column 8)" },
	{ "rate(-5 minutes)",
	  "rate(-5 minutes): rate takes a positive whole number then a unit: rate(5 minutes) (column 6)" },
	{ "rate(5)", "rate(5): a space and a unit (minutes, hours, days) must follow the value (column 7)" },
	{ "rate(5 minutes now)", "rate(5 minutes now): unexpected 'n' after the unit (column 16)" },
	{ "rate(99999999999 days)", "rate(99999999999 days): the value is too large (column 6)" },
	{ "at(2026-02-30T00:00:00)", "at(2026-02-30T00:00:00): at takes a date and time yyyy-mm-ddThh:mm:ss (column 12)" },
	{ "at(2026-01-01 00:00:00)", "at(2026-01-01 00:00:00): at takes a date and time yyyy-mm-ddThh:mm:ss (column 14)" },
	{ "at(2026-01-01T24:00:00)", "at(2026-01-01T24:00:00): at takes a date and time yyyy-mm-ddThh:mm:ss (column 15)" },
	{ "at(2026-01-01T00:00)", "at(2026-01-01T00:00): at takes a date and time yyyy-mm-ddThh:mm:ss (column 20)" },
	{ "every(5 minutes)", "every(5 minutes): 'every' is not cron, rate or at (column 1)" },
	{ "0 12 * * ? *", "'0 12 * * ? *': expected cron(fields), rate(value unit) or at(yyyy-mm-ddThh:mm:ss)" },
	{ "", "'': expected cron(fields), rate(value unit) or at(yyyy-mm-ddThh:mm:ss)" },
	{ "cron(0 12 * * ? *\x1b)", "schedule expression: byte 0x1b is not printable ASCII (column 18)" },
};

START_TEST(test_errors)
{
	size_t i;

	for (i = 0; i < sizeof errors / sizeof *errors; i++) {
		struct err e = { 0 };
		struct sched_expr *x = sched_parse(errors[i].expr, NULL, &e);

		ck_assert_msg(!x, "%s: accepted", errors[i].expr);
		ck_assert_str_eq(e.type, "ValidationException");
		ck_assert_msg(!strcmp(e.msg, errors[i].msg), "%s:\n got  %s\n want %s", errors[i].expr, e.msg,
			      errors[i].msg);
	}
}
END_TEST

START_TEST(test_limits_and_zone_names)
{
	char big[SCHED_EXPR_MAX + 8];
	struct err e = { 0 };

	memset(big, ' ', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_ptr_null(sched_parse(big, NULL, &e));
	ck_assert_str_eq(e.msg, "schedule expression is longer than 256 characters");
	ck_assert_ptr_null(sched_parse("cron(0 12 * * ? *)", "../../etc/passwd", &e));
	ck_assert_str_eq(e.msg, "time zone '../../etc/passwd': '..' is not allowed in a zone name");
	ck_assert_ptr_null(sched_parse("cron(0 12 * * ? *)", "/etc/localtime", &e));
	ck_assert_str_eq(e.msg, "time zone '/etc/localtime': must be a name (America/New_York), not a path");
	ck_assert_ptr_null(sched_parse("cron(0 12 * * ? *)", "Europe/Par is", &e));
	ck_assert_str_eq(e.msg, "time zone 'Europe/Par is': character 11 is not allowed in a zone name");
	/* UTC is built in: no file needed */
	struct sched_expr *x = sched_parse("rate(1 hour)", "UTC", &e);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(sched_tz_name(x), "UTC");
	ck_assert_int_eq(sched_kind(x), SCHED_RATE);
	ck_assert_int_eq(sched_rate_period(x), 3600);
	sched_free(x);
	sched_free(NULL);
	if (!have_tzdata())
		return;
	ck_assert_ptr_null(sched_parse("cron(0 12 * * ? *)", "Mars/Olympus_Mons", &e));
	ck_assert_str_eq(e.msg, "unknown time zone 'Mars/Olympus_Mons'");
	ck_assert_ptr_null(sched_parse("cron(0 12 * * ? *)", "America", &e));
	ck_assert_str_eq(e.msg, "unknown time zone 'America'");
	if (access("/usr/share/zoneinfo/right/UTC", R_OK) == 0) {
		ck_assert_ptr_null(sched_parse("cron(0 12 * * ? *)", "right/UTC", &e));
		ck_assert_str_eq(e.msg, "time zone 'right/UTC' counts leap seconds (a right/ zone): not supported");
	}
	/* the cache gives the same zone twice; more zones than it holds still work */
	{
		struct err e2 = { 0 };
		const struct sched_tz *a = sched_tz_get("Europe/Paris", &e2), *b = sched_tz_get("Europe/Paris", &e2);
		static const char *const zones[] = { "Africa/Abidjan", "Africa/Accra", "Africa/Cairo",
			"Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi", "America/Anchorage",
			"America/Bogota", "America/Chicago", "America/Denver", "America/Halifax", "America/Lima",
			"America/Los_Angeles", "America/Mexico_City", "America/Phoenix", "America/Santiago",
			"America/Sao_Paulo", "America/St_Johns", "America/Toronto", "America/Vancouver",
			"Asia/Bangkok", "Asia/Dubai", "Asia/Hong_Kong", "Asia/Jakarta", "Asia/Jerusalem",
			"Asia/Karachi", "Asia/Kathmandu", "Asia/Manila", "Asia/Seoul", "Asia/Shanghai",
			"Asia/Singapore", "Asia/Tehran", "Asia/Tokyo", "Atlantic/Azores", "Atlantic/Reykjavik",
			"Australia/Adelaide", "Australia/Brisbane", "Australia/Darwin", "Australia/Perth",
			"Australia/Sydney", "Europe/Amsterdam", "Europe/Athens", "Europe/Berlin", "Europe/Dublin",
			"Europe/Helsinki", "Europe/Istanbul", "Europe/Lisbon", "Europe/Madrid", "Europe/Moscow",
			"Europe/Rome", "Europe/Stockholm", "Europe/Vienna", "Europe/Warsaw", "Europe/Zurich",
			"Pacific/Auckland", "Pacific/Chatham", "Pacific/Honolulu", "Pacific/Kiritimati",
			"Pacific/Apia", "Pacific/Fiji", "Pacific/Guam", "Pacific/Tongatapu", "Indian/Maldives",
			"Indian/Mauritius", "Asia/Kolkata", "Asia/Colombo", "Asia/Yangon", "Asia/Kabul" };

		ck_assert_ptr_nonnull(a);
		ck_assert_ptr_eq(a, b);
		for (size_t i = 0; i < sizeof zones / sizeof *zones; i++) {
			const struct sched_tz *z = sched_tz_get(zones[i], &e2);

			ck_assert_msg(z, "%s: %s", zones[i], e2.msg);
			sched_tz_release(z);
		}
		/* beyond the cache: still right (Kathmandu is +05:45) */
		x = sched_parse("cron(0 12 * * ? *)", "Asia/Kathmandu", &e2);
		ck_assert_ptr_nonnull(x);
		ck_assert_int_eq(sched_next(x, 0, iso("2026-01-01T00:00:00Z")), iso("2026-01-01T06:15:00Z"));
		sched_free(x);
	}
}
END_TEST

START_TEST(test_tzif_and_posix)
{
	struct tz_posix p;
	struct err e = { 0 };
	static const unsigned char junk[] = "TZif2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\xff\xff\xff\xff";
	unsigned char *buf;
	FILE *f;
	size_t n, cut;

	ck_assert_int_eq(sched_tz_posix_parse("EST5EDT,M3.2.0,M11.1.0", &p), 0);
	ck_assert(p.dst);
	ck_assert_int_eq(p.std_off, -5 * 3600);
	ck_assert_int_eq(p.dst_off, -4 * 3600);
	ck_assert_int_eq(p.start.m, 3);
	ck_assert_int_eq(p.start.w, 2);
	ck_assert_int_eq(p.start.time, 7200);
	ck_assert_int_eq(sched_tz_posix_parse("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0", &p), 0);
	ck_assert_int_eq(p.std_off, 37800);
	ck_assert_int_eq(p.dst_off, 39600);
	ck_assert_int_eq(sched_tz_posix_parse("IST-2IDT,M3.4.4/26,M10.5.0", &p), 0);
	ck_assert_int_eq(p.start.time, 26 * 3600);
	ck_assert_int_eq(sched_tz_posix_parse("<-03>3", &p), 0);
	ck_assert(!p.dst);
	ck_assert_int_eq(p.std_off, -3 * 3600);
	ck_assert_int_eq(sched_tz_posix_parse("EST5EDT,J60/1,300", &p), 0);
	ck_assert_int_eq(p.start.kind, 'J');
	ck_assert_int_eq(p.end.kind, 'D');
	ck_assert_int_eq(sched_tz_posix_parse("EST", &p), -1);
	ck_assert_int_eq(sched_tz_posix_parse("EST5EDT,M13.1.0,M11.1.0", &p), -1);
	ck_assert_int_eq(sched_tz_posix_parse("EST5EDT,M3.2.0", &p), -1);
	ck_assert_int_eq(sched_tz_posix_parse("<+1030-10:30", &p), -1);

	ck_assert_ptr_null(sched_tz_from_tzif("junk", junk, sizeof junk - 1, &e));
	ck_assert_str_eq(e.msg, "time zone 'junk': not a valid TZif file");
	if (!have_tzdata())
		return;
	/* every truncation of a real file is refused or read, never a crash */
	f = fopen("/usr/share/zoneinfo/America/New_York", "rb");
	ck_assert_ptr_nonnull(f);
	buf = malloc(SCHED_TZ_FILE_MAX);
	n = fread(buf, 1, SCHED_TZ_FILE_MAX, f);
	fclose(f);
	for (cut = 0; cut < n; cut += 7)
		sched_tz_release(sched_tz_from_tzif("cut", buf, cut, &e));
	{
		struct sched_tz *z = sched_tz_from_tzif("America/New_York", buf, n, &e);
		int64_t t[2];

		ck_assert_ptr_nonnull(z);
		/* 2040 is past the table: the footer's rule. 2040-03-11 07:00Z starts EDT. */
		ck_assert_int_eq(sched_tz_offset(z, iso("2040-03-11T06:59:59Z")), -5 * 3600);
		ck_assert_int_eq(sched_tz_offset(z, iso("2040-03-11T07:00:00Z")), -4 * 3600);
		ck_assert_int_eq(sched_tz_offset(z, iso("2040-11-04T05:59:59Z")), -4 * 3600);
		ck_assert_int_eq(sched_tz_offset(z, iso("2040-11-04T06:00:00Z")), -5 * 3600);
		/* in the table */
		ck_assert_int_eq(sched_tz_offset(z, iso("1970-07-01T00:00:00Z")), -4 * 3600);
		ck_assert_int_eq(sched_tz_offset(z, iso("1800-01-01T00:00:00Z")), -17762); /* LMT */
		/* gap, overlap, plain */
		ck_assert_int_eq(sched_tz_local_to_utc(z, iso("2026-03-08T02:30:00Z"), t), 0);
		ck_assert_int_eq(sched_tz_resolve(z, iso("2026-03-08T02:30:00Z")), iso("2026-03-08T07:30:00Z"));
		ck_assert_int_eq(sched_tz_local_to_utc(z, iso("2026-11-01T01:30:00Z"), t), 2);
		ck_assert_int_eq(t[0], iso("2026-11-01T05:30:00Z"));
		ck_assert_int_eq(t[1], iso("2026-11-01T06:30:00Z"));
		ck_assert_int_eq(sched_tz_local_to_utc(z, iso("2026-07-01T12:00:00Z"), t), 1);
		ck_assert_int_eq(t[0], iso("2026-07-01T16:00:00Z"));
		sched_tz_release(z);
	}
	/* a version-1 file: only the 32-bit part */
	buf[4] = 0;
	{
		struct sched_tz *z = sched_tz_from_tzif("v1", buf, n, &e);

		ck_assert_ptr_nonnull(z);
		ck_assert_int_eq(sched_tz_offset(z, iso("2026-07-01T00:00:00Z")), -4 * 3600);
		sched_tz_release(z);
	}
	free(buf);
}
END_TEST

START_TEST(test_parse_time)
{
	struct err e = { 0 };
	struct sched_expr *x;
	int64_t t;

	ck_assert_int_eq(iso("1970-01-01T00:00:00Z"), 0);
	ck_assert_int_eq(iso("2026-12-07"), 1796601600);
	ck_assert_int_eq(iso("2026-12-07T12:00"), 1796601600 + 43200);
	ck_assert_int_eq(iso("2026-12-07T12:00:00+01:00"), 1796601600 + 39600);
	ck_assert_int_eq(iso("2026-12-07T12:00:00-0530"), 1796601600 + 43200 + 19800);
	ck_assert_int_eq(sched_parse_time("2026-12-07T12:00:00+1", NULL, &t, &e), -1);
	ck_assert_str_eq(e.type, "InvalidParameterValueException");
	ck_assert_int_eq(sched_parse_time("tomorrow", NULL, &t, &e), -1);
	ck_assert_int_eq(sched_parse_time("2026-13-01", NULL, &t, &e), -1);
	ck_assert_int_eq(sched_parse_time("2026-12-07T12:00:00ZZ", NULL, &t, &e), -1);
	if (!have_tzdata())
		return;
	x = sched_parse("rate(1 hour)", "Asia/Tokyo", &e);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(sched_parse_time("2026-12-07T09:00:00", x, &t, &e), 0);
	ck_assert_int_eq(t, 1796601600);
	sched_free(x);
}
END_TEST

START_TEST(test_exec_names)
{
	char a[SCHED_EXEC_NAME_SIZE], b[SCHED_EXEC_NAME_SIZE];
	char longname[201];
	int64_t t = iso("2026-12-07T12:00:00Z");
	size_t n, i;

	n = sched_exec_name("nightly-report", t, a);
	ck_assert_str_eq(a, "nightly-report-20261207T120000Z");
	ck_assert_uint_eq(n, strlen(a));
	/* other characters are replaced, and the hash keeps a.b apart from a_b */
	sched_exec_name("a.b", t, a);
	sched_exec_name("a_b", t, b);
	ck_assert_str_eq(b, "a_b-20261207T120000Z");
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(strncmp(a, "a_b-", 4), 0);
	ck_assert_uint_eq(strlen(a), strlen("a_b-xxxxxxxx-20261207T120000Z"));
	/* 63 characters fit as they are; 64 do not */
	memset(longname, 'x', sizeof longname - 1);
	longname[63] = '\0';
	ck_assert_uint_eq(sched_exec_name(longname, t, a), 80);
	ck_assert(!strchr(a + 63, 'x') || a[63] == '-');
	longname[63] = 'x';
	longname[200] = '\0';
	ck_assert_uint_eq(sched_exec_name(longname, t, a), 80);
	longname[199] = 'y';
	ck_assert_uint_eq(sched_exec_name(longname, t, b), 80);
	ck_assert_str_ne(a, b); /* same first 54 characters, different names */
	for (i = 0; a[i]; i++)
		ck_assert_msg(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", a[i]), "%s", a);
	/* stable: the same fire, the same name; another fire, another name */
	sched_exec_name("group/sched ü", t, a);
	sched_exec_name("group/sched ü", t, b);
	ck_assert_str_eq(a, b);
	for (i = 0; a[i]; i++)
		ck_assert_msg(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", a[i]), "%s", a);
	sched_exec_name("group/sched ü", t + 60, b);
	ck_assert_str_ne(a, b);
	sched_exec_name("", t, a);
	ck_assert_uint_eq(strlen(a), strlen("xxxxxxxx-20261207T120000Z"));
}
END_TEST

START_TEST(test_flex_offset)
{
	int64_t t = iso("2026-12-07T12:00:00Z"), o, lo = 1 << 30, hi = -1;
	int i;

	ck_assert_int_eq(sched_flex_offset("s", t, 0), 0);
	for (i = 0; i < 2000; i++) {
		o = sched_flex_offset("my-schedule", t + i * 60, 15);
		ck_assert_int_ge(o, 0);
		ck_assert_int_lt(o, 15 * 60);
		ck_assert_int_eq(o, sched_flex_offset("my-schedule", t + i * 60, 15));
		lo = o < lo ? o : lo;
		hi = o > hi ? o : hi;
	}
	/* spread over the window, not one value */
	ck_assert_int_lt(lo, 60);
	ck_assert_int_gt(hi, 14 * 60);
	ck_assert_int_ne(sched_flex_offset("a", t, 1440), sched_flex_offset("b", t, 1440));
	ck_assert_int_lt(sched_flex_offset("a", t, 100000), 1440 * 60);
}
END_TEST

static struct sched_expr *must(const char *expr, const char *tz)
{
	struct err e = { 0 };
	struct sched_expr *x = sched_parse(expr, tz, &e);

	ck_assert_msg(x, "%s: %s", expr, e.msg);
	return x;
}

static struct sched_opts opts(const char *name, enum sched_missed m, unsigned window)
{
	return (struct sched_opts){ .name = name, .anchor = SCHED_NONE, .start = SCHED_NONE, .end = SCHED_NONE,
				    .window_min = window, .missed = m };
}

START_TEST(test_due_basic)
{
	struct sched_expr *x = must("cron(0 * * * ? *)", NULL);
	struct sched_opts o = opts("hourly", SCHED_MISSED_SKIP, 0);
	struct sched_due d;
	int64_t h10 = iso("2026-01-01T10:00:00Z"), H = 3600;

	/* not yet */
	sched_due(x, &o, h10, h10 + 1800, &d);
	ck_assert_uint_eq(d.nrun, 0);
	ck_assert_int_eq(d.last, h10);
	ck_assert_int_eq(d.next, h10 + H);
	ck_assert_int_eq(d.wake, h10 + H);
	ck_assert(!d.done);
	/* on time (5 s late) */
	sched_due(x, &o, h10, h10 + H + 5, &d);
	ck_assert_uint_eq(d.nrun, 1);
	ck_assert_int_eq(d.run[0], h10 + H);
	ck_assert_int_eq(d.last, h10 + H);
	ck_assert_int_eq(d.next, h10 + 2 * H);
	ck_assert_uint_eq(d.nmissed, 0);
	/* the clock went back: nothing again */
	sched_due(x, &o, h10 + H, h10 + 1800, &d);
	ck_assert_uint_eq(d.nrun, 0);
	ck_assert_int_eq(d.last, h10 + H);
	ck_assert_int_eq(d.next, h10 + 2 * H);
	/* jumped forward 4 hours, landing 10 s after a fire: 3 missed, 1 on time */
	sched_due(x, &o, h10 + H, h10 + 5 * H + 10, &d);
	ck_assert_uint_eq(d.nrun, 1);
	ck_assert_int_eq(d.run[0], h10 + 5 * H);
	ck_assert_uint_eq(d.nmissed, 3);
	ck_assert_int_eq(d.last_missed, h10 + 4 * H);
	ck_assert_int_eq(d.last, h10 + 5 * H);
	/* landing 30 minutes after: SKIP runs nothing, ONCE the latest */
	sched_due(x, &o, h10 + H, h10 + 5 * H + 1800, &d);
	ck_assert_uint_eq(d.nrun, 0);
	ck_assert_uint_eq(d.nmissed, 4);
	ck_assert_int_eq(d.last, h10 + 5 * H);
	ck_assert_int_eq(d.next, h10 + 6 * H);
	o.missed = SCHED_MISSED_ONCE;
	sched_due(x, &o, h10 + H, h10 + 5 * H + 1800, &d);
	ck_assert_uint_eq(d.nrun, 1);
	ck_assert_int_eq(d.run[0], h10 + 5 * H);
	ck_assert_int_eq(d.last, h10 + 5 * H);
	/* and again after storing last: nothing twice */
	sched_due(x, &o, d.last, h10 + 5 * H + 1800, &d);
	ck_assert_uint_eq(d.nrun, 0);
	ck_assert_uint_eq(d.nmissed, 0);
	sched_free(x);
}
END_TEST

START_TEST(test_due_long_downtime)
{
	struct sched_expr *x = must("cron(* * * * ? *)", NULL);
	struct sched_opts o = opts("every-minute", SCHED_MISSED_SKIP, 0);
	struct sched_due d;
	int64_t t0 = iso("2026-01-01T00:00:00Z"), now = iso("2026-06-01T00:30:30Z");

	sched_due(x, &o, t0, now, &d);
	ck_assert_uint_eq(d.nrun, 1);
	ck_assert_int_eq(d.run[0], iso("2026-06-01T00:30:00Z"));
	ck_assert_uint_ge(d.nmissed, 10000);
	ck_assert_int_eq(d.last_missed, iso("2026-06-01T00:29:00Z"));
	ck_assert_int_eq(d.next, iso("2026-06-01T00:31:00Z"));
	sched_free(x);
	/* rate: counted exactly */
	x = must("rate(5 minutes)", NULL);
	o.anchor = t0;
	sched_due(x, &o, t0, t0 + 1000 * 300 + 120, &d); /* the last one 120 s ago: missed */
	ck_assert_uint_eq(d.nrun, 0);
	ck_assert_uint_eq(d.nmissed, 1000);
	ck_assert_int_eq(d.last, t0 + 1000 * 300);
	ck_assert_int_eq(d.next, t0 + 1001 * 300);
	sched_free(x);
}
END_TEST

START_TEST(test_due_bounds_and_at)
{
	struct sched_expr *x = must("rate(1 hour)", NULL);
	struct sched_opts o = opts("bounded", SCHED_MISSED_SKIP, 0);
	struct sched_due d;
	int64_t t0 = iso("2026-01-01T00:00:00Z"), H = 3600;

	/* rate without a StartDate fires at its anchor (creation) at once */
	o.anchor = t0;
	sched_due(x, &o, t0 - 1, t0 + 1, &d);
	ck_assert_uint_eq(d.nrun, 1);
	ck_assert_int_eq(d.run[0], t0);
	/* start and end: fires f with start <= f < end */
	o.start = t0 + 2 * H;
	o.end = t0 + 4 * H;
	sched_due(x, &o, SCHED_NONE, t0 + 1, &d);
	ck_assert_uint_eq(d.nrun, 0);
	ck_assert_int_eq(d.next, t0 + 2 * H);
	sched_due(x, &o, t0 + 2 * H, t0 + 3 * H, &d);
	ck_assert_uint_eq(d.nrun, 1);
	ck_assert_int_eq(d.run[0], t0 + 3 * H);
	ck_assert(d.done);
	ck_assert_int_eq(d.next, SCHED_NONE);
	ck_assert_int_eq(d.wake, SCHED_NONE);
	sched_free(x);
	/* at: once, then done (ActionAfterCompletion) */
	x = must("at(2026-01-01T05:00:00)", NULL);
	o = opts("one-time", SCHED_MISSED_SKIP, 0);
	sched_due(x, &o, t0, t0 + H, &d);
	ck_assert_uint_eq(d.nrun, 0);
	ck_assert(!d.done);
	ck_assert_int_eq(d.wake, t0 + 5 * H);
	sched_due(x, &o, t0, t0 + 5 * H, &d);
	ck_assert_uint_eq(d.nrun, 1);
	ck_assert(d.done);
	sched_due(x, &o, d.last, t0 + 6 * H, &d);
	ck_assert_uint_eq(d.nrun, 0);
	ck_assert(d.done);
	/* missed while down: SKIP never runs it, ONCE does */
	sched_due(x, &o, t0, t0 + 9 * H, &d);
	ck_assert_uint_eq(d.nrun, 0);
	ck_assert_uint_eq(d.nmissed, 1);
	ck_assert(d.done);
	o.missed = SCHED_MISSED_ONCE;
	sched_due(x, &o, t0, t0 + 9 * H, &d);
	ck_assert_uint_eq(d.nrun, 1);
	ck_assert_int_eq(d.run[0], t0 + 5 * H);
	sched_free(x);
}
END_TEST

/* A scheduler loop on a fake clock: wake when told (plus jitter), store
 * `last`, record every run. Returns how many fires ran; fails on a fire run
 * twice or out of order. */
static int simulate(struct sched_expr *x, struct sched_opts *o, int64_t from, int64_t to, int64_t *runs, int cap,
		    unsigned seed, bool jumps)
{
	int64_t now = from, last = from;
	struct sched_due d;
	int n = 0;

	while (now < to) {
		sched_due(x, o, last, now, &d);
		for (size_t i = 0; i < d.nrun; i++) {
			ck_assert_msg(n == 0 || d.run[i] > runs[n - 1], "fire run twice or out of order");
			ck_assert_int_lt(n, cap);
			/* never before its start */
			ck_assert_int_ge(now, sched_fire_start(x, o, d.run[i]));
			runs[n++] = d.run[i];
		}
		ck_assert_int_ge(d.last, last);
		last = d.last;
		seed = seed * 1103515245u + 12345u;
		if (jumps && seed % 7 == 0)
			now -= (int64_t)(seed >> 8) % 7200; /* the clock jumps back up to 2 h */
		else if (d.wake != SCHED_NONE && d.wake > now)
			now = d.wake + (int64_t)(seed >> 8) % 5;
		else
			now += 1 + (int64_t)(seed >> 8) % 5;
		if (d.done)
			break;
	}
	return n;
}

START_TEST(test_due_simulated_clock)
{
	static int64_t runs[5000];
	struct sched_expr *x = must("cron(0/15 * * * ? *)", NULL);
	struct sched_opts o = opts("quarterly", SCHED_MISSED_SKIP, 0);
	int64_t t0 = iso("2026-01-01T00:00:00Z"), day = 86400;
	int n, i;

	/* a clock that only moves forward, in small steps: every fire exactly once */
	n = simulate(x, &o, t0, t0 + day + 60, runs, 5000, 1, false);
	ck_assert_int_eq(n, 96);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(runs[i], t0 + (i + 1) * 900);
	/* with backward jumps: never twice (checked inside), none lost */
	n = simulate(x, &o, t0, t0 + day + 60, runs, 5000, 7, true);
	ck_assert_int_eq(n, 96);
	sched_free(x);

	/* flexible window of 10 minutes on a 5-minute rate: offsets overlap the
	 * next fire, each still runs once, in order, inside its window */
	x = must("rate(5 minutes)", NULL);
	o = opts("flexible", SCHED_MISSED_SKIP, 10);
	o.anchor = t0;
	n = simulate(x, &o, t0, t0 + day + 60, runs, 5000, 3, false);
	ck_assert_int_ge(n, 286);
	for (i = 0; i < n; i++) {
		int64_t s = sched_fire_start(x, &o, runs[i]);

		ck_assert_int_eq(runs[i], t0 + (i + 1) * 300);
		ck_assert_int_ge(s, runs[i] + sched_flex_offset("flexible", runs[i], 10));
		ck_assert_int_lt(s, runs[i] + 600);
	}
	sched_free(x);
}
END_TEST

START_TEST(test_due_zone_fallback)
{
	static int64_t runs[100];
	struct sched_expr *x;
	struct sched_opts o = opts("ny", SCHED_MISSED_SKIP, 0);
	int64_t from = iso("2026-11-01T04:00:00Z");
	int n;

	if (!have_tzdata())
		return;
	/* every 30 min through the fall-back hour: 01:00 and 01:30 once each */
	x = must("cron(0/30 * * * ? *)", "America/New_York");
	n = simulate(x, &o, from, iso("2026-11-01T08:10:00Z"), runs, 100, 5, false);
	ck_assert_int_eq(n, 6);
	ck_assert_int_eq(runs[0], iso("2026-11-01T04:30:00Z"));
	ck_assert_int_eq(runs[1], iso("2026-11-01T05:00:00Z"));
	ck_assert_int_eq(runs[2], iso("2026-11-01T05:30:00Z"));
	ck_assert_int_eq(runs[3], iso("2026-11-01T07:00:00Z"));
	sched_free(x);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("scheduler");
	TCase *tc = tcase_create("scheduler");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_utc_table);
	tcase_add_test(tc, test_tz_table);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_limits_and_zone_names);
	tcase_add_test(tc, test_tzif_and_posix);
	tcase_add_test(tc, test_parse_time);
	tcase_add_test(tc, test_exec_names);
	tcase_add_test(tc, test_flex_offset);
	tcase_add_test(tc, test_due_basic);
	tcase_add_test(tc, test_due_long_downtime);
	tcase_add_test(tc, test_due_bounds_and_at);
	tcase_add_test(tc, test_due_simulated_clock);
	tcase_add_test(tc, test_due_zone_fallback);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (!failed && !have_tzdata()) {
		/* The zone cases returned early: not a pass. */
		printf("SKIP: /usr/share/zoneinfo (tzdata) is missing: the time zone cases did not run\n");
		return 77;
	}
	return failed ? 1 : 0;
}
