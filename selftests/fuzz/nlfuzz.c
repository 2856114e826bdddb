// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: structured-random and mutated requests to the nfsec generic
 * netlink family, from several threads, then a model check.
 *
 *   nlfuzz [-n MESSAGES] [-d SECONDS] [-t THREADS] [-s SEED] [-m MODEL-OPS] [-E] [-F] [-q]
 *
 * Fuzz phase: every thread sends its share of MESSAGES on its own socket.
 * A message is either valid (POLICY_NEW/DEL/GET/FLUSH/REPLACE, LOOKUP,
 * STATS_GET, built as uapi/linux/nfsec.h documents them, on policy ids
 * that all threads share so that they create and delete the same objects)
 * or random: any command 0..NFSEC_CMD_MAX+2, random flags, an attribute
 * tree drawn from the uapi enums with wrong types and lengths, zero, huge
 * and off-by-one values, unknown types, bad and deep nesting, and
 * mutations of the whole message (bit flips, truncation, trailing
 * garbage). Some dumps are read slowly or abandoned half way while the
 * other threads change the SPD. Every request asks for an ACK and every
 * receive has a timeout: nlfuzz never waits forever.
 *
 * Model phase (one thread, when the module implements POLICY_NEW): flush,
 * apply random valid POLICY_NEW/DEL, track the ids the kernel accepted,
 * then dump and compare ids, directions, actions and priorities.
 *
 * -d stops the fuzz phase after SECONDS even if fewer than MESSAGES went
 * out (a budget for slow kernels); the model phase runs all the same.
 * -E turns extended acks off: the kernel then neither reports the bad
 * attribute nor dumps its policy into the ack (to fuzz past a bug there).
 * -F marks the fuzzing threads for failslab (failslab.h): with its task
 * filter on, the kernel's allocations for their requests fail as its
 * debugfs knobs say. Memory is locked first, replies wait at most 1 s,
 * and the model phase runs unmarked.
 *
 * Exit status: 0 fine, 1 model mismatch or a reply that breaks the
 * protocol, 2 usage, 3 no nfsec family. With one thread, a seed gives the
 * same sequence of requests.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nfsec.h>

#include "failslab.h"

#define MSG_MAX		(64 * 1024)
#define RECV_BUF	(256 * 1024)
#define RECV_TIMEOUT_MS	5000
#define MAX_THREADS	64
#define ERRNO_MAX	256
#define ID_POOL		64	/* ids shared by the threads */
#define MAX_DEPTH	24

/* ---- random numbers: splitmix64, one state per thread ---------------- */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return n ? rnd(r) % n : 0;
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

/* ---- counters --------------------------------------------------------- */

struct stats {
	uint64_t sent, send_err, acks[ERRNO_MAX + 1], replies, dumps, dumps_intr;
	uint64_t dumps_abandoned, timeouts, valid, random, bad_replies;
};

/* ---- message building ------------------------------------------------- */

struct msg {
	uint8_t buf[MSG_MAX] __attribute__((aligned(4)));
	size_t len;
	bool overflow;
};

static struct nlmsghdr *msg_init(struct msg *m, uint16_t family, uint8_t cmd,
				 uint16_t flags)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *g = (struct genlmsghdr *)NLMSG_DATA(nlh);

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = flags;
	g->cmd = cmd;
	g->version = NFSEC_GENL_VERSION;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->overflow = false;
	return nlh;
}

/* Puts an attribute header claiming len bytes of payload and copies what
 * there is; returns its offset (for nests) or -1 when the buffer is full. */
static long put_attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	size_t total = NLA_HDRLEN + len, off = m->len;
	struct nlattr *a;

	if (total > 0xffff || NLA_ALIGN(total) > sizeof(m->buf) - m->len) {
		m->overflow = true;
		return -1;
	}
	a = (struct nlattr *)(m->buf + off);
	a->nla_type = type;
	a->nla_len = total;
	if (len && data)
		memcpy(m->buf + off + NLA_HDRLEN, data, len);
	memset(m->buf + off + total, 0, NLA_ALIGN(total) - total);
	m->len += NLA_ALIGN(total);
	return off;
}

static void put_u8(struct msg *m, uint16_t t, uint8_t v) { put_attr(m, t, &v, 1); }
static void put_u16(struct msg *m, uint16_t t, uint16_t v) { put_attr(m, t, &v, 2); }
static void put_u32(struct msg *m, uint16_t t, uint32_t v) { put_attr(m, t, &v, 4); }
static void put_str(struct msg *m, uint16_t t, const char *s) { put_attr(m, t, s, strlen(s) + 1); }

