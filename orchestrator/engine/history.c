/* history — append-only event storage and its JSON rendering.
 *
 * Events live in chunks that double from 8 to 1024 events and then stay at
 * 1024, so a short history costs a few hundred bytes and a long one never
 * moves an event once written (readers may hold pointers into a chunk).
 * Only the table of chunk pointers is reallocated; it is guarded by a
 * mutex that the writer takes when it grows the table and readers take to
 * find a chunk. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history.h"

#define FIRST_CHUNK  8
#define SMALL_CHUNKS 8          /* 8, 16, ..., 1024 */
#define BIG_CHUNK    1024
#define SMALL_TOTAL  (FIRST_CHUNK * ((1u << SMALL_CHUNKS) - 1))  /* 2040 */

struct history {
	pthread_mutex_t lock;      /* guards `chunks` (the table, not the events) */
	struct history_event **chunks;
	size_t nchunks, capchunks;
	_Atomic size_t count;
	uint32_t base;             /* ids start at base + 1 (a resumed execution) */
};

enum details {
	D_NONE, D_EXEC_STARTED, D_OUTPUT, D_ERROR, D_STATE_ENTERED, D_STATE_EXITED,
	D_LAMBDA_SCHEDULED, D_TASK_SCHEDULED, D_TASK_RESOURCE, D_TASK_OUTPUT, D_TASK_ERROR,
	D_MAP_STARTED, D_MAP_ITERATION, D_REDRIVEN, D_EVAL_FAILED
};

static const struct {
	const char *name;
	enum details details;
	const char *key;
} types[] = {
#define HIST_EVENT(id, name, details, key) { name, D_##details, key },
#include "history_events.def"
#undef HIST_EVENT
};

const char *history_type_name(enum history_type t)
{
	return (unsigned)t < HIST__COUNT ? types[t].name : "?";
}

struct history *history_new(void)
{
	struct history *h = calloc(1, sizeof *h);

	if (h)
		pthread_mutex_init(&h->lock, NULL);
	return h;
}

static size_t chunk_size(size_t c)
{
	return c < SMALL_CHUNKS ? (size_t)FIRST_CHUNK << c : BIG_CHUNK;
}

/* Which chunk holds event i, and where in it. */
static void locate(size_t i, size_t *chunk, size_t *off)
{
	size_t c = 0, base = 0;

	if (i >= SMALL_TOTAL) {
		*chunk = SMALL_CHUNKS + (i - SMALL_TOTAL) / BIG_CHUNK;
		*off = (i - SMALL_TOTAL) % BIG_CHUNK;
		return;
	}
	while (i >= base + chunk_size(c)) {
		base += chunk_size(c);
		c++;
	}
	*chunk = c;
	*off = i - base;
}

