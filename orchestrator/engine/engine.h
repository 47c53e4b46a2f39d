/* engine — runs executions of compiled state machines (asl.h) the way AWS
 * Step Functions runs them: input/output processing, every state type,
 * Retry/Catch, Map and Parallel, variables, limits and the execution
 * history.
 *
 * The engine is event-driven: an execution, a Parallel branch and a Map
 * iteration are each a small struct (a "frame") advanced by one loop;
 * Wait states and Retry intervals are timers; Task states start an
 * integration (a Lambda function through the runtime, or any registered
 * task_ops) and park until its result is posted back to the loop. No
 * thread is created per execution: the loop runs on the thread that calls
 * engine_run or engine_loop, and Task results come back from the runtime's
 * I/O thread through a queue.
 *
 * Ownership: the engine borrows the runtime, the registry and every
 * compiled machine passed to it (a machine must outlive its executions and
 * their histories). Inputs are borrowed (the engine takes its own
 * references). An execution handle returned through `out` is the caller's
 * until engine_exec_release; values read from it are borrowed from it.
 *
 * Thread-safety: engine_start, engine_abort, engine_stop, engine_task_*
 * and task_call_done/heartbeat may be called from any thread. engine_run
 * and engine_loop run the loop on the calling thread; only one thread may
 * run the loop at a time, and engine_free only once no thread runs it. Execution accessors are safe from any thread
 * once the execution has ended (engine_exec_status != ENGINE_RUNNING); the
 * history may be read while it grows (see history.h). Callbacks (done,
 * task_ops) run on the loop thread, except where noted. */
#ifndef TUTTI_ENGINE_H
#define TUTTI_ENGINE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "asl.h"
#include "err.h"
#include "fnconf.h"
#include "history.h"

#define ENGINE_DATA_MAX      (256 * 1024) /* bytes of a state's input/output */
#define ENGINE_HISTORY_MAX   25000        /* events of a STANDARD execution */
#define ENGINE_MAP_INLINE_MAX 40          /* inline Map iterations at once when
					   * MaxConcurrency is 0 (as AWS) */
#define ENGINE_NAME_MAX      80           /* execution / state machine names */

struct rt;
struct registry;
struct engine;
struct engine_exec;

/* STANDARD records the history with its 25,000-event quota; EXPRESS
 * (like Step Functions' Express workflows) has no history quota. */
enum engine_type { ENGINE_STANDARD, ENGINE_EXPRESS };

enum engine_status {
	ENGINE_RUNNING, ENGINE_SUCCEEDED, ENGINE_FAILED, ENGINE_TIMED_OUT, ENGINE_ABORTED
};

struct engine_journal;

struct engine_options {
	const struct engine_journal *journal; /* durable checkpoints (below); NULL = none */
	bool journal_batch;          /* one checkpoint per execution per loop turn
				      * (up to EXEC_BATCH states) instead of one per
				      * state transition */
	struct rt *rt;               /* NULL: tasks calling functions fail (States.Runtime) */
	struct registry *registry;   /* NULL: only functions bound with engine_bind_function */
	double wait_scale;           /* multiplies Wait and Retry delays; 0 = instantaneous */
	bool history;                /* record execution histories */
	unsigned history_max;        /* STANDARD quota (counted on the recorded
				      * history: applies only with `history`); 0 = none */
	const char *region;          /* in ARNs; default REGISTRY_REGION */
	const char *account;         /* in ARNs; default REGISTRY_ACCOUNT */
	uint64_t seed;               /* jitter and task tokens; 0 = from the clock */
};

/* Defaults: wait_scale 1, history on, history_max ENGINE_HISTORY_MAX. */
void engine_options_init(struct engine_options *o);

struct engine *engine_new(const struct engine_options *o, struct err *e);
/* Aborts running executions (ExecutionAborted), waits for the task calls
 * still out (their results are dropped) and frees everything. */
