/* exec_fanout — Parallel and Map states: a fan-out of child frames whose
 * results are collected in order.
 *
 * Parallel starts every branch at once; Map starts at most MaxConcurrency
 * iterations (ENGINE_MAP_INLINE_MAX when 0, as inline Map in AWS) and
 * starts the next one when one ends. A child failing fails the state with
 * the child's error (the other children are aborted), unless the Map has a
 * tolerated failure threshold: then failures are counted and the state
 * fails with States.ExceedToleratedFailureThreshold once there are too
 * many; the failed items' results are {"Error", "Cause"}.
 *
 * With an ItemBatcher the iterations get batches of (selected) items.
 *
 * Children read the variables of the enclosing scope (they share its
 * object) and their own assignments stay in their own copy. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"
#include "jsonpath.h"

static void fanout_free(struct fanout *fan)
{
	size_t i;

	for (i = 0; i < fan->n; i++)
		if (fan->kids[i])
			frame_unref(fan->kids[i]);
	json_decref(fan->results);
	json_decref(fan->items);
	json_decref(fan->input);
	json_decref(fan->item_ctx);
	free(fan->kids);
	free(fan->failed_at);
	free(fan);
}

static struct fanout *fanout_new(struct frame *f, const struct asl_state *st, size_t n,
				 struct err *e)
{
	struct fanout *fan = calloc(1, sizeof *fan);
	size_t i;

	if (!fan)
		goto oom;
	fan->owner = f;
	fan->st = st;
	fan->is_map = st->type == ASL_MAP;
	fan->n = n;
	fan->kids = calloc(n ? n : 1, sizeof *fan->kids);
	fan->failed_at = fan->is_map ? calloc(n ? n : 1, 1) : NULL;
	fan->results = json_array();
	if (!fan->kids || !fan->results || (fan->is_map && !fan->failed_at))
		goto oom;
	for (i = 0; i < n; i++)
		if (json_array_append_new(fan->results, json_null()))
			goto oom;
	return fan;
oom:
	if (fan)
		fanout_free(fan);
	err_set(e, ERR_STATES_RUNTIME, "out of memory");
	return NULL;
}

static uint32_t fan_event(struct fanout *fan, enum history_type t, int32_t num)
{
	struct history_event ev = { .type = (uint16_t)t, .num = num, .num2 = -1 };

	if (!fan->owner->ex->hist)
		return 0;
	ev.name = fan->st->name;
	return exec_event(fan->owner, &ev);
}

/* An event on a child's path (MapIteration*). */
static void kid_event(struct frame *kid, enum history_type t)
{
	struct history_event ev = { .type = (uint16_t)t, .num = (int32_t)kid->index, .num2 = -1 };

	if (!kid->ex->hist)
		return;
	ev.name = kid->fan->st->name;
	exec_event(kid, &ev);
}

static void fanout_fail(struct fanout *fan, const struct err *e, bool own);

/* Start child i; false when that failed and the fan-out is gone. */
static bool start_child(struct fanout *fan, size_t i, const struct asl_machine *m,
			json_t *input_take, uint32_t prev)
{
	struct frame *owner = fan->owner;
	struct frame *kid = frame_new(owner->ex, m, input_take, owner->vars, fan, i);

	if (!kid) {
		struct err e;

		err_set(&e, ERR_STATES_RUNTIME, "out of memory");
		fanout_fail(fan, &e, false);
		return false;
	}
	kid->prev_event = prev;
	kid->path = jr_child_path(owner, i);
	fan->kids[i] = kid;
	fan->running++;
	if (fan->is_map)
		kid_event(kid, HIST_MAP_ITERATION_STARTED);
	exec_schedule(kid);
	jr_touch(kid);
	return true;
}

/* ItemSelector: a JSONata one must not be undefined as a whole; an
 * undefined member is named "ItemSelector/a/b" as in the other fields. */
