// SPDX-License-Identifier: GPL-2.0
/*
 * Where nfsec meets the packet path: netfilter hooks for IPv4 and IPv6 in
 * every network namespace.
 *
 *   LOCAL_OUT  packets this host sends             -> OUT policies
 *   FORWARD    packets this host forwards          -> FWD, then OUT policies
 *   LOCAL_IN   packets delivered to this host      -> IN policies
 *
 * LOCAL_IN and FORWARD run after defragmentation and conntrack, so the SPD
 * sees whole packets.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>

#include "main.h"
#include "nf_hooks.h"

static unsigned int nfsec_hook(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct nfsec_net *nn = nfsec_net(state->net);
	enum nfsec_dir dir = (uintptr_t)priv;

	/* No SPD yet: every packet is a default BYPASS. */
	nfsec_stats_nomatch(nn->stats, dir);
	return NF_ACCEPT;
}

#define NFSEC_HOOK(pf_, hook_, prio_, dir_) {			\
	.hook = nfsec_hook, .pf = (pf_), .hooknum = (hook_),	\
	.priority = (prio_), .priv = (void *)(dir_) }

static const struct nf_hook_ops nfsec_nf_ops[] = {
	NFSEC_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_OUT, NF_IP_PRI_LAST, NFSEC_DIR_OUT),
	NFSEC_HOOK(NFPROTO_IPV4, NF_INET_FORWARD, NF_IP_PRI_LAST, NFSEC_DIR_FWD),
	NFSEC_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_IN, NF_IP_PRI_LAST, NFSEC_DIR_IN),
	NFSEC_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_OUT, NF_IP6_PRI_LAST, NFSEC_DIR_OUT),
	NFSEC_HOOK(NFPROTO_IPV6, NF_INET_FORWARD, NF_IP6_PRI_LAST, NFSEC_DIR_FWD),
	NFSEC_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_IN, NF_IP6_PRI_LAST, NFSEC_DIR_IN),
};

int nfsec_nf_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, nfsec_nf_ops, ARRAY_SIZE(nfsec_nf_ops));
}

void nfsec_nf_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, nfsec_nf_ops, ARRAY_SIZE(nfsec_nf_ops));
}
