/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Neutral SPD policy structures shared by ipsecctl and ikev2d: what a policy
 * is, independent of how it was written (command line, config file, IKE
 * traffic selectors) and of how it travels (nfsec netlink attributes).
 *
 * The text helpers parse and format addresses, address selectors (prefix,
 * range, "any"), protocols and port ranges. The netlink helpers encode a
 * policy into the nfsec attribute tree of <linux/nfsec.h> and decode it back.
 */
#ifndef NFSEC_POLICY_H
#define NFSEC_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/nfsec.h>

struct nl_msg;
struct nlattr;

/* An IPv4 or IPv6 address in network byte order; family AF_UNSPEC: none. */
struct nfsec_addr {
	uint16_t family;
	uint8_t bytes[16];
};

/*
 * An address selector. family AF_UNSPEC means ANY. A prefix has
 * is_range false and start/prefixlen set (end is computed); a range has
 * is_range true and start <= end.
 */
struct nfsec_addr_sel {
	uint16_t family;
	bool is_range;
	uint8_t prefixlen;
	uint8_t start[16];
	uint8_t end[16];
};

/* Traffic selectors of a policy (and of an ACQUIRE). Absent means ANY. */
struct nfsec_sel {
	struct nfsec_addr_sel src;
	struct nfsec_addr_sel dst;
	bool has_proto;
	uint8_t proto;
	bool has_sport;
	uint16_t sport_min, sport_max;
	bool has_dport;
	uint16_t dport_min, dport_max;
	bool has_icmp_type;
	uint8_t icmp_type;
	bool has_icmp_code;
	uint8_t icmp_code;
	bool opaque;			/* OPAQUE ports */
	char name[NFSEC_NAME_MAX + 1];	/* "" when absent */
	uint32_t pfp;			/* enum nfsec_pfp_flag */
};

/* Processing of a PROTECT policy. */
struct nfsec_ipsec {
	bool has_proto;
	uint8_t proto;			/* IPPROTO_ESP or IPPROTO_AH */
	bool has_mode;
	uint8_t mode;			/* enum nfsec_mode */
	struct nfsec_addr tunnel_src;	/* family AF_UNSPEC when absent */
	struct nfsec_addr tunnel_dst;
	bool has_reqid;
	uint32_t reqid;
	char proposal[NFSEC_PROPOSAL_MAX + 1];
};

struct nfsec_policy {
	uint32_t id;			/* 0: not assigned */
	bool has_dir;
	uint8_t dir;			/* enum nfsec_dir */
	bool has_priority;
	uint32_t priority;
	uint16_t family;		/* AF_UNSPEC: from the addresses */
	struct nfsec_sel sel;
	bool has_action;
	uint8_t action;			/* enum nfsec_action */
	bool has_ipsec;
	struct nfsec_ipsec ipsec;
	uint32_t flags;			/* enum nfsec_policy_flag */
	bool has_stats;			/* replies only */
	uint64_t packets, bytes;
};

/* An ACQUIRE event: a packet matched a PROTECT policy without an SA. */
struct nfsec_acquire {
	uint32_t policy_id;
	bool has_dir;
	uint8_t dir;
	uint16_t family;
	struct nfsec_sel sel;		/* PFP fields populated */
	bool has_ipsec;
	struct nfsec_ipsec ipsec;
	struct nfsec_addr packet_src;	/* the triggering packet */
	struct nfsec_addr packet_dst;
	bool has_packet_proto;
	uint8_t packet_proto;
	bool has_packet_sport, has_packet_dport;
	uint16_t packet_sport, packet_dport;
};

/* The kernel's default priority (see NFSEC_POLICY_A_PRIORITY). */
#define NFSEC_PRIORITY_DEFAULT 0x80000000U

/* Long enough for any selector text: two IPv6 addresses and a dash. */
#define NFSEC_ADDR_SEL_STRLEN 96

/* ---- names ---- */

