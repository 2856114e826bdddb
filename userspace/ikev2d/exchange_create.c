// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CREATE_CHILD_SA (RFC 7296 §1.3) in both roles: rekeying a Child SA
 * (REKEY_SA, §1.3.3) with PFS when the ESP proposals carry a KE group,
 * new Child SAs from the peer (§1.3.1), and rekeying the IKE SA (§1.3.2,
 * keys of §2.18, the Child SAs move to the new IKE SA).
 *
 * Who deletes what (§2.8): the initiator of a rekey deletes the SA it
 * replaced once the new one is installed. Simultaneous rekeys of the same
 * SA (§2.8.1): each side answers the other's request and remembers the
 * lower nonce of that exchange; when its own exchange completes, the one
 * of the two exchanges that holds the lowest of the four nonces made the
 * redundant SA, and its initiator deletes it; the other initiator deletes
 * the old SA. The new SA of the winning exchange is installed on both
 * sides before anything is deleted, so no traffic is lost.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include "cp.h"
#include "exchange.h"
#include "proposal.h"
#include "ts.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static struct ike_buf lower(struct ike_buf a, struct ike_buf b)
{
	return ike_nonce_cmp(a, b) <= 0 ? a : b;
}

void create_rekey_clear(struct ike_rekey *rk)
{
	ike_dh_free(rk->dh);
	OPENSSL_cleanse(rk, sizeof(*rk));
}

/* §2.8.1: the peer's rekey of the same SA crossed ours; remember the lower
 * nonce of its exchange. */
static void note_collision(struct ike_sa *sa, struct ike_buf ni, struct ike_buf nr)
{
	struct ike_buf low = lower(ni, nr);

	sa->rk.collision = true;
	memcpy(sa->rk.peer_nonce, low.ptr, low.len);
	sa->rk.peer_nonce_len = low.len;
}

/* True when our exchange (our ni, the peer's nr) holds the lowest of the
 * four nonces: it made the redundant SA. */
static bool lost_collision(const struct ike_sa *sa, struct ike_buf nr)
{
	struct ike_buf ours = lower(IKE_BUF(sa->rk.ni, sizeof(sa->rk.ni)), nr);

	return ike_nonce_cmp(ours, IKE_BUF(sa->rk.peer_nonce, sa->rk.peer_nonce_len)) < 0;
}

static struct ike_sa *sa_by_uid(struct ike_ctx *ctx, unsigned int uid)
{
	for (struct ike_sa *sa = ctx->sas; sa; sa = sa->next)
		if (sa->uid == uid && sa->state == IKE_SA_ESTABLISHED)
			return sa;
	return NULL;
}

/* The KE group for a rekey: the current one if a proposal has it, else
 * the first proposal's. */
static uint16_t pick_group(const struct ike_proposal *props, size_t n, uint16_t current)
{
	const struct ike_transform *t;

	for (size_t i = 0; i < n; i++)
		for (unsigned int j = 0; j < props[i].n; j++)
			if (props[i].xf[j].type == IKE_TRANS_KE && props[i].xf[j].id == current)
				return current;
	t = n ? proposal_get(&props[0], IKE_TRANS_KE) : NULL;
	return t ? t->id : IKE_KE_NONE;
}

static bool offers_group(const struct ike_proposal *props, size_t n, uint16_t group)
{
	for (size_t i = 0; i < n; i++)
		for (unsigned int j = 0; j < props[i].n; j++)
			if (props[i].xf[j].type == IKE_TRANS_KE && props[i].xf[j].id == group)
				return true;
	return false;
}

/* A fresh key pair in rk and its KE payload. */
static int put_ke(struct ike_sa *sa, struct ike_wbuf *w, uint16_t group)
{
	uint8_t data[IKE_KE_MAX];
	struct ike_ke ke = { .group = group };
	size_t len;

	ike_dh_free(sa->rk.dh);
	sa->rk.dh = ike_dh_new(group);
	if (!sa->rk.dh || ike_dh_public(sa->rk.dh, data, sizeof(data), &len)) {
		sa_err(sa, "cannot create a key pair for KE group %u", group);
		return -ENOTSUP;
	}
	sa->rk.ke_group = group;
	ke.data = IKE_BUF(data, len);
	ike_put_ke(w, &ke);
	return 0;
}

