/* graph_dot — the drawing model (graph_model.c) as Graphviz DOT; the
 * contract the console relies on is in graph.h.
 *
 * Escaping: a DOT quoted string is an "escString" to Graphviz (\N, \G, \n
 * mean something), and its SVG writer passes character references
 * through unescaped. So text in quoted strings has \ doubled and " escaped
 * for DOT, and & < > written as references (the SVG then holds exactly one
 * level of XML escaping); control characters become references in ids
 * (so getElementById matches the exact name) and spaces in labels. Labels
 * of states are HTML-like (<name<BR/>type>), escaped as XML, and \ doubled
 * there too (Graphviz substitutes \N in HTML text as well).
 *
 * Layout cost: bench/bench_graph.c measures 1,000 states; the graph
 * attributes below (network simplex and crossing-minimisation limits) are
 * what keeps that layout well under a second (docs/cli.md has the
 * figures). */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

#define FONT "Helvetica,Arial,sans-serif"
#define GRAPH_BIG_STATES 200   /* more: the layout's search is capped */

enum esc { ESC_ID, ESC_LABEL };

/* The characters of a DOT quoted string that need escaping, as an id
 * (XML character references: Graphviz copies ids into the SVG) or as a
 * label. */
static const char *esc_common(unsigned char c)
{
	switch (c) {
	case '\\': return "\\\\";
	case '"': return "\\\"";
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	default: return NULL;
	}
}

static const char *esc_id(const char *p, char num[16])
{
	unsigned char c = (unsigned char)*p;

	if (esc_common(c))
		return esc_common(c);
	if (c >= 0x20 && c != 0x7f)
		return NULL;
	/* XML 1.0 allows only tab, LF and CR of the C0 controls, even as
	 * references: the others become U+FFFD, or the SVG would not parse */
	if (c == '\t' || c == '\n' || c == '\r')
		snprintf(num, 16, "&#%u;", c);
	else
		snprintf(num, 16, "&#65533;");
	return num;
}

static const char *esc_label(const char *p, char num[16])
{
	unsigned char c = (unsigned char)*p;

	(void)num;
	if (esc_common(c))
		return esc_common(c);
	return c < 0x20 || c == 0x7f ? (c == '\n' ? "\\n" : " ") : NULL;
}

/* s into a DOT quoted string (without the quotes). */
static void put_q(struct buf *b, const char *s, enum esc mode)
{
	graph_escape(b, s, mode == ESC_ID ? esc_id : esc_label);
}

/* The characters of an HTML-like label's text that need escaping. */
static const char *esc_html(const char *p, char num[16])
{
	(void)num;
	switch ((unsigned char)*p) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	case '\\': return "\\\\";   /* Graphviz reads \N, \G, ... in HTML text too */
	default: return (unsigned char)*p < 0x20 || *p == 0x7f ? " " : NULL;
	}
}

/* s as the text of an HTML-like label. */
static void put_html(struct buf *b, const char *s)
{
	graph_escape(b, s, esc_html);
}

static void put_node_id(struct buf *b, int i)
{
	if (i == 0)
		buf_puts(b, "__start");
	else if (i == 1)
		buf_puts(b, "__end");
	else
		buf_printf(b, "n%d", i);
}

static void put_indent(struct buf *b, int depth)
{
	for (int i = 0; i <= depth; i++)
		buf_puts(b, "\t");
}

