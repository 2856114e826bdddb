// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKEv2 key derivation, key exchange and SK payload protection on
 * OpenSSL 3. See ike_crypto.h for what each piece follows.
 */
#include <errno.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include "ike_crypto.h"

/* ---- PRF ---- */

static const char *prf_digest(uint16_t prf)
{
	switch (prf) {
	case IKE_PRF_HMAC_SHA1: return "SHA1";
	case IKE_PRF_HMAC_SHA2_256: return "SHA2-256";
	case IKE_PRF_HMAC_SHA2_384: return "SHA2-384";
	case IKE_PRF_HMAC_SHA2_512: return "SHA2-512";
	default: return NULL;
	}
}

size_t ike_prf_size(uint16_t prf)
{
	switch (prf) {
	case IKE_PRF_HMAC_SHA1: return 20;
	case IKE_PRF_AES128_XCBC: return 16;
	case IKE_PRF_HMAC_SHA2_256: return 32;
	case IKE_PRF_HMAC_SHA2_384: return 48;
	case IKE_PRF_HMAC_SHA2_512: return 64;
	default: return 0;
	}
}

/* HMAC over the concatenation of parts; out must hold the digest size. */
static int hmac(const char *digest, struct ike_buf key, const struct ike_buf *parts,
		size_t n, uint8_t *out, size_t cap)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac;
	size_t outl;
	int ret = -EIO;

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		return -EIO;
	ctx = EVP_MAC_CTX_new(mac);
	/* HMAC accepts an empty key; OpenSSL wants a non-NULL pointer */
	if (!ctx || !EVP_MAC_init(ctx, key.len ? key.ptr : (const uint8_t *)"",
				  key.len, params))
		goto out;
	for (size_t i = 0; i < n; i++)
		if (parts[i].len && !EVP_MAC_update(ctx, parts[i].ptr, parts[i].len))
			goto out;
	if (EVP_MAC_final(ctx, out, &outl, cap))
		ret = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

/*
 * AES-XCBC-MAC-128 (RFC 3566) over the concatenation of parts; OpenSSL 3
 * has CMAC but not XCBC, so it is built on single AES-128 blocks.
 */
static int xcbc(const uint8_t key[16], const struct ike_buf *parts, size_t n,
		uint8_t out[16])
{
	static const uint8_t consts[3][16] = {
		{ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 },
		{ 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2 },
		{ 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3 },
	};
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t k[3][16], e[16] = { 0 }, blk[16];
	size_t blen = 0;
	int l, ret = -EIO;

	/* K1, K2, K3 = E(K, 0x01..), E(K, 0x02..), E(K, 0x03..) */
	if (!ctx || !EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, key, NULL) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0) ||
	    !EVP_EncryptUpdate(ctx, k[0], &l, consts[0], 48) ||
	    !EVP_EncryptInit_ex(ctx, NULL, NULL, k[0], NULL))
		goto out;
	for (size_t i = 0; i < n; i++) {
		for (size_t off = 0; off < parts[i].len; ) {
			size_t take;

			if (blen == 16) {	/* a full block with more to come */
				for (size_t j = 0; j < 16; j++)
					e[j] ^= blk[j];
				if (!EVP_EncryptUpdate(ctx, e, &l, e, 16))
					goto out;
				blen = 0;
			}
			take = parts[i].len - off < 16 - blen ? parts[i].len - off : 16 - blen;
			memcpy(blk + blen, parts[i].ptr + off, take);
			blen += take;
			off += take;
		}
	}
	/* last block: complete, xor K2; else 0x80-padded, xor K3 */
	if (blen < 16) {
		blk[blen] = 0x80;
		memset(blk + blen + 1, 0, 15 - blen);
	}
	for (size_t j = 0; j < 16; j++)
		e[j] ^= blk[j] ^ k[blen == 16 ? 1 : 2][j];
	if (EVP_EncryptUpdate(ctx, out, &l, e, 16))
		ret = 0;
out:
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(blk, sizeof(blk));
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

/* RFC 4434: keys shorter than 16 bytes are zero-padded, longer ones are
 * first reduced with AES-XCBC under the all-zero key. */
