/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_STATS_H
#define _NFSEC_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/nfsec.h>

/*
 * Per-CPU packet counters of one namespace. Written only by the CPU that owns
 * them (with BHs off or from softirq), summed over CPUs when read.
 */
struct nfsec_stats {
	struct u64_stats_sync syncp;
	u64_stats_t verdict[__NFSEC_DIR_MAX][__NFSEC_ACTION_MAX];
	u64_stats_t nomatch[__NFSEC_DIR_MAX];
	u64_stats_t drop[__NFSEC_DROP_MAX];
	u64_stats_t cache_hit;
	u64_stats_t cache_miss;
};

/* The same counters, folded over all CPUs. */
struct nfsec_stats_total {
	u64 verdict[__NFSEC_DIR_MAX][__NFSEC_ACTION_MAX];
	u64 nomatch[__NFSEC_DIR_MAX];
	u64 drop[__NFSEC_DROP_MAX];
	u64 cache_hit;
	u64 cache_miss;
};

struct nfsec_stats __percpu *nfsec_stats_alloc(void);
void nfsec_stats_free(struct nfsec_stats __percpu *stats);
void nfsec_stats_fold(struct nfsec_stats __percpu *stats,
		      struct nfsec_stats_total *total);
void nfsec_stats_cpu(struct nfsec_stats __percpu *stats, int cpu,
		     struct nfsec_stats_total *snap);

static inline void nfsec_stats_inc(u64_stats_t *counter,
				   struct nfsec_stats *stats)
{
	u64_stats_update_begin(&stats->syncp);
	u64_stats_inc(counter);
	u64_stats_update_end(&stats->syncp);
}

/* Count a packet that no policy matched (default BYPASS). */
static inline void nfsec_stats_nomatch(struct nfsec_stats __percpu *stats,
				       enum nfsec_dir dir)
{
	struct nfsec_stats *s = get_cpu_ptr(stats);

	nfsec_stats_inc(&s->nomatch[dir], s);
	put_cpu_ptr(stats);
}

/* Count a drop from any context (transform completions run in process
 * context with asynchronous crypto). */
static inline void nfsec_stats_drop(struct nfsec_stats __percpu *stats,
				    enum nfsec_drop_reason reason)
{
	struct nfsec_stats *s = get_cpu_ptr(stats);

	nfsec_stats_inc(&s->drop[reason], s);
	put_cpu_ptr(stats);
}

#endif /* _NFSEC_STATS_H */
