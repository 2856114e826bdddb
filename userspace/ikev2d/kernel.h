/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ikev2d's interface to nfsec: one entry point per operation of the nfsec
 * generic-netlink family (uapi/linux/nfsec.h), over the common client
 * userspace/common/nfsec_nl.c. Neutral structs in, netlink out; every
 * failure comes back as a negative errno and the kernel's extack text in
 * struct nfsec_nl_err. Nothing here knows about IKE SAs.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include "ike_msg.h"
#include "nfsec_nl.h"

struct kernel;

struct kernel_alg {
	const char *name;	/* kernel crypto API name */
	const uint8_t *key;	/* salt included (RFC 4106) */
	size_t key_len;
	uint32_t icv_bits;	/* AEAD tag or truncated HMAC; 0 for ENC */
};

/*
 * The kernel's names for an ESP algorithm pair: aead set for AEAD
 * ciphers (enc and auth unused), else enc and auth. Returns false if
 * nfsec has no name for it.
 */
bool kernel_alg_names(uint16_t encr, uint16_t integ, const char **aead, uint32_t *aead_icv,
		      const char **enc, const char **auth, uint32_t *auth_icv);

struct kernel_sa {
	uint32_t spi;		/* host byte order */
	uint8_t dir;		/* NFSEC_DIR_IN / NFSEC_DIR_OUT */
	uint8_t mode;		/* NFSEC_MODE_* */
	int family;		/* outer */
	uint8_t src[16], dst[16];
	uint32_t reqid;
	bool aead;
	struct kernel_alg enc, auth;	/* aead: enc only */
	bool esn;
	uint32_t replay_window;
	uint16_t encap_sport, encap_dport;	/* 0: no UDP encapsulation */
	uint64_t soft_secs, hard_secs;
};

struct kernel_policy {
	uint8_t dir;
	const struct ike_ts *src, *dst;	/* packet orientation */
	uint8_t mode;
	int tun_family;
	uint8_t tun_src[16], tun_dst[16];	/* tunnel mode */
	uint32_t reqid;
	uint32_t priority;	/* 0: the kernel's default */
};

struct kernel_acquire {
	uint32_t policy_id, reqid;
	struct ike_ts src, dst;	/* what the SA must cover (PFP applied) */
	bool has_tun_dst, has_pkt_dst;
	int family;
	uint8_t tun_dst[16], pkt_dst[16];
};

struct kernel_expire {
	uint32_t spi, reqid;
	uint8_t dir;
	bool hard;
};

/* An inbound ESP-in-UDP SA's peer now sends from src, UDP port sport. */
struct kernel_mapping {
	uint32_t spi;
	int family;
	uint8_t src[16];
	uint16_t sport;
};

struct kernel_event_ops {
	void *arg;
	void (*acquire)(void *arg, const struct kernel_acquire *a);
	void (*expire)(void *arg, const struct kernel_expire *e);
	void (*mapping)(void *arg, const struct kernel_mapping *m);
};

struct kernel *kernel_open(struct nfsec_nl_err *err);
void kernel_close(struct kernel *k);
/* The events socket, for poll(). */
int kernel_event_fd(const struct kernel *k);
int kernel_read_events(struct kernel *k, const struct kernel_event_ops *ops);

/*
 * SAs and policies added here are owned by ikev2d's request socket
 * (NFSEC_SA_F_OWNED, NFSEC_POLICY_F_OWNED): the kernel deletes them when
 * the daemon exits, however it exits, so a restart finds no stale state.
 */
int kernel_spi_alloc(struct kernel *k, int family, const uint8_t *dst, uint32_t *spi,
		     struct nfsec_nl_err *err);
int kernel_sa_add(struct kernel *k, const struct kernel_sa *sa, struct nfsec_nl_err *err);
/* NFSEC_CMD_SA_UPDATE: the SA (spi, family, dst) moves to path's family,
 * src, dst and encapsulation ports; nothing else of path is used. */
int kernel_sa_update(struct kernel *k, uint32_t spi, int family, const uint8_t *dst,
		     const struct kernel_sa *path, struct nfsec_nl_err *err);
int kernel_sa_del(struct kernel *k, uint32_t spi, int family, const uint8_t *dst,
		  struct nfsec_nl_err *err);
int kernel_policy_add(struct kernel *k, const struct kernel_policy *p, uint32_t *id,
		      struct nfsec_nl_err *err);
int kernel_policy_del(struct kernel *k, uint32_t id, struct nfsec_nl_err *err);
/* Every policy of the SPD (restart: the dump starts over, forget what cb
 * collected); any policy, as struct nfsec_policy describes it. */
struct nfsec_policy;
int kernel_policy_dump(struct kernel *k, int (*cb)(void *arg, const struct nfsec_policy *p),
		       void (*restart)(void *arg), void *arg, struct nfsec_nl_err *err);
int kernel_policy_add_full(struct kernel *k, const struct nfsec_policy *p, uint32_t *id,
			   struct nfsec_nl_err *err);

#endif
