/* The sandbox set-up sequence: one function per step of
 * sandbox_stages.def, run in order by run_steps, which reports the first
 * failure by the step's name and errno and exits. Ordering matters:
 *   - cgroups are joined first, so everything after is charged and limited;
 *   - the network namespace is joined before descriptors are closed (its fd
 *     is one of them);
 *   - the root is made read-only before pivot_root, so nothing outside
 *     /tmp is writable, and the host's tree is detached, so nothing of it
 *     (or of $TUTTI_HOME) stays reachable;
 *   - the seccomp filter goes on at the end of the generic steps (in a
 *     blank environment, ahead of time); the steps after it use only calls
 *     it admits: move_mount of tutti's detached mounts, setns to the host
 *     network, setrlimit, and the switch to the sandbox user — all of which
 *     fail with EPERM for the function itself, which by then has no
 *     capabilities;
 *   - the switch to uid 65534 clears every capability, and the parent-death
 *     signal with them: REARM sets it again and checks the zygote is still
 *     there.
 * libc only (this file is part of the zygote program). */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <ucontext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "proto.h"
#include <time.h>

static const char *const stage_names[] = {
#define SETUP(id, fn, text) [SANDBOX_STAGE_##id] = text,
#define LATER(id, text) [SANDBOX_STAGE_##id] = text,
#include "sandbox_stages.def"
#undef SETUP
#undef LATER
};

const char *sandbox_stage_to_string(int stage)
{
	if (stage < 0 || stage >= SANDBOX_STAGE__COUNT)
		return "unknown stage";
	return stage_names[stage];
}

void sandbox_fail(int fd, int stage, int err, const char *detail)
{
	int32_t v[2] = { stage, err };

	proto_send(fd, PROTO_SETUP_ERROR, v, sizeof v, detail, detail ? strlen(detail) : 0, NULL, 0);
	_exit(127);
}

/* TUTTI_TRACE_SANDBOX=1 (in the zygote's environment): each environment
 * prints how long every step took into its log, for cold-start tuning. */
static bool trace;
static uint64_t marks[SANDBOX_STAGE__COUNT + 2];

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define MARK(i) (trace ? (void)(marks[i] = mono_ns()) : (void)0)

void sandbox_trace_mark(int stage)
{
	if (stage >= 0 && stage <= SANDBOX_STAGE__COUNT + 1)
		MARK(stage);
}

void sandbox_trace_print(void)
{
	int prev = -1;

	if (!trace)
		return;
	/* Each line: a step and the time until the next mark. */
	for (int i = 0; i <= SANDBOX_STAGE__COUNT + 1; i++) {
		if (!marks[i])
			continue;
		if (prev >= 0)
			fprintf(stderr, "tutti-trace: %s: %llu us\n",
				prev < SANDBOX_STAGE__COUNT ? sandbox_stage_to_string(prev) : "init",
				(unsigned long long)(marks[i] - marks[prev]) / 1000u);
		prev = i;
	}
	fflush(stderr);
}

static int touch(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, mode);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* Runs on a trapped syscall: one frame naming it, then exit. Only
 * async-signal-safe calls (write, _exit), both on the allowlist. */
static void report_and_exit(uint32_t type, int32_t value, int code)
{
	struct {
		struct proto_hdr h;
		int32_t v;
	} msg = { { type, sizeof(int32_t), proto_seq() }, value };

	if (write(SANDBOX_CHAN_FD, &msg, sizeof msg) < 0) {
		/* the parent sees the exit status instead */
	}
	_exit(code);
}

