/* Execution environments as seen from the runtime's I/O thread: spawning,
 * framed I/O on the channel, log draining, deadlines, and turning deaths
 * into error names. See rt_internal.h for the lifecycle. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "log.h"
#include "rt_internal.h"
#include "sandbox.h"
#include "sysfilter.h"
#include "worker.h"

uint64_t rt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void ep_add(struct rt *rt, int fd, uint32_t events, struct ep_tag *tag)
{
	struct epoll_event ev = { .events = events, .data.ptr = tag };

	epoll_ctl(rt->epfd, EPOLL_CTL_ADD, fd, &ev);
}

static void ep_mod(struct rt *rt, int fd, uint32_t events, struct ep_tag *tag)
{
	struct epoll_event ev = { .events = events, .data.ptr = tag };

	epoll_ctl(rt->epfd, EPOLL_CTL_MOD, fd, &ev);
}

static void env_close_chan(struct rt *rt, struct env *env)
{
	if (env->chan < 0)
		return;
	epoll_ctl(rt->epfd, EPOLL_CTL_DEL, env->chan, NULL);
	close(env->chan);
	env->chan = -1;
}

/* Freezing idle environments, and their CPU time. */
static void env_freeze(struct env *env, bool on)
{
	if (env->frozen == on || env->pid <= 0 || env->exited)
		return;
	if (cgroup_fd_freeze(env->freeze_fd, env->freeze_kind, on))
		kill(env->pid, on ? SIGSTOP : SIGCONT);
	env->frozen = on;
}

static uint64_t env_cpu_ns(const struct env *env)
{
	char path[64], b[512], *p;
	unsigned long long ut = 0, stt = 0;
	FILE *f;

	if (env->cpu_fd >= 0)
		return cgroup_fd_cpu_ns(env->cpu_fd, env->cpu_kind);
	snprintf(path, sizeof path, "/proc/%d/stat", (int)env->pid);
	f = fopen(path, "re");
	if (!f)
		return env->cpu_base_ns;
	p = fgets(b, sizeof b, f);
	fclose(f);
	p = p ? strrchr(b, ')') : NULL;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &stt) != 2)
		return env->cpu_base_ns;
	return (ut + stt) * (1000000000ull / (unsigned long long)sysconf(_SC_CLK_TCK));
}

/* The environment's peak memory in KiB since the last call (the slot's
 * counter is reset to the current usage after it is read), or, without a
 * memory cgroup, the process's peak RSS since it started (VmHWM). 0 if
 * unknown. */
