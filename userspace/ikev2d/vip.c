// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Virtual addresses and their routes over rtnetlink: see vip.h. Requests
 * are synchronous (one socket per request, ACK awaited), which is fine for
 * something done once per IKE SA.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include "vip.h"

struct req {
	struct nlmsghdr n;
	union {
		struct ifaddrmsg ifa;
		struct rtmsg rt;
		struct fib_rule_hdr fr;
	};
	char attrs[256];
};

static unsigned int routes[2];	/* per family (v4, v6): the rule lives while > 0 */

static void add_attr(struct req *r, uint16_t type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)&r->n + NLMSG_ALIGN(r->n.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/*
 * Send one request; with reply set, copy the first answer message there
 * (RTM_GETROUTE), else wait for the ACK. Returns 0 or a negative errno.
 */
static int talk(struct req *r, void *reply, size_t reply_len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[8192];
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int ret = -EIO;
	ssize_t n;

	if (fd < 0)
		return -errno;
	r->n.nlmsg_flags |= NLM_F_REQUEST | (reply ? 0 : NLM_F_ACK);
	r->n.nlmsg_seq = 1;
	if (sendto(fd, r, r->n.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		goto out;
	}
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		ret = -errno;
		goto out;
	}
	for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
	     h = NLMSG_NEXT(h, n)) {
		if (h->nlmsg_type == NLMSG_ERROR) {
			ret = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
			break;
		}
		if (reply) {
			memcpy(reply, h, h->nlmsg_len < reply_len ? h->nlmsg_len : reply_len);
			ret = 0;
			break;
		}
	}
out:
	close(fd);
	return ret;
}

