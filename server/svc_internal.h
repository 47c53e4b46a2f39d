/* svc_internal — what the service's files share (not part of the API).
 *
 *   service.c     open/close, recovery, the journal → store bridge, the
 *                 action table and svc_call, svc_start_execution
 *   svc_sfn.c     the Step Functions actions
 *   svc_events.c  EventBridge rules and targets, Scheduler schedules and
 *                 groups (their actions), and the scheduler thread that
 *                 fires them
 *
 * Resources live in the store as store_res rows with a JSON body holding
 * the AWS shape of the object (kinds: "state-machine", "rule",
 * "schedule", "schedule-group"); rule targets live in the rule's body
 * ("Targets": [...]).
 *
 * Errors: err_setn(e, "<AWS error code>", "message"), e.g.
 * "ResourceNotFoundException", "ValidationException",
 * "StateMachineDoesNotExist"; svc_http_status maps them to statuses. */
#ifndef TUTTI_SVC_INTERNAL_H
#define TUTTI_SVC_INTERNAL_H

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "service.h"
#include "store.h"

struct engine;
struct registry;
struct svc_sched;
struct svc_machine;

struct svc {
	struct svc_options o;
	char *home;
	struct store *store;
	struct engine *eng;          /* SVC_SERVER only */
	struct registry *reg;
	struct rt *rt;               /* borrowed */
	const struct integ_api *integ_api;   /* HTTP/S3 tasks (SERVER) */
	struct integrations *integ;
	pthread_t loop;
	bool loop_started;
	pthread_mutex_t lock;        /* machines, waiters */
	struct svc_machine *machines;   /* compiled definitions, by text hash */
	struct svc_waiter *waiters;  /* .sync parents waiting for children */
	struct svc_sched *sched;     /* svc_events.c */
	_Atomic bool closing;
	_Atomic int64_t running;
	pthread_t reloader;          /* executions whose checkpoint was not kept */
	bool reloader_started;
	pthread_cond_t reload_cv;
	struct reload *reloads;    /* executions handed to the engine, not ended */
	char region[64], account[32];
};

/* Flags of an action. */
#define SVC_READ   0x1   /* reads the store only: any mode */
#define SVC_WRITE  0x2   /* writes resources: SERVER or OFFLINE */
#define SVC_RUN    0x4   /* runs something: SERVER only */

typedef int (*svc_action_fn)(struct svc *s, json_t *req, json_t **resp, struct err *e);
struct svc_action {
	const char *target;          /* "AWSStepFunctions.StartExecution" */
	svc_action_fn fn;
	unsigned flags;
};
/* NULL-target-terminated tables. */
extern const struct svc_action svc_sfn_actions[];
extern const struct svc_action svc_events_actions[];
extern const struct svc_action svc_tutti_actions[];
extern const struct svc_action svc_console_actions[];   /* svc_console.c */

/* ---- service.c: the one way anything starts an execution ---------------- */
struct svc_start {
	const char *sm_arn;          /* a state machine ARN (or version/alias) */
	const char *name;            /* NULL: a UUID */
	const char *input;           /* JSON text; NULL = "{}" */
	const char *trace;           /* JSON text kept with the execution, or NULL */
	const char *parent;          /* the parent execution's ARN, or NULL */
};
/* Durable when it returns 0: *arn (malloc'd), *start_us. Same name + same
 * input again: 0 with *existed (the first one's ARN and start).
 * Errors: StateMachineDoesNotExist, ExecutionAlreadyExists, InvalidName,
 * InvalidExecutionInput, ExecutionLimitExceeded, ServiceUnavailable. */
int svc_start_execution(struct svc *s, const struct svc_start *a, char **arn, int64_t *start_us,
			bool *existed, struct err *e);
/* Invoke a function asynchronously (Lambda's Event invocation: retried,
 * dead-letter record) by name or ARN, for rule/schedule targets. */
int svc_invoke_event(struct svc *s, const char *function, const char *payload, struct err *e);

/* Call fn once the execution ends (on the engine's thread, with what the
 * engine knows: arn, name, status, output, error, cause, dates), or at once
 * (this thread, from the store) when it has ended already. */
typedef void (*svc_done_fn)(void *arg, const struct store_exec *x);
int svc_when_done(struct svc *s, const char *arn, svc_done_fn fn, void *arg);
/* Hand a stored execution to the engine (recovery, redrive). */
int svc_resume(struct svc *s, const struct store_exec *x, uint32_t last_event,
	       const struct store_frame_row *rows, size_t nrows, struct err *e);

/* ---- helpers for actions -------------------------------------------------- */
/* A string member: required (ValidationException when missing), at most
 * max bytes. NULL when absent and optional. Borrowed from req. */
const char *svc_str(json_t *req, const char *key, bool required, size_t max, struct err *e);
/* "arn:aws:states:REGION:ACCOUNT:stateMachine:NAME" etc. malloc'd. */
char *svc_arn(const struct svc *s, const char *service, const char *resource);
/* Seconds since the epoch as the awsJson protocols carry timestamps. */
json_t *svc_time(int64_t us);
/* Resource names: 1-80 (or max) of [A-Za-z0-9_.-] → 0, else -1
 * ValidationException naming the field. */
int svc_check_name(const char *name, const char *field, size_t max, struct err *e);

/* ---- svc_sfn*.c: Step Functions ------------------------------------------------- */
extern const struct svc_action svc_sfn_version_actions[];   /* svc_sfn_versions.c */
extern const struct svc_action svc_sfn_test_actions[];      /* svc_sfn_test.c */
/* InvalidArn unless arn is arn:PARTITION:states:REGION:ACCOUNT:TYPE:...
 * with TYPE one of `types` ("stateMachine|activity"). */
int svc_sfn_check_arn(const char *arn, const char *types, struct err *e);
/* A stored history event as GetExecutionHistory shows it (its details
 * with timestamp, id and previousEventId), or NULL (out of memory). */
json_t *svc_event_json(const struct store_event *v);
/* What a state machine ARN runs: unqualified (the state machine), a
 * version ("SM:3") or an alias ("SM:prod", a version picked by weight).
 * body: the state machine's or the version's (definition, type, name);
 * base: the unqualified ARN; qualified: the ARN given when qualified;
 * version: the version's ARN when one was picked. StateMachineDoesNotExist. */
struct svc_sfn_target {
	struct store_res res;
	json_t *body;
	char *base, *qualified, *version;
};
int svc_sfn_resolve(struct svc *s, const char *arn, struct svc_sfn_target *t, struct err *e);
void svc_sfn_target_free(struct svc_sfn_target *t);
/* Publish the current revision as a new version (or the existing one for
 * that revision); want_rev NULL = any. *varn malloc'd. */
int svc_sfn_publish(struct svc *s, const char *sm_arn, const char *desc, const char *want_rev,
		    char **varn, int64_t *created, struct err *e);
void svc_sfn_delete_children(struct svc *s, const char *sm_arn);
int svc_sfn_check_tags(json_t *tags, struct err *e);
int svc_sfn_merge_tags(json_t *body, json_t *add, const char *arn, struct err *e);
void svc_sfn_uuid(char out[37]);
/* The definition's problems as AWS's InvalidDefinition (0: none). */
int svc_sfn_check_definition(const char *def, struct err *e);

/* ---- svc_events.c ----------------------------------------------------------- */
int svc_sched_open(struct svc *s, struct err *e);   /* SERVER: the scheduler thread */
void svc_sched_close(struct svc *s);
void svc_sched_changed(struct svc *s);               /* a rule/schedule changed: re-plan */

#endif
