/* svc_events_fire — the scheduler of `tutti serve`: one thread that keeps
 * the enabled rules' targets and the enabled schedules as jobs, sleeps
 * until the earliest wake, and starts each due fire exactly once.
 *
 * Exactly once: a fire is claimed in the store (store_fire_claim, keyed by
 * the fire key and the nominal fire time) before its target starts, and only
 * the claim that recorded it starts it. The target is started under a name
 * derived from the schedule and the fire time (sched_exec_name), so a
 * start repeated after a crash between the claim and the record of its
 * execution (recovered at open: claims with neither an execution nor an
 * error) finds the first one (svc_start_execution's idempotency) instead of
 * starting a second. A function target has no such name: after such a crash
 * it may be invoked twice (Lambda's asynchronous invocations are
 * at-least-once too).
 *
 * Time: what is due is computed by sched_due from the last handled fire
 * time (in memory, from the store's last claim or the time the job was
 * armed at load) and the wall clock read after every wake; the thread sleeps
 * on a CLOCK_MONOTONIC timed wait of at most one second, so a wall clock
 * that jumps backwards fires nothing twice (last only grows) and one that
 * jumps forwards is downtime (the job's MissedFires policy) — a sleep is
 * never trusted across a jump.
 *
 * Retries: a failed start that can be retried (throttling, an unavailable
 * service, store trouble) is tried again with exponential back-off (2 s,
 * 4 s, ... at most 5 min) until MaximumRetryAttempts or
 * MaximumEventAgeInSeconds, then recorded as the fire's error (the
 * dead-letter record, store_fire_set) and, with a DeadLetterConfig,
 * written to $TUTTI_HOME/dead-letter/{schedules/GROUP/NAME,rules/NAME}/.
 * Errors that retrying cannot fix (no such state machine, bad input) are
 * recorded at once. Pending retries live in memory; after a restart they
 * are recovered as unfinished claims. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsutil.h"
#include "log.h"
#include "scheduler.h"
#include "svc_events.h"

#define BACKOFF_MAX   300
#define SLEEP_MAX_MS  1000
#define RECOVER_SCAN  20      /* newest fires of a job looked at for unfinished claims */

struct job {
	char *key, *res_arn, *base, *target_arn, *input, *dlq_arn, *dlq_dir, *target_id;
	bool is_rule, delete_after;
	struct sched_expr *x;
	struct sched_opts o;
	int64_t last;
	unsigned max_retries;
	int64_t max_age;
};

struct attempt {
	struct attempt *next;
	char *key, *res_arn, *target_arn, *exec_name, *input, *dlq_arn, *dlq_dir, *target_id;
	bool is_rule;
	int64_t fire, first, next_try;
	unsigned attempt, max_retries;
	int64_t max_age;
};

struct svc_sched {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t th;
	bool thread, stop, dirty, loaded, recovered;
	struct job *jobs;
	size_t njobs;
	struct attempt *retries;
	ev_clock_fn clock;
	ev_launch_fn launch;
	void *arg;
};

int64_t svc_events_now(struct svc *s)
{
	struct svc_sched *sc = s ? s->sched : NULL;

	if (sc && sc->clock)
		return sc->clock(sc->arg);
	return (int64_t)time(NULL);
}

char *svc_events_rule_key(const char *rule_arn, const char *target_id)
{
	char *k = NULL;

	if (asprintf(&k, "%s#%s", rule_arn, target_id) < 0)
		return NULL;
	return k;
}

static char *dup_or_null(const char *v)
{
	return v ? strdup(v) : NULL;
}

/* ---- jobs ------------------------------------------------------------------------- */

static void job_clear(struct job *j)
{
	free(j->key);
	free(j->res_arn);
	free(j->base);
	free(j->target_arn);
	free(j->input);
	free(j->dlq_arn);
	free(j->dlq_dir);
	free(j->target_id);
	sched_free(j->x);
	memset(j, 0, sizeof *j);
}

static void jobs_free(struct job *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		job_clear(&v[i]);
	free(v);
}

