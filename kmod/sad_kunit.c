// SPDX-License-Identifier: GPL-2.0
/* KUnit: the SAD: add, lookup, delete, RCU, SPI allocation, MOBIKE, expiry. */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>

#include "main.h"
#include "sad.h"

static const u8 gcm_key[20] = {
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
	0xca, 0xfe, 0xba, 0xbe,
};

struct expiry_log {
	atomic_t soft, hard;
	int soft_reason, hard_reason;
};

static void record_expire(struct nfsec_sa *sa, bool hard,
			  enum nfsec_expire_reason reason, void *arg)
{
	struct expiry_log *log = arg;

	atomic_inc(hard ? &log->hard : &log->soft);
	if (hard)
		log->hard_reason = reason;
	else
		log->soft_reason = reason;
}

static struct nfsec_sa_cfg *test_cfg(struct kunit *test, u32 spi, u8 dir,
				     __be32 daddr)
{
	struct nfsec_sa_cfg *cfg = kunit_kzalloc(test, sizeof(*cfg),
						 GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, cfg);
	cfg->spi = cpu_to_be32(spi);
	cfg->proto = IPPROTO_ESP;
	cfg->mode = NFSEC_MODE_TUNNEL;
	cfg->dir = dir;
	cfg->replay_window = 64;
	cfg->path.family = AF_INET;
	cfg->path.saddr.a4 = htonl(0xc0000201);
	cfg->path.daddr.a4 = daddr;
	strscpy(cfg->aead_name, "rfc4106(gcm(aes))", sizeof(cfg->aead_name));
	memcpy(cfg->enc_key, gcm_key, sizeof(gcm_key));
	cfg->enc_keylen = sizeof(gcm_key);
	cfg->icv_len = 16;
	return cfg;
}

static struct nfsec_sa *add_sa(struct kunit *test, struct nfsec_sad *sad,
			       const struct nfsec_sa_cfg *cfg)
{
	struct nfsec_sa *sa = nfsec_sa_create(sad, cfg);

	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(sa), "create: %ld", PTR_ERR(sa));
	KUNIT_ASSERT_EQ(test, nfsec_sad_add(sad, sa), 0);
	return sa;
}

static const union nfsec_addr dst1 = { .a4 = htonl(0xc0000202) };
static const union nfsec_addr dst2 = { .a4 = htonl(0xc6336402) };

static void sad_add_lookup_del(struct kunit *test)
{
	struct nfsec_sad *sad = nfsec_sad_create(&init_net, NULL, NULL);
	struct nfsec_sa_cfg *cfg;
	struct nfsec_sa *sa, *found;

	KUNIT_ASSERT_NOT_NULL(test, sad);
	cfg = test_cfg(test, 0x1000, NFSEC_DIR_IN, dst1.a4);
	sa = add_sa(test, sad, cfg);
	KUNIT_EXPECT_EQ(test, sad->count, 1U);
	KUNIT_EXPECT_EQ(test, sa->iv_len, 8);
	KUNIT_EXPECT_EQ(test, sa->block_len, 4);

	found = nfsec_sad_lookup_in(sad, cpu_to_be32(0x1000), AF_INET, &dst1,
				    IPPROTO_ESP);
	KUNIT_EXPECT_PTR_EQ(test, found, sa);
	nfsec_sa_put(found);
	KUNIT_EXPECT_NULL(test, nfsec_sad_lookup_in(sad, cpu_to_be32(0x1000),
						    AF_INET, &dst2,
						    IPPROTO_ESP));
	KUNIT_EXPECT_NULL(test, nfsec_sad_lookup_in(sad, cpu_to_be32(0x1000),
						    AF_INET, &dst1,
						    IPPROTO_AH));
	KUNIT_EXPECT_NULL(test, nfsec_sad_lookup_in(sad, cpu_to_be32(0x1001),
						    AF_INET, &dst1,
						    IPPROTO_ESP));

	/* Same (SPI, dst, proto) again: refused, whatever the direction. */
	sa = nfsec_sa_create(sad, cfg);
	KUNIT_ASSERT_FALSE(test, IS_ERR(sa));
	KUNIT_EXPECT_EQ(test, nfsec_sad_add(sad, sa), -EEXIST);
	nfsec_sa_destroy(sa);

	/* An outbound SA is found by lookup, never by the inbound path. */
	cfg = test_cfg(test, 0x2000, NFSEC_DIR_OUT, dst2.a4);
	add_sa(test, sad, cfg);
	KUNIT_EXPECT_NULL(test, nfsec_sad_lookup_in(sad, cpu_to_be32(0x2000),
						    AF_INET, &dst2,
						    IPPROTO_ESP));
	found = nfsec_sad_lookup(sad, cpu_to_be32(0x2000), AF_INET, &dst2,
				 IPPROTO_ESP);
	KUNIT_EXPECT_NOT_NULL(test, found);
	nfsec_sa_put(found);

	KUNIT_EXPECT_EQ(test, nfsec_sad_del(sad, cpu_to_be32(0x1000), AF_INET,
					    &dst1, IPPROTO_ESP), 0);
	KUNIT_EXPECT_EQ(test, nfsec_sad_del(sad, cpu_to_be32(0x1000), AF_INET,
					    &dst1, IPPROTO_ESP), -ESRCH);
	KUNIT_EXPECT_NULL(test, nfsec_sad_lookup(sad, cpu_to_be32(0x1000),
						 AF_INET, &dst1, IPPROTO_ESP));
	KUNIT_EXPECT_EQ(test, sad->count, 1U);
	nfsec_sad_flush(sad, 0, 0);
	KUNIT_EXPECT_EQ(test, sad->count, 0U);
	nfsec_sad_destroy(sad);
}

