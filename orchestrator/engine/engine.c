/* engine — the loop (inbox, timers, run queue), engine and execution
 * lifecycles, and the public API. How states run is in exec_run.c; data
 * processing in exec_io.c; Map and Parallel in exec_fanout.c; Task states
 * and integrations in exec_task.c. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>
#include <unistd.h>

#include "utf8.h"
#include "exec_internal.h"
#include "log.h"
#include "registry.h"

/* ---- clocks and randomness ------------------------------------------------- */

int64_t exec_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t exec_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

uint64_t exec_random(struct engine *eng)
{
	/* xorshift64*: jitter and names need spread, not secrecy */
	uint64_t x = eng->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	eng->rng = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* ---- timers: a binary heap ordered by (due, seq) ----------------------------- */

static bool before(const struct timer *a, const struct timer *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void heap_set(struct engine *eng, size_t i, struct timer *t)
{
	eng->heap[i] = t;
	t->pos = i + 1;
}

static void sift_up(struct engine *eng, size_t i)
{
	struct timer *t = eng->heap[i];

	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (!before(t, eng->heap[p]))
			break;
		heap_set(eng, i, eng->heap[p]);
		i = p;
	}
	heap_set(eng, i, t);
}

static void sift_down(struct engine *eng, size_t i)
{
	struct timer *t = eng->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= eng->nheap)
			break;
		if (c + 1 < eng->nheap && before(eng->heap[c + 1], eng->heap[c]))
			c++;
		if (!before(eng->heap[c], t))
			break;
		heap_set(eng, i, eng->heap[c]);
		i = c;
	}
	heap_set(eng, i, t);
}

void exec_timer_cancel(struct engine *eng, struct timer *t)
{
	size_t i;

	if (!t->pos)
		return;
	i = t->pos - 1;
	t->pos = 0;
	eng->nheap--;
	if (i == eng->nheap)
		return;
	heap_set(eng, i, eng->heap[eng->nheap]);
	sift_down(eng, i);
	sift_up(eng, eng->heap[i]->pos - 1);
}

int exec_timer_arm(struct engine *eng, struct timer *t, int64_t delay_ns)
{
	exec_timer_cancel(eng, t);
	if (eng->nheap == eng->capheap) {
		size_t cap = eng->capheap ? eng->capheap * 2 : 64;
		struct timer **h = realloc(eng->heap, cap * sizeof *h);

		if (!h)
			return -ENOMEM;
		eng->heap = h;
		eng->capheap = cap;
	}
	t->due = exec_now_ns() + (delay_ns > 0 ? delay_ns : 0);
	t->seq = eng->timer_seq++;
	heap_set(eng, eng->nheap++, t);
	sift_up(eng, eng->nheap - 1);
	return 0;
}

static void fire_due(struct engine *eng)
{
	int64_t now = exec_now_ns();

	while (eng->nheap && eng->heap[0]->due <= now) {
		struct timer *t = eng->heap[0];

		exec_timer_cancel(eng, t);
		t->fire(eng, t);
	}
}

/* ---- run queue and inbox ---------------------------------------------------- */

void exec_schedule(struct frame *f)
{
	struct engine *eng = f->ex->eng;

	if (f->queued || f->status == FR_DONE)
		return;
	f->queued = true;
	f->status = FR_RUNNING;
	frame_ref(f);
	f->rq_next = NULL;
	if (eng->rq_tail)
		eng->rq_tail->rq_next = f;
	else
		eng->rq_head = f;
	eng->rq_tail = f;
}

void exec_post(struct engine *eng, struct msg *m)
{
	bool wake;

	m->next = NULL;
	pthread_mutex_lock(&eng->lock);
	if (eng->inbox_tail)
		eng->inbox_tail->next = m;
	else
		eng->inbox = m;
	eng->inbox_tail = m;
	wake = eng->sleeping;
	if (wake)
		pthread_cond_signal(&eng->cond);
	pthread_mutex_unlock(&eng->lock);
}

static void exec_begin(struct exec *ex);

