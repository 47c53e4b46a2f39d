#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SLOTS_MAX 1024
#define ID_HEX 16
/* tutti-z<16 hex>: the 'z' keeps older tuttis' sweep (which took the
 * digits after "tutti-" for a pid) away from our cgroups. */
#define ID_PREFIX "tutti-z"
/* A tutti-<id> cgroup younger than this is never swept (its owner may be
 * between mkdir and flock). */
#define SWEEP_MIN_AGE_S 10

enum cg_mode { CG_NONE, CG_V1, CG_V2 };
/* v1 hierarchies; v2 uses H_MEM only (one tree). */
enum { H_MEM, H_PIDS, H_FREEZER, H_CPU, H_MAX };

static const char *const v1_names[H_MAX] = { "memory", "pids", "freezer", "cpuacct" };

struct slot {
	bool made, used;
	uint64_t oom_before;
	uint64_t mem_limit;   /* last value written, 0 = unknown */
	bool pids_set;
	int freeze_fd, cpu_fd, mem_fd;    /* opened once (0 = not yet: fd + 1 stored) */
	int freeze_kind, cpu_kind, mem_kind;
	bool fds_opened;
};

struct cgroup {
	enum cg_mode mode;
	char dir[H_MAX][PATH_MAX];  /* tutti-<id> in each hierarchy; "" unused */
	int lock[H_MAX];            /* flock'ed descriptors of dir[] */
	bool mem, pids;             /* limits available */
	char own[PATH_MAX];         /* v2: the cgroup we came from */
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

static int read_line(const char *path, char *out, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	out[0] = '\0';
	if (fd < 0)
		return -errno;
	r = read(fd, out, n - 1);
	close(fd);
	if (r < 0)
		return -errno;
	out[r] = '\0';
	return 0;
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

static bool is_ours(const char *name)
{
	size_t p = sizeof ID_PREFIX - 1;

	if (strncmp(name, ID_PREFIX, p) || strlen(name) != p + ID_HEX)
		return false;
	for (int i = 0; i < ID_HEX; i++)
		if (!name[p + i] || !strchr("0123456789abcdef", name[p + i]))
			return false;
	return true;
}

static bool procs_empty(const char *dir)
{
	char path[PATH_MAX + 32], b[16];

	snprintf(path, sizeof path, "%s/cgroup.procs", dir);
	return read_line(path, b, sizeof b) == 0 && b[0] == '\0';
}

/* Remove what tutti processes that are gone left in `parent`: tutti-<id>
 * cgroups nobody holds the lock of (their owner is gone, whatever PID
 * namespace it lived in), old enough, with empty slots. Slots still
 * frozen are thawed, so what is left in them can finish dying; a cgroup
 * with processes is left alone. */
static void sweep_stale(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *de;
	time_t now = time(NULL);

	if (!d)
		return;
	while ((de = readdir(d))) {
		char dir[PATH_MAX], sub[PATH_MAX + 300], path[PATH_MAX + 320];
		struct stat st;
		DIR *sd;
		struct dirent *se;
		int fd;

		if (!is_ours(de->d_name))
			continue;
		snprintf(dir, sizeof dir, "%s/%s", parent, de->d_name);
		if (stat(dir, &st) || now - st.st_ctime < SWEEP_MIN_AGE_S)
			continue;
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB)) {
			close(fd); /* its owner is alive */
			continue;
		}
		sd = opendir(dir);
		while (sd && (se = readdir(sd))) {
			if (se->d_name[0] == '.' || (se->d_name[0] != 's'))
				continue;
			snprintf(sub, sizeof sub, "%s/%s", dir, se->d_name);
			snprintf(path, sizeof path, "%s/freezer.state", sub);
			if (!access(path, F_OK))
				write_str(path, "THAWED");
			snprintf(path, sizeof path, "%s/cgroup.freeze", sub);
			if (!access(path, F_OK))
				write_str(path, "0");
			if (procs_empty(sub))
				rmdir(sub);
		}
		if (sd)
			closedir(sd);
		rmdir(dir);
		close(fd);
	}
	closedir(d);
}

