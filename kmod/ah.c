// SPDX-License-Identifier: GPL-2.0
/*
 * AH (RFC 4302) with HMAC-SHA-256/384/512 truncated per RFC 4868, transport
 * and tunnel mode, IPv4 and IPv6, computed as Linux XFRM computes it (ah4.c,
 * ah6.c) so that both interoperate:
 *
 *   - IPv4: TOS, flags/fragment offset, TTL and checksum count as zero;
 *     options other than NOP, EOL, Security (130, 133, 134) and Router Alert
 *     count as zero octets; with a source route the destination counts as
 *     the route's final one (RFC 4302 §3.3.3.1.1.1);
 *   - IPv6: traffic class, flow label and hop limit count as zero; in
 *     hop-by-hop and destination options headers the data of options with
 *     the "may change" bit counts as zero (§3.3.3.1.2.1);
 *   - the ICV counts as zero and its padding to 8 octets as it is on the
 *     wire (nfsec sends zeros; XFRM sends whatever the buffer held), and with
 *     ESN the high 32 bits of the sequence number are hashed after the packet
 *     (§2.5.1).
 *
 * The mutable fields are zeroed in place around the hash and restored, so the
 * packet is made linear first (AH is rare; its packets are small enough).
 * The hash is a synchronous shash.
 */
#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <crypto/sha2.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ah.h>
#include <net/dsfield.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "main.h"
#include "ah.h"
#include "fault.h"
#include "sad.h"

#define NFSEC_AH_FIXED	sizeof(struct ip_auth_hdr)	/* 12, ICV excluded */
#define NFSEC_AH_MAXHDR	(60 + 2048)	/* what is saved around the hash */

/*
 * The AH header is padded to 8 octets for IPv4 too, as XFRM does unless an
 * SA has XFRM_STATE_ALIGN4 (RFC 4302 §2.6 allows it). Receivers accept both.
 */
unsigned int nfsec_ah_hlen(const struct nfsec_sa *sa, bool v6)
{
	return ALIGN(NFSEC_AH_FIXED + sa->icv_len, 8);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_ah_hlen);

/* IPv4 options: zero the mutable ones; a source route gives the dest. */
static int nfsec_ah_clear_opts4(struct iphdr *iph)
{
	unsigned int l = iph->ihl * 4 - sizeof(*iph), optlen;
	u8 *opt = (u8 *)(iph + 1);

	while (l > 0) {
		if (*opt == IPOPT_END)
			return 0;
		if (*opt == IPOPT_NOOP) {
			opt++;
			l--;
			continue;
		}
		if (l < 2)
			return -EPROTO;
		optlen = opt[1];
		if (optlen < 2 || optlen > l)
			return -EPROTO;
		switch (*opt) {
		case IPOPT_SEC:
		case 0x85:		/* extended security */
		case IPOPT_CIPSO:	/* 0x86, commercial security */
		case IPOPT_RA:
			break;
		case IPOPT_LSRR:
		case IPOPT_SSRR:
			if (optlen < 7)
				return -EPROTO;
			memcpy(&iph->daddr, opt + optlen - 4, 4);
			fallthrough;
		default:
			memset(opt, 0, optlen);
		}
		l -= optlen;
		opt += optlen;
	}
	return 0;
}

/* IPv6 options header: zero the data of the options that may change. */
static int nfsec_ah_clear_opts6(u8 *opt, unsigned int len)
{
	unsigned int off = 2, optlen;

	while (off < len) {
		if (opt[off] == IPV6_TLV_PAD1) {
			off++;
			continue;
		}
		if (off + 2 > len)
			return -EPROTO;
		optlen = opt[off + 1] + 2;
		if (off + optlen > len)
			return -EPROTO;
		if (opt[off] & 0x20)
			memset(opt + off + 2, 0, opt[off + 1]);
		off += optlen;
	}
	return 0;
}

