/* admitted_forms — the calls the filter admits in one argument form only,
 * because the sandbox's own last set-up steps use them (attaching mounts,
 * joining the host network, becoming uid 65534), made in exactly those
 * forms with what the function can lay hands on:
 *   move_mount(O_PATH /tmp, "", AT_FDCWD, "/var/task", F_EMPTY_PATH)
 *   setns(channel, CLONE_NEWNET), setgroups(0, NULL),
 *   setresgid/setresuid(65534 x3), then the uid.
 * Expected: each fails (EPERM: no capabilities; EINVAL: not a namespace)
 * or is a no-op, and the uid is still 65534; or, with a filter that admits
 * none of them, Runtime.SandboxViolation naming the first. */
#include "hostile.h"

#include <grp.h>
#include <sched.h>
#include <sys/syscall.h>

#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif

static const char *res(long rc)
{
	return rc < 0 ? hj_errname(errno) : "0";
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	const char *mm, *ns, *sg, *rg, *ru;
	int fd = open("/tmp", O_PATH | O_DIRECTORY);

	(void)event;
	(void)len;
#ifdef SYS_move_mount
	/* AT_FDCWD as the runtime passes it: a zero-extended int */
	mm = res(syscall(SYS_move_mount, (long)fd, "", (long)(unsigned int)AT_FDCWD, "/var/task",
			 (long)MOVE_MOUNT_F_EMPTY_PATH));
#else
	mm = "ENOSYS";
#endif
	ns = res(syscall(SYS_setns, 1000L, (long)CLONE_NEWNET));
	sg = res(syscall(SYS_setgroups, 0L, NULL));
	rg = res(syscall(SYS_setresgid, 65534L, 65534L, 65534L));
	ru = res(syscall(SYS_setresuid, 65534L, 65534L, 65534L));
	return hj_return(ctx,
			 "{\"move_mount\":\"%s\",\"setns\":\"%s\",\"setgroups\":\"%s\",\"setresgid\":\"%s\","
			 "\"setresuid\":\"%s\",\"uid\":%d,\"gid\":%d}",
			 mm, ns, sg, rg, ru, (int)getuid(), (int)getgid());
}
