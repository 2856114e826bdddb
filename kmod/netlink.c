// SPDX-License-Identifier: GPL-2.0
/*
 * The nfsec generic-netlink family: the module's only control interface.
 * See uapi/linux/nfsec.h for the commands and their attribute trees.
 *
 * Requests are validated twice: structurally by the per-op policies below
 * (types, ranges, lengths, nesting; unknown attributes are rejected), then
 * semantically while being parsed into a struct nfsec_policy_spec, with an
 * extack message naming the offending attribute. Only a complete, valid
 * spec reaches the SPD.
 */
#include <linux/in.h>
#include <net/sock.h>
#include <net/genetlink.h>
#include <linux/nfsec.h>

#include "main.h"
#include "netlink.h"
#include "spd.h"
#include "acquire.h"
#include "sad.h"


/* --- policies ------------------------------------------------------------ */

int nfsec_nl_validate_addr(const struct nlattr *attr,
			   struct netlink_ext_ack *extack)
{
	if (nla_len(attr) != 4 && nla_len(attr) != 16) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "an address is 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	return 0;
}

static int nfsec_nl_validate_family(const struct nlattr *attr,
				    struct netlink_ext_ack *extack)
{
	u16 family = nla_get_u16(attr);

	if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "family must be AF_UNSPEC, AF_INET or AF_INET6");
		return -EAFNOSUPPORT;
	}
	return 0;
}

int nfsec_nl_validate_ipsec_proto(const struct nlattr *attr,
				  struct netlink_ext_ack *extack)
{
	u8 proto = nla_get_u8(attr);

	if (proto != IPPROTO_ESP && proto != IPPROTO_AH) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "IPsec protocol must be ESP (50) or AH (51)");
		return -EPROTONOSUPPORT;
	}
	return 0;
}

static const struct nla_policy nfsec_addr_nl_policy[NFSEC_ADDR_A_MAX + 1] = {
	[NFSEC_ADDR_A_START] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
						      nfsec_nl_validate_addr, 16),
	[NFSEC_ADDR_A_END] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
						    nfsec_nl_validate_addr, 16),
	[NFSEC_ADDR_A_PREFIXLEN] = NLA_POLICY_MAX(NLA_U8, 128),
};

const struct nla_policy nfsec_sel_nl_policy[NFSEC_SEL_A_MAX + 1] = {
	[NFSEC_SEL_A_SRC] = NLA_POLICY_NESTED(nfsec_addr_nl_policy),
	[NFSEC_SEL_A_DST] = NLA_POLICY_NESTED(nfsec_addr_nl_policy),
	[NFSEC_SEL_A_PROTO] = { .type = NLA_U8 },
	[NFSEC_SEL_A_SPORT_MIN] = { .type = NLA_U16 },
	[NFSEC_SEL_A_SPORT_MAX] = { .type = NLA_U16 },
	[NFSEC_SEL_A_DPORT_MIN] = { .type = NLA_U16 },
	[NFSEC_SEL_A_DPORT_MAX] = { .type = NLA_U16 },
	[NFSEC_SEL_A_ICMP_TYPE] = { .type = NLA_U8 },
	[NFSEC_SEL_A_ICMP_CODE] = { .type = NLA_U8 },
	[NFSEC_SEL_A_PORTS_OPAQUE] = { .type = NLA_FLAG },
	[NFSEC_SEL_A_NAME] = { .type = NLA_STRING, .len = NFSEC_NAME_MAX },
	[NFSEC_SEL_A_PFP] = NLA_POLICY_MASK(NLA_U32, __NFSEC_PFP_ALL),
};

static const struct nla_policy nfsec_ipsec_nl_policy[NFSEC_IPSEC_A_MAX + 1] = {
	/*
	 * No validate_fn on integers: it makes the policy dump (genl ctrl
	 * policy, open to every user) WARN in nla_get_range_unsigned(). The
	 * value set is checked while parsing, with its own message.
	 */
	[NFSEC_IPSEC_A_PROTO] = { .type = NLA_U8 },
	[NFSEC_IPSEC_A_MODE] = NLA_POLICY_MAX(NLA_U8, NFSEC_MODE_MAX),
	[NFSEC_IPSEC_A_TUNNEL_SRC] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
							    nfsec_nl_validate_addr, 16),
	[NFSEC_IPSEC_A_TUNNEL_DST] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
							    nfsec_nl_validate_addr, 16),
	[NFSEC_IPSEC_A_REQID] = { .type = NLA_U32 },
	[NFSEC_IPSEC_A_PROPOSAL] = { .type = NLA_STRING,
				     .len = NFSEC_PROPOSAL_MAX },
};

static const struct nla_policy nfsec_policy_nl_policy[NFSEC_POLICY_A_MAX + 1] = {
	[NFSEC_POLICY_A_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[NFSEC_POLICY_A_DIR] = NLA_POLICY_MAX(NLA_U8, NFSEC_DIR_MAX),
	[NFSEC_POLICY_A_PRIORITY] = { .type = NLA_U32 },
	[NFSEC_POLICY_A_FAMILY] = NLA_POLICY_MAX(NLA_U16, AF_INET6),
	[NFSEC_POLICY_A_SEL] = NLA_POLICY_NESTED(nfsec_sel_nl_policy),
	[NFSEC_POLICY_A_ACTION] = NLA_POLICY_MAX(NLA_U8, NFSEC_ACTION_MAX),
	[NFSEC_POLICY_A_IPSEC] = NLA_POLICY_NESTED(nfsec_ipsec_nl_policy),
	[NFSEC_POLICY_A_STATS] = { .type = NLA_REJECT },
	[NFSEC_POLICY_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, __NFSEC_POLICY_F_ALL),
};

static const struct nla_policy nfsec_lookup_nl_policy[NFSEC_LOOKUP_A_MAX + 1] = {
	[NFSEC_LOOKUP_A_DIR] = NLA_POLICY_MAX(NLA_U8, NFSEC_DIR_MAX),
	[NFSEC_LOOKUP_A_SRC] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
						      nfsec_nl_validate_addr, 16),
	[NFSEC_LOOKUP_A_DST] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
						      nfsec_nl_validate_addr, 16),
	[NFSEC_LOOKUP_A_PROTO] = { .type = NLA_U8 },
	[NFSEC_LOOKUP_A_SPORT] = { .type = NLA_U16 },
	[NFSEC_LOOKUP_A_DPORT] = { .type = NLA_U16 },
	[NFSEC_LOOKUP_A_RESULT] = { .type = NLA_REJECT },
	[NFSEC_LOOKUP_A_TABLE] = { .type = NLA_REJECT },
};

/* NEW, DEL, GET, FLUSH: one policy nest. */
static const struct nla_policy nfsec_policy_op_policy[NFSEC_A_MAX + 1] = {
	[NFSEC_A_POLICY] = NLA_POLICY_NESTED(nfsec_policy_nl_policy),
};

