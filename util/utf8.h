/* utf8 — text cut and cleaned so that it stays UTF-8.
 *
 * Error causes quote what they were given (an expression, a key, a
 * column name) and cut it at a byte count; a cut in the middle of a
 * character, or bytes that never were UTF-8, make the text something
 * jansson refuses to turn into a JSON string (json_string returns NULL),
 * and the cause is lost ("cause": null, an empty line). Cut at character
 * boundaries at the source; at the sink, replace what is not UTF-8 with
 * U+FFFD so that no cause is ever dropped.
 *
 * Well-formed means as jansson checks it: no overlong forms, no
 * surrogates, nothing above U+10FFFF.
 * Thread-safety: reentrant. */
#ifndef TUTTI_UTF8_H
#define TUTTI_UTF8_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* The length of the well-formed character at p[0..n) (1-4), 0 if none. */
size_t utf8_char_len(const char *p, size_t n);
/* The longest prefix of s (NUL-terminated) of at most max bytes that does
 * not end inside a character (nor with one the end of s cuts short); as an
 * int for "%.*s". */
int utf8_cut(const char *s, size_t max);
/* Every byte of s[0..n) is part of a well-formed character. */
bool utf8_valid(const char *s, size_t n);
/* Copy s[0..n) into out (cap bytes, cap >= 1, always NUL-terminated),
 * each byte that is not part of a well-formed character written as
 * U+FFFD, cut at a character boundary when it does not fit. Returns the
 * bytes written (without the NUL). */
size_t utf8_clean(const char *s, size_t n, char *out, size_t cap);
/* json_string of s, cleaned as utf8_clean when it is not UTF-8; NULL only
 * for s NULL or out of memory. */
json_t *utf8_json_string(const char *s);
/* snprintf that never leaves a character cut in two at the end, nor a
 * byte that is not UTF-8 (as utf8_clean). Returns what snprintf returned. */
int utf8_snprintf(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
