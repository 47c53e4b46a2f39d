/* buf — a growable byte buffer with a hard cap.
 *
 * The buffer owns its bytes; buf_free releases them (NULL-safe for the data,
 * the struct itself is caller storage). Data is always NUL-terminated one
 * past `len` so it can be used as a C string. Appending past `cap` fails
 * with -EMSGSIZE and leaves the buffer unchanged. Not thread-safe. */
#ifndef TUTTI_BUF_H
#define TUTTI_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t alloc;
	size_t cap;  /* maximum len; 0 means unlimited */
};

void buf_init(struct buf *b, size_t cap);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
int buf_reserve(struct buf *b, size_t extra);
int buf_append(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the bytes to the caller (free() them); the buffer becomes empty. */
char *buf_take(struct buf *b);

#endif
