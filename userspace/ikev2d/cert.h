/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Certificates and signatures for IKE_AUTH (RFC 7296 §2.15, §3.6, §3.7;
 * RFC 7427), on OpenSSL 3.
 *
 * Credentials (struct ike_creds) are what a connection's cert, key, ca and
 * rsa-pss settings load into: our certificate and the intermediates sent
 * after it, our private key, a store of trust anchors for the peer's
 * chain, and the SHA-1 hashes of those anchors' SubjectPublicKeyInfo for
 * CERTREQ payloads.
 *
 * Peer certificates arrive as DER in CERT payloads; ike_peer_certs_parse()
 * takes them (X.509 Signature encoding only, no trailing bytes, at most
 * IKE_PEER_CERTS_MAX), ike_chain_verify() runs X509_verify_cert() against
 * the anchors (validity dates, signatures, at least 112-bit security), and
 * ike_cert_has_id() is the PAD check: the identity the peer claims must be
 * in its certificate (IPv4/IPv6/FQDN/RFC822 in subjectAltName, a DN as the
 * subject or a directoryName).
 *
 * Signatures: RFC 7427 digital signatures (method 14) with RSA PKCS#1 v1.5,
 * RSASSA-PSS and ECDSA over SHA2-256/384/512, and the classic methods RSA
 * (1, PKCS#1 v1.5 with SHA-1) and ECDSA (9/10/11, r|s) for peers that do
 * not send SIGNATURE_HASH_ALGORITHMS. RSA keys under 2048 bits and curves
 * other than P-256/384/521 are refused both ways.
 *
 * Functions return 0 or a negative errno and, where they take err, say why
 * in it.
 */
#ifndef CERT_H
#define CERT_H

#include <stdbool.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "ike_msg.h"

#define IKE_AUTH_DATA_MAX 1200	/* largest AUTH data built or accepted */
#define IKE_PEER_CERTS_MAX 8	/* CERT payloads taken from a peer */
#define IKE_RSA_MIN_BITS 2048

/* RFC 7427 §7: hash algorithm identifiers */
enum ike_hash_id {
	IKE_HASH_SHA1 = 1,
	IKE_HASH_SHA2_256 = 2,
	IKE_HASH_SHA2_384 = 3,
	IKE_HASH_SHA2_512 = 4,
};

/* Set of hash ids, bit (1 << id); what we accept and advertise. */
#define IKE_HASH_BIT(id) (1u << (id))
#define IKE_HASHES_OURS (IKE_HASH_BIT(IKE_HASH_SHA2_256) | IKE_HASH_BIT(IKE_HASH_SHA2_384) | \
			 IKE_HASH_BIT(IKE_HASH_SHA2_512))

/* The SIGNATURE_HASH_ALGORITHMS notify data: 16-bit ids. Returns the set;
 * odd lengths are ignored (an empty set). */
unsigned int ike_sig_hashes_parse(struct ike_buf data);

struct ike_creds {
	X509 *cert;
	STACK_OF(X509) *chain;		/* intermediates, sent after cert */
	EVP_PKEY *key;
	bool rsa_pss;			/* RSA: sign with RSASSA-PSS */
	X509_STORE *store;		/* trust anchors */
	uint8_t *ca_hashes;		/* n_ca SHA-1 hashes, for CERTREQ */
	size_t n_ca;
};

enum { IKE_CREDS_CERT, IKE_CREDS_KEY, IKE_CREDS_CA };

/*
 * Loads our certificate (PEM, optionally followed by intermediates, or
 * DER), our key (PEM or DER, unencrypted; it must belong to the
 * certificate) and the CA files (PEM with one or more certificates, or
 * DER). err names the file and the problem, which the setting
 * (IKE_CREDS_*) it comes from.
 */
int ike_creds_load(struct ike_creds **out, const char *cert, const char *key,
		   char *const *ca, size_t n_ca, bool rsa_pss, int *which, char *err,
		   size_t errlen);
void ike_creds_free(struct ike_creds *c);

/* Our identity when the configuration names none: the subject DN. */
int ike_cert_subject_der(X509 *cert, uint8_t *out, size_t cap, size_t *len);

/* ID data (RFC 7296 §3.5) of a type found in the certificate (PAD check). */
bool ike_cert_has_id(X509 *cert, uint8_t type, struct ike_buf data);

/* Two identities of the same type are the same: DNs compared in their
 * canonical form, FQDN and RFC822 case-insensitively, the rest as bytes. */
bool ike_id_equal(uint8_t type, struct ike_buf a, struct ike_buf b);

/* The peer's certificates: leaf first, the others untrusted intermediates. */
struct ike_peer_certs {
	X509 *leaf;
	STACK_OF(X509) *untrusted;
};

/* Adds one CERT payload. */
int ike_peer_certs_add(struct ike_peer_certs *pc, const struct ike_cert *cert,
		       char *err, size_t errlen);
void ike_peer_certs_free(struct ike_peer_certs *pc);
int ike_chain_verify(const struct ike_creds *c, const struct ike_peer_certs *pc,
		     char *err, size_t errlen);

/* "CN=x,O=Example,C=CH" (RFC 2253) for logs. */
const char *ike_cert_subject(X509 *cert, char *buf, size_t len);
const char *ike_dn_str(struct ike_buf der, char *buf, size_t len);

/*
 * Signs octets with key: method 14 with the strongest hash of peer_hashes
 * we have (the curve's own for ECDSA), else the classic method of the key.
 * out gets the AUTH data (for method 14 with its AlgorithmIdentifier).
 */
int ike_sig_sign(EVP_PKEY *key, bool rsa_pss, unsigned int peer_hashes,
		 struct ike_buf octets, uint8_t *method, uint8_t *out, size_t cap,
		 size_t *len);
/* Verifies AUTH data of a signature method with the peer's public key. */
int ike_sig_verify(EVP_PKEY *pub, uint8_t method, struct ike_buf data, struct ike_buf octets,
		   char *err, size_t errlen);

#endif
