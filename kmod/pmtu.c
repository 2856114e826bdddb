// SPDX-License-Identifier: GPL-2.0
/*
 * The path MTU of an outbound SA, learned from ICMP (RFC 4301 §8.2).
 *
 * A router between the two ends of an SA that cannot forward one of its
 * packets without fragmenting it answers with ICMP "fragmentation needed"
 * (IPv4) or ICMPv6 "packet too big", quoting the start of the ESP or AH
 * packet, or of its UDP encapsulation (RFC 3948). The SPI it quotes names the
 * outbound SA; the MTU is kept on the SA for ten minutes, as long as the
 * kernel keeps its own route exceptions (net.ipv4.route.mtu_expires), and
 * nfsec_output() then announces the smaller inner MTU to the senders that use
 * the SA (design.md, problem 6).
 *
 * XFRM records the MTU on the route to the peer (esp4_err()). nfsec keeps it
 * on the SA: when the peer is also the inner destination (transport mode, or
 * a host-to-host tunnel) that route carries the inner MTU nfsec announced
 * itself, and one value would stand for two paths.
 *
 * The message is not authenticated (RFC 4301 §6.1.1), so:
 *  - it has passed the SPD as any inbound packet: an operator who accepts no
 *    ICMP from the unprotected side discards it there, and nothing is learned;
 *  - it must quote the SA exactly: SPI, protocol, both outer addresses and the
 *    encapsulation ports;
 *  - it can only lower the MTU until the value expires, and never below the
 *    minimum an IP path carries (the kernel's default min_pmtu for IPv4,
 *    1280 for IPv6): a forged message costs efficiency, not connectivity.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jiffies.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "main.h"
#include "pmtu.h"
#include "sad.h"
#include "spd.h"

#define NFSEC_PMTU_EXPIRES	(600 * HZ)
#define NFSEC_PMTU_MIN4		552	/* net.ipv4.route.min_pmtu's default */
#define NFSEC_PMTU_MIN6		IPV6_MIN_MTU

/* What an ICMP error says about one of our ESP/AH packets. */
struct nfsec_pmtu_quote {
	union nfsec_addr saddr, daddr;	/* of the quoted (outer) packet */
	u16 family;
	u8 proto;			/* IPPROTO_ESP or IPPROTO_AH */
	__be16 sport, dport;		/* ESP in UDP; 0 otherwise */
	__be32 spi;
	u32 mtu;
};

/* The SPI (and UDP ports) of the quoted packet's payload at @off. */
static int nfsec_pmtu_parse_spi(const struct sk_buff *skb, unsigned int off,
				u8 proto, struct nfsec_pmtu_quote *q)
{
	__be32 _w[3];
	const __be32 *w;

	switch (proto) {
	case IPPROTO_ESP:	/* SPI, sequence number */
		w = skb_header_pointer(skb, off, sizeof(__be32), _w);
		if (!w)
			return -EINVAL;
		q->spi = w[0];
		break;
	case IPPROTO_AH:	/* next header, length, reserved; SPI */
		w = skb_header_pointer(skb, off, 2 * sizeof(__be32), _w);
		if (!w)
			return -EINVAL;
		q->spi = w[1];
		break;
	case IPPROTO_UDP: {	/* ports, length, checksum; SPI */
		const struct udphdr *uh;

		w = skb_header_pointer(skb, off, 3 * sizeof(__be32), _w);
		if (!w)
			return -EINVAL;
		uh = (const struct udphdr *)w;
		q->sport = uh->source;
		q->dport = uh->dest;
		q->spi = w[2];	/* 0: the non-ESP marker of IKE */
		proto = IPPROTO_ESP;
		break;
	}
	default:
		return -ENOENT;
	}
	q->proto = proto;
	return q->spi ? 0 : -ENOENT;
}

static int nfsec_pmtu_parse4(const struct sk_buff *skb, unsigned int thoff,
			     struct nfsec_pmtu_quote *q)
{
	const struct icmphdr *ih;
	const struct iphdr *iph;
	struct icmphdr _ih;
	struct iphdr _iph;

