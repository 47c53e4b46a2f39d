/* service — open/close, recovery, the bridge from the engine's journal to
 * the store, svc_call and the one way executions start (svc_internal.h).
 *
 * Executions: svc_start_execution writes the execution row, its
 * ExecutionStarted event and its first frame row in one durable
 * transaction, then hands the row to engine_resume — the same path a
 * restart takes for every RUNNING execution, so a new execution and a
 * recovered one are one code path. From then on the engine's checkpoints
 * become store transactions (journal_checkpoint), committed in groups by
 * the store's writer.
 *
 * Compiled state machines are cached by definition text (an execution
 * borrows its machine for its whole life; an update makes a new entry, the
 * old one stays for the executions still using it) and freed on close. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "utf8.h"
#include "asl.h"
#include "engine.h"
#include "engine_mock.h"
#include "integ_loader.h"
#include "log.h"
#include "registry.h"
#include "rt.h"
#include "svc_internal.h"

struct svc_machine {
	struct svc_machine *next;
	uint64_t hash;
	char *text;
	struct asl_machine *m;
};

/* ---- small helpers ---------------------------------------------------------- */

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

const char *svc_str(json_t *req, const char *key, bool required, size_t max, struct err *e)
{
	json_t *v = json_object_get(req, key);

	if (!v || json_is_null(v)) {
		if (required)
			err_setn(e, "ValidationException", "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", key);
		return NULL;
	}
	if (!json_is_string(v)) {
		err_setn(e, "ValidationException", "'%s' must be a string", key);
		return NULL;
	}
	if (json_string_length(v) > max) {
		err_setn(e, "ValidationException",
			 "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %zu",
			 key, max);
		return NULL;
	}
	return json_string_value(v);
}

char *svc_arn(const struct svc *s, const char *service, const char *resource)
{
	char *a = NULL;

	if (asprintf(&a, "arn:aws:%s:%s:%s:%s", service, s->region, s->account, resource) < 0)
		return NULL;
	return a;
}

json_t *svc_time(int64_t us)
{
	return json_real((double)(us / 1000) / 1000.0);
}

