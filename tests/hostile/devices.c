/* devices — use the four devices a function is promised: write to and read
 * from /dev/null, read /dev/zero, /dev/urandom and /dev/random.
 * Expected: {"null":"0","zero":"0","urandom":"0","random":"0"}. (Not an
 * attack: the other side of the minimal /dev.) */
#include "hostile.h"

static const char *use(const char *path, int flags)
{
	char b[16];
	int fd = open(path, flags);
	ssize_t r;

	if (fd < 0)
		return hj_errname(errno);
	r = (flags & O_ACCMODE) == O_RDONLY ? read(fd, b, sizeof b) : write(fd, "x", 1);
	close(fd);
	return r < 0 ? hj_errname(errno) : "0";
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	(void)event;
	(void)len;
	return hj_return(ctx, "{\"null\":\"%s\",\"zero\":\"%s\",\"urandom\":\"%s\",\"random\":\"%s\"}",
			 use("/dev/null", O_RDWR), use("/dev/zero", O_RDONLY), use("/dev/urandom", O_RDONLY),
			 use("/dev/random", O_RDONLY));
}
