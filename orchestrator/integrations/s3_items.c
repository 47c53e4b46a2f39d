/* s3_items — a Map's ItemReader over a bucket store: one object read as
 * JSON, JSON Lines or CSV, or the listing of a prefix, as the array of
 * items (s3_task.h). Runs on an integrations worker thread.
 *
 * Hostile objects: at most S3_ITEMS_BYTES_MAX bytes are read (the store
 * stops there), at most S3_ITEMS_MAX items are kept and a CSV has at most
 * S3_ITEMS_FIELDS_MAX fields in all, so the values built stay bounded
 * however the object is shaped (",,,,," is one field per byte); what
 * jansson will allocate is estimated from the text (JSON) or counted as
 * the fields are read (CSV), against S3_ITEMS_JSON_MEM_MAX.
 *
 * jansson's costs, measured (jansson 2.14, glibc malloc, 64-bit; a value
 * includes its 8-byte slot in its array): a string 88 bytes + its text
 * past ~24 bytes, an integer or real 40, true/false/null 8 (shared
 * singletons), an empty array 136, an empty object 232 and 72 more per
 * member (its key copied). A CSV row of 9 empty fields is 1,800 bytes:
 * 200 a field. */
#define COST_STRING 88
#define COST_NUMBER 40
#define COST_LITERAL 8
#define COST_ARRAY 136
#define COST_OBJECT 232
#define COST_MEMBER 72
#define COST_CSV_FIELD 200
#include "s3_task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asl.h"
#include "utf8.h"

#define FAIL ERR_STATES_ITEM_READER_FAILED

/* deadline_ns is CLOCK_MONOTONIC (0: none); the work between two S3
 * calls checks it too, or a large object is read past the task's time. */
bool s3_deadline_passed(uint64_t deadline_ns)
{
	struct timespec ts;

	if (!deadline_ns)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec >= deadline_ns;
}

/* Keep the store's own error name in the cause: "S3.NoSuchKey: ...". */
static int wrap(struct err *e, const char *what)
{
	char cause[ERR_MSG_MAX];

	snprintf(cause, sizeof cause, "%s: %s", e->type[0] ? e->type : "error", e->msg);
	return err_set(e, FAIL, "%s failed: %s", what, cause);
}

static int oom(struct err *e)
{
	return err_set(e, FAIL, "out of memory reading the items");
}

/* ---- CSV (RFC 4180) ------------------------------------------------------------------- */

struct csv {
	const char *p, *end;
	char delim;
	size_t row;            /* 1-based record number, for messages */
	size_t fields;         /* fields read so far (S3_ITEMS_FIELDS_MAX) */
	uint64_t mem;          /* what their values will take (S3_ITEMS_JSON_MEM_MAX) */
	struct buf field;
};

/* One record's fields into `out` (an array of strings). 1: a record, 0: the
 * end of the object, -1: e. Blank lines are skipped. */
static int csv_record(struct csv *c, json_t *out, struct err *e)
{
	json_array_clear(out);
	while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
		if (*c->p == '\n')
			c->row++;
		c->p++;
	}
	if (c->p >= c->end)
		return 0;
	c->row++;
	for (;;) {
		bool quoted = c->p < c->end && *c->p == '"';
		json_t *s;

		buf_reset(&c->field);
		if (quoted) {
			c->p++;
			for (;;) {
				if (c->p >= c->end)
					return err_set(e, FAIL, "bad CSV: row %zu has a quoted field without its closing quote", c->row);
				if (*c->p == '"') {
					if (c->p + 1 < c->end && c->p[1] == '"') {
						if (buf_append(&c->field, "\"", 1))
							return oom(e);
						c->p += 2;
						continue;
					}
					c->p++;
					break;
				}
				if (buf_append(&c->field, c->p, 1))
					return oom(e);
				c->p++;
			}
			if (c->p < c->end && *c->p != c->delim && *c->p != '\n' && *c->p != '\r')
				return err_set(e, FAIL, "bad CSV: row %zu has a character after a quoted field's closing quote (a quote inside a quoted field is written \"\")", c->row);
		} else {
			const char *s0 = c->p;

			while (c->p < c->end && *c->p != c->delim && *c->p != '\n' && *c->p != '\r')
				c->p++;
			if (buf_append(&c->field, s0, (size_t)(c->p - s0)))
				return oom(e);
		}
		if (++c->fields > S3_ITEMS_FIELDS_MAX)
			return err_set(e, FAIL, "the CSV object has more than %d fields in all (tutti's limit)",
				       S3_ITEMS_FIELDS_MAX);
		c->mem += COST_CSV_FIELD + c->field.len;
		if (c->mem > S3_ITEMS_JSON_MEM_MAX)
			return err_set(e, FAIL,
				       "the CSV object's %zu fields would take more than %d MiB as items "
				       "(tutti's limit)",
				       c->fields, S3_ITEMS_JSON_MEM_MAX >> 20);
		s = json_stringn(c->field.data ? c->field.data : "", c->field.len);
		if (!s)
			return err_set(e, FAIL, "bad CSV: row %zu has a field that is not UTF-8 text", c->row);
		if (json_array_append_new(out, s))
			return oom(e);
		if (c->p < c->end && *c->p == c->delim) {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n')
			c->p++;
		return 1;
	}
}

