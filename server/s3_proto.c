/* s3_proto — the pure pieces of the S3 REST API (s3_int.h). */
#include "s3_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

/* ---- Range ---------------------------------------------------------------- */

static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (!n || n > 19)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

int s3_parse_range(const char *hdr, uint64_t size, uint64_t *off, uint64_t *len)
{
	const char *spec, *dash;
	uint64_t a, b;
	size_t n;

	if (!hdr)
		return 1;
	while (*hdr == ' ')
		hdr++;
	if (strncasecmp(hdr, "bytes=", 6))
		return 1;
	spec = hdr + 6;
	n = strcspn(spec, " \t");
	if (spec[n] && spec[n + strspn(spec + n, " \t")])
		return 1;                          /* trailing junk: ignored, as S3 */
	if (memchr(spec, ',', n))
		return 1;                          /* several ranges: S3 sends the whole object */
	dash = memchr(spec, '-', n);
	if (!dash)
		return 1;
	if (dash == spec) {                        /* bytes=-N: the last N bytes */
		if (!parse_u64(dash + 1, n - 1, &b))
			return 1;
		if (!b || !size)
			return -1;
		if (b > size)
			b = size;
		*off = size - b;
		*len = b;
		return 0;
	}
	if (!parse_u64(spec, (size_t)(dash - spec), &a))
		return 1;
	if (a >= size)
		return -1;
	if ((size_t)(dash - spec) + 1 == n) {      /* bytes=N-: from N to the end */
		*off = a;
		*len = size - a;
		return 0;
	}
	if (!parse_u64(dash + 1, n - (size_t)(dash - spec) - 1, &b))
		return 1;
	if (b < a)
		return 1;                          /* invalid: ignored (RFC 9110) */
	if (b >= size)
		b = size - 1;
	*off = a;
	*len = b - a + 1;
	return 0;
}

/* ---- aws-chunked ------------------------------------------------------------- */

enum { CH_HEADER, CH_DATA, CH_DATA_CR, CH_DATA_LF, CH_TRAILER, CH_DONE, CH_BAD };

/* A complete header line (without CRLF): the chunk's size. */
static int chunk_header(struct s3_chunked *c)
{
	size_t n = strcspn(c->line, ";");
	uint64_t v = 0;

	if (!n || n > 15)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int ch = tolower((unsigned char)c->line[i]);
		int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;

		if (d < 0)
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	c->left = v;
	c->state = v ? CH_DATA : CH_TRAILER;
	return 0;
}

int s3_chunked_feed(struct s3_chunked *c, const char *in, size_t n,
		    int (*sink)(void *arg, const char *p, size_t n), void *arg)
{
	size_t i = 0;

	while (i < n) {
		switch (c->state) {
		case CH_HEADER:
		case CH_TRAILER:
			if (in[i] == '\n') {
				if (!c->ll || c->line[c->ll - 1] != '\r')
					goto bad;
				c->line[c->ll - 1] = '\0';
				c->ll = 0;
				i++;
				if (c->state == CH_HEADER) {
					if (chunk_header(c))
						goto bad;
				} else if (!c->line[0]) {
					c->state = CH_DONE;  /* the empty line after the trailers */
				}
				continue;
			}
			if (c->ll + 1 >= sizeof c->line)
				goto bad;
			c->line[c->ll++] = in[i++];
			break;
		case CH_DATA: {
			size_t take = n - i < c->left ? n - i : (size_t)c->left;

			if (sink(arg, in + i, take))
				goto bad;
			i += take;
			c->left -= take;
			if (!c->left)
				c->state = CH_DATA_CR;
			break;
		}
		case CH_DATA_CR:
			if (in[i++] != '\r')
				goto bad;
			c->state = CH_DATA_LF;
			break;
		case CH_DATA_LF:
			if (in[i++] != '\n')
				goto bad;
			c->state = CH_HEADER;
			break;
		default:
			goto bad;        /* bytes after the end, or after an error */
		}
	}
	return 0;
bad:
	c->state = CH_BAD;
	return -1;
}

