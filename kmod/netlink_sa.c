// SPDX-License-Identifier: GPL-2.0
/*
 * The SA half of the nfsec generic-netlink family: SA_NEW, SA_UPDATE,
 * SA_DEL, SA_GET (do and dump), SA_FLUSH, SPI_ALLOC and the EXPIRE event.
 * See uapi/linux/nfsec.h for the attribute trees; netlink.c holds the family
 * and its ops table.
 *
 * As for policies, a request is checked twice: structurally by the policies
 * below, then semantically while it is parsed into a struct nfsec_sa_cfg,
 * each rejection with an extack message naming the attribute. The SAD
 * (sad.c) only ever sees a complete, consistent configuration; what it still
 * refuses (a transform the crypto API cannot build, a duplicate) comes back
 * with a message too.
 *
 * Keys leave the kernel only in SA_GET replies that asked for them with
 * NFSEC_A_SHOW_KEYS, which needs CAP_NET_ADMIN; dumps and events never carry
 * them otherwise.
 */
#include <linux/in.h>
#include <linux/stringify.h>
#include <net/sock.h>
#include <net/genetlink.h>
#include <linux/nfsec.h>

#include "main.h"
#include "acquire.h"
#include "encap.h"
#include "netlink.h"
#include "pmtu.h"
#include "sad.h"

/* Reservations from SPI_ALLOC without a range: RFC 4303 keeps 1..255. */
#define NFSEC_SPI_ALLOC_MIN	0x100U
#define NFSEC_SPI_ALLOC_MAX	0xffffffffU
/*
 * The SAD adds time limits to time64_t timestamps: anything larger than
 * this could wrap and expire the SA at once.
 */
#define NFSEC_LIFETIME_SECONDS_MAX	U32_MAX

/* --- policies ------------------------------------------------------------ */

static const struct nla_policy nfsec_alg_nl_policy[NFSEC_ALG_A_MAX + 1] = {
	[NFSEC_ALG_A_NAME] = { .type = NLA_NUL_STRING,
			       .len = NFSEC_ALG_NAME_MAX - 1 },
	[NFSEC_ALG_A_KEY] = { .type = NLA_BINARY, .len = NFSEC_KEY_MAX },
	[NFSEC_ALG_A_ICV_BITS] = { .type = NLA_U32 },
};

static const struct nla_policy nfsec_encap_nl_policy[NFSEC_ENCAP_A_MAX + 1] = {
	[NFSEC_ENCAP_A_SPORT] = { .type = NLA_U16 },
	[NFSEC_ENCAP_A_DPORT] = { .type = NLA_U16 },
};

static const struct nla_policy nfsec_lifetime_nl_policy[NFSEC_LIFETIME_A_MAX + 1] = {
	[NFSEC_LIFETIME_A_BYTES] = { .type = NLA_U64 },
	[NFSEC_LIFETIME_A_PACKETS] = { .type = NLA_U64 },
	[NFSEC_LIFETIME_A_ADD_SECONDS] = { .type = NLA_U64 },
	[NFSEC_LIFETIME_A_USE_SECONDS] = { .type = NLA_U64 },
};

/*
 * Integers whose value sets need their own message (SPI 0, FAMILY, PROTO,
 * DIR FWD, ...) are plain types here and checked while parsing; see the
 * note on validate_fn in netlink.c.
 */
static const struct nla_policy nfsec_sa_nl_policy[NFSEC_SA_A_MAX + 1] = {
	[NFSEC_SA_A_SPI] = { .type = NLA_U32 },
	[NFSEC_SA_A_PROTO] = { .type = NLA_U8 },
	[NFSEC_SA_A_MODE] = NLA_POLICY_MAX(NLA_U8, NFSEC_MODE_MAX),
	[NFSEC_SA_A_DIR] = NLA_POLICY_MAX(NLA_U8, NFSEC_DIR_MAX),
	[NFSEC_SA_A_FAMILY] = { .type = NLA_U16 },
	[NFSEC_SA_A_SRC] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
						  nfsec_nl_validate_addr, 16),
	[NFSEC_SA_A_DST] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
						  nfsec_nl_validate_addr, 16),
	[NFSEC_SA_A_REQID] = { .type = NLA_U32 },
	[NFSEC_SA_A_SEL] = NLA_POLICY_NESTED(nfsec_sel_nl_policy),
	[NFSEC_SA_A_AEAD] = NLA_POLICY_NESTED(nfsec_alg_nl_policy),
	[NFSEC_SA_A_ENC] = NLA_POLICY_NESTED(nfsec_alg_nl_policy),
	[NFSEC_SA_A_AUTH] = NLA_POLICY_NESTED(nfsec_alg_nl_policy),
	[NFSEC_SA_A_REPLAY_WINDOW] = { .type = NLA_U32 },
	[NFSEC_SA_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, __NFSEC_SA_F_ALL),
	[NFSEC_SA_A_DF] = NLA_POLICY_MAX(NLA_U8, NFSEC_DF_MAX),
	[NFSEC_SA_A_DSCP] = NLA_POLICY_MAX(NLA_U8, 63),
	[NFSEC_SA_A_ENCAP] = NLA_POLICY_NESTED(nfsec_encap_nl_policy),
	[NFSEC_SA_A_LIFETIME_SOFT] = NLA_POLICY_NESTED(nfsec_lifetime_nl_policy),
	[NFSEC_SA_A_LIFETIME_HARD] = NLA_POLICY_NESTED(nfsec_lifetime_nl_policy),
	[NFSEC_SA_A_TFC_PAD] = { .type = NLA_U32 },
	[NFSEC_SA_A_MTU] = { .type = NLA_U32 },
	[NFSEC_SA_A_SEQ] = { .type = NLA_U64 },
	[NFSEC_SA_A_STATS] = { .type = NLA_REJECT },
	[NFSEC_SA_A_CURRENT] = { .type = NLA_REJECT },
	[NFSEC_SA_A_PMTU] = { .type = NLA_REJECT },
};

static const struct nla_policy nfsec_sa_path_nl_policy[NFSEC_SA_PATH_A_MAX + 1] = {
	[NFSEC_SA_PATH_A_FAMILY] = { .type = NLA_U16 },
	[NFSEC_SA_PATH_A_SRC] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
						       nfsec_nl_validate_addr, 16),
	[NFSEC_SA_PATH_A_DST] = NLA_POLICY_VALIDATE_FN(NLA_BINARY,
						       nfsec_nl_validate_addr, 16),
	[NFSEC_SA_PATH_A_ENCAP] = NLA_POLICY_NESTED(nfsec_encap_nl_policy),
};

/* NEW, DEL, FLUSH: one SA nest. */
const struct nla_policy nfsec_sa_op_policy[NFSEC_A_MAX + 1] = {
	[NFSEC_A_SA] = NLA_POLICY_NESTED(nfsec_sa_nl_policy),
};

const struct nla_policy nfsec_sa_update_op_policy[NFSEC_A_MAX + 1] = {
	[NFSEC_A_SA] = NLA_POLICY_NESTED(nfsec_sa_nl_policy),
	[NFSEC_A_SA_PATH] = NLA_POLICY_NESTED(nfsec_sa_path_nl_policy),
};

const struct nla_policy nfsec_sa_get_op_policy[NFSEC_A_MAX + 1] = {
	[NFSEC_A_SA] = NLA_POLICY_NESTED(nfsec_sa_nl_policy),
	[NFSEC_A_SHOW_KEYS] = { .type = NLA_FLAG },
};

const struct nla_policy nfsec_spi_op_policy[NFSEC_A_MAX + 1] = {
	[NFSEC_A_SA] = NLA_POLICY_NESTED(nfsec_sa_nl_policy),
	[NFSEC_A_SPI_MIN] = { .type = NLA_U32 },
	[NFSEC_A_SPI_MAX] = { .type = NLA_U32 },
};

/* --- algorithms ---------------------------------------------------------- */

/*
 * What the transforms implement, under the names `ip xfrm` uses. Key lengths
 * are without the salt; a keylen entry of 0 after the first means none.
 * icv_mask: bit n set means an ICV of 32 * n bits is valid.
 */
struct nfsec_nl_alg {
	const char *name;
	u32 icv_mask;
	u16 icv_default;	/* bits; HMAC: RFC 4868's half the digest */
	u8 type;		/* NFSEC_SA_A_AEAD, _ENC or _AUTH */
	u8 salt;
	u8 keylen[3];
};