static const struct nla_policy nfsec_replace_op_policy[NFSEC_A_MAX + 1] = {
	[NFSEC_A_POLICY_LIST] = NLA_POLICY_NESTED_ARRAY(nfsec_policy_nl_policy),
	[NFSEC_A_CHECK_ONLY] = { .type = NLA_FLAG },
};

static const struct nla_policy nfsec_lookup_op_policy[NFSEC_A_MAX + 1] = {
	[NFSEC_A_LOOKUP] = NLA_POLICY_NESTED(nfsec_lookup_nl_policy),
};

/* --- parsing requests into specs ------------------------------------------ */

static bool nfsec_proto_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_SCTP || proto == IPPROTO_UDPLITE;
}

static void nfsec_addr_prefix_end(struct nfsec_addr_sel *a, unsigned int alen)
{
	unsigned int i, plen = a->plen;

	for (i = 0; i < alen / 4; i++) {
		u32 host = plen >= 32 ? 0 : (plen ? ~0U >> plen : ~0U);

		a->start.all[i] &= ~htonl(host);
		a->end.all[i] = a->start.all[i] | htonl(host);
		plen = plen >= 32 ? plen - 32 : 0;
	}
}

/* Parse an address selector; *alen is 0 (unknown yet), 4 or 16. */
static int nfsec_nl_parse_addr(const struct nlattr *nest,
			       struct nfsec_addr_sel *a, bool *prefix,
			       unsigned int *alen,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFSEC_ADDR_A_MAX + 1];
	unsigned int len;
	int err;

	err = nla_parse_nested(tb, NFSEC_ADDR_A_MAX, nest, nfsec_addr_nl_policy,
			       extack);
	if (err)
		return err;
	if (!tb[NFSEC_ADDR_A_START]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "address selector without START");
		return -EINVAL;
	}
	len = nla_len(tb[NFSEC_ADDR_A_START]);
	if (*alen && len != *alen) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_ADDR_A_START],
				    "address length does not match the family");
		return -EINVAL;
	}
	*alen = len;
	memset(a, 0, sizeof(*a));
	nla_memcpy(&a->start, tb[NFSEC_ADDR_A_START], len);
	if (tb[NFSEC_ADDR_A_END] && tb[NFSEC_ADDR_A_PREFIXLEN]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_ADDR_A_PREFIXLEN],
				    "an address is a prefix or a range, not both");
		return -EINVAL;
	}
	if (tb[NFSEC_ADDR_A_END]) {
		if (nla_len(tb[NFSEC_ADDR_A_END]) != len) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_ADDR_A_END],
					    "END and START differ in length");
			return -EINVAL;
		}
		nla_memcpy(&a->end, tb[NFSEC_ADDR_A_END], len);
		if (memcmp(&a->start, &a->end, len) > 0) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_ADDR_A_END],
					    "range START is above END");
			return -ERANGE;
		}
		*prefix = false;
		return 0;
	}
	a->plen = len * 8;
	if (tb[NFSEC_ADDR_A_PREFIXLEN]) {
		a->plen = nla_get_u8(tb[NFSEC_ADDR_A_PREFIXLEN]);
		if (a->plen > len * 8) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_ADDR_A_PREFIXLEN],
					    "prefix length too long for the family");
			return -ERANGE;
		}
	}
	/* Host bits are ignored, as ip-xfrm does: 10.0.0.1/24 is 10.0.0.0/24. */
	nfsec_addr_prefix_end(a, len);
	*prefix = true;
	return 0;
}

static int nfsec_nl_parse_port(struct nlattr **tb, int amin, int amax,
			       u16 *min, u16 *max,
			       struct netlink_ext_ack *extack)
{
	*min = tb[amin] ? nla_get_u16(tb[amin]) : 0;
	*max = tb[amax] ? nla_get_u16(tb[amax]) : (tb[amin] ? *min : U16_MAX);
	if (*min > *max) {
		NL_SET_ERR_MSG_ATTR(extack, tb[amax], "port range MIN is above MAX");
		return -ERANGE;
	}
	return 0;
}

int nfsec_nl_parse_sel(const struct nlattr *nest, struct nfsec_policy_spec *spec,
		       unsigned int *alen, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFSEC_SEL_A_MAX + 1];
	struct nfsec_sel *sel = &spec->sel;
	bool prefix;
	int err;

	err = nla_parse_nested(tb, NFSEC_SEL_A_MAX, nest, nfsec_sel_nl_policy,
			       extack);
	if (err)
		return err;
	if (tb[NFSEC_SEL_A_SRC]) {
		err = nfsec_nl_parse_addr(tb[NFSEC_SEL_A_SRC], &sel->src, &prefix,
					  alen, extack);
		if (err)
			return err;
		sel->flags |= NFSEC_SEL_F_SRC |
			      (prefix ? NFSEC_SEL_F_SRC_PREFIX : 0);
	}
	if (tb[NFSEC_SEL_A_DST]) {
		err = nfsec_nl_parse_addr(tb[NFSEC_SEL_A_DST], &sel->dst, &prefix,
					  alen, extack);
		if (err)
			return err;
		sel->flags |= NFSEC_SEL_F_DST |
			      (prefix ? NFSEC_SEL_F_DST_PREFIX : 0);
	}
	if (tb[NFSEC_SEL_A_PROTO]) {
		sel->proto = nla_get_u8(tb[NFSEC_SEL_A_PROTO]);
		sel->flags |= NFSEC_SEL_F_PROTO;
	}
	if (tb[NFSEC_SEL_A_SPORT_MIN] || tb[NFSEC_SEL_A_SPORT_MAX] ||
	    tb[NFSEC_SEL_A_DPORT_MIN] || tb[NFSEC_SEL_A_DPORT_MAX]) {
		struct nlattr *any = tb[NFSEC_SEL_A_SPORT_MIN] ?:
				     tb[NFSEC_SEL_A_SPORT_MAX] ?:
				     tb[NFSEC_SEL_A_DPORT_MIN] ?:
				     tb[NFSEC_SEL_A_DPORT_MAX];

		if (!(sel->flags & NFSEC_SEL_F_PROTO) ||
		    !nfsec_proto_has_ports(sel->proto)) {
			NL_SET_ERR_MSG_ATTR(extack, any,
					    "ports need PROTO tcp, udp, sctp or udplite");
			return -EINVAL;
		}
		if (tb[NFSEC_SEL_A_PORTS_OPAQUE]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_SEL_A_PORTS_OPAQUE],
					    "OPAQUE ports and port ranges exclude each other");
			return -EINVAL;
		}
	}
	if (tb[NFSEC_SEL_A_SPORT_MIN] || tb[NFSEC_SEL_A_SPORT_MAX]) {
		err = nfsec_nl_parse_port(tb, NFSEC_SEL_A_SPORT_MIN,
					  NFSEC_SEL_A_SPORT_MAX, &sel->sport_min,
					  &sel->sport_max, extack);
		if (err)
			return err;
		sel->flags |= NFSEC_SEL_F_SPORT;
	}
	if (tb[NFSEC_SEL_A_DPORT_MIN] || tb[NFSEC_SEL_A_DPORT_MAX]) {
		err = nfsec_nl_parse_port(tb, NFSEC_SEL_A_DPORT_MIN,
					  NFSEC_SEL_A_DPORT_MAX, &sel->dport_min,
					  &sel->dport_max, extack);
		if (err)
			return err;
		sel->flags |= NFSEC_SEL_F_DPORT;
	}
	if (tb[NFSEC_SEL_A_ICMP_TYPE] || tb[NFSEC_SEL_A_ICMP_CODE]) {
		struct nlattr *any = tb[NFSEC_SEL_A_ICMP_TYPE] ?:
				     tb[NFSEC_SEL_A_ICMP_CODE];

		if (!(sel->flags & NFSEC_SEL_F_PROTO) ||
		    (sel->proto != IPPROTO_ICMP && sel->proto != IPPROTO_ICMPV6)) {
			NL_SET_ERR_MSG_ATTR(extack, any,
					    "ICMP type/code need PROTO icmp or ipv6-icmp");
			return -EINVAL;
		}
		if (!tb[NFSEC_SEL_A_ICMP_TYPE]) {
			NL_SET_ERR_MSG_ATTR(extack, any, "ICMP code needs an ICMP type");
			return -EINVAL;
		}
		if (tb[NFSEC_SEL_A_PORTS_OPAQUE]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_SEL_A_PORTS_OPAQUE],
					    "OPAQUE and ICMP type/code exclude each other");
			return -EINVAL;
		}
		sel->icmp_type = nla_get_u8(tb[NFSEC_SEL_A_ICMP_TYPE]);
		sel->flags |= NFSEC_SEL_F_ICMP_TYPE;
		if (tb[NFSEC_SEL_A_ICMP_CODE]) {
			sel->icmp_code = nla_get_u8(tb[NFSEC_SEL_A_ICMP_CODE]);
			sel->flags |= NFSEC_SEL_F_ICMP_CODE;
		}
	}
	if (tb[NFSEC_SEL_A_PORTS_OPAQUE])
		sel->flags |= NFSEC_SEL_F_OPAQUE;
	if (tb[NFSEC_SEL_A_NAME]) {
		if (!nla_len(tb[NFSEC_SEL_A_NAME]) ||
		    !*(char *)nla_data(tb[NFSEC_SEL_A_NAME]) ||
		    strnlen(nla_data(tb[NFSEC_SEL_A_NAME]),
			    nla_len(tb[NFSEC_SEL_A_NAME])) ==
		    nla_len(tb[NFSEC_SEL_A_NAME])) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_SEL_A_NAME],
					    "NAME must be a non-empty NUL-terminated string");
			return -EINVAL;
		}
		spec->name = nla_data(tb[NFSEC_SEL_A_NAME]);
	}
	if (tb[NFSEC_SEL_A_PFP])
		sel->pfp = nla_get_u32(tb[NFSEC_SEL_A_PFP]);
	return 0;
}

