/* tutti.h — the function SDK.
 *
 * A function is a shared object that exports
 *
 *     int handler(tt_ctx *ctx, const char *event, size_t event_len);
 *
 * and optionally `int init(tt_ctx *ctx);`, run once per execution
 * environment before the first invocation. `event` is the invocation's
 * payload as NUL-terminated JSON text; it is borrowed for the call.
 *
 *  - tt_return(ctx, json, len) sets the result (JSON text, len 0 = strlen)
 *    and returns 0, so `return tt_return(...)` ends a handler. No call means
 *    the result is `null`. The result is validated after the handler
 *    returns.
 *  - tt_raise(ctx, type, fmt, ...) records an error name and message and
 *    returns -1. An invocation that raised fails with that error.
 *  - Returning non-zero without tt_raise fails with Runtime.HandlerFailed.
 *  - What the function prints on stdout/stderr is its log.
 *
 * The handler runs single-threaded with respect to invocations: one at a
 * time per execution environment; globals persist between invocations of
 * the same environment (a warm start) and are lost when it is replaced.
 *
 * Compile with `tutti build SRC.c -o OUT.so` (or `pkg-config --cflags
 * tutti`). Each object built against this header carries the ABI version
 * below; tutti refuses objects built for another ABI. */
#ifndef TUTTI_H
#define TUTTI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TUTTI_ABI_VERSION 1

typedef struct tt_ctx tt_ctx;

int tt_return(tt_ctx *ctx, const char *json, size_t len);
int tt_raise(tt_ctx *ctx, const char *error_type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *tt_function_name(const tt_ctx *ctx);
const char *tt_request_id(const tt_ctx *ctx);
long tt_remaining_ms(const tt_ctx *ctx);

/* The ABI marker. A weak definition, so every object file of a function may
 * include this header; the runtime reads it with dlsym before calling
 * anything. The runtime itself defines TUTTI_NO_ABI_MARK. */
#ifndef TUTTI_NO_ABI_MARK
__attribute__((weak, used, visibility("default")))
const unsigned int tutti_abi_version = TUTTI_ABI_VERSION;
#endif

#ifdef __cplusplus
}
#endif

#endif
