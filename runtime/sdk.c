#include "sdk.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t sdk_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void sdk_ctx_reset(struct tt_ctx *ctx)
{
	free(ctx->result);
	ctx->result = NULL;
	ctx->result_len = 0;
	ctx->too_large = false;
	ctx->raised = false;
	ctx->err_type[0] = '\0';
	ctx->err_msg[0] = '\0';
}

int tt_return(tt_ctx *ctx, const char *json, size_t len)
{
	char *p;

	if (!ctx)
		return -1;
	if (!json)
		json = "null";
	if (len == 0)
		len = strlen(json);
	free(ctx->result);
	ctx->result = NULL;
	ctx->result_len = 0;
	ctx->too_large = false;
	if (len > FN_PAYLOAD_MAX) {
		ctx->too_large = true;
		ctx->result_len = len;
		return 0;
	}
	p = malloc(len + 1);
	if (!p)
		return tt_raise(ctx, "Runtime.OutOfMemory", "cannot allocate %zu bytes for the result", len);
	memcpy(p, json, len);
	p[len] = '\0';
	ctx->result = p;
	ctx->result_len = len;
	return 0;
}

int tt_raise(tt_ctx *ctx, const char *error_type, const char *fmt, ...)
{
	va_list ap;

	if (!ctx)
		return -1;
	ctx->raised = true;
	snprintf(ctx->err_type, sizeof ctx->err_type, "%s",
		 error_type && *error_type ? error_type : "Error");
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(ctx->err_msg, sizeof ctx->err_msg, fmt, ap);
		va_end(ap);
	} else {
		ctx->err_msg[0] = '\0';
	}
	return -1;
}

const char *tt_function_name(const tt_ctx *ctx)
{
	return ctx ? ctx->function_name : "";
}

const char *tt_request_id(const tt_ctx *ctx)
{
	return ctx ? ctx->request_id : "";
}

long tt_remaining_ms(const tt_ctx *ctx)
{
	uint64_t now;

	if (!ctx || !ctx->deadline_ns)
		return 0;
	now = sdk_now_ns();
	return now >= ctx->deadline_ns ? 0 : (long)((ctx->deadline_ns - now) / 1000000u);
}
