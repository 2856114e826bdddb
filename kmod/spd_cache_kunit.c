// SPDX-License-Identifier: GPL-2.0
/* KUnit: the per-CPU SPD cache: hits, misses, invalidation, wrap. */
#include <kunit/test.h>
#include <linux/in.h>

#include "main.h"
#include "spd.h"
#include "spd_cache.h"

static int cache_init(struct kunit *test)
{
	struct nfsec_net *nn = kunit_kzalloc(test, sizeof(*nn), GFP_KERNEL);
	struct nfsec_spd *spd;

	KUNIT_ASSERT_NOT_NULL(test, nn);
	nn->stats = nfsec_stats_alloc();
	KUNIT_ASSERT_NOT_NULL(test, nn->stats);
	spd = nfsec_spd_alloc();
	KUNIT_ASSERT_NOT_NULL(test, spd);
	RCU_INIT_POINTER(nn->spd, spd);
	mutex_init(&nn->lock);
	nn->gen = 1;
	nn->next_id = 1;
	nn->next_seq = 1;
	KUNIT_ASSERT_EQ(test, nfsec_spd_cache_init(nn), 0);
	test->priv = nn;
	return 0;
}

static void cache_exit(struct kunit *test)
{
	struct nfsec_net *nn = test->priv;

	nfsec_spd_cache_exit(nn);
	nfsec_spd_destroy(rcu_dereference_protected(nn->spd, true));
	nfsec_stats_free(nn->stats);
}

static struct nfsec_policy *cache_add(struct kunit *test, u32 dst, u32 prio,
				      u8 action)
{
	struct nfsec_net *nn = test->priv;
	struct nfsec_policy_spec spec = {};
	struct nfsec_policy *pol;

	spec.family = AF_INET;
	spec.dir = NFSEC_DIR_OUT;
	spec.action = action;
	spec.priority = prio;
	spec.sel.flags = NFSEC_SEL_F_DST | NFSEC_SEL_F_DST_PREFIX;
	spec.sel.dst.plen = 32;
	spec.sel.dst.start.ip = htonl(dst);
	spec.sel.dst.end.ip = htonl(dst);
	pol = nfsec_policy_create(&spec);
	KUNIT_ASSERT_NOT_NULL(test, pol);
	mutex_lock(&nn->lock);
	KUNIT_ASSERT_EQ(test, nfsec_spd_insert(rcu_dereference_protected(nn->spd,
									 true),
					       pol, &nn->next_id, nn->next_seq++),
			0);
	nfsec_spd_bump_gen(nn);
	mutex_unlock(&nn->lock);
	return pol;
}

static const struct nfsec_policy *cached(struct kunit *test, u32 dst)
{
	struct nfsec_net *nn = test->priv;
	const struct nfsec_policy *pol;
	const struct nfsec_spd *spd;
	struct nfsec_tuple t = {};

	t.family = AF_INET;
	t.dir = NFSEC_DIR_OUT;
	t.proto = IPPROTO_UDP;
	t.src.ip = htonl(0x01020304);
	t.dst.ip = htonl(dst);
	t.sport = 1000;
	t.dport = 53;
	local_bh_disable();
	rcu_read_lock();
	pol = nfsec_spd_cached_lookup(nn, &t, &spd);
	rcu_read_unlock();
	local_bh_enable();
	return pol;
}

static void counts(struct kunit *test, u64 *hit, u64 *miss)
{
	struct nfsec_net *nn = test->priv;
	struct nfsec_stats_total tot;

	nfsec_stats_fold(nn->stats, &tot);
	*hit = tot.cache_hit;
	*miss = tot.cache_miss;
}

/*
 * The cache is per CPU: a test that migrates between two lookups would see
 * a miss where it expects a hit. Pin the task for the checks.
 */
#define PINNED(stmt) do { migrate_disable(); stmt; migrate_enable(); } while (0)

static void cache_hit_miss(struct kunit *test)
{
	struct nfsec_policy *pol = cache_add(test, 0x0a000001, 10,
					     NFSEC_ACTION_BYPASS);
	u64 hit, miss;

	PINNED({
		KUNIT_EXPECT_PTR_EQ(test, cached(test, 0x0a000001), pol);
		KUNIT_EXPECT_PTR_EQ(test, cached(test, 0x0a000001), pol);
		KUNIT_EXPECT_PTR_EQ(test, cached(test, 0x0a000001), pol);
		/* "No match" is cached too. */
		KUNIT_EXPECT_NULL(test, cached(test, 0x0a000002));
		KUNIT_EXPECT_NULL(test, cached(test, 0x0a000002));
	});
	counts(test, &hit, &miss);
	KUNIT_EXPECT_EQ(test, hit, 3ULL);
	KUNIT_EXPECT_EQ(test, miss, 2ULL);
}

