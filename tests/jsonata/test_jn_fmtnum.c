/* $formatNumber's speed work (jsonata/jn_fn_format.c) kept exact:
 *
 * - golden cases (results of jsonata@2.2.2 on node, the reference) for the
 *   rounding edge cases (0.5 ties, decimal "ties" that are not in binary,
 *   1e21, -0, tiny numbers, many digits) and for the per-thread cache of
 *   analysed pictures: pictures alternating in one evaluation and across
 *   evaluations, pictures built at run time or bound, more pictures than
 *   the cache holds, decimal-format options (the same picture with and
 *   without them), pictures and options too long to be cached, pictures
 *   that raise errors (never cached); each evaluated several times (the
 *   first fills the cache, the others read it);
 * - threads formatting at once (each thread has its own cache);
 * - white-box: jn_js_to_fixed (toFixed without printf in the common case)
 *   against an exact oracle (the full binary expansion, rounded half up by
 *   hand) and jn_js_round (round() without the decimal digits when far from
 *   a half) against functions.js's own formula (String(v) + "e" + shift read
 *   back by strtod), bit for bit, over random and near-tie values. */
#include <check.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jn_fn_a.h"
#include "jn_int.h"
#include "jsonata.h"

/* Evaluates EXPR with BINDINGS (JSON text or NULL); the JSON text of the
 * result, "ERR <code>" or "undefined" into got (cap bytes). */
static void eval_to(const char *expr, const char *bindings, char *got, size_t cap)
{
	struct jsonata *x = NULL;
	struct jsonata_error err;
	memset(&err, 0, sizeof err);
	if (jsonata_compile(expr, strlen(expr), &x, &err) < 0) {
		snprintf(got, cap, "COMPILE %s", err.code);
		return;
	}
	json_t *b = bindings ? json_loads(bindings, 0, NULL) : NULL;
	char *out = NULL;
	if (jsonata_eval_text(x, NULL, NULL, b, NULL, &out, &err) < 0)
		snprintf(got, cap, "ERR %s", err.code);
	else
		snprintf(got, cap, "%s", out ? out : "undefined");
	free(out);
	json_decref(b);
	jsonata_free(x);
}

