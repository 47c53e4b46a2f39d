/* batch_mix — tests/e2e/batch.sh's function: by input.do, "ok" returns the
 * input, "raise" raises MixError, "crash" aborts (Runtime.ExitError),
 * "hang" sleeps past any timeout (Sandbox.Timedout), "violate" calls
 * ptrace (Runtime.SandboxViolation); input.ms sleeps first. */
#include "hostile.h"

#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <time.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	double ms = hj_num(event, "ms", 0);

	if (ms > 0) {
		struct timespec ts = { (time_t)(ms / 1000), (long)((ms - (double)(time_t)(ms / 1000) * 1000) * 1e6) };

		nanosleep(&ts, NULL);
	}
	if (strstr(event, "\"raise\""))
		return tt_raise(ctx, "MixError", "raised on purpose");
	if (strstr(event, "\"crash\""))
		abort();
	if (strstr(event, "\"hang\""))
		for (;;)
			pause();
	if (strstr(event, "\"violate\""))
		syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0);
	return tt_return(ctx, event, len);
}
