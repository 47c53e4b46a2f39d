/* graph_exec — an execution's history read back as per-state statuses
 * (graph_exec_states) and Map iterations (graph_map_iterations); the
 * contracts are in graph.h.
 *
 * One pass in event-id order (an id -> index table; previousEventId always
 * points back) gives every event:
 *   its visit     the state entry it belongs to: a *StateEntered starts
 *                 one; other events inherit their previous event's, except
 *                 after a *StateExited (the visit is over);
 *   its iteration the nearest MapIterationStarted up its previousEventId
 *                 chain (an iteration's parent is its MapIterationStarted's);
 *   its epoch     how many ExecutionRedriven came before it.
 * A visit entered right after a ParallelStateStarted, a MapStateStarted or
 * a MapIterationStarted is inside that visit (its container); one entered
 * after another visit's events follows it (same container, and the one
 * before is over: exited, or gone on through its Catch).
 * Then each visit gets its status, in entry order (a container is entered
 * before what it contains): exited -> SUCCEEDED, or CAUGHT when a failure
 * (a Task's failure event, Parallel/MapStateFailed) was its last word; a
 * *StateAborted -> ABORTED; else by how its scope (the Parallel around it,
 * its iteration, its execution epoch) ended: still running -> RUNNING,
 * failed -> FAILED (a state still open when its scope failed is where the
 * failure came from: states merely waiting are aborted with an event),
 * stopped or timed out -> ABORTED. Errors then flow up, children first:
 * a FAILED state's error is its Parallel's, its iteration's and its Map's
 * unless they have their own, and a top-level FAILED state takes the
 * error the execution ended with. Everything is linear in the number of
 * events, but for one sort of the iterations graph_map_iterations lists. */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

enum ev_kind {
	EV_OTHER, EV_ENTERED, EV_EXITED, EV_STATE_ABORTED, EV_SCHEDULED, EV_FAN_STARTED, EV_TASK_OK, EV_TASK_FAIL,
	EV_FAN_FAILED, EV_FAN_SUCCEEDED, EV_ITER_STARTED, EV_ITER_END, EV_EXEC_END, EV_EXEC_REDRIVEN,
};

/* statuses, in the order aggregation prefers them (higher wins) */
enum st { ST_NONE, ST_SUCCEEDED, ST_CAUGHT, ST_ABORTED, ST_RUNNING, ST_FAILED, ST_TIMED_OUT };

static const char *const st_name[] = {
	[ST_NONE] = "RUNNING", [ST_SUCCEEDED] = "SUCCEEDED", [ST_CAUGHT] = "CAUGHT", [ST_ABORTED] = "ABORTED",
	[ST_RUNNING] = "RUNNING", [ST_FAILED] = "FAILED", [ST_TIMED_OUT] = "TIMED_OUT",
};

struct visit {
	const char *name;
	char type[24];
	int entered, exited, last;   /* event indexes; exited -1 */
	int container;               /* visit index, -1 */
	int iter;                    /* iteration index, -1: top level */
	int epoch;
	int attempts;
	bool fail_pending, aborted, implicit_exit;
	bool superseded;             /* a later visit of the same name in the same scope */
	bool hidden;                 /* superseded, or inside a visit that is */
	enum st fan_end;             /* Parallel/Map: how its last run ended (ST_NONE: not yet) */
	enum st status;
	json_t *error, *cause;       /* borrowed from the events */
	json_int_t map_length;       /* Map: MapStateStarted's length, -1 */
	size_t it_count[ST_TIMED_OUT + 1];   /* Map: its iterations by status */
	size_t it_started;
};

struct iter {
	const char *map;
	json_int_t index;
	int parent, map_visit;
	int start, end;              /* event indexes; end -1 */
	enum st status;              /* from its end event; ST_NONE: none */
	enum st eff;                 /* resolved */
	json_t *error, *cause;
	bool sel;
};

struct ana {
	const json_t *events;
	size_t n;
	unsigned char *kind;
	enum st *sub;                /* EV_EXEC_END, EV_ITER_END: the status */
	int *visit, *iter, *epoch;
	struct visit *v;
	size_t nv, av;
	struct iter *it;
	size_t nit, ait;
	struct {
		enum st status;
		json_t *error, *cause;
		int ev;
	} *epochs;
	size_t nepochs, aepochs;
};