void engine_free(struct engine *eng);

/* Run `name` (as a Task Resource names it: NAME, or the NAME in a Lambda
 * ARN or in lambda:invoke's FunctionName) with this configuration instead
 * of looking it up in the registry. Not thread-safe: bind before running. */
int engine_bind_function(struct engine *eng, const char *name, const struct fn_config *cfg);

typedef void (*engine_done_fn)(void *arg, struct engine_exec *x);

struct engine_start_args {
	const struct asl_machine *machine; /* borrowed; must outlive the execution */
	json_t *input;                     /* borrowed; NULL = {} */
	const char *name;                  /* execution name; NULL = a UUID */
	const char *machine_name;          /* $$.StateMachine.Name; NULL = "StateMachine" */
	enum engine_type type;
	engine_done_fn done;               /* may be NULL; runs on the loop thread */
	void *arg;
	const char *test_case;             /* mocked responses to use (engine_mock.h),
					    * or NULL */
};

/* Start an execution; it runs when the loop runs. Returns 0 (and, when
 * `out` is not NULL, a handle the caller releases) or -1 with e set
 * (invalid name: InvalidName; input over ENGINE_DATA_MAX:
 * States.DataLimitExceeded); then `done` is never called. */
int engine_start(struct engine *eng, const struct engine_start_args *a,
		 struct engine_exec **out, struct err *e);
/* Start and run the loop on this thread until that execution ends. */
int engine_run(struct engine *eng, const struct engine_start_args *a,
	       struct engine_exec **out, struct err *e);
/* Run the loop until engine_stop (for servers: one thread). */
void engine_loop(struct engine *eng);
void engine_stop(struct engine *eng);
/* Take a journaled execution out of the engine without recording anything
 * (its checkpoints could not be kept: the store resumes it from the last
 * one that was). Its done callback runs with engine_exec_parked true. */
int engine_park_arn(struct engine *eng, const char *arn);
bool engine_exec_parked(const struct engine_exec *x);
/* The same by ARN: 0, or -1 when no running execution has it. */
int engine_abort_arn(struct engine *eng, const char *arn, const char *error, const char *cause);
/* Stop a running execution: it ends ENGINE_ABORTED with this error/cause
 * (may be NULL). No effect on an ended one. */
void engine_abort(struct engine *eng, struct engine_exec *x, const char *error,
		  const char *cause);

/* Step Functions' name rule for executions and state machines: 1-80
 * characters, no whitespace, wildcards, brackets or :;,\\|^~$#%&`" */
bool engine_name_ok(const char *name);
/* A random (version 4) UUID, the name of an execution started without one. */
void engine_uuid(char out[37]);

/* ---- executions -------------------------------------------------------- */
enum engine_status engine_exec_status(const struct engine_exec *x);
json_t *engine_exec_output(const struct engine_exec *x);   /* SUCCEEDED: borrowed */
const char *engine_exec_error(const struct engine_exec *x); /* else: may be NULL */
const char *engine_exec_cause(const struct engine_exec *x);
const char *engine_exec_name(const struct engine_exec *x);
const char *engine_exec_arn(const struct engine_exec *x);
const struct history *engine_exec_history(const struct engine_exec *x); /* NULL if off */
/* States entered so far (every state of every branch and iteration). */
uint64_t engine_exec_transitions(const struct engine_exec *x);
enum engine_type engine_exec_type(const struct engine_exec *x);
int64_t engine_exec_start_us(const struct engine_exec *x);
struct engine_exec *engine_exec_ref(struct engine_exec *x);
void engine_exec_release(struct engine_exec *x);

