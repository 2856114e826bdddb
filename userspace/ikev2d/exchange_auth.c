// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKE_AUTH (RFC 7296 §1.2, §2.15) with pre-shared keys or certificates
 * (CERT, CERTREQ, signatures of RFC 7427 and the classic RSA/ECDSA
 * methods, see cert.h), identities IPv4/IPv6/FQDN/RFC822/DN/KEY_ID, and
 * the first Child SA with traffic selector narrowing (§2.9) and
 * USE_TRANSPORT_MODE.
 *
 * With certificates the PAD check is: the peer's chain verifies against
 * the connection's CAs, the identity it claims is in its certificate, and
 * that identity is the configured remote-id (or remote-id is %any).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <openssl/crypto.h>
#include "cp.h"
#include "exchange.h"
#include "proposal.h"
#include "ts.h"

static const char key_pad[] = "Key Pad for IKEv2";

int ike_auth_psk(uint16_t prf, struct ike_buf psk, struct ike_buf sk_p,
		 struct ike_buf real_msg, struct ike_buf nonce, struct ike_buf id_body,
		 uint8_t *out, size_t *out_len)
{
	uint8_t maced_id[IKE_PRF_MAX], padkey[IKE_PRF_MAX];
	size_t plen = ike_prf_size(prf);
	struct ike_buf pad = IKE_BUF(key_pad, sizeof(key_pad) - 1);
	struct ike_buf octets[3];
	int ret;

	if (!plen)
		return -ENOTSUP;
	ret = ike_prf(prf, sk_p, &id_body, 1, maced_id);
	if (!ret)
		ret = ike_prf(prf, psk, &pad, 1, padkey);
	octets[0] = real_msg;
	octets[1] = nonce;
	octets[2] = IKE_BUF(maced_id, plen);
	if (!ret)
		ret = ike_prf(prf, IKE_BUF(padkey, plen), octets, 3, out);
	OPENSSL_cleanse(padkey, sizeof(padkey));
	if (!ret)
		*out_len = plen;
	return ret;
}

/* Our ID payload body: type | 3 reserved bytes | data. */
static size_t our_id_body(const struct ike_sa *sa, uint8_t *body)
{
	const struct conf_id *id = &sa->conn->local_id;
	const uint8_t *data;
	size_t len;

	memset(body, 0, 4);
	if (id->type) {
		body[0] = id->type;
		memcpy(body + 4, id->data, id->len);
		return 4 + id->len;
	}
	data = ike_addr_bytes(&sa->local, &len);
	body[0] = len == 4 ? IKE_ID_IPV4_ADDR : IKE_ID_IPV6_ADDR;
	memcpy(body + 4, data, len);
	return 4 + len;
}

static void put_id(struct ike_wbuf *w, uint8_t pl_type, const uint8_t *body, size_t len)
{
	struct ike_id id = { .type = body[0], .data = IKE_BUF(body + 4, len - 4) };

	ike_put_id(w, pl_type, &id);
}

static bool id_matches(const struct conf_id *want, uint8_t type, struct ike_buf data)
{
	if (!want->type)
		return true;	/* %any */
	return want->type == type && ike_id_equal(type, IKE_BUF(want->data, want->len), data);
}

static const char *id_str(uint8_t type, struct ike_buf data, char *buf, size_t len)
{
	if (type == IKE_ID_IPV4_ADDR && data.len == 4)
		inet_ntop(AF_INET, data.ptr, buf, len);
	else if (type == IKE_ID_IPV6_ADDR && data.len == 16)
		inet_ntop(AF_INET6, data.ptr, buf, len);
	else if (type == IKE_ID_FQDN || type == IKE_ID_RFC822_ADDR)
		snprintf(buf, len, "%.*s", (int)data.len, (const char *)data.ptr);
	else if (type == IKE_ID_DER_ASN1_DN)
		ike_dn_str(data, buf, len);
	else
		snprintf(buf, len, "(type %u, %zu bytes)", type, data.len);
	return buf;
}

