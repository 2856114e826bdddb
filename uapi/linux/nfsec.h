/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * nfsec: an RFC 4301 IPsec stack on netfilter.
 *
 * This is the whole control interface of the nfsec module: a generic-netlink
 * family, one instance per network namespace.
 *
 *   family name:      NFSEC_GENL_NAME ("nfsec")
 *   version:          NFSEC_GENL_VERSION
 *   multicast group:  NFSEC_MCGRP_EVENTS ("events")
 *
 * Every command that changes state requires CAP_NET_ADMIN in the namespace's
 * user namespace. Every attribute is validated strictly (unknown attributes
 * and trailing data are errors) and every rejection carries an extack
 * message naming the offending attribute.
 *
 * Directions and selectors
 * ------------------------
 * A policy has a direction (enum nfsec_dir). Selectors are written in the
 * orientation of the packet: SRC is the packet's source address and port,
 * DST its destination. For RFC 4301's "local"/"remote": in an OUT policy
 * local = SRC and remote = DST; in IN and FWD policies local = DST and
 * remote = SRC.
 *
 *   OUT  packets this host sends or forwards (LOCAL_OUT, FORWARD)
 *   IN   packets delivered to this host (LOCAL_IN)
 *   FWD  packets forwarded by this host, checked on their way in (FORWARD);
 *        a forwarded packet is checked against FWD, then against OUT.
 *
 * BYPASS and DISCARD policies form SPD-O (OUT) and SPD-I (IN, FWD); PROTECT
 * policies form SPD-S. RFC 4301 §5.1: an outbound packet is looked up in
 * SPD-S and SPD-O together, in priority order. With no matching policy a
 * packet is BYPASSed: loading nfsec must not cut a router off; an explicit
 * final "any DISCARD" policy closes the box.
 *
 * Priority: lower values are consulted first; equal priorities keep their
 * insertion order.
 *
 * Commands and their attribute trees
 * ----------------------------------
 * NFSEC_CMD_POLICY_NEW (do, admin)
 *   request: NFSEC_A_POLICY: nest nfsec_policy_attrs
 *              (ID must be absent; DIR and ACTION are required)
 *   reply:   NFSEC_A_POLICY: nest { NFSEC_POLICY_A_ID }, NFSEC_A_GENERATION
 *
 * NFSEC_CMD_POLICY_DEL (do, admin)
 *   request: NFSEC_A_POLICY: nest { NFSEC_POLICY_A_ID }
 *
 * NFSEC_CMD_POLICY_GET (do, dump)
 *   do request:   NFSEC_A_POLICY: nest { NFSEC_POLICY_A_ID }
 *   dump request: optional NFSEC_A_POLICY: nest { NFSEC_POLICY_A_DIR }
 *   reply (one message per policy): NFSEC_A_GENERATION,
 *          NFSEC_A_POLICY: nest nfsec_policy_attrs (every attribute, plus
 *          NFSEC_POLICY_A_STATS)
 *   Dumps are marked NLM_F_DUMP_INTR if the SPD changed while dumping.
 *
 * NFSEC_CMD_POLICY_FLUSH (do, admin)
 *   request: optional NFSEC_A_POLICY: nest { NFSEC_POLICY_A_DIR }
 *
 * NFSEC_CMD_POLICY_REPLACE (do, admin)
 *   Atomically replace the whole SPD: all or nothing.
 *   request: NFSEC_A_POLICY_LIST: nest of NFSEC_A_POLICY (at most
 *            NFSEC_REPLACE_MAX entries); NFSEC_A_CHECK_ONLY (flag): validate
 *            only, change nothing.
 *   reply:   NFSEC_A_GENERATION, NFSEC_A_POLICY_COUNT
 *
 * NFSEC_CMD_POLICY_LOOKUP (do)
 *   Which policy would a packet with this tuple match, and why.
 *   request: NFSEC_A_LOOKUP: nest nfsec_lookup_attrs (DIR, SRC, DST required)
 *   reply:   NFSEC_A_LOOKUP: nest { NFSEC_LOOKUP_A_RESULT,
 *                                   NFSEC_LOOKUP_A_TABLE },
 *            NFSEC_A_POLICY (absent when no policy matched)
 *
 * NFSEC_CMD_STATS_GET (do)
 *   reply: NFSEC_A_STATS: nest nfsec_stats_attrs
 *
 * NFSEC_CMD_ACQUIRE (event on NFSEC_MCGRP_EVENTS)
 *   NFSEC_A_ACQUIRE: nest nfsec_acquire_attrs. Sent once per larval entry
 *   (policy, populated selector) and rate limited per namespace.
 *
 * Attribute types
 * ---------------
 * Addresses are binary, in network byte order: 4 bytes for AF_INET, 16 for
 * AF_INET6. Ports, priorities, ids and counters are in host byte order.
 */
