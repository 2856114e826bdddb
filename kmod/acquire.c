// SPDX-License-Identifier: GPL-2.0
/*
 * ACQUIRE: an outbound packet matched a PROTECT policy that has no SA.
 *
 * The first such packet for a (policy, PFP-populated selector) creates a
 * larval entry, is held in it and triggers one ACQUIRE event on the
 * "events" multicast group. Later packets for the same entry are held too,
 * up to NFSEC_LARVAL_QLEN, and dropped beyond (NFSEC_DROP_NO_SA); they
 * raise no new event. New entries are limited per namespace, in number
 * and per second, so that a flood of new flows cannot become an ACQUIRE
 * storm: beyond the limits packets are dropped and counted as suppressed.
 *
 * An entry ends exactly once: by its timer (held packets dropped as
 * NFSEC_DROP_ACQUIRE_TIMEOUT) or by a flush (policy deleted, SPD flushed or
 * replaced, namespace exit), whichever unhashes it first under the lock;
 * the flush waits for a running timer with del_timer_sync() before freeing.
 * Held packets are kept (NF_STOLEN); when an outbound SA with the policy's
 * reqid is added, nfsec_acquire_release() sends them again through
 * LOCAL_OUT, where they find their SA.
 */
#include <linux/jhash.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/netdevice.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "main.h"
#include "acquire.h"
#include "fault.h"
#include "netlink.h"

/* How long a larval entry waits for an SA; tests shorten it. */
static unsigned int larval_timeout_ms = NFSEC_LARVAL_TIMEOUT_MS;
module_param(larval_timeout_ms, uint, 0644);
MODULE_PARM_DESC(larval_timeout_ms,
		 "how long held packets wait for an SA after ACQUIRE (ms)");

void nfsec_acquire_init(struct nfsec_net *nn)
{
	struct nfsec_acquire *a = &nn->acquire;

	spin_lock_init(&a->lock);
	hash_init(a->table);
	a->window = jiffies;
}

static void nfsec_larval_free(struct nfsec_larval *l,
			      enum nfsec_drop_reason reason)
{
	struct nfsec_stats *st;
	struct sk_buff *skb;
	unsigned int n = 0;

	while ((skb = __skb_dequeue(&l->queue))) {
		kfree_skb(skb);
		n++;
	}
	if (n) {
		local_bh_disable();
		st = this_cpu_ptr(l->nn->stats);
		u64_stats_update_begin(&st->syncp);
		u64_stats_add(&st->drop[reason], n);
		u64_stats_update_end(&st->syncp);
		local_bh_enable();
	}
	kfree(l);
}

static void nfsec_larval_expire(struct timer_list *timer)
{
	struct nfsec_larval *l = from_timer(l, timer, timer);
	struct nfsec_acquire *a = &l->nn->acquire;

	spin_lock_bh(&a->lock);
	if (hlist_unhashed(&l->node)) {
		/* A flush owns it and waits for us in del_timer_sync(). */
		spin_unlock_bh(&a->lock);
		return;
	}
	hlist_del_init(&l->node);
	a->count--;
	spin_unlock_bh(&a->lock);
	nfsec_larval_free(l, NFSEC_DROP_ACQUIRE_TIMEOUT);
}

/* Drop the larval entries of one policy, or all (policy_id 0). */
void nfsec_acquire_flush(struct nfsec_net *nn, u32 policy_id)
{
	struct nfsec_acquire *a = &nn->acquire;
	struct nfsec_larval *l, *tmp;
	struct hlist_node *n;
	LIST_HEAD(dead);
	int bkt;

	spin_lock_bh(&a->lock);
	hash_for_each_safe(a->table, bkt, n, l, node) {
		if (policy_id && l->policy_id != policy_id)
			continue;
		hlist_del_init(&l->node);
		a->count--;
		list_add(&l->gc, &dead);
	}
	spin_unlock_bh(&a->lock);
	list_for_each_entry_safe(l, tmp, &dead, gc) {
		del_timer_sync(&l->timer);
		nfsec_larval_free(l, NFSEC_DROP_NO_SA);
	}
}

/* Send a held packet again from the start of LOCAL_OUT. */
static void nfsec_acquire_resend(struct nfsec_net *nn, struct sk_buff *skb)
{
	if (skb->protocol == htons(ETH_P_IP))
		ip_local_out(nn->net, skb->sk, skb);
	else
		ip6_local_out(nn->net, skb->sk, skb);
}

/*
 * An outbound SA with @reqid was added (process context): the packets held
 * for ACQUIREs of policies with that reqid go out again through LOCAL_OUT,
 * where the SPD now finds their SA (or, if its selectors do not cover them,
 * asks again). Their larval entries go: the next miss may ACQUIRE anew.
 */
void nfsec_acquire_release(struct nfsec_net *nn, u32 reqid)
{
	struct nfsec_acquire *a = &nn->acquire;
	struct nfsec_larval *l, *tmp;
	struct sk_buff_head held;
	struct hlist_node *n;
	struct sk_buff *skb;
	LIST_HEAD(done);
	int bkt;

	__skb_queue_head_init(&held);
	spin_lock_bh(&a->lock);
	hash_for_each_safe(a->table, bkt, n, l, node) {
		if (l->reqid != reqid)
			continue;
		hlist_del_init(&l->node);
		a->count--;
		list_add(&l->gc, &done);
	}
	spin_unlock_bh(&a->lock);
	list_for_each_entry_safe(l, tmp, &done, gc) {
		del_timer_sync(&l->timer);
		skb_queue_splice_tail_init(&l->queue, &held);
		nfsec_larval_free(l, NFSEC_DROP_NO_SA);
	}
	local_bh_disable();
	while ((skb = __skb_dequeue(&held)))
		nfsec_acquire_resend(nn, skb);
	local_bh_enable();
}

