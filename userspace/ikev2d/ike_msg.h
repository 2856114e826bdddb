/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKEv2 message encoding and decoding (RFC 7296 §3).
 *
 * Parsing walks the generic payload header chain of a datagram, checks
 * every length and the body of every payload type it knows, skips unknown
 * non-critical payloads and stops on an unknown critical one. The message
 * keeps views into the caller's buffer; the typed ike_parse_*() functions
 * turn one payload body into a neutral struct. The SK payload is an
 * opaque blob here: decrypting it is ike_crypto's job, after which
 * ike_payloads_parse() walks the inner chain.
 *
 * Encoding goes through a bounded buffer (struct ike_wbuf): every writer
 * fails softly on overflow and ike_wbuf_finish() reports it once.
 */
#ifndef IKE_MSG_H
#define IKE_MSG_H

#include <stdbool.h>
#include "ike_proto.h"

#define IKE_HDR_LEN 28
#define IKE_GENERIC_HDR_LEN 4
#define IKE_MAX_PAYLOADS 32
#define IKE_MAX_PROPOSALS 16
#define IKE_MAX_TRANSFORMS 32
#define IKE_MAX_TS 16
#define IKE_MAX_CP_ATTRS 16
#define IKE_NONCE_MIN 16
#define IKE_NONCE_MAX 256

enum ike_err {
	IKE_OK = 0,
	IKE_ERR_TRUNCATED = -1,		/* fewer bytes than a length says */
	IKE_ERR_SYNTAX = -2,		/* a length or field is inconsistent */
	IKE_ERR_VERSION = -3,		/* major version is not 2 */
	IKE_ERR_UNSUPPORTED_CRITICAL = -4, /* unknown payload with C bit */
	IKE_ERR_TOO_MANY = -5,		/* more elements than we keep */
	IKE_ERR_KE_LENGTH = -6,		/* KE data length does not fit the group */
	IKE_ERR_NOSPACE = -7,		/* encoding buffer too small */
};

const char *ike_strerror(int err);
/* The notify to send back for a parse error (0 if none, i.e. drop). */
uint16_t ike_err_notify(int err);

struct ike_hdr {
	uint8_t spi_i[8];
	uint8_t spi_r[8];
	uint8_t next_payload;
	uint8_t version;	/* major << 4 | minor */
	uint8_t exchange;
	uint8_t flags;
	uint32_t msg_id;
	uint32_t length;
};

struct ike_payload {
	uint8_t type;
	bool critical;
	uint8_t sk_first;	/* SK, SKF: type of the first inner payload */
	struct ike_buf body;	/* without the generic header */
};

struct ike_msg {
	struct ike_hdr hdr;
	unsigned int n;
	struct ike_payload pl[IKE_MAX_PAYLOADS];
	uint8_t unsupported_critical;	/* set with IKE_ERR_UNSUPPORTED_CRITICAL */
};

struct ike_transform {
	uint8_t type;
	uint16_t id;
	uint16_t key_len;	/* bits, 0 when absent */
	bool unknown_attr;	/* carries an attribute we do not understand */
};

struct ike_proposal {
	uint8_t num;
	uint8_t protocol;
	uint8_t spi_size;
	uint8_t spi[8];
	unsigned int n;
	struct ike_transform xf[IKE_MAX_TRANSFORMS];
};

struct ike_sa_payload {
	unsigned int n;
	struct ike_proposal prop[IKE_MAX_PROPOSALS];
};

struct ike_ke {
	uint16_t group;
	struct ike_buf data;
};

struct ike_id {
	uint8_t type;
	struct ike_buf data;
};

/* CERT and CERTREQ */
struct ike_cert {
	uint8_t encoding;
	struct ike_buf data;
};

struct ike_auth {
	uint8_t method;
	struct ike_buf data;
};

struct ike_notify {
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t type;
	struct ike_buf spi;
	struct ike_buf data;
};

struct ike_delete {
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t n_spi;
	struct ike_buf spis;
};

struct ike_ts {
	uint8_t type;		/* IKE_TS_IPV4_ADDR_RANGE or IKE_TS_IPV6_ADDR_RANGE */
	uint8_t ip_proto;	/* 0 = any */
	uint16_t start_port;
	uint16_t end_port;
	uint8_t start[16];	/* 4 bytes used for IPv4 */
	uint8_t end[16];
};

