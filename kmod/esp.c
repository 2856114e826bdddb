// SPDX-License-Identifier: GPL-2.0
/*
 * ESP (RFC 4303) output and input, transport and tunnel mode, IPv4 and IPv6,
 * through the kernel's AEAD API with the wire format of Linux XFRM (esp4.c,
 * esp6.c):
 *
 *   - the AEAD is the SA's "seqiv(...)"/"echainiv(authenc(...))" transform,
 *     fed the 64-bit sequence number as IV seed, so the IVs are generated as
 *     XFRM generates them;
 *   - the associated data is SPI || seq (8 bytes), or with ESN
 *     SPI || seq_hi || seq_lo (12 bytes: RFC 4106 §5, and the layout
 *     authencesn expects). It is a separate 12-byte buffer at the head of the
 *     scatterlist, so no header is shuffled in the packet;
 *   - padding 1, 2, 3, ... to the cipher block size and at least 4 bytes;
 *     TFC padding (zeros before the ESP padding) in tunnel mode only.
 *
 * Both directions may complete asynchronously: the request memory carries the
 * skb, the SA (the caller's reference travels with it) and the caller's
 * continuation, and nothing is kept in skb->cb.
 */
#include <crypto/aead.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/scatterlist.h>
#include <linux/udp.h>
#include <net/esp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "main.h"
#include "esp.h"
#include "fault.h"
#include "sad.h"

#define NFSEC_ESP_HLEN	sizeof(struct ip_esp_hdr)

/* One packet in the AEAD, allocated per packet (GFP_ATOMIC). */
struct nfsec_esp_req {
	struct sk_buff *skb;
	struct nfsec_sa *sa;
	nfsec_xform_done_t done;
	void *ctx;
	u64 seq;		/* input: the full number to advance to */
	unsigned int off;	/* offset of the ESP header */
	bool udp6_csum;		/* output: ESP in UDP over IPv6, see below */
	__be32 aad[3];
	u8 trailer[256];	/* input: padding, for the pad check */
};

static unsigned int esn_assoclen(const struct nfsec_sa *sa)
{
	return sa->flags & NFSEC_SA_F_ESN ? 12 : 8;
}

/*
 * The request for one packet whose ESP header (SPI and sequence number
 * already in place) is at @off: memory for the IV, the aead_request and a
 * scatterlist of @nfrags + 1 entries, the first of which is set to the
 * associated data, SPI || [seq_hi ||] seq_lo.
 */
static struct nfsec_esp_req *
nfsec_esp_req_alloc(struct nfsec_sa *sa, struct sk_buff *skb, int nfrags,
		    u64 seq, unsigned int off, u8 **iv,
		    struct aead_request **req, struct scatterlist **sg)
{
	struct ip_esp_hdr *esph = (void *)(skb->data + off);
	unsigned int len = sizeof(struct nfsec_esp_req), iv_off, req_off;
	struct crypto_aead *aead = sa->aead;
	struct nfsec_esp_req *r;

	len = ALIGN(len, crypto_aead_alignmask(aead) + 1);
	iv_off = len;
	len += max(crypto_aead_ivsize(aead), 8U);
	len = ALIGN(len, crypto_tfm_ctx_alignment());
	req_off = len;
	len += sizeof(struct aead_request) + crypto_aead_reqsize(aead);
	len = ALIGN(len, __alignof__(struct scatterlist));
	r = nfsec_inject_alloc_failure() ? NULL :
		kmalloc(len + sizeof(struct scatterlist) * (nfrags + 1),
			GFP_ATOMIC);
	if (!r)
		return ERR_PTR(-ENOMEM);
	*iv = (u8 *)r + iv_off;
	*req = (void *)r + req_off;
	aead_request_set_tfm(*req, aead);
	*sg = (void *)r + len;

	r->skb = skb;
	r->sa = sa;
	r->seq = seq;
	r->off = off;
	r->aad[0] = esph->spi;
	if (sa->flags & NFSEC_SA_F_ESN) {
		r->aad[1] = htonl(upper_32_bits(seq));
		r->aad[2] = esph->seq_no;
	} else {
		r->aad[1] = esph->seq_no;
	}
	sg_init_table(*sg, nfrags + 1);
	sg_set_buf(*sg, r->aad, esn_assoclen(sa));
	return r;
}

