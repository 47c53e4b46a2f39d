#include "zygote.h"

#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
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
#include "fsutil.h"
#include "log.h"
#include "sandbox.h"
#include "sysfilter.h"
#include "worker.h"

#define CHILDREN_MAX 4096

struct zy_request {
	struct fn_config cfg;
	int32_t mode;
};

struct zy_reply {
	int32_t rc;
	int32_t pid;
};

struct zy_hello {
	int32_t rc;
	char cgroup_mode[8];
	char msg[256];
};

struct zy_exit {
	int32_t pid;
	int32_t status;
	int32_t oom;
};

struct zygote {
	pid_t pid;
	int ctl;    /* request/reply, SOCK_SEQPACKET */
	int evt;    /* exit events, SOCK_SEQPACKET, non-blocking */
	pthread_mutex_t lock;
	char cgroup_mode[8];
};

/* ---- inside the zygote ---------------------------------------------------- */

#define BLANKS_MAX 8
#define REFILL_DELAY_MS 5

/* A blank is a child that ran the generic set-up steps ahead of time and
 * waits on `sock` for its function (the request and its two descriptors). */
struct blank {
	pid_t pid;
	int sock;
	int slot;
};

#define WARM_MAPS_MAX 32

/* Mappings of the dynamic loader and libc, which a cold start's dlopen
 * walks through: a blank maps them in ahead of time (fork does not copy
 * page tables of file mappings, so each first touch is a fault). */
struct warm_map {
	void *start;
	size_t len;
	bool write;
};

struct zy_state {
	int ctl, evt, netns, hostns;
	struct cgroup *cg;
	struct sysfilter_prog *filter[2]; /* [network on] */
	char root[PATH_MAX];
	uint64_t base_vm;
	bool cg_warned;
	struct { pid_t pid; int slot; } kids[CHILDREN_MAX];
	struct blank blanks[BLANKS_MAX];
	unsigned nblanks, want_blanks;
	struct warm_map warm[WARM_MAPS_MAX];
	unsigned nwarm;
};

static void find_warm_maps(struct zy_state *st)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];

	if (!f)
		return;
	while (st->nwarm < WARM_MAPS_MAX && fgets(line, sizeof line, f)) {
		unsigned long a, b;
		char perms[8];
		int off = 0;

		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &a, &b, perms, &off) < 3)
			continue;
		if (!strstr(line + off, "/ld-linux") && !strstr(line + off, "/libc.so"))
			continue;
		st->warm[st->nwarm++] = (struct warm_map){ (void *)a, b - a, perms[1] == 'w' };
	}
	fclose(f);
}

static const struct zy_state *zy_self; /* for the blank's prefault (same memory) */

#define ZY_FDS_MAX (2 + 2 + SANDBOX_NET_FILES)

/* One request and its descriptors (at most ZY_FDS_MAX); the count in *nfds.
 * Needs at least `min` descriptors. */
static int recv_request(int fd, struct zy_request *req, int *fds, int *nfds, int min)
{
	char cbuf[CMSG_SPACE(ZY_FDS_MAX * sizeof(int))];
	struct iovec iov = { req, sizeof *req };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof cbuf };
	struct cmsghdr *cm;
	ssize_t r;

	*nfds = 0;
	do
		r = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return r == 0 ? -EPIPE : -errno;
	cm = CMSG_FIRSTHDR(&mh);
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
		*nfds = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
		if (*nfds > ZY_FDS_MAX)
			*nfds = ZY_FDS_MAX;
		memcpy(fds, CMSG_DATA(cm), (size_t)*nfds * sizeof(int));
	}
	if ((size_t)r != sizeof *req || *nfds < min || (mh.msg_flags & MSG_CTRUNC))
		return -EPROTO;
	req->cfg.name[sizeof req->cfg.name - 1] = '\0';
	return 0;
}

static int send_request(int fd, const struct zy_request *req, const int *fds, int nfds)
{
	char cbuf[CMSG_SPACE(ZY_FDS_MAX * sizeof(int))];
	struct iovec iov = { (void *)req, sizeof *req };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int)) };
	struct cmsghdr *cm;

	memset(cbuf, 0, sizeof cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
	return sendmsg(fd, &mh, MSG_NOSIGNAL) == (ssize_t)sizeof *req ? 0 : -EPIPE;
}