static int64_t int_of(json_t *o, const char *k, int64_t dflt)
{
	json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

static const char *str_of(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* Fill the parts of a job common to rules and schedules from a target. */
static int job_target(struct job *j, json_t *target)
{
	json_t *rp = json_object_get(target, "RetryPolicy");

	j->target_arn = dup_or_null(str_of(target, "Arn"));
	j->input = dup_or_null(str_of(target, "Input"));
	j->dlq_arn = dup_or_null(str_of(json_object_get(target, "DeadLetterConfig"), "Arn"));
	j->max_retries = (unsigned)int_of(rp, "MaximumRetryAttempts", EV_RETRIES_DEFAULT);
	j->max_age = int_of(rp, "MaximumEventAgeInSeconds", EV_AGE_DEFAULT);
	return j->target_arn ? 0 : -1;
}

static int64_t max3(int64_t a, int64_t b, int64_t c)
{
	int64_t m = a > b ? a : b;

	return m > c ? m : c;
}

/* last = the latest of: the store's last claim, the time the job was
 * armed, what this process already handled for the same key. */
static void job_last(struct svc *s, struct job *j, int64_t since, const struct job *old, size_t nold)
{
	int64_t stored = 0, prev = INT64_MIN;
	struct err e;
	size_t i;

	err_clear(&e);
	if (store_fire_last(s->store, j->key, &stored, &e)) {
		log_warn("scheduler: last fire of %s: %s: %s", j->key, e.type, e.msg);
		stored = 0;
	}
	for (i = 0; i < nold; i++)
		if (!strcmp(old[i].key, j->key))
			prev = old[i].last;
	j->last = max3(stored, since, prev);
}

static void job_opts(struct job *j, json_t *body, int64_t start, int64_t end, unsigned window)
{
	j->o.name = j->base;
	j->o.anchor = start != SCHED_NONE ? start : int_of(body, "tutti:created", 0);
	j->o.start = start;
	j->o.end = end;
	j->o.window_min = window;
	j->o.missed = !strcmp(str_of(body, "MissedFires") ?: "", "ONCE") ? SCHED_MISSED_ONCE : SCHED_MISSED_SKIP;
	j->o.grace_s = 0;
}

static int add_job(struct job **v, size_t *n, size_t *cap, struct job *j)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct job *nv = realloc(*v, nc * sizeof *nv);
		if (!nv)
			return -1;
		*v = nv;
		*cap = nc;
	}
	(*v)[(*n)++] = *j;
	memset(j, 0, sizeof *j);
	return 0;
}

static void load_rule(struct svc *s, json_t *body, struct job **v, size_t *n, size_t *cap, const struct job *old,
		      size_t nold)
{
	const char *arn = str_of(body, "Arn"), *name = str_of(body, "Name");
	struct sched_expr *x;
	struct err e;
	json_t *t;
	size_t i;

	if (!arn || !name || strcmp(str_of(body, "State") ?: "", "ENABLED"))
		return;
	json_array_foreach(json_object_get(body, "Targets"), i, t) {
		struct job j = { 0 };
		const char *id = str_of(t, "Id");

		err_clear(&e);
		if (!id || !(x = sched_parse(str_of(body, "ScheduleExpression") ?: "", NULL, &e))) {
			log_warn("scheduler: rule %s: %s", arn, e.msg);
			continue;
		}
		j.x = x;
		j.is_rule = true;
		j.key = svc_events_rule_key(arn, id);
		j.res_arn = strdup(arn);
		j.target_id = strdup(id);
		if (asprintf(&j.base, "rule:%s:%s", name, id) < 0)
			j.base = NULL;
		if (asprintf(&j.dlq_dir, "rules/%s", name) < 0)
			j.dlq_dir = NULL;
		if (!j.key || !j.res_arn || !j.target_id || !j.base || !j.dlq_dir || job_target(&j, t)) {
			job_clear(&j);
			continue;
		}
		job_opts(&j, body, SCHED_NONE, SCHED_NONE, 0);
		job_last(s, &j, max3(int_of(body, "tutti:since", 0), int_of(t, "tutti:since", 0), 0), old, nold);
		if (add_job(v, n, cap, &j))
			job_clear(&j);
	}
}