/* g^ir from the peer's KE payload in m, of the group of rk. */
static int shared_secret(struct ike_sa *sa, const struct ike_msg *m, uint8_t *gir, size_t *len)
{
	const struct ike_payload *p = ike_msg_find(m, IKE_PL_KE);
	struct ike_ke ke;

	if (!sa->rk.dh || !p || ike_parse_ke(p->body, &ke) || ke.group != sa->rk.ke_group)
		return -EBADMSG;
	return ike_dh_shared(sa->rk.dh, ke.data, gir, IKE_KE_MAX, len);
}

/* ---- Child SA rekey, initiator ---- */

int create_rekey_child_start(struct ike_sa *sa, struct child_sa *old)
{
	const struct conf_conn *conn = sa->conn;
	struct ike_proposal props[CONF_MAX_PROPOSALS];
	struct ike_ts_payload tsi = { 0 }, tsr = { 0 };
	uint8_t buf[IKE_MSG_MAX], spi[4];
	struct ike_notify n = { .protocol = IKE_PROTO_ESP, .spi_size = 4,
				.type = IKE_N_REKEY_SA };
	struct ike_sa_payload sap = { 0 };
	unsigned int ke_retries = sa->rk.ke_retries;
	uint16_t group = sa->rk.ke_group;
	struct ike_wbuf w;
	size_t n_props;

	create_rekey_clear(&sa->rk);
	sa->rk.ke_retries = ke_retries;
	sa->rk.old_spi_in = old->spi_in;
	sa->rk.spi_in = child_new_spi(sa);
	RAND_bytes(sa->rk.ni, sizeof(sa->rk.ni));
	n_props = child_proposals(conn, sa->rk.spi_in, true, props, CONF_MAX_PROPOSALS);
	if (!group)
		group = pick_group(props, n_props, IKE_KE_NONE);

	ike_wbuf_init(&w, buf, sizeof(buf));
	put32(spi, old->spi_in);
	n.spi = IKE_BUF(spi, 4);
	ike_put_notify(&w, &n);
	if (old->mode == CONF_MODE_TRANSPORT)
		ike_put_notify_simple(&w, IKE_N_USE_TRANSPORT_MODE, NULL, 0);
	sap.n = (unsigned int)n_props;
	memcpy(sap.prop, props, n_props * sizeof(props[0]));
	ike_put_sa(&w, &sap);
	ike_put_nonce(&w, IKE_BUF(sa->rk.ni, sizeof(sa->rk.ni)));
	if (group != IKE_KE_NONE && put_ke(sa, &w, group))
		return -ENOTSUP;
	tsi.n = (unsigned int)old->n_ts_l;
	memcpy(tsi.ts, old->ts_l, old->n_ts_l * sizeof(old->ts_l[0]));
	tsr.n = (unsigned int)old->n_ts_r;
	memcpy(tsr.ts, old->ts_r, old->n_ts_r * sizeof(old->ts_r[0]));
	ike_put_ts(&w, IKE_PL_TSI, &tsi);
	ike_put_ts(&w, IKE_PL_TSR, &tsr);
	sa_info(sa, "rekeying Child SA %08x/%08x%s", old->spi_in, old->spi_out,
		group != IKE_KE_NONE ? " with PFS" : "");
	return ike_sa_send_request(sa, IKE_REQ_REKEY_CHILD, IKE_CREATE_CHILD_SA, &w);
}

/* Does the response's Child SA fit what we asked for? Fills c. */
static int take_child(struct ike_sa *sa, const struct ike_msg *m, const struct child_sa *old,
		      struct child_sa *c, bool *pfs)
{
	const struct ike_payload *p_sa = ike_msg_find(m, IKE_PL_SA);
	const struct ike_payload *p_tsi = ike_msg_find(m, IKE_PL_TSI);
	const struct ike_payload *p_tsr = ike_msg_find(m, IKE_PL_TSR);
	struct ike_proposal props[CONF_MAX_PROPOSALS], chosen;
	struct ike_ts conf_l[IKE_MAX_TS], conf_r[IKE_MAX_TS];
	static struct ike_ts_payload tsi, tsr;
	const struct ike_transform *group;
	struct ike_sa_payload offered;
	size_t n_props;

