/* asl_parse_map — the Map state's fields: the item processor and its
 * ProcessorConfig, ItemsPath/Items, ItemSelector, MaxConcurrency and the
 * tolerated failure thresholds, ItemBatcher and ItemReader (an S3 object
 * or listing as the items; the engine reads it, exec_fanout.c, through an
 * integration). Split from asl_parse.c, which calls asl_parse_map. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asl_internal.h"
#include "jsonpath.h"

#define GET(id) (&f[F_##id])
#define NAME(id) (asl_field_name(F_##id))

static bool processor_config(struct asl_ctx *c, const struct asl_found *pc, struct asl_map *map)
{
	static const char *const names[] = { "Mode", "ExecutionType" };
	struct asl_found f[2];
	const char *s;
	bool ok = true;

	if (!json_is_object(pc->v)) {
		asl_problem_at(c, "ProcessorConfig", pc->pos, "must be an object");
		return false;
	}
	asl_push_key(c, "ProcessorConfig", pc->pos);
	asl_scan(c, pc->v, names, 2, NULL, f);
	if (f[0].v) {
		if (!asl_get_string(c, "Mode", &f[0], &s)) {
			ok = false;
		} else if (!strcmp(s, "DISTRIBUTED")) {
			map->distributed = true;
		} else if (strcmp(s, "INLINE")) {
			asl_problem_at(c, "Mode", f[0].pos, "must be \"INLINE\" or \"DISTRIBUTED\"");
			ok = false;
		}
	}
	if (f[1].v) {
		if (!asl_get_string(c, "ExecutionType", &f[1], &s)) {
			ok = false;
		} else if (!strcmp(s, "EXPRESS")) {
			map->express = true;
		} else if (strcmp(s, "STANDARD")) {
			asl_problem_at(c, "ExecutionType", f[1].pos, "must be \"STANDARD\" or \"EXPRESS\"");
			ok = false;
		}
		if (ok && !map->distributed) {
			asl_problem_at(c, "ExecutionType", f[1].pos, "only allowed with Mode \"DISTRIBUTED\"");
			ok = false;
		}
	} else if (map->distributed) {
		asl_problem(c, "missing required field 'ExecutionType' (required with Mode \"DISTRIBUTED\")");
		ok = false;
	}
	asl_pop(c);
	return ok;
}

static bool map_limits(struct asl_ctx *c, const struct asl_found *f, struct asl_map *mp)
{
	bool ok = true;
	const char *s;

	ok = asl_exclusive(c, NAME(MAX_CONCURRENCY), GET(MAX_CONCURRENCY),
			   NAME(MAX_CONCURRENCY_PATH), GET(MAX_CONCURRENCY_PATH)) && ok;
	ok = asl_exclusive(c, NAME(TOLERATED_PCT), GET(TOLERATED_PCT),
			   NAME(TOLERATED_PCT_PATH), GET(TOLERATED_PCT_PATH)) && ok;
	ok = asl_exclusive(c, NAME(TOLERATED_COUNT), GET(TOLERATED_COUNT),
			   NAME(TOLERATED_COUNT_PATH), GET(TOLERATED_COUNT_PATH)) && ok;
	if (GET(MAX_CONCURRENCY)->v)
		ok = asl_get_uint(c, NAME(MAX_CONCURRENCY), GET(MAX_CONCURRENCY), 0,
				  ASL_SECONDS_MAX, &mp->max_concurrency) && ok;
	if (GET(MAX_CONCURRENCY_PATH)->v)
		ok = asl_get_path(c, NAME(MAX_CONCURRENCY_PATH), GET(MAX_CONCURRENCY_PATH),
				  JSONPATH_REFERENCE, false, false, &mp->max_concurrency_path) && ok;
	if (GET(TOLERATED_PCT)->v) {
		json_t *v = GET(TOLERATED_PCT)->v;
		double d = json_number_value(v);

		if (!json_is_number(v) || !(d >= 0 && d <= 100)) {
			asl_problem_at(c, NAME(TOLERATED_PCT), GET(TOLERATED_PCT)->pos,
				       "must be a number between 0 and 100");
			ok = false;
		} else {
			mp->has_tolerated_pct = true;
			mp->tolerated_pct = d;
		}
	}
	if (GET(TOLERATED_PCT_PATH)->v)
		ok = asl_get_path(c, NAME(TOLERATED_PCT_PATH), GET(TOLERATED_PCT_PATH),
				  JSONPATH_REFERENCE, false, false, &mp->tolerated_pct_path) && ok;
	if (GET(TOLERATED_COUNT)->v) {
		mp->has_tolerated_count = asl_get_uint(c, NAME(TOLERATED_COUNT), GET(TOLERATED_COUNT),
						       0, ASL_SECONDS_MAX, &mp->tolerated_count);
		ok = mp->has_tolerated_count && ok;
	}
	if (GET(TOLERATED_COUNT_PATH)->v)
		ok = asl_get_path(c, NAME(TOLERATED_COUNT_PATH), GET(TOLERATED_COUNT_PATH),
				  JSONPATH_REFERENCE, false, false, &mp->tolerated_count_path) && ok;
	if (GET(LABEL)->v) {
		if (!asl_get_string(c, NAME(LABEL), GET(LABEL), &s)) {
			ok = false;
		} else if (strlen(s) > 40) {
			asl_problem_at(c, NAME(LABEL), GET(LABEL)->pos, "must be at most 40 characters");
			ok = false;
		} else {
			mp->label = s;
		}
	}
	return ok;
}

/* ---- ItemBatcher --------------------------------------------------------------- */

