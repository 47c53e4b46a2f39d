/* exec_io — input and output processing: evaluating paths, payload
 * templates and intrinsics against a state's data, the context object
 * ($$, built only when an expression reads it), ResultPath placement with
 * copy-on-write, workflow variable assignment and serialized sizes.
 *
 * Copy-on-write: ResultPath changes the state input in place only where a
 * node has a single reference (the frame's: nobody else can see it), and
 * makes shallow copies of shared nodes along the path; nothing else is
 * ever copied. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "exec_internal.h"
#include "intrinsics.h"
#include "jsonpath.h"

/* ---- the context object -------------------------------------------------------- */

void exec_format_time(int64_t us, char *buf, size_t n)
{
	time_t s = (time_t)(us / 1000000);
	struct tm tm;

	gmtime_r(&s, &tm);
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(us % 1000000 / 1000));
}

void exec_ctx_invalidate(struct frame *f)
{
	json_decref(f->ctx);
	f->ctx = NULL;
}

static json_t *exec_ctx_parts(struct exec *ex)
{
	char t[40];

	if (!ex->ctx_exec) {
		exec_format_time(ex->start_us, t, sizeof t);
		ex->ctx_exec = json_pack("{s:s, s:O, s:s, s:s, s:s, s:i}", "Id", ex->arn, "Input",
					 ex->input, "Name", ex->name, "RoleArn", ex->eng->role_arn,
					 "StartTime", t, "RedriveCount", 0);
	}
	if (!ex->ctx_sm)
		ex->ctx_sm = json_pack("{s:s, s:s}", "Id", ex->sm_arn, "Name", ex->sm_name);
	return ex->ctx_exec && ex->ctx_sm ? ex->ctx_exec : NULL;
}

/* $$ for the frame's current state visit (borrowed from the frame). */
static json_t *frame_ctx(struct frame *f)
{
	const struct asl_state *st = &f->m->states[f->state];
	struct exec *ex = f->ex;
	json_t *state, *c;
	char t[40];

	if (f->ctx)
		return f->ctx;
	if (!exec_ctx_parts(ex))
		return NULL;
	if (!f->entered_us)
		f->entered_us = exec_now_us();
	exec_format_time(f->entered_us, t, sizeof t);
	state = json_pack("{s:s, s:s, s:I}", "EnteredTime", t, "Name", st->name, "RetryCount",
			  (json_int_t)f->retry_total);
	c = json_pack("{s:O, s:o, s:O}", "Execution", ex->ctx_exec, "State", state,
		      "StateMachine", ex->ctx_sm);
	if (c && f->call && f->call->token[0])
		json_object_set_new(c, "Task", json_pack("{s:s}", "Token", f->call->token));
	f->ctx = c;
	return c;
}

/* ---- evaluation ------------------------------------------------------------------- */

void ec_init(struct evalctx *ec, struct frame *f, json_t *input)
{
	ec->f = f;
	ec->input = input;
	ec->item = NULL;
	ec->ctx = NULL;
	ec->result = NULL;
	ec->errout = NULL;
	ec->field = NULL;
}

void ec_done(struct evalctx *ec)
{
	json_decref(ec->ctx);
	ec->ctx = NULL;
}

/* $$ with Map.Item for one item. The fan-out keeps the last one in
 * item->cache and reuses it for the next item when nothing else holds it
 * or its Map/Item objects (copy-on-write): one allocation per item instead
 * of a dozen. */
static json_t *item_context(struct frame *f, const struct map_item *item)
{
	json_t *c = item->cache ? *item->cache : NULL, *map, *it, *base;

	/* refcount 1: only the cache holds it */
	if (c && c->refcount == 1 && (map = json_object_get(c, "Map")) && map->refcount == 1 &&
	    (it = json_object_get(map, "Item")) && it->refcount == 1) {
		if (json_object_set_new_nocheck(it, "Index", json_integer((json_int_t)item->index)) ||
		    json_object_set_nocheck(it, "Value", item->value))
			return NULL;
		return json_incref(c);
	}
	base = frame_ctx(f);
	if (!base || !(c = json_copy(base)))
		return NULL;
	if (json_object_set_new_nocheck(c, "Map", json_pack("{s:{s:I, s:O}}", "Item", "Index",
								(json_int_t)item->index, "Value",
								item->value))) {
		json_decref(c);
		return NULL;
	}
	if (item->cache) {
		json_decref(*item->cache);
		*item->cache = json_incref(c);
	}
	return c;
}