	n_props = child_proposals(sa->conn, sa->rk.spi_in, true, props, CONF_MAX_PROPOSALS);
	if (!p_sa || !p_tsi || !p_tsr || ike_parse_sa(p_sa->body, &offered) || offered.n != 1 ||
	    proposal_select(props, n_props, &offered, &chosen) || chosen.spi_size != 4 ||
	    ike_parse_ts(p_tsi->body, &tsi) || ike_parse_ts(p_tsr->body, &tsr) ||
	    !tsi.n || !tsr.n || tsi.n > IKE_MAX_TS || tsr.n > IKE_MAX_TS)
		return -EBADMSG;
	/* the peer may narrow what we asked for, never widen it */
	if (old ? !ts_all_within(tsi.ts, tsi.n, old->ts_l, old->n_ts_l) ||
		  !ts_all_within(tsr.ts, tsr.n, old->ts_r, old->n_ts_r) :
		  !ts_all_within(tsi.ts, tsi.n, conf_l, child_conf_ts(sa, true, conf_l)) ||
		  !ts_all_within(tsr.ts, tsr.n, conf_r, child_conf_ts(sa, false, conf_r))) {
		sa_warn(sa, "peer widened the traffic selectors of the rekeyed Child SA");
		return -EBADMSG;
	}
	group = proposal_get(&chosen, IKE_TRANS_KE);
	*pfs = group && group->id != IKE_KE_NONE;
	if (*pfs && group->id != sa->rk.ke_group)
		return -EBADMSG;
	c->spi_in = sa->rk.spi_in;
	c->spi_out = get32(chosen.spi);
	child_set_proposal(c, &chosen);
	memcpy(c->ts_l, tsi.ts, tsi.n * sizeof(tsi.ts[0]));
	c->n_ts_l = tsi.n;
	memcpy(c->ts_r, tsr.ts, tsr.n * sizeof(tsr.ts[0]));
	c->n_ts_r = tsr.n;
	c->mode = old && old->mode == CONF_MODE_TRANSPORT &&
		  ike_msg_notify(m, IKE_N_USE_TRANSPORT_MODE, NULL) ?
		  CONF_MODE_TRANSPORT : CONF_MODE_TUNNEL;
	return 0;
}

static void move_children(struct ike_sa *from, struct ike_sa *to)
{
	while (from->children) {
		struct child_sa *c = from->children;

		from->children = c->next;
		ike_sa_add_child(to, c);
	}
	cp_move(from, to);
	from->rekeyed = true;
	from->rekeyed_ms = from->ctx->now_ms;
	from->successor_uid = to->uid;
}

/* An error notify answered our rekey. */
static void rekey_refused(struct ike_sa *sa, const struct ike_msg *m, enum ike_req_kind kind,
			  uint16_t err)
{
	struct ike_notify n;

	if (err == IKE_N_INVALID_KE_PAYLOAD && ike_msg_notify(m, err, &n) && n.data.len == 2 &&
	    !sa->rk.ke_retries) {
		struct ike_proposal props[CONF_MAX_PROPOSALS];
		uint16_t group = (uint16_t)(n.data.ptr[0] << 8 | n.data.ptr[1]);
		size_t np = kind == IKE_REQ_REKEY_IKE ?
			    init_proposals_with_group(sa->conn, 0, props) :
			    child_proposals(sa->conn, 0, true, props, CONF_MAX_PROPOSALS);

		if (group != sa->rk.ke_group && offers_group(props, np, group) &&
		    ike_dh_supported(group)) {
			struct child_sa *old = ike_sa_child_by_spi_in(sa, sa->rk.old_spi_in);

			sa_info(sa, "INVALID_KE_PAYLOAD: rekeying again with KE group %u", group);
			sa->rk.ke_retries = 1;
			sa->rk.ke_group = group;
			if (kind == IKE_REQ_REKEY_IKE)
				create_rekey_ike_start(sa);
			else if (old)
				create_rekey_child_start(sa, old);
			return;
		}
	}
	sa_warn(sa, "%s rekey refused: peer says %s (%u)",
		kind == IKE_REQ_REKEY_IKE ? "IKE SA" : "Child SA", ike_notify_name(err), err);
	if (sa->rk.collision && kind == IKE_REQ_REKEY_IKE) {
		/* §2.8.1: ours failed, the peer's stands */
		struct ike_sa *peer_new = sa_by_uid(sa->ctx, sa->rk.peer_sa_uid);

		if (peer_new)
			move_children(sa, peer_new);
	}
	/* else: tried again after rekey_retry_ms (ike_sa.c) */
	create_rekey_clear(&sa->rk);
}