#define NFSEC_ICV(bits)		BIT((bits) / 32)
#define NFSEC_ICV_HMAC(digest)	GENMASK((digest) / 32, 96 / 32)

static const struct nfsec_nl_alg nfsec_nl_algs[] = {
	{ "rfc4106(gcm(aes))", NFSEC_ICV(64) | NFSEC_ICV(96) | NFSEC_ICV(128),
	  128, NFSEC_SA_A_AEAD, 4, { 16, 24, 32 } },
	{ "rfc4543(gcm(aes))", NFSEC_ICV(128), 128, NFSEC_SA_A_AEAD, 4,
	  { 16, 24, 32 } },
	{ "rfc7539esp(chacha20,poly1305)", NFSEC_ICV(128), 128,
	  NFSEC_SA_A_AEAD, 4, { 32 } },
	{ "cbc(aes)", 0, 0, NFSEC_SA_A_ENC, 0, { 16, 24, 32 } },
	{ "ecb(cipher_null)", 0, 0, NFSEC_SA_A_ENC, 0, { 0 } },
	{ "hmac(sha256)", NFSEC_ICV_HMAC(256), 128, NFSEC_SA_A_AUTH, 0, { 32 } },
	{ "hmac(sha384)", NFSEC_ICV_HMAC(384), 192, NFSEC_SA_A_AUTH, 0, { 48 } },
	{ "hmac(sha512)", NFSEC_ICV_HMAC(512), 256, NFSEC_SA_A_AUTH, 0, { 64 } },
};

/*
 * NL_SET_ERR_MSG_ATTR() for a message picked at run time from a table: the
 * macros take string literals only (kernels before NL_SET_ERR_MSG_FMT).
 */
static void nfsec_nl_err(struct netlink_ext_ack *extack,
			 const struct nlattr *attr, const char *msg)
{
	if (extack) {
		extack->_msg = msg;
		extack->bad_attr = attr;
	}
}

static const struct nfsec_nl_alg *nfsec_nl_alg_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(nfsec_nl_algs); i++)
		if (!strcmp(nfsec_nl_algs[i].name, name))
			return &nfsec_nl_algs[i];
	return NULL;
}

static bool nfsec_nl_alg_keylen_ok(const struct nfsec_nl_alg *alg,
				   unsigned int len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(alg->keylen); i++)
		if ((!i || alg->keylen[i]) && len == alg->keylen[i] + alg->salt)
			return true;
	return false;
}

static bool nfsec_nl_alg_icv_ok(const struct nfsec_nl_alg *alg, u32 bits)
{
	return bits && bits <= 512 && !(bits % 32) &&
	       (alg->icv_mask & BIT(bits / 32));
}

/* Where one algorithm of an SA goes in its configuration. */
struct nfsec_nl_alg_slot {
	char *name;		/* NFSEC_ALG_NAME_MAX bytes */
	u8 *key;		/* NFSEC_KEY_MAX bytes */
	u16 *keylen;
	u16 *icv_len;		/* bytes; NULL for ENC */
};

static const char *const nfsec_nl_alg_wrong_kind[NFSEC_SA_A_MAX + 1] = {
	[NFSEC_SA_A_AEAD] = "not an AEAD: ciphers go in ENC, HMACs in AUTH",
	[NFSEC_SA_A_ENC] = "not a cipher: AEADs go in AEAD, HMACs in AUTH",
	[NFSEC_SA_A_AUTH] = "not an integrity algorithm: AEADs go in AEAD, ciphers in ENC",
};

static int nfsec_nl_parse_alg(const struct nlattr *nest, int type,
			      const struct nfsec_nl_alg_slot *slot,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFSEC_ALG_A_MAX + 1];
	const struct nfsec_nl_alg *alg;
	unsigned int keylen;
	u32 bits;
	int err;

	err = nla_parse_nested(tb, NFSEC_ALG_A_MAX, nest, nfsec_alg_nl_policy,
			       extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, NFSEC_ALG_A_NAME)) {
		NL_SET_ERR_MSG(extack, "algorithm without NAME");
		return -EINVAL;
	}
	alg = nfsec_nl_alg_find(nla_data(tb[NFSEC_ALG_A_NAME]));
	if (!alg) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_ALG_A_NAME],
				    "unknown algorithm NAME");
		return -EINVAL;
	}
	if (alg->type != type) {
		nfsec_nl_err(extack, tb[NFSEC_ALG_A_NAME],
			     nfsec_nl_alg_wrong_kind[type]);
		return -EINVAL;
	}
	/* A null cipher's KEY may be left out: it has none. */
	keylen = tb[NFSEC_ALG_A_KEY] ? nla_len(tb[NFSEC_ALG_A_KEY]) : 0;
	if (!nfsec_nl_alg_keylen_ok(alg, keylen)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_ALG_A_KEY] ?: nest,
				    "KEY length does not fit the algorithm (salt included)");
		return -EINVAL;
	}
	if (type == NFSEC_SA_A_ENC && tb[NFSEC_ALG_A_ICV_BITS]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_ALG_A_ICV_BITS],
				    "a cipher has no ICV_BITS: the integrity algorithm (AUTH) does");
		return -EINVAL;
	}
	bits = tb[NFSEC_ALG_A_ICV_BITS] ?
	       nla_get_u32(tb[NFSEC_ALG_A_ICV_BITS]) : alg->icv_default;
	if (type == NFSEC_SA_A_AEAD && !nfsec_nl_alg_icv_ok(alg, bits)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_ALG_A_ICV_BITS],
				    "ICV_BITS invalid for this AEAD: rfc4106 takes 64, 96 or 128, the others 128");
		return -EINVAL;
	}
	if (type == NFSEC_SA_A_AUTH && !nfsec_nl_alg_icv_ok(alg, bits)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_ALG_A_ICV_BITS],
				    "ICV_BITS must be a multiple of 32 from 96 to the digest size");
		return -EINVAL;
	}
	strscpy(slot->name, alg->name, NFSEC_ALG_NAME_MAX);
	if (keylen)
		nla_memcpy(slot->key, tb[NFSEC_ALG_A_KEY], keylen);
	*slot->keylen = keylen;
	if (slot->icv_len)
		*slot->icv_len = bits / 8;
	return 0;
}

/* ESP: AEAD, or ENC with AUTH. AH: AUTH only. */
static int nfsec_nl_parse_algs(const struct nlattr *nest, struct nlattr **tb,
			       struct nfsec_sa_cfg *cfg,
			       struct netlink_ext_ack *extack)
{
	struct nfsec_nl_alg_slot aead = {
		cfg->aead_name, cfg->enc_key, &cfg->enc_keylen, &cfg->icv_len
	};
	struct nfsec_nl_alg_slot enc = {
		cfg->enc_name, cfg->enc_key, &cfg->enc_keylen, NULL
	};
	struct nfsec_nl_alg_slot auth = {
		cfg->auth_name, cfg->auth_key, &cfg->auth_keylen, &cfg->icv_len
	};
	struct nlattr *a = tb[NFSEC_SA_A_AEAD], *e = tb[NFSEC_SA_A_ENC];
	struct nlattr *h = tb[NFSEC_SA_A_AUTH];
	int err;

	if (cfg->proto == IPPROTO_AH) {
		if (a || e) {
			NL_SET_ERR_MSG_ATTR(extack, a ?: e,
					    "AH authenticates only: AEAD and ENC are for ESP");
			return -EINVAL;
		}
		if (!h) {
			NL_SET_ERR_ATTR_MISS(extack, nest, NFSEC_SA_A_AUTH);
			NL_SET_ERR_MSG(extack, "AH needs AUTH");
			return -EINVAL;
		}
		return nfsec_nl_parse_alg(h, NFSEC_SA_A_AUTH, &auth, extack);
	}
	if (a && (e || h)) {
		NL_SET_ERR_MSG_ATTR(extack, e ?: h,
				    "AEAD encrypts and authenticates: no ENC or AUTH with it");
		return -EINVAL;
	}
	if (!a && !e) {
		NL_SET_ERR_ATTR_MISS(extack, nest, NFSEC_SA_A_AEAD);
		NL_SET_ERR_MSG(extack, "ESP needs AEAD, or ENC with AUTH");
		return -EINVAL;
	}
	if (a)
		return nfsec_nl_parse_alg(a, NFSEC_SA_A_AEAD, &aead, extack);
	if (!h) {
		/* RFC 4303 allows it, but confidentiality alone is not offered. */
		NL_SET_ERR_ATTR_MISS(extack, nest, NFSEC_SA_A_AUTH);
		NL_SET_ERR_MSG(extack, "ESP with ENC needs AUTH too");
		return -EINVAL;
	}
	err = nfsec_nl_parse_alg(e, NFSEC_SA_A_ENC, &enc, extack);
	if (err)
		return err;
	return nfsec_nl_parse_alg(h, NFSEC_SA_A_AUTH, &auth, extack);
}

