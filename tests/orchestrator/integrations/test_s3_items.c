/* Tests of the Map ItemReader's S3 side (orchestrator/integrations/s3_items.c)
 * over the file bucket store: JSON, JSONL and CSV objects (RFC 4180 quoting,
 * both header locations, every delimiter), listings paged past 1,000 keys,
 * MaxItems, and what a hostile object gets (malformed text, a byte and an
 * item cap, a field flood). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "asl.h"
#include "bucket.h"
#include "fsutil.h"
#include "s3_task.h"
#include "utf8.h"

static char home[256];
static struct bucket_store *bs;

static void setup(void)
{
	struct bucket_config cfg = { .backend = BUCKET_FILE, .max_object = 64u << 20 };
	struct err e = { 0 };

	snprintf(cfg.root, sizeof cfg.root, "%s/buckets", home);
	fs_rm_rf(cfg.root);
	bs = bucket_open(&cfg, &e);
	ck_assert_msg(bs, "%s", e.msg);
	ck_assert_int_eq(bucket_create(bs, "items", 0, &e), 0);
}

static void teardown(void)
{
	bucket_close(bs);
	bs = NULL;
}

static void put(const char *key, const char *data, size_t len)
{
	struct err e = { 0 };

	ck_assert_msg(bucket_put(bs, "items", key, data, len, NULL, 0, NULL, &e) == 0, "%s", e.msg);
}

static void puts_(const char *key, const char *text)
{
	put(key, text, strlen(text));
}

/* Read `key` with reader r; returns the items as compact JSON text (static)
 * or NULL with *e. */
static const char *read_key(const struct asl_item_reader *r, const char *key, uint64_t max,
			    struct err *e)
{
	static char *text;
	json_t *params = json_pack("{s:s, s:s}", "Bucket", "items", r->list ? "Prefix" : "Key", key);
	json_t *items = NULL;
	int rc = s3_read_items(bs, r, params, max, 0, &items, e);

	json_decref(params);
	free(text);
	text = NULL;
	if (rc) {
		ck_assert_ptr_null(items);
		ck_assert_str_eq(e->type, "States.ItemReaderFailed");
		return NULL;
	}
	text = json_dumps(items, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(items);
	return text;
}

static struct asl_item_reader csv_reader(char delim)
{
	struct asl_item_reader r = { .input = ASL_READ_CSV, .delimiter = delim };