static int prf_xcbc(struct ike_buf key, const struct ike_buf *data, size_t n, uint8_t *out)
{
	static const uint8_t zero[16];
	uint8_t k[16] = { 0 };
	int ret = 0;

	if (key.len <= 16)
		memcpy(k, key.ptr, key.len);
	else
		ret = xcbc(zero, &key, 1, k);
	if (!ret)
		ret = xcbc(k, data, n, out);
	OPENSSL_cleanse(k, sizeof(k));
	return ret;
}

int ike_prf(uint16_t prf, struct ike_buf key, const struct ike_buf *data,
	    size_t n, uint8_t *out)
{
	const char *md = prf_digest(prf);

	if (prf == IKE_PRF_AES128_XCBC)
		return prf_xcbc(key, data, n, out);
	if (!md)
		return -ENOTSUP;
	return hmac(md, key, data, n, out, ike_prf_size(prf));
}

#define SEED_PARTS_MAX 8

int ike_prf_plus(uint16_t prf, struct ike_buf key, const struct ike_buf *seed,
		 size_t n, uint8_t *out, size_t len)
{
	struct ike_buf parts[SEED_PARTS_MAX + 2];
	size_t hlen = ike_prf_size(prf), done = 0;
	uint8_t t[IKE_PRF_MAX], ctr;
	int ret = 0;

	if (!hlen)
		return -ENOTSUP;
	if (n > SEED_PARTS_MAX || len > 255 * hlen)
		return -EINVAL;
	for (ctr = 1; done < len; ctr++) {
		size_t k = 0, take;

		if (ctr > 1)	/* T1 has no previous block */
			parts[k++] = IKE_BUF(t, hlen);
		for (size_t i = 0; i < n; i++)
			parts[k++] = seed[i];
		parts[k++] = IKE_BUF(&ctr, 1);
		ret = ike_prf(prf, key, parts, k, t);
		if (ret)
			break;
		take = len - done < hlen ? len - done : hlen;
		memcpy(out + done, t, take);
		done += take;
	}
	OPENSSL_cleanse(t, sizeof(t));
	return ret;
}

int ike_skeyseed(uint16_t prf, struct ike_buf ni, struct ike_buf nr,
		 struct ike_buf gir, uint8_t *out)
{
	uint8_t key[2 * 256];
	int ret;

	if (ni.len > 256 || nr.len > 256)
		return -EINVAL;
	/* §2.14: AES-XCBC takes a fixed-size key, from 64 bits of each nonce */
	if (prf == IKE_PRF_AES128_XCBC) {
		if (ni.len < 8 || nr.len < 8)
			return -EINVAL;
		ni.len = 8;
		nr.len = 8;
	}
	memcpy(key, ni.ptr, ni.len);
	memcpy(key + ni.len, nr.ptr, nr.len);
	ret = ike_prf(prf, IKE_BUF(key, ni.len + nr.len), &gir, 1, out);
	OPENSSL_cleanse(key, sizeof(key));
	return ret;
}

int ike_skeyseed_rekey(uint16_t prf, struct ike_buf sk_d, struct ike_buf gir,
		       struct ike_buf ni, struct ike_buf nr, uint8_t *out)
{
	const struct ike_buf data[] = { gir, ni, nr };

	return ike_prf(prf, sk_d, data, 3, out);
}

bool ike_encr_is_aead(uint16_t encr)
{
	return encr == IKE_ENCR_AES_GCM_8 || encr == IKE_ENCR_AES_GCM_12 ||
	       encr == IKE_ENCR_AES_GCM_16 || encr == IKE_ENCR_CHACHA20_POLY1305;
}

size_t ike_encr_keymat_len(uint16_t encr, uint16_t key_bits)
{
	switch (encr) {
	case IKE_ENCR_AES_CBC:
	case IKE_ENCR_AES_GCM_8:
	case IKE_ENCR_AES_GCM_12:
	case IKE_ENCR_AES_GCM_16:
		if (key_bits != 128 && key_bits != 192 && key_bits != 256)
			return 0;
		return key_bits / 8 + (encr == IKE_ENCR_AES_CBC ? 0 : 4);
	case IKE_ENCR_CHACHA20_POLY1305:
		/* RFC 7634 §2: no Key Length attribute, 256-bit key + salt */
		return key_bits == 0 || key_bits == 256 ? 36 : 0;
	default:
		return 0;
	}
}

