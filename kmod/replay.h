/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_REPLAY_H
#define _NFSEC_REPLAY_H

#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/types.h>

/* Window sizes (packets) an inbound SA accepts; 0 turns the check off. */
#define NFSEC_REPLAY_MIN	32U
#define NFSEC_REPLAY_MAX	65536U

/* Why the anti-replay check refused a sequence number. */
enum nfsec_replay_verdict {
	NFSEC_REPLAY_OK,
	NFSEC_REPLAY_ZERO,	/* sequence number 0 is never sent */
	NFSEC_REPLAY_OLD,	/* left of the window */
	NFSEC_REPLAY_DUP,	/* inside the window, already received */
};

/*
 * Inbound anti-replay state of one SA (RFC 4303 §3.4.3, Appendix A).
 *
 * The bitmap is a ring of @nwords words holding one bit per sequence number
 * modulo the ring size; it has one word more than the window needs so that
 * advancing the window clears whole words without losing a live bit (the
 * technique of RFC 6479). @top is the highest authenticated sequence number,
 * 64 bits wide with ESN, below 2^32 without.
 *
 * nfsec_replay_check() runs before decryption without the lock;
 * nfsec_replay_advance() runs after the ICV verified, under @lock, and
 * checks again so that two CPUs racing with one sequence number cannot both
 * win.
 */
struct nfsec_replay {
	spinlock_t lock;	/* writers: nfsec_replay_advance() */
	u64 top;
	u32 window;
	u32 nwords;
	bool esn;
	unsigned long bitmap[];
};

struct nfsec_replay *nfsec_replay_alloc(u32 window, bool esn, gfp_t gfp);
void nfsec_replay_free(struct nfsec_replay *rp);
void nfsec_replay_start(struct nfsec_replay *rp, u64 top);
u64 nfsec_replay_seq64(const struct nfsec_replay *rp, u32 seq_lo);
enum nfsec_replay_verdict nfsec_replay_check(const struct nfsec_replay *rp,
					     u32 seq_lo, u64 *seq);
enum nfsec_replay_verdict nfsec_replay_advance(struct nfsec_replay *rp,
					       u64 seq);

/*
 * Outbound sequence numbers of one SA: @last is the last number handed out.
 * One atomic per packet so that two CPUs never send the same number; the
 * counter stops at its maximum (2^32 - 1, or 2^64 - 1 with ESN) and never
 * wraps: the SA is then exhausted and must be replaced (RFC 4303 §3.3.3).
 */
struct nfsec_seq {
	atomic64_t last;
	bool esn;
	unsigned long exhausted;	/* bit 0: exhaustion was reported */
};

static inline void nfsec_seq_init(struct nfsec_seq *s, bool esn, u64 last)
{
	atomic64_set(&s->last, last);
	s->esn = esn;
	s->exhausted = 0;
}

int nfsec_seq_next(struct nfsec_seq *s, u64 *seq);
bool nfsec_seq_report_exhausted(struct nfsec_seq *s);

#endif /* _NFSEC_REPLAY_H */
