/* test_graph — graph/: DOT and Mermaid against golden files, the DOT
 * contract through a real Graphviz render (ids and classes in the SVG),
 * Choice rule labels, per-state statuses and Map iterations on recorded
 * histories, a 40,000-event history, odd definitions and events.
 *
 * Data: tests/data/graph/NAME.asl.json (definitions), NAME.CASE.history.json
 * (GetExecutionHistory answers, recorded with `tutti run --history` or,
 * stop.*, from a `tutti serve` execution read while running and after
 * StopExecution), and the goldens NAME.dot, NAME.mmd, NAME.CASE.dot (the
 * definition coloured by that history). TUTTI_UPDATE_GOLDEN=1 rewrites the
 * goldens instead of comparing (review the diff). Found under $TUTTI_TOP
 * (default: the current directory). */
#include <check.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "graph.h"
#include "graph_int.h"

#define DATA "tests/data/graph"

#if defined(__SANITIZE_ADDRESS__)
/* Graphviz 2.43 leaks in every dot layout with clusters (the mincross
 * skeleton's virtual edges: ~70 KiB for a Map in a Parallel, ~1 MiB for
 * 1,000 states, measured) and fontconfig/pango keep caches they never
 * free: not ours to fix, so LeakSanitizer is told to ignore those
 * libraries' allocations, and only theirs. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libgvc.so\nleak:libcgraph.so\nleak:libgvplugin_\nleak:libfontconfig.so\nleak:libpango\n"
	       "leak:libglib-2.0.so\nleak:libcairo.so\n";
}
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
#endif

static glob_t defs;

static char *path_of(const char *rel, char *buf, size_t n)
{
	const char *top = getenv("TUTTI_TOP");

	snprintf(buf, n, "%s/%s", top ? top : ".", rel);
	return buf;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = malloc((size_t)n + 1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	s[n] = 0;
	fclose(f);
	if (len)
		*len = (size_t)n;
	return s;
}

static json_t *load(const char *rel)
{
	char p[4096];
	json_error_t je;
	json_t *v = json_load_file(path_of(rel, p, sizeof p), 0, &je);

	ck_assert_msg(v != NULL, "%s: %s", rel, je.text);
	return v;
}

/* Compare text with the golden file (or write it with TUTTI_UPDATE_GOLDEN=1). */
static void golden(const char *file, const char *text, size_t len)
{
	const char *upd = getenv("TUTTI_UPDATE_GOLDEN");
	char *want;
	size_t wlen = 0;

	if (upd && !strcmp(upd, "1")) {
		FILE *f = fopen(file, "wb");

		ck_assert_msg(f && fwrite(text, 1, len, f) == len && !fclose(f), "cannot write %s", file);
		return;
	}
	want = slurp(file, &wlen);
	ck_assert_msg(want != NULL, "%s is missing (TUTTI_UPDATE_GOLDEN=1 writes it)", file);
	if (wlen != len || memcmp(want, text, len)) {
		size_t i = 0;

		while (i < len && i < wlen && want[i] == text[i])
			i++;
		ck_abort_msg("%s differs at byte %zu: got \"%.60s\", want \"%.60s\" (TUTTI_UPDATE_GOLDEN=1 rewrites it)",
			     file, i, text + i, want + i);
	}
	free(want);
}

static json_t *states_of(const char *history_rel, const char *map, long iteration)
{
	json_t *h = load(history_rel), *r;
	struct err e;

	r = graph_exec_states(json_object_get(h, "events"), map, iteration, &e);
	ck_assert_msg(r != NULL, "%s: %s: %s", history_rel, e.type, e.msg);
	json_decref(h);
	return r;
}

/* ---- goldens ------------------------------------------------------------------------ */

START_TEST(test_golden)
{
	const char *def_path = defs.gl_pathv[_i];
	char base[4096], out[4200], pat[4200];
	json_t *def;
	json_error_t je;
	struct buf b;
	struct err e;
	glob_t hs;
	size_t i;

	snprintf(base, sizeof base, "%.*s", (int)(strlen(def_path) - strlen(".asl.json")), def_path);
	def = json_load_file(def_path, 0, &je);
	ck_assert_msg(def != NULL, "%s: %s", def_path, je.text);
	buf_init(&b, 0);
	ck_assert_msg(!graph_dot(def, NULL, NULL, &b, &e), "%s: %s", e.type, e.msg);
	snprintf(out, sizeof out, "%s.dot", base);
	golden(out, b.data, b.len);
	buf_reset(&b);
	ck_assert_msg(!graph_mermaid(def, NULL, NULL, &b, &e), "%s: %s", e.type, e.msg);
	snprintf(out, sizeof out, "%s.mmd", base);
	golden(out, b.data, b.len);
	/* coloured by each recorded history of this definition */
	snprintf(pat, sizeof pat, "%s.*.history.json", base);
	ck_assert_int_ne(glob(pat, 0, NULL, &hs), GLOB_ABORTED);
	for (i = 0; i < hs.gl_pathc; i++) {
		json_t *h = json_load_file(hs.gl_pathv[i], 0, &je), *st;
		struct graph_opts o = { .title = "coloured" };

		ck_assert_ptr_nonnull(h);
		st = graph_exec_states(json_object_get(h, "events"), NULL, -1, &e);
		ck_assert_ptr_nonnull(st);
		buf_reset(&b);
		ck_assert(!graph_dot(def, json_object_get(st, "states"), &o, &b, &e));
		snprintf(out, sizeof out, "%.*s.dot", (int)(strlen(hs.gl_pathv[i]) - strlen(".history.json")),
			 hs.gl_pathv[i]);
		golden(out, b.data, b.len);
		buf_reset(&b);
		ck_assert(!graph_mermaid(def, json_object_get(st, "states"), &o, &b, &e));
		snprintf(out, sizeof out, "%.*s.mmd", (int)(strlen(hs.gl_pathv[i]) - strlen(".history.json")),
			 hs.gl_pathv[i]);
		golden(out, b.data, b.len);
		json_decref(st);
		json_decref(h);
	}
	globfree(&hs);
	buf_free(&b);
	json_decref(def);
}
END_TEST