static void handle_msg(struct engine *eng, struct msg *m)
{
	switch (m->kind) {
	case MSG_START:
		exec_begin(m->ex);
		exec_unref(m->ex);
		break;
	case MSG_ABORT:
		exec_finish(m->ex, ENGINE_ABORTED, NULL, m->err ? m->err->type : NULL,
			    m->err ? m->err->msg : NULL);
		exec_unref(m->ex);
		break;
	case MSG_ABORT_ARN: {
		struct exec *x;

		for (x = eng->execs; x; x = x->next)
			if (!strcmp(x->arn, m->arn))
				break;
		if (x)
			exec_finish(x, ENGINE_ABORTED, NULL, m->err->type[0] ? m->err->type : NULL,
				    m->err->msg[0] ? m->err->msg : NULL);
		free(m->arn);
		break;
	}
	case MSG_PARK_ARN: {
		struct exec *x;

		for (x = eng->execs; x; x = x->next)
			if (!strcmp(x->arn, m->arn))
				break;
		if (x && x->journaled) {
			x->journaled = false;   /* nothing of its end is recorded */
			x->parked = true;
			exec_finish(x, ENGINE_ABORTED, NULL, "States.Runtime", "parked");
		}
		free(m->arn);
		break;
	}
	case MSG_TASK_DONE:
	case MSG_TASK_BEAT:
		task_msg(eng, m);
		break;
	case MSG_TOKEN:
		task_token_msg(eng, m);
		break;
	}
	json_decref(m->result);
	free(m->err);
	free(m);
}

static bool drain_inbox(struct engine *eng)
{
	struct msg *m;

	pthread_mutex_lock(&eng->lock);
	m = eng->inbox;
	eng->inbox = eng->inbox_tail = NULL;
	pthread_mutex_unlock(&eng->lock);
	if (!m)
		return false;
	while (m) {
		struct msg *next = m->next;

		handle_msg(eng, m);
		m = next;
	}
	return true;
}

static void run_queue(struct engine *eng)
{
	/* Only the frames queued now: what they queue runs on the next turn,
	 * after the inbox and the timers had their say. */
	struct frame *tail = eng->rq_tail;

	while (eng->rq_head) {
		struct frame *f = eng->rq_head;
		bool last = f == tail;

		eng->rq_head = f->rq_next;
		if (!eng->rq_head)
			eng->rq_tail = NULL;
		f->queued = false;
		if (f->status != FR_DONE)
			frame_run(f);
		frame_unref(f);   /* the queue's reference */
		if (last)
			break;
	}
}

/* Sleep until a message arrives, the next timer is due or `limit` (a
 * monotonic time; -1: none) passes. */
static void wait_for_work_until(struct engine *eng, int64_t limit)
{
	struct timespec ts;
	int64_t due = eng->nheap ? eng->heap[0]->due : -1;

	if (limit >= 0 && (due < 0 || limit < due))
		due = limit;

	pthread_mutex_lock(&eng->lock);
	if (!eng->inbox && !eng->stop) {
		eng->sleeping = true;
		if (due < 0) {
			pthread_cond_wait(&eng->cond, &eng->lock);
		} else if (due > exec_now_ns()) {
			ts.tv_sec = due / 1000000000;
			ts.tv_nsec = due % 1000000000;
			pthread_cond_timedwait(&eng->cond, &eng->lock, &ts);
		}
		eng->sleeping = false;
	}
	pthread_mutex_unlock(&eng->lock);
}

static void wait_for_work(struct engine *eng)
{
	wait_for_work_until(eng, -1);
}

/* One turn of the loop: messages, due timers, queued frames. */
static void loop_turn(struct engine *eng)
{
	drain_inbox(eng);
	fire_due(eng);
	run_queue(eng);
	jr_flush(eng);
}

/* ---- executions ---------------------------------------------------------------- */

static void exec_free(struct exec *ex)
{
	jr_exec_free(ex);
	json_decref(ex->input);
	json_decref(ex->ctx_exec);
	json_decref(ex->ctx_sm);
	json_decref(ex->output);
	history_free(ex->hist);
	free(ex->name);
	free(ex->arn);
	free(ex->sm_name);
	free(ex->sm_arn);
	free(ex->test_case);
	json_decref(ex->mock_counts);
	free(ex->error);
	free(ex->cause);
	free(ex);
}

void exec_unref(struct exec *ex)
{
	if (ex && atomic_fetch_sub(&ex->refs, 1) == 1)
		exec_free(ex);
}

static void exec_timeout_fire(struct engine *eng, struct timer *t)
{
	struct exec *ex = (struct exec *)((char *)t - offsetof(struct exec, timeout));

	(void)eng;
	exec_finish(ex, ENGINE_TIMED_OUT, NULL, "States.Timeout", "Execution timed out");
}

