/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_INPUT_H
#define _NFSEC_INPUT_H

#include <linux/skbuff.h>

struct net;
struct nfsec_net;
struct nfsec_tuple;

unsigned int nfsec_input(struct nfsec_net *nn, struct sk_buff *skb,
			 const struct nfsec_tuple *t, unsigned int thoff);
unsigned int nfsec_input_udp(struct nfsec_net *nn, struct sk_buff *skb,
			     const struct nfsec_tuple *t, unsigned int thoff);
void nfsec_input_encap(struct net *net, struct sk_buff *skb);

#endif /* _NFSEC_INPUT_H */
