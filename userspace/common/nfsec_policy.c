// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Neutral SPD policy structures: names, text helpers, consistency checks and
 * the encoding to and from nfsec's netlink attributes.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "nfsec_nl.h"
#include "nfsec_policy.h"

#ifndef IPPROTO_MH
#define IPPROTO_MH 135
#endif

static const char *const dir_names[] = {
	[NFSEC_DIR_OUT] = "out",
	[NFSEC_DIR_IN] = "in",
	[NFSEC_DIR_FWD] = "fwd",
};

static const char *const action_names[] = {
	[NFSEC_ACTION_BYPASS] = "bypass",
	[NFSEC_ACTION_DISCARD] = "discard",
	[NFSEC_ACTION_PROTECT] = "protect",
};

static const char *const mode_names[] = {
	[NFSEC_MODE_TRANSPORT] = "transport",
	[NFSEC_MODE_TUNNEL] = "tunnel",
};

static const char *const table_names[] = {
	[NFSEC_SPD_NONE] = "none",
	[NFSEC_SPD_S] = "SPD-S",
	[NFSEC_SPD_I] = "SPD-I",
	[NFSEC_SPD_O] = "SPD-O",
};

static const char *const drop_names[] = {
	[NFSEC_DROP_DISCARD] = "discard",
	[NFSEC_DROP_UNPROTECTED] = "unprotected",
	[NFSEC_DROP_NO_SA] = "no-sa",
	[NFSEC_DROP_ACQUIRE_TIMEOUT] = "acquire-timeout",
	[NFSEC_DROP_MALFORMED] = "malformed",
	[NFSEC_DROP_NOMEM] = "nomem",
	[NFSEC_DROP_XFORM] = "xform",
	[NFSEC_DROP_TOO_BIG] = "too-big",
	[NFSEC_DROP_NO_ROUTE] = "no-route",
	[NFSEC_DROP_BACKLOG] = "backlog",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, size_t n, unsigned int v)
{
	return v < n && names[v] ? names[v] : NULL;
}

static int index_of(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	return -1;
}

const char *nfsec_dir_name(unsigned int dir)
{
	return name_of(dir_names, ARRAY_SIZE(dir_names), dir) ?: "?";
}

int nfsec_dir_parse(const char *s)
{
	return index_of(dir_names, ARRAY_SIZE(dir_names), s);
}

const char *nfsec_action_name(unsigned int action)
{
	return name_of(action_names, ARRAY_SIZE(action_names), action) ?: "?";
}

int nfsec_action_parse(const char *s)
{
	return index_of(action_names, ARRAY_SIZE(action_names), s);
}

const char *nfsec_mode_name(unsigned int mode)
{
	return name_of(mode_names, ARRAY_SIZE(mode_names), mode) ?: "?";
}

int nfsec_mode_parse(const char *s)
{
	return index_of(mode_names, ARRAY_SIZE(mode_names), s);
}

const char *nfsec_table_name(unsigned int table)
{
	return name_of(table_names, ARRAY_SIZE(table_names), table) ?: "?";
}

const char *nfsec_drop_reason_name(unsigned int reason)
{
	return name_of(drop_names, ARRAY_SIZE(drop_names), reason) ?: "?";
}

const char *nfsec_family_name(unsigned int family)
{
	switch (family) {
	case AF_INET:
		return "inet";
	case AF_INET6:
		return "inet6";
	case AF_UNSPEC:
		return "any";
	}
	return "?";
}

static const struct {
	const char *name;
	uint8_t proto;
} protos[] = {
	{ "icmp", IPPROTO_ICMP },
	{ "igmp", IPPROTO_IGMP },
	{ "ipip", IPPROTO_IPIP },
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "ipv6", IPPROTO_IPV6 },
	{ "gre", IPPROTO_GRE },
	{ "esp", IPPROTO_ESP },
	{ "ah", IPPROTO_AH },
	{ "ipv6-icmp", IPPROTO_ICMPV6 },
	{ "sctp", IPPROTO_SCTP },
	{ "mh", IPPROTO_MH },
	{ "udplite", IPPROTO_UDPLITE },
};

const char *nfsec_proto_name(unsigned int proto)
{
	for (size_t i = 0; i < ARRAY_SIZE(protos); i++)
		if (protos[i].proto == proto)
			return protos[i].name;
	return NULL;
}