/* MaxItemsPerBatch, MaxInputBytesPerBatch (numbers, or in a JSONPath state
 * ...Path) and BatchInput; in a JSONata state the three may be "{% %}". */
static bool item_batcher(struct asl_ctx *c, const struct asl_found *fb, struct asl_state *st)
{
	static const char *const names[] = { "MaxItemsPerBatch", "MaxItemsPerBatchPath",
					     "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath",
					     "BatchInput" };
	struct asl_map *mp = &st->map;
	struct asl_found f[5];
	bool ok = true;

	if (!json_is_object(fb->v)) {
		asl_problem_at(c, "ItemBatcher", fb->pos, "must be an object");
		return false;
	}
	mp->item_batcher = fb->v;
	asl_push_key(c, "ItemBatcher", fb->pos);
	asl_scan(c, fb->v, names, 5, NULL, f);
	for (size_t k = 0; k < 4; k += 2) {
		struct asl_template **dst = k ? &mp->batch_max_bytes_expr : &mp->batch_max_items_expr;
		uint32_t n;

		if (st->jsonata && f[k + 1].v) {
			asl_problem_at(c, names[k + 1], f[k + 1].pos,
				       "is not allowed in a JSONata state (use '%s' with a \"{%% ... %%}\" expression)",
				       names[k]);
			ok = false;
			continue;
		}
		ok = asl_exclusive(c, names[k], &f[k], names[k + 1], &f[k + 1]) && ok;
		if (f[k].v && st->jsonata && !asl_get_jexpr(c, names[k], &f[k], dst)) {
			ok = false;
			continue;
		}
		if (f[k].v && !*dst)
			ok = asl_get_uint(c, names[k], &f[k], 1, UINT32_MAX, &n) && ok;
		if (f[k + 1].v) {
			struct asl_path p = { 0 };

			ok = asl_get_path(c, names[k + 1], &f[k + 1], JSONPATH_REFERENCE, false, false,
					  &p) && ok;
		}
	}
	if (f[4].v && !json_is_object(f[4].v) &&
	    !(st->jsonata && json_is_string(f[4].v) && asl_is_jx(json_string_value(f[4].v)))) {
		asl_problem_at(c, names[4], f[4].pos, st->jsonata ? "must be an object or a \"{%% ... %%}\" expression"
							       : "must be an object");
		ok = false;
	} else if (f[4].v && st->jsonata &&
		   !(mp->batch_input_expr = asl_get_jtemplate(c, names[4], &f[4], false))) {
		ok = false;
	}
	asl_pop(c);
	return ok;
}

/* ---- ItemReader --------------------------------------------------------------- */

static const char *const input_types[] = { "JSON", "JSONL", "CSV", "MANIFEST", "PARQUET" };
static const struct {
	const char *name;
	char c;
} delimiters[] = {
	{ "COMMA", ',' }, { "PIPE", '|' }, { "SEMICOLON", ';' }, { "SPACE", ' ' }, { "TAB", '\t' },
};

/* ReaderConfig: InputType, CSVHeaderLocation, CSVHeaders, CSVDelimiter,
 * MaxItems (JSONata: may be "{% %}"), MaxItemsPath (JSONPath). */
