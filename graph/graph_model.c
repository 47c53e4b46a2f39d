/* graph_model — a definition walked once into nodes, clusters and edges
 * (graph_int.h); the emitters (graph_dot.c, graph_mermaid.c) only print.
 *
 * A definition is already validated by its callers, but this walk assumes
 * nothing: a missing or mistyped field draws no edge, an unknown Next
 * target is skipped, nesting and the number of states are capped. */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

struct walk {
	struct gmodel *m;
	const json_t *states;   /* the statuses, or NULL */
	struct err *e;
};

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int grow(void **p, size_t *alloc, size_t n, size_t size)
{
	void *q;
	size_t na;

	if (n < *alloc)
		return 0;
	na = *alloc ? *alloc * 2 : 64;
	q = realloc(*p, na * size);
	if (!q)
		return -1;
	*p = q;
	*alloc = na;
	return 0;
}

static int oom(struct walk *w)
{
	return err_set(w->e, ERR_RUNTIME_OOM, "out of memory while drawing the state machine");
}

static int add_node(struct walk *w, enum gnode_kind kind, const char *name, const char *type, int branch,
		    int cluster)
{
	struct gmodel *m = w->m;
	struct gnode *n;
	int i;

	if (grow((void **)&m->nodes, &m->a_nodes, m->n_nodes, sizeof *m->nodes))
		return oom(w), -1;
	i = (int)m->n_nodes++;
	n = &m->nodes[i];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->name = name;
	n->type = type;
	n->branch = branch;
	n->cluster = cluster;
	n->next_in_cluster = -1;
	if (kind == GN_STATE && m->statuses) {
		const char *s = jstr(json_object_get(w->states, name), "status");

		n->status = s && graph_status(s) ? s : "NOT_REACHED";
	}
	if (cluster >= 0) {
		struct gcluster *c = &m->clusters[cluster];

		if (c->last_node >= 0)
			m->nodes[c->last_node].next_in_cluster = i;
		else
			c->first_node = i;
		c->last_node = i;
	}
	return i;
}

static int add_cluster(struct walk *w, const char *name, int branch, bool is_map, int parent)
{
	struct gmodel *m = w->m;
	struct gcluster *c;
	int i;

	if (grow((void **)&m->clusters, &m->a_clusters, m->n_clusters, sizeof *m->clusters))
		return oom(w), -1;
	i = (int)m->n_clusters++;
	c = &m->clusters[i];
	c->name = name;
	c->branch = branch;
	c->is_map = is_map;
	c->parent = parent;
	c->first_node = c->last_node = -1;
	c->first_child = c->last_child = c->next_sibling = -1;
	if (parent >= 0) {
		struct gcluster *p = &m->clusters[parent];

		if (p->last_child >= 0)
			m->clusters[p->last_child].next_sibling = i;
		else
			p->first_child = i;
		p->last_child = i;
	} else {
		if (m->last_top_cluster >= 0)
			m->clusters[m->last_top_cluster].next_sibling = i;
		else
			m->first_top_cluster = i;
		m->last_top_cluster = i;
	}
	return i;
}

/* label: taken (freed on failure too). */
static int add_edge(struct walk *w, int from, int to, enum gedge_kind kind, char *label)
{
	struct gmodel *m = w->m;

	if (from < 0 || to < 0) {
		free(label);
		return 0;
	}
	if (grow((void **)&m->edges, &m->a_edges, m->n_edges, sizeof *m->edges)) {
		free(label);
		return oom(w);
	}
	m->edges[m->n_edges++] = (struct gedge){ .from = from, .to = to, .kind = kind, .label = label };
	return 0;
}

/* The node of state `name` in a scope (its json object name -> index). */
static int target(const json_t *scope, const char *name)
{
	json_t *v = name ? json_object_get(scope, name) : NULL;

	return v ? (int)json_integer_value(v) : -1;
}

/* "E1, E2" of an ErrorEquals array, cut to the label length. */
static char *errors_text(const json_t *errs)
{
	struct buf b;
	json_t *v;
	size_t i;
	char *r;

	buf_init(&b, 4096);
	json_array_foreach(errs, i, v) {
		if (!json_is_string(v))
			continue;
		if ((b.len && buf_puts(&b, ", ")) || buf_puts(&b, json_string_value(v)))
			break;   /* capped: cut below */
		if (b.len > 4 * GRAPH_LABEL_MAX)
			break;
	}
	r = graph_cut(b.data ? b.data : "", GRAPH_LABEL_MAX);
	buf_free(&b);
	return r;
}

static int walk_machine(struct walk *w, const json_t *machine, int cluster, int start, int end, int depth);

