/* The sandbox set-up sequence. Every step is numbered as in
 * sandbox_stages.def; the first failure is reported to the parent with its
 * stage and errno and the child exits. Ordering matters:
 *   - cgroups are joined first, so everything after is charged and limited;
 *   - the network namespace is joined before descriptors are closed (its fd
 *     is one of them);
 *   - mounts are made before privileges are dropped, and the root is made
 *     read-only before pivot_root so nothing outside /tmp is writable;
 *   - no_new_privs precedes seccomp (required for an unprivileged filter)
 *     and seccomp comes last, so the set-up itself may use any call. */
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
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

static int touch(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, mode);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* Bind `src` at `dst` read-only, nosuid, nodev (a bind mount ignores flags
 * on creation, hence the remount). */
static int bind_ro(const char *src, const char *dst)
{
	if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -1;
	return mount(NULL, dst, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL);
}

static void set_limit(int chan, int res, rlim_t v)
{
	struct rlimit rl = { v, v };

	if (setrlimit(res, &rl) < 0)
		FAIL(RLIMITS, "setrlimit");
}

/* Runs on a trapped syscall: one frame naming it, then exit. Only
 * async-signal-safe calls (write, _exit), both on the allowlist. */
static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	struct {
		struct proto_hdr h;
		int32_t nr;
	} msg = { { PROTO_VIOLATION, sizeof(int32_t) }, si->si_syscall };

	(void)sig;
	(void)uc;
	if (write(SANDBOX_CHAN_FD, &msg, sizeof msg) < 0) {
		/* the parent sees the exit status instead */
	}
	_exit(128 + SIGSYS);
}

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

