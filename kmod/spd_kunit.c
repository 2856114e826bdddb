// SPDX-License-Identifier: GPL-2.0
/* KUnit: the ordered SPD, its index, PFP and decorrelation. */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/inet.h>
#include <linux/ktime.h>

#include "main.h"
#include "spd.h"

struct spd_fixture {
	struct nfsec_spd *spd;
	u32 next_id;
	u64 seq;
};

static int spd_init(struct kunit *test)
{
	struct spd_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->spd = nfsec_spd_alloc();
	KUNIT_ASSERT_NOT_NULL(test, f->spd);
	f->next_id = 1;
	f->seq = 1;
	test->priv = f;
	return 0;
}

static void spd_exit(struct kunit *test)
{
	struct spd_fixture *f = test->priv;

	nfsec_spd_destroy(f->spd);
}

/* Parse "a.b.c.d", "x::y", "P/len" or "A-B" into an address selector. */
static u16 parse_addr(struct kunit *test, const char *s,
		      struct nfsec_addr_sel *a, u16 *flags, u16 fset, u16 fpfx)
{
	char buf[96], *dash, *slash;
	bool v6 = strchr(s, ':');
	unsigned int alen = v6 ? 16 : 4, i, plen;

	strscpy(buf, s, sizeof(buf));
	memset(a, 0, sizeof(*a));
	dash = strchr(buf, '-');
	slash = strchr(buf, '/');
	if (dash)
		*dash++ = 0;
	if (slash)
		*slash++ = 0;
	KUNIT_ASSERT_TRUE(test, v6 ? in6_pton(buf, -1, (u8 *)&a->start, -1, NULL) :
				     in4_pton(buf, -1, (u8 *)&a->start, -1, NULL));
	*flags |= fset;
	if (dash) {
		KUNIT_ASSERT_TRUE(test, v6 ?
				  in6_pton(dash, -1, (u8 *)&a->end, -1, NULL) :
				  in4_pton(dash, -1, (u8 *)&a->end, -1, NULL));
		return v6 ? AF_INET6 : AF_INET;
	}
	plen = alen * 8;
	if (slash)
		KUNIT_ASSERT_EQ(test, kstrtouint(slash, 10, &plen), 0);
	a->plen = plen;
	*flags |= fpfx;
	for (i = 0; i < alen / 4; i++) {
		u32 host = plen >= 32 ? 0 : (plen ? ~0U >> plen : ~0U);

		a->start.all[i] &= ~htonl(host);
		a->end.all[i] = a->start.all[i] | htonl(host);
		plen = plen >= 32 ? plen - 32 : 0;
	}
	return v6 ? AF_INET6 : AF_INET;
}

struct pol_def {
	const char *src, *dst;	/* NULL: ANY */
	int proto;		/* -1: ANY */
	int sport[2], dport[2];	/* {0, 0}: ANY */
	int icmp_type, icmp_code;	/* -1: ANY */
	bool opaque;
	u8 dir, action, pfp;
	u32 prio;
};

static struct nfsec_policy *add(struct kunit *test, const struct pol_def *d)
{
	struct spd_fixture *f = test->priv;
	struct nfsec_policy_spec spec = {};
	struct nfsec_policy *pol;

	if (d->src)
		spec.family = parse_addr(test, d->src, &spec.sel.src,
					 &spec.sel.flags, NFSEC_SEL_F_SRC,
					 NFSEC_SEL_F_SRC_PREFIX);
	if (d->dst)
		spec.family = parse_addr(test, d->dst, &spec.sel.dst,
					 &spec.sel.flags, NFSEC_SEL_F_DST,
					 NFSEC_SEL_F_DST_PREFIX);
	if (d->proto >= 0) {
		spec.sel.proto = d->proto;
		spec.sel.flags |= NFSEC_SEL_F_PROTO;
	}
	if (d->sport[1]) {
		spec.sel.sport_min = d->sport[0];
		spec.sel.sport_max = d->sport[1];
		spec.sel.flags |= NFSEC_SEL_F_SPORT;
	}
	if (d->dport[1]) {
		spec.sel.dport_min = d->dport[0];
		spec.sel.dport_max = d->dport[1];
		spec.sel.flags |= NFSEC_SEL_F_DPORT;
	}
	if (d->icmp_type >= 0) {
		spec.sel.icmp_type = d->icmp_type;
		spec.sel.flags |= NFSEC_SEL_F_ICMP_TYPE;
	}
	if (d->icmp_code >= 0) {
		spec.sel.icmp_code = d->icmp_code;
		spec.sel.flags |= NFSEC_SEL_F_ICMP_CODE;
	}
	if (d->opaque)
		spec.sel.flags |= NFSEC_SEL_F_OPAQUE;
	spec.sel.pfp = d->pfp;
	spec.dir = d->dir;
	spec.action = d->action;
	spec.priority = d->prio;
	pol = nfsec_policy_create(&spec);
	KUNIT_ASSERT_NOT_NULL(test, pol);
	KUNIT_ASSERT_EQ(test, nfsec_spd_insert(f->spd, pol, &f->next_id,
					       f->seq++), 0);
	return pol;
}

