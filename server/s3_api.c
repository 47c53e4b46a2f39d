/* s3_api — the bucket store as S3's REST API (s3_api.h). One request is a
 * struct s3req from its headers to its end: the operation is decided when
 * the headers are in (errors found then are answered before the body is
 * read: a client sending Expect: 100-continue never uploads it), the body
 * goes to a temporary file (objects, parts) or a capped buffer (XML), and
 * the operation runs when the body has ended. */
#include "s3_api.h"
#include "s3_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/evp.h>

#include "bucket.h"
#include "buf.h"

#define SMALL_BODY_MAX  (64u * 1024)      /* bodies S3 ignores here (CreateBucketConfiguration) */
#define DISCARD_MAX     (16u << 20)       /* body bytes read and dropped after an error */
#define UPLOAD_ID_LEN   32

struct s3_api {
	struct bucket_store *bs;
	char root[PATH_MAX];     /* home/buckets */
	char tmpdir[PATH_MAX];   /* home/s3-tmp */
	char updir[PATH_MAX];    /* home/s3-uploads */
	struct http_stream_route route;
	atomic_ulong reqno;
};

enum op {
	OP_NONE, OP_LIST_BUCKETS, OP_CREATE_BUCKET, OP_DELETE_BUCKET, OP_HEAD_BUCKET, OP_LOCATION,
	OP_LIST_V1, OP_LIST_V2, OP_LIST_UPLOADS, OP_DELETE_OBJECTS, OP_PUT_OBJECT, OP_COPY_OBJECT,
	OP_GET_OBJECT, OP_HEAD_OBJECT, OP_DELETE_OBJECT, OP_CREATE_MPU, OP_UPLOAD_PART, OP_COMPLETE_MPU,
	OP_ABORT_MPU, OP_LIST_PARTS,
};

enum body_kind { BODY_MEM, BODY_FILE };

struct s3req {
	enum op op;
	char bucket[BUCKET_NAME_MAX + 1];
	char key[BUCKET_KEY_MAX + 1];
	char resource[BUCKET_NAME_MAX + BUCKET_KEY_MAX + 4];
	char reqid[24];
	enum body_kind body;
	int fd;                  /* BODY_FILE: an unnamed temporary file */
	uint64_t size, max;
	EVP_MD_CTX *md5;
	bool chunked;
	struct s3_chunked ch;
	struct buf mem;
	int part;                /* OP_UPLOAD_PART */
	char upload_id[UPLOAD_ID_LEN + 1];
	/* An error met while the body came in, answered once it has. */
	bool failed;
	unsigned estatus;
	char ecode[48];
	char emsg[512];
	size_t dropped;
};

/* ---- answers ------------------------------------------------------------------- */

static enum MHD_Result queue(struct MHD_Connection *c, struct s3req *q, unsigned status, struct MHD_Response *r)
{
	enum MHD_Result ok;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "x-amz-request-id", q->reqid);
	MHD_add_response_header(r, "x-amz-id-2", q->reqid);
	MHD_add_response_header(r, "Server", "tutti");
	/* An object is the user's bytes, served from the console's origin: a
	 * browser must not run it as a page of that origin (an HTML object
	 * could drive every API as a same-origin page). The sandbox makes it an
	 * opaque origin without scripts; nosniff keeps types as declared. */
	MHD_add_response_header(r, "Content-Security-Policy", "sandbox");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

/* body is malloc'd and taken. */
static struct MHD_Response *from_buf(char *body, size_t len, const char *ctype)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body ? body : (char *)"",
								 body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);

	if (!r) {
		free(body);
		return NULL;
	}
	if (ctype)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	return r;
}

