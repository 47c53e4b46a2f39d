/* jsonpath_eval — evaluation of compiled paths, ResultPath placement and
 * value equality. See jsonpath.c for the semantics. */
#include "jsonpath.h"
#include "jsonpath_impl.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Hard cap on the size of an intermediate node set: chains such as
 * `$..*..*..*` grow polynomially with the document. */
#define NODES_MAX (1u << 20)

struct cx {
	const struct jsonpath *jp;
	const struct jsonpath_roots *roots;
	struct err *e;
};

static const char *root_name(const struct jsonpath *jp)
{
	switch (jp->root) {
	case JSONPATH_ROOT_CONTEXT: return "context object";
	case JSONPATH_ROOT_VAR: return "variable";
	default: return "input";
	}
}

static int add(json_t *out, json_t *v, struct cx *cx)
{
	if (json_array_size(out) >= NODES_MAX)
		return err_set(cx->e, ERR_STATES_RUNTIME,
			       "JSONPath '%.200s' selects more than %u nodes",
			       cx->jp->text, NODES_MAX);
	if (json_array_append(out, v))
		return err_set(cx->e, ERR_STATES_RUNTIME, "out of memory");
	return 0;
}

/* ---- numbers and equality ------------------------------------------ */

static bool json_number_syntax(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return false;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return false;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

json_t *jsonpath_parse_number(const char *text, bool real)
{
	char *end;
	double d;

	if (!json_number_syntax(text))
		return NULL;
	if (!real) {
		long long v;

		errno = 0;
		v = strtoll(text, &end, 10);
		if (errno == 0 && *end == '\0')
			return json_integer(v);
	}
	errno = 0;
	d = strtod(text, &end);
	if (*end != '\0' || !isfinite(d))
		return NULL;
	return json_real(d);
}

static bool num_cmp(const json_t *a, const json_t *b, int *c)
{
	if (!json_is_number(a) || !json_is_number(b))
		return false;
	if (json_is_integer(a) && json_is_integer(b)) {
		json_int_t x = json_integer_value(a), y = json_integer_value(b);

		*c = x < y ? -1 : x > y;
	} else {
		double x = json_number_value(a), y = json_number_value(b);

		*c = x < y ? -1 : x > y;
	}
	return true;
}

static bool equal_at(const json_t *a, const json_t *b, int depth)
{
	int c;

	if (depth > JSONPATH_DEPTH_MAX)
		return false;
	if (num_cmp(a, b, &c))
		return c == 0;
	if (json_typeof(a) != json_typeof(b))
		return false;
	switch (json_typeof(a)) {
	case JSON_STRING:
		return json_string_length(a) == json_string_length(b) &&
		       memcmp(json_string_value(a), json_string_value(b),
			      json_string_length(a)) == 0;
	case JSON_ARRAY: {
		size_t i, n = json_array_size(a);

		if (n != json_array_size(b))
			return false;
		for (i = 0; i < n; i++)
			if (!equal_at(json_array_get(a, i), json_array_get(b, i), depth + 1))
				return false;
		return true;
	}
	case JSON_OBJECT: {
		void *it;

		if (json_object_size(a) != json_object_size(b))
			return false;
		for (it = json_object_iter((json_t *)a); it;
		     it = json_object_iter_next((json_t *)a, it)) {
			const json_t *o = json_object_getn(b, json_object_iter_key(it),
							   json_object_iter_key_len(it));

			if (!o || !equal_at(json_object_iter_value(it), o, depth + 1))
				return false;
		}
		return true;
	}
	default:
		return true;    /* true, false, null */
	}
}

bool jsonpath_value_equal(const json_t *a, const json_t *b)
{
	if (!a || !b)
		return a == b;
	return equal_at(a, b, 0);
}

/* ---- filters ----------------------------------------------------------- */

static json_t *index_get(json_t *arr, long long idx)
{
	long long n = (long long)json_array_size(arr);

	if (idx < 0)
		idx += n;
	if (idx < 0 || idx >= n)
		return NULL;
	return json_array_get(arr, (size_t)idx);
}

/* Follow definite steps; borrowed result or NULL when missing. */
static json_t *follow(json_t *node, const struct steps *ss)
{
	size_t i;

	for (i = 0; node && i < ss->n; i++) {
		const struct step *st = &ss->v[i];

		if (st->kind == STEP_NAME)
			node = json_is_object(node) ?
			       json_object_getn(node, st->name.s, st->name.len) : NULL;
		else if (st->kind == STEP_INDEX)
			node = json_is_array(node) ? index_get(node, st->index) : NULL;
		else
			node = NULL;
	}
	return node;
}

static json_t *operand_value(const struct operand *o, json_t *cur, struct cx *cx)
{
	switch (o->kind) {
	case OPND_LIT: return o->lit;
	case OPND_CUR: return follow(cur, &o->path);
	default: return cx->roots->input ? follow(cx->roots->input, &o->path) : NULL;
	}
}

static bool compare(enum cmp_op op, const json_t *a, const json_t *b)
{
	int c;

	if (op == CMP_EQ)
		return jsonpath_value_equal(a, b);
	if (op == CMP_NE)
		return !jsonpath_value_equal(a, b);
	if (num_cmp(a, b, &c)) {
		/* fall through to the ordering below */
	} else if (json_is_string(a) && json_is_string(b)) {
		size_t la = json_string_length(a), lb = json_string_length(b);
		int m = memcmp(json_string_value(a), json_string_value(b), la < lb ? la : lb);

		c = m ? m : (la > lb) - (la < lb);
	} else {
		return false;   /* no order across types */
	}
	switch (op) {
	case CMP_LT: return c < 0;
	case CMP_LE: return c <= 0;
	case CMP_GT: return c > 0;
	default: return c >= 0;
	}
}

/* Filter recursion is bounded by the parser's nesting cap. */
static bool fx_eval(const struct fexpr *f, json_t *cur, struct cx *cx)
{
	const json_t *a, *b;

	switch (f->kind) {
	case FX_OR: return fx_eval(f->l, cur, cx) || fx_eval(f->r, cur, cx);
	case FX_AND: return fx_eval(f->l, cur, cx) && fx_eval(f->r, cur, cx);
	case FX_NOT: return !fx_eval(f->l, cur, cx);
	case FX_EXISTS: return operand_value(&f->a, cur, cx) != NULL;
	default:
		a = operand_value(&f->a, cur, cx);
		b = operand_value(&f->b, cur, cx);
		/* A missing member matches nothing, not even `!=`. */
		if (!a || !b)
			return false;
		return compare(f->op, a, b);
	}
}

/* ---- selection ----------------------------------------------------------- */

static int select_slice(const struct slice *s, json_t *arr, json_t *out, struct cx *cx)
{
	long long n = (long long)json_array_size(arr), i, start, end, step = s->step;

	if (step > 0) {
		start = s->has_start ? s->start : 0;
		end = s->has_end ? s->end : n;
		if (start < 0 && (start += n) < 0)
			start = 0;
		if (start > n)
			start = n;
		if (end < 0 && (end += n) < 0)
			end = 0;
		if (end > n)
			end = n;
		for (i = start; i < end;) {
			if (add(out, json_array_get(arr, (size_t)i), cx))
				return -1;
			if (__builtin_add_overflow(i, step, &i))
				break;
		}
	} else {
		start = s->has_start ? s->start : n - 1;
		if (s->has_start && start < 0 && (start += n) < 0)
			start = -1;
		if (start >= n)
			start = n - 1;
		if (s->has_end) {
			end = s->end;
			if (end < 0 && (end += n) < 0)
				end = -1;
			if (end >= n)
				end = n - 1;
		} else {
			end = -1;
		}
		for (i = start; i > end;) {
			if (add(out, json_array_get(arr, (size_t)i), cx))
				return -1;
			if (__builtin_add_overflow(i, step, &i))
				break;
		}
	}
	return 0;
}

static int select_one(const struct step *st, json_t *node, json_t *out, struct cx *cx)
{
	json_t *v;
	size_t i;

	switch (st->kind) {
	case STEP_NAME:
		if (json_is_object(node) &&
		    (v = json_object_getn(node, st->name.s, st->name.len)))
			return add(out, v, cx);
		return 0;
	case STEP_INDEX:
		if (json_is_array(node) && (v = index_get(node, st->index)))
			return add(out, v, cx);
		return 0;
	case STEP_WILD:
		if (json_is_object(node)) {
			const char *k;

			json_object_foreach(node, k, v)
				if (add(out, v, cx))
					return -1;
		} else if (json_is_array(node)) {
			json_array_foreach(node, i, v)
				if (add(out, v, cx))
					return -1;
		}
		return 0;
	case STEP_SLICE:
		return json_is_array(node) ? select_slice(&st->slice, node, out, cx) : 0;
	case STEP_UNION:
		for (i = 0; i < st->nsels; i++) {
			const struct sel *s = &st->sels[i];

			v = NULL;
			if (s->is_name && json_is_object(node))
				v = json_object_getn(node, s->name.s, s->name.len);
			else if (!s->is_name && json_is_array(node))
				v = index_get(node, s->index);
			if (v && add(out, v, cx))
				return -1;
		}
		return 0;
	case STEP_FILTER:
		if (json_is_array(node)) {
			json_array_foreach(node, i, v)
				if (fx_eval(st->filter, v, cx) && add(out, v, cx))
					return -1;
		} else if (json_is_object(node) && fx_eval(st->filter, node, cx)) {
			return add(out, node, cx);
		}
		return 0;
	}
	return 0;
}

static int descend(const struct step *st, json_t *node, json_t *out, struct cx *cx,
		   int depth)
{
	json_t *v;
	size_t i;

	if (depth > JSONPATH_DEPTH_MAX)
		return err_set(cx->e, ERR_STATES_RUNTIME,
			       "JSONPath '%.200s': document nested deeper than %d levels",
			       cx->jp->text, JSONPATH_DEPTH_MAX);
	if (select_one(st, node, out, cx))
		return -1;
	if (json_is_object(node)) {
		const char *k;

		json_object_foreach(node, k, v)
			if ((json_is_object(v) || json_is_array(v)) &&
			    descend(st, v, out, cx, depth + 1))
				return -1;
	} else if (json_is_array(node)) {
		json_array_foreach(node, i, v)
			if ((json_is_object(v) || json_is_array(v)) &&
			    descend(st, v, out, cx, depth + 1))
				return -1;
	}
	return 0;
}

static json_t *root_of(const struct jsonpath *jp, const struct jsonpath_roots *roots,
		       struct err *e)
{
	json_t *r = NULL;

	switch (jp->root) {
	case JSONPATH_ROOT_INPUT:
		r = roots ? roots->input : NULL;
		break;
	case JSONPATH_ROOT_CONTEXT:
		r = roots ? roots->context : NULL;
		break;
	case JSONPATH_ROOT_VAR:
		r = roots && json_is_object(roots->vars) ?
		    json_object_get(roots->vars, jp->var) : NULL;
		if (!r)
			err_set(e, ERR_STATES_RUNTIME,
				"JSONPath '%.200s': variable '%.128s' is not defined",
				jp->text, jp->var);
		return r;
	}
	if (!r)
		err_set(e, ERR_STATES_RUNTIME, "JSONPath '%.200s': no %s to evaluate against",
			jp->text, root_name(jp));
	return r;
}

int jsonpath_eval(const struct jsonpath *jp, const struct jsonpath_roots *roots,
		  json_t **out, struct err *e)
{
	struct cx cx = { .jp = jp, .roots = roots, .e = e };
	json_t *root, *cur = NULL, *next = NULL, *v;
	bool prefix_definite = true;
	size_t i, j;
	int rc = -1;

	*out = NULL;
	if (!jp)
		return err_set(e, ERR_STATES_RUNTIME, "no JSONPath");
	root = root_of(jp, roots, e);
	if (!root)
		goto out;
	/* The common case, names and indexes only ($.a.b[0]): follow them,
	 * without node sets. */
	for (i = 0; i < jp->steps.n; i++)
		if (jp->steps.v[i].descend ||
		    (jp->steps.v[i].kind != STEP_NAME && jp->steps.v[i].kind != STEP_INDEX))
			break;
	if (i == jp->steps.n) {
		v = follow(root, &jp->steps);
		if (!v)
			return err_set(e, ERR_STATES_RUNTIME,
				       "The JSONPath '%.200s' could not be found in the %s",
				       jp->text, root_name(jp));
		*out = json_incref(v);
		return 0;
	}
	cur = json_array();
	if (!cur || json_array_append(cur, root)) {
		err_set(e, ERR_STATES_RUNTIME, "out of memory");
		goto out;
	}
	for (i = 0; i < jp->steps.n; i++) {
		const struct step *st = &jp->steps.v[i];

		next = json_array();
		if (!next) {
			err_set(e, ERR_STATES_RUNTIME, "out of memory");
			goto out;
		}
		json_array_foreach(cur, j, v) {
			if (st->descend ? descend(st, v, next, &cx, 0)
					: select_one(st, v, next, &cx))
				goto out;
		}
		if (st->descend || (st->kind != STEP_NAME && st->kind != STEP_INDEX))
			prefix_definite = false;
		json_decref(cur);
		cur = next;
		next = NULL;
		if (json_array_size(cur) == 0) {
			if (prefix_definite) {
				err_set(e, ERR_STATES_RUNTIME,
					"The JSONPath '%.200s' could not be found in the %s",
					jp->text, root_name(jp));
				goto out;
			}
			break;
		}
	}
	if (jp->definite)
		*out = json_incref(json_array_get(cur, 0));
	else
		*out = json_incref(cur);
	rc = 0;
out:
	json_decref(cur);
	json_decref(next);
	return rc;
}

int jsonpath_query(const char *text, const struct jsonpath_roots *roots,
		   json_t **out, struct err *e)
{
	struct jsonpath *jp = jsonpath_compile(text, 0, e);
	int rc;

	*out = NULL;
	if (!jp)
		return -1;
	rc = jsonpath_eval(jp, roots, out, e);
	jsonpath_free(jp);
	return rc;
}

/* ---- ResultPath ------------------------------------------------------- */

static int set_fail(const struct jsonpath *jp, struct err *e, const char *why)
{
	return err_set(e, ERR_STATES_RESULT_PATH_MATCH,
		       "Unable to apply ResultPath '%.200s' to the input: %s", jp->text, why);
}

/* `node` (borrowed; NULL: missing) with `value` placed at step i of the
 * path, as a new reference. A node that only its (exclusively ours)
 * container holds, refcount 1, is changed in place; a shared one is copied
 * first. Nothing is changed before the whole path has been checked, so a
 * failure leaves the input as it was. */
static json_t *place(const struct jsonpath *jp, size_t i, json_t *node, json_t *value,
		     json_t **old, struct err *e)
{
	const struct step *s;
	json_t *c, *nc;

	if (i == jp->steps.n) {
		if (old)
			*old = json_incref(node);
		return json_incref(value);
	}
	s = &jp->steps.v[i];
	if (s->kind == STEP_NAME) {
		if (!node)
			c = json_object();
		else if (!json_is_object(node))
			return set_fail(jp, e, i ? "an intermediate value is not an object"
						 : "the input is not an object"), NULL;
		else
			c = node->refcount == 1 ? json_incref(node) : json_copy(node);
		if (!c)
			return err_set(e, ERR_STATES_RUNTIME, "out of memory"), NULL;
		nc = place(jp, i + 1, json_object_getn(c, s->name.s, s->name.len), value, old, e);
		if (!nc || json_object_setn_new_nocheck(c, s->name.s, s->name.len, nc)) {
			if (nc && !err_isset(e))
				err_set(e, ERR_STATES_RUNTIME, "out of memory");
			json_decref(c);
			return NULL;
		}
		return c;
	}
	if (s->kind == STEP_INDEX) {
		long long idx = s->index, n;

		if (!json_is_array(node))
			return set_fail(jp, e, "an index is applied to a value that is not an array"), NULL;
		n = (long long)json_array_size(node);
		if (idx < 0)
			idx += n;
		if (idx < 0 || idx >= n)
			return set_fail(jp, e, "array index out of range"), NULL;
		c = node->refcount == 1 ? json_incref(node) : json_copy(node);
		if (!c)
			return err_set(e, ERR_STATES_RUNTIME, "out of memory"), NULL;
		nc = place(jp, i + 1, json_array_get(c, (size_t)idx), value, old, e);
		if (!nc || json_array_set_new(c, (size_t)idx, nc)) {
			if (nc && !err_isset(e))
				err_set(e, ERR_STATES_RUNTIME, "out of memory");
			json_decref(c);
			return NULL;
		}
		return c;
	}
	return set_fail(jp, e, "not a reference path"), NULL;
}

int jsonpath_set(const struct jsonpath *jp, json_t *input_take, json_t *value,
		 json_t **out, json_t **old, struct err *e)
{
	json_t *input = input_take;

	*out = NULL;
	if (old)
		*old = NULL;
	if (!jp || !value)
		err_set(e, ERR_STATES_RUNTIME, "no path or value");
	else if (jp->root != JSONPATH_ROOT_INPUT || !jp->definite)
		set_fail(jp, e, "not a reference path into the input");
	else if (jp->steps.n && !input)
		set_fail(jp, e, "there is no input");
	else
		*out = place(jp, 0, input, value, old, e);
	json_decref(input);
	if (!*out && old) {
		json_decref(*old);
		*old = NULL;
	}
	return *out ? 0 : -1;
}