static u32 nfsec_larval_hash(u32 policy_id, const struct nfsec_tuple *key)
{
	return jhash2((const u32 *)key, sizeof(*key) / sizeof(u32), policy_id);
}

/* The larval key: the packet's tuple reduced to the PFP-populated fields. */
static void nfsec_larval_key(const struct nfsec_tuple *t, u8 pfp,
			     struct nfsec_tuple *key)
{
	memset(key, 0, sizeof(*key));
	key->family = t->family;
	key->dir = t->dir;
	if (pfp & NFSEC_PFP_SRC)
		key->src = t->src;
	if (pfp & NFSEC_PFP_DST)
		key->dst = t->dst;
	if (pfp & NFSEC_PFP_PROTO)
		key->proto = t->proto;
	if (pfp & NFSEC_PFP_SPORT)
		key->sport = t->sport;
	if (pfp & NFSEC_PFP_DPORT)
		key->dport = t->dport;
}

static bool nfsec_acquire_hold(struct nfsec_larval *l, struct sk_buff *skb)
{
	if (skb_queue_len(&l->queue) >= NFSEC_LARVAL_QLEN)
		return false;
	/* The route must outlive this hook: make the dst reference real. */
	if (!skb_dst_force(skb))
		return false;
	__skb_queue_tail(&l->queue, skb);
	return true;
}

/*
 * Called under RCU with BHs off for an outbound packet that matched a
 * PROTECT policy without an SA. Returns NF_STOLEN (held) or NF_DROP.
 */
unsigned int nfsec_acquire(struct nfsec_net *nn, const struct nfsec_spd *spd,
			   const struct nfsec_policy *pol,
			   const struct nfsec_tuple *t, struct sk_buff *skb)
{
	struct nfsec_stats *st = this_cpu_ptr(nn->stats);
	struct nfsec_acquire *a = &nn->acquire;
	struct nfsec_larval *l;
	struct nfsec_tuple key;
	struct nfsec_sel sel;
	bool held, notify = false;
	u32 h;

	nfsec_acquire_sel(spd, pol, t, &sel);
	nfsec_larval_key(t, sel.pfp, &key);
	h = nfsec_larval_hash(pol->id, &key);

	spin_lock(&a->lock);
	hash_for_each_possible(a->table, l, node, h) {
		if (l->policy_id == pol->id && !memcmp(&l->key, &key, sizeof(key))) {
			a->suppressed++;
			held = nfsec_acquire_hold(l, skb);
			spin_unlock(&a->lock);
			goto out;
		}
	}
	if (time_after(jiffies, a->window + HZ)) {
		a->window = jiffies;
		a->window_sent = 0;
	}
	held = false;
	if (a->count >= NFSEC_LARVAL_MAX ||
	    a->window_sent >= NFSEC_ACQUIRE_RATE) {
		a->suppressed++;
		spin_unlock(&a->lock);
		goto out;
	}
	l = nfsec_inject_alloc_failure() ? NULL :
		kzalloc(sizeof(*l), GFP_ATOMIC);
	if (!l) {
		spin_unlock(&a->lock);
		nfsec_stats_inc(&st->drop[NFSEC_DROP_NOMEM], st);
		return NF_DROP;
	}
	l->nn = nn;
	l->key = key;
	l->policy_id = pol->id;
	l->reqid = pol->ipsec.reqid;
	__skb_queue_head_init(&l->queue);
	timer_setup(&l->timer, nfsec_larval_expire, 0);
	hash_add(a->table, &l->node, h);
	a->count++;
	a->window_sent++;
	a->sent++;
	held = nfsec_acquire_hold(l, skb);
	mod_timer(&l->timer, jiffies +
		  msecs_to_jiffies(max(READ_ONCE(larval_timeout_ms), 10U)));
	notify = true;
	spin_unlock(&a->lock);

out:
	if (notify)
		nfsec_genl_acquire_notify(nn, pol, t, &sel);
	if (held)
		return NF_STOLEN;
	nfsec_stats_inc(&st->drop[NFSEC_DROP_NO_SA], st);
	return NF_DROP;
}

void nfsec_acquire_counters(struct nfsec_net *nn, u64 *sent, u64 *suppressed,
			    u32 *larval)
{
	struct nfsec_acquire *a = &nn->acquire;

	spin_lock_bh(&a->lock);
	*sent = a->sent;
	*suppressed = a->suppressed;
	*larval = a->count;
	spin_unlock_bh(&a->lock);
}

/*
 * Held packets reference routes (and, when forwarded, their input device)
 * of the namespace. A device going away must not wait for them: drop every
 * held packet of its namespace. Rare, and the next packet asks again.
 */
static int nfsec_acquire_netdev_event(struct notifier_block *nb,
				      unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event == NETDEV_UNREGISTER)
		nfsec_acquire_flush(nfsec_net(dev_net(dev)), 0);
	return NOTIFY_DONE;
}

static struct notifier_block nfsec_acquire_netdev_nb = {
	.notifier_call = nfsec_acquire_netdev_event,
};

int __init nfsec_acquire_module_init(void)
{
	return register_netdevice_notifier(&nfsec_acquire_netdev_nb);
}

void nfsec_acquire_module_exit(void)
{
	unregister_netdevice_notifier(&nfsec_acquire_netdev_nb);
}
