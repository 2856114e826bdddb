/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IKE SA state machine (RFC 7296) for both roles, and the table of
 * IKE SAs it runs on.
 *
 * Nothing here touches a socket, a clock or the kernel: datagrams come in
 * through ike_receive(), go out through ops.send, time is ctx->now_ms
 * (set by the caller), and Child SAs are handed to ops.child_install.
 * That is what lets the unit tests run two contexts against each other in
 * memory. The exchanges themselves live in exchange_*.c, one file per
 * exchange as in strongSwan's sa/ikev2/tasks/; this file holds the
 * message layer: message IDs (window size 1), SK protection,
 * retransmission with exponential backoff, the reply cache, the queue of
 * requests we still have to send, and the timers.
 */
#ifndef IKE_SA_H
#define IKE_SA_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include "config.h"
#include "ike_crypto.h"
#include "ike_frag.h"
#include "ike_msg.h"

#define IKE_MSG_MAX 8192	/* the largest message we build */
#define IKE_NONCE_LEN 32
#define IKE_PORT 500
#define IKE_NATT_PORT 4500
#define IKE_MAX_CHILD_DEL 16
#define IKE_MAX_VIPS 2		/* one per family */
#define IKE_MAX_DNS 4
#define IKE_MAX_ADDRS 8		/* MOBIKE: addresses announced either way */
#define IKE_MAX_PATHS 8		/* MOBIKE: address pairs probed */
#define IKE_COOKIE2_LEN 16

/* An address with its UDP port. */
typedef union {
	struct sockaddr sa;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
} ike_sockaddr;

bool ike_addr_eq(const ike_sockaddr *a, const ike_sockaddr *b);	/* address only */
uint16_t ike_addr_port(const ike_sockaddr *a);
void ike_addr_set_port(ike_sockaddr *a, uint16_t port);
/* "192.0.2.1" or "[2001:db8::1]:4500" with with_port */
const char *ike_addr_str(const ike_sockaddr *a, bool with_port, char *buf, size_t len);
/* Address bytes and their length (4 or 16). */
const uint8_t *ike_addr_bytes(const ike_sockaddr *a, size_t *len);
/* Copies the address bytes to out (16 bytes, zero-padded); returns 4 or 16. */
size_t ike_addr_copy(const ike_sockaddr *a, uint8_t out[16]);

enum ike_sa_state {
	IKE_SA_INIT_SENT,	/* initiator: IKE_SA_INIT request out */
	IKE_SA_INIT_DONE,	/* responder: IKE_SA_INIT answered, waiting for IKE_AUTH */
	IKE_SA_AUTH_SENT,	/* initiator: IKE_AUTH request out */
	IKE_SA_ESTABLISHED,
	IKE_SA_DELETING,	/* our Delete is out */
	IKE_SA_DEAD,		/* to be freed by the next ike_tick() */
};

const char *ike_sa_state_name(enum ike_sa_state s);

struct child_sa {
	struct child_sa *next;
	uint32_t reqid;
	uint32_t spi_in, spi_out;	/* host byte order */
	uint16_t encr, encr_bits, integ;
	bool esn;
	enum conf_mode mode;
	struct ike_ts ts_l[IKE_MAX_TS], ts_r[IKE_MAX_TS];
	size_t n_ts_l, n_ts_r;
	/* §2.17 KEYMAT split: encryption (with salt for AEAD) and integrity
	 * keys of the inbound and outbound SA */
	uint8_t ek_in[36], ek_out[36], ak_in[64], ak_out[64];
	size_t ek_len, ak_len;
	bool installed;
	bool rekeyed;		/* replaced by a rekey; deleted at rekey_ms at the latest */
	time_t established;	/* wall clock, for "list" */
	uint64_t rekey_ms;	/* monotonic: when to rekey it (or delete it, rekeyed) */
};