static void load_schedule(struct svc *s, json_t *body, struct job **v, size_t *n, size_t *cap,
			  const struct job *old, size_t nold)
{
	const char *arn = str_of(body, "Arn"), *name = str_of(body, "Name"), *group = str_of(body, "GroupName");
	json_t *ftw = json_object_get(body, "FlexibleTimeWindow");
	struct job j = { 0 };
	struct err e;
	int64_t start = SCHED_NONE, end = SCHED_NONE;

	if (!arn || !name || !group || strcmp(str_of(body, "State") ?: "", "ENABLED"))
		return;
	err_clear(&e);
	if (!(j.x = sched_parse(str_of(body, "ScheduleExpression") ?: "", str_of(body, "ScheduleExpressionTimezone"),
				&e))) {
		log_warn("scheduler: schedule %s: %s", arn, e.msg);
		return;
	}
	j.key = strdup(arn);
	j.res_arn = strdup(arn);
	/* Two schedules never share an execution name: the default group's
	 * are named by their name, the others' by "GROUP/NAME" (the '/' makes
	 * sched_exec_name add a hash of the whole). */
	if (!strcmp(group, "default"))
		j.base = strdup(name);
	else if (asprintf(&j.base, "%s/%s", group, name) < 0)
		j.base = NULL;
	if (asprintf(&j.dlq_dir, "schedules/%s/%s", group, name) < 0)
		j.dlq_dir = NULL;
	j.delete_after = !strcmp(str_of(body, "ActionAfterCompletion") ?: "", "DELETE");
	if (!j.key || !j.res_arn || !j.base || !j.dlq_dir || job_target(&j, json_object_get(body, "Target"))) {
		job_clear(&j);
		return;
	}
	if (sched_kind(j.x) != SCHED_AT) {
		start = int_of(body, "StartDate", SCHED_NONE);
		end = int_of(body, "EndDate", SCHED_NONE);
	}
	job_opts(&j, body, start, end,
		 !strcmp(str_of(ftw, "Mode") ?: "", "FLEXIBLE") ? (unsigned)int_of(ftw, "MaximumWindowInMinutes", 0)
								: 0);
	job_last(s, &j, int_of(body, "tutti:since", 0), old, nold);
	if (add_job(v, n, cap, &j))
		job_clear(&j);
}

static int load_kind(struct svc *s, const char *kind, struct job **v, size_t *n, size_t *cap,
		     const struct job *old, size_t nold)
{
	struct store_res *rows = NULL;
	size_t nr = 0, i;
	char *tok = NULL, *nx = NULL;
	struct err e;

	do {
		err_clear(&e);
		if (store_res_list(s->store, kind, NULL, tok, STORE_PAGE_MAX, &rows, &nr, &nx, &e)) {
			log_error("scheduler: listing %s: %s: %s", kind, e.type, e.msg);
			free(tok);
			return -1;
		}
		for (i = 0; i < nr; i++) {
			json_t *b = json_loads(rows[i].body ?: "", 0, NULL);
			if (json_is_object(b)) {
				if (!strcmp(kind, "rule"))
					load_rule(s, b, v, n, cap, old, nold);
				else
					load_schedule(s, b, v, n, cap, old, nold);
			}
			json_decref(b);
		}
		store_res_list_free(rows, nr);
		free(tok);
		tok = nx;
	} while (tok);
	return 0;
}

static int reload(struct svc *s)
{
	struct svc_sched *sc = s->sched;
	struct job *v = NULL;
	size_t n = 0, cap = 0;

	if (load_kind(s, "rule", &v, &n, &cap, sc->jobs, sc->njobs) ||
	    load_kind(s, "schedule", &v, &n, &cap, sc->jobs, sc->njobs)) {
		jobs_free(v, n);
		return -1;
	}
	jobs_free(sc->jobs, sc->njobs);
	sc->jobs = v;
	sc->njobs = n;
	sc->loaded = true;
	return 0;
}

/* ---- attempts ---------------------------------------------------------------------- */

static void attempt_free(struct attempt *a)
{
	if (!a)
		return;
	free(a->key);
	free(a->res_arn);
	free(a->target_arn);
	free(a->exec_name);
	free(a->input);
	free(a->dlq_arn);
	free(a->dlq_dir);
	free(a->target_id);
	free(a);
}