bool s3_chunked_done(const struct s3_chunked *c)
{
	return c->state == CH_DONE;
}

/* ---- names ------------------------------------------------------------------ */

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && !strncasecmp(s + n - k, suffix, k);
}

bool s3_host_bucket(const char *host, char *bucket, size_t cap)
{
	size_t n, b;
	const char *s3;

	if (!host || !*host || host[0] == '[')
		return false;
	n = strcspn(host, ":");
	if (ends_with(host, n, ".s3.localhost"))
		b = n - strlen(".s3.localhost");
	else if (ends_with(host, n, ".localhost"))
		b = n - strlen(".localhost");
	else {
		/* BUCKET.s3.REST or BUCKET.s3-REST: the first ".s3." or ".s3-". */
		s3 = NULL;
		for (const char *p = host; p + 4 <= host + n; p++)
			if (!strncasecmp(p, ".s3.", 4) || !strncasecmp(p, ".s3-", 4)) {
				s3 = p;
				break;
			}
		if (!s3)
			return false;
		b = (size_t)(s3 - host);
	}
	if (!b || b >= cap)
		return false;
	if (b == 2 && !strncasecmp(host, "s3", 2))
		return false;   /* s3.localhost: the service itself */
	for (size_t i = 0; i < b; i++)
		bucket[i] = (char)tolower((unsigned char)host[i]);
	bucket[b] = '\0';
	return true;
}

bool s3_reserved_name(const char *seg, size_t n)
{
	static const char *const names[] = { "schedules", "schedule-groups", "tags", "health", "console" };

	if (n == 10 && isdigit((unsigned char)seg[0]) && isdigit((unsigned char)seg[3]) && seg[4] == '-' &&
	    seg[7] == '-' && isdigit((unsigned char)seg[5]) && isdigit((unsigned char)seg[9]))
		return true;   /* 2015-03-31, 2018-10-31, ...: Lambda's API versions */
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i]) == n && !strncmp(seg, names[i], n))
			return true;
	return false;
}

bool s3_urlencode(const char *s, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~' || *p == '/') {
			if (o + 1 >= cap)
				return false;
			out[o++] = (char)*p;
		} else {
			if (o + 3 >= cap)
				return false;
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	if (o >= cap)
		return false;
	out[o] = '\0';
	return true;
}

void s3_iso8601(int64_t t, char out[32])
{
	struct tm tm;
	time_t tt = (time_t)t;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}