static void put_node(struct buf *b, const struct gmodel *m, int i, const struct graph_opts *o, int depth)
{
	const struct gnode *n = &m->nodes[i];
	const struct gstatus *st = graph_status(n->status);

	put_indent(b, depth);
	put_node_id(b, i);
	switch (n->kind) {
	case GN_START:
		buf_puts(b, " [id=\"__start\", class=\"start\", shape=circle, label=\"Start\", width=0.5, fixedsize=true, "
			    "fontsize=9, fillcolor=\"#333333\", fontcolor=\"#ffffff\", style=filled];\n");
		return;
	case GN_END:
		buf_puts(b, " [id=\"__end\", class=\"end\", shape=doublecircle, label=\"End\", width=0.45, fixedsize=true, "
			    "fontsize=9, fillcolor=\"#333333\", fontcolor=\"#ffffff\", style=filled];\n");
		return;
	case GN_INNER_START:
		buf_puts(b, " [id=\"start:");
		put_q(b, n->name, ESC_ID);
		if (n->branch >= 0)
			buf_printf(b, ":%d", n->branch);
		buf_puts(b, "\", class=\"start inner\", shape=circle, label=\"\", width=0.18, height=0.18, fixedsize=true, "
			    "style=filled, fillcolor=\"#333333\"];\n");
		return;
	case GN_JOIN:
		buf_puts(b, " [id=\"join:");
		put_q(b, n->name, ESC_ID);
		buf_puts(b, "\", class=\"join\", shape=circle, label=\"\", width=0.18, height=0.18, fixedsize=true, "
			    "style=filled, fillcolor=\"#ffffff\", color=\"#333333\"];\n");
		return;
	case GN_STATE:
		break;
	}
	buf_puts(b, " [id=\"state:");
	put_q(b, n->name, ESC_ID);
	buf_puts(b, "\", class=\"state type-");
	put_q(b, n->type, ESC_ID);
	if (n->status) {
		buf_puts(b, " status-");
		buf_puts(b, n->status);
	}
	buf_puts(b, "\", label=<");
	put_html(b, n->name);
	buf_puts(b, "<BR/><FONT POINT-SIZE=\"9\">");
	put_html(b, n->type);
	if (st) {
		buf_puts(b, " \xC2\xB7 ");
		buf_puts(b, st->text);
	}
	buf_puts(b, "</FONT>>");
	if (st && !(o && o->no_fill))
		buf_printf(b, ", fillcolor=\"%s\", color=\"%s\", fontcolor=\"%s\"", st->fill, st->border, st->font);
	if (!strcmp(n->type, "Choice"))
		buf_puts(b, ", shape=box, style=\"filled,diagonals\"");
	buf_puts(b, "];\n");
}

static void put_cluster(struct buf *b, const struct gmodel *m, int c, const struct graph_opts *o, int depth)
{
	const struct gcluster *cl = &m->clusters[c];
	int i;

	put_indent(b, depth);
	buf_printf(b, "subgraph cluster_%d {\n", c);
	put_indent(b, depth + 1);
	buf_puts(b, "id=\"cluster:");
	put_q(b, cl->name, ESC_ID);
	if (cl->branch >= 0)
		buf_printf(b, ":%d\"; class=\"cluster-branch\"; label=\"branch %d\"; style=\"rounded,dashed\";\n",
			   cl->branch, cl->branch + 1);
	else
		buf_printf(b, "\"; class=\"%s\"; label=\"\"; style=\"rounded%s\"; bgcolor=\"#f7f7f7\";\n",
			   cl->is_map ? "cluster-map" : "cluster-parallel", cl->is_map ? ",dashed" : "");
	for (i = cl->first_node; i >= 0; i = m->nodes[i].next_in_cluster)
		put_node(b, m, i, o, depth + 1);
	for (i = cl->first_child; i >= 0; i = m->clusters[i].next_sibling)
		put_cluster(b, m, i, o, depth + 1);
	put_indent(b, depth);
	buf_puts(b, "}\n");
}

static const char *const edge_class[] = {
	[GE_START] = "edge-start", [GE_NEXT] = "edge-next", [GE_CHOICE] = "edge-choice",
	[GE_DEFAULT] = "edge-default", [GE_CATCH] = "edge-catch", [GE_RETRY] = "edge-retry",
	[GE_INNER] = "edge-inner", [GE_END] = "edge-end",
};

/* Labels: real ones (dot makes room for them) up to GRAPH_BIG_STATES;
 * beyond, xlabels, placed after the layout, which then costs less. */
