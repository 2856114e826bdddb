/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UDP sockets for IKE: ports 500 and 4500 (RFC 3948: IKE on 4500 carries
 * the 4-byte non-ESP marker), IPv4 and IPv6. Received datagrams come with
 * the local address they were sent to (IP_PKTINFO), and replies leave
 * from that address.
 */
#ifndef NET_H
#define NET_H

#include "ike_sa.h"

#define NET_SOCKS 4

struct net {
	int fd[NET_SOCKS];		/* -1 when not open */
	int family[NET_SOCKS];
	uint16_t port[NET_SOCKS];
	uint16_t natt_port;
};

/* Opens what it can; fails only if no socket could be bound. */
int net_open(struct net *n, uint16_t port, uint16_t natt_port);
void net_close(struct net *n);
/*
 * Reads one datagram from socket i. Returns the length of the IKE message
 * in buf (the non-ESP marker removed), 0 for something to ignore (an ESP
 * packet or a NAT-keepalive on 4500), or a negative errno.
 */
ssize_t net_recv(struct net *n, int i, uint8_t *buf, size_t cap, ike_sockaddr *local,
		 ike_sockaddr *remote);
int net_send(struct net *n, const ike_sockaddr *local, const ike_sockaddr *remote,
	     const uint8_t *buf, size_t len);
/* A NAT keepalive (RFC 3948 §2.3) from the NAT-T socket. */
int net_keepalive(struct net *n, const ike_sockaddr *local, const ike_sockaddr *remote);
/* The source address the kernel picks for remote. */
int net_route(const ike_sockaddr *remote, ike_sockaddr *local);

#endif
