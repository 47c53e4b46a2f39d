/* jn_ast.c: parser.js's post-parse stage (processAST): location paths
 * flattened into steps, predicates into stages, group-by, order-by, focus
 * (@) and index (#) bindings, parent (%) resolution through ancestor slots,
 * and the tail-call marking of lambda bodies. Mirrors the reference
 * closely, including which nodes share state. */
#include <stdio.h>
#include <string.h>

#include "jn_ast.h"

const char *jn_node_type_name(enum jn_nt t)
{
	switch (t) {
	case NT_NAME: return "name";
	case NT_VARIABLE: return "variable";
	case NT_STRING: return "string";
	case NT_NUMBER: return "number";
	case NT_VALUE: return "value";
	case NT_REGEX: return "regex";
	case NT_OPERATOR: return "operator";
	case NT_END: return "(end)";
	case NT_BINARY: return "binary";
	case NT_UNARY: return "unary";
	case NT_FUNCTION: return "function";
	case NT_PARTIAL: return "partial";
	case NT_LAMBDA: return "lambda";
	case NT_CONDITION: return "condition";
	case NT_BLOCK: return "block";
	case NT_TRANSFORM: return "transform";
	case NT_WILDCARD: return "wildcard";
	case NT_DESCENDANT: return "descendant";
	case NT_PARENT: return "parent";
	case NT_PATH: return "path";
	case NT_BIND: return "bind";
	case NT_APPLY: return "apply";
	case NT_SORT: return "sort";
	case NT_FILTER: return "filter";
	case NT_INDEX: return "index";
	case NT_TERM: return "term";
	default: return "undefined";
	}
}

static int op_is(const struct jn_node *n, const char *op) { return n->op && strcmp(n->op, op) == 0; }

static struct jn_slotv *slotv_new(struct jn_compile *k) { return jn_alloc(k->c, sizeof(struct jn_slotv)); }

static void slotv_push(struct jn_compile *k, struct jn_slotv *v, struct jn_slot *s)
{
	if (v->n == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 4;
		v->v = jn_realloc(k->c, v->v, v->cap * sizeof(*v->v), nc * sizeof(*v->v));
		v->cap = nc;
	}
	v->v[v->n++] = s;
}

static _Noreturn void fail_type(struct jn_compile *k, const char *code, const struct jn_node *n)
{
	k->c->e.token_val = jn_cstr(k->c, jn_node_type_name(n->type));
	jn_parse_fail(k, code, n->has_position ? n->position : -1, NULL, NULL);
}

static struct jn_slot *seek_parent(struct jn_compile *k, struct jn_node *node, struct jn_slot *slot)
{
	switch (node->type) {
	case NT_NAME:
	case NT_WILDCARD:
		slot->level--;
		if (slot->level == 0) {
			if (!node->ancestor) {
				node->ancestor = slot;
			} else {
				/* ancestry[slot.index].slot.label = node.ancestor.label */
				struct jn_node *p = k->ancestry.v[slot->index];
				memcpy(p->slot->label, node->ancestor->label, sizeof(p->slot->label));
				node->ancestor = slot;
			}
			node->tuple = 1;
		}
		break;
	case NT_PARENT:
		slot->level++;
		break;
	case NT_BLOCK:
		if (node->items.n > 0) {
			node->tuple = 1;
			slot = seek_parent(k, node->items.v[node->items.n - 1], slot);
		}
		break;
	case NT_PATH: {
		node->tuple = 1;
		long index = (long)node->items.n - 1;
		slot = seek_parent(k, node->items.v[index--], slot);
		while (slot->level > 0 && index >= 0)
			slot = seek_parent(k, node->items.v[index--], slot);
		break;
	}
	default:
		fail_type(k, "S0217", node);
	}
	return slot;
}