/* The IPv6 header and extension headers before AH at @ah_off. */
static int nfsec_ah_clear6(struct ipv6hdr *ip6h, unsigned int ah_off)
{
	unsigned int off = sizeof(*ip6h), len;
	u8 nexthdr = ip6h->nexthdr, *p = (u8 *)ip6h;
	int err;

	ip6h->priority = 0;
	memset(ip6h->flow_lbl, 0, sizeof(ip6h->flow_lbl));
	ip6h->hop_limit = 0;
	while (off < ah_off) {
		if (off + 2 > ah_off)
			return -EPROTO;
		len = ipv6_optlen((struct ipv6_opt_hdr *)(p + off));
		if (off + len > ah_off)
			return -EPROTO;
		switch (nexthdr) {
		case NEXTHDR_HOP:
		case NEXTHDR_DEST:
			err = nfsec_ah_clear_opts6(p + off, len);
			if (err)
				return err;
			break;
		case NEXTHDR_ROUTING:
			/* Only a routing header that reached its end. */
			if (((struct ipv6_rt_hdr *)(p + off))->segments_left)
				return -EPROTO;
			break;
		default:
			return -EPROTO;
		}
		nexthdr = p[off];
		off += len;
	}
	return 0;
}

/*
 * The ICV of the linear packet @skb whose AH header is at @ah_off, its ICV
 * field already zero: zero the mutable fields, hash, restore them.
 */
static int nfsec_ah_icv(struct nfsec_sa *sa, struct sk_buff *skb,
			unsigned int ah_off, u64 seq, u8 *icv)
{
	SHASH_DESC_ON_STACK(desc, sa->shash);
	bool v4 = ip_hdr(skb)->version == 4;
	__be32 seqhi;
	u8 *saved;
	int err;

	if (ah_off > NFSEC_AH_MAXHDR)
		return -EPROTO;
	saved = nfsec_inject_alloc_failure() ? NULL :
		kmemdup(skb->data, ah_off, GFP_ATOMIC);
	if (!saved)
		return -ENOMEM;
	if (v4) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tos = 0;
		iph->frag_off = 0;
		iph->ttl = 0;
		iph->check = 0;
		err = nfsec_ah_clear_opts4(iph);
	} else {
		err = nfsec_ah_clear6(ipv6_hdr(skb), ah_off);
	}
	if (err)
		goto restore;
	desc->tfm = sa->shash;
	err = crypto_shash_init(desc);
	if (!err)
		err = crypto_shash_update(desc, skb->data, skb->len);
	if (!err && (sa->flags & NFSEC_SA_F_ESN)) {
		seqhi = htonl(upper_32_bits(seq));
		err = crypto_shash_update(desc, (u8 *)&seqhi, sizeof(seqhi));
	}
	if (!err)
		err = crypto_shash_final(desc, icv);
	shash_desc_zero(desc);
restore:
	memcpy(skb->data, saved, ah_off);
	kfree(saved);
	return err;
}

