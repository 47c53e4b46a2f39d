/* thread_bomb — create sleeping threads until it fails (at most 100000).
 * Threads are allowed, so this is bounded by the slot's pids cgroup
 * (SANDBOX_PIDS_MAX) and RLIMIT_NPROC, not by seccomp.
 * Expected: {"threads":N,"errno":"EAGAIN"} with N below the pids limit. */
#include "hostile.h"

#include <pthread.h>

static void *idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	pthread_attr_t a;
	long n = 0;
	int rc = 0;

	(void)event;
	(void)len;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	while (n < 100000) {
		pthread_t t;

		rc = pthread_create(&t, &a, idle, NULL);
		if (rc)
			break;
		n++;
	}
	return hj_return(ctx, "{\"threads\":%ld,\"errno\":\"%s\"}", n, hj_errname(rc));
}