static int jx_or_template(struct evalctx *ec, const struct asl_template *t, json_t **out,
			  struct err *e)
{
	if (t->kind == ASL_T_JSONATA)
		return jx_field(ec, t, "ItemSelector", out, e);
	ec->field = "ItemSelector";
	return ec_template(ec, t, out, e);
}

/* ---- Parallel ---------------------------------------------------------------------- */

enum run_step fanout_parallel(struct frame *f, const struct asl_state *st, json_t *eff)
{
	const struct asl_parallel *p = &st->parallel;
	struct fanout *fan;
	json_t *in = eff;
	struct err e;
	size_t i;

	err_clear(&e);
	if (st->parameters || st->arguments) {
		struct evalctx ec;
		int rc;

		ec_init(&ec, f, eff);
		rc = st->arguments ? jx_field(&ec, st->arguments, "Arguments", &in, &e)
				   : ec_template(&ec, st->parameters, &in, &e);
		ec_done(&ec);
		json_decref(eff);
		if (rc)
			return exec_state_error(f, st, &e);
	}
	fan = fanout_new(f, st, p->n_branches, &e);
	if (!fan) {
		json_decref(in);
		return exec_state_error(f, st, &e);
	}
	fan->input = in;
	fan->max_running = (uint32_t)p->n_branches;
	f->child = fan;
	f->status = FR_WAITING;
	fan->started_event = fan_event(fan, HIST_PARALLEL_STATE_STARTED, -1);
	jr_touch(f);
	for (i = 0; i < p->n_branches; i++) {
		fan->next = i + 1;
		if (!start_child(fan, i, p->branches[i], json_incref(in), fan->started_event))
			break;
	}
	return STEP_WAIT;
}

/* ---- Map ------------------------------------------------------------------------------ */

/* A non-negative integer from a literal or a ...Path field. */
static int map_number(struct frame *f, json_t *eff, const struct asl_path *p, bool integer,
		      double *out, struct err *e)
{
	struct evalctx ec;
	json_t *v = NULL;
	double d;
	int rc;

	ec_init(&ec, f, eff);
	rc = ec_path(&ec, p->jp, &v, e);
	ec_done(&ec);
	if (rc)
		return err_set(e, ERR_STATES_RUNTIME, "Invalid path '%.200s': it does not point to a value",
			       p->text);
	d = json_number_value(v);
	if (!json_is_number(v) || d < 0 || (integer && d != floor(d))) {
		json_decref(v);
		return err_set(e, ERR_STATES_RUNTIME, "'%.200s' must point to a non-negative %s",
			       p->text, integer ? "integer" : "number");
	}
	json_decref(v);
	*out = d;
	return 0;
}

static int map_limits(struct frame *f, const struct asl_map *mp, json_t *eff,
		      struct fanout *fan, struct err *e)
{
	double d;

