/* sigsys_handler — take over SIGSYS (ignore it) so that forbidden calls
 * would go unreported, then try one.
 * Expected: Runtime.SandboxViolation naming rt_sigaction: SIGSYS stays the
 * runtime's. */
#include "hostile.h"

#include <signal.h>
#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	struct sigaction sa;
	int rc;

	(void)event;
	(void)len;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	rc = sigaction(SIGSYS, &sa, NULL);
	if (rc == 0)
		rc = (int)syscall(SYS_setuid, 0L);
	return hj_return(ctx, "{\"sigaction\":%d,\"errno\":\"%s\"}", rc, hj_errname(errno));
}