/* A deterministic UUID-shaped id of a fire (the scheduled event's "id"). */
static void event_id(const char *key, int64_t fire, char out[37])
{
	uint64_t h1 = 1469598103934665603ULL, h2 = 1099511628211ULL ^ (uint64_t)fire;
	const char *p;

	for (p = key; *p; p++) {
		h1 = (h1 ^ (unsigned char)*p) * 1099511628211ULL;
		h2 = (h2 ^ (unsigned char)*p) * 0x9E3779B97F4A7C15ULL;
	}
	h1 ^= (uint64_t)fire * 0xBF58476D1CE4E5B9ULL;
	snprintf(out, 37, "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%012" PRIx64, h1 >> 32,
		 (h1 >> 16) & 0xffff, h1 & 0xffff, h2 >> 48, h2 & (uint64_t)0xffffffffffffULL);
}

static struct attempt *attempt_new(struct svc *s, const struct job *j, int64_t fire, int64_t now)
{
	struct attempt *a = calloc(1, sizeof *a);
	char name[SCHED_EXEC_NAME_SIZE], iso[SCHED_ISO_SIZE], id[37];

	if (!a)
		return NULL;
	sched_exec_name(j->base, fire, name);
	a->key = strdup(j->key);
	a->res_arn = strdup(j->res_arn);
	a->target_arn = strdup(j->target_arn);
	a->exec_name = strdup(name);
	a->dlq_arn = dup_or_null(j->dlq_arn);
	a->dlq_dir = strdup(j->dlq_dir);
	a->target_id = dup_or_null(j->target_id);
	a->is_rule = j->is_rule;
	a->fire = fire;
	a->first = a->next_try = now;
	a->max_retries = j->max_retries;
	a->max_age = j->max_age;
	if (j->input) {
		a->input = strdup(j->input);
	} else if (j->is_rule) {
		/* EventBridge's scheduled event */
		json_t *ev;
		event_id(j->key, fire, id);
		ev = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:{}}", "version", "0", "id", id,
			       "detail-type", "Scheduled Event", "source", "aws.events", "account", s->account, "time",
			       sched_format_utc(fire, iso), "region", s->region, "resources", j->res_arn, "detail");
		a->input = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
		json_decref(ev);
	} else {
		a->input = strdup("{}");
	}
	if (!a->key || !a->res_arn || !a->target_arn || !a->exec_name || !a->dlq_dir || !a->input ||
	    (j->dlq_arn && !a->dlq_arn) || (j->target_id && !a->target_id)) {
		attempt_free(a);
		return NULL;
	}
	return a;
}

static bool retryable_type(const char *t)
{
	static const char *const v[] = { "ServiceUnavailable", "ExecutionLimitExceeded", "TooManyRequestsException",
					 "ThrottlingException", "StoreFull", "StoreIO", "StoreConflict",
					 "InternalServerException", "InternalException", "InternalError", NULL };
	size_t i;

	for (i = 0; v[i]; i++)
		if (!strcmp(t, v[i]))
			return true;
	return false;
}

/* The default launcher: svc_start_execution or svc_invoke_event. */
static int launch_default(void *arg, struct svc *s, const struct ev_fire *f, char **started, bool *retryable,
			  struct err *e)
{
	char iso[SCHED_ISO_SIZE];
	json_t *trace;
	char *tr, *arn = NULL;
	int64_t start_us = 0;
	bool existed = false;
	int rc;

	(void)arg;
	*started = NULL;
	if (!strncmp(f->target_arn, "arn:aws:lambda:", 15)) {
		rc = svc_invoke_event(s, f->target_arn, f->input, e);
		if (!rc && !(*started = strdup(f->target_arn)))
			rc = err_setn(e, "InternalError", "out of memory");
		*retryable = rc && retryable_type(e->type);
		return rc;
	}
	trace = json_pack("{s:s, s:s, s:s}", "source", "schedule", "from", f->res_arn, "fireTime",
			  sched_format_utc(f->fire, iso));
	tr = trace ? json_dumps(trace, JSON_COMPACT) : NULL;
	json_decref(trace);
	struct svc_start st = { .sm_arn = f->target_arn, .name = f->exec_name, .input = f->input, .trace = tr };
	rc = svc_start_execution(s, &st, &arn, &start_us, &existed, e);
	free(tr);
	if (rc && !strcmp(e->type, "ExecutionAlreadyExists")) {
		/* Started before (with an input since changed): that is this
		 * fire's execution. */
		const char *sm = strstr(f->target_arn, ":stateMachine:");
		char res[256];
		size_t n;

		if (sm) {
			sm += 14;
			n = strcspn(sm, ":");
			snprintf(res, sizeof res, "execution:%.*s:%s", (int)n, sm, f->exec_name);
			if ((arn = svc_arn(s, "states", res))) {
				err_clear(e);
				rc = 0;
			}
		}
	}
	*retryable = rc && retryable_type(e->type);
	if (!rc)
		*started = arn;
	return rc;
}

