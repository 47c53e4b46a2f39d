/* zygote — the single-threaded helper that forks execution environments.
 *
 * zygote_start forks it (call before the process starts any thread). It
 * compiles the seccomp filter, makes the empty network namespace and the
 * cgroup parent once, then forks one sandboxed child per zygote_spawn
 * request, and reports each child's exit (status, and whether the memory
 * cgroup OOM-killed it) on an event socket the runtime's I/O thread reads.
 * zygote_spawn is thread-safe (serialised); the event functions are meant
 * for one reader. The zygote dies with its parent. */
#ifndef TUTTI_ZYGOTE_H
#define TUTTI_ZYGOTE_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "fnconf.h"

struct zygote;

/* `prefork`: how many blank environments (generic set-up done ahead of
 * time) to keep ready for cold starts; 0 = none. */
struct zygote *zygote_start(const char *home, bool quiet, unsigned prefork, struct err *e);
void zygote_stop(struct zygote *z);

/* Fork an environment for `cfg`: `chan` becomes its runtime channel and
 * `logfd` its stdout/stderr (both are only borrowed: the caller closes its
 * copies). mode is a worker_mode. Returns 0 with *pid (in our PID
 * namespace) or -errno. */
int zygote_spawn(struct zygote *z, const struct fn_config *cfg, int mode, int chan, int logfd,
		 pid_t *pid);

/* Descriptor that becomes readable when exit events are pending. */
int zygote_event_fd(const struct zygote *z);
/* Read one exit event without blocking: 1 = got one, 0 = none pending,
 * -EPIPE = the zygote is gone. */
int zygote_read_exit(struct zygote *z, pid_t *pid, int *status, bool *oom);

/* "v1", "v2" or "none" (rlimit fallback). */
const char *zygote_cgroup_mode(const struct zygote *z);

#endif
