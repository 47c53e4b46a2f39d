/* raise_kill — raise(SIGKILL) on itself, ({"sig":N}) or another signal.
 * Expected: Runtime.ExitError ("signal: killed"), as a crash. */
#include "hostile.h"

#include <signal.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	int sig = (int)hj_num(event, "sig", SIGKILL), rc;

	(void)len;
	rc = raise(sig);
	return hj_return(ctx, "{\"survived\":true,\"raise\":%d,\"pid\":%d}", rc, (int)getpid());
}