static int nfsec_nl_parse_ipsec(const struct nlattr *nest,
				struct nfsec_policy_spec *spec,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFSEC_IPSEC_A_MAX + 1];
	struct nfsec_ipsec *ip = &spec->ipsec;
	struct nlattr *ts, *td;
	int err;

	ip->proto = IPPROTO_ESP;
	ip->mode = NFSEC_MODE_TRANSPORT;
	if (!nest)
		return 0;
	err = nla_parse_nested(tb, NFSEC_IPSEC_A_MAX, nest, nfsec_ipsec_nl_policy,
			       extack);
	if (err)
		return err;
	if (tb[NFSEC_IPSEC_A_PROTO]) {
		err = nfsec_nl_validate_ipsec_proto(tb[NFSEC_IPSEC_A_PROTO],
						    extack);
		if (err)
			return err;
		ip->proto = nla_get_u8(tb[NFSEC_IPSEC_A_PROTO]);
	}
	if (tb[NFSEC_IPSEC_A_MODE])
		ip->mode = nla_get_u8(tb[NFSEC_IPSEC_A_MODE]);
	if (tb[NFSEC_IPSEC_A_REQID])
		ip->reqid = nla_get_u32(tb[NFSEC_IPSEC_A_REQID]);
	if (tb[NFSEC_IPSEC_A_PROPOSAL]) {
		struct nlattr *p = tb[NFSEC_IPSEC_A_PROPOSAL];

		if (!nla_len(p) || !*(char *)nla_data(p) ||
		    strnlen(nla_data(p), nla_len(p)) == nla_len(p)) {
			NL_SET_ERR_MSG_ATTR(extack, p,
					    "PROPOSAL must be a non-empty NUL-terminated string");
			return -EINVAL;
		}
		spec->proposal = nla_data(p);
	}
	ts = tb[NFSEC_IPSEC_A_TUNNEL_SRC];
	td = tb[NFSEC_IPSEC_A_TUNNEL_DST];
	if (ip->mode == NFSEC_MODE_TRANSPORT) {
		if (ts || td) {
			NL_SET_ERR_MSG_ATTR(extack, ts ?: td,
					    "tunnel addresses need tunnel mode");
			return -EINVAL;
		}
		return 0;
	}
	/*
	 * Both endpoints, or neither: a road-warrior gateway (the design
	 * deck's Security Gateway) learns them from the IKE negotiation.
	 */
	if (!ts != !td) {
		NL_SET_ERR_MSG_ATTR(extack, ts ?: td,
				    "tunnel mode needs both TUNNEL_SRC and TUNNEL_DST, or neither");
		return -EINVAL;
	}
	if (!ts)
		return 0;
	if (nla_len(ts) != nla_len(td)) {
		NL_SET_ERR_MSG_ATTR(extack, td,
				    "tunnel addresses differ in family");
		return -EINVAL;
	}
	ip->tunnel_alen = nla_len(ts);
	nla_memcpy(&ip->tunnel_src, ts, ip->tunnel_alen);
	nla_memcpy(&ip->tunnel_dst, td, ip->tunnel_alen);
	return 0;
}

/*
 * A policy nest of a NEW or REPLACE request, into a spec. @owner: the
 * requesting socket's portid for NFSEC_POLICY_F_OWNED, 0 where owned
 * policies are refused (REPLACE).
 */
