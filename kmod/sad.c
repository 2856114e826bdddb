// SPDX-License-Identifier: GPL-2.0
/*
 * The Security Association Database of one network namespace.
 *
 * Every SA (inbound, outbound, and SPI reservations) sits in one hash keyed
 * by SPI alone and is told apart by (SPI, destination, protocol) on the
 * chain (RFC 4301 §4.1). Keying the hash on the SPI only means that a MOBIKE
 * address update never moves an SA between chains: the new path is published
 * with rcu_assign_pointer() and the packet path never misses the SA.
 *
 * Readers (the packet path) walk a chain under RCU and take a reference with
 * refcount_inc_not_zero(); writers hold sad->lock. The SAD holds one
 * reference on each SA it lists; the last put frees the SA after an RCU grace
 * period from sad->wq (process context, so that crypto transforms can be
 * freed), keys zeroed. nfsec_sad_destroy() waits for every SA of the SAD,
 * including those kept alive by packets in asynchronous crypto.
 */
#include <crypto/authenc.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <net/ipv6.h>

#include "main.h"
#include "sad.h"

static struct hlist_head *nfsec_sad_bucket(struct nfsec_sad *sad, __be32 spi)
{
	u32 h = jhash_1word((__force u32)spi, sad->hash_seed);

	return &sad->hash[hash_32(h, NFSEC_SAD_HBITS)];
}

static struct hlist_head *nfsec_sad_out_bucket(struct nfsec_sad *sad,
						u32 reqid)
{
	return &sad->out_hash[hash_32(reqid ^ sad->hash_seed,
				      NFSEC_SAD_HBITS)];
}

/* Under RCU or sad->lock. */
static struct nfsec_sa *__nfsec_sad_find(struct nfsec_sad *sad, __be32 spi,
					 u16 family,
					 const union nfsec_addr *daddr,
					 u8 proto)
{
	struct nfsec_sa_path *path;
	struct nfsec_sa *sa;

	hlist_for_each_entry_rcu(sa, nfsec_sad_bucket(sad, spi), hnode,
				 lockdep_is_held(&sad->lock)) {
		if (sa->spi != spi || sa->proto != proto)
			continue;
		path = rcu_dereference_check(sa->path,
					     lockdep_is_held(&sad->lock));
		if (path->family == family &&
		    nfsec_addr_eq(family, &path->daddr, daddr))
			return sa;
	}
	return NULL;
}

/* Any SA or reservation, with a reference, or NULL. */
struct nfsec_sa *nfsec_sad_lookup(struct nfsec_sad *sad, __be32 spi,
				  u16 family, const union nfsec_addr *daddr,
				  u8 proto)
{
	struct nfsec_sa *sa;

	rcu_read_lock();
	sa = __nfsec_sad_find(sad, spi, family, daddr, proto);
	if (sa && !nfsec_sa_get(sa))
		sa = NULL;
	rcu_read_unlock();
	return sa;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sad_lookup);

/* The packet path: an inbound SA with keys for this ESP/AH header. */
struct nfsec_sa *nfsec_sad_lookup_in(struct nfsec_sad *sad, __be32 spi,
				     u16 family,
				     const union nfsec_addr *daddr, u8 proto)
{
	struct nfsec_sa *sa;

	rcu_read_lock();
	sa = __nfsec_sad_find(sad, spi, family, daddr, proto);
	if (sa && (sa->dir != NFSEC_DIR_IN ||
		   test_bit(NFSEC_SA_LARVAL, &sa->state) || !nfsec_sa_get(sa)))
		sa = NULL;
	rcu_read_unlock();
	return sa;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sad_lookup_in);

static bool nfsec_addr_le(u16 family, const union nfsec_addr *a,
			  const union nfsec_addr *b)
{
	if (family == AF_INET)
		return ntohl(a->a4) <= ntohl(b->a4);
	return memcmp(&a->a6, &b->a6, sizeof(a->a6)) <= 0;
}

static bool nfsec_range_covers(u16 lo, u16 hi, u16 plo, u16 phi)
{
	return !hi || (lo <= plo && phi <= hi);
}

/*
 * Does selector @sel cover @pkt (a packet, or a narrower selector)? An
 * AF_UNSPEC family is any address, a 0 protocol any protocol, a 0 upper
 * port bound any port.
 */
bool nfsec_sel_covers(const struct nfsec_sa_sel *sel,
		      const struct nfsec_sa_sel *pkt)
{
	if (sel->family != AF_UNSPEC) {
		if (pkt->family != sel->family)
			return false;
		if (!nfsec_addr_le(sel->family, &sel->saddr_lo, &pkt->saddr_lo) ||
		    !nfsec_addr_le(sel->family, &pkt->saddr_hi, &sel->saddr_hi) ||
		    !nfsec_addr_le(sel->family, &sel->daddr_lo, &pkt->daddr_lo) ||
		    !nfsec_addr_le(sel->family, &pkt->daddr_hi, &sel->daddr_hi))
			return false;
	}
	if (sel->proto && sel->proto != pkt->proto)
		return false;
	return nfsec_range_covers(sel->sport_lo, sel->sport_hi,
				  pkt->sport_lo, pkt->sport_hi) &&
	       nfsec_range_covers(sel->dport_lo, sel->dport_hi,
				  pkt->dport_lo, pkt->dport_hi);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sel_covers);

