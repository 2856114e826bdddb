/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IKE fragmentation (RFC 7383): splitting a protected message into
 * Encrypted Fragment (SKF) payloads, and putting the peer's fragments back
 * together.
 *
 * Reassembly keeps one message per direction and IKE SA. Each fragment is
 * authenticated and decrypted (ike_frag_open) before ike_frag_add() keeps
 * its plaintext, so a forged fragment can neither take a slot nor reset
 * what is collected. Limits: Total Fragments, the reassembled length, and
 * a timeout counted from the first fragment kept; a duplicate is dropped,
 * a fragment with a smaller Total Fragments than the one being collected
 * is dropped and a larger one starts over (§2.6: the sender lowered its
 * fragment size on retransmission).
 *
 * Nothing here touches an SA, a socket or a clock: the message layer
 * (ike_sa.c) calls in with the message ID it accepts and the time.
 */
#ifndef IKE_FRAG_H
#define IKE_FRAG_H

#include <stdbool.h>
#include <stdint.h>
#include "ike_crypto.h"
#include "ike_msg.h"

#define IKE_FRAG_MAX 64			/* fragments of one message, either way */
#define IKE_FRAG_MAX_LEN 65000		/* reassembled plaintext */
#define IKE_FRAG_TIMEOUT_MS 30000

struct ike_frag_limits {
	unsigned int max_frags;		/* at most IKE_FRAG_MAX */
	size_t max_len;			/* at most IKE_FRAG_MAX_LEN */
	unsigned int timeout_ms;
};

/* A message being reassembled. Zeroed = idle. */
struct ike_frag_in {
	bool active;
	uint32_t mid;
	uint16_t total, have;
	uint8_t first_np;		/* from fragment 1 */
	size_t len;			/* plaintext bytes kept */
	uint64_t started_ms;
	uint8_t *frag[IKE_FRAG_MAX];	/* index: Fragment Number - 1 */
	uint16_t frag_len[IKE_FRAG_MAX];
};

enum ike_frag_status {
	IKE_FRAG_KEPT = 0,		/* stored, the message is not complete */
	IKE_FRAG_COMPLETE = 1,		/* all there: ike_frag_assemble() */
	IKE_FRAG_DUPLICATE = 2,		/* already have it: dropped */
	IKE_FRAG_STALE = 3,		/* smaller Total Fragments than collected: dropped */
	IKE_FRAG_TOO_MANY = -1,		/* Total Fragments over the limit */
	IKE_FRAG_TOO_BIG = -2,		/* reassembled message over the limit: all dropped */
	IKE_FRAG_NOMEM = -3,
};

const char *ike_frag_strstatus(int status);

/*
 * Checks the SKF payload body skf of the datagram buf (its ICV covers
 * everything up to the IV) and decrypts it into out. Returns 0, an
 * IKE_ERR_* from the payload syntax, or a negative errno from ike_crypto
 * (-EBADMSG: integrity check failed).
 */
int ike_frag_open(const struct ike_sk *sk, const uint8_t *buf, struct ike_buf skf,
		  struct ike_skf *f, uint8_t *out, size_t cap, size_t *pt_len);

/* Keeps the authenticated fragment f (plaintext pt) of message mid. */
int ike_frag_add(struct ike_frag_in *st, const struct ike_frag_limits *lim, uint32_t mid,
		 const struct ike_skf *f, uint8_t first_np, const uint8_t *pt, size_t pt_len,
		 uint64_t now_ms);
/* The whole inner payload chain of a complete message; frees the state. */
int ike_frag_assemble(struct ike_frag_in *st, uint8_t *out, size_t cap, size_t *len,
		      uint8_t *first_np);
/* Drops what is collected when it is older than the timeout; true if it did. */
bool ike_frag_expire(struct ike_frag_in *st, const struct ike_frag_limits *lim,
		     uint64_t now_ms);
void ike_frag_reset(struct ike_frag_in *st);

/*
 * Splits the inner payload chain pt (first payload first_np) into SKF
 * datagrams of at most max_dgram bytes each, with the header h (its
 * next_payload and length are set here). The datagrams go back to back
 * into out, their lengths into lens. Returns the number of fragments, or
 * a negative errno (-EMSGSIZE: more than max_frags would be needed).
 */
int ike_frag_build(const struct ike_sk *sk, const struct ike_hdr *h, uint8_t first_np,
		   struct ike_buf pt, size_t max_dgram, unsigned int max_frags,
		   uint8_t *out, size_t cap, uint16_t *lens);

/* IKE message bytes left in a datagram of dgram bytes (IP and UDP headers,
 * the non-ESP marker on port 4500 when natt). */
size_t ike_frag_room(size_t dgram, bool ipv6, bool natt);

#endif