#ifndef _UAPI_LINUX_NFSEC_H
#define _UAPI_LINUX_NFSEC_H

#include <linux/types.h>

#define NFSEC_GENL_NAME		"nfsec"
#define NFSEC_GENL_VERSION	1
#define NFSEC_MCGRP_EVENTS	"events"

/* The largest batch NFSEC_CMD_POLICY_REPLACE accepts. */
#define NFSEC_REPLACE_MAX	65536
/* The longest Name selector, an IKE identity such as "company.com". */
#define NFSEC_NAME_MAX		255
/* The longest proposal string of a PROTECT policy. */
#define NFSEC_PROPOSAL_MAX	255

enum nfsec_cmd {
	NFSEC_CMD_UNSPEC,
	NFSEC_CMD_POLICY_NEW,
	NFSEC_CMD_POLICY_DEL,
	NFSEC_CMD_POLICY_GET,
	NFSEC_CMD_POLICY_FLUSH,
	NFSEC_CMD_POLICY_REPLACE,
	NFSEC_CMD_POLICY_LOOKUP,
	NFSEC_CMD_STATS_GET,
	NFSEC_CMD_ACQUIRE,

	__NFSEC_CMD_MAX
};
#define NFSEC_CMD_MAX (__NFSEC_CMD_MAX - 1)

enum nfsec_dir {
	NFSEC_DIR_OUT,
	NFSEC_DIR_IN,
	NFSEC_DIR_FWD,

	__NFSEC_DIR_MAX
};
#define NFSEC_DIR_MAX (__NFSEC_DIR_MAX - 1)

enum nfsec_action {
	NFSEC_ACTION_BYPASS,
	NFSEC_ACTION_DISCARD,
	NFSEC_ACTION_PROTECT,

	__NFSEC_ACTION_MAX
};
#define NFSEC_ACTION_MAX (__NFSEC_ACTION_MAX - 1)

enum nfsec_mode {
	NFSEC_MODE_TRANSPORT,
	NFSEC_MODE_TUNNEL,

	__NFSEC_MODE_MAX
};
#define NFSEC_MODE_MAX (__NFSEC_MODE_MAX - 1)

/*
 * PFP ("populate from packet") flags, per selector. When set, the SA that an
 * ACQUIRE asks for carries the packet's value of that field instead of the
 * policy's, so that each distinct value gets its own SA.
 */
enum nfsec_pfp_flag {
	NFSEC_PFP_SRC	= 1U << 0,
	NFSEC_PFP_DST	= 1U << 1,
	NFSEC_PFP_PROTO	= 1U << 2,
	NFSEC_PFP_SPORT	= 1U << 3,
	NFSEC_PFP_DPORT	= 1U << 4,

	__NFSEC_PFP_ALL = NFSEC_PFP_SRC | NFSEC_PFP_DST | NFSEC_PFP_PROTO |
			  NFSEC_PFP_SPORT | NFSEC_PFP_DPORT
};

