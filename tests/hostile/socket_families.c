/* socket_families — open a socket of each family a function might try.
 * Without network only AF_UNIX may work; with --network AF_INET and
 * AF_INET6 too; never netlink, vsock (a VM's vsock port space is the
 * host's), packet, alg, key or any other. For each: "0" (opened) or the
 * errno name. AF_VSOCK also tries bind + listen, the attack: a listener in
 * the host's vsock port space. "upper_unix"/"upper_vsock": the family with
 * bit 32 set (the kernel reads an int; the filter must not be fooled). */
#include "hostile.h"

#include <linux/netlink.h>
#include <linux/vm_sockets.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#ifndef AF_ALG
#define AF_ALG 38
#endif
#ifndef AF_KEY
#define AF_KEY 15
#endif

static void add(char *out, size_t n, const char *name, long rc, int err)
{
	size_t used = strlen(out);

	snprintf(out + used, n - used, "%s\"%s\":\"%s\"", used > 1 ? "," : "", name,
		 rc >= 0 ? "0" : hj_errname(err));
}

static void try_socket(char *out, size_t n, const char *name, long fam, int type, int proto)
{
	long fd = syscall(SYS_socket, fam, type, proto);
	int err = errno;

	add(out, n, name, fd, err);
	if (fd >= 0)
		close((int)fd);
}

int handler(tt_ctx *ctx, const char *event, size_t len)
{
	char out[2048] = "{";
	int sv[2];
	long fd;

	(void)event;
	(void)len;
	try_socket(out, sizeof out, "AF_UNIX", AF_UNIX, SOCK_STREAM, 0);
	fd = socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
	add(out, sizeof out, "socketpair_unix", fd, errno);
	if (fd == 0) {
		close(sv[0]);
		close(sv[1]);
	}
	fd = socketpair(AF_INET, SOCK_STREAM, 0, sv);
	add(out, sizeof out, "socketpair_inet", fd, errno);
	try_socket(out, sizeof out, "AF_INET", AF_INET, SOCK_STREAM, 0);
	try_socket(out, sizeof out, "AF_INET6", AF_INET6, SOCK_DGRAM, 0);
	try_socket(out, sizeof out, "AF_NETLINK", AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	try_socket(out, sizeof out, "AF_PACKET", AF_PACKET, SOCK_RAW, 0);
	try_socket(out, sizeof out, "AF_ALG", AF_ALG, SOCK_SEQPACKET, 0);
	try_socket(out, sizeof out, "AF_KEY", AF_KEY, SOCK_RAW, 2 /* PF_KEY_V2 */);
	try_socket(out, sizeof out, "AF_UNSPEC", AF_UNSPEC, SOCK_STREAM, 0);
	try_socket(out, sizeof out, "family_200", 200, SOCK_STREAM, 0);
	try_socket(out, sizeof out, "upper_unix", (1L << 32) | AF_UNIX, SOCK_STREAM, 0);
	try_socket(out, sizeof out, "upper_vsock", (1L << 32) | AF_VSOCK, SOCK_STREAM, 0);
	/* vsock: open, bind to any port, listen. */
	fd = syscall(SYS_socket, AF_VSOCK, SOCK_STREAM, 0);
	add(out, sizeof out, "AF_VSOCK", fd, errno);
	if (fd >= 0) {
		struct sockaddr_vm a = { .svm_family = AF_VSOCK, .svm_port = VMADDR_PORT_ANY,
					 .svm_cid = VMADDR_CID_ANY };
		int rc = bind((int)fd, (struct sockaddr *)&a, sizeof a);

		add(out, sizeof out, "vsock_bind", rc, errno);
		rc = rc ? rc : listen((int)fd, 1);
		add(out, sizeof out, "vsock_listen", rc, errno);
		close((int)fd);
	}
	strcat(out, "}");
	return tt_return(ctx, out, 0);
}