static void exec_begin(struct exec *ex)
{
	struct engine *eng = ex->eng;
	struct history_event ev = { 0 };
	json_t *in;

	if (atomic_load(&ex->status) != ENGINE_RUNNING)
		return;   /* aborted before it began */
	ex->started = true;
	atomic_fetch_add(&ex->refs, 1);   /* the engine's, until it ends */
	ex->next = eng->execs;
	ex->prev = NULL;
	if (eng->execs)
		eng->execs->prev = ex;
	eng->execs = ex;
	if (ex->resume) {
		/* engine_resume: the start is recorded; rebuild from the rows. */
		struct err e;
		int64_t left = ex->m->timeout_seconds
			? ex->start_us + (int64_t)ex->m->timeout_seconds * 1000000 - exec_now_us() : 0;

		if (ex->m->timeout_seconds) {
			ex->timeout.fire = exec_timeout_fire;
			if (exec_timer_arm(eng, &ex->timeout, left > 0 ? left * 1000 : 0)) {
				exec_finish(ex, ENGINE_FAILED, NULL, "States.Runtime", "out of memory");
				return;
			}
		}
		if (jr_restore(ex, &e))
			exec_finish(ex, ENGINE_FAILED, NULL, e.type, e.msg);
		return;
	}
	ex->start_us = exec_now_us();
	if (ex->hist) {
		ev.type = HIST_EXECUTION_STARTED;
		ev.ts_us = ex->start_us;
		ev.data = json_incref(ex->input);
		ev.resource = eng->role_arn;
		ev.num = ev.num2 = -1;
		history_append_take(ex->hist, &ev);
	}
	if (ex->m->timeout_seconds) {
		ex->timeout.fire = exec_timeout_fire;
		if (exec_timer_arm(eng, &ex->timeout, (int64_t)ex->m->timeout_seconds * 1000000000)) {
			exec_finish(ex, ENGINE_FAILED, NULL, "States.Runtime", "out of memory");
			return;
		}
	}
	in = json_incref(ex->input);
	ex->root = frame_new(ex, ex->m, in, NULL, NULL, 0);
	if (!ex->root) {
		exec_finish(ex, ENGINE_FAILED, NULL, "States.Runtime", "out of memory");
		return;
	}
	ex->root->prev_event = ex->hist ? 1 : 0;
	if (ex->journaled)
		ex->root->path = strdup("r");
	exec_schedule(ex->root);
}

void exec_finish(struct exec *ex, enum engine_status st, json_t *output, const char *error,
		 const char *cause)
{
	struct engine *eng = ex->eng;
	struct history_event ev = { .num = -1, .num2 = -1 };
	struct frame *root = ex->root;
	char quota[128];

	if (atomic_load(&ex->status) != ENGINE_RUNNING) {
		json_decref(output);
		return;
	}
	if (ex->hist_full && st == ENGINE_SUCCEEDED) {
		/* the quota's last event must be ExecutionSucceeded itself */
		json_decref(output);
		output = NULL;
		st = ENGINE_FAILED;
		error = "States.Runtime";
		snprintf(quota, sizeof quota,
			 "The execution reached the maximum number of history events (%u)", ex->hist_max);
		cause = quota;
	}
	ex->output = output;
	ex->error = error ? strdup(error) : NULL;
	ex->cause = cause ? strdup(cause) : NULL;
	if (ex->hist && ex->started) {
		switch (st) {
		case ENGINE_SUCCEEDED:
			ev.type = HIST_EXECUTION_SUCCEEDED;
			ev.data = json_incref(output);
			break;
		case ENGINE_TIMED_OUT:
			ev.type = HIST_EXECUTION_TIMED_OUT;
			break;
		case ENGINE_ABORTED:
			ev.type = HIST_EXECUTION_ABORTED;
			break;
		default:
			ev.type = HIST_EXECUTION_FAILED;
		}
		if (st != ENGINE_SUCCEEDED) {
			ev.data = error ? utf8_json_string(error) : NULL;
			ev.data2 = cause ? utf8_json_string(cause) : NULL;
		}
		ev.prev = root ? root->prev_event : 0;
		history_append_take(ex->hist, &ev);
	}
	jr_finish(ex);
	exec_timer_cancel(eng, &ex->timeout);
	ex->root = NULL;
	if (root) {
		frame_abort(root, false);
		frame_unref(root);
	}
	if (ex->started) {
		if (ex->prev)
			ex->prev->next = ex->next;
		else if (eng->execs == ex)
			eng->execs = ex->next;
		if (ex->next)
			ex->next->prev = ex->prev;
		ex->next = ex->prev = NULL;
	}
	atomic_store(&ex->status, (int)st);
	if (ex->done)
		ex->done(ex->arg, (struct engine_exec *)ex);
	if (ex->started)
		exec_unref(ex);   /* the engine's */
}

