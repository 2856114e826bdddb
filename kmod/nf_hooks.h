/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_NF_HOOKS_H
#define _NFSEC_NF_HOOKS_H

#include <linux/skbuff.h>

struct net;
struct nfsec_tuple;

int nfsec_nf_hooks_register(struct net *net);
int nfsec_parse(const struct sk_buff *skb, u8 pf, struct nfsec_tuple *t,
		unsigned int *thoff);
void nfsec_nf_hooks_unregister(struct net *net);

#endif /* _NFSEC_NF_HOOKS_H */
