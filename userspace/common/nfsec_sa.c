// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Neutral Security Association structures: the algorithm table, names,
 * consistency checks and the encoding to and from nfsec's netlink
 * attributes.
 */
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "nfsec_nl.h"
#include "nfsec_sa.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- algorithms ---- */

/*
 * What the nfsec module implements (issue 4). Key lengths are without the
 * salt; a key_lens entry of 0 after the first means "none".
 */
static const struct nfsec_alg_info algs[] = {
	{ "rfc4106(gcm(aes))", NFSEC_ALG_AEAD, 4, { 16, 24, 32 }, 64, 128, 128, false },
	{ "rfc4543(gcm(aes))", NFSEC_ALG_AEAD, 4, { 16, 24, 32 }, 128, 128, 128, false },
	{ "rfc7539esp(chacha20,poly1305)", NFSEC_ALG_AEAD, 4, { 32 }, 128, 128, 128, false },
	{ "cbc(aes)", NFSEC_ALG_ENC, 0, { 16, 24, 32 }, 0, 0, 0, false },
	{ "ecb(cipher_null)", NFSEC_ALG_ENC, 0, { 0 }, 0, 0, 0, true },
	{ "hmac(sha256)", NFSEC_ALG_AUTH, 0, { 32 }, 96, 256, 128, false },
	{ "hmac(sha384)", NFSEC_ALG_AUTH, 0, { 48 }, 96, 384, 192, false },
	{ "hmac(sha512)", NFSEC_ALG_AUTH, 0, { 64 }, 96, 512, 256, false },
};

#define GCM "rfc4106(gcm(aes))"
#define CBC "cbc(aes)"

static const struct nfsec_alg_alias aliases[] = {
	{ "aes128gcm16", GCM, 16, 128, NULL, 0 },
	{ "aes192gcm16", GCM, 24, 128, NULL, 0 },
	{ "aes256gcm16", GCM, 32, 128, NULL, 0 },
	{ "aes128gcm12", GCM, 16, 96, NULL, 0 },
	{ "aes192gcm12", GCM, 24, 96, NULL, 0 },
	{ "aes256gcm12", GCM, 32, 96, NULL, 0 },
	{ "aes128gcm8", GCM, 16, 64, NULL, 0 },
	{ "aes192gcm8", GCM, 24, 64, NULL, 0 },
	{ "aes256gcm8", GCM, 32, 64, NULL, 0 },
	{ "aes128gmac", "rfc4543(gcm(aes))", 16, 128, NULL, 0 },
	{ "aes192gmac", "rfc4543(gcm(aes))", 24, 128, NULL, 0 },
	{ "aes256gmac", "rfc4543(gcm(aes))", 32, 128, NULL, 0 },
	{ "chacha20poly1305", "rfc7539esp(chacha20,poly1305)", 32, 128, NULL, 0 },
	{ "aes128", CBC, 16, 0, NULL, 0 },
	{ "aes192", CBC, 24, 0, NULL, 0 },
	{ "aes256", CBC, 32, 0, NULL, 0 },
	{ "null", "ecb(cipher_null)", 0, 0, NULL, 0 },
	{ "sha256", "hmac(sha256)", 32, 128, NULL, 0 },
	{ "sha384", "hmac(sha384)", 48, 192, NULL, 0 },
	{ "sha512", "hmac(sha512)", 64, 256, NULL, 0 },
	{ "aes128-sha256", CBC, 16, 0, "hmac(sha256)", 128 },
	{ "aes192-sha256", CBC, 24, 0, "hmac(sha256)", 128 },
	{ "aes256-sha256", CBC, 32, 0, "hmac(sha256)", 128 },
	{ "aes128-sha384", CBC, 16, 0, "hmac(sha384)", 192 },
	{ "aes256-sha384", CBC, 32, 0, "hmac(sha384)", 192 },
	{ "aes128-sha512", CBC, 16, 0, "hmac(sha512)", 256 },
	{ "aes256-sha512", CBC, 32, 0, "hmac(sha512)", 256 },
};

const struct nfsec_alg_info *nfsec_alg_info(const char *kernel_name)
{
	for (size_t i = 0; i < ARRAY_SIZE(algs); i++)
		if (!strcmp(algs[i].name, kernel_name))
			return &algs[i];
	return NULL;
}

const struct nfsec_alg_alias *nfsec_alg_alias(const char *alias)
{
	for (size_t i = 0; i < ARRAY_SIZE(aliases); i++)
		if (!strcmp(aliases[i].alias, alias))
			return &aliases[i];
	return NULL;
}

static void append(char *buf, size_t len, size_t *off, const char *s)
{
	int n = snprintf(buf + *off, *off < len ? len - *off : 0, "%s%s",
			 *off ? ", " : "", s);

	if (n > 0)
		*off += (size_t)n;
}

