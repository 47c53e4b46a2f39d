/* int80 — call the 32-bit (i386) system call entry, int 0x80, with eax=11.
 * On i386 that is execve; on x86_64, 11 is munmap, which is allowed: a
 * filter that did not check the architecture would let execve through.
 * Expected: the process dies (the filter kills foreign architectures:
 * Runtime.SandboxViolation), or Runtime.ExitError where the kernel has no
 * 32-bit entry; never a result. */
#include "hostile.h"

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	(void)event;
	(void)len;
#if defined(__x86_64__)
	{
		static char path[] = "/var/task/function.so";
		long ret;

		/* i386 ABI: eax=nr, ebx, ecx, edx; path is in the low 4 GiB only
		 * by luck, but the filter decides before the kernel reads it. */
		__asm__ volatile("int $0x80"
				 : "=a"(ret)
				 : "a"(11L), "b"((long)(unsigned long)path), "c"(0L), "d"(0L)
				 : "memory");
		return hj_return(ctx, "{\"int80\":%ld}", ret);
	}
#else
	return tt_return(ctx, "{\"skipped\":\"not x86_64\"}", 0);
#endif
}