static const char *jstr(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && !memcmp(s + n - k, suffix, k);
}

static enum ev_kind classify(const char *t, enum st *sub)
{
	size_t n;

	*sub = ST_NONE;
	if (!t)
		return EV_OTHER;
	n = strlen(t);
	if (ends_with(t, n, "StateEntered"))
		return EV_ENTERED;
	if (ends_with(t, n, "StateExited"))
		return EV_EXITED;
	if (!strcmp(t, "TaskScheduled") || !strcmp(t, "LambdaFunctionScheduled"))
		return EV_SCHEDULED;
	if (!strcmp(t, "TaskSucceeded") || !strcmp(t, "LambdaFunctionSucceeded"))
		return EV_TASK_OK;
	if (!strcmp(t, "TaskFailed") || !strcmp(t, "TaskTimedOut") || !strcmp(t, "TaskStartFailed") ||
	    !strcmp(t, "LambdaFunctionFailed") || !strcmp(t, "LambdaFunctionTimedOut") ||
	    !strcmp(t, "LambdaFunctionStartFailed") || !strcmp(t, "LambdaFunctionScheduleFailed") ||
	    !strcmp(t, "EvaluationFailed"))   /* a JSONata state's own query error: as a task's */
		return EV_TASK_FAIL;
	if (!strcmp(t, "ParallelStateStarted") || !strcmp(t, "MapStateStarted"))
		return EV_FAN_STARTED;
	if (!strcmp(t, "ParallelStateFailed") || !strcmp(t, "MapStateFailed"))
		return EV_FAN_FAILED;
	if (!strcmp(t, "ParallelStateSucceeded") || !strcmp(t, "MapStateSucceeded"))
		return EV_FAN_SUCCEEDED;
	if (ends_with(t, n, "StateAborted"))
		return EV_STATE_ABORTED;
	if (!strcmp(t, "MapIterationStarted"))
		return EV_ITER_STARTED;
	if (!strcmp(t, "MapIterationSucceeded") || !strcmp(t, "MapIterationFailed") ||
	    !strcmp(t, "MapIterationAborted")) {
		*sub = t[12] == 'S' ? ST_SUCCEEDED : t[12] == 'F' ? ST_FAILED : ST_ABORTED;
		return EV_ITER_END;
	}
	if (!strcmp(t, "ExecutionSucceeded") || !strcmp(t, "ExecutionFailed") || !strcmp(t, "ExecutionTimedOut") ||
	    !strcmp(t, "ExecutionAborted")) {
		*sub = t[9] == 'S' ? ST_SUCCEEDED : t[9] == 'F' ? ST_FAILED : t[9] == 'T' ? ST_TIMED_OUT : ST_ABORTED;
		return EV_EXEC_END;
	}
	if (!strcmp(t, "ExecutionRedriven"))
		return EV_EXEC_REDRIVEN;
	return EV_OTHER;
}

/* The event's "...EventDetails" object, or NULL. */
static json_t *details(const json_t *ev)
{
	const char *k;
	json_t *v;
	size_t n;

	json_object_foreach((json_t *)ev, k, v) {
		n = strlen(k);
		if (ends_with(k, n, "EventDetails") && json_is_object(v))
			return v;
	}
	return NULL;
}

static json_t *ev_at(const struct ana *a, int i)
{
	return json_array_get(a->events, (size_t)i);
}

static int grow(void **p, size_t *alloc, size_t n, size_t size)
{
	void *q;
	size_t na;

	if (n < *alloc)
		return 0;
	na = *alloc ? *alloc * 2 : 32;
	q = realloc(*p, na * size);
	if (!q)
		return -1;
	*p = q;
	*alloc = na;
	return 0;
}

static void ana_free(struct ana *a)
{
	free(a->kind);
	free(a->sub);
	free(a->visit);
	free(a->iter);
	free(a->epoch);
	free(a->v);
	free(a->it);
	free(a->epochs);
}

static int new_epoch(struct ana *a, int ev)
{
	if (grow((void **)&a->epochs, &a->aepochs, a->nepochs, sizeof *a->epochs))
		return -1;
	a->epochs[a->nepochs].status = ST_NONE;
	a->epochs[a->nepochs].error = a->epochs[a->nepochs].cause = NULL;
	a->epochs[a->nepochs].ev = ev;
	a->nepochs++;
	return 0;
}

