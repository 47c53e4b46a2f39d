/* exec_internal — what the engine's files share: the engine, executions,
 * frames (one per running machine: the top level, a Parallel branch, a Map
 * iteration), fan-outs (a running Map or Parallel state), timers and task
 * calls. Not part of the API: only engine.c and exec_*.c include it.
 *
 * Everything here is touched only by the loop thread, except the inbox
 * (engine.lock), execution status/refs (atomics) and task_call_done.
 *
 * Lifetimes: frames are reference counted. References are held by the
 * execution (its root frame), by the fan-out a child belongs to, by the run
 * queue while a frame is queued, by an armed frame timer and by a task call
 * in flight. Each frame holds a reference to its execution; an execution is
 * freed when the engine, its frames and its handles have all let go.
 *
 * json values follow a copy-on-write discipline: a value reachable from
 * more than one holder (refcount > 1) is never modified. */
#ifndef TUTTI_EXEC_INTERNAL_H
#define TUTTI_EXEC_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine.h"

#define EXEC_BATCH      1024   /* states a frame runs before yielding */
#define EXEC_RETRIES_INLINE 4  /* retriers counted without an allocation */
#define EXEC_TOKEN_MAX  96
#define EXEC_FRAME_POOL 256    /* freed frames an engine keeps for reuse */

struct engine;
struct exec;
struct frame;
struct fanout;

/* What a frame's timer does when it fires (exec_run.c). */
enum timer_kind { TK_WAIT, TK_RETRY };

struct timer {
	int64_t due;                  /* CLOCK_MONOTONIC, ns */
	uint64_t seq;                 /* FIFO among equal deadlines */
	size_t pos;                   /* 1-based heap position; 0 = not armed */
	void (*fire)(struct engine *eng, struct timer *t);
};

/* Messages other threads post to the loop. */
enum msg_kind { MSG_START, MSG_TASK_DONE, MSG_TASK_BEAT, MSG_ABORT, MSG_TOKEN, MSG_ABORT_ARN, MSG_PARK_ARN };
struct msg {
	struct msg *next;
	enum msg_kind kind;
	struct exec *ex;              /* START, ABORT (reference held) */
	struct task_call *call;       /* TASK_DONE, TASK_BEAT */
	json_t *result;               /* TASK_DONE, TOKEN success (owned) */
	struct err *err;              /* failures (owned), ABORT (may be NULL) */
	char token[EXEC_TOKEN_MAX];   /* TOKEN */
	bool beat;                    /* TOKEN: heartbeat only */
	char *arn;                    /* ABORT_ARN */
};

struct integ {
	const struct task_ops *ops;
	void *ctx;
};

struct binding {
	char *name;
	struct fn_config *cfg;
};

struct engine {
	struct engine_options o;
	char region[64], account[32], role_arn[128];
	/* shared with other threads */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct msg *inbox, *inbox_tail;
	bool sleeping, stop;
	/* loop thread */
	struct frame *rq_head, *rq_tail;
	struct timer **heap;
	size_t nheap, capheap;
	uint64_t timer_seq;
	struct integ *integ;
	size_t ninteg;
	struct binding *fns;
	size_t nfns;
	struct exec *execs;           /* running executions */
	size_t pending_calls;         /* task calls started, result not processed */
	struct task_call **tokens;    /* open-addressing table of token waits */
	size_t ntokens, captokens;
	uint64_t rng;
	uint64_t seq;
	struct frame *frame_pool;     /* freed frames kept for reuse (rq_next links) */
	unsigned npool;
	struct exec *jdirty;          /* journaled executions changed this turn */
};

/* A pending change to an execution's frame rows (exec_journal.c). */
struct jop {
	enum engine_frame_op op;
	struct frame *f;              /* lazy PUT: snapshot at flush (reference held) */
	char *path;                   /* DELETE_UNDER, eager PUT */
	json_t *body;                 /* eager PUT */
};

/* What engine_resume hands to the loop. */
struct resume_rows {
	size_t n;
	char **paths;
	json_t **bodies;
};

