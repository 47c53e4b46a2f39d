/* store — the durable state of `tutti serve` behind one narrow interface:
 * SQLite (WAL, one file under $TUTTI_HOME) now, PostgreSQL (many servers
 * on one database) next. Nothing above this header knows SQL.
 *
 * What is kept:
 *   resources    state machines, their versions and aliases, EventBridge
 *                rules, Scheduler schedules and groups, tags: each one row
 *                (kind, arn, name, parent, JSON body), see store_res_*;
 *   executions   one row each (store_exec), with a version bumped by
 *                every transition;
 *   history      the events of each execution, ids 1, 2, ... (store_event);
 *   frames       "what happens next" for each running execution: one row
 *                per running path (the top level, a Parallel branch, a Map
 *                iteration), with its state, input and what it waits for
 *                (a timer as an absolute time, a task, a token, children);
 *   fires        one row per (schedule, fire time) that has fired;
 *   invocations  one row per function invocation (request id, duration,
 *                status, log tail).
 *
 * The transition model: everything an execution does between two
 * checkpoints is one store_txn — the history events it appended, the
 * frame rows it changed (in order: puts and deletes), the execution's new
 * status — applied in one database transaction together with a version
 * bump checked against the version the engine last saw (optimistic
 * concurrency: with PostgreSQL, a second node holding a stale copy fails
 * its commit instead of forking the execution). Transactions are queued
 * and committed in groups by one writer thread: one fsync per group, not
 * per transition. store_commit returns at once; store_sync (or the
 * completion callback) says when it is durable.
 *
 * Text fields that carry JSON (inputs, outputs, bodies, event details) are
 * JSON text: the store never parses them, except where noted.
 *
 * Errors: -1 with *e set to one of the names below (or ResourceNotFound /
 * InvalidParameterValue from errors.def), never a crash on a corrupt row.
 *   StoreLocked          another `tutti serve` holds this $TUTTI_HOME
 *   StoreCorrupt         the database file is not a tutti database / damaged
 *   StoreSchemaTooNew    written by a newer tutti (its schema version named)
 *   StoreFull            the disk is full: the transaction was rolled back
 *   StoreConflict        a version check failed (another writer moved on)
 *   StoreIO              any other database error (its message kept)
 *
 * Thread-safety: a struct store may be used from any number of threads at
 * once (reads use their own connection per thread or a pool; writes go
 * through the writer thread). store_close must not race with anything.
 *
 * Visibility: reads see what is committed. A store_commit (or
 * store_invocation_add) is visible to reads once it is durable — after its
 * callback, or after a later store_sync returns; every synchronous write
 * (store_res_*, store_seq_next, store_exec_create, store_exec_reopen,
 * store_fire_claim/set) is durable and visible when it returns.
 *
 * Sizes: names ≤ STORE_NAME_MAX, ARNs ≤ STORE_ARN_MAX, kinds ≤
 * STORE_KIND_MAX bytes (InvalidParameterValueException otherwise); any
 * one text field ≤ STORE_VALUE_MAX. */
#ifndef TUTTI_STORE_H
#define TUTTI_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define STORE_SCHEMA_VERSION 1      /* highest migration this build knows */
#define STORE_PAGE_MAX       1000   /* rows one list call returns at most */
#define STORE_TOKEN_MAX      1024   /* bytes of a pagination token */
#define STORE_KIND_MAX       32     /* bytes of a resource kind */
#define STORE_NAME_MAX       128    /* bytes of a resource's or execution's name */
#define STORE_ARN_MAX        512    /* bytes of an ARN (so that a token fits) */
#define STORE_VALUE_MAX      (16u << 20) /* bytes of one text field (InvalidParameterValue) */
#define STORE_QUEUE_MAX      65536  /* queued writes (TooManyRequestsException) */
#define STORE_LOG_TAIL_MAX   4096   /* bytes of an invocation's log tail kept */

struct store;
struct store_txn;

enum store_mode {
	STORE_SERVER,    /* takes the lock ($TUTTI_HOME/serve.lock); migrates */
	STORE_READER     /* read-only, no lock (CLI read commands while a server runs) */
};

