// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKEv2 codec tests: every payload type of RFC 7296 §3 decoded from
 * hand-assembled bytes and encoded back, and the malformed-length cases
 * that real IKE daemons have had CVEs for.
 */
#include "test_util.h"
#include "ike_msg.h"

/* IKE_SA_INIT request: SA(AES-GCM-16/256, PRF-SHA384, x25519), KE, Ni,
 * N(IKEV2_FRAGMENTATION_SUPPORTED), assembled by hand from RFC 7296 §3. */
static const char init_hex[] =
	"0102030405060708 0000000000000000 21 20 22 08 00000000 00000088"
	"22 00 0028"				/* SA, next KE */
	"  00 00 0024 01 01 00 03"		/* proposal 1, IKE, 3 transforms */
	"    03 00 000c 01 00 0014 800e 0100"	/* ENCR AES-GCM-16, 256 bits */
	"    03 00 0008 02 00 0006"		/* PRF HMAC-SHA2-384 */
	"    00 00 0008 04 00 001f"		/* KE Curve25519 */
	"28 00 0028 001f 0000"			/* KE, next Nonce */
	"  1111111111111111111111111111111111111111111111111111111111111111"
	"29 00 0014 22222222222222222222222222222222"	/* Nonce, next N */
	"00 00 0008 00 00 402e";		/* Notify */

static void test_parse_sa_init(void **state)
{
	uint8_t buf[256];
	size_t len = unhex(init_hex, buf, sizeof(buf));
	struct ike_sa_payload sa;
	struct ike_notify n;
	struct ike_buf nonce;
	struct ike_msg m;
	struct ike_ke ke;

	assert_int_equal(ike_msg_parse(buf, len, &m), IKE_OK);
	assert_int_equal(m.hdr.exchange, IKE_SA_INIT);
	assert_int_equal(m.hdr.flags, IKE_FLAG_INITIATOR);
	assert_int_equal(m.hdr.length, 136);
	assert_int_equal(m.hdr.spi_i[7], 8);
	assert_int_equal(m.n, 4);

	assert_int_equal(ike_parse_sa(ike_msg_find(&m, IKE_PL_SA)->body, &sa), IKE_OK);
	assert_int_equal(sa.n, 1);
	assert_int_equal(sa.prop[0].protocol, IKE_PROTO_IKE);
	assert_int_equal(sa.prop[0].n, 3);
	assert_int_equal(sa.prop[0].xf[0].type, IKE_TRANS_ENCR);
	assert_int_equal(sa.prop[0].xf[0].id, IKE_ENCR_AES_GCM_16);
	assert_int_equal(sa.prop[0].xf[0].key_len, 256);
	assert_int_equal(sa.prop[0].xf[1].id, IKE_PRF_HMAC_SHA2_384);
	assert_int_equal(sa.prop[0].xf[2].type, IKE_TRANS_KE);
	assert_int_equal(sa.prop[0].xf[2].id, IKE_KE_X25519);
	assert_false(sa.prop[0].xf[0].unknown_attr);

	assert_int_equal(ike_parse_ke(ike_msg_find(&m, IKE_PL_KE)->body, &ke), IKE_OK);
	assert_int_equal(ke.group, IKE_KE_X25519);
	assert_int_equal(ke.data.len, 32);
	assert_int_equal(ke.data.ptr[31], 0x11);

	assert_int_equal(ike_parse_nonce(ike_msg_find(&m, IKE_PL_NONCE)->body, &nonce), IKE_OK);
	assert_int_equal(nonce.len, 16);

	assert_int_equal(ike_parse_notify(ike_msg_find(&m, IKE_PL_NOTIFY)->body, &n), IKE_OK);
	assert_int_equal(n.type, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED);
	assert_int_equal(n.spi.len, 0);
	assert_int_equal(n.data.len, 0);
}

static void test_encode_sa_init(void **state)
{
	uint8_t ke_data[32], nonce[16], out[256];
	struct ike_hdr h = { .spi_i = { 1, 2, 3, 4, 5, 6, 7, 8 },
			     .exchange = IKE_SA_INIT, .flags = IKE_FLAG_INITIATOR };
	struct ike_sa_payload sa = { .n = 1, .prop[0] = {
		.num = 1, .protocol = IKE_PROTO_IKE, .n = 3, .xf = {
			{ .type = IKE_TRANS_ENCR, .id = IKE_ENCR_AES_GCM_16, .key_len = 256 },
			{ .type = IKE_TRANS_PRF, .id = IKE_PRF_HMAC_SHA2_384 },
			{ .type = IKE_TRANS_KE, .id = IKE_KE_X25519 } } } };
	struct ike_ke ke = { .group = IKE_KE_X25519, .data = IKE_BUF(ke_data, 32) };
	struct ike_notify n = { .type = IKE_N_IKEV2_FRAGMENTATION_SUPPORTED };
	struct ike_wbuf w;

	memset(ke_data, 0x11, sizeof(ke_data));
	memset(nonce, 0x22, sizeof(nonce));
	ike_wbuf_init(&w, out, sizeof(out));
	ike_put_hdr(&w, &h);
	ike_put_sa(&w, &sa);
	ike_put_ke(&w, &ke);
	ike_put_nonce(&w, IKE_BUF(nonce, sizeof(nonce)));
	ike_put_notify(&w, &n);
	assert_int_equal(ike_wbuf_finish(&w), 136);
	assert_hex_equal(out, w.len, init_hex);
}