static uint64_t env_mem_peak_kib(struct env *env)
{
	char path[64], b[2048], *p;
	uint64_t v = 0;
	ssize_t r;
	int fd;

	if (env->mem_fd >= 0) {
		v = cgroup_fd_mem_peak(env->mem_fd, env->mem_kind) / 1024u;
		cgroup_fd_mem_reset(env->mem_fd, env->mem_kind);
		return v;
	}
	if (env->pid <= 0 || env->exited)
		return 0;
	snprintf(path, sizeof path, "/proc/%d/status", (int)env->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	r = read(fd, b, sizeof b - 1);
	close(fd);
	if (r <= 0)
		return 0;
	b[r] = '\0';
	p = strstr(b, "\nVmHWM:");
	return p ? strtoull(p + 8, NULL, 10) : 0;
}

/* An environment that became idle is frozen RT_FREEZE_DELAY_NS later by
 * the loop's timers (rt_env_timers); a loop asleep past that time is woken
 * to arm the timer. */
static void env_rest(struct rt *rt, struct env *env)
{
	uint64_t at = env->idle_since_ns + RT_FREEZE_DELAY_NS, one = 1;
	bool wake;

	if (env->state != ENV_IDLE || env->frozen)
		return;
	pthread_mutex_lock(&rt->lock);
	wake = rt->sleeping && rt->sleep_until_ns > at;
	pthread_mutex_unlock(&rt->lock);
	if (wake && write(rt->wakefd, &one, sizeof one) < 0) {
		/* saturated: the loop is awake anyway */
	}
}

static void env_close_log(struct rt *rt, struct env *env)
{
	if (env->logfd < 0)
		return;
	epoll_ctl(rt->epfd, EPOLL_CTL_DEL, env->logfd, NULL);
	close(env->logfd);
	env->logfd = -1;
}

/* Environments are freed at the end of a loop iteration, not here: events
 * already returned by the same epoll_wait may still point at them. */
static void env_free(struct rt *rt, struct env *env)
{
	env_close_chan(rt, env);
	env_close_log(rt, env);
	if (env->freeze_fd >= 0)
		close(env->freeze_fd);
	if (env->cpu_fd >= 0)
		close(env->cpu_fd);
	if (env->mem_fd >= 0)
		close(env->mem_fd);
	env->freeze_fd = env->cpu_fd = env->mem_fd = -1;
	env->next = rt->graveyard;
	rt->graveyard = env;
}

void rt_env_bury(struct rt *rt)
{
	while (rt->graveyard) {
		struct env *env = rt->graveyard;

		rt->graveyard = env->next;
		buf_free(&env->in);
		free(env->out);
		free(env->log);
		free(env);
	}
}

int rt_env_spawn(struct rt *rt, struct pool *pool, struct inv *check, struct err *e)
{
	const struct fn_config *cfg = pool ? &pool->cfg : check->cfg;
	int sv[2] = { -1, -1 }, lp[2] = { -1, -1 }, rc;
	struct env *env = NULL;
	struct zygote_env ze;
	char what[PATH_MAX];

	if (rt->zygote_gone)
		return err_set(e, ERR_RUNTIME_INTERNAL, "the sandbox helper (zygote) is gone");
	env = calloc(1, sizeof *env);
	if (!env)
		return err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
	env->chan = env->logfd = env->freeze_fd = env->cpu_fd = env->mem_fd = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0 || pipe2(lp, O_CLOEXEC) < 0) {
		err_set(e, ERR_RUNTIME_INTERNAL, "socketpair/pipe: %s", strerror(errno));
		goto fail;
	}
	/* The configuration goes to the environment directly, never through
	 * the zygote: it is the first frame waiting on the channel. */
	rc = zygote_send_config(sv[0], cfg, check ? WORKER_CHECK : WORKER_SERVE);
	if (rc) {
		err_set(e, ERR_RUNTIME_INTERNAL, "cannot write the configuration: %s", strerror(-rc));
		goto fail;
	}
	rc = zygote_spawn(rt->z, cfg, sv[1], lp[1], &ze, what, sizeof what);
	close(sv[1]);
	close(lp[1]);
	sv[1] = lp[1] = -1;
	if (rc) {
		if (rc == -EPIPE)
			rt->zygote_gone = true;
		err_set(e, ERR_SANDBOX_SETUP, "cannot start an execution environment: %s: %s", what, strerror(-rc));
		goto fail;
	}
	env->pid = ze.pid;
	env->freeze_fd = ze.freeze_fd;
	env->freeze_kind = ze.freeze_kind;
	env->cpu_fd = ze.cpu_fd;
	env->cpu_kind = ze.cpu_kind;
	env->mem_fd = ze.mem_fd;
	env->mem_kind = ze.mem_kind;
	/* The slot may have held another environment: its peak from here. */
	cgroup_fd_mem_reset(env->mem_fd, env->mem_kind);
	env->chan = sv[0];
	env->logfd = lp[0];
	fcntl(env->chan, F_SETFL, O_NONBLOCK);
	fcntl(env->logfd, F_SETFL, O_NONBLOCK);
	buf_init(&env->in, PROTO_BODY_MAX + sizeof(struct proto_hdr));
	env->tag_chan = (struct ep_tag){ EP_CHAN, env };
	env->tag_log = (struct ep_tag){ EP_LOG, env };
	ep_add(rt, env->chan, EPOLLIN | EPOLLRDHUP, &env->tag_chan);
	ep_add(rt, env->logfd, EPOLLIN, &env->tag_log);
	env->state = ENV_STARTING;
	env->spawned_ns = rt_now_ns();
	env->pool = pool;
	if (check) {
		env->check = true;
		env->inv = check;
		rt_watch(rt, check, env->spawned_ns + (uint64_t)rt->opt.init_timeout_ms * 1000000u +
					    RT_EXIT_WAIT_NS + RT_WATCHDOG_MARGIN_NS);
		env->next = rt->checks;
		rt->checks = env;
	} else {
		env->next = pool->envs;
		pool->envs = env;
		pool->n_envs++;
		pool->n_starting++;
		rt->total_envs++;
	}
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (sv[i] >= 0)
			close(sv[i]);
		if (lp[i] >= 0)
			close(lp[i]);
	}
	free(env);
	return -1;
}

/* Queue bytes for the channel; write what the socket takes now. (send with
 * MSG_NOSIGNAL here and below: an environment that dies with bytes still
 * to write must not raise SIGPIPE in the program that embeds the runtime.) */
static void env_write(struct rt *rt, struct env *env, char *frame, size_t len)
{
	ssize_t w = send(env->chan, frame, len, MSG_NOSIGNAL);

	if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
		w = 0; /* the EOF path will classify the death */
	if (w < 0)
		w = 0;
	if ((size_t)w == len) {
		free(frame);
		return;
	}
	env->out = frame;
	env->out_len = len;
	env->out_off = (size_t)w;
	ep_mod(rt, env->chan, EPOLLIN | EPOLLOUT | EPOLLRDHUP, &env->tag_chan);
}

/* A fresh invocation token: random, so that no function can predict the
 * next one from what it sees (request ids come from another generator);
 * never 0, which stands for "no invocation yet". Tokens come from the
 * kernel's generator 32 at a time (one getrandom per 32 invocations, not
 * one each); the unused ones stay in this process, out of every sandbox's
 * reach, and each is used once. */