size_t ike_integ_key_len(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA1_96: return 20;
	case IKE_INTEG_HMAC_SHA2_256_128: return 32;
	case IKE_INTEG_HMAC_SHA2_384_192: return 48;
	case IKE_INTEG_HMAC_SHA2_512_256: return 64;
	default: return 0;
	}
}

size_t ike_integ_icv_len(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA1_96: return 12;
	case IKE_INTEG_HMAC_SHA2_256_128: return 16;
	case IKE_INTEG_HMAC_SHA2_384_192: return 24;
	case IKE_INTEG_HMAC_SHA2_512_256: return 32;
	default: return 0;
	}
}

static const char *integ_digest(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA1_96: return "SHA1";
	case IKE_INTEG_HMAC_SHA2_256_128: return "SHA2-256";
	case IKE_INTEG_HMAC_SHA2_384_192: return "SHA2-384";
	case IKE_INTEG_HMAC_SHA2_512_256: return "SHA2-512";
	default: return NULL;
	}
}

int ike_derive_sa_keys(uint16_t prf, struct ike_buf skeyseed,
		       struct ike_buf ni, struct ike_buf nr,
		       const uint8_t spi_i[8], const uint8_t spi_r[8],
		       size_t integ_len, size_t encr_len, struct ike_sa_keys *k)
{
	const struct ike_buf seed[] = { ni, nr, IKE_BUF(spi_i, 8), IKE_BUF(spi_r, 8) };
	size_t plen = ike_prf_size(prf), off = 0;
	struct ike_buf *parts[] = { &k->d, &k->ai, &k->ar, &k->ei, &k->er, &k->pi, &k->pr };
	size_t lens[] = { plen, integ_len, integ_len, encr_len, encr_len, plen, plen };
	int ret;

	memset(k, 0, sizeof(*k));
	if (!plen)
		return -ENOTSUP;
	k->mem_len = 3 * plen + 2 * integ_len + 2 * encr_len;
	k->mem = OPENSSL_malloc(k->mem_len);
	if (!k->mem)
		return -ENOMEM;
	ret = ike_prf_plus(prf, skeyseed, seed, 4, k->mem, k->mem_len);
	if (ret) {
		ike_sa_keys_free(k);
		return ret;
	}
	for (size_t i = 0; i < 7; i++) {
		*parts[i] = IKE_BUF(k->mem + off, lens[i]);
		off += lens[i];
	}
	return 0;
}

void ike_sa_keys_free(struct ike_sa_keys *k)
{
	OPENSSL_clear_free(k->mem, k->mem_len);
	memset(k, 0, sizeof(*k));
}

int ike_child_keymat(uint16_t prf, struct ike_buf sk_d, struct ike_buf gir,
		     struct ike_buf ni, struct ike_buf nr, uint8_t *out, size_t len)
{
	const struct ike_buf seed[] = { gir, ni, nr };

	return ike_prf_plus(prf, sk_d, seed, 3, out, len);
}

/* ---- key exchange ---- */

struct ike_dh {
	uint16_t group;
	EVP_PKEY *key;
};

static const char *ec_curve(uint16_t group)
{
	switch (group) {
	case IKE_KE_ECP256: return "prime256v1";
	case IKE_KE_ECP384: return "secp384r1";
	default: return NULL;
	}
}

static const char *modp_name(uint16_t group)
{
	switch (group) {
	case IKE_KE_MODP2048: return "modp_2048";
	case IKE_KE_MODP3072: return "modp_3072";
	default: return NULL;
	}
}

bool ike_dh_supported(uint16_t group)
{
	return group == IKE_KE_X25519 || ec_curve(group) || modp_name(group);
}

uint16_t ike_dh_group(const struct ike_dh *dh)
{
	return dh->group;
}

static struct ike_dh *dh_wrap(uint16_t group, EVP_PKEY *key)
{
	struct ike_dh *dh;

	if (!key)
		return NULL;
	dh = OPENSSL_zalloc(sizeof(*dh));
	if (!dh) {
		EVP_PKEY_free(key);
		return NULL;
	}
	dh->group = group;
	dh->key = key;
	return dh;
}

