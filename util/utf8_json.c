/* utf8_json — utf8_json_string (utf8.h), apart so that utf8.c, which
 * err.c needs, links without jansson (the s3 layer, the fuzzers). */
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

json_t *utf8_json_string(const char *s)
{
	json_t *j;
	size_t n, cap;
	char *tmp;

	if (!s)
		return NULL;
	if ((j = json_string(s)))
		return j;
	n = strlen(s);
	cap = n * 3 + 1; /* every byte may become three */
	if (!(tmp = malloc(cap)))
		return NULL;
	utf8_clean(s, n, tmp, cap);
	j = json_string(tmp);
	free(tmp);
	return j;
}
