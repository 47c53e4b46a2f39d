/* abstract_unix — connect to an abstract AF_UNIX socket {"name":"..."} the
 * test listens on. Abstract names belong to the network namespace, so
 * without network: {"connected":false,"errno":"ECONNREFUSED"}. */
#include "hostile.h"

#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char name[100];
	struct sockaddr_un sa;
	socklen_t sl;
	int fd, rc, err;

	(void)len;
	hj_str(event, "name", name, sizeof name, "tutti-hostile");
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path + 1, name, strlen(name));
	sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name));
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return hj_return(ctx, "{\"socket\":false,\"errno\":\"%s\"}", hj_errname(errno));
	rc = connect(fd, (struct sockaddr *)&sa, sl);
	err = errno;
	if (rc == 0 && write(fd, "hostile\n", 8) < 0)
		err = errno;
	close(fd);
	return hj_return(ctx, "{\"connected\":%s,\"errno\":\"%s\"}", rc == 0 ? "true" : "false",
			 rc == 0 ? "0" : hj_errname(err));
}