static void parent_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');

	snprintf(out, n, "%.*s", slash ? (int)(slash - path) : 0, path);
}

/* mkdir + flock, after sweeping the parent. */
static int make_locked(struct cgroup *cg, int h, const char *dir)
{
	char parent[PATH_MAX];

	parent_of(dir, parent, sizeof parent);
	sweep_stale(parent);
	if (mkdir(dir, 0755))
		return -errno;
	snprintf(cg->dir[h], sizeof cg->dir[h], "%s", dir);
	cg->lock[h] = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->lock[h] < 0 || flock(cg->lock[h], LOCK_EX | LOCK_NB))
		return -errno;
	return 0;
}

static void make_id(char out[ID_HEX + 1])
{
	unsigned char r[ID_HEX / 2];

	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		uint64_t v = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_sec;
		memcpy(r, &v, sizeof r);
	}
	for (size_t i = 0; i < sizeof r; i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
}

static void undo(struct cgroup *cg)
{
	for (int h = H_MAX - 1; h >= 0; h--) {
		if (cg->dir[h][0]) {
			char sup[PATH_MAX + 16];

			snprintf(sup, sizeof sup, "%s/supervisor", cg->dir[h]);
			rmdir(sup);
			rmdir(cg->dir[h]);
		}
		if (cg->lock[h] >= 0)
			close(cg->lock[h]);
		cg->dir[h][0] = '\0';
		cg->lock[h] = -1;
	}
}

static int setup_v1(struct cgroup *cg, const char *id, char *why, unsigned whylen)
{
	char own[PATH_MAX], dir[PATH_MAX];
	int rc;

	if (access("/sys/fs/cgroup/memory/cgroup.procs", F_OK) ||
	    access("/sys/fs/cgroup/pids/cgroup.procs", F_OK)) {
		snprintf(why, whylen, "no cgroup v1 memory and pids hierarchies");
		return -ENOENT;
	}
	for (int h = 0; h < H_MAX; h++) {
		snprintf(dir, sizeof dir, "/sys/fs/cgroup/%s/cgroup.procs", v1_names[h]);
		if (h > H_PIDS && access(dir, F_OK))
			continue; /* freezer and cpuacct are optional */
		if (own_path(v1_names[h], own, sizeof own))
			own[0] = '\0';
		snprintf(dir, sizeof dir, "/sys/fs/cgroup/%s%s/" ID_PREFIX "%s", v1_names[h], own, id);
		rc = make_locked(cg, h, dir);
		if (rc && h <= H_PIDS) {
			snprintf(why, whylen, "mkdir %s: %s", dir, strerror(-rc));
			undo(cg);
			return rc;
		}
		if (rc) {
			rmdir(dir);
			cg->dir[h][0] = '\0';
		}
	}
	cg->mode = CG_V1;
	cg->mem = cg->pids = true;
	return 0;
}

/* Enable what `want` names of `dir`'s available controllers for its
 * children; returns the controllers enabled there afterwards. */
static void enable(const char *dir, char *enabled, size_t n)
{
	static const char *const want[] = { "memory", "pids", "cpu" };
	char path[PATH_MAX + 32], avail[256], cmd[64];

	snprintf(path, sizeof path, "%s/cgroup.controllers", dir);
	read_line(path, avail, sizeof avail);
	snprintf(path, sizeof path, "%s/cgroup.subtree_control", dir);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		char word[16];

		snprintf(word, sizeof word, " %s ", want[i]);
		snprintf(cmd, sizeof cmd, " %.200s ", avail);
		cmd[strcspn(cmd, "\n")] = ' ';
		if (!strstr(cmd, word))
			continue;
		snprintf(cmd, sizeof cmd, "+%s", want[i]);
		write_str(path, cmd);
	}
	read_line(path, enabled, n);
}

static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return true;
	return false;
}

/* tutti-<id>/ under `parent`, the zygote in its leaf supervisor/, and the
 * controllers `parent` may hand down enabled for the slots (`on`: those
 * enabled in tutti-<id> afterwards). */
