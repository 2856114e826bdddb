// SPDX-License-Identifier: GPL-2.0
/*
 * The Security Policy Database of one network namespace (RFC 4301 §4.4.1).
 *
 * Policies are ordered by (priority, insertion sequence). SPD-S (PROTECT)
 * and SPD-O/SPD-I (BYPASS, DISCARD) of one direction share one ordered index
 * so that a single lookup returns the first entry of their union, as §5.1
 * and §5.2 ask; the table a result came from follows from its action.
 *
 * The index is a tuple-space search over address prefixes. Each policy is
 * filed, per address family, under the key (dir, family, dst prefix, src
 * prefix) where each prefix is the smallest one covering the selector (the
 * selector itself for a prefix, the common prefix of START and END for a
 * range). Nodes live in one rhashtable; every node keeps its rules sorted
 * by (priority, seq). A lookup probes one node per distinct pair of prefix
 * lengths ("mask") present in the index, masks visited by their lowest
 * priority so that it stops as soon as no remaining mask can beat the best
 * match found; within a node it stops at the first full match. The cost is
 * O(masks) hash probes, independent of the number of policies.
 *
 * Writers hold nn->lock; lookups run under RCU without locks; policies and
 * nodes are freed after a grace period.
 */
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/ipv6.h>

#include "main.h"
#include "spd.h"
#include "spd_cache.h"
#include "acquire.h"

struct nfsec_spd_key {
	union nf_inet_addr dst;
	union nf_inet_addr src;
	u8 dir;
	u8 fam;
	u8 dplen;
	u8 splen;
};

struct nfsec_spd_node {
	struct rhash_head hnode;
	struct nfsec_spd_key key;
	struct list_head rules;
	struct rcu_head rcu;
};

static const struct rhashtable_params nfsec_spd_ht_params = {
	.key_len = sizeof(struct nfsec_spd_key),
	.key_offset = offsetof(struct nfsec_spd_node, key),
	.head_offset = offsetof(struct nfsec_spd_node, hnode),
	.automatic_shrinking = true,
};

static void nfsec_addr_mask(union nf_inet_addr *dst,
			    const union nf_inet_addr *src, unsigned int plen)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (plen >= 32) {
			dst->all[i] = src->all[i];
			plen -= 32;
		} else {
			dst->all[i] = src->all[i] &
				      (plen ? htonl(~0U << (32 - plen)) : 0);
			plen = 0;
		}
	}
}

/* The length of the longest prefix that covers [start, end]. */
static u8 nfsec_cover_plen(const struct nfsec_addr_sel *a, unsigned int alen)
{
	unsigned int i;

	for (i = 0; i < alen / 4; i++) {
		u32 x = ntohl(a->start.all[i] ^ a->end.all[i]);

		if (x)
			return i * 32 + __builtin_clz(x);
	}
	return alen * 8;
}

static bool nfsec_addr_in(const union nf_inet_addr *a,
			  const struct nfsec_addr_sel *s, unsigned int alen)
{
	return memcmp(a, &s->start, alen) >= 0 && memcmp(a, &s->end, alen) <= 0;
}

static bool nfsec_proto_has_ports(u8 proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_SCTP || proto == IPPROTO_UDPLITE;
}

bool nfsec_sel_match(const struct nfsec_sel *sel, const struct nfsec_tuple *t)
{
	unsigned int alen = nfsec_alen(t->family);
	u16 f = sel->flags;

	if ((f & NFSEC_SEL_F_DST) && !nfsec_addr_in(&t->dst, &sel->dst, alen))
		return false;
	if ((f & NFSEC_SEL_F_SRC) && !nfsec_addr_in(&t->src, &sel->src, alen))
		return false;
	if ((f & NFSEC_SEL_F_PROTO) && t->proto != sel->proto)
		return false;
	if (f & NFSEC_SEL_F_OPAQUE)
		return t->opaque;
	if (f & (NFSEC_SEL_F_SPORT | NFSEC_SEL_F_DPORT |
		 NFSEC_SEL_F_ICMP_TYPE | NFSEC_SEL_F_ICMP_CODE)) {
		if (t->opaque)
			return false;
		if ((f & NFSEC_SEL_F_SPORT) &&
		    (t->sport < sel->sport_min || t->sport > sel->sport_max))
			return false;
		if ((f & NFSEC_SEL_F_DPORT) &&
		    (t->dport < sel->dport_min || t->dport > sel->dport_max))
			return false;
		if ((f & NFSEC_SEL_F_ICMP_TYPE) && t->sport != sel->icmp_type)
			return false;
		if ((f & NFSEC_SEL_F_ICMP_CODE) && t->dport != sel->icmp_code)
			return false;
	}
	return true;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sel_match);

