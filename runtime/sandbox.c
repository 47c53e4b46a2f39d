/* The sandbox set-up sequence. Every step is numbered as in
 * sandbox_stages.def; the first failure is reported to the parent with its
 * stage and errno and the child exits. Ordering matters:
 *   - cgroups are joined first, so everything after is charged and limited;
 *   - the network namespace is joined before descriptors are closed (its fd
 *     is one of them);
 *   - the root is made read-only before pivot_root, so nothing outside
 *     /tmp is writable, and the host's tree is detached, so nothing of it
 *     (or of $TUTTI_HOME) stays reachable;
 *   - the seccomp filter goes on at the end of the generic steps (in a
 *     blank environment, ahead of time); the function-specific steps after
 *     it use only calls it admits: move_mount of the zygote's detached
 *     mounts, setns to the host network, setrlimit, and the switch to the
 *     sandbox user — all of which fail with EPERM for the function itself,
 *     which by then has no capabilities;
 *   - the switch to uid 65534 is last: it clears every capability. */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <ucontext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
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
#define X(id, text) [SANDBOX_STAGE_##id] = text,
#include "sandbox_stages.def"
#undef X
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

#define FAIL(st, detail) sandbox_fail(chan, SANDBOX_STAGE_##st, errno, detail)

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
			fprintf(stderr, "tutti-trace: step %d (%s) %llu us\n", prev + 1,
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

static void set_limit(int chan, int res, rlim_t v)
{
	struct rlimit rl = { v, v };

	if (setrlimit(res, &rl) < 0)
		FAIL(RLIMITS, "setrlimit");
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

static void make_env(const struct fn_config *c)
{
	char v[64];

	clearenv();
	for (size_t off = 0; off < c->env_len;) {
		const char *kv = c->env + off;

		putenv((char *)kv);
		off += strlen(kv) + 1;
	}
	setenv("PATH", "/opt/bin:/usr/bin:/bin", 1);
	setenv("LD_LIBRARY_PATH", "/opt/lib", 1);
	setenv("LAMBDA_TASK_ROOT", "/var/task", 1);
	setenv("TMPDIR", "/tmp", 1);
	setenv("HOME", "/tmp", 1);
	setenv("AWS_LAMBDA_FUNCTION_NAME", c->name, 1);
	setenv("AWS_LAMBDA_FUNCTION_VERSION", c->version, 1);
	snprintf(v, sizeof v, "%u", c->memory_mb);
	setenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", v, 1);
	setenv("TUTTI_FUNCTION_NAME", c->name, 1);
}

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

int sandbox_mounts_make(const struct fn_config *c, struct sandbox_mounts *m, char *what, size_t n)
{
	int fd;

	sandbox_mounts_init(m);
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
	}
	if (c->network) {
		for (int i = 0; i < SANDBOX_NET_FILES; i++) {
			struct stat st;

			if (stat(net_files[i].path, &st) || (S_ISDIR(st.st_mode) != net_files[i].dir))
				continue;
			fd = detached_ro(net_files[i].path, net_files[i].dir);
			if (fd >= 0)
				m->net[i] = fd;
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

/* The receiving side of sandbox_mounts_fds: the same order, decided by the
 * configuration (opt_dir set, network on) and by which fds came. Network
 * files the host lacks are simply absent, so they are matched by count:
 * the zygote sends them in net_files[] order and we attach them there
 * only if the counts agree (they always do: both ends are one binary and
 * one host). */
void sandbox_mounts_from_fds(struct sandbox_mounts *m, const struct fn_config *c, const int *fds, int n)
{
	int k = 0;

	sandbox_mounts_init(m);
	if (k < n)
		m->code = fds[k++];
	if (c->opt_dir[0] && k < n)
		m->opt = fds[k++];
	for (int i = 0; i < SANDBOX_NET_FILES && k < n; i++)
		m->net[i] = fds[k++];
}

void sandbox_prepare(const struct sandbox_base *b)
{
	int chan = b->report_fd;
	char p[4096 + 64];
	const char *r = b->root_dir;

	trace = getenv("TUTTI_TRACE_SANDBOX") != NULL;
	MARK(0);
	/* 1. Die with the zygote; a session and process group of our own, so
	 * kill(0, ...) reaches nothing else. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || setsid() < 0)
		FAIL(PDEATHSIG, NULL);

	MARK(1);
	/* 2. Join the slot's cgroups before allocating anything. */
	for (int i = 0; i < CGROUP_FDS; i++) {
		if (b->cg_fds[i] < 0)
			continue;
		if (write(b->cg_fds[i], "0", 1) < 0)
			FAIL(CGROUP, "cgroup.procs");
	}

	MARK(2);
	/* 3. No network by default: join the one empty namespace made by the
	 * zygote (functions with network on go back to the host's in step 17). */
	if (setns(b->netns_fd, CLONE_NEWNET) < 0)
		FAIL(NETNS, NULL);

	MARK(3);
	/* 4. Nothing of the zygote's but stdio and what we were told to keep. */
	for (int fd = 3; fd < 65536; fd++) {
		bool keep = fd == b->hostns_fd || fd == b->report_fd;
		int hi = 65535;

		for (int k = 0; k < SANDBOX_KEEP_MAX; k++)
			keep |= b->keep[k] == fd;
		if (keep)
			continue;
		/* close the run [fd, next kept fd) at once */
		if (b->hostns_fd > fd && b->hostns_fd - 1 < hi)
			hi = b->hostns_fd - 1;
		if (b->report_fd > fd && b->report_fd - 1 < hi)
			hi = b->report_fd - 1;
		for (int k = 0; k < SANDBOX_KEEP_MAX; k++)
			if (b->keep[k] > fd && b->keep[k] - 1 < hi)
				hi = b->keep[k] - 1;
		if (syscall(SYS_close_range, fd, hi == 65535 ? ~0U : (unsigned)hi, 0) < 0)
			FAIL(FDS_CLOSE, "close_range");
		if (hi == 65535)
			break;
		fd = hi;
	}

	MARK(4);
	/* 5. Our mounts stay ours. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		FAIL(MOUNT_PRIV, NULL);

	MARK(5);
	/* 6. The new root: a small tmpfs, read-only once populated. */
	/* (Not nodev: /dev's nodes live on it. It is read-only from step 10
	 * and mknod is not on the allowlist, so no other node can appear.) */
	if (mount("tutti", r, "tmpfs", MS_NOSUID, "size=64k,nr_inodes=64,mode=0755") < 0)
		FAIL(ROOT_TMPFS, r);

	MARK(6);
	/* 7. Its directories and the mount points of steps 18-20 (those for
	 * network files only when the function has network on). */
	static const char *const dirs[] = { "/var", "/var/task", "/opt", "/tmp", "/dev", "/etc" };
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if (mkdir_in(r, dirs[i]) < 0)
			FAIL(ROOT_DIRS, dirs[i]);
	if (mkfile(r, SANDBOX_CODE_PATH) < 0)
		FAIL(ROOT_DIRS, SANDBOX_CODE_PATH);
	for (int i = 0; b->net_mountpoints && i < SANDBOX_NET_FILES; i++)
		if ((net_files[i].dir ? mkdir_in(r, net_files[i].path) : mkfile(r, net_files[i].path)) < 0)
			FAIL(ROOT_DIRS, net_files[i].path);

	MARK(7);
	/* 8. /dev: null, zero, random, urandom and nothing else. */
	static const struct { const char *name; unsigned maj, min; } devs[] = {
		{ "null", 1, 3 }, { "zero", 1, 5 }, { "random", 1, 8 }, { "urandom", 1, 9 },
	};
	for (size_t i = 0; i < sizeof devs / sizeof devs[0]; i++) {
		snprintf(p, sizeof p, "%s/dev/%s", r, devs[i].name);
		if (mknod(p, S_IFCHR | 0666, makedev(devs[i].maj, devs[i].min)) < 0)
			FAIL(DEV, devs[i].name);
		if (chmod(p, 0666) < 0)
			FAIL(DEV, devs[i].name);
	}

	MARK(8);
	/* 9. A private, size-limited /tmp (blanks have the default size; a
	 * function with another size gets a fresh environment). */
	{
		char opts[64];
		unsigned mb = b->tmp_mb ? b->tmp_mb : FN_TMP_DEF_MB;

		snprintf(opts, sizeof opts, "size=%um,mode=1777", mb);
		snprintf(p, sizeof p, "%s/tmp", r);
		if (mount("tmp", p, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
			FAIL(TMP, opts);
	}

	MARK(9);
	/* 10. Nothing outside /tmp is writable. */
	if (mount(NULL, r, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID, NULL) < 0)
		FAIL(ROOT_RO, NULL);

	MARK(10);
	/* 11. Switch to the new root; the old one is detached, so nothing of the
	 * host (and of $TUTTI_HOME) stays reachable. */
	if (chdir(r) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 ||
	    chdir("/") < 0)
		FAIL(PIVOT, NULL);

	MARK(11);
	/* 12. Own host name (UTS namespace). */
	if (sethostname("tutti", 5) < 0)
		FAIL(UTS, NULL);

	MARK(12);
	/* 13. Capabilities: an empty bounding set and no ambient ones (we keep
	 * our effective set for steps 17-18 until step 21 clears it), and
	 * no_new_privs. */
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			FAIL(CAPBSET, "PR_CAPBSET_DROP");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		FAIL(CAPBSET, "PR_CAP_AMBIENT_CLEAR_ALL");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		FAIL(CAPBSET, "PR_SET_NO_NEW_PRIVS");

	MARK(13);
	/* 14. A forbidden call traps; the reporter names it to the parent. The
	 * filter keeps functions from replacing this handler. */
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_sigsys;
		sa.sa_flags = SA_SIGINFO;
		sigfillset(&sa.sa_mask);
		if (sigaction(SIGSYS, &sa, NULL) < 0)
			FAIL(SIGSYS, NULL);
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_fatal;
		sigfillset(&sa.sa_mask);
		for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
			if (sigaction(fatal_signals[i], &sa, NULL) < 0)
				FAIL(SIGSYS, "fatal signal reporters");
	}

	MARK(14);
	/* 15. The allowlist, compiled once by the zygote. */
	if (sysfilter_prog_install(b->filter) < 0)
		FAIL(SECCOMP, NULL);
}

static int attach(int fd, const char *where)
{
	return (int)syscall(SYS_move_mount, fd, "", AT_FDCWD, where, MOVE_MOUNT_F_EMPTY_PATH);
}

void sandbox_enter(const struct sandbox_base *b, const struct fn_config *c, int chan, int logfd,
		   struct sandbox_mounts *m)
{
	cap_t caps;

	MARK(15);
	/* 16. Descriptors: channel at SANDBOX_CHAN_FD (F_DUPFD: the filter
	 * keeps dup2 away from that number), log on 1 and 2. */
	if (fcntl(chan, F_DUPFD, SANDBOX_CHAN_FD) != SANDBOX_CHAN_FD)
		FAIL(FDS, "F_DUPFD channel");
	close(chan);
	chan = SANDBOX_CHAN_FD;
	if (dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0)
		FAIL(FDS, "dup2 stdio");
	if (logfd > 2)
		close(logfd);

	MARK(16);
	/* 17. Network on: back to the host's namespace. */
	if (c->network && setns(b->hostns_fd, CLONE_NEWNET) < 0)
		FAIL(HOSTNET, NULL);
	if (b->hostns_fd >= 0)
		close(b->hostns_fd);

	MARK(17);
	/* 18. The code, read-only. */
	if (attach(m->code, SANDBOX_CODE_PATH) < 0)
		FAIL(BIND_CODE, c->code_path);

	MARK(18);
	/* 19. Layers at /opt, read-only. */
	if (m->opt >= 0 && attach(m->opt, "/opt") < 0)
		FAIL(BIND_OPT, c->opt_dir);

	MARK(19);
	/* 20. With network: name resolution and CA certificates, read-only. */
	for (int i = 0; i < SANDBOX_NET_FILES; i++)
		if (m->net[i] >= 0 && attach(m->net[i], net_files[i].path) < 0)
			FAIL(NET_FILES, net_files[i].path);
	sandbox_mounts_close(m);

	MARK(20);
	/* 21. Resource limits. Memory is the cgroup's job; RLIMIT_AS is a
	 * backstop, or the limit itself where cgroups are unusable. */
	{
		uint64_t mem = (uint64_t)c->memory_mb << 20;
		rlim_t as = b->cgroup_ok ? (rlim_t)(mem + (4ULL << 30)) : (rlim_t)(mem + b->base_vm);

#ifndef __SANITIZE_ADDRESS__
		/* (AddressSanitizer builds reserve terabytes of shadow memory.) */
		set_limit(chan, RLIMIT_AS, as);
#else
		(void)as;
#endif
		set_limit(chan, RLIMIT_NOFILE, SANDBOX_NOFILE);
		set_limit(chan, RLIMIT_FSIZE, (rlim_t)(c->tmp_mb ? c->tmp_mb : FN_TMP_DEF_MB) << 20);
		set_limit(chan, RLIMIT_CORE, 0);
		set_limit(chan, RLIMIT_NPROC, 4096);
		set_limit(chan, RLIMIT_MEMLOCK, 0);
		set_limit(chan, RLIMIT_MSGQUEUE, 0);
	}
	make_env(c);

	MARK(21);
	/* 22. The sandbox user: leaving uid 0 clears the permitted and
	 * effective capability sets (no SECBIT_KEEP_CAPS), and the bounding
	 * set is empty since step 13, so nothing can come back. */
	if (setgroups(0, NULL) < 0 || setresgid(SANDBOX_GID, SANDBOX_GID, SANDBOX_GID) < 0 ||
	    setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID) < 0)
		FAIL(IDS, NULL);
	caps = cap_init();
	if (!caps || cap_set_proc(caps) < 0)
		FAIL(IDS, "cap_set_proc");
	cap_free(caps);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		FAIL(IDS, "PR_SET_DUMPABLE");
}
