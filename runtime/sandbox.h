/* sandbox — turns a freshly cloned child into an execution environment.
 *
 * The zygote clones a child into new mount, PID, IPC and UTS namespaces and
 * runs the numbered set-up sequence of sandbox_stages.def in it:
 * sandbox_prepare (generic steps, possibly ahead of time in a pre-forked
 * "blank" environment: namespaces, cgroups, the new root, pivot_root, the
 * seccomp filter), then sandbox_enter for one function (its code and
 * layers arrive as detached mounts, then the sandbox user). On any failure
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

#define SANDBOX_NET_FILES 5
#define SANDBOX_KEEP_MAX (3 + SANDBOX_NET_FILES)

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
	int keep[SANDBOX_KEEP_MAX];/* descriptors that survive step 4 (-1 unused) */
	unsigned tmp_mb;           /* /tmp size; blanks use the default */
	bool net_mountpoints;      /* network on: /etc files and CA dirs */
};

/* Detached mounts (open_tree clones made by the zygote in the host's mount
 * namespace, already read-only): moved into the sandbox at assignment. */
struct sandbox_mounts {
	int code;                  /* the .so file */
	int opt;                   /* merged layers, or -1 */
	int net[SANDBOX_NET_FILES];/* /etc files and CA dirs for network on, or -1 */
};

const char *sandbox_stage_to_string(int stage);
/* In the zygote: the detached mounts for `c` (0, or -errno with `what`
 * naming the path that failed). sandbox_mounts_close accepts a zeroed
 * struct with -1 fds. */
int sandbox_mounts_make(const struct fn_config *c, struct sandbox_mounts *m, char *what, size_t n);
void sandbox_mounts_close(struct sandbox_mounts *m);
void sandbox_mounts_init(struct sandbox_mounts *m);
/* How many descriptors sandbox_mounts_fds writes (the order of `fds`). */
int sandbox_mounts_fds(const struct sandbox_mounts *m, int *fds, int max);
void sandbox_mounts_from_fds(struct sandbox_mounts *m, const struct fn_config *c, const int *fds, int n);

/* Steps 1-15, in a freshly cloned child. Returns only on success. */
void sandbox_prepare(const struct sandbox_base *b);
/* Steps 16-22 for function `c`: `chan` becomes SANDBOX_CHAN_FD and `logfd`
 * stdout/stderr; the mounts are attached and closed. Returns only on
 * success, fully confined. */
void sandbox_enter(const struct sandbox_base *b, const struct fn_config *c, int chan, int logfd,
		   struct sandbox_mounts *m);
/* Step timing for TUTTI_TRACE_SANDBOX: mark a step (SANDBOX_STAGE_*, or
 * SANDBOX_STAGE__COUNT+1 for "ready"); print the steps into the log. */
void sandbox_trace_mark(int stage);
void sandbox_trace_print(void);
/* Report a setup failure on the channel and _exit (used by the worker). */
__attribute__((noreturn)) void sandbox_fail(int fd, int stage, int err, const char *detail);

#endif
