// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cert.c: signing and verifying with every algorithm and method (RFC 7427
 * method 14 with RSA PKCS#1 v1.5, RSASSA-PSS, ECDSA P-256/P-384; the
 * classic methods 1, 9, 10), hostile AUTH data (trailing garbage after
 * the DigestInfo, a tiny RSA modulus, bad AlgorithmIdentifiers), the PAD
 * identity check, chain verification failures, CERT payload parsing,
 * credential loading and the CERTREQ hash against a value computed with
 * the openssl command line.
 */
#include <errno.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include "test_certs.h"
#include "cert.h"
#include "config.h"

static EVP_PKEY *rsa, *rsa_b, *rsa1024, *p256, *p256_b, *p384, *p521, *ca_key, *ca2_key, *ed;
static X509 *ca, *ca2, *inter, *leaf, *leaf_via_inter, *expired, *future, *leaf_ca2,
	*leaf_small, *leaf_p256;
static EVP_PKEY *inter_key;

static int group_setup(void **state)
{
	rsa = tc_key("rsa2048");
	rsa_b = tc_key("rsa2048");
	rsa1024 = tc_key("rsa1024");
	p256 = tc_key("p256");
	p256_b = tc_key("p256");
	p384 = tc_key("p384");
	p521 = tc_key("p521");
	ed = tc_key("ed25519");
	ca_key = tc_key("p384");
	ca2_key = tc_key("p256");
	inter_key = tc_key("p256");
	ca = tc_cert(ca_key, "Test CA", NULL, NULL, true, -1, 3650, NULL);
	ca2 = tc_cert(ca2_key, "Other CA", NULL, NULL, true, -1, 3650, NULL);
	inter = tc_cert(inter_key, "Intermediate", ca, ca_key, true, -1, 3650, NULL);
	leaf = tc_cert(rsa, "gw.example", ca, ca_key, false, -1, 365,
		       "DNS:gw.example,email:ops@example.org,IP:192.0.2.1,IP:2001:db8::1");
	leaf_via_inter = tc_cert(p256, "leaf2.example", inter, inter_key, false, -1, 365,
				 "DNS:leaf2.example");
	expired = tc_cert(rsa, "old.example", ca, ca_key, false, -400, 365, "DNS:old.example");
	future = tc_cert(rsa, "new.example", ca, ca_key, false, 10, 365, "DNS:new.example");
	leaf_ca2 = tc_cert(rsa, "gw.example", ca2, ca2_key, false, -1, 365, "DNS:gw.example");
	leaf_small = tc_cert(rsa1024, "small.example", ca, ca_key, false, -1, 365,
			     "DNS:small.example");
	leaf_p256 = tc_cert(p256, "p256.example", ca, ca_key, false, -1, 365, "DNS:p256.example");
	return 0;
}

static int group_teardown(void **state)
{
	EVP_PKEY *keys[] = { rsa, rsa_b, rsa1024, p256, p256_b, p384, p521, ed, ca_key, ca2_key,
			     inter_key };
	X509 *certs[] = { ca, ca2, inter, leaf, leaf_via_inter, expired, future, leaf_ca2,
			  leaf_small, leaf_p256 };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		EVP_PKEY_free(keys[i]);
	for (size_t i = 0; i < sizeof(certs) / sizeof(certs[0]); i++)
		X509_free(certs[i]);
	return 0;
}

static const uint8_t octets_data[] = "IKE_SA_INIT message | nonce | prf(SK_p, IDx')";
#define OCTETS IKE_BUF(octets_data, sizeof(octets_data) - 1)

/* The public half of a key, as a peer's certificate would give it. */
static EVP_PKEY *pub_of(EVP_PKEY *key)
{
	unsigned char *der = NULL;
	const unsigned char *p;
	int len = i2d_PUBKEY(key, &der);
	EVP_PKEY *pub;

	assert_true(len > 0);
	p = der;
	pub = d2i_PUBKEY(NULL, &p, len);
	OPENSSL_free(der);
	assert_non_null(pub);
	return pub;
}

static void test_hashes_parse(void **state)
{
	static const uint8_t ours[] = { 0, 2, 0, 3, 0, 4 }, odd[] = { 0, 2, 0 },
		sha1_unknown[] = { 0, 1, 0x12, 0x34, 0, 5 };

	assert_int_equal(ike_sig_hashes_parse(IKE_BUF(ours, 6)), IKE_HASHES_OURS);
	assert_int_equal(ike_sig_hashes_parse(IKE_BUF(odd, 3)), 0);
	assert_int_equal(ike_sig_hashes_parse(IKE_BUF(sha1_unknown, 6)),
			 IKE_HASH_BIT(1) | IKE_HASH_BIT(5));
	assert_int_equal(ike_sig_hashes_parse(IKE_BUF(NULL, 0)), 0);
}