static int kid_slot(struct zy_state *st)
{
	for (int i = 0; i < CHILDREN_MAX; i++)
		if (!st->kids[i].pid)
			return i;
	return -1;
}

/* Page faults are the bulk of a cold start's cost after fork (every first
 * write to a page shared with the zygote copies it). A blank takes the
 * faults the function-specific steps would otherwise take while it waits:
 * stack, a warm malloc arena (kept, not trimmed), the environment array. */
__attribute__((noinline)) static void prefault(void)
{
	volatile char stack[96 * 1024];
	void *blocks[16];

	memset((char *)stack, 0, sizeof stack);
	for (unsigned i = 0; zy_self && i < zy_self->nwarm; i++)
		madvise(zy_self->warm[i].start, zy_self->warm[i].len,
			zy_self->warm[i].write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
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

/* Inside a blank, once a function is chosen: steps 16 onwards. */
__attribute__((noreturn)) static void blank_wait(struct sandbox_base *base, int sock)
{
	static struct zy_request mine;
	struct sandbox_mounts m;
	int fds[ZY_FDS_MAX], n;

	prefault();
	memset(&mine, 0, sizeof mine);
	if (recv_request(sock, &mine, fds, &n, 3))
		_exit(0); /* the zygote is gone or changed its mind */
	close(sock);
	base->report_fd = fds[0];
	sandbox_mounts_from_fds(&m, &mine.cfg, fds + 2, n - 2);
	sandbox_enter(base, &mine.cfg, fds[0], fds[1], &m);
	worker_main(&mine.cfg, mine.mode);
}

/* Clone a child in new namespaces that runs the generic steps. With a
 * request (`req` non-NULL, `fds` its channel and log, `m` its mounts) it
 * goes on to become that function's environment; without, it is a blank
 * that waits on `blank_sock` for one. Returns the pid or -errno. */
static pid_t clone_env(struct zy_state *st, struct zy_request *req, const int fds[2], struct sandbox_mounts *m,
		       int blank_sock, int close_in_child, int *slot_out)
{
	struct sandbox_base base;
	int slot = -1, cgfds[CGROUP_FDS] = { -1, -1 }, k = kid_slot(st);
	uint64_t mem = (uint64_t)(req ? req->cfg.memory_mb : FN_MEMORY_DEF_MB) << 20;
	pid_t pid;

	if (k < 0)
		return -EAGAIN;
	if (cgroup_active(st->cg)) {
		slot = cgroup_slot_get(st->cg, mem, SANDBOX_PIDS_MAX, cgfds);
		if (slot < 0 && !st->cg_warned) {
			st->cg_warned = true;
			log_warn("no cgroup slot (%s): memory limited by RLIMIT_AS only", strerror(-slot));
		}
	}
	memset(&base, 0, sizeof base);
	for (int i = 0; i < SANDBOX_KEEP_MAX; i++)
		base.keep[i] = -1;
	base.report_fd = req ? fds[0] : -1;
	base.netns_fd = st->netns;
	base.hostns_fd = st->hostns;
	base.cg_fds[0] = cgfds[0];
	base.cg_fds[1] = cgfds[1];
	base.cgroup_ok = slot >= 0;
	base.base_vm = st->base_vm;
	base.root_dir = st->root;
	base.filter = st->filter[req && req->cfg.network]; /* blanks: no network */
	if (req) {
		base.tmp_mb = req->cfg.tmp_mb;
		base.net_mountpoints = req->cfg.network;
		base.keep[0] = fds[1];
		sandbox_mounts_fds(m, base.keep + 1, SANDBOX_KEEP_MAX - 1);
	} else {
		base.keep[0] = blank_sock;
	}

	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD,
			     NULL, NULL, NULL, NULL);
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
		sandbox_enter(&base, &req->cfg, fds[0], fds[1], m);
		worker_main(&req->cfg, req->mode);
	}
	for (int i = 0; i < CGROUP_FDS; i++)
		if (cgfds[i] >= 0)
			close(cgfds[i]);
	if (pid < 0) {
		int rc = -errno;

		if (slot >= 0)
			cgroup_slot_put(st->cg, slot);
		return rc;
	}
	st->kids[k].pid = pid;
	st->kids[k].slot = slot;
	*slot_out = slot;
	return pid;
}

