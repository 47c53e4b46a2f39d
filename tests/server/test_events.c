/* Unit tests of the EventBridge rule and Scheduler actions (server/svc_events.c)
 * through svc_call on a real service (SVC_OFFLINE, store on a temporary
 * $TUTTI_HOME), and of the scheduler's fire logic (svc_events_fire.c) with
 * a fake clock and a recording launcher (svc_sched_test_attach,
 * svc_sched_tick). */
#include <check.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "scheduler.h"
#include "service.h"
#include "svc_events.h"

static char home[PATH_MAX];
static struct svc *S;
static int64_t fake_now;

/* What the fake launcher saw. */
#define LAUNCH_MAX 256
static struct {
	char name[SCHED_EXEC_NAME_SIZE];
	char target[256];
	char input[EV_INPUT_MAX + 1];
	int64_t fire;
} launched[LAUNCH_MAX];
static int nlaunched;
static int fail_next;           /* launches that fail before one succeeds */
static bool fail_retryable;

static int64_t fake_clock(void *arg)
{
	(void)arg;
	return fake_now;
}

static int fake_launch(void *arg, struct svc *s, const struct ev_fire *f, char **started, bool *retryable,
		       struct err *e)
{
	(void)arg, (void)s;
	if (fail_next > 0) {
		fail_next--;
		*retryable = fail_retryable;
		return err_setn(e, fail_retryable ? "ServiceUnavailable" : "StateMachineDoesNotExist", "fake failure");
	}
	ck_assert_int_lt(nlaunched, LAUNCH_MAX);
	snprintf(launched[nlaunched].name, sizeof launched[0].name, "%s", f->exec_name);
	snprintf(launched[nlaunched].target, sizeof launched[0].target, "%s", f->target_arn);
	snprintf(launched[nlaunched].input, sizeof launched[0].input, "%s", f->input);
	launched[nlaunched].fire = f->fire;
	nlaunched++;
	ck_assert_int_ne(asprintf(started, "arn:aws:states:us-east-1:123456789012:execution:sm:%s", f->exec_name), -1);
	return 0;
}

static void open_svc(void)
{
	struct svc_options o;
	struct err e = { 0 };

	svc_options_init(&o);
	o.home = home;
	o.mode = SVC_OFFLINE;
	o.fsync = false;
	ck_assert_msg(!svc_open(&o, &S, &e), "svc_open: %s: %s", e.type, e.msg);
	ck_assert_msg(!svc_sched_test_attach(S, fake_clock, fake_launch, NULL, &e), "%s", e.msg);
}

