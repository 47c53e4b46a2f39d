/* exec_run — frames and states: entering a state, running it, result
 * processing (ResultSelector, Assign, ResultPath, OutputPath, the data
 * limit), transitions, Retry and Catch, and the end of a frame. The states
 * themselves are exec_flow.c (Pass, Choice, Wait, Succeed, Fail),
 * exec_task.c (Task) and exec_fanout.c (Map, Parallel).
 *
 * A frame runs states in a loop until one has to wait (a Task, a Wait, a
 * Map or Parallel) or the frame ends; waiting states are resumed through
 * exec_resume_result / exec_resume_error. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "exec_internal.h"

static const enum history_type entered_ev[ASL_TYPE__COUNT] = {
	[ASL_TASK] = HIST_TASK_STATE_ENTERED,       [ASL_PARALLEL] = HIST_PARALLEL_STATE_ENTERED,
	[ASL_MAP] = HIST_MAP_STATE_ENTERED,         [ASL_PASS] = HIST_PASS_STATE_ENTERED,
	[ASL_WAIT] = HIST_WAIT_STATE_ENTERED,       [ASL_CHOICE] = HIST_CHOICE_STATE_ENTERED,
	[ASL_SUCCEED] = HIST_SUCCEED_STATE_ENTERED, [ASL_FAIL] = HIST_FAIL_STATE_ENTERED,
};
static const enum history_type exited_ev[ASL_TYPE__COUNT] = {
	[ASL_TASK] = HIST_TASK_STATE_EXITED,       [ASL_PARALLEL] = HIST_PARALLEL_STATE_EXITED,
	[ASL_MAP] = HIST_MAP_STATE_EXITED,         [ASL_PASS] = HIST_PASS_STATE_EXITED,
	[ASL_WAIT] = HIST_WAIT_STATE_EXITED,       [ASL_CHOICE] = HIST_CHOICE_STATE_EXITED,
	[ASL_SUCCEED] = HIST_SUCCEED_STATE_EXITED, [ASL_FAIL] = HIST__COUNT,
};

static void frame_timer_fire(struct engine *eng, struct timer *t);

/* ---- frames ---------------------------------------------------------------------- */

/* Map iterations come and go by the thousand: frames are recycled through
 * a small per-engine pool instead of malloc/free. */
struct frame *frame_new(struct exec *ex, const struct asl_machine *m, json_t *input_take,
			json_t *vars, struct fanout *fan, size_t index)
{
	struct engine *eng = ex->eng;
	struct frame *f = eng->frame_pool;

	if (f) {
		eng->frame_pool = f->rq_next;
		eng->npool--;
		memset(f, 0, sizeof *f);
	} else {
		f = calloc(1, sizeof *f);
	}
	if (!f) {
		json_decref(input_take);
		return NULL;
	}
	f->ex = ex;
	atomic_fetch_add(&ex->refs, 1);
	f->m = m;
	f->state = m->start;
	f->input = input_take;
	f->in_size = IN_SIZE_UNKNOWN;   /* frame_in_size() measures it when needed */
	f->vars = json_incref(vars);
	f->fan = fan;
	f->index = index;
	f->refs = 1;
	f->status = FR_WAITING;
	f->timer.fire = frame_timer_fire;
	f->retries = f->retries_inline;
	return f;
}

void frame_ref(struct frame *f)
{
	f->refs++;
}

void frame_unref(struct frame *f)
{
	struct engine *eng;

	if (!f || --f->refs)
		return;
	json_decref(f->input);
	json_decref(f->vars);
	json_decref(f->eff);
	json_decref(f->ctx);
	json_decref(f->assigned);
	free(f->path);
	free(f->resume_token);
	if (f->retries != f->retries_inline)
		free(f->retries);
	eng = f->ex->eng;
	exec_unref(f->ex);
	if (eng->npool < EXEC_FRAME_POOL) {
		f->rq_next = eng->frame_pool;
		eng->frame_pool = f;
		eng->npool++;
	} else {
		free(f);
	}
}

