/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_ACQUIRE_H
#define _NFSEC_ACQUIRE_H

#include <linux/hashtable.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#include "spd.h"

/* How long a larval entry waits for its SA, and what it holds meanwhile. */
#define NFSEC_LARVAL_TIMEOUT_MS	30000	/* module parameter larval_timeout_ms */
#define NFSEC_LARVAL_QLEN	4
#define NFSEC_LARVAL_MAX	1024	/* per namespace */
#define NFSEC_ACQUIRE_RATE	64	/* new ACQUIREs per second and namespace */

/*
 * Pending ACQUIREs of one namespace: larval entries keyed by (policy id,
 * PFP-populated selector), each with a few held packets and a timer.
 */
struct nfsec_acquire {
	spinlock_t lock;		/* the table and the counters below */
	DECLARE_HASHTABLE(table, 8);
	unsigned long window;		/* start of the rate-limit second */
	unsigned int window_sent;
	unsigned int count;
	u64 sent;
	u64 suppressed;
};

struct nfsec_larval {
	struct hlist_node node;		/* in table; unhashed once owned */
	struct list_head gc;
	struct timer_list timer;
	struct sk_buff_head queue;
	struct nfsec_net *nn;
	struct nfsec_tuple key;
	u32 policy_id;
	u32 reqid;			/* the policy's, to match new SAs */
};

int nfsec_acquire_module_init(void);
void nfsec_acquire_module_exit(void);
void nfsec_acquire_init(struct nfsec_net *nn);
void nfsec_acquire_flush(struct nfsec_net *nn, u32 policy_id);
unsigned int nfsec_acquire(struct nfsec_net *nn, const struct nfsec_spd *spd,
			   const struct nfsec_policy *pol,
			   const struct nfsec_tuple *t, struct sk_buff *skb);
void nfsec_acquire_release(struct nfsec_net *nn, u32 reqid);
void nfsec_acquire_counters(struct nfsec_net *nn, u64 *sent, u64 *suppressed,
			    u32 *larval);

#endif /* _NFSEC_ACQUIRE_H */
