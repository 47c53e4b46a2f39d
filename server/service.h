/* service — what `tutti serve` does, behind one call: the Step Functions,
 * EventBridge and Scheduler actions (and tutti's own) as JSON requests and
 * responses shaped exactly as the AWS APIs shape them. The HTTP layer
 * (server/http.c) and the CLI both call svc_call, so there is one
 * implementation of each action:
 *   - `tutti serve` opens a full service (the store as its one writer, the
 *     engine running executions, recovery of what was running, the
 *     scheduler) and serves svc_call over HTTP;
 *   - CLI read commands open a read-only service (the store as a reader;
 *     no engine) and call the read actions in-process, so they work with or
 *     without a running server; actions that make work happen are refused
 *     by a read-only service (ServiceUnavailable: "no tutti serve is
 *     running") and the CLI sends them to the server instead.
 *
 * Targets are "<prefix>.<Action>" as the X-Amz-Target header spells them:
 *   AWSStepFunctions.StartExecution, AWSEvents.PutRule, and for the
 *   Scheduler (restJson1 on AWS) and tutti's own actions
 *   "TuttiScheduler.CreateSchedule", "Tutti.ListInvocations", ...
 * svc_targets lists them.
 *
 * Errors: -1 with e->type the AWS error code ("ExecutionDoesNotExist",
 * "InvalidArn", "ValidationException", ...) and e->msg the message;
 * svc_http_status gives the HTTP status to answer with (400 for client
 * errors, 500 for internal ones, 503 for ServiceUnavailable).
 *
 * Thread-safety: svc_call may be called from any number of threads at
 * once. svc_close must not race with svc_call. */
#ifndef TUTTI_SERVICE_H
#define TUTTI_SERVICE_H

#include <jansson.h>
#include <stdbool.h>

#include "err.h"

#define SVC_REQUEST_MAX (1024 * 1024)   /* bytes of a request body */

struct svc;
struct rt;
struct engine_mock;

enum svc_mode {
	SVC_SERVER,              /* `tutti serve`: store writer, engine, scheduler */
	SVC_OFFLINE,             /* CLI with no server running: store writer (takes
				  * the lock), no engine: resource writes work,
				  * actions that run something are refused */
	SVC_READER               /* CLI reads: store reader, no lock */
};

struct svc_options {
	const char *home;        /* $TUTTI_HOME */
	enum svc_mode mode;
	struct rt *rt;           /* full service: the function runtime (borrowed) */
	const char *endpoint;    /* full service: "http://127.0.0.1:8080", for ARNs/links */
	bool fsync;              /* the store's (default true) */
	const struct engine_mock *mocks; /* SERVER: --mock-config (borrowed, outlives
				  * the service), or NULL. StartExecution of
				  * "ARN#TestCase" runs with that test case */
};
void svc_options_init(struct svc_options *o);

/* SVC_SERVER: opens the store (StoreLocked if another server has it),
 * recovers the running executions, starts the engine thread and the
 * scheduler. Actions a mode cannot serve fail with ServiceUnavailable. */
int svc_open(const struct svc_options *o, struct svc **out, struct err *e);
/* Clean shutdown: stop taking work, park running executions (their state
 * is already in the store; they resume on the next start), close. */
void svc_close(struct svc *s);

/* One action: req borrowed (an object), *resp a new reference on 0. */
int svc_call(struct svc *s, const char *target, json_t *req, json_t **resp, struct err *e);
int svc_http_status(const struct err *e);

struct fn_config;
struct rt_result;
/* Keep an invocation's record (the runtime's observe hook; quick, never
 * blocks on the disk). s may be NULL (not open yet). */
void svc_observe(struct svc *s, const struct fn_config *cfg, const struct rt_result *res);
/* NULL-terminated list of the targets served. */
const char *const *svc_targets(void);

#endif