static bool reader_config(struct asl_ctx *c, const struct asl_found *fc, struct asl_item_reader *r,
			  bool jsonata)
{
	static const char *const names[] = { "InputType", "CSVHeaderLocation", "CSVHeaders",
					     "CSVDelimiter", "MaxItems", "MaxItemsPath" };
	struct asl_found f[6];
	const char *s;
	bool ok = true, input_set = false;
	size_t i;

	if (!json_is_object(fc->v)) {
		asl_problem_at(c, "ReaderConfig", fc->pos, "must be an object");
		return false;
	}
	asl_push_key(c, "ReaderConfig", fc->pos);
	asl_scan(c, fc->v, names, 6, NULL, f);
	if (f[0].v && asl_get_string(c, names[0], &f[0], &s)) {
		for (i = 0; i < 5 && strcmp(s, input_types[i]); i++)
			;
		if (i == 5) {
			asl_problem_at(c, names[0], f[0].pos,
				       "must be \"JSON\", \"JSONL\", \"CSV\", \"MANIFEST\" or \"PARQUET\"");
			ok = false;
		} else {
			r->input = (enum asl_reader_input)i;
			input_set = true;
		}
	} else if (f[0].v) {
		ok = false;
	}
	if (r->list && f[0].v) {
		asl_problem_at(c, names[0], f[0].pos,
			       "is not used with s3:listObjectsV2 (the items are the objects listed)");
		ok = false;
	} else if (!r->list && !f[0].v) {
		asl_problem(c, "missing required field 'InputType' (JSON, JSONL, CSV, MANIFEST or PARQUET)");
		ok = false;
	}
	if (f[1].v && asl_get_string(c, names[1], &f[1], &s)) {
		if (!strcmp(s, "GIVEN"))
			r->csv_given = true;
		else if (strcmp(s, "FIRST_ROW")) {
			asl_problem_at(c, names[1], f[1].pos, "must be \"FIRST_ROW\" or \"GIVEN\"");
			ok = false;
		}
	} else if (f[1].v) {
		ok = false;
	}
	if (f[2].v) {
		size_t n = json_array_size(f[2].v);

		if (!r->csv_given) {
			asl_problem_at(c, names[2], f[2].pos,
				       "only allowed with CSVHeaderLocation \"GIVEN\"");
			ok = false;
		} else if (!json_is_array(f[2].v) || !n || n > ASL_CSV_HEADERS_MAX) {
			asl_problem_at(c, names[2], f[2].pos,
				       "must be a non-empty array of at most %d strings", ASL_CSV_HEADERS_MAX);
			ok = false;
		} else if ((r->headers = asl_alloc(c, n, sizeof *r->headers))) {
			r->n_headers = n;
			for (i = 0; i < n; i++)
				if (!(r->headers[i] = json_string_value(json_array_get(f[2].v, i)))) {
					asl_problem_at(c, names[2], f[2].pos, "item %zu must be a string", i);
					ok = false;
					break;
				}
		} else {
			ok = false;
		}
	} else if (r->csv_given) {
		asl_problem(c, "missing required field 'CSVHeaders' (required with CSVHeaderLocation \"GIVEN\")");
		ok = false;
	}
	r->delimiter = ',';
	if (f[3].v && asl_get_string(c, names[3], &f[3], &s)) {
		for (i = 0; i < 5 && strcmp(s, delimiters[i].name); i++)
			;
		if (i == 5) {
			asl_problem_at(c, names[3], f[3].pos,
				       "must be \"COMMA\", \"PIPE\", \"SEMICOLON\", \"SPACE\" or \"TAB\"");
			ok = false;
		} else {
			r->delimiter = delimiters[i].c;
		}
	} else if (f[3].v) {
		ok = false;
	}
	if ((f[1].v || f[3].v) && input_set && r->input != ASL_READ_CSV) {
		asl_problem_at(c, f[1].v ? names[1] : names[3], f[1].v ? f[1].pos : f[3].pos,
			       "only allowed with InputType \"CSV\"");
		ok = false;
	}
	if (jsonata && f[5].v) {
		asl_problem_at(c, names[5], f[5].pos,
			       "is not allowed in a JSONata state (use 'MaxItems' with a \"{%% ... %%}\" expression)");
		ok = false;
	}
	ok = asl_exclusive(c, names[4], &f[4], names[5], &f[5]) && ok;
	if (f[4].v && jsonata && !asl_get_jexpr(c, names[4], &f[4], &r->max_items_expr))
		ok = false;
	else if (f[4].v && !r->max_items_expr)
		ok = asl_get_uint(c, names[4], &f[4], 0, 100000000, &r->max_items) && ok;
	if (f[5].v && !jsonata)
		ok = asl_get_path(c, names[5], &f[5], JSONPATH_REFERENCE, false, false,
				  &r->max_items_path) && ok;
	asl_pop(c);
	return ok;
}