static void sad_bad_config(struct kunit *test)
{
	struct nfsec_sad *sad = nfsec_sad_create(&init_net, NULL, NULL);
	struct nfsec_sa_cfg *cfg;
	struct nfsec_sa *sa;

	KUNIT_ASSERT_NOT_NULL(test, sad);
	cfg = test_cfg(test, 0x1000, NFSEC_DIR_IN, dst1.a4);
	cfg->icv_len = 7;
	sa = nfsec_sa_create(sad, cfg);
	KUNIT_EXPECT_TRUE(test, IS_ERR(sa));
	cfg = test_cfg(test, 0x1000, NFSEC_DIR_IN, dst1.a4);
	strscpy(cfg->aead_name, "rfc4106(nope(aes))", sizeof(cfg->aead_name));
	KUNIT_EXPECT_TRUE(test, IS_ERR(nfsec_sa_create(sad, cfg)));
	cfg = test_cfg(test, 0, NFSEC_DIR_IN, dst1.a4);
	KUNIT_EXPECT_EQ(test, PTR_ERR(nfsec_sa_create(sad, cfg)), -EINVAL);
	cfg = test_cfg(test, 0x1000, NFSEC_DIR_IN, dst1.a4);
	cfg->replay_window = 8;
	KUNIT_EXPECT_EQ(test, PTR_ERR(nfsec_sa_create(sad, cfg)), -EINVAL);
	cfg = test_cfg(test, 0x1000, NFSEC_DIR_IN, dst1.a4);
	cfg->path.family = AF_UNIX;
	KUNIT_EXPECT_EQ(test, PTR_ERR(nfsec_sa_create(sad, cfg)),
			-EAFNOSUPPORT);
	nfsec_sad_destroy(sad);
	/* Failed creations were freed: destroy returned, nothing leaked. */
}

/* Readers on other CPUs look SAs up while this thread adds and deletes. */
struct rcu_race {
	struct nfsec_sad *sad;
	atomic_t stop;
	atomic_long_t hits;
};

static int rcu_race_reader(void *arg)
{
	struct rcu_race *r = arg;
	struct nfsec_sa_stats st;
	struct nfsec_sa *sa;
	u32 spi = 0x100;

	while (!atomic_read(&r->stop)) {
		sa = nfsec_sad_lookup_in(r->sad, cpu_to_be32(spi), AF_INET,
					 &dst1, IPPROTO_ESP);
		if (sa) {
			/* Use the SA as the packet path would. */
			nfsec_sa_count_packet(sa, 100);
			nfsec_sa_stats_fold(sa, &st);
			atomic_long_inc(&r->hits);
			nfsec_sa_put(sa);
		}
		spi = spi == 0x10f ? 0x100 : spi + 1;
		cond_resched();
	}
	return 0;
}

