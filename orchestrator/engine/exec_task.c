/* exec_task — Task states: choosing the integration that serves a Resource,
 * starting the call, TimeoutSeconds and HeartbeatSeconds, the result coming
 * back through the loop's inbox, .waitForTaskToken callbacks, and the
 * integration-facing task_call API.
 *
 * A call is owned by the engine from task_attempt until both the state
 * stopped waiting for it (result processed, timed out, aborted) and the
 * integration reported its end (task_call_done); whichever comes last
 * frees it. The message that carries task_call_done is allocated when the
 * call starts, so reporting can never fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "exec_internal.h"
#include "registry.h"

static void call_free(struct task_call *c)
{
	json_decref(c->input);
	free(c->msg);
	frame_unref(c->f);
	free(c);
}

/* ---- tokens (.waitForTaskToken) --------------------------------------------------- */

static void token_add(struct engine *eng, struct task_call *c)
{
	pthread_mutex_lock(&eng->lock);
	if (eng->ntokens == eng->captokens) {
		size_t cap = eng->captokens ? eng->captokens * 2 : 16;
		struct task_call **t = realloc(eng->tokens, cap * sizeof *t);

		if (t) {
			eng->tokens = t;
			eng->captokens = cap;
		}
	}
	if (eng->ntokens < eng->captokens)
		eng->tokens[eng->ntokens++] = c;
	pthread_mutex_unlock(&eng->lock);
}

static void token_remove(struct engine *eng, struct task_call *c)
{
	size_t i;

	if (!c->token[0])
		return;
	pthread_mutex_lock(&eng->lock);
	for (i = 0; i < eng->ntokens; i++)
		if (eng->tokens[i] == c) {
			eng->tokens[i] = eng->tokens[--eng->ntokens];
			break;
		}
	pthread_mutex_unlock(&eng->lock);
}

/* Under eng->lock. */
static struct task_call *token_find(struct engine *eng, const char *token)
{
	size_t i;

	for (i = 0; i < eng->ntokens; i++)
		if (!strcmp(eng->tokens[i]->token, token))
			return eng->tokens[i];
	return NULL;
}

static int token_post(struct engine *eng, const char *token, json_t *output, const char *error,
		      const char *cause, bool beat, struct err *e)
{
	struct msg *m;
	bool known;

	if (!token || strlen(token) >= EXEC_TOKEN_MAX)
		return err_setn(e, "InvalidToken", "invalid task token");
	m = calloc(1, sizeof *m);
	if (!m)
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	snprintf(m->token, sizeof m->token, "%s", token);
	m->kind = MSG_TOKEN;
	m->beat = beat;
	if (!beat && !output) {
		m->err = calloc(1, sizeof *m->err);
		if (!m->err) {
			free(m);
			return err_set(e, ERR_STATES_RUNTIME, "out of memory");
		}
		snprintf(m->err->type, sizeof m->err->type, "%s", error ? error : "");
		snprintf(m->err->msg, sizeof m->err->msg, "%s", cause ? cause : "");
	}
	m->result = json_incref(output);
	pthread_mutex_lock(&eng->lock);
	known = token_find(eng, token) != NULL;
	pthread_mutex_unlock(&eng->lock);
	if (!known) {
		json_decref(m->result);
		free(m->err);
		free(m);
		return err_setn(e, "TaskDoesNotExist", "no task is waiting for this token");
	}
	exec_post(eng, m);
	return 0;
}

int engine_task_success(struct engine *eng, const char *token, json_t *output, struct err *e)
{
	if (!output)
		return err_setn(e, "InvalidOutput", "no output");
	return token_post(eng, token, output, NULL, NULL, false, e);
}

int engine_task_failure(struct engine *eng, const char *token, const char *error,
			const char *cause, struct err *e)
{
	return token_post(eng, token, NULL, error, cause, false, e);
}

int engine_task_heartbeat(struct engine *eng, const char *token, struct err *e)
{
	return token_post(eng, token, NULL, NULL, NULL, true, e);
}

/* ---- history ---------------------------------------------------------------------- */

static uint32_t call_event(struct task_call *c, enum history_type lambda_t,
			   enum history_type task_t, json_t *data_take, const struct err *e)
{
	const struct asl_task *t = &c->st->task;
	struct history_event ev = { .num = -1, .num2 = -1 };

