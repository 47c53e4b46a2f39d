#include "zygote.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

struct zy_state {
	int ctl, evt, netns;
	struct cgroup *cg;
	struct sysfilter_prog *filter;
	char root[PATH_MAX];
	uint64_t base_vm;
	struct { pid_t pid; int slot; } kids[CHILDREN_MAX];
};

static int recv_request(int fd, struct zy_request *req, int fds[2])
{
	char cbuf[CMSG_SPACE(2 * sizeof(int))];
	struct iovec iov = { req, sizeof *req };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof cbuf };
	struct cmsghdr *cm;
	ssize_t r;

	fds[0] = fds[1] = -1;
	r = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	if (r <= 0)
		return r == 0 ? -EPIPE : -errno;
	cm = CMSG_FIRSTHDR(&mh);
	if (cm && cm->cmsg_type == SCM_RIGHTS && cm->cmsg_len == CMSG_LEN(2 * sizeof(int)))
		memcpy(fds, CMSG_DATA(cm), 2 * sizeof(int));
	if ((size_t)r != sizeof *req || fds[0] < 0 || fds[1] < 0)
		return -EPROTO;
	return 0;
}

static void spawn_child(struct zy_state *st, struct zy_request *req, int fds[2], struct zy_reply *rep)
{
	struct sandbox_spec spec;
	int slot = -1, cgfds[CGROUP_FDS] = { -1, -1 }, i;
	pid_t pid;

	for (i = 0; i < CHILDREN_MAX && st->kids[i].pid; i++)
		;
	if (i == CHILDREN_MAX) {
		rep->rc = -EAGAIN;
		return;
	}
	req->cfg.name[sizeof req->cfg.name - 1] = '\0';
	if (cgroup_active(st->cg)) {
		slot = cgroup_slot_get(st->cg, (uint64_t)req->cfg.memory_mb << 20, SANDBOX_PIDS_MAX, cgfds);
		if (slot < 0)
			log_warn("no cgroup slot for %s (%s): memory limited by RLIMIT_AS only",
				 req->cfg.name, strerror(-slot));
	}
	memset(&spec, 0, sizeof spec);
	spec.cfg = &req->cfg;
	spec.chan = fds[0];
	spec.logfd = fds[1];
	spec.netns_fd = req->cfg.network ? -1 : st->netns;
	spec.cg_fds[0] = cgfds[0];
	spec.cg_fds[1] = cgfds[1];
	spec.cgroup_ok = slot >= 0;
	spec.base_vm = st->base_vm;
	spec.root_dir = st->root;
	spec.filter = st->filter;

	pid = (pid_t)syscall(SYS_clone, CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | SIGCHLD,
			     NULL, NULL, NULL, NULL);
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		sandbox_enter(&spec);
		worker_main(&req->cfg, req->mode);
	}
	for (int k = 0; k < CGROUP_FDS; k++)
		if (cgfds[k] >= 0)
			close(cgfds[k]);
	if (pid < 0) {
		rep->rc = -errno;
		if (slot >= 0)
			cgroup_slot_put(st->cg, slot);
		return;
	}
	st->kids[i].pid = pid;
	st->kids[i].slot = slot;
	rep->rc = 0;
	rep->pid = pid;
}

static void reap(struct zy_state *st)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct zy_exit ev = { pid, status, 0 };

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

__attribute__((noreturn)) static void zygote_main(int ctl, int evt, const char *home, bool quiet)
{
	static struct zy_state st;
	struct zy_hello hello = { 0 };
	char why[512];
	sigset_t mask;
	int sfd;

	log_set_role("zygote");
	st.ctl = ctl;
	st.evt = evt;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);

	st.filter = sysfilter_prog_new(SANDBOX_CHAN_FD, why, sizeof why);
	if (!st.filter) {
		hello.rc = -EINVAL;
		snprintf(hello.msg, sizeof hello.msg, "seccomp: %s", why);
		goto hello;
	}
	st.netns = make_empty_netns();
	if (st.netns < 0) {
		hello.rc = st.netns;
		snprintf(hello.msg, sizeof hello.msg, "cannot create the empty network namespace: %s (tutti needs root)",
			 strerror(-st.netns));
		goto hello;
	}
	snprintf(st.root, sizeof st.root, "%s/run/sandbox-root", home);
	if (fs_mkdir_p(st.root, 0755)) {
		hello.rc = -errno;
		snprintf(hello.msg, sizeof hello.msg, "cannot create %s: %s", st.root, strerror(errno));
		goto hello;
	}
	st.cg = cgroup_new(why, sizeof why);
	if (!cgroup_active(st.cg) && !quiet)
		log_warn("cgroups unusable (%s): memory limited by RLIMIT_AS only, process count by seccomp only", why);
	snprintf(hello.cgroup_mode, sizeof hello.cgroup_mode, "%s", cgroup_mode(st.cg));
	st.base_vm = vm_size();
	if (sfd < 0) {
		hello.rc = -errno;
		snprintf(hello.msg, sizeof hello.msg, "signalfd: %s", strerror(errno));
	}
hello:
	send(ctl, &hello, sizeof hello, 0);
	if (hello.rc)
		_exit(1);

	for (;;) {
		struct pollfd pf[2] = { { ctl, POLLIN, 0 }, { sfd, POLLIN, 0 } };

		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
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
			int fds[2], rc = recv_request(ctl, &req, fds);

			if (rc == -EPIPE)
				break;
			if (rc)
				rep.rc = rc;
			else
				spawn_child(&st, &req, fds, &rep);
			if (fds[0] >= 0)
				close(fds[0]);
			if (fds[1] >= 0)
				close(fds[1]);
			send(ctl, &rep, sizeof rep, 0);
		}
	}
	/* The runtime closed us: take the environments down with us. */
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

struct zygote *zygote_start(const char *home, bool quiet, struct err *e)
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
		zygote_main(3, 4, home, quiet);
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
