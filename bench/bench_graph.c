/* Benchmark of graph/: a 1,000-state machine (Pass, Task with Retry and
 * Catch, Choice with compound rules, Map with three inner states: 1,000
 * states counted at every depth) drawn as DOT, then laid out and rendered as
 * SVG by libgvc in process, as the console's server does; and a 50,000-event
 * history read into per-state statuses. Prints `name: value unit` lines:
 *   graph.dot_1000_us         DOT generation (median of 51)
 *   graph.layout_1000_ms      DOT + Graphviz layout + SVG render (median of 5,
 *                             each a new DOT text: graph_svg's cache never hits)
 *   graph.svg_cached_1000_ms  the same DOT again (graph_svg's cache)
 *   graph.svg_1000_bytes      the SVG's size
 *   graph.svg_first_call_ms   the first graph_svg of a process (Graphviz's
 *                             context and plugins), on a 3-state machine
 *   graph.exec_states_50k_ms  graph_exec_states on 50,006 events (median of 5)
 * The console's target: layout + draw of 1,000 states under 1 s. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph.h"

#define STATES 1000

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return v[n / 2];
}

/* Top-level states S0000...; every 10th from the 4th a Choice, from the
 * 6th a Task with Retry and Catch, from the 9th a Map of three Pass states. */
static json_t *machine(void)
{
	json_t *states = json_object();
	size_t total = 0, i, n;
	char name[32], next[32], far[32];

	for (n = 0; total < STATES; n++)
		total += n % 10 == 8 ? 4 : 1;
	total = 0;
	for (i = 0; i < n; i++) {
		json_t *st;

		snprintf(name, sizeof name, "S%04zu", i);
		snprintf(next, sizeof next, "S%04zu", i + 1);
		snprintf(far, sizeof far, "S%04zu", i + 3 < n ? i + 3 : n - 1);
		if (i % 10 == 3 && i + 2 < n) {
			st = json_pack("{s:s, s:[{s:s, s:I, s:s}, {s:[{s:s, s:s}, {s:s, s:b}], s:s}], s:s}", "Type", "Choice",
				       "Choices", "Variable", "$.x", "NumericEquals", (json_int_t)i, "Next", next, "And",
				       "Variable", "$.s", "StringMatches", "a*", "Variable", "$.b", "BooleanEquals", 1,
				       "Next", far, "Default", next);
		} else if (i % 10 == 5) {
			st = json_pack("{s:s, s:s, s:[{s:[s], s:i}], s:[{s:[s], s:s}]}", "Type", "Task", "Resource",
				       "arn:aws:lambda:us-east-1:123456789012:function:f", "Retry", "ErrorEquals",
				       "States.TaskFailed", "MaxAttempts", 2, "Catch", "ErrorEquals", "States.ALL", "Next",
				       far);
		} else if (i % 10 == 8) {
			char a[48], b[48], c[48];

			snprintf(a, sizeof a, "%s_in0", name);
			snprintf(b, sizeof b, "%s_in1", name);
			snprintf(c, sizeof c, "%s_in2", name);
			st = json_pack("{s:s, s:{s:s, s:{s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:b}}}}", "Type", "Map",
				       "ItemProcessor", "StartAt", a, "States", a, "Type", "Pass", "Next", b, b, "Type",
				       "Pass", "Next", c, c, "Type", "Pass", "End", 1);
			total += 3;
		} else {
			st = json_pack("{s:s}", "Type", i % 2 ? "Pass" : "Wait");
			if (!(i % 2))
				json_object_set_new(st, "Seconds", json_integer(1));
		}
		if (strcmp(json_string_value(json_object_get(st, "Type")), "Choice")) {
			if (i + 1 < n)
				json_object_set_new(st, "Next", json_string(next));
			else
				json_object_set_new(st, "End", json_true());
		}
		json_object_set_new(states, name, st);
		total++;
	}
	if (total != STATES)
		fprintf(stderr, "bench_graph: %zu states, not %d\n", total, STATES);
	return json_pack("{s:s, s:o}", "StartAt", "S0000", "States", states);
}

