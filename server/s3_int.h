/* s3_int — the pure pieces of the S3 REST API (server/s3_api.c): XML
 * answers and the XML bodies S3 takes (libxml2), Range headers, the
 * aws-chunked framing, virtual-host names, URL encoding. Private to
 * server/ (tests/server/test_s3_proto.c tests them). No state: every
 * function is safe from any thread. */
#ifndef TUTTI_S3_INT_H
#define TUTTI_S3_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define S3_XMLNS          "http://s3.amazonaws.com/doc/2006-03-01/"
#define S3_XML_BODY_MAX   (2u << 20)     /* DeleteObjects, CompleteMultipartUpload bodies */
#define S3_DELETE_MAX     1000           /* keys in one DeleteObjects, as S3 */
#define S3_PARTS_MAX      10000          /* parts of a multipart upload, as S3 */
#define S3_CHUNK_LINE_MAX 4096           /* one aws-chunked header or trailer line */

/* A Range header against an object of `size` bytes (RFC 9110, one range
 * only, as S3): 0 with *off and *len for 206; 1 when there is none or it
 * is not a "bytes=" range S3 honours (answer the whole object, 200); -1
 * when it cannot be satisfied (416). */
int s3_parse_range(const char *hdr, uint64_t size, uint64_t *off, uint64_t *len);

/* The aws-chunked framing ("HEX[;chunk-signature=SIG]\r\nDATA\r\n" ...,
 * "0...\r\n", trailer lines, "\r\n"): fed the raw body in any pieces, it
 * passes the payload bytes to sink. Signatures are not checked here. */
struct s3_chunked {
	int state;
	uint64_t left;           /* payload bytes left in the current chunk */
	char line[S3_CHUNK_LINE_MAX];
	size_t ll;
};
/* 0, or -1 on a malformed frame (or sink's -1). */
int s3_chunked_feed(struct s3_chunked *c, const char *in, size_t n,
		    int (*sink)(void *arg, const char *p, size_t n), void *arg);
bool s3_chunked_done(const struct s3_chunked *c);

/* The bucket named by a Host header in virtual-host style, into bucket
 * (cap bytes): true for "BUCKET.localhost", "BUCKET.s3.localhost" and
 * "BUCKET.s3.ANYTHING" / "BUCKET.s3-ANYTHING" (as AWS's own endpoints),
 * with or without ":PORT"; false for anything else (IP addresses,
 * "localhost", other names: path style). */
bool s3_host_bucket(const char *host, char *bucket, size_t cap);

/* Whether a path's first segment belongs to another API of the server
 * (Lambda's dated prefixes "YYYY-MM-DD", Scheduler's "schedules",
 * "schedule-groups", "tags", and "health", "console"): never a bucket. */
bool s3_reserved_name(const char *seg, size_t n);

/* S3's URL encoding for encoding-type=url (all but unreserved and '/');
 * false when out is too small. */
bool s3_urlencode(const char *s, char *out, size_t cap);

/* "2024-05-01T12:00:00.000Z" and "Wed, 01 May 2024 12:00:00 GMT". */
void s3_iso8601(int64_t t, char out[32]);
void s3_http_date(int64_t t, char out[40]);

/* XML answers: a document under construction (libxml2's text writer). */
struct s3_xml;
struct s3_xml *s3_xml_new(const char *root);       /* with S3's xmlns */
void s3_xml_open(struct s3_xml *x, const char *name);
void s3_xml_close(struct s3_xml *x);
void s3_xml_text(struct s3_xml *x, const char *name, const char *text);
void s3_xml_u64(struct s3_xml *x, const char *name, uint64_t v);
/* Finish: the document (malloc'd, *len bytes) or NULL; frees x. */
char *s3_xml_finish(struct s3_xml *x, size_t *len);
void s3_xml_free(struct s3_xml *x);

/* <Error><Code/><Message/><Resource/><RequestId/></Error>. */
char *s3_error_xml(const char *code, const char *msg, const char *resource, const char *request_id,
		   size_t *len);

/* DeleteObjects' <Delete><Object><Key>..</Key></Object>...<Quiet/></Delete>:
 * 0 with *keys (malloc'd array of malloc'd keys, s3_keys_free) or -1 with
 * msg (MalformedXML). */
int s3_parse_delete(const char *body, size_t len, char ***keys, size_t *n, bool *quiet, char *msg,
		    size_t msgcap);
void s3_keys_free(char **keys, size_t n);

/* CompleteMultipartUpload's <CompleteMultipartUpload><Part><PartNumber/>
 * <ETag/></Part>...: 0 with the parts (malloc'd; ETags as given) or -1. */
struct s3_part_ref {
	int number;
	char etag[80];
};
int s3_parse_complete(const char *body, size_t len, struct s3_part_ref **parts, size_t *n, char *msg,
		      size_t msgcap);

#endif
