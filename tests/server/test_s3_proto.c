/* Unit tests of the pure pieces of the S3 API (server/s3_int.h): Range
 * headers, the aws-chunked framing, virtual-host names, reserved names,
 * URL encoding, and the XML in and out. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3_int.h"

START_TEST(range)
{
	uint64_t off = 99, len = 99;

	ck_assert_int_eq(s3_parse_range(NULL, 100, &off, &len), 1);
	ck_assert_int_eq(s3_parse_range("bytes=0-9", 100, &off, &len), 0);
	ck_assert_uint_eq(off, 0);
	ck_assert_uint_eq(len, 10);
	ck_assert_int_eq(s3_parse_range("bytes=90-", 100, &off, &len), 0);
	ck_assert_uint_eq(off, 90);
	ck_assert_uint_eq(len, 10);
	ck_assert_int_eq(s3_parse_range("bytes=-5", 100, &off, &len), 0);
	ck_assert_uint_eq(off, 95);
	ck_assert_uint_eq(len, 5);
	ck_assert_int_eq(s3_parse_range("bytes=-500", 100, &off, &len), 0);   /* the whole object */
	ck_assert_uint_eq(off, 0);
	ck_assert_uint_eq(len, 100);
	ck_assert_int_eq(s3_parse_range("bytes=50-1000", 100, &off, &len), 0); /* clipped */
	ck_assert_uint_eq(off, 50);
	ck_assert_uint_eq(len, 50);
	ck_assert_int_eq(s3_parse_range("bytes=100-", 100, &off, &len), -1);  /* 416 */
	ck_assert_int_eq(s3_parse_range("bytes=200-300", 100, &off, &len), -1);
	ck_assert_int_eq(s3_parse_range("bytes=-0", 100, &off, &len), -1);
	ck_assert_int_eq(s3_parse_range("bytes=0-0", 0, &off, &len), -1);
	ck_assert_int_eq(s3_parse_range("bytes=5-2", 100, &off, &len), 1);    /* invalid: ignored */
	ck_assert_int_eq(s3_parse_range("bytes=0-1,5-6", 100, &off, &len), 1);
	ck_assert_int_eq(s3_parse_range("items=0-1", 100, &off, &len), 1);
	ck_assert_int_eq(s3_parse_range("bytes=a-b", 100, &off, &len), 1);
	ck_assert_int_eq(s3_parse_range("bytes=99999999999999999999-", 100, &off, &len), 1);
}
END_TEST

struct acc {
	char out[256];
	size_t n;
};

static int acc_sink(void *arg, const char *p, size_t n)
{
	struct acc *a = arg;

	if (a->n + n >= sizeof a->out)
		return -1;
	memcpy(a->out + a->n, p, n);
	a->n += n;
	a->out[a->n] = '\0';
	return 0;
}

START_TEST(chunked)
{
	const char *body = "5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n"
			   "0;chunk-signature=000\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
	struct s3_chunked c;
	struct acc a;

	/* Whole, and one byte at a time: the same payload. */
	memset(&c, 0, sizeof c);
	memset(&a, 0, sizeof a);
	ck_assert_int_eq(s3_chunked_feed(&c, body, strlen(body), acc_sink, &a), 0);
	ck_assert(s3_chunked_done(&c));
	ck_assert_str_eq(a.out, "hello world");
	memset(&c, 0, sizeof c);
	memset(&a, 0, sizeof a);
	for (size_t i = 0; body[i]; i++)
		ck_assert_int_eq(s3_chunked_feed(&c, body + i, 1, acc_sink, &a), 0);
	ck_assert(s3_chunked_done(&c));
	ck_assert_str_eq(a.out, "hello world");
	/* Unsigned (STREAMING-UNSIGNED-PAYLOAD-TRAILER) framing: no ';'. */
	memset(&c, 0, sizeof c);
	memset(&a, 0, sizeof a);
	ck_assert_int_eq(s3_chunked_feed(&c, "A\r\n0123456789\r\n0\r\n\r\n", 20, acc_sink, &a), 0);
	ck_assert(s3_chunked_done(&c));
	ck_assert_str_eq(a.out, "0123456789");
	/* Ended early: not done. */
	memset(&c, 0, sizeof c);
	memset(&a, 0, sizeof a);
	ck_assert_int_eq(s3_chunked_feed(&c, "5\r\nhel", 6, acc_sink, &a), 0);
	ck_assert(!s3_chunked_done(&c));
	/* Malformed: not hex, a missing CRLF, bytes after the end, a huge line. */
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(s3_chunked_feed(&c, "zz\r\n", 4, acc_sink, &a), -1);
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(s3_chunked_feed(&c, "1\r\nab\r\n", 7, acc_sink, &a), -1);
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(s3_chunked_feed(&c, "0\r\n\r\nX", 6, acc_sink, &a), -1);
	memset(&c, 0, sizeof c);
	{
		static char big[S3_CHUNK_LINE_MAX + 10];

		memset(big, '1', sizeof big);
		ck_assert_int_eq(s3_chunked_feed(&c, big, sizeof big, acc_sink, &a), -1);
	}
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(s3_chunked_feed(&c, "1234567890abcdef0\r\n", 19, acc_sink, &a), -1); /* size overflows */
}
END_TEST