/* expression, the reference's JSON.stringify of its result ("ERR code") */
static const struct {
	const char *expr, *want;
} GOLDEN[] = {
	{ "$formatNumber(0.5, \"0\")", "\"0\"" },
	{ "$formatNumber(1.5, \"0\")", "\"2\"" },
	{ "$formatNumber(2.5, \"0\")", "\"2\"" },
	{ "$formatNumber(-2.5, \"0\")", "\"-2\"" },
	{ "$formatNumber(0.125, \"0.00\")", "\"0.12\"" },
	{ "$formatNumber(0.375, \"0.00\")", "\"0.38\"" },
	{ "$formatNumber(1.005, \"0.00\")", "\"1.00\"" },
	{ "$formatNumber(1.015, \"0.00\")", "\"1.02\"" },
	{ "$formatNumber(2.675, \"0.00\")", "\"2.68\"" },
	{ "$formatNumber(999.995, \"#,##0.00\")", "\"1,000.00\"" },
	{ "$formatNumber(9.995, \"0.00\")", "\"10.00\"" },
	{ "$formatNumber(0.045, \"0.00\")", "\"0.04\"" },
	{ "$formatNumber(-0, \"0.00\")", "\"0.00\"" },
	{ "$formatNumber(-(0.001), \"0.00\")", "\"-0.00\"" },
	{ "$formatNumber(1e21, \"#,##0.00\")", "\"1e,+21.00\"" },
	{ "$formatNumber(1e21, \"0\")", "\"1e+21\"" },
	/* Number("Infinitye-2") is NaN: the reference prints NaN, not Infinity */
	{ "$formatNumber(1.7976931348623157e308, \"#,##0.00\")", "\"NaN.00\"" },
	{ "$round(1.7976931348623157e308, 2)", "null" },
	{ "$formatNumber(123456789012345680000, \"#,##0\")", "\"123,456,789,012,345,683,968\"" },
	{ "$formatNumber(999999999999999.9, \"0.0\")", "\"1000000000000000.0\"" },
	{ "$formatNumber(99999999999999.99, \"#,##0.00\")", "\"99,999,999,999,999.98\"" },
	{ "$formatNumber(1e-7, \"0.00000000\")", "\"0.00000010\"" },
	{ "$formatNumber(5e-324, \"0.00\")", "\"0.00\"" },
	{ "$formatNumber(1.23e-5, \"0.00e0\")", "\"1.23e-5\"" },
	{ "$formatNumber(0.1 + 0.2, \"0.00000000000000000\")", "\"0.30000000000000004\"" },
	{ "$formatNumber(0.1, \"0.0000000000000000000000000\")", "\"0.1000000000000000055511151\"" },
	{ "$formatNumber(1/3, \"0.0000000000000000000000000000000000000000\")",
	  "\"0.3333333333333333148296162562473909929395\"" },
	{ "$formatNumber(2/3, "
	  "\"0.##############################################################################################"
	  "######\")",
	  "\"0.66666666666666662965923251249478198587894439697265625\"" },
	{ "$formatNumber(12345.678, \"#,##0.00\")", "\"12,345.68\"" },
	{ "$formatNumber(-12345.678, \"#,##0.00\")", "\"-12,345.68\"" },
	{ "$formatNumber(12345.675, \"#,##0.00\")", "\"12,345.68\"" },
	{ "$formatNumber(1234567.891, \"#,##0.0#\")", "\"1,234,567.89\"" },
	{ "$formatNumber(4.35, \"0.0\")", "\"4.4\"" },
	{ "$formatNumber(0.615, \"0.00\")", "\"0.62\"" },
	{ "$formatNumber(9007199254740993, \"#,##0.00\")", "\"9,007,199,254,740,992.00\"" },
	{ "$formatNumber(1e15 + 0.5, \"0.0\")", "\"1000000000000000.4\"" },
	{ "$formatNumber(1e100, \"0.00e0\")", "\"1.00e100\"" },
	{ "$formatNumber(1e-100, \"0.00e00\")", "\"1.00e-100\"" },
	{ "$formatNumber(0.0005, \"0.000\")", "\"0.000\"" },
	{ "$formatNumber(10.5, \"0\")", "\"10\"" },
	{ "$formatNumber(11.5, \"0\")", "\"12\"" },
	{ "$formatNumber(0.00049999999999999999, \"0.000\")", "\"0.000\"" },
	{ "$formatNumber(1.7976931348623157e308, \"0.00e0\")", "\"1.80e308\"" },
	{ "$formatNumber(0.5, \"0%\")", "\"50%\"" },
	{ "$formatNumber(0.00125, \"0.0%\")", "\"0.1%\"" },
	{ "$formatNumber(0.0012345, \"0.0‰\")", "\"1.2‰\"" },
	{ "[1..12].$formatNumber($ * 1234.5678, $ % 2 = 0 ? \"#,##0.00\" : \"0.0e0\")",
	  "[\"1.2e3\",\"2,469.14\",\"3.7e3\",\"4,938.27\",\"6.2e3\",\"7,407.41\",\"8.6e3\",\"9,876.54\",\"1."
	  "1e4\",\"12,345.68\",\"1.4e4\",\"14,814.81\"]" },
	{ "[1..10].$formatNumber($ * 1.005, \"#,##0.\" & $pad(\"\", $ % 4 + 1, \"0\"))",
	  "[\"1.00\",\"2.010\",\"3.0150\",\"4.0\",\"5.02\",\"6.030\",\"7.0350\",\"8.0\",\"9.04\",\"10."
	  "050\"]" },
	{ "[1..36].($i := $; $formatNumber($i * 98765.4321, [\"#,##0.00\", \"0.000\", \"#,##0.###\", "
	  "\"0.00e0\", \"#%\", \"##,##,##0.0#\", \"000\", \"#.#\", \"0.0;(0.0)\", \"#,###.##e00\", "
	  "\"0.000,00\", \"$#,##0.00 USD\"][$i % 12]))",
	  "[\"98765.432\",\"197,530.864\",\"2.96e5\",\"39506173%\",\"4,93,827.16\",\"592593\",\"691358.0\","
	  "\"790123.5\",\"0.89e06\",\"987654.321,00\",\"$1,086,419.75 "
	  "USD\",\"1,185,185.19\",\"1283950.617\",\"1,382,716.049\",\"1.48e6\",\"158024691%\",\"16,79,012."
	  "35\",\"1777778\",\"1876543.2\",\"1975308.6\",\"0.21e07\",\"2172839.506,20\",\"$2,271,604.94 "
	  "USD\",\"2,370,370.37\",\"2469135.802\",\"2,567,901.235\",\"2.67e6\",\"276543210%\",\"28,64,197."
	  "53\",\"2962963\",\"3061728.4\",\"3160493.8\",\"0.33e07\",\"3358024.691,40\",\"$3,456,790.12 "
	  "USD\",\"3,555,555.56\"]" },
	{ "[1..6].($formatNumber($, \"#,##0.00.0\") ? 1 : 0)", "ERR D3081" },
	{ "[$formatNumber(1, \"0.0\"), $formatNumber(2, \"#,##0.00.0\")]", "ERR D3081" },
	{ "[1..4].($formatNumber($ * 1000.5, \"#,##0.00\") & \"/\" & $formatNumber($ * 1000.5, "
	  "\"#,##0.00;[#,##0.00]\") & \"/\" & $formatNumber(-$ * 1000.5, \"#,##0.00;[#,##0.00]\"))",
	  "[\"1,000.50/1,000.50/[1,000.50]\",\"2,001.00/2,001.00/[2,001.00]\",\"3,001.50/3,001.50/"
	  "[3,001.50]\",\"4,002.00/4,002.00/[4,002.00]\"]" },
	{ "[1..3].[$formatNumber($ * 12.5, \"０.０\", {\"zero-digit\": \"０\"}), $formatNumber($ * 12.5, "
	  "\"0.0\")]",
	  "[[\"１２.５\",\"12.5\"],[\"２５.０\",\"25.0\"],[\"３７.５\",\"37.5\"]]" },
	{ "[1..3].[$formatNumber($ * 1234.5, \"#1##0.00\", {\"grouping-separator\": 1}), $formatNumber($ * "
	  "1234.5, \"#,##0.00\")]",
	  "[[\"1234.50\",\"1,234.50\"],[\"2469.00\",\"2,469.00\"],[\"3703.50\",\"3,703.50\"]]" },
	{ "[1..6].[$formatNumber($ * 1234.5, \"#.##0,00\", {\"decimal-separator\": \",\", "
	  "\"grouping-separator\": \".\"}), $formatNumber($ * 1234.5, \"#,##0.00\")]",
	  "[[\"1.234,50\",\"1,234.50\"],[\"2.469,00\",\"2,469.00\"],[\"3.703,50\",\"3,703.50\"],[\"4.938,"
	  "00\",\"4,938.00\"],[\"6.172,50\",\"6,172.50\"],[\"7.407,00\",\"7,407.00\"]]" },
	{ "[1..4].[$formatNumber(-$ * 1234.5, \"#,##0.00\", {\"minus-sign\": \"−\"}), $formatNumber(-$ * "
	  "1234.5, \"#,##0.00\"), $formatNumber(-$ * 1234.5, \"#,##0.00\", {\"zero-digit\": \"0\"})]",
	  "[[\"−1,234.50\",\"-1,234.50\",\"-1,234.50\"],[\"−2,469.00\",\"-2,469.00\",\"-2,469.00\"],[\"−3,"
	  "703.50\",\"-3,703.50\",\"-3,703.50\"],[\"−4,938.00\",\"-4,938.00\",\"-4,938.00\"]]" },
	{ "[1..3].[$formatNumber($ * 0.25, \"#%\", {\"percent\": \"pc\"}), $formatNumber($ * 0.25, \"#pc\", "
	  "{\"percent\": \"pc\"}), $formatNumber($ * 0.25, \"#%\")]",
	  "[[\"0%\",\"25pc\",\"25%\"],[\"0%\",\"50pc\",\"50%\"],[\"1%\",\"75pc\",\"75%\"]]" },
	{ "[1..3].[$formatNumber($ * 1234.5, \"٠٬٠٠٠٫٠٠\", {\"zero-digit\": \"٠\", \"decimal-separator\": "
	  "\"٫\", \"grouping-separator\": \"٬\"}), $formatNumber($ * 1234.5, \"0,000.00\")]",
	  "[[\"١٬٢٣٤٫٥٠\",\"1,234.50\"],[\"٢٬٤٦٩٫٠٠\",\"2,469.00\"],[\"٣٬٧٠٣٫٥٠\",\"3,703.50\"]]" },
	{ "[1..3].$formatNumber($ * 1234.5, \"#,##0.00\", {\"decimal-separator\": \"😀\"})", "ERR D3086" },
	{ "[1..3].[$formatNumber($ * 1234.5, \"0.00|(0.00)\", {\"pattern-separator\": \"|\"}), "
	  "$formatNumber(-$ * 1234.5, \"0.00|(0.00)\", {\"pattern-separator\": \"|\"}), $formatNumber(-$ * "
	  "1234.5, \"0.00;(0.00)\")]",
	  "[[\"1234.50\",\"(1234.50)\",\"(1234.50)\"],[\"2469.00\",\"(2469.00)\",\"(2469.00)\"],[\"3703.50\","
	  "\"(3703.50)\",\"(3703.50)\"]]" },
};

