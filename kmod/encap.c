// SPDX-License-Identifier: GPL-2.0
/*
 * ESP in UDP (RFC 3948) on the receive side: a UDP socket whose encap_rcv
 * hook sees every datagram first. ESP (a non-zero SPI where the non-ESP
 * marker would be) is turned back into ESP in IP, as XFRM's
 * xfrm4_udp_encap_rcv() does, and handed to nfsec's inbound path; IKE (the
 * non-ESP marker, four zero bytes) goes on to the socket; NAT keepalives
 * (a single 0xff) are eaten.
 *
 * nfsec_encap_ensure() registers each local port an inbound SA needs. The
 * datagrams are taken at LOCAL_IN (nfsec_input_udp()), because the SPD there
 * would otherwise see ESP in UDP as clear-text UDP; a socket on the port only
 * keeps it from being handed to someone else, and gets IKE. Two cases:
 *
 *   - the port is free: nfsec opens a kernel socket with this hook, which
 *     gets what slips past LOCAL_IN (a datagram that arrived while its port
 *     was being registered);
 *   - the port is already bound (EADDRINUSE), normally by an IKE daemon's
 *     own NAT-T socket (ikev2d holds UDP 4500 for IKE with the non-ESP
 *     marker): nfsec adopts the port, registering it without a socket. ESP
 *     is still taken at LOCAL_IN, keepalives are eaten there, and IKE goes
 *     on to the daemon's socket. This is why the daemon must bind first: a
 *     port that nfsec opened its own socket on stays nfsec's until the
 *     namespace goes, and a later bind() gets EADDRINUSE.
 *
 * Each family has its own socket (IPv6 ones are V6ONLY), so each family is
 * opened or adopted on its own; the port list the hook reads is shared.
 *
 * The send side is in esp.c: an SA whose path has encapsulation ports gets a
 * UDP header between the IP and the ESP header, checksum 0 (RFC 3948 §2.1).
 */
#include <asm/unaligned.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/esp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/udp.h>

#include "main.h"
#include "encap.h"
#include "esp.h"
#include "input.h"

struct nfsec_encap {
	nfsec_encap_esp_rcv_t rcv;
	struct net *net;
};

/*
 * What the datagram whose UDP header is the transport header carries. Makes
 * at most the first 8 payload bytes linear.
 */
enum nfsec_encap_kind nfsec_encap_classify(struct sk_buff *skb)
{
	unsigned int uoff = skb_transport_offset(skb), len;
	const u8 *data;

	if (skb->len < uoff + sizeof(struct udphdr))
		return NFSEC_ENCAP_BAD;
	len = skb->len - uoff - sizeof(struct udphdr);
	if (!pskb_may_pull(skb, uoff + sizeof(struct udphdr) + min(len, 8U)))
		return NFSEC_ENCAP_BAD;
	data = skb->data + uoff + sizeof(struct udphdr);
	if (len == 1 && data[0] == 0xff)
		return NFSEC_ENCAP_KEEPALIVE;
	if (len > sizeof(struct ip_esp_hdr) && get_unaligned((u32 *)data))
		return NFSEC_ENCAP_ESP;
	return NFSEC_ENCAP_IKE;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_encap_classify);

/*
 * ESP in UDP to ESP in IP: the IP header (and IPv6 extension headers) move
 * up over the UDP header and announce ESP. On return skb->data is the IP
 * header and the transport header the ESP header.
 */
int nfsec_encap_strip(struct sk_buff *skb)
{
	unsigned int hl, nh_off;
	int err;

	__skb_push(skb, skb->data - skb_network_header(skb));
	hl = skb_transport_offset(skb);
	err = skb_ensure_writable(skb, hl + sizeof(struct udphdr));
	if (err)
		return err;
	if (ip_hdr(skb)->version == 4) {
		if (ip_hdr(skb)->protocol != IPPROTO_UDP ||
		    hl != ip_hdrlen(skb))
			return -EPROTO;
		nh_off = offsetof(struct iphdr, protocol);
	} else {
		err = nfsec_ip6_esp_offset(skb, &nh_off);
		if (err != hl || skb->data[nh_off] != IPPROTO_UDP)
			return -EPROTO;
	}
	memmove(skb->data + sizeof(struct udphdr), skb->data, hl);
	__skb_pull(skb, sizeof(struct udphdr));
	skb_reset_network_header(skb);
	skb_set_transport_header(skb, hl);
	skb->data[nh_off] = IPPROTO_ESP;
	nfsec_xform_set_len(skb);
	/* A checksum over the UDP datagram means nothing now. */
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_encap_strip);

/* 1: on to the socket (IKE); 0: consumed. */
static int nfsec_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct nfsec_encap *e = rcu_dereference_sk_user_data(sk);

	switch (nfsec_encap_classify(skb)) {
	case NFSEC_ENCAP_IKE:
		return 1;
	case NFSEC_ENCAP_ESP:
		if (e && !nfsec_encap_strip(skb)) {
			e->rcv(e->net, skb);
			return 0;
		}
		break;
	default:
		break;
	}
	kfree_skb(skb);
	return 0;
}