static size_t alen(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

int vip_addr(bool add, const char *ifname, const struct conf_addr *a, char *err, size_t len)
{
	struct req r = { 0 };
	unsigned int idx = if_nametoindex(ifname);
	int ret;

	if (!idx) {
		snprintf(err, len, "no interface '%s'", ifname);
		return -ENODEV;
	}
	r.n.nlmsg_len = NLMSG_LENGTH(sizeof(r.ifa));
	r.n.nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	r.n.nlmsg_flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
	r.ifa.ifa_family = (uint8_t)a->family;
	r.ifa.ifa_prefixlen = (uint8_t)(8 * alen(a->family));
	r.ifa.ifa_flags = a->family == AF_INET6 ? IFA_F_NODAD : 0;	/* usable at once */
	r.ifa.ifa_scope = RT_SCOPE_UNIVERSE;
	r.ifa.ifa_index = idx;
	add_attr(&r, IFA_LOCAL, a->addr, alen(a->family));
	add_attr(&r, IFA_ADDRESS, a->addr, alen(a->family));
	ret = talk(&r, NULL, 0);
	/* Left by an ikev2d that was killed before it could take it off: the
	 * gateway gave it to us again, so it is ours again. */
	if (add && ret == -EEXIST)
		ret = 0;
	if (ret)
		snprintf(err, len, "%s the address on %s: %s", add ? "adding" : "removing", ifname,
			 strerror(-ret));
	return ret;
}

int vip_prefix_len(const struct ike_ts *ts)
{
	size_t len = ts->type == IKE_TS_IPV6_ADDR_RANGE ? 16 : 4;
	int plen = 0;

	/* start and end agree on the first plen bits; then start is all 0, end all 1 */
	while (plen < (int)(8 * len)) {
		int byte = plen / 8, bit = 7 - plen % 8;

		if (((ts->start[byte] ^ ts->end[byte]) >> bit) & 1)
			break;
		plen++;
	}
	for (int b = plen; b < (int)(8 * len); b++) {
		int byte = b / 8, bit = 7 - b % 8;

		if (((ts->start[byte] >> bit) & 1) || !((ts->end[byte] >> bit) & 1))
			return -1;
	}
	return plen;
}

/* The output interface and gateway towards the peer's outer address. */
static int route_to(const ike_sockaddr *peer, uint32_t *oif, uint8_t gw[16], bool *has_gw)
{
	struct req r = { 0 };
	union {
		struct nlmsghdr n;
		char buf[1024];
	} ans;
	size_t len;
	const uint8_t *dst = ike_addr_bytes(peer, &len);
	struct rtmsg *rt;
	struct rtattr *a;
	int ret, rem;

	r.n.nlmsg_len = NLMSG_LENGTH(sizeof(r.rt));
	r.n.nlmsg_type = RTM_GETROUTE;
	r.rt.rtm_family = (uint8_t)peer->sa.sa_family;
	r.rt.rtm_dst_len = (uint8_t)(8 * len);
	add_attr(&r, RTA_DST, dst, len);
	memset(&ans, 0, sizeof(ans));
	ret = talk(&r, &ans, sizeof(ans));
	if (ret)
		return ret;
	if (ans.n.nlmsg_type != RTM_NEWROUTE)
		return -EHOSTUNREACH;
	*oif = 0;
	*has_gw = false;
	rt = NLMSG_DATA(&ans.n);
	rem = (int)RTM_PAYLOAD(&ans.n);
	for (a = RTM_RTA(rt); RTA_OK(a, rem); a = RTA_NEXT(a, rem)) {
		if (a->rta_type == RTA_OIF && RTA_PAYLOAD(a) == 4)
			memcpy(oif, RTA_DATA(a), 4);
		if (a->rta_type == RTA_GATEWAY && RTA_PAYLOAD(a) == len) {
			memcpy(gw, RTA_DATA(a), len);
			*has_gw = true;
		}
	}
	return *oif ? 0 : -EHOSTUNREACH;
}

static int rule(bool add, int family)
{
	struct req r = { 0 };
	uint32_t table = VIP_TABLE, prio = VIP_RULE_PRIORITY;
	int ret;

	r.n.nlmsg_len = NLMSG_LENGTH(sizeof(r.fr));
	r.n.nlmsg_type = add ? RTM_NEWRULE : RTM_DELRULE;
	r.n.nlmsg_flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
	r.fr.family = (uint8_t)family;
	r.fr.action = FR_ACT_TO_TBL;
	add_attr(&r, FRA_TABLE, &table, 4);
	add_attr(&r, FRA_PRIORITY, &prio, 4);
	ret = talk(&r, NULL, 0);
	return ret == -EEXIST ? 0 : ret;
}

int vip_route(bool add, const struct ike_ts *dst, const struct conf_addr *src,
	      const ike_sockaddr *peer, char *err, size_t len)
{
	int plen = vip_prefix_len(dst), family = src->family, ret;
	unsigned int *count = &routes[family == AF_INET6];
	struct req r = { 0 };
	uint8_t gw[16];
	uint32_t oif;
	bool has_gw;

	if (plen < 0) {
		snprintf(err, len, "the selector is a range, not a prefix");
		return -EINVAL;
	}
	if (add) {
		ret = route_to(peer, &oif, gw, &has_gw);
		if (ret) {
			snprintf(err, len, "no route to the gateway: %s", strerror(-ret));
			return ret;
		}
		if (peer->sa.sa_family != family)
			has_gw = false;	/* an IPv6 inner route over IPv4: the device only */
		if (!*count && (ret = rule(true, family))) {
			snprintf(err, len, "adding the rule for table %d: %s", VIP_TABLE,
				 strerror(-ret));
			return ret;
		}
	}
	r.n.nlmsg_len = NLMSG_LENGTH(sizeof(r.rt));
	r.n.nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	r.n.nlmsg_flags = add ? NLM_F_CREATE | NLM_F_REPLACE : 0;
	r.rt.rtm_family = (uint8_t)family;
	r.rt.rtm_dst_len = (uint8_t)plen;
	r.rt.rtm_table = VIP_TABLE;
	r.rt.rtm_protocol = RTPROT_STATIC;
	r.rt.rtm_scope = RT_SCOPE_UNIVERSE;
	r.rt.rtm_type = RTN_UNICAST;
	add_attr(&r, RTA_DST, dst->start, alen(family));
	add_attr(&r, RTA_PREFSRC, src->addr, alen(family));
	if (add) {
		add_attr(&r, RTA_OIF, &oif, 4);
		if (has_gw)
			add_attr(&r, RTA_GATEWAY, gw, alen(family));
	}
	ret = talk(&r, NULL, 0);
	if (ret && !(ret == -ESRCH && !add)) {
		snprintf(err, len, "%s the route: %s", add ? "adding" : "removing", strerror(-ret));
		if (add && !*count)
			rule(false, family);
		return ret;
	}
	if (add) {
		++*count;
	} else if (*count && !--*count) {
		rule(false, family);
	}
	return 0;
}
