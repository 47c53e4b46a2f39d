/* idle_spin — start a thread that spins forever, and return.
 * Each result reports the spinning thread's CPU time since the previous
 * invocation returned: an idle environment that is frozen between
 * invocations (as Lambda's are) reports ~0 however long it idled.
 * Result: {"calls":N,"idle_cpu_ms":M} */
#include "hostile.h"

#include <pthread.h>
#include <time.h>

static pthread_t spinner;
static clockid_t spin_clock;
static int calls;
static long long last_ns;

static void *spin(void *arg)
{
	volatile unsigned long n = 0;

	(void)arg;
	for (;;)
		n++;
	return NULL;
}

static long long cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(spin_clock, &ts))
		return -1;
	return (long long)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	long long idle = 0, now;

	(void)event;
	(void)len;
	if (calls++ == 0) {
		if (pthread_create(&spinner, NULL, spin, NULL) || pthread_getcpuclockid(spinner, &spin_clock))
			return tt_raise(ctx, "Thread", "cannot start the spinning thread");
	} else {
		now = cpu_ns();
		idle = now - last_ns;
	}
	/* (The spinner runs while we format: measured from the reply on.) */
	last_ns = cpu_ns();
	return hj_return(ctx, "{\"calls\":%d,\"idle_cpu_ms\":%lld}", calls, idle / 1000000);
}