/*
 * A kernel UDP socket on @port in @net with the ESP-in-UDP hook. By hand
 * rather than with udp_sock_create()/setup_udp_tunnel_sock(): those live in
 * udp_tunnel.ko, which not every kernel has (CONFIG_NET_UDP_TUNNEL).
 */
struct socket *nfsec_encap_open(struct net *net, u16 family, __be16 port,
				nfsec_encap_esp_rcv_t rcv)
{
	struct sockaddr_storage ss = {};
	struct nfsec_encap *e;
	struct socket *sock;
	struct sock *sk;
	int err;

	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return ERR_PTR(-ENOMEM);
	e->rcv = rcv;
	e->net = net;
	err = sock_create_kern(net, family, SOCK_DGRAM, IPPROTO_UDP, &sock);
	if (err)
		goto free;
	sk = sock->sk;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = port;
		err = kernel_bind(sock, (struct sockaddr *)sin, sizeof(*sin));
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sk->sk_ipv6only = 1;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = port;
		err = kernel_bind(sock, (struct sockaddr *)sin6,
				  sizeof(*sin6));
	}
	if (err)
		goto release;
	rcu_assign_sk_user_data(sk, e);
	udp_sk(sk)->encap_type = UDP_ENCAP_ESPINUDP;
	udp_sk(sk)->encap_rcv = nfsec_encap_rcv;
	if (family == AF_INET)
		udp_encap_enable();
	else
		udpv6_encap_enable();
	return sock;

release:
	sock_release(sock);
free:
	kfree(e);
	return ERR_PTR(err);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_encap_open);

void nfsec_encap_close(struct socket *sock)
{
	struct nfsec_encap *e;

	if (IS_ERR_OR_NULL(sock))
		return;
	rcu_read_lock();
	e = rcu_dereference_sk_user_data(sock->sk);	/* ours to free */
	rcu_read_unlock();
	/* Unhook, let receivers in flight finish, then release. */
	rcu_assign_sk_user_data(sock->sk, NULL);
	synchronize_rcu();
	kernel_sock_shutdown(sock, SHUT_RDWR);
	sock_release(sock);
	kfree(e);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_encap_close);

/*
 * The namespace's ESP-in-UDP ports, one entry per (family, port) that an
 * inbound SA with NAT-T ports needs, registered on first use and kept until
 * the namespace goes: SAs come and go with rekeys, the port stays the same.
 */
struct nfsec_encap_sock {
	struct list_head list;
	struct socket *sock;	/* NULL: adopted, a userspace socket has it */
	u16 family;
	__be16 port;
};

int nfsec_encap_ensure(struct nfsec_net *nn, u16 family, __be16 port,
		       struct netlink_ext_ack *extack)
{
	struct nfsec_encap_sock *es;
	struct socket *sock;
	unsigned int i;
	int err = 0;

	mutex_lock(&nn->encap_lock);
	list_for_each_entry(es, &nn->encap_socks, list) {
		if (es->family == family && es->port == port)
			goto unlock;
	}
	for (i = 0; i < NFSEC_ENCAP_PORTS && nn->encap_ports[i]; i++)
		;
	if (i == NFSEC_ENCAP_PORTS) {
		NL_SET_ERR_MSG(extack, "too many ESP-in-UDP ports in this namespace");
		err = -ENOSPC;
		goto unlock;
	}
	es = kzalloc(sizeof(*es), GFP_KERNEL);
	if (!es) {
		err = -ENOMEM;
		goto unlock;
	}
	sock = nfsec_encap_open(nn->net, family, port, nfsec_input_encap);
	if (sock == ERR_PTR(-EADDRINUSE)) {
		/* An IKE daemon's socket: adopt the port (see above). */
		sock = NULL;
	} else if (IS_ERR(sock)) {
		err = PTR_ERR(sock);
		kfree(es);
		NL_SET_ERR_MSG(extack, "cannot open the ESP-in-UDP socket");
		goto unlock;
	}
	es->sock = sock;
	es->family = family;
	es->port = port;
	list_add(&es->list, &nn->encap_socks);
	/* Both families share the slot: the hook only asks "is it ours". */
	if (!nfsec_encap_port(nn, port))
		WRITE_ONCE(nn->encap_ports[i], port);
unlock:
	mutex_unlock(&nn->encap_lock);
	return err;
}

/* Does UDP @port (network order) carry nfsec's ESP in UDP? Lockless. */
bool nfsec_encap_port(const struct nfsec_net *nn, __be16 port)
{
	unsigned int i;

	for (i = 0; i < NFSEC_ENCAP_PORTS; i++) {
		__be16 p = READ_ONCE(nn->encap_ports[i]);

		if (!p)
			break;
		if (p == port)
			return true;
	}
	return false;
}

/* Namespace exit, after the hooks are gone and before the SAD. */
void nfsec_encap_close_all(struct nfsec_net *nn)
{
	struct nfsec_encap_sock *es, *tmp;

	list_for_each_entry_safe(es, tmp, &nn->encap_socks, list) {
		list_del(&es->list);
		nfsec_encap_close(es->sock);
		kfree(es);
	}
}