static void tuple(struct kunit *test, struct nfsec_tuple *t, u8 dir,
		  const char *src, const char *dst, u8 proto, u16 sport,
		  u16 dport)
{
	bool v6 = strchr(src, ':');

	memset(t, 0, sizeof(*t));
	t->family = v6 ? AF_INET6 : AF_INET;
	t->dir = dir;
	t->proto = proto;
	t->sport = sport;
	t->dport = dport;
	KUNIT_ASSERT_TRUE(test, v6 ? in6_pton(src, -1, (u8 *)&t->src, -1, NULL) :
				     in4_pton(src, -1, (u8 *)&t->src, -1, NULL));
	KUNIT_ASSERT_TRUE(test, v6 ? in6_pton(dst, -1, (u8 *)&t->dst, -1, NULL) :
				     in4_pton(dst, -1, (u8 *)&t->dst, -1, NULL));
}

static const struct nfsec_policy *lookup(struct kunit *test,
					 const struct nfsec_tuple *t)
{
	struct spd_fixture *f = test->priv;
	const struct nfsec_policy *pol;

	rcu_read_lock();
	pol = nfsec_spd_lookup(f->spd, t);
	rcu_read_unlock();
	return pol;
}

#define ANYP .proto = -1, .icmp_type = -1, .icmp_code = -1

/* Lower priority values first; equal priorities in insertion order. */
static void spd_priority_and_ties(struct kunit *test)
{
	struct pol_def d1 = { ANYP, .dst = "10.0.0.0/8", .prio = 100,
			      .action = NFSEC_ACTION_BYPASS };
	struct pol_def d2 = { ANYP, .dst = "10.1.0.0/16", .prio = 100,
			      .action = NFSEC_ACTION_DISCARD };
	struct pol_def d3 = { ANYP, .prio = 50, .action = NFSEC_ACTION_PROTECT };
	struct nfsec_policy *p1, *p2, *p3;
	struct nfsec_tuple t;

	p1 = add(test, &d1);
	p2 = add(test, &d2);
	tuple(test, &t, NFSEC_DIR_OUT, "192.0.2.1", "10.1.2.3", 6, 1, 2);
	/* Same priority: the first inserted wins, though p2 is longer. */
	KUNIT_EXPECT_PTR_EQ(test, lookup(test, &t), p1);
	p3 = add(test, &d3);
	/* A lower value wins whatever the insertion order. */
	KUNIT_EXPECT_PTR_EQ(test, lookup(test, &t), p3);
	nfsec_spd_remove(((struct spd_fixture *)test->priv)->spd, p3);
	nfsec_policy_free(p3);
	KUNIT_EXPECT_PTR_EQ(test, lookup(test, &t), p1);
	nfsec_spd_remove(((struct spd_fixture *)test->priv)->spd, p1);
	nfsec_policy_free(p1);
	KUNIT_EXPECT_PTR_EQ(test, lookup(test, &t), p2);
	tuple(test, &t, NFSEC_DIR_IN, "192.0.2.1", "10.1.2.3", 6, 1, 2);
	/* Directions are separate SPDs. */
	KUNIT_EXPECT_NULL(test, lookup(test, &t));
}

struct match_case {
	const char *desc;
	struct pol_def pol;
	const char *src, *dst;
	u8 proto;
	u16 sport, dport;
	bool opaque;
	bool match;
};

