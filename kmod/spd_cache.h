/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_SPD_CACHE_H
#define _NFSEC_SPD_CACHE_H

#include "spd.h"

/*
 * The per-CPU SPD cache: exact packet tuples -> the policy the ordered SPD
 * returned for them (or none), 2-way set associative, one per CPU and
 * namespace. An entry is valid only while its generation equals the
 * namespace's; any SPD change bumps the generation and so invalidates every
 * entry of every CPU at once.
 */
#define NFSEC_CACHE_SETS	128
#define NFSEC_CACHE_WAYS	2

struct nfsec_cache_entry {
	struct nfsec_tuple t;
	const struct nfsec_policy *pol;
	u32 gen;			/* 0: empty */
};

struct nfsec_spd_cache {
	struct nfsec_cache_entry e[NFSEC_CACHE_SETS][NFSEC_CACHE_WAYS];
};

int nfsec_spd_cache_init(struct nfsec_net *nn);
void nfsec_spd_cache_exit(struct nfsec_net *nn);
void nfsec_spd_bump_gen(struct nfsec_net *nn);
const struct nfsec_policy *nfsec_spd_cached_lookup(struct nfsec_net *nn,
						   const struct nfsec_tuple *t,
						   const struct nfsec_spd **spdp);

#endif /* _NFSEC_SPD_CACHE_H */