static EVP_PKEY *modp_keygen(const char *name)
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)name, 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	EVP_PKEY *key = NULL;

	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 ||
	    !EVP_PKEY_CTX_set_params(ctx, params) || EVP_PKEY_generate(ctx, &key) <= 0)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	return key;
}

struct ike_dh *ike_dh_new(uint16_t group)
{
	EVP_PKEY *key = NULL;

	if (group == IKE_KE_X25519)
		key = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	else if (ec_curve(group))
		key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", ec_curve(group));
	else if (modp_name(group))
		key = modp_keygen(modp_name(group));
	return dh_wrap(group, key);
}

/* A key from OSSL_PARAMs: selection is EVP_PKEY_PUBLIC_KEY, _KEYPAIR or
 * EVP_PKEY_KEY_PARAMETERS. */
static EVP_PKEY *key_fromdata(const char *type, int selection, OSSL_PARAM_BLD *bld)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY *key = NULL;

	if (!ctx || !params || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, selection, params) <= 0)
		key = NULL;
	OSSL_PARAM_free(params);
	EVP_PKEY_CTX_free(ctx);
	return key;
}

/* pub = priv * G, uncompressed (0x04 | x | y) */
static size_t ec_pub_from_priv(const char *curve, const BIGNUM *priv, uint8_t *out, size_t cap)
{
	EC_GROUP *grp = EC_GROUP_new_by_curve_name(OBJ_txt2nid(curve));
	EC_POINT *pt = grp ? EC_POINT_new(grp) : NULL;
	size_t len = 0;

	if (pt && EC_POINT_mul(grp, pt, priv, NULL, NULL, NULL))
		len = EC_POINT_point2oct(grp, pt, POINT_CONVERSION_UNCOMPRESSED, out, cap, NULL);
	EC_POINT_free(pt);
	EC_GROUP_free(grp);
	return len;
}

/* The prime p and generator g of a MODP group. */
static int modp_pg(const char *name, BIGNUM **p, BIGNUM **g)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY *params = NULL;
	int ret = -EIO;

	if (bld && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, name, 0))
		params = key_fromdata("DH", EVP_PKEY_KEY_PARAMETERS, bld);
	if (params && EVP_PKEY_get_bn_param(params, OSSL_PKEY_PARAM_FFC_P, p) &&
	    (!g || EVP_PKEY_get_bn_param(params, OSSL_PKEY_PARAM_FFC_G, g)))
		ret = 0;
	EVP_PKEY_free(params);
	OSSL_PARAM_BLD_free(bld);
	return ret;
}

struct ike_dh *ike_dh_from_private(uint16_t group, struct ike_buf priv)
{
	BIGNUM *x = NULL, *p = NULL, *g = NULL, *y = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *key = NULL;
	BN_CTX *bnctx = NULL;
	uint8_t pub[1 + 2 * 48];
	size_t plen;

	if (group == IKE_KE_X25519)
		return dh_wrap(group, EVP_PKEY_new_raw_private_key_ex(NULL, "X25519", NULL,
								     priv.ptr, priv.len));
	x = BN_bin2bn(priv.ptr, priv.len, NULL);
	bld = OSSL_PARAM_BLD_new();
	if (!x || !bld)
		goto out;
	if (ec_curve(group)) {
		plen = ec_pub_from_priv(ec_curve(group), x, pub, sizeof(pub));
		if (!plen ||
		    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
						     ec_curve(group), 0) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, x) ||
		    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, plen))
			goto out;
		key = key_fromdata("EC", EVP_PKEY_KEYPAIR, bld);
	} else if (modp_name(group)) {
		bnctx = BN_CTX_new();
		y = BN_new();
		if (!bnctx || !y || modp_pg(modp_name(group), &p, &g) ||
		    !BN_mod_exp(y, g, x, p, bnctx) ||
		    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
						     modp_name(group), 0) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, x) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y))
			goto out;
		key = key_fromdata("DH", EVP_PKEY_KEYPAIR, bld);
	}
out:
	BN_clear_free(x);
	BN_free(p);
	BN_free(g);
	BN_free(y);
	BN_CTX_free(bnctx);
	OSSL_PARAM_BLD_free(bld);
	return dh_wrap(group, key);
}

int ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t cap, size_t *len)
{
	size_t want = ike_ke_group_len(dh->group);
	uint8_t pt[1 + 2 * 48];
	BIGNUM *y = NULL;
	size_t l = 0;
	int ret = -EIO;

	if (cap < want)
		return -ENOSPC;
	if (dh->group == IKE_KE_X25519) {
		l = want;
		if (EVP_PKEY_get_raw_public_key(dh->key, out, &l) && l == want)
			ret = 0;
	} else if (ec_curve(dh->group)) {
		/* RFC 5903 §7: x | y, without SEC1's 0x04 */
		if (EVP_PKEY_get_octet_string_param(dh->key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
						    pt, sizeof(pt), &l) &&
		    l == want + 1 && pt[0] == 0x04) {
			memcpy(out, pt + 1, want);
			ret = 0;
		}
	} else if (EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY, &y) &&
		   BN_bn2binpad(y, out, want) == (int)want) {
		ret = 0;	/* RFC 7296 §3.4: left-padded to the prime's size */
	}
	BN_free(y);
	*len = ret ? 0 : want;
	return ret;
}

/* RFC 6989 §2.1: 1 < y < p-1 */
static EVP_PKEY *modp_peer(const struct ike_dh *dh, struct ike_buf peer)
{
	BIGNUM *y = BN_bin2bn(peer.ptr, peer.len, NULL), *p = NULL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY *key = NULL;

	if (!y || !bld || !EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_FFC_P, &p) ||
	    !BN_sub_word(p, 1))
		goto out;
	if (BN_cmp(y, BN_value_one()) <= 0 || BN_cmp(y, p) >= 0)
		goto out;
	if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    modp_name(dh->group), 0) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y))
		key = key_fromdata("DH", EVP_PKEY_PUBLIC_KEY, bld);
out:
	BN_free(y);
	BN_free(p);
	OSSL_PARAM_BLD_free(bld);
	return key;
}

/* RFC 6989 §2.3: the point must be on the curve (and not at infinity,
 * which x | y cannot express anyway). */
static EVP_PKEY *ec_peer(const struct ike_dh *dh, struct ike_buf peer)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *chk = NULL;
	uint8_t pt[1 + 2 * 48];
	EVP_PKEY *key = NULL;

	pt[0] = 0x04;
	memcpy(pt + 1, peer.ptr, peer.len);
	if (bld &&
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    ec_curve(dh->group), 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt, peer.len + 1))
		key = key_fromdata("EC", EVP_PKEY_PUBLIC_KEY, bld);
	if (key) {
		chk = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL);
		if (!chk || EVP_PKEY_public_check(chk) != 1) {
			EVP_PKEY_free(key);
			key = NULL;
		}
	}
	EVP_PKEY_CTX_free(chk);
	OSSL_PARAM_BLD_free(bld);
	return key;
}

int ike_dh_shared(const struct ike_dh *dh, struct ike_buf peer, uint8_t *out,
		  size_t cap, size_t *len)
{
	size_t want = ike_ke_group_len(dh->group), l;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	int ret = -EKEYREJECTED;

	*len = 0;
	if (peer.len != want)
		return -EINVAL;
	if (dh->group == IKE_KE_X25519)
		pkey = EVP_PKEY_new_raw_public_key_ex(NULL, "X25519", NULL, peer.ptr, peer.len);
	else if (ec_curve(dh->group))
		pkey = ec_peer(dh, peer);
	else
		pkey = modp_peer(dh, peer);
	if (!pkey)
		return -EKEYREJECTED;

	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0)
		goto out;
	/* g^ir keeps its leading zeros: it is as long as the prime */
	if (modp_name(dh->group) && EVP_PKEY_CTX_set_dh_pad(ctx, 1) <= 0)
		goto out;
	if (EVP_PKEY_derive_set_peer_ex(ctx, pkey, 1) <= 0 ||
	    EVP_PKEY_derive(ctx, NULL, &l) <= 0)
		goto out;
	if (l > cap) {
		ret = -ENOSPC;
		goto out;
	}
	if (EVP_PKEY_derive(ctx, out, &l) <= 0)
		goto out;
	if (dh->group == IKE_KE_X25519) {
		/* RFC 7748 §6.1: a small-order peer point yields all zeros */
		uint8_t acc = 0;

		for (size_t i = 0; i < l; i++)
			acc |= out[i];
		if (!acc) {
			OPENSSL_cleanse(out, l);
			goto out;
		}
	}
	*len = l;
	ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return ret;
}

