/* Unit tests of the bucket stores (bucket/bucket.h) and the S3 tasks
 * (orchestrator/integrations/s3_task.h): the file backend in full; the two network
 * backends against tests/fixtures/http_fixture (SigV4 checked by the
 * fixture, S3 error answers, a slow server, a server that is down).
 * tests/e2e/s3_server.sh runs them against a real S3-compatible server. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bucket.h"
#include "fsutil.h"
#include "s3_task.h"

#include "fixture.h"

static char home[PATH_MAX];
static struct bucket_store *bs;
static int port;
static pid_t fixture_pid;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static const char *fmt_path(const char *rel)
{
	static char p[PATH_MAX + 64];

	snprintf(p, sizeof p, "%s/buckets/%s", home, rel);
	return p;
}

static void setup(void)
{
	struct bucket_config cfg = { .backend = BUCKET_FILE };
	struct err e = { 0 };

	snprintf(cfg.root, sizeof cfg.root, "%s/buckets", home);
	fs_rm_rf(cfg.root);
	bs = bucket_open(&cfg, &e);
	ck_assert_msg(bs, "%s", e.msg);
	ck_assert_int_eq(bucket_create(bs, "tbk", 0, &e), 0);
}

static void teardown(void)
{
	bucket_close(bs);
	bs = NULL;
}

static json_t *task(const char *action, const char *params, struct err *e)
{
	char res[128];
	json_t *p = json_loads(params, 0, NULL), *r = NULL;

	ck_assert_msg(p, "bad test JSON %s", params);
	snprintf(res, sizeof res, S3_TASK_PREFIX "%s", action);
	memset(e, 0, sizeof *e);
	if (s3_task_invoke(bs, res, p, 0, &r, e))
		r = NULL;
	json_decref(p);
	return r;
}

START_TEST(put_get_json_body)
{
	struct err e;
	json_t *r = task("putObject", "{\"Bucket\":\"tbk\",\"Key\":\"todos/2024/day.json\",\"Body\":{\"a\":[1,2],\"b\":\"x\"}}", &e);
	const char *etag;

	ck_assert_msg(r, "%s: %s", e.type, e.msg);
	etag = json_string_value(json_object_get(r, "ETag"));
	ck_assert_ptr_nonnull(etag);
	ck_assert_int_eq(strlen(etag), 34);
	ck_assert_int_eq(etag[0], '"');
	json_decref(r);
	r = task("getObject", "{\"Bucket\":\"tbk\",\"Key\":\"todos/2024/day.json\"}", &e);
	ck_assert_msg(r, "%s: %s", e.type, e.msg);
	ck_assert_str_eq(json_string_value(json_object_get(r, "Body")), "{\"a\":[1,2],\"b\":\"x\"}");
	ck_assert_str_eq(json_string_value(json_object_get(r, "ContentType")), "application/json");
	ck_assert_int_eq(json_integer_value(json_object_get(r, "ContentLength")), 19);
	ck_assert_int_eq(strlen(json_string_value(json_object_get(r, "LastModified"))), 20);
	json_decref(r);
	/* A string body, with a content type. */
	r = task("putObject", "{\"Bucket\":\"tbk\",\"Key\":\"note.txt\",\"Body\":\"hello\",\"ContentType\":\"text/plain\"}", &e);
	json_decref(r);
	r = task("getObject", "{\"Bucket\":\"tbk\",\"Key\":\"note.txt\"}", &e);
	ck_assert_str_eq(json_string_value(json_object_get(r, "Body")), "hello");
	ck_assert_str_eq(json_string_value(json_object_get(r, "ContentType")), "text/plain");
	ck_assert_str_eq(json_string_value(json_object_get(r, "ETag")), "\"5d41402abc4b2a76b9719d911017c592\"");
	json_decref(r);
}
END_TEST

