// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for RFC 7383 reassembly as a malicious peer drives it:
 * it holds the SA's keys, so every fragment it sends authenticates. The
 * input is a sequence of fragments; the target encrypts each under fixed
 * AES-GCM keys (or, when asked, breaks its ICV) and runs it through what
 * ike_receive() does: message parsing, ike_frag_open(), ike_frag_add()
 * with small limits, and on completion ike_frag_assemble() and parsing
 * of the reassembled inner chain.
 *
 * Input: records of
 *   flags(1)  bit 0: break the ICV; bits 1-3: message ID; bits 4-7: time step
 *   num(2) total(2) first_np(1) len(1) plaintext(len)
 */
#include <stdlib.h>
#include <string.h>
#include "ike_frag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static const uint8_t key[20] = { 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0 };
static const struct ike_frag_limits lim = { .max_frags = 16, .max_len = 1024,
					     .timeout_ms = 1000 };

static size_t make(const struct ike_sk *sk, uint8_t *out, size_t cap, uint32_t mid,
		   uint16_t num, uint16_t total, uint8_t np, const uint8_t *pt, size_t len)
{
	static const uint8_t zeros[512];
	struct ike_hdr h = { .version = 0x20, .exchange = IKE_INFORMATIONAL, .msg_id = mid,
			     .flags = IKE_FLAG_INITIATOR };
	size_t blen = ike_sk_body_len(sk, len);
	struct ike_wbuf w;
	int n;

	memset(h.spi_i, 0x11, 8);
	memset(h.spi_r, 0x22, 8);
	ike_wbuf_init(&w, out, cap);
	ike_put_hdr(&w, &h);
	ike_put_skf(&w, np, num, total, IKE_BUF(zeros, blen));
	n = ike_wbuf_finish(&w);
	CHECK(n > 0);
	CHECK(!ike_sk_encrypt(sk, IKE_BUF(out, (size_t)n - blen), NULL, IKE_BUF(pt, len),
			      out + n - blen, blen));
	return (size_t)n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t dgram[1024], pt[2048], whole[IKE_FRAG_MAX_LEN];
	static struct ike_msg m;
	struct ike_frag_in st = { 0 };
	struct ike_sk sk;
	uint64_t now = 0;
	size_t off = 0;

	CHECK(!ike_sk_init(&sk, IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE, IKE_BUF(key, 20),
			   IKE_BUF(NULL, 0)));
	while (size - off >= 7) {
		const uint8_t *r = data + off;
		uint16_t num = (uint16_t)(r[1] << 8 | r[2]), total = (uint16_t)(r[3] << 8 | r[4]);
		size_t len = r[6], dlen, ptlen, wlen;
		const struct ike_payload *p;
		struct ike_skf f;
		uint8_t first;
		int ret;

		off += 7;
		if (len > size - off)
			len = size - off;
		now += (uint64_t)(r[0] >> 4) * 100;
		dlen = make(&sk, dgram, sizeof(dgram), (r[0] >> 1) & 7, num, total, r[5],
			    data + off, len);
		off += len;
		if (r[0] & 1)
			dgram[dlen - 1] ^= 1;
		ret = ike_msg_parse(dgram, dlen, &m);
		if (ret)
			continue;
		p = ike_msg_find(&m, IKE_PL_SKF);
		CHECK(p);
		ret = ike_frag_open(&sk, dgram, p->body, &f, pt, sizeof(pt), &ptlen);
		CHECK(!(r[0] & 1) || ret);	/* a broken ICV never opens */
		if (ret)
			continue;
		CHECK(ptlen == len && !memcmp(pt, data + off - len, len));
		ret = ike_frag_add(&st, &lim, m.hdr.msg_id, &f, p->sk_first, pt, ptlen, now);
		CHECK(st.len <= lim.max_len && st.have <= st.total && st.total <= lim.max_frags);
		if (ret != IKE_FRAG_COMPLETE)
			continue;
		CHECK(!ike_frag_assemble(&st, whole, sizeof(whole), &wlen, &first));
		CHECK(!st.active && wlen <= lim.max_len);
		ike_payloads_parse(first, whole, wlen, &m);
	}
	ike_frag_reset(&st);
	ike_sk_clear(&sk);
	return 0;
}