/* ---- durability: checkpoints and resuming ----------------------------------
 * With a journal, every STANDARD execution reports its progress as a
 * sequence of checkpoints, one per execution per loop turn in which it
 * changed. A checkpoint holds the history events appended since the last
 * one and the changes to its "frames": one JSON row per running path — the
 * top level ("r"), a Parallel branch or Map iteration ("r/2", "r/2/15") —
 * saying what that path does next (enter a state with an input, wait until
 * an absolute time, re-run a task, wait for a task token, wait for its
 * children, or, for a finished child, its result). Applying the
 * checkpoints in order to a store and handing the rows back to
 * engine_resume continues the execution from its last applied checkpoint:
 * no state that completed in an applied checkpoint runs again, no event
 * is recorded twice; a Task that was in flight runs again (its
 * TaskScheduled/TaskStarted events appear a second time).
 * EXPRESS executions are not journaled (at-most-once, as AWS). */
enum engine_frame_op { ENGINE_FRAME_PUT, ENGINE_FRAME_DELETE_UNDER, ENGINE_FRAME_DELETE_ALL };
struct engine_frame_change {
	enum engine_frame_op op;
	const char *path;            /* PUT, DELETE_UNDER (rows strictly below) */
	json_t *body;                /* PUT: the row (borrowed) */
	const char *token;           /* PUT: the task token it waits on, or NULL */
	int64_t due_us;              /* PUT: wall clock it wakes at, 0 = none */
};
struct engine_checkpoint {
	const char *exec_arn;
	int64_t version;             /* checkpoints before this one + the first
				      * (engine_resume's version): the store's
				      * optimistic check */
	const struct history *hist;  /* new events: history_get(hist, i), */
	size_t ev_from, ev_to;       /* ev_from <= i < ev_to */
	const struct engine_frame_change *changes;
	size_t nchanges;
	bool finished;
	enum engine_status status;   /* finished: the end */
	json_t *output;              /* SUCCEEDED (borrowed) */
	const char *error, *cause;
	int64_t stop_us;
};
struct engine_journal {
	/* On the loop thread; everything borrowed for the call only. */
	void (*checkpoint)(void *ctx, const struct engine_checkpoint *c);
	void *ctx;
};

struct engine_frame_row {
	const char *path;
	json_t *body;                /* borrowed */
};
struct engine_resume_args {
	const struct asl_machine *machine;  /* borrowed; outlives the execution */
	const char *arn, *name, *machine_name, *machine_arn;
	json_t *input;               /* the execution's input (borrowed) */
	enum engine_type type;
	int64_t start_us;            /* wall clock it started */
	uint32_t last_event;         /* the last history event id recorded */
	int64_t version;             /* the store's version of the execution */
	const struct engine_frame_row *rows;  /* its frame rows */
	size_t nrows;
	engine_done_fn done;
	void *arg;
	const char *test_case;       /* as engine_start_args */
};
/* Continue an execution from its rows (a new one: engine_first_row's row
 * at "r"). 0 (and *out when not NULL), or -1 with e (a row that does not
 * fit the machine: States.Runtime). */
int engine_resume(struct engine *eng, const struct engine_resume_args *a,
		  struct engine_exec **out, struct err *e);
/* The first row of a new execution: enter StartAt with `input`.
 * New reference. */
json_t *engine_first_row(const struct asl_machine *m, json_t *input);
/* Redrive: the row a FAILED/TIMED_OUT/ABORTED execution left at "r"
 * (kind "redrive") turned into a row that re-enters the top-level state
 * that failed (a Map or Parallel runs again whole), after event
 * `prev_event` (ExecutionRedriven); NULL when `row` is not one. New
 * reference. */
json_t *engine_redrive_row(json_t *row, uint32_t prev_event);

/* ---- waitForTaskToken callbacks (SendTaskSuccess/Failure/Heartbeat) ---- */
/* 0, or -1 with e (TaskDoesNotExist, TaskTimedOut) for an unknown token. */
int engine_task_success(struct engine *eng, const char *token, json_t *output, struct err *e);
int engine_task_failure(struct engine *eng, const char *token, const char *error,
			const char *cause, struct err *e);
int engine_task_heartbeat(struct engine *eng, const char *token, struct err *e);

