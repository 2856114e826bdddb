// SPDX-License-Identifier: GPL-2.0
/* Packet helpers for the ESP and AH KUnit suites. */
#include <linux/completion.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "esp.h"
#include "xform_kunit.h"

#define XK_HEADROOM	256

/* The authentication keys of the tests and of the XFRM captures. */
static const u8 k_auth16[] = {
	0xf0, 0xe0, 0xd0, 0xc0, 0xb0, 0xa0, 0x90, 0x80,
	0x70, 0x60, 0x50, 0x40, 0x30, 0x20, 0x10, 0x0f,
};

void xk_auth_key(u8 *key, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		key[i] = k_auth16[i % sizeof(k_auth16)];
}

/* Outer addresses: 192.0.2.1 -> 192.0.2.2, 2001:db8::1 -> 2001:db8::2. */
void xk_set_addrs(struct nfsec_sa_path *path, u16 family)
{
	path->family = family;
	if (family == AF_INET) {
		path->saddr.a4 = htonl(0xc0000201);
		path->daddr.a4 = htonl(0xc0000202);
	} else {
		ipv6_addr_set(&path->saddr.a6, htonl(0x20010db8), 0, 0,
			      htonl(1));
		ipv6_addr_set(&path->daddr.a6, htonl(0x20010db8), 0, 0,
			      htonl(2));
	}
}

static struct sk_buff *xk_alloc(struct kunit *test, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(XK_HEADROOM + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, XK_HEADROOM);
	return skb;
}

/*
 * A UDP datagram 10.0.1.1:4000 -> 10.0.2.2:5000 (IPv6: fd00:1::1 ->
 * fd00:2::2), DS field 0xb9, TTL 33, DF, with @plen bytes of payload.
 */
struct sk_buff *xk_udp_packet(struct kunit *test, u16 family,
			      unsigned int plen)
{
	unsigned int hl = family == AF_INET ? sizeof(struct iphdr) :
					      sizeof(struct ipv6hdr);
	struct sk_buff *skb = xk_alloc(test, hl + sizeof(struct udphdr) + plen);
	struct udphdr *uh;
	unsigned int i;
	u8 *p;

	skb_put(skb, hl + sizeof(*uh) + plen);
	skb_reset_network_header(skb);
	if (family == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		memset(iph, 0, sizeof(*iph));
		iph->version = 4;
		iph->ihl = 5;
		iph->tos = 0xb9;
		iph->tot_len = htons(skb->len);
		iph->id = htons(0x4242);
		iph->frag_off = htons(IP_DF);
		iph->ttl = 33;
		iph->protocol = IPPROTO_UDP;
		iph->saddr = htonl(0x0a000101);
		iph->daddr = htonl(0x0a000202);
		ip_send_check(iph);
		skb->protocol = htons(ETH_P_IP);
	} else {
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ip6_flow_hdr(ip6h, 0xb9, htonl(0x12345));
		ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
		ip6h->nexthdr = IPPROTO_UDP;
		ip6h->hop_limit = 33;
		ipv6_addr_set(&ip6h->saddr, htonl(0xfd000001), 0, 0, htonl(1));
		ipv6_addr_set(&ip6h->daddr, htonl(0xfd000002), 0, 0, htonl(2));
		skb->protocol = htons(ETH_P_IPV6);
	}
	skb_set_transport_header(skb, hl);
	uh = udp_hdr(skb);
	uh->source = htons(4000);
	uh->dest = htons(5000);
	uh->len = htons(sizeof(*uh) + plen);
	uh->check = 0;
	p = (u8 *)(uh + 1);
	for (i = 0; i < plen; i++)
		p[i] = i * 7;
	return skb;
}

/* An skb holding a packet given as bytes, from its IP header. */
struct sk_buff *xk_skb_from(struct kunit *test, const u8 *data,
			    unsigned int len)
{
	struct sk_buff *skb = xk_alloc(test, len);

	skb_put_data(skb, data, len);
	skb_reset_network_header(skb);
	skb->protocol = (data[0] >> 4) == 4 ? htons(ETH_P_IP) :
					      htons(ETH_P_IPV6);
	return skb;
}

bool xk_skb_equal_buf(const struct sk_buff *skb, unsigned int off,
		      const u8 *buf, unsigned int len)
{
	u8 *tmp;
	bool eq;

	if (off + len > skb->len)
		return false;
	tmp = kmalloc(len, GFP_KERNEL);
	if (!tmp)
		return false;
	eq = !skb_copy_bits(skb, off, tmp, len) && !memcmp(tmp, buf, len);
	if (!eq)
		print_hex_dump(KERN_INFO, "got: ", DUMP_PREFIX_OFFSET, 16, 1,
			       tmp, len, false);
	kfree(tmp);
	return eq;
}

