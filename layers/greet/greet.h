/* greet.h — a one-function library that ships only inside the greet layer.
 *
 * It exists so tests can prove that a function linked against a library
 * found nowhere on the host (only in a layer, at /opt/lib in the sandbox)
 * loads and runs. The returned string is static; never free it. */
#ifndef GREET_H
#define GREET_H

const char *greet_hello(void);

#endif