static bool is_sig_method(uint8_t method)
{
	return method == IKE_AUTH_RSA_SIG || method == IKE_AUTH_ECDSA_256 ||
	       method == IKE_AUTH_ECDSA_384 || method == IKE_AUTH_ECDSA_521 ||
	       method == IKE_AUTH_DIGITAL_SIG;
}

/*
 * §2.15: what one side signs: its IKE_SA_INIT message, the other side's
 * nonce and prf(SK_p, its ID payload body). Allocated.
 */
static int signed_octets(const struct ike_sa *sa, bool initiator_side, const uint8_t *id_body,
			 size_t id_len, uint8_t **out, size_t *out_len)
{
	const uint8_t *msg = initiator_side ? sa->init_req : sa->init_resp;
	size_t msg_len = initiator_side ? sa->init_req_len : sa->init_resp_len;
	const uint8_t *nonce = initiator_side ? sa->nr : sa->ni;
	size_t nonce_len = initiator_side ? sa->nr_len : sa->ni_len;
	size_t plen = ike_prf_size(sa->prf);
	struct ike_buf id = IKE_BUF(id_body, id_len);
	uint8_t *o;
	int ret;

	if (!plen || !msg)
		return -EINVAL;
	o = malloc(msg_len + nonce_len + plen);
	if (!o)
		return -ENOMEM;
	memcpy(o, msg, msg_len);
	memcpy(o + msg_len, nonce, nonce_len);
	ret = ike_prf(sa->prf, initiator_side ? sa->keys.pi : sa->keys.pr, &id, 1,
		      o + msg_len + nonce_len);
	if (ret) {
		free(o);
		return ret;
	}
	*out = o;
	*out_len = msg_len + nonce_len + plen;
	return 0;
}

/* AUTH over one side's octets: real message, the other side's nonce, our ID. */
static int compute_auth(const struct ike_sa *sa, bool initiator_side, const uint8_t *id_body,
			size_t id_len, uint8_t *method, uint8_t *out, size_t cap, size_t *out_len)
{
	const struct conf_conn *conn = sa->conn;
	uint8_t *octets;
	size_t olen;
	int ret;

	if (conn->auth == CONF_AUTH_PUBKEY && conn->creds) {
		ret = signed_octets(sa, initiator_side, id_body, id_len, &octets, &olen);
		if (ret)
			return ret;
		ret = ike_sig_sign(conn->creds->key, conn->creds->rsa_pss, sa->peer_sig_hashes,
				   IKE_BUF(octets, olen), method, out, cap, out_len);
		free(octets);
		return ret;
	}
	if (conn->auth != CONF_AUTH_PSK || !conn->psk || cap < IKE_PRF_MAX)
		return -ENOTSUP;
	*method = IKE_AUTH_PSK;
	if (initiator_side)
		return ike_auth_psk(sa->prf, IKE_BUF(conn->psk, conn->psk_len), sa->keys.pi,
				    IKE_BUF(sa->init_req, sa->init_req_len),
				    IKE_BUF(sa->nr, sa->nr_len), IKE_BUF(id_body, id_len),
				    out, out_len);
	return ike_auth_psk(sa->prf, IKE_BUF(conn->psk, conn->psk_len), sa->keys.pr,
			    IKE_BUF(sa->init_resp, sa->init_resp_len),
			    IKE_BUF(sa->ni, sa->ni_len), IKE_BUF(id_body, id_len), out, out_len);
}

/*
 * The peer's CERT payloads and the PAD check of its certificate: the
 * chain verifies against our CAs and the claimed identity is in it.
 */
static int peer_certs(const struct ike_sa *sa, const struct ike_msg *m, const struct ike_id *id,
		      struct ike_peer_certs *pc, char *why, size_t len)
{
	struct ike_cert cert;
	int ret;

	for (unsigned int i = 0; i < m->n; i++) {
		if (m->pl[i].type != IKE_PL_CERT)
			continue;
		if (ike_parse_cert(m->pl[i].body, &cert)) {
			snprintf(why, len, "malformed CERT payload");
			return -EINVAL;
		}
		ret = ike_peer_certs_add(pc, &cert, why, len);
		if (ret)
			return ret;
	}
	if (!pc->leaf) {
		snprintf(why, len, "the peer sent no certificate");
		return -ENOENT;
	}
	ret = ike_chain_verify(sa->conn->creds, pc, why, len);
	if (ret)
		return ret;
	if (!ike_cert_has_id(pc->leaf, id->type, id->data)) {
		char ids[300], subj[256];

		snprintf(why, len, "identity '%s' is not in the certificate of '%s'",
			 id_str(id->type, id->data, ids, sizeof(ids)),
			 ike_cert_subject(pc->leaf, subj, sizeof(subj)));
		return -EPERM;
	}
	return 0;
}