int nfsec_proto_parse(const char *s)
{
	uint32_t v;

	for (size_t i = 0; i < ARRAY_SIZE(protos); i++)
		if (!strcmp(protos[i].name, s))
			return protos[i].proto;
	/* The spelling of /etc/protocols and of ip-xfrm(8). */
	if (!strcmp(s, "icmpv6") || !strcmp(s, "icmp6"))
		return IPPROTO_ICMPV6;
	if (nfsec_parse_u32(s, 255, &v))
		return -1;
	return (int)v;
}

bool nfsec_proto_has_ports(unsigned int proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_SCTP || proto == IPPROTO_UDPLITE;
}

bool nfsec_proto_is_icmp(unsigned int proto)
{
	return proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6;
}

static const char *const pfp_names[] = {
	"src", "dst", "proto", "sport", "dport",
};

int nfsec_pfp_parse(const char *s, uint32_t *flags, char *bad, size_t badlen)
{
	const char *p = s;

	*flags = 0;
	for (;;) {
		size_t n = strcspn(p, ",");
		size_t i;

		for (i = 0; i < ARRAY_SIZE(pfp_names); i++)
			if (strlen(pfp_names[i]) == n &&
			    !strncmp(pfp_names[i], p, n))
				break;
		if (i == ARRAY_SIZE(pfp_names)) {
			snprintf(bad, badlen, "%.*s", (int)n, p);
			return -1;
		}
		*flags |= 1U << i;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

void nfsec_pfp_format(uint32_t flags, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(pfp_names); i++) {
		if (!(flags & (1U << i)))
			continue;
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s",
				off ? "," : "", pfp_names[i]);
	}
}

int nfsec_parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	const char *digits = s;
	unsigned long long v;
	int base = 10;
	char *end;

	/* Decimal, or hex with 0x; a leading 0 is not octal ("010" is 10). */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		digits = s + 2;
		base = 16;
	}
	/* strtoull() would accept blanks and signs first. */
	if (!isxdigit((unsigned char)*digits))
		return -1;
	errno = 0;
	v = strtoull(digits, &end, base);
	if (errno || *end || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int nfsec_addr_parse(const char *s, struct nfsec_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->bytes) == 1) {
		a->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, a->bytes) == 1) {
		a->family = AF_INET6;
		return 0;
	}
	return -1;
}

void nfsec_addr_format(const struct nfsec_addr *a, char *buf, size_t len)
{
	if (!nfsec_addr_len(a->family) ||
	    !inet_ntop(a->family, a->bytes, buf, len))
		snprintf(buf, len, "any");
}

/* end = start with the host bits set; false if start has host bits set. */
static bool prefix_end(struct nfsec_addr_sel *sel)
{
	unsigned int alen = nfsec_addr_len(sel->family);
	bool clean = true;

	for (unsigned int i = 0; i < alen; i++) {
		unsigned int bits = sel->prefixlen > i * 8 ?
				    sel->prefixlen - i * 8 : 0;
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);

		if (sel->start[i] & ~mask)
			clean = false;
		sel->end[i] = sel->start[i] | (uint8_t)~mask;
	}
	return clean;
}

int nfsec_addr_sel_parse(const char *s, struct nfsec_addr_sel *sel,
			 const char **why)
{
	char buf[NFSEC_ADDR_SEL_STRLEN];
	struct nfsec_addr a, b;
	char *sep;

	memset(sel, 0, sizeof(*sel));
	if (!strcmp(s, "any"))
		return 0;
	if (strlen(s) >= sizeof(buf)) {
		*why = "too long for an address";
		return -1;
	}
	strcpy(buf, s);

	sep = strchr(buf, '-');
	if (sep && !strchr(buf, '/')) {
		*sep = '\0';
		if (nfsec_addr_parse(buf, &a) || nfsec_addr_parse(sep + 1, &b)) {
			*why = "not an address range (expected ADDR-ADDR)";
			return -1;
		}
		if (a.family != b.family) {
			*why = "range mixes IPv4 and IPv6";
			return -1;
		}
		if (memcmp(a.bytes, b.bytes, nfsec_addr_len(a.family)) > 0) {
			*why = "range start is above its end";
			return -1;
		}
		sel->family = a.family;
		sel->is_range = true;
		memcpy(sel->start, a.bytes, sizeof(sel->start));
		memcpy(sel->end, b.bytes, sizeof(sel->end));
		return 0;
	}

	sep = strchr(buf, '/');
	if (sep)
		*sep = '\0';
	if (nfsec_addr_parse(buf, &a)) {
		*why = "not an address (expected ADDR, ADDR/LEN, ADDR-ADDR or any)";
		return -1;
	}
	sel->family = a.family;
	memcpy(sel->start, a.bytes, sizeof(sel->start));
	sel->prefixlen = (uint8_t)(nfsec_addr_len(a.family) * 8);
	if (sep) {
		uint32_t len;

		if (nfsec_parse_u32(sep + 1, sel->prefixlen, &len) ||
		    !isdigit((unsigned char)sep[1])) {
			*why = a.family == AF_INET ?
			       "prefix length must be 0-32" :
			       "prefix length must be 0-128";
			return -1;
		}
		sel->prefixlen = (uint8_t)len;
	}
	if (!prefix_end(sel)) {
		*why = "address has bits set beyond the prefix length";
		return -1;
	}
	return 0;
}

