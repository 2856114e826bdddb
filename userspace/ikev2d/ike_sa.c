// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The message layer of an IKE SA: lookup, SK protection, message IDs,
 * retransmission, the reply cache, the task queue and the timers. The
 * exchanges are in exchange_*.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include "cp.h"
#include "exchange.h"
#include "pool.h"
#include "proposal.h"
#include "ts.h"

/* ---- addresses ---- */

bool ike_addr_eq(const ike_sockaddr *a, const ike_sockaddr *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->sin.sin_addr.s_addr == b->sin.sin_addr.s_addr;
	if (a->sa.sa_family == AF_INET6)
		return !memcmp(&a->sin6.sin6_addr, &b->sin6.sin6_addr, 16);
	return false;
}

uint16_t ike_addr_port(const ike_sockaddr *a)
{
	return ntohs(a->sa.sa_family == AF_INET6 ? a->sin6.sin6_port : a->sin.sin_port);
}

void ike_addr_set_port(ike_sockaddr *a, uint16_t port)
{
	if (a->sa.sa_family == AF_INET6)
		a->sin6.sin6_port = htons(port);
	else
		a->sin.sin_port = htons(port);
}

const uint8_t *ike_addr_bytes(const ike_sockaddr *a, size_t *len)
{
	if (a->sa.sa_family == AF_INET6) {
		*len = 16;
		return a->sin6.sin6_addr.s6_addr;
	}
	*len = 4;
	return (const uint8_t *)&a->sin.sin_addr;
}

size_t ike_addr_copy(const ike_sockaddr *a, uint8_t out[16])
{
	size_t len;
	const uint8_t *p = ike_addr_bytes(a, &len);

	memset(out, 0, 16);
	memcpy(out, p, len);
	return len;
}

const char *ike_addr_str(const ike_sockaddr *a, bool with_port, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	size_t alen;
	const uint8_t *p = ike_addr_bytes(a, &alen);

	if (a->sa.sa_family == AF_INET || a->sa.sa_family == AF_INET6)
		inet_ntop(a->sa.sa_family, p, ip, sizeof(ip));
	if (!with_port)
		snprintf(buf, len, "%s", ip);
	else if (a->sa.sa_family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", ip, ike_addr_port(a));
	else
		snprintf(buf, len, "%s:%u", ip, ike_addr_port(a));
	return buf;
}

const char *ike_sa_state_name(enum ike_sa_state s)
{
	static const char *const names[] = {
		[IKE_SA_INIT_SENT] = "CONNECTING", [IKE_SA_INIT_DONE] = "CONNECTING",
		[IKE_SA_AUTH_SENT] = "CONNECTING", [IKE_SA_ESTABLISHED] = "ESTABLISHED",
		[IKE_SA_DELETING] = "DELETING", [IKE_SA_DEAD] = "DELETED",
	};

	return s <= IKE_SA_DEAD ? names[s] : "?";
}

const char *ike_notify_name(uint16_t type)
{
	switch (type) {
	case IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD: return "UNSUPPORTED_CRITICAL_PAYLOAD";
	case IKE_N_INVALID_IKE_SPI: return "INVALID_IKE_SPI";
	case IKE_N_INVALID_SYNTAX: return "INVALID_SYNTAX";
	case IKE_N_INVALID_MESSAGE_ID: return "INVALID_MESSAGE_ID";
	case IKE_N_INVALID_SPI: return "INVALID_SPI";
	case IKE_N_NO_PROPOSAL_CHOSEN: return "NO_PROPOSAL_CHOSEN";
	case IKE_N_INVALID_KE_PAYLOAD: return "INVALID_KE_PAYLOAD";
	case IKE_N_AUTHENTICATION_FAILED: return "AUTHENTICATION_FAILED";
	case IKE_N_SINGLE_PAIR_REQUIRED: return "SINGLE_PAIR_REQUIRED";
	case IKE_N_NO_ADDITIONAL_SAS: return "NO_ADDITIONAL_SAS";
	case IKE_N_INTERNAL_ADDRESS_FAILURE: return "INTERNAL_ADDRESS_FAILURE";
	case IKE_N_FAILED_CP_REQUIRED: return "FAILED_CP_REQUIRED";
	case IKE_N_TS_UNACCEPTABLE: return "TS_UNACCEPTABLE";
	case IKE_N_INVALID_SELECTORS: return "INVALID_SELECTORS";
	case IKE_N_TEMPORARY_FAILURE: return "TEMPORARY_FAILURE";
	case IKE_N_CHILD_SA_NOT_FOUND: return "CHILD_SA_NOT_FOUND";
	case IKE_N_UNACCEPTABLE_ADDRESSES: return "UNACCEPTABLE_ADDRESSES";
	case IKE_N_UNEXPECTED_NAT_DETECTED: return "UNEXPECTED_NAT_DETECTED";
	case IKE_N_COOKIE: return "COOKIE";
	default: return "notify";
	}
}

/* ---- payload helpers ---- */

bool ike_msg_notify(const struct ike_msg *m, uint16_t type, struct ike_notify *out)
{
	struct ike_notify n;

	for (unsigned int i = 0; i < m->n; i++) {
		if (m->pl[i].type != IKE_PL_NOTIFY || ike_parse_notify(m->pl[i].body, &n))
			continue;
		if (n.type == type) {
			if (out)
				*out = n;
			return true;
		}
	}
	return false;
}

uint16_t ike_msg_error(const struct ike_msg *m)
{
	struct ike_notify n;

	for (unsigned int i = 0; i < m->n; i++)
		if (m->pl[i].type == IKE_PL_NOTIFY && !ike_parse_notify(m->pl[i].body, &n) &&
		    n.type < 16384)
			return n.type;
	return 0;
}

void ike_put_notify_simple(struct ike_wbuf *w, uint16_t type, const void *data, size_t len)
{
	struct ike_notify n = { .type = type, .data = IKE_BUF(data, len) };

	ike_put_notify(w, &n);
}

/* ---- the SA table ---- */

void ike_ctx_init(struct ike_ctx *ctx, const struct config *cfg, const struct ike_ops *ops)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->cfg = cfg;
	ctx->ops = *ops;
	RAND_bytes(ctx->cookie_secret, sizeof(ctx->cookie_secret));
	ctx->cookie_threshold = 10;
	ctx->half_open_max = 1000;
	ctx->retx_base_ms = 2000;
	ctx->retx_tries = 5;
	ctx->retx_max_ms = 30000;
	ctx->half_open_timeout_ms = 30000;
	ctx->rekey_retry_ms = 10000;
	ctx->rekeyed_timeout_ms = 30000;
	ctx->frag_limits.max_frags = IKE_FRAG_MAX;
	ctx->frag_limits.max_len = IKE_FRAG_MAX_LEN;
	ctx->frag_limits.timeout_ms = IKE_FRAG_TIMEOUT_MS;
	ctx->next_uid = 1;
	ctx->next_reqid = 1;
}