static bool nfsec_ranges_meet(u16 amin, u16 amax, u16 bmin, u16 bmax)
{
	return amin <= bmax && bmin <= amax;
}

static bool nfsec_addr_meet(const struct nfsec_addr_sel *a,
			    const struct nfsec_addr_sel *b, unsigned int alen)
{
	return memcmp(&a->start, &b->end, alen) <= 0 &&
	       memcmp(&b->start, &a->end, alen) <= 0;
}

static void nfsec_sel_ports(const struct nfsec_sel *s, bool src,
			    u16 *min, u16 *max)
{
	u16 flag = src ? NFSEC_SEL_F_SPORT : NFSEC_SEL_F_DPORT;
	u16 icmp = src ? NFSEC_SEL_F_ICMP_TYPE : NFSEC_SEL_F_ICMP_CODE;

	if (s->flags & flag) {
		*min = src ? s->sport_min : s->dport_min;
		*max = src ? s->sport_max : s->dport_max;
	} else if (s->flags & icmp) {
		*min = *max = src ? s->icmp_type : s->icmp_code;
	} else {
		*min = 0;
		*max = U16_MAX;
	}
}

/*
 * Could one packet match both selectors? Used for decorrelation: an SA
 * selector must not intersect an entry that comes before its policy.
 */
bool nfsec_sel_intersects(const struct nfsec_sel *a, u16 afam,
			  const struct nfsec_sel *b, u16 bfam)
{
	unsigned int alen;
	u16 amin, amax, bmin, bmax;
	int i;

	if (afam != AF_UNSPEC && bfam != AF_UNSPEC && afam != bfam)
		return false;
	alen = nfsec_alen(afam != AF_UNSPEC ? afam : bfam);
	if (!nfsec_addr_meet(&a->src, &b->src, alen) ||
	    !nfsec_addr_meet(&a->dst, &b->dst, alen))
		return false;
	if ((a->flags & NFSEC_SEL_F_PROTO) && (b->flags & NFSEC_SEL_F_PROTO) &&
	    a->proto != b->proto)
		return false;
	/* OPAQUE and specific ports never match the same packet. */
	if (((a->flags | b->flags) & NFSEC_SEL_F_OPAQUE) &&
	    ((a->flags | b->flags) & (NFSEC_SEL_F_SPORT | NFSEC_SEL_F_DPORT |
				      NFSEC_SEL_F_ICMP_TYPE |
				      NFSEC_SEL_F_ICMP_CODE)))
		return false;
	for (i = 0; i < 2; i++) {
		nfsec_sel_ports(a, i == 0, &amin, &amax);
		nfsec_sel_ports(b, i == 0, &bmin, &bmax);
		if (!nfsec_ranges_meet(amin, amax, bmin, bmax))
			return false;
	}
	return true;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sel_intersects);

/* Does a come before b in SPD order? */
static bool nfsec_policy_before(const struct nfsec_policy *a,
				const struct nfsec_policy *b)
{
	return a->priority < b->priority ||
	       (a->priority == b->priority && a->seq < b->seq);
}

const struct nfsec_policy *nfsec_spd_lookup(const struct nfsec_spd *spd,
					    const struct nfsec_tuple *t)
{
	const struct nfsec_policy *best = NULL;
	const struct nfsec_spd_masks *masks;
	struct nfsec_spd_key key;
	int fam = nfsec_fam_of(t->family);
	unsigned int i;

	masks = rcu_dereference(spd->masks[t->dir][fam]);
	if (!masks)
		return NULL;
	for (i = 0; i < masks->n; i++) {
		const struct nfsec_spd_node *node;
		const struct nfsec_spd_rule *r;

		if (best && masks->m[i].min_prio > best->priority)
			break;
		key.dir = t->dir;
		key.fam = fam;
		key.dplen = masks->m[i].dplen;
		key.splen = masks->m[i].splen;
		nfsec_addr_mask(&key.dst, &t->dst, key.dplen);
		nfsec_addr_mask(&key.src, &t->src, key.splen);
		node = rhashtable_lookup((struct rhashtable *)&spd->ht, &key,
					 nfsec_spd_ht_params);
		if (!node)
			continue;
		list_for_each_entry_rcu(r, &node->rules, list) {
			if (best && !nfsec_policy_before(r->pol, best))
				break;
			if (nfsec_sel_match(&r->pol->sel, t)) {
				best = r->pol;
				break;
			}
		}
	}
	return best;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_spd_lookup);

