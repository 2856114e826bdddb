/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Neutral Security Association structures shared by ipsecctl and ikev2d:
 * what an SA is (RFC 4301 §4.4.2), independent of where it was written (the
 * command line, an IKE negotiation) and of how it travels (the nfsec_sa_attrs
 * tree of <linux/nfsec.h>).
 *
 * The algorithm table knows the kernel crypto names `ip xfrm` uses and the
 * friendly names ("aes128gcm16", "aes256-sha256"), and checks key and ICV
 * lengths, salt included, before anything reaches the kernel.
 */
#ifndef NFSEC_SA_H
#define NFSEC_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/nfsec.h>

#include "nfsec_policy.h"

struct nl_msg;
struct nlattr;

/* One algorithm of an SA: an AEAD, a cipher, or an integrity algorithm. */
struct nfsec_alg {
	bool present;
	char name[NFSEC_ALG_NAME_MAX];	/* kernel crypto API name */
	uint8_t key[NFSEC_KEY_MAX];	/* salt included (RFC 4106: last 4) */
	uint16_t key_len;
	bool has_key;			/* replies carry keys only if asked */
	bool has_icv;
	uint32_t icv_bits;		/* AEAD tag, or truncated HMAC */
};

/* ESP in UDP (RFC 3948). */
struct nfsec_encap {
	bool present;
	uint16_t sport, dport;
};

/* Lifetime limits (0: none), or what was used so far. */
struct nfsec_lifetime {
	uint64_t bytes, packets, add_seconds, use_seconds;
};

struct nfsec_sa_stats {
	uint64_t packets, bytes, replay_top;
	bool has_replay_top;
	bool has_drop[__NFSEC_SA_DROP_MAX];
	uint64_t drop[__NFSEC_SA_DROP_MAX];
};

struct nfsec_sa {
	bool has_spi;
	uint32_t spi;			/* host byte order */
	uint8_t proto;			/* IPPROTO_ESP or IPPROTO_AH, 0: none */
	bool has_mode;
	uint8_t mode;			/* enum nfsec_mode */
	bool has_dir;
	uint8_t dir;			/* NFSEC_DIR_IN or NFSEC_DIR_OUT */
	uint16_t family;		/* outer; from src/dst when 0 */
	struct nfsec_addr src, dst;	/* family AF_UNSPEC when absent */
	bool has_reqid;
	uint32_t reqid;
	bool has_sel;
	struct nfsec_sel sel;
	struct nfsec_alg aead, enc, auth;
	bool has_replay_window;
	uint32_t replay_window;
	uint32_t flags;			/* enum nfsec_sa_flag */
	bool has_df;
	uint8_t df;			/* enum nfsec_df */
	bool has_dscp;
	uint8_t dscp;			/* with NFSEC_SA_F_DSCP_SET */
	struct nfsec_encap encap;
	bool has_soft, has_hard;
	struct nfsec_lifetime soft, hard;
	bool has_tfc_pad;
	uint32_t tfc_pad;
	bool has_mtu;
	uint32_t mtu;
	/* Replies only. */
	bool has_seq;
	uint64_t seq;
	bool has_stats;
	struct nfsec_sa_stats stats;
	bool has_current;
	struct nfsec_lifetime current;
	uint32_t pmtu;			/* learned from ICMP; 0: none */
};

/* The new path of an SA update: addresses and encapsulation. */
struct nfsec_sa_path {
	uint16_t family;
	struct nfsec_addr src, dst;	/* AF_UNSPEC: unchanged */
	struct nfsec_encap encap;	/* absent: no encapsulation */
};

/* An expire event. */
struct nfsec_expire {
	struct nfsec_sa sa;		/* SPI, PROTO, FAMILY, SRC, DST, DIR, REQID */
	bool hard;
	bool has_reason;
	uint8_t reason;			/* enum nfsec_expire_reason */
};

/* ---- algorithms ---- */

enum nfsec_alg_kind {
	NFSEC_ALG_AEAD,
	NFSEC_ALG_ENC,
	NFSEC_ALG_AUTH,
};

