/* store_txn — a transition checked and copied for the writer's queue
 * (store_commit, store_writer.c): what SQLite would refuse is refused
 * before it is queued, and an asynchronous job is one block holding
 * copies of everything it points to. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* ---- copies for asynchronous jobs: one block each ---- */

size_t store_slen(const char *p)
{
	return p ? strlen(p) + 1 : 0;
}

const char *store_scopy(char **pp, const char *src)
{
	size_t n;
	char *r = *pp;

	if (!src)
		return NULL;
	n = strlen(src) + 1;
	memcpy(r, src, n);
	*pp += n;
	return r;
}

struct job *store_txn_copy(const struct store_txn *t)
{
	size_t size = sizeof(struct job) + sizeof(struct store_txn) +
		      t->nevents * sizeof(struct store_event) + t->nframes * sizeof(struct store_frame) +
		      store_slen(t->exec_arn) + store_slen(t->output) + store_slen(t->error) +
		      store_slen(t->cause);
	struct store_txn *c;
	struct store_event *ev;
	struct store_frame *fr;
	struct job *j;
	char *p;

	for (size_t i = 0; i < t->nevents; i++)
		size += store_slen(t->events[i].type) + store_slen(t->events[i].details);
	for (size_t i = 0; i < t->nframes; i++)
		size += store_slen(t->frames[i].path) + store_slen(t->frames[i].body) +
			store_slen(t->frames[i].token);
	if (!(j = malloc(size)))
		return NULL;
	memset(j, 0, sizeof *j);
	c = (struct store_txn *)(j + 1);
	ev = (struct store_event *)(c + 1);
	fr = (struct store_frame *)(ev + t->nevents);
	p = (char *)(fr + t->nframes);
	*c = *t;
	c->events = ev;
	c->frames = fr;
	c->exec_arn = store_scopy(&p, t->exec_arn);
	c->output = store_scopy(&p, t->output);
	c->error = store_scopy(&p, t->error);
	c->cause = store_scopy(&p, t->cause);
	for (size_t i = 0; i < t->nevents; i++) {
		ev[i] = t->events[i];
		ev[i].type = (char *)store_scopy(&p, t->events[i].type);
		ev[i].details = (char *)store_scopy(&p, t->events[i].details);
	}
	for (size_t i = 0; i < t->nframes; i++) {
		fr[i] = t->frames[i];
		fr[i].path = store_scopy(&p, t->frames[i].path);
		fr[i].body = store_scopy(&p, t->frames[i].body);
		fr[i].token = store_scopy(&p, t->frames[i].token);
	}
	j->kind = J_COMMIT;
	j->t = c;
	j->bytes = size;
	return j;
}

static bool too_long(const char *v)
{
	return v && strnlen(v, (size_t)STORE_VALUE_MAX + 1) > STORE_VALUE_MAX;
}

/* Refused before it is queued: SQLite would refuse a value over its
 * length limit only later, on the writer thread, after the engine has
 * moved on to the next version. */
int store_txn_check(const struct store_txn *t, struct err *e)
{
	if (!t->exec_arn || !*t->exec_arn)
		return err_set(e, ERR_INVALID_PARAMETER, "transaction without an execution ARN");
	if ((t->nevents && !t->events) || (t->nframes && !t->frames))
		return err_set(e, ERR_INVALID_PARAMETER, "transaction with a count but no array");
	if (too_long(t->output) || too_long(t->error) || too_long(t->cause))
		return err_set(e, ERR_INVALID_PARAMETER, "the execution's output is larger than %u bytes",
			       (unsigned)STORE_VALUE_MAX);
	for (size_t i = 0; i < t->nevents; i++)
		if (too_long(t->events[i].details))
			return err_set(e, ERR_INVALID_PARAMETER,
				       "history event %" PRIu32 " is larger than %u bytes", t->events[i].id,
				       (unsigned)STORE_VALUE_MAX);
	for (size_t i = 0; i < t->nframes; i++)
		if (too_long(t->frames[i].body))
			return err_set(e, ERR_INVALID_PARAMETER,
				       "the saved state of path \"%.64s\" is larger than %u bytes",
				       t->frames[i].path ? t->frames[i].path : "", (unsigned)STORE_VALUE_MAX);
	return 0;
}