static long nest_start(struct msg *m, uint16_t type)
{
	return put_attr(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct msg *m, long off)
{
	size_t len = m->len - off;

	if (off < 0 || m->overflow)
		return;
	if (len > 0xffff) {
		m->overflow = true;
		return;
	}
	((struct nlattr *)(m->buf + off))->nla_len = len;
}

/* ---- the attribute trees of uapi/linux/nfsec.h ------------------------ */

enum kind { K_NONE, K_U8, K_U16, K_U32, K_U64, K_FLAG, K_STR, K_ADDR, K_NEST, K_LIST };

struct attr_spec {
	enum kind kind;
	const struct attr_set *nest;	/* K_NEST, and K_LIST's entries */
	uint32_t max;			/* enum limit of a scalar, 0: none */
};

struct attr_set {
	const char *name;
	unsigned int maxattr;
	const struct attr_spec *attrs;	/* indexed by type, [0] unused */
};

#define SET(n, a) { #n, sizeof(a) / sizeof(a[0]) - 1, a }
extern const struct attr_set set_top, set_policy, set_sel, set_addr, set_ipsec,
	set_pstats, set_lookup, set_stats, set_dirst, set_dropst, set_cpust, set_acq,
	set_sa, set_alg, set_encap, set_life, set_path, set_sastats, set_expire;

static const struct attr_spec a_addr[] = {
	[NFSEC_ADDR_A_START] = { K_ADDR },
	[NFSEC_ADDR_A_END] = { K_ADDR },
	[NFSEC_ADDR_A_PREFIXLEN] = { K_U8, .max = 128 },
};
static const struct attr_spec a_sel[] = {
	[NFSEC_SEL_A_SRC] = { K_NEST, &set_addr },
	[NFSEC_SEL_A_DST] = { K_NEST, &set_addr },
	[NFSEC_SEL_A_PROTO] = { K_U8 },
	[NFSEC_SEL_A_SPORT_MIN] = { K_U16 },
	[NFSEC_SEL_A_SPORT_MAX] = { K_U16 },
	[NFSEC_SEL_A_DPORT_MIN] = { K_U16 },
	[NFSEC_SEL_A_DPORT_MAX] = { K_U16 },
	[NFSEC_SEL_A_ICMP_TYPE] = { K_U8 },
	[NFSEC_SEL_A_ICMP_CODE] = { K_U8 },
	[NFSEC_SEL_A_PORTS_OPAQUE] = { K_FLAG },
	[NFSEC_SEL_A_NAME] = { K_STR, .max = NFSEC_NAME_MAX },
	[NFSEC_SEL_A_PFP] = { K_U32, .max = __NFSEC_PFP_ALL },
};
static const struct attr_spec a_ipsec[] = {
	[NFSEC_IPSEC_A_PROTO] = { K_U8 },
	[NFSEC_IPSEC_A_MODE] = { K_U8, .max = NFSEC_MODE_MAX },
	[NFSEC_IPSEC_A_TUNNEL_SRC] = { K_ADDR },
	[NFSEC_IPSEC_A_TUNNEL_DST] = { K_ADDR },
	[NFSEC_IPSEC_A_REQID] = { K_U32 },
	[NFSEC_IPSEC_A_PROPOSAL] = { K_STR, .max = NFSEC_PROPOSAL_MAX },
};
static const struct attr_spec a_pstats[] = {
	[NFSEC_POLICY_STATS_A_PAD] = { K_NONE },
	[NFSEC_POLICY_STATS_A_PACKETS] = { K_U64 },
	[NFSEC_POLICY_STATS_A_BYTES] = { K_U64 },
};
static const struct attr_spec a_policy[] = {
	[NFSEC_POLICY_A_ID] = { K_U32 },
	[NFSEC_POLICY_A_DIR] = { K_U8, .max = NFSEC_DIR_MAX },
	[NFSEC_POLICY_A_PRIORITY] = { K_U32 },
	[NFSEC_POLICY_A_FAMILY] = { K_U16, .max = AF_INET6 },
	[NFSEC_POLICY_A_SEL] = { K_NEST, &set_sel },
	[NFSEC_POLICY_A_ACTION] = { K_U8, .max = NFSEC_ACTION_MAX },
	[NFSEC_POLICY_A_IPSEC] = { K_NEST, &set_ipsec },
	[NFSEC_POLICY_A_STATS] = { K_NEST, &set_pstats },
};
static const struct attr_spec a_lookup[] = {
	[NFSEC_LOOKUP_A_DIR] = { K_U8, .max = NFSEC_DIR_MAX },
	[NFSEC_LOOKUP_A_SRC] = { K_ADDR },
	[NFSEC_LOOKUP_A_DST] = { K_ADDR },
	[NFSEC_LOOKUP_A_PROTO] = { K_U8 },
	[NFSEC_LOOKUP_A_SPORT] = { K_U16 },
	[NFSEC_LOOKUP_A_DPORT] = { K_U16 },
	[NFSEC_LOOKUP_A_RESULT] = { K_U8, .max = NFSEC_ACTION_MAX },
	[NFSEC_LOOKUP_A_TABLE] = { K_U8, .max = __NFSEC_SPD_MAX - 1 },
};
static const struct attr_spec a_dirst[] = {
	[NFSEC_DIR_STATS_A_PAD] = { K_NONE },
	[NFSEC_DIR_STATS_A_DIR] = { K_U8, .max = NFSEC_DIR_MAX },
	[NFSEC_DIR_STATS_A_BYPASS] = { K_U64 },
	[NFSEC_DIR_STATS_A_DISCARD] = { K_U64 },
	[NFSEC_DIR_STATS_A_PROTECT] = { K_U64 },
	[NFSEC_DIR_STATS_A_NOMATCH] = { K_U64 },
};
static const struct attr_spec a_dropst[] = {
	[NFSEC_DROP_STATS_A_PAD] = { K_NONE },
	[NFSEC_DROP_STATS_A_REASON] = { K_U32, .max = __NFSEC_DROP_MAX - 1 },
	[NFSEC_DROP_STATS_A_PACKETS] = { K_U64 },
};
static const struct attr_spec a_cpust[] = {
	[NFSEC_CPU_STATS_A_PAD] = { K_NONE },
	[NFSEC_CPU_STATS_A_CPU] = { K_U32 },
	[NFSEC_CPU_STATS_A_CACHE_HITS] = { K_U64 },
	[NFSEC_CPU_STATS_A_CACHE_MISSES] = { K_U64 },
};
static const struct attr_spec a_stats[] = {
	[NFSEC_STATS_A_PAD] = { K_NONE },
	[NFSEC_STATS_A_DIR] = { K_NEST, &set_dirst },
	[NFSEC_STATS_A_DROP] = { K_NEST, &set_dropst },
	[NFSEC_STATS_A_CPU] = { K_NEST, &set_cpust },
	[NFSEC_STATS_A_POLICIES] = { K_U32 },
	[NFSEC_STATS_A_GENERATION] = { K_U32 },
	[NFSEC_STATS_A_ACQUIRES] = { K_U64 },
	[NFSEC_STATS_A_ACQUIRES_SUPPRESSED] = { K_U64 },
	[NFSEC_STATS_A_LARVAL] = { K_U32 },
};
static const struct attr_spec a_acq[] = {
	[NFSEC_ACQUIRE_A_POLICY_ID] = { K_U32 },
	[NFSEC_ACQUIRE_A_DIR] = { K_U8, .max = NFSEC_DIR_MAX },
	[NFSEC_ACQUIRE_A_FAMILY] = { K_U16, .max = AF_INET6 },
	[NFSEC_ACQUIRE_A_SEL] = { K_NEST, &set_sel },
	[NFSEC_ACQUIRE_A_IPSEC] = { K_NEST, &set_ipsec },
	[NFSEC_ACQUIRE_A_PACKET_SRC] = { K_ADDR },
	[NFSEC_ACQUIRE_A_PACKET_DST] = { K_ADDR },
	[NFSEC_ACQUIRE_A_PACKET_PROTO] = { K_U8 },
	[NFSEC_ACQUIRE_A_PACKET_SPORT] = { K_U16 },
	[NFSEC_ACQUIRE_A_PACKET_DPORT] = { K_U16 },
};
static const struct attr_spec a_alg[] = {
	[NFSEC_ALG_A_NAME] = { K_STR, .max = NFSEC_ALG_NAME_MAX },
	[NFSEC_ALG_A_KEY] = { K_ADDR },		/* binary; put_addr varies lengths */
	[NFSEC_ALG_A_ICV_BITS] = { K_U32, .max = 256 },
};
static const struct attr_spec a_encap[] = {
	[NFSEC_ENCAP_A_SPORT] = { K_U16 },
	[NFSEC_ENCAP_A_DPORT] = { K_U16 },
};
static const struct attr_spec a_life[] = {
	[NFSEC_LIFETIME_A_PAD] = { K_NONE },
	[NFSEC_LIFETIME_A_BYTES] = { K_U64 },
	[NFSEC_LIFETIME_A_PACKETS] = { K_U64 },
	[NFSEC_LIFETIME_A_ADD_SECONDS] = { K_U64 },
	[NFSEC_LIFETIME_A_USE_SECONDS] = { K_U64 },
};
static const struct attr_spec a_sastats[] = {
	[NFSEC_SA_STATS_A_PAD] = { K_NONE },
	[NFSEC_SA_STATS_A_PACKETS] = { K_U64 },
	[NFSEC_SA_STATS_A_BYTES] = { K_U64 },
	[NFSEC_SA_STATS_A_DROP] = { K_NEST, &set_dropst },
	[NFSEC_SA_STATS_A_REPLAY_TOP] = { K_U64 },
};
static const struct attr_spec a_sa[] = {
	[NFSEC_SA_A_PAD] = { K_NONE },
	[NFSEC_SA_A_SPI] = { K_U32 },
	[NFSEC_SA_A_PROTO] = { K_U8 },
	[NFSEC_SA_A_MODE] = { K_U8, .max = NFSEC_MODE_MAX },
	[NFSEC_SA_A_DIR] = { K_U8, .max = NFSEC_DIR_MAX },
	[NFSEC_SA_A_FAMILY] = { K_U16, .max = AF_INET6 },
	[NFSEC_SA_A_SRC] = { K_ADDR },
	[NFSEC_SA_A_DST] = { K_ADDR },
	[NFSEC_SA_A_REQID] = { K_U32 },
	[NFSEC_SA_A_SEL] = { K_NEST, &set_sel },
	[NFSEC_SA_A_AEAD] = { K_NEST, &set_alg },
	[NFSEC_SA_A_ENC] = { K_NEST, &set_alg },
	[NFSEC_SA_A_AUTH] = { K_NEST, &set_alg },
	[NFSEC_SA_A_REPLAY_WINDOW] = { K_U32, .max = NFSEC_REPLAY_WINDOW_MAX },
	[NFSEC_SA_A_FLAGS] = { K_U32, .max = __NFSEC_SA_F_ALL },
	[NFSEC_SA_A_DF] = { K_U8, .max = NFSEC_DF_MAX },
	[NFSEC_SA_A_DSCP] = { K_U8, .max = 63 },
	[NFSEC_SA_A_ENCAP] = { K_NEST, &set_encap },
	[NFSEC_SA_A_LIFETIME_SOFT] = { K_NEST, &set_life },
	[NFSEC_SA_A_LIFETIME_HARD] = { K_NEST, &set_life },
	[NFSEC_SA_A_TFC_PAD] = { K_U32 },
	[NFSEC_SA_A_MTU] = { K_U32 },
	[NFSEC_SA_A_SEQ] = { K_U64 },
	[NFSEC_SA_A_STATS] = { K_NEST, &set_sastats },
	[NFSEC_SA_A_CURRENT] = { K_NEST, &set_life },
};
static const struct attr_spec a_path[] = {
	[NFSEC_SA_PATH_A_FAMILY] = { K_U16, .max = AF_INET6 },
	[NFSEC_SA_PATH_A_SRC] = { K_ADDR },
	[NFSEC_SA_PATH_A_DST] = { K_ADDR },
	[NFSEC_SA_PATH_A_ENCAP] = { K_NEST, &set_encap },
};
static const struct attr_spec a_expire[] = {
	[NFSEC_EXPIRE_A_SA] = { K_NEST, &set_sa },
	[NFSEC_EXPIRE_A_HARD] = { K_U8, .max = 1 },
	[NFSEC_EXPIRE_A_REASON] = { K_U8, .max = __NFSEC_EXPIRE_MAX - 1 },
};
static const struct attr_spec a_top[] = {
	[NFSEC_A_POLICY] = { K_NEST, &set_policy },
	[NFSEC_A_POLICY_LIST] = { K_LIST, &set_policy },
	[NFSEC_A_GENERATION] = { K_U32 },
	[NFSEC_A_POLICY_COUNT] = { K_U32 },
	[NFSEC_A_CHECK_ONLY] = { K_FLAG },
	[NFSEC_A_LOOKUP] = { K_NEST, &set_lookup },
	[NFSEC_A_STATS] = { K_NEST, &set_stats },
	[NFSEC_A_ACQUIRE] = { K_NEST, &set_acq },
	[NFSEC_A_SA] = { K_NEST, &set_sa },
	[NFSEC_A_SA_PATH] = { K_NEST, &set_path },
	[NFSEC_A_SHOW_KEYS] = { K_FLAG },
	[NFSEC_A_SPI_MIN] = { K_U32 },
	[NFSEC_A_SPI_MAX] = { K_U32 },
	[NFSEC_A_EXPIRE] = { K_NEST, &set_expire },
};

const struct attr_set set_top = SET(top, a_top), set_policy = SET(policy, a_policy),
	set_sel = SET(sel, a_sel), set_addr = SET(addr, a_addr),
	set_ipsec = SET(ipsec, a_ipsec), set_pstats = SET(pstats, a_pstats),
	set_lookup = SET(lookup, a_lookup), set_stats = SET(stats, a_stats),
	set_dirst = SET(dirst, a_dirst), set_dropst = SET(dropst, a_dropst),
	set_cpust = SET(cpust, a_cpust), set_acq = SET(acq, a_acq),
	set_sa = SET(sa, a_sa), set_alg = SET(alg, a_alg), set_encap = SET(encap, a_encap),
	set_life = SET(life, a_life), set_path = SET(path, a_path),
	set_sastats = SET(sastats, a_sastats), set_expire = SET(expire, a_expire);

static const struct attr_set *const all_sets[] = {
	&set_top, &set_policy, &set_sel, &set_addr, &set_ipsec, &set_pstats,
	&set_lookup, &set_stats, &set_dirst, &set_dropst, &set_cpust, &set_acq,
	&set_sa, &set_alg, &set_encap, &set_life, &set_path, &set_sastats, &set_expire,
};
#define N_SETS (sizeof(all_sets) / sizeof(all_sets[0]))

static size_t kind_len(enum kind k)
{
	switch (k) {
	case K_U8: return 1;
	case K_U16: return 2;
	case K_U32: return 4;
	case K_U64: return 8;
	default: return 0;
	}
}

/* A value of the right width: 0, 1, all ones, the enum's last and first
 * invalid value, or random. */
static uint64_t interesting(struct rng *r, const struct attr_spec *s)
{
	switch (below(r, 7)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return ~0ULL;
	case 3: return s->max;
	case 4: return (uint64_t)s->max + 1;
	case 5: return 1ULL << below(r, 64);
	default: return rnd(r);
	}
}

static void gen_attrs(struct rng *r, struct msg *m, const struct attr_set *set, int depth);

/* Garbage of a random length, sometimes too long for any attribute. */
static void put_blob(struct rng *r, struct msg *m, uint16_t type)
{
	static const size_t lens[] = { 0, 1, 2, 3, 5, 7, 9, 15, 17, 32, 255, 256, 257, 4096 };
	uint8_t b[8192];
	size_t len = chance(r, 3) ? 60000 : lens[below(r, sizeof(lens) / sizeof(lens[0]))];

	if (len > sizeof(b)) {
		long off = put_attr(m, type, NULL, len);

		if (off >= 0)	/* the bytes are whatever the buffer held */
			return;
		len = sizeof(b);
	}
	for (size_t i = 0; i < len; i++)
		b[i] = chance(r, 50) ? 0 : rnd(r);
	put_attr(m, type, b, len);
}

static void put_string(struct rng *r, struct msg *m, uint16_t type, uint32_t max)
{
	static const char *const good[] = { "aes256gcm16", "aes128-sha256", "gw.example",
					    "company.com", "", "esp", "a@b.example" };
	char s[1024];
	size_t len;

	switch (below(r, 6)) {
	case 0: /* no terminating NUL */
		len = 1 + below(r, 32);
		memset(s, 'a' + below(r, 26), len);
		put_attr(m, type, s, len);
		return;
	case 1: /* exactly max, max + 1 (too long) characters */
	case 2:
		len = max + below(r, 2);
		if (len >= sizeof(s))
			len = sizeof(s) - 1;
		memset(s, 'x', len);
		s[len] = 0;
		put_attr(m, type, s, len + 1);
		return;
	case 3: /* embedded NUL */
		put_attr(m, type, "aes\0gcm", 8);
		return;
	default:
		put_str(m, type, good[below(r, sizeof(good) / sizeof(good[0]))]);
	}
}

static void put_addr(struct rng *r, struct msg *m, uint16_t type)
{
	uint8_t a[16];
	size_t len = chance(r, 50) ? 4 : 16;

	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = chance(r, 30) ? 0 : chance(r, 30) ? 0xff : rnd(r);
	if (chance(r, 15))
		len = below(r, 20);
	put_attr(m, type, a, len);
}

/* One attribute of a known type, usually of its kind, often not quite. */
static void gen_known(struct rng *r, struct msg *m, const struct attr_set *set,
		      uint16_t type, int depth)
{
	const struct attr_spec *s = &set->attrs[type];
	uint64_t v;

	if (chance(r, 8)) {	/* a value of another kind */
		put_blob(r, m, type);
		return;
	}
	switch (s->kind) {
	case K_U8:
	case K_U16:
	case K_U32:
	case K_U64:
		v = interesting(r, s);
		/* wrong width now and then: the policy must check exact lengths */
		put_attr(m, type, &v, chance(r, 10) ? below(r, 9) : kind_len(s->kind));
		break;
	case K_FLAG:
		if (chance(r, 10))
			put_u32(m, type, rnd(r));
		else
			put_attr(m, type, NULL, 0);
		break;
	case K_STR:
		put_string(r, m, type, s->max);
		break;
	case K_ADDR:
		put_addr(r, m, type);
		break;
	case K_NEST:
	case K_LIST: {
		long off = nest_start(m, type);

		if (off >= 0 && chance(r, 10))	/* a nest without NLA_F_NESTED */
			((struct nlattr *)(m->buf + off))->nla_type &= ~NLA_F_NESTED;
		if (s->kind == K_LIST) {
			for (unsigned int i = below(r, 5); i > 0; i--) {
				long e = nest_start(m, chance(r, 90) ? NFSEC_A_POLICY : below(r, 12));

				gen_attrs(r, m, s->nest, depth + 1);
				nest_end(m, e);
			}
		} else if (chance(r, 5)) {	/* a nest of the wrong set */
			gen_attrs(r, m, all_sets[below(r, N_SETS)], depth + 1);
		} else {
			gen_attrs(r, m, s->nest, depth + 1);
		}
		nest_end(m, off);
		break;
	}
	default:
		put_blob(r, m, type);
	}
}

static void gen_attrs(struct rng *r, struct msg *m, const struct attr_set *set, int depth)
{
	unsigned int n = below(r, 7);

	if (depth > MAX_DEPTH || m->len > MSG_MAX / 2)
		return;
	for (unsigned int i = 0; i < n; i++) {
		uint16_t type;

		switch (below(r, 20)) {
		case 0: /* unknown: 0, max + 1, anything */
			type = chance(r, 30) ? 0 : chance(r, 50) ? set->maxattr + 1 : below(r, 0x4000);
			if (chance(r, 30)) {
				long off = nest_start(m, type);

				gen_attrs(r, m, set, depth + 1);
				nest_end(m, off);
			} else {
				put_blob(r, m, type | (chance(r, 10) ? NLA_F_NET_BYTEORDER : 0));
			}
			break;
		case 1: /* deep nesting: the same nest again and again */
			if (depth < 3) {
				long offs[MAX_DEPTH];
				int d = 1 + below(r, MAX_DEPTH - 1);

				for (int j = 0; j < d; j++)
					offs[j] = nest_start(m, 1 + below(r, set->maxattr));
				for (int j = d - 1; j >= 0; j--)
					nest_end(m, offs[j]);
				break;
			}
			/* fall through */
		default:
			type = 1 + below(r, set->maxattr);
			gen_known(r, m, set, type, depth);
			break;
		}
	}
}

/* ---- valid requests --------------------------------------------------- */

struct policy {
	uint32_t id, prio;
	uint8_t dir, action, proto, plen[2];
	int family;		/* AF_INET, AF_INET6 */
	uint8_t addr[2][16];	/* src, dst prefixes, host bits zero */
	uint16_t dport[2];	/* min, max; proto TCP or UDP only */
	bool has_addr[2], has_ports;
};

static void random_prefix(struct rng *r, struct policy *p, int i)
{
	int bytes = p->family == AF_INET ? 4 : 16, bits = bytes * 8;

	p->plen[i] = below(r, bits + 1);
	for (int b = 0; b < bytes; b++)
		p->addr[i][b] = b < 2 ? (p->family == AF_INET ? 10 : 0xfd) * (b == 0) : rnd(r);
	for (int b = p->plen[i]; b < bits; b++)
		p->addr[i][b / 8] &= ~(0x80 >> (b % 8));
}

/* A BYPASS or DISCARD policy that the uapi header says is valid. */
static void random_policy(struct rng *r, struct policy *p)
{
	memset(p, 0, sizeof(*p));
	p->dir = below(r, NFSEC_DIR_MAX + 1);
	p->action = below(r, 2) ? NFSEC_ACTION_DISCARD : NFSEC_ACTION_BYPASS;
	p->prio = chance(r, 20) ? 0x80000000 : below(r, 1000);
	p->family = chance(r, 50) ? AF_INET : AF_INET6;
	for (int i = 0; i < 2; i++) {
		p->has_addr[i] = chance(r, 70);
		if (p->has_addr[i])
			random_prefix(r, p, i);
	}
	if (chance(r, 40)) {
		p->proto = chance(r, 50) ? IPPROTO_TCP : IPPROTO_UDP;
		if (chance(r, 60)) {
			p->has_ports = true;
			p->dport[0] = below(r, 65536);
			p->dport[1] = p->dport[0] + below(r, 65536 - p->dport[0]);
		}
	}
	if (!p->has_addr[0] && !p->has_addr[1])
		p->family = 0;
}

static void put_policy(struct msg *m, const struct policy *p, bool with_id)
{
	long pol = nest_start(m, NFSEC_A_POLICY), sel;

	if (with_id)
		put_u32(m, NFSEC_POLICY_A_ID, p->id);
	put_u8(m, NFSEC_POLICY_A_DIR, p->dir);
	put_u8(m, NFSEC_POLICY_A_ACTION, p->action);
	put_u32(m, NFSEC_POLICY_A_PRIORITY, p->prio);
	sel = nest_start(m, NFSEC_POLICY_A_SEL);
	for (int i = 0; i < 2; i++) {
		long a;

		if (!p->has_addr[i])
			continue;
		a = nest_start(m, i ? NFSEC_SEL_A_DST : NFSEC_SEL_A_SRC);
		put_attr(m, NFSEC_ADDR_A_START, p->addr[i], p->family == AF_INET ? 4 : 16);
		put_u8(m, NFSEC_ADDR_A_PREFIXLEN, p->plen[i]);
		nest_end(m, a);
	}
	if (p->proto)
		put_u8(m, NFSEC_SEL_A_PROTO, p->proto);
	if (p->has_ports) {
		put_u16(m, NFSEC_SEL_A_DPORT_MIN, p->dport[0]);
		put_u16(m, NFSEC_SEL_A_DPORT_MAX, p->dport[1]);
	}
	nest_end(m, sel);
	nest_end(m, pol);
}

static void put_protect(struct rng *r, struct msg *m)
{
	struct policy p;
	long pol, ip;

	random_policy(r, &p);
	pol = nest_start(m, NFSEC_A_POLICY);
	put_u8(m, NFSEC_POLICY_A_DIR, p.dir);
	put_u8(m, NFSEC_POLICY_A_ACTION, NFSEC_ACTION_PROTECT);
	put_u32(m, NFSEC_POLICY_A_PRIORITY, p.prio);
	ip = nest_start(m, NFSEC_POLICY_A_IPSEC);
	put_u8(m, NFSEC_IPSEC_A_PROTO, chance(r, 80) ? IPPROTO_ESP : IPPROTO_AH);
	put_u8(m, NFSEC_IPSEC_A_MODE, NFSEC_MODE_TRANSPORT);
	put_u32(m, NFSEC_IPSEC_A_REQID, 1 + below(r, 16));
	put_str(m, NFSEC_IPSEC_A_PROPOSAL, "aes256gcm16");
	nest_end(m, ip);
	nest_end(m, pol);
}

/* Policy ids seen in replies, shared by all threads. */
static uint32_t id_pool[ID_POOL];

static uint32_t some_id(struct rng *r)
{
	uint32_t id = __atomic_load_n(&id_pool[below(r, ID_POOL)], __ATOMIC_RELAXED);

	return id && chance(r, 85) ? id : below(r, 4) ? 1 + below(r, 256) : rnd(r);
}

static void remember_id(struct rng *r, uint32_t id)
{
	__atomic_store_n(&id_pool[below(r, ID_POOL)], id, __ATOMIC_RELAXED);
}

static uint16_t family_id;

/* The identity of an SA (SPI, PROTO, FAMILY, DST): few SPIs, so that the
 * threads create, update and delete the same SAs. */
static void put_sa_id(struct rng *r, struct msg *m, bool full)
{
	static const uint8_t a4[2][4] = { { 10, 0, 0, 1 }, { 10, 0, 0, 2 } };
	static const uint8_t a6[2][16] = { { 0xfd, [15] = 1 }, { 0xfd, [15] = 2 } };
	bool v4 = chance(r, 70), out = chance(r, 50);
	const uint8_t *src = v4 ? a4[!out] : a6[!out], *dst = v4 ? a4[out] : a6[out];
	uint8_t key[36];
	long alg;

	put_u32(m, NFSEC_SA_A_SPI, 0x100 + below(r, 32));
	put_u8(m, NFSEC_SA_A_PROTO, chance(r, 85) ? IPPROTO_ESP : IPPROTO_AH);
	put_u16(m, NFSEC_SA_A_FAMILY, v4 ? AF_INET : AF_INET6);
	put_attr(m, NFSEC_SA_A_DST, dst, v4 ? 4 : 16);
	if (!full)
		return;
	put_attr(m, NFSEC_SA_A_SRC, src, v4 ? 4 : 16);
	put_u8(m, NFSEC_SA_A_MODE, chance(r, 70) ? NFSEC_MODE_TRANSPORT : NFSEC_MODE_TUNNEL);
	put_u8(m, NFSEC_SA_A_DIR, out ? NFSEC_DIR_OUT : NFSEC_DIR_IN);
	put_u32(m, NFSEC_SA_A_REQID, 1 + below(r, 16));
	put_u32(m, NFSEC_SA_A_REPLAY_WINDOW, chance(r, 20) ? 0 : 32 << below(r, 8));
	if (chance(r, 30))
		put_u32(m, NFSEC_SA_A_FLAGS, NFSEC_SA_F_ESN);
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = rnd(r);
	/* ESP: AEAD, or ENC + AUTH; AH: AUTH (an ESP SA with AUTH only is
	 * refused, which is fine too) */
	if (chance(r, 60)) {
		alg = nest_start(m, NFSEC_SA_A_AEAD);
		put_str(m, NFSEC_ALG_A_NAME, "rfc4106(gcm(aes))");
		put_attr(m, NFSEC_ALG_A_KEY, key, 20);
		put_u32(m, NFSEC_ALG_A_ICV_BITS, 128);
		nest_end(m, alg);
	} else {
		alg = nest_start(m, NFSEC_SA_A_ENC);
		put_str(m, NFSEC_ALG_A_NAME, "cbc(aes)");
		put_attr(m, NFSEC_ALG_A_KEY, key, 16);
		nest_end(m, alg);
		alg = nest_start(m, NFSEC_SA_A_AUTH);
		put_str(m, NFSEC_ALG_A_NAME, "hmac(sha256)");
		put_attr(m, NFSEC_ALG_A_KEY, key, 32);
		put_u32(m, NFSEC_ALG_A_ICV_BITS, 128);
		nest_end(m, alg);
	}
	if (chance(r, 20)) {
		alg = nest_start(m, NFSEC_SA_A_ENCAP);
		put_u16(m, NFSEC_ENCAP_A_SPORT, 4500);
		put_u16(m, NFSEC_ENCAP_A_DPORT, 4500);
		nest_end(m, alg);
	}
	if (chance(r, 20)) {
		alg = nest_start(m, NFSEC_SA_A_LIFETIME_HARD);
		put_attr(m, NFSEC_LIFETIME_A_PACKETS, &(uint64_t){ 1 + below(r, 100) }, 8);
		nest_end(m, alg);
	}
}

static void gen_sa(struct rng *r, struct msg *m, uint8_t *cmd, bool *dump)
{
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	long nest;

	switch (below(r, 8)) {
	case 0: case 1:
		*cmd = NFSEC_CMD_SA_NEW;
		break;
	case 2:
		*cmd = NFSEC_CMD_SA_DEL;
		break;
	case 3:
		*cmd = NFSEC_CMD_SA_UPDATE;
		break;
	case 4:
		*cmd = NFSEC_CMD_SPI_ALLOC;
		break;
	case 5:
		*cmd = NFSEC_CMD_SA_GET;
		*dump = true;
		break;
	case 6:
		*cmd = NFSEC_CMD_SA_GET;
		break;
	default:
		*cmd = chance(r, 10) ? NFSEC_CMD_SA_FLUSH : NFSEC_CMD_SA_GET;
		*dump = *cmd == NFSEC_CMD_SA_GET;
		break;
	}
	msg_init(m, family_id, *cmd, flags | (*dump ? NLM_F_DUMP : 0));
	if (*cmd == NFSEC_CMD_SA_FLUSH || (*dump && chance(r, 50)))
		return;
	if (*dump) {
		nest = nest_start(m, NFSEC_A_SA);
		put_u8(m, NFSEC_SA_A_PROTO, IPPROTO_ESP);
		nest_end(m, nest);
		return;
	}
	if (chance(r, 20) && (*cmd == NFSEC_CMD_SA_GET))
		put_attr(m, NFSEC_A_SHOW_KEYS, NULL, 0);
	nest = nest_start(m, NFSEC_A_SA);
	put_sa_id(r, m, *cmd == NFSEC_CMD_SA_NEW);
	nest_end(m, nest);
	if (*cmd == NFSEC_CMD_SA_UPDATE) {
		static const uint8_t a[4] = { 10, 0, 0, 3 };

		nest = nest_start(m, NFSEC_A_SA_PATH);
		put_u16(m, NFSEC_SA_PATH_A_FAMILY, AF_INET);
		put_attr(m, NFSEC_SA_PATH_A_SRC, a, 4);
		put_attr(m, NFSEC_SA_PATH_A_DST, a, 4);
		nest_end(m, nest);
	} else if (*cmd == NFSEC_CMD_SPI_ALLOC && chance(r, 50)) {
		put_u32(m, NFSEC_A_SPI_MIN, 0x100);
		put_u32(m, NFSEC_A_SPI_MAX, 0x100 + below(r, 64));
	}
}

static void gen_valid(struct rng *r, struct msg *m, uint8_t *cmd, bool *dump)
{
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	struct policy p;
	long nest;

	*dump = false;
	if (chance(r, 25)) {
		gen_sa(r, m, cmd, dump);
		return;
	}
	switch (below(r, 16)) {
	case 0: case 1: case 2: case 3: case 4:
		*cmd = NFSEC_CMD_POLICY_NEW;
		msg_init(m, family_id, *cmd, flags);
		if (chance(r, 10)) {
			put_protect(r, m);
		} else {
			random_policy(r, &p);
			put_policy(m, &p, false);
		}
		break;
	case 5: case 6: case 7:
		*cmd = NFSEC_CMD_POLICY_DEL;
		msg_init(m, family_id, *cmd, flags);
		nest = nest_start(m, NFSEC_A_POLICY);
		put_u32(m, NFSEC_POLICY_A_ID, some_id(r));
		nest_end(m, nest);
		break;
	case 8:
		*cmd = NFSEC_CMD_POLICY_GET;
		msg_init(m, family_id, *cmd, flags);
		nest = nest_start(m, NFSEC_A_POLICY);
		put_u32(m, NFSEC_POLICY_A_ID, some_id(r));
		nest_end(m, nest);
		break;
	case 9: case 10:
		*cmd = NFSEC_CMD_POLICY_GET;
		*dump = true;
		msg_init(m, family_id, *cmd, flags | NLM_F_DUMP);
		if (chance(r, 30)) {
			nest = nest_start(m, NFSEC_A_POLICY);
			put_u8(m, NFSEC_POLICY_A_DIR, below(r, NFSEC_DIR_MAX + 1));
			nest_end(m, nest);
		}
		break;
	case 11:	/* flushes are rare, or the SPD would stay empty */
		*cmd = chance(r, 20) ? NFSEC_CMD_POLICY_FLUSH : NFSEC_CMD_STATS_GET;
		msg_init(m, family_id, *cmd, flags);
		if (*cmd == NFSEC_CMD_POLICY_FLUSH && chance(r, 50)) {
			nest = nest_start(m, NFSEC_A_POLICY);
			put_u8(m, NFSEC_POLICY_A_DIR, below(r, NFSEC_DIR_MAX + 1));
			nest_end(m, nest);
		}
		break;
	case 12: {
		long list;

		*cmd = NFSEC_CMD_POLICY_REPLACE;
		msg_init(m, family_id, *cmd, flags);
		/* mostly check-only: a real replace empties the others' ids */
		if (chance(r, 80))
			put_attr(m, NFSEC_A_CHECK_ONLY, NULL, 0);
		list = nest_start(m, NFSEC_A_POLICY_LIST);
		for (unsigned int i = below(r, 40); i > 0; i--) {
			random_policy(r, &p);
			put_policy(m, &p, false);
		}
		nest_end(m, list);
		break;
	}
	case 13: case 14: {
		uint8_t a[16];
		bool v4 = chance(r, 50);

		*cmd = NFSEC_CMD_POLICY_LOOKUP;
		msg_init(m, family_id, *cmd, flags);
		nest = nest_start(m, NFSEC_A_LOOKUP);
		put_u8(m, NFSEC_LOOKUP_A_DIR, below(r, NFSEC_DIR_MAX + 1));
		for (size_t i = 0; i < sizeof(a); i++)
			a[i] = i == 0 ? (v4 ? 10 : 0xfd) : rnd(r);
		put_attr(m, NFSEC_LOOKUP_A_SRC, a, v4 ? 4 : 16);
		a[1] ^= 1;
		put_attr(m, NFSEC_LOOKUP_A_DST, a, v4 ? 4 : 16);
		if (chance(r, 60)) {
			put_u8(m, NFSEC_LOOKUP_A_PROTO, chance(r, 50) ? IPPROTO_TCP : IPPROTO_UDP);
			put_u16(m, NFSEC_LOOKUP_A_SPORT, rnd(r));
			put_u16(m, NFSEC_LOOKUP_A_DPORT, rnd(r));
		}
		nest_end(m, nest);
		break;
	}
	default:
		*cmd = NFSEC_CMD_STATS_GET;
		msg_init(m, family_id, *cmd, flags);
		break;
	}
}

/* ---- random requests -------------------------------------------------- */

static void mutate(struct rng *r, struct msg *m)
{
	size_t body = NLMSG_HDRLEN;

	switch (below(r, 8)) {
	case 0: /* bit flips anywhere after the netlink header */
		for (unsigned int i = 1 + below(r, 8); i > 0 && m->len > body; i--)
			m->buf[body + below(r, m->len - body)] ^= 1 << below(r, 8);
		break;
	case 1: /* truncated: attributes cut short, even the genl header */
		if (m->len > NLMSG_HDRLEN)
			m->len = NLMSG_HDRLEN + below(r, m->len - NLMSG_HDRLEN);
		break;
	case 2: /* trailing garbage that is no attribute */
		for (unsigned int i = 1 + below(r, 7); i > 0 && m->len < sizeof(m->buf); i--)
			m->buf[m->len++] = rnd(r);
		break;
	case 3: /* an attribute length that lies */
		if (m->len >= NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN) {
			struct nlattr *a = (struct nlattr *)(m->buf + NLMSG_HDRLEN + GENL_HDRLEN);

			a->nla_len = chance(r, 50) ? below(r, NLA_HDRLEN) : 0xffff - below(r, 4);
		}
		break;
	case 4: /* the genl header's version and reserved field */
		if (m->len >= NLMSG_HDRLEN + GENL_HDRLEN) {
			struct genlmsghdr *g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);

			g->version = rnd(r);
			g->reserved = rnd(r);
		}
		break;
	default:
		break;
	}
}