static void dead_letter(struct svc *s, const struct attempt *a, const char *error)
{
	char iso[SCHED_ISO_SIZE], stamp[SCHED_ISO_SIZE], *dir = NULL, *path = NULL, *text = NULL;
	json_t *rec;
	size_t i, k = 0;
	int rc;

	if (!a->dlq_arn || !s->home)
		return;
	sched_format_utc(a->fire, iso);
	for (i = 0; iso[i]; i++)
		if (iso[i] != '-' && iso[i] != ':')
			stamp[k++] = iso[i];
	stamp[k] = 0;
	rec = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:I}", a->is_rule ? "RuleArn" : "ScheduleArn",
			a->res_arn, "TargetArn", a->target_arn, "DeadLetterArn", a->dlq_arn, "FireTime",
			(json_int_t)a->fire, "FireTimeIso", iso, "Input", a->input, "Error", error, "Attempts",
			(json_int_t)a->attempt + 1);
	if (rec && a->target_id)
		json_object_set_new(rec, "TargetId", json_string(a->target_id));
	text = rec ? json_dumps(rec, JSON_INDENT(2)) : NULL;
	if (!text || asprintf(&dir, "%s/dead-letter/%s", s->home, a->dlq_dir) < 0 ||
	    asprintf(&path, "%s/%s%s%s.json", dir, stamp, a->target_id ? "-" : "", a->target_id ?: "") < 0) {
		log_error("scheduler: dead-letter record of %s: out of memory", a->key);
		goto out;
	}
	if ((rc = fs_mkdir_p(dir, 0700)) || (rc = fs_write_atomic(path, text, strlen(text), 0600)))
		log_error("scheduler: writing %s: %s", path, strerror(-rc));
out:
	json_decref(rec);
	free(text);
	free(dir);
	free(path);
}

/* Try a fire's target once. 1: keep it (a retry is due at a->next_try);
 * 0: done (its outcome recorded). */
static int attempt_run(struct svc *s, struct attempt *a, int64_t now)
{
	struct svc_sched *sc = s->sched;
	struct ev_fire f = { a->key, a->res_arn, a->target_arn, a->exec_name, a->input, a->fire, a->attempt };
	char *started = NULL, *error = NULL;
	bool retry = false;
	struct err e, se;
	int64_t delay;
	int rc;

	err_clear(&e);
	rc = (sc->launch ? sc->launch : launch_default)(sc->arg, s, &f, &started, &retry, &e);
	err_clear(&se);
	if (!rc) {
		if (store_fire_set(s->store, a->key, a->fire, started, NULL, &se))
			log_error("scheduler: recording the fire of %s at %" PRId64 ": %s: %s", a->key, a->fire,
				  se.type, se.msg);
		free(started);
		return 0;
	}
	delay = a->attempt < 8 ? (int64_t)2 << a->attempt : BACKOFF_MAX;
	if (delay > BACKOFF_MAX)
		delay = BACKOFF_MAX;
	if (retry && a->attempt < a->max_retries && now + delay - a->first <= a->max_age) {
		log_info("scheduler: %s at %" PRId64 ": %s: %s (retry %u in %" PRId64 " s)", a->key, a->fire, e.type,
			 e.msg, a->attempt + 1, delay);
		a->attempt++;
		a->next_try = now + delay;
		return 1;
	}
	if (asprintf(&error, "%s: %s", e.type, e.msg) < 0)
		error = NULL;
	log_warn("scheduler: %s at %" PRId64 " failed after %u attempt(s): %s", a->key, a->fire, a->attempt + 1,
		 error ?: e.type);
	if (store_fire_set(s->store, a->key, a->fire, NULL, error ?: e.type, &se))
		log_error("scheduler: recording the failed fire of %s: %s: %s", a->key, se.type, se.msg);
	dead_letter(s, a, error ?: e.type);
	free(error);
	return 0;
}