/* ---- names and ARNs -------------------------------------------------------- */

/* Step Functions' name rules: 1-80 characters, no whitespace, wildcards,
 * brackets, the specials : ; , \ | ^ ~ $ # % & ` " or control characters. */
bool engine_name_ok(const char *s)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p == 0x7f || strchr("?*<>{}[]:;,\\|^~$#%&`\"", *p))
			return false;
		n += (*p & 0xC0) != 0x80;
	}
	return n >= 1 && n <= ENGINE_NAME_MAX;
}

/* A random (version 4) UUID. getrandom: engine_start runs on any thread,
 * so the loop's generator is not used here. */
void engine_uuid(char out[37])
{
	uint64_t r[2] = { 0, 0 }, a, b;

	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		r[0] = (uint64_t)exec_now_ns() * 0x9E3779B97F4A7C15ULL;
		r[1] = (uint64_t)exec_now_us() ^ ((uint64_t)getpid() << 32);
	}
	a = r[0];
	b = r[1];

	snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
		 (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
		 (unsigned)((b >> 48) & 0x3fff) | 0x8000,
		 (unsigned long long)(b & 0xffffffffffffULL));
}

static char *strdupf(const char *fmt, const char *a, const char *b, const char *c,
		     const char *d)
{
	char *s = NULL;

	if (asprintf(&s, fmt, a, b, c, d) < 0)
		return NULL;
	return s;
}

static struct exec *exec_new(struct engine *eng, const struct engine_start_args *a,
			     struct err *e)
{
	struct exec *ex = NULL;
	char uuid[37];
	const char *name = a->name, *smn = a->machine_name ? a->machine_name : "StateMachine";

	if (!a->machine) {
		err_setn(e, "InvalidArgument", "no state machine");
		return NULL;
	}
	if (name && !engine_name_ok(name)) {
		err_setn(e, "InvalidName", "invalid execution name '%.100s' (1-%d characters, no blanks or :;,\\|^~$#%%&`\"?*<>{}[])",
			 name, ENGINE_NAME_MAX);
		return NULL;
	}
	if (!engine_name_ok(smn)) {
		err_setn(e, "InvalidName", "invalid state machine name '%.100s'", smn);
		return NULL;
	}
	if (a->input && io_size(a->input, ENGINE_DATA_MAX) > ENGINE_DATA_MAX) {
		err_set(e, ERR_STATES_DATA_LIMIT, "the execution input is larger than %d bytes",
			ENGINE_DATA_MAX);
		return NULL;
	}
	ex = calloc(1, sizeof *ex);
	if (!ex)
		goto oom;
	atomic_init(&ex->refs, 1);
	atomic_init(&ex->status, ENGINE_RUNNING);
	ex->eng = eng;
	ex->m = a->machine;
	ex->type = a->type;
	ex->done = a->done;
	ex->arg = a->arg;
	if (!name) {
		engine_uuid(uuid);
		name = uuid;
	}
	ex->name = strdup(name);
	ex->sm_name = strdup(smn);
	ex->sm_arn = strdupf("arn:aws:states:%s:%s:stateMachine:%s%s", eng->region, eng->account,
			     smn, "");
	ex->arn = strdupf("arn:aws:states:%s:%s:execution:%s:%s", eng->region, eng->account,
			  smn, name);
	ex->input = a->input ? json_incref(a->input) : json_object();
	if (a->test_case && !(ex->test_case = strdup(a->test_case)))
		goto oom;
	if (!ex->name || !ex->sm_name || !ex->sm_arn || !ex->arn || !ex->input)
		goto oom;
	if (eng->o.history) {
		ex->hist = history_new();
		if (!ex->hist)
			goto oom;
		ex->hist_max = a->type == ENGINE_STANDARD ? eng->o.history_max : 0;
	}
	ex->journaled = eng->o.journal && ex->hist && a->type == ENGINE_STANDARD;
	return ex;
oom:
	if (ex)
		exec_free(ex);
	err_set(e, ERR_STATES_RUNTIME, "out of memory");
	return NULL;
}

