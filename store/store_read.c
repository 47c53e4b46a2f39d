/* Reads: each borrows a read-only connection from the pool (store.c), so
 * that readers never wait for the writer (WAL: a reader sees the last
 * commit before its statement, or its transaction, began). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* ---- executions ---- */

/* The columns of EXEC_COLS; returns the integer id (0 on no memory). */
static int64_t row_exec(sqlite3_stmt *st, struct store_exec *x)
{
	bool bad = false;

	memset(x, 0, sizeof *x);
	x->arn = store_col(st, 0, true, &bad);
	x->name = store_col(st, 1, true, &bad);
	x->sm_arn = store_col(st, 2, true, &bad);
	x->sm_qualified = store_col(st, 3, false, &bad);
	x->type = store_col(st, 4, true, &bad);
	x->input = store_col(st, 5, true, &bad);
	x->output = store_col(st, 6, false, &bad);
	x->error = store_col(st, 7, false, &bad);
	x->cause = store_col(st, 8, false, &bad);
	x->parent = store_col(st, 9, false, &bad);
	x->trace = store_col(st, 10, false, &bad);
	if (store_status_parse((const char *)sqlite3_column_text(st, 11), &x->status))
		x->status = STORE_FAILED;   /* a damaged row: never a crash */
	x->start_us = sqlite3_column_int64(st, 12);
	x->stop_us = sqlite3_column_int64(st, 13);
	x->version = sqlite3_column_int64(st, 14);
	x->redrive_count = sqlite3_column_int64(st, 15);
	x->redrive_us = sqlite3_column_int64(st, 16);
	if (bad) {
		store_exec_free(x);
		return 0;
	}
	return sqlite3_column_int64(st, 17);
}

int store_exec_get(struct store *s, const char *arn, struct store_exec *out, struct err *e)
{
	struct conn *c = conn_get(s, e);
	sqlite3_stmt *st = NULL;
	int rc = -1, r;

	memset(out, 0, sizeof *out);
	if (!c || !(st = conn_stmt(c, ST_R_EXEC_GET, e)))
		goto out;
	btext(st, 1, arn);
	r = sqlite3_step(st);
	if (r == SQLITE_DONE)
		err_set(e, ERR_FUNCTION_NOT_FOUND, "execution %s does not exist", arn);
	else if (r != SQLITE_ROW)
		store_dberr(e, c->db, r, "executions");
	else if (!row_exec(st, out))
		err_set(e, ERR_STORE_IO, "out of memory");
	else
		rc = 0;
out:
	if (st)
		sqlite3_reset(st);
	conn_put(s, c);
	return rc;
}

int store_exec_list(struct store *s, const struct store_exec_query *q, struct store_exec **out, size_t *n,
		    char **next, struct err *e)
{
	static const enum stmt_id ids[2][2] = { { ST_R_EXEC_LIST, ST_R_EXEC_LIST_ST },
						{ ST_R_EXEC_LIST_SM, ST_R_EXEC_LIST_SMST } };
	unsigned lim = store_page(q->limit);
	struct store_exec *v = NULL;
	char *a = NULL, *b = NULL, start[24];
	struct conn *c = NULL;
	sqlite3_stmt *st = NULL;
	size_t k = 0;
	int rc = -1, r;

	*out = NULL;
	*n = 0;
	*next = NULL;
	if (q->token) {
		char *end;
		long long t;

		if (store_token_parse(q->token, 'E', &a, &b, e))
			goto out;
		t = strtoll(a, &end, 10);
		if (!*a || *end || t < 0) {
			err_set(e, ERR_INVALID_PARAMETER, "Invalid pagination token");
			goto out;
		}
	}
	if (!(v = calloc(lim + 1, sizeof *v))) {
		err_set(e, ERR_STORE_IO, "out of memory");
		goto out;
	}
	if (!(c = conn_get(s, e)) || !(st = conn_stmt(c, ids[q->sm_arn != NULL][q->has_status], e)))
		goto out;
	sqlite3_bind_int64(st, 1, a ? strtoll(a, NULL, 10) : INT64_MAX);
	btext(st, 2, b ? b : "");
	sqlite3_bind_int(st, 3, (int)lim + 1);
	if (q->sm_arn)
		btext(st, 4, q->sm_arn);
	if (q->has_status)
		btext(st, 5, store_status_name(q->status));
	if (q->name_contains && *q->name_contains)
		btext(st, 6, q->name_contains);
	else
		sqlite3_bind_null(st, 6);
	while ((r = sqlite3_step(st)) == SQLITE_ROW && k <= lim) {
		if (!row_exec(st, &v[k])) {
			err_set(e, ERR_STORE_IO, "out of memory");
			goto out;
		}
		k++;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		store_dberr(e, c->db, r, "executions");
		goto out;
	}
	if (k > lim) {
		store_exec_free(&v[lim]);
		k = lim;
		snprintf(start, sizeof start, "%" PRId64, v[k - 1].start_us);
		if (!(*next = store_token_make('E', start, strlen(start), v[k - 1].arn))) {
			err_set(e, ERR_STORE_IO, "cannot make a pagination token");
			goto out;
		}
	}
	*out = v;
	*n = k;
	v = NULL;
	rc = 0;
out:
	if (st)
		sqlite3_reset(st);
	conn_put(s, c);
	store_exec_list_free(v, k);
	free(a);
	free(b);
	return rc;
}

