/* view_root — list what the function sees: /, /dev, /etc, /var/task, its
 * identity (host name, uid), and how many bytes of host files it can read
 * under /etc and /usr.
 * Expected: / = dev etc opt tmp var; /dev = null random urandom zero;
 * /var/task = function.so; host name tutti; without network no host bytes
 * at all (/etc empty, or empty mount points); with network, the resolver
 * files and CA certificates. */
#include "hostile.h"

#include <dirent.h>
#include <sys/stat.h>
#include <sys/utsname.h>

/* Bytes of regular files under dir, a few levels deep. */
static long long bytes_under(const char *dir, int depth)
{
	DIR *d = depth < 6 ? opendir(dir) : NULL;
	struct dirent *e;
	long long sum = 0;

	while (d && (e = readdir(d))) {
		char p[1024];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		if (stat(p, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			sum += bytes_under(p, depth + 1);
		else if (S_ISREG(st.st_mode))
			sum += st.st_size;
	}
	if (d)
		closedir(d);
	return sum;
}

static void list(const char *dir, char *out, size_t n)
{
	char names[64][64];
	int k = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t used = strlen(out);

	while (d && k < 64 && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			snprintf(names[k++], sizeof names[0], "%.63s", e->d_name);
	if (d)
		closedir(d);
	/* sorted, so the test can compare strings */
	for (int i = 1; i < k; i++)
		for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char t[64];

			memcpy(t, names[j], sizeof t);
			memcpy(names[j], names[j - 1], sizeof t);
			memcpy(names[j - 1], t, sizeof t);
		}
	used += (size_t)snprintf(out + used, n - used, "%s\"%s\":\"", used > 1 ? "," : "", dir);
	for (int i = 0; i < k && used < n; i++)
		used += (size_t)snprintf(out + used, n - used, "%s%s", i ? " " : "", names[i]);
	if (used < n)
		snprintf(out + used, n - used, "\"");
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char out[4096] = "{";
	struct utsname u;

	(void)event;
	(void)len;
	list("/", out, sizeof out);
	list("/dev", out, sizeof out);
	list("/etc", out, sizeof out);
	list("/var/task", out, sizeof out);
	uname(&u);
	snprintf(out + strlen(out), sizeof out - strlen(out),
		 ",\"hostname\":\"%s\",\"uid\":%d,\"gid\":%d,\"pid\":%d,\"host_bytes\":%lld}", u.nodename,
		 (int)getuid(), (int)getgid(), (int)getpid(), bytes_under("/etc", 0) + bytes_under("/usr", 0));
	return tt_return(ctx, out, 0);
}
