/* exec_jsonata — evaluating the JSONata fields of a state: the environment
 * of Step Functions' own functions ($partition, $range, $hash, $random,
 * $uuid, $parse; $eval forbidden), $states bound per evaluation, errors as
 * States.QueryEvaluationError, and the end of a JSONata state (Assign and
 * Output read the variables from before the state).
 *
 * Every evaluation is bounded (depth, time, arena memory: jsonata_limits),
 * so a hostile expression in a definition cannot hang the loop thread. The
 * environment is built once (pthread_once) and read-only afterwards. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <openssl/evp.h>

#include "exec_internal.h"
#include "utf8.h"
#include "jsonata.h"

#define JX_TIME_MS    1000               /* per evaluation */
#define JX_DEPTH      500                /* nested calls */
#define JX_MEMORY     ((size_t)64 << 20)  /* arena */
#define JX_RANGE_MAX  360145           /* $range items: where Step Functions refuses */
#define JX_PARSE_MAX  (256 * 1024)       /* $parse text, the data limit */

static int xfail(struct jsonata_error *err, const char *msg)
{
	snprintf(err->code, sizeof err->code, "%s", "D3137");
	snprintf(err->message, sizeof err->message, "%s", msg);
	return -1;
}

static bool is_int(const json_t *v)
{
	double d = json_number_value(v);

	return json_is_integer(v) || (json_is_real(v) && d == floor(d) && fabs(d) < 9e15);
}

/* A number argument as Step Functions reads it: truncated towards zero
 * ($range(-1.7, 2, 1) starts at -1, $partition(a, 2.9) chunks by 2).
 * False when it is not a finite number of a sane size. */
static bool int_arg(const json_t *v, double *out)
{
	double d = json_number_value(v);

	if (!json_is_number(v) || !(fabs(d) < 9e15))
		return false;
	*out = trunc(d);
	return true;
}

/* $partition(array, size): the array in chunks of `size`. An empty array
 * or a size under 1 gives undefined, as in Step Functions (the field then
 * fails: "returned nothing"). */
static int fn_partition(void *ud, json_t *const *a, int n, json_t **out, struct jsonata_error *err)
{
	json_t *res, *chunk = NULL;
	size_t i, len;
	double sz;

	(void)ud;
	*out = NULL;
	if (n != 2 || !json_is_array(a[0]) || !int_arg(a[1], &sz))
		return xfail(err, "$partition(array, chunkSize): an array and a number expected");
	len = json_array_size(a[0]);
	if (sz < 1 || !len)
		return 0;
	res = json_array();
	for (i = 0; res && i < len; i++) {
		if (!chunk || json_array_size(chunk) >= (size_t)sz) {
			chunk = json_array();
			if (json_array_append_new(res, chunk))
				break;
		}
		if (json_array_append(chunk, json_array_get(a[0], i)))
			break;
	}
	if (!res || i < len) {
		json_decref(res);
		return xfail(err, "out of memory");
	}
	*out = res;
	return 0;
}

/* $range(start, end, step): start, start+step, ... up to end inclusive.
 * As Step Functions gives it: no step, a step of 0 or one going away from
 * end gives undefined; one item is that number, not an array of one. */
static int fn_range(void *ud, json_t *const *a, int n, json_t **out, struct jsonata_error *err)
{
	double s, e, st, k, i;
	json_t *res, *x;

	(void)ud;
	*out = NULL;
	if (n < 2 || n > 3 || !int_arg(a[0], &s) || !int_arg(a[1], &e) ||
	    (n == 3 && a[2] && !int_arg(a[2], &st)))
		return xfail(err, "$range(start, end, step): numbers expected");
	if (n < 3 || !a[2] || st == 0 || (st > 0 ? s > e : s < e))
		return 0;
	k = floor((e - s) / st) + 1;     /* the number of items, >= 1 */
	if (k > JX_RANGE_MAX)
		return xfail(err, "$range: more than 360145 items (the evaluation memory limit)");
	if (k == 1) {
		*out = json_integer((json_int_t)s);
		return *out ? 0 : xfail(err, "out of memory");
	}
	res = json_array();
	for (i = 0; res && i < k; i++) {
		x = json_integer((json_int_t)(s + i * st));
		if (json_array_append_new(res, x)) {
			json_decref(res);
			return xfail(err, "out of memory");
		}
	}
	*out = res;
	return res ? 0 : xfail(err, "out of memory");
}

