/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Traffic selectors (RFC 7296 §3.13) and narrowing (§2.9).
 *
 * Text form, as in the configuration: an address, a prefix or a range,
 * optionally followed by [protocol] or [protocol/port] or
 * [protocol/low-high]:
 *   10.1.0.0/16   2001:db8::/32   192.0.2.7   10.0.0.1-10.0.0.9
 *   10.1.0.0/16[tcp/443]   0.0.0.0/0[udp/500-4500]   ::/0[ipv6-icmp]
 */
#ifndef TS_H
#define TS_H

#include <stdbool.h>
#include "ike_msg.h"

int ts_parse(const char *s, struct ike_ts *ts, char *err, size_t errlen);
int ts_format(const struct ike_ts *ts, char *buf, size_t len);
/* The selector covering a whole address family (any protocol and port). */
void ts_any(struct ike_ts *ts, uint8_t type);

/* Intersection of two selectors; false when it is empty. */
bool ts_intersect(const struct ike_ts *a, const struct ike_ts *b, struct ike_ts *out);
/* inner is a subset of outer */
bool ts_contains(const struct ike_ts *outer, const struct ike_ts *inner);
/* Each of ts is a subset of one of allowed. */
bool ts_all_within(const struct ike_ts *ts, size_t n, const struct ike_ts *allowed,
		   size_t n_allowed);

/*
 * Narrows what the peer proposed to what local policy allows: every
 * non-empty intersection, in the peer's order, without results another
 * result already covers. Returns 0, -ENOENT when nothing is left (answer
 * TS_UNACCEPTABLE), or -ENOSPC when out is too small.
 */
int ts_narrow(const struct ike_ts *proposed, size_t n_proposed,
	      const struct ike_ts *allowed, size_t n_allowed,
	      struct ike_ts *out, size_t cap, size_t *n_out);

#endif