struct exec {
	struct engine *eng;
	_Atomic unsigned refs;
	const struct asl_machine *m;
	enum engine_type type;
	char *name, *arn, *sm_name, *sm_arn;
	char *test_case;              /* mocked responses (exec_mock.c), or NULL */
	json_t *mock_counts;          /* state name -> invocations so far (mocks) */
	json_t *input;
	json_t *ctx_exec, *ctx_sm;    /* $$.Execution, $$.StateMachine (lazy) */
	int64_t start_us;             /* wall clock */
	struct history *hist;         /* NULL: history off */
	unsigned hist_max;
	bool hist_full;               /* the quota was reached: fail at next step */
	struct frame *root;
	struct timer timeout;
	_Atomic int status;           /* enum engine_status */
	json_t *output;
	char *error, *cause;
	bool started;
	uint64_t transitions;
	uint64_t token_seq;
	/* journal (exec_journal.c) */
	bool journaled;               /* STANDARD with a journal */
	bool jdirty;                  /* on eng->jdirty (holds a reference) */
	struct exec *jnext;
	struct jop *jops;
	size_t njops, capjops;
	size_t ev_flushed;            /* history events already checkpointed */
	int64_t version;
	bool jfinished;               /* the finishing checkpoint is pending */
	bool parked;                  /* engine_park_arn: ended without a record */
	json_t *redrive_row;          /* left at "r" when it fails */
	struct resume_rows *resume;   /* engine_resume: rows to rebuild from */
	engine_done_fn done;
	void *arg;
	struct exec *next, *prev;     /* engine->execs */
};

enum frame_status { FR_RUNNING, FR_WAITING, FR_DONE };

struct frame {
	struct exec *ex;
	const struct asl_machine *m;
	struct fanout *fan;           /* the fan-out this frame is a child of */
	size_t index;                 /* branch or item index */
	unsigned refs;
	enum frame_status status;
	bool queued;
	struct frame *rq_next;
	int state;                    /* current state index */
	json_t *input;                /* raw input of the current state */
	size_t in_size;               /* its serialized size (for the data limit), or */
#define IN_SIZE_UNKNOWN SIZE_MAX      /* not measured yet */
	json_t *vars;                 /* workflow variables visible here (may be NULL) */
	json_t *eff;                  /* Wait: effective input while waiting */
	json_t *ctx;                  /* $$ for this state visit (lazy) */
	int64_t entered_us;           /* $$.State.EnteredTime */
	uint32_t prev_event;          /* last event id on this path */
	uint32_t entered_event;       /* the current state's StateEntered id (0: none) */
	json_t *assigned;             /* history on: what this state visit assigned */
	uint32_t retry_total;         /* $$.State.RetryCount */
	uint32_t retries_inline[EXEC_RETRIES_INLINE];
	uint32_t *retries;            /* per retrier of the current state */
	struct timer timer;           /* Wait, Retry */
	int timer_kind;               /* what the timer does (exec_run.c) */
	struct fanout *child;         /* Map/Parallel running in this frame */
	struct task_call *call;       /* Task in flight */
	char *path;                   /* journaled: "r", "r/2", "r/2/15" */
	bool jdirty;                  /* has a lazy PUT pending */
	int64_t due_us;               /* armed timer: wall clock it fires */
	char *resume_token;           /* resumed Task: the token it had */
};

struct fanout {
	struct frame *owner;
	const struct asl_state *st;
	bool is_map;
	size_t n, next, running, done, failed;
	json_t *results;              /* array of n */
	json_t *items;                /* Map: the items */
	json_t *input;                /* Parallel: branch input; Map: ItemSelector's $ */
	json_t *item_ctx;             /* Map: $$ with Map.Item, reused per item */
	struct frame **kids;          /* n slots, NULL when not running */
	uint32_t max_running;
	bool tolerate;                /* a tolerated failure threshold is set */
	double tolerated_pct;
	uint64_t tolerated_count;
	bool ended;
	uint32_t started_event;
	unsigned char *failed_at;     /* Map: n flags, the iterations that failed (tolerated) */
};

struct task_call {
	struct engine *eng;
	struct frame *f;              /* reference held while in flight */
	const struct asl_state *st;
	const struct task_ops *ops;
	void *ctx;
	void *data;
	struct msg *msg;              /* for task_call_done, allocated up front */
	json_t *input;                /* effective parameters */
	char token[EXEC_TOKEN_MAX];   /* "" unless .waitForTaskToken */
	struct timer timeout, heartbeat;
	uint32_t timeout_s, heartbeat_s;
	bool cancelled;               /* the state stopped waiting */
	bool finished;                /* the integration's result arrived */
	bool awaiting_token;          /* finished, waiting for SendTask* */
	int64_t timeout_at_us;        /* wall clock deadlines (0 = none) */
	int64_t beat_at_us;
	_Atomic bool done_called;
	const struct asl_item_reader *reader;   /* a Map's ItemReader call, else NULL */
	uint64_t reader_max;          /* its MaxItems (0 = all) */
	const struct asl_result_writer *writer; /* a Map's ResultWriter export, else NULL */
};

