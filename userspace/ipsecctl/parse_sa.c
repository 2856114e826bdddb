// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parsing of "sa ..." and "spi alloc" arguments into the neutral structs of
 * nfsec_sa.h. Keywords in any order; every error names the word at fault.
 */
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "parse.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void reset(struct parse_error *e)
{
	e->argi = -1;
	e->msg[0] = '\0';
}

/* A decimal number 0..UINT64_MAX. */
static int parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static bool is_number(const char *s)
{
	return isdigit((unsigned char)s[0]) != 0;
}

/* State of one "sa ..." command line while its words are read. */
struct sa_words {
	int argc;
	char **argv;
	struct parse_error *e;
	struct nfsec_sa *sa;
	struct nfsec_sa_path *path;	/* update */
	struct sa_query *q;		/* list, get, del, flush */
	struct spi_alloc_req *spi;	/* spi alloc */
	bool has_min, has_max;
	bool new_src, new_dst, encap_given;
};

/* Each returns the index of the word after its values, or -1. */
typedef int (*kw_fn)(struct sa_words *w, int i);

struct sa_keyword {
	const char *name;
	kw_fn fn;
	bool repeat;		/* may be given more than once */
};

static int need(struct sa_words *w, int i, int n, const char *what)
{
	if (i + n >= w->argc)
		return parse_fail(w->e, i, "\"%s\" needs %s", w->argv[i], what);
	return 0;
}

static int kw_dir(struct sa_words *w, int i)
{
	const char *v;

	if (need(w, i, 1, "in or out"))
		return -1;
	v = w->argv[i + 1];
	if (!strcmp(v, "in"))
		w->sa->dir = NFSEC_DIR_IN;
	else if (!strcmp(v, "out"))
		w->sa->dir = NFSEC_DIR_OUT;
	else
		return parse_fail(w->e, i + 1, "bad dir \"%s\": an SA's dir is in or out", v);
	w->sa->has_dir = true;
	return i + 2;
}

static int kw_spi(struct sa_words *w, int i)
{
	if (need(w, i, 1, "a value"))
		return -1;
	if (nfsec_spi_parse(w->argv[i + 1], &w->sa->spi))
		return parse_fail(w->e, i + 1, "bad spi \"%s\": expected 1-4294967295, decimal or 0x hex (0 is reserved)",
			    w->argv[i + 1]);
	w->sa->has_spi = true;
	return i + 2;
}

static int addr_word(struct sa_words *w, int i, struct nfsec_addr *a)
{
	if (need(w, i, 1, "an address"))
		return -1;
	if (nfsec_addr_parse(w->argv[i + 1], a))
		return parse_fail(w->e, i + 1, "bad %s \"%s\": expected an IPv4 or IPv6 address",
			    w->argv[i], w->argv[i + 1]);
	return i + 2;
}

static int kw_src(struct sa_words *w, int i)
{
	return addr_word(w, i, &w->sa->src);
}

static int kw_dst(struct sa_words *w, int i)
{
	return addr_word(w, i, &w->sa->dst);
}

static int kw_ipsec(struct sa_words *w, int i)
{
	int p;

	if (need(w, i, 1, "esp or ah"))
		return -1;
	p = nfsec_sa_proto_parse(w->argv[i + 1]);
	if (p < 0)
		return parse_fail(w->e, i + 1, "bad ipsec \"%s\": expected esp or ah",
			    w->argv[i + 1]);
	w->sa->proto = (uint8_t)p;
	return i + 2;
}

static int kw_mode(struct sa_words *w, int i)
{
	int m;

	if (need(w, i, 1, "tunnel or transport"))
		return -1;
	m = nfsec_mode_parse(w->argv[i + 1]);
	if (m < 0)
		return parse_fail(w->e, i + 1, "bad mode \"%s\": expected tunnel or transport",
			    w->argv[i + 1]);
	w->sa->has_mode = true;
	w->sa->mode = (uint8_t)m;
	return i + 2;
}

/* A u32 keyword in [lo, hi]. */
static int u32_word(struct sa_words *w, int i, uint32_t lo, uint32_t hi,
		    uint32_t *out)
{
	if (need(w, i, 1, "a value"))
		return -1;
	if (nfsec_parse_u32(w->argv[i + 1], hi, out) || *out < lo)
		return parse_fail(w->e, i + 1, "bad %s \"%s\": expected a number %u-%u",
			    w->argv[i], w->argv[i + 1], lo, hi);
	return i + 2;
}