/* ---- integrations --------------------------------------------------------
 * A Task state's Resource is served by the first registered integration
 * whose match() accepts it. Built in, registered by engine_new: Lambda
 * functions (NAME, Lambda function ARNs) and arn:aws:states:::lambda:invoke.
 * HTTP, S3 and others plug in here without touching the interpreter. */
struct task_call;

/* Where a Task runs, for task_ops.match_state. */
struct task_where {
	const char *state;          /* the state's name (unique in a machine) */
	const char *machine_name;   /* $$.StateMachine.Name */
	const char *test_case;      /* engine_start_args.test_case, or NULL */
};

struct task_ops {
	const char *name;       /* resourceType in the history ("lambda", "http");
				 * NULL: the Resource's service */
	/* History as LambdaFunction* events (classic Lambda ARNs) instead of
	 * Task* events. */
	bool lambda_events;
	bool (*match)(const struct asl_task *t, void *ctx);
	/* Optional, asked instead of match: the same with where the Task
	 * runs (mocked responses answer some states of some executions). */
	bool (*match_state)(const struct asl_task *t, const struct task_where *w, void *ctx);
	/* Start the call. Return 0 and call task_call_done exactly once later
	 * (from any thread, possibly before start returns), or return -1 with
	 * e set (a States.* or service error name) and never call it. */
	int (*start)(struct task_call *c, void *ctx, struct err *e);
	/* Optional: the state stopped waiting (timeout, abort). The call must
	 * still end with task_call_done, whose result is then dropped. */
	void (*cancel)(struct task_call *c, void *ctx);
};

/* Register an integration (ops and ctx borrowed). Later registrations are
 * tried first, so one can override a built-in. Not thread-safe. */
int engine_register_task(struct engine *eng, const struct task_ops *ops, void *ctx);

/* What a call sees; all borrowed for the life of the call. */
const struct asl_task *task_call_task(const struct task_call *c);
const char *task_call_state(const struct task_call *c);    /* state name */
json_t *task_call_input(const struct task_call *c);        /* effective parameters */
const char *task_call_token(const struct task_call *c);    /* .waitForTaskToken */
struct engine *task_call_engine(const struct task_call *c);
const char *task_call_execution(const struct task_call *c);  /* its execution's ARN */
/* The function configuration for `name[:qualifier]`: a binding or the
 * registry. 0, or -1 with e (States.TaskFailed: unknown function). */
int task_call_resolve_function(struct task_call *c, const char *ref, struct fn_config *out,
			       struct err *e);
struct rt *task_call_rt(const struct task_call *c);
void task_call_set_data(struct task_call *c, void *data);
void *task_call_data(const struct task_call *c);
/* A Map's ItemReader call (else NULL): task_call_task is the reader's
 * Resource, task_call_input its evaluated Parameters/Arguments (Bucket,
 * Key, Prefix), and the result must be the array of items (at most
 * task_call_reader_max of them when that is not 0). The reader's errors
 * are States.ItemReaderFailed. */
const struct asl_item_reader *task_call_reader(const struct task_call *c);
uint64_t task_call_reader_max(const struct task_call *c);
/* A Map's ResultWriter export (else NULL): task_call_input is
 * {"Bucket", "Prefix", "MapRunArn", "OutputType", "SUCCEEDED": [...],
 * "FAILED": [...]} (the records as the writer's Transformation shaped
 * them); the result must be {"MapRunArn", "ResultWriterDetails": {"Bucket",
 * "Key"}}; errors are States.ResultWriterFailed. */
const struct asl_result_writer *task_call_writer(const struct task_call *c);
/* Finish: `result` (reference taken) on success, or e (type = error
 * name, msg = cause) on failure. Thread-safe; exactly once. */
void task_call_done(struct task_call *c, json_t *result, const struct err *e);
void task_call_heartbeat(struct task_call *c);

#endif