static void push_ancestry(struct jn_compile *k, struct jn_node *result, struct jn_node *value)
{
	if (!value)
		return;
	if (value->seeking || value->type == NT_PARENT) {
		struct jn_slotv *slots = value->seeking ? value->seeking : slotv_new(k);
		if (value->type == NT_PARENT)
			slotv_push(k, slots, value->slot);
		if (!result->seeking) {
			result->seeking = slots;
		} else {
			size_t n = slots->n; /* slots may be result->seeking itself */
			for (size_t i = 0; i < n; i++)
				slotv_push(k, result->seeking, slots->v[i]);
		}
	}
}

static void resolve_ancestry(struct jn_compile *k, struct jn_node *path)
{
	long index = (long)path->items.n - 1;
	struct jn_node *laststep = path->items.v[index];
	struct jn_slotv *slots = laststep->seeking ? laststep->seeking : slotv_new(k);
	if (laststep->type == NT_PARENT)
		slotv_push(k, slots, laststep->slot);
	for (size_t is = 0; is < slots->n; is++) {
		struct jn_slot *slot = slots->v[is];
		index = (long)path->items.n - 2;
		while (slot->level > 0) {
			if (index < 0) {
				if (!path->seeking)
					path->seeking = slotv_new(k);
				slotv_push(k, path->seeking, slot);
				break;
			}
			struct jn_node *step = path->items.v[index--];
			while (index >= 0 && step->focus.p && path->items.v[index]->focus.p)
				step = path->items.v[index--];
			slot = seek_parent(k, step, slot);
		}
	}
}

static struct jn_node *tail_call_optimize(struct jn_compile *k, struct jn_node *expr)
{
	if (expr->type == NT_FUNCTION && !expr->has_predicate) {
		struct jn_node *thunk = jn_node_new(k, NT_LAMBDA);
		thunk->thunk = 1;
		thunk->position = expr->position;
		thunk->has_position = expr->has_position;
		thunk->body = expr;
		return thunk;
	}
	if (expr->type == NT_CONDITION) {
		expr->then = tail_call_optimize(k, expr->then);
		if (expr->els)
			expr->els = tail_call_optimize(k, expr->els);
		return expr;
	}
	if (expr->type == NT_BLOCK) {
		if (expr->items.n > 0)
			expr->items.v[expr->items.n - 1] = tail_call_optimize(k, expr->items.v[expr->items.n - 1]);
		return expr;
	}
	return expr;
}

static struct jn_node *new_like(struct jn_compile *k, enum jn_nt type, const struct jn_node *expr)
{
	struct jn_node *r = jn_node_new(k, type);
	r->op = expr->op;
	r->id = expr->id;
	r->position = expr->position;
	r->has_position = expr->has_position;
	return r;
}

static struct jn_node *wrap_path(struct jn_compile *k, struct jn_node *step)
{
	struct jn_node *r = jn_node_new(k, NT_PATH);
	jn_nodev_push(k, &r->items, step);
	return r;
}

static struct jn_node *process(struct jn_compile *k, struct jn_node *expr);

