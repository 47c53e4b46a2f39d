#include "zygote.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "proto.h"
#include "sandbox.h"
#include "sysfilter.h"
#include "worker.h"
#include "zygote_proto.h"

/* The zygote runs in a PID namespace of its own: it names an environment
 * with its pid there (exit events) and with ours (the reply's
 * credentials, translated by the kernel). */
struct pid_pair {
	pid_t theirs, ours;
};

struct zygote {
	pid_t pid;
	int ctl;    /* request/reply, SOCK_SEQPACKET */
	int evt;    /* exit events, SOCK_SEQPACKET, non-blocking */
	pthread_mutex_t lock;   /* ctl, pids */
	char cgroup_mode[8];
	struct pid_pair *pids;
	size_t npids, cap;
};

static int pids_add(struct zygote *z, pid_t theirs, pid_t ours)
{
	if (z->npids == z->cap) {
		size_t cap = z->cap ? z->cap * 2 : 64;
		struct pid_pair *p = realloc(z->pids, cap * sizeof *p);

		if (!p)
			return -ENOMEM;
		z->pids = p;
		z->cap = cap;
	}
	z->pids[z->npids++] = (struct pid_pair){ theirs, ours };
	return 0;
}

/* Ours for theirs, forgetting the pair (0: unknown). */
static pid_t pids_take(struct zygote *z, pid_t theirs)
{
	pid_t ours = 0;

	pthread_mutex_lock(&z->lock);
	for (size_t i = 0; i < z->npids; i++)
		if (z->pids[i].theirs == theirs) {
			ours = z->pids[i].ours;
			z->pids[i] = z->pids[--z->npids];
			break;
		}
	pthread_mutex_unlock(&z->lock);
	return ours;
}

/* $TUTTI_ZYGOTE, else lib/tutti/tutti-zygote beside the executable's
 * directory or one of its ancestors (installed: $(PREFIX)/bin/tutti and
 * $(PREFIX)/lib/tutti/; built: $(BUILD)/bin/, $(BUILD)/tests/DIR/...). */
static int find_program(char *out, size_t n)
{
	const char *env = getenv("TUTTI_ZYGOTE");
	char dir[PATH_MAX], *slash;
	ssize_t len;

	if (env && env[0]) {
		snprintf(out, n, "%s", env);
		return access(out, X_OK) ? -errno : 0;
	}
	len = readlink("/proc/self/exe", dir, sizeof dir - 1);
	if (len <= 0)
		return -ENOENT;
	dir[len] = '\0';
	for (int up = 0; up < 5 && (slash = strrchr(dir, '/')) && slash != dir; up++) {
		*slash = '\0';
		snprintf(out, n, "%s/../lib/tutti/tutti-zygote", dir);
		if (!access(out, X_OK))
			return 0;
	}
	snprintf(out, n, "tutti-zygote");
	return -ENOENT;
}

/* The zygote's environment: what it needs, nothing of ours. */
#define ZY_ENV_MAX 13
static void build_env(char store[ZY_ENV_MAX][PATH_MAX + 64], char *envp[ZY_ENV_MAX + 1], const char *home,
		      bool quiet, unsigned prefork, bool oneshot)
{
	static const char *const pass[] = { "TUTTI_LOG", "TUTTI_TRACE_SANDBOX", "TUTTI_CGROUP_ROOT", "ASAN_OPTIONS",
					    "UBSAN_OPTIONS", "LSAN_OPTIONS" };
	int n = 0;

	snprintf(store[n++], sizeof store[0], "TUTTI_ZYGOTE_PARENT=%d", (int)getpid());
	snprintf(store[n++], sizeof store[0], "TUTTI_ZYGOTE_HOME=%s", home);
	snprintf(store[n++], sizeof store[0], "TUTTI_ZYGOTE_PREFORK=%u", prefork);
	snprintf(store[n++], sizeof store[0], "TUTTI_ZYGOTE_QUIET=%d", quiet ? 1 : 0);
	snprintf(store[n++], sizeof store[0], "TUTTI_ZYGOTE_ONESHOT=%d", oneshot ? 1 : 0);
	for (size_t i = 0; i < sizeof pass / sizeof pass[0] && n < ZY_ENV_MAX; i++) {
		const char *v = getenv(pass[i]);

		if (v)
			snprintf(store[n++], sizeof store[0], "%s=%s", pass[i], v);
	}
	for (int i = 0; i < n; i++)
		envp[i] = store[i];
	envp[n] = NULL;
}