static void ike_sa_free(struct ike_sa *sa)
{
	struct child_sa *c;

	while ((c = sa->children)) {
		sa->children = c->next;
		if (c->installed && sa->ctx->ops.child_remove)
			sa->ctx->ops.child_remove(sa->ctx->ops.arg, sa, c);
		child_free(c);
	}
	cp_release(sa);
	if (sa->state == IKE_SA_INIT_DONE)
		sa->ctx->half_open--;
	ike_dh_free(sa->dh);
	ike_sa_keys_free(&sa->keys);
	ike_sk_clear(&sa->sk_i);
	ike_sk_clear(&sa->sk_r);
	free(sa->init_req);
	free(sa->init_resp);
	free(sa->req.buf);
	free(sa->resp.buf);
	ike_frag_reset(&sa->frag_req);
	ike_frag_reset(&sa->frag_resp);
	create_rekey_clear(&sa->rk);
	OPENSSL_cleanse(sa, sizeof(*sa));
	free(sa);
}

void ike_ctx_free(struct ike_ctx *ctx)
{
	struct ike_sa *sa;

	while ((sa = ctx->sas)) {
		ctx->sas = sa->next;
		ike_sa_free(sa);
	}
	while (ctx->pools) {
		struct ike_pool *p = ctx->pools;

		ctx->pools = p->next;
		pool_free(p);
		free(p);
	}
	OPENSSL_cleanse(ctx->cookie_secret, sizeof(ctx->cookie_secret));
}

void ike_ctx_reconfigure(struct ike_ctx *ctx, const struct config *cfg)
{
	ctx->cfg = cfg;
	for (struct ike_sa *sa = ctx->sas; sa; sa = sa->next) {
		sa->conn = config_find(cfg, sa->name);
		if (!sa->conn) {
			log_info("%s[%u]: connection removed from the configuration", sa->name,
				 sa->uid);
			ike_sa_kill(sa, "connection removed");
		}
	}
}

struct ike_sa *ike_sa_new(struct ike_ctx *ctx, const struct conf_conn *conn, bool initiator)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->ctx = ctx;
	sa->conn = conn;
	snprintf(sa->name, sizeof(sa->name), "%s", conn->name);
	sa->uid = ctx->next_uid++;
	sa->initiator = initiator;
	sa->orig_initiator = initiator;	/* a rekey's SA: mobike_inherit() */
	sa->created_ms = ctx->now_ms;
	sa->last_recv_ms = ctx->now_ms;
	RAND_bytes(initiator ? sa->spi_i : sa->spi_r, 8);
	sa->next = ctx->sas;
	ctx->sas = sa;
	return sa;
}

void ike_sa_set_state(struct ike_sa *sa, enum ike_sa_state st)
{
	if (sa->state == st)
		return;
	if (sa->state == IKE_SA_INIT_DONE)
		sa->ctx->half_open--;
	if (st == IKE_SA_INIT_DONE)
		sa->ctx->half_open++;
	sa->state = st;
	if (st == IKE_SA_ESTABLISHED) {
		sa->established = time(NULL);
		if (sa->conn)
			sa->rekey_ms = ike_rekey_due(sa->ctx, sa->conn->ike_rekey);
	}
	if (sa->ctx->ops.sa_event)
		sa->ctx->ops.sa_event(sa->ctx->ops.arg, sa);
}

void ike_sa_kill(struct ike_sa *sa, const char *why)
{
	struct child_sa *c;

	if (sa->state == IKE_SA_DEAD)
		return;
	sa_info(sa, "IKE SA deleted (%s)", why);
	while ((c = sa->children)) {
		sa->children = c->next;
		if (c->installed && sa->ctx->ops.child_remove)
			sa->ctx->ops.child_remove(sa->ctx->ops.arg, sa, c);
		child_free(c);
	}
	ike_sa_set_state(sa, IKE_SA_DEAD);
}

void ike_sa_add_child(struct ike_sa *sa, struct child_sa *c)
{
	c->next = sa->children;
	sa->children = c;
}

void ike_sa_remove_child(struct ike_sa *sa, struct child_sa *c)
{
	for (struct child_sa **pp = &sa->children; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			if (c->installed && sa->ctx->ops.child_remove)
				sa->ctx->ops.child_remove(sa->ctx->ops.arg, sa, c);
			child_free(c);
			return;
		}
	}
}

uint64_t ike_rekey_due(const struct ike_ctx *ctx, uint32_t secs)
{
	uint64_t ms = (uint64_t)secs * 1000;
	uint32_t r = 0;

	if (!secs)
		return 0;
	RAND_bytes((uint8_t *)&r, sizeof(r));
	return ctx->now_ms + ms - r % (ms / 10 + 1);
}

int ike_nonce_cmp(struct ike_buf a, struct ike_buf b)
{
	int c = memcmp(a.ptr, b.ptr, a.len < b.len ? a.len : b.len);

	if (c)
		return c;
	return a.len < b.len ? -1 : a.len > b.len;
}

struct child_sa *ike_sa_child_by_spi_out(struct ike_sa *sa, uint32_t spi)
{
	for (struct child_sa *c = sa->children; c; c = c->next)
		if (c->spi_out == spi)
			return c;
	return NULL;
}

struct child_sa *ike_sa_child_by_spi_in(struct ike_sa *sa, uint32_t spi)
{
	for (struct child_sa *c = sa->children; c; c = c->next)
		if (c->spi_in == spi)
			return c;
	return NULL;
}

struct ike_sa *ike_sa_by_child_spi(struct ike_ctx *ctx, uint32_t spi_in, struct child_sa **c)
{
	for (struct ike_sa *sa = ctx->sas; sa; sa = sa->next)
		if (sa->state != IKE_SA_DEAD && (*c = ike_sa_child_by_spi_in(sa, spi_in)))
			return sa;
	return NULL;
}

struct ike_sa *ike_sa_by_reqid(struct ike_ctx *ctx, uint32_t reqid, struct child_sa **c)
{
	for (struct ike_sa *sa = ctx->sas; sa; sa = sa->next) {
		if (sa->state == IKE_SA_DEAD)
			continue;
		for (*c = sa->children; *c; *c = (*c)->next)
			if ((*c)->reqid == reqid)
				return sa;
	}
	return NULL;
}