static void test_encode_bounded(void **state)
{
	uint8_t nonce[32] = { 0 }, out[64];
	struct ike_hdr h = { .exchange = IKE_INFORMATIONAL };
	struct ike_wbuf w;

	/* 28 + 36 = 64 fits exactly ... */
	ike_wbuf_init(&w, out, 64);
	ike_put_hdr(&w, &h);
	ike_put_nonce(&w, IKE_BUF(nonce, 32));
	assert_int_equal(ike_wbuf_finish(&w), 64);
	/* ... one byte less does not, and nothing is written past the end */
	ike_wbuf_init(&w, out, 63);
	ike_put_hdr(&w, &h);
	ike_put_nonce(&w, IKE_BUF(nonce, 32));
	assert_int_equal(ike_wbuf_finish(&w), IKE_ERR_NOSPACE);
}

static void test_hdr_errors(void **state)
{
	uint8_t buf[256];
	size_t len = unhex(init_hex, buf, sizeof(buf));
	struct ike_msg m;

	assert_int_equal(ike_msg_parse(buf, 27, &m), IKE_ERR_TRUNCATED);
	/* datagram shorter than the header says */
	assert_int_equal(ike_msg_parse(buf, len - 1, &m), IKE_ERR_TRUNCATED);
	/* header length below 28 */
	buf[27] = 20;
	assert_int_equal(ike_msg_parse(buf, len, &m), IKE_ERR_SYNTAX);
	/* header length shorter than the datagram */
	buf[27] = 0x87;
	assert_int_equal(ike_msg_parse(buf, len, &m), IKE_ERR_SYNTAX);
	buf[27] = 0x88;
	/* major version 3: INVALID_MAJOR_VERSION; minor versions are ignored */
	buf[17] = 0x30;
	assert_int_equal(ike_msg_parse(buf, len, &m), IKE_ERR_VERSION);
	assert_int_equal(ike_err_notify(IKE_ERR_VERSION), IKE_N_INVALID_MAJOR_VERSION);
	buf[17] = 0x21;
	assert_int_equal(ike_msg_parse(buf, len, &m), IKE_OK);
}

/* Header + payload chain from hex, with the header length fixed up. */
static size_t mkmsg(uint8_t *buf, size_t cap, uint8_t first, const char *payloads)
{
	size_t len;

	len = unhex("0102030405060708 0807060504030201 00 20 25 08 00000001 00000000",
		    buf, cap);
	buf[16] = first;
	len += unhex(payloads, buf + len, cap - len);
	buf[24] = len >> 24;
	buf[25] = len >> 16;
	buf[26] = len >> 8;
	buf[27] = len;
	return len;
}

static int parse_hex(uint8_t first, const char *payloads, struct ike_msg *m)
{
	uint8_t buf[1024];
	size_t len = mkmsg(buf, sizeof(buf), first, payloads);

	return ike_msg_parse(buf, len, m);
}

static void test_chain_lengths(void **state)
{
	struct ike_msg m;

	/* payload length 0xffff overflows the datagram */
	assert_int_equal(parse_hex(IKE_PL_VENDOR, "00 00 ffff 61626364", &m),
			 IKE_ERR_TRUNCATED);
	/* payload length below the generic header */
	assert_int_equal(parse_hex(IKE_PL_VENDOR, "00 00 0003 61", &m), IKE_ERR_SYNTAX);
	/* generic header cut short */
	assert_int_equal(parse_hex(IKE_PL_VENDOR, "00 00", &m), IKE_ERR_TRUNCATED);
	/* chain says another payload follows but the datagram ends */
	assert_int_equal(parse_hex(IKE_PL_VENDOR, "2b 00 0005 61", &m), IKE_ERR_TRUNCATED);
	/* bytes after the last payload */
	assert_int_equal(parse_hex(IKE_PL_VENDOR, "00 00 0005 61 ffff", &m), IKE_ERR_SYNTAX);
	/* no payload at all is fine (an empty INFORMATIONAL in clear) */
	assert_int_equal(parse_hex(IKE_PL_NONE, "", &m), IKE_OK);
	assert_int_equal(m.n, 0);
}