static bool verify_auth(struct ike_sa *sa, bool initiator_side, const struct ike_msg *m,
			const struct ike_payload *p_id, const struct ike_payload *p_auth,
			char *why, size_t why_len)
{
	uint8_t want[IKE_PRF_MAX], *octets;
	struct ike_peer_certs pc = { 0 };
	struct ike_auth auth;
	struct ike_id id;
	size_t len;
	bool ok;

	if (ike_parse_auth(p_auth->body, &auth) || ike_parse_id(p_id->body, &id)) {
		snprintf(why, why_len, "malformed AUTH or ID payload");
		return false;
	}
	if (sa->conn->auth == CONF_AUTH_PUBKEY) {
		if (!is_sig_method(auth.method)) {
			snprintf(why, why_len, "peer authenticates with method %u, we expect a "
				 "signature", auth.method);
			return false;
		}
		if (peer_certs(sa, m, &id, &pc, why, why_len) ||
		    signed_octets(sa, initiator_side, p_id->body.ptr, p_id->body.len, &octets,
				  &len)) {
			ike_peer_certs_free(&pc);
			return false;
		}
		ok = !ike_sig_verify(X509_get0_pubkey(pc.leaf), auth.method, auth.data,
				     IKE_BUF(octets, len), why, why_len);
		if (ok) {
			char subj[256];

			sa->peer_auth_method = auth.method;
			sa_info(sa, "peer's certificate '%s' verified, AUTH method %u",
				ike_cert_subject(pc.leaf, subj, sizeof(subj)), auth.method);
		}
		free(octets);
		ike_peer_certs_free(&pc);
		return ok;
	}
	if (auth.method != IKE_AUTH_PSK) {
		snprintf(why, why_len, "peer authenticates with method %u, we expect a PSK",
			 auth.method);
		return false;
	}
	if (compute_auth(sa, initiator_side, p_id->body.ptr, p_id->body.len, &auth.method, want,
			 sizeof(want), &len)) {
		snprintf(why, why_len, "cannot compute the PSK AUTH");
		return false;
	}
	ok = auth.data.len == len && !CRYPTO_memcmp(auth.data.ptr, want, len);
	if (ok)
		sa->peer_auth_method = IKE_AUTH_PSK;
	else
		snprintf(why, why_len, "AUTH does not verify");
	return ok;
}

/* Our CERT payloads: the certificate, then the intermediates. */
static void put_certs(const struct ike_sa *sa, struct ike_wbuf *w)
{
	const struct ike_creds *cr = sa->conn->creds;

	if (sa->conn->auth != CONF_AUTH_PUBKEY || !cr)
		return;
	for (int i = -1; i < sk_X509_num(cr->chain); i++) {
		X509 *x = i < 0 ? cr->cert : sk_X509_value(cr->chain, i);
		unsigned char *der = NULL;
		int len = i2d_X509(x, &der);
		struct ike_cert c = { .encoding = IKE_CERT_X509_SIG };

		if (len <= 0) {
			w->overflow = true;	/* fails the message, as a full buffer would */
			return;
		}
		c.data = IKE_BUF(der, (size_t)len);
		ike_put_cert(w, IKE_PL_CERT, &c);
		OPENSSL_free(der);
	}
}

void auth_put_certreq(const struct ike_sa *sa, struct ike_wbuf *w)
{
	const struct ike_creds *cr = sa->conn->creds;
	struct ike_cert c = { .encoding = IKE_CERT_X509_SIG };

	if (sa->conn->auth != CONF_AUTH_PUBKEY || !cr || !cr->n_ca)
		return;
	c.data = IKE_BUF(cr->ca_hashes, cr->n_ca * 20);
	ike_put_cert(w, IKE_PL_CERTREQ, &c);
}