int nfsec_ah_output(struct nfsec_sa *sa, struct sk_buff *skb,
		    nfsec_xform_done_t done, void *ctx)
{
	unsigned int outer = 0, ahlen, ah_off;
	const struct nfsec_sa_path *path;
	u8 icv[SHA512_DIGEST_SIZE];
	struct nfsec_xform_out o;
	struct ip_auth_hdr *ah;
	int err;

	err = nfsec_xform_out_begin(sa, skb, &o);
	if (err)
		return err;
	if (skb_linearize_cow(skb))
		goto nomem;

	rcu_read_lock();
	path = rcu_dereference(sa->path);
	if (sa->mode == NFSEC_MODE_TUNNEL) {
		outer = path->family == AF_INET ? sizeof(struct iphdr) :
						  sizeof(struct ipv6hdr);
		ahlen = nfsec_ah_hlen(sa, path->family == AF_INET6);
	} else {
		ahlen = nfsec_ah_hlen(sa, !o.v4);
	}
	if (skb_cow_head(skb, outer + ahlen + LL_MAX_HEADER)) {
		rcu_read_unlock();
		goto nomem;
	}
	skb_push(skb, ahlen);
	if (sa->mode == NFSEC_MODE_TRANSPORT) {
		memmove(skb->data, skb->data + ahlen, o.iphlen);
		skb_reset_network_header(skb);
		skb->data[o.nh_off] = IPPROTO_AH;
		ah_off = o.iphlen;
	} else {
		nfsec_xform_push_outer(sa, path, skb, IPPROTO_AH);
		ah_off = outer;
	}
	rcu_read_unlock();
	nfsec_xform_set_len(skb);
	skb_set_transport_header(skb, ah_off);
	ah = ip_auth_hdr(skb);
	ah->nexthdr = o.proto;
	ah->hdrlen = ahlen / 4 - 2;
	ah->reserved = 0;
	ah->spi = sa->spi;
	ah->seq_no = htonl(lower_32_bits(o.seq));
	memset(ah->auth_data, 0, ahlen - NFSEC_AH_FIXED);

	err = nfsec_ah_icv(sa, skb, ah_off, o.seq, icv);
	if (err == -ENOMEM)
		goto nomem;
	if (err)
		goto malformed;
	memcpy(ah->auth_data, icv, sa->icv_len);
	memzero_explicit(icv, sizeof(icv));
	return 0;

nomem:
	return nfsec_sa_drop(sa, NFSEC_SA_DROP_NOMEM, -ENOMEM);
malformed:
	return nfsec_sa_drop(sa, NFSEC_SA_DROP_MALFORMED, -EPROTO);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_ah_output);

int nfsec_ah_input(struct nfsec_sa *sa, struct sk_buff *skb,
		   nfsec_xform_done_t done, void *ctx)
{
	u8 icv[SHA512_DIGEST_SIZE], sent[SHA512_DIGEST_SIZE];
	unsigned int off = skb_transport_offset(skb), ahlen;
	struct ip_auth_hdr *ah;
	u8 nexthdr;
	u64 seq;
	int err;

	if (!pskb_may_pull(skb, off + NFSEC_AH_FIXED))
		goto malformed;
	ah = ip_auth_hdr(skb);
	ahlen = (ah->hdrlen + 2) * 4;
	if ((ahlen != nfsec_ah_hlen(sa, true) &&
	     (ip_hdr(skb)->version != 4 ||
	      ahlen != ALIGN(NFSEC_AH_FIXED + sa->icv_len, 4))) ||
	    ah->spi != sa->spi || skb->len < off + ahlen)
		goto malformed;
	seq = ntohl(ah->seq_no);
	if (sa->replay &&
	    nfsec_replay_check(sa->replay, ntohl(ah->seq_no), &seq) !=
	    NFSEC_REPLAY_OK)
		return nfsec_sa_drop(sa, NFSEC_SA_DROP_REPLAY, -EALREADY);
	if (skb_linearize_cow(skb))
		goto nomem;
	ah = ip_auth_hdr(skb);
	nexthdr = ah->nexthdr;
	memcpy(sent, ah->auth_data, sa->icv_len);
	/* The ICV counts as zero, its padding as received (XFRM sends junk). */
	memset(ah->auth_data, 0, sa->icv_len);
	err = nfsec_ah_icv(sa, skb, off, seq, icv);
	if (err == -ENOMEM)
		goto nomem;
	if (err)
		goto malformed;
	if (crypto_memneq(icv, sent, sa->icv_len))
		return nfsec_sa_drop(sa, NFSEC_SA_DROP_AUTH, -EBADMSG);
	if (sa->replay &&
	    nfsec_replay_advance(sa->replay, seq) != NFSEC_REPLAY_OK)
		return nfsec_sa_drop(sa, NFSEC_SA_DROP_REPLAY, -EALREADY);

	return nfsec_xform_in_finish(sa, skb, off, ahlen, nexthdr);

malformed:
	return nfsec_sa_drop(sa, NFSEC_SA_DROP_MALFORMED, -EPROTO);
nomem:
	return nfsec_sa_drop(sa, NFSEC_SA_DROP_NOMEM, -ENOMEM);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_ah_input);