/* The peer installed a Child SA we cannot take: have it deleted there. */
static void delete_unusable(struct ike_sa *sa, uint32_t spi_in)
{
	if (sa->n_del < IKE_MAX_CHILD_DEL) {
		sa->del_spis[sa->n_del++] = spi_in;
		sa->tasks |= IKE_TASK_DELETE_CHILD;
	}
}

/* Where the Child SAs of an exchange on sa live: in the new IKE SA when
 * sa was rekeyed meanwhile (§2.18), else in sa. */
static struct ike_sa *child_home(struct ike_sa *sa)
{
	struct ike_sa *next = sa->rekeyed ? sa_by_uid(sa->ctx, sa->successor_uid) : NULL;

	return next ? next : sa;
}

static void rekey_child_done(struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_sa *home = child_home(sa);
	struct child_sa *old = ike_sa_child_by_spi_in(home, sa->rk.old_spi_in), *c;
	const struct ike_payload *p_nonce = ike_msg_find(m, IKE_PL_NONCE);
	uint8_t gir[IKE_KE_MAX];
	struct ike_buf nr;
	size_t gir_len = 0;
	bool pfs = false;
	int ret;

	c = calloc(1, sizeof(*c));
	if (!c)
		return;
	ret = !p_nonce || ike_parse_nonce(p_nonce->body, &nr) ? -EBADMSG :
	      take_child(sa, m, old, c, &pfs);
	if (!ret && pfs)
		ret = shared_secret(sa, m, gir, &gir_len);
	if (!ret)
		ret = child_derive_keys(sa, c, IKE_BUF(gir, gir_len),
					IKE_BUF(sa->rk.ni, sizeof(sa->rk.ni)), nr);
	OPENSSL_cleanse(gir, sizeof(gir));
	if (ret) {
		sa_warn(sa, "the peer's rekeyed Child SA does not fit what we asked for");
		child_free(c);
		delete_unusable(home, sa->rk.spi_in);
		return;
	}
	if (old)
		c->reqid = old->reqid;
	child_install(home, c);
	if (!ike_sa_child_by_spi_in(home, c->spi_in))
		return;		/* refused by the kernel: its Delete is queued */
	if (!old) {
		sa_info(home, "Child SA %08x/%08x replaces one already gone", c->spi_in,
			c->spi_out);
		return;
	}
	if (sa->rk.collision && lost_collision(sa, nr)) {
		/* §2.8.1: ours is redundant; the peer deletes the old one */
		sa_info(sa, "rekey collision lost: deleting our redundant Child SA %08x/%08x",
			c->spi_in, c->spi_out);
		old->rekeyed = true;
		old->rekey_ms = sa->ctx->now_ms + sa->ctx->rekeyed_timeout_ms;
		ike_sa_delete_child(home, c);
		return;
	}
	if (sa->rk.collision)
		sa_info(sa, "rekey collision won");
	sa_info(sa, "Child SA %08x/%08x rekeyed to %08x/%08x", old->spi_in, old->spi_out,
		c->spi_in, c->spi_out);
	ike_sa_delete_child(home, old);
}

/* ---- IKE SA rekey ---- */

int create_rekey_ike_start(struct ike_sa *sa)
{
	struct ike_proposal props[CONF_MAX_PROPOSALS];
	struct ike_sa_payload sap = { 0 };
	unsigned int ke_retries = sa->rk.ke_retries;
	uint16_t group = sa->rk.ke_group;
	uint8_t buf[IKE_MSG_MAX];
	struct ike_wbuf w;
	size_t n;

	create_rekey_clear(&sa->rk);
	sa->rk.ke_retries = ke_retries;
	RAND_bytes(sa->rk.spi, sizeof(sa->rk.spi));
	RAND_bytes(sa->rk.ni, sizeof(sa->rk.ni));
	n = init_proposals_with_group(sa->conn, 0, props);
	if (!group)
		group = pick_group(props, n, sa->ke_group);
	for (size_t i = 0; i < n; i++) {
		sap.prop[i] = props[i];
		sap.prop[i].num = (uint8_t)(i + 1);
		sap.prop[i].protocol = IKE_PROTO_IKE;
		sap.prop[i].spi_size = 8;
		memcpy(sap.prop[i].spi, sa->rk.spi, 8);
	}
	sap.n = (unsigned int)n;
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_sa(&w, &sap);
	ike_put_nonce(&w, IKE_BUF(sa->rk.ni, sizeof(sa->rk.ni)));
	if (put_ke(sa, &w, group))
		return -ENOTSUP;
	sa_info(sa, "rekeying the IKE SA (KE group %u)", group);
	return ike_sa_send_request(sa, IKE_REQ_REKEY_IKE, IKE_CREATE_CHILD_SA, &w);
}

