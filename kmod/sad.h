/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_SAD_H
#define _NFSEC_SAD_H

#include <linux/in6.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <crypto/aead.h>
#include <crypto/hash.h>
#include <linux/nfsec.h>
#include <net/ipv6.h>

#include "replay.h"
#include "route.h"

#define NFSEC_SAD_HBITS		10

union nfsec_addr {
	__be32 a4;
	struct in6_addr a6;
};

/* Inner traffic selectors of the SA (RFC 4301 §4.4.2.1). Ranges inclusive. */
struct nfsec_sa_sel {
	union nfsec_addr saddr_lo, saddr_hi;
	union nfsec_addr daddr_lo, daddr_hi;
	u16 family;		/* AF_UNSPEC: any */
	u8 proto;		/* 0: any */
	u16 sport_lo, sport_hi;
	u16 dport_lo, dport_hi;
};

/* Soft or hard limits; 0 means none. */
struct nfsec_sa_lifetime {
	u64 bytes;
	u64 packets;
	u64 add_seconds;
	u64 use_seconds;
};

/*
 * The path of an SA: what MOBIKE (RFC 4555) may change on a live SA. The
 * packet path reads it under RCU; an update publishes a new copy, with a
 * route cache of its own (route.c; unused in the copy a request fills).
 */
struct nfsec_sa_path {
	union nfsec_addr saddr;
	union nfsec_addr daddr;
	u16 family;
	__be16 encap_sport;	/* ESP in UDP (RFC 3948) when dport != 0 */
	__be16 encap_dport;
	struct nfsec_route_cache route;	/* tunnel mode, outbound */
	struct rcu_head rcu;
};

/* What an SA is created from (the netlink layer fills it). */
struct nfsec_sa_cfg {
	__be32 spi;
	u8 proto;		/* IPPROTO_ESP or IPPROTO_AH */
	u8 mode;		/* enum nfsec_mode */
	u8 dir;			/* enum nfsec_dir: IN or OUT */
	u8 df;			/* enum nfsec_df */
	u8 dscp;		/* with NFSEC_SA_F_DSCP_SET */
	u32 flags;		/* enum nfsec_sa_flag */
	u32 owner;		/* NFSEC_SA_F_OWNED: the adding socket's portid */
	u32 reqid;
	u32 replay_window;
	u32 tfc_pad;		/* outbound: pad payloads to this length */
	u32 mtu;		/* path MTU; 0: from the route */
	u64 seq;		/* outbound: last sequence number used */
	struct nfsec_sa_path path;
	struct nfsec_sa_sel sel;
	struct nfsec_sa_lifetime soft, hard;
	/* ESP: aead_name, or enc_name (+ auth_name); AH: auth_name. */
	char aead_name[NFSEC_ALG_NAME_MAX];
	char enc_name[NFSEC_ALG_NAME_MAX];
	char auth_name[NFSEC_ALG_NAME_MAX];
	u8 enc_key[NFSEC_KEY_MAX];	/* AEAD: key then 4-byte salt */
	u8 auth_key[NFSEC_KEY_MAX];
	u16 enc_keylen;
	u16 auth_keylen;
	u16 icv_len;		/* bytes: AEAD tag or truncated HMAC */
	bool raw_iv;		/* KUnit only: no IV generator, fixed IV */
};

struct nfsec_sa_pcpu {
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
	u64_stats_t drop[__NFSEC_SA_DROP_MAX];
};

struct nfsec_sa_stats {
	u64 packets;
	u64 bytes;
	u64 drop[__NFSEC_SA_DROP_MAX];
};

enum nfsec_sa_state_bits {
	NFSEC_SA_LARVAL,	/* an SPI reservation, no keys */
	NFSEC_SA_DEAD,		/* not (or no longer) in the SAD */
	NFSEC_SA_SOFT_FIRED,	/* the soft expire event was sent */
	NFSEC_SA_HARD_HIT,	/* a hard limit was reached */
	NFSEC_SA_USED,		/* first use recorded */
	NFSEC_SA_SOFT_HIT,	/* the packet path asks for a soft expire */
};

