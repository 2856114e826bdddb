/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_PMTU_H
#define _NFSEC_PMTU_H

#include <linux/skbuff.h>

struct nfsec_net;
struct nfsec_sa;
struct nfsec_tuple;

/*
 * An ICMP/ICMPv6 packet for this host that passed the SPD (@thoff: its
 * ICMP header): if it reports that a packet of one of our outbound SAs was
 * too big, lower that SA's path MTU. Does not consume @skb.
 */
void nfsec_pmtu_icmp(struct nfsec_net *nn, const struct sk_buff *skb,
		     const struct nfsec_tuple *t, unsigned int thoff);

/* The path MTU ICMP taught @sa, or 0: none, or it expired. */
u32 nfsec_sa_pmtu(const struct nfsec_sa *sa);

#endif /* _NFSEC_PMTU_H */
