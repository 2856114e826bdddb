/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_MAIN_H
#define _NFSEC_MAIN_H

#include <linux/mutex.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "stats.h"
#include "spd.h"
#include "acquire.h"

struct nfsec_spd_cache;
struct nfsec_sad;

#define NFSEC_ENCAP_PORTS	8	/* ESP-in-UDP ports per namespace */
struct net_device;
struct sock;

/* Everything nfsec keeps per network namespace. */
struct nfsec_net {
	struct net *net;
	struct nfsec_stats __percpu *stats;
	struct nfsec_spd_cache __percpu *cache;
	struct nfsec_spd __rcu *spd;
	struct mutex lock;		/* SPD writers */
	u32 gen;			/* SPD generation, never 0 */
	u32 next_id;			/* policy ids, under lock */
	u64 next_seq;			/* insertion order, under lock */
	u32 cache_seed;
	struct nfsec_acquire acquire;
	struct nfsec_sad *sad;
	struct net_device *dev;		/* nfsec0: decapsulated packets */
	struct sock *xmit_sk4;		/* the sender of nfsec's own output */
	struct sock *xmit_sk6;
	struct mutex encap_lock;	/* encap_socks */
	struct list_head encap_socks;	/* ESP in UDP, see encap.c */
	__be16 encap_ports[NFSEC_ENCAP_PORTS];	/* their ports, for the hook */
};

extern unsigned int nfsec_net_id;

static inline struct nfsec_net *nfsec_net(const struct net *net)
{
	return net_generic(net, nfsec_net_id);
}

/*
 * Internals that the KUnit module (nfsec_kunit.ko) tests are exported only
 * when the kernel has KUnit, and only to modules importing NFSEC_KUNIT.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#define NFSEC_EXPORT_FOR_KUNIT(sym) EXPORT_SYMBOL_NS_GPL(sym, NFSEC_KUNIT)
#else
#define NFSEC_EXPORT_FOR_KUNIT(sym)
#endif

#endif /* _NFSEC_MAIN_H */