/* One event, in id order; p: its previous event's index or -1. */
static int step(struct ana *a, int i, int p)
{
	json_t *ev = ev_at(a, i), *d;
	enum ev_kind k = a->kind[i];
	struct visit *v;

	if (k == EV_EXEC_REDRIVEN && new_epoch(a, i))
		return -1;
	a->epoch[i] = (int)a->nepochs - 1;
	a->iter[i] = p >= 0 ? a->iter[p] : -1;
	a->visit[i] = p >= 0 && a->kind[p] != EV_EXITED && k != EV_EXEC_REDRIVEN ? a->visit[p] : -1;
	switch (k) {
	case EV_ITER_STARTED: {
		struct iter *it;

		if (grow((void **)&a->it, &a->ait, a->nit, sizeof *a->it))
			return -1;
		d = details(ev);
		it = &a->it[a->nit];
		memset(it, 0, sizeof *it);
		it->map = jstr(d, "name");
		it->index = json_integer_value(json_object_get(d, "index"));
		it->parent = a->iter[i];
		it->map_visit = a->visit[i];
		it->start = i;
		it->end = -1;
		a->iter[i] = (int)a->nit++;
		return 0;
	}
	case EV_ITER_END: {
		int n = a->iter[i];
		const char *name;

		/* normally the chain's iteration; else the nearest that matches */
		d = details(ev);
		name = jstr(d, "name");
		while (n >= 0 && name && a->it[n].map && strcmp(a->it[n].map, name))
			n = a->it[n].parent;
		if (n >= 0 && a->it[n].end < 0) {
			a->it[n].end = i;
			a->it[n].status = a->sub[i];
		}
		return 0;
	}
	case EV_EXEC_END:
		a->visit[i] = -1;   /* the execution's, not its last state's */
		if (a->epochs[a->epoch[i]].status == ST_NONE) {
			d = details(ev);
			a->epochs[a->epoch[i]].status = a->sub[i];
			a->epochs[a->epoch[i]].error = json_object_get(d, "error");
			a->epochs[a->epoch[i]].cause = json_object_get(d, "cause");
		}
		return 0;
	case EV_ENTERED: {
		int prev_visit = a->visit[i], container = -1;

		if (grow((void **)&a->v, &a->av, a->nv, sizeof *a->v))
			return -1;
		if (p >= 0 && (a->kind[p] == EV_FAN_STARTED || a->kind[p] == EV_ITER_STARTED)) {
			container = prev_visit;
		} else if (p >= 0 && a->kind[p] == EV_EXITED) {
			container = a->visit[p] >= 0 ? a->v[a->visit[p]].container : -1;
		} else if (prev_visit >= 0) {
			/* entered straight from another state's events: that state
			 * went on without an Exited event */
			container = a->v[prev_visit].container;
			a->v[prev_visit].implicit_exit = true;
		}
		v = &a->v[a->nv];
		memset(v, 0, sizeof *v);
		d = details(ev);
		v->name = jstr(d, "name");
		snprintf(v->type, sizeof v->type, "%.*s", (int)(strlen(jstr(ev, "type")) - 12), jstr(ev, "type"));
		v->entered = v->last = i;
		v->exited = -1;
		v->container = container;
		v->iter = a->iter[i];
		v->epoch = a->epoch[i];
		v->map_length = -1;
		a->visit[i] = (int)a->nv++;
		return 0;
	}
	default:
		break;
	}
	if (a->visit[i] < 0)
		return 0;
	v = &a->v[a->visit[i]];
	v->last = i;
	switch (k) {
	case EV_EXITED:
		if (v->exited < 0)
			v->exited = i;
		break;
	case EV_SCHEDULED:
		v->attempts++;
		v->fail_pending = false;
		break;
	case EV_FAN_STARTED:
		v->attempts++;
		v->fail_pending = false;
		v->fan_end = ST_NONE;
		d = details(ev);
		if (json_is_integer(json_object_get(d, "length")))
			v->map_length = json_integer_value(json_object_get(d, "length"));
		break;
	case EV_TASK_OK:
		v->fail_pending = false;
		break;
	case EV_TASK_FAIL:
		d = details(ev);
		v->fail_pending = true;
		v->error = json_object_get(d, "error");
		v->cause = json_object_get(d, "cause");
		break;
	case EV_FAN_FAILED:
		v->fail_pending = true;
		v->fan_end = ST_FAILED;
		v->error = v->cause = NULL;   /* a child's, below */
		break;
	case EV_FAN_SUCCEEDED:
		v->fan_end = ST_SUCCEEDED;
		break;
	case EV_STATE_ABORTED:
		v->aborted = true;
		if (!v->fan_end)
			v->fan_end = ST_ABORTED;
		break;
	default:
		break;
	}
	return 0;
}

