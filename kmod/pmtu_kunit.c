// SPDX-License-Identifier: GPL-2.0
/* KUnit: an SA's path MTU from ICMP: what is learned, what is refused. */
#include <kunit/test.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>

#include "main.h"
#include "pmtu.h"
#include "sad.h"
#include "spd.h"
#include "xform_kunit.h"

static const u8 gcm_key[20] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
				13, 14, 15, 16, 0xca, 0xfe, 0xba, 0xbe };

/* ga's outbound SA 0x1001 and inbound SA 0x2002, addresses of xk_set_addrs. */
struct pmtu_env {
	struct nfsec_net *nn;
	struct nfsec_sa *out, *in;
};

static struct nfsec_sa *pmtu_add(struct kunit *test, struct nfsec_sad *sad,
				 u16 family, u32 spi, u8 dir, __be16 sport,
				 __be16 dport)
{
	struct nfsec_sa_cfg *cfg = kunit_kzalloc(test, sizeof(*cfg),
						 GFP_KERNEL);
	struct nfsec_sa *sa;

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	cfg->spi = cpu_to_be32(spi);
	cfg->proto = IPPROTO_ESP;
	cfg->mode = NFSEC_MODE_TUNNEL;
	cfg->dir = dir;
	xk_set_addrs(&cfg->path, family);
	if (dir == NFSEC_DIR_IN)
		swap(cfg->path.saddr, cfg->path.daddr);
	cfg->path.encap_sport = sport;
	cfg->path.encap_dport = dport;
	strscpy(cfg->aead_name, "rfc4106(gcm(aes))", sizeof(cfg->aead_name));
	memcpy(cfg->enc_key, gcm_key, sizeof(gcm_key));
	cfg->enc_keylen = sizeof(gcm_key);
	cfg->icv_len = 16;
	sa = nfsec_sa_create(sad, cfg);
	KUNIT_ASSERT_FALSE(test, IS_ERR(sa));
	KUNIT_ASSERT_EQ(test, nfsec_sad_add(sad, sa), 0);
	return sa;
}