	fan->max_running = mp->max_concurrency;
	if (mp->max_concurrency_expr) {
		struct evalctx ec;
		uint64_t n;
		int rc;

		ec_init(&ec, f, eff);
		rc = jx_seconds(&ec, mp->max_concurrency_expr, "MaxConcurrency", 0, 4000000000u, &n, e);
		ec_done(&ec);
		if (rc)
			return -1;
		fan->max_running = (uint32_t)n;
	} else if (mp->max_concurrency_path.mode == ASL_PATH_SET) {
		if (map_number(f, eff, &mp->max_concurrency_path, true, &d, e))
			return -1;
		fan->max_running = d > 4e9 ? 0 : (uint32_t)d;
	}
	if (!fan->max_running)
		fan->max_running = ENGINE_MAP_INLINE_MAX;
	fan->tolerated_pct = -1;
	fan->tolerated_count = UINT64_MAX;
	if (mp->tolerated_pct_expr || mp->tolerated_count_expr) {
		struct evalctx ec;
		uint64_t n = 0;
		json_t *v = NULL;
		int rc = 0;

		ec_init(&ec, f, eff);
		if (mp->tolerated_pct_expr) {
			rc = jx_field(&ec, mp->tolerated_pct_expr, "ToleratedFailurePercentage", &v, e);
			d = json_number_value(v);
			if (!rc && (!json_is_number(v) || d < 0 || d > 100))
				rc = err_set(e, ERR_STATES_QUERY_EVALUATION,
					     "The JSONata expression '%.200s' specified for the field 'ToleratedFailurePercentage' must return a number between 0 and 100",
					     mp->tolerated_pct_expr->expr.text);
			json_decref(v);
			if (!rc) {
				fan->tolerate = true;
				fan->tolerated_pct = d;
			}
		}
		if (!rc && mp->tolerated_count_expr &&
		    !(rc = jx_seconds(&ec, mp->tolerated_count_expr, "ToleratedFailureCount", 0,
				      99999999, &n, e))) {
			fan->tolerate = true;
			fan->tolerated_count = n;
		}
		ec_done(&ec);
		if (rc)
			return -1;
	}
	if (mp->has_tolerated_pct) {
		fan->tolerate = true;
		fan->tolerated_pct = mp->tolerated_pct;
	} else if (mp->tolerated_pct_path.mode == ASL_PATH_SET) {
		if (map_number(f, eff, &mp->tolerated_pct_path, false, &d, e))
			return -1;
		if (d > 100)
			return err_set(e, ERR_STATES_RUNTIME,
				       "ToleratedFailurePercentagePath must point to a number between 0 and 100");
		fan->tolerate = true;
		fan->tolerated_pct = d;
	}
	if (mp->has_tolerated_count) {
		fan->tolerate = true;
		fan->tolerated_count = mp->tolerated_count;
	} else if (mp->tolerated_count_path.mode == ASL_PATH_SET) {
		if (map_number(f, eff, &mp->tolerated_count_path, true, &d, e))
			return -1;
		fan->tolerate = true;
		fan->tolerated_count = (uint64_t)d;
	}
	/* Distributed maps always count failures against the threshold (0 by default). */
	if (mp->distributed && !fan->tolerate) {
		fan->tolerate = true;
		fan->tolerated_count = 0;
	}
	return 0;
}

/* ItemBatcher: a number from Name or NamePath (a reference path on the
 * Map's effective input), or in a JSONata state from Name's expression
 * `expr`; `def` when none is there. */
static int batcher_number(struct frame *f, json_t *eff, const char *name,
			  const struct asl_template *expr, double def, double *out, struct err *e)
{
	json_t *b = f->m->states[f->state].map.item_batcher, *v;
	char key[64];

	*out = def;
	if (expr) {
		struct evalctx ec;
		uint64_t n;
		int rc;

		ec_init(&ec, f, eff);
		rc = jx_seconds(&ec, expr, name, 1, UINT32_MAX, &n, e);
		ec_done(&ec);
		if (rc)
			return -1;
		*out = (double)n;
		return 0;
	}
	v = json_object_get(b, name);
	if (!v) {
		const char *path;
		struct jsonpath *jp;
		struct evalctx ec;
		int rc;

		snprintf(key, sizeof key, "%sPath", name);
		path = json_string_value(json_object_get(b, key));
		if (!path)
			return 0;
		jp = jsonpath_compile(path, JSONPATH_REFERENCE, e);
		if (!jp)
			return -1;
		ec_init(&ec, f, eff);
		rc = ec_path(&ec, jp, &v, e);
		ec_done(&ec);
		jsonpath_free(jp);
		if (rc)
			return err_set(e, ERR_STATES_RUNTIME, "ItemBatcher %s '%.200s' does not point to a value",
				       key, path);
		json_decref(v);   /* still referenced by eff */
	}
	if (!json_is_number(v) || json_number_value(v) < 1 ||
	    json_number_value(v) != floor(json_number_value(v)))
		return err_set(e, ERR_STATES_RUNTIME, "ItemBatcher %s must be a positive integer", name);
	*out = json_number_value(v);
	return 0;
}

