/* tutti graph DEFINITION.json [--format dot|svg|mermaid] [--execution ARN]
 * [-o FILE] — draw a state machine (graph/graph.h).
 *
 * The definition is read and substituted as `tutti validate` reads it
 * (cli_definition) and must be valid: else its problems on stderr, exit 2.
 * --execution ARN reads the execution's whole history through the read
 * path of `tutti execution history` (cli_call_pages: in-process, on the
 * store, with or without a server) and colours each state by its status
 * (graph_exec_states). svg lays the DOT out with Graphviz
 * (tutti-integrations.so, integ_api.graph_svg). Exit 0 drawn; 1 the
 * execution does not exist, a drawing or write failure; 2 usage or an
 * invalid definition. Arguments: commands.def. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "asl.h"
#include "cli.h"
#include "graph.h"
#include "integ_loader.h"

#define SFN "AWSStepFunctions."

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

/* The execution's statuses: 0 with *out (graph_exec_states' answer), or an
 * exit code after a message. */
static int exec_states(struct cli *cli, const struct cli_args *a, const char *arn, json_t **out)
{
	json_t *req = json_pack("{s:s}", "executionArn", arn), *resp = NULL;
	struct err e;
	int rc;

	*out = NULL;
	if (!req)
		return CLI_EXIT_FAILED;
	rc = cli_call_pages(cli, SFN "GetExecutionHistory", req, "events", "nextToken", "maxResults", a, &resp);
	json_decref(req);
	if (rc)
		return rc;
	*out = graph_exec_states(json_object_get(resp, "events"), NULL, -1, &e);
	json_decref(resp);
	if (!*out) {
		cli_print_err(&e);
		return CLI_EXIT_FAILED;
	}
	return 0;
}

/* Every state name of a machine, at any depth, as keys of `names`. */
static void state_names(const json_t *machine, json_t *names, int depth)
{
	const char *name;
	json_t *st, *b;
	size_t i;

	if (depth > GRAPH_DEPTH_MAX)
		return;
	json_object_foreach(json_object_get(machine, "States"), name, st) {
		json_object_set_new(names, name, json_true());
		state_names(json_object_get(st, "ItemProcessor"), names, depth + 1);
		state_names(json_object_get(st, "Iterator"), names, depth + 1);
		json_array_foreach(json_object_get(st, "Branches"), i, b)
			state_names(b, names, depth + 1);
	}
}

/* A warning when the execution ran states the definition does not have:
 * most likely another state machine's (or an older version's) execution. */
static void check_same_machine(const json_t *def, const json_t *states)
{
	json_t *names = json_object();
	const char *name;
	json_t *v;
	size_t n = 0;

	if (!names)
		return;
	state_names(def, names, 0);
	json_object_foreach((json_t *)states, name, v) {
		if (json_object_get(names, name))
			continue;
		if (!n++)
			fprintf(stderr, "tutti: graph: warning: the execution entered states this definition does not have:");
		if (n <= 5)
			fprintf(stderr, " '%.80s'", name);
	}
	if (n > 5)
		fprintf(stderr, " and %zu more", n - 5);
	if (n)
		fprintf(stderr, " (is it an execution of this state machine?)\n");
	json_decref(names);
}

static int write_out(const char *path, const struct buf *b)
{
	FILE *f = stdout;
	int rc = CLI_EXIT_OK;

	if (path && strcmp(path, "-")) {
		f = fopen(path, "w");
		if (!f) {
			fprintf(stderr, "tutti: graph: cannot write %s: %s\n", path, strerror(errno));
			return CLI_EXIT_FAILED;
		}
	}
	if (fwrite(b->data, 1, b->len, f) != b->len || fflush(f)) {
		fprintf(stderr, "tutti: graph: writing %s: %s\n", f == stdout ? "stdout" : path, strerror(errno));
		rc = CLI_EXIT_FAILED;
	}
	if (f != stdout && fclose(f) && !rc) {
		fprintf(stderr, "tutti: graph: writing %s: %s\n", path, strerror(errno));
		rc = CLI_EXIT_FAILED;
	}
	return rc;
}

