/* integrations — the built-in HTTP and S3 Task integrations, plugged into
 * an engine through its task_ops hook.
 *
 * `arn:aws:states:::http:invoke` goes to http_task, the S3 resources
 * (`arn:aws:states:::aws-sdk:s3:putObject` ...) to s3_task over the bucket
 * store configured by the environment (bucket_config_from_env: the file
 * store under $TUTTI_HOME/buckets, or an S3-compatible endpoint). Both are
 * blocking calls, so they run on a few worker threads of their own
 * (started on the first call: after the runtime's zygote exists) and post
 * their results back with task_call_done.
 *
 * Ownership: integrations_new returns a handle the caller frees after the
 * engine it was registered with (integrations_free waits for calls in
 * flight). Thread-safe as the engine requires. */
#ifndef TUTTI_INTEGRATIONS_H
#define TUTTI_INTEGRATIONS_H

#include "err.h"

struct engine;
struct integrations;

#define INTEGRATIONS_THREADS 4
#define INTEGRATIONS_DEFAULT_TIMEOUT_S 60

struct integrations *integrations_new(const char *home, struct err *e);
/* Register HTTP and S3 with `eng` (0, or -1 with e). */
int integrations_register(struct integrations *in, struct engine *eng, struct err *e);
void integrations_free(struct integrations *in);

#endif
