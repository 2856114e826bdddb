// SPDX-License-Identifier: GPL-2.0
/* KUnit: anti-replay window, ESN reconstruction, outbound sequence numbers. */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/slab.h>

#include "main.h"
#include "replay.h"

/* What the receive path does: check, then (ICV fine) advance. */
static enum nfsec_replay_verdict rx(struct nfsec_replay *rp, u32 seq_lo,
				    u64 *seq)
{
	enum nfsec_replay_verdict v;
	u64 s;

	v = nfsec_replay_check(rp, seq_lo, &s);
	if (v == NFSEC_REPLAY_OK)
		v = nfsec_replay_advance(rp, s);
	if (seq)
		*seq = s;
	return v;
}

struct replay_step {
	u32 seq_lo;
	enum nfsec_replay_verdict expect;
	u64 seq;	/* full sequence number expected, when not 0 */
};

struct replay_case {
	const char *name;
	u32 window;
	bool esn;
	u64 start;	/* top before the first step (0: fresh SA) */
	const struct replay_step *steps;
	unsigned int nsteps;
	u64 restored;	/* top given at creation (SEQ): nfsec_replay_start() */
};

#define OK	NFSEC_REPLAY_OK
#define DUP	NFSEC_REPLAY_DUP
#define OLD	NFSEC_REPLAY_OLD
#define ZERO	NFSEC_REPLAY_ZERO
#define STEPS(a) .steps = a, .nsteps = ARRAY_SIZE(a)

static const struct replay_step in_order[] = {
	{ 1, OK }, { 2, OK }, { 3, OK }, { 4, OK }, { 5, OK }, { 6, OK },
	{ 0, ZERO },
};

static const struct replay_step reorder[] = {
	{ 5, OK }, { 3, OK }, { 4, OK }, { 1, OK }, { 2, OK }, { 10, OK },
	{ 7, OK }, { 9, OK }, { 6, OK }, { 8, OK }, { 11, OK },
};

static const struct replay_step dups[] = {
	{ 1, OK }, { 1, DUP }, { 3, OK }, { 2, OK }, { 3, DUP }, { 2, DUP },
	{ 100, OK }, { 100, DUP }, { 69, OK }, { 69, DUP }, { 37, OK },
	{ 37, DUP }, { 36, OLD }, { 1, OLD },
};

/*
 * With ESN a number left of the window reads as one from the next subspace
 * (its ICV would then fail): only in-window duplicates are refused here.
 */
static const struct replay_step esn_dups[] = {
	{ 1, OK, 1 }, { 1, DUP }, { 3, OK }, { 2, OK }, { 3, DUP },
	{ 100, OK, 100 }, { 100, DUP }, { 69, OK, 69 }, { 69, DUP },
	{ 37, OK, 37 }, { 37, DUP },
};

/* Window 64 (a ring of 128): a jump past the ring clears every old bit. */
static const struct replay_step far_ahead[] = {
	{ 1, OK }, { 2, OK }, { 100000, OK }, { 99999, OK }, { 99937, OK },
	{ 99936, OLD }, { 2, OLD }, { 100128, OK }, { 100065, OK },
	{ 100064, OLD }, { 100065, DUP }, { 100127, OK }, { 100000, OLD },
	{ 0x7fffffff, OK }, { 0x7fffffc0, OK }, { 0x7fffffbf, OLD },
	{ 100128, OLD },
};

static const struct replay_step far_behind[] = {
	{ 1000, OK }, { 937, OK }, { 936, OLD }, { 1, OLD }, { 999, OK },
	{ 937, DUP },
};

/* ESN, window 64, starting just below 2^32. */
static const struct replay_step esn_wrap[] = {
	{ 0xfffffff0, OK, 0xfffffff0ULL }, { 0xffffffff, OK, 0xffffffffULL },
	{ 0, OK, 0x100000000ULL }, { 5, OK, 0x100000005ULL },
	{ 0xfffffff8, OK, 0xfffffff8ULL }, { 0xfffffff8, DUP },
	{ 0xffffffff, DUP }, { 0, DUP },
	{ 0xffffffc6, OK, 0xffffffc6ULL }, { 0xffffffc7, OK, 0xffffffc7ULL },
	{ 40, OK, 0x100000028ULL }, { 0xffffffe9, OK, 0xffffffe9ULL },
	{ 0x80000000, OK, 0x180000000ULL },
	{ 0x7fffffc1, OK, 0x17fffffc1ULL },
	{ 0xfffffff0, OK, 0x1fffffff0ULL }, { 3, OK, 0x200000003ULL },
	{ 0xfffffff0, DUP },
};