/* Each of ts lies within one of allowed (a responder may only narrow). */
static void put_ts(struct ike_wbuf *w, uint8_t type, const struct ike_ts *ts, size_t n)
{
	struct ike_ts_payload p = { .n = (unsigned int)n };

	memcpy(p.ts, ts, n * sizeof(*ts));
	ike_put_ts(w, type, &p);
}

static bool has_other_sa(const struct ike_sa *sa)
{
	for (const struct ike_sa *o = sa->ctx->sas; o; o = o->next)
		if (o != sa && o->state == IKE_SA_ESTABLISHED && !strcmp(o->name, sa->name))
			return true;
	return false;
}

int auth_start(struct ike_sa *sa)
{
	const struct conf_conn *conn = sa->conn;
	uint8_t buf[IKE_MSG_MAX], id_body[4 + CONF_ID_MAX], auth_data[IKE_AUTH_DATA_MAX];
	struct ike_proposal props[CONF_MAX_PROPOSALS];
	struct ike_sa_payload sap = { 0 };
	struct ike_auth auth;
	struct ike_wbuf w;
	size_t id_len, auth_len;
	int ret;

	id_len = our_id_body(sa, id_body);
	ret = compute_auth(sa, true, id_body, id_len, &auth.method, auth_data, sizeof(auth_data),
			   &auth_len);
	if (ret) {
		sa_err(sa, "cannot compute AUTH: %s", strerror(-ret));
		return ret;
	}
	sa->first_spi_in = sa->conn->n_esp ? child_new_spi(sa) : 0;
	if (!sa->n_want_ts_l)
		sa->n_want_ts_l = child_conf_ts(sa, true, sa->want_ts_l);
	if (!sa->n_want_ts_r)
		sa->n_want_ts_r = child_conf_ts(sa, false, sa->want_ts_r);

	ike_wbuf_init(&w, buf, sizeof(buf));
	put_id(&w, IKE_PL_IDI, id_body, id_len);
	put_certs(sa, &w);
	auth_put_certreq(sa, &w);
	if (conn->remote_id.type) {
		struct ike_id idr = { .type = conn->remote_id.type,
				      .data = IKE_BUF(conn->remote_id.data, conn->remote_id.len) };

		ike_put_id(&w, IKE_PL_IDR, &idr);
	}
	auth.data = IKE_BUF(auth_data, auth_len);
	ike_put_auth(&w, &auth);
	if (!has_other_sa(sa))
		ike_put_notify_simple(&w, IKE_N_INITIAL_CONTACT, NULL, 0);
	mobike_put_auth(sa, &w);
	cp_put_request(sa, &w);
	if (sa->first_spi_in) {
		if (conn->mode == CONF_MODE_TRANSPORT)
			ike_put_notify_simple(&w, IKE_N_USE_TRANSPORT_MODE, NULL, 0);
		sap.n = (unsigned int)child_proposals(conn, sa->first_spi_in, false, props,
						      CONF_MAX_PROPOSALS);
		memcpy(sap.prop, props, sap.n * sizeof(props[0]));
		ike_put_sa(&w, &sap);
		put_ts(&w, IKE_PL_TSI, sa->want_ts_l, sa->n_want_ts_l);
		put_ts(&w, IKE_PL_TSR, sa->want_ts_r, sa->n_want_ts_r);
	}
	ike_sa_set_state(sa, IKE_SA_AUTH_SENT);
	return ike_sa_send_request(sa, IKE_REQ_AUTH, IKE_AUTH, &w);
}

/* Picks the connection for the peer's identities among those that fit the
 * IKE SA so far (addresses, IKE proposal). */