static int read_csv(const struct asl_item_reader *r, const char *data, size_t len, uint64_t max,
		    uint64_t deadline_ns, json_t *items, struct err *e)
{
	struct csv c = { .p = data, .end = data + len, .delim = r->delimiter ? r->delimiter : ',' };
	json_t *headers = json_array(), *rec = json_array(), *seen = NULL;
	int rc = -1, got = 0;

	buf_init(&c.field, 0);
	if (!headers || !rec) {
		oom(e);
		goto out;
	}
	if (r->csv_given) {
		for (size_t i = 0; i < r->n_headers; i++)
			if (json_array_append_new(headers, json_string(r->headers[i]))) {
				oom(e);
				goto out;
			}
	} else {
		got = csv_record(&c, headers, e);
		if (got < 0)
			goto out;
		if (!got) {
			rc = 0;   /* an empty object: no items */
			goto out;
		}
	}
	for (size_t i = 0; i < json_array_size(headers); i++) {
		json_t *h = json_array_get(headers, i);

		if (strlen(json_string_value(h)) != json_string_length(h)) {   /* keys are C strings */
			err_set(e, FAIL, "bad CSV: column %zu's name holds a NUL character", i + 1);
			goto out;
		}
	}
	/* Duplicate names: a set of the names seen (an object: hashed), not
	 * every pair — 50,000 columns were 1.25 billion comparisons. */
	seen = json_object();
	if (!seen) {
		oom(e);
		goto out;
	}
	for (size_t i = 0; i < json_array_size(headers); i++) {
		const char *name = json_string_value(json_array_get(headers, i));

		if ((i & 1023) == 1023 && s3_deadline_passed(deadline_ns)) {
			err_set(e, FAIL, "States.Timeout: the CSV header was not read before the task's deadline");
			goto out;
		}
		if (json_object_get(seen, name)) {
			err_set(e, FAIL, "bad CSV: the column name '%.*s' appears twice in the header",
				utf8_cut(name, 100), name);
			goto out;
		}
		if (json_object_set_new_nocheck(seen, name, json_true())) {
			oom(e);
			goto out;
		}
	}
	while ((!max || json_array_size(items) < max) && (got = csv_record(&c, rec, e)) == 1) {
		json_t *o;

		if (json_array_size(rec) != json_array_size(headers)) {
			err_set(e, FAIL, "bad CSV: row %zu has %zu fields, the header has %zu", c.row,
				json_array_size(rec), json_array_size(headers));
			goto out;
		}
		if (json_array_size(items) >= S3_ITEMS_MAX) {
			err_set(e, FAIL, "the object holds more than %d items (tutti's limit; MaxItems reads fewer)",
				S3_ITEMS_MAX);
			goto out;
		}
		o = json_object();
		if (!o || json_array_append_new(items, o)) {
			oom(e);
			goto out;
		}
		for (size_t i = 0; i < json_array_size(rec); i++)
			if (json_object_set(o, json_string_value(json_array_get(headers, i)),
					    json_array_get(rec, i))) {
				oom(e);
				goto out;
			}
	}
	rc = got < 0 ? -1 : 0;
out:
	buf_free(&c.field);
	json_decref(seen);
	json_decref(headers);
	json_decref(rec);
	return rc;
}

/* ---- JSON, JSON Lines ---------------------------------------------------------------- */

/* What jansson would allocate for this text, estimated before it parses
 * (the costs above): 8 MiB of "[[],[],...]" is 2.8 million arrays (about
 * 370 MB measured), 8 MiB of "["","",...]" 2.8 million strings (263 MB),
 * far more than the text. A scan counts the values by their first byte
 * (outside strings) and each string's bytes; a ':' makes the string
 * before it a key (a member of an object, not a value). */
