// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Proposal strings to IANA transform IDs (RFC 7296 §3.3.2 and the IANA
 * IKEv2 registry), their errors, and responder-side selection.
 */
#include <errno.h>
#include <stdio.h>
#include "test_util.h"
#include "proposal.h"

struct xf {
	uint8_t type;
	uint16_t id, key_len;
};

static void check_parse(const char *str, uint8_t proto, const struct xf *want, size_t n)
{
	struct ike_proposal p;
	char err[256] = "";

	if (proposal_parse(str, proto, &p, err, sizeof(err)))
		fail_msg("'%s' rejected: %s", str, err);
	assert_int_equal(p.protocol, proto);
	assert_int_equal(p.spi_size, proto == IKE_PROTO_ESP ? 4 : 0);
	assert_int_equal(p.n, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(p.xf[i].type, want[i].type);
		assert_int_equal(p.xf[i].id, want[i].id);
		assert_int_equal(p.xf[i].key_len, want[i].key_len);
	}
}

#define CHECK(str, proto, ...) do {						\
	const struct xf w_[] = { __VA_ARGS__ };					\
	check_parse(str, proto, w_, sizeof(w_) / sizeof(w_[0]));		\
} while (0)

static void test_parse_ike(void **state)
{
	/* IANA: ENCR_AES_GCM_16 = 20, PRF_HMAC_SHA2_384 = 6, Curve25519 = 31 */
	CHECK("aes256gcm16-prfsha384-x25519", IKE_PROTO_IKE,
	      { 1, 20, 256 }, { 2, 6, 0 }, { 4, 31, 0 });
	/* ENCR_AES_CBC = 12, AUTH_HMAC_SHA2_256_128 = 12, PRF_HMAC_SHA2_256 = 5
	 * (implied by sha256), 3072-bit MODP = 15 */
	CHECK("aes128-sha256-modp3072", IKE_PROTO_IKE,
	      { 1, 12, 128 }, { 3, 12, 0 }, { 2, 5, 0 }, { 4, 15, 0 });
	/* an explicit PRF replaces the implied one; 256-bit random ECP = 19 */
	CHECK("aes256-sha512-prfsha256-ecp256", IKE_PROTO_IKE,
	      { 1, 12, 256 }, { 3, 14, 0 }, { 2, 5, 0 }, { 4, 19, 0 });
	/* alternatives keep their order; tokens are sorted by type */
	CHECK("ecp384-aes128-aes256-sha384-sha1-modp2048", IKE_PROTO_IKE,
	      { 1, 12, 128 }, { 1, 12, 256 }, { 3, 13, 0 }, { 3, 2, 0 },
	      { 2, 6, 0 }, { 2, 2, 0 }, { 4, 20, 0 }, { 4, 14, 0 });
	CHECK("chacha20poly1305-prfsha256-curve25519", IKE_PROTO_IKE,
	      { 1, 28, 0 }, { 2, 5, 0 }, { 4, 31, 0 });
	/* PRF_AES128_XCBC = 4 */
	CHECK("aes128gcm16-prfaesxcbc-ecp256", IKE_PROTO_IKE,
	      { 1, 20, 128 }, { 2, 4, 0 }, { 4, 19, 0 });
}

static void test_parse_esp(void **state)
{
	/* ESN "no" (0) is added when not named */
	CHECK("aes128gcm16", IKE_PROTO_ESP, { 1, 20, 128 }, { 5, 0, 0 });
	CHECK("aes256gcm16", IKE_PROTO_ESP, { 1, 20, 256 }, { 5, 0, 0 });
	/* RFC 7634: ENCR_CHACHA20_POLY1305 = 28, no key length attribute */
	CHECK("chacha20poly1305", IKE_PROTO_ESP, { 1, 28, 0 }, { 5, 0, 0 });
	/* AUTH_HMAC_SHA2_512_256 = 14 */
	CHECK("aes256-sha512", IKE_PROTO_ESP, { 1, 12, 256 }, { 3, 14, 0 }, { 5, 0, 0 });
	/* PFS group and ESN */
	CHECK("aes128gcm16-ecp384-esn", IKE_PROTO_ESP, { 1, 20, 128 }, { 4, 20, 0 }, { 5, 1, 0 });
	CHECK("aes128gcm12-aes128gcm8-noesn-esn", IKE_PROTO_ESP,
	      { 1, 19, 128 }, { 1, 18, 128 }, { 5, 0, 0 }, { 5, 1, 0 });
}