static void test_unknown_payloads(void **state)
{
	struct ike_msg m;

	/* unknown type 200 without the critical bit is skipped */
	assert_int_equal(parse_hex(200, "2b 00 0006 aaaa  00 00 0005 76", &m), IKE_OK);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.pl[0].type, IKE_PL_VENDOR);
	assert_int_equal(m.pl[0].body.len, 1);
	/* with it, the caller must answer UNSUPPORTED_CRITICAL_PAYLOAD(200) */
	assert_int_equal(parse_hex(IKE_PL_VENDOR, "c8 00 0005 76  00 80 0006 aaaa", &m),
			 IKE_ERR_UNSUPPORTED_CRITICAL);
	assert_int_equal(m.unsupported_critical, 200);
	assert_int_equal(ike_err_notify(IKE_ERR_UNSUPPORTED_CRITICAL),
			 IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD);
	/* the critical bit on a known payload means nothing */
	assert_int_equal(parse_hex(IKE_PL_VENDOR, "00 80 0005 76", &m), IKE_OK);
	assert_true(m.pl[0].critical);
}

static void test_too_many_payloads(void **state)
{
	char hex[40 * sizeof("2b 00 0005 76")] = "";
	struct ike_msg m;

	for (int i = 0; i < 40; i++)
		strcat(hex, i == 39 ? "00 00 0005 76" : "2b 00 0005 76");
	assert_int_equal(parse_hex(IKE_PL_VENDOR, hex, &m), IKE_ERR_TOO_MANY);
}

static void test_sk_payload(void **state)
{
	uint8_t blob[20], out[128];
	struct ike_hdr h = { .exchange = IKE_AUTH };
	struct ike_wbuf w;
	struct ike_msg m;

	/* SK carries the first inner type (IDi) in its next-payload field */
	assert_int_equal(parse_hex(IKE_PL_SK, "23 01 0010 000102030405060708090a0b", &m), IKE_OK);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.pl[0].sk_first, IKE_PL_IDI);
	assert_int_equal(m.pl[0].body.len, 12);
	/* SK must be the last payload */
	assert_int_equal(parse_hex(IKE_PL_SK, "23 01 0008 00010203  00 00 0005 76", &m),
			 IKE_ERR_SYNTAX);

	memset(blob, 0xab, sizeof(blob));
	ike_wbuf_init(&w, out, sizeof(out));
	ike_put_hdr(&w, &h);
	ike_put_sk(&w, IKE_PL_IDI, IKE_BUF(blob, sizeof(blob)));
	assert_int_equal(ike_wbuf_finish(&w), 52);
	assert_hex_equal(out + 16, 4, "2e 20 23 00");
	assert_hex_equal(out + 28, 4, "23 80 0018");
	/* the encoder refuses to chain anything after SK */
	ike_put_nonce(&w, IKE_BUF(blob, 16));
	assert_int_equal(ike_wbuf_finish(&w), IKE_ERR_NOSPACE);
}

static void test_inner_chain(void **state)
{
	uint8_t buf[64], nonce[16] = { 0 };
	struct ike_id id = { .type = IKE_ID_FQDN, .data = IKE_BUF("gw", 2) };
	struct ike_wbuf w;
	struct ike_msg m = { 0 };
	int len;

	/* decrypted SK contents: chain without an IKE header */
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_id(&w, IKE_PL_IDI, &id);
	ike_put_nonce(&w, IKE_BUF(nonce, 16));
	len = ike_wbuf_finish(&w);
	assert_int_equal(len, 10 + 20);
	assert_int_equal(w.first, IKE_PL_IDI);
	assert_hex_equal(buf, 10, "28 00 000a 02 000000 6777");
	assert_int_equal(ike_payloads_parse(w.first, buf, len, &m), IKE_OK);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.pl[1].type, IKE_PL_NONCE);
	/* the decrypted chain of an SK payload may not hold another SK */
	memset(&m, 0, sizeof(m));
	len = unhex("00 00 0006 abcd", buf, sizeof(buf));
	assert_int_equal(ike_payloads_parse(IKE_PL_SK, buf, len, &m), IKE_OK);
	assert_int_equal(ike_payloads_parse(IKE_PL_SK, buf, len, &m), IKE_ERR_SYNTAX);
}