/* ItemBatcher: the items (after ItemSelector) grouped into batches
 * {"Items": [...], "BatchInput": ...} of at most MaxItemsPerBatch items
 * and MaxInputBytesPerBatch bytes; the batches are what the iterations get. */
static int map_batches(struct frame *f, const struct asl_map *mp, json_t *eff, json_t *items,
		       json_t **out, struct err *e)
{
	json_t *batches = json_array(), *cur = NULL, *bi = NULL;
	double max_items, max_bytes;
	size_t i, bytes = 0;

	*out = NULL;
	if (!batches)
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	if (batcher_number(f, eff, "MaxItemsPerBatch", mp->batch_max_items_expr, 1e18, &max_items, e) ||
	    batcher_number(f, eff, "MaxInputBytesPerBatch", mp->batch_max_bytes_expr, ENGINE_DATA_MAX,
			   &max_bytes, e))
		goto fail;
	if (mp->batch_input_expr) {
		struct evalctx ec;
		int rc;

		ec_init(&ec, f, eff);
		rc = jx_field(&ec, mp->batch_input_expr, "BatchInput", &bi, e);
		ec_done(&ec);
		if (rc)
			goto fail;
		if (!json_is_object(bi)) {
			err_set(e, ERR_STATES_QUERY_EVALUATION,
				"The JSONata expression specified for the field 'BatchInput' must return an object");
			goto fail;
		}
	} else {
		bi = json_incref(json_object_get(mp->item_batcher, "BatchInput"));
	}
	for (i = 0; i < json_array_size(items); i++) {
		struct map_item item = { .index = i, .value = json_array_get(items, i) };
		json_t *sel;
		size_t sz;

		if (mp->item_selector) {
			struct evalctx ec;
			int rc;

			ec_init(&ec, f, eff);
			ec.item = &item;
			rc = jx_or_template(&ec, mp->item_selector, &sel, e);
			ec_done(&ec);
			if (rc)
				goto fail;
		} else {
			sel = json_incref(item.value);
		}
		sz = io_size(sel, ENGINE_DATA_MAX) + 1;
		if (cur && ((double)json_array_size(cur) >= max_items || (double)(bytes + sz) > max_bytes))
			cur = NULL;
		if (!cur) {
			json_t *batch = bi ? json_pack("{s:[], s:O}", "Items", "BatchInput", bi)
					   : json_pack("{s:[]}", "Items");

			if (!batch || json_array_append_new(batches, batch)) {
				json_decref(sel);
				err_set(e, ERR_STATES_RUNTIME, "out of memory");
				goto fail;
			}
			cur = json_object_get(batch, "Items");
			bytes = 0;
		}
		bytes += sz;
		json_array_append_new(cur, sel);
	}
	json_decref(bi);
	*out = batches;
	return 0;
fail:
	json_decref(bi);
	json_decref(batches);
	return -1;
}

/* Start iteration fan->next (ItemSelector evaluated here, per item);
 * false when the Map state failed and the fan-out is gone. */
static bool map_start_next(struct fanout *fan)
{
	struct frame *owner = fan->owner;
	const struct asl_map *mp = &fan->st->map;
	size_t i = fan->next++;
	struct map_item item = { .index = i, .value = json_array_get(fan->items, i),
				 .cache = &fan->item_ctx };
	json_t *in;

	if (mp->item_selector && !mp->item_batcher) {
		struct evalctx ec;
		struct err e;
		int rc;

		ec_init(&ec, owner, fan->input);
		ec.item = &item;
		rc = jx_or_template(&ec, mp->item_selector, &in, &e);
		ec_done(&ec);
		if (rc) {
			fanout_fail(fan, &e, true);   /* the Map state fails */
			return false;
		}
	} else {
		in = json_incref(item.value);
	}
	return start_child(fan, i, mp->processor, in, fan->started_event);
}