/* ---- sending ---- */

unsigned int ike_retx_timeout(const struct ike_ctx *ctx, unsigned int try)
{
	uint64_t t = (uint64_t)ctx->retx_base_ms << (try < 20 ? try : 20);

	return t > ctx->retx_max_ms ? ctx->retx_max_ms : (unsigned int)t;
}

static void transmit_to(struct ike_sa *sa, const struct ike_packets *p, ike_sockaddr local,
			ike_sockaddr remote)
{
	size_t off = 0;

	for (unsigned int i = 0; i < p->n && sa->ctx->ops.send; i++) {
		sa->ctx->ops.send(sa->ctx->ops.arg, &local, &remote, p->buf + off, p->lens[i]);
		off += p->lens[i];
	}
}

/* Our request: on the IKE SA's path, or on every path MOBIKE probes. */
static void transmit_request(struct ike_sa *sa)
{
	if (!sa->probing) {
		transmit_to(sa, &sa->req, sa->local, sa->remote);
		return;
	}
	for (size_t i = 0; i < sa->n_paths; i++)
		transmit_to(sa, &sa->req, sa->paths[i].local, sa->paths[i].remote);
}

/* §2.11: a response goes back to where the request came from. */
static void transmit_response(struct ike_sa *sa)
{
	if (sa->rx_remote.sa.sa_family)
		transmit_to(sa, &sa->resp, sa->rx_local, sa->rx_remote);
	else
		transmit_to(sa, &sa->resp, sa->local, sa->remote);
}

static int store(struct ike_packets *dst, const uint8_t *buf, size_t len,
		 const uint16_t *lens, unsigned int n)
{
	uint8_t *p = malloc(len);

	if (!p)
		return -ENOMEM;
	memcpy(p, buf, len);
	free(dst->buf);
	dst->buf = p;
	dst->len = len;
	dst->n = n;
	memcpy(dst->lens, lens, n * sizeof(*lens));
	return 0;
}

/* RFC 7383 §2.5.1: only when both sides support it, never IKE_SA_INIT. */
static size_t frag_room(const struct ike_sa *sa)
{
	bool natt = ike_addr_port(&sa->remote) == IKE_NATT_PORT ||
		    ike_addr_port(&sa->local) == IKE_NATT_PORT;

	if (!sa->frag_peer || !sa->frag_ours || !sa->conn)
		return SIZE_MAX;
	return ike_frag_room(sa->conn->fragment_size, sa->remote.sa.sa_family == AF_INET6, natt);
}

/* Builds header + SK{inner}, or SKF fragments of it when it is too large
 * for the path, into out. */
static int protect(struct ike_sa *sa, uint8_t exchange, bool response, uint32_t mid,
		   struct ike_wbuf *inner, struct ike_packets *out)
{
	static const uint8_t zeros[IKE_MSG_MAX];
	const struct ike_sk *sk = sa->initiator ? &sa->sk_i : &sa->sk_r;
	uint8_t buf[IKE_MSG_MAX], body[IKE_MSG_MAX];
	struct ike_hdr h = { .version = 0x20, .exchange = exchange, .msg_id = mid };
	uint8_t frags[IKE_MSG_MAX + IKE_FRAG_MAX * 128];
	uint16_t lens[IKE_FRAG_MAX];
	size_t blen, room = frag_room(sa);
	struct ike_wbuf w;
	int ptlen, len, n;

	ptlen = ike_wbuf_finish(inner);
	if (ptlen < 0)
		return ptlen;
	memcpy(h.spi_i, sa->spi_i, 8);
	memcpy(h.spi_r, sa->spi_r, 8);
	h.flags = (sa->initiator ? IKE_FLAG_INITIATOR : 0) | (response ? IKE_FLAG_RESPONSE : 0);
	blen = ike_sk_body_len(sk, (size_t)ptlen);
	if (blen <= sizeof(zeros) && IKE_HDR_LEN + IKE_GENERIC_HDR_LEN + blen <= room) {
		ike_wbuf_init(&w, buf, sizeof(buf));
		ike_put_hdr(&w, &h);
		ike_put_sk(&w, inner->first, IKE_BUF(zeros, blen));
		len = ike_wbuf_finish(&w);
		if (len < 0)
			return len;
		if (ike_sk_encrypt(sk, IKE_BUF(buf, len - blen), NULL,
				   IKE_BUF(inner->p, ptlen), body, sizeof(body)))
			return -EIO;
		memcpy(buf + len - blen, body, blen);
		lens[0] = (uint16_t)len;
		return store(out, buf, (size_t)len, lens, 1);
	}
	if (room == SIZE_MAX)
		return -ENOSPC;
	n = ike_frag_build(sk, &h, inner->first, IKE_BUF(inner->p, ptlen), room,
			   sa->ctx->frag_limits.max_frags, frags, sizeof(frags), lens);
	if (n < 0)
		return n;
	sa_debug(sa, "message %u in %d fragments of at most %zu bytes", mid, n, room);
	len = 0;
	for (int i = 0; i < n; i++)
		len += lens[i];
	return store(out, frags, (size_t)len, lens, (unsigned int)n);
}

static int start_request(struct ike_sa *sa, enum ike_req_kind kind, uint32_t mid)
{
	sa->req_kind = kind;
	sa->req_mid = mid;
	sa->req_tries = 1;
	sa->req_next_ms = sa->ctx->now_ms + ike_retx_timeout(sa->ctx, 0);
	transmit_request(sa);
	return 0;
}

void ike_sa_resend(struct ike_sa *sa)
{
	if (sa->req_kind == IKE_REQ_NONE)
		return;
	sa->req_tries = 1;
	sa->req_next_ms = sa->ctx->now_ms + ike_retx_timeout(sa->ctx, 0);
	transmit_request(sa);
}

int ike_sa_send_plain_request(struct ike_sa *sa, const uint8_t *buf, size_t len)
{
	uint16_t l = (uint16_t)len;
	int ret = len <= UINT16_MAX ? store(&sa->req, buf, len, &l, 1) : -EMSGSIZE;

	return ret ? ret : start_request(sa, IKE_REQ_INIT, 0);
}

int ike_sa_send_request(struct ike_sa *sa, enum ike_req_kind kind, uint8_t exchange,
			struct ike_wbuf *inner)
{
	int ret = protect(sa, exchange, false, sa->my_mid, inner, &sa->req);

