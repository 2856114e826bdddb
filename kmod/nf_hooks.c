// SPDX-License-Identifier: GPL-2.0
/*
 * Where nfsec meets the packet path: netfilter hooks for IPv4 and IPv6 in
 * every network namespace.
 *
 *   LOCAL_OUT  packets this host sends             -> OUT policies
 *   FORWARD    packets this host forwards          -> FWD, then OUT policies
 *   LOCAL_IN   packets delivered to this host      -> IN policies
 *
 * Priority NFSEC_NF_PRI (NF_IP_PRI_SECURITY + 1 = 51) on every hook: after
 * defragmentation (-400), raw (-300), conntrack (-200), mangle (-150),
 * destination NAT (-100), filter (0) and security (50); before source NAT
 * (100) and conntrack confirmation (INT_MAX). So the SPD sees the addresses
 * the packet is really going to (after DNAT) but the source before SNAT, an
 * operator's nftables filter chains run before nfsec and can only drop more,
 * and a packet nfsec drops never confirms a conntrack entry.
 *
 * Fragments: nfsec enables IPv4 and IPv6 defragmentation in every namespace
 * (nf_defrag_ipv4/ipv6, PRE_ROUTING and LOCAL_OUT at -400), so inbound and
 * forwarded packets are whole when the SPD sees them. A non-first fragment
 * that still reaches a hook (raw sockets sending fragments) has no ports:
 * it is matched with OPAQUE ports.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "main.h"
#include "nf_hooks.h"
#include "spd_cache.h"
#include "acquire.h"
#include "encap.h"
#include "input.h"
#include "output.h"
#include "pmtu.h"

#define NFSEC_NF_PRI	(NF_IP_PRI_SECURITY + 1)

static int nfsec_parse_l4(const struct sk_buff *skb, unsigned int thoff,
			  struct nfsec_tuple *t)
{
	switch (t->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP: {
		__be16 _ports[2];
		const __be16 *ports;

		ports = skb_header_pointer(skb, thoff, sizeof(_ports), _ports);
		if (!ports)
			return -EINVAL;
		t->sport = ntohs(ports[0]);
		t->dport = ntohs(ports[1]);
		break;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		u8 _tc[2];
		const u8 *tc;

		tc = skb_header_pointer(skb, thoff, sizeof(_tc), _tc);
		if (!tc)
			return -EINVAL;
		t->sport = tc[0];	/* type */
		t->dport = tc[1];	/* code */
		break;
	}
	}
	return 0;
}

static int nfsec_parse4(const struct sk_buff *skb, struct nfsec_tuple *t,
			unsigned int *thoff)
{
	const struct iphdr *iph;
	struct iphdr _iph;

	iph = skb_header_pointer(skb, skb_network_offset(skb), sizeof(_iph),
				 &_iph);
	if (!iph || iph->ihl < 5)
		return -EINVAL;
	t->family = AF_INET;
	t->src.ip = iph->saddr;
	t->dst.ip = iph->daddr;
	t->proto = iph->protocol;
	*thoff = skb_network_offset(skb) + iph->ihl * 4;
	if (ntohs(iph->frag_off) & IP_OFFSET) {
		t->opaque = 1;
		return 0;
	}
	return nfsec_parse_l4(skb, *thoff, t);
}

static int nfsec_parse6(const struct sk_buff *skb, struct nfsec_tuple *t,
			unsigned int *thoffp)
{
	int flags = IP6_FH_F_AUTH, proto;
	const struct ipv6hdr *ip6h;
	unsigned int thoff = 0;
	struct ipv6hdr _ip6h;
	unsigned short frag;

	ip6h = skb_header_pointer(skb, skb_network_offset(skb), sizeof(_ip6h),
				  &_ip6h);
	if (!ip6h)
		return -EINVAL;
	t->family = AF_INET6;
	t->src.in6 = ip6h->saddr;
	t->dst.in6 = ip6h->daddr;
	proto = ipv6_find_hdr(skb, &thoff, -1, &frag, &flags);
	if (proto == -ENOENT) {
		/* A non-first fragment followed by extension headers. */
		t->proto = NEXTHDR_FRAGMENT;
		t->opaque = 1;
		return 0;
	}
	if (proto < 0)
		return proto;
	t->proto = proto;
	*thoffp = thoff;
	if (frag) {
		t->opaque = 1;
		return 0;
	}
	return nfsec_parse_l4(skb, thoff, t);
}

/*
 * The selector tuple of the IP packet at skb's network header, and where its
 * upper-layer header (or ESP/AH) starts. 0 or -EINVAL.
 */
int nfsec_parse(const struct sk_buff *skb, u8 pf, struct nfsec_tuple *t,
		unsigned int *thoff)
{
	*thoff = 0;
	if (pf == NFPROTO_IPV4)
		return nfsec_parse4(skb, t, thoff);
	return nfsec_parse6(skb, t, thoff);
}

static void nfsec_count(struct nfsec_stats *st, u8 dir, u8 action)
{
	nfsec_stats_inc(&st->verdict[dir][action], st);
}

/*
 * The decision of one SPD direction; NF_ACCEPT lets the next one run.
 * @protected: the packet arrived on nfsec0, i.e. through an inbound SA.
 */
static unsigned int nfsec_decide(struct nfsec_net *nn, struct nfsec_tuple *t,
				 struct sk_buff *skb, bool protected)
{
	struct nfsec_stats *st = this_cpu_ptr(nn->stats);
	const struct nfsec_policy *pol;
	const struct nfsec_spd *spd;