static struct jn_node *process_binary(struct jn_compile *k, struct jn_node *expr)
{
	struct jn_node *result, *step;
	if (op_is(expr, ".")) {
		struct jn_node *lstep = process(k, expr->lhs);
		result = lstep->type == NT_PATH ? lstep : wrap_path(k, lstep);
		if (lstep->type == NT_PARENT) {
			result->seeking = slotv_new(k);
			slotv_push(k, result->seeking, lstep->slot);
		}
		struct jn_node *rest = process(k, expr->rhs);
		if (rest->type == NT_PATH) {
			for (size_t i = 0; i < rest->items.n; i++)
				jn_nodev_push(k, &result->items, rest->items.v[i]);
		} else {
			if (rest->has_predicate) {
				rest->stages = rest->predicate;
				rest->has_stages = 1;
				memset(&rest->predicate, 0, sizeof(rest->predicate));
				rest->has_predicate = 0;
			}
			jn_nodev_push(k, &result->items, rest);
		}
		for (size_t i = 0; i < result->items.n; i++) {
			struct jn_node *s = result->items.v[i];
			if (s->type == NT_NUMBER || s->type == NT_VALUE)
				jn_parse_fail(k, "S0213", s->position, NULL, s->lit);
		}
		for (size_t i = 0; i < result->items.n; i++)
			if (result->items.v[i]->type == NT_STRING)
				result->items.v[i]->type = NT_NAME;
		for (size_t i = 0; i < result->items.n; i++)
			if (result->items.v[i]->keep_array)
				result->keep_singleton = 1;
		struct jn_node *first = result->items.v[0];
		if (first->type == NT_UNARY && op_is(first, "["))
			first->consarray = 1;
		struct jn_node *last = result->items.v[result->items.n - 1];
		if (last->type == NT_UNARY && op_is(last, "["))
			last->consarray = 1;
		resolve_ancestry(k, result);
		return result;
	}
	if (op_is(expr, "[") && expr->rhs) {
		result = process(k, expr->lhs);
		step = result;
		int stages = 0;
		if (result->type == NT_PATH) {
			step = result->items.v[result->items.n - 1];
			stages = 1;
		}
		if (step->group)
			jn_parse_fail(k, "S0209", expr->position, NULL, NULL);
		struct jn_node *predicate = process(k, expr->rhs);
		if (predicate->seeking) {
			for (size_t i = 0; i < predicate->seeking->n; i++) {
				struct jn_slot *slot = predicate->seeking->v[i];
				if (slot->level == 1)
					seek_parent(k, step, slot);
				else
					slot->level--;
			}
			push_ancestry(k, step, predicate);
		}
		struct jn_node *f = jn_node_new(k, NT_FILTER);
		f->expression = predicate;
		f->position = expr->position;
		f->has_position = 1;
		if (stages) {
			jn_nodev_push(k, &step->stages, f);
			step->has_stages = 1;
		} else {
			jn_nodev_push(k, &step->predicate, f);
			step->has_predicate = 1;
		}
		return result;
	}
	if (op_is(expr, "{")) {
		result = process(k, expr->lhs);
		if (result->group)
			jn_parse_fail(k, "S0210", expr->position, NULL, NULL);
		struct jn_group *g = jn_alloc(k->c, sizeof(*g));
		for (size_t i = 0; i < expr->pairs.n; i++)
			jn_nodev_push(k, &g->pairs, process(k, expr->pairs.v[i]));
		g->position = expr->position;
		g->lit_keys = jn_literal_keys(&g->pairs);
		result->group = g;
		return result;
	}
	if (op_is(expr, "^")) {
		result = process(k, expr->lhs);
		if (result->type != NT_PATH)
			result = wrap_path(k, result);
		struct jn_node *sort = jn_node_new(k, NT_SORT);
		sort->position = expr->position;
		sort->has_position = 1;
		for (size_t i = 0; i < expr->items.n; i++) {
			struct jn_node *t = expr->items.v[i];
			struct jn_node *e = process(k, t->expression);
			push_ancestry(k, sort, e);
			struct jn_node *term = jn_node_new(k, NT_TERM);
			term->descending = t->descending;
			term->expression = e;
			jn_nodev_push(k, &sort->items, term);
		}
		jn_nodev_push(k, &result->items, sort);
		resolve_ancestry(k, result);
		return result;
	}
	if (op_is(expr, ":=")) {
		result = new_like(k, NT_BIND, expr);
		result->lhs = process(k, expr->lhs);
		result->rhs = process(k, expr->rhs);
		push_ancestry(k, result, result->rhs);
		return result;
	}
	if (op_is(expr, "@")) {
		result = process(k, expr->lhs);
		step = result;
		if (result->type == NT_PATH)
			step = result->items.v[result->items.n - 1];
		if (step->has_stages || step->has_predicate)
			jn_parse_fail(k, "S0215", expr->position, NULL, NULL);
		if (step->type == NT_SORT)
			jn_parse_fail(k, "S0216", expr->position, NULL, NULL);
		if (expr->keep_array)
			step->keep_array = 1;
		step->focus = expr->rhs->str;
		if (!step->focus.p)
			step->focus.p = "";
		step->tuple = 1;
		return result;
	}
	if (op_is(expr, "#")) {
		result = process(k, expr->lhs);
		step = result;
		if (result->type == NT_PATH) {
			step = result->items.v[result->items.n - 1];
		} else {
			result = wrap_path(k, result);
			if (step->has_predicate) {
				step->stages = step->predicate;
				step->has_stages = 1;
				memset(&step->predicate, 0, sizeof(step->predicate));
				step->has_predicate = 0;
			}
		}
		if (!step->has_stages) {
			step->index = expr->rhs->str;
			if (!step->index.p)
				step->index.p = "";
		} else {
			struct jn_node *ix = jn_node_new(k, NT_INDEX);
			ix->str = expr->rhs->str;
			if (!ix->str.p)
				ix->str.p = "";
			ix->position = expr->position;
			ix->has_position = 1;
			jn_nodev_push(k, &step->stages, ix);
		}
		step->tuple = 1;
		return result;
	}
	if (op_is(expr, "~>")) {
		result = new_like(k, NT_APPLY, expr);
		result->lhs = process(k, expr->lhs);
		result->rhs = process(k, expr->rhs);
		result->keep_array = result->lhs->keep_array || result->rhs->keep_array;
		return result;
	}
	result = new_like(k, NT_BINARY, expr);
	result->lhs = process(k, expr->lhs);
	result->rhs = process(k, expr->rhs);
	push_ancestry(k, result, result->lhs);
	push_ancestry(k, result, result->rhs);
	return result;
}