START_TEST(missing_things)
{
	struct err e;

	ck_assert_ptr_null(task("getObject", "{\"Bucket\":\"tbk\",\"Key\":\"nope\"}", &e));
	ck_assert_str_eq(e.type, "S3.NoSuchKeyException");
	ck_assert_str_eq(e.msg, "The specified key does not exist: nope");   /* names the key */
	ck_assert_ptr_null(task("getObject", "{\"Bucket\":\"tbk\",\"Key\":\"no/such/dir\"}", &e));
	ck_assert_str_eq(e.type, "S3.NoSuchKeyException");
	ck_assert_str_eq(e.msg, "The specified key does not exist: no/such/dir");
	ck_assert_ptr_null(task("getObject", "{\"Bucket\":\"nob\",\"Key\":\"k\"}", &e));
	ck_assert_str_eq(e.type, "S3.NoSuchBucketException");
	ck_assert_ptr_null(task("putObject", "{\"Bucket\":\"nob\",\"Key\":\"k\",\"Body\":\"x\"}", &e));
	ck_assert_str_eq(e.type, "S3.NoSuchBucketException");
	ck_assert_ptr_null(task("listObjectsV2", "{\"Bucket\":\"nob\"}", &e));
	ck_assert_str_eq(e.type, "S3.NoSuchBucketException");
	ck_assert_ptr_null(task("deleteObject", "{\"Bucket\":\"nob\",\"Key\":\"k\"}", &e));
	ck_assert_str_eq(e.type, "S3.NoSuchBucketException");
	ck_assert_ptr_null(task("putObject", "{\"Bucket\":\"Bad_Name\",\"Key\":\"k\"}", &e));
	ck_assert_str_eq(e.type, "S3.S3Exception");
	ck_assert_ptr_nonnull(strstr(e.msg, "InvalidBucketName"));
}
END_TEST

START_TEST(unsafe_keys)
{
	static const char *const keys[] = {
		"../escape", "a/../../b", "/abs", "a//b", "dir/", ".", "a/./b", ".tutti-meta.x", "d/.tutti-tmp.1",
	};
	struct bucket_object_info info;
	struct err e = { 0 };
	char big[2000];
	struct stat st;

	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		ck_assert_int_eq(bucket_put(bs, "tbk", keys[i], "x", 1, NULL, 0, &info, &e), -1);
		ck_assert_msg(!strcmp(e.type, "S3.S3Exception") && strstr(e.msg, "InvalidArgument"), "%s: %s %s", keys[i], e.type, e.msg);
	}
	memset(big, 'k', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ck_assert_int_eq(bucket_put(bs, "tbk", big, "x", 1, NULL, 0, &info, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "KeyTooLong"));
	ck_assert_int_eq(bucket_put(bs, "tbk", "", "x", 1, NULL, 0, &info, &e), -1);
	/* Nothing escaped the bucket. */
	ck_assert_int_ne(stat(fmt_path("escape"), &st), 0);
}
END_TEST

START_TEST(key_conflicts_and_delete)
{
	struct bucket_object_info info;
	struct err e = { 0 };
	struct buf b;
	struct stat st;

	ck_assert_int_eq(bucket_put(bs, "tbk", "a", "1", 1, NULL, 0, &info, &e), 0);
	ck_assert_int_eq(bucket_put(bs, "tbk", "a/b", "2", 1, NULL, 0, &info, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "conflicts"));
	ck_assert_int_eq(bucket_put(bs, "tbk", "d/e/f", "3", 1, NULL, 0, &info, &e), 0);
	ck_assert_int_eq(bucket_put(bs, "tbk", "d/e", "4", 1, NULL, 0, &info, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "conflicts"));
	/* The failed put left no temporary file behind. */
	ck_assert_int_eq(bucket_delete(bs, "tbk", "d/e/f", 0, &e), 0);
	ck_assert_int_ne(stat(fmt_path("tbk/d"), &st), 0);   /* empty dirs pruned */
	ck_assert_int_eq(bucket_delete(bs, "tbk", "d/e/f", 0, &e), 0);   /* missing: fine */
	ck_assert_int_eq(bucket_delete(bs, "tbk", "a", 0, &e), 0);
	buf_init(&b, 0);
	ck_assert_int_eq(bucket_get(bs, "tbk", "a", 0, &b, &info, &e), -1);
	ck_assert_str_eq(e.type, "S3.NoSuchKeyException");
	buf_free(&b);
	ck_assert_int_eq(bucket_remove(bs, "tbk", 0, &e), 0);
}
END_TEST

