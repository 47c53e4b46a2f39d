/* exec_flow — the states that do no work of their own: Pass, Choice, Wait,
 * Succeed and Fail (their input and output processing, Assign, and the
 * transition), in both query languages. The states that wait for work
 * (Task: exec_task.c; Map and Parallel: exec_fanout.c) and what every state
 * shares (entering, result processing, Retry and Catch, the end of a frame)
 * are exec_run.c's. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "exec_internal.h"

enum run_step exec_run_pass(struct frame *f, const struct asl_state *st)
{
	json_t *eff, *res;
	struct err e;

	err_clear(&e);
	if (st->jsonata)   /* Output (default: Result, else the input) */
		return exec_state_finish(f, st, json_incref(st->pass.result ? st->pass.result : f->input));
	if (io_select(f, &st->input_path, f->input, &eff, &e))
		return exec_state_error(f, st, &e);
	if (st->pass.result) {
		res = json_incref(st->pass.result);
	} else if (st->parameters) {
		struct evalctx ec;
		int rc;

		ec_init(&ec, f, eff);
		rc = ec_template(&ec, st->parameters, &res, &e);
		ec_done(&ec);
		if (rc) {
			json_decref(eff);
			return exec_state_error(f, st, &e);
		}
	} else {
		res = json_incref(eff);
	}
	json_decref(eff);
	return exec_state_finish(f, st, res);
}

/* Assign ($ = the effective input), OutputPath, transition: Wait and Choice. */
static enum run_step pass_through(struct frame *f, const struct asl_state *st, json_t *eff,
				  const struct asl_template *assign, const char *assign_name,
				  const struct asl_template *output, const char *output_name,
				  int next)
{
	struct err e;
	size_t size;

	err_clear(&e);
	if (st->jsonata) {
		json_t *out;

		if (jx_finish(f, eff, NULL, NULL, assign, assign_name, output, output_name, &out,
			      &e)) {
			json_decref(eff);
			exec_fail_state(f, &e);
			return STEP_END;
		}
		json_decref(eff);
		size = io_size(out, ENGINE_DATA_MAX);
		if (exec_data_limit(size, "output", &e)) {
			json_decref(out);
			exec_fail_state(f, &e);
			return STEP_END;
		}
		return exec_transition(f, st, out, size, next);
	}
	if (assign && io_assign(f, assign, eff, &e)) {
		json_decref(eff);
		exec_fail_state(f, &e);
		return STEP_END;
	}
	size = eff == f->input ? frame_in_size(f) : io_size(eff, ENGINE_DATA_MAX);
	if (exec_output_path(f, st, &eff, &size, &e)) {
		exec_fail_state(f, &e);
		return STEP_END;
	}
	return exec_transition(f, st, eff, size, next);
}

enum run_step exec_run_choice(struct frame *f, const struct asl_state *st)
{
	const struct asl_template *assign = st->assign, *output = st->output;
	const char *assign_name = NULL, *output_name = NULL;
	char an[40], on[40];
	int next = ASL_NONE, rc = 0;
	struct evalctx ec;
	json_t *eff;
	struct err e;
	size_t i;

	err_clear(&e);
	if (io_select(f, &st->input_path, f->input, &eff, &e))
		goto fail;
	ec_init(&ec, f, eff);
	for (i = 0; i < st->choice.n_rules; i++) {
		rc = choice_eval(&ec, &st->choice.rules[i], &e);
		if (rc) {
			next = st->choice.rules[i].next;
			assign = st->choice.rules[i].assign;
			snprintf(an, sizeof an, "Choices[%zu]/Assign", i);
			assign_name = an;
			if (st->choice.rules[i].output) {
				output = st->choice.rules[i].output;
				snprintf(on, sizeof on, "Choices[%zu]/Output", i);
				output_name = on;
			}
			break;
		}
	}
	ec_done(&ec);
	if (rc < 0) {
		json_decref(eff);
		goto fail;
	}
	if (next == ASL_NONE) {
		if (st->choice.default_next == ASL_NONE) {
			json_decref(eff);
			err_set(&e, ERR_STATES_NO_CHOICE_MATCHED,
				"No Choice rule matched and there is no Default (state '%.100s')",
				st->name);
			goto fail;
		}
		next = st->choice.default_next;
	}
	return pass_through(f, st, eff, assign, assign_name, output, output_name, next);
fail:
	exec_fail_state(f, &e);
	return STEP_END;
}

enum run_step exec_wait_done(struct frame *f)
{
	const struct asl_state *st = &f->m->states[f->state];
	json_t *eff = f->eff;

	f->eff = NULL;
	return pass_through(f, st, eff, st->assign, NULL, st->output, NULL, st->next);
}