/* The IP header's length field(s) after the packet grew or shrank. */
void nfsec_xform_set_len(struct sk_buff *skb)
{
	if (ip_hdr(skb)->version == 4) {
		ip_hdr(skb)->tot_len = htons(skb->len);
		ip_send_check(ip_hdr(skb));
	} else {
		ipv6_hdr(skb)->payload_len =
			htons(skb->len - sizeof(struct ipv6hdr));
	}
}

/*
 * Where ESP goes in an IPv6 packet: after hop-by-hop, routing and the
 * destination options before a routing header (as ip6_find_1stfragopt() puts
 * it for XFRM). Returns the offset, and that of the next-header byte that
 * must say ESP, or a negative errno.
 */
int nfsec_ip6_esp_offset(struct sk_buff *skb, unsigned int *nexthdr_off)
{
	unsigned int off = sizeof(struct ipv6hdr);
	unsigned int nh = offsetof(struct ipv6hdr, nexthdr);
	bool rthdr = false;
	u8 hdr[2];

	for (;;) {
		switch (skb_network_header(skb)[nh]) {
		case NEXTHDR_ROUTING:
			rthdr = true;
			break;
		case NEXTHDR_DEST:
			if (rthdr)
				goto out;
			break;
		case NEXTHDR_HOP:
			break;
		default:
			goto out;
		}
		if (skb_copy_bits(skb, skb_network_offset(skb) + off, hdr, 2))
			return -EPROTO;
		nh = off;
		off += ipv6_optlen((struct ipv6_opt_hdr *)hdr);
		if (!pskb_may_pull(skb, skb_network_offset(skb) + off + 2))
			return -EPROTO;
	}
out:
	*nexthdr_off = nh;
	return off;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_ip6_esp_offset);

unsigned int nfsec_esp_overhead(const struct nfsec_sa *sa, unsigned int len)
{
	unsigned int o = NFSEC_ESP_HLEN + sa->iv_len + sa->icv_len;
	const struct nfsec_sa_path *path;

	o += ALIGN(len + 2, sa->block_len) - len;
	rcu_read_lock();
	path = rcu_dereference(sa->path);
	if (path->encap_dport)
		o += sizeof(struct udphdr);
	if (sa->mode == NFSEC_MODE_TUNNEL)
		o += path->family == AF_INET ? sizeof(struct iphdr) :
					       sizeof(struct ipv6hdr);
	rcu_read_unlock();
	return o;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_esp_overhead);

/* The outer DS field of a tunnel (RFC 4301 §5.1.2.1, RFC 6040). */
static u8 nfsec_xform_outer_dsfield(const struct nfsec_sa *sa, u8 inner)
{
	u8 ds = sa->flags & NFSEC_SA_F_DSCP_SET ? sa->dscp << 2 :
						   inner & ~INET_ECN_MASK;

	if (sa->flags & NFSEC_SA_F_NO_ECN)
		return ds;
	return INET_ECN_encapsulate(ds, inner);
}

/* Push the outer IP header of tunnel mode over the ESP/AH (UDP) header. */
void nfsec_xform_push_outer(struct nfsec_sa *sa,
			    const struct nfsec_sa_path *path,
			    struct sk_buff *skb, u8 proto)
{
	const struct iphdr *in4 = ip_hdr(skb);
	bool inner_v4 = in4->version == 4;
	struct net *net = sa->sad->net;
	__be32 flowlabel = 0;
	__be16 df = 0;
	u8 ds;

	if (inner_v4) {
		ds = in4->tos;
		df = in4->frag_off & htons(IP_DF);
	} else {
		ds = ipv6_get_dsfield(ipv6_hdr(skb));
		flowlabel = ip6_flowlabel(ipv6_hdr(skb));
		/* IPv6 is never fragmented on the way: XFRM sets DF too. */
		df = htons(IP_DF);
	}
	ds = nfsec_xform_outer_dsfield(sa, ds);
	if (sa->df == NFSEC_DF_SET)
		df = htons(IP_DF);
	else if (sa->df == NFSEC_DF_CLEAR)
		df = 0;