static void gen_random(struct rng *r, struct msg *m, uint8_t *cmd, bool *dump)
{
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;

	*cmd = below(r, NFSEC_CMD_MAX + 3);
	if (chance(r, 30))
		flags |= NLM_F_DUMP;
	if (chance(r, 20))
		flags |= rnd(r) & (NLM_F_ECHO | NLM_F_ATOMIC | NLM_F_EXCL | NLM_F_CREATE |
				   NLM_F_APPEND | 0x4000);
	*dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	msg_init(m, family_id, *cmd, flags);
	gen_attrs(r, m, chance(r, 90) ? &set_top : all_sets[below(r, N_SETS)], 0);
	if (m->overflow)	/* keep what fits */
		m->overflow = false;
	if (chance(r, 30))
		mutate(r, m);
}

/* ---- talking to the kernel -------------------------------------------- */

static bool ext_ack = true;
static bool fail_inject;	/* -F */

static int nl_open(void)
{
	struct timeval tv = { fail_inject ? 1 : RECV_TIMEOUT_MS / 1000,
			      fail_inject ? 0 : (RECV_TIMEOUT_MS % 1000) * 1000 };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, one = 1, size = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (ext_ack)
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* What one request got back. */
struct result {
	int err;		/* 0 ack or dump done, -errno, or 1: no answer */
	bool intr;		/* a dump message carried NLM_F_DUMP_INTR */
	unsigned int replies;	/* messages other than the final ack/done */
};

/* Called for every reply message of the request (not the final ack). */
typedef void (*reply_fn)(const struct nlmsghdr *nlh, void *ctx);

/* Reads until the ack, the end of the dump or a timeout. slow: sleep
 * between reads of a dump so that other threads change the SPD meanwhile;
 * stop_after: return after that many reply messages (abandoned dump). */
static struct result nl_wait(int fd, uint16_t type, uint32_t seq, struct stats *st,
			     reply_fn fn, void *ctx, bool slow, unsigned int stop_after)
{
	static __thread uint8_t buf[RECV_BUF] __attribute__((aligned(4)));
	struct result res = { .err = 1 };

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				st->timeouts++;
			else if (errno == ENOBUFS)	/* lost replies: counted, go on */
				res.err = -ENOBUFS;
			return res;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != seq)	/* late answer to an earlier request */
				continue;
			if (h->nlmsg_flags & NLM_F_DUMP_INTR)
				res.intr = true;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
					st->bad_replies++;
					res.err = -EBADMSG;
				} else {
					res.err = e->error;
				}
				return res;
			}
			if (h->nlmsg_type == NLMSG_DONE) {	/* carries the dump's error */
				res.err = 0;
				if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					memcpy(&res.err, NLMSG_DATA(h), sizeof(int));
				return res;
			}
			if (h->nlmsg_type != type)
				st->bad_replies++;
			res.replies++;
			if (fn)
				fn(h, ctx);
			if (stop_after && res.replies >= stop_after)
				return res;
		}
		if (slow)
			usleep(200);
	}
}