	if (ret < 0) {
		sa_err(sa, "cannot build request: %s", strerror(-ret));
		return ret;
	}
	sa->my_mid++;
	return start_request(sa, kind, sa->my_mid - 1);
}

static void respond(struct ike_sa *sa, uint32_t mid)
{
	sa->resp_valid = true;
	sa->resp_mid = mid;
	sa->peer_mid = mid + 1;
	transmit_response(sa);
}

int ike_sa_send_plain_response(struct ike_sa *sa, const uint8_t *buf, size_t len)
{
	uint16_t l = (uint16_t)len;
	int ret = len <= UINT16_MAX ? store(&sa->resp, buf, len, &l, 1) : -EMSGSIZE;

	if (ret)
		return ret;
	respond(sa, 0);
	return 0;
}

int ike_sa_send_response(struct ike_sa *sa, uint8_t exchange, uint32_t mid,
			 struct ike_wbuf *inner)
{
	int ret = protect(sa, exchange, true, mid, inner, &sa->resp);

	if (ret < 0) {
		sa_err(sa, "cannot build response: %s", strerror(-ret));
		sa->resp_valid = false;
		sa->peer_mid = mid + 1;
		return ret;
	}
	respond(sa, mid);
	return 0;
}

/* The rekey that is due, if any: the IKE SA's first, then a Child SA's;
 * a replaced Child SA the peer did not delete in time is deleted. */
static void start_rekey(struct ike_sa *sa)
{
	uint64_t now = sa->ctx->now_ms;

	if (sa->rekey_ms && now >= sa->rekey_ms) {
		sa->rekey_ms = now + sa->ctx->rekey_retry_ms;	/* if this one fails */
		create_rekey_ike_start(sa);
		return;
	}
	for (struct child_sa *c = sa->children; c; c = c->next) {
		if (!c->rekey_ms || now < c->rekey_ms)
			continue;
		if (c->rekeyed) {
			sa_info(sa, "replaced Child SA %08x/%08x was not deleted by the peer",
				c->spi_in, c->spi_out);
			ike_sa_delete_child(sa, c);
			return;
		}
		c->rekey_ms = now + sa->ctx->rekey_retry_ms;
		create_rekey_child_start(sa, c);
		return;
	}
}

void ike_sa_kick(struct ike_sa *sa)
{
	if (sa->req_kind != IKE_REQ_NONE)
		return;
	if (sa->state != IKE_SA_ESTABLISHED)
		return;
	if (sa->tasks & IKE_TASK_DELETE_IKE) {
		sa->tasks = 0;
		info_start(sa, IKE_REQ_DELETE_IKE);
	} else if (mobike_kick(sa)) {
		/* MOBIKE first: everything else waits for a working path */
	} else if (sa->tasks & IKE_TASK_DELETE_CHILD) {
		sa->tasks &= ~IKE_TASK_DELETE_CHILD;
		info_start(sa, IKE_REQ_DELETE_CHILD);
	} else if (sa->tasks & IKE_TASK_DPD) {
		sa->tasks &= ~IKE_TASK_DPD;
		info_start(sa, IKE_REQ_DPD);
	} else if (!sa->rekeyed) {
		start_rekey(sa);
	}
}

void ike_sa_rekey_child(struct ike_sa *sa, struct child_sa *c)
{
	if (c->rekeyed || (sa->req_kind == IKE_REQ_REKEY_CHILD && sa->rk.old_spi_in == c->spi_in))
		return;
	c->rekey_ms = sa->ctx->now_ms;
	ike_sa_kick(sa);
}

void ike_sa_rekey(struct ike_sa *sa)
{
	if (sa->rekeyed || sa->req_kind == IKE_REQ_REKEY_IKE)
		return;
	sa->rekey_ms = sa->ctx->now_ms;
	ike_sa_kick(sa);
}

void ike_sa_delete(struct ike_sa *sa)
{
	if (sa->state == IKE_SA_ESTABLISHED) {
		sa->tasks |= IKE_TASK_DELETE_IKE;
		ike_sa_kick(sa);
	} else if (sa->state != IKE_SA_DELETING) {
		ike_sa_kill(sa, "deleted locally before it was established");
	}
}

void ike_sa_delete_child(struct ike_sa *sa, struct child_sa *c)
{
	if (sa->n_del < IKE_MAX_CHILD_DEL) {
		sa->del_spis[sa->n_del++] = c->spi_in;
		sa->tasks |= IKE_TASK_DELETE_CHILD;
	}
	sa_info(sa, "deleting Child SA %08x/%08x", c->spi_in, c->spi_out);
	ike_sa_remove_child(sa, c);
	ike_sa_kick(sa);
}

int ike_terminate(struct ike_ctx *ctx, const char *name)
{
	int n = 0;

	for (struct ike_sa *sa = ctx->sas; sa; sa = sa->next) {
		if (strcmp(sa->name, name) || sa->state == IKE_SA_DEAD ||
		    sa->state == IKE_SA_DELETING)
			continue;
		ike_sa_delete(sa);
		n++;
	}
	return n;
}

/* ---- receiving ---- */

static struct ike_sa *find_sa(struct ike_ctx *ctx, const struct ike_hdr *h)
{
	bool we_initiated = !(h->flags & IKE_FLAG_INITIATOR);

	for (struct ike_sa *sa = ctx->sas; sa; sa = sa->next) {
		if (sa->state == IKE_SA_DEAD || sa->initiator != we_initiated ||
		    memcmp(sa->spi_i, h->spi_i, 8))
			continue;
		if (!memcmp(sa->spi_r, h->spi_r, 8))
			return sa;
	}
	return NULL;
}

/* Decrypts the SK payload and appends the inner payloads to m. */
static int unprotect(struct ike_sa *sa, const uint8_t *buf, struct ike_msg *m,
		     uint8_t *pt, size_t cap)
{
	const struct ike_payload *skp = ike_msg_find(m, IKE_PL_SK);
	const struct ike_sk *sk = sa->initiator ? &sa->sk_r : &sa->sk_i;
	size_t ptlen;
	int ret;

	if (!skp || !sa->keyed)
		return -EBADMSG;
	ret = ike_sk_decrypt(sk, IKE_BUF(buf, (size_t)(skp->body.ptr - buf)), skp->body, pt,
			     cap, &ptlen);
	if (ret)
		return ret;
	return ike_payloads_parse(skp->sk_first, pt, ptlen, m);
}

/*
 * What identifies a request in the reply cache: the SHA-256 of its datagram
 * (of its first fragment). The message ID alone would let anyone who saw
 * the IKE SPIs have the cached response, up to a certificate-sized IKE_AUTH
 * one, sent to an address of their choice for a 28-byte header.
 */
