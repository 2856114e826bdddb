/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv2 protocol numbers (RFC 7296 §3 and the IANA "Internet Key Exchange
 * Version 2 (IKEv2) Parameters" registry) shared by the codec, the crypto
 * layer and the proposal parser.
 */
#ifndef IKE_PROTO_H
#define IKE_PROTO_H

#include <stddef.h>
#include <stdint.h>

/* A view into bytes owned by someone else. */
struct ike_buf {
	const uint8_t *ptr;
	size_t len;
};

#define IKE_BUF(p, l) ((struct ike_buf){ .ptr = (const uint8_t *)(p), .len = (l) })

enum ike_exchange {
	IKE_SA_INIT = 34,
	IKE_AUTH = 35,
	IKE_CREATE_CHILD_SA = 36,
	IKE_INFORMATIONAL = 37,
};

enum ike_hdr_flags {
	IKE_FLAG_INITIATOR = 0x08,
	IKE_FLAG_VERSION = 0x10,
	IKE_FLAG_RESPONSE = 0x20,
};

enum ike_payload_type {
	IKE_PL_NONE = 0,
	IKE_PL_SA = 33,
	IKE_PL_KE = 34,
	IKE_PL_IDI = 35,
	IKE_PL_IDR = 36,
	IKE_PL_CERT = 37,
	IKE_PL_CERTREQ = 38,
	IKE_PL_AUTH = 39,
	IKE_PL_NONCE = 40,
	IKE_PL_NOTIFY = 41,
	IKE_PL_DELETE = 42,
	IKE_PL_VENDOR = 43,
	IKE_PL_TSI = 44,
	IKE_PL_TSR = 45,
	IKE_PL_SK = 46,
	IKE_PL_CP = 47,
	IKE_PL_EAP = 48,
	IKE_PL_SKF = 53,	/* RFC 7383 Encrypted Fragment */
};

enum ike_protocol_id {
	IKE_PROTO_IKE = 1,
	IKE_PROTO_AH = 2,
	IKE_PROTO_ESP = 3,
};

enum ike_transform_type {
	IKE_TRANS_ENCR = 1,
	IKE_TRANS_PRF = 2,
	IKE_TRANS_INTEG = 3,
	IKE_TRANS_KE = 4,
	IKE_TRANS_ESN = 5,
};

enum ike_encr_id {
	IKE_ENCR_AES_CBC = 12,
	IKE_ENCR_AES_GCM_8 = 18,
	IKE_ENCR_AES_GCM_12 = 19,
	IKE_ENCR_AES_GCM_16 = 20,
	IKE_ENCR_CHACHA20_POLY1305 = 28,
};

enum ike_prf_id {
	IKE_PRF_HMAC_SHA1 = 2,
	IKE_PRF_AES128_XCBC = 4,
	IKE_PRF_HMAC_SHA2_256 = 5,
	IKE_PRF_HMAC_SHA2_384 = 6,
	IKE_PRF_HMAC_SHA2_512 = 7,
};

enum ike_integ_id {
	IKE_INTEG_NONE = 0,
	IKE_INTEG_HMAC_SHA1_96 = 2,
	IKE_INTEG_HMAC_SHA2_256_128 = 12,
	IKE_INTEG_HMAC_SHA2_384_192 = 13,
	IKE_INTEG_HMAC_SHA2_512_256 = 14,
};

enum ike_ke_id {
	IKE_KE_NONE = 0,
	IKE_KE_MODP2048 = 14,
	IKE_KE_MODP3072 = 15,
	IKE_KE_ECP256 = 19,
	IKE_KE_ECP384 = 20,
	IKE_KE_X25519 = 31,
};

enum ike_esn_id {
	IKE_ESN_NO = 0,
	IKE_ESN_YES = 1,
};

#define IKE_ATTR_KEY_LENGTH 14

enum ike_id_type {
	IKE_ID_IPV4_ADDR = 1,
	IKE_ID_FQDN = 2,
	IKE_ID_RFC822_ADDR = 3,
	IKE_ID_IPV6_ADDR = 5,
	IKE_ID_DER_ASN1_DN = 9,
	IKE_ID_DER_ASN1_GN = 10,
	IKE_ID_KEY_ID = 11,
};

enum ike_auth_method {
	IKE_AUTH_RSA_SIG = 1,
	IKE_AUTH_PSK = 2,
	IKE_AUTH_DSS_SIG = 3,
	IKE_AUTH_ECDSA_256 = 9,		/* RFC 4754: ECDSA with SHA-256 on P-256 */
	IKE_AUTH_ECDSA_384 = 10,	/* SHA-384 on P-384 */
	IKE_AUTH_ECDSA_521 = 11,	/* SHA-512 on P-521 */
	IKE_AUTH_DIGITAL_SIG = 14,
};

enum ike_ts_type {
	IKE_TS_IPV4_ADDR_RANGE = 7,
	IKE_TS_IPV6_ADDR_RANGE = 8,
};

enum ike_cert_encoding {
	IKE_CERT_X509_SIG = 4,
};

enum ike_notify_type {
	IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
	IKE_N_INVALID_IKE_SPI = 4,
	IKE_N_INVALID_MAJOR_VERSION = 5,
	IKE_N_INVALID_SYNTAX = 7,
	IKE_N_INVALID_MESSAGE_ID = 9,
	IKE_N_INVALID_SPI = 11,
	IKE_N_NO_PROPOSAL_CHOSEN = 14,
	IKE_N_INVALID_KE_PAYLOAD = 17,
	IKE_N_AUTHENTICATION_FAILED = 24,
	IKE_N_SINGLE_PAIR_REQUIRED = 34,
	IKE_N_NO_ADDITIONAL_SAS = 35,
	IKE_N_INTERNAL_ADDRESS_FAILURE = 36,
	IKE_N_FAILED_CP_REQUIRED = 37,
	IKE_N_TS_UNACCEPTABLE = 38,
	IKE_N_INVALID_SELECTORS = 39,
	IKE_N_TEMPORARY_FAILURE = 43,
	IKE_N_CHILD_SA_NOT_FOUND = 44,
	IKE_N_INITIAL_CONTACT = 16384,
	IKE_N_SET_WINDOW_SIZE = 16385,
	IKE_N_ADDITIONAL_TS_POSSIBLE = 16386,
	IKE_N_IPCOMP_SUPPORTED = 16387,
	IKE_N_NAT_DETECTION_SOURCE_IP = 16388,
	IKE_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKE_N_COOKIE = 16390,
	IKE_N_USE_TRANSPORT_MODE = 16391,
	IKE_N_REKEY_SA = 16393,
	IKE_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430,
	IKE_N_SIGNATURE_HASH_ALGORITHMS = 16431,
};

/* Length in bytes of the KE payload data of a group, 0 if unknown. */
size_t ike_ke_group_len(uint16_t group);

#endif
