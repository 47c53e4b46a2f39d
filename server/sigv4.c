/* sigv4 — AWS Signature Version 4 verification (sigv4.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <curl/curl.h>
#include <ini.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "buf.h"
#include "sigv4.h"

#define ALGO "AWS4-HMAC-SHA256"

struct key {
	char id[129];
	char secret[129];
};

struct sigv4_keys {
	struct key k[SIGV4_KEYS_MAX];
	size_t n;
	struct key cur;          /* the section being read */
	char section[256];
	bool bad;
};

/* ---- the credentials file --------------------------------------------------- */

static void flush(struct sigv4_keys *k)
{
	if (k->cur.id[0] && k->cur.secret[0] && k->n < SIGV4_KEYS_MAX)
		k->k[k->n++] = k->cur;
	memset(&k->cur, 0, sizeof k->cur);
}

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
	struct sigv4_keys *k = user;

	if (!name)  /* a new section (when libinih is built to say so) */
		return 1;
	if (strncmp(k->section, section, sizeof k->section - 1)) {
		flush(k);
		snprintf(k->section, sizeof k->section, "%s", section);
	}
	if (!strcasecmp(name, "aws_access_key_id")) {
		if (strlen(value) >= sizeof k->cur.id)
			k->bad = true;
		snprintf(k->cur.id, sizeof k->cur.id, "%s", value);
	} else if (!strcasecmp(name, "aws_secret_access_key")) {
		if (strlen(value) >= sizeof k->cur.secret)
			k->bad = true;
		snprintf(k->cur.secret, sizeof k->cur.secret, "%s", value);
	}
	return 1;
}

int sigv4_load(const char *path, struct sigv4_keys **out, struct err *e)
{
	struct sigv4_keys *k = NULL;
	struct stat st;
	FILE *f = NULL;
	int line, rc = -1;

	*out = NULL;
	f = fopen(path, "re");
	if (!f || fstat(fileno(f), &st)) {
		err_setn(e, "InvalidParameterValueException", "cannot read the credentials file %s: %m", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode) || (st.st_mode & 077)) {
		err_setn(e, "InvalidParameterValueException",
			 "the credentials file %s must be a regular file of mode 0600 (it is %04o): chmod 600 %s",
			 path, (unsigned)(st.st_mode & 07777), path);
		goto out;
	}
	if (st.st_size > 1024 * 1024) {
		err_setn(e, "InvalidParameterValueException", "the credentials file %s is over 1 MiB", path);
		goto out;
	}
	k = calloc(1, sizeof *k);
	if (!k) {
		err_setn(e, "InvalidParameterValueException", "out of memory");
		goto out;
	}
	line = ini_parse_file(f, on_ini, k);
	flush(k);
	if (line) {
		err_setn(e, "InvalidParameterValueException", "the credentials file %s: not INI at line %d", path,
			 line);
		goto out;
	}
	if (k->bad || !k->n) {
		err_setn(e, "InvalidParameterValueException",
			 "the credentials file %s has no aws_access_key_id with its aws_secret_access_key%s", path,
			 k->bad ? " (or one over 128 bytes)" : "");
		goto out;
	}
	*out = k;
	k = NULL;
	rc = 0;
out:
	if (f)
		fclose(f);
	free(k);
	return rc;
}

void sigv4_free(struct sigv4_keys *k)
{
	if (k)
		OPENSSL_cleanse(k, sizeof *k);
	free(k);
}

size_t sigv4_count(const struct sigv4_keys *k)
{
	return k ? k->n : 0;
}

int sigv4_first(const struct sigv4_keys *k, const char **id, const char **secret)
{
	if (!k || !k->n)
		return -1;
	*id = k->k[0].id;
	*secret = k->k[0].secret;
	return 0;
}

/* ---- hashing ------------------------------------------------------------------ */