json_t *ec_context(struct evalctx *ec)
{
	json_t *base;

	if (ec->ctx)
		return ec->ctx;
	if (ec->item) {
		ec->ctx = item_context(ec->f, ec->item);
		return ec->ctx;
	}
	base = frame_ctx(ec->f);
	if (base)
		ec->ctx = json_incref(base);
	return ec->ctx;
}

/* Only build $$ for expressions that read it. A JSONPath can only reach
 * the context object from its root (filter operands are @ and $); an
 * intrinsic may have $$ in any argument. */
static bool reads_ctx(const char *text)
{
	return text && strstr(text, "$$");
}

int ec_path(struct evalctx *ec, const struct jsonpath *p, json_t **out, struct err *e)
{
	struct jsonpath_roots roots = { .input = ec->input, .vars = ec->f->vars };

	if (jsonpath_root(p) == JSONPATH_ROOT_CONTEXT)
		roots.context = ec_context(ec);
	return jsonpath_eval(p, &roots, out, e);
}

int ec_expr(struct evalctx *ec, const struct asl_expr *x, json_t **out, struct err *e)
{
	struct jsonpath_roots roots = { .input = ec->input, .vars = ec->f->vars };
	int rc;

	/* An ItemSelector's usual fields, without materializing $$ per item. */
	if (ec->item && x->jp && x->text && !strncmp(x->text, "$$.Map.Item.", 12)) {
		if (!strcmp(x->text + 12, "Value")) {
			*out = json_incref(ec->item->value);
			return 0;
		}
		if (!strcmp(x->text + 12, "Index")) {
			*out = json_integer((json_int_t)ec->item->index);
			return *out ? 0 : err_set(e, ERR_STATES_RUNTIME, "out of memory");
		}
	}
	if (x->jp)
		return ec_path(ec, x->jp, out, e);
	if (!x->fn)
		return err_set(e, ERR_STATES_RUNTIME, "no expression");
	if (reads_ctx(x->text))
		roots.context = ec_context(ec);
	rc = intrinsic_eval(x->fn, &roots, out, e);
	if (rc && err_is(e, ERR_STATES_RUNTIME))
		snprintf(e->type, sizeof e->type, "%s", err_name(ERR_STATES_INTRINSIC_FAILURE));
	return rc;
}

/* Where a template member is, for errors: "/key" and "[i]" appended to the
 * field's name as the walk descends (cut, not overflowing, when deep). */
struct tpath {
	char s[256];
	size_t n;
};

static size_t tpath_push(struct tpath *p, const char *fmt, const char *key, size_t i)
{
	size_t n = p->n;
	int k = key ? snprintf(p->s + n, sizeof p->s - n, fmt, key)
		    : snprintf(p->s + n, sizeof p->s - n, fmt, i);

	p->n = k < 0 ? n : n + (size_t)k < sizeof p->s ? n + (size_t)k : sizeof p->s - 1;
	return n;
}

static int tmpl(struct evalctx *ec, const struct asl_template *t, const char *key,
		struct tpath *p, json_t **out, struct err *e)
{
	json_t *v = NULL, *c;
	size_t i, n;
	int rc;