enum nfsec_spd_table nfsec_spd_table(const struct nfsec_policy *pol)
{
	if (!pol)
		return NFSEC_SPD_NONE;
	if (pol->action == NFSEC_ACTION_PROTECT)
		return NFSEC_SPD_S;
	return pol->dir == NFSEC_DIR_OUT ? NFSEC_SPD_O : NFSEC_SPD_I;
}

static void nfsec_sel_populate(const struct nfsec_sel *sel, u8 pfp,
			       const struct nfsec_tuple *t,
			       struct nfsec_sel *out)
{
	unsigned int alen = nfsec_alen(t->family);

	*out = *sel;
	if (pfp & NFSEC_PFP_SRC) {
		memset(&out->src, 0, sizeof(out->src));
		memcpy(&out->src.start, &t->src, alen);
		memcpy(&out->src.end, &t->src, alen);
		out->src.plen = alen * 8;
		out->flags |= NFSEC_SEL_F_SRC | NFSEC_SEL_F_SRC_PREFIX;
	}
	if (pfp & NFSEC_PFP_DST) {
		memset(&out->dst, 0, sizeof(out->dst));
		memcpy(&out->dst.start, &t->dst, alen);
		memcpy(&out->dst.end, &t->dst, alen);
		out->dst.plen = alen * 8;
		out->flags |= NFSEC_SEL_F_DST | NFSEC_SEL_F_DST_PREFIX;
	}
	if (pfp & NFSEC_PFP_PROTO) {
		out->proto = t->proto;
		out->flags |= NFSEC_SEL_F_PROTO;
	}
	if (!t->opaque && nfsec_proto_has_ports(t->proto)) {
		if (pfp & NFSEC_PFP_SPORT) {
			out->sport_min = t->sport;
			out->sport_max = t->sport;
			out->flags |= NFSEC_SEL_F_SPORT;
		}
		if (pfp & NFSEC_PFP_DPORT) {
			out->dport_min = t->dport;
			out->dport_max = t->dport;
			out->flags |= NFSEC_SEL_F_DPORT;
		}
	}
	out->pfp = pfp;
}

/* Does sel intersect an entry ordered before pol? */
static bool nfsec_sel_shadowed(const struct nfsec_spd *spd,
			       const struct nfsec_policy *pol,
			       const struct nfsec_sel *sel, u16 family)
{
	const struct nfsec_policy *p;

	list_for_each_entry_rcu(p, &spd->dir_list[pol->dir], dir_list) {
		if (p == pol || !nfsec_policy_before(p, pol))
			break;
		if (nfsec_sel_intersects(&p->sel, p->family, sel, family))
			return true;
	}
	return false;
}

/*
 * The selector an ACQUIRE asks an SA for: the policy's selectors with every
 * PFP field taken from the packet.
 *
 * Decorrelation (RFC 4301 §4.4.1.2): if that selector intersects an entry
 * ordered before the policy, an SA for it could carry traffic that entry
 * decides. The selector is then narrowed step by step towards the packet's
 * own tuple (addresses, then protocol, then ports) until it intersects no
 * earlier entry; the packet's full tuple always qualifies, since the lookup
 * found no earlier entry matching it. This runs per ACQUIRE, which is rate
 * limited, so its walk over the earlier entries costs the packet path
 * nothing, and it is always current with the SPD.
 */