static void test_sa_malformed(void **state)
{
	struct ike_sa_payload sa;
	uint8_t b[128];
	size_t n;

#define SA(hex) (n = unhex(hex, b, sizeof(b)), ike_parse_sa(IKE_BUF(b, n), &sa))
	/* good ESP proposal with a SPI, two proposals numbered 1 and 2 */
	assert_int_equal(SA("02 00 0014 01 03 04 01 11223344 00 00 0008 01 00 001c"
			    "00 00 0014 02 03 04 01 11223344 00 00 0008 01 00 000c"), IKE_OK);
	assert_int_equal(sa.n, 2);
	assert_int_equal(sa.prop[0].spi[3], 0x44);
	/* a repeated proposal number (RFC 7296 §3.3.1: each one more); found
	 * by userspace/fuzz's fuzz_proposal, whose selection became ambiguous */
	assert_int_equal(SA("02 00 0014 01 03 04 01 11223344 00 00 0008 01 00 001c"
			    "00 00 0014 01 03 04 01 11223344 00 00 0008 01 00 000c"),
			 IKE_ERR_SYNTAX);
	/* proposal length runs past the payload */
	assert_int_equal(SA("00 00 0040 01 03 04 01 11223344 00 00 0008 01 00 001c"),
			 IKE_ERR_SYNTAX);
	/* proposal length smaller than its SPI */
	assert_int_equal(SA("00 00 000a 01 03 04 01 11223344 00 00 0008 01 00 001c"),
			 IKE_ERR_SYNTAX);
	/* two transforms announced, one present */
	assert_int_equal(SA("00 00 0014 01 03 04 02 11223344 00 00 0008 01 00 001c"),
			 IKE_ERR_SYNTAX);
	/* transform count 0 */
	assert_int_equal(SA("00 00 000c 01 03 04 00 11223344"), IKE_ERR_SYNTAX);
	/* "more" flag on the last proposal */
	assert_int_equal(SA("02 00 0014 01 03 04 01 11223344 00 00 0008 01 00 001c"),
			 IKE_ERR_SYNTAX);
	/* first proposal numbered 2 */
	assert_int_equal(SA("00 00 0014 02 03 04 01 11223344 00 00 0008 01 00 001c"),
			 IKE_ERR_SYNTAX);
	/* ESP with an 8-byte SPI */
	assert_int_equal(SA("00 00 0018 01 03 08 01 1122334455667788 00 00 0008 01 00 001c"),
			 IKE_ERR_SYNTAX);
	/* transform length 4 */
	assert_int_equal(SA("00 00 0010 01 01 00 01 00 00 0004 01 00 001c"), IKE_ERR_SYNTAX);
	/* transform length past the proposal */
	assert_int_equal(SA("00 00 0010 01 01 00 01 00 00 0010 01 00 001c"), IKE_ERR_SYNTAX);
	/* TLV attribute whose length runs past the transform */
	assert_int_equal(SA("00 00 0014 01 01 00 01 00 00 000c 01 00 0014 0001 0010"),
			 IKE_ERR_SYNTAX);
	/* a half attribute */
	assert_int_equal(SA("00 00 0012 01 01 00 01 00 00 000a 01 00 0014 800e"),
			 IKE_ERR_SYNTAX);
	/* unknown TV attribute: parsed, transform marked unusable */
	assert_int_equal(SA("00 00 0014 01 01 00 01 00 00 000c 01 00 0014 8001 0001"), IKE_OK);
	assert_true(sa.prop[0].xf[0].unknown_attr);
	/* protocol 9 */
	assert_int_equal(SA("00 00 0010 01 09 00 01 00 00 0008 01 00 001c"), IKE_ERR_SYNTAX);
	/* empty SA */
	assert_int_equal(ike_parse_sa(IKE_BUF(b, 0), &sa), IKE_ERR_SYNTAX);
#undef SA
}

static void test_ke(void **state)
{
	uint8_t b[300];
	struct ike_msg m;
	struct ike_ke ke;
	size_t n;

	n = unhex("0013 0000", b, sizeof(b));
	memset(b + n, 0x5a, 64);
	assert_int_equal(ike_parse_ke(IKE_BUF(b, n + 64), &ke), IKE_OK);
	assert_int_equal(ke.group, IKE_KE_ECP256);
	/* ecp256 with 65 bytes (a 0x04-prefixed point) and with 63 */
	assert_int_equal(ike_parse_ke(IKE_BUF(b, n + 65), &ke), IKE_ERR_KE_LENGTH);
	assert_int_equal(ike_parse_ke(IKE_BUF(b, n + 63), &ke), IKE_ERR_KE_LENGTH);
	assert_int_equal(ike_err_notify(IKE_ERR_KE_LENGTH), IKE_N_INVALID_SYNTAX);
	/* modp2048 needs 256 bytes */
	b[1] = IKE_KE_MODP2048;
	assert_int_equal(ike_parse_ke(IKE_BUF(b, n + 255), &ke), IKE_ERR_KE_LENGTH);
	/* an unknown group is not judged here (INVALID_KE_PAYLOAD is for later) */
	b[1] = 99;
	assert_int_equal(ike_parse_ke(IKE_BUF(b, n + 7), &ke), IKE_OK);
	assert_int_equal(ike_parse_ke(IKE_BUF(b, 3), &ke), IKE_ERR_SYNTAX);
	/* the message parser rejects a short x25519 KE */
	assert_int_equal(parse_hex(IKE_PL_KE, "00 00 000c 001f 0000 01020304", &m),
			 IKE_ERR_KE_LENGTH);
}

