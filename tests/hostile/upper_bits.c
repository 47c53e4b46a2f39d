/* upper_bits — dodge the argument-filtered rules with the upper half of a
 * 64-bit register. The kernel reads descriptors and signal numbers as
 * 32-bit ints, seccomp sees the whole register: a rule "fd != 1000" that
 * compares 64 bits admits 0x1000003e8, which the kernel takes as 1000.
 *   {"call":"close"}      close(1000 | 1 << 32)
 *   {"call":"dup2"}       dup2(0, 1000 | 1 << 32) (stdin is /dev/null)
 *   {"call":"sigaction"}  rt_sigaction(SIGSYS | 1 << 32, own handler), then
 *                         setuid(0): a forbidden call the reporter never sees
 * Expected: Runtime.SandboxViolation naming the call (the rule compares the
 * low 32 bits, as the kernel reads them); never a result. */
#include "hostile.h"

#include <signal.h>
#include <sys/syscall.h>

#define HI (1L << 32)

static volatile sig_atomic_t caught;

static void on_sys(int sig)
{
	(void)sig;
	caught++;
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char call[32];
	long rc;

	(void)len;
	hj_str(event, "call", call, sizeof call, "close");
	if (!strcmp(call, "close")) {
		rc = syscall(SYS_close, HI | 1000L);
		return hj_return(ctx, "{\"close\":%ld,\"errno\":\"%s\"}", rc, rc ? hj_errname(errno) : "0");
	}
	if (!strcmp(call, "dup2")) {
		rc = syscall(SYS_dup2, 0L, HI | 1000L); /* stdin: /dev/null */
		return hj_return(ctx, "{\"dup2\":%ld,\"errno\":\"%s\"}", rc, rc < 0 ? hj_errname(errno) : "0");
	}
	if (!strcmp(call, "sigaction")) {
		struct sigaction sa;
		struct {
			void (*handler)(int);
			unsigned long flags;
			void (*restorer)(void);
			unsigned long mask;
		} ka;
		long uid_rc;

		/* A kernel sigaction as glibc builds it (with its SA_RESTORER
		 * trampoline): install on SIGUSR2 through glibc, read it back. */
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_sys;
		sigaction(SIGUSR2, &sa, NULL);
		syscall(SYS_rt_sigaction, (long)SIGUSR2, NULL, &ka, 8L);
		rc = syscall(SYS_rt_sigaction, HI | (long)SIGSYS, &ka, NULL, 8L);
		uid_rc = syscall(SYS_setuid, 0L);
		return hj_return(ctx, "{\"rt_sigaction\":%ld,\"caught_sigsys\":%d,\"setuid\":%ld,\"uid\":%d}", rc,
				 (int)caught, uid_rc, (int)getuid());
	}
	return tt_raise(ctx, "Hostile.Usage", "call: close, dup2 or sigaction");
}