void sandbox_prepare(const struct sandbox_base *b)
{
	int chan = b->report_fd;
	char p[4096 + 64];
	const char *r = b->root_dir;

	/* 1. Die with the zygote. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		FAIL(PDEATHSIG, NULL);

	/* 2. Join the slot's cgroups before allocating anything. */
	for (int i = 0; i < CGROUP_FDS; i++) {
		if (b->cg_fds[i] < 0)
			continue;
		if (write(b->cg_fds[i], "0", 1) < 0)
			FAIL(CGROUP, "cgroup.procs");
	}

	/* 3. No network by default: join the one empty namespace made by the
	 * zygote (functions with network on go back to the host's in step 9). */
	if (setns(b->netns_fd, CLONE_NEWNET) < 0)
		FAIL(NETNS, NULL);

	/* 4. Our mounts stay ours. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		FAIL(MOUNT_PRIV, NULL);

	/* 5. The new root: a small tmpfs, read-only once populated. */
	if (mount("tutti", r, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,nr_inodes=64,mode=0755") < 0)
		FAIL(ROOT_TMPFS, r);

	/* 6. Its directories. */
	static const char *const dirs[] = { "var", "var/task", "opt", "tmp", "dev", "etc" };
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", r, dirs[i]);
		if (mkdir(p, 0755) < 0)
			FAIL(ROOT_DIRS, dirs[i]);
	}
	snprintf(p, sizeof p, "%s%s", r, SANDBOX_CODE_PATH);
	if (touch(p, 0644) < 0)
		FAIL(ROOT_DIRS, SANDBOX_CODE_PATH);

	/* 7. /dev: null, zero, random, urandom and nothing else. */
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

	/* 8. A private, size-limited /tmp (default size; step 13 resizes). */
	{
		char opts[64];

		snprintf(opts, sizeof opts, "size=%um,mode=1777", FN_TMP_DEF_MB);
		snprintf(p, sizeof p, "%s/tmp", r);
		if (mount("tmp", p, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
			FAIL(TMP, opts);
	}
}

void sandbox_enter(const struct sandbox_base *b, const struct fn_config *c, int chan, int logfd)
{
	int devnull;
	char p[4096 + 64];
	const char *r = b->root_dir;
	cap_t caps;

	/* 9. Network on: back to the host's namespace. */
	if (c->network && setns(b->hostns_fd, CLONE_NEWNET) < 0)
		FAIL(HOSTNET, NULL);

	/* 10. Descriptors: channel at SANDBOX_CHAN_FD, log on 1 and 2, stdin
	 * /dev/null, nothing else. */
	if (dup2(chan, SANDBOX_CHAN_FD) < 0)
		FAIL(FDS, "dup2 channel");
	chan = SANDBOX_CHAN_FD;
	devnull = open("/dev/null", O_RDONLY);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0)
		FAIL(FDS, "dup2 stdio");
	if (syscall(SYS_close_range, 3, SANDBOX_CHAN_FD - 1, 0) < 0 ||
	    syscall(SYS_close_range, SANDBOX_CHAN_FD + 1, ~0U, 0) < 0)
		FAIL(FDS, "close_range");
	if (fcntl(chan, F_SETFD, 0) < 0)
		FAIL(FDS, "fcntl channel");

	/* 11. The code, read-only. */
	snprintf(p, sizeof p, "%s%s", r, SANDBOX_CODE_PATH);
	if (bind_ro(c->code_path, p) < 0)
		FAIL(BIND_CODE, c->code_path);

	/* 12. Layers at /opt, read-only. */
	if (c->opt_dir[0]) {
		snprintf(p, sizeof p, "%s/opt", r);
		if (bind_ro(c->opt_dir, p) < 0)
			FAIL(BIND_OPT, c->opt_dir);
	}

	/* 13. /tmp at the function's size. */
	if (c->tmp_mb && c->tmp_mb != FN_TMP_DEF_MB) {
		char opts[64];

		snprintf(opts, sizeof opts, "size=%um,mode=1777", c->tmp_mb);
		snprintf(p, sizeof p, "%s/tmp", r);
		if (mount(NULL, p, NULL, MS_REMOUNT | MS_NOSUID | MS_NODEV, opts) < 0)
			FAIL(TMP_SIZE, opts);
	}

	/* 14. With network: name resolution and CA certificates, read-only. */
	if (c->network) {
		static const char *const files[] = { "/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf" };
		static const char *const certdirs[] = { "/etc/ssl", "/usr/share/ca-certificates" };

		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
			if (access(files[i], R_OK))
				continue;
			snprintf(p, sizeof p, "%s%s", r, files[i]);
			if (touch(p, 0644) < 0 || bind_ro(files[i], p) < 0)
				FAIL(NET_FILES, files[i]);
		}
		for (size_t i = 0; i < sizeof certdirs / sizeof certdirs[0]; i++) {
			struct stat st;

			if (stat(certdirs[i], &st) || !S_ISDIR(st.st_mode))
				continue;
			snprintf(p, sizeof p, "%s/usr", r);
			mkdir(p, 0755);
			snprintf(p, sizeof p, "%s/usr/share", r);
			mkdir(p, 0755);
			snprintf(p, sizeof p, "%s%s", r, certdirs[i]);
			if (mkdir(p, 0755) < 0 || bind_ro(certdirs[i], p) < 0)
				FAIL(NET_FILES, certdirs[i]);
		}
	}

	/* 15. Nothing outside /tmp is writable. */
	if (mount(NULL, r, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) < 0)
		FAIL(ROOT_RO, NULL);

	/* 16. Switch to the new root; the old one is detached, so nothing of the
	 * host (and of $TUTTI_HOME) stays reachable. */
	if (chdir(r) < 0 || syscall(SYS_pivot_root, ".", ".") < 0 || umount2(".", MNT_DETACH) < 0 ||
	    chdir("/") < 0)
		FAIL(PIVOT, NULL);

	/* 17. Own host name (UTS namespace). */
	if (sethostname("tutti", 5) < 0)
		FAIL(UTS, NULL);

	/* 18. Resource limits. Memory is the cgroup's job; RLIMIT_AS is a
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

	/* 19. No privilege can be gained from here on (also required by an
	 * unprivileged seccomp filter). */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		FAIL(NO_NEW_PRIVS, NULL);

	/* 20. Capabilities: empty bounding set (while we still have
	 * CAP_SETPCAP), then no ambient/inheritable either. */
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			FAIL(CAPS, "PR_CAPBSET_DROP");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		FAIL(CAPS, "PR_CAP_AMBIENT_CLEAR_ALL");

	/* 21. The sandbox user; leaving uid 0 clears permitted/effective. */
	if (setgroups(0, NULL) < 0 || setresgid(SANDBOX_GID, SANDBOX_GID, SANDBOX_GID) < 0 ||
	    setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID) < 0)
		FAIL(IDS, NULL);
	caps = cap_init();
	if (!caps || cap_set_proc(caps) < 0)
		FAIL(CAPS, "cap_set_proc");
	cap_free(caps);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		FAIL(CAPS, "PR_SET_DUMPABLE");

	/* 22. A forbidden call traps; the reporter names it to the parent. The
	 * filter keeps functions from replacing this handler. */
	{
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_sigsys;
		sa.sa_flags = SA_SIGINFO;
		sigfillset(&sa.sa_mask);
		if (sigaction(SIGSYS, &sa, NULL) < 0)
			FAIL(SIGSYS, NULL);
	}

	/* 23. The allowlist, compiled once by the zygote. */
	if (sysfilter_prog_install(b->filter) < 0)
		FAIL(SECCOMP, NULL);
}