/* One self-loop for all of a state's retriers, a line each: "retry ×N: E1, E2". */
static int add_retry(struct walk *w, const json_t *retry, int node)
{
	struct buf b;
	json_t *v;
	size_t i;
	char *label;

	buf_init(&b, 64 * 1024);
	json_array_foreach(retry, i, v) {
		json_t *max = json_object_get(v, "MaxAttempts");
		char *errs = errors_text(json_object_get(v, "ErrorEquals")), line[4 * GRAPH_LABEL_MAX], *cut;

		if (!errs)
			break;
		snprintf(line, sizeof line, "retry \xC3\x97%lld%s%s",
			 json_is_integer(max) ? (long long)json_integer_value(max) : 3LL, *errs ? ": " : "", errs);
		free(errs);
		cut = graph_cut(line, GRAPH_LABEL_MAX);
		if (!cut)
			break;
		if (i == 8 && json_array_size(retry) > 9) {   /* a label, not a list */
			buf_printf(&b, "\n+%zu more", json_array_size(retry) - 8);
			free(cut);
			break;
		}
		buf_printf(&b, "%s%s", i ? "\n" : "", cut);
		free(cut);
	}
	label = b.data ? buf_take(&b) : NULL;
	buf_free(&b);
	if (!label)
		return oom(w);
	return add_edge(w, node, node, GE_RETRY, label);
}

/* Map and Parallel: their inside; *exit is the join point. */
static int walk_fanout(struct walk *w, const json_t *st, const char *name, const char *type, int node, int cluster,
		       int depth, int *exit)
{
	int join, c, s, rc = 0;

	if (!strcmp(type, "Map")) {
		const json_t *proc = json_object_get(st, "ItemProcessor");

		if (!proc)
			proc = json_object_get(st, "Iterator");
		s = add_node(w, GN_INNER_START, name, NULL, -1, cluster);
		if (s < 0)
			return -1;
		if (add_edge(w, node, s, GE_INNER, NULL))
			return -1;
		join = add_node(w, GN_JOIN, name, NULL, -1, cluster);
		if (join < 0)
			return -1;
		if (json_is_object(proc))
			rc = walk_machine(w, proc, cluster, s, join, depth + 1);
	} else {
		const json_t *branches = json_object_get(st, "Branches"), *b;
		size_t i;

		join = add_node(w, GN_JOIN, name, NULL, -1, cluster);
		if (join < 0)
			return -1;
		json_array_foreach(branches, i, b) {
			if (i > (size_t)GRAPH_STATES_MAX)
				return err_setn(w->e, GRAPH_ERR_TOO_LARGE, "Parallel state has more than %d branches",
						GRAPH_STATES_MAX);
			c = add_cluster(w, name, (int)i, false, cluster);
			if (c < 0)
				return -1;
			s = add_node(w, GN_INNER_START, name, NULL, (int)i, c);
			if (s < 0 || add_edge(w, node, s, GE_INNER, NULL))
				return -1;
			if (json_is_object(b) && (rc = walk_machine(w, b, c, s, join, depth + 1)))
				break;
		}
	}
	*exit = join;
	return rc;
}

static int walk_state(struct walk *w, const json_t *scope, const json_t *st, const char *name, int node,
		      int end, int depth)
{
	const char *type = jstr(st, "Type");
	int exit = node;
	json_t *v, *rule;
	size_t i;

	if (!type)
		type = "";
	if ((!strcmp(type, "Map") || !strcmp(type, "Parallel")) &&
	    walk_fanout(w, st, name, type, node, w->m->nodes[node].cluster, depth, &exit))
		return -1;
	if (!strcmp(type, "Choice")) {
		json_array_foreach(json_object_get(st, "Choices"), i, rule) {
			char *label = graph_rule_text(rule);

			if (!label)
				return oom(w);
			if (add_edge(w, node, target(scope, jstr(rule, "Next")), GE_CHOICE, label))
				return -1;
		}
		if (jstr(st, "Default")) {
			char *label = strdup("Default");

			if (!label || add_edge(w, node, target(scope, jstr(st, "Default")), GE_DEFAULT, label))
				return label ? -1 : oom(w);
		}
	}
	if (jstr(st, "Next") && add_edge(w, exit, target(scope, jstr(st, "Next")), GE_NEXT, NULL))
		return -1;
	if (json_is_true(json_object_get(st, "End")) || !strcmp(type, "Succeed") || !strcmp(type, "Fail"))
		if (add_edge(w, exit, end, GE_END, NULL))
			return -1;
	json_array_foreach(json_object_get(st, "Catch"), i, v) {
		char *label = errors_text(json_object_get(v, "ErrorEquals"));

		if (!label)
			return oom(w);
		if (add_edge(w, node, target(scope, jstr(v, "Next")), GE_CATCH, label))
			return -1;
	}
	if (json_array_size(json_object_get(st, "Retry")) && add_retry(w, json_object_get(st, "Retry"), node))
		return -1;
	return 0;
}

/* One machine (StartAt, States) in `cluster`: its states, start -> StartAt,
 * its ends -> end. */