void nfsec_addr_sel_format(const struct nfsec_addr_sel *sel, char *buf,
			   size_t len)
{
	unsigned int alen = nfsec_addr_len(sel->family);
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (!alen || !inet_ntop(sel->family, sel->start, a, sizeof(a)) ||
	    !inet_ntop(sel->family, sel->end, b, sizeof(b))) {
		snprintf(buf, len, "any");
		return;
	}
	if (sel->is_range) {
		if (memcmp(sel->start, sel->end, alen))
			snprintf(buf, len, "%s-%s", a, b);
		else
			snprintf(buf, len, "%s", a);
	} else if (sel->prefixlen == alen * 8) {
		snprintf(buf, len, "%s", a);
	} else {
		snprintf(buf, len, "%s/%u", a, sel->prefixlen);
	}
}

bool nfsec_addr_sel_contains(const struct nfsec_addr_sel *sel,
			     const struct nfsec_addr *addr)
{
	unsigned int alen = nfsec_addr_len(sel->family);

	if (!alen)
		return true;
	if (addr->family != sel->family)
		return false;
	return memcmp(addr->bytes, sel->start, alen) >= 0 &&
	       memcmp(addr->bytes, sel->end, alen) <= 0;
}

int nfsec_port_range_parse(const char *s, uint16_t *min, uint16_t *max,
			   const char **why)
{
	char buf[16];
	uint32_t a, b;
	char *dash;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (!isdigit((unsigned char)buf[0]) || nfsec_parse_u32(buf, 65535, &a))
		goto bad;
	b = a;
	if (dash && (!isdigit((unsigned char)dash[1]) ||
		     nfsec_parse_u32(dash + 1, 65535, &b)))
		goto bad;
	if (a > b) {
		*why = "port range start is above its end";
		return -1;
	}
	*min = (uint16_t)a;
	*max = (uint16_t)b;
	return 0;
bad:
	*why = "not a port or port range (expected N or N-M, 0-65535)";
	return -1;
}

unsigned int nfsec_policy_family(const struct nfsec_policy *p)
{
	if (p->family)
		return p->family;
	if (p->sel.src.family)
		return p->sel.src.family;
	return p->sel.dst.family;
}

int nfsec_policy_check(const struct nfsec_policy *p, const char **why)
{
	const struct nfsec_sel *s = &p->sel;
	const struct nfsec_ipsec *ip = &p->ipsec;
	unsigned int family;

	if (!p->has_dir) {
		*why = "missing \"dir out|in|fwd\"";
		return -1;
	}
	if (!p->has_action) {
		*why = "missing \"action bypass|discard|protect\"";
		return -1;
	}
	if (s->src.family && s->dst.family && s->src.family != s->dst.family) {
		*why = "src and dst are of different address families";
		return -1;
	}
	family = s->src.family ?: s->dst.family;
	if (p->family && family && p->family != family) {
		*why = "family does not match the addresses";
		return -1;
	}
	family = family ?: p->family;
	if ((s->has_sport || s->has_dport) &&
	    !(s->has_proto && nfsec_proto_has_ports(s->proto))) {
		*why = "sport/dport need proto tcp, udp, sctp or udplite";
		return -1;
	}
	if ((s->has_icmp_type || s->has_icmp_code) &&
	    !(s->has_proto && nfsec_proto_is_icmp(s->proto))) {
		*why = "type/code need proto icmp or ipv6-icmp";
		return -1;
	}
	if (s->has_icmp_code && !s->has_icmp_type) {
		*why = "code needs a type";
		return -1;
	}
	if (s->has_proto && family == AF_INET6 && s->proto == IPPROTO_ICMP) {
		*why = "proto icmp is IPv4's; IPv6 uses ipv6-icmp";
		return -1;
	}
	if (s->has_proto && family == AF_INET && s->proto == IPPROTO_ICMPV6) {
		*why = "proto ipv6-icmp is IPv6's; IPv4 uses icmp";
		return -1;
	}
	if (s->opaque && (s->has_sport || s->has_dport)) {
		*why = "opaque excludes sport/dport";
		return -1;
	}
	if (p->action != NFSEC_ACTION_PROTECT) {
		if (p->has_ipsec) {
			*why = "ipsec, mode, tunnel, reqid and proposal need action protect";
			return -1;
		}
		if (s->pfp) {
			*why = "pfp needs action protect";
			return -1;
		}
	}
	if (ip->tunnel_src.family || ip->tunnel_dst.family) {
		if (ip->has_mode && ip->mode != NFSEC_MODE_TUNNEL) {
			*why = "tunnel endpoints need mode tunnel";
			return -1;
		}
		if (ip->tunnel_src.family != ip->tunnel_dst.family) {
			*why = "tunnel endpoints are of different address families";
			return -1;
		}
	}
	return 0;
}

