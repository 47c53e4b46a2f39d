/* strdist — how far apart two short words are, for "did you mean ...?"
 * suggestions (the CLI's options and commands, ASL field and state names).
 * Pure functions, no allocation; thread-safe. */
#ifndef TUTTI_STRDIST_H
#define TUTTI_STRDIST_H

#include <stddef.h>

#define STRDIST_WORD_MAX 63 /* longer words are never close to anything */

/* Optimal string alignment distance: insertions, deletions, substitutions
 * and transpositions of neighbours each cost one. (size_t)-1 when either
 * word is longer than STRDIST_WORD_MAX. */
size_t strdist(const char *a, const char *b);

#endif