static void request_digest(const uint8_t *buf, size_t len, uint8_t out[IKE_REQ_DIGEST_LEN])
{
	if (!EVP_Digest(buf, len, out, NULL, EVP_sha256(), NULL))
		memset(out, 0, IKE_REQ_DIGEST_LEN);	/* matches no request's */
}

/*
 * An SKF datagram (RFC 7383 §2.6) for message mid, already accepted by
 * the message ID checks: authenticate and keep it. Returns 1 when the
 * message is complete, its inner chain parsed into m (pt holds it), 0 when
 * more fragments are needed or this one was dropped, or IKE_ERR_* from
 * parsing the reassembled chain.
 */
static int take_fragment(struct ike_sa *sa, const uint8_t *buf, size_t dlen, struct ike_msg *m,
			 const struct ike_payload *skp, bool response, uint8_t *pt, size_t cap)
{
	const struct ike_sk *sk = sa->initiator ? &sa->sk_r : &sa->sk_i;
	struct ike_frag_in *st = response ? &sa->frag_resp : &sa->frag_req;
	uint32_t mid = m->hdr.msg_id;
	struct ike_skf f;
	uint8_t first;
	size_t len;
	int ret;

	if (!sa->keyed || !sa->frag_ours) {
		sa_debug(sa, "fragment of message %u, but fragmentation is off: dropped", mid);
		return 0;
	}
	ret = ike_frag_open(sk, buf, skp->body, &f, pt, cap, &len);
	if (ret) {
		sa_debug(sa, "fragment of message %u does not decrypt or parse, dropped", mid);
		return 0;
	}
	sa->last_recv_ms = sa->ctx->now_ms;
	if (!response && f.num == 1)
		request_digest(buf, dlen, sa->frag1_digest);
	ret = ike_frag_add(st, &sa->ctx->frag_limits, mid, &f, skp->sk_first, pt, len,
			   sa->ctx->now_ms);
	if (ret < 0) {
		sa_warn(sa, "fragment %u/%u of message %u dropped: %s", f.num, f.total, mid,
			ike_frag_strstatus(ret));
		return 0;
	}
	if (ret != IKE_FRAG_COMPLETE) {
		sa_debug(sa, "fragment %u/%u of message %u: %s", f.num, f.total, mid,
			 ike_frag_strstatus(ret));
		return 0;
	}
	if (ike_frag_assemble(st, pt, cap, &len, &first))
		return 0;
	sa_debug(sa, "message %u reassembled from %u fragments (%zu bytes)", mid, f.total, len);
	ret = ike_payloads_parse(first, pt, len, m);
	/* authenticated: the request the response will answer */
	if ((!ret || ret == IKE_ERR_UNSUPPORTED_CRITICAL) && !response)
		memcpy(sa->resp_req_digest, sa->frag1_digest, IKE_REQ_DIGEST_LEN);
	return ret ? ret : 1;
}

static bool same_endpoint(const ike_sockaddr *a, const ike_sockaddr *b)
{
	return ike_addr_eq(a, b) && ike_addr_port(a) == ike_addr_port(b);
}

/*
 * An authenticated new message (not a retransmission: those are answered
 * from the reply cache before this; or an ESP packet that passed its SA's
 * checks, nfsec's MAPPING event) came from remote to local. Before
 * IKE_AUTH completes this is how the responder learns that the initiator
 * moved to port 4500. Afterwards, RFC 7296 §2.23: a host that is not behind
 * a NAT follows the peer's NAT mapping changes, and moves the Child SAs
 * with it; a host behind a NAT does not, as a single packet would then be
 * enough to break its SA.
 */
void ike_sa_follow_peer(struct ike_sa *sa, const ike_sockaddr *local, const ike_sockaddr *remote)
{
	ike_sockaddr old_local = sa->local, old_remote = sa->remote;
	char was[64], now[64];

	if (same_endpoint(local, &sa->local) && same_endpoint(remote, &sa->remote))
		return;
	if (sa->state != IKE_SA_ESTABLISHED && sa->state != IKE_SA_DELETING) {
		sa->local = *local;
		sa->remote = *remote;
		return;
	}
	if (sa->mobike && (sa->orig_initiator || !sa->nat_remote)) {
		/* RFC 4555 §3.8: MOBIKE moves with UPDATE_SA_ADDRESSES; only a
		 * responder whose peer is behind a NAT follows its mapping */
		sa_debug(sa, "message from %s: MOBIKE SA, not following it",
			 ike_addr_str(remote, true, now, sizeof(now)));
		return;
	}
	if (sa->nat_local) {
		sa_debug(sa, "message from %s, but we are behind a NAT: not following it",
			 ike_addr_str(remote, true, now, sizeof(now)));
		return;
	}
	if (remote->sa.sa_family != sa->remote.sa.sa_family) {
		sa_debug(sa, "message from another address family ignored for the endpoint");
		return;
	}
	sa->local = *local;
	sa->remote = *remote;
	sa_info(sa, "peer moved from %s to %s (NAT mapping change)",
		ike_addr_str(&old_remote, true, was, sizeof(was)),
		ike_addr_str(remote, true, now, sizeof(now)));
	if (sa->ctx->ops.endpoints_changed)
		sa->ctx->ops.endpoints_changed(sa->ctx->ops.arg, sa, &old_local, &old_remote);
}

static void answer_unsupported_critical(struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_wbuf w;
	uint8_t buf[64], type = m->unsupported_critical;

	sa_warn(sa, "request with unsupported critical payload %u", type);
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_notify_simple(&w, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, &type, 1);
	ike_sa_send_response(sa, m->hdr.exchange, m->hdr.msg_id, &w);
}

static void process_request(struct ike_sa *sa, const struct ike_msg *m)
{
	uint32_t mid = m->hdr.msg_id;

	switch (m->hdr.exchange) {
	case IKE_AUTH:
		if (!sa->initiator && sa->state == IKE_SA_INIT_DONE && mid == 1)
			auth_process_request(sa, m, mid);
		else
			sa_debug(sa, "IKE_AUTH request out of place, dropped");
		break;
	case IKE_INFORMATIONAL:
		if (sa->state == IKE_SA_ESTABLISHED || sa->state == IKE_SA_DELETING)
			info_process_request(sa, m, mid);
		else
			sa_debug(sa, "INFORMATIONAL before IKE_AUTH completed, dropped");
		break;
	case IKE_CREATE_CHILD_SA:
		if (sa->state == IKE_SA_ESTABLISHED)
			create_process_request(sa, m, mid);
		break;
	default:
		sa_debug(sa, "request of unknown exchange %u dropped", m->hdr.exchange);
	}
}

