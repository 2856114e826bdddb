// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU SPD cache (RFC 4301 §4.4.1: "SPD cache").
 *
 * Why it cannot make a miss slower than no cache at all (the reason Linux
 * removed its XFRM flow cache in 4.14 was that, under many flows, misses
 * allocated entries, resized and garbage-collected tables and so cost more
 * than the lookup they were meant to save): a miss here is one jhash of the
 * tuple, two compares in this CPU's own set, the ordered lookup that would
 * have run anyway, and one 64-byte store into memory only this CPU writes.
 * There is no allocation, no lock, no shared cache line written, no
 * eviction list, no garbage collection and no flush on change: invalidation
 * is one generation store by the writer.
 *
 * Races: a reader loads the generation (acquire) before it reads the SPD
 * and stores the result tagged with that generation. A writer publishes its
 * change first and bumps the generation after (release); so a result
 * computed from an old SPD is always tagged with an old generation, and the
 * policy it points to, freed only after a grace period following the bump,
 * is never dereferenced through a stale entry. Readers run with BHs off, so
 * the same CPU cannot interleave two fills of its cache.
 *
 * Wrap: the generation is a u32, 0 marks an empty entry. When it would
 * wrap, the writer first clears every entry of every CPU and only then
 * publishes generation 1. Readers concurrently filling can only store the
 * pre-wrap value, which no longer matches; so an entry of the previous
 * epoch can never match a generation of the new one.
 */
#include <linux/jhash.h>
#include <linux/random.h>

#include "main.h"
#include "spd_cache.h"

static_assert(sizeof(struct nfsec_tuple) % sizeof(u32) == 0);

int nfsec_spd_cache_init(struct nfsec_net *nn)
{
	nn->cache = alloc_percpu(struct nfsec_spd_cache);
	if (!nn->cache)
		return -ENOMEM;
	nn->cache_seed = get_random_u32();
	return 0;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_spd_cache_init);

void nfsec_spd_cache_exit(struct nfsec_net *nn)
{
	free_percpu(nn->cache);
	nn->cache = NULL;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_spd_cache_exit);

static void nfsec_spd_cache_clear(struct nfsec_net *nn)
{
	int cpu, s, w;

	for_each_possible_cpu(cpu) {
		struct nfsec_spd_cache *c = per_cpu_ptr(nn->cache, cpu);

		for (s = 0; s < NFSEC_CACHE_SETS; s++)
			for (w = 0; w < NFSEC_CACHE_WAYS; w++)
				WRITE_ONCE(c->e[s][w].gen, 0);
	}
}

/* After every SPD change, with nn->lock held. */
void nfsec_spd_bump_gen(struct nfsec_net *nn)
{
	u32 gen = nn->gen + 1;

	lockdep_assert_held(&nn->lock);
	if (unlikely(!gen)) {
		nfsec_spd_cache_clear(nn);
		gen = 1;
	}
	/* Pairs with the acquire in the lookup: the change is visible first. */
	smp_store_release(&nn->gen, gen);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_spd_bump_gen);

/*
 * The SPD lookup of the packet path: BHs off and under rcu_read_lock(). *spdp is the
 * SPD the result belongs to (for ACQUIRE's decorrelation).
 */
const struct nfsec_policy *nfsec_spd_cached_lookup(struct nfsec_net *nn,
						   const struct nfsec_tuple *t,
						   const struct nfsec_spd **spdp)
{
	struct nfsec_stats *st = this_cpu_ptr(nn->stats);
	struct nfsec_spd_cache *c = this_cpu_ptr(nn->cache);
	const struct nfsec_policy *pol;
	struct nfsec_cache_entry *set;
	const struct nfsec_spd *spd;
	u32 gen, h;

	/* Pairs with the bump's release: the SPD read is at least as new. */
	gen = smp_load_acquire(&nn->gen);
	spd = rcu_dereference(nn->spd);
	*spdp = spd;
	h = jhash2((const u32 *)t, sizeof(*t) / sizeof(u32), nn->cache_seed);
	set = c->e[h & (NFSEC_CACHE_SETS - 1)];
	if (set[0].gen == gen && !memcmp(&set[0].t, t, sizeof(*t))) {
		nfsec_stats_inc(&st->cache_hit, st);
		return set[0].pol;
	}
	if (set[1].gen == gen && !memcmp(&set[1].t, t, sizeof(*t))) {
		nfsec_stats_inc(&st->cache_hit, st);
		pol = set[1].pol;
		/* Most recently used first. */
		swap(set[0], set[1]);
		return pol;
	}
	nfsec_stats_inc(&st->cache_miss, st);
	pol = nfsec_spd_lookup(spd, t);
	set[1] = set[0];
	set[0].t = *t;
	set[0].pol = pol;
	set[0].gen = gen;
	return pol;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_spd_cached_lookup);
