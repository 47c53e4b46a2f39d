/* exec_journal — durable checkpoints of journaled executions, and
 * rebuilding an execution from them (engine.h, "durability").
 *
 * A frame's row is a function of where the frame is (taken at the end of
 * the loop turn, when no frame is in the middle of a state):
 *   {"k": "ready", "s": STATE, "in": INPUT}      enter STATE with INPUT
 *   {"k": "wait",  ..., "eff": EFF, "due": US}   a Wait state until US
 *   {"k": "retry", ..., "due": US, "r": [...]}   a Retry back-off until US
 *   {"k": "task",  ..., "tok": T}                a Task in flight: re-run it
 *   {"k": "token", ..., "tok": T, "to": US, "hb": US}  waiting for SendTask*
 *   {"k": "fan",   ..., "fan": {...}}            a Map/Parallel, children below
 *   {"k": "write", ..., "win": {...}}            a Map's ResultWriter export in
 *                                                flight: started again
 *   {"k": "done",  "out": OUTPUT}                a finished child
 *   {"k": "failed","err": {"Error", "Cause"}}    a failed child (tolerated)
 *   {"k": "redrive", ...}                        where a failed execution stopped
 * with "v" (variables), "pe" (the previous event id on this path), "rt"
 * ($$.State.RetryCount) and "r" (per-retrier counts) where they matter.
 *
 * Lazy rows: touching a frame queues one PUT holding a reference to it;
 * the row is built at flush time, so a frame that passes through 1,000
 * Pass states in one turn writes one row. Rows of finished children are
 * built at once (the frame goes away). */
#include <stdlib.h>
#include <string.h>

#include "exec_internal.h"

/* ---- pending changes ------------------------------------------------------------ */

static void mark_dirty(struct exec *ex)
{
	struct engine *eng = ex->eng;

	if (ex->jdirty)
		return;
	ex->jdirty = true;
	atomic_fetch_add(&ex->refs, 1);   /* the dirty list's */
	ex->jnext = eng->jdirty;
	eng->jdirty = ex;
}

static struct jop *add_op(struct exec *ex)
{
	if (ex->njops == ex->capjops) {
		size_t cap = ex->capjops ? ex->capjops * 2 : 8;
		struct jop *o = realloc(ex->jops, cap * sizeof *o);

		if (!o)
			return NULL;
		ex->jops = o;
		ex->capjops = cap;
	}
	memset(&ex->jops[ex->njops], 0, sizeof ex->jops[0]);
	mark_dirty(ex);
	return &ex->jops[ex->njops++];
}

void jr_touch(struct frame *f)
{
	struct jop *o;

	if (!f->ex->journaled || f->jdirty || !f->path)
		return;
	o = add_op(f->ex);
	if (!o)
		return;   /* out of memory: the row stays as it was (recovery re-runs more) */
	o->op = ENGINE_FRAME_PUT;
	o->f = f;
	frame_ref(f);
	f->jdirty = true;
}

void jr_put_now(struct frame *f, json_t *body_take)
{
	struct jop *o;

	if (!f->ex->journaled || !f->path || !body_take) {
		json_decref(body_take);
		return;
	}
	o = add_op(f->ex);
	if (!o || !(o->path = strdup(f->path))) {
		json_decref(body_take);
		return;
	}
	o->op = ENGINE_FRAME_PUT;
	o->body = body_take;
}

void jr_delete_under(struct frame *f)
{
	struct jop *o;

	if (!f->ex->journaled || !f->path)
		return;
	o = add_op(f->ex);
	if (!o || !(o->path = strdup(f->path)))
		return;
	o->op = ENGINE_FRAME_DELETE_UNDER;
}

char *jr_child_path(const struct frame *owner, size_t index)
{
	char *p = NULL;

	if (!owner->ex->journaled || !owner->path)
		return NULL;
	if (asprintf(&p, "%s/%zu", owner->path, index) < 0)
		return NULL;
	return p;
}