void nfsec_acquire_sel(const struct nfsec_spd *spd,
		       const struct nfsec_policy *pol,
		       const struct nfsec_tuple *t, struct nfsec_sel *out)
{
	static const u8 widen[] = {
		0,
		NFSEC_PFP_SRC | NFSEC_PFP_DST,
		NFSEC_PFP_SRC | NFSEC_PFP_DST | NFSEC_PFP_PROTO,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(widen); i++) {
		nfsec_sel_populate(&pol->sel, pol->sel.pfp | widen[i], t, out);
		if (!nfsec_sel_shadowed(spd, pol, out, t->family))
			return;
	}
	nfsec_sel_populate(&pol->sel, __NFSEC_PFP_ALL, t, out);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_acquire_sel);

/* --- the index, writer side (nn->lock held, or a private SPD) ------------ */

static int nfsec_mask_cmp(const void *a, const void *b)
{
	const struct nfsec_spd_mask *x = a, *y = b;

	if (x->min_prio != y->min_prio)
		return x->min_prio < y->min_prio ? -1 : 1;
	/* Longer prefixes first: more specific nodes are smaller. */
	return (y->dplen + y->splen) - (x->dplen + x->splen);
}

static int nfsec_masks_rebuild(struct nfsec_spd *spd, int dir, int fam)
{
	struct nfsec_spd_masks *masks, *old;
	struct nfsec_spd_mask_ref *ref;
	unsigned int n = 0;

	list_for_each_entry(ref, &spd->mask_refs[dir][fam], list)
		n++;
	masks = kmalloc(struct_size(masks, m, n), GFP_KERNEL);
	if (!masks)
		return -ENOMEM;
	masks->n = n;
	n = 0;
	list_for_each_entry(ref, &spd->mask_refs[dir][fam], list) {
		masks->m[n].min_prio = ref->min_prio;
		masks->m[n].dplen = ref->dplen;
		masks->m[n].splen = ref->splen;
		n++;
	}
	sort(masks->m, n, sizeof(masks->m[0]), nfsec_mask_cmp, NULL);
	old = rcu_replace_pointer(spd->masks[dir][fam], masks, true);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

static struct nfsec_spd_mask_ref *
nfsec_mask_ref_find(struct nfsec_spd *spd, int dir, int fam, u8 dplen, u8 splen)
{
	struct nfsec_spd_mask_ref *ref;

	list_for_each_entry(ref, &spd->mask_refs[dir][fam], list)
		if (ref->dplen == dplen && ref->splen == splen)
			return ref;
	return NULL;
}

static int nfsec_mask_get(struct nfsec_spd *spd, int dir, int fam, u8 dplen,
			  u8 splen, u32 prio)
{
	struct nfsec_spd_mask_ref *ref;
	int err;

	ref = nfsec_mask_ref_find(spd, dir, fam, dplen, splen);
	if (ref) {
		ref->refs++;
		if (prio >= ref->min_prio)
			return 0;
		ref->min_prio = prio;
		/* Keeping the old, higher bound would miss matches: rebuild. */
		err = nfsec_masks_rebuild(spd, dir, fam);
		if (err) {
			ref->refs--;
			return err;
		}
		return 0;
	}
	ref = kzalloc(sizeof(*ref), GFP_KERNEL);
	if (!ref)
		return -ENOMEM;
	ref->refs = 1;
	ref->min_prio = prio;
	ref->dplen = dplen;
	ref->splen = splen;
	list_add_tail(&ref->list, &spd->mask_refs[dir][fam]);
	err = nfsec_masks_rebuild(spd, dir, fam);
	if (err) {
		list_del(&ref->list);
		kfree(ref);
	}
	return err;
}

static void nfsec_mask_put(struct nfsec_spd *spd, int dir, int fam, u8 dplen,
			   u8 splen)
{
	struct nfsec_spd_mask_ref *ref;

	ref = nfsec_mask_ref_find(spd, dir, fam, dplen, splen);
	if (WARN_ON_ONCE(!ref) || --ref->refs)
		return;
	list_del(&ref->list);
	kfree(ref);
	/*
	 * On allocation failure the published array keeps a mask whose nodes
	 * are gone: lookups probe it in vain, results stay correct.
	 */
	nfsec_masks_rebuild(spd, dir, fam);
}

static void nfsec_rule_key(const struct nfsec_policy *pol, int fam,
			   struct nfsec_spd_key *key)
{
	unsigned int alen = fam == NFSEC_FAM_V6 ? 16 : 4;

	memset(key, 0, sizeof(*key));
	key->dir = pol->dir;
	key->fam = fam;
	key->dplen = (pol->sel.flags & NFSEC_SEL_F_DST) ?
		     nfsec_cover_plen(&pol->sel.dst, alen) : 0;
	key->splen = (pol->sel.flags & NFSEC_SEL_F_SRC) ?
		     nfsec_cover_plen(&pol->sel.src, alen) : 0;
	nfsec_addr_mask(&key->dst, &pol->sel.dst.start, key->dplen);
	nfsec_addr_mask(&key->src, &pol->sel.src.start, key->splen);
}

static const struct nfsec_policy *nfsec_pos_policy(struct list_head *pos,
						   bool rules)
{
	if (rules)
		return list_entry(pos, struct nfsec_spd_rule, list)->pol;
	return list_entry(pos, struct nfsec_policy, dir_list);
}

/*
 * Insert after the last entry that comes before pol, walking from the tail:
 * O(1) for the common append (same or growing priorities).
 */
static void nfsec_rule_link(struct list_head *head, struct list_head *new,
			    const struct nfsec_policy *pol, bool rules)
{
	struct list_head *pos;

	for (pos = head->prev; pos != head; pos = pos->prev)
		if (nfsec_policy_before(nfsec_pos_policy(pos, rules), pol))
			break;
	list_add_rcu(new, pos);
}

static void nfsec_rule_unlink(struct nfsec_spd *spd, struct nfsec_spd_rule *r)
{
	struct nfsec_spd_node *node = r->node;

	list_del_rcu(&r->list);
	r->node = NULL;
	if (list_empty(&node->rules)) {
		rhashtable_remove_fast(&spd->ht, &node->hnode,
				       nfsec_spd_ht_params);
		kfree_rcu(node, rcu);
	}
	nfsec_mask_put(spd, node->key.dir, node->key.fam, node->key.dplen,
		       node->key.splen);
}

static int nfsec_rule_insert(struct nfsec_spd *spd, struct nfsec_policy *pol,
			     int fam)
{
	struct nfsec_spd_rule *r = &pol->rule[fam];
	struct nfsec_spd_node *node;
	struct nfsec_spd_key key;
	int err;

	nfsec_rule_key(pol, fam, &key);
	err = nfsec_mask_get(spd, key.dir, fam, key.dplen, key.splen,
			     pol->priority);
	if (err)
		return err;
	node = rhashtable_lookup_fast(&spd->ht, &key, nfsec_spd_ht_params);
	if (!node) {
		node = kzalloc(sizeof(*node), GFP_KERNEL);
		if (!node) {
			err = -ENOMEM;
			goto put_mask;
		}
		node->key = key;
		INIT_LIST_HEAD(&node->rules);
		err = rhashtable_insert_fast(&spd->ht, &node->hnode,
					     nfsec_spd_ht_params);
		if (err) {
			kfree(node);
			goto put_mask;
		}
	}
	r->pol = pol;
	r->node = node;
	nfsec_rule_link(&node->rules, &r->list, pol, true);
	return 0;

put_mask:
	nfsec_mask_put(spd, key.dir, fam, key.dplen, key.splen);
	return err;
}

int nfsec_spd_insert(struct nfsec_spd *spd, struct nfsec_policy *pol,
		     u32 *next_id, u64 seq)
{
	int fam, err;

	pol->seq = seq;
	err = xa_alloc_cyclic(&spd->ids, &pol->id, pol, XA_LIMIT(1, U32_MAX),
			      next_id, GFP_KERNEL);
	if (err < 0)
		return err;
	for (fam = 0; fam < __NFSEC_FAM_MAX; fam++) {
		if (pol->family != AF_UNSPEC && nfsec_fam_of(pol->family) != fam)
			continue;
		err = nfsec_rule_insert(spd, pol, fam);
		if (err)
			goto undo;
	}
	nfsec_rule_link(&spd->dir_list[pol->dir], &pol->dir_list, pol, false);
	spd->count++;
	if (pol->owner)
		WRITE_ONCE(spd->owned, spd->owned + 1);
	return 0;

undo:
	while (--fam >= 0)
		if (pol->rule[fam].node)
			nfsec_rule_unlink(spd, &pol->rule[fam]);
	xa_erase(&spd->ids, pol->id);
	return err;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_spd_insert);

/* Unlink a policy; the caller frees it after a grace period. */
void nfsec_spd_remove(struct nfsec_spd *spd, struct nfsec_policy *pol)
{
	int fam;

	for (fam = 0; fam < __NFSEC_FAM_MAX; fam++)
		if (pol->rule[fam].node)
			nfsec_rule_unlink(spd, &pol->rule[fam]);
	list_del_rcu(&pol->dir_list);
	xa_erase(&spd->ids, pol->id);
	spd->count--;
	if (pol->owner)
		WRITE_ONCE(spd->owned, spd->owned - 1);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_spd_remove);

struct nfsec_spd *nfsec_spd_alloc(void)
{
	struct nfsec_spd *spd;
	int d, f;

	spd = kzalloc(sizeof(*spd), GFP_KERNEL);
	if (!spd)
		return NULL;
	if (rhashtable_init(&spd->ht, &nfsec_spd_ht_params)) {
		kfree(spd);
		return NULL;
	}
	for (d = 0; d < __NFSEC_DIR_MAX; d++) {
		INIT_LIST_HEAD(&spd->dir_list[d]);
		for (f = 0; f < __NFSEC_FAM_MAX; f++)
			INIT_LIST_HEAD(&spd->mask_refs[d][f]);
	}
	xa_init_flags(&spd->ids, XA_FLAGS_ALLOC1);
	return spd;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_spd_alloc);

static void nfsec_spd_node_free(void *ptr, void *arg)
{
	kfree(ptr);
}

/* Free an SPD that no reader can see any more (after a grace period). */
void nfsec_spd_destroy(struct nfsec_spd *spd)
{
	struct nfsec_spd_mask_ref *ref, *tmp;
	struct nfsec_policy *pol;
	unsigned long id;
	int d, f;

	if (!spd)
		return;
	xa_for_each(&spd->ids, id, pol)
		nfsec_policy_free(pol);
	xa_destroy(&spd->ids);
	rhashtable_free_and_destroy(&spd->ht, nfsec_spd_node_free, NULL);
	for (d = 0; d < __NFSEC_DIR_MAX; d++) {
		for (f = 0; f < __NFSEC_FAM_MAX; f++) {
			kfree(rcu_dereference_protected(spd->masks[d][f], true));
			list_for_each_entry_safe(ref, tmp, &spd->mask_refs[d][f],
						 list)
				kfree(ref);
		}
	}
	kfree(spd);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_spd_destroy);

/* --- policies ------------------------------------------------------------ */

/* Policies have their own slab: 272 bytes instead of kmalloc-512. */
static struct kmem_cache *nfsec_policy_slab __ro_after_init;

int __init nfsec_spd_module_init(void)
{
	nfsec_policy_slab = KMEM_CACHE(nfsec_policy, 0);
	return nfsec_policy_slab ? 0 : -ENOMEM;
}

/* After rcu_barrier(): no policy is left, none is waiting to be freed. */
void nfsec_spd_module_exit(void)
{
	kmem_cache_destroy(nfsec_policy_slab);
}

static void nfsec_addr_any(struct nfsec_addr_sel *a)
{
	memset(&a->start, 0, sizeof(a->start));
	memset(&a->end, 0xff, sizeof(a->end));
	a->plen = 0;
}

struct nfsec_policy *nfsec_policy_create(const struct nfsec_policy_spec *spec)
{
	struct nfsec_policy *pol;
	int cpu;

	pol = kmem_cache_zalloc(nfsec_policy_slab, GFP_KERNEL);
	if (!pol)
		return NULL;
	pol->stats = alloc_percpu(struct nfsec_policy_pcpu);
	if (!pol->stats)
		goto free;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(pol->stats, cpu)->syncp);
	if (spec->name) {
		pol->name = kstrdup(spec->name, GFP_KERNEL);
		if (!pol->name)
			goto free;
	}
	if (spec->proposal) {
		pol->proposal = kstrdup(spec->proposal, GFP_KERNEL);
		if (!pol->proposal)
			goto free;
	}
	INIT_LIST_HEAD(&pol->dir_list);
	pol->priority = spec->priority;
	pol->owner = spec->owner;
	pol->family = spec->family;
	pol->dir = spec->dir;
	pol->action = spec->action;
	pol->sel = spec->sel;
	pol->ipsec = spec->ipsec;
	if (!(pol->sel.flags & NFSEC_SEL_F_SRC))
		nfsec_addr_any(&pol->sel.src);
	if (!(pol->sel.flags & NFSEC_SEL_F_DST))
		nfsec_addr_any(&pol->sel.dst);
	if (!(pol->sel.flags & NFSEC_SEL_F_SPORT)) {
		pol->sel.sport_min = 0;
		pol->sel.sport_max = U16_MAX;
	}
	if (!(pol->sel.flags & NFSEC_SEL_F_DPORT)) {
		pol->sel.dport_min = 0;
		pol->sel.dport_max = U16_MAX;
	}
	return pol;

free:
	nfsec_policy_free(pol);
	return NULL;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_policy_create);

