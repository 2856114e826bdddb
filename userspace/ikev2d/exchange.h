/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal interface between the message layer (ike_sa.c) and the
 * exchanges: IKE_SA_INIT (exchange_init.c), IKE_AUTH (exchange_auth.c),
 * INFORMATIONAL (exchange_info.c), CREATE_CHILD_SA (exchange_create.c)
 * and the Child SA helpers (child_sa.c).
 */
#ifndef EXCHANGE_H
#define EXCHANGE_H

#include "ike_sa.h"
#include "log.h"

/* Log with the SA's name and unique id as prefix. */
#define sa_log(lvl, sa, fmt, ...) \
	log_msg(lvl, "%s[%u]: " fmt, (sa)->name, (sa)->uid, ##__VA_ARGS__)
#define sa_err(sa, ...) sa_log(LOG_LVL_ERR, sa, __VA_ARGS__)
#define sa_warn(sa, ...) sa_log(LOG_LVL_WARN, sa, __VA_ARGS__)
#define sa_info(sa, ...) sa_log(LOG_LVL_INFO, sa, __VA_ARGS__)
#define sa_debug(sa, ...) do { if (log_level >= LOG_LVL_DEBUG) \
	sa_log(LOG_LVL_DEBUG, sa, __VA_ARGS__); } while (0)

/* ---- ike_sa.c: the message layer ---- */
struct ike_sa *ike_sa_new(struct ike_ctx *ctx, const struct conf_conn *conn, bool initiator);
void ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st);
/* Remove the Child SAs and mark the SA for freeing. */
void ike_sa_kill(struct ike_sa *sa, const char *why);
/* Requests: inner is the plain payload chain; sent with the next message ID,
 * kept for retransmission. */
int ike_sa_send_request(struct ike_sa *sa, enum ike_req_kind kind, uint8_t exchange,
			struct ike_wbuf *inner);
/* IKE_SA_INIT request: the whole message (message ID 0). */
int ike_sa_send_plain_request(struct ike_sa *sa, const uint8_t *buf, size_t len);
/* The response to the peer's request mid, cached for retransmissions. */
int ike_sa_send_response(struct ike_sa *sa, uint8_t exchange, uint32_t mid,
			 struct ike_wbuf *inner);
int ike_sa_send_plain_response(struct ike_sa *sa, const uint8_t *buf, size_t len);
/* Transmit the request in flight again now, restarting its retransmission
 * schedule (MOBIKE: on the paths being probed). */
void ike_sa_resend(struct ike_sa *sa);
/* Start the next queued task if no request is in flight. */
void ike_sa_kick(struct ike_sa *sa);
void ike_sa_add_child(struct ike_sa *sa, struct child_sa *c);
void ike_sa_remove_child(struct ike_sa *sa, struct child_sa *c);
struct child_sa *ike_sa_child_by_spi_out(struct ike_sa *sa, uint32_t spi);
struct child_sa *ike_sa_child_by_spi_in(struct ike_sa *sa, uint32_t spi);
/* The notify of a type in a parsed message, if any. */
bool ike_msg_notify(const struct ike_msg *m, uint16_t type, struct ike_notify *out);
/* The first error notify (type < 16384), 0 if none. */
uint16_t ike_msg_error(const struct ike_msg *m);
void ike_put_notify_simple(struct ike_wbuf *w, uint16_t type, const void *data, size_t len);
const char *ike_notify_name(uint16_t type);

/* ---- exchange_init.c ---- */
/* Take the algorithms of a chosen IKE proposal. */
void init_set_algorithms(struct ike_sa *sa, const struct ike_proposal *p);
/* SK_* from SKEYSEED (§2.14, and §2.18 for a rekeyed SA); the SA is keyed. */
int init_derive_keys(struct ike_sa *sa, struct ike_buf skeyseed);
/* Our IKE proposals with KE group group only (0: all); returns how many. */
size_t init_proposals_with_group(const struct conf_conn *conn, uint16_t group,
				 struct ike_proposal *out);
int init_start(struct ike_sa *sa);
/* §2.23 NAT_DETECTION_SOURCE_IP / _DESTINATION_IP for src -> dst; and the
 * peer's in m against sa->local/sa->remote (sets nat_local, nat_remote). */
void init_put_natd(struct ike_wbuf *w, const uint8_t spi_i[8], const uint8_t spi_r[8],
		   const ike_sockaddr *src, const ike_sockaddr *dst);
void init_check_natd(struct ike_sa *sa, const struct ike_msg *m, const uint8_t spi_r[8]);
void init_respond(struct ike_ctx *ctx, const struct ike_msg *m, const uint8_t *buf, size_t len,
		  const ike_sockaddr *local, const ike_sockaddr *remote);
void init_process_response(struct ike_sa *sa, const struct ike_msg *m, const uint8_t *buf,
			   size_t len);

