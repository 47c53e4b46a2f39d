/* JSONata benchmark, in process: a set of typical Step Functions expressions
 * (field access, $sum over 1,000 items, string building, filters, $map with a
 * lambda, object construction, $formatNumber, $string of an object, a Choice
 * condition), each compiled once and evaluated many times with $states bound
 * as a state's JSONata sees it. Object construction and $string have lines
 * of their own for small objects (object_fields, object_nested, string_small):
 * in "object" the $sum over 1,000 items is most of the time. Prints
 * `name: value unit` lines:
 *   jsonata.eval_per_s           evaluations per second over the whole set
 *                                (one round = each expression once; rounds x
 *                                expressions / time)
 *   jsonata.eval_per_s.NAME      the same for one expression (the time
 *                                is cut in 5 slices, the rate is the best
 *                                slice's: the least disturbed by the other
 *                                load of a shared machine)
 *   jsonata.compile_us           the median over the set of one compile's time
 *   jsonata.bindings_overhead_us the time of evaluating "1" with the set's
 *                                bindings: what an evaluation costs before it
 *                                looks at its input (a lazy engine: ~0)
 *   jsonata.compiled_bytes_per_expr  heap taken by one compiled expression:
 *                                1,000 compiled (the set over and over) and
 *                                kept, malloc's bytes in use before and after
 *                                (mallinfo2), divided by 1,000 (a state
 *                                machine keeps every expression it has)
 *
 * Usage: bench_jsonata [--seconds S] [--expect FILE] [--only NAME]
 *        bench_jsonata --emit     prints the set and its bindings as JSON
 *                                 ({"bindings", "exprs": [{"name", "expr"}]}),
 *                                 for bench_jsonata.sh to run the same set on
 *                                 the JavaScript reference
 * --expect FILE: a JSON object NAME -> the reference's result; an expression
 * whose result differs is reported on stderr and its figure left out (a
 * speed of wrong answers means nothing). --only NAME: that expression alone
 * (for a profiler). */
#include <jansson.h>
#include <malloc.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jsonata.h"

static const struct {
	const char *name, *expr;
} SET[] = {
	{ "field", "$states.input.order.id" },
	{ "sum_1000", "$sum($states.input.items.price)" },
	{ "concat", "\"Order \" & $states.input.order.id & \" for \" & $states.input.order.customer.name & \": \" & "
		    "$join($states.input.order.tags, \", \")" },
	{ "filter", "$states.input.items[price > 10]" },
	{ "map_lambda", "$map($states.input.items, function($v){ $v.price * 2 })" },
	{ "object", "{\"id\": $states.input.order.id, \"total\": $sum($states.input.items.price), "
		    "\"count\": $count($states.input.items)}" },
	{ "object_fields", "{\"id\": $states.input.order.id, \"name\": $states.input.order.customer.name, "
			   "\"tier\": $states.input.order.customer.tier, \"total\": $states.input.order.total}" },
	{ "object_nested", "{\"order\": {\"id\": $states.input.order.id, \"method\": "
			   "$states.input.order.shipping.method}, \"tags\": [$states.input.order.tags, \"new\"], "
			   "\"ok\": true, \"n\": 3}" },
	{ "format_number", "$formatNumber($states.input.order.total, \"#,##0.00\")" },
	{ "string_object", "$string($states.input.order)" },
	{ "string_small", "$string($states.input.order.shipping)" },
	{ "choice", "$states.input.order.total > 100 and $states.input.order.customer.tier = \"gold\"" },
};
#define NSET (sizeof SET / sizeof SET[0])
#define NITEMS 1000
#define SLICES 5 /* a rate is the best of this many slices of the time */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The bindings: {"states": {"input": ...}} with 1,000 items whose prices
 * are fixed (a linear congruential sequence), the same in every run. */
static json_t *make_bindings(void)
{
	json_t *items = json_array(), *order, *input;
	unsigned seed = 12345;
	int i;

	for (i = 0; i < NITEMS; i++) {
		char sku[32];
		double price;

		seed = seed * 1103515245u + 12345u;
		price = (double)((seed >> 8) % 2000) / 100.0; /* 0.00 .. 19.99 */
		snprintf(sku, sizeof sku, "SKU-%05d", i);
		json_array_append_new(items, json_pack("{s:s, s:f, s:i, s:b}", "sku", sku, "price", price, "qty",
						       i % 7, "inStock", i % 3 != 0));
	}
	order = json_pack("{s:s, s:f, s:{s:s, s:s, s:s}, s:[s,s,s], s:s, s:{s:s, s:s}}", "id", "ord-2024-000042",
			  "total", 12345.678, "customer", "name", "Ada Lovelace", "email", "ada@example.com", "tier",
			  "gold", "tags", "express", "gift", "fragile", "createdAt", "2024-11-20T10:15:30.000Z",
			  "shipping", "method", "express", "country", "GB");
	input = json_pack("{s:o, s:o}", "order", order, "items", items);
	return json_pack("{s:{s:o, s:{s:{s:s}}}}", "states", "input", input, "context", "Execution", "Name",
			 "bench");
}