void nfsec_policy_free(struct nfsec_policy *pol)
{
	free_percpu(pol->stats);
	kfree(pol->name);
	kfree(pol->proposal);
	kmem_cache_free(nfsec_policy_slab, pol);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_policy_free);

static void nfsec_policy_free_rcu(struct rcu_head *head)
{
	nfsec_policy_free(container_of(head, struct nfsec_policy, rcu));
}

void nfsec_policy_stats_read(const struct nfsec_policy *pol,
			     struct nfsec_policy_stats *st)
{
	int cpu;

	st->packets = 0;
	st->bytes = 0;
	for_each_possible_cpu(cpu) {
		const struct nfsec_policy_pcpu *s = per_cpu_ptr(pol->stats, cpu);
		unsigned int start;
		u64 p, b;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			p = u64_stats_read(&s->packets);
			b = u64_stats_read(&s->bytes);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		st->packets += p;
		st->bytes += b;
	}
}

/* --- per-namespace operations -------------------------------------------- */

static struct nfsec_spd *nfsec_spd_locked(struct nfsec_net *nn)
{
	return rcu_dereference_protected(nn->spd, lockdep_is_held(&nn->lock));
}

int nfsec_spd_net_init(struct nfsec_net *nn)
{
	struct nfsec_spd *spd = nfsec_spd_alloc();

	if (!spd)
		return -ENOMEM;
	mutex_init(&nn->lock);
	RCU_INIT_POINTER(nn->spd, spd);
	nn->gen = 1;
	nn->next_id = 1;
	nn->next_seq = 1;
	return 0;
}

