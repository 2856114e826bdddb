/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Configuration payload (RFC 7296 §3.15) as ikev2d uses it: a client
 * asks for inner addresses (and DNS servers) in CP(CFG_REQUEST) in
 * IKE_AUTH, the gateway answers with CP(CFG_REPLY) from its pools, or with
 * INTERNAL_ADDRESS_FAILURE and no Child SA.
 *
 * cp_read()/cp_build() translate between the payload and struct cp_info;
 * the rest is the exchange side: what the client asks, what the gateway
 * leases (and gives back when the IKE SA goes), what the client installs.
 */
#ifndef CP_H
#define CP_H

#include "config.h"
#include "ike_msg.h"

enum {
	IKE_CFG_REQUEST = 1,
	IKE_CFG_REPLY = 2,
	IKE_CFG_SET = 3,
	IKE_CFG_ACK = 4,
};

enum {
	IKE_CP_INTERNAL_IP4_ADDRESS = 1,	/* 0 or 4 bytes */
	IKE_CP_INTERNAL_IP4_NETMASK = 2,
	IKE_CP_INTERNAL_IP4_DNS = 3,		/* 0 or 4 bytes */
	IKE_CP_INTERNAL_IP6_ADDRESS = 8,	/* 0 or 16 bytes + prefix length */
	IKE_CP_INTERNAL_IP6_DNS = 10,		/* 0 or 16 bytes */
};

#define CP_MAX_ADDRS 4

/* What one CP carries. An address of family f that is all zeros (or came
 * as an empty attribute) asks for any address of f. */
struct cp_info {
	uint8_t type;			/* IKE_CFG_* */
	struct conf_addr addr[CP_MAX_ADDRS];
	size_t n_addr;
	struct conf_addr dns[CP_MAX_ADDRS];	/* all zeros in a request: "any" */
	size_t n_dns;
};

/* Attributes we do not know are skipped; a known one with a wrong length
 * is an error (why says which). Extra addresses beyond CP_MAX_ADDRS are
 * ignored. */
int cp_read(const struct ike_cp *cp, struct cp_info *out, char *why, size_t len);
/* values: room for the attribute values (17 bytes each), cp points into it */
void cp_build(const struct cp_info *in, struct ike_cp *cp, uint8_t values[][17]);

struct ike_sa;
struct ike_wbuf;
struct ike_msg;

/* Client: the CP(CFG_REQUEST) for the connection's vips, if any. */
void cp_put_request(const struct ike_sa *sa, struct ike_wbuf *w);
/*
 * Gateway: answers the peer's CFG_REQUEST from the connection's pools.
 * Returns 0 (a CFG_REPLY was written, or there was nothing to answer) or
 * the error notify to send instead of the Child SA.
 */
uint16_t cp_respond(struct ike_sa *sa, const struct ike_msg *m, struct ike_wbuf *w);
/* Client: takes the addresses of the CFG_REPLY and installs them; false
 * when the connection asked for addresses and got none it can use. */
bool cp_process_reply(struct ike_sa *sa, const struct ike_msg *m);
/* The IKE SA goes: leases back to the pool / addresses off the interface. */
void cp_release(struct ike_sa *sa);
/* Leases and virtual addresses follow the Child SAs to a rekeyed IKE SA. */
void cp_move(struct ike_sa *from, struct ike_sa *to);

/*
 * Name selectors (the design deck's "Name: company.com"): does an SPD
 * Name match a peer identity? Equal (case aside), or the identity is a
 * user or host of that domain: "alice@company.com", "vpn.company.com".
 */
bool cp_name_matches(const char *name, const char *identity);
/* The peer's authenticated identity as text (FQDN, user@FQDN, an address,
 * a DN), as Name selectors are written. */
const char *cp_peer_name(const struct ike_sa *sa, char *buf, size_t len);

#endif