static int walk_machine(struct walk *w, const json_t *machine, int cluster, int start, int end, int depth)
{
	const json_t *states = json_object_get(machine, "States");
	json_t *scope = NULL, *st;
	const char *name;
	int rc = -1, node;
	size_t k = 0;

	if (depth > GRAPH_DEPTH_MAX)
		return err_setn(w->e, GRAPH_ERR_TOO_LARGE, "states nested more than %d deep", GRAPH_DEPTH_MAX);
	scope = json_object();
	if (!scope)
		return oom(w);
	/* Nodes first (Next may point forward), each Map/Parallel heading a
	 * cluster of its own. */
	json_object_foreach((json_t *)states, name, st) {
		const char *type = jstr(st, "Type");
		int c = cluster;

		if (strlen(name) > GRAPH_NAME_MAX || (type && strlen(type) > GRAPH_NAME_MAX)) {
			err_setn(w->e, GRAPH_ERR_TOO_LARGE, "a state's name or type is over %d bytes", GRAPH_NAME_MAX);
			goto out;
		}
		if (++w->m->states > GRAPH_STATES_MAX) {
			err_setn(w->e, GRAPH_ERR_TOO_LARGE, "the state machine has more than %d states", GRAPH_STATES_MAX);
			goto out;
		}
		if (type && (!strcmp(type, "Map") || !strcmp(type, "Parallel"))) {
			c = add_cluster(w, name, -1, !strcmp(type, "Map"), cluster);
			if (c < 0)
				goto out;
		}
		node = add_node(w, GN_STATE, name, type ? type : "", -1, c);
		if (node < 0)
			goto out;
		if (json_object_set_new(scope, name, json_integer(node))) {
			oom(w);
			goto out;
		}
		k++;
	}
	if (add_edge(w, start, target(scope, jstr(machine, "StartAt")), start == 0 ? GE_START : GE_INNER, NULL))
		goto out;
	json_object_foreach((json_t *)states, name, st) {
		if (walk_state(w, scope, st, name, target(scope, name), end, depth))
			goto out;
	}
	rc = 0;
out:
	json_decref(scope);
	return rc;
}

int graph_model_build(struct gmodel *m, const json_t *definition, const json_t *states, struct err *e)
{
	struct walk w = { .m = m, .states = states, .e = e };

	memset(m, 0, sizeof *m);
	m->first_top_cluster = m->last_top_cluster = -1;
	m->statuses = states != NULL;
	if (!json_is_object(definition) || !json_is_object(json_object_get(definition, "States")))
		return err_setn(e, GRAPH_ERR_INVALID, "the definition has no States object");
	/* nodes 0 and 1: the machine's start and end */
	if (add_node(&w, GN_START, NULL, NULL, -1, -1) < 0 || add_node(&w, GN_END, NULL, NULL, -1, -1) < 0)
		return -1;
	return walk_machine(&w, definition, -1, 0, 1, 0);
}

void graph_model_free(struct gmodel *m)
{
	size_t i;

	for (i = 0; i < m->n_edges; i++)
		free(m->edges[i].label);
	free(m->edges);
	free(m->nodes);
	free(m->clusters);
	memset(m, 0, sizeof *m);
}

/* ---- statuses ------------------------------------------------------------------- */

/* Okabe–Ito: distinguishable with every common colour-vision deficiency;
 * the mark and the word say it again for those who see no colour at all. */
static const struct gstatus statuses[] = {
	{ "SUCCEEDED", "\xE2\x9C\x93 succeeded", "#009E73", "#00664A", "#ffffff" },
	{ "FAILED", "\xE2\x9C\x97 failed", "#D55E00", "#8A3D00", "#ffffff" },
	{ "CAUGHT", "\xE2\x86\xB7 caught", "#E69F00", "#9A6A00", "#000000" },
	{ "RUNNING", "\xE2\x96\xB6 running", "#0072B2", "#004A74", "#ffffff" },
	{ "ABORTED", "\xE2\x96\xA0 aborted", "#CC79A7", "#8A4F71", "#000000" },
	{ "NOT_REACHED", "\xE2\x97\x8B not reached", "#E0E0E0", "#A0A0A0", "#555555" },
};

const struct gstatus *graph_status(const char *status)
{
	size_t i;

	for (i = 0; status && i < sizeof statuses / sizeof statuses[0]; i++)
		if (!strcmp(statuses[i].name, status))
			return &statuses[i];
	return NULL;
}

void graph_escape(struct buf *b, const char *s, graph_esc_fn rep)
{
	const char *p, *run = s;
	char num[16];

	for (p = s; *p; p++) {
		const char *r = rep(p, num);

		if (!r)
			continue;
		buf_append(b, run, (size_t)(p - run));
		buf_puts(b, r);
		run = p + 1;
	}
	buf_append(b, run, (size_t)(p - run));
}