static bool item_reader(struct asl_ctx *c, const struct asl_found *fr, struct asl_state *st)
{
	static const char *const names[] = { "Resource", "ReaderConfig", "Parameters", "Arguments" };
	struct asl_item_reader *r;
	struct asl_found f[4];
	bool ok = true;

	if (!json_is_object(fr->v)) {
		asl_problem_at(c, "ItemReader", fr->pos, "must be an object");
		return false;
	}
	r = asl_alloc(c, 1, sizeof *r);
	if (!r)
		return false;
	asl_push_key(c, "ItemReader", fr->pos);
	asl_scan(c, fr->v, names, 4, NULL, f);
	if (!f[0].v) {
		asl_problem(c, "missing required field 'Resource'");
		ok = false;
	} else if (asl_get_resource(c, &f[0], &r->task)) {
		const struct asl_task *t = &r->task;

		if (t->kind != ASL_RES_SERVICE || strcmp(t->service, "s3") ||
		    t->pattern != ASL_INVOKE_RESPONSE || strncmp(t->canonical, "arn:aws:states:::s3:", 20) ||
		    (strcmp(t->action, "getObject") && strcmp(t->action, "listObjectsV2"))) {
			asl_problem_at(c, names[0], f[0].pos,
				       "must be \"arn:aws:states:::s3:getObject\" or \"arn:aws:states:::s3:listObjectsV2\" (the item sources tutti reads)");
			ok = false;
		} else {
			r->list = !strcmp(t->action, "listObjectsV2");
		}
	} else {
		ok = false;
	}
	if (ok && f[1].v)
		ok = reader_config(c, &f[1], r, st->jsonata);
	else if (ok && !r->list) {
		asl_problem(c, "missing required field 'ReaderConfig' (its InputType says how to read the object)");
		ok = false;
	}
	if (st->jsonata && f[2].v) {
		asl_problem_at(c, names[2], f[2].pos,
			       "is not allowed in a JSONata state (use 'Arguments')");
		ok = false;
	} else if (!st->jsonata && f[3].v) {
		asl_problem_at(c, names[3], f[3].pos,
			       "is only allowed in a JSONata state (use 'Parameters')");
		ok = false;
	} else if (!f[2].v && !f[3].v) {
		asl_problem(c, "missing required field '%s' (Bucket, and Key or Prefix)",
			    st->jsonata ? "Arguments" : "Parameters");
		ok = false;
	} else {
		const struct asl_found *p = st->jsonata ? &f[3] : &f[2];

		if (!json_is_object(p->v) && !(st->jsonata && json_is_string(p->v))) {
			asl_problem_at(c, names[st->jsonata ? 3 : 2], p->pos, "must be an object");
			ok = false;
		} else if (!(r->params = st->jsonata ? asl_get_jtemplate(c, names[3], p, false)
						     : asl_get_template(c, names[2], p, false))) {
			ok = false;
		}
	}
	asl_pop(c);
	if (ok)
		st->map.item_reader = r;
	return ok;
}

/* ---- ResultWriter --------------------------------------------------------------- */

/* Resource (s3:putObject) with Parameters/Arguments (Bucket, Prefix), and
 * WriterConfig (Transformation, OutputType): at least one of the two sets. */