static void process_response(struct ike_sa *sa, const struct ike_msg *m)
{
	enum ike_req_kind kind = sa->req_kind;

	sa->req_kind = IKE_REQ_NONE;
	free(sa->req.buf);
	sa->req.buf = NULL;
	sa->req.n = 0;
	ike_frag_reset(&sa->frag_resp);
	switch (kind) {
	case IKE_REQ_AUTH:
		auth_process_response(sa, m);
		break;
	case IKE_REQ_DELETE_CHILD:
	case IKE_REQ_DELETE_IKE:
	case IKE_REQ_DPD:
		info_process_response(sa, m, kind);
		break;
	case IKE_REQ_REKEY_CHILD:
	case IKE_REQ_REKEY_IKE:
		create_process_response(sa, m, kind);
		break;
	case IKE_REQ_MOBIKE_PROBE:
	case IKE_REQ_MOBIKE_UPDATE:
	case IKE_REQ_MOBIKE_ADDRS:
	case IKE_REQ_MOBIKE_RR:
		mobike_process_response(sa, m, kind);
		break;
	default:
		break;
	}
}

void ike_receive(struct ike_ctx *ctx, const uint8_t *buf, size_t len,
		 const ike_sockaddr *local, const ike_sockaddr *remote)
{
	static const uint8_t zero_spi[8];
	uint8_t pt[IKE_MSG_MAX > 65536 ? IKE_MSG_MAX : 65536];
	char ra[64];
	const struct ike_payload *skf;
	struct ike_msg m;
	struct ike_sa *sa;
	bool response;
	int ret;

	ret = ike_msg_parse(buf, len, &m);
	if (ret && ret != IKE_ERR_UNSUPPORTED_CRITICAL) {
		log_debug("dropped message from %s: %s", ike_addr_str(remote, true, ra, sizeof(ra)),
			  ike_strerror(ret));
		return;
	}
	response = m.hdr.flags & IKE_FLAG_RESPONSE;
	if (m.hdr.exchange == IKE_SA_INIT) {
		if (!response && m.hdr.msg_id == 0 && !memcmp(m.hdr.spi_r, zero_spi, 8) &&
		    (m.hdr.flags & IKE_FLAG_INITIATOR)) {
			init_respond(ctx, &m, buf, len, local, remote);
			return;
		}
		if (!response || m.hdr.msg_id != 0)
			return;
		for (sa = ctx->sas; sa; sa = sa->next)
			if (sa->initiator && sa->state == IKE_SA_INIT_SENT &&
			    !memcmp(sa->spi_i, m.hdr.spi_i, 8))
				break;
		if (!sa || ret)
			return;
		sa->last_recv_ms = ctx->now_ms;
		sa->req_kind = IKE_REQ_NONE;
		init_process_response(sa, &m, buf, len);
		ike_sa_kick(sa);
		return;
	}
	sa = find_sa(ctx, &m.hdr);
	if (!sa) {
		log_debug("message for unknown IKE SA from %s dropped",
			  ike_addr_str(remote, true, ra, sizeof(ra)));
		return;
	}
	skf = ike_msg_find(&m, IKE_PL_SKF);
	if (response) {
		if (sa->req_kind == IKE_REQ_NONE || sa->req_kind == IKE_REQ_INIT ||
		    m.hdr.msg_id != sa->req_mid) {
			sa_debug(sa, "unexpected response %u dropped", m.hdr.msg_id);
			return;
		}
		if (skf && !ret) {
			ret = take_fragment(sa, buf, len, &m, skf, true, pt, sizeof(pt));
			if (ret == 0)
				return;
			if (ret < 0) {
				sa_debug(sa, "reassembled response %u does not parse: %s, dropped",
					 m.hdr.msg_id, ike_strerror(ret));
				return;
			}
		} else if (ret || unprotect(sa, buf, &m, pt, sizeof(pt))) {
			sa_debug(sa, "response %u does not decrypt or parse, dropped", m.hdr.msg_id);
			return;
		}
	} else {
		if (sa->resp_valid && m.hdr.msg_id == sa->resp_mid) {
			uint8_t digest[IKE_REQ_DIGEST_LEN];
			struct ike_skf f;

			/* RFC 7383 §2.6.1: a retransmitted fragmented request is
			 * answered once, on its first fragment */
			if (skf && (ike_parse_skf(skf->body, &f) || f.num != 1))
				return;
			request_digest(buf, len, digest);
			if (CRYPTO_memcmp(digest, sa->resp_req_digest, sizeof(digest))) {
				sa_debug(sa, "request %u is not the one answered, dropped",
					 m.hdr.msg_id);
				return;
			}
			sa_debug(sa, "retransmitted request %u, resending the response",
				 m.hdr.msg_id);
			transmit_to(sa, &sa->resp, *local, *remote);
			return;
		}
		if (m.hdr.msg_id != sa->peer_mid) {
			sa_debug(sa, "request %u outside the window (expect %u), dropped",
				 m.hdr.msg_id, sa->peer_mid);
			return;
		}
		if (ret)	/* critical payload outside SK: nothing we can trust */
			return;
		if (skf) {
			ret = take_fragment(sa, buf, len, &m, skf, false, pt, sizeof(pt));
			if (ret == 0)
				return;
			if (ret == 1)
				ret = 0;
		} else {
			ret = unprotect(sa, buf, &m, pt, sizeof(pt));
			if (!ret || ret == IKE_ERR_UNSUPPORTED_CRITICAL)	/* authenticated */
				request_digest(buf, len, sa->resp_req_digest);
		}
		if (ret == IKE_ERR_UNSUPPORTED_CRITICAL) {
			sa->last_recv_ms = ctx->now_ms;
			answer_unsupported_critical(sa, &m);
			return;
		}
		if (ret) {
			sa_debug(sa, "request %u does not decrypt or parse, dropped", m.hdr.msg_id);
			return;
		}
	}
	sa->last_recv_ms = ctx->now_ms;
	sa->rx_local = *local;
	sa->rx_remote = *remote;
	if (!mobike_message_moves(sa, &m))
		ike_sa_follow_peer(sa, local, remote);
	if (response && sa->probing)
		mobike_path_found(sa, local, remote);
	if (response)
		process_response(sa, &m);
	else
		process_request(sa, &m);
	ike_sa_kick(sa);
}