/* The new IKE SA of a rekey: the old one's peer and connection, keys from
 * the old SK_d (§2.18: SKEYSEED with the old PRF, the rest with the new).
 * Its initiator is the rekey's. */
static struct ike_sa *new_ike_sa(struct ike_sa *old, bool initiator,
				 const struct ike_proposal *chosen, const uint8_t spi_i[8],
				 const uint8_t spi_r[8], struct ike_buf ni, struct ike_buf nr,
				 struct ike_buf gir)
{
	struct ike_sa *sa = ike_sa_new(old->ctx, old->conn, initiator);
	uint8_t skeyseed[IKE_PRF_MAX];
	int ret;

	if (!sa)
		return NULL;
	snprintf(sa->name, sizeof(sa->name), "%s", old->name);
	memcpy(sa->spi_i, spi_i, 8);
	memcpy(sa->spi_r, spi_r, 8);
	sa->local = old->local;
	sa->remote = old->remote;
	sa->nat_local = old->nat_local;
	sa->nat_remote = old->nat_remote;
	sa->peer_sig_hashes = old->peer_sig_hashes;
	sa->frag_peer = old->frag_peer;
	sa->frag_ours = old->frag_ours;
	mobike_inherit(sa, old);
	sa->peer_auth_method = old->peer_auth_method;
	sa->peer_id_type = old->peer_id_type;
	sa->peer_id_len = old->peer_id_len;
	memcpy(sa->peer_id, old->peer_id, old->peer_id_len);
	init_set_algorithms(sa, chosen);
	sa->ni_len = ni.len;
	memcpy(sa->ni, ni.ptr, ni.len);
	sa->nr_len = nr.len;
	memcpy(sa->nr, nr.ptr, nr.len);
	ret = ike_skeyseed_rekey(old->prf, old->keys.d, gir, ni, nr, skeyseed);
	if (!ret)
		ret = init_derive_keys(sa, IKE_BUF(skeyseed, ike_prf_size(old->prf)));
	OPENSSL_cleanse(skeyseed, sizeof(skeyseed));
	if (ret) {
		ike_sa_kill(sa, "rekey key derivation failed");
		return NULL;
	}
	ike_sa_set_state(sa, IKE_SA_ESTABLISHED);
	return sa;
}


static const char *hex8(const uint8_t spi[8], char out[17])
{
	for (int i = 0; i < 8; i++)
		snprintf(out + 2 * i, 3, "%02x", spi[i]);
	return out;
}

static void log_spis(struct ike_sa *old, struct ike_sa *new)
{
	char a[17], b[17], c[17], d[17];

	sa_info(old, "IKE SA rekeyed: %s_i %s_r is now [%u] %s_i %s_r", hex8(old->spi_i, a),
		hex8(old->spi_r, b), new->uid, hex8(new->spi_i, c), hex8(new->spi_r, d));
}

static void rekey_ike_done(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *p_sa = ike_msg_find(m, IKE_PL_SA);
	const struct ike_payload *p_nonce = ike_msg_find(m, IKE_PL_NONCE);
	struct ike_proposal props[CONF_MAX_PROPOSALS], chosen;
	const struct ike_transform *t;
	struct ike_sa_payload offered;
	uint8_t gir[IKE_KE_MAX];
	struct ike_sa *new, *peer_new;
	struct ike_buf nr;
	size_t gir_len, n;

	n = init_proposals_with_group(sa->conn, sa->rk.ke_group, props);
	if (!p_sa || !p_nonce || ike_parse_sa(p_sa->body, &offered) || offered.n != 1 ||
	    ike_parse_nonce(p_nonce->body, &nr) || proposal_select(props, n, &offered, &chosen) ||
	    chosen.protocol != IKE_PROTO_IKE || chosen.spi_size != 8 ||
	    !(t = proposal_get(&chosen, IKE_TRANS_KE)) || t->id != sa->rk.ke_group ||
	    shared_secret(sa, m, gir, &gir_len)) {
		sa_warn(sa, "the peer's answer to our IKE SA rekey is not acceptable");
		return;
	}
	new = new_ike_sa(sa, true, &chosen, sa->rk.spi, chosen.spi,
			 IKE_BUF(sa->rk.ni, sizeof(sa->rk.ni)), nr, IKE_BUF(gir, gir_len));
	OPENSSL_cleanse(gir, sizeof(gir));
	if (!new)
		return;
	peer_new = sa->rk.collision ? sa_by_uid(sa->ctx, sa->rk.peer_sa_uid) : NULL;
	if (peer_new && lost_collision(sa, nr)) {
		/* §2.8.1: ours is redundant, the peer's stands; the peer
		 * deletes the old one */
		sa_info(sa, "IKE SA rekey collision lost: deleting our redundant IKE SA [%u]",
			new->uid);
		log_spis(sa, peer_new);
		move_children(sa, peer_new);
		ike_sa_delete(new);
		return;
	}
	if (sa->rk.collision)
		sa_info(sa, "IKE SA rekey collision won");
	log_spis(sa, new);
	move_children(sa, new);
	ike_sa_delete(sa);
}

