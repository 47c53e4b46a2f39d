#include "sysfilter.h"

#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <linux/seccomp.h>
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

/* The memfd layout (sysfilter.h) in memory: malloc'd, length in *len. */
static uint8_t *blob_of(const struct sysfilter_prog *p, size_t *len)
{
	size_t n = sizeof(uint32_t);
	uint8_t *b, *q;

	for (int i = 0; i < 2; i++)
		n += sizeof(uint32_t) + (size_t)p->fprog[i].len * sizeof(struct sock_filter);
	b = q = malloc(n);
	if (!b)
		return NULL;
	*(uint32_t *)(void *)q = 2;
	q += sizeof(uint32_t);
	for (int i = 0; i < 2; i++) {
		uint32_t l = p->fprog[i].len;
		size_t bytes = (size_t)l * sizeof(struct sock_filter);

		memcpy(q, &l, sizeof l);
		memcpy(q + sizeof l, p->fprog[i].filter, bytes);
		q += sizeof l + bytes;
	}
	*len = n;
	return b;
}

/* A sealed memfd holding `len` bytes of `data`, or -errno. */
static int memfd_of(const void *data, size_t len)
{
	int fd = memfd_create("tutti-seccomp", MFD_CLOEXEC | MFD_ALLOW_SEALING), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, data, len) != (ssize_t)len)
		rc = -EIO;
	if (!rc && fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		rc = -errno;
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

int sysfilter_prog_memfd(const struct sysfilter_prog *p)
{
	size_t len;
	uint8_t *b = blob_of(p, &len);
	int fd;

	if (!b)
		return -ENOMEM;
	fd = memfd_of(b, len);
	free(b);
	return fd;
}

/* ---- the on-disk cache ------------------------------------------------------
 *
 * Compiling the two pairs of programs costs more instructions than all of
 * the rest of a one-shot `tutti invoke` in this process, so they are kept
 * in CACHE_DIR/seccomp-<key>.bpf. The key hashes everything the output
 * depends on: the allowlist, the rules' parameters (guard descriptor,
 * uid), the build of this code (its GNU build-id: the conditional rules
 * are code), libseccomp's version, the native architecture and the
 * kernel's seccomp API level. A file is used only if the directory and
 * the file are ours (euid) and private, the header's magic, version and
 * key match, the checksum over the programs matches, and each program
 * parses (count, lengths, an architecture check first, a return last);
 * anything else is ignored and the programs are compiled and the file
 * rewritten (atomically: a temporary file renamed over it). */

#define CACHE_MAGIC "TTBPFv1"
#define CACHE_MAX (64 * 1024)

struct cache_hdr {
	char magic[8];
	uint64_t key;
	uint32_t len[2];   /* bytes of each blob: network off, on */
	uint64_t sum;      /* FNV-1a over both blobs */
};

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
	const uint8_t *p = data;

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define FNV_INIT 0xcbf29ce484222325ULL

struct build_id_find {
	const void *addr;
	const void *note;
	size_t len;
};

static int find_build_id(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct build_id_find *f = arg;
	bool ours = false;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum && !ours; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t a = info->dlpi_addr + ph->p_vaddr;

		ours = ph->p_type == PT_LOAD && (uintptr_t)f->addr >= a && (uintptr_t)f->addr < a + ph->p_memsz;
	}
	if (!ours)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;

		if (ph->p_type != PT_NOTE)
			continue;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *nh = (const void *)p;
			size_t name = (nh->n_namesz + 3) & ~3u, desc = (nh->n_descsz + 3) & ~3u;

			if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && !memcmp(p + sizeof *nh, "GNU", 4)) {
				f->note = p + sizeof *nh + name;
				f->len = nh->n_descsz;
				return 1;
			}
			p += sizeof *nh + name + desc;
		}
	}
	return 1;
}

uint64_t sysfilter_cache_key(int guard_fd, unsigned uid)
{
	const struct scmp_version *v = seccomp_version();
	struct build_id_find f = { (const void *)&add_rules, NULL, 0 };
	uint32_t arch = seccomp_arch_native(), api = (uint32_t)seccomp_api_get();
	uint64_t h = fnv(FNV_INIT, CACHE_MAGIC, sizeof CACHE_MAGIC);

	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
		h = fnv(h, allowed[i], strlen(allowed[i]) + 1);
	h = fnv(h, &guard_fd, sizeof guard_fd);
	h = fnv(h, &uid, sizeof uid);
	if (v) {
		h = fnv(h, &v->major, sizeof v->major);
		h = fnv(h, &v->minor, sizeof v->minor);
		h = fnv(h, &v->micro, sizeof v->micro);
	}
	h = fnv(h, &arch, sizeof arch);
	h = fnv(h, &api, sizeof api);
	dl_iterate_phdr(find_build_id, &f);
	if (f.note)
		h = fnv(h, f.note, f.len);
	else
		h = fnv(h, __DATE__ __TIME__, sizeof __DATE__ __TIME__); /* (no build-id: at least this build) */
	return h;
}

/* One blob (the memfd layout) parses: two programs, each within bounds,
 * starting with the architecture check, ending with a return. */