/* ---- netlink ---- */

static int put_addr_sel(struct nl_msg *msg, int type,
			const struct nfsec_addr_sel *a)
{
	unsigned int alen = nfsec_addr_len(a->family);
	struct nlattr *nest;

	if (!alen)
		return 0;
	nest = nfsec_nest_start(msg, type);
	if (!nest || nla_put(msg, NFSEC_ADDR_A_START, (int)alen, a->start))
		return -NLE_NOMEM;
	if (a->is_range) {
		if (nla_put(msg, NFSEC_ADDR_A_END, (int)alen, a->end))
			return -NLE_NOMEM;
	} else if (nla_put_u8(msg, NFSEC_ADDR_A_PREFIXLEN, a->prefixlen)) {
		return -NLE_NOMEM;
	}
	return nla_nest_end(msg, nest);
}

int nfsec_sel_put(struct nl_msg *msg, int attrtype, const struct nfsec_sel *s)
{
	struct nlattr *nest = nfsec_nest_start(msg, attrtype);
	int err;

	if (!nest)
		return -NLE_NOMEM;
	if ((err = put_addr_sel(msg, NFSEC_SEL_A_SRC, &s->src)) ||
	    (err = put_addr_sel(msg, NFSEC_SEL_A_DST, &s->dst)))
		return err;
	if (s->has_proto && nla_put_u8(msg, NFSEC_SEL_A_PROTO, s->proto))
		return -NLE_NOMEM;
	if (s->has_sport &&
	    (nla_put_u16(msg, NFSEC_SEL_A_SPORT_MIN, s->sport_min) ||
	     nla_put_u16(msg, NFSEC_SEL_A_SPORT_MAX, s->sport_max)))
		return -NLE_NOMEM;
	if (s->has_dport &&
	    (nla_put_u16(msg, NFSEC_SEL_A_DPORT_MIN, s->dport_min) ||
	     nla_put_u16(msg, NFSEC_SEL_A_DPORT_MAX, s->dport_max)))
		return -NLE_NOMEM;
	if (s->has_icmp_type &&
	    nla_put_u8(msg, NFSEC_SEL_A_ICMP_TYPE, s->icmp_type))
		return -NLE_NOMEM;
	if (s->has_icmp_code &&
	    nla_put_u8(msg, NFSEC_SEL_A_ICMP_CODE, s->icmp_code))
		return -NLE_NOMEM;
	if (s->opaque && nla_put_flag(msg, NFSEC_SEL_A_PORTS_OPAQUE))
		return -NLE_NOMEM;
	if (s->name[0] && nla_put_string(msg, NFSEC_SEL_A_NAME, s->name))
		return -NLE_NOMEM;
	if (s->pfp && nla_put_u32(msg, NFSEC_SEL_A_PFP, s->pfp))
		return -NLE_NOMEM;
	return nla_nest_end(msg, nest);
}

static int put_ipsec(struct nl_msg *msg, int type, const struct nfsec_ipsec *ip)
{
	struct nlattr *nest = nfsec_nest_start(msg, type);
	unsigned int alen;

	if (!nest)
		return -NLE_NOMEM;
	if (ip->has_proto && nla_put_u8(msg, NFSEC_IPSEC_A_PROTO, ip->proto))
		return -NLE_NOMEM;
	if (ip->has_mode && nla_put_u8(msg, NFSEC_IPSEC_A_MODE, ip->mode))
		return -NLE_NOMEM;
	alen = nfsec_addr_len(ip->tunnel_src.family);
	if (alen && nla_put(msg, NFSEC_IPSEC_A_TUNNEL_SRC, (int)alen,
			    ip->tunnel_src.bytes))
		return -NLE_NOMEM;
	alen = nfsec_addr_len(ip->tunnel_dst.family);
	if (alen && nla_put(msg, NFSEC_IPSEC_A_TUNNEL_DST, (int)alen,
			    ip->tunnel_dst.bytes))
		return -NLE_NOMEM;
	if (ip->has_reqid && nla_put_u32(msg, NFSEC_IPSEC_A_REQID, ip->reqid))
		return -NLE_NOMEM;
	if (ip->proposal[0] &&
	    nla_put_string(msg, NFSEC_IPSEC_A_PROPOSAL, ip->proposal))
		return -NLE_NOMEM;
	return nla_nest_end(msg, nest);
}

