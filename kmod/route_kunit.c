// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the route cache of a tunnel SA's path (route.c): reused while
 * valid, looked up again once the routing tables change, never kept for
 * marked packets. Routes of init_net's loopback, which the test VM brings up.
 */
#include <kunit/test.h>
#include <net/dst.h>
#include <net/net_namespace.h>

#include "main.h"
#include "route.h"
#include "sad.h"

static void route_path_init(struct nfsec_sa_path *path, u16 family)
{
	memset(path, 0, sizeof(*path));
	path->family = family;
	if (family == AF_INET) {
		path->saddr.a4 = htonl(INADDR_LOOPBACK);
		path->daddr.a4 = htonl(INADDR_LOOPBACK + 1);
	} else {
		path->saddr.a6 = in6addr_loopback;
		path->daddr.a6 = in6addr_loopback;
	}
	nfsec_route_cache_init(&path->route);
}

static struct dst_entry *route_get(struct kunit *test,
				   struct nfsec_sa_path *path, u32 mark)
{
	struct dst_entry *dst;

	rcu_read_lock();
	dst = nfsec_route_outer(&init_net, path, IPPROTO_ESP, mark);
	rcu_read_unlock();
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_OR_NULL(dst), "no route: %ld",
			       PTR_ERR(dst));
	return dst;
}

static struct dst_entry *route_cached(struct nfsec_sa_path *path)
{
	return rcu_access_pointer(path->route.dst);
}

/* The first packet fills the slot, the next ones get the same route. */
static void route_reuse(struct kunit *test, u16 family)
{
	struct nfsec_sa_path path;
	struct dst_entry *a, *b;

	route_path_init(&path, family);
	a = route_get(test, &path, 0);
	KUNIT_EXPECT_PTR_EQ(test, route_cached(&path), a);
	b = route_get(test, &path, 0);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	dst_release(a);
	dst_release(b);
	nfsec_route_cache_release(&path.route);
	KUNIT_EXPECT_NULL(test, route_cached(&path));
}

static void route_reuse4(struct kunit *test)
{
	route_reuse(test, AF_INET);
}

static void route_reuse6(struct kunit *test)
{
	route_reuse(test, AF_INET6);
}

/* A marked packet may be policy-routed elsewhere: looked up, not cached. */
static void route_marked(struct kunit *test)
{
	struct nfsec_sa_path path;
	struct dst_entry *dst;

	route_path_init(&path, AF_INET);
	dst = route_get(test, &path, 0x42);
	KUNIT_EXPECT_NULL(test, route_cached(&path));
	dst_release(dst);
	nfsec_route_cache_release(&path.route);
}

/*
 * A change of the IPv4 routing tables (the generation id every change
 * bumps) makes the cached route obsolete: the next packet gets a fresh one,
 * and the slot holds it.
 */
static void route_flushed4(struct kunit *test)
{
	struct nfsec_sa_path path;
	struct dst_entry *a, *b;

	route_path_init(&path, AF_INET);
	a = route_get(test, &path, 0);
	rt_genid_bump_ipv4(&init_net);
	b = route_get(test, &path, 0);
	/* @a is still referenced: a new route cannot share its address. */
	KUNIT_EXPECT_PTR_NE(test, b, a);
	KUNIT_EXPECT_PTR_EQ(test, route_cached(&path), b);
	dst_release(a);
	dst_release(b);
	nfsec_route_cache_release(&path.route);
}

/*
 * IPv6: a change of the tables bumps the fib6 serial numbers, the cookie
 * of the cached route no longer checks and the route is looked up again
 * (it may be the same per-CPU copy, now with the new cookie).
 */
static void route_flushed6(struct kunit *test)
{
	struct nfsec_sa_path path;
	struct dst_entry *a, *b;
	u32 cookie;

	route_path_init(&path, AF_INET6);
	a = route_get(test, &path, 0);
	cookie = path.route.cookie;
	KUNIT_EXPECT_PTR_EQ(test, dst_check(a, cookie), a);
	rt_genid_bump_ipv6(&init_net);
	KUNIT_EXPECT_NULL(test, dst_check(a, cookie));
	b = route_get(test, &path, 0);
	KUNIT_EXPECT_NE(test, path.route.cookie, cookie);
	KUNIT_EXPECT_PTR_EQ(test, dst_check(b, path.route.cookie), b);
	dst_release(a);
	dst_release(b);
	nfsec_route_cache_release(&path.route);
}

static struct kunit_case nfsec_route_cases[] = {
	KUNIT_CASE(route_reuse4),
	KUNIT_CASE(route_reuse6),
	KUNIT_CASE(route_marked),
	KUNIT_CASE(route_flushed4),
	KUNIT_CASE(route_flushed6),
	{}
};

static struct kunit_suite nfsec_route_suite = {
	.name = "nfsec_route",
	.test_cases = nfsec_route_cases,
};
kunit_test_suite(nfsec_route_suite);
