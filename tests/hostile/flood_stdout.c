/* flood_stdout — write {"mb":N} MiB (default 200) to stdout, 64 KiB at a
 * time, with a marker line at the very end.
 * Expected: the invocation completes (or times out); the log kept is the
 * capped tail ending in the marker; the tutti process stays small. */
#include "hostile.h"

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	static char chunk[65536];
	long long mb = hj_num(event, "mb", 200), written = 0;

	(void)len;
	memset(chunk, 'x', sizeof chunk);
	for (size_t i = 127; i < sizeof chunk; i += 128)
		chunk[i] = '\n';
	while (written < (mb << 20)) {
		ssize_t w = write(1, chunk, sizeof chunk);

		if (w <= 0)
			break;
		written += w;
	}
	if (write(1, "END-OF-FLOOD\n", 13) < 0)
		return tt_raise(ctx, "Hostile.Write", "stdout: %s", hj_errname(errno));
	return hj_return(ctx, "{\"written_mb\":%lld}", written >> 20);
}
