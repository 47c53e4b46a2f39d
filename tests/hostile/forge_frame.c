/* forge_frame — bypass the SDK and write a frame straight on the runtime's
 * channel (descriptor 1000): a result header that announces 64 MiB.
 * Expected: Runtime.ResponseSizeTooLarge (the runtime caps every frame). */
#include "hostile.h"

#include <stdint.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	uint32_t hdr[2] = { 2 /* PROTO_RESULT */, 64u << 20 };
	static char junk[1 << 16];

	(void)event;
	(void)len;
	if (write(1000, hdr, sizeof hdr) != (ssize_t)sizeof hdr)
		return tt_raise(ctx, "Hostile.Write", "channel: %s", hj_errname(errno));
	for (int i = 0; i < 1024; i++)
		if (write(1000, junk, sizeof junk) < 0)
			break;
	return tt_return(ctx, "\"forged\"", 0);
}
