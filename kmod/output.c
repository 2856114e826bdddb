// SPDX-License-Identifier: GPL-2.0
/*
 * Outbound IPsec processing (RFC 4301 §5.1): what happens to a packet that
 * an outbound PROTECT policy matched, from the SA lookup to the ESP/AH packet
 * leaving through ip_local_out()/ip6_local_out().
 *
 * The hooks call nfsec_output() at LOCAL_OUT or FORWARD (priority 51, see
 * nf_hooks.c) and get NF_STOLEN back: the clear-text packet is consumed here.
 * In order:
 *
 *   1. the SA: the newest outbound SA with the policy's reqid whose
 *      selectors cover the packet (nfsec_sad_find_out(), one hash chain);
 *      none means ACQUIRE (acquire.c holds the packet);
 *   2. conntrack: the inner flow's entry is confirmed now, as POST_ROUTING
 *      would have done, so stateful rules on inner flows keep working; the
 *      outer packet is then tracked as a flow of its own;
 *   3. the route to the outer destination (tunnel mode) and the MTU check:
 *      a packet that will not fit once encapsulated is fragmented first
 *      when its sender allows it, else refused with ICMP "fragmentation
 *      needed"/ICMPv6 "packet too big" carrying the inner MTU;
 *   4. GSO super-packets are segmented in software (checksums resolved);
 *      every segment or fragment is protected on its own;
 *   5. the transform (esp.c, ah.c), possibly asynchronous;
 *   6. the outer packet leaves through ip_local_out() with the namespace's
 *      own kernel socket as the sending socket: the LOCAL_OUT hook recognises
 *      it by that pointer and lets it through (design.md, problem 2), while
 *      nftables, conntrack and NAT still see it.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/net.h>
#include <net/addrconf.h>
#include <net/dst.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/netfilter/nf_conntrack_core.h>

#include "main.h"
#include "output.h"
#include "acquire.h"
#include "ah.h"
#include "esp.h"
#include "pmtu.h"
#include "route.h"
#include "sad.h"

/* --- the namespace's sending sockets -------------------------------------- */

static int nfsec_output_sock(struct net *net, u16 family, struct sock **skp)
{
	struct socket *sock;
	int err;

	/* Never bound: it only names nfsec as the sender of its packets. */
	err = sock_create_kern(net, family, SOCK_DGRAM, IPPROTO_UDP, &sock);
	if (err)
		return err;
	/*
	 * Outer packets are sized against the device MTU, not against a
	 * PMTU exception on their route: when the peer is also the inner
	 * destination (transport mode, host-to-host tunnels), that exception
	 * is the one nfsec itself made for the inner packets.
	 */
	if (family == AF_INET) {
		ip_sock_set_mtu_discover(sock->sk, IP_PMTUDISC_PROBE);
	} else {
		lock_sock(sock->sk);
		inet6_sk(sock->sk)->pmtudisc = IPV6_PMTUDISC_PROBE;
		release_sock(sock->sk);
	}
	*skp = sock->sk;
	return 0;
}

int nfsec_output_init(struct nfsec_net *nn)
{
	int err;

	err = nfsec_output_sock(nn->net, AF_INET, &nn->xmit_sk4);
	if (err)
		return err;
	err = nfsec_output_sock(nn->net, AF_INET6, &nn->xmit_sk6);
	if (err) {
		sock_release(nn->xmit_sk4->sk_socket);
		nn->xmit_sk4 = NULL;
	}
	return err;
}

/* After the SAD is gone: no transform completion can send any more. */
void nfsec_output_exit(struct nfsec_net *nn)
{
	if (nn->xmit_sk6)
		sock_release(nn->xmit_sk6->sk_socket);
	if (nn->xmit_sk4)
		sock_release(nn->xmit_sk4->sk_socket);
	nn->xmit_sk4 = nn->xmit_sk6 = NULL;
}

/* --- sending the outer packet ---------------------------------------------- */