int svc_check_name(const char *name, const char *field, size_t max, struct err *e)
{
	size_t n = name ? strlen(name) : 0, i;

	if (n < 1 || n > max)
		return err_setn(e, "ValidationException", "%s must have 1 to %zu characters", field, max);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!(c == '_' || c == '-' || c == '.' || (c >= '0' && c <= '9') ||
		      (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			return err_setn(e, "ValidationException",
					"%s '%.100s' may contain only letters, digits, '_', '-' and '.'",
					field, name);
	}
	return 0;
}

/* ---- compiled machines ---------------------------------------------------------- */

static uint64_t fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The compiled machine for a definition (cached; lives until close). */
static struct asl_machine *machine_for(struct svc *s, const char *text, struct err *e)
{
	uint64_t h = fnv(text);
	struct svc_machine *sm;
	struct asl_machine *m;
	struct asl_diag d;

	pthread_mutex_lock(&s->lock);
	for (sm = s->machines; sm; sm = sm->next)
		if (sm->hash == h && !strcmp(sm->text, text)) {
			pthread_mutex_unlock(&s->lock);
			return sm->m;
		}
	pthread_mutex_unlock(&s->lock);
	asl_diag_init(&d);
	m = asl_compile(text, strlen(text), &d);
	if (!m) {
		err_setn(e, "InvalidDefinition", "%s",
			 d.count ? d.lines[0] : "the definition is not valid");
		asl_diag_free(&d);
		return NULL;
	}
	asl_diag_free(&d);
	sm = calloc(1, sizeof *sm);
	if (!sm || !(sm->text = strdup(text))) {
		free(sm);
		asl_machine_free(m);
		err_setn(e, "ServiceException", "out of memory");
		return NULL;
	}
	sm->hash = h;
	sm->m = m;
	pthread_mutex_lock(&s->lock);
	sm->next = s->machines;
	s->machines = sm;
	pthread_mutex_unlock(&s->lock);
	return m;
}

/* ---- the journal: checkpoints become store transactions ---------------------------- */

/* A checkpoint that could not be kept (a full disk, an I/O error): the
 * execution leaves the engine (engine_park_arn) and is loaded again from
 * its last kept checkpoint by the reloader thread, once the store takes
 * writes again. Runs on the store's writer thread: only posts. */
struct reload {
	struct reload *next;
	char *arn;
};

struct svc_commit {
	struct svc *s;
	char *arn;
};

static char *dump(const json_t *v);

/* A checkpoint the store will never take (a row over its value limit, a
 * constraint): parking and reloading would only run into it again, so
 * the execution fails, in the store, whatever version the engine had
 * reached (a forced end), and leaves the engine. A disk that is full or
 * busy, a queue that is full, a conflict (the sequel of a refused
 * checkpoint) may pass: those park and reload. */
static bool refusal_passes(const struct err *e)
{
	static const char *const passing[] = { "StoreFull", "StoreLocked", "StoreIO", "StoreConflict",
					       "TooManyRequestsException" };

	for (size_t i = 0; i < sizeof passing / sizeof *passing; i++)
		if (e && !strcmp(e->type, passing[i]))
			return true;
	return false;
}

static void fail_done(void *arg, int rc, const struct err *e)
{
	char *arn = arg;

	if (rc)
		log_error("store: %s could not be marked failed: %s: %s", arn ? arn : "?", e ? e->type : "?",
			  e ? e->msg : "?");
	free(arn);
}

static void fail_unsaved(struct svc *s, const char *arn, const struct err *why)
{
	char cause[768];
	struct history_event ev = { .type = HIST_EXECUTION_FAILED, .num = -1, .num2 = -1 };
	struct store_event sev = { .id = 1, .type = "ExecutionFailed" };
	struct store_frame del = { .op = STORE_FRAME_DELETE_ALL };
	struct store_txn t = { .exec_arn = arn, .finished = true, .force = true, .status = STORE_FAILED,
			       .error = "States.Runtime", .cause = cause };
	json_t *body;
	char *arg = strdup(arn);
	struct err e;

	utf8_snprintf(cause, sizeof cause, "the execution's state could not be saved: %s: %s", why->type,
		      why->msg);
	ev.data = json_string("States.Runtime");
	ev.data2 = json_string(cause);
	body = history_event_body(&ev);
	json_decref(ev.data);
	json_decref(ev.data2);
	sev.ts_us = t.stop_us = now_us();
	sev.details = body ? dump(body) : NULL;
	json_decref(body);
	t.events = sev.details ? &sev : NULL;
	t.nevents = sev.details ? 1 : 0;
	t.frames = &del;
	t.nframes = 1;
	log_error("%s failed: %s", arn, cause);
	if (store_commit(s->store, &t, fail_done, arg, &e)) {
		log_error("store: %s could not be marked failed: %s: %s", arn, e.type, e.msg);
		free(arg);
	}
	free(sev.details);
	engine_park_arn(s->eng, arn);
}

static void commit_done(void *arg, int rc, const struct err *e)
{
	struct svc_commit *c = arg;

	if (rc) {
		log_error("store: a transition of %s was not kept: %s: %s", c ? c->arn : "?",
			  e ? e->type : "?", e ? e->msg : "?");
		if (c && c->s->eng && !atomic_load(&c->s->closing)) {
			if (refusal_passes(e))
				engine_park_arn(c->s->eng, c->arn);
			else
				fail_unsaved(c->s, c->arn, e);
		}
	}
	if (c) {
		free(c->arn);
		free(c);
	}
}

static int resume_one(struct svc *s, struct asl_machine *known, const struct store_exec *x,
		      uint32_t last_event, const struct store_frame_row *rows, size_t nrows,
		      struct err *e);

static void notify_waiters(struct svc *s, const char *arn, const struct store_exec *sx);

static void *reloader_main(void *arg)
{
	struct svc *s = arg;

	pthread_mutex_lock(&s->lock);
	while (!atomic_load(&s->closing)) {
		struct reload *r = s->reloads;
		struct timespec ts;

		if (!r) {
			pthread_cond_wait(&s->reload_cv, &s->lock);
			continue;
		}
		/* let the disk breathe: one attempt a second */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&s->reload_cv, &s->lock, &ts);
		if (atomic_load(&s->closing))
			break;
		r = s->reloads;   /* with what came in during the wait */
		s->reloads = NULL;
		pthread_mutex_unlock(&s->lock);
		while (r) {
			struct reload *next = r->next;
			struct store_exec x = { 0 };
			struct store_frame_row *rows = NULL;
			size_t n = 0;
			uint32_t last = 0;
			struct err e;

			if (store_sync(s->store, &e) == 0 && store_exec_get(s->store, r->arn, &x, &e) == 0 &&
			    x.status != STORE_RUNNING) {
				notify_waiters(s, r->arn, &x);   /* failed for good (fail_unsaved) */
			} else if (x.arn && store_exec_frames(s->store, r->arn, &rows, &n, &last, &e) == 0) {
				if (resume_one(s, NULL, &x, last, rows, n, &e))
					log_error("%s cannot be reloaded: %s: %s", r->arn, e.type, e.msg);
				else
					log_info("%s reloaded from its last kept checkpoint", r->arn);
			}
			store_frame_rows_free(rows, n);
			store_exec_free(&x);
			free(r->arn);
			free(r);
			r = next;
		}
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static char *dump(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* An engine status as the store spells it. */
static const enum store_status status_map[] = {
	[ENGINE_RUNNING] = STORE_RUNNING, [ENGINE_SUCCEEDED] = STORE_SUCCEEDED,
	[ENGINE_FAILED] = STORE_FAILED, [ENGINE_TIMED_OUT] = STORE_TIMED_OUT,
	[ENGINE_ABORTED] = STORE_ABORTED,
};

static void journal_checkpoint(void *ctx, const struct engine_checkpoint *c)
{
	struct svc *s = ctx;
	size_t nev = c->ev_to - c->ev_from, i;
	struct store_event *evs = calloc(nev ? nev : 1, sizeof *evs);
	struct store_frame *fr = calloc(c->nchanges ? c->nchanges : 1, sizeof *fr);
	char **texts = calloc(c->nchanges ? c->nchanges : 1, sizeof *texts);
	char *out_text = NULL;
	struct store_txn t = { 0 };
	struct err e;

	if (!evs || !fr || !texts)
		goto out;
	for (i = 0; i < nev; i++) {
		const struct history_event *ev = history_get(c->hist, c->ev_from + i);
		json_t *b = history_event_body(ev);

		evs[i].id = ev->id;
		evs[i].prev = ev->prev;
		evs[i].ts_us = ev->ts_us;
		evs[i].type = (char *)history_type_name((enum history_type)ev->type);
		evs[i].details = b ? dump(b) : NULL;
		json_decref(b);
		if (!evs[i].details)
			goto out;
	}
	for (i = 0; i < c->nchanges; i++) {
		const struct engine_frame_change *x = &c->changes[i];

		fr[i].op = x->op == ENGINE_FRAME_PUT ? STORE_FRAME_PUT
			 : x->op == ENGINE_FRAME_DELETE_UNDER ? STORE_FRAME_DELETE_UNDER
							       : STORE_FRAME_DELETE_ALL;
		fr[i].path = x->path;
		fr[i].token = x->token;
		fr[i].due_us = x->due_us;
		if (x->body) {
			texts[i] = dump(x->body);
			if (!texts[i])
				goto out;
			fr[i].body = texts[i];
		}
	}
	t.exec_arn = c->exec_arn;
	t.version = c->version;
	t.events = evs;
	t.nevents = nev;
	t.frames = fr;
	t.nframes = c->nchanges;
	if (c->finished) {
		t.finished = true;
		t.status = status_map[c->status];
		if (c->output)
			t.output = out_text = dump(c->output);
		t.error = c->error;
		t.cause = c->cause;
		t.stop_us = c->stop_us;
	}
	{
		struct svc_commit *cc = calloc(1, sizeof *cc);

		if (cc) {
			cc->s = s;
			cc->arn = strdup(c->exec_arn);
		}
		if (store_commit(s->store, &t, commit_done, cc, &e)) {
			log_error("store: a transition of %s was refused: %s: %s", c->exec_arn, e.type,
				  e.msg);
			if (!refusal_passes(&e))
				fail_unsaved(s, c->exec_arn, &e);
			else if (!c->finished)
				engine_park_arn(s->eng, c->exec_arn);
			if (cc) {
				free(cc->arn);
				free(cc);
			}
		}
	}
out:
	for (i = 0; evs && i < nev; i++)
		free(evs[i].details);
	for (i = 0; texts && i < c->nchanges; i++)
		free(texts[i]);
	free(out_text);
	free(evs);
	free(fr);
	free(texts);
}

/* ---- executions ----------------------------------------------------------------------- */

struct svc_waiter {
	struct svc_waiter *next;
	char *arn;
	svc_done_fn fn;
	void *arg;
};

/* Tell those waiting for this execution's end (svc_when_done) how it ended. */
static void notify_waiters(struct svc *s, const char *arn, const struct store_exec *sx)
{
	struct svc_waiter **pw, *w, *ready = NULL;

	pthread_mutex_lock(&s->lock);
	for (pw = &s->waiters; (w = *pw);) {
		if (!strcmp(w->arn, arn)) {
			*pw = w->next;
			w->next = ready;
			ready = w;
		} else {
			pw = &w->next;
		}
	}
	pthread_mutex_unlock(&s->lock);
	while ((w = ready)) {
		ready = w->next;
		w->fn(w->arg, sx);
		free(w->arn);
		free(w);
	}
}

static void exec_done(void *arg, struct engine_exec *x)
{
	struct svc *s = arg;
	const char *arn = engine_exec_arn(x);
	struct store_exec sx = { 0 };
	json_t *out = engine_exec_output(x);

	if (atomic_load(&s->closing))
		return;
	atomic_fetch_sub(&s->running, 1);
	if (engine_exec_parked(x)) {
		struct reload *r = calloc(1, sizeof *r);

		if (r && (r->arn = strdup(arn))) {
			pthread_mutex_lock(&s->lock);
			r->next = s->reloads;
			s->reloads = r;
			pthread_cond_signal(&s->reload_cv);
			pthread_mutex_unlock(&s->lock);
		} else {
			free(r);
		}
		return;
	}
	sx.arn = (char *)arn;
	sx.name = (char *)engine_exec_name(x);
	sx.status = status_map[engine_exec_status(x)];
	sx.output = out ? json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	sx.error = (char *)engine_exec_error(x);
	sx.cause = (char *)engine_exec_cause(x);
	sx.start_us = engine_exec_start_us(x);
	sx.stop_us = now_us();
	if (engine_exec_type(x) == ENGINE_EXPRESS) {
		/* not journaled: its end is its one transition */
		struct store_txn t = { .exec_arn = arn, .version = 1, .finished = true,
				       .status = sx.status, .output = sx.output, .error = sx.error,
				       .cause = sx.cause, .stop_us = sx.stop_us };
		struct store_frame del = { .op = STORE_FRAME_DELETE_ALL };
		struct err e;

		t.frames = &del;
		t.nframes = 1;
		if (store_commit(s->store, &t, commit_done, NULL, &e))
			log_error("store: an express execution's end was refused: %s", e.msg);
	}
	notify_waiters(s, arn, &sx);
	free(sx.output);
}

int svc_when_done(struct svc *s, const char *arn, svc_done_fn fn, void *arg)
{
	struct svc_waiter *w = calloc(1, sizeof *w);
	struct store_exec x = { 0 };
	struct err e;

	if (!w || !(w->arn = strdup(arn))) {
		free(w);
		return -ENOMEM;
	}
	w->fn = fn;
	w->arg = arg;
	pthread_mutex_lock(&s->lock);
	w->next = s->waiters;
	s->waiters = w;
	pthread_mutex_unlock(&s->lock);
	/* It may have ended before we listened: look again. */
	if (store_sync(s->store, &e) == 0 && store_exec_get(s->store, arn, &x, &e) == 0 &&
	    x.status != STORE_RUNNING) {
		struct svc_waiter **pw, *found = NULL;

		pthread_mutex_lock(&s->lock);
		for (pw = &s->waiters; *pw; pw = &(*pw)->next)
			if (*pw == w) {
				*pw = w->next;
				found = w;
				break;
			}
		pthread_mutex_unlock(&s->lock);
		if (found) {
			fn(arg, &x);
			free(w->arn);
			free(w);
		}
	}
	store_exec_free(&x);
	return 0;
}

static int resume_one(struct svc *s, struct asl_machine *known, const struct store_exec *x,
		      uint32_t last_event, const struct store_frame_row *rows, size_t nrows,
		      struct err *e)
{
	struct store_res sm = { 0 };
	struct engine_frame_row *er = calloc(nrows ? nrows : 1, sizeof *er);
	json_t *input = NULL, *def = NULL;
	struct asl_machine *m;
	const char *text;
	size_t i;
	int rc = -1;

	for (i = 0; er && i < nrows; i++) {
		er[i].path = rows[i].path;
		er[i].body = json_loads(rows[i].body, 0, NULL);
		if (!er[i].body) {
			err_setn(e, "StoreCorrupt", "execution %s: frame row %s is not JSON", x->arn,
				 rows[i].path);
			goto out;
		}
	}
	if (!er)
		goto oom;
	m = known;
	if (!m) {
		/* The definition the execution started with is kept in its trace
		 * (a later update or delete of the machine does not change it). */
		def = x->trace ? json_loads(x->trace, 0, NULL) : NULL;
		text = json_string_value(json_object_get(def, "definition"));
		if (!text) {
			json_decref(def);
			def = NULL;
			if (store_res_get(s->store, x->sm_arn, &sm, e))
				goto out;
			def = json_loads(sm.body, 0, NULL);
			text = json_string_value(json_object_get(def, "definition"));
		}
		if (!text) {
			err_setn(e, "StoreCorrupt", "state machine %s has no definition", x->sm_arn);
			goto out;
		}
		m = machine_for(s, text, e);
		if (!m)
			goto out;
	}
	input = json_loads(x->input ? x->input : "{}", JSON_DECODE_ANY, NULL);
	/* the mocks' test case (StartExecution of ARN#TestCase) */
	if (!def && x->trace)
		def = json_loads(x->trace, 0, NULL);
	{
		struct engine_resume_args a = {
			.machine = m, .arn = x->arn, .name = x->name,
			.machine_name = strrchr(x->sm_arn, ':') ? strrchr(x->sm_arn, ':') + 1 : x->sm_arn,
			.machine_arn = x->sm_arn, .input = input,
			.type = x->type && !strcmp(x->type, "EXPRESS") ? ENGINE_EXPRESS : ENGINE_STANDARD,
			.start_us = x->start_us, .last_event = last_event, .version = x->version,
			.rows = er, .nrows = nrows, .done = exec_done, .arg = s,
			.test_case = json_string_value(json_object_get(def, "testCase")),
		};

		/* counted before: it may end before engine_resume returns */
		atomic_fetch_add(&s->running, 1);
		rc = engine_resume(s->eng, &a, NULL, e);
		if (rc)
			atomic_fetch_sub(&s->running, 1);
	}
	goto out;
oom:
	err_setn(e, "ServiceException", "out of memory");
out:
	for (i = 0; er && i < nrows; i++)
		json_decref(er[i].body);
	free(er);
	json_decref(input);
	json_decref(def);
	store_res_free(&sm);
	return rc;
}

int svc_resume(struct svc *s, const struct store_exec *x, uint32_t last_event,
	       const struct store_frame_row *rows, size_t nrows, struct err *e)
{
	return resume_one(s, NULL, x, last_event, rows, nrows, e);
}

static int recover_cb(void *arg, const struct store_running *r)
{
	struct svc *s = arg;
	struct err e;

	if (r->x.type && !strcmp(r->x.type, "EXPRESS")) {
		/* at-most-once: an express execution the server lost is over */
		struct store_txn t = { .exec_arn = r->x.arn, .version = r->x.version,
				       .finished = true, .status = STORE_FAILED,
				       .error = "States.Runtime",
				       .cause = "The server stopped while this express execution ran (express executions are at-most-once)",
				       .stop_us = now_us() };

		if (store_commit(s->store, &t, commit_done, NULL, &e))
			log_error("recovery: %s: %s", r->x.arn, e.msg);
		return 0;
	}
	if (resume_one(s, NULL, &r->x, r->last_event, r->frames, r->nframes, &e))
		log_error("recovery: execution %s cannot resume: %s: %s", r->x.arn, e.type, e.msg);
	return 0;
}

#define SVC_RUNNING_MAX 100000   /* RUNNING executions at once (ExecutionLimitExceeded) */

int svc_start_execution(struct svc *s, const struct svc_start *a, char **arn, int64_t *start_us,
			bool *existed, struct err *e)
{
	struct svc_sfn_target sm = { 0 };
	struct store_exec x = { 0 }, old = { 0 };
	json_t *body = NULL, *input = NULL, *first = NULL, *trace = NULL, *ev_body = NULL;
	struct history_event ev = { .type = HIST_EXECUTION_STARTED, .id = 1, .num = -1, .num2 = -1 };
	struct store_event sev = { 0 };
	struct store_frame fr = { 0 };
	struct store_txn t = { 0 };
	char uuid[37], *first_text = NULL, *input_text = NULL, *trace_text = NULL;
	const char *def, *type, *smname;
	struct asl_machine *m;
	uint64_t running = 0;
	char sm_arn_buf[2048], test_case[256] = "";
	const char *sm_arn = a->sm_arn;
	int rc = -1;

	*existed = false;
	*arn = NULL;
	/* Step Functions Local's ARN#TestCase: mocked responses (--mock-config) */
	if (a->sm_arn && strchr(a->sm_arn, '#')) {
		const char *hash = strchr(a->sm_arn, '#');
		size_t n = (size_t)(hash - a->sm_arn);

		if (n >= sizeof sm_arn_buf || strlen(hash + 1) >= sizeof test_case)
			return err_setn(e, "InvalidArn", "Invalid Arn: '%.300s'", a->sm_arn);
		snprintf(sm_arn_buf, sizeof sm_arn_buf, "%.*s", (int)n, a->sm_arn);
		snprintf(test_case, sizeof test_case, "%s", hash + 1);
		sm_arn = sm_arn_buf;
		if (!s->o.mocks)
			return err_setn(e, "ValidationException",
					"'%.300s' names test case '%.100s', but tutti serve runs without --mock-config",
					a->sm_arn, test_case);
	}
	if (!s->eng)
		return err_setn(e, "ServiceUnavailable", "no tutti serve is running: start one with 'tutti serve'");
	if (atomic_load(&s->closing))
		return err_setn(e, "ServiceUnavailable", "the server is shutting down");
	/* a version or alias ARN runs that version (svc_sfn_versions.c) */
	if (svc_sfn_resolve(s, sm_arn, &sm, e))
		goto out;
	body = json_incref(sm.body);
	def = json_string_value(json_object_get(body, "definition"));
	type = json_string_value(json_object_get(body, "type"));
	if (!def) {
		err_setn(e, "StateMachineDoesNotExist", "State Machine '%.300s' has no definition", sm_arn);
		goto out;
	}
	if (a->name && !engine_name_ok(a->name)) {
		err_setn(e, "InvalidName", "Invalid Name: '%.100s'", a->name);
		goto out;
	}
	if (a->input && strlen(a->input) > ENGINE_DATA_MAX) {
		err_setn(e, "InvalidExecutionInput", "the input is larger than %d bytes",
			 ENGINE_DATA_MAX);
		goto out;
	}
	input = json_loads(a->input ? a->input : "{}", JSON_DECODE_ANY, NULL);
	if (!input) {
		err_setn(e, "InvalidExecutionInput", "Invalid State Machine Execution Input: the input is not valid JSON");
		goto out;
	}
	m = machine_for(s, def, e);
	if (!m)
		goto out;
	running = (uint64_t)(atomic_load(&s->running) > 0 ? atomic_load(&s->running) : 0);
	if (running >= SVC_RUNNING_MAX) {
		err_setn(e, "ExecutionLimitExceeded", "%llu executions are running (the limit is %d)",
			 (unsigned long long)running, SVC_RUNNING_MAX);
		goto out;
	}
	if (!a->name)
		engine_uuid(uuid);
	smname = json_string_value(json_object_get(body, "name"));
	if (!smname)
		smname = strrchr(sm_arn, ':') ? strrchr(sm_arn, ':') + 1 : sm_arn;
	if (test_case[0] && !engine_mock_has(s->o.mocks, smname, test_case)) {
		err_setn(e, "ValidationException",
			 "the mock config has no test case '%.100s' for state machine '%.100s'", test_case, smname);
		goto out;
	}
	{
		char res[512];

		snprintf(res, sizeof res, "execution:%s:%s", smname, a->name ? a->name : uuid);
		x.arn = svc_arn(s, "states", res);
	}
	input_text = dump(input);
	trace = a->trace ? json_loads(a->trace, 0, NULL) : json_object();
	if (!trace)
		trace = json_object();
	/* The definition it runs, so a later update does not change it. */
	json_object_set_new(trace, "definition", json_string(def));
	if (sm.version && sm.qualified && strcmp(sm.version, sm.qualified))
		json_object_set_new(trace, "stateMachineVersionArn", json_string(sm.version));
	if (test_case[0])
		json_object_set_new(trace, "testCase", json_string(test_case));
	trace_text = dump(trace);
	x.name = (char *)(a->name ? a->name : uuid);
	x.sm_arn = sm.base;
	x.sm_qualified = sm.qualified;
	x.type = (char *)(type && !strcmp(type, "EXPRESS") ? "EXPRESS" : "STANDARD");
	x.input = input_text;
	x.parent = (char *)a->parent;
	x.trace = trace_text;
	x.status = STORE_RUNNING;
	x.start_us = now_us();
	x.version = 1;
	if (!x.arn || !input_text || !trace_text)
		goto oom;
	/* ExecutionStarted and the first row, in the same transaction. */
	ev.ts_us = x.start_us;
	ev.data = input;
	ev.resource = NULL;
	{
		char *role = svc_arn(s, "iam", "role/StatesExecutionRole");

		ev.resource = role;
		ev_body = history_event_body(&ev);
		free(role);
	}
	first = engine_first_row(m, input);
	sev.id = 1;
	sev.ts_us = x.start_us;
	sev.type = "ExecutionStarted";
	sev.details = ev_body ? dump(ev_body) : NULL;
	first_text = first ? dump(first) : NULL;
	if (!sev.details || !first_text) {
		free(sev.details);
		goto oom;
	}
	fr.op = STORE_FRAME_PUT;
	fr.path = "r";
	fr.body = first_text;
	t.exec_arn = x.arn;
	t.version = 0;
	t.events = &sev;
	t.nevents = 1;
	t.frames = &fr;
	t.nframes = 1;
	rc = store_exec_create(s->store, &x, &t, existed, e);
	free(sev.details);
	if (rc)
		goto out;
	rc = -1;
	if (*existed) {
		if (store_exec_get(s->store, x.arn, &old, e))
			goto out;
		*start_us = old.start_us;
		*arn = x.arn;
		x.arn = NULL;
		rc = 0;
		goto out;
	}
	{
		struct store_frame_row row = { .path = "r", .body = first_text };

		if (resume_one(s, m, &x, 1, &row, 1, e)) {
			log_error("execution %s: %s: %s", x.arn, e->type, e->msg);
			goto out;
		}
	}
	*start_us = x.start_us;
	*arn = x.arn;
	x.arn = NULL;
	rc = 0;
	goto out;
oom:
	err_setn(e, "ServiceException", "out of memory");
out:
	free(x.arn);
	free(input_text);
	free(trace_text);
	free(first_text);
	json_decref(first);
	json_decref(ev_body);
	json_decref(trace);
	json_decref(input);
	json_decref(body);
	svc_sfn_target_free(&sm);
	store_exec_free(&old);
	return rc;
}

int svc_invoke_event(struct svc *s, const char *function, const char *payload, struct err *e)
{
	struct fn_config cfg;
	const char *name = function;
	int rc;

	if (!s->rt || !s->reg)
		return err_setn(e, "ServiceUnavailable", "no tutti serve is running");
	/* arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] */
	if (!strncmp(function, "arn:", 4)) {
		const char *p = strstr(function, ":function:");

		if (!p)
			return err_setn(e, "ValidationException", "'%.200s' is not a function ARN", function);
		name = p + 10;
	}
	if (registry_resolve(s->reg, name, &cfg, e))
		return -1;
	rc = rt_invoke_event(s->rt, &cfg, payload ? payload : "{}", payload ? strlen(payload) : 2);
	if (rc)
		return err_setn(e, "TooManyRequestsException", "the invocation could not be queued: %s",
				strerror(-rc));
	return 0;
}

/* ---- tutti's own actions ------------------------------------------------------------- */

void svc_observe(struct svc *s, const struct fn_config *cfg, const struct rt_result *res)
{
	struct store_invocation v = { 0 };
	char st[ERR_TYPE_MAX];
	size_t tail = res->log_len > 4096 ? 4096 : res->log_len;
	struct err e;

	if (!s || !s->store || atomic_load(&s->closing) || !strcmp(cfg->version, "local"))
		return;
	v.function = (char *)cfg->name;
	v.version = (char *)cfg->version;
	v.request_id = (char *)res->request_id;
	v.start_us = now_us() - (int64_t)res->duration_us;
	v.duration_us = (int64_t)res->duration_us;
	v.init_us = res->cold ? (int64_t)res->init_us : 0;
	v.max_memory_kib = (int64_t)res->max_rss_kib;
	snprintf(st, sizeof st, "%s", res->ok ? "Success" : res->err.type);
	v.status = st;
	v.log_tail = tail ? strndup(res->log + res->log_len - tail, tail) : NULL;
	if (store_invocation_add(s->store, &v, &e))
		log_warn("the invocation record of %s was not kept: %s", cfg->name, e.msg);
	free(v.log_tail);
}

/* {"FunctionName", "Payload": JSON, "Qualifier"?} -> {"StatusCode", "Payload",
 * "FunctionError"?, "ExecutedVersion", "RequestId", "DurationMs"} */
static int act_invoke(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *name = svc_str(req, "FunctionName", true, 256, e), *q;
	json_t *p = json_object_get(req, "Payload"), *out;
	struct fn_config cfg;
	struct rt_result r;
	char ref[512], *payload;
	int rc;

	if (!name)
		return -1;
	q = svc_str(req, "Qualifier", false, 128, e);
	if (e->type[0])
		return -1;
	if (!strncmp(name, "arn:", 4) && strstr(name, ":function:"))
		name = strstr(name, ":function:") + 10;
	snprintf(ref, sizeof ref, "%s%s%s", name, q ? ":" : "", q ? q : "");
	if (registry_resolve(s->reg, ref, &cfg, e))
		return -1;
	payload = json_dumps(p ? p : json_object(), JSON_COMPACT | JSON_ENCODE_ANY);
	if (!payload)
		return err_setn(e, "ServiceException", "out of memory");
	if (strlen(payload) > 6 * 1024 * 1024) {
		free(payload);
		return err_setn(e, "RequestTooLargeException", "the payload is larger than 6 MB");
	}
	rc = rt_invoke(s->rt, &cfg, payload, strlen(payload), &r);
	free(payload);
	if (rc)
		return err_setn(e, "TooManyRequestsException", "the invocation could not be queued");
	out = r.ok ? json_loadb(r.payload, r.payload_len, JSON_DECODE_ANY, NULL)
		   : json_pack("{s:s, s:s}", "errorType", r.err.type, "errorMessage", r.err.msg);
	*resp = json_pack("{s:i, s:o, s:s, s:s, s:f}", "StatusCode", 200, "Payload",
			  out ? out : json_null(), "ExecutedVersion", cfg.version, "RequestId",
			  r.request_id, "DurationMs", (double)r.duration_us / 1000.0);
	if (!r.ok)
		json_object_set_new(*resp, "FunctionError", json_string("Unhandled"));
	rt_result_free(&r);
	return 0;
}

/* {"FunctionName", "MaxItems"?} -> {"Invocations": [...]} newest first */
static int act_list_invocations(struct svc *s, json_t *req, json_t **resp, struct err *e)
{
	const char *name = svc_str(req, "FunctionName", true, 256, e);
	json_t *m = json_object_get(req, "MaxItems"), *arr;
	struct store_invocation *v = NULL;
	size_t n = 0, i;

	if (!name)
		return -1;
	if (store_invocation_list(s->store, name, m ? (unsigned)json_integer_value(m) : 50, &v, &n, e))
		return -1;
	arr = json_array();
	for (i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s, s:s?, s:s, s:o, s:f, s:s}", "FunctionName", v[i].function,
				      "Version", v[i].version, "RequestId", v[i].request_id,
				      "StartTime", svc_time(v[i].start_us), "DurationMs",
				      (double)v[i].duration_us / 1000.0, "Status", v[i].status);

		if (!o)
			continue;
		if (v[i].init_us)
			json_object_set_new(o, "InitDurationMs", json_real((double)v[i].init_us / 1000.0));
		if (v[i].max_memory_kib)
			json_object_set_new(o, "MaxMemoryUsedMB", json_integer((v[i].max_memory_kib + 1023) / 1024));
		if (v[i].log_tail)
			json_object_set_new(o, "LogTail", json_string(v[i].log_tail));
		json_array_append_new(arr, o);
	}
	store_invocation_list_free(v, n);
	*resp = json_pack("{s:o}", "Invocations", arr);
	return 0;
}

const struct svc_action svc_tutti_actions[] = {
	{ "Tutti.Invoke", act_invoke, SVC_RUN },
	{ "Tutti.ListInvocations", act_list_invocations, SVC_READ },
	{ NULL, NULL, 0 },
};

/* ---- open / close ------------------------------------------------------------------------ */

void svc_options_init(struct svc_options *o)
{
	memset(o, 0, sizeof *o);
	o->fsync = true;
}

static void *loop_main(void *arg)
{
	engine_loop(arg);
	return NULL;
}

int svc_register_nested(struct svc *s, struct err *e);   /* svc_sfn.c */

int svc_open(const struct svc_options *o, struct svc **out, struct err *e)
{
	struct svc *s = calloc(1, sizeof *s);
	struct store_options so;

	*out = NULL;
	if (!s)
		return err_setn(e, "ServiceException", "out of memory");
	s->o = *o;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->reload_cv, NULL);
	snprintf(s->region, sizeof s->region, "%s", REGISTRY_REGION);
	snprintf(s->account, sizeof s->account, "%s", REGISTRY_ACCOUNT);
	s->home = strdup(o->home);
	if (!s->home)
		goto oom;
	store_options_init(&so);
	so.home = o->home;
	so.mode = o->mode == SVC_READER ? STORE_READER : STORE_SERVER;
	so.fsync = o->fsync;
	if (store_open(&so, &s->store, e))
		goto fail;
	if (o->mode == SVC_SERVER) {
		struct engine_options eo;
		static struct engine_journal j;

		s->rt = o->rt;
		s->reg = registry_open(o->home, e);
		if (!s->reg)
			goto fail;
		j.checkpoint = journal_checkpoint;
		j.ctx = s;
		engine_options_init(&eo);
		eo.rt = o->rt;
		eo.registry = s->reg;
		eo.journal = &j;
		/* TUTTI_CHECKPOINT=state: one store transaction per state
		 * transition; the default groups what one execution does in one
		 * turn of the engine's loop (docs/serve.md, "Durability"). */
		eo.journal_batch = !(getenv("TUTTI_CHECKPOINT") &&
				     !strcmp(getenv("TUTTI_CHECKPOINT"), "state"));
		s->eng = engine_new(&eo, e);
		if (!s->eng)
			goto fail;
		{
			/* HTTP and S3 tasks: loaded once, kept for the server's life. */
			struct err ie;
			const struct integ_api *api = integ_load(&ie);
			struct integrations *in = api ? api->integrations_new(o->home, &ie) : NULL;

			if (in) {
				s->integ_api = api;
				s->integ = in;
			}
			if (!in || api->integrations_register(in, s->eng, &ie))
				log_warn("HTTP/S3 tasks are not available: %s", ie.msg);
		}
		if (svc_register_nested(s, e))
			goto fail;
		/* last: mocked states are answered before any integration runs */
		if (o->mocks && engine_mock_register(s->eng, o->mocks, e))
			goto fail;
		if (store_running_each(s->store, recover_cb, s, e))
			goto fail;
		if (pthread_create(&s->loop, NULL, loop_main, s->eng)) {
			err_setn(e, "ServiceException", "cannot start the engine thread");
			goto fail;
		}
		s->loop_started = true;
		if (pthread_create(&s->reloader, NULL, reloader_main, s)) {
			err_setn(e, "ServiceException", "cannot start the reloader thread");
			goto fail;
		}
		s->reloader_started = true;
		if (svc_sched_open(s, e))
			goto fail;
	}
	*out = s;
	return 0;
oom:
	err_setn(e, "ServiceException", "out of memory");
fail:
	svc_close(s);
	return -1;
}