static void ops_clear(struct exec *ex)
{
	size_t i;

	for (i = 0; i < ex->njops; i++) {
		struct jop *o = &ex->jops[i];

		if (o->f) {
			o->f->jdirty = false;
			frame_unref(o->f);
		}
		free(o->path);
		json_decref(o->body);
	}
	ex->njops = 0;
}

void jr_exec_free(struct exec *ex)
{
	ops_clear(ex);
	free(ex->jops);
	json_decref(ex->redrive_row);
	if (ex->resume) {
		size_t i;

		for (i = 0; i < ex->resume->n; i++) {
			free(ex->resume->paths[i]);
			json_decref(ex->resume->bodies[i]);
		}
		free(ex->resume->paths);
		free(ex->resume->bodies);
		free(ex->resume);
	}
}

/* ---- rows ---------------------------------------------------------------------- */

json_t *jr_frame_body(struct frame *f, const char *kind)
{
	const struct asl_state *st = &f->m->states[f->state];
	json_t *b = json_pack("{s:s, s:s, s:O, s:I}", "k", kind, "s", st->name, "in",
			      f->input ? f->input : json_null(), "pe", (json_int_t)f->prev_event);

	if (!b)
		return NULL;
	if (f->vars)
		json_object_set_nocheck(b, "v", f->vars);
	if (f->retry_total)
		json_object_set_new_nocheck(b, "rt", json_integer(f->retry_total));
	if (st->n_retry && strcmp(kind, "ready")) {
		json_t *r = json_array();
		size_t i;

		for (i = 0; r && i < st->n_retry; i++)
			json_array_append_new(r, json_integer(f->retries[i]));
		if (r)
			json_object_set_new_nocheck(b, "r", r);
	}
	return b;
}

/* The row of a frame as it stands, or NULL when it has none (finished). */
static json_t *snapshot(struct frame *f, const char **token, int64_t *due)
{
	json_t *b;

	*token = NULL;
	*due = 0;
	if (f->status == FR_DONE)
		return NULL;
	if (f->child) {
		b = jr_frame_body(f, "fan");
		if (b)
			json_object_set_new_nocheck(b, "fan", fanout_row(f->child));
		return b;
	}
	if (f->call && f->call->writer) {   /* the Map's iterations are over: write again */
		b = jr_frame_body(f, "write");
		if (b)
			json_object_set_nocheck(b, "win", f->call->input);
		return b;
	}
	if (f->call) {
		struct task_call *c = f->call;

		b = jr_frame_body(f, c->awaiting_token ? "token" : "task");
		if (b && c->token[0]) {
			json_object_set_new_nocheck(b, "tok", json_string(c->token));
			*token = c->token;
		}
		if (b && c->awaiting_token) {
			if (c->timeout_at_us)
				json_object_set_new_nocheck(b, "to", json_integer(c->timeout_at_us));
			if (c->beat_at_us)
				json_object_set_new_nocheck(b, "hb", json_integer(c->beat_at_us));
			*due = c->beat_at_us && (!c->timeout_at_us || c->beat_at_us < c->timeout_at_us)
				       ? c->beat_at_us : c->timeout_at_us;
		}
		return b;
	}
	if (f->timer.pos) {
		bool wait = f->timer_kind == TK_WAIT;

		b = jr_frame_body(f, wait ? "wait" : "retry");
		if (b) {
			json_object_set_new_nocheck(b, "due", json_integer(f->due_us));
			if (wait && f->eff)
				json_object_set_nocheck(b, "eff", f->eff);
		}
		*due = f->due_us;
		return b;
	}
	return jr_frame_body(f, "ready");
}

/* ---- checkpoints ------------------------------------------------------------------ */

void jr_finish(struct exec *ex)
{
	struct frame *root = ex->root;

	if (!ex->journaled)
		return;
	ex->jfinished = true;
	mark_dirty(ex);
	/* Where a failed execution stopped, for RedriveExecution: the top-level
	 * state it was in, with that state's input. */
	if (root) {
		json_decref(ex->redrive_row);
		ex->redrive_row = jr_frame_body(root, "redrive");
	}
}

