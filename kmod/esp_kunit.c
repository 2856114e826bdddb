// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: ESP. Round trips for every algorithm in every mode and family mix,
 * asynchronous completion, drops counted by reason, and known-answer tests
 * against packets captured from Linux XFRM (esp_vectors.h).
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/esp.h>
#include <net/ip.h>

#include "main.h"
#include "esp.h"
#include "sad.h"
#include "xform_kunit.h"
#include "xfrm_vectors.h"

static const u8 k_enc[] = {	/* 00 01 02 ... 3f */
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
	0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
	0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
};

static const u8 k_salt[] = { 0xca, 0xfe, 0xba, 0xbe };

struct esp_alg {
	const char *name;
	const char *aead;	/* or enc + auth */
	const char *enc;
	const char *auth;
	u8 enc_keylen;		/* without the salt */
	u8 auth_keylen;
	u8 icv_len;
	bool salt;
	bool async;	/* the AEAD completes asynchronously */
};

static const struct esp_alg esp_algs[] = {
	{ "aes128gcm16", "rfc4106(gcm(aes))", NULL, NULL, 16, 0, 16, true },
	{ "aes192gcm12", "rfc4106(gcm(aes))", NULL, NULL, 24, 0, 12, true },
	{ "aes256gcm8", "rfc4106(gcm(aes))", NULL, NULL, 32, 0, 8, true },
	{ "chacha20poly1305", "rfc7539esp(chacha20,poly1305)", NULL, NULL,
	  32, 0, 16, true },
	{ "aes128-sha256", NULL, "cbc(aes)", "hmac(sha256)", 16, 32, 16 },
	{ "aes256-sha512", NULL, "cbc(aes)", "hmac(sha512)", 32, 64, 32 },
	{ "aes128gmac", "rfc4543(gcm(aes))", NULL, NULL, 16, 0, 16, true },
	{ "null-sha256", NULL, "ecb(cipher_null)", "hmac(sha256)", 0, 32, 16 },
	/* GCM over an asynchronous (cryptd) CTR: completions come later. */
	{ "async-aes128gcm16",
	  "rfc4106(gcm_base(cryptd(ctr(aes-generic)),ghash-generic))", NULL,
	  NULL, 16, 0, 16, true, true },
};