void nfsec_alg_list(enum nfsec_alg_kind kind, bool with_aliases, char *buf,
		    size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(algs); i++)
		if (algs[i].kind == kind)
			append(buf, len, &off, algs[i].name);
	if (!with_aliases)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(aliases); i++) {
		const struct nfsec_alg_info *ai = nfsec_alg_info(aliases[i].name);

		/* Combined aliases name a cipher and go with "enc". */
		if (ai && ai->kind == kind)
			append(buf, len, &off, aliases[i].alias);
	}
}

/* "16, 24 or 32" of the lengths the algorithm takes, salt added. */
static void key_lens_words(const struct nfsec_alg_info *ai, char *buf,
			   size_t len)
{
	size_t off = 0, n = 1;

	while (n < ARRAY_SIZE(ai->key_lens) && ai->key_lens[n])
		n++;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + off, off < len ? len - off : 0, "%s%u",
				 !i ? "" : i + 1 == n ? " or " : ", ",
				 ai->key_lens[i] + ai->salt);

		if (w > 0)
			off += (size_t)w;
	}
}

static const char *const kind_names[] = {
	[NFSEC_ALG_AEAD] = "aead",
	[NFSEC_ALG_ENC] = "enc",
	[NFSEC_ALG_AUTH] = "auth",
};