/* Any SPD change invalidates every entry: the next lookup sees it. */
static void cache_invalidation(struct kunit *test)
{
	struct nfsec_net *nn = test->priv;
	struct nfsec_policy *p1, *p2;
	u64 hit, miss;
	u32 gen;

	p1 = cache_add(test, 0x0a000001, 10, NFSEC_ACTION_BYPASS);
	PINNED({
		KUNIT_EXPECT_PTR_EQ(test, cached(test, 0x0a000001), p1);
		KUNIT_EXPECT_NULL(test, cached(test, 0x0a000009));
		gen = nn->gen;
		p2 = cache_add(test, 0x0a000001, 5, NFSEC_ACTION_DISCARD);
		KUNIT_EXPECT_EQ(test, nn->gen, gen + 1);
		KUNIT_EXPECT_PTR_EQ(test, cached(test, 0x0a000001), p2);
		/* Adding a policy for .9 must end the cached "no match". */
		p1 = cache_add(test, 0x0a000009, 10, NFSEC_ACTION_BYPASS);
		KUNIT_EXPECT_PTR_EQ(test, cached(test, 0x0a000009), p1);
	});
	counts(test, &hit, &miss);
	KUNIT_EXPECT_EQ(test, hit, 0ULL);
	KUNIT_EXPECT_EQ(test, miss, 4ULL);
}

/* A full set evicts its least recently used way; others stay. */
static void cache_two_ways(struct kunit *test)
{
	struct nfsec_net *nn = test->priv;
	u64 hit, miss;
	u32 i;

	cache_add(test, 0x0a000001, 10, NFSEC_ACTION_BYPASS);
	PINNED({
		for (i = 0; i < 4 * NFSEC_CACHE_SETS; i++)
			cached(test, 0x0b000000 + i);
		for (i = 0; i < 4 * NFSEC_CACHE_SETS; i++)
			cached(test, 0x0b000000 + i);
	});
	counts(test, &hit, &miss);
	/* 512 flows in 256 slots: at least the first pass misses. */
	KUNIT_EXPECT_GE(test, miss, 4ULL * NFSEC_CACHE_SETS);
	KUNIT_EXPECT_EQ(test, hit + miss, 8ULL * NFSEC_CACHE_SETS);
	(void)nn;
}

/*
 * Generation wrap: an entry stored at generation G must not match when the
 * counter comes round to G again, and 0 (empty) is never a generation.
 */
static void cache_generation_wrap(struct kunit *test)
{
	struct nfsec_net *nn = test->priv;
	struct nfsec_policy *p1, *p2;
	int cpu, s, w;

	p1 = cache_add(test, 0x0a000001, 10, NFSEC_ACTION_BYPASS);
	KUNIT_ASSERT_EQ(test, nn->gen, 2U);
	/* Pretend 2^32 - 3 changes went by without touching this entry. */
	PINNED({
		KUNIT_EXPECT_PTR_EQ(test, cached(test, 0x0a000001), p1);
		mutex_lock(&nn->lock);
		nn->gen = U32_MAX - 1;
		mutex_unlock(&nn->lock);
		p2 = cache_add(test, 0x0a000001, 5, NFSEC_ACTION_DISCARD);
		KUNIT_EXPECT_EQ(test, nn->gen, U32_MAX);
		KUNIT_EXPECT_PTR_EQ(test, cached(test, 0x0a000001), p2);
		mutex_lock(&nn->lock);
		nfsec_spd_bump_gen(nn);		/* wraps: 0 is skipped */
		KUNIT_EXPECT_EQ(test, nn->gen, 1U);
		nfsec_spd_bump_gen(nn);
		KUNIT_EXPECT_EQ(test, nn->gen, 2U);
		mutex_unlock(&nn->lock);
		/* The entry stored at generation 2 long ago is gone. */
		KUNIT_EXPECT_PTR_EQ(test, cached(test, 0x0a000001), p2);
	});
	for_each_possible_cpu(cpu) {
		struct nfsec_spd_cache *c = per_cpu_ptr(nn->cache, cpu);

		for (s = 0; s < NFSEC_CACHE_SETS; s++)
			for (w = 0; w < NFSEC_CACHE_WAYS; w++)
				KUNIT_EXPECT_TRUE(test, c->e[s][w].gen <= 2);
	}
}

static struct kunit_case nfsec_spd_cache_cases[] = {
	KUNIT_CASE(cache_hit_miss),
	KUNIT_CASE(cache_invalidation),
	KUNIT_CASE(cache_two_ways),
	KUNIT_CASE(cache_generation_wrap),
	{}
};

static struct kunit_suite nfsec_spd_cache_suite = {
	.name = "nfsec_spd_cache",
	.init = cache_init,
	.exit = cache_exit,
	.test_cases = nfsec_spd_cache_cases,
};
kunit_test_suite(nfsec_spd_cache_suite);