static int kw_reqid(struct sa_words *w, int i)
{
	w->sa->has_reqid = true;
	return u32_word(w, i, 0, UINT32_MAX, &w->sa->reqid);
}

static int kw_replay(struct sa_words *w, int i)
{
	int next = u32_word(w, i, 0, NFSEC_REPLAY_WINDOW_MAX,
			    &w->sa->replay_window);

	/* The kernel's bitmap holds at least 32 packets. */
	if (next > 0 && w->sa->replay_window &&
	    w->sa->replay_window < NFSEC_REPLAY_WINDOW_MIN)
		return parse_fail(w->e, i + 1, "bad replay-window \"%s\": expected 0 (off) or %u-%u",
			    w->argv[i + 1], NFSEC_REPLAY_WINDOW_MIN,
			    NFSEC_REPLAY_WINDOW_MAX);
	w->sa->has_replay_window = true;
	return next;
}

static int kw_esn(struct sa_words *w, int i)
{
	w->sa->flags |= NFSEC_SA_F_ESN;
	return i + 1;
}

/* Outbound: the last number sent; inbound: the last received (the window's top). */
static int kw_seq(struct sa_words *w, int i)
{
	const char *v;
	char *end;

	if (need(w, i, 1, "a value"))
		return -1;
	v = w->argv[i + 1];
	errno = 0;
	w->sa->seq = strtoull(v, &end, 0);
	if (!isdigit((unsigned char)v[0]) || errno || *end)
		return parse_fail(w->e, i + 1, "bad seq \"%s\": expected 0-18446744073709551615, decimal or 0x hex",
			    v);
	w->sa->has_seq = true;
	return i + 2;
}

static int kw_tfc(struct sa_words *w, int i)
{
	w->sa->has_tfc_pad = true;
	return u32_word(w, i, 0, 65535, &w->sa->tfc_pad);
}

static int kw_mtu(struct sa_words *w, int i)
{
	int next = u32_word(w, i, 0, 65535, &w->sa->mtu);

	if (next > 0 && w->sa->mtu && w->sa->mtu < 68)
		return parse_fail(w->e, i + 1, "bad mtu \"%s\": expected 0 (from the route) or 68-65535",
			    w->argv[i + 1]);
	w->sa->has_mtu = true;
	return next;
}

static int kw_df(struct sa_words *w, int i)
{
	int df;

	if (need(w, i, 1, "copy, set or clear"))
		return -1;
	df = nfsec_df_parse(w->argv[i + 1]);
	if (df < 0)
		return parse_fail(w->e, i + 1, "bad df \"%s\": expected copy, set or clear",
			    w->argv[i + 1]);
	w->sa->has_df = true;
	w->sa->df = (uint8_t)df;
	return i + 2;
}

static int kw_dscp(struct sa_words *w, int i)
{
	uint32_t v;

	if (need(w, i, 1, "copy or a value"))
		return -1;
	if (!strcmp(w->argv[i + 1], "copy"))
		return i + 2;
	if (nfsec_parse_u32(w->argv[i + 1], 63, &v))
		return parse_fail(w->e, i + 1, "bad dscp \"%s\": expected copy or a number 0-63",
			    w->argv[i + 1]);
	w->sa->has_dscp = true;
	w->sa->dscp = (uint8_t)v;
	w->sa->flags |= NFSEC_SA_F_DSCP_SET;
	return i + 2;
}

/* ---- algorithms ---- */

static int key_word(struct sa_words *w, int i, struct nfsec_alg *a)
{
	if (nfsec_hex_parse(w->argv[i], a->key, sizeof(a->key), &a->key_len))
		return parse_fail(w->e, i, "bad %s key \"%s\": expected an even number of hex digits (0x optional), at most %u bytes",
			    w->argv[i - 2], w->argv[i], NFSEC_KEY_MAX);
	a->has_key = true;
	return 0;
}

static int set_name(struct sa_words *w, int i, struct nfsec_alg *a,
		    const char *name)
{
	if (strlen(name) >= sizeof(a->name))
		return parse_fail(w->e, i, "bad %s \"%s\": longer than %u characters",
			    w->argv[i - 1], name, NFSEC_ALG_NAME_MAX - 1);
	snprintf(a->name, sizeof(a->name), "%s", name);
	a->present = true;
	return 0;
}