void svc_close(struct svc *s)
{
	struct svc_machine *m;
	struct svc_waiter *w;

	if (!s)
		return;
	atomic_store(&s->closing, true);
	if (s->reloader_started) {
		pthread_mutex_lock(&s->lock);
		pthread_cond_broadcast(&s->reload_cv);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->reloader, NULL);
	}
	if (s->sched)
		svc_sched_close(s);
	if (s->loop_started) {
		engine_stop(s->eng);
		pthread_join(s->loop, NULL);
	}
	if (s->eng)
		engine_free(s->eng);   /* parks the running executions */
	if (s->integ)
		s->integ_api->integrations_free(s->integ);
	if (s->store)
		store_close(s->store);
	if (s->reg)
		registry_close(s->reg);
	while ((m = s->machines)) {
		s->machines = m->next;
		asl_machine_free(m->m);
		free(m->text);
		free(m);
	}
	while ((w = s->waiters)) {
		s->waiters = w->next;
		free(w->arn);
		free(w);
	}
	while (s->reloads) {
		struct reload *r = s->reloads;

		s->reloads = r->next;
		free(r->arn);
		free(r);
	}
	pthread_cond_destroy(&s->reload_cv);
	pthread_mutex_destroy(&s->lock);
	free(s->home);
	free(s);
}

