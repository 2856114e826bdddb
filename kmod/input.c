// SPDX-License-Identifier: GPL-2.0
/*
 * Inbound IPsec processing (RFC 4301 §5.2): an ESP or AH packet addressed to
 * this host, from the SAD lookup to the inner packet re-entering the stack on
 * the namespace's nfsec device.
 *
 *   1. the SA, by SPI, destination and protocol (sad.c, RCU, no lock). A
 *      packet for no SA of nfsec's goes on to the SPD like any packet: nfsec
 *      with an empty SAD is transparent (the kernel's own XFRM may be the
 *      receiver);
 *   2. the transform (esp.c, ah.c): anti-replay check, ICV, replay window
 *      update, trailer, decapsulation; possibly asynchronous;
 *   3. the inner packet against the SA's selectors (RFC 4301 §5.2 step 4):
 *      a peer cannot use its SA to inject traffic it did not negotiate;
 *   4. re-injection on nfsec0 (device.c). The second pass through the hooks
 *      checks the inbound SPD: a PROTECT entry is satisfied by arriving on
 *      nfsec0, a DISCARD still discards.
 *
 * The same path serves ESP in UDP (RFC 3948) once encap.c has turned it back
 * into ESP in IP; an authenticated packet from a new outer source there is
 * reported to the IKE daemon as a NAT mapping change (NFSEC_CMD_MAPPING).
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "main.h"
#include "input.h"
#include "ah.h"
#include "device.h"
#include "encap.h"
#include "esp.h"
#include "netlink_sa.h"
#include "nf_hooks.h"
#include "sad.h"

/*
 * Where an ESP-in-UDP packet came from, kept in skb->cb from LOCAL_IN (the
 * packet is nfsec's from there) until its SA has authenticated it. The
 * transforms keep nothing in skb->cb.
 */
struct nfsec_input_cb {
	union nfsec_addr saddr;
	__be16 sport;
	bool encap;
};

static struct nfsec_input_cb *nfsec_input_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct nfsec_input_cb) > sizeof(skb->cb));
	return (struct nfsec_input_cb *)skb->cb;
}

/*
 * An authenticated ESP-in-UDP packet from another source address or port
 * than the SA's path: the peer's NAT mapping changed. Tell the IKE daemon
 * (at most once a second per SA), which moves the SAs if it agrees.
 */
static void nfsec_input_mapping(struct nfsec_net *nn, struct nfsec_sa *sa,
				struct sk_buff *skb)
{
	const struct nfsec_input_cb *cb = nfsec_input_cb(skb);
	const struct nfsec_sa_path *path;
	unsigned long last, now = jiffies;
	bool moved;

	if (!cb->encap)
		return;
	rcu_read_lock();
	path = rcu_dereference(sa->path);
	moved = path->encap_dport && (cb->sport != path->encap_sport ||
				      memcmp(&cb->saddr, &path->saddr,
					     nfsec_alen(path->family)));
	rcu_read_unlock();
	if (!moved)
		return;
	last = READ_ONCE(sa->mapping_at);
	if (last && time_before(now, last + HZ))
		return;
	if (cmpxchg(&sa->mapping_at, last, now ?: 1) != last)
		return;
	nfsec_genl_sa_mapping(nn, sa, &cb->saddr, cb->sport);
}

/* Does the decapsulated packet lie within what the SA was negotiated for? */
static bool nfsec_input_selectors_ok(const struct nfsec_sa *sa,
				     struct sk_buff *skb)
{
	struct nfsec_sa_sel pkt;
	struct nfsec_tuple t;
	unsigned int thoff;
	u8 pf;

	if (sa->sel.family == AF_UNSPEC && !sa->sel.proto &&
	    !sa->sel.sport_hi && !sa->sel.dport_hi)
		return true;
	pf = skb->protocol == htons(ETH_P_IP) ? NFPROTO_IPV4 : NFPROTO_IPV6;
	memset(&t, 0, sizeof(t));
	if (nfsec_parse(skb, pf, &t, &thoff))
		return false;
	nfsec_tuple_to_sa_sel(&t, &pkt);
	return nfsec_sel_covers(&sa->sel, &pkt);
}

/* Where a transform continues, synchronously or from its completion. */
static void nfsec_input_done(struct sk_buff *skb, struct nfsec_sa *sa,
			     int err, void *ctx)
{
	struct nfsec_net *nn = ctx;

	if (err) {
		/* A TFC dummy packet (RFC 4303 §2.6) is no error. */
		if (err != -ENODATA)
			nfsec_stats_drop(nn->stats, NFSEC_DROP_XFORM);
		kfree_skb(skb);
		goto out;
	}
	if (!nfsec_input_selectors_ok(sa, skb)) {
		nfsec_sa_count_drop(sa, NFSEC_SA_DROP_SELECTOR);
		nfsec_stats_drop(nn->stats, NFSEC_DROP_XFORM);
		kfree_skb(skb);
		goto out;
	}
	nfsec_input_mapping(nn, sa, skb);
	if (!nfsec_dev_rx(nn, skb))
		nfsec_stats_drop(nn->stats, NFSEC_DROP_BACKLOG);
out:
	nfsec_sa_put(sa);
}

/* Consumes @skb (data at its IP header) and the caller's reference. */
static void nfsec_input_sa(struct nfsec_net *nn, struct nfsec_sa *sa,
			   struct sk_buff *skb, unsigned int thoff)
{
	int err;