static void fanout_complete(struct fanout *fan)
{
	struct frame *owner = fan->owner;
	json_t *results = NULL;
	struct err e;
	int rc = 0;

	fan->ended = true;
	fan_event(fan, fan->is_map ? HIST_MAP_STATE_SUCCEEDED : HIST_PARALLEL_STATE_SUCCEEDED, -1);
	owner->child = NULL;
	jr_delete_under(owner);
	if (fan->is_map && fan->st->map.result_writer)
		rc = writer_results(fan, &results, &e);   /* 1: written to S3 first */
	else
		results = json_incref(fan->results);
	fanout_free(fan);
	if (rc < 0)
		exec_resume_error(owner, &e);
	else if (rc == 0)
		exec_resume_result(owner, results);
}

/* Start iterations up to the concurrency limit; false when the fan-out
 * is gone (failed or completed). */
static bool map_fill(struct fanout *fan)
{
	while (fan->next < fan->n && fan->running < fan->max_running)
		if (!map_start_next(fan))
			return false;
	if (fan->done == fan->n) {
		fanout_complete(fan);
		return false;
	}
	return true;
}

enum run_step fanout_map(struct frame *f, const struct asl_state *st, json_t *eff)
{
	const struct asl_map *mp = &st->map;
	json_t *items = NULL;
	struct err e;

	err_clear(&e);
	if (mp->item_reader)
		return reader_start(f, st, eff);   /* fanout_map_items when read */
	if (mp->items) {
		struct evalctx ec;
		int rc;

		ec_init(&ec, f, eff);
		rc = jx_field(&ec, mp->items, "Items", &items, &e);
		ec_done(&ec);
		if (rc)
			goto fail;
		if (!json_is_array(items)) {
			err_set(&e, ERR_STATES_QUERY_EVALUATION,
				"The JSONata expression '%.200s' specified for the field 'Items' must return an array",
				mp->items->expr.text ? mp->items->expr.text : "");
			goto fail;
		}
	} else if (mp->items_path.mode == ASL_PATH_SET && !mp->items_path.is_root) {
		struct evalctx ec;
		int rc;

		ec_init(&ec, f, eff);
		rc = ec_path(&ec, mp->items_path.jp, &items, &e);
		ec_done(&ec);
		if (rc) {
			err_set(&e, ERR_STATES_RUNTIME, "Invalid path '%.200s': it does not point to a value",
				mp->items_path.text);
			goto fail;
		}
	} else {
		items = json_incref(eff);
	}
	if (!json_is_array(items)) {
		err_set(&e, ERR_STATES_RUNTIME,
			"The Map state's items (ItemsPath '%.200s') must be an array",
			mp->items_path.text ? mp->items_path.text : "$");
		goto fail;
	}
	if (fanout_map_items(f, st, eff, items, &e))
		return exec_state_error(f, st, &e);
	return STEP_WAIT;
fail:
	json_decref(items);
	json_decref(eff);
	return exec_state_error(f, st, &e);
}

int fanout_map_items(struct frame *f, const struct asl_state *st, json_t *eff, json_t *items,
		     struct err *e)
{
	const struct asl_map *mp = &st->map;
	struct fanout *fan = NULL;

	if (mp->item_batcher) {
		json_t *batches;

		if (map_batches(f, mp, eff, items, &batches, e))
			goto fail;
		json_decref(items);
		items = batches;
	}
	fan = fanout_new(f, st, json_array_size(items), e);
	if (!fan || map_limits(f, mp, eff, fan, e))
		goto fail;
	fan->items = items;
	fan->input = eff;
	f->child = fan;
	f->status = FR_WAITING;
	fan->started_event = fan_event(fan, HIST_MAP_STATE_STARTED, (int32_t)fan->n);
	jr_touch(f);
	/* Iterations run later (queued); an empty Map completes right away and
	 * resumes (schedules) this frame. */
	map_fill(fan);
	return 0;
fail:
	if (fan) {
		fan->items = NULL;
		fanout_free(fan);
	}
	json_decref(items);
	json_decref(eff);
	return -1;
}