START_TEST(fmtnum_golden)
{
	char got[4096];
	int failed = 0;
	for (int rep = 0; rep < 3; rep++)
		for (size_t i = 0; i < sizeof GOLDEN / sizeof GOLDEN[0]; i++) {
			eval_to(GOLDEN[i].expr, NULL, got, sizeof got);
			if (strcmp(got, GOLDEN[i].want) != 0 && failed++ < 20)
				fprintf(stderr, "pass %d: %s\n  got  %s\n  want %s\n", rep, GOLDEN[i].expr,
					got, GOLDEN[i].want);
		}
	ck_assert_int_eq(failed, 0);
}
END_TEST

/* compiled expressions evaluated in turn: the cache between evaluations;
 * bound pictures and options (a picture that arrives at run time) */
START_TEST(fmtnum_alternating_evaluations)
{
	static const struct {
		const char *expr, *bindings, *want;
	} T[] = {
		{ "$formatNumber(12345.678, \"#,##0.00\")", NULL, "\"12,345.68\"" },
		{ "$formatNumber(12345.678, \"0.0e0\")", NULL, "\"1.2e4\"" },
		{ "$formatNumber($v, $p)", "{\"v\": -9876.54321, \"p\": \"#,##0.000;(#)\"}", "\"(9877)\"" },
		{ "$formatNumber($v, $p)", "{\"v\": -9876.54321, \"p\": \"0.0%\"}", "\"-987654.3%\"" },
		{ "$formatNumber($v, $p, $o)",
		  "{\"v\": -9876.54321, \"p\": \"#.##0,0\", \"o\": {\"decimal-separator\": \",\", "
		  "\"grouping-separator\": \".\"}}",
		  "\"-9.876,5\"" },
		{ "$formatNumber($v, $p)", "{\"v\": -9876.54321, \"p\": \"#.##0,0\"}", "ERR D3091" },
		{ "$formatNumber($v, $p)", "{\"v\": 5, \"p\": \"#,##0.00.0\"}", "ERR D3081" },
	};
	char got[256];
	size_t n = sizeof T / sizeof T[0];
	for (int rep = 0; rep < 20; rep++)
		for (size_t i = 0; i < n; i++) {
			size_t k = rep % 2 ? n - 1 - i : i;
			eval_to(T[k].expr, T[k].bindings, got, sizeof got);
			ck_assert_msg(strcmp(got, T[k].want) == 0, "pass %d: %s %s: got %s want %s", rep,
				      T[k].expr, T[k].bindings ? T[k].bindings : "", got, T[k].want);
		}
}
END_TEST