/* An iteration's status: its end event's, else ABORTED once its Map is over. */
static enum st iter_status(struct ana *a, int n)
{
	struct iter *it = &a->it[n];

	if (it->eff)
		return it->eff;
	if (it->status)
		it->eff = it->status;
	else if (it->map_visit >= 0 && a->v[it->map_visit].status && a->v[it->map_visit].status != ST_RUNNING)
		it->eff = ST_ABORTED;
	else
		return ST_RUNNING;   /* not memoised: its Map may not be resolved yet */
	return it->eff;
}

/* How the scope around visit v ended (ST_RUNNING: it has not). */
static enum st scope_status(struct ana *a, const struct visit *v)
{
	const struct visit *c = v->container >= 0 ? &a->v[v->container] : NULL;

	if (c && c->iter == v->iter) {   /* a Parallel's branch */
		if (c->fan_end)
			return c->fan_end;
		if (c->exited >= 0 || c->implicit_exit)
			return ST_SUCCEEDED;
		return c->status == ST_CAUGHT ? ST_FAILED : c->status ? c->status : ST_RUNNING;
	}
	if (v->iter >= 0)
		return iter_status(a, v->iter);
	return a->epochs[v->epoch].status ? a->epochs[v->epoch].status : ST_RUNNING;
}

static void resolve(struct ana *a)
{
	size_t i;

	for (i = 0; i < a->nv; i++) {
		struct visit *v = &a->v[i];
		enum st s;

		if (v->exited >= 0 || v->implicit_exit) {
			v->status = v->fail_pending ? ST_CAUGHT : ST_SUCCEEDED;
			continue;
		}
		if (v->aborted) {
			v->status = ST_ABORTED;
			continue;
		}
		s = scope_status(a, v);
		if (s == ST_RUNNING)
			v->status = ST_RUNNING;
		else if (s == ST_FAILED)
			v->status = ST_FAILED;
		else if (s == ST_SUCCEEDED)
			v->status = v->fail_pending ? ST_FAILED : ST_SUCCEEDED;
		else
			v->status = ST_ABORTED;
		if (v->status == ST_FAILED && v->iter < 0 && v->container < 0 && a->epochs[v->epoch].status == ST_FAILED &&
		    a->epochs[v->epoch].error) {
			v->error = a->epochs[v->epoch].error;
			v->cause = a->epochs[v->epoch].cause;
		}
	}
	for (i = 0; i < a->nit; i++) {
		struct iter *it = &a->it[i];

		it->eff = iter_status(a, (int)i);
		if (it->map_visit >= 0) {
			a->v[it->map_visit].it_count[it->eff]++;
			a->v[it->map_visit].it_started++;
		}
	}
	/* errors up, children (entered later) first */
	for (i = a->nv; i-- > 0;) {
		struct visit *v = &a->v[i], *c;

		if (v->status != ST_FAILED || !v->error)
			continue;
		c = v->container >= 0 ? &a->v[v->container] : NULL;
		if (c && c->iter == v->iter && (c->status == ST_FAILED || c->status == ST_CAUGHT) && !c->error) {
			c->error = v->error;
			c->cause = v->cause;
		}
		if (v->iter >= 0 && (!c || c->iter != v->iter)) {
			struct iter *it = &a->it[v->iter];

			if (it->eff == ST_FAILED && !it->error) {
				it->error = v->error;
				it->cause = v->cause;
			}
			c = it->map_visit >= 0 ? &a->v[it->map_visit] : NULL;
			if (c && (c->status == ST_FAILED || c->status == ST_CAUGHT) && !c->error) {
				c->error = v->error;
				c->cause = v->cause;
			}
		}
	}
}

/* The last visit of each state in each scope stands for it (a loop, a
 * retried Parallel, a redriven execution); what an earlier one contained
 * goes with it. */
