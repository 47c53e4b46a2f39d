/* open_host_path — open a host path the test passes in the environment
 * variable HOSTILE_PATH ($TUTTI_HOME, another function's code...), as a
 * directory and as a file, and stat it.
 * Expected: everything ENOENT — the host's tree is not in the sandbox's
 * mount namespace at all (pivot_root + detach of the old root). */
#include "hostile.h"

#include <sys/stat.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	const char *path = getenv("HOSTILE_PATH");
	char out[8192] = "{";
	struct stat st;
	int rc, err;

	(void)event;
	(void)len;
	if (!path)
		return tt_raise(ctx, "Hostile.Usage", "set HOSTILE_PATH");
	hj_try_open(path, O_RDONLY, out, sizeof out);
	rc = stat(path, &st);
	err = errno;
	snprintf(out + strlen(out), sizeof out - strlen(out), ",\"stat\":\"%s\"}", rc ? hj_errname(err) : "0");
	return tt_return(ctx, out, 0);
}