static void setup(void)
{
	snprintf(home, sizeof home, "/tmp/tutti-events.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(home));
	fake_now = 1893456030;   /* 2030-01-01T00:00:30Z */
	nlaunched = 0;
	fail_next = 0;
	open_svc();
}

static void teardown(void)
{
	svc_close(S);
	S = NULL;
	fs_rm_rf(home);
}

static void restart(void)
{
	svc_close(S);
	open_svc();
}

/* Call an action; the response (or NULL), e filled. req is taken. */
static json_t *call(const char *target, json_t *req, struct err *e)
{
	json_t *resp = NULL;

	err_clear(e);
	ck_assert_ptr_nonnull(req);
	if (svc_call(S, target, req, &resp, e))
		resp = NULL;
	json_decref(req);
	return resp;
}

static json_t *ok(const char *target, json_t *req)
{
	struct err e;
	json_t *r = call(target, req, &e);

	ck_assert_msg(r != NULL, "%s: %s: %s", target, e.type, e.msg);
	return r;
}

static void refused(const char *target, json_t *req, const char *type, const char *msg_part)
{
	struct err e;
	json_t *r = call(target, req, &e);

	ck_assert_msg(r == NULL, "%s succeeded, expected %s", target, type);
	ck_assert_msg(!strcmp(e.type, type), "%s: got %s (%s), expected %s", target, e.type, e.msg, type);
	if (msg_part)
		ck_assert_msg(strstr(e.msg, msg_part), "%s: message '%s' lacks '%s'", target, e.msg, msg_part);
}

/* An ARN of this service's region and account (static buffer ring). */
static const char *A(const char *service, const char *resource)
{
	static char ring[8][512];
	static int i;
	char *a = svc_arn(S, service, resource);

	i = (i + 1) % 8;
	snprintf(ring[i], sizeof ring[i], "%s", a);
	free(a);
	return ring[i];
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static bool has_internal(json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;

	if (json_is_object(v)) {
		json_object_foreach(v, k, x)
			if (!strncmp(k, "tutti:", 6) || has_internal(x))
				return true;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if (has_internal(x))
				return true;
	}
	return false;
}

#define SM  "arn:aws:states:us-east-1:123456789012:stateMachine:sm"
#define FN  "arn:aws:lambda:us-east-1:123456789012:function:fn"
#define ROLE "arn:aws:iam::123456789012:role/r"

/* ---- rules ----------------------------------------------------------------------------- */

START_TEST(test_rule_actions)
{
	json_t *r;
	char big[EV_INPUT_MAX + 16];

	r = ok("AWSEvents.PutRule", json_pack("{s:s, s:s}", "Name", "nightly", "ScheduleExpression", "cron(0 3 * * ? *)"));
	ck_assert_str_eq(str(r, "RuleArn"), A("events", "rule/nightly"));
	json_decref(r);

	refused("AWSEvents.PutRule", json_pack("{s:s, s:s}", "Name", "bad", "ScheduleExpression", "cron(0 3 * * * *)"),
		"ValidationException", "cron(0 3 * * * *)");
	refused("AWSEvents.PutRule", json_pack("{s:s, s:s}", "Name", "bad", "ScheduleExpression", "at(2030-01-01T00:00:00)"),
		"ValidationException", "at()");
	refused("AWSEvents.PutRule", json_pack("{s:s, s:s}", "Name", "pat", "EventPattern", "{\"source\":[\"x\"]}"),
		"ValidationException", "schedule rules only");
	refused("AWSEvents.PutRule", json_pack("{s:s, s:s}", "Name", "bad name", "ScheduleExpression", "rate(5 minutes)"),
		"ValidationException", NULL);
	refused("AWSEvents.PutRule", json_pack("{s:s}", "ScheduleExpression", "rate(5 minutes)"), "ValidationException",
		"Member must not be null");
	refused("AWSEvents.PutRule",
		json_pack("{s:s, s:s, s:s}", "Name", "x", "ScheduleExpression", "rate(5 minutes)", "State", "ON"),
		"ValidationException", "enum");
	refused("AWSEvents.DescribeRule", json_pack("{s:s, s:s}", "Name", "nightly", "EventBusName", "other"),
		"ResourceNotFoundException", "other");

	r = ok("AWSEvents.DescribeRule", json_pack("{s:s}", "Name", "nightly"));
	ck_assert_str_eq(str(r, "Name"), "nightly");
	ck_assert_str_eq(str(r, "State"), "ENABLED");
	ck_assert_str_eq(str(r, "EventBusName"), "default");
	ck_assert_str_eq(str(r, "ScheduleExpression"), "cron(0 3 * * ? *)");
	ck_assert_str_eq(str(r, "Arn"), A("events", "rule/nightly"));
	ck_assert(!has_internal(r));
	ck_assert_ptr_null(json_object_get(r, "Targets"));
	json_decref(r);

	json_decref(ok("AWSEvents.DisableRule", json_pack("{s:s}", "Name", "nightly")));
	r = ok("AWSEvents.DescribeRule", json_pack("{s:s}", "Name", "nightly"));
	ck_assert_str_eq(str(r, "State"), "DISABLED");
	json_decref(r);
	json_decref(ok("AWSEvents.EnableRule", json_pack("{s:s}", "Name", "nightly")));
	refused("AWSEvents.EnableRule", json_pack("{s:s}", "Name", "nope"), "ResourceNotFoundException",
		"Rule nope does not exist");

	/* targets */
	r = ok("AWSEvents.PutTargets",
	       json_pack("{s:s, s:[{s:s, s:s, s:s}, {s:s, s:s}, {s:s, s:s}]}", "Rule", "nightly", "Targets", "Id", "t1",
			 "Arn", SM, "Input", "{\"a\":1}", "Id", "t2", "Arn", FN, "Id", "q",
			 "Arn", "arn:aws:sqs:us-east-1:123456789012:queue"));
	ck_assert_int_eq(json_integer_value(json_object_get(r, "FailedEntryCount")), 1);
	ck_assert_str_eq(str(json_array_get(json_object_get(r, "FailedEntries"), 0), "TargetId"), "q");
	json_decref(r);
	refused("AWSEvents.PutTargets",
		json_pack("{s:s, s:[{s:s, s:s, s:s}]}", "Rule", "nightly", "Targets", "Id", "t3", "Arn", SM, "Input", "{nope"),
		"ValidationException", "not valid JSON");
	memset(big, ' ', sizeof big - 1);
	big[0] = '1';
	big[sizeof big - 1] = 0;
	refused("AWSEvents.PutTargets",
		json_pack("{s:s, s:[{s:s, s:s, s:s}]}", "Rule", "nightly", "Targets", "Id", "t3", "Arn", SM, "Input", big),
		"ValidationException", NULL);
	refused("AWSEvents.PutTargets",
		json_pack("{s:s, s:[{s:s, s:s}]}", "Rule", "nightly", "Targets", "Id", "t3", "Arn", "arn:aws:states:x"),
		"ValidationException", NULL);
	refused("AWSEvents.PutTargets",
		json_pack("{s:s, s:[{s:s, s:s}]}", "Rule", "nope", "Targets", "Id", "t3", "Arn", SM),
		"ResourceNotFoundException", NULL);
	refused("AWSEvents.PutTargets",
		json_pack("{s:s, s:[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}]}", "Rule", "nightly", "Targets", "Id", "a",
			  "Arn", SM, "Id", "b", "Arn", SM, "Id", "c", "Arn", SM, "Id", "d", "Arn", SM),
		"LimitExceededException", NULL);

	r = ok("AWSEvents.ListTargetsByRule", json_pack("{s:s}", "Rule", "nightly"));
	ck_assert_int_eq(json_array_size(json_object_get(r, "Targets")), 2);
	ck_assert_str_eq(str(json_array_get(json_object_get(r, "Targets"), 0), "Id"), "t1");
	ck_assert_str_eq(str(json_array_get(json_object_get(r, "Targets"), 0), "Input"), "{\"a\":1}");
	ck_assert(!has_internal(r));
	json_decref(r);
	r = ok("AWSEvents.ListTargetsByRule", json_pack("{s:s, s:i}", "Rule", "nightly", "Limit", 1));
	ck_assert_int_eq(json_array_size(json_object_get(r, "Targets")), 1);
	ck_assert_str_eq(str(r, "NextToken"), "1");
	json_decref(r);
	r = ok("AWSEvents.ListTargetsByRule", json_pack("{s:s, s:i, s:s}", "Rule", "nightly", "Limit", 1, "NextToken", "1"));
	ck_assert_str_eq(str(json_array_get(json_object_get(r, "Targets"), 0), "Id"), "t2");
	ck_assert_ptr_null(json_object_get(r, "NextToken"));
	json_decref(r);

	/* DeleteRule is refused while the rule has targets */
	refused("AWSEvents.DeleteRule", json_pack("{s:s}", "Name", "nightly"), "ValidationException",
		"Rule can't be deleted since it has targets.");
	r = ok("AWSEvents.RemoveTargets", json_pack("{s:s, s:[s, s]}", "Rule", "nightly", "Ids", "t1", "t2"));
	ck_assert_int_eq(json_integer_value(json_object_get(r, "FailedEntryCount")), 0);
	json_decref(r);
	json_decref(ok("AWSEvents.DeleteRule", json_pack("{s:s}", "Name", "nightly")));
	refused("AWSEvents.DescribeRule", json_pack("{s:s}", "Name", "nightly"), "ResourceNotFoundException", NULL);
	json_decref(ok("AWSEvents.DeleteRule", json_pack("{s:s}", "Name", "nightly")));   /* as AWS: no error */
}
END_TEST

START_TEST(test_list_rules_pages)
{
	const char *names[] = { "b0", "a3", "a0", "a5", "a1", "c", "a4", "a2", "a6" };
	json_t *r, *all = json_array();
	char *tok = NULL;
	size_t i, pages = 0;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		json_decref(ok("AWSEvents.PutRule",
			       json_pack("{s:s, s:s}", "Name", names[i], "ScheduleExpression", "rate(1 hour)")));
	do {
		json_t *req = json_pack("{s:s, s:i}", "NamePrefix", "a", "Limit", 3);
		if (tok)
			json_object_set_new(req, "NextToken", json_string(tok));
		free(tok);
		tok = NULL;
		r = ok("AWSEvents.ListRules", req);
		ck_assert_int_le(json_array_size(json_object_get(r, "Rules")), 3);
		json_array_extend(all, json_object_get(r, "Rules"));
		if (str(r, "NextToken"))
			tok = strdup(str(r, "NextToken"));
		json_decref(r);
		ck_assert_int_lt(++pages, 10);
	} while (tok);
	ck_assert_int_eq(json_array_size(all), 7);
	for (i = 0; i < 7; i++) {
		char want[4];
		snprintf(want, sizeof want, "a%zu", i);
		ck_assert_str_eq(str(json_array_get(all, i), "Name"), want);
		ck_assert(!has_internal(json_array_get(all, i)));
	}
	json_decref(all);
	refused("AWSEvents.ListRules", json_pack("{s:i}", "Limit", 0), "ValidationException", NULL);
	refused("AWSEvents.ListRules", json_pack("{s:i}", "Limit", 101), "ValidationException", NULL);
	r = ok("AWSEvents.ListRules", json_object());
	ck_assert_int_eq(json_array_size(json_object_get(r, "Rules")), 9);
	ck_assert_ptr_null(json_object_get(r, "NextToken"));
	json_decref(r);
}
END_TEST

/* ---- schedules ------------------------------------------------------------------------- */

static json_t *sched_req(const char *name, const char *expr)
{
	return json_pack("{s:s, s:s, s:{s:s}, s:{s:s, s:s}}", "Name", name, "ScheduleExpression", expr,
			 "FlexibleTimeWindow", "Mode", "OFF", "Target", "Arn", SM, "RoleArn", ROLE);
}

static json_t *with(json_t *req, const char *k, json_t *v)
{
	json_object_set_new(req, k, v);
	return req;
}

START_TEST(test_schedule_actions)
{
	json_t *r, *t;

	r = ok("TuttiScheduler.CreateSchedule", with(sched_req("daily", "cron(0 12 * * ? *)"), "Description", json_string("d")));
	ck_assert_str_eq(str(r, "ScheduleArn"), A("scheduler", "schedule/default/daily"));
	json_decref(r);
	refused("TuttiScheduler.CreateSchedule", sched_req("daily", "cron(0 12 * * ? *)"), "ConflictException",
		"already exists");
	refused("TuttiScheduler.CreateSchedule", with(sched_req("x", "rate(1 hour)"), "GroupName", json_string("nope")),
		"ResourceNotFoundException", "nope");

	r = ok("TuttiScheduler.GetSchedule", json_pack("{s:s}", "Name", "daily"));
	ck_assert_str_eq(str(r, "Name"), "daily");
	ck_assert_str_eq(str(r, "GroupName"), "default");
	ck_assert_str_eq(str(r, "State"), "ENABLED");
	ck_assert_str_eq(str(r, "Description"), "d");
	ck_assert_str_eq(str(r, "ActionAfterCompletion"), "NONE");
	ck_assert_str_eq(str(json_object_get(r, "FlexibleTimeWindow"), "Mode"), "OFF");
	t = json_object_get(r, "Target");
	ck_assert_str_eq(str(t, "Arn"), SM);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(t, "RetryPolicy"), "MaximumRetryAttempts")), 185);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(t, "RetryPolicy"), "MaximumEventAgeInSeconds")),
			 86400);
	ck_assert(json_is_number(json_object_get(r, "CreationDate")));
	ck_assert(json_is_number(json_object_get(r, "LastModificationDate")));
	ck_assert(!has_internal(r));
	json_decref(r);

	/* validation */
	refused("TuttiScheduler.CreateSchedule", sched_req("e1", "cron(0 12 * * * *)"), "ValidationException",
		"cron(0 12 * * * *)");
	refused("TuttiScheduler.CreateSchedule",
		with(sched_req("e2", "cron(0 12 * * ? *)"), "ScheduleExpressionTimezone", json_string("Mars/Base")),
		"ValidationException", "Mars/Base");
	refused("TuttiScheduler.CreateSchedule",
		with(sched_req("e3", "rate(1 hour)"), "FlexibleTimeWindow", json_pack("{s:s, s:i}", "Mode", "FLEXIBLE",
											 "MaximumWindowInMinutes", 1441)),
		"ValidationException", "1440");
	refused("TuttiScheduler.CreateSchedule",
		with(sched_req("e4", "rate(1 hour)"), "FlexibleTimeWindow", json_pack("{s:s}", "Mode", "FLEXIBLE")),
		"ValidationException", "MaximumWindowInMinutes");
	refused("TuttiScheduler.CreateSchedule",
		with(sched_req("e5", "rate(1 hour)"), "FlexibleTimeWindow", json_pack("{s:s, s:i}", "Mode", "FLEXIBLE",
											 "MaximumWindowInMinutes", 0)),
		"ValidationException", NULL);
	refused("TuttiScheduler.CreateSchedule",
		with(sched_req("e6", "rate(1 hour)"), "Target", json_pack("{s:s, s:s, s:s}", "Arn", SM, "RoleArn", ROLE,
									  "Input", "[1,")),
		"ValidationException", "not valid JSON");
	refused("TuttiScheduler.CreateSchedule", with(sched_req("e7", "rate(1 hour)"), "Target", json_pack("{s:s}", "Arn", SM)),
		"ValidationException", "RoleArn");
	refused("TuttiScheduler.CreateSchedule",
		with(sched_req("e8", "rate(1 hour)"), "Target",
		     json_pack("{s:s, s:s}", "Arn", "arn:aws:sqs:us-east-1:123456789012:q", "RoleArn", ROLE)),
		"ValidationException", "only");
	refused("TuttiScheduler.CreateSchedule",
		with(with(sched_req("e9", "rate(1 hour)"), "StartDate", json_string("2030-02-01T00:00:00Z")), "EndDate",
		     json_integer(1893456030 + 60)),
		"ValidationException", "EndDate");
	refused("TuttiScheduler.CreateSchedule", with(sched_req("e10", "rate(1 hour)"), "StartDate", json_string("yesterday")),
		"ValidationException", "StartDate");
	refused("TuttiScheduler.CreateSchedule",
		with(sched_req("e11", "rate(1 hour)"), "Target",
		     json_pack("{s:s, s:s, s:{s:i}}", "Arn", SM, "RoleArn", ROLE, "RetryPolicy", "MaximumRetryAttempts", 186)),
		"ValidationException", NULL);
	refused("TuttiScheduler.CreateSchedule", with(sched_req("e12", "rate(1 hour)"), "MissedFires", json_string("ALL")),
		"ValidationException", NULL);
	r = ok("TuttiScheduler.CreateSchedule",
	       with(with(sched_req("dated", "rate(1 hour)"), "StartDate", json_string("2030-01-02T00:00:00Z")), "EndDate",
		    json_real(1893628800.0)));
	json_decref(r);
	r = ok("TuttiScheduler.GetSchedule", json_pack("{s:s}", "Name", "dated"));
	ck_assert_int_eq(json_integer_value(json_object_get(r, "StartDate")), 1893542400);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "EndDate")), 1893628800);
	json_decref(r);

	/* UpdateSchedule replaces everything: Description goes */
	r = ok("TuttiScheduler.UpdateSchedule", with(sched_req("daily", "rate(2 hours)"), "State", json_string("DISABLED")));
	ck_assert_str_eq(str(r, "ScheduleArn"), A("scheduler", "schedule/default/daily"));
	json_decref(r);
	r = ok("TuttiScheduler.GetSchedule", json_pack("{s:s}", "Name", "daily"));
	ck_assert_str_eq(str(r, "ScheduleExpression"), "rate(2 hours)");
	ck_assert_str_eq(str(r, "State"), "DISABLED");
	ck_assert_ptr_null(json_object_get(r, "Description"));
	json_decref(r);
	refused("TuttiScheduler.UpdateSchedule", sched_req("nope", "rate(2 hours)"), "ResourceNotFoundException",
		"Schedule nope does not exist.");

	/* groups */
	r = ok("TuttiScheduler.CreateScheduleGroup", json_pack("{s:s}", "Name", "team"));
	ck_assert_str_eq(str(r, "ScheduleGroupArn"), A("scheduler", "schedule-group/team"));
	json_decref(r);
	refused("TuttiScheduler.CreateScheduleGroup", json_pack("{s:s}", "Name", "team"), "ConflictException", NULL);
	json_decref(ok("TuttiScheduler.CreateSchedule", with(sched_req("daily", "rate(1 hour)"), "GroupName", json_string("team"))));
	json_decref(ok("TuttiScheduler.CreateSchedule", with(sched_req("w2", "rate(1 hour)"), "GroupName", json_string("team"))));
	r = ok("TuttiScheduler.GetScheduleGroup", json_pack("{s:s}", "Name", "team"));
	ck_assert_str_eq(str(r, "State"), "ACTIVE");
	ck_assert_str_eq(str(r, "Name"), "team");
	json_decref(r);
	r = ok("TuttiScheduler.ListScheduleGroups", json_object());
	ck_assert_int_eq(json_array_size(json_object_get(r, "ScheduleGroups")), 2);
	json_decref(r);

	r = ok("TuttiScheduler.ListSchedules", json_object());
	ck_assert_int_eq(json_array_size(json_object_get(r, "Schedules")), 4);
	json_decref(r);
	r = ok("TuttiScheduler.ListSchedules", json_pack("{s:s}", "GroupName", "team"));
	ck_assert_int_eq(json_array_size(json_object_get(r, "Schedules")), 2);
	t = json_array_get(json_object_get(r, "Schedules"), 0);
	ck_assert_str_eq(str(t, "GroupName"), "team");
	ck_assert_str_eq(str(json_object_get(t, "Target"), "Arn"), SM);
	json_decref(r);
	r = ok("TuttiScheduler.ListSchedules", json_pack("{s:s}", "State", "DISABLED"));
	ck_assert_int_eq(json_array_size(json_object_get(r, "Schedules")), 1);
	json_decref(r);
	r = ok("TuttiScheduler.ListSchedules", json_pack("{s:i}", "MaxResults", 3));
	ck_assert_int_eq(json_array_size(json_object_get(r, "Schedules")), 3);
	ck_assert_ptr_nonnull(str(r, "NextToken"));
	t = json_pack("{s:i, s:s}", "MaxResults", 3, "NextToken", str(r, "NextToken"));
	json_decref(r);
	r = ok("TuttiScheduler.ListSchedules", t);
	ck_assert_int_eq(json_array_size(json_object_get(r, "Schedules")), 1);
	json_decref(r);

	json_decref(ok("TuttiScheduler.DeleteScheduleGroup", json_pack("{s:s}", "Name", "team")));
	refused("TuttiScheduler.GetSchedule", json_pack("{s:s, s:s}", "Name", "w2", "GroupName", "team"),
		"ResourceNotFoundException", NULL);
	refused("TuttiScheduler.DeleteScheduleGroup", json_pack("{s:s}", "Name", "default"), "ValidationException", NULL);
	json_decref(ok("TuttiScheduler.DeleteSchedule", json_pack("{s:s}", "Name", "daily")));
	refused("TuttiScheduler.DeleteSchedule", json_pack("{s:s}", "Name", "daily"), "ResourceNotFoundException", NULL);
}
END_TEST