static int nfsec_nl_parse_policy(const struct nlattr *nest,
				 struct nfsec_policy_spec *spec, u32 owner,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFSEC_POLICY_A_MAX + 1];
	unsigned int alen = 0;
	int err;

	memset(spec, 0, sizeof(*spec));
	err = nla_parse_nested(tb, NFSEC_POLICY_A_MAX, nest,
			       nfsec_policy_nl_policy, extack);
	if (err)
		return err;
	if (tb[NFSEC_POLICY_A_ID]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_POLICY_A_ID],
				    "policy ids are assigned by the kernel");
		return -EINVAL;
	}
	if (!tb[NFSEC_POLICY_A_DIR]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "policy without DIR");
		return -EINVAL;
	}
	if (!tb[NFSEC_POLICY_A_ACTION]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "policy without ACTION");
		return -EINVAL;
	}
	if (tb[NFSEC_POLICY_A_FLAGS] &&
	    (nla_get_u32(tb[NFSEC_POLICY_A_FLAGS]) & NFSEC_POLICY_F_OWNED)) {
		if (!owner) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_POLICY_A_FLAGS],
					    "owned policies are added one by one, not replaced");
			return -EINVAL;
		}
		spec->owner = owner;
	}
	spec->dir = nla_get_u8(tb[NFSEC_POLICY_A_DIR]);
	spec->action = nla_get_u8(tb[NFSEC_POLICY_A_ACTION]);
	spec->priority = tb[NFSEC_POLICY_A_PRIORITY] ?
			 nla_get_u32(tb[NFSEC_POLICY_A_PRIORITY]) : 0x80000000;
	if (tb[NFSEC_POLICY_A_FAMILY]) {
		err = nfsec_nl_validate_family(tb[NFSEC_POLICY_A_FAMILY], extack);
		if (err)
			return err;
		spec->family = nla_get_u16(tb[NFSEC_POLICY_A_FAMILY]);
		if (spec->family != AF_UNSPEC)
			alen = nfsec_alen(spec->family);
	}
	if (tb[NFSEC_POLICY_A_SEL]) {
		err = nfsec_nl_parse_sel(tb[NFSEC_POLICY_A_SEL], spec, &alen,
					 extack);
		if (err)
			return err;
	}
	if (alen)
		spec->family = alen == 16 ? AF_INET6 : AF_INET;
	if ((spec->sel.flags & NFSEC_SEL_F_ICMP_TYPE) && spec->family &&
	    spec->sel.proto != (spec->family == AF_INET ? IPPROTO_ICMP :
						       IPPROTO_ICMPV6)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_POLICY_A_SEL],
				    "ICMP protocol does not match the family");
		return -EINVAL;
	}
	if (tb[NFSEC_POLICY_A_IPSEC] && spec->action != NFSEC_ACTION_PROTECT) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_POLICY_A_IPSEC],
				    "IPSEC parameters need ACTION protect");
		return -EINVAL;
	}
	if (spec->sel.pfp && spec->action != NFSEC_ACTION_PROTECT) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_POLICY_A_SEL],
				    "PFP flags need ACTION protect");
		return -EINVAL;
	}
	if (spec->action == NFSEC_ACTION_PROTECT)
		return nfsec_nl_parse_ipsec(tb[NFSEC_POLICY_A_IPSEC], spec, extack);
	return 0;
}

/* A nest that may only carry ID (DEL, GET) or only DIR (FLUSH, dump). */
static int nfsec_nl_parse_only(const struct nlattr *nest, int only, u32 *val,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFSEC_POLICY_A_MAX + 1];
	int err, i;

	err = nla_parse_nested(tb, NFSEC_POLICY_A_MAX, nest,
			       nfsec_policy_nl_policy, extack);
	if (err)
		return err;
	for (i = 1; i <= NFSEC_POLICY_A_MAX; i++) {
		if (tb[i] && i != only) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i],
					    "attribute not accepted by this command");
			return -EINVAL;
		}
	}
	if (!tb[only])
		return -ENOENT;
	*val = only == NFSEC_POLICY_A_ID ? nla_get_u32(tb[only]) :
					   nla_get_u8(tb[only]);
	return 0;
}

/* --- building messages ---------------------------------------------------- */

static int nfsec_nl_put_addr(struct sk_buff *skb, int type,
			     const struct nfsec_addr_sel *a, unsigned int alen,
			     bool prefix)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put(skb, NFSEC_ADDR_A_START, alen, &a->start) ||
	    nla_put(skb, NFSEC_ADDR_A_END, alen, &a->end) ||
	    (prefix && nla_put_u8(skb, NFSEC_ADDR_A_PREFIXLEN, a->plen))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

int nfsec_nl_put_sel(struct sk_buff *skb, int type, const struct nfsec_sel *sel,
		     u16 family, const char *name)
{
	unsigned int alen = nfsec_alen(family);
	struct nlattr *nest = nla_nest_start(skb, type);
	u16 f = sel->flags;

	if (!nest)
		return -EMSGSIZE;
	if (((f & NFSEC_SEL_F_SRC) &&
	     nfsec_nl_put_addr(skb, NFSEC_SEL_A_SRC, &sel->src, alen,
			       f & NFSEC_SEL_F_SRC_PREFIX)) ||
	    ((f & NFSEC_SEL_F_DST) &&
	     nfsec_nl_put_addr(skb, NFSEC_SEL_A_DST, &sel->dst, alen,
			       f & NFSEC_SEL_F_DST_PREFIX)) ||
	    ((f & NFSEC_SEL_F_PROTO) &&
	     nla_put_u8(skb, NFSEC_SEL_A_PROTO, sel->proto)) ||
	    ((f & NFSEC_SEL_F_SPORT) &&
	     (nla_put_u16(skb, NFSEC_SEL_A_SPORT_MIN, sel->sport_min) ||
	      nla_put_u16(skb, NFSEC_SEL_A_SPORT_MAX, sel->sport_max))) ||
	    ((f & NFSEC_SEL_F_DPORT) &&
	     (nla_put_u16(skb, NFSEC_SEL_A_DPORT_MIN, sel->dport_min) ||
	      nla_put_u16(skb, NFSEC_SEL_A_DPORT_MAX, sel->dport_max))) ||
	    ((f & NFSEC_SEL_F_ICMP_TYPE) &&
	     nla_put_u8(skb, NFSEC_SEL_A_ICMP_TYPE, sel->icmp_type)) ||
	    ((f & NFSEC_SEL_F_ICMP_CODE) &&
	     nla_put_u8(skb, NFSEC_SEL_A_ICMP_CODE, sel->icmp_code)) ||
	    ((f & NFSEC_SEL_F_OPAQUE) &&
	     nla_put_flag(skb, NFSEC_SEL_A_PORTS_OPAQUE)) ||
	    (name && nla_put_string(skb, NFSEC_SEL_A_NAME, name)) ||
	    (sel->pfp && nla_put_u32(skb, NFSEC_SEL_A_PFP, sel->pfp))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int nfsec_nl_put_ipsec(struct sk_buff *skb, int type,
			      const struct nfsec_policy *pol)
{
	const struct nfsec_ipsec *ip = &pol->ipsec;
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, NFSEC_IPSEC_A_PROTO, ip->proto) ||
	    nla_put_u8(skb, NFSEC_IPSEC_A_MODE, ip->mode) ||
	    nla_put_u32(skb, NFSEC_IPSEC_A_REQID, ip->reqid) ||
	    (ip->tunnel_alen &&
	     (nla_put(skb, NFSEC_IPSEC_A_TUNNEL_SRC, ip->tunnel_alen,
		      &ip->tunnel_src) ||
	      nla_put(skb, NFSEC_IPSEC_A_TUNNEL_DST, ip->tunnel_alen,
		      &ip->tunnel_dst))) ||
	    (pol->proposal &&
	     nla_put_string(skb, NFSEC_IPSEC_A_PROPOSAL, pol->proposal))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int nfsec_nl_put_policy(struct sk_buff *skb,
			       const struct nfsec_policy *pol)
{
	struct nlattr *nest = nla_nest_start(skb, NFSEC_A_POLICY);
	struct nfsec_policy_stats st;
	struct nlattr *snest;

	if (!nest)
		return -EMSGSIZE;
	nfsec_policy_stats_read(pol, &st);
	if (nla_put_u32(skb, NFSEC_POLICY_A_ID, pol->id) ||
	    nla_put_u8(skb, NFSEC_POLICY_A_DIR, pol->dir) ||
	    nla_put_u32(skb, NFSEC_POLICY_A_PRIORITY, pol->priority) ||
	    nla_put_u16(skb, NFSEC_POLICY_A_FAMILY, pol->family) ||
	    nfsec_nl_put_sel(skb, NFSEC_POLICY_A_SEL, &pol->sel, pol->family,
			     pol->name) ||
	    nla_put_u8(skb, NFSEC_POLICY_A_ACTION, pol->action) ||
	    (pol->owner &&
	     nla_put_u32(skb, NFSEC_POLICY_A_FLAGS, NFSEC_POLICY_F_OWNED)) ||
	    (pol->action == NFSEC_ACTION_PROTECT &&
	     nfsec_nl_put_ipsec(skb, NFSEC_POLICY_A_IPSEC, pol)))
		goto cancel;
	snest = nla_nest_start(skb, NFSEC_POLICY_A_STATS);
	if (!snest ||
	    nla_put_u64_64bit(skb, NFSEC_POLICY_STATS_A_PACKETS, st.packets,
			      NFSEC_POLICY_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NFSEC_POLICY_STATS_A_BYTES, st.bytes,
			      NFSEC_POLICY_STATS_A_PAD))
		goto cancel;
	nla_nest_end(skb, snest);
	nla_nest_end(skb, nest);
	return 0;

cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* --- commands ---------------------------------------------------------- */

static int nfsec_nl_policy_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nfsec_net *nn = nfsec_net(genl_info_net(info));
	struct nlattr *attr = info->attrs[NFSEC_A_POLICY];
	struct nfsec_policy_spec spec;
	struct sk_buff *reply;
	struct nlattr *nest;
	u32 id, gen;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, NFSEC_A_POLICY)) {
		NL_SET_ERR_MSG(info->extack, "missing NFSEC_A_POLICY");
		return -EINVAL;
	}
	err = nfsec_nl_parse_policy(attr, &spec, info->snd_portid,
				    info->extack);
	if (err)
		return err;
	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	err = nfsec_spd_add(nn, &spec, &id, &gen);
	if (err) {
		NL_SET_ERR_MSG(info->extack, "cannot insert the policy");
		goto free;
	}
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(reply, info, &nfsec_genl_family, 0,
				NFSEC_CMD_POLICY_NEW);
	if (!hdr)
		goto free;
	nest = nla_nest_start(reply, NFSEC_A_POLICY);
	if (!nest || nla_put_u32(reply, NFSEC_POLICY_A_ID, id))
		goto free;
	nla_nest_end(reply, nest);
	if (nla_put_u32(reply, NFSEC_A_GENERATION, gen))
		goto free;
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
free:
	nlmsg_free(reply);
	return err;
}