void ike_dh_free(struct ike_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);	/* OpenSSL clears private key material */
	OPENSSL_free(dh);
}

/* ---- SK payload ---- */

int ike_sk_init(struct ike_sk *sk, uint16_t encr, uint16_t key_bits,
		uint16_t integ, struct ike_buf ekeymat, struct ike_buf akey)
{
	size_t klen = ike_encr_keymat_len(encr, key_bits);
	bool aead = ike_encr_is_aead(encr);

	memset(sk, 0, sizeof(*sk));
	if (!klen)
		return -ENOTSUP;
	if (ekeymat.len != klen)
		return -EINVAL;
	if (aead && (integ != IKE_INTEG_NONE || akey.len))
		return -EINVAL;	/* RFC 7296 §3.3: AEAD comes without INTEG */
	if (!aead && !integ_digest(integ))
		return -ENOTSUP;
	if (!aead && akey.len != ike_integ_key_len(integ))
		return -EINVAL;
	sk->encr = encr;
	sk->integ = integ;
	if (aead) {
		sk->key_len = klen - 4;
		memcpy(sk->salt, ekeymat.ptr + sk->key_len, 4);
		sk->iv_len = 8;
		sk->block = 1;	/* no alignment required for counter modes */
		sk->icv_len = encr == IKE_ENCR_AES_GCM_8 ? 8 :
			      encr == IKE_ENCR_AES_GCM_12 ? 12 : 16;
	} else {
		sk->key_len = klen;
		sk->iv_len = 16;
		sk->block = 16;
		sk->akey_len = akey.len;
		memcpy(sk->akey, akey.ptr, akey.len);
		sk->icv_len = ike_integ_icv_len(integ);
	}
	memcpy(sk->key, ekeymat.ptr, sk->key_len);
	return 0;
}

void ike_sk_clear(struct ike_sk *sk)
{
	OPENSSL_cleanse(sk, sizeof(*sk));
}

static const EVP_CIPHER *sk_cipher(const struct ike_sk *sk)
{
	if (sk->encr == IKE_ENCR_CHACHA20_POLY1305)
		return EVP_chacha20_poly1305();
	if (sk->encr == IKE_ENCR_AES_CBC)
		return sk->key_len == 16 ? EVP_aes_128_cbc() :
		       sk->key_len == 24 ? EVP_aes_192_cbc() : EVP_aes_256_cbc();
	return sk->key_len == 16 ? EVP_aes_128_gcm() :
	       sk->key_len == 24 ? EVP_aes_192_gcm() : EVP_aes_256_gcm();
}

size_t ike_sk_body_len(const struct ike_sk *sk, size_t pt_len)
{
	size_t ct = pt_len + 1;	/* the Pad Length octet */

	ct = (ct + sk->block - 1) / sk->block * sk->block;
	return sk->iv_len + ct + sk->icv_len;
}

/*
 * One pass of the cipher. AEAD: nonce = salt | IV (RFC 5282 §4, RFC 7634
 * §2), aad authenticated, tag written (enc) or checked (dec). CBC: no
 * padding by OpenSSL, the IKE padding is ours.
 */
