/* tutti-zygote — the small program tutti fork+execs to make execution
 * environments (runtime/zygote.c starts it; protocol in
 * runtime/zygote_proto.h).
 *
 * Linked against glibc only (libc, libm) and started with a clean
 * environment, so an environment inherits nothing of tutti: not its memory (other functions'
 * variables, an execution's input), not its libraries (jansson,
 * libcrypto, libseccomp...). It never sees a function's configuration or
 * payload either: per environment it gets the limits (memory, /tmp size,
 * network on/off) and descriptors (the channel, the log pipe, detached
 * mounts of the code and layers); the environment then reads its
 * configuration from tutti on its channel. The SDK (tt_*) is exported from
 * this binary for the functions it loads.
 *
 * Single-threaded. It dies with tutti (PR_SET_PDEATHSIG: SIGTERM, handled:
 * every environment is thawed and killed), and so do its environments,
 * even when the zygote itself is killed outright: it is pid 1 of the PID
 * namespace their own namespaces nest in (see split()). Pids it reports
 * travel as SCM_CREDENTIALS, which the kernel translates into tutti's
 * namespace; exit events carry our pids, which tutti maps. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "log.h"
#include "sandbox.h"
#include "worker.h"
#include "zygote_proto.h"

#define CHILDREN_MAX 4096
#define BLANKS_MAX 8
#define REFILL_DELAY_MS 5
#define WARM_MAPS_MAX 32

/* A blank is a child that ran the generic set-up steps ahead of time and
 * waits on `sock` for its limits and descriptors. */
struct blank {
	pid_t pid;
	int sock;
	int slot;
};

/* Mappings of the dynamic loader and libc, which a cold start's dlopen
 * walks through: a blank maps them in ahead of time (fork does not copy
 * page tables of file mappings, so each first touch is a fault). */
struct warm_map {
	void *start;
	size_t len;
	bool write;
};

struct zy_state {
	int ctl, evt, netns, hostns, life[2];
	struct cgroup *cg;
	struct sandbox_filter filter[2];   /* [network on] */
	char root[PATH_MAX];
	uint64_t base_vm;
	bool cg_warned;
	struct { pid_t pid; int slot; } kids[CHILDREN_MAX];
	struct blank blanks[BLANKS_MAX];
	unsigned nblanks, want_blanks;
	struct warm_map warm[WARM_MAPS_MAX];
	unsigned nwarm;
	bool oneshot;
};

static struct zy_state st;

static void find_warm_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];

	if (!f)
		return;
	while (st.nwarm < WARM_MAPS_MAX && fgets(line, sizeof line, f)) {
		unsigned long a, b;
		char perms[8];
		int off = 0;

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &a, &b, perms, &off) < 3)
			continue;
		if (!strstr(line + off, "/ld-linux") && !strstr(line + off, "/libc.so") &&
		    !strstr(line + off, "tutti-zygote"))
			continue;
		st.warm[st.nwarm++] = (struct warm_map){ (void *)a, b - a, perms[1] == 'w' };
	}
	fclose(f);
}

/* One message of at most `len` bytes into `buf`, with at most `max`
 * (<= ZY_FDS_MAX) descriptors into fds[] (count in *nfds). Returns the bytes
 * received, 0 at the end of the stream, or -errno; -EPROTO (descriptors
 * closed, *nfds 0) when more descriptors came than fit. */
static ssize_t recv_fds(int fd, void *buf, size_t len, int *fds, int max, int *nfds)
{
	char cbuf[CMSG_SPACE(ZY_FDS_MAX * sizeof(int))];
	struct iovec iov = { buf, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof cbuf };
	struct cmsghdr *cm;
	ssize_t r;
	int n = 0;

	*nfds = 0;
	do
		r = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	cm = CMSG_FIRSTHDR(&mh);
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
		n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
	if (n > max || (mh.msg_flags & MSG_CTRUNC)) {
		for (int i = 0; i < n && i < ZY_FDS_MAX; i++)
			close(((int *)(void *)CMSG_DATA(cm))[i]);
		return -EPROTO;
	}
	if (n)
		memcpy(fds, CMSG_DATA(cm), (size_t)n * sizeof(int));
	*nfds = n;
	return r;
}

