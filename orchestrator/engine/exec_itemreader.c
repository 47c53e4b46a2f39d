/* exec_itemreader — a Map state whose items come from an ItemReader (an S3
 * object or an S3 listing) instead of its input.
 *
 * The read is I/O, so it never runs on the loop thread: the reader's
 * Parameters (JSONPath) or Arguments (JSONata) and MaxItems are evaluated
 * here, then the read goes to the integration that serves the reader's
 * Resource as a task call (task_start_reader) and the frame waits. The
 * integration answers with the array of items (s3_items.c parses the
 * object); reader_done checks each item's size and starts the iterations
 * as for items from the input (fanout_map_items: ItemSelector, ItemBatcher,
 * MapStateStarted with the count). A failed read is the state's error
 * (States.ItemReaderFailed), which Retry and Catch see.
 *
 * Durability: while the read is in flight the frame's row is a Task in
 * flight ("task"); a resumed execution runs the Map state again, which
 * reads again. */
#include <math.h>
#include <stdlib.h>

#include "exec_internal.h"

/* MaxItems: a literal, MaxItemsPath (JSONPath) or an expression (JSONata). */
static int reader_max(struct frame *f, const struct asl_item_reader *r, json_t *eff,
		      uint64_t *out, struct err *e)
{
	struct evalctx ec;
	json_t *v = NULL;
	int rc = 0;

	*out = r->max_items;
	if (!r->max_items_expr && r->max_items_path.mode != ASL_PATH_SET)
		return 0;
	ec_init(&ec, f, eff);
	if (r->max_items_expr) {
		rc = jx_seconds(&ec, r->max_items_expr, "MaxItems", 0, 100000000, out, e);
	} else if (ec_path(&ec, r->max_items_path.jp, &v, e)) {
		rc = err_set(e, ERR_STATES_RUNTIME,
			     "Invalid path '%.200s': it does not point to a value (ItemReader MaxItemsPath)",
			     r->max_items_path.text);
	} else if (!json_is_number(v) || json_number_value(v) < 0 ||
		   json_number_value(v) != floor(json_number_value(v)) ||
		   json_number_value(v) > 100000000) {
		rc = err_set(e, ERR_STATES_RUNTIME,
			     "ItemReader MaxItemsPath '%.200s' must point to an integer between 0 and 100000000",
			     r->max_items_path.text);
	} else {
		*out = (uint64_t)json_number_value(v);
	}
	json_decref(v);
	ec_done(&ec);
	return rc;
}

enum run_step reader_start(struct frame *f, const struct asl_state *st, json_t *eff)
{
	const struct asl_item_reader *r = st->map.item_reader;
	json_t *params = NULL;
	struct evalctx ec;
	uint64_t max = 0;
	struct err e;
	int rc;

	err_clear(&e);
	ec_init(&ec, f, eff);
	rc = st->jsonata ? jx_field(&ec, r->params, "Arguments", &params, &e)
			 : ec_template(&ec, r->params, &params, &e);
	ec_done(&ec);
	if (rc)
		goto fail;
	if (!json_is_object(params)) {
		err_set(&e, ERR_STATES_RUNTIME, "The ItemReader's %s must be an object (Bucket, Key or Prefix)",
			st->jsonata ? "Arguments" : "Parameters");
		goto fail;
	}
	if (reader_max(f, r, eff, &max, &e))
		goto fail;
	rc = task_start_mapio(f, st, r, NULL, params, max, &e);
	params = NULL;
	if (rc)
		goto fail;
	f->eff = eff;   /* the Map's effective input, for ItemSelector & co. */
	f->status = FR_WAITING;
	jr_touch(f);
	return STEP_WAIT;
fail:
	json_decref(params);
	json_decref(eff);
	return exec_state_error(f, st, &e);
}

void reader_done(struct frame *f, json_t *items, const struct err *e)
{
	const struct asl_state *st = &f->m->states[f->state];
	json_t *eff = f->eff;
	struct err x;
	size_t i;

	f->eff = NULL;
	if (e || !json_is_array(items)) {
		if (!e)
			err_set(&x, ERR_STATES_ITEM_READER_FAILED, "the reader returned no array of items");
		json_decref(items);
		json_decref(eff);
		exec_resume_error(f, e ? e : &x);
		return;
	}
	/* Each item is one iteration's input: the state data limit applies. */
	for (i = 0; i < json_array_size(items); i++)
		if (io_size(json_array_get(items, i), ENGINE_DATA_MAX) > ENGINE_DATA_MAX) {
			err_set(&x, ERR_STATES_ITEM_READER_FAILED,
				"item %zu read by the ItemReader is larger than the maximum of %d bytes", i,
				ENGINE_DATA_MAX);
			json_decref(items);
			json_decref(eff);
			exec_resume_error(f, &x);
			return;
		}
	if (!eff)
		eff = json_object();
	if (fanout_map_items(f, st, eff, items, &x)) {
		exec_resume_error(f, &x);
		return;
	}
}