/* The trapped call's first three arguments, from the saved registers. */
static void trapped_args(void *ucv, long a[3])
{
	ucontext_t *uc = ucv;

#if defined(__x86_64__)
	a[0] = (long)uc->uc_mcontext.gregs[REG_RDI];
	a[1] = (long)uc->uc_mcontext.gregs[REG_RSI];
	a[2] = (long)uc->uc_mcontext.gregs[REG_RDX];
#elif defined(__aarch64__)
	a[0] = (long)uc->uc_mcontext.regs[0];
	a[1] = (long)uc->uc_mcontext.regs[1];
	a[2] = (long)uc->uc_mcontext.regs[2];
#else
	(void)uc;
	a[0] = a[1] = a[2] = -1;
#endif
}

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	long a[3];
	int nr = si->si_syscall;

	(void)sig;
	/* SIGKILL sent to itself (see sysfilter.c) is a death, not a
	 * violation; to anyone else it is a violation. */
	trapped_args(uc, a);
	if ((nr == SYS_kill && (int)a[0] >= 0 && (int)a[0] <= 1 && (int)a[1] == SIGKILL) ||
	    (nr == SYS_tgkill && (int)a[0] == 1 && (int)a[2] == SIGKILL) ||
	    (nr == SYS_tkill && (int)a[1] == SIGKILL))
		report_and_exit(PROTO_SIGNAL, SIGKILL, 128 + SIGKILL);
	report_and_exit(PROTO_VIOLATION, nr, 128 + SIGSYS);
}

/* Signals whose default action ends a process, which the kernel drops when
 * they reach pid 1 of a namespace by default disposition: the environment
 * is that pid 1, so it reports them and exits as a process would die. A
 * function may still install its own handlers for them. */
static void on_fatal(int sig)
{
	report_and_exit(PROTO_SIGNAL, sig, 128 + sig);
}

static const int fatal_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGABRT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM,
	SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGIO, SIGPWR, SIGTRAP,
};

static int mkfile(const char *root, const char *path)
{
	char p[4096 + 64];

	snprintf(p, sizeof p, "%s%s", root, path);
	return touch(p, 0644);
}

