/* The store: opening (lock, checks, migrations), connections, errors.
 * The writer is in store_writer.c, reads in store_read*.c. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "store_int.h"

static const char *const sql_text[ST__COUNT] = {
#define X(id, sql) [ST_##id] = sql,
#include "stmts.def"
#undef X
};

static const char *const status_names[] = {
	[STORE_RUNNING] = "RUNNING", [STORE_SUCCEEDED] = "SUCCEEDED", [STORE_FAILED] = "FAILED",
	[STORE_TIMED_OUT] = "TIMED_OUT", [STORE_ABORTED] = "ABORTED",
	[STORE_PENDING_REDRIVE] = "PENDING_REDRIVE",
};

const char *store_status_name(enum store_status st)
{
	if ((unsigned)st >= sizeof status_names / sizeof *status_names)
		return "UNKNOWN";
	return status_names[st];
}

int store_status_parse(const char *s, enum store_status *out)
{
	for (unsigned i = 0; s && i < sizeof status_names / sizeof *status_names; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

void store_options_init(struct store_options *o)
{
	memset(o, 0, sizeof *o);
	o->mode = STORE_SERVER;
	o->fsync = true;
	o->group_max = 512;
	o->invocations_keep = 1000;
}

int64_t store_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

bool store_fatal(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL: case SQLITE_IOERR: case SQLITE_CORRUPT: case SQLITE_NOTADB: case SQLITE_NOMEM:
	case SQLITE_CANTOPEN: case SQLITE_READONLY:
		return true;
	}
	return false;
}

int store_dberr(struct err *e, sqlite3 *db, int rc, const char *what)
{
	const char *m = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	const char *file = db ? sqlite3_db_filename(db, "main") : NULL;

	switch (rc & 0xff) {
	case SQLITE_FULL:
		return err_set(e, ERR_STORE_FULL, "%s: the disk is full (%s)", what, m);
	case SQLITE_CORRUPT: case SQLITE_NOTADB:
		return err_set(e, ERR_STORE_CORRUPT, "%s: %s is damaged or not a database (%s)", what,
			       file && *file ? file : "the database", m);
	case SQLITE_BUSY: case SQLITE_LOCKED:
		return err_set(e, ERR_STORE_LOCKED, "%s: the database is busy (%s)", what, m);
	case SQLITE_TOOBIG:
		return err_set(e, ERR_INVALID_PARAMETER, "%s: a value is larger than %u bytes", what,
			       (unsigned)STORE_VALUE_MAX);
	}
	return err_set(e, ERR_STORE_IO, "%s: %s", what, m);
}

char *store_col_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	int n = sqlite3_column_bytes(st, col);
	char *p;

	if (!t)
		return NULL;
	if (!(p = malloc((size_t)n + 1)))
		return NULL;
	memcpy(p, t, (size_t)n);
	p[n] = '\0';
	return p;
}

char *store_col(sqlite3_stmt *st, int i, bool required, bool *bad)
{
	char *p;

	if (sqlite3_column_type(st, i) == SQLITE_NULL) {
		if (!required)
			return NULL;
		p = strdup("");
	} else {
		p = store_col_dup(st, i);
	}
	if (!p)
		*bad = true;
	return p;
}

unsigned store_page(unsigned limit)
{
	return limit == 0 ? 100 : limit > STORE_PAGE_MAX ? STORE_PAGE_MAX : limit;
}

sqlite3_stmt *conn_stmt(struct conn *c, enum stmt_id id, struct err *e)
{
	sqlite3_stmt *st = c->st[id];
	int rc;

	if (st) {
		sqlite3_reset(st);
		return st;
	}
	rc = sqlite3_prepare_v3(c->db, sql_text[id], -1, SQLITE_PREPARE_PERSISTENT, &c->st[id], NULL);
	if (rc != SQLITE_OK) {
		store_dberr(e, c->db, rc, "prepare");
		return NULL;
	}
	return c->st[id];
}

static void conn_close(struct conn *c)
{
	if (!c)
		return;
	for (int i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(c->st[i]);
	sqlite3_close(c->db);
	memset(c, 0, sizeof *c);
}

/* Settings every connection gets. */
static int conn_setup(struct store *s, struct conn *c, struct err *e)
{
	char sql[128];
	int rc;

	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, 5000);
	sqlite3_limit(c->db, SQLITE_LIMIT_LENGTH, STORE_VALUE_MAX);
	snprintf(sql, sizeof sql, "PRAGMA synchronous=%s; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384",
		 s->o.fsync ? "FULL" : "NORMAL");
	rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_dberr(e, c->db, rc, s->path);
	return 0;
}

