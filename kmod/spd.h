/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_SPD_H
#define _NFSEC_SPD_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/u64_stats_sync.h>
#include <linux/xarray.h>
#include <linux/nfsec.h>

struct nfsec_net;
struct netlink_ext_ack;

/* The two address families an index exists for. */
enum nfsec_fam {
	NFSEC_FAM_V4,
	NFSEC_FAM_V6,
	__NFSEC_FAM_MAX
};

/* Which selectors of struct nfsec_sel are set (absent means ANY). */
enum nfsec_sel_flag {
	NFSEC_SEL_F_SRC		= 1U << 0,
	NFSEC_SEL_F_DST		= 1U << 1,
	NFSEC_SEL_F_PROTO	= 1U << 2,
	NFSEC_SEL_F_SPORT	= 1U << 3,
	NFSEC_SEL_F_DPORT	= 1U << 4,
	NFSEC_SEL_F_ICMP_TYPE	= 1U << 5,
	NFSEC_SEL_F_ICMP_CODE	= 1U << 6,
	NFSEC_SEL_F_OPAQUE	= 1U << 7,
	NFSEC_SEL_F_SRC_PREFIX	= 1U << 8,	/* SRC was given as a prefix */
	NFSEC_SEL_F_DST_PREFIX	= 1U << 9,
};

/* An address selector, always kept as an inclusive range. */
struct nfsec_addr_sel {
	union nf_inet_addr start;
	union nf_inet_addr end;
	u8 plen;		/* meaningful with NFSEC_SEL_F_*_PREFIX */
};

struct nfsec_sel {
	struct nfsec_addr_sel src;
	struct nfsec_addr_sel dst;
	u16 flags;		/* enum nfsec_sel_flag */
	u8 proto;
	u8 icmp_type;
	u8 icmp_code;
	u8 pfp;			/* enum nfsec_pfp_flag */
	u16 sport_min, sport_max;
	u16 dport_min, dport_max;
};

/* What a PROTECT policy asks the IKE daemon for. */
struct nfsec_ipsec {
	union nf_inet_addr tunnel_src;
	union nf_inet_addr tunnel_dst;
	u32 reqid;
	u8 proto;		/* IPPROTO_ESP or IPPROTO_AH */
	u8 mode;		/* enum nfsec_mode */
	u8 tunnel_alen;		/* 0, 4 or 16 */
};

/*
 * A parsed, validated policy request (from netlink or from tests). Strings
 * point into the request and are copied when the policy is created.
 */
struct nfsec_policy_spec {
	struct nfsec_sel sel;
	struct nfsec_ipsec ipsec;
	const char *name;
	const char *proposal;
	u32 priority;
	u32 owner;		/* NFSEC_POLICY_F_OWNED: the socket's portid */
	u16 family;		/* AF_UNSPEC, AF_INET, AF_INET6 */
	u8 dir;
	u8 action;
};

/* The packet tuple that is looked up (ports in host order). */
struct nfsec_tuple {
	union nf_inet_addr src;
	union nf_inet_addr dst;
	u16 sport;		/* ICMP: type */
	u16 dport;		/* ICMP: code */
	u8 family;		/* AF_INET or AF_INET6 */
	u8 proto;
	u8 dir;
	u8 opaque;		/* ports not available: non-first fragment */
};

struct nfsec_policy_pcpu {
	struct u64_stats_sync syncp;
	u64_stats_t packets;
	u64_stats_t bytes;
};

struct nfsec_spd_node;

/* A policy's entry in the index of one family. */
struct nfsec_spd_rule {
	struct list_head list;		/* in node->rules, by (priority, seq) */
	struct nfsec_policy *pol;
	struct nfsec_spd_node *node;
};

struct nfsec_policy {
	struct list_head dir_list;	/* spd->dir_list[dir], ordered */
	struct nfsec_spd_rule rule[__NFSEC_FAM_MAX];
	struct nfsec_policy_pcpu __percpu *stats;
	char *name;
	char *proposal;
	struct rcu_head rcu;
	u64 seq;			/* insertion order, breaks ties */
	u32 id;
	u32 priority;
	u32 owner;			/* portid of the owning socket, or 0 */
	u16 family;
	u8 dir;
	u8 action;
	struct nfsec_sel sel;
	struct nfsec_ipsec ipsec;
};

/* A (dst, src) pair of prefix lengths present in an index. */
struct nfsec_spd_mask {
	u32 min_prio;		/* no rule with this mask has a lower one */
	u8 dplen;
	u8 splen;
};