/* ---- fires ------------------------------------------------------------------------------ */

static int count_fires(const char *arn)
{
	json_t *r = ok("Tutti.ListFires", json_pack("{s:s, s:i}", "ScheduleArn", arn, "MaxResults", 1000));
	int n = (int)json_array_size(json_object_get(r, "Fires"));

	json_decref(r);
	return n;
}

#define EVERY A("scheduler", "schedule/default/every")

START_TEST(test_fire_forward_backward)
{
	json_t *r, *f;

	json_decref(ok("TuttiScheduler.CreateSchedule", sched_req("every", "cron(* * * * ? *)")));
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 0);
	fake_now = 1893456060;   /* 00:01:00 */
	ck_assert_int_eq(svc_sched_tick(S), 1893456120);
	ck_assert_int_eq(nlaunched, 1);
	ck_assert_str_eq(launched[0].name, "every-20300101T000100Z");
	ck_assert_str_eq(launched[0].target, SM);
	ck_assert_str_eq(launched[0].input, "{}");
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 1);
	fake_now = 1893456125;   /* 00:02:05 */
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 2);
	ck_assert_str_eq(launched[1].name, "every-20300101T000200Z");
	/* backwards: nothing twice */
	fake_now = 1893456045;
	svc_sched_tick(S);
	fake_now = 1893456061;
	svc_sched_tick(S);
	fake_now = 1893456130;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 2);
	/* a change re-plans without firing twice either */
	json_decref(ok("TuttiScheduler.UpdateSchedule", with(sched_req("every", "cron(* * * * ? *)"), "Description",
							    json_string("changed"))));
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 2);
	fake_now = 1893456180;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 3);
	ck_assert_int_eq(count_fires(EVERY), 3);
	r = ok("Tutti.ListFires", json_pack("{s:s}", "ScheduleArn", EVERY));
	f = json_array_get(json_object_get(r, "Fires"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(f, "FireTime")), 1893456180);
	ck_assert_str_eq(str(f, "ExecutionArn"), "arn:aws:states:us-east-1:123456789012:execution:sm:every-20300101T000300Z");
	ck_assert_str_eq(str(f, "Status"), "STARTED");
	json_decref(r);
	/* disabled: no fire */
	json_decref(ok("TuttiScheduler.UpdateSchedule", with(sched_req("every", "cron(* * * * ? *)"), "State",
							    json_string("DISABLED"))));
	fake_now = 1893456240;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 3);
}
END_TEST

