/* sandbox — turns a freshly cloned child into an execution environment.
 *
 * Runs in the zygote program (tutti-zygote), which clones a child into new
 * mount, PID, IPC and UTS namespaces and runs the set-up sequence of
 * sandbox_stages.def in it, one named step after another:
 * sandbox_prepare (the generic steps, possibly ahead of time in a
 * pre-forked "blank" environment: namespaces, cgroups, the new root,
 * pivot_root, the seccomp filter), then sandbox_enter once the
 * environment's limits are known (its code and layers arrive as detached
 * mounts, then the sandbox user). On any failure it sends
 * PROTO_SETUP_ERROR (step, errno, detail) on the report descriptor and
 * exits, so the parent names the failing step. sandbox_enter returns only
 * with the process fully confined: private root with the code at
 * /var/task/function.so, layers at /opt, tmpfs /tmp, minimal /dev, no
 * network unless enabled, rlimits, cgroups, no capabilities,
 * no_new_privs, uid/gid 65534, seccomp allowlist. The function's
 * configuration (handler, variables...) is not known here: the worker
 * receives it from tutti afterwards. Only ever called in a single-threaded
 * child. libc only: no libseccomp or libcap. */
#ifndef TUTTI_SANDBOX_H
#define TUTTI_SANDBOX_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>

#include "cgroup.h"
#include "fnconf.h"

/* Descriptor numbers inside the environment. */
#define SANDBOX_CHAN_FD 1000   /* runtime channel (socket) */
#define SANDBOX_UID 65534
#define SANDBOX_GID 65534
#define SANDBOX_CODE_PATH "/var/task/function.so"
#define SANDBOX_PIDS_MAX 64u
#define SANDBOX_NOFILE 1024u

enum sandbox_stage {
#define SETUP(id, fn, text) SANDBOX_STAGE_##id,
#define LATER(id, text) SANDBOX_STAGE_##id,
#include "sandbox_stages.def"
#undef SETUP
#undef LATER
	SANDBOX_STAGE__COUNT
};

#define SANDBOX_NET_FILES 5
#define SANDBOX_KEEP_MAX (3 + SANDBOX_NET_FILES)

/* The seccomp programs (allowlist, guards), compiled by tutti with
 * libseccomp and handed to the zygote as raw BPF in a memfd. */
#define SANDBOX_FILTERS 2
#define SANDBOX_FILTER_MAX 4096   /* instructions per program (BPF_MAXINSNS) */
struct sandbox_filter {
	unsigned n;
	struct sock_fprog prog[SANDBOX_FILTERS];
};
/* Read the programs from `fd` (u32 count, then per program u32 length and
 * its instructions). 0 or -errno. */
int sandbox_filter_load(int fd, struct sandbox_filter *f);

/* What is known when the child is cloned, before any function is chosen. */
struct sandbox_base {
	int report_fd;             /* where set-up failures go; -1 = just exit */
	int netns_fd;              /* the empty network namespace */
	int hostns_fd;             /* the host's, for functions with network on */
	int life_fd;               /* read end of a pipe only the zygote writes */
	int cg_fds[CGROUP_FDS];    /* cgroup.procs to join, -1 unused */
	bool cgroup_ok;            /* memory limited by a cgroup; else RLIMIT_AS */
	uint64_t base_vm;          /* zygote's address-space size, for the fallback */
	const char *root_dir;      /* an empty host directory to build the root on */
	const struct sandbox_filter *filter;
	int keep[SANDBOX_KEEP_MAX];/* descriptors that survive FDS_CLOSE (-1 unused) */
	unsigned tmp_mb;           /* /tmp size; blanks use the default */
	bool net_mountpoints;      /* network on: /etc files and CA dirs */
};

/* The environment's limits: all the zygote learns about a function. */
struct sandbox_limits {
	uint32_t memory_mb;
	uint32_t tmp_mb;
	uint8_t network;
	uint8_t has_opt;           /* a layers mount follows the code's */
	uint8_t net_mask;          /* which net_files[] mounts follow, in order */
	uint8_t pad;
};

/* Detached mounts (open_tree clones made by tutti in the host's mount
 * namespace, already read-only): moved into the sandbox at assignment. */
struct sandbox_mounts {
	int code;                  /* the .so file */
	int opt;                   /* merged layers, or -1 */
	int net[SANDBOX_NET_FILES];/* /etc files and CA dirs for network on, or -1 */
};

const char *sandbox_stage_to_string(int stage);
/* In tutti: the detached mounts for `c` (0, or -errno with `what` naming
 * the path that failed); sets lim->has_opt and lim->net_mask.
 * sandbox_mounts_close accepts a struct with -1 fds. */
int sandbox_mounts_make(const struct fn_config *c, struct sandbox_mounts *m, struct sandbox_limits *lim,
			char *what, size_t n);
void sandbox_mounts_close(struct sandbox_mounts *m);
void sandbox_mounts_init(struct sandbox_mounts *m);
/* How many descriptors sandbox_mounts_fds writes (the order of `fds`). */
int sandbox_mounts_fds(const struct sandbox_mounts *m, int *fds, int max);
/* The receiving side, by lim->has_opt and lim->net_mask. */
void sandbox_mounts_from_fds(struct sandbox_mounts *m, const struct sandbox_limits *lim, const int *fds, int n);

/* The generic steps, in a freshly cloned child. Returns only on success. */
void sandbox_prepare(const struct sandbox_base *b);
/* The remaining steps for an environment with limits `lim`: `chan` becomes
 * SANDBOX_CHAN_FD and `logfd` stdout/stderr; the mounts are attached and
 * closed. Returns only on success, fully confined. */
void sandbox_enter(const struct sandbox_base *b, const struct sandbox_limits *lim, int chan, int logfd,
		   struct sandbox_mounts *m);
/* Step timing for TUTTI_TRACE_SANDBOX: mark a stage (SANDBOX_STAGE_*, or
 * SANDBOX_STAGE__COUNT for "init", +1 for "ready"); print them into the log. */
void sandbox_trace_mark(int stage);
void sandbox_trace_print(void);
/* Report a setup failure on `fd` and _exit (used by the worker too). */
__attribute__((noreturn)) void sandbox_fail(int fd, int stage, int err, const char *detail);

#endif