/* --- parsing SAs ----------------------------------------------------------- */

/* The identity of an SA, and the filters of dumps and flushes. */
struct nfsec_nl_sa_id {
	union nfsec_addr daddr;
	__be32 spi;
	u32 reqid;
	u16 family;
	u8 proto;
	bool has_reqid;
};

#define NFSEC_SA_BIT(a)		BIT(NFSEC_SA_A_##a)
#define NFSEC_SA_ID_ATTRS	(NFSEC_SA_BIT(SPI) | NFSEC_SA_BIT(PROTO) | \
				 NFSEC_SA_BIT(FAMILY) | NFSEC_SA_BIT(DST))
#define NFSEC_SA_NEW_NEEDS	(NFSEC_SA_ID_ATTRS | NFSEC_SA_BIT(MODE) | \
				 NFSEC_SA_BIT(DIR) | NFSEC_SA_BIT(SRC))
#define NFSEC_SA_ALL_ATTRS	GENMASK(NFSEC_SA_A_MAX, 1)

static const char *const nfsec_nl_sa_missing[NFSEC_SA_A_MAX + 1] = {
	[NFSEC_SA_A_SPI] = "SA without SPI",
	[NFSEC_SA_A_PROTO] = "SA without PROTO",
	[NFSEC_SA_A_MODE] = "SA without MODE",
	[NFSEC_SA_A_DIR] = "SA without DIR",
	[NFSEC_SA_A_FAMILY] = "SA without FAMILY",
	[NFSEC_SA_A_SRC] = "SA without SRC",
	[NFSEC_SA_A_DST] = "SA without DST",
};

/* Only the attributes in @allow, and every one in @need. */
static int nfsec_nl_sa_attrs_check(const struct nlattr *nest,
				   struct nlattr **tb, unsigned long allow,
				   unsigned long need,
				   struct netlink_ext_ack *extack)
{
	int i;

	for (i = 1; i <= NFSEC_SA_A_MAX; i++) {
		if (tb[i] && !(allow & BIT(i))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i],
					    "attribute not accepted by this command");
			return -EINVAL;
		}
		if (!tb[i] && (need & BIT(i))) {
			NL_SET_ERR_ATTR_MISS(extack, nest, i);
			nfsec_nl_err(extack, NULL, nfsec_nl_sa_missing[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static int nfsec_nl_get_family(const struct nlattr *attr, u16 *family,
			       struct netlink_ext_ack *extack)
{
	*family = nla_get_u16(attr);
	if (*family != AF_INET && *family != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "FAMILY must be AF_INET or AF_INET6");
		return -EAFNOSUPPORT;
	}
	return 0;
}

static int nfsec_nl_get_addr(const struct nlattr *attr, u16 family,
			     union nfsec_addr *a, struct netlink_ext_ack *extack)
{
	if (nla_len(attr) != nfsec_alen(family)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "address length does not match FAMILY");
		return -EINVAL;
	}
	memset(a, 0, sizeof(*a));
	nla_memcpy(a, attr, nla_len(attr));
	if (family == AF_INET ? !a->a4 : ipv6_addr_any(&a->a6)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "an SA's address cannot be the unspecified address");
		return -EINVAL;
	}
	return 0;
}

/* Parse an SA nest into @tb and check which attributes it has. */
static int nfsec_nl_parse_sa_nest(const struct nlattr *nest, struct nlattr **tb,
				  unsigned long allow, unsigned long need,
				  struct netlink_ext_ack *extack)
{
	int err;

	err = nla_parse_nested(tb, NFSEC_SA_A_MAX, nest, nfsec_sa_nl_policy,
			       extack);
	if (err)
		return err;
	return nfsec_nl_sa_attrs_check(nest, tb, allow, need, extack);
}

/* SPI, PROTO, FAMILY, DST and REQID, whichever are there. */
static int nfsec_nl_parse_sa_id(struct nlattr **tb, struct nfsec_nl_sa_id *id,
				struct netlink_ext_ack *extack)
{
	int err;

	memset(id, 0, sizeof(*id));
	if (tb[NFSEC_SA_A_SPI]) {
		id->spi = cpu_to_be32(nla_get_u32(tb[NFSEC_SA_A_SPI]));
		if (!id->spi) {
			NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_SA_A_SPI],
					    "SPI 0 is reserved (RFC 4303)");
			return -EINVAL;
		}
	}
	if (tb[NFSEC_SA_A_PROTO]) {
		err = nfsec_nl_validate_ipsec_proto(tb[NFSEC_SA_A_PROTO], extack);
		if (err)
			return err;
		id->proto = nla_get_u8(tb[NFSEC_SA_A_PROTO]);
	}
	if (tb[NFSEC_SA_A_FAMILY]) {
		err = nfsec_nl_get_family(tb[NFSEC_SA_A_FAMILY], &id->family,
					  extack);
		if (err)
			return err;
	}
	/* Every command that takes DST requires FAMILY. */
	if (tb[NFSEC_SA_A_DST]) {
		err = nfsec_nl_get_addr(tb[NFSEC_SA_A_DST], id->family,
					&id->daddr, extack);
		if (err)
			return err;
	}
	if (tb[NFSEC_SA_A_REQID]) {
		id->has_reqid = true;
		id->reqid = nla_get_u32(tb[NFSEC_SA_A_REQID]);
	}
	return 0;
}

static void nfsec_addr_fill(union nfsec_addr *a, const union nf_inet_addr *v,
			    unsigned int alen, u8 byte)
{
	if (v)
		memcpy(a, v, alen);
	else
		memset(a, byte, alen);
}

/*
 * The inner selectors of an SA: addresses, next protocol and ports, into the
 * SAD's range form. An absent address is the family's whole range.
 */
static int nfsec_nl_parse_sa_sel(const struct nlattr *nest,
				 struct nfsec_sa_cfg *cfg,
				 struct netlink_ext_ack *extack)
{
	struct nfsec_sa_sel *s = &cfg->sel;
	struct nfsec_policy_spec spec = {};
	unsigned int alen = 0;
	u16 f;
	int err;

	err = nfsec_nl_parse_sel(nest, &spec, &alen, extack);
	if (err)
		return err;
	f = spec.sel.flags;
	if ((f & (NFSEC_SEL_F_ICMP_TYPE | NFSEC_SEL_F_OPAQUE)) || spec.name ||
	    spec.sel.pfp) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "an SA's SEL has addresses, PROTO and ports only");
		return -EINVAL;
	}
	if (((f & NFSEC_SEL_F_SPORT) && !spec.sel.sport_max) ||
	    ((f & NFSEC_SEL_F_DPORT) && !spec.sel.dport_max)) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "an SA's SEL cannot select port 0 alone");
		return -EINVAL;
	}
	if (alen) {
		s->family = alen == 16 ? AF_INET6 : AF_INET;
		nfsec_addr_fill(&s->saddr_lo, f & NFSEC_SEL_F_SRC ?
				&spec.sel.src.start : NULL, alen, 0);
		nfsec_addr_fill(&s->saddr_hi, f & NFSEC_SEL_F_SRC ?
				&spec.sel.src.end : NULL, alen, 0xff);
		nfsec_addr_fill(&s->daddr_lo, f & NFSEC_SEL_F_DST ?
				&spec.sel.dst.start : NULL, alen, 0);
		nfsec_addr_fill(&s->daddr_hi, f & NFSEC_SEL_F_DST ?
				&spec.sel.dst.end : NULL, alen, 0xff);
	}
	if (cfg->mode == NFSEC_MODE_TRANSPORT && s->family &&
	    s->family != cfg->path.family) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a transport-mode SA's SEL must be of the SA's FAMILY");
		return -EINVAL;
	}
	if (f & NFSEC_SEL_F_PROTO)
		s->proto = spec.sel.proto;
	if (f & NFSEC_SEL_F_SPORT) {
		s->sport_lo = spec.sel.sport_min;
		s->sport_hi = spec.sel.sport_max;
	}
	if (f & NFSEC_SEL_F_DPORT) {
		s->dport_lo = spec.sel.dport_min;
		s->dport_hi = spec.sel.dport_max;
	}
	return 0;
}