static void flush_one(struct engine *eng, struct exec *ex)
{
	const struct engine_journal *j = eng->o.journal;
	struct engine_frame_change *ch = NULL;
	json_t **owned = NULL;
	size_t i, n = 0, nowned = 0;
	struct engine_checkpoint c = { 0 };

	c.exec_arn = ex->arn;
	c.version = ex->version;
	c.hist = ex->hist;
	c.ev_from = ex->ev_flushed;
	c.ev_to = history_count(ex->hist);
	if (ex->jfinished) {
		struct engine_frame_change fin[2];

		memset(fin, 0, sizeof fin);
		fin[0].op = ENGINE_FRAME_DELETE_ALL;
		n = 1;
		if (ex->redrive_row && atomic_load(&ex->status) != ENGINE_SUCCEEDED) {
			fin[1].op = ENGINE_FRAME_PUT;
			fin[1].path = "r";
			fin[1].body = ex->redrive_row;
			n = 2;
		}
		c.changes = fin;
		c.nchanges = n;
		c.finished = true;
		c.status = (enum engine_status)atomic_load(&ex->status);
		c.output = ex->output;
		c.error = ex->error;
		c.cause = ex->cause;
		c.stop_us = exec_now_us();
		j->checkpoint(j->ctx, &c);
		goto out;
	}
	ch = calloc(ex->njops ? ex->njops : 1, sizeof *ch);
	owned = calloc(ex->njops ? ex->njops : 1, sizeof *owned);
	if (!ch || !owned)
		goto out;   /* out of memory: the next turn tries again */
	for (i = 0; i < ex->njops; i++) {
		struct jop *o = &ex->jops[i];
		struct engine_frame_change *x = &ch[n];

		x->op = o->op;
		if (o->f) {
			const char *tok;
			int64_t due;
			json_t *b = snapshot(o->f, &tok, &due);

			o->f->jdirty = false;
			if (!b)
				continue;
			owned[nowned++] = b;
			x->path = o->f->path;
			x->body = b;
			x->token = tok;
			x->due_us = due;
		} else {
			x->path = o->path;
			x->body = o->body;
		}
		n++;
	}
	c.changes = ch;
	c.nchanges = n;
	j->checkpoint(j->ctx, &c);
out:
	ex->version++;
	ex->ev_flushed = c.ev_to;
	for (i = 0; i < nowned; i++)
		json_decref(owned[i]);
	free(owned);
	free(ch);
	ops_clear(ex);
}

void jr_flush(struct engine *eng)
{
	struct exec *ex = eng->jdirty, *next;

	if (!ex)
		return;
	eng->jdirty = NULL;
	/* Oldest change first is not needed: executions are independent. */
	for (; ex; ex = next) {
		next = ex->jnext;
		ex->jnext = NULL;
		ex->jdirty = false;
		if (ex->parked)
			ops_clear(ex);   /* taken out: its changes are not recorded */
		else
			flush_one(eng, ex);
		if (ex->jfinished)
			ex->journaled = false;   /* nothing after the end */
		exec_unref(ex);
	}
}

/* ---- rebuilding ------------------------------------------------------------------- */