struct store_options {
	const char *home;       /* $TUTTI_HOME; the database is HOME/tutti.db */
	enum store_mode mode;
	bool fsync;             /* synchronous=FULL (default true); false = NORMAL */
	unsigned group_max;     /* transactions per commit at most (default 512) */
	unsigned group_wait_us; /* how long the writer may wait to fill a group
				 * when the queue is short (default 0: commit what
				 * is there as soon as the previous commit ends) */
	unsigned invocations_keep; /* rows kept per function (default 1000) */
};
void store_options_init(struct store_options *o);

/* Open (creating the file and applying migrations in STORE_SERVER mode).
 * Refuses: StoreLocked, StoreCorrupt, StoreSchemaTooNew. A reader on a
 * missing database gets ResourceNotFoundException ("no store yet"). */
int store_open(const struct store_options *o, struct store **out, struct err *e);
/* Waits for every queued transaction, then closes and unlocks. */
void store_close(struct store *s);

/* ---- resources: everything that is a named, ARN'd object with a JSON body.
 * kind: "state-machine", "state-machine-version", "state-machine-alias",
 * "rule", "schedule", "schedule-group", "function-event-config", ...
 * (free text, ≤ 32 bytes). parent: the ARN it belongs to ("" = none; a
 * version's or alias's state machine, a schedule's group). */
struct store_res {
	char *kind, *arn, *name, *parent;
	char *body;             /* JSON text (an object) */
	int64_t created_us, updated_us;
	int64_t revision;       /* 1 on create, +1 per update */
};
void store_res_free(struct store_res *r);   /* the fields, not r */

/* Create: -1 ResourceConflictException when the ARN exists. Durable when
 * it returns (waits for its group). */
int store_res_create(struct store *s, const struct store_res *r, struct err *e);
/* Replace the body (kind, name and parent are kept); revision must be the
 * current one (0 = any): StoreConflict otherwise; ResourceNotFoundException.
 * Durable when it returns, as store_res_delete. */
int store_res_update(struct store *s, const char *arn, const char *body, int64_t revision,
		     struct err *e);
int store_res_delete(struct store *s, const char *arn, struct err *e);
/* 0 found, -1 ResourceNotFoundException. */
int store_res_get(struct store *s, const char *arn, struct store_res *out, struct err *e);
/* Ordered by name then arn; `parent` NULL = any. Pagination: pass the
 * returned *next (malloc'd, NULL at the end) as `token`. limit 0 = 100. */
int store_res_list(struct store *s, const char *kind, const char *parent, const char *token,
		   unsigned limit, struct store_res **out, size_t *n, char **next, struct err *e);
void store_res_list_free(struct store_res *v, size_t n);
/* The next number in a per-ARN sequence (versions: 1, 2, ...), durable. */
int store_seq_next(struct store *s, const char *arn, int64_t *out, struct err *e);

/* ---- executions --------------------------------------------------------- */
enum store_status {
	STORE_RUNNING, STORE_SUCCEEDED, STORE_FAILED, STORE_TIMED_OUT, STORE_ABORTED,
	STORE_PENDING_REDRIVE
};
const char *store_status_name(enum store_status st);           /* "RUNNING", ... */
int store_status_parse(const char *s, enum store_status *out);  /* 0 or -1 */

struct store_exec {
	char *arn, *name;
	char *sm_arn;           /* the state machine (unqualified) */
	char *sm_qualified;     /* the version or alias ARN it started from, or NULL */
	char *type;             /* "STANDARD" | "EXPRESS" */
	char *input;            /* JSON text */
	char *output;           /* JSON text or NULL */
	char *error, *cause;    /* or NULL */
	char *parent;           /* the parent execution's ARN (nested) or NULL */
	char *trace;            /* free JSON text (e.g. the schedule that fired it) or NULL */
	enum store_status status;
	int64_t start_us, stop_us;   /* stop 0 while running */
	int64_t version;             /* bumped by every transition */
	int64_t redrive_count;
	int64_t redrive_us;          /* last redrive, 0 = never */
};
void store_exec_free(struct store_exec *x);

/* Insert a RUNNING execution (version 1) with its first events and frame
 * rows in the same transaction (t may be NULL; t->exec_arn must be x->arn;
 * t->version, status and finished are ignored; start_us 0 = now).
 * Idempotency as StartExecution: the same ARN again with the same input
 * returns 0 and *existed = true (x is not written); with a different
 * input: ExecutionAlreadyExists. Durable when it returns. */
int store_exec_create(struct store *s, const struct store_exec *x, const struct store_txn *t,
		      bool *existed, struct err *e);