static int make_v2_base(struct cgroup *cg, const char *parent, const char *id, char *on, size_t onlen, char *why,
			unsigned whylen)
{
	char base[PATH_MAX], path[PATH_MAX + 64];
	int rc;

	snprintf(base, sizeof base, "%s/" ID_PREFIX "%s", parent, id);
	rc = make_locked(cg, H_MEM, base);
	if (rc) {
		snprintf(why, whylen, "mkdir %s: %s", base, strerror(-rc));
		undo(cg);
		return rc;
	}
	/* The leaf: the zygote leaves tutti-<id> itself free of processes, so
	 * controllers can be enabled there for the slots. */
	snprintf(path, sizeof path, "%s/supervisor", base);
	if (mkdir(path, 0755) && errno != EEXIST) {
		rc = -errno;
		snprintf(why, whylen, "mkdir %s: %s", path, strerror(errno));
		undo(cg);
		return rc;
	}
	snprintf(path, sizeof path, "%s/supervisor/cgroup.procs", base);
	rc = write_str(path, "0");
	if (rc) {
		snprintf(why, whylen, "cannot move into %s/supervisor: %s", base, strerror(-rc));
		undo(cg);
		return rc;
	}
	enable(parent, on, onlen);
	enable(base, on, onlen);
	return 0;
}

static int setup_v2(struct cgroup *cg, const char *id, char *why, unsigned whylen)
{
	const char *root = getenv("TUTTI_CGROUP_ROOT");
	char own[PATH_MAX], path[PATH_MAX + 64], on[256] = "", avail[256] = "";
	int rc;

	if (!root || !root[0])
		root = "/sys/fs/cgroup";
	if (own_path("", own, sizeof own)) {
		snprintf(why, whylen, "no cgroup v2 entry in /proc/self/cgroup");
		return -ENOENT;
	}
	snprintf(path, sizeof path, "%s%s/cgroup.subtree_control", root, own);
	if (access(path, F_OK)) {
		snprintf(why, whylen, "no cgroup v2 hierarchy at %s%s", root, own);
		return -ENOENT;
	}
	snprintf(cg->own, sizeof cg->own, "%s%s", root, own);
	snprintf(path, sizeof path, "%s/cgroup.controllers", cg->own);
	read_line(path, avail, sizeof avail);
	rc = make_v2_base(cg, cg->own, id, on, sizeof on, why, whylen);
	if (rc)
		return rc;
	/* Our own cgroup has the memory controller but cannot hand it down:
	 * processes of tutti's live in it (no internal processes under v2).
	 * With systemd's Delegate=yes + DelegateSubgroup=main, that is tutti's
	 * leaf and its parent the delegated cgroup: go beside it. */
	if (!has_word(on, "memory") && has_word(avail, "memory") && own[0]) {
		char parent[PATH_MAX];

		parent_of(cg->own, parent, sizeof parent);
		snprintf(path, sizeof path, "%s/cgroup.procs", cg->own);
		if (write_str(path, "0") == 0) {
			undo(cg);
			on[0] = '\0';
			rc = make_v2_base(cg, parent, id, on, sizeof on, why, whylen);
			if (rc)
				return rc;
		}
	}
	cg->mem = has_word(on, "memory");
	cg->pids = has_word(on, "pids");
	cg->mode = CG_V2;
	if (!cg->mem || !cg->pids)
		snprintf(why, whylen, "cgroup v2 at %s without %s%s%s controllers enabled", cg->dir[H_MEM],
			 cg->mem ? "" : "memory", !cg->mem && !cg->pids ? " and " : "", cg->pids ? "" : "pids");
	return 0;
}

struct cgroup *cgroup_new(char *why, unsigned whylen)
{
	struct cgroup *cg = calloc(1, sizeof *cg);
	char why2[256] = "", id[ID_HEX + 1];
	const char *root = getenv("TUTTI_CGROUP_ROOT");