static bool same_value(const json_t *a, const json_t *b)
{
	size_t i;
	const char *k;
	json_t *v;

	if (!a || !b)
		return a == b;
	if (json_is_number(a) && json_is_number(b))
		return json_number_value(a) == json_number_value(b);
	if (json_typeof(a) != json_typeof(b))
		return false;
	switch (json_typeof(a)) {
	case JSON_STRING:
		return strcmp(json_string_value(a), json_string_value(b)) == 0;
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (i = 0; i < json_array_size(a); i++)
			if (!same_value(json_array_get(a, i), json_array_get(b, i)))
				return false;
		return true;
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return false;
		json_object_foreach((json_t *)a, k, v)
			if (!same_value(v, json_object_get(b, k)))
				return false;
		return true;
	default:
		return true;
	}
}

/* Heap bytes one compiled expression keeps: 1,000 compiled and kept (the
 * set over and over), malloc's bytes in use after minus before. 0 when
 * malloc does not say (a sanitizer's allocator). */
#define NCOMPILED 1000
static double compiled_bytes_per_expr(void)
{
	static struct jsonata *kept[NCOMPILED];
	struct mallinfo2 before, after;
	struct jsonata_error err;
	size_t i, n = 0;
	double used;

	/* a first compile outside the measure: the builtin table's start-up */
	if (jsonata_compile("1", 1, &kept[0], &err) == 0)
		jsonata_free(kept[0]);
	before = mallinfo2();
	for (i = 0; i < NCOMPILED; i++) {
		const char *e = SET[i % NSET].expr;

		if (jsonata_compile(e, strlen(e), &kept[n], &err) == 0)
			n++;
	}
	after = mallinfo2();
	used = ((double)after.uordblks + (double)after.hblkhd) - ((double)before.uordblks + (double)before.hblkhd);
	for (i = 0; i < n; i++)
		jsonata_free(kept[i]);
	return n == NCOMPILED && used > 0 ? used / NCOMPILED : 0;
}