/* Things an established IKE SA still has to ask the peer. */
enum ike_task {
	IKE_TASK_DELETE_CHILD = 1 << 0,
	IKE_TASK_DELETE_IKE = 1 << 1,
	IKE_TASK_DPD = 1 << 2,
	IKE_TASK_MOBIKE_PROBE = 1 << 3,	/* initiator: find a working path */
	IKE_TASK_MOBIKE_UPDATE = 1 << 4,	/* initiator: UPDATE_SA_ADDRESSES */
	IKE_TASK_MOBIKE_ADDRS = 1 << 5,	/* our address set changed: tell the peer */
	IKE_TASK_MOBIKE_RR = 1 << 6,	/* responder: return routability check */
};

/* What the request in flight is. */
enum ike_req_kind {
	IKE_REQ_NONE,
	IKE_REQ_INIT,
	IKE_REQ_AUTH,
	IKE_REQ_DELETE_CHILD,
	IKE_REQ_DELETE_IKE,
	IKE_REQ_DPD,
	IKE_REQ_REKEY_CHILD,
	IKE_REQ_REKEY_IKE,
	IKE_REQ_MOBIKE_PROBE,
	IKE_REQ_MOBIKE_UPDATE,
	IKE_REQ_MOBIKE_ADDRS,
	IKE_REQ_MOBIKE_RR,
};

/*
 * Our CREATE_CHILD_SA rekey in flight (§1.3.2, §1.3.3), and the peer's
 * rekey of the same SA if it crossed ours (§2.8.1): then the exchange with
 * the lowest of the four nonces made the redundant SA.
 */
struct ike_rekey {
	uint32_t old_spi_in;		/* Child rekey: the Child SA replaced */
	uint32_t spi_in;		/* Child rekey: the new one's inbound SPI */
	uint8_t spi[8];			/* IKE rekey: our SPI of the new IKE SA */
	struct ike_dh *dh;		/* IKE rekey, or Child rekey with PFS */
	uint16_t ke_group;
	unsigned int ke_retries;	/* INVALID_KE_PAYLOAD round trips */
	uint8_t ni[IKE_NONCE_LEN];
	bool collision;
	uint8_t peer_nonce[IKE_NONCE_MAX];	/* the lower nonce of the peer's exchange */
	size_t peer_nonce_len;
	unsigned int peer_sa_uid;	/* IKE rekey: the IKE SA the peer's rekey made */
};

struct ike_ctx;
struct ike_pool;

/* One message as sent: a datagram, or its RFC 7383 fragments back to back. */
#define IKE_REQ_DIGEST_LEN 32

struct ike_packets {
	uint8_t *buf;
	size_t len;
	unsigned int n;
	uint16_t lens[IKE_FRAG_MAX];
};

struct ike_sa {
	struct ike_sa *next;
	struct ike_ctx *ctx;
	const struct conf_conn *conn;
	char name[CONF_NAME_MAX];
	unsigned int uid;
	bool initiator;			/* the original initiator */
	enum ike_sa_state state;
	uint8_t spi_i[8], spi_r[8];
	ike_sockaddr local, remote;
	bool nat_local, nat_remote;	/* NAT-D results */
	uint64_t keepalive_ms;		/* next NAT keepalive (behind a NAT), 0: none yet */

	/* IKE_SA_INIT */
	struct ike_dh *dh;
	uint16_t ke_group;
	uint8_t ni[IKE_NONCE_MAX], nr[IKE_NONCE_MAX];
	size_t ni_len, nr_len;
	uint8_t *init_req, *init_resp;	/* for the AUTH payloads */
	size_t init_req_len, init_resp_len;
	uint8_t cookie[64];
	size_t cookie_len;
	unsigned int init_retries;	/* COOKIE / INVALID_KE round trips */
	struct ike_proposal proposal;	/* chosen IKE proposal */
	uint16_t encr, encr_bits, integ, prf;
	struct ike_sa_keys keys;
	struct ike_sk sk_i, sk_r;	/* protect initiator's / responder's messages */
	bool keyed;

	unsigned int peer_sig_hashes;	/* RFC 7427 hashes the peer accepts (IKE_HASH_BIT) */
	bool frag_peer;			/* peer sent IKEV2_FRAGMENTATION_SUPPORTED */
	bool frag_ours;			/* and so did we: RFC 7383 in use */
	struct ike_frag_in frag_req, frag_resp;	/* the peer's fragments being collected */