static void test_id(void **state)
{
	uint8_t b[64], out[64];
	struct ike_wbuf w;
	struct ike_id id;
	size_t n;

	n = unhex("01 000000 c0000201", b, sizeof(b));
	assert_int_equal(ike_parse_id(IKE_BUF(b, n), &id), IKE_OK);
	assert_int_equal(id.type, IKE_ID_IPV4_ADDR);
	assert_int_equal(id.data.ptr[3], 1);
	ike_wbuf_init(&w, out, sizeof(out));
	ike_put_id(&w, IKE_PL_IDR, &id);
	assert_int_equal(ike_wbuf_finish(&w), 12);
	assert_int_equal(w.first, IKE_PL_IDR);
	assert_hex_equal(out, 12, "00 00 000c 01 000000 c0000201");
	/* IPv4 ID of 5 bytes, IPv6 ID of 4 bytes, empty ID */
	n = unhex("01 000000 c000020101", b, sizeof(b));
	assert_int_equal(ike_parse_id(IKE_BUF(b, n), &id), IKE_ERR_SYNTAX);
	n = unhex("05 000000 20010db8", b, sizeof(b));
	assert_int_equal(ike_parse_id(IKE_BUF(b, n), &id), IKE_ERR_SYNTAX);
	assert_int_equal(ike_parse_id(IKE_BUF(b, 4), &id), IKE_ERR_SYNTAX);
	n = unhex("03 000000 6140622e6578616d706c65", b, sizeof(b));
	assert_int_equal(ike_parse_id(IKE_BUF(b, n), &id), IKE_OK);
	assert_int_equal(id.type, IKE_ID_RFC822_ADDR);
	assert_memory_equal(id.data.ptr, "a@b.example", 11);
}

static void test_cert_certreq(void **state)
{
	uint8_t b[64], out[64];
	struct ike_cert c;
	struct ike_wbuf w;
	size_t n;

	n = unhex("04 308201", b, sizeof(b));
	assert_int_equal(ike_parse_cert(IKE_BUF(b, n), &c), IKE_OK);
	assert_int_equal(c.encoding, IKE_CERT_X509_SIG);
	assert_int_equal(c.data.len, 3);
	assert_int_equal(ike_parse_cert(IKE_BUF(b, 1), &c), IKE_ERR_SYNTAX);
	ike_wbuf_init(&w, out, sizeof(out));
	ike_put_cert(&w, IKE_PL_CERT, &c);
	assert_int_equal(ike_wbuf_finish(&w), 8);
	assert_hex_equal(out, 8, "00 00 0008 04 308201");

	/* CERTREQ: two SHA-1 key hashes are fine, 21 bytes are not */
	b[0] = IKE_CERT_X509_SIG;
	memset(b + 1, 0xcc, 40);
	assert_int_equal(ike_parse_certreq(IKE_BUF(b, 41), &c), IKE_OK);
	assert_int_equal(c.data.len, 40);
	assert_int_equal(ike_parse_certreq(IKE_BUF(b, 22), &c), IKE_ERR_SYNTAX);
	/* an empty CERTREQ (no CA named) is allowed */
	assert_int_equal(ike_parse_certreq(IKE_BUF(b, 1), &c), IKE_OK);
}

static void test_auth(void **state)
{
	uint8_t b[64], out[64];
	struct ike_auth a;
	struct ike_wbuf w;
	size_t n;

	n = unhex("02 000000 00112233445566778899aabbccddeeff", b, sizeof(b));
	assert_int_equal(ike_parse_auth(IKE_BUF(b, n), &a), IKE_OK);
	assert_int_equal(a.method, IKE_AUTH_PSK);
	assert_int_equal(a.data.len, 16);
	ike_wbuf_init(&w, out, sizeof(out));
	ike_put_auth(&w, &a);
	assert_int_equal(ike_wbuf_finish(&w), 24);
	assert_hex_equal(out, 24, "00 00 0018 02 000000 00112233445566778899aabbccddeeff");
	assert_int_equal(ike_parse_auth(IKE_BUF(b, 4), &a), IKE_ERR_SYNTAX);
}

static void test_nonce(void **state)
{
	uint8_t b[300] = { 0 };
	struct ike_buf nonce;

	assert_int_equal(ike_parse_nonce(IKE_BUF(b, 15), &nonce), IKE_ERR_SYNTAX);
	assert_int_equal(ike_parse_nonce(IKE_BUF(b, 16), &nonce), IKE_OK);
	assert_int_equal(ike_parse_nonce(IKE_BUF(b, 256), &nonce), IKE_OK);
	assert_int_equal(ike_parse_nonce(IKE_BUF(b, 257), &nonce), IKE_ERR_SYNTAX);
}