static int nl_send(int fd, struct msg *m, uint32_t seq, struct stats *st)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->buf;

	nlh->nlmsg_len = m->len;
	nlh->nlmsg_seq = seq;
	st->sent++;
	if (sendto(fd, m->buf, m->len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		st->send_err++;
		return -errno;
	}
	return 0;
}

static void count(struct stats *st, const struct result *res)
{
	int e = res->err;

	if (e == 1)
		return;	/* timed out, counted by nl_wait */
	st->acks[-e > 0 && -e < ERRNO_MAX ? -e : e ? ERRNO_MAX : 0]++;
	st->replies += res->replies;
}

/* Walks the attributes in [p, p + len) and calls back for each. */
#define for_each_attr(a, p, len) \
	for (const struct nlattr *a = (const struct nlattr *)(p); \
	     (size_t)((const uint8_t *)a - (const uint8_t *)(p)) + NLA_HDRLEN <= (len) && \
	     a->nla_len >= NLA_HDRLEN && \
	     (size_t)((const uint8_t *)a - (const uint8_t *)(p)) + a->nla_len <= (len); \
	     a = (const struct nlattr *)((const uint8_t *)a + NLA_ALIGN(a->nla_len)))
#define ATTR_TYPE(a) ((a)->nla_type & NLA_TYPE_MASK)
#define ATTR_DATA(a) ((const uint8_t *)(a) + NLA_HDRLEN)
#define ATTR_LEN(a) ((size_t)(a)->nla_len - NLA_HDRLEN)

