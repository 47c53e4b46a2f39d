/* huge_result — return a valid 10 MiB JSON string.
 * Expected: Runtime.ResponseSizeTooLarge (the limit is 6 MiB). */
#include "hostile.h"

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	size_t n = 10u << 20;
	char *s = malloc(n + 1);
	int rc;

	(void)event;
	(void)len;
	if (!s)
		return tt_raise(ctx, "Hostile.NoMemory", "malloc");
	memset(s, 'a', n);
	s[0] = s[n - 1] = '"';
	s[n] = '\0';
	rc = tt_return(ctx, s, n);
	free(s);
	return rc;
}