static bool sel_is_empty(const struct nfsec_sel *s)
{
	return !s->src.family && !s->dst.family && !s->has_proto &&
	       !s->has_sport && !s->has_dport && !s->has_icmp_type &&
	       !s->has_icmp_code && !s->opaque && !s->name[0] && !s->pfp;
}

int nfsec_policy_put(struct nl_msg *msg, int attrtype,
		     const struct nfsec_policy *p)
{
	struct nlattr *nest = nfsec_nest_start(msg, attrtype);
	int err;

	if (!nest)
		return -NLE_NOMEM;
	if (p->id && nla_put_u32(msg, NFSEC_POLICY_A_ID, p->id))
		return -NLE_NOMEM;
	if (p->has_dir && nla_put_u8(msg, NFSEC_POLICY_A_DIR, p->dir))
		return -NLE_NOMEM;
	if (p->has_priority &&
	    nla_put_u32(msg, NFSEC_POLICY_A_PRIORITY, p->priority))
		return -NLE_NOMEM;
	if (p->family && nla_put_u16(msg, NFSEC_POLICY_A_FAMILY, p->family))
		return -NLE_NOMEM;
	if (!sel_is_empty(&p->sel) &&
	    (err = nfsec_sel_put(msg, NFSEC_POLICY_A_SEL, &p->sel)))
		return err;
	if (p->has_action && nla_put_u8(msg, NFSEC_POLICY_A_ACTION, p->action))
		return -NLE_NOMEM;
	if (p->has_ipsec && (err = put_ipsec(msg, NFSEC_POLICY_A_IPSEC, &p->ipsec)))
		return err;
	if (p->flags && nla_put_u32(msg, NFSEC_POLICY_A_FLAGS, p->flags))
		return -NLE_NOMEM;
	return nla_nest_end(msg, nest);
}

int nfsec_addr_parse_nl(const struct nlattr *attr, struct nfsec_addr *a)
{
	int len = nla_len(attr);

	memset(a, 0, sizeof(*a));
	if (len != 4 && len != 16)
		return -EINVAL;
	a->family = len == 4 ? AF_INET : AF_INET6;
	memcpy(a->bytes, nla_data(attr), (size_t)len);
	return 0;
}

static int parse_addr_sel_nl(const struct nlattr *nest,
			     struct nfsec_addr_sel *sel)
{
	struct nlattr *tb[NFSEC_ADDR_A_MAX + 1];
	struct nfsec_addr start, end;
	unsigned int alen;

	memset(sel, 0, sizeof(*sel));
	if (nla_parse_nested(tb, NFSEC_ADDR_A_MAX, (struct nlattr *)nest, NULL))
		return -EINVAL;
	if (!tb[NFSEC_ADDR_A_START] ||
	    nfsec_addr_parse_nl(tb[NFSEC_ADDR_A_START], &start))
		return -EINVAL;
	sel->family = start.family;
	alen = nfsec_addr_len(start.family);
	memcpy(sel->start, start.bytes, alen);
	if (tb[NFSEC_ADDR_A_PREFIXLEN]) {
		sel->prefixlen = nla_get_u8(tb[NFSEC_ADDR_A_PREFIXLEN]);
		if (sel->prefixlen > alen * 8)
			return -EINVAL;
		prefix_end(sel);
		return 0;
	}
	if (!tb[NFSEC_ADDR_A_END] ||
	    nfsec_addr_parse_nl(tb[NFSEC_ADDR_A_END], &end) ||
	    end.family != start.family)
		return -EINVAL;
	sel->is_range = true;
	memcpy(sel->end, end.bytes, alen);
	return 0;
}