static int cipher_run(const struct ike_sk *sk, bool enc, const uint8_t *iv,
		      struct ike_buf aad, const uint8_t *in, size_t len,
		      uint8_t *out, uint8_t *tag)
{
	bool aead = ike_encr_is_aead(sk->encr);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t nonce[16];
	int l, ret = -EIO;

	if (aead) {
		memcpy(nonce, sk->salt, 4);
		memcpy(nonce + 4, iv, 8);
	} else {
		memcpy(nonce, iv, 16);
	}
	if (!ctx || !EVP_CipherInit_ex(ctx, sk_cipher(sk), NULL, NULL, NULL, enc))
		goto out;
	if (aead && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL))
		goto out;
	if (!EVP_CipherInit_ex(ctx, NULL, NULL, sk->key, nonce, enc) ||
	    !EVP_CIPHER_CTX_set_padding(ctx, 0))
		goto out;
	if (aead && !enc &&
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, sk->icv_len, tag))
		goto out;
	if (aead && aad.len && !EVP_CipherUpdate(ctx, NULL, &l, aad.ptr, aad.len))
		goto out;
	if (len && !EVP_CipherUpdate(ctx, out, &l, in, len))
		goto out;
	if (!EVP_CipherFinal_ex(ctx, out + len, &l)) {
		ret = aead && !enc ? -EBADMSG : -EIO;
		goto out;
	}
	if (aead && enc &&
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, sk->icv_len, tag))
		goto out;
	ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

/* RFC 4868: HMAC-SHA2 truncated to half the digest (SHA1-96: 12 bytes). */
static int sk_icv(const struct ike_sk *sk, struct ike_buf head, const uint8_t *body,
		  size_t len, uint8_t *icv)
{
	const struct ike_buf parts[] = { head, IKE_BUF(body, len) };
	uint8_t full[64];
	int ret;

	ret = hmac(integ_digest(sk->integ), IKE_BUF(sk->akey, sk->akey_len), parts, 2,
		   full, sizeof(full));
	if (!ret)
		memcpy(icv, full, sk->icv_len);
	OPENSSL_cleanse(full, sizeof(full));
	return ret;
}

int ike_sk_encrypt(const struct ike_sk *sk, struct ike_buf head,
		   const uint8_t *iv, struct ike_buf pt, uint8_t *out, size_t cap)
{
	size_t total = ike_sk_body_len(sk, pt.len);
	size_t ct_len = total - sk->iv_len - sk->icv_len;
	uint8_t *ct = out + sk->iv_len;
	size_t pad = ct_len - pt.len - 1;
	int ret;

	if (cap < total)
		return -ENOSPC;
	if (iv)
		memcpy(out, iv, sk->iv_len);
	else if (RAND_bytes(out, sk->iv_len) != 1)
		return -EIO;
	/* in place: inner payloads, zero padding, Pad Length */
	memmove(ct, pt.ptr, pt.len);
	memset(ct + pt.len, 0, pad);
	ct[ct_len - 1] = pad;
	if (ike_encr_is_aead(sk->encr))
		return cipher_run(sk, true, out, head, ct, ct_len, ct, ct + ct_len);
	ret = cipher_run(sk, true, out, head, ct, ct_len, ct, NULL);
	if (!ret)
		ret = sk_icv(sk, head, out, sk->iv_len + ct_len, ct + ct_len);
	return ret;
}

int ike_sk_decrypt(const struct ike_sk *sk, struct ike_buf head,
		   struct ike_buf body, uint8_t *out, size_t cap, size_t *pt_len)
{
	const uint8_t *ct = body.ptr + sk->iv_len;
	uint8_t icv[64];
	size_t ct_len;
	int ret;

	*pt_len = 0;
	if (body.len < sk->iv_len + sk->icv_len + 1)
		return -EBADMSG;
	ct_len = body.len - sk->iv_len - sk->icv_len;
	if (ct_len % sk->block)
		return -EBADMSG;
	if (cap < ct_len)
		return -ENOSPC;
	if (!ike_encr_is_aead(sk->encr)) {
		/* verify before decrypting: no padding oracle */
		ret = sk_icv(sk, head, body.ptr, sk->iv_len + ct_len, icv);
		if (ret)
			return ret;
		if (CRYPTO_memcmp(icv, ct + ct_len, sk->icv_len))
			return -EBADMSG;
	}
	ret = cipher_run(sk, false, body.ptr, head, ct, ct_len, out,
			 (uint8_t *)ct + ct_len);
	if (ret) {
		OPENSSL_cleanse(out, ct_len);
		return ret;
	}
	if ((size_t)out[ct_len - 1] + 1 > ct_len) {
		OPENSSL_cleanse(out, ct_len);
		return -EBADMSG;
	}
	*pt_len = ct_len - 1 - out[ct_len - 1];
	return 0;
}