/* The NFSEC_A_POLICY nest of a reply, or NULL. */
static const struct nlattr *reply_policy(const struct nlmsghdr *h)
{
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;

	if (h->nlmsg_len < off)
		return NULL;
	for_each_attr(a, (const uint8_t *)h + off, h->nlmsg_len - off)
		if (ATTR_TYPE(a) == NFSEC_A_POLICY)
			return a;
	return NULL;
}

/* Fills p from a policy nest; returns false without an id. */
static bool read_policy(const struct nlattr *pol, struct policy *p)
{
	memset(p, 0, sizeof(*p));
	for_each_attr(a, ATTR_DATA(pol), ATTR_LEN(pol)) {
		switch (ATTR_TYPE(a)) {
		case NFSEC_POLICY_A_ID:
			if (ATTR_LEN(a) == 4)
				memcpy(&p->id, ATTR_DATA(a), 4);
			break;
		case NFSEC_POLICY_A_DIR:
			if (ATTR_LEN(a) >= 1)
				p->dir = ATTR_DATA(a)[0];
			break;
		case NFSEC_POLICY_A_ACTION:
			if (ATTR_LEN(a) >= 1)
				p->action = ATTR_DATA(a)[0];
			break;
		case NFSEC_POLICY_A_PRIORITY:
			if (ATTR_LEN(a) == 4)
				memcpy(&p->prio, ATTR_DATA(a), 4);
			break;
		}
	}
	return p->id != 0;
}

