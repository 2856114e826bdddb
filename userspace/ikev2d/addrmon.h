/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host's addresses for MOBIKE: a monitor of address, link and route
 * changes (rtnetlink multicast groups), and the list of usable addresses.
 */
#ifndef ADDRMON_H
#define ADDRMON_H

#include <stdbool.h>
#include "ike_sa.h"

/* A non-blocking rtnetlink socket subscribed to the changes; -errno. */
int addrmon_open(void);
/* Drains the socket; true if anything that may move a path came. */
bool addrmon_read(int fd);
/* Up, non-loopback addresses of a family, IPv6 link-local left out. */
size_t addrmon_local_addrs(int family, ike_sockaddr *out, size_t max);

#endif
