/* s3_task — Step Functions' S3 SDK integration tasks:
 *   arn:aws:states:::aws-sdk:s3:putObject       Bucket, Key, Body, ContentType
 *   arn:aws:states:::aws-sdk:s3:getObject       Bucket, Key
 *   arn:aws:states:::aws-sdk:s3:listObjectsV2   Bucket, Prefix, Delimiter,
 *                                               MaxKeys, ContinuationToken,
 *                                               StartAfter
 *   arn:aws:states:::aws-sdk:s3:deleteObject    Bucket, Key
 * A task's resolved Parameters (a JSON object) go to a bucket store
 * (bucket.h) and come back as the result object the AWS SDK would give:
 *   putObject     {"ETag"}
 *   getObject     {"Body" (a string), "ContentType", "ContentLength",
 *                  "ETag", "LastModified"}
 *   listObjectsV2 {"Name", "Prefix", "MaxKeys", "KeyCount", "IsTruncated",
 *                  "Contents": [{"Key","Size","ETag","LastModified",
 *                  "StorageClass"}] (absent when empty), "CommonPrefixes",
 *                  "Delimiter", "ContinuationToken", "NextContinuationToken",
 *                  "StartAfter" (each when it applies)}
 *   deleteObject  {}
 * A Body that is a JSON object, array, number, boolean or null is stored as
 * its compact JSON text (ContentType application/json unless given); a
 * string Body is stored as its UTF-8 bytes. LastModified is ISO 8601 UTC
 * ("2024-05-01T12:00:00Z").
 *
 * Errors: the bucket store's (bucket.h: S3.NoSuchKeyException,
 * S3.NoSuchBucketException, S3.S3Exception, S3.SdkClientException,
 * States.Timeout, States.DataLimitExceeded); States.Runtime for Parameters
 * of the wrong shape (missing Bucket, a MaxKeys that is not an integer...);
 * S3.SdkClientException for a getObject Body that is not UTF-8 text (a
 * string is all Step Functions can return).
 *
 * Ownership: `params` is borrowed; *result is a new reference the caller
 * decrefs. Thread-safety: as thread-safe as the store (bucket.h: yes). */
#ifndef TUTTI_S3_TASK_H
#define TUTTI_S3_TASK_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "bucket.h"
#include "err.h"

#define S3_TASK_PREFIX "arn:aws:states:::aws-sdk:s3:"

/* Does this Task Resource name one of the S3 tasks above? */
bool s3_task_matches(const char *resource);

/* Run the S3 task `resource` with `params` against `bs`, before
 * `deadline_ns` (CLOCK_MONOTONIC; 0: none). 0 with *result, or -1 with `e`. */
int s3_task_invoke(struct bucket_store *bs, const char *resource, const json_t *params,
		   uint64_t deadline_ns, json_t **result, struct err *e);

/* ---- a Map's ItemReader (s3_items.c) ----
 * "arn:aws:states:::s3:getObject" reads the object Parameters.Key of
 * Parameters.Bucket as the reader's InputType says: JSON (an array: its
 * elements), JSONL (one value per non-blank line), CSV (RFC 4180 records
 * with the reader's delimiter; an object per record keyed by the header
 * row or CSVHeaders, every value a string; a row whose field count differs
 * from the header's is an error); MANIFEST is not supported.
 * "arn:aws:states:::s3:listObjectsV2" lists Parameters.Bucket under
 * Parameters.Prefix, every page, each object as {"Etag", "Key",
 * "LastModified" (Unix seconds), "Size", "StorageClass"}.
 * `max_items` (0: all) stops the read early. Every error is
 * States.ItemReaderFailed, its cause naming the object and, for a store
 * error, the store's error name. */
#define S3_ITEMS_BYTES_MAX   (8 * 1024 * 1024) /* bytes of an object read */
#define S3_ITEMS_MAX         100000            /* items of one read */
#define S3_ITEMS_FIELDS_MAX  1000000           /* CSV fields of one object */
#define S3_ITEMS_JSON_MEM_MAX (128 * 1024 * 1024) /* jansson's memory for a JSON/JSONL object, estimated */

struct asl_item_reader;

/* Is this an ItemReader Resource (canonical spelling) s3_read_items serves? */
bool s3_reader_matches(const char *resource);

/* deadline_ns (CLOCK_MONOTONIC, 0: none) has passed. */
bool s3_deadline_passed(uint64_t deadline_ns);
/* 0 with *items (a new array), or -1 with e. */
int s3_read_items(struct bucket_store *bs, const struct asl_item_reader *r, const json_t *params,
		  uint64_t max_items, uint64_t deadline_ns, json_t **items, struct err *e);

/* ---- a Map's ResultWriter (s3_items.c) ----
 * "arn:aws:states:::s3:putObject" with the engine's input (engine.h,
 * task_call_writer): writes PREFIX/RUN/SUCCEEDED_0.json and FAILED_0.json
 * (.jsonl with OutputType JSONL; only the non-empty ones; as AWS, the next
 * records go to SUCCEEDED_1.json, ... once a file would exceed the store's
 * object limit) and
 * PREFIX/RUN/manifest.json ({"DestinationBucket", "MapRunArn",
 * "ResultFiles": {"FAILED", "PENDING", "SUCCEEDED": [{"Key", "Size"}]}}),
 * RUN being the map run's id. *out: {"MapRunArn", "ResultWriterDetails":
 * {"Bucket", "Key" (the manifest's)}}. Errors: States.ResultWriterFailed
 * (one record over the store's object limit among them). */
bool s3_writer_matches(const char *resource);
int s3_write_results(struct bucket_store *bs, const json_t *in, uint64_t deadline_ns, json_t **out,
		     struct err *e);

#endif