static void sad_lookup_rcu_while_deleting(struct kunit *test)
{
	struct rcu_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct task_struct *t[2];
	struct nfsec_sa_cfg *cfg;
	unsigned int round, i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->sad = nfsec_sad_create(&init_net, NULL, NULL);
	KUNIT_ASSERT_NOT_NULL(test, r->sad);
	cfg = test_cfg(test, 0x100, NFSEC_DIR_IN, dst1.a4);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		t[i] = kthread_run(rcu_race_reader, r, "nfsec_sad/%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(t[i]));
		get_task_struct(t[i]);
	}
	for (round = 0; round < 30; round++) {
		for (i = 0; i < 16; i++) {
			cfg->spi = cpu_to_be32(0x100 + i);
			add_sa(test, r->sad, cfg);
		}
		usleep_range(500, 1000);
		for (i = 0; i < 16; i += 2)
			KUNIT_EXPECT_EQ(test,
					nfsec_sad_del(r->sad,
						      cpu_to_be32(0x100 + i),
						      AF_INET, &dst1,
						      IPPROTO_ESP), 0);
		usleep_range(500, 1000);
		nfsec_sad_flush(r->sad, IPPROTO_ESP, 0);
	}
	atomic_set(&r->stop, 1);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		kthread_stop(t[i]);
		put_task_struct(t[i]);
	}
	kunit_info(test, "%ld lookups hit a live SA",
		   atomic_long_read(&r->hits));
	KUNIT_EXPECT_EQ(test, r->sad->count, 0U);
	nfsec_sad_destroy(r->sad);
}

/* A reference taken before a delete keeps the SA usable until put. */
static void sad_ref_outlives_delete(struct kunit *test)
{
	struct nfsec_sad *sad = nfsec_sad_create(&init_net, NULL, NULL);
	struct nfsec_sa *sa;

	KUNIT_ASSERT_NOT_NULL(test, sad);
	add_sa(test, sad, test_cfg(test, 0x3000, NFSEC_DIR_IN, dst1.a4));
	sa = nfsec_sad_lookup_in(sad, cpu_to_be32(0x3000), AF_INET, &dst1,
				 IPPROTO_ESP);
	KUNIT_ASSERT_NOT_NULL(test, sa);
	KUNIT_EXPECT_EQ(test, nfsec_sad_del(sad, sa->spi, AF_INET, &dst1,
					    IPPROTO_ESP), 0);
	KUNIT_EXPECT_TRUE(test, nfsec_sa_dead(sa));
	synchronize_rcu();
	/* Still ours: KASAN would catch a use after free here. */
	nfsec_sa_count_drop(sa, NFSEC_SA_DROP_REPLAY);
	KUNIT_EXPECT_EQ(test, atomic_read(&sad->live), 1);
	nfsec_sa_put(sa);
	nfsec_sad_destroy(sad);
}

static void sad_spi_alloc(struct kunit *test)
{
	struct nfsec_sad *sad = nfsec_sad_create(&init_net, NULL, NULL);
	struct nfsec_sa_cfg *cfg;
	__be32 spi[4], extra;
	unsigned long seen = 0;
	struct nfsec_sa *sa;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, sad);
	KUNIT_EXPECT_EQ(test, nfsec_sad_alloc_spi(sad, AF_INET, &dst1,
						  IPPROTO_ESP, 1, 300, 30,
						  &extra), -EINVAL);
	KUNIT_EXPECT_EQ(test, nfsec_sad_alloc_spi(sad, AF_INET, &dst1,
						  IPPROTO_ESP, 300, 299, 30,
						  &extra), -EINVAL);
	/* Four SPIs in [256, 259]: each once, then the range is full. */
	for (i = 0; i < 4; i++) {
		u32 v;

		KUNIT_ASSERT_EQ(test,
				nfsec_sad_alloc_spi(sad, AF_INET, &dst1,
						    IPPROTO_ESP, 256, 259, 30,
						    &spi[i]), 0);
		v = be32_to_cpu(spi[i]);
		KUNIT_EXPECT_TRUE(test, v >= 256 && v <= 259);
		KUNIT_EXPECT_FALSE(test, __test_and_set_bit(v - 256, &seen));
	}
	KUNIT_EXPECT_EQ(test, nfsec_sad_alloc_spi(sad, AF_INET, &dst2,
						  IPPROTO_ESP, 256, 259, 30,
						  &extra), -ENOSPC);
	/* The same SPIs are free for AH. */
	KUNIT_EXPECT_EQ(test, nfsec_sad_alloc_spi(sad, AF_INET, &dst1,
						  IPPROTO_AH, 256, 259, 30,
						  &extra), 0);
	/* A reservation is no SA for the packet path... */
	KUNIT_EXPECT_NULL(test, nfsec_sad_lookup_in(sad, spi[0], AF_INET,
						    &dst1, IPPROTO_ESP));
	/* ...until the inbound SA with its SPI takes its place. */
	cfg = test_cfg(test, be32_to_cpu(spi[0]), NFSEC_DIR_IN, dst1.a4);
	add_sa(test, sad, cfg);
	sa = nfsec_sad_lookup_in(sad, spi[0], AF_INET, &dst1, IPPROTO_ESP);
	KUNIT_EXPECT_NOT_NULL(test, sa);
	nfsec_sa_put(sa);
	KUNIT_EXPECT_EQ(test, sad->count, 5U);
	/* Deleting frees the SPI for the next allocation. */
	KUNIT_EXPECT_EQ(test, nfsec_sad_del(sad, spi[2], AF_INET, &dst1,
					    IPPROTO_ESP), 0);
	KUNIT_EXPECT_EQ(test, nfsec_sad_alloc_spi(sad, AF_INET, &dst1,
						  IPPROTO_ESP, 256, 259, 30,
						  &extra), 0);
	KUNIT_EXPECT_EQ(test, extra, spi[2]);
	/* A wide range: the result is inside it. */
	for (i = 0; i < 32; i++) {
		KUNIT_ASSERT_EQ(test,
				nfsec_sad_alloc_spi(sad, AF_INET6, &dst1,
						    IPPROTO_ESP, 0x10000,
						    U32_MAX, 30, &extra), 0);
		KUNIT_EXPECT_GE(test, be32_to_cpu(extra), 0x10000U);
	}
	nfsec_sad_destroy(sad);
}