/* Check a, blaming the name, key or ICV word. */
static int check_alg(struct sa_words *w, const struct nfsec_alg *a,
		     enum nfsec_alg_kind kind, int name_i, int icv_i)
{
	char why[300];
	int ret = nfsec_alg_check(a, kind, why, sizeof(why));

	if (!ret)
		return 0;
	if (ret == NFSEC_ALG_BAD_KEY)
		return parse_fail(w->e, name_i + 1, "bad %s key: %s", w->argv[name_i - 1], why);
	if (ret == NFSEC_ALG_BAD_ICV)
		return parse_fail(w->e, icv_i >= 0 ? icv_i : name_i, "bad %s: %s",
			    w->argv[name_i - 1], why);
	return parse_fail(w->e, name_i, "bad %s \"%s\": %s", w->argv[name_i - 1],
		    w->argv[name_i], why);
}

/* An optional trailing number (ICV or truncation bits) at i: its index. */
static int opt_bits(struct sa_words *w, int i, struct nfsec_alg *a)
{
	if (i >= w->argc || !is_number(w->argv[i]))
		return -1;
	if (nfsec_parse_u32(w->argv[i], 65535, &a->icv_bits)) {
		parse_fail(w->e, i, "bad %s bits \"%s\": expected a number of bits",
		     w->argv[i - 3], w->argv[i]);
		return -2;
	}
	a->has_icv = true;
	return i;
}

/*
 * "aes256-sha256 KEY": a cipher and an integrity algorithm in one word; the
 * key is the cipher key followed by the integrity key.
 */
static int combined(struct sa_words *w, int i, const struct nfsec_alg_alias *al)
{
	const struct nfsec_alg_info *ai = nfsec_alg_info(al->auth);
	struct nfsec_sa *sa = w->sa;
	struct nfsec_alg all = { 0 };
	int bits_i;

	if (sa->enc.present || sa->auth.present || sa->aead.present)
		return parse_fail(w->e, i, "%s names both enc and auth; give no other algorithm with it",
			    w->argv[i + 1]);
	if (key_word(w, i + 2, &all))
		return -1;
	if (all.key_len != al->key_bytes + ai->key_lens[0])
		return parse_fail(w->e, i + 2, "bad %s key: %s needs %u bytes (a %u-byte %s key, then a %u-byte %s key), not %u",
			    w->argv[i], al->alias,
			    al->key_bytes + ai->key_lens[0], al->key_bytes,
			    al->name, ai->key_lens[0], al->auth, all.key_len);
	set_name(w, i + 1, &sa->enc, al->name);
	set_name(w, i + 1, &sa->auth, al->auth);
	memcpy(sa->enc.key, all.key, al->key_bytes);
	sa->enc.key_len = al->key_bytes;
	sa->enc.has_key = sa->auth.has_key = true;
	memcpy(sa->auth.key, all.key + al->key_bytes, ai->key_lens[0]);
	sa->auth.key_len = ai->key_lens[0];
	explicit_bzero(all.key, sizeof(all.key));
	sa->auth.has_icv = true;
	sa->auth.icv_bits = al->auth_trunc;
	bits_i = opt_bits(w, i + 3, &sa->auth);
	if (bits_i == -2)
		return -1;
	if (check_alg(w, &sa->auth, NFSEC_ALG_AUTH, i + 1, bits_i))
		return -1;
	return bits_i >= 0 ? bits_i + 1 : i + 3;
}

