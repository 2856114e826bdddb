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
 * Every command that changes state, and reading keys (NFSEC_A_SHOW_KEYS),
 * requires CAP_NET_ADMIN in the initial user namespace; reading policies,
 * SAs (without keys) and statistics is open to every user of the namespace.
 * Listening to NFSEC_MCGRP_EVENTS requires CAP_NET_ADMIN in the namespace's
 * user namespace (on kernels that can check it, see netlink.c). Every
 * attribute is validated strictly (unknown attributes and trailing data are
 * errors) and every rejection carries an extack message naming the
 * offending attribute.
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
 * Objects owned by a socket
 * -------------------------
 * A policy added with NFSEC_POLICY_F_OWNED or an SA added with
 * NFSEC_SA_F_OWNED belongs to the netlink socket that sent the request:
 * when that socket is closed, by exit or by a crash, the kernel deletes it
 * (nftables' NFT_TABLE_F_OWNER does the same for tables). A keying daemon
 * marks what it negotiated so, and can never leave stale SAs or per-peer
 * policies behind; after a restart it starts from a clean slate. The flag
 * is reported in dumps; NFSEC_CMD_SA_UPDATE keeps an SA's owner.
 * NFSEC_CMD_POLICY_REPLACE takes no owned policies (EINVAL).
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
 *   request: NFSEC_A_POLICY_LIST, repeated: each a nest of NFSEC_A_POLICY
 *            (one attribute holds at most 64 KiB, so big SPDs come as
 *            several lists in the one message; at most NFSEC_REPLACE_MAX
 *            policies in all); NFSEC_A_CHECK_ONLY (flag): validate only,
 *            change nothing.
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
 * NFSEC_CMD_SA_NEW (do, admin)
 *   request: NFSEC_A_SA: nest nfsec_sa_attrs. Required: SPI, PROTO, MODE,
 *            DIR, FAMILY, SRC, DST and the algorithms (ESP: AEAD, or ENC
 *            with AUTH; AH: AUTH). An SPI reserved by NFSEC_CMD_SPI_ALLOC
 *            becomes this SA (an inbound SA with the reservation's SPI,
 *            PROTO, FAMILY and DST). STATS and CURRENT are refused; DF and
 *            DSCP need tunnel mode, ENCAP and TFC_PAD ESP, REPLAY_WINDOW
 *            an inbound SA. SEQ: outbound, the last sequence number sent;
 *            inbound (with a window), the window's top: it and the
 *            window's numbers below it count as received (an SA's state
 *            moved from another router; XFRM's replay state).
 *   reply:   NFSEC_A_SA: nest { SPI, PROTO, FAMILY, DST }
 *   errors:  EEXIST: an SA with this SPI, PROTO, FAMILY and DST exists
 *            (or the SPI is reserved and the SA is outbound).
 *
 * NFSEC_CMD_SA_UPDATE (do, admin)
 *   Move a live SA to a new path (MOBIKE, a NAT mapping change): outer
 *   addresses and encapsulation ports change; SPI, keys, sequence numbers,
 *   replay state and counters stay. A transport-mode SA keeps its family.
 *   request: NFSEC_A_SA: nest { SPI, PROTO, FAMILY, DST } (the SA as it is
 *            now), NFSEC_A_SA_PATH: nest nfsec_sa_path_attrs (the new path:
 *            FAMILY, SRC and DST required; ENCAP absent means none)
 *   errors:  ESRCH: no such SA; EEXIST: another SA has the new identity.
 *
 * NFSEC_CMD_SA_DEL (do, admin)
 *   request: NFSEC_A_SA: nest { SPI, PROTO, FAMILY, DST } (an SA or an SPI
 *            reservation); ESRCH if there is none.
 *
 * NFSEC_CMD_SA_GET (do, dump)
 *   do request: NFSEC_A_SA: nest { SPI, PROTO, FAMILY, DST }
 *   dump request: optional NFSEC_A_SA: nest { PROTO } and/or { REQID }
 *   Both: NFSEC_A_SHOW_KEYS (flag, needs CAP_NET_ADMIN: EPERM) includes
 *   the keys; without it no key is ever sent. SPI reservations are not SAs:
 *   neither returned nor dumped (ESRCH). A dump's error comes in its
 *   NLMSG_DONE, with the extack message.
 *   reply: NFSEC_A_SA: nest nfsec_sa_attrs: the request's attributes as the
 *          kernel holds them (algorithm NAMEs as the crypto API knows them,
 *          ICV_BITS with defaults applied, REPLAY_WINDOW for inbound SAs,
 *          SEQ for outbound ones, lifetimes with their set limits only),
 *          plus STATS (every drop reason) and CURRENT. Dumps are marked
 *          NLM_F_DUMP_INTR if the SAD changed meanwhile.
 *
 * NFSEC_CMD_SA_FLUSH (do, admin)
 *   Delete every SA and SPI reservation (of one protocol).
 *   request: optional NFSEC_A_SA: nest { PROTO }
 *
 * NFSEC_CMD_SPI_ALLOC (do, admin)
 *   Reserve a free inbound SPI for an SA under negotiation: unique among
 *   the SAs and reservations of PROTO, whatever their destination. The
 *   reservation lapses after NFSEC_SPI_RESERVE_SECS unless an SA_NEW takes
 *   it.
 *   request: NFSEC_A_SA: nest { PROTO, FAMILY, DST }, optional
 *            NFSEC_A_SPI_MIN (>= 256), NFSEC_A_SPI_MAX (default
 *            0x100..0xffffffff)
 *   reply:   NFSEC_A_SA: nest { SPI, PROTO, FAMILY, DST }
 *   errors:  ENOSPC: every SPI of the range is taken.
 *
 * NFSEC_CMD_EXPIRE (event on NFSEC_MCGRP_EVENTS)
 *   NFSEC_A_EXPIRE: nest nfsec_expire_attrs. Soft: rekey now (sent once);
 *   hard: the SA is gone. Reservations that lapse send none.
 *
 * NFSEC_CMD_MAPPING (event on NFSEC_MCGRP_EVENTS)
 *   NFSEC_A_MAPPING: nest nfsec_mapping_attrs. An inbound ESP-in-UDP SA
 *   took a packet that passed its ICV and replay checks from another outer
 *   source address or UDP port than its path has: the peer's NAT mapping
 *   changed (RFC 3948, RFC 7296 §2.23). At most one per SA and second.
 *   nfsec itself changes nothing: the IKE daemon decides, and moves the
 *   SAs with NFSEC_CMD_SA_UPDATE.
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
/* The longest algorithm name (the kernel's CRYPTO_MAX_ALG_NAME). */
#define NFSEC_ALG_NAME_MAX	64
/* The longest key, salt included, in bytes. */
#define NFSEC_KEY_MAX		128
/* Anti-replay windows, in packets: 0 (off) or MIN..MAX. */
#define NFSEC_REPLAY_WINDOW_MIN	32
#define NFSEC_REPLAY_WINDOW_MAX	4096
/* The window of an inbound SA whose request has no REPLAY_WINDOW. */
#define NFSEC_REPLAY_WINDOW_DEFAULT	64
/* How long an SPI reserved by NFSEC_CMD_SPI_ALLOC stays reserved. */
#define NFSEC_SPI_RESERVE_SECS	60

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
	NFSEC_CMD_SA_NEW,
	NFSEC_CMD_SA_UPDATE,
	NFSEC_CMD_SA_DEL,
	NFSEC_CMD_SA_GET,
	NFSEC_CMD_SA_FLUSH,
	NFSEC_CMD_SPI_ALLOC,
	NFSEC_CMD_EXPIRE,
	NFSEC_CMD_MAPPING,

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
	NFSEC_A_SA,		/* nest nfsec_sa_attrs */
	NFSEC_A_SA_PATH,	/* nest nfsec_sa_path_attrs */
	NFSEC_A_SHOW_KEYS,	/* flag */
	NFSEC_A_SPI_MIN,	/* u32 */
	NFSEC_A_SPI_MAX,	/* u32 */
	NFSEC_A_EXPIRE,		/* nest nfsec_expire_attrs */
	NFSEC_A_MAPPING,	/* nest nfsec_mapping_attrs */

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
	NFSEC_POLICY_A_FLAGS,		/* u32, enum nfsec_policy_flag */

	__NFSEC_POLICY_A_MAX
};
#define NFSEC_POLICY_A_MAX (__NFSEC_POLICY_A_MAX - 1)