static void test_notify(void **state)
{
	uint8_t b[64], out[64];
	struct ike_notify no;
	struct ike_wbuf w;
	size_t n;

	/* REKEY_SA for an ESP SPI */
	n = unhex("03 04 4009 c0ffee00", b, sizeof(b));
	assert_int_equal(ike_parse_notify(IKE_BUF(b, n), &no), IKE_OK);
	assert_int_equal(no.protocol, IKE_PROTO_ESP);
	assert_int_equal(no.type, IKE_N_REKEY_SA);
	assert_int_equal(no.spi.len, 4);
	assert_int_equal(no.data.len, 0);
	ike_wbuf_init(&w, out, sizeof(out));
	ike_put_notify(&w, &no);
	assert_int_equal(ike_wbuf_finish(&w), 12);
	assert_hex_equal(out, 12, "00 00 000c 03 04 4009 c0ffee00");
	/* NAT-D with 20 bytes of data */
	n = unhex("00 00 4004 0102030405060708090a0b0c0d0e0f1011121314", b, sizeof(b));
	assert_int_equal(ike_parse_notify(IKE_BUF(b, n), &no), IKE_OK);
	assert_int_equal(no.data.len, 20);
	/* SPI size larger than the payload */
	n = unhex("03 08 4009 c0ffee00", b, sizeof(b));
	assert_int_equal(ike_parse_notify(IKE_BUF(b, n), &no), IKE_ERR_SYNTAX);
	assert_int_equal(ike_parse_notify(IKE_BUF(b, 3), &no), IKE_ERR_SYNTAX);
}

static void test_delete(void **state)
{
	uint8_t b[64], out[64];
	struct ike_delete d;
	struct ike_wbuf w;
	size_t n;

	n = unhex("03 04 0002 11111111 22222222", b, sizeof(b));
	assert_int_equal(ike_parse_delete(IKE_BUF(b, n), &d), IKE_OK);
	assert_int_equal(d.n_spi, 2);
	ike_wbuf_init(&w, out, sizeof(out));
	ike_put_delete(&w, &d);
	assert_int_equal(ike_wbuf_finish(&w), 16);
	assert_hex_equal(out, 16, "00 00 0010 03 04 0002 11111111 22222222");
	/* IKE SA delete: no SPIs */
	n = unhex("01 00 0000", b, sizeof(b));
	assert_int_equal(ike_parse_delete(IKE_BUF(b, n), &d), IKE_OK);
	/* count says 3, two present */
	n = unhex("03 04 0003 11111111 22222222", b, sizeof(b));
	assert_int_equal(ike_parse_delete(IKE_BUF(b, n), &d), IKE_ERR_SYNTAX);
	/* count 0xffff: n * size overflows nothing, but does not match */
	n = unhex("03 04 ffff 11111111", b, sizeof(b));
	assert_int_equal(ike_parse_delete(IKE_BUF(b, n), &d), IKE_ERR_SYNTAX);
	/* ESP with 8-byte SPIs, IKE with a SPI, protocol 0 */
	n = unhex("03 08 0001 1111111122222222", b, sizeof(b));
	assert_int_equal(ike_parse_delete(IKE_BUF(b, n), &d), IKE_ERR_SYNTAX);
	n = unhex("01 04 0001 11111111", b, sizeof(b));
	assert_int_equal(ike_parse_delete(IKE_BUF(b, n), &d), IKE_ERR_SYNTAX);
	n = unhex("00 04 0001 11111111", b, sizeof(b));
	assert_int_equal(ike_parse_delete(IKE_BUF(b, n), &d), IKE_ERR_SYNTAX);
}

static void test_vendor(void **state)
{
	uint8_t out[64];
	struct ike_wbuf w;
	struct ike_msg m;

	ike_wbuf_init(&w, out, sizeof(out));
	ike_put_vendor(&w, IKE_BUF("nfsec", 5));
	assert_int_equal(ike_wbuf_finish(&w), 9);
	assert_hex_equal(out, 9, "00 00 0009 6e66736563");
	assert_int_equal(ike_payloads_parse(w.first, out, 9, (m.n = 0, &m)), IKE_OK);
	assert_int_equal(m.pl[0].type, IKE_PL_VENDOR);
	assert_memory_equal(m.pl[0].body.ptr, "nfsec", 5);
}

static const char ts_hex[] =
	"02 000000"
	"07 06 0010 0000 ffff c0a80000 c0a8ffff"		/* TCP 192.168.0.0/16 */
	"08 00 0028 0000 ffff"					/* any 2001:db8::/32 */
	"20010db8000000000000000000000000 20010db8ffffffffffffffffffffffff";

static void test_ts(void **state)
{
	uint8_t b[128], out[128];
	struct ike_ts_payload ts;
	struct ike_wbuf w;
	size_t n;

	n = unhex(ts_hex, b, sizeof(b));
	assert_int_equal(ike_parse_ts(IKE_BUF(b, n), &ts), IKE_OK);
	assert_int_equal(ts.n, 2);
	assert_int_equal(ts.ts[0].type, IKE_TS_IPV4_ADDR_RANGE);
	assert_int_equal(ts.ts[0].ip_proto, 6);
	assert_int_equal(ts.ts[0].end_port, 65535);
	assert_int_equal(ts.ts[0].end[1], 0xa8);
	assert_int_equal(ts.ts[1].type, IKE_TS_IPV6_ADDR_RANGE);
	assert_int_equal(ts.ts[1].end[15], 0xff);
	ike_wbuf_init(&w, out, sizeof(out));
	ike_put_ts(&w, IKE_PL_TSR, &ts);
	assert_int_equal(ike_wbuf_finish(&w), 4 + n);
	assert_hex_equal(out + 4, n, ts_hex);
}

