/* rt_internal — data shared by rt.c (API, loop) and rt_env.c (environment
 * lifecycle). Everything here is owned by the rt's I/O thread unless noted.
 *
 * Environment lifecycle (state × event, see rt_env.c):
 *
 *   STARTING --READY--> IDLE --send--> BUSY --RESULT--> IDLE
 *   STARTING --INIT_ERROR/SETUP_ERROR/exit/init timeout--> killed
 *   BUSY --VIOLATION/SIGNAL/timeout/exit--> killed
 *   IDLE --idle expiry, or any frame--> killed
 *   any state --a frame not in its row of rt_env.c's table, or with another
 *              invocation's token--> killed, Runtime.InvalidResponse for the
 *              invocation it serves (none when IDLE)
 *
 * A killed environment leaves its pool at once (so a replacement can start)
 * and waits on rt->dying until the zygote reports its exit; an invocation
 * whose outcome depends on the exit status (crash, OOM) completes then. */
#ifndef TUTTI_RT_INTERNAL_H
#define TUTTI_RT_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "proto.h"
#include "rt.h"
#include "zygote.h"

#define RT_LOG_CAP (64u * 1024)
#define RT_EXIT_WAIT_NS (3000000000ull)
/* An environment idle this long is frozen (back-to-back invocations never
 * pay for freezing and thawing). */
#define RT_FREEZE_DELAY_NS (20000000ull)
/* Beyond its own deadlines (timeout or init, then the wait for the exit),
 * how long a dispatched invocation may stay unanswered before the watchdog
 * fails it: only a runtime bug gets there. */
#define RT_WATCHDOG_MARGIN_NS (2000000000ull)

enum inv_kind { INV_SYNC_OR_ASYNC, INV_EVENT, INV_CHECK };

struct inv {
	struct inv *next;
	struct fn_config *cfg;      /* owned copy, or the caller's (lent) */
	char *payload;              /* owned, or the caller's (lent) */
	bool lent;                  /* cfg and payload belong to a synchronous
				     * caller that waits for the result (the
				     * direct path): not copied, not freed */
	size_t len;
	rt_done_fn cb;
	void *arg;
	enum inv_kind kind;
	unsigned attempt;           /* Event retries so far */
	uint64_t due_ns;            /* Event retry time */
	uint64_t submitted_ns;
	uint64_t dispatched_ns;
	bool cold;
	uint64_t init_us;
	char reqid[PROTO_REQID_LEN + 1];
	/* The watchdog (rt.c): a dispatched invocation is on rt->watched until
	 * it completes, and is failed if it outlives expire_ns. */
	struct inv *wprev, *wnext;
	bool watched;
	uint64_t expire_ns;
};

/* BORROWED: a synchronous caller drives the channel itself (rt_invoke's
 * direct path); the loop leaves the channel alone until it is given back. */
enum env_state { ENV_STARTING, ENV_IDLE, ENV_BUSY, ENV_BORROWED, ENV_DYING };

enum ep_kind { EP_WAKE = 1, EP_ZYGOTE, EP_CHAN, EP_LOG };

struct ep_tag {
	enum ep_kind kind;
	struct env *env;
};

struct env {
	struct env *next;
	struct pool *pool;          /* NULL for one-shot check environments */
	enum env_state state;
	pid_t pid;
	int chan;
	int logfd;
	struct ep_tag tag_chan, tag_log;
	struct inv *inv;            /* in flight (BUSY, or a check) */
	struct buf in;              /* inbound frames */
	char *out;                  /* pending outbound bytes */
	size_t out_len, out_off;
	char *log;                  /* last RT_LOG_CAP bytes of output */
	uint64_t log_dropped;       /* ... and how many bytes before them were dropped */
	size_t log_len;
	bool log_truncated;
	uint64_t seq;               /* token of the invocation served (0: none yet) */
	uint64_t spawned_ns, ready_ns, deadline_ns, idle_since_ns, dying_since_ns;
	unsigned long served;       /* invocations dispatched to it */
	bool check;
	bool exited;
	int status;
	bool oom;
	bool failed;                /* fail_* says why it was killed */
	struct err fail;
	/* Idle environments are frozen (the slot's cgroup freezer, else
	 * SIGSTOP) and thawed for their next invocation; CPU time is counted
	 * from the slot's usage (else /proc/PID/stat). */
	int freeze_fd, freeze_kind, cpu_fd, cpu_kind;
	/* Peak memory: the slot's (reset after each invocation), else the
	 * process's VmHWM (/proc/PID/status). */
	int mem_fd, mem_kind;
	bool frozen;
	uint64_t cpu_base_ns;
};

