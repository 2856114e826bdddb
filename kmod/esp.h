/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_ESP_H
#define _NFSEC_ESP_H

#include <linux/skbuff.h>

struct nfsec_sa;

/*
 * Where a packet continues once asynchronous crypto finished: @err is 0 or
 * the same negative errno the synchronous call would have returned. Called
 * in softirq or process context; the callee owns @skb and the caller's
 * reference on @sa from then on.
 */
typedef void (*nfsec_xform_done_t)(struct sk_buff *skb, struct nfsec_sa *sa,
				   int err, void *ctx);

/*
 * ESP (RFC 4303) on one packet. The caller holds a reference on @sa for the
 * call; both functions return
 *
 *   0            the packet is transformed, in @skb, ready for the next step
 *   -EINPROGRESS the crypto went asynchronous: @skb and the caller's SA
 *                reference now belong to the request; @done gets them back
 *   < 0          dropped (reason counted on @sa); @skb is still the caller's
 *                to free
 *
 * nfsec_esp_output(): @skb->data is an IPv4/IPv6 packet (the inner packet in
 * tunnel mode), network header set, not GSO (segment first). Returns with
 * the outer packet: IP header, ESP header, IV, payload, trailer, ICV.
 * Errors: -EOVERFLOW (sequence numbers exhausted), -EKEYEXPIRED (hard
 * lifetime), -EMSGSIZE (GSO), -ENOMEM, -EINVAL.
 *
 * nfsec_esp_input(): @skb->data is the outer IP header, the transport header
 * is the ESP header (RFC 3948: the UDP header already removed). Returns
 * with the inner packet at @skb->data (tunnel mode) or the IP header with
 * the ESP header removed and the protocol restored (transport mode).
 * Errors: -EPROTO (malformed, bad padding, unexpected next header),
 * -EALREADY (replayed), -EBADMSG (ICV), -ENODATA (a TFC dummy packet),
 * -EKEYEXPIRED, -ENOMEM.
 */
int nfsec_esp_output(struct nfsec_sa *sa, struct sk_buff *skb,
		     nfsec_xform_done_t done, void *ctx);
int nfsec_esp_input(struct nfsec_sa *sa, struct sk_buff *skb,
		    nfsec_xform_done_t done, void *ctx);

/* The overhead ESP adds to a packet of @len bytes on @sa (for PMTU). */
unsigned int nfsec_esp_overhead(const struct nfsec_sa *sa, unsigned int len);

/* Shared with AH. */
struct nfsec_sa_path;

/* What nfsec_xform_out_begin() found out about an outbound packet. */
struct nfsec_xform_out {
	unsigned int iphlen;	/* transport: where the new header goes */
	unsigned int nh_off;	/* transport: the next-header byte to patch */
	u64 seq;		/* the packet's sequence number */
	u8 proto;		/* next header of the new ESP/AH header */
	bool v4;
};

int nfsec_xform_out_begin(struct nfsec_sa *sa, struct sk_buff *skb,
			  struct nfsec_xform_out *o);
int nfsec_ip6_esp_offset(struct sk_buff *skb, unsigned int *nexthdr_off);
void nfsec_xform_push_outer(struct nfsec_sa *sa,
			    const struct nfsec_sa_path *path,
			    struct sk_buff *skb, u8 proto);
void nfsec_xform_set_len(struct sk_buff *skb);
int nfsec_xform_inner(struct sk_buff *skb, u8 nexthdr);
int nfsec_xform_in_finish(struct nfsec_sa *sa, struct sk_buff *skb,
			  unsigned int off, unsigned int hlen, u8 nexthdr);
void nfsec_xform_ecn_decap(const struct nfsec_sa *sa, struct sk_buff *skb,
			   u8 outer_ds);

#endif /* _NFSEC_ESP_H */