/* ---- exchange_auth.c ---- */
int auth_start(struct ike_sa *sa);
void auth_process_request(struct ike_sa *sa, const struct ike_msg *m, uint32_t mid);
void auth_process_response(struct ike_sa *sa, const struct ike_msg *m);
/* CERTREQ for the CAs of the SA's connection (auth pubkey). */
void auth_put_certreq(const struct ike_sa *sa, struct ike_wbuf *w);

/*
 * Responder side of a Child SA (IKE_AUTH, CREATE_CHILD_SA): selects the ESP
 * proposal, narrows the selectors, derives KEYMAT from ni and nr, and
 * writes SA [Nr [KEr]] TSi TSr (and USE_TRANSPORT_MODE) to w, or the notify
 * saying why not (then NULL). create: a CREATE_CHILD_SA, with Nr and, when
 * the chosen proposal has a KE transform, the peer's KE (PFS).
 */
struct child_sa *child_respond(struct ike_sa *sa, const struct ike_msg *m, struct ike_wbuf *w,
			       struct ike_buf ni, struct ike_buf nr, bool create);

/* ---- exchange_info.c ---- */
int info_start(struct ike_sa *sa, enum ike_req_kind kind);
void info_process_request(struct ike_sa *sa, const struct ike_msg *m, uint32_t mid);
void info_process_response(struct ike_sa *sa, const struct ike_msg *m, enum ike_req_kind kind);

/* ---- exchange_mobike.c (RFC 4555) ---- */
/* IKE_AUTH: MOBIKE_SUPPORTED and our additional addresses (the initiator
 * offers, a responder answers an offer); take the peer's, authenticated. */
void mobike_put_auth(struct ike_sa *sa, struct ike_wbuf *w);
void mobike_take_auth(struct ike_sa *sa, const struct ike_msg *m);
/* An IKE SA made by a rekey keeps the old one's MOBIKE state, the
 * original initiator's role included (strongSwan does the same). */
void mobike_inherit(struct ike_sa *sa, struct ike_sa *old);
/* INFORMATIONAL request of the peer: addresses, UPDATE_SA_ADDRESSES,
 * COOKIE2; adds what the response needs to w. */
void mobike_process_request(struct ike_sa *sa, const struct ike_msg *m, struct ike_wbuf *w);
/* Starts the next MOBIKE request due in sa->tasks; false if none was. */
bool mobike_kick(struct ike_sa *sa);
void mobike_process_response(struct ike_sa *sa, const struct ike_msg *m, enum ike_req_kind kind);
/* A response came in while probing: from remote to local works. */
void mobike_path_found(struct ike_sa *sa, const ike_sockaddr *local, const ike_sockaddr *remote);
/* Whether a message moves the SA by itself (then §2.23 is not followed). */
bool mobike_message_moves(const struct ike_sa *sa, const struct ike_msg *m);

/* ---- exchange_create.c ---- */
void create_process_request(struct ike_sa *sa, const struct ike_msg *m, uint32_t mid);
void create_process_response(struct ike_sa *sa, const struct ike_msg *m, enum ike_req_kind kind);
/* Start rekeying a Child SA / the IKE SA (§1.3.3, §1.3.2). */
int create_rekey_child_start(struct ike_sa *sa, struct child_sa *old);
int create_rekey_ike_start(struct ike_sa *sa);
/* Forget our rekey in flight (§2.8.1 collision state included). */
void create_rekey_clear(struct ike_rekey *rk);

/* ---- child_sa.c ---- */
/* The ESP proposals of a connection, with spi as their SPI; without their
 * KE transforms unless with_ke (IKE_AUTH carries no KE, CREATE_CHILD_SA
 * does for PFS). */
size_t child_proposals(const struct conf_conn *conn, uint32_t spi, bool with_ke,
		       struct ike_proposal *out, size_t max);
/* An inbound SPI from the kernel, or a random one. */
uint32_t child_new_spi(struct ike_sa *sa);
/* Take the algorithms of a chosen ESP proposal. */
int child_set_proposal(struct child_sa *c, const struct ike_proposal *p);
/* §2.17 KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr); split in and out. */
int child_derive_keys(const struct ike_sa *sa, struct child_sa *c, struct ike_buf gir,
		      struct ike_buf ni, struct ike_buf nr);
/* The selectors for our side / the peer's side when the configuration has
 * none: the addresses of the IKE SA. */
size_t child_default_ts(const ike_sockaddr *a, struct ike_ts *out);
size_t child_conf_ts(const struct ike_sa *sa, bool local, struct ike_ts *out);
/* Install into the kernel through ops; on failure log the reason and queue
 * a Delete for it towards the peer. Adds c to the SA either way. */
void child_install(struct ike_sa *sa, struct child_sa *c);
void child_free(struct child_sa *c);
uint32_t child_random_spi(void);

#endif