static const struct conf_conn *pick_conn(struct ike_sa *sa, const struct ike_id *idi,
					 const struct ike_id *idr, enum conf_auth auth)
{
	const struct config *cfg = sa->ctx->cfg;
	struct ike_sa_payload sap = { .n = 1 };
	struct ike_proposal chosen;

	sap.prop[0] = sa->proposal;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; cfg && i < cfg->n; i++) {
			const struct conf_conn *c = &cfg->conns[i];
			size_t alen;
			const uint8_t *a;

			if ((pass == 0) != (c == sa->conn))
				continue;
			if (c->auth != auth || !id_matches(&c->remote_id, idi->type, idi->data))
				continue;
			if (idr && c->local_id.type && !id_matches(&c->local_id, idr->type, idr->data))
				continue;
			a = ike_addr_bytes(&sa->remote, &alen);
			if (c->remote.family && (c->remote.family != sa->remote.sa.sa_family ||
						 memcmp(c->remote.addr, a, alen)))
				continue;
			a = ike_addr_bytes(&sa->local, &alen);
			if (c->local.family && (c->local.family != sa->local.sa.sa_family ||
						memcmp(c->local.addr, a, alen)))
				continue;
			if (c != sa->conn && proposal_select(c->ike, c->n_ike, &sap, &chosen))
				continue;
			return c;
		}
	}
	return NULL;
}

static void auth_failed(struct ike_sa *sa, uint32_t mid, const char *why)
{
	uint8_t buf[64];
	struct ike_wbuf w;

	sa_warn(sa, "authentication of the peer failed: %s", why);
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_notify_simple(&w, IKE_N_AUTHENTICATION_FAILED, NULL, 0);
	ike_sa_send_response(sa, IKE_AUTH, mid, &w);
	ike_sa_kill(sa, "authentication failed");
}

struct child_sa *child_respond(struct ike_sa *sa, const struct ike_msg *m, struct ike_wbuf *w,
			       struct ike_buf ni, struct ike_buf nr, bool create)
{
	const struct ike_payload *p_ke = ike_msg_find(m, IKE_PL_KE);
	uint8_t gir[IKE_KE_MAX], ke_data[IKE_KE_MAX];
	const struct ike_transform *group;
	struct ike_dh *dh = NULL;
	size_t gir_len = 0, ke_len = 0;
	struct ike_ke ke;
	const struct ike_payload *p_sa = ike_msg_find(m, IKE_PL_SA);
	const struct ike_payload *p_tsi = ike_msg_find(m, IKE_PL_TSI);
	const struct ike_payload *p_tsr = ike_msg_find(m, IKE_PL_TSR);
	struct ike_proposal props[CONF_MAX_PROPOSALS], chosen;
	struct ike_ts allow_l[IKE_MAX_TS], allow_r[IKE_MAX_TS];
	static struct ike_ts_payload tsi, tsr;
	struct ike_sa_payload offered, sap = { .n = 1 };
	size_t n_props, n_l, n_r;
	struct child_sa *c;