/* ---- the DOT contract, through Graphviz ------------------------------------------- */

/* The <g> whose id is `id` (exact, after XML decoding), or NULL. */
static xmlNode *find_g(xmlNode *n, const char *id)
{
	for (; n; n = n->next) {
		xmlNode *r;

		if (n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, BAD_CAST "g")) {
			xmlChar *v = xmlGetProp(n, BAD_CAST "id");
			bool hit = v && !strcmp((const char *)v, id);

			xmlFree(v);
			if (hit)
				return n;
		}
		if ((r = find_g(n->children, id)))
			return r;
	}
	return NULL;
}

/* The text of the first <text> under n (caller xmlFree()s), or NULL. */
static xmlChar *first_text(xmlNode *n)
{
	for (; n; n = n->next) {
		xmlChar *r;

		if (n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, BAD_CAST "text"))
			return xmlNodeGetContent(n);
		if ((r = first_text(n->children)))
			return r;
	}
	return NULL;
}

static bool has_class(xmlNode *g, const char *want)
{
	xmlChar *c = xmlGetProp(g, BAD_CAST "class");
	char padded[512], key[256];
	bool hit;

	snprintf(padded, sizeof padded, " %s ", c ? (const char *)c : "");
	snprintf(key, sizeof key, " %s ", want);
	hit = strstr(padded, key) != NULL;
	xmlFree(c);
	return hit;
}

/* Every state of weird_names (quotes, <>&, backslashes, a newline,
 * non-ASCII, Mermaid's and DOT's own syntax) is found by its exact name in
 * the SVG Graphviz draws, with its classes; nothing on stderr. */
START_TEST(test_svg_contract)
{
	json_t *def = load(DATA "/weird_names.asl.json"), *st = states_of(DATA "/weird_names.run.history.json", NULL, -1);
	json_t *states = json_object_get(def, "States"), *v;
	const char *name;
	struct buf dot, svg;
	struct err e;
	xmlDoc *doc;
	size_t n = 0;

	buf_init(&dot, 0);
	buf_init(&svg, 0);
	ck_assert(!graph_dot(def, json_object_get(st, "states"), NULL, &dot, &e));
	ck_assert_msg(!graph_svg(dot.data, dot.len, &svg, &e), "%s: %s", e.type, e.msg);
	/* again: the same bytes (from graph_svg's cache), appended */
	{
		size_t n1 = svg.len;

		ck_assert(!graph_svg(dot.data, dot.len, &svg, &e));
		ck_assert_uint_eq(svg.len, 2 * n1);
		ck_assert(!memcmp(svg.data, svg.data + n1, n1));
		svg.len = n1;
		svg.data[n1] = 0;
	}
	doc = xmlReadMemory(svg.data, (int)svg.len, "graph.svg", NULL, XML_PARSE_NONET);
	ck_assert_msg(doc != NULL, "the SVG is not XML");
	json_object_foreach(states, name, v) {
		char id[1024], type[64], status[64];
		const char *st_of = json_string_value(json_object_get(json_object_get(json_object_get(st, "states"), name),
								      "status"));
		xmlNode *g;

		snprintf(id, sizeof id, "state:%s", name);
		g = find_g(xmlDocGetRootElement(doc), id);
		ck_assert_msg(g != NULL, "no <g id=\"%s\">", id);
		snprintf(type, sizeof type, "type-%s", json_string_value(json_object_get(v, "Type")));
		snprintf(status, sizeof status, "status-%s", st_of ? st_of : "NOT_REACHED");
		ck_assert_msg(has_class(g, "state") && has_class(g, type) && has_class(g, status), "classes of %s", id);
		/* the label shows the name as it is (a newline as a space) */
		{
			xmlChar *t = first_text(g->children);
			char shown[1024], *p;

			snprintf(shown, sizeof shown, "%s", name);
			for (p = shown; *p; p++)
				if (*p == '\n')
					*p = ' ';
			ck_assert_msg(t && !strcmp((const char *)t, shown), "label of %s: %s", id, t ? (char *)t : "none");
			xmlFree(t);
		}
		n++;
	}
	ck_assert_uint_eq(n, 8);
	ck_assert(has_class(find_g(xmlDocGetRootElement(doc), "state:two\nlines"), "status-SUCCEEDED"));
	ck_assert(has_class(find_g(xmlDocGetRootElement(doc), "state:a<b>&c"), "status-NOT_REACHED"));
	ck_assert_ptr_nonnull(find_g(xmlDocGetRootElement(doc), "__start"));
	ck_assert_ptr_nonnull(find_g(xmlDocGetRootElement(doc), "__end"));
	xmlFreeDoc(doc);
	buf_free(&dot);
	buf_free(&svg);
	json_decref(def);
	json_decref(st);
}
END_TEST

/* Nested clusters: Map and Parallel state nodes, their inner starts,
 * joins and clusters carry the documented ids. */
START_TEST(test_svg_clusters)
{
	json_t *def = load(DATA "/nested.asl.json");
	static const char *const ids[] = { "state:Outer", "cluster:Outer", "cluster:Outer:0", "cluster:Outer:1",
					   "start:Outer:0", "start:Outer:1", "join:Outer", "state:Per item",
					   "cluster:Per item", "start:Per item", "join:Per item", "state:Both",
					   "cluster:Both:1", "state:Right", "state:Breaks" };
	struct buf dot, svg;
	struct err e;
	xmlDoc *doc;
	size_t i;

	buf_init(&dot, 0);
	buf_init(&svg, 0);
	ck_assert(!graph_dot(def, NULL, NULL, &dot, &e));
	ck_assert_msg(!graph_svg(dot.data, dot.len, &svg, &e), "%s: %s", e.type, e.msg);
	doc = xmlReadMemory(svg.data, (int)svg.len, "graph.svg", NULL, XML_PARSE_NONET);
	ck_assert_ptr_nonnull(doc);
	for (i = 0; i < sizeof ids / sizeof ids[0]; i++)
		ck_assert_msg(find_g(xmlDocGetRootElement(doc), ids[i]) != NULL, "no <g id=\"%s\">", ids[i]);
	ck_assert(has_class(find_g(xmlDocGetRootElement(doc), "state:Both"), "type-Parallel"));
	ck_assert(!has_class(find_g(xmlDocGetRootElement(doc), "state:Both"), "status-NOT_REACHED"));
	xmlFreeDoc(doc);
	buf_free(&dot);
	buf_free(&svg);
	json_decref(def);
}
END_TEST