json_t *jr_row(struct exec *ex, const char *path)
{
	struct resume_rows *r = ex->resume;
	size_t lo = 0, hi = r ? r->n : 0;

	while (lo < hi) {   /* rows are sorted by path (bytewise) */
		size_t mid = (lo + hi) / 2;
		int c = strcmp(r->paths[mid], path);

		if (!c)
			return r->bodies[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int64_t jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static int64_t until_ns(int64_t due_us)
{
	int64_t d = due_us - exec_now_us();

	return d > 0 ? d * 1000 : 0;
}

struct frame *jr_restore_frame(struct exec *ex, const struct asl_machine *m, const char *path,
			       struct fanout *fan, size_t index, struct err *e)
{
	json_t *row = jr_row(ex, path), *r;
	const char *kind = json_string_value(json_object_get(row, "k"));
	const char *sname = json_string_value(json_object_get(row, "s"));
	const struct asl_state *st;
	struct frame *f;
	int idx;
	size_t i;

	if (!row || !kind || !sname || (idx = asl_find_state(m, sname)) < 0) {
		err_set(e, ERR_STATES_RUNTIME, "resume: the row at '%.100s' does not fit the state machine",
			path);
		return NULL;
	}
	st = &m->states[idx];
	f = frame_new(ex, m, json_incref(json_object_get(row, "in")), json_object_get(row, "v"),
		      fan, index);
	if (!f) {
		err_set(e, ERR_STATES_RUNTIME, "out of memory");
		return NULL;
	}
	f->path = strdup(path);
	f->state = idx;
	f->prev_event = (uint32_t)jint(row, "pe");
	f->retry_total = (uint32_t)jint(row, "rt");
	if (st->n_retry > EXEC_RETRIES_INLINE) {
		f->retries = calloc(st->n_retry, sizeof *f->retries);
		if (!f->retries)
			f->retries = f->retries_inline;
	}
	if (f->retries == f->retries_inline)
		memset(f->retries_inline, 0, sizeof f->retries_inline);
	r = json_object_get(row, "r");
	for (i = 0; i < st->n_retry && i < json_array_size(r) &&
		    (f->retries != f->retries_inline || i < EXEC_RETRIES_INLINE); i++)
		f->retries[i] = (uint32_t)json_integer_value(json_array_get(r, i));
	if (!f->path)
		goto oom;
	if (!strcmp(kind, "ready")) {
		exec_schedule(f);
	} else if (!strcmp(kind, "wait") || !strcmp(kind, "retry") || !strcmp(kind, "task")) {
		bool wait = kind[0] == 'w';

		if (wait)
			f->eff = json_incref(json_object_get(row, "eff") ? json_object_get(row, "eff")
									 : f->input);
		if (!strcmp(kind, "task")) {
			const char *tok = json_string_value(json_object_get(row, "tok"));

			if (tok && !(f->resume_token = strdup(tok)))
				goto oom;
			f->due_us = exec_now_us();
		} else {
			f->due_us = jint(row, "due");
		}
		if (exec_timer_arm(ex->eng, &f->timer, until_ns(f->due_us)))
			goto oom;
		frame_ref(f);   /* the timer's */
		f->timer_kind = wait ? TK_WAIT : TK_RETRY;   /* TK_RETRY: attempt() again */
		f->status = FR_WAITING;
	} else if (!strcmp(kind, "token")) {
		if (task_restore_token(f, st, json_string_value(json_object_get(row, "tok")),
				       jint(row, "to"), jint(row, "hb"), e))
			goto fail;
	} else if (!strcmp(kind, "fan")) {
		if (fanout_restore(f, st, row, e))
			goto fail;
	} else if (!strcmp(kind, "write")) {
		if (writer_restore(f, st, json_object_get(row, "win"), e))
			goto fail;
	} else {
		err_set(e, ERR_STATES_RUNTIME, "resume: unknown row kind '%.20s' at '%.100s'", kind,
			path);
		goto fail;
	}
	return f;
oom:
	err_set(e, ERR_STATES_RUNTIME, "out of memory");
fail:
	f->status = FR_DONE;
	frame_unref(f);
	return NULL;
}

int jr_restore(struct exec *ex, struct err *e)
{
	struct frame *root = jr_restore_frame(ex, ex->m, "r", NULL, 0, e);

	if (!root)
		return -1;
	ex->root = root;
	return 0;
}

/* ---- rows for the service ------------------------------------------------------------- */

json_t *engine_first_row(const struct asl_machine *m, json_t *input)
{
	return json_pack("{s:s, s:s, s:O, s:i}", "k", "ready", "s", m->states[m->start].name, "in",
			 input ? input : json_null(), "pe", 1);
}

json_t *engine_redrive_row(json_t *row, uint32_t prev_event)
{
	json_t *r;

	if (!json_is_object(row) ||
	    strcmp(json_string_value(json_object_get(row, "k")) ?: "", "redrive"))
		return NULL;
	r = json_deep_copy(row);
	if (!r)
		return NULL;
	json_object_set_new_nocheck(r, "k", json_string("ready"));
	json_object_set_new_nocheck(r, "pe", json_integer(prev_event));
	json_object_del(r, "r");
	json_object_del(r, "rt");
	return r;
}
