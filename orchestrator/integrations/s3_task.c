/* s3_task — Parameters → bucket_* call → SDK-shaped result. */
#include "s3_task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef int (*s3_action_fn)(struct bucket_store *bs, const json_t *params, uint64_t deadline_ns,
			    json_t **result, struct err *e);

static int put_object(struct bucket_store *, const json_t *, uint64_t, json_t **, struct err *);
static int get_object(struct bucket_store *, const json_t *, uint64_t, json_t **, struct err *);
static int list_objects(struct bucket_store *, const json_t *, uint64_t, json_t **, struct err *);
static int delete_object(struct bucket_store *, const json_t *, uint64_t, json_t **, struct err *);

static const struct {
	const char *action;
	s3_action_fn fn;
} actions[] = {
	{ "putObject", put_object },
	{ "getObject", get_object },
	{ "listObjectsV2", list_objects },
	{ "deleteObject", delete_object },
};

static s3_action_fn lookup(const char *resource)
{
	size_t n = strlen(S3_TASK_PREFIX);

	if (!resource || strncmp(resource, S3_TASK_PREFIX, n))
		return NULL;
	for (size_t i = 0; i < sizeof actions / sizeof *actions; i++)
		if (!strcmp(resource + n, actions[i].action))
			return actions[i].fn;
	return NULL;
}

bool s3_task_matches(const char *resource)
{
	return lookup(resource) != NULL;
}

int s3_task_invoke(struct bucket_store *bs, const char *resource, const json_t *params,
		   uint64_t deadline_ns, json_t **result, struct err *e)
{
	s3_action_fn fn = lookup(resource);

	*result = NULL;
	if (!fn)
		return err_set(e, ERR_STATES_RUNTIME, "'%.200s' is not an S3 task this runtime knows (putObject, getObject, listObjectsV2, deleteObject)",
			       resource ? resource : "(null)");
	if (!json_is_object(params))
		return err_set(e, ERR_STATES_RUNTIME, "the S3 task's Parameters must be an object");
	return fn(bs, params, deadline_ns, result, e);
}

/* A string field: required or optional (NULL when absent or null). */
static int str_field(const json_t *params, const char *name, bool required, const char **out,
		     struct err *e)
{
	const json_t *v = json_object_get(params, name);

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return err_set(e, ERR_STATES_RUNTIME, "the S3 task needs Parameters.%s (a string)", name);
		return 0;
	}
	if (!json_is_string(v))
		return err_set(e, ERR_STATES_RUNTIME, "Parameters.%s must be a string", name);
	*out = json_string_value(v);
	return 0;
}

static void iso8601(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* set `key` to a new value; returns -1 (out of memory) when any step failed. */
static int setn(json_t *obj, const char *key, json_t *v)
{
	return v ? json_object_set_new(obj, key, v) : -1;
}

static int oom(struct err *e)
{
	return err_set(e, ERR_STATES_RUNTIME, "out of memory building the S3 task's result");
}

static int put_object(struct bucket_store *bs, const json_t *params, uint64_t deadline_ns,
		      json_t **result, struct err *e)
{
	const char *bucket, *key, *ctype;
	const json_t *body = json_object_get(params, "Body");
	struct bucket_object_info info;
	char *text = NULL;
	const char *data = "";
	size_t len = 0;
	int rc = -1;

	if (str_field(params, "Bucket", true, &bucket, e) || str_field(params, "Key", true, &key, e) ||
	    str_field(params, "ContentType", false, &ctype, e))
		return -1;
	if (json_is_string(body)) {
		data = json_string_value(body);
		len = json_string_length(body);
	} else if (body) {
		/* The seed scenario: a JSON response stored as a JSON object. */
		text = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!text)
			return oom(e);
		data = text;
		len = strlen(text);
		if (!ctype)
			ctype = "application/json";
	}
	if (bucket_put(bs, bucket, key, data, len, ctype, deadline_ns, &info, e))
		goto out;
	*result = json_object();
	if (!*result || setn(*result, "ETag", json_string(info.etag))) {
		json_decref(*result);
		*result = NULL;
		oom(e);
		goto out;
	}
	rc = 0;
out:
	free(text);
	return rc;
}

