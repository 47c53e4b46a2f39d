/* mem_scan — look for a secret anywhere in the environment's own memory.
 *
 * Payload {"enc":"HEX"}: the secret's bytes XOR 0x5a, hex-encoded, so the
 * secret itself is never in this process unless something else put it
 * there (tutti's memory inherited through the zygote: another function's
 * variables, an execution's input). With no /proc in the sandbox, the
 * address space is explored from anchors (the stack, the heap, every
 * loaded object's segments, environ): each grows to its contiguous mapped
 * range (mincore), and pages are read through a pipe (unreadable ones
 * give EFAULT instead of a crash).
 * Result: {"found":false,"bytes":N} or {"found":true,"at":"region"}. */
#include "hostile.h"

#include <link.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PG 4096ul
#define REGIONS_MAX 512
#define SPAN_MAX (64ul << 20)

static unsigned char needle[256];
static size_t nlen;
static struct { uintptr_t a, b; } regions[REGIONS_MAX];
static int nreg;
static int pfd[2];
static unsigned char page[2 * PG];
static size_t scanned;

static bool mapped(uintptr_t p)
{
	unsigned char v;

	return mincore((void *)(p & ~(PG - 1)), PG, &v) == 0;
}

static void add_anchor(uintptr_t p)
{
	uintptr_t a = p & ~(PG - 1), b = a;

	if (!p || !mapped(a))
		return;
	for (int i = 0; i < nreg; i++)
		if (a >= regions[i].a && a < regions[i].b)
			return;
	while (a >= PG && b - a < SPAN_MAX && mapped(a - PG))
		a -= PG;
	while (b - a < 2 * SPAN_MAX && mapped(b + PG))
		b += PG;
	if (nreg < REGIONS_MAX)
		regions[nreg++].a = a, regions[nreg - 1].b = b + PG;
}

static int add_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	(void)arg;
	for (int i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_LOAD)
			add_anchor(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
	return 0;
}

/* Copy one page through the pipe: 0, or -1 if it is not readable. (Raw
 * system calls: a sanitizer's write() would check the range itself.) */
static int read_page(uintptr_t p, unsigned char *out)
{
	if (syscall(SYS_write, pfd[1], (void *)p, PG) != (long)PG)
		return -1;
	return syscall(SYS_read, pfd[0], out, PG) == (long)PG ? 0 : -1;
}

static bool match(const unsigned char *p)
{
	for (size_t k = 0; k < nlen; k++)
		if ((unsigned char)(p[k] ^ 0x5a) != needle[k])
			return false;
	return true;
}

static bool scan_region(uintptr_t a, uintptr_t b)
{
	bool have_prev = false;

	for (uintptr_t p = a; p < b; p += PG) {
		/* page[] holds the previous page then this one, so a secret
		 * across a page boundary is seen too. */
		if (read_page(p, page + PG)) {
			have_prev = false;
			continue;
		}
		scanned += PG;
		for (size_t i = have_prev ? PG - nlen + 1 : PG; i + nlen <= 2 * PG; i++)
			if (page[i] == (unsigned char)(needle[0] ^ 0x5a) && match(page + i))
				return true;
		memcpy(page, page + PG, PG);
		have_prev = true;
	}
	return false;
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char hex[600];
	int here = 0;
	void *heap = malloc(64);

	(void)len;
	hj_str(event, "enc", hex, sizeof hex, "");
	for (nlen = 0; hex[2 * nlen] && hex[2 * nlen + 1] && nlen < sizeof needle; nlen++) {
		unsigned v = 0;

		sscanf(hex + 2 * nlen, "%2x", &v);
		needle[nlen] = (unsigned char)v;
	}
	if (nlen < 4)
		return tt_raise(ctx, "BadInput", "enc: at least 4 bytes");
	if (pipe(pfd))
		return tt_raise(ctx, "Pipe", "%s", strerror(errno));
	fcntl(pfd[1], F_SETPIPE_SZ, 1 << 16);
	add_anchor((uintptr_t)&here);
	add_anchor((uintptr_t)heap);
	add_anchor((uintptr_t)sbrk(0) - 1);
	add_anchor((uintptr_t)environ);
	for (char **e = environ; e && *e; e++)
		add_anchor((uintptr_t)*e);
	dl_iterate_phdr(add_object, NULL);
	for (int i = 0; i < nreg; i++)
		if (scan_region(regions[i].a, regions[i].b))
			return hj_return(ctx, "{\"found\":true,\"region\":%d,\"regions\":%d}", i, nreg);
	free(heap);
	return hj_return(ctx, "{\"found\":false,\"regions\":%d,\"bytes\":%zu}", nreg, scanned);
}