	switch (t->kind) {
	case ASL_T_LITERAL:
		*out = json_incref(t->literal);
		return 0;
	case ASL_T_EXPR:
		if (ec_expr(ec, &t->expr, out, e) == 0)
			return 0;
		if (t->expr.jp) {
			char why[sizeof e->msg];

			snprintf(why, sizeof why, "%s", e->msg);
			err_set(e, ERR_STATES_PARAMETER_PATH,
				"The JSONPath '%.200s' specified for the field '%.100s.$' could not be found in the input (%.500s)",
				t->expr.text, key ? key : "", why);
		}
		return -1;
	case ASL_T_JSONATA: {
		/* a template with no field name starts its path with '/' */
		const char *field = !p->n ? NULL : p->s[0] == '/' ? p->s + 1 : p->s;

		rc = ec_jsonata(ec, t, field, out, e);
		/* A member that is undefined fails the state, as in Step Functions
		 * (not left out); so does a whole field (jx_field reports it). */
		if (!rc && !*out && field)
			return jx_undefined(t, field, e);
		return rc;
	}
	case ASL_T_OBJECT:
		c = json_object();
		if (!c)
			return err_set(e, ERR_STATES_RUNTIME, "out of memory");
		for (i = 0; i < t->n; i++) {
			v = NULL;
			n = tpath_push(p, "/%s", t->fields[i].key, 0);
			rc = tmpl(ec, &t->fields[i].value, t->fields[i].key, p, &v, e);
			p->n = n;
			p->s[n] = '\0';
			if (rc || (v && json_object_set_new_nocheck(c, t->fields[i].key, v))) {
				if (!err_isset(e))
					err_set(e, ERR_STATES_RUNTIME, "out of memory");
				json_decref(c);
				return -1;
			}
		}
		*out = c;
		return 0;
	case ASL_T_ARRAY:
		c = json_array();
		if (!c)
			return err_set(e, ERR_STATES_RUNTIME, "out of memory");
		for (i = 0; i < t->n; i++) {
			v = NULL;
			n = tpath_push(p, "[%zu]", NULL, i);
			rc = tmpl(ec, &t->items[i], key, p, &v, e);
			p->n = n;
			p->s[n] = '\0';
			if (rc || (v && json_array_append_new(c, v))) {
				if (!err_isset(e))
					err_set(e, ERR_STATES_RUNTIME, "out of memory");
				json_decref(c);
				return -1;
			}
		}
		*out = c;
		return 0;
	}
	return err_set(e, ERR_STATES_RUNTIME, "bad template");
}

int ec_template(struct evalctx *ec, const struct asl_template *t, json_t **out, struct err *e)
{
	struct tpath p;

	err_clear(e);
	*out = NULL;
	p.n = (size_t)snprintf(p.s, sizeof p.s, "%.200s", ec->field ? ec->field : "");
	return tmpl(ec, t, NULL, &p, out, e);
}

int io_select(struct frame *f, const struct asl_path *p, json_t *in, json_t **out,
	      struct err *e)
{
	struct evalctx ec;
	int rc;

	switch (p->mode) {
	case ASL_PATH_ABSENT:
		*out = json_incref(in);
		return 0;
	case ASL_PATH_NULL:
		*out = json_object();
		return *out ? 0 : err_set(e, ERR_STATES_RUNTIME, "out of memory");
	case ASL_PATH_SET:
		break;
	}
	if (p->is_root) {
		*out = json_incref(in);
		return 0;
	}
	ec_init(&ec, f, in);
	rc = ec_path(&ec, p->jp, out, e);
	ec_done(&ec);
	if (rc)
		err_set(e, ERR_STATES_RUNTIME, "Path expression '%.200s' does not point to a value",
			p->text);
	return rc;
}

/* ---- ResultPath ------------------------------------------------------------------ */

int io_result_path(const struct asl_path *p, json_t *in, json_t *result, json_t **out,
		   size_t *size, struct err *e)
{
	size_t before = *size, old_size, add;
	json_t *old;

	err_clear(e);
	if (p->mode == ASL_PATH_NULL) {
		*out = json_incref(in);
		return 0;
	}
	if (p->mode == ASL_PATH_ABSENT || p->is_root) {
		*out = json_incref(result);
		*size = io_size(result, ENGINE_DATA_MAX);
		return 0;
	}
	if (jsonpath_set(p->jp, json_incref(in), result, out, &old, e))
		return -1;
	old_size = old ? io_size(old, ENGINE_DATA_MAX) : 0;
	json_decref(old);
	add = io_size(result, ENGINE_DATA_MAX);
	/* a new member costs its key, quotes, colon and comma; close enough */
	*size = before - (old_size < before ? old_size : before) + add +
		(old_size ? 0 : strlen(p->text) + 4);
	if (*size > ENGINE_DATA_MAX && before <= ENGINE_DATA_MAX)
		*size = io_size(*out, ENGINE_DATA_MAX);
	return 0;
}

