/* sysfilter — the sandbox's syscall allowlist, compiled once.
 *
 * sysfilter_prog_new compiles sysfilter.def with libseccomp and exports the BPF
 * programs into memory (done once per tutti process, or read from the cache
 * under $TUTTI_HOME/run); sysfilter_memfds hands them to the zygote, which
 * installs them in each sandbox child after no_new_privs (sandbox.c).
 * Calls outside the list trap (SIGSYS): the child reports the syscall number
 * and exits. The runtime's channel is descriptor `guard_fd`: closing it or
 * dup'ing over it traps too. */
#ifndef TUTTI_SYSFILTER_H
#define TUTTI_SYSFILTER_H

#include <stdbool.h>
#include <stdint.h>

struct sysfilter_prog;

/* Returns NULL and fills errbuf on failure.
 * `uid`: the sandbox user, the only one setresuid/setresgid may switch to.
 * `network`: the socket families admitted. socket() and socketpair()
 * succeed for AF_UNIX always, AF_INET and AF_INET6 only with network on;
 * any other family (netlink, vsock, packet, alg, key...) fails with
 * EAFNOSUPPORT (an errno, not a violation: libc probes netlink for
 * getaddrinfo and falls back). */
struct sysfilter_prog *sysfilter_prog_new(int guard_fd, unsigned uid, bool network, char *errbuf,
					  unsigned errlen);
void sysfilter_prog_free(struct sysfilter_prog *p);
/* The programs as raw BPF in a sealed memfd for the zygote (u32 count, then
 * per program u32 length and its instructions; sandbox_filter_load reads
 * it). Returns the descriptor (close-on-exec) or -errno. */
int sysfilter_prog_memfd(const struct sysfilter_prog *p);
/* Both programs' memfds (sysfilter_prog_memfd's layout): [0] network off,
 * [1] on. Taken from CACHE_DIR/seccomp-<key>.bpf when a valid one is there
 * (*cached true), else compiled and the file (re)written; `cache_dir` NULL:
 * no cache. The directory is used only if it is the caller's (euid) and
 * private, and made (0700) if missing. 0 or -errno with errbuf filled. */
int sysfilter_memfds(const char *cache_dir, int guard_fd, unsigned uid, int mfd[2], bool *cached, char *errbuf,
		     unsigned errlen);
/* The cache key: allowlist, parameters, this build, libseccomp, arch, API. */
uint64_t sysfilter_cache_key(int guard_fd, unsigned uid);
/* Name of a syscall number on this architecture ("execve"), or "syscall N". */
void sysfilter_syscall_name(int nr, char *out, unsigned n);

#endif