enum nfsec_policy_flag {
	NFSEC_POLICY_F_OWNED	= 1U << 0,	/* deleted when the adding
						 * socket closes (see above) */

	__NFSEC_POLICY_F_ALL = NFSEC_POLICY_F_OWNED
};

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

/*
 * How a PROTECT policy protects: what the IKE daemon is asked to negotiate.
 * Tunnel mode takes both endpoints or neither (a road-warrior gateway learns
 * the peer's outer address from IKE). PFP flags need a PROTECT policy.
 */
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
	NFSEC_DROP_XFORM,		/* ESP/AH refused it: the SA's
					 * counters say why */
	NFSEC_DROP_TOO_BIG,		/* over the path MTU once
					 * encapsulated: ICMP sent */
	NFSEC_DROP_NO_ROUTE,		/* no route to the tunnel peer */
	NFSEC_DROP_BACKLOG,		/* decapsulated, but the receive
					 * backlog was full */

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

/* Outer DF bit in tunnel mode (RFC 4301 §8.1). */
enum nfsec_df {
	NFSEC_DF_COPY,		/* from the inner IPv4 header */
	NFSEC_DF_SET,
	NFSEC_DF_CLEAR,

	__NFSEC_DF_MAX
};
#define NFSEC_DF_MAX (__NFSEC_DF_MAX - 1)