/* ---- calls ------------------------------------------------------------------------------ */

/* Every action table, in lookup order (svc_call, svc_targets). */
static const struct svc_action *const action_tables[] = {
	svc_sfn_actions, svc_events_actions, svc_tutti_actions, svc_sfn_version_actions,
	svc_sfn_test_actions, svc_console_actions,
};
#define NTABLES (sizeof action_tables / sizeof action_tables[0])

static const struct svc_action *find_action(const char *target)
{
	const struct svc_action *const *tables = action_tables;
	size_t i;

	for (i = 0; i < NTABLES; i++)
		for (const struct svc_action *a = tables[i]; a->target; a++)
			if (!strcmp(a->target, target))
				return a;
	return NULL;
}

int svc_call(struct svc *s, const char *target, json_t *req, json_t **resp, struct err *e)
{
	const struct svc_action *a = target ? find_action(target) : NULL;

	*resp = NULL;
	if (!a)
		return err_setn(e, "UnknownOperationException", "unknown operation '%.100s'",
				target ? target : "");
	if (!json_is_object(req))
		return err_setn(e, "SerializationException", "the request must be a JSON object");
	if ((a->flags & SVC_RUN) && s->o.mode != SVC_SERVER)
		return err_setn(e, "ServiceUnavailable",
				"no tutti serve is running: start one with 'tutti serve'");
	if ((a->flags & SVC_WRITE) && s->o.mode == SVC_READER)
		return err_setn(e, "ServiceUnavailable", "this is a read-only view of the store");
	err_clear(e);
	if (a->fn(s, req, resp, e)) {
		json_decref(*resp);
		*resp = NULL;
		if (!e->type[0])
			err_setn(e, "ServiceException", "internal error");
		return -1;
	}
	if (!*resp)
		*resp = json_object();
	return 0;
}