struct sig_case {
	const char *name;
	EVP_PKEY **key;
	bool pss;
	unsigned int peer;
	uint8_t method;
	const char *aid;	/* the AlgorithmIdentifier (hex) for method 14, or NULL */
	size_t len;		/* signature length for fixed-size methods, else 0 */
};

#define H(x) IKE_HASH_BIT(IKE_HASH_SHA2_##x)
static const struct sig_case sig_cases[] = {
	/* RFC 7427 Appendix A.1.1: sha256WithRSAEncryption */
	{ "rsa pkcs1 sha256", &rsa, false, IKE_HASHES_OURS, IKE_AUTH_DIGITAL_SIG,
	  "300d06092a864886f70d01010b0500", 0 },
	{ "rsa pkcs1 sha512 only", &rsa, false, H(512), IKE_AUTH_DIGITAL_SIG,
	  "300d06092a864886f70d01010d0500", 0 },
	/* RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32 (RFC 7427 A.4.3 minus
	 * its explicit trailer) */
	{ "rsa pss sha256", &rsa, true, IKE_HASHES_OURS, IKE_AUTH_DIGITAL_SIG,
	  "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a8648"
	  "86f70d010108300d06096086480165030402010500a203020120", 0 },
	/* A.3.1/A.3.2: ecdsa-with-SHA256 / -SHA384 */
	{ "ecdsa p256", &p256, false, IKE_HASHES_OURS, IKE_AUTH_DIGITAL_SIG,
	  "300a06082a8648ce3d040302", 0 },
	{ "ecdsa p384", &p384, false, IKE_HASHES_OURS, IKE_AUTH_DIGITAL_SIG,
	  "300a06082a8648ce3d040303", 0 },
	{ "ecdsa p384 peer sha256 only", &p384, false, H(256), IKE_AUTH_DIGITAL_SIG,
	  "300a06082a8648ce3d040302", 0 },
	{ "ecdsa p521", &p521, false, IKE_HASHES_OURS, IKE_AUTH_DIGITAL_SIG,
	  "300a06082a8648ce3d040304", 0 },
	/* no SIGNATURE_HASH_ALGORITHMS from the peer (or only SHA-1) */
	{ "classic rsa", &rsa, false, 0, IKE_AUTH_RSA_SIG, NULL, 256 },
	{ "classic rsa, peer sha1 only", &rsa, false, IKE_HASH_BIT(IKE_HASH_SHA1),
	  IKE_AUTH_RSA_SIG, NULL, 256 },
	{ "classic ecdsa p256", &p256, false, 0, IKE_AUTH_ECDSA_256, NULL, 64 },
	{ "classic ecdsa p384", &p384, false, 0, IKE_AUTH_ECDSA_384, NULL, 96 },
	{ "classic ecdsa p521", &p521, false, 0, IKE_AUTH_ECDSA_521, NULL, 132 },
};

static void test_sign_verify(void **state)
{
	for (size_t i = 0; i < sizeof(sig_cases) / sizeof(sig_cases[0]); i++) {
		const struct sig_case *c = &sig_cases[i];
		uint8_t out[IKE_AUTH_DATA_MAX], bad[IKE_AUTH_DATA_MAX], bad_octets[sizeof(octets_data)];
		EVP_PKEY *pub = pub_of(*c->key), *other = pub_of(EVP_PKEY_is_a(*c->key, "RSA") ?
								  rsa_b : p256_b);
		uint8_t method = 0;
		char err[200] = "";
		size_t len = 0;

		print_message("# %s\n", c->name);
		assert_int_equal(ike_sig_sign(*c->key, c->pss, c->peer, OCTETS, &method, out,
					      sizeof(out), &len), 0);
		assert_int_equal(method, c->method);
		if (c->aid) {
			uint8_t aid[128];
			size_t alen = unhex(c->aid, aid, sizeof(aid));

			assert_int_equal(out[0], alen);
			assert_memory_equal(out + 1, aid, alen);
		} else {
			assert_int_equal(len, c->len);
		}
		if (ike_sig_verify(pub, method, IKE_BUF(out, len), OCTETS, err, sizeof(err)))
			fail_msg("%s: %s", c->name, err);
		/* other octets, a flipped signature bit, another key */
		memcpy(bad_octets, octets_data, sizeof(bad_octets));
		bad_octets[3] ^= 1;
		assert_int_not_equal(ike_sig_verify(pub, method, IKE_BUF(out, len),
						    IKE_BUF(bad_octets, sizeof(octets_data) - 1),
						    err, sizeof(err)), 0);
		memcpy(bad, out, len);
		bad[len - 5] ^= 0x10;
		assert_int_not_equal(ike_sig_verify(pub, method, IKE_BUF(bad, len), OCTETS, err,
						    sizeof(err)), 0);
		assert_int_not_equal(ike_sig_verify(other, method, IKE_BUF(out, len), OCTETS, err,
						    sizeof(err)), 0);
		/* truncated, and with a byte appended */
		assert_int_not_equal(ike_sig_verify(pub, method, IKE_BUF(out, len - 1), OCTETS, err,
						    sizeof(err)), 0);
		memcpy(bad, out, len);
		bad[len] = 0;
		assert_int_not_equal(ike_sig_verify(pub, method, IKE_BUF(bad, len + 1), OCTETS, err,
						    sizeof(err)), 0);
		EVP_PKEY_free(pub);
		EVP_PKEY_free(other);
	}
}

