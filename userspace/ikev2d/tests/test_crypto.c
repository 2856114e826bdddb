// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ike_crypto tests against published vectors:
 *  - HMAC PRFs: RFC 2202 / RFC 4231 test case 2; AES-XCBC: RFC 3566 and
 *    RFC 4434;
 *  - SKEYSEED, prf+ (DKM), Child SA KEYMAT with and without PFS and
 *    SKEYSEED(Rekey): NIST CAVS SP 800-135 IKEv2 sample vectors (SHA-1: all
 *    five outputs; SHA-256/384: SKEYSEED, DKM and SKEYSEED(Rekey)). The
 *    SHA-256/384 Child SA values were computed with Python's hmac module;
 *  - x25519: RFC 7748 §5.2 and §6.1; ecp256/384: RFC 5903 §8.1/§8.2;
 *    modp2048/3072: g^x mod p computed with Python over RFC 3526 primes;
 *  - SK payload: AES-GCM test cases 4 and 16 of the GCM specification
 *    (McGrew/Viega), ChaCha20-Poly1305 from RFC 8439 §2.8.2 framed as
 *    RFC 7634 (salt | IV), AES-CBC from RFC 3602 case 2 with an HMAC-SHA-256
 *    ICV, and encryptions cross-checked with Python's "cryptography".
 */
#include <errno.h>
#include "test_util.h"
#include "ike_crypto.h"
#include "ike_msg.h"

#define HEX(name, hex) uint8_t name[1024]; \
	size_t name##_len __attribute__((unused)) = unhex(hex, name, sizeof(name))
#define B(name) IKE_BUF(name, name##_len)

static void check_hmac(uint16_t prf, const char *expect)
{
	const struct ike_buf data = IKE_BUF("what do ya want for nothing?", 28);
	uint8_t out[IKE_PRF_MAX];

	assert_int_equal(ike_prf(prf, IKE_BUF("Jefe", 4), &data, 1, out), 0);
	assert_hex_equal(out, ike_prf_size(prf), expect);
}