static const struct match_case match_cases[] = {
	{ "prefix in", { ANYP, .dst = "10.1.0.0/16" }, "1.1.1.1", "10.1.255.255", 6, 1, 2, 0, true },
	{ "prefix out", { ANYP, .dst = "10.1.0.0/16" }, "1.1.1.1", "10.2.0.0", 6, 1, 2, 0, false },
	{ "host bits ignored", { ANYP, .src = "10.1.2.3/24" }, "10.1.2.200", "1.1.1.1", 6, 1, 2, 0, true },
	{ "range low edge", { ANYP, .src = "10.0.0.5-10.0.1.7" }, "10.0.0.5", "1.1.1.1", 6, 1, 2, 0, true },
	{ "range high edge", { ANYP, .src = "10.0.0.5-10.0.1.7" }, "10.0.1.7", "1.1.1.1", 6, 1, 2, 0, true },
	{ "below range", { ANYP, .src = "10.0.0.5-10.0.1.7" }, "10.0.0.4", "1.1.1.1", 6, 1, 2, 0, false },
	{ "above range, same cover", { ANYP, .src = "10.0.0.5-10.0.1.7" }, "10.0.1.8", "1.1.1.1", 6, 1, 2, 0, false },
	{ "any address", { ANYP }, "203.0.113.9", "198.51.100.1", 17, 1, 2, 0, true },
	{ "host /32", { ANYP, .dst = "10.9.9.9" }, "1.1.1.1", "10.9.9.9", 1, 8, 0, 0, true },
	{ "v6 prefix", { ANYP, .dst = "fd01::/16" }, "fd02::1", "fd01:ffff::1", 6, 1, 2, 0, true },
	{ "v6 prefix out", { ANYP, .dst = "fd01::/16" }, "fd02::1", "fd02::1", 6, 1, 2, 0, false },
	{ "v6 range", { ANYP, .src = "fd00::10-fd00::1:0" }, "fd00::ffff", "fd02::1", 6, 1, 2, 0, true },
	{ "v6 range out", { ANYP, .src = "fd00::10-fd00::1:0" }, "fd00::1:1", "fd02::1", 6, 1, 2, 0, false },
	{ "v4 policy, v6 packet", { ANYP, .dst = "0.0.0.0/0" }, "fd02::1", "fd02::1", 6, 1, 2, 0, false },
	{ "any family, v6 packet", { ANYP }, "fd02::1", "fd02::1", 6, 1, 2, 0, true },
	{ "proto", { .proto = 17, .icmp_type = -1, .icmp_code = -1 }, "1.1.1.1", "2.2.2.2", 17, 1, 2, 0, true },
	{ "proto mismatch", { .proto = 17, .icmp_type = -1, .icmp_code = -1 }, "1.1.1.1", "2.2.2.2", 6, 1, 2, 0, false },
	{ "dport range", { .proto = 6, .dport = { 1000, 2000 }, .icmp_type = -1, .icmp_code = -1 }, "1.1.1.1", "2.2.2.2", 6, 5, 2000, 0, true },
	{ "dport out", { .proto = 6, .dport = { 1000, 2000 }, .icmp_type = -1, .icmp_code = -1 }, "1.1.1.1", "2.2.2.2", 6, 5, 2001, 0, false },
	{ "sport single", { .proto = 17, .sport = { 500, 500 }, .icmp_type = -1, .icmp_code = -1 }, "1.1.1.1", "2.2.2.2", 17, 500, 4500, 0, true },
	{ "ports vs fragment", { .proto = 17, .sport = { 500, 500 }, .icmp_type = -1, .icmp_code = -1 }, "1.1.1.1", "2.2.2.2", 17, 0, 0, 1, false },
	{ "ANY ports vs fragment", { .proto = 17, .icmp_type = -1, .icmp_code = -1 }, "1.1.1.1", "2.2.2.2", 17, 0, 0, 1, true },
	{ "OPAQUE vs fragment", { .proto = 17, .opaque = true, .icmp_type = -1, .icmp_code = -1 }, "1.1.1.1", "2.2.2.2", 17, 0, 0, 1, true },
	{ "OPAQUE vs first fragment", { .proto = 17, .opaque = true, .icmp_type = -1, .icmp_code = -1 }, "1.1.1.1", "2.2.2.2", 17, 7, 7, 0, false },
	{ "icmp type", { .proto = 1, .icmp_type = 8, .icmp_code = -1 }, "1.1.1.1", "2.2.2.2", 1, 8, 0, 0, true },
	{ "icmp type mismatch", { .proto = 1, .icmp_type = 8, .icmp_code = -1 }, "1.1.1.1", "2.2.2.2", 1, 0, 0, 0, false },
	{ "icmp type+code", { .proto = 1, .icmp_type = 3, .icmp_code = 4 }, "1.1.1.1", "2.2.2.2", 1, 3, 4, 0, true },
	{ "icmp code mismatch", { .proto = 1, .icmp_type = 3, .icmp_code = 4 }, "1.1.1.1", "2.2.2.2", 1, 3, 1, 0, false },
	{ "icmpv6 echo", { .proto = 58, .icmp_type = 128, .icmp_code = -1 }, "fd00::1", "fd00::2", 58, 128, 0, 0, true },
};

