// SPDX-License-Identifier: GPL-2.0
/*
 * The route of a tunnel SA's outer packets, and its cache.
 *
 * Every outer packet of a tunnel SA goes to the same peer from the same
 * address, so a route lookup per packet (a FIB walk, and for IPv6 a
 * reference on a per-CPU route copy) repeats the same answer. The answer
 * is kept with the SA's path, as sockets keep theirs in sk_dst_cache and
 * tunnels in a dst_cache:
 *
 *  - in the path, because MOBIKE replaces the path as a whole: a new path
 *    starts with an empty cache and the old route goes with the old path;
 *  - one slot for all CPUs, not a per-CPU dst_cache: a router may hold
 *    100,000 SAs, and the dst reference the packet takes is the same shared
 *    atomic either way;
 *  - revalidated with dst_check() before each use: a route change (IPv4
 *    generation id, IPv6 fib6 serial number), a PMTU exception or a device
 *    going away makes the cached route obsolete and the next packet looks
 *    the route up again. A cached route does not pin its device: when the
 *    device goes, the kernel moves its routes to the blackhole device.
 *  - only for packets without a mark: the mark takes part in the lookup
 *    (policy routing), and marked traffic would need one slot per mark.
 *
 * Transport mode needs none of this: the outer packet is the inner one and
 * keeps the route it already has.
 */
#include <net/dst.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/route.h>

#include "main.h"
#include "route.h"
#include "sad.h"

void nfsec_route_cache_init(struct nfsec_route_cache *rc)
{
	RCU_INIT_POINTER(rc->dst, NULL);
	rc->cookie = 0;
	spin_lock_init(&rc->lock);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_route_cache_init);

/* When the path is freed, after a grace period: no reader is left. */
void nfsec_route_cache_release(struct nfsec_route_cache *rc)
{
	dst_release(rcu_dereference_protected(rc->dst, 1));
	RCU_INIT_POINTER(rc->dst, NULL);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_route_cache_release);

/* The cached route with a reference, if it is still valid. Under RCU. */
static struct dst_entry *nfsec_route_cache_get(struct nfsec_route_cache *rc)
{
	struct dst_entry *dst = rcu_dereference(rc->dst);

	/* The slot may be replacing it, its last reference going: skip. */
	if (!dst || !dst_hold_safe(dst))
		return NULL;
	if (dst->obsolete && !dst_check(dst, READ_ONCE(rc->cookie))) {
		dst_release(dst);
		return NULL;
	}
	return dst;
}

static void nfsec_route_cache_set(struct nfsec_route_cache *rc,
				  struct dst_entry *dst, u32 cookie)
{
	struct dst_entry *old;

	dst_hold(dst);
	spin_lock_bh(&rc->lock);
	old = rcu_replace_pointer(rc->dst, dst, lockdep_is_held(&rc->lock));
	WRITE_ONCE(rc->cookie, cookie);
	spin_unlock_bh(&rc->lock);
	/* Readers that still see @old fail dst_hold_safe() once it is gone. */
	dst_release(old);
}

static struct dst_entry *nfsec_route_lookup4(struct net *net,
					     const struct nfsec_sa_path *path,
					     u8 proto, u32 mark)
{
	struct flowi4 fl4 = {
		.daddr = path->daddr.a4,
		.saddr = path->saddr.a4,
		.flowi4_proto = proto,
		.flowi4_mark = mark,
	};
	struct rtable *rt = ip_route_output_key(net, &fl4);

	return IS_ERR(rt) ? ERR_CAST(rt) : &rt->dst;
}

static struct dst_entry *nfsec_route_lookup6(struct net *net,
					     const struct nfsec_sa_path *path,
					     u8 proto, u32 mark, u32 *cookie)
{
	struct flowi6 fl6 = {
		.daddr = path->daddr.a6,
		.saddr = path->saddr.a6,
		.flowi6_proto = proto,
		.flowi6_mark = mark,
	};
	struct dst_entry *dst = ip6_route_output(net, NULL, &fl6);
	int err = dst->error;

	if (err) {
		dst_release(dst);
		return ERR_PTR(err);
	}
	*cookie = rt6_get_cookie(container_of(dst, struct rt6_info, dst));
	return dst;
}

/*
 * The route to @path's peer for an outer packet of protocol @proto (ESP,
 * AH, or UDP for ESP in UDP), with a reference, or an ERR_PTR. Under RCU:
 * @path is the SA's current one.
 */
struct dst_entry *nfsec_route_outer(struct net *net,
				    struct nfsec_sa_path *path, u8 proto,
				    u32 mark)
{
	struct dst_entry *dst;
	u32 cookie = 0;

	if (!mark) {
		dst = nfsec_route_cache_get(&path->route);
		if (dst)
			return dst;
	}
	if (path->family == AF_INET)
		dst = nfsec_route_lookup4(net, path, proto, mark);
	else
		dst = nfsec_route_lookup6(net, path, proto, mark, &cookie);
	if (!IS_ERR(dst) && !mark)
		nfsec_route_cache_set(&path->route, dst, cookie);
	return dst;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_route_outer);
