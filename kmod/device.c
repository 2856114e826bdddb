// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace's nfsec device (nfsec0): where decapsulated packets re-enter
 * the stack.
 *
 * After ESP/AH input the inner packet must walk the IP stack again (routing,
 * conntrack, nftables, local delivery or forwarding) without being mistaken
 * for clear text that should have arrived protected. A module cannot add an
 * skb extension, skb->cb does not survive ip_rcv() and skb->mark belongs to
 * the administrator; the input device does survive, and nothing but nfsec can
 * make a packet arrive on this device: it has no transmit path into the stack,
 * cannot be created, deleted or moved by userspace (no rtnl_link_ops,
 * NETIF_F_NETNS_LOCAL), and exists exactly once per namespace. So "arrived on
 * nfsec0" means "passed an inbound SA, its selectors and the inbound SPD
 * checks" (Documentation/design.md, problem 1), and operators can write
 * nftables rules for decapsulated traffic with `iifname "nfsec0"`.
 */
#include <linux/if_arp.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include <net/gro_cells.h>
#include <net/if_inet6.h>
#include <net/netfilter/nf_conntrack.h>

#include "main.h"
#include "device.h"

/*
 * Decapsulated packets enter the stack through per-CPU GRO cells (a NAPI
 * context each, as IP tunnels and XFRM's tunnel input do): the segments of
 * a TCP stream are merged again before routing, forwarding and delivery,
 * which then run once per merged packet instead of once per segment. As
 * XFRM does, only packets that came in on a device with GRO on are merged.
 */
struct nfsec_dev {
	struct gro_cells gro_cells;
};

/*
 * Nothing is meant to be routed out through nfsec0 (policies, not routes,
 * decide what is protected): count and drop what an operator's route sends.
 */
static netdev_tx_t nfsec_dev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	DEV_STATS_INC(dev, tx_dropped);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static int nfsec_dev_init(struct net_device *dev)
{
	struct nfsec_dev *nd = netdev_priv(dev);
	int err;

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	err = gro_cells_init(&nd->gro_cells, dev);
	if (err) {
		free_percpu(dev->tstats);
		dev->tstats = NULL;
	}
	return err;
}

/* Under RTNL, once the device is down: also drops what the cells hold. */
static void nfsec_dev_uninit(struct net_device *dev)
{
	struct nfsec_dev *nd = netdev_priv(dev);

	gro_cells_destroy(&nd->gro_cells);
	free_percpu(dev->tstats);
}

static const struct net_device_ops nfsec_dev_ops = {
	.ndo_init = nfsec_dev_init,
	.ndo_uninit = nfsec_dev_uninit,
	.ndo_start_xmit = nfsec_dev_xmit,
	.ndo_get_stats64 = dev_get_tstats64,
};

static void nfsec_dev_setup(struct net_device *dev)
{
	dev->netdev_ops = &nfsec_dev_ops;
	dev->type = ARPHRD_NONE;
	dev->flags = IFF_NOARP;
	dev->priv_flags |= IFF_NO_QUEUE;
	dev->features |= NETIF_F_NETNS_LOCAL | NETIF_F_LLTX;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	/* Receive only: any size a decapsulated IP packet can have. */
	dev->mtu = IP_MAX_MTU;
	dev->min_mtu = IPV6_MIN_MTU;
	dev->max_mtu = IP_MAX_MTU;
	dev->needs_free_netdev = true;
}

/*
 * IPv6 must be on for nfsec0 (ip6_rcv() drops packets for a device without
 * it) but nothing may be sent from it: no link-local address, hence no DAD
 * and no MLD for it, and no router solicitation. Under RTNL.
 */
static void nfsec_dev_quiet_ipv6(struct net_device *dev)
{
#if IS_ENABLED(CONFIG_IPV6)
	struct inet6_dev *idev = __in6_dev_get(dev);

	if (!idev)
		return;
	idev->cnf.addr_gen_mode = IN6_ADDR_GEN_MODE_NONE;
	idev->cnf.rtr_solicits = 0;
	idev->cnf.accept_dad = 0;
#endif
}

int nfsec_dev_create(struct nfsec_net *nn)
{
	struct net_device *dev;
	int err;

	dev = alloc_netdev(sizeof(struct nfsec_dev), "nfsec%d", NET_NAME_ENUM,
			   nfsec_dev_setup);
	if (!dev)
		return -ENOMEM;
	dev_net_set(dev, nn->net);
	rtnl_lock();
	err = register_netdevice(dev);
	if (err) {
		rtnl_unlock();
		free_netdev(dev);
		return err;
	}
	nfsec_dev_quiet_ipv6(dev);
	/* Up: the GRO cells and the backlog drop packets for one down. */
	err = dev_open(dev, NULL);
	rtnl_unlock();
	if (err)
		pr_warn("%s: cannot set up: %d\n", dev->name, err);
	nn->dev = dev;
	return 0;
}

void nfsec_dev_destroy(struct nfsec_net *nn)
{
	if (!nn->dev)
		return;
	/* Also flushes its GRO cells and the backlogs of packets on it. */
	unregister_netdev(nn->dev);
	nn->dev = NULL;
}

/*
 * Into this CPU's GRO cell. It is a per-CPU queue without a lock, so BHs
 * must be off: they are in the hooks, and crypto drivers complete with them
 * off, but a driver completing in hard interrupt context gets the backlog.
 * @gro false: the backlog too, one packet at a time (nfsec_dev_rx()).
 */
static int nfsec_dev_rx_cell(struct net_device *dev, struct sk_buff *skb,
			     bool gro)
{
	struct nfsec_dev *nd = netdev_priv(dev);
	int ret;

	if (!gro || in_hardirq() || irqs_disabled())
		return netif_rx(skb);
	local_bh_disable();
	ret = gro_cells_receive(&nd->gro_cells, skb);
	local_bh_enable();
	return ret;
}

/*
 * Hand a decapsulated, checked packet (data at its IP header, skb->protocol
 * set) to the stack as if it arrived on nfsec0. Any context; consumes @skb.
 * Returns false if it was dropped (a full queue).
 */
bool nfsec_dev_rx(struct nfsec_net *nn, struct sk_buff *skb)
{
	struct net_device *dev = nn->dev;
	unsigned int len = skb->len;
	/*
	 * Merge only what arrived on a device with GRO on, as XFRM's GRO
	 * cells do (they ask the device the ESP packet came in on). Behind
	 * a device without it (a veth, by default) merging only thins out
	 * the receiver's ACKs, which pushes a TCP sender towards sending
	 * from softirq on every CPU: a stream reordered on the wire
	 * (Documentation/performance.md, "Reordering").
	 */
	bool gro = !skb->dev || !netif_elide_gro(skb->dev);

	skb_orphan(skb);
	skb_dst_drop(skb);
	/* The inner flow is a new flow for conntrack (as in XFRM tunnels). */
	nf_reset_ct(skb);
	skb->dev = dev;
	skb->pkt_type = PACKET_HOST;
	skb->skb_iif = dev->ifindex;
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	skb->mac_len = 0;
	skb_clear_hash(skb);
	/* A drop there is counted in the device's rx_dropped. */
	if (nfsec_dev_rx_cell(dev, skb, gro) != NET_RX_SUCCESS)
		return false;
	dev_sw_netstats_rx_add(dev, len);
	return true;
}