static int conn_open(struct store *s, struct conn *c, bool rw, struct err *e)
{
	int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE |
		    (rw ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY);
	int rc;

	memset(c, 0, sizeof *c);
	rc = sqlite3_open_v2(s->path, &c->db, flags, NULL);
	if (rc != SQLITE_OK) {
		store_dberr(e, c->db, rc, "open");
		conn_close(c);
		return -1;
	}
	if (conn_setup(s, c, e)) {
		conn_close(c);
		return -1;
	}
	return 0;
}

struct conn *conn_get(struct store *s, struct err *e)
{
	struct conn *c;

	pthread_mutex_lock(&s->pool_mu);
	c = s->idle;
	if (c) {
		s->idle = c->next;
		s->nidle--;
	}
	pthread_mutex_unlock(&s->pool_mu);
	if (c)
		return c;
	if (!(c = malloc(sizeof *c))) {
		err_set(e, ERR_STORE_IO, "out of memory");
		return NULL;
	}
	if (conn_open(s, c, false, e)) {
		free(c);
		return NULL;
	}
	return c;
}

void conn_put(struct store *s, struct conn *c)
{
	if (!c)
		return;
	/* An open read transaction would pin a WAL snapshot. */
	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_lock(&s->pool_mu);
	if (s->nidle < STORE_POOL_IDLE) {
		c->next = s->idle;
		s->idle = c;
		s->nidle++;
		c = NULL;
	}
	pthread_mutex_unlock(&s->pool_mu);
	if (c) {
		conn_close(c);
		free(c);
	}
}

/* ---- opening ---- */

static int take_lock(struct store *s, struct err *e)
{
	char path[4096], buf[32];
	ssize_t n;
	int rc = -1;

	snprintf(path, sizeof path, "%s/serve.lock", s->home);
	s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (s->lock_fd < 0)
		return err_set(e, ERR_STORE_IO, "cannot open %s: %s", path, strerror(errno));
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK)
			return err_set(e, ERR_STORE_IO, "cannot lock %s: %s", path, strerror(errno));
		n = pread(s->lock_fd, buf, sizeof buf - 1, 0);
		buf[n > 0 ? n : 0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		return err_set(e, ERR_STORE_LOCKED, "another tutti serve (pid %s) is using %s", *buf ? buf : "?",
			       s->home);
	}
	n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (ftruncate(s->lock_fd, 0) < 0 || pwrite(s->lock_fd, buf, (size_t)n, 0) != n)
		goto out;
	rc = 0;
out:
	if (rc)
		err_set(e, ERR_STORE_IO, "cannot write %s: %s", path, strerror(errno));
	return rc;
}

static int pragma_int(struct conn *c, const char *sql, int64_t *out, struct err *e, const char *path)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			*out = 0;
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return store_dberr(e, c->db, rc, path);
	return 0;
}

/* Is this file ours, and how old is its schema? A new (empty) file is
 * version 0. */
static int check_file(struct store *s, struct conn *c, int64_t *version, struct err *e)
{
	int64_t app = 0, tables = 0;

	if (pragma_int(c, "PRAGMA application_id", &app, e, s->path) ||
	    pragma_int(c, "PRAGMA user_version", version, e, s->path) ||
	    pragma_int(c, "SELECT count(*) FROM sqlite_master", &tables, e, s->path)) {
		if (err_is(e, ERR_STORE_CORRUPT))
			err_set(e, ERR_STORE_CORRUPT, "%s is not a tutti store (damaged or not an SQLite database)",
				s->path);
		return -1;
	}
	if (app != STORE_APPLICATION_ID && (app != 0 || *version != 0 || tables != 0))
		return err_set(e, ERR_STORE_CORRUPT,
			       "%s is an SQLite database but not a tutti store (application_id 0x%08" PRIx64 ")",
			       s->path, (uint64_t)app);
	if (*version > STORE_SCHEMA_VERSION)
		return err_set(e, ERR_STORE_SCHEMA_TOO_NEW,
			       "%s has schema version %" PRId64 ", written by a newer tutti; this one knows "
			       "versions up to %d",
			       s->path, *version, STORE_SCHEMA_VERSION);
	return 0;
}

