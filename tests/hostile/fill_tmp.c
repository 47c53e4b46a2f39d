/* fill_tmp — write to /tmp until something stops it (at most 4 GiB).
 * /tmp is a tmpfs of its own (512 MiB by default) whose pages are charged
 * to the environment's memory cgroup.
 * Expected with --memory 128: Runtime.OutOfMemory, or a short write
 * (ENOSPC/EFBIG/ENOMEM) in the result; the host's memory comes back when
 * the environment ends (its tmpfs goes with its mount namespace). */
#include "hostile.h"

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	static char chunk[1 << 20];
	long long mb = 0;
	int fd, err = 0;

	(void)event;
	(void)len;
	memset(chunk, 'z', sizeof chunk);
	fd = open("/tmp/fill", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return tt_raise(ctx, "Hostile.Open", "/tmp/fill: %s", hj_errname(errno));
	while (mb < 4096) {
		if (write(fd, chunk, sizeof chunk) != (ssize_t)sizeof chunk) {
			err = errno;
			break;
		}
		mb++;
	}
	close(fd);
	return hj_return(ctx, "{\"written_mb\":%lld,\"errno\":\"%s\"}", mb, hj_errname(err));
}