/* Graphviz's complaints come back in e, not on stderr; caps are named. */
START_TEST(test_svg_errors)
{
	char tmpl[] = "/tmp/test_graph_stderr.XXXXXX";
	int fd = mkstemp(tmpl), saved = dup(2);
	struct buf svg;
	struct err e;
	struct stat sb;
	char *big;
	size_t n, i;
	struct buf dot;

	ck_assert_int_ge(fd, 0);
	buf_init(&svg, 0);
	dup2(fd, 2);
	ck_assert_int_eq(graph_svg("digraph { a -> ; }", 18, &svg, &e), -1);
	ck_assert_str_eq(e.type, GRAPH_ERR_RENDER);
	ck_assert_msg(strstr(e.msg, "syntax error") != NULL, "message: %s", e.msg);
	ck_assert_int_eq(graph_svg("digraph { a -> b [color=nosuchcolour]; }", 40, &svg, &e), 0);   /* a warning */
	ck_assert_int_eq(graph_svg("dig\0raph", 8, &svg, &e), -1);
	ck_assert_str_eq(e.type, GRAPH_ERR_RENDER);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ck_assert_int_eq(fstat(fd, &sb), 0);
	ck_assert_msg(sb.st_size == 0, "graphviz wrote %lld bytes on stderr", (long long)sb.st_size);
	close(fd);
	unlink(tmpl);
	/* over the byte cap */
	big = malloc(GRAPH_DOT_MAX + 2);
	memset(big, ' ', GRAPH_DOT_MAX + 1);
	ck_assert_int_eq(graph_svg(big, GRAPH_DOT_MAX + 1, &svg, &e), -1);
	ck_assert_str_eq(e.type, GRAPH_ERR_TOO_LARGE);
	free(big);
	/* over the state cap: DOT someone else wrote */
	buf_init(&dot, 0);
	buf_puts(&dot, "digraph {");
	n = GRAPH_STATES_MAX + 1;
	for (i = 0; i < n; i++)
		buf_printf(&dot, "n%zu [id=\"state:%zu\"];", i, i);
	buf_puts(&dot, "}");
	ck_assert_int_eq(graph_svg(dot.data, dot.len, &svg, &e), -1);
	ck_assert_str_eq(e.type, GRAPH_ERR_TOO_LARGE);
	buf_free(&dot);
	buf_free(&svg);
}
END_TEST

/* ---- labels ------------------------------------------------------------------------- */

static void rule_is(const char *rule_json, const char *want)
{
	json_t *r = json_loads(rule_json, 0, NULL);
	char *t;

	ck_assert_ptr_nonnull(r);
	t = graph_rule_text(r);
	ck_assert_str_eq(t, want);
	free(t);
	json_decref(r);
}

START_TEST(test_rule_text)
{
	rule_is("{\"Variable\": \"$.x\", \"NumericEquals\": 3}", "$.x == 3");
	rule_is("{\"Variable\": \"$.s\", \"StringMatches\": \"a*\"}", "$.s matches \"a*\"");
	rule_is("{\"Variable\": \"$.a\", \"StringEqualsPath\": \"$.b\"}", "$.a == $.b");
	rule_is("{\"Variable\": \"$.t\", \"IsPresent\": false}", "$.t is absent");
	rule_is("{\"Variable\": \"$.t\", \"IsNull\": true}", "$.t is null");
	rule_is("{\"Variable\": \"$.n\", \"NumericLessThanEquals\": 1.5}", "$.n <= 1.5");
	rule_is("{\"Not\": {\"Variable\": \"$.b\", \"BooleanEquals\": true}}", "Not($.b == true)");
	rule_is("{\"And\": [{\"Variable\": \"$.a\", \"NumericGreaterThan\": 1}, {\"Variable\": \"$.b\", \"StringEquals\": \"x\"}]}",
		"And($.a > 1, $.b == \"x\")");
	rule_is("{\"Condition\": \"{% $x > 3 %}\"}", "{% $x > 3 %}");
	/* cut at 40 characters, the last one "…"; multi-byte characters stay whole */
	rule_is("{\"Variable\": \"$.long\", \"StringEquals\": \"a very long string value that will not fit\"}",
		"$.long == \"a very long string value tha\xE2\x80\xA6");
	rule_is("{\"Variable\": \"$.x\", \"StringEquals\": \"ééééééééééééééééééééééééééééééééééééééééé\"}",
		"$.x == \"ééééééééééééééééééééééééééééééé\xE2\x80\xA6");
	rule_is("{}", "?");
	rule_is("{\"Variable\": \"$.x\", \"NoSuchOp\": 1}", "$.x");
}
END_TEST

/* ---- statuses ----------------------------------------------------------------------- */

static const char *sget(const json_t *r, const char *state, const char *key)
{
	return json_string_value(json_object_get(json_object_get(json_object_get(r, "states"), state), key));
}

static json_int_t iget(const json_t *r, const char *state, const char *key)
{
	json_t *v = json_object_get(json_object_get(json_object_get(r, "states"), state), key);

	ck_assert_msg(json_is_integer(v), "%s.%s is not an integer", state, key);
	return json_integer_value(v);
}

static bool has(const json_t *r, const char *state, const char *key)
{
	return json_object_get(json_object_get(json_object_get(r, "states"), state), key) != NULL;
}