/* ---- engine.c ---- */
int64_t exec_now_ns(void);                 /* monotonic */
int64_t exec_now_us(void);                 /* wall clock */
/* 0, or -ENOMEM (the timer is not armed). */
int exec_timer_arm(struct engine *eng, struct timer *t, int64_t delay_ns);
void exec_timer_cancel(struct engine *eng, struct timer *t);
void exec_schedule(struct frame *f);       /* queue to run */
uint64_t exec_random(struct engine *eng);
void exec_post(struct engine *eng, struct msg *m);

/* ---- exec_run.c: frames and states ---- */
struct frame *frame_new(struct exec *ex, const struct asl_machine *m, json_t *input_take,
			json_t *vars, struct fanout *fan, size_t index);
void frame_ref(struct frame *f);
void frame_unref(struct frame *f);
void frame_run(struct frame *f);
void frame_pool_free(struct engine *eng);
/* Stop a frame and everything under it (timers, task calls, children). */
void frame_abort(struct frame *f, bool events);
/* Record an event on this frame's path; returns its id (0 when off). */
uint32_t exec_event(struct frame *f, struct history_event *ev);
uint32_t exec_event_simple(struct frame *f, enum history_type t, json_t *data);
uint32_t exec_event_error(struct frame *f, enum history_type t, const struct err *e);
/* The execution ends: success (output taken) or failure. */
void exec_finish(struct exec *ex, enum engine_status st, json_t *output, const char *error,
		 const char *cause);
void exec_unref(struct exec *ex);

enum run_step { STEP_NEXT, STEP_WAIT, STEP_END };
/* Resume a parked frame with its state's result (taken) or error. */
void exec_resume_result(struct frame *f, json_t *result);
void exec_resume_error(struct frame *f, const struct err *e);
/* The same for an error of the parked state's own evaluation (a Map's
 * ItemSelector evaluated as iterations start): EvaluationFailed and the
 * failure sentence as for exec_state_error(). */
void exec_resume_own_error(struct frame *f, const struct err *e);
/* Retry, Catch, or the end of the frame, for an error in state st. */
enum run_step exec_state_error(struct frame *f, const struct asl_state *st, const struct err *e);
/* What exec_flow.c's states share with the rest of a state's run: the
 * frame ends failed; the frame input's serialized size (measured once);
 * the state's output goes on to `next` (or ends the frame); a size over
 * the data limit is States.DataLimitExceeded for `what`; OutputPath
 * applied; and a state's result (taken) processed to its output
 * (ResultSelector, ResultPath, OutputPath, or JSONata's Assign/Output). */
void frame_end_fail(struct frame *f, const struct err *e);
/* The current state failed by its own doing (an evaluation, a path, a
 * limit), with no Catch left to run: the EvaluationFailed event for a
 * JSONata query error, the cause prefixed as Step Functions words an
 * execution's failure, then frame_end_fail. A Fail state's own Error and
 * Cause do not come here. */
void exec_fail_state(struct frame *f, const struct err *e);
size_t frame_in_size(struct frame *f);
enum run_step exec_transition(struct frame *f, const struct asl_state *st, json_t *out,
			      size_t size, int next);
int exec_data_limit(size_t size, const char *what, struct err *e);
int exec_output_path(struct frame *f, const struct asl_state *st, json_t **out, size_t *size,
		     struct err *e);
enum run_step exec_state_finish(struct frame *f, const struct asl_state *st, json_t *result);

/* ---- exec_flow.c: Pass, Choice, Wait, Succeed, Fail ---- */
enum run_step exec_run_pass(struct frame *f, const struct asl_state *st);
enum run_step exec_run_choice(struct frame *f, const struct asl_state *st);
enum run_step exec_run_wait(struct frame *f, const struct asl_state *st);
/* The end of a Wait (its timer fired, or no time to wait). */
enum run_step exec_wait_done(struct frame *f);
enum run_step exec_run_succeed(struct frame *f, const struct asl_state *st);
enum run_step exec_run_fail(struct frame *f, const struct asl_state *st);

