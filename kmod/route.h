/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_ROUTE_H
#define _NFSEC_ROUTE_H

#include <linux/spinlock.h>
#include <linux/types.h>

struct dst_entry;
struct net;
struct nfsec_sa_path;

/*
 * The route to a tunnel SA's peer, remembered between packets (route.c).
 * One slot per SA path, shared by all CPUs: readers take a reference under
 * RCU and revalidate it with dst_check().
 */
struct nfsec_route_cache {
	struct dst_entry __rcu *dst;
	u32 cookie;		/* IPv6: the fib6 serial number dst_check() wants */
	spinlock_t lock;	/* writers: dst and cookie change together */
};

void nfsec_route_cache_init(struct nfsec_route_cache *rc);
void nfsec_route_cache_release(struct nfsec_route_cache *rc);

struct dst_entry *nfsec_route_outer(struct net *net,
				    struct nfsec_sa_path *path, u8 proto,
				    u32 mark);

#endif /* _NFSEC_ROUTE_H */