static bool result_writer(struct asl_ctx *c, const struct asl_found *fw, struct asl_state *st)
{
	static const char *const names[] = { "Resource", "Parameters", "Arguments", "WriterConfig" };
	static const char *const wnames[] = { "Transformation", "OutputType" };
	struct asl_found f[4], w[2];
	struct asl_result_writer *rw;
	const char *s;
	bool ok = true;

	if (!json_is_object(fw->v)) {
		asl_problem_at(c, "ResultWriter", fw->pos, "must be an object");
		return false;
	}
	rw = asl_alloc(c, 1, sizeof *rw);
	if (!rw)
		return false;
	asl_push_key(c, "ResultWriter", fw->pos);
	asl_scan(c, fw->v, names, 4, NULL, f);
	if (!f[0].v && !f[3].v) {
		asl_problem(c, "needs 'WriterConfig', or 'Resource' and '%s' (or all of them)",
			    st->jsonata ? "Arguments" : "Parameters");
		ok = false;
	}
	rw->export_s3 = f[0].v != NULL;
	rw->transform = rw->export_s3 ? ASL_WT_NONE : ASL_WT_COMPACT;
	if (f[0].v && asl_get_resource(c, &f[0], &rw->task)) {
		if (rw->task.kind != ASL_RES_SERVICE ||
		    strcmp(rw->task.canonical, "arn:aws:states:::s3:putObject")) {
			asl_problem_at(c, names[0], f[0].pos, "must be \"arn:aws:states:::s3:putObject\"");
			ok = false;
		}
	} else if (f[0].v) {
		ok = false;
	}
	if (st->jsonata && f[1].v) {
		asl_problem_at(c, names[1], f[1].pos, "is not allowed in a JSONata state (use 'Arguments')");
		ok = false;
	} else if (!st->jsonata && f[2].v) {
		asl_problem_at(c, names[2], f[2].pos, "is only allowed in a JSONata state (use 'Parameters')");
		ok = false;
	} else if (f[0].v && !f[1].v && !f[2].v) {
		asl_problem(c, "missing required field '%s' (Bucket and Prefix; required with Resource)",
			    st->jsonata ? "Arguments" : "Parameters");
		ok = false;
	} else if ((f[1].v || f[2].v) && !f[0].v) {
		asl_problem_at(c, names[f[1].v ? 1 : 2], f[f[1].v ? 1 : 2].pos, "only allowed with 'Resource'");
		ok = false;
	} else if (f[1].v || f[2].v) {
		const struct asl_found *p = f[1].v ? &f[1] : &f[2];

		if (!json_is_object(p->v) && !(st->jsonata && json_is_string(p->v))) {
			asl_problem_at(c, names[f[1].v ? 1 : 2], p->pos, "must be an object");
			ok = false;
		} else if (!(rw->params = st->jsonata ? asl_get_jtemplate(c, names[2], p, false)
						      : asl_get_template(c, names[1], p, false))) {
			ok = false;
		}
	}
	if (f[3].v && !json_is_object(f[3].v)) {
		asl_problem_at(c, names[3], f[3].pos, "must be an object");
		ok = false;
	} else if (f[3].v) {
		asl_push_key(c, names[3], f[3].pos);
		asl_scan(c, f[3].v, wnames, 2, NULL, w);
		if (w[0].v && asl_get_string(c, wnames[0], &w[0], &s)) {
			if (!strcmp(s, "FLATTEN"))
				rw->transform = ASL_WT_FLATTEN;
			else if (!strcmp(s, "NONE"))
				rw->transform = ASL_WT_NONE;
			else if (!strcmp(s, "COMPACT"))
				rw->transform = ASL_WT_COMPACT;
			else {
				asl_problem_at(c, wnames[0], w[0].pos, "must be \"NONE\", \"COMPACT\" or \"FLATTEN\"");
				ok = false;
			}
		} else if (w[0].v) {
			ok = false;
		}
		if (w[1].v && asl_get_string(c, wnames[1], &w[1], &s)) {
			rw->jsonl = !strcmp(s, "JSONL");
			if (strcmp(s, "JSON") && strcmp(s, "JSONL")) {
				asl_problem_at(c, wnames[1], w[1].pos, "must be \"JSON\" or \"JSONL\"");
				ok = false;
			}
		} else if (w[1].v) {
			ok = false;
		}
		asl_pop(c);
	}
	asl_pop(c);
	if (ok)
		st->map.result_writer = rw;
	return ok;
}

