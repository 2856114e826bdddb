// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "log.h"
#include "net.h"

static int open_one(int family, uint16_t port)
{
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ike_sockaddr a;
	int on = 1;

	if (fd < 0)
		return -errno;
	memset(&a, 0, sizeof(a));
	a.sa.sa_family = (sa_family_t)family;
	ike_addr_set_port(&a, port);
	if (family == AF_INET6) {
		a.sin6.sin6_addr = in6addr_any;
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on));
	} else {
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	}
	if (bind(fd, &a.sa, family == AF_INET6 ? sizeof(a.sin6) : sizeof(a.sin))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int net_open(struct net *n, uint16_t port, uint16_t natt_port)
{
	static const int families[] = { AF_INET, AF_INET6 };
	int opened = 0, last = 0;

	n->natt_port = natt_port;
	for (int f = 0; f < 2; f++) {
		for (int p = 0; p < 2; p++) {
			int i = f * 2 + p;

			n->family[i] = families[f];
			n->port[i] = p ? natt_port : port;
			n->fd[i] = open_one(families[f], n->port[i]);
			if (n->fd[i] < 0) {
				last = n->fd[i];
				log_warn("cannot listen on %s port %u: %s",
					 families[f] == AF_INET ? "IPv4" : "IPv6", n->port[i],
					 strerror(-n->fd[i]));
				n->fd[i] = -1;
				continue;
			}
			opened++;
		}
	}
	return opened ? 0 : last;
}

void net_close(struct net *n)
{
	for (int i = 0; i < NET_SOCKS; i++) {
		if (n->fd[i] >= 0)
			close(n->fd[i]);
		n->fd[i] = -1;
	}
}

ssize_t net_recv(struct net *n, int i, uint8_t *buf, size_t cap, ike_sockaddr *local,
		 ike_sockaddr *remote)
{
	uint8_t cbuf[256];
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr mh = {
		.msg_name = remote, .msg_namelen = sizeof(*remote),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	ssize_t len;

	memset(local, 0, sizeof(*local));
	len = recvmsg(n->fd[i], &mh, 0);
	if (len < 0)
		return -errno;
	local->sa.sa_family = (sa_family_t)n->family[i];
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			local->sin.sin_addr = pi.ipi_addr;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			local->sin6.sin6_addr = pi.ipi6_addr;
		}
	}
	ike_addr_set_port(local, n->port[i]);
	if (n->port[i] == n->natt_port) {
		/* RFC 3948: 0xff is a NAT-keepalive, a non-zero SPI is ESP */
		if (len < 4 || buf[0] || buf[1] || buf[2] || buf[3])
			return 0;
		memmove(buf, buf + 4, (size_t)len - 4);
		len -= 4;
	}
	return len;
}

/* One control message at the start of cbuf; returns the control length. */
static size_t put_cmsg(uint8_t *cbuf, int level, int type, const void *data, size_t len)
{
	struct cmsghdr *c = (struct cmsghdr *)cbuf;

	c->cmsg_level = level;
	c->cmsg_type = type;
	c->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(c), data, len);
	return CMSG_SPACE(len);
}

/* One datagram from the NAT-T socket (natt) or the IKE one, leaving from
 * local's address when it has one. */
static int send_iov(struct net *n, const ike_sockaddr *local, const ike_sockaddr *remote,
		    bool natt, struct iovec *iov, size_t iovlen, size_t len)
{
	uint8_t cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct msghdr mh = {
		.msg_name = (void *)remote,
		.msg_namelen = remote->sa.sa_family == AF_INET6 ? sizeof(remote->sin6) :
								  sizeof(remote->sin),
		.msg_iov = iov, .msg_iovlen = iovlen,
	};
	size_t alen;
	const uint8_t *a = ike_addr_bytes(local, &alen);
	int fd = -1;
	char ra[64];

	for (int i = 0; i < NET_SOCKS; i++)
		if (n->fd[i] >= 0 && n->family[i] == remote->sa.sa_family &&
		    (n->port[i] == n->natt_port) == natt)
			fd = n->fd[i];
	if (fd < 0)
		return -EAFNOSUPPORT;
	memset(cbuf, 0, sizeof(cbuf));
	if (local->sa.sa_family == remote->sa.sa_family && memcmp(a, &in6addr_any, alen)) {
		mh.msg_control = cbuf;
		if (remote->sa.sa_family == AF_INET6) {
			struct in6_pktinfo pi = { 0 };

			memcpy(&pi.ipi6_addr, a, 16);
			mh.msg_controllen = put_cmsg(cbuf, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
		} else {
			struct in_pktinfo pi = { 0 };

			memcpy(&pi.ipi_spec_dst, a, 4);
			mh.msg_controllen = put_cmsg(cbuf, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
		}
	}
	if (sendmsg(fd, &mh, 0) < 0) {
		int err = -errno;

		log_warn("sending %zu bytes to %s failed: %s", len,
			 ike_addr_str(remote, true, ra, sizeof(ra)), strerror(-err));
		return err;
	}
	log_debug("sent %zu bytes to %s", len, ike_addr_str(remote, true, ra, sizeof(ra)));
	return 0;
}

int net_send(struct net *n, const ike_sockaddr *local, const ike_sockaddr *remote,
	     const uint8_t *buf, size_t len)
{
	static const uint8_t marker[4];
	bool natt = ike_addr_port(local) == n->natt_port || ike_addr_port(remote) == IKE_NATT_PORT;
	struct iovec iov[2] = {
		{ .iov_base = (void *)marker, .iov_len = 4 },
		{ .iov_base = (void *)buf, .iov_len = len },
	};

	return natt ? send_iov(n, local, remote, true, iov, 2, len) :
		      send_iov(n, local, remote, false, iov + 1, 1, len);
}

int net_keepalive(struct net *n, const ike_sockaddr *local, const ike_sockaddr *remote)
{
	static const uint8_t ka = 0xff;
	struct iovec iov = { .iov_base = (void *)&ka, .iov_len = 1 };

	return send_iov(n, local, remote, true, &iov, 1, 1);
}

int net_route(const ike_sockaddr *remote, ike_sockaddr *local)
{
	socklen_t len = sizeof(*local);
	int fd = socket(remote->sa.sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (connect(fd, &remote->sa, remote->sa.sa_family == AF_INET6 ? sizeof(remote->sin6) :
		    sizeof(remote->sin)) || getsockname(fd, &local->sa, &len))
		ret = -errno;
	close(fd);
	return ret;
}