/* The packet's selectors, as an SA's are kept: single values. */
void nfsec_tuple_to_sa_sel(const struct nfsec_tuple *t, struct nfsec_sa_sel *s)
{
	memset(s, 0, sizeof(*s));
	s->family = t->family;
	if (t->family == AF_INET) {
		s->saddr_lo.a4 = s->saddr_hi.a4 = t->src.ip;
		s->daddr_lo.a4 = s->daddr_hi.a4 = t->dst.ip;
	} else {
		s->saddr_lo.a6 = s->saddr_hi.a6 = t->src.in6;
		s->daddr_lo.a6 = s->daddr_hi.a6 = t->dst.in6;
	}
	s->proto = t->proto;
	if (!t->opaque) {
		s->sport_lo = s->sport_hi = t->sport;
		s->dport_lo = s->dport_hi = t->dport;
	}
}

/*
 * A transport-mode SA protects packets between its own two addresses only:
 * its peer is the packet's destination, and no outer header says otherwise.
 * (Without this, an SA whose selectors are "any", as manual keying often
 * leaves them, would carry another peer's packets under its SPI and keys.)
 * Under RCU.
 */
static bool nfsec_sa_transport_fits(const struct nfsec_sa *sa,
				    const struct nfsec_sa_sel *pkt)
{
	const struct nfsec_sa_path *path;

	if (sa->mode != NFSEC_MODE_TRANSPORT)
		return true;
	path = rcu_dereference(sa->path);
	return path->family == pkt->family &&
	       nfsec_addr_eq(pkt->family, &path->saddr, &pkt->saddr_lo) &&
	       nfsec_addr_eq(pkt->family, &path->daddr, &pkt->daddr_lo);
}

/*
 * The outbound SA for a packet that a PROTECT policy with @reqid matched:
 * the newest live outbound SA with this reqid whose selectors cover the
 * packet's (PFP: one SA per populated selector) and, in transport mode,
 * whose addresses are the packet's. One hash chain is walked, never the
 * whole SAD. With a reference.
 */