/* mkdir -p inside the new root. */
static int mkdir_in(const char *root, const char *path)
{
	char p[4096 + 64];
	size_t n = strlen(root);

	snprintf(p, sizeof p, "%s%s", root, path);
	for (char *q = p + n + 1; *q; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return -1;
		*q = '/';
	}
	return mkdir(p, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* Where the network files go, in the order of sandbox_mounts.net[]. */
static const struct {
	const char *path;
	bool dir;
} net_files[SANDBOX_NET_FILES] = {
	{ "/etc/resolv.conf", false },
	{ "/etc/hosts", false },
	{ "/etc/nsswitch.conf", false },
	{ "/etc/ssl", true },
	{ "/usr/share/ca-certificates", true },
};

void sandbox_mounts_init(struct sandbox_mounts *m)
{
	m->code = m->opt = -1;
	for (int i = 0; i < SANDBOX_NET_FILES; i++)
		m->net[i] = -1;
}

void sandbox_mounts_close(struct sandbox_mounts *m)
{
	if (m->code >= 0)
		close(m->code);
	if (m->opt >= 0)
		close(m->opt);
	for (int i = 0; i < SANDBOX_NET_FILES; i++)
		if (m->net[i] >= 0)
			close(m->net[i]);
	sandbox_mounts_init(m);
}

/* A detached, read-only, nosuid, nodev copy of `path`. */
static int detached_ro(const char *path, bool recursive)
{
	struct mount_attr attr = {
		.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
	};
	int fd = (int)syscall(SYS_open_tree, AT_FDCWD, path,
			      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));

	if (fd < 0)
		return -errno;
	if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
		    sizeof attr) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

int sandbox_mounts_make(const struct fn_config *c, struct sandbox_mounts *m, struct sandbox_limits *lim,
			char *what, size_t n)
{
	int fd;

	sandbox_mounts_init(m);
	lim->has_opt = 0;
	lim->net_mask = 0;
	fd = detached_ro(c->code_path, false);
	if (fd < 0) {
		snprintf(what, n, "%s", c->code_path);
		return fd;
	}
	m->code = fd;
	if (c->opt_dir[0]) {
		fd = detached_ro(c->opt_dir, true);
		if (fd < 0) {
			snprintf(what, n, "%s", c->opt_dir);
			sandbox_mounts_close(m);
			return fd;
		}
		m->opt = fd;
		lim->has_opt = 1;
	}
	if (c->network) {
		for (int i = 0; i < SANDBOX_NET_FILES; i++) {
			struct stat st;

			if (stat(net_files[i].path, &st) || (S_ISDIR(st.st_mode) != net_files[i].dir))
				continue;
			fd = detached_ro(net_files[i].path, net_files[i].dir);
			if (fd >= 0) {
				m->net[i] = fd;
				lim->net_mask |= (uint8_t)(1u << i);
			}
		}
	}
	return 0;
}

int sandbox_mounts_fds(const struct sandbox_mounts *m, int *fds, int max)
{
	int n = 0;

	if (n < max)
		fds[n++] = m->code;
	if (m->opt >= 0 && n < max)
		fds[n++] = m->opt;
	for (int i = 0; i < SANDBOX_NET_FILES && n < max; i++)
		if (m->net[i] >= 0)
			fds[n++] = m->net[i];
	return n;
}

/* The receiving side of sandbox_mounts_fds: the same order, as the limits
 * say which mounts came. */
void sandbox_mounts_from_fds(struct sandbox_mounts *m, const struct sandbox_limits *lim, const int *fds, int n)
{
	int k = 0;

	sandbox_mounts_init(m);
	if (k < n)
		m->code = fds[k++];
	if (lim->has_opt && k < n)
		m->opt = fds[k++];
	for (int i = 0; i < SANDBOX_NET_FILES && k < n; i++)
		if (lim->net_mask & (1u << i))
			m->net[i] = fds[k++];
}

/* ---- the filter, as tutti exported it -------------------------------------- */

int sandbox_filter_load(int fd, struct sandbox_filter *f)
{
	uint32_t n, len;
	off_t off = 0;

	memset(f, 0, sizeof *f);
	if (pread(fd, &n, sizeof n, off) != sizeof n || n == 0 || n > SANDBOX_FILTERS)
		return -EINVAL;
	off += sizeof n;
	for (uint32_t i = 0; i < n; i++) {
		size_t bytes;

		if (pread(fd, &len, sizeof len, off) != sizeof len || len == 0 || len > SANDBOX_FILTER_MAX)
			goto bad;
		off += sizeof len;
		bytes = (size_t)len * sizeof(struct sock_filter);
		f->prog[i].filter = malloc(bytes);
		if (!f->prog[i].filter || pread(fd, f->prog[i].filter, bytes, off) != (ssize_t)bytes)
			goto bad;
		f->prog[i].len = (unsigned short)len;
		f->n = i + 1;
		off += (off_t)bytes;
	}
	return 0;
bad:
	for (unsigned i = 0; i < SANDBOX_FILTERS; i++)
		free(f->prog[i].filter);
	memset(f, 0, sizeof *f);
	return -EINVAL;
}

/* ---- the steps ------------------------------------------------------------ */

/* What the steps work on. A step returns 0, or -1 with errno set (and
 * optionally `detail`). */
struct sb {
	const struct sandbox_base *b;
	const struct sandbox_limits *lim;   /* sandbox_enter only */
	int report;                         /* where a failure goes */
	int chan, logfd;
	struct sandbox_mounts *m;
	const char *detail;
	char buf[4096 + 64];
};

static int step_pdeathsig(struct sb *s)
{
	/* Die with the zygote; a session and process group of our own, so
	 * kill(0, ...) reaches nothing else. */
	(void)s;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || setsid() < 0)
		return -1;
	return 0;
}

static int step_cgroup(struct sb *s)
{
	/* Before allocating anything. */
	for (int i = 0; i < CGROUP_FDS; i++) {
		if (s->b->cg_fds[i] < 0)
			continue;
		if (write(s->b->cg_fds[i], "0", 1) < 0) {
			s->detail = "cgroup.procs";
			return -1;
		}
	}
	return 0;
}

static int step_netns(struct sb *s)
{
	/* No network by default: the one empty namespace (functions with
	 * network on go back to the host's in HOSTNET). */
	return setns(s->b->netns_fd, CLONE_NEWNET);
}

static bool kept(const struct sandbox_base *b, int fd)
{
	if (fd == b->hostns_fd || fd == b->report_fd || fd == b->life_fd)
		return true;
	for (int k = 0; k < SANDBOX_KEEP_MAX; k++)
		if (b->keep[k] == fd)
			return true;
	return false;
}