START_TEST(hosts)
{
	char b[64];

	ck_assert(s3_host_bucket("photos.localhost:8080", b, sizeof b));
	ck_assert_str_eq(b, "photos");
	ck_assert(s3_host_bucket("my.bucket.s3.localhost", b, sizeof b));
	ck_assert_str_eq(b, "my.bucket");
	ck_assert(s3_host_bucket("data.s3.us-east-1.amazonaws.com", b, sizeof b));
	ck_assert_str_eq(b, "data");
	ck_assert(s3_host_bucket("Data.s3-eu-west-1.amazonaws.com", b, sizeof b));
	ck_assert_str_eq(b, "data");
	ck_assert(!s3_host_bucket("localhost:8080", b, sizeof b));
	ck_assert(!s3_host_bucket("127.0.0.1:8080", b, sizeof b));
	ck_assert(!s3_host_bucket("[::1]:8080", b, sizeof b));
	ck_assert(!s3_host_bucket("s3.localhost", b, sizeof b));
	ck_assert(!s3_host_bucket("myhost.example.com", b, sizeof b));
	ck_assert(!s3_host_bucket(NULL, b, sizeof b));
	ck_assert(!s3_host_bucket("", b, sizeof b));
	ck_assert(!s3_host_bucket("averyveryverylongname.localhost", b, 8));
}
END_TEST

START_TEST(names)
{
	ck_assert(s3_reserved_name("2015-03-31", 10));
	ck_assert(s3_reserved_name("2018-10-31", 10));
	ck_assert(s3_reserved_name("schedules", 9));
	ck_assert(s3_reserved_name("tags", 4));
	ck_assert(!s3_reserved_name("tagsx", 5));
	ck_assert(!s3_reserved_name("my-bucket", 9));
	ck_assert(!s3_reserved_name("2015-03-3a", 10));

	char out[64];

	ck_assert(s3_urlencode("a b/c+d~e", out, sizeof out));
	ck_assert_str_eq(out, "a%20b/c%2Bd~e");
	ck_assert(s3_urlencode("\xc3\xa9", out, sizeof out));
	ck_assert_str_eq(out, "%C3%A9");
	ck_assert(!s3_urlencode("aaaa", out, 4));

	char d[40];

	s3_iso8601(0, d);
	ck_assert_str_eq(d, "1970-01-01T00:00:00.000Z");
	s3_http_date(1714564800, d);
	ck_assert_str_eq(d, "Wed, 01 May 2024 12:00:00 GMT");
}
END_TEST

