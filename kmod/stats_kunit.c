// SPDX-License-Identifier: GPL-2.0
/* KUnit: per-CPU counters fold to the right totals. */
#include <kunit/test.h>

#include "main.h"
#include "stats.h"

static void stats_fold_sums_every_cpu(struct kunit *test)
{
	struct nfsec_stats __percpu *stats = nfsec_stats_alloc();
	struct nfsec_stats_total total;
	unsigned int cpus = 0;
	int cpu;

	KUNIT_ASSERT_NOT_NULL(test, stats);
	for_each_possible_cpu(cpu) {
		struct nfsec_stats *s = per_cpu_ptr(stats, cpu);

		/* A distinct amount per CPU so a missed CPU changes the sum. */
		u64_stats_add(&s->nomatch[NFSEC_DIR_IN], cpu + 1);
		u64_stats_add(&s->verdict[NFSEC_DIR_OUT][NFSEC_ACTION_DISCARD], 2);
		u64_stats_add(&s->drop[NFSEC_DROP_UNPROTECTED], 1);
		cpus++;
	}
	nfsec_stats_fold(stats, &total);
	KUNIT_EXPECT_EQ(test, total.nomatch[NFSEC_DIR_IN],
			(u64)cpus * (cpus + 1) / 2);
	KUNIT_EXPECT_EQ(test, total.verdict[NFSEC_DIR_OUT][NFSEC_ACTION_DISCARD],
			(u64)cpus * 2);
	KUNIT_EXPECT_EQ(test, total.drop[NFSEC_DROP_UNPROTECTED], (u64)cpus);
	KUNIT_EXPECT_EQ(test, total.nomatch[NFSEC_DIR_OUT], 0ULL);
	nfsec_stats_free(stats);
}

static void stats_inc_counts_on_this_cpu(struct kunit *test)
{
	struct nfsec_stats __percpu *stats = nfsec_stats_alloc();
	struct nfsec_stats_total total;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, stats);
	for (i = 0; i < 5; i++)
		nfsec_stats_nomatch(stats, NFSEC_DIR_FWD);
	nfsec_stats_fold(stats, &total);
	KUNIT_EXPECT_EQ(test, total.nomatch[NFSEC_DIR_FWD], 5ULL);
	KUNIT_EXPECT_EQ(test, total.nomatch[NFSEC_DIR_IN], 0ULL);
	nfsec_stats_free(stats);
}

static struct kunit_case nfsec_stats_cases[] = {
	KUNIT_CASE(stats_fold_sums_every_cpu),
	KUNIT_CASE(stats_inc_counts_on_this_cpu),
	{}
};

static struct kunit_suite nfsec_stats_suite = {
	.name = "nfsec_stats",
	.test_cases = nfsec_stats_cases,
};
kunit_test_suite(nfsec_stats_suite);