static int get_object(struct bucket_store *bs, const json_t *params, uint64_t deadline_ns,
		      json_t **result, struct err *e)
{
	const char *bucket, *key;
	struct bucket_object_info info;
	struct buf body;
	json_t *r = NULL, *text;
	char when[32];
	int rc = -1;

	if (str_field(params, "Bucket", true, &bucket, e) || str_field(params, "Key", true, &key, e))
		return -1;
	buf_init(&body, 0);
	if (bucket_get(bs, bucket, key, deadline_ns, &body, &info, e))
		goto out;
	text = json_stringn(body.data ? body.data : "", body.len);
	if (!text) {
		err_set(e, ERR_S3_CLIENT, "the object's body is not UTF-8 text (%zu bytes); Step Functions returns Body as a string", body.len);
		goto out;
	}
	r = json_object();
	if (!r || setn(r, "Body", text) || setn(r, "ContentType", json_string(info.content_type)) ||
	    setn(r, "ContentLength", json_integer((json_int_t)info.size)) ||
	    setn(r, "ETag", json_string(info.etag)))
		goto nomem;
	if (info.last_modified) {
		iso8601(info.last_modified, when);
		if (setn(r, "LastModified", json_string(when)))
			goto nomem;
	}
	*result = r;
	r = NULL;
	rc = 0;
	goto out;
nomem:
	oom(e);
out:
	json_decref(r);
	buf_free(&body);
	return rc;
}

static int list_objects(struct bucket_store *bs, const json_t *params, uint64_t deadline_ns,
			json_t **result, struct err *e)
{
	struct bucket_list_req req = { .max_keys = BUCKET_LIST_MAX };
	struct bucket_list l = { 0 };
	const json_t *mk = json_object_get(params, "MaxKeys");
	json_t *r = NULL, *contents = NULL, *prefixes = NULL;
	const char *bucket;
	char when[32];
	int rc = -1;

	if (str_field(params, "Bucket", true, &bucket, e) ||
	    str_field(params, "Prefix", false, &req.prefix, e) ||
	    str_field(params, "Delimiter", false, &req.delimiter, e) ||
	    str_field(params, "ContinuationToken", false, &req.token, e) ||
	    str_field(params, "StartAfter", false, &req.start_after, e))
		return -1;
	if (mk && !json_is_null(mk)) {
		if (!json_is_integer(mk) || json_integer_value(mk) < 0)
			return err_set(e, ERR_STATES_RUNTIME, "Parameters.MaxKeys must be a non-negative integer");
		req.max_keys = json_integer_value(mk) > BUCKET_LIST_MAX ? BUCKET_LIST_MAX
									: (int)json_integer_value(mk);
	}
	if (bucket_list_objects(bs, bucket, &req, deadline_ns, &l, e))
		return -1;
	r = json_object();
	contents = json_array();
	prefixes = json_array();
	if (!r || !contents || !prefixes)
		goto nomem;
	for (size_t i = 0; i < l.n; i++) {
		json_t *o = json_object();

		if (json_array_append_new(contents, o) || setn(o, "Key", json_string(l.items[i].key)) ||
		    setn(o, "Size", json_integer((json_int_t)l.items[i].size)) ||
		    setn(o, "ETag", json_string(l.items[i].etag)) ||
		    setn(o, "StorageClass", json_string("STANDARD")))
			goto nomem;
		if (l.items[i].last_modified) {
			iso8601(l.items[i].last_modified, when);
			if (setn(o, "LastModified", json_string(when)))
				goto nomem;
		}
	}
	for (size_t i = 0; i < l.nprefixes; i++) {
		json_t *o = json_object();

		if (json_array_append_new(prefixes, o) || setn(o, "Prefix", json_string(l.prefixes[i])))
			goto nomem;
	}
	if (setn(r, "Name", json_string(bucket)) || setn(r, "Prefix", json_string(req.prefix ? req.prefix : "")) ||
	    setn(r, "MaxKeys", json_integer(req.max_keys)) ||
	    setn(r, "KeyCount", json_integer((json_int_t)(l.n + l.nprefixes))) ||
	    setn(r, "IsTruncated", json_boolean(l.truncated)))
		goto nomem;
	if (l.n && json_object_set(r, "Contents", contents))
		goto nomem;
	if (l.nprefixes && json_object_set(r, "CommonPrefixes", prefixes))
		goto nomem;
	if ((req.delimiter && setn(r, "Delimiter", json_string(req.delimiter))) ||
	    (req.token && setn(r, "ContinuationToken", json_string(req.token))) ||
	    (req.start_after && setn(r, "StartAfter", json_string(req.start_after))) ||
	    (l.truncated && l.next_token && setn(r, "NextContinuationToken", json_string(l.next_token))))
		goto nomem;
	*result = r;
	r = NULL;
	rc = 0;
	goto out;
nomem:
	oom(e);
out:
	json_decref(contents);
	json_decref(prefixes);
	json_decref(r);
	bucket_list_clear(&l);
	return rc;
}

static int delete_object(struct bucket_store *bs, const json_t *params, uint64_t deadline_ns,
			 json_t **result, struct err *e)
{
	const char *bucket, *key;

	if (str_field(params, "Bucket", true, &bucket, e) || str_field(params, "Key", true, &key, e))
		return -1;
	if (bucket_delete(bs, bucket, key, deadline_ns, e))
		return -1;
	*result = json_object();
	return *result ? 0 : oom(e);
}
