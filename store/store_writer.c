/* The writer thread: one connection, one queue, group commit.
 *
 * Every write is a job on one FIFO queue. The writer takes what is queued
 * (at most group_max jobs), runs BEGIN IMMEDIATE, applies each job (a
 * failing job — a version conflict, a duplicate — rolls back only itself:
 * see group_pass), COMMITs (one fsync for the whole group), and
 * only then tells each job's owner: the done callback for asynchronous
 * jobs, the condition variable for synchronous callers. An error that
 * leaves the transaction unusable (disk full, I/O error, corruption)
 * rolls back the whole group and fails every job of it with that error;
 * the next group starts afresh. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"

#define FRAME_PATH_MAX 1024

static const struct err oom_err = { "StoreIO", "out of memory recording a failure" };

/* ---- statements: step and classify ---- */

/* SQLITE_ROW or SQLITE_DONE; -1 with e set (and *fatal when the
 * transaction is unusable). */
static int wstep(struct conn *c, sqlite3_stmt *st, int *fatal, struct err *e, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	if (store_fatal(rc))
		*fatal = rc;
	store_dberr(e, c->db, rc, what);
	sqlite3_reset(st);
	return -1;
}

/* ---- applying jobs (writer thread) ---- */

/* The id of the execution's last recorded event (0: none). */
static int last_event(struct conn *c, int64_t id, uint32_t *out, int *fatal, struct err *e)
{
	sqlite3_stmt *st = conn_stmt(c, ST_EVENT_LAST, e);
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id << 32);
	sqlite3_bind_int64(st, 2, (id + 1) << 32);
	if ((rc = wstep(c, st, fatal, e, "history")) < 0)
		return -1;
	*out = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL
		       ? (uint32_t)(sqlite3_column_int64(st, 0) & 0xffffffff)
		       : 0;
	sqlite3_reset(st);
	return 0;
}

/* A bound text that SQLite would not take (over its length limit) must
 * fail the job, not become NULL (a NOT NULL error at best). */
static int bind_checked(struct conn *c, sqlite3_stmt *st, int i, const char *v, struct err *e,
			const char *what)
{
	int rc = sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);

	if (rc == SQLITE_OK)
		return 0;
	sqlite3_reset(st);
	return store_dberr(e, c->db, rc, what);
}

/* base: forced ends renumber the events after the last one kept (0: as given). */
static int apply_events(struct conn *c, int64_t id, const struct store_txn *t, uint32_t base, int *fatal,
			struct err *e)
{
	sqlite3_stmt *st;

	for (size_t i = 0; i < t->nevents; i++) {
		const struct store_event *ev = &t->events[i];
		uint32_t evid = t->force ? base + 1 + (uint32_t)i : ev->id;
		int rc;

		if (!(st = conn_stmt(c, ST_EVENT_INSERT, e)))
			return -1;
		sqlite3_bind_int64(st, 1, id << 32 | evid);
		sqlite3_bind_int64(st, 2, t->force ? evid - 1 : ev->prev);
		sqlite3_bind_int64(st, 3, ev->ts_us);
		btext(st, 4, ev->type ? ev->type : "");
		if (bind_checked(c, st, 5, ev->details ? ev->details : "{}", e, "history"))
			return -1;
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			continue;
		sqlite3_reset(st);
		if ((rc & 0xff) == SQLITE_CONSTRAINT)
			return err_set(e, ERR_STORE_CONFLICT, "event %" PRIu32 " of %s is already recorded", ev->id,
				       t->exec_arn);
		if (store_fatal(rc))
			*fatal = rc;
		return store_dberr(e, c->db, rc, "history");
	}
	return 0;
}