START_TEST(test_states_catch_retry)
{
	json_t *r = states_of(DATA "/catch_retry.run.history.json", NULL, -1);

	ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "SUCCEEDED");
	ck_assert_str_eq(sget(r, "Flaky", "status"), "SUCCEEDED");
	ck_assert_int_eq(iget(r, "Flaky", "attempts"), 2);
	ck_assert_int_eq(iget(r, "Flaky", "retries"), 1);
	ck_assert(!has(r, "Flaky", "error"));
	ck_assert_str_eq(sget(r, "Call", "status"), "CAUGHT");
	ck_assert_str_eq(sget(r, "Call", "error"), "E1");
	ck_assert_str_eq(sget(r, "Call", "cause"), "always");
	ck_assert_int_eq(iget(r, "Call", "attempts"), 3);
	ck_assert_int_eq(iget(r, "Call", "retries"), 2);
	ck_assert_int_eq(iget(r, "Call", "enteredEventId"), 10);
	ck_assert_int_eq(iget(r, "Call", "exitedEventId"), 20);
	ck_assert_str_eq(sget(r, "Call", "type"), "Task");
	ck_assert_ptr_nonnull(sget(r, "Call", "input"));
	ck_assert_ptr_nonnull(sget(r, "Call", "output"));
	ck_assert(json_is_number(json_object_get(json_object_get(json_object_get(r, "states"), "Call"), "stopDate")));
	ck_assert_str_eq(sget(r, "Recover", "status"), "SUCCEEDED");
	ck_assert(!has(r, "Give up", "status"));   /* not reached: not listed */
	json_decref(r);
}
END_TEST

/* A JSONata state's own query error, caught: its EvaluationFailed event
 * makes it CAUGHT with the error and cause (no Task events at all). */
START_TEST(test_states_evaluation_failed)
{
	json_t *r = states_of(DATA "/jsonata_caught.run.history.json", NULL, -1);

	ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "SUCCEEDED");
	ck_assert_str_eq(sget(r, "Call", "status"), "CAUGHT");
	ck_assert_str_eq(sget(r, "Call", "error"), "States.QueryEvaluationError");
	ck_assert_ptr_nonnull(strstr(sget(r, "Call", "cause"), "'Arguments/x'"));
	ck_assert_str_eq(sget(r, "Recover", "status"), "SUCCEEDED");
	json_decref(r);
}
END_TEST

START_TEST(test_states_failed)
{
	json_t *r = states_of(DATA "/uncaught.run.history.json", NULL, -1);

	ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "FAILED");
	ck_assert_str_eq(sget(r, "Prepare", "status"), "SUCCEEDED");
	ck_assert_str_eq(sget(r, "Call", "status"), "FAILED");
	ck_assert_str_eq(sget(r, "Call", "error"), "Boom");
	ck_assert_int_eq(iget(r, "Call", "retries"), 2);
	ck_assert(!has(r, "Call", "exitedEventId"));
	ck_assert(!has(r, "After", "status"));
	json_decref(r);
	/* a Fail state: its error is the execution's */
	r = states_of(DATA "/choice.default.history.json", NULL, -1);
	ck_assert_str_eq(sget(r, "Route", "status"), "SUCCEEDED");
	ck_assert_str_eq(sget(r, "Other", "status"), "FAILED");
	ck_assert_str_eq(sget(r, "Other", "error"), "NoRoute");
	ck_assert_str_eq(sget(r, "Other", "cause"), "nothing matched");
	json_decref(r);
	/* a state's own error, which no event but the execution's names */
	r = states_of(DATA "/choice.runtime.history.json", NULL, -1);
	ck_assert_str_eq(sget(r, "Route", "status"), "FAILED");
	ck_assert_str_eq(sget(r, "Route", "error"), "States.Runtime");
	json_decref(r);
}
END_TEST

START_TEST(test_states_map)
{
	json_t *r = states_of(DATA "/map.run.history.json", NULL, -1), *it;

	ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "SUCCEEDED");
	ck_assert_str_eq(sget(r, "Items", "status"), "SUCCEEDED");   /* one failure tolerated */
	it = json_object_get(json_object_get(json_object_get(r, "states"), "Items"), "iterations");
	ck_assert_int_eq(json_integer_value(json_object_get(it, "total")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(it, "SUCCEEDED")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(it, "FAILED")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(it, "RUNNING")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(it, "ABORTED")), 0);
	/* aggregated over the iterations */
	ck_assert_str_eq(sget(r, "Check", "status"), "SUCCEEDED");
	ck_assert_int_eq(iget(r, "Check", "visits"), 3);
	ck_assert_str_eq(sget(r, "Work", "status"), "SUCCEEDED");
	ck_assert_int_eq(iget(r, "Work", "visits"), 2);
	ck_assert_str_eq(sget(r, "Work fails", "status"), "FAILED");
	ck_assert_str_eq(sget(r, "Work fails", "error"), "ItemError");
	ck_assert_str_eq(sget(r, "Legacy", "status"), "SUCCEEDED");
	ck_assert_int_eq(iget(r, "Echo", "visits"), 3);
	json_decref(r);
	/* one iteration */
	r = states_of(DATA "/map.run.history.json", "Items", 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "iteration"), "status")), "FAILED");
	ck_assert_str_eq(sget(r, "Check", "status"), "SUCCEEDED");
	ck_assert_int_eq(iget(r, "Check", "visits"), 1);
	ck_assert_str_eq(sget(r, "Work fails", "status"), "FAILED");
	ck_assert(!has(r, "Work", "status"));
	ck_assert(!has(r, "Items", "status"));
	ck_assert(!has(r, "Echo", "status"));
	json_decref(r);
	r = states_of(DATA "/map.run.history.json", "Items", 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(r, "iteration"), "status")), "SUCCEEDED");
	ck_assert_str_eq(sget(r, "Work", "status"), "SUCCEEDED");
	ck_assert(!has(r, "Work fails", "status"));
	json_decref(r);
}
END_TEST