/* A symlink planted inside a bucket does not lead a key outside it. */
START_TEST(symlink_inside_bucket)
{
	struct bucket_object_info info;
	struct err e = { 0 };
	char target[PATH_MAX + 32];
	struct buf b;

	snprintf(target, sizeof target, "%s/outside", home);
	fs_mkdir_p(target, 0755);
	ck_assert_int_eq(symlink(target, fmt_path("tbk/link")), 0);
	ck_assert_int_eq(bucket_put(bs, "tbk", "link/x", "1", 1, NULL, 0, &info, &e), -1);
	buf_init(&b, 0);
	ck_assert_int_eq(bucket_get(bs, "tbk", "link/x", 0, &b, &info, &e), -1);
	ck_assert_str_eq(e.type, "S3.NoSuchKeyException");
	buf_free(&b);
	snprintf(target, sizeof target, "%s/outside/x", home);
	ck_assert_int_ne(access(target, F_OK), 0);
}
END_TEST

START_TEST(list_pages_prefixes_tokens)
{
	struct bucket_object_info info;
	struct err e;
	json_t *r;
	char key[64], params[512];
	const char *tok;
	int seen = 0;

	for (int i = 0; i < 25; i++) {
		snprintf(key, sizeof key, "logs/%02d.txt", i);
		ck_assert_int_eq(bucket_put(bs, "tbk", key, "x", 1, "text/plain", 0, &info, &e), 0);
	}
	ck_assert_int_eq(bucket_put(bs, "tbk", "logs/old/a.txt", "y", 1, NULL, 0, &info, &e), 0);
	ck_assert_int_eq(bucket_put(bs, "tbk", "other.txt", "z", 1, NULL, 0, &info, &e), 0);
	/* Stray temporaries from a crash are never listed. */
	ck_assert_int_eq(fs_write_atomic(fmt_path("tbk/logs/.tutti-tmp.deadbeef"), "junk", 4, 0644), 0);
	r = task("listObjectsV2", "{\"Bucket\":\"tbk\"}", &e);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "KeyCount")), 27);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r, "Contents"), 0), "Key")), "logs/00.txt");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r, "Contents"), 26), "Key")), "other.txt");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(json_object_get(r, "Contents"), 0), "Size")), 1);
	ck_assert_int_eq(strlen(json_string_value(json_object_get(json_array_get(json_object_get(r, "Contents"), 0), "ETag"))), 34);
	ck_assert(json_is_false(json_object_get(r, "IsTruncated")));
	json_decref(r);
	/* Pages of 10 under a prefix with a delimiter: 25 keys + 1 common prefix. */
	snprintf(params, sizeof params, "{\"Bucket\":\"tbk\",\"Prefix\":\"logs/\",\"Delimiter\":\"/\",\"MaxKeys\":10}");
	for (int page = 0; page < 5; page++) {
		r = task("listObjectsV2", params, &e);
		ck_assert_msg(r, "%s %s", e.type, e.msg);
		seen += (int)json_integer_value(json_object_get(r, "KeyCount"));
		if (json_object_get(r, "CommonPrefixes"))
			ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(r, "CommonPrefixes"), 0), "Prefix")), "logs/old/");
		tok = json_string_value(json_object_get(r, "NextContinuationToken"));
		if (!json_is_true(json_object_get(r, "IsTruncated"))) {
			json_decref(r);
			break;
		}
		ck_assert_ptr_nonnull(tok);
		snprintf(params, sizeof params, "{\"Bucket\":\"tbk\",\"Prefix\":\"logs/\",\"Delimiter\":\"/\",\"MaxKeys\":10,\"ContinuationToken\":\"%s\"}", tok);
		json_decref(r);
	}
	ck_assert_int_eq(seen, 26);
	r = task("listObjectsV2", "{\"Bucket\":\"tbk\",\"StartAfter\":\"logs/24.txt\"}", &e);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "KeyCount")), 2);
	json_decref(r);
	r = task("listObjectsV2", "{\"Bucket\":\"tbk\",\"Prefix\":\"zzz\"}", &e);
	ck_assert_int_eq(json_integer_value(json_object_get(r, "KeyCount")), 0);
	ck_assert_ptr_null(json_object_get(r, "Contents"));
	json_decref(r);
	ck_assert_ptr_null(task("listObjectsV2", "{\"Bucket\":\"tbk\",\"ContinuationToken\":\"zz\"}", &e));
	ck_assert_str_eq(e.type, "S3.S3Exception");
}
END_TEST

