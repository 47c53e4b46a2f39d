/* proto — framed messages between the runtime and an execution environment.
 *
 * Each frame is a header {u32 type, u32 len, u64 seq} in host byte order
 * followed by `len` body bytes, over a SOCK_STREAM socketpair (both ends are
 * the same binary on the same machine, so no byte-order concerns). Bodies
 * are capped at PROTO_BODY_MAX; a larger frame is a protocol violation.
 *
 * `seq` ties every frame to one invocation: each INVOKE carries a fresh
 * random token (never 0, never shown to the function: not the request id),
 * and every frame the environment sends echoes the token of the invocation
 * it is serving, or 0 before its first one (start-up frames). The runtime
 * checks type, state and token on the header alone (rt_env.c, frame_fits),
 * so a frame forged by the function while it handles an invocation is
 * refused before its body is read, and can't pass for another invocation's.
 *
 * Messages (body layout):
 *   INVOKE      runtime→env  u64 deadline (CLOCK_MONOTONIC ns), char reqid[40], payload
 *   RESULT      env→runtime  u8 kind (PROTO_OK/PROTO_RAISED/...), then
 *                              OK: result JSON; otherwise "type\0message"
 *   LOADED      env→runtime  (check mode: code loaded fine; env exits)
 *   READY       env→runtime  init done, waiting for INVOKE
 *   INIT_ERROR  env→runtime  "type\0message"
 *   SETUP_ERROR env→runtime  i32 stage, i32 errno, detail text
 *   VIOLATION   env→runtime  i32 syscall number (env exits right after)
 *   SIGNAL      env→runtime  i32 signal: the function died of it (as pid 1
 *                            of its namespace it reports instead of dying)
 *   CONFIG      runtime→env  struct worker_config (worker.h), before anything
 *                            else: the function's settings and variables */
#ifndef TUTTI_PROTO_H
#define TUTTI_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "fnconf.h"

#define PROTO_BODY_MAX (FN_PAYLOAD_MAX + 4096u)
#define PROTO_REQID_LEN 40

enum proto_type {
	PROTO_INVOKE = 1,
	PROTO_RESULT,
	PROTO_LOADED,
	PROTO_READY,
	PROTO_INIT_ERROR,
	PROTO_SETUP_ERROR,
	PROTO_VIOLATION,
	PROTO_SIGNAL,
	PROTO_CONFIG,          /* runtime→env: struct worker_config, first */
};

enum proto_kind {
	PROTO_OK = 0,
	PROTO_RAISED,          /* tt_raise: type + message */
	PROTO_HANDLER_FAILED,  /* non-zero return without tt_raise */
	PROTO_TOO_LARGE,       /* tt_return above FN_PAYLOAD_MAX */
};

struct proto_hdr {
	uint32_t type;
	uint32_t len;
	uint64_t seq;
};

#define PROTO_TYPE_MAX PROTO_SIGNAL

/* Blocking send of header + up to three body parts (NULL/0 parts skipped),
 * stamped with the current token (proto_seq). Returns 0 or -errno. Used by
 * the environment side. */
int proto_send(int fd, uint32_t type, const void *a, size_t alen, const void *b, size_t blen,
	       const void *c, size_t clen);
/* Blocking read of exactly `len` bytes: 0, -EPIPE on EOF, or -errno. */
int proto_read_full(int fd, void *p, size_t len);

/* Environment side: the token of the invocation being served (0 until the
 * first INVOKE). Kept in a variable of proto.c not exported to functions;
 * proto_seq is async-signal-safe (the violation reporter stamps with it). */
void proto_set_seq(uint64_t seq);
uint64_t proto_seq(void);

#endif
