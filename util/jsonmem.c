/* jsonmem — see jsonmem.h. */
#include "jsonmem.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#if defined(__SANITIZE_ADDRESS__)
#define JSONMEM_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JSONMEM_OFF 1
#endif
#endif

#define CLASSES 32                  /* blocks of 16, 32, ... 512 bytes, header included */
#define CHUNK   ((size_t)64 << 10)  /* what a thread takes from the region at a time */
#define REGION  ((size_t)1 << 30)   /* address space reserved (touched pages only are memory) */
#define HUGE    ((size_t)2 << 20)   /* a transparent huge page */
#define SMALL   ((size_t)2 << 20)   /* the region's start in ordinary pages */

#ifndef JSONMEM_OFF
static char *region, *region_end;
static _Atomic size_t region_used;
static atomic_bool enabled;

struct jm_thread {
	void *free[CLASSES];        /* each block: 8-byte class header, then the next link */
	char *bump, *end;
};

static __thread struct jm_thread jm;

static void *jm_malloc(size_t n)
{
	size_t total = n + sizeof(uint64_t), k, sz;
	uint64_t *h;

	if (total > CLASSES * 16 || !atomic_load_explicit(&enabled, memory_order_relaxed))
		return malloc(n);
	k = (total - 1) >> 4;
	sz = (k + 1) * 16;
	h = jm.free[k];
	if (h) {
		jm.free[k] = *(void **)(h + 1);
		return h + 1;
	}
	if ((size_t)(jm.end - jm.bump) < sz) {
		size_t off = atomic_fetch_add(&region_used, CHUNK);

		if (off + CHUNK > REGION)
			return malloc(n);   /* the region is full: malloc from now on */
		jm.bump = region + off;
		jm.end = jm.bump + CHUNK;
	}
	h = (uint64_t *)(void *)jm.bump;
	jm.bump += sz;
	*h = k;
	return h + 1;
}

static void jm_free(void *p)
{
	uint64_t *h;

	if ((char *)p < region || (char *)p >= region_end) {
		free(p);
		return;
	}
	h = (uint64_t *)p - 1;
	*(void **)p = jm.free[*h];
	jm.free[*h] = h;
}

#endif

bool jsonmem_install(void)
{
#ifdef JSONMEM_OFF
	return false;
#else
	void *r;

	if (region)
		return atomic_load(&enabled);
	r = mmap(NULL, REGION + 2 * HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (r == MAP_FAILED)
		return false;
	/* The first SMALL bytes in ordinary pages (a small execution touches a
	 * few of them), then transparent huge pages where the system offers
	 * them: one fault per 2 MiB of values instead of 512. */
	{
		uintptr_t huge = ((uintptr_t)r + 2 * HUGE - 1) & ~(uintptr_t)(HUGE - 1);

		region = (char *)huge - SMALL;
		madvise((void *)huge, REGION - SMALL, MADV_HUGEPAGE);
	}
	region_end = region + REGION;
	atomic_store(&enabled, true);
	json_set_alloc_funcs(jm_malloc, jm_free);
	return true;
#endif
}

void jsonmem_disable(void)
{
#ifndef JSONMEM_OFF
	atomic_store(&enabled, false);
#endif
}

/* ---- json_dumps, with malloc'd results -------------------------------------- */

struct dumpbuf {
	char *s;
	size_t len, cap;
};

static int dump_add(const char *buf, size_t size, void *data)
{
	struct dumpbuf *d = data;

	if (d->len + size + 1 > d->cap) {
		size_t cap = d->cap ? d->cap : 256;
		char *s;

		while (cap < d->len + size + 1)
			cap *= 2;
		s = realloc(d->s, cap);
		if (!s)
			return -1;
		d->s = s;
		d->cap = cap;
	}
	memcpy(d->s + d->len, buf, size);
	d->len += size;
	d->s[d->len] = '\0';
	return 0;
}

char *json_dumps(const json_t *json, size_t flags)
{
	struct dumpbuf d = { 0 };

	if (json_dump_callback(json, dump_add, &d, flags) || !d.s) {
		free(d.s);
		return NULL;
	}
	return d.s;
}