START_TEST(test_jump_skip_once)
{
	int i, skip = 0, once = 0;
	int64_t day2 = 1893456000 + 86400;   /* 2030-01-02T00:00:00Z */

	/* every 5 minutes: a fire more than the grace (60 s) late is missed */
	json_decref(ok("TuttiScheduler.CreateSchedule", sched_req("skip", "cron(0/5 * * * ? *)")));
	json_decref(ok("TuttiScheduler.CreateSchedule", with(sched_req("once", "cron(0/5 * * * ? *)"), "MissedFires",
							    json_string("ONCE"))));
	fake_now = 1893456300;   /* 00:05:00 */
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 2);
	/* a day forward (a clock jump, or downtime): ONCE runs the latest
	 * missed fire (00:00 of day 2) once, SKIP nothing */
	fake_now = day2 + 150;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 3);
	ck_assert_str_eq(launched[2].name, "once-20300102T000000Z");
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 3);
	/* on time again: both fire at 00:05, once */
	fake_now = day2 + 300;
	svc_sched_tick(S);
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 5);
	for (i = 0; i < nlaunched; i++) {
		skip += !strncmp(launched[i].name, "skip-", 5);
		once += !strncmp(launched[i].name, "once-", 5);
	}
	ck_assert_int_eq(skip, 2);
	ck_assert_int_eq(once, 3);
	/* the same for downtime: a restart three hours later */
	restart();
	fake_now = day2 + 3 * 3600 + 150;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 6);
	ck_assert_str_eq(launched[5].name, "once-20300102T030000Z");
}
END_TEST