/* ---- public API ------------------------------------------------------------------- */

void engine_options_init(struct engine_options *o)
{
	memset(o, 0, sizeof *o);
	o->wait_scale = 1.0;
	o->history = true;
	o->history_max = ENGINE_HISTORY_MAX;
}

struct engine *engine_new(const struct engine_options *o, struct err *e)
{
	struct engine *eng = calloc(1, sizeof *eng);
	pthread_condattr_t ca;

	if (!eng) {
		err_set(e, ERR_STATES_RUNTIME, "out of memory");
		return NULL;
	}
	if (o)
		eng->o = *o;
	else
		engine_options_init(&eng->o);
	if (!(eng->o.wait_scale >= 0))
		eng->o.wait_scale = 1.0;
	snprintf(eng->region, sizeof eng->region, "%s", eng->o.region ? eng->o.region : REGISTRY_REGION);
	snprintf(eng->account, sizeof eng->account, "%s",
		 eng->o.account ? eng->o.account : REGISTRY_ACCOUNT);
	eng->rng = eng->o.seed ? eng->o.seed
			       : ((uint64_t)exec_now_us() * 6364136223846793005ULL) ^ (uint64_t)getpid();
	if (!eng->rng)
		eng->rng = 1;
	snprintf(eng->role_arn, sizeof eng->role_arn, "arn:aws:iam::%s:role/tutti", eng->account);
	pthread_mutex_init(&eng->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&eng->cond, &ca);
	pthread_condattr_destroy(&ca);
	task_register_builtin(eng);
	return eng;
}

/* The longest a call may stay unanswered after its execution ended: a
 * function's longest timeout, its init, the runtime's wait for the exit,
 * and a margin. */
#define ENGINE_CALL_DRAIN_NS \
	((int64_t)(FN_TIMEOUT_MAX_S + FN_INIT_TIMEOUT_MS / 1000 + 30) * 1000000000)

void engine_free(struct engine *eng)
{
	int64_t give_up;
	size_t i;

	if (!eng)
		return;
	/* Executions that were started but never began end here too. */
	drain_inbox(eng);
	if (eng->o.journal) {
		/* Park, not abort: what is journaled resumes on the next start. */
		struct exec *x;

		jr_flush(eng);
		for (x = eng->execs; x; x = x->next)
			x->journaled = false;
		eng->o.journal = NULL;
	}
	while (eng->execs)
		exec_finish(eng->execs, ENGINE_ABORTED, NULL, NULL, "the engine was shut down");
	while (eng->rq_head)
		run_queue(eng);
	/* Calls in flight hold pointers into the engine: wait for them, within
	 * what the longest function may take (the runtime answers every
	 * invocation by its timeout, or init time, plus the wait for the exit);
	 * past that, leave the engine allocated rather than free what a late
	 * answer would write to. */
	give_up = exec_now_ns() + ENGINE_CALL_DRAIN_NS;
	while (eng->pending_calls) {
		loop_turn(eng);
		if (!eng->pending_calls)
			break;
		if (exec_now_ns() >= give_up) {
			log_error("%zu task call(s) still unanswered %d s after the end; leaving them", eng->pending_calls,
				  (int)(ENGINE_CALL_DRAIN_NS / 1000000000));
			return;
		}
		if (!eng->rq_head)
			wait_for_work_until(eng, give_up);
	}
	drain_inbox(eng);
	while (eng->nheap)
		exec_timer_cancel(eng, eng->heap[0]);
	free(eng->heap);
	frame_pool_free(eng);
	for (i = 0; i < eng->nfns; i++) {
		free(eng->fns[i].name);
		free(eng->fns[i].cfg);
	}
	free(eng->fns);
	free(eng->integ);
	free(eng->tokens);
	pthread_mutex_destroy(&eng->lock);
	pthread_cond_destroy(&eng->cond);
	free(eng);
}

int engine_bind_function(struct engine *eng, const char *name, const struct fn_config *cfg)
{
	struct binding *b = realloc(eng->fns, (eng->nfns + 1) * sizeof *b);

	if (!b)
		return -ENOMEM;
	eng->fns = b;
	b[eng->nfns].name = strdup(name);
	b[eng->nfns].cfg = malloc(sizeof *cfg);
	if (!b[eng->nfns].name || !b[eng->nfns].cfg) {
		free(b[eng->nfns].name);
		free(b[eng->nfns].cfg);
		return -ENOMEM;
	}
	*b[eng->nfns].cfg = *cfg;
	eng->nfns++;
	return 0;
}