/* ESN: a fresh SA cannot receive numbers from "before" subspace 0. */
static const struct replay_step esn_start[] = {
	{ 0xffffffff, OLD }, { 1, OK, 1 }, { 0xffffffc2, OLD }, { 2, OK, 2 },
};

/* Without ESN there is no wrap: a small number after 2^32 - 1 is old. */
static const struct replay_step no_esn_top[] = {
	{ 0xffffffff, OK, 0xffffffffULL }, { 1, OLD }, { 0xfffffffe, OK },
};

/* A window restored at 1000: what it covers counts as received. */
static const struct replay_step restored[] = {
	{ 1000, DUP }, { 999, DUP }, { 937, DUP }, { 936, OLD }, { 1001, OK },
	{ 1000, DUP }, { 1065, OK }, { 1002, OK }, { 1002, DUP }, { 1001, OLD },
	{ 1064, OK },
};

/* ESN, window 4096, restored just below 2^32: the high bits roll over. */
static const struct replay_step restored_esn[] = {
	{ 0xfffffff0, DUP }, { 0xffffffef, DUP }, { 0xfffff001, DUP },
	{ 0xffffffff, OK, 0xffffffffULL }, { 0, OK, 0x100000000ULL },
	{ 0xfffff001, DUP }, { 0xfffffff1, OK, 0xfffffff1ULL },
	{ 1, OK, 0x100000001ULL }, { 0xfffffff1, DUP },
};

/* Window 0: no replay protection at all (debugging only). */
static const struct replay_step window_off[] = {
	{ 5, OK }, { 5, OK }, { 1, OK }, { 0, ZERO },
};

static const struct replay_case replay_cases[] = {
	{ "in_order", 64, false, 0, STEPS(in_order) },
	{ "reorder", 32, false, 0, STEPS(reorder) },
	{ "duplicates", 64, false, 0, STEPS(dups) },
	{ "far_ahead", 64, false, 0, STEPS(far_ahead) },
	{ "far_behind", 64, false, 0, STEPS(far_behind) },
	{ "esn_wrap", 64, true, 0xffffffe0ULL, STEPS(esn_wrap) },
	{ "esn_start", 64, true, 0, STEPS(esn_start) },
	{ "no_esn_top", 64, false, 0, STEPS(no_esn_top) },
	{ "window_off", 0, false, 0, STEPS(window_off) },
	{ "in_order_esn", 4096, true, 0, STEPS(in_order) },
	{ "duplicates_esn", 64, true, 0, STEPS(esn_dups) },
	{ "restored", 64, false, 0, STEPS(restored), .restored = 1000 },
	{ "restored_esn_4096", 4096, true, 0, STEPS(restored_esn),
	  .restored = 0xfffffff0ULL },
};