enum nfsec_sa_flag {
	NFSEC_SA_F_ESN		= 1U << 0,	/* 64-bit sequence numbers */
	NFSEC_SA_F_DSCP_SET	= 1U << 1,	/* outer DSCP = DSCP, not copied */
	NFSEC_SA_F_NO_ECN	= 1U << 2,	/* do not propagate ECN */
	NFSEC_SA_F_OWNED	= 1U << 3,	/* deleted when the adding
						 * socket closes (see above) */

	__NFSEC_SA_F_ALL = NFSEC_SA_F_ESN | NFSEC_SA_F_DSCP_SET |
			   NFSEC_SA_F_NO_ECN | NFSEC_SA_F_OWNED
};

/*
 * A Security Association (RFC 4301 §4.4.2). DIR is NFSEC_DIR_IN or
 * NFSEC_DIR_OUT. SRC/DST are the outer addresses (tunnel mode) or the two
 * hosts (transport mode); an SA is identified by (SPI, PROTO, FAMILY, DST).
 * SEL restricts the inner traffic (checked after inbound processing); absent
 * is ANY. It takes addresses, PROTO and ports only, and in transport mode
 * only addresses of FAMILY. SPI is in host byte order here; 0 is refused.
 */
enum nfsec_sa_attrs {
	NFSEC_SA_A_UNSPEC,
	NFSEC_SA_A_PAD,
	NFSEC_SA_A_SPI,			/* u32 */
	NFSEC_SA_A_PROTO,		/* u8: IPPROTO_ESP or IPPROTO_AH */
	NFSEC_SA_A_MODE,		/* u8, enum nfsec_mode */
	NFSEC_SA_A_DIR,			/* u8, enum nfsec_dir (IN or OUT) */
	NFSEC_SA_A_FAMILY,		/* u16: outer family */
	NFSEC_SA_A_SRC,			/* binary address */
	NFSEC_SA_A_DST,			/* binary address */
	NFSEC_SA_A_REQID,		/* u32: the policies it serves */
	NFSEC_SA_A_SEL,			/* nest nfsec_sel_attrs */
	NFSEC_SA_A_AEAD,		/* nest nfsec_alg_attrs */
	NFSEC_SA_A_ENC,			/* nest nfsec_alg_attrs */
	NFSEC_SA_A_AUTH,		/* nest nfsec_alg_attrs */
	NFSEC_SA_A_REPLAY_WINDOW,	/* u32, packets, 0 = no anti-replay;
					 * inbound only, absent: the default */
	NFSEC_SA_A_FLAGS,		/* u32, enum nfsec_sa_flag */
	NFSEC_SA_A_DF,			/* u8, enum nfsec_df */
	NFSEC_SA_A_DSCP,		/* u8, 0..63, with NFSEC_SA_F_DSCP_SET */
	NFSEC_SA_A_ENCAP,		/* nest nfsec_encap_attrs: ESP in UDP */
	NFSEC_SA_A_LIFETIME_SOFT,	/* nest nfsec_lifetime_attrs */
	NFSEC_SA_A_LIFETIME_HARD,	/* nest nfsec_lifetime_attrs */
	NFSEC_SA_A_TFC_PAD,		/* u32: pad payloads to this length */
	NFSEC_SA_A_MTU,			/* u32: path MTU, 0 = from the route */
	NFSEC_SA_A_SEQ,			/* u64: outbound, last number used;
					 * inbound (SA_NEW), the window's top */
	NFSEC_SA_A_STATS,		/* nest nfsec_sa_stats_attrs; reply */
	NFSEC_SA_A_CURRENT,		/* nest nfsec_lifetime_attrs; reply:
					 * what was used so far */
	NFSEC_SA_A_PMTU,		/* u32; reply, outbound: the path MTU
					 * ICMP reported, while it holds */