	return r;
}

START_TEST(json_and_jsonl)
{
	struct asl_item_reader r = { .input = ASL_READ_JSON };
	struct err e = { 0 };

	puts_("a.json", "\xEF\xBB\xBF[1, {\"x\": [2]}, \"s\", null]");
	ck_assert_str_eq(read_key(&r, "a.json", 0, &e), "[1,{\"x\":[2]},\"s\",null]");
	ck_assert_str_eq(read_key(&r, "a.json", 2, &e), "[1,{\"x\":[2]}]");
	puts_("obj.json", "{\"a\": 1}");
	ck_assert_ptr_null(read_key(&r, "obj.json", 0, &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "not an array"));
	puts_("bad.json", "[1, 2");
	ck_assert_ptr_null(read_key(&r, "bad.json", 0, &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "not valid JSON"));
	ck_assert_ptr_null(read_key(&r, "missing.json", 0, &e));
	ck_assert_msg(strstr(e.msg, "NoSuchKey") && strstr(e.msg, "s3://items/missing.json"), "%s", e.msg);

	r.input = ASL_READ_JSONL;
	puts_("a.jsonl", "{\"a\":1}\r\n\n  \n[2]\n\"three\"");
	ck_assert_str_eq(read_key(&r, "a.jsonl", 0, &e), "[{\"a\":1},[2],\"three\"]");
	ck_assert_str_eq(read_key(&r, "a.jsonl", 1, &e), "[{\"a\":1}]");
	puts_("bad.jsonl", "{\"a\":1}\n{oops}\n");
	ck_assert_ptr_null(read_key(&r, "bad.jsonl", 0, &e));
	ck_assert_msg(strstr(e.msg, "line 2"), "%s", e.msg);

	r.input = ASL_READ_MANIFEST;
	ck_assert_ptr_null(read_key(&r, "a.json", 0, &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "MANIFEST"));
}
END_TEST

START_TEST(csv_first_row)
{
	struct asl_item_reader r = csv_reader(',');
	struct err e = { 0 };
	const char *csv = "\xEF\xBB\xBFname,note,n\r\n"
			  "\"Smith, J\",\"said \"\"hi\"\"\",1\r\n"
			  "\"multi\nline\",,2\n"
			  "\n"
			  "plain,x\"y,3";

	put("a.csv", csv, strlen(csv));
	ck_assert_str_eq(read_key(&r, "a.csv", 0, &e),
			 "[{\"name\":\"Smith, J\",\"note\":\"said \\\"hi\\\"\",\"n\":\"1\"},"
			 "{\"name\":\"multi\\nline\",\"note\":\"\",\"n\":\"2\"},"
			 "{\"name\":\"plain\",\"note\":\"x\\\"y\",\"n\":\"3\"}]");
	ck_assert_str_eq(read_key(&r, "a.csv", 1, &e),
			 "[{\"name\":\"Smith, J\",\"note\":\"said \\\"hi\\\"\",\"n\":\"1\"}]");
	puts_("empty.csv", "");
	ck_assert_str_eq(read_key(&r, "empty.csv", 0, &e), "[]");
	puts_("header.csv", "a,b\n");
	ck_assert_str_eq(read_key(&r, "header.csv", 0, &e), "[]");
}
END_TEST

START_TEST(csv_given_and_delimiters)
{
	static const char delims[] = { ',', '|', ';', ' ', '\t' };
	const char *names[] = { "k", "v" };
	struct err e = { 0 };

	for (size_t i = 0; i < sizeof delims; i++) {
		struct asl_item_reader r = csv_reader(delims[i]);
		char csv[64], want[128];

		r.csv_given = true;
		r.headers = names;
		r.n_headers = 2;
		snprintf(csv, sizeof csv, "a%c1\n\"b%cc\"%c2\n", delims[i], delims[i], delims[i]);
		put("d.csv", csv, strlen(csv));
		/* the JSON text of "b<delimiter>c" */
		snprintf(want, sizeof want, "[{\"k\":\"a\",\"v\":\"1\"},{\"k\":\"b%s%c\",\"v\":\"2\"}]",
			 delims[i] == '\t' ? "\\t" : (char[]){ delims[i], 0 }, 'c');
		ck_assert_str_eq(read_key(&r, "d.csv", 0, &e), want);
	}
}
END_TEST

START_TEST(csv_malformed)
{
	struct asl_item_reader r = csv_reader(',');
	struct err e = { 0 };

	puts_("q.csv", "a,b\n\"open,1\n");
	ck_assert_ptr_null(read_key(&r, "q.csv", 0, &e));
	ck_assert_msg(strstr(e.msg, "closing quote"), "%s", e.msg);
	puts_("after.csv", "a,b\n\"x\"y,1\n");
	ck_assert_ptr_null(read_key(&r, "after.csv", 0, &e));
	ck_assert_msg(strstr(e.msg, "after a quoted field"), "%s", e.msg);
	puts_("count.csv", "a,b\n1,2\n1,2,3\n");
	ck_assert_ptr_null(read_key(&r, "count.csv", 0, &e));
	ck_assert_msg(strstr(e.msg, "row 3 has 3 fields, the header has 2"), "%s", e.msg);
	puts_("dup.csv", "a,a\n1,2\n");
	ck_assert_ptr_null(read_key(&r, "dup.csv", 0, &e));
	ck_assert_msg(strstr(e.msg, "twice"), "%s", e.msg);
	put("nul.csv", "a\0b,c\n1,2\n", 10);
	ck_assert_ptr_null(read_key(&r, "nul.csv", 0, &e));
	ck_assert_msg(strstr(e.msg, "NUL"), "%s", e.msg);
	puts_("utf8.csv", "a\n\xff\xfe\n");
	ck_assert_ptr_null(read_key(&r, "utf8.csv", 0, &e));
	ck_assert_msg(strstr(e.msg, "UTF-8"), "%s", e.msg);
}
END_TEST

/* A hostile object: over the byte cap, over the item cap, a field flood. */
START_TEST(caps)
{
	struct asl_item_reader r = { .input = ASL_READ_JSONL };
	size_t n = S3_ITEMS_BYTES_MAX + 10, i;
	char *big = malloc(n);
	struct err e = { 0 };

	ck_assert_ptr_nonnull(big);
	memset(big, '\n', n);
	put("big.jsonl", big, n);
	ck_assert_ptr_null(read_key(&r, "big.jsonl", 0, &e));
	ck_assert_msg(strstr(e.msg, "larger than"), "%s", e.msg);
	/* S3_ITEMS_MAX + 1 lines of "1" */
	for (i = 0; i < (size_t)S3_ITEMS_MAX + 1; i++)
		big[2 * i] = '1', big[2 * i + 1] = '\n';
	put("many.jsonl", big, 2 * i);
	ck_assert_ptr_null(read_key(&r, "many.jsonl", 0, &e));
	ck_assert_msg(strstr(e.msg, "more than"), "%s", e.msg);
	/* MaxItems under the cap reads the first ones without complaint */
	ck_assert_ptr_nonnull(read_key(&r, "many.jsonl", 3, &e));
	/* a row of commas: one field per byte */
	r = csv_reader(',');
	memset(big, ',', (size_t)S3_ITEMS_FIELDS_MAX + 10);
	put("flood.csv", big, (size_t)S3_ITEMS_FIELDS_MAX + 10);
	ck_assert_ptr_null(read_key(&r, "flood.csv", 0, &e));
	ck_assert_msg(strstr(e.msg, "fields in all") || strstr(e.msg, "fields would take"), "%s", e.msg);
	/* 100,000 rows of 9 empty fields (900 KB): 192 MB as items, measured */
	n = (size_t)sprintf(big, "a,b,c,d,e,f,g,h,i\n");
	for (i = 0; i < 100000; i++)
		n += (size_t)sprintf(big + n, ",,,,,,,,\n");
	put("empty-rows.csv", big, n);
	ck_assert_ptr_null(read_key(&r, "empty-rows.csv", 0, &e));
	ck_assert_msg(strstr(e.msg, "fields would take more than 128 MiB"), "%s", e.msg);
	/* 20,000 such rows (36 MB) are read */
	put("fewer-rows.csv", big, 18 + 20000 * 9);
	ck_assert_ptr_nonnull(read_key(&r, "fewer-rows.csv", 0, &e));
	/* 7 MiB of "[[],[],...]" is under the byte cap but would be 2.4
	 * million jansson arrays (over 300 MB): refused before parsing, in
	 * JSON and in JSON Lines alike */
	struct asl_item_reader rj = { .input = ASL_READ_JSON };
	n = 7u << 20;
	big[0] = '[';
	for (i = 1; i + 3 < n; i += 3)
		memcpy(big + i, "[],", 3);
	big[i - 1] = ']';
	put("nested.json", big, i);
	ck_assert_ptr_null(read_key(&rj, "nested.json", 0, &e));
	ck_assert_msg(strstr(e.msg, "too many values"), "%s", e.msg);
	r.input = ASL_READ_JSONL;
	ck_assert_ptr_null(read_key(&r, "nested.json", 0, &e));
	ck_assert_msg(strstr(e.msg, "too many values"), "%s", e.msg);
	/* 8 MiB of [["","",...]]: 2.8 million empty strings, 263 MB measured
	 * (the old estimate said 118 MB and let it through) */
	n = (8u << 20) - 16;
	memcpy(big, "[[", 2);
	for (i = 2; i + 3 < n; i += 3)
		memcpy(big + i, "\"\",", 3);
	memcpy(big + i - 1, "]]", 2);
	put("strings.json", big, i + 1);
	ck_assert_ptr_null(read_key(&rj, "strings.json", 0, &e));
	ck_assert_msg(strstr(e.msg, "too many values"), "%s", e.msg);
	/* commas and brackets inside strings are not values: 6 MiB of one
	 * string is read */
	big[0] = '[', big[1] = '"';
	for (i = 2; i < (6u << 20); i++)
		big[i] = (i % 3) ? ',' : '[';
	memcpy(big + i, "\"]", 2);
	put("string.json", big, i + 2);
	ck_assert_ptr_nonnull(read_key(&rj, "string.json", 0, &e));
	/* a plain array of 100,000 records of five fields is read */
	size_t off = 0;
	big[off++] = '[';
	for (i = 0; i < (size_t)S3_ITEMS_MAX; i++)
		off += (size_t)sprintf(big + off, "%s{\"a\":%zu,\"b\":\"x\",\"c\":[1,2],\"d\":null,\"e\":true}",
				       i ? "," : "", i);
	big[off++] = ']';
	put("records.json", big, off);
	ck_assert_ptr_nonnull(read_key(&rj, "records.json", 0, &e));
	free(big);
}
END_TEST

START_TEST(listing_pages)
{
	struct asl_item_reader r = { .list = true };
	struct err e = { 0 };
	char key[32];
	json_t *items = NULL, *params = json_pack("{s:s, s:s}", "Bucket", "items", "Prefix", "in/");

	for (int i = 0; i < 1205; i++) {
		snprintf(key, sizeof key, "in/%05d", i);
		put(key, "x", 1);
	}
	puts_("other/1", "yy");
	ck_assert_int_eq(s3_read_items(bs, &r, params, 0, 0, &items, &e), 0);
	ck_assert_uint_eq(json_array_size(items), 1205);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 1204), "Key")), "in/01204");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(items, 0), "Size")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(items, 0), "StorageClass")), "STANDARD");
	ck_assert(json_is_string(json_object_get(json_array_get(items, 0), "Etag")));
	ck_assert(json_integer_value(json_object_get(json_array_get(items, 0), "LastModified")) > 0);
	json_decref(items);
	ck_assert_int_eq(s3_read_items(bs, &r, params, 1001, 0, &items, &e), 0);
	ck_assert_uint_eq(json_array_size(items), 1001);
	json_decref(items);
	json_object_set_new(params, "Bucket", json_string("no-such-bucket"));
	ck_assert_int_eq(s3_read_items(bs, &r, params, 0, 0, &items, &e), -1);
	ck_assert_str_eq(e.type, "States.ItemReaderFailed");
	ck_assert_msg(strstr(e.msg, "NoSuchBucket"), "%s", e.msg);
	json_object_del(params, "Bucket");
	ck_assert_int_eq(s3_read_items(bs, &r, params, 0, 0, &items, &e), -1);
	ck_assert_msg(strstr(e.msg, "Bucket"), "%s", e.msg);
	json_decref(params);
}
END_TEST