static int apply_frames(struct conn *c, int64_t id, const struct store_txn *t, int *fatal, struct err *e)
{
	char lo[FRAME_PATH_MAX + 2], hi[FRAME_PATH_MAX + 2];
	sqlite3_stmt *st;

	for (size_t i = 0; i < t->nframes; i++) {
		const struct store_frame *f = &t->frames[i];
		const char *path = f->path ? f->path : "";
		size_t n = strlen(path);

		if (n > FRAME_PATH_MAX)
			return err_set(e, ERR_INVALID_PARAMETER, "frame path longer than %d bytes", FRAME_PATH_MAX);
		switch (f->op) {
		case STORE_FRAME_PUT:
			if (!(st = conn_stmt(c, ST_FRAME_PUT, e)))
				return -1;
			btext(st, 2, path);
			if (bind_checked(c, st, 3, f->body ? f->body : "{}", e, "frames"))
				return -1;
			btext(st, 4, f->token);
			sqlite3_bind_int64(st, 5, f->due_us);
			break;
		case STORE_FRAME_DELETE:
			if (!(st = conn_stmt(c, ST_FRAME_DELETE, e)))
				return -1;
			btext(st, 2, path);
			break;
		case STORE_FRAME_DELETE_UNDER:
			if (n == 0) {   /* below the top level: every other row */
				if (!(st = conn_stmt(c, ST_FRAME_DEL_CHILD, e)))
					return -1;
				break;
			}
			/* "2" → "2/" <= path < "20": '0' follows '/' in byte order. */
			memcpy(lo, path, n);
			memcpy(hi, path, n);
			lo[n] = '/';
			hi[n] = '0';
			if (!(st = conn_stmt(c, ST_FRAME_DEL_RANGE, e)))
				return -1;
			sqlite3_bind_text(st, 2, lo, (int)n + 1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, hi, (int)n + 1, SQLITE_STATIC);
			break;
		case STORE_FRAME_DELETE_ALL:
			if (!(st = conn_stmt(c, ST_FRAME_DEL_ALL, e)))
				return -1;
			break;
		default:
			return err_set(e, ERR_INVALID_PARAMETER, "unknown frame operation %d", (int)f->op);
		}
		sqlite3_bind_int64(st, 1, id);
		if (wstep(c, st, fatal, e, "frames") < 0)
			return -1;
	}
	return 0;
}

/* 0 rows updated: say why (no such execution, or another version). */
static int explain_miss(struct conn *c, const char *arn, int64_t version, int *fatal, struct err *e)
{
	sqlite3_stmt *st = conn_stmt(c, ST_EXEC_ID_VERSION, e);
	int rc;

	if (!st)
		return -1;
	btext(st, 1, arn);
	if ((rc = wstep(c, st, fatal, e, "executions")) < 0)
		return -1;
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_FUNCTION_NOT_FOUND, "execution %s does not exist", arn);
	rc = err_set(e, ERR_STORE_CONFLICT, "execution %s is at version %" PRId64 ", not %" PRId64, arn,
		     (int64_t)sqlite3_column_int64(st, 1), version);
	sqlite3_reset(st);
	return rc;
}

static int apply_commit(struct conn *c, const struct store_txn *t, int *fatal, struct err *e)
{
	bool force = t->force && t->finished;
	sqlite3_stmt *st = conn_stmt(c, force ? ST_EXEC_FORCE_END : t->finished ? ST_EXEC_FINISH : ST_EXEC_BUMP, e);
	uint32_t base = 0;
	int64_t id;
	int rc;

	if (!st)
		return -1;
	btext(st, 1, t->exec_arn);
	if (force)
		sqlite3_bind_null(st, 2);
	else
		sqlite3_bind_int64(st, 2, t->version);
	if (t->finished) {
		btext(st, 3, store_status_name(t->status));
		if (bind_checked(c, st, 4, t->output, e, "executions"))
			return -1;
		btext(st, 5, t->error);
		btext(st, 6, t->cause);
		sqlite3_bind_int64(st, 7, t->stop_us ? t->stop_us : store_now_us());
	}
	if ((rc = wstep(c, st, fatal, e, "executions")) < 0)
		return -1;
	if (rc == SQLITE_DONE && force)
		return err_set(e, ERR_FUNCTION_NOT_FOUND, "no running execution %s", t->exec_arn);
	if (rc == SQLITE_DONE)
		return explain_miss(c, t->exec_arn, t->version, fatal, e);
	id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (force && last_event(c, id, &base, fatal, e))
		return -1;
	/* A finished execution keeps the frame rows the txn leaves it
	 * (RedriveExecution restarts from them); the engine deletes them
	 * with STORE_FRAME_DELETE_ALL when nothing will. */
	return apply_events(c, id, t, base, fatal, e) || apply_frames(c, id, t, fatal, e) ? -1 : 0;
}