static void hex(const unsigned char *d, size_t n, char *out)
{
	static const char x[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = x[d[i] >> 4];
		out[2 * i + 1] = x[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static void sha256_hex(const void *d, size_t n, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int l = 0;

	EVP_Digest(d, n, md, &l, EVP_sha256(), NULL);
	hex(md, 32, out);
}

static void hmac(const void *key, size_t kl, const char *msg, unsigned char out[32])
{
	unsigned int l = 32;

	HMAC(EVP_sha256(), key, (int)kl, (const unsigned char *)msg, strlen(msg), out, &l);
}

void sigv4_sign(const char *secret, const char *date, const char *region, const char *service,
		const char *sts, char out[65])
{
	char k0[160];
	unsigned char k1[32], k2[32], k3[32], k4[32], sig[32];

	snprintf(k0, sizeof k0, "AWS4%s", secret);
	hmac(k0, strlen(k0), date, k1);
	hmac(k1, 32, region, k2);
	hmac(k2, 32, service, k3);
	hmac(k3, 32, "aws4_request", k4);
	hmac(k4, 32, sts, sig);
	hex(sig, 32, out);
	OPENSSL_cleanse(k0, sizeof k0);
	OPENSSL_cleanse(k4, sizeof k4);
}

/* ---- canonical forms ------------------------------------------------------------ */

/* Append s (n bytes, percent-decoded first when decode) URI-encoded as
 * SigV4 wants: everything but A-Z a-z 0-9 - . _ ~ as %XX (curl's rule). */
static int append_encoded(struct buf *b, const char *s, size_t n, bool decode)
{
	char *d = NULL, *enc = NULL;
	int dl = 0, rc = -1;

	if (n > SIGV4_FIELD_MAX)
		return -1;
	if (decode) {
		d = curl_easy_unescape(NULL, s, (int)n, &dl);
		if (!d)
			return -1;
		s = d;
		n = (size_t)dl;
	}
	enc = n ? curl_easy_escape(NULL, s, (int)n) : NULL;
	if (n && !enc)
		goto out;
	rc = buf_append(b, enc ? enc : "", enc ? strlen(enc) : 0);
out:
	curl_free(d);
	curl_free(enc);
	return rc;
}

/* The path, each segment decoded then encoded (twice unless S3). */
static int canonical_uri(struct buf *b, const char *path, size_t n, bool s3)
{
	size_t i = 0;

	if (!n)
		return buf_append(b, "/", 1);
	while (i < n) {
		size_t j = i;
		struct buf once;
		int rc;

		while (j < n && path[j] != '/')
			j++;
		if (j > i) {
			if (s3) {
				if (append_encoded(b, path + i, j - i, true))
					return -1;
			} else {
				buf_init(&once, SIGV4_FIELD_MAX * 3 + 1);
				rc = append_encoded(&once, path + i, j - i, true) ||
				     append_encoded(b, once.data ? once.data : "", once.len, false);
				buf_free(&once);
				if (rc)
					return -1;
			}
		}
		if (j < n && buf_append(b, "/", 1))
			return -1;
		i = j + 1;
	}
	return 0;
}

struct qparam {
	char *k, *v;   /* encoded */
};

static int qcmp(const void *a, const void *b)
{
	const struct qparam *x = a, *y = b;
	int c = strcmp(x->k, y->k);

	return c ? c : strcmp(x->v, y->v);
}

/* The query string's parameters, decoded, encoded, sorted; X-Amz-Signature
 * left out. */
static int canonical_query(struct buf *b, const char *q, struct err *e)
{
	struct qparam p[SIGV4_QUERY_MAX];
	size_t n = 0;
	int rc = -1;

	while (q && *q) {
		size_t l = strcspn(q, "&"), kl = strcspn(q, "=&");
		struct buf kb, vb;

		if (l) {
			if (n == SIGV4_QUERY_MAX) {
				err_setn(e, "IncompleteSignatureException", "more than %d query parameters",
					 SIGV4_QUERY_MAX);
				goto out;
			}
			buf_init(&kb, SIGV4_FIELD_MAX * 3 + 1);
			buf_init(&vb, SIGV4_FIELD_MAX * 3 + 1);
			if (append_encoded(&kb, q, kl, true) || buf_append(&kb, "", 1) ||
			    append_encoded(&vb, q + kl + (kl < l), kl < l ? l - kl - 1 : 0, true) ||
			    buf_append(&vb, "", 1)) {
				buf_free(&kb);
				buf_free(&vb);
				err_setn(e, "IncompleteSignatureException", "a query parameter is over %d bytes",
					 SIGV4_FIELD_MAX);
				goto out;
			}
			if (!strcmp(kb.data, "X-Amz-Signature")) {
				buf_free(&kb);
				buf_free(&vb);
			} else {
				p[n].k = kb.data;
				p[n++].v = vb.data;
			}
		}
		q += l + (q[l] == '&');
	}
	qsort(p, n, sizeof *p, qcmp);
	for (size_t i = 0; i < n; i++)
		if ((i && buf_append(b, "&", 1)) || buf_append(b, p[i].k, strlen(p[i].k)) ||
		    buf_append(b, "=", 1) || buf_append(b, p[i].v, strlen(p[i].v))) {
			err_setn(e, "IncompleteSignatureException", "the query string is too long");
			goto out;
		}
	rc = 0;
out:
	for (size_t i = 0; i < n; i++) {
		free(p[i].k);
		free(p[i].v);
	}
	return rc;
}

/* A header's value trimmed, inner runs of spaces as one. */
static int append_trimmed(struct buf *b, const char *v)
{
	bool sp = false;

	while (*v == ' ' || *v == '\t')
		v++;
	for (; *v; v++) {
		if (*v == ' ' || *v == '\t') {
			sp = true;
			continue;
		}
		if (sp && buf_append(b, " ", 1))
			return -1;
		sp = false;
		if (buf_append(b, v, 1))
			return -1;
	}
	return 0;
}

/* ---- the signature's parts ---------------------------------------------------------- */

struct sig {
	char akid[129], date[9], region[64], service[64];
	char signed_headers[1024];
	char signature[65];
	char amzdate[17];
	bool presigned;
	long expires;
};

static bool s3_scope(const struct sig *s)
{
	return !strcmp(s->service, "s3");
}

/* "AKID/DATE/REGION/SERVICE/aws4_request" */
static int parse_credential(struct sig *s, const char *c, size_t n)
{
	char tmp[512], *parts[5], *save = NULL, *t;
	size_t i = 0;

	if (n >= sizeof tmp)
		return -1;
	memcpy(tmp, c, n);
	tmp[n] = '\0';
	for (t = strtok_r(tmp, "/", &save); t && i < 5; t = strtok_r(NULL, "/", &save))
		parts[i++] = t;
	if (i != 5 || t || strcmp(parts[4], "aws4_request") || strlen(parts[0]) >= sizeof s->akid ||
	    strlen(parts[1]) != 8 || strlen(parts[2]) >= sizeof s->region || strlen(parts[3]) >= sizeof s->service)
		return -1;
	snprintf(s->akid, sizeof s->akid, "%s", parts[0]);
	snprintf(s->date, sizeof s->date, "%s", parts[1]);
	snprintf(s->region, sizeof s->region, "%s", parts[2]);
	snprintf(s->service, sizeof s->service, "%s", parts[3]);
	return 0;
}

static bool is_hex64(const char *v)
{
	if (!v || strlen(v) != 64)
		return false;
	for (; *v; v++)
		if (!isxdigit((unsigned char)*v) || isupper((unsigned char)*v))
			return false;
	return true;
}

/* "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." */
static int parse_authorization(struct sig *s, const char *a)
{
	bool cred = false, sh = false, sg = false;

	if (strlen(a) > SIGV4_FIELD_MAX || strncmp(a, ALGO " ", strlen(ALGO) + 1))
		return -1;
	a += strlen(ALGO) + 1;
	while (*a) {
		size_t l;

		while (*a == ' ' || *a == ',')
			a++;
		l = strcspn(a, ", ");
		if (!strncmp(a, "Credential=", 11)) {
			if (parse_credential(s, a + 11, l - 11))
				return -1;
			cred = true;
		} else if (!strncmp(a, "SignedHeaders=", 14)) {
			if (l - 14 >= sizeof s->signed_headers)
				return -1;
			snprintf(s->signed_headers, sizeof s->signed_headers, "%.*s", (int)(l - 14), a + 14);
			sh = true;
		} else if (!strncmp(a, "Signature=", 10)) {
			if (l - 10 != 64)
				return -1;
			snprintf(s->signature, sizeof s->signature, "%.*s", 64, a + 10);
			sg = true;
		} else if (l) {
			return -1;
		}
		a += l;
	}
	return cred && sh && sg && is_hex64(s->signature) ? 0 : -1;
}

/* A query parameter's decoded value (raw query), into out. */
static bool query_get(const char *q, const char *name, char *out, size_t size)
{
	size_t nl = strlen(name);

	while (q && *q) {
		size_t l = strcspn(q, "&");

		if (l > nl && !strncmp(q, name, nl) && q[nl] == '=') {
			int dl = 0;
			char *d = curl_easy_unescape(NULL, q + nl + 1, (int)(l - nl - 1), &dl);
			bool ok = d && (size_t)dl < size && !memchr(d, '\0', (size_t)dl);

			if (ok)
				snprintf(out, size, "%s", d);
			curl_free(d);
			return ok;
		}
		q += l + (q[l] == '&');
	}
	return false;
}

static int parse_presigned(struct sig *s, const char *q)
{
	char v[SIGV4_FIELD_MAX], *end;

	if (!query_get(q, "X-Amz-Algorithm", v, sizeof v) || strcmp(v, ALGO))
		return -1;
	if (!query_get(q, "X-Amz-Credential", v, sizeof v) || parse_credential(s, v, strlen(v)))
		return -1;
	if (!query_get(q, "X-Amz-Date", s->amzdate, sizeof s->amzdate))
		return -1;
	if (!query_get(q, "X-Amz-SignedHeaders", s->signed_headers, sizeof s->signed_headers))
		return -1;
	if (!query_get(q, "X-Amz-Signature", s->signature, sizeof s->signature) || !is_hex64(s->signature))
		return -1;
	if (!query_get(q, "X-Amz-Expires", v, sizeof v))
		return -1;
	s->expires = strtol(v, &end, 10);
	if (*end || end == v || s->expires < 1 || s->expires > SIGV4_EXPIRES_MAX)
		return -1;
	s->presigned = true;
	return 0;
}

/* "YYYYMMDDTHHMMSSZ" → seconds. */
static int parse_amzdate(const char *d, time_t *out)
{
	struct tm tm = { 0 };
	const char *end;

	if (strlen(d) != 16)
		return -1;
	end = strptime(d, "%Y%m%dT%H%M%SZ", &tm);
	if (!end || *end)
		return -1;
	*out = timegm(&tm);
	return 0;
}

/* ---- verification -------------------------------------------------------------------- */

static int fail(struct err *e, unsigned *status, unsigned st, const char *type, const char *fmt, const char *arg)
{
	*status = st;
	return err_setn(e, type, fmt, arg ? arg : "");
}

int sigv4_verify(const struct sigv4_keys *k, const struct sigv4_req *r, unsigned *status, bool *s3,
		 struct err *e)
{
	struct sig s = { 0 };
	const char *auth = r->header(r->ctx, "Authorization"), *q = strchr(r->uri, '?');
	const char *phash = r->header(r->ctx, "x-amz-content-sha256");
	const struct key *key = NULL;
	struct buf creq;
	char payload[65], sts[512], mine[65], scope[300], body_hash[65];
	time_t when;
	double skew;
	int rc = -1;

	*s3 = false;
	buf_init(&creq, 64 * 1024);
	if (q && strstr(q, "X-Amz-Algorithm=")) {
		if (parse_presigned(&s, q + 1)) {
			*s3 = true;
			rc = fail(e, status, 400, "AuthorizationQueryParametersError",
				  "the presigned URL's X-Amz-* parameters are missing or malformed%s", NULL);
			goto out;
		}
	} else if (!auth) {
		rc = fail(e, status, 403, "MissingAuthenticationTokenException",
			  "Missing Authentication Token: this server needs requests signed with AWS Signature "
			  "Version 4 (credentials are configured)%s", NULL);
		goto out;
	} else {
		const char *d = r->header(r->ctx, "x-amz-date");

		if (parse_authorization(&s, auth)) {
			rc = fail(e, status, 400, "IncompleteSignatureException",
				  "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' "
				  "parameters of " ALGO "%s", NULL);
			goto out;
		}
		if (!d || strlen(d) >= sizeof s.amzdate) {
			rc = fail(e, status, 400, "IncompleteSignatureException",
				  "the request has no valid X-Amz-Date header%s", NULL);
			goto out;
		}
		snprintf(s.amzdate, sizeof s.amzdate, "%s", d);
	}
	*s3 = s3_scope(&s);
	for (size_t i = 0; i < k->n && !key; i++)
		if (!strcmp(k->k[i].id, s.akid))
			key = &k->k[i];
	if (!key) {
		rc = *s3 ? fail(e, status, 403, "InvalidAccessKeyId",
				"The AWS Access Key Id '%s' you provided does not exist in our records.", s.akid)
			 : fail(e, status, 403, "UnrecognizedClientException",
				"The security token included in the request is invalid (unknown key '%s').", s.akid);
		goto out;
	}
	if (parse_amzdate(s.amzdate, &when) || strncmp(s.amzdate, s.date, 8)) {
		rc = fail(e, status, 400, *s3 ? "AuthorizationHeaderMalformed" : "IncompleteSignatureException",
			  "X-Amz-Date '%s' is not YYYYMMDDTHHMMSSZ of the credential scope's date", s.amzdate);
		goto out;
	}
	if (s.presigned) {
		if (difftime(r->now, when) > (double)s.expires) {
			rc = fail(e, status, 403, "AccessDenied", "Request has expired (signed at %s)", s.amzdate);
			goto out;
		}
		if (difftime(when, r->now) > SIGV4_SKEW_MAX) {
			rc = fail(e, status, 403, "RequestTimeTooSkewed",
				  "The difference between the request time (%s) and the server's time is too large.",
				  s.amzdate);
			goto out;
		}
	} else {
		skew = difftime(r->now, when);
		if (skew > SIGV4_SKEW_MAX || skew < -SIGV4_SKEW_MAX) {
			rc = fail(e, status, 403, "RequestTimeTooSkewed",
				  "The difference between the request time (%s) and the server's time is too large "
				  "(more than 15 minutes).", s.amzdate);
			goto out;
		}
	}
	/* The payload's hash. */
	if (phash) {
		if (strlen(phash) >= sizeof payload) {
			rc = fail(e, status, 400, "InvalidArgument", "x-amz-content-sha256 is malformed%s", NULL);
			goto out;
		}
		snprintf(payload, sizeof payload, "%s", phash);
		if (is_hex64(payload) && r->body) {
			sha256_hex(r->body, r->len, body_hash);
			if (strcmp(body_hash, payload)) {
				rc = fail(e, status, 400, "XAmzContentSHA256Mismatch",
					  "The provided 'x-amz-content-sha256' header does not match what was "
					  "computed (%s).", body_hash);
				goto out;
			}
		} else if (!is_hex64(payload) && strcmp(payload, "UNSIGNED-PAYLOAD") &&
			   strncmp(payload, "STREAMING-", 10)) {
			rc = fail(e, status, 400, "InvalidArgument", "x-amz-content-sha256 '%s' is not a SHA-256, "
				  "UNSIGNED-PAYLOAD or STREAMING-*", payload);
			goto out;
		}
	} else if (s.presigned) {
		snprintf(payload, sizeof payload, "UNSIGNED-PAYLOAD");
	} else if (r->body) {
		sha256_hex(r->body, r->len, payload);
	} else {
		rc = fail(e, status, 400, "IncompleteSignatureException",
			  "the body cannot be hashed: send x-amz-content-sha256%s", NULL);
		goto out;
	}
	/* The canonical request. */
	if (buf_append(&creq, r->method, strlen(r->method)) || buf_append(&creq, "\n", 1) ||
	    canonical_uri(&creq, r->uri, q ? (size_t)(q - r->uri) : strlen(r->uri), *s3) ||
	    buf_append(&creq, "\n", 1)) {
		rc = fail(e, status, 400, "IncompleteSignatureException", "the path is too long%s", NULL);
		goto out;
	}
	if (canonical_query(&creq, q ? q + 1 : NULL, e) || buf_append(&creq, "\n", 1)) {
		*status = 400;
		goto out;
	}
	{
		const char *h = s.signed_headers;
		size_t count = 0;
		bool host = false;

		while (*h) {
			size_t l = strcspn(h, ";");
			char name[128];
			const char *v;

			if (!l || l >= sizeof name || ++count > SIGV4_HEADERS_MAX) {
				rc = fail(e, status, 400, "IncompleteSignatureException",
					  "SignedHeaders '%s' is malformed", s.signed_headers);
				goto out;
			}
			snprintf(name, sizeof name, "%.*s", (int)l, h);
			for (char *c = name; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			host |= !strcmp(name, "host");
			v = r->header(r->ctx, name);
			if ((v && strlen(v) > SIGV4_FIELD_MAX) || buf_append(&creq, name, strlen(name)) ||
			    buf_append(&creq, ":", 1) || (v && append_trimmed(&creq, v)) ||
			    buf_append(&creq, "\n", 1)) {
				rc = fail(e, status, 400, "IncompleteSignatureException",
					  "a signed header is too long%s", NULL);
				goto out;
			}
			h += l + (h[l] == ';');
		}
		if (!host) {
			rc = fail(e, status, 400, "IncompleteSignatureException",
				  "SignedHeaders '%s' must include host", s.signed_headers);
			goto out;
		}
	}
	if (buf_append(&creq, "\n", 1) || buf_append(&creq, s.signed_headers, strlen(s.signed_headers)) ||
	    buf_append(&creq, "\n", 1) || buf_append(&creq, payload, strlen(payload))) {
		rc = fail(e, status, 400, "IncompleteSignatureException", "the request is too long to sign%s", NULL);
		goto out;
	}
	/* The string to sign, and its signature. */
	snprintf(scope, sizeof scope, "%s/%s/%s/aws4_request", s.date, s.region, s.service);
	sha256_hex(creq.data, creq.len, body_hash);
	snprintf(sts, sizeof sts, ALGO "\n%s\n%s\n%s", s.amzdate, scope, body_hash);
	sigv4_sign(key->secret, s.date, s.region, s.service, sts, mine);
	if (CRYPTO_memcmp(mine, s.signature, 64)) {
		rc = *s3 ? fail(e, status, 403, "SignatureDoesNotMatch",
				"The request signature we calculated does not match the signature you provided. "
				"Check your key and signing method.%s", NULL)
			 : fail(e, status, 403, "InvalidSignatureException",
				"The request signature we calculated does not match the signature you provided. "
				"Check your AWS Secret Access Key and signing method.%s", NULL);
		goto out;
	}
	rc = 0;
out:
	buf_free(&creq);
	return rc;
}
