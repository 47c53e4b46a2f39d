#include "proto.h"

#include <errno.h>
#include <sys/uio.h>
#include <unistd.h>

static uint64_t cur_seq;

void proto_set_seq(uint64_t seq)
{
	cur_seq = seq;
}

uint64_t proto_seq(void)
{
	return cur_seq;
}

static int writev_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t w = writev(fd, iov, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

int proto_send(int fd, uint32_t type, const void *a, size_t alen, const void *b, size_t blen,
	       const void *c, size_t clen)
{
	struct proto_hdr h = { type, (uint32_t)(alen + blen + clen), cur_seq };
	struct iovec iov[4];
	int n = 0;

	if (alen + blen + clen > PROTO_BODY_MAX)
		return -EMSGSIZE;
	iov[n++] = (struct iovec){ &h, sizeof h };
	if (alen)
		iov[n++] = (struct iovec){ (void *)a, alen };
	if (blen)
		iov[n++] = (struct iovec){ (void *)b, blen };
	if (clen)
		iov[n++] = (struct iovec){ (void *)c, clen };
	return writev_all(fd, iov, n);
}

int proto_read_full(int fd, void *p, size_t len)
{
	char *q = p;

	while (len) {
		ssize_t r = read(fd, q, len);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			return -EPIPE;
		q += r;
		len -= (size_t)r;
	}
	return 0;
}