/* The policy id of a DEL or GET request: NFSEC_A_POLICY { ID } only. */
static int nfsec_nl_policy_id(struct genl_info *info, u32 *id)
{
	struct nlattr *attr = info->attrs[NFSEC_A_POLICY];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, NFSEC_A_POLICY)) {
		NL_SET_ERR_MSG(info->extack, "missing NFSEC_A_POLICY");
		return -EINVAL;
	}
	err = nfsec_nl_parse_only(attr, NFSEC_POLICY_A_ID, id, info->extack);
	if (err == -ENOENT) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "policy ID missing");
		return -EINVAL;
	}
	return err;
}

static int nfsec_nl_policy_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nfsec_net *nn = nfsec_net(genl_info_net(info));
	struct nlattr *attr = info->attrs[NFSEC_A_POLICY];
	u32 id;
	int err;

	err = nfsec_nl_policy_id(info, &id);
	if (err)
		return err;
	err = nfsec_spd_del(nn, id);
	if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no policy with this ID");
	return err;
}

static int nfsec_nl_policy_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nfsec_net *nn = nfsec_net(genl_info_net(info));
	struct nlattr *attr = info->attrs[NFSEC_A_POLICY];
	const struct nfsec_policy *pol;
	struct sk_buff *reply;
	void *hdr;
	u32 id;
	int err;

	err = nfsec_nl_policy_id(info, &id);
	if (err)
		return err;
	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	mutex_lock(&nn->lock);
	pol = xa_load(&rcu_dereference_protected(nn->spd,
						 lockdep_is_held(&nn->lock))->ids,
		      id);
	if (!pol) {
		mutex_unlock(&nn->lock);
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no policy with this ID");
		err = -ENOENT;
		goto free;
	}
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(reply, info, &nfsec_genl_family, 0,
				NFSEC_CMD_POLICY_GET);
	if (!hdr || nla_put_u32(reply, NFSEC_A_GENERATION, nn->gen) ||
	    nfsec_nl_put_policy(reply, pol)) {
		mutex_unlock(&nn->lock);
		goto free;
	}
	mutex_unlock(&nn->lock);
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
free:
	nlmsg_free(reply);
	return err;
}

/*
 * Dump state in cb->args: [0] direction being dumped, [1] id of the last
 * policy sent, [2] 1 + the direction filter (0: all directions).
 */
static int nfsec_nl_policy_dump_start(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nlattr *attr = info->attrs[NFSEC_A_POLICY];
	u32 dir;
	int err;

	cb->args[0] = 0;
	cb->args[1] = 0;
	cb->args[2] = 0;
	if (!attr)
		return 0;
	err = nfsec_nl_parse_only(attr, NFSEC_POLICY_A_DIR, &dir, cb->extack);
	if (err == -ENOENT)
		return 0;
	if (err)
		return err;
	cb->args[0] = dir;
	cb->args[2] = dir + 1;
	return 0;
}

static int nfsec_nl_policy_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nfsec_net *nn = nfsec_net(sock_net(skb->sk));
	struct nfsec_policy *pol, *last = NULL;
	struct nfsec_spd *spd;
	int dir = cb->args[0];
	void *hdr;

	mutex_lock(&nn->lock);
	spd = rcu_dereference_protected(nn->spd, lockdep_is_held(&nn->lock));
	cb->seq = nn->gen;
	if (cb->args[1]) {
		last = xa_load(&spd->ids, cb->args[1]);
		/* Gone since the last batch: the dump is inconsistent anyway. */
		if (last && last->dir != dir)
			last = NULL;
	}
	for (; dir < __NFSEC_DIR_MAX; dir++) {
		if (cb->args[2] && dir != cb->args[2] - 1)
			break;
		pol = last ? list_next_entry(last, dir_list) :
			     list_first_entry(&spd->dir_list[dir],
					      struct nfsec_policy, dir_list);
		last = NULL;
		list_for_each_entry_from(pol, &spd->dir_list[dir], dir_list) {
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, &nfsec_genl_family,
					  NLM_F_MULTI, NFSEC_CMD_POLICY_GET);
			if (!hdr)
				goto full;
			genl_dump_check_consistent(cb, hdr);
			if (nla_put_u32(skb, NFSEC_A_GENERATION, nn->gen) ||
			    nfsec_nl_put_policy(skb, pol)) {
				genlmsg_cancel(skb, hdr);
				goto full;
			}
			genlmsg_end(skb, hdr);
			cb->args[1] = pol->id;
		}
		cb->args[1] = 0;
	}
	cb->args[0] = dir;
	mutex_unlock(&nn->lock);
	return skb->len;