/* Top-level attributes. */
enum nfsec_attr {
	NFSEC_A_UNSPEC,
	NFSEC_A_POLICY,		/* nest nfsec_policy_attrs */
	NFSEC_A_POLICY_LIST,	/* nest of NFSEC_A_POLICY */
	NFSEC_A_GENERATION,	/* u32: SPD generation, bumped on change */
	NFSEC_A_POLICY_COUNT,	/* u32 */
	NFSEC_A_CHECK_ONLY,	/* flag */
	NFSEC_A_LOOKUP,		/* nest nfsec_lookup_attrs */
	NFSEC_A_STATS,		/* nest nfsec_stats_attrs */
	NFSEC_A_ACQUIRE,	/* nest nfsec_acquire_attrs */

	__NFSEC_A_MAX
};
#define NFSEC_A_MAX (__NFSEC_A_MAX - 1)

/*
 * A policy. In requests FAMILY may be omitted: it is then taken from the
 * address selectors, and a policy with neither is for both IPv4 and IPv6.
 */
enum nfsec_policy_attrs {
	NFSEC_POLICY_A_UNSPEC,
	NFSEC_POLICY_A_ID,		/* u32, assigned by the kernel, > 0 */
	NFSEC_POLICY_A_DIR,		/* u8, enum nfsec_dir */
	NFSEC_POLICY_A_PRIORITY,	/* u32, default 0x80000000 */
	NFSEC_POLICY_A_FAMILY,		/* u16: AF_UNSPEC, AF_INET, AF_INET6 */
	NFSEC_POLICY_A_SEL,		/* nest nfsec_sel_attrs */
	NFSEC_POLICY_A_ACTION,		/* u8, enum nfsec_action */
	NFSEC_POLICY_A_IPSEC,		/* nest nfsec_ipsec_attrs; PROTECT only */
	NFSEC_POLICY_A_STATS,		/* nest nfsec_policy_stats_attrs; out */

	__NFSEC_POLICY_A_MAX
};
#define NFSEC_POLICY_A_MAX (__NFSEC_POLICY_A_MAX - 1)

/*
 * Traffic selectors. An absent selector is ANY. Port ranges are inclusive;
 * a single port is MIN == MAX. Ports require PROTO to be TCP, UDP, SCTP or
 * UDP-Lite; ICMP type/code require PROTO ICMP or ICMPv6.
 */
enum nfsec_sel_attrs {
	NFSEC_SEL_A_UNSPEC,
	NFSEC_SEL_A_SRC,		/* nest nfsec_addr_attrs */
	NFSEC_SEL_A_DST,		/* nest nfsec_addr_attrs */
	NFSEC_SEL_A_PROTO,		/* u8, next-layer protocol */
	NFSEC_SEL_A_SPORT_MIN,		/* u16 */
	NFSEC_SEL_A_SPORT_MAX,		/* u16 */
	NFSEC_SEL_A_DPORT_MIN,		/* u16 */
	NFSEC_SEL_A_DPORT_MAX,		/* u16 */
	NFSEC_SEL_A_ICMP_TYPE,		/* u8 */
	NFSEC_SEL_A_ICMP_CODE,		/* u8 */
	NFSEC_SEL_A_PORTS_OPAQUE,	/* flag: match only packets whose ports
					 * are not available (non-first
					 * fragments) */
	NFSEC_SEL_A_NAME,		/* string, IKE identity, <= NFSEC_NAME_MAX */
	NFSEC_SEL_A_PFP,		/* u32, enum nfsec_pfp_flag */

	__NFSEC_SEL_A_MAX
};
#define NFSEC_SEL_A_MAX (__NFSEC_SEL_A_MAX - 1)

/*
 * An address selector: a prefix (START + PREFIXLEN) or a range
 * (START .. END, inclusive). In replies both forms carry START and END, and
 * PREFIXLEN when the selector was given as a prefix.
 */
enum nfsec_addr_attrs {
	NFSEC_ADDR_A_UNSPEC,
	NFSEC_ADDR_A_START,		/* binary, 4 or 16 bytes */
	NFSEC_ADDR_A_END,		/* binary, same length as START */
	NFSEC_ADDR_A_PREFIXLEN,		/* u8 */

	__NFSEC_ADDR_A_MAX
};
#define NFSEC_ADDR_A_MAX (__NFSEC_ADDR_A_MAX - 1)