	if (!c->f->ex->hist || c->reader || c->writer) {   /* the Map's own calls: no Task events */
		json_decref(data_take);
		return 0;
	}
	ev.type = (uint16_t)(c->ops->lambda_events ? lambda_t : task_t);
	ev.data = data_take;
	if (e) {
		ev.data = json_string(e->type);
		ev.data2 = utf8_json_string(e->msg);
		json_decref(data_take);
	}
	if (c->ops->lambda_events) {
		ev.resource = t->resource;
	} else {
		ev.name = c->ops->name ? c->ops->name : t->service;
		ev.resource = t->action ? t->action : t->resource;
	}
	if (ev.type == HIST_LAMBDA_FUNCTION_SCHEDULED || ev.type == HIST_TASK_SCHEDULED) {
		ev.num = c->timeout_s ? (int32_t)c->timeout_s : -1;
		if (ev.type == HIST_TASK_SCHEDULED) {
			ev.num2 = c->heartbeat_s ? (int32_t)c->heartbeat_s : -1;
			ev.data2 = json_string(c->eng->region);
		}
	}
	return exec_event(c->f, &ev);
}

/* ---- the state stops waiting --------------------------------------------------------- */

/* Disconnect the call from its frame (timers, token); free it if the
 * integration is done with it too. */
static void call_detach(struct task_call *c)
{
	struct engine *eng = c->eng;

	exec_timer_cancel(eng, &c->timeout);
	exec_timer_cancel(eng, &c->heartbeat);
	token_remove(eng, c);
	if (c->f->call == c)
		c->f->call = NULL;
	c->cancelled = true;
	if (c->finished)
		call_free(c);
}

void task_cancel(struct task_call *c, bool events)
{
	(void)events;
	if (!c->finished && c->ops->cancel)
		c->ops->cancel(c, c->ctx);
	call_detach(c);
}

static void call_timeout_fire(struct engine *eng, struct timer *t, bool heartbeat)
{
	struct task_call *c = heartbeat
		? (struct task_call *)((char *)t - offsetof(struct task_call, heartbeat))
		: (struct task_call *)((char *)t - offsetof(struct task_call, timeout));
	struct frame *f = c->f;
	struct err e;

	(void)eng;
	if (heartbeat)
		err_set(&e, ERR_STATES_HEARTBEAT_TIMEOUT,
			"The task did not send a heartbeat for %u seconds", c->heartbeat_s);
	else
		err_set(&e, ERR_STATES_TIMEOUT, "The task timed out after %u seconds",
			c->timeout_s);
	call_event(c, HIST_LAMBDA_FUNCTION_TIMED_OUT, HIST_TASK_TIMED_OUT, NULL, &e);
	frame_ref(f);
	task_cancel(c, false);
	exec_resume_error(f, &e);
	frame_unref(f);
}

static void timeout_fire(struct engine *eng, struct timer *t)
{
	call_timeout_fire(eng, t, false);
}

static void heartbeat_fire(struct engine *eng, struct timer *t)
{
	call_timeout_fire(eng, t, true);
}

/* ---- results ------------------------------------------------------------------------- */

static void call_result(struct task_call *c, json_t *result, const struct err *e)
{
	struct frame *f = c->f;

	frame_ref(f);
	if (e) {
		call_event(c, HIST_LAMBDA_FUNCTION_FAILED, HIST_TASK_FAILED, NULL, e);
		call_detach(c);
		exec_resume_error(f, e);
	} else if (io_size(result, ENGINE_DATA_MAX) > ENGINE_DATA_MAX) {
		struct err x;

		err_set(&x, ERR_STATES_DATA_LIMIT,
			"The task result is larger than the maximum of %d bytes", ENGINE_DATA_MAX);
		call_event(c, HIST_LAMBDA_FUNCTION_FAILED, HIST_TASK_FAILED, NULL, &x);
		call_detach(c);
		exec_resume_error(f, &x);
	} else {
		call_event(c, HIST_LAMBDA_FUNCTION_SUCCEEDED, HIST_TASK_SUCCEEDED,
			   json_incref(result), NULL);
		call_detach(c);
		exec_resume_result(f, json_incref(result));
	}
	frame_unref(f);
}

