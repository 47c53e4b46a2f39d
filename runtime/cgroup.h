/* cgroup — limits, freezing and CPU accounting for execution environments.
 *
 * Owned by the zygote. cgroup_new finds a usable hierarchy below the
 * process's own cgroup and creates tutti-z<random id>/ there:
 *   - v1: memory and pids hierarchies (required), freezer and cpuacct
 *     (used when present), one tutti-<id>/ in each;
 *   - v2 (/sys/fs/cgroup, or $TUTTI_CGROUP_ROOT: a cgroup2 mount): the
 *     zygote moves itself into the leaf tutti-<id>/supervisor so that
 *     memory, pids and cpu can be enabled for the slots beside it
 *     (cgroup.subtree_control); cgroup.freeze and cgroup.kill work even
 *     where no controller can be enabled (then memory falls back to
 *     rlimits).
 * Each tutti-<id>/ is held with flock(LOCK_EX) for the zygote's life: the
 * sweep of stale cgroups removes only unlocked, old, empty ones, so it is
 * safe across PID namespaces. Slots (one cgroup per live environment) are
 * created on demand and reused. Where nothing works it returns a handle in
 * "none" mode and a reason, and the caller falls back to rlimits.
 * Not thread-safe (the zygote is single-threaded); the cgroup_fd_* helpers
 * are used by tutti on descriptors the zygote hands it. libc only. */
#ifndef TUTTI_CGROUP_H
#define TUTTI_CGROUP_H

#include <stdbool.h>
#include <stdint.h>

#define CGROUP_FDS 4

/* How to freeze a slot through its descriptor, and how to read its CPU
 * time (also sent to tutti with each environment). */
enum cgroup_freeze_kind { CG_FREEZE_NONE, CG_FREEZE_V1, CG_FREEZE_V2 };
enum cgroup_cpu_kind { CG_CPU_NONE, CG_CPU_V1, CG_CPU_V2 };
/* The slot's peak memory: v1 memory.max_usage_in_bytes (reset by writing
 * 0), v2 memory.peak (reset, for the descriptor that writes, since Linux
 * 6.12; on older kernels the peak since the slot was made). */
enum cgroup_mem_kind { CG_MEM_NONE, CG_MEM_V1, CG_MEM_V2 };

struct cgroup;

struct cgroup *cgroup_new(char *why, unsigned whylen);
/* Thaws and kills whatever is left in the slots, removes them and the
 * parent (the v2 supervisor leaf stays while we are in it: swept later). */
void cgroup_free(struct cgroup *cg);
bool cgroup_active(const struct cgroup *cg);        /* slots available */
bool cgroup_limits_memory(const struct cgroup *cg); /* memory controller in use */
const char *cgroup_mode(const struct cgroup *cg);   /* "v1", "v2", "none" */

/* Take a slot with these limits. fds[] receive cgroup.procs (v1: tasks) descriptors the
 * child writes "0" into to join (unused entries -1; the caller closes them).
 * Returns the slot index or -errno. */
int cgroup_slot_get(struct cgroup *cg, uint64_t mem_bytes, unsigned pids, int fds[CGROUP_FDS]);
/* Change a taken slot's memory limit (0 or -errno). */
int cgroup_slot_set_memory(struct cgroup *cg, int slot, uint64_t mem_bytes);
/* Descriptors for tutti (-1 and *_NONE where there is no such control):
 * the slot's freezer state, its CPU usage and its peak memory. Borrowed:
 * opened once per slot (O_CLOEXEC), closed by cgroup_free. */
void cgroup_slot_ctl_fds(struct cgroup *cg, int slot, int *freeze_fd, int *freeze_kind, int *cpu_fd,
			 int *cpu_kind, int *mem_fd, int *mem_kind);
/* Release a slot after its process exited (v2: cgroup.kill first, so it is
 * empty for the next environment); returns true if the memory limit
 * OOM-killed something in it since cgroup_slot_get. */
bool cgroup_slot_put(struct cgroup *cg, int slot);
/* Thaw and kill every environment (cgroup.kill where there is one). */
void cgroup_kill_all(struct cgroup *cg);

/* On a descriptor from cgroup_slot_ctl_fds: freeze or thaw (0 or -errno);
 * the CPU time used so far, in ns (0 if unknown). */
int cgroup_fd_freeze(int fd, int kind, bool frozen);
uint64_t cgroup_fd_cpu_ns(int fd, int kind);
/* The peak memory in bytes (0 if unknown), and its reset to the current
 * usage (0 or -errno). */
uint64_t cgroup_fd_mem_peak(int fd, int kind);
int cgroup_fd_mem_reset(int fd, int kind);

#endif
