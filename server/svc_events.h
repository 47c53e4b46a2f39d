/* svc_events — what svc_events.c (the EventBridge and Scheduler actions)
 * and svc_events_fire.c (the scheduler that fires them) share. Private to
 * server/ (and its white-box tests).
 *
 * Stored bodies (store_res, JSON text):
 *   "rule"            the DescribeRule shape (Name, Arn, EventBusName,
 *                     ScheduleExpression, State, Description, RoleArn),
 *                     "Targets": [the PutTargets shape + "tutti:since"],
 *                     "MissedFires", "tutti:created", "tutti:since";
 *   "schedule"        the GetSchedule shape without CreationDate and
 *                     LastModificationDate (those are the row's times),
 *                     "MissedFires", "tutti:created", "tutti:since";
 *                     parent: its group's ARN;
 *   "schedule-group"  Name, Arn, State.
 * Members named "tutti:*" are internal and never shown: "tutti:created" is
 * the creation time (rate() counts from it when there is no StartDate),
 * "tutti:since" when the rule/schedule/target was last armed (created,
 * changed, enabled): fires at or before it are never due.
 *
 * Fire keys: a schedule fires under its ARN; a rule fires once per target
 * under "<rule ARN>#<target Id>" (store_fire_* rows, Tutti.ListFires).
 *
 * Clock: every time the events code reads (creation times, the scheduler)
 * comes from svc_events_now(), which is the wall clock unless a test set
 * a fake one with svc_sched_test_attach(). */
#ifndef TUTTI_SVC_EVENTS_H
#define TUTTI_SVC_EVENTS_H

#include <stdint.h>

#include "svc_internal.h"

#define EV_INPUT_MAX      8192   /* a target's Input (EventBridge's limit) */
#define EV_TARGETS_MAX    5      /* targets of one rule (EventBridge's quota) */
#define EV_PUT_TARGETS_MAX 10    /* entries of one PutTargets/RemoveTargets */
#define EV_NAME_MAX       64     /* rule, schedule, group names */
#define EV_ARN_MAX        1600   /* target and role ARNs */
#define EV_DESC_MAX       512
#define EV_RETRIES_DEFAULT 185
#define EV_AGE_DEFAULT    86400

/* Seconds since the epoch: the test clock if one is set, else the wall clock. */
int64_t svc_events_now(struct svc *s);

/* The fire key of a rule's target, malloc'd. */
char *svc_events_rule_key(const char *rule_arn, const char *target_id);

/* ---- test hooks (svc_events_fire.c) ------------------------------------------
 * A launcher starts one fire's target; the default one calls
 * svc_start_execution (state machines) or svc_invoke_event (functions).
 * It returns 0 with *started (malloc'd: the execution ARN, or the function
 * ARN for a function) or -1 with e; `retryable` says whether the error is
 * worth retrying (the retry policy). */
struct ev_fire {
	const char *key;          /* fire key */
	const char *res_arn;      /* the rule or schedule */
	const char *target_arn;
	const char *exec_name;    /* sched_exec_name of the fire */
	const char *input;        /* JSON text */
	int64_t fire;             /* nominal fire time */
	unsigned attempt;         /* 0 = first */
};
typedef int (*ev_launch_fn)(void *arg, struct svc *s, const struct ev_fire *f, char **started,
			    bool *retryable, struct err *e);
typedef int64_t (*ev_clock_fn)(void *arg);

/* Attach a scheduler to s without a thread (any mode): the events code then
 * reads time from clock(arg) (NULL = the wall clock) and fires through
 * launch(arg) (NULL = the default). Then svc_sched_tick runs one pass. */
int svc_sched_test_attach(struct svc *s, ev_clock_fn clock, ev_launch_fn launch, void *arg,
			  struct err *e);
/* One pass at the clock's now: reload when changed, start due fires, run
 * due retries, delete completed schedules with ActionAfterCompletion
 * DELETE. Returns the next wake (seconds since the epoch). */
int64_t svc_sched_tick(struct svc *s);

#endif