#define TOKEN_BATCH 32
static uint64_t new_token(void)
{
	static __thread uint64_t batch[TOKEN_BATCH], fallback;
	static __thread unsigned left;
	uint64_t t;

	if (!left) {
		if (getrandom(batch, sizeof batch, GRND_NONBLOCK) == (ssize_t)sizeof batch) {
			left = TOKEN_BATCH;
		} else {
			fallback = fallback * 6364136223846793005ull + (rt_now_ns() | 1);
			t = fallback;
			return t ? t : 1;
		}
	}
	t = batch[--left];
	batch[left] = 0;
	return t ? t : 1;
}

/* Attach `inv` to `env` and build its INVOKE frame (NULL: out of memory,
 * and the invocation has been failed). */
static char *start_invoke(struct rt *rt, struct env *env, struct inv *inv, enum env_state state,
			  size_t *total_out)
{
	const size_t fixed = sizeof(uint64_t) + PROTO_REQID_LEN;
	struct proto_hdr h = { PROTO_INVOKE, (uint32_t)(fixed + inv->len), 0 };
	size_t total = sizeof h + h.len;
	char *frame = malloc(total);
	uint64_t now = rt_now_ns();

	if (!frame) {
		struct err e;

		err_set(&e, ERR_RUNTIME_INTERNAL, "out of memory");
		rt_fail(rt, inv, &e);
		return NULL;
	}
	env_freeze(env, false);
	inv->dispatched_ns = now;
	if (env->served++ == 0) {
		inv->cold = true;
		inv->init_us = (env->ready_ns - env->spawned_ns) / 1000u;
	}
	env->inv = inv;
	env->state = state;
	env->deadline_ns = now + (uint64_t)env->pool->cfg.timeout_s * 1000000000u;
	env->seq = new_token();
	h.seq = env->seq;
	rt_watch(rt, inv, env->deadline_ns + RT_EXIT_WAIT_NS + RT_WATCHDOG_MARGIN_NS);
	memcpy(frame, &h, sizeof h);
	memcpy(frame + sizeof h, &env->deadline_ns, sizeof(uint64_t));
	memset(frame + sizeof h + sizeof(uint64_t), 0, PROTO_REQID_LEN);
	memcpy(frame + sizeof h + sizeof(uint64_t), inv->reqid, strnlen(inv->reqid, PROTO_REQID_LEN));
	if (inv->len)
		memcpy(frame + sizeof h + fixed, inv->payload, inv->len);
	*total_out = total;
	return frame;
}

void rt_env_send(struct rt *rt, struct env *env, struct inv *inv)
{
	size_t total;
	char *frame = start_invoke(rt, env, inv, ENV_BUSY, &total);

	if (frame)
		env_write(rt, env, frame, total);
}

static void log_append(struct env *env, const char *p, size_t n)
{
	if (!env->log) {
		env->log = malloc(RT_LOG_CAP);
		if (!env->log)
			return;
	}
	if (n >= RT_LOG_CAP) {
		p += n - RT_LOG_CAP;
		n = RT_LOG_CAP;
		env->log_dropped += env->log_len + (n - RT_LOG_CAP);
		env->log_len = 0;
		env->log_truncated = true;
	} else if (env->log_len + n > RT_LOG_CAP) {
		size_t drop = env->log_len + n - RT_LOG_CAP;

		env->log_dropped += drop;
		memmove(env->log, env->log + drop, env->log_len - drop);
		env->log_len -= drop;
		env->log_truncated = true;
	}
	memcpy(env->log + env->log_len, p, n);
	env->log_len += n;
}

void rt_env_on_log(struct rt *rt, struct env *env)
{
	char b[16384];

	for (int rounds = 0; rounds < 64; rounds++) {
		ssize_t r = read(env->logfd, b, sizeof b);

		if (r > 0) {
			log_append(env, b, (size_t)r);
			continue;
		}
		if (r == 0)
			env_close_log(rt, env);
		return;
	}
}

/* Hand the log gathered since the last result to `res`. */
static void take_log(struct rt *rt, struct env *env, struct rt_result *res)
{
	(void)rt;
	if (env->log_len) {
		res->log = malloc(env->log_len + 1);
		if (res->log) {
			memcpy(res->log, env->log, env->log_len);
			res->log[env->log_len] = '\0';
			res->log_len = env->log_len;
			res->log_truncated = env->log_truncated;
			res->log_dropped = env->log_dropped;
		}
	}
	env->log_len = 0;
	env->log_dropped = 0;
	env->log_truncated = false;
}

static void finish(struct rt *rt, struct env *env, struct inv *inv, struct rt_result *res)
{
	uint64_t now = rt_now_ns();

	res->cold = inv->cold;
	res->init_us = inv->init_us;
	res->duration_us = inv->dispatched_ns ? (now - inv->dispatched_ns) / 1000u : 0;
	snprintf(res->request_id, sizeof res->request_id, "%s", inv->reqid);
	if (env) {
		take_log(rt, env, res);
		if (inv->kind != INV_CHECK)
			res->max_rss_kib = env_mem_peak_kib(env);
	}
	rt_complete(rt, inv, res);
}