	__NFSEC_SA_A_MAX
};
#define NFSEC_SA_A_MAX (__NFSEC_SA_A_MAX - 1)

/*
 * An algorithm: NAME as the kernel crypto API knows it (the names `ip xfrm`
 * uses). KEY includes the salt where the algorithm has one (RFC 4106: 4
 * bytes at the end). ICV_BITS: the AEAD tag or the truncated HMAC length.
 * What the module implements, with KEY lengths (salt included) and ICVs:
 *
 *   AEAD rfc4106(gcm(aes))              20, 28, 36    64, 96, 128 (default)
 *   AEAD rfc4543(gcm(aes)) (GMAC)       20, 28, 36    128
 *   AEAD rfc7539esp(chacha20,poly1305)  36            128
 *   ENC  cbc(aes)                       16, 24, 32    (no ICV_BITS)
 *   ENC  ecb(cipher_null)               0 (KEY may be absent)
 *   AUTH hmac(sha256)                   32            96..256, default 128
 *   AUTH hmac(sha384)                   48            96..384, default 192
 *   AUTH hmac(sha512)                   64            96..512, default 256
 *
 * HMAC truncations are whole 32-bit words; the defaults are RFC 4868's.
 */
enum nfsec_alg_attrs {
	NFSEC_ALG_A_UNSPEC,
	NFSEC_ALG_A_NAME,		/* string, < NFSEC_ALG_NAME_MAX */
	NFSEC_ALG_A_KEY,		/* binary, <= NFSEC_KEY_MAX */
	NFSEC_ALG_A_ICV_BITS,		/* u32 */

	__NFSEC_ALG_A_MAX
};
#define NFSEC_ALG_A_MAX (__NFSEC_ALG_A_MAX - 1)

/* ESP in UDP (RFC 3948): the UDP ports of the outer header. */
enum nfsec_encap_attrs {
	NFSEC_ENCAP_A_UNSPEC,
	NFSEC_ENCAP_A_SPORT,		/* u16 */
	NFSEC_ENCAP_A_DPORT,		/* u16 */

	__NFSEC_ENCAP_A_MAX
};
#define NFSEC_ENCAP_A_MAX (__NFSEC_ENCAP_A_MAX - 1)

/*
 * Lifetime limits (0 or absent: none; seconds at most 2^32 - 1; a soft limit
 * not above its hard one), or what was consumed (CURRENT).
 */
enum nfsec_lifetime_attrs {
	NFSEC_LIFETIME_A_UNSPEC,
	NFSEC_LIFETIME_A_PAD,
	NFSEC_LIFETIME_A_BYTES,		/* u64 */
	NFSEC_LIFETIME_A_PACKETS,	/* u64 */
	NFSEC_LIFETIME_A_ADD_SECONDS,	/* u64: seconds since the SA was added */
	NFSEC_LIFETIME_A_USE_SECONDS,	/* u64: seconds since its first use */

	__NFSEC_LIFETIME_A_MAX
};
#define NFSEC_LIFETIME_A_MAX (__NFSEC_LIFETIME_A_MAX - 1)