int nfsec_alg_check(const struct nfsec_alg *a, enum nfsec_alg_kind kind,
		    char *why, size_t whylen)
{
	const struct nfsec_alg_info *ai = nfsec_alg_info(a->name);
	bool key_ok = false;
	char lens[64];

	if (!ai || ai->kind != kind) {
		char known[512];

		nfsec_alg_list(kind, false, known, sizeof(known));
		if (ai)
			snprintf(why, whylen, "%s is %s algorithm, not %s",
				 a->name, ai->kind == NFSEC_ALG_AEAD ? "an aead" :
				 ai->kind == NFSEC_ALG_ENC ? "an enc" : "an auth",
				 kind_names[kind]);
		else
			snprintf(why, whylen, "unknown %s algorithm \"%s\" (known: %s)",
				 kind_names[kind], a->name, known);
		return NFSEC_ALG_BAD_NAME;
	}
	for (size_t i = 0; i < ARRAY_SIZE(ai->key_lens); i++)
		if ((i == 0 || ai->key_lens[i]) &&
		    a->key_len == ai->key_lens[i] + ai->salt)
			key_ok = true;
	if (!key_ok) {
		key_lens_words(ai, lens, sizeof(lens));
		if (ai->salt)
			snprintf(why, whylen,
				 "%s key is %u bytes; it needs %s (the key and a %u-byte salt)",
				 a->name, a->key_len, lens, ai->salt);
		else
			snprintf(why, whylen, "%s key is %u bytes; it needs %s",
				 a->name, a->key_len, lens);
		return NFSEC_ALG_BAD_KEY;
	}
	if (kind == NFSEC_ALG_ENC)
		return 0;
	if (!a->has_icv) {
		snprintf(why, whylen, "%s needs an ICV length", a->name);
		return NFSEC_ALG_BAD_ICV;
	}
	if (kind == NFSEC_ALG_AEAD && ai->icv_min != ai->icv_max &&
	    a->icv_bits != 64 && a->icv_bits != 96 && a->icv_bits != 128) {
		snprintf(why, whylen, "%s ICV is %u bits; it must be 64, 96 or 128",
			 a->name, a->icv_bits);
		return NFSEC_ALG_BAD_ICV;
	}
	/* An ICV is whole 32-bit words: AH's ICV field is (RFC 4302 2.6). */
	if (a->icv_bits < ai->icv_min || a->icv_bits > ai->icv_max ||
	    a->icv_bits % 32) {
		if (ai->icv_min == ai->icv_max)
			snprintf(why, whylen, "%s ICV is %u bits; it must be %u",
				 a->name, a->icv_bits, ai->icv_min);
		else
			snprintf(why, whylen,
				 "%s %s is %u bits; it must be a multiple of 32 from %u to %u",
				 a->name, kind == NFSEC_ALG_AUTH ? "truncation" : "ICV",
				 a->icv_bits, ai->icv_min, ai->icv_max);
		return NFSEC_ALG_BAD_ICV;
	}
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int nfsec_hex_parse(const char *s, uint8_t *buf, size_t max, uint16_t *len)
{
	size_t n;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	n = strlen(s);
	if (n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int hi = hexval((unsigned char)s[2 * i]);
		int lo = hexval((unsigned char)s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		buf[i] = (uint8_t)(hi << 4 | lo);
	}
	*len = (uint16_t)(n / 2);
	return 0;
}

void nfsec_hex_format(const uint8_t *b, size_t n, char *buf, size_t len)
{
	size_t off = 0;

	if (len)
		buf[0] = '\0';
	off = (size_t)snprintf(buf, len, "0x");
	for (size_t i = 0; i < n && off + 3 <= len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%02x", b[i]);
}

/* ---- names ---- */

static const char *const df_names[] = {
	[NFSEC_DF_COPY] = "copy",
	[NFSEC_DF_SET] = "set",
	[NFSEC_DF_CLEAR] = "clear",
};

static const char *const sa_drop_names[] = {
	[NFSEC_SA_DROP_REPLAY] = "replay",
	[NFSEC_SA_DROP_AUTH] = "auth",
	[NFSEC_SA_DROP_MALFORMED] = "malformed",
	[NFSEC_SA_DROP_PADDING] = "padding",
	[NFSEC_SA_DROP_PROTO] = "proto",
	[NFSEC_SA_DROP_SEQ_OVERFLOW] = "seq-overflow",
	[NFSEC_SA_DROP_EXPIRED] = "expired",
	[NFSEC_SA_DROP_NOMEM] = "nomem",
	[NFSEC_SA_DROP_TFC_DUMMY] = "tfc-dummy",
	[NFSEC_SA_DROP_SELECTOR] = "selector",
};

static const char *const expire_names[] = {
	[NFSEC_EXPIRE_BYTES] = "bytes",
	[NFSEC_EXPIRE_PACKETS] = "packets",
	[NFSEC_EXPIRE_ADD_TIME] = "seconds",
	[NFSEC_EXPIRE_USE_TIME] = "use-seconds",
	[NFSEC_EXPIRE_SEQ_EXHAUSTED] = "seq-exhausted",
};

static const char *table_name(const char *const *names, size_t n,
			      unsigned int v)
{
	return v < n && names[v] ? names[v] : "?";
}

const char *nfsec_sa_proto_name(unsigned int proto)
{
	return proto == IPPROTO_ESP ? "esp" : proto == IPPROTO_AH ? "ah" : "?";
}

int nfsec_sa_proto_parse(const char *s)
{
	if (!strcmp(s, "esp"))
		return IPPROTO_ESP;
	if (!strcmp(s, "ah"))
		return IPPROTO_AH;
	return -1;
}

const char *nfsec_df_name(unsigned int df)
{
	return table_name(df_names, ARRAY_SIZE(df_names), df);
}

int nfsec_df_parse(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(df_names); i++)
		if (!strcmp(df_names[i], s))
			return (int)i;
	return -1;
}

const char *nfsec_sa_drop_reason_name(unsigned int reason)
{
	return table_name(sa_drop_names, ARRAY_SIZE(sa_drop_names), reason);
}

const char *nfsec_expire_reason_name(unsigned int reason)
{
	return table_name(expire_names, ARRAY_SIZE(expire_names), reason);
}

int nfsec_spi_parse(const char *s, uint32_t *spi)
{
	if (nfsec_parse_u32(s, UINT32_MAX, spi) || !*spi)
		return -1;
	return 0;
}

unsigned int nfsec_sa_family(const struct nfsec_sa *sa)
{
	if (sa->family)
		return sa->family;
	return sa->dst.family ? sa->dst.family : sa->src.family;
}

int nfsec_sa_check(const struct nfsec_sa *sa, char *why, size_t whylen)
{
	bool esp = sa->proto == IPPROTO_ESP;

#define NEED(cond, ...) do { \
		if (!(cond)) { \
			snprintf(why, whylen, __VA_ARGS__); \
			return -1; \
		} \
	} while (0)
	NEED(sa->has_spi, "\"spi\" is required");
	NEED(sa->proto, "\"ipsec esp|ah\" is required");
	NEED(sa->has_mode, "\"mode tunnel|transport\" is required");
	NEED(sa->has_dir, "\"dir in|out\" is required");
	NEED(sa->dir == NFSEC_DIR_IN || sa->dir == NFSEC_DIR_OUT,
	     "an SA's dir is in or out");
	NEED(sa->src.family && sa->dst.family, "\"src\" and \"dst\" are required");
	NEED(sa->src.family == sa->dst.family,
	     "src and dst are of different address families");
	if (esp) {
		NEED(!sa->aead.present || (!sa->enc.present && !sa->auth.present),
		     "aead does both encryption and integrity: give no enc or auth with it");
		NEED(sa->aead.present || sa->enc.present,
		     "ESP needs aead, or enc with auth (\"enc null\" for integrity only)");
		NEED(sa->aead.present || sa->auth.present,
		     "ESP with enc needs auth too (RFC 4303 without integrity is not offered)");
	} else {
		NEED(!sa->aead.present && !sa->enc.present,
		     "AH authenticates only: give auth, not aead or enc");
		NEED(sa->auth.present, "AH needs auth");
		NEED(!sa->encap.present, "encap espinudp is for ESP, not AH");
		NEED(!sa->has_tfc_pad, "tfc padding is for ESP, not AH");
	}
	NEED(sa->mode == NFSEC_MODE_TUNNEL || (!sa->has_df && !sa->has_dscp),
	     "df and dscp apply to tunnel mode only");
	NEED(!(sa->flags & NFSEC_SA_F_ESN) || sa->dir == NFSEC_DIR_OUT ||
	     !sa->has_replay_window || sa->replay_window,
	     "esn on an inbound SA needs a replay window");
	NEED(sa->dir == NFSEC_DIR_IN || !sa->has_replay_window,
	     "replay-window is for inbound SAs");
	NEED(!sa->has_seq || sa->seq <= UINT32_MAX || (sa->flags & NFSEC_SA_F_ESN),
	     "seq beyond 4294967295 needs esn");
	NEED(!sa->has_seq || sa->dir == NFSEC_DIR_OUT || !sa->has_replay_window ||
	     sa->replay_window,
	     "seq on an inbound SA needs a replay window");
	if (sa->has_soft && sa->has_hard) {
		const uint64_t *s = &sa->soft.bytes, *h = &sa->hard.bytes;
		static const char *const kinds[] = {
			"bytes", "packets", "seconds", "use-seconds"
		};

		for (size_t i = 0; i < 4; i++)
			NEED(!s[i] || !h[i] || s[i] <= h[i],
			     "soft %s lifetime (%llu) is beyond the hard one (%llu)",
			     kinds[i], (unsigned long long)s[i],
			     (unsigned long long)h[i]);
	}
#undef NEED
	if (sa->aead.present &&
	    nfsec_alg_check(&sa->aead, NFSEC_ALG_AEAD, why, whylen))
		return -1;
	if (sa->enc.present &&
	    nfsec_alg_check(&sa->enc, NFSEC_ALG_ENC, why, whylen))
		return -1;
	if (sa->auth.present &&
	    nfsec_alg_check(&sa->auth, NFSEC_ALG_AUTH, why, whylen))
		return -1;
	return 0;
}

void nfsec_sa_wipe(struct nfsec_sa *sa)
{
	explicit_bzero(sa->aead.key, sizeof(sa->aead.key));
	explicit_bzero(sa->enc.key, sizeof(sa->enc.key));
	explicit_bzero(sa->auth.key, sizeof(sa->auth.key));
}

/* ---- netlink ---- */

static int put_addr(struct nl_msg *msg, int type, const struct nfsec_addr *a)
{
	if (!a->family)
		return 0;
	return nla_put(msg, type, (int)nfsec_addr_len(a->family), a->bytes);
}

static int put_alg(struct nl_msg *msg, int type, const struct nfsec_alg *a)
{
	struct nlattr *nest;

	if (!a->present)
		return 0;
	nest = nfsec_nest_start(msg, type);
	if (!nest || nla_put_string(msg, NFSEC_ALG_A_NAME, a->name) ||
	    nla_put(msg, NFSEC_ALG_A_KEY, a->key_len, a->key) ||
	    (a->has_icv && nla_put_u32(msg, NFSEC_ALG_A_ICV_BITS, a->icv_bits)))
		return -NLE_NOMEM;
	nla_nest_end_keep_empty(msg, nest);
	return 0;
}

static int put_encap(struct nl_msg *msg, int type, const struct nfsec_encap *e)
{
	struct nlattr *nest;

	if (!e->present)
		return 0;
	nest = nfsec_nest_start(msg, type);
	if (!nest || nla_put_u16(msg, NFSEC_ENCAP_A_SPORT, e->sport) ||
	    nla_put_u16(msg, NFSEC_ENCAP_A_DPORT, e->dport))
		return -NLE_NOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_lifetime(struct nl_msg *msg, int type,
			const struct nfsec_lifetime *l)
{
	struct nlattr *nest = nfsec_nest_start(msg, type);

	if (!nest ||
	    (l->bytes && nla_put_u64(msg, NFSEC_LIFETIME_A_BYTES, l->bytes)) ||
	    (l->packets && nla_put_u64(msg, NFSEC_LIFETIME_A_PACKETS, l->packets)) ||
	    (l->add_seconds &&
	     nla_put_u64(msg, NFSEC_LIFETIME_A_ADD_SECONDS, l->add_seconds)) ||
	    (l->use_seconds &&
	     nla_put_u64(msg, NFSEC_LIFETIME_A_USE_SECONDS, l->use_seconds)))
		return -NLE_NOMEM;
	nla_nest_end_keep_empty(msg, nest);
	return 0;
}

int nfsec_sa_id_put(struct nl_msg *msg, int attrtype,
		    const struct nfsec_sa *sa)
{
	struct nlattr *nest = nfsec_nest_start(msg, attrtype);

	if (!nest || (sa->has_spi && nla_put_u32(msg, NFSEC_SA_A_SPI, sa->spi)) ||
	    (sa->proto && nla_put_u8(msg, NFSEC_SA_A_PROTO, sa->proto)) ||
	    (nfsec_sa_family(sa) &&
	     nla_put_u16(msg, NFSEC_SA_A_FAMILY, (uint16_t)nfsec_sa_family(sa))) ||
	    put_addr(msg, NFSEC_SA_A_DST, &sa->dst) ||
	    (sa->has_reqid && nla_put_u32(msg, NFSEC_SA_A_REQID, sa->reqid)))
		return -NLE_NOMEM;
	nla_nest_end_keep_empty(msg, nest);
	return 0;
}

static bool sel_empty(const struct nfsec_sel *s)
{
	static const struct nfsec_sel none;

	return !memcmp(s, &none, sizeof(none));
}

int nfsec_sa_put(struct nl_msg *msg, int attrtype, const struct nfsec_sa *sa)
{
	struct nlattr *nest = nfsec_nest_start(msg, attrtype);

	if (!nest || (sa->has_spi && nla_put_u32(msg, NFSEC_SA_A_SPI, sa->spi)) ||
	    (sa->proto && nla_put_u8(msg, NFSEC_SA_A_PROTO, sa->proto)) ||
	    (sa->has_mode && nla_put_u8(msg, NFSEC_SA_A_MODE, sa->mode)) ||
	    (sa->has_dir && nla_put_u8(msg, NFSEC_SA_A_DIR, sa->dir)) ||
	    (nfsec_sa_family(sa) &&
	     nla_put_u16(msg, NFSEC_SA_A_FAMILY, (uint16_t)nfsec_sa_family(sa))) ||
	    put_addr(msg, NFSEC_SA_A_SRC, &sa->src) ||
	    put_addr(msg, NFSEC_SA_A_DST, &sa->dst) ||
	    (sa->has_reqid && nla_put_u32(msg, NFSEC_SA_A_REQID, sa->reqid)) ||
	    (sa->has_sel && !sel_empty(&sa->sel) &&
	     nfsec_sel_put(msg, NFSEC_SA_A_SEL, &sa->sel)) ||
	    put_alg(msg, NFSEC_SA_A_AEAD, &sa->aead) ||
	    put_alg(msg, NFSEC_SA_A_ENC, &sa->enc) ||
	    put_alg(msg, NFSEC_SA_A_AUTH, &sa->auth) ||
	    (sa->has_replay_window &&
	     nla_put_u32(msg, NFSEC_SA_A_REPLAY_WINDOW, sa->replay_window)) ||
	    (sa->flags && nla_put_u32(msg, NFSEC_SA_A_FLAGS, sa->flags)) ||
	    (sa->has_df && nla_put_u8(msg, NFSEC_SA_A_DF, sa->df)) ||
	    (sa->has_dscp && nla_put_u8(msg, NFSEC_SA_A_DSCP, sa->dscp)) ||
	    put_encap(msg, NFSEC_SA_A_ENCAP, &sa->encap) ||
	    (sa->has_soft &&
	     put_lifetime(msg, NFSEC_SA_A_LIFETIME_SOFT, &sa->soft)) ||
	    (sa->has_hard &&
	     put_lifetime(msg, NFSEC_SA_A_LIFETIME_HARD, &sa->hard)) ||
	    (sa->has_tfc_pad && nla_put_u32(msg, NFSEC_SA_A_TFC_PAD, sa->tfc_pad)) ||
	    (sa->has_mtu && nla_put_u32(msg, NFSEC_SA_A_MTU, sa->mtu)) ||
	    (sa->has_seq && nla_put_u64(msg, NFSEC_SA_A_SEQ, sa->seq)))
		return -NLE_NOMEM;
	nla_nest_end(msg, nest);
	return 0;
}

int nfsec_sa_path_put(struct nl_msg *msg, int attrtype,
		      const struct nfsec_sa_path *path)
{
	struct nlattr *nest = nfsec_nest_start(msg, attrtype);
	uint16_t family = path->family ? path->family :
			  path->dst.family ? path->dst.family : path->src.family;

	if (!nest ||
	    (family && nla_put_u16(msg, NFSEC_SA_PATH_A_FAMILY, family)) ||
	    put_addr(msg, NFSEC_SA_PATH_A_SRC, &path->src) ||
	    put_addr(msg, NFSEC_SA_PATH_A_DST, &path->dst) ||
	    put_encap(msg, NFSEC_SA_PATH_A_ENCAP, &path->encap))
		return -NLE_NOMEM;
	nla_nest_end_keep_empty(msg, nest);
	return 0;
}

static uint64_t get_u64(const struct nlattr *a)
{
	return a && nla_len(a) == 8 ? nla_get_u64((struct nlattr *)a) : 0;
}

static const struct nla_policy alg_policy[NFSEC_ALG_A_MAX + 1] = {
	[NFSEC_ALG_A_NAME] = { .type = NLA_STRING },
	[NFSEC_ALG_A_ICV_BITS] = { .type = NLA_U32 },
};

static int parse_alg(const struct nlattr *nest, struct nfsec_alg *a)
{
	struct nlattr *tb[NFSEC_ALG_A_MAX + 1];
	int len;

	memset(a, 0, sizeof(*a));
	if (nla_parse_nested(tb, NFSEC_ALG_A_MAX, (struct nlattr *)nest,
			     (struct nla_policy *)alg_policy) ||
	    !tb[NFSEC_ALG_A_NAME])
		return -EINVAL;
	len = nla_len(tb[NFSEC_ALG_A_NAME]);
	if (len <= 0 || len > NFSEC_ALG_NAME_MAX)
		return -EINVAL;
	memcpy(a->name, nla_data(tb[NFSEC_ALG_A_NAME]), (size_t)len);
	a->name[len < NFSEC_ALG_NAME_MAX ? len : NFSEC_ALG_NAME_MAX - 1] = '\0';
	if (tb[NFSEC_ALG_A_KEY]) {
		len = nla_len(tb[NFSEC_ALG_A_KEY]);
		if (len < 0 || len > NFSEC_KEY_MAX)
			return -EINVAL;
		memcpy(a->key, nla_data(tb[NFSEC_ALG_A_KEY]), (size_t)len);
		a->key_len = (uint16_t)len;
		a->has_key = true;
	}
	if (tb[NFSEC_ALG_A_ICV_BITS]) {
		a->has_icv = true;
		a->icv_bits = nla_get_u32(tb[NFSEC_ALG_A_ICV_BITS]);
	}
	a->present = true;
	return 0;
}

static int parse_encap(const struct nlattr *nest, struct nfsec_encap *e)
{
	struct nlattr *tb[NFSEC_ENCAP_A_MAX + 1];

	memset(e, 0, sizeof(*e));
	if (nla_parse_nested(tb, NFSEC_ENCAP_A_MAX, (struct nlattr *)nest, NULL))
		return -EINVAL;
	if ((tb[NFSEC_ENCAP_A_SPORT] && nla_len(tb[NFSEC_ENCAP_A_SPORT]) != 2) ||
	    (tb[NFSEC_ENCAP_A_DPORT] && nla_len(tb[NFSEC_ENCAP_A_DPORT]) != 2))
		return -EINVAL;
	e->present = true;
	if (tb[NFSEC_ENCAP_A_SPORT])
		e->sport = nla_get_u16(tb[NFSEC_ENCAP_A_SPORT]);
	if (tb[NFSEC_ENCAP_A_DPORT])
		e->dport = nla_get_u16(tb[NFSEC_ENCAP_A_DPORT]);
	return 0;
}

static int parse_lifetime(const struct nlattr *nest, struct nfsec_lifetime *l)
{
	struct nlattr *tb[NFSEC_LIFETIME_A_MAX + 1];

	memset(l, 0, sizeof(*l));
	if (nla_parse_nested(tb, NFSEC_LIFETIME_A_MAX, (struct nlattr *)nest,
			     NULL))
		return -EINVAL;
	l->bytes = get_u64(tb[NFSEC_LIFETIME_A_BYTES]);
	l->packets = get_u64(tb[NFSEC_LIFETIME_A_PACKETS]);
	l->add_seconds = get_u64(tb[NFSEC_LIFETIME_A_ADD_SECONDS]);
	l->use_seconds = get_u64(tb[NFSEC_LIFETIME_A_USE_SECONDS]);
	return 0;
}

static int parse_stats(const struct nlattr *nest, struct nfsec_sa_stats *s)
{
	struct nlattr *a;
	int rem;

	memset(s, 0, sizeof(*s));
	nla_for_each_nested(a, (struct nlattr *)nest, rem) {
		struct nlattr *tb[NFSEC_DROP_STATS_A_MAX + 1];
		uint32_t reason;

		switch (nla_type(a)) {
		case NFSEC_SA_STATS_A_PACKETS:
			s->packets = get_u64(a);
			break;
		case NFSEC_SA_STATS_A_BYTES:
			s->bytes = get_u64(a);
			break;
		case NFSEC_SA_STATS_A_REPLAY_TOP:
			s->has_replay_top = true;
			s->replay_top = get_u64(a);
			break;
		case NFSEC_SA_STATS_A_DROP:
			if (nla_parse_nested(tb, NFSEC_DROP_STATS_A_MAX, a, NULL) ||
			    !tb[NFSEC_DROP_STATS_A_REASON] ||
			    nla_len(tb[NFSEC_DROP_STATS_A_REASON]) != 4)
				return -EINVAL;
			reason = nla_get_u32(tb[NFSEC_DROP_STATS_A_REASON]);
			if (reason >= __NFSEC_SA_DROP_MAX)
				break;	/* a reason this build does not know */
			s->has_drop[reason] = true;
			s->drop[reason] = get_u64(tb[NFSEC_DROP_STATS_A_PACKETS]);
			break;
		}
	}
	return 0;
}

static const struct nla_policy sa_policy[NFSEC_SA_A_MAX + 1] = {
	[NFSEC_SA_A_SPI] = { .type = NLA_U32 },
	[NFSEC_SA_A_PROTO] = { .type = NLA_U8 },
	[NFSEC_SA_A_MODE] = { .type = NLA_U8 },
	[NFSEC_SA_A_DIR] = { .type = NLA_U8 },
	[NFSEC_SA_A_FAMILY] = { .type = NLA_U16 },
	[NFSEC_SA_A_REQID] = { .type = NLA_U32 },
	[NFSEC_SA_A_SEL] = { .type = NLA_NESTED },
	[NFSEC_SA_A_AEAD] = { .type = NLA_NESTED },
	[NFSEC_SA_A_ENC] = { .type = NLA_NESTED },
	[NFSEC_SA_A_AUTH] = { .type = NLA_NESTED },
	[NFSEC_SA_A_REPLAY_WINDOW] = { .type = NLA_U32 },
	[NFSEC_SA_A_FLAGS] = { .type = NLA_U32 },
	[NFSEC_SA_A_DF] = { .type = NLA_U8 },
	[NFSEC_SA_A_DSCP] = { .type = NLA_U8 },
	[NFSEC_SA_A_ENCAP] = { .type = NLA_NESTED },
	[NFSEC_SA_A_LIFETIME_SOFT] = { .type = NLA_NESTED },
	[NFSEC_SA_A_LIFETIME_HARD] = { .type = NLA_NESTED },
	[NFSEC_SA_A_TFC_PAD] = { .type = NLA_U32 },
	[NFSEC_SA_A_MTU] = { .type = NLA_U32 },
	[NFSEC_SA_A_SEQ] = { .type = NLA_U64 },
	[NFSEC_SA_A_STATS] = { .type = NLA_NESTED },
	[NFSEC_SA_A_CURRENT] = { .type = NLA_NESTED },
	[NFSEC_SA_A_PMTU] = { .type = NLA_U32 },
};

int nfsec_sa_parse_nl(const struct nlattr *nest, struct nfsec_sa *sa)
{
	struct nlattr *tb[NFSEC_SA_A_MAX + 1];

	memset(sa, 0, sizeof(*sa));
	if (nla_parse_nested(tb, NFSEC_SA_A_MAX, (struct nlattr *)nest,
			     (struct nla_policy *)sa_policy))
		return -EINVAL;
	if (tb[NFSEC_SA_A_SPI]) {
		sa->has_spi = true;
		sa->spi = nla_get_u32(tb[NFSEC_SA_A_SPI]);
	}
	if (tb[NFSEC_SA_A_PROTO])
		sa->proto = nla_get_u8(tb[NFSEC_SA_A_PROTO]);
	if (tb[NFSEC_SA_A_MODE]) {
		sa->has_mode = true;
		sa->mode = nla_get_u8(tb[NFSEC_SA_A_MODE]);
	}
	if (tb[NFSEC_SA_A_DIR]) {
		sa->has_dir = true;
		sa->dir = nla_get_u8(tb[NFSEC_SA_A_DIR]);
	}
	if (tb[NFSEC_SA_A_FAMILY])
		sa->family = nla_get_u16(tb[NFSEC_SA_A_FAMILY]);
	if ((tb[NFSEC_SA_A_SRC] && nfsec_addr_parse_nl(tb[NFSEC_SA_A_SRC], &sa->src)) ||
	    (tb[NFSEC_SA_A_DST] && nfsec_addr_parse_nl(tb[NFSEC_SA_A_DST], &sa->dst)))
		return -EINVAL;
	if (tb[NFSEC_SA_A_REQID]) {
		sa->has_reqid = true;
		sa->reqid = nla_get_u32(tb[NFSEC_SA_A_REQID]);
	}
	if (tb[NFSEC_SA_A_SEL]) {
		sa->has_sel = true;
		if (nfsec_sel_parse_nl(tb[NFSEC_SA_A_SEL], &sa->sel))
			return -EINVAL;
	}
	if ((tb[NFSEC_SA_A_AEAD] && parse_alg(tb[NFSEC_SA_A_AEAD], &sa->aead)) ||
	    (tb[NFSEC_SA_A_ENC] && parse_alg(tb[NFSEC_SA_A_ENC], &sa->enc)) ||
	    (tb[NFSEC_SA_A_AUTH] && parse_alg(tb[NFSEC_SA_A_AUTH], &sa->auth)))
		return -EINVAL;
	if (tb[NFSEC_SA_A_REPLAY_WINDOW]) {
		sa->has_replay_window = true;
		sa->replay_window = nla_get_u32(tb[NFSEC_SA_A_REPLAY_WINDOW]);
	}
	if (tb[NFSEC_SA_A_FLAGS])
		sa->flags = nla_get_u32(tb[NFSEC_SA_A_FLAGS]);
	if (tb[NFSEC_SA_A_DF]) {
		sa->has_df = true;
		sa->df = nla_get_u8(tb[NFSEC_SA_A_DF]);
	}
	if (tb[NFSEC_SA_A_DSCP]) {
		sa->has_dscp = true;
		sa->dscp = nla_get_u8(tb[NFSEC_SA_A_DSCP]);
	}
	if (tb[NFSEC_SA_A_ENCAP] && parse_encap(tb[NFSEC_SA_A_ENCAP], &sa->encap))
		return -EINVAL;
	if (tb[NFSEC_SA_A_LIFETIME_SOFT]) {
		sa->has_soft = true;
		if (parse_lifetime(tb[NFSEC_SA_A_LIFETIME_SOFT], &sa->soft))
			return -EINVAL;
	}
	if (tb[NFSEC_SA_A_LIFETIME_HARD]) {
		sa->has_hard = true;
		if (parse_lifetime(tb[NFSEC_SA_A_LIFETIME_HARD], &sa->hard))
			return -EINVAL;
	}
	if (tb[NFSEC_SA_A_TFC_PAD]) {
		sa->has_tfc_pad = true;
		sa->tfc_pad = nla_get_u32(tb[NFSEC_SA_A_TFC_PAD]);
	}
	if (tb[NFSEC_SA_A_MTU]) {
		sa->has_mtu = true;
		sa->mtu = nla_get_u32(tb[NFSEC_SA_A_MTU]);
	}
	if (tb[NFSEC_SA_A_PMTU])
		sa->pmtu = nla_get_u32(tb[NFSEC_SA_A_PMTU]);
	if (tb[NFSEC_SA_A_SEQ]) {
		sa->has_seq = true;
		sa->seq = get_u64(tb[NFSEC_SA_A_SEQ]);
	}
	if (tb[NFSEC_SA_A_STATS]) {
		sa->has_stats = true;
		if (parse_stats(tb[NFSEC_SA_A_STATS], &sa->stats))
			return -EINVAL;
	}
	if (tb[NFSEC_SA_A_CURRENT]) {
		sa->has_current = true;
		if (parse_lifetime(tb[NFSEC_SA_A_CURRENT], &sa->current))
			return -EINVAL;
	}
	return 0;
}

int nfsec_sa_path_parse_nl(const struct nlattr *nest,
			   struct nfsec_sa_path *path)
{
	struct nlattr *tb[NFSEC_SA_PATH_A_MAX + 1];

	memset(path, 0, sizeof(*path));
	if (nla_parse_nested(tb, NFSEC_SA_PATH_A_MAX, (struct nlattr *)nest,
			     NULL))
		return -EINVAL;
	if (tb[NFSEC_SA_PATH_A_FAMILY])
		path->family = nla_get_u16(tb[NFSEC_SA_PATH_A_FAMILY]);
	if ((tb[NFSEC_SA_PATH_A_SRC] &&
	     nfsec_addr_parse_nl(tb[NFSEC_SA_PATH_A_SRC], &path->src)) ||
	    (tb[NFSEC_SA_PATH_A_DST] &&
	     nfsec_addr_parse_nl(tb[NFSEC_SA_PATH_A_DST], &path->dst)) ||
	    (tb[NFSEC_SA_PATH_A_ENCAP] &&
	     parse_encap(tb[NFSEC_SA_PATH_A_ENCAP], &path->encap)))
		return -EINVAL;
	return 0;
}

int nfsec_expire_parse_nl(const struct nlattr *nest, struct nfsec_expire *ex)
{
	struct nlattr *tb[NFSEC_EXPIRE_A_MAX + 1];

	memset(ex, 0, sizeof(*ex));
	if (nla_parse_nested(tb, NFSEC_EXPIRE_A_MAX, (struct nlattr *)nest,
			     NULL) || !tb[NFSEC_EXPIRE_A_SA] ||
	    nfsec_sa_parse_nl(tb[NFSEC_EXPIRE_A_SA], &ex->sa))
		return -EINVAL;
	if (tb[NFSEC_EXPIRE_A_HARD])
		ex->hard = nla_get_u8(tb[NFSEC_EXPIRE_A_HARD]) != 0;
	if (tb[NFSEC_EXPIRE_A_REASON]) {
		ex->has_reason = true;
		ex->reason = nla_get_u8(tb[NFSEC_EXPIRE_A_REASON]);
	}
	return 0;
}