START_TEST(test_restart_no_second_fire)
{
	struct err e = { 0 };
	struct store *st;

	json_decref(ok("TuttiScheduler.CreateSchedule", sched_req("every", "cron(* * * * ? *)")));
	fake_now = 1893456061;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 1);
	restart();
	svc_sched_tick(S);
	fake_now = 1893456065;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 1);
	/* a claim whose start was never recorded (a crash between the two) is
	 * started again at open, under the same name, once */
	st = S->store;
	ck_assert_int_eq(store_fire_claim(st, EVERY, 1893456120, NULL, &e), 1);
	restart();
	fake_now = 1893456125;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 2);
	ck_assert_str_eq(launched[1].name, "every-20300101T000200Z");
	restart();
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 2);
	ck_assert_int_eq(count_fires(EVERY), 2);
	/* a fire another writer claimed first (the store is the judge, not
	 * this process's memory) is not started here */
	ck_assert_int_eq(store_fire_claim(S->store, EVERY, 1893456180, "arn:elsewhere", &e), 1);
	fake_now = 1893456181;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 2);
	fake_now = 1893456241;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 3);
}
END_TEST

START_TEST(test_at_delete)
{
	json_decref(ok("TuttiScheduler.CreateSchedule",
		       with(sched_req("once-off", "at(2030-01-01T00:00:40)"), "ActionAfterCompletion", json_string("DELETE"))));
	json_decref(ok("TuttiScheduler.CreateSchedule", sched_req("kept", "at(2030-01-01T00:00:40)")));
	ck_assert_int_eq(svc_sched_tick(S), 1893456040);
	ck_assert_int_eq(nlaunched, 0);
	fake_now = 1893456041;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 2);
	svc_sched_tick(S);
	refused("TuttiScheduler.GetSchedule", json_pack("{s:s}", "Name", "once-off"), "ResourceNotFoundException", NULL);
	json_decref(ok("TuttiScheduler.GetSchedule", json_pack("{s:s}", "Name", "kept")));
	fake_now += 3600;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 2);
}
END_TEST