/* Called once nothing can reach the namespace (hooks gone, netlink gone). */
void nfsec_spd_net_exit(struct nfsec_net *nn)
{
	nfsec_spd_destroy(rcu_dereference_protected(nn->spd, true));
	RCU_INIT_POINTER(nn->spd, NULL);
}

int nfsec_spd_add(struct nfsec_net *nn, const struct nfsec_policy_spec *spec,
		  u32 *id, u32 *gen)
{
	struct nfsec_policy *pol;
	int err;

	pol = nfsec_policy_create(spec);
	if (!pol)
		return -ENOMEM;
	mutex_lock(&nn->lock);
	err = nfsec_spd_insert(nfsec_spd_locked(nn), pol, &nn->next_id,
			       nn->next_seq++);
	if (!err) {
		nfsec_spd_bump_gen(nn);
		*id = pol->id;
		*gen = READ_ONCE(nn->gen);
	}
	mutex_unlock(&nn->lock);
	if (err)
		nfsec_policy_free(pol);
	return err;
}

int nfsec_spd_del(struct nfsec_net *nn, u32 id)
{
	struct nfsec_policy *pol;
	struct nfsec_spd *spd;

	mutex_lock(&nn->lock);
	spd = nfsec_spd_locked(nn);
	pol = xa_load(&spd->ids, id);
	if (!pol) {
		mutex_unlock(&nn->lock);
		return -ENOENT;
	}
	nfsec_spd_remove(spd, pol);
	nfsec_spd_bump_gen(nn);
	mutex_unlock(&nn->lock);
	nfsec_acquire_flush(nn, id);
	call_rcu(&pol->rcu, nfsec_policy_free_rcu);
	return 0;
}

