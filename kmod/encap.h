/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_ENCAP_H
#define _NFSEC_ENCAP_H

#include <linux/skbuff.h>

#define NFSEC_ENCAP_PORT	4500

struct net;
struct socket;

/* What a datagram on the NAT-T port is (RFC 3948 §2.2, §2.3). */
enum nfsec_encap_kind {
	NFSEC_ENCAP_ESP,	/* ESP in UDP: stripped to ESP in IP */
	NFSEC_ENCAP_IKE,	/* non-ESP marker: for the IKE socket */
	NFSEC_ENCAP_KEEPALIVE,	/* a single 0xff: eat it */
	NFSEC_ENCAP_BAD,	/* too short or malformed: drop */
};

/* Gets the ESP packet (data at its IP header, transport header on ESP). */
typedef void (*nfsec_encap_esp_rcv_t)(struct net *net, struct sk_buff *skb);

enum nfsec_encap_kind nfsec_encap_classify(struct sk_buff *skb);
int nfsec_encap_strip(struct sk_buff *skb);
struct socket *nfsec_encap_open(struct net *net, u16 family, __be16 port,
				nfsec_encap_esp_rcv_t rcv);
void nfsec_encap_close(struct socket *sock);

struct nfsec_net;
struct netlink_ext_ack;

int nfsec_encap_ensure(struct nfsec_net *nn, u16 family, __be16 port,
		       struct netlink_ext_ack *extack);
void nfsec_encap_close_all(struct nfsec_net *nn);
bool nfsec_encap_port(const struct nfsec_net *nn, __be16 port);

#endif /* _NFSEC_ENCAP_H */
