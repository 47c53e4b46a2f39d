#include "integrations.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "asl.h"
#include "bucket.h"
#include "engine.h"
#include "http_task.h"
#include "s3_task.h"

enum kind { KIND_HTTP, KIND_S3 };

struct job {
	struct job *next;
	struct task_call *call;
	enum kind kind;
	uint64_t deadline_ns;
};

struct integrations {
	char *home;
	struct http_task *http;
	struct bucket_store *buckets;   /* opened on first S3 call */
	struct err bucket_err;          /* why it could not be opened */
	bool bucket_tried;

	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct job *head, *tail;
	pthread_t threads[INTEGRATIONS_THREADS];
	unsigned nthreads;
	bool stopping;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Runs with in->lock held. */
static struct bucket_store *buckets(struct integrations *in, struct err *e)
{
	struct bucket_config cfg;

	if (!in->bucket_tried) {
		in->bucket_tried = true;
		if (bucket_config_from_env(&cfg, in->home, &in->bucket_err) == 0)
			in->buckets = bucket_open(&cfg, &in->bucket_err);
	}
	if (!in->buckets)
		*e = in->bucket_err;
	return in->buckets;
}

static void run_job(struct integrations *in, struct job *j)
{
	json_t *params = task_call_input(j->call), *result = NULL;
	struct err e = { 0 };
	int rc;

	if (j->kind == KIND_HTTP) {
		rc = http_task_invoke(in->http, params, j->deadline_ns, &result, &e);
	} else {
		struct bucket_store *bs;

		pthread_mutex_lock(&in->lock);
		bs = buckets(in, &e);
		pthread_mutex_unlock(&in->lock);
		if (!bs)
			rc = -1;
		else if (task_call_reader(j->call))   /* a Map's ItemReader */
			rc = s3_read_items(bs, task_call_reader(j->call), params,
					   task_call_reader_max(j->call), j->deadline_ns, &result, &e);
		else if (task_call_writer(j->call))   /* a Map's ResultWriter */
			rc = s3_write_results(bs, params, j->deadline_ns, &result, &e);
		else
			rc = s3_task_invoke(bs, task_call_task(j->call)->canonical, params, j->deadline_ns,
					    &result, &e);
		if (rc && task_call_reader(j->call) && strcmp(e.type, "States.ItemReaderFailed")) {
			char cause[ERR_MSG_MAX];   /* the store could not be opened */

			snprintf(cause, sizeof cause, "%s: %s", e.type, e.msg);
			err_set(&e, ERR_STATES_ITEM_READER_FAILED, "%s", cause);
		} else if (rc && task_call_writer(j->call) && strcmp(e.type, "States.ResultWriterFailed")) {
			char cause[ERR_MSG_MAX];

			snprintf(cause, sizeof cause, "%s: %s", e.type, e.msg);
			err_set(&e, ERR_STATES_RESULT_WRITER_FAILED, "%s", cause);
		}
	}
	if (rc) {
		if (!err_isset(&e))
			err_set(&e, ERR_STATES_TASK_FAILED, "the integration failed without a reason");
		task_call_done(j->call, NULL, &e);
	} else {
		task_call_done(j->call, result, NULL); /* takes our reference */
	}
}

static void *worker(void *arg)
{
	struct integrations *in = arg;

	pthread_mutex_lock(&in->lock);
	for (;;) {
		struct job *j;

		while (!in->head && !in->stopping)
			pthread_cond_wait(&in->cond, &in->lock);
		if (!in->head)
			break;
		j = in->head;
		in->head = j->next;
		if (!in->head)
			in->tail = NULL;
		pthread_mutex_unlock(&in->lock);
		run_job(in, j);
		free(j);
		pthread_mutex_lock(&in->lock);
	}
	pthread_mutex_unlock(&in->lock);
	return NULL;
}

static int submit(struct integrations *in, struct task_call *c, enum kind kind, struct err *e)
{
	const struct asl_task *t = task_call_task(c);
	struct job *j = calloc(1, sizeof *j);
	uint32_t secs = t->timeout_seconds ? t->timeout_seconds : INTEGRATIONS_DEFAULT_TIMEOUT_S;
	int rc = 0;

	if (!j)
		return err_set(e, ERR_STATES_RUNTIME, "out of memory");
	j->call = c;
	j->kind = kind;
	j->deadline_ns = now_ns() + (uint64_t)secs * 1000000000u;
	pthread_mutex_lock(&in->lock);
	/* Threads start with the first call, never before the runtime's zygote. */
	while (in->nthreads < INTEGRATIONS_THREADS && (in->nthreads == 0 || in->head)) {
		if (pthread_create(&in->threads[in->nthreads], NULL, worker, in))
			break;
		in->nthreads++;
	}
	if (!in->nthreads) {
		rc = err_set(e, ERR_STATES_RUNTIME, "cannot start an integration thread");
		free(j);
	} else {
		if (in->tail)
			in->tail->next = j;
		else
			in->head = j;
		in->tail = j;
		pthread_cond_signal(&in->cond);
	}
	pthread_mutex_unlock(&in->lock);
	return rc;
}

static bool http_match(const struct asl_task *t, void *ctx)
{
	(void)ctx;
	return http_task_matches(t->canonical);
}

static int http_start(struct task_call *c, void *ctx, struct err *e)
{
	return submit(ctx, c, KIND_HTTP, e);
}

static bool s3_match(const struct asl_task *t, void *ctx)
{
	(void)ctx;
	return s3_task_matches(t->canonical) || s3_reader_matches(t->canonical) ||
	       s3_writer_matches(t->canonical);
}

static int s3_start(struct task_call *c, void *ctx, struct err *e)
{
	return submit(ctx, c, KIND_S3, e);
}

static const struct task_ops http_ops = {
	.name = "http", .match = http_match, .start = http_start,
};

static const struct task_ops s3_ops = {
	.name = "s3", .match = s3_match, .start = s3_start,
};

struct integrations *integrations_new(const char *home, struct err *e)
{
	struct integrations *in = calloc(1, sizeof *in);
	struct http_task_config hc = { 0 };

	if (!in) {
		err_set(e, ERR_STATES_RUNTIME, "out of memory");
		return NULL;
	}
	in->home = strdup(home ? home : "");
	hc.home = in->home;
	in->http = http_task_new(&hc, e);
	if (!in->home || !in->http) {
		if (!in->home)
			err_set(e, ERR_STATES_RUNTIME, "out of memory");
		http_task_free(in->http);
		free(in->home);
		free(in);
		return NULL;
	}
	pthread_mutex_init(&in->lock, NULL);
	pthread_cond_init(&in->cond, NULL);
	return in;
}

int integrations_register(struct integrations *in, struct engine *eng, struct err *e)
{
	if (engine_register_task(eng, &http_ops, in) || engine_register_task(eng, &s3_ops, in))
		return err_set(e, ERR_STATES_RUNTIME, "cannot register the HTTP and S3 integrations");
	return 0;
}

void integrations_free(struct integrations *in)
{
	if (!in)
		return;
	pthread_mutex_lock(&in->lock);
	in->stopping = true;
	pthread_cond_broadcast(&in->cond);
	pthread_mutex_unlock(&in->lock);
	for (unsigned i = 0; i < in->nthreads; i++)
		pthread_join(in->threads[i], NULL);
	while (in->head) {
		struct job *j = in->head;

		in->head = j->next;
		free(j);
	}
	bucket_close(in->buckets);
	http_task_free(in->http);
	pthread_mutex_destroy(&in->lock);
	pthread_cond_destroy(&in->cond);
	free(in->home);
	free(in);
}