START_TEST(stale_metadata_ignored)
{
	struct bucket_object_info info;
	struct err e = { 0 };
	struct buf b;

	ck_assert_int_eq(bucket_put(bs, "tbk", "m.json", "{}", 2, "application/json", 0, &info, &e), 0);
	/* Replace the data behind the store's back, as a crash between the
	 * data and the metadata renames would leave it. */
	ck_assert_int_eq(fs_write_atomic(fmt_path("tbk/m.json"), "hello", 5, 0644), 0);
	buf_init(&b, 0);
	ck_assert_int_eq(bucket_get(bs, "tbk", "m.json", 0, &b, &info, &e), 0);
	ck_assert_str_eq(b.data, "hello");
	ck_assert_str_eq(info.content_type, "application/octet-stream");
	ck_assert_str_eq(info.etag, "\"5d41402abc4b2a76b9719d911017c592\"");
	buf_free(&b);
}
END_TEST

START_TEST(object_caps)
{
	struct bucket_config cfg = { .backend = BUCKET_FILE, .max_object = 1000 };
	struct bucket_object_info info;
	struct bucket_store *small;
	struct err e = { 0 };
	char data[2000];
	struct buf b;

	memset(data, 'a', sizeof data);
	snprintf(cfg.root, sizeof cfg.root, "%s/buckets", home);
	small = bucket_open(&cfg, &e);
	ck_assert_int_eq(bucket_put(small, "tbk", "big", data, sizeof data, NULL, 0, &info, &e), -1);
	ck_assert_str_eq(e.type, "States.DataLimitExceeded");
	ck_assert_int_eq(bucket_put(bs, "tbk", "big", data, sizeof data, NULL, 0, &info, &e), 0);
	buf_init(&b, 0);
	ck_assert_int_eq(bucket_get(small, "tbk", "big", 0, &b, &info, &e), -1);
	ck_assert_str_eq(e.type, "States.DataLimitExceeded");
	buf_free(&b);
	bucket_close(small);
	/* Bodies Step Functions cannot carry as a string. */
	ck_assert_int_eq(bucket_put(bs, "tbk", "bin", "\xff\xfe", 2, NULL, 0, &info, &e), 0);
	ck_assert_ptr_null(task("getObject", "{\"Bucket\":\"tbk\",\"Key\":\"bin\"}", &e));
	ck_assert_str_eq(e.type, "S3.SdkClientException");
}
END_TEST