/*
 * The outer packet belongs to nfsec's socket from now on: the output path
 * reads MTU discovery settings from skb->sk (IPv6 only from there), and the
 * socket must outlive packets still queued when the namespace goes. As
 * write memory (sock_wfree), because IP fragmentation hands the head's
 * ownership to each fragment on that assumption.
 */
static void nfsec_output_own_skb(struct sk_buff *skb, struct sock *sk)
{
	skb_orphan(skb);
	skb_set_owner_w(skb, sk);
}

static void nfsec_output_send(struct nfsec_net *nn, struct sk_buff *skb)
{
	/* Whatever the inner packet carried is meaningless for the outer. */
	nf_reset_ct(skb);
	if (ip_hdr(skb)->version == 4) {
		memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
		skb->protocol = htons(ETH_P_IP);
		nfsec_output_own_skb(skb, nn->xmit_sk4);
		ip_local_out(nn->net, nn->xmit_sk4, skb);
	} else {
		memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
		skb->protocol = htons(ETH_P_IPV6);
		nfsec_output_own_skb(skb, nn->xmit_sk6);
		ip6_local_out(nn->net, nn->xmit_sk6, skb);
	}
}

/* Where a transform continues, synchronously or from its completion. */
static void nfsec_output_done(struct sk_buff *skb, struct nfsec_sa *sa,
			      int err, void *ctx)
{
	struct nfsec_net *nn = ctx;

	if (err) {
		/* The reason is counted on the SA. */
		nfsec_stats_drop(nn->stats, NFSEC_DROP_XFORM);
		kfree_skb(skb);
	} else {
		nfsec_output_send(nn, skb);
	}
	nfsec_sa_put(sa);
}

/*
 * Encrypt one packet (not GSO) whose dst is already the outer route. Takes
 * over a reference on @sa: the packet's own, which an asynchronous request
 * keeps until its completion.
 */
static void nfsec_output_one(struct nfsec_net *nn, struct nfsec_sa *sa,
			     struct sk_buff *skb)
{
	int err;

	if (sa->proto == IPPROTO_ESP)
		err = nfsec_esp_output(sa, skb, nfsec_output_done, nn);
	else
		err = nfsec_ah_output(sa, skb, nfsec_output_done, nn);
	if (err != -EINPROGRESS)
		nfsec_output_done(skb, sa, err, nn);
}

/* --- route and MTU ------------------------------------------------------ */

/*
 * The route of the outer packet: in tunnel mode to the SA's peer (route.c
 * caches it), in transport mode the packet's own (its destination is the
 * peer). With a reference, or an ERR_PTR.
 */
static struct dst_entry *nfsec_output_route(struct nfsec_net *nn,
					    struct nfsec_sa *sa,
					    struct sk_buff *skb)
{
	struct nfsec_sa_path *path;
	struct dst_entry *dst;

	if (sa->mode == NFSEC_MODE_TRANSPORT)
		return dst_clone(skb_dst(skb));

	rcu_read_lock();
	path = rcu_dereference(sa->path);
	dst = nfsec_route_outer(nn->net, path,
				path->encap_dport ? IPPROTO_UDP : sa->proto,
				skb->mark);
	rcu_read_unlock();
	return dst;
}

/* Is the SA's peer the packet's own destination (one route for both)? */
static bool nfsec_output_same_peer(struct nfsec_sa *sa, struct sk_buff *skb)
{
	const struct nfsec_sa_path *path;
	bool same;

	if (sa->mode == NFSEC_MODE_TRANSPORT)
		return true;
	rcu_read_lock();
	path = rcu_dereference(sa->path);
	if (path->family == AF_INET)
		same = skb->protocol == htons(ETH_P_IP) &&
		       ip_hdr(skb)->daddr == path->daddr.a4;
	else
		same = skb->protocol == htons(ETH_P_IPV6) &&
		       ipv6_addr_equal(&ipv6_hdr(skb)->daddr,
				       &path->daddr.a6);
	rcu_read_unlock();
	return same;
}