/* aead NAME KEY [ICV], enc NAME KEY, auth NAME KEY [TRUNC]. */
static int alg_word(struct sa_words *w, int i, enum nfsec_alg_kind kind)
{
	static const char *const needs[] = {
		[NFSEC_ALG_AEAD] = "NAME KEYHEX ICVBITS",
		[NFSEC_ALG_ENC] = "NAME KEYHEX",
		[NFSEC_ALG_AUTH] = "NAME KEYHEX [TRUNCBITS]",
	};
	struct nfsec_alg *a = kind == NFSEC_ALG_AEAD ? &w->sa->aead :
			      kind == NFSEC_ALG_ENC ? &w->sa->enc : &w->sa->auth;
	const struct nfsec_alg_alias *al;
	const struct nfsec_alg_info *ai;
	const char *name;
	int bits_i = -1, next;

	if (need(w, i, 2, needs[kind]))
		return -1;
	name = w->argv[i + 1];
	al = nfsec_alg_alias(name);
	if (al && al->auth && kind != NFSEC_ALG_AUTH)
		return combined(w, i, al);
	if (a->present)
		return parse_fail(w->e, i, "\"%s\" given twice", w->argv[i]);
	if (set_name(w, i + 1, a, al ? al->name : name) ||
	    key_word(w, i + 2, a))
		return -1;
	next = i + 3;
	ai = nfsec_alg_info(a->name);
	if (al && ai && a->key_len != al->key_bytes + ai->salt) {
		if (ai->salt)
			return parse_fail(w->e, i + 2, "bad %s key: %s needs %u bytes (a %u-byte key and a %u-byte salt), not %u",
				    w->argv[i], al->alias, al->key_bytes + ai->salt,
				    al->key_bytes, ai->salt, a->key_len);
		return parse_fail(w->e, i + 2, "bad %s key: %s needs %u bytes, not %u",
			    w->argv[i], al->alias, al->key_bytes, a->key_len);
	}
	if (kind != NFSEC_ALG_ENC) {
		bits_i = opt_bits(w, i + 3, a);
		if (bits_i == -2)
			return -1;
		if (bits_i >= 0)
			next = bits_i + 1;
	}
	if (al && kind == NFSEC_ALG_AEAD && a->has_icv && a->icv_bits != al->icv_bits)
		return parse_fail(w->e, bits_i, "bad aead: %s has a %u-bit ICV; name the kernel algorithm (%s) for another",
			    al->alias, al->icv_bits, al->name);
	if (al && al->icv_bits && !a->has_icv) {
		a->has_icv = true;
		a->icv_bits = al->icv_bits;
	}
	if (kind == NFSEC_ALG_AUTH && ai && ai->kind == NFSEC_ALG_AUTH &&
	    !a->has_icv) {
		/* RFC 4868: HMAC-SHA-256-128 and so on. */
		a->has_icv = true;
		a->icv_bits = ai->icv_default;
	}
	if (kind == NFSEC_ALG_AEAD && !a->has_icv && ai &&
	    ai->kind == NFSEC_ALG_AEAD)
		return parse_fail(w->e, i + 2, "\"aead %s\" needs the ICV length in bits after the key (%s)",
			    name, ai->icv_min == ai->icv_max ? "128" : "64, 96 or 128");
	if (check_alg(w, a, kind, i + 1, bits_i))
		return -1;
	return next;
}

static int kw_aead(struct sa_words *w, int i)
{
	return alg_word(w, i, NFSEC_ALG_AEAD);
}

static int kw_enc(struct sa_words *w, int i)
{
	return alg_word(w, i, NFSEC_ALG_ENC);
}

static int kw_auth(struct sa_words *w, int i)
{
	return alg_word(w, i, NFSEC_ALG_AUTH);
}

/* ---- sel, encap, lifetime ---- */

static const char *const sel_words_[] = { "src", "dst", "proto", "sport", "dport" };

/* sel takes the src, dst, proto, sport and dport that follow, one of each. */
static int kw_sel(struct sa_words *w, int i)
{
	struct nfsec_sel *s = &w->sa->sel;
	unsigned int seen = 0;
	int j = i + 1;

	for (;;) {
		const char *why;
		size_t k;

		if (j >= w->argc)
			break;
		for (k = 0; k < ARRAY_SIZE(sel_words_); k++)
			if (!strcmp(w->argv[j], sel_words_[k]))
				break;
		if (k == ARRAY_SIZE(sel_words_) || (seen & (1U << k)))
			break;
		seen |= 1U << k;
		if (j + 1 >= w->argc)
			return parse_fail(w->e, j, "\"sel %s\" needs a value", w->argv[j]);
		why = "invalid";
		switch (k) {
		case 0:
		case 1:
			if (nfsec_addr_sel_parse(w->argv[j + 1], k ? &s->dst : &s->src,
						 &why))
				return parse_fail(w->e, j + 1, "bad sel %s \"%s\": %s",
					    w->argv[j], w->argv[j + 1], why);
			break;
		case 2: {
			int p = nfsec_proto_parse(w->argv[j + 1]);

			if (p < 0)
				return parse_fail(w->e, j + 1, "bad sel proto \"%s\": expected tcp, udp, icmp, ipv6-icmp, sctp, udplite or a number 0-255",
					    w->argv[j + 1]);
			s->has_proto = true;
			s->proto = (uint8_t)p;
			break;
		}
		default:
			if (nfsec_port_range_parse(w->argv[j + 1],
						   k == 3 ? &s->sport_min : &s->dport_min,
						   k == 3 ? &s->sport_max : &s->dport_max,
						   &why))
				return parse_fail(w->e, j + 1, "bad sel %s \"%s\": %s",
					    w->argv[j], w->argv[j + 1], why);
			if (k == 3)
				s->has_sport = true;
			else
				s->has_dport = true;
		}
		j += 2;
	}
	if (!seen)
		return parse_fail(w->e, i, "\"sel\" needs src, dst, proto, sport or dport after it");
	if ((s->has_sport || s->has_dport) &&
	    (!s->has_proto || !nfsec_proto_has_ports(s->proto)))
		return parse_fail(w->e, i, "sel sport and dport need sel proto tcp, udp, sctp or udplite");
	if (s->src.family && s->dst.family && s->src.family != s->dst.family)
		return parse_fail(w->e, i, "sel src and dst are of different address families");
	w->sa->has_sel = true;
	return j;
}

