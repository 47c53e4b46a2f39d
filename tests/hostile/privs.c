/* privs — look for a privilege to regain: raise a hard rlimit, drop
 * no_new_privs, raise an ambient capability, read the seccomp mode.
 * Expected: {"uid":65534,"no_new_privs":1,"seccomp":2,"raise_nofile":"EPERM",
 * "clear_nnp":"EINVAL","ambient":"EPERM","capeff":0} — nothing to regain. */
#include "hostile.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <linux/capability.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	struct rlimit rl;
	int nnp, mode, r1, e1, r2, e2, r3, e3;

	(void)event;
	(void)len;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_max = rl.rlim_max * 2 + 1;
	rl.rlim_cur = rl.rlim_max;
	r1 = setrlimit(RLIMIT_NOFILE, &rl);
	e1 = errno;
	nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
	r2 = prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0);
	e2 = errno;
	r3 = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_SYS_ADMIN, 0, 0);
	e3 = errno;
	return hj_return(ctx,
			 "{\"uid\":%d,\"euid\":%d,\"gid\":%d,\"no_new_privs\":%d,\"seccomp\":%d,"
			 "\"raise_nofile\":\"%s\",\"clear_nnp\":\"%s\",\"ambient\":\"%s\","
			 "\"bset_sys_admin\":%d}",
			 (int)getuid(), (int)geteuid(), (int)getgid(), nnp, mode, r1 ? hj_errname(e1) : "0",
			 r2 ? hj_errname(e2) : "0", r3 ? hj_errname(e3) : "0",
			 prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0));
}