static int nfsec_nl_parse_encap(const struct nlattr *nest,
				struct nfsec_sa_path *path,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFSEC_ENCAP_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, NFSEC_ENCAP_A_MAX, nest,
			       nfsec_encap_nl_policy, extack);
	if (err)
		return err;
	if (!tb[NFSEC_ENCAP_A_SPORT] || !tb[NFSEC_ENCAP_A_DPORT] ||
	    !nla_get_u16(tb[NFSEC_ENCAP_A_SPORT]) ||
	    !nla_get_u16(tb[NFSEC_ENCAP_A_DPORT])) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "ENCAP needs SPORT and DPORT, both non-zero");
		return -EINVAL;
	}
	path->encap_sport = htons(nla_get_u16(tb[NFSEC_ENCAP_A_SPORT]));
	path->encap_dport = htons(nla_get_u16(tb[NFSEC_ENCAP_A_DPORT]));
	return 0;
}

static u64 nfsec_nla_u64(const struct nlattr *attr)
{
	return attr ? nla_get_u64(attr) : 0;
}

static int nfsec_nl_parse_lifetime(const struct nlattr *nest,
				   struct nfsec_sa_lifetime *l,
				   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFSEC_LIFETIME_A_MAX + 1];
	int err;

	if (!nest)
		return 0;
	err = nla_parse_nested(tb, NFSEC_LIFETIME_A_MAX, nest,
			       nfsec_lifetime_nl_policy, extack);
	if (err)
		return err;
	l->bytes = nfsec_nla_u64(tb[NFSEC_LIFETIME_A_BYTES]);
	l->packets = nfsec_nla_u64(tb[NFSEC_LIFETIME_A_PACKETS]);
	l->add_seconds = nfsec_nla_u64(tb[NFSEC_LIFETIME_A_ADD_SECONDS]);
	l->use_seconds = nfsec_nla_u64(tb[NFSEC_LIFETIME_A_USE_SECONDS]);
	if (l->add_seconds > NFSEC_LIFETIME_SECONDS_MAX ||
	    l->use_seconds > NFSEC_LIFETIME_SECONDS_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_LIFETIME_A_ADD_SECONDS] ?:
				    tb[NFSEC_LIFETIME_A_USE_SECONDS],
				    "time limits are at most 2^32 - 1 seconds");
		return -EINVAL;
	}
	return 0;
}

static bool nfsec_lft_beyond(u64 soft, u64 hard)
{
	return soft && hard && soft > hard;
}

static int nfsec_nl_parse_lifetimes(struct nlattr **tb,
				    struct nfsec_sa_cfg *cfg,
				    struct netlink_ext_ack *extack)
{
	const struct nfsec_sa_lifetime *s = &cfg->soft, *h = &cfg->hard;
	int err;

	err = nfsec_nl_parse_lifetime(tb[NFSEC_SA_A_LIFETIME_SOFT], &cfg->soft,
				      extack);
	if (!err)
		err = nfsec_nl_parse_lifetime(tb[NFSEC_SA_A_LIFETIME_HARD],
					      &cfg->hard, extack);
	if (err)
		return err;
	if (nfsec_lft_beyond(s->bytes, h->bytes) ||
	    nfsec_lft_beyond(s->packets, h->packets) ||
	    nfsec_lft_beyond(s->add_seconds, h->add_seconds) ||
	    nfsec_lft_beyond(s->use_seconds, h->use_seconds)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_SA_A_LIFETIME_SOFT],
				    "a soft limit is beyond its hard limit");
		return -EINVAL;
	}
	return 0;
}

/*
 * Anti-replay, ESN and the sequence number: outbound the last number sent,
 * inbound the replay window's top (the last number received, e.g. when an
 * SA's state moves to another router).
 */
static int nfsec_nl_parse_seq(struct nlattr **tb, struct nfsec_sa_cfg *cfg,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *rw = tb[NFSEC_SA_A_REPLAY_WINDOW];
	struct nlattr *seq = tb[NFSEC_SA_A_SEQ];
	bool esn = cfg->flags & NFSEC_SA_F_ESN;

	cfg->seq = seq ? nla_get_u64(seq) : 0;
	if (!esn && cfg->seq > U32_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, seq,
				    "SEQ beyond 2^32 - 1 needs the ESN flag");
		return -EINVAL;
	}
	if (cfg->dir == NFSEC_DIR_OUT) {
		if (rw) {
			NL_SET_ERR_MSG_ATTR(extack, rw,
					    "REPLAY_WINDOW is for inbound SAs");
			return -EINVAL;
		}
		return 0;
	}
	cfg->replay_window = rw ? nla_get_u32(rw) : NFSEC_REPLAY_WINDOW_DEFAULT;
	if (cfg->replay_window &&
	    (cfg->replay_window < NFSEC_REPLAY_WINDOW_MIN ||
	     cfg->replay_window > NFSEC_REPLAY_WINDOW_MAX)) {
		NL_SET_ERR_MSG_ATTR(extack, rw,
				    "REPLAY_WINDOW is 0 (off) or "
				    __stringify(NFSEC_REPLAY_WINDOW_MIN) " to "
				    __stringify(NFSEC_REPLAY_WINDOW_MAX) " packets");
		return -EINVAL;
	}
	if (esn && !cfg->replay_window) {
		NL_SET_ERR_MSG_ATTR(extack, rw,
				    "ESN on an inbound SA needs a replay window");
		return -EINVAL;
	}
	if (seq && !cfg->replay_window) {
		NL_SET_ERR_MSG_ATTR(extack, seq,
				    "SEQ on an inbound SA needs a replay window");
		return -EINVAL;
	}
	return 0;
}

/* Tunnel-only and ESP-only attributes, MTU and TFC. */
static int nfsec_nl_parse_outer(struct nlattr **tb, struct nfsec_sa_cfg *cfg,
				struct netlink_ext_ack *extack)
{
	struct nlattr *tunnel_only = tb[NFSEC_SA_A_DF] ?: tb[NFSEC_SA_A_DSCP];
	struct nlattr *esp_only = tb[NFSEC_SA_A_ENCAP] ?: tb[NFSEC_SA_A_TFC_PAD];
	bool dscp_set = cfg->flags & NFSEC_SA_F_DSCP_SET;

	if (cfg->mode != NFSEC_MODE_TUNNEL && (tunnel_only || dscp_set)) {
		NL_SET_ERR_MSG_ATTR(extack, tunnel_only ?: tb[NFSEC_SA_A_FLAGS],
				    "DF and DSCP apply to tunnel mode only");
		return -EINVAL;
	}
	if (dscp_set != !!tb[NFSEC_SA_A_DSCP]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_SA_A_DSCP] ?:
				    tb[NFSEC_SA_A_FLAGS],
				    "DSCP and the DSCP_SET flag go together");
		return -EINVAL;
	}
	if (cfg->proto == IPPROTO_AH && esp_only) {
		NL_SET_ERR_MSG_ATTR(extack, esp_only,
				    "ENCAP and TFC_PAD are for ESP, not AH");
		return -EINVAL;
	}
	cfg->df = tb[NFSEC_SA_A_DF] ? nla_get_u8(tb[NFSEC_SA_A_DF]) : 0;
	cfg->dscp = tb[NFSEC_SA_A_DSCP] ? nla_get_u8(tb[NFSEC_SA_A_DSCP]) : 0;
	cfg->tfc_pad = tb[NFSEC_SA_A_TFC_PAD] ?
		       nla_get_u32(tb[NFSEC_SA_A_TFC_PAD]) : 0;
	if (cfg->tfc_pad > U16_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_SA_A_TFC_PAD],
				    "TFC_PAD is at most 65535 bytes");
		return -EINVAL;
	}
	cfg->mtu = tb[NFSEC_SA_A_MTU] ? nla_get_u32(tb[NFSEC_SA_A_MTU]) : 0;
	if (cfg->mtu && (cfg->mtu < 68 || cfg->mtu > U16_MAX)) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_SA_A_MTU],
				    "MTU is 0 (from the route) or 68 to 65535");
		return -EINVAL;
	}
	if (tb[NFSEC_SA_A_ENCAP])
		return nfsec_nl_parse_encap(tb[NFSEC_SA_A_ENCAP], &cfg->path,
					    extack);
	return 0;
}