bool xk_skb_equal(const struct sk_buff *a, const struct sk_buff *b)
{
	u8 *tmp;
	bool eq;

	if (a->len != b->len)
		return false;
	tmp = kmalloc(b->len, GFP_KERNEL);
	if (!tmp || skb_copy_bits(b, 0, tmp, b->len)) {
		kfree(tmp);
		return false;
	}
	eq = xk_skb_equal_buf(a, 0, tmp, b->len);
	kfree(tmp);
	return eq;
}

/* The outer header is consistent: lengths, IPv4 checksum. */
int xk_check_ip(struct sk_buff *skb)
{
	if (ip_hdr(skb)->version == 4) {
		if (ntohs(ip_hdr(skb)->tot_len) != skb->len)
			return -1;
		if (ip_fast_csum(ip_hdr(skb), ip_hdr(skb)->ihl))
			return -2;
		return 0;
	}
	if (ntohs(ipv6_hdr(skb)->payload_len) + sizeof(struct ipv6hdr) !=
	    skb->len)
		return -3;
	return 0;
}

int xk_hex2bin(struct kunit *test, const char *hex, u8 **out)
{
	size_t n = strlen(hex) / 2;

	*out = kunit_kmalloc(test, n, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, *out);
	KUNIT_ASSERT_EQ(test, hex2bin(*out, hex, n), 0);
	return n;
}

/*
 * Compare a tunnel's outer header with a captured one, but for what is
 * chosen per packet or per host: IPv4 ID and checksum. Returns the first
 * differing offset + 1, or 0.
 */
int xk_outer_diff(const struct sk_buff *skb, const u8 *pkt)
{
	static const u8 v4[] = { 0, 1, 2, 3, 6, 7, 8, 9, 12, 13, 14, 15, 16,
				 17, 18, 19 };
	unsigned int i;

	if ((pkt[0] >> 4) == 4) {
		for (i = 0; i < ARRAY_SIZE(v4); i++)
			if (skb->data[v4[i]] != pkt[v4[i]])
				return v4[i] + 1;
		return 0;
	}
	for (i = 0; i < sizeof(struct ipv6hdr); i++)
		if (skb->data[i] != pkt[i])
			return i + 1;
	return 0;
}

/* An outbound and an inbound SA from @cfg, in a private SAD. */
void xk_pair_make(struct kunit *test, struct xk_pair *p,
		  struct nfsec_sa_cfg *cfg)
{
	long err;

	p->sad = nfsec_sad_create(&init_net, NULL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, p->sad);
	cfg->dir = NFSEC_DIR_OUT;
	p->out = nfsec_sa_create(p->sad, cfg);
	cfg->dir = NFSEC_DIR_IN;
	p->in = IS_ERR(p->out) ? p->out : nfsec_sa_create(p->sad, cfg);
	if (IS_ERR(p->in)) {
		/* Nothing may leak when the assertion ends the test. */
		err = PTR_ERR(p->in);
		if (!IS_ERR(p->out))
			nfsec_sa_destroy(p->out);
		nfsec_sad_destroy(p->sad);
		KUNIT_ASSERT_FAILURE(test, "%s%s%s: %ld", cfg->aead_name,
				     cfg->enc_name, cfg->auth_name, err);
	}
}

void xk_pair_free(struct xk_pair *p)
{
	nfsec_sa_destroy(p->out);
	nfsec_sa_destroy(p->in);
	nfsec_sad_destroy(p->sad);
}

/* Set the transport header on the ESP/AH header, as the receive hook does. */
void xk_as_received(struct sk_buff *skb)
{
	unsigned int nh, off;

	skb_reset_network_header(skb);
	if (ip_hdr(skb)->version == 4)
		off = ip_hdrlen(skb);
	else
		off = nfsec_ip6_esp_offset(skb, &nh);
	skb_set_transport_header(skb, off);
}

/* Asynchronous completions land here; xk_esp_run() waits for them. */
struct xk_wait {
	struct completion done;
	int err;
};

static void xk_done(struct sk_buff *skb, struct nfsec_sa *sa, int err,
		    void *ctx)
{
	struct xk_wait *w = ctx;

	w->err = err;
	complete(&w->done);
}

/* ESP output (@out) or input, waiting if the crypto went asynchronous. */
int xk_esp_run(bool out, struct nfsec_sa *sa, struct sk_buff *skb)
{
	struct xk_wait w;
	int err;

	init_completion(&w.done);
	if (out)
		err = nfsec_esp_output(sa, skb, xk_done, &w);
	else
		err = nfsec_esp_input(sa, skb, xk_done, &w);
	if (err != -EINPROGRESS)
		return err;
	wait_for_completion(&w.done);
	return w.err;
}

/* The capture script's UDP payload, "nfsec KAT <name>", ends the packet. */
bool xk_kat_payload(const struct sk_buff *skb, const char *name)
{
	char want[64];
	int n;

	n = snprintf(want, sizeof(want), "nfsec KAT %s", name);
	return skb->len >= n && xk_skb_equal_buf(skb, skb->len - n, want, n);
}
