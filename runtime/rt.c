/* The runtime's public API and its I/O thread: submissions, pools and
 * concurrency limits, Event retries, completion. Environment lifecycle
 * details are in rt_env.c. */
#include <errno.h>
#include <jansson.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/random.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "rt_internal.h"
#include "termsafe.h"

/* Request ids are UUIDv4-shaped, from a per-thread xorshift generator seeded
 * from getrandom once: ids need to be unique, not secret, and this is on
 * every invocation's path. */
static void make_reqid(char out[PROTO_REQID_LEN + 1])
{
	static __thread uint64_t st[2];
	unsigned char r[16];

	if (!st[0] && !st[1]) {
		if (getrandom(st, sizeof st, 0) != sizeof st || (!st[0] && !st[1]))
			st[0] = (uint64_t)rt_now_ns() | 1;
	}
	for (int i = 0; i < 2; i++) {
		uint64_t x = st[0], y = st[1];

		st[0] = y;
		x ^= x << 23;
		st[1] = x ^ y ^ (x >> 17) ^ (y >> 26);
		uint64_t v = st[1] + y;
		memcpy(r + 8 * i, &v, 8);
	}
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	/* 8-4-4-4-12 hex digits, without snprintf (on every invocation). */
	{
		static const char hex[] = "0123456789abcdef";
		char *o = out;

		for (int i = 0; i < 16; i++) {
			if (i == 4 || i == 6 || i == 8 || i == 10)
				*o++ = '-';
			*o++ = hex[r[i] >> 4];
			*o++ = hex[r[i] & 15];
		}
		*o = '\0';
	}
}

static void inv_free(struct inv *inv)
{
	if (!inv)
		return;
	if (!inv->lent) {
		free(inv->cfg);
		free(inv->payload);
	}
	free(inv);
}

void rt_result_free(struct rt_result *r)
{
	if (!r)
		return;
	free(r->payload);
	free(r->log);
	r->payload = NULL;
	r->log = NULL;
}

/* ---- completion ---------------------------------------------------------- */

static void event_done(struct rt *rt, struct inv *inv, struct rt_result *res);

static void unwatch(struct rt *rt, struct inv *inv)
{
	if (!inv->watched)
		return;
	if (inv->wprev)
		inv->wprev->wnext = inv->wnext;
	else
		rt->watched = inv->wnext;
	if (inv->wnext)
		inv->wnext->wprev = inv->wprev;
	inv->wprev = inv->wnext = NULL;
	inv->watched = false;
}

void rt_watch(struct rt *rt, struct inv *inv, uint64_t expire_ns)
{
	inv->expire_ns = expire_ns;
	if (inv->watched)
		return;
	inv->wprev = NULL;
	inv->wnext = rt->watched;
	if (rt->watched)
		rt->watched->wprev = inv;
	rt->watched = inv;
	inv->watched = true;
}

/* Whatever still points at `inv` lets go of it: its environment (killed:
 * what it was doing is unknown) or its pool's queue. */
static void detach(struct rt *rt, struct inv *inv)
{
	struct env *lists[2] = { rt->dying, rt->checks };
	struct err e;

	err_set(&e, ERR_RUNTIME_INTERNAL, "the environment lost track of its invocation");
	for (struct pool *p = rt->pools; p; p = p->next) {
		for (struct env *env = p->envs, *n; env; env = n) {
			n = env->next;
			if (env->inv == inv) {
				env->inv = NULL;
				rt_env_kill(rt, env, &e);
			}
		}
		for (struct inv **pp = &p->qhead; *pp; pp = &(*pp)->next)
			if (*pp == inv) {
				*pp = inv->next;
				if (p->qtail == inv) {
					p->qtail = NULL;
					for (struct inv *q = p->qhead; q; q = q->next)
						p->qtail = q;
				}
				p->queued--;
				break;
			}
	}
	for (int i = 0; i < 2; i++)
		for (struct env *env = lists[i]; env; env = env->next)
			if (env->inv == inv)
				env->inv = NULL;
}

