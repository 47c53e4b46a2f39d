/* fd_scan — list every open descriptor and what it is, looking for one the
 * runtime left behind: a host directory (openat(fd, "..") walks out of any
 * root), a namespace, a cgroup, a detached mount, the zygote's sockets.
 * Expected: {"fds":"0:chr 1:fifo 2:fifo 1000:sock"} — /dev/null, the log
 * pipe twice, the runtime's channel, and nothing else. */
#include "hostile.h"

#include <sys/resource.h>
#include <sys/stat.h>

static const char *kind(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return "reg";
	case S_IFDIR: return "dir";
	case S_IFCHR: return "chr";
	case S_IFBLK: return "blk";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "sock";
	case S_IFLNK: return "lnk";
	default: return "anon";
	}
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char out[4096] = "{\"fds\":\"";
	struct rlimit rl;
	long max = 65536;

	(void)event;
	(void)len;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (long)rl.rlim_cur < max)
		max = (long)rl.rlim_cur;
	for (long fd = 0; fd < max && strlen(out) < sizeof out - 64; fd++) {
		struct stat st;

		if (fcntl((int)fd, F_GETFD) < 0)
			continue;
		if (fstat((int)fd, &st) < 0)
			st.st_mode = 0;
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%ld:%s", out[8] ? " " : "", fd,
			 kind(st.st_mode));
	}
	strcat(out, "\"}");
	return tt_return(ctx, out, 0);
}