/* ---- exec_io.c: paths, templates, ResultPath, sizes, $$ ---- */
struct map_item {
	size_t index;
	json_t *value;
	json_t **cache;               /* the fan-out's reusable $$ (may be NULL) */
};
struct evalctx {
	struct frame *f;
	json_t *input;                /* what `$` is (borrowed) */
	const struct map_item *item;  /* ItemSelector: $$.Map.Item */
	json_t *ctx;                  /* materialized $$ (owned, lazy) */
	/* JSONata: $states.result and $states.errorOutput (borrowed, NULL =
	 * not bound); $states.input is `input`, $states.context is $$. */
	json_t *result, *errout;
	/* JSONata: the field being evaluated ("Output", "Arguments", ...), which
	 * errors about a member of it name as "Output/a/b[0]"; NULL: none. */
	const char *field;
};
void ec_init(struct evalctx *ec, struct frame *f, json_t *input);
void ec_done(struct evalctx *ec);
int ec_path(struct evalctx *ec, const struct jsonpath *p, json_t **out, struct err *e);
int ec_template(struct evalctx *ec, const struct asl_template *t, json_t **out, struct err *e);
int ec_expr(struct evalctx *ec, const struct asl_expr *x, json_t **out, struct err *e);
/* InputPath / OutputPath: absent = all, null = {}. */
int io_select(struct frame *f, const struct asl_path *p, json_t *in, json_t **out,
	      struct err *e);
/* ResultPath placement with copy-on-write; `size` in: size of `in`, out:
 * size of the output (ENGINE_DATA_MAX + 1 when it is over). */
int io_result_path(const struct asl_path *p, json_t *in, json_t *result, json_t **out,
		   size_t *size, struct err *e);
/* Serialized size of v, stopping early above `cap` (returns cap + 1). */
size_t io_size(const json_t *v, size_t cap);
/* Apply an Assign template: $ = `input`. */
int io_assign(struct frame *f, const struct asl_template *assign, json_t *input,
	      struct err *e);
/* Merge already evaluated variables (an object) into the frame's. */
int io_assign_values(struct frame *f, json_t *vals, struct err *e);
/* $$ for the evaluation (borrowed from ec), or NULL. */
json_t *ec_context(struct evalctx *ec);
void exec_ctx_invalidate(struct frame *f);
/* ISO 8601 UTC with milliseconds ("2024-01-02T03:04:05.678Z"). */
void exec_format_time(int64_t us, char *buf, size_t n);

/* ---- exec_jsonata.c: JSONata states ---- */
/* The environment every JSONata evaluation uses: Step Functions' $partition,
 * $range, $hash, $random, $uuid, $parse; $eval forbidden. Built once. */
const struct jsonata_env *exec_jx_env(void);
/* A JSONata leaf (ASL_T_JSONATA) with $states bound; *out NULL when the
 * value is undefined. Errors: States.QueryEvaluationError, naming `field`
 * ("Output/a[0]"; NULL: none). */
int ec_jsonata(struct evalctx *ec, const struct asl_template *t, const char *field, json_t **out,
	       struct err *e);
/* A whole JSONata field (`what` names it in errors): undefined is an error,
 * for the field and for any member or item of it (as Step Functions fails). */
/* The expression of a "{% ... %}" field without the braces and the
 * blanks inside them, as Step Functions quotes it in a cause: *b, and the
 * length. */
int jx_inner(const char *s, const char **b);
int jx_field(struct evalctx *ec, const struct asl_template *t, const char *what, json_t **out,
	     struct err *e);
/* The end of a JSONata state: Assign and Output evaluated with the
 * variables from before the state ($states.input = `input`, result and
 * errout as given, NULL = unbound), then the variables assigned. *out: the
 * Output, or when it is absent result, else errout, else input. */
/* The error for an expression that gave undefined in the field (a path
 * such as "Output/list[0]"): States.QueryEvaluationError. */
int jx_undefined(const struct asl_template *t, const char *field, struct err *e);
int jx_finish(struct frame *f, json_t *input, json_t *result, json_t *errout,
	      const struct asl_template *assign, const char *assign_name,
	      const struct asl_template *output, const char *output_name, json_t **out,
	      struct err *e);
/* Seconds from a JSONata expression (TimeoutSeconds, Wait Seconds, ...):
 * an integer in [min, max]. */
int jx_seconds(struct evalctx *ec, const struct asl_template *t, const char *what, uint64_t min,
	       uint64_t max, uint64_t *out, struct err *e);