void frame_pool_free(struct engine *eng)
{
	while (eng->frame_pool) {
		struct frame *f = eng->frame_pool;

		eng->frame_pool = f->rq_next;
		free(f);
	}
	eng->npool = 0;
}

/* ---- history --------------------------------------------------------------------- */

uint32_t exec_event(struct frame *f, struct history_event *ev)
{
	struct exec *ex = f->ex;
	uint32_t id;

	if (!ex->hist || ex->hist_full) {
		json_decref(ev->data);
		json_decref(ev->data2);
		return 0;
	}
	/* Quota: the last event must be the execution's end (exec_finish adds
	 * it); anything else at that point fails the execution instead. */
	if (ex->hist_max && history_base(ex->hist) + history_count(ex->hist) + 1 >= ex->hist_max) {
		ex->hist_full = true;
		json_decref(ev->data);
		json_decref(ev->data2);
		return 0;
	}
	ev->prev = f->prev_event;
	id = history_append_take(ex->hist, ev);
	if (id)
		f->prev_event = id;
	return id;
}

uint32_t exec_event_simple(struct frame *f, enum history_type t, json_t *data)
{
	struct history_event ev = { .type = (uint16_t)t, .num = -1, .num2 = -1 };

	if (!f->ex->hist)
		return 0;
	ev.name = f->m->states[f->state].name;
	ev.data = json_incref(data);
	return exec_event(f, &ev);
}

uint32_t exec_event_error(struct frame *f, enum history_type t, const struct err *e)
{
	struct history_event ev = { .type = (uint16_t)t, .num = -1, .num2 = -1 };

	if (!f->ex->hist)
		return 0;
	ev.name = f->m->states[f->state].name;
	ev.data = json_string(e->type);
	ev.data2 = utf8_json_string(e->msg);
	return exec_event(f, &ev);
}

/* ---- the end of a frame ------------------------------------------------------------ */

static void frame_end_ok(struct frame *f, json_t *out)
{
	f->status = FR_DONE;
	if (f->fan)
		fanout_child_done(f, out);
	else
		exec_finish(f->ex, ENGINE_SUCCEEDED, out, NULL, NULL);
}

void frame_end_fail(struct frame *f, const struct err *e)
{
	f->status = FR_DONE;
	if (f->fan)
		fanout_child_failed(f, e);
	else
		exec_finish(f->ex, ENGINE_FAILED, NULL, e->type[0] ? e->type : NULL,
			    e->msg[0] || e->type[0] ? e->msg : NULL);
}

void frame_abort(struct frame *f, bool events)
{
	const struct asl_state *st;
	bool timer, waiting;

	if (f->status == FR_DONE)
		return;
	f->status = FR_DONE;
	st = &f->m->states[f->state];
	timer = f->timer.pos != 0;
	waiting = timer || f->child || f->call;
	exec_timer_cancel(f->ex->eng, &f->timer);
	if (f->child)
		fanout_abort(f->child, events);
	if (f->call)
		task_cancel(f->call, false);
	if (events && waiting) {
		static const enum history_type aborted[ASL_TYPE__COUNT] = {
			[ASL_TASK] = HIST_TASK_STATE_ABORTED, [ASL_WAIT] = HIST_WAIT_STATE_ABORTED,
			[ASL_MAP] = HIST_MAP_STATE_ABORTED, [ASL_PARALLEL] = HIST_PARALLEL_STATE_ABORTED,
		};

		if (aborted[st->type])
			exec_event_simple(f, aborted[st->type], NULL);
	}
	if (timer)
		frame_unref(f);   /* the timer's; last, callers may hold no other */
}

/* ---- transitions and output --------------------------------------------------------- */

/* The serialized size of the state input, measured the first time it is
 * needed (a Map iteration whose state replaces its input never needs it). */
size_t frame_in_size(struct frame *f)
{
	if (f->in_size == IN_SIZE_UNKNOWN)
		f->in_size = io_size(f->input, ENGINE_DATA_MAX);
	return f->in_size;
}

/* What io_result_path needs as the size before: the input's, unless the
 * result replaces the input. */