void history_free(struct history *h)
{
	size_t n, i;

	if (!h)
		return;
	n = atomic_load(&h->count);
	for (i = 0; i < n; i++) {
		const struct history_event *ev = history_get(h, i);

		json_decref(ev->data);
		json_decref(ev->data2);
	}
	for (i = 0; i < h->nchunks; i++)
		free(h->chunks[i]);
	free(h->chunks);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

uint32_t history_append_take(struct history *h, struct history_event *ev)
{
	size_t n = atomic_load_explicit(&h->count, memory_order_relaxed), chunk, off;
	struct history_event *slot;

	locate(n, &chunk, &off);
	if (chunk >= h->nchunks) {
		struct history_event *c = malloc(chunk_size(chunk) * sizeof *c);

		pthread_mutex_lock(&h->lock);
		if (c && h->nchunks == h->capchunks) {
			size_t cap = h->capchunks ? h->capchunks * 2 : 8;
			struct history_event **t = realloc(h->chunks, cap * sizeof *t);

			if (t) {
				h->chunks = t;
				h->capchunks = cap;
			}
		}
		if (c && h->nchunks < h->capchunks) {
			h->chunks[h->nchunks++] = c;
			c = NULL;
		}
		pthread_mutex_unlock(&h->lock);
		if (c || chunk >= h->nchunks) {
			free(c);
			goto fail;
		}
	}
	slot = &h->chunks[chunk][off];
	*slot = *ev;
	slot->id = h->base + (uint32_t)n + 1;
	if (!slot->ts_us)
		slot->ts_us = now_us();
	atomic_store_explicit(&h->count, n + 1, memory_order_release);
	return slot->id;
fail:
	json_decref(ev->data);
	json_decref(ev->data2);
	return 0;
}

void history_set_base(struct history *h, uint32_t base)
{
	h->base = base;
}

uint32_t history_base(const struct history *h)
{
	return h ? h->base : 0;
}

size_t history_count(const struct history *h)
{
	return h ? atomic_load_explicit(&((struct history *)h)->count, memory_order_acquire) : 0;
}

const struct history_event *history_get(const struct history *h, size_t i)
{
	struct history *w = (struct history *)h;
	struct history_event *c;
	size_t chunk, off;

	locate(i, &chunk, &off);
	pthread_mutex_lock(&w->lock);
	c = w->chunks[chunk];
	pthread_mutex_unlock(&w->lock);
	return &c[off];
}

/* ---- rendering ----------------------------------------------------------- */

static json_t *text_of(const json_t *v)
{
	char *s = json_dumps(v ? v : json_null(), JSON_COMPACT | JSON_ENCODE_ANY);
	json_t *t;

	if (!s)
		return NULL;
	t = json_string_nocheck(s);
	free(s);
	return t;
}

static void put(json_t *o, const char *key, json_t *v)
{
	if (v)
		json_object_set_new_nocheck(o, key, v);
}

static void put_str(json_t *o, const char *key, const char *s)
{
	if (s)
		put(o, key, json_string(s));
}

static void put_data(json_t *o, const char *key, const char *dkey, const json_t *v)
{
	put(o, key, text_of(v));
	put(o, dkey, json_pack("{s:b}", "truncated", 0));
}

static void put_error(json_t *o, const struct history_event *ev)
{
	if (ev->data)
		put(o, "error", json_incref(ev->data));
	if (ev->data2)
		put(o, "cause", json_incref(ev->data2));
}

/* assignedVariables: each variable's value as JSON text, as the API
 * carries it. Absent when the state assigned nothing. The engine refuses an
 * Assign over 256 KiB (States.DataLimitExceeded), so nothing here is
 * truncated: the flag is always false, as in GetExecutionHistory. */
static void put_assigned(json_t *o, const json_t *vars)
{
	const char *k;
	json_t *v, *m;

	if (!json_is_object(vars) || !json_object_size(vars))
		return;
	m = json_object();
	if (!m)
		return;
	json_object_foreach((json_t *)vars, k, v) {
		json_t *t = text_of(v);

		if (!t || json_object_set_new_nocheck(m, k, t)) {
			json_decref(m);
			return;
		}
	}
	put(o, "assignedVariables", m);
	put(o, "assignedVariablesDetails", json_pack("{s:b}", "truncated", 0));
}

/* EvaluationFailed: the location is a span of the cause (num, num2), so
 * the event holds no string of its own. */
static void put_eval_failed(json_t *o, const struct history_event *ev)
{
	const char *c = json_string_value(ev->data2);

	put_error(o, ev);
	if (c && ev->num >= 0 && ev->num2 > 0 && (size_t)ev->num + (size_t)ev->num2 <= strlen(c))
		put(o, "location", json_stringn(c + ev->num, (size_t)ev->num2));
	put_str(o, "state", ev->name);
}

static json_t *details_json(const struct history_event *ev)
{
	json_t *d = json_object();

	if (!d)
		return NULL;
	switch (types[ev->type].details) {
	case D_NONE:
		break;
	case D_EXEC_STARTED:
		put_data(d, "input", "inputDetails", ev->data);
		put_str(d, "roleArn", ev->resource);
		break;
	case D_OUTPUT:
		put_data(d, "output", "outputDetails", ev->data);
		break;
	case D_ERROR:
		put_error(d, ev);
		break;
	case D_STATE_ENTERED:
		put_str(d, "name", ev->name);
		put_data(d, "input", "inputDetails", ev->data);
		break;
	case D_STATE_EXITED:
		put_str(d, "name", ev->name);
		put_data(d, "output", "outputDetails", ev->data);
		put_assigned(d, ev->data2);
		break;
	case D_EVAL_FAILED:
		put_eval_failed(d, ev);
		break;
	case D_LAMBDA_SCHEDULED:
		put_str(d, "resource", ev->resource);
		put_data(d, "input", "inputDetails", ev->data);
		if (ev->num >= 0)
			put(d, "timeoutInSeconds", json_integer(ev->num));
		break;
	case D_TASK_SCHEDULED:
		put_str(d, "resourceType", ev->name);
		put_str(d, "resource", ev->resource);
		if (ev->data2)
			put(d, "region", json_incref(ev->data2));
		put(d, "parameters", text_of(ev->data));
		if (ev->num >= 0)
			put(d, "timeoutInSeconds", json_integer(ev->num));
		if (ev->num2 >= 0)
			put(d, "heartbeatInSeconds", json_integer(ev->num2));
		break;
	case D_TASK_RESOURCE:
	case D_TASK_OUTPUT:
	case D_TASK_ERROR:
		put_str(d, "resourceType", ev->name);
		put_str(d, "resource", ev->resource);
		if (types[ev->type].details == D_TASK_OUTPUT)
			put_data(d, "output", "outputDetails", ev->data);
		else if (types[ev->type].details == D_TASK_ERROR)
			put_error(d, ev);
		break;
	case D_MAP_STARTED:
		put(d, "length", json_integer(ev->num));
		break;
	case D_MAP_ITERATION:
		put_str(d, "name", ev->name);
		put(d, "index", json_integer(ev->num));
		break;
	case D_REDRIVEN:
		put(d, "redriveCount", json_integer(ev->num));
		break;
	}
	return d;
}

json_t *history_event_body(const struct history_event *ev)
{
	json_t *o;

	if (!ev || ev->type >= HIST__COUNT)
		return NULL;
	o = json_pack("{s:s}", "type", types[ev->type].name);
	if (o && types[ev->type].key[0])
		put(o, types[ev->type].key, details_json(ev));
	return o;
}

json_t *history_event_json(const struct history_event *ev)
{
	json_t *o = history_event_body(ev);

	/* Milliseconds, as the API reports them (seconds with a fraction). */
	if (o && (json_object_set_new_nocheck(o, "timestamp", json_real((double)(ev->ts_us / 1000) / 1000.0)) ||
		  json_object_set_new_nocheck(o, "id", json_integer(ev->id)) ||
		  json_object_set_new_nocheck(o, "previousEventId", json_integer(ev->prev)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *history_to_json(const struct history *h)
{
	json_t *arr = json_array();
	size_t i, n = history_count(h);

	if (!arr)
		return NULL;
	for (i = 0; i < n; i++)
		if (json_array_append_new(arr, history_event_json(history_get(h, i)))) {
			json_decref(arr);
			return NULL;
		}
	return json_pack("{s:o}", "events", arr);
}

int history_write(const struct history *h, FILE *f)
{
	size_t i, n = history_count(h);

	fputs("{\"events\": [\n", f);
	for (i = 0; i < n; i++) {
		json_t *ev = history_event_json(history_get(h, i));

		if (!ev)
			return -ENOMEM;
		/* 13 significant digits: timestamps print as 1712345678.123 */
		json_dumpf(ev, f, JSON_COMPACT | JSON_REAL_PRECISION(13));
		json_decref(ev);
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	fputs("]}\n", f);
	return ferror(f) ? -EIO : 0;
}
