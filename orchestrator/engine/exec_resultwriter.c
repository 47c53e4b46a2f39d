/* exec_resultwriter — a Map state's ResultWriter: what its results look
 * like (WriterConfig.Transformation) and, with a Resource, their export to
 * S3, after which the Map's result is where they went:
 *   {"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}.
 *
 * A Map run in tutti has no child executions, so an iteration's record
 * (Transformation NONE, and always for a failed iteration) holds what
 * tutti knows of it: a made-up ExecutionArn and Name ("RUN-INDEX": the map
 * run's id and the iteration's index), Input (the item as read, before ItemSelector), Output or
 * Error and Cause, Status. The writing itself is I/O: it goes to the S3
 * integration as a task call (s3_items.c) and the owner frame waits for
 * writer_done. Durability: a write in flight is in the owner's row with
 * what it writes ("write", exec_journal.c), and a resumed execution starts
 * it again (the files of a run are written whole, under its own id). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"

/* Iteration i as a record. */
static json_t *record(struct fanout *fan, size_t i, const char *run_arn_base, const char *run_id)
{
	json_t *res = json_array_get(fan->results, i), *r;
	char *in = json_dumps(json_array_get(fan->items, i), JSON_COMPACT | JSON_ENCODE_ANY);
	char arn[512], name[96];

	snprintf(name, sizeof name, "%s-%zu", run_id, i);
	snprintf(arn, sizeof arn, "%s:%s", run_arn_base, name);
	r = json_pack("{s:s, s:s, s:s, s:{s:b}, s:s}", "ExecutionArn", arn, "Name", name, "Input",
		      in ? in : "null", "InputDetails", "Included", 1, "Status",
		      fan->failed_at[i] ? "FAILED" : "SUCCEEDED");
	free(in);
	if (!r)
		return NULL;
	if (fan->failed_at[i]) {
		json_object_set(r, "Error", json_object_get(res, "Error"));
		json_object_set(r, "Cause", json_object_get(res, "Cause"));
	} else {
		char *out = json_dumps(res, JSON_COMPACT | JSON_ENCODE_ANY);

		json_object_set_new(r, "Output", json_string(out ? out : "null"));
		json_object_set_new(r, "OutputDetails", json_pack("{s:b}", "Included", 1));
		free(out);
	}
	return r;
}

/* Append iteration i's entries to `to` as Transformation t shapes them. */
static int shape(struct fanout *fan, size_t i, enum asl_writer_transform t, const char *arn_base,
		 const char *run_id, json_t *to)
{
	json_t *res = json_array_get(fan->results, i);

	if (t == ASL_WT_NONE || fan->failed_at[i]) {
		json_t *r = record(fan, i, arn_base, run_id);

		return r ? json_array_append_new(to, r) : -1;
	}
	if (t == ASL_WT_FLATTEN && json_is_array(res))
		return json_array_extend(to, res);
	return json_array_append(to, res);
}

int writer_results(struct fanout *fan, json_t **out, struct err *e)
{
	const struct asl_result_writer *w = fan->st->map.result_writer;
	struct frame *owner = fan->owner;
	struct engine *eng = owner->ex->eng;
	json_t *ok = json_array(), *failed = json_array(), *params = NULL, *input = NULL;
	char run_id[37], arn_base[400], run_arn[400];
	int rc = -1;
	size_t i;

	*out = NULL;
	if (!ok || !failed)
		goto oom;
	if (!w->export_s3 && w->transform == ASL_WT_COMPACT) {   /* as without a ResultWriter */
		*out = json_incref(fan->results);
		rc = 0;
		goto done;
	}
	engine_uuid(run_id);
	snprintf(arn_base, sizeof arn_base, "arn:aws:states:%s:%s:execution:%.80s/%.80s", eng->region,
		 eng->account, owner->ex->sm_name ? owner->ex->sm_name : "", fan->st->name);
	snprintf(run_arn, sizeof run_arn, "arn:aws:states:%s:%s:mapRun:%.80s/%.80s:%s", eng->region,
		 eng->account, owner->ex->sm_name ? owner->ex->sm_name : "", fan->st->name, run_id);
	for (i = 0; i < fan->n; i++)
		if (shape(fan, i, w->transform, arn_base, run_id,
			  w->export_s3 && fan->failed_at[i] ? failed : ok))
			goto oom;
	if (!w->export_s3) {
		*out = json_incref(ok);
		rc = 0;
		goto done;
	}
	{
		struct evalctx ec;
		const char *bucket, *prefix;

		ec_init(&ec, owner, fan->input);
		rc = owner->m->states[owner->state].jsonata
			     ? jx_field(&ec, w->params, "Arguments", &params, e)
			     : ec_template(&ec, w->params, &params, e);
		ec_done(&ec);
		if (rc)
			goto done;
		rc = -1;
		bucket = json_string_value(json_object_get(params, "Bucket"));
		prefix = json_string_value(json_object_get(params, "Prefix"));
		if (!bucket || !*bucket || (json_object_get(params, "Prefix") && !prefix)) {
			err_set(e, ERR_STATES_RESULT_WRITER_FAILED,
				"The ResultWriter's %s need Bucket (a non-empty string) and may have Prefix (a string)",
				owner->m->states[owner->state].jsonata ? "Arguments" : "Parameters");
			goto done;
		}
		input = json_pack("{s:s, s:s, s:s, s:s, s:O, s:O}", "Bucket", bucket, "Prefix",
				  prefix ? prefix : "", "MapRunArn", run_arn, "OutputType",
				  w->jsonl ? "JSONL" : "JSON", "SUCCEEDED", ok, "FAILED", failed);
		if (!input)
			goto oom;
	}
	if (task_start_mapio(owner, fan->st, NULL, w, input, 0, e))
		goto done;   /* input taken */
	input = NULL;
	owner->status = FR_WAITING;
	jr_touch(owner);
	rc = 1;
	goto done;
oom:
	err_set(e, ERR_STATES_RUNTIME, "out of memory shaping the Map's results");
	rc = -1;
done:
	json_decref(ok);
	json_decref(failed);
	json_decref(params);
	return rc;
}

void writer_done(struct frame *f, json_t *result, const struct err *e)
{
	struct err x;

	if (!e && !json_is_object(result)) {
		err_set(&x, ERR_STATES_RESULT_WRITER_FAILED, "the writer returned no result");
		e = &x;
	}
	if (e) {
		json_decref(result);
		exec_resume_error(f, e);
		return;
	}
	exec_resume_result(f, result);
}

int writer_restore(struct frame *f, const struct asl_state *st, json_t *win, struct err *e)
{
	if (st->type != ASL_MAP || !st->map.result_writer || !json_is_object(win))
		return err_set(e, ERR_STATES_RUNTIME, "resume: no ResultWriter export at '%.100s'", f->path);
	if (task_start_mapio(f, st, NULL, st->map.result_writer, json_incref(win), 0, e))
		return -1;
	f->status = FR_WAITING;
	return 0;
}
