/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Proposal strings and proposal selection.
 *
 * Strings follow strongSwan's syntax: algorithm tokens joined by '-', e.g.
 * "aes256gcm16-prfsha384-x25519" (IKE) or "aes128-sha256-modp3072", "esn".
 * For IKE, an integrity token without an explicit PRF also selects the PRF
 * of the same hash, as in strongSwan. Several tokens of one type are
 * alternatives. ESP proposals without an ESN token get "noesn".
 *
 * Selection (RFC 7296 §2.7) is the responder's: the first of our own
 * proposals that the peer offers wins, and within it, for each transform
 * type, the first of our algorithms the peer's proposal lists. A peer
 * proposal with a transform type or attribute we do not know is skipped
 * (§3.3.6).
 */
#ifndef PROPOSAL_H
#define PROPOSAL_H

#include "ike_msg.h"

/* Parses one proposal string for IKE_PROTO_IKE or IKE_PROTO_ESP. On error
 * returns -EINVAL and writes a message naming the bad token to err. */
int proposal_parse(const char *str, uint8_t protocol, struct ike_proposal *out,
		   char *err, size_t errlen);
/* A comma-separated list of proposals; they are numbered from 1. */
int proposal_parse_list(const char *list, uint8_t protocol, struct ike_proposal *out,
			size_t max, size_t *n, char *err, size_t errlen);
/* The proposal as a string in the syntax above (canonical token order). */
int proposal_format(const struct ike_proposal *p, char *buf, size_t len);

/*
 * Picks one transform of each type from the peer's offer. chosen carries
 * the number, protocol and SPI of the peer's proposal it came from.
 * Returns 0, or -ENOENT: answer NO_PROPOSAL_CHOSEN.
 */
int proposal_select(const struct ike_proposal *mine, size_t n_mine,
		    const struct ike_sa_payload *offered, struct ike_proposal *chosen);

/* The transform of a type in a (chosen) proposal, or NULL. */
const struct ike_transform *proposal_get(const struct ike_proposal *p, uint8_t type);

#endif