int engine_register_task(struct engine *eng, const struct task_ops *ops, void *ctx)
{
	struct integ *v = realloc(eng->integ, (eng->ninteg + 1) * sizeof *v);

	if (!v)
		return -ENOMEM;
	eng->integ = v;
	memmove(v + 1, v, eng->ninteg * sizeof *v);
	v[0].ops = ops;
	v[0].ctx = ctx;
	eng->ninteg++;
	return 0;
}

int engine_start(struct engine *eng, const struct engine_start_args *a,
		 struct engine_exec **out, struct err *e)
{
	struct exec *ex = exec_new(eng, a, e);
	struct msg *m;

	if (!ex)
		return -1;
	m = calloc(1, sizeof *m);
	if (!m) {
		exec_free(ex);
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	}
	if (out) {
		atomic_fetch_add(&ex->refs, 1);
		*out = (struct engine_exec *)ex;
	}
	m->kind = MSG_START;
	m->ex = ex;      /* the creation reference travels with the message */
	exec_post(eng, m);
	return 0;
}

int engine_resume(struct engine *eng, const struct engine_resume_args *a,
		  struct engine_exec **out, struct err *e)
{
	struct engine_start_args sa = { .machine = a->machine, .input = a->input, .name = a->name,
					.machine_name = a->machine_name, .type = a->type,
					.done = a->done, .arg = a->arg, .test_case = a->test_case };
	struct resume_rows *rr = NULL;
	struct exec *ex;
	struct msg *m = NULL;
	size_t i, j;

	if (!a->arn)
		return err_setn(e, "InvalidArgument", "no execution ARN");
	ex = exec_new(eng, &sa, e);
	if (!ex)
		return -1;
	free(ex->arn);
	ex->arn = strdup(a->arn);
	if (a->machine_arn) {
		free(ex->sm_arn);
		ex->sm_arn = strdup(a->machine_arn);
	}
	ex->start_us = a->start_us;
	ex->version = a->version;
	if (ex->hist)
		history_set_base(ex->hist, a->last_event);
	rr = calloc(1, sizeof *rr);
	m = calloc(1, sizeof *m);
	if (!ex->arn || !ex->sm_arn || !rr || !m)
		goto oom;
	ex->resume = rr;
	rr->paths = calloc(a->nrows ? a->nrows : 1, sizeof *rr->paths);
	rr->bodies = calloc(a->nrows ? a->nrows : 1, sizeof *rr->bodies);
	if (!rr->paths || !rr->bodies)
		goto oom;
	/* sorted by path, bytewise (jr_row searches them) */
	for (i = 0; i < a->nrows; i++) {
		char *p = strdup(a->rows[i].path);

		if (!p)
			goto oom;
		for (j = rr->n; j > 0 && strcmp(rr->paths[j - 1], p) > 0; j--) {
			rr->paths[j] = rr->paths[j - 1];
			rr->bodies[j] = rr->bodies[j - 1];
		}
		rr->paths[j] = p;
		rr->bodies[j] = json_incref(a->rows[i].body);
		rr->n++;
	}
	ex->started = false;
	if (out) {
		atomic_fetch_add(&ex->refs, 1);
		*out = (struct engine_exec *)ex;
	}
	m->kind = MSG_START;
	m->ex = ex;
	exec_post(eng, m);
	return 0;
oom:
	free(m);
	if (!ex->resume)
		free(rr);
	exec_free(ex);
	return err_set(e, ERR_STATES_RUNTIME, "out of memory");
}

int engine_run(struct engine *eng, const struct engine_start_args *a,
	       struct engine_exec **out, struct err *e)
{
	struct exec *ex = exec_new(eng, a, e);

	if (!ex)
		return -1;
	exec_begin(ex);
	while (atomic_load(&ex->status) == ENGINE_RUNNING) {
		bool idle;

		pthread_mutex_lock(&eng->lock);
		idle = !eng->rq_head && !eng->nheap && !eng->pending_calls && !eng->inbox;
		pthread_mutex_unlock(&eng->lock);
		if (idle) {
			/* Nothing can move it forward: an engine bug, not a hang. */
			exec_finish(ex, ENGINE_FAILED, NULL, "States.Runtime",
				    "the execution stalled (internal error)");
			break;
		}
		loop_turn(eng);
		if (atomic_load(&ex->status) == ENGINE_RUNNING && !eng->rq_head)
			wait_for_work(eng);
	}
	if (out)
		*out = (struct engine_exec *)ex;
	else
		exec_unref(ex);
	return 0;
}