static int apply_exec_create(struct conn *c, struct job *j, int *fatal, struct err *e)
{
	const struct store_exec *x = j->x;
	sqlite3_stmt *st = conn_stmt(c, ST_EXEC_INSERT, e);
	int64_t id;
	int rc;

	if (!st)
		return -1;
	btext(st, 1, x->arn);
	btext(st, 2, x->name ? x->name : "");
	btext(st, 3, x->sm_arn ? x->sm_arn : "");
	btext(st, 4, x->sm_qualified);
	btext(st, 5, x->type ? x->type : "STANDARD");
	btext(st, 6, x->input ? x->input : "{}");
	btext(st, 7, x->parent);
	btext(st, 8, x->trace);
	sqlite3_bind_int64(st, 9, x->start_us ? x->start_us : store_now_us());
	if ((rc = wstep(c, st, fatal, e, "executions")) < 0)
		return -1;
	if (rc == SQLITE_DONE) {   /* the ARN exists: StartExecution's idempotency */
		if (!(st = conn_stmt(c, ST_EXEC_ID_VERSION, e)))
			return -1;
		btext(st, 1, x->arn);
		if ((rc = wstep(c, st, fatal, e, "executions")) < 0)
			return -1;
		rc = rc == SQLITE_ROW &&
		     strcmp((const char *)sqlite3_column_text(st, 3), x->input ? x->input : "{}") == 0;
		sqlite3_reset(st);
		if (!rc)
			return err_set(e, ERR_EXECUTION_ALREADY_EXISTS,
				       "execution %s already exists with a different input", x->arn);
		j->existed = true;
		return 0;
	}
	id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (j->t && (apply_events(c, id, j->t, 0, fatal, e) || apply_frames(c, id, j->t, fatal, e)))
		return -1;
	return 0;
}

static int apply_reopen(struct conn *c, struct job *j, int *fatal, struct err *e)
{
	sqlite3_stmt *st = conn_stmt(c, ST_EXEC_ID_VERSION, e);
	int64_t id, version;
	enum store_status status = STORE_RUNNING;
	int rc;

	if (!st)
		return -1;
	btext(st, 1, j->a);
	if ((rc = wstep(c, st, fatal, e, "executions")) < 0)
		return -1;
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_FUNCTION_NOT_FOUND, "execution %s does not exist", j->a);
	id = sqlite3_column_int64(st, 0);
	version = sqlite3_column_int64(st, 1);
	store_status_parse((const char *)sqlite3_column_text(st, 2), &status);
	sqlite3_reset(st);
	if (status != STORE_FAILED && status != STORE_TIMED_OUT && status != STORE_ABORTED)
		return err_set(e, ERR_EXECUTION_NOT_REDRIVABLE, "execution %s is %s: only FAILED, TIMED_OUT or "
			       "ABORTED executions can be redriven", j->a, store_status_name(status));
	if (j->t && j->t->version && j->t->version != version)
		return err_set(e, ERR_STORE_CONFLICT, "execution %s is at version %" PRId64 ", not %" PRId64,
			       j->a, version, j->t->version);
	if (!(st = conn_stmt(c, ST_EXEC_REOPEN, e)))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, store_now_us());
	if (wstep(c, st, fatal, e, "executions") < 0)
		return -1;
	if (j->t && (apply_events(c, id, j->t, 0, fatal, e) || apply_frames(c, id, j->t, fatal, e)))
		return -1;
	return 0;
}