struct nfsec_sad;

/*
 * One SA (RFC 4301 §4.4.2). Everything but @path, @mtu, @pmtu, the counters
 * and the state bits is fixed once the SA is in the SAD. The SAD holds one
 * reference; the packet path takes its own (nfsec_sa_get) to keep the SA
 * across asynchronous crypto. The last put frees it after an RCU grace
 * period, in process context, keys zeroed.
 */
struct nfsec_sa {
	struct hlist_node hnode;	/* sad->hash, by SPI */
	struct hlist_node onode;	/* sad->out_hash, by reqid (outbound) */
	struct list_head list;		/* sad->all */
	refcount_t ref;
	unsigned long state;		/* enum nfsec_sa_state_bits */
	u8 soft_reason, hard_reason;	/* enum nfsec_expire_reason */
	unsigned long mapping_at;	/* jiffies of the last MAPPING event */
	struct nfsec_sad *sad;
	struct nfsec_sa_path __rcu *path;
	struct nfsec_sa_pcpu __percpu *pcpu;

	__be32 spi;
	u8 proto;
	u8 mode;
	u8 dir;
	u8 df;
	u8 dscp;
	u32 flags;
	u32 owner;			/* portid of the owning socket, or 0 */
	u32 reqid;
	u32 tfc_pad;
	u32 mtu;
	/* Outbound: the path MTU ICMP reported, until it expires (pmtu.c). */
	u32 pmtu;
	unsigned long pmtu_expires;	/* jiffies */

	/* Crypto: ESP uses @aead, AH @ahash. */
	struct crypto_aead *aead;
	struct crypto_shash *shash;
	u16 icv_len;
	u16 iv_len;
	u16 block_len;			/* ESP padding boundary, >= 4 */
	bool raw_iv;
	u8 raw_iv_bytes[16];		/* with raw_iv: the IV to send */

	struct nfsec_seq seq;		/* outbound */
	u64 seq_soft;			/* ask for a rekey from this number */
	struct nfsec_replay *replay;	/* inbound */

	/* Lifetimes: consumption counted only when a limit needs it. */
	struct nfsec_sa_lifetime soft, hard;
	atomic64_t lft_bytes;
	atomic64_t lft_packets;
	time64_t add_time;
	time64_t use_time;
	struct delayed_work lft_work;

	struct nfsec_sa_sel sel;
	/* The configuration, keys included, for GET; zeroed when freed. */
	struct nfsec_sa_cfg *cfg;
	struct rcu_work free_work;
};

/* Hard or soft expiry, reported from process context, SAD mutex held. */
typedef void (*nfsec_sa_expire_t)(struct nfsec_sa *sa, bool hard,
				  enum nfsec_expire_reason reason, void *arg);

/* The SAD of one network namespace. */
struct nfsec_sad {
	struct mutex lock;		/* writers */
	struct hlist_head hash[1 << NFSEC_SAD_HBITS];
	struct hlist_head out_hash[1 << NFSEC_SAD_HBITS];	/* newest first */
	struct list_head all;		/* every SA, for dumps and flush */
	unsigned int count;
	unsigned int owned;		/* SAs with an owner: none, no walk */
	u32 generation;			/* bumped on every change */
	u32 hash_seed;
	atomic_t live;			/* SAs not yet freed */
	struct workqueue_struct *wq;	/* lifetimes and freeing */
	nfsec_sa_expire_t expire;
	void *expire_arg;
	struct net *net;
};

struct nfsec_sad *nfsec_sad_create(struct net *net, nfsec_sa_expire_t expire,
				   void *expire_arg);
void nfsec_sad_destroy(struct nfsec_sad *sad);

