/* rt — the function runtime's library API (parent side).
 *
 * An `struct rt` owns a zygote (the single-threaded helper that forks
 * sandboxes), one I/O thread, and per-function pools of warm execution
 * environments. rt_new must be called before the process starts any other
 * thread (it forks the zygote).
 *
 * Invocations are asynchronous: rt_invoke_async queues one and returns at
 * once; its callback runs later on the rt's I/O thread with a result the
 * callback owns (free it with rt_result_free). If rt_invoke_async fails it
 * returns -errno and the callback is never called. A callback must not call
 * rt_invoke or rt_drain (it would wait for its own thread); it may call
 * rt_invoke_async. rt_invoke is the synchronous form: with a warm idle
 * environment at hand it drives it from the calling thread. All functions
 * are thread-safe except rt_new/rt_free (no invocation may be in flight in
 * another thread when rt_free is called).
 *
 * Concurrency: at most `reserved_concurrency` environments per function
 * configuration (or rt_options.default_concurrency), and at most
 * rt_options.max_envs overall; excess invocations wait in FIFO order. */
#ifndef TUTTI_RT_H
#define TUTTI_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "fnconf.h"

struct rt;
struct rt_result;

/* Sees every completed invocation (not rt_check_code's), Event attempts
 * included, before its callback, on the thread that completes it (the I/O
 * thread, with the runtime's lock held): it must be quick, must not call
 * into the rt, and may not keep `cfg` or `res` (borrowed). A log sink. */
typedef void (*rt_observe_fn)(void *arg, const struct fn_config *cfg, const struct rt_result *res);

struct rt_options {
	const char *home;              /* $TUTTI_HOME (for the sandbox root) */
	unsigned max_envs;             /* 0 = 64 */
	unsigned default_concurrency;  /* per function, 0 = 8 */
	unsigned idle_ms;              /* idle environments expire; 0 = 600000 */
	unsigned init_timeout_ms;      /* 0 = FN_INIT_TIMEOUT_MS */
	unsigned event_retries;        /* Event invocations, 0 = 2 (as Lambda) */
	unsigned event_retry_delay_ms; /* first retry delay, doubled; 0 = 1000 */
	int prefork;                   /* blank environments kept ready; <0 = none, 0 = 2 */
	bool quiet;                    /* no warnings on fallbacks */
	/* A one-shot process (`tutti invoke`): the zygote makes the first
	 * `prefork` blanks and no more. */
	bool oneshot;
	/* rt_free does not wait for the zygote to take its environments down
	 * and remove its cgroups: it does so on its own once its control
	 * socket closes (or this process dies). Ignored in pid 1 of a PID
	 * namespace, whose exit would kill the zygote first. (The CLI.) */
	bool detach_zygote;
	rt_observe_fn observe;         /* NULL: none */
	void *observe_arg;
};

struct rt_result {
	bool ok;                  /* true: payload holds the result JSON */
	char *payload;            /* malloc'd, NUL-terminated; NULL on error */
	size_t payload_len;
	struct err err;           /* set when !ok: errorType / errorMessage */
	char *log;                /* the invocation's stdout+stderr (last 64 KiB) */
	size_t log_len;
	bool log_truncated;
	uint64_t log_dropped;     /* bytes of output before `log` that were not kept */
	bool cold;                /* this invocation started a new environment */
	uint64_t duration_us;     /* from dispatch to result */
	uint64_t init_us;         /* for cold starts: environment set-up + init */
	uint64_t cpu_us;          /* CPU time the environment used for this invocation */
	/* The environment's peak memory during this invocation (its cgroup's
	 * counter, reset after each invocation; cold: set-up and init
	 * included), or without a memory cgroup the process's peak RSS so
	 * far; 0 if unknown (e.g. the environment never started). */
	uint64_t max_rss_kib;
	char request_id[40];
};

typedef void (*rt_done_fn)(void *arg, struct rt_result *res);

struct rt *rt_new(const struct rt_options *opt, struct err *e);
void rt_free(struct rt *rt);

int rt_invoke_async(struct rt *rt, const struct fn_config *cfg, const char *payload,
		    size_t len, rt_done_fn cb, void *arg);
/* Synchronous invoke: fills *out (caller frees with rt_result_free). Returns
 * 0 when a result (success or function error) was produced, -errno if the
 * request could not be queued. */
int rt_invoke(struct rt *rt, const struct fn_config *cfg, const char *payload, size_t len,
	      struct rt_result *out);
/* Event (asynchronous) invocation as Lambda's InvocationType=Event: queued,
 * retried event_retries times on failure with doubling delays, failures
 * that exhaust retries are written to $TUTTI_HOME/dead-letter/NAME/. */
int rt_invoke_event(struct rt *rt, const struct fn_config *cfg, const char *payload, size_t len);
/* Block until no invocation (including Event retries) is pending. */
void rt_drain(struct rt *rt);

/* Load the code in a fresh sandbox (no init, no handler call) to check that
 * it is an ELF shared object built for this ABI with the handler symbol.
 * Returns 0 or -1 with *e set (Runtime.ImportModuleError,
 * Runtime.HandlerNotFound, Runtime.AbiMismatch). */
int rt_check_code(struct rt *rt, const struct fn_config *cfg, struct err *e);

struct rt_stats {
	uint64_t cold_starts, warm_starts, envs_replaced;
};
void rt_stats(struct rt *rt, struct rt_stats *st);

void rt_result_free(struct rt_result *r);

#endif
