/* integ_loader — the HTTP and S3 integrations, loaded on demand.
 *
 * The integrations (integrations.h, http_task, s3_task, bucket*, and the
 * body of `tutti bucket`) need libcurl, libs3 and libxml2: ~30 shared
 * libraries and ~30 ms of process start. They live in their own shared
 * object, tutti-integrations.so, so that the tutti binary (and every
 * sandbox forked from it) links only jansson, libseccomp, libcap and
 * libcrypto. integ_load() dlopens it the first time a command needs it.
 *
 * Where the object is looked for, first match wins:
 *   $TUTTI_INTEGRATIONS                          (a path; overrides the rest)
 *   <dir of /proc/self/exe>/../lib/tutti-integrations.so        (the build tree)
 *   <dir of /proc/self/exe>/../lib/tutti/tutti-integrations.so  (make install)
 * Its undefined symbols (err_set, buf_*, engine_register_task, ...) resolve
 * against the tutti executable, which exports exactly those (the Makefile
 * generates the list from the objects). The object exports one symbol,
 * INTEG_SYMBOL, a const struct integ_api.
 *
 * Ownership: the table is static data of the loaded object, which is never
 * unloaded; callers keep no handle. Thread-safety: integ_load may be
 * called from any thread (dlopen serialises); the loader keeps no state of
 * its own. Threads: loading starts none (the integrations start theirs on
 * their first call), so the runtime's zygote may be forked before or after. */
#ifndef TUTTI_INTEG_LOADER_H
#define TUTTI_INTEG_LOADER_H

#include <stdbool.h>

#include "buf.h"
#include "err.h"
#include "http.h"
#include "s3_api.h"

struct asl_machine;
struct engine;
struct svc;
struct integrations;

/* Bumped whenever struct integ_api or a signature in it changes: a stale
 * tutti-integrations.so is refused instead of called wrongly. */
#define INTEG_API_VERSION 6
#define INTEG_SYMBOL      "tutti_integrations"
#define INTEG_SO_NAME     "tutti-integrations.so"
#define INTEG_ENV         "TUTTI_INTEGRATIONS"

struct integ_api {
	unsigned version;        /* INTEG_API_VERSION */
	unsigned size;           /* sizeof(struct integ_api) */
	/* integrations.h */
	struct integrations *(*integrations_new)(const char *home, struct err *e);
	int (*integrations_register)(struct integrations *in, struct engine *eng, struct err *e);
	void (*integrations_free)(struct integrations *in);
	/* `tutti bucket ARGS...` (argv[0] is "bucket"); returns the exit code. */
	int (*bucket_main)(int argc, char **argv, const char *home);
	/* server/http.h: the listener of `tutti serve` */
	void (*http_options_init)(struct http_options *o);
	int (*http_new)(const struct http_options *o, struct http_server **out, struct err *e);
	int (*http_route)(struct http_server *h, const char *method, const char *path, http_handler_fn fn,
			  void *arg, size_t body_max, struct err *e);
	int (*http_aws_json)(void *svc, const struct http_request *req, struct http_response *resp);
	int (*http_start)(struct http_server *h, struct err *e);
	const char *(*http_url)(const struct http_server *h);
	void (*http_stop)(struct http_server *h);
	void (*http_free)(struct http_server *h);
	/* The CLI's client of `tutti serve` (integ_http_call below). */
	int (*http_call)(const char *url, const char *target, const char *body, size_t len, size_t cap,
			 long timeout_ms, long *status, struct buf *resp, struct err *e);
	/* server/http.h: EventBridge Scheduler's REST routes */
	int (*http_scheduler_rest)(void *svc, const struct http_request *req, struct http_response *resp);
	/* server/s3_api.h: the S3 REST API on the listener */
	int (*s3_api_open)(struct http_server *h, const char *home, struct s3_api **out, struct err *e);
	void (*s3_api_close)(struct s3_api *s);
	/* server/svc_lambda.h: the Lambda API's routes (restJson1) */
	int (*lambda_routes)(struct http_server *h, struct svc *s, struct err *e);
	/* server/console.h: the web console's routes (/console/) */
	int (*console_routes)(struct http_server *h, struct svc *s, struct err *e);
	/* graph/graph.h: DOT laid out and drawn as SVG (libgvc) */
	int (*graph_svg)(const char *dot, size_t len, struct buf *out, struct err *e);
};

/* The loaded table, or NULL with e set (States.Runtime: "the HTTP/S3
 * integrations are not available: <why>"). Loads on the first call. */
const struct integ_api *integ_load(struct err *e);

/* Whether `m` (Parallel branches and Map processors included) has a Task
 * the integrations serve: arn:aws:states:::http:invoke or
 * arn:aws:states:::aws-sdk:s3:*. Needs nothing loaded. */
bool integ_machine_needs(const struct asl_machine *m);

/* Defined in tutti-integrations.so only (cli/integ_bucket.c): reach it
 * through integ_load()->bucket_main. */
int integ_bucket_main(int argc, char **argv, const char *home);

/* Defined in tutti-integrations.so only (cli/integ_client.c): POST `body`
 * (len bytes) to url as the AWS JSON action `target`, within timeout_ms.
 * 0: an answer, its status in *status and its body in *resp (a buf the
 * caller initialised and frees; at most cap bytes, else
 * RequestTooLargeException); 1: nothing listens at url (the connection was
 * refused); -1 with e: any other failure (ServiceUnavailable: the
 * transfer failed, with curl's reason). */
int integ_http_call(const char *url, const char *target, const char *body, size_t len, size_t cap,
		    long timeout_ms, long *status, struct buf *resp, struct err *e);

#endif