static void attempt_start(struct svc *s, struct attempt *a, int64_t now)
{
	struct svc_sched *sc = s->sched;

	if (attempt_run(s, a, now)) {
		a->next = sc->retries;
		sc->retries = a;
	} else {
		attempt_free(a);
	}
}

static bool pending(struct svc_sched *sc, const char *key)
{
	struct attempt *a;

	for (a = sc->retries; a; a = a->next)
		if (!strcmp(a->key, key))
			return true;
	return false;
}

/* At open: claims recorded but never finished (a crash between the claim
 * and its record) are started again under the same name. */
static void recover(struct svc *s, int64_t now)
{
	struct svc_sched *sc = s->sched;
	struct store_fire *v = NULL;
	size_t n = 0, i, k;
	struct err e;

	for (k = 0; k < sc->njobs; k++) {
		err_clear(&e);
		if (store_fire_list(s->store, sc->jobs[k].key, RECOVER_SCAN, &v, &n, &e)) {
			log_warn("scheduler: fires of %s: %s: %s", sc->jobs[k].key, e.type, e.msg);
			continue;
		}
		for (i = n; i-- > 0;) {
			struct attempt *a;

			if (v[i].exec_arn || v[i].error)
				continue;
			log_info("scheduler: resuming the fire of %s at %" PRId64, sc->jobs[k].key, v[i].fire_s);
			if ((a = attempt_new(s, &sc->jobs[k], v[i].fire_s, now)))
				attempt_start(s, a, now);
		}
		store_fire_list_free(v, n);
		v = NULL;
		n = 0;
	}
}

/* ---- one pass --------------------------------------------------------------------------- */

int64_t svc_sched_tick(struct svc *s)
{
	struct svc_sched *sc = s->sched;
	struct attempt **pp, *a;
	struct sched_due d;
	int64_t now, wake;
	bool dirty, reload_failed = false;
	size_t k, i;
	struct err e;

	pthread_mutex_lock(&sc->mu);
	dirty = sc->dirty || !sc->loaded;
	sc->dirty = false;
	pthread_mutex_unlock(&sc->mu);
	if (dirty && reload(s))
		reload_failed = true;
	now = svc_events_now(s);
	wake = now + 3600;
	if (!sc->recovered && sc->loaded) {
		recover(s, now);
		sc->recovered = true;
	}
	for (k = 0; k < sc->njobs; k++) {
		struct job *j = &sc->jobs[k];
		bool claim_failed = false;

		sched_due(j->x, &j->o, j->last, now, &d);
		for (i = 0; i < d.nrun; i++) {
			int rc;

			err_clear(&e);
			rc = store_fire_claim(s->store, j->key, d.run[i], NULL, &e);
			if (rc < 0) {
				log_error("scheduler: claiming the fire of %s at %" PRId64 ": %s: %s", j->key, d.run[i],
					  e.type, e.msg);
				claim_failed = true;
				break;
			}
			if (rc == 1 && (a = attempt_new(s, j, d.run[i], now)))
				attempt_start(s, a, now);
		}
		if (claim_failed) {
			wake = now + 1 < wake ? now + 1 : wake;
			continue;
		}
		if (d.last > j->last)
			j->last = d.last;
		if (d.done) {
			if (j->delete_after && !pending(sc, j->key)) {
				err_clear(&e);
				if (store_res_delete(s->store, j->res_arn, &e) && strcmp(e.type, "ResourceNotFoundException"))
					log_error("scheduler: deleting the completed schedule %s: %s: %s", j->res_arn,
						  e.type, e.msg);
				else
					log_info("scheduler: %s completed: deleted (ActionAfterCompletion DELETE)",
						 j->res_arn);
				svc_sched_changed(s);
			}
			continue;
		}
		if (d.wake != SCHED_NONE && d.wake < wake)
			wake = d.wake;
	}
	for (pp = &sc->retries; (a = *pp);) {
		if (a->next_try <= now && !attempt_run(s, a, now)) {
			*pp = a->next;
			attempt_free(a);
			continue;
		}
		if (a->next_try < wake)
			wake = a->next_try;
		pp = &a->next;
	}
	if (reload_failed) {
		svc_sched_changed(s); /* try again */
		wake = now + 5 < wake ? now + 5 : wake;
	}
	return wake;
}