/* How a PROTECT policy protects: what the IKE daemon is asked to negotiate. */
enum nfsec_ipsec_attrs {
	NFSEC_IPSEC_A_UNSPEC,
	NFSEC_IPSEC_A_PROTO,		/* u8: IPPROTO_ESP or IPPROTO_AH */
	NFSEC_IPSEC_A_MODE,		/* u8, enum nfsec_mode */
	NFSEC_IPSEC_A_TUNNEL_SRC,	/* binary address; tunnel mode only */
	NFSEC_IPSEC_A_TUNNEL_DST,	/* binary address; tunnel mode only */
	NFSEC_IPSEC_A_REQID,		/* u32, links policy and SAs */
	NFSEC_IPSEC_A_PROPOSAL,		/* string, e.g. "aes256gcm16", for IKE */

	__NFSEC_IPSEC_A_MAX
};
#define NFSEC_IPSEC_A_MAX (__NFSEC_IPSEC_A_MAX - 1)

enum nfsec_policy_stats_attrs {
	NFSEC_POLICY_STATS_A_UNSPEC,
	NFSEC_POLICY_STATS_A_PAD,
	NFSEC_POLICY_STATS_A_PACKETS,	/* u64: packets that matched */
	NFSEC_POLICY_STATS_A_BYTES,	/* u64 */

	__NFSEC_POLICY_STATS_A_MAX
};
#define NFSEC_POLICY_STATS_A_MAX (__NFSEC_POLICY_STATS_A_MAX - 1)

/* A packet tuple for NFSEC_CMD_POLICY_LOOKUP. */
enum nfsec_lookup_attrs {
	NFSEC_LOOKUP_A_UNSPEC,
	NFSEC_LOOKUP_A_DIR,		/* u8, enum nfsec_dir */
	NFSEC_LOOKUP_A_SRC,		/* binary address */
	NFSEC_LOOKUP_A_DST,		/* binary address, same family */
	NFSEC_LOOKUP_A_PROTO,		/* u8 */
	NFSEC_LOOKUP_A_SPORT,		/* u16 (ICMP: type) */
	NFSEC_LOOKUP_A_DPORT,		/* u16 (ICMP: code) */
	NFSEC_LOOKUP_A_RESULT,		/* u8, enum nfsec_action; reply */
	NFSEC_LOOKUP_A_TABLE,		/* u8, enum nfsec_spd_table; reply */

	__NFSEC_LOOKUP_A_MAX
};
#define NFSEC_LOOKUP_A_MAX (__NFSEC_LOOKUP_A_MAX - 1)

/* Which part of the SPD decided a lookup (RFC 4301 §4.4.1). */
enum nfsec_spd_table {
	NFSEC_SPD_NONE,		/* no policy matched: default BYPASS */
	NFSEC_SPD_S,		/* a PROTECT policy */
	NFSEC_SPD_I,		/* an inbound BYPASS/DISCARD policy */
	NFSEC_SPD_O,		/* an outbound BYPASS/DISCARD policy */

	__NFSEC_SPD_MAX
};

/* Why the SPD dropped a packet. */
enum nfsec_drop_reason {
	NFSEC_DROP_DISCARD,		/* a DISCARD policy matched */
	NFSEC_DROP_UNPROTECTED,		/* clear text where SPD-S wants IPsec */
	NFSEC_DROP_NO_SA,		/* PROTECT without an SA, not held */
	NFSEC_DROP_ACQUIRE_TIMEOUT,	/* held for an ACQUIRE that never
					 * got an SA */
	NFSEC_DROP_MALFORMED,		/* headers could not be parsed */
	NFSEC_DROP_NOMEM,

	__NFSEC_DROP_MAX
};

