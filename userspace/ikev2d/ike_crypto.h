/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv2 cryptography on OpenSSL 3 EVP: PRFs (HMAC-SHA1/SHA2, RFC 4868;
 * AES-XCBC-PRF-128, RFC 4434) and prf+ (RFC 7296 §2.13),
 * SKEYSEED and the SK_* keys (§2.14), Child SA KEYMAT (§2.17), key
 * exchange for x25519 (RFC 7748), ecp256/384 (RFC 5903) and modp2048/3072
 * (RFC 3526) with the public value checks of RFC 6989, and the SK payload
 * (§3.14) with AES-GCM (RFC 5282), AES-CBC + HMAC-SHA2 (RFC 4868) and
 * ChaCha20-Poly1305 (RFC 7634).
 *
 * Functions return 0 or a negative errno: -EINVAL (bad arguments or
 * lengths), -ENOTSUP (algorithm not implemented), -EBADMSG (ICV or padding
 * check failed), -EKEYREJECTED (peer's public value refused), -ENOSPC,
 * -EIO (OpenSSL failed). Key material is cleansed before it is freed.
 */
#ifndef IKE_CRYPTO_H
#define IKE_CRYPTO_H

#include <stdbool.h>
#include "ike_proto.h"

#define IKE_PRF_MAX 64		/* largest PRF output (HMAC-SHA2-512) */
#define IKE_KE_MAX 384		/* largest KE data (modp3072) */

/* ---- PRF and key derivation ---- */

size_t ike_prf_size(uint16_t prf);	/* 0: unsupported */
int ike_prf(uint16_t prf, struct ike_buf key, const struct ike_buf *data,
	    size_t n, uint8_t *out);
/* prf+ (§2.13): out = T1 | T2 | ... with Tn = prf(K, Tn-1 | S | n). */
int ike_prf_plus(uint16_t prf, struct ike_buf key, const struct ike_buf *seed,
		 size_t n, uint8_t *out, size_t len);
/* SKEYSEED = prf(Ni | Nr, g^ir) */
int ike_skeyseed(uint16_t prf, struct ike_buf ni, struct ike_buf nr,
		 struct ike_buf gir, uint8_t *out);
/* §2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr) */
int ike_skeyseed_rekey(uint16_t prf, struct ike_buf sk_d, struct ike_buf gir,
		       struct ike_buf ni, struct ike_buf nr, uint8_t *out);

/* Bytes of keying material an algorithm takes: the key plus, for the
 * AEAD ciphers, the 4-byte salt. 0: unsupported. */
size_t ike_encr_keymat_len(uint16_t encr, uint16_t key_bits);
size_t ike_integ_key_len(uint16_t integ);
size_t ike_integ_icv_len(uint16_t integ);
bool ike_encr_is_aead(uint16_t encr);

struct ike_sa_keys {
	uint8_t *mem;
	size_t mem_len;
	struct ike_buf d, ai, ar, ei, er, pi, pr;
};

/* §2.14: {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr}
 *   = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr) */
int ike_derive_sa_keys(uint16_t prf, struct ike_buf skeyseed,
		       struct ike_buf ni, struct ike_buf nr,
		       const uint8_t spi_i[8], const uint8_t spi_r[8],
		       size_t integ_len, size_t encr_len, struct ike_sa_keys *k);
void ike_sa_keys_free(struct ike_sa_keys *k);

/* §2.17: KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr); gir.len 0 = no PFS */
int ike_child_keymat(uint16_t prf, struct ike_buf sk_d, struct ike_buf gir,
		     struct ike_buf ni, struct ike_buf nr, uint8_t *out, size_t len);

/* ---- key exchange ---- */

struct ike_dh;

bool ike_dh_supported(uint16_t group);
/* A fresh key pair. NULL if the group is unsupported or OpenSSL fails. */
struct ike_dh *ike_dh_new(uint16_t group);
/* A key pair from a known private value (test vectors). */
struct ike_dh *ike_dh_from_private(uint16_t group, struct ike_buf priv);
uint16_t ike_dh_group(const struct ike_dh *dh);
/* Our public value in IKE encoding; *len is ike_ke_group_len(). */
int ike_dh_public(const struct ike_dh *dh, uint8_t *out, size_t cap, size_t *len);
/* g^ir from the peer's KE data, after the RFC 6989 checks. */
int ike_dh_shared(const struct ike_dh *dh, struct ike_buf peer, uint8_t *out,
		  size_t cap, size_t *len);
void ike_dh_free(struct ike_dh *dh);

/* ---- SK payload ---- */

struct ike_sk {
	uint16_t encr;
	uint16_t integ;
	uint8_t key[32];
	size_t key_len;
	uint8_t salt[4];
	uint8_t akey[64];
	size_t akey_len;
	size_t iv_len;
	size_t block;
	size_t icv_len;
};

/* ekeymat is SK_ei/SK_er (with salt for AEAD), akey SK_ai/SK_ar (empty for
 * AEAD). */
int ike_sk_init(struct ike_sk *sk, uint16_t encr, uint16_t key_bits,
		uint16_t integ, struct ike_buf ekeymat, struct ike_buf akey);
void ike_sk_clear(struct ike_sk *sk);
/* Length of the SK payload body (IV | ciphertext | ICV) for pt_len bytes
 * of inner payloads. */
size_t ike_sk_body_len(const struct ike_sk *sk, size_t pt_len);
/*
 * Encrypts the inner payloads into an SK body of ike_sk_body_len() bytes.
 * head is every message byte before the body: IKE header and SK generic
 * header, already carrying their final lengths (AEAD: the associated data;
 * CBC: the start of what the ICV covers). iv NULL takes a random IV.
 */
int ike_sk_encrypt(const struct ike_sk *sk, struct ike_buf head,
		   const uint8_t *iv, struct ike_buf pt, uint8_t *out, size_t cap);
/* Checks the ICV, decrypts and strips the padding: *pt_len bytes of inner
 * payloads land in out. */
int ike_sk_decrypt(const struct ike_sk *sk, struct ike_buf head,
		   struct ike_buf body, uint8_t *out, size_t cap, size_t *pt_len);

#endif