/* ---- timers ---- */

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* next, or t if it is set, in the future and sooner */
static uint64_t later(uint64_t next, uint64_t now, uint64_t t)
{
	return t > now && t < next ? t : next;
}

/*
 * RFC 3948 §4: behind a NAT, a keepalive every conn->keepalive seconds keeps
 * the NAT's mapping for our UDP port alive when nothing else would. Sent
 * whatever the ESP traffic: ikev2d does not see it. Returns when the next
 * one is due, or UINT64_MAX.
 */
static uint64_t nat_keepalive(struct ike_sa *sa, uint64_t now)
{
	uint64_t every;

	if (!sa->nat_local || !sa->conn || !sa->conn->keepalive || !sa->ctx->ops.keepalive ||
	    sa->rekeyed)
		return UINT64_MAX;
	every = (uint64_t)sa->conn->keepalive * 1000;
	if (!sa->keepalive_ms || sa->keepalive_ms > now + every)
		sa->keepalive_ms = now + every;
	if (now >= sa->keepalive_ms) {
		sa->ctx->ops.keepalive(sa->ctx->ops.arg, &sa->local, &sa->remote);
		sa->keepalive_ms = now + every;
	}
	return sa->keepalive_ms;
}

uint64_t ike_tick(struct ike_ctx *ctx)
{
	uint64_t now = ctx->now_ms, next = UINT64_MAX;

	/* a new cookie secret every 5 minutes; the last one stays valid */
	if (now - ctx->cookie_rotated_ms >= 300000) {
		memcpy(ctx->cookie_secret_old, ctx->cookie_secret, sizeof(ctx->cookie_secret));
		RAND_bytes(ctx->cookie_secret, sizeof(ctx->cookie_secret));
		ctx->cookie_version++;
		ctx->cookie_rotated_ms = now;
	}

	for (struct ike_sa **pp = &ctx->sas; *pp;) {
		struct ike_sa *sa = *pp;

		if (sa->state == IKE_SA_DEAD) {
			*pp = sa->next;
			ike_sa_free(sa);
			continue;
		}
		pp = &sa->next;
		if (ike_frag_expire(&sa->frag_req, &ctx->frag_limits, now) |
		    ike_frag_expire(&sa->frag_resp, &ctx->frag_limits, now))
			sa_info(sa, "incomplete fragmented message dropped after %u ms",
				ctx->frag_limits.timeout_ms);
		if (sa->frag_req.active)
			next = min64(next, sa->frag_req.started_ms + ctx->frag_limits.timeout_ms);
		if (sa->frag_resp.active)
			next = min64(next, sa->frag_resp.started_ms + ctx->frag_limits.timeout_ms);
		if (sa->req_kind != IKE_REQ_NONE && now >= sa->req_next_ms) {
			bool probing = sa->probing;

			/* MOBIKE: the path may be gone rather than the peer */
			if (sa->req_tries >= ctx->retx_tries && !probing)
				ike_sa_mobike_roam(sa, "no response on the current path");
			if (sa->req_tries >= ctx->retx_tries && (probing || !sa->probing)) {
				sa_info(sa, "no response to request %u after %u transmissions",
					sa->req_mid, sa->req_tries);
				ike_sa_kill(sa, sa->req_kind == IKE_REQ_DPD ?
					    "peer is dead" : "peer did not respond");
				continue;
			}
			if (sa->probing == probing) {
				sa_debug(sa, "retransmitting request %u (%u)", sa->req_mid,
					 sa->req_tries);
				transmit_request(sa);
				sa->req_next_ms = now + ike_retx_timeout(ctx, sa->req_tries);
				sa->req_tries++;
			}
		}
		if (sa->req_kind != IKE_REQ_NONE)
			next = min64(next, sa->req_next_ms);
		if (sa->state == IKE_SA_INIT_DONE) {
			uint64_t t = sa->created_ms + ctx->half_open_timeout_ms;

			if (now >= t) {
				ike_sa_kill(sa, "half-open SA timed out");
				continue;
			}
			next = min64(next, t);
		}
		if (sa->state == IKE_SA_ESTABLISHED) {
			/* rekeys due, and the end of an SA the peer replaced */
			if (sa->rekeyed && now >= sa->rekeyed_ms + ctx->rekeyed_timeout_ms &&
			    !(sa->tasks & IKE_TASK_DELETE_IKE)) {
				sa_info(sa, "replaced IKE SA was not deleted by the peer");
				ike_sa_delete(sa);
			}
			ike_sa_kick(sa);
			/* what is due but waits for the request in flight runs
			 * when its response comes or the SA gives up */
			if (sa->rekeyed)
				next = later(next, now, sa->rekeyed_ms + ctx->rekeyed_timeout_ms);
			else
				next = later(next, now, sa->rekey_ms);
			for (struct child_sa *c = sa->children; c; c = c->next)
				next = later(next, now, c->rekey_ms);
			next = min64(next, nat_keepalive(sa, now));
			if (sa->req_kind != IKE_REQ_NONE)
				next = min64(next, sa->req_next_ms);
		}
		if (sa->state == IKE_SA_ESTABLISHED && sa->conn && sa->conn->dpd && !sa->rekeyed) {
			uint64_t t = sa->last_recv_ms + (uint64_t)sa->conn->dpd * 1000;

			if (now >= t && sa->req_kind == IKE_REQ_NONE && !sa->tasks) {
				sa->tasks |= IKE_TASK_DPD;
				ike_sa_kick(sa);
			} else if (now < t) {
				next = min64(next, t);
			}
			if (sa->req_kind != IKE_REQ_NONE)
				next = min64(next, sa->req_next_ms);
		}
	}
	for (struct ike_sa *sa = ctx->sas; sa; sa = sa->next)
		if (sa->state == IKE_SA_DEAD)
			next = now;
	return next;
}

/* ---- list ---- */

static const char *alg_encr(uint16_t encr)
{
	switch (encr) {
	case IKE_ENCR_AES_CBC: return "AES_CBC";
	case IKE_ENCR_AES_GCM_8: return "AES_GCM_8";
	case IKE_ENCR_AES_GCM_12: return "AES_GCM_12";
	case IKE_ENCR_AES_GCM_16: return "AES_GCM_16";
	case IKE_ENCR_CHACHA20_POLY1305: return "CHACHA20_POLY1305";
	default: return "?";
	}
}

static const char *alg_integ(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA1_96: return "HMAC_SHA1_96";
	case IKE_INTEG_HMAC_SHA2_256_128: return "HMAC_SHA2_256_128";
	case IKE_INTEG_HMAC_SHA2_384_192: return "HMAC_SHA2_384_192";
	case IKE_INTEG_HMAC_SHA2_512_256: return "HMAC_SHA2_512_256";
	default: return NULL;
	}
}

