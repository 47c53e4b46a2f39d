#include "strdist.h"

#include <string.h>

size_t strdist(const char *a, const char *b)
{
	unsigned char d[STRDIST_WORD_MAX + 1][STRDIST_WORD_MAX + 1];
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > STRDIST_WORD_MAX || lb > STRDIST_WORD_MAX)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		d[i][0] = (unsigned char)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (unsigned char)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			unsigned v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (d[i - 1][j] + 1u < v)
				v = d[i - 1][j] + 1u;
			if (d[i][j - 1] + 1u < v)
				v = d[i][j - 1] + 1u;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1u < v)
				v = d[i - 2][j - 2] + 1u;
			d[i][j] = (unsigned char)v;
		}
	}
	return d[la][lb];
}