static int apply_res(struct conn *c, struct job *j, int *fatal, struct err *e)
{
	const struct store_res *r = j->r;
	sqlite3_stmt *st = NULL;
	int rc;

	switch (j->kind) {
	case J_RES_CREATE:
		if (!(st = conn_stmt(c, ST_RES_INSERT, e)))
			return -1;
		btext(st, 1, r->arn);
		btext(st, 2, r->kind);
		btext(st, 3, r->name ? r->name : "");
		btext(st, 4, r->parent ? r->parent : "");
		btext(st, 5, r->body ? r->body : "{}");
		sqlite3_bind_int64(st, 6, r->created_us ? r->created_us : store_now_us());
		break;
	case J_RES_UPDATE:
		if (!(st = conn_stmt(c, ST_RES_UPDATE, e)))
			return -1;
		btext(st, 1, j->a);
		btext(st, 2, j->b ? j->b : "{}");
		sqlite3_bind_int64(st, 3, store_now_us());
		sqlite3_bind_int64(st, 4, j->n);
		break;
	default:
		if (!(st = conn_stmt(c, ST_RES_DELETE, e)))
			return -1;
		btext(st, 1, j->a);
		break;
	}
	if (wstep(c, st, fatal, e, "resources") < 0)
		return -1;
	if (sqlite3_changes(c->db) > 0)
		return 0;
	if (j->kind == J_RES_CREATE)
		return err_set(e, ERR_FUNCTION_CONFLICT, "%s already exists", r->arn);
	if (j->kind == J_RES_DELETE)
		return err_set(e, ERR_FUNCTION_NOT_FOUND, "%s does not exist", j->a);
	if (!(st = conn_stmt(c, ST_RES_EXISTS, e)))
		return -1;
	btext(st, 1, j->a);
	if ((rc = wstep(c, st, fatal, e, "resources")) < 0)
		return -1;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_FUNCTION_NOT_FOUND, "%s does not exist", j->a);
	return err_set(e, ERR_STORE_CONFLICT, "%s has changed since revision %" PRId64, j->a, j->n);
}

static int apply_invocation(struct store *s, struct conn *c, const struct store_invocation *v, int *fatal,
			    struct err *e)
{
	sqlite3_stmt *st = conn_stmt(c, ST_INV_INSERT, e);

	if (!st)
		return -1;
	btext(st, 1, v->function);
	btext(st, 2, v->version ? v->version : "$LATEST");
	btext(st, 3, v->request_id ? v->request_id : "");
	sqlite3_bind_int64(st, 4, v->start_us);
	sqlite3_bind_int64(st, 5, v->duration_us);
	sqlite3_bind_int64(st, 6, v->init_us);
	sqlite3_bind_int64(st, 7, v->max_memory_kib);
	btext(st, 8, v->status ? v->status : "Success");
	btext(st, 9, v->log_tail);
	btext(st, 10, v->source);
	if (wstep(c, st, fatal, e, "invocations") < 0 || !(st = conn_stmt(c, ST_INV_TRIM, e)))
		return -1;
	btext(st, 1, v->function);
	sqlite3_bind_int64(st, 2, s->o.invocations_keep);
	return wstep(c, st, fatal, e, "invocations") < 0 ? -1 : 0;
}