static enum MHD_Result fail(struct MHD_Connection *c, struct s3req *q, unsigned status, const char *code,
			    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static enum MHD_Result fail(struct MHD_Connection *c, struct s3req *q, unsigned status, const char *code,
			    const char *fmt, ...)
{
	char msg[600];
	size_t len = 0;
	char *body;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	body = s3_error_xml(code, msg, q->resource, q->reqid, &len);
	return queue(c, q, status, from_buf(body, body ? len : 0, "application/xml"));
}

static enum MHD_Result xml_ok(struct MHD_Connection *c, struct s3req *q, struct s3_xml *x)
{
	size_t len = 0;
	char *body = s3_xml_finish(x, &len);

	if (!body)
		return fail(c, q, 500, "InternalError", "cannot encode the answer (a key that is not UTF-8?)");
	return queue(c, q, 200, from_buf(body, len, "application/xml"));
}

static enum MHD_Result empty(struct MHD_Connection *c, struct s3req *q, unsigned status)
{
	return queue(c, q, status, from_buf(NULL, 0, NULL));
}

/* A bucket store error (bucket.h) as S3's code and status. */
static enum MHD_Result store_fail(struct MHD_Connection *c, struct s3req *q, const struct err *e)
{
	char code[48];
	const char *msg = e->msg;
	size_t n;

	if (!strcmp(e->type, err_name(ERR_S3_NO_SUCH_KEY)))
		return fail(c, q, 404, "NoSuchKey", "The specified key does not exist.");
	if (!strcmp(e->type, err_name(ERR_S3_NO_SUCH_BUCKET)))
		return fail(c, q, 404, "NoSuchBucket", "The specified bucket does not exist");
	if (!strcmp(e->type, err_name(ERR_S3_BUCKET_EXISTS)))
		return fail(c, q, 409, "BucketAlreadyOwnedByYou", "%s", msg);
	if (!strcmp(e->type, err_name(ERR_STATES_DATA_LIMIT)))
		return fail(c, q, 400, "EntityTooLarge", "%s", msg);
	if (!strcmp(e->type, err_name(ERR_S3_EXCEPTION))) {
		/* "Code: message" */
		n = strcspn(msg, ":");
		if (msg[n] == ':' && n < sizeof code && n) {
			memcpy(code, msg, n);
			code[n] = '\0';
			msg += n + 1 + (msg[n + 1] == ' ');
			return fail(c, q, !strcmp(code, "BucketNotEmpty") ? 409 : 400, code, "%s", msg);
		}
		return fail(c, q, 400, "InvalidRequest", "%s", msg);
	}
	return fail(c, q, 500, "InternalError", "%s", msg);
}

/* ---- request helpers -------------------------------------------------------------- */

static bool has_arg(struct MHD_Connection *c, const char *name)
{
	const char *v = NULL;
	size_t vn = 0;

	return MHD_lookup_connection_value_n(c, MHD_GET_ARGUMENT_KIND, name, strlen(name), &v, &vn) == MHD_YES;
}

static const char *arg(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

static const char *hdr(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static bool bucket_exists(struct s3_api *s, const char *bucket)
{
	char p[PATH_MAX + BUCKET_NAME_MAX + 2];
	struct stat st;

	snprintf(p, sizeof p, "%s/%s", s->root, bucket);
	return lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void set_failed(struct s3req *q, unsigned status, const char *code, const char *msg)
{
	if (q->failed)
		return;
	q->failed = true;
	q->estatus = status;
	snprintf(q->ecode, sizeof q->ecode, "%s", code);
	snprintf(q->emsg, sizeof q->emsg, "%s", msg);
}

/* Payload bytes (after the aws-chunked framing, if any). */
static int sink(void *arg, const char *p, size_t n)
{
	struct s3req *q = arg;
	int r;

	if (n > q->max - q->size) {
		set_failed(q, 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size");
		return -1;
	}
	if (q->body == BODY_MEM) {
		if (buf_append(&q->mem, p, n)) {
			set_failed(q, 400, "MaxMessageLengthExceeded", "Your request was too big.");
			return -1;
		}
	} else {
		r = write_all(q->fd, p, n);
		if (r) {
			set_failed(q, 500, "InternalError", strerror(-r));
			return -1;
		}
		EVP_DigestUpdate(q->md5, p, n);
	}
	q->size += n;
	return 0;
}

static void hex(const unsigned char *md, unsigned n, char *out)
{
	for (unsigned i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
	out[2 * n] = '\0';
}

/* The MD5 of what was uploaded; checks Content-MD5 when sent. */
static int upload_md5(struct MHD_Connection *c, struct s3req *q, char etag[BUCKET_ETAG_MAX], unsigned char md[16])
{
	const char *want = hdr(c, "Content-MD5");
	unsigned int n = 0;
	unsigned char dec[64];

	if (!EVP_DigestFinal_ex(q->md5, md, &n) || n != 16)
		return -1;
	etag[0] = '"';
	hex(md, 16, etag + 1);
	strcat(etag, "\"");
	if (want) {
		size_t wl = strlen(want);

		if (wl != 24 || EVP_DecodeBlock(dec, (const unsigned char *)want, 24) != 18) {
			set_failed(q, 400, "InvalidDigest", "The Content-MD5 you specified was invalid.");
			return -1;
		}
		if (memcmp(dec, md, 16)) {
			set_failed(q, 400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
			return -1;
		}
	}
	return 0;
}

struct meta_acc {
	char out[BUCKET_META_MAX];
	size_t len;
	bool over;
};

static enum MHD_Result meta_each(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct meta_acc *m = cls;
	int n;

	(void)kind;
	if (strncasecmp(key, "x-amz-meta-", 11) || !key[11])
		return MHD_YES;
	n = snprintf(m->out + m->len, sizeof m->out - m->len, "%s:%s\n", key + 11, value ? value : "");
	if (n < 0 || (size_t)n >= sizeof m->out - m->len) {
		m->over = true;
		return MHD_NO;
	}
	for (char *p = m->out + m->len; *p != ':'; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	m->len += (size_t)n;
	return MHD_YES;
}

/* x-amz-meta-* of the request, as bucket.h keeps them; -1 over 2 KB. */
static int request_meta(struct MHD_Connection *c, struct meta_acc *m)
{
	memset(m, 0, sizeof *m);
	MHD_get_connection_values(c, MHD_HEADER_KIND, meta_each, m);
	return m->over ? -1 : 0;
}

/* The stored metadata lines as x-amz-meta-* headers. */
static void add_meta_headers(struct MHD_Response *r, const char *meta)
{
	char name[300], line[BUCKET_META_MAX];

	while (*meta) {
		size_t n = strcspn(meta, "\n"), k;

		snprintf(line, sizeof line, "%.*s", (int)n, meta);
		k = strcspn(line, ":");
		if (line[k] == ':' && k < 256) {
			snprintf(name, sizeof name, "x-amz-meta-%.*s", (int)k, line);
			MHD_add_response_header(r, name, line + k + 1);
		}
		meta += n + (meta[n] == '\n');
	}
}

/* ---- multipart staging ------------------------------------------------------------- */

static bool upload_id_valid(const char *id)
{
	if (!id || strlen(id) != UPLOAD_ID_LEN)
		return false;
	for (const char *p = id; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* The upload's directory fd when it exists and is for bucket/key, else -1. */
static int upload_dir(struct s3_api *s, const char *id, const char *bucket, const char *key, char *ctype,
		      char *meta)
{
	char p[PATH_MAX + 64], info[BUCKET_KEY_MAX + BUCKET_META_MAX + BUCKET_CTYPE_MAX + 128];
	int dfd, fd;
	ssize_t n;
	size_t bl = strlen(bucket), kl = strlen(key);

	if (!upload_id_valid(id))
		return -1;
	snprintf(p, sizeof p, "%s/%s", s->updir, id);
	dfd = open(p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	fd = openat(dfd, "info", O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, info, sizeof info - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n < 0)
		goto bad;
	info[n] = '\0';
	/* bucket \n key \n ctype \n meta... */
	if (strncmp(info, bucket, bl) || info[bl] != '\n' || strncmp(info + bl + 1, key, kl) ||
	    info[bl + 1 + kl] != '\n')
		goto bad;
	{
		const char *ct = info + bl + kl + 2;
		size_t cl = strcspn(ct, "\n");

		if (ctype)
			snprintf(ctype, BUCKET_CTYPE_MAX, "%.*s", (int)cl, ct);
		if (meta)
			snprintf(meta, BUCKET_META_MAX, "%s", ct[cl] ? ct + cl + 1 : "");
	}
	return dfd;
bad:
	close(dfd);
	return -1;
}

static void remove_upload(struct s3_api *s, const char *id)
{
	char p[PATH_MAX + 64];
	DIR *d;
	struct dirent *de;

	snprintf(p, sizeof p, "%s/%s", s->updir, id);
	d = opendir(p);
	if (d) {
		while ((de = readdir(d)))
			if (de->d_name[0] != '.')
				unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	rmdir(p);
}

/* ---- operations ---------------------------------------------------------------------- */

static enum MHD_Result list_buckets(struct s3_api *s, struct MHD_Connection *c, struct s3req *q)
{
	struct err e = { 0 };
	char **names = NULL, when[32], p[PATH_MAX + BUCKET_NAME_MAX + 2];
	size_t n = 0;
	struct s3_xml *x;
	enum MHD_Result ok;

	if (bucket_list_buckets(s->bs, 0, &names, &n, &e))
		return store_fail(c, q, &e);
	x = s3_xml_new("ListAllMyBucketsResult");
	if (!x) {
		bucket_names_free(names, n);
		return MHD_NO;
	}
	s3_xml_open(x, "Owner");
	s3_xml_text(x, "ID", "tutti");
	s3_xml_text(x, "DisplayName", "tutti");
	s3_xml_close(x);
	s3_xml_open(x, "Buckets");
	for (size_t i = 0; i < n; i++) {
		struct stat st;

		snprintf(p, sizeof p, "%s/%s", s->root, names[i]);
		s3_iso8601(stat(p, &st) == 0 ? st.st_ctim.tv_sec : 0, when);
		s3_xml_open(x, "Bucket");
		s3_xml_text(x, "Name", names[i]);
		s3_xml_text(x, "CreationDate", when);
		s3_xml_close(x);
	}
	s3_xml_close(x);
	bucket_names_free(names, n);
	ok = xml_ok(c, q, x);
	return ok;
}

static enum MHD_Result create_bucket(struct s3_api *s, struct MHD_Connection *c, struct s3req *q)
{
	struct err e = { 0 };
	struct MHD_Response *r;
	char loc[BUCKET_NAME_MAX + 2];

	if (s3_reserved_name(q->bucket, strlen(q->bucket)))
		return fail(c, q, 400, "InvalidBucketName",
			    "The bucket name '%s' is reserved: tutti serves another API under /%s", q->bucket,
			    q->bucket);
	if (bucket_create(s->bs, q->bucket, 0, &e))
		return store_fail(c, q, &e);
	r = from_buf(NULL, 0, NULL);
	snprintf(loc, sizeof loc, "/%s", q->bucket);
	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc);
	return queue(c, q, 200, r);
}

static int parse_max_keys(struct MHD_Connection *c, int *out)
{
	const char *v = arg(c, "max-keys");
	char *end;
	long n;

	*out = BUCKET_LIST_MAX;
	if (!v)
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < 0)
		return -1;
	*out = n > BUCKET_LIST_MAX ? BUCKET_LIST_MAX : (int)n;
	return 0;
}

/* A key or prefix in a listing, URL-encoded when asked. */
static void list_text(struct s3_xml *x, const char *name, const char *v, bool url)
{
	char enc[3 * BUCKET_KEY_MAX + 1];

	if (url && s3_urlencode(v, enc, sizeof enc))
		s3_xml_text(x, name, enc);
	else
		s3_xml_text(x, name, v);
}

static enum MHD_Result list_objects(struct s3_api *s, struct MHD_Connection *c, struct s3req *q, bool v2)
{
	struct bucket_list_req lr = { 0 };
	struct bucket_list l = { 0 };
	struct err e = { 0 };
	const char *enc = arg(c, "encoding-type"), *marker = arg(c, "marker");
	char when[32], after[BUCKET_KEY_MAX + 2];
	bool url = enc && !strcmp(enc, "url");
	struct s3_xml *x;
	int max;

	if (enc && !url)
		return fail(c, q, 400, "InvalidArgument", "Invalid Encoding Method specified in Request");
	if (parse_max_keys(c, &max))
		return fail(c, q, 400, "InvalidArgument", "Provided max-keys not an integer or within integer range");
	lr.prefix = arg(c, "prefix");
	lr.delimiter = arg(c, "delimiter");
	lr.max_keys = max;
	if (v2) {
		lr.token = arg(c, "continuation-token");
		lr.start_after = arg(c, "start-after");
	} else if (marker && *marker) {
		size_t ml = strlen(marker), dl = lr.delimiter ? strlen(lr.delimiter) : 0;

		/* A marker that is a common prefix skips everything under it:
		 * keys are UTF-8, in which no byte is 0xff. */
		if (dl && ml >= dl && !strcmp(marker + ml - dl, lr.delimiter) && ml < BUCKET_KEY_MAX)
			snprintf(after, sizeof after, "%s\xff", marker);
		else
			snprintf(after, sizeof after, "%s", marker);
		lr.start_after = after;
	}
	if (lr.token && !*lr.token)
		return fail(c, q, 400, "InvalidArgument", "The continuation token provided is incorrect");
	if (bucket_list_objects(s->bs, q->bucket, &lr, 0, &l, &e))
		return store_fail(c, q, &e);
	x = s3_xml_new("ListBucketResult");
	if (!x) {
		bucket_list_clear(&l);
		return MHD_NO;
	}
	s3_xml_text(x, "Name", q->bucket);
	list_text(x, "Prefix", lr.prefix ? lr.prefix : "", url);
	if (v2) {
		if (lr.start_after)
			list_text(x, "StartAfter", lr.start_after, url);
		if (lr.token)
			s3_xml_text(x, "ContinuationToken", lr.token);
		s3_xml_u64(x, "KeyCount", l.n + l.nprefixes);
	} else {
		list_text(x, "Marker", marker ? marker : "", url);
	}
	s3_xml_u64(x, "MaxKeys", (uint64_t)max);
	if (lr.delimiter)
		list_text(x, "Delimiter", lr.delimiter, url);
	if (url)
		s3_xml_text(x, "EncodingType", "url");
	s3_xml_text(x, "IsTruncated", l.truncated ? "true" : "false");
	if (l.truncated && v2 && l.next_token)
		s3_xml_text(x, "NextContinuationToken", l.next_token);
	if (l.truncated && !v2) {
		/* The last key or prefix of the page, whichever sorts last. */
		const char *last = l.n ? l.items[l.n - 1].key : NULL;

		if (l.nprefixes && (!last || strcmp(l.prefixes[l.nprefixes - 1], last) > 0))
			last = l.prefixes[l.nprefixes - 1];
		if (last)
			list_text(x, "NextMarker", last, url);
	}
	for (size_t i = 0; i < l.n; i++) {
		s3_xml_open(x, "Contents");
		list_text(x, "Key", l.items[i].key, url);
		s3_iso8601(l.items[i].last_modified, when);
		s3_xml_text(x, "LastModified", when);
		if (l.items[i].etag[0])
			s3_xml_text(x, "ETag", l.items[i].etag);
		s3_xml_u64(x, "Size", l.items[i].size);
		s3_xml_text(x, "StorageClass", "STANDARD");
		s3_xml_close(x);
	}
	for (size_t i = 0; i < l.nprefixes; i++) {
		s3_xml_open(x, "CommonPrefixes");
		list_text(x, "Prefix", l.prefixes[i], url);
		s3_xml_close(x);
	}
	bucket_list_clear(&l);
	return xml_ok(c, q, x);
}

static enum MHD_Result delete_objects(struct s3_api *s, struct MHD_Connection *c, struct s3req *q)
{
	char **keys = NULL, msg[256];
	size_t n = 0;
	bool quiet;
	struct s3_xml *x;

	if (!bucket_exists(s, q->bucket))
		return fail(c, q, 404, "NoSuchBucket", "The specified bucket does not exist");
	if (s3_parse_delete(q->mem.data, q->mem.len, &keys, &n, &quiet, msg, sizeof msg))
		return fail(c, q, 400, "MalformedXML", "%s", msg);
	x = s3_xml_new("DeleteResult");
	if (!x) {
		s3_keys_free(keys, n);
		return MHD_NO;
	}
	for (size_t i = 0; i < n; i++) {
		struct err e = { 0 };

		if (!bucket_delete(s->bs, q->bucket, keys[i], 0, &e)) {
			if (!quiet) {
				s3_xml_open(x, "Deleted");
				s3_xml_text(x, "Key", keys[i]);
				s3_xml_close(x);
			}
			continue;
		}
		s3_xml_open(x, "Error");
		s3_xml_text(x, "Key", keys[i]);
		s3_xml_text(x, "Code", strncmp(e.msg, "KeyTooLongError", 15) ? "InvalidArgument" : "KeyTooLongError");
		s3_xml_text(x, "Message", e.msg);
		s3_xml_close(x);
	}
	s3_keys_free(keys, n);
	return xml_ok(c, q, x);
}

static enum MHD_Result put_object(struct s3_api *s, struct MHD_Connection *c, struct s3req *q)
{
	struct bucket_object_info info = { 0 };
	struct bucket_put_opts o = { 0 };
	struct meta_acc m;
	struct err e = { 0 };
	struct MHD_Response *r;
	unsigned char md[16];
	char etag[BUCKET_ETAG_MAX];

	if (upload_md5(c, q, etag, md))
		return fail(c, q, q->estatus ? q->estatus : 500, q->ecode[0] ? q->ecode : "InternalError", "%s", q->emsg);
	if (request_meta(c, &m))
		return fail(c, q, 400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.");
	o.content_type = hdr(c, MHD_HTTP_HEADER_CONTENT_TYPE);
	o.etag = etag;
	o.meta = m.out;
	if (bucket_put_fd(s->bs, q->bucket, q->key, q->fd, q->size, &o, 0, &info, &e))
		return store_fail(c, q, &e);
	r = from_buf(NULL, 0, NULL);
	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, info.etag);
	return queue(c, q, 200, r);
}

/* "/bucket/key" or "bucket/key", URL-encoded, maybe "?versionId=..." */
static int copy_source(const char *v, char *bucket, char *key)
{
	char dec[3 * (BUCKET_NAME_MAX + BUCKET_KEY_MAX) + 8];
	size_t n = 0, bl;
	const char *slash;

	if (*v == '/')
		v++;
	for (; *v && *v != '?'; v++) {
		int ch = (unsigned char)*v;

		if (*v == '%' && v[1] && v[2]) {
			char h[3] = { v[1], v[2], 0 };
			char *end;
			long x = strtol(h, &end, 16);

			if (*end || !x)
				return -1;
			ch = (int)x;
			v += 2;
		}
		if (n + 1 >= sizeof dec)
			return -1;
		dec[n++] = (char)ch;
	}
	dec[n] = '\0';
	slash = strchr(dec, '/');
	if (!slash)
		return -1;
	bl = (size_t)(slash - dec);
	if (!bl || bl > BUCKET_NAME_MAX || !slash[1] || strlen(slash + 1) > BUCKET_KEY_MAX)
		return -1;
	memcpy(bucket, dec, bl);
	bucket[bl] = '\0';
	strcpy(key, slash + 1);
	return 0;
}

static enum MHD_Result copy_object(struct s3_api *s, struct MHD_Connection *c, struct s3req *q)
{
	char sb[BUCKET_NAME_MAX + 1], sk[BUCKET_KEY_MAX + 1], when[32];
	const char *dir = hdr(c, "x-amz-metadata-directive");
	bool replace = dir && !strcasecmp(dir, "REPLACE");
	struct bucket_object_info src = { 0 }, info = { 0 };
	struct bucket_put_opts o = { 0 };
	struct meta_acc m;
	struct err e = { 0 };
	struct s3_xml *x;
	int fd = -1;
	enum MHD_Result ok;

	if (dir && !replace && strcasecmp(dir, "COPY"))
		return fail(c, q, 400, "InvalidArgument", "Unknown metadata directive.");
	if (copy_source(hdr(c, "x-amz-copy-source"), sb, sk))
		return fail(c, q, 400, "InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
	if (!replace && !strcmp(sb, q->bucket) && !strcmp(sk, q->key))
		return fail(c, q, 400, "InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
	if (request_meta(c, &m))
		return fail(c, q, 400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.");
	if (bucket_open_object(s->bs, sb, sk, 0, &fd, &src, &e))
		return store_fail(c, q, &e);
	o.content_type = replace ? hdr(c, MHD_HTTP_HEADER_CONTENT_TYPE) : src.content_type;
	o.meta = replace ? m.out : src.meta;
	o.etag = strchr(src.etag, '-') ? NULL : src.etag;   /* a multipart ETag is not the copy's */
	if (bucket_put_fd(s->bs, q->bucket, q->key, fd, src.size, &o, 0, &info, &e)) {
		close(fd);
		return store_fail(c, q, &e);
	}
	close(fd);
	x = s3_xml_new("CopyObjectResult");
	if (!x)
		return MHD_NO;
	s3_iso8601(info.last_modified, when);
	s3_xml_text(x, "LastModified", when);
	s3_xml_text(x, "ETag", info.etag);
	ok = xml_ok(c, q, x);
	return ok;
}

static enum MHD_Result get_object(struct s3_api *s, struct MHD_Connection *c, struct s3req *q, bool head)
{
	struct bucket_object_info info = { 0 };
	struct MHD_Response *r;
	struct err e = { 0 };
	uint64_t off = 0, len;
	char date[40], cr[80];
	unsigned status = 200;
	int fd = -1, rr;

	if (bucket_open_object(s->bs, q->bucket, q->key, 0, &fd, &info, &e))
		return store_fail(c, q, &e);
	len = info.size;
	rr = head ? 1 : s3_parse_range(hdr(c, "Range"), info.size, &off, &len);
	if (rr < 0) {
		close(fd);
		r = NULL;
		{
			size_t n = 0;
			char *body = s3_error_xml("InvalidRange", "The requested range is not satisfiable",
						  q->resource, q->reqid, &n);

			r = from_buf(body, body ? n : 0, "application/xml");
		}
		snprintf(cr, sizeof cr, "bytes */%llu", (unsigned long long)info.size);
		if (r)
			MHD_add_response_header(r, "Content-Range", cr);
		return queue(c, q, 416, r);
	}
	if (rr == 0) {
		status = 206;
		snprintf(cr, sizeof cr, "bytes %llu-%llu/%llu", (unsigned long long)off,
			 (unsigned long long)(off + len - 1), (unsigned long long)info.size);
	}
	if (!len) {
		close(fd);
		r = from_buf(NULL, 0, NULL);
	} else {
		r = MHD_create_response_from_fd_at_offset64(len, fd, off);   /* takes fd */
		if (!r)
			close(fd);
	}
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, info.content_type[0] ? info.content_type
								  : "application/octet-stream");
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, info.etag);
	s3_http_date(info.last_modified, date);
	MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, date);
	MHD_add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
	if (status == 206)
		MHD_add_response_header(r, "Content-Range", cr);
	add_meta_headers(r, info.meta);
	return queue(c, q, status, r);
}

static void random_hex(char *out, size_t n)
{
	unsigned char b[64];

	if (getrandom(b, n / 2, 0) != (ssize_t)(n / 2))
		memset(b, 0x5a, n / 2);
	hex(b, (unsigned)(n / 2), out);
}

static enum MHD_Result create_mpu(struct s3_api *s, struct MHD_Connection *c, struct s3req *q)
{
	char id[UPLOAD_ID_LEN + 1], p[PATH_MAX + 64];
	const char *ct = hdr(c, MHD_HTTP_HEADER_CONTENT_TYPE);
	struct meta_acc m;
	struct s3_xml *x;
	int fd, r = -1;
	FILE *f;

	if (!bucket_exists(s, q->bucket))
		return fail(c, q, 404, "NoSuchBucket", "The specified bucket does not exist");
	if (request_meta(c, &m))
		return fail(c, q, 400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.");
	if (ct && (strlen(ct) >= BUCKET_CTYPE_MAX || strchr(ct, '\n')))
		return fail(c, q, 400, "InvalidArgument", "Content-Type is too long");
	random_hex(id, UPLOAD_ID_LEN);
	snprintf(p, sizeof p, "%s/%s", s->updir, id);
	if (mkdir(p, 0700))
		return fail(c, q, 500, "InternalError", "cannot stage the upload: %s", strerror(errno));
	snprintf(p, sizeof p, "%s/%s/info", s->updir, id);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f) {
		fprintf(f, "%s\n%s\n%s\n%s", q->bucket, q->key, ct ? ct : "", m.out);
		r = fclose(f);
	} else if (fd >= 0) {
		close(fd);
	}
	if (r) {
		remove_upload(s, id);
		return fail(c, q, 500, "InternalError", "cannot stage the upload");
	}
	x = s3_xml_new("InitiateMultipartUploadResult");
	if (!x)
		return MHD_NO;
	s3_xml_text(x, "Bucket", q->bucket);
	s3_xml_text(x, "Key", q->key);
	s3_xml_text(x, "UploadId", id);
	return xml_ok(c, q, x);
}

static enum MHD_Result upload_part(struct s3_api *s, struct MHD_Connection *c, struct s3req *q)
{
	char etag[BUCKET_ETAG_MAX], name[64], tmp[64], link[64];
	unsigned char md[16];
	struct MHD_Response *r;
	int dfd;

	if (upload_md5(c, q, etag, md))
		return fail(c, q, q->estatus ? q->estatus : 500, q->ecode[0] ? q->ecode : "InternalError", "%s", q->emsg);
	dfd = upload_dir(s, q->upload_id, q->bucket, q->key, NULL, NULL);
	if (dfd < 0)
		return fail(c, q, 404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
	/* The unnamed temporary file gets a name, then the part's. */
	random_hex(tmp, 16);
	snprintf(name, sizeof name, "tmp.%s", tmp);
	snprintf(link, sizeof link, "/proc/self/fd/%d", q->fd);
	if (linkat(AT_FDCWD, link, dfd, name, AT_SYMLINK_FOLLOW)) {
		close(dfd);
		return fail(c, q, 500, "InternalError", "cannot keep the part: %s", strerror(errno));
	}
	snprintf(tmp, sizeof tmp, "part.%05d", q->part);
	if (renameat(dfd, name, dfd, tmp)) {
		unlinkat(dfd, name, 0);
		close(dfd);
		return fail(c, q, 500, "InternalError", "cannot keep the part: %s", strerror(errno));
	}
	close(dfd);
	r = from_buf(NULL, 0, NULL);
	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	return queue(c, q, 200, r);
}

static int hexval(int ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
	       : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* "\"hex\"" or "hex" into 16 bytes. */
static int etag_bytes(const char *etag, unsigned char out[16])
{
	size_t n = strlen(etag);

	if (n == 34 && etag[0] == '"' && etag[33] == '"') {
		etag++;
		n = 32;
	}
	if (n != 32)
		return -1;
	for (int i = 0; i < 16; i++) {
		int hi = hexval(etag[2 * i]), lo = hexval(etag[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

static enum MHD_Result complete_mpu(struct s3_api *s, struct MHD_Connection *c, struct s3req *q)
{
	struct s3_part_ref *parts = NULL;
	struct bucket_object_info info = { 0 };
	struct bucket_put_opts o = { 0 };
	char msg[256], ctype[BUCKET_CTYPE_MAX], meta[BUCKET_META_MAX], etag[BUCKET_ETAG_MAX], loc[64];
	unsigned char *mds = NULL, md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t n = 0;
	int dfd = -1, out = -1, pfd = -1;
	uint64_t total = 0;
	struct err e = { 0 };
	struct s3_xml *x;
	enum MHD_Result ok;

	dfd = upload_dir(s, q->upload_id, q->bucket, q->key, ctype, meta);
	if (dfd < 0)
		return fail(c, q, 404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
	if (s3_parse_complete(q->mem.data, q->mem.len, &parts, &n, msg, sizeof msg)) {
		ok = fail(c, q, 400, "MalformedXML", "%s", msg);
		goto out;
	}
	mds = malloc(16 * n);
	out = openat(dfd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (!mds || out < 0) {
		ok = fail(c, q, 500, "InternalError", "cannot assemble the object: %s", strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char pn[32];
		struct stat st;
		loff_t po = 0;

		if (i && parts[i].number <= parts[i - 1].number) {
			ok = fail(c, q, 400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
			goto out;
		}
		snprintf(pn, sizeof pn, "part.%05d", parts[i].number);
		pfd = openat(dfd, pn, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (pfd < 0 || fstat(pfd, &st) || etag_bytes(parts[i].etag, mds + 16 * i) ||
		    bucket_etag_md5_fd(pfd, (uint64_t)st.st_size, etag) ||
		    etag_bytes(etag, md) || memcmp(md, mds + 16 * i, 16)) {
			ok = fail(c, q, 400, "InvalidPart", "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag (part %d).", parts[i].number);
			goto out;
		}
		if (i + 1 < n && (uint64_t)st.st_size < S3_PART_MIN) {
			ok = fail(c, q, 400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size (part %d is %lld bytes; all but the last must be at least 5 MiB)", parts[i].number, (long long)st.st_size);
			goto out;
		}
		while ((off_t)po < st.st_size) {
			ssize_t w = copy_file_range(pfd, &po, out, NULL, (size_t)(st.st_size - po), 0);

			if (w <= 0) {
				ok = fail(c, q, 500, "InternalError", "cannot assemble the object: %s", w ? strerror(errno) : "short part");
				goto out;
			}
		}
		total += (uint64_t)st.st_size;
		close(pfd);
		pfd = -1;
	}
	if (!EVP_Digest(mds, 16 * n, md, &mdlen, EVP_md5(), NULL)) {
		ok = fail(c, q, 500, "InternalError", "MD5 failed");
		goto out;
	}
	etag[0] = '"';
	hex(md, mdlen, etag + 1);
	snprintf(etag + 1 + 2 * mdlen, sizeof etag - 1 - 2 * mdlen, "-%zu\"", n);
	o.content_type = ctype[0] ? ctype : NULL;
	o.meta = meta;
	o.etag = etag;
	if (bucket_put_fd(s->bs, q->bucket, q->key, out, total, &o, 0, &info, &e)) {
		ok = store_fail(c, q, &e);
		goto out;
	}
	remove_upload(s, q->upload_id);
	x = s3_xml_new("CompleteMultipartUploadResult");
	if (!x) {
		ok = MHD_NO;
		goto out;
	}
	snprintf(loc, sizeof loc, "/%s", q->bucket);
	s3_xml_text(x, "Location", loc);
	s3_xml_text(x, "Bucket", q->bucket);
	s3_xml_text(x, "Key", q->key);
	s3_xml_text(x, "ETag", etag);
	ok = xml_ok(c, q, x);
out:
	if (pfd >= 0)
		close(pfd);
	if (out >= 0)
		close(out);
	if (dfd >= 0)
		close(dfd);
	free(mds);
	free(parts);
	return ok;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum MHD_Result list_parts(struct s3_api *s, struct MHD_Connection *c, struct s3req *q)
{
	int dfd = upload_dir(s, q->upload_id, q->bucket, q->key, NULL, NULL);
	char *names[S3_PARTS_MAX], when[32], etag[BUCKET_ETAG_MAX];
	size_t n = 0;
	struct dirent *de;
	struct s3_xml *x;
	DIR *d;

	if (dfd < 0)
		return fail(c, q, 404, "NoSuchUpload", "The specified upload does not exist.");
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return MHD_NO;
	}
	while ((de = readdir(d)) && n < S3_PARTS_MAX)
		if (!strncmp(de->d_name, "part.", 5) && (names[n] = strdup(de->d_name)))
			n++;
	qsort(names, n, sizeof *names, cmp_str);
	x = s3_xml_new("ListPartsResult");
	if (x) {
		s3_xml_text(x, "Bucket", q->bucket);
		s3_xml_text(x, "Key", q->key);
		s3_xml_text(x, "UploadId", q->upload_id);
		s3_xml_text(x, "IsTruncated", "false");
		for (size_t i = 0; i < n; i++) {
			struct stat st;
			int pfd = openat(dirfd(d), names[i], O_RDONLY | O_CLOEXEC);

			if (pfd < 0 || fstat(pfd, &st) || bucket_etag_md5_fd(pfd, (uint64_t)st.st_size, etag)) {
				if (pfd >= 0)
					close(pfd);
				continue;
			}
			close(pfd);
			s3_xml_open(x, "Part");
			s3_xml_u64(x, "PartNumber", strtoull(names[i] + 5, NULL, 10));
			s3_iso8601(st.st_mtim.tv_sec, when);
			s3_xml_text(x, "LastModified", when);
			s3_xml_text(x, "ETag", etag);
			s3_xml_u64(x, "Size", (uint64_t)st.st_size);
			s3_xml_close(x);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	closedir(d);
	return x ? xml_ok(c, q, x) : MHD_NO;
}

static enum MHD_Result list_uploads(struct s3_api *s, struct MHD_Connection *c, struct s3req *q)
{
	struct s3_xml *x;
	struct dirent *de;
	DIR *d;

	if (!bucket_exists(s, q->bucket))
		return fail(c, q, 404, "NoSuchBucket", "The specified bucket does not exist");
	x = s3_xml_new("ListMultipartUploadsResult");
	if (!x)
		return MHD_NO;
	s3_xml_text(x, "Bucket", q->bucket);
	s3_xml_text(x, "IsTruncated", "false");
	d = opendir(s->updir);
	while (d && (de = readdir(d))) {
		char p[PATH_MAX + 80], info[BUCKET_KEY_MAX + BUCKET_NAME_MAX + 8], when[32];
		size_t bl = strlen(q->bucket);
		struct stat st;
		ssize_t r;
		int fd;

		if (!upload_id_valid(de->d_name))
			continue;
		snprintf(p, sizeof p, "%s/%s/info", s->updir, de->d_name);
		fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		r = read(fd, info, sizeof info - 1);
		if (r <= 0 || fstat(fd, &st)) {
			close(fd);
			continue;
		}
		close(fd);
		info[r] = '\0';
		if (strncmp(info, q->bucket, bl) || info[bl] != '\n')
			continue;
		info[bl + 1 + strcspn(info + bl + 1, "\n")] = '\0';
		s3_xml_open(x, "Upload");
		s3_xml_text(x, "Key", info + bl + 1);
		s3_xml_text(x, "UploadId", de->d_name);
		s3_iso8601(st.st_mtim.tv_sec, when);
		s3_xml_text(x, "Initiated", when);
		s3_xml_text(x, "StorageClass", "STANDARD");
		s3_xml_close(x);
	}
	if (d)
		closedir(d);
	return xml_ok(c, q, x);
}

/* ---- routing --------------------------------------------------------------------------- */

static bool vhost_bucket(struct MHD_Connection *c, char *bucket, size_t cap)
{
	return s3_host_bucket(hdr(c, MHD_HTTP_HEADER_HOST), bucket, cap);
}

static bool claims(void *arg, void *conn, const char *method, const char *url)
{
	struct MHD_Connection *c = conn;
	char b[BUCKET_NAME_MAX + 2];
	size_t n;

	(void)arg;
	if (hdr(c, "X-Amz-Target"))
		return false;   /* the JSON APIs */
	if (vhost_bucket(c, b, sizeof b))
		return true;
	if (!strcmp(url, "/"))
		return !strcmp(method, "GET") || !strcmp(method, "HEAD");
	n = strcspn(url + 1, "/");
	return !s3_reserved_name(url + 1, n);
}

/* Subresources S3 has and tutti does not serve: 501, not a wrong answer. */
static const char *unsupported_sub(struct MHD_Connection *c)
{
	static const char *const subs[] = {
		"acl", "policy", "versioning", "tagging", "cors", "lifecycle", "website", "logging",
		"notification", "replication", "encryption", "ownershipControls", "publicAccessBlock",
		"object-lock", "retention", "legal-hold", "torrent", "restore", "select", "versions",
		"attributes", "accelerate", "requestPayment", "analytics", "inventory", "metrics",
		"intelligent-tiering", "policyStatus", "versionId",
	};

	for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
		if (has_arg(c, subs[i]))
			return subs[i];
	return NULL;
}

/* Decide the operation; 0, or an error was queued (*ok). */
static int decide(struct s3_api *s, struct MHD_Connection *c, struct s3req *q, const char *method, enum MHD_Result *ok)
{
	bool bucket = q->bucket[0], key = q->key[0];
	const char *sub = unsupported_sub(c);

	(void)s;
	if (sub) {
		*ok = fail(c, q, 501, "NotImplemented", "tutti does not implement the '%s' subresource", sub);
		return -1;
	}
	if (!bucket) {
		if (!strcmp(method, "GET") || !strcmp(method, "HEAD"))
			q->op = OP_LIST_BUCKETS;
	} else if (!key) {
		if (!strcmp(method, "PUT"))
			q->op = OP_CREATE_BUCKET;
		else if (!strcmp(method, "DELETE"))
			q->op = OP_DELETE_BUCKET;
		else if (!strcmp(method, "HEAD"))
			q->op = OP_HEAD_BUCKET;
		else if (!strcmp(method, "POST") && has_arg(c, "delete"))
			q->op = OP_DELETE_OBJECTS;
		else if (!strcmp(method, "GET"))
			q->op = has_arg(c, "location") ? OP_LOCATION : has_arg(c, "uploads") ? OP_LIST_UPLOADS
				: arg(c, "list-type") && !strcmp(arg(c, "list-type"), "2") ? OP_LIST_V2 : OP_LIST_V1;
	} else {
		bool upload = has_arg(c, "uploadId");

		if (upload) {
			const char *id = arg(c, "uploadId");

			snprintf(q->upload_id, sizeof q->upload_id, "%s", id && strlen(id) == UPLOAD_ID_LEN ? id : "x");
		}
		if (!strcmp(method, "PUT") && upload && has_arg(c, "partNumber")) {
			const char *pn = arg(c, "partNumber");
			char *end;
			long v = pn ? strtol(pn, &end, 10) : 0;

			if (!pn || *end || v < 1 || v > S3_PARTS_MAX) {
				*ok = fail(c, q, 400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
				return -1;
			}
			if (hdr(c, "x-amz-copy-source")) {
				*ok = fail(c, q, 501, "NotImplemented", "tutti does not implement UploadPartCopy");
				return -1;
			}
			q->part = (int)v;
			q->op = OP_UPLOAD_PART;
		} else if (!strcmp(method, "PUT")) {
			q->op = hdr(c, "x-amz-copy-source") ? OP_COPY_OBJECT : OP_PUT_OBJECT;
		} else if (!strcmp(method, "GET")) {
			q->op = upload ? OP_LIST_PARTS : OP_GET_OBJECT;
		} else if (!strcmp(method, "HEAD")) {
			q->op = OP_HEAD_OBJECT;
		} else if (!strcmp(method, "DELETE")) {
			q->op = upload ? OP_ABORT_MPU : OP_DELETE_OBJECT;
		} else if (!strcmp(method, "POST")) {
			q->op = has_arg(c, "uploads") ? OP_CREATE_MPU : upload ? OP_COMPLETE_MPU : OP_NONE;
		}
	}
	if (q->op == OP_NONE) {
		*ok = fail(c, q, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
		return -1;
	}
	return 0;
}

/* Set up the body's destination once the headers are in. */
static int prepare_body(struct s3_api *s, struct MHD_Connection *c, struct s3req *q, enum MHD_Result *ok)
{
	const char *cl = hdr(c, MHD_HTTP_HEADER_CONTENT_LENGTH), *dcl = hdr(c, "x-amz-decoded-content-length");
	const char *ce = hdr(c, MHD_HTTP_HEADER_CONTENT_ENCODING), *sha = hdr(c, "x-amz-content-sha256");
	unsigned long long want = 0;

	q->chunked = (ce && strstr(ce, "aws-chunked")) || (sha && !strncmp(sha, "STREAMING-", 10));
	if (q->op == OP_PUT_OBJECT || q->op == OP_UPLOAD_PART) {
		q->body = BODY_FILE;
		q->max = S3_OBJECT_MAX;
		if (q->chunked ? !!dcl : !!cl)
			want = strtoull(q->chunked ? dcl : cl, NULL, 10);
		if (want > S3_OBJECT_MAX) {
			*ok = fail(c, q, 400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size (%llu bytes)", S3_OBJECT_MAX);
			return -1;
		}
		if (q->op == OP_PUT_OBJECT && !bucket_exists(s, q->bucket)) {
			*ok = fail(c, q, 404, "NoSuchBucket", "The specified bucket does not exist");
			return -1;
		}
		q->fd = open(q->op == OP_UPLOAD_PART ? s->updir : s->tmpdir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		q->md5 = EVP_MD_CTX_new();
		if (q->fd < 0 || !q->md5 || !EVP_DigestInit_ex(q->md5, EVP_md5(), NULL)) {
			*ok = fail(c, q, 500, "InternalError", "cannot stage the upload: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	q->body = BODY_MEM;
	q->max = q->op == OP_DELETE_OBJECTS || q->op == OP_COMPLETE_MPU ? S3_XML_BODY_MAX : SMALL_BODY_MAX;
	buf_init(&q->mem, q->max + 1);
	return 0;
}

static enum MHD_Result run(struct s3_api *s, struct MHD_Connection *c, struct s3req *q)
{
	struct err e = { 0 };

	switch (q->op) {
	case OP_LIST_BUCKETS:
		return list_buckets(s, c, q);
	case OP_CREATE_BUCKET:
		return create_bucket(s, c, q);
	case OP_DELETE_BUCKET:
		if (bucket_remove(s->bs, q->bucket, 0, &e))
			return store_fail(c, q, &e);
		return empty(c, q, 204);
	case OP_HEAD_BUCKET:
	case OP_LOCATION: {
		struct s3_xml *x;
		struct MHD_Response *r;

		if (!bucket_exists(s, q->bucket))
			return fail(c, q, 404, "NoSuchBucket", "The specified bucket does not exist");
		if (q->op == OP_HEAD_BUCKET) {
			r = from_buf(NULL, 0, NULL);
			if (r)
				MHD_add_response_header(r, "x-amz-bucket-region", "us-east-1");
			return queue(c, q, 200, r);
		}
		/* us-east-1 is the empty LocationConstraint. */
		x = s3_xml_new("LocationConstraint");
		return x ? xml_ok(c, q, x) : MHD_NO;
	}
	case OP_LIST_V1:
	case OP_LIST_V2:
		return list_objects(s, c, q, q->op == OP_LIST_V2);
	case OP_LIST_UPLOADS:
		return list_uploads(s, c, q);
	case OP_DELETE_OBJECTS:
		return delete_objects(s, c, q);
	case OP_PUT_OBJECT:
		return put_object(s, c, q);
	case OP_COPY_OBJECT:
		return copy_object(s, c, q);
	case OP_GET_OBJECT:
	case OP_HEAD_OBJECT:
		return get_object(s, c, q, q->op == OP_HEAD_OBJECT);
	case OP_DELETE_OBJECT:
		if (bucket_delete(s->bs, q->bucket, q->key, 0, &e))
			return store_fail(c, q, &e);
		return empty(c, q, 204);
	case OP_CREATE_MPU:
		return create_mpu(s, c, q);
	case OP_UPLOAD_PART:
		return upload_part(s, c, q);
	case OP_COMPLETE_MPU:
		return complete_mpu(s, c, q);
	case OP_ABORT_MPU: {
		int dfd = upload_dir(s, q->upload_id, q->bucket, q->key, NULL, NULL);

		if (dfd < 0)
			return fail(c, q, 404, "NoSuchUpload", "The specified upload does not exist.");
		close(dfd);
		remove_upload(s, q->upload_id);
		return empty(c, q, 204);
	}
	case OP_LIST_PARTS:
		return list_parts(s, c, q);
	case OP_NONE:
		break;
	}
	return fail(c, q, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
}

static int handle(void *arg, void *conn, const char *url, const char *method, const char *upload,
		  size_t *upload_size, void **state)
{
	struct s3_api *s = arg;
	struct MHD_Connection *c = conn;
	struct s3req *q = *state;
	enum MHD_Result ok = MHD_NO;

	if (!q) {
		const char *path = url + 1;
		bool vhost;

		q = calloc(1, sizeof *q);
		if (!q)
			return MHD_NO;
		*state = q;
		q->fd = -1;
		snprintf(q->reqid, sizeof q->reqid, "%08X%08lX", (unsigned)getpid(),
			 (unsigned long)atomic_fetch_add(&s->reqno, 1));
		vhost = vhost_bucket(c, q->bucket, sizeof q->bucket);
		if (!vhost) {
			size_t n = strcspn(path, "/");

			if (n > BUCKET_NAME_MAX) {
				snprintf(q->resource, sizeof q->resource, "/%.*s", BUCKET_NAME_MAX, path);
				return fail(c, q, 400, "InvalidBucketName", "The specified bucket is not valid.");
			}
			memcpy(q->bucket, path, n);
			q->bucket[n] = '\0';
			path += n + (path[n] == '/');
		}
		if (strlen(path) > BUCKET_KEY_MAX) {
			snprintf(q->resource, sizeof q->resource, "/%s", q->bucket);
			return fail(c, q, 400, "KeyTooLongError", "Your key is too long");
		}
		snprintf(q->key, sizeof q->key, "%s", path);
		snprintf(q->resource, sizeof q->resource, "/%s%s%s", q->bucket, q->key[0] ? "/" : "", q->key);
		if (q->bucket[0] && !bucket_name_valid(q->bucket))
			return fail(c, q, 400, "InvalidBucketName", "The specified bucket is not valid.");
		if (decide(s, c, q, method, &ok) || prepare_body(s, c, q, &ok))
			return ok;
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;

		*upload_size = 0;
		if (q->failed) {
			q->dropped += n;
			return q->dropped > DISCARD_MAX ? MHD_NO : MHD_YES;
		}
		if (q->chunked ? s3_chunked_feed(&q->ch, upload, n, sink, q) : sink(q, upload, n))
			set_failed(q, 400, "IncompleteBody", "The request body could not be decoded (aws-chunked framing).");
		return MHD_YES;
	}
	if (!q->failed && q->chunked && !s3_chunked_done(&q->ch))
		set_failed(q, 400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header (the aws-chunked body ended early).");
	if (q->failed)
		return fail(c, q, q->estatus, q->ecode, "%s", q->emsg);
	return run(s, c, q);
}

static void done(void *arg, void *state)
{
	struct s3req *q = state;

	(void)arg;
	if (!q)
		return;
	if (q->fd >= 0)
		close(q->fd);
	EVP_MD_CTX_free(q->md5);
	buf_free(&q->mem);
	free(q);
}

/* ---- life cycle ------------------------------------------------------------------------ */

int s3_api_open(struct http_server *h, const char *home, struct s3_api **out, struct err *e)
{
	struct bucket_config cfg;
	struct s3_api *s;

	*out = NULL;
	s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, ERR_HTTP_INTERNAL, "out of memory");
	memset(&cfg, 0, sizeof cfg);
	cfg.backend = BUCKET_FILE;
	cfg.max_object = SIZE_MAX;   /* the S3 API streams; its own caps apply */
	if (snprintf(cfg.root, sizeof cfg.root, "%s/buckets", home) >= (int)sizeof cfg.root ||
	    snprintf(s->tmpdir, sizeof s->tmpdir, "%s/s3-tmp", home) >= (int)sizeof s->tmpdir ||
	    snprintf(s->updir, sizeof s->updir, "%s/s3-uploads", home) >= (int)sizeof s->updir) {
		free(s);
		return err_set(e, ERR_HTTP_INTERNAL, "TUTTI_HOME is too long");
	}
	snprintf(s->root, sizeof s->root, "%s", cfg.root);
	mkdir(home, 0700);
	mkdir(s->root, 0700);
	if ((mkdir(s->tmpdir, 0700) && errno != EEXIST) || (mkdir(s->updir, 0700) && errno != EEXIST)) {
		err_set(e, ERR_HTTP_INTERNAL, "cannot create %s: %s", s->updir, strerror(errno));
		free(s);
		return -1;
	}
	s->bs = bucket_open(&cfg, e);
	if (!s->bs) {
		free(s);
		return -1;
	}
	s->route = (struct http_stream_route){
		.method = "*", .path = "/*", .claims = claims, .handle = handle, .done = done, .arg = s,
	};
	if (http_route_stream(h, &s->route, e)) {
		s3_api_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void s3_api_close(struct s3_api *s)
{
	if (!s)
		return;
	bucket_close(s->bs);
	free(s);
}
