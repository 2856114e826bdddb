// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RFC 7383 fragmentation: SKF encoding and parsing, fragmenting and
 * reassembling with AES-GCM and AES-CBC/HMAC-SHA2, and the hostile cases
 * of reassembly: bad Fragment Number / Total Fragments, duplicates,
 * fragments out of order, a lower or higher Total Fragments mid-way, too
 * many fragments, a reassembled message over the size limit, the timeout,
 * a forged or altered fragment (refused before it is kept).
 */
#include <errno.h>
#include "test_util.h"
#include "ike_frag.h"

static const struct ike_frag_limits lim = {
	.max_frags = IKE_FRAG_MAX, .max_len = IKE_FRAG_MAX_LEN, .timeout_ms = 1000,
};

static const uint8_t key[36] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				 17, 18, 19, 20 };
static const uint8_t akey[32] = { 0xa5, 0x5a };

static void sk_gcm(struct ike_sk *sk)
{
	assert_int_equal(ike_sk_init(sk, IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE,
				     IKE_BUF(key, 20), IKE_BUF(NULL, 0)), 0);
}

static void sk_cbc(struct ike_sk *sk)
{
	assert_int_equal(ike_sk_init(sk, IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128,
				     IKE_BUF(key, 16), IKE_BUF(akey, 32)), 0);
}

/* An inner payload chain of n bytes: one Vendor ID payload. */
static size_t inner(uint8_t *out, size_t n)
{
	assert_true(n >= 4 && n <= 0xffff);
	out[0] = IKE_PL_NONE;
	out[1] = 0;
	out[2] = n >> 8;
	out[3] = n & 0xff;
	for (size_t i = 4; i < n; i++)
		out[i] = (uint8_t)(i * 7);
	return n;
}

static const struct ike_hdr hdr = {
	.spi_i = { 1, 1, 1, 1, 1, 1, 1, 1 }, .spi_r = { 2, 2, 2, 2, 2, 2, 2, 2 },
	.version = 0x20, .exchange = IKE_AUTH, .flags = IKE_FLAG_INITIATOR, .msg_id = 1,
};

static uint8_t dgrams[IKE_FRAG_MAX * 1500];
static uint16_t lens[IKE_FRAG_MAX];
static size_t offs[IKE_FRAG_MAX];

static int build(const struct ike_sk *sk, const uint8_t *pt, size_t len, size_t max)
{
	int n = ike_frag_build(sk, &hdr, IKE_PL_VENDOR, IKE_BUF(pt, len), max, IKE_FRAG_MAX,
			       dgrams, sizeof(dgrams), lens);
	size_t off = 0;

	for (int i = 0; i < n; i++) {
		offs[i] = off;
		off += lens[i];
	}
	return n;
}

/* Parses fragment i and feeds it to st; returns ike_frag_add()'s result or
 * the error of parsing/opening. */
static int feed(const struct ike_sk *sk, struct ike_frag_in *st, int i, uint64_t now)
{
	static uint8_t pt[2000];
	static struct ike_msg m;
	const struct ike_payload *p;
	struct ike_skf f;
	size_t len;
	int ret;

	ret = ike_msg_parse(dgrams + offs[i], lens[i], &m);
	if (ret)
		return ret;
	p = ike_msg_find(&m, IKE_PL_SKF);
	assert_non_null(p);
	ret = ike_frag_open(sk, dgrams + offs[i], p->body, &f, pt, sizeof(pt), &len);
	if (ret)
		return ret;
	return ike_frag_add(st, &lim, m.hdr.msg_id, &f, p->sk_first, pt, len, now);
}