static int apply(struct store *s, struct job *j, int *fatal, struct err *e)
{
	struct conn *c = &s->w;
	sqlite3_stmt *st;
	int rc;

	switch (j->kind) {
	case J_COMMIT:
		return apply_commit(c, j->t, fatal, e);
	case J_EXEC_CREATE:
		return apply_exec_create(c, j, fatal, e);
	case J_EXEC_REOPEN:
		return apply_reopen(c, j, fatal, e);
	case J_RES_CREATE: case J_RES_UPDATE: case J_RES_DELETE:
		return apply_res(c, j, fatal, e);
	case J_SEQ_NEXT:
		if (!(st = conn_stmt(c, ST_SEQ_NEXT, e)))
			return -1;
		btext(st, 1, j->a);
		if ((rc = wstep(c, st, fatal, e, "sequences")) < 0)
			return -1;
		j->result = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		return 0;
	case J_FIRE_CLAIM: case J_FIRE_SET:
		if (!(st = conn_stmt(c, j->kind == J_FIRE_CLAIM ? ST_FIRE_CLAIM : ST_FIRE_SET, e)))
			return -1;
		btext(st, 1, j->a);
		sqlite3_bind_int64(st, 2, j->n);
		sqlite3_bind_int64(st, 3, store_now_us());
		btext(st, 4, j->b);
		if (j->kind == J_FIRE_SET)
			btext(st, 5, j->c);
		if (wstep(c, st, fatal, e, "fires") < 0)
			return -1;
		j->result = sqlite3_changes(c->db) > 0;
		return 0;
	case J_INVOCATION:
		return apply_invocation(s, c, j->inv, fatal, e);
	case J_SQL:
		rc = sqlite3_exec(c->db, j->a, NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			if (store_fatal(rc))
				*fatal = rc;
			return store_dberr(e, c->db, rc, "sql");
		}
		return 0;
	case J_SYNC:
		return 0;
	}
	return err_set(e, ERR_STORE_IO, "unknown job %d", (int)j->kind);
}

/* A step of the group's own statements (BEGIN, SAVEPOINT, COMMIT...). */
static int gstep(struct conn *c, enum stmt_id id, int *fatal, struct err *e)
{
	sqlite3_stmt *st = conn_stmt(c, id, e);
	int rc;

	if (!st) {
		*fatal = SQLITE_ERROR;
		return -1;
	}
	rc = wstep(c, st, fatal, e, "transaction");
	sqlite3_reset(st);
	if (rc < 0 && !*fatal)
		*fatal = SQLITE_ERROR;
	return rc < 0 ? -1 : 0;
}

/* Keep a job's error: in its caller's struct (synchronous) or in a copy
 * made on failure only (asynchronous, handed to its callback). */
static void job_fail(struct job *j, const struct err *e)
{
	j->rc = -1;
	j->existed = false;
	if (!j->e && !j->sync)
		j->e = malloc(sizeof *j->e);
	if (j->e)
		*j->e = *e;
}

/* One pass over the group. careful: each job inside a SAVEPOINT. Fast
 * (not careful): no savepoints — a job that fails before writing anything
 * (a version conflict is checked first, by the UPDATE itself) simply
 * fails; one that fails after writing (a duplicate event id, an oversized
 * value) makes the pass return 1, and the group is rolled back and run
 * again carefully. Savepoints cost about a quarter of a transition.
 * Returns 0 done (committed, or failed whole: every job told), 1 redo. */
static int group_pass(struct store *s, struct job *list, bool careful)
{
	struct conn *c = &s->w;
	struct err ge = { 0 }, je;
	uint64_t events = 0, frames = 0, txns = 0;
	int fatal = 0;
	struct job *j;

	if (gstep(c, ST_BEGIN, &fatal, &ge))
		goto fail;
	for (j = list; j; j = j->next) {
		int64_t changes = sqlite3_total_changes64(c->db);

		if (j->kind == J_SYNC)
			continue;
		if (careful && gstep(c, ST_SP_BEGIN, &fatal, &ge))
			goto fail;
		je.type[0] = je.msg[0] = '\0';
		if (apply(s, j, &fatal, &je)) {
			if (fatal) {
				ge = je;
				goto fail;
			}
			if (!careful && (sqlite3_total_changes64(c->db) != changes || j->kind == J_SQL)) {
				sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
				return 1;
			}
			job_fail(j, &je);
			if (careful && gstep(c, ST_SP_ROLLBACK, &fatal, &ge))
				goto fail;
		}
		if (careful && gstep(c, ST_SP_RELEASE, &fatal, &ge))
			goto fail;
		if (j->kind == J_COMMIT && !j->rc) {
			txns++;
			events += j->t->nevents;
			frames += j->t->nframes;
		}
	}
	if (gstep(c, ST_COMMIT, &fatal, &ge))
		goto fail;
	pthread_mutex_lock(&s->mu);
	s->stats.commits++;
	s->stats.txns += txns;
	s->stats.events += events;
	s->stats.frames += frames;
	pthread_mutex_unlock(&s->mu);
	return 0;
fail:
	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	for (j = list; j; j = j->next)
		if (j->kind != J_SYNC)   /* a sync only waits: it never fails */
			job_fail(j, &ge);
	return 0;
}