full:
	cb->args[0] = dir;
	mutex_unlock(&nn->lock);
	return skb->len;
}

static int nfsec_nl_policy_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct nfsec_net *nn = nfsec_net(genl_info_net(info));
	struct nlattr *attr = info->attrs[NFSEC_A_POLICY];
	u32 dir;
	int err;

	if (!attr) {
		nfsec_spd_flush(nn, -1);
		return 0;
	}
	err = nfsec_nl_parse_only(attr, NFSEC_POLICY_A_DIR, &dir, info->extack);
	if (err == -ENOENT) {
		nfsec_spd_flush(nn, -1);
		return 0;
	}
	if (err)
		return err;
	nfsec_spd_flush(nn, dir);
	return 0;
}

static int nfsec_nl_policy_replace(struct sk_buff *skb, struct genl_info *info)
{
	struct nfsec_net *nn = nfsec_net(genl_info_net(info));
	bool check_only = nla_get_flag(info->attrs[NFSEC_A_CHECK_ONLY]);
	struct nfsec_policy_spec spec;
	struct nfsec_spd_batch b;
	struct nlattr *list, *attr;
	unsigned int count = 0;
	struct sk_buff *reply;
	int rem, rem2, err;
	u32 gen;
	void *hdr;

	/*
	 * A nest holds at most 64 KiB, so a large batch comes as several
	 * POLICY_LIST attributes; together they are one atomic replace.
	 */
	nlmsg_for_each_attr(list, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(list) != NFSEC_A_POLICY_LIST)
			continue;
		nla_for_each_nested(attr, list, rem2) {
			if (nla_type(attr) != NFSEC_A_POLICY) {
				NL_SET_ERR_MSG_ATTR(info->extack, attr,
						    "POLICY_LIST holds only POLICY nests");
				return -EINVAL;
			}
			if (++count > NFSEC_REPLACE_MAX) {
				NL_SET_ERR_MSG_ATTR(info->extack, list,
						    "batch larger than NFSEC_REPLACE_MAX policies");
				return -E2BIG;
			}
		}
	}
	/* Parse everything before building anything. */
	nlmsg_for_each_attr(list, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(list) != NFSEC_A_POLICY_LIST)
			continue;
		nla_for_each_nested(attr, list, rem2) {
			err = nfsec_nl_parse_policy(attr, &spec, 0, info->extack);
			if (err)
				return err;
		}
	}
	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	if (check_only) {
		gen = READ_ONCE(nn->gen);
		goto reply;
	}
	err = nfsec_spd_batch_begin(nn, &b);
	if (err)
		goto free;
	nlmsg_for_each_attr(list, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(list) != NFSEC_A_POLICY_LIST)
			continue;
		nla_for_each_nested(attr, list, rem2) {
			err = nfsec_nl_parse_policy(attr, &spec, 0, info->extack);
			if (!err)
				err = nfsec_spd_batch_add(&b, &spec);
			if (err) {
				NL_SET_ERR_MSG_ATTR(info->extack, attr,
						    "cannot insert this policy");
				nfsec_spd_batch_abort(&b);
				goto free;
			}
			cond_resched();
		}
	}
	nfsec_spd_batch_commit(nn, &b, &gen);
reply:
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(reply, info, &nfsec_genl_family, 0,
				NFSEC_CMD_POLICY_REPLACE);
	if (!hdr || nla_put_u32(reply, NFSEC_A_GENERATION, gen) ||
	    nla_put_u32(reply, NFSEC_A_POLICY_COUNT, count))
		goto free;
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
free:
	nlmsg_free(reply);
	return err;
}

static int nfsec_nl_lookup(struct sk_buff *skb, struct genl_info *info)
{
	struct nfsec_net *nn = nfsec_net(genl_info_net(info));
	struct nlattr *tb[NFSEC_LOOKUP_A_MAX + 1];
	const struct nfsec_policy *pol;
	struct nfsec_tuple t = {};
	struct sk_buff *reply;
	struct nlattr *nest;
	unsigned int alen;
	void *hdr;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, NFSEC_A_LOOKUP)) {
		NL_SET_ERR_MSG(info->extack, "missing NFSEC_A_LOOKUP");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, NFSEC_LOOKUP_A_MAX, info->attrs[NFSEC_A_LOOKUP],
			       nfsec_lookup_nl_policy, info->extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(info->extack, info->attrs[NFSEC_A_LOOKUP], tb,
			      NFSEC_LOOKUP_A_DIR) ||
	    NL_REQ_ATTR_CHECK(info->extack, info->attrs[NFSEC_A_LOOKUP], tb,
			      NFSEC_LOOKUP_A_SRC) ||
	    NL_REQ_ATTR_CHECK(info->extack, info->attrs[NFSEC_A_LOOKUP], tb,
			      NFSEC_LOOKUP_A_DST)) {
		NL_SET_ERR_MSG(info->extack, "LOOKUP needs DIR, SRC and DST");
		return -EINVAL;
	}
	alen = nla_len(tb[NFSEC_LOOKUP_A_SRC]);
	if (nla_len(tb[NFSEC_LOOKUP_A_DST]) != alen) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[NFSEC_LOOKUP_A_DST],
				    "SRC and DST differ in family");
		return -EINVAL;
	}
	t.family = alen == 16 ? AF_INET6 : AF_INET;
	t.dir = nla_get_u8(tb[NFSEC_LOOKUP_A_DIR]);
	nla_memcpy(&t.src, tb[NFSEC_LOOKUP_A_SRC], alen);
	nla_memcpy(&t.dst, tb[NFSEC_LOOKUP_A_DST], alen);
	if (tb[NFSEC_LOOKUP_A_PROTO])
		t.proto = nla_get_u8(tb[NFSEC_LOOKUP_A_PROTO]);
	if (tb[NFSEC_LOOKUP_A_SPORT])
		t.sport = nla_get_u16(tb[NFSEC_LOOKUP_A_SPORT]);
	if (tb[NFSEC_LOOKUP_A_DPORT])
		t.dport = nla_get_u16(tb[NFSEC_LOOKUP_A_DPORT]);

	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(reply, info, &nfsec_genl_family, 0,
				NFSEC_CMD_POLICY_LOOKUP);
	if (!hdr)
		goto free;
	rcu_read_lock();
	pol = nfsec_spd_lookup(rcu_dereference(nn->spd), &t);
	nest = nla_nest_start(reply, NFSEC_A_LOOKUP);
	if (!nest ||
	    nla_put_u8(reply, NFSEC_LOOKUP_A_RESULT,
		       pol ? pol->action : NFSEC_ACTION_BYPASS) ||
	    nla_put_u8(reply, NFSEC_LOOKUP_A_TABLE, nfsec_spd_table(pol))) {
		rcu_read_unlock();
		goto free;
	}
	nla_nest_end(reply, nest);
	if (pol && nfsec_nl_put_policy(reply, pol)) {
		rcu_read_unlock();
		goto free;
	}
	rcu_read_unlock();
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
free:
	nlmsg_free(reply);
	return err;
}