static void match_case_desc(const struct match_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(match, match_cases, match_case_desc);

/* Each case: the selector alone, and through the index. */
static void spd_selectors(struct kunit *test)
{
	const struct match_case *c = test->param_value;
	struct nfsec_policy *pol;
	struct nfsec_tuple t;

	pol = add(test, &c->pol);
	tuple(test, &t, NFSEC_DIR_OUT, c->src, c->dst, c->proto, c->sport,
	      c->dport);
	t.opaque = c->opaque;
	KUNIT_EXPECT_EQ(test, nfsec_sel_match(&pol->sel, &t) &&
			(pol->family == AF_UNSPEC || pol->family == t.family),
			c->match);
	KUNIT_EXPECT_PTR_EQ(test, lookup(test, &t), c->match ? pol : NULL);
}

/*
 * The index must return the same policy as a linear scan of the ordered
 * SPD, for policies filed under many different masks.
 */
static void spd_index_equals_scan(struct kunit *test)
{
	static const char * const nets[] = {
		"10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3",
		"10.1.2.0-10.1.3.255", "10.1.2.100-10.1.2.200", NULL,
	};
	struct nfsec_policy *pols[2 * ARRAY_SIZE(nets) * ARRAY_SIZE(nets)];
	unsigned int n = 0, i, j, k;
	struct nfsec_tuple t;
	u32 prng = 1;

	/* Every pair twice, so that nodes hold several rules in any order. */
	for (k = 0; k < 2; k++) {
		for (i = 0; i < ARRAY_SIZE(nets); i++) {
			for (j = 0; j < ARRAY_SIZE(nets); j++) {
				struct pol_def d = { ANYP, .src = nets[i],
						     .dst = nets[j],
						     .action = (i + j + k) % 3 };

				prng = prng * 1103515245 + 12345;
				d.prio = (prng >> 16) % 4;
				pols[n++] = add(test, &d);
			}
		}
	}
	for (i = 0; i < 2000; i++) {
		const struct nfsec_policy *best = NULL;
		u32 a, b;

		prng = prng * 1103515245 + 12345;
		a = 0x0a010200 | ((prng >> 8) & 0x1ff);
		prng = prng * 1103515245 + 12345;
		b = (prng & 1) ? 0x0a010200 | ((prng >> 8) & 0x1ff) : prng;
		memset(&t, 0, sizeof(t));
		t.family = AF_INET;
		t.dir = NFSEC_DIR_OUT;
		t.src.ip = htonl(a);
		t.dst.ip = htonl(b);
		for (j = 0; j < n; j++) {
			if (!nfsec_sel_match(&pols[j]->sel, &t))
				continue;
			if (!best || pols[j]->priority < best->priority ||
			    (pols[j]->priority == best->priority &&
			     pols[j]->seq < best->seq))
				best = pols[j];
		}
		KUNIT_EXPECT_PTR_EQ(test, lookup(test, &t), best);
	}
}

/* PFP: the ACQUIRE selector takes the packet's value where PFP is set. */
static void spd_pfp_population(struct kunit *test)
{
	struct spd_fixture *f = test->priv;
	struct pol_def d = { .proto = 6, .icmp_type = -1, .icmp_code = -1,
			     .src = "10.1.0.0/16", .dst = "10.2.0.0/16",
			     .dport = { 1, 1000 }, .pfp = NFSEC_PFP_SRC,
			     .action = NFSEC_ACTION_PROTECT };
	struct nfsec_policy *pol = add(test, &d);
	struct nfsec_tuple t;
	struct nfsec_sel sel;

	tuple(test, &t, NFSEC_DIR_OUT, "10.1.7.9", "10.2.3.4", 6, 3333, 80);
	rcu_read_lock();
	nfsec_acquire_sel(f->spd, pol, &t, &sel);
	rcu_read_unlock();
	/* SRC populated: a host prefix of the packet's source. */
	KUNIT_EXPECT_EQ(test, sel.src.start.ip, t.src.ip);
	KUNIT_EXPECT_EQ(test, sel.src.end.ip, t.src.ip);
	KUNIT_EXPECT_EQ(test, sel.src.plen, 32);
	/* DST and ports keep the policy's values. */
	KUNIT_EXPECT_EQ(test, sel.dst.start.ip, htonl(0x0a020000));
	KUNIT_EXPECT_EQ(test, sel.dst.end.ip, htonl(0x0a02ffff));
	KUNIT_EXPECT_EQ(test, sel.dport_min, 1);
	KUNIT_EXPECT_EQ(test, sel.dport_max, 1000);
	KUNIT_EXPECT_EQ(test, sel.pfp, NFSEC_PFP_SRC);
}

/*
 * Decorrelation: a PROTECT policy whose ACQUIRE selector overlaps an
 * earlier entry is narrowed towards the packet until it overlaps none.
 */
static void spd_decorrelation(struct kunit *test)
{
	struct spd_fixture *f = test->priv;
	struct pol_def bypass = { ANYP, .dst = "10.2.0.0/24", .prio = 1,
				  .action = NFSEC_ACTION_BYPASS };
	struct pol_def dns = { .proto = 17, .dport = { 53, 53 }, .prio = 1,
			       .icmp_type = -1, .icmp_code = -1,
			       .action = NFSEC_ACTION_BYPASS };
	struct pol_def protect = { ANYP, .dst = "10.2.0.0/16", .prio = 2,
				   .action = NFSEC_ACTION_PROTECT };
	struct pol_def other = { .proto = 6, .icmp_type = -1, .icmp_code = -1,
				 .dst = "10.3.0.0/16", .prio = 2,
				 .src = "10.1.0.0/16",
				 .action = NFSEC_ACTION_PROTECT };
	struct pol_def later = { ANYP, .prio = 3,
				 .action = NFSEC_ACTION_DISCARD };
	struct nfsec_policy *pol, *pol2;
	struct nfsec_tuple t;
	struct nfsec_sel sel;

	add(test, &bypass);
	pol = add(test, &protect);
	/* 10.2.0.0/16 would cover the BYPASSed /24: addresses narrowed. */
	tuple(test, &t, NFSEC_DIR_OUT, "10.1.0.1", "10.2.1.1", 6, 999, 80);
	KUNIT_EXPECT_PTR_EQ(test, lookup(test, &t), pol);
	rcu_read_lock();
	nfsec_acquire_sel(f->spd, pol, &t, &sel);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, sel.pfp, NFSEC_PFP_SRC | NFSEC_PFP_DST);
	KUNIT_EXPECT_EQ(test, sel.dst.start.ip, t.dst.ip);
	KUNIT_EXPECT_EQ(test, sel.dst.end.ip, t.dst.ip);
	KUNIT_EXPECT_FALSE(test, sel.flags & NFSEC_SEL_F_PROTO);
	KUNIT_EXPECT_FALSE(test, sel.flags & NFSEC_SEL_F_DPORT);

	/* An earlier UDP 53 BYPASS for any address: the protocol too. */
	add(test, &dns);
	rcu_read_lock();
	nfsec_acquire_sel(f->spd, pol, &t, &sel);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, sel.pfp,
			NFSEC_PFP_SRC | NFSEC_PFP_DST | NFSEC_PFP_PROTO);
	KUNIT_EXPECT_EQ(test, sel.proto, 6);
	KUNIT_EXPECT_FALSE(test, sel.flags & NFSEC_SEL_F_DPORT);

	/* A UDP packet: only its full tuple stays clear of port 53. */
	tuple(test, &t, NFSEC_DIR_OUT, "10.1.0.1", "10.2.1.1", 17, 999, 54);
	rcu_read_lock();
	nfsec_acquire_sel(f->spd, pol, &t, &sel);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, sel.pfp, (u8)__NFSEC_PFP_ALL);
	KUNIT_EXPECT_EQ(test, sel.dport_min, 54);
	KUNIT_EXPECT_EQ(test, sel.dport_max, 54);

	/*
	 * A TCP policy for 10.3/16 meets none of the earlier entries; the
	 * ANY DISCARD after it does not count.
	 */
	pol2 = add(test, &other);
	add(test, &later);
	tuple(test, &t, NFSEC_DIR_OUT, "10.1.0.1", "10.3.1.1", 6, 1, 80);
	rcu_read_lock();
	nfsec_acquire_sel(f->spd, pol2, &t, &sel);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, sel.pfp, 0);
	KUNIT_EXPECT_EQ(test, sel.dst.start.ip, htonl(0x0a030000));
	KUNIT_EXPECT_EQ(test, sel.dst.end.ip, htonl(0x0a03ffff));
}