/* The method must fit the key: an ECDSA signature checked as RSA and so on. */
static void test_method_key_mismatch(void **state)
{
	uint8_t out[IKE_AUTH_DATA_MAX], method;
	EVP_PKEY *pub_rsa = pub_of(rsa), *pub_p256 = pub_of(p256), *pub_p384 = pub_of(p384);
	char err[200];
	size_t len;

	assert_int_equal(ike_sig_sign(p256, false, IKE_HASHES_OURS, OCTETS, &method, out,
				      sizeof(out), &len), 0);
	assert_int_equal(ike_sig_verify(pub_rsa, method, IKE_BUF(out, len), OCTETS, err,
					sizeof(err)), -EKEYREJECTED);
	assert_string_equal(err, "signature algorithm does not fit the certificate's key");
	assert_int_equal(ike_sig_sign(p256, false, 0, OCTETS, &method, out, sizeof(out), &len), 0);
	assert_int_equal(ike_sig_verify(pub_p384, method, IKE_BUF(out, len), OCTETS, err,
					sizeof(err)), -EKEYREJECTED);
	assert_int_equal(ike_sig_verify(pub_rsa, IKE_AUTH_RSA_SIG, IKE_BUF(out, len), OCTETS, err,
					sizeof(err)), -EBADMSG);
	assert_int_equal(ike_sig_verify(pub_p256, IKE_AUTH_PSK, IKE_BUF(out, len), OCTETS, err,
					sizeof(err)), -ENOTSUP);
	assert_int_equal(ike_sig_verify(pub_p256, IKE_AUTH_DSS_SIG, IKE_BUF(out, len), OCTETS,
					err, sizeof(err)), -ENOTSUP);
	/* no classic method for PSS; Ed25519 is not offered */
	assert_int_equal(ike_sig_sign(rsa, true, 0, OCTETS, &method, out, sizeof(out), &len),
			 -ENOTSUP);
	assert_int_equal(ike_sig_sign(ed, false, IKE_HASHES_OURS, OCTETS, &method, out,
				      sizeof(out), &len), -ENOTSUP);
	/* no room */
	assert_int_equal(ike_sig_sign(rsa, false, IKE_HASHES_OURS, OCTETS, &method, out, 100,
				      &len), -ENOSPC);
	EVP_PKEY_free(pub_rsa);
	EVP_PKEY_free(pub_p256);
	EVP_PKEY_free(pub_p384);
}

/* Hostile method 14 framing. */
static void test_bad_algorithm_identifier(void **state)
{
	static const char *const cases[] = {
		"",				/* nothing */
		"00",				/* empty AlgorithmIdentifier */
		"0f300d06092a864886f70d01010b0500",	/* no signature after it */
		"ff300d06092a864886f70d01010b0500aa",	/* length beyond the data */
		"0e300d06092a864886f70d01010b0500aa",	/* length one short of the DER */
		"10300d06092a864886f70d01010b050000aa",	/* one byte of DER too many */
		"0f300e06092a864886f70d01010b0500aa",	/* inner length wrong */
		"05deadbeef00aa",		/* not DER */
		/* sha1WithRSAEncryption: SHA-1 is not in our list */
		"0f300d06092a864886f70d0101050500aa",
		/* sha256WithRSAEncryption with an INTEGER parameter */
		"10300e06092a864886f70d01010b020101aa",
		/* ecdsa-with-SHA256 with a NULL parameter */
		"0e300c06082a8648ce3d0403020500aa",
		/* rsassaPss without parameters */
		"0d300b06092a864886f70d01010aaa",
		/* rsassaPss with hash SHA-1 (default parameters) */
		"0f300d06092a864886f70d01010a3000aa",
		/* an unknown OID */
		"0b300906072a030405060708aa",
	};
	EVP_PKEY *pub_rsa = pub_of(rsa);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t data[64];
		size_t len = unhex(cases[i], data, sizeof(data));
		char err[200] = "";

		assert_int_not_equal(ike_sig_verify(pub_rsa, IKE_AUTH_DIGITAL_SIG,
						    IKE_BUF(data, len), OCTETS, err, sizeof(err)), 0);
		assert_true(err[0]);
		print_message("# %s: %s\n", cases[i], err);
	}
	EVP_PKEY_free(pub_rsa);
}

/* PKCS#1 v1.5 block with the DigestInfo, and garbage after it (the
 * padding one byte per garbage byte shorter): a classic forgery vector
 * against lax parsers (e.g. CVE-2006-4339, strongSwan CVE-2018-16152). */