static void run_group(struct store *s, struct job *list)
{
	struct job *j;

	if (group_pass(s, list, false) == 0)
		return;
	for (j = list; j; j = j->next) {   /* forget the first pass */
		j->rc = 0;
		j->existed = false;
		j->result = 0;
		if (!j->sync) {
			free(j->e);
			j->e = NULL;
		}
	}
	group_pass(s, list, true);
}

/* Tell each job's owner, in queue order. */
static void finish_group(struct store *s, struct job *list)
{
	struct job *j, *next;
	bool woke = false;

	for (j = list; j; j = next) {
		next = j->next;
		if (j->sync) {
			pthread_mutex_lock(&s->mu);
			j->finished = true;   /* j may be gone once this is seen */
			pthread_mutex_unlock(&s->mu);
			woke = true;
			continue;
		}
		if (j->done)
			j->done(j->arg, j->rc, j->rc ? (j->e ? j->e : &oom_err) : NULL);
		free(j->e);
		free(j);
	}
	if (woke) {
		pthread_mutex_lock(&s->mu);
		pthread_cond_broadcast(&s->done_cv);
		pthread_mutex_unlock(&s->mu);
	}
}

static void *writer(void *arg)
{
	struct store *s = arg;

	pthread_setname_np(pthread_self(), "tutti-store");
	for (;;) {
		struct job *list, *last;
		size_t n = 0, bytes = 0;

		pthread_mutex_lock(&s->mu);
		while (!s->head && !s->closing)
			pthread_cond_wait(&s->work_cv, &s->mu);
		if (!s->head) {
			pthread_mutex_unlock(&s->mu);
			break;
		}
		if (s->o.group_wait_us && s->queue_len < s->o.group_max && !s->closing) {
			struct timespec until;

			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += (long)s->o.group_wait_us * 1000;
			until.tv_sec += until.tv_nsec / 1000000000;
			until.tv_nsec %= 1000000000;
			/* Every enqueue signals: wait on until the group is full or
			 * the time is up. */
			while (s->queue_len < s->o.group_max && !s->closing &&
			       pthread_cond_timedwait(&s->work_cv, &s->mu, &until) == 0)
				;
		}
		list = last = s->head;
		for (;;) {
			n++;
			bytes += last->bytes;
			if (n >= s->o.group_max || !last->next)
				break;
			last = last->next;
		}
		s->head = last->next;
		if (!s->head)
			s->tail = NULL;
		last->next = NULL;
		s->queue_len -= n;
		s->queue_bytes -= bytes;
		pthread_mutex_unlock(&s->mu);
		run_group(s, list);
		finish_group(s, list);
	}
	return NULL;
}

int store_writer_start(struct store *s, struct err *e)
{
	if (pthread_create(&s->thread, NULL, writer, s))
		return err_set(e, ERR_STORE_IO, "cannot start the store's writer thread");
	s->thread_started = true;
	return 0;
}