struct nfsec_sa *nfsec_sa_create(struct nfsec_sad *sad,
				 const struct nfsec_sa_cfg *cfg);
int nfsec_sad_add(struct nfsec_sad *sad, struct nfsec_sa *sa);
int nfsec_sad_del(struct nfsec_sad *sad, __be32 spi, u16 family,
		  const union nfsec_addr *daddr, u8 proto);
void nfsec_sad_flush(struct nfsec_sad *sad, u8 proto, u32 owner);
int nfsec_sad_update_path(struct nfsec_sad *sad, __be32 spi, u16 family,
			  const union nfsec_addr *daddr, u8 proto,
			  const struct nfsec_sa_path *path);
int nfsec_sad_alloc_spi(struct nfsec_sad *sad, u16 family,
			const union nfsec_addr *daddr, u8 proto,
			u32 min, u32 max, u32 expires_secs, __be32 *spi);

struct nfsec_sa *nfsec_sad_lookup(struct nfsec_sad *sad, __be32 spi,
				  u16 family, const union nfsec_addr *daddr,
				  u8 proto);
struct nfsec_sa *nfsec_sad_lookup_in(struct nfsec_sad *sad, __be32 spi,
				     u16 family,
				     const union nfsec_addr *daddr, u8 proto);
struct nfsec_tuple;
void nfsec_tuple_to_sa_sel(const struct nfsec_tuple *t, struct nfsec_sa_sel *s);
bool nfsec_sel_covers(const struct nfsec_sa_sel *sel,
		      const struct nfsec_sa_sel *pkt);
struct nfsec_sa *nfsec_sad_find_out(struct nfsec_sad *sad, u32 reqid,
				    const struct nfsec_sa_sel *pkt);

static inline bool nfsec_sa_get(struct nfsec_sa *sa)
{
	return refcount_inc_not_zero(&sa->ref);
}

void nfsec_sa_put(struct nfsec_sa *sa);
void nfsec_sa_destroy(struct nfsec_sa *sa);

static inline bool nfsec_sa_dead(const struct nfsec_sa *sa)
{
	return test_bit(NFSEC_SA_DEAD, &sa->state);
}

int nfsec_sa_account(struct nfsec_sa *sa, unsigned int bytes);
void nfsec_sa_expire_now(struct nfsec_sa *sa, bool hard,
			 enum nfsec_expire_reason reason);
void nfsec_sa_stats_fold(const struct nfsec_sa *sa,
			 struct nfsec_sa_stats *total);

static inline void nfsec_sa_count_drop(struct nfsec_sa *sa,
				       enum nfsec_sa_drop_reason reason)
{
	struct nfsec_sa_pcpu *p = get_cpu_ptr(sa->pcpu);

	u64_stats_update_begin(&p->syncp);
	u64_stats_inc(&p->drop[reason]);
	u64_stats_update_end(&p->syncp);
	put_cpu_ptr(sa->pcpu);
}

/* Count a drop and return @err, for the transforms' error paths. */
static inline int nfsec_sa_drop(struct nfsec_sa *sa,
				enum nfsec_sa_drop_reason reason, int err)
{
	nfsec_sa_count_drop(sa, reason);
	return err;
}

static inline void nfsec_sa_count_packet(struct nfsec_sa *sa,
					 unsigned int bytes)
{
	struct nfsec_sa_pcpu *p = get_cpu_ptr(sa->pcpu);

	u64_stats_update_begin(&p->syncp);
	u64_stats_inc(&p->packets);
	u64_stats_add(&p->bytes, bytes);
	u64_stats_update_end(&p->syncp);
	put_cpu_ptr(sa->pcpu);
}

static inline bool nfsec_addr_eq(u16 family, const union nfsec_addr *a,
				 const union nfsec_addr *b)
{
	if (family == AF_INET)
		return a->a4 == b->a4;
	return ipv6_addr_equal(&a->a6, &b->a6);
}

#endif /* _NFSEC_SAD_H */
