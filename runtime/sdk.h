/* sdk — the runtime's side of tutti.h: the per-invocation context behind
 * tt_ctx. Lives in the environment process only. */
#ifndef TUTTI_SDK_H
#define TUTTI_SDK_H

#include <stdbool.h>
#include <stdint.h>

#define TUTTI_NO_ABI_MARK
#include "tutti.h"
#include "err.h"
#include "proto.h"

struct tt_ctx {
	const char *function_name;
	char request_id[PROTO_REQID_LEN + 1];
	uint64_t deadline_ns;     /* CLOCK_MONOTONIC */
	char *result;             /* owned; NULL = no tt_return */
	size_t result_len;
	bool too_large;
	bool raised;
	char err_type[ERR_TYPE_MAX];
	char err_msg[ERR_MSG_MAX];
};

/* Forget the previous invocation's result and error. */
void sdk_ctx_reset(struct tt_ctx *ctx);
uint64_t sdk_now_ns(void);

#endif