static void check_error(const char *str, uint8_t proto, const char *needle)
{
	struct ike_proposal p;
	char err[256] = "";

	assert_int_equal(proposal_parse(str, proto, &p, err, sizeof(err)), -EINVAL);
	if (!strstr(err, needle))
		fail_msg("'%s': error \"%s\" does not mention \"%s\"", str, err, needle);
}

static void test_parse_errors(void **state)
{
	check_error("aes128-foo-modp2048", IKE_PROTO_IKE, "unknown algorithm 'foo'");
	check_error("aes128-sha256-modp1023", IKE_PROTO_IKE, "'modp1023'");
	check_error("aes128--sha256", IKE_PROTO_IKE, "empty algorithm name");
	check_error("aes128-sha256-", IKE_PROTO_IKE, "empty algorithm name");
	check_error("", IKE_PROTO_ESP, "empty algorithm name");
	check_error("aes256gcm16-x25519", IKE_PROTO_IKE, "needs a PRF");
	check_error("aes128-modp2048", IKE_PROTO_IKE, "no integrity algorithm");
	check_error("aes128", IKE_PROTO_ESP, "no integrity algorithm");
	check_error("aes128-sha256", IKE_PROTO_IKE, "no key exchange group");
	check_error("sha256-x25519", IKE_PROTO_IKE, "no encryption algorithm");
	check_error("aes256gcm16-sha256", IKE_PROTO_ESP, "takes no integrity");
	check_error("aes128gcm16-aes128-sha256", IKE_PROTO_ESP, "cannot mix");
	check_error("aes128gcm16-prfsha256", IKE_PROTO_ESP, "'prfsha256' is not valid in an ESP");
	check_error("aes128gcm16-prfsha256-x25519-esn", IKE_PROTO_IKE,
		    "'esn' is not valid in an IKE");
	/* case matters, as in strongSwan */
	check_error("AES128-sha256-modp2048", IKE_PROTO_IKE, "unknown algorithm 'AES128'");
}