/* ---- the fuzz phase --------------------------------------------------- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double deadline;	/* 0: none */

struct worker {
	pthread_t tid;
	unsigned int index;
	uint64_t seed, n;
	struct stats st;
};

struct id_ctx {
	struct rng *r;
	uint32_t id;
};

static void harvest_id(const struct nlmsghdr *h, void *ctx)
{
	const struct nlattr *pol = reply_policy(h);
	struct id_ctx *c = ctx;
	struct policy p;

	if (pol && read_policy(pol, &p)) {
		c->id = p.id;
		remember_id(c->r, p.id);
	}
}

static void *fuzz_thread(void *arg)
{
	static __thread struct msg m;
	struct worker *w = arg;
	struct rng r = { w->seed };
	uint32_t seq = w->index << 24;
	int fd = nl_open(), ffd = -1;

	if (fd < 0) {
		perror("nlfuzz: netlink socket");
		return NULL;
	}
	if (fail_inject) {
		ffd = fail_open();
		if (ffd < 0 || !fail_set(ffd, true)) {
			perror("nlfuzz: /proc/thread-self/make-it-fail");
			close(fd);
			return NULL;
		}
	}
	for (uint64_t i = 0; i < w->n; i++) {
		struct id_ctx ctx = { &r, 0 };
		struct result res;
		bool dump, valid = chance(&r, 40);
		unsigned int stop = 0;
		uint8_t cmd;

		if (valid) {
			gen_valid(&r, &m, &cmd, &dump);
			w->st.valid++;
		} else {
			gen_random(&r, &m, &cmd, &dump);
			w->st.random++;
		}
		if (deadline && !(i % 64) && now() > deadline)
			break;
		if (dump && chance(&r, 10))
			stop = 1 + below(&r, 3);
		if (nl_send(fd, &m, ++seq, &w->st))
			continue;
		res = nl_wait(fd, family_id, seq, &w->st, harvest_id, &ctx, dump && chance(&r, 5),
			      stop);
		if (stop && res.err == 1 && res.replies >= stop) {
			/* abandon the dump: the kernel frees its state on close */
			w->st.dumps_abandoned++;
			close(fd);
			/* A marked thread's socket() may fail: try again. */
			for (int tries = 0; tries < 1000; tries++) {
				fd = nl_open();
				if (fd >= 0 || !fail_inject)
					break;
			}
			if (fd < 0)
				break;
			continue;
		}
		if (dump && res.err == 0) {
			w->st.dumps++;
			w->st.dumps_intr += res.intr;
		}
		count(&w->st, &res);
	}
	if (ffd >= 0) {
		while (!fail_set(ffd, false))
			;
		close(ffd);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* ---- family lookup and probe ------------------------------------------ */

struct family_ctx {
	uint16_t id;
	bool ops[256];
};

static void family_reply(const struct nlmsghdr *h, void *ctx)
{
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
	struct family_ctx *f = ctx;

	if (h->nlmsg_len < off)
		return;
	for_each_attr(a, (const uint8_t *)h + off, h->nlmsg_len - off) {
		if (ATTR_TYPE(a) == CTRL_ATTR_FAMILY_ID && ATTR_LEN(a) == 2)
			memcpy(&f->id, ATTR_DATA(a), 2);
		if (ATTR_TYPE(a) != CTRL_ATTR_OPS)
			continue;
		for_each_attr(op, ATTR_DATA(a), ATTR_LEN(a))
			for_each_attr(o, ATTR_DATA(op), ATTR_LEN(op))
				if (ATTR_TYPE(o) == CTRL_ATTR_OP_ID && ATTR_LEN(o) == 4) {
					uint32_t id;

					memcpy(&id, ATTR_DATA(o), 4);
					f->ops[id & 0xff] = true;
				}
	}
}

/* The family's id and the commands it implements (from the controller). */
static int resolve_family(struct family_ctx *f, struct stats *st)
{
	static struct msg m;
	struct result res;
	int fd = nl_open();

	if (fd < 0)
		return -1;
	memset(f, 0, sizeof(*f));
	msg_init(&m, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_REQUEST | NLM_F_ACK);
	((struct genlmsghdr *)(m.buf + NLMSG_HDRLEN))->version = 1;
	put_str(&m, CTRL_ATTR_FAMILY_NAME, NFSEC_GENL_NAME);
	if (!nl_send(fd, &m, 1, st)) {
		res = nl_wait(fd, GENL_ID_CTRL, 1, st, family_reply, f, false, 0);
		if (res.err)
			f->id = 0;
	}
	close(fd);
	return f->id ? 0 : -1;
}

/* ---- the model check -------------------------------------------------- */

struct model {
	struct policy *p;
	size_t n, cap;
};

static struct policy *model_find(struct model *mo, uint32_t id)
{
	for (size_t i = 0; i < mo->n; i++)
		if (mo->p[i].id == id)
			return &mo->p[i];
	return NULL;
}

static void dump_collect(const struct nlmsghdr *h, void *ctx)
{
	const struct nlattr *pol = reply_policy(h);
	struct model *d = ctx;

	if (!pol)
		return;
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->p = realloc(d->p, d->cap * sizeof(*d->p));
		if (!d->p)
			abort();
	}
	if (!read_policy(pol, &d->p[d->n]))
		d->p[d->n].id = 0;
	d->n++;
}

static int request(int fd, struct msg *m, uint32_t *seq, struct stats *st, reply_fn fn,
		   void *ctx)
{
	struct result res;

	if (nl_send(fd, m, ++*seq, st))
		return -EIO;
	res = nl_wait(fd, family_id, *seq, st, fn, ctx, false, 0);
	count(st, &res);
	if (res.err == 1)
		return -ETIMEDOUT;
	return res.intr && !res.err ? -EINTR : res.err;
}

static int dump_policies(int fd, uint32_t *seq, struct stats *st, struct model *out)
{
	static struct msg m;
	int err, tries = 0;

	do {
		out->n = 0;
		msg_init(&m, family_id, NFSEC_CMD_POLICY_GET, NLM_F_REQUEST | NLM_F_DUMP);
		err = request(fd, &m, seq, st, dump_collect, out);
	} while (err == -EINTR && ++tries < 5);	/* nobody else writes now */
	return err;
}

static int model_check(uint64_t seed, unsigned int ops, bool quiet, struct stats *st)
{
	static struct msg m;
	struct model mo = { 0 }, got = { 0 };
	struct rng r = { seed ^ 0x6d6f64656cULL };
	unsigned int news = 0, dels = 0, rejected = 0, missing = 0, bad = 0;
	uint32_t seq = 0xff000000;
	int fd = nl_open(), err;

	if (fd < 0)
		return 1;
	msg_init(&m, family_id, NFSEC_CMD_POLICY_FLUSH, NLM_F_REQUEST | NLM_F_ACK);
	err = request(fd, &m, &seq, st, NULL, NULL);
	if (err) {
		printf("model: FLUSH failed: %s\n", strerror(-err));
		return 1;
	}
	for (unsigned int i = 0; i < ops; i++) {
		struct id_ctx ctx = { &r, 0 };
		struct policy p;
		long nest;

		if (mo.n == 0 || chance(&r, 65)) {
			random_policy(&r, &p);
			msg_init(&m, family_id, NFSEC_CMD_POLICY_NEW, NLM_F_REQUEST | NLM_F_ACK);
			put_policy(&m, &p, false);
			err = request(fd, &m, &seq, st, harvest_id, &ctx);
			news++;
			if (err) {
				if (++rejected <= 5 && !quiet)
					printf("model: POLICY_NEW rejected: %s\n", strerror(-err));
				continue;
			}
			if (!ctx.id || model_find(&mo, ctx.id)) {
				printf("model: POLICY_NEW reply has %s id %u\n",
				       ctx.id ? "a reused" : "no", ctx.id);
				bad++;
				continue;
			}
			p.id = ctx.id;
			if (mo.n == mo.cap) {
				mo.cap = mo.cap ? 2 * mo.cap : 64;
				mo.p = realloc(mo.p, mo.cap * sizeof(*mo.p));
				if (!mo.p)
					abort();
			}
			mo.p[mo.n++] = p;
		} else {
			/* an id we hold, or one nobody holds */
			bool held = chance(&r, 80);
			size_t k = below(&r, mo.n);
			uint32_t id = held ? mo.p[k].id : 0x7fff0000 + below(&r, 0xffff);

			msg_init(&m, family_id, NFSEC_CMD_POLICY_DEL, NLM_F_REQUEST | NLM_F_ACK);
			nest = nest_start(&m, NFSEC_A_POLICY);
			put_u32(&m, NFSEC_POLICY_A_ID, id);
			nest_end(&m, nest);
			err = request(fd, &m, &seq, st, NULL, NULL);
			dels++;
			if (held != !err) {
				printf("model: POLICY_DEL of %s id %u: %s\n", held ? "a live" : "an unknown",
				       id, err ? strerror(-err) : "accepted");
				bad++;
			}
			if (held && !err)
				mo.p[k] = mo.p[--mo.n];
		}
	}

	err = dump_policies(fd, &seq, st, &got);
	if (err) {
		printf("model: dump failed: %s\n", strerror(-err));
		bad++;
	}
	for (size_t i = 0; i < got.n; i++) {
		struct policy *want = model_find(&mo, got.p[i].id);

		if (!want) {
			printf("model: dump has id %u, which the model does not\n", got.p[i].id);
			bad++;
		} else if (want->dir != got.p[i].dir || want->action != got.p[i].action ||
			   want->prio != got.p[i].prio) {
			printf("model: id %u: dir/action/priority %u/%u/%u, expected %u/%u/%u\n",
			       want->id, got.p[i].dir, got.p[i].action, got.p[i].prio,
			       want->dir, want->action, want->prio);
			bad++;
		}
	}
	for (size_t i = 0; i < mo.n; i++) {
		bool found = false;

		for (size_t j = 0; j < got.n && !found; j++)
			found = got.p[j].id == mo.p[i].id;
		if (!found) {
			printf("model: id %u is missing from the dump\n", mo.p[i].id);
			missing++;
		}
	}
	if (news && rejected == news) {
		printf("model: the kernel rejected every POLICY_NEW: nothing was checked\n");
		bad++;
	}
	printf("model: %u POLICY_NEW (%u rejected), %u POLICY_DEL, %zu policies expected, "
	       "%zu dumped: %s\n", news, rejected, dels, mo.n, got.n,
	       bad || missing ? "MISMATCH" : "match");
	msg_init(&m, family_id, NFSEC_CMD_POLICY_FLUSH, NLM_F_REQUEST | NLM_F_ACK);
	request(fd, &m, &seq, st, NULL, NULL);
	close(fd);
	free(mo.p);
	free(got.p);
	return bad || missing ? 1 : 0;
}

/* ---- main ------------------------------------------------------------- */

static void add_stats(struct stats *to, const struct stats *s)
{
	const uint64_t *a = (const uint64_t *)s;
	uint64_t *b = (uint64_t *)to;

	for (size_t i = 0; i < sizeof(*s) / sizeof(uint64_t); i++)
		b[i] += a[i];
}

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-n MESSAGES] [-d SECONDS] [-t THREADS] [-s SEED] [-m MODEL-OPS]"
		" [-E] [-F] [-q]\n", prog);
	exit(2);
}