	if (path->family == AF_INET) {
		struct iphdr *iph = skb_push(skb, sizeof(*iph));

		skb_reset_network_header(skb);
		iph->version = 4;
		iph->ihl = 5;
		iph->tos = ds;
		iph->tot_len = htons(skb->len);
		iph->frag_off = df;
		iph->ttl = READ_ONCE(net->ipv4.sysctl_ip_default_ttl);
		iph->protocol = proto;
		iph->saddr = path->saddr.a4;
		iph->daddr = path->daddr.a4;
		__ip_select_ident(net, iph, 1);
		ip_send_check(iph);
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = skb_push(skb, sizeof(*ip6h));

		skb_reset_network_header(skb);
		ip6_flow_hdr(ip6h, ds, flowlabel);
		ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
		ip6h->nexthdr = proto;
		ip6h->hop_limit = READ_ONCE(net->ipv6.devconf_all->hop_limit);
		ip6h->saddr = path->saddr.a6;
		ip6h->daddr = path->daddr.a6;
		skb->protocol = htons(ETH_P_IPV6);
	}
}

/*
 * The start of every outbound transform (ESP and AH): resolve a partial
 * checksum, find where the new header goes (transport mode: after the IP
 * header, and in IPv6 after the extension headers it follows) and what it
 * announces as next header, then take a sequence number and account the
 * packet against the lifetimes. Nothing in @skb moves yet.
 */
int nfsec_xform_out_begin(struct nfsec_sa *sa, struct sk_buff *skb,
			  struct nfsec_xform_out *o)
{
	int err;

	o->v4 = skb->protocol == htons(ETH_P_IP);
	o->iphlen = 0;
	o->nh_off = 0;
	if (skb_is_gso(skb))
		return -EMSGSIZE;
	if (!o->v4 && skb->protocol != htons(ETH_P_IPV6))
		return -EINVAL;
	skb_reset_network_header(skb);
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		goto nomem;
	if (!pskb_may_pull(skb, o->v4 ? sizeof(struct iphdr) :
					sizeof(struct ipv6hdr)))
		goto malformed;

	if (sa->mode == NFSEC_MODE_TRANSPORT) {
		if (o->v4) {
			o->iphlen = ip_hdrlen(skb);
			o->nh_off = offsetof(struct iphdr, protocol);
			if (o->iphlen < sizeof(struct iphdr) ||
			    !pskb_may_pull(skb, o->iphlen))
				goto malformed;
		} else {
			err = nfsec_ip6_esp_offset(skb, &o->nh_off);
			if (err < 0)
				goto malformed;
			o->iphlen = err;
		}
		o->proto = skb->data[o->nh_off];
	} else {
		o->proto = o->v4 ? IPPROTO_IPIP : IPPROTO_IPV6;
	}

	err = nfsec_seq_next(&sa->seq, &o->seq);
	if (err) {
		nfsec_sa_count_drop(sa, NFSEC_SA_DROP_SEQ_OVERFLOW);
		if (nfsec_seq_report_exhausted(&sa->seq))
			nfsec_sa_expire_now(sa, true,
					    NFSEC_EXPIRE_SEQ_EXHAUSTED);
		return err;
	}
	if (unlikely(o->seq >= sa->seq_soft))
		nfsec_sa_expire_now(sa, false, NFSEC_EXPIRE_SEQ_EXHAUSTED);
	err = nfsec_sa_account(sa, skb->len);
	if (err)
		return nfsec_sa_drop(sa, NFSEC_SA_DROP_EXPIRED, err);
	return 0;

nomem:
	return nfsec_sa_drop(sa, NFSEC_SA_DROP_NOMEM, -ENOMEM);
malformed:
	return nfsec_sa_drop(sa, NFSEC_SA_DROP_MALFORMED, -EPROTO);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_xform_out_begin);

/*
 * ESP in UDP over IPv6 needs a real UDP checksum: RFC 8200 §8.1 forbids a
 * zero one, and a receiver's socket drops it (XFRM's encapsulation sockets
 * too) unless it opted in to RFC 6936. It covers the ciphertext, so it is
 * computed once encryption is done. Over IPv4 it stays zero (RFC 3948 §2.1).
 */