/* An SPI reservation that no SA claims goes away by itself. */
static void sad_spi_reservation_expires(struct kunit *test)
{
	struct nfsec_sad *sad = nfsec_sad_create(&init_net, NULL, NULL);
	__be32 spi;

	KUNIT_ASSERT_NOT_NULL(test, sad);
	KUNIT_ASSERT_EQ(test, nfsec_sad_alloc_spi(sad, AF_INET, &dst1,
						  IPPROTO_ESP, 256, 256, 1,
						  &spi), 0);
	KUNIT_EXPECT_EQ(test, sad->count, 1U);
	msleep(2100);
	flush_workqueue(sad->wq);
	KUNIT_EXPECT_EQ(test, sad->count, 0U);
	KUNIT_EXPECT_EQ(test, nfsec_sad_alloc_spi(sad, AF_INET, &dst1,
						  IPPROTO_ESP, 256, 256, 1,
						  &spi), 0);
	nfsec_sad_destroy(sad);
}

/* MOBIKE: new addresses and ports, same SA, counters and state kept. */
static void sad_update_path_keeps_state(struct kunit *test)
{
	struct nfsec_sad *sad = nfsec_sad_create(&init_net, NULL, NULL);
	struct nfsec_sa_path path = { .family = AF_INET6 };
	struct nfsec_sa_stats st;
	struct nfsec_sa *sa, *found;
	union nfsec_addr d6;
	u64 seq;

	KUNIT_ASSERT_NOT_NULL(test, sad);
	sa = add_sa(test, sad, test_cfg(test, 0x4000, NFSEC_DIR_IN,
					dst1.a4));
	KUNIT_ASSERT_EQ(test, nfsec_sa_account(sa, 1000), 0);
	KUNIT_ASSERT_EQ(test, nfsec_sa_account(sa, 500), 0);
	nfsec_sa_count_drop(sa, NFSEC_SA_DROP_AUTH);
	KUNIT_ASSERT_EQ(test, nfsec_replay_check(sa->replay, 77, &seq),
			NFSEC_REPLAY_OK);
	KUNIT_ASSERT_EQ(test, nfsec_replay_advance(sa->replay, seq),
			NFSEC_REPLAY_OK);

	/* IPv4 -> IPv6 outer addresses and UDP encapsulation. */
	ipv6_addr_set(&d6.a6, htonl(0x20010db8), 0, 0, htonl(2));
	path.daddr = d6;
	ipv6_addr_set(&path.saddr.a6, htonl(0x20010db8), 0, 0, htonl(1));
	path.encap_sport = htons(4500);
	path.encap_dport = htons(4501);
	KUNIT_EXPECT_EQ(test, nfsec_sad_update_path(sad, cpu_to_be32(0x4000),
						    AF_INET, &dst1,
						    IPPROTO_ESP, &path), 0);
	KUNIT_EXPECT_NULL(test, nfsec_sad_lookup_in(sad, cpu_to_be32(0x4000),
						    AF_INET, &dst1,
						    IPPROTO_ESP));
	found = nfsec_sad_lookup_in(sad, cpu_to_be32(0x4000), AF_INET6, &d6,
				    IPPROTO_ESP);
	KUNIT_EXPECT_PTR_EQ(test, found, sa);
	nfsec_sa_put(found);
	nfsec_sa_stats_fold(sa, &st);
	KUNIT_EXPECT_EQ(test, st.packets, 2ULL);
	KUNIT_EXPECT_EQ(test, st.bytes, 1500ULL);
	KUNIT_EXPECT_EQ(test, st.drop[NFSEC_SA_DROP_AUTH], 1ULL);
	KUNIT_EXPECT_EQ(test, nfsec_replay_check(sa->replay, 77, &seq),
			NFSEC_REPLAY_DUP);
	rcu_read_lock();
	KUNIT_EXPECT_EQ(test, rcu_dereference(sa->path)->encap_dport,
			htons(4501));
	rcu_read_unlock();

	/* No update onto another SA's key, none of a missing SA. */
	add_sa(test, sad, test_cfg(test, 0x4000, NFSEC_DIR_IN, dst2.a4));
	path.family = AF_INET;
	path.daddr = dst2;
	KUNIT_EXPECT_EQ(test, nfsec_sad_update_path(sad, cpu_to_be32(0x4000),
						    AF_INET6, &d6,
						    IPPROTO_ESP, &path),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, nfsec_sad_update_path(sad, cpu_to_be32(0x4001),
						    AF_INET6, &d6,
						    IPPROTO_ESP, &path),
			-ESRCH);
	nfsec_sad_destroy(sad);
}