static size_t size_before(struct frame *f, const struct asl_path *result_path)
{
	if (result_path->mode == ASL_PATH_ABSENT || result_path->is_root)
		return 0;
	return frame_in_size(f);
}

enum run_step exec_transition(struct frame *f, const struct asl_state *st, json_t *out,
			      size_t size, int next)
{
	if (f->ex->hist && exited_ev[st->type] != HIST__COUNT) {
		struct history_event ev = { .type = (uint16_t)exited_ev[st->type], .num = -1,
					    .num2 = -1 };

		ev.name = st->name;
		ev.data = json_incref(out);
		ev.data2 = f->assigned;   /* assignedVariables (taken) */
		f->assigned = NULL;
		exec_event(f, &ev);
	}
	if (st->type == ASL_SUCCEED || next == ASL_NONE) {
		frame_end_ok(f, out);
		return STEP_END;
	}
	json_decref(f->input);
	f->input = out;
	f->in_size = size;
	f->state = next;
	jr_touch(f);
	return STEP_NEXT;
}

static enum run_step state_error(struct frame *f, const struct asl_state *st, const struct err *e,
				 bool own);

static bool is_query_error(const struct err *e)
{
	return !strcmp(e->type, err_name(ERR_STATES_QUERY_EVALUATION));
}

/* EvaluationFailed, before the state's Retry/Catch (as TaskFailed is): the
 * current state's own JSONata evaluation failed. Step Functions records it
 * only for JSONata states; location is the field the cause names ("The
 * JSONata expression '...' specified for the field 'Output/a' ..."). */
static void eval_failed_event(struct frame *f, const struct err *e)
{
	static const char mark[] = "' specified for the field '";
	const struct asl_state *st = &f->m->states[f->state];
	struct history_event ev = { .type = HIST_EVALUATION_FAILED, .num = -1, .num2 = -1 };
	const char *loc, *end;

	if (!f->ex->hist || !st->jsonata || !is_query_error(e))
		return;
	/* the first mark: the expression before it is cut at 200 bytes and the
	 * field names after it come from the definition */
	loc = strstr(e->msg, mark);
	if (loc) {
		loc += sizeof mark - 1;
		end = strchr(loc, '\'');
		if (end && end > loc && end - loc <= 256) {
			ev.num = (int32_t)(loc - e->msg);
			ev.num2 = (int32_t)(end - loc);
		}
	}
	ev.name = st->name;
	ev.data = json_string(e->type);
	ev.data2 = utf8_json_string(e->msg);
	exec_event(f, &ev);
}

/* The frame ends with the state's own error: a JSONata query error's cause
 * takes the sentence Step Functions puts before it when it fails an
 * execution (without the event id when no history is kept, as for an
 * Express workflow). An error already carrying it (from a Map iteration or
 * a Parallel branch) is passed on as it is. */
static void fail_own(struct frame *f, const struct err *e)
{
	static const char lead[] = "An error occurred while executing the state '";
	const struct asl_state *st = &f->m->states[f->state];
	struct err r;

	if (!st->jsonata || !is_query_error(e) || !strncmp(e->msg, lead, sizeof lead - 1)) {
		frame_end_fail(f, e);
		return;
	}
	memcpy(r.type, e->type, sizeof r.type);
	if (f->entered_event)
		snprintf(r.msg, sizeof r.msg, "%s%s' (entered at the event id #%u). %s", lead,
			 st->name, f->entered_event, e->msg);
	else
		snprintf(r.msg, sizeof r.msg, "%s%s'. %s", lead, st->name, e->msg);
	frame_end_fail(f, &r);
}

void exec_fail_state(struct frame *f, const struct err *e)
{
	eval_failed_event(f, e);
	fail_own(f, e);
}

int exec_data_limit(size_t size, const char *what, struct err *e)
{
	if (size <= ENGINE_DATA_MAX)
		return 0;
	return err_set(e, ERR_STATES_DATA_LIMIT,
		       "The state %s is larger than the maximum of %d bytes", what, ENGINE_DATA_MAX);
}

