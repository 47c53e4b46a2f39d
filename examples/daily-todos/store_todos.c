/* store_todos — the second variant's store step: the function writes the
 * object to the bucket itself, through the s3 layer (tutti_s3.h).
 *
 * Event: {"bucket": "...", "key": "...", "body": <any JSON>}.
 * Result: {"bucket", "key", "bytes"}.
 * Errors: the layer's names (S3.NoSuchBucketException, S3.S3Exception,
 * S3.SdkClientException, States.Timeout ...), Store.BadInput.
 * Needs: --network, the s3 and jansson layers, and the endpoint and keys
 * in its environment (AWS_ENDPOINT_URL_S3, S3_ACCESS_KEY_ID,
 * S3_SECRET_ACCESS_KEY, TUTTI_S3_PATH_STYLE=1 ...): a sandbox cannot reach
 * tutti's file-backed buckets. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tutti.h>
#include <tutti_s3.h>

static tutti_s3 *s3;

int init(tt_ctx *ctx)
{
	char err[512];

	s3 = tutti_s3_from_env(err, sizeof err);
	if (!s3)
		return tt_raise(ctx, "Store.Config", "%s", err);
	return 0;
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	json_error_t je;
	json_t *in = json_loadb(event, len, 0, &je);
	const char *bucket, *key;
	char *text = NULL, err[512], out[1024];
	int rc;

	if (!in)
		return tt_raise(ctx, "Store.BadInput", "the event is not a JSON object: %s", je.text);
	bucket = json_string_value(json_object_get(in, "bucket"));
	key = json_string_value(json_object_get(in, "key"));
	if (!bucket || !key || !json_object_get(in, "body")) {
		rc = tt_raise(ctx, "Store.BadInput", "bucket, key and body are required");
		goto out;
	}
	text = json_dumps(json_object_get(in, "body"), JSON_ENCODE_ANY | JSON_COMPACT);
	if (!text) {
		rc = tt_raise(ctx, "Store.BadInput", "cannot serialise the body");
		goto out;
	}
	if (tutti_s3_put(s3, bucket, key, text, strlen(text), "application/json", err, sizeof err)) {
		rc = tt_raise(ctx, tutti_s3_error_name(s3), "%s", err);
		goto out;
	}
	printf("stored s3://%s/%s (%zu bytes)\n", bucket, key, strlen(text));
	{
		json_t *o = json_pack("{s:s, s:s, s:I}", "bucket", bucket, "key", key, "bytes",
				      (json_int_t)strlen(text));
		char *s = json_dumps(o, JSON_COMPACT);

		snprintf(out, sizeof out, "%s", s ? s : "null");
		free(s);
		json_decref(o);
	}
	rc = tt_return(ctx, out, 0);
out:
	free(text);
	json_decref(in);
	return rc;
}