void create_process_response(struct ike_sa *sa, const struct ike_msg *m, enum ike_req_kind kind)
{
	uint16_t err = ike_msg_error(m);

	if (err) {
		rekey_refused(sa, m, kind, err);
		return;
	}
	if (kind == IKE_REQ_REKEY_CHILD)
		rekey_child_done(sa, m);
	else
		rekey_ike_done(sa, m);
	create_rekey_clear(&sa->rk);
}

/* ---- responder ---- */

static void refuse(struct ike_sa *sa, uint32_t mid, uint16_t type, const void *data,
		   size_t len, const char *why)
{
	uint8_t buf[64];
	struct ike_wbuf w;

	sa_warn(sa, "CREATE_CHILD_SA refused with %s: %s", ike_notify_name(type), why);
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_notify_simple(&w, type, data, len);
	ike_sa_send_response(sa, IKE_CREATE_CHILD_SA, mid, &w);
}

/* The peer rekeys the IKE SA (§1.3.2). */
static void rekey_ike_respond(struct ike_sa *sa, const struct ike_msg *m, uint32_t mid,
			      const struct ike_sa_payload *offered, struct ike_buf ni)
{
	const struct ike_payload *p_ke = ike_msg_find(m, IKE_PL_KE);
	struct ike_proposal props[CONF_MAX_PROPOSALS], chosen;
	uint8_t buf[IKE_MSG_MAX], nr[IKE_NONCE_LEN], gir[IKE_KE_MAX], ke_data[IKE_KE_MAX];
	struct ike_sa_payload sap = { .n = 1 };
	uint8_t spi_r[8];
	struct ike_sa *new;
	struct ike_dh *dh;
	struct ike_wbuf w;
	struct ike_ke ke;
	size_t n, gir_len, ke_len;

	if (!p_ke || ike_parse_ke(p_ke->body, &ke)) {
		refuse(sa, mid, IKE_N_INVALID_SYNTAX, NULL, 0, "IKE SA rekey without KE");
		return;
	}
	n = init_proposals_with_group(sa->conn, ke.group, props);
	if (!n || proposal_select(props, n, offered, &chosen)) {
		n = init_proposals_with_group(sa->conn, 0, props);
		if (!proposal_select(props, n, offered, &chosen) &&
		    proposal_get(&chosen, IKE_TRANS_KE)) {
			uint16_t g = proposal_get(&chosen, IKE_TRANS_KE)->id;
			uint8_t gb[2] = { g >> 8, g & 0xff };

			refuse(sa, mid, IKE_N_INVALID_KE_PAYLOAD, gb, 2, "another KE group");
		} else {
			refuse(sa, mid, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0,
			       "no acceptable IKE proposal");
		}
		return;
	}
	if (chosen.spi_size != 8) {
		refuse(sa, mid, IKE_N_INVALID_SYNTAX, NULL, 0, "IKE SA rekey without an SPI");
		return;
	}
	RAND_bytes(nr, sizeof(nr));
	RAND_bytes(spi_r, sizeof(spi_r));
	dh = ike_dh_new(ke.group);
	if (!dh || ike_dh_public(dh, ke_data, sizeof(ke_data), &ke_len) ||
	    ike_dh_shared(dh, ke.data, gir, sizeof(gir), &gir_len)) {
		ike_dh_free(dh);
		refuse(sa, mid, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0, "the peer's KE is refused");
		return;
	}
	ike_dh_free(dh);
	new = new_ike_sa(sa, false, &chosen, chosen.spi, spi_r, ni, IKE_BUF(nr, sizeof(nr)),
			 IKE_BUF(gir, gir_len));
	OPENSSL_cleanse(gir, sizeof(gir));
	if (!new) {
		refuse(sa, mid, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0, "key derivation failed");
		return;
	}
	sap.prop[0] = chosen;
	memcpy(sap.prop[0].spi, spi_r, 8);
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_sa(&w, &sap);
	ike_put_nonce(&w, IKE_BUF(nr, sizeof(nr)));
	ke.data = IKE_BUF(ke_data, ke_len);
	ike_put_ke(&w, &ke);
	if (ike_sa_send_response(sa, IKE_CREATE_CHILD_SA, mid, &w)) {
		ike_sa_kill(new, "cannot answer the rekey");
		return;
	}
	if (sa->req_kind == IKE_REQ_REKEY_IKE) {
		/* §2.8.1: ours is out too; its response decides */
		sa_info(sa, "IKE SA rekey collision: the peer rekeys it too");
		note_collision(sa, ni, IKE_BUF(nr, sizeof(nr)));
		sa->rk.peer_sa_uid = new->uid;
		return;
	}
	log_spis(sa, new);
	move_children(sa, new);
}

