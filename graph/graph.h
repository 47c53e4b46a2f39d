/* graph — a state machine as a picture, and an execution's history as
 * per-state statuses (`tutti graph`, the web console).
 *
 * graph_dot and graph_mermaid draw an Amazon States Language definition
 * (the parsed JSON, already validated by the caller; odd input still never
 * crashes them) as Graphviz DOT or a Mermaid flowchart, optionally coloured
 * by an execution's statuses. graph_exec_states and graph_map_iterations
 * read a GetExecutionHistory events array. graph_svg (Graphviz's libgvc)
 * lives in tutti-integrations.so: reach it through integ_load()->graph_svg.
 *
 * Ownership: jansson arguments are borrowed, results are new references
 * (CONVENTIONS.md §3); `out` buffers are the caller's, initialised by it
 * (buf_init) and appended to. Thread-safety: no shared state; each call
 * may run on any thread (graph_svg serialises its use of libgvc, which is
 * not thread-safe).
 *
 * ---- The DOT contract (what the web console relies on) ---------------------
 *
 * Top to bottom. Every state is one node whose `id` attribute is
 * "state:" NAME (the exact state name: XML-escaped in the SVG, so
 * document.getElementById('state:' + name) finds its <g>) and whose `class`
 * attribute is "state type-TYPE" (TYPE as the definition spells it: Task,
 * Choice, Map, ...) followed by " status-STATUS" when statuses are given
 * (STATUS as graph_exec_states spells it: SUCCEEDED, FAILED, CAUGHT,
 * RUNNING, ABORTED, NOT_REACHED). Graphviz writes both into the SVG's <g>
 * (class prefixed with "node "). The console recolours a node by replacing
 * its status-* class; the DOT also carries fill colours for each status, so
 * an SVG rendered with statuses is coloured without any CSS (they are
 * presentation attributes: a stylesheet that sets `fill` on the shapes
 * wins; graph_opts.no_fill leaves them out).
 * Other nodes: the machine's "__start" and "__end" (class "start", "end");
 * a Map or Parallel state's inner start and join points, ids
 * "start:NAME" / "start:NAME:BRANCH" and "join:NAME" (class "start inner",
 * "join"). A Map or Parallel state and what it runs are a cluster
 * ("cluster:NAME", class "cluster-map" or "cluster-parallel"), each
 * Parallel branch one inside it ("cluster:NAME:BRANCH", BRANCH from 0,
 * class "cluster-branch"); the Map/Parallel node heads its cluster, an edge leads
 * from it to the inner start(s), the branches' last states lead to the join
 * point, and the state's Next leaves from the join point.
 * Edges carry a class: "edge-start" (Start to StartAt), "edge-next",
 * "edge-choice" (labelled with the rule,
 * at most GRAPH_LABEL_MAX characters), "edge-default" ("Default"),
 * "edge-catch" (dashed, the error names), "edge-retry" (one dotted self-loop
 * a state, a line per retrier: "retry ×N: E1, E2"), "edge-inner" (from a
 * Map/Parallel node to its inner starts, and on to their first states),
 * "edge-end" (End: true, Succeed, Fail to the scope's end).
 * Labels show the state name and, smaller, its type (and the status as
 * text: "✓ succeeded", "✗ failed", ...). Every name is escaped: quotes,
 * <, >, &, backslashes, control characters (as spaces in labels, as
 * character references in ids) and non-ASCII text are safe. */
#ifndef TUTTI_GRAPH_H
#define TUTTI_GRAPH_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "err.h"

#define GRAPH_STATES_MAX 5000            /* states drawn (nested included) */
#define GRAPH_DOT_MAX    (4u << 20)      /* bytes of DOT, written or laid out */
#define GRAPH_SVG_MAX    (64u << 20)     /* bytes of SVG graph_svg returns */
#define GRAPH_LABEL_MAX  40              /* characters of an edge label */
#define GRAPH_DEPTH_MAX  64              /* machines inside machines */
#define GRAPH_NAME_MAX   4096            /* bytes of a state's name or type */

/* Error names (not in util/errors.def: graph's own). */
#define GRAPH_ERR_TOO_LARGE "GraphTooLarge"          /* over a cap above */
#define GRAPH_ERR_INVALID   "InvalidDefinition"      /* not a state machine at all */
#define GRAPH_ERR_RENDER    "GraphRenderError"       /* graphviz refused the DOT */
#define GRAPH_ERR_NO_ITERATION "IterationDoesNotExist"

struct graph_opts {
	const char *title;     /* the graph's label (NULL: none) */
	bool no_fill;          /* statuses as classes and text only, no fill colours */
};

/* Append `definition` as DOT to out. `states`: NULL (no statuses), or the
 * "states" object of graph_exec_states (NAME: {"status": ...}); a state it
 * does not list is NOT_REACHED. `o` may be NULL. 0, or -1 with e:
 * InvalidDefinition (no States object), GraphTooLarge (more than
 * GRAPH_STATES_MAX states, nesting deeper than GRAPH_DEPTH_MAX, a name
 * over GRAPH_NAME_MAX bytes, DOT over GRAPH_DOT_MAX, or out's own cap). On failure out is left as it was. */
int graph_dot(const json_t *definition, const json_t *states, const struct graph_opts *o, struct buf *out,
	      struct err *e);

/* The same picture as a Mermaid `flowchart TD`: subgraphs for Map and
 * Parallel, `-.->` for Catch, a classDef per status (class names as the
 * statuses: SUCCEEDED, ...). Node ids are generated (s0, s1, ...); labels
 * are quoted with Mermaid's entity codes (#quot; #35; #lt; #gt; #amp;). */
