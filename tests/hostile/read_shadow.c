/* read_shadow — open /etc/shadow (and /etc/passwd) for reading.
 * Expected: {"/etc/shadow":{"opened":false,"errno":"ENOENT"},...}: the
 * sandbox's /etc is an empty directory on its own read-only root. */
#include "hostile.h"

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char out[1024] = "{";

	(void)event;
	(void)len;
	hj_try_open("/etc/shadow", O_RDONLY, out, sizeof out);
	hj_try_open("/etc/passwd", O_RDONLY, out, sizeof out);
	strcat(out, "}");
	return tt_return(ctx, out, 0);
}