/*
 * The MTU the outer packet must fit: the SA's if configured. Otherwise the
 * outer route's, which carries what PMTU discovery learned about the path to
 * a tunnel peer; but when the peer is the packet's own destination, a PMTU
 * exception on that route is the inner MTU nfsec itself announced (problem
 * 6 in design.md), so the device's MTU counts. And never more than what
 * ICMP reported about the SA's own packets (pmtu.c).
 */
static unsigned int nfsec_output_path_mtu(struct nfsec_sa *sa,
					  struct dst_entry *dst,
					  struct sk_buff *skb)
{
	unsigned int mtu = READ_ONCE(sa->mtu);
	unsigned int pmtu;

	if (mtu)
		return mtu;
	if (nfsec_output_same_peer(sa, skb))
		mtu = READ_ONCE(dst->dev->mtu);
	else
		mtu = dst_mtu(dst);
	pmtu = nfsec_sa_pmtu(sa);
	return pmtu ? min(mtu, pmtu) : mtu;
}

/*
 * The largest packet of this family that still fits @mtu once @sa has
 * encapsulated it. ESP: the payload P (the whole packet in tunnel mode,
 * what follows the IP header in transport mode) is padded so that P + 2
 * is a multiple of the block size.
 */
static unsigned int nfsec_output_inner_mtu(struct nfsec_sa *sa,
					   unsigned int mtu, bool v4)
{
	unsigned int iphlen = v4 ? sizeof(struct iphdr) :
				   sizeof(struct ipv6hdr);
	unsigned int fixed, room;

	if (sa->proto == IPPROTO_AH) {
		const struct nfsec_sa_path *path;
		bool v6 = !v4;

		fixed = 0;
		if (sa->mode == NFSEC_MODE_TUNNEL) {
			rcu_read_lock();
			path = rcu_dereference(sa->path);
			v6 = path->family == AF_INET6;
			fixed = v6 ? sizeof(struct ipv6hdr) :
				     sizeof(struct iphdr);
			rcu_read_unlock();
		}
		fixed += nfsec_ah_hlen(sa, v6);
		return mtu > fixed ? mtu - fixed : 0;
	}

	/* Header, IV, ICV, UDP and outer IP: the overhead without padding. */
	fixed = nfsec_esp_overhead(sa, 0) - ALIGN(2, sa->block_len);
	if (sa->mode == NFSEC_MODE_TRANSPORT)
		fixed += iphlen;
	if (mtu < fixed + sa->block_len)
		return 0;
	room = round_down(mtu - fixed, sa->block_len) - 2;
	return sa->mode == NFSEC_MODE_TRANSPORT ? room + iphlen : room;
}

static bool nfsec_output_fits(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb_is_gso(skb))
		return skb_gso_validate_network_len(skb, mtu);
	return skb->len <= mtu;
}

/*
 * Fragments of the packet being split are collected here: ip_do_fragment()
 * and ip6_fragment() hand each to an output function without a context
 * argument, and run it synchronously on this CPU (BHs are off).
 */
static DEFINE_PER_CPU(struct sk_buff_head *, nfsec_frag_queue);

static int nfsec_output_collect(struct net *net, struct sock *sk,
				struct sk_buff *skb)
{
	__skb_queue_tail(this_cpu_read(nfsec_frag_queue), skb);
	return 0;
}

/*
 * May the packet be fragmented before it is protected? IPv4 without DF (a
 * router may fragment it, and XFRM does the same); IPv6 only when its local
 * sender allows it (skb->ignore_df: not IPV6_PMTUDISC_DO): the fragments
 * its own stack would have made after LOCAL_OUT.
 */
static bool nfsec_output_may_fragment(const struct sk_buff *skb)
{
	if (skb_is_gso(skb))
		return false;
	if (skb->protocol == htons(ETH_P_IP))
		return !(ip_hdr(skb)->frag_off & htons(IP_DF)) ||
		       skb->ignore_df;
	return skb->ignore_df;
}