/* A heartbeat: the heartbeat timeout starts again. */
static void call_beat(struct engine *eng, struct task_call *c)
{
	if (exec_timer_arm(eng, &c->heartbeat, (int64_t)c->heartbeat_s * 1000000000)) {
		c->heartbeat_s = 0;   /* no memory for the timer: stop watching */
		c->beat_at_us = 0;
	} else {
		c->beat_at_us = exec_now_us() + (int64_t)c->heartbeat_s * 1000000;
	}
	if (c->awaiting_token)
		jr_touch(c->f);
}

void task_msg(struct engine *eng, struct msg *m)
{
	struct task_call *c = m->call;

	if (m->kind == MSG_TASK_BEAT) {
		if (!c->cancelled && c->heartbeat_s)
			call_beat(eng, c);
		return;
	}
	m->call = NULL;
	c->msg = NULL;    /* handle_msg frees the message itself */
	eng->pending_calls--;
	c->finished = true;
	if (c->cancelled) {
		call_free(c);
		return;
	}
	if (c->reader || c->writer) {
		struct frame *f = c->f;
		bool reader = c->reader != NULL;

		frame_ref(f);
		call_detach(c);   /* frees it */
		if (reader)
			reader_done(f, json_incref(m->result), m->err);
		else
			writer_done(f, json_incref(m->result), m->err);
		frame_unref(f);
		return;
	}
	if (c->token[0] && !m->err) {
		/* The integration ran; the state waits for SendTaskSuccess/Failure. */
		c->awaiting_token = true;
		jr_touch(c->f);
		return;
	}
	call_result(c, m->result, m->err);
}

void task_token_msg(struct engine *eng, struct msg *m)
{
	struct task_call *c;

	pthread_mutex_lock(&eng->lock);
	c = token_find(eng, m->token);
	pthread_mutex_unlock(&eng->lock);
	if (!c || c->cancelled)
		return;
	if (m->beat) {
		if (c->heartbeat_s)
			call_beat(eng, c);
		return;
	}
	if (!c->finished && c->ops->cancel)
		c->ops->cancel(c, c->ctx);
	call_result(c, m->result, m->err);
}

/* ---- starting ---------------------------------------------------------------------- */

static int seconds_field(struct frame *f, json_t *eff, uint32_t lit, const struct asl_path *p,
			 const char *what, uint32_t *out, struct err *e)
{
	struct evalctx ec;
	json_t *v = NULL;
	int rc;

	*out = lit;
	if (lit || p->mode != ASL_PATH_SET)
		return 0;
	ec_init(&ec, f, eff);
	rc = ec_path(&ec, p->jp, &v, e);
	ec_done(&ec);
	if (rc || !json_is_integer(v) || json_integer_value(v) < 1 ||
	    json_integer_value(v) > 99999999) {
		json_decref(v);
		return err_set(e, ERR_STATES_RUNTIME, "%s '%.200s' must point to a positive integer",
			       what, p->text);
	}
	*out = (uint32_t)json_integer_value(v);
	json_decref(v);
	return 0;
}

/* The integration that serves st here: the first that matches. */
static size_t pick_integ(struct frame *f, const struct asl_state *st)
{
	struct engine *eng = f->ex->eng;
	struct task_where w = { .state = st->name, .machine_name = f->ex->sm_name,
				.test_case = f->ex->test_case };
	size_t i;

	for (i = 0; i < eng->ninteg; i++) {
		const struct task_ops *ops = eng->integ[i].ops;

		if (ops->match_state ? ops->match_state(&st->task, &w, eng->integ[i].ctx)
				     : ops->match(&st->task, eng->integ[i].ctx))
			break;
	}
	return i;
}

enum run_step task_attempt(struct frame *f, const struct asl_state *st)
{
	const struct asl_task *t = &st->task;
	struct engine *eng = f->ex->eng;
	struct task_call *c = NULL;
	json_t *eff = NULL, *params = NULL;
	struct err e;
	size_t i;