static void esp_alg_desc(const struct esp_alg *a, char *desc)
{
	strscpy(desc, a->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(esp_alg, esp_algs, esp_alg_desc);

static void esp_cfg_alg(struct nfsec_sa_cfg *cfg, const struct esp_alg *a)
{
	if (a->aead) {
		strscpy(cfg->aead_name, a->aead, sizeof(cfg->aead_name));
	} else {
		strscpy(cfg->enc_name, a->enc, sizeof(cfg->enc_name));
		strscpy(cfg->auth_name, a->auth, sizeof(cfg->auth_name));
	}
	memcpy(cfg->enc_key, k_enc, a->enc_keylen);
	cfg->enc_keylen = a->enc_keylen;
	if (a->salt) {
		memcpy(cfg->enc_key + a->enc_keylen, k_salt, sizeof(k_salt));
		cfg->enc_keylen += sizeof(k_salt);
	}
	xk_auth_key(cfg->auth_key, a->auth_keylen);
	cfg->auth_keylen = a->auth_keylen;
	cfg->icv_len = a->icv_len;
}

struct esp_mode {
	const char *name;
	u8 mode;
	u16 inner;	/* family of the packet */
	u16 outer;	/* family of the SA's addresses */
};

static const struct esp_mode esp_modes[] = {
	{ "transport4", NFSEC_MODE_TRANSPORT, AF_INET, AF_INET },
	{ "transport6", NFSEC_MODE_TRANSPORT, AF_INET6, AF_INET6 },
	{ "tunnel4in4", NFSEC_MODE_TUNNEL, AF_INET, AF_INET },
	{ "tunnel6in6", NFSEC_MODE_TUNNEL, AF_INET6, AF_INET6 },
	{ "tunnel6in4", NFSEC_MODE_TUNNEL, AF_INET6, AF_INET },
	{ "tunnel4in6", NFSEC_MODE_TUNNEL, AF_INET, AF_INET6 },
};

static struct nfsec_sa_cfg *esp_cfg(struct kunit *test,
				    const struct esp_alg *a,
				    const struct esp_mode *m, u32 flags)
{
	struct nfsec_sa_cfg *cfg = kunit_kzalloc(test, sizeof(*cfg),
						 GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	cfg->spi = htonl(0x1000abcd);
	cfg->proto = IPPROTO_ESP;
	cfg->mode = m->mode;
	cfg->flags = flags;
	cfg->replay_window = 64;
	xk_set_addrs(&cfg->path, m->outer);
	esp_cfg_alg(cfg, a);
	return cfg;
}

static void esp_pair_make(struct kunit *test, struct xk_pair *p,
			  const struct esp_alg *a, const struct esp_mode *m,
			  u32 flags)
{
	xk_pair_make(test, p, esp_cfg(test, a, m, flags));
}

static void esp_roundtrip_one(struct kunit *test, const struct esp_alg *a,
			      const struct esp_mode *m, unsigned int plen,
			      u32 flags)
{
	struct sk_buff *skb, *orig;
	struct nfsec_sa_stats st;
	struct xk_pair p;
	unsigned int len;
	u8 *buf;

	esp_pair_make(test, &p, a, m, flags);
	orig = xk_udp_packet(test, m->inner, plen);
	skb = skb_copy(orig, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ_MSG(test, xk_esp_run(true, p.out, skb), 0, "%s %s",
			    a->name, m->name);

	/* The outer packet: headers, SPI, sequence number, lengths. */
	len = skb->len;
	buf = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, 0, buf, len), 0);
	KUNIT_EXPECT_EQ(test, ip_esp_hdr(skb)->spi, htonl(0x1000abcd));
	KUNIT_EXPECT_EQ(test, ip_esp_hdr(skb)->seq_no, htonl(1));
	KUNIT_EXPECT_EQ(test, xk_check_ip(skb), 0);
	KUNIT_EXPECT_EQ(test, (skb->len - skb_transport_offset(skb) - 8 -
			       p.out->iv_len - p.out->icv_len) % 4, 0U);

	xk_as_received(skb);
	KUNIT_ASSERT_EQ_MSG(test, xk_esp_run(false, p.in, skb), 0, "%s %s",
			    a->name, m->name);
	KUNIT_EXPECT_EQ(test, skb->len, orig->len);
	KUNIT_EXPECT_TRUE_MSG(test, xk_skb_equal(skb, orig), "%s %s",
			      a->name, m->name);
	nfsec_sa_stats_fold(p.in, &st);
	KUNIT_EXPECT_EQ(test, st.packets, 1ULL);
	KUNIT_EXPECT_EQ(test, st.bytes, (u64)orig->len);
	kfree_skb(skb);
	kfree_skb(orig);
	xk_pair_free(&p);
}

/* Skip an algorithm this kernel cannot build; check async is async. */
static void esp_need(struct kunit *test, const struct esp_alg *a)
{
	char name[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *tfm;

	if (!a->async)
		return;
	snprintf(name, sizeof(name), "seqiv(%s)", a->aead);
	tfm = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(tfm))
		kunit_skip(test, "%s: %ld", name, PTR_ERR(tfm));
	KUNIT_EXPECT_TRUE(test, crypto_aead_tfm(tfm)->__crt_alg->cra_flags &
				CRYPTO_ALG_ASYNC);
	crypto_free_aead(tfm);
}

static void esp_roundtrip(struct kunit *test)
{
	const struct esp_alg *a = test->param_value;
	static const unsigned int lens[] = { 0, 1, 13, 64, 1400 };
	unsigned int m, l;

	esp_need(test, a);
	for (m = 0; m < ARRAY_SIZE(esp_modes); m++)
		for (l = 0; l < ARRAY_SIZE(lens); l++)
			esp_roundtrip_one(test, a, &esp_modes[m], lens[l], 0);
	/* ESN (authencesn for the authenc algorithms). */
	esp_roundtrip_one(test, a, &esp_modes[0], 100, NFSEC_SA_F_ESN);
	esp_roundtrip_one(test, a, &esp_modes[4], 100, NFSEC_SA_F_ESN);
}

/* ESN: the high bits are authenticated but not sent. */
static void esp_esn_high_bits(struct kunit *test)
{
	const struct esp_alg *a = test->param_value;
	struct sk_buff *skb, *orig;
	struct xk_pair p;
	u64 seq;

	esp_need(test, a);
	esp_pair_make(test, &p, a, &esp_modes[2], NFSEC_SA_F_ESN);
	/* The receiver's window sits just below 2^32 + 3... */
	KUNIT_ASSERT_EQ(test, nfsec_replay_advance(p.in->replay,
						   0x100000000ULL),
			NFSEC_REPLAY_OK);
	/* ...and the sender sends 2^32 + 3. */
	nfsec_seq_init(&p.out->seq, true, 0x100000002ULL);
	orig = xk_udp_packet(test, AF_INET, 50);
	skb = skb_copy(orig, GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, xk_esp_run(true, p.out, skb), 0);
	KUNIT_EXPECT_EQ(test, ip_esp_hdr(skb)->seq_no, htonl(3));
	xk_as_received(skb);
	KUNIT_EXPECT_EQ(test, xk_esp_run(false, p.in, skb), 0);
	KUNIT_EXPECT_TRUE(test, xk_skb_equal(skb, orig));
	KUNIT_EXPECT_EQ(test, p.in->replay->top, 0x100000003ULL);
	kfree_skb(skb);

	/* Received while the window is still in subspace 0: ICV fails. */
	nfsec_replay_free(p.in->replay);
	p.in->replay = nfsec_replay_alloc(64, true, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(p.in->replay));
	KUNIT_ASSERT_EQ(test, nfsec_replay_advance(p.in->replay, 0xfffffff0),
			NFSEC_REPLAY_OK);
	nfsec_seq_init(&p.out->seq, true, 0x1fffffff0ULL);
	skb = skb_copy(orig, GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, xk_esp_run(true, p.out, skb), 0);
	xk_as_received(skb);
	/* 0xfffffff1 reads as 2^32 - 15, not 2^33 - 15. */
	KUNIT_EXPECT_EQ(test, nfsec_replay_check(p.in->replay, 0xfffffff1,
						 &seq), NFSEC_REPLAY_OK);
	KUNIT_EXPECT_EQ(test, seq, 0xfffffff1ULL);
	KUNIT_EXPECT_EQ(test, xk_esp_run(false, p.in, skb), -EBADMSG);
	kfree_skb(skb);
	kfree_skb(orig);
	xk_pair_free(&p);
}

/* Each bad packet is dropped and counted under its own reason. */
static void esp_drops_counted(struct kunit *test)
{
	const struct esp_alg *a = &esp_algs[0];
	struct sk_buff *orig, *good, *skb;
	struct nfsec_sa_stats st;
	struct xk_pair p;
	unsigned int off;

	esp_pair_make(test, &p, a, &esp_modes[2], 0);
	orig = xk_udp_packet(test, AF_INET, 100);
	good = skb_copy(orig, GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, xk_esp_run(true, p.out, good), 0);
	xk_as_received(good);
	off = skb_transport_offset(good);

	/* A flipped bit in the ciphertext: authentication failure. */
	skb = skb_copy(good, GFP_KERNEL);
	skb->data[off + 8 + 8 + 5] ^= 0x10;
	KUNIT_EXPECT_EQ(test, xk_esp_run(false, p.in, skb), -EBADMSG);
	kfree_skb(skb);
	/* A flipped bit in the ICV. */
	skb = skb_copy(good, GFP_KERNEL);
	skb->data[skb->len - 1] ^= 0x01;
	KUNIT_EXPECT_EQ(test, xk_esp_run(false, p.in, skb), -EBADMSG);
	kfree_skb(skb);
	/* A flipped bit in the sequence number (authenticated data). */
	skb = skb_copy(good, GFP_KERNEL);
	skb->data[off + 7] ^= 0x02;
	KUNIT_EXPECT_EQ(test, xk_esp_run(false, p.in, skb), -EBADMSG);
	kfree_skb(skb);
	/* Truncated: headers only, then one byte short of a block. */
	skb = skb_copy(good, GFP_KERNEL);
	skb_trim(skb, off + 8 + 8 + 10);
	KUNIT_EXPECT_EQ(test, xk_esp_run(false, p.in, skb), -EPROTO);
	kfree_skb(skb);
	skb = skb_copy(good, GFP_KERNEL);
	skb_trim(skb, skb->len - 1);
	KUNIT_EXPECT_EQ(test, xk_esp_run(false, p.in, skb), -EPROTO);
	kfree_skb(skb);
	skb = skb_copy(good, GFP_KERNEL);
	skb_trim(skb, off + 4);
	KUNIT_EXPECT_EQ(test, xk_esp_run(false, p.in, skb), -EPROTO);
	kfree_skb(skb);
	/* The good one passes once; its replay is refused. */
	skb = skb_copy(good, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, xk_esp_run(false, p.in, skb), 0);
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, xk_esp_run(false, p.in, good), -EALREADY);

	nfsec_sa_stats_fold(p.in, &st);
	KUNIT_EXPECT_EQ(test, st.drop[NFSEC_SA_DROP_AUTH], 3ULL);
	KUNIT_EXPECT_EQ(test, st.drop[NFSEC_SA_DROP_MALFORMED], 3ULL);
	KUNIT_EXPECT_EQ(test, st.drop[NFSEC_SA_DROP_REPLAY], 1ULL);
	KUNIT_EXPECT_EQ(test, st.packets, 1ULL);
	kfree_skb(good);
	kfree_skb(orig);
	xk_pair_free(&p);
}

/* The outbound counter never wraps: the last number, then refusals. */
static void esp_seq_exhaustion(struct kunit *test)
{
	struct sk_buff *orig, *skb;
	struct nfsec_sa_stats st;
	struct xk_pair p;

	esp_pair_make(test, &p, &esp_algs[0], &esp_modes[2], 0);
	nfsec_seq_init(&p.out->seq, false, U32_MAX - 1);
	orig = xk_udp_packet(test, AF_INET, 10);
	skb = skb_copy(orig, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, xk_esp_run(true, p.out, skb), 0);
	KUNIT_EXPECT_EQ(test, ip_esp_hdr(skb)->seq_no, htonl(U32_MAX));
	kfree_skb(skb);
	skb = skb_copy(orig, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, xk_esp_run(true, p.out, skb), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, xk_esp_run(true, p.out, skb), -EOVERFLOW);
	KUNIT_EXPECT_TRUE(test, test_bit(NFSEC_SA_HARD_HIT, &p.out->state));
	nfsec_sa_stats_fold(p.out, &st);
	KUNIT_EXPECT_EQ(test, st.drop[NFSEC_SA_DROP_SEQ_OVERFLOW], 2ULL);
	kfree_skb(skb);
	kfree_skb(orig);
	xk_pair_free(&p);
}

/* TFC padding (tunnel mode) is sent and stripped on receipt. */
static void esp_tfc_padding(struct kunit *test)
{
	struct sk_buff *orig, *skb;
	struct xk_pair p;
	unsigned int plain;

	esp_pair_make(test, &p, &esp_algs[0], &esp_modes[2], 0);
	p.out->tfc_pad = 500;
	orig = xk_udp_packet(test, AF_INET, 10);
	skb = skb_copy(orig, GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, xk_esp_run(true, p.out, skb), 0);
	plain = skb->len - sizeof(struct iphdr) - 8 - 8 - 16;
	KUNIT_EXPECT_EQ(test, plain, ALIGN(500U + 2, 4));
	xk_as_received(skb);
	KUNIT_EXPECT_EQ(test, xk_esp_run(false, p.in, skb), 0);
	KUNIT_EXPECT_TRUE(test, xk_skb_equal(skb, orig));
	kfree_skb(skb);
	kfree_skb(orig);
	xk_pair_free(&p);
}

/* A CHECKSUM_PARTIAL packet is resolved before it is encrypted. */
static void esp_checksum_partial(struct kunit *test)
{
	struct sk_buff *orig, *skb;
	struct xk_pair p;
	struct udphdr *uh;

	esp_pair_make(test, &p, &esp_algs[0], &esp_modes[2], 0);
	orig = xk_udp_packet(test, AF_INET, 100);
	skb = skb_copy(orig, GFP_KERNEL);
	uh = (struct udphdr *)(skb->data + sizeof(struct iphdr));
	uh->check = ~csum_tcpudp_magic(ip_hdr(skb)->saddr, ip_hdr(skb)->daddr,
				       ntohs(uh->len), IPPROTO_UDP, 0);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_headroom(skb) + sizeof(struct iphdr);
	skb->csum_offset = offsetof(struct udphdr, check);
	KUNIT_ASSERT_EQ(test, xk_esp_run(true, p.out, skb), 0);
	xk_as_received(skb);
	KUNIT_ASSERT_EQ(test, xk_esp_run(false, p.in, skb), 0);
	uh = (struct udphdr *)(skb->data + sizeof(struct iphdr));
	KUNIT_EXPECT_NE(test, uh->check, 0);
	KUNIT_EXPECT_EQ(test, csum_tcpudp_magic(ip_hdr(skb)->saddr,
						ip_hdr(skb)->daddr,
						ntohs(uh->len), IPPROTO_UDP,
						skb_checksum(skb,
							     sizeof(struct iphdr),
							     ntohs(uh->len),
							     0)),
			0);
	kfree_skb(skb);
	kfree_skb(orig);
	xk_pair_free(&p);
}

/*
 * Known answers from Linux XFRM: nfsec must decrypt what XFRM sent, and,
 * given the same IV (the raw transform, no IV generator), send exactly the
 * bytes XFRM sent.
 */
struct esp_kat {
	const char *name;
	unsigned int alg;	/* esp_algs[] */
	unsigned int mode;	/* esp_modes[] */
	u32 flags;
	u64 seq;
	const char *hex;
};

static const struct esp_kat esp_kats[] = {
	{ "gcm128_tun4", 0, 2, 0, 1, XFRM_KAT_GCM128_TUN4 },
	{ "gcm256_icv8_trans4", 2, 0, 0, 1, XFRM_KAT_GCM256_ICV8_TRANS4 },
	{ "gcm192_icv12_trans6", 1, 1, 0, 1, XFRM_KAT_GCM192_ICV12_TRANS6 },
	{ "chacha_tun6in4", 3, 4, 0, 1, XFRM_KAT_CHACHA_TUN6IN4 },
	{ "cbc_sha256_tun4in6", 4, 5, 0, 1, XFRM_KAT_CBC_SHA256_TUN4IN6 },
	{ "cbc_sha512_tun6", 5, 3, 0, 1, XFRM_KAT_CBC_SHA512_TUN6 },
	{ "gmac_trans4", 6, 0, 0, 1, XFRM_KAT_GMAC_TRANS4 },
	{ "null_sha256_trans4", 7, 0, 0, 1, XFRM_KAT_NULL_SHA256_TRANS4 },
	{ "gcm128_esn_tun4", 0, 2, NFSEC_SA_F_ESN, 0x1ffffffffULL,
	  XFRM_KAT_GCM128_ESN_TUN4 },
	{ "cbc_sha256_esn_trans4", 4, 0, NFSEC_SA_F_ESN, 0x200000006ULL,
	  XFRM_KAT_CBC_SHA256_ESN_TRANS4 },
};

static void esp_kat_desc(const struct esp_kat *k, char *desc)
{
	strscpy(desc, k->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(esp_kat, esp_kats, esp_kat_desc);

static void esp_kat(struct kunit *test)
{
	const struct esp_kat *k = test->param_value;
	const struct esp_mode *m = &esp_modes[k->mode];
	const struct esp_alg *a = &esp_algs[k->alg];
	unsigned int len, off, out_off;
	struct nfsec_sa_cfg *cfg;
	struct sk_buff *skb;
	struct nfsec_sa *raw;
	struct xk_pair p;
	u8 *pkt;

	len = xk_hex2bin(test, k->hex, &pkt);
	esp_pair_make(test, &p, a, m, k->flags);
	if (k->seq > 1)
		KUNIT_ASSERT_EQ(test, nfsec_replay_advance(p.in->replay,
							   k->seq - 1),
				NFSEC_REPLAY_OK);
	skb = xk_skb_from(test, pkt, len);
	xk_as_received(skb);
	off = skb_transport_offset(skb);
	KUNIT_ASSERT_EQ(test, xk_esp_run(false, p.in, skb), 0);
	KUNIT_EXPECT_TRUE(test, xk_kat_payload(skb, k->name));
	/* Nothing after it: padding and ICV are gone. */
	KUNIT_EXPECT_EQ(test, skb->len,
			(ip_hdr(skb)->version == 4 ? ip_hdrlen(skb) : 40U) + 8 +
			strlen("nfsec KAT ") + strlen(k->name));

	/* Again, the other way: the same IV must give the same bytes. */
	cfg = esp_cfg(test, a, m, k->flags);
	cfg->dir = NFSEC_DIR_OUT;
	cfg->raw_iv = true;
	cfg->seq = k->seq - 1;
	raw = nfsec_sa_create(p.sad, cfg);
	KUNIT_ASSERT_FALSE(test, IS_ERR(raw));
	memcpy(raw->raw_iv_bytes, pkt + off + 8, raw->iv_len);
	KUNIT_ASSERT_EQ(test, xk_esp_run(true, raw, skb), 0);
	out_off = skb_transport_offset(skb);
	KUNIT_EXPECT_EQ(test, skb->len - out_off, len - off);
	KUNIT_EXPECT_TRUE_MSG(test, xk_skb_equal_buf(skb, out_off, pkt + off,
						     len - off),
			      "ESP bytes differ from XFRM's");
	if (m->mode == NFSEC_MODE_TRANSPORT)
		KUNIT_EXPECT_TRUE_MSG(test, xk_skb_equal_buf(skb, 0, pkt, off),
				      "IP header differs from XFRM's");
	else
		KUNIT_EXPECT_EQ(test, xk_outer_diff(skb, pkt), 0);
	kfree_skb(skb);
	nfsec_sa_destroy(raw);
	xk_pair_free(&p);
}

static struct kunit_case nfsec_esp_cases[] = {
	KUNIT_CASE_PARAM(esp_roundtrip, esp_alg_gen_params),
	KUNIT_CASE_PARAM(esp_esn_high_bits, esp_alg_gen_params),
	KUNIT_CASE(esp_drops_counted),
	KUNIT_CASE(esp_seq_exhaustion),
	KUNIT_CASE(esp_tfc_padding),
	KUNIT_CASE(esp_checksum_partial),
	KUNIT_CASE_PARAM(esp_kat, esp_kat_gen_params),
	{}
};

static struct kunit_suite nfsec_esp_suite = {
	.name = "nfsec_esp",
	.test_cases = nfsec_esp_cases,
};
kunit_test_suite(nfsec_esp_suite);