/* Remove every policy of one direction, or all (dir < 0). */
void nfsec_spd_flush(struct nfsec_net *nn, int dir)
{
	struct nfsec_policy *pol, *tmp;
	struct nfsec_spd *spd;
	int d;

	if (dir < 0) {
		struct nfsec_spd_batch b;

		/* A fresh empty SPD: O(1) for readers, freed in one go. */
		if (!nfsec_spd_batch_begin(nn, &b)) {
			nfsec_spd_batch_commit(nn, &b, NULL);
			return;
		}
		/* No memory for a fresh SPD: empty this one in place. */
	}
	mutex_lock(&nn->lock);
	spd = nfsec_spd_locked(nn);
	for (d = 0; d < __NFSEC_DIR_MAX; d++) {
		if (dir >= 0 && d != dir)
			continue;
		list_for_each_entry_safe(pol, tmp, &spd->dir_list[d], dir_list) {
			nfsec_spd_remove(spd, pol);
			call_rcu(&pol->rcu, nfsec_policy_free_rcu);
		}
	}
	nfsec_spd_bump_gen(nn);
	mutex_unlock(&nn->lock);
	nfsec_acquire_flush(nn, 0);
}

/*
 * Remove the policies of one owner (a socket's portid, NFSEC_POLICY_F_OWNED):
 * its socket closed. A few at a time, so that their held packets can be
 * dropped outside the lock without a list of unknown length.
 */
