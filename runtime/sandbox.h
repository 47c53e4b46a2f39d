/* sandbox — turns a freshly cloned child into an execution environment.
 *
 * The zygote clones a child into new mount, PID, IPC and UTS namespaces and
 * runs the numbered set-up sequence of sandbox_stages.def in it:
 * sandbox_prepare (generic steps, possibly ahead of time in a pre-forked
 * "blank" environment), then sandbox_enter for one function. On any failure
 * it sends PROTO_SETUP_ERROR (stage, errno, detail) on the runtime channel
 * and exits, so the parent can name the failing step. sandbox_enter returns
 * only with the process fully confined:
 * private root with the code at /var/task/function.so, layers at /opt,
 * tmpfs /tmp, minimal /dev, no network unless enabled, rlimits, cgroups,
 * no capabilities, no_new_privs, uid/gid 65534, seccomp allowlist.
 * Only ever called in a single-threaded child. */
#ifndef TUTTI_SANDBOX_H
#define TUTTI_SANDBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup.h"
#include "fnconf.h"
#include "sysfilter.h"

/* Descriptor numbers inside the environment. */
#define SANDBOX_CHAN_FD 1000   /* runtime channel (socket) */
#define SANDBOX_UID 65534
#define SANDBOX_GID 65534
#define SANDBOX_CODE_PATH "/var/task/function.so"
#define SANDBOX_PIDS_MAX 64u
#define SANDBOX_NOFILE 1024u

enum sandbox_stage {
#define X(id, text) SANDBOX_STAGE_##id,
#include "sandbox_stages.def"
#undef X
	SANDBOX_STAGE__COUNT
};

/* What is known when the child is cloned, before any function is chosen. */
struct sandbox_base {
	int report_fd;             /* where set-up failures go; -1 = just exit */
	int netns_fd;              /* the empty network namespace */
	int hostns_fd;             /* the host's, for functions with network on */
	int cg_fds[CGROUP_FDS];    /* cgroup.procs to join, -1 unused */
	bool cgroup_ok;            /* else memory falls back to RLIMIT_AS */
	uint64_t base_vm;          /* zygote's address-space size, for the fallback */
	const char *root_dir;      /* an empty host directory to build the root on */
	const struct sysfilter_prog *filter;
};

const char *sandbox_stage_to_string(int stage);
/* Steps 1-8, in a freshly cloned child. Returns only on success. */
void sandbox_prepare(const struct sandbox_base *b);
/* Steps 9 onwards for function `c`: `chan` becomes SANDBOX_CHAN_FD and
 * `logfd` stdout/stderr. Returns only on success, fully confined. */
void sandbox_enter(const struct sandbox_base *b, const struct fn_config *c, int chan, int logfd);
/* Report a setup failure on the channel and _exit (used by the worker). */
__attribute__((noreturn)) void sandbox_fail(int fd, int stage, int err, const char *detail);

#endif