	skb_set_transport_header(skb, thoff);
	if (sa->proto == IPPROTO_ESP)
		err = nfsec_esp_input(sa, skb, nfsec_input_done, nn);
	else
		err = nfsec_ah_input(sa, skb, nfsec_input_done, nn);
	if (err != -EINPROGRESS)
		nfsec_input_done(skb, sa, err, nn);
}

/* The inbound SA this ESP/AH header at @thoff names, with a reference. */
static struct nfsec_sa *nfsec_input_lookup(struct nfsec_net *nn,
					   struct sk_buff *skb,
					   const struct nfsec_tuple *t,
					   unsigned int thoff)
{
	/* ESP: the SPI comes first; AH: after next header, length, reserved. */
	unsigned int off = thoff + (t->proto == IPPROTO_AH ? 4 : 0);
	union nfsec_addr daddr;
	__be32 spi;

	if (skb_copy_bits(skb, off, &spi, sizeof(spi)))
		return NULL;
	if (t->family == AF_INET)
		daddr.a4 = t->dst.ip;
	else
		daddr.a6 = t->dst.in6;
	return nfsec_sad_lookup_in(nn->sad, spi, t->family, &daddr, t->proto);
}

/*
 * LOCAL_IN, for an ESP or AH packet (under RCU, BHs off; skb->data at the IP
 * header). NF_STOLEN if nfsec has its SA, else NF_ACCEPT: on to the SPD.
 */
unsigned int nfsec_input(struct nfsec_net *nn, struct sk_buff *skb,
			 const struct nfsec_tuple *t, unsigned int thoff)
{
	struct nfsec_sa *sa;

	sa = nfsec_input_lookup(nn, skb, t, thoff);
	if (!sa)
		return NF_ACCEPT;
	nfsec_input_cb(skb)->encap = false;
	nfsec_input_sa(nn, sa, skb, thoff);
	return NF_STOLEN;
}

/*
 * LOCAL_IN, a UDP datagram to one of nfsec's ESP-in-UDP ports (RFC 3948;
 * under RCU, BHs off): ESP for one of nfsec's SAs goes to it here, before
 * the SPD, which would take it for clear-text UDP; IKE (the non-ESP marker)
 * goes on to the SPD and the socket; a NAT keepalive is eaten. ESP with an
 * SPI nfsec does not know goes on to the socket too, as ESP in IP goes on to
 * the SPD: on a port nfsec adopted (encap.c) its owner may be XFRM's, and
 * nfsec's own socket counts and drops it. NF_ACCEPT, NF_STOLEN or NF_DROP.
 */
unsigned int nfsec_input_udp(struct nfsec_net *nn, struct sk_buff *skb,
			     const struct nfsec_tuple *t, unsigned int thoff)
{
	struct nfsec_tuple esp = *t;
	struct nfsec_input_cb *cb;
	struct nfsec_sa *sa;

	skb_set_transport_header(skb, thoff);
	switch (nfsec_encap_classify(skb)) {
	case NFSEC_ENCAP_IKE:
		return NF_ACCEPT;
	case NFSEC_ENCAP_KEEPALIVE:
		consume_skb(skb);
		return NF_STOLEN;
	case NFSEC_ENCAP_ESP:
		break;
	default:
		nfsec_stats_drop(nn->stats, NFSEC_DROP_MALFORMED);
		return NF_DROP;
	}
	/* The ESP header follows the UDP header. */
	esp.proto = IPPROTO_ESP;
	sa = nfsec_input_lookup(nn, skb, &esp, thoff + sizeof(struct udphdr));
	if (!sa)
		return NF_ACCEPT;
	/* Now ESP in IP, the ESP header where the UDP header was. */
	if (nfsec_encap_strip(skb)) {
		nfsec_sa_put(sa);
		nfsec_stats_drop(nn->stats, NFSEC_DROP_MALFORMED);
		return NF_DROP;
	}
	cb = nfsec_input_cb(skb);
	memset(cb, 0, sizeof(*cb));
	cb->encap = true;
	cb->sport = htons(t->sport);
	if (t->family == AF_INET)
		cb->saddr.a4 = t->src.ip;
	else
		cb->saddr.a6 = t->src.in6;
	nfsec_input_sa(nn, sa, skb, thoff);
	return NF_STOLEN;
}

/* ESP that arrived in UDP, now ESP in IP (encap.c); consumes @skb. */
void nfsec_input_encap(struct net *net, struct sk_buff *skb)
{
	struct nfsec_net *nn = nfsec_net(net);
	struct nfsec_tuple t = {};
	struct nfsec_sa *sa;
	unsigned int thoff;
	u8 pf;

	pf = ip_hdr(skb)->version == 4 ? NFPROTO_IPV4 : NFPROTO_IPV6;
	if (nfsec_parse(skb, pf, &t, &thoff) || t.proto != IPPROTO_ESP ||
	    t.opaque) {
		nfsec_stats_drop(nn->stats, NFSEC_DROP_MALFORMED);
		kfree_skb(skb);
		return;
	}
	sa = nfsec_input_lookup(nn, skb, &t, thoff);
	if (!sa) {
		/* No one else takes ESP from nfsec's UDP socket. */
		nfsec_stats_drop(nn->stats, NFSEC_DROP_NO_SA);
		kfree_skb(skb);
		return;
	}
	/* The UDP header is gone: no mapping check on this rare path. */
	nfsec_input_cb(skb)->encap = false;
	nfsec_input_sa(nn, sa, skb, thoff);
}