static int nfsec_put_dir_stats(struct sk_buff *skb,
			       const struct nfsec_stats_total *t,
			       enum nfsec_dir dir)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, NFSEC_STATS_A_DIR);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, NFSEC_DIR_STATS_A_DIR, dir) ||
	    nla_put_u64_64bit(skb, NFSEC_DIR_STATS_A_BYPASS,
			      t->verdict[dir][NFSEC_ACTION_BYPASS],
			      NFSEC_DIR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NFSEC_DIR_STATS_A_DISCARD,
			      t->verdict[dir][NFSEC_ACTION_DISCARD],
			      NFSEC_DIR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NFSEC_DIR_STATS_A_PROTECT,
			      t->verdict[dir][NFSEC_ACTION_PROTECT],
			      NFSEC_DIR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NFSEC_DIR_STATS_A_NOMATCH, t->nomatch[dir],
			      NFSEC_DIR_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int nfsec_put_drop_stats(struct sk_buff *skb,
				const struct nfsec_stats_total *t,
				enum nfsec_drop_reason reason)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, NFSEC_STATS_A_DROP);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, NFSEC_DROP_STATS_A_REASON, reason) ||
	    nla_put_u64_64bit(skb, NFSEC_DROP_STATS_A_PACKETS, t->drop[reason],
			      NFSEC_DROP_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int nfsec_put_cpu_stats(struct sk_buff *skb, struct nfsec_net *nn,
			       int cpu)
{
	struct nfsec_stats_total snap;
	struct nlattr *nest;

	nfsec_stats_cpu(nn->stats, cpu, &snap);
	nest = nla_nest_start(skb, NFSEC_STATS_A_CPU);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, NFSEC_CPU_STATS_A_CPU, cpu) ||
	    nla_put_u64_64bit(skb, NFSEC_CPU_STATS_A_CACHE_HITS, snap.cache_hit,
			      NFSEC_CPU_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NFSEC_CPU_STATS_A_CACHE_MISSES,
			      snap.cache_miss, NFSEC_CPU_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int nfsec_put_stats(struct sk_buff *skb, struct nfsec_net *nn)
{
	struct nfsec_stats_total total;
	u64 sent, suppressed;
	struct nlattr *nest;
	u32 larval, count;
	int i, err;

	nfsec_stats_fold(nn->stats, &total);
	nfsec_acquire_counters(nn, &sent, &suppressed, &larval);
	mutex_lock(&nn->lock);
	count = rcu_dereference_protected(nn->spd,
					  lockdep_is_held(&nn->lock))->count;
	mutex_unlock(&nn->lock);
	nest = nla_nest_start(skb, NFSEC_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < __NFSEC_DIR_MAX; i++) {
		err = nfsec_put_dir_stats(skb, &total, i);
		if (err)
			goto cancel;
	}
	for (i = 0; i < __NFSEC_DROP_MAX; i++) {
		err = nfsec_put_drop_stats(skb, &total, i);
		if (err)
			goto cancel;
	}
	for_each_possible_cpu(i) {
		err = nfsec_put_cpu_stats(skb, nn, i);
		if (err)
			goto cancel;
	}
	err = -EMSGSIZE;
	if (nla_put_u32(skb, NFSEC_STATS_A_POLICIES, count) ||
	    nla_put_u32(skb, NFSEC_STATS_A_GENERATION, READ_ONCE(nn->gen)) ||
	    nla_put_u64_64bit(skb, NFSEC_STATS_A_ACQUIRES, sent,
			      NFSEC_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NFSEC_STATS_A_ACQUIRES_SUPPRESSED, suppressed,
			      NFSEC_STATS_A_PAD) ||
	    nla_put_u32(skb, NFSEC_STATS_A_LARVAL, larval))
		goto cancel;
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return err;
}

static int nfsec_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nfsec_net *nn = nfsec_net(genl_info_net(info));
	struct sk_buff *reply;
	void *hdr;
	int err;

	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &nfsec_genl_family, 0,
				NFSEC_CMD_STATS_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto free;
	}
	err = nfsec_put_stats(reply, nn);
	if (err)
		goto free;
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
free:
	nlmsg_free(reply);
	return err;
}

/* --- events ------------------------------------------------------------- */

/*
 * An event for the events group of @nn's namespace: @cmd with the nest
 * @attr opened in *@nest, or NULL when no one listens or there is no
 * memory (events are best effort). nfsec_genl_event_send() finishes it.
 */
struct sk_buff *nfsec_genl_event_new(struct nfsec_net *nn, u8 cmd, int attr,
				     gfp_t gfp, struct nlattr **nest)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&nfsec_genl_family, nn->net, 0))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, gfp);
	if (!skb)
		return NULL;
	if (!genlmsg_put(skb, 0, 0, &nfsec_genl_family, 0, cmd))
		goto free;
	*nest = nla_nest_start(skb, attr);
	if (!*nest)
		goto free;
	return skb;
free:
	nlmsg_free(skb);
	return NULL;
}

void nfsec_genl_event_send(struct nfsec_net *nn, struct sk_buff *skb,
			   struct nlattr *nest, gfp_t gfp)
{
	nla_nest_end(skb, nest);
	nlmsg_end(skb, nlmsg_hdr(skb));
	genlmsg_multicast_netns(&nfsec_genl_family, nn->net, skb, 0, 0, gfp);
}

/* ACQUIRE on the events group; packet path, so atomic and best effort. */
void nfsec_genl_acquire_notify(struct nfsec_net *nn,
			       const struct nfsec_policy *pol,
			       const struct nfsec_tuple *t,
			       const struct nfsec_sel *sel)
{
	unsigned int alen = nfsec_alen(t->family);
	struct sk_buff *skb;
	struct nlattr *nest;

	skb = nfsec_genl_event_new(nn, NFSEC_CMD_ACQUIRE, NFSEC_A_ACQUIRE,
				   GFP_ATOMIC, &nest);
	if (!skb)
		return;
	if (nla_put_u32(skb, NFSEC_ACQUIRE_A_POLICY_ID, pol->id) ||
	    nla_put_u8(skb, NFSEC_ACQUIRE_A_DIR, t->dir) ||
	    nla_put_u16(skb, NFSEC_ACQUIRE_A_FAMILY, t->family) ||
	    nfsec_nl_put_sel(skb, NFSEC_ACQUIRE_A_SEL, sel, t->family,
			     pol->name) ||
	    nfsec_nl_put_ipsec(skb, NFSEC_ACQUIRE_A_IPSEC, pol) ||
	    nla_put(skb, NFSEC_ACQUIRE_A_PACKET_SRC, alen, &t->src) ||
	    nla_put(skb, NFSEC_ACQUIRE_A_PACKET_DST, alen, &t->dst) ||
	    nla_put_u8(skb, NFSEC_ACQUIRE_A_PACKET_PROTO, t->proto) ||
	    nla_put_u16(skb, NFSEC_ACQUIRE_A_PACKET_SPORT, t->sport) ||
	    nla_put_u16(skb, NFSEC_ACQUIRE_A_PACKET_DPORT, t->dport)) {
		nlmsg_free(skb);
		return;
	}
	nfsec_genl_event_send(nn, skb, nest, GFP_ATOMIC);
}

