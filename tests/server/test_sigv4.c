/* Unit tests of SigV4 verification (server/sigv4.h): AWS's published
 * test vector (the SigV4 test suite's get-vanilla), then requests signed
 * here with sigv4_sign and altered one part at a time. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "sigv4.h"

#define AKID   "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

struct hdrs {
	const char *name[8], *value[8];
};

static const char *lookup(void *ctx, const char *name)
{
	struct hdrs *h = ctx;

	for (int i = 0; i < 8 && h->name[i]; i++)
		if (!strcasecmp(h->name[i], name))
			return h->value[i];
	return NULL;
}

static char dir[] = "/tmp/test_sigv4.XXXXXX";

static struct sigv4_keys *keys(void)
{
	char path[64];
	FILE *f;
	struct sigv4_keys *k = NULL;
	struct err e = { 0 };

	snprintf(path, sizeof path, "%s/creds", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "[default]\naws_access_key_id = " AKID "\naws_secret_access_key = " SECRET "\n"
		   "[second]\naws_access_key_id=AK2\naws_secret_access_key=S2\n");
	fclose(f);
	chmod(path, 0600);
	ck_assert_msg(!sigv4_load(path, &k, &e), "%s", e.msg);
	ck_assert_int_eq(sigv4_count(k), 2);
	return k;
}

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[80];

	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(dir, sizeof dir, "/tmp/test_sigv4.XXXXXX");
}

static int verify(struct sigv4_keys *k, const char *method, const char *uri, struct hdrs *h, const char *body,
		  time_t now, unsigned *st, bool *s3, struct err *e)
{
	struct sigv4_req r = { .method = method, .uri = uri, .header = lookup, .ctx = h, .body = body,
			       .len = body ? strlen(body) : 0, .now = now };

	memset(e, 0, sizeof *e);
	return sigv4_verify(k, &r, st, s3, e);
}

/* 2015-08-30T12:36:00Z */
#define T0 ((time_t)1440938160)

/* AWS's get-vanilla: GET / on example.amazonaws.com, service "service". */
START_TEST(aws_test_vector)
{
	struct sigv4_keys *k = keys();
	struct hdrs h = { { "Host", "X-Amz-Date", "Authorization" },
			  { "example.amazonaws.com", "20150830T123600Z",
			    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
			    "SignedHeaders=host;x-amz-date, "
			    "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" } };
	unsigned st = 0;
	bool s3;
	struct err e;

	ck_assert_msg(!verify(k, "GET", "/", &h, "", T0, &st, &s3, &e), "%s: %s", e.type, e.msg);
	ck_assert(!s3);
	/* one bit off: refused, in the service's words */
	h.value[2] = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
		     "SignedHeaders=host;x-amz-date, "
		     "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf30";
	ck_assert_int_eq(verify(k, "GET", "/", &h, "", T0, &st, &s3, &e), -1);
	ck_assert_str_eq(e.type, "InvalidSignatureException");
	ck_assert_uint_eq(st, 403);
	/* another method, path or body: refused */
	h.value[2] = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
		     "SignedHeaders=host;x-amz-date, "
		     "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
	ck_assert_int_eq(verify(k, "POST", "/", &h, "", T0, &st, &s3, &e), -1);
	ck_assert_int_eq(verify(k, "GET", "/x", &h, "", T0, &st, &s3, &e), -1);
	ck_assert_int_eq(verify(k, "GET", "/", &h, "a", T0, &st, &s3, &e), -1);
	ck_assert_int_eq(verify(k, "GET", "/?a=b", &h, "", T0, &st, &s3, &e), -1);
	/* 15 minutes of skew either way are fine; 16 are not */
	ck_assert(!verify(k, "GET", "/", &h, "", T0 + 900, &st, &s3, &e));
	ck_assert(!verify(k, "GET", "/", &h, "", T0 - 900, &st, &s3, &e));
	ck_assert_int_eq(verify(k, "GET", "/", &h, "", T0 + 960, &st, &s3, &e), -1);
	ck_assert_str_eq(e.type, "RequestTimeTooSkewed");
	ck_assert_int_eq(verify(k, "GET", "/", &h, "", T0 - 960, &st, &s3, &e), -1);
	ck_assert_str_eq(e.type, "RequestTimeTooSkewed");
	sigv4_free(k);
}
END_TEST