START_TEST(bucket_admin)
{
	struct bucket_object_info info;
	struct err e = { 0 };
	char **names;
	size_t n;

	ck_assert_int_eq(bucket_create(bs, "tbk", 0, &e), -1);
	ck_assert_str_eq(e.type, "S3.BucketAlreadyOwnedByYouException");
	ck_assert_int_eq(bucket_create(bs, "a-second.bucket", 0, &e), 0);
	ck_assert_int_eq(bucket_create(bs, "x", 0, &e), -1);
	ck_assert_int_eq(bucket_create(bs, "192.168.1.1", 0, &e), -1);
	ck_assert_int_eq(bucket_list_buckets(bs, 0, &names, &n, &e), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(names[0], "a-second.bucket");
	ck_assert_str_eq(names[1], "tbk");
	bucket_names_free(names, n);
	ck_assert_int_eq(bucket_put(bs, "tbk", "k", "v", 1, NULL, 0, &info, &e), 0);
	ck_assert_int_eq(bucket_remove(bs, "tbk", 0, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "BucketNotEmpty"));
	ck_assert_int_eq(bucket_remove(bs, "nob", 0, &e), -1);
	ck_assert_str_eq(e.type, "S3.NoSuchBucketException");
}
END_TEST

START_TEST(task_parameters)
{
	struct err e;

	ck_assert_ptr_null(task("putObject", "{\"Key\":\"k\"}", &e));
	ck_assert_str_eq(e.type, "States.Runtime");
	ck_assert_ptr_null(task("getObject", "{\"Bucket\":\"tbk\",\"Key\":5}", &e));
	ck_assert_str_eq(e.type, "States.Runtime");
	ck_assert_ptr_null(task("listObjectsV2", "{\"Bucket\":\"tbk\",\"MaxKeys\":\"10\"}", &e));
	ck_assert_str_eq(e.type, "States.Runtime");
	ck_assert_ptr_null(task("copyObject", "{\"Bucket\":\"tbk\"}", &e));
	ck_assert_str_eq(e.type, "States.Runtime");
	ck_assert(s3_task_matches("arn:aws:states:::aws-sdk:s3:getObject"));
	ck_assert(!s3_task_matches("arn:aws:states:::aws-sdk:s3:getObjectAcl"));
	ck_assert(!s3_task_matches("arn:aws:states:::http:invoke"));
	json_decref(task("putObject", "{\"Bucket\":\"tbk\",\"Key\":\"gone\",\"Body\":\"x\"}", &e));
	json_t *r = task("deleteObject", "{\"Bucket\":\"tbk\",\"Key\":\"gone\"}", &e);
	ck_assert(json_is_object(r) && json_object_size(r) == 0);
	json_decref(r);
}
END_TEST

static void *same_key_writer(void *arg)
{
	char body[4096];
	struct err e = { 0 };
	struct bucket_object_info info;
	int ok = 0;

	memset(body, 'a' + (int)(long)arg, sizeof body);
	for (int i = 0; i < 50; i++)
		ok += bucket_put(bs, "tbk", "shared/key", body, sizeof body, NULL, 0, &info, &e) == 0;
	return (void *)(long)ok;
}

/* Concurrent puts of one key: every read sees one writer's whole body. */
START_TEST(concurrent_puts_are_atomic)
{
	pthread_t t[4];
	long ok = 0;
	struct err e = { 0 };
	struct bucket_object_info info;
	struct buf b;
	DIR *d;
	struct dirent *de;
	int files = 0;

	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, same_key_writer, (void *)i);
	for (int r = 0; r < 100; r++) {
		buf_init(&b, 0);
		if (bucket_get(bs, "tbk", "shared/key", 0, &b, &info, &e) == 0) {
			ck_assert_int_eq(b.len, 4096);
			for (size_t i = 1; i < b.len; i++)
				ck_assert_int_eq(b.data[i], b.data[0]);
		}
		buf_free(&b);
	}
	for (int i = 0; i < 4; i++) {
		void *n;

		pthread_join(t[i], &n);
		ok += (long)n;
	}
	ck_assert_int_eq(ok, 200);
	d = opendir(fmt_path("tbk/shared"));
	while ((de = readdir(d)))
		files += de->d_name[0] != '.' || !strncmp(de->d_name, ".tutti-tmp", 10);
	closedir(d);
	ck_assert_int_eq(files, 1);   /* the key, and no temporary left */
}
END_TEST

/* ---- network backends against the fixture ---- */