static const struct genl_ops nfsec_genl_ops[] = {
	{
		.cmd = NFSEC_CMD_POLICY_NEW,
		.flags = GENL_ADMIN_PERM,
		.doit = nfsec_nl_policy_new,
		.policy = nfsec_policy_op_policy,
		.maxattr = NFSEC_A_MAX,
	},
	{
		.cmd = NFSEC_CMD_POLICY_DEL,
		.flags = GENL_ADMIN_PERM,
		.doit = nfsec_nl_policy_del,
		.policy = nfsec_policy_op_policy,
		.maxattr = NFSEC_A_MAX,
	},
	{
		.cmd = NFSEC_CMD_POLICY_GET,
		.doit = nfsec_nl_policy_get,
		.start = nfsec_nl_policy_dump_start,
		.dumpit = nfsec_nl_policy_dump,
		.policy = nfsec_policy_op_policy,
		.maxattr = NFSEC_A_MAX,
	},
	{
		.cmd = NFSEC_CMD_POLICY_FLUSH,
		.flags = GENL_ADMIN_PERM,
		.doit = nfsec_nl_policy_flush,
		.policy = nfsec_policy_op_policy,
		.maxattr = NFSEC_A_MAX,
	},
	{
		.cmd = NFSEC_CMD_POLICY_REPLACE,
		.flags = GENL_ADMIN_PERM,
		.doit = nfsec_nl_policy_replace,
		.policy = nfsec_replace_op_policy,
		.maxattr = NFSEC_A_MAX,
	},
	{
		.cmd = NFSEC_CMD_POLICY_LOOKUP,
		.doit = nfsec_nl_lookup,
		.policy = nfsec_lookup_op_policy,
		.maxattr = NFSEC_A_MAX,
	},
	{
		/* No attributes: the family has no default policy. */
		.cmd = NFSEC_CMD_STATS_GET,
		.doit = nfsec_nl_stats_get,
	},
	/* The SA commands, in netlink_sa.c. */
	{
		.cmd = NFSEC_CMD_SA_NEW,
		.flags = GENL_ADMIN_PERM,
		.doit = nfsec_nl_sa_new,
		.policy = nfsec_sa_op_policy,
		.maxattr = NFSEC_A_MAX,
	},
	{
		.cmd = NFSEC_CMD_SA_UPDATE,
		.flags = GENL_ADMIN_PERM,
		.doit = nfsec_nl_sa_update,
		.policy = nfsec_sa_update_op_policy,
		.maxattr = NFSEC_A_MAX,
	},
	{
		.cmd = NFSEC_CMD_SA_DEL,
		.flags = GENL_ADMIN_PERM,
		.doit = nfsec_nl_sa_del,
		.policy = nfsec_sa_op_policy,
		.maxattr = NFSEC_A_MAX,
	},
	{
		/* Open to all, but keys only for CAP_NET_ADMIN (SHOW_KEYS). */
		.cmd = NFSEC_CMD_SA_GET,
		.doit = nfsec_nl_sa_get,
		.dumpit = nfsec_nl_sa_dump,
		.policy = nfsec_sa_get_op_policy,
		.maxattr = NFSEC_A_MAX,
	},
	{
		.cmd = NFSEC_CMD_SA_FLUSH,
		.flags = GENL_ADMIN_PERM,
		.doit = nfsec_nl_sa_flush,
		.policy = nfsec_sa_op_policy,
		.maxattr = NFSEC_A_MAX,
	},
	{
		.cmd = NFSEC_CMD_SPI_ALLOC,
		.flags = GENL_ADMIN_PERM,
		.doit = nfsec_nl_spi_alloc,
		.policy = nfsec_spi_op_policy,
		.maxattr = NFSEC_A_MAX,
	},
};

/*
 * Events say who talks to whom (an ACQUIRE carries the packet's addresses
 * and ports): listening takes CAP_NET_ADMIN, as XFRM's groups do. Older
 * kernels have no such flag and let anyone listen.
 */
#ifdef GENL_MCAST_CAP_NET_ADMIN
#define NFSEC_MCGRP_FLAGS	GENL_MCAST_CAP_NET_ADMIN
#else
#define NFSEC_MCGRP_FLAGS	0
#endif

static const struct genl_multicast_group nfsec_genl_mcgrps[] = {
	{ .name = NFSEC_MCGRP_EVENTS, .flags = NFSEC_MCGRP_FLAGS },
};

struct genl_family nfsec_genl_family __ro_after_init = {
	.name = NFSEC_GENL_NAME,
	.version = NFSEC_GENL_VERSION,
	.maxattr = NFSEC_A_MAX,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = nfsec_genl_ops,
	.n_ops = ARRAY_SIZE(nfsec_genl_ops),
	.resv_start_op = NFSEC_CMD_UNSPEC + 1,
	.mcgrps = nfsec_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nfsec_genl_mcgrps),
};

/*
 * A generic-netlink socket closed: delete what it owned (NFSEC_POLICY_F_OWNED,
 * NFSEC_SA_F_OWNED). Called in process context from netlink_release(). A
 * user socket holds a reference on its namespace; the genl kernel socket
 * has portid 0 and owns nothing.
 */
static int nfsec_nl_release(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct netlink_notify *n = ptr;
	struct nfsec_net *nn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	/*
	 * A kernel-created socket holds no reference: in a dying namespace
	 * our state may be gone already, and goes with the namespace anyway.
	 */
	if (!check_net(n->net))
		return NOTIFY_DONE;
	nn = nfsec_net(n->net);
	nfsec_sad_flush(nn->sad, 0, n->portid);
	nfsec_spd_flush_owner(nn, n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block nfsec_nl_release_nb = {
	.notifier_call = nfsec_nl_release,
};

int __init nfsec_genl_init(void)
{
	int err;

	err = netlink_register_notifier(&nfsec_nl_release_nb);
	if (err)
		return err;
	err = genl_register_family(&nfsec_genl_family);
	if (err)
		netlink_unregister_notifier(&nfsec_nl_release_nb);
	return err;
}

/* Waits for a release notification that is running. */
void nfsec_genl_uninit(void)
{
	genl_unregister_family(&nfsec_genl_family);
	netlink_unregister_notifier(&nfsec_nl_release_nb);
}