/* ---- sizes --------------------------------------------------------------------- */

static size_t str_size(const char *s, size_t n)
{
	size_t extra = 2, i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			extra++;
		else if (c < 0x20)
			extra += (c == '\n' || c == '\t' || c == '\r' || c == '\b' || c == '\f') ? 1 : 5;
	}
	return n + extra;
}

static size_t int_size(json_int_t v)
{
	size_t n = v < 0 ? 2 : 1;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	while (u >= 10) {
		u /= 10;
		n++;
	}
	return n;
}

static size_t walk(const json_t *v, size_t acc, size_t cap)
{
	const char *key;
	json_t *x;
	void *it;
	size_t i, n, klen;
	char buf[32];

	if (acc > cap)
		return acc;
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		acc += 2;
		n = 0;
		/* the iterator, not json_object_keylen_foreach: that one looks
		 * every key up again */
		for (it = json_object_iter((json_t *)v); it;
		     it = json_object_iter_next((json_t *)v, it)) {
			key = json_object_iter_key(it);
			klen = json_object_iter_key_len(it);
			x = json_object_iter_value(it);
			acc += str_size(key, klen) + 1 + (n++ ? 1 : 0);
			acc = walk(x, acc, cap);
			if (acc > cap)
				return acc;
		}
		return acc;
	case JSON_ARRAY:
		n = json_array_size(v);
		acc += 2 + (n ? n - 1 : 0);
		for (i = 0; i < n && acc <= cap; i++)
			acc = walk(json_array_get(v, i), acc, cap);
		return acc;
	case JSON_STRING:
		return acc + str_size(json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return acc + int_size(json_integer_value(v));
	case JSON_REAL:
		return acc + (size_t)snprintf(buf, sizeof buf, "%.17g", json_real_value(v));
	case JSON_TRUE:
	case JSON_NULL:
		return acc + 4;
	case JSON_FALSE:
		return acc + 5;
	}
	return acc;
}

size_t io_size(const json_t *v, size_t cap)
{
	size_t n;

	if (!v)
		return 4;
	n = walk(v, 0, cap);
	return n > cap ? cap + 1 : n;
}

/* ---- variables ----------------------------------------------------------------- */

int io_assign(struct frame *f, const struct asl_template *assign, json_t *input, struct err *e)
{
	struct evalctx ec;
	json_t *vals = NULL;
	int rc;

	/* Every expression reads the values from before the state: evaluate
	 * all, then assign all. */
	ec_init(&ec, f, input);
	rc = ec_template(&ec, assign, &vals, e);
	ec_done(&ec);
	if (rc)
		return -1;
	if (!json_is_object(vals)) {
		json_decref(vals);
		return err_set(e, ERR_STATES_RUNTIME, "Assign must be an object");
	}
	rc = io_assign_values(f, vals, e);
	json_decref(vals);
	return rc;
}

int io_assign_values(struct frame *f, json_t *vals, struct err *e)
{
	json_t *vars;

	if (io_size(vals, ENGINE_DATA_MAX) > ENGINE_DATA_MAX) {
		return err_set(e, ERR_STATES_DATA_LIMIT,
			       "the variables assigned by a state are larger than %d bytes",
			       ENGINE_DATA_MAX);
	}
	if (!f->vars)
		vars = json_incref(vals);
	else if (f->vars->refcount == 1)
		vars = json_incref(f->vars);
	else
		vars = json_copy(f->vars);    /* shared with an outer scope or a sibling */
	if (!vars || (vars != vals && json_object_update(vars, vals))) {
		json_decref(vars);
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	}
	json_decref(f->vars);
	f->vars = vars;
	if (f->ex->hist) {
		/* the state's exit event shows them (assignedVariables); the
		 * reference keeps vals from being updated in place later */
		json_decref(f->assigned);
		f->assigned = json_incref(vals);
	}
	return 0;
}
