// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKE_SA_INIT (RFC 7296 §1.2): proposal negotiation, KE, nonces, NAT-D,
 * COOKIE (§2.6), INVALID_KE_PAYLOAD (§1.2) in both roles, and the
 * SIGNATURE_HASH_ALGORITHMS notify (RFC 7427 §4) both ways, and CERTREQ
 * from a responder with certificates. Then SKEYSEED and the SK_* keys
 * (§2.14).
 *
 * IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383) both ways when the connection
 * has fragmentation on; ike_sa.c then fragments and reassembles.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include "exchange.h"
#include "proposal.h"

#define INIT_MAX_RETRIES 3

/* RFC 7427 hash algorithms: SHA2-256, SHA2-384, SHA2-512 */
static const uint8_t sig_hashes[] = { 0, 2, 0, 3, 0, 4 };

void init_put_natd(struct ike_wbuf *w, const uint8_t spi_i[8], const uint8_t spi_r[8],
		   const ike_sockaddr *src, const ike_sockaddr *dst)
{
	uint8_t h[20];

	if (!ike_natd_hash(spi_i, spi_r, src, h))
		ike_put_notify_simple(w, IKE_N_NAT_DETECTION_SOURCE_IP, h, 20);
	if (!ike_natd_hash(spi_i, spi_r, dst, h))
		ike_put_notify_simple(w, IKE_N_NAT_DETECTION_DESTINATION_IP, h, 20);
}

/* RFC 7383 §2.3: the initiator offers fragmentation, a responder answers
 * only an offer. */