static struct jn_node *process(struct jn_compile *k, struct jn_node *expr)
{
	struct jn_node *result;
	if (++k->depth, jn_parse_too_deep(k))
		jn_parse_fail(k, "U1001", expr->position, NULL, NULL);
	switch (expr->type) {
	case NT_BINARY:
		result = process_binary(k, expr);
		break;
	case NT_UNARY:
		result = new_like(k, NT_UNARY, expr);
		if (op_is(expr, "[")) {
			for (size_t i = 0; i < expr->items.n; i++) {
				struct jn_node *v = process(k, expr->items.v[i]);
				push_ancestry(k, result, v);
				jn_nodev_push(k, &result->items, v);
			}
		} else if (op_is(expr, "{")) {
			for (size_t i = 0; i < expr->pairs.n; i++) {
				struct jn_node *v = process(k, expr->pairs.v[i]);
				push_ancestry(k, result, v);
				jn_nodev_push(k, &result->pairs, v);
			}
			result->lit_keys = (unsigned)jn_literal_keys(&result->pairs);
		} else {
			result->expression = process(k, expr->expression);
			if (op_is(expr, "-") && result->expression->type == NT_NUMBER) {
				result = result->expression;
				result->lit = jn_num(k->c, -result->lit->u.num);
			} else {
				push_ancestry(k, result, result->expression);
			}
		}
		break;
	case NT_FUNCTION:
	case NT_PARTIAL:
		result = new_like(k, expr->type, expr);
		for (size_t i = 0; i < expr->items.n; i++) {
			struct jn_node *a = process(k, expr->items.v[i]);
			push_ancestry(k, result, a);
			jn_nodev_push(k, &result->items, a);
		}
		result->procedure = process(k, expr->procedure);
		break;
	case NT_LAMBDA:
		result = new_like(k, NT_LAMBDA, expr);
		result->items = expr->items;
		result->sig = expr->sig;
		result->body = tail_call_optimize(k, process(k, expr->body));
		break;
	case NT_CONDITION:
		result = new_like(k, NT_CONDITION, expr);
		result->condition = process(k, expr->condition);
		push_ancestry(k, result, result->condition);
		result->then = process(k, expr->then);
		push_ancestry(k, result, result->then);
		if (expr->els) {
			result->els = process(k, expr->els);
			push_ancestry(k, result, result->els);
		}
		break;
	case NT_TRANSFORM:
		result = new_like(k, NT_TRANSFORM, expr);
		result->pattern = process(k, expr->pattern);
		result->update = process(k, expr->update);
		if (expr->del)
			result->del = process(k, expr->del);
		break;
	case NT_BLOCK:
		result = new_like(k, NT_BLOCK, expr);
		for (size_t i = 0; i < expr->items.n; i++) {
			struct jn_node *part = process(k, expr->items.v[i]);
			push_ancestry(k, result, part);
			if (part->consarray || (part->type == NT_PATH && part->items.v[0]->consarray))
				result->consarray = 1;
			jn_nodev_push(k, &result->items, part);
		}
		break;
	case NT_NAME:
		result = wrap_path(k, expr);
		if (expr->keep_array)
			result->keep_singleton = 1;
		break;
	case NT_PARENT: {
		result = jn_node_new(k, NT_PARENT);
		result->slot = jn_alloc(k->c, sizeof(struct jn_slot));
		snprintf(result->slot->label, sizeof(result->slot->label), "!%d", k->ancestor_label++);
		result->slot->level = 1;
		result->slot->index = k->ancestor_index++;
		jn_nodev_push(k, &k->ancestry, result);
		break;
	}
	case NT_STRING:
	case NT_NUMBER:
	case NT_VALUE:
	case NT_WILDCARD:
	case NT_DESCENDANT:
	case NT_VARIABLE:
	case NT_REGEX:
		result = expr;
		break;
	case NT_OPERATOR:
		if (op_is(expr, "and") || op_is(expr, "or") || op_is(expr, "in")) {
			expr->type = NT_NAME;
			expr->str.p = expr->op;
			expr->str.len = strlen(expr->op);
			expr->lit = jn_str_ref(k->c, expr->str.p, expr->str.len);
			expr->name_hash = jn_name_hash(expr->str.p, expr->str.len);
			result = process(k, expr);
		} else if (op_is(expr, "?")) {
			result = expr;
		} else {
			k->c->e.token_val = jn_cstr(k->c, expr->op);
			jn_parse_fail(k, "S0201", expr->position, NULL, NULL);
		}
		break;
	default:
		k->c->e.token_val = expr->type == NT_END ? jn_str_ref(k->c, "(end)", 5) : NULL;
		jn_parse_fail(k, expr->type == NT_END ? "S0207" : "S0206", expr->position, NULL, NULL);
	}
	if (expr->keep_array)
		result->keep_array = 1;
	k->depth--;
	return result;
}