	pol = nfsec_spd_cached_lookup(nn, t, &spd);
	if (!pol) {
		nfsec_stats_inc(&st->nomatch[t->dir], st);
		return NF_ACCEPT;
	}
	nfsec_count(st, t->dir, pol->action);
	nfsec_policy_count(pol, skb->len);
	switch (pol->action) {
	case NFSEC_ACTION_BYPASS:
		return NF_ACCEPT;
	case NFSEC_ACTION_DISCARD:
		nfsec_stats_inc(&st->drop[NFSEC_DROP_DISCARD], st);
		return NF_DROP;
	default:
		break;
	}
	if (t->dir != NFSEC_DIR_OUT) {
		/*
		 * RFC 4301 §5.2: SPD-S says this must arrive protected. Only
		 * nfsec re-injects on nfsec0, after the SA's own checks.
		 */
		if (protected)
			return NF_ACCEPT;
		nfsec_stats_inc(&st->drop[NFSEC_DROP_UNPROTECTED], st);
		return NF_DROP;
	}
	return nfsec_output(nn, spd, pol, t, skb);
}

static unsigned int nfsec_hook(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct nfsec_net *nn = nfsec_net(state->net);
	enum nfsec_dir dir = (uintptr_t)priv;
	unsigned int verdict, thoff;
	struct nfsec_tuple t;
	bool protected;
	int err;

	/* nfsec's own ESP/AH: already processed (design.md, problem 2). */
	if (dir == NFSEC_DIR_OUT && nfsec_output_own(nn, state))
		return NF_ACCEPT;
	protected = state->in && state->in == nn->dev;

	memset(&t, 0, sizeof(t));
	err = nfsec_parse(skb, state->pf, &t, &thoff);

	local_bh_disable();
	rcu_read_lock();
	if (err) {
		struct nfsec_stats *st = this_cpu_ptr(nn->stats);

		nfsec_stats_inc(&st->drop[NFSEC_DROP_MALFORMED], st);
		verdict = NF_DROP;
		goto out;
	}
	t.dir = dir;
	/* RFC 4301 §5.2: IPsec packets for this host go to their SA first. */
	if (dir == NFSEC_DIR_IN && !protected && !t.opaque &&
	    (t.proto == IPPROTO_ESP || t.proto == IPPROTO_AH)) {
		verdict = nfsec_input(nn, skb, &t, thoff);
		if (verdict != NF_ACCEPT)
			goto out;
	}
	/* ESP in UDP (RFC 3948) is IPsec too, not UDP for the SPD. */
	if (dir == NFSEC_DIR_IN && !protected && !t.opaque &&
	    t.proto == IPPROTO_UDP && nfsec_encap_port(nn, htons(t.dport))) {
		verdict = nfsec_input_udp(nn, skb, &t, thoff);
		if (verdict != NF_ACCEPT)
			goto out;
	}
	verdict = nfsec_decide(nn, &t, skb, protected);
	/* An ICMP error the SPD let in may be about one of our SAs. */
	if (dir == NFSEC_DIR_IN && verdict == NF_ACCEPT && !t.opaque &&
	    (t.proto == IPPROTO_ICMP || t.proto == IPPROTO_ICMPV6))
		nfsec_pmtu_icmp(nn, skb, &t, thoff);
	if (dir == NFSEC_DIR_FWD && verdict == NF_ACCEPT) {
		/* A forwarded packet also leaves: RFC 4301 §5.1. */
		t.dir = NFSEC_DIR_OUT;
		verdict = nfsec_decide(nn, &t, skb, false);
	}
out:
	rcu_read_unlock();
	local_bh_enable();
	return verdict;
}

#define NFSEC_HOOK(pf_, hook_, dir_) {				\
	.hook = nfsec_hook, .pf = (pf_), .hooknum = (hook_),	\
	.priority = NFSEC_NF_PRI, .priv = (void *)(dir_) }

static const struct nf_hook_ops nfsec_nf_ops[] = {
	NFSEC_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_OUT, NFSEC_DIR_OUT),
	NFSEC_HOOK(NFPROTO_IPV4, NF_INET_FORWARD, NFSEC_DIR_FWD),
	NFSEC_HOOK(NFPROTO_IPV4, NF_INET_LOCAL_IN, NFSEC_DIR_IN),
	NFSEC_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_OUT, NFSEC_DIR_OUT),
	NFSEC_HOOK(NFPROTO_IPV6, NF_INET_FORWARD, NFSEC_DIR_FWD),
	NFSEC_HOOK(NFPROTO_IPV6, NF_INET_LOCAL_IN, NFSEC_DIR_IN),
};

int nfsec_nf_hooks_register(struct net *net)
{
	int err;

	err = nf_defrag_ipv4_enable(net);
	if (err)
		return err;
	err = nf_defrag_ipv6_enable(net);
	if (err)
		goto defrag4;
	err = nf_register_net_hooks(net, nfsec_nf_ops, ARRAY_SIZE(nfsec_nf_ops));
	if (err)
		goto defrag6;
	return 0;

defrag6:
	nf_defrag_ipv6_disable(net);
defrag4:
	nf_defrag_ipv4_disable(net);
	return err;
}

void nfsec_nf_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, nfsec_nf_ops, ARRAY_SIZE(nfsec_nf_ops));
	nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
}