static void replay_case_desc(const struct replay_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(replay, replay_cases, replay_case_desc);

static void replay_table(struct kunit *test)
{
	const struct replay_case *c = test->param_value;
	struct nfsec_replay *rp;
	unsigned int i;
	u64 seq;

	rp = nfsec_replay_alloc(c->window, c->esn, GFP_KERNEL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(rp));
	if (c->start)
		KUNIT_ASSERT_EQ(test, nfsec_replay_advance(rp, c->start), OK);
	nfsec_replay_start(rp, c->restored);
	for (i = 0; i < c->nsteps; i++) {
		const struct replay_step *st = &c->steps[i];

		KUNIT_EXPECT_EQ_MSG(test, rx(rp, st->seq_lo, &seq), st->expect,
				    "step %u seq_lo %#x", i, st->seq_lo);
		if (st->seq)
			KUNIT_EXPECT_EQ_MSG(test, seq, st->seq, "step %u", i);
	}
	nfsec_replay_free(rp);
}

/* Every size from 32 to 4096: the left edge is exactly top - window + 1. */
static void replay_window_sizes(struct kunit *test)
{
	static const u32 sizes[] = { 32, 33, 63, 64, 65, 100, 128, 256, 1000,
				     1024, 2048, 4095, 4096 };
	unsigned int i;
	u32 s, top;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		u32 w = sizes[i];
		struct nfsec_replay *rp = nfsec_replay_alloc(w, false,
							     GFP_KERNEL);

		KUNIT_ASSERT_FALSE(test, IS_ERR(rp));
		top = 3 * w + 77;
		KUNIT_EXPECT_EQ(test, rx(rp, top, NULL), OK);
		KUNIT_EXPECT_EQ_MSG(test, rx(rp, top - w, NULL), OLD, "w %u", w);
		/* Every number in the window once, from the left edge. */
		for (s = top - w + 1; s < top; s++)
			KUNIT_ASSERT_EQ_MSG(test, rx(rp, s, NULL), OK,
					    "w %u s %u", w, s);
		for (s = top - w + 1; s <= top; s++)
			KUNIT_ASSERT_EQ_MSG(test, rx(rp, s, NULL), DUP,
					    "w %u s %u", w, s);
		/* Slide by one word and a bit, clearing only what entered. */
		KUNIT_EXPECT_EQ(test, rx(rp, top + 70, NULL), OK);
		for (s = top + 1; s < top + 70; s++)
			KUNIT_ASSERT_EQ_MSG(test, rx(rp, s, NULL),
					    top + 70 - s < w ? OK : OLD,
					    "w %u s %u", w, s);
		for (s = top + 70 - w + 1; s <= top; s++)
			KUNIT_ASSERT_EQ_MSG(test, rx(rp, s, NULL), DUP,
					    "w %u s %u", w, s);
		KUNIT_EXPECT_EQ(test, rx(rp, top + 70 - w, NULL), OLD);
		nfsec_replay_free(rp);
	}
}

/* RFC 4303 A2.1 directly: (top, low bits) -> the full sequence number. */
static void replay_esn_reconstruct(struct kunit *test)
{
	static const struct {
		u64 top;
		u32 lo;
		u64 seq;
	} v[] = {
		{ 0x100000005ULL, 0xffffffc6, 0xffffffc6ULL },
		{ 0x100000005ULL, 0xffffffc5, 0x1ffffffc5ULL },
		{ 0x100000005ULL, 0x00000000, 0x100000000ULL },
		{ 0x180000000ULL, 0x7fffffc0, 0x27fffffc0ULL },
		{ 0x180000000ULL, 0x7fffffc1, 0x17fffffc1ULL },
		{ 0x180000000ULL, 0x90000000, 0x190000000ULL },
		{ 0x1ffffffffULL, 0x00000001, 0x200000001ULL },
		{ 5, 0xfffffff0, 0 },	/* before subspace 0 */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		struct nfsec_replay *rp = nfsec_replay_alloc(64, true,
							     GFP_KERNEL);

		KUNIT_ASSERT_FALSE(test, IS_ERR(rp));
		KUNIT_ASSERT_EQ(test, nfsec_replay_advance(rp, v[i].top), OK);
		KUNIT_EXPECT_EQ_MSG(test, nfsec_replay_seq64(rp, v[i].lo),
				    v[i].seq, "case %u", i);
		nfsec_replay_free(rp);
	}
}

static void replay_bad_sizes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, PTR_ERR(nfsec_replay_alloc(31, false,
							 GFP_KERNEL)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test,
			PTR_ERR(nfsec_replay_alloc(NFSEC_REPLAY_MAX + 1, true,
						   GFP_KERNEL)),
			-EINVAL);
}

/* A check that passed, then lost the race at advance, is refused there. */
static void replay_check_then_race(struct kunit *test)
{
	struct nfsec_replay *rp = nfsec_replay_alloc(64, false, GFP_KERNEL);
	u64 a, b;

	KUNIT_ASSERT_FALSE(test, IS_ERR(rp));
	KUNIT_EXPECT_EQ(test, nfsec_replay_check(rp, 7, &a), OK);
	KUNIT_EXPECT_EQ(test, nfsec_replay_check(rp, 7, &b), OK);
	KUNIT_EXPECT_EQ(test, nfsec_replay_advance(rp, a), OK);
	KUNIT_EXPECT_EQ(test, nfsec_replay_advance(rp, b), DUP);
	KUNIT_EXPECT_EQ(test, nfsec_replay_check(rp, 1000, &a), OK);
	KUNIT_EXPECT_EQ(test, nfsec_replay_check(rp, 8, &b), OK);
	KUNIT_EXPECT_EQ(test, nfsec_replay_advance(rp, a), OK);
	KUNIT_EXPECT_EQ(test, nfsec_replay_advance(rp, b), OLD);
	nfsec_replay_free(rp);
}