static int supersede(struct ana *a)
{
	json_t *last = json_object();
	size_t i;
	int rc = -1;

	if (!last)
		return -1;
	for (i = 0; i < a->nv; i++) {
		struct visit *v = &a->v[i];
		size_t kn = strlen(v->name) + 32;
		char *k = malloc(kn);
		json_t *prev;

		if (!k)
			goto out;
		snprintf(k, kn, "%d:%s", v->iter, v->name);
		prev = json_object_get(last, k);
		if (prev)
			a->v[json_integer_value(prev)].superseded = true;
		if (json_object_set_new(last, k, json_integer((json_int_t)i))) {
			free(k);
			goto out;
		}
		free(k);
	}
	/* containers come first */
	for (i = 0; i < a->nv; i++) {
		struct visit *v = &a->v[i];

		v->hidden = v->superseded || (v->container >= 0 && a->v[v->container].hidden) ||
			    (v->iter >= 0 && a->it[v->iter].map_visit >= 0 && a->v[a->it[v->iter].map_visit].hidden);
	}
	rc = 0;
out:
	json_decref(last);
	return rc;
}

static int analyse(struct ana *a, const json_t *events, struct err *e)
{
	size_t n = json_array_size(events), i, maxid = 0, idcap;
	int *at = NULL, rc = -1;

	memset(a, 0, sizeof *a);
	if (!json_is_array(events))
		return err_set(e, ERR_INVALID_PARAMETER, "the history's events are not an array");
	a->events = events;
	a->n = n;
	idcap = 4 * n + 1024;   /* ids of one history run 1..n; anything past this is not one */
	for (i = 0; i < n; i++) {
		json_int_t id = json_integer_value(json_object_get(json_array_get(events, i), "id"));

		if (id > 0 && (size_t)id <= idcap && (size_t)id > maxid)
			maxid = (size_t)id;
	}
	a->kind = calloc(n + 1, 1);
	a->sub = calloc(n + 1, sizeof *a->sub);
	a->visit = calloc(n + 1, sizeof *a->visit);
	a->iter = calloc(n + 1, sizeof *a->iter);
	a->epoch = calloc(n + 1, sizeof *a->epoch);
	at = malloc((maxid + 1) * sizeof *at);
	if (!a->kind || !a->sub || !a->visit || !a->iter || !a->epoch || !at || new_epoch(a, -1))
		goto oom;
	for (i = 0; i <= maxid; i++)
		at[i] = -1;
	for (i = 0; i < n; i++) {
		json_t *ev = json_array_get(events, i);
		json_int_t id = json_integer_value(json_object_get(ev, "id"));
		enum st sub;

		a->kind[i] = (unsigned char)classify(jstr(ev, "type"), &sub);
		a->sub[i] = sub;
		if (a->kind[i] == EV_ENTERED && !jstr(details(ev), "name"))
			a->kind[i] = EV_OTHER;   /* a state without a name is nothing to draw */
		if (id > 0 && (size_t)id <= maxid)
			at[id] = (int)i;
	}
	for (i = 1; i <= maxid; i++) {
		json_int_t p;
		int pi;

		if (at[i] < 0)
			continue;
		p = json_integer_value(json_object_get(ev_at(a, at[i]), "previousEventId"));
		pi = p > 0 && (size_t)p < i ? at[p] : -1;
		if (step(a, at[i], pi))
			goto oom;
	}
	resolve(a);
	if (supersede(a))
		goto oom;
	rc = 0;
	goto out;
oom:
	err_set(e, ERR_RUNTIME_OOM, "out of memory while reading the history");
out:
	free(at);
	if (rc)
		ana_free(a);
	return rc;
}

/* ---- graph_exec_states ------------------------------------------------------------ */

static enum st exec_status(const struct ana *a)
{
	enum st s = a->epochs[a->nepochs - 1].status;

	return s ? s : ST_RUNNING;
}

static int set_opt(json_t *o, const char *k, json_t *v)
{
	return v ? json_object_set(o, k, v) : 0;
}

static json_t *ev_ts(const struct ana *a, int i)
{
	return json_object_get(ev_at(a, i), "timestamp");
}

static json_t *ev_id(const struct ana *a, int i)
{
	return json_object_get(ev_at(a, i), "id");
}