static void finish_err(struct rt *rt, struct env *env, struct inv *inv, const struct err *e)
{
	struct rt_result res;

	memset(&res, 0, sizeof res);
	res.err = *e;
	finish(rt, env, inv, &res);
}

/* Move a live environment out of its pool onto the dying list and kill its
 * whole PID namespace. The in-flight invocation, if any, stays attached
 * unless `why` classifies it now. */
void rt_env_kill(struct rt *rt, struct env *env, const struct err *why)
{
	struct env **pp;

	if (env->state == ENV_DYING)
		return;
	if (why && !env->failed) {
		env->failed = true;
		env->fail = *why;
	}
	if (env->pid > 0)
		kill(env->pid, SIGKILL);
	/* (A task frozen by the v1 freezer dies only once thawed.) */
	env_freeze(env, false);
	if (env->pool && !env->check) {
		for (pp = &env->pool->envs; *pp; pp = &(*pp)->next)
			if (*pp == env) {
				*pp = env->next;
				break;
			}
		env->pool->n_envs--;
		if (env->state == ENV_STARTING)
			env->pool->n_starting--;
		rt->total_envs--;
		pthread_mutex_lock(&rt->lock);
		rt->stats.envs_replaced++;
		pthread_mutex_unlock(&rt->lock);
	} else if (env->check) {
		for (pp = &rt->checks; *pp; pp = &(*pp)->next)
			if (*pp == env) {
				*pp = env->next;
				break;
			}
	}
	env->state = ENV_DYING;
	env->dying_since_ns = rt_now_ns();
	env->next = rt->dying;
	rt->dying = env;
	/* Outcome already known: complete now rather than after the exit. */
	if (env->inv && env->failed) {
		struct inv *inv = env->inv;

		env->inv = NULL;
		finish_err(rt, env, inv, &env->fail);
	}
	if (env->pool && !env->check)
		rt_pool_pump(rt, env->pool);
}

/* A start-up failure: it fails the invocation that was waiting for this
 * environment (Lambda reports init errors to the invocation that caused the
 * cold start), then the environment is killed. */
static void start_failed(struct rt *rt, struct env *env, const struct err *e)
{
	struct pool *pool = env->pool;

	if (env->check) {
		rt_env_kill(rt, env, e);
		return;
	}
	if (pool && pool->qhead && !env->inv) {
		env->inv = rt_pool_pop(pool);
		rt_watch(rt, env->inv, rt_now_ns() + RT_EXIT_WAIT_NS + RT_WATCHDOG_MARGIN_NS);
	}
	rt_env_kill(rt, env, e);
}

static void on_result(struct rt *rt, struct env *env, const char *body, size_t len)
{
	struct inv *inv = env->inv;
	struct rt_result res;

	if (!inv || len < 1) {
		struct err e;

		err_set(&e, ERR_RUNTIME_INVALID_RESPONSE, "the environment sent an empty result frame");
		rt_env_kill(rt, env, &e);
		return;
	}
	/* The worker reads its whole request before the handler runs: an
	 * answer while some of it is still unwritten comes from the function
	 * itself (the token is in its own INVOKE header), and the next INVOKE
	 * would find env->out taken. */
	if (env->out) {
		struct err e;

		err_set(&e, ERR_RUNTIME_INVALID_RESPONSE,
			"the environment answered before reading its request (%zu of %zu bytes unread)",
			env->out_len - env->out_off, env->out_len);
		rt_env_kill(rt, env, &e);
		return;
	}
	memset(&res, 0, sizeof res);
	if (body[0] == PROTO_OK) {
		json_error_t je;
		json_t *v = json_loadb(body + 1, len - 1, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);

		if (!v) {
			err_set(&res.err, ERR_RUNTIME_INVALID_RESPONSE,
				"the function returned invalid JSON: %s (at byte %d)", je.text, je.position);
		} else {
			json_decref(v);
			res.ok = true;
			res.payload = malloc(len);
			if (!res.payload) {
				res.ok = false;
				err_set(&res.err, ERR_RUNTIME_INTERNAL, "out of memory");
			} else {
				memcpy(res.payload, body + 1, len - 1);
				res.payload[len - 1] = '\0';
				res.payload_len = len - 1;
			}
		}
	} else {
		const char *type = body + 1;
		size_t tl = strnlen(type, len - 1);

		if (tl == len - 1) {
			err_set(&res.err, ERR_RUNTIME_EXIT, "malformed error from the environment");
		} else {
			snprintf(res.err.type, sizeof res.err.type, "%s", type);
			snprintf(res.err.msg, sizeof res.err.msg, "%.*s", (int)(len - 2 - tl), type + tl + 1);
		}
	}
	{
		uint64_t cpu = env_cpu_ns(env);

		res.cpu_us = cpu > env->cpu_base_ns ? (cpu - env->cpu_base_ns) / 1000u : 0;
		env->cpu_base_ns = cpu;
	}
	env->inv = NULL;
	env->state = ENV_IDLE;
	env->idle_since_ns = rt_now_ns();
	finish(rt, env, inv, &res);
	if (env->pool)
		rt_pool_pump(rt, env->pool);
	env_rest(rt, env);
}