/* a picture, then options, too long for the cache's key: analysed every
 * time, the same results */
START_TEST(fmtnum_uncached_long)
{
	size_t big = 1100;
	char *expr = malloc(big + 200), *want = malloc(big + 64), got[4096];
	ck_assert_ptr_nonnull(expr);
	ck_assert_ptr_nonnull(want);
	for (int rep = 0; rep < 3; rep++) {
		int n = snprintf(expr, 64, "$formatNumber(1234.5, \"");
		memset(expr + n, 'a', big);
		snprintf(expr + n + big, 64, "#,##0.00\")");
		want[0] = '"';
		memset(want + 1, 'a', big);
		snprintf(want + 1 + big, 64, "1,234.50\"");
		eval_to(expr, NULL, got, sizeof got);
		ck_assert_str_eq(got, want);

		n = snprintf(expr, 64, "$formatNumber(1234.5, \"#,##0.00\", {\"NaN\": \"");
		memset(expr + n, 'n', 600);
		snprintf(expr + n + 600, 64, "\"})");
		eval_to(expr, NULL, got, sizeof got);
		ck_assert_str_eq(got, "\"1,234.50\"");
		eval_to("$formatNumber(1234.5, \"#,##0.00\")", NULL, got, sizeof got);
		ck_assert_str_eq(got, "\"1,234.50\"");
	}
	free(expr);
	free(want);
}
END_TEST

/* threads formatting at once, each cycling through more pictures than a
 * cache holds, in its own order */