static void round_trip(const struct ike_sk *sk, size_t size, size_t max)
{
	static uint8_t pt[8192], out[IKE_FRAG_MAX_LEN];
	struct ike_frag_in st = { 0 };
	size_t len = inner(pt, size), olen;
	uint8_t first;
	int n = build(sk, pt, len, max);

	assert_true(n > 1);
	for (int i = 0; i < n; i++) {
		struct ike_msg m;
		struct ike_skf f;

		assert_true(lens[i] <= max);
		assert_int_equal(ike_msg_parse(dgrams + offs[i], lens[i], &m), 0);
		assert_int_equal(m.n, 1);
		assert_int_equal(m.pl[0].type, IKE_PL_SKF);
		assert_int_equal(m.pl[0].sk_first, i ? IKE_PL_NONE : IKE_PL_VENDOR);
		assert_int_equal(ike_parse_skf(m.pl[0].body, &f), 0);
		assert_int_equal(f.num, i + 1);
		assert_int_equal(f.total, n);
	}
	/* backwards: the order does not matter */
	for (int i = n - 1; i > 0; i--)
		assert_int_equal(feed(sk, &st, i, 0), IKE_FRAG_KEPT);
	assert_int_equal(feed(sk, &st, 0, 0), IKE_FRAG_COMPLETE);
	assert_int_equal(ike_frag_assemble(&st, out, sizeof(out), &olen, &first), 0);
	assert_int_equal(olen, len);
	assert_memory_equal(out, pt, len);
	assert_int_equal(first, IKE_PL_VENDOR);
	assert_false(st.active);
}

static void test_round_trip_gcm(void **state)
{
	struct ike_sk sk;

	sk_gcm(&sk);
	round_trip(&sk, 3000, 576);
	round_trip(&sk, 8000, 1252);
	round_trip(&sk, 100, 80);
}

static void test_round_trip_cbc(void **state)
{
	struct ike_sk sk;

	sk_cbc(&sk);
	round_trip(&sk, 3000, 576);
	round_trip(&sk, 5001, 1232);
}

static void test_build_limits(void **state)
{
	uint8_t pt[4000];
	struct ike_sk sk;

	sk_gcm(&sk);
	inner(pt, sizeof(pt));
	/* no room for a single byte of plaintext */
	assert_int_equal(build(&sk, pt, sizeof(pt), 40), -EMSGSIZE);
	/* more than IKE_FRAG_MAX fragments */
	assert_int_equal(build(&sk, pt, sizeof(pt), 90), -EMSGSIZE);
	/* no room in the output */
	assert_true(ike_frag_build(&sk, &hdr, IKE_PL_VENDOR, IKE_BUF(pt, sizeof(pt)), 576,
				   IKE_FRAG_MAX, dgrams, 1000, lens) < 0);
	assert_int_equal(ike_frag_room(1280, false, false), 1252);
	assert_int_equal(ike_frag_room(1280, true, true), 1228);
	assert_int_equal(ike_frag_room(20, false, false), 0);
}

static void test_duplicate_and_stale(void **state)
{
	uint8_t pt[3000];
	struct ike_frag_in st = { 0 };
	struct ike_sk sk;
	int n;

	sk_gcm(&sk);
	n = build(&sk, pt, inner(pt, sizeof(pt)), 576);
	assert_true(n >= 3);
	assert_int_equal(feed(&sk, &st, 1, 0), IKE_FRAG_KEPT);
	assert_int_equal(feed(&sk, &st, 1, 0), IKE_FRAG_DUPLICATE);
	assert_int_equal(st.have, 1);
	/* the sender refragments smaller (§2.6): more fragments, start over */
	{
		uint8_t keep[sizeof(dgrams)];
		uint16_t klens[IKE_FRAG_MAX];
		size_t koffs[IKE_FRAG_MAX];
		int n2;

		memcpy(keep, dgrams, sizeof(dgrams));
		memcpy(klens, lens, sizeof(lens));
		memcpy(koffs, offs, sizeof(offs));
		n2 = build(&sk, pt, sizeof(pt), 300);
		assert_true(n2 > n);
		assert_int_equal(feed(&sk, &st, 0, 0), IKE_FRAG_KEPT);
		assert_int_equal(st.total, n2);
		assert_int_equal(st.have, 1);
		/* a fragment of the larger fragmentation is now stale */
		memcpy(dgrams, keep, sizeof(dgrams));
		memcpy(lens, klens, sizeof(lens));
		memcpy(offs, koffs, sizeof(offs));
		assert_int_equal(feed(&sk, &st, 2, 0), IKE_FRAG_STALE);
		assert_int_equal(st.total, n2);
	}
	ike_frag_reset(&st);
}