static const char *signal_text(int sig)
{
	switch (sig) {
	case SIGSEGV: return "segmentation fault";
	case SIGBUS: return "bus error";
	case SIGABRT: return "aborted";
	case SIGFPE: return "floating point exception";
	case SIGILL: return "illegal instruction";
	case SIGKILL: return "killed";
	case SIGSYS: return "bad system call";
	default: return strsignal(sig);
	}
}

/* The frames each state accepts; anything else (and any frame with another
 * invocation's token) kills the environment, and the invocation it serves,
 * if any, fails with Runtime.InvalidResponse. The rows are the states of
 * rt_internal.h, plus one for check environments (load-only). An IDLE
 * environment serves nothing, so any frame from it is a violation; BORROWED
 * is read by rt_env_direct_io, which stops at the first frame and hands it
 * to the loop as BUSY; a DYING environment's frames are dropped. */
enum { ROW_CHECK = ENV_DYING + 1, ROWS };
static const bool accepts[ROWS][PROTO_TYPE_MAX + 1] = {
	[ENV_STARTING] = { [PROTO_READY] = true, [PROTO_INIT_ERROR] = true, [PROTO_SETUP_ERROR] = true,
			   [PROTO_VIOLATION] = true, [PROTO_SIGNAL] = true },
	[ENV_BUSY] = { [PROTO_RESULT] = true, [PROTO_VIOLATION] = true, [PROTO_SIGNAL] = true },
	[ENV_BORROWED] = { [PROTO_RESULT] = true, [PROTO_VIOLATION] = true, [PROTO_SIGNAL] = true },
	[ROW_CHECK] = { [PROTO_LOADED] = true, [PROTO_INIT_ERROR] = true, [PROTO_SETUP_ERROR] = true,
			[PROTO_VIOLATION] = true, [PROTO_SIGNAL] = true },
};

static const char *const state_names[] = {
	[ENV_STARTING] = "starting", [ENV_IDLE] = "idle", [ENV_BUSY] = "busy",
	[ENV_BORROWED] = "busy", [ENV_DYING] = "dying",
};

bool rt_env_frame_fits(const struct env *env, enum env_state state, const struct proto_hdr *h)
{
	int row = env->check && state == ENV_STARTING ? ROW_CHECK : (int)state;

	if (h->type > PROTO_TYPE_MAX || !accepts[row][h->type])
		return false;
	/* Start-up frames carry 0; an invocation's frames its token. */
	return h->seq == (state == ENV_STARTING ? 0 : env->seq);
}

/* A frame that does not fit: the environment is no longer trusted. */
static void refuse_frame(struct rt *rt, struct env *env, const struct proto_hdr *h)
{
	struct err e;
	bool token = h->type <= PROTO_TYPE_MAX &&
		     accepts[env->check && env->state == ENV_STARTING ? ROW_CHECK : (int)env->state][h->type];

	if (token)
		err_set(&e, ERR_RUNTIME_INVALID_RESPONSE,
			"the environment sent a frame that belongs to no invocation it serves (type %u): a forged or stale frame",
			h->type);
	else
		err_set(&e, ERR_RUNTIME_INVALID_RESPONSE,
			"the environment sent a frame its state does not allow (type %u while %s)", h->type,
			state_names[env->state]);
	log_warn("killing environment %d: %s", (int)env->pid, e.msg);
	if (env->state == ENV_STARTING)
		start_failed(rt, env, &e);
	else
		rt_env_kill(rt, env, &e);
	env_close_chan(rt, env);
}

static void on_frame(struct rt *rt, struct env *env, const struct proto_hdr *h, const char *body)
{
	struct err e;

	switch (h->type) {
	case PROTO_READY:
		env->state = ENV_IDLE;
		env->ready_ns = env->idle_since_ns = rt_now_ns();
		env->cpu_base_ns = env_cpu_ns(env);
		env->pool->n_starting--;
		rt_pool_pump(rt, env->pool);
		env_rest(rt, env);
		return;
	case PROTO_LOADED:
		if (!env->inv)
			break;
		{
			struct inv *inv = env->inv;
			struct rt_result res;

			memset(&res, 0, sizeof res);
			res.ok = true;
			res.payload = strdup("null");
			res.payload_len = 4;
			env->inv = NULL;
			finish(rt, env, inv, &res);
		}
		rt_env_kill(rt, env, NULL);
		return;
	case PROTO_RESULT:
		on_result(rt, env, body, h->len);
		return;
	case PROTO_INIT_ERROR: {
		size_t tl = strnlen(body, h->len);

		if (tl == h->len) {
			err_set(&e, ERR_RUNTIME_INVALID_RESPONSE, "malformed init error from the environment");
			start_failed(rt, env, &e);
			return;
		}
		snprintf(e.type, sizeof e.type, "%s", body);
		snprintf(e.msg, sizeof e.msg, "%.*s", (int)(h->len - tl - 1), body + tl + 1);
		start_failed(rt, env, &e);
		return;
	}
	case PROTO_SETUP_ERROR: {
		int32_t v[2] = { -1, 0 };

		if (h->len >= sizeof v)
			memcpy(v, body, sizeof v);
		err_set(&e, ERR_SANDBOX_SETUP, "sandbox set-up failed: %s: %s%s%.*s",
			sandbox_stage_to_string(v[0]), strerror(v[1]), h->len > sizeof v ? ": " : "",
			(int)(h->len > sizeof v ? h->len - sizeof v : 0), body + sizeof v);
		start_failed(rt, env, &e);
		return;
	}
	case PROTO_SIGNAL: {
		int32_t sig = SIGKILL;

		if (h->len >= sizeof sig)
			memcpy(&sig, body, sizeof sig);
		err_set(&e, ERR_RUNTIME_EXIT, "Runtime exited with error: signal: %s", signal_text(sig));
		if (env->state == ENV_STARTING)
			start_failed(rt, env, &e);
		else
			rt_env_kill(rt, env, &e);
		return;
	}
	case PROTO_VIOLATION: {
		int32_t nr = -1;
		char name[64];

		if (h->len >= sizeof nr)
			memcpy(&nr, body, sizeof nr);
		sysfilter_syscall_name(nr, name, sizeof name);
		err_set(&e, ERR_RUNTIME_VIOLATION, "the function made a forbidden system call: %s", name);
		if (env->state == ENV_STARTING)
			start_failed(rt, env, &e);
		else
			rt_env_kill(rt, env, &e);
		return;
	}
	default:
		break;
	}
}