int store_exec_count(struct store *s, const char *sm_arn, enum store_status status, uint64_t *out, struct err *e)
{
	struct conn *c = conn_get(s, e);
	sqlite3_stmt *st = NULL;
	int rc = -1, r;

	*out = 0;
	if (!c || !(st = conn_stmt(c, sm_arn ? ST_R_EXEC_COUNT_SM : ST_R_EXEC_COUNT, e)))
		goto out;
	btext(st, 1, store_status_name(status));
	if (sm_arn)
		btext(st, 2, sm_arn);
	if ((r = sqlite3_step(st)) != SQLITE_ROW) {
		store_dberr(e, c->db, r, "executions");
		goto out;
	}
	*out = (uint64_t)sqlite3_column_int64(st, 0);
	rc = 0;
out:
	if (st)
		sqlite3_reset(st);
	conn_put(s, c);
	return rc;
}

/* ---- history ---- */

static int exec_id(struct conn *c, const char *arn, int64_t *id, struct err *e)
{
	sqlite3_stmt *st = conn_stmt(c, ST_R_EXEC_ID, e);
	int r;

	if (!st)
		return -1;
	btext(st, 1, arn);
	r = sqlite3_step(st);
	*id = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (r == SQLITE_DONE)
		return err_set(e, ERR_FUNCTION_NOT_FOUND, "execution %s does not exist", arn);
	if (r != SQLITE_ROW)
		return store_dberr(e, c->db, r, "executions");
	return 0;
}

int store_history(struct store *s, const char *exec_arn, uint32_t after, bool reverse, unsigned limit,
		  struct store_event **out, size_t *n, bool *more, struct err *e)
{
	unsigned lim = store_page(limit);
	struct store_event *v = NULL;
	struct conn *c = conn_get(s, e);
	sqlite3_stmt *st = NULL;
	int64_t id, lo, hi;
	size_t k = 0;
	int rc = -1, r;

	*out = NULL;
	*n = 0;
	*more = false;
	if (!c || exec_id(c, exec_arn, &id, e))
		goto out;
	if (!(v = calloc(lim + 1, sizeof *v))) {
		err_set(e, ERR_STORE_IO, "out of memory");
		goto out;
	}
	lo = id << 32;
	hi = (id + 1) << 32;
	if (!reverse)
		lo |= after;
	else if (after)
		hi = id << 32 | after;
	if (!(st = conn_stmt(c, reverse ? ST_R_HISTORY_REV : ST_R_HISTORY, e)))
		goto out;
	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	sqlite3_bind_int(st, 3, (int)lim + 1);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		bool bad = false;

		if (k == lim) {
			*more = true;
			continue;
		}
		v[k].id = (uint32_t)sqlite3_column_int64(st, 0);
		v[k].prev = (uint32_t)sqlite3_column_int64(st, 1);
		v[k].ts_us = sqlite3_column_int64(st, 2);
		v[k].type = store_col(st, 3, true, &bad);
		v[k].details = store_col(st, 4, true, &bad);
		k++;
		if (bad) {
			err_set(e, ERR_STORE_IO, "out of memory");
			goto out;
		}
	}
	if (r != SQLITE_DONE) {
		store_dberr(e, c->db, r, "history");
		goto out;
	}
	*out = v;
	*n = k;
	v = NULL;
	rc = 0;
out:
	if (st)
		sqlite3_reset(st);
	conn_put(s, c);
	store_event_list_free(v, k);
	return rc;
}

/* ---- recovery ---- */

static void running_free(struct store_running *r)
{
	store_exec_free(&r->x);
	for (size_t i = 0; i < r->nframes; i++) {
		free(r->frames[i].path);
		free(r->frames[i].body);
		free(r->frames[i].token);
	}
	free(r->frames);
	memset(r, 0, sizeof *r);
}