static void refill_blanks(struct zy_state *st)
{
	while (st->nblanks < st->want_blanks) {
		int sv[2], slot = -1;
		pid_t pid;

		if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
			return;
		pid = clone_env(st, NULL, NULL, NULL, sv[1], sv[0], &slot);
		close(sv[1]);
		if (pid < 0) {
			close(sv[0]);
			return;
		}
		st->blanks[st->nblanks++] = (struct blank){ pid, sv[0], slot };
	}
}

static void drop_blank(struct zy_state *st, unsigned i)
{
	close(st->blanks[i].sock);
	st->blanks[i] = st->blanks[--st->nblanks];
}

static void spawn_child(struct zy_state *st, struct zy_request *req, int fds[2], struct zy_reply *rep)
{
	struct sandbox_mounts m;
	char what[PATH_MAX];
	int slot = -1, rc, all[ZY_FDS_MAX], n;
	pid_t pid;

	rc = sandbox_mounts_make(&req->cfg, &m, what, sizeof what);
	if (rc) {
		/* Report it as the child would have: a set-up error on the channel. */
		char detail[PATH_MAX + 64];

		snprintf(detail, sizeof detail, "%s: %s", what, strerror(-rc));
		errno = -rc;
		if (!fork())
			sandbox_fail(fds[0], SANDBOX_STAGE_BIND_CODE, -rc, detail);
		rep->rc = rc;
		return;
	}
	all[0] = fds[0];
	all[1] = fds[1];
	n = 2 + sandbox_mounts_fds(&m, all + 2, ZY_FDS_MAX - 2);

	/* A blank if one is alive and fits (default /tmp, no network: a blank
	 * has no mount points for the network files); its memory limit becomes
	 * the function's. */
	while (st->nblanks && (!req->cfg.tmp_mb || req->cfg.tmp_mb == FN_TMP_DEF_MB) && !req->cfg.network) {
		struct blank b = st->blanks[st->nblanks - 1];

		st->nblanks--;
		if (b.slot >= 0 && cgroup_slot_set_memory(st->cg, b.slot, (uint64_t)req->cfg.memory_mb << 20)) {
			kill(b.pid, SIGKILL);
			close(b.sock);
			continue;
		}
		if (send_request(b.sock, req, all, n) == 0) {
			close(b.sock);
			sandbox_mounts_close(&m);
			rep->rc = 0;
			rep->pid = b.pid;
			return;
		}
		kill(b.pid, SIGKILL);
		close(b.sock);
	}
	pid = clone_env(st, req, fds, &m, -1, -1, &slot);
	sandbox_mounts_close(&m);
	if (pid < 0) {
		rep->rc = pid;
		return;
	}
	rep->rc = 0;
	rep->pid = pid;
}

static void reap(struct zy_state *st)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct zy_exit ev = { pid, status, 0 };

		for (unsigned b = 0; b < st->nblanks; b++)
			if (st->blanks[b].pid == pid) {
				drop_blank(st, b);
				break;
			}
		for (int i = 0; i < CHILDREN_MAX; i++) {
			if (st->kids[i].pid != pid)
				continue;
			if (st->kids[i].slot >= 0)
				ev.oom = cgroup_slot_put(st->cg, st->kids[i].slot);
			st->kids[i].pid = 0;
			break;
		}
		/* The parent drains events promptly; if its buffer is full it is
		 * stuck or gone, and a lost event only costs a classification. */
		send(st->evt, &ev, sizeof ev, MSG_DONTWAIT);
	}
}

static int make_empty_netns(void)
{
	int orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), fd = -1;

	if (orig < 0)
		return -errno;
	if (unshare(CLONE_NEWNET) == 0) {
		fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		if (setns(orig, CLONE_NEWNET) < 0) {
			log_error("cannot return to the host network namespace: %s", strerror(errno));
			_exit(1);
		}
	} else {
		fd = -errno;
	}
	close(orig);
	return fd;
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

