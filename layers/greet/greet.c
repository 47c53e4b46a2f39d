/* libgreet.so.1 — see greet.h. */
#include "greet.h"

const char *greet_hello(void)
{
	return "Hello from the greet layer!";
}