/* A whole SA of an SA_NEW request. */
static int nfsec_nl_parse_sa(const struct nlattr *nest,
			     struct nfsec_sa_cfg *cfg,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFSEC_SA_A_MAX + 1];
	struct nfsec_nl_sa_id id;
	int err;

	err = nfsec_nl_parse_sa_nest(nest, tb, NFSEC_SA_ALL_ATTRS,
				     NFSEC_SA_NEW_NEEDS, extack);
	if (!err)
		err = nfsec_nl_parse_sa_id(tb, &id, extack);
	if (err)
		return err;
	cfg->spi = id.spi;
	cfg->proto = id.proto;
	cfg->reqid = id.reqid;
	cfg->path.family = id.family;
	cfg->path.daddr = id.daddr;
	err = nfsec_nl_get_addr(tb[NFSEC_SA_A_SRC], id.family,
				&cfg->path.saddr, extack);
	if (err)
		return err;
	cfg->mode = nla_get_u8(tb[NFSEC_SA_A_MODE]);
	cfg->dir = nla_get_u8(tb[NFSEC_SA_A_DIR]);
	if (cfg->dir == NFSEC_DIR_FWD) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NFSEC_SA_A_DIR],
				    "an SA's DIR is IN or OUT");
		return -EINVAL;
	}
	if (tb[NFSEC_SA_A_FLAGS])
		cfg->flags = nla_get_u32(tb[NFSEC_SA_A_FLAGS]);
	if (tb[NFSEC_SA_A_SEL]) {
		err = nfsec_nl_parse_sa_sel(tb[NFSEC_SA_A_SEL], cfg, extack);
		if (err)
			return err;
	}
	err = nfsec_nl_parse_algs(nest, tb, cfg, extack);
	if (!err)
		err = nfsec_nl_parse_seq(tb, cfg, extack);
	if (!err)
		err = nfsec_nl_parse_outer(tb, cfg, extack);
	if (!err)
		err = nfsec_nl_parse_lifetimes(tb, cfg, extack);
	return err;
}

/* The new path of an SA_UPDATE; ENCAP absent means none. */
static int nfsec_nl_parse_path(const struct nlattr *nest,
			       struct nfsec_sa_path *path,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NFSEC_SA_PATH_A_MAX + 1];
	int err;

	memset(path, 0, sizeof(*path));
	err = nla_parse_nested(tb, NFSEC_SA_PATH_A_MAX, nest,
			       nfsec_sa_path_nl_policy, extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, NFSEC_SA_PATH_A_FAMILY) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, NFSEC_SA_PATH_A_SRC) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, NFSEC_SA_PATH_A_DST)) {
		NL_SET_ERR_MSG(extack, "SA_PATH needs FAMILY, SRC and DST");
		return -EINVAL;
	}
	err = nfsec_nl_get_family(tb[NFSEC_SA_PATH_A_FAMILY], &path->family,
				  extack);
	if (!err)
		err = nfsec_nl_get_addr(tb[NFSEC_SA_PATH_A_SRC], path->family,
					&path->saddr, extack);
	if (!err)
		err = nfsec_nl_get_addr(tb[NFSEC_SA_PATH_A_DST], path->family,
					&path->daddr, extack);
	if (!err && tb[NFSEC_SA_PATH_A_ENCAP])
		err = nfsec_nl_parse_encap(tb[NFSEC_SA_PATH_A_ENCAP], path,
					   extack);
	return err;
}

/* The request's NFSEC_A_SA, which must be there, as an SA identity. */
static int nfsec_nl_sa_id_req(struct genl_info *info, unsigned long allow,
			      unsigned long need, struct nfsec_nl_sa_id *id)
{
	struct nlattr *tb[NFSEC_SA_A_MAX + 1];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, NFSEC_A_SA)) {
		NL_SET_ERR_MSG(info->extack, "missing NFSEC_A_SA");
		return -EINVAL;
	}
	err = nfsec_nl_parse_sa_nest(info->attrs[NFSEC_A_SA], tb, allow, need,
				     info->extack);
	if (err)
		return err;
	return nfsec_nl_parse_sa_id(tb, id, info->extack);
}

/* --- building messages ---------------------------------------------------- */

static int nfsec_nl_put_alg(struct sk_buff *skb, int type, const char *name,
			    const u8 *key, u16 keylen, u16 icv_len, bool keys)
{
	struct nlattr *nest;

	if (!name[0])
		return 0;
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, NFSEC_ALG_A_NAME, name) ||
	    (keys && nla_put(skb, NFSEC_ALG_A_KEY, keylen, key)) ||
	    (icv_len && nla_put_u32(skb, NFSEC_ALG_A_ICV_BITS, icv_len * 8))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int nfsec_nl_put_algs(struct sk_buff *skb, const struct nfsec_sa_cfg *c,
			     bool keys)
{
	bool aead = c->aead_name[0];

	if (nfsec_nl_put_alg(skb, NFSEC_SA_A_AEAD, c->aead_name, c->enc_key,
			     c->enc_keylen, c->icv_len, keys) ||
	    (!aead && nfsec_nl_put_alg(skb, NFSEC_SA_A_ENC, c->enc_name,
				       c->enc_key, c->enc_keylen, 0, keys)) ||
	    nfsec_nl_put_alg(skb, NFSEC_SA_A_AUTH, c->auth_name, c->auth_key,
			     c->auth_keylen, c->icv_len, keys))
		return -EMSGSIZE;
	return 0;
}