int store_exec_get(struct store *s, const char *arn, struct store_exec *out, struct err *e);

struct store_exec_query {
	const char *sm_arn;          /* NULL = all */
	bool has_status;
	enum store_status status;
	const char *token;           /* from a previous *next */
	unsigned limit;              /* 0 = 100, ≤ STORE_PAGE_MAX */
	const char *name_contains;   /* NULL/"" = any; else names holding it (case-sensitive) */
};
/* Newest first (start time, then ARN). */
int store_exec_list(struct store *s, const struct store_exec_query *q, struct store_exec **out,
		    size_t *n, char **next, struct err *e);
void store_exec_list_free(struct store_exec *v, size_t n);
/* Counts by status (for limits and the console): RUNNING of one machine,
 * or of all when sm_arn is NULL. */
int store_exec_count(struct store *s, const char *sm_arn, enum store_status st, uint64_t *out,
		     struct err *e);

/* ---- history ------------------------------------------------------------- */
struct store_event {
	uint32_t id, prev;           /* prev 0 = none */
	int64_t ts_us;
	char *type;                  /* "TaskStateEntered" */
	char *details;               /* JSON text: the event as GetExecutionHistory
				      * shows it, minus id/previousEventId/timestamp
				      * ({"type": ..., "<key>EventDetails": {...}}) */
};
/* Events with id > after (reverse: id < before, newest first; before 0 =
 * from the end). limit 0 = 100. *more says whether there are more. */
int store_history(struct store *s, const char *exec_arn, uint32_t after, bool reverse,
		  unsigned limit, struct store_event **out, size_t *n, bool *more, struct err *e);
void store_event_list_free(struct store_event *v, size_t n);

/* ---- transitions ----------------------------------------------------------
 * One execution's change between two checkpoints. All pointers are
 * borrowed until store_commit returns (it copies what it keeps). */
enum store_frame_op { STORE_FRAME_PUT, STORE_FRAME_DELETE, STORE_FRAME_DELETE_UNDER,
		      STORE_FRAME_DELETE_ALL };
struct store_frame {
	enum store_frame_op op;
	const char *path;            /* "" = the top level; "2/15" = item 15 of a
				      * Map in branch 2; DELETE_UNDER deletes the
				      * rows strictly below path ("2" → "2/...") */
	const char *body;            /* PUT: JSON text (the engine's snapshot) */
	const char *token;           /* PUT: the task token it waits on, or NULL */
	int64_t due_us;              /* PUT: wall-clock time it wakes, 0 = none */
};
struct store_txn {
	const char *exec_arn;
	int64_t version;             /* the version the engine last saw; the row
				      * becomes version + 1 (StoreConflict if not) */
	const struct store_event *events;   /* appended (ids as given, consecutive) */
	size_t nevents;
	const struct store_frame *frames;   /* applied in order */
	size_t nframes;
	bool finished;               /* the execution ended: status/output/... */
	enum store_status status;
	const char *output, *error, *cause;
	int64_t stop_us;
	/* Force an end (finished must be set): the version is not checked, a
	 * RUNNING execution only (ResourceNotFoundException otherwise), and the
	 * events are renumbered after the last one recorded. For ending an
	 * execution whose checkpoints the store refused, whatever version the
	 * engine had reached. */
	bool force;
};
typedef void (*store_done_fn)(void *arg, int rc, const struct err *e);
/* Queue a transition for the writer; `done` (may be NULL) runs on the
 * writer thread once it is durable (rc 0) or failed (rc -1, e: StoreFull,
 * StoreConflict, StoreIO, ResourceNotFoundException when there is no such
 * execution — the transaction was rolled back, nothing of it is kept).
 * A text field over STORE_VALUE_MAX is refused here, before it is queued
 * (InvalidParameterValueException).
 * Callbacks run in queue order, after the group's COMMIT; one may call
 * store_commit but never a call that waits for the writer (store_sync,
 * the synchronous writes): that would deadlock. Returns 0, or -1 with e
 * when the queue is full (bounded: STORE_QUEUE_MAX transactions or 256
 * MiB of copies, TooManyRequestsException) or the store is closing.
 * Frame rows change only through the txn's frame operations: a finished
 * execution keeps those it is left (RedriveExecution restarts from them;
 * store_token_find ignores them) until a STORE_FRAME_DELETE_ALL. */
int store_commit(struct store *s, const struct store_txn *t, store_done_fn done, void *arg,
		 struct err *e);