static void nfsec_esp_udp6_csum(struct sk_buff *skb)
{
	unsigned int uoff = skb_transport_offset(skb) - sizeof(struct udphdr);
	struct udphdr *uh = (void *)(skb->data + uoff);
	unsigned int len = skb->len - uoff;
	__wsum csum = skb_checksum(skb, uoff, len, 0);

	uh->check = csum_ipv6_magic(&ipv6_hdr(skb)->saddr, &ipv6_hdr(skb)->daddr,
				    len, IPPROTO_UDP, csum);
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
}

static void nfsec_esp_output_cb(struct crypto_async_request *areq, int err)
{
	struct nfsec_esp_req *r = areq->data;
	struct sk_buff *skb = r->skb;
	struct nfsec_sa *sa = r->sa;

	/* A backlogged request was started; the real completion follows. */
	if (err == -EINPROGRESS)
		return;
	if (err)
		nfsec_sa_count_drop(sa, NFSEC_SA_DROP_NOMEM);
	else if (r->udp6_csum)
		nfsec_esp_udp6_csum(skb);
	r->done(skb, sa, err, r->ctx);
	kfree(r);
}

int nfsec_esp_output(struct nfsec_sa *sa, struct sk_buff *skb,
		     nfsec_xform_done_t done, void *ctx)
{
	unsigned int iphlen, outer = 0, hlen, plen, tfclen = 0, clen, padlen;
	unsigned int tailen, assoclen, esph_off, i;
	const struct nfsec_sa_path *path;
	struct nfsec_xform_out o;
	struct aead_request *req;
	struct ip_esp_hdr *esph;
	struct nfsec_esp_req *r;
	struct sk_buff *trailer;
	struct scatterlist *sg;
	int nfrags, err;
	u8 *tail, *iv;
	__be64 seqbe;
	bool encap;
	u64 seq;

	err = nfsec_xform_out_begin(sa, skb, &o);
	if (err)
		return err;
	iphlen = o.iphlen;
	seq = o.seq;

	rcu_read_lock();
	path = rcu_dereference(sa->path);
	/* RFC 3948: a path with NAT-T ports puts ESP in UDP. */
	encap = path->encap_dport;
	if (sa->mode == NFSEC_MODE_TUNNEL)
		outer = path->family == AF_INET ? sizeof(struct iphdr) :
						  sizeof(struct ipv6hdr);
	if (encap)
		outer += sizeof(struct udphdr);
	hlen = NFSEC_ESP_HLEN + sa->iv_len;
	plen = skb->len - iphlen;
	if (sa->mode == NFSEC_MODE_TUNNEL && plen < sa->tfc_pad)
		tfclen = sa->tfc_pad - plen;
	clen = ALIGN(plen + tfclen + 2, sa->block_len);
	padlen = clen - plen - tfclen - 2;
	tailen = tfclen + padlen + 2 + sa->icv_len;

	if (skb_cow_head(skb, outer + hlen + LL_MAX_HEADER))
		goto nomem_unlock;
	nfrags = nfsec_inject_alloc_failure() ? -ENOMEM :
		 skb_cow_data(skb, tailen, &trailer);
	if (nfrags < 0)
		goto nomem_unlock;
	tail = skb_tail_pointer(trailer);
	memset(tail, 0, tfclen);
	tail += tfclen;
	for (i = 0; i < padlen; i++)
		tail[i] = i + 1;
	tail[padlen] = padlen;
	tail[padlen + 1] = o.proto;
	pskb_put(skb, trailer, tailen);

	/* Make room for ESP (and UDP) between the IP header and payload. */
	skb_push(skb, hlen + (sa->mode == NFSEC_MODE_TRANSPORT ? outer : 0));
	if (sa->mode == NFSEC_MODE_TRANSPORT) {
		memmove(skb->data, skb->data + hlen + outer, iphlen);
		skb_reset_network_header(skb);
		skb->data[o.nh_off] = encap ? IPPROTO_UDP : IPPROTO_ESP;
		nfsec_xform_set_len(skb);
		esph_off = iphlen + outer;
	} else {
		if (encap)
			skb_push(skb, sizeof(struct udphdr));
		nfsec_xform_push_outer(sa, path, skb,
				       encap ? IPPROTO_UDP : IPPROTO_ESP);
		esph_off = outer;
	}
	if (encap) {
		struct udphdr *uh = (void *)(skb->data + esph_off -
					     sizeof(struct udphdr));

		uh->source = path->encap_sport;
		uh->dest = path->encap_dport;
		uh->len = htons(skb->len - esph_off + sizeof(*uh));
		uh->check = 0;
	}
	rcu_read_unlock();
	skb_set_transport_header(skb, esph_off);
	esph = ip_esp_hdr(skb);
	esph->spi = sa->spi;
	esph->seq_no = htonl(lower_32_bits(seq));

	r = nfsec_esp_req_alloc(sa, skb, nfrags, seq, esph_off, &iv, &req, &sg);
	if (IS_ERR(r))
		goto nomem;
	r->done = done;
	r->ctx = ctx;
	r->udp6_csum = encap && ipv6_hdr(skb)->version == 6;
	assoclen = esn_assoclen(sa);
	err = skb_to_sgvec(skb, sg + 1, esph_off + NFSEC_ESP_HLEN,
			   sa->iv_len + clen + sa->icv_len);
	if (unlikely(err < 0))
		goto free;

	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				  nfsec_esp_output_cb, r);
	if (!sa->raw_iv) {
		/* The IV generator's seed, as esp_output_tail() passes it. */
		i = min_t(unsigned int, sa->iv_len, 8);
		seqbe = cpu_to_be64(seq);
		memset(iv, 0, sa->iv_len);
		memcpy(iv + sa->iv_len - i, (u8 *)&seqbe + 8 - i, i);
		aead_request_set_crypt(req, sg, sg, sa->iv_len + clen, iv);
		aead_request_set_ad(req, assoclen);
	} else {
		memcpy(iv, sa->raw_iv_bytes, sa->iv_len);
		memcpy(esph + 1, iv, sa->iv_len);
		aead_request_set_crypt(req, sg, sg, clen, iv);
		aead_request_set_ad(req, assoclen + sa->iv_len);
	}
	err = crypto_aead_encrypt(req);
	if (err == -EINPROGRESS || err == -EBUSY)
		return -EINPROGRESS;
	if (!err && r->udp6_csum)
		nfsec_esp_udp6_csum(skb);
