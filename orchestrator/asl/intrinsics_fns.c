/* intrinsics_fns — the States.* functions and their table.
 *
 * Each function receives evaluated arguments (borrowed) and checks their
 * types itself; a wrong type or value is States.IntrinsicFailure with a
 * message naming the function and the argument. */
#include "intrinsics_impl.h"
#include "jsonpath.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/evp.h>

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static int want(const json_t *v, json_type t, const char *fn, size_t i, struct err *e)
{
	static const char *const names[] = {
		[JSON_OBJECT] = "an object", [JSON_ARRAY] = "an array",
		[JSON_STRING] = "a string",
	};

	if (json_typeof(v) == t)
		return 0;
	return ifail(e, "%s: argument %zu must be %s, got %s", fn, i + 1, names[t],
		     type_name(v));
}

/* Java's Math.round: nearest, ties toward positive infinity. */
static int java_round(double d, long long *out)
{
	double r = floor(d);

	if (d - r >= 0.5)
		r += 1;
	if (!(r >= -9223372036854775808.0 && r < 9223372036854775808.0))
		return -1;
	*out = (long long)r;
	return 0;
}

/* An integer argument. `round`: non-integral numbers are rounded (the
 * documented behaviour of MathAdd/MathRandom); else they are refused. */
static int want_int(const json_t *v, bool round, const char *fn, size_t i,
		    long long *out, struct err *e)
{
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_real(v)) {
		double d = json_real_value(v);

		if (round ? java_round(d, out) == 0
			  : (floor(d) == d && fabs(d) < 9.2e18 && (*out = (long long)d, 1)))
			return 0;
	}
	return ifail(e, "%s: argument %zu must be an integer, got %s", fn, i + 1,
		     json_is_number(v) ? "a fraction" : type_name(v));
}

static int str_arg(const json_t *v, const char *fn, size_t i, size_t max_chars,
		   struct err *e)
{
	if (want(v, JSON_STRING, fn, i, e))
		return -1;
	if (max_chars &&
	    itext_utf8_chars(json_string_value(v), json_string_length(v)) > max_chars)
		return ifail(e, "%s: argument %zu is longer than %zu characters", fn, i + 1,
			     max_chars);
	return 0;
}

static int take_buf(struct buf *b, json_t **out, struct err *e)
{
	*out = json_stringn(b->data ? b->data : "", b->len);
	buf_free(b);
	return *out ? 0 : ifail(e, "the result is not valid UTF-8");
}

static int oom(struct err *e)
{
	return ifail(e, "out of memory");
}

/* ---- generic, JSON ------------------------------------------------- */

static int fn_format(const struct intrinsic *f, json_t *const *argv, size_t argc,
		     json_t **out, struct err *e)
{
	const struct iarg *t = &f->args[0];
	bool lit = t->kind == IARG_LIT;
	const char *tpl = lit ? t->raw : json_string_value(argv[0]);
	size_t len = lit ? t->raw_len : json_string_length(argv[0]);
	struct buf b;
	int n;

	if (want(argv[0], JSON_STRING, "States.Format", 0, e))
		return -1;
	/* A template read from a path is data: only `{}` is special in it. */
	n = itext_format(tpl, len, lit, NULL, 0, NULL, NULL);
	if (n < 0)
		return ifail(e, "States.Format: invalid escape in the template");
	if ((size_t)n != argc - 1)
		return ifail(e, "States.Format: the template has %d '{}' but %zu value argument%s",
			     n, argc - 1, argc == 2 ? "" : "s");
	buf_init(&b, INTRINSIC_RESULT_MAX);
	if (itext_format(tpl, len, lit, argv + 1, argc - 1, &b, e) < 0) {
		buf_free(&b);
		return -1;
	}
	return take_buf(&b, out, e);
}

static int fn_string_to_json(const struct intrinsic *f, json_t *const *argv,
			     size_t argc, json_t **out, struct err *e)
{
	json_error_t je;

	(void)f, (void)argc;
	if (want(argv[0], JSON_STRING, "States.StringToJson", 0, e))
		return -1;
	*out = json_loadb(json_string_value(argv[0]), json_string_length(argv[0]),
			  JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!*out)
		return ifail(e, "States.StringToJson: the argument is not valid JSON: %s "
			     "(line %d, column %d)", je.text, je.line, je.column);
	return 0;
}