int main(int argc, char **argv)
{
	static struct worker w[MAX_THREADS];
	uint64_t messages = 10000, seed = 0;
	unsigned int threads = 1, model_ops = 2000, seconds = 0;
	struct stats total = { 0 }, probe = { 0 };
	struct family_ctx fam;
	bool quiet = false, have_seed = false, model;
	double t0, secs;
	int opt, ret = 0;
	char *end;

	while ((opt = getopt(argc, argv, "n:d:t:s:m:EFqh")) != -1) {
		switch (opt) {
		case 'n': messages = strtoull(optarg, &end, 0); if (*end) usage(argv[0]); break;
		case 'd': seconds = strtoul(optarg, &end, 0); if (*end) usage(argv[0]); break;
		case 't': threads = strtoul(optarg, &end, 0); if (*end) usage(argv[0]); break;
		case 's': seed = strtoull(optarg, &end, 0); have_seed = true;
			  if (*end) usage(argv[0]);
			  break;
		case 'm': model_ops = strtoul(optarg, &end, 0); if (*end) usage(argv[0]); break;
		case 'E': ext_ack = false; break;
		case 'F': fail_inject = true; break;
		case 'q': quiet = true; break;
		default: usage(argv[0]);
		}
	}
	if (optind != argc || threads < 1 || threads > MAX_THREADS)
		usage(argv[0]);
	if (!have_seed)
		seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	printf("nlfuzz: seed %" PRIu64 ", %" PRIu64 " messages, %u threads", seed, messages,
	       threads);
	if (seconds)
		printf(", at most %u s", seconds);
	printf("\n");
	fflush(stdout);

	if (resolve_family(&fam, &probe)) {
		fprintf(stderr, "nlfuzz: no generic netlink family '%s'\n", NFSEC_GENL_NAME);
		return 3;
	}
	family_id = fam.id;
	model = fam.ops[NFSEC_CMD_POLICY_NEW] && fam.ops[NFSEC_CMD_POLICY_DEL] &&
		fam.ops[NFSEC_CMD_POLICY_GET] && fam.ops[NFSEC_CMD_POLICY_FLUSH];
	if (!quiet) {
		printf("nlfuzz: family %u implements commands", family_id);
		for (int c = 0; c < 256; c++)
			if (fam.ops[c])
				printf(" %d", c);
		printf("\n");
	}

	/* No page fault of a marked thread may need an allocation. */
	if (fail_inject && mlockall(MCL_CURRENT | MCL_FUTURE)) {
		perror("nlfuzz: mlockall");
		return 1;
	}
	t0 = now();
	if (seconds)
		deadline = t0 + seconds;
	for (unsigned int i = 0; i < threads; i++) {
		w[i].index = i;
		w[i].seed = seed + i * 0x1000193ULL;
		w[i].n = messages / threads + (i < messages % threads);
		if (pthread_create(&w[i].tid, NULL, fuzz_thread, &w[i])) {
			perror("nlfuzz: pthread_create");
			return 1;
		}
	}
	for (unsigned int i = 0; i < threads; i++) {
		pthread_join(w[i].tid, NULL);
		add_stats(&total, &w[i].st);
	}
	secs = now() - t0;

	printf("nlfuzz: %" PRIu64 " messages in %.1f s: %.0f messages/s (%" PRIu64 " valid, %"
	       PRIu64 " random), %" PRIu64 " send errors, %" PRIu64 " timeouts\n",
	       total.sent, secs, secs > 0 ? total.sent / secs : 0.0, total.valid, total.random,
	       total.send_err, total.timeouts);
	printf("nlfuzz: %" PRIu64 " reply messages, %" PRIu64 " dumps (%" PRIu64
	       " interrupted, %" PRIu64 " abandoned)\n", total.replies, total.dumps,
	       total.dumps_intr, total.dumps_abandoned);
	printf("nlfuzz: answers:");
	for (int e = 0; e <= ERRNO_MAX; e++)
		if (total.acks[e])
			printf(" %s %" PRIu64 ",", e == 0 ? "ok" : e == ERRNO_MAX ? "other" :
			       strerrorname_np(e) ? strerrorname_np(e) : "?", total.acks[e]);
	printf("\n");
	if (total.bad_replies) {
		printf("nlfuzz: %" PRIu64 " replies broke the protocol\n", total.bad_replies);
		ret = 1;
	}
	if (total.sent && total.timeouts * 100 > total.sent) {
		printf("nlfuzz: more than 1%% of the requests got no answer\n");
		ret = 1;
	}

	if (model) {
		printf("nlfuzz: model check (POLICY_NEW is implemented)\n");
		fflush(stdout);
		if (model_check(seed, model_ops, quiet, &total))
			ret = 1;
	} else {
		printf("nlfuzz: no model check: the module does not implement POLICY_NEW\n");
	}
	return ret;
}