struct ike_ts_payload {
	unsigned int n;
	struct ike_ts ts[IKE_MAX_TS];
};

struct ike_cp_attr {
	uint16_t type;
	struct ike_buf value;
};

struct ike_cp {
	uint8_t type;
	unsigned int n;
	struct ike_cp_attr attr[IKE_MAX_CP_ATTRS];
};

/* RFC 7383 Encrypted Fragment payload: Fragment Number, Total Fragments,
 * then IV | ciphertext | ICV as in SK. */
struct ike_skf {
	uint16_t num;
	uint16_t total;
	struct ike_buf enc;
};

/* Parsing: a whole datagram, or the inner chain of a decrypted SK payload
 * (ike_payloads_parse() appends to what m already holds). */
int ike_msg_parse(const uint8_t *buf, size_t len, struct ike_msg *m);
int ike_hdr_parse(const uint8_t *buf, size_t len, struct ike_hdr *h);
int ike_payloads_parse(uint8_t first, const uint8_t *buf, size_t len,
		       struct ike_msg *m);
const struct ike_payload *ike_msg_find(const struct ike_msg *m, uint8_t type);

int ike_parse_sa(struct ike_buf body, struct ike_sa_payload *sa);
int ike_parse_ke(struct ike_buf body, struct ike_ke *ke);
int ike_parse_id(struct ike_buf body, struct ike_id *id);
int ike_parse_cert(struct ike_buf body, struct ike_cert *cert);
int ike_parse_certreq(struct ike_buf body, struct ike_cert *cert);
int ike_parse_auth(struct ike_buf body, struct ike_auth *auth);
int ike_parse_nonce(struct ike_buf body, struct ike_buf *nonce);
int ike_parse_notify(struct ike_buf body, struct ike_notify *n);
int ike_parse_delete(struct ike_buf body, struct ike_delete *d);
int ike_parse_ts(struct ike_buf body, struct ike_ts_payload *ts);
int ike_parse_cp(struct ike_buf body, struct ike_cp *cp);
int ike_parse_eap(struct ike_buf body, struct ike_buf *eap);
int ike_parse_skf(struct ike_buf body, struct ike_skf *skf);

/* Encoding */
struct ike_wbuf {
	uint8_t *p;
	size_t cap;
	size_t len;
	size_t np_off;		/* where the next "next payload" byte goes */
	bool has_hdr;
	bool overflow;
	uint8_t first;		/* first payload type, for chains without header */
};

void ike_wbuf_init(struct ike_wbuf *w, uint8_t *buf, size_t cap);
void ike_put_hdr(struct ike_wbuf *w, const struct ike_hdr *h);
/* Fills in the header length; returns the length written or IKE_ERR_NOSPACE. */
int ike_wbuf_finish(struct ike_wbuf *w);

void ike_put_sa(struct ike_wbuf *w, const struct ike_sa_payload *sa);
void ike_put_ke(struct ike_wbuf *w, const struct ike_ke *ke);
void ike_put_id(struct ike_wbuf *w, uint8_t type, const struct ike_id *id);
void ike_put_cert(struct ike_wbuf *w, uint8_t type, const struct ike_cert *c);
void ike_put_auth(struct ike_wbuf *w, const struct ike_auth *a);
void ike_put_nonce(struct ike_wbuf *w, struct ike_buf nonce);
void ike_put_notify(struct ike_wbuf *w, const struct ike_notify *n);
void ike_put_delete(struct ike_wbuf *w, const struct ike_delete *d);
void ike_put_vendor(struct ike_wbuf *w, struct ike_buf vid);
void ike_put_ts(struct ike_wbuf *w, uint8_t type, const struct ike_ts_payload *ts);
void ike_put_cp(struct ike_wbuf *w, const struct ike_cp *cp);
void ike_put_eap(struct ike_wbuf *w, struct ike_buf eap);
void ike_put_sk(struct ike_wbuf *w, uint8_t first_inner, struct ike_buf blob);
/* Fragment num of total; first_inner only goes into fragment 1. */
void ike_put_skf(struct ike_wbuf *w, uint8_t first_inner, uint16_t num, uint16_t total,
		 struct ike_buf blob);
/* Any payload from its body, e.g. to test unknown ones. */
void ike_put_raw(struct ike_wbuf *w, uint8_t type, bool critical, struct ike_buf body);

#endif
