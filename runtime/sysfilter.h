/* sysfilter — the sandbox's syscall allowlist, compiled once.
 *
 * sysfilter_prog_new compiles sysfilter.def with libseccomp and exports the BPF
 * program into memory (done once, in the zygote); sysfilter_prog_install loads
 * it into the calling process (in each sandbox child, after no_new_privs).
 * Calls outside the list trap (SIGSYS): the child reports the syscall number
 * and exits. The runtime's channel is descriptor `guard_fd`: closing it or
 * dup'ing over it traps too. */
#ifndef TUTTI_SYSFILTER_H
#define TUTTI_SYSFILTER_H

#include <stdbool.h>

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
/* 0 or -errno; async-signal-safe (a prctl). */
int sysfilter_prog_install(const struct sysfilter_prog *p);
/* The programs as raw BPF in a sealed memfd for the zygote (u32 count, then
 * per program u32 length and its instructions; sandbox_filter_load reads
 * it). Returns the descriptor (close-on-exec) or -errno. */
int sysfilter_prog_memfd(const struct sysfilter_prog *p);
/* Name of a syscall number on this architecture ("execve"), or "syscall N". */
void sysfilter_syscall_name(int nr, char *out, unsigned n);

#endif