static int fn_json_to_string(const struct intrinsic *f, json_t *const *argv,
			     size_t argc, json_t **out, struct err *e)
{
	struct buf b;

	(void)f, (void)argc;
	buf_init(&b, INTRINSIC_RESULT_MAX);
	if (itext_json(argv[0], &b, 0)) {
		buf_free(&b);
		return ifail(e, "States.JsonToString: the result is larger than %d bytes "
			     "or nested too deeply", INTRINSIC_RESULT_MAX);
	}
	return take_buf(&b, out, e);
}

static int fn_json_merge(const struct intrinsic *f, json_t *const *argv, size_t argc,
			 json_t **out, struct err *e)
{
	(void)f, (void)argc;
	if (want(argv[0], JSON_OBJECT, "States.JsonMerge", 0, e) ||
	    want(argv[1], JSON_OBJECT, "States.JsonMerge", 1, e))
		return -1;
	if (!json_is_boolean(argv[2]))
		return ifail(e, "States.JsonMerge: argument 3 must be a boolean, got %s",
			     type_name(argv[2]));
	if (json_is_true(argv[2]))
		return ifail(e, "States.JsonMerge: only shallow merging is supported; "
			     "argument 3 must be false");
	*out = json_copy(argv[0]);
	if (!*out || json_object_update(*out, argv[1])) {
		json_decref(*out);
		*out = NULL;
		return oom(e);
	}
	return 0;
}

/* ---- arrays --------------------------------------------------------- */

static int fn_array(const struct intrinsic *f, json_t *const *argv, size_t argc,
		    json_t **out, struct err *e)
{
	size_t i;

	(void)f;
	*out = json_array();
	for (i = 0; *out && i < argc; i++)
		if (json_array_append(*out, argv[i])) {
			json_decref(*out);
			*out = NULL;
		}
	return *out ? 0 : oom(e);
}

static int fn_array_partition(const struct intrinsic *f, json_t *const *argv,
			      size_t argc, json_t **out, struct err *e)
{
	const char *fn = "States.ArrayPartition";
	long long size;
	size_t i, n;
	json_t *chunk = NULL;

	(void)f, (void)argc;
	if (want(argv[0], JSON_ARRAY, fn, 0, e) || want_int(argv[1], false, fn, 1, &size, e))
		return -1;
	if (size <= 0)
		return ifail(e, "%s: the chunk size must be a positive integer, got %lld", fn, size);
	*out = json_array();
	if (!*out)
		return oom(e);
	n = json_array_size(argv[0]);
	for (i = 0; i < n; i++) {
		if ((unsigned long long)i % (unsigned long long)size == 0) {
			chunk = json_array();
			if (!chunk || json_array_append_new(*out, chunk))
				goto fail;
		}
		if (json_array_append(chunk, json_array_get(argv[0], i)))
			goto fail;
	}
	return 0;
fail:
	json_decref(*out);
	*out = NULL;
	return oom(e);
}

static int fn_array_contains(const struct intrinsic *f, json_t *const *argv,
			     size_t argc, json_t **out, struct err *e)
{
	size_t i;
	json_t *v;
	bool found = false;

	(void)f, (void)argc;
	if (want(argv[0], JSON_ARRAY, "States.ArrayContains", 0, e))
		return -1;
	json_array_foreach(argv[0], i, v) {
		if (jsonpath_value_equal(v, argv[1])) {
			found = true;
			break;
		}
	}
	*out = json_boolean(found);
	return 0;
}

static int fn_array_range(const struct intrinsic *f, json_t *const *argv, size_t argc,
			  json_t **out, struct err *e)
{
	const char *fn = "States.ArrayRange";
	long long start, end, step, count, i;
	__int128 span;

	(void)f, (void)argc;
	if (want_int(argv[0], false, fn, 0, &start, e) ||
	    want_int(argv[1], false, fn, 1, &end, e) ||
	    want_int(argv[2], false, fn, 2, &step, e))
		return -1;
	if (step == 0)
		return ifail(e, "%s: the step must not be 0", fn);
	span = ((__int128)end - start) / step;
	if (span < 0)
		count = 0;
	else if (span >= INTRINSIC_RANGE_MAX)
		return ifail(e, "%s: the result would have more than %d elements", fn,
			     INTRINSIC_RANGE_MAX);
	else
		count = (long long)span + 1;
	*out = json_array();
	for (i = 0; *out && i < count; i++)
		if (json_array_append_new(*out, json_integer(start + i * step))) {
			json_decref(*out);
			*out = NULL;
		}
	return *out ? 0 : oom(e);
}