uint64_t rt_watchdog(struct rt *rt, uint64_t now)
{
	uint64_t next = UINT64_MAX;

	for (struct inv *inv = rt->watched, *n; inv; inv = n) {
		n = inv->wnext;
		if (now < inv->expire_ns) {
			next = inv->expire_ns < next ? inv->expire_ns : next;
			continue;
		}
		struct err e;

		log_error("runtime bug: invocation %s of %s got no answer by its deadline; failing it",
			  inv->reqid, inv->cfg->name);
		unwatch(rt, inv);
		detach(rt, inv);
		err_set(&e, ERR_RUNTIME_INTERNAL, "the invocation got no answer by its deadline (runtime bug)");
		rt_fail(rt, inv, &e);
		n = rt->watched; /* the list may have changed under us */
	}
	return next;
}

void rt_complete(struct rt *rt, struct inv *inv, struct rt_result *res)
{
	unwatch(rt, inv);
	/* An error's text may be the function's (tt_raise, INIT_ERROR), cut
	 * anywhere by err_set: callers put it in JSON, which needs UTF-8. */
	if (!res->ok) {
		termsafe_fix_utf8(res->err.type);
		termsafe_fix_utf8(res->err.msg);
	}
	pthread_mutex_lock(&rt->lock);
	if (inv->cold)
		rt->stats.cold_starts++;
	else if (inv->dispatched_ns)
		rt->stats.warm_starts++;
	pthread_mutex_unlock(&rt->lock);
	if (rt->opt.observe && inv->kind != INV_CHECK)
		rt->opt.observe(rt->opt.observe_arg, inv->cfg, res);
	if (inv->kind == INV_EVENT) {
		event_done(rt, inv, res);
		return;
	}
	inv->cb(inv->arg, res);
	inv_free(inv);
	pthread_mutex_lock(&rt->lock);
	if (--rt->pending == 0)
		pthread_cond_broadcast(&rt->idle_cond);
	pthread_mutex_unlock(&rt->lock);
}

void rt_fail(struct rt *rt, struct inv *inv, const struct err *e)
{
	struct rt_result res;

	memset(&res, 0, sizeof res);
	res.err = *e;
	snprintf(res.request_id, sizeof res.request_id, "%s", inv->reqid);
	rt_complete(rt, inv, &res);
}

/* ---- Event invocations: retries, then the dead-letter folder ----------- */

static void dead_letter(struct rt *rt, struct inv *inv, const struct rt_result *res)
{
	char dir[PATH_MAX], path[PATH_MAX + 64];
	struct buf b;
	int n;

	if (!rt->opt.home)
		return;
	snprintf(dir, sizeof dir, "%s/dead-letter/%s", rt->opt.home, inv->cfg->name);
	if (fs_mkdir_p(dir, 0700))
		return;
	n = snprintf(path, sizeof path, "%s/%s.json", dir, inv->reqid);
	if (n < 0 || (size_t)n >= sizeof path)
		return;
	/* The record keeps the payload verbatim (it is JSON text). */
	buf_init(&b, 0);
	buf_printf(&b, "{\"requestId\":\"%s\",\"function\":\"%s\",\"attempts\":%u,\"errorType\":", inv->reqid,
		   inv->cfg->name, inv->attempt + 1);
	{
		/* error strings may hold anything: escape through jansson */
		json_t *t = json_string(res->err.type), *m = json_string(res->err.msg);
		char *ts = t ? json_dumps(t, JSON_ENCODE_ANY) : NULL, *ms = m ? json_dumps(m, JSON_ENCODE_ANY) : NULL;

		buf_printf(&b, "%s,\"errorMessage\":%s,\"payload\":", ts ? ts : "null", ms ? ms : "null");
		free(ts);
		free(ms);
		json_decref(t);
		json_decref(m);
	}
	buf_append(&b, inv->len ? inv->payload : "null", inv->len ? inv->len : 4);
	buf_puts(&b, "}\n");
	fs_write_atomic(path, b.data, b.len, 0600);
	buf_free(&b);
	log_warn("event %s for %s failed after %u attempts (%s): kept in %s", inv->reqid, inv->cfg->name,
		 inv->attempt + 1, res->err.type, path);
}

