/* history — the event history of one execution, as Step Functions records
 * it (GetExecutionHistory): typed events with an id, the id of the event
 * before them on the same path (previousEventId), a timestamp and details.
 *
 * Recording is cheap: an event is a fixed-size struct holding references
 * to json values (the state input, output, task parameters, ...) and
 * borrowed strings (state names, resources); nothing is serialized until
 * the history is printed (history_write, history_event_json). The values
 * must never be modified once recorded: the engine follows a copy-on-write
 * discipline, so they are not.
 *
 * Ownership: history_append_take takes the references to ev->data and
 * ev->data2 (also on failure). `name` and `resource` are borrowed: they
 * usually point into the compiled state machine, which must outlive the
 * history (or print the history before freeing the machine).
 *
 * Thread-safety: one thread appends; any number may read at the same time.
 * history_count() is read with acquire semantics and the events below it
 * never change, so a reader sees a consistent prefix. history_free must
 * not race with anything. */
#ifndef TUTTI_HISTORY_H
#define TUTTI_HISTORY_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

enum history_type {
#define HIST_EVENT(id, name, details, key) HIST_##id,
#include "history_events.def"
#undef HIST_EVENT
	HIST__COUNT
};

struct history_event {
	int64_t ts_us;          /* wall clock, µs since the epoch; 0 = now */
	uint32_t id;            /* set by history_append_take: 1, 2, ... */
	uint32_t prev;          /* previousEventId, 0 = none */
	uint16_t type;          /* enum history_type */
	int32_t num;            /* length, index or timeoutInSeconds; < 0 = absent;
				 * EvaluationFailed: where the location starts in the cause */
	int32_t num2;           /* heartbeatInSeconds; < 0 = absent;
				 * EvaluationFailed: the location's length */
	const char *name;       /* state name; task events: resourceType */
	const char *resource;   /* Lambda/task resource; ExecutionStarted: roleArn */
	json_t *data;           /* input, output, parameters, or the error name */
	json_t *data2;          /* the cause; TaskScheduled: the region; StateExited:
				 * the variables the state assigned (an object), or NULL */
};

struct history;

struct history *history_new(void);
void history_free(struct history *h);

/* Append a copy of *ev (id and, when 0, ts_us filled in); returns the new
 * event's id, or 0 when memory ran out (the event is lost). */
uint32_t history_append_take(struct history *h, struct history_event *ev);

/* A resumed execution's history holds only the events added since it
 * resumed: ids continue after `base` (the last id already recorded
 * elsewhere). Set before the first append. */
void history_set_base(struct history *h, uint32_t base);
uint32_t history_base(const struct history *h);

/* Events held (not counting the base). */
size_t history_count(const struct history *h);
/* Event i (0-based, i < history_count); borrowed, immutable. */
const struct history_event *history_get(const struct history *h, size_t i);

const char *history_type_name(enum history_type t);

/* One event as GetExecutionHistory shows it: {"timestamp": seconds,
 * "type", "id", "previousEventId", "<details key>": {...}} with inputs and
 * outputs as JSON text, as the API carries them. New reference or NULL. */
json_t *history_event_json(const struct history_event *ev);
/* The same without timestamp, id and previousEventId: {"type", "<details
 * key>": {...}} (what a store keeps beside those columns). */
json_t *history_event_body(const struct history_event *ev);
/* {"events": [...]}: new reference or NULL. */
json_t *history_to_json(const struct history *h);
/* The same text streamed to f, one event per line. 0 or -errno. */
int history_write(const struct history *h, FILE *f);

#endif