	/* identities as authenticated */
	uint8_t peer_auth_method;	/* the AUTH method the peer proved itself with */
	uint8_t peer_id_type;
	uint8_t peer_id[CONF_ID_MAX];
	size_t peer_id_len;

	/* the first Child SA, as the initiator asks for it */
	struct ike_ts want_ts_l[IKE_MAX_TS], want_ts_r[IKE_MAX_TS];
	size_t n_want_ts_l, n_want_ts_r;
	uint32_t first_spi_in;

	/* message IDs (§2.3, window size 1 each way) */
	uint32_t my_mid;		/* next request we send */
	uint32_t peer_mid;		/* next request we expect */
	/* our request in flight */
	enum ike_req_kind req_kind;
	struct ike_packets req;
	uint32_t req_mid;
	unsigned int req_tries;
	uint64_t req_next_ms;
	uint32_t req_del_spis[IKE_MAX_CHILD_DEL];
	size_t req_n_del;
	/* the response to the peer's last request (reply cache), and the
	 * SHA-256 of that request (of its first fragment): only the same
	 * message is a retransmission that gets the response again */
	struct ike_packets resp;
	bool resp_valid;
	uint32_t resp_mid;
	uint8_t resp_req_digest[IKE_REQ_DIGEST_LEN];
	uint8_t frag1_digest[IKE_REQ_DIGEST_LEN];	/* of the request being reassembled */

	unsigned int tasks;		/* enum ike_task */
	uint32_t del_spis[IKE_MAX_CHILD_DEL];	/* our inbound SPIs to delete */
	size_t n_del;

	struct child_sa *children;
	uint64_t created_ms, last_recv_ms;
	time_t established;

	struct ike_rekey rk;		/* our rekey in flight */
	uint64_t rekey_ms;		/* IKE SA rekey due (monotonic), 0: never */
	bool rekeyed;			/* replaced by a new IKE SA: only its Delete is left */
	uint64_t rekeyed_ms;
	unsigned int successor_uid;	/* the new IKE SA, which has the Child SAs now */

	/* Configuration payload (cp.c): the inner addresses of the peer (the
	 * gateway's leases) or ours (what the gateway gave us) */
	struct conf_addr vips[IKE_MAX_VIPS];
	size_t n_vips;
	bool vips_leased;		/* gateway: from our pools */
	bool vips_installed;		/* client: on our interface (ops.vip_install) */
	struct conf_addr dns[IKE_MAX_DNS];
	size_t n_dns;

	/* MOBIKE (RFC 4555, exchange_mobike.c) */
	bool mobike;			/* both sent MOBIKE_SUPPORTED */
	bool mobike_peer;		/* the peer did */
	bool orig_initiator;		/* we initiated the first IKE SA of this
					 * line of rekeys: we decide moves (§3.3) */
	ike_sockaddr peer_addrs[IKE_MAX_ADDRS];	/* its ADDITIONAL_IP*_ADDRESS (no port) */
	size_t n_peer_addrs;
	ike_sockaddr my_addrs[IKE_MAX_ADDRS];	/* what we announced last */
	size_t n_my_addrs;
	bool probing;			/* requests go out on every path in paths[] */
	struct ike_path { ike_sockaddr local, remote; } paths[IKE_MAX_PATHS], new_path,
		old_path;		/* probed pairs; where to move; before the move */
	size_t n_paths;
	uint8_t cookie2[IKE_COOKIE2_LEN];	/* in our probe, UPDATE or RR request */
	/* where the message being processed came from and went to: responses
	 * go back there (§2.11), UPDATE_SA_ADDRESSES takes it */
	ike_sockaddr rx_local, rx_remote;
};