free:
	kfree(r);
	if (err)
		nfsec_sa_count_drop(sa, NFSEC_SA_DROP_NOMEM);
	return err;

nomem_unlock:
	rcu_read_unlock();
nomem:
	return nfsec_sa_drop(sa, NFSEC_SA_DROP_NOMEM, -ENOMEM);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_esp_output);

/* Check an inner packet's header and trim what follows it (TFC padding). */
int nfsec_xform_inner(struct sk_buff *skb, u8 nexthdr)
{
	unsigned int len;

	if (nexthdr == IPPROTO_IPIP) {
		if (!pskb_may_pull(skb, sizeof(struct iphdr)) ||
		    ip_hdr(skb)->version != 4 || ip_hdr(skb)->ihl < 5)
			return -EPROTO;
		len = ntohs(ip_hdr(skb)->tot_len);
		if (len < ip_hdrlen(skb) || len > skb->len)
			return -EPROTO;
		skb->protocol = htons(ETH_P_IP);
	} else if (nexthdr == IPPROTO_IPV6) {
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)) ||
		    ipv6_hdr(skb)->version != 6)
			return -EPROTO;
		len = ntohs(ipv6_hdr(skb)->payload_len) +
		      sizeof(struct ipv6hdr);
		if (len > skb->len)
			return -EPROTO;
		skb->protocol = htons(ETH_P_IPV6);
	} else {
		return -EPROTO;
	}
	return pskb_trim(skb, len) ? -ENOMEM : 0;
}

/* RFC 6040 decapsulation, as XFRM does it: CE propagates inwards. */
void nfsec_xform_ecn_decap(const struct nfsec_sa *sa, struct sk_buff *skb,
			   u8 outer_ds)
{
	if ((sa->flags & NFSEC_SA_F_NO_ECN) || !INET_ECN_is_ce(outer_ds))
		return;
	if (skb->protocol == htons(ETH_P_IP))
		IP_ECN_set_ce(ip_hdr(skb));
	else
		IP6_ECN_set_ce(skb, ipv6_hdr(skb));
}

