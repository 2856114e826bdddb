// SPDX-License-Identifier: GPL-2.0
/*
 * nfsec: an RFC 4301 IPsec stack on netfilter, with its own SPD and SAD.
 *
 * Module and namespace life cycle. Per-namespace state (struct nfsec_net) is
 * created with the namespace and destroyed with it; the netlink family is
 * registered last and unregistered first, so no request can reach a namespace
 * that is being set up or torn down.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "main.h"
#include "netlink.h"
#include "nf_hooks.h"

unsigned int nfsec_net_id __read_mostly;

static int __net_init nfsec_net_init(struct net *net)
{
	struct nfsec_net *nn = nfsec_net(net);
	int err;

	nn->net = net;
	nn->stats = nfsec_stats_alloc();
	if (!nn->stats)
		return -ENOMEM;
	err = nfsec_nf_hooks_register(net);
	if (err)
		goto free_stats;
	return 0;

free_stats:
	nfsec_stats_free(nn->stats);
	return err;
}

static void __net_exit nfsec_net_exit(struct net *net)
{
	struct nfsec_net *nn = nfsec_net(net);

	nfsec_nf_hooks_unregister(net);
	nfsec_stats_free(nn->stats);
}

static struct pernet_operations nfsec_net_ops = {
	.init = nfsec_net_init,
	.exit = nfsec_net_exit,
	.id = &nfsec_net_id,
	.size = sizeof(struct nfsec_net),
};

static int __init nfsec_init(void)
{
	int err;

	err = register_pernet_subsys(&nfsec_net_ops);
	if (err)
		return err;
	err = nfsec_genl_init();
	if (err)
		goto unregister_pernet;
	pr_info("loaded\n");
	return 0;

unregister_pernet:
	unregister_pernet_subsys(&nfsec_net_ops);
	return err;
}

static void __exit nfsec_exit(void)
{
	nfsec_genl_uninit();
	unregister_pernet_subsys(&nfsec_net_ops);
	/* Wait for call_rcu()/kfree_rcu() callbacks queued by this module. */
	rcu_barrier();
}

module_init(nfsec_init);
module_exit(nfsec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfsec: RFC 4301 IPsec on netfilter");
MODULE_AUTHOR("The nfsec developers");
MODULE_ALIAS_GENL_FAMILY(NFSEC_GENL_NAME);
