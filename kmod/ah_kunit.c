// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: AH. Round trips in every mode, the ICV's coverage of mutable and
 * immutable fields (IPv4 options, IPv6 extension headers), ESN, and
 * known-answer tests against packets captured from Linux XFRM.
 */
#include <kunit/test.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ah.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "main.h"
#include "ah.h"
#include "sad.h"
#include "xform_kunit.h"
#include "xfrm_vectors.h"

struct ah_alg {
	const char *name;
	const char *auth;
	u8 keylen;
	u8 icv_len;
};

static const struct ah_alg ah_algs[] = {
	{ "hmac-sha256-128", "hmac(sha256)", 32, 16 },
	{ "hmac-sha384-192", "hmac(sha384)", 48, 24 },
	{ "hmac-sha512-256", "hmac(sha512)", 64, 32 },
};

static void ah_alg_desc(const struct ah_alg *a, char *desc)
{
	strscpy(desc, a->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ah_alg, ah_algs, ah_alg_desc);

static void ah_pair_make(struct kunit *test, struct xk_pair *p,
			 const struct ah_alg *a, u8 mode, u16 outer, u32 flags)
{
	struct nfsec_sa_cfg *cfg = kunit_kzalloc(test, sizeof(*cfg),
						 GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	cfg->spi = htonl(0x1000abcd);
	cfg->proto = IPPROTO_AH;
	cfg->mode = mode;
	cfg->flags = flags;
	cfg->replay_window = 64;
	xk_set_addrs(&cfg->path, outer);
	strscpy(cfg->auth_name, a->auth, sizeof(cfg->auth_name));
	xk_auth_key(cfg->auth_key, a->keylen);
	cfg->auth_keylen = a->keylen;
	cfg->icv_len = a->icv_len;
	xk_pair_make(test, p, cfg);
}

static const struct {
	const char *name;
	u8 mode;
	u16 inner, outer;
} ah_modes[] = {
	{ "transport4", NFSEC_MODE_TRANSPORT, AF_INET, AF_INET },
	{ "transport6", NFSEC_MODE_TRANSPORT, AF_INET6, AF_INET6 },
	{ "tunnel4in4", NFSEC_MODE_TUNNEL, AF_INET, AF_INET },
	{ "tunnel6in6", NFSEC_MODE_TUNNEL, AF_INET6, AF_INET6 },
	{ "tunnel6in4", NFSEC_MODE_TUNNEL, AF_INET6, AF_INET },
	{ "tunnel4in6", NFSEC_MODE_TUNNEL, AF_INET, AF_INET6 },
};

static void ah_roundtrip(struct kunit *test)
{
	const struct ah_alg *a = test->param_value;
	struct sk_buff *orig, *skb;
	struct xk_pair p;
	unsigned int m;

	for (m = 0; m < ARRAY_SIZE(ah_modes); m++) {
		u16 outer = ah_modes[m].outer;

		ah_pair_make(test, &p, a, ah_modes[m].mode, outer, 0);
		orig = xk_udp_packet(test, ah_modes[m].inner, 77);
		skb = skb_copy(orig, GFP_KERNEL);
		KUNIT_ASSERT_EQ(test, nfsec_ah_output(p.out, skb, NULL, NULL),
				0);
		KUNIT_EXPECT_EQ(test, xk_check_ip(skb), 0);
		KUNIT_EXPECT_EQ(test, skb->len,
				orig->len + nfsec_ah_hlen(p.out,
							  outer == AF_INET6) +
				(ah_modes[m].mode == NFSEC_MODE_TUNNEL ?
				 (outer == AF_INET ? 20U : 40U) : 0U));
		KUNIT_EXPECT_EQ(test, ip_auth_hdr(skb)->spi, htonl(0x1000abcd));
		xk_as_received(skb);
		KUNIT_EXPECT_EQ_MSG(test, nfsec_ah_input(p.in, skb, NULL, NULL),
				    0, "%s", ah_modes[m].name);
		KUNIT_EXPECT_TRUE_MSG(test, xk_skb_equal(skb, orig), "%s",
				      ah_modes[m].name);
		kfree_skb(skb);
		kfree_skb(orig);
		xk_pair_free(&p);
	}
}

/* IPv4 with Record Route (mutable) and NOP: 28-byte header. */
static struct sk_buff *ah_v4_options(struct kunit *test)
{
	static const u8 pkt[] = {
		0x47, 0xb9, 0x00, 0x34, 0x42, 0x42, 0x40, 0x00,
		0x21, 0x11, 0x00, 0x00, 0xc0, 0x00, 0x02, 0x01,
		0xc0, 0x00, 0x02, 0x02,
		0x07, 0x07, 0x04, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x0f, 0xa0, 0x13, 0x88, 0x00, 0x18, 0x00, 0x00,
		'n', 'f', 's', 'e', 'c', ' ', 'A', 'H',
		' ', 'o', 'p', 't', 'i', 'o', 'n', 's',
	};
	struct sk_buff *skb = xk_skb_from(test, pkt, sizeof(pkt));

	ip_send_check(ip_hdr(skb));
	return skb;
}

/* IPv6 with hop-by-hop (mutable 0x3e) and destination (0x1e) options. */
static struct sk_buff *ah_v6_options(struct kunit *test)
{
	static const u8 pkt[] = {
		0x6b, 0x91, 0x23, 0x45, 0x00, 0x24, 0x00, 0x21,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		0x3c, 0x00, 0x3e, 0x02, 0xaa, 0xbb, 0x01, 0x00,
		0x11, 0x00, 0x1e, 0x02, 0xcc, 0xdd, 0x01, 0x00,
		0x0f, 0xa0, 0x13, 0x88, 0x00, 0x14, 0x00, 0x00,
		'n', 'f', 's', 'e', 'c', ' ', 'A', 'H', 'v', '6', ' ', '!',
	};

	return xk_skb_from(test, pkt, sizeof(pkt));
}

/* Offsets in the packets above, after AH output (transport mode). */
enum { V4_TOS = 1, V4_FRAG = 6, V4_TTL = 8, V4_DADDR = 19, V4_RR = 23 };
enum { V6_TC = 0, V6_FL = 3, V6_HOPS = 7, V6_DADDR = 39 };
enum { V6_HBH_DATA = 44, V6_DST_DATA = 52 };
#define MUT_NONE	(~0U)	/* change nothing */
#define MUT_LAST	(~1U)	/* the last byte of the payload */

struct ah_mut {
	const char *what;
	unsigned int off;
	int expect;
};

static void ah_mutable_one(struct kunit *test, const struct ah_alg *a,
			   bool v6, const struct ah_mut *muts, unsigned int n)
{
	struct sk_buff *orig, *sent, *skb;
	struct xk_pair p;
	unsigned int i;

	ah_pair_make(test, &p, a, NFSEC_MODE_TRANSPORT,
		     v6 ? AF_INET6 : AF_INET, 0);
	orig = v6 ? ah_v6_options(test) : ah_v4_options(test);
	sent = skb_copy(orig, GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, nfsec_ah_output(p.out, sent, NULL, NULL), 0);
	xk_as_received(sent);
	/* AH goes after the IPv4 options, after both IPv6 option headers. */
	KUNIT_EXPECT_EQ(test, skb_transport_offset(sent), v6 ? 56 : 28);
	for (i = 0; i < n; i++) {
		unsigned int off = muts[i].off;

		skb = skb_copy(sent, GFP_KERNEL);
		if (off == MUT_LAST)
			off = skb->len - 1;
		if (off != MUT_NONE)
			skb->data[off] ^= 0x04;
		if (!v6 && off < 20)
			ip_send_check(ip_hdr(skb));
		/* Each case with a fresh window: packets share a number. */
		nfsec_replay_free(p.in->replay);
		p.in->replay = nfsec_replay_alloc(64, false, GFP_KERNEL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(p.in->replay));
		KUNIT_EXPECT_EQ_MSG(test, nfsec_ah_input(p.in, skb, NULL, NULL),
				    muts[i].expect, "%s", muts[i].what);
		if (!muts[i].expect && off != MUT_NONE && off >= (v6 ? 40 : 20))
			/* A mutable option: its change survives. */
			KUNIT_EXPECT_EQ(test, skb->data[off],
					(u8)(orig->data[off] ^ 0x04));
		kfree_skb(skb);
	}
	kfree_skb(sent);
	kfree_skb(orig);
	xk_pair_free(&p);
}

static void ah_mutable_fields(struct kunit *test)
{
	static const struct ah_mut m4[] = {
		{ "nothing", MUT_NONE, 0 },
		{ "tos", V4_TOS, 0 },
		{ "fragment flags", V4_FRAG, 0 },
		{ "ttl", V4_TTL, 0 },
		{ "record route data", V4_RR, 0 },
		{ "daddr", V4_DADDR, -EBADMSG },
		{ "udp payload", MUT_LAST, -EBADMSG },
	};
	static const struct ah_mut m6[] = {
		{ "traffic class", V6_TC, 0 },
		{ "flow label", V6_FL, 0 },
		{ "hop limit", V6_HOPS, 0 },
		{ "mutable hop-by-hop option", V6_HBH_DATA, 0 },
		{ "daddr", V6_DADDR, -EBADMSG },
		{ "immutable destination option", V6_DST_DATA, -EBADMSG },
		{ "udp payload", MUT_LAST, -EBADMSG },
	};
	const struct ah_alg *a = test->param_value;

	ah_mutable_one(test, a, false, m4, ARRAY_SIZE(m4));
	ah_mutable_one(test, a, true, m6, ARRAY_SIZE(m6));
}

static void ah_esn_and_drops(struct kunit *test)
{
	struct sk_buff *orig, *skb, *copy;
	struct nfsec_sa_stats st;
	struct xk_pair p;

	ah_pair_make(test, &p, &ah_algs[0], NFSEC_MODE_TUNNEL, AF_INET,
		     NFSEC_SA_F_ESN);
	KUNIT_ASSERT_EQ(test, nfsec_replay_advance(p.in->replay,
						   0x300000000ULL),
			NFSEC_REPLAY_OK);
	nfsec_seq_init(&p.out->seq, true, 0x300000009ULL);
	orig = xk_udp_packet(test, AF_INET, 40);
	skb = skb_copy(orig, GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, nfsec_ah_output(p.out, skb, NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, ip_auth_hdr(skb)->seq_no, htonl(10));
	xk_as_received(skb);
	copy = skb_copy(skb, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, nfsec_ah_input(p.in, skb, NULL, NULL), 0);
	KUNIT_EXPECT_TRUE(test, xk_skb_equal(skb, orig));
	kfree_skb(skb);
	/* Replayed, truncated, bad ICV. */
	skb = skb_copy(copy, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, nfsec_ah_input(p.in, skb, NULL, NULL),
			-EALREADY);
	kfree_skb(skb);
	skb = skb_copy(copy, GFP_KERNEL);
	skb_trim(skb, 20 + 20);
	KUNIT_EXPECT_EQ(test, nfsec_ah_input(p.in, skb, NULL, NULL), -EPROTO);
	kfree_skb(skb);
	nfsec_replay_free(p.in->replay);
	p.in->replay = nfsec_replay_alloc(64, true, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(p.in->replay));
	/* Window in subspace 0: the hashed high bits differ. */
	KUNIT_EXPECT_EQ(test, nfsec_ah_input(p.in, copy, NULL, NULL),
			-EBADMSG);
	nfsec_sa_stats_fold(p.in, &st);
	KUNIT_EXPECT_EQ(test, st.drop[NFSEC_SA_DROP_REPLAY], 1ULL);
	KUNIT_EXPECT_EQ(test, st.drop[NFSEC_SA_DROP_MALFORMED], 1ULL);
	KUNIT_EXPECT_EQ(test, st.drop[NFSEC_SA_DROP_AUTH], 1ULL);
	kfree_skb(copy);
	kfree_skb(orig);
	xk_pair_free(&p);
}

/*
 * Known answers from Linux XFRM: the ICV XFRM computed verifies, with the
 * mutable fields as they were on the wire; in transport mode nfsec's own
 * output for the recovered packet is XFRM's packet but for the ICV field
 * (XFRM's ICV padding is junk, and the ICV covers it). In tunnel mode the
 * outer IPv4 ID, which AH covers, is chosen per packet: verify only.
 */
struct ah_kat {
	const char *name;
	unsigned int alg;	/* ah_algs[] */
	unsigned int mode;	/* ah_modes[] */
	const char *hex;
};

static const struct ah_kat ah_kats[] = {
	{ "ah_sha256_trans4", 0, 0, XFRM_KAT_AH_SHA256_TRANS4 },
	{ "ah_sha384_tun4", 1, 2, XFRM_KAT_AH_SHA384_TUN4 },
	{ "ah_sha512_trans6", 2, 1, XFRM_KAT_AH_SHA512_TRANS6 },
	{ "ah_sha256_tun6", 0, 3, XFRM_KAT_AH_SHA256_TUN6 },
};

static void ah_kat_desc(const struct ah_kat *k, char *desc)
{
	strscpy(desc, k->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ah_kat, ah_kats, ah_kat_desc);

static void ah_kat(struct kunit *test)
{
	const struct ah_kat *k = test->param_value;
	unsigned int len, off, icv_end;
	struct sk_buff *skb;
	struct xk_pair p;
	u8 *pkt;

	len = xk_hex2bin(test, k->hex, &pkt);
	ah_pair_make(test, &p, &ah_algs[k->alg], ah_modes[k->mode].mode,
		     ah_modes[k->mode].outer, 0);
	skb = xk_skb_from(test, pkt, len);
	xk_as_received(skb);
	KUNIT_ASSERT_EQ(test, nfsec_ah_input(p.in, skb, NULL, NULL), 0);
	KUNIT_EXPECT_TRUE(test, xk_kat_payload(skb, k->name));
	if (ah_modes[k->mode].mode == NFSEC_MODE_TRANSPORT) {
		KUNIT_ASSERT_EQ(test, nfsec_ah_output(p.out, skb, NULL, NULL),
				0);
		/*
		 * The same bytes but for the ICV field: XFRM leaves junk in
		 * its padding, and the ICV covers it.
		 */
		off = skb_transport_offset(skb);
		icv_end = off + nfsec_ah_hlen(p.out, true);
		KUNIT_EXPECT_EQ(test, skb->len, len);
		KUNIT_EXPECT_TRUE_MSG(test, xk_skb_equal_buf(skb, 0, pkt,
							     off + 12),
				      "headers differ from XFRM's");
		KUNIT_EXPECT_TRUE_MSG(test, xk_skb_equal_buf(skb, icv_end,
							     pkt + icv_end,
							     len - icv_end),
				      "payload differs from XFRM's");
	}
	kfree_skb(skb);
	xk_pair_free(&p);
}

static struct kunit_case nfsec_ah_cases[] = {
	KUNIT_CASE_PARAM(ah_roundtrip, ah_alg_gen_params),
	KUNIT_CASE_PARAM(ah_mutable_fields, ah_alg_gen_params),
	KUNIT_CASE(ah_esn_and_drops),
	KUNIT_CASE_PARAM(ah_kat, ah_kat_gen_params),
	{}
};

static struct kunit_suite nfsec_ah_suite = {
	.name = "nfsec_ah",
	.test_cases = nfsec_ah_cases,
};
kunit_test_suite(nfsec_ah_suite);
