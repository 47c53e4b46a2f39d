#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SLOTS_MAX 1024

enum cg_mode { CG_NONE, CG_V1, CG_V2 };

struct slot {
	bool made, used;
	uint64_t oom_before;
	uint64_t mem_limit;   /* last value written, 0 = unknown */
	bool pids_set;
};

struct cgroup {
	enum cg_mode mode;
	char mem[PATH_MAX];   /* v1: memory/<own>/tutti-N ; v2: <own>/tutti-N */
	char pids[PATH_MAX];  /* v1 only */
	struct slot slots[SLOTS_MAX];
};

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

/* The path of this process's cgroup for a v1 `controller`, or the v2 path
 * when controller is "". Lines of /proc/self/cgroup are "id:list:path". */
static int own_path(const char *controller, char *out, size_t n)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[1024];
	int rc = -ENOENT;

	if (!f)
		return -errno;
	while (rc && fgets(line, sizeof line, f)) {
		char *save = NULL, *id, *list, *path, *tok;
		bool hit = false;

		line[strcspn(line, "\n")] = '\0';
		id = line;
		list = strchr(id, ':');
		if (!list)
			continue;
		*list++ = '\0';
		path = strchr(list, ':');
		if (!path)
			continue;
		*path++ = '\0';
		if (!controller[0]) {
			hit = !strcmp(id, "0") && !list[0];
		} else {
			for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
				hit |= !strcmp(tok, controller);
		}
		if (hit) {
			snprintf(out, n, "%s", strcmp(path, "/") ? path : "");
			rc = 0;
		}
	}
	fclose(f);
	return rc;
}

/* Remove what tutti processes that are gone left in `parent`: their
 * tutti-<pid> cgroups (empty by now: their environments died with them). */
static void sweep_stale(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char dir[PATH_MAX], sub[PATH_MAX + 300];
		DIR *sd;
		struct dirent *se;
		long pid;

		if (strncmp(de->d_name, "tutti-", 6))
			continue;
		pid = strtol(de->d_name + 6, NULL, 10);
		if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(dir, sizeof dir, "%s/%s", parent, de->d_name);
		sd = opendir(dir);
		while (sd && (se = readdir(sd))) {
			if (se->d_name[0] != 's')
				continue;
			snprintf(sub, sizeof sub, "%s/%s", dir, se->d_name);
			rmdir(sub);
		}
		if (sd)
			closedir(sd);
		rmdir(dir);
	}
	closedir(d);
}

static void parent_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');

	snprintf(out, n, "%.*s", slash ? (int)(slash - path) : 0, path);
}

static int setup_v1(struct cgroup *cg, char *why, unsigned whylen)
{
	char own[PATH_MAX];

	if (access("/sys/fs/cgroup/memory/cgroup.procs", F_OK) ||
	    access("/sys/fs/cgroup/pids/cgroup.procs", F_OK)) {
		snprintf(why, whylen, "no cgroup v1 memory and pids hierarchies");
		return -ENOENT;
	}
	if (own_path("memory", own, sizeof own))
		own[0] = '\0';
	snprintf(cg->mem, sizeof cg->mem, "/sys/fs/cgroup/memory%s/tutti-%d", own, (int)getpid());
	if (own_path("pids", own, sizeof own))
		own[0] = '\0';
	snprintf(cg->pids, sizeof cg->pids, "/sys/fs/cgroup/pids%s/tutti-%d", own, (int)getpid());
	{
		char parent[PATH_MAX];

		parent_of(cg->mem, parent, sizeof parent);
		sweep_stale(parent);
		parent_of(cg->pids, parent, sizeof parent);
		sweep_stale(parent);
	}
	if (mkdir(cg->mem, 0755) && errno != EEXIST) {
		snprintf(why, whylen, "mkdir %s: %s", cg->mem, strerror(errno));
		return -errno;
	}
	if (mkdir(cg->pids, 0755) && errno != EEXIST) {
		snprintf(why, whylen, "mkdir %s: %s", cg->pids, strerror(errno));
		rmdir(cg->mem);
		return -errno;
	}
	cg->mode = CG_V1;
	return 0;
}