__attribute__((noreturn)) static void zygote_main(int ctl, int evt, const char *home, bool quiet,
						   unsigned prefork)
{
	static struct zy_state st;
	struct zy_hello hello = { 0 };
	char why[512];
	sigset_t mask;
	int sfd;

	log_set_role("zygote");
	st.ctl = ctl;
	st.evt = evt;
	st.want_blanks = prefork < BLANKS_MAX ? prefork : BLANKS_MAX;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);

	st.filter[0] = sysfilter_prog_new(SANDBOX_CHAN_FD, SANDBOX_UID, false, why, sizeof why);
	st.filter[1] = st.filter[0] ? sysfilter_prog_new(SANDBOX_CHAN_FD, SANDBOX_UID, true, why, sizeof why) : NULL;
	if (!st.filter[1]) {
		hello.rc = -EINVAL;
		snprintf(hello.msg, sizeof hello.msg, "seccomp: %s", why);
		goto hello;
	}
	st.hostns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	st.netns = make_empty_netns();
	if (st.netns < 0) {
		hello.rc = st.netns;
		snprintf(hello.msg, sizeof hello.msg, "cannot create the empty network namespace: %s (tutti needs root)",
			 strerror(-st.netns));
		goto hello;
	}
	snprintf(st.root, sizeof st.root, "%s/run/sandbox-root", home);
	if (fs_mkdir_p(st.root, 0700)) {
		hello.rc = -errno;
		snprintf(hello.msg, sizeof hello.msg, "cannot create %s: %s", st.root, strerror(errno));
		goto hello;
	}
	st.cg = cgroup_new(why, sizeof why);
	if (!cgroup_active(st.cg) && !quiet)
		log_warn("cgroups unusable (%s): memory limited by RLIMIT_AS only, process count by seccomp only", why);
	snprintf(hello.cgroup_mode, sizeof hello.cgroup_mode, "%s", cgroup_mode(st.cg));
	st.base_vm = vm_size();
	find_warm_maps(&st);
	zy_self = &st;
	if (sfd < 0) {
		hello.rc = -errno;
		snprintf(hello.msg, sizeof hello.msg, "signalfd: %s", strerror(errno));
	}
hello:
	send(ctl, &hello, sizeof hello, 0);
	if (hello.rc)
		_exit(1);
	refill_blanks(&st);

	for (;;) {
		struct pollfd pf[2] = { { ctl, POLLIN, 0 }, { sfd, POLLIN, 0 } };
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
			refill_blanks(&st);
			continue;
		}
		if (pf[1].revents) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof si) == sizeof si)
				;
			reap(&st);
		}
		if (pf[0].revents) {
			struct zy_request req;
			struct zy_reply rep = { 0, 0 };
			int fds[ZY_FDS_MAX], n = 0, rc = recv_request(ctl, &req, fds, &n, 2);

			if (rc == -EPIPE)
				break;
			if (rc)
				rep.rc = rc;
			else
				spawn_child(&st, &req, fds, &rep);
			for (int i = 0; i < n; i++)
				close(fds[i]);
			send(ctl, &rep, sizeof rep, 0);
			/* With no blank left, waiting would only make the next
			 * cold start slower: make one now. */
			if (!st.nblanks)
				refill_blanks(&st);
		}
	}
	/* The runtime closed us: take the environments down with us. */
	while (st.nblanks)
		drop_blank(&st, 0);
	for (int i = 0; i < CHILDREN_MAX; i++)
		if (st.kids[i].pid)
			kill(st.kids[i].pid, SIGKILL);
	for (int i = 0; i < CHILDREN_MAX; i++)
		if (st.kids[i].pid)
			waitpid(st.kids[i].pid, NULL, 0);
	cgroup_free(st.cg);
	_exit(0);
}

/* ---- in the runtime process ---------------------------------------------- */

struct zygote *zygote_start(const char *home, bool quiet, unsigned prefork, struct err *e)
{
	struct zygote *z = calloc(1, sizeof *z);
	int ctl[2] = { -1, -1 }, evt[2] = { -1, -1 };
	struct zy_hello hello;
	pid_t parent = getpid();