/* The new path of NFSEC_CMD_SA_UPDATE. */
enum nfsec_sa_path_attrs {
	NFSEC_SA_PATH_A_UNSPEC,
	NFSEC_SA_PATH_A_FAMILY,		/* u16 */
	NFSEC_SA_PATH_A_SRC,		/* binary address */
	NFSEC_SA_PATH_A_DST,		/* binary address */
	NFSEC_SA_PATH_A_ENCAP,		/* nest nfsec_encap_attrs; absent: none */

	__NFSEC_SA_PATH_A_MAX
};
#define NFSEC_SA_PATH_A_MAX (__NFSEC_SA_PATH_A_MAX - 1)

/* Why an SA dropped a packet. */
enum nfsec_sa_drop_reason {
	NFSEC_SA_DROP_REPLAY,		/* duplicate, or left of the window */
	NFSEC_SA_DROP_AUTH,		/* the ICV did not verify */
	NFSEC_SA_DROP_MALFORMED,	/* too short, bad length or header */
	NFSEC_SA_DROP_PADDING,		/* bad pad length or pad bytes */
	NFSEC_SA_DROP_PROTO,		/* next header unexpected for the mode */
	NFSEC_SA_DROP_SEQ_OVERFLOW,	/* outbound sequence numbers exhausted */
	NFSEC_SA_DROP_EXPIRED,		/* hard lifetime reached */
	NFSEC_SA_DROP_NOMEM,
	NFSEC_SA_DROP_TFC_DUMMY,	/* a dummy packet (next header 59) */
	NFSEC_SA_DROP_SELECTOR,		/* inner packet outside the SA's SEL */

	__NFSEC_SA_DROP_MAX
};

enum nfsec_sa_stats_attrs {
	NFSEC_SA_STATS_A_UNSPEC,
	NFSEC_SA_STATS_A_PAD,
	NFSEC_SA_STATS_A_PACKETS,	/* u64 */
	NFSEC_SA_STATS_A_BYTES,		/* u64 */
	NFSEC_SA_STATS_A_DROP,		/* nest nfsec_drop_stats_attrs,
					 * REASON: enum nfsec_sa_drop_reason */
	NFSEC_SA_STATS_A_REPLAY_TOP,	/* u64: highest sequence number seen */

	__NFSEC_SA_STATS_A_MAX
};
#define NFSEC_SA_STATS_A_MAX (__NFSEC_SA_STATS_A_MAX - 1)

enum nfsec_expire_reason {
	NFSEC_EXPIRE_BYTES,
	NFSEC_EXPIRE_PACKETS,
	NFSEC_EXPIRE_ADD_TIME,
	NFSEC_EXPIRE_USE_TIME,
	NFSEC_EXPIRE_SEQ_EXHAUSTED,	/* outbound sequence space used up */

	__NFSEC_EXPIRE_MAX
};

/* An expire event: which SA, soft or hard, and why. */
enum nfsec_expire_attrs {
	NFSEC_EXPIRE_A_UNSPEC,
	NFSEC_EXPIRE_A_SA,		/* nest { SPI, PROTO, FAMILY, SRC, DST,
					 * DIR, REQID } */
	NFSEC_EXPIRE_A_HARD,		/* u8: 0 soft, 1 hard */
	NFSEC_EXPIRE_A_REASON,		/* u8, enum nfsec_expire_reason */

	__NFSEC_EXPIRE_A_MAX
};
#define NFSEC_EXPIRE_A_MAX (__NFSEC_EXPIRE_A_MAX - 1)

/* A mapping event: which SA, and where its peer's packets come from now. */
enum nfsec_mapping_attrs {
	NFSEC_MAPPING_A_UNSPEC,
	NFSEC_MAPPING_A_SA,		/* nest { SPI, PROTO, FAMILY, SRC, DST,
					 * DIR, REQID }: the SA as it is */
	NFSEC_MAPPING_A_SRC,		/* binary: the new outer source */
	NFSEC_MAPPING_A_SPORT,		/* u16: the new UDP source port */

	__NFSEC_MAPPING_A_MAX
};
#define NFSEC_MAPPING_A_MAX (__NFSEC_MAPPING_A_MAX - 1)

#endif /* _UAPI_LINUX_NFSEC_H */