static const char *alg_prf(uint16_t prf)
{
	switch (prf) {
	case IKE_PRF_HMAC_SHA1: return "PRF_HMAC_SHA1";
	case IKE_PRF_AES128_XCBC: return "PRF_AES128_XCBC";
	case IKE_PRF_HMAC_SHA2_256: return "PRF_HMAC_SHA2_256";
	case IKE_PRF_HMAC_SHA2_384: return "PRF_HMAC_SHA2_384";
	case IKE_PRF_HMAC_SHA2_512: return "PRF_HMAC_SHA2_512";
	default: return "?";
	}
}

static const char *alg_ke(uint16_t ke)
{
	switch (ke) {
	case IKE_KE_MODP2048: return "MODP_2048";
	case IKE_KE_MODP3072: return "MODP_3072";
	case IKE_KE_ECP256: return "ECP_256";
	case IKE_KE_ECP384: return "ECP_384";
	case IKE_KE_X25519: return "CURVE_25519";
	default: return "?";
	}
}

void ike_list(struct ike_ctx *ctx, FILE *out)
{
	time_t now = time(NULL);

	for (struct ike_sa *sa = ctx->sas; sa; sa = sa->next) {
		char la[64], ra[64], spi_i[17], spi_r[17];

		if (sa->state == IKE_SA_DEAD)
			continue;
		for (int i = 0; i < 8; i++) {
			sprintf(spi_i + 2 * i, "%02x", sa->spi_i[i]);
			sprintf(spi_r + 2 * i, "%02x", sa->spi_r[i]);
		}
		fprintf(out, "ike %s[%u] %s %s local %s remote %s spis %s_i%s %s_r%s",
		       sa->name, sa->uid,
		       sa->rekeyed && sa->state == IKE_SA_ESTABLISHED ? "REKEYED" :
		       ike_sa_state_name(sa->state),
		       sa->initiator ? "initiator" : "responder",
		       ike_addr_str(&sa->local, true, la, sizeof(la)),
		       ike_addr_str(&sa->remote, true, ra, sizeof(ra)),
		       spi_i, sa->initiator ? "*" : "", spi_r, sa->initiator ? "" : "*");
		if (sa->keyed) {
			fprintf(out, " ike %s", alg_encr(sa->encr));
			if (sa->encr_bits)
				fprintf(out, "-%u", sa->encr_bits);
			if (alg_integ(sa->integ))
				fprintf(out, "/%s", alg_integ(sa->integ));
			fprintf(out, "/%s/%s", alg_prf(sa->prf), alg_ke(sa->ke_group));
		}
		if (sa->state == IKE_SA_ESTABLISHED)
			fprintf(out, " established %lds ago", (long)(now - sa->established));
		if (sa->mobike)
			fprintf(out, " mobike");
		for (size_t i = 0; i < sa->n_vips; i++) {	/* CP: the inner addresses */
			char a[INET6_ADDRSTRLEN];

			inet_ntop(sa->vips[i].family, sa->vips[i].addr, a, sizeof(a));
			fprintf(out, "%s%s", i ? "," : " vips ", a);
		}
		fprintf(out, "\n");
		for (struct child_sa *c = sa->children; c; c = c->next) {
			char ts[128];

			fprintf(out, "child %s[%u] %s %s spis %08x_i %08x_o esp %s", sa->name, sa->uid,
			       c->installed ? "INSTALLED" : "NEGOTIATED",
			       c->mode == CONF_MODE_TRANSPORT ? "TRANSPORT" : "TUNNEL",
			       c->spi_in, c->spi_out, alg_encr(c->encr));
			if (c->encr_bits)
				fprintf(out, "-%u", c->encr_bits);
			if (alg_integ(c->integ))
				fprintf(out, "/%s", alg_integ(c->integ));
			fprintf(out, "%s established %lds ago local", c->esn ? "/ESN" : "",
			       (long)(now - c->established));
			for (size_t i = 0; i < c->n_ts_l; i++) {
				ts_format(&c->ts_l[i], ts, sizeof(ts));
				fprintf(out, "%s%s", i ? "," : " ", ts);
			}
			fprintf(out, " remote");
			for (size_t i = 0; i < c->n_ts_r; i++) {
				ts_format(&c->ts_r[i], ts, sizeof(ts));
				fprintf(out, "%s%s", i ? "," : " ", ts);
			}
			fprintf(out, "\n");
		}
	}
}

/* ---- initiating ---- */

static void conf_to_sockaddr(const struct conf_addr *c, int family, uint16_t port,
			     ike_sockaddr *out)
{
	memset(out, 0, sizeof(*out));
	out->sa.sa_family = (sa_family_t)family;
	if (family == AF_INET6) {
		if (c->family)
			memcpy(&out->sin6.sin6_addr, c->addr, 16);
	} else if (c->family) {
		memcpy(&out->sin.sin_addr, c->addr, 4);
	}
	ike_addr_set_port(out, port);
}

struct ike_sa *ike_initiate(struct ike_ctx *ctx, const struct conf_conn *conn,
			    const struct ike_ts *ts_l, size_t n_l,
			    const struct ike_ts *ts_r, size_t n_r)
{
	struct ike_sa *sa;

	if (!conn->remote.family) {
		log_err("%s: cannot initiate: remote is %%any", conn->name);
		return NULL;
	}
	sa = ike_sa_new(ctx, conn, true);
	if (!sa)
		return NULL;
	conf_to_sockaddr(&conn->remote, conn->remote.family, IKE_PORT, &sa->remote);
	conf_to_sockaddr(&conn->local, conn->remote.family, IKE_PORT, &sa->local);
	if (!conn->local.family && ctx->ops.route &&
	    !ctx->ops.route(ctx->ops.arg, &sa->remote, &sa->local))
		ike_addr_set_port(&sa->local, IKE_PORT);
	if (ts_l && n_l <= IKE_MAX_TS && ts_r && n_r <= IKE_MAX_TS) {
		memcpy(sa->want_ts_l, ts_l, n_l * sizeof(*ts_l));
		sa->n_want_ts_l = n_l;
		memcpy(sa->want_ts_r, ts_r, n_r * sizeof(*ts_r));
		sa->n_want_ts_r = n_r;
	}
	if (init_start(sa)) {
		ike_sa_kill(sa, "cannot start IKE_SA_INIT");
		return NULL;
	}
	return sa;
}