void store_writer_stop(struct store *s)
{
	if (!s->thread_started)
		return;
	pthread_mutex_lock(&s->mu);
	s->closing = true;
	pthread_cond_signal(&s->work_cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	s->thread_started = false;
}

/* ---- the queue ---- */

static int enqueue(struct store *s, struct job *j, struct err *e)
{
	int rc = 0;

	if (s->reader)
		return err_set(e, ERR_STORE_IO, "the store was opened read-only");
	pthread_mutex_lock(&s->mu);
	if (s->closing)
		rc = err_set(e, ERR_STORE_IO, "the store is closing");
	/* Only asynchronous jobs count: a synchronous one holds no copy and
	 * blocks its thread, so there are never more of them than threads. */
	else if (!j->sync && (s->queue_len >= STORE_QUEUE_MAX || s->queue_bytes + j->bytes > STORE_QUEUE_BYTES))
		rc = err_set(e, ERR_TOO_MANY_REQUESTS, "the store's write queue is full (%zu transactions)",
			     s->queue_len);
	if (rc == 0) {
		j->next = NULL;
		if (s->tail)
			s->tail->next = j;
		else
			s->head = j;
		s->tail = j;
		s->queue_len++;
		s->queue_bytes += j->bytes;
		pthread_cond_signal(&s->work_cv);
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

int store_run(struct store *s, struct job *j, struct err *e)
{
	struct err mine = { 0 };

	j->sync = true;
	j->e = &mine;
	if (enqueue(s, j, e))
		return -1;
	pthread_mutex_lock(&s->mu);
	while (!j->finished)
		pthread_cond_wait(&s->done_cv, &s->mu);
	pthread_mutex_unlock(&s->mu);
	if (j->rc && e)
		*e = mine;
	return j->rc ? -1 : 0;
}

int store_commit(struct store *s, const struct store_txn *t, store_done_fn done, void *arg, struct err *e)
{
	struct job *j;

	if (store_txn_check(t, e))
		return -1;
	if (!(j = store_txn_copy(t)))
		return err_set(e, ERR_STORE_IO, "out of memory");
	j->done = done;
	j->arg = arg;
	if (enqueue(s, j, e)) {
		free(j);
		return -1;
	}
	return 0;
}

int store_sync(struct store *s, struct err *e)
{
	struct job j = { .kind = J_SYNC };

	return store_run(s, &j, e);
}

/* The last `cap` bytes of a log, starting on a character. */
static const char *log_tail(const char *log)
{
	size_t n = log ? strlen(log) : 0;

	if (n <= STORE_LOG_TAIL_MAX)
		return log;
	log += n - STORE_LOG_TAIL_MAX;
	while ((*log & 0xc0) == 0x80)
		log++;
	return log;
}

int store_invocation_add(struct store *s, const struct store_invocation *v, struct err *e)
{
	const char *tail = log_tail(v->log_tail);
	size_t size = sizeof(struct job) + sizeof *v + store_slen(v->function) + store_slen(v->version) + store_slen(v->request_id) +
		      store_slen(v->status) + store_slen(tail) + store_slen(v->source);
	struct store_invocation *c;
	struct job *j;
	char *p;

	if (!v->function || !*v->function)
		return err_set(e, ERR_INVALID_PARAMETER, "invocation without a function name");
	if (!(j = malloc(size)))
		return err_set(e, ERR_STORE_IO, "out of memory");
	memset(j, 0, sizeof *j);
	c = (struct store_invocation *)(j + 1);
	p = (char *)(c + 1);
	*c = *v;
	c->function = (char *)store_scopy(&p, v->function);
	c->version = (char *)store_scopy(&p, v->version);
	c->request_id = (char *)store_scopy(&p, v->request_id);
	c->status = (char *)store_scopy(&p, v->status);
	c->log_tail = (char *)store_scopy(&p, tail);
	c->source = (char *)store_scopy(&p, v->source);
	j->kind = J_INVOCATION;
	j->inv = c;
	j->bytes = size;
	if (enqueue(s, j, e)) {
		free(j);
		return -1;
	}
	return 0;
}

int store_debug_sql(struct store *s, const char *sql, struct err *e)
{
	struct job j = { .kind = J_SQL, .a = sql };

	return store_run(s, &j, e);
}