/* ---- the thread --------------------------------------------------------------------------- */

static struct svc_sched *sched_new(struct err *e)
{
	struct svc_sched *sc = calloc(1, sizeof *sc);
	pthread_condattr_t ca;

	if (!sc) {
		err_setn(e, "InternalError", "out of memory");
		return NULL;
	}
	pthread_mutex_init(&sc->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sc->cv, &ca);
	pthread_condattr_destroy(&ca);
	sc->dirty = true;
	return sc;
}

static int64_t wall_ms(struct svc *s)
{
	struct timespec ts;

	if (s->sched->clock)
		return s->sched->clock(s->sched->arg) * 1000;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *loop(void *arg)
{
	struct svc *s = arg;
	struct svc_sched *sc = s->sched;
	struct timespec ts;
	int64_t wake, ms;

	log_info("scheduler: started");
	for (;;) {
		pthread_mutex_lock(&sc->mu);
		if (sc->stop) {
			pthread_mutex_unlock(&sc->mu);
			break;
		}
		pthread_mutex_unlock(&sc->mu);
		wake = svc_sched_tick(s);
		/* Sleep until the wake, at most SLEEP_MAX_MS: the wall clock
		 * is read again after every wake. */
		ms = wake * 1000 - wall_ms(s);
		if (ms < 10)
			ms = 10;
		if (ms > SLEEP_MAX_MS)
			ms = SLEEP_MAX_MS;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += ms / 1000;
		ts.tv_nsec += (ms % 1000) * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&sc->mu);
		while (!sc->stop && !sc->dirty && pthread_cond_timedwait(&sc->cv, &sc->mu, &ts) != ETIMEDOUT)
			;
		pthread_mutex_unlock(&sc->mu);
	}
	return NULL;
}

int svc_sched_open(struct svc *s, struct err *e)
{
	struct svc_sched *sc = s->sched;
	int rc;

	if (s->o.mode != SVC_SERVER)
		return 0;
	if (!sc && !(sc = s->sched = sched_new(e)))
		return -1;
	if (sc->thread)
		return 0;
	if ((rc = pthread_create(&sc->th, NULL, loop, s))) {
		err_setn(e, "InternalError", "starting the scheduler thread: %s", strerror(rc));
		return -1;
	}
	sc->thread = true;
	return 0;
}

void svc_sched_close(struct svc *s)
{
	struct svc_sched *sc = s ? s->sched : NULL;
	struct attempt *a;

	if (!sc)
		return;
	pthread_mutex_lock(&sc->mu);
	sc->stop = true;
	pthread_cond_broadcast(&sc->cv);
	pthread_mutex_unlock(&sc->mu);
	if (sc->thread)
		pthread_join(sc->th, NULL);
	while ((a = sc->retries)) {
		sc->retries = a->next;
		attempt_free(a);
	}
	jobs_free(sc->jobs, sc->njobs);
	pthread_cond_destroy(&sc->cv);
	pthread_mutex_destroy(&sc->mu);
	s->sched = NULL;
	free(sc);
}

void svc_sched_changed(struct svc *s)
{
	struct svc_sched *sc = s ? s->sched : NULL;

	if (!sc)
		return;
	pthread_mutex_lock(&sc->mu);
	sc->dirty = true;
	pthread_cond_broadcast(&sc->cv);
	pthread_mutex_unlock(&sc->mu);
}

int svc_sched_test_attach(struct svc *s, ev_clock_fn clock, ev_launch_fn launch, void *arg, struct err *e)
{
	struct svc_sched *sc = s->sched;

	if (!sc && !(sc = s->sched = sched_new(e)))
		return -1;
	sc->clock = clock;
	sc->launch = launch;
	sc->arg = arg;
	return 0;
}
