// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Address, link and route changes over rtnetlink for MOBIKE (see
 * addrmon.h). The messages themselves are not decoded: any of them makes
 * the daemon look again (after a short settling delay, as they come in
 * bursts), through the routing table and getifaddrs(), which are the
 * truth the state machine needs.
 */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include "addrmon.h"

int addrmon_open(void)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR |
			     RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE,
	};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

bool addrmon_read(int fd)
{
	static char buf[16384];
	bool changed = false;
	ssize_t len;

	while ((len = recv(fd, buf, sizeof(buf), 0)) > 0 || (len < 0 && errno == ENOBUFS)) {
		if (len < 0) {		/* we missed some: look again anyway */
			changed = true;
			continue;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)len);
		     h = NLMSG_NEXT(h, len)) {
			switch (h->nlmsg_type) {
			case RTM_NEWADDR: case RTM_DELADDR:
			case RTM_NEWLINK: case RTM_DELLINK:
			case RTM_NEWROUTE: case RTM_DELROUTE:
				changed = true;
				break;
			default:
				break;
			}
		}
	}
	return changed;
}

static bool usable(const struct ifaddrs *ifa, int family)
{
	const struct sockaddr_in6 *s6;

	if (!ifa->ifa_addr || ifa->ifa_addr->sa_family != family || !(ifa->ifa_flags & IFF_UP) ||
	    (ifa->ifa_flags & IFF_LOOPBACK))
		return false;
	if (family != AF_INET6)
		return true;
	s6 = (const struct sockaddr_in6 *)ifa->ifa_addr;
	return !IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr) && !IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr);
}

size_t addrmon_local_addrs(int family, ike_sockaddr *out, size_t max)
{
	struct ifaddrs *all;
	size_t n = 0;

	if (getifaddrs(&all))
		return 0;
	for (struct ifaddrs *ifa = all; ifa && n < max; ifa = ifa->ifa_next) {
		if (!usable(ifa, family))
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		memcpy(&out[n++], ifa->ifa_addr, family == AF_INET6 ? sizeof(struct sockaddr_in6) :
		       sizeof(struct sockaddr_in));
	}
	freeifaddrs(all);
	return n;
}