static void put_capabilities(struct ike_sa *sa, struct ike_wbuf *w)
{
	ike_put_notify_simple(w, IKE_N_SIGNATURE_HASH_ALGORITHMS, sig_hashes,
			      sizeof(sig_hashes));
	if (sa->conn->fragmentation && (sa->initiator || sa->frag_peer)) {
		ike_put_notify_simple(w, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
		sa->frag_ours = true;
	}
}

static void take_capabilities(struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_notify n;

	if (ike_msg_notify(m, IKE_N_SIGNATURE_HASH_ALGORITHMS, &n))
		sa->peer_sig_hashes = ike_sig_hashes_parse(n.data);
	sa->frag_peer = ike_msg_notify(m, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL);
}

/* Compares the peer's NAT-D hashes with what they would be without NAT. */
void init_check_natd(struct ike_sa *sa, const struct ike_msg *m, const uint8_t spi_r[8])
{
	uint8_t h_remote[20], h_local[20];
	bool any_src = false, src_ok = false, dst_ok = false;
	struct ike_notify n;

	if (ike_natd_hash(sa->spi_i, spi_r, &sa->remote, h_remote) ||
	    ike_natd_hash(sa->spi_i, spi_r, &sa->local, h_local))
		return;
	for (unsigned int i = 0; i < m->n; i++) {
		if (m->pl[i].type != IKE_PL_NOTIFY || ike_parse_notify(m->pl[i].body, &n))
			continue;
		if (n.type == IKE_N_NAT_DETECTION_SOURCE_IP) {
			any_src = true;
			if (n.data.len == 20 && !memcmp(n.data.ptr, h_remote, 20))
				src_ok = true;
		} else if (n.type == IKE_N_NAT_DETECTION_DESTINATION_IP) {
			if (n.data.len == 20 && !memcmp(n.data.ptr, h_local, 20))
				dst_ok = true;
		}
	}
	if (!any_src)
		return;		/* the peer does not do NAT-T */
	sa->nat_remote = !src_ok;
	sa->nat_local = !dst_ok;
	if (sa->nat_remote || sa->nat_local)
		sa_info(sa, "NAT detected (%s%s%s)", sa->nat_local ? "local" : "",
			sa->nat_local && sa->nat_remote ? ", " : "",
			sa->nat_remote ? "remote" : "");
}

void init_set_algorithms(struct ike_sa *sa, const struct ike_proposal *p)
{
	const struct ike_transform *t;

	sa->proposal = *p;
	t = proposal_get(p, IKE_TRANS_ENCR);
	sa->encr = t ? t->id : 0;
	sa->encr_bits = t ? t->key_len : 0;
	t = proposal_get(p, IKE_TRANS_INTEG);
	sa->integ = t ? t->id : IKE_INTEG_NONE;
	t = proposal_get(p, IKE_TRANS_PRF);
	sa->prf = t ? t->id : 0;
	t = proposal_get(p, IKE_TRANS_KE);
	sa->ke_group = t ? t->id : 0;
}

/* g^ir, SKEYSEED and SK_*. */
static int derive(struct ike_sa *sa, struct ike_buf peer_ke)
{
	uint8_t gir[IKE_KE_MAX], skeyseed[IKE_PRF_MAX];
	size_t gir_len, prf_len = ike_prf_size(sa->prf);
	int ret;

	if (!prf_len || !ike_encr_keymat_len(sa->encr, sa->encr_bits))
		return -ENOTSUP;
	ret = ike_dh_shared(sa->dh, peer_ke, gir, sizeof(gir), &gir_len);
	if (ret) {
		sa_warn(sa, "peer's KE value refused: %s", strerror(-ret));
		return ret;
	}
	ret = ike_skeyseed(sa->prf, IKE_BUF(sa->ni, sa->ni_len), IKE_BUF(sa->nr, sa->nr_len),
			   IKE_BUF(gir, gir_len), skeyseed);
	OPENSSL_cleanse(gir, sizeof(gir));
	if (!ret)
		ret = init_derive_keys(sa, IKE_BUF(skeyseed, prf_len));
	else
		sa_err(sa, "key derivation failed: %s", strerror(-ret));
	OPENSSL_cleanse(skeyseed, sizeof(skeyseed));
	return ret;
}

int init_derive_keys(struct ike_sa *sa, struct ike_buf skeyseed)
{
	size_t elen = ike_encr_keymat_len(sa->encr, sa->encr_bits);
	size_t alen = ike_encr_is_aead(sa->encr) ? 0 : ike_integ_key_len(sa->integ);
	int ret = -ENOTSUP;

	if (ike_prf_size(sa->prf) && elen)
		ret = ike_derive_sa_keys(sa->prf, skeyseed, IKE_BUF(sa->ni, sa->ni_len),
					 IKE_BUF(sa->nr, sa->nr_len), sa->spi_i, sa->spi_r, alen,
					 elen, &sa->keys);
	if (!ret)
		ret = ike_sk_init(&sa->sk_i, sa->encr, sa->encr_bits, sa->integ, sa->keys.ei,
				  sa->keys.ai);
	if (!ret)
		ret = ike_sk_init(&sa->sk_r, sa->encr, sa->encr_bits, sa->integ, sa->keys.er,
				  sa->keys.ar);
	if (ret)
		sa_err(sa, "key derivation failed: %s", strerror(-ret));
	else
		sa->keyed = true;
	return ret;
}

/* Our IKE proposals as an SA payload; only keep KE group ke when ke != 0
 * would be wrong (peers may pick any group we list), so all are sent. */
static void our_proposals(const struct conf_conn *conn, struct ike_sa_payload *sap)
{
	memset(sap, 0, sizeof(*sap));
	for (size_t i = 0; i < conn->n_ike && i < IKE_MAX_PROPOSALS; i++) {
		sap->prop[sap->n] = conn->ike[i];
		sap->prop[sap->n].num = (uint8_t)(sap->n + 1);
		sap->prop[sap->n].spi_size = 0;
		sap->n++;
	}
}

static bool offers_group(const struct conf_conn *conn, uint16_t group)
{
	for (size_t i = 0; i < conn->n_ike; i++)
		for (unsigned int j = 0; j < conn->ike[i].n; j++)
			if (conn->ike[i].xf[j].type == IKE_TRANS_KE && conn->ike[i].xf[j].id == group)
				return true;
	return false;
}

int init_start(struct ike_sa *sa)
{
	static const uint8_t zero_spi[8];
	const struct conf_conn *conn = sa->conn;
	uint8_t buf[IKE_MSG_MAX], ke_data[IKE_KE_MAX];
	struct ike_hdr h = { .version = 0x20, .exchange = IKE_SA_INIT,
			     .flags = IKE_FLAG_INITIATOR };
	struct ike_sa_payload sap;
	struct ike_wbuf w;
	struct ike_ke ke;
	size_t ke_len;
	int len;

	if (!sa->ke_group) {
		const struct ike_transform *t = proposal_get(&conn->ike[0], IKE_TRANS_KE);

		sa->ke_group = t ? t->id : 0;
	}
	if (!sa->dh) {
		sa->dh = ike_dh_new(sa->ke_group);
		if (!sa->dh) {
			sa_err(sa, "cannot create a key pair for KE group %u", sa->ke_group);
			return -ENOTSUP;
		}
	}
	if (!sa->ni_len) {
		sa->ni_len = IKE_NONCE_LEN;
		RAND_bytes(sa->ni, (int)sa->ni_len);
	}
	if (ike_dh_public(sa->dh, ke_data, sizeof(ke_data), &ke_len))
		return -EIO;
	memcpy(h.spi_i, sa->spi_i, 8);
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_hdr(&w, &h);
	if (sa->cookie_len)
		ike_put_notify_simple(&w, IKE_N_COOKIE, sa->cookie, sa->cookie_len);
	our_proposals(conn, &sap);
	ike_put_sa(&w, &sap);
	ke.group = sa->ke_group;
	ke.data = IKE_BUF(ke_data, ke_len);
	ike_put_ke(&w, &ke);
	ike_put_nonce(&w, IKE_BUF(sa->ni, sa->ni_len));
	init_put_natd(&w, sa->spi_i, zero_spi, &sa->local, &sa->remote);
	put_capabilities(sa, &w);
	len = ike_wbuf_finish(&w);
	if (len < 0)
		return len;
	if (!(sa->init_req = realloc(sa->init_req, (size_t)len)))
		return -ENOMEM;
	memcpy(sa->init_req, buf, (size_t)len);
	sa->init_req_len = (size_t)len;
	sa_info(sa, "initiating IKE SA with %s (KE group %u)",
		ike_addr_str(&sa->remote, true, (char[64]){ 0 }, 64), sa->ke_group);
	ike_sa_set_state(sa, IKE_SA_INIT_SENT);
	return ike_sa_send_plain_request(sa, buf, (size_t)len);
}

/* A notify-only IKE_SA_INIT response that keeps no state. */
static void stateless_reply(struct ike_ctx *ctx, const struct ike_msg *m,
			    const ike_sockaddr *local, const ike_sockaddr *remote,
			    uint16_t type, const void *data, size_t dlen)
{
	uint8_t buf[256];
	struct ike_hdr h = { .version = 0x20, .exchange = IKE_SA_INIT,
			     .flags = IKE_FLAG_RESPONSE };
	struct ike_wbuf w;
	int len;

	memcpy(h.spi_i, m->hdr.spi_i, 8);
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_hdr(&w, &h);
	ike_put_notify_simple(&w, type, data, dlen);
	len = ike_wbuf_finish(&w);
	if (len > 0 && ctx->ops.send)
		ctx->ops.send(ctx->ops.arg, local, remote, buf, (size_t)len);
}

static bool addr_matches(const struct conf_addr *c, const ike_sockaddr *a)
{
	size_t len;
	const uint8_t *p;

	if (!c->family)
		return true;
	if (c->family != a->sa.sa_family)
		return false;
	p = ike_addr_bytes(a, &len);
	return !memcmp(c->addr, p, len);
}

/* Our proposals reduced to KE group: so that a peer's KE is used when any
 * of our proposals allows it, and INVALID_KE_PAYLOAD only when none does. */
size_t init_proposals_with_group(const struct conf_conn *conn, uint16_t group,
				 struct ike_proposal *out)
{
	size_t n = 0;

	for (size_t i = 0; i < conn->n_ike; i++) {
		struct ike_proposal p = conn->ike[i];
		bool has = !group;
		unsigned int k = 0;

		for (unsigned int j = 0; j < p.n; j++) {
			if (p.xf[j].type == IKE_TRANS_KE && group) {
				if (p.xf[j].id != group)
					continue;
				has = true;
			}
			p.xf[k++] = p.xf[j];
		}
		p.n = k;
		if (has)
			out[n++] = p;
	}
	return n;
}

void init_respond(struct ike_ctx *ctx, const struct ike_msg *m, const uint8_t *buf, size_t len,
		  const ike_sockaddr *local, const ike_sockaddr *remote)
{
	const struct ike_payload *p_sa, *p_ke, *p_nonce;
	const struct conf_conn *conn = NULL, *addr_conn = NULL;
	struct ike_proposal chosen, fallback, reduced[CONF_MAX_PROPOSALS];
	uint8_t out[IKE_MSG_MAX], ke_data[IKE_KE_MAX];
	struct ike_sa_payload sap, offered;
	struct ike_buf nonce;
	struct ike_notify cookie;
	struct ike_ke ke;
	struct ike_hdr h;
	struct ike_wbuf w;
	struct ike_sa *sa;
	char ra[64];
	size_t ke_len;
	int olen;

	ike_addr_str(remote, true, ra, sizeof(ra));
	for (sa = ctx->sas; sa; sa = sa->next) {
		if (!sa->initiator && !memcmp(sa->spi_i, m->hdr.spi_i, 8) &&
		    ike_addr_eq(&sa->remote, remote) && sa->state != IKE_SA_DEAD) {
			if (sa->state == IKE_SA_INIT_DONE && sa->resp_valid && sa->resp_mid == 0) {
				sa_debug(sa, "retransmitted IKE_SA_INIT, resending the response");
				if (ctx->ops.send)
					ctx->ops.send(ctx->ops.arg, &sa->local, &sa->remote,
						      sa->resp.buf, sa->resp.len);
			}
			return;
		}
	}
	if (m->unsupported_critical) {
		uint8_t type = m->unsupported_critical;

		stateless_reply(ctx, m, local, remote, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, &type, 1);
		return;
	}
	p_sa = ike_msg_find(m, IKE_PL_SA);
	p_ke = ike_msg_find(m, IKE_PL_KE);
	p_nonce = ike_msg_find(m, IKE_PL_NONCE);
	if (!p_sa || !p_ke || !p_nonce || ike_parse_sa(p_sa->body, &offered) ||
	    ike_parse_ke(p_ke->body, &ke) || ike_parse_nonce(p_nonce->body, &nonce)) {
		log_info("IKE_SA_INIT from %s: missing or malformed SA, KE or Nonce", ra);
		stateless_reply(ctx, m, local, remote, IKE_N_INVALID_SYNTAX, NULL, 0);
		return;
	}
	for (size_t i = 0; ctx->cfg && i < ctx->cfg->n && !conn; i++) {
		const struct conf_conn *c = &ctx->cfg->conns[i];
		size_t n;

		if (!addr_matches(&c->local, local) || !addr_matches(&c->remote, remote))
			continue;
		/* §3.4: the KE's group is one of the proposal's. Group 0 (NONE)
		 * would reduce nothing: its data would be taken for the chosen
		 * group's, and echoed as group 0. INVALID_KE_PAYLOAD instead. */
		n = ke.group ? init_proposals_with_group(c, ke.group, reduced) : 0;
		if (n && !proposal_select(reduced, n, &offered, &chosen)) {
			conn = c;
			break;
		}
		if (!addr_conn) {
			addr_conn = c;
			if (proposal_select(c->ike, c->n_ike, &offered, &fallback))
				fallback.n = 0;
		}
	}
	if (!conn) {
		if (!addr_conn) {
			log_info("IKE_SA_INIT from %s: no connection for this peer", ra);
			return;
		}
		if (!fallback.n) {
			log_info("%s: IKE_SA_INIT from %s: no acceptable proposal", addr_conn->name, ra);
			stateless_reply(ctx, m, local, remote, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
			return;
		}
		{
			const struct ike_transform *t = proposal_get(&fallback, IKE_TRANS_KE);
			uint8_t g[2] = { 0, 0 };

			if (t) {
				g[0] = t->id >> 8;
				g[1] = t->id & 0xff;
			}
			log_info("%s: IKE_SA_INIT from %s: KE group %u not acceptable, "
				 "asking for %u", addr_conn->name, ra, ke.group, t ? t->id : 0);
			stateless_reply(ctx, m, local, remote, IKE_N_INVALID_KE_PAYLOAD, g, 2);
		}
		return;
	}
	if (ctx->half_open >= ctx->half_open_max) {
		log_warn("IKE_SA_INIT from %s dropped: %u half-open SAs", ra, ctx->half_open);
		return;
	}
	if (ctx->half_open >= ctx->cookie_threshold) {
		if (!ike_msg_notify(m, IKE_N_COOKIE, &cookie) ||
		    !ike_cookie_check(ctx, cookie.data, nonce, remote, m->hdr.spi_i)) {
			uint8_t c[33];
			size_t clen = ike_cookie_make(ctx, ctx->cookie_version, nonce, remote,
						      m->hdr.spi_i, c);

			log_debug("IKE_SA_INIT from %s: asking for a cookie", ra);
			stateless_reply(ctx, m, local, remote, IKE_N_COOKIE, c, clen);
			return;
		}
	}

	sa = ike_sa_new(ctx, conn, false);
	if (!sa)
		return;
	memcpy(sa->spi_i, m->hdr.spi_i, 8);
	sa->local = *local;
	sa->remote = *remote;
	init_set_algorithms(sa, &chosen);
	sa->ni_len = nonce.len;
	memcpy(sa->ni, nonce.ptr, nonce.len);
	sa->nr_len = IKE_NONCE_LEN;
	RAND_bytes(sa->nr, (int)sa->nr_len);
	sa->dh = ike_dh_new(sa->ke_group);
	if (!sa->dh || ike_dh_public(sa->dh, ke_data, sizeof(ke_data), &ke_len) ||
	    derive(sa, ke.data)) {
		stateless_reply(ctx, m, local, remote, IKE_N_INVALID_SYNTAX, NULL, 0);
		ike_sa_kill(sa, "IKE_SA_INIT failed");
		return;
	}
	init_check_natd(sa, m, (const uint8_t[8]){ 0 });
	take_capabilities(sa, m);

	h = (struct ike_hdr){ .version = 0x20, .exchange = IKE_SA_INIT,
			      .flags = IKE_FLAG_RESPONSE };
	memcpy(h.spi_i, sa->spi_i, 8);
	memcpy(h.spi_r, sa->spi_r, 8);
	ike_wbuf_init(&w, out, sizeof(out));
	ike_put_hdr(&w, &h);
	memset(&sap, 0, sizeof(sap));
	sap.n = 1;
	sap.prop[0] = chosen;
	sap.prop[0].spi_size = 0;
	ike_put_sa(&w, &sap);
	ke.data = IKE_BUF(ke_data, ke_len);
	ike_put_ke(&w, &ke);
	ike_put_nonce(&w, IKE_BUF(sa->nr, sa->nr_len));
	init_put_natd(&w, sa->spi_i, sa->spi_r, &sa->local, &sa->remote);
	put_capabilities(sa, &w);
	if (conn->auth == CONF_AUTH_PUBKEY)
		auth_put_certreq(sa, &w);
	olen = ike_wbuf_finish(&w);
	sa->init_req = malloc(len);
	sa->init_resp = olen > 0 ? malloc((size_t)olen) : NULL;
	if (!sa->init_req || !sa->init_resp) {
		ike_sa_kill(sa, "out of memory");
		return;
	}
	memcpy(sa->init_req, buf, len);
	sa->init_req_len = len;
	memcpy(sa->init_resp, out, (size_t)olen);
	sa->init_resp_len = (size_t)olen;
	ike_sa_set_state(sa, IKE_SA_INIT_DONE);
	sa_info(sa, "IKE_SA_INIT from %s answered (KE group %u)", ra, sa->ke_group);
	ike_sa_send_plain_response(sa, out, (size_t)olen);
}

void init_process_response(struct ike_sa *sa, const struct ike_msg *m, const uint8_t *buf,
			   size_t len)
{
	const struct ike_payload *p_sa, *p_ke, *p_nonce;
	struct ike_sa_payload offered;
	struct ike_proposal chosen;
	struct ike_notify n;
	struct ike_buf nonce;
	struct ike_ke ke;
	uint16_t err;

	if (ike_msg_notify(m, IKE_N_COOKIE, &n)) {
		if (n.data.len < 1 || n.data.len > sizeof(sa->cookie) ||
		    sa->init_retries++ >= INIT_MAX_RETRIES) {
			ike_sa_kill(sa, "COOKIE refused");
			return;
		}
		sa_info(sa, "responder asks for a COOKIE, retrying");
		memcpy(sa->cookie, n.data.ptr, n.data.len);
		sa->cookie_len = n.data.len;
		init_start(sa);
		return;
	}
	if (ike_msg_notify(m, IKE_N_INVALID_KE_PAYLOAD, &n)) {
		uint16_t group = n.data.len == 2 ? (uint16_t)(n.data.ptr[0] << 8 | n.data.ptr[1]) : 0;

		if (!group || group == sa->ke_group || !offers_group(sa->conn, group) ||
		    !ike_dh_supported(group) || sa->init_retries++ >= INIT_MAX_RETRIES) {
			sa_err(sa, "INVALID_KE_PAYLOAD asks for group %u, which we do not offer",
			       group);
			ike_sa_kill(sa, "no acceptable KE group");
			return;
		}
		sa_info(sa, "INVALID_KE_PAYLOAD: retrying with KE group %u", group);
		ike_dh_free(sa->dh);
		sa->dh = NULL;
		sa->ke_group = group;
		init_start(sa);
		return;
	}
	err = ike_msg_error(m);
	if (err || m->unsupported_critical) {
		sa_err(sa, "IKE_SA_INIT failed: peer says %s (%u)", ike_notify_name(err), err);
		ike_sa_kill(sa, "IKE_SA_INIT refused");
		return;
	}
	p_sa = ike_msg_find(m, IKE_PL_SA);
	p_ke = ike_msg_find(m, IKE_PL_KE);
	p_nonce = ike_msg_find(m, IKE_PL_NONCE);
	if (!p_sa || !p_ke || !p_nonce || ike_parse_sa(p_sa->body, &offered) ||
	    ike_parse_ke(p_ke->body, &ke) || ike_parse_nonce(p_nonce->body, &nonce) ||
	    offered.n != 1) {
		ike_sa_kill(sa, "malformed IKE_SA_INIT response");
		return;
	}
	if (proposal_select(sa->conn->ike, sa->conn->n_ike, &offered, &chosen) ||
	    !proposal_get(&chosen, IKE_TRANS_KE) ||
	    proposal_get(&chosen, IKE_TRANS_KE)->id != sa->ke_group || ke.group != sa->ke_group) {
		ike_sa_kill(sa, "responder chose a proposal we did not offer");
		return;
	}
	memcpy(sa->spi_r, m->hdr.spi_r, 8);
	init_set_algorithms(sa, &chosen);
	sa->nr_len = nonce.len;
	memcpy(sa->nr, nonce.ptr, nonce.len);
	if (derive(sa, ke.data)) {
		ike_sa_kill(sa, "key exchange failed");
		return;
	}
	init_check_natd(sa, m, sa->spi_r);
	take_capabilities(sa, m);
	if ((sa->nat_local || sa->nat_remote) && ike_addr_port(&sa->remote) == IKE_PORT) {
		/* RFC 7296 §2.23: continue on port 4500 */
		ike_addr_set_port(&sa->remote, IKE_NATT_PORT);
		ike_addr_set_port(&sa->local, IKE_NATT_PORT);
	}
	if (!(sa->init_resp = malloc(len))) {
		ike_sa_kill(sa, "out of memory");
		return;
	}
	memcpy(sa->init_resp, buf, len);
	sa->init_resp_len = len;
	sa->peer_mid = 0;
	sa->my_mid = 1;
	if (auth_start(sa))
		ike_sa_kill(sa, "cannot build IKE_AUTH");
}