/* fork+exec the program with ctl on 3 and evt on 4, /dev/null on 0 and 1,
 * stderr kept; exec failures come back on a close-on-exec pipe. */
static int spawn_program(const char *path, char *const envp[], int ctl, int evt, pid_t *pid_out)
{
	int rep[2], null = open("/dev/null", O_RDWR | O_CLOEXEC), err = 0;
	char *const argv[] = { "tutti-zygote", NULL };
	sigset_t all, old;
	pid_t pid;
	ssize_t r;

	if (null < 0)
		return -errno;
	if (pipe2(rep, O_CLOEXEC) < 0) {
		err = -errno;
		close(null);
		return err;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = vfork();
	if (pid == 0) {
		/* Only async-signal-safe calls until execve. Move our descriptors
		 * above the targets first, so no dup2 overwrites another. */
		int a = fcntl(ctl, F_DUPFD_CLOEXEC, 16), b = fcntl(evt, F_DUPFD_CLOEXEC, 16);
		int w = fcntl(rep[1], F_DUPFD_CLOEXEC, 16), e;
		sigset_t none;

		if (prctl(PR_SET_PDEATHSIG, SIGTERM) < 0 || a < 0 || b < 0 || w < 0 || dup2(null, 0) < 0 ||
		    dup2(null, 1) < 0 || dup2(a, ZY_CTL_FD) < 0 || dup2(b, ZY_EVT_FD) < 0 || dup3(w, 5, O_CLOEXEC) < 0)
			goto fail;
		syscall(SYS_close_range, 6, ~0U, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		execve(path, argv, envp);
		w = 5;
fail:
		e = errno;
		if (write(w >= 0 ? w : rep[1], &e, sizeof e) < 0) {
			/* the parent sees EOF without an error and the hello fails */
		}
		_exit(127);
	}
	if (pid < 0)
		err = -errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	close(rep[1]);
	close(null);
	if (pid > 0) {
		int e = 0;

		do
			r = read(rep[0], &e, sizeof e);
		while (r < 0 && errno == EINTR);
		if (r == sizeof e) {
			err = -e;
			waitpid(pid, NULL, 0);
			pid = -1;
		}
	}
	close(rep[0]);
	*pid_out = pid;
	return err;
}

static int send_with_fds(int fd, const void *msg, size_t len, const int *fds, int nfds)
{
	char cbuf[CMSG_SPACE(ZY_FDS_MAX * sizeof(int))];
	struct iovec iov = { (void *)msg, len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *cm;

	if (nfds > 0) {
		memset(cbuf, 0, sizeof cbuf);
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
	}
	return sendmsg(fd, &mh, MSG_NOSIGNAL) == (ssize_t)len ? 0 : -EPIPE;
}

struct zygote *zygote_start(const char *home, bool quiet, unsigned prefork, bool oneshot, struct err *e)
{
	struct zygote *z = calloc(1, sizeof *z);
	int ctl[2] = { -1, -1 }, evt[2] = { -1, -1 }, mfd[2] = { -1, -1 }, rc;
	static char store[ZY_ENV_MAX][PATH_MAX + 64];
	char *envp[ZY_ENV_MAX + 1], path[PATH_MAX], why[256];
	struct zy_hello hello;
	uint32_t magic = ZY_FILTER_MAGIC;

	if (!z) {
		err_set(e, ERR_RUNTIME_INTERNAL, "out of memory");
		return NULL;
	}
	z->pid = -1;
	z->ctl = z->evt = -1;
	pthread_mutex_init(&z->lock, NULL);
	rc = find_program(path, sizeof path);
	if (rc) {
		err_set(e, ERR_SANDBOX_SETUP, "cannot find the sandbox helper %s: %s (set TUTTI_ZYGOTE)", path,
			strerror(-rc));
		goto fail;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctl) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, evt) < 0) {
		err_set(e, ERR_RUNTIME_INTERNAL, "socketpair: %s", strerror(errno));
		goto fail;
	}
	build_env(store, envp, home, quiet, prefork, oneshot);
	fflush(NULL);
	rc = spawn_program(path, envp, ctl[1], evt[1], &z->pid);
	if (rc) {
		err_set(e, ERR_SANDBOX_SETUP, "cannot start the sandbox helper %s: %s", path, strerror(-rc));
		goto fail;
	}
	close(ctl[1]);
	close(evt[1]);
	ctl[1] = evt[1] = -1;
	z->ctl = ctl[0];
	z->evt = evt[0];
	{
		int one = 1;

		setsockopt(z->ctl, SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
	}
	ctl[0] = evt[0] = -1;
	fcntl(z->evt, F_SETFL, O_NONBLOCK);
	/* While the zygote starts: the seccomp programs, for it to install in
	 * every environment — [0] network off, [1] network on (the socket
	 * families admitted differ); cached under run/ (sysfilter.h). */
	{
		char cache[PATH_MAX];
		bool cached;

		snprintf(cache, sizeof cache, "%s/run", home);
		rc = sysfilter_memfds(cache, SANDBOX_CHAN_FD, SANDBOX_UID, mfd, &cached, why, sizeof why);
		if (rc) {
			err_set(e, ERR_SANDBOX_SETUP, "seccomp: %s", why);
			goto fail;
		}
	}
	if (send_with_fds(z->ctl, &magic, sizeof magic, mfd, 2)) {
		err_set(e, ERR_SANDBOX_SETUP, "cannot hand the seccomp filter to the sandbox helper");
		goto fail;
	}
	for (int i = 0; i < 2; i++) {
		close(mfd[i]);
		mfd[i] = -1;
	}
	if (recv(z->ctl, &hello, sizeof hello, 0) != sizeof hello) {
		err_set(e, ERR_SANDBOX_SETUP, "the sandbox helper (zygote) died during start-up");
		goto fail;
	}
	if (hello.rc) {
		hello.msg[sizeof hello.msg - 1] = '\0';
		err_set(e, ERR_SANDBOX_SETUP, "%s", hello.msg);
		goto fail;
	}
	hello.cgroup_mode[sizeof hello.cgroup_mode - 1] = '\0';
	snprintf(z->cgroup_mode, sizeof z->cgroup_mode, "%s", hello.cgroup_mode);
	return z;
fail:
	for (int i = 0; i < 2; i++) {
		if (ctl[i] >= 0)
			close(ctl[i]);
		if (evt[i] >= 0)
			close(evt[i]);
	}
	for (int i = 0; i < 2; i++)
		if (mfd[i] >= 0)
			close(mfd[i]);
	zygote_stop(z, true);
	return NULL;
}

void zygote_stop(struct zygote *z, bool wait)
{
	if (!z)
		return;
	if (z->ctl >= 0)
		close(z->ctl);
	if (z->evt >= 0)
		close(z->evt);
	if (z->pid > 0 && wait)
		waitpid(z->pid, NULL, 0);
	pthread_mutex_destroy(&z->lock);
	free(z->pids);
	free(z);
}

static int recv_reply(int fd, struct zy_reply *rep, int *fds, int *nfds, pid_t *ours)
{
	char cbuf[CMSG_SPACE(ZY_REPLY_FDS * sizeof(int)) + CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { rep, sizeof *rep };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof cbuf };
	struct cmsghdr *cm;
	ssize_t r;

	*nfds = 0;
	do
		r = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r != sizeof *rep)
		return -EPIPE;
	*ours = 0;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
			int n = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));

			for (int i = 0; i < n; i++) {
				int f;

				memcpy(&f, CMSG_DATA(cm) + (size_t)i * sizeof(int), sizeof f);
				if (*nfds < ZY_REPLY_FDS)
					fds[(*nfds)++] = f;
				else
					close(f);
			}
		} else if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS &&
			   cm->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
			struct ucred uc;

			memcpy(&uc, CMSG_DATA(cm), sizeof uc);
			*ours = uc.pid;
		}
	}
	return 0;
}