static bool blob_ok(const uint8_t *b, size_t len)
{
	uint32_t n, l;
	size_t off = sizeof n;

	if (len < sizeof n)
		return false;
	memcpy(&n, b, sizeof n);
	if (n != 2)
		return false;
	for (uint32_t i = 0; i < n; i++) {
		struct sock_filter first, last;

		if (len - off < sizeof l)
			return false;
		memcpy(&l, b + off, sizeof l);
		off += sizeof l;
		if (l == 0 || l > 4096 || len - off < (size_t)l * sizeof(struct sock_filter))
			return false;
		memcpy(&first, b + off, sizeof first);
		memcpy(&last, b + off + (size_t)(l - 1) * sizeof last, sizeof last);
		if (first.code != (BPF_LD | BPF_W | BPF_ABS) || first.k != offsetof(struct seccomp_data, arch) ||
		    BPF_CLASS(last.code) != BPF_RET)
			return false;
		off += (size_t)l * sizeof(struct sock_filter);
	}
	return off == len;
}

/* The cached blobs, or -1: *buf (malloc'd) holds header and blobs. */
static int cache_read(int dir, const char *name, uint64_t key, uint8_t **buf)
{
	struct cache_hdr h;
	struct stat st;
	uint8_t *b = NULL;
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t r;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) ||
	    st.st_size < (off_t)sizeof h || st.st_size > CACHE_MAX || !(b = malloc((size_t)st.st_size)))
		goto bad;
	r = pread(fd, b, (size_t)st.st_size, 0);
	if (r != st.st_size)
		goto bad;
	memcpy(&h, b, sizeof h);
	if (memcmp(h.magic, CACHE_MAGIC, sizeof h.magic) || h.key != key || h.len[0] > CACHE_MAX ||
	    h.len[1] > CACHE_MAX || sizeof h + (size_t)h.len[0] + h.len[1] != (size_t)st.st_size ||
	    fnv(FNV_INIT, b + sizeof h, (size_t)h.len[0] + h.len[1]) != h.sum ||
	    !blob_ok(b + sizeof h, h.len[0]) || !blob_ok(b + sizeof h + h.len[0], h.len[1]))
		goto bad;
	close(fd);
	*buf = b;
	return 0;
bad:
	free(b);
	close(fd);
	return -1;
}

static void cache_write(int dir, const char *name, uint64_t key, uint8_t *const blob[2], const size_t len[2])
{
	struct cache_hdr h;
	char tmp[96];
	int fd;
	bool ok;

	memset(&h, 0, sizeof h);
	memcpy(h.magic, CACHE_MAGIC, sizeof h.magic);
	h.key = key;
	h.len[0] = (uint32_t)len[0];
	h.len[1] = (uint32_t)len[1];
	h.sum = fnv(fnv(FNV_INIT, blob[0], len[0]), blob[1], len[1]);
	snprintf(tmp, sizeof tmp, ".%s.%d", name, (int)getpid());
	fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return;
	ok = write(fd, &h, sizeof h) == (ssize_t)sizeof h && write(fd, blob[0], len[0]) == (ssize_t)len[0] &&
	     write(fd, blob[1], len[1]) == (ssize_t)len[1];
	close(fd);
	if (!ok || renameat(dir, tmp, dir, name))
		unlinkat(dir, tmp, 0);
}

/* `cache_dir` opened if it is ours and private (made if missing), or -1. */
static int cache_dir_open(const char *path)
{
	struct stat st;
	int fd;

	if (!path)
		return -1;
	if (mkdir(path, 0700) && errno != EEXIST)
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		close(fd);
		return -1;
	}
	return fd;
}

int sysfilter_memfds(const char *cache_dir, int guard_fd, unsigned uid, int mfd[2], bool *cached, char *errbuf,
		     unsigned errlen)
{
	uint64_t key = sysfilter_cache_key(guard_fd, uid);
	uint8_t *buf = NULL, *blob[2] = { NULL, NULL };
	size_t len[2] = { 0, 0 };
	int dir = cache_dir_open(cache_dir), rc = 0;
	char name[64];

	mfd[0] = mfd[1] = -1;
	*cached = false;
	snprintf(name, sizeof name, "seccomp-%016llx.bpf", (unsigned long long)key);
	if (dir >= 0 && cache_read(dir, name, key, &buf) == 0) {
		struct cache_hdr h;

		memcpy(&h, buf, sizeof h);
		mfd[0] = memfd_of(buf + sizeof h, h.len[0]);
		mfd[1] = memfd_of(buf + sizeof h + h.len[0], h.len[1]);
		free(buf);
		if (mfd[0] < 0 || mfd[1] < 0) {
			rc = mfd[0] < 0 ? mfd[0] : mfd[1];
			snprintf(errbuf, errlen, "memfd: %s", strerror(-rc));
			goto fail;
		}
		*cached = true;
		close(dir);
		return 0;
	}
	for (int net = 0; net < 2; net++) {
		struct sysfilter_prog *p = sysfilter_prog_new(guard_fd, uid, net, errbuf, errlen);

		if (!p) {
			rc = -EINVAL;
			goto fail;
		}
		blob[net] = blob_of(p, &len[net]);
		sysfilter_prog_free(p);
		if (!blob[net]) {
			rc = -ENOMEM;
			snprintf(errbuf, errlen, "out of memory");
			goto fail;
		}
		mfd[net] = memfd_of(blob[net], len[net]);
		if (mfd[net] < 0) {
			rc = mfd[net];
			snprintf(errbuf, errlen, "memfd: %s", strerror(-rc));
			goto fail;
		}
	}
	if (dir >= 0)
		cache_write(dir, name, key, blob, len);
	goto out;
fail:
	for (int i = 0; i < 2; i++)
		if (mfd[i] >= 0) {
			close(mfd[i]);
			mfd[i] = -1;
		}
out:
	free(blob[0]);
	free(blob[1]);
	if (dir >= 0)
		close(dir);
	return rc;
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