static int load_running(struct conn *c, int64_t id, struct store_running *r, struct err *e)
{
	sqlite3_stmt *st = conn_stmt(c, ST_R_FRAMES, e);
	size_t cap = 0;
	int rc = -1, x;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((x = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_frame_row *f;
		bool bad = false;

		if (r->nframes == cap) {
			void *p = realloc(r->frames, (cap = cap ? cap * 2 : 4) * sizeof *r->frames);

			if (!p)
				goto oom;
			r->frames = p;
		}
		f = &r->frames[r->nframes++];
		f->path = store_col(st, 0, true, &bad);
		f->body = store_col(st, 1, true, &bad);
		f->token = store_col(st, 2, false, &bad);
		f->due_us = sqlite3_column_int64(st, 3);
		if (bad)
			goto oom;
	}
	if (x != SQLITE_DONE) {
		store_dberr(e, c->db, x, "frames");
		goto out;
	}
	if (!(st = conn_stmt(c, ST_R_LAST_EVENT, e)))
		goto out;
	sqlite3_bind_int64(st, 1, id << 32);
	sqlite3_bind_int64(st, 2, (id + 1) << 32);
	if ((x = sqlite3_step(st)) != SQLITE_ROW) {
		store_dberr(e, c->db, x, "history");
		goto out;
	}
	r->last_event = (uint32_t)(sqlite3_column_int64(st, 0) & 0xffffffff);
	rc = 0;
	goto out;
oom:
	err_set(e, ERR_STORE_IO, "out of memory");
out:
	sqlite3_reset(st);
	return rc;
}

int store_running_each(struct store *s, int (*fn)(void *arg, const struct store_running *r), void *arg,
		       struct err *e)
{
	struct conn *c = conn_get(s, e);
	struct store_running r = { 0 };
	sqlite3_stmt *st = NULL;
	int rc = -1, x;

	if (!c)
		return -1;
	/* One snapshot for the whole walk. */
	if ((x = sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK) {
		store_dberr(e, c->db, x, "recovery");
		goto out;
	}
	if (!(st = conn_stmt(c, ST_R_RUNNING, e)))
		goto out;
	while ((x = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = row_exec(st, &r.x);

		if (!id) {
			err_set(e, ERR_STORE_IO, "out of memory");
			goto out;
		}
		if (load_running(c, id, &r, e))
			goto out;
		if ((rc = fn(arg, &r)) != 0)
			goto out;
		running_free(&r);
		rc = -1;
	}
	if (x != SQLITE_DONE) {
		store_dberr(e, c->db, x, "executions");
		goto out;
	}
	rc = 0;
out:
	running_free(&r);
	if (st)
		sqlite3_reset(st);
	conn_put(s, c);   /* ends the read transaction */
	return rc;
}

int store_token_find(struct store *s, const char *token, char **exec_arn, char **path, struct err *e)
{
	struct conn *c = conn_get(s, e);
	sqlite3_stmt *st = NULL;
	bool bad = false;
	int rc = -1, r;

	*exec_arn = *path = NULL;
	if (!c || !(st = conn_stmt(c, ST_R_TOKEN, e)))
		goto out;
	btext(st, 1, token);
	r = sqlite3_step(st);
	if (r == SQLITE_DONE) {
		err_set(e, ERR_TASK_DOES_NOT_EXIST, "no task waits on this token");
		goto out;
	}
	if (r != SQLITE_ROW) {
		store_dberr(e, c->db, r, "frames");
		goto out;
	}
	*exec_arn = store_col(st, 0, true, &bad);
	*path = store_col(st, 1, true, &bad);
	if (bad) {
		free(*exec_arn);
		free(*path);
		*exec_arn = *path = NULL;
		err_set(e, ERR_STORE_IO, "out of memory");
		goto out;
	}
	rc = 0;
out:
	if (st)
		sqlite3_reset(st);
	conn_put(s, c);
	return rc;
}

int store_exec_frames(struct store *s, const char *exec_arn, struct store_frame_row **out, size_t *n,
		      uint32_t *last_event, struct err *e)
{
	struct conn *c = conn_get(s, e);
	struct store_running r = { 0 };
	int64_t id;
	int rc = -1, x;

	*out = NULL;
	*n = 0;
	*last_event = 0;
	if (!c)
		return -1;
	/* One snapshot for the rows and the last event. */
	if ((x = sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK) {
		store_dberr(e, c->db, x, "frames");
		goto out;
	}
	if (exec_id(c, exec_arn, &id, e) || load_running(c, id, &r, e))
		goto out;
	*out = r.frames;
	*n = r.nframes;
	*last_event = r.last_event;
	r.frames = NULL;
	r.nframes = 0;
	rc = 0;
out:
	running_free(&r);
	conn_put(s, c);
	return rc;
}

void store_frame_rows_free(struct store_frame_row *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].path);
		free(v[i].body);
		free(v[i].token);
	}
	free(v);
}