/* ---- children ending ------------------------------------------------------------------- */

void fanout_abort(struct fanout *fan, bool events)
{
	size_t i;

	fan->ended = true;
	fan->owner->child = NULL;
	jr_delete_under(fan->owner);
	for (i = 0; i < fan->n; i++) {
		struct frame *kid = fan->kids[i];

		if (!kid)
			continue;
		if (events && fan->is_map && kid->status != FR_DONE)
			kid_event(kid, HIST_MAP_ITERATION_ABORTED);
		frame_abort(kid, events);
	}
	fanout_free(fan);
}

/* The fan-out failed: abort the rest, fail the state with `e` (own: an
 * error of the Map's own evaluation, not a child's); frees fan. */
static void fanout_fail(struct fanout *fan, const struct err *e, bool own)
{
	struct frame *owner = fan->owner;
	bool is_map = fan->is_map;

	fan->ended = true;
	owner->child = NULL;
	fanout_abort(fan, true);   /* frees fan */
	if (owner->ex->hist) {
		struct history_event ev = { .num = -1, .num2 = -1 };

		ev.type = is_map ? HIST_MAP_STATE_FAILED : HIST_PARALLEL_STATE_FAILED;
		ev.name = owner->m->states[owner->state].name;
		exec_event(owner, &ev);
	}
	if (own)
		exec_resume_own_error(owner, e);
	else
		exec_resume_error(owner, e);
}

void fanout_child_done(struct frame *kid, json_t *output)
{
	struct fanout *fan = kid->fan;
	size_t i = kid->index;

	if (fan->ended || fan->kids[i] != kid) {
		json_decref(output);
		return;
	}
	json_array_set_new(fan->results, i, output);
	if (fan->is_map)
		kid_event(kid, HIST_MAP_ITERATION_SUCCEEDED);
	if (kid->ex->journaled)
		jr_put_now(kid, json_pack("{s:s, s:O, s:I}", "k", "done", "out", output, "pe",
					  (json_int_t)kid->prev_event));
	fan->kids[i] = NULL;
	fan->running--;
	fan->done++;
	frame_unref(kid);
	if (fan->is_map)
		map_fill(fan);
	else if (fan->done == fan->n)
		fanout_complete(fan);
}

static bool over_threshold(const struct fanout *fan)
{
	if (fan->failed > fan->tolerated_count)
		return true;
	return fan->tolerated_pct >= 0 && fan->n &&
	       (double)fan->failed * 100.0 / (double)fan->n > fan->tolerated_pct;
}

void fanout_child_failed(struct frame *kid, const struct err *e)
{
	struct fanout *fan = kid->fan;
	size_t i = kid->index;

	if (fan->ended || fan->kids[i] != kid)
		return;
	if (fan->is_map)
		kid_event(kid, HIST_MAP_ITERATION_FAILED);
	fan->kids[i] = NULL;
	fan->running--;
	frame_unref(kid);
	if (fan->is_map && fan->tolerate) {
		fan->failed_at[i] = 1;
		fan->failed++;
		fan->done++;
		json_array_set_new(fan->results, i,
				   json_pack("{s:s, s:s}", "Error", e->type, "Cause", e->msg));
		if (kid->ex->journaled)
			jr_put_now(kid, json_pack("{s:s, s:O}", "k", "failed", "err",
						  json_array_get(fan->results, i)));
		if (over_threshold(fan)) {
			struct err x;

			err_set(&x, ERR_STATES_EXCEED_TOLERATED,
				"The specified tolerated failure threshold was exceeded (%zu of %zu items failed)",
				fan->failed, fan->n);
			fanout_fail(fan, &x, false);
			return;
		}
		map_fill(fan);
		return;
	}
	fanout_fail(fan, e, false);
}

/* ---- durability ------------------------------------------------------------------------ */