int zygote_spawn(struct zygote *z, const struct fn_config *cfg, int chan, int logfd, struct zygote_env *out,
		 char *what, size_t whatlen)
{
	struct zy_request req;
	struct sandbox_mounts m;
	struct zy_reply rep;
	int fds[ZY_FDS_MAX], n, rfds[ZY_REPLY_FDS], nr = 0, rc, k = 0;
	pid_t ours = 0;

	out->pid = 0;
	out->freeze_fd = out->cpu_fd = out->mem_fd = -1;
	out->freeze_kind = CG_FREEZE_NONE;
	out->cpu_kind = CG_CPU_NONE;
	out->mem_kind = CG_MEM_NONE;
	memset(&req, 0, sizeof req);
	req.lim.memory_mb = cfg->memory_mb;
	req.lim.tmp_mb = cfg->tmp_mb;
	req.lim.network = cfg->network;
	/* The detached mounts are made here, in the host's mount namespace:
	 * the zygote never learns a host path. */
	rc = sandbox_mounts_make(cfg, &m, &req.lim, what, whatlen);
	if (rc)
		return rc;
	fds[0] = chan;
	fds[1] = logfd;
	n = 2 + sandbox_mounts_fds(&m, fds + 2, ZY_FDS_MAX - 2);
	pthread_mutex_lock(&z->lock);
	if (send_with_fds(z->ctl, &req, sizeof req, fds, n) || recv_reply(z->ctl, &rep, rfds, &nr, &ours))
		rc = -EPIPE;
	else if ((rc = rep.rc) == 0 && ours <= 0)
		rc = -ESRCH; /* no pid we can name: cannot kill it, cannot use it */
	else if (rc == 0)
		rc = pids_add(z, rep.pid, ours);
	pthread_mutex_unlock(&z->lock);
	sandbox_mounts_close(&m);
	if (rc == 0) {
		out->pid = ours;
		if (rep.freeze_kind != CG_FREEZE_NONE && k < nr) {
			out->freeze_fd = rfds[k++];
			out->freeze_kind = rep.freeze_kind;
		}
		if (rep.cpu_kind != CG_CPU_NONE && k < nr) {
			out->cpu_fd = rfds[k++];
			out->cpu_kind = rep.cpu_kind;
		}
		if (rep.mem_kind != CG_MEM_NONE && k < nr) {
			out->mem_fd = rfds[k++];
			out->mem_kind = rep.mem_kind;
		}
	}
	for (; k < nr; k++)
		close(rfds[k]);
	if (rc)
		snprintf(what, whatlen, "the sandbox helper");
	return rc;
}

int zygote_send_config(int chan, const struct fn_config *cfg, int mode)
{
	static __thread struct worker_config w;
	size_t len = worker_config_make(&w, cfg, mode);
	int rc = proto_send(chan, PROTO_CONFIG, &w, len, NULL, 0, NULL, 0);

	/* Not left lying around in this process either. */
	memset(w.env, 0, w.env_len);
	return rc;
}

int zygote_event_fd(const struct zygote *z)
{
	return z->evt;
}

int zygote_read_exit(struct zygote *z, pid_t *pid, int *status, bool *oom)
{
	struct zy_exit ev;
	ssize_t r;

	/* (Events of children we never heard of — a blank that died unused —
	 * are skipped.) */
	do {
		r = recv(z->evt, &ev, sizeof ev, MSG_DONTWAIT);
		if (r < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
		if (r == 0)
			return -EPIPE;
		*pid = r == sizeof ev ? pids_take(z, ev.pid) : 0;
	} while (!*pid);
	*status = ev.status;
	*oom = ev.oom != 0;
	return 1;
}

const char *zygote_cgroup_mode(const struct zygote *z)
{
	return z->cgroup_mode;
}