static int emit(void)
{
	json_t *set = json_array(), *out;
	size_t i;

	for (i = 0; i < NSET; i++)
		json_array_append_new(set, json_pack("{s:s, s:s}", "name", SET[i].name, "expr", SET[i].expr));
	out = json_pack("{s:o, s:o}", "bindings", make_bindings(), "exprs", set);
	json_dumpf(out, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(out);
	return 0;
}

int main(int argc, char **argv)
{
	double seconds = 0.5, total_time = 0, compile_us[NSET], rates[NSET];
	json_t *bindings, *expect = NULL;
	const char *only = NULL;
	size_t i, measured = 0, wanted = NSET;
	int a, rc = 0;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--emit") == 0)
			return emit();
		if (strcmp(argv[a], "--seconds") == 0 && a + 1 < argc) {
			seconds = atof(argv[++a]);
		} else if (strcmp(argv[a], "--only") == 0 && a + 1 < argc) {
			only = argv[++a];
		} else if (strcmp(argv[a], "--expect") == 0 && a + 1 < argc) {
			json_error_t je;

			expect = json_load_file(argv[++a], 0, &je);
			if (!json_is_object(expect)) {
				fprintf(stderr, "bench_jsonata: %s: %s\n", argv[a], je.text);
				return 1;
			}
		} else {
			fprintf(stderr, "usage: bench_jsonata [--seconds S] [--expect FILE] [--only NAME] | --emit\n");
			return 2;
		}
	}
	if (only) {
		for (i = 0; i < NSET && strcmp(SET[i].name, only) != 0; i++)
			;
		if (i == NSET) {
			fprintf(stderr, "bench_jsonata: no expression %s in the set\n", only);
			return 2;
		}
		wanted = 1;
	}
	bindings = make_bindings();
	for (i = 0; i < NSET; i++) {
		struct jsonata_error err;
		struct jsonata *x = NULL;
		json_t *out = NULL;
		double t0, t1;
		long n = 0, reps = 200, r;

		if (only && strcmp(SET[i].name, only) != 0)
			continue;
		/* compile: the mean of 200 compiles */
		t0 = now_s();
		for (r = 0; r < reps; r++) {
			if (jsonata_compile(SET[i].expr, strlen(SET[i].expr), &x, &err)) {
				fprintf(stderr, "bench_jsonata: %s does not compile: %s %s\n", SET[i].name, err.code,
					err.message);
				rc = 1;
				break;
			}
			if (r + 1 < reps)
				jsonata_free(x);
		}
		if (r < reps)
			continue;
		compile_us[i] = (now_s() - t0) / (double)reps * 1e6;
		/* a first evaluation, checked against the reference's result */
		if (jsonata_eval(x, NULL, bindings, NULL, &out, &err)) {
			fprintf(stderr, "bench_jsonata: %s fails: %s %s\n", SET[i].name, err.code, err.message);
			jsonata_free(x);
			rc = 1;
			continue;
		}
		if (expect && !same_value(json_object_get(expect, SET[i].name), out)) {
			char *got = out ? json_dumps(out, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;

			fprintf(stderr, "bench_jsonata: %s: not the reference's result (got %.200s)\n", SET[i].name,
				got ? got : "undefined");
			free(got);
			json_decref(out);
			jsonata_free(x);
			rc = 1;
			continue;
		}
		json_decref(out);
		/* evaluate in batches for `seconds`, in SLICES slices: the rate is
		 * the best slice's (on a shared machine the least disturbed one;
		 * the script measures the reference the same way) */
		rates[i] = 0;
		r = 50; /* a failure ends the slices */
		for (int sl = 0; sl < SLICES && r == 50; sl++) {
			n = 0;
			t0 = now_s();
			do {
				for (r = 0; r < 50; r++) {
					out = NULL;
					if (jsonata_eval(x, NULL, bindings, NULL, &out, &err)) {
						fprintf(stderr, "bench_jsonata: %s fails: %s\n", SET[i].name,
							err.message);
						rc = 1;
						break;
					}
					json_decref(out);
				}
				n += r;
				t1 = now_s();
			} while (t1 - t0 < seconds / SLICES && r == 50);
			if ((double)n / (t1 - t0) > rates[i])
				rates[i] = (double)n / (t1 - t0);
		}
		jsonata_free(x);
		total_time += 1.0 / rates[i];
		printf("jsonata.eval_per_s.%s: %.0f evals/s\n", SET[i].name, rates[i]);
		measured++;
	}
	if (!only) {
		struct jsonata_error err;
		struct jsonata *x = NULL;
		json_t *out = NULL;
		long n = 0;
		double t0, t1, per;

		if (jsonata_compile("1", 1, &x, &err) == 0) {
			t0 = now_s();
			do {
				for (int r = 0; r < 50; r++) {
					out = NULL;
					jsonata_eval(x, NULL, bindings, NULL, &out, &err);
					json_decref(out);
				}
				n += 50;
				t1 = now_s();
			} while (t1 - t0 < seconds / 2);
			printf("jsonata.bindings_overhead_us: %.2f us (evaluating \"1\" with the set's bindings)\n",
			       (t1 - t0) / (double)n * 1e6);
			jsonata_free(x);
		}
		per = compiled_bytes_per_expr();
		if (per > 0)
			printf("jsonata.compiled_bytes_per_expr: %.0f bytes (%d compiled and kept, the set over and over)\n",
			       per, NCOMPILED);
		else
			printf("SKIP: jsonata.compiled_bytes_per_expr: malloc does not report its use here (mallinfo2)\n");
	}
	if (measured == wanted && !only) {
		qsort(compile_us, NSET, sizeof compile_us[0], cmp_double);
		printf("jsonata.eval_per_s: %.0f evals/s (%zu expressions, 1,000 items)\n", (double)NSET / total_time,
		       (size_t)NSET);
		printf("jsonata.compile_us: %.2f us (median of %zu expressions)\n", compile_us[NSET / 2], (size_t)NSET);
	} else if (measured != wanted) {
		printf("SKIP: jsonata.eval_per_s, jsonata.compile_us: %zu of %zu expressions failed (see stderr)\n",
		       wanted - measured, wanted);
	}
	json_decref(bindings);
	json_decref(expect);
	return rc;
}