static int json_too_big(const char *p, size_t len, struct err *e)
{
	uint64_t mem = 0, values = 0;
	bool in_str = false;
	char prev = '[';   /* the last byte outside strings that is not space */

	for (size_t i = 0; i < len; i++) {
		char c = p[i];

		if (in_str) {
			if (c == '\\')
				i++, mem++;
			else if (c == '"')
				in_str = false;
			else
				mem++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '"') {
			in_str = true;
			mem += COST_STRING;
			values++;
		} else if (c == '[') {
			mem += COST_ARRAY;
			values++;
		} else if (c == '{') {
			mem += COST_OBJECT;
			values++;
		} else if (c == ':') {
			mem = mem + COST_MEMBER - COST_STRING;   /* the key was counted as a string */
		} else if (prev == '[' || prev == ',' || prev == ':') {
			/* a scalar's first byte: a number, or true/false/null */
			mem += (c == 't' || c == 'f' || c == 'n') ? COST_LITERAL : COST_NUMBER;
			values++;
		}
		prev = c;
	}
	if (mem > S3_ITEMS_JSON_MEM_MAX)
		return err_set(e, FAIL,
			       "the object's JSON holds too many values (about %llu): parsed it would take "
			       "more than %d MiB (tutti's limit)",
			       (unsigned long long)values, S3_ITEMS_JSON_MEM_MAX >> 20);
	return 0;
}

static int read_json(const char *data, size_t len, uint64_t max, json_t *items, struct err *e)
{
	json_error_t je;
	json_t *doc;
	size_t n;

	if (json_too_big(data, len, e))
		return -1;
	doc = json_loadb(data, len, JSON_DECODE_ANY, &je);
	if (!doc)
		return err_set(e, FAIL, "the object is not valid JSON (line %d, column %d: %.200s)", je.line,
			       je.column, je.text);
	if (!json_is_array(doc)) {
		json_decref(doc);
		return err_set(e, FAIL, "the object's JSON is not an array (InputType JSON needs an array of items)");
	}
	n = json_array_size(doc);
	if (max && n > max)
		n = max;
	if (n > S3_ITEMS_MAX) {
		json_decref(doc);
		return err_set(e, FAIL, "the object holds more than %d items (tutti's limit; MaxItems reads fewer)",
			       S3_ITEMS_MAX);
	}
	for (size_t i = 0; i < n; i++)
		if (json_array_append(items, json_array_get(doc, i))) {
			json_decref(doc);
			return oom(e);
		}
	json_decref(doc);
	return 0;
}