/* A lifetime nest, with only the limits that are set (all, with @all). */
static int nfsec_nl_put_lifetime(struct sk_buff *skb, int type,
				 const struct nfsec_sa_lifetime *l, bool all)
{
	struct nlattr *nest;

	if (!all && !l->bytes && !l->packets && !l->add_seconds &&
	    !l->use_seconds)
		return 0;
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (((all || l->bytes) &&
	     nla_put_u64_64bit(skb, NFSEC_LIFETIME_A_BYTES, l->bytes,
			       NFSEC_LIFETIME_A_PAD)) ||
	    ((all || l->packets) &&
	     nla_put_u64_64bit(skb, NFSEC_LIFETIME_A_PACKETS, l->packets,
			       NFSEC_LIFETIME_A_PAD)) ||
	    ((all || l->add_seconds) &&
	     nla_put_u64_64bit(skb, NFSEC_LIFETIME_A_ADD_SECONDS,
			       l->add_seconds, NFSEC_LIFETIME_A_PAD)) ||
	    (l->use_seconds &&
	     nla_put_u64_64bit(skb, NFSEC_LIFETIME_A_USE_SECONDS,
			       l->use_seconds, NFSEC_LIFETIME_A_PAD))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int nfsec_nl_put_encap(struct sk_buff *skb, int type,
			      const struct nfsec_sa_path *path)
{
	struct nlattr *nest;

	if (!path->encap_dport)
		return 0;
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u16(skb, NFSEC_ENCAP_A_SPORT, ntohs(path->encap_sport)) ||
	    nla_put_u16(skb, NFSEC_ENCAP_A_DPORT, ntohs(path->encap_dport))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Is [lo, hi] a prefix? Its length in *plen if so. */
static bool nfsec_range_is_prefix(const u8 *lo, const u8 *hi,
				  unsigned int alen, u8 *plen)
{
	unsigned int i, bits = alen * 8;

	for (i = 0; i < bits; i++)
		if (((lo[i / 8] ^ hi[i / 8]) >> (7 - i % 8)) & 1)
			break;
	*plen = i;
	for (; i < bits; i++)
		if (((lo[i / 8] >> (7 - i % 8)) & 1) ||
		    !((hi[i / 8] >> (7 - i % 8)) & 1))
			return false;
	return true;
}

/* One address range of an SA selector, as a policy selector's; ANY: none. */
static void nfsec_sa_sel_addr(const union nfsec_addr *lo,
			      const union nfsec_addr *hi, unsigned int alen,
			      struct nfsec_addr_sel *out, u16 *flags,
			      u16 present, u16 prefix)
{
	memcpy(&out->start, lo, alen);
	memcpy(&out->end, hi, alen);
	if (!nfsec_range_is_prefix((const u8 *)lo, (const u8 *)hi, alen,
				   &out->plen)) {
		*flags |= present;
		return;
	}
	if (out->plen)
		*flags |= present | prefix;
}

static int nfsec_nl_put_sa_sel(struct sk_buff *skb,
			       const struct nfsec_sa_sel *s)
{
	unsigned int alen = nfsec_alen(s->family);
	struct nfsec_sel sel = {};

	if (s->family) {
		nfsec_sa_sel_addr(&s->saddr_lo, &s->saddr_hi, alen, &sel.src,
				  &sel.flags, NFSEC_SEL_F_SRC,
				  NFSEC_SEL_F_SRC_PREFIX);
		nfsec_sa_sel_addr(&s->daddr_lo, &s->daddr_hi, alen, &sel.dst,
				  &sel.flags, NFSEC_SEL_F_DST,
				  NFSEC_SEL_F_DST_PREFIX);
	}
	if (s->proto) {
		sel.proto = s->proto;
		sel.flags |= NFSEC_SEL_F_PROTO;
	}
	if (s->sport_hi) {
		sel.sport_min = s->sport_lo;
		sel.sport_max = s->sport_hi;
		sel.flags |= NFSEC_SEL_F_SPORT;
	}
	if (s->dport_hi) {
		sel.dport_min = s->dport_lo;
		sel.dport_max = s->dport_hi;
		sel.flags |= NFSEC_SEL_F_DPORT;
	}
	if (!sel.flags)
		return 0;
	return nfsec_nl_put_sel(skb, NFSEC_SA_A_SEL, &sel, s->family, NULL);
}

static int nfsec_nl_put_sa_stats(struct sk_buff *skb, const struct nfsec_sa *sa,
				 const struct nfsec_sa_stats *st)
{
	struct nlattr *nest, *drop;
	int i;

	nest = nla_nest_start(skb, NFSEC_SA_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, NFSEC_SA_STATS_A_PACKETS, st->packets,
			      NFSEC_SA_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NFSEC_SA_STATS_A_BYTES, st->bytes,
			      NFSEC_SA_STATS_A_PAD) ||
	    (sa->replay &&
	     nla_put_u64_64bit(skb, NFSEC_SA_STATS_A_REPLAY_TOP,
			       READ_ONCE(sa->replay->top),
			       NFSEC_SA_STATS_A_PAD)))
		goto cancel;
	for (i = 0; i < __NFSEC_SA_DROP_MAX; i++) {
		drop = nla_nest_start(skb, NFSEC_SA_STATS_A_DROP);
		if (!drop ||
		    nla_put_u32(skb, NFSEC_DROP_STATS_A_REASON, i) ||
		    nla_put_u64_64bit(skb, NFSEC_DROP_STATS_A_PACKETS,
				      st->drop[i], NFSEC_DROP_STATS_A_PAD))
			goto cancel;
		nla_nest_end(skb, drop);
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* What the SA used so far: its counters, and seconds since add and use. */
static int nfsec_nl_put_current(struct sk_buff *skb, const struct nfsec_sa *sa,
				const struct nfsec_sa_stats *st)
{
	time64_t now = ktime_get_real_seconds();
	time64_t used = READ_ONCE(sa->use_time);
	struct nfsec_sa_lifetime cur = {
		.bytes = st->bytes,
		.packets = st->packets,
		.add_seconds = max_t(time64_t, now - sa->add_time, 0),
		.use_seconds = used ? max_t(time64_t, now - used, 0) : 0,
	};

	return nfsec_nl_put_lifetime(skb, NFSEC_SA_A_CURRENT, &cur, true);
}

/* What identifies an SA in replies and in EXPIRE events. */
static int nfsec_nl_put_sa_head(struct sk_buff *skb, const struct nfsec_sa *sa,
				const struct nfsec_sa_path *path)
{
	unsigned int alen = nfsec_alen(path->family);

	if (nla_put_u32(skb, NFSEC_SA_A_SPI, be32_to_cpu(sa->spi)) ||
	    nla_put_u8(skb, NFSEC_SA_A_PROTO, sa->proto) ||
	    nla_put_u8(skb, NFSEC_SA_A_DIR, sa->dir) ||
	    nla_put_u16(skb, NFSEC_SA_A_FAMILY, path->family) ||
	    nla_put(skb, NFSEC_SA_A_SRC, alen, &path->saddr) ||
	    nla_put(skb, NFSEC_SA_A_DST, alen, &path->daddr) ||
	    nla_put_u32(skb, NFSEC_SA_A_REQID, sa->reqid))
		return -EMSGSIZE;
	return 0;
}

/* The whole SA; keys only with @keys. */
static int nfsec_nl_put_sa(struct sk_buff *skb, const struct nfsec_sa *sa,
			   const struct nfsec_sa_path *path, bool keys)
{
	const struct nfsec_sa_cfg *c = sa->cfg;
	u32 pmtu = nfsec_sa_pmtu(sa);
	struct nfsec_sa_stats st;
	struct nlattr *nest;

	nfsec_sa_stats_fold(sa, &st);
	nest = nla_nest_start(skb, NFSEC_A_SA);
	if (!nest)
		return -EMSGSIZE;
	if (nfsec_nl_put_sa_head(skb, sa, path) ||
	    nla_put_u8(skb, NFSEC_SA_A_MODE, sa->mode) ||
	    nfsec_nl_put_sa_sel(skb, &sa->sel) ||
	    nfsec_nl_put_algs(skb, c, keys) ||
	    (sa->dir == NFSEC_DIR_IN &&
	     nla_put_u32(skb, NFSEC_SA_A_REPLAY_WINDOW, c->replay_window)) ||
	    (sa->flags && nla_put_u32(skb, NFSEC_SA_A_FLAGS, sa->flags)) ||
	    (sa->mode == NFSEC_MODE_TUNNEL &&
	     nla_put_u8(skb, NFSEC_SA_A_DF, sa->df)) ||
	    ((sa->flags & NFSEC_SA_F_DSCP_SET) &&
	     nla_put_u8(skb, NFSEC_SA_A_DSCP, sa->dscp)) ||
	    nfsec_nl_put_encap(skb, NFSEC_SA_A_ENCAP, path) ||
	    nfsec_nl_put_lifetime(skb, NFSEC_SA_A_LIFETIME_SOFT, &sa->soft,
				  false) ||
	    nfsec_nl_put_lifetime(skb, NFSEC_SA_A_LIFETIME_HARD, &sa->hard,
				  false) ||
	    (sa->tfc_pad && nla_put_u32(skb, NFSEC_SA_A_TFC_PAD, sa->tfc_pad)) ||
	    (READ_ONCE(sa->mtu) &&
	     nla_put_u32(skb, NFSEC_SA_A_MTU, READ_ONCE(sa->mtu))) ||
	    (pmtu && nla_put_u32(skb, NFSEC_SA_A_PMTU, pmtu)) ||
	    (sa->dir == NFSEC_DIR_OUT &&
	     nla_put_u64_64bit(skb, NFSEC_SA_A_SEQ,
			       atomic64_read(&sa->seq.last), NFSEC_SA_A_PAD)) ||
	    nfsec_nl_put_sa_stats(skb, sa, &st) ||
	    nfsec_nl_put_current(skb, sa, &st)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* NFSEC_A_SA { SPI, PROTO, FAMILY, DST }: the reply that names an SA. */
static int nfsec_nl_reply_id(struct genl_info *info, u8 cmd, __be32 spi,
			     u8 proto, u16 family,
			     const union nfsec_addr *daddr)
{
	struct sk_buff *reply;
	struct nlattr *nest;
	void *hdr;

	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &nfsec_genl_family, 0, cmd);
	if (!hdr)
		goto free;
	nest = nla_nest_start(reply, NFSEC_A_SA);
	if (!nest || nla_put_u32(reply, NFSEC_SA_A_SPI, be32_to_cpu(spi)) ||
	    nla_put_u8(reply, NFSEC_SA_A_PROTO, proto) ||
	    nla_put_u16(reply, NFSEC_SA_A_FAMILY, family) ||
	    nla_put(reply, NFSEC_SA_A_DST, nfsec_alen(family), daddr))
		goto free;
	nla_nest_end(reply, nest);
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
free:
	nlmsg_free(reply);
	return -EMSGSIZE;
}

/* --- commands ------------------------------------------------------------ */

int nfsec_nl_sa_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nfsec_net *nn = nfsec_net(genl_info_net(info));
	struct nlattr *attr = info->attrs[NFSEC_A_SA];
	struct nfsec_sa_cfg *cfg;
	struct nfsec_sa *sa;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, NFSEC_A_SA)) {
		NL_SET_ERR_MSG(info->extack, "missing NFSEC_A_SA");
		return -EINVAL;
	}
	/* Too big for the stack, and it holds keys: kfree_sensitive(). */
	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	err = nfsec_nl_parse_sa(attr, cfg, info->extack);
	if (err)
		goto out;
	cfg->owner = info->snd_portid;	/* used with NFSEC_SA_F_OWNED */
	/* ESP in UDP for us arrives on a socket on the SA's local port. */
	if (cfg->dir == NFSEC_DIR_IN && cfg->path.encap_dport) {
		err = nfsec_encap_ensure(nn, cfg->path.family,
					 cfg->path.encap_dport, info->extack);
		if (err)
			goto out;
	}
	sa = nfsec_sa_create(nn->sad, cfg);
	if (IS_ERR(sa)) {
		err = PTR_ERR(sa);
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "the crypto API cannot build this SA's transform");
		goto out;
	}
	err = nfsec_sad_add(nn->sad, sa);
	if (err) {
		nfsec_sa_destroy(sa);
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "an SA with this SPI, DST and PROTO exists");
		goto out;
	}
	/* Packets held for an ACQUIRE of this SA's policies go out now. */
	if (cfg->dir == NFSEC_DIR_OUT)
		nfsec_acquire_release(nn, cfg->reqid);
	err = nfsec_nl_reply_id(info, NFSEC_CMD_SA_NEW, cfg->spi, cfg->proto,
				cfg->path.family, &cfg->path.daddr);
out:
	kfree_sensitive(cfg);
	return err;
}