static int fn_array_get_item(const struct intrinsic *f, json_t *const *argv,
			     size_t argc, json_t **out, struct err *e)
{
	const char *fn = "States.ArrayGetItem";
	long long idx;

	(void)f, (void)argc;
	if (want(argv[0], JSON_ARRAY, fn, 0, e) || want_int(argv[1], false, fn, 1, &idx, e))
		return -1;
	if (idx < 0 || (unsigned long long)idx >= json_array_size(argv[0]))
		return ifail(e, "%s: index %lld is out of bounds for an array of %zu", fn, idx,
			     json_array_size(argv[0]));
	*out = json_incref(json_array_get(argv[0], (size_t)idx));
	return 0;
}

static int fn_array_length(const struct intrinsic *f, json_t *const *argv,
			   size_t argc, json_t **out, struct err *e)
{
	(void)f, (void)argc;
	if (want(argv[0], JSON_ARRAY, "States.ArrayLength", 0, e))
		return -1;
	*out = json_integer((json_int_t)json_array_size(argv[0]));
	return *out ? 0 : oom(e);
}

/* Hash consistent with jsonpath_value_equal: integral numbers hash as
 * integers, object members in any order hash the same. */
static uint64_t vhash(const json_t *v, int depth)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	if (depth > JSONPATH_DEPTH_MAX)
		return 7;
	switch (json_typeof(v)) {
	case JSON_INTEGER:
		return (uint64_t)json_integer_value(v) * 0x9e3779b97f4a7c15ull;
	case JSON_REAL: {
		double d = json_real_value(v);
		uint64_t bits;

		if (floor(d) == d && fabs(d) < 9.2e18)
			return (uint64_t)(long long)d * 0x9e3779b97f4a7c15ull;
		memcpy(&bits, &d, sizeof bits);
		return bits * 0xff51afd7ed558ccdull;
	}
	case JSON_STRING: {
		const unsigned char *s = (const unsigned char *)json_string_value(v);

		for (i = 0; i < json_string_length(v); i++)
			h = (h ^ s[i]) * 1099511628211ull;
		return h;
	}
	case JSON_ARRAY:
		for (i = 0; i < json_array_size(v); i++)
			h = (h ^ vhash(json_array_get(v, i), depth + 1)) * 1099511628211ull;
		return h + 17;
	case JSON_OBJECT: {
		uint64_t sum = 31;
		void *it;

		for (it = json_object_iter((json_t *)v); it;
		     it = json_object_iter_next((json_t *)v, it)) {
			const unsigned char *k = (const unsigned char *)json_object_iter_key(it);
			uint64_t kh = 1469598103934665603ull;

			for (i = 0; i < json_object_iter_key_len(it); i++)
				kh = (kh ^ k[i]) * 1099511628211ull;
			sum += kh * 31 + vhash(json_object_iter_value(it), depth + 1);
		}
		return sum;
	}
	default:
		return (uint64_t)json_typeof(v) + 101;
	}
}

static int fn_array_unique(const struct intrinsic *f, json_t *const *argv,
			   size_t argc, json_t **out, struct err *e)
{
	size_t n, cap = 16, i, *slots = NULL;
	json_t *res = NULL;

	(void)f, (void)argc;
	if (want(argv[0], JSON_ARRAY, "States.ArrayUnique", 0, e))
		return -1;
	n = json_array_size(argv[0]);
	while (cap < 2 * n)
		cap *= 2;
	/* Open addressing over indexes into res (+1; 0 is empty). */
	slots = calloc(cap, sizeof *slots);
	res = json_array();
	if (!slots || !res)
		goto fail;
	for (i = 0; i < n; i++) {
		json_t *v = json_array_get(argv[0], i);
		size_t s = (size_t)vhash(v, 0) & (cap - 1);
		bool dup = false;

		for (; slots[s]; s = (s + 1) & (cap - 1)) {
			if (jsonpath_value_equal(json_array_get(res, slots[s] - 1), v)) {
				dup = true;
				break;
			}
		}
		if (dup)
			continue;
		if (json_array_append(res, v))
			goto fail;
		slots[s] = json_array_size(res);
	}
	free(slots);
	*out = res;
	return 0;
fail:
	free(slots);
	json_decref(res);
	return oom(e);
}

/* ---- encoding, hashing ------------------------------------------------ */

static int fn_base64_encode(const struct intrinsic *f, json_t *const *argv,
			    size_t argc, json_t **out, struct err *e)
{
	struct buf b;

	(void)f, (void)argc;
	if (str_arg(argv[0], "States.Base64Encode", 0, INTRINSIC_CHARS_MAX, e))
		return -1;
	buf_init(&b, INTRINSIC_RESULT_MAX);
	if (itext_b64_encode((const unsigned char *)json_string_value(argv[0]),
			     json_string_length(argv[0]), &b)) {
		buf_free(&b);
		return oom(e);
	}
	return take_buf(&b, out, e);
}

