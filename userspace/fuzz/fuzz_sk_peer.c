// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for what a malicious peer controls after IKE_SA_INIT:
 * it knows SK_ai/SK_ei, so it can send any ciphertext with a valid ICV.
 * The fuzzer supplies IV and ciphertext; the target appends the right
 * HMAC (AES-CBC suites), so every input gets past the integrity check
 * into decryption, the Pad Length check and the parsing of the decrypted
 * inner chain, as the daemon does it: appended to the message that
 * carried the SK payload. (ikev2d's fuzz_sk uses keys the fuzzer cannot
 * forge for, so almost nothing it sends decrypts.)
 *
 * Input: byte 0 picks the suite, byte 1 is the first inner payload type,
 * the rest is IV | ciphertext.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "ike_crypto.h"
#include "ike_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static const struct {
	uint16_t bits, integ;
	const char *md;
} suites[] = {
	{ 128, IKE_INTEG_HMAC_SHA2_256_128, "SHA256" },
	{ 256, IKE_INTEG_HMAC_SHA2_512_256, "SHA512" },
	{ 192, IKE_INTEG_HMAC_SHA1_96, "SHA1" },
	{ 256, IKE_INTEG_HMAC_SHA2_384_192, "SHA384" },
};
#define N_SUITES (sizeof(suites) / sizeof(suites[0]))

static uint8_t ekey[32], akey[64];

/* IKE header and SK generic header for an SK body of len bytes. */
static void make_head(uint8_t *head, uint8_t first, size_t len)
{
	uint32_t total = IKE_HDR_LEN + IKE_GENERIC_HDR_LEN + len;

	memset(head, 0, IKE_HDR_LEN + IKE_GENERIC_HDR_LEN);
	memset(head, 0x11, 8);
	memset(head + 8, 0x22, 8);
	head[16] = IKE_PL_SK;
	head[17] = 0x20;
	head[18] = IKE_AUTH;
	head[19] = 0x08;
	head[23] = 1;
	head[24] = total >> 24;
	head[25] = total >> 16;
	head[26] = total >> 8;
	head[27] = total;
	head[28] = first;
	head[29] = 0x80;
	head[30] = (IKE_GENERIC_HDR_LEN + len) >> 8;
	head[31] = IKE_GENERIC_HDR_LEN + len;
}

/* The ICV the peer computes: HMAC over head | IV | ciphertext (contiguous
 * here: the body follows the head), truncated. */
static void icv(size_t s, const uint8_t *head, size_t len, uint8_t *out, size_t icv_len)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	CHECK(HMAC(EVP_get_digestbyname(suites[s].md), akey, ike_integ_key_len(suites[s].integ),
		   head, IKE_HDR_LEN + IKE_GENERIC_HDR_LEN + len, md, &mdlen) &&
	      mdlen >= icv_len);
	memcpy(out, md, icv_len);
}

static void init_sk(struct ike_sk *sk, size_t s)
{
	CHECK(!ike_sk_init(sk, IKE_ENCR_AES_CBC, suites[s].bits, suites[s].integ,
			   IKE_BUF(ekey, ike_encr_keymat_len(IKE_ENCR_AES_CBC, suites[s].bits)),
			   IKE_BUF(akey, ike_integ_key_len(suites[s].integ))));
}

/* The target's ICV must be ikev2d's, or it tests nothing: check once that
 * it matches what ike_sk_encrypt() writes. */
static void self_test(void)
{
	static const uint8_t pt[] = { 0, 0, 0, 6, 'h', 'i' }, iv[16] = { 1 };
	uint8_t buf[IKE_HDR_LEN + IKE_GENERIC_HDR_LEN + 256], want[64];
	uint8_t *head = buf, *body = buf + IKE_HDR_LEN + IKE_GENERIC_HDR_LEN;
	struct ike_sk sk;

	for (size_t s = 0; s < N_SUITES; s++) {
		size_t len;

		init_sk(&sk, s);
		len = ike_sk_body_len(&sk, sizeof(pt));
		make_head(head, IKE_PL_NONCE, len);
		CHECK(!ike_sk_encrypt(&sk, IKE_BUF(head, IKE_HDR_LEN + IKE_GENERIC_HDR_LEN), iv,
				      IKE_BUF(pt, sizeof(pt)), body, 256));
		icv(s, head, len - sk.icv_len, want, sk.icv_len);
		CHECK(!memcmp(want, body + len - sk.icv_len, sk.icv_len));
		ike_sk_clear(&sk);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t msg[IKE_HDR_LEN + IKE_GENERIC_HDR_LEN + 65536], pt[65536];
	static struct ike_msg m, inner;
	static bool tested;
	uint8_t *head = msg, *body = msg + IKE_HDR_LEN + IKE_GENERIC_HDR_LEN;
	size_t s, ct_len, body_len, pt_len;
	struct ike_sk sk;
	int ret;

	if (!tested) {
		memset(ekey, 0x42, sizeof(ekey));
		memset(akey, 0x24, sizeof(akey));
		self_test();
		tested = true;
	}
	if (size < 2)
		return 0;
	s = data[0] % N_SUITES;
	init_sk(&sk, s);
	ct_len = size - 2;
	body_len = ct_len + sk.icv_len;
	if (body_len > 60000) {
		ike_sk_clear(&sk);
		return 0;
	}
	make_head(head, data[1], body_len);
	memcpy(body, data + 2, ct_len);
	icv(s, head, ct_len, body + ct_len, sk.icv_len);

	ret = ike_sk_decrypt(&sk, IKE_BUF(head, IKE_HDR_LEN + IKE_GENERIC_HDR_LEN),
			     IKE_BUF(body, body_len), pt, sizeof(pt), &pt_len);
	ike_sk_clear(&sk);
	/* a valid ICV: only a short or unaligned body or a bad Pad Length
	 * may fail, and then nothing is returned */
	if (ret) {
		CHECK(pt_len == 0);
		return 0;
	}
	CHECK(ct_len >= sk.iv_len + sk.block && pt_len < ct_len - sk.iv_len);

	/* the datagram itself parses: one SK payload */
	CHECK(ike_msg_parse(msg, IKE_HDR_LEN + IKE_GENERIC_HDR_LEN + body_len, &m) == IKE_OK);
	CHECK(m.n == 1 && m.pl[0].type == IKE_PL_SK && m.pl[0].sk_first == data[1]);
	inner = m;
	if (ike_payloads_parse(data[1], pt, pt_len, &inner) != IKE_OK)
		return 0;
	for (unsigned int i = 1; i < inner.n; i++)
		CHECK(inner.pl[i].type != IKE_PL_SK &&
		      inner.pl[i].body.ptr >= pt && inner.pl[i].body.ptr + inner.pl[i].body.len <= pt + pt_len);
	return 0;
}