/* Packet lifetimes: soft fires once, hard refuses and deletes the SA. */
static void sad_lifetime_packets(struct kunit *test)
{
	struct expiry_log *log = kunit_kzalloc(test, sizeof(*log), GFP_KERNEL);
	struct nfsec_sad *sad;
	struct nfsec_sa_cfg *cfg;
	struct nfsec_sa *sa;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, log);
	sad = nfsec_sad_create(&init_net, record_expire, log);
	KUNIT_ASSERT_NOT_NULL(test, sad);
	cfg = test_cfg(test, 0x5000, NFSEC_DIR_OUT, dst1.a4);
	cfg->soft.packets = 3;
	cfg->hard.packets = 5;
	cfg->hard.bytes = 1 << 20;
	sa = add_sa(test, sad, cfg);
	KUNIT_ASSERT_TRUE(test, nfsec_sa_get(sa));
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, nfsec_sa_account(sa, 100), 0);
	flush_workqueue(sad->wq);
	KUNIT_EXPECT_EQ(test, atomic_read(&log->soft), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&log->hard), 0);
	KUNIT_EXPECT_EQ(test, nfsec_sa_account(sa, 100), -EKEYEXPIRED);
	KUNIT_EXPECT_EQ(test, nfsec_sa_account(sa, 100), -EKEYEXPIRED);
	flush_workqueue(sad->wq);
	KUNIT_EXPECT_EQ(test, atomic_read(&log->soft), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&log->hard), 1);
	KUNIT_EXPECT_EQ(test, log->soft_reason, NFSEC_EXPIRE_PACKETS);
	KUNIT_EXPECT_EQ(test, log->hard_reason, NFSEC_EXPIRE_PACKETS);
	KUNIT_EXPECT_TRUE(test, nfsec_sa_dead(sa));
	KUNIT_EXPECT_EQ(test, sad->count, 0U);
	nfsec_sa_put(sa);
	nfsec_sad_destroy(sad);
}