static int fn_base64_decode(const struct intrinsic *f, json_t *const *argv,
			    size_t argc, json_t **out, struct err *e)
{
	struct buf b;

	(void)f, (void)argc;
	if (str_arg(argv[0], "States.Base64Decode", 0, INTRINSIC_CHARS_MAX, e))
		return -1;
	buf_init(&b, INTRINSIC_RESULT_MAX);
	if (itext_b64_decode(json_string_value(argv[0]), json_string_length(argv[0]), &b)) {
		buf_free(&b);
		return ifail(e, "States.Base64Decode: the argument is not valid Base64");
	}
	*out = itext_string_lossy(b.data ? b.data : "", b.len);
	buf_free(&b);
	return *out ? 0 : oom(e);
}

static int fn_hash(const struct intrinsic *f, json_t *const *argv, size_t argc,
		   json_t **out, struct err *e)
{
	static const struct { const char *name; const EVP_MD *(*md)(void); } algs[] = {
		{ "MD5", EVP_md5 }, { "SHA-1", EVP_sha1 }, { "SHA-256", EVP_sha256 },
		{ "SHA-384", EVP_sha384 }, { "SHA-512", EVP_sha512 },
	};
	unsigned char md[EVP_MAX_MD_SIZE];
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	unsigned int mdlen = 0, i;
	size_t a;

	(void)f, (void)argc;
	if (str_arg(argv[0], "States.Hash", 0, INTRINSIC_CHARS_MAX, e) ||
	    want(argv[1], JSON_STRING, "States.Hash", 1, e))
		return -1;
	for (a = 0; a < sizeof algs / sizeof algs[0]; a++)
		if (strcmp(json_string_value(argv[1]), algs[a].name) == 0)
			break;
	if (a == sizeof algs / sizeof algs[0])
		return ifail(e, "States.Hash: unsupported algorithm '%.64s'; use one of "
			     "MD5, SHA-1, SHA-256, SHA-384, SHA-512", json_string_value(argv[1]));
	if (!EVP_Digest(json_string_value(argv[0]), json_string_length(argv[0]), md, &mdlen,
			algs[a].md(), NULL))
		return ifail(e, "States.Hash: digest failed");
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[2 * mdlen] = '\0';
	*out = json_string(hex);
	return *out ? 0 : oom(e);
}

/* ---- math --------------------------------------------------------------- */