static int step_fds_close(struct sb *s)
{
	/* Nothing of the zygote's but stdio and what we were told to keep:
	 * close each run [fd, next kept fd) at once. */
	const struct sandbox_base *b = s->b;
	int extra[3] = { b->hostns_fd, b->report_fd, b->life_fd };

	for (int fd = 3; fd < 65536; fd++) {
		int hi = 65535;

		if (kept(b, fd))
			continue;
		for (int k = 0; k < 3; k++)
			if (extra[k] > fd && extra[k] - 1 < hi)
				hi = extra[k] - 1;
		for (int k = 0; k < SANDBOX_KEEP_MAX; k++)
			if (b->keep[k] > fd && b->keep[k] - 1 < hi)
				hi = b->keep[k] - 1;
		if (syscall(SYS_close_range, fd, hi == 65535 ? ~0U : (unsigned)hi, 0) < 0) {
			s->detail = "close_range";
			return -1;
		}
		if (hi == 65535)
			break;
		fd = hi;
	}
	return 0;
}

static int step_mount_priv(struct sb *s)
{
	/* Our mounts stay ours. */
	(void)s;
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
}

static int step_root_tmpfs(struct sb *s)
{
	/* A small tmpfs, read-only once populated. (Not nodev: /dev's nodes
	 * live on it. It is read-only from ROOT_RO on and mknod is not on the
	 * allowlist, so no other node can appear.) */
	s->detail = s->b->root_dir;
	return mount("tutti", s->b->root_dir, "tmpfs", MS_NOSUID, "size=64k,nr_inodes=64,mode=0755");
}

static int step_root_dirs(struct sb *s)
{
	/* Its directories and the mount points of BIND_CODE, BIND_OPT and
	 * NET_FILES (those for network files only with network on). */
	static const char *const dirs[] = { "/var", "/var/task", "/opt", "/tmp", "/dev", "/etc" };
	const char *r = s->b->root_dir;

	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (mkdir_in(r, dirs[i]) < 0) {
			s->detail = dirs[i];
			return -1;
		}
	if (mkfile(r, SANDBOX_CODE_PATH) < 0) {
		s->detail = SANDBOX_CODE_PATH;
		return -1;
	}
	for (int i = 0; s->b->net_mountpoints && i < SANDBOX_NET_FILES; i++)
		if ((net_files[i].dir ? mkdir_in(r, net_files[i].path) : mkfile(r, net_files[i].path)) < 0) {
			s->detail = net_files[i].path;
			return -1;
		}
	return 0;
}

static int step_dev(struct sb *s)
{
	/* null, zero, random, urandom and nothing else. */
	static const struct { const char *name; unsigned maj, min; } devs[] = {
		{ "null", 1, 3 }, { "zero", 1, 5 }, { "random", 1, 8 }, { "urandom", 1, 9 },
	};

	for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++) {
		snprintf(s->buf, sizeof s->buf, "%s/dev/%s", s->b->root_dir, devs[i].name);
		s->detail = devs[i].name;
		if (mknod(s->buf, S_IFCHR | 0666, makedev(devs[i].maj, devs[i].min)) < 0 || chmod(s->buf, 0666) < 0)
			return -1;
	}
	return 0;
}

static int step_tmp(struct sb *s)
{
	/* A private, size-limited /tmp (blanks have the default size; a
	 * function with another size gets a fresh environment). */
	char opts[64];
	unsigned mb = s->b->tmp_mb ? s->b->tmp_mb : FN_TMP_DEF_MB;

	snprintf(opts, sizeof opts, "size=%um,mode=1777", mb);
	snprintf(s->buf, sizeof s->buf, "%s/tmp", s->b->root_dir);
	s->detail = "tmpfs";
	return mount("tmp", s->buf, "tmpfs", MS_NOSUID | MS_NODEV, opts);
}

static int step_root_ro(struct sb *s)
{
	/* Nothing outside /tmp is writable. */
	return mount(NULL, s->b->root_dir, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID, NULL);
}