enum nfsec_stats_attrs {
	NFSEC_STATS_A_UNSPEC,
	NFSEC_STATS_A_PAD,
	NFSEC_STATS_A_DIR,		/* nest nfsec_dir_stats_attrs, repeated */
	NFSEC_STATS_A_DROP,		/* nest nfsec_drop_stats_attrs, repeated */
	NFSEC_STATS_A_CPU,		/* nest nfsec_cpu_stats_attrs, repeated */
	NFSEC_STATS_A_POLICIES,		/* u32 */
	NFSEC_STATS_A_GENERATION,	/* u32 */
	NFSEC_STATS_A_ACQUIRES,		/* u64: ACQUIRE events sent */
	NFSEC_STATS_A_ACQUIRES_SUPPRESSED, /* u64: de-duplicated or limited */
	NFSEC_STATS_A_LARVAL,		/* u32: pending ACQUIREs now */

	__NFSEC_STATS_A_MAX
};
#define NFSEC_STATS_A_MAX (__NFSEC_STATS_A_MAX - 1)

enum nfsec_dir_stats_attrs {
	NFSEC_DIR_STATS_A_UNSPEC,
	NFSEC_DIR_STATS_A_PAD,
	NFSEC_DIR_STATS_A_DIR,		/* u8, enum nfsec_dir */
	NFSEC_DIR_STATS_A_BYPASS,	/* u64 packets */
	NFSEC_DIR_STATS_A_DISCARD,	/* u64 packets */
	NFSEC_DIR_STATS_A_PROTECT,	/* u64 packets */
	NFSEC_DIR_STATS_A_NOMATCH,	/* u64 packets: default BYPASS */

	__NFSEC_DIR_STATS_A_MAX
};
#define NFSEC_DIR_STATS_A_MAX (__NFSEC_DIR_STATS_A_MAX - 1)

enum nfsec_drop_stats_attrs {
	NFSEC_DROP_STATS_A_UNSPEC,
	NFSEC_DROP_STATS_A_PAD,
	NFSEC_DROP_STATS_A_REASON,	/* u32, enum nfsec_drop_reason */
	NFSEC_DROP_STATS_A_PACKETS,	/* u64 */

	__NFSEC_DROP_STATS_A_MAX
};
#define NFSEC_DROP_STATS_A_MAX (__NFSEC_DROP_STATS_A_MAX - 1)

enum nfsec_cpu_stats_attrs {
	NFSEC_CPU_STATS_A_UNSPEC,
	NFSEC_CPU_STATS_A_PAD,
	NFSEC_CPU_STATS_A_CPU,		/* u32 */
	NFSEC_CPU_STATS_A_CACHE_HITS,	/* u64: SPD cache */
	NFSEC_CPU_STATS_A_CACHE_MISSES,	/* u64 */

	__NFSEC_CPU_STATS_A_MAX
};
#define NFSEC_CPU_STATS_A_MAX (__NFSEC_CPU_STATS_A_MAX - 1)

/*
 * An ACQUIRE: a packet matched a PROTECT policy that has no SA. SEL is the
 * selector the SA must cover: the policy's selectors with every PFP field
 * replaced by the packet's value. PACKET_* is the triggering packet.
 */
enum nfsec_acquire_attrs {
	NFSEC_ACQUIRE_A_UNSPEC,
	NFSEC_ACQUIRE_A_POLICY_ID,	/* u32 */
	NFSEC_ACQUIRE_A_DIR,		/* u8, enum nfsec_dir */
	NFSEC_ACQUIRE_A_FAMILY,		/* u16 */
	NFSEC_ACQUIRE_A_SEL,		/* nest nfsec_sel_attrs */
	NFSEC_ACQUIRE_A_IPSEC,		/* nest nfsec_ipsec_attrs */
	NFSEC_ACQUIRE_A_PACKET_SRC,	/* binary address */
	NFSEC_ACQUIRE_A_PACKET_DST,	/* binary address */
	NFSEC_ACQUIRE_A_PACKET_PROTO,	/* u8 */
	NFSEC_ACQUIRE_A_PACKET_SPORT,	/* u16 */
	NFSEC_ACQUIRE_A_PACKET_DPORT,	/* u16 */

	__NFSEC_ACQUIRE_A_MAX
};
#define NFSEC_ACQUIRE_A_MAX (__NFSEC_ACQUIRE_A_MAX - 1)

#endif /* _UAPI_LINUX_NFSEC_H */