static void test_ts_malformed(void **state)
{
	struct ike_ts_payload ts;
	uint8_t b[128];
	size_t n;

#define TS(hex) (n = unhex(hex, b, sizeof(b)), ike_parse_ts(IKE_BUF(b, n), &ts))
	/* IPv4 selector claiming the IPv6 length (40) */
	assert_int_equal(TS("01 000000 07 00 0028 0000 ffff c0a80000 c0a8ffff"), IKE_ERR_SYNTAX);
	/* IPv6 selector claiming 16 */
	assert_int_equal(TS("01 000000 08 00 0010 0000 ffff c0a80000 c0a8ffff"), IKE_ERR_SYNTAX);
	/* selector length 0 */
	assert_int_equal(TS("01 000000 07 00 0000 0000 ffff c0a80000 c0a8ffff"), IKE_ERR_SYNTAX);
	/* two announced, one present */
	assert_int_equal(TS("02 000000 07 00 0010 0000 ffff c0a80000 c0a8ffff"), IKE_ERR_SYNTAX);
	/* none announced */
	assert_int_equal(TS("00 000000"), IKE_ERR_SYNTAX);
	/* trailing bytes after the announced selectors */
	assert_int_equal(TS("01 000000 07 00 0010 0000 ffff c0a80000 c0a8ffff 00"), IKE_ERR_SYNTAX);
	/* truncated address */
	assert_int_equal(TS("01 000000 07 00 0010 0000 ffff c0a80000 c0a8"), IKE_ERR_SYNTAX);
	/* unknown TS type */
	assert_int_equal(TS("01 000000 09 00 0010 0000 ffff c0a80000 c0a8ffff"), IKE_ERR_SYNTAX);
	/* 255 selectors announced: more than we keep */
	assert_int_equal(TS("ff 000000 07 00 0010 0000 ffff c0a80000 c0a8ffff"), IKE_ERR_TOO_MANY);
#undef TS
}

static void test_cp(void **state)
{
	uint8_t b[64], out[64];
	struct ike_wbuf w;
	struct ike_cp cp;
	size_t n;

	/* CFG_REPLY: INTERNAL_IP4_ADDRESS 10.3.0.7, INTERNAL_IP4_DNS empty */
	n = unhex("02 000000 0001 0004 0a030007 0003 0000", b, sizeof(b));
	assert_int_equal(ike_parse_cp(IKE_BUF(b, n), &cp), IKE_OK);
	assert_int_equal(cp.type, 2);
	assert_int_equal(cp.n, 2);
	assert_int_equal(cp.attr[0].type, 1);
	assert_int_equal(cp.attr[0].value.ptr[3], 7);
	assert_int_equal(cp.attr[1].value.len, 0);
	ike_wbuf_init(&w, out, sizeof(out));
	ike_put_cp(&w, &cp);
	assert_int_equal(ike_wbuf_finish(&w), 4 + n);
	assert_memory_equal(out + 4, b, n);
	/* attribute length beyond the payload, half an attribute header */
	n = unhex("02 000000 0001 0008 0a030007", b, sizeof(b));
	assert_int_equal(ike_parse_cp(IKE_BUF(b, n), &cp), IKE_ERR_SYNTAX);
	n = unhex("02 000000 0001", b, sizeof(b));
	assert_int_equal(ike_parse_cp(IKE_BUF(b, n), &cp), IKE_ERR_SYNTAX);
}

static void test_eap(void **state)
{
	uint8_t b[64], out[64];
	struct ike_buf eap;
	struct ike_wbuf w;
	size_t n;

	/* EAP-Request/Identity */
	n = unhex("01 01 0005 01", b, sizeof(b));
	assert_int_equal(ike_parse_eap(IKE_BUF(b, n), &eap), IKE_OK);
	ike_wbuf_init(&w, out, sizeof(out));
	ike_put_eap(&w, eap);
	assert_int_equal(ike_wbuf_finish(&w), 9);
	assert_hex_equal(out, 9, "00 00 0009 01 01 0005 01");
	/* EAP length disagreeing with the payload */
	n = unhex("01 01 0009 01", b, sizeof(b));
	assert_int_equal(ike_parse_eap(IKE_BUF(b, n), &eap), IKE_ERR_SYNTAX);
	assert_int_equal(ike_parse_eap(IKE_BUF(b, 3), &eap), IKE_ERR_SYNTAX);
}

/*
 * Real traffic: IKE_SA_INIT request and an encrypted INFORMATIONAL
 * response from Wireshark's test capture ikev2-decrypt-aes128ccm12.pcap
 * (as quoted in scapy's test/contrib/ikev2.uts), UDP payloads only.
 */
