/* write_outside — try to create or modify files everywhere but /tmp: the
 * root, /etc, /dev, /opt, /var/task and the function's own code.
 * Expected: every attempt EROFS (the root is a read-only tmpfs, the code
 * and layers read-only bind mounts), while /tmp works ("tmp":"0"). */
#include "hostile.h"

#include <sys/stat.h>

static void one(const char *what, int rc, int err, char *out, size_t n)
{
	size_t used = strlen(out);

	snprintf(out + used, n - used, "%s\"%s\":\"%s\"", used > 1 ? "," : "", what, rc < 0 ? hj_errname(err) : "0");
}

static int create(const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char out[2048] = "{";
	int rc;

	(void)event;
	(void)len;
#define TRY(what, call) do { rc = (call); one(what, rc, errno, out, sizeof out); } while (0)
	TRY("/evil", create("/evil", O_WRONLY | O_CREAT));
	TRY("/etc/passwd", create("/etc/passwd", O_WRONLY | O_CREAT));
	TRY("/dev/evil", create("/dev/evil", O_WRONLY | O_CREAT));
	TRY("/var/task/function.so", create("/var/task/function.so", O_WRONLY | O_TRUNC));
	TRY("/var/task/evil", create("/var/task/evil", O_WRONLY | O_CREAT));
	TRY("mkdir /opt/evil", mkdir("/opt/evil", 0755));
	TRY("mkdir /evil", mkdir("/evil", 0755));
	TRY("rename /var/task/function.so", rename("/var/task/function.so", "/var/task/x.so"));
	TRY("unlink /var/task/function.so", unlink("/var/task/function.so"));
	TRY("chmod /var/task/function.so", chmod("/var/task/function.so", 0777));
	TRY("symlink /evil", symlink("/tmp", "/evil"));
	TRY("tmp", create("/tmp/ok", O_WRONLY | O_CREAT));
#undef TRY
	strcat(out, "}");
	return tt_return(ctx, out, 0);
}