static void sha256hex(const char *d, char out[65])
{
	unsigned char md[32];
	unsigned int n;

	EVP_Digest(d, strlen(d), md, &n, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

/* Sign a canonical request as a client would. */
static void sign(const char *akid, const char *secret, const char *service, const char *creq, char *auth,
		 size_t size, const char *signed_headers)
{
	char h[65], sts[512], sig[65];

	sha256hex(creq, h);
	snprintf(sts, sizeof sts, "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/eu-west-3/%s/aws4_request\n%s",
		 service, h);
	sigv4_sign(secret, "20150830", "eu-west-3", service, sts, sig);
	snprintf(auth, size, "AWS4-HMAC-SHA256 Credential=%s/20150830/eu-west-3/%s/aws4_request, SignedHeaders=%s, "
		 "Signature=%s", akid, service, signed_headers, sig);
}

/* A Lambda-like path with an ARN (double-encoded), a query, a body; then S3
 * (encoded once, x-amz-content-sha256, its error names). */
START_TEST(paths_queries_bodies)
{
	struct sigv4_keys *k = keys();
	char auth[512], creq[1024], bh[65];
	struct hdrs h = { { "host", "x-amz-date", "Authorization", "X-Amz-Content-Sha256" },
			  { "localhost:8080", "20150830T123600Z", auth, NULL } };
	const char *body = "{\"a\": 1}";
	unsigned st;
	bool s3;
	struct err e;

	sha256hex(body, bh);
	snprintf(creq, sizeof creq,
		 "POST\n/2015-03-31/functions/arn%%253Aaws%%253Alambda%%253Ax%%253A1%%253Afunction%%253Af/invocations\n"
		 "Qualifier=%%24LATEST&a=x%%20y\nhost:localhost:8080\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n%s",
		 bh);
	sign("AK2", "S2", "lambda", creq, auth, sizeof auth, "host;x-amz-date");
	ck_assert_msg(!verify(k, "POST",
			      "/2015-03-31/functions/arn%3Aaws%3Alambda%3Ax%3A1%3Afunction%3Af/invocations"
			      "?a=x%20y&Qualifier=%24LATEST", &h, body, T0, &st, &s3, &e), "%s: %s", e.type, e.msg);
	/* S3: the key encoded once; the payload's hash in its header */
	snprintf(creq, sizeof creq, "PUT\n/b/dir/a%%20b.txt\n\nhost:localhost:8080\nx-amz-content-sha256:%s\n"
		 "x-amz-date:20150830T123600Z\n\nhost;x-amz-content-sha256;x-amz-date\n%s", bh, bh);
	sign(AKID, SECRET, "s3", creq, auth, sizeof auth, "host;x-amz-content-sha256;x-amz-date");
	h.value[3] = bh;
	ck_assert_msg(!verify(k, "PUT", "/b/dir/a%20b.txt", &h, body, T0, &st, &s3, &e), "%s: %s", e.type, e.msg);
	ck_assert(s3);
	ck_assert_int_eq(verify(k, "PUT", "/b/dir/a%20b.txt", &h, "other", T0, &st, &s3, &e), -1);
	ck_assert_str_eq(e.type, "XAmzContentSHA256Mismatch");
	ck_assert_uint_eq(st, 400);
	ck_assert_int_eq(verify(k, "PUT", "/b/dir/a%20c.txt", &h, body, T0, &st, &s3, &e), -1);
	ck_assert_str_eq(e.type, "SignatureDoesNotMatch");
	/* UNSIGNED-PAYLOAD: the body is not hashed */
	snprintf(creq, sizeof creq, "PUT\n/b/k\n\nhost:localhost:8080\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n"
		 "x-amz-date:20150830T123600Z\n\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD");
	sign(AKID, SECRET, "s3", creq, auth, sizeof auth, "host;x-amz-content-sha256;x-amz-date");
	h.value[3] = "UNSIGNED-PAYLOAD";
	ck_assert_msg(!verify(k, "PUT", "/b/k", &h, "anything", T0, &st, &s3, &e), "%s", e.msg);
	/* an unknown key, in S3's words */
	sign("AKNOPE", SECRET, "s3", creq, auth, sizeof auth, "host;x-amz-content-sha256;x-amz-date");
	ck_assert_int_eq(verify(k, "PUT", "/b/k", &h, "", T0, &st, &s3, &e), -1);
	ck_assert_str_eq(e.type, "InvalidAccessKeyId");
	ck_assert_uint_eq(st, 403);
	/* and in the others' */
	sign("AKNOPE", SECRET, "states", creq, auth, sizeof auth, "host;x-amz-content-sha256;x-amz-date");
	ck_assert_int_eq(verify(k, "PUT", "/b/k", &h, "", T0, &st, &s3, &e), -1);
	ck_assert_str_eq(e.type, "UnrecognizedClientException");
	/* host must be signed */
	sign(AKID, SECRET, "states", creq, auth, sizeof auth, "x-amz-date");
	ck_assert_int_eq(verify(k, "PUT", "/b/k", &h, "", T0, &st, &s3, &e), -1);
	ck_assert_str_eq(e.type, "IncompleteSignatureException");
	sigv4_free(k);
}
END_TEST

/* A presigned URL: signed in the query, UNSIGNED-PAYLOAD, expires. */
START_TEST(presigned)
{
	struct sigv4_keys *k = keys();
	struct hdrs h = { { "host" }, { "localhost:8080" } };
	char creq[1024], hh[65], sts[512], sig[65], uri[1024];
	const char *q = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3"
			"%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host";
	unsigned st;
	bool s3;
	struct err e;

	snprintf(creq, sizeof creq, "GET\n/b/k\n%s\nhost:localhost:8080\n\nhost\nUNSIGNED-PAYLOAD", q);
	sha256hex(creq, hh);
	snprintf(sts, sizeof sts, "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/s3/aws4_request\n%s", hh);
	sigv4_sign(SECRET, "20150830", "us-east-1", "s3", sts, sig);
	snprintf(uri, sizeof uri, "/b/k?%s&X-Amz-Signature=%s", q, sig);
	ck_assert_msg(!verify(k, "GET", uri, &h, "", T0 + 30, &st, &s3, &e), "%s: %s", e.type, e.msg);
	ck_assert_int_eq(verify(k, "GET", uri, &h, "", T0 + 61, &st, &s3, &e), -1);
	ck_assert_str_eq(e.type, "AccessDenied");
	ck_assert_int_eq(verify(k, "GET", "/b/k2?X-Amz-Algorithm=AWS4-HMAC-SHA256", &h, "", T0, &st, &s3, &e), -1);
	ck_assert_str_eq(e.type, "AuthorizationQueryParametersError");
	uri[strlen(uri) - 1] ^= 1;
	ck_assert_int_eq(verify(k, "GET", uri, &h, "", T0 + 30, &st, &s3, &e), -1);
	ck_assert_str_eq(e.type, "SignatureDoesNotMatch");
	sigv4_free(k);
}
END_TEST

/* No signature, a malformed one, garbage. */
START_TEST(malformed)
{
	struct sigv4_keys *k = keys();
	struct hdrs h = { { "host", "x-amz-date", "Authorization" }, { "h", "20150830T123600Z", NULL } };
	static const char *const bad[] = {
		"AWS4-HMAC-SHA256",
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3, SignedHeaders=host, Signature=00",
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request/x, SignedHeaders=host, "
		"Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, SignedHeaders=host, "
		"Signature=5FA00FA31553B73EBF1942676E86291E8372FF2A2260956D9B8AAE1D763FBF31",
		"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request, SignedHeaders=;;, "
		"Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		"AWS SigV2:abc",
		"",
	};
	unsigned st;
	bool s3;
	struct err e;

	ck_assert_int_eq(verify(k, "GET", "/", &h, "", T0, &st, &s3, &e), -1);
	ck_assert_str_eq(e.type, "MissingAuthenticationTokenException");
	ck_assert_uint_eq(st, 403);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		h.value[2] = bad[i];
		ck_assert_int_eq(verify(k, "GET", "/", &h, "", T0, &st, &s3, &e), -1);
		ck_assert_msg(st == 400 || st == 403, "%zu: %u", i, st);
	}
	sigv4_free(k);
}
END_TEST

/* The credentials file: mode 0600, key pairs, INI. */
START_TEST(credentials_file)
{
	char path[64];
	struct sigv4_keys *k = NULL;
	struct err e = { 0 };
	FILE *f;

	snprintf(path, sizeof path, "%s/c", dir);
	ck_assert_int_eq(sigv4_load(path, &k, &e), -1);
	ck_assert_msg(strstr(e.msg, "cannot read"), "%s", e.msg);
	f = fopen(path, "w");
	fprintf(f, "[default]\naws_access_key_id = A\naws_secret_access_key = B\n");
	fclose(f);
	chmod(path, 0644);
	ck_assert_int_eq(sigv4_load(path, &k, &e), -1);
	ck_assert_msg(strstr(e.msg, "0600") && strstr(e.msg, "0644"), "%s", e.msg);
	chmod(path, 0600);
	ck_assert(!sigv4_load(path, &k, &e));
	ck_assert_int_eq(sigv4_count(k), 1);
	sigv4_free(k);
	f = fopen(path, "w");
	fprintf(f, "[default]\naws_access_key_id = A\n[p]\naws_secret_access_key = B\n");
	fclose(f);
	ck_assert_int_eq(sigv4_load(path, &k, &e), -1);
	ck_assert_msg(strstr(e.msg, "no aws_access_key_id"), "%s", e.msg);
	f = fopen(path, "w");
	fprintf(f, "[default\nnot ini\n");
	fclose(f);
	ck_assert_int_eq(sigv4_load(path, &k, &e), -1);
	ck_assert_msg(strstr(e.msg, "not INI at line 1"), "%s", e.msg);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sigv4");
	TCase *tc = tcase_create("sigv4");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, aws_test_vector);
	tcase_add_test(tc, paths_queries_bodies);
	tcase_add_test(tc, presigned);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, credentials_file);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