	if (!z) {
		err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
		return NULL;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctl) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, evt) < 0) {
		err_set(e, ERR_RUNTIME_INTERNAL, "socketpair: %s", strerror(errno));
		goto fail;
	}
	fflush(NULL);
	z->pid = fork();
	if (z->pid < 0) {
		err_set(e, ERR_RUNTIME_INTERNAL, "fork: %s", strerror(errno));
		goto fail;
	}
	if (z->pid == 0) {
		int a, b, null;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(0);
		signal(SIGPIPE, SIG_IGN);
		/* Keep only our two sockets and stderr: the parent's other
		 * descriptors (listening sockets, pipes to a shell) are not ours. */
		a = fcntl(ctl[1], F_DUPFD_CLOEXEC, 16);
		b = fcntl(evt[1], F_DUPFD_CLOEXEC, 16);
		null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (a < 0 || b < 0 || null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
		    dup3(a, 3, O_CLOEXEC) < 0 || dup3(b, 4, O_CLOEXEC) < 0)
			_exit(1);
		syscall(SYS_close_range, 5, ~0U, 0);
		zygote_main(3, 4, home, quiet, prefork);
	}
	close(ctl[1]);
	close(evt[1]);
	ctl[1] = evt[1] = -1;
	z->ctl = ctl[0];
	z->evt = evt[0];
	fcntl(z->evt, F_SETFL, O_NONBLOCK);
	pthread_mutex_init(&z->lock, NULL);
	if (recv(z->ctl, &hello, sizeof hello, 0) != sizeof hello) {
		err_set(e, ERR_SANDBOX_SETUP, "the zygote died during start-up");
		zygote_stop(z);
		return NULL;
	}
	if (hello.rc) {
		err_set(e, ERR_SANDBOX_SETUP, "%s", hello.msg);
		zygote_stop(z);
		return NULL;
	}
	snprintf(z->cgroup_mode, sizeof z->cgroup_mode, "%s", hello.cgroup_mode);
	return z;
fail:
	for (int i = 0; i < 2; i++) {
		if (ctl[i] >= 0)
			close(ctl[i]);
		if (evt[i] >= 0)
			close(evt[i]);
	}
	free(z);
	return NULL;
}

void zygote_stop(struct zygote *z)
{
	if (!z)
		return;
	close(z->ctl);
	close(z->evt);
	if (z->pid > 0)
		waitpid(z->pid, NULL, 0);
	pthread_mutex_destroy(&z->lock);
	free(z);
}

int zygote_spawn(struct zygote *z, const struct fn_config *cfg, int mode, int chan, int logfd,
		 pid_t *pid)
{
	static struct zy_request req; /* large; serialised by z->lock */
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = { &req, sizeof req };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof cbuf };
	struct cmsghdr *cm;
	struct zy_reply rep;
	int fds[2] = { chan, logfd }, rc = 0;

	memset(cbuf, 0, sizeof cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof fds);
	memcpy(CMSG_DATA(cm), fds, sizeof fds);

	pthread_mutex_lock(&z->lock);
	req.cfg = *cfg;
	req.mode = mode;
	if (sendmsg(z->ctl, &mh, MSG_NOSIGNAL) != (ssize_t)sizeof req)
		rc = -EPIPE;
	else if (recv(z->ctl, &rep, sizeof rep, 0) != sizeof rep)
		rc = -EPIPE;
	else if (rep.rc)
		rc = rep.rc;
	else
		*pid = rep.pid;
	pthread_mutex_unlock(&z->lock);
	return rc;
}

int zygote_event_fd(const struct zygote *z)
{
	return z->evt;
}

int zygote_read_exit(struct zygote *z, pid_t *pid, int *status, bool *oom)
{
	struct zy_exit ev;
	ssize_t r = recv(z->evt, &ev, sizeof ev, MSG_DONTWAIT);

	if (r < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	if (r == 0)
		return -EPIPE;
	if (r != sizeof ev)
		return 0;
	*pid = ev.pid;
	*status = ev.status;
	*oom = ev.oom != 0;
	return 1;
}

const char *zygote_cgroup_mode(const struct zygote *z)
{
	return z->cgroup_mode;
}
