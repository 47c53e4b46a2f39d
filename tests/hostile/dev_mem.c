/* dev_mem — reach hardware: open /dev/mem, /dev/kmem, /dev/sda, /dev/kmsg;
 * then ({"mknod":1}) make a /dev/mem of its own in /tmp with mknod.
 * Expected: the opens ENOENT (/dev holds null, zero, random, urandom only);
 * mknod is Runtime.SandboxViolation naming mknodat (or mknod). */
#include "hostile.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char out[1024] = "{";

	(void)len;
	if (hj_num(event, "mknod", 0)) {
		int rc = mknod("/tmp/mem", S_IFCHR | 0666, makedev(1, 1));

		return hj_return(ctx, "{\"mknod\":%d,\"errno\":\"%s\"}", rc, hj_errname(errno));
	}
	hj_try_open("/dev/mem", O_RDONLY, out, sizeof out);
	hj_try_open("/dev/kmem", O_RDONLY, out, sizeof out);
	hj_try_open("/dev/sda", O_RDONLY, out, sizeof out);
	hj_try_open("/dev/kmsg", O_RDONLY, out, sizeof out);
	strcat(out, "}");
	return tt_return(ctx, out, 0);
}