START_TEST(test_states_nested_and_caught)
{
	json_t *r = states_of(DATA "/nested.run.history.json", NULL, -1), *it;

	ck_assert_str_eq(sget(r, "Outer", "status"), "CAUGHT");
	ck_assert_str_eq(sget(r, "Breaks", "status"), "FAILED");   /* its branch ended with its error */
	ck_assert_str_eq(sget(r, "Per item", "status"), "ABORTED"); /* the other branch was stopped */
	it = json_object_get(json_object_get(json_object_get(r, "states"), "Per item"), "iterations");
	ck_assert_int_eq(json_integer_value(json_object_get(it, "ABORTED")), 2);
	ck_assert_str_eq(sget(r, "Handled", "status"), "SUCCEEDED");
	ck_assert(!has(r, "Never", "status"));
	ck_assert(!has(r, "Both", "status"));
	json_decref(r);
}
END_TEST

START_TEST(test_states_running_and_aborted)
{
	json_t *r = states_of(DATA "/stop.running.history.json", NULL, -1), *it;

	ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "RUNNING");
	ck_assert_str_eq(sget(r, "First", "status"), "SUCCEEDED");
	ck_assert_str_eq(sget(r, "Fan", "status"), "RUNNING");
	ck_assert_str_eq(sget(r, "Nap", "status"), "RUNNING");
	ck_assert(!has(r, "Nap", "stopDate"));
	ck_assert_str_eq(sget(r, "Each", "status"), "RUNNING");
	ck_assert_str_eq(sget(r, "Long nap", "status"), "RUNNING");
	ck_assert_str_eq(sget(r, "Quick", "status"), "SUCCEEDED");
	it = json_object_get(json_object_get(json_object_get(r, "states"), "Each"), "iterations");
	ck_assert_int_eq(json_integer_value(json_object_get(it, "total")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(it, "RUNNING")), 2);
	ck_assert(!has(r, "Done", "status"));
	json_decref(r);
	r = states_of(DATA "/stop.aborted.history.json", NULL, -1);
	ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "ABORTED");
	ck_assert_str_eq(sget(r, "Fan", "status"), "ABORTED");
	ck_assert_str_eq(sget(r, "Nap", "status"), "ABORTED");
	ck_assert_str_eq(sget(r, "Long nap", "status"), "ABORTED");
	ck_assert_str_eq(sget(r, "Quick", "status"), "SUCCEEDED");
	it = json_object_get(json_object_get(json_object_get(r, "states"), "Each"), "iterations");
	ck_assert_int_eq(json_integer_value(json_object_get(it, "ABORTED")), 2);
	json_decref(r);
	/* a running history cut anywhere is still read: every prefix */
	{
		json_t *h = load(DATA "/catch_retry.run.history.json"), *ev = json_object_get(h, "events");
		size_t n = json_array_size(ev), k;
		struct err e;

		for (k = 1; k <= n; k++) {
			json_t *cut = json_array(), *s;

			for (size_t j = 0; j < k; j++)
				json_array_append(cut, json_array_get(ev, j));
			s = graph_exec_states(cut, NULL, -1, &e);
			ck_assert_ptr_nonnull(s);
			ck_assert_str_eq(json_string_value(json_object_get(s, "status")), k == n ? "SUCCEEDED" : "RUNNING");
			if (k == 6)   /* Flaky failed once, its retry not yet scheduled */
				ck_assert_str_eq(sget(s, "Flaky", "status"), "RUNNING");
			json_decref(s);
			json_decref(cut);
		}
		json_decref(h);
	}
}
END_TEST

/* A redriven execution shows its last run: the Map's first, failed visit
 * and its iterations are replaced by the redriven ones. */
START_TEST(test_states_redrive)
{
	json_t *r = states_of(DATA "/redrive.run.history.json", NULL, -1), *it, *h;
	struct err e;
	size_t total;

	ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "SUCCEEDED");
	ck_assert_str_eq(sget(r, "Each", "status"), "SUCCEEDED");
	ck_assert_int_eq(iget(r, "Each", "enteredEventId"), 21);
	ck_assert_int_eq(iget(r, "Each", "visits"), 2);
	it = json_object_get(json_object_get(json_object_get(r, "states"), "Each"), "iterations");
	ck_assert_int_eq(json_integer_value(json_object_get(it, "SUCCEEDED")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(it, "FAILED")), 0);
	ck_assert_str_eq(sget(r, "Work", "status"), "SUCCEEDED");
	ck_assert_int_eq(iget(r, "Work", "visits"), 4);
	ck_assert_str_eq(sget(r, "Finish", "status"), "SUCCEEDED");
	json_decref(r);
	r = states_of(DATA "/redrive.run.history.json", "Each", 0);
	ck_assert_str_eq(sget(r, "Work", "status"), "SUCCEEDED");
	ck_assert_int_eq(iget(r, "Work", "enteredEventId"), 25);
	json_decref(r);
	h = load(DATA "/redrive.run.history.json");
	r = graph_map_iterations(json_object_get(h, "events"), "Each", NULL, 0, 0, &total, &e);
	ck_assert_uint_eq(total, 2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(r, 0), "startEventId")), 23);
	json_decref(r);
	/* before the redrive (the history cut at ExecutionFailed): failed */
	{
		json_t *cut = json_array();

		for (size_t i = 0; i < 19; i++)
			json_array_append(cut, json_array_get(json_object_get(h, "events"), i));
		r = graph_exec_states(cut, NULL, -1, &e);
		ck_assert_str_eq(json_string_value(json_object_get(r, "status")), "FAILED");
		ck_assert_str_eq(sget(r, "Each", "status"), "FAILED");
		ck_assert_str_eq(sget(r, "Work", "status"), "FAILED");
		ck_assert_str_eq(sget(r, "Work", "error"), "CustomError");
		it = json_object_get(json_object_get(json_object_get(r, "states"), "Each"), "iterations");
		ck_assert_int_eq(json_integer_value(json_object_get(it, "FAILED")), 1);
		ck_assert_int_eq(json_integer_value(json_object_get(it, "ABORTED")), 1);
		json_decref(r);
		json_decref(cut);
	}
	json_decref(h);
}
END_TEST