START_TEST(test_retry_and_dead_letter)
{
	json_t *r, *f;
	char path[PATH_MAX + 128];

	json_decref(ok("TuttiScheduler.CreateSchedule",
		       with(sched_req("flaky", "at(2030-01-01T00:01:00)"), "Target",
			    json_pack("{s:s, s:s, s:{s:i}}", "Arn", SM, "RoleArn", ROLE, "RetryPolicy",
				      "MaximumRetryAttempts", 3))));
	json_decref(ok("TuttiScheduler.CreateSchedule",
		       with(sched_req("broken", "at(2030-01-01T00:01:00)"), "Target",
			    json_pack("{s:s, s:s, s:{s:s}}", "Arn", SM, "RoleArn", ROLE, "DeadLetterConfig", "Arn",
				      "arn:aws:sqs:us-east-1:123456789012:dlq"))));
	/* "broken" fires first (by name order): one non-retryable failure */
	fail_next = 1;
	fail_retryable = false;
	fake_now = 1893456060;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 1);   /* flaky went through at once */
	r = ok("Tutti.ListFires", json_pack("{s:s}", "ScheduleArn",
					     A("scheduler", "schedule/default/broken")));
	f = json_array_get(json_object_get(r, "Fires"), 0);
	ck_assert_str_eq(str(f, "Status"), "FAILED");
	ck_assert_ptr_nonnull(strstr(str(f, "Error"), "StateMachineDoesNotExist"));
	json_decref(r);
	snprintf(path, sizeof path, "%s/dead-letter/schedules/default/broken/20300101T000100Z.json", home);
	ck_assert_msg(fs_exists(path) == 1, "no dead-letter record %s", path);

	/* retryable failures: retried with back-off until it works */
	json_decref(ok("TuttiScheduler.DeleteSchedule", json_pack("{s:s}", "Name", "flaky")));
	json_decref(ok("TuttiScheduler.CreateSchedule",
		       with(sched_req("flaky2", "at(2030-01-01T00:02:00)"), "Target",
			    json_pack("{s:s, s:s, s:{s:i}}", "Arn", SM, "RoleArn", ROLE, "RetryPolicy",
				      "MaximumRetryAttempts", 3))));
	fail_next = 2;
	fail_retryable = true;
	fake_now = 1893456120;
	ck_assert_int_eq(svc_sched_tick(S), 1893456122);   /* first retry 2 s later */
	ck_assert_int_eq(nlaunched, 1);
	fake_now += 2;
	ck_assert_int_eq(svc_sched_tick(S), 1893456126);   /* then 4 s */
	fake_now += 4;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 2);
	ck_assert_str_eq(launched[1].name, "flaky2-20300101T000200Z");

	/* more failures than MaximumRetryAttempts: the dead-letter record */
	json_decref(ok("TuttiScheduler.CreateSchedule",
		       with(sched_req("flaky3", "at(2030-01-01T00:03:00)"), "Target",
			    json_pack("{s:s, s:s, s:{s:i}}", "Arn", SM, "RoleArn", ROLE, "RetryPolicy",
				      "MaximumRetryAttempts", 1))));
	fail_next = 5;
	fake_now = 1893456180;
	svc_sched_tick(S);
	fake_now += 2;
	svc_sched_tick(S);
	fake_now += 10;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 2);
	r = ok("Tutti.ListFires", json_pack("{s:s}", "ScheduleArn",
					     A("scheduler", "schedule/default/flaky3")));
	ck_assert_str_eq(str(json_array_get(json_object_get(r, "Fires"), 0), "Status"), "FAILED");
	json_decref(r);
}
END_TEST