const char *nfsec_dir_name(unsigned int dir);
int nfsec_dir_parse(const char *s);		/* -1 if unknown */
const char *nfsec_action_name(unsigned int action);
int nfsec_action_parse(const char *s);
const char *nfsec_mode_name(unsigned int mode);
int nfsec_mode_parse(const char *s);
const char *nfsec_table_name(unsigned int table);
const char *nfsec_drop_reason_name(unsigned int reason);
const char *nfsec_family_name(unsigned int family);	/* "inet", ... */
/* Name of an IP protocol number, or NULL when it has none. */
const char *nfsec_proto_name(unsigned int proto);
/* A protocol by name ("tcp", "ipv6-icmp", ...) or number; -1 if invalid. */
int nfsec_proto_parse(const char *s);
/* Does this protocol carry ports the SPD can match? */
bool nfsec_proto_has_ports(unsigned int proto);
bool nfsec_proto_is_icmp(unsigned int proto);
/* "src,dst,proto" -> flags; -1 and *bad = the first unknown word. */
int nfsec_pfp_parse(const char *s, uint32_t *flags, char *bad, size_t badlen);
/* flags -> "src,dst"; "" for none. */
void nfsec_pfp_format(uint32_t flags, char *buf, size_t len);

/* ---- addresses ---- */

static inline unsigned int nfsec_addr_len(unsigned int family)
{
	return family == 2 /* AF_INET */ ? 4 : family == 10 /* AF_INET6 */ ? 16 : 0;
}

/* Parse one address (IPv4 or IPv6); 0 or -1. */
int nfsec_addr_parse(const char *s, struct nfsec_addr *a);
void nfsec_addr_format(const struct nfsec_addr *a, char *buf, size_t len);
/*
 * Parse "any", "ADDR", "ADDR/LEN" or "ADDR-ADDR". Returns 0, or -1 with
 * *why set to a static explanation.
 */
int nfsec_addr_sel_parse(const char *s, struct nfsec_addr_sel *sel,
			 const char **why);
/* "any", "10.0.0.0/8", "192.0.2.1", "10.0.0.5-10.0.0.9". */
void nfsec_addr_sel_format(const struct nfsec_addr_sel *sel, char *buf,
			   size_t len);
/* Does addr (same family) fall inside sel? ANY matches everything. */
bool nfsec_addr_sel_contains(const struct nfsec_addr_sel *sel,
			     const struct nfsec_addr *addr);

/* Parse "N" or "N-M" (0..65535, N <= M); 0 or -1 with *why. */
int nfsec_port_range_parse(const char *s, uint16_t *min, uint16_t *max,
			   const char **why);
/* Parse an unsigned number in [0, max] (decimal or 0x hex); 0 or -1. */
int nfsec_parse_u32(const char *s, uint32_t max, uint32_t *out);

/*
 * Consistency checks the kernel also makes, done early so that a file is
 * rejected line by line before anything is sent. Returns 0, or -1 with *why
 * set to a static explanation.
 */
int nfsec_policy_check(const struct nfsec_policy *p, const char **why);

/* The address family a policy applies to: explicit, else its addresses. */
unsigned int nfsec_policy_family(const struct nfsec_policy *p);

/* ---- netlink (libnl) ---- */

/*
 * Put a policy as a nest of type attrtype (NFSEC_A_POLICY). The ID goes in
 * only when non-zero, statistics never. 0 or a negative libnl error.
 */
int nfsec_policy_put(struct nl_msg *msg, int attrtype,
		     const struct nfsec_policy *p);
int nfsec_sel_put(struct nl_msg *msg, int attrtype, const struct nfsec_sel *s);
/* Decode a nest of nfsec_policy_attrs; 0 or a negative errno. */
int nfsec_policy_parse_nl(const struct nlattr *nest, struct nfsec_policy *p);
int nfsec_sel_parse_nl(const struct nlattr *nest, struct nfsec_sel *s);
int nfsec_ipsec_parse_nl(const struct nlattr *nest, struct nfsec_ipsec *ip);
/* Decode a nest of nfsec_acquire_attrs; 0 or a negative errno. */
int nfsec_acquire_parse_nl(const struct nlattr *nest, struct nfsec_acquire *a);
/* Decode a binary address attribute (4 or 16 bytes); 0 or -EINVAL. */
int nfsec_addr_parse_nl(const struct nlattr *attr, struct nfsec_addr *a);

#endif /* NFSEC_POLICY_H */