static void pmtu_env_init(struct kunit *test, struct pmtu_env *e, u16 family,
			  __be16 sport, __be16 dport)
{
	e->nn = kunit_kzalloc(test, sizeof(*e->nn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e->nn);
	e->nn->sad = nfsec_sad_create(&init_net, NULL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, e->nn->sad);
	e->out = pmtu_add(test, e->nn->sad, family, 0x1001, NFSEC_DIR_OUT,
			  sport, dport);
	e->in = pmtu_add(test, e->nn->sad, family, 0x2002, NFSEC_DIR_IN,
			 sport, dport);
}

static void pmtu_env_free(struct pmtu_env *e)
{
	nfsec_sad_destroy(e->nn->sad);
}

/* What an ICMP error quotes: the start of a packet from @src to @dst. */
struct pmtu_quote {
	u8 proto;		/* ESP, AH or UDP */
	u32 spi;
	__be16 sport, dport;	/* UDP */
	bool from_peer;		/* quoted src/dst swapped */
	unsigned int cut;	/* bytes of the quoted payload left out */
};

/* Builds the quoted payload (SPI and what comes before it) at @p. */
static unsigned int pmtu_put_payload(u8 *p, const struct pmtu_quote *q)
{
	__be32 spi = cpu_to_be32(q->spi), seq = htonl(1);
	unsigned int len = 0;

	if (q->proto == IPPROTO_UDP) {
		struct udphdr uh = { .source = q->sport, .dest = q->dport };

		memcpy(p, &uh, sizeof(uh));
		len = sizeof(uh);
	} else if (q->proto == IPPROTO_AH) {
		memset(p, 0, 4);
		len = 4;
	}
	memcpy(p + len, &spi, 4);
	memcpy(p + len + 4, &seq, 4);
	return len + 8 - q->cut;
}

/* An ICMP "fragmentation needed" with @mtu from a router to ga. */
static struct sk_buff *pmtu_icmp4(struct kunit *test, u32 mtu,
				  const struct pmtu_quote *q)
{
	u8 buf[128] = {};
	struct iphdr *outer = (struct iphdr *)buf, *in;
	struct icmphdr *ih = (struct icmphdr *)(outer + 1);
	struct nfsec_sa_path addrs;
	unsigned int len;

	xk_set_addrs(&addrs, AF_INET);
	if (q->from_peer)
		swap(addrs.saddr, addrs.daddr);
	outer->version = 4;
	outer->ihl = 5;
	outer->protocol = IPPROTO_ICMP;
	outer->saddr = htonl(0xc0000301);
	outer->daddr = htonl(0xc0000201);
	ih->type = ICMP_DEST_UNREACH;
	ih->code = ICMP_FRAG_NEEDED;
	ih->un.frag.mtu = htons(mtu);
	in = (struct iphdr *)(ih + 1);
	in->version = 4;
	in->ihl = 5;
	in->frag_off = htons(IP_DF);
	in->protocol = q->proto;
	in->saddr = addrs.saddr.a4;
	in->daddr = addrs.daddr.a4;
	len = sizeof(*outer) + sizeof(*ih) + sizeof(*in) +
	      pmtu_put_payload((u8 *)(in + 1), q);
	outer->tot_len = htons(len);
	return xk_skb_from(test, buf, len);
}

/* An ICMPv6 "packet too big" with @mtu from a router to ga. */
static struct sk_buff *pmtu_icmp6(struct kunit *test, u32 mtu,
				  const struct pmtu_quote *q)
{
	u8 buf[160] = {};
	struct ipv6hdr *outer = (struct ipv6hdr *)buf, *in;
	struct icmp6hdr *ih = (struct icmp6hdr *)(outer + 1);
	struct nfsec_sa_path addrs;
	unsigned int len;

	xk_set_addrs(&addrs, AF_INET6);
	if (q->from_peer)
		swap(addrs.saddr, addrs.daddr);
	outer->version = 6;
	outer->nexthdr = IPPROTO_ICMPV6;
	ipv6_addr_set(&outer->saddr, htonl(0x20010db8), 0, 0, htonl(3));
	outer->daddr = addrs.saddr.a6;
	ih->icmp6_type = ICMPV6_PKT_TOOBIG;
	ih->icmp6_mtu = htonl(mtu);
	in = (struct ipv6hdr *)(ih + 1);
	in->version = 6;
	in->nexthdr = q->proto;
	in->saddr = addrs.saddr.a6;
	in->daddr = addrs.daddr.a6;
	len = sizeof(*outer) + sizeof(*ih) + sizeof(*in) +
	      pmtu_put_payload((u8 *)(in + 1), q);
	outer->payload_len = htons(len - sizeof(*outer));
	return xk_skb_from(test, buf, len);
}

static void pmtu_feed(struct kunit *test, struct pmtu_env *e, u16 family,
		      u32 mtu, const struct pmtu_quote *q)
{
	struct nfsec_tuple t = { .family = family };
	struct sk_buff *skb;

	skb = family == AF_INET ? pmtu_icmp4(test, mtu, q) :
				  pmtu_icmp6(test, mtu, q);
	t.proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	nfsec_pmtu_icmp(e->nn, skb, &t, family == AF_INET ?
			sizeof(struct iphdr) : sizeof(struct ipv6hdr));
	kfree_skb(skb);
}

static void pmtu_learn_lower_clamp(struct kunit *test)
{
	static const u16 families[] = { AF_INET, AF_INET6 };
	const struct pmtu_quote esp = { .proto = IPPROTO_ESP, .spi = 0x1001 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(families); i++) {
		u16 f = families[i];
		u32 min = f == AF_INET ? 552 : 1280;
		struct pmtu_env e;

		pmtu_env_init(test, &e, f, 0, 0);
		KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.out), 0);
		pmtu_feed(test, &e, f, 1400, &esp);
		KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.out), 1400);
		/* A larger report does not raise it; a smaller one lowers it. */
		pmtu_feed(test, &e, f, 1450, &esp);
		KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.out), 1400);
		pmtu_feed(test, &e, f, 1350, &esp);
		KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.out), 1350);
		/* Never below what an IP path carries. */
		pmtu_feed(test, &e, f, 100, &esp);
		KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.out), min);
		KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.in), 0);
		pmtu_env_free(&e);
	}
}

