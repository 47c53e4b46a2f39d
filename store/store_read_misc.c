/* Reads of resources, schedule fires and function invocations. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

static bool row_res(sqlite3_stmt *st, struct store_res *r)
{
	bool bad = false;

	memset(r, 0, sizeof *r);
	r->kind = store_col(st, 0, true, &bad);
	r->arn = store_col(st, 1, true, &bad);
	r->name = store_col(st, 2, true, &bad);
	r->parent = store_col(st, 3, true, &bad);
	r->body = store_col(st, 4, true, &bad);
	r->created_us = sqlite3_column_int64(st, 5);
	r->updated_us = sqlite3_column_int64(st, 6);
	r->revision = sqlite3_column_int64(st, 7);
	if (bad)
		store_res_free(r);
	return !bad;
}

int store_res_get(struct store *s, const char *arn, struct store_res *out, struct err *e)
{
	struct conn *c = conn_get(s, e);
	sqlite3_stmt *st = NULL;
	int rc = -1, r = SQLITE_DONE;

	memset(out, 0, sizeof *out);
	if (!c || !(st = conn_stmt(c, ST_R_RES_GET, e)))
		goto out;
	btext(st, 1, arn);
	r = sqlite3_step(st);
	if (r == SQLITE_DONE)
		err_set(e, ERR_FUNCTION_NOT_FOUND, "%s does not exist", arn);
	else if (r != SQLITE_ROW)
		store_dberr(e, c->db, r, "resources");
	else if (!row_res(st, out))
		err_set(e, ERR_STORE_IO, "out of memory");
	else
		rc = 0;
out:
	if (st)
		sqlite3_reset(st);
	conn_put(s, c);
	return rc;
}

int store_res_list(struct store *s, const char *kind, const char *parent, const char *token, unsigned limit,
		   struct store_res **out, size_t *n, char **next, struct err *e)
{
	unsigned lim = store_page(limit);
	struct store_res *v = NULL;
	char *a = NULL, *b = NULL;
	struct conn *c = NULL;
	sqlite3_stmt *st = NULL;
	size_t k = 0;
	int rc = -1, r = SQLITE_DONE;

	*out = NULL;
	*n = 0;
	*next = NULL;
	if (token && store_token_parse(token, 'R', &a, &b, e))
		goto out;
	if (!(v = calloc(lim + 1, sizeof *v))) {
		err_set(e, ERR_STORE_IO, "out of memory");
		goto out;
	}
	if (!(c = conn_get(s, e)) || !(st = conn_stmt(c, parent ? ST_R_RES_LIST_P : ST_R_RES_LIST, e)))
		goto out;
	btext(st, 1, kind ? kind : "");
	btext(st, 2, a ? a : "");
	btext(st, 3, b ? b : "");
	sqlite3_bind_int(st, 4, (int)lim + 1);
	if (parent)
		btext(st, 5, parent);
	while ((r = sqlite3_step(st)) == SQLITE_ROW && k <= lim) {
		if (!row_res(st, &v[k])) {
			err_set(e, ERR_STORE_IO, "out of memory");
			goto out;
		}
		k++;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		store_dberr(e, c->db, r, "resources");
		goto out;
	}
	if (k > lim) {
		store_res_free(&v[lim]);
		k = lim;
		if (!(*next = store_token_make('R', v[k - 1].name, strlen(v[k - 1].name), v[k - 1].arn))) {
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
	store_res_list_free(v, k);
	free(a);
	free(b);
	return rc;
}

int store_fire_last(struct store *s, const char *schedule_arn, int64_t *fire_s, struct err *e)
{
	struct conn *c = conn_get(s, e);
	sqlite3_stmt *st = NULL;
	int rc = -1, r = SQLITE_DONE;

	*fire_s = 0;
	if (!c || !(st = conn_stmt(c, ST_R_FIRE_LAST, e)))
		goto out;
	btext(st, 1, schedule_arn);
	if ((r = sqlite3_step(st)) != SQLITE_ROW) {
		store_dberr(e, c->db, r, "fires");
		goto out;
	}
	*fire_s = sqlite3_column_int64(st, 0);   /* NULL (none) reads as 0 */
	rc = 0;
out:
	if (st)
		sqlite3_reset(st);
	conn_put(s, c);
	return rc;
}

int store_fire_list(struct store *s, const char *schedule_arn, unsigned limit, struct store_fire **out,
		    size_t *n, struct err *e)
{
	unsigned lim = limit == 0 ? 20 : store_page(limit);
	struct store_fire *v = NULL;
	struct conn *c = NULL;
	sqlite3_stmt *st = NULL;
	size_t k = 0;
	int rc = -1, r = SQLITE_DONE;

	*out = NULL;
	*n = 0;
	if (!(v = calloc(lim, sizeof *v))) {
		err_set(e, ERR_STORE_IO, "out of memory");
		goto out;
	}
	if (!(c = conn_get(s, e)) || !(st = conn_stmt(c, ST_R_FIRE_LIST, e)))
		goto out;
	btext(st, 1, schedule_arn);
	sqlite3_bind_int(st, 2, (int)lim);
	while (k < lim && (r = sqlite3_step(st)) == SQLITE_ROW) {
		bool bad = false;

		v[k].fire_s = sqlite3_column_int64(st, 0);
		v[k].at_us = sqlite3_column_int64(st, 1);
		v[k].exec_arn = store_col(st, 2, false, &bad);
		v[k].error = store_col(st, 3, false, &bad);
		k++;
		if (bad) {
			err_set(e, ERR_STORE_IO, "out of memory");
			goto out;
		}
	}
	if (k < lim && r != SQLITE_DONE) {
		store_dberr(e, c->db, r, "fires");
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
	store_fire_list_free(v, k);
	return rc;
}

int store_invocation_list(struct store *s, const char *function, unsigned limit, struct store_invocation **out,
			  size_t *n, struct err *e)
{
	unsigned lim = store_page(limit);
	struct store_invocation *v = NULL;
	struct conn *c = NULL;
	sqlite3_stmt *st = NULL;
	size_t k = 0;
	int rc = -1, r = SQLITE_DONE;

	*out = NULL;
	*n = 0;
	if (!(v = calloc(lim, sizeof *v))) {
		err_set(e, ERR_STORE_IO, "out of memory");
		goto out;
	}
	if (!(c = conn_get(s, e)) || !(st = conn_stmt(c, ST_R_INV_LIST, e)))
		goto out;
	btext(st, 1, function);
	sqlite3_bind_int(st, 2, (int)lim);
	while (k < lim && (r = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_invocation *x = &v[k++];
		bool bad = false;

		x->function = store_col(st, 0, true, &bad);
		x->version = store_col(st, 1, true, &bad);
		x->request_id = store_col(st, 2, true, &bad);
		x->start_us = sqlite3_column_int64(st, 3);
		x->duration_us = sqlite3_column_int64(st, 4);
		x->init_us = sqlite3_column_int64(st, 5);
		x->max_memory_kib = sqlite3_column_int64(st, 6);
		x->status = store_col(st, 7, true, &bad);
		x->log_tail = store_col(st, 8, false, &bad);
		x->source = store_col(st, 9, false, &bad);
		if (bad) {
			err_set(e, ERR_STORE_IO, "out of memory");
			goto out;
		}
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		store_dberr(e, c->db, r, "invocations");
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
	store_invocation_list_free(v, k);
	return rc;
}
