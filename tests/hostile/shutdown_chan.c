/* shutdown_chan — sever the runtime's channel without closing it:
 * shutdown(1000, SHUT_RDWR), then keep running as if nothing happened.
 * Expected: the invocation fails (Runtime.ExitError: the runtime sees the
 * channel end and kills the environment) instead of hanging. */
#include "hostile.h"

#include <sys/socket.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	int rc;

	(void)event;
	(void)len;
	rc = shutdown(1000, SHUT_RDWR);
	sleep(1);
	return hj_return(ctx, "{\"shutdown\":%d}", rc);
}