static void event_done(struct rt *rt, struct inv *inv, struct rt_result *res)
{
	if (!res->ok && inv->attempt < rt->opt.event_retries) {
		uint64_t delay = (uint64_t)rt->opt.event_retry_delay_ms * 1000000u << inv->attempt;

		inv->attempt++;
		inv->due_ns = rt_now_ns() + delay;
		inv->cold = false;
		inv->dispatched_ns = 0;
		inv->next = rt->retries;
		rt->retries = inv;
		rt_result_free(res);
		return;
	}
	if (!res->ok)
		dead_letter(rt, inv, res);
	rt_result_free(res);
	inv_free(inv);
	pthread_mutex_lock(&rt->lock);
	if (--rt->pending == 0)
		pthread_cond_broadcast(&rt->idle_cond);
	pthread_mutex_unlock(&rt->lock);
}

/* ---- pools ------------------------------------------------------------ */

static struct pool *pool_get(struct rt *rt, const struct fn_config *cfg)
{
	char key[sizeof ((struct pool *)0)->key];
	struct pool *p;

	fnconf_key(cfg, key, sizeof key);
	for (p = rt->pools; p; p = p->next)
		if (!strcmp(p->key, key))
			return p;
	p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	memcpy(p->key, key, sizeof key);
	p->cfg = *cfg;
	p->limit = cfg->reserved_concurrency ? cfg->reserved_concurrency : rt->opt.default_concurrency;
	p->next = rt->pools;
	rt->pools = p;
	return p;
}

static struct env *pool_idle(struct pool *p)
{
	for (struct env *e = p->envs; e; e = e->next)
		if (e->state == ENV_IDLE)
			return e;
	return NULL;
}

struct inv *rt_pool_pop(struct pool *p)
{
	struct inv *inv = p->qhead;

	if (!inv)
		return NULL;
	p->qhead = inv->next;
	if (!p->qhead)
		p->qtail = NULL;
	p->queued--;
	inv->next = NULL;
	return inv;
}

void rt_pool_pump(struct rt *rt, struct pool *p)
{
	while (p->qhead) {
		struct env *env = pool_idle(p);
		struct err e;

		if (env) {
			rt_env_send(rt, env, rt_pool_pop(p));
			continue;
		}
		/* One starting environment per waiting invocation at most. */
		if (p->n_starting >= p->queued || p->n_envs >= p->limit || rt->total_envs >= rt->opt.max_envs)
			return;
		if (rt_env_spawn(rt, p, NULL, &e) == 0)
			continue;
		rt_fail(rt, rt_pool_pop(p), &e);
	}
}

static void dispatch(struct rt *rt, struct inv *inv)
{
	struct pool *p;
	struct err e;

	if (inv->len > FN_PAYLOAD_MAX) {
		err_set(&e, ERR_RUNTIME_REQUEST_TOO_LARGE,
			"Request payload size (%zu bytes) exceeded maximum allowed payload size (%u bytes).", inv->len,
			FN_PAYLOAD_MAX);
		rt_fail(rt, inv, &e);
		return;
	}
	if (inv->kind == INV_CHECK) {
		if (rt_env_spawn(rt, NULL, inv, &e))
			rt_fail(rt, inv, &e);
		return;
	}
	p = pool_get(rt, inv->cfg);
	if (!p) {
		err_set(&e, ERR_RUNTIME_INTERNAL, "out of memory");
		rt_fail(rt, inv, &e);
		return;
	}
	if (p->qtail)
		p->qtail->next = inv;
	else
		p->qhead = inv;
	p->qtail = inv;
	p->queued++;
	rt_pool_pump(rt, p);
}