/* The state entry of visit v (the representative of its aggregate). */
static json_t *visit_json(const struct ana *a, const struct visit *v, int attempts, int retries, int visits,
			  const size_t *counts, json_int_t total)
{
	json_t *o = json_object(), *it;
	bool task = !strcmp(v->type, "Task");

	if (!o)
		return NULL;
	if (json_object_set_new(o, "status", json_string(st_name[v->status])) ||
	    json_object_set_new(o, "type", json_string(v->type)) || set_opt(o, "enteredEventId", ev_id(a, v->entered)) ||
	    (v->exited >= 0 && set_opt(o, "exitedEventId", ev_id(a, v->exited))) ||
	    set_opt(o, "input", json_object_get(details(ev_at(a, v->entered)), "input")) ||
	    (v->exited >= 0 && set_opt(o, "output", json_object_get(details(ev_at(a, v->exited)), "output"))) ||
	    ((v->status == ST_FAILED || v->status == ST_CAUGHT || v->fail_pending) &&
	     (set_opt(o, "error", v->error) || set_opt(o, "cause", v->cause))) ||
	    ((attempts || task) && (json_object_set_new(o, "attempts", json_integer(attempts > 0 ? attempts : 1)) ||
				    json_object_set_new(o, "retries", json_integer(retries > 0 ? retries : 0)))) ||
	    json_object_set_new(o, "visits", json_integer(visits)) || set_opt(o, "startDate", ev_ts(a, v->entered)) ||
	    (v->status != ST_RUNNING && set_opt(o, "stopDate", ev_ts(a, v->exited >= 0 ? v->exited : v->last))))
		goto oom;
	if (!strcmp(v->type, "Map")) {
		it = json_pack("{s:I, s:I, s:I, s:I, s:I}", "total", total, "SUCCEEDED", (json_int_t)counts[ST_SUCCEEDED],
			       "FAILED", (json_int_t)counts[ST_FAILED], "RUNNING", (json_int_t)counts[ST_RUNNING],
			       "ABORTED", (json_int_t)counts[ST_ABORTED]);
		if (!it || json_object_set_new(o, "iterations", it))
			goto oom;
	}
	return o;
oom:
	json_decref(o);
	return NULL;
}

struct agg {
	int rep;          /* the representative visit */
	int attempts, retries, visits, shown;
	size_t counts[ST_TIMED_OUT + 1];
	json_int_t total;
};

json_t *graph_exec_states(const json_t *events, const char *map_state, long iteration, struct err *e)
{
	struct ana a;
	json_t *out = NULL, *states = NULL, *index = NULL;
	struct agg *ag = NULL;
	size_t i, nag = 0;
	bool found = false;
	enum st it_status = ST_NONE;

	if (analyse(&a, events, e))
		return NULL;
	states = json_object();
	index = json_object();   /* NAME -> its aggregate */
	ag = calloc(a.nv + 1, sizeof *ag);
	if (!states || !index || !ag)
		goto oom;
	for (i = 0; i < a.nit; i++) {
		struct iter *it = &a.it[i];

		bool gone = it->map_visit >= 0 && a.v[it->map_visit].hidden;

		it->sel = !map_state || (it->parent >= 0 && a.it[it->parent].sel);
		if (map_state && !gone && it->map && !strcmp(it->map, map_state) && it->index == iteration) {
			it->sel = true;
			found = true;
			if (it->eff > it_status)
				it_status = it->eff;
		}
	}
	if (map_state && !found) {
		err_setn(e, GRAPH_ERR_NO_ITERATION, "no iteration %ld of Map state '%.200s' in this history", iteration,
			 map_state);
		goto fail;
	}
	for (i = 0; i < a.nv; i++) {
		struct visit *v = &a.v[i];
		json_t *at;
		struct agg *g;

		if (map_state && (v->iter < 0 || !a.it[v->iter].sel))
			continue;
		at = json_object_get(index, v->name);
		if (!at) {
			if (json_object_set_new(index, v->name, json_integer((json_int_t)nag)))
				goto oom;
			g = &ag[nag++];
			g->rep = (int)i;
			g->total = 0;
		} else {
			g = &ag[json_integer_value(at)];
		}
		g->visits++;
		if (v->hidden)
			continue;
		g->shown++;
		if (a.v[g->rep].hidden || v->status > a.v[g->rep].status)
			g->rep = (int)i;
		g->attempts += v->attempts;
		g->retries += v->attempts > 1 ? v->attempts - 1 : 0;
		for (size_t s = 0; s <= ST_TIMED_OUT; s++)
			g->counts[s] += v->it_count[s];
		g->total += v->map_length >= 0 ? v->map_length : (json_int_t)v->it_started;
	}
	for (i = 0; i < nag; i++) {
		struct visit *v = &a.v[ag[i].rep];
		json_t *o;

		if (!ag[i].shown)   /* only inside what a later visit replaced */
			continue;
		o = visit_json(&a, v, ag[i].attempts, ag[i].retries, ag[i].visits, ag[i].counts, ag[i].total);

		if (!o || json_object_set_new(states, v->name, o))
			goto oom;
	}
	out = json_pack("{s:s, s:O}", "status", st_name[exec_status(&a)], "states", states);
	if (!out)
		goto oom;
	if (map_state) {
		if (json_object_set_new(out, "iteration", json_pack("{s:I, s:s}", "index", (json_int_t)iteration, "status",
								      st_name[it_status])))
			goto oom;
	}
	goto done;
oom:
	err_set(e, ERR_RUNTIME_OOM, "out of memory while reading the history");
fail:
	json_decref(out);
	out = NULL;
done:
	json_decref(states);
	json_decref(index);
	free(ag);
	ana_free(&a);
	return out;
}