struct nfsec_sa *nfsec_sad_find_out(struct nfsec_sad *sad, u32 reqid,
				    const struct nfsec_sa_sel *pkt)
{
	struct nfsec_sa *sa, *found = NULL;

	rcu_read_lock();
	hlist_for_each_entry_rcu(sa, nfsec_sad_out_bucket(sad, reqid), onode) {
		if (sa->reqid != reqid || nfsec_sa_dead(sa) ||
		    !nfsec_sel_covers(&sa->sel, pkt) ||
		    !nfsec_sa_transport_fits(sa, pkt))
			continue;
		if (nfsec_sa_get(sa)) {
			found = sa;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sad_find_out);

/* --- paths ------------------------------------------------------------- */

/* A copy of @path that an SA can publish: its route cache starts empty. */
static struct nfsec_sa_path *nfsec_sa_path_dup(const struct nfsec_sa_path *path)
{
	struct nfsec_sa_path *p = kmemdup(path, sizeof(*path), GFP_KERNEL);

	if (p)
		nfsec_route_cache_init(&p->route);
	return p;
}

static void nfsec_sa_path_free(struct nfsec_sa_path *p)
{
	if (!p)
		return;
	nfsec_route_cache_release(&p->route);
	kfree(p);
}

static void nfsec_sa_path_free_rcu(struct rcu_head *head)
{
	nfsec_sa_path_free(container_of(head, struct nfsec_sa_path, rcu));
}

/* --- freeing ------------------------------------------------------------ */

static void nfsec_sa_free_work(struct work_struct *work)
{
	struct nfsec_sa *sa = container_of(to_rcu_work(work), struct nfsec_sa,
					   free_work);
	struct nfsec_sad *sad = sa->sad;

	cancel_delayed_work_sync(&sa->lft_work);
	crypto_free_aead(sa->aead);
	crypto_free_shash(sa->shash);
	if (sa->replay)
		nfsec_replay_free(sa->replay);
	nfsec_sa_path_free(rcu_dereference_protected(sa->path, 1));
	free_percpu(sa->pcpu);
	kfree_sensitive(sa->cfg);
	kfree_sensitive(sa);
	/* sad->wq is drained before the SAD is freed: sad is still there. */
	if (atomic_dec_and_test(&sad->live))
		wake_up_var(&sad->live);
}

void nfsec_sa_put(struct nfsec_sa *sa)
{
	if (sa && refcount_dec_and_test(&sa->ref))
		queue_rcu_work(sa->sad->wq, &sa->free_work);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sa_put);

/* Drop an SA that was created but never added to the SAD. */
void nfsec_sa_destroy(struct nfsec_sa *sa)
{
	nfsec_sa_put(sa);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sa_destroy);

/* Under sad->lock. The caller puts the SAD's reference after unlocking. */
static void __nfsec_sad_unlink(struct nfsec_sad *sad, struct nfsec_sa *sa)
{
	lockdep_assert_held(&sad->lock);
	set_bit(NFSEC_SA_DEAD, &sa->state);
	hlist_del_init_rcu(&sa->hnode);
	hlist_del_init_rcu(&sa->onode);
	list_del_rcu(&sa->list);
	sad->count--;
	if (sa->owner)
		WRITE_ONCE(sad->owned, sad->owned - 1);
	sad->generation++;
}

/* --- lifetimes ---------------------------------------------------------- */

/*
 * Has @lft been reached? 0 if not, else 1 + the enum nfsec_expire_reason of
 * the first limit reached. Byte and packet counts only with @counts: for the
 * hard limits the packet path decides (nfsec_sa_account() sets HARD_HIT when
 * a packet beyond the limit is refused).
 */
static int nfsec_sa_lft_reached(struct nfsec_sa *sa,
				const struct nfsec_sa_lifetime *lft,
				time64_t now, bool counts)
{
	time64_t used = READ_ONCE(sa->use_time);

	if (counts && lft->bytes &&
	    atomic64_read(&sa->lft_bytes) >= lft->bytes)
		return 1 + NFSEC_EXPIRE_BYTES;
	if (counts && lft->packets &&
	    atomic64_read(&sa->lft_packets) >= lft->packets)
		return 1 + NFSEC_EXPIRE_PACKETS;
	if (lft->add_seconds && now >= sa->add_time + lft->add_seconds)
		return 1 + NFSEC_EXPIRE_ADD_TIME;
	if (lft->use_seconds && used && now >= used + lft->use_seconds)
		return 1 + NFSEC_EXPIRE_USE_TIME;
	return 0;
}

static time64_t nfsec_sa_lft_next(struct nfsec_sa *sa,
				  const struct nfsec_sa_lifetime *lft,
				  time64_t next)
{
	time64_t used = READ_ONCE(sa->use_time);

	if (lft->add_seconds)
		next = min(next, sa->add_time + (time64_t)lft->add_seconds);
	if (lft->use_seconds && used)
		next = min(next, used + (time64_t)lft->use_seconds);
	return next;
}

/* Under sad->lock: schedule the next time-based lifetime check. */
static void nfsec_sa_lft_arm(struct nfsec_sa *sa, time64_t now)
{
	time64_t next = nfsec_sa_lft_next(sa, &sa->hard, S64_MAX);

	if (!test_bit(NFSEC_SA_SOFT_FIRED, &sa->state))
		next = nfsec_sa_lft_next(sa, &sa->soft, next);
	if (next == S64_MAX)
		return;
	next = max(next - now, (time64_t)0);
	mod_delayed_work(sa->sad->wq, &sa->lft_work,
			 min_t(time64_t, next, 86400) * HZ);
}

static void nfsec_sa_lft_kick(struct nfsec_sa *sa)
{
	mod_delayed_work(sa->sad->wq, &sa->lft_work, 0);
}

static void nfsec_sa_lft_work(struct work_struct *work)
{
	struct nfsec_sa *sa = container_of(to_delayed_work(work),
					   struct nfsec_sa, lft_work);
	time64_t now = ktime_get_real_seconds();
	struct nfsec_sad *sad = sa->sad;
	bool larval, unlinked = false;
	int why;

	mutex_lock(&sad->lock);
	if (nfsec_sa_dead(sa))
		goto unlock;
	larval = test_bit(NFSEC_SA_LARVAL, &sa->state);
	why = test_bit(NFSEC_SA_HARD_HIT, &sa->state) ? 1 + sa->hard_reason :
		nfsec_sa_lft_reached(sa, &sa->hard, now, false);
	if (why) {
		set_bit(NFSEC_SA_HARD_HIT, &sa->state);
		__nfsec_sad_unlink(sad, sa);
		if (sad->expire && !larval)
			sad->expire(sa, true, why - 1, sad->expire_arg);
		unlinked = true;
		goto unlock;
	}
	if (!test_bit(NFSEC_SA_SOFT_FIRED, &sa->state)) {
		why = test_bit(NFSEC_SA_SOFT_HIT, &sa->state) ?
			1 + sa->soft_reason :
			nfsec_sa_lft_reached(sa, &sa->soft, now, true);
		if (why) {
			set_bit(NFSEC_SA_SOFT_FIRED, &sa->state);
			if (sad->expire && !larval)
				sad->expire(sa, false, why - 1,
					    sad->expire_arg);
		}
	}
	nfsec_sa_lft_arm(sa, now);
unlock:
	mutex_unlock(&sad->lock);
	if (unlinked)
		nfsec_sa_put(sa);
}

/*
 * The packet path, once per packet that passes the SA: count it, and say
 * whether the SA may still be used. Byte and packet lifetimes are counted in
 * shared atomics only when the SA has such a limit; as XFRM does, a hard
 * limit refuses the packets after the one that reached it.
 */
int nfsec_sa_account(struct nfsec_sa *sa, unsigned int bytes)
{
	bool kick = false;
	u64 b = 0, p = 0;

	if (unlikely(test_bit(NFSEC_SA_HARD_HIT, &sa->state)))
		return -EKEYEXPIRED;
	if (unlikely(!test_bit(NFSEC_SA_USED, &sa->state)) &&
	    !test_and_set_bit(NFSEC_SA_USED, &sa->state)) {
		WRITE_ONCE(sa->use_time, ktime_get_real_seconds());
		kick = sa->soft.use_seconds || sa->hard.use_seconds;
	}
	if (sa->soft.bytes || sa->hard.bytes)
		b = atomic64_fetch_add(bytes, &sa->lft_bytes);
	if (sa->soft.packets || sa->hard.packets)
		p = atomic64_fetch_inc(&sa->lft_packets);
	if (sa->hard.bytes && b >= sa->hard.bytes) {
		nfsec_sa_expire_now(sa, true, NFSEC_EXPIRE_BYTES);
		return -EKEYEXPIRED;
	}
	if (sa->hard.packets && p >= sa->hard.packets) {
		nfsec_sa_expire_now(sa, true, NFSEC_EXPIRE_PACKETS);
		return -EKEYEXPIRED;
	}
	if (!test_bit(NFSEC_SA_SOFT_FIRED, &sa->state) &&
	    ((sa->soft.bytes && b + bytes >= sa->soft.bytes) ||
	     (sa->soft.packets && p + 1 >= sa->soft.packets)))
		kick = true;
	if (kick)
		nfsec_sa_lft_kick(sa);
	nfsec_sa_count_packet(sa, bytes);
	return 0;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sa_account);

/*
 * The packet path found the SA unusable (hard: e.g. sequence numbers
 * exhausted) or soon to be (soft): have the lifetime work send the event
 * and, when hard, delete the SA. The first reason given is the one sent.
 */
void nfsec_sa_expire_now(struct nfsec_sa *sa, bool hard,
			 enum nfsec_expire_reason reason)
{
	if (test_bit(hard ? NFSEC_SA_HARD_HIT : NFSEC_SA_SOFT_HIT, &sa->state))
		return;
	if (hard)
		WRITE_ONCE(sa->hard_reason, reason);
	else
		WRITE_ONCE(sa->soft_reason, reason);
	if (!test_and_set_bit(hard ? NFSEC_SA_HARD_HIT : NFSEC_SA_SOFT_HIT,
			      &sa->state))
		nfsec_sa_lft_kick(sa);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sa_expire_now);

void nfsec_sa_stats_fold(const struct nfsec_sa *sa,
			 struct nfsec_sa_stats *total)
{
	int cpu, i;

	memset(total, 0, sizeof(*total));
	for_each_possible_cpu(cpu) {
		const struct nfsec_sa_pcpu *p = per_cpu_ptr(sa->pcpu, cpu);
		struct nfsec_sa_stats snap;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&p->syncp);
			snap.packets = u64_stats_read(&p->packets);
			snap.bytes = u64_stats_read(&p->bytes);
			for (i = 0; i < __NFSEC_SA_DROP_MAX; i++)
				snap.drop[i] = u64_stats_read(&p->drop[i]);
		} while (u64_stats_fetch_retry(&p->syncp, start));
		total->packets += snap.packets;
		total->bytes += snap.bytes;
		for (i = 0; i < __NFSEC_SA_DROP_MAX; i++)
			total->drop[i] += snap.drop[i];
	}
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sa_stats_fold);