static int setup_v2(struct cgroup *cg, char *why, unsigned whylen)
{
	char own[PATH_MAX], path[PATH_MAX + 64], ctl[256] = "";
	FILE *f;

	if (own_path("", own, sizeof own)) {
		snprintf(why, whylen, "no cgroup v2 entry in /proc/self/cgroup");
		return -ENOENT;
	}
	snprintf(path, sizeof path, "/sys/fs/cgroup%s/cgroup.controllers", own);
	f = fopen(path, "re");
	if (!f || !fgets(ctl, sizeof ctl, f) || !strstr(ctl, "memory") || !strstr(ctl, "pids")) {
		if (f)
			fclose(f);
		snprintf(why, whylen, "cgroup v2 without memory and pids controllers");
		return -ENOENT;
	}
	fclose(f);
	snprintf(cg->mem, sizeof cg->mem, "/sys/fs/cgroup%s/tutti-%d", own, (int)getpid());
	if (mkdir(cg->mem, 0755) && errno != EEXIST) {
		snprintf(why, whylen, "mkdir %s: %s", cg->mem, strerror(errno));
		return -errno;
	}
	snprintf(path, sizeof path, "%s/cgroup.subtree_control", cg->mem);
	if (write_str(path, "+memory +pids")) {
		snprintf(why, whylen, "cannot enable memory+pids in %s", cg->mem);
		rmdir(cg->mem);
		return -EPERM;
	}
	cg->mode = CG_V2;
	return 0;
}

struct cgroup *cgroup_new(char *why, unsigned whylen)
{
	struct cgroup *cg = calloc(1, sizeof *cg);
	char why2[256] = "";

	if (!cg)
		return NULL;
	why[0] = '\0';
	if (setup_v1(cg, why, whylen) && setup_v2(cg, why2, sizeof why2)) {
		size_t n = strlen(why);

		snprintf(why + n, whylen - n, "; %s", why2);
		cg->mode = CG_NONE;
	}
	return cg;
}

static void slot_dir(const struct cgroup *cg, const char *base, int i, char *out, size_t n)
{
	(void)cg;
	snprintf(out, n, "%s/s%d", base, i);
}

static uint64_t read_oom_kills(const struct cgroup *cg, int i)
{
	char dir[PATH_MAX + 16], path[PATH_MAX + 64], line[256];
	uint64_t v = 0;
	FILE *f;

	slot_dir(cg, cg->mem, i, dir, sizeof dir);
	snprintf(path, sizeof path, "%s/%s", dir, cg->mode == CG_V1 ? "memory.oom_control" : "memory.events");
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "oom_kill ", 9))
			v = strtoull(line + 9, NULL, 10);
	fclose(f);
	return v;
}