static int fn_hash(void *ud, json_t *const *a, int n, json_t **out, struct jsonata_error *err)
{
	static const struct { const char *name; const EVP_MD *(*md)(void); } algs[] = {
		{ "MD5", EVP_md5 }, { "SHA-1", EVP_sha1 }, { "SHA-256", EVP_sha256 },
		{ "SHA-384", EVP_sha384 }, { "SHA-512", EVP_sha512 },
	};
	unsigned char md[EVP_MAX_MD_SIZE];
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	unsigned int mdlen = 0, i;
	size_t k;

	(void)ud;
	*out = NULL;
	if (n == 1 || (n == 2 && !a[1]))
		return 0;        /* no algorithm: undefined, as in Step Functions */
	if (n != 2 || !json_is_string(a[0]) || !json_is_string(a[1]))
		return xfail(err, "$hash(data, algorithm): two strings expected");
	for (k = 0; k < sizeof algs / sizeof algs[0]; k++)
		if (!strcmp(json_string_value(a[1]), algs[k].name))
			break;
	if (k == sizeof algs / sizeof algs[0])
		return xfail(err, "$hash: the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512");
	if (!EVP_Digest(json_string_value(a[0]), json_string_length(a[0]), md, &mdlen,
			algs[k].md(), NULL))
		return xfail(err, "$hash: digest failed");
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[2 * mdlen] = '\0';
	*out = json_string(hex);
	return *out ? 0 : xfail(err, "out of memory");
}

/* splitmix64: $random(seed) gives the same number for the same seed. */
static uint64_t mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int fn_random(void *ud, json_t *const *a, int n, json_t **out, struct jsonata_error *err)
{
	uint64_t r;

	(void)ud;
	if (n > 1 || (n == 1 && a[0] && !(json_is_number(a[0]) && is_int(a[0]))))
		return xfail(err, "$random([seed]): the seed must be an integer");
	if (n == 1 && a[0]) {
		r = mix((uint64_t)(int64_t)json_number_value(a[0]));
	} else if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r) {
		return xfail(err, "$random: no randomness available");
	}
	*out = json_real((double)(r >> 11) / (double)(1ULL << 53));
	return *out ? 0 : xfail(err, "out of memory");
}

static int fn_uuid(void *ud, json_t *const *a, int n, json_t **out, struct jsonata_error *err)
{
	unsigned char u[16];
	char s[37];

	(void)ud, (void)a;
	if (n)
		return xfail(err, "$uuid() takes no arguments");
	if (getrandom(u, sizeof u, 0) != (ssize_t)sizeof u)
		return xfail(err, "$uuid: no randomness available");
	u[6] = (u[6] & 0x0f) | 0x40;
	u[8] = (u[8] & 0x3f) | 0x80;
	snprintf(s, sizeof s,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11],
		 u[12], u[13], u[14], u[15]);
	*out = json_string(s);
	return *out ? 0 : xfail(err, "out of memory");
}