static void put_edge(struct buf *b, const struct gmodel *m, const struct gedge *ed)
{
	buf_puts(b, "\t");
	put_node_id(b, ed->from);
	buf_puts(b, " -> ");
	put_node_id(b, ed->to);
	buf_printf(b, " [class=\"%s\"", edge_class[ed->kind]);
	if (ed->label) {
		buf_puts(b, ed->kind != GE_RETRY && m->states > GRAPH_BIG_STATES ? ", xlabel=\"" : ", label=\"");
		put_q(b, ed->label, ESC_LABEL);
		buf_puts(b, "\"");
	}
	switch (ed->kind) {
	case GE_CATCH:
		buf_puts(b, ", style=dashed, color=\"#8A3D00\", fontcolor=\"#8A3D00\"");
		break;
	case GE_RETRY:
		buf_puts(b, ", style=dotted, color=\"#555555\", fontcolor=\"#555555\"");
		break;
	case GE_DEFAULT:
		buf_puts(b, ", style=bold");
		break;
	default:
		break;
	}
	buf_puts(b, "];\n");
}

int graph_dot(const json_t *definition, const json_t *states, const struct graph_opts *o, struct buf *out,
	      struct err *e)
{
	struct gmodel m;
	struct buf b;
	size_t i;
	int rc = -1;

	/* Every single append is small (names are at most GRAPH_NAME_MAX
	 * bytes, labels cut): with this slack, a refused append means the
	 * text is over GRAPH_DOT_MAX, which the check at the end sees. */
	buf_init(&b, GRAPH_DOT_MAX + (1u << 20));
	if (graph_model_build(&m, definition, states, e))
		goto out;
	buf_puts(&b, "digraph \"state machine\" {\n");
	buf_puts(&b, "\tgraph [id=\"graph\", rankdir=TB, fontname=\"" FONT "\", fontsize=10, nodesep=0.3, "
		     "ranksep=0.35, newrank=true");
	/* Big machines: the x-coordinates' network simplex is most of the
	 * layout (1,000 states: ~6,000 nodes in its auxiliary graph); capped
	 * at 0.2 x nodes iterations it keeps a chain of states straight and
	 * takes half the time. Small ones keep Graphviz's full search. */
	if (m.states > GRAPH_BIG_STATES)
		buf_puts(&b, ", nslimit=0.2, mclimit=0.5, searchsize=30, remincross=false");
	if (o && o->title) {
		char *t = graph_cut(o->title, 200);

		buf_puts(&b, ", labelloc=t, label=\"");
		put_q(&b, t ? t : "", ESC_LABEL);
		free(t);
		buf_puts(&b, "\"");
	}
	buf_puts(&b, "];\n");
	buf_puts(&b, "\tnode [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", color=\"#555555\", "
		     "fontname=\"" FONT "\", fontsize=11, margin=\"0.12,0.04\", height=0.4];\n");
	buf_puts(&b, "\tedge [fontname=\"" FONT "\", fontsize=9, color=\"#555555\", arrowsize=0.7];\n");
	for (i = 0; i < m.n_nodes; i++)
		if (m.nodes[i].cluster < 0)
			put_node(&b, &m, (int)i, o, 0);
	for (int c = m.first_top_cluster; c >= 0; c = m.clusters[c].next_sibling)
		put_cluster(&b, &m, c, o, 0);
	for (i = 0; i < m.n_edges; i++)
		put_edge(&b, &m, &m.edges[i]);
	if (buf_puts(&b, "}\n") || b.len > GRAPH_DOT_MAX) {
		err_setn(e, GRAPH_ERR_TOO_LARGE, "the graph's DOT is over %u bytes", GRAPH_DOT_MAX);
		goto out;
	}
	if (buf_append(out, b.data, b.len)) {
		err_setn(e, GRAPH_ERR_TOO_LARGE, "the graph's DOT (%zu bytes) does not fit its buffer", b.len);
		goto out;
	}
	rc = 0;
out:
	graph_model_free(&m);
	buf_free(&b);
	return rc;
}