void s3_http_date(int64_t t, char out[40])
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	time_t tt = (time_t)t;

	gmtime_r(&tt, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ---- XML answers -------------------------------------------------------------- */

struct s3_xml {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	bool failed;
};

struct s3_xml *s3_xml_new(const char *root)
{
	struct s3_xml *x = calloc(1, sizeof *x);

	if (!x)
		return NULL;
	x->buf = xmlBufferCreate();
	x->w = x->buf ? xmlNewTextWriterMemory(x->buf, 0) : NULL;
	if (!x->w || xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(x->w, BAD_CAST root) < 0 ||
	    xmlTextWriterWriteAttribute(x->w, BAD_CAST "xmlns", BAD_CAST S3_XMLNS) < 0) {
		s3_xml_free(x);
		return NULL;
	}
	return x;
}

void s3_xml_open(struct s3_xml *x, const char *name)
{
	if (xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
		x->failed = true;
}

void s3_xml_close(struct s3_xml *x)
{
	if (xmlTextWriterEndElement(x->w) < 0)
		x->failed = true;
}

void s3_xml_text(struct s3_xml *x, const char *name, const char *text)
{
	/* Keys are bytes; XML 1.0 cannot carry every byte. The writer
	 * escapes <, > and &; text that is not UTF-8 fails the document
	 * rather than produce XML a client cannot parse. */
	if (!xmlCheckUTF8(BAD_CAST(text ? text : "")) ||
	    xmlTextWriterWriteElement(x->w, BAD_CAST name, BAD_CAST(text ? text : "")) < 0)
		x->failed = true;
}

void s3_xml_u64(struct s3_xml *x, const char *name, uint64_t v)
{
	char s[24];

	snprintf(s, sizeof s, "%llu", (unsigned long long)v);
	s3_xml_text(x, name, s);
}

char *s3_xml_finish(struct s3_xml *x, size_t *len)
{
	char *out = NULL;

	if (!x)
		return NULL;
	if (xmlTextWriterEndDocument(x->w) < 0)
		x->failed = true;
	xmlFreeTextWriter(x->w);   /* flushes into buf */
	x->w = NULL;
	if (!x->failed) {
		size_t n = (size_t)xmlBufferLength(x->buf);

		out = malloc(n + 1);
		if (out) {
			memcpy(out, xmlBufferContent(x->buf), n);
			out[n] = '\0';
			*len = n;
		}
	}
	s3_xml_free(x);
	return out;
}

void s3_xml_free(struct s3_xml *x)
{
	if (!x)
		return;
	if (x->w)
		xmlFreeTextWriter(x->w);
	if (x->buf)
		xmlBufferFree(x->buf);
	free(x);
}

char *s3_error_xml(const char *code, const char *msg, const char *resource, const char *request_id,
		   size_t *len)
{
	xmlBufferPtr b = xmlBufferCreate();
	xmlTextWriterPtr w = b ? xmlNewTextWriterMemory(b, 0) : NULL;
	char *out = NULL;

	/* <Error> carries no xmlns in S3's answers. */
	if (w && xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) >= 0 &&
	    xmlTextWriterStartElement(w, BAD_CAST "Error") >= 0 &&
	    xmlTextWriterWriteElement(w, BAD_CAST "Code", BAD_CAST code) >= 0 &&
	    xmlTextWriterWriteElement(w, BAD_CAST "Message",
				      BAD_CAST(xmlCheckUTF8(BAD_CAST msg) ? msg : "(not UTF-8)")) >= 0 &&
	    (!resource || xmlTextWriterWriteElement(w, BAD_CAST "Resource",
						    BAD_CAST(xmlCheckUTF8(BAD_CAST resource) ? resource : "")) >= 0) &&
	    xmlTextWriterWriteElement(w, BAD_CAST "RequestId", BAD_CAST request_id) >= 0 &&
	    xmlTextWriterEndDocument(w) >= 0) {
		xmlFreeTextWriter(w);
		w = NULL;
		*len = (size_t)xmlBufferLength(b);
		out = malloc(*len + 1);
		if (out) {
			memcpy(out, xmlBufferContent(b), *len);
			out[*len] = '\0';
		}
	}
	if (w)
		xmlFreeTextWriter(w);
	if (b)
		xmlBufferFree(b);
	return out;
}

/* ---- XML bodies ----------------------------------------------------------------- */

static xmlDocPtr parse_xml(const char *body, size_t len)
{
	if (!len || len > S3_XML_BODY_MAX)
		return NULL;
	/* No network, no entity substitution (no billion laughs), no DTD load. */
	return xmlReadMemory(body, (int)len, "s3.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
			     XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS);
}

static bool named(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

void s3_keys_free(char **keys, size_t n)
{
	for (size_t i = 0; keys && i < n; i++)
		free(keys[i]);
	free(keys);
}

int s3_parse_delete(const char *body, size_t len, char ***keys_out, size_t *n_out, bool *quiet, char *msg,
		    size_t msgcap)
{
	xmlDocPtr doc = parse_xml(body, len);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	char **keys = NULL;
	size_t n = 0;
	int rc = -1;

	*keys_out = NULL;
	*n_out = 0;
	*quiet = false;
	if (!root || !named(root, "Delete")) {
		snprintf(msg, msgcap, "The XML you provided was not well-formed or did not validate against our published schema");
		goto out;
	}
	for (xmlNodePtr c = root->children; c; c = c->next) {
		if (named(c, "Quiet")) {
			xmlChar *t = xmlNodeGetContent(c);

			*quiet = t && !strcasecmp((const char *)t, "true");
			xmlFree(t);
		} else if (named(c, "Object")) {
			xmlChar *k = NULL;

			for (xmlNodePtr f = c->children; f; f = f->next)
				if (named(f, "Key") && !k)
					k = xmlNodeGetContent(f);
			if (!k) {
				snprintf(msg, msgcap, "an <Object> without a <Key>");
				goto out;
			}
			if (n == S3_DELETE_MAX) {
				xmlFree(k);
				snprintf(msg, msgcap, "at most %d keys per DeleteObjects request", S3_DELETE_MAX);
				goto out;
			}
			if (!(n % 64)) {
				char **v = realloc(keys, (n + 64) * sizeof *v);

				if (!v) {
					xmlFree(k);
					snprintf(msg, msgcap, "out of memory");
					goto out;
				}
				keys = v;
			}
			keys[n] = strdup((const char *)k);
			xmlFree(k);
			if (!keys[n]) {
				snprintf(msg, msgcap, "out of memory");
				goto out;
			}
			n++;
		}
	}
	if (!n) {
		snprintf(msg, msgcap, "The XML you provided was not well-formed or did not validate against our published schema (no <Object>)");
		goto out;
	}
	*keys_out = keys;
	*n_out = n;
	keys = NULL;
	rc = 0;
out:
	s3_keys_free(keys, n);
	xmlFreeDoc(doc);
	return rc;
}

int s3_parse_complete(const char *body, size_t len, struct s3_part_ref **parts_out, size_t *n_out, char *msg,
		      size_t msgcap)
{
	xmlDocPtr doc = parse_xml(body, len);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	struct s3_part_ref *parts = NULL;
	size_t n = 0;
	int rc = -1;

	*parts_out = NULL;
	*n_out = 0;
	if (!root || !named(root, "CompleteMultipartUpload")) {
		snprintf(msg, msgcap, "The XML you provided was not well-formed or did not validate against our published schema");
		goto out;
	}
	for (xmlNodePtr c = root->children; c; c = c->next) {
		struct s3_part_ref p = { 0 };
		bool have_num = false, have_etag = false;

		if (!named(c, "Part"))
			continue;
		for (xmlNodePtr f = c->children; f; f = f->next) {
			xmlChar *t;

			if (!named(f, "PartNumber") && !named(f, "ETag"))
				continue;
			t = xmlNodeGetContent(f);
			if (named(f, "PartNumber")) {
				char *end;
				long v = t ? strtol((const char *)t, &end, 10) : 0;

				if (t && *end == '\0' && v >= 1 && v <= S3_PARTS_MAX) {
					p.number = (int)v;
					have_num = true;
				}
			} else if (t && strlen((const char *)t) < sizeof p.etag) {
				snprintf(p.etag, sizeof p.etag, "%s", (const char *)t);
				have_etag = true;
			}
			xmlFree(t);
		}
		if (!have_num || !have_etag) {
			snprintf(msg, msgcap, "a <Part> needs a <PartNumber> (1-%d) and an <ETag>", S3_PARTS_MAX);
			goto out;
		}
		if (n == S3_PARTS_MAX) {
			snprintf(msg, msgcap, "more than %d parts", S3_PARTS_MAX);
			goto out;
		}
		if (!(n % 64)) {
			struct s3_part_ref *v = realloc(parts, (n + 64) * sizeof *v);

			if (!v) {
				snprintf(msg, msgcap, "out of memory");
				goto out;
			}
			parts = v;
		}
		parts[n++] = p;
	}
	if (!n) {
		snprintf(msg, msgcap, "The XML you provided was not well-formed or did not validate against our published schema (no <Part>)");
		goto out;
	}
	*parts_out = parts;
	*n_out = n;
	parts = NULL;
	rc = 0;
out:
	free(parts);
	xmlFreeDoc(doc);
	return rc;
}