static void test_rsa_trailing_garbage(void **state)
{
	static const uint8_t sha256_prefix[] = {
		0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02,
		0x01, 0x05, 0x00, 0x04, 0x20 };
	uint8_t em[256], sig[300], data[400], aid[] = {
		0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05,
		0x00 };
	EVP_PKEY *pub = pub_of(rsa);
	EVP_PKEY_CTX *ctx;
	unsigned int mdlen;
	char err[200];

	for (size_t garbage = 0; garbage <= 4; garbage += 4) {
		size_t t = sizeof(sha256_prefix) + 32 + garbage, siglen = sizeof(sig), pos;

		em[0] = 0;
		em[1] = 1;
		memset(em + 2, 0xff, sizeof(em) - 3 - t);
		pos = sizeof(em) - t - 1;
		em[pos++] = 0;
		memcpy(em + pos, sha256_prefix, sizeof(sha256_prefix));
		pos += sizeof(sha256_prefix);
		assert_true(EVP_Digest(octets_data, sizeof(octets_data) - 1, em + pos, &mdlen,
				       EVP_sha256(), NULL));
		memset(em + pos + 32, 0xab, garbage);
		ctx = EVP_PKEY_CTX_new(rsa, NULL);
		assert_int_equal(EVP_PKEY_sign_init(ctx), 1);
		assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING), 1);
		assert_int_equal(EVP_PKEY_sign(ctx, sig, &siglen, em, sizeof(em)), 1);
		EVP_PKEY_CTX_free(ctx);
		data[0] = sizeof(aid);
		memcpy(data + 1, aid, sizeof(aid));
		memcpy(data + 1 + sizeof(aid), sig, siglen);
		/* the well-formed block verifies: the test can tell the two apart */
		assert_int_equal(ike_sig_verify(pub, IKE_AUTH_DIGITAL_SIG,
						IKE_BUF(data, 1 + sizeof(aid) + siglen), OCTETS,
						err, sizeof(err)), garbage ? -EBADMSG : 0);
	}
	EVP_PKEY_free(pub);
}

static void test_tiny_rsa_modulus(void **state)
{
	uint8_t out[IKE_AUTH_DATA_MAX], method;
	EVP_PKEY *pub = pub_of(rsa1024);
	char err[200];
	size_t len;

	/* a valid signature by a 1024-bit key is refused for the key */
	assert_int_equal(ike_sig_sign(rsa1024, false, IKE_HASHES_OURS, OCTETS, &method, out,
				      sizeof(out), &len), 0);
	assert_int_equal(ike_sig_verify(pub, method, IKE_BUF(out, len), OCTETS, err, sizeof(err)),
			 -EKEYREJECTED);
	assert_string_equal(err, "peer's RSA key of 1024 bits, fewer than 2048");
	EVP_PKEY_free(pub);
}

struct id_case {
	uint8_t type;
	const char *data;	/* text, or hex after "x:" */
	bool match;
};

static struct ike_buf id_data(const char *s, uint8_t *buf, size_t cap)
{
	if (!strncmp(s, "x:", 2))
		return IKE_BUF(buf, unhex(s + 2, buf, cap));
	return IKE_BUF(s, strlen(s));
}

static void test_cert_has_id(void **state)
{
	static const struct id_case cases[] = {
		{ IKE_ID_FQDN, "gw.example", true },
		{ IKE_ID_FQDN, "GW.Example", true },
		{ IKE_ID_FQDN, "gw.example.", false },
		{ IKE_ID_FQDN, "x.gw.example", false },
		{ IKE_ID_FQDN, "x:67772e6578616d706c6500", false },	/* with a NUL */
		{ IKE_ID_FQDN, "ops@example.org", false },
		{ IKE_ID_RFC822_ADDR, "ops@example.org", true },
		{ IKE_ID_RFC822_ADDR, "gw.example", false },
		{ IKE_ID_IPV4_ADDR, "x:c0000201", true },
		{ IKE_ID_IPV4_ADDR, "x:c0000202", false },
		{ IKE_ID_IPV4_ADDR, "x:c00002", false },
		{ IKE_ID_IPV6_ADDR, "x:20010db8000000000000000000000001", true },
		{ IKE_ID_IPV6_ADDR, "x:20010db8000000000000000000000002", false },
		/* the IPv4 address as a 16-byte IPv6 identity */
		{ IKE_ID_IPV6_ADDR, "x:00000000000000000000ffffc0000201", false },
		{ IKE_ID_KEY_ID, "gw.example", false },
		{ IKE_ID_FQDN, "", false },
	};
	uint8_t buf[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ike_buf d = id_data(cases[i].data, buf, sizeof(buf));

		print_message("# %u %s\n", cases[i].type, cases[i].data);
		assert_int_equal(ike_cert_has_id(leaf, cases[i].type, d), cases[i].match);
	}
}