/* ---- the I/O thread ------------------------------------------------------ */

static uint64_t retry_timers(struct rt *rt, uint64_t now)
{
	uint64_t next = UINT64_MAX;
	struct inv **pp = &rt->retries;

	while (*pp) {
		struct inv *inv = *pp;

		if (now >= inv->due_ns) {
			*pp = inv->next;
			inv->next = NULL;
			make_reqid(inv->reqid);
			dispatch(rt, inv);
			continue;
		}
		next = inv->due_ns < next ? inv->due_ns : next;
		pp = &inv->next;
	}
	return next;
}

static void take_submissions(struct rt *rt)
{
	struct inv *list;

	pthread_mutex_lock(&rt->lock);
	list = rt->sub_head;
	rt->sub_head = rt->sub_tail = NULL;
	pthread_mutex_unlock(&rt->lock);
	while (list) {
		struct inv *inv = list;

		list = inv->next;
		inv->next = NULL;
		dispatch(rt, inv);
	}
}

static void on_zygote(struct rt *rt)
{
	pid_t pid;
	int status, rc;
	bool oom;

	while ((rc = zygote_read_exit(rt->z, &pid, &status, &oom)) == 1)
		rt_env_on_exit(rt, pid, status, oom);
	if (rc == -EPIPE && !rt->zygote_gone) {
		rt->zygote_gone = true;
		epoll_ctl(rt->epfd, EPOLL_CTL_DEL, zygote_event_fd(rt->z), NULL);
		log_error("the sandbox helper (zygote) exited; no new environments can start");
	}
}

static void *loop(void *arg)
{
	struct rt *rt = arg;
	struct epoll_event evs[64];

	pthread_mutex_lock(&rt->plock);
	for (;;) {
		uint64_t now = rt_now_ns(), next, a;
		int timeout, n;
		bool stop;

		/* Submissions made meanwhile (often by a completion callback,
		 * on this thread) go out now, before the timers are computed,
		 * rather than after one more epoll_wait that returns at once. */
		take_submissions(rt);
		next = rt_env_timers(rt, now);
		a = retry_timers(rt, now);
		next = a < next ? a : next;
		a = rt_watchdog(rt, now);
		next = a < next ? a : next;
		if (next == UINT64_MAX)
			timeout = -1;
		else
			timeout = next <= now ? 0 : (int)((next - now) / 1000000u + 1);
		/* Submitters write the eventfd only while we sleep. */
		pthread_mutex_lock(&rt->lock);
		stop = rt->stopping;
		rt->sleeping = !rt->sub_head;
		rt->sleep_until_ns = next;
		pthread_mutex_unlock(&rt->lock);
		if (stop)
			break;
		pthread_mutex_unlock(&rt->plock);
		n = epoll_wait(rt->epfd, evs, 64, rt->sleeping ? timeout : 0);
		pthread_mutex_lock(&rt->plock);
		pthread_mutex_lock(&rt->lock);
		rt->sleeping = false;
		pthread_mutex_unlock(&rt->lock);
		take_submissions(rt);
		/* Output before results: a function's log is in its pipe before
		 * its result is in the channel, so both are ready together. */
		for (int i = 0; i < n; i++) {
			struct ep_tag *tag = evs[i].data.ptr;

			if (tag->kind == EP_LOG)
				rt_env_on_log(rt, tag->env);
		}
		for (int i = 0; i < n; i++) {
			struct ep_tag *tag = evs[i].data.ptr;

			switch (tag->kind) {
			case EP_WAKE: {
				uint64_t v;

				if (read(rt->wakefd, &v, sizeof v) < 0) {
					/* already drained */
				}
				take_submissions(rt);
				break;
			}
			case EP_LOG:
				break;
			case EP_ZYGOTE:
				on_zygote(rt);
				break;
			case EP_CHAN:
				rt_env_on_chan(rt, tag->env, evs[i].events);
				break;
			}
		}
		rt_env_bury(rt);
	}
	pthread_mutex_unlock(&rt->plock);
	return NULL;
}