/* The masks of one index, best (lowest min_prio) first. */
struct nfsec_spd_masks {
	struct rcu_head rcu;
	unsigned int n;
	struct nfsec_spd_mask m[];
};

/* Writer-side bookkeeping of one mask (under nn->lock). */
struct nfsec_spd_mask_ref {
	struct list_head list;
	u32 refs;
	u32 min_prio;
	u8 dplen;
	u8 splen;
};

/*
 * One complete SPD. NFSEC_CMD_POLICY_REPLACE builds a new one beside the
 * live one and swaps the pointer, so a replace is atomic for readers.
 */
struct nfsec_spd {
	struct rhashtable ht;		/* struct nfsec_spd_node by key */
	struct nfsec_spd_masks __rcu *masks[__NFSEC_DIR_MAX][__NFSEC_FAM_MAX];
	struct list_head mask_refs[__NFSEC_DIR_MAX][__NFSEC_FAM_MAX];
	struct list_head dir_list[__NFSEC_DIR_MAX];
	struct xarray ids;		/* id -> struct nfsec_policy */
	u32 count;
	u32 owned;			/* policies with an owner */
};

struct nfsec_policy_stats {
	u64 packets;
	u64 bytes;
};

int nfsec_spd_module_init(void);
void nfsec_spd_module_exit(void);
struct nfsec_spd *nfsec_spd_alloc(void);
void nfsec_spd_destroy(struct nfsec_spd *spd);

struct nfsec_policy *nfsec_policy_create(const struct nfsec_policy_spec *spec);
void nfsec_policy_free(struct nfsec_policy *pol);
int nfsec_spd_insert(struct nfsec_spd *spd, struct nfsec_policy *pol,
		     u32 *next_id, u64 seq);
void nfsec_spd_remove(struct nfsec_spd *spd, struct nfsec_policy *pol);

const struct nfsec_policy *nfsec_spd_lookup(const struct nfsec_spd *spd,
					    const struct nfsec_tuple *t);
bool nfsec_sel_match(const struct nfsec_sel *sel, const struct nfsec_tuple *t);
bool nfsec_sel_intersects(const struct nfsec_sel *a, u16 afam,
			  const struct nfsec_sel *b, u16 bfam);
void nfsec_acquire_sel(const struct nfsec_spd *spd,
		       const struct nfsec_policy *pol,
		       const struct nfsec_tuple *t, struct nfsec_sel *out);

enum nfsec_spd_table nfsec_spd_table(const struct nfsec_policy *pol);
void nfsec_policy_stats_read(const struct nfsec_policy *pol,
			     struct nfsec_policy_stats *st);

static inline void nfsec_policy_count(const struct nfsec_policy *pol,
				      unsigned int len)
{
	struct nfsec_policy_pcpu *s = this_cpu_ptr(pol->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->packets);
	u64_stats_add(&s->bytes, len);
	u64_stats_update_end(&s->syncp);
}

/* Per-namespace SPD operations: all take nn->lock. */
int nfsec_spd_net_init(struct nfsec_net *nn);
void nfsec_spd_net_exit(struct nfsec_net *nn);
int nfsec_spd_add(struct nfsec_net *nn, const struct nfsec_policy_spec *spec,
		  u32 *id, u32 *gen);
int nfsec_spd_del(struct nfsec_net *nn, u32 id);
void nfsec_spd_flush(struct nfsec_net *nn, int dir);
void nfsec_spd_flush_owner(struct nfsec_net *nn, u32 owner);

struct nfsec_spd_batch {
	struct nfsec_spd *spd;
	u64 seq;
	u32 next_id;
};

int nfsec_spd_batch_begin(struct nfsec_net *nn, struct nfsec_spd_batch *b);
int nfsec_spd_batch_add(struct nfsec_spd_batch *b,
			const struct nfsec_policy_spec *spec);
void nfsec_spd_batch_abort(struct nfsec_spd_batch *b);
void nfsec_spd_batch_commit(struct nfsec_net *nn, struct nfsec_spd_batch *b,
			    u32 *gen);

static inline int nfsec_fam_of(u16 family)
{
	return family == AF_INET6 ? NFSEC_FAM_V6 : NFSEC_FAM_V4;
}

static inline unsigned int nfsec_alen(u16 family)
{
	return family == AF_INET6 ? 16 : 4;
}

#endif /* _NFSEC_SPD_H */