static int step_pivot(struct sb *s)
{
	/* The old root is detached: nothing of the host (and of $TUTTI_HOME)
	 * stays reachable. */
	if (chdir(s->b->root_dir) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 ||
	    chdir("/") < 0)
		return -1;
	return 0;
}

static int step_uts(struct sb *s)
{
	(void)s;
	return sethostname("tutti", 5);
}

static int step_capbset(struct sb *s)
{
	/* An empty bounding set and no ambient capabilities (the effective
	 * set stays for HOSTNET and BIND_* until IDS clears it), and
	 * no_new_privs. */
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
			s->detail = "PR_CAPBSET_DROP";
			return -1;
		}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
		s->detail = "PR_CAP_AMBIENT_CLEAR_ALL";
		return -1;
	}
	s->detail = "PR_SET_NO_NEW_PRIVS";
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ? -1 : 0;
}

static int step_sigsys(struct sb *s)
{
	/* A forbidden call traps; the reporter names it to the parent. The
	 * filter keeps functions from replacing this handler. */
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	sigfillset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal;
	sigfillset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		if (sigaction(fatal_signals[i], &sa, NULL) < 0) {
			s->detail = "fatal signal reporters";
			return -1;
		}
	return 0;
}

static int step_seccomp(struct sb *s)
{
	/* The allowlist, compiled once by tutti; the programs stack. (prctl:
	 * the allowlist admits it, not seccomp(), and the second program goes
	 * on under the first.) */
	const struct sandbox_filter *f = s->b->filter;

	if (!f || !f->n) {
		errno = EINVAL;
		return -1;
	}
	for (unsigned i = 0; i < f->n; i++)
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &f->prog[i], 0, 0) < 0)
			return -1;
	return 0;
}

static int step_fds(struct sb *s)
{
	/* The channel at SANDBOX_CHAN_FD (F_DUPFD: the filter keeps dup2 away
	 * from that number), the log on 1 and 2. */
	if (fcntl(s->chan, F_DUPFD, SANDBOX_CHAN_FD) != SANDBOX_CHAN_FD) {
		s->detail = "F_DUPFD channel";
		return -1;
	}
	close(s->chan);
	s->chan = s->report = SANDBOX_CHAN_FD;
	if (dup2(s->logfd, 1) < 0 || dup2(s->logfd, 2) < 0) {
		s->detail = "dup2 stdio";
		return -1;
	}
	if (s->logfd > 2)
		close(s->logfd);
	return 0;
}

static int step_hostnet(struct sb *s)
{
	/* Network on: back to the host's namespace. */
	if (s->lim->network && setns(s->b->hostns_fd, CLONE_NEWNET) < 0)
		return -1;
	if (s->b->hostns_fd >= 0)
		close(s->b->hostns_fd);
	return 0;
}

static int attach(int fd, const char *where)
{
	return (int)syscall(SYS_move_mount, fd, "", AT_FDCWD, where, MOVE_MOUNT_F_EMPTY_PATH);
}

static int step_bind_code(struct sb *s)
{
	s->detail = SANDBOX_CODE_PATH;
	return attach(s->m->code, SANDBOX_CODE_PATH);
}

static int step_bind_opt(struct sb *s)
{
	s->detail = "/opt";
	return s->m->opt >= 0 ? attach(s->m->opt, "/opt") : 0;
}

static int step_net_files(struct sb *s)
{
	/* With network: name resolution and CA certificates, read-only. */
	for (int i = 0; i < SANDBOX_NET_FILES; i++)
		if (s->m->net[i] >= 0 && attach(s->m->net[i], net_files[i].path) < 0) {
			s->detail = net_files[i].path;
			return -1;
		}
	sandbox_mounts_close(s->m);
	return 0;
}

static int set_limit(struct sb *s, int res, rlim_t v, const char *name)
{
	struct rlimit rl = { v, v };

	s->detail = name;
	return setrlimit(res, &rl);
}