/* Time lifetimes: seconds since add (soft) and since first use (hard). */
static void sad_lifetime_seconds(struct kunit *test)
{
	struct expiry_log *log = kunit_kzalloc(test, sizeof(*log), GFP_KERNEL);
	struct nfsec_sad *sad;
	struct nfsec_sa_cfg *cfg;
	struct nfsec_sa *sa;

	KUNIT_ASSERT_NOT_NULL(test, log);
	sad = nfsec_sad_create(&init_net, record_expire, log);
	KUNIT_ASSERT_NOT_NULL(test, sad);
	cfg = test_cfg(test, 0x6000, NFSEC_DIR_IN, dst1.a4);
	cfg->soft.add_seconds = 1;
	cfg->hard.use_seconds = 1;
	sa = add_sa(test, sad, cfg);
	msleep(2100);
	flush_workqueue(sad->wq);
	KUNIT_EXPECT_EQ(test, atomic_read(&log->soft), 1);
	/* Never used: the use-time limit has not started. */
	KUNIT_EXPECT_EQ(test, atomic_read(&log->hard), 0);
	KUNIT_EXPECT_EQ(test, nfsec_sa_account(sa, 1), 0);
	msleep(2100);
	flush_workqueue(sad->wq);
	KUNIT_EXPECT_EQ(test, atomic_read(&log->hard), 1);
	KUNIT_EXPECT_EQ(test, log->soft_reason, NFSEC_EXPIRE_ADD_TIME);
	KUNIT_EXPECT_EQ(test, log->hard_reason, NFSEC_EXPIRE_USE_TIME);
	KUNIT_EXPECT_EQ(test, sad->count, 0U);
	nfsec_sad_destroy(sad);
}

static void one_addr(union nfsec_addr *lo, union nfsec_addr *hi, __be32 a)
{
	lo->a4 = a;
	hi->a4 = a;
}

static void one_port(u16 *lo, u16 *hi, u16 port)
{
	*lo = port;
	*hi = port;
}

static void sad_selectors(struct kunit *test)
{
	struct nfsec_sa_sel sel = {
		.family = AF_INET,
		.saddr_lo.a4 = htonl(0x0a000000), .saddr_hi.a4 = htonl(0x0a0000ff),
		.daddr_lo.a4 = htonl(0), .daddr_hi.a4 = htonl(0xffffffff),
		.proto = IPPROTO_UDP, .dport_lo = 53, .dport_hi = 53,
	};
	struct nfsec_sa_sel pkt = {
		.family = AF_INET,
		.saddr_lo.a4 = htonl(0x0a000005), .saddr_hi.a4 = htonl(0x0a000005),
		.daddr_lo.a4 = htonl(0x08080808), .daddr_hi.a4 = htonl(0x08080808),
		.proto = IPPROTO_UDP, .sport_lo = 999, .sport_hi = 999,
		.dport_lo = 53, .dport_hi = 53,
	};
	struct nfsec_sa_sel any = { .family = AF_UNSPEC };

	KUNIT_EXPECT_TRUE(test, nfsec_sel_covers(&sel, &pkt));
	KUNIT_EXPECT_TRUE(test, nfsec_sel_covers(&any, &pkt));
	one_port(&pkt.dport_lo, &pkt.dport_hi, 54);
	KUNIT_EXPECT_FALSE(test, nfsec_sel_covers(&sel, &pkt));
	one_port(&pkt.dport_lo, &pkt.dport_hi, 53);
	one_addr(&pkt.saddr_lo, &pkt.saddr_hi, htonl(0x0a000100));
	KUNIT_EXPECT_FALSE(test, nfsec_sel_covers(&sel, &pkt));
	one_addr(&pkt.saddr_lo, &pkt.saddr_hi, htonl(0x0a0000ff));
	pkt.proto = IPPROTO_TCP;
	KUNIT_EXPECT_FALSE(test, nfsec_sel_covers(&sel, &pkt));
	pkt.proto = IPPROTO_UDP;
	pkt.family = AF_INET6;
	KUNIT_EXPECT_FALSE(test, nfsec_sel_covers(&sel, &pkt));
}