static const char ws_init[] =
	"ea684d21597afd3600000000000000002120220800000000000000f822000028"
	"00000024010100030300000c0100000f800e0080030000080200000500000008"
	"04000013280000480013000032c6dffe5c43b0d5811f7eaaa84c9f78bf99b906"
	"9c2b072e0b82f46bf6f66dd45f97ef89ee285fd5df527a44776b529fc9d8a909"
	"d842a6fb59b96a095395617229000024b655462d6f4b66f872ccd7f0f4b48577"
	"32921339cbaa5237edba244f262b68232900001c00004004949c9db5739d75a9"
	"74a49c184618369b34b7f9422900001c000040053e721b46be07d53111425d7f"
	"80d2c6e220c6072e000000100000402f0001000200030004";
static const char ws_info[] =
	"ea684d21597afd36d9fe2ab22dac23ac2e202520000000020000003500000019"
	"a80c957bac15c3f8afdf315a81cc4b7c40e8660d44";

static void test_wireshark_capture(void **state)
{
	static const uint16_t notes[] = { IKE_N_NAT_DETECTION_SOURCE_IP,
					  IKE_N_NAT_DETECTION_DESTINATION_IP,
					  IKE_N_SIGNATURE_HASH_ALGORITHMS };
	uint8_t buf[512], out[512];
	size_t len = unhex(ws_init, buf, sizeof(buf));
	struct ike_sa_payload sa;
	struct ike_notify n[3];
	struct ike_buf nonce;
	struct ike_wbuf w;
	struct ike_msg m;
	struct ike_ke ke;

	assert_int_equal(ike_msg_parse(buf, len, &m), IKE_OK);
	assert_int_equal(m.hdr.exchange, IKE_SA_INIT);
	assert_int_equal(m.n, 6);
	assert_int_equal(ike_parse_sa(m.pl[0].body, &sa), IKE_OK);
	assert_int_equal(sa.prop[0].xf[0].id, 15);	/* ENCR_AES_CCM_12 */
	assert_int_equal(sa.prop[0].xf[0].key_len, 128);
	assert_int_equal(sa.prop[0].xf[1].id, IKE_PRF_HMAC_SHA2_256);
	assert_int_equal(sa.prop[0].xf[2].id, IKE_KE_ECP256);
	assert_int_equal(ike_parse_ke(m.pl[1].body, &ke), IKE_OK);
	assert_int_equal(ke.group, IKE_KE_ECP256);
	assert_int_equal(ike_parse_nonce(m.pl[2].body, &nonce), IKE_OK);
	assert_int_equal(nonce.len, 32);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(ike_parse_notify(m.pl[3 + i].body, &n[i]), IKE_OK);
		assert_int_equal(n[i].type, notes[i]);
	}
	assert_int_equal(n[0].data.len, 20);
	assert_hex_equal(n[2].data.ptr, n[2].data.len, "0001000200030004");

	/* encoding what was parsed gives the peer's bytes back */
	ike_wbuf_init(&w, out, sizeof(out));
	ike_put_hdr(&w, &m.hdr);
	ike_put_sa(&w, &sa);
	ike_put_ke(&w, &ke);
	ike_put_nonce(&w, nonce);
	for (int i = 0; i < 3; i++)
		ike_put_notify(&w, &n[i]);
	assert_int_equal(ike_wbuf_finish(&w), len);
	assert_memory_equal(out, buf, len);

	/* an empty protected INFORMATIONAL response: SK with no inner chain */
	len = unhex(ws_info, buf, sizeof(buf));
	assert_int_equal(ike_msg_parse(buf, len, &m), IKE_OK);
	assert_int_equal(m.hdr.exchange, IKE_INFORMATIONAL);
	assert_int_equal(m.hdr.flags, IKE_FLAG_RESPONSE);
	assert_int_equal(m.hdr.msg_id, 2);
	assert_int_equal(m.n, 1);
	assert_int_equal(m.pl[0].type, IKE_PL_SK);
	assert_int_equal(m.pl[0].sk_first, IKE_PL_NONE);
	assert_int_equal(m.pl[0].body.len, 21);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_sa_init),
		cmocka_unit_test(test_encode_sa_init),
		cmocka_unit_test(test_encode_bounded),
		cmocka_unit_test(test_hdr_errors),
		cmocka_unit_test(test_chain_lengths),
		cmocka_unit_test(test_unknown_payloads),
		cmocka_unit_test(test_too_many_payloads),
		cmocka_unit_test(test_sk_payload),
		cmocka_unit_test(test_inner_chain),
		cmocka_unit_test(test_sa_malformed),
		cmocka_unit_test(test_ke),
		cmocka_unit_test(test_id),
		cmocka_unit_test(test_cert_certreq),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_nonce),
		cmocka_unit_test(test_notify),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_vendor),
		cmocka_unit_test(test_ts),
		cmocka_unit_test(test_ts_malformed),
		cmocka_unit_test(test_cp),
		cmocka_unit_test(test_eap),
		cmocka_unit_test(test_wireshark_capture),
	};

	return cmocka_run_group_tests_name("ike_msg", tests, NULL, NULL);
}
