#include "worker.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfdeps.h"
#include "sandbox.h"
#include "sdk.h"

#define LAYER_LIB_DIR "/opt/lib"
#define PRELOAD_DEPTH 8

typedef int (*handler_fn)(tt_ctx *, const char *, size_t);
typedef int (*init_fn)(tt_ctx *);

__attribute__((noreturn)) static void fail_load(const char *type, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail_load(const char *type, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	proto_send(SANDBOX_CHAN_FD, PROTO_INIT_ERROR, type, strlen(type) + 1, msg, strlen(msg), NULL, 0);
	_exit(126);
}

/* Load the layer libraries `path` needs, deepest first, so that the
 * function's own DT_NEEDED entries find them by soname: the dynamic loader
 * matches an already-loaded object by its DT_SONAME before searching any
 * directory. Libraries the process already has are left alone. */
static void preload(const char *path, int depth)
{
	char names[ELFDEPS_MAX][ELFDEPS_NAME_MAX];
	int n;

	if (depth > PRELOAD_DEPTH)
		return;
	n = elfdeps_needed(path, names, ELFDEPS_MAX);
	for (int i = 0; i < n; i++) {
		char lib[ELFDEPS_NAME_MAX + sizeof LAYER_LIB_DIR + 1];

		if (strchr(names[i], '/'))
			continue;
		snprintf(lib, sizeof lib, "%s/%s", LAYER_LIB_DIR, names[i]);
		if (access(lib, R_OK))
			continue;
		if (dlopen(names[i], RTLD_NOW | RTLD_NOLOAD))
			continue; /* already loaded (the runtime links it too) */
		preload(lib, depth + 1);
		if (!dlopen(lib, RTLD_NOW | RTLD_GLOBAL))
			fail_load("Runtime.ImportModuleError", "cannot load layer library %s: %s", lib, dlerror());
	}
}

/* A symbol of the function's own object (not of a library it links). */
static void *own_sym(void *h, const char *name)
{
	void *s = dlsym(h, name);
	Dl_info info;

	if (!s || !dladdr(s, &info) || !info.dli_fname || strcmp(info.dli_fname, SANDBOX_CODE_PATH))
		return NULL;
	return s;
}

static void send_error(uint32_t type, uint8_t kind, const char *etype, const char *msg)
{
	uint8_t k = kind;

	if (type == PROTO_RESULT)
		proto_send(SANDBOX_CHAN_FD, type, &k, 1, etype, strlen(etype) + 1, msg, strlen(msg));
	else
		proto_send(SANDBOX_CHAN_FD, type, etype, strlen(etype) + 1, msg, strlen(msg), NULL, 0);
}

/* One INVOKE frame. Small frames (the common case) arrive with one read
 * into `small`; larger ones continue into a heap buffer of their size. */
static int recv_invoke(struct proto_hdr *h, char **body, char *small, size_t small_cap, char **big)
{
	size_t got = 0;
	int rc;

	while (got < sizeof *h) {
		ssize_t r = read(SANDBOX_CHAN_FD, small + got, small_cap - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 ? -EPIPE : -errno;
		got += (size_t)r;
	}
	memcpy(h, small, sizeof *h);
	if (h->len > PROTO_BODY_MAX)
		return -EMSGSIZE;
	got -= sizeof *h;
	if (sizeof *h + h->len + 1 <= small_cap) {
		*body = small + sizeof *h;
	} else {
		*big = malloc((size_t)h->len + 1);
		if (!*big)
			return -ENOMEM;
		memcpy(*big, small + sizeof *h, got);
		*body = *big;
	}
	rc = proto_read_full(SANDBOX_CHAN_FD, *body + got, h->len - got);
	if (rc)
		return rc;
	(*body)[h->len] = '\0';
	return 0;
}

static void serve(handler_fn handler, struct tt_ctx *ctx)
{
	static char small[16384];
	struct proto_hdr h;
	char *body = NULL, *big = NULL;
	const size_t fixed = sizeof(uint64_t) + PROTO_REQID_LEN;

	for (;;) {
		int rc = recv_invoke(&h, &body, small, sizeof small, &big), hrc;
		uint8_t kind = PROTO_OK;

		if (rc)
			_exit(rc == -EPIPE ? 0 : 125);
		if (h.type != PROTO_INVOKE || h.len < fixed || h.seq == 0)
			_exit(125);
		/* Every frame from here to the next INVOKE carries its token. */
		proto_set_seq(h.seq);
		sdk_ctx_reset(ctx);
		memcpy(&ctx->deadline_ns, body, sizeof(uint64_t));
		memcpy(ctx->request_id, body + sizeof(uint64_t), PROTO_REQID_LEN);
		ctx->request_id[PROTO_REQID_LEN] = '\0';

		hrc = handler(ctx, body + fixed, h.len - fixed);

		fflush(stdout);
		fflush(stderr);
		if (ctx->raised) {
			send_error(PROTO_RESULT, PROTO_RAISED, ctx->err_type, ctx->err_msg);
		} else if (hrc != 0) {
			char msg[64];

			snprintf(msg, sizeof msg, "handler returned %d without tt_raise", hrc);
			send_error(PROTO_RESULT, PROTO_HANDLER_FAILED, "Runtime.HandlerFailed", msg);
		} else if (ctx->too_large) {
			char msg[128];

			snprintf(msg, sizeof msg, "Response payload size (%zu bytes) exceeded maximum allowed payload size (%u bytes).",
				 ctx->result_len, FN_PAYLOAD_MAX);
			send_error(PROTO_RESULT, PROTO_TOO_LARGE, "Runtime.ResponseSizeTooLarge", msg);
		} else if (ctx->result) {
			proto_send(SANDBOX_CHAN_FD, PROTO_RESULT, &kind, 1, ctx->result, ctx->result_len, NULL, 0);
		} else {
			proto_send(SANDBOX_CHAN_FD, PROTO_RESULT, &kind, 1, "null", 4, NULL, 0);
		}
		sdk_ctx_reset(ctx);
		/* Don't keep a large request buffer around in an idle environment. */
		free(big);
		big = NULL;
	}
}

#ifdef __SANITIZE_ADDRESS__
/* Sanitizer builds: LeakSanitizer's end-of-process check clones a thread,
 * which the sandbox forbids; a function calling exit() would look like a
 * violation. Leave before it runs (on_exit handlers run first, newest
 * first, and this one is registered after the sanitizer's). */
static void exit_now(int status, void *arg)
{
	(void)arg;
	_exit(status);
}
#endif

size_t worker_config_make(struct worker_config *w, const struct fn_config *c, int mode)
{
	memset(w, 0, WORKER_CONFIG_FIXED);
	snprintf(w->name, sizeof w->name, "%s", c->name);
	snprintf(w->version, sizeof w->version, "%s", c->version);
	snprintf(w->handler, sizeof w->handler, "%s", c->handler);
	w->memory_mb = c->memory_mb;
	w->timeout_s = c->timeout_s;
	w->mode = mode;
	w->env_len = (uint32_t)(c->env_len < FN_ENV_MAX ? c->env_len : FN_ENV_MAX);
	memcpy(w->env, c->env, w->env_len);
	return WORKER_CONFIG_FIXED + w->env_len;
}

/* The first frame from tutti: this environment's configuration. */
static void recv_config(struct worker_config *w)
{
	struct proto_hdr h;
	int rc = proto_read_full(SANDBOX_CHAN_FD, &h, sizeof h);

	if (rc == -EPIPE)
		_exit(0); /* tutti changed its mind (or is gone) */
	if (rc)
		sandbox_fail(SANDBOX_CHAN_FD, SANDBOX_STAGE_CONFIG, -rc, NULL);
	if (h.type != PROTO_CONFIG || h.len < WORKER_CONFIG_FIXED || h.len > sizeof *w)
		sandbox_fail(SANDBOX_CHAN_FD, SANDBOX_STAGE_CONFIG, EPROTO, "not a configuration frame");
	memset(w, 0, sizeof *w);
	rc = proto_read_full(SANDBOX_CHAN_FD, w, h.len);
	if (rc)
		sandbox_fail(SANDBOX_CHAN_FD, SANDBOX_STAGE_CONFIG, -rc, NULL);
	w->name[sizeof w->name - 1] = '\0';
	w->version[sizeof w->version - 1] = '\0';
	w->handler[sizeof w->handler - 1] = '\0';
	if (w->env_len > h.len - WORKER_CONFIG_FIXED)
		w->env_len = (uint32_t)(h.len - WORKER_CONFIG_FIXED);
	if (w->env_len)
		w->env[w->env_len - 1] = '\0';
}

/* The function's variables, then the ones the runtime defines. */
static void make_env(struct worker_config *c)
{
	char v[64];

	clearenv();
	for (size_t off = 0; off < c->env_len;) {
		char *kv = c->env + off;

		if (strchr(kv, '='))
			putenv(kv);
		off += strlen(kv) + 1;
	}
	setenv("PATH", "/opt/bin:/usr/bin:/bin", 1);
	setenv("LD_LIBRARY_PATH", "/opt/lib", 1);
	setenv("LAMBDA_TASK_ROOT", "/var/task", 1);
	setenv("TMPDIR", "/tmp", 1);
	setenv("HOME", "/tmp", 1);
	setenv("AWS_LAMBDA_FUNCTION_NAME", c->name, 1);
	setenv("AWS_LAMBDA_FUNCTION_VERSION", c->version, 1);
	snprintf(v, sizeof v, "%u", c->memory_mb);
	setenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", v, 1);
	setenv("TUTTI_FUNCTION_NAME", c->name, 1);
}

void worker_main(void)
{
	static struct tt_ctx ctx;
	static struct worker_config cfg_store;
	struct worker_config *cfg = &cfg_store;
	const unsigned *abi;
	handler_fn handler;
	init_fn init;
	int mode;
	void *h;

	sandbox_trace_mark(SANDBOX_STAGE_CONFIG);
	recv_config(cfg);
	make_env(cfg);
	mode = cfg->mode;
	ctx.function_name = cfg->name;
#ifdef __SANITIZE_ADDRESS__
	on_exit(exit_now, NULL);
#endif
	sandbox_trace_mark(SANDBOX_STAGE_LOAD);
	preload(SANDBOX_CODE_PATH, 0);
	h = dlopen(SANDBOX_CODE_PATH, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *why = dlerror();

		/* The usual cause: a library the function links that is in none
		 * of its layers (the environment has glibc and the layers only). */
		fail_load("Runtime.ImportModuleError", "cannot load the function: %s%s", why,
			  why && strstr(why, "cannot open shared object file")
				  ? " (libraries beyond glibc come from the function's layers, in /opt/lib)"
				  : "");
	}
	abi = own_sym(h, "tutti_abi_version");
	if (!abi)
		fail_load("Runtime.ImportModuleError",
			  "not a tutti function: no tutti_abi_version symbol (build it against tutti.h)");
	if (*abi != TUTTI_ABI_VERSION)
		fail_load("Runtime.ImportModuleError",
			  "built for tutti ABI %u; this runtime runs ABI %u (rebuild with tutti build)", *abi,
			  TUTTI_ABI_VERSION);
	handler = (handler_fn)own_sym(h, cfg->handler);
	if (!handler)
		fail_load("Runtime.HandlerNotFound", "the function does not export '%s'", cfg->handler);
	if (mode == WORKER_CHECK) {
		proto_send(SANDBOX_CHAN_FD, PROTO_LOADED, NULL, 0, NULL, 0, NULL, 0);
		_exit(0);
	}
	init = (init_fn)own_sym(h, "init");
	sandbox_trace_mark(SANDBOX_STAGE__COUNT);
	if (init) {
		int rc;

		ctx.deadline_ns = sdk_now_ns() + (uint64_t)FN_INIT_TIMEOUT_MS * 1000000u;
		snprintf(ctx.request_id, sizeof ctx.request_id, "init");
		rc = init(&ctx);
		fflush(stdout);
		fflush(stderr);
		if (ctx.raised || rc != 0) {
			char msg[ERR_MSG_MAX + ERR_TYPE_MAX + 8];

			if (ctx.raised)
				snprintf(msg, sizeof msg, "%s: %s", ctx.err_type, ctx.err_msg);
			else
				snprintf(msg, sizeof msg, "init returned %d", rc);
			send_error(PROTO_INIT_ERROR, 0, "Runtime.InitError", msg);
			_exit(126);
		}
		sdk_ctx_reset(&ctx);
	}
	sandbox_trace_mark(SANDBOX_STAGE__COUNT + 1);
	sandbox_trace_print();
	proto_send(SANDBOX_CHAN_FD, PROTO_READY, NULL, 0, NULL, 0, NULL, 0);
	serve(handler, &ctx);
	_exit(0);
}