json_t *fanout_row(const struct fanout *fan)
{
	json_t *r = json_pack("{s:I, s:I, s:I, s:b, s:f, s:I}", "n", (json_int_t)fan->n, "max",
			      (json_int_t)fan->max_running, "se", (json_int_t)fan->started_event,
			      "tol", fan->tolerate, "tp", fan->tolerated_pct, "tc",
			      (json_int_t)(fan->tolerated_count > INT64_MAX ? -1
							   : (int64_t)fan->tolerated_count));

	if (!r)
		return NULL;
	if (fan->items)
		json_object_set_nocheck(r, "items", fan->items);
	if (fan->input)
		json_object_set_nocheck(r, "input", fan->input);
	return r;
}

int fanout_restore(struct frame *f, const struct asl_state *st, json_t *row, struct err *e)
{
	json_t *d = json_object_get(row, "fan"), *tc;
	struct fanout *fan;
	size_t i, n;

	if (!json_is_object(d) || (st->type != ASL_MAP && st->type != ASL_PARALLEL))
		return err_set(e, ERR_STATES_RUNTIME, "resume: no fan-out at '%.100s'", f->path);
	n = (size_t)json_integer_value(json_object_get(d, "n"));
	if (st->type == ASL_PARALLEL ? n != st->parallel.n_branches
				     : json_array_size(json_object_get(d, "items")) != n)
		return err_set(e, ERR_STATES_RUNTIME, "resume: the fan-out at '%.100s' does not fit",
			       f->path);
	fan = fanout_new(f, st, n, e);
	if (!fan)
		return -1;
	fan->items = json_incref(json_object_get(d, "items"));
	fan->input = json_incref(json_object_get(d, "input"));
	fan->max_running = (uint32_t)json_integer_value(json_object_get(d, "max"));
	if (!fan->max_running)
		fan->max_running = ENGINE_MAP_INLINE_MAX;
	fan->started_event = (uint32_t)json_integer_value(json_object_get(d, "se"));
	fan->tolerate = json_is_true(json_object_get(d, "tol"));
	fan->tolerated_pct = json_number_value(json_object_get(d, "tp"));
	tc = json_object_get(d, "tc");
	fan->tolerated_count = json_integer_value(tc) < 0 ? UINT64_MAX
							  : (uint64_t)json_integer_value(tc);
	f->child = fan;
	f->status = FR_WAITING;
	for (i = 0; i < n; i++) {
		char *p = jr_child_path(f, i);
		json_t *kr = p ? jr_row(f->ex, p) : NULL;
		const char *k = json_string_value(json_object_get(kr, "k"));

		if (!p) {
			err_set(e, ERR_STATES_RUNTIME, "out of memory");
			goto fail;
		}
		if (!kr) {            /* not started when the checkpoint was taken */
			free(p);
			continue;
		}
		fan->next = i + 1;
		if (k && !strcmp(k, "done")) {
			json_array_set(fan->results, i, json_object_get(kr, "out"));
			fan->done++;
		} else if (k && !strcmp(k, "failed")) {
			json_array_set(fan->results, i, json_object_get(kr, "err"));
			if (fan->failed_at)
				fan->failed_at[i] = 1;
			fan->done++;
			fan->failed++;
		} else {
			const struct asl_machine *m = fan->is_map ? st->map.processor
								  : st->parallel.branches[i];
			struct frame *kid = jr_restore_frame(f->ex, m, p, fan, i, e);

			if (!kid) {
				free(p);
				goto fail;
			}
			fan->kids[i] = kid;
			fan->running++;
		}
		free(p);
	}
	if (!fan->is_map) {
		/* Parallel starts every branch at once: none can be missing. */
		if (fan->done + fan->running != n) {
			err_set(e, ERR_STATES_RUNTIME, "resume: branches missing at '%.100s'", f->path);
			goto fail;
		}
		if (fan->done == n)
			fanout_complete(fan);
		return 0;
	}
	map_fill(fan);
	return 0;
fail:
	f->child = NULL;
	fanout_free(fan);
	return -1;
}