/* A Map of 10,000 iterations (Task entered, scheduled, exited): 50,000 events. */
static json_t *history(void)
{
	json_t *ev = json_array();
	json_int_t id = 0, started;
	size_t i;

#define EV(prev, type, key, det)                                                                          \
	do {                                                                                              \
		json_t *o_ = json_pack("{s:I, s:I, s:s, s:f}", "id", id + 1, "previousEventId", (prev), "type", \
				       (type), "timestamp", 1.7e9 + (double)id / 1e3);                    \
		if (key)                                                                                  \
			json_object_set_new(o_, (key), (det));                                            \
		json_array_append_new(ev, o_);                                                            \
		id++;                                                                                     \
	} while (0)
	EV(0, "ExecutionStarted", NULL, NULL);
	EV(id, "MapStateEntered", "stateEnteredEventDetails", json_pack("{s:s}", "name", "M"));
	EV(id, "MapStateStarted", "mapStateStartedEventDetails", json_pack("{s:i}", "length", 10000));
	started = id;
	for (i = 0; i < 10000; i++) {
		EV(started, "MapIterationStarted", "mapIterationStartedEventDetails",
		   json_pack("{s:s, s:I}", "name", "M", "index", (json_int_t)i));
		EV(id, "TaskStateEntered", "stateEnteredEventDetails", json_pack("{s:s}", "name", "T"));
		EV(id, "TaskScheduled", "taskScheduledEventDetails", json_pack("{s:s}", "resource", "r"));
		EV(id, "TaskStateExited", "stateExitedEventDetails", json_pack("{s:s}", "name", "T"));
		EV(id, "MapIterationSucceeded", "mapIterationSucceededEventDetails",
		   json_pack("{s:s, s:I}", "name", "M", "index", (json_int_t)i));
	}
	EV(started, "MapStateSucceeded", NULL, NULL);
	EV(id, "MapStateExited", "stateExitedEventDetails", json_pack("{s:s}", "name", "M"));
	EV(id, "ExecutionSucceeded", NULL, NULL);
#undef EV
	return ev;
}

int main(void)
{
	json_t *def = machine(), *small, *ev;
	double t[51], t0;
	struct buf dot, svg;
	struct err e;
	size_t i, svg_bytes = 0;

	buf_init(&dot, 0);
	buf_init(&svg, 0);
	for (i = 0; i < 51; i++) {
		buf_reset(&dot);
		t0 = now_ms();
		if (graph_dot(def, NULL, NULL, &dot, &e))
			goto fail;
		t[i] = now_ms() - t0;
	}
	printf("graph.dot_1000_us: %.0f us\n", median(t, 51) * 1e3);
	small = json_loads("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}, "
			   "\"B\": {\"Type\": \"Pass\", \"Next\": \"C\"}, \"C\": {\"Type\": \"Succeed\"}}}",
			   0, NULL);
	buf_reset(&dot);
	t0 = now_ms();
	if (graph_dot(small, NULL, NULL, &dot, &e) || graph_svg(dot.data, dot.len, &svg, &e))
		goto fail;
	printf("graph.svg_first_call_ms: %.1f ms\n", now_ms() - t0);
	json_decref(small);
	for (i = 0; i < 5; i++) {
		char title[32];
		struct graph_opts o = { .title = title };

		/* a different title each time: graph_svg keeps what it drew */
		snprintf(title, sizeof title, "run %zu", i);
		buf_reset(&dot);
		buf_reset(&svg);
		t0 = now_ms();
		if (graph_dot(def, NULL, &o, &dot, &e) || graph_svg(dot.data, dot.len, &svg, &e))
			goto fail;
		t[i] = now_ms() - t0;
		svg_bytes = svg.len;
	}
	printf("graph.layout_1000_ms: %.0f ms\n", median(t, 5));
	buf_reset(&svg);
	t0 = now_ms();
	if (graph_svg(dot.data, dot.len, &svg, &e))
		goto fail;
	printf("graph.svg_cached_1000_ms: %.2f ms\n", now_ms() - t0);
	printf("graph.svg_1000_bytes: %zu bytes\n", svg_bytes);
	ev = history();
	for (i = 0; i < 5; i++) {
		json_t *r;

		t0 = now_ms();
		r = graph_exec_states(ev, NULL, -1, &e);
		t[i] = now_ms() - t0;
		if (!r)
			goto fail;
		json_decref(r);
	}
	printf("graph.exec_states_50k_ms: %.1f ms\n", median(t, 5));
	json_decref(ev);
	json_decref(def);
	buf_free(&dot);
	buf_free(&svg);
	return 0;
fail:
	fprintf(stderr, "bench_graph: %s: %s\n", e.type, e.msg);
	return 1;
}