int graph_mermaid(const json_t *definition, const json_t *states, const struct graph_opts *o, struct buf *out,
		  struct err *e);

/* Per-state statuses of an execution, from its GetExecutionHistory events
 * (an array of {id, previousEventId, type, timestamp, *EventDetails}, in
 * any order; linear in their number). Returns
 *   {"status": "RUNNING"|"SUCCEEDED"|"FAILED"|"TIMED_OUT"|"ABORTED",
 *    "states": {NAME: {...}}}
 * listing only the states the history shows (a caller drawing the
 * definition treats the others as NOT_REACHED). Each state:
 *   status          SUCCEEDED; CAUGHT (it failed and went on through its
 *                   Catch); FAILED (the error its execution, branch or
 *                   iteration ended with came from it); RUNNING; ABORTED
 *                   (stopped before it ended: the execution was stopped or
 *                   timed out, or a sibling branch or iteration failed)
 *   type            Task, Pass, ... (from the event type)
 *   enteredEventId, exitedEventId (absent when it did not exit)
 *   input, output   the event strings, when the events hold them
 *   error, cause    for FAILED/CAUGHT (and a RUNNING task waiting to retry)
 *                   when the history names them: Task failures carry them;
 *                   a Fail state's come from the execution's end when it
 *                   ended the execution; a Map's or Parallel's from the
 *                   child that failed it
 *   attempts        tasks scheduled (Map/Parallel: runs started); Task: >= 1
 *   retries         attempts - 1
 *   visits          how many times it was entered (loops, iterations)
 *   startDate, stopDate   the event timestamps as given (stopDate absent
 *                   while RUNNING)
 *   iterations      Map only: {"total", "SUCCEEDED", "FAILED", "RUNNING",
 *                   "ABORTED"} (total: the items, from MapStateStarted)
 * A state entered more than once in the same scope (a loop, a retried
 * Parallel) shows its last visit. With map_state NULL, Map iterations are
 * aggregated per state: any FAILED, else any RUNNING, else any ABORTED,
 * else any CAUGHT, else SUCCEEDED, its fields from the first visit with
 * that status (attempts and visits summed). With map_state, only the
 * states inside iteration `iteration` of that Map state (of every visit of
 * it: a Map inside a Map has one such iteration per outer iteration, and
 * they are aggregated), and the answer has "iteration": {"index",
 * "status"}; IterationDoesNotExist if none started. Known limit: an error
 * caught by Catch that no event records (a Task's Parameters failing)
 * looks SUCCEEDED. NULL with e only for out of memory or a bad argument
 * (InvalidParameterValueException: events not an array). */
json_t *graph_exec_states(const json_t *events, const char *map_state, long iteration, struct err *e);

/* The iterations of Map state map_state (every visit of it), ordered by
 * index (then by start): [{"index", "status" (SUCCEEDED|FAILED|RUNNING|
 * ABORTED), "startEventId", "endEventId"?, "error"?, "cause"?,
 * "startDate", "stopDate"?}]. status_filter: NULL, or one of the four.
 * *total: how many match the filter; the answer holds those from offset,
 * at most limit (0: all). NULL with e: out of memory, or
 * InvalidParameterValueException (a bad filter, events not an array). */
json_t *graph_map_iterations(const json_t *events, const char *map_state, const char *status_filter,
			     size_t offset, size_t limit, size_t *total, struct err *e);

/* In tutti-integrations.so (integ_api.graph_svg): lay out `dot` (len
 * bytes, at most GRAPH_DOT_MAX) with Graphviz's dot layout and append the
 * SVG to out (at most GRAPH_SVG_MAX). Graphviz's warnings and errors come
 * back in e, never on stderr. 0, or -1 with e: GraphTooLarge (DOT over its
 * cap, more than GRAPH_STATES_MAX states (nodes with an id "state:...")
 * or 4 times as many nodes), GraphRenderError (a syntax error, a layout or
 * render failure: graphviz's message). The last 16 distinct DOT texts
 * and their SVG are kept (each at most 16 MiB together): Graphviz 2.43
 * leaks on every layout with clusters (~70 KiB for a Map in a Parallel,
 * ~1 MiB for 1,000 states), so the same picture is laid out once per
 * process. A server should draw a definition without statuses and let
 * the client set the status-* classes, so that one layout serves every
 * execution of it. */
int graph_svg(const char *dot, size_t len, struct buf *out, struct err *e);

/* graph_svg in a child process, for a server: Graphviz's layout has no
 * time bound of its own (a small definition with many labelled edges takes
 * minutes) and leaks, so the server runs `EXE GRAPH_LAYOUT_COMMAND` (tutti's
 * hidden layout command, cli/cmd_graph.c: DOT on stdin, SVG on stdout,
 * RLIMIT_CPU and RLIMIT_AS of its own), at most GRAPH_LAYOUT_PROCS at
 * once, killed after GRAPH_LAYOUT_TIMEOUT_MS (GraphTooLarge). The same
 * cache as graph_svg: a picture drawn before costs no process. In
 * tutti-integrations.so. */
#define GRAPH_LAYOUT_COMMAND    "__graph-layout"
#define GRAPH_LAYOUT_PROCS      2
#define GRAPH_LAYOUT_TIMEOUT_MS 10000
int graph_svg_isolated(const char *exe, const char *dot, size_t len, struct buf *out, struct err *e);

#endif
