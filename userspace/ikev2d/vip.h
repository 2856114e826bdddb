/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A client's virtual addresses in the host (rtnetlink, no shelling out):
 * the address on an interface, and routes in their own table that give
 * the protected network the address as source ("src" hint) through the
 * same next hop as the gateway. Like strongSwan's table 220, consulted
 * by a rule before the main table, so the host's own routes stay as
 * they are.
 */
#ifndef VIP_H
#define VIP_H

#include <stdbool.h>
#include "config.h"
#include "ike_msg.h"
#include "ike_sa.h"

#define VIP_TABLE 220
#define VIP_RULE_PRIORITY 220

/* Address on / off ifname (a host address, /32 or /128). */
int vip_addr(bool add, const char *ifname, const struct conf_addr *a, char *err, size_t len);
/*
 * Route dst (a prefix) in VIP_TABLE with source src, out the way the
 * peer's outer address goes; the rule of VIP_TABLE comes with the first
 * route of a family and goes with its last. -EINVAL: dst is no prefix.
 */
int vip_route(bool add, const struct ike_ts *dst, const struct conf_addr *src,
	      const ike_sockaddr *peer, char *err, size_t len);
/* dst as a prefix: its length, or -1 when the range is not one */
int vip_prefix_len(const struct ike_ts *ts);

#endif