START_TEST(test_map_iterations)
{
	json_t *h = load(DATA "/map.run.history.json"), *ev = json_object_get(h, "events"), *r;
	struct err e;
	size_t total;

	r = graph_map_iterations(ev, "Items", NULL, 0, 0, &total, &e);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(total, 3);
	ck_assert_uint_eq(json_array_size(r), 3);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(r, i), "index")), (json_int_t)i);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(r, 1), "status")), "FAILED");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(r, 1), "error")), "ItemError");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(r, 1), "cause")), "bad item");
	ck_assert_ptr_nonnull(json_object_get(json_array_get(r, 0), "endEventId"));
	ck_assert_ptr_nonnull(json_object_get(json_array_get(r, 0), "stopDate"));
	ck_assert_ptr_null(json_object_get(json_array_get(r, 0), "error"));
	json_decref(r);
	r = graph_map_iterations(ev, "Items", "SUCCEEDED", 1, 5, &total, &e);
	ck_assert_uint_eq(total, 2);
	ck_assert_uint_eq(json_array_size(r), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(r, 0), "index")), 2);
	json_decref(r);
	r = graph_map_iterations(ev, "Items", "FAILED", 0, 1, &total, &e);
	ck_assert_uint_eq(total, 1);
	json_decref(r);
	r = graph_map_iterations(ev, "Items", NULL, 9, 1, &total, &e);
	ck_assert_uint_eq(total, 3);
	ck_assert_uint_eq(json_array_size(r), 0);
	json_decref(r);
	r = graph_map_iterations(ev, "No such map", NULL, 0, 0, &total, &e);
	ck_assert_uint_eq(total, 0);
	json_decref(r);
	ck_assert_ptr_null(graph_map_iterations(ev, "Items", "DONE", 0, 0, &total, &e));
	ck_assert_str_eq(e.type, "InvalidParameterValueException");
	ck_assert_ptr_null(graph_exec_states(ev, "Items", 3, &e));
	ck_assert_str_eq(e.type, GRAPH_ERR_NO_ITERATION);
	json_decref(h);
	h = load(DATA "/stop.running.history.json");
	r = graph_map_iterations(json_object_get(h, "events"), "Each", "RUNNING", 0, 0, &total, &e);
	ck_assert_uint_eq(total, 2);
	ck_assert_ptr_null(json_object_get(json_array_get(r, 0), "stopDate"));
	json_decref(r);
	json_decref(h);
	h = load(DATA "/stop.aborted.history.json");
	r = graph_map_iterations(json_object_get(h, "events"), "Each", "ABORTED", 0, 0, &total, &e);
	ck_assert_uint_eq(total, 2);
	json_decref(r);
	json_decref(h);
}
END_TEST

/* ---- big histories ------------------------------------------------------------------ */

#define BEFORE (-1)   /* previousEventId: the event just before */

/* The next event (*id + 1); prev BEFORE: *id. */
static json_t *event(json_int_t *idp, json_int_t prev, const char *type, const char *dkey, json_t *details)
{
	json_int_t id = ++*idp;
	json_t *o;

	if (prev == BEFORE)
		prev = id - 1;
	o = json_pack("{s:I, s:I, s:s, s:f}", "id", id, "previousEventId", prev, "type", type, "timestamp",
			      1700000000.0 + (double)id / 1000);

	if (dkey)
		json_object_set_new(o, dkey, details);
	return o;
}

static json_t *entered(const char *name)
{
	return json_pack("{s:s, s:s}", "name", name, "input", "{}");
}

/* 10,000 iterations of a Map (iteration 7 fails) and a 2,000-turn loop:
 * over 40,000 events, read in one linear pass (a quadratic one would not
 * end within the test's timeout). */