int svc_http_status(const struct err *e)
{
	static const char *const server[] = { "ServiceException", "InternalFailure", "InternalException",
					      "InternalServerException", "StoreIO",
					      "StoreCorrupt", "StoreFull", NULL };
	size_t i;

	if (!strcmp(e->type, "ServiceUnavailable"))
		return 503;
	if (!strcmp(e->type, "ConflictException"))
		return 409;   /* the Step Functions and Scheduler models' status */
	for (i = 0; server[i]; i++)
		if (!strcmp(e->type, server[i]))
			return 500;
	return 400;
}

static const char **targets;          /* every action's target, NULL-ended */
static pthread_once_t targets_once = PTHREAD_ONCE_INIT;

static void targets_init(void)
{
	static const char *none[1];
	size_t n = 0, i;

	for (i = 0; i < NTABLES; i++)
		for (const struct svc_action *a = action_tables[i]; a->target; a++)
			n++;
	targets = calloc(n + 1, sizeof *targets);
	if (!targets) {
		targets = none;   /* out of memory at start: svc_call still decides */
		return;
	}
	n = 0;
	for (i = 0; i < NTABLES; i++)
		for (const struct svc_action *a = action_tables[i]; a->target; a++)
			targets[n++] = a->target;
}

/* Built once (HTTP threads call it for every request). */
const char *const *svc_targets(void)
{
	pthread_once(&targets_once, targets_init);
	return targets;
}
