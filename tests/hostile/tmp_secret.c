/* tmp_secret — {"op":"write","ms":N}: put a secret in /tmp/secret, then
 * wait N ms (so another environment can look meanwhile);
 * {"op":"read"}: try to read /tmp/secret.
 * Expected: a reader in another environment gets ENOENT, even while the
 * writer is still running. */
#include "hostile.h"

#include <time.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char op[16], buf[64];
	int fd;

	(void)len;
	hj_str(event, "op", op, sizeof op, "read");
	if (!strcmp(op, "write")) {
		long long ms = hj_num(event, "ms", 0);
		struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

		fd = open("/tmp/secret", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, "s3cr3t", 6) != 6)
			return tt_raise(ctx, "Hostile.Write", "/tmp/secret: %s", hj_errname(errno));
		close(fd);
		nanosleep(&ts, NULL);
		return tt_return(ctx, "{\"wrote\":true}", 0);
	}
	fd = open("/tmp/secret", O_RDONLY);
	if (fd < 0)
		return hj_return(ctx, "{\"opened\":false,\"errno\":\"%s\"}", hj_errname(errno));
	memset(buf, 0, sizeof buf);
	if (read(fd, buf, sizeof buf - 1) < 0)
		buf[0] = '\0';
	close(fd);
	return hj_return(ctx, "{\"opened\":true,\"secret\":\"%s\"}", buf);
}
