/* proc_sys — write to the kernel's knobs: /proc/sys, /proc/sysrq-trigger,
 * /sys, and read /proc/self/mem, /proc/1/environ.
 * Expected: all ENOENT — no /proc or /sys is mounted in the sandbox. */
#include "hostile.h"

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char out[2048] = "{";

	(void)event;
	(void)len;
	hj_try_open("/proc/sys/kernel/hostname", O_WRONLY, out, sizeof out);
	hj_try_open("/proc/sysrq-trigger", O_WRONLY, out, sizeof out);
	hj_try_open("/sys/kernel/uevent_helper", O_WRONLY, out, sizeof out);
	hj_try_open("/sys/fs/cgroup/cgroup.procs", O_WRONLY, out, sizeof out);
	hj_try_open("/proc/self/mem", O_RDWR, out, sizeof out);
	hj_try_open("/proc/1/environ", O_RDONLY, out, sizeof out);
	strcat(out, "}");
	return tt_return(ctx, out, 0);
}
