/* The synchronous writes: each checks its arguments, queues one job on the
 * writer (store_writer.c) and waits for its group's commit. */
#include <string.h>

#include "store_int.h"

static int check_len(const char *what, const char *v, size_t max, bool required, struct err *e)
{
	size_t n = v ? strlen(v) : 0;

	if (required && n == 0)
		return err_set(e, ERR_INVALID_PARAMETER, "%s is required", what);
	if (n > max)
		return err_set(e, ERR_INVALID_PARAMETER, "%s is longer than %zu bytes", what, max);
	return 0;
}

int store_res_create(struct store *s, const struct store_res *r, struct err *e)
{
	struct job j = { .kind = J_RES_CREATE, .r = r };

	if (check_len("resource kind", r->kind, STORE_KIND_MAX, true, e) ||
	    check_len("resource ARN", r->arn, STORE_ARN_MAX, true, e) ||
	    check_len("resource name", r->name, STORE_NAME_MAX, false, e) ||
	    check_len("resource parent", r->parent, STORE_ARN_MAX, false, e))
		return -1;
	return store_run(s, &j, e);
}

int store_res_update(struct store *s, const char *arn, const char *body, int64_t revision, struct err *e)
{
	struct job j = { .kind = J_RES_UPDATE, .a = arn, .b = body, .n = revision };

	if (check_len("resource ARN", arn, STORE_ARN_MAX, true, e))
		return -1;
	return store_run(s, &j, e);
}

int store_res_delete(struct store *s, const char *arn, struct err *e)
{
	struct job j = { .kind = J_RES_DELETE, .a = arn };

	if (check_len("resource ARN", arn, STORE_ARN_MAX, true, e))
		return -1;
	return store_run(s, &j, e);
}

int store_seq_next(struct store *s, const char *arn, int64_t *out, struct err *e)
{
	struct job j = { .kind = J_SEQ_NEXT, .a = arn };

	if (check_len("sequence ARN", arn, STORE_ARN_MAX, true, e) || store_run(s, &j, e))
		return -1;
	*out = j.result;
	return 0;
}

int store_exec_create(struct store *s, const struct store_exec *x, const struct store_txn *t, bool *existed,
		      struct err *e)
{
	struct job j = { .kind = J_EXEC_CREATE, .x = x, .t = t };

	*existed = false;
	if (check_len("execution ARN", x->arn, STORE_ARN_MAX, true, e) ||
	    check_len("execution name", x->name, STORE_NAME_MAX, false, e) ||
	    check_len("state machine ARN", x->sm_arn, STORE_ARN_MAX, true, e) ||
	    check_len("qualified state machine ARN", x->sm_qualified, STORE_ARN_MAX, false, e) ||
	    check_len("parent execution ARN", x->parent, STORE_ARN_MAX, false, e))
		return -1;
	if (t && ((t->exec_arn && strcmp(t->exec_arn, x->arn) != 0) || (t->nevents && !t->events) ||
		  (t->nframes && !t->frames)))
		return err_set(e, ERR_INVALID_PARAMETER, "the first transaction of %s is not its own", x->arn);
	if (store_run(s, &j, e))
		return -1;
	*existed = j.existed;
	return 0;
}

int store_exec_reopen(struct store *s, const char *arn, const struct store_txn *t, struct err *e)
{
	struct job j = { .kind = J_EXEC_REOPEN, .a = arn, .t = t };

	if (check_len("execution ARN", arn, STORE_ARN_MAX, true, e))
		return -1;
	if (t && ((t->exec_arn && strcmp(t->exec_arn, arn) != 0) || (t->nevents && !t->events) ||
		  (t->nframes && !t->frames)))
		return err_set(e, ERR_INVALID_PARAMETER, "the transaction is not %s's", arn);
	return store_run(s, &j, e);
}

int store_fire_claim(struct store *s, const char *schedule_arn, int64_t fire_s, const char *exec_arn,
		     struct err *e)
{
	struct job j = { .kind = J_FIRE_CLAIM, .a = schedule_arn, .b = exec_arn, .n = fire_s };

	if (check_len("schedule ARN", schedule_arn, STORE_ARN_MAX, true, e) || store_run(s, &j, e))
		return -1;
	return (int)j.result;
}

int store_fire_set(struct store *s, const char *schedule_arn, int64_t fire_s, const char *exec_arn,
		   const char *error, struct err *e)
{
	struct job j = { .kind = J_FIRE_SET, .a = schedule_arn, .b = exec_arn, .c = error, .n = fire_s };

	if (check_len("schedule ARN", schedule_arn, STORE_ARN_MAX, true, e))
		return -1;
	return store_run(s, &j, e);
}