static int read_jsonl(const char *data, size_t len, uint64_t max, json_t *items, struct err *e)
{
	const char *p = data, *end = data + len;
	size_t line = 0;

	if (json_too_big(data, len, e))
		return -1;
	while (p < end && (!max || json_array_size(items) < max)) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *q;
		const char *stop = nl ? nl : end;
		json_error_t je;
		json_t *v;

		line++;
		for (q = p; q < stop && (*q == ' ' || *q == '\t' || *q == '\r'); q++)
			;
		if (q < stop) {
			if (json_array_size(items) >= S3_ITEMS_MAX)
				return err_set(e, FAIL, "the object holds more than %d items (tutti's limit; MaxItems reads fewer)",
					       S3_ITEMS_MAX);
			v = json_loadb(p, (size_t)(stop - p), JSON_DECODE_ANY, &je);
			if (!v)
				return err_set(e, FAIL, "line %zu of the object is not valid JSON (column %d: %.200s)",
					       line, je.column, je.text);
			if (json_array_append_new(items, v))
				return oom(e);
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

/* ---- the reader ------------------------------------------------------------------------ */

static int str_param(const json_t *params, const char *name, bool required, const char **out,
		     struct err *e)
{
	const json_t *v = json_object_get(params, name);

	*out = NULL;
	if (!v && !required)
		return 0;
	if (!json_is_string(v) || (required && !json_string_length(v)))
		return err_set(e, FAIL, "the ItemReader's parameters need %s (a %sstring)", name,
			       required ? "non-empty " : "");
	*out = json_string_value(v);
	return 0;
}

static int read_object(struct bucket_store *bs, const struct asl_item_reader *r,
		       const json_t *params, uint64_t max, uint64_t deadline_ns, json_t *items,
		       struct err *e)
{
	const char *bucket, *key;
	struct bucket_object_info info;
	struct buf body;
	const char *data;
	char what[600];
	size_t len;
	int rc = -1;

	if (str_param(params, "Bucket", true, &bucket, e) || str_param(params, "Key", true, &key, e))
		return -1;
	if (r->input == ASL_READ_MANIFEST || r->input == ASL_READ_PARQUET)
		return err_set(e, FAIL, "InputType %s is not supported by tutti (JSON, JSONL and CSV are)",
			       r->input == ASL_READ_MANIFEST ? "MANIFEST" : "PARQUET");
	snprintf(what, sizeof what, "reading s3://%.*s/%.*s", utf8_cut(bucket, 200), bucket, utf8_cut(key, 300), key);
	buf_init(&body, S3_ITEMS_BYTES_MAX);
	if (bucket_get(bs, bucket, key, deadline_ns, &body, &info, e)) {
		if (body.len >= S3_ITEMS_BYTES_MAX || info.size > S3_ITEMS_BYTES_MAX ||
		    !strcmp(e->type, "States.DataLimitExceeded"))
			err_set(e, FAIL, "%s: the object is larger than %d bytes (tutti's limit for an ItemReader object)",
				what, S3_ITEMS_BYTES_MAX);
		else
			wrap(e, what);
		goto out;
	}
	if (body.len > S3_ITEMS_BYTES_MAX) {
		err_set(e, FAIL, "%s: the object is larger than %d bytes (tutti's limit for an ItemReader object)",
			what, S3_ITEMS_BYTES_MAX);
		goto out;
	}
	data = body.data ? body.data : "";
	len = body.len;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {   /* a UTF-8 byte order mark */
		data += 3;
		len -= 3;
	}
	switch (r->input) {
	case ASL_READ_JSON:
		rc = read_json(data, len, max, items, e);
		break;
	case ASL_READ_JSONL:
		rc = read_jsonl(data, len, max, items, e);
		break;
	case ASL_READ_CSV:
		rc = read_csv(r, data, len, max, deadline_ns, items, e);
		break;
	default:
		err_set(e, FAIL, "unknown InputType");
		break;
	}
	if (rc) {
		char cause[ERR_MSG_MAX];

		snprintf(cause, sizeof cause, "%s", e->msg);
		err_set(e, FAIL, "%s: %s", what, cause);
	}
out:
	buf_free(&body);
	return rc;
}

/* Every object under Prefix, page after page, as
 * {"Etag", "Key", "LastModified" (Unix seconds), "Size", "StorageClass"}
 * (the developer guide's shape for listObjectsV2 items). */
static int read_listing(struct bucket_store *bs, const json_t *params, uint64_t max,
			uint64_t deadline_ns, json_t *items, struct err *e)
{
	struct bucket_list_req req = { .max_keys = BUCKET_LIST_MAX };
	const char *bucket;
	char *token = NULL, what[600];
	unsigned empty = 0;
	int rc = -1;

	if (str_param(params, "Bucket", true, &bucket, e) || str_param(params, "Prefix", false, &req.prefix, e))
		return -1;
	snprintf(what, sizeof what, "listing s3://%.*s/%.*s", utf8_cut(bucket, 200), bucket,
		 utf8_cut(req.prefix ? req.prefix : "", 300), req.prefix ? req.prefix : "");
	for (;;) {
		struct bucket_list l = { 0 };
		bool more;

		if (s3_deadline_passed(deadline_ns)) {   /* between pages: each page is an S3 call */
			err_set(e, ERR_STATES_TIMEOUT, "the listing did not finish before the task's deadline");
			wrap(e, what);
			goto out;
		}
		req.token = token;
		if (bucket_list_objects(bs, bucket, &req, deadline_ns, &l, e)) {
			wrap(e, what);
			goto out;
		}
		for (size_t i = 0; i < l.n && (!max || json_array_size(items) < max); i++) {
			json_t *o;

			if (json_array_size(items) >= S3_ITEMS_MAX) {
				bucket_list_clear(&l);
				err_set(e, FAIL, "%s: more than %d objects (tutti's limit; MaxItems reads fewer)",
					what, S3_ITEMS_MAX);
				goto out;
			}
			/* A remote listing's fields are whatever the server sent: a
			 * field left out is "", text that is not UTF-8 is cleaned
			 * (json_pack would fail on either, as "out of memory"). */
			o = json_pack("{s:o?, s:o?, s:I, s:I, s:s}", "Etag", utf8_json_string(l.items[i].etag), "Key",
				      utf8_json_string(l.items[i].key ? l.items[i].key : ""), "LastModified",
				      (json_int_t)l.items[i].last_modified, "Size", (json_int_t)l.items[i].size,
				      "StorageClass", "STANDARD");
			if (!o || json_array_append_new(items, o)) {
				bucket_list_clear(&l);
				oom(e);
				goto out;
			}
		}
		more = l.truncated && l.next_token && (!max || json_array_size(items) < max);
		/* A server that pages without moving on must not keep us here. */
		empty = l.n ? 0 : empty + 1;
		if (more && ((token && !strcmp(token, l.next_token)) || empty > 3)) {
			bucket_list_clear(&l);
			err_set(e, FAIL, "%s: the store's listing does not advance (a page repeats or is empty)",
				what);
			goto out;
		}
		free(token);
		token = more ? strdup(l.next_token) : NULL;
		bucket_list_clear(&l);
		if (!more)
			break;
		if (!token) {
			oom(e);
			goto out;
		}
	}
	rc = 0;
out:
	free(token);
	return rc;
}

int s3_read_items(struct bucket_store *bs, const struct asl_item_reader *r, const json_t *params,
		  uint64_t max_items, uint64_t deadline_ns, json_t **items, struct err *e)
{
	json_t *out = json_array();
	int rc;

	*items = NULL;
	if (!out)
		return oom(e);
	if (!json_is_object(params))
		rc = err_set(e, FAIL, "the ItemReader's parameters must be an object");
	else if (r->list)
		rc = read_listing(bs, params, max_items, deadline_ns, out, e);
	else
		rc = read_object(bs, r, params, max_items, deadline_ns, out, e);
	if (rc) {
		json_decref(out);
		return -1;
	}
	*items = out;
	return 0;
}

bool s3_reader_matches(const char *resource)
{
	return resource && (!strcmp(resource, "arn:aws:states:::s3:getObject") ||
			    !strcmp(resource, "arn:aws:states:::s3:listObjectsV2"));
}

/* ---- a Map's ResultWriter ------------------------------------------------------------------ */

static int wfail(struct err *e, const char *what)
{
	char cause[ERR_MSG_MAX];

	snprintf(cause, sizeof cause, "%s: %s", e->type[0] ? e->type : "error", e->msg);
	return err_set(e, ERR_STATES_RESULT_WRITER_FAILED, "%s failed: %s", what, cause);
}

/* One file of a group, its {"Key", "Size"} appended to `files`. */
static int put_file(struct bucket_store *bs, const char *bucket, const char *base, const char *group,
		    unsigned idx, struct buf *text, bool jsonl, uint64_t deadline_ns, json_t *files,
		    struct err *e)
{
	char key[1200], what[1400];

	snprintf(key, sizeof key, "%s%s_%u.%s", base, group, idx, jsonl ? "jsonl" : "json");
	snprintf(what, sizeof what, "writing s3://%.*s/%s", utf8_cut(bucket, 200), bucket, key);
	if (!jsonl && buf_append(text, "]", 1))
		return err_set(e, ERR_STATES_RESULT_WRITER_FAILED, "out of memory writing the results");
	if (bucket_put(bs, bucket, key, text->data ? text->data : "", text->len,
		       jsonl ? "application/jsonl" : "application/json", deadline_ns, NULL, e))
		return wfail(e, what);
	if (json_array_append_new(files, json_pack("{s:s, s:I}", "Key", key, "Size", (json_int_t)text->len)))
		return err_set(e, ERR_STATES_RESULT_WRITER_FAILED, "out of memory writing the results");
	return 0;
}

/* One group's results (SUCCEEDED or FAILED) as GROUP_0.json, GROUP_1.json,
 * ...: as AWS, a new file whenever the next record would take one over
 * the store's object limit (a JSON file is an array of records, a JSONL
 * file one record a line). */
static int write_group(struct bucket_store *bs, const char *bucket, const char *base,
		       const char *group, const json_t *recs, bool jsonl, uint64_t deadline_ns,
		       json_t *files, struct err *e)
{
	size_t max = bucket_max_object(bs), i, n = json_array_size(recs), in_file = 0;
	unsigned idx = 0;
	struct buf text;
	int rc = -1;

	buf_init(&text, 0);
	for (i = 0; i < n; i++) {
		char *s = json_dumps(json_array_get(recs, i), JSON_COMPACT | JSON_ENCODE_ANY);
		size_t len = s ? strlen(s) : 0;

		if (!s) {
			err_set(e, ERR_STATES_RESULT_WRITER_FAILED, "out of memory writing the results");
			goto out;
		}
		/* this record, its separator and the closing ']' */
		if (in_file && max && text.len + len + 2 > max) {
			if (put_file(bs, bucket, base, group, idx++, &text, jsonl, deadline_ns, files, e)) {
				free(s);
				goto out;
			}
			text.len = 0;
			in_file = 0;
		}
		if (s3_deadline_passed(deadline_ns)) {
			free(s);
			err_set(e, ERR_STATES_RESULT_WRITER_FAILED, "writing the results took too long");
			goto out;
		}
		if (buf_append(&text, jsonl ? "" : in_file ? "," : "[", jsonl ? 0 : 1) ||
		    buf_append(&text, s, len) || (jsonl && buf_append(&text, "\n", 1))) {
			free(s);
			err_set(e, ERR_STATES_RESULT_WRITER_FAILED, "out of memory writing the results");
			goto out;
		}
		free(s);
		in_file++;
	}
	if (!jsonl && !in_file && buf_append(&text, "[", 1)) {
		err_set(e, ERR_STATES_RESULT_WRITER_FAILED, "out of memory writing the results");
		goto out;
	}
	rc = put_file(bs, bucket, base, group, idx, &text, jsonl, deadline_ns, files, e);
out:
	buf_free(&text);
	return rc;
}

int s3_write_results(struct bucket_store *bs, const json_t *in, uint64_t deadline_ns, json_t **out,
		     struct err *e)
{
	const char *bucket = json_string_value(json_object_get(in, "Bucket"));
	const char *prefix = json_string_value(json_object_get(in, "Prefix"));
	const char *arn = json_string_value(json_object_get(in, "MapRunArn"));
	bool jsonl = !strcmp(json_string_value(json_object_get(in, "OutputType")) ?: "", "JSONL");
	static const char *const groups[] = { "SUCCEEDED", "FAILED" };
	json_t *manifest = NULL, *files;
	char base[1100], key[1200], what[1400], *text = NULL;
	const char *run_id;
	int rc = -1;

	*out = NULL;
	if (!bucket || !*bucket || !arn || !strrchr(arn, ':'))
		return err_set(e, ERR_STATES_RESULT_WRITER_FAILED, "the ResultWriter's call lacks Bucket or MapRunArn");
	run_id = strrchr(arn, ':') + 1;
	prefix = prefix ? prefix : "";
	snprintf(base, sizeof base, "%.1000s%s%.40s/", prefix,
		 *prefix && prefix[strlen(prefix) - 1] != '/' ? "/" : "", run_id);
	manifest = json_pack("{s:s, s:s, s:{s:[], s:[], s:[]}}", "DestinationBucket", bucket, "MapRunArn",
			     arn, "ResultFiles", "FAILED", "PENDING", "SUCCEEDED");
	if (!manifest) {
		err_set(e, ERR_STATES_RESULT_WRITER_FAILED, "out of memory writing the results");
		goto out;
	}
	files = json_object_get(manifest, "ResultFiles");
	for (size_t g = 0; g < 2; g++) {
		const json_t *recs = json_object_get(in, groups[g]);

		if (json_array_size(recs) &&
		    write_group(bs, bucket, base, groups[g], recs, jsonl, deadline_ns,
				json_object_get(files, groups[g]), e))
			goto out;
	}
	snprintf(key, sizeof key, "%smanifest.json", base);
	snprintf(what, sizeof what, "writing s3://%.200s/%s", bucket, key);
	text = json_dumps(manifest, JSON_COMPACT);
	if (!text) {
		err_set(e, ERR_STATES_RESULT_WRITER_FAILED, "out of memory writing the results");
		goto out;
	}
	if (bucket_put(bs, bucket, key, text, strlen(text), "application/json", deadline_ns, NULL, e)) {
		wfail(e, what);
		goto out;
	}
	*out = json_pack("{s:s, s:{s:s, s:s}}", "MapRunArn", arn, "ResultWriterDetails", "Bucket", bucket,
			 "Key", key);
	if (!*out) {
		err_set(e, ERR_STATES_RESULT_WRITER_FAILED, "out of memory writing the results");
		goto out;
	}
	rc = 0;
out:
	free(text);
	json_decref(manifest);
	return rc;
}

bool s3_writer_matches(const char *resource)
{
	return resource && !strcmp(resource, "arn:aws:states:::s3:putObject");
}