	err_clear(&e);
	if (io_select(f, &st->input_path, f->input, &eff, &e))
		goto fail;
	i = pick_integ(f, st);
	if (i == eng->ninteg) {
		err_set(&e, ERR_STATES_RUNTIME, "No integration serves the resource '%.300s'%s",
			t->resource, t->kind == ASL_RES_ACTIVITY ? " (activities are not supported)" : "");
		goto fail;
	}
	c = calloc(1, sizeof *c);
	if (c)
		c->msg = calloc(1, sizeof *c->msg);
	if (!c || !c->msg) {
		if (c)
			free(c);
		c = NULL;
		err_set(&e, ERR_STATES_RUNTIME, "out of memory");
		goto fail;
	}
	c->eng = eng;
	c->f = f;
	frame_ref(f);
	c->st = st;
	c->ops = eng->integ[i].ops;
	c->ctx = eng->integ[i].ctx;
	c->timeout.fire = timeout_fire;
	c->heartbeat.fire = heartbeat_fire;
	atomic_init(&c->done_called, false);
	if (t->pattern == ASL_INVOKE_TOKEN && f->resume_token) {
		/* a resumed Task keeps its token: whoever holds it can still answer */
		snprintf(c->token, sizeof c->token, "%s", f->resume_token);
		free(f->resume_token);
		f->resume_token = NULL;
	} else if (t->pattern == ASL_INVOKE_TOKEN)
		snprintf(c->token, sizeof c->token, "%016llx%016llx%08llx",
			 (unsigned long long)exec_random(eng), (unsigned long long)exec_random(eng),
			 (unsigned long long)++f->ex->token_seq);
	f->call = c;          /* $$.Task.Token is visible to Parameters */
	exec_ctx_invalidate(f);
	if (st->jsonata && st->arguments) {
		struct evalctx ec;
		int rc;

		ec_init(&ec, f, eff);
		rc = jx_field(&ec, st->arguments, "Arguments", &params, &e);
		ec_done(&ec);
		if (rc)
			goto fail;
	} else if (st->parameters) {
		struct evalctx ec;
		int rc;

		ec_init(&ec, f, eff);
		rc = ec_template(&ec, st->parameters, &params, &e);
		ec_done(&ec);
		if (rc)
			goto fail;
	} else {
		params = json_incref(eff);
	}
	if (io_size(params, ENGINE_DATA_MAX) > ENGINE_DATA_MAX) {
		err_set(&e, ERR_STATES_DATA_LIMIT,
			"The task input is larger than the maximum of %d bytes", ENGINE_DATA_MAX);
		goto fail;
	}
	if (seconds_field(f, eff, t->timeout_seconds, &t->timeout_path, "TimeoutSecondsPath",
			  &c->timeout_s, &e) ||
	    seconds_field(f, eff, t->heartbeat_seconds, &t->heartbeat_path,
			  "HeartbeatSecondsPath", &c->heartbeat_s, &e))
		goto fail;
	if (t->timeout_expr || t->heartbeat_expr) {
		struct evalctx ec;
		uint64_t n;
		int rc = 0;

		ec_init(&ec, f, eff);
		if (t->timeout_expr && !(rc = jx_seconds(&ec, t->timeout_expr, "TimeoutSeconds", 1,
							  99999999, &n, &e)))
			c->timeout_s = (uint32_t)n;
		if (!rc && t->heartbeat_expr &&
		    !(rc = jx_seconds(&ec, t->heartbeat_expr, "HeartbeatSeconds", 1, 99999999, &n, &e)))
			c->heartbeat_s = (uint32_t)n;
		ec_done(&ec);
		if (rc)
			goto fail;
	}
	json_decref(eff);
	eff = NULL;
	c->input = params;
	params = NULL;
	call_event(c, HIST_LAMBDA_FUNCTION_SCHEDULED, HIST_TASK_SCHEDULED, json_incref(c->input),
		   NULL);
	if (c->token[0])
		token_add(eng, c);
	eng->pending_calls++;
	if (c->ops->start(c, c->ctx, &e)) {
		eng->pending_calls--;
		call_event(c, HIST_LAMBDA_FUNCTION_START_FAILED, HIST_TASK_START_FAILED, NULL, &e);
		c->finished = true;
		call_detach(c);   /* frees it */
		return exec_state_error(f, st, &e);
	}
	call_event(c, HIST_LAMBDA_FUNCTION_STARTED, HIST_TASK_STARTED, NULL, NULL);
	if ((c->timeout_s && exec_timer_arm(eng, &c->timeout, (int64_t)c->timeout_s * 1000000000)) ||
	    (c->heartbeat_s &&
	     exec_timer_arm(eng, &c->heartbeat, (int64_t)c->heartbeat_s * 1000000000))) {
		err_set(&e, ERR_STATES_RUNTIME, "out of memory");
		task_cancel(c, false);
		return exec_state_error(f, st, &e);
	}
	if (c->timeout_s)
		c->timeout_at_us = exec_now_us() + (int64_t)c->timeout_s * 1000000;
	if (c->heartbeat_s)
		c->beat_at_us = exec_now_us() + (int64_t)c->heartbeat_s * 1000000;
	f->status = FR_WAITING;
	jr_touch(f);
	return STEP_WAIT;
fail:
	json_decref(eff);
	json_decref(params);
	if (c) {
		f->call = NULL;
		exec_ctx_invalidate(f);
		c->finished = true;
		c->cancelled = true;
		call_free(c);
	}
	return exec_state_error(f, st, &e);
}