START_TEST(test_rule_fires)
{
	json_t *ev, *r;
	char rarn[256];
	int fi;

	snprintf(rarn, sizeof rarn, "%s", A("events", "rule/tick"));
	json_decref(ok("AWSEvents.PutRule", json_pack("{s:s, s:s}", "Name", "tick", "ScheduleExpression", "rate(1 minute)")));
	json_decref(ok("AWSEvents.PutTargets",
		       json_pack("{s:s, s:[{s:s, s:s}, {s:s, s:s, s:s}]}", "Rule", "tick", "Targets", "Id", "sm", "Arn", SM,
				 "Id", "fn", "Arn", FN, "Input", "{\"k\":2}")));
	json_decref(ok("AWSEvents.PutRule", json_pack("{s:s, s:s, s:s}", "Name", "off", "ScheduleExpression",
						      "rate(1 minute)", "State", "DISABLED")));
	json_decref(ok("AWSEvents.PutTargets",
		       json_pack("{s:s, s:[{s:s, s:s}]}", "Rule", "off", "Targets", "Id", "sm", "Arn", SM)));
	fake_now = 1893456030 + 60;   /* rate counts from the rule's creation */
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 2);
	fi = strcmp(launched[0].target, FN) ? 1 : 0;   /* targets in any order */
	ck_assert_str_eq(launched[fi].target, FN);
	ck_assert_str_eq(launched[fi].input, "{\"k\":2}");
	ck_assert_str_eq(launched[1 - fi].target, SM);
	ev = json_loads(launched[1 - fi].input, 0, NULL);
	ck_assert_ptr_nonnull(ev);
	ck_assert_str_eq(str(ev, "detail-type"), "Scheduled Event");
	ck_assert_str_eq(str(ev, "source"), "aws.events");
	ck_assert_str_eq(str(ev, "time"), "2030-01-01T00:01:30Z");
	ck_assert_str_eq(str(ev, "account"), S->account);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(ev, "resources"), 0)), rarn);
	ck_assert_int_eq(strlen(str(ev, "id")), 36);
	json_decref(ev);
	ck_assert_str_ne(launched[0].name, launched[1].name);
	r = ok("Tutti.ListFires", json_pack("{s:s}", "RuleArn", rarn));
	ck_assert_int_eq(json_array_size(json_object_get(r, "Fires")), 2);
	json_decref(r);
	/* disabling stops the fires; enabling does not backfill */
	json_decref(ok("AWSEvents.DisableRule", json_pack("{s:s}", "Name", "tick")));
	fake_now += 300;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 2);
	json_decref(ok("AWSEvents.EnableRule", json_pack("{s:s}", "Name", "tick")));
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 2);
	fake_now += 60;
	svc_sched_tick(S);
	ck_assert_int_eq(nlaunched, 4);
	refused("Tutti.ListFires", json_pack("{s:s}", "RuleArn", A("events", "rule/none")),
		"ResourceNotFoundException", NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("events");
	TCase *tc = tcase_create("events");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rule_actions);
	tcase_add_test(tc, test_list_rules_pages);
	tcase_add_test(tc, test_schedule_actions);
	tcase_add_test(tc, test_fire_forward_backward);
	tcase_add_test(tc, test_jump_skip_once);
	tcase_add_test(tc, test_restart_no_second_fire);
	tcase_add_test(tc, test_at_delete);
	tcase_add_test(tc, test_retry_and_dead_letter);
	tcase_add_test(tc, test_rule_fires);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