/*
 * The end of every inbound transform, once the packet is authenticated and
 * its trailer gone: remove the outer IP header (tunnel mode) or the @hlen
 * bytes of ESP/AH header at @off (transport mode: the IP header moves up and
 * announces @nexthdr), then account the packet to the SA's lifetimes.
 */
int nfsec_xform_in_finish(struct nfsec_sa *sa, struct sk_buff *skb,
			  unsigned int off, unsigned int hlen, u8 nexthdr)
{
	bool v4 = ip_hdr(skb)->version == 4;
	unsigned int nh_off;
	u8 outer_ds;
	int err;

	skb->ip_summed = CHECKSUM_NONE;
	if (sa->mode == NFSEC_MODE_TUNNEL) {
		outer_ds = v4 ? ip_hdr(skb)->tos :
				ipv6_get_dsfield(ipv6_hdr(skb));
		skb_pull(skb, off + hlen);
		skb_reset_network_header(skb);
		err = nfsec_xform_inner(skb, nexthdr);
		if (err == -ENOMEM)
			goto nomem;
		if (err)
			return nfsec_sa_drop(sa, NFSEC_SA_DROP_PROTO, err);
		nfsec_xform_ecn_decap(sa, skb, outer_ds);
	} else {
		if (nexthdr == IPPROTO_IPIP || nexthdr == IPPROTO_IPV6)
			return nfsec_sa_drop(sa, NFSEC_SA_DROP_PROTO, -EPROTO);
		if (v4) {
			nh_off = offsetof(struct iphdr, protocol);
		} else {
			err = nfsec_ip6_esp_offset(skb, &nh_off);
			if (err < 0) {
				nfsec_sa_count_drop(sa,
						    NFSEC_SA_DROP_MALFORMED);
				return -EPROTO;
			}
		}
		/* Close the gap: move the IP header up to the payload. */
		memmove(skb->data + hlen, skb->data, off);
		skb_pull(skb, hlen);
		skb_reset_network_header(skb);
		skb_set_transport_header(skb, off);
		skb->data[nh_off] = nexthdr;
		nfsec_xform_set_len(skb);
	}
	if (nfsec_sa_account(sa, skb->len))
		return nfsec_sa_drop(sa, NFSEC_SA_DROP_EXPIRED, -EKEYEXPIRED);
	return 0;

nomem:
	return nfsec_sa_drop(sa, NFSEC_SA_DROP_NOMEM, -ENOMEM);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_xform_in_finish);

/* After the ICV verified: window, trailer, and down to the inner packet. */
static int nfsec_esp_input_done2(struct nfsec_esp_req *r)
{
	unsigned int hlen = NFSEC_ESP_HLEN + r->sa->iv_len, off = r->off;
	struct sk_buff *skb = r->skb;
	struct nfsec_sa *sa = r->sa;
	unsigned int i;
	u8 padlen, nexthdr;

	if (sa->replay &&
	    nfsec_replay_advance(sa->replay, r->seq) != NFSEC_REPLAY_OK)
		return nfsec_sa_drop(sa, NFSEC_SA_DROP_REPLAY, -EALREADY);
	if (skb_copy_bits(skb, skb->len - sa->icv_len - 2, r->trailer, 2))
		goto malformed;
	padlen = r->trailer[0];
	nexthdr = r->trailer[1];
	if (padlen + 2 + sa->icv_len > skb->len - off - hlen)
		return nfsec_sa_drop(sa, NFSEC_SA_DROP_PADDING, -EPROTO);
	/* RFC 4303 §2.4: the default padding is 1, 2, 3, ... */
	if (skb_copy_bits(skb, skb->len - sa->icv_len - 2 - padlen,
			  r->trailer, padlen))
		goto malformed;
	for (i = 0; i < padlen; i++) {
		if (r->trailer[i] != i + 1)
			return nfsec_sa_drop(sa, NFSEC_SA_DROP_PADDING, -EPROTO);
	}
	if (nexthdr == NEXTHDR_NONE)
		return nfsec_sa_drop(sa, NFSEC_SA_DROP_TFC_DUMMY, -ENODATA);
	if (pskb_trim(skb, skb->len - sa->icv_len - 2 - padlen))
		goto nomem;

	return nfsec_xform_in_finish(sa, skb, off, hlen, nexthdr);

malformed:
	return nfsec_sa_drop(sa, NFSEC_SA_DROP_MALFORMED, -EPROTO);
nomem:
	return nfsec_sa_drop(sa, NFSEC_SA_DROP_NOMEM, -ENOMEM);
}

