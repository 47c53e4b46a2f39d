#include "sysfilter.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <linux/filter.h>
#include <sched.h>
#include <sys/socket.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Two programs: the allowlist (default TRAP) and the guards (default
 * ALLOW, TRAP on a forbidden low-32-bit value). The kernel runs both and
 * the more restrictive answer wins. The guards need a program of their
 * own because libseccomp refuses a TRAP rule in a filter whose default is
 * TRAP, and an argument the kernel reads as a 32-bit int must be matched
 * on its low 32 bits (MASKED_EQ): seccomp sees the whole register, and a
 * plain comparison could be dodged through its upper half. */
struct sysfilter_prog {
	struct sock_fprog fprog[2];
};

static const char *const allowed[] = {
#define ALLOW(name) #name,
#include "sysfilter.def"
#undef ALLOW
};

/* Trap `nr` when argument `arg`'s low 32 bits equal `value`. */
static int guard_arg(scmp_filter_ctx ctx, int nr, unsigned arg, uint32_t value)
{
	struct scmp_arg_cmp hit = { arg, SCMP_CMP_MASKED_EQ, 0xffffffffu, value };

	return seccomp_rule_add_array(ctx, SCMP_ACT_TRAP, nr, 1, &hit);
}

/* The runtime's channel stays open and stays itself, and SIGSYS stays the
 * runtime's, so a violation is always reported. */
static int add_guards(scmp_filter_ctx ctx, int guard_fd)
{
	int rc = guard_arg(ctx, SCMP_SYS(close), 0, (uint32_t)guard_fd);

	rc = rc ? rc : guard_arg(ctx, SCMP_SYS(dup2), 1, (uint32_t)guard_fd);
	rc = rc ? rc : guard_arg(ctx, SCMP_SYS(dup3), 1, (uint32_t)guard_fd);
	rc = rc ? rc : guard_arg(ctx, SCMP_SYS(rt_sigaction), 0, SIGSYS);
	return rc;
}

/* Other argument checks: where a dodge through the upper 32 bits of a
 * register could only make the call fail or do nothing, a plain comparison
 * is enough. */
static int add_rules(scmp_filter_ctx ctx, unsigned uid)
{
	int rc;

	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
		int nr = seccomp_syscall_resolve_name(allowed[i]);

		if (nr == __NR_SCMP_ERROR)
			continue; /* not on this architecture */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		if (rc)
			return rc;
	}
	/* Threads yes, processes and namespaces no. */
	rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			      SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	/* clone3 passes flags in memory seccomp can't read: make glibc fall back
	 * to clone, whose flags we can check. Same for close_range, which could
	 * close the runtime's channel. */
	rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(close_range), 0);
	/* Guarded by the second program (add_guards). */
	rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(close), 0);
	rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(dup2), 0);
	rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(dup3), 0);
	rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(rt_sigaction), 0);
	/* Signals only to itself (pid 0 or 1: the sandbox is its own PID
	 * namespace and session). SIGKILL to itself traps instead: as pid 1 of
	 * its namespace the kernel would drop it, and the reporter turns the
	 * trap into the death the function asked for. (SIGSTOP is dropped: the
	 * function just goes on.) */
	rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 2,
				       SCMP_A0_32(SCMP_CMP_LE, 1), SCMP_A1_32(SCMP_CMP_NE, SIGKILL));
	rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
				       SCMP_A2_32(SCMP_CMP_NE, SIGKILL));
	rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tkill), 1,
				       SCMP_A1_32(SCMP_CMP_NE, SIGKILL));
	/* The last steps of the sandbox's set-up run under the filter (it is
	 * installed ahead of time, in a blank environment): attaching the
	 * zygote's detached mounts, joining the host network for functions with
	 * network on, and becoming the sandbox user. Admitted only in exactly
	 * those forms; for the function (no capabilities by then) they fail
	 * with EPERM or change nothing. */
	rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(move_mount), 2,
				       SCMP_A2_32(SCMP_CMP_EQ, (uint32_t)AT_FDCWD),
				       SCMP_A4_32(SCMP_CMP_EQ, MOVE_MOUNT_F_EMPTY_PATH));
	rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setns), 1,
				       SCMP_A1_32(SCMP_CMP_EQ, CLONE_NEWNET));
	rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setgroups), 1, SCMP_A0_32(SCMP_CMP_EQ, 0));
	rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setresgid), 3,
				       SCMP_A0_32(SCMP_CMP_EQ, uid), SCMP_A1_32(SCMP_CMP_EQ, uid), SCMP_A2_32(SCMP_CMP_EQ, uid));
	rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(setresuid), 3,
				       SCMP_A0_32(SCMP_CMP_EQ, uid), SCMP_A1_32(SCMP_CMP_EQ, uid), SCMP_A2_32(SCMP_CMP_EQ, uid));
	return rc;
}