static int encap_word(struct sa_words *w, int i, struct nfsec_encap *en,
		      bool none_ok)
{
	uint32_t sp, dp;

	if (none_ok && i + 1 < w->argc && !strcmp(w->argv[i + 1], "none")) {
		en->present = false;
		return i + 2;
	}
	if (need(w, i, 3, none_ok ? "espinudp SPORT DPORT, or none" :
		 "espinudp SPORT DPORT"))
		return -1;
	if (strcmp(w->argv[i + 1], "espinudp"))
		return parse_fail(w->e, i + 1, "bad encap \"%s\": the only encapsulation is espinudp (RFC 3948)%s",
			    w->argv[i + 1], none_ok ? ", or none" : "");
	if (nfsec_parse_u32(w->argv[i + 2], 65535, &sp) || !sp)
		return parse_fail(w->e, i + 2, "bad encap sport \"%s\": expected a port 1-65535",
			    w->argv[i + 2]);
	if (nfsec_parse_u32(w->argv[i + 3], 65535, &dp) || !dp)
		return parse_fail(w->e, i + 3, "bad encap dport \"%s\": expected a port 1-65535",
			    w->argv[i + 3]);
	en->present = true;
	en->sport = (uint16_t)sp;
	en->dport = (uint16_t)dp;
	return i + 4;
}

static int kw_encap(struct sa_words *w, int i)
{
	return encap_word(w, i, &w->sa->encap, false);
}

static const char *const life_words[] = {
	"bytes", "packets", "seconds", "use-seconds"
};

/* lifetime soft|hard KIND N [KIND N ...] [soft|hard KIND N ...] */
static int kw_lifetime(struct sa_words *w, int i)
{
	struct nfsec_lifetime *cur = NULL;
	bool hard = false;
	int j = i + 1, pairs = 0;

	if (j >= w->argc || (strcmp(w->argv[j], "soft") && strcmp(w->argv[j], "hard")))
		return parse_fail(w->e, j < w->argc ? j : i,
			    "\"lifetime\" needs soft or hard, then bytes, packets, seconds or use-seconds N");
	while (j < w->argc) {
		uint64_t *slot, v;
		size_t k;

		if (!strcmp(w->argv[j], "soft") || !strcmp(w->argv[j], "hard")) {
			if (cur && !pairs)
				break;
			hard = w->argv[j][0] == 'h';
			cur = hard ? &w->sa->hard : &w->sa->soft;
			*(hard ? &w->sa->has_hard : &w->sa->has_soft) = true;
			pairs = 0;
			j++;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(life_words); k++)
			if (!strcmp(w->argv[j], life_words[k]))
				break;
		if (k == ARRAY_SIZE(life_words))
			break;
		if (j + 1 >= w->argc)
			return parse_fail(w->e, j, "\"lifetime %s %s\" needs a value",
				    hard ? "hard" : "soft", w->argv[j]);
		slot = &cur->bytes + k;
		if (parse_u64(w->argv[j + 1], &v) || !v)
			return parse_fail(w->e, j + 1, "bad lifetime %s %s \"%s\": expected a number from 1 (leave it out for no limit)",
				    hard ? "hard" : "soft", w->argv[j], w->argv[j + 1]);
		if (*slot)
			return parse_fail(w->e, j, "lifetime %s %s given twice",
				    hard ? "hard" : "soft", w->argv[j]);
		*slot = v;
		pairs++;
		j += 2;
	}
	if (!pairs)
		return parse_fail(w->e, j - 1, "\"lifetime %s\" needs bytes, packets, seconds or use-seconds N",
			    hard ? "hard" : "soft");
	return j;
}