int cgroup_slot_get(struct cgroup *cg, uint64_t mem_bytes, unsigned pids, int fds[CGROUP_FDS])
{
	char dir[PATH_MAX + 16], path[PATH_MAX + 64], v[32];
	int i, rc;

	fds[0] = fds[1] = -1;
	if (cg->mode == CG_NONE)
		return -ENOTSUP;
	for (i = 0; i < SLOTS_MAX && cg->slots[i].used; i++)
		;
	if (i == SLOTS_MAX)
		return -EAGAIN;
	if (!cg->slots[i].made) {
		slot_dir(cg, cg->mem, i, dir, sizeof dir);
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
		if (cg->mode == CG_V1) {
			slot_dir(cg, cg->pids, i, dir, sizeof dir);
			if (mkdir(dir, 0755) && errno != EEXIST)
				return -errno;
		}
		cg->slots[i].made = true;
	}
	slot_dir(cg, cg->mem, i, dir, sizeof dir);
	snprintf(v, sizeof v, "%llu", (unsigned long long)mem_bytes);
	if (cg->mode == CG_V1) {
		/* Lower swap+mem first would fail if mem > memsw; we don't set memsw. */
		snprintf(path, sizeof path, "%s/memory.limit_in_bytes", dir);
		rc = cg->slots[i].mem_limit == mem_bytes ? 0 : write_str(path, v);
		if (rc)
			return rc;
		cg->slots[i].mem_limit = mem_bytes;
		snprintf(path, sizeof path, "%s/cgroup.procs", dir);
		fds[0] = open(path, O_WRONLY | O_CLOEXEC);
		slot_dir(cg, cg->pids, i, dir, sizeof dir);
		snprintf(path, sizeof path, "%s/pids.max", dir);
		snprintf(v, sizeof v, "%u", pids);
		rc = cg->slots[i].pids_set ? 0 : write_str(path, v);
		if (rc)
			goto fail;
		cg->slots[i].pids_set = true;
		snprintf(path, sizeof path, "%s/cgroup.procs", dir);
		fds[1] = open(path, O_WRONLY | O_CLOEXEC);
	} else {
		snprintf(path, sizeof path, "%s/memory.max", dir);
		rc = write_str(path, v);
		if (rc)
			return rc;
		snprintf(path, sizeof path, "%s/memory.swap.max", dir);
		write_str(path, "0");
		snprintf(path, sizeof path, "%s/pids.max", dir);
		snprintf(v, sizeof v, "%u", pids);
		rc = write_str(path, v);
		if (rc)
			return rc;
		snprintf(path, sizeof path, "%s/cgroup.procs", dir);
		fds[0] = open(path, O_WRONLY | O_CLOEXEC);
	}
	if (fds[0] < 0 || (cg->mode == CG_V1 && fds[1] < 0)) {
		rc = -errno;
		goto fail;
	}
	cg->slots[i].used = true;
	cg->slots[i].oom_before = read_oom_kills(cg, i);
	return i;
fail:
	for (int k = 0; k < CGROUP_FDS; k++)
		if (fds[k] >= 0) {
			close(fds[k]);
			fds[k] = -1;
		}
	return rc;
}

int cgroup_slot_set_memory(struct cgroup *cg, int slot, uint64_t mem_bytes)
{
	char dir[PATH_MAX + 16], path[PATH_MAX + 64], v[32];

	if (cg->mode == CG_NONE || slot < 0 || slot >= SLOTS_MAX || !cg->slots[slot].used)
		return -EINVAL;
	if (cg->slots[slot].mem_limit == mem_bytes)
		return 0;
	slot_dir(cg, cg->mem, slot, dir, sizeof dir);
	snprintf(path, sizeof path, "%s/%s", dir, cg->mode == CG_V1 ? "memory.limit_in_bytes" : "memory.max");
	snprintf(v, sizeof v, "%llu", (unsigned long long)mem_bytes);
	{
		int rc = write_str(path, v);

		if (rc)
			return rc;
	}
	cg->slots[slot].mem_limit = mem_bytes;
	return 0;
}

bool cgroup_slot_put(struct cgroup *cg, int slot)
{
	bool oom;

	if (cg->mode == CG_NONE || slot < 0 || slot >= SLOTS_MAX || !cg->slots[slot].used)
		return false;
	oom = read_oom_kills(cg, slot) > cg->slots[slot].oom_before;
	cg->slots[slot].used = false;
	return oom;
}

bool cgroup_active(const struct cgroup *cg)
{
	return cg && cg->mode != CG_NONE;
}

const char *cgroup_mode(const struct cgroup *cg)
{
	static const char *const names[] = { "none", "v1", "v2" };

	return cg ? names[cg->mode] : "none";
}

void cgroup_free(struct cgroup *cg)
{
	char dir[PATH_MAX + 16];

	if (!cg)
		return;
	for (int i = 0; i < SLOTS_MAX; i++) {
		if (!cg->slots[i].made)
			continue;
		slot_dir(cg, cg->mem, i, dir, sizeof dir);
		rmdir(dir);
		if (cg->mode == CG_V1) {
			slot_dir(cg, cg->pids, i, dir, sizeof dir);
			rmdir(dir);
		}
	}
	if (cg->mode != CG_NONE)
		rmdir(cg->mem);
	if (cg->mode == CG_V1)
		rmdir(cg->pids);
	free(cg);
}