	ih = skb_header_pointer(skb, thoff, sizeof(_ih), &_ih);
	if (!ih || ih->type != ICMP_DEST_UNREACH ||
	    ih->code != ICMP_FRAG_NEEDED)
		return -ENOENT;
	/* 0: a router older than RFC 1191, which says nothing usable. */
	q->mtu = ntohs(ih->un.frag.mtu);
	thoff += sizeof(_ih);
	iph = skb_header_pointer(skb, thoff, sizeof(_iph), &_iph);
	if (!q->mtu || !iph || iph->version != 4 || iph->ihl < 5 ||
	    (iph->frag_off & htons(IP_OFFSET)))
		return -EINVAL;
	q->family = AF_INET;
	q->saddr.a4 = iph->saddr;
	q->daddr.a4 = iph->daddr;
	return nfsec_pmtu_parse_spi(skb, thoff + iph->ihl * 4, iph->protocol,
				    q);
}

/*
 * nfsec sends its ESP/AH packets without extension headers: the quoted
 * packet's next header is the one to read.
 */
static int nfsec_pmtu_parse6(const struct sk_buff *skb, unsigned int thoff,
			     struct nfsec_pmtu_quote *q)
{
	const struct ipv6hdr *ip6h;
	const struct icmp6hdr *ih;
	struct ipv6hdr _ip6h;
	struct icmp6hdr _ih;

	ih = skb_header_pointer(skb, thoff, sizeof(_ih), &_ih);
	if (!ih || ih->icmp6_type != ICMPV6_PKT_TOOBIG)
		return -ENOENT;
	q->mtu = ntohl(ih->icmp6_mtu);
	thoff += sizeof(_ih);
	ip6h = skb_header_pointer(skb, thoff, sizeof(_ip6h), &_ip6h);
	if (!ip6h || ip6h->version != 6)
		return -EINVAL;
	q->family = AF_INET6;
	q->saddr.a6 = ip6h->saddr;
	q->daddr.a6 = ip6h->daddr;
	return nfsec_pmtu_parse_spi(skb, thoff + sizeof(_ip6h),
				    ip6h->nexthdr, q);
}

/* Does @q quote a packet @sa sent, on the path it has now? */
static bool nfsec_pmtu_quotes_sa(struct nfsec_sa *sa,
				 const struct nfsec_pmtu_quote *q)
{
	const struct nfsec_sa_path *path;
	bool same;

	if (sa->dir != NFSEC_DIR_OUT)
		return false;
	rcu_read_lock();
	path = rcu_dereference(sa->path);
	same = path->family == q->family &&
	       path->encap_sport == q->sport &&
	       path->encap_dport == q->dport &&
	       (q->family == AF_INET ?
		path->saddr.a4 == q->saddr.a4 :
		ipv6_addr_equal(&path->saddr.a6, &q->saddr.a6));
	rcu_read_unlock();
	return same;
}

u32 nfsec_sa_pmtu(const struct nfsec_sa *sa)
{
	u32 mtu = READ_ONCE(sa->pmtu);

	if (mtu && time_after(jiffies, READ_ONCE(sa->pmtu_expires)))
		return 0;
	return mtu;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sa_pmtu);

/*
 * Lower what @sa knows of its path to @mtu. Two CPUs may race here and the
 * packet path reads the two fields without a lock: the worst outcome is one
 * packet sized by the other report, as with the kernel's route exceptions.
 */
static void nfsec_sa_pmtu_lower(struct nfsec_sa *sa, u32 mtu)
{
	u32 cur = nfsec_sa_pmtu(sa);

	if (cur && mtu > cur)
		return;
	WRITE_ONCE(sa->pmtu_expires, jiffies + NFSEC_PMTU_EXPIRES);
	WRITE_ONCE(sa->pmtu, mtu);
}

void nfsec_pmtu_icmp(struct nfsec_net *nn, const struct sk_buff *skb,
		     const struct nfsec_tuple *t, unsigned int thoff)
{
	struct nfsec_pmtu_quote q = {};
	struct nfsec_sa *sa;
	u32 min;
	int err;

	err = t->family == AF_INET ? nfsec_pmtu_parse4(skb, thoff, &q) :
				     nfsec_pmtu_parse6(skb, thoff, &q);
	if (err)
		return;
	sa = nfsec_sad_lookup(nn->sad, q.spi, q.family, &q.daddr, q.proto);
	if (!sa)
		return;
	min = q.family == AF_INET ? NFSEC_PMTU_MIN4 : NFSEC_PMTU_MIN6;
	if (nfsec_pmtu_quotes_sa(sa, &q))
		nfsec_sa_pmtu_lower(sa, max(q.mtu, min));
	nfsec_sa_put(sa);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_pmtu_icmp);