static int fill_random(void *p, size_t n)
{
	unsigned char *b = p;

	while (n) {
		ssize_t r = getrandom(b, n, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

/* java.util.Random, so that a seeded States.MathRandom is reproducible
 * and matches a JVM's `new Random(seed).nextInt(end - start) + start`. */
struct jrand {
	uint64_t s;
};

static void jr_seed(struct jrand *r, uint64_t seed)
{
	r->s = (seed ^ 0x5deece66dull) & ((1ull << 48) - 1);
}

static int32_t jr_next(struct jrand *r, int bits)
{
	r->s = (r->s * 0x5deece66dull + 0xbull) & ((1ull << 48) - 1);
	return (int32_t)(uint32_t)(r->s >> (48 - bits));
}

static int32_t jr_next_int(struct jrand *r, int32_t bound)
{
	int32_t v = jr_next(r, 31), m = bound - 1, u;

	if ((bound & m) == 0)
		return (int32_t)(((int64_t)bound * v) >> 31);
	for (u = v; (int32_t)((uint32_t)u - (uint32_t)(v = u % bound) + (uint32_t)m) < 0;
	     u = jr_next(r, 31))
		;
	return v;
}

static int fn_math_random(const struct intrinsic *f, json_t *const *argv, size_t argc,
			  json_t **out, struct err *e)
{
	const char *fn = "States.MathRandom";
	long long start, end, seed;
	uint64_t bound, x;
	struct jrand r;

	(void)f;
	if (want_int(argv[0], true, fn, 0, &start, e) || want_int(argv[1], true, fn, 1, &end, e))
		return -1;
	if (argc == 3) {
		if (want_int(argv[2], true, fn, 2, &seed, e))
			return -1;
	} else if (fill_random(&seed, sizeof seed)) {
		return ifail(e, "%s: no randomness available", fn);
	}
	if (start >= end)
		return ifail(e, "%s: the start (%lld) must be less than the end (%lld)", fn,
			     start, end);
	bound = (uint64_t)end - (uint64_t)start;
	jr_seed(&r, (uint64_t)seed);
	if (bound <= INT32_MAX) {
		x = (uint64_t)jr_next_int(&r, (int32_t)bound);
	} else {
		x = ((uint64_t)(uint32_t)jr_next(&r, 32) << 32) | (uint32_t)jr_next(&r, 32);
		x %= bound;
	}
	*out = json_integer((json_int_t)((uint64_t)start + x));
	return *out ? 0 : oom(e);
}

static int fn_math_add(const struct intrinsic *f, json_t *const *argv, size_t argc,
		       json_t **out, struct err *e)
{
	long long a, b, s;

	(void)f, (void)argc;
	if (want_int(argv[0], true, "States.MathAdd", 0, &a, e) ||
	    want_int(argv[1], true, "States.MathAdd", 1, &b, e))
		return -1;
	if (__builtin_add_overflow(a, b, &s))
		return ifail(e, "States.MathAdd: the sum overflows");
	*out = json_integer(s);
	return *out ? 0 : oom(e);
}

/* ---- strings, ids --------------------------------------------------------- */

static uint32_t next_cp(const unsigned char *s, size_t len, size_t *i)
{
	uint32_t cp = s[*i];
	size_t n = cp < 0x80 ? 1 : cp < 0xe0 ? 2 : cp < 0xf0 ? 3 : 4, k;

	if (n > 1)
		cp &= 0x3f >> (n - 1);
	for (k = 1; k < n && *i + k < len; k++)
		cp = cp << 6 | (s[*i + k] & 0x3f);
	*i += n;
	return cp;
}

static int fn_string_split(const struct intrinsic *f, json_t *const *argv,
			   size_t argc, json_t **out, struct err *e)
{
	const unsigned char *s, *d;
	size_t slen, dlen, i, j, tok;
	json_t *res = NULL;

	(void)f, (void)argc;
	if (want(argv[0], JSON_STRING, "States.StringSplit", 0, e) ||
	    want(argv[1], JSON_STRING, "States.StringSplit", 1, e))
		return -1;
	s = (const unsigned char *)json_string_value(argv[0]);
	slen = json_string_length(argv[0]);
	d = (const unsigned char *)json_string_value(argv[1]);
	dlen = json_string_length(argv[1]);
	res = json_array();
	if (!res)
		return oom(e);
	/* Every character of the delimiter string splits; empty pieces drop. */
	for (i = tok = 0; i <= slen;) {
		size_t at = i;
		bool split = i == slen;

		if (!split) {
			uint32_t cp = next_cp(s, slen, &i);

			for (j = 0; j < dlen && !split;)
				split = next_cp(d, dlen, &j) == cp;
		} else {
			i++;
		}
		if (!split)
			continue;
		if (at > tok && json_array_append_new(res, json_stringn((const char *)s + tok,
									at - tok))) {
			json_decref(res);
			return oom(e);
		}
		tok = i;
	}
	*out = res;
	return 0;
}

static int fn_uuid(const struct intrinsic *f, json_t *const *argv, size_t argc,
		   json_t **out, struct err *e)
{
	unsigned char u[16];
	char s[37];

	(void)f, (void)argv, (void)argc;
	if (fill_random(u, sizeof u))
		return ifail(e, "States.UUID: no randomness available");
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	snprintf(s, sizeof s,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
		 u[12], u[13], u[14], u[15]);
	*out = json_string(s);
	return *out ? 0 : oom(e);
}

const struct ifn intrinsic_fns[] = {
	{ "States.Format",         1, -1, fn_format },
	{ "States.StringToJson",   1,  1, fn_string_to_json },
	{ "States.JsonToString",   1,  1, fn_json_to_string },
	{ "States.Array",          0, -1, fn_array },
	{ "States.ArrayPartition", 2,  2, fn_array_partition },
	{ "States.ArrayContains",  2,  2, fn_array_contains },
	{ "States.ArrayRange",     3,  3, fn_array_range },
	{ "States.ArrayGetItem",   2,  2, fn_array_get_item },
	{ "States.ArrayLength",    1,  1, fn_array_length },
	{ "States.ArrayUnique",    1,  1, fn_array_unique },
	{ "States.Base64Encode",   1,  1, fn_base64_encode },
	{ "States.Base64Decode",   1,  1, fn_base64_decode },
	{ "States.Hash",           2,  2, fn_hash },
	{ "States.JsonMerge",      3,  3, fn_json_merge },
	{ "States.MathRandom",     2,  3, fn_math_random },
	{ "States.MathAdd",        2,  2, fn_math_add },
	{ "States.StringSplit",    2,  2, fn_string_split },
	{ "States.UUID",           0,  0, fn_uuid },
	{ NULL, 0, 0, NULL },
};
