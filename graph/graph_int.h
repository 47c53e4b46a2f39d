/* graph_int — the drawing model graph_dot and graph_mermaid share.
 *
 * graph_model_build walks a definition once into nodes, clusters and
 * edges (graph_model.c); each emitter only prints it. Nodes and clusters
 * keep borrowed pointers into the definition (names, types), so the
 * definition outlives the model. Private to graph/. */
#ifndef TUTTI_GRAPH_INT_H
#define TUTTI_GRAPH_INT_H

#include "graph.h"

enum gnode_kind { GN_STATE, GN_START, GN_END, GN_INNER_START, GN_JOIN };

enum gedge_kind { GE_START, GE_NEXT, GE_CHOICE, GE_DEFAULT, GE_CATCH, GE_RETRY, GE_INNER, GE_END };

struct gnode {
	enum gnode_kind kind;
	const char *name;     /* the state's name (GN_STATE, GN_INNER_START, GN_JOIN), else NULL */
	const char *type;     /* the state's Type, or NULL */
	const char *status;   /* with statuses: SUCCEEDED, ..., NOT_REACHED; else NULL */
	int branch;           /* GN_INNER_START of a Parallel branch: its index; else -1 */
	int cluster;          /* the cluster it is declared in, -1: none */
	int next_in_cluster;  /* the next node of the same cluster, -1: last */
};

struct gcluster {
	const char *name;     /* the Map/Parallel state's name */
	int branch;           /* a Parallel's branch index, -1: the state's own cluster */
	bool is_map;
	int parent;           /* -1: top level */
	int first_node, last_node;     /* -1: none yet */
	int first_child, last_child, next_sibling;
};

struct gedge {
	int from, to;
	enum gedge_kind kind;
	char *label;          /* owned; NULL: none */
};

struct gmodel {
	struct gnode *nodes;
	size_t n_nodes, a_nodes;
	struct gcluster *clusters;
	size_t n_clusters, a_clusters;
	struct gedge *edges;
	size_t n_edges, a_edges;
	size_t states;
	int first_top_cluster, last_top_cluster;   /* clusters whose parent is -1 */
	bool statuses;        /* built with a states object */
};

/* Build the model of `definition`; statuses from `states` (may be NULL).
 * 0, or -1 with e (InvalidDefinition, GraphTooLarge, out of memory). The
 * model is freed with graph_model_free either way. */
int graph_model_build(struct gmodel *m, const json_t *definition, const json_t *states, struct err *e);
void graph_model_free(struct gmodel *m);

/* A Choice rule in a short human form (`$.x == 3`, `And(…)`), at most
 * GRAPH_LABEL_MAX characters (then cut with "…"); caller frees. NULL: out
 * of memory. */
char *graph_rule_text(const json_t *rule);

/* s cut to at most max characters (UTF-8), "…" marking a cut; caller frees. */
char *graph_cut(const char *s, size_t max);
/* Append s to b with each character the callback replaces (it returns the
 * replacement, which may be written into num, or NULL to keep the byte):
 * the one escaping loop of the DOT, HTML-label and Mermaid emitters. The
 * callback sees the rest of the string (p[1] for a look-ahead). */
typedef const char *(*graph_esc_fn)(const char *p, char num[16]);
void graph_escape(struct buf *b, const char *s, graph_esc_fn rep);

/* The statuses' presentation: a mark and a word ("✓ succeeded"), and a
 * colour-blind-safe fill (Okabe–Ito) with a readable font colour. NULL
 * for an unknown status. */
struct gstatus {
	const char *name, *text, *fill, *border, *font;
};
const struct gstatus *graph_status(const char *status);

#endif