static const struct {
	const char *pic, *want;
} TP[] = {
	{ "#,##0.00", "\"98,765.43\"" },
	{ "0.000", "\"98765.432\"" },
	{ "#,##0.###", "\"98,765.432\"" },
	{ "0.00e0", "\"9.88e4\"" },
	{ "#%", "\"9876543%\"" },
	{ "##,##,##0.0#", "\",98,765.43\"" },
	{ "000", "\"98765\"" },
	{ "#.#", "\"98765.4\"" },
	{ "0.0;(0.0)", "\"98765.4\"" },
	{ "#,###.##e00", "\"0.99e05\"" },
	{ "0.000,00", "\"98765.432,10\"" },
	{ "$#,##0.00 USD", "\"$98,765.43 USD\"" },
};
#define NTP (sizeof TP / sizeof TP[0])

static void *thread_run(void *arg)
{
	long id = (long)arg;
	struct jsonata *x[NTP];
	for (size_t i = 0; i < NTP; i++) {
		char expr[128];
		struct jsonata_error err;
		snprintf(expr, sizeof expr, "$formatNumber(98765.4321, \"%s\")", TP[i].pic);
		if (jsonata_compile(expr, strlen(expr), &x[i], &err) < 0)
			return (void *)1;
	}
	long bad = 0;
	for (int rep = 0; rep < 300; rep++)
		for (size_t j = 0; j < NTP; j++) {
			size_t i = (j * (size_t)(id + 1) + (size_t)id) %
				   NTP; /* ids 0..3: a different order each */
			char *out = NULL;
			struct jsonata_error err;
			if (jsonata_eval_text(x[i], NULL, NULL, NULL, NULL, &out, &err) < 0 || !out ||
			    strcmp(out, TP[i].want) != 0)
				bad++;
			free(out);
		}
	for (size_t i = 0; i < NTP; i++)
		jsonata_free(x[i]);
	return (void *)bad;
}

START_TEST(fmtnum_threads)
{
	pthread_t t[4];
	for (long i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, thread_run, (void *)i), 0);
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(t[i], &r);
		ck_assert_msg(r == NULL, "thread %d: %ld wrong results", i, (long)r);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* White-box: the numeric shortcuts against exact oracles               */
/* ------------------------------------------------------------------ */

static unsigned long long rng_state = 0x9e3779b97f4a7c15ull;
static unsigned long long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* a value of the kinds formatting meets: decimals of 1..17 digits at any
 * scale, binary fractions (exact ties), decimal near-ties (x.xx5 is never
 * exact in binary), their neighbours one ulp away, tiny and huge ones */
static double sample(void)
{
	double v;
	switch (rng() % 6) {
	case 0: {
		int digits = 1 + (int)(rng() % 17);
		char buf[64];
		int n = 0;
		for (int i = 0; i < digits; i++)
			buf[n++] = (char)('0' + rng() % 10);
		snprintf(buf + n, sizeof buf - (size_t)n, "e%d", (int)(rng() % 46) - 28);
		v = strtod(buf, NULL);
		break;
	}
	case 1: v = (double)(rng() % 2000001) / (double)(1u << (rng() % 12)); break;
	case 2: {
		int p = (int)(rng() % 6) + 1;
		v = ((double)(rng() % 1000000) + 0.5) / pow(10, p);
		break;
	}
	case 3: v = nextafter((double)(rng() % 100000) + 0.5, rng() % 2 ? 0 : 1e300); break;
	case 4: v = ldexp((double)(rng() % 1000000), (int)(rng() % 200) - 150); break;
	default: v = (double)(rng() % 1000000000000000ull) / 1000.0 + 0.0005; break;
	}
	return v;
}

/* toFixed by the definition: the exact expansion (glibc prints every digit
 * of a double), rounded half up at dp */
static void oracle_to_fixed(double v, int dp, char *out, size_t cap)
{
	static char full[1500];
	snprintf(full, sizeof full, "%.1100f", v);
	char *dot = strchr(full, '.');
	size_t keep = (size_t)(dot - full) + (dp ? (size_t)dp + 1 : 0);
	int up = dot[1 + dp] >= '5';
	full[keep] = 0;
	if (up) {
		long i = (long)keep - 1;
		for (; i >= 0; i--) {
			if (full[i] == '.')
				continue;
			if (full[i] == '9') {
				full[i] = '0';
				continue;
			}
			full[i]++;
			break;
		}
		if (i < 0) {
			memmove(full + 1, full, keep + 1);
			full[0] = '1';
		}
	}
	snprintf(out, cap, "%s", full);
}