struct jn_node *jn_process(struct jn_compile *k, struct jn_node *expr)
{
	k->depth = 0;
	struct jn_node *r = process(k, expr);
	if (r->type == NT_PARENT || r->seeking)
		fail_type(k, "S0217", r);
	return r;
}

int jn_literal_keys(const struct jn_nodev *pairs)
{
	/* the duplicate check below is quadratic: a 40,000-key literal took
	 * 9 s to compile; big objects take the general path */
	if (pairs->n == 0 || pairs->n > 2 * 256)
		return 0;
	for (size_t i = 0; i + 1 < pairs->n; i += 2) {
		const struct jn_node *key = pairs->v[i];
		if (key->type != NT_STRING || key->has_predicate || key->has_stages || key->group || key->keep_array ||
		    !key->lit || key->lit->type != JV_STRING)
			return 0;
		const struct jn_str *s = &key->lit->u.s;
		size_t d = 0;
		while (d < s->len && s->p[d] >= '0' && s->p[d] <= '9')
			d++;
		if (s->len && d == s->len)
			return 0; /* all digits: maybe an array index (ordered first) */
		if ((s->len == 15 && !memcmp(s->p, "_jsonata_lambda", 15)) ||
		    (s->len == 17 && !memcmp(s->p, "_jsonata_function", 17)))
			return 0;
		for (size_t j = 0; j < i; j += 2) {
			const struct jn_str *t = &pairs->v[j]->lit->u.s;
			if (t->len == s->len && !memcmp(t->p, s->p, s->len))
				return 0;
		}
	}
	return 1;
}