/* How the state machine reaches the world; see daemon.c and the tests. */
struct ike_ops {
	void *arg;
	/* Send a datagram from local to remote (ports included). */
	int (*send)(void *arg, const ike_sockaddr *local, const ike_sockaddr *remote,
		    const uint8_t *buf, size_t len);
	/* An inbound SPI for a Child SA under negotiation. */
	int (*spi_alloc)(void *arg, const struct ike_sa *sa, uint32_t *spi);
	/* Install both SAs and the policies; err gets the reason on failure. */
	int (*child_install)(void *arg, const struct ike_sa *sa, const struct child_sa *c,
			     char *err, size_t errlen);
	void (*child_remove)(void *arg, const struct ike_sa *sa, const struct child_sa *c);
	/* Send a NAT keepalive (RFC 3948 §2.3: one 0xff byte, no non-ESP
	 * marker) from local to remote (optional). */
	int (*keepalive)(void *arg, const ike_sockaddr *local, const ike_sockaddr *remote);
	/* The IKE SA's endpoints moved (a NAT mapping change, §2.23, or a
	 * MOBIKE move) from old_local/old_remote to sa->local/sa->remote,
	 * maybe into or out of NAT-T (sa->nat_*): move its installed Child
	 * SAs too, and a client's virtual address routes (optional). */
	void (*endpoints_changed)(void *arg, const struct ike_sa *sa, const ike_sockaddr *old_local,
				  const ike_sockaddr *old_remote);
	/* An IKE SA changed state (optional). */
	void (*sa_event)(void *arg, const struct ike_sa *sa);
	/* The source address for a destination (optional; NAT-D needs it when
	 * the connection leaves local open). */
	int (*route)(void *arg, const ike_sockaddr *remote, ike_sockaddr *local);
	/* Client: put the virtual addresses sa->vips on an interface, with
	 * routes that make them the source towards the peer's side; take them
	 * off again (both optional). */
	int (*vip_install)(void *arg, const struct ike_sa *sa, char *err, size_t errlen);
	void (*vip_remove)(void *arg, const struct ike_sa *sa);
	/* MOBIKE: our usable addresses of a family (no port; optional). */
	size_t (*local_addrs)(void *arg, int family, ike_sockaddr *out, size_t max);
};

struct ike_ctx {
	const struct config *cfg;
	struct ike_ops ops;
	struct ike_sa *sas;
	uint64_t now_ms;		/* monotonic; the caller keeps it current */
	/* stateless cookies (§2.6) */
	uint8_t cookie_secret[32], cookie_secret_old[32];
	uint8_t cookie_version;
	uint64_t cookie_rotated_ms;
	unsigned int half_open;
	unsigned int cookie_threshold;	/* half-open SAs before cookies are asked */
	unsigned int half_open_max;	/* refuse beyond this */
	/* retransmission: base * 2^n, tries transmissions in all */
	unsigned int retx_base_ms, retx_tries, retx_max_ms;
	unsigned int half_open_timeout_ms;
	/* a failed rekey is tried again after rekey_retry_ms; an SA replaced by
	 * the peer's rekey is deleted by us if the peer has not after
	 * rekeyed_timeout_ms */
	unsigned int rekey_retry_ms, rekeyed_timeout_ms;
	struct ike_frag_limits frag_limits;	/* RFC 7383 reassembly */
	unsigned int next_uid;
	uint32_t next_reqid;
	struct ike_pool *pools;		/* address pools with their leases (pool.h) */
};

void ike_ctx_init(struct ike_ctx *ctx, const struct config *cfg, const struct ike_ops *ops);
/* Frees every SA (removing their Child SAs through ops, sending nothing). */
void ike_ctx_free(struct ike_ctx *ctx);
/* Point the SAs at a new configuration; SAs whose connection is gone are
 * deleted. */
void ike_ctx_reconfigure(struct ike_ctx *ctx, const struct config *cfg);

/* A datagram for IKE (the non-ESP marker already stripped). local is the
 * address and port it arrived on. */
void ike_receive(struct ike_ctx *ctx, const uint8_t *buf, size_t len,
		 const ike_sockaddr *local, const ike_sockaddr *remote);
/* An authenticated new packet of the peer's came from remote to local:
 * follow it as RFC 7296 §2.23 says (ike_receive() does this for IKE; the
 * daemon for ESP, on nfsec's MAPPING events). */