void engine_loop(struct engine *eng)
{
	pthread_mutex_lock(&eng->lock);
	eng->stop = false;
	pthread_mutex_unlock(&eng->lock);
	for (;;) {
		bool stop;

		pthread_mutex_lock(&eng->lock);
		stop = eng->stop;
		pthread_mutex_unlock(&eng->lock);
		if (stop)
			break;
		loop_turn(eng);
		if (!eng->rq_head)
			wait_for_work(eng);
	}
}

void engine_stop(struct engine *eng)
{
	pthread_mutex_lock(&eng->lock);
	eng->stop = true;
	pthread_cond_signal(&eng->cond);
	pthread_mutex_unlock(&eng->lock);
}

bool engine_exec_parked(const struct engine_exec *x)
{
	return ((const struct exec *)x)->parked;
}

int engine_park_arn(struct engine *eng, const char *arn)
{
	struct msg *m = calloc(1, sizeof *m);

	if (!m || !(m->arn = strdup(arn))) {
		free(m);
		return -1;
	}
	m->kind = MSG_PARK_ARN;
	exec_post(eng, m);
	return 0;
}

int engine_abort_arn(struct engine *eng, const char *arn, const char *error, const char *cause)
{
	struct msg *m = calloc(1, sizeof *m);

	if (!m)
		return -1;
	m->kind = MSG_ABORT_ARN;
	m->err = calloc(1, sizeof *m->err);
	m->arn = strdup(arn);
	if (!m->err || !m->arn) {
		free(m->err);
		free(m->arn);
		free(m);
		return -1;
	}
	snprintf(m->err->type, sizeof m->err->type, "%s", error ? error : "");
	snprintf(m->err->msg, sizeof m->err->msg, "%s", cause ? cause : "");
	exec_post(eng, m);
	return 0;
}

void engine_abort(struct engine *eng, struct engine_exec *x, const char *error,
		  const char *cause)
{
	struct exec *ex = (struct exec *)x;
	struct msg *m = calloc(1, sizeof *m);

	if (!m)
		return;
	m->kind = MSG_ABORT;
	m->ex = ex;
	atomic_fetch_add(&ex->refs, 1);
	if (error || cause) {
		m->err = calloc(1, sizeof *m->err);
		if (m->err) {
			snprintf(m->err->type, sizeof m->err->type, "%s", error ? error : "");
			snprintf(m->err->msg, sizeof m->err->msg, "%s", cause ? cause : "");
		}
	}
	exec_post(eng, m);
}

enum engine_status engine_exec_status(const struct engine_exec *x)
{
	return (enum engine_status)atomic_load(&((struct exec *)x)->status);
}

json_t *engine_exec_output(const struct engine_exec *x)
{
	return ((const struct exec *)x)->output;
}

const char *engine_exec_error(const struct engine_exec *x)
{
	return ((const struct exec *)x)->error;
}

const char *engine_exec_cause(const struct engine_exec *x)
{
	return ((const struct exec *)x)->cause;
}

const char *engine_exec_name(const struct engine_exec *x)
{
	return ((const struct exec *)x)->name;
}

const char *engine_exec_arn(const struct engine_exec *x)
{
	return ((const struct exec *)x)->arn;
}

const struct history *engine_exec_history(const struct engine_exec *x)
{
	return ((const struct exec *)x)->hist;
}

uint64_t engine_exec_transitions(const struct engine_exec *x)
{
	return ((const struct exec *)x)->transitions;
}

enum engine_type engine_exec_type(const struct engine_exec *x)
{
	return ((const struct exec *)x)->type;
}

int64_t engine_exec_start_us(const struct engine_exec *x)
{
	return ((const struct exec *)x)->start_us;
}

struct engine_exec *engine_exec_ref(struct engine_exec *x)
{
	atomic_fetch_add(&((struct exec *)x)->refs, 1);
	return x;
}

void engine_exec_release(struct engine_exec *x)
{
	if (x)
		exec_unref((struct exec *)x);
}