static struct bucket_store *net_store(enum bucket_backend be, const char *secret, int p)
{
	struct bucket_config cfg = { .backend = be, .path_style = true };
	struct err e = { 0 };
	struct bucket_store *s;

	snprintf(cfg.endpoint, sizeof cfg.endpoint, "http://127.0.0.1:%d", p);
	snprintf(cfg.region, sizeof cfg.region, "eu-west-3");
	snprintf(cfg.access_key, sizeof cfg.access_key, "fixture-key");
	snprintf(cfg.secret_key, sizeof cfg.secret_key, "%s", secret);
	s = bucket_open(&cfg, &e);
	ck_assert_msg(s, "%s", e.msg);
	return s;
}

START_TEST(sigv4_signs_what_the_server_checks)
{
	struct bucket_store *s = net_store(BUCKET_S3_V4, "fixture-secret", port);
	struct bucket_list_req req = { .prefix = "a b/", .delimiter = "/", .max_keys = 5, .token = "t=1&x" };
	struct bucket_object_info info = { 0 };
	struct bucket_list l;
	struct err e = { 0 };
	struct buf b;

	ck_assert_msg(bucket_put(s, "sigv4-bucket", "dir/a b+c.json", "{\"x\":1}", 7, "application/json", 0, &info, &e) == 0,
		      "%s: %s", e.type, e.msg);
	ck_assert_str_eq(info.etag, "\"fixture-etag\"");
	buf_init(&b, 0);
	ck_assert_msg(bucket_get(s, "sigv4-bucket", "k~ey", 0, &b, &info, &e) == 0, "%s: %s", e.type, e.msg);
	ck_assert_str_eq(b.data, "signed ok");
	buf_free(&b);
	ck_assert_msg(bucket_list_objects(s, "sigv4-bucket", &req, 0, &l, &e) == 0, "%s: %s", e.type, e.msg);
	ck_assert_int_eq(l.n, 1);
	ck_assert_str_eq(l.items[0].key, "a & b.txt");
	ck_assert_int_eq(l.items[0].size, 9);
	ck_assert_int_eq(l.nprefixes, 1);
	bucket_list_clear(&l);
	ck_assert_int_eq(bucket_delete(s, "sigv4-bucket", "k", 0, &e), 0);
	bucket_close(s);
	/* Wrong secret: the fixture's SigV4 check refuses. */
	s = net_store(BUCKET_S3_V4, "wrong-secret", port);
	ck_assert_int_eq(bucket_put(s, "sigv4-bucket", "k", "x", 1, NULL, 0, &info, &e), -1);
	ck_assert_str_eq(e.type, "S3.S3Exception");
	ck_assert_ptr_nonnull(strstr(e.msg, "SignatureDoesNotMatch"));
	bucket_close(s);
}
END_TEST

static void network_faults(enum bucket_backend be)
{
	struct bucket_store *s = net_store(be, "fixture-secret", port);
	struct bucket_object_info info = { 0 };
	struct err e = { 0 };
	uint64_t t0;
	struct buf b;

	buf_init(&b, 0);
	ck_assert_int_eq(bucket_get(s, "nosuch-bucket", "k", 0, &b, &info, &e), -1);
	ck_assert_str_eq(e.type, "S3.NoSuchBucketException");
	ck_assert_int_eq(bucket_put(s, "denied-bucket", "k", "x", 1, NULL, 0, &info, &e), -1);
	ck_assert_str_eq(e.type, "S3.S3Exception");
	ck_assert_msg(strstr(e.msg, "AccessDenied"), "%s", e.msg);
	t0 = now_ns();
	ck_assert_int_eq(bucket_get(s, "slow-bucket", "k", now_ns() + 300000000u, &b, &info, &e), -1);
	ck_assert_str_eq(e.type, "States.Timeout");
	ck_assert_uint_lt(now_ns() - t0, 2000000000u);
	buf_free(&b);
	bucket_close(s);
	s = net_store(be, "fixture-secret", 1);   /* nothing listens on port 1 */
	ck_assert_int_eq(bucket_put(s, "any-bucket", "k", "x", 1, NULL, 0, &info, &e), -1);
	ck_assert_str_eq(e.type, "S3.SdkClientException");
	bucket_close(s);
}

