/* termsafe — text from functions made safe for an operator's terminal.
 *
 * A function's log is whatever it wrote: escape sequences in it would
 * reach the terminal that runs `tutti invoke --log` and could move the
 * cursor, rewrite earlier lines, retitle the window or answer back. When
 * the output is a terminal, control characters other than \n and \t are
 * written as \xHH: C0 (including \r and ESC), DEL, C1 in their UTF-8 form
 * (U+0080..U+009F, bytes C2 80..C2 9F), and every byte that is not part of
 * well-formed UTF-8 (a lone 0x9B is CSI to an 8-bit terminal). Printable
 * text, UTF-8 included, is unchanged. Output that is not a terminal
 * (pipes, files) gets the bytes as they are.
 *
 * Thread-safety: reentrant. */
#ifndef TUTTI_TERMSAFE_H
#define TUTTI_TERMSAFE_H

#include <stddef.h>
#include <stdio.h>

/* Escape p[0..n) into out (at most cap bytes, no NUL added); returns the
 * length the whole escaped text needs (as snprintf: more than cap means
 * it was cut, never inside an escape). */
size_t termsafe_escape(const char *p, size_t n, char *out, size_t cap);
/* fwrite to f, escaped when f is a terminal (isatty). */
void termsafe_write(FILE *f, const char *p, size_t n);
/* In place: every byte of s (NUL-terminated) that is not part of
 * well-formed UTF-8, or is part of a C1 control, becomes '?'. Error texts
 * a function sends (tt_raise, a truncated message) go out as JSON, which
 * must be UTF-8: jansson refuses to build a string of anything else. */
void termsafe_fix_utf8(char *s);

#endif