struct pool {
	struct pool *next;
	char key[FN_NAME_MAX + 64];
	struct fn_config cfg;
	struct env *envs;
	unsigned n_envs, n_starting;
	struct inv *qhead, *qtail;
	unsigned queued;
	unsigned limit;
};

struct rt {
	struct rt_options opt;
	struct zygote *z;
	pthread_t thread;
	bool thread_started;
	int epfd, wakefd;
	struct ep_tag tag_wake, tag_zygote;

	/* Lock order: plock, then lock. plock guards pools, environments,
	 * retries: everything the I/O thread works on (it holds plock except
	 * while in epoll_wait), so a synchronous caller can borrow an idle
	 * environment. Callbacks run with plock held. */
	pthread_mutex_t plock;
	pthread_mutex_t lock;       /* guards: sub_*, stopping, pending, stats */
	pthread_cond_t idle_cond;
	struct inv *sub_head, *sub_tail;
	bool stopping;
	bool sleeping;              /* the loop is (about to be) in epoll_wait */
	uint64_t sleep_until_ns;    /* ... until then (UINT64_MAX: no timeout) */
	unsigned pending;           /* submitted, callback not yet returned */
	struct rt_stats stats;

	/* I/O thread only */
	struct pool *pools;
	struct env *dying;
	struct env *checks;
	struct env *graveyard;      /* freed after each loop iteration */
	struct inv *retries;
	struct inv *watched;        /* dispatched, not completed (the watchdog) */
	unsigned total_envs;
	bool zygote_gone;
};

/* rt_env.c */
uint64_t rt_now_ns(void);
int rt_env_spawn(struct rt *rt, struct pool *pool, struct inv *check, struct err *e);
void rt_env_send(struct rt *rt, struct env *env, struct inv *inv);
void rt_env_on_chan(struct rt *rt, struct env *env, uint32_t events);
void rt_env_on_log(struct rt *rt, struct env *env);
void rt_env_on_exit(struct rt *rt, pid_t pid, int status, bool oom);
void rt_env_kill(struct rt *rt, struct env *env, const struct err *why);
uint64_t rt_env_timers(struct rt *rt, uint64_t now);
void rt_env_free_all(struct rt *rt);
void rt_env_bury(struct rt *rt);

struct env *rt_env_borrow(struct rt *rt, struct pool *pool, struct inv *inv, char **frame, size_t *len);
int rt_env_direct_io(struct env *env, char *frame, size_t len);
/* Does a frame with this header fit `env` in `state` (type and token)? */
bool rt_env_frame_fits(const struct env *env, enum env_state state, const struct proto_hdr *h);
void rt_env_give_back(struct rt *rt, struct env *env, int io_rc);

/* rt.c */
void rt_complete(struct rt *rt, struct inv *inv, struct rt_result *res);
void rt_fail(struct rt *rt, struct inv *inv, const struct err *e);
void rt_pool_pump(struct rt *rt, struct pool *pool);
/* The watchdog: `inv` must complete by `expire_ns` (a later call moves
 * the bound); rt_watchdog fails those that don't and returns the next
 * expiry (UINT64_MAX: none). */
void rt_watch(struct rt *rt, struct inv *inv, uint64_t expire_ns);
uint64_t rt_watchdog(struct rt *rt, uint64_t now);
/* Take the oldest waiting invocation (NULL if none). */
struct inv *rt_pool_pop(struct pool *pool);

#endif
