// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace, per-CPU packet counters: the packet path increments only its
 * own CPU's copy, readers fold all copies under u64_stats retry loops.
 */
#include <linux/slab.h>

#include "main.h"
#include "stats.h"

struct nfsec_stats __percpu *nfsec_stats_alloc(void)
{
	struct nfsec_stats __percpu *stats;
	int cpu;

	stats = alloc_percpu(struct nfsec_stats);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);
	return stats;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_stats_alloc);

void nfsec_stats_free(struct nfsec_stats __percpu *stats)
{
	free_percpu(stats);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_stats_free);

static void nfsec_stats_read_cpu(const struct nfsec_stats *s,
				 struct nfsec_stats_total *snap)
{
	unsigned int start;
	int d, a;

	do {
		start = u64_stats_fetch_begin(&s->syncp);
		for (d = 0; d < __NFSEC_DIR_MAX; d++) {
			for (a = 0; a < __NFSEC_ACTION_MAX; a++)
				snap->verdict[d][a] = u64_stats_read(&s->verdict[d][a]);
			snap->nomatch[d] = u64_stats_read(&s->nomatch[d]);
		}
		for (d = 0; d < __NFSEC_DROP_MAX; d++)
			snap->drop[d] = u64_stats_read(&s->drop[d]);
		snap->cache_hit = u64_stats_read(&s->cache_hit);
		snap->cache_miss = u64_stats_read(&s->cache_miss);
	} while (u64_stats_fetch_retry(&s->syncp, start));
}

void nfsec_stats_fold(struct nfsec_stats __percpu *stats,
		      struct nfsec_stats_total *total)
{
	struct nfsec_stats_total snap;
	int cpu, d, a;

	memset(total, 0, sizeof(*total));
	for_each_possible_cpu(cpu) {
		nfsec_stats_read_cpu(per_cpu_ptr(stats, cpu), &snap);
		for (d = 0; d < __NFSEC_DIR_MAX; d++) {
			for (a = 0; a < __NFSEC_ACTION_MAX; a++)
				total->verdict[d][a] += snap.verdict[d][a];
			total->nomatch[d] += snap.nomatch[d];
		}
		for (d = 0; d < __NFSEC_DROP_MAX; d++)
			total->drop[d] += snap.drop[d];
		total->cache_hit += snap.cache_hit;
		total->cache_miss += snap.cache_miss;
	}
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_stats_fold);

void nfsec_stats_cpu(struct nfsec_stats __percpu *stats, int cpu,
		     struct nfsec_stats_total *snap)
{
	nfsec_stats_read_cpu(per_cpu_ptr(stats, cpu), snap);
}