START_TEST(xml_out)
{
	struct s3_xml *x = s3_xml_new("ListBucketResult");
	size_t len = 0;
	char *doc;

	ck_assert_ptr_nonnull(x);
	s3_xml_text(x, "Name", "b");
	s3_xml_open(x, "Contents");
	s3_xml_text(x, "Key", "a<&>\"b");
	s3_xml_u64(x, "Size", 12345678901ull);
	s3_xml_close(x);
	doc = s3_xml_finish(x, &len);
	ck_assert_ptr_nonnull(doc);
	ck_assert_uint_eq(len, strlen(doc));
	ck_assert_ptr_nonnull(strstr(doc, "<ListBucketResult xmlns=\"" S3_XMLNS "\">"));
	ck_assert_ptr_nonnull(strstr(doc, "<Key>a&lt;&amp;&gt;&quot;b</Key>"));
	ck_assert_ptr_nonnull(strstr(doc, "<Size>12345678901</Size>"));
	free(doc);
	/* Not UTF-8: the document fails rather than be unparseable. */
	x = s3_xml_new("R");
	s3_xml_text(x, "Key", "\xff\xfe");
	ck_assert_ptr_null(s3_xml_finish(x, &len));

	doc = s3_error_xml("NoSuchKey", "The specified key does not exist.", "/b/k<", "REQ1", &len);
	ck_assert_ptr_nonnull(doc);
	ck_assert_ptr_nonnull(strstr(doc, "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Resource>/b/k&lt;</Resource><RequestId>REQ1</RequestId></Error>"));
	free(doc);
}
END_TEST

START_TEST(xml_in)
{
	const char *del = "<?xml version=\"1.0\"?><Delete xmlns=\"" S3_XMLNS "\"><Object><Key>a</Key></Object>"
			  "<Object><Key>b &amp; c</Key><VersionId>x</VersionId></Object><Quiet>true</Quiet></Delete>";
	const char *comp = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"abc\"</ETag></Part>"
			   "<Part><ETag>def</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>";
	const char *laughs = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
			     "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><Delete><Object><Key>&c;</Key></Object></Delete>";
	struct s3_part_ref *parts;
	char **keys, msg[256];
	size_t n;
	bool quiet;

	ck_assert_int_eq(s3_parse_delete(del, strlen(del), &keys, &n, &quiet, msg, sizeof msg), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(keys[0], "a");
	ck_assert_str_eq(keys[1], "b & c");
	ck_assert(quiet);
	s3_keys_free(keys, n);
	ck_assert_int_eq(s3_parse_delete("<Delete>", 8, &keys, &n, &quiet, msg, sizeof msg), -1);
	ck_assert_int_eq(s3_parse_delete("<Nope/>", 7, &keys, &n, &quiet, msg, sizeof msg), -1);
	ck_assert_int_eq(s3_parse_delete("<Delete/>", 9, &keys, &n, &quiet, msg, sizeof msg), -1);
	ck_assert_int_eq(s3_parse_delete("", 0, &keys, &n, &quiet, msg, sizeof msg), -1);
	ck_assert_int_eq(s3_parse_delete("<Delete><Object/></Delete>", 26, &keys, &n, &quiet, msg, sizeof msg), -1);
	/* Entities are not expanded: the key is not 1000 a's. */
	if (s3_parse_delete(laughs, strlen(laughs), &keys, &n, &quiet, msg, sizeof msg) == 0) {
		ck_assert_uint_lt(strlen(keys[0]), 100);
		s3_keys_free(keys, n);
	}

	ck_assert_int_eq(s3_parse_complete(comp, strlen(comp), &parts, &n, msg, sizeof msg), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(parts[0].number, 1);
	ck_assert_str_eq(parts[0].etag, "\"abc\"");
	ck_assert_int_eq(parts[1].number, 2);
	ck_assert_str_eq(parts[1].etag, "def");
	free(parts);
	const char *bad = "<CompleteMultipartUpload><Part><PartNumber>0</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>";

	ck_assert_int_eq(s3_parse_complete(bad, strlen(bad), &parts, &n, msg, sizeof msg), -1);
	bad = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>";
	ck_assert_int_eq(s3_parse_complete(bad, strlen(bad), &parts, &n, msg, sizeof msg), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("s3_proto");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, range);
	tcase_add_test(tc, chunked);
	tcase_add_test(tc, hosts);
	tcase_add_test(tc, names);
	tcase_add_test(tc, xml_out);
	tcase_add_test(tc, xml_in);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
