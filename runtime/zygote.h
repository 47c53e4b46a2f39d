/* zygote — tutti's side of the helper that makes execution environments.
 *
 * zygote_start fork+execs the zygote program (tutti-zygote, linked against
 * glibc only; see runtime/zygote_main.c) with a clean environment, so environments
 * inherit nothing of this process: not its memory, not its libraries.
 * It hands the zygote the seccomp programs compiled here (libseccomp),
 * then asks it for one environment per zygote_spawn with only the limits
 * and descriptors it needs; the function's configuration goes to the
 * environment itself over its channel (zygote_send_config). The zygote
 * reports each child's exit (status, and whether the memory cgroup
 * OOM-killed it) on an event socket the runtime's I/O thread reads.
 * zygote_spawn is thread-safe (serialised); the event functions are meant
 * for one reader. The zygote and its environments die with this process.
 *
 * The program is found at $TUTTI_ZYGOTE, else next to the executable:
 * <exe dir>/../lib/tutti/tutti-zygote (as installed: $(PREFIX)/bin/tutti
 * and $(PREFIX)/lib/tutti/tutti-zygote), or the same from an ancestor of
 * <exe dir> (test programs in $(BUILD)/tests/DIR/). */
#ifndef TUTTI_ZYGOTE_H
#define TUTTI_ZYGOTE_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "fnconf.h"

struct zygote;

/* What tutti gets for a new environment. */
struct zygote_env {
	pid_t pid;          /* in our PID namespace */
	int freeze_fd;      /* the slot's freezer control, or -1 (then SIGSTOP) */
	int freeze_kind;    /* enum cgroup_freeze_kind */
	int cpu_fd;         /* the slot's CPU usage, or -1 */
	int cpu_kind;       /* enum cgroup_cpu_kind */
	int mem_fd;         /* the slot's peak memory, or -1 */
	int mem_kind;       /* enum cgroup_mem_kind */
};

/* `prefork`: how many blank environments (generic set-up done ahead of
 * time) to keep ready for cold starts; 0 = none. `oneshot`: the blanks are
 * made once, never refilled (a one-shot command would throw them away). */
struct zygote *zygote_start(const char *home, bool quiet, unsigned prefork, bool oneshot, struct err *e);
/* Close the zygote's sockets: it then kills every environment and removes
 * its cgroups. `wait`: until it has (else it finishes on its own, after
 * this process may have exited; it is reaped by whoever inherits it). */
void zygote_stop(struct zygote *z, bool wait);

/* Make an environment for `cfg`: `chan` becomes its runtime channel and
 * `logfd` its stdout/stderr (both are only borrowed: the caller closes its
 * copies). Returns 0 with *out filled (the caller owns its descriptors) or
 * -errno; a mount that could not be made is named in `what`. */
int zygote_spawn(struct zygote *z, const struct fn_config *cfg, int chan, int logfd, struct zygote_env *out,
		 char *what, size_t whatlen);
/* Write the environment's configuration (worker.h) on tutti's end of its
 * channel: the first frame the environment reads. 0 or -errno. */
int zygote_send_config(int chan, const struct fn_config *cfg, int mode);

/* Descriptor that becomes readable when exit events are pending. */
int zygote_event_fd(const struct zygote *z);
/* Read one exit event without blocking: 1 = got one, 0 = none pending,
 * -EPIPE = the zygote is gone. */
int zygote_read_exit(struct zygote *z, pid_t *pid, int *status, bool *oom);

/* "v1", "v2" or "none" (rlimit fallback). */
const char *zygote_cgroup_mode(const struct zygote *z);

#endif
