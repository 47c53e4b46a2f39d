/* store_int.h — the store's internals, shared by its files (private).
 *
 * Threads: the writer thread owns s->w (the write connection) and runs
 * every job of the queue; callers of the synchronous calls sleep on
 * s->done_cv until the writer marks their job finished. Readers borrow a
 * connection from the pool (conn_get/conn_put), one thread at a time. */
#ifndef TUTTI_STORE_INT_H
#define TUTTI_STORE_INT_H

#include <pthread.h>
#include <sqlite3.h>

#include "store.h"

#define STORE_APPLICATION_ID 0x54757474   /* "Tutt": PRAGMA application_id */
#define STORE_POOL_IDLE      16           /* idle read connections kept */
#define STORE_QUEUE_BYTES    (256u << 20) /* bytes of queued copies at most */

enum stmt_id {
#define X(id, sql) ST_##id,
#include "stmts.def"
#undef X
	ST__COUNT
};

struct conn {
	sqlite3 *db;
	sqlite3_stmt *st[ST__COUNT];
	struct conn *next;           /* in the pool's idle list */
};

enum job_kind {
	J_COMMIT, J_EXEC_CREATE, J_EXEC_REOPEN, J_RES_CREATE, J_RES_UPDATE, J_RES_DELETE, J_SEQ_NEXT,
	J_FIRE_CLAIM, J_FIRE_SET, J_INVOCATION, J_SYNC, J_SQL
};

/* One queued unit of work. Asynchronous jobs (J_COMMIT, J_INVOCATION) are
 * one malloc'd block holding copies of everything they point to;
 * synchronous ones live on their caller's stack and borrow its pointers
 * (the caller sleeps until the writer is done with them). */
struct job {
	struct job *next;
	enum job_kind kind;
	size_t bytes;                /* counted against STORE_QUEUE_BYTES */
	/* asynchronous: */
	store_done_fn done;
	void *arg;
	/* synchronous: */
	bool sync, finished;
	struct err *e;               /* the caller's (sync) */
	int rc;
	int64_t result;              /* seq_next, fire_claim */
	bool existed;                /* exec_create */
	/* payload */
	const struct store_txn *t;
	const struct store_exec *x;
	const struct store_res *r;
	const struct store_invocation *inv;
	const char *a, *b, *c;       /* arn / body / ... per kind */
	int64_t n;                   /* revision / fire_s */
};

struct store {
	struct store_options o;
	char *home, *path;
	int lock_fd;
	bool reader;
	/* the writer */
	struct conn w;
	pthread_t thread;
	bool thread_started;
	pthread_mutex_t mu;          /* queue, stats, finished flags */
	pthread_cond_t work_cv;      /* the writer waits for jobs */
	pthread_cond_t done_cv;      /* synchronous callers wait for their job */
	struct job *head, *tail;
	size_t queue_len, queue_bytes;
	bool closing;
	struct store_stats stats;
	/* readers */
	pthread_mutex_t pool_mu;
	struct conn *idle;
	unsigned nidle;
};

extern const char *const store_migrations[];

/* store.c */
int64_t store_now_us(void);
/* Map an SQLite failure to the store's errors (StoreFull, StoreCorrupt,
 * StoreLocked for BUSY, InvalidParameterValue for TOOBIG, StoreIO). */
int store_dberr(struct err *e, sqlite3 *db, int rc, const char *what);
/* Whether rc leaves the transaction unusable (full, I/O, corrupt, memory). */
bool store_fatal(int rc);
sqlite3_stmt *conn_stmt(struct conn *c, enum stmt_id id, struct err *e);
struct conn *conn_get(struct store *s, struct err *e);
void conn_put(struct store *s, struct conn *c);
char *store_col_dup(sqlite3_stmt *st, int col);   /* NULL for SQL NULL or no memory */
/* A column's text copied: NULL for SQL NULL ("" when required); *bad on
 * no memory. */
char *store_col(sqlite3_stmt *st, int i, bool required, bool *bad);
/* A list call's row count: 0 = 100, at most STORE_PAGE_MAX. */
unsigned store_page(unsigned limit);

static inline void btext(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

/* store_txn.c: 0, or -1 with e (InvalidParameterValueException: a
 * malformed txn, a text over STORE_VALUE_MAX); a J_COMMIT job holding a
 * copy of t (one malloc'd block), NULL when out of memory. */
int store_txn_check(const struct store_txn *t, struct err *e);
struct job *store_txn_copy(const struct store_txn *t);
/* Copies into one block: the bytes src takes (0 for NULL), and src copied
 * at *pp (advanced past it; NULL stays NULL). */
size_t store_slen(const char *p);
const char *store_scopy(char **pp, const char *src);
/* store_writer.c */
int store_writer_start(struct store *s, struct err *e);
void store_writer_stop(struct store *s);
/* Queue a synchronous job and wait for its group. */
int store_run(struct store *s, struct job *j, struct err *e);

/* store_token.c: opaque pagination tokens (base64url of a sort key). */
char *store_token_make(char tag, const char *a, size_t alen, const char *b);
int store_token_parse(const char *token, char tag, char **a, char **b, struct err *e);

/* For tests: run one SQL text on the writer's connection (PRAGMA
 * max_page_count to fill the disk). */
int store_debug_sql(struct store *s, const char *sql, struct err *e);

#endif