static int fn_parse(void *ud, json_t *const *a, int n, json_t **out, struct jsonata_error *err)
{
	json_error_t je;

	(void)ud;
	if (n != 1 || !json_is_string(a[0]))
		return xfail(err, "$parse(text): a string expected");
	if (json_string_length(a[0]) > JX_PARSE_MAX)
		return xfail(err, "$parse: the text is longer than 256 KiB");
	*out = json_loadb(json_string_value(a[0]), json_string_length(a[0]),
			  JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	if (!*out) {
		snprintf(err->code, sizeof err->code, "%s", "D3137");
		utf8_snprintf(err->message, sizeof err->message, "$parse: not JSON: %.*s", utf8_cut(je.text, 200),
			      je.text);
		return -1;
	}
	return 0;
}

static struct jsonata_env *env;
static pthread_once_t env_once = PTHREAD_ONCE_INIT;

static void env_build(void)
{
	struct jsonata_env *x = jsonata_env_new();

	if (!x)
		return;
	if (jsonata_env_add(x, "partition", NULL, fn_partition, NULL) ||
	    jsonata_env_add(x, "range", NULL, fn_range, NULL) ||
	    jsonata_env_add(x, "hash", NULL, fn_hash, NULL) ||
	    jsonata_env_add(x, "random", NULL, fn_random, NULL) ||
	    jsonata_env_add(x, "uuid", NULL, fn_uuid, NULL) ||
	    jsonata_env_add(x, "parse", NULL, fn_parse, NULL) ||
	    /* not a function in Step Functions: calling it is T1006 */
	    jsonata_env_forbid(x, "eval", "T1006", "Attempted to invoke a non-function")) {
		jsonata_env_free(x);
		return;
	}
	env = x;
}

const struct jsonata_env *exec_jx_env(void)
{
	pthread_once(&env_once, env_build);
	return env;
}

/* The expression inside "{% ... %}", as Step Functions quotes it in errors. */
int jx_inner(const char *s, const char **b)
{
	const char *e;

	size_t n = s ? strlen(s) : 0;

	if (n < 4 || s[0] != '{' || s[1] != '%' || s[n - 2] != '%' || s[n - 1] != '}') {
		*b = s ? s : "";
		return (int)n;
	}
	*b = s + 2;
	e = s + n - 2;
	while (*b < e && strchr(" \t\r\n", **b))
		(*b)++;
	while (e > *b && strchr(" \t\r\n", e[-1]))
		e--;
	return (int)(e - *b);
}

/* Only build $states.context for expressions that can read it: the text
 * names "context", or uses $states other than as $states.NAME. */
static bool reads_context(const char *text)
{
	const char *p = text;

	if (!text || strstr(text, "context"))
		return true;
	while ((p = strstr(p, "$states"))) {
		p += 7;
		if (*p != '.')
			return true;
	}
	return false;
}

int ec_jsonata(struct evalctx *ec, const struct asl_template *t, const char *field, json_t **out,
	       struct err *e)
{
	struct jsonata_limits lim = { .depth_max = JX_DEPTH, .time_ms = JX_TIME_MS,
				      .memory_max = JX_MEMORY };
	const struct jsonata_env *x = exec_jx_env();
	struct jsonata_error je;
	json_t *b, *states;
	int rc;

	*out = NULL;
	if (!x)
		return err_set(e, ERR_STATES_RUNTIME, "out of memory (JSONata environment)");
	b = ec->f->vars ? json_copy(ec->f->vars) : json_object();
	states = json_object();
	if (!b || !states || json_object_set_new_nocheck(b, "states", states)) {
		json_decref(b);
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	}
	if ((ec->input && json_object_set_nocheck(states, "input", ec->input)) ||
	    (ec->result && json_object_set_nocheck(states, "result", ec->result)) ||
	    (ec->errout && json_object_set_nocheck(states, "errorOutput", ec->errout))) {
		json_decref(b);
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	}
	if (reads_context(t->expr.text)) {
		json_t *c = ec_context(ec);

		if (c && json_object_set_nocheck(states, "context", c)) {
			json_decref(b);
			return err_set(e, ERR_STATES_RUNTIME, "out of memory");
		}
	}
	memset(&je, 0, sizeof je);
	rc = jsonata_eval_env(t->jx, x, ec->input, b, &lim, out, &je);
	json_decref(b);
	if (rc) {
		const char *x;
		int n = jx_inner(t->expr.text, &x);

		*out = NULL;
		return err_set(e, ERR_STATES_QUERY_EVALUATION,
			       "The JSONata expression '%.*s'%s%.*s%s threw an error during evaluation. %s: %.*s",
			       utf8_cut(x, n > 200 ? 200 : (size_t)n), x, field ? " specified for the field '" : "",
			       field ? utf8_cut(field, 200) : 0, field ? field : "", field ? "'" : "", je.code,
			       utf8_cut(je.message, 400), je.message);
	}
	return 0;
}

int jx_undefined(const struct asl_template *t, const char *field, struct err *e)
{
	const char *b;
	int n = jx_inner(t->expr.text, &b);

	return err_set(e, ERR_STATES_QUERY_EVALUATION,
		       "The JSONata expression '%.*s' specified for the field '%s' returned nothing (undefined).",
		       utf8_cut(b, n > 200 ? 200 : (size_t)n), b, field);
}

int jx_field(struct evalctx *ec, const struct asl_template *t, const char *what, json_t **out,
	     struct err *e)
{
	const char *outer = ec->field;
	int rc;

	ec->field = what;
	rc = ec_template(ec, t, out, e);
	ec->field = outer;
	if (rc)
		return -1;
	if (!*out)
		return jx_undefined(t, what, e);
	return 0;
}

int jx_finish(struct frame *f, json_t *input, json_t *result, json_t *errout,
	      const struct asl_template *assign, const char *assign_name,
	      const struct asl_template *output, const char *output_name, json_t **out,
	      struct err *e)
{
	struct evalctx ec;
	json_t *vals = NULL;
	int rc = 0;

	*out = NULL;
	ec_init(&ec, f, input);
	ec.result = result;
	ec.errout = errout;
	/* both read the variables from before the state */
	if (assign)
		rc = jx_field(&ec, assign, assign_name ? assign_name : "Assign", &vals, e);
	if (!rc && output)
		rc = jx_field(&ec, output, output_name ? output_name : "Output", out, e);
	ec_done(&ec);
	if (!rc && vals)
		rc = io_assign_values(f, vals, e);
	json_decref(vals);
	if (rc) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	if (!output)
		*out = json_incref(result ? result : errout ? errout : input);
	return 0;
}

int jx_seconds(struct evalctx *ec, const struct asl_template *t, const char *what, uint64_t min,
	       uint64_t max, uint64_t *out, struct err *e)
{
	json_t *v = NULL;
	double d;

	if (jx_field(ec, t, what, &v, e))
		return -1;
	d = json_number_value(v);
	if (!json_is_number(v) || d != floor(d) || d < (double)min || d > (double)max) {
		json_decref(v);
		const char *x;
		int n = jx_inner(t->expr.text, &x);

		return err_set(e, ERR_STATES_QUERY_EVALUATION,
			       "The JSONata expression '%.*s' specified for the field '%s' must return an integer between %llu and %llu",
			       n > 200 ? 200 : n, x, what, (unsigned long long)min, (unsigned long long)max);
	}
	*out = (uint64_t)d;
	json_decref(v);
	return 0;
}