/* PFP: the outbound SA chosen for a packet is the one covering it. */
static void sad_find_out_pfp(struct kunit *test)
{
	struct nfsec_sad *sad = nfsec_sad_create(&init_net, NULL, NULL);
	struct nfsec_sa_sel pkt = { .family = AF_INET };
	struct nfsec_sa_cfg *cfg;
	struct nfsec_sa *a, *b, *found;

	KUNIT_ASSERT_NOT_NULL(test, sad);
	cfg = test_cfg(test, 0x7000, NFSEC_DIR_OUT, dst1.a4);
	cfg->reqid = 9;
	cfg->sel.family = AF_INET;
	one_addr(&cfg->sel.saddr_lo, &cfg->sel.saddr_hi, htonl(0x0a000001));
	cfg->sel.daddr_hi.a4 = htonl(0xffffffff);
	a = add_sa(test, sad, cfg);
	cfg->spi = cpu_to_be32(0x7001);
	one_addr(&cfg->sel.saddr_lo, &cfg->sel.saddr_hi, htonl(0x0a000002));
	b = add_sa(test, sad, cfg);
	one_addr(&pkt.saddr_lo, &pkt.saddr_hi, htonl(0x0a000002));
	one_addr(&pkt.daddr_lo, &pkt.daddr_hi, htonl(0x01020304));
	found = nfsec_sad_find_out(sad, 9, &pkt);
	KUNIT_EXPECT_PTR_EQ(test, found, b);
	nfsec_sa_put(found);
	one_addr(&pkt.saddr_lo, &pkt.saddr_hi, htonl(0x0a000001));
	found = nfsec_sad_find_out(sad, 9, &pkt);
	KUNIT_EXPECT_PTR_EQ(test, found, a);
	nfsec_sa_put(found);
	KUNIT_EXPECT_NULL(test, nfsec_sad_find_out(sad, 8, &pkt));
	one_addr(&pkt.saddr_lo, &pkt.saddr_hi, htonl(0x0a000003));
	KUNIT_EXPECT_NULL(test, nfsec_sad_find_out(sad, 9, &pkt));
	nfsec_sad_destroy(sad);
}

/*
 * A transport-mode SA is used only between its own addresses, whatever its
 * selectors: here none, and a second pair of addresses under the same reqid.
 */
static void sad_find_out_transport(struct kunit *test)
{
	struct nfsec_sad *sad = nfsec_sad_create(&init_net, NULL, NULL);
	struct nfsec_sa_sel pkt = { .family = AF_INET };
	struct nfsec_sa_cfg *cfg;
	struct nfsec_sa *a, *found;

	KUNIT_ASSERT_NOT_NULL(test, sad);
	cfg = test_cfg(test, 0x7100, NFSEC_DIR_OUT, dst1.a4);
	cfg->mode = NFSEC_MODE_TRANSPORT;
	cfg->reqid = 5;
	a = add_sa(test, sad, cfg);
	one_addr(&pkt.saddr_lo, &pkt.saddr_hi, cfg->path.saddr.a4);
	one_addr(&pkt.daddr_lo, &pkt.daddr_hi, dst1.a4);
	found = nfsec_sad_find_out(sad, 5, &pkt);
	KUNIT_EXPECT_PTR_EQ(test, found, a);
	nfsec_sa_put(found);
	/* Another destination, another source, another family: not this SA. */
	one_addr(&pkt.daddr_lo, &pkt.daddr_hi, htonl(0x01020304));
	KUNIT_EXPECT_NULL(test, nfsec_sad_find_out(sad, 5, &pkt));
	one_addr(&pkt.daddr_lo, &pkt.daddr_hi, dst1.a4);
	one_addr(&pkt.saddr_lo, &pkt.saddr_hi, htonl(0x0a000009));
	KUNIT_EXPECT_NULL(test, nfsec_sad_find_out(sad, 5, &pkt));
	memset(&pkt, 0, sizeof(pkt));
	pkt.family = AF_INET6;
	KUNIT_EXPECT_NULL(test, nfsec_sad_find_out(sad, 5, &pkt));
	nfsec_sad_destroy(sad);
}

static struct kunit_case nfsec_sad_cases[] = {
	KUNIT_CASE(sad_add_lookup_del),
	KUNIT_CASE(sad_bad_config),
	KUNIT_CASE(sad_lookup_rcu_while_deleting),
	KUNIT_CASE(sad_ref_outlives_delete),
	KUNIT_CASE(sad_spi_alloc),
	KUNIT_CASE(sad_spi_reservation_expires),
	KUNIT_CASE(sad_update_path_keeps_state),
	KUNIT_CASE(sad_lifetime_packets),
	KUNIT_CASE(sad_lifetime_seconds),
	KUNIT_CASE(sad_selectors),
	KUNIT_CASE(sad_find_out_pfp),
	KUNIT_CASE(sad_find_out_transport),
	{}
};

static struct kunit_suite nfsec_sad_suite = {
	.name = "nfsec_sad",
	.test_cases = nfsec_sad_cases,
};
kunit_test_suite(nfsec_sad_suite);