/* ---- API ------------------------------------------------------------------ */

struct rt *rt_new(const struct rt_options *opt, struct err *e)
{
	struct rt *rt = calloc(1, sizeof *rt);
	struct epoll_event ev;

	if (!rt) {
		err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
		return NULL;
	}
	rt->opt = *opt;
	rt->opt.home = opt->home ? strdup(opt->home) : NULL;
	if (!rt->opt.max_envs)
		rt->opt.max_envs = 64;
	if (!rt->opt.default_concurrency)
		rt->opt.default_concurrency = 8;
	if (!rt->opt.idle_ms)
		rt->opt.idle_ms = 600000;
	if (!rt->opt.init_timeout_ms)
		rt->opt.init_timeout_ms = FN_INIT_TIMEOUT_MS;
	if (!rt->opt.event_retries)
		rt->opt.event_retries = 2;
	if (!rt->opt.event_retry_delay_ms)
		rt->opt.event_retry_delay_ms = 1000;
	rt->epfd = rt->wakefd = -1;
	pthread_mutex_init(&rt->plock, NULL);
	pthread_mutex_init(&rt->lock, NULL);
	pthread_cond_init(&rt->idle_cond, NULL);

	/* The zygote first: this process has no threads yet. */
	rt->z = zygote_start(rt->opt.home ? rt->opt.home : "/tmp/tutti", opt->quiet,
			     opt->prefork < 0 ? 0 : opt->prefork == 0 ? 2 : (unsigned)opt->prefork, opt->oneshot, e);
	if (!rt->z)
		goto fail;
	rt->epfd = epoll_create1(EPOLL_CLOEXEC);
	rt->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (rt->epfd < 0 || rt->wakefd < 0) {
		err_set(e, ERR_RUNTIME_INTERNAL, "epoll/eventfd: %s", strerror(errno));
		goto fail;
	}
	rt->tag_wake = (struct ep_tag){ EP_WAKE, NULL };
	rt->tag_zygote = (struct ep_tag){ EP_ZYGOTE, NULL };
	ev = (struct epoll_event){ .events = EPOLLIN, .data.ptr = &rt->tag_wake };
	epoll_ctl(rt->epfd, EPOLL_CTL_ADD, rt->wakefd, &ev);
	ev = (struct epoll_event){ .events = EPOLLIN, .data.ptr = &rt->tag_zygote };
	epoll_ctl(rt->epfd, EPOLL_CTL_ADD, zygote_event_fd(rt->z), &ev);
	if (pthread_create(&rt->thread, NULL, loop, rt)) {
		err_set(e, ERR_RUNTIME_INTERNAL, "cannot start the runtime thread");
		goto fail;
	}
	rt->thread_started = true;
	return rt;
fail:
	rt_free(rt);
	return NULL;
}

void rt_free(struct rt *rt)
{
	struct err e;

	if (!rt)
		return;
	if (rt->thread_started) {
		uint64_t one = 1;

		pthread_mutex_lock(&rt->lock);
		rt->stopping = true;
		pthread_mutex_unlock(&rt->lock);
		if (write(rt->wakefd, &one, sizeof one) < 0) {
			/* the loop also polls the flag on its next timer */
		}
		pthread_join(rt->thread, NULL);
	}
	/* Whatever is still queued fails; the loop thread is gone, so we own
	 * every structure now. */
	err_set(&e, ERR_RUNTIME_INTERNAL, "the runtime is shutting down");
	rt_env_free_all(rt);
	rt_env_bury(rt);
	while (rt->sub_head) {
		struct inv *inv = rt->sub_head;

		rt->sub_head = inv->next;
		rt_fail(rt, inv, &e);
	}
	while (rt->retries) {
		struct inv *inv = rt->retries;

		rt->retries = inv->next;
		inv->attempt = rt->opt.event_retries; /* no more retries: to the dead letters */
		rt_fail(rt, inv, &e);
	}
	while (rt->pools) {
		struct pool *p = rt->pools;

		rt->pools = p->next;
		while (p->qhead)
			rt_fail(rt, rt_pool_pop(p), &e);
		free(p);
	}
	/* Detached: no wait for the zygote's clean-up, unless we are pid 1 of
	 * a PID namespace (a container's init, `unshare -pf`): our exit kills
	 * every process in it, the zygote too, before it removes its cgroups. */
	zygote_stop(rt->z, !rt->opt.detach_zygote || getpid() == 1);
	if (rt->epfd >= 0)
		close(rt->epfd);
	if (rt->wakefd >= 0)
		close(rt->wakefd);
	pthread_mutex_destroy(&rt->plock);
	pthread_mutex_destroy(&rt->lock);
	pthread_cond_destroy(&rt->idle_cond);
	free((char *)rt->opt.home);
	free(rt);
}