/* Block until everything queued before this call is durable (or failed). */
int store_sync(struct store *s, struct err *e);

/* Redrive / restart: set a finished execution back to RUNNING (version
 * bumped, redrive_count+1, redrive_us now, stop/output/error cleared) with
 * the frame rows and events of t (t may be NULL; t->version, when not 0,
 * must be the current version: StoreConflict). ExecutionNotRedrivable if
 * it is not FAILED, TIMED_OUT or ABORTED. Durable when it returns. */
int store_exec_reopen(struct store *s, const char *arn, const struct store_txn *t,
		      struct err *e);

/* ---- recovery: every RUNNING execution with its frame rows ----------------- */
struct store_frame_row {
	char *path, *body, *token;
	int64_t due_us;
};
struct store_running {
	struct store_exec x;
	uint32_t last_event;         /* highest history event id */
	struct store_frame_row *frames;   /* ordered by path */
	size_t nframes;
};
/* Calls fn for each RUNNING execution (oldest first); fn borrows *r. A
 * non-zero return from fn stops the walk and is returned. */
int store_running_each(struct store *s, int (*fn)(void *arg, const struct store_running *r),
		       void *arg, struct err *e);
/* One execution's frame rows (ordered by path) and its last event id
 * (RedriveExecution reads the row a failed execution left), whatever its
 * status; ResourceNotFoundException when there is no such execution. */
int store_exec_frames(struct store *s, const char *exec_arn, struct store_frame_row **out,
		      size_t *n, uint32_t *last_event, struct err *e);
void store_frame_rows_free(struct store_frame_row *v, size_t n);
/* The RUNNING execution and frame path waiting on this task token:
 * 0, or -1 TaskDoesNotExist. */
int store_token_find(struct store *s, const char *token, char **exec_arn, char **path,
		     struct err *e);

/* ---- schedules: exactly one fire per (schedule, fire time) ---------------- */
/* Record the fire; 1 = recorded now (fire it), 0 = it was already recorded
 * (do nothing), -1 = error. exec_arn: what the fire started (may be NULL,
 * set later with store_fire_set). Durable when it returns. */
int store_fire_claim(struct store *s, const char *schedule_arn, int64_t fire_s,
		     const char *exec_arn, struct err *e);
/* The latest recorded fire time of a schedule, 0 = none. */
int store_fire_last(struct store *s, const char *schedule_arn, int64_t *fire_s, struct err *e);
struct store_fire {
	int64_t fire_s, at_us;       /* the fire time, when it was recorded */
	char *exec_arn;              /* or NULL */
	char *error;                 /* a failed fire's error (dead-letter record) or NULL */
};
/* Set a fire's execution and error (recording the fire if it was not). */
int store_fire_set(struct store *s, const char *schedule_arn, int64_t fire_s,
		   const char *exec_arn, const char *error, struct err *e);
/* Newest first, at most limit (0 = 20). */
int store_fire_list(struct store *s, const char *schedule_arn, unsigned limit,
		    struct store_fire **out, size_t *n, struct err *e);
void store_fire_list_free(struct store_fire *v, size_t n);

/* ---- function invocations ---------------------------------------------------- */
struct store_invocation {
	char *function;              /* name */
	char *version;               /* "$LATEST", "3" */
	char *request_id;
	int64_t start_us, duration_us, init_us;
	int64_t max_memory_kib;
	char *status;                /* "Success" | the error name */
	char *log_tail;              /* the last lines (≤ 4 KiB), or NULL */
	char *source;                /* the execution ARN that invoked it, or NULL */
};
void store_invocation_free(struct store_invocation *v);
/* Queued like a transition (not waited for); the oldest rows of a function
 * beyond store_options.invocations_keep (default 1000) are dropped. A log
 * tail longer than STORE_LOG_TAIL_MAX keeps its last bytes. */
int store_invocation_add(struct store *s, const struct store_invocation *v, struct err *e);
/* Newest first. */
int store_invocation_list(struct store *s, const char *function, unsigned limit,
			  struct store_invocation **out, size_t *n, struct err *e);
void store_invocation_list_free(struct store_invocation *v, size_t n);

/* ---- statistics -------------------------------------------------------------- */
struct store_stats {
	uint64_t commits, txns, events, frames;   /* since open */
	uint64_t queue_len;
};
void store_stats(struct store *s, struct store_stats *out);

#endif