/* Parse complete frames out of env->in. */
static void parse_frames(struct rt *rt, struct env *env)
{
	size_t off = 0;

	while (env->chan >= 0 && env->in.len - off >= sizeof(struct proto_hdr)) {
		struct proto_hdr h;
		enum env_state before = env->state;

		if (env->state == ENV_DYING)
			break; /* what a killed environment still says counts for nothing */
		memcpy(&h, env->in.data + off, sizeof h);
		/* Judged on the header alone: a forged header never gets to
		 * have its body waited for. */
		if (!rt_env_frame_fits(env, env->state, &h)) {
			refuse_frame(rt, env, &h);
			break;
		}
		if (h.len > PROTO_BODY_MAX) {
			struct err e;

			err_set(&e, ERR_RUNTIME_RESPONSE_TOO_LARGE, "the environment sent %u bytes (limit %u)", h.len,
				FN_PAYLOAD_MAX);
			rt_env_kill(rt, env, &e);
			env_close_chan(rt, env);
			break;
		}
		if (env->in.len - off < sizeof h + h.len)
			break;
		on_frame(rt, env, &h, env->in.data + off + sizeof h);
		off += sizeof h + h.len;
		if (before != env->state && env->state == ENV_DYING && env->inv == NULL)
			break;
	}
	if (off) {
		memmove(env->in.data, env->in.data + off, env->in.len - off);
		env->in.len -= off;
	}
}

static void env_gone(struct rt *rt, struct env *env)
{
	env_close_chan(rt, env);
	/* A start-up death takes the waiting invocation along; it is
	 * classified once the exit status is known. */
	if (env->state == ENV_STARTING)
		start_failed(rt, env, NULL);
	else if (env->state != ENV_DYING)
		rt_env_kill(rt, env, NULL);
}

void rt_env_on_chan(struct rt *rt, struct env *env, uint32_t events)
{
	if (env->chan < 0)
		return;
	if ((events & EPOLLOUT) && env->out) {
		ssize_t w = send(env->chan, env->out + env->out_off, env->out_len - env->out_off, MSG_NOSIGNAL);

		if (w > 0)
			env->out_off += (size_t)w;
		if (env->out_off == env->out_len || (w < 0 && errno != EAGAIN)) {
			free(env->out);
			env->out = NULL;
			ep_mod(rt, env->chan, EPOLLIN | EPOLLRDHUP, &env->tag_chan);
		}
	}
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) {
		for (int rounds = 0; rounds < 256 && env->chan >= 0; rounds++) {
			ssize_t r;

			if (buf_reserve(&env->in, 65536) < 0 && buf_reserve(&env->in, 1) < 0) {
				struct err e;

				err_set(&e, ERR_RUNTIME_RESPONSE_TOO_LARGE, "the environment sent more than %u bytes",
					PROTO_BODY_MAX);
				rt_env_kill(rt, env, &e);
				env_close_chan(rt, env);
				return;
			}
			size_t room = env->in.alloc - env->in.len - 1;

			r = read(env->chan, env->in.data + env->in.len, room);
			if (r > 0) {
				env->in.len += (size_t)r;
				parse_frames(rt, env);
				/* A short read drained the socket: skip the read
				 * that would only say EAGAIN (level-triggered epoll
				 * reports anything that arrives later). */
				if ((size_t)r < room && !(events & (EPOLLHUP | EPOLLRDHUP | EPOLLERR)))
					break;
				continue;
			}
			if (r == 0 || (errno != EAGAIN && errno != EINTR))
				env_gone(rt, env);
			break;
		}
	}
}