/* DNs: the subject, however its strings are encoded, and not another. */
static void test_cert_has_dn(void **state)
{
	char err[200];
	struct config cfg;
	static const char *const yes[] = {
		"C=CH, O=nfsec test, CN=gw.example", "C=ch, O=NFSEC  test,CN=GW.EXAMPLE",
	};
	static const char *const no[] = {
		"C=CH, O=nfsec test, CN=gw2.example", "C=CH, O=nfsec test",
		"O=nfsec test, C=CH, CN=gw.example",
	};

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < (pass ? 3 : 2); i++) {
			char text[400];

			snprintf(text, sizeof(text),
				 "conn x {\n remote 192.0.2.2 ; local 192.0.2.1 ; auth psk ; psk s\n"
				 " remote-id \"dn:%s\"\n}\n", pass ? no[i] : yes[i]);
			if (config_parse("t.conf", text, strlen(text), &cfg, err, sizeof(err)))
				fail_msg("%s", err);
			assert_int_equal(ike_cert_has_id(leaf, IKE_ID_DER_ASN1_DN,
							 IKE_BUF(cfg.conns[0].remote_id.data,
								 cfg.conns[0].remote_id.len)),
					 !pass);
			config_free(&cfg);
		}
	}
}

static void test_id_equal(void **state)
{
	X509_NAME *n2 = X509_NAME_new();
	uint8_t a[128], b[128];
	unsigned char *p = a;
	size_t la, lb;

	la = (size_t)i2d_X509_NAME(X509_get_subject_name(leaf), &p);
	/* the same DN with PrintableStrings, other case and spacing */
	X509_NAME_add_entry_by_txt(n2, "C", V_ASN1_PRINTABLESTRING, (const unsigned char *)"ch",
				   -1, -1, 0);
	X509_NAME_add_entry_by_txt(n2, "O", V_ASN1_PRINTABLESTRING,
				   (const unsigned char *)" NFSEC  Test", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n2, "CN", V_ASN1_PRINTABLESTRING,
				   (const unsigned char *)"GW.example", -1, -1, 0);
	p = b;
	lb = (size_t)i2d_X509_NAME(n2, &p);
	X509_NAME_free(n2);
	assert_memory_not_equal(a, b, la < lb ? la : lb);
	assert_true(ike_id_equal(IKE_ID_DER_ASN1_DN, IKE_BUF(a, la), IKE_BUF(b, lb)));
	assert_true(ike_cert_has_id(leaf, IKE_ID_DER_ASN1_DN, IKE_BUF(b, lb)));
	assert_true(ike_id_equal(IKE_ID_DER_ASN1_DN, IKE_BUF(a, la), IKE_BUF(a, la)));
	assert_false(ike_id_equal(IKE_ID_DER_ASN1_DN, IKE_BUF(a, la), IKE_BUF(a, la - 1)));
	assert_false(ike_id_equal(IKE_ID_DER_ASN1_DN, IKE_BUF("x", 1), IKE_BUF("x", 1)));
	assert_true(ike_id_equal(IKE_ID_FQDN, IKE_BUF("A.example", 9), IKE_BUF("a.EXAMPLE", 9)));
	assert_false(ike_id_equal(IKE_ID_FQDN, IKE_BUF("a.example", 9), IKE_BUF("a.exampl", 8)));
	assert_false(ike_id_equal(IKE_ID_FQDN, IKE_BUF("a\0b", 3), IKE_BUF("a\0b", 3)));
	assert_true(ike_id_equal(IKE_ID_IPV4_ADDR, IKE_BUF("\xc0\0\2\1", 4),
				 IKE_BUF("\xc0\0\2\1", 4)));
	assert_false(ike_id_equal(IKE_ID_KEY_ID, IKE_BUF("AB", 2), IKE_BUF("ab", 2)));
}

static struct ike_creds *creds_with(X509 *const *cas, size_t n)
{
	struct ike_creds *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	c->store = X509_STORE_new();
	for (size_t i = 0; i < n; i++)
		assert_true(X509_STORE_add_cert(c->store, cas[i]));
	return c;
}

static struct ike_peer_certs peer_of(X509 *const *certs, size_t n)
{
	struct ike_peer_certs pc = { 0 };
	char err[200];

	for (size_t i = 0; i < n; i++) {
		unsigned char *der = NULL;
		int len = i2d_X509(certs[i], &der);
		struct ike_cert c = { IKE_CERT_X509_SIG, IKE_BUF(der, (size_t)len) };

		assert_int_equal(ike_peer_certs_add(&pc, &c, err, sizeof(err)), 0);
		OPENSSL_free(der);
	}
	return pc;
}

static void chain_case(X509 *const *cas, size_t n_ca, X509 *const *certs, size_t n, int want,
		       const char *msg)
{
	struct ike_creds *c = creds_with(cas, n_ca);
	struct ike_peer_certs pc = peer_of(certs, n);
	char err[200] = "";

	assert_int_equal(ike_chain_verify(c, &pc, err, sizeof(err)), want);
	if (msg)
		assert_string_equal(err, msg);
	ike_peer_certs_free(&pc);
	ike_creds_free(c);
}