int task_restore_token(struct frame *f, const struct asl_state *st, const char *token,
		       int64_t timeout_at_us, int64_t beat_at_us, struct err *e)
{
	struct engine *eng = f->ex->eng;
	const struct asl_task *t = &st->task;
	struct task_call *c;
	int64_t now = exec_now_us();
	size_t i;

	if (st->type != ASL_TASK || !token || strlen(token) >= EXEC_TOKEN_MAX)
		return err_set(e, ERR_STATES_RUNTIME, "resume: no task token for state '%.100s'",
			       st->name);
	i = pick_integ(f, st);
	if (i == eng->ninteg)
		return err_set(e, ERR_STATES_RUNTIME, "No integration serves the resource '%.300s'",
			       t->resource);
	c = calloc(1, sizeof *c);
	if (!c)
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	c->eng = eng;
	c->f = f;
	frame_ref(f);
	c->st = st;
	c->ops = eng->integ[i].ops;
	c->ctx = eng->integ[i].ctx;
	c->timeout.fire = timeout_fire;
	c->heartbeat.fire = heartbeat_fire;
	atomic_init(&c->done_called, true);   /* the integration is long done */
	snprintf(c->token, sizeof c->token, "%s", token);
	c->finished = true;
	c->awaiting_token = true;
	c->timeout_at_us = timeout_at_us;
	c->beat_at_us = beat_at_us;
	if (timeout_at_us) {
		c->timeout_s = (uint32_t)((timeout_at_us - now) / 1000000 + 1);
		exec_timer_arm(eng, &c->timeout, timeout_at_us > now ? (timeout_at_us - now) * 1000 : 0);
	}
	if (beat_at_us) {
		c->heartbeat_s = st->task.heartbeat_seconds ? st->task.heartbeat_seconds
							    : (uint32_t)((beat_at_us - now) / 1000000 + 1);
		exec_timer_arm(eng, &c->heartbeat, beat_at_us > now ? (beat_at_us - now) * 1000 : 0);
	}
	f->call = c;
	f->status = FR_WAITING;
	token_add(eng, c);
	return 0;
}

/* ---- a Map's ItemReader and ResultWriter ------------------------------------------------ */