static void classify_exit(const struct env *env, struct err *e)
{
	if (env->failed) {
		*e = env->fail;
	} else if (env->oom) {
		err_set(e, ERR_RUNTIME_OOM, "Runtime exited with error: memory limit of %u MB exceeded",
			env->pool ? env->pool->cfg.memory_mb : 0);
	} else if (WIFSIGNALED(env->status)) {
		int sig = WTERMSIG(env->status);

		if (sig == SIGSYS)
			err_set(e, ERR_RUNTIME_VIOLATION, "the function made a forbidden system call");
		else
			err_set(e, ERR_RUNTIME_EXIT, "Runtime exited with error: signal: %s", signal_text(sig));
	} else {
		err_set(e, ERR_RUNTIME_EXIT, "Runtime exited with error: exit status %d", WEXITSTATUS(env->status));
	}
}

static void reap_dying(struct rt *rt, struct env *env)
{
	struct env **pp;

	for (pp = &rt->dying; *pp; pp = &(*pp)->next)
		if (*pp == env) {
			*pp = env->next;
			break;
		}
	if (env->inv) {
		struct inv *inv = env->inv;
		struct err e;

		env->inv = NULL;
		classify_exit(env, &e);
		if (env->state == ENV_DYING && !env->failed && env->ready_ns == 0 && !env->check &&
		    !err_is(&e, ERR_RUNTIME_OOM)) {
			char msg[ERR_MSG_MAX];

			snprintf(msg, sizeof msg, "%s", e.msg);
			err_set(&e, ERR_RUNTIME_INIT, "the environment died during init: %s", msg);
		}
		finish_err(rt, env, inv, &e);
	}
	env_free(rt, env);
}

static struct env *find_pid(struct env *list, pid_t pid)
{
	for (; list; list = list->next)
		if (list->pid == pid)
			return list;
	return NULL;
}

void rt_env_on_exit(struct rt *rt, pid_t pid, int status, bool oom)
{
	struct env *env = find_pid(rt->dying, pid);

	if (!env)
		env = find_pid(rt->checks, pid);
	for (struct pool *p = rt->pools; !env && p; p = p->next)
		env = find_pid(p->envs, pid);
	if (!env)
		return;
	env->exited = true;
	env->status = status;
	env->oom = oom;
	if (env->state == ENV_BORROWED)
		return; /* its caller sees the EOF and hands it back */
	/* Frames it sent before dying (a violation report, a result) count. */
	if (env->chan >= 0)
		rt_env_on_chan(rt, env, EPOLLIN);
	if (env->state != ENV_DYING)
		env_gone(rt, env);
	if (env->state == ENV_DYING)
		reap_dying(rt, env);
}

uint64_t rt_env_timers(struct rt *rt, uint64_t now)
{
	uint64_t next = UINT64_MAX, idle_ns = (uint64_t)rt->opt.idle_ms * 1000000u;
	uint64_t init_ns = (uint64_t)rt->opt.init_timeout_ms * 1000000u;
	struct err e;

	for (struct pool *p = rt->pools; p; p = p->next) {
		struct env *env = p->envs, *n;

		for (; env; env = n) {
			n = env->next;
			if (env->state == ENV_BUSY) {
				if (now >= env->deadline_ns) {
					err_set(&e, ERR_SANDBOX_TIMEDOUT, "Task timed out after %u.00 seconds",
						p->cfg.timeout_s);
					rt_env_kill(rt, env, &e);
					continue;
				}
				next = env->deadline_ns < next ? env->deadline_ns : next;
			} else if (env->state == ENV_STARTING) {
				if (now >= env->spawned_ns + init_ns) {
					err_set(&e, ERR_RUNTIME_INIT, "init did not finish within %u ms",
						rt->opt.init_timeout_ms);
					start_failed(rt, env, &e);
					continue;
				}
				next = env->spawned_ns + init_ns < next ? env->spawned_ns + init_ns : next;
			} else if (env->state == ENV_IDLE) {
				uint64_t since = env->idle_since_ns ? env->idle_since_ns : env->ready_ns;

				if (now >= since + idle_ns) {
					rt_env_kill(rt, env, NULL);
					continue;
				}
				next = since + idle_ns < next ? since + idle_ns : next;
				if (!env->frozen) {
					if (now >= since + RT_FREEZE_DELAY_NS)
						env_freeze(env, true);
					else if (since + RT_FREEZE_DELAY_NS < next)
						next = since + RT_FREEZE_DELAY_NS;
				}
			}
		}
	}
	for (struct env *env = rt->checks, *n; env; env = n) {
		n = env->next;
		if (now >= env->spawned_ns + init_ns) {
			err_set(&e, ERR_RUNTIME_IMPORT, "loading the function did not finish within %u ms",
				rt->opt.init_timeout_ms);
			rt_env_kill(rt, env, &e);
			continue;
		}
		next = env->spawned_ns + init_ns < next ? env->spawned_ns + init_ns : next;
	}
	/* An exit event that never comes (zygote gone): give up waiting. */
	for (struct env *env = rt->dying, *n; env; env = n) {
		n = env->next;
		if (now >= env->dying_since_ns + RT_EXIT_WAIT_NS || rt->zygote_gone) {
			reap_dying(rt, env);
			continue;
		}
		next = env->dying_since_ns + RT_EXIT_WAIT_NS < next ? env->dying_since_ns + RT_EXIT_WAIT_NS : next;
	}
	return next;
}