	if (!p_sa || !p_tsi || !p_tsr)
		return NULL;	/* childless */
	if (ike_parse_sa(p_sa->body, &offered) || ike_parse_ts(p_tsi->body, &tsi) ||
	    ike_parse_ts(p_tsr->body, &tsr)) {
		ike_put_notify_simple(w, IKE_N_INVALID_SYNTAX, NULL, 0);
		return NULL;
	}
	n_props = child_proposals(sa->conn, 0, create, props, CONF_MAX_PROPOSALS);
	if (proposal_select(props, n_props, &offered, &chosen) || chosen.spi_size != 4) {
		sa_warn(sa, "no acceptable ESP proposal");
		ike_put_notify_simple(w, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		return NULL;
	}
	group = proposal_get(&chosen, IKE_TRANS_KE);
	if (group && group->id == IKE_KE_NONE)
		group = NULL;
	if (group) {
		/* PFS (§1.3.1): the peer's KE must be of the chosen group */
		if (!p_ke || ike_parse_ke(p_ke->body, &ke) || ke.group != group->id) {
			uint8_t g[2] = { group->id >> 8, group->id & 0xff };

			sa_info(sa, "CREATE_CHILD_SA: asking for KE group %u", group->id);
			ike_put_notify_simple(w, IKE_N_INVALID_KE_PAYLOAD, g, 2);
			return NULL;
		}
		dh = ike_dh_new(group->id);
		if (!dh || ike_dh_public(dh, ke_data, sizeof(ke_data), &ke_len) ||
		    ike_dh_shared(dh, ke.data, gir, sizeof(gir), &gir_len)) {
			sa_warn(sa, "CREATE_CHILD_SA: the peer's KE is refused");
			ike_dh_free(dh);
			ike_put_notify_simple(w, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
			return NULL;
		}
		ike_dh_free(dh);
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		OPENSSL_cleanse(gir, sizeof(gir));
		return NULL;
	}
	n_l = child_conf_ts(sa, true, allow_l);
	n_r = child_conf_ts(sa, false, allow_r);
	if (ts_narrow(tsi.ts, tsi.n, allow_r, n_r, c->ts_r, IKE_MAX_TS, &c->n_ts_r) ||
	    ts_narrow(tsr.ts, tsr.n, allow_l, n_l, c->ts_l, IKE_MAX_TS, &c->n_ts_l)) {
		sa_warn(sa, "traffic selectors unacceptable");
		ike_put_notify_simple(w, IKE_N_TS_UNACCEPTABLE, NULL, 0);
		OPENSSL_cleanse(gir, sizeof(gir));
		child_free(c);
		return NULL;
	}
	c->spi_out = (uint32_t)chosen.spi[0] << 24 | chosen.spi[1] << 16 | chosen.spi[2] << 8 |
		     chosen.spi[3];
	child_set_proposal(c, &chosen);
	c->spi_in = child_new_spi(sa);
	if (child_derive_keys(sa, c, IKE_BUF(gir, gir_len), ni, nr)) {
		OPENSSL_cleanse(gir, sizeof(gir));
		ike_put_notify_simple(w, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
		child_free(c);
		return NULL;
	}
	OPENSSL_cleanse(gir, sizeof(gir));
	c->mode = CONF_MODE_TUNNEL;
	if (ike_msg_notify(m, IKE_N_USE_TRANSPORT_MODE, NULL)) {
		if (sa->conn->mode == CONF_MODE_TRANSPORT) {
			c->mode = CONF_MODE_TRANSPORT;
			ike_put_notify_simple(w, IKE_N_USE_TRANSPORT_MODE, NULL, 0);
		} else {
			sa_info(sa, "peer asks for transport mode, using tunnel mode");
		}
	}
	chosen.spi[0] = c->spi_in >> 24;
	chosen.spi[1] = c->spi_in >> 16;
	chosen.spi[2] = c->spi_in >> 8;
	chosen.spi[3] = c->spi_in;
	sap.prop[0] = chosen;
	ike_put_sa(w, &sap);
	if (create)
		ike_put_nonce(w, nr);
	if (group) {
		ke.group = group->id;
		ke.data = IKE_BUF(ke_data, ke_len);
		ike_put_ke(w, &ke);
	}
	put_ts(w, IKE_PL_TSI, c->ts_r, c->n_ts_r);
	put_ts(w, IKE_PL_TSR, c->ts_l, c->n_ts_l);
	return c;
}

/*
 * INITIAL_CONTACT (RFC 7296 §2.4): the peer, now authenticated, has no other
 * IKE SA with us; it restarted. Ours with the same connection and identity
 * are stale. They go without a Delete (the peer no longer knows their SPIs),
 * their Child SAs, per-client policies and address leases with them, before
 * this IKE SA asks for an address.
 */
static void initial_contact(struct ike_sa *sa, const struct ike_msg *m)
{
	if (!ike_msg_notify(m, IKE_N_INITIAL_CONTACT, NULL))
		return;
	for (struct ike_sa *o = sa->ctx->sas; o; o = o->next) {
		if (o == sa || o->state == IKE_SA_DEAD || o->conn != sa->conn ||
		    !o->peer_id_len || o->peer_id_type != sa->peer_id_type ||
		    o->peer_id_len != sa->peer_id_len ||
		    memcmp(o->peer_id, sa->peer_id, sa->peer_id_len))
			continue;
		ike_sa_kill(o, "the peer restarted (INITIAL_CONTACT)");
		cp_release(o);
	}
}

void auth_process_request(struct ike_sa *sa, const struct ike_msg *m, uint32_t mid)
{
	const struct ike_payload *p_idi = ike_msg_find(m, IKE_PL_IDI);
	const struct ike_payload *p_idr = ike_msg_find(m, IKE_PL_IDR);
	const struct ike_payload *p_auth = ike_msg_find(m, IKE_PL_AUTH);
	uint8_t buf[IKE_MSG_MAX], id_body[4 + CONF_ID_MAX], auth_data[IKE_AUTH_DATA_MAX];
	const struct conf_conn *conn;
	struct ike_id idi, idr;
	struct ike_auth auth;
	struct child_sa *c = NULL;
	struct ike_wbuf w;
	size_t id_len, auth_len;
	uint16_t cp_err;
	char ids[300], why[300];

	if (!p_idi || !p_auth || ike_parse_id(p_idi->body, &idi) ||
	    (p_idr && ike_parse_id(p_idr->body, &idr)) || ike_parse_auth(p_auth->body, &auth)) {
		auth_failed(sa, mid, "IDi or AUTH missing or malformed");
		return;
	}
	conn = pick_conn(sa, &idi, p_idr ? &idr : NULL,
			 is_sig_method(auth.method) ? CONF_AUTH_PUBKEY :
			 auth.method == IKE_AUTH_PSK ? CONF_AUTH_PSK : CONF_AUTH_NONE);
	if (!conn) {
		auth_failed(sa, mid, "no connection for this identity");
		return;
	}
	if (conn != sa->conn) {
		sa_info(sa, "switching to connection %s", conn->name);
		sa->conn = conn;
		snprintf(sa->name, sizeof(sa->name), "%s", conn->name);
	}
	if (!verify_auth(sa, true, m, p_idi, p_auth, why, sizeof(why))) {
		auth_failed(sa, mid, why);
		return;
	}
	sa->peer_id_type = idi.type;
	sa->peer_id_len = idi.data.len < sizeof(sa->peer_id) ? idi.data.len : sizeof(sa->peer_id);
	memcpy(sa->peer_id, idi.data.ptr, sa->peer_id_len);
	sa_info(sa, "peer authenticated as '%s' with %s",
		id_str(idi.type, idi.data, ids, sizeof(ids)),
		conn->auth == CONF_AUTH_PSK ? "a PSK" : "a certificate");
	initial_contact(sa, m);

	id_len = our_id_body(sa, id_body);
	if (compute_auth(sa, false, id_body, id_len, &auth.method, auth_data, sizeof(auth_data),
			 &auth_len)) {
		auth_failed(sa, mid, "cannot compute our AUTH");
		return;
	}
	ike_wbuf_init(&w, buf, sizeof(buf));
	put_id(&w, IKE_PL_IDR, id_body, id_len);
	put_certs(sa, &w);
	auth.data = IKE_BUF(auth_data, auth_len);
	ike_put_auth(&w, &auth);
	mobike_take_auth(sa, m);
	mobike_put_auth(sa, &w);
	cp_err = cp_respond(sa, m, &w);
	if (cp_err)	/* §3.15.4: the IKE SA stands, without a Child SA */
		ike_put_notify_simple(&w, cp_err, NULL, 0);
	else
		c = child_respond(sa, m, &w, IKE_BUF(sa->ni, sa->ni_len),
				  IKE_BUF(sa->nr, sa->nr_len), false);
	if (ike_sa_send_response(sa, IKE_AUTH, mid, &w)) {
		if (c)
			child_free(c);
		ike_sa_kill(sa, "cannot send the IKE_AUTH response");
		return;
	}
	ike_sa_set_state(sa, IKE_SA_ESTABLISHED);
	sa_info(sa, "IKE SA established with %s", ike_addr_str(&sa->remote, true, ids, sizeof(ids)));
	if (c)
		child_install(sa, c);
}

void auth_process_response(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *p_idr = ike_msg_find(m, IKE_PL_IDR);
	const struct ike_payload *p_auth = ike_msg_find(m, IKE_PL_AUTH);
	const struct ike_payload *p_sa = ike_msg_find(m, IKE_PL_SA);
	const struct ike_payload *p_tsi = ike_msg_find(m, IKE_PL_TSI);
	const struct ike_payload *p_tsr = ike_msg_find(m, IKE_PL_TSR);
	struct ike_proposal props[CONF_MAX_PROPOSALS], chosen;
	static struct ike_ts_payload tsi, tsr;
	struct ike_sa_payload offered;
	struct child_sa *c;
	struct ike_id idr;
	uint16_t err = ike_msg_error(m);
	size_t n_props;
	char ids[300], why[300];

	if (!p_idr || !p_auth) {
		sa_err(sa, "IKE_AUTH failed: peer says %s (%u)", ike_notify_name(err), err);
		ike_sa_kill(sa, "IKE_AUTH refused");
		return;
	}
	if (ike_parse_id(p_idr->body, &idr) ||
	    !id_matches(&sa->conn->remote_id, idr.type, idr.data)) {
		sa_err(sa, "peer identity '%s' is not the one configured",
		       ike_parse_id(p_idr->body, &idr) ? "?" : id_str(idr.type, idr.data, ids,
									  sizeof(ids)));
		ike_sa_kill(sa, "wrong peer identity");
		return;
	}
	if (!verify_auth(sa, false, m, p_idr, p_auth, why, sizeof(why))) {
		sa_err(sa, "authentication of the peer failed: %s", why);
		ike_sa_kill(sa, "authentication failed");
		return;
	}
	sa->peer_id_type = idr.type;
	sa->peer_id_len = idr.data.len < sizeof(sa->peer_id) ? idr.data.len : sizeof(sa->peer_id);
	memcpy(sa->peer_id, idr.data.ptr, sa->peer_id_len);
	mobike_take_auth(sa, m);
	ike_sa_set_state(sa, IKE_SA_ESTABLISHED);
	sa_info(sa, "IKE SA established with %s, peer '%s'",
		ike_addr_str(&sa->remote, true, (char[64]){ 0 }, 64),
		id_str(idr.type, idr.data, ids, sizeof(ids)));
	if (!cp_process_reply(sa, m)) {
		ike_sa_delete(sa);
		return;
	}

	if (!p_sa || !p_tsi || !p_tsr) {
		if (sa->first_spi_in)
			sa_warn(sa, "no Child SA: peer says %s (%u)", ike_notify_name(err), err);
		return;
	}
	n_props = child_proposals(sa->conn, sa->first_spi_in, false, props, CONF_MAX_PROPOSALS);
	if (ike_parse_sa(p_sa->body, &offered) || offered.n != 1 ||
	    proposal_select(props, n_props, &offered, &chosen) || chosen.spi_size != 4 ||
	    ike_parse_ts(p_tsi->body, &tsi) || ike_parse_ts(p_tsr->body, &tsr) ||
	    !tsi.n || !tsr.n) {
		sa_warn(sa, "the peer's Child SA does not fit what we asked for");
		return;
	}
	if (!ts_all_within(tsi.ts, tsi.n, sa->want_ts_l, sa->n_want_ts_l) ||
	    !ts_all_within(tsr.ts, tsr.n, sa->want_ts_r, sa->n_want_ts_r)) {
		sa_warn(sa, "peer widened our traffic selectors");
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return;
	c->spi_in = sa->first_spi_in;
	c->spi_out = (uint32_t)chosen.spi[0] << 24 | chosen.spi[1] << 16 | chosen.spi[2] << 8 |
		     chosen.spi[3];
	child_set_proposal(c, &chosen);
	memcpy(c->ts_l, tsi.ts, tsi.n * sizeof(tsi.ts[0]));
	c->n_ts_l = tsi.n;
	memcpy(c->ts_r, tsr.ts, tsr.n * sizeof(tsr.ts[0]));
	c->n_ts_r = tsr.n;
	c->mode = sa->conn->mode == CONF_MODE_TRANSPORT &&
		  ike_msg_notify(m, IKE_N_USE_TRANSPORT_MODE, NULL) ?
		  CONF_MODE_TRANSPORT : CONF_MODE_TUNNEL;
	if (child_derive_keys(sa, c, IKE_BUF(NULL, 0), IKE_BUF(sa->ni, sa->ni_len),
			      IKE_BUF(sa->nr, sa->nr_len))) {
		child_free(c);
		return;
	}
	child_install(sa, c);
}