void create_process_request(struct ike_sa *sa, const struct ike_msg *m, uint32_t mid)
{
	const struct ike_payload *p_sa = ike_msg_find(m, IKE_PL_SA);
	const struct ike_payload *p_nonce = ike_msg_find(m, IKE_PL_NONCE);
	uint8_t buf[IKE_MSG_MAX], nr[IKE_NONCE_LEN];
	static struct ike_sa_payload offered;
	struct child_sa *old = NULL, *c;
	struct ike_buf ni;
	struct ike_notify n;
	struct ike_wbuf w;

	if (!p_sa || !p_nonce || ike_parse_sa(p_sa->body, &offered) || !offered.n ||
	    ike_parse_nonce(p_nonce->body, &ni)) {
		refuse(sa, mid, IKE_N_INVALID_SYNTAX, NULL, 0, "SA or Nonce missing or malformed");
		return;
	}
	if (sa->rekeyed) {
		refuse(sa, mid, IKE_N_TEMPORARY_FAILURE, NULL, 0, "this IKE SA was rekeyed");
		return;
	}
	if (offered.prop[0].protocol == IKE_PROTO_IKE) {
		rekey_ike_respond(sa, m, mid, &offered, ni);
		return;
	}
	if (ike_msg_notify(m, IKE_N_REKEY_SA, &n)) {
		if (n.protocol != IKE_PROTO_ESP || n.spi.len != 4) {
			refuse(sa, mid, IKE_N_INVALID_SYNTAX, NULL, 0,
			       "REKEY_SA for something else than ESP");
			return;
		}
		old = ike_sa_child_by_spi_out(sa, get32(n.spi.ptr));
		if (!old || old->rekeyed) {
			refuse(sa, mid, IKE_N_CHILD_SA_NOT_FOUND, NULL, 0, "no such Child SA");
			return;
		}
	}
	RAND_bytes(nr, sizeof(nr));
	ike_wbuf_init(&w, buf, sizeof(buf));
	c = child_respond(sa, m, &w, ni, IKE_BUF(nr, sizeof(nr)), true);
	if (ike_sa_send_response(sa, IKE_CREATE_CHILD_SA, mid, &w) || !c) {
		if (c)
			child_free(c);
		return;
	}
	if (old) {
		c->reqid = old->reqid;
		if (sa->req_kind == IKE_REQ_REKEY_CHILD && sa->rk.old_spi_in == old->spi_in) {
			/* §2.8.1: ours is out too; its response decides */
			sa_info(sa, "Child SA %08x/%08x rekey collision: the peer rekeys it too",
				old->spi_in, old->spi_out);
			note_collision(sa, ni, IKE_BUF(nr, sizeof(nr)));
		} else {
			/* the peer deletes it (§2.8); if it does not, we do */
			old->rekeyed = true;
			old->rekey_ms = sa->ctx->now_ms + sa->ctx->rekeyed_timeout_ms;
		}
		sa_info(sa, "Child SA %08x/%08x rekeyed", old->spi_in, old->spi_out);
	}
	child_install(sa, c);
}