/* One request and its descriptors (at most ZY_FDS_MAX; count in *nfds),
 * at least `min` of them. */
static int recv_request(int fd, struct zy_request *req, int *fds, int *nfds, int min)
{
	ssize_t r = recv_fds(fd, req, sizeof *req, fds, ZY_FDS_MAX, nfds);

	if (r <= 0)
		return r == 0 ? -EPIPE : (int)r;
	if ((size_t)r != sizeof *req || *nfds < min)
		return -EPROTO;
	return 0;
}

/* A message with descriptors and, if `pid` > 0, credentials naming that
 * process: the kernel translates the pid into the receiver's PID namespace
 * (tutti's, where our pids mean nothing). */
static int send_msg(int fd, const void *msg, size_t len, const int *fds, int nfds, pid_t pid)
{
	char cbuf[CMSG_SPACE(ZY_FDS_MAX * sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { (void *)msg, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;
	size_t used = 0;

	memset(cbuf, 0, sizeof cbuf);
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof cbuf;
	cm = CMSG_FIRSTHDR(&mh);
	if (nfds > 0) {
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
		used += CMSG_SPACE((size_t)nfds * sizeof(int));
		cm = (struct cmsghdr *)(cbuf + used);
	}
	if (pid > 0) {
		struct ucred uc = { pid, getuid(), getgid() };

		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_CREDENTIALS;
		cm->cmsg_len = CMSG_LEN(sizeof uc);
		memcpy(CMSG_DATA(cm), &uc, sizeof uc);
		used += CMSG_SPACE(sizeof uc);
	}
	mh.msg_controllen = used;
	if (!used)
		mh.msg_control = NULL;
	return sendmsg(fd, &mh, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -EPIPE;
}

static int send_fds(int fd, const void *msg, size_t len, const int *fds, int nfds)
{
	return send_msg(fd, msg, len, fds, nfds, 0);
}

static int kid_slot(void)
{
	for (int i = 0; i < CHILDREN_MAX; i++)
		if (!st.kids[i].pid)
			return i;
	return -1;
}

/* Page faults are the bulk of a cold start's cost after fork (every first
 * write to a page shared with the zygote copies it). A blank takes the
 * faults the remaining steps would otherwise take while it waits: stack,
 * a warm malloc arena (kept, not trimmed), the environment array. */
__attribute__((noinline)) static void prefault(void)
{
	volatile char stack[96 * 1024];
	void *blocks[16];

	memset((char *)stack, 0, sizeof stack);
	for (unsigned i = 0; i < st.nwarm; i++)
		madvise(st.warm[i].start, st.warm[i].len, st.warm[i].write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
	mallopt(M_TRIM_THRESHOLD, 4 << 20);
	for (int i = 0; i < 16; i++) {
		blocks[i] = malloc(16 * 1024);
		if (blocks[i])
			memset(blocks[i], 0, 16 * 1024);
	}
	for (int i = 15; i >= 0; i--)
		free(blocks[i]);
	clearenv();
	for (int i = 0; i < 24; i++) {
		char k[16];

		snprintf(k, sizeof k, "TUTTI_WARM_%d", i);
		setenv(k, "0123456789012345678901234567890123456789012345678901234567890123", 1);
	}
	clearenv();
}

/* Inside a blank, once an environment is asked for: the remaining steps. */
__attribute__((noreturn)) static void blank_wait(struct sandbox_base *base, int sock)
{
	static struct zy_request mine;
	struct sandbox_mounts m;
	int fds[ZY_FDS_MAX], n;

	if (!st.oneshot)
		prefault(); /* (one-shot: the request is already on its way) */
	memset(&mine, 0, sizeof mine);
	if (recv_request(sock, &mine, fds, &n, 3))
		_exit(0); /* the zygote is gone or changed its mind */
	close(sock);
	base->report_fd = fds[0];
	sandbox_mounts_from_fds(&m, &mine.lim, fds + 2, n - 2);
	sandbox_enter(base, &mine.lim, fds[0], fds[1], &m);
	worker_main();
}

/* Clone a child in new namespaces that runs the generic steps. With a
 * request (`req` non-NULL, `fds` its channel and log, `m` its mounts) it
 * goes on to become an environment; without, it is a blank that waits on
 * `blank_sock`. Returns the pid or -errno. */
static pid_t clone_env(const struct zy_request *req, const int fds[2], struct sandbox_mounts *m, int blank_sock,
		       int close_in_child, int *slot_out)
{
	struct sandbox_base base;
	int slot = -1, cgfds[CGROUP_FDS], k = kid_slot();
	uint64_t mem = (uint64_t)(req ? req->lim.memory_mb : FN_MEMORY_DEF_MB) << 20;
	pid_t pid;

	for (int i = 0; i < CGROUP_FDS; i++)
		cgfds[i] = -1;
	if (k < 0)
		return -EAGAIN;
	if (cgroup_active(st.cg)) {
		slot = cgroup_slot_get(st.cg, mem, SANDBOX_PIDS_MAX, cgfds);
		if (slot < 0 && !st.cg_warned) {
			st.cg_warned = true;
			log_warn("no cgroup slot (%s): memory limited by RLIMIT_AS only", strerror(-slot));
		}
	}
	memset(&base, 0, sizeof base);
	for (int i = 0; i < SANDBOX_KEEP_MAX; i++)
		base.keep[i] = -1;
	base.report_fd = req ? fds[0] : -1;
	base.netns_fd = st.netns;
	base.hostns_fd = st.hostns;
	base.life_fd = st.life[0];
	memcpy(base.cg_fds, cgfds, sizeof cgfds);
	base.cgroup_ok = slot >= 0 && cgroup_limits_memory(st.cg);
	base.base_vm = st.base_vm;
	base.root_dir = st.root;
	base.filter = &st.filter[req && req->lim.network]; /* blanks: no network */
	if (req) {
		base.tmp_mb = req->lim.tmp_mb;
		base.net_mountpoints = req->lim.network;
		base.keep[0] = fds[1];
		sandbox_mounts_fds(m, base.keep + 1, SANDBOX_KEEP_MAX - 1);
	} else {
		base.keep[0] = blank_sock;
	}

	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD, NULL,
			     NULL, NULL, NULL);
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		if (close_in_child >= 0)
			close(close_in_child);
		sandbox_prepare(&base);
		if (!req)
			blank_wait(&base, blank_sock);
		sandbox_enter(&base, &req->lim, fds[0], fds[1], m);
		worker_main();
	}
	for (int i = 0; i < CGROUP_FDS; i++)
		if (cgfds[i] >= 0)
			close(cgfds[i]);
	if (pid < 0) {
		int rc = -errno;

		if (slot >= 0)
			cgroup_slot_put(st.cg, slot);
		return rc;
	}
	st.kids[k].pid = pid;
	st.kids[k].slot = slot;
	*slot_out = slot;
	return pid;
}

static void refill_blanks(void)
{
	while (st.nblanks < st.want_blanks) {
		int sv[2], slot = -1;
		pid_t pid;

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
			return;
		pid = clone_env(NULL, NULL, NULL, sv[1], sv[0], &slot);
		close(sv[1]);
		if (pid < 0) {
			close(sv[0]);
			return;
		}
		st.blanks[st.nblanks++] = (struct blank){ pid, sv[0], slot };
	}
}

static void drop_blank(unsigned i)
{
	close(st.blanks[i].sock);
	st.blanks[i] = st.blanks[--st.nblanks];
}

/* Answer a spawn request: the pid, and the slot's freezer, CPU and
 * peak-memory descriptors for tutti. */
static void reply(int rc, pid_t pid, int slot)
{
	struct zy_reply rep = { rc, pid, CG_FREEZE_NONE, CG_CPU_NONE, CG_MEM_NONE };
	int fds[ZY_REPLY_FDS] = { -1, -1, -1 }, n = 0, ffd = -1, cfd = -1, mfd = -1;

	if (rc == 0 && slot >= 0)
		cgroup_slot_ctl_fds(st.cg, slot, &ffd, &rep.freeze_kind, &cfd, &rep.cpu_kind, &mfd, &rep.mem_kind);
	if (ffd >= 0)
		fds[n++] = ffd;
	if (cfd >= 0)
		fds[n++] = cfd;
	if (mfd >= 0)
		fds[n++] = mfd;
	send_msg(st.ctl, &rep, sizeof rep, fds, n, rc == 0 ? pid : 0);
}

static void spawn_env(struct zy_request *req, int *fds, int n)
{
	struct sandbox_mounts m;
	int slot = -1;
	pid_t pid;

	sandbox_mounts_from_fds(&m, &req->lim, fds + 2, n - 2);
	/* A blank if one is alive and fits (default /tmp, no network: a blank
	 * has no mount points for the network files); its memory limit becomes
	 * the function's. */
	while (st.nblanks && (!req->lim.tmp_mb || req->lim.tmp_mb == FN_TMP_DEF_MB) && !req->lim.network) {
		struct blank b = st.blanks[st.nblanks - 1];

		st.nblanks--;
		if (b.slot >= 0 && cgroup_slot_set_memory(st.cg, b.slot, (uint64_t)req->lim.memory_mb << 20)) {
			kill(b.pid, SIGKILL);
			close(b.sock);
			continue;
		}
		if (send_fds(b.sock, req, sizeof *req, fds, n) == 0) {
			close(b.sock);
			reply(0, b.pid, b.slot);
			return;
		}
		kill(b.pid, SIGKILL);
		close(b.sock);
	}
	pid = clone_env(req, fds, &m, -1, -1, &slot);
	reply(pid < 0 ? pid : 0, pid < 0 ? 0 : pid, slot);
}

static void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct zy_exit ev = { pid, status, 0 };

		for (unsigned b = 0; b < st.nblanks; b++)
			if (st.blanks[b].pid == pid) {
				drop_blank(b);
				break;
			}
		for (int i = 0; i < CHILDREN_MAX; i++) {
			if (st.kids[i].pid != pid)
				continue;
			if (st.kids[i].slot >= 0)
				ev.oom = cgroup_slot_put(st.cg, st.kids[i].slot);
			st.kids[i].pid = 0;
			break;
		}
		/* The parent drains events promptly; if its buffer is full it is
		 * stuck or gone, and a lost event only costs a classification. */
		send(st.evt, &ev, sizeof ev, MSG_DONTWAIT);
	}
}

/* The one empty network namespace every environment without network
 * joins (no interface up, not even loopback). The outer process makes it
 * (split()) while we set up cgroups, and sends it on `sock`: a descriptor,
 * or an errno. */
static int recv_netns(int sock)
{
	int32_t err = 0;
	int fd = -1, n = 0;
	ssize_t r = recv_fds(sock, &err, sizeof err, &fd, 1, &n);

	close(sock);
	if (r != sizeof err) {
		if (n)
			close(fd);
		return r < 0 ? (int)r : -EPIPE;
	}
	if (err) {
		if (n)
			close(fd);
		return err;
	}
	return n ? fd : -EPROTO;
}

static uint64_t vm_size(void)
{
	unsigned long pages = 0;
	FILE *f = fopen("/proc/self/statm", "re");

	if (f) {
		if (fscanf(f, "%lu", &pages) != 1)
			pages = 0;
		fclose(f);
	}
	return (uint64_t)pages * (uint64_t)sysconf(_SC_PAGESIZE);
}

/* The zygote proper runs as pid 1 of a PID namespace of its own, and
 * every environment's namespace nests in it: when the zygote dies, however
 * it dies, the kernel kills every process of every environment. The
 * process tutti started (the outer one) waits for it; tutti's death kills
 * the outer process (its parent-death signal, SIGTERM), whose death sends
 * the zygote SIGTERM: it then thaws and kills every environment and
 * removes its cgroups. */
static int split(int *netns_sock)
{
	pid_t inner;
	int status, sv[2];

	if (pipe2(st.life, O_CLOEXEC) < 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0 ||
	    unshare(CLONE_NEWPID) < 0)
		return -errno;
	inner = fork();
	if (inner < 0)
		return -errno;
	if (inner == 0) {
		struct pollfd pf = { st.life[0], POLLIN, 0 };

		close(st.life[1]);
		close(sv[0]);
		st.life[1] = -1;
		*netns_sock = sv[1];
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || poll(&pf, 1, 0) < 0 || pf.revents)
			_exit(1); /* the outer process is already gone */
		return 0;
	}
	/* The outer process: the empty network namespace for the zygote (made
	 * here, in parallel with the zygote's own start), then nothing of the
	 * protocol, just the zygote's fate. SIGTERM, SIGINT and SIGHUP end it
	 * (default action). */
	close(ZY_CTL_FD);
	close(ZY_EVT_FD);
	close(st.life[0]);
	close(sv[1]);
	{
		int32_t err = 0;
		int fd = -1;

		if (unshare(CLONE_NEWNET) < 0 || (fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
			err = -errno;
		send_fds(sv[0], &err, sizeof err, &fd, fd >= 0 ? 1 : 0);
		if (fd >= 0)
			close(fd);
		close(sv[0]);
	}
	{
		sigset_t m;

		sigemptyset(&m);
		sigaddset(&m, SIGCHLD);
		sigprocmask(SIG_SETMASK, &m, NULL);
	}
	prctl(PR_SET_NAME, "tutti-zygote-w");
	while (waitpid(inner, &status, 0) < 0 && errno == EINTR)
		;
	_exit(0);
}

static void shutdown_all(void)
{
	while (st.nblanks)
		drop_blank(0);
	cgroup_kill_all(st.cg);
	for (int i = 0; i < CHILDREN_MAX; i++)
		if (st.kids[i].pid)
			kill(st.kids[i].pid, SIGKILL);
	for (int i = 0; i < CHILDREN_MAX; i++)
		if (st.kids[i].pid)
			waitpid(st.kids[i].pid, NULL, 0);
	cgroup_free(st.cg);
}

/* The seccomp programs tutti compiled while we started: two memfds,
 * [0] for environments without network, [1] with. */
static int recv_filter(void)
{
	int fds[ZY_FDS_MAX], n = 0, rc = 0;
	uint32_t magic = 0;
	ssize_t r = recv_fds(st.ctl, &magic, sizeof magic, fds, ZY_FDS_MAX, &n);

	if (r < 0)
		return (int)r;
	if (r != sizeof magic || n != 2 || magic != ZY_FILTER_MAGIC)
		rc = -EPROTO;
	for (int i = 0; i < n; i++) {
		if (!rc)
			rc = sandbox_filter_load(fds[i], &st.filter[i]);
		close(fds[i]);
	}
	return rc;
}

/* mkdir -p, new directories with `mode` (private: $TUTTI_HOME is). */
static int mkdir_p(const char *path, mode_t mode)
{
	char p[PATH_MAX];

	if (snprintf(p, sizeof p, "%s", path) >= (int)sizeof p) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *q = p + 1; *q; q++) {
		if (*q != '/')
			continue;
		*q = '\0';
		if (mkdir(p, mode) && errno != EEXIST)
			return -1;
		*q = '/';
	}
	return mkdir(p, mode) && errno != EEXIST ? -1 : 0;
}

static unsigned env_uint(const char *name, unsigned def)
{
	const char *v = getenv(name);

	return v && *v ? (unsigned)strtoul(v, NULL, 10) : def;
}

int main(void)
{
	struct zy_hello hello = { 0 };
	const char *home = getenv("TUTTI_ZYGOTE_HOME");
	pid_t parent = (pid_t)env_uint("TUTTI_ZYGOTE_PARENT", 0);
	char why[512], run[PATH_MAX];
	sigset_t mask;
	int sfd, rc, nsock = -1;

	log_set_role("zygote");
	/* tutti set PR_SET_PDEATHSIG (SIGTERM) before exec; it may already be
	 * gone. */
	if (!parent || getppid() != parent || !home || fcntl(ZY_CTL_FD, F_GETFD) < 0 ||
	    fcntl(ZY_EVT_FD, F_GETFD) < 0)
		_exit(1);
	st.ctl = ZY_CTL_FD;
	st.evt = ZY_EVT_FD;
	st.life[0] = st.life[1] = -1;
	st.want_blanks = env_uint("TUTTI_ZYGOTE_PREFORK", 0);
	st.oneshot = env_uint("TUTTI_ZYGOTE_ONESHOT", 0);
	if (st.want_blanks > BLANKS_MAX)
		st.want_blanks = BLANKS_MAX;
	signal(SIGPIPE, SIG_IGN);
	/* (An ignored signal never reaches a signalfd: tutti's dispositions
	 * must not hide its parent-death signal from us.) */
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	{
		/* (tutti stops idle environments where there is no freezer: no
		 * wake-up for that.) */
		struct sigaction sa;

		memset(&sa, 0, sizeof sa);
		sa.sa_handler = SIG_DFL;
		sa.sa_flags = SA_NOCLDSTOP;
		sigaction(SIGCHLD, &sa, NULL);
	}
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	rc = split(&nsock);
	if (rc) {
		hello.rc = rc;
		snprintf(hello.msg, sizeof hello.msg, "cannot make the environments' PID namespace: %s", strerror(-rc));
		send(st.ctl, &hello, sizeof hello, 0);
		_exit(1);
	}
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);

	snprintf(run, sizeof run, "%s/run", home);
	snprintf(st.root, sizeof st.root, "%s/sandbox-root", run);
	if (mkdir_p(st.root, 0700)) {
		hello.rc = -errno;
		snprintf(hello.msg, sizeof hello.msg, "cannot create %s: %s", st.root, strerror(errno));
		goto hello;
	}
	st.hostns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	st.cg = cgroup_new(why, sizeof why);
	if (!env_uint("TUTTI_ZYGOTE_QUIET", 0) && (!cgroup_active(st.cg) || !cgroup_limits_memory(st.cg)))
		log_warn("cgroups %s (%s): memory limited by RLIMIT_AS only, process count by seccomp only",
			 cgroup_active(st.cg) ? "without memory and pids controllers" : "unusable", why);
	snprintf(hello.cgroup_mode, sizeof hello.cgroup_mode, "%s", cgroup_mode(st.cg));
	st.netns = recv_netns(nsock); /* (made meanwhile by the outer process) */
	if (st.netns < 0) {
		hello.rc = st.netns;
		snprintf(hello.msg, sizeof hello.msg, "cannot create the empty network namespace: %s (tutti needs root)",
			 strerror(-st.netns));
		goto hello;
	}
	rc = recv_filter();
	if (rc) {
		hello.rc = rc;
		snprintf(hello.msg, sizeof hello.msg, "seccomp: cannot read the filter from tutti: %s", strerror(-rc));
		goto hello;
	}
	st.base_vm = vm_size();
	if (!st.oneshot)
		find_warm_maps(); /* (for prefault) */
	if (sfd < 0) {
		hello.rc = -errno;
		snprintf(hello.msg, sizeof hello.msg, "signalfd: %s", strerror(errno));
	}
hello:
	send(st.ctl, &hello, sizeof hello, 0);
	if (hello.rc) {
		cgroup_free(st.cg);
		_exit(1);
	}
	refill_blanks();
	if (st.oneshot)
		st.want_blanks = 0; /* one-shot: what is made now is all we make */

	for (;;) {
		struct pollfd pf[2] = { { st.ctl, POLLIN, 0 }, { sfd, POLLIN, 0 } };
		bool quit = false;
		int r;

		/* Blanks are replaced once requests pause for REFILL_DELAY_MS:
		 * cloning one while a cold start sets itself up would take the
		 * CPU (and the kernel's mount and cgroup locks) it needs. */
		r = poll(pf, 2, st.nblanks < st.want_blanks ? REFILL_DELAY_MS : -1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (r == 0) {
			refill_blanks();
			continue;
		}
		if (pf[1].revents) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof si) == sizeof si)
				if (si.ssi_signo != SIGCHLD)
					quit = true; /* tutti is gone (parent-death signal) or we are told to stop */
			reap();
			if (quit)
				break;
		}
		if (pf[0].revents) {
			struct zy_request req;
			int fds[ZY_FDS_MAX], n = 0;

			rc = recv_request(st.ctl, &req, fds, &n, 3);
			if (rc == -EPIPE)
				break;
			if (rc)
				reply(rc, 0, -1);
			else
				spawn_env(&req, fds, n);
			for (int i = 0; i < n; i++)
				close(fds[i]);
			/* (No refill right away: a one-shot `tutti invoke` is
			 * usually done before REFILL_DELAY_MS of quiet, and a blank
			 * made now would be work thrown away.) */
		}
	}
	/* tutti closed us or is gone: take the environments down with us. */
	shutdown_all();
	_exit(0);
}
