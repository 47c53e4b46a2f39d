/* Unit tests of the store (store/store.h) on a real file under /tmp. */
#include <check.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "store.h"
#include "store_int.h"

static char home[PATH_MAX];
static char dbpath[PATH_MAX + 16];

static void setup(void)
{
	snprintf(home, sizeof home, "/tmp/tutti-store.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(home));
	snprintf(dbpath, sizeof dbpath, "%s/tutti.db", home);
}

static void teardown(void)
{
	fs_rm_rf(home);
}

static struct store *open_mode(enum store_mode mode, struct err *e)
{
	struct store_options o;
	struct store *s = NULL;

	store_options_init(&o);
	o.home = home;
	o.mode = mode;
	if (store_open(&o, &s, e))
		return NULL;
	return s;
}

static struct store *open_ok(void)
{
	struct err e = { 0 };
	struct store *s = open_mode(STORE_SERVER, &e);

	ck_assert_msg(s != NULL, "open: %s: %s", e.type, e.msg);
	return s;
}

/* Runs SQL on the file directly (not through the store). */
static void raw_sql(const char *sql)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int64_t raw_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v;

	ck_assert_int_eq(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void mkexec(struct store *s, const char *arn, const char *sm, int64_t start, const char *input)
{
	struct store_exec x = { .arn = (char *)arn, .name = (char *)"x", .sm_arn = (char *)sm,
				.type = (char *)"STANDARD", .input = (char *)input, .start_us = start };
	struct err e = { 0 };
	bool existed = true;

	ck_assert_msg(store_exec_create(s, &x, NULL, &existed, &e) == 0, "%s: %s", e.type, e.msg);
	ck_assert(!existed);
}

struct result {
	int rc;
	struct err e;
	int calls;
};

static void on_done(void *arg, int rc, const struct err *e)
{
	struct result *r = arg;

	r->calls++;
	r->rc = rc;
	if (e)
		r->e = *e;
}

/* Commits t and waits: the callback's rc. */
static int commit_wait(struct store *s, const struct store_txn *t, struct err *out)
{
	struct result r = { 0 };
	struct err e = { 0 };

	ck_assert_int_eq(store_commit(s, t, on_done, &r, &e), 0);
	ck_assert_int_eq(store_sync(s, &e), 0);
	ck_assert_int_eq(r.calls, 1);
	if (out)
		*out = r.e;
	return r.rc;
}

/* A transition: two events (ids id, id+1) and a PUT of the top frame. */
static int step(struct store *s, const char *arn, int64_t version, uint32_t id, struct err *e)
{
	struct store_event ev[2] = {
		{ .id = id, .prev = id - 1, .ts_us = 1, .type = (char *)"PassStateEntered", .details = (char *)"{\"a\":1}" },
		{ .id = id + 1, .prev = id, .ts_us = 2, .type = (char *)"PassStateExited", .details = (char *)"{\"b\":2}" },
	};
	struct store_frame fr = { .op = STORE_FRAME_PUT, .path = "", .body = "{\"state\":\"A\"}" };
	struct store_txn t = { .exec_arn = arn, .version = version, .events = ev, .nevents = 2,
			       .frames = &fr, .nframes = 1 };

	return commit_wait(s, &t, e);
}

START_TEST(test_fresh_migrations)
{
	struct store *s = open_ok();
	struct stat st;
	char lock[PATH_MAX + 16], *text = NULL;
	size_t len;

	ck_assert_int_eq(raw_int("PRAGMA user_version"), STORE_SCHEMA_VERSION);
	ck_assert_int_eq(raw_int("PRAGMA application_id"), STORE_APPLICATION_ID);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM sqlite_master WHERE name = 'executions'"), 1);
	ck_assert_int_eq(stat(dbpath, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(home, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	snprintf(lock, sizeof lock, "%s/serve.lock", home);
	ck_assert_int_eq(fs_read_file(lock, 64, &text, &len), 0);
	ck_assert_int_eq(atol(text), getpid());
	free(text);
	store_close(s);
	/* WAL: the journal mode is kept in the file. */
	ck_assert_int_eq(raw_int("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
}
END_TEST

START_TEST(test_reopen_keeps)
{
	struct store *s = open_ok();
	struct store_res r = { .kind = (char *)"state-machine", .arn = (char *)"arn:sm:a", .name = (char *)"a",
			       .body = (char *)"{\"d\":1}" };
	struct store_res got;
	struct store_exec x;
	struct err e = { 0 };
	int64_t seq;

	ck_assert_int_eq(store_res_create(s, &r, &e), 0);
	ck_assert_int_eq(store_seq_next(s, "arn:sm:a", &seq, &e), 0);
	ck_assert_int_eq(seq, 1);
	mkexec(s, "arn:ex:1", "arn:sm:a", 100, "{}");
	ck_assert_int_eq(step(s, "arn:ex:1", 1, 1, &e), 0);
	store_close(s);
	s = open_ok();
	ck_assert_int_eq(store_res_get(s, "arn:sm:a", &got, &e), 0);
	ck_assert_str_eq(got.body, "{\"d\":1}");
	ck_assert_int_eq(got.revision, 1);
	store_res_free(&got);
	ck_assert_int_eq(store_exec_get(s, "arn:ex:1", &x, &e), 0);
	ck_assert_int_eq(x.version, 2);
	ck_assert_int_eq(x.status, STORE_RUNNING);
	store_exec_free(&x);
	ck_assert_int_eq(store_seq_next(s, "arn:sm:a", &seq, &e), 0);
	ck_assert_int_eq(seq, 2);
	store_close(s);
}
END_TEST

START_TEST(test_schema_too_new)
{
	struct err e = { 0 };

	store_close(open_ok());
	raw_sql("PRAGMA user_version = 99");
	ck_assert_ptr_null(open_mode(STORE_SERVER, &e));
	ck_assert_str_eq(e.type, "StoreSchemaTooNew");
	ck_assert_ptr_nonnull(strstr(e.msg, "99"));
	ck_assert_ptr_nonnull(strstr(e.msg, "up to 1"));
	ck_assert_ptr_null(open_mode(STORE_READER, &e));
	ck_assert_str_eq(e.type, "StoreSchemaTooNew");
	ck_assert_int_eq(raw_int("PRAGMA user_version"), 99);   /* untouched */
}
END_TEST

START_TEST(test_garbage_refused)
{
	char junk[8192];
	struct err e = { 0 };

	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)(i * 7 + 3);
	ck_assert_int_eq(fs_write_atomic(dbpath, junk, sizeof junk, 0600), 0);
	ck_assert_ptr_null(open_mode(STORE_SERVER, &e));
	ck_assert_str_eq(e.type, "StoreCorrupt");
	ck_assert_ptr_nonnull(strstr(e.msg, dbpath));
	ck_assert_ptr_null(open_mode(STORE_READER, &e));
	ck_assert_str_eq(e.type, "StoreCorrupt");
}
END_TEST

START_TEST(test_foreign_sqlite_refused)
{
	struct err e = { 0 };

	raw_sql("CREATE TABLE mine(x); INSERT INTO mine VALUES (1)");
	ck_assert_ptr_null(open_mode(STORE_SERVER, &e));
	ck_assert_str_eq(e.type, "StoreCorrupt");
	ck_assert_ptr_nonnull(strstr(e.msg, "not a tutti store"));
	ck_assert_int_eq(raw_int("SELECT count(*) FROM mine"), 1);
}
END_TEST

START_TEST(test_lock_and_reader)
{
	struct err e = { 0 };
	struct store *s, *r;
	struct store_exec x;
	char want[64];

	ck_assert_ptr_null(open_mode(STORE_READER, &e));
	ck_assert_str_eq(e.type, "ResourceNotFoundException");
	s = open_ok();
	ck_assert_ptr_null(open_mode(STORE_SERVER, &e));
	ck_assert_str_eq(e.type, "StoreLocked");
	snprintf(want, sizeof want, "(pid %ld)", (long)getpid());
	ck_assert_ptr_nonnull(strstr(e.msg, want));
	ck_assert_ptr_nonnull(strstr(e.msg, home));
	r = open_mode(STORE_READER, &e);
	ck_assert_msg(r != NULL, "%s: %s", e.type, e.msg);
	mkexec(s, "arn:ex:1", "arn:sm", 1, "{}");
	ck_assert_int_eq(step(s, "arn:ex:1", 1, 1, &e), 0);
	ck_assert_int_eq(store_exec_get(r, "arn:ex:1", &x, &e), 0);
	ck_assert_int_eq(x.version, 2);
	store_exec_free(&x);
	ck_assert_int_eq(store_sync(r, &e), -1);   /* a reader never writes */
	store_close(s);
	/* The lock goes with the server; the reader still reads. */
	s = open_ok();
	ck_assert_int_eq(store_exec_get(r, "arn:ex:1", &x, &e), 0);
	store_exec_free(&x);
	store_close(r);
	store_close(s);
}
END_TEST

START_TEST(test_resources)
{
	struct store *s = open_ok();
	struct store_res r = { .kind = (char *)"rule", .body = (char *)"{}" }, got, *v;
	char arn[64], name[64], *tok = NULL, *next;
	struct err e = { 0 };
	size_t n, total = 0;
	int pages = 0;

	for (int i = 0; i < 250; i++) {
		snprintf(arn, sizeof arn, "arn:rule:%03d", 249 - i);
		snprintf(name, sizeof name, "n%03d", i);
		r.arn = arn;
		r.name = name;
		r.parent = (char *)(i % 2 ? "bus:a" : "bus:b");
		ck_assert_int_eq(store_res_create(s, &r, &e), 0);
	}
	ck_assert_int_eq(store_res_create(s, &r, &e), -1);
	ck_assert_str_eq(e.type, "ResourceConflictException");
	ck_assert_int_eq(store_res_update(s, "arn:rule:000", "{\"v\":2}", 1, &e), 0);
	ck_assert_int_eq(store_res_update(s, "arn:rule:000", "{\"v\":3}", 1, &e), -1);
	ck_assert_str_eq(e.type, "StoreConflict");
	ck_assert_int_eq(store_res_update(s, "arn:rule:000", "{\"v\":3}", 0, &e), 0);
	ck_assert_int_eq(store_res_update(s, "arn:none", "{}", 0, &e), -1);
	ck_assert_str_eq(e.type, "ResourceNotFoundException");
	ck_assert_int_eq(store_res_get(s, "arn:rule:000", &got, &e), 0);
	ck_assert_str_eq(got.body, "{\"v\":3}");
	ck_assert_int_eq(got.revision, 3);
	ck_assert_str_eq(got.name, "n249");
	ck_assert_str_eq(got.parent, "bus:a");
	store_res_free(&got);
	/* 250 rows in pages of 100, ordered by name. */
	do {
		ck_assert_int_eq(store_res_list(s, "rule", NULL, tok, 0, &v, &n, &next, &e), 0);
		for (size_t i = 0; i < n; i++) {
			snprintf(name, sizeof name, "n%03zu", total + i);
			ck_assert_str_eq(v[i].name, name);
		}
		total += n;
		pages++;
		store_res_list_free(v, n);
		free(tok);
		tok = next;
		ck_assert(!tok || strlen(tok) <= STORE_TOKEN_MAX);
	} while (tok);
	ck_assert_int_eq(total, 250);
	ck_assert_int_eq(pages, 3);
	ck_assert_int_eq(store_res_list(s, "rule", "bus:a", NULL, 1000, &v, &n, &next, &e), 0);
	ck_assert_int_eq(n, 125);
	ck_assert_ptr_null(next);
	store_res_list_free(v, n);
	ck_assert_int_eq(store_res_list(s, "rule", NULL, "garbage!", 10, &v, &n, &next, &e), -1);
	ck_assert_str_eq(e.msg, "Invalid pagination token");
	ck_assert_int_eq(store_res_list(s, "rule", NULL, "RQ", 10, &v, &n, &next, &e), -1);
	ck_assert_str_eq(e.type, "InvalidParameterValueException");
	ck_assert_int_eq(store_res_delete(s, "arn:rule:000", &e), 0);
	ck_assert_int_eq(store_res_delete(s, "arn:rule:000", &e), -1);
	ck_assert_str_eq(e.type, "ResourceNotFoundException");
	ck_assert_int_eq(store_res_get(s, "arn:rule:000", &got, &e), -1);
	store_close(s);
}
END_TEST

START_TEST(test_exec_create_list)
{
	struct store *s = open_ok();
	struct store_exec x = { .arn = (char *)"arn:ex:a:0", .name = (char *)"0", .sm_arn = (char *)"arn:sm:a",
				.type = (char *)"STANDARD", .input = (char *)"{\"n\":1}", .start_us = 5 }, got, *v;
	struct store_exec_query q = { 0 };
	struct store_txn t;
	char arn[64], *tok = NULL, *next;
	struct err e = { 0 };
	bool existed;
	size_t n, total = 0;
	int64_t last = INT64_MAX;
	uint64_t count;

	ck_assert_int_eq(store_exec_create(s, &x, NULL, &existed, &e), 0);
	ck_assert(!existed);
	ck_assert_int_eq(store_exec_create(s, &x, NULL, &existed, &e), 0);
	ck_assert(existed);
	x.input = (char *)"{\"n\":2}";
	ck_assert_int_eq(store_exec_create(s, &x, NULL, &existed, &e), -1);
	ck_assert_str_eq(e.type, "ExecutionAlreadyExists");
	memset(&t, 0, sizeof t);
	t.exec_arn = "arn:other";
	ck_assert_int_eq(store_exec_create(s, &x, &t, &existed, &e), -1);
	ck_assert_int_eq(store_exec_get(s, "arn:ex:a:0", &got, &e), 0);
	ck_assert_str_eq(got.input, "{\"n\":1}");
	ck_assert_str_eq(got.sm_arn, "arn:sm:a");
	ck_assert_int_eq(got.version, 1);
	ck_assert_int_eq(got.start_us, 5);
	ck_assert_ptr_null(got.output);
	store_exec_free(&got);
	ck_assert_int_eq(store_exec_get(s, "arn:none", &got, &e), -1);
	ck_assert_str_eq(e.type, "ResourceNotFoundException");
	/* 150 of machine a (some with equal start times), 60 of b. */
	for (int i = 1; i < 150; i++) {
		snprintf(arn, sizeof arn, "arn:ex:a:%d", i);
		mkexec(s, arn, "arn:sm:a", 10 + i / 3, "{}");
	}
	for (int i = 0; i < 60; i++) {
		snprintf(arn, sizeof arn, "arn:ex:b:%d", i);
		mkexec(s, arn, "arn:sm:b", 10 + i, "{}");
	}
	q.sm_arn = "arn:sm:a";
	q.limit = 40;
	do {
		q.token = tok;
		ck_assert_int_eq(store_exec_list(s, &q, &v, &n, &next, &e), 0);
		for (size_t i = 0; i < n; i++) {
			ck_assert_str_eq(v[i].sm_arn, "arn:sm:a");
			ck_assert(v[i].start_us <= last);
			last = v[i].start_us;
		}
		total += n;
		store_exec_list_free(v, n);
		free(tok);
		tok = next;
	} while (tok);
	ck_assert_int_eq(total, 150);
	ck_assert_int_eq(last, 5);
	/* Newest first across all, then one by status. */
	memset(&q, 0, sizeof q);
	q.limit = 1;
	ck_assert_int_eq(store_exec_list(s, &q, &v, &n, &next, &e), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(v[0].arn, "arn:ex:b:59");
	store_exec_list_free(v, n);
	free(next);
	q.has_status = true;
	q.status = STORE_SUCCEEDED;
	ck_assert_int_eq(store_exec_list(s, &q, &v, &n, &next, &e), 0);
	ck_assert_int_eq(n, 0);
	store_exec_list_free(v, n);
	q.status = STORE_RUNNING;
	q.sm_arn = "arn:sm:b";
	q.limit = 1000;
	ck_assert_int_eq(store_exec_list(s, &q, &v, &n, &next, &e), 0);
	ck_assert_int_eq(n, 60);
	ck_assert_ptr_null(next);
	store_exec_list_free(v, n);
	q.token = "RQ";
	ck_assert_int_eq(store_exec_list(s, &q, &v, &n, &next, &e), -1);
	ck_assert_str_eq(e.msg, "Invalid pagination token");
	ck_assert_int_eq(store_exec_count(s, NULL, STORE_RUNNING, &count, &e), 0);
	ck_assert_int_eq(count, 210);
	ck_assert_int_eq(store_exec_count(s, "arn:sm:b", STORE_RUNNING, &count, &e), 0);
	ck_assert_int_eq(count, 60);
	store_close(s);
}
END_TEST

START_TEST(test_history)
{
	struct store *s = open_ok();
	struct store_event *v;
	struct err e = { 0 };
	uint32_t after = 0, expect;
	size_t n;
	bool more;
	int pages = 0;

	mkexec(s, "arn:ex:1", "arn:sm", 1, "{}");
	mkexec(s, "arn:ex:2", "arn:sm", 2, "{}");
	for (int i = 0; i < 125; i++)
		ck_assert_int_eq(step(s, "arn:ex:1", 1 + i, 1 + 2 * i, &e), 0);
	ck_assert_int_eq(step(s, "arn:ex:2", 1, 1, &e), 0);
	expect = 1;
	do {
		ck_assert_int_eq(store_history(s, "arn:ex:1", after, false, 100, &v, &n, &more, &e), 0);
		for (size_t i = 0; i < n; i++, expect++) {
			ck_assert_int_eq(v[i].id, expect);
			ck_assert_int_eq(v[i].prev, expect - 1);
			ck_assert_str_eq(v[i].type, expect % 2 ? "PassStateEntered" : "PassStateExited");
		}
		after = n ? v[n - 1].id : after;
		store_event_list_free(v, n);
		pages++;
	} while (more);
	ck_assert_int_eq(expect, 251);
	ck_assert_int_eq(pages, 3);
	/* Reverse from the end, then from 51 down. */
	ck_assert_int_eq(store_history(s, "arn:ex:1", 0, true, 10, &v, &n, &more, &e), 0);
	ck_assert_int_eq(n, 10);
	ck_assert_int_eq(v[0].id, 250);
	ck_assert_int_eq(v[9].id, 241);
	ck_assert(more);
	store_event_list_free(v, n);
	ck_assert_int_eq(store_history(s, "arn:ex:1", 51, true, 100, &v, &n, &more, &e), 0);
	ck_assert_int_eq(n, 50);
	ck_assert_int_eq(v[0].id, 50);
	ck_assert_int_eq(v[49].id, 1);
	ck_assert(!more);
	store_event_list_free(v, n);
	ck_assert_int_eq(store_history(s, "arn:ex:2", 0, false, 0, &v, &n, &more, &e), 0);
	ck_assert_int_eq(n, 2);
	store_event_list_free(v, n);
	ck_assert_int_eq(store_history(s, "arn:none", 0, false, 0, &v, &n, &more, &e), -1);
	ck_assert_str_eq(e.type, "ResourceNotFoundException");
	store_close(s);
}
END_TEST

struct collect {
	int n;
	char paths[16][32];
	int nframes;
	uint32_t last_event;
	int64_t version;
	char arn[64];
};

static int collect(void *arg, const struct store_running *r)
{
	struct collect *c = arg;

	c->n++;
	snprintf(c->arn, sizeof c->arn, "%s", r->x.arn);
	c->version = r->x.version;
	c->last_event = r->last_event;
	c->nframes = (int)r->nframes;
	for (size_t i = 0; i < r->nframes && i < 16; i++)
		snprintf(c->paths[i], sizeof c->paths[i], "%s", r->frames[i].path);
	return 0;
}

START_TEST(test_frames_in_order)
{
	struct store *s = open_ok();
	struct store_frame put[] = {
		{ .op = STORE_FRAME_PUT, .path = "", .body = "{}" },
		{ .op = STORE_FRAME_PUT, .path = "2", .body = "{}" },
		{ .op = STORE_FRAME_PUT, .path = "2/0", .body = "{}", .token = "tok-20" },
		{ .op = STORE_FRAME_PUT, .path = "2/15", .body = "{}", .due_us = 99 },
		{ .op = STORE_FRAME_PUT, .path = "20", .body = "{}" },
		{ .op = STORE_FRAME_PUT, .path = "3", .body = "{}" },
		{ .op = STORE_FRAME_DELETE, .path = "3" },
		{ .op = STORE_FRAME_PUT, .path = "4", .body = "{\"old\":1}" },
		{ .op = STORE_FRAME_PUT, .path = "4", .body = "{}" },
	};
	struct store_frame under = { .op = STORE_FRAME_DELETE_UNDER, .path = "2" };
	struct store_txn t = { .exec_arn = "arn:ex:1", .version = 1, .frames = put, .nframes = 9 };
	struct collect c = { 0 };
	struct err e = { 0 };
	char *arn, *path;

	mkexec(s, "arn:ex:1", "arn:sm", 1, "{}");
	ck_assert_int_eq(commit_wait(s, &t, &e), 0);
	ck_assert_int_eq(store_running_each(s, collect, &c, &e), 0);
	ck_assert_int_eq(c.nframes, 6);
	ck_assert_str_eq(c.paths[0], "");
	ck_assert_str_eq(c.paths[1], "2");
	ck_assert_str_eq(c.paths[2], "2/0");
	ck_assert_str_eq(c.paths[3], "2/15");
	ck_assert_str_eq(c.paths[4], "20");
	ck_assert_str_eq(c.paths[5], "4");
	ck_assert_int_eq(store_token_find(s, "tok-20", &arn, &path, &e), 0);
	ck_assert_str_eq(arn, "arn:ex:1");
	ck_assert_str_eq(path, "2/0");
	free(arn);
	free(path);
	ck_assert_int_eq(store_token_find(s, "tok-none", &arn, &path, &e), -1);
	ck_assert_str_eq(e.type, "TaskDoesNotExist");
	t.frames = &under;
	t.nframes = 1;
	t.version = 2;
	ck_assert_int_eq(commit_wait(s, &t, &e), 0);
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(store_running_each(s, collect, &c, &e), 0);
	ck_assert_int_eq(c.nframes, 4);
	ck_assert_str_eq(c.paths[0], "");
	ck_assert_str_eq(c.paths[1], "2");
	ck_assert_str_eq(c.paths[2], "20");
	ck_assert_str_eq(c.paths[3], "4");
	ck_assert_int_eq(c.version, 3);
	ck_assert_int_eq(store_token_find(s, "tok-20", &arn, &path, &e), -1);
	/* DELETE_UNDER "" leaves only the top level. */
	under.path = "";
	t.version = 3;
	ck_assert_int_eq(commit_wait(s, &t, &e), 0);
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(store_running_each(s, collect, &c, &e), 0);
	ck_assert_int_eq(c.nframes, 1);
	ck_assert_str_eq(c.paths[0], "");
	store_close(s);
}
END_TEST

/* Three transactions in one group; the middle one's version is stale: it
 * alone fails, nothing of it is kept. */
START_TEST(test_conflict_fails_only_its_txn)
{
	struct store_options o;
	struct store *s;
	struct store_event ev[3] = { { .id = 1, .type = (char *)"A", .details = (char *)"{}" },
				     { .id = 1, .type = (char *)"B", .details = (char *)"{}" },
				     { .id = 1, .type = (char *)"C", .details = (char *)"{}" } };
	struct store_txn t[3] = { { .exec_arn = "arn:ex:1", .version = 1, .events = &ev[0], .nevents = 1 },
				  { .exec_arn = "arn:ex:2", .version = 7, .events = &ev[1], .nevents = 1 },
				  { .exec_arn = "arn:ex:3", .version = 1, .events = &ev[2], .nevents = 1 } };
	struct result r[3] = { 0 };
	struct store_stats before, after;
	struct store_event *v;
	struct store_exec x;
	struct err e = { 0 };
	size_t n;
	bool more;

	store_options_init(&o);
	o.home = home;
	o.group_wait_us = 200000;   /* the writer waits for all three */
	ck_assert_int_eq(store_open(&o, &s, &e), 0);
	mkexec(s, "arn:ex:1", "arn:sm", 1, "{}");
	mkexec(s, "arn:ex:2", "arn:sm", 1, "{}");
	mkexec(s, "arn:ex:3", "arn:sm", 1, "{}");
	store_stats(s, &before);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(store_commit(s, &t[i], on_done, &r[i], &e), 0);
	ck_assert_int_eq(store_sync(s, &e), 0);
	store_stats(s, &after);
	ck_assert_int_eq(after.commits - before.commits, 1);
	ck_assert_int_eq(after.txns - before.txns, 2);
	ck_assert_int_eq(r[0].rc, 0);
	ck_assert_int_eq(r[1].rc, -1);
	ck_assert_str_eq(r[1].e.type, "StoreConflict");
	ck_assert_int_eq(r[2].rc, 0);
	ck_assert_int_eq(store_history(s, "arn:ex:2", 0, false, 0, &v, &n, &more, &e), 0);
	ck_assert_int_eq(n, 0);
	store_event_list_free(v, n);
	ck_assert_int_eq(store_history(s, "arn:ex:3", 0, false, 0, &v, &n, &more, &e), 0);
	ck_assert_int_eq(n, 1);
	store_event_list_free(v, n);
	ck_assert_int_eq(store_exec_get(s, "arn:ex:2", &x, &e), 0);
	ck_assert_int_eq(x.version, 1);
	store_exec_free(&x);
	/* A duplicate event id fails its transaction the same way. */
	t[0].version = 2;
	ck_assert_int_eq(commit_wait(s, &t[0], &e), -1);
	ck_assert_str_eq(e.type, "StoreConflict");
	ck_assert_int_eq(store_exec_get(s, "arn:ex:1", &x, &e), 0);
	ck_assert_int_eq(x.version, 2);
	store_exec_free(&x);
	t[0].exec_arn = "arn:none";
	ck_assert_int_eq(commit_wait(s, &t[0], &e), -1);
	ck_assert_str_eq(e.type, "ResourceNotFoundException");
	store_close(s);
}
END_TEST

START_TEST(test_finish_and_redrive)
{
	struct store *s = open_ok();
	struct store_frame fr = { .op = STORE_FRAME_PUT, .path = "1", .body = "{}", .token = "t1" };
	struct store_event ev = { .id = 3, .prev = 2, .type = (char *)"ExecutionFailed", .details = (char *)"{}" };
	struct store_txn t = { .exec_arn = "arn:ex:1", .version = 2, .events = &ev, .nevents = 1, .finished = true,
			       .status = STORE_FAILED, .error = "E", .cause = "C", .stop_us = 77 };
	struct store_event rev = { .id = 4, .prev = 3, .type = (char *)"ExecutionRedriven", .details = (char *)"{}" };
	struct store_frame rfr = { .op = STORE_FRAME_PUT, .path = "", .body = "{\"again\":1}" };
	struct store_txn rt = { .exec_arn = "arn:ex:1", .events = &rev, .nevents = 1, .frames = &rfr, .nframes = 1 };
	struct store_txn put = { .exec_arn = "arn:ex:1", .version = 1, .frames = &fr, .nframes = 1 };
	struct collect c = { 0 };
	struct store_frame_row *rows;
	struct store_exec x;
	struct err e = { 0 };
	char *arn, *path;
	uint32_t last;
	size_t nrows;

	mkexec(s, "arn:ex:1", "arn:sm", 1, "{}");
	ck_assert_int_eq(store_exec_reopen(s, "arn:ex:1", NULL, &e), -1);
	ck_assert_str_eq(e.type, "ExecutionNotRedrivable");
	ck_assert_int_eq(commit_wait(s, &put, &e), 0);
	ck_assert_int_eq(commit_wait(s, &t, &e), 0);
	ck_assert_int_eq(store_exec_get(s, "arn:ex:1", &x, &e), 0);
	ck_assert_int_eq(x.status, STORE_FAILED);
	ck_assert_str_eq(x.error, "E");
	ck_assert_str_eq(x.cause, "C");
	ck_assert_int_eq(x.stop_us, 77);
	ck_assert_int_eq(x.version, 3);
	store_exec_free(&x);
	/* The frame row stays (a redrive restarts from it), but no task of a
	 * finished execution can be found by its token. */
	ck_assert_int_eq(raw_int("SELECT count(*) FROM frames"), 1);
	ck_assert_int_eq(store_token_find(s, "t1", &arn, &path, &e), -1);
	ck_assert_str_eq(e.type, "TaskDoesNotExist");
	ck_assert_int_eq(store_running_each(s, collect, &c, &e), 0);
	ck_assert_int_eq(c.n, 0);
	ck_assert_int_eq(store_exec_frames(s, "arn:ex:1", &rows, &nrows, &last, &e), 0);
	ck_assert_int_eq(nrows, 1);
	ck_assert_str_eq(rows[0].path, "1");
	ck_assert_str_eq(rows[0].token, "t1");
	ck_assert_int_eq(last, 3);
	store_frame_rows_free(rows, nrows);
	ck_assert_int_eq(store_exec_frames(s, "arn:none", &rows, &nrows, &last, &e), -1);
	ck_assert_str_eq(e.type, "ResourceNotFoundException");
	rt.version = 2;
	ck_assert_int_eq(store_exec_reopen(s, "arn:ex:1", &rt, &e), -1);
	ck_assert_str_eq(e.type, "StoreConflict");
	rt.version = 3;
	ck_assert_int_eq(store_exec_reopen(s, "arn:ex:1", &rt, &e), 0);
	ck_assert_int_eq(store_exec_get(s, "arn:ex:1", &x, &e), 0);
	ck_assert_int_eq(x.status, STORE_RUNNING);
	ck_assert_int_eq(x.version, 4);
	ck_assert_int_eq(x.redrive_count, 1);
	ck_assert(x.redrive_us > 0);
	ck_assert_int_eq(x.stop_us, 0);
	ck_assert_ptr_null(x.error);
	store_exec_free(&x);
	store_close(s);
	/* After a restart: the running execution, its frames, its last event. */
	s = open_ok();
	ck_assert_int_eq(store_running_each(s, collect, &c, &e), 0);
	ck_assert_int_eq(c.n, 1);
	ck_assert_str_eq(c.arn, "arn:ex:1");
	ck_assert_int_eq(c.nframes, 2);   /* reopen changes frames only as told */
	ck_assert_str_eq(c.paths[0], "");
	ck_assert_str_eq(c.paths[1], "1");
	ck_assert_int_eq(c.last_event, 4);
	ck_assert_int_eq(c.version, 4);
	store_close(s);
}
END_TEST

static int stop_at_first(void *arg, const struct store_running *r)
{
	(void)r;
	++*(int *)arg;
	return 42;
}

START_TEST(test_finish_delete_all)
{
	struct store *s = open_ok();
	struct store_frame fr[] = { { .op = STORE_FRAME_PUT, .path = "", .body = "{}" },
				    { .op = STORE_FRAME_PUT, .path = "0", .body = "{}" } };
	struct store_frame del = { .op = STORE_FRAME_DELETE_ALL };
	struct store_txn t = { .exec_arn = "arn:ex:1", .version = 1, .frames = fr, .nframes = 2 };
	struct store_frame_row *rows;
	struct store_exec x;
	struct err e = { 0 };
	uint32_t last;
	size_t n;

	mkexec(s, "arn:ex:1", "arn:sm", 1, "{}");
	ck_assert_int_eq(commit_wait(s, &t, &e), 0);
	t = (struct store_txn){ .exec_arn = "arn:ex:1", .version = 2, .frames = &del, .nframes = 1,
				.finished = true, .status = STORE_SUCCEEDED, .output = "{\"ok\":1}" };
	ck_assert_int_eq(commit_wait(s, &t, &e), 0);
	ck_assert_int_eq(store_exec_frames(s, "arn:ex:1", &rows, &n, &last, &e), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(last, 0);
	store_frame_rows_free(rows, n);
	ck_assert_int_eq(store_exec_get(s, "arn:ex:1", &x, &e), 0);
	ck_assert_int_eq(x.status, STORE_SUCCEEDED);
	ck_assert_str_eq(x.output, "{\"ok\":1}");
	ck_assert(x.stop_us > 0);
	store_exec_free(&x);
	store_close(s);
}
END_TEST

/* A value over STORE_VALUE_MAX is refused before it is queued (SQLite would
 * refuse it on the writer thread, too late: NOT NULL, a stale version).
 * A forced end fails a RUNNING execution whatever version it reached,
 * numbers its events after the last one kept, and ends nothing twice. */
START_TEST(test_too_big_and_forced_end)
{
	struct store *s = open_ok();
	size_t big = (size_t)STORE_VALUE_MAX + 1;
	char *body = malloc(big + 1);
	struct store_frame fr = { .op = STORE_FRAME_PUT, .path = "", .body = body };
	struct store_txn t = { .exec_arn = "arn:ex:1", .version = 3, .frames = &fr, .nframes = 1 };
	struct store_event ev = { .id = 1, .ts_us = 5, .type = (char *)"ExecutionFailed",
				  .details = (char *)"{\"type\":\"ExecutionFailed\"}" };
	struct store_frame del = { .op = STORE_FRAME_DELETE_ALL };
	struct store_event *v;
	struct store_exec x;
	struct err e = { 0 };
	size_t n;
	bool more;

	ck_assert_ptr_nonnull(body);
	memset(body, 'x', big);
	body[big] = '\0';
	mkexec(s, "arn:ex:1", "arn:sm", 1, "{}");
	ck_assert_int_eq(step(s, "arn:ex:1", 1, 1, &e), 0);
	ck_assert_int_eq(step(s, "arn:ex:1", 2, 3, &e), 0);
	ck_assert_int_eq(store_commit(s, &t, on_done, NULL, &e), -1);
	ck_assert_str_eq(e.type, "InvalidParameterValueException");
	ck_assert_msg(strstr(e.msg, "larger than"), "%s", e.msg);
	body[0] = '\0';
	/* the engine went on to version 7; the store is at 3 */
	t = (struct store_txn){ .exec_arn = "arn:ex:1", .version = 7, .events = &ev, .nevents = 1, .frames = &del,
				.nframes = 1, .finished = true, .force = true, .status = STORE_FAILED,
				.error = "States.Runtime", .cause = "could not be saved" };
	ck_assert_msg(commit_wait(s, &t, &e) == 0, "%s: %s", e.type, e.msg);
	ck_assert_int_eq(store_exec_get(s, "arn:ex:1", &x, &e), 0);
	ck_assert_int_eq(x.status, STORE_FAILED);
	ck_assert_str_eq(x.error, "States.Runtime");
	ck_assert_str_eq(x.cause, "could not be saved");
	store_exec_free(&x);
	ck_assert_int_eq(store_history(s, "arn:ex:1", 0, false, 100, &v, &n, &more, &e), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(v[4].id, 5);
	ck_assert_uint_eq(v[4].prev, 4);
	ck_assert_str_eq(v[4].type, "ExecutionFailed");
	store_event_list_free(v, n);
	/* ended: a second forced end, or a checkpoint, finds nothing to end */
	ck_assert_int_eq(commit_wait(s, &t, &e), -1);
	ck_assert_str_eq(e.type, "ResourceNotFoundException");
	ck_assert_int_eq(step(s, "arn:ex:1", 3, 6, &e), -1);
	ck_assert_str_eq(e.type, "StoreConflict");
	free(body);
	store_close(s);
}
END_TEST

START_TEST(test_running_each_order_and_stop)
{
	struct store *s = open_ok();
	struct err e = { 0 };
	struct collect c = { 0 };
	int calls = 0;

	mkexec(s, "arn:ex:new", "arn:sm", 20, "{}");
	mkexec(s, "arn:ex:old", "arn:sm", 10, "{}");
	ck_assert_int_eq(store_running_each(s, stop_at_first, &calls, &e), 42);
	ck_assert_int_eq(calls, 1);
	ck_assert_int_eq(store_running_each(s, collect, &c, &e), 0);
	ck_assert_int_eq(c.n, 2);
	ck_assert_str_eq(c.arn, "arn:ex:new");   /* the last one called: oldest first */
	store_close(s);
}
END_TEST

struct racer {
	struct store *s;
	int wins;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct err e;

	for (int f = 1; f <= 200; f++) {
		int rc = store_fire_claim(r->s, "arn:sched", f, NULL, &e);

		ck_assert_int_ge(rc, 0);
		r->wins += rc;
	}
	return NULL;
}

START_TEST(test_fire_claim_once)
{
	struct store *s = open_ok();
	struct racer a = { .s = s }, b = { .s = s };
	struct store_fire *v;
	struct err e = { 0 };
	pthread_t ta, tb;
	int64_t last;
	size_t n;

	ck_assert_int_eq(store_fire_last(s, "arn:sched", &last, &e), 0);
	ck_assert_int_eq(last, 0);
	pthread_create(&ta, NULL, race, &a);
	pthread_create(&tb, NULL, race, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	ck_assert_int_eq(a.wins + b.wins, 200);
	ck_assert_int_eq(store_fire_set(s, "arn:sched", 200, "arn:ex:200", NULL, &e), 0);
	ck_assert_int_eq(store_fire_set(s, "arn:sched", 300, NULL, "States.Runtime", &e), 0);
	store_close(s);
	s = open_ok();
	ck_assert_int_eq(store_fire_claim(s, "arn:sched", 150, NULL, &e), 0);
	ck_assert_int_eq(store_fire_claim(s, "arn:sched", 301, "arn:x", &e), 1);
	ck_assert_int_eq(store_fire_claim(s, "arn:other", 150, NULL, &e), 1);
	ck_assert_int_eq(store_fire_last(s, "arn:sched", &last, &e), 0);
	ck_assert_int_eq(last, 301);
	ck_assert_int_eq(store_fire_list(s, "arn:sched", 3, &v, &n, &e), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(v[0].fire_s, 301);
	ck_assert_str_eq(v[0].exec_arn, "arn:x");
	ck_assert_int_eq(v[1].fire_s, 300);
	ck_assert_str_eq(v[1].error, "States.Runtime");
	ck_assert_int_eq(v[2].fire_s, 200);
	ck_assert_str_eq(v[2].exec_arn, "arn:ex:200");
	ck_assert(v[2].at_us > 0);
	store_fire_list_free(v, n);
	store_close(s);
}
END_TEST

START_TEST(test_invocations_trimmed)
{
	struct store_options o;
	struct store *s;
	struct store_invocation in = { .function = (char *)"f", .version = (char *)"$LATEST",
				       .status = (char *)"Success" }, *v;
	char rid[32], *big;
	struct err e = { 0 };
	size_t n;

	store_options_init(&o);
	o.home = home;
	o.invocations_keep = 5;
	ck_assert_int_eq(store_open(&o, &s, &e), 0);
	big = malloc(3 * STORE_LOG_TAIL_MAX + 1);
	memset(big, 'a', 3 * STORE_LOG_TAIL_MAX);
	big[3 * STORE_LOG_TAIL_MAX] = '\0';
	big[3 * STORE_LOG_TAIL_MAX - 1] = 'z';
	for (int i = 0; i < 12; i++) {
		snprintf(rid, sizeof rid, "r%d", i);
		in.request_id = rid;
		in.function = (char *)(i == 11 ? "g" : "f");
		in.log_tail = i == 10 ? big : NULL;
		in.duration_us = i;
		ck_assert_int_eq(store_invocation_add(s, &in, &e), 0);
	}
	free(big);
	ck_assert_int_eq(store_sync(s, &e), 0);
	ck_assert_int_eq(store_invocation_list(s, "f", 0, &v, &n, &e), 0);
	ck_assert_int_eq(n, 5);
	ck_assert_str_eq(v[0].request_id, "r10");
	ck_assert_str_eq(v[4].request_id, "r6");
	ck_assert_int_eq(strlen(v[0].log_tail), STORE_LOG_TAIL_MAX);
	ck_assert_int_eq(v[0].log_tail[STORE_LOG_TAIL_MAX - 1], 'z');
	ck_assert_ptr_null(v[1].log_tail);
	store_invocation_list_free(v, n);
	ck_assert_int_eq(store_invocation_list(s, "g", 0, &v, &n, &e), 0);
	ck_assert_int_eq(n, 1);
	store_invocation_list_free(v, n);
	store_close(s);
}
END_TEST

/* The disk fills (max_page_count on the writer's connection): the group
 * is rolled back whole, StoreFull is reported, the store goes on. */
START_TEST(test_disk_full)
{
	struct store *s = open_ok();
	char *big = malloc(64 * 1024 + 1);
	struct store_event ev = { .id = 1, .type = (char *)"Big" };
	struct store_txn t = { .exec_arn = "arn:ex:1", .version = 1, .events = &ev, .nevents = 1 };
	struct store_event *v;
	struct store_exec x;
	struct err e = { 0 };
	char sql[96];
	size_t n;
	bool more;
	int rc = 0, i;

	memset(big, 'x', 64 * 1024);
	big[64 * 1024] = '\0';
	ev.details = big;
	mkexec(s, "arn:ex:1", "arn:sm", 1, "{}");
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", (int)raw_int("PRAGMA page_count") + 100);
	ck_assert_int_eq(store_debug_sql(s, sql, &e), 0);
	for (i = 0; i < 100 && rc == 0; i++) {
		rc = commit_wait(s, &t, &e);
		if (rc == 0) {
			t.version++;
			ev.id++;
		}
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_str_eq(e.type, "StoreFull");
	ck_assert_int_gt(i, 3);
	ck_assert_int_eq(store_exec_get(s, "arn:ex:1", &x, &e), 0);
	ck_assert_int_eq(x.version, t.version);   /* the failed one left nothing */
	store_exec_free(&x);
	ck_assert_int_eq(store_history(s, "arn:ex:1", 0, false, 1000, &v, &n, &more, &e), 0);
	ck_assert_int_eq(n, (size_t)(t.version - 1));
	ck_assert_int_eq(v[n - 1].id, ev.id - 1);
	store_event_list_free(v, n);
	/* Small writes still fail or pass whole; after room is made, all pass. */
	ck_assert_int_eq(store_debug_sql(s, "PRAGMA max_page_count = 1000000", &e), 0);
	ck_assert_int_eq(commit_wait(s, &t, &e), 0);
	ck_assert_int_eq(store_exec_get(s, "arn:ex:1", &x, &e), 0);
	ck_assert_int_eq(x.version, t.version + 1);
	store_exec_free(&x);
	free(big);
	store_close(s);
}
END_TEST

/* 4 threads commit (each its own executions) while 2 read: readers always
 * see whole transitions (2 events per version step), never a torn one. */
#define CONC_EXECS 4
#define CONC_STEPS 300

struct conc {
	struct store *s;
	int id;
	int failures;
	volatile int *stop;
};

static void conc_done(void *arg, int rc, const struct err *e)
{
	(void)e;
	if (rc)
		__atomic_add_fetch((int *)arg, 1, __ATOMIC_RELAXED);
}

static void *conc_writer(void *arg)
{
	struct conc *c = arg;
	char arn[32];
	struct store_event ev[2] = { { .type = (char *)"A", .details = (char *)"{}" },
				     { .type = (char *)"B", .details = (char *)"{}" } };
	struct store_frame fr = { .op = STORE_FRAME_PUT, .path = "", .body = "{}" };
	struct store_txn t = { .exec_arn = arn, .events = ev, .nevents = 2, .frames = &fr, .nframes = 1 };
	struct err e;

	snprintf(arn, sizeof arn, "arn:ex:%d", c->id);
	for (int i = 0; i < CONC_STEPS; i++) {
		t.version = 1 + i;
		ev[0].id = 1 + 2 * i;
		ev[1].id = 2 + 2 * i;
		while (store_commit(c->s, &t, conc_done, &c->failures, &e))
			ck_assert_str_eq(e.type, "TooManyRequestsException");
	}
	return NULL;
}

static void *conc_reader(void *arg)
{
	struct conc *c = arg;
	struct store_event *v;
	struct store_exec x;
	struct err e;
	size_t n;
	bool more;
	char arn[32];

	while (!*c->stop) {
		for (int i = 0; i < CONC_EXECS; i++) {
			snprintf(arn, sizeof arn, "arn:ex:%d", i);
			ck_assert_int_eq(store_exec_get(c->s, arn, &x, &e), 0);
			ck_assert_int_eq(store_history(c->s, arn, 0, true, 1, &v, &n, &more, &e), 0);
			/* The history read is later: at least as new as x. */
			ck_assert_int_ge(n ? v[0].id : 0, 2 * (x.version - 1));
			ck_assert_int_eq((n ? v[0].id : 0) % 2, 0);
			store_event_list_free(v, n);
			store_exec_free(&x);
		}
	}
	return NULL;
}

START_TEST(test_concurrency)
{
	struct store *s = open_ok();
	struct conc w[CONC_EXECS], r[2];
	pthread_t tw[CONC_EXECS], tr[2];
	volatile int stop = 0;
	struct store_exec x;
	struct err e = { 0 };
	char arn[32];

	for (int i = 0; i < CONC_EXECS; i++) {
		snprintf(arn, sizeof arn, "arn:ex:%d", i);
		mkexec(s, arn, "arn:sm", i, "{}");
	}
	for (int i = 0; i < 2; i++) {
		r[i] = (struct conc){ .s = s, .stop = &stop };
		pthread_create(&tr[i], NULL, conc_reader, &r[i]);
	}
	for (int i = 0; i < CONC_EXECS; i++) {
		w[i] = (struct conc){ .s = s, .id = i };
		pthread_create(&tw[i], NULL, conc_writer, &w[i]);
	}
	for (int i = 0; i < CONC_EXECS; i++)
		pthread_join(tw[i], NULL);
	ck_assert_int_eq(store_sync(s, &e), 0);
	stop = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(tr[i], NULL);
	for (int i = 0; i < CONC_EXECS; i++) {
		ck_assert_int_eq(w[i].failures, 0);
		snprintf(arn, sizeof arn, "arn:ex:%d", i);
		ck_assert_int_eq(store_exec_get(s, arn, &x, &e), 0);
		ck_assert_int_eq(x.version, CONC_STEPS + 1);
		store_exec_free(&x);
	}
	store_close(s);
}
END_TEST

START_TEST(test_caps)
{
	struct store *s = open_ok();
	char long_arn[STORE_ARN_MAX + 2];
	struct store_res r = { .kind = (char *)"rule", .arn = long_arn, .name = (char *)"n", .body = (char *)"{}" };
	struct err e = { 0 };

	memset(long_arn, 'a', sizeof long_arn - 1);
	long_arn[sizeof long_arn - 1] = '\0';
	ck_assert_int_eq(store_res_create(s, &r, &e), -1);
	ck_assert_str_eq(e.type, "InvalidParameterValueException");
	r.arn = (char *)"arn:ok";
	r.kind = (char *)"a-kind-that-is-much-longer-than-32-bytes";
	ck_assert_int_eq(store_res_create(s, &r, &e), -1);
	ck_assert_str_eq(e.type, "InvalidParameterValueException");
	store_close(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_fresh_migrations);
	tcase_add_test(tc, test_reopen_keeps);
	tcase_add_test(tc, test_schema_too_new);
	tcase_add_test(tc, test_garbage_refused);
	tcase_add_test(tc, test_foreign_sqlite_refused);
	tcase_add_test(tc, test_lock_and_reader);
	tcase_add_test(tc, test_resources);
	tcase_add_test(tc, test_exec_create_list);
	tcase_add_test(tc, test_history);
	tcase_add_test(tc, test_frames_in_order);
	tcase_add_test(tc, test_conflict_fails_only_its_txn);
	tcase_add_test(tc, test_finish_and_redrive);
	tcase_add_test(tc, test_finish_delete_all);
	tcase_add_test(tc, test_too_big_and_forced_end);
	tcase_add_test(tc, test_running_each_order_and_stop);
	tcase_add_test(tc, test_fire_claim_once);
	tcase_add_test(tc, test_invocations_trimmed);
	tcase_add_test(tc, test_disk_full);
	tcase_add_test(tc, test_concurrency);
	tcase_add_test(tc, test_caps);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