/* Many inserts well under the budget, lookups independent of the count. */
static void spd_scale(struct kunit *test)
{
	struct spd_fixture *f = test->priv;
	/* KASAN makes each insert ~20x slower: 10,000 there, else 100,000. */
	const unsigned int n = IS_ENABLED(CONFIG_KASAN) ? 10000 : 100000;
	struct nfsec_policy_spec spec = {};
	struct nfsec_tuple t = {};
	u64 start, ins_ns, look_ns;
	unsigned int i;

	spec.family = AF_INET;
	spec.dir = NFSEC_DIR_OUT;
	spec.action = NFSEC_ACTION_BYPASS;
	spec.priority = 1000;
	spec.sel.flags = NFSEC_SEL_F_DST | NFSEC_SEL_F_DST_PREFIX;
	spec.sel.dst.plen = 32;
	start = ktime_get_ns();
	for (i = 0; i < n; i++) {
		struct nfsec_policy *pol;

		spec.sel.dst.start.ip = htonl(0x0a000000 + i);
		spec.sel.dst.end.ip = spec.sel.dst.start.ip;
		pol = nfsec_policy_create(&spec);
		KUNIT_ASSERT_NOT_NULL(test, pol);
		KUNIT_ASSERT_EQ(test, nfsec_spd_insert(f->spd, pol, &f->next_id,
						       f->seq++), 0);
		if (!(i % 1024))
			cond_resched();
	}
	ins_ns = ktime_get_ns() - start;
	t.family = AF_INET;
	t.dir = NFSEC_DIR_OUT;
	start = ktime_get_ns();
	rcu_read_lock();
	for (i = 0; i < n; i++) {
		t.dst.ip = htonl(0x0a000000 + i);
		if (!nfsec_spd_lookup(f->spd, &t))
			break;
	}
	rcu_read_unlock();
	look_ns = ktime_get_ns() - start;
	KUNIT_EXPECT_EQ(test, i, n);
	kunit_info(test, "%u inserts: %llu ms; lookup: %llu ns each\n", n,
		   ins_ns / NSEC_PER_MSEC, look_ns / n);
	/*
	 * The budget is for production kernels; KASAN and lockdep make every
	 * allocation many times slower (see Documentation/performance.md).
	 */
	if (!IS_ENABLED(CONFIG_KASAN) && !IS_ENABLED(CONFIG_PROVE_LOCKING))
		KUNIT_EXPECT_LT(test, ins_ns, 5ULL * NSEC_PER_SEC);
}

static struct kunit_case nfsec_spd_cases[] = {
	KUNIT_CASE(spd_priority_and_ties),
	KUNIT_CASE_PARAM(spd_selectors, match_gen_params),
	KUNIT_CASE(spd_index_equals_scan),
	KUNIT_CASE(spd_pfp_population),
	KUNIT_CASE(spd_decorrelation),
	KUNIT_CASE(spd_scale),
	{}
};

static struct kunit_suite nfsec_spd_suite = {
	.name = "nfsec_spd",
	.init = spd_init,
	.exit = spd_exit,
	.test_cases = nfsec_spd_cases,
};
kunit_test_suite(nfsec_spd_suite);