/* ---- the loop ---- */

static int run(struct sa_words *w, const struct sa_keyword *kws, size_t n)
{
	uint32_t seen = 0;

	for (int i = 0; i < w->argc;) {
		size_t k;

		for (k = 0; k < n; k++)
			if (!strcmp(w->argv[i], kws[k].name))
				break;
		if (k == n)
			return parse_fail(w->e, i, "unknown keyword \"%s\"", w->argv[i]);
		if ((seen & (1U << k)) && !kws[k].repeat)
			return parse_fail(w->e, i, "\"%s\" given twice", kws[k].name);
		seen |= 1U << k;
		i = kws[k].fn(w, i);
		if (i < 0)
			return -1;
	}
	return 0;
}

static int kw_keys(struct sa_words *w, int i)
{
	w->q->keys = true;
	return i + 1;
}

static int kw_stats(struct sa_words *w, int i)
{
	w->q->stats = true;
	return i + 1;
}

int parse_sa_add(int argc, char **argv, struct nfsec_sa *sa,
		 struct parse_error *e)
{
	static const struct sa_keyword kws[] = {
		{ "dir", kw_dir, false }, { "spi", kw_spi, false },
		{ "src", kw_src, false }, { "dst", kw_dst, false },
		{ "ipsec", kw_ipsec, false },
		{ "mode", kw_mode, false }, { "reqid", kw_reqid, false },
		{ "aead", kw_aead, false }, { "enc", kw_enc, false },
		{ "auth", kw_auth, false }, { "replay-window", kw_replay, false },
		{ "esn", kw_esn, false }, { "sel", kw_sel, false },
		{ "encap", kw_encap, false }, { "lifetime", kw_lifetime, true },
		{ "df", kw_df, false }, { "dscp", kw_dscp, false },
		{ "tfc", kw_tfc, false }, { "mtu", kw_mtu, false },
		{ "seq", kw_seq, false },
	};
	struct sa_words w = { .argc = argc, .argv = argv, .e = e, .sa = sa };
	char why[300];

	memset(sa, 0, sizeof(*sa));
	reset(e);
	if (run(&w, kws, ARRAY_SIZE(kws)))
		return -1;
	if (nfsec_sa_check(sa, why, sizeof(why)))
		return parse_fail(e, -1, "%s", why);
	return 0;
}

/* spi, dst and ipsec: the identity of an SA; all three are required. */
static int need_id(struct sa_words *w)
{
	if (!w->sa->has_spi)
		return parse_fail(w->e, -1, "\"spi\" is required");
	if (!w->sa->dst.family)
		return parse_fail(w->e, -1, "\"dst\" is required");
	if (!w->sa->proto)
		return parse_fail(w->e, -1, "\"ipsec esp|ah\" is required");
	w->sa->family = w->sa->dst.family;
	return 0;
}

int parse_sa_id(int argc, char **argv, struct sa_query *q,
		struct parse_error *e)
{
	static const struct sa_keyword kws[] = {
		{ "spi", kw_spi, false }, { "dst", kw_dst, false },
		{ "ipsec", kw_ipsec, false },
		{ "--keys", kw_keys, false }, { "-s", kw_stats, false },
		{ "--stats", kw_stats, false },
	};
	struct sa_words w = { .argc = argc, .argv = argv, .e = e,
			      .sa = &q->id, .q = q };

	memset(q, 0, sizeof(*q));
	reset(e);
	if (run(&w, kws, ARRAY_SIZE(kws)))
		return -1;
	return need_id(&w);
}

int parse_sa_list(int argc, char **argv, struct sa_query *q,
		  struct parse_error *e)
{
	static const struct sa_keyword kws[] = {
		{ "ipsec", kw_ipsec, false },
		{ "reqid", kw_reqid, false }, { "--keys", kw_keys, false },
		{ "-s", kw_stats, false }, { "--stats", kw_stats, false },
	};
	struct sa_words w = { .argc = argc, .argv = argv, .e = e,
			      .sa = &q->id, .q = q };

	memset(q, 0, sizeof(*q));
	reset(e);
	return run(&w, kws, ARRAY_SIZE(kws));
}