static void test_chain_verify(void **state)
{
	chain_case(&ca, 1, &leaf, 1, 0, NULL);
	chain_case(&ca, 1, (X509 *[]){ leaf_via_inter, inter }, 2, 0, NULL);
	chain_case((X509 *[]){ ca2, ca }, 2, &leaf, 1, 0, NULL);
	chain_case(&ca2, 1, &leaf, 1, -EKEYREJECTED,
		   "certificate chain does not verify: unable to get local issuer certificate "
		   "(depth 0)");
	chain_case(&ca, 1, &leaf_ca2, 1, -EKEYREJECTED,
		   "certificate chain does not verify: unable to get local issuer certificate "
		   "(depth 0)");
	/* the intermediate is missing */
	chain_case(&ca, 1, &leaf_via_inter, 1, -EKEYREJECTED,
		   "certificate chain does not verify: unable to get local issuer certificate "
		   "(depth 0)");
	chain_case(&ca, 1, &expired, 1, -EKEYREJECTED,
		   "certificate chain does not verify: certificate has expired (depth 0)");
	chain_case(&ca, 1, &future, 1, -EKEYREJECTED,
		   "certificate chain does not verify: certificate is not yet valid (depth 0)");
	chain_case(&ca, 1, &leaf_small, 1, -EKEYREJECTED,
		   "certificate with RSA key of 1024 bits, fewer than 2048");
	/* a self-signed leaf the peer made up is not an anchor */
	chain_case(&ca, 1, &ca2, 1, -EKEYREJECTED,
		   "certificate chain does not verify: self-signed certificate (depth 0)");
	/* no anchors at all */
	chain_case(NULL, 0, &leaf, 1, -EKEYREJECTED, NULL);
	chain_case(&ca, 1, NULL, 0, -ENOENT, "no certificate");
}