START_TEST(sigv4_faults)
{
	network_faults(BUCKET_S3_V4);
}
END_TEST

START_TEST(libs3_faults)
{
	network_faults(BUCKET_S3_V2);
}
END_TEST

START_TEST(config_from_env)
{
	struct bucket_config cfg;
	struct err e = { 0 };

	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_S3");
	unsetenv("TUTTI_BUCKETS");
	ck_assert_int_eq(bucket_config_from_env(&cfg, "/h", &e), 0);
	ck_assert_int_eq(cfg.backend, BUCKET_FILE);
	ck_assert_str_eq(cfg.root, "/h/buckets");
	setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000/", 1);
	ck_assert_int_eq(bucket_config_from_env(&cfg, "/h", &e), 0);
	ck_assert_int_eq(cfg.backend, BUCKET_S3_V2);
	ck_assert(cfg.path_style);
	ck_assert_str_eq(cfg.endpoint, "http://127.0.0.1:9000");
	setenv("TUTTI_S3_SIGV4", "1", 1);
	ck_assert_int_eq(bucket_config_from_env(&cfg, "/h", &e), 0);
	ck_assert_int_eq(cfg.backend, BUCKET_S3_V4);
	setenv("AWS_ENDPOINT_URL_S3", "https://s3.eu-west-3.amazonaws.com", 1);
	unsetenv("TUTTI_S3_SIGV4");
	ck_assert_int_eq(bucket_config_from_env(&cfg, "/h", &e), 0);
	ck_assert_int_eq(cfg.backend, BUCKET_S3_V4);
	ck_assert(!cfg.path_style);
	setenv("TUTTI_BUCKETS", "file", 1);
	ck_assert_int_eq(bucket_config_from_env(&cfg, "/h", &e), 0);
	ck_assert_int_eq(cfg.backend, BUCKET_FILE);
	setenv("TUTTI_S3_PATH_STYLE", "maybe", 1);
	unsetenv("TUTTI_BUCKETS");
	ck_assert_int_eq(bucket_config_from_env(&cfg, "/h", &e), -1);
	ck_assert_str_eq(e.type, "States.Runtime");
	unsetenv("TUTTI_S3_PATH_STYLE");
	setenv("AWS_ENDPOINT_URL_S3", "127.0.0.1:9000", 1);
	ck_assert_int_eq(bucket_config_from_env(&cfg, "/h", &e), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bucket");
	TCase *tc = tcase_create("file");
	TCase *net = tcase_create("network");
	SRunner *sr;
	int failed;

	snprintf(home, sizeof home, "/tmp/tutti-bucket-test.%d", (int)getpid());
	fs_mkdir_p(home, 0700);
	fixture_pid = fixture_start(&port);
	tcase_set_timeout(tc, 30);
	tcase_set_timeout(net, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, put_get_json_body);
	tcase_add_test(tc, missing_things);
	tcase_add_test(tc, unsafe_keys);
	tcase_add_test(tc, key_conflicts_and_delete);
	tcase_add_test(tc, symlink_inside_bucket);
	tcase_add_test(tc, list_pages_prefixes_tokens);
	tcase_add_test(tc, stale_metadata_ignored);
	tcase_add_test(tc, object_caps);
	tcase_add_test(tc, bucket_admin);
	tcase_add_test(tc, task_parameters);
	tcase_add_test(tc, concurrent_puts_are_atomic);
	tcase_add_test(net, sigv4_signs_what_the_server_checks);
	tcase_add_test(net, sigv4_faults);
	tcase_add_test(net, libs3_faults);
	tcase_add_test(net, config_from_env);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, net);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	fixture_stop(fixture_pid);
	fs_rm_rf(home);
	return failed ? 1 : 0;
}