/* A kernel algorithm: its name, kind, and the lengths it accepts. */
struct nfsec_alg_info {
	const char *name;
	enum nfsec_alg_kind kind;
	uint8_t salt;			/* bytes of salt at the end of the key */
	uint8_t key_lens[3];		/* accepted key lengths without salt */
	uint16_t icv_min, icv_max;	/* bits; AEAD: only 64, 96, 128 */
	uint16_t icv_default;		/* RFC 4868 truncation for HMAC */
	bool debug_only;		/* ecb(cipher_null) */
};

/*
 * A friendly name: what it stands for. enc and auth: a combined cipher and
 * integrity algorithm ("aes256-sha256"), whose key is the cipher key
 * followed by the integrity key.
 */
struct nfsec_alg_alias {
	const char *alias;
	const char *name;		/* the AEAD or cipher */
	uint8_t key_bytes;		/* without salt */
	uint16_t icv_bits;
	const char *auth;		/* combined: the integrity algorithm */
	uint16_t auth_trunc;
};

const struct nfsec_alg_info *nfsec_alg_info(const char *kernel_name);
const struct nfsec_alg_alias *nfsec_alg_alias(const char *alias);
/* "rfc4106(gcm(aes)), rfc7539esp(chacha20,poly1305), ..." of one kind. */
void nfsec_alg_list(enum nfsec_alg_kind kind, bool aliases, char *buf,
		    size_t len);

/*
 * Check an algorithm against the table: known name of the right kind, key
 * length (salt included) and ICV. Returns 0, or which part is wrong (so that
 * a command line can blame the right word) with why (a buffer of whylen
 * bytes) saying what.
 */
#define NFSEC_ALG_BAD_NAME	(-1)
#define NFSEC_ALG_BAD_KEY	(-2)
#define NFSEC_ALG_BAD_ICV	(-3)
int nfsec_alg_check(const struct nfsec_alg *a, enum nfsec_alg_kind kind,
		    char *why, size_t whylen);

/* Hex ("0x" optional, even number of digits) into buf; 0 or -1. */
int nfsec_hex_parse(const char *s, uint8_t *buf, size_t max, uint16_t *len);
void nfsec_hex_format(const uint8_t *b, size_t n, char *buf, size_t len);

/* ---- names ---- */

const char *nfsec_sa_proto_name(unsigned int proto);	/* "esp", "ah" */
int nfsec_sa_proto_parse(const char *s);		/* -1 if neither */
const char *nfsec_df_name(unsigned int df);
int nfsec_df_parse(const char *s);
const char *nfsec_sa_drop_reason_name(unsigned int reason);
const char *nfsec_expire_reason_name(unsigned int reason);
/* An SPI in decimal or 0x hex, 1..0xffffffff... 0 is reserved (RFC 4303). */
int nfsec_spi_parse(const char *s, uint32_t *spi);

/* The outer family: explicit, else the addresses'. */
unsigned int nfsec_sa_family(const struct nfsec_sa *sa);

/*
 * What the kernel requires of a new SA, checked early: SPI, protocol,
 * mode, direction, addresses of one family, algorithms that fit the
 * protocol. 0, or -1 with why.
 */
int nfsec_sa_check(const struct nfsec_sa *sa, char *why, size_t whylen);

/* Forget the keys (explicit_bzero). */
void nfsec_sa_wipe(struct nfsec_sa *sa);

/* ---- netlink (libnl) ---- */

/* The whole SA as a nest of nfsec_sa_attrs; 0 or a negative libnl error. */
int nfsec_sa_put(struct nl_msg *msg, int attrtype, const struct nfsec_sa *sa);
/* Only the identity { SPI, PROTO, FAMILY, DST }; SPI left out if !has_spi. */
int nfsec_sa_id_put(struct nl_msg *msg, int attrtype,
		    const struct nfsec_sa *sa);
int nfsec_sa_path_put(struct nl_msg *msg, int attrtype,
		      const struct nfsec_sa_path *path);
/* Decode; 0 or a negative errno. */
int nfsec_sa_parse_nl(const struct nlattr *nest, struct nfsec_sa *sa);
int nfsec_sa_path_parse_nl(const struct nlattr *nest,
			   struct nfsec_sa_path *path);
int nfsec_expire_parse_nl(const struct nlattr *nest, struct nfsec_expire *ex);

#endif /* NFSEC_SA_H */