void rt_env_free_all(struct rt *rt)
{
	struct err e;

	err_set(&e, ERR_RUNTIME_INTERNAL, "the runtime is shutting down");
	for (struct pool *p = rt->pools; p; p = p->next)
		while (p->envs)
			rt_env_kill(rt, p->envs, &e);
	while (rt->checks)
		rt_env_kill(rt, rt->checks, &e);
	while (rt->dying) {
		struct env *env = rt->dying;

		rt->dying = env->next;
		if (env->inv) {
			struct inv *inv = env->inv;

			env->inv = NULL;
			finish_err(rt, env, inv, &e);
		}
		env_free(rt, env);
	}
}

/* ---- the direct path: a synchronous caller borrows an idle environment --- */

struct env *rt_env_borrow(struct rt *rt, struct pool *pool, struct inv *inv, char **frame, size_t *len)
{
	struct env *env;

	if (pool->qhead)
		return NULL; /* others are waiting: keep FIFO order */
	for (env = pool->envs; env && env->state != ENV_IDLE; env = env->next)
		;
	if (!env)
		return NULL;
	*frame = start_invoke(rt, env, inv, ENV_BORROWED, len);
	if (!*frame)
		return NULL;
	/* The caller reads the channel itself until it hands the env back. */
	epoll_ctl(rt->epfd, EPOLL_CTL_DEL, env->chan, NULL);
	return env;
}

static int wait_fd(int fd, short events, uint64_t deadline)
{
	for (;;) {
		struct pollfd pf = { fd, events, 0 };
		uint64_t now = rt_now_ns();
		int ms, r;

		if (now >= deadline)
			return -ETIMEDOUT;
		ms = (int)((deadline - now + 999999) / 1000000u);
		r = poll(&pf, 1, ms);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

/* Without the lock: write the frame, read until a whole frame is in
 * env->in, EOF, or the deadline. Returns 0 (frame), -EPIPE, -ETIMEDOUT. */
int rt_env_direct_io(struct env *env, char *frame, size_t len)
{
	size_t off = 0;
	int rc = 0;

	while (off < len) {
		ssize_t w = send(env->chan, frame + off, len - off, MSG_NOSIGNAL);

		if (w > 0) {
			off += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			rc = wait_fd(env->chan, POLLOUT, env->deadline_ns);
			if (rc)
				goto out;
			continue;
		}
		rc = -EPIPE;
		goto out;
	}
	for (;;) {
		struct proto_hdr h;
		ssize_t r;

		if (env->in.len >= sizeof h) {
			memcpy(&h, env->in.data, sizeof h);
			if (!rt_env_frame_fits(env, ENV_BORROWED, &h) || h.len > PROTO_BODY_MAX ||
			    env->in.len >= sizeof h + h.len)
				break; /* parse_frames judges it */
		}
		if (buf_reserve(&env->in, 65536) < 0 && buf_reserve(&env->in, 1) < 0)
			break; /* parse_frames names the oversize */
		/* Nothing read yet: the answer cannot be there already (the
		 * environment has just been woken), so wait before reading
		 * rather than read, meet EAGAIN, then wait. */
		if (!env->in.len) {
			rc = wait_fd(env->chan, POLLIN, env->deadline_ns);
			if (rc)
				break;
		}
		r = read(env->chan, env->in.data + env->in.len, env->in.alloc - env->in.len - 1);
		if (r > 0) {
			env->in.len += (size_t)r;
			continue;
		}
		if (r == 0) {
			rc = -EPIPE;
			break;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN) {
			rc = -EPIPE;
			break;
		}
		rc = wait_fd(env->chan, POLLIN, env->deadline_ns);
		if (rc)
			break;
	}
out:
	free(frame);
	return rc;
}

/* With the lock again: back to the loop's machinery, which completes the
 * invocation (result, violation, crash or timeout) exactly as for an
 * environment it drove itself. */
void rt_env_give_back(struct rt *rt, struct env *env, int io_rc)
{
	struct err e;

	env->state = ENV_BUSY;
	ep_add(rt, env->chan, EPOLLIN | EPOLLRDHUP, &env->tag_chan);
	if (io_rc == -ETIMEDOUT) {
		err_set(&e, ERR_SANDBOX_TIMEDOUT, "Task timed out after %u.00 seconds", env->pool->cfg.timeout_s);
		rt_env_kill(rt, env, &e);
	} else {
		if (env->in.len)
			parse_frames(rt, env);
		if (io_rc == -EPIPE && env->state != ENV_DYING)
			env_gone(rt, env);
	}
	if (env->state == ENV_DYING && env->exited)
		reap_dying(rt, env);
}