int task_start_mapio(struct frame *f, const struct asl_state *st,
		     const struct asl_item_reader *r, const struct asl_result_writer *w,
		     json_t *params, uint64_t max_items, struct err *e)
{
	const struct asl_task *t = r ? &r->task : &w->task;
	struct engine *eng = f->ex->eng;
	struct task_call *c;
	size_t i;

	/* Mocks (match_state) answer Task states by name; these are not Tasks. */
	for (i = 0; i < eng->ninteg; i++)
		if (!eng->integ[i].ops->match_state && eng->integ[i].ops->match &&
		    eng->integ[i].ops->match(t, eng->integ[i].ctx))
			break;
	if (i == eng->ninteg) {
		json_decref(params);
		return err_set(e, r ? ERR_STATES_ITEM_READER_FAILED : ERR_STATES_RESULT_WRITER_FAILED,
			       "No integration serves the %s's resource '%.300s' here (the S3 integration is not loaded)",
			       r ? "ItemReader" : "ResultWriter", t->resource);
	}
	c = calloc(1, sizeof *c);
	if (c)
		c->msg = calloc(1, sizeof *c->msg);
	if (!c || !c->msg) {
		free(c);
		json_decref(params);
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	}
	c->eng = eng;
	c->f = f;
	frame_ref(f);
	c->st = st;
	c->reader = r;
	c->reader_max = max_items;
	c->writer = w;
	c->ops = eng->integ[i].ops;
	c->ctx = eng->integ[i].ctx;
	c->timeout.fire = timeout_fire;
	c->heartbeat.fire = heartbeat_fire;
	atomic_init(&c->done_called, false);
	c->input = params;
	f->call = c;
	eng->pending_calls++;
	if (c->ops->start(c, c->ctx, e)) {
		eng->pending_calls--;
		c->finished = true;
		call_detach(c);   /* frees it */
		return -1;
	}
	return 0;
}

/* ---- the integration's side ------------------------------------------------------------ */

const struct asl_task *task_call_task(const struct task_call *c)
{
	if (c->reader)
		return &c->reader->task;
	return c->writer ? &c->writer->task : &c->st->task;
}

const struct asl_result_writer *task_call_writer(const struct task_call *c)
{
	return c->writer;
}

const struct asl_item_reader *task_call_reader(const struct task_call *c)
{
	return c->reader;
}

uint64_t task_call_reader_max(const struct task_call *c)
{
	return c->reader_max;
}

const char *task_call_state(const struct task_call *c)
{
	return c->st->name;
}

json_t *task_call_input(const struct task_call *c)
{
	return c->input;
}

const char *task_call_token(const struct task_call *c)
{
	return c->token[0] ? c->token : NULL;
}

struct engine *task_call_engine(const struct task_call *c)
{
	return c->eng;
}

const char *task_call_execution(const struct task_call *c)
{
	return c->f->ex->arn;
}

struct rt *task_call_rt(const struct task_call *c)
{
	return c->eng->o.rt;
}

void task_call_set_data(struct task_call *c, void *data)
{
	c->data = data;
}

void *task_call_data(const struct task_call *c)
{
	return c->data;
}

void task_call_done(struct task_call *c, json_t *result, const struct err *e)
{
	struct msg *m;

	if (atomic_exchange(&c->done_called, true)) {
		json_decref(result);
		return;
	}
	m = c->msg;
	m->kind = MSG_TASK_DONE;
	m->call = c;
	if (e || !result) {
		json_decref(result);
		result = NULL;
		m->err = calloc(1, sizeof *m->err);
		if (m->err) {
			if (e)
				*m->err = *e;
			else
				err_set(m->err, ERR_STATES_TASK_FAILED, "the task returned no result");
		}
	}
	m->result = result;
	if (!result && !m->err)
		m->result = json_null();   /* out of memory for the error: report nothing better */
	exec_post(c->eng, m);
}

void task_call_heartbeat(struct task_call *c)
{
	struct msg *m;

	if (atomic_load(&c->done_called))
		return;
	m = calloc(1, sizeof *m);
	if (!m)
		return;
	m->kind = MSG_TASK_BEAT;
	m->call = c;
	exec_post(c->eng, m);
}

int task_call_resolve_function(struct task_call *c, const char *ref, struct fn_config *out,
			       struct err *e)
{
	struct engine *eng = c->eng;
	char name[FN_NAME_MAX + 1];
	size_t i, n = strcspn(ref, ":");
	struct err re;

	snprintf(name, sizeof name, "%.*s", (int)(n < FN_NAME_MAX ? n : FN_NAME_MAX), ref);
	for (i = 0; i < eng->nfns; i++)
		if (!strcmp(eng->fns[i].name, name)) {
			*out = *eng->fns[i].cfg;
			return 0;
		}
	if (eng->o.registry && registry_resolve(eng->o.registry, ref, out, &re) == 0)
		return 0;
	return err_set(e, ERR_STATES_TASK_FAILED,
		       "Function '%.200s' was not found: bind it with --function %s=PATH.so or create it with 'tutti function create'",
		       ref, name);
}