START_TEST(test_big_history)
{
	json_t *ev = json_array(), *r, *it;
	json_int_t id = 0, start, map_started, last;
	const size_t items = 10000, loops = 2000;
	struct err e;
	size_t i, total;

	json_array_append_new(ev, event(&id, 0, "ExecutionStarted", NULL, NULL));
	json_array_append_new(ev, event(&id, BEFORE, "MapStateEntered", "stateEnteredEventDetails", entered("M")));
	json_array_append_new(ev, event(&id, BEFORE, "MapStateStarted", "mapStateStartedEventDetails",
					json_pack("{s:I}", "length", (json_int_t)items)));
	map_started = id;
	for (i = 0; i < items; i++) {
		bool bad = i == 7;

		json_array_append_new(ev, event(&id, map_started, "MapIterationStarted",
						"mapIterationStartedEventDetails",
						json_pack("{s:s, s:I}", "name", "M", "index", (json_int_t)i)));
		start = id;
		json_array_append_new(ev, event(&id, start, "TaskStateEntered", "stateEnteredEventDetails", entered("T")));
		json_array_append_new(ev, event(&id, BEFORE, "TaskScheduled", "taskScheduledEventDetails",
						json_pack("{s:s}", "resource", "x")));
		if (bad)
			json_array_append_new(ev, event(&id, BEFORE, "TaskFailed", "taskFailedEventDetails",
							json_pack("{s:s, s:s}", "error", "Bad", "cause", "seven")));
		else
			json_array_append_new(ev, event(&id, BEFORE, "TaskStateExited", "stateExitedEventDetails",
							json_pack("{s:s}", "name", "T")));
		json_array_append_new(ev, event(&id, BEFORE, bad ? "MapIterationFailed" : "MapIterationSucceeded",
						bad ? "mapIterationFailedEventDetails" : "mapIterationSucceededEventDetails",
						json_pack("{s:s, s:I}", "name", "M", "index", (json_int_t)i)));
	}
	json_array_append_new(ev, event(&id, map_started, "MapStateSucceeded", NULL, NULL));
	json_array_append_new(ev, event(&id, BEFORE, "MapStateExited", "stateExitedEventDetails",
					json_pack("{s:s}", "name", "M")));
	last = id;
	for (i = 0; i < loops; i++) {
		json_array_append_new(ev, event(&id, last, "PassStateEntered", "stateEnteredEventDetails", entered("Loop")));
		json_array_append_new(ev, event(&id, BEFORE, "PassStateExited", "stateExitedEventDetails",
						json_pack("{s:s}", "name", "Loop")));
		last = id;
	}
	json_array_append_new(ev, event(&id, last, "ExecutionSucceeded", NULL, NULL));
	ck_assert_uint_ge(json_array_size(ev), 40000);
	/* in reverse order, as GetExecutionHistory --reverse gives them */
	for (i = 0; i < json_array_size(ev) / 2; i++) {
		json_t *a = json_incref(json_array_get(ev, i)), *b = json_incref(json_array_get(ev, json_array_size(ev) - 1 - i));

		json_array_set_new(ev, i, b);
		json_array_set_new(ev, json_array_size(ev) - 1 - i, a);
	}
	r = graph_exec_states(ev, NULL, -1, &e);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(sget(r, "M", "status"), "SUCCEEDED");
	it = json_object_get(json_object_get(json_object_get(r, "states"), "M"), "iterations");
	ck_assert_int_eq(json_integer_value(json_object_get(it, "total")), (json_int_t)items);
	ck_assert_int_eq(json_integer_value(json_object_get(it, "SUCCEEDED")), (json_int_t)items - 1);
	ck_assert_int_eq(json_integer_value(json_object_get(it, "FAILED")), 1);
	ck_assert_str_eq(sget(r, "T", "status"), "FAILED");
	ck_assert_int_eq(iget(r, "T", "visits"), (json_int_t)items);
	ck_assert_int_eq(iget(r, "T", "attempts"), (json_int_t)items);
	ck_assert_str_eq(sget(r, "Loop", "status"), "SUCCEEDED");
	ck_assert_int_eq(iget(r, "Loop", "visits"), (json_int_t)loops);
	ck_assert_int_eq(iget(r, "Loop", "exitedEventId"), last);   /* the last visit */
	json_decref(r);
	r = graph_exec_states(ev, "M", 7, &e);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(sget(r, "T", "status"), "FAILED");
	ck_assert_str_eq(sget(r, "T", "error"), "Bad");
	json_decref(r);
	r = graph_map_iterations(ev, "M", NULL, items - 5, 100, &total, &e);
	ck_assert_uint_eq(total, items);
	ck_assert_uint_eq(json_array_size(r), 5);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(r, 4), "index")), (json_int_t)items - 1);
	json_decref(r);
	r = graph_map_iterations(ev, "M", "FAILED", 0, 0, &total, &e);
	ck_assert_uint_eq(total, 1);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(r, 0), "error")), "Bad");
	json_decref(r);
	json_decref(ev);
}
END_TEST

/* ---- odd input ---------------------------------------------------------------------- */

static int dot_of(const char *def_json, struct err *e)
{
	json_t *d = json_loads(def_json, JSON_DECODE_ANY, NULL);
	struct buf b;
	int rc;

	buf_init(&b, 0);
	rc = graph_dot(d, NULL, NULL, &b, e);
	if (!rc)
		ck_assert(b.len > 0 && !strcmp(b.data + b.len - 2, "}\n"));
	buf_free(&b);
	buf_init(&b, 0);
	ck_assert_int_eq(graph_mermaid(d, NULL, NULL, &b, e), rc);
	buf_free(&b);
	json_decref(d);
	return rc;
}

START_TEST(test_odd_definitions)
{
	struct err e;
	struct buf b;
	json_t *d, *states, *cur;
	int i;

	ck_assert_int_eq(dot_of("[]", &e), -1);
	ck_assert_str_eq(e.type, GRAPH_ERR_INVALID);
	ck_assert_int_eq(dot_of("{\"StartAt\": \"A\"}", &e), -1);
	ck_assert_int_eq(dot_of("{\"States\": []}", &e), -1);
	ck_assert_int_eq(dot_of("{\"States\": {}}", &e), 0);
	ck_assert_int_eq(dot_of("{\"StartAt\": 1, \"States\": {\"A\": 3, \"B\": {\"Type\": 4, \"Next\": \"nowhere\", "
				"\"Catch\": 5, \"Retry\": [1, {\"ErrorEquals\": 7}], \"End\": true}, "
				"\"C\": {\"Type\": \"Choice\", \"Choices\": {\"x\": 1}, \"Default\": 2}, "
				"\"D\": {\"Type\": \"Choice\", \"Choices\": [1, {\"Next\": \"A\"}, {\"And\": 3, \"Next\": \"B\"}]}, "
				"\"M\": {\"Type\": \"Map\", \"ItemProcessor\": 1}, \"P\": {\"Type\": \"Parallel\", "
				"\"Branches\": [1, {\"States\": 2}, {\"StartAt\": \"Q\", \"States\": {\"Q\": {}}}]}}}",
				&e),
			 0);
	/* nesting past the cap */
	d = json_object();
	cur = d;
	for (i = 0; i < GRAPH_DEPTH_MAX + 5; i++) {
		json_t *inner = json_object();

		json_object_set_new(cur, "StartAt", json_string("M"));
		json_object_set_new(cur, "States",
				    json_pack("{s:{s:s, s:o, s:b}}", "M", "Type", "Map", "ItemProcessor", inner, "End", 1));
		cur = inner;
	}
	buf_init(&b, 0);
	ck_assert_int_eq(graph_dot(d, NULL, NULL, &b, &e), -1);
	ck_assert_str_eq(e.type, GRAPH_ERR_TOO_LARGE);
	ck_assert_uint_eq(b.len, 0);
	json_decref(d);
	/* too many states */
	states = json_object();
	for (i = 0; i <= GRAPH_STATES_MAX; i++) {
		char name[32];

		snprintf(name, sizeof name, "S%d", i);
		json_object_set_new(states, name, json_pack("{s:s, s:b}", "Type", "Pass", "End", 1));
	}
	d = json_pack("{s:s, s:o}", "StartAt", "S0", "States", states);
	ck_assert_int_eq(graph_dot(d, NULL, NULL, &b, &e), -1);
	ck_assert_str_eq(e.type, GRAPH_ERR_TOO_LARGE);
	/* at the cap, it draws */
	json_object_del(states, "S0");
	ck_assert_int_eq(graph_dot(d, NULL, NULL, &b, &e), 0);
	json_decref(d);
	/* a status that is not one is not drawn as one */
	d = json_loads("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"End\": true}}}", 0, NULL);
	states = json_loads("{\"A\": {\"status\": \"\\\"><script>\"}}", 0, NULL);
	buf_reset(&b);
	ck_assert_int_eq(graph_dot(d, states, NULL, &b, &e), 0);
	ck_assert_ptr_null(strstr(b.data, "<script>"));
	ck_assert_ptr_nonnull(strstr(b.data, "status-NOT_REACHED"));
	json_decref(states);
	json_decref(d);
	buf_free(&b);
}
END_TEST