static const struct nla_policy sel_policy[NFSEC_SEL_A_MAX + 1] = {
	[NFSEC_SEL_A_SRC] = { .type = NLA_NESTED },
	[NFSEC_SEL_A_DST] = { .type = NLA_NESTED },
	[NFSEC_SEL_A_PROTO] = { .type = NLA_U8 },
	[NFSEC_SEL_A_SPORT_MIN] = { .type = NLA_U16 },
	[NFSEC_SEL_A_SPORT_MAX] = { .type = NLA_U16 },
	[NFSEC_SEL_A_DPORT_MIN] = { .type = NLA_U16 },
	[NFSEC_SEL_A_DPORT_MAX] = { .type = NLA_U16 },
	[NFSEC_SEL_A_ICMP_TYPE] = { .type = NLA_U8 },
	[NFSEC_SEL_A_ICMP_CODE] = { .type = NLA_U8 },
	[NFSEC_SEL_A_PORTS_OPAQUE] = { .type = NLA_FLAG },
	[NFSEC_SEL_A_NAME] = { .type = NLA_STRING },
	[NFSEC_SEL_A_PFP] = { .type = NLA_U32 },
};

/* Copy a string attribute, which need not be NUL-terminated. */
static void get_string(const struct nlattr *a, char *buf, size_t size)
{
	size_t len = (size_t)nla_len(a);
	const char *s = nla_data(a);

	if (len && !s[len - 1])
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
}