static int nfsec_esp_input_done(struct nfsec_esp_req *r, int err)
{
	if (err == -EBADMSG)
		return nfsec_sa_drop(r->sa, NFSEC_SA_DROP_AUTH, err);
	if (err)
		return nfsec_sa_drop(r->sa, NFSEC_SA_DROP_MALFORMED, -EPROTO);
	return nfsec_esp_input_done2(r);
}

static void nfsec_esp_input_cb(struct crypto_async_request *areq, int err)
{
	struct nfsec_esp_req *r = areq->data;

	if (err == -EINPROGRESS)
		return;
	err = nfsec_esp_input_done(r, err);
	r->done(r->skb, r->sa, err, r->ctx);
	kfree(r);
}

int nfsec_esp_input(struct nfsec_sa *sa, struct sk_buff *skb,
		    nfsec_xform_done_t done, void *ctx)
{
	unsigned int off = skb_transport_offset(skb), hlen, elen, assoclen;
	struct ip_esp_hdr *esph;
	struct aead_request *req;
	struct nfsec_esp_req *r;
	struct sk_buff *trailer;
	struct scatterlist *sg;
	int nfrags, err;
	u64 seq;
	u8 *iv;

	hlen = NFSEC_ESP_HLEN + sa->iv_len;
	if (!pskb_may_pull(skb, off + hlen) ||
	    skb->len < off + hlen + sa->icv_len + 2)
		goto malformed;
	elen = skb->len - off - hlen - sa->icv_len;
	if (elen % sa->block_len)
		goto malformed;
	esph = ip_esp_hdr(skb);
	if (esph->spi != sa->spi)
		goto malformed;

	seq = ntohl(esph->seq_no);
	if (sa->replay &&
	    nfsec_replay_check(sa->replay, ntohl(esph->seq_no), &seq) !=
	    NFSEC_REPLAY_OK)
		return nfsec_sa_drop(sa, NFSEC_SA_DROP_REPLAY, -EALREADY);

	nfrags = nfsec_inject_alloc_failure() ? -ENOMEM :
		 skb_cow_data(skb, 0, &trailer);
	if (nfrags < 0)
		goto nomem;
	r = nfsec_esp_req_alloc(sa, skb, nfrags, seq, off, &iv, &req, &sg);
	if (IS_ERR(r))
		goto nomem;
	r->done = done;
	r->ctx = ctx;
	esph = ip_esp_hdr(skb);
	assoclen = esn_assoclen(sa);
	err = skb_to_sgvec(skb, sg + 1, off + NFSEC_ESP_HLEN,
			   skb->len - off - NFSEC_ESP_HLEN);
	if (unlikely(err < 0)) {
		kfree(r);
		goto nomem;
	}
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_BACKLOG,
				  nfsec_esp_input_cb, r);
	if (!sa->raw_iv) {
		/* The IV generator template reads the IV from the packet. */
		aead_request_set_crypt(req, sg, sg,
				       sa->iv_len + elen + sa->icv_len, iv);
		aead_request_set_ad(req, assoclen);
	} else {
		memcpy(iv, esph + 1, sa->iv_len);
		aead_request_set_crypt(req, sg, sg, elen + sa->icv_len, iv);
		aead_request_set_ad(req, assoclen + sa->iv_len);
	}
	err = crypto_aead_decrypt(req);
	if (err == -EINPROGRESS || err == -EBUSY)
		return -EINPROGRESS;
	err = nfsec_esp_input_done(r, err);
	kfree(r);
	return err;

malformed:
	return nfsec_sa_drop(sa, NFSEC_SA_DROP_MALFORMED, -EPROTO);
nomem:
	return nfsec_sa_drop(sa, NFSEC_SA_DROP_NOMEM, -ENOMEM);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_esp_input);