	if (!cg)
		return NULL;
	for (int h = 0; h < H_MAX; h++)
		cg->lock[h] = -1;
	why[0] = '\0';
	make_id(id);
	/* TUTTI_CGROUP_ROOT points at a cgroup2 mount: v2 there, nothing else. */
	if (root && root[0]) {
		if (setup_v2(cg, id, why, whylen))
			cg->mode = CG_NONE;
		return cg;
	}
	if (setup_v1(cg, id, why, whylen) && setup_v2(cg, id, why2, sizeof why2)) {
		size_t n = strlen(why);

		snprintf(why + n, whylen - n, "; %s", why2);
		cg->mode = CG_NONE;
	} else if (cg->mode == CG_V2 && why2[0]) {
		snprintf(why, whylen, "%s", why2);
	}
	return cg;
}

static void slot_dir(const struct cgroup *cg, int h, int i, char *out, size_t n)
{
	snprintf(out, n, "%s/s%d", cg->dir[h], i);
}

static uint64_t read_oom_kills(const struct cgroup *cg, int i)
{
	char dir[PATH_MAX + 16], path[PATH_MAX + 64], line[256];
	uint64_t v = 0;
	FILE *f;

	if (!cg->mem)
		return 0;
	slot_dir(cg, H_MEM, i, dir, sizeof dir);
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

/* What a new environment writes "0" to, to join a slot. Under v1, the
 * slot's `tasks`: the environment is single-threaded when it joins (the
 * first set-up step, right after clone), so moving its one thread moves
 * the process, and the kernel migrates `current` alone without the global
 * threadgroup lock — whose first taking after a quiet spell waits for an
 * RCU grace period (5-15 ms on a small VM, on every one-shot start).
 * cgroup.procs would take it. (v2 has no such file for domain cgroups.) */
static int open_procs(const struct cgroup *cg, int h, int i)
{
	char dir[PATH_MAX + 16], path[PATH_MAX + 64];

	slot_dir(cg, h, i, dir, sizeof dir);
	snprintf(path, sizeof path, "%s/%s", dir, cg->mode == CG_V1 ? "tasks" : "cgroup.procs");
	return open(path, O_WRONLY | O_CLOEXEC);
}

static int write_slot(const struct cgroup *cg, int h, int i, const char *file, const char *v)
{
	char dir[PATH_MAX + 16], path[PATH_MAX + 64];

	slot_dir(cg, h, i, dir, sizeof dir);
	snprintf(path, sizeof path, "%s/%s", dir, file);
	return write_str(path, v);
}

int cgroup_slot_get(struct cgroup *cg, uint64_t mem_bytes, unsigned pids, int fds[CGROUP_FDS])
{
	char dir[PATH_MAX + 16], v[32];
	int i, rc = 0, n = 0;

	for (int k = 0; k < CGROUP_FDS; k++)
		fds[k] = -1;
	if (cg->mode == CG_NONE)
		return -ENOTSUP;
	for (i = 0; i < SLOTS_MAX && cg->slots[i].used; i++)
		;
	if (i == SLOTS_MAX)
		return -EAGAIN;
	if (!cg->slots[i].made) {
		for (int h = 0; h < H_MAX; h++) {
			if (!cg->dir[h][0])
				continue;
			slot_dir(cg, h, i, dir, sizeof dir);
			if (mkdir(dir, 0755) && errno != EEXIST)
				return -errno;
		}
		cg->slots[i].made = true;
	}
	if (cg->mem && cg->slots[i].mem_limit != mem_bytes) {
		snprintf(v, sizeof v, "%llu", (unsigned long long)mem_bytes);
		rc = write_slot(cg, H_MEM, i, cg->mode == CG_V1 ? "memory.limit_in_bytes" : "memory.max", v);
		if (rc)
			return rc;
		if (cg->mode == CG_V2)
			write_slot(cg, H_MEM, i, "memory.swap.max", "0");
		cg->slots[i].mem_limit = mem_bytes;
	}
	if (cg->pids && !cg->slots[i].pids_set) {
		snprintf(v, sizeof v, "%u", pids);
		rc = write_slot(cg, cg->mode == CG_V1 ? H_PIDS : H_MEM, i, "pids.max", v);
		if (rc)
			return rc;
		cg->slots[i].pids_set = true;
	}
	for (int h = 0; h < H_MAX; h++) {
		if (!cg->dir[h][0])
			continue;
		fds[n] = open_procs(cg, h, i);
		if (fds[n++] < 0) {
			rc = -errno;
			goto fail;
		}
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
	char v[32];
	int rc;

	if (cg->mode == CG_NONE || slot < 0 || slot >= SLOTS_MAX || !cg->slots[slot].used)
		return -EINVAL;
	if (!cg->mem || cg->slots[slot].mem_limit == mem_bytes)
		return 0;
	snprintf(v, sizeof v, "%llu", (unsigned long long)mem_bytes);
	rc = write_slot(cg, H_MEM, slot, cg->mode == CG_V1 ? "memory.limit_in_bytes" : "memory.max", v);
	if (rc)
		return rc;
	cg->slots[slot].mem_limit = mem_bytes;
	return 0;
}

static int open_slot_file(const struct cgroup *cg, int h, int i, const char *file, int flags)
{
	char dir[PATH_MAX + 16], path[PATH_MAX + 64];

	if (!cg->dir[h][0])
		return -1;
	slot_dir(cg, h, i, dir, sizeof dir);
	snprintf(path, sizeof path, "%s/%s", dir, file);
	return open(path, flags | O_CLOEXEC);
}

void cgroup_slot_ctl_fds(struct cgroup *cg, int slot, int *freeze_fd, int *freeze_kind, int *cpu_fd,
			 int *cpu_kind, int *mem_fd, int *mem_kind)
{
	struct slot *sl;

	*freeze_fd = *cpu_fd = *mem_fd = -1;
	*freeze_kind = CG_FREEZE_NONE;
	*cpu_kind = CG_CPU_NONE;
	*mem_kind = CG_MEM_NONE;
	if (cg->mode == CG_NONE || slot < 0 || slot >= SLOTS_MAX)
		return;
	sl = &cg->slots[slot];
	if (!sl->fds_opened) {
		int f, c, m;

		if (cg->mode == CG_V1) {
			f = open_slot_file(cg, H_FREEZER, slot, "freezer.state", O_WRONLY);
			c = open_slot_file(cg, H_CPU, slot, "cpuacct.usage", O_RDONLY);
			m = cg->mem ? open_slot_file(cg, H_MEM, slot, "memory.max_usage_in_bytes", O_RDWR) : -1;
			sl->freeze_kind = f >= 0 ? CG_FREEZE_V1 : CG_FREEZE_NONE;
			sl->cpu_kind = c >= 0 ? CG_CPU_V1 : CG_CPU_NONE;
			sl->mem_kind = m >= 0 ? CG_MEM_V1 : CG_MEM_NONE;
		} else {
			f = open_slot_file(cg, H_MEM, slot, "cgroup.freeze", O_WRONLY);
			c = open_slot_file(cg, H_MEM, slot, "cpu.stat", O_RDONLY);
			m = cg->mem ? open_slot_file(cg, H_MEM, slot, "memory.peak", O_RDWR) : -1;
			if (m < 0 && cg->mem)
				m = open_slot_file(cg, H_MEM, slot, "memory.peak", O_RDONLY);
			sl->freeze_kind = f >= 0 ? CG_FREEZE_V2 : CG_FREEZE_NONE;
			sl->cpu_kind = c >= 0 ? CG_CPU_V2 : CG_CPU_NONE;
			sl->mem_kind = m >= 0 ? CG_MEM_V2 : CG_MEM_NONE;
		}
		sl->freeze_fd = f + 1;
		sl->cpu_fd = c + 1;
		sl->mem_fd = m + 1;
		sl->fds_opened = true;
	}
	*freeze_fd = sl->freeze_fd - 1;
	*cpu_fd = sl->cpu_fd - 1;
	*mem_fd = sl->mem_fd - 1;
	*freeze_kind = sl->freeze_kind;
	*cpu_kind = sl->cpu_kind;
	*mem_kind = sl->mem_kind;
}

static void slot_thaw(const struct cgroup *cg, int i)
{
	if (cg->mode == CG_V1 && cg->dir[H_FREEZER][0])
		write_slot(cg, H_FREEZER, i, "freezer.state", "THAWED");
	else if (cg->mode == CG_V2)
		write_slot(cg, H_MEM, i, "cgroup.freeze", "0");
}

bool cgroup_slot_put(struct cgroup *cg, int slot)
{
	bool oom;

	if (cg->mode == CG_NONE || slot < 0 || slot >= SLOTS_MAX || !cg->slots[slot].used)
		return false;
	oom = read_oom_kills(cg, slot) > cg->slots[slot].oom_before;
	/* The next environment starts thawed, in an empty cgroup. */
	slot_thaw(cg, slot);
	if (cg->mode == CG_V2)
		write_slot(cg, H_MEM, slot, "cgroup.kill", "1");
	cg->slots[slot].used = false;
	return oom;
}

void cgroup_kill_all(struct cgroup *cg)
{
	if (!cg)
		return;
	for (int i = 0; i < SLOTS_MAX; i++) {
		if (!cg->slots[i].used)
			continue;
		slot_thaw(cg, i);
		if (cg->mode == CG_V2)
			write_slot(cg, H_MEM, i, "cgroup.kill", "1");
	}
}

bool cgroup_active(const struct cgroup *cg)
{
	return cg && cg->mode != CG_NONE;
}

bool cgroup_limits_memory(const struct cgroup *cg)
{
	return cg && cg->mode != CG_NONE && cg->mem;
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
		if (cg->slots[i].freeze_fd > 0)
			close(cg->slots[i].freeze_fd - 1);
		if (cg->slots[i].cpu_fd > 0)
			close(cg->slots[i].cpu_fd - 1);
		if (cg->slots[i].mem_fd > 0)
			close(cg->slots[i].mem_fd - 1);
		if (!cg->slots[i].made)
			continue;
		for (int h = 0; h < H_MAX; h++) {
			if (!cg->dir[h][0])
				continue;
			slot_dir(cg, h, i, dir, sizeof dir);
			rmdir(dir);
		}
	}
	/* v2: back to where we came from, so the supervisor leaf can go too
	 * (refused if controllers are enabled there: the sweep of the next
	 * tutti removes it). */
	if (cg->mode == CG_V2) {
		char path[PATH_MAX + 32];

		snprintf(path, sizeof path, "%s/cgroup.procs", cg->own);
		write_str(path, "0");
	}
	undo(cg);
	free(cg);
}

int cgroup_fd_freeze(int fd, int kind, bool frozen)
{
	const char *v;
	ssize_t w;

	if (fd < 0 || kind == CG_FREEZE_NONE)
		return -ENOTSUP;
	if (kind == CG_FREEZE_V1)
		v = frozen ? "FROZEN" : "THAWED";
	else
		v = frozen ? "1" : "0";
	w = pwrite(fd, v, strlen(v), 0);
	return w < 0 ? -errno : 0;
}

uint64_t cgroup_fd_cpu_ns(int fd, int kind)
{
	char b[512];
	ssize_t r;

	if (fd < 0 || kind == CG_CPU_NONE)
		return 0;
	r = pread(fd, b, sizeof b - 1, 0);
	if (r <= 0)
		return 0;
	b[r] = '\0';
	if (kind == CG_CPU_V1)
		return strtoull(b, NULL, 10);
	{
		const char *p = strstr(b, "usage_usec ");

		return p ? strtoull(p + 11, NULL, 10) * 1000u : 0;
	}
}

uint64_t cgroup_fd_mem_peak(int fd, int kind)
{
	char b[32];
	ssize_t r;

	if (fd < 0 || kind == CG_MEM_NONE)
		return 0;
	r = pread(fd, b, sizeof b - 1, 0);
	if (r <= 0)
		return 0;
	b[r] = '\0';
	return strtoull(b, NULL, 10);
}

int cgroup_fd_mem_reset(int fd, int kind)
{
	ssize_t w;

	if (fd < 0 || kind == CG_MEM_NONE)
		return -ENOTSUP;
	/* v1: any write resets max_usage to the usage; v2: a non-empty
	 * string (refused with EINVAL before Linux 6.12). */
	w = pwrite(fd, "0", 1, 0);
	return w < 0 ? -errno : 0;
}