static void test_forged_fragment(void **state)
{
	uint8_t pt[3000];
	struct ike_frag_in st = { 0 };
	struct ike_sk sk, other;
	int n;

	sk_cbc(&sk);
	n = build(&sk, pt, inner(pt, sizeof(pt)), 576);
	assert_int_equal(feed(&sk, &st, 0, 0), IKE_FRAG_KEPT);
	/* a flipped ciphertext byte, a changed Fragment Number, a changed
	 * Total Fragments: the ICV covers them, nothing is kept */
	dgrams[offs[1] + lens[1] - 20] ^= 1;
	assert_int_equal(feed(&sk, &st, 1, 0), -EBADMSG);
	dgrams[offs[1] + lens[1] - 20] ^= 1;
	dgrams[offs[1] + IKE_HDR_LEN + 5] = 3;	/* Fragment Number 3 instead of 2 */
	assert_int_equal(feed(&sk, &st, 1, 0), -EBADMSG);
	dgrams[offs[1] + IKE_HDR_LEN + 5] = 2;
	dgrams[offs[1] + IKE_HDR_LEN + 7] = (uint8_t)(n + 1);
	assert_int_equal(feed(&sk, &st, 1, 0), -EBADMSG);
	dgrams[offs[1] + IKE_HDR_LEN + 7] = (uint8_t)n;
	assert_int_equal(st.have, 1);
	assert_int_equal(st.total, n);
	/* under other keys */
	sk_gcm(&other);
	assert_true(feed(&other, &st, 1, 0) < 0);
	assert_int_equal(st.have, 1);
	assert_int_equal(feed(&sk, &st, 1, 0), IKE_FRAG_KEPT);
	ike_frag_reset(&st);
}

static void test_bad_numbers(void **state)
{
	static const struct {
		uint16_t num, total;
	} bad[] = { { 0, 1 }, { 1, 0 }, { 3, 2 }, { 0xffff, 1 } };
	uint8_t buf[128], body[40] = { 0 };
	struct ike_hdr h = hdr;
	struct ike_msg m;
	struct ike_wbuf w;
	int len;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		body[0] = bad[i].num >> 8;
		body[1] = bad[i].num & 0xff;
		body[2] = bad[i].total >> 8;
		body[3] = bad[i].total & 0xff;
		ike_wbuf_init(&w, buf, sizeof(buf));
		ike_put_hdr(&w, &h);
		ike_put_raw(&w, IKE_PL_SKF, false, IKE_BUF(body, sizeof(body)));
		len = ike_wbuf_finish(&w);
		assert_true(len > 0);
		assert_int_equal(ike_msg_parse(buf, (size_t)len, &m), IKE_ERR_SYNTAX);
	}
	/* an SKF body shorter than its numbers */
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_hdr(&w, &h);
	ike_put_raw(&w, IKE_PL_SKF, false, IKE_BUF(body, 3));
	len = ike_wbuf_finish(&w);
	assert_int_equal(ike_msg_parse(buf, (size_t)len, &m), IKE_ERR_TRUNCATED);
	/* SKF must be last, and never with SK */
	body[1] = 1;
	body[3] = 1;
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_hdr(&w, &h);
	ike_put_raw(&w, IKE_PL_SKF, false, IKE_BUF(body, 20));
	ike_put_raw(&w, IKE_PL_VENDOR, false, IKE_BUF(body, 4));
	len = ike_wbuf_finish(&w);
	assert_int_equal(ike_msg_parse(buf, (size_t)len, &m), IKE_ERR_SYNTAX);
	/* a reassembled chain that holds an SK or SKF */
	memset(&m, 0, sizeof(m));
	m.pl[m.n++].type = IKE_PL_SKF;
	{
		uint8_t chain[8] = { IKE_PL_NONE, 0, 0, 8 };

		assert_int_equal(ike_payloads_parse(IKE_PL_SK, chain, 8, &m), IKE_ERR_SYNTAX);
		assert_int_equal(ike_payloads_parse(IKE_PL_SKF, chain, 8, &m), IKE_ERR_SYNTAX);
	}
}

