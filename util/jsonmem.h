/* jsonmem — a faster allocator for jansson's values, for `tutti run`.
 * An execution makes and drops hundreds of thousands of small JSON values;
 * with glibc malloc a third of a 10,000-item Map's instructions went to
 * malloc and free (mostly their slow paths: new memory, then everything
 * freed at once). jsonmem_install() hands jansson per-thread free lists of
 * blocks in 16-byte classes up to 512 bytes, carved from one reserved
 * region; larger values come from malloc. Which allocator made a value is
 * told by its address, so values made before install, or after
 * jsonmem_disable(), are freed by free() as usual.
 *
 * jansson's convention that the caller free()s what json_dumps returns
 * still holds: this module defines json_dumps, whose result comes from
 * malloc, for the program that links it.
 *
 * Install it only in a process that runs no user code (a function's .so
 * may free() memory jansson made) and where values do not outlive a
 * thread's free lists; `tutti run` disables it again when the machine calls
 * functions. Not under AddressSanitizer, which must see every allocation
 * (install does nothing). */
#ifndef TUTTI_JSONMEM_H
#define TUTTI_JSONMEM_H

#include <stdbool.h>

/* Returns true when installed (false: sanitizers, or no address space). */
bool jsonmem_install(void);
/* From now on new values come from malloc again. */
void jsonmem_disable(void);

#endif