/* Split @skb into fragments of at most @mtu bytes on @q; consumes @skb. */
static int nfsec_output_fragment(struct nfsec_net *nn, struct sk_buff *skb,
				 unsigned int mtu, struct sk_buff_head *q)
{
	struct sk_buff_head *prev = this_cpu_read(nfsec_frag_queue);
	int err;

	this_cpu_write(nfsec_frag_queue, q);
	if (skb->protocol == htons(ETH_P_IP)) {
		IPCB(skb)->frag_max_size = mtu;
		err = ip_do_fragment(nn->net, skb->sk, skb,
				     nfsec_output_collect);
	} else {
		/* ip6_fragment() refuses a size above the route's MTU. */
		mtu = min(mtu, dst_mtu(skb_dst(skb)));
		IP6CB(skb)->frag_max_size = max(mtu, IPV6_MIN_MTU);
		/* ip6_fragment() itself is not exported; the stub is. */
		err = ipv6_stub->ipv6_fragment(nn->net, skb->sk, skb,
					       nfsec_output_collect);
	}
	this_cpu_write(nfsec_frag_queue, prev);
	return err;
}

/*
 * A packet that will not fit the path once encapsulated (design.md,
 * problem 6) and may not be fragmented: ICMP "fragmentation needed" or
 * ICMPv6 "packet too big" with the inner MTU, to the sender (this host's
 * own socket included: its route learns the MTU as from any router).
 */
static void nfsec_output_too_big(struct sk_buff *skb, unsigned int inner_mtu)
{
	/* Locally generated packets have no device yet; ICMP needs one. */
	if (!skb->dev)
		skb->dev = skb_dst(skb)->dev;
	if (skb->protocol == htons(ETH_P_IP))
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			  htonl(inner_mtu));
	else
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0,
			    max(inner_mtu, IPV6_MIN_MTU));
}

/*
 * A local TCP socket whose GSO packet matched a PROTECT policy sends single
 * segments from now on, as it would over XFRM (sk_setup_caps() drops GSO
 * on a route with a transform) and as TCP-MD5 sockets do. GSO saves TCP
 * little when nfsec segments the packet anyway, and sends the receiver
 * 40-odd ESP packets back to back to decrypt in one softirq run, which
 * pushed streams towards sending from softirq on every CPU and reordering.
 * With GRO limited as in device.c, the measurements have not yet shown
 * that this adds anything (Documentation/performance.md, "The fix").
 *
 * A TCP GSO packet reaches LOCAL_OUT only from its socket's own transmit
 * path, with the socket held, as tcp_transmit_skb()'s own sk_gso_disable()
 * for MD5. The one exception is a packet held for an ACQUIRE and sent again
 * from netlink: it passed here first when it was held, so the bit is set
 * and not written again. Forwarded GSO packets (GRO on a router) have no
 * socket and are only segmented.
 */
static void nfsec_output_no_gso(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;

	if (skb_is_gso(skb) && sk && sk_fullsock(sk) && sk_is_tcp(sk) &&
	    !sk->sk_gso_disabled)
		sk_gso_disable(sk);
}

/*
 * The packets to protect, on @q: @skb itself, its GSO segments (software
 * GSO: no offload on the way to a transform) or, in tunnel mode, its
 * fragments.
 * Consumes @skb; a negative errno when nothing was queued.
 */
static int nfsec_output_split(struct nfsec_net *nn, struct nfsec_sa *sa,
			      struct sk_buff *skb, unsigned int inner_mtu,
			      struct sk_buff_head *q)
{
	struct sk_buff *segs, *seg, *next;