static int migrate(struct store *s, int64_t from, struct err *e)
{
	char sql[128], what[64];
	int rc = SQLITE_OK;

	for (int64_t v = from + 1; v <= STORE_SCHEMA_VERSION; v++) {
		snprintf(what, sizeof what, "migration %" PRId64, v);
		snprintf(sql, sizeof sql, "PRAGMA user_version=%" PRId64 "; PRAGMA application_id=%d", v,
			 STORE_APPLICATION_ID);
		if ((rc = sqlite3_exec(s->w.db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK ||
		    (rc = sqlite3_exec(s->w.db, store_migrations[v], NULL, NULL, NULL)) != SQLITE_OK ||
		    (rc = sqlite3_exec(s->w.db, sql, NULL, NULL, NULL)) != SQLITE_OK ||
		    (rc = sqlite3_exec(s->w.db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK) {
			store_dberr(e, s->w.db, rc, what);
			sqlite3_exec(s->w.db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	return 0;
}

static int open_server(struct store *s, struct err *e)
{
	char why[512];
	int64_t version = 0;
	sqlite3_stmt *st = NULL;
	int fd, rc;

	if ((rc = fs_private_dir(s->home, why, sizeof why)))
		return err_set(e, ERR_STORE_IO, "%s", why);
	if (take_lock(s, e))
		return -1;
	fd = open(s->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return err_set(e, ERR_STORE_IO, "cannot open %s: %s", s->path, strerror(errno));
	rc = fchmod(fd, 0600);
	close(fd);
	if (rc < 0)
		return err_set(e, ERR_STORE_IO, "cannot chmod %s: %s", s->path, strerror(errno));
	if (conn_open(s, &s->w, true, e) || check_file(s, &s->w, &version, e))
		return -1;
	/* WAL first: the migrations already run in it. */
	rc = sqlite3_prepare_v2(s->w.db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc = strcmp((const char *)sqlite3_column_text(st, 0), "wal") ? SQLITE_ERROR : SQLITE_OK;
		if (rc)
			err_set(e, ERR_STORE_IO, "%s: cannot switch to WAL mode", s->path);
	} else if (rc == SQLITE_OK || rc == SQLITE_DONE) {
		rc = SQLITE_ERROR;
		err_set(e, ERR_STORE_IO, "%s: cannot switch to WAL mode", s->path);
	} else {
		store_dberr(e, s->w.db, rc, s->path);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return -1;
	/* A bigger cache for the writer. Checkpoints stay automatic, on the
	 * writer thread after a commit, but every 8192 pages (32 MiB) rather
	 * than 1000: the pages a transition rewrites every time (the
	 * executions' rows, the frames) are copied once per checkpoint, so
	 * fewer checkpoints copy less (a fifth of the commit time at 1000).
	 * The WAL file is cut back to 64 MiB after one. */
	sqlite3_exec(s->w.db,
		     "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=8192; PRAGMA journal_size_limit=67108864",
		     NULL, NULL, NULL);
	if (version < STORE_SCHEMA_VERSION && migrate(s, version, e))
		return -1;
	return store_writer_start(s, e);
}

static int open_reader(struct store *s, struct err *e)
{
	int64_t version = 0;
	struct conn *c;
	int rc = -1;

	if (access(s->path, F_OK) < 0)
		return err_set(e, ERR_FUNCTION_NOT_FOUND, "no store yet at %s", s->path);
	if (!(c = conn_get(s, e)))
		return -1;
	if (check_file(s, c, &version, e))
		goto out;
	if (version < STORE_SCHEMA_VERSION) {
		err_set(e, ERR_STORE_IO,
			"%s has schema version %" PRId64 " and this tutti needs %d: start `tutti serve` once "
			"to migrate it",
			s->path, version, STORE_SCHEMA_VERSION);
		goto out;
	}
	rc = 0;
out:
	conn_put(s, c);
	return rc;
}

/* SQLite's memory statistics take a global mutex on every allocation: off
 * (process-wide, before SQLite initialises; nothing else in tutti uses
 * SQLite). */
static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store_open(const struct store_options *o, struct store **out, struct err *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	struct store *s = NULL;
	int rc = -1;

	*out = NULL;
	pthread_once(&once, sqlite_setup);
	if (!o->home || !*o->home)
		return err_set(e, ERR_INVALID_PARAMETER, "store: no home directory");
	if (!(s = calloc(1, sizeof *s)))
		return err_set(e, ERR_STORE_IO, "out of memory");
	s->o = *o;
	if (!s->o.group_max)
		s->o.group_max = 512;
	if (!s->o.invocations_keep)
		s->o.invocations_keep = 1000;
	s->lock_fd = -1;
	s->reader = o->mode == STORE_READER;
	pthread_mutex_init(&s->mu, NULL);
	pthread_mutex_init(&s->pool_mu, NULL);
	pthread_cond_init(&s->work_cv, NULL);
	pthread_cond_init(&s->done_cv, NULL);
	if (!(s->home = strdup(o->home)) || asprintf(&s->path, "%s/tutti.db", o->home) < 0) {
		s->path = NULL;
		err_set(e, ERR_STORE_IO, "out of memory");
		goto out;
	}
	if (s->reader ? open_reader(s, e) : open_server(s, e))
		goto out;
	*out = s;
	s = NULL;
	rc = 0;
out:
	store_close(s);
	return rc;
}

void store_close(struct store *s)
{
	struct conn *c;

	if (!s)
		return;
	store_writer_stop(s);
	while ((c = s->idle)) {
		s->idle = c->next;
		conn_close(c);
		free(c);
	}
	conn_close(&s->w);
	if (s->lock_fd >= 0)
		close(s->lock_fd);   /* releases the flock */
	pthread_mutex_destroy(&s->mu);
	pthread_mutex_destroy(&s->pool_mu);
	pthread_cond_destroy(&s->work_cv);
	pthread_cond_destroy(&s->done_cv);
	free(s->home);
	free(s->path);
	free(s);
}

void store_stats(struct store *s, struct store_stats *out)
{
	pthread_mutex_lock(&s->mu);
	*out = s->stats;
	out->queue_len = s->queue_len;
	pthread_mutex_unlock(&s->mu);
}

/* ---- frees ---- */

void store_res_free(struct store_res *r)
{
	if (!r)
		return;
	free(r->kind);
	free(r->arn);
	free(r->name);
	free(r->parent);
	free(r->body);
	memset(r, 0, sizeof *r);
}

void store_res_list_free(struct store_res *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		store_res_free(&v[i]);
	free(v);
}

void store_exec_free(struct store_exec *x)
{
	if (!x)
		return;
	free(x->arn);
	free(x->name);
	free(x->sm_arn);
	free(x->sm_qualified);
	free(x->type);
	free(x->input);
	free(x->output);
	free(x->error);
	free(x->cause);
	free(x->parent);
	free(x->trace);
	memset(x, 0, sizeof *x);
}

void store_exec_list_free(struct store_exec *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		store_exec_free(&v[i]);
	free(v);
}

void store_event_list_free(struct store_event *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].type);
		free(v[i].details);
	}
	free(v);
}

void store_fire_list_free(struct store_fire *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].exec_arn);
		free(v[i].error);
	}
	free(v);
}

void store_invocation_free(struct store_invocation *v)
{
	if (!v)
		return;
	free(v->function);
	free(v->version);
	free(v->request_id);
	free(v->status);
	free(v->log_tail);
	free(v->source);
	memset(v, 0, sizeof *v);
}

void store_invocation_list_free(struct store_invocation *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		store_invocation_free(&v[i]);
	free(v);
}
