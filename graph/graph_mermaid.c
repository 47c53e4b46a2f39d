/* graph_mermaid — the drawing model (graph_model.c) as a Mermaid
 * `flowchart TD` (graph.h).
 *
 * Ids are generated (s0, s1, ... ; c0, c1, ... for subgraphs), so a state's
 * name never meets Mermaid's grammar outside a quoted label. Inside one,
 * Mermaid reads entity codes (#quot; #35; ...): the characters that would
 * end the label or be read as markup, as an entity or as a line break
 * (\n: a word joiner, U+2060, goes between) are written as codes, a
 * newline as <br/>, other control characters as spaces. Checked with Mermaid 11 in a browser: every golden .mmd
 * renders, and its node texts are the state names. */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

/* The characters of a Mermaid label that need escaping (its #NAME; and
 * #CODE; entities). */
static const char *esc_text(const char *p, char num[16])
{
	(void)num;
	switch ((unsigned char)*p) {
	case '"': return "#quot;";
	case '#': return "#35;";
	case '&': return "#amp;";
	case '<': return "#lt;";
	case '>': return "#gt;";
	case '`': return "#96;";
	case '\\':   /* Mermaid reads \n, even as #92;n, as a line break: a word joiner between */
		return p[1] == 'n' ? "#92;#8288;" : "#92;";
	default:
		return (unsigned char)*p < 0x20 || *p == 0x7f ? (*p == '\n' ? "<br/>" : " ") : NULL;
	}
}

static void put_text(struct buf *b, const char *s)
{
	graph_escape(b, s, esc_text);
}

static void put_id(struct buf *b, int i)
{
	if (i == 0)
		buf_puts(b, "start_");
	else if (i == 1)
		buf_puts(b, "end_");
	else
		buf_printf(b, "s%d", i);
}

static void put_indent(struct buf *b, int depth)
{
	for (int i = 0; i <= depth; i++)
		buf_puts(b, "    ");
}

static void put_node(struct buf *b, const struct gmodel *m, int i, int depth)
{
	const struct gnode *n = &m->nodes[i];
	const struct gstatus *st = graph_status(n->status);

	put_indent(b, depth);
	put_id(b, i);
	switch (n->kind) {
	case GN_START:
		buf_puts(b, "((\"Start\"))\n");
		return;
	case GN_END:
		buf_puts(b, "(((\"End\")))\n");
		return;
	case GN_INNER_START:
		buf_puts(b, "((\" \"))\n");
		return;
	case GN_JOIN:
		buf_puts(b, "((\" \"))\n");
		return;
	case GN_STATE:
		break;
	}
	buf_puts(b, !strcmp(n->type, "Choice") ? "{\"" : "(\"");
	put_text(b, n->name);
	buf_puts(b, "<br/><small>");
	put_text(b, n->type);
	if (st) {
		buf_puts(b, " \xC2\xB7 ");
		buf_puts(b, st->text);
	}
	buf_puts(b, "</small>");
	buf_puts(b, !strcmp(n->type, "Choice") ? "\"}" : "\")");
	if (n->status)
		buf_printf(b, ":::%s", n->status);
	buf_puts(b, "\n");
}

static void put_cluster(struct buf *b, const struct gmodel *m, int c, int depth)
{
	const struct gcluster *cl = &m->clusters[c];
	int i;

	put_indent(b, depth);
	buf_printf(b, "subgraph c%d [\"", c);
	if (cl->branch >= 0)
		buf_printf(b, "branch %d", cl->branch + 1);
	else {
		buf_puts(b, cl->is_map ? "Map " : "Parallel ");
		put_text(b, cl->name);
	}
	buf_puts(b, "\"]\n");
	put_indent(b, depth + 1);
	buf_puts(b, "direction TB\n");
	for (i = cl->first_node; i >= 0; i = m->nodes[i].next_in_cluster)
		put_node(b, m, i, depth + 1);
	for (i = cl->first_child; i >= 0; i = m->clusters[i].next_sibling)
		put_cluster(b, m, i, depth + 1);
	put_indent(b, depth);
	buf_puts(b, "end\n");
}

static void put_edge(struct buf *b, const struct gedge *ed)
{
	buf_puts(b, "    ");
	put_id(b, ed->from);
	buf_puts(b, ed->kind == GE_CATCH ? " -.->" : ed->kind == GE_DEFAULT ? " ==>" : " -->");
	if (ed->label) {
		buf_puts(b, "|\"");
		put_text(b, ed->label);
		buf_puts(b, "\"|");
	}
	buf_puts(b, " ");
	put_id(b, ed->to);
	buf_puts(b, "\n");
}

int graph_mermaid(const json_t *definition, const json_t *states, const struct graph_opts *o, struct buf *out,
		  struct err *e)
{
	static const char *const order[] = { "SUCCEEDED", "FAILED", "CAUGHT", "RUNNING", "ABORTED", "NOT_REACHED" };
	struct gmodel m;
	struct buf b;
	size_t i;
	int rc = -1;

	/* as graph_dot: every append is small, the slack makes a refused
	 * one show as a length over the cap */
	buf_init(&b, GRAPH_DOT_MAX + (1u << 20));
	if (graph_model_build(&m, definition, states, e))
		goto out;
	if (o && o->title) {
		char *t = graph_cut(o->title, 200);

		buf_puts(&b, "---\ntitle: \"");
		put_text(&b, t ? t : "");
		buf_puts(&b, "\"\n---\n");
		free(t);
	}
	buf_puts(&b, "flowchart TD\n");
	for (i = 0; i < m.n_nodes; i++)
		if (m.nodes[i].cluster < 0)
			put_node(&b, &m, (int)i, 0);
	for (int c = m.first_top_cluster; c >= 0; c = m.clusters[c].next_sibling)
		put_cluster(&b, &m, c, 0);
	for (i = 0; i < m.n_edges; i++)
		put_edge(&b, &m.edges[i]);
	if (m.statuses && !(o && o->no_fill)) {
		for (i = 0; i < sizeof order / sizeof order[0]; i++) {
			const struct gstatus *st = graph_status(order[i]);

			buf_printf(&b, "    classDef %s fill:%s,stroke:%s,color:%s\n", st->name, st->fill, st->border,
				   st->font);
		}
	}
	if (b.len > GRAPH_DOT_MAX || buf_puts(&b, "")) {
		err_setn(e, GRAPH_ERR_TOO_LARGE, "the graph's Mermaid text is over %u bytes", GRAPH_DOT_MAX);
		goto out;
	}
	if (buf_append(out, b.data, b.len)) {
		err_setn(e, GRAPH_ERR_TOO_LARGE, "the graph's Mermaid text (%zu bytes) does not fit its buffer", b.len);
		goto out;
	}
	rc = 0;
out:
	graph_model_free(&m);
	buf_free(&b);
	return rc;
}
