/* zygote_proto — messages between tutti (runtime/zygote.c) and the zygote
 * program (runtime/zygote_main.c), over SOCK_SEQPACKET socketpairs. Both are built
 * from the same tree, so structures travel as they are.
 *
 * At start the zygote gets descriptors 3 (control) and 4 (exit events);
 * tutti sends it the seccomp programs (ZY_FILTER_MAGIC and two memfds, see
 * sysfilter_prog_memfd: without network, with network) and it answers one
 * zy_hello on control.
 * Then, per environment, tutti sends a zy_request with descriptors
 * [channel, log, code mount, layers mount?, network file mounts...] and
 * gets a zy_reply with descriptors [freezer control?, CPU usage?]. The
 * function's configuration never goes to the zygote: tutti writes it on
 * the environment's channel (PROTO_CONFIG) itself. */
#ifndef TUTTI_ZYGOTE_PROTO_H
#define TUTTI_ZYGOTE_PROTO_H

#include <stdint.h>

#include "sandbox.h"

#define ZY_CTL_FD 3
#define ZY_EVT_FD 4
#define ZY_FILTER_MAGIC 0x7a79676fu
#define ZY_FDS_MAX (2 + 2 + SANDBOX_NET_FILES)
#define ZY_REPLY_FDS 3

struct zy_request {
	struct sandbox_limits lim;
};

struct zy_reply {
	int32_t rc;
	int32_t pid;
	int32_t freeze_kind;   /* enum cgroup_freeze_kind; a descriptor follows if not NONE */
	int32_t cpu_kind;      /* enum cgroup_cpu_kind; a descriptor follows if not NONE */
	int32_t mem_kind;      /* enum cgroup_mem_kind; a descriptor follows if not NONE */
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

#endif
