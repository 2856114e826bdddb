/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_MAIN_H
#define _NFSEC_MAIN_H

#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "stats.h"

/* Everything nfsec keeps per network namespace. */
struct nfsec_net {
	struct net *net;
	struct nfsec_stats __percpu *stats;
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