static struct inv *inv_new(const struct fn_config *cfg, const char *payload, size_t len,
			   enum inv_kind kind, rt_done_fn cb, void *arg, bool lend)
{
	struct inv *inv = calloc(1, sizeof *inv);

	if (!inv)
		return NULL;
	if (lend) {
		/* The direct path: the caller waits for the result, so its
		 * configuration (~5 KB) and payload outlive the invocation. */
		inv->lent = true;
		inv->cfg = (struct fn_config *)cfg;
		inv->payload = (char *)payload;
	} else {
		inv->cfg = malloc(sizeof *cfg);
		inv->payload = malloc(len + 1);
		if (!inv->cfg || !inv->payload) {
			inv_free(inv);
			return NULL;
		}
		*inv->cfg = *cfg;
		if (len)
			memcpy(inv->payload, payload, len);
		inv->payload[len] = '\0';
	}
	inv->len = len;
	inv->kind = kind;
	inv->cb = cb;
	inv->arg = arg;
	inv->submitted_ns = rt_now_ns();
	make_reqid(inv->reqid);
	return inv;
}

static int enqueue(struct rt *rt, struct inv *inv)
{
	uint64_t one = 1;
	bool stopping, wake = false;

	pthread_mutex_lock(&rt->lock);
	stopping = rt->stopping;
	if (!stopping) {
		if (rt->sub_tail)
			rt->sub_tail->next = inv;
		else
			rt->sub_head = inv;
		rt->sub_tail = inv;
		rt->pending++;
		wake = rt->sleeping;
	}
	pthread_mutex_unlock(&rt->lock);
	if (stopping) {
		inv_free(inv);
		return -ESHUTDOWN;
	}
	if (wake && write(rt->wakefd, &one, sizeof one) < 0) {
		/* eventfd counter saturated: the loop is awake anyway */
	}
	return 0;
}

static int submit(struct rt *rt, const struct fn_config *cfg, const char *payload, size_t len,
		  enum inv_kind kind, rt_done_fn cb, void *arg)
{
	struct inv *inv = inv_new(cfg, payload, len, kind, cb, arg, false);

	return inv ? enqueue(rt, inv) : -ENOMEM;
}

int rt_invoke_async(struct rt *rt, const struct fn_config *cfg, const char *payload, size_t len,
		    rt_done_fn cb, void *arg)
{
	return submit(rt, cfg, payload, len, INV_SYNC_OR_ASYNC, cb, arg);
}

int rt_invoke_event(struct rt *rt, const struct fn_config *cfg, const char *payload, size_t len)
{
	return submit(rt, cfg, payload, len, INV_EVENT, NULL, NULL);
}

struct waiter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
	struct rt_result *out;
};