/* socket() and socketpair() by family (argument 0): AF_UNIX, and with
 * network AF_INET and AF_INET6; everything else EAFNOSUPPORT. The rules
 * compare all 64 bits and partition every value (each family up to
 * AF_INET6 on its own, then "above AF_INET6"), so their order cannot
 * matter and no value passes through its upper half: a family with upper
 * bits set is "above" and refused. */
static int add_socket_rules(scmp_filter_ctx ctx, bool network)
{
	static const int calls[] = { SCMP_SYS(socket), SCMP_SYS(socketpair) };
	const uint32_t refuse = SCMP_ACT_ERRNO(EAFNOSUPPORT);
	int rc = 0;

	for (size_t c = 0; c < sizeof calls / sizeof calls[0]; c++) {
		for (uint64_t fam = 0; fam <= AF_INET6 && !rc; fam++) {
			bool ok = fam == AF_UNIX || (network && (fam == AF_INET || fam == AF_INET6));

			rc = seccomp_rule_add(ctx, ok ? SCMP_ACT_ALLOW : refuse, calls[c], 1,
					      SCMP_A0_64(SCMP_CMP_EQ, fam));
		}
		rc = rc ? rc : seccomp_rule_add(ctx, refuse, calls[c], 1, SCMP_A0_64(SCMP_CMP_GT, AF_INET6));
		if (rc)
			break;
	}
	return rc;
}

/* Export a libseccomp context as a BPF program in memory. */
static int export(scmp_filter_ctx ctx, struct sock_fprog *out, char *errbuf, unsigned errlen)
{
	int fd = memfd_create("tutti-seccomp", MFD_CLOEXEC), rc = -1;
	off_t size;

	if (fd < 0) {
		snprintf(errbuf, errlen, "memfd_create: %s", strerror(errno));
		return -1;
	}
	if ((rc = seccomp_export_bpf(ctx, fd))) {
		snprintf(errbuf, errlen, "seccomp_export_bpf: %s", strerror(-rc));
		goto out;
	}
	rc = -1;
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % (off_t)sizeof(struct sock_filter) || size > 65536) {
		snprintf(errbuf, errlen, "seccomp: unexpected BPF size %lld", (long long)size);
		goto out;
	}
	out->len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
	out->filter = malloc((size_t)size);
	if (!out->filter || pread(fd, out->filter, (size_t)size, 0) != size) {
		snprintf(errbuf, errlen, "seccomp: cannot read back the BPF program");
		goto out;
	}
	rc = 0;
out:
	close(fd);
	return rc;
}

struct sysfilter_prog *sysfilter_prog_new(int guard_fd, unsigned uid, bool network, char *errbuf,
					  unsigned errlen)
{
	scmp_filter_ctx ctx = NULL, guards = NULL;
	struct sysfilter_prog *p = calloc(1, sizeof *p);
	int rc;

	if (!p) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	ctx = seccomp_init(SCMP_ACT_TRAP);
	guards = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx || !guards) {
		snprintf(errbuf, errlen, "seccomp_init failed");
		goto fail;
	}
	rc = add_rules(ctx, uid);
	rc = rc ? rc : add_socket_rules(ctx, network);
	rc = rc ? rc : add_guards(guards, guard_fd);
	if (rc) {
		snprintf(errbuf, errlen, "seccomp_rule_add: %s", strerror(-rc));
		goto fail;
	}
	if (export(ctx, &p->fprog[0], errbuf, errlen) || export(guards, &p->fprog[1], errbuf, errlen))
		goto fail;
	seccomp_release(ctx);
	seccomp_release(guards);
	return p;
fail:
	if (ctx)
		seccomp_release(ctx);
	if (guards)
		seccomp_release(guards);
	sysfilter_prog_free(p);
	return NULL;
}

void sysfilter_prog_free(struct sysfilter_prog *p)
{
	if (!p)
		return;
	free(p->fprog[0].filter);
	free(p->fprog[1].filter);
	free(p);
}

int sysfilter_prog_install(const struct sysfilter_prog *p)
{
	for (int i = 0; i < 2; i++)
		if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p->fprog[i], 0, 0) < 0)
			return -errno;
	return 0;
}

int sysfilter_prog_memfd(const struct sysfilter_prog *p)
{
	int fd = memfd_create("tutti-seccomp", MFD_CLOEXEC | MFD_ALLOW_SEALING), rc = 0;
	uint32_t n = 2;

	if (fd < 0)
		return -errno;
	if (write(fd, &n, sizeof n) != sizeof n)
		rc = -EIO;
	for (int i = 0; i < 2 && !rc; i++) {
		uint32_t len = p->fprog[i].len;
		size_t bytes = (size_t)len * sizeof(struct sock_filter);

		if (write(fd, &len, sizeof len) != sizeof len || write(fd, p->fprog[i].filter, bytes) != (ssize_t)bytes)
			rc = -EIO;
	}
	if (!rc && fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		rc = -errno;
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

void sysfilter_syscall_name(int nr, char *out, unsigned n)
{
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);

	if (name)
		snprintf(out, n, "%s", name);
	else
		snprintf(out, n, "syscall %d", nr);
	free(name);
}