/* --- creation ----------------------------------------------------------- */

static struct nfsec_sa *nfsec_sa_alloc(struct nfsec_sad *sad,
				       const struct nfsec_sa_path *path)
{
	struct nfsec_sa_path *p;
	struct nfsec_sa *sa;
	int cpu;

	if (path->family != AF_INET && path->family != AF_INET6)
		return ERR_PTR(-EAFNOSUPPORT);
	sa = kzalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		return ERR_PTR(-ENOMEM);
	p = nfsec_sa_path_dup(path);
	sa->pcpu = alloc_percpu(struct nfsec_sa_pcpu);
	if (!p || !sa->pcpu) {
		nfsec_sa_path_free(p);
		free_percpu(sa->pcpu);
		kfree(sa);
		return ERR_PTR(-ENOMEM);
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(sa->pcpu, cpu)->syncp);
	RCU_INIT_POINTER(sa->path, p);
	INIT_HLIST_NODE(&sa->hnode);
	INIT_HLIST_NODE(&sa->onode);
	INIT_LIST_HEAD(&sa->list);
	refcount_set(&sa->ref, 1);
	/* Not in the SAD until nfsec_sad_add(): no lifetime work acts on it. */
	set_bit(NFSEC_SA_DEAD, &sa->state);
	INIT_DELAYED_WORK(&sa->lft_work, nfsec_sa_lft_work);
	INIT_RCU_WORK(&sa->free_work, nfsec_sa_free_work);
	sa->sad = sad;
	atomic_inc(&sad->live);
	return sa;
}

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * Test kernels only (those with KUnit, like the debug kernel): put every ESP
 * SA's AEAD behind cryptd, so that each packet completes later from cryptd's
 * workqueue and the -EINPROGRESS and -EBUSY (backlog) paths carry real
 * traffic. SAs added after the change use it.
 */