static int wait_seconds(struct frame *f, const struct asl_state *st, json_t *eff,
			double *secs, struct err *e)
{
	const struct asl_wait *w = &st->wait;
	struct asl_time ts;
	struct evalctx ec;
	json_t *v = NULL;
	int rc;

	switch (w->kind) {
	case ASL_WAIT_SECONDS:
		*secs = (double)w->seconds;
		return 0;
	case ASL_WAIT_SECONDS_EXPR: {
		uint64_t n;

		ec_init(&ec, f, eff);
		rc = jx_seconds(&ec, w->expr, "Seconds", 0, 99999999, &n, e);
		ec_done(&ec);
		*secs = (double)n;
		return rc;
	}
	case ASL_WAIT_TIMESTAMP_EXPR:
		ec_init(&ec, f, eff);
		rc = jx_field(&ec, w->expr, "Timestamp", &v, e);
		ec_done(&ec);
		if (rc)
			return -1;
		if (!json_is_string(v) || !asl_time_parse(json_string_value(v), &ts)) {
			json_decref(v);
			return err_set(e, ERR_STATES_QUERY_EVALUATION,
				       "The JSONata expression '%.200s' specified for the field 'Timestamp' must return an RFC 3339 timestamp",
				       w->expr->expr.text);
		}
		json_decref(v);
		break;
	case ASL_WAIT_TIMESTAMP:
		ts = w->timestamp;
		break;
	case ASL_WAIT_SECONDS_PATH:
	case ASL_WAIT_TIMESTAMP_PATH:
		ec_init(&ec, f, eff);
		rc = ec_path(&ec, w->path.jp, &v, e);
		ec_done(&ec);
		if (rc)
			return err_set(e, ERR_STATES_RUNTIME, "Invalid path '%.200s': %s",
				       w->path.text, "it does not point to a value");
		if (w->kind == ASL_WAIT_SECONDS_PATH) {
			double d = json_number_value(v);
			bool ok = json_is_integer(v) ? json_integer_value(v) >= 0
						     : json_is_real(v) && d >= 0 && d == floor(d);

			json_decref(v);
			if (!ok)
				return err_set(e, ERR_STATES_RUNTIME,
					       "SecondsPath '%.200s' must point to a non-negative integer",
					       w->path.text);
			*secs = d;
			return 0;
		}
		if (!json_is_string(v) || !asl_time_parse(json_string_value(v), &ts)) {
			json_decref(v);
			return err_set(e, ERR_STATES_RUNTIME,
				       "TimestampPath '%.200s' must point to an RFC 3339 timestamp",
				       w->path.text);
		}
		json_decref(v);
		break;
	}
	{
		int64_t now = exec_now_us();

		*secs = (double)(ts.sec - now / 1000000) + (ts.nsec / 1e9) -
			(double)(now % 1000000) / 1e6;
	}
	return 0;
}

enum run_step exec_run_wait(struct frame *f, const struct asl_state *st)
{
	json_t *eff;
	double secs = 0;
	struct err e;

	err_clear(&e);
	if (io_select(f, &st->input_path, f->input, &eff, &e))
		goto fail;
	if (wait_seconds(f, st, eff, &secs, &e)) {
		json_decref(eff);
		goto fail;
	}
	secs *= f->ex->eng->o.wait_scale;
	f->eff = eff;
	if (!(secs > 0))
		return exec_wait_done(f);
	if (exec_timer_arm(f->ex->eng, &f->timer,
			   secs > 1e9 ? (int64_t)1e18 : (int64_t)(secs * 1e9))) {
		err_set(&e, ERR_STATES_RUNTIME, "out of memory");
		goto fail;
	}
	frame_ref(f);   /* the timer's */
	f->timer_kind = TK_WAIT;
	f->status = FR_WAITING;
	f->due_us = exec_now_us() + f->timer.due / 1000 - exec_now_ns() / 1000;
	jr_touch(f);
	return STEP_WAIT;
fail:
	exec_fail_state(f, &e);
	return STEP_END;
}

enum run_step exec_run_succeed(struct frame *f, const struct asl_state *st)
{
	json_t *eff;
	struct err e;

	err_clear(&e);
	if (io_select(f, &st->input_path, f->input, &eff, &e)) {
		exec_fail_state(f, &e);
		return STEP_END;
	}
	return pass_through(f, st, eff, NULL, NULL, st->output, NULL, ASL_NONE);
}

/* Error or Cause of a Fail state: the literal, or ErrorPath/CausePath. */
static int fail_text(struct frame *f, const char *lit, const struct asl_expr *x,
		     const struct asl_template *jx, const char *what, char *out, size_t n,
		     struct err *e)
{
	struct evalctx ec;
	json_t *v = NULL;
	int rc;

	out[0] = '\0';
	if (jx) {
		ec_init(&ec, f, f->input);
		rc = jx_field(&ec, jx, what, &v, e);
		ec_done(&ec);
		if (rc)
			return -1;
		if (!json_is_string(v)) {
			json_decref(v);
			return err_set(e, ERR_STATES_QUERY_EVALUATION,
				       "The JSONata expression '%.200s' specified for the field '%s' must return a string",
				       jx->expr.text, what);
		}
		snprintf(out, n, "%s", json_string_value(v));
		json_decref(v);
		return 0;
	}
	if (lit) {
		snprintf(out, n, "%s", lit);
		return 0;
	}
	if (!x->jp && !x->fn)
		return 0;
	ec_init(&ec, f, f->input);
	rc = ec_expr(&ec, x, &v, e);
	ec_done(&ec);
	if (rc || !json_is_string(v)) {
		json_decref(v);
		return err_set(e, ERR_STATES_RUNTIME, "%s '%.200s' must point to a string", what,
			       x->text);
	}
	snprintf(out, n, "%s", json_string_value(v));
	json_decref(v);
	return 0;
}

enum run_step exec_run_fail(struct frame *f, const struct asl_state *st)
{
	struct err e, r;

	err_clear(&e);
	err_clear(&r);
	if (fail_text(f, st->fail.error, &st->fail.error_path, st->fail.error_expr,
		      st->fail.error_expr ? "Error" : "ErrorPath", r.type, sizeof r.type, &e) ||
	    fail_text(f, st->fail.cause, &st->fail.cause_path, st->fail.cause_expr,
		      st->fail.cause_expr ? "Cause" : "CausePath", r.msg, sizeof r.msg, &e)) {
		exec_fail_state(f, &e);
		return STEP_END;
	}
	frame_end_fail(f, &r);
	return STEP_END;
}