static void test_parse_list(void **state)
{
	struct ike_proposal p[4];
	char err[256] = "";
	size_t n;

	assert_int_equal(proposal_parse_list("aes256gcm16-prfsha384-x25519, aes128-sha256-modp3072",
					     IKE_PROTO_IKE, p, 4, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(p[0].num, 1);
	assert_int_equal(p[1].num, 2);
	assert_int_equal(p[1].xf[3].id, IKE_KE_MODP3072);
	assert_int_equal(proposal_parse_list("aes128gcm16,aes256-shaXYZ", IKE_PROTO_ESP, p, 4,
					     &n, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "unknown algorithm 'shaXYZ'"));
	assert_int_equal(proposal_parse_list("aes128gcm16,aes128gcm16,aes128gcm16", IKE_PROTO_ESP,
					     p, 2, &n, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "more than 2 proposals"));
}

static void test_format(void **state)
{
	struct ike_proposal p;
	char err[128], buf[128];

	assert_int_equal(proposal_parse("aes128-sha256-modp3072", IKE_PROTO_IKE, &p, err,
					sizeof(err)), 0);
	assert_true(proposal_format(&p, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "aes128-sha256-prfsha256-modp3072");
	assert_int_equal(proposal_parse("aes256gcm16-esn", IKE_PROTO_ESP, &p, err,
					sizeof(err)), 0);
	assert_true(proposal_format(&p, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "aes256gcm16-esn");
	assert_int_equal(proposal_format(&p, buf, 5), -ENOSPC);
	/* both ESN choices offered: "noesn" is no longer the silent default
	 * (found by userspace/fuzz's fuzz_proposal) */
	assert_int_equal(proposal_parse("aes128gcm16-noesn-esn", IKE_PROTO_ESP, &p, err,
					sizeof(err)), 0);
	assert_true(proposal_format(&p, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "aes128gcm16-noesn-esn");
	assert_int_equal(proposal_parse("aes128gcm16-noesn", IKE_PROTO_ESP, &p, err,
					sizeof(err)), 0);
	assert_true(proposal_format(&p, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "aes128gcm16");
}

static struct ike_proposal parse1(const char *s, uint8_t proto)
{
	struct ike_proposal p;
	char err[256];

	if (proposal_parse(s, proto, &p, err, sizeof(err)))
		fail_msg("%s", err);
	return p;
}

static void offer(struct ike_sa_payload *sa, const char *s, uint8_t proto)
{
	sa->prop[sa->n] = parse1(s, proto);
	sa->prop[sa->n].num = sa->n + 1;
	sa->n++;
}

static void expect_chosen(const struct ike_proposal *c, const char *want)
{
	char buf[256];

	assert_true(proposal_format(c, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, want);
}

static void test_select_order(void **state)
{
	struct ike_proposal mine[2] = {
		parse1("aes256gcm16-prfsha384-x25519", IKE_PROTO_IKE),
		parse1("aes128-sha256-modp3072", IKE_PROTO_IKE),
	};
	struct ike_sa_payload sa = { 0 };
	struct ike_proposal c;

	/* the peer prefers CBC, we prefer GCM: ours wins, with the peer's number */
	offer(&sa, "aes128-sha256-modp3072", IKE_PROTO_IKE);
	offer(&sa, "aes256gcm16-prfsha384-x25519", IKE_PROTO_IKE);
	assert_int_equal(proposal_select(mine, 2, &sa, &c), 0);
	expect_chosen(&c, "aes256gcm16-prfsha384-x25519");
	assert_int_equal(c.num, 2);
	/* only CBC on offer */
	sa.n = 1;
	assert_int_equal(proposal_select(mine, 2, &sa, &c), 0);
	expect_chosen(&c, "aes128-sha256-prfsha256-modp3072");
	assert_int_equal(c.num, 1);
}

static void test_select_transforms(void **state)
{
	struct ike_proposal mine =
		parse1("aes256gcm16-aes128gcm16-prfsha384-prfsha256-x25519-ecp256", IKE_PROTO_IKE);
	struct ike_sa_payload sa = { 0 };
	struct ike_proposal c;

	/* one peer proposal with every option, in the peer's own order */
	offer(&sa, "aes128gcm16-aes256gcm16-prfsha256-prfsha384-ecp256-x25519", IKE_PROTO_IKE);
	assert_int_equal(proposal_select(&mine, 1, &sa, &c), 0);
	expect_chosen(&c, "aes256gcm16-prfsha384-x25519");
	assert_int_equal(c.n, 3);
	assert_int_equal(proposal_get(&c, IKE_TRANS_KE)->id, IKE_KE_X25519);
	assert_null(proposal_get(&c, IKE_TRANS_INTEG));
}

static void test_select_none(void **state)
{
	struct ike_proposal mine = parse1("aes128-sha256-modp3072", IKE_PROTO_IKE);
	struct ike_sa_payload sa = { 0 };
	struct ike_proposal c;

	/* same algorithms but AES-256: the key length must match */
	offer(&sa, "aes256-sha256-modp3072", IKE_PROTO_IKE);
	/* one transform type short (different group) */
	offer(&sa, "aes128-sha256-modp2048", IKE_PROTO_IKE);
	assert_int_equal(proposal_select(&mine, 1, &sa, &c), -ENOENT);
	/* an ESP offer never satisfies an IKE proposal */
	sa.n = 0;
	offer(&sa, "aes128-sha256-modp3072", IKE_PROTO_ESP);
	assert_int_equal(proposal_select(&mine, 1, &sa, &c), -ENOENT);
	/* an attribute we do not understand rejects the peer's proposal */
	sa.n = 0;
	offer(&sa, "aes128-sha256-modp3072", IKE_PROTO_IKE);
	assert_int_equal(proposal_select(&mine, 1, &sa, &c), 0);
	sa.prop[0].xf[0].unknown_attr = true;
	assert_int_equal(proposal_select(&mine, 1, &sa, &c), -ENOENT);
	/* so does a transform type we do not know (e.g. RFC 9370's ADDKE1 = 6) */
	sa.prop[0].xf[0].unknown_attr = false;
	sa.prop[0].xf[sa.prop[0].n++] = (struct ike_transform){ .type = 6, .id = 31 };
	assert_int_equal(proposal_select(&mine, 1, &sa, &c), -ENOENT);
}

static void test_select_esp(void **state)
{
	struct ike_proposal mine = parse1("aes256gcm16", IKE_PROTO_ESP);
	struct ike_proposal pfs = parse1("aes256gcm16-ecp256", IKE_PROTO_ESP);
	struct ike_sa_payload sa = { 0 };
	struct ike_proposal c;

	/* a strongSwan-style ESP offer from the wire: SPI c0ffee01, GCM-16/256,
	 * ESN no and yes */
	static const char wire[] =
		"00 00 0028 01 03 04 03 c0ffee01"
		"  03 00 000c 01 00 0014 800e 0100"
		"  03 00 0008 05 00 0000"
		"  00 00 0008 05 00 0001";
	uint8_t b[64];
	size_t n = unhex(wire, b, sizeof(b));

	assert_int_equal(ike_parse_sa(IKE_BUF(b, n), &sa), IKE_OK);
	assert_int_equal(proposal_select(&mine, 1, &sa, &c), 0);
	assert_int_equal(c.protocol, IKE_PROTO_ESP);
	assert_int_equal(c.spi_size, 4);
	assert_memory_equal(c.spi, "\xc0\xff\xee\x01", 4);
	assert_int_equal(c.n, 2);
	assert_int_equal(proposal_get(&c, IKE_TRANS_ESN)->id, IKE_ESN_NO);
	/* we want PFS, the peer offers none */
	assert_int_equal(proposal_select(&pfs, 1, &sa, &c), -ENOENT);

	/* the peer insists on ESN */
	sa.n = 0;
	offer(&sa, "aes256gcm16-esn", IKE_PROTO_ESP);
	assert_int_equal(proposal_select(&mine, 1, &sa, &c), -ENOENT);

	/* the peer makes PFS optional (KE NONE or ecp256): both of us fit */
	sa.n = 0;
	offer(&sa, "aes256gcm16-ecp256", IKE_PROTO_ESP);
	sa.prop[0].xf[sa.prop[0].n++] = (struct ike_transform){ .type = IKE_TRANS_KE };
	assert_int_equal(proposal_select(&mine, 1, &sa, &c), 0);
	assert_null(proposal_get(&c, IKE_TRANS_KE));
	assert_int_equal(proposal_select(&pfs, 1, &sa, &c), 0);
	assert_int_equal(proposal_get(&c, IKE_TRANS_KE)->id, IKE_KE_ECP256);
	/* the peer requires PFS, we have no group configured */
	sa.prop[0].n--;
	assert_int_equal(proposal_select(&mine, 1, &sa, &c), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ike),
		cmocka_unit_test(test_parse_esp),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_select_order),
		cmocka_unit_test(test_select_transforms),
		cmocka_unit_test(test_select_none),
		cmocka_unit_test(test_select_esp),
	};

	return cmocka_run_group_tests_name("proposal", tests, NULL, NULL);
}