int cmd_graph(struct cli *cli, const struct cli_args *a)
{
	const char *path = a->pos[0], *format = cli_str(a, OPT_FORMAT) ? cli_str(a, OPT_FORMAT) : "dot";
	const char *arn = cli_str(a, OPT_EXECUTION);
	struct graph_opts go = { 0 };
	char header[PATH_MAX + 100], *text = NULL, title[512];
	json_t *def = NULL, *st = NULL;
	struct asl_diag diag;
	struct buf dot, svg;
	json_error_t je;
	struct err e;
	size_t len = 0, i;
	int rc;

	asl_diag_init(&diag);
	buf_init(&dot, GRAPH_DOT_MAX);
	buf_init(&svg, GRAPH_SVG_MAX);
	snprintf(header, sizeof header,
		 "tutti: graph: %.4000s is not a valid state machine (tutti validate lists the same problems):", path);
	rc = cli_definition(a, path, stderr, header, &text, &len);
	if (rc)
		goto out;
	rc = CLI_EXIT_USAGE;
	if (asl_validate(text, len, &diag)) {
		fprintf(stderr, "%s\n", header);
		for (i = 0; i < diag.count; i++)
			fprintf(stderr, "%s\n", diag.lines[i]);
		if (diag.oom)
			fprintf(stderr, "$: out of memory while validating; the list may be incomplete\n");
		if (diag.total > diag.count && diag.count)
			fprintf(stderr, "$: %zu more problems not shown\n", diag.total - diag.count);
		goto out;
	}
	def = json_loadb(text, len, 0, &je);
	if (!def) {   /* valid, so only out of memory */
		fprintf(stderr, "tutti: graph: %s: %s\n", path, je.text);
		rc = CLI_EXIT_FAILED;
		goto out;
	}
	if (arn) {
		const char *name = strrchr(arn, ':');

		rc = exec_states(cli, a, arn, &st);
		if (rc)
			goto out;
		check_same_machine(def, json_object_get(st, "states"));
		snprintf(title, sizeof title, "%.300s: %s", name ? name + 1 : arn,
			 json_string_value(json_object_get(st, "status")));
		go.title = title;
	}
	rc = CLI_EXIT_FAILED;
	if (!strcmp(format, "mermaid") ? graph_mermaid(def, st ? json_object_get(st, "states") : NULL, &go, &dot, &e)
				       : graph_dot(def, st ? json_object_get(st, "states") : NULL, &go, &dot, &e)) {
		cli_print_err(&e);
		goto out;
	}
	if (!strcmp(format, "svg")) {
		const struct integ_api *api = integ_load(&e);

		if (!api || api->graph_svg(dot.data, dot.len, &svg, &e)) {
			cli_print_err(&e);
			goto out;
		}
		rc = write_out(cli_str(a, OPT_BATCH_OUTPUT), &svg);
		goto out;
	}
	rc = write_out(cli_str(a, OPT_BATCH_OUTPUT), &dot);
out:
	asl_diag_free(&diag);
	buf_free(&dot);
	buf_free(&svg);
	json_decref(def);
	json_decref(st);
	free(text);
	return rc;
}

/* `tutti __graph-layout` (not a command of the grammar: main() calls it
 * for that exact argv): the layout process of graph_svg_isolated. DOT on
 * stdin (at most GRAPH_DOT_MAX bytes), the SVG on stdout, exit 0; or
 * "TYPE: message" on stdout, exit 1. Its own limits first: CPU seconds
 * (SIGXCPU, then SIGKILL) and address space, so a layout that runs away
 * ends here, not in the server. */
int cmd_graph_layout_child(void)
{
	struct rlimit cpu = { GRAPH_LAYOUT_TIMEOUT_MS / 1000, GRAPH_LAYOUT_TIMEOUT_MS / 1000 + 1 };
	const struct integ_api *api;
	struct buf in, out;
	struct err e = { 0 };
	char chunk[65536];
	size_t n;
	int rc = 1;

	setrlimit(RLIMIT_CPU, &cpu);
#if !defined(__SANITIZE_ADDRESS__)
	{
		struct rlimit as = { (rlim_t)2 << 30, (rlim_t)2 << 30 };   /* sanitizers reserve terabytes: not under ASan */

		setrlimit(RLIMIT_AS, &as);
	}
#endif
	buf_init(&in, GRAPH_DOT_MAX);
	buf_init(&out, GRAPH_SVG_MAX);
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		if (buf_append(&in, chunk, n)) {
			err_setn(&e, GRAPH_ERR_TOO_LARGE, "the DOT text is over %u bytes", GRAPH_DOT_MAX);
			goto out;
		}
	if (!(api = integ_load(&e)) || api->graph_svg(in.data ? in.data : "", in.len, &out, &e))
		goto out;
	rc = fwrite(out.data, 1, out.len, stdout) == out.len && !fflush(stdout) ? 0 : 1;
	buf_free(&in);
	buf_free(&out);
	return rc;
out:
	printf("%s: %s", e.type[0] ? e.type : GRAPH_ERR_RENDER, e.msg);
	fflush(stdout);
	buf_free(&in);
	buf_free(&out);
	return 1;
}