void ike_sa_follow_peer(struct ike_sa *sa, const ike_sockaddr *local, const ike_sockaddr *remote);
/* MOBIKE: our addresses or routes changed (the daemon's rtnetlink
 * monitor): the initiator of each MOBIKE SA whose path is gone probes for a
 * new one and moves the SA there; SAs whose address set changed tell the
 * peer (exchange_mobike.c). */
void ike_ctx_addresses_changed(struct ike_ctx *ctx);
/* MOBIKE initiator: the current path failed (or may have); probe. */
void ike_sa_mobike_roam(struct ike_sa *sa, const char *why);
/* Run the timers; returns when it wants to be called next (ms, monotonic). */
uint64_t ike_tick(struct ike_ctx *ctx);

/*
 * Start an IKE SA for a connection, with the first Child SA for the given
 * selectors (NULL/0: the connection's own). local may be NULL: chosen by
 * the connection or left to the socket layer (wildcard).
 */
struct ike_sa *ike_initiate(struct ike_ctx *ctx, const struct conf_conn *conn,
			    const struct ike_ts *ts_l, size_t n_l,
			    const struct ike_ts *ts_r, size_t n_r);
/* Delete (politely, with an INFORMATIONAL) every IKE SA of a connection;
 * returns how many. */
int ike_terminate(struct ike_ctx *ctx, const char *name);
void ike_sa_delete(struct ike_sa *sa);
/* Ask the peer to delete one of our Child SAs and remove it here. */
void ike_sa_delete_child(struct ike_sa *sa, struct child_sa *c);
/* Rekey now (a soft expiry, the control socket); the timers do it at the
 * rekey times of the connection, less up to 10% of jitter. */
void ike_sa_rekey_child(struct ike_sa *sa, struct child_sa *c);
void ike_sa_rekey(struct ike_sa *sa);
/* now + secs, less a random jitter of up to secs/10; 0 for 0 */
uint64_t ike_rekey_due(const struct ike_ctx *ctx, uint32_t secs);
/* §2.8.1 order of nonces: memcmp, a prefix before a longer nonce */
int ike_nonce_cmp(struct ike_buf a, struct ike_buf b);
struct ike_sa *ike_sa_by_child_spi(struct ike_ctx *ctx, uint32_t spi_in, struct child_sa **c);
struct ike_sa *ike_sa_by_reqid(struct ike_ctx *ctx, uint32_t reqid, struct child_sa **c);

/* "list": a human-readable summary of every SA to out, one line each for
 * IKE SAs and Child SAs (a gateway's can be long: ~400 bytes per client). */
void ike_list(struct ike_ctx *ctx, FILE *out);

/* ---- pieces exposed for the unit tests ---- */

/* §2.15: prf(prf(psk, "Key Pad for IKEv2"), msg | nonce | prf(sk_p, id_body)) */
int ike_auth_psk(uint16_t prf, struct ike_buf psk, struct ike_buf sk_p,
		 struct ike_buf real_msg, struct ike_buf nonce, struct ike_buf id_body,
		 uint8_t *out, size_t *out_len);
/* §2.6 cookie: version | SHA-256(Ni | IPi | SPIi | secret) */
size_t ike_cookie_make(const struct ike_ctx *ctx, uint8_t version, struct ike_buf ni,
		       const ike_sockaddr *ipi, const uint8_t spi_i[8], uint8_t *out);
bool ike_cookie_check(const struct ike_ctx *ctx, struct ike_buf cookie, struct ike_buf ni,
		      const ike_sockaddr *ipi, const uint8_t spi_i[8]);
/* §2.23 NAT-D hash: SHA-1(SPIi | SPIr | IP | port) */
int ike_natd_hash(const uint8_t spi_i[8], const uint8_t spi_r[8], const ike_sockaddr *a,
		  uint8_t out[20]);
/* Retransmission timeout before transmission number try (0 = first). */
unsigned int ike_retx_timeout(const struct ike_ctx *ctx, unsigned int try);

#endif
