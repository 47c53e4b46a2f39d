/* cgroup — memory and pids limits for execution environments.
 *
 * Owned by the zygote. cgroup_new finds a usable hierarchy below the
 * process's own cgroup (v1 memory+pids controllers, or v2 with both enabled)
 * and creates tutti-<pid>/ there; slots (one cgroup per live environment)
 * are created on demand and reused. Where neither works it returns a handle
 * in "none" mode and a reason, and the caller falls back to rlimits.
 * Not thread-safe (the zygote is single-threaded). */
#ifndef TUTTI_CGROUP_H
#define TUTTI_CGROUP_H

#include <stdbool.h>
#include <stdint.h>

#define CGROUP_FDS 2

struct cgroup;

struct cgroup *cgroup_new(char *why, unsigned whylen);
void cgroup_free(struct cgroup *cg);   /* removes the slots and the parent */
bool cgroup_active(const struct cgroup *cg);
const char *cgroup_mode(const struct cgroup *cg);   /* "v1", "v2", "none" */

/* Take a slot with these limits. fds[] receive cgroup.procs descriptors the
 * child writes "0" into to join (unused entries -1; the caller closes them).
 * Returns the slot index or -errno. */
int cgroup_slot_get(struct cgroup *cg, uint64_t mem_bytes, unsigned pids, int fds[CGROUP_FDS]);
/* Change a taken slot's memory limit (0 or -errno). */
int cgroup_slot_set_memory(struct cgroup *cg, int slot, uint64_t mem_bytes);
/* Release a slot after its process exited; returns true if the memory limit
 * OOM-killed something in it since cgroup_slot_get. */
bool cgroup_slot_put(struct cgroup *cg, int slot);

#endif