static bool test_async_crypto;
module_param(test_async_crypto, bool, 0644);
MODULE_PARM_DESC(test_async_crypto,
		 "tests only: run ESP transforms through cryptd (asynchronous)");
#else
static const bool test_async_crypto;
#endif

static struct crypto_aead *nfsec_sa_alloc_aead(const char *name)
{
	char wrapped[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *sync;
	int n;

	if (!READ_ONCE(test_async_crypto))
		return crypto_alloc_aead(name, 0, 0);
	/*
	 * cryptd wraps a synchronous implementation and registers its
	 * instance under that one's algorithm name: only the driver name,
	 * "cryptd(DRIVER)", finds it.
	 */
	sync = crypto_alloc_aead(name, 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(sync))
		return sync;
	n = snprintf(wrapped, sizeof(wrapped), "cryptd(%s)",
		     crypto_tfm_alg_driver_name(crypto_aead_tfm(sync)));
	crypto_free_aead(sync);
	if (n >= sizeof(wrapped))
		return ERR_PTR(-ENAMETOOLONG);
	return crypto_alloc_aead(wrapped, 0, 0);
}

/* The AEAD of an ESP SA, named as esp4.c's esp_init_aead/authenc name it. */
static int nfsec_sa_init_aead(struct nfsec_sa *sa,
			      const struct nfsec_sa_cfg *cfg)
{
	bool esn = cfg->flags & NFSEC_SA_F_ESN;
	struct crypto_authenc_key_param *param;
	char name[CRYPTO_MAX_ALG_NAME];
	const char *geniv = "seqiv";
	unsigned int keylen;
	struct rtattr *rta;
	u8 *key = NULL;
	int err, n;

	if (cfg->aead_name[0]) {
		n = snprintf(name, sizeof(name), "%s%s%s%s",
			     cfg->raw_iv ? "" : geniv, cfg->raw_iv ? "" : "(",
			     cfg->aead_name, cfg->raw_iv ? "" : ")");
	} else {
		if (!cfg->enc_name[0])
			return -EINVAL;
		/* A null cipher has no IV; CBC modes take echainiv. */
		geniv = strcmp(cfg->enc_name, "ecb(cipher_null)") ?
			"echainiv" : NULL;
		if (cfg->raw_iv)
			geniv = NULL;
		n = snprintf(name, sizeof(name), "%s%sauthenc%s(%s,%s)%s",
			     geniv ?: "", geniv ? "(" : "", esn ? "esn" : "",
			     cfg->auth_name[0] ? cfg->auth_name : "digest_null",
			     cfg->enc_name, geniv ? ")" : "");
	}
	if (n >= sizeof(name))
		return -ENAMETOOLONG;
	sa->aead = nfsec_sa_alloc_aead(name);
	if (IS_ERR(sa->aead)) {
		err = PTR_ERR(sa->aead);
		sa->aead = NULL;
		return err;
	}
	if (cfg->aead_name[0]) {
		err = crypto_aead_setkey(sa->aead, cfg->enc_key,
					 cfg->enc_keylen);
	} else {
		/* authenc's key blob: rtattr(enc key length), auth, enc. */
		keylen = RTA_SPACE(sizeof(*param)) + cfg->auth_keylen +
			 cfg->enc_keylen;
		key = kmalloc(keylen, GFP_KERNEL);
		if (!key)
			return -ENOMEM;
		rta = (struct rtattr *)key;
		rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
		rta->rta_len = RTA_LENGTH(sizeof(*param));
		param = RTA_DATA(rta);
		param->enckeylen = cpu_to_be32(cfg->enc_keylen);
		memcpy(key + RTA_SPACE(sizeof(*param)), cfg->auth_key,
		       cfg->auth_keylen);
		memcpy(key + RTA_SPACE(sizeof(*param)) + cfg->auth_keylen,
		       cfg->enc_key, cfg->enc_keylen);
		err = crypto_aead_setkey(sa->aead, key, keylen);
		kfree_sensitive(key);
	}
	if (err)
		return err;
	err = crypto_aead_setauthsize(sa->aead, cfg->icv_len);
	if (err)
		return err;
	sa->icv_len = cfg->icv_len;
	sa->iv_len = crypto_aead_ivsize(sa->aead);
	sa->block_len = ALIGN(crypto_aead_blocksize(sa->aead), 4);
	return 0;
}

/* AH: a keyed hash, its output truncated to icv_len (RFC 4868). */
static int nfsec_sa_init_ahash(struct nfsec_sa *sa,
			       const struct nfsec_sa_cfg *cfg)
{
	int err;

	if (!cfg->auth_name[0] || cfg->aead_name[0] || cfg->enc_name[0])
		return -EINVAL;
	sa->shash = crypto_alloc_shash(cfg->auth_name, 0, 0);
	if (IS_ERR(sa->shash)) {
		err = PTR_ERR(sa->shash);
		sa->shash = NULL;
		return err;
	}
	err = crypto_shash_setkey(sa->shash, cfg->auth_key, cfg->auth_keylen);
	if (err)
		return err;
	if (!cfg->icv_len || cfg->icv_len % 4 ||
	    cfg->icv_len > crypto_shash_digestsize(sa->shash))
		return -EINVAL;
	sa->icv_len = cfg->icv_len;
	return 0;
}

/* A new SA, not yet in the SAD: add it with nfsec_sad_add(). */
struct nfsec_sa *nfsec_sa_create(struct nfsec_sad *sad,
				 const struct nfsec_sa_cfg *cfg)
{
	bool esn = cfg->flags & NFSEC_SA_F_ESN;
	struct nfsec_sa *sa;
	int err = -EINVAL;

	if ((cfg->proto != IPPROTO_ESP && cfg->proto != IPPROTO_AH) ||
	    cfg->mode > NFSEC_MODE_MAX ||
	    (cfg->dir != NFSEC_DIR_IN && cfg->dir != NFSEC_DIR_OUT) ||
	    cfg->df > NFSEC_DF_MAX || (cfg->flags & ~__NFSEC_SA_F_ALL) ||
	    !cfg->spi ||
	    cfg->enc_keylen > NFSEC_KEY_MAX ||
	    cfg->auth_keylen > NFSEC_KEY_MAX ||
	    (cfg->proto == IPPROTO_AH && cfg->path.encap_dport))
		return ERR_PTR(-EINVAL);
	sa = nfsec_sa_alloc(sad, &cfg->path);
	if (IS_ERR(sa))
		return sa;
	sa->spi = cfg->spi;
	sa->proto = cfg->proto;
	sa->mode = cfg->mode;
	sa->dir = cfg->dir;
	sa->df = cfg->df;
	sa->dscp = cfg->dscp;
	sa->flags = cfg->flags;
	sa->owner = cfg->flags & NFSEC_SA_F_OWNED ? cfg->owner : 0;
	sa->reqid = cfg->reqid;
	sa->tfc_pad = cfg->tfc_pad;
	sa->mtu = cfg->mtu;
	sa->sel = cfg->sel;
	sa->soft = cfg->soft;
	sa->hard = cfg->hard;
	sa->raw_iv = cfg->raw_iv;
	nfsec_seq_init(&sa->seq, esn, cfg->seq);
	/* Ask for a rekey with 2^24 (ESN: 2^56) sequence numbers left. */
	sa->seq_soft = esn ? U64_MAX - (1ULL << 56) : U32_MAX - (1U << 24);

	if (cfg->proto == IPPROTO_ESP)
		err = nfsec_sa_init_aead(sa, cfg);
	else
		err = nfsec_sa_init_ahash(sa, cfg);
	if (err)
		goto fail;
	if (cfg->dir == NFSEC_DIR_IN) {
		sa->replay = nfsec_replay_alloc(cfg->replay_window, esn,
						GFP_KERNEL);
		if (IS_ERR(sa->replay)) {
			err = PTR_ERR(sa->replay);
			sa->replay = NULL;
			goto fail;
		}
		nfsec_replay_start(sa->replay, cfg->seq);
	}
	sa->cfg = kmemdup(cfg, sizeof(*cfg), GFP_KERNEL);
	if (!sa->cfg) {
		err = -ENOMEM;
		goto fail;
	}
	return sa;

fail:
	nfsec_sa_destroy(sa);
	return ERR_PTR(err);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sa_create);

/* Under sad->lock: link @sa (ref owned by the SAD from now on). */
static void __nfsec_sad_link(struct nfsec_sad *sad, struct nfsec_sa *sa)
{
	lockdep_assert_held(&sad->lock);
	clear_bit(NFSEC_SA_DEAD, &sa->state);
	sa->add_time = ktime_get_real_seconds();
	hlist_add_head_rcu(&sa->hnode, nfsec_sad_bucket(sad, sa->spi));
	/* Head first: after a rekey the newest SA carries the traffic. */
	if (sa->dir == NFSEC_DIR_OUT && !test_bit(NFSEC_SA_LARVAL, &sa->state))
		hlist_add_head_rcu(&sa->onode,
				   nfsec_sad_out_bucket(sad, sa->reqid));
	list_add_tail_rcu(&sa->list, &sad->all);
	sad->count++;
	if (sa->owner)
		WRITE_ONCE(sad->owned, sad->owned + 1);
	sad->generation++;
	nfsec_sa_lft_arm(sa, sa->add_time);
}

/*
 * Add @sa, taking over the caller's reference. An inbound SA takes the
 * place of the SPI reservation with its SPI, destination and protocol.
 * -EEXIST if another SA has them.
 */
int nfsec_sad_add(struct nfsec_sad *sad, struct nfsec_sa *sa)
{
	struct nfsec_sa *old;
	struct nfsec_sa_path *path;
	int err = 0;

	mutex_lock(&sad->lock);
	path = rcu_dereference_protected(sa->path, lockdep_is_held(&sad->lock));
	old = __nfsec_sad_find(sad, sa->spi, path->family, &path->daddr,
			       sa->proto);
	if (old && (!test_bit(NFSEC_SA_LARVAL, &old->state) ||
		    sa->dir != NFSEC_DIR_IN)) {
		err = -EEXIST;
		goto unlock;
	}
	if (old)
		__nfsec_sad_unlink(sad, old);
	__nfsec_sad_link(sad, sa);
unlock:
	mutex_unlock(&sad->lock);
	if (err)
		return err;
	nfsec_sa_put(old);
	return 0;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sad_add);

int nfsec_sad_del(struct nfsec_sad *sad, __be32 spi, u16 family,
		  const union nfsec_addr *daddr, u8 proto)
{
	struct nfsec_sa *sa;

	mutex_lock(&sad->lock);
	sa = __nfsec_sad_find(sad, spi, family, daddr, proto);
	if (sa)
		__nfsec_sad_unlink(sad, sa);
	mutex_unlock(&sad->lock);
	if (!sa)
		return -ESRCH;
	nfsec_sa_put(sa);
	return 0;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sad_del);

static bool nfsec_sa_flush_match(const struct nfsec_sa *sa, u8 proto,
				 u32 owner)
{
	return (!proto || sa->proto == proto) && (!owner || sa->owner == owner);
}

/*
 * Delete every SA and SPI reservation, or those of one protocol (@proto) or
 * owner (@owner: a socket's portid; see NFSEC_SA_F_OWNED).
 */
void nfsec_sad_flush(struct nfsec_sad *sad, u8 proto, u32 owner)
{
	struct nfsec_sa *sa, **dead;
	unsigned int n = 0, i;

	/* Every genl socket's close asks: most SADs own nothing. */
	if (owner && !READ_ONCE(sad->owned))
		return;
	mutex_lock(&sad->lock);
	dead = kvmalloc_array(max(sad->count, 1U), sizeof(*dead), GFP_KERNEL);
	list_for_each_entry(sa, &sad->all, list) {
		if (!nfsec_sa_flush_match(sa, proto, owner))
			continue;
		if (dead)
			dead[n++] = sa;
	}
	for (i = 0; i < n; i++)
		__nfsec_sad_unlink(sad, dead[i]);
	mutex_unlock(&sad->lock);
	for (i = 0; i < n; i++)
		nfsec_sa_put(dead[i]);
	kvfree(dead);
	/* Without memory for the array, go one SA at a time. */
	if (!dead) {
		for (;;) {
			mutex_lock(&sad->lock);
			sa = list_first_entry_or_null(&sad->all,
						      struct nfsec_sa, list);
			while (sa && !nfsec_sa_flush_match(sa, proto, owner))
				sa = list_is_last(&sa->list, &sad->all) ? NULL :
				     list_next_entry(sa, list);
			if (sa)
				__nfsec_sad_unlink(sad, sa);
			mutex_unlock(&sad->lock);
			if (!sa)
				break;
			nfsec_sa_put(sa);
		}
	}
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sad_flush);

/*
 * MOBIKE: new outer addresses and/or encapsulation ports for a live SA. The
 * SA keeps its counters, sequence numbers and replay window; packets in
 * flight see the old or the new path, never a mix.
 */
int nfsec_sad_update_path(struct nfsec_sad *sad, __be32 spi, u16 family,
			  const union nfsec_addr *daddr, u8 proto,
			  const struct nfsec_sa_path *path)
{
	struct nfsec_sa_path *new, *old;
	struct nfsec_sa *sa, *other;
	int err = 0;

	if (path->family != AF_INET && path->family != AF_INET6)
		return -EAFNOSUPPORT;
	new = nfsec_sa_path_dup(path);
	if (!new)
		return -ENOMEM;
	mutex_lock(&sad->lock);
	sa = __nfsec_sad_find(sad, spi, family, daddr, proto);
	if (!sa || test_bit(NFSEC_SA_LARVAL, &sa->state)) {
		err = -ESRCH;
		goto unlock;
	}
	other = __nfsec_sad_find(sad, spi, path->family, &path->daddr, proto);
	if (other && other != sa) {
		err = -EEXIST;
		goto unlock;
	}
	old = rcu_dereference_protected(sa->path, lockdep_is_held(&sad->lock));
	rcu_assign_pointer(sa->path, new);
	/* The old path's cached route goes with it, after the readers. */
	call_rcu(&old->rcu, nfsec_sa_path_free_rcu);
	new = NULL;
	/* What ICMP reported was about the old path. */
	WRITE_ONCE(sa->pmtu, 0);
	sad->generation++;
unlock:
	mutex_unlock(&sad->lock);
	nfsec_sa_path_free(new);
	return err;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sad_update_path);

/* Under sad->lock: is @spi in use by any SA or reservation of @proto? */
static bool nfsec_sad_spi_used(struct nfsec_sad *sad, __be32 spi, u8 proto)
{
	struct nfsec_sa *sa;

	hlist_for_each_entry(sa, nfsec_sad_bucket(sad, spi), hnode)
		if (sa->spi == spi && sa->proto == proto)
			return true;
	return false;
}

/*
 * Reserve a free inbound SPI in [min, max] (from a random start) for an IKE
 * negotiation: a larval entry that the inbound SA with this SPI replaces, and
 * that expires after @expires_secs. SPIs 1..255 are reserved by IANA. The SPI
 * is unique among this protocol's SAs whatever their destination, so that
 * inbound SAs could be told apart by SPI alone.
 */
int nfsec_sad_alloc_spi(struct nfsec_sad *sad, u16 family,
			const union nfsec_addr *daddr, u8 proto,
			u32 min, u32 max, u32 expires_secs, __be32 *spi)
{
	struct nfsec_sa_path path = { .family = family, .daddr = *daddr };
	u32 range, start, i, cand;
	struct nfsec_sa *sa;
	int err = -ENOSPC;

	if (min < 256 || min > max || !expires_secs ||
	    (proto != IPPROTO_ESP && proto != IPPROTO_AH))
		return -EINVAL;
	sa = nfsec_sa_alloc(sad, &path);
	if (IS_ERR(sa))
		return PTR_ERR(sa);
	set_bit(NFSEC_SA_LARVAL, &sa->state);
	sa->proto = proto;
	sa->dir = NFSEC_DIR_IN;
	sa->hard.add_seconds = expires_secs;

	range = max - min;	/* + 1, which may not fit */
	start = range == U32_MAX ? get_random_u32() :
		get_random_u32_below(range + 1);
	mutex_lock(&sad->lock);
	i = 0;
	do {
		cand = range == U32_MAX ? start + i :
		       min + (u32)(((u64)start + i) % ((u64)range + 1));
		if (!nfsec_sad_spi_used(sad, cpu_to_be32(cand), proto)) {
			sa->spi = cpu_to_be32(cand);
			__nfsec_sad_link(sad, sa);
			*spi = sa->spi;
			err = 0;
			break;
		}
	} while (i++ != range);
	mutex_unlock(&sad->lock);
	if (err)
		nfsec_sa_destroy(sa);
	return err;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sad_alloc_spi);

struct nfsec_sad *nfsec_sad_create(struct net *net, nfsec_sa_expire_t expire,
				   void *expire_arg)
{
	struct nfsec_sad *sad;
	unsigned int i;

	sad = kzalloc(sizeof(*sad), GFP_KERNEL);
	if (!sad)
		return NULL;
	sad->wq = alloc_workqueue("nfsec_sad", WQ_UNBOUND, 0);
	if (!sad->wq) {
		kfree(sad);
		return NULL;
	}
	mutex_init(&sad->lock);
	for (i = 0; i < ARRAY_SIZE(sad->hash); i++)
		INIT_HLIST_HEAD(&sad->hash[i]);
	for (i = 0; i < ARRAY_SIZE(sad->out_hash); i++)
		INIT_HLIST_HEAD(&sad->out_hash[i]);
	INIT_LIST_HEAD(&sad->all);
	atomic_set(&sad->live, 0);
	sad->hash_seed = get_random_u32();
	sad->expire = expire;
	sad->expire_arg = expire_arg;
	sad->net = net;
	return sad;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sad_create);

/*
 * Namespace teardown: delete every SA, then wait until the last of them is
 * freed (packets in asynchronous crypto hold references) before the work
 * queue and the SAD go.
 */
void nfsec_sad_destroy(struct nfsec_sad *sad)
{
	if (!sad)
		return;
	nfsec_sad_flush(sad, 0, 0);
	wait_var_event(&sad->live, !atomic_read(&sad->live));
	destroy_workqueue(sad->wq);
	mutex_destroy(&sad->lock);
	kfree(sad);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_sad_destroy);