/* The ResultWriter's files: only non-empty groups, the manifest, the prefix
 * with or without its slash, JSON and JSONL. */
START_TEST(writer)
{
	json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:[{s:i}, [i, i]], s:[]}", "Bucket", "items", "Prefix",
			       "out/", "MapRunArn", "arn:aws:states:r:1:mapRun:sm/M:run-1", "OutputType", "JSON",
			       "SUCCEEDED", "a", 1, 1, 2, "FAILED");
	json_t *out = NULL, *got = NULL;
	struct buf b;
	struct err e = { 0 };

	ck_assert_ptr_nonnull(in);
	ck_assert_msg(s3_write_results(bs, in, 0, &out, &e) == 0, "%s %s", e.type, e.msg);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(out, "ResultWriterDetails"), "Key")),
			 "out/run-1/manifest.json");
	json_decref(out);
	buf_init(&b, 0);
	ck_assert_int_eq(bucket_get(bs, "items", "out/run-1/manifest.json", 0, &b, NULL, &e), 0);
	got = json_loadb(b.data, b.len, 0, NULL);
	ck_assert_int_eq(json_array_size(json_object_get(json_object_get(got, "ResultFiles"), "FAILED")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(
				 json_object_get(got, "ResultFiles"), "SUCCEEDED"), 0), "Key")),
			 "out/run-1/SUCCEEDED_0.json");
	ck_assert_str_eq(json_string_value(json_object_get(got, "DestinationBucket")), "items");
	json_decref(got);
	buf_reset(&b);
	ck_assert_int_eq(bucket_get(bs, "items", "out/run-1/SUCCEEDED_0.json", 0, &b, NULL, &e), 0);
	ck_assert_str_eq(b.data, "[{\"a\":1},[1,2]]");
	/* JSONL, a prefix without its slash, a FAILED group */
	json_object_set_new(in, "Prefix", json_string("p"));
	json_object_set_new(in, "OutputType", json_string("JSONL"));
	json_array_append_new(json_object_get(in, "FAILED"), json_pack("{s:s}", "Status", "FAILED"));
	ck_assert_int_eq(s3_write_results(bs, in, 0, &out, &e), 0);
	json_decref(out);
	buf_reset(&b);
	ck_assert_int_eq(bucket_get(bs, "items", "p/run-1/SUCCEEDED_0.jsonl", 0, &b, NULL, &e), 0);
	ck_assert_str_eq(b.data, "{\"a\":1}\n[1,2]\n");
	buf_reset(&b);
	ck_assert_int_eq(bucket_get(bs, "items", "p/run-1/FAILED_0.jsonl", 0, &b, NULL, &e), 0);
	ck_assert_str_eq(b.data, "{\"Status\":\"FAILED\"}\n");
	buf_free(&b);
	/* a missing bucket */
	json_object_set_new(in, "Bucket", json_string("no-such-bucket"));
	ck_assert_int_eq(s3_write_results(bs, in, 0, &out, &e), -1);
	ck_assert_str_eq(e.type, "States.ResultWriterFailed");
	ck_assert_msg(strstr(e.msg, "NoSuchBucket"), "%s", e.msg);
	json_decref(in);
	ck_assert(s3_writer_matches("arn:aws:states:::s3:putObject"));
	ck_assert(!s3_writer_matches("arn:aws:states:::aws-sdk:s3:putObject"));
}
END_TEST

