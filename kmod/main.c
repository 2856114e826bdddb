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
#include "spd_cache.h"
#include "acquire.h"
#include "fault.h"
#include "sad.h"
#include "device.h"
#include "encap.h"
#include "output.h"

unsigned int nfsec_net_id __read_mostly;

static int __net_init nfsec_net_init(struct net *net)
{
	struct nfsec_net *nn = nfsec_net(net);
	int err;

	nn->net = net;
	mutex_init(&nn->encap_lock);
	INIT_LIST_HEAD(&nn->encap_socks);
	nn->stats = nfsec_stats_alloc();
	if (!nn->stats)
		return -ENOMEM;
	err = nfsec_spd_net_init(nn);
	if (err)
		goto free_stats;
	err = nfsec_spd_cache_init(nn);
	if (err)
		goto free_spd;
	nfsec_acquire_init(nn);
	nn->sad = nfsec_sad_create(net, nfsec_genl_sa_expire, nn);
	if (!nn->sad) {
		err = -ENOMEM;
		goto free_cache;
	}
	err = nfsec_output_init(nn);
	if (err)
		goto free_sad;
	err = nfsec_dev_create(nn);
	if (err)
		goto free_output;
	err = nfsec_nf_hooks_register(net);
	if (err)
		goto free_dev;
	return 0;

free_dev:
	nfsec_dev_destroy(nn);
free_output:
	nfsec_output_exit(nn);
free_sad:
	nfsec_sad_destroy(nn->sad);
free_cache:
	nfsec_spd_cache_exit(nn);
free_spd:
	nfsec_spd_net_exit(nn);
free_stats:
	nfsec_stats_free(nn->stats);
	return err;
}

static void __net_exit nfsec_net_exit(struct net *net)
{
	struct nfsec_net *nn = nfsec_net(net);

	/* After this (it waits for running hooks) no packet reaches nn. */
	nfsec_nf_hooks_unregister(net);
	nfsec_encap_close_all(nn);
	nfsec_acquire_flush(nn, 0);
	/* Waits for transforms in flight, which still send and receive. */
	nfsec_sad_destroy(nn->sad);
	nfsec_output_exit(nn);
	nfsec_dev_destroy(nn);
	nfsec_spd_cache_exit(nn);
	nfsec_spd_net_exit(nn);
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

	nfsec_fault_init();
	err = nfsec_spd_module_init();
	if (err)
		goto fault_exit;
	/*
	 * A pernet *device*: a namespace's init runs after the loopback
	 * device exists (it must be ifindex 1; nfsec0 comes later) and its exit
	 * runs before the namespace's devices are dismantled.
	 */
	err = register_pernet_device(&nfsec_net_ops);
	if (err)
		goto spd_exit;
	err = nfsec_acquire_module_init();
	if (err)
		goto unregister_pernet;
	err = nfsec_genl_init();
	if (err)
		goto acquire_exit;
	pr_info("loaded\n");
	return 0;

acquire_exit:
	nfsec_acquire_module_exit();
unregister_pernet:
	unregister_pernet_device(&nfsec_net_ops);
spd_exit:
	rcu_barrier();
	nfsec_spd_module_exit();
fault_exit:
	nfsec_fault_exit();
	return err;
}

static void __exit nfsec_exit(void)
{
	nfsec_genl_uninit();
	nfsec_acquire_module_exit();
	unregister_pernet_device(&nfsec_net_ops);
	/* Wait for call_rcu()/kfree_rcu() callbacks queued by this module. */
	rcu_barrier();
	nfsec_spd_module_exit();
	nfsec_fault_exit();
}

module_init(nfsec_init);
module_exit(nfsec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfsec: RFC 4301 IPsec on netfilter");
MODULE_AUTHOR("The nfsec developers");
MODULE_ALIAS_GENL_FAMILY(NFSEC_GENL_NAME);