/* ---- exec_journal.c ---- */
/* The frame's row changed (snapshot taken at the end of the turn). */
void jr_touch(struct frame *f);
/* A row written now: a finished child's result. body taken. */
void jr_put_now(struct frame *f, json_t *body_take);
/* The rows under this frame (its fan-out's children) are gone. */
void jr_delete_under(struct frame *f);
/* The execution ended (called by exec_finish, before the root goes). */
void jr_finish(struct exec *ex);
/* Checkpoint every changed execution (end of each loop turn). */
void jr_flush(struct engine *eng);
/* Rebuild a resumed execution's frames (loop thread, exec_begin). */
int jr_restore(struct exec *ex, struct err *e);
void jr_exec_free(struct exec *ex);
char *jr_child_path(const struct frame *owner, size_t index);
/* Row helpers shared with exec_fanout.c / exec_task.c. */
json_t *jr_frame_body(struct frame *f, const char *kind);
struct frame *jr_restore_frame(struct exec *ex, const struct asl_machine *m, const char *path,
			       struct fanout *fan, size_t index, struct err *e);
json_t *jr_row(struct exec *ex, const char *path);

/* ---- exec_choice.c ---- */
/* 1 match, 0 no match, -1 error (e). */
int choice_eval(struct evalctx *ec, const struct asl_rule *r, struct err *e);

/* ---- exec_fanout.c ---- */
enum run_step fanout_parallel(struct frame *f, const struct asl_state *st, json_t *eff);
enum run_step fanout_map(struct frame *f, const struct asl_state *st, json_t *eff);
/* Start the Map's iterations over `items` (taken; an array), `eff` (taken)
 * its effective input: 0 (running, or already complete when empty), or -1
 * with e (both released; the caller fails the state). */
int fanout_map_items(struct frame *f, const struct asl_state *st, json_t *eff, json_t *items,
		     struct err *e);
void fanout_child_done(struct frame *child, json_t *output);
void fanout_child_failed(struct frame *child, const struct err *e);
void fanout_abort(struct fanout *fan, bool events);
/* Rebuild a fan-out from its owner's row (kind "fan") and its children's. */
int fanout_restore(struct frame *f, const struct asl_state *st, json_t *row, struct err *e);
/* The fan-out's part of the owner's row. New reference. */
json_t *fanout_row(const struct fanout *fan);

/* ---- exec_itemreader.c: a Map's ItemReader ---- */
/* Evaluate the reader's Parameters/Arguments and MaxItems on `eff` (taken)
 * and start the read through the integration that serves its Resource;
 * the frame waits for reader_done. */
enum run_step reader_start(struct frame *f, const struct asl_state *st, json_t *eff);
/* The read ended: items (taken; an array) or e. Starts the iterations or
 * fails the state (Retry/Catch). */
void reader_done(struct frame *f, json_t *items, const struct err *e);

/* ---- exec_resultwriter.c: a Map's ResultWriter ---- */
/* The Map's results as its ResultWriter shapes them: 0 with *out (the
 * state's result), 1 when they are being written to S3 (the owner waits
 * for writer_done), -1 with e. Call before fan is freed. */
int writer_results(struct fanout *fan, json_t **out, struct err *e);
/* The export ended: {"MapRunArn", "ResultWriterDetails"} (taken) or e. */
void writer_done(struct frame *f, json_t *result, const struct err *e);
/* A resumed frame whose export was in flight (its row's "win"): start it
 * again. 0, or -1 with e. */
int writer_restore(struct frame *f, const struct asl_state *st, json_t *win, struct err *e);

/* ---- exec_task.c ---- */
/* Start a Map's ItemReader (reader) or ResultWriter (writer) call (input
 * taken) on the integration that matches its Resource; no Task events.
 * 0 (f->call set; the result goes to reader_done or writer_done), or -1
 * with e. */
int task_start_mapio(struct frame *f, const struct asl_state *st,
		     const struct asl_item_reader *reader, const struct asl_result_writer *writer,
		     json_t *input, uint64_t max_items, struct err *e);
enum run_step task_attempt(struct frame *f, const struct asl_state *st);
void task_msg(struct engine *eng, struct msg *m);
void task_cancel(struct task_call *c, bool events);
void task_register_builtin(struct engine *eng);
void task_token_msg(struct engine *eng, struct msg *m);
/* A resumed Task whose integration had finished: wait for its token again. */
int task_restore_token(struct frame *f, const struct asl_state *st, const char *token,
		       int64_t timeout_at_us, int64_t beat_at_us, struct err *e);

#endif