/* 50,000 distinct column names (390 KB of header): the duplicate check is
 * a hash set, not every pair (43 s before); a duplicate at the very end
 * is still found, and a long name quoted in the cause is cut at a
 * character boundary (the cause stays UTF-8). */
START_TEST(csv_wide_header)
{
	struct asl_item_reader r = csv_reader(',');
	struct buf b;
	struct err e = { 0 };
	struct timespec t0, t1;
	const char *got;
	char name[400];

	buf_init(&b, 0);
	for (int i = 0; i < 50000; i++)
		ck_assert_int_eq(buf_printf(&b, "%scolumn_%05d", i ? "," : "", i), 0);
	ck_assert_int_eq(buf_append(&b, "\n", 1), 0);
	for (int i = 0; i < 50000; i++)
		ck_assert_int_eq(buf_append(&b, i ? ",x" : "x", i ? 2 : 1), 0);
	ck_assert_int_eq(buf_append(&b, "\n", 1), 0);
	put("wide.csv", b.data, b.len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	got = read_key(&r, "wide.csv", 0, &e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_msg(got, "%s", e.msg);
	ck_assert_ptr_nonnull(strstr(got, "\"column_49999\":\"x\""));
	ck_assert_msg(t1.tv_sec - t0.tv_sec < 5, "50,000 columns took %ld s", (long)(t1.tv_sec - t0.tv_sec));
	/* past the task's deadline: the header check stops */
	{
		json_t *params = json_pack("{s:s, s:s}", "Bucket", "items", "Key", "wide.csv"), *items = NULL;

		ck_assert_int_eq(s3_read_items(bs, &r, params, 0, 1, &items, &e), -1);
		ck_assert_str_eq(e.type, "States.ItemReaderFailed");
		ck_assert_msg(strstr(e.msg, "States.Timeout"), "%s", e.msg);
		json_decref(params);
	}
	/* the last name repeats the first */
	buf_reset(&b);
	for (int i = 0; i < 50000; i++)
		ck_assert_int_eq(buf_printf(&b, "%scolumn_%05d", i ? "," : "", i), 0);
	ck_assert_int_eq(buf_puts(&b, ",column_00000\n"), 0);
	put("wide-dup.csv", b.data, b.len);
	ck_assert_ptr_null(read_key(&r, "wide-dup.csv", 0, &e));
	ck_assert_msg(strstr(e.msg, "'column_00000' appears twice"), "%s", e.msg);
	/* a duplicate name of 4-byte characters, longer than the 100 bytes quoted */
	strcpy(name, "a");
	for (int i = 0; i < 60; i++)
		strcat(name, "\xf0\x9f\x98\x80");
	buf_reset(&b);
	ck_assert_int_eq(buf_printf(&b, "%s,%s\n1,2\n", name, name), 0);
	put("emoji-dup.csv", b.data, b.len);
	ck_assert_ptr_null(read_key(&r, "emoji-dup.csv", 0, &e));
	ck_assert_msg(strstr(e.msg, "appears twice"), "%s", e.msg);
	ck_assert_msg(utf8_valid(e.msg, strlen(e.msg)), "not UTF-8: %s", e.msg);
	ck_assert_ptr_null(strstr(e.msg, "\xef\xbf\xbd"));   /* cut before the character, not through it */
	buf_free(&b);
}
END_TEST

/* A listing is paged; the deadline is checked between pages. */
START_TEST(listing_deadline)
{
	struct asl_item_reader r = { .list = true };
	json_t *params = json_pack("{s:s, s:s}", "Bucket", "items", "Prefix", "d/");
	json_t *items = NULL;
	struct err e = { 0 };

	puts_("d/1", "x");
	ck_assert_int_eq(s3_read_items(bs, &r, params, 0, 1, &items, &e), -1);   /* 1 ns after boot */
	ck_assert_ptr_null(items);
	ck_assert_str_eq(e.type, "States.ItemReaderFailed");
	ck_assert_msg(strstr(e.msg, "States.Timeout: the listing did not finish before the task's deadline"), "%s",
		      e.msg);
	json_decref(params);
}
END_TEST

/* Results over the store's object limit go to SUCCEEDED_0, _1, ...: each
 * file under the limit, the manifest lists every one, together they hold
 * every record in order. One record alone over the limit fails. */
START_TEST(writer_split)
{
	struct bucket_config cfg = { .backend = BUCKET_FILE, .max_object = 1000 };
	struct bucket_store *small;
	json_t *recs = json_array(), *in, *out = NULL, *manifest, *files, *all = json_array();
	struct buf b;
	struct err e = { 0 };
	const char *types[] = { "JSON", "JSONL" };

	snprintf(cfg.root, sizeof cfg.root, "%s/buckets", home);
	small = bucket_open(&cfg, &e);
	ck_assert_msg(small, "%s", e.msg);
	for (int i = 0; i < 200; i++)
		json_array_append_new(recs, json_pack("{s:i, s:s}", "i", i, "pad", "0123456789abcdef0123456789"));
	buf_init(&b, 0);
	for (int t = 0; t < 2; t++) {
		in = json_pack("{s:s, s:s, s:s, s:s, s:O, s:[]}", "Bucket", "items", "Prefix", types[t],
			       "MapRunArn", "arn:aws:states:r:1:mapRun:sm/M:run-2", "OutputType", types[t],
			       "SUCCEEDED", recs, "FAILED");
		ck_assert_msg(s3_write_results(small, in, 0, &out, &e) == 0, "%s %s", e.type, e.msg);
		json_decref(out);
		buf_reset(&b);
		ck_assert_int_eq(bucket_get(small, "items",
					    t ? "JSONL/run-2/manifest.json" : "JSON/run-2/manifest.json", 0, &b,
					    NULL, &e),
				 0);
		manifest = json_loadb(b.data, b.len, 0, NULL);
		files = json_object_get(json_object_get(manifest, "ResultFiles"), "SUCCEEDED");
		ck_assert_int_gt(json_array_size(files), 5);
		json_array_clear(all);
		for (size_t f = 0; f < json_array_size(files); f++) {
			const char *key = json_string_value(json_object_get(json_array_get(files, f), "Key"));
			char want[64];

			snprintf(want, sizeof want, "%s/run-2/SUCCEEDED_%zu.%s", types[t], f, t ? "jsonl" : "json");
			ck_assert_str_eq(key, want);
			buf_reset(&b);
			ck_assert_int_eq(bucket_get(small, "items", key, 0, &b, NULL, &e), 0);
			ck_assert_uint_le(b.len, 1000);
			ck_assert_int_eq((json_int_t)b.len,
					 json_integer_value(json_object_get(json_array_get(files, f), "Size")));
			if (!t) {
				json_t *arr = json_loadb(b.data, b.len, 0, NULL);

				ck_assert(json_is_array(arr));
				json_array_extend(all, arr);
				json_decref(arr);
			} else {
				for (char *line = b.data; line && *line;) {
					char *nl = strchr(line, '\n');

					ck_assert_ptr_nonnull(nl);
					json_array_append_new(all, json_loadb(line, (size_t)(nl - line), 0, NULL));
					line = nl + 1;
				}
			}
		}
		ck_assert(json_equal(all, recs));
		json_decref(manifest);
		json_decref(in);
	}
	/* one record over the limit alone */
	json_array_append_new(recs, json_pack("{s:s}", "big", "x"));
	{
		char pad[1100];

		memset(pad, 'y', sizeof pad - 1);
		pad[sizeof pad - 1] = '\0';
		json_object_set_new(json_array_get(recs, 200), "big", json_string(pad));
	}
	in = json_pack("{s:s, s:s, s:O, s:[]}", "Bucket", "items", "MapRunArn", "arn:aws:states:r:1:mapRun:sm/M:run-3",
		       "SUCCEEDED", recs, "FAILED");
	ck_assert_int_eq(s3_write_results(small, in, 0, &out, &e), -1);
	ck_assert_str_eq(e.type, "States.ResultWriterFailed");
	json_decref(in);
	json_decref(recs);
	json_decref(all);
	buf_free(&b);
	bucket_close(small);
}
END_TEST

START_TEST(matches)
{
	ck_assert(s3_reader_matches("arn:aws:states:::s3:getObject"));
	ck_assert(s3_reader_matches("arn:aws:states:::s3:listObjectsV2"));
	ck_assert(!s3_reader_matches("arn:aws:states:::s3:putObject"));
	ck_assert(!s3_reader_matches("arn:aws:states:::aws-sdk:s3:getObject"));
	ck_assert(!s3_reader_matches(NULL));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("s3_items");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	snprintf(home, sizeof home, "/tmp/tutti-s3items-test.%d", (int)getpid());
	fs_mkdir_p(home, 0700);
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, json_and_jsonl);
	tcase_add_test(tc, csv_first_row);
	tcase_add_test(tc, csv_given_and_delimiters);
	tcase_add_test(tc, csv_malformed);
	tcase_add_test(tc, caps);
	tcase_add_test(tc, listing_pages);
	tcase_add_test(tc, writer);
	tcase_add_test(tc, matches);
	tcase_add_test(tc, csv_wide_header);
	tcase_add_test(tc, listing_deadline);
	tcase_add_test(tc, writer_split);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	fs_rm_rf(home);
	return failed ? 1 : 0;
}