/* OutputPath on `out` (taken), then the data limit. */
int exec_output_path(struct frame *f, const struct asl_state *st, json_t **out, size_t *size,
		     struct err *e)
{
	json_t *sel;

	if (st->output_path.mode != ASL_PATH_ABSENT && !st->output_path.is_root) {
		if (io_select(f, &st->output_path, *out, &sel, e)) {
			json_decref(*out);
			*out = NULL;
			return -1;
		}
		json_decref(*out);
		*out = sel;
		*size = io_size(sel, ENGINE_DATA_MAX);
	}
	if (exec_data_limit(*size, "output", e)) {
		json_decref(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* A state produced `result` (taken): ResultSelector, Assign, ResultPath,
 * OutputPath, then on to the next state. */
enum run_step exec_state_finish(struct frame *f, const struct asl_state *st, json_t *result)
{
	struct err e;
	json_t *out = NULL, *sel;
	size_t size = size_before(f, &st->result_path);

	err_clear(&e);
	if (st->jsonata) {
		/* a Pass state has no $states.result: its Result is the default Output */
		bool pass = st->type == ASL_PASS;
		int rc = jx_finish(f, f->input, pass ? NULL : result, NULL, st->assign, NULL,
				   st->output, NULL, &out, &e);

		if (!rc && pass && !st->output) {
			json_decref(out);
			out = json_incref(result);
		}
		json_decref(result);
		if (rc)
			return state_error(f, st, &e, true);
		size = io_size(out, ENGINE_DATA_MAX);
		if (exec_data_limit(size, "output", &e)) {
			json_decref(out);
			return state_error(f, st, &e, true);
		}
		return exec_transition(f, st, out, size, st->next);
	}
	if (st->result_selector) {
		struct evalctx ec;
		int rc;

		ec_init(&ec, f, result);
		rc = ec_template(&ec, st->result_selector, &sel, &e);
		ec_done(&ec);
		json_decref(result);
		if (rc)
			return state_error(f, st, &e, true);
		result = sel;
	}
	if (st->assign && io_assign(f, st->assign, result, &e)) {
		json_decref(result);
		return state_error(f, st, &e, true);
	}
	if (io_result_path(&st->result_path, f->input, result, &out, &size, &e)) {
		json_decref(result);
		return state_error(f, st, &e, true);
	}
	json_decref(result);
	if (exec_output_path(f, st, &out, &size, &e))
		return state_error(f, st, &e, true);
	return exec_transition(f, st, out, size, st->next);
}

void exec_resume_result(struct frame *f, json_t *result)
{
	enum run_step s;

	frame_ref(f);
	f->status = FR_RUNNING;
	s = exec_state_finish(f, &f->m->states[f->state], result);
	if (s == STEP_NEXT)
		exec_schedule(f);
	frame_unref(f);
}

static void resume_error(struct frame *f, const struct err *e, bool own)
{
	enum run_step s;

	frame_ref(f);
	f->status = FR_RUNNING;
	s = state_error(f, &f->m->states[f->state], e, own);
	if (s == STEP_NEXT)
		exec_schedule(f);
	frame_unref(f);
}

void exec_resume_error(struct frame *f, const struct err *e)
{
	resume_error(f, e, false);
}

void exec_resume_own_error(struct frame *f, const struct err *e)
{
	resume_error(f, e, true);
}

/* ---- Retry and Catch -------------------------------------------------------------- */

static int64_t retry_delay_ns(struct frame *f, const struct asl_retrier *r, uint32_t attempt)
{
	double s = r->interval_seconds * pow(r->backoff_rate, attempt);

	if (r->max_delay_seconds && s > r->max_delay_seconds)
		s = r->max_delay_seconds;
	if (r->jitter_full)
		s *= (double)(exec_random(f->ex->eng) >> 11) / (double)(1ULL << 53);
	s *= f->ex->eng->o.wait_scale;
	return s > 1e9 ? (int64_t)1e18 : (int64_t)(s * 1e9);
}

static enum run_step catch_to(struct frame *f, const struct asl_state *st,
			  const struct asl_catcher *k, const struct err *err)
{
	json_t *eo = json_pack("{s:s, s:s}", "Error", err->type, "Cause", err->msg), *out = NULL;
	size_t size = size_before(f, &k->result_path);
	struct err e;

	err_clear(&e);
	/* what the state assigned before failing is not what its exit shows:
	 * the Catch's Assign is */
	json_decref(f->assigned);
	f->assigned = NULL;
	if (!eo) {
		err_set(&e, ERR_STATES_RUNTIME, "out of memory");
		goto fail;
	}
	if (st->jsonata) {
		char an[32], on[32];

		snprintf(an, sizeof an, "Catch[%zu]/Assign", (size_t)(k - st->catch_));
		snprintf(on, sizeof on, "Catch[%zu]/Output", (size_t)(k - st->catch_));
		if (jx_finish(f, f->input, NULL, eo, k->assign, an, k->output, on, &out, &e))
			goto fail;
		json_decref(eo);
		eo = NULL;
		size = io_size(out, ENGINE_DATA_MAX);
		if (exec_data_limit(size, "output", &e))
			goto fail;
		return exec_transition(f, st, out, size, k->next);
	}
	if (k->assign && io_assign(f, k->assign, eo, &e))
		goto fail;
	if (io_result_path(&k->result_path, f->input, eo, &out, &size, &e))
		goto fail;
	json_decref(eo);
	eo = NULL;
	if (exec_data_limit(size, "output", &e))
		goto fail;
	return exec_transition(f, st, out, size, k->next);
fail:
	json_decref(eo);
	json_decref(out);
	exec_fail_state(f, &e);   /* the Catch's own Output or Assign */
	return STEP_END;
}

/* `own`: the state's own processing failed (not its task, nor a Map
 * iteration or a Parallel branch, which arrive through exec_resume_error). */
static enum run_step state_error(struct frame *f, const struct asl_state *st, const struct err *e,
				 bool own)
{
	size_t i;

	if (f->ex->hist_full || atomic_load(&f->ex->status) != ENGINE_RUNNING)
		return STEP_END;
	if (own)
		eval_failed_event(f, e);
	if (st->type == ASL_TASK || st->type == ASL_MAP || st->type == ASL_PARALLEL) {
		for (i = 0; i < st->n_retry; i++) {
			const struct asl_retrier *r = &st->retry[i];

			if (!asl_errors_match(&r->errors, e->type))
				continue;
			if (f->retries[i] >= r->max_attempts)
				break;   /* the first matching retrier decides */
			if (exec_timer_arm(f->ex->eng, &f->timer,
					   retry_delay_ns(f, r, f->retries[i])))
				break;   /* no memory to wait: fall through to Catch */
			f->due_us = exec_now_us() + f->timer.due / 1000 - exec_now_ns() / 1000;
			f->retries[i]++;
			f->retry_total++;
			exec_ctx_invalidate(f);
			frame_ref(f);   /* the timer's */
			f->status = FR_WAITING;
			f->timer_kind = TK_RETRY;
			jr_touch(f);
			return STEP_WAIT;
		}
		for (i = 0; i < st->n_catch; i++)
			if (asl_errors_match(&st->catch_[i].errors, e->type))
				return catch_to(f, st, &st->catch_[i], e);
	}
	if (own)
		fail_own(f, e);
	else
		frame_end_fail(f, e);
	return STEP_END;
}

enum run_step exec_state_error(struct frame *f, const struct asl_state *st, const struct err *e)
{
	return state_error(f, st, e, true);
}

static enum run_step run_fanout(struct frame *f, const struct asl_state *st)
{
	json_t *eff;
	struct err e;

	err_clear(&e);
	if (io_select(f, &st->input_path, f->input, &eff, &e))
		return state_error(f, st, &e, true);
	return st->type == ASL_MAP ? fanout_map(f, st, eff) : fanout_parallel(f, st, eff);
}

/* The body of a state after it was entered; run again for a retry. */
static enum run_step attempt(struct frame *f, const struct asl_state *st)
{
	switch (st->type) {
	case ASL_PASS:
		return exec_run_pass(f, st);
	case ASL_TASK:
		return task_attempt(f, st);
	case ASL_CHOICE:
		return exec_run_choice(f, st);
	case ASL_WAIT:
		return exec_run_wait(f, st);
	case ASL_SUCCEED:
		return exec_run_succeed(f, st);
	case ASL_FAIL:
		return exec_run_fail(f, st);
	case ASL_MAP:
	case ASL_PARALLEL:
		return run_fanout(f, st);
	default:
		break;
	}
	{
		struct err e;

		err_set(&e, ERR_STATES_RUNTIME, "unknown state type");
		frame_end_fail(f, &e);
	}
	return STEP_END;
}

static enum run_step enter(struct frame *f)
{
	const struct asl_state *st = &f->m->states[f->state];
	struct exec *ex = f->ex;

	ex->transitions++;
	f->retry_total = 0;
	if (st->n_retry) {
		if (f->retries != f->retries_inline)
			free(f->retries);
		f->retries = f->retries_inline;
		if (st->n_retry > EXEC_RETRIES_INLINE) {
			f->retries = calloc(st->n_retry, sizeof *f->retries);
			if (!f->retries) {
				struct err e;

				f->retries = f->retries_inline;
				err_set(&e, ERR_STATES_RUNTIME, "out of memory");
				frame_end_fail(f, &e);
				return STEP_END;
			}
		} else {
			memset(f->retries_inline, 0, sizeof f->retries_inline);
		}
	}
	if (f->ctx)
		exec_ctx_invalidate(f);
	json_decref(f->assigned);
	f->assigned = NULL;
	f->entered_event = 0;
	if (ex->hist) {
		struct history_event ev = { .type = (uint16_t)entered_ev[st->type], .num = -1,
					    .num2 = -1 };

		ev.ts_us = f->entered_us = exec_now_us();
		ev.name = st->name;
		ev.data = json_incref(f->input);
		f->entered_event = exec_event(f, &ev);
	} else {
		f->entered_us = 0;   /* taken when $$ is first read */
	}
	if (ex->hist_full)
		return STEP_END;
	return attempt(f, st);
}

static void exec_check(struct exec *ex)
{
	if (ex->hist_full && atomic_load(&ex->status) == ENGINE_RUNNING) {
		char cause[160];

		snprintf(cause, sizeof cause,
			 "The execution reached the maximum number of history events (%u)",
			 ex->hist_max);
		exec_finish(ex, ENGINE_FAILED, NULL, "States.Runtime", cause);
	}
}

static bool eng_each_state(const struct exec *ex)
{
	return ex->eng->o.journal && !ex->eng->o.journal_batch;
}

void frame_run(struct frame *f)
{
	struct exec *ex = f->ex;
	unsigned budget = EXEC_BATCH;
	enum run_step s = STEP_NEXT;

	atomic_fetch_add(&ex->refs, 1);
	f->status = FR_RUNNING;
	while (s == STEP_NEXT) {
		if (ex->hist_full || atomic_load_explicit(&ex->status, memory_order_relaxed) !=
					     ENGINE_RUNNING)
			break;
		if (!budget--) {
			exec_schedule(f);   /* let the others run */
			break;
		}
		s = enter(f);
		if (ex->journaled && eng_each_state(ex))
			jr_flush(ex->eng);   /* one checkpoint per state transition */
	}
	exec_check(ex);
	exec_unref(ex);
}

static void frame_timer_fire(struct engine *eng, struct timer *t)
{
	struct frame *f = (struct frame *)((char *)t - offsetof(struct frame, timer));
	struct exec *ex = f->ex;
	enum run_step s;

	(void)eng;
	if (f->status != FR_DONE) {
		atomic_fetch_add(&ex->refs, 1);
		f->status = FR_RUNNING;
		if (f->timer_kind == TK_WAIT)
			s = exec_wait_done(f);
		else
			s = attempt(f, &f->m->states[f->state]);
		if (s == STEP_NEXT)
			exec_schedule(f);
		exec_check(ex);
		exec_unref(ex);
	}
	frame_unref(f);   /* the timer's */
}
