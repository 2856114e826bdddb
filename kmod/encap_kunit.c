// SPDX-License-Identifier: GPL-2.0
/* KUnit: ESP in UDP (RFC 3948): classification, stripping, the socket. */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/net.h>
#include <linux/udp.h>
#include <net/esp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/sock.h>

#include "main.h"
#include "encap.h"
#include "esp.h"
#include "sad.h"
#include "xform_kunit.h"

/* A UDP datagram whose payload starts with @head (the rest is 0x5a). */
static struct sk_buff *udp_with(struct kunit *test, u16 family,
				const u8 *head, unsigned int hlen,
				unsigned int plen)
{
	struct sk_buff *skb = xk_udp_packet(test, family, plen);
	u8 *p = skb_transport_header(skb) + sizeof(struct udphdr);

	memset(p, 0x5a, plen);
	if (hlen)
		memcpy(p, head, min(hlen, plen));
	return skb;
}

static void encap_classify(struct kunit *test)
{
	static const u8 esp[] = { 0x10, 0x00, 0xab, 0xcd, 0, 0, 0, 1 };
	static const u8 ike[] = { 0, 0, 0, 0, 0x11, 0x22 };
	static const u8 ka[] = { 0xff };
	static const struct {
		const char *what;
		const u8 *head;
		unsigned int hlen, plen;
		enum nfsec_encap_kind kind;
	} c[] = {
		{ "esp", esp, sizeof(esp), 60, NFSEC_ENCAP_ESP },
		{ "esp header only", esp, sizeof(esp), 8, NFSEC_ENCAP_IKE },
		{ "ike", ike, sizeof(ike), 200, NFSEC_ENCAP_IKE },
		{ "keepalive", ka, 1, 1, NFSEC_ENCAP_KEEPALIVE },
		{ "0xff and more", ka, 1, 2, NFSEC_ENCAP_IKE },
		{ "empty", NULL, 0, 0, NFSEC_ENCAP_IKE },
	};
	unsigned int i, f;

	for (f = 0; f < 2; f++) {
		for (i = 0; i < ARRAY_SIZE(c); i++) {
			struct sk_buff *skb;

			skb = udp_with(test, f ? AF_INET6 : AF_INET,
				       c[i].head, c[i].hlen, c[i].plen);
			KUNIT_EXPECT_EQ_MSG(test, nfsec_encap_classify(skb),
					    c[i].kind, "%s", c[i].what);
			kfree_skb(skb);
		}
	}
	{
		struct sk_buff *skb = udp_with(test, AF_INET, esp, 8, 60);

		skb_trim(skb, 20 + 4);
		KUNIT_EXPECT_EQ(test, nfsec_encap_classify(skb),
				NFSEC_ENCAP_BAD);
		kfree_skb(skb);
	}
}

/* nfsec's own ESP-in-UDP output, stripped and decrypted again. */
static void encap_esp_roundtrip(struct kunit *test)
{
	struct nfsec_sa_cfg *cfg = kunit_kzalloc(test, sizeof(*cfg),
						 GFP_KERNEL);
	static const u8 key[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
				    13, 14, 15, 16, 0xca, 0xfe, 0xba, 0xbe };
	unsigned int f, hl;
	struct xk_pair p;

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	for (f = 0; f < 2; f++) {
		u16 family = f ? AF_INET6 : AF_INET;
		struct sk_buff *orig, *skb;
		struct udphdr *uh;

		memset(cfg, 0, sizeof(*cfg));
		cfg->spi = htonl(0x4500);
		cfg->proto = IPPROTO_ESP;
		cfg->mode = NFSEC_MODE_TUNNEL;
		cfg->replay_window = 32;
		xk_set_addrs(&cfg->path, family);
		cfg->path.encap_sport = htons(4500);
		cfg->path.encap_dport = htons(34567);
		strscpy(cfg->aead_name, "rfc4106(gcm(aes))",
			sizeof(cfg->aead_name));
		memcpy(cfg->enc_key, key, sizeof(key));
		cfg->enc_keylen = sizeof(key);
		cfg->icv_len = 16;
		xk_pair_make(test, &p, cfg);

		orig = xk_udp_packet(test, AF_INET, 33);
		skb = skb_copy(orig, GFP_KERNEL);
		KUNIT_ASSERT_EQ(test, xk_esp_run(true, p.out, skb),
				0);
		hl = f ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
		KUNIT_EXPECT_EQ(test, skb->data[f ? 6 : 9], IPPROTO_UDP);
		uh = (struct udphdr *)(skb->data + hl);
		KUNIT_EXPECT_EQ(test, uh->source, htons(4500));
		KUNIT_EXPECT_EQ(test, uh->dest, htons(34567));
		KUNIT_EXPECT_EQ(test, ntohs(uh->len), skb->len - hl);
		/* RFC 3948 §2.1: 0 over IPv4; RFC 8200 §8.1: a real one
		 * over IPv6, over the ciphertext. */
		if (f) {
			KUNIT_EXPECT_NE(test, uh->check, 0);
			KUNIT_EXPECT_EQ(test,
					csum_ipv6_magic(&ipv6_hdr(skb)->saddr,
							&ipv6_hdr(skb)->daddr,
							skb->len - hl, IPPROTO_UDP,
							skb_checksum(skb, hl,
								     skb->len - hl, 0)),
					0);
		} else {
			KUNIT_EXPECT_EQ(test, uh->check, 0);
		}
		KUNIT_EXPECT_EQ(test, xk_check_ip(skb), 0);

		/* The receiver: the UDP header is the transport header. */
		skb_set_transport_header(skb, hl);
		KUNIT_EXPECT_EQ(test, nfsec_encap_classify(skb),
				NFSEC_ENCAP_ESP);
		KUNIT_ASSERT_EQ(test, nfsec_encap_strip(skb), 0);
		KUNIT_EXPECT_EQ(test, skb->data[f ? 6 : 9], IPPROTO_ESP);
		KUNIT_EXPECT_EQ(test, skb_transport_offset(skb), (int)hl);
		KUNIT_EXPECT_EQ(test, ip_esp_hdr(skb)->spi, htonl(0x4500));
		KUNIT_EXPECT_EQ(test, xk_check_ip(skb), 0);
		KUNIT_EXPECT_EQ(test, xk_esp_run(false, p.in, skb), 0);
		KUNIT_EXPECT_TRUE(test, xk_skb_equal(skb, orig));
		kfree_skb(skb);
		kfree_skb(orig);
		xk_pair_free(&p);
	}
}