/* Histories that are not: wrong types, missing and duplicate ids,
 * previousEventId pointing forward or at itself, random byte flips of
 * recorded histories. A verdict each time, never a crash. */
START_TEST(test_odd_events)
{
	static const char *const odd[] = {
		"[1, \"x\", null, {}]",
		"[{\"id\": 1, \"previousEventId\": 1, \"type\": \"PassStateEntered\", \"stateEnteredEventDetails\": {\"name\": \"A\"}}]",
		"[{\"id\": 2, \"previousEventId\": 3, \"type\": \"PassStateEntered\", \"stateEnteredEventDetails\": {\"name\": \"A\"}},"
		" {\"id\": 3, \"previousEventId\": 2, \"type\": \"PassStateExited\"}]",
		"[{\"id\": 1, \"type\": \"PassStateEntered\", \"stateEnteredEventDetails\": {\"name\": 5}},"
		" {\"id\": 1, \"type\": \"MapIterationStarted\"}, {\"id\": 2, \"previousEventId\": 1, \"type\": \"MapIterationFailed\"},"
		" {\"id\": 99999999999, \"previousEventId\": -4, \"type\": \"TaskFailed\"},"
		" {\"id\": 4, \"previousEventId\": 1, \"type\": \"StateEntered\", \"stateEnteredEventDetails\": {\"name\": \"B\"}}]",
		"[{\"id\": 1, \"type\": \"ExecutionRedriven\"}, {\"id\": 2, \"previousEventId\": 1, \"type\": \"ExecutionFailed\"}]",
	};
	struct err e;
	size_t i, total;
	glob_t hs;
	char pat[4096];

	ck_assert_ptr_null(graph_exec_states(NULL, NULL, -1, &e));
	ck_assert_str_eq(e.type, "InvalidParameterValueException");
	for (i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		json_t *ev = json_loads(odd[i], 0, NULL), *r;

		ck_assert_msg(ev != NULL, "case %zu", i);
		r = graph_exec_states(ev, NULL, -1, &e);
		ck_assert_msg(r != NULL, "case %zu: %s", i, e.msg);
		json_decref(r);
		json_decref(graph_map_iterations(ev, "M", NULL, 0, 0, &total, &e));
		json_decref(ev);
	}
	glob(path_of(DATA "/*.history.json", pat, sizeof pat), 0, NULL, &hs);
	ck_assert_uint_gt(hs.gl_pathc, 5);
	for (i = 0; i < hs.gl_pathc; i++) {
		size_t len, k;
		char *text = slurp(hs.gl_pathv[i], &len), *copy = malloc(len + 1);
		unsigned seed = (unsigned)i * 7919u + 1;

		for (k = 0; k < 300; k++) {
			json_t *h, *r;

			memcpy(copy, text, len + 1);
			for (int f = 0; f < 3; f++) {
				seed = seed * 1103515245 + 12345;
				copy[(seed >> 8) % len] = "0123456789{}[]\",: x"[(seed >> 20) % 19];
			}
			h = json_loads(copy, 0, NULL);
			if (!json_is_array(json_object_get(h, "events"))) {
				json_decref(h);
				continue;
			}
			r = graph_exec_states(json_object_get(h, "events"), NULL, -1, &e);
			ck_assert_ptr_nonnull(r);
			json_decref(r);
			json_decref(graph_exec_states(json_object_get(h, "events"), "Items", 1, &e));
			json_decref(graph_map_iterations(json_object_get(h, "events"), "Items", NULL, 0, 2, &total, &e));
			json_decref(h);
		}
		free(copy);
		free(text);
	}
	globfree(&hs);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("graph");
	TCase *tg = tcase_create("golden"), *ts = tcase_create("states"), *to = tcase_create("odd");
	SRunner *sr;
	char pat[4096];
	int failed;

	glob(path_of(DATA "/*.asl.json", pat, sizeof pat), 0, NULL, &defs);
	if (defs.gl_pathc == 0) {
		fprintf(stderr, "no definitions under %s: run from the top of the tree or set TUTTI_TOP\n", DATA);
		return EXIT_FAILURE;
	}
	tcase_add_loop_test(tg, test_golden, 0, (int)defs.gl_pathc);
	tcase_add_test(tg, test_svg_contract);
	tcase_add_test(tg, test_svg_clusters);
	tcase_add_test(tg, test_svg_errors);
	tcase_add_test(tg, test_rule_text);
	tcase_set_timeout(tg, 30);
	suite_add_tcase(s, tg);
	tcase_add_test(ts, test_states_catch_retry);
	tcase_add_test(ts, test_states_failed);
	tcase_add_test(ts, test_states_evaluation_failed);
	tcase_add_test(ts, test_states_map);
	tcase_add_test(ts, test_states_nested_and_caught);
	tcase_add_test(ts, test_states_running_and_aborted);
	tcase_add_test(ts, test_states_redrive);
	tcase_add_test(ts, test_map_iterations);
	tcase_add_test(ts, test_big_history);
	tcase_set_timeout(ts, 30);
	suite_add_tcase(s, ts);
	tcase_add_test(to, test_odd_definitions);
	tcase_add_test(to, test_odd_events);
	tcase_set_timeout(to, 60);
	suite_add_tcase(s, to);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	globfree(&defs);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
