// SPDX-License-Identifier: GPL-2.0
/*
 * Anti-replay (RFC 4303 §3.4.3 and Appendix A) and outbound sequence numbers.
 *
 * Inbound, the packet path asks twice: nfsec_replay_check() before spending
 * a decryption on the packet (lockless, may be stale), then
 * nfsec_replay_advance() once the ICV verified (under the SA's replay lock,
 * checking again). Only authenticated packets move the window.
 */
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "main.h"
#include "replay.h"

struct nfsec_replay *nfsec_replay_alloc(u32 window, bool esn, gfp_t gfp)
{
	struct nfsec_replay *rp;
	u32 nwords;

	if (window && (window < NFSEC_REPLAY_MIN || window > NFSEC_REPLAY_MAX))
		return ERR_PTR(-EINVAL);
	/* One spare word, and a power of two so that the ring index masks. */
	nwords = roundup_pow_of_two(DIV_ROUND_UP(window, BITS_PER_LONG) + 1);
	rp = kzalloc(struct_size(rp, bitmap, nwords), gfp);
	if (!rp)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&rp->lock);
	rp->window = window;
	rp->nwords = nwords;
	rp->esn = esn;
	return rp;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_replay_alloc);

void nfsec_replay_free(struct nfsec_replay *rp)
{
	kfree(rp);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_replay_free);

/*
 * A new SA's window starts at @top rather than 0 (the state of an SA moved
 * from elsewhere): @top and the numbers of the window below it count as
 * received. Before the SA is published, so without the lock.
 */
void nfsec_replay_start(struct nfsec_replay *rp, u64 top)
{
	unsigned long bits = rp->nwords * BITS_PER_LONG;
	u32 w;

	if (!top || !rp->window)
		return;
	rp->top = top;
	/* Every word of the ring is below top but its own: whole words. */
	for (w = 0; w < rp->nwords; w++)
		rp->bitmap[w] = ~0UL;
	w = (top & (bits - 1)) / BITS_PER_LONG;
	rp->bitmap[w] = GENMASK(top % BITS_PER_LONG, 0);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_replay_start);

/*
 * RFC 4303 Appendix A2.1: guess the high 32 bits of a received sequence
 * number from its low 32 bits and the window. Returns false when the number
 * would lie in the subspace before the first one: it can only be too old.
 */
static bool nfsec_replay_reconstruct(u64 top, u32 window, u32 seq_lo,
				     u64 *seq)
{
	u32 tl = lower_32_bits(top), th = upper_32_bits(top);
	u32 w = max(window, 1U);

	if (tl >= w - 1) {
		/* The window lies within one subspace. */
		if (seq_lo < tl - w + 1)
			th++;
	} else if (seq_lo >= tl - w + 1) {
		/* The window spans two subspaces; this is in the lower one. */
		if (!th)
			return false;
		th--;
	}
	*seq = (u64)th << 32 | seq_lo;
	return true;
}

u64 nfsec_replay_seq64(const struct nfsec_replay *rp, u32 seq_lo)
{
	u64 seq = seq_lo;

	if (rp->esn && !nfsec_replay_reconstruct(READ_ONCE(rp->top),
						 rp->window, seq_lo, &seq))
		return 0;
	return seq;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_replay_seq64);

static inline unsigned long nfsec_replay_bit(const struct nfsec_replay *rp,
					     u64 seq)
{
	return (unsigned long)seq & (rp->nwords * BITS_PER_LONG - 1);
}

static enum nfsec_replay_verdict
nfsec_replay_test(const struct nfsec_replay *rp, u64 top, u64 seq)
{
	if (!seq)
		return NFSEC_REPLAY_ZERO;
	if (!rp->window || seq > top)
		return NFSEC_REPLAY_OK;
	if (top - seq >= rp->window)
		return NFSEC_REPLAY_OLD;
	if (test_bit(nfsec_replay_bit(rp, seq), rp->bitmap))
		return NFSEC_REPLAY_DUP;
	return NFSEC_REPLAY_OK;
}

/*
 * Before decryption: may the packet with low sequence bits @seq_lo be
 * accepted? On NFSEC_REPLAY_OK, @seq is the full (ESN) sequence number to
 * authenticate and later to pass to nfsec_replay_advance().
 */
enum nfsec_replay_verdict nfsec_replay_check(const struct nfsec_replay *rp,
					     u32 seq_lo, u64 *seq)
{
	u64 top = READ_ONCE(rp->top);

	*seq = seq_lo;
	if (rp->esn && !nfsec_replay_reconstruct(top, rp->window, seq_lo, seq))
		return NFSEC_REPLAY_OLD;
	return nfsec_replay_test(rp, top, *seq);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_replay_check);

/*
 * After the ICV verified: record @seq, sliding the window right if it is
 * new. Checks again under the lock: another CPU may have accepted the same
 * number, or moved the window past it, since nfsec_replay_check().
 */
enum nfsec_replay_verdict nfsec_replay_advance(struct nfsec_replay *rp,
					       u64 seq)
{
	enum nfsec_replay_verdict v;
	u64 top, w, last;

	spin_lock_bh(&rp->lock);
	top = rp->top;
	v = nfsec_replay_test(rp, top, seq);
	if (v != NFSEC_REPLAY_OK)
		goto out;
	if (seq > top) {
		if (rp->window) {
			/* Clear the words the window enters, a word a time. */
			last = seq / BITS_PER_LONG;
			w = top / BITS_PER_LONG + 1;
			if (last >= w && last - w >= rp->nwords)
				w = last - rp->nwords + 1;
			for (; w <= last; w++)
				WRITE_ONCE(rp->bitmap[w & (rp->nwords - 1)], 0);
		}
		WRITE_ONCE(rp->top, seq);
	}
	if (rp->window)
		set_bit(nfsec_replay_bit(rp, seq), rp->bitmap);
out:
	spin_unlock_bh(&rp->lock);
	return v;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_replay_advance);

/*
 * The next outbound sequence number, or -EOVERFLOW once the last one
 * (2^32 - 1, or 2^64 - 1 with ESN) has been handed out: the counter then
 * stays at its maximum and every later call fails too.
 */
int nfsec_seq_next(struct nfsec_seq *s, u64 *seq)
{
	s64 max = s->esn ? (s64)U64_MAX : (s64)U32_MAX;
	s64 old;

	old = atomic64_fetch_add_unless(&s->last, 1, max);
	if (old == max)
		return -EOVERFLOW;
	*seq = (u64)old + 1;
	return 0;
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_seq_next);

/* True for exactly one caller after exhaustion: the one to raise the event. */
bool nfsec_seq_report_exhausted(struct nfsec_seq *s)
{
	return !test_and_set_bit(0, &s->exhausted);
}
NFSEC_EXPORT_FOR_KUNIT(nfsec_seq_report_exhausted);
