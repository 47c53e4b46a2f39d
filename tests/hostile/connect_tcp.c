/* connect_tcp — socket + connect to {"host":"127.0.0.1","port":N}, a
 * listener the test runs on the host's loopback; sends a line if connected.
 * Expected without network: {"connected":false,"errno":"ENETUNREACH"} (the
 * empty namespace has no interface up) and the listener sees nothing. With
 * --network it connects: that is the documented limit of network mode. */
#include "hostile.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char host[64];
	struct sockaddr_in sa;
	int fd, rc, err;

	(void)len;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)hj_num(event, "port", 1));
	if (inet_pton(AF_INET, hj_str(event, "host", host, sizeof host, "127.0.0.1"), &sa.sin_addr) != 1)
		return tt_raise(ctx, "Hostile.Usage", "bad host");
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return hj_return(ctx, "{\"socket\":false,\"errno\":\"%s\"}", hj_errname(errno));
	rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	err = errno;
	if (rc == 0 && write(fd, "hostile\n", 8) < 0)
		err = errno;
	close(fd);
	return hj_return(ctx, "{\"connected\":%s,\"errno\":\"%s\"}", rc == 0 ? "true" : "false",
			 rc == 0 ? "0" : hj_errname(err));
}