int nfsec_nl_sa_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nfsec_net *nn = nfsec_net(genl_info_net(info));
	struct nfsec_nl_sa_id id;
	int err;

	err = nfsec_nl_sa_id_req(info, NFSEC_SA_ID_ATTRS, NFSEC_SA_ID_ATTRS,
				 &id);
	if (err)
		return err;
	err = nfsec_sad_del(nn->sad, id.spi, id.family, &id.daddr, id.proto);
	if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NFSEC_A_SA],
				    "no SA with this SPI, DST and PROTO");
	return err;
}

/* A live SA (not an SPI reservation), with a reference, or NULL. */
static struct nfsec_sa *nfsec_nl_sa_find(struct nfsec_sad *sad,
					 const struct nfsec_nl_sa_id *id)
{
	struct nfsec_sa *sa;

	sa = nfsec_sad_lookup(sad, id->spi, id->family, &id->daddr, id->proto);
	if (sa && test_bit(NFSEC_SA_LARVAL, &sa->state)) {
		nfsec_sa_put(sa);
		sa = NULL;
	}
	return sa;
}

int nfsec_nl_sa_update(struct sk_buff *skb, struct genl_info *info)
{
	struct nfsec_net *nn = nfsec_net(genl_info_net(info));
	struct nlattr *pattr = info->attrs[NFSEC_A_SA_PATH];
	struct nfsec_sa_path path;
	struct nfsec_nl_sa_id id;
	struct nfsec_sa *sa;
	u8 mode, dir;
	int err;

	err = nfsec_nl_sa_id_req(info, NFSEC_SA_ID_ATTRS, NFSEC_SA_ID_ATTRS,
				 &id);
	if (err)
		return err;
	if (GENL_REQ_ATTR_CHECK(info, NFSEC_A_SA_PATH)) {
		NL_SET_ERR_MSG(info->extack, "missing NFSEC_A_SA_PATH");
		return -EINVAL;
	}
	err = nfsec_nl_parse_path(pattr, &path, info->extack);
	if (err)
		return err;
	if (id.proto == IPPROTO_AH && path.encap_dport) {
		NL_SET_ERR_MSG_ATTR(info->extack, pattr,
				    "ENCAP is for ESP, not AH");
		return -EINVAL;
	}
	sa = nfsec_nl_sa_find(nn->sad, &id);
	if (!sa) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NFSEC_A_SA],
				    "no SA with this SPI, DST and PROTO");
		return -ESRCH;
	}
	mode = sa->mode;
	dir = sa->dir;
	nfsec_sa_put(sa);
	if (dir == NFSEC_DIR_IN && path.encap_dport) {
		err = nfsec_encap_ensure(nn, path.family, path.encap_dport,
					 info->extack);
		if (err)
			return err;
	}
	/* In transport mode the outer header is the packet's own. */
	if (mode == NFSEC_MODE_TRANSPORT && path.family != id.family) {
		NL_SET_ERR_MSG_ATTR(info->extack, pattr,
				    "a transport-mode SA cannot change FAMILY");
		return -EINVAL;
	}
	err = nfsec_sad_update_path(nn->sad, id.spi, id.family, &id.daddr,
				    id.proto, &path);
	if (err == -EEXIST)
		NL_SET_ERR_MSG_ATTR(info->extack, pattr,
				    "another SA has this SPI, PROTO and new DST");
	else if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NFSEC_A_SA],
				    "no SA with this SPI, DST and PROTO");
	return err;
}

/* SHOW_KEYS: only for CAP_NET_ADMIN, as the writes are. */
static int nfsec_nl_show_keys(const struct sk_buff *skb, struct nlattr **attrs,
			      bool *keys, struct netlink_ext_ack *extack)
{
	*keys = nla_get_flag(attrs[NFSEC_A_SHOW_KEYS]);
	if (*keys && !netlink_capable(skb, CAP_NET_ADMIN)) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[NFSEC_A_SHOW_KEYS],
				    "SHOW_KEYS needs CAP_NET_ADMIN");
		return -EPERM;
	}
	return 0;
}

int nfsec_nl_sa_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nfsec_net *nn = nfsec_net(genl_info_net(info));
	struct nfsec_sa_path path;
	struct nfsec_nl_sa_id id;
	struct sk_buff *reply;
	struct nfsec_sa *sa;
	bool keys;
	void *hdr;
	int err;

	err = nfsec_nl_show_keys(skb, info->attrs, &keys, info->extack);
	if (!err)
		err = nfsec_nl_sa_id_req(info, NFSEC_SA_ID_ATTRS,
					 NFSEC_SA_ID_ATTRS, &id);
	if (err)
		return err;
	sa = nfsec_nl_sa_find(nn->sad, &id);
	if (!sa) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NFSEC_A_SA],
				    "no SA with this SPI, DST and PROTO");
		return -ESRCH;
	}
	rcu_read_lock();
	path = *rcu_dereference(sa->path);
	rcu_read_unlock();
	err = -ENOMEM;
	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		goto put;
	err = -EMSGSIZE;
	hdr = genlmsg_put_reply(reply, info, &nfsec_genl_family, 0,
				NFSEC_CMD_SA_GET);
	if (!hdr || nfsec_nl_put_sa(reply, sa, &path, keys)) {
		nlmsg_free(reply);
		goto put;
	}
	genlmsg_end(reply, hdr);
	err = genlmsg_reply(reply, info);
put:
	nfsec_sa_put(sa);
	return err;
}

/* Dump state, in cb->ctx (zeroed by the netlink core). */
struct nfsec_nl_sa_dump {
	unsigned long pos;	/* entries of sad->all already walked */
	u32 reqid;
	u8 proto;		/* 0: any */
	bool has_reqid;
	bool keys;
	bool started;		/* the filter was parsed */
};

static struct nfsec_nl_sa_dump *nfsec_nl_sa_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct nfsec_nl_sa_dump) > sizeof(cb->ctx));
	return (struct nfsec_nl_sa_dump *)cb->ctx;
}