static void wake_waiter(void *arg, struct rt_result *res)
{
	struct waiter *w = arg;

	pthread_mutex_lock(&w->lock);
	*w->out = *res;
	w->done = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

static int wait_for(struct rt *rt, const struct fn_config *cfg, const char *payload, size_t len,
		    enum inv_kind kind, struct rt_result *out)
{
	struct waiter w = { .done = false, .out = out };
	int rc;

	memset(out, 0, sizeof *out);
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	rc = submit(rt, cfg, payload, len, kind, wake_waiter, &w);
	if (rc == 0) {
		pthread_mutex_lock(&w.lock);
		while (!w.done)
			pthread_cond_wait(&w.cond, &w.lock);
		pthread_mutex_unlock(&w.lock);
	}
	pthread_mutex_destroy(&w.lock);
	pthread_cond_destroy(&w.cond);
	return rc;
}

/* The direct path: with an idle warm environment at hand, the calling thread
 * talks to it itself — two wake-ups per invocation instead of four through
 * the I/O thread. Anything unusual (crash, violation, timeout) is handed
 * back to the I/O thread's machinery and waited for like the slow path. */
static int invoke_direct(struct rt *rt, const struct fn_config *cfg, const char *payload, size_t len,
			 struct rt_result *out)
{
	char key[sizeof ((struct pool *)0)->key];
	struct waiter w = { .done = false, .out = out };
	struct pool *p;
	struct env *env = NULL;
	struct inv *inv;
	char *frame = NULL;
	size_t flen = 0;
	int rc;

	if (len > FN_PAYLOAD_MAX)
		return 1;
	fnconf_key(cfg, key, sizeof key);
	inv = inv_new(cfg, payload, len, INV_SYNC_OR_ASYNC, wake_waiter, &w, true);
	if (!inv)
		return -ENOMEM;
	memset(out, 0, sizeof *out);
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	pthread_mutex_lock(&rt->plock);
	for (p = rt->pools; p && strcmp(p->key, key); p = p->next)
		;
	if (p)
		env = rt_env_borrow(rt, p, inv, &frame, &flen);
	if (env) {
		pthread_mutex_lock(&rt->lock);
		rt->pending++;
		pthread_mutex_unlock(&rt->lock);
	}
	pthread_mutex_unlock(&rt->plock);
	if (!env) {
		inv_free(inv);
		rc = 1;
		goto out;
	}
	rc = rt_env_direct_io(env, frame, flen);
	pthread_mutex_lock(&rt->plock);
	rt_env_give_back(rt, env, rc);
	rt_env_bury(rt);
	pthread_mutex_unlock(&rt->plock);
	pthread_mutex_lock(&w.lock);
	while (!w.done)
		pthread_cond_wait(&w.cond, &w.lock);
	pthread_mutex_unlock(&w.lock);
	rc = 0;
out:
	pthread_mutex_destroy(&w.lock);
	pthread_cond_destroy(&w.cond);
	return rc;
}

int rt_invoke(struct rt *rt, const struct fn_config *cfg, const char *payload, size_t len,
	      struct rt_result *out)
{
	int rc = invoke_direct(rt, cfg, payload, len, out);

	if (rc <= 0)
		return rc;
	return wait_for(rt, cfg, payload, len, INV_SYNC_OR_ASYNC, out);
}

int rt_check_code(struct rt *rt, const struct fn_config *cfg, struct err *e)
{
	struct rt_result res;
	int rc = wait_for(rt, cfg, NULL, 0, INV_CHECK, &res);

	if (rc)
		return err_set(e, ERR_RUNTIME_INTERNAL, "cannot check the code: %s", strerror(-rc));
	if (!res.ok) {
		*e = res.err;
		rt_result_free(&res);
		return -1;
	}
	rt_result_free(&res);
	return 0;
}

void rt_drain(struct rt *rt)
{
	pthread_mutex_lock(&rt->lock);
	while (rt->pending)
		pthread_cond_wait(&rt->idle_cond, &rt->lock);
	pthread_mutex_unlock(&rt->lock);
}

void rt_stats(struct rt *rt, struct rt_stats *st)
{
	pthread_mutex_lock(&rt->lock);
	*st = rt->stats;
	pthread_mutex_unlock(&rt->lock);
}