static void test_limits(void **state)
{
	uint8_t pt[100] = { 0 };
	struct ike_frag_limits small = { .max_frags = 4, .max_len = 250, .timeout_ms = 1000 };
	struct ike_frag_in st = { 0 };
	struct ike_skf f = { .num = 1, .total = 5 };
	uint8_t out[1000], first;
	size_t len;

	/* Total Fragments over the limit: refused, nothing kept */
	assert_int_equal(ike_frag_add(&st, &small, 1, &f, IKE_PL_VENDOR, pt, 10, 0),
			 IKE_FRAG_TOO_MANY);
	assert_false(st.active);
	f.total = 100;
	assert_int_equal(ike_frag_add(&st, &lim, 1, &f, IKE_PL_VENDOR, pt, 10, 0),
			 IKE_FRAG_TOO_MANY);
	/* the reassembled length over the limit: everything dropped */
	f.total = 4;
	assert_int_equal(ike_frag_add(&st, &small, 1, &f, IKE_PL_VENDOR, pt, 100, 0),
			 IKE_FRAG_KEPT);
	f.num = 2;
	assert_int_equal(ike_frag_add(&st, &small, 1, &f, IKE_PL_VENDOR, pt, 100, 0),
			 IKE_FRAG_KEPT);
	f.num = 3;
	assert_int_equal(ike_frag_add(&st, &small, 1, &f, IKE_PL_VENDOR, pt, 100, 0),
			 IKE_FRAG_TOO_BIG);
	assert_false(st.active);
	/* timeout: what is collected goes, a late fragment starts over */
	f.num = 1;
	assert_int_equal(ike_frag_add(&st, &small, 1, &f, IKE_PL_VENDOR, pt, 10, 0),
			 IKE_FRAG_KEPT);
	assert_false(ike_frag_expire(&st, &small, 999));
	assert_true(ike_frag_expire(&st, &small, 1000));
	assert_false(st.active);
	f.num = 2;
	assert_int_equal(ike_frag_add(&st, &small, 1, &f, IKE_PL_VENDOR, pt, 10, 500),
			 IKE_FRAG_KEPT);
	f.num = 3;
	assert_int_equal(ike_frag_add(&st, &small, 1, &f, IKE_PL_VENDOR, pt, 10, 1600),
			 IKE_FRAG_KEPT);
	assert_int_equal(st.have, 1);	/* fragment 2 timed out */
	/* another message ID replaces the one being collected */
	assert_int_equal(ike_frag_add(&st, &small, 2, &f, IKE_PL_VENDOR, pt, 10, 1600),
			 IKE_FRAG_KEPT);
	assert_int_equal(st.mid, 2);
	assert_int_equal(st.have, 1);
	/* not complete: nothing to assemble */
	assert_int_equal(ike_frag_assemble(&st, out, sizeof(out), &len, &first), -EINVAL);
	/* a single-fragment message */
	ike_frag_reset(&st);
	f.num = f.total = 1;
	assert_int_equal(ike_frag_add(&st, &small, 3, &f, IKE_PL_NOTIFY, pt, 8, 0),
			 IKE_FRAG_COMPLETE);
	assert_int_equal(ike_frag_assemble(&st, out, 4, &len, &first), -ENOSPC);
	assert_false(st.active);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_gcm),
		cmocka_unit_test(test_round_trip_cbc),
		cmocka_unit_test(test_build_limits),
		cmocka_unit_test(test_duplicate_and_stale),
		cmocka_unit_test(test_forged_fragment),
		cmocka_unit_test(test_bad_numbers),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