int parse_sa_flush(int argc, char **argv, struct sa_query *q,
		   struct parse_error *e)
{
	static const struct sa_keyword kws[] = {
		{ "ipsec", kw_ipsec, false },
	};
	struct sa_words w = { .argc = argc, .argv = argv, .e = e,
			      .sa = &q->id, .q = q };

	memset(q, 0, sizeof(*q));
	reset(e);
	return run(&w, kws, ARRAY_SIZE(kws));
}

static int kw_new_src(struct sa_words *w, int i)
{
	w->new_src = true;
	return addr_word(w, i, &w->path->src);
}

static int kw_new_dst(struct sa_words *w, int i)
{
	w->new_dst = true;
	return addr_word(w, i, &w->path->dst);
}

static int kw_new_encap(struct sa_words *w, int i)
{
	w->encap_given = true;
	return encap_word(w, i, &w->path->encap, true);
}

int parse_sa_update(int argc, char **argv, struct sa_update *u,
		    struct parse_error *e)
{
	static const struct sa_keyword kws[] = {
		{ "spi", kw_spi, false }, { "dst", kw_dst, false },
		{ "ipsec", kw_ipsec, false },
		{ "new-src", kw_new_src, false }, { "new-dst", kw_new_dst, false },
		{ "encap", kw_new_encap, false },
	};
	struct sa_words w = { .argc = argc, .argv = argv, .e = e,
			      .sa = &u->id, .path = &u->path };

	memset(u, 0, sizeof(*u));
	reset(e);
	if (run(&w, kws, ARRAY_SIZE(kws)) || need_id(&w))
		return -1;
	if (!w.new_src && !w.new_dst && !w.encap_given)
		return parse_fail(e, -1, "nothing to change: give new-src, new-dst or encap");
	if (w.new_src && w.new_dst && u->path.src.family != u->path.dst.family)
		return parse_fail(e, -1, "new-src and new-dst are of different address families");
	if (u->path.encap.present && u->id.proto != IPPROTO_ESP)
		return parse_fail(e, -1, "encap espinudp is for ESP, not AH");
	u->has_src = w.new_src;
	u->has_dst = w.new_dst;
	u->has_encap = w.encap_given;
	return 0;
}

int sa_update_complete(struct sa_update *u, const struct nfsec_sa *cur,
		       const char **why)
{
	if (!u->has_src)
		u->path.src = cur->src;
	if (!u->has_dst)
		u->path.dst = cur->dst;
	if (!u->has_encap)
		u->path.encap = cur->encap;
	if (u->path.src.family != u->path.dst.family) {
		*why = "the new path mixes address families; give both new-src and new-dst";
		return -1;
	}
	if (u->path.encap.present && cur->proto && cur->proto != IPPROTO_ESP) {
		*why = "encap espinudp is for ESP, not AH";
		return -1;
	}
	u->path.family = u->path.dst.family;
	return 0;
}

static int kw_min(struct sa_words *w, int i)
{
	w->has_min = true;
	return u32_word(w, i, 1, UINT32_MAX, &w->spi->min);
}

static int kw_max(struct sa_words *w, int i)
{
	w->has_max = true;
	return u32_word(w, i, 1, UINT32_MAX, &w->spi->max);
}

int parse_spi_alloc(int argc, char **argv, struct spi_alloc_req *r,
		    struct parse_error *e)
{
	static const struct sa_keyword kws[] = {
		{ "dst", kw_dst, false }, { "ipsec", kw_ipsec, false },
		{ "min", kw_min, false },
		{ "max", kw_max, false },
	};
	struct sa_words w = { .argc = argc, .argv = argv, .e = e,
			      .sa = &r->id, .spi = r };

	memset(r, 0, sizeof(*r));
	reset(e);
	if (run(&w, kws, ARRAY_SIZE(kws)))
		return -1;
	if (!r->id.dst.family)
		return parse_fail(e, -1, "\"dst\" is required");
	if (!r->id.proto)
		return parse_fail(e, -1, "\"ipsec esp|ah\" is required");
	r->id.family = r->id.dst.family;
	if (w.has_min != w.has_max)
		return parse_fail(e, -1, "give min and max together");
	if (w.has_min && r->min > r->max)
		return parse_fail(e, -1, "min (%u) is above max (%u)", r->min, r->max);
	r->has_range = w.has_min;
	return 0;
}