	if (!nfsec_output_fits(skb, inner_mtu)) {
		if (!nfsec_output_may_fragment(skb)) {
			nfsec_output_too_big(skb, inner_mtu);
			kfree_skb(skb);
			return -EMSGSIZE;
		}
		/*
		 * Transport mode protects whole datagrams only (RFC 4303
		 * §3.3.4: fragments keep the IP header that is not
		 * protected): the ESP/AH packet is fragmented instead.
		 */
		if (sa->mode == NFSEC_MODE_TRANSPORT) {
			skb->ignore_df = 1;
			__skb_queue_tail(q, skb);
			return 0;
		}
		return nfsec_output_fragment(nn, skb, inner_mtu, q);
	}
	if (!skb_is_gso(skb)) {
		__skb_queue_tail(q, skb);
		return 0;
	}
	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		__skb_queue_tail(q, seg);
	}
	return 0;
}

/* --- the entry point -------------------------------------------------- */

/* Consumes @skb and the caller's reference on @sa. */
static void nfsec_output_sa(struct nfsec_net *nn, struct nfsec_sa *sa,
			    struct sk_buff *skb)
{
	struct nfsec_sa *sa_ref = sa;	/* the lookup's, until handed on */
	unsigned int mtu, inner_mtu;
	struct dst_entry *dst;
	struct sk_buff_head q;
	int err;

#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	if (nf_conntrack_confirm(skb) != NF_ACCEPT) {
		/* Conntrack dropped it (a clash it could not resolve). */
		nfsec_stats_drop(nn->stats, NFSEC_DROP_NOMEM);
		kfree_skb(skb);
		goto out;
	}
#endif
	nf_reset_ct(skb);

	dst = nfsec_output_route(nn, sa, skb);
	if (IS_ERR_OR_NULL(dst)) {
		nfsec_stats_drop(nn->stats, NFSEC_DROP_NO_ROUTE);
		kfree_skb(skb);
		goto out;
	}
	mtu = nfsec_output_path_mtu(sa, dst, skb);
	inner_mtu = nfsec_output_inner_mtu(sa, mtu,
					   skb->protocol == htons(ETH_P_IP));
	__skb_queue_head_init(&q);
	err = nfsec_output_split(nn, sa, skb, inner_mtu, &q);
	if (err)
		nfsec_stats_drop(nn->stats, err == -EMSGSIZE ?
				 NFSEC_DROP_TOO_BIG : NFSEC_DROP_NOMEM);
	while ((skb = __skb_dequeue(&q))) {
		skb_dst_drop(skb);
		skb_dst_set(skb, dst_clone(dst));
		/*
		 * The last packet (the only one, unless GSO or fragments)
		 * takes the lookup's reference: no second atomic on the
		 * shared refcount per packet.
		 */
		if (!skb_queue_empty(&q))
			refcount_inc(&sa->ref);
		else
			sa_ref = NULL;
		nfsec_output_one(nn, sa, skb);
	}
	dst_release(dst);
out:
	nfsec_sa_put(sa_ref);
}

/*
 * An outbound packet matched PROTECT policy @pol (under RCU, BHs off).
 * Returns NF_STOLEN (sent, being sent, or held for an ACQUIRE) or NF_DROP.
 */
unsigned int nfsec_output(struct nfsec_net *nn, const struct nfsec_spd *spd,
			  const struct nfsec_policy *pol,
			  const struct nfsec_tuple *t, struct sk_buff *skb)
{
	struct nfsec_sa_sel pkt;
	struct nfsec_sa *sa;

	nfsec_output_no_gso(skb);
	nfsec_tuple_to_sa_sel(t, &pkt);
	sa = nfsec_sad_find_out(nn->sad, pol->ipsec.reqid, &pkt);
	if (sa && (sa->proto != pol->ipsec.proto ||
		   sa->mode != pol->ipsec.mode)) {
		/* Not what the policy asks for: as if there were none. */
		nfsec_sa_put(sa);
		sa = NULL;
	}
	if (!sa)
		return nfsec_acquire(nn, spd, pol, t, skb);
	nfsec_output_sa(nn, sa, skb);
	return NF_STOLEN;
}
