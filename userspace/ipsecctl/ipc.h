/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipsecctl's conversation with the kernel: each operation takes and returns
 * the neutral structs of nfsec_policy.h, and fails with the kernel's words
 * (extack) and the attribute they point at. Nothing here prints.
 */
#ifndef IPSECCTL_IPC_H
#define IPSECCTL_IPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nfsec_nl.h"
#include "nfsec_policy.h"
#include "nfsec_sa.h"
#include "parse.h"

struct ipc_err {
	struct nfsec_nl_err nl;
	char where[160];	/* "policy.sel.sport-min"; "" if unknown */
	long policy_index;	/* replace: which policy of the list, or -1 */
};

struct policy_vec {
	struct nfsec_policy *v;
	size_t n, cap;
};

struct lookup_result {
	uint8_t result;		/* enum nfsec_action */
	uint8_t table;		/* enum nfsec_spd_table */
	bool has_policy;
	struct nfsec_policy policy;
};

#define CTL_STATS_MAX_REASON 32

struct ctl_cpu_stats {
	uint32_t cpu;
	uint64_t hits, misses;
};

struct ctl_stats {
	struct {
		bool present;
		uint64_t bypass, discard, protect, nomatch;
	} dir[__NFSEC_DIR_MAX];
	struct {
		bool present;
		uint64_t packets;
	} drop[CTL_STATS_MAX_REASON];
	struct ctl_cpu_stats *cpu;
	size_t ncpu;
	bool has_policies, has_generation, has_acquires, has_suppressed,
	     has_larval;
	uint32_t policies, generation, larval;
	uint64_t acquires, suppressed;
};

/*
 * cmd: the event; a: its contents for NFSEC_CMD_ACQUIRE, x for
 * NFSEC_CMD_EXPIRE, else NULL.
 */
typedef void (*ipc_event_cb)(unsigned int cmd, const struct nfsec_acquire *a,
			     const struct nfsec_expire *x, void *arg);

struct nfsec_nl *ipc_open(struct ipc_err *e);
int ipc_policy_add(struct nfsec_nl *nl, const struct nfsec_policy *p,
		   uint32_t *id, struct ipc_err *e);
int ipc_policy_del(struct nfsec_nl *nl, uint32_t id, struct ipc_err *e);
int ipc_policy_get(struct nfsec_nl *nl, uint32_t id, struct nfsec_policy *p,
		   struct ipc_err *e);
/* dir -1: every direction. */
int ipc_policy_flush(struct nfsec_nl *nl, int dir, struct ipc_err *e);
int ipc_policy_list(struct nfsec_nl *nl, int dir, struct policy_vec *out,
		    struct ipc_err *e);
void policy_vec_free(struct policy_vec *pv);
int ipc_policy_replace(struct nfsec_nl *nl, const struct nfsec_policy *v,
		       size_t n, bool check_only, uint32_t *count,
		       struct ipc_err *e);
int ipc_policy_lookup(struct nfsec_nl *nl, const struct lookup_req *r,
		      struct lookup_result *res, struct ipc_err *e);
int ipc_stats(struct nfsec_nl *nl, struct ctl_stats *s, struct ipc_err *e);
void ctl_stats_free(struct ctl_stats *s);
int ipc_subscribe(struct nfsec_nl *nl, struct ipc_err *e);
/* Receive pending events; -ENOBUFS when some were lost (go on). */
int ipc_recv_events(struct nfsec_nl *nl, ipc_event_cb cb, void *arg,
		    struct ipc_err *e);

/* ---- SAs (ipc_sa.c) ---- */

struct sa_vec {
	struct nfsec_sa *v;
	size_t n, cap;
};

int ipc_sa_add(struct nfsec_nl *nl, const struct nfsec_sa *sa,
	       struct ipc_err *e);
/* id: SPI, PROTO, FAMILY, DST. */
int ipc_sa_del(struct nfsec_nl *nl, const struct nfsec_sa *id,
	       struct ipc_err *e);
int ipc_sa_get(struct nfsec_nl *nl, const struct nfsec_sa *id, bool keys,
	       struct nfsec_sa *sa, struct ipc_err *e);
/* filter: PROTO (0: all) and REQID (has_reqid) */
int ipc_sa_list(struct nfsec_nl *nl, const struct nfsec_sa *filter, bool keys,
		struct sa_vec *out, struct ipc_err *e);
void sa_vec_free(struct sa_vec *sv);
/* proto 0: every SA. */
int ipc_sa_flush(struct nfsec_nl *nl, uint8_t proto, struct ipc_err *e);
int ipc_sa_update(struct nfsec_nl *nl, const struct nfsec_sa *id,
		  const struct nfsec_sa_path *path, struct ipc_err *e);
int ipc_spi_alloc(struct nfsec_nl *nl, const struct spi_alloc_req *r,
		  uint32_t *spi, struct ipc_err *e);

/* ---- for ipc_sa.c ---- */

/* A new request; NULL (e filled) when out of memory. */
struct nl_msg *ipc_new_msg(struct nfsec_nl *nl, uint8_t cmd, int flags,
			   size_t size, struct ipc_err *e);
/* Send msg (freed here), decode the reply with cb, locate any error. */
int ipc_request(struct nfsec_nl *nl, struct nl_msg *msg, nfsec_nl_msg_cb cb,
		void *arg, struct ipc_err *e);
/* The same for a dump. */
int ipc_dump(struct nfsec_nl *nl, struct nl_msg *msg, nfsec_nl_msg_cb cb,
	     nfsec_nl_restart_cb restart, void *arg, struct ipc_err *e);
/* Free msg and report that the request did not fit; -EMSGSIZE. */
int ipc_put_failed(struct nl_msg *msg, struct ipc_err *e);

/*
 * Name the attribute at path[0..depth-1] of a request, "policy.sel.src";
 * sets *policy_index to the list position for a POLICY_LIST member.
 * Exposed for unit tests.
 */
void ipc_attr_path_name(const struct nfsec_nl_attr_step *path, int depth,
			char *buf, size_t len, long *policy_index);

#endif /* IPSECCTL_IPC_H */