bool asl_parse_map(struct asl_ctx *c, const struct asl_found *f, struct asl_state *st)
{
	struct asl_map *mp = &st->map;
	const struct asl_found *proc = GET(ITEM_PROCESSOR)->v ? GET(ITEM_PROCESSOR) : GET(ITERATOR);
	const char *key = GET(ITEM_PROCESSOR)->v ? NAME(ITEM_PROCESSOR) : NAME(ITERATOR);
	const struct asl_found *sel = GET(ITEM_SELECTOR)->v ? GET(ITEM_SELECTOR) : GET(PARAMETERS);
	const char *scope = c->scope;
	struct asl_found config = { 0 };
	struct asl_found jf[F__COUNT];
	bool ok = true;

	ok = asl_exclusive(c, NAME(ITEM_PROCESSOR), GET(ITEM_PROCESSOR), NAME(ITERATOR),
			   GET(ITERATOR)) && ok;
	ok = asl_exclusive(c, NAME(ITEM_SELECTOR), GET(ITEM_SELECTOR), NAME(PARAMETERS),
			   GET(PARAMETERS)) && ok;
	if (!proc->v) {
		asl_problem(c, "missing required field 'ItemProcessor'");
		ok = false;
	} else if (!json_is_object(proc->v)) {
		asl_problem_at(c, key, proc->pos, "must be an object (a state machine)");
		ok = false;
	} else {
		asl_push_key(c, key, proc->pos);
		c->scope = "item processor";
		mp->processor = asl_parse_machine(c, proc->v, proc == GET(ITEM_PROCESSOR) ?
						  ASL_MK_PROCESSOR : ASL_MK_ITERATOR, &config);
		c->scope = scope;
		if (!mp->processor)
			ok = false;
		if (config.v && !processor_config(c, &config, mp))
			ok = false;
		asl_pop(c);
	}
	if (GET(ITEMS_PATH)->v)
		ok = asl_get_path(c, NAME(ITEMS_PATH), GET(ITEMS_PATH), JSONPATH_REFERENCE,
				  false, false, &mp->items_path) && ok;
	if (st->jsonata) {
		if (GET(ITEM_SELECTOR)->v && !(mp->item_selector = asl_get_jtemplate(c,
						NAME(ITEM_SELECTOR), GET(ITEM_SELECTOR), false)))
			ok = false;
		if (GET(ITEMS)->v) {
			json_t *iv = GET(ITEMS)->v;

			if (!json_is_array(iv) && !(json_is_string(iv) && asl_is_jx(json_string_value(iv)))) {
				asl_problem_at(c, NAME(ITEMS), GET(ITEMS)->pos,
					       "must be an array or a \"{%% ... %%}\" expression");
				ok = false;
			} else if (!(mp->items = asl_get_jtemplate(c, NAME(ITEMS), GET(ITEMS), false))) {
				ok = false;
			}
		}
		/* numbers as expressions: taken out of what map_limits reads */
		static const enum asl_fid nums[] = { F_MAX_CONCURRENCY, F_TOLERATED_PCT, F_TOLERATED_COUNT };
		struct asl_template **dst[] = { &mp->max_concurrency_expr, &mp->tolerated_pct_expr,
						&mp->tolerated_count_expr };

		memcpy(jf, f, sizeof jf);
		for (size_t k = 0; k < 3; k++) {
			if (!jf[nums[k]].v)
				continue;
			if (!asl_get_jexpr(c, asl_field_name(nums[k]), &jf[nums[k]], dst[k]))
				return false;
			if (*dst[k])
				jf[nums[k]] = (struct asl_found){ 0 };
		}
		f = jf;
	} else if (sel->v && !(mp->item_selector = asl_get_template(c, sel == GET(ITEM_SELECTOR) ?
					NAME(ITEM_SELECTOR) : NAME(PARAMETERS), sel, false))) {
		ok = false;
	}
	ok = map_limits(c, f, mp) && ok;
	if (GET(ITEM_BATCHER)->v)
		ok = item_batcher(c, GET(ITEM_BATCHER), st) && ok;
	if (GET(RESULT_WRITER)->v) {
		ok = result_writer(c, GET(RESULT_WRITER), st) && ok;
		if (mp->processor && !mp->distributed && json_is_object(GET(RESULT_WRITER)->v)) {
			asl_problem_at(c, NAME(RESULT_WRITER), GET(RESULT_WRITER)->pos,
				       "only allowed with ProcessorConfig Mode \"DISTRIBUTED\"");
			ok = false;
		}
	}
	if (GET(ITEM_READER)->v) {
		ok = item_reader(c, GET(ITEM_READER), st) && ok;
		if (mp->processor && !mp->distributed && json_is_object(GET(ITEM_READER)->v)) {
			asl_problem_at(c, NAME(ITEM_READER), GET(ITEM_READER)->pos,
				       "only allowed with ProcessorConfig Mode \"DISTRIBUTED\"");
			ok = false;
		}
		if (GET(ITEMS_PATH)->v || GET(ITEMS)->v) {
			asl_problem_at(c, NAME(ITEM_READER), GET(ITEM_READER)->pos,
				       "cannot be used together with '%s' (the items come from the reader)",
				       GET(ITEMS_PATH)->v ? NAME(ITEMS_PATH) : NAME(ITEMS));
			ok = false;
		}
	}
	return ok;
}