/* ---- graph_map_iterations --------------------------------------------------------- */

static _Thread_local const struct ana *sort_ana;

static int by_index(const void *x, const void *y)
{
	const struct iter *a = &sort_ana->it[*(const int *)x], *b = &sort_ana->it[*(const int *)y];

	if (a->index != b->index)
		return a->index < b->index ? -1 : 1;
	return a->start < b->start ? -1 : a->start > b->start;
}

json_t *graph_map_iterations(const json_t *events, const char *map_state, const char *status_filter, size_t offset,
			     size_t limit, size_t *total, struct err *e)
{
	struct ana a;
	enum st want = ST_NONE;
	json_t *out = NULL;
	int *order = NULL;
	size_t i, n = 0, k;

	*total = 0;
	if (status_filter) {
		static const enum st ok[] = { ST_SUCCEEDED, ST_FAILED, ST_RUNNING, ST_ABORTED };

		for (i = 0; i < 4; i++)
			if (!strcmp(status_filter, st_name[ok[i]]))
				want = ok[i];
		if (!want)
			return err_set(e, ERR_INVALID_PARAMETER,
				       "status filter '%.64s' is none of SUCCEEDED, FAILED, RUNNING, ABORTED", status_filter),
			       NULL;
	}
	if (analyse(&a, events, e))
		return NULL;
	order = malloc((a.nit + 1) * sizeof *order);
	out = json_array();
	if (!order || !out)
		goto oom;
	for (i = 0; i < a.nit; i++)
		if (map_state && a.it[i].map && !strcmp(a.it[i].map, map_state) && (!want || a.it[i].eff == want) &&
		    !(a.it[i].map_visit >= 0 && a.v[a.it[i].map_visit].hidden))
			order[n++] = (int)i;
	/* qsort has no context argument, and another thread may sort at the
	 * same time: a thread-local pointer */
	sort_ana = &a;
	qsort(order, n, sizeof *order, by_index);
	sort_ana = NULL;
	*total = n;
	for (k = offset; k < n && (!limit || k < offset + limit); k++) {
		const struct iter *it = &a.it[order[k]];
		json_t *o = json_pack("{s:I, s:s}", "index", it->index, "status", st_name[it->eff]);

		if (!o || set_opt(o, "startEventId", ev_id(&a, it->start)) ||
		    (it->end >= 0 && set_opt(o, "endEventId", ev_id(&a, it->end))) ||
		    (it->eff == ST_FAILED && (set_opt(o, "error", it->error) || set_opt(o, "cause", it->cause))) ||
		    set_opt(o, "startDate", ev_ts(&a, it->start)) ||
		    (it->end >= 0 && set_opt(o, "stopDate", ev_ts(&a, it->end))) || json_array_append_new(out, o)) {
			json_decref(o);
			goto oom;
		}
	}
	goto done;
oom:
	err_set(e, ERR_RUNTIME_OOM, "out of memory while reading the history");
	json_decref(out);
	out = NULL;
done:
	free(order);
	ana_free(&a);
	return out;
}