static void test_prf_hmac(void **state)
{
	check_hmac(IKE_PRF_HMAC_SHA1, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
	check_hmac(IKE_PRF_HMAC_SHA2_256,
		   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	check_hmac(IKE_PRF_HMAC_SHA2_384,
		   "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
		   "8e2240ca5e69e2c78b3239ecfab21649");
	check_hmac(IKE_PRF_HMAC_SHA2_512,
		   "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
		   "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

/* RFC 3566 §4 test cases 1-6 (key 000102..0f, message 00 01 02 .. of the
 * given length) and RFC 4434 §4 (PRF with 10- and 18-byte keys). */
static void test_prf_aes_xcbc(void **state)
{
	static const struct {
		size_t len;
		const char *mac;
	} v[] = {
		{ 0, "75f0251d528ac01c4573dfd584d79f29" },
		{ 3, "5b376580ae2f19afe7219ceef172756f" },
		{ 16, "d2a246fa349b68a79998a4394ff7a263" },
		{ 20, "47f51b4564966215b8985c63055ed308" },
		{ 32, "f54f0ec8d2b9f3d36807734bd5283fd4" },
		{ 34, "becbb3bccdb518a30677d5481fb6b4d8" },
	};
	uint8_t key[18], msg[34], out[16];
	struct ike_buf m;

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = i;
	memcpy(key, msg, 16);
	key[16] = 0xed;
	key[17] = 0xcb;
	assert_int_equal(ike_prf_size(IKE_PRF_AES128_XCBC), 16);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		m = IKE_BUF(msg, v[i].len);
		assert_int_equal(ike_prf(IKE_PRF_AES128_XCBC, IKE_BUF(key, 16), &m, 1, out), 0);
		assert_hex_equal(out, 16, v[i].mac);
	}
	/* the message may come in pieces that straddle blocks */
	const struct ike_buf parts[] = { IKE_BUF(msg, 5), IKE_BUF(msg + 5, 0),
					 IKE_BUF(msg + 5, 13), IKE_BUF(msg + 18, 16) };
	assert_int_equal(ike_prf(IKE_PRF_AES128_XCBC, IKE_BUF(key, 16), parts, 4, out), 0);
	assert_hex_equal(out, 16, "becbb3bccdb518a30677d5481fb6b4d8");
	m = IKE_BUF(msg, 20);
	assert_int_equal(ike_prf(IKE_PRF_AES128_XCBC, IKE_BUF(key, 10), &m, 1, out), 0);
	assert_hex_equal(out, 16, "0fa087af7d866e7653434e602fdde835");
	assert_int_equal(ike_prf(IKE_PRF_AES128_XCBC, IKE_BUF(key, 18), &m, 1, out), 0);
	assert_hex_equal(out, 16, "8cd3c93ae598a9803006ffb67c40e9e4");
}

/* §2.14: with AES-XCBC only the first 64 bits of each nonce key SKEYSEED
 * (expected value from a Python AES-XCBC over cryptography's AES). */
static void test_skeyseed_xcbc(void **state)
{
	uint8_t ni[32], nr[32], gir[32], out[16];

	for (size_t i = 0; i < 32; i++) {
		ni[i] = 0x10 + i;
		nr[i] = 0x40 + i;
		gir[i] = 0x80 + i;
	}
	assert_int_equal(ike_skeyseed(IKE_PRF_AES128_XCBC, IKE_BUF(ni, 32), IKE_BUF(nr, 32),
				      IKE_BUF(gir, 32), out), 0);
	assert_hex_equal(out, 16, "b971969f2e87bd02061055cec35e80d5");
	ni[8] ^= 0xff;
	nr[31] ^= 0xff;
	assert_int_equal(ike_skeyseed(IKE_PRF_AES128_XCBC, IKE_BUF(ni, 32), IKE_BUF(nr, 32),
				      IKE_BUF(gir, 32), out), 0);
	assert_hex_equal(out, 16, "b971969f2e87bd02061055cec35e80d5");
	ni[7] ^= 1;
	assert_int_equal(ike_skeyseed(IKE_PRF_AES128_XCBC, IKE_BUF(ni, 32), IKE_BUF(nr, 32),
				      IKE_BUF(gir, 32), out), 0);
	assert_memory_not_equal(out, "\xb9\x71\x96\x9f\x2e\x87\xbd\x02", 8);
}

struct cavp {
	uint16_t prf;
	const char *gir, *gir_new, *ni, *nr, *spi_i, *spi_r;
	const char *skeyseed, *dkm, *dkm_child, *dkm_child_dh, *skeyseed_rekey;
};

static const struct cavp cavp_sha1 = {
	.prf = IKE_PRF_HMAC_SHA1,
	.gir = "4b2c1f971981a8ad8d0abeafabf38cf75fc8349c148142465ed9c8b516b8be52",
	.gir_new = "863f3c9d06efd39d2b907b97f8699e5dd5251ef64a2a176f36ee40c87d4f9330",
	.ni = "32b50d5f4a3763f3", .nr = "9206a04b26564cb1",
	.spi_i = "34c9e7c188868785", .spi_r = "3ff77d760d2b2199",
	.skeyseed = "a9a7b222b59f8f48645f28a1db5b5f5d7479cba7",
	.dkm = "a14293677cc80ff8f9cc0eee30d895da9d8f405666e30ef0dfcb63c634a46002"
	       "a2a63080e514a062768b76606f9fa5e992204fc5a670bde3f10d6b027113936a"
	       "5c55b648a194ae587b0088d52204b702c979fa280870d2ed41efa9c549fd1119"
	       "8af1670b143d384bd275c5f594cf266b05ebadca855e4249520a441a81157435"
	       "a7a56cc4",
	.dkm_child = "8059e3ee8810e6c3a91bc8bcd2a7a41151b8d0e6ae239c7b38093ad85ef4c581"
		     "1a8e7b5d1cdabd9560b2d5e092d1f24e2d4b85eccdf0ad0dc9abd94b51ee7181"
		     "4ca6dbc8bb51b6309f5b9545c7eb35cf5580b1e521a8fe20754a2d883ba0c2cf"
		     "285f524aea6545b33106bc03e614296d319d41d4b50b3f510b1c0a22f3e66499"
		     "4d234cb4",
	.dkm_child_dh = "bb43244c1860ad65ee1e211ffe8bb3661750c8f89cb9f547df7f4fa61d373016"
			"28190e38c66232eab4b3ab14c400a5197dd3730ed4820a8a10394d51e1c04000"
			"52f63ebd36b0e7ef53aaed31eba4a5080d7d4b5666023a8bbb5ffb7857240f9a"
			"05884d1b7d2f933708450b7b3288f1fc863ab49fa901227cffc06e27899c7054"
			"d56fd74c",
	.skeyseed_rekey = "63e81194946ebd05df7df5ebf5d8750056bf1f1d",
};

static const struct cavp cavp_sha256 = {
	.prf = IKE_PRF_HMAC_SHA2_256,
	.gir = "0f4d257d7a58fc4545c7d7a88119eee5d5c9690c5b4c989171d3abbfd99d1d29",
	.gir_new = "25f3b12d6f282739256e39bf54eda53b60ffcf379bb7bcc90c27b4c4c578616c",
	.ni = "3f302be1abcb28e1", .nr = "8c332ee006064c9b",
	.spi_i = "40dac39e1e1a8640", .spi_r = "8619a1cf9a6e4c07",
	.skeyseed = "5f00d1bd2c58ec224b1e6b71fa0f19a1faa7a193952c444411b47c1a9d8ba6fe",
	.dkm = "0b137d669b0947d7d026d593f0305ad401ff0c471357d695778a9c7f4b4869ec"
	       "e98aca531188d16041b3bb936d2dbb3b4993a6e768a809160de45d0283f273a6"
	       "cdf6854379e31be72b8d3d1fa990cf9c5b015ca9f918a7df6253c958114a09d4"
	       "e1c19bdcd4db14b29d98db1a74ad405c588662c14a04d0d36aa4ab55e90f8986"
	       "d12d4aad",
	.dkm_child = "7d808e2b44635300e7025f1b640c431b13a9b3b891cd45a15261f4f3c4a7e39b"
		     "3a3c8017ccc2b74610faf52ba3faf6d9e83c859b448217b24dadc82c9887460b"
		     "7bd724236b9885914cc93b39d6c749e92f36b30c9eb6a9f59e396bc7c0ac4878"
		     "512639cc612c5660ddb1a1fed360ac8b9b3f548f13482d0431b38eca293ef976"
		     "81e179fc",
	.dkm_child_dh = "67edd256e64542436173e3ca39ef1fdec3c8240b860df26f84caf5258578ff35"
			"df40ddc31ea210e0523988b7531c9dc3207e0e98e256214999c7712f73ff044a"
			"9cf6e3a5e421862b9ba140862f460ea5236527cf8346db9ac23feb6636e21fc7"
			"a18a94a2e9d4ad95356e278f46ac3fa53a75a058c87293cf38dd863e879f84d0"
			"e0935da3",
	.skeyseed_rekey = "2d63f6debc92048b4fef3889c4c99ca67d6496e0fac14a2bca9a2d6566ff2398",
};

static const struct cavp cavp_sha384 = {
	.prf = IKE_PRF_HMAC_SHA2_384,
	.gir = "d3288cd87565101e88fe3bad918f31939d8dd26ff1071f8b2d7f447524e58d7c",
	.gir_new = "3358f620539473aee8d07e779764c4c6a9aabddc79a28e136b3bac021dbde44a",
	.ni = "fd1b572a8e735591", .nr = "6013b0ef88dacd3d",
	.spi_i = "2116ad07ce61f749", .spi_r = "24880e55f11a65b7",
	.skeyseed = "69fe7a1ac94adaeb711295f5fe004b1a8d6a0b65d05692758ce8ad2f7a45f59d"
		    "7d0b596f51f7dfcf3330061888f6a94f",
	.dkm = "4f904c2025c90c817ea5ff9b662a6fdb445a73b57cdf09eacd379b95e1f03cac"
	       "b04cd6deeda4f952191dd9bc1f7a9502471a648d74dc06d38112de48a42501f6"
	       "b1a3ad55c2099cd9a648e5f17e5bf3e34bf9b5953decb768a34f875fe2b78dca"
	       "0c2fcca81ec1a412006dfaed38fa06882e61f4c148105fb8e231fdb33c4d484c"
	       "001721d4",
	.dkm_child = "06126cc023ac8aabb3ae1ae2d583005a16d39e889efd09d588f2995883261e55"
		     "f44f959072d25ea2f035a64ee8e2341421e7a2d95344282f6ff1f2a9ef236b5e"
		     "c7eae4bb1074ce1f206461209c19dc05a61bbc10a5ec0391bdcd1d25831f8d11"
		     "99af467359a13cb5f9b11187ad97379469f8a1ff3d612b18f165d32e3b5fc644"
		     "0f447321",
	.dkm_child_dh = "e31b1b94e0b2146ae66dfe223ca64ccf0895fb6c8862990b446b80a4a81fd801"
			"ed5fdbcee6e9455c4d56ee10cd73ea77d8c01f31d4e2fcc9d65765327e13f497"
			"f631ba09d99b39aff2ffa9082c59334a9eb082f795cde78989b1be547fde560e"
			"b49d5b262e86ef2e2094eab785008e3038dd7bb0d4ac7dac6f99d9c7945950f2"
			"1b9f44de",
	.skeyseed_rekey = "e0548c1682e13bce454026b3b1bdf42985b24e4e7408095a7c529de38c3d1fcb"
			  "04c9fe6868042a34c9614c6c99e3fcea",
};

static void run_cavp(const struct cavp *v)
{
	HEX(gir, v->gir);
	HEX(gir_new, v->gir_new);
	HEX(ni, v->ni);
	HEX(nr, v->nr);
	HEX(spi_i, v->spi_i);
	HEX(spi_r, v->spi_r);
	size_t plen = ike_prf_size(v->prf);
	uint8_t skeyseed[IKE_PRF_MAX], dkm[132], out[132];
	const struct ike_buf seed[] = { B(ni), B(nr), B(spi_i), B(spi_r) };

	assert_int_equal(ike_skeyseed(v->prf, B(ni), B(nr), B(gir), skeyseed), 0);
	assert_hex_equal(skeyseed, plen, v->skeyseed);

	assert_int_equal(ike_prf_plus(v->prf, IKE_BUF(skeyseed, plen), seed, 4, dkm, 132), 0);
	assert_hex_equal(dkm, 132, v->dkm);
	/* the CAVS short outputs are prefixes of the long one */
	assert_int_equal(ike_prf_plus(v->prf, IKE_BUF(skeyseed, plen), seed, 4, out, 15), 0);
	assert_memory_equal(out, dkm, 15);

	/* SK_d is the first prf-sized block of DKM */
	assert_int_equal(ike_child_keymat(v->prf, IKE_BUF(dkm, plen), IKE_BUF(NULL, 0),
					  B(ni), B(nr), out, 132), 0);
	assert_hex_equal(out, 132, v->dkm_child);
	assert_int_equal(ike_child_keymat(v->prf, IKE_BUF(dkm, plen), B(gir_new),
					  B(ni), B(nr), out, 132), 0);
	assert_hex_equal(out, 132, v->dkm_child_dh);
	assert_int_equal(ike_skeyseed_rekey(v->prf, IKE_BUF(dkm, plen), B(gir_new),
					    B(ni), B(nr), out), 0);
	assert_hex_equal(out, plen, v->skeyseed_rekey);
}

static void test_cavp_sha1(void **state) { run_cavp(&cavp_sha1); }
static void test_cavp_sha256(void **state) { run_cavp(&cavp_sha256); }
static void test_cavp_sha384(void **state) { run_cavp(&cavp_sha384); }

/* The seven SK_* keys are consecutive slices of DKM: with SHA-1 (20),
 * HMAC-SHA1-96 (20) and AES-128-CBC (16) they use exactly its 132 bytes. */
static void test_sa_keys_layout(void **state)
{
	const struct cavp *v = &cavp_sha1;
	HEX(skeyseed, v->skeyseed);
	HEX(dkm, v->dkm);
	HEX(ni, v->ni);
	HEX(nr, v->nr);
	HEX(spi_i, v->spi_i);
	HEX(spi_r, v->spi_r);
	struct ike_sa_keys k;

	assert_int_equal(ike_derive_sa_keys(IKE_PRF_HMAC_SHA1, B(skeyseed), B(ni), B(nr),
					    spi_i, spi_r,
					    ike_integ_key_len(IKE_INTEG_HMAC_SHA1_96),
					    ike_encr_keymat_len(IKE_ENCR_AES_CBC, 128), &k), 0);
	assert_int_equal(k.mem_len, 132);
	assert_int_equal(k.d.len, 20);
	assert_memory_equal(k.d.ptr, dkm, 20);
	assert_memory_equal(k.ai.ptr, dkm + 20, 20);
	assert_memory_equal(k.ar.ptr, dkm + 40, 20);
	assert_int_equal(k.ei.len, 16);
	assert_memory_equal(k.ei.ptr, dkm + 60, 16);
	assert_memory_equal(k.er.ptr, dkm + 76, 16);
	assert_memory_equal(k.pi.ptr, dkm + 92, 20);
	assert_memory_equal(k.pr.ptr, dkm + 112, 20);
	ike_sa_keys_free(&k);
	assert_null(k.mem);
}

static void test_prf_errors(void **state)
{
	uint8_t out[16 * 1024];
	struct ike_buf seed = IKE_BUF("s", 1);

	/* prf+ stops at 255 blocks */
	assert_int_equal(ike_prf_plus(IKE_PRF_HMAC_SHA1, IKE_BUF("k", 1), &seed, 1, out,
				      255 * 20), 0);
	assert_int_equal(ike_prf_plus(IKE_PRF_HMAC_SHA1, IKE_BUF("k", 1), &seed, 1, out,
				      255 * 20 + 1), -EINVAL);
	assert_int_equal(ike_prf(99, IKE_BUF("k", 1), &seed, 1, out), -ENOTSUP);
	assert_int_equal(ike_prf_size(99), 0);
	/* keying material sizes (RFC 5282 §7.1, RFC 7634 §2, RFC 4868 §2.1) */
	assert_int_equal(ike_encr_keymat_len(IKE_ENCR_AES_GCM_16, 256), 36);
	assert_int_equal(ike_encr_keymat_len(IKE_ENCR_AES_CBC, 128), 16);
	assert_int_equal(ike_encr_keymat_len(IKE_ENCR_CHACHA20_POLY1305, 0), 36);
	assert_int_equal(ike_encr_keymat_len(IKE_ENCR_AES_CBC, 100), 0);
	assert_int_equal(ike_integ_key_len(IKE_INTEG_HMAC_SHA2_384_192), 48);
	assert_int_equal(ike_integ_icv_len(IKE_INTEG_HMAC_SHA2_512_256), 32);
}

/* ---- key exchange ---- */

static void check_dh_pair(uint16_t group, const char *priv_i, const char *pub_i,
			  const char *priv_r, const char *pub_r, const char *shared)
{
	HEX(pi, priv_i);
	HEX(pr, priv_r);
	HEX(gi, pub_i);
	HEX(gr, pub_r);
	struct ike_dh *i = ike_dh_from_private(group, B(pi));
	struct ike_dh *r = ike_dh_from_private(group, B(pr));
	uint8_t out[IKE_KE_MAX];
	size_t len;

	assert_non_null(i);
	assert_non_null(r);
	assert_int_equal(ike_dh_public(i, out, sizeof(out), &len), 0);
	assert_hex_equal(out, len, pub_i);
	assert_int_equal(ike_dh_public(r, out, sizeof(out), &len), 0);
	assert_hex_equal(out, len, pub_r);
	assert_int_equal(ike_dh_shared(i, B(gr), out, sizeof(out), &len), 0);
	assert_hex_equal(out, len, shared);
	assert_int_equal(ike_dh_shared(r, B(gi), out, sizeof(out), &len), 0);
	assert_hex_equal(out, len, shared);
	ike_dh_free(i);
	ike_dh_free(r);
}

static void test_x25519_rfc7748(void **state)
{
	/* §6.1 */
	check_dh_pair(IKE_KE_X25519,
		      "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
		      "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
		      "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
		      "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
		      "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

	/* §5.2, first vector: scalar times an arbitrary u-coordinate */
	HEX(k, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
	HEX(u, "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
	struct ike_dh *dh = ike_dh_from_private(IKE_KE_X25519, B(k));
	uint8_t out[32];
	size_t len;

	assert_non_null(dh);
	assert_int_equal(ike_dh_shared(dh, B(u), out, sizeof(out), &len), 0);
	assert_hex_equal(out, len,
			 "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
	ike_dh_free(dh);
}

static void test_x25519_bad_peer(void **state)
{
	struct ike_dh *dh = ike_dh_new(IKE_KE_X25519);
	uint8_t zero[32] = { 0 }, one[32] = { 1 }, out[64];
	size_t len;

	assert_non_null(dh);
	/* u = 0 and u = 1 are of small order: the shared secret is all zeros */
	assert_int_equal(ike_dh_shared(dh, IKE_BUF(zero, 32), out, sizeof(out), &len),
			 -EKEYREJECTED);
	assert_int_equal(ike_dh_shared(dh, IKE_BUF(one, 32), out, sizeof(out), &len),
			 -EKEYREJECTED);
	assert_int_equal(len, 0);
	assert_int_equal(ike_dh_shared(dh, IKE_BUF(zero, 31), out, sizeof(out), &len),
			 -EINVAL);
	ike_dh_free(dh);
}

static const char p256_gi[] =
	"dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
	"5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3";

static void test_ecp_rfc5903(void **state)
{
	/* §8.1 */
	check_dh_pair(IKE_KE_ECP256,
		      "c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433",
		      p256_gi,
		      "c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53",
		      "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
		      "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab",
		      "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de");
	/* §8.2 */
	check_dh_pair(IKE_KE_ECP384,
		      "099f3c7034d4a2c699884d73a375a67f7624ef7c6b3c0f160647b67414dce655"
		      "e35b538041e649ee3faef896783ab194",
		      "667842d7d180ac2cde6f74f37551f55755c7645c20ef73e31634fe72b4c55ee6"
		      "de3ac808acb4bdb4c88732aee95f41aa"
		      "9482ed1fc0eeb9cafc4984625ccfc23f65032149e0e144ada024181535a0f38e"
		      "eb9fcff3c2c947dae69b4c634573a81c",
		      "41cb0779b4bdb85d47846725fbec3c9430fab46cc8dc5060855cc9bda0aa2942"
		      "e0308312916b8ed2960e4bd55a7448fc",
		      "e558dbef53eecde3d3fccfc1aea08a89a987475d12fd950d83cfa41732bc509d"
		      "0d1ac43a0336def96fda41d0774a3571"
		      "dcfbec7aacf3196472169e838430367f66eebe3c6e70c416dd5f0c68759dd1ff"
		      "f83fa40142209dff5eaad96db9e6386c",
		      "11187331c279962d93d604243fd592cb9d0a926f422e47187521287e7156c5c4"
		      "d603135569b9e9d09cf5d4a270f59746");
}

static void test_ecp_bad_peer(void **state)
{
	struct ike_dh *dh = ike_dh_new(IKE_KE_ECP256);
	uint8_t out[64];
	size_t len;
	HEX(pt, p256_gi);

	assert_non_null(dh);
	assert_int_equal(ike_dh_shared(dh, B(pt), out, sizeof(out), &len), 0);
	assert_int_equal(len, 32);
	/* RFC 6989 §2.3: y changed, the point is off the curve */
	pt[63] ^= 1;
	assert_int_equal(ike_dh_shared(dh, B(pt), out, sizeof(out), &len), -EKEYREJECTED);
	/* (0, 0) is not on the curve either */
	memset(pt, 0, 64);
	assert_int_equal(ike_dh_shared(dh, B(pt), out, sizeof(out), &len), -EKEYREJECTED);
	/* a SEC1 0x04-prefixed point is the wrong length for IKE */
	assert_int_equal(ike_dh_shared(dh, IKE_BUF(pt, 65), out, sizeof(out), &len), -EINVAL);
	ike_dh_free(dh);
}

/* RFC 3526 §3 2048-bit MODP prime */
static const char modp2048_p[] =
	"ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74"
	"020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f1437"
	"4fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed"
	"ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf05"
	"98da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb"
	"9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b"
	"e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf695581718"
	"3995497cea956ae515d2261898fa051015728e5a8aacaa68ffffffffffffffff";

/* x = 7ab6..9988, y = 1d2c..0e1d: g^x, g^y and g^xy mod p, computed with
 * Python's pow() over the RFC 3526 primes (independent of OpenSSL). */
static const char modp2048_gx[] =
	"cb5e5ea18424180a1cfc53a70f557983431347b18a5c2a9b04527e409a10060a"
	"9e113337191f26ad83a87ab9b480f14ef60a63c21b8ac9d5589fafd45df3b8be"
	"f0d75d683f7e1be82f58dc27d4f9a9785283dfb47b4e4708a06d606ba52a7e7a"
	"c11fa6c6a791165d7e6a28139ba38024c7666806cd612017c39a842b713eaef8"
	"cd4c616c8d3e098422a07487276e0261ee5ae8a161cb40593fa814b7452104df"
	"06c09c5167ba88e7db81e0ee42d8858266a47b3a5b1b38106dbe3da0e5260fcc"
	"eb8e76fdd69409a52c6ce88b0c8ab20e27a9d028006c39a55a197451b94ddd88"
	"361a6333677177a1e339f9aacdb4900678621db5e8b3236ea9ad15ced9d1e784";
static const char modp2048_gy[] =
	"442bc06c1520794f8cee413f97a36c5fbd40cda78961f19b1d82a0815120f08e"
	"5c28eec0fe0ea2e8c44fe479da4d1a10d84f661462e5d3a88ed9640339da35cc"
	"c78701fdfe0656f5b27d94aca104e06a3253e49708b6462a00e1d25431544856"
	"7deb7ce79bf4dab50948175922610a06f924ee929d9e2df8bb49960e41e7313d"
	"dc2f6aed903ad3f6714797fb06006a0ebc61c72e3126d2952220bf0d17cc3233"
	"af581e4a25e946bf8f9625b5dc22b1baf86cf306960361c597fa18b99452ebbe"
	"0bb5df6ad489e8d2499a55d5332b744f7ec88d13f38133d4f6813de23dfc8f4d"
	"1288e4e81d17db456304a2a8d9c8b02b16025ee04f19e3fa2764e75649ee45f4";
static const char modp2048_gxy[] =
	"b7840c574ede097d3a973ec6b89a3ed24e5ed64cff678073d593aee8a4aca9cd"
	"a39e7b980edd4bca78a10cd8006390eae2823b265d365aee71c4948b1d97feb7"
	"a9f0975af5c0e9e5533f2a81215d31ef4edbf4f78e7b592b7ca660036f6d8f0f"
	"13ddc3ee965dd119e83510d88c1eeaa8163707047b9d4ea5a277b019da58cdf9"
	"36d3fa7d22d081b225a43ed2c4d494fb12bf9f237db1d03ddcee3f7ecaaf3ff8"
	"5df618d19e4a5979a8f4a751ad3642b0b53ca715dcc3fad56c0dd0b355b07e95"
	"876dc4d0e7fa2453c4c30c10a29faccee5dad6528d97ff591ef228c7260bdf09"
	"c4aa8509d2f7bb50e7a4a5be436ac80e043820e4e75133250911c39eb13954ee";
static const char modp3072_gx[] =
	"b9de7c411a3d1f1a47efa224a19aaa3369152d4487472c2201da1be2037ea5f7"
	"f42b472739d975117073dbaee85abf5ff68cf4c2d8afb48764164f050f54f959"
	"4239e89e0f6a2c1e7bf9dd1fbac6614cd87bfd2df4dad22954830e91836e4472"
	"f5ceeebaf303ddd56301c6084ce597a89188c22335b92b25cc04bf50e73ac323"
	"c2512e9bf86c394d0a6c92835c03baf5b0c632f814aaea6411ed5e313ba80a37"
	"794fac9802088509e5f0c31b0b209982cd4497445f76870898390510b4f7cb16"
	"99e3323403d4ce46d21793434158d684a1fbf2dbd0d10190d3917f36458507ac"
	"9382731740db2148bb03331ace20aa888a49a574bb7d53233caa1d7536b023c4"
	"363d3ce839adc762b45f9a3383000621835d4cee1cddd7df9937f9e08e29eb88"
	"527bc72fdafa5f0cdb677fcbd9074a3eb682e6a48788a220eddb357117ac4512"
	"6f6db316d42679da2e5e9af3496f09373de975df44b9e8f4d4e33015d7e8b890"
	"783bfebe2279834c2d5fe4f35c9ca20f327371fb37c0bb8b8d81020e73d968c7";
static const char modp3072_gy[] =
	"9803c0d5a53807bb801b90db1790e102fcbd6bba97893f57fed512a53277fb1e"
	"3f55d7f92dc228662410b3b45cc4fb041daea9b1476f3dccda17621ed3671f73"
	"11fe2ae33cafc14475e549779712de3f44467de94f2b711ea0e5701b7648cada"
	"cbc174d76e725854acbdca79f66876d07cf4784f16b0988045d4259713afe07c"
	"86011889d277a88a056d61422c192822cebe9cd6de5a3763517f8b1ad36bd8fa"
	"3dfb6a5ce4c0300b205f34bc28a3b4eef6c8607e8904b9b671e55104b950d8a5"
	"7e65514afcfb801447a4085edc5728ebd255c056b3ffdf92cbd3b08c9c3c802f"
	"3d98c6f634655baf735719ad0cfb0691944de0036a54f188f876bc8d2ea8da66"
	"cacd8eb3090a07389278d520d884383e217fd417b5966699414c6cc31ca9330a"
	"e1a46fabc6bd693b989a8ef28b0ee6585d0ee1f4bf45aca6c746595d8a5ac8f2"
	"a24eb462adf1d3020ac3bd6b2dd8c9282dfdb985a591f48d659e91440ca43d53"
	"b7deb7f56220a6d23b079299fbff1ef52eb05b619da5937085ff3c16a8613de7";
static const char modp3072_gxy[] =
	"a84dcf9e45b5d35994c55426905aef6c529a4f4642b79c2b947756a883fbe12c"
	"4ae08f2b60fcf09afc67e9361b1d368f60b43c7ab5e365152bebb499b3702f05"
	"8287136d6372743ad995039c29b45d5d3df4fbe4943582b9973eeaa82b886784"
	"49993c841a05328d8575f6574cbafe969c76f22f9c0321ccce91fe85aa651e72"
	"3cd3546d2465b0c808b8f9e61c3b6d8352f362b3f068bdad1b7e89fb91657ae0"
	"d67774f6a63791c898a338dccc45b492000f89a60c78fbff9146f0747e4db504"
	"e3cfc5c3ff1af8bd3c56ee4178a05ac05cbe0a7319014eafd587df61c09501fe"
	"50d568e1cda1ad4cd06d459752d3abc984ae361c424df3c90eb6fd4264fd69bd"
	"b0413e4a48c91a9621bc49817ea8fffa148d28c3acf0022064a010eaf1b811a5"
	"1150e43a9d5ce1ca573f84f6c2c71187eb2153891401789371a68bac186605f2"
	"e5c0ece6f50b19765be5d1b69c01855425807e7fe587e2e999746e5c87dd6a40"
	"407d34d140561cd14433947299d2eea256f21c3b9679751bae478ad8993d1e63";

static const char modp_x[] = "7ab6cf1a2e9d4c5b8f0e1d2c3b4a59687766554433221100ffeeddccbbaa9988";
static const char modp_y[] = "1d2c3b4a5968778695a4b3c2d1e0f0e1d2c3b4a5968778695a4b3c2d1e0f0e1d";

static void test_modp_vectors(void **state)
{
	check_dh_pair(IKE_KE_MODP2048, modp_x, modp2048_gx, modp_y, modp2048_gy,
		      modp2048_gxy);
	check_dh_pair(IKE_KE_MODP3072, modp_x, modp3072_gx, modp_y, modp3072_gy,
		      modp3072_gxy);
}

static void test_modp_bad_peer(void **state)
{
	struct ike_dh *dh = ike_dh_new(IKE_KE_MODP2048);
	uint8_t y[256], out[256];
	size_t len;
	HEX(p, modp2048_p);

	assert_non_null(dh);
	/* RFC 6989 §2.1: 1 < y < p-1 */
	memset(y, 0, sizeof(y));
	assert_int_equal(ike_dh_shared(dh, IKE_BUF(y, 256), out, sizeof(out), &len),
			 -EKEYREJECTED);
	y[255] = 1;
	assert_int_equal(ike_dh_shared(dh, IKE_BUF(y, 256), out, sizeof(out), &len),
			 -EKEYREJECTED);
	y[255] = 2;
	assert_int_equal(ike_dh_shared(dh, IKE_BUF(y, 256), out, sizeof(out), &len), 0);
	assert_int_equal(len, 256);
	p[255] -= 1;	/* p - 1 */
	assert_int_equal(ike_dh_shared(dh, B(p), out, sizeof(out), &len), -EKEYREJECTED);
	p[255] += 1;	/* p */
	assert_int_equal(ike_dh_shared(dh, B(p), out, sizeof(out), &len), -EKEYREJECTED);
	/* p - 2 passes the range check but is not in the prime-order subgroup
	 * (-2 is a non-residue modulo a safe prime p = 7 mod 8); the peer check
	 * also tests y^q = 1 (RFC 6989 §2.2) */
	p[255] -= 2;
	assert_int_equal(ike_dh_shared(dh, B(p), out, sizeof(out), &len), -EKEYREJECTED);
	memset(y, 0xff, sizeof(y));
	assert_int_equal(ike_dh_shared(dh, IKE_BUF(y, 256), out, sizeof(out), &len),
			 -EKEYREJECTED);
	ike_dh_free(dh);
}

/* Fresh key pairs of every group agree, in IKE-sized encodings. */
static void test_dh_roundtrip(void **state)
{
	const uint16_t groups[] = { IKE_KE_X25519, IKE_KE_ECP256, IKE_KE_ECP384,
				    IKE_KE_MODP2048, IKE_KE_MODP3072 };

	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		struct ike_dh *a = ike_dh_new(groups[g]), *b = ike_dh_new(groups[g]);
		uint8_t pa[IKE_KE_MAX], pb[IKE_KE_MAX], sa[IKE_KE_MAX], sb[IKE_KE_MAX];
		size_t la, lb, lsa, lsb;

		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(ike_dh_public(a, pa, sizeof(pa), &la), 0);
		assert_int_equal(ike_dh_public(b, pb, sizeof(pb), &lb), 0);
		assert_int_equal(la, ike_ke_group_len(groups[g]));
		assert_int_equal(ike_dh_shared(a, IKE_BUF(pb, lb), sa, sizeof(sa), &lsa), 0);
		assert_int_equal(ike_dh_shared(b, IKE_BUF(pa, la), sb, sizeof(sb), &lsb), 0);
		assert_int_equal(lsa, lsb);
		assert_memory_equal(sa, sb, lsa);
		ike_dh_free(a);
		ike_dh_free(b);
	}
	assert_null(ike_dh_new(1));	/* modp768 is not offered */
	assert_false(ike_dh_supported(IKE_KE_NONE));
}

/* ---- SK payload ---- */

static const char gcm_pt[] =
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";

/* A published AEAD vector read as an SK payload: head is the AAD, the
 * body IV | C | T. The plaintext's last octet (0x39) is the Pad Length,
 * leaving 60 - 1 - 57 = 2 bytes of inner payloads. */
static void check_gcm_vector(const char *key, const char *ct_tag)
{
	HEX(k, key);
	HEX(head, "feedfacedeadbeeffeedfacedeadbeefabaddad2");
	HEX(pt, gcm_pt);
	uint8_t body[128], out[128];
	size_t blen, len;
	struct ike_sk sk;

	memcpy(k + k_len, "\xca\xfe\xba\xbe", 4);	/* salt */
	blen = unhex("facedbaddecaf888", body, sizeof(body));
	blen += unhex(ct_tag, body + blen, sizeof(body) - blen);
	assert_int_equal(ike_sk_init(&sk, IKE_ENCR_AES_GCM_16, k_len * 8, IKE_INTEG_NONE,
				     IKE_BUF(k, k_len + 4), IKE_BUF(NULL, 0)), 0);
	assert_int_equal(ike_sk_decrypt(&sk, B(head), IKE_BUF(body, blen), out,
					sizeof(out), &len), 0);
	assert_int_equal(len, 2);
	assert_memory_equal(out, pt, pt_len);
	/* any flipped bit in AAD, IV, ciphertext or tag fails the ICV */
	for (size_t i = 0; i < blen; i += 7) {
		body[i] ^= 0x80;
		assert_int_equal(ike_sk_decrypt(&sk, B(head), IKE_BUF(body, blen), out,
						sizeof(out), &len), -EBADMSG);
		body[i] ^= 0x80;
	}
	head[0] ^= 1;
	assert_int_equal(ike_sk_decrypt(&sk, B(head), IKE_BUF(body, blen), out,
					sizeof(out), &len), -EBADMSG);
	ike_sk_clear(&sk);
}

static void test_sk_gcm_vectors(void **state)
{
	/* GCM spec test case 4 (AES-128) */
	check_gcm_vector("feffe9928665731c6d6a8f9467308308",
			 "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
			 "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
			 "5bc94fbc3221a5db94fae95ae7121a47");
	/* test case 16 (AES-256) */
	check_gcm_vector("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
			 "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
			 "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
			 "76fc6ece0f4e1768cddf8853bb2d551b");
}

static void test_sk_chacha_vector(void **state)
{
	static const char text[] = "Ladies and Gentlemen of the class of '99: If I "
		"could offer you only one tip for the future, sunscreen would be it.";
	HEX(k, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	       "07000000");	/* key | salt */
	HEX(head, "50515253c0c1c2c3c4c5c6c7");
	HEX(body, "4041424344454647"
		  "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
		  "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
		  "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
		  "3ff4def08e4b7a9de576d26586cec64b6116"
		  "1ae10b594f09e26a7e902ecbd0600691");
	uint8_t out[128];
	struct ike_sk sk;
	size_t len;

	assert_int_equal(ike_sk_init(&sk, IKE_ENCR_CHACHA20_POLY1305, 0, IKE_INTEG_NONE,
				     B(k), IKE_BUF(NULL, 0)), 0);
	assert_int_equal(ike_sk_decrypt(&sk, B(head), B(body), out, sizeof(out), &len), 0);
	/* the last octet '.' (46) is the Pad Length: 114 - 1 - 46 = 67 */
	assert_int_equal(len, 67);
	assert_memory_equal(out, text, 114);
	body[body_len - 1] ^= 1;
	assert_int_equal(ike_sk_decrypt(&sk, B(head), B(body), out, sizeof(out), &len),
			 -EBADMSG);
	ike_sk_clear(&sk);
}

/* AES-128-CBC from RFC 3602 case 2 with an HMAC-SHA-256-128 ICV over a
 * 32-byte IKE header + SK header; the plaintext ends in 0x1f: 31 octets of
 * padding, no inner payload. */
static void test_sk_cbc_vector(void **state)
{
	HEX(ek, "c286696d887c9aa0611bbb3e2025a45a");
	HEX(ak, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	HEX(head, "000102030405060708090a0b0c0d0e0f2e202508000000010000006000000044");
	HEX(body, "562e17996d093d28ddb3ba695a2e6f58"
		  "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1"
		  "91881290d9876bbf2875eb054fdc02cf");
	uint8_t out[64];
	struct ike_sk sk;
	size_t len;

	assert_int_equal(ike_sk_init(&sk, IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128,
				     B(ek), B(ak)), 0);
	assert_int_equal(ike_sk_decrypt(&sk, B(head), B(body), out, sizeof(out), &len), 0);
	assert_int_equal(len, 0);
	assert_hex_equal(out, 32, "000102030405060708090a0b0c0d0e0f"
				  "101112131415161718191a1b1c1d1e1f");
	/* ICV over the header: a changed message ID fails */
	head[23] ^= 1;
	assert_int_equal(ike_sk_decrypt(&sk, B(head), B(body), out, sizeof(out), &len),
			 -EBADMSG);
	head[23] ^= 1;
	/* a ciphertext that is not whole blocks */
	assert_int_equal(ike_sk_decrypt(&sk, B(head), IKE_BUF(body, body_len - 1), out,
					sizeof(out), &len), -EBADMSG);
	ike_sk_clear(&sk);
}

static const char enc_head[] =
	"000102030405060708090a0b0c0d0e0f2e202508000000010000006000000044";

static void check_encrypt(uint16_t encr, uint16_t bits, uint16_t integ, size_t aklen,
			  const char *iv, const char *expect)
{
	uint8_t ek[36], ak[64], out[128], pt[128];
	HEX(head, enc_head);
	HEX(ivb, iv);
	struct ike_sk sk;
	size_t len;

	for (size_t i = 0; i < 32; i++)
		ek[i] = 0x40 + i;
	memcpy(ek + 32, "\x01\x02\x03\x04", 4);
	for (size_t i = 0; i < aklen; i++)
		ak[i] = 0x60 + i;
	assert_int_equal(ike_sk_init(&sk, encr, bits, integ,
				     IKE_BUF(ek, ike_encr_keymat_len(encr, bits)),
				     IKE_BUF(ak, aklen)), 0);
	assert_int_equal(ike_sk_encrypt(&sk, B(head), ivb, IKE_BUF("hello IKE", 9),
					out, sizeof(out)), 0);
	assert_hex_equal(out, ike_sk_body_len(&sk, 9), expect);
	assert_int_equal(ike_sk_decrypt(&sk, B(head), IKE_BUF(out, ike_sk_body_len(&sk, 9)),
					pt, sizeof(pt), &len), 0);
	assert_int_equal(len, 9);
	assert_memory_equal(pt, "hello IKE", 9);
	/* too small an output buffer */
	assert_int_equal(ike_sk_encrypt(&sk, B(head), ivb, IKE_BUF("hello IKE", 9), out,
					ike_sk_body_len(&sk, 9) - 1), -ENOSPC);
	ike_sk_clear(&sk);
}

static void test_sk_encrypt_vectors(void **state)
{
	check_encrypt(IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE, 0, "1112131415161718",
		      "1112131415161718ee5a7d6a6dbe36285d9a45512bc51d7750d1ed7dc418dec7d1cd");
	check_encrypt(IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_256_128, 32,
		      "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
		      "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf01cbdc2837cc5d6e7cba2ab850db225f"
		      "67c33792baadbecf44f055216a8402be");
	check_encrypt(IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_384_192, 48,
		      "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
		      "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf01cbdc2837cc5d6e7cba2ab850db225f"
		      "f7aa41bc6227d74e124cdd066ae838af8642c713f387ab08");
	check_encrypt(IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_512_256, 64,
		      "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
		      "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf01cbdc2837cc5d6e7cba2ab850db225f"
		      "e2a696c92d79aed1901dae40dfc43542e3cbf30653109a660cc401f97345fd90");
}

static void test_sk_init_errors(void **state)
{
	uint8_t k[64] = { 0 };
	struct ike_sk sk;

	/* AEAD with an integrity algorithm */
	assert_int_equal(ike_sk_init(&sk, IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_HMAC_SHA2_256_128,
				     IKE_BUF(k, 20), IKE_BUF(k, 32)), -EINVAL);
	/* GCM keymat without the salt */
	assert_int_equal(ike_sk_init(&sk, IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE,
				     IKE_BUF(k, 16), IKE_BUF(NULL, 0)), -EINVAL);
	/* CBC without integrity, with a short integrity key */
	assert_int_equal(ike_sk_init(&sk, IKE_ENCR_AES_CBC, 128, IKE_INTEG_NONE,
				     IKE_BUF(k, 16), IKE_BUF(NULL, 0)), -ENOTSUP);
	assert_int_equal(ike_sk_init(&sk, IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128,
				     IKE_BUF(k, 16), IKE_BUF(k, 16)), -EINVAL);
	/* 3DES (3) is not implemented */
	assert_int_equal(ike_sk_init(&sk, 3, 0, IKE_INTEG_HMAC_SHA2_256_128,
				     IKE_BUF(k, 24), IKE_BUF(k, 32)), -ENOTSUP);
	/* body length: GCM IV 8 + (pt + 1) + 16; CBC IV 16 + blocks + ICV */
	assert_int_equal(ike_sk_init(&sk, IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE,
				     IKE_BUF(k, 20), IKE_BUF(NULL, 0)), 0);
	assert_int_equal(ike_sk_body_len(&sk, 10), 8 + 11 + 16);
	assert_int_equal(ike_sk_init(&sk, IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128,
				     IKE_BUF(k, 16), IKE_BUF(k, 32)), 0);
	assert_int_equal(ike_sk_body_len(&sk, 15), 16 + 16 + 16);
	assert_int_equal(ike_sk_body_len(&sk, 16), 16 + 32 + 16);
	/* shorter than IV + ICV + Pad Length */
	assert_int_equal(ike_sk_decrypt(&sk, IKE_BUF(k, 4), IKE_BUF(k, 32), k, sizeof(k),
					&(size_t){ 0 }), -EBADMSG);
}

/* IKE_AUTH built with the codec, protected, parsed and opened again. */
static void test_sk_in_message(void **state)
{
	uint8_t ek[20] = "0123456789abcdefSALT", inner[64], msg[256], pt[128];
	struct ike_id id = { .type = IKE_ID_FQDN, .data = IKE_BUF("gw-a.example", 12) };
	struct ike_hdr h = { .spi_i = { 1 }, .spi_r = { 2 }, .exchange = IKE_AUTH,
			     .flags = IKE_FLAG_INITIATOR, .msg_id = 1 };
	const struct ike_payload *skp;
	struct ike_wbuf w;
	struct ike_msg m, im = { 0 };
	struct ike_sk sk;
	size_t body, len, head;
	int ilen, mlen;

	assert_int_equal(ike_sk_init(&sk, IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE,
				     IKE_BUF(ek, 20), IKE_BUF(NULL, 0)), 0);
	ike_wbuf_init(&w, inner, sizeof(inner));
	ike_put_id(&w, IKE_PL_IDI, &id);
	ilen = ike_wbuf_finish(&w);
	assert_true(ilen > 0);

	/* header and SK header first (lengths final), then the body */
	body = ike_sk_body_len(&sk, ilen);
	memset(msg, 0, sizeof(msg));
	ike_wbuf_init(&w, msg, sizeof(msg));
	ike_put_hdr(&w, &h);
	ike_put_sk(&w, IKE_PL_IDI, IKE_BUF(msg + 200, body));	/* placeholder */
	mlen = ike_wbuf_finish(&w);
	head = IKE_HDR_LEN + IKE_GENERIC_HDR_LEN;
	assert_int_equal(mlen, head + body);
	assert_int_equal(ike_sk_encrypt(&sk, IKE_BUF(msg, head), NULL, IKE_BUF(inner, ilen),
					msg + head, body), 0);

	assert_int_equal(ike_msg_parse(msg, mlen, &m), IKE_OK);
	skp = ike_msg_find(&m, IKE_PL_SK);
	assert_non_null(skp);
	assert_int_equal(ike_sk_decrypt(&sk, IKE_BUF(msg, head), skp->body, pt, sizeof(pt),
					&len), 0);
	assert_int_equal(len, ilen);
	assert_int_equal(ike_payloads_parse(skp->sk_first, pt, len, &im), IKE_OK);
	assert_int_equal(im.pl[0].type, IKE_PL_IDI);
	ike_sk_clear(&sk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prf_hmac),
		cmocka_unit_test(test_prf_aes_xcbc),
		cmocka_unit_test(test_skeyseed_xcbc),
		cmocka_unit_test(test_cavp_sha1),
		cmocka_unit_test(test_cavp_sha256),
		cmocka_unit_test(test_cavp_sha384),
		cmocka_unit_test(test_sa_keys_layout),
		cmocka_unit_test(test_prf_errors),
		cmocka_unit_test(test_x25519_rfc7748),
		cmocka_unit_test(test_x25519_bad_peer),
		cmocka_unit_test(test_ecp_rfc5903),
		cmocka_unit_test(test_ecp_bad_peer),
		cmocka_unit_test(test_modp_vectors),
		cmocka_unit_test(test_modp_bad_peer),
		cmocka_unit_test(test_dh_roundtrip),
		cmocka_unit_test(test_sk_gcm_vectors),
		cmocka_unit_test(test_sk_chacha_vector),
		cmocka_unit_test(test_sk_cbc_vector),
		cmocka_unit_test(test_sk_encrypt_vectors),
		cmocka_unit_test(test_sk_init_errors),
		cmocka_unit_test(test_sk_in_message),
	};

	return cmocka_run_group_tests_name("ike_crypto", tests, NULL, NULL);
}