int nfsec_sel_parse_nl(const struct nlattr *nest, struct nfsec_sel *s)
{
	struct nlattr *tb[NFSEC_SEL_A_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (nla_parse_nested(tb, NFSEC_SEL_A_MAX, (struct nlattr *)nest,
			     (struct nla_policy *)sel_policy))
		return -EINVAL;
	if (tb[NFSEC_SEL_A_SRC] && parse_addr_sel_nl(tb[NFSEC_SEL_A_SRC], &s->src))
		return -EINVAL;
	if (tb[NFSEC_SEL_A_DST] && parse_addr_sel_nl(tb[NFSEC_SEL_A_DST], &s->dst))
		return -EINVAL;
	if (tb[NFSEC_SEL_A_PROTO]) {
		s->has_proto = true;
		s->proto = nla_get_u8(tb[NFSEC_SEL_A_PROTO]);
	}
	if (tb[NFSEC_SEL_A_SPORT_MIN] || tb[NFSEC_SEL_A_SPORT_MAX]) {
		s->has_sport = true;
		s->sport_min = tb[NFSEC_SEL_A_SPORT_MIN] ?
			       nla_get_u16(tb[NFSEC_SEL_A_SPORT_MIN]) : 0;
		s->sport_max = tb[NFSEC_SEL_A_SPORT_MAX] ?
			       nla_get_u16(tb[NFSEC_SEL_A_SPORT_MAX]) : 65535;
	}
	if (tb[NFSEC_SEL_A_DPORT_MIN] || tb[NFSEC_SEL_A_DPORT_MAX]) {
		s->has_dport = true;
		s->dport_min = tb[NFSEC_SEL_A_DPORT_MIN] ?
			       nla_get_u16(tb[NFSEC_SEL_A_DPORT_MIN]) : 0;
		s->dport_max = tb[NFSEC_SEL_A_DPORT_MAX] ?
			       nla_get_u16(tb[NFSEC_SEL_A_DPORT_MAX]) : 65535;
	}
	if (tb[NFSEC_SEL_A_ICMP_TYPE]) {
		s->has_icmp_type = true;
		s->icmp_type = nla_get_u8(tb[NFSEC_SEL_A_ICMP_TYPE]);
	}
	if (tb[NFSEC_SEL_A_ICMP_CODE]) {
		s->has_icmp_code = true;
		s->icmp_code = nla_get_u8(tb[NFSEC_SEL_A_ICMP_CODE]);
	}
	s->opaque = tb[NFSEC_SEL_A_PORTS_OPAQUE] != NULL;
	if (tb[NFSEC_SEL_A_NAME])
		get_string(tb[NFSEC_SEL_A_NAME], s->name, sizeof(s->name));
	if (tb[NFSEC_SEL_A_PFP])
		s->pfp = nla_get_u32(tb[NFSEC_SEL_A_PFP]);
	return 0;
}

static const struct nla_policy ipsec_policy[NFSEC_IPSEC_A_MAX + 1] = {
	[NFSEC_IPSEC_A_PROTO] = { .type = NLA_U8 },
	[NFSEC_IPSEC_A_MODE] = { .type = NLA_U8 },
	[NFSEC_IPSEC_A_REQID] = { .type = NLA_U32 },
	[NFSEC_IPSEC_A_PROPOSAL] = { .type = NLA_STRING },
};

int nfsec_ipsec_parse_nl(const struct nlattr *nest, struct nfsec_ipsec *ip)
{
	struct nlattr *tb[NFSEC_IPSEC_A_MAX + 1];

	memset(ip, 0, sizeof(*ip));
	if (nla_parse_nested(tb, NFSEC_IPSEC_A_MAX, (struct nlattr *)nest,
			     (struct nla_policy *)ipsec_policy))
		return -EINVAL;
	if (tb[NFSEC_IPSEC_A_PROTO]) {
		ip->has_proto = true;
		ip->proto = nla_get_u8(tb[NFSEC_IPSEC_A_PROTO]);
	}
	if (tb[NFSEC_IPSEC_A_MODE]) {
		ip->has_mode = true;
		ip->mode = nla_get_u8(tb[NFSEC_IPSEC_A_MODE]);
	}
	if (tb[NFSEC_IPSEC_A_TUNNEL_SRC] &&
	    nfsec_addr_parse_nl(tb[NFSEC_IPSEC_A_TUNNEL_SRC], &ip->tunnel_src))
		return -EINVAL;
	if (tb[NFSEC_IPSEC_A_TUNNEL_DST] &&
	    nfsec_addr_parse_nl(tb[NFSEC_IPSEC_A_TUNNEL_DST], &ip->tunnel_dst))
		return -EINVAL;
	if (tb[NFSEC_IPSEC_A_REQID]) {
		ip->has_reqid = true;
		ip->reqid = nla_get_u32(tb[NFSEC_IPSEC_A_REQID]);
	}
	if (tb[NFSEC_IPSEC_A_PROPOSAL])
		get_string(tb[NFSEC_IPSEC_A_PROPOSAL], ip->proposal,
			   sizeof(ip->proposal));
	return 0;
}

static const struct nla_policy policy_policy[NFSEC_POLICY_A_MAX + 1] = {
	[NFSEC_POLICY_A_ID] = { .type = NLA_U32 },
	[NFSEC_POLICY_A_DIR] = { .type = NLA_U8 },
	[NFSEC_POLICY_A_PRIORITY] = { .type = NLA_U32 },
	[NFSEC_POLICY_A_FAMILY] = { .type = NLA_U16 },
	[NFSEC_POLICY_A_SEL] = { .type = NLA_NESTED },
	[NFSEC_POLICY_A_ACTION] = { .type = NLA_U8 },
	[NFSEC_POLICY_A_IPSEC] = { .type = NLA_NESTED },
	[NFSEC_POLICY_A_STATS] = { .type = NLA_NESTED },
	[NFSEC_POLICY_A_FLAGS] = { .type = NLA_U32 },
};

static const struct nla_policy pstats_policy[NFSEC_POLICY_STATS_A_MAX + 1] = {
	[NFSEC_POLICY_STATS_A_PACKETS] = { .type = NLA_U64 },
	[NFSEC_POLICY_STATS_A_BYTES] = { .type = NLA_U64 },
};

int nfsec_policy_parse_nl(const struct nlattr *nest, struct nfsec_policy *p)
{
	struct nlattr *tb[NFSEC_POLICY_A_MAX + 1];

	memset(p, 0, sizeof(*p));
	if (nla_parse_nested(tb, NFSEC_POLICY_A_MAX, (struct nlattr *)nest,
			     (struct nla_policy *)policy_policy))
		return -EINVAL;
	if (tb[NFSEC_POLICY_A_ID])
		p->id = nla_get_u32(tb[NFSEC_POLICY_A_ID]);
	if (tb[NFSEC_POLICY_A_DIR]) {
		p->has_dir = true;
		p->dir = nla_get_u8(tb[NFSEC_POLICY_A_DIR]);
	}
	if (tb[NFSEC_POLICY_A_PRIORITY]) {
		p->has_priority = true;
		p->priority = nla_get_u32(tb[NFSEC_POLICY_A_PRIORITY]);
	}
	if (tb[NFSEC_POLICY_A_FAMILY])
		p->family = nla_get_u16(tb[NFSEC_POLICY_A_FAMILY]);
	if (tb[NFSEC_POLICY_A_SEL] &&
	    nfsec_sel_parse_nl(tb[NFSEC_POLICY_A_SEL], &p->sel))
		return -EINVAL;
	if (tb[NFSEC_POLICY_A_ACTION]) {
		p->has_action = true;
		p->action = nla_get_u8(tb[NFSEC_POLICY_A_ACTION]);
	}
	if (tb[NFSEC_POLICY_A_FLAGS])
		p->flags = nla_get_u32(tb[NFSEC_POLICY_A_FLAGS]);
	if (tb[NFSEC_POLICY_A_IPSEC]) {
		p->has_ipsec = true;
		if (nfsec_ipsec_parse_nl(tb[NFSEC_POLICY_A_IPSEC], &p->ipsec))
			return -EINVAL;
	}
	if (tb[NFSEC_POLICY_A_STATS]) {
		struct nlattr *st[NFSEC_POLICY_STATS_A_MAX + 1];

		if (nla_parse_nested(st, NFSEC_POLICY_STATS_A_MAX,
				     tb[NFSEC_POLICY_A_STATS],
				     (struct nla_policy *)pstats_policy))
			return -EINVAL;
		p->has_stats = true;
		if (st[NFSEC_POLICY_STATS_A_PACKETS])
			p->packets = nla_get_u64(st[NFSEC_POLICY_STATS_A_PACKETS]);
		if (st[NFSEC_POLICY_STATS_A_BYTES])
			p->bytes = nla_get_u64(st[NFSEC_POLICY_STATS_A_BYTES]);
	}
	return 0;
}

static const struct nla_policy acquire_policy[NFSEC_ACQUIRE_A_MAX + 1] = {
	[NFSEC_ACQUIRE_A_POLICY_ID] = { .type = NLA_U32 },
	[NFSEC_ACQUIRE_A_DIR] = { .type = NLA_U8 },
	[NFSEC_ACQUIRE_A_FAMILY] = { .type = NLA_U16 },
	[NFSEC_ACQUIRE_A_SEL] = { .type = NLA_NESTED },
	[NFSEC_ACQUIRE_A_IPSEC] = { .type = NLA_NESTED },
	[NFSEC_ACQUIRE_A_PACKET_PROTO] = { .type = NLA_U8 },
	[NFSEC_ACQUIRE_A_PACKET_SPORT] = { .type = NLA_U16 },
	[NFSEC_ACQUIRE_A_PACKET_DPORT] = { .type = NLA_U16 },
};

int nfsec_acquire_parse_nl(const struct nlattr *nest, struct nfsec_acquire *a)
{
	struct nlattr *tb[NFSEC_ACQUIRE_A_MAX + 1];

	memset(a, 0, sizeof(*a));
	if (nla_parse_nested(tb, NFSEC_ACQUIRE_A_MAX, (struct nlattr *)nest,
			     (struct nla_policy *)acquire_policy))
		return -EINVAL;
	if (tb[NFSEC_ACQUIRE_A_POLICY_ID])
		a->policy_id = nla_get_u32(tb[NFSEC_ACQUIRE_A_POLICY_ID]);
	if (tb[NFSEC_ACQUIRE_A_DIR]) {
		a->has_dir = true;
		a->dir = nla_get_u8(tb[NFSEC_ACQUIRE_A_DIR]);
	}
	if (tb[NFSEC_ACQUIRE_A_FAMILY])
		a->family = nla_get_u16(tb[NFSEC_ACQUIRE_A_FAMILY]);
	if (tb[NFSEC_ACQUIRE_A_SEL] &&
	    nfsec_sel_parse_nl(tb[NFSEC_ACQUIRE_A_SEL], &a->sel))
		return -EINVAL;
	if (tb[NFSEC_ACQUIRE_A_IPSEC]) {
		a->has_ipsec = true;
		if (nfsec_ipsec_parse_nl(tb[NFSEC_ACQUIRE_A_IPSEC], &a->ipsec))
			return -EINVAL;
	}
	if (tb[NFSEC_ACQUIRE_A_PACKET_SRC] &&
	    nfsec_addr_parse_nl(tb[NFSEC_ACQUIRE_A_PACKET_SRC], &a->packet_src))
		return -EINVAL;
	if (tb[NFSEC_ACQUIRE_A_PACKET_DST] &&
	    nfsec_addr_parse_nl(tb[NFSEC_ACQUIRE_A_PACKET_DST], &a->packet_dst))
		return -EINVAL;
	if (tb[NFSEC_ACQUIRE_A_PACKET_PROTO]) {
		a->has_packet_proto = true;
		a->packet_proto = nla_get_u8(tb[NFSEC_ACQUIRE_A_PACKET_PROTO]);
	}
	if (tb[NFSEC_ACQUIRE_A_PACKET_SPORT]) {
		a->has_packet_sport = true;
		a->packet_sport = nla_get_u16(tb[NFSEC_ACQUIRE_A_PACKET_SPORT]);
	}
	if (tb[NFSEC_ACQUIRE_A_PACKET_DPORT]) {
		a->has_packet_dport = true;
		a->packet_dport = nla_get_u16(tb[NFSEC_ACQUIRE_A_PACKET_DPORT]);
	}
	return 0;
}