/* The socket: ESP reaches the callback stripped, IKE stays queued. */
struct encap_seen {
	struct completion got;
	u8 proto;
	__be32 spi;
};

static struct encap_seen *encap_seen_ptr;

static void encap_test_rcv(struct net *net, struct sk_buff *skb)
{
	struct encap_seen *s = encap_seen_ptr;

	s->proto = ip_hdr(skb)->protocol;
	s->spi = ip_esp_hdr(skb)->spi;
	kfree_skb(skb);
	complete(&s->got);
}

static int encap_send(struct socket *tx, __be16 port, const void *buf,
		      size_t len)
{
	struct sockaddr_in to = {
		.sin_family = AF_INET,
		.sin_port = port,
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct msghdr msg = { .msg_name = &to, .msg_namelen = sizeof(to) };
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };

	return kernel_sendmsg(tx, &msg, &iov, 1, len);
}

static void encap_socket(struct kunit *test)
{
	static const u8 esp[24] = { 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 9 };
	static const u8 ike[12] = { 0, 0, 0, 0, 'I', 'K', 'E' };
	static const u8 ka[1] = { 0xff };
	__be16 port = htons(45678);
	struct encap_seen *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct socket *sock, *tx;
	struct kvec iov;
	u8 buf[32];

	KUNIT_ASSERT_NOT_NULL(test, s);
	init_completion(&s->got);
	encap_seen_ptr = s;
	sock = nfsec_encap_open(&init_net, AF_INET, port, encap_test_rcv);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(sock), "%ld", PTR_ERR(sock));
	KUNIT_ASSERT_EQ(test, sock_create_kern(&init_net, AF_INET, SOCK_DGRAM,
					       IPPROTO_UDP, &tx), 0);

	KUNIT_EXPECT_EQ(test, encap_send(tx, port, ka, sizeof(ka)), 1);
	KUNIT_EXPECT_EQ(test, encap_send(tx, port, esp, sizeof(esp)),
			(int)sizeof(esp));
	KUNIT_EXPECT_GT(test, wait_for_completion_timeout(&s->got, 5 * HZ),
			0UL);
	KUNIT_EXPECT_EQ(test, s->proto, IPPROTO_ESP);
	KUNIT_EXPECT_EQ(test, s->spi, htonl(0x12345678));

	/* IKE is left for the socket's reader (here: us). */
	KUNIT_EXPECT_EQ(test, encap_send(tx, port, ike, sizeof(ike)),
			(int)sizeof(ike));
	iov.iov_base = buf;
	iov.iov_len = sizeof(buf);
	msleep(100);
	KUNIT_EXPECT_EQ(test, kernel_recvmsg(sock, &msg, &iov, 1, sizeof(buf),
					     MSG_DONTWAIT), (int)sizeof(ike));
	KUNIT_EXPECT_EQ(test, memcmp(buf, ike, sizeof(ike)), 0);
	/* The keepalive was eaten: nothing else is queued. */
	KUNIT_EXPECT_EQ(test, kernel_recvmsg(sock, &msg, &iov, 1, sizeof(buf),
					     MSG_DONTWAIT), -EAGAIN);
	sock_release(tx);
	nfsec_encap_close(sock);
	encap_seen_ptr = NULL;
}

static struct kunit_case nfsec_encap_cases[] = {
	KUNIT_CASE(encap_classify),
	KUNIT_CASE(encap_esp_roundtrip),
	KUNIT_CASE(encap_socket),
	{}
};

static struct kunit_suite nfsec_encap_suite = {
	.name = "nfsec_encap",
	.test_cases = nfsec_encap_cases,
};
kunit_test_suite(nfsec_encap_suite);