/* Reports that do not quote the outbound SA exactly teach nothing. */
static void pmtu_refused(struct kunit *test)
{
	static const struct {
		const char *what;
		struct pmtu_quote q;
	} c[] = {
		{ "another SPI", { .proto = IPPROTO_ESP, .spi = 0x1002 } },
		{ "the inbound SA's SPI", { .proto = IPPROTO_ESP, .spi = 0x2002 } },
		{ "the inbound SA, from the peer",
		  { .proto = IPPROTO_ESP, .spi = 0x2002, .from_peer = true } },
		{ "AH", { .proto = IPPROTO_AH, .spi = 0x1001 } },
		{ "ESP in UDP", { .proto = IPPROTO_UDP, .spi = 0x1001,
				  .sport = htons(4500), .dport = htons(4500) } },
		{ "SPI cut short", { .proto = IPPROTO_ESP, .spi = 0x1001,
				     .cut = 6 } },
	};
	unsigned int i, f;

	for (f = 0; f < 2; f++) {
		u16 family = f ? AF_INET6 : AF_INET;
		struct pmtu_env e;

		pmtu_env_init(test, &e, family, 0, 0);
		for (i = 0; i < ARRAY_SIZE(c); i++) {
			pmtu_feed(test, &e, family, 1300, &c[i].q);
			KUNIT_EXPECT_EQ_MSG(test, nfsec_sa_pmtu(e.out), 0,
					    "%s, family %u", c[i].what, family);
		}
		pmtu_env_free(&e);
	}
	{
		/* RFC 792's routers say 0: nothing usable. */
		const struct pmtu_quote esp = { .proto = IPPROTO_ESP,
						.spi = 0x1001 };
		struct pmtu_env e;

		pmtu_env_init(test, &e, AF_INET, 0, 0);
		pmtu_feed(test, &e, AF_INET, 0, &esp);
		KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.out), 0);
		pmtu_env_free(&e);
	}
}

/* ESP in UDP: the ports must be the SA's; the IKE marker is not ESP. */
static void pmtu_encap(struct kunit *test)
{
	struct pmtu_quote q = { .proto = IPPROTO_UDP, .spi = 0x1001,
				.sport = htons(4500), .dport = htons(4501) };
	struct pmtu_env e;

	pmtu_env_init(test, &e, AF_INET, htons(4500), htons(4501));
	q.dport = htons(4500);
	pmtu_feed(test, &e, AF_INET, 1300, &q);
	KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.out), 0);
	q.dport = htons(4501);
	q.spi = 0;
	pmtu_feed(test, &e, AF_INET, 1300, &q);
	KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.out), 0);
	q.proto = IPPROTO_ESP;
	q.spi = 0x1001;
	pmtu_feed(test, &e, AF_INET, 1300, &q);
	KUNIT_EXPECT_EQ_MSG(test, nfsec_sa_pmtu(e.out), 0, "plain ESP");
	q.proto = IPPROTO_UDP;
	pmtu_feed(test, &e, AF_INET, 1300, &q);
	KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.out), 1300);
	pmtu_env_free(&e);
}

/* The value expires; a MOBIKE move forgets it. */
static void pmtu_expire_and_move(struct kunit *test)
{
	const struct pmtu_quote esp = { .proto = IPPROTO_ESP, .spi = 0x1001 };
	struct nfsec_sa_path path;
	struct pmtu_env e;

	pmtu_env_init(test, &e, AF_INET, 0, 0);
	pmtu_feed(test, &e, AF_INET, 1400, &esp);
	KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.out), 1400);
	WRITE_ONCE(e.out->pmtu_expires, jiffies - 1);
	KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.out), 0);
	/* Expired: a larger report counts again. */
	pmtu_feed(test, &e, AF_INET, 1450, &esp);
	KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.out), 1450);

	xk_set_addrs(&path, AF_INET);
	path.saddr.a4 = htonl(0xc0000209);
	KUNIT_ASSERT_EQ(test, nfsec_sad_update_path(e.nn->sad, e.out->spi,
						    AF_INET, &path.daddr,
						    IPPROTO_ESP, &path), 0);
	KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.out), 0);
	/* The old path's packets no longer name the SA. */
	pmtu_feed(test, &e, AF_INET, 1300, &esp);
	KUNIT_EXPECT_EQ(test, nfsec_sa_pmtu(e.out), 0);
	pmtu_env_free(&e);
}

static struct kunit_case nfsec_pmtu_cases[] = {
	KUNIT_CASE(pmtu_learn_lower_clamp),
	KUNIT_CASE(pmtu_refused),
	KUNIT_CASE(pmtu_encap),
	KUNIT_CASE(pmtu_expire_and_move),
	{}
};

static struct kunit_suite nfsec_pmtu_suite = {
	.name = "nfsec_pmtu",
	.test_cases = nfsec_pmtu_cases,
};
kunit_test_suite(nfsec_pmtu_suite);