static void test_peer_certs_hostile(void **state)
{
	struct ike_peer_certs pc = { 0 };
	unsigned char *der = NULL, big[70000];
	int len = i2d_X509(leaf, &der);
	char err[200];
	struct ike_cert c = { IKE_CERT_X509_SIG, IKE_BUF(der, (size_t)len) };

	c.encoding = 12;	/* hash and URL */
	assert_int_equal(ike_peer_certs_add(&pc, &c, err, sizeof(err)), -ENOTSUP);
	c.encoding = IKE_CERT_X509_SIG;
	c.data.len = 0;
	assert_int_equal(ike_peer_certs_add(&pc, &c, err, sizeof(err)), -EINVAL);
	for (size_t cut = 1; cut < (size_t)len; cut += 97) {
		c.data.len = (size_t)len - cut;
		assert_int_equal(ike_peer_certs_add(&pc, &c, err, sizeof(err)), -EINVAL);
	}
	memcpy(big, der, len);
	big[len] = 0;
	c.data = IKE_BUF(big, (size_t)len + 1);	/* trailing byte */
	assert_int_equal(ike_peer_certs_add(&pc, &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "certificate is not one DER X.509 certificate");
	memset(big, 0x30, sizeof(big));
	c.data = IKE_BUF(big, sizeof(big));
	assert_int_equal(ike_peer_certs_add(&pc, &c, err, sizeof(err)), -EINVAL);
	/* a huge length in the outer SEQUENCE */
	big[0] = 0x30;
	big[1] = 0x84;
	big[2] = big[3] = big[4] = big[5] = 0xff;
	c.data = IKE_BUF(big, 100);
	assert_int_equal(ike_peer_certs_add(&pc, &c, err, sizeof(err)), -EINVAL);
	assert_null(pc.leaf);
	/* a public key of an algorithm OpenSSL does not know: X509_get0_pubkey()
	 * is NULL (found by fuzz_cert: it crashed the chain check) */
	{
		unsigned char *der2 = NULL, *oid;
		int len2 = i2d_X509(leaf_p256, &der2);
		struct ike_creds *cr = creds_with(&ca, 1);
		struct ike_peer_certs pc2 = { 0 };
		struct ike_cert c2 = { IKE_CERT_X509_SIG, IKE_BUF(der2, (size_t)len2) };

		/* id-ecPublicKey 1.2.840.10045.2.1 -> 1.2.840.10045.2.127 */
		oid = memmem(der2, len2, "\x2a\x86\x48\xce\x3d\x02\x01", 7);
		assert_non_null(oid);
		oid[6] = 0x7f;
		assert_int_equal(ike_peer_certs_add(&pc2, &c2, err, sizeof(err)), 0);
		assert_null(X509_get0_pubkey(pc2.leaf));
		assert_int_equal(ike_chain_verify(cr, &pc2, err, sizeof(err)), -EKEYREJECTED);
		assert_string_equal(err, "certificate with a public key that cannot be decoded");
		ike_peer_certs_free(&pc2);
		ike_creds_free(cr);
		OPENSSL_free(der2);
		ERR_clear_error();
	}
	c.data = IKE_BUF(der, (size_t)len);
	for (int i = 0; i < IKE_PEER_CERTS_MAX; i++)
		assert_int_equal(ike_peer_certs_add(&pc, &c, err, sizeof(err)), 0);
	assert_int_equal(ike_peer_certs_add(&pc, &c, err, sizeof(err)), -E2BIG);
	ike_peer_certs_free(&pc);
	OPENSSL_free(der);
}

/* The CA of this test's vector: only the certificate, its key was thrown
 * away. Hash by: openssl x509 -pubkey -noout | openssl pkey -pubin
 * -outform der | sha1sum (the subject key identifier, SHA-1 of the key
 * bits alone, is 91592a87...: a different value). */
static const char vector_ca[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIB3zCCAYWgAwIBAgIUCZxZdGOiRIzgBrwLbbszC1gE4XIwCgYIKoZIzj0EAwIw\n"
	"RDELMAkGA1UEBhMCQ0gxEzARBgNVBAoMCm5mc2VjIHRlc3QxIDAeBgNVBAMMF25m\n"
	"c2VjIENFUlRSRVEgdmVjdG9yIENBMCAXDTI2MTEyNzExMjMyOFoYDzIxMjYxMTAz\n"
	"MTEyMzI4WjBEMQswCQYDVQQGEwJDSDETMBEGA1UECgwKbmZzZWMgdGVzdDEgMB4G\n"
	"A1UEAwwXbmZzZWMgQ0VSVFJFUSB2ZWN0b3IgQ0EwWTATBgcqhkjOPQIBBggqhkjO\n"
	"PQMBBwNCAASl+l/mpCUDrxHsDPg4YyVODI+lnqV8uTKduuVuFpM9T7oZASvJH/lf\n"
	"0HscFwi1p+r5EiXjK8RhErRYcrqoFHoNo1MwUTAdBgNVHQ4EFgQUkVkqhw1X0Bot\n"
	"/FiLRIR9vwb0kPcwHwYDVR0jBBgwFoAUkVkqhw1X0Bot/FiLRIR9vwb0kPcwDwYD\n"
	"VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEA2P57NOydXSWFNoDIrtOm\n"
	"NQaeoAiP87psiGLjGsgWp9kCICRC0GQLowYx8G3RsnAstbbKStPCx7tDqDvmQGTv\n"
	"PT1w\n"
	"-----END CERTIFICATE-----\n";

static void write_text(const char *dir, const char *name, const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static int load(const char *dir, const char *cert, const char *key, const char *ca1,
		const char *ca2_name, bool pss, struct ike_creds **c, int *which, char *err,
		size_t errlen)
{
	char pc[512], pk[512], p1[512], p2[512];
	char *cas[2] = { p1, p2 };

	snprintf(pc, sizeof(pc), "%s/%s", dir, cert);
	snprintf(pk, sizeof(pk), "%s/%s", dir, key);
	snprintf(p1, sizeof(p1), "%s/%s", dir, ca1);
	snprintf(p2, sizeof(p2), "%s/%s", dir, ca2_name ? ca2_name : "");
	return ike_creds_load(c, pc, pk, cas, ca2_name ? 2 : 1, pss, which, err, errlen);
}

static void test_creds_load(void **state)
{
	static const uint8_t vector_hash[] = {
		0x7a, 0x62, 0x3f, 0x8e, 0xf9, 0x8c, 0x91, 0x4c, 0x6c, 0xe2,
		0x32, 0xfa, 0xb0, 0x7b, 0x6e, 0x78, 0x99, 0x02, 0x79, 0xea };
	char *dir = tc_mkdir(), err[600];
	struct ike_creds *c;
	unsigned char *der = NULL;
	int which, dlen;

	write_text(dir, "vector.pem", vector_ca, sizeof(vector_ca) - 1);
	tc_write(dir, "leaf.pem", (X509 *[]){ leaf }, 1, NULL);
	tc_write(dir, "leaf-chain.pem", (X509 *[]){ leaf_via_inter, inter }, 2, NULL);
	tc_write(dir, "rsa.key", NULL, 0, rsa);
	tc_write(dir, "p256.key", NULL, 0, p256);
	tc_write(dir, "ca.pem", (X509 *[]){ ca, ca2 }, 2, NULL);
	tc_write(dir, "small.pem", (X509 *[]){ leaf_small }, 1, rsa1024);
	dlen = i2d_X509(leaf, &der);
	write_text(dir, "leaf.der", der, (size_t)dlen);
	OPENSSL_free(der);
	write_text(dir, "garbage.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n"
		   "-----END CERTIFICATE-----\n", 54);
	write_text(dir, "empty", "", 0);

	/* CERTREQ hashes: the vector's, then the two of ca.pem */
	assert_int_equal(load(dir, "leaf.pem", "rsa.key", "vector.pem", "ca.pem", false, &c,
			      &which, err, sizeof(err)), 0);
	assert_int_equal(c->n_ca, 3);
	assert_memory_equal(c->ca_hashes, vector_hash, 20);
	assert_memory_not_equal(c->ca_hashes + 20, c->ca_hashes + 40, 20);
	assert_int_equal(sk_X509_num(c->chain), 0);
	ike_creds_free(c);
	/* DER certificate; a chain file */
	assert_int_equal(load(dir, "leaf.der", "rsa.key", "ca.pem", NULL, true, &c, &which, err,
			      sizeof(err)), 0);
	assert_true(c->rsa_pss);
	ike_creds_free(c);
	assert_int_equal(load(dir, "leaf-chain.pem", "p256.key", "ca.pem", NULL, false, &c,
			      &which, err, sizeof(err)), 0);
	assert_int_equal(sk_X509_num(c->chain), 1);
	ike_creds_free(c);

	assert_int_equal(load(dir, "leaf.pem", "p256.key", "ca.pem", NULL, false, &c, &which,
			      err, sizeof(err)), -EINVAL);
	assert_int_equal(which, IKE_CREDS_KEY);
	assert_non_null(strstr(err, "does not belong to certificate"));
	assert_null(c);
	assert_int_equal(load(dir, "leaf-chain.pem", "p256.key", "ca.pem", NULL, true, &c, &which,
			      err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "rsa-pss with a key that is not RSA"));
	assert_int_equal(load(dir, "small.pem", "small.pem", "ca.pem", NULL, false, &c, &which,
			      err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "RSA key of 1024 bits, fewer than 2048"));
	assert_int_equal(load(dir, "garbage.pem", "rsa.key", "ca.pem", NULL, false, &c, &which,
			      err, sizeof(err)), -EINVAL);
	assert_int_equal(which, IKE_CREDS_CERT);
	assert_non_null(strstr(err, "bad PEM certificate"));
	assert_int_equal(load(dir, "rsa.key", "rsa.key", "ca.pem", NULL, false, &c, &which, err,
			      sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "holds no certificate"));
	assert_int_equal(load(dir, "empty", "rsa.key", "ca.pem", NULL, false, &c, &which, err,
			      sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "holds no certificate"));
	assert_int_equal(load(dir, "leaf.pem", "leaf.pem", "ca.pem", NULL, false, &c, &which,
			      err, sizeof(err)), -EINVAL);
	assert_int_equal(which, IKE_CREDS_KEY);
	assert_non_null(strstr(err, "not an unencrypted private key"));
	assert_int_equal(load(dir, "leaf.pem", "rsa.key", "ca.pem", "nope", false, &c, &which,
			      err, sizeof(err)), -EINVAL);
	assert_int_equal(which, IKE_CREDS_CA);
	assert_non_null(strstr(err, "No such file or directory"));
	assert_int_equal(load(dir, "leaf.pem", "rsa.key", "garbage.pem", NULL, false, &c, &which,
			      err, sizeof(err)), -EINVAL);
	assert_int_equal(which, IKE_CREDS_CA);
	/* a directory is not a certificate file */
	assert_int_equal(load(dir, ".", "rsa.key", "ca.pem", NULL, false, &c, &which, err,
			      sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "is not a regular file"));
	tc_rmdir(dir);
	ERR_clear_error();
}

/* An encrypted key is refused without a prompt. */
static void test_encrypted_key(void **state)
{
	char *dir = tc_mkdir(), path[512], ca_path[512], key_path[512], err[600];
	char *cas[1] = { ca_path };
	struct ike_creds *c;
	int which;
	FILE *f;

	snprintf(key_path, sizeof(key_path), "%s/enc.key", dir);
	f = fopen(key_path, "w");
	assert_true(PEM_write_PrivateKey(f, rsa, EVP_aes_128_cbc(), (unsigned char *)"pw", 2,
					 NULL, NULL));
	fclose(f);
	tc_write(dir, "leaf.pem", (X509 *[]){ leaf }, 1, NULL);
	tc_write(dir, "ca.pem", (X509 *[]){ ca }, 1, NULL);
	snprintf(path, sizeof(path), "%s/leaf.pem", dir);
	snprintf(ca_path, sizeof(ca_path), "%s/ca.pem", dir);
	assert_int_equal(ike_creds_load(&c, path, key_path, cas, 1, false, &which, err,
					sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not an unencrypted private key"));
	tc_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hashes_parse),
		cmocka_unit_test(test_sign_verify),
		cmocka_unit_test(test_method_key_mismatch),
		cmocka_unit_test(test_bad_algorithm_identifier),
		cmocka_unit_test(test_rsa_trailing_garbage),
		cmocka_unit_test(test_tiny_rsa_modulus),
		cmocka_unit_test(test_cert_has_id),
		cmocka_unit_test(test_cert_has_dn),
		cmocka_unit_test(test_id_equal),
		cmocka_unit_test(test_chain_verify),
		cmocka_unit_test(test_peer_certs_hostile),
		cmocka_unit_test(test_creds_load),
		cmocka_unit_test(test_encrypted_key),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