struct seq_case {
	const char *name;
	bool esn;
	u64 start;
	u64 first;	/* first number handed out */
	unsigned int ok;	/* how many succeed */
};

static const struct seq_case seq_cases[] = {
	{ "fresh", false, 0, 1, 5 },
	{ "exhaust_32", false, 0xfffffffdULL, 0xfffffffeULL, 2 },
	{ "esn_crosses_2^32", true, 0xfffffffdULL, 0xfffffffeULL, 5 },
	{ "exhaust_64", true, U64_MAX - 2, U64_MAX - 1, 2 },
};

static void seq_case_desc(const struct seq_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(seq, seq_cases, seq_case_desc);

static void seq_table(struct kunit *test)
{
	const struct seq_case *c = test->param_value;
	struct nfsec_seq s;
	unsigned int i;
	u64 seq;

	nfsec_seq_init(&s, c->esn, c->start);
	for (i = 0; i < c->ok; i++) {
		KUNIT_ASSERT_EQ(test, nfsec_seq_next(&s, &seq), 0);
		KUNIT_EXPECT_EQ(test, seq, c->first + i);
	}
	if (c->ok == 5)
		return;
	/* Exhausted: it stays so, and never wraps to a small number. */
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, nfsec_seq_next(&s, &seq), -EOVERFLOW);
	KUNIT_EXPECT_TRUE(test, nfsec_seq_report_exhausted(&s));
	KUNIT_EXPECT_FALSE(test, nfsec_seq_report_exhausted(&s));
	KUNIT_EXPECT_EQ(test, (u64)atomic64_read(&s.last),
			c->esn ? U64_MAX : (u64)U32_MAX);
}

/* Threads on every CPU draw numbers from one SA: each number exactly once. */
#define SEQ_PER_THREAD 20000
#define SEQ_THREADS 4

struct seq_race {
	struct nfsec_seq seq;
	unsigned long *seen;
	atomic_t dups;
	atomic_t running;
	struct completion done;
};

static int seq_race_thread(void *arg)
{
	struct seq_race *r = arg;
	unsigned int i;
	u64 seq;

	for (i = 0; i < SEQ_PER_THREAD; i++) {
		if (nfsec_seq_next(&r->seq, &seq) ||
		    seq > SEQ_PER_THREAD * SEQ_THREADS ||
		    test_and_set_bit(seq, r->seen))
			atomic_inc(&r->dups);
		if (!(i & 255))
			cond_resched();
	}
	if (atomic_dec_and_test(&r->running))
		complete(&r->done);
	return 0;
}

static void seq_unique_across_cpus(struct kunit *test)
{
	struct seq_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->seen = kunit_kcalloc(test,
				BITS_TO_LONGS(SEQ_PER_THREAD * SEQ_THREADS + 1),
				sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->seen);
	nfsec_seq_init(&r->seq, false, 0);
	init_completion(&r->done);
	atomic_set(&r->running, SEQ_THREADS);
	for (i = 0; i < SEQ_THREADS; i++) {
		struct task_struct *t;

		t = kthread_create(seq_race_thread, r, "nfsec_seq/%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		kthread_bind(t, i % num_online_cpus());
		wake_up_process(t);
	}
	wait_for_completion(&r->done);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->dups), 0);
	KUNIT_EXPECT_EQ(test, bitmap_weight(r->seen,
					    SEQ_PER_THREAD * SEQ_THREADS + 1),
			(unsigned int)SEQ_PER_THREAD * SEQ_THREADS);
}

static struct kunit_case nfsec_replay_cases[] = {
	KUNIT_CASE_PARAM(replay_table, replay_gen_params),
	KUNIT_CASE(replay_window_sizes),
	KUNIT_CASE(replay_esn_reconstruct),
	KUNIT_CASE(replay_bad_sizes),
	KUNIT_CASE(replay_check_then_race),
	KUNIT_CASE_PARAM(seq_table, seq_gen_params),
	KUNIT_CASE(seq_unique_across_cpus),
	{}
};

static struct kunit_suite nfsec_replay_suite = {
	.name = "nfsec_replay",
	.test_cases = nfsec_replay_cases,
};
kunit_test_suite(nfsec_replay_suite);