void nfsec_spd_flush_owner(struct nfsec_net *nn, u32 owner)
{
	struct nfsec_policy *pol, *batch[16];
	struct nfsec_spd *spd;
	unsigned long id;
	unsigned int n, i;

	do {
		n = 0;
		mutex_lock(&nn->lock);
		spd = nfsec_spd_locked(nn);
		if (READ_ONCE(spd->owned)) {
			xa_for_each(&spd->ids, id, pol) {
				if (pol->owner != owner)
					continue;
				nfsec_spd_remove(spd, pol);
				batch[n++] = pol;
				if (n == ARRAY_SIZE(batch))
					break;
			}
		}
		if (n)
			nfsec_spd_bump_gen(nn);
		mutex_unlock(&nn->lock);
		for (i = 0; i < n; i++) {
			nfsec_acquire_flush(nn, batch[i]->id);
			call_rcu(&batch[i]->rcu, nfsec_policy_free_rcu);
		}
	} while (n == ARRAY_SIZE(batch));
}

/*
 * Atomic replace: a new SPD is built beside the live one, without the lock,
 * then swapped in with one pointer store. Readers see the old or the new SPD,
 * never a mix.
 */
int nfsec_spd_batch_begin(struct nfsec_net *nn, struct nfsec_spd_batch *b)
{
	b->spd = nfsec_spd_alloc();
	if (!b->spd)
		return -ENOMEM;
	b->next_id = READ_ONCE(nn->next_id);
	b->seq = 1;
	return 0;
}

int nfsec_spd_batch_add(struct nfsec_spd_batch *b,
			const struct nfsec_policy_spec *spec)
{
	struct nfsec_policy *pol;
	int err;

	pol = nfsec_policy_create(spec);
	if (!pol)
		return -ENOMEM;
	err = nfsec_spd_insert(b->spd, pol, &b->next_id, b->seq++);
	if (err)
		nfsec_policy_free(pol);
	return err;
}

void nfsec_spd_batch_abort(struct nfsec_spd_batch *b)
{
	/* Never published: no reader can hold a pointer into it. */
	nfsec_spd_destroy(b->spd);
	b->spd = NULL;
}

void nfsec_spd_batch_commit(struct nfsec_net *nn, struct nfsec_spd_batch *b,
			    u32 *gen)
{
	struct nfsec_spd *old;

	mutex_lock(&nn->lock);
	old = rcu_replace_pointer(nn->spd, b->spd, lockdep_is_held(&nn->lock));
	nn->next_id = b->next_id;
	nn->next_seq = b->seq;
	nfsec_spd_bump_gen(nn);
	if (gen)
		*gen = READ_ONCE(nn->gen);
	mutex_unlock(&nn->lock);
	b->spd = NULL;
	nfsec_acquire_flush(nn, 0);
	synchronize_rcu();
	nfsec_spd_destroy(old);
}
