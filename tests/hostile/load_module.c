/* load_module — load a kernel module: init_module with a bogus image, or
 * ({"finit":1}) finit_module on the function's own file.
 * Expected: Runtime.SandboxViolation naming init_module (finit_module). */
#include "hostile.h"

#include <sys/syscall.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	static char image[4096] = "\177ELF";
	long rc;

	(void)len;
	if (hj_num(event, "finit", 0)) {
		int fd = open("/var/task/function.so", O_RDONLY);

		rc = syscall(SYS_finit_module, (long)fd, "", 0L);
	} else {
		rc = syscall(SYS_init_module, image, sizeof image, "");
	}
	return hj_return(ctx, "{\"module\":%ld,\"errno\":\"%s\"}", rc, hj_errname(errno));
}