/*
 * The filter and SHOW_KEYS of a dump, parsed by its first batch rather than
 * by a .start callback: a 6.1 kernel gives .start no extack, and a dump's
 * error reaches userspace, message included, in its NLMSG_DONE.
 */
static int nfsec_nl_sa_dump_filter(struct netlink_callback *cb,
				   struct nfsec_nl_sa_dump *d)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nlattr *attr = info->attrs[NFSEC_A_SA];
	struct nlattr *tb[NFSEC_SA_A_MAX + 1];
	struct nfsec_nl_sa_id id;
	int err;

	d->started = true;
	err = nfsec_nl_show_keys(cb->skb, info->attrs, &d->keys, cb->extack);
	if (err || !attr)
		return err;
	err = nfsec_nl_parse_sa_nest(attr, tb, NFSEC_SA_BIT(PROTO) |
				     NFSEC_SA_BIT(REQID), 0, cb->extack);
	if (!err)
		err = nfsec_nl_parse_sa_id(tb, &id, cb->extack);
	if (err)
		return err;
	d->proto = id.proto;
	d->has_reqid = id.has_reqid;
	d->reqid = id.reqid;
	return 0;
}

static bool nfsec_nl_sa_dump_wants(const struct nfsec_nl_sa_dump *d,
				   const struct nfsec_sa *sa)
{
	return !test_bit(NFSEC_SA_LARVAL, &sa->state) &&
	       (!d->proto || sa->proto == d->proto) &&
	       (!d->has_reqid || sa->reqid == d->reqid);
}

/*
 * The SAD is walked under its mutex, resuming at the position reached by
 * the previous batch; an SAD that changed in between (a new SA, a delete, an
 * expiry) makes the dump NLM_F_DUMP_INTR through the generation.
 */
int nfsec_nl_sa_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nfsec_sad *sad = nfsec_net(sock_net(skb->sk))->sad;
	struct nfsec_nl_sa_dump *d = nfsec_nl_sa_dump_ctx(cb);
	const struct nfsec_sa_path *path;
	unsigned long pos = 0;
	struct nfsec_sa *sa;
	void *hdr;
	int err;

	if (!d->started) {
		err = nfsec_nl_sa_dump_filter(cb, d);
		if (err)
			return err;
	}
	mutex_lock(&sad->lock);
	cb->seq = sad->generation;
	list_for_each_entry(sa, &sad->all, list) {
		if (pos++ < d->pos || !nfsec_nl_sa_dump_wants(d, sa))
			continue;
		path = rcu_dereference_protected(sa->path,
						 lockdep_is_held(&sad->lock));
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &nfsec_genl_family,
				  NLM_F_MULTI, NFSEC_CMD_SA_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (nfsec_nl_put_sa(skb, sa, path, d->keys)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		d->pos = pos;
	}
	mutex_unlock(&sad->lock);
	return skb->len;
}

int nfsec_nl_sa_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct nfsec_net *nn = nfsec_net(genl_info_net(info));
	struct nlattr *attr = info->attrs[NFSEC_A_SA];
	struct nlattr *tb[NFSEC_SA_A_MAX + 1];
	struct nfsec_nl_sa_id id = {};
	int err;

	if (attr) {
		err = nfsec_nl_parse_sa_nest(attr, tb, NFSEC_SA_BIT(PROTO), 0,
					     info->extack);
		if (!err)
			err = nfsec_nl_parse_sa_id(tb, &id, info->extack);
		if (err)
			return err;
	}
	nfsec_sad_flush(nn->sad, id.proto, 0);
	return 0;
}

int nfsec_nl_spi_alloc(struct sk_buff *skb, struct genl_info *info)
{
	struct nfsec_net *nn = nfsec_net(genl_info_net(info));
	struct nlattr *amin = info->attrs[NFSEC_A_SPI_MIN];
	struct nlattr *amax = info->attrs[NFSEC_A_SPI_MAX];
	unsigned long need = NFSEC_SA_BIT(PROTO) | NFSEC_SA_BIT(FAMILY) |
			     NFSEC_SA_BIT(DST);
	struct nfsec_nl_sa_id id;
	u32 min, max;
	__be32 spi;
	int err;

	err = nfsec_nl_sa_id_req(info, need, need, &id);
	if (err)
		return err;
	min = amin ? nla_get_u32(amin) : NFSEC_SPI_ALLOC_MIN;
	max = amax ? nla_get_u32(amax) : NFSEC_SPI_ALLOC_MAX;
	if (min < NFSEC_SPI_ALLOC_MIN) {
		NL_SET_ERR_MSG_ATTR(info->extack, amin,
				    "SPI_MIN below 256: 1 to 255 are reserved by IANA");
		return -EINVAL;
	}
	if (min > max) {
		NL_SET_ERR_MSG_ATTR(info->extack, amax ?: amin,
				    "SPI_MIN is above SPI_MAX");
		return -EINVAL;
	}
	err = nfsec_sad_alloc_spi(nn->sad, id.family, &id.daddr, id.proto,
				  min, max, NFSEC_SPI_RESERVE_SECS, &spi);
	if (err == -ENOSPC) {
		NL_SET_ERR_MSG_ATTR(info->extack, amin,
				    "no free SPI between SPI_MIN and SPI_MAX");
		return err;
	}
	if (err)
		return err;
	return nfsec_nl_reply_id(info, NFSEC_CMD_SPI_ALLOC, spi, id.proto,
				 id.family, &id.daddr);
}

/* --- events -------------------------------------------------------------- */

/*
 * NFSEC_CMD_EXPIRE on the events group. The SAD calls this from its
 * lifetime work, in process context with its mutex held: the path is stable.
 */
void nfsec_genl_sa_expire(struct nfsec_sa *sa, bool hard,
			  enum nfsec_expire_reason reason, void *arg)
{
	struct nfsec_net *nn = arg;
	const struct nfsec_sa_path *path;
	struct nlattr *nest, *sa_nest;
	struct sk_buff *skb;

	skb = nfsec_genl_event_new(nn, NFSEC_CMD_EXPIRE, NFSEC_A_EXPIRE,
				   GFP_KERNEL, &nest);
	if (!skb)
		return;
	path = rcu_dereference_protected(sa->path,
					 lockdep_is_held(&sa->sad->lock));
	sa_nest = nla_nest_start(skb, NFSEC_EXPIRE_A_SA);
	if (!sa_nest || nfsec_nl_put_sa_head(skb, sa, path))
		goto free;
	nla_nest_end(skb, sa_nest);
	if (nla_put_u8(skb, NFSEC_EXPIRE_A_HARD, hard) ||
	    nla_put_u8(skb, NFSEC_EXPIRE_A_REASON, reason))
		goto free;
	nfsec_genl_event_send(nn, skb, nest, GFP_KERNEL);
	return;
free:
	nlmsg_free(skb);
}

/*
 * NFSEC_CMD_MAPPING on the events group: @sa's peer now sends from @saddr,
 * UDP port @sport. From the packet path (softirq or a crypto completion):
 * atomic, the path under RCU.
 */
void nfsec_genl_sa_mapping(struct nfsec_net *nn, struct nfsec_sa *sa,
			   const union nfsec_addr *saddr, __be16 sport)
{
	const struct nfsec_sa_path *path;
	struct nlattr *nest, *sa_nest;
	struct sk_buff *skb;
	unsigned int alen;
	int err;

	skb = nfsec_genl_event_new(nn, NFSEC_CMD_MAPPING, NFSEC_A_MAPPING,
				   GFP_ATOMIC, &nest);
	if (!skb)
		return;
	sa_nest = nla_nest_start(skb, NFSEC_MAPPING_A_SA);
	if (!sa_nest)
		goto free;
	rcu_read_lock();
	path = rcu_dereference(sa->path);
	alen = nfsec_alen(path->family);
	err = nfsec_nl_put_sa_head(skb, sa, path);
	rcu_read_unlock();
	if (err)
		goto free;
	nla_nest_end(skb, sa_nest);
	if (nla_put(skb, NFSEC_MAPPING_A_SRC, alen, saddr) ||
	    nla_put_u16(skb, NFSEC_MAPPING_A_SPORT, ntohs(sport)))
		goto free;
	nfsec_genl_event_send(nn, skb, nest, GFP_ATOMIC);
	return;
free:
	nlmsg_free(skb);
}