static int step_rlimits(struct sb *s)
{
	/* Memory is the cgroup's job; RLIMIT_AS is a backstop, or the limit
	 * itself where the memory cgroup is unusable. */
	uint64_t mem = (uint64_t)s->lim->memory_mb << 20;
	rlim_t as = s->b->cgroup_ok ? (rlim_t)(mem + (4ULL << 30)) : (rlim_t)(mem + s->b->base_vm);
	unsigned tmp = s->lim->tmp_mb ? s->lim->tmp_mb : FN_TMP_DEF_MB;

#ifndef __SANITIZE_ADDRESS__
	/* (AddressSanitizer builds reserve terabytes of shadow memory.) */
	if (set_limit(s, RLIMIT_AS, as, "RLIMIT_AS"))
		return -1;
#else
	(void)as;
#endif
	if (set_limit(s, RLIMIT_NOFILE, SANDBOX_NOFILE, "RLIMIT_NOFILE") ||
	    set_limit(s, RLIMIT_FSIZE, (rlim_t)tmp << 20, "RLIMIT_FSIZE") ||
	    set_limit(s, RLIMIT_CORE, 0, "RLIMIT_CORE") || set_limit(s, RLIMIT_NPROC, 4096, "RLIMIT_NPROC") ||
	    set_limit(s, RLIMIT_MEMLOCK, 0, "RLIMIT_MEMLOCK") || set_limit(s, RLIMIT_MSGQUEUE, 0, "RLIMIT_MSGQUEUE"))
		return -1;
	return 0;
}

static int step_ids(struct sb *s)
{
	/* Leaving uid 0 clears the permitted and effective capability sets
	 * (no SECBIT_KEEP_CAPS), and the bounding set is empty since CAPBSET,
	 * so nothing can come back; capset to nothing says so once more. */
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (setgroups(0, NULL) < 0 || setresgid(SANDBOX_GID, SANDBOX_GID, SANDBOX_GID) < 0 ||
	    setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID) < 0)
		return -1;
	memset(data, 0, sizeof data);
	s->detail = "capset";
	if (syscall(SYS_capset, &hdr, data) < 0)
		return -1;
	s->detail = "PR_SET_DUMPABLE";
	return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

static int step_rearm(struct sb *s)
{
	/* The credential change of IDS cleared the parent-death signal: set it
	 * again, then check the zygote did not die in between (its end of the
	 * life pipe would be closed: POLLHUP). */
	struct pollfd pf = { s->b->life_fd, POLLIN, 0 };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		return -1;
	if (s->b->life_fd >= 0) {
		if (poll(&pf, 1, 0) < 0)
			return -1;
		if (pf.revents & (POLLHUP | POLLERR))
			_exit(0);
		close(s->b->life_fd);
	}
	return 0;
}

static const struct {
	int (*fn)(struct sb *);
} steps[] = {
#define SETUP(id, fn, text) [SANDBOX_STAGE_##id] = { step_##fn },
#define LATER(id, text) [SANDBOX_STAGE_##id] = { NULL },
#include "sandbox_stages.def"
#undef SETUP
#undef LATER
};

/* Run the steps from `first` through `last` in order; the first failure is
 * reported by its name and errno, and the process exits. */
static void run_steps(struct sb *s, int first, int last)
{
	for (int i = first; i <= last; i++) {
		MARK(i);
		s->detail = NULL;
		errno = 0;
		if (steps[i].fn && steps[i].fn(s) < 0)
			sandbox_fail(s->report, i, errno ? errno : EIO, s->detail);
	}
}

void sandbox_prepare(const struct sandbox_base *b)
{
	static struct sb s;

	trace = getenv("TUTTI_TRACE_SANDBOX") != NULL;
	memset(&s, 0, sizeof s);
	s.b = b;
	s.report = b->report_fd;
	s.chan = s.logfd = -1;
	run_steps(&s, SANDBOX_STAGE_PDEATHSIG, SANDBOX_STAGE_SECCOMP);
}

void sandbox_enter(const struct sandbox_base *b, const struct sandbox_limits *lim, int chan, int logfd,
		   struct sandbox_mounts *m)
{
	static struct sb s;

	memset(&s, 0, sizeof s);
	s.b = b;
	s.lim = lim;
	s.report = chan;
	s.chan = chan;
	s.logfd = logfd;
	s.m = m;
	run_steps(&s, SANDBOX_STAGE_FDS, SANDBOX_STAGE_REARM);
}