START_TEST(fmtnum_to_fixed_exact)
{
	static const struct {
		double v;
		int dp;
		const char *want; /* (v).toFixed(dp) on node */
	} FIXED[] = {
		{ 0.5, 0, "1" },
		{ 1.5, 0, "2" },
		{ 2.5, 0, "3" },
		{ 0.125, 2, "0.13" },
		{ 1.005, 2, "1.00" },
		{ 0, 2, "0.00" },
		{ 1e21, 2, "1e+21" },
		{ 5e-324, 2, "0.00" },
		{ 1e-7, 8, "0.00000010" },
		{ 0.1, 25, "0.1000000000000000055511151" },
		{ 999.995, 2, "1000.00" },
		{ 123.456, 0, "123" },
		{ 1e15 + 0.5, 1, "1000000000000000.5" },
		{ 0.000001, 7, "0.0000010" },
	};
	char got[1600], want[1600];
	for (size_t i = 0; i < sizeof FIXED / sizeof FIXED[0]; i++) {
		size_t n = jn_js_to_fixed(FIXED[i].v, FIXED[i].dp, got, sizeof got);
		ck_assert_uint_eq(n, strlen(got));
		ck_assert_msg(strcmp(got, FIXED[i].want) == 0, "(%.17g).toFixed(%d): got %s want %s",
			      FIXED[i].v, FIXED[i].dp, got, FIXED[i].want);
	}
	long bad = 0;
	for (int i = 0; i < 60000; i++) {
		double v = sample();
		if (!(v < 1e21))
			continue;
		int dp = (int)(rng() % 31);
		jn_js_to_fixed(v, dp, got, sizeof got);
		oracle_to_fixed(v, dp, want, sizeof want);
		if (strcmp(got, want) != 0 && bad++ < 10)
			fprintf(stderr, "(%.17g).toFixed(%d): got %s want %s\n", v, dp, got, want);
	}
	ck_assert_int_eq(bad, 0);
}
END_TEST

/* functions.js: Number(String(v) + "e" + shift), literally */
static double oracle_shift(double v, int shift)
{
	char num[48], buf[96];
	size_t n = jn_num_fmt(v, num);
	num[n] = 0;
	char *e = strchr(num, 'e');
	long ex = 0;
	if (e) {
		*e = 0;
		ex = strtol(e + 1, NULL, 10);
	}
	snprintf(buf, sizeof buf, "%se%ld", num, ex + shift);
	return strtod(buf, NULL);
}

static double oracle_round(double arg, int p)
{
	if (p)
		arg = oracle_shift(arg, p);
	double r = floor(arg);
	if (arg - r >= 0.5)
		r += 1;
	if (fabs(r - arg) == 0.5 && fabs(fmod(r, 2)) == 1)
		r -= 1;
	if (p)
		r = oracle_shift(r, -p);
	return r == 0 ? 0 : r;
}

START_TEST(fmtnum_round_exact)
{
	long bad = 0;
	for (int i = 0; i < 200000; i++) {
		double v = sample();
		if (rng() % 2)
			v = -v;
		int p = (int)(rng() % 26);
		double got = jn_js_round(v, p), want = oracle_round(v, p);
		if (memcmp(&got, &want, sizeof got) != 0 && !(isnan(got) && isnan(want)) && bad++ < 10)
			fprintf(stderr, "round(%.17g, %d): got %.17g want %.17g\n", v, p, got, want);
	}
	ck_assert_int_eq(bad, 0);
	/* functions.js's own examples and ties */
	ck_assert(jn_js_round(2.5, 0) == 2);
	ck_assert(jn_js_round(3.5, 0) == 4);
	ck_assert(jn_js_round(-2.5, 0) == -2);
	ck_assert(jn_js_round(1.005, 2) == 1);      /* 100.49999999999999 */
	ck_assert(jn_js_round(12.345, 2) == 12.34); /* the decimal tie, to even */
	ck_assert(jn_js_round(12.355, 2) == 12.36);
	double z = jn_js_round(-0.001, 2);
	ck_assert(z == 0 && !signbit(z));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jsonata-fmtnum");
	TCase *tc = tcase_create("fmtnum");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, fmtnum_golden);
	tcase_add_test(tc, fmtnum_alternating_evaluations);
	tcase_add_test(tc, fmtnum_uncached_long);
	tcase_add_test(tc, fmtnum_threads);
	tcase_add_test(tc, fmtnum_to_fixed_exact);
	tcase_add_test(tc, fmtnum_round_exact);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
