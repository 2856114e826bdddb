// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Child SA helpers: ESP proposals for IKE_AUTH, KEYMAT (RFC 7296 §2.17),
 * default traffic selectors, and handing the result to the kernel side.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include "exchange.h"
#include "proposal.h"
#include "ts.h"

uint32_t child_random_spi(void)
{
	uint32_t spi = 0;

	while (spi < 0x100)
		RAND_bytes((uint8_t *)&spi, sizeof(spi));
	return spi;
}

uint32_t child_new_spi(struct ike_sa *sa)
{
	uint32_t spi = 0;

	/* Without an SPI from the kernel the Child SA is still negotiated: its
	 * installation will fail and be handled (logged, deleted towards the
	 * peer) like any refusal. */
	if (sa->ctx->ops.spi_alloc && sa->ctx->ops.spi_alloc(sa->ctx->ops.arg, sa, &spi)) {
		sa_warn(sa, "no SPI from the kernel, using a random one");
		spi = 0;
	}
	return spi ? spi : child_random_spi();
}

size_t child_proposals(const struct conf_conn *conn, uint32_t spi, bool with_ke,
		       struct ike_proposal *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < conn->n_esp && n < max; i++) {
		struct ike_proposal p = conn->esp[i];
		unsigned int k = 0;

		for (unsigned int j = 0; j < p.n; j++)
			if (with_ke || p.xf[j].type != IKE_TRANS_KE)
				p.xf[k++] = p.xf[j];
		p.n = k;
		p.num = (uint8_t)(n + 1);
		p.protocol = IKE_PROTO_ESP;
		p.spi_size = 4;
		p.spi[0] = spi >> 24;
		p.spi[1] = spi >> 16;
		p.spi[2] = spi >> 8;
		p.spi[3] = spi;
		out[n++] = p;
	}
	return n;
}

int child_set_proposal(struct child_sa *c, const struct ike_proposal *p)
{
	const struct ike_transform *t = proposal_get(p, IKE_TRANS_ENCR);

	if (!t)
		return -EINVAL;
	c->encr = t->id;
	c->encr_bits = t->key_len;
	t = proposal_get(p, IKE_TRANS_INTEG);
	c->integ = t ? t->id : IKE_INTEG_NONE;
	t = proposal_get(p, IKE_TRANS_ESN);
	c->esn = t && t->id == IKE_ESN_YES;
	return 0;
}

int child_derive_keys(const struct ike_sa *sa, struct child_sa *c, struct ike_buf gir,
		      struct ike_buf ni, struct ike_buf nr)
{
	uint8_t keymat[2 * (sizeof(c->ek_in) + sizeof(c->ak_in))];
	const uint8_t *i2r, *r2i;
	size_t half;
	int ret;

	c->ek_len = ike_encr_keymat_len(c->encr, c->encr_bits);
	c->ak_len = ike_encr_is_aead(c->encr) ? 0 : ike_integ_key_len(c->integ);
	if (!c->ek_len || c->ek_len > sizeof(c->ek_in) || c->ak_len > sizeof(c->ak_in) ||
	    (!ike_encr_is_aead(c->encr) && !c->ak_len))
		return -ENOTSUP;
	half = c->ek_len + c->ak_len;
	ret = ike_child_keymat(sa->prf, sa->keys.d, gir, ni, nr, keymat, 2 * half);
	if (ret)
		return ret;
	/* initiator to responder first: encryption key, then integrity key */
	i2r = keymat;
	r2i = keymat + half;
	memcpy(c->ek_out, sa->initiator ? i2r : r2i, c->ek_len);
	memcpy(c->ak_out, (sa->initiator ? i2r : r2i) + c->ek_len, c->ak_len);
	memcpy(c->ek_in, sa->initiator ? r2i : i2r, c->ek_len);
	memcpy(c->ak_in, (sa->initiator ? r2i : i2r) + c->ek_len, c->ak_len);
	OPENSSL_cleanse(keymat, sizeof(keymat));
	return 0;
}

size_t child_default_ts(const ike_sockaddr *a, struct ike_ts *out)
{
	size_t len;
	const uint8_t *p = ike_addr_bytes(a, &len);

	memset(out, 0, sizeof(*out));
	out->type = len == 4 ? IKE_TS_IPV4_ADDR_RANGE : IKE_TS_IPV6_ADDR_RANGE;
	out->end_port = 65535;
	memcpy(out->start, p, len);
	memcpy(out->end, p, len);
	return 1;
}

/*
 * The virtual addresses' side of a Child SA (RFC 7296 §2.19): the client's
 * inner addresses once assigned, any address of the families it asks for
 * until then (the gateway narrows). Returns 0 when virtual addresses play
 * no part on that side.
 */
static size_t vip_ts(const struct ike_sa *sa, bool local, struct ike_ts *out)
{
	const struct conf_conn *c = sa->conn;
	bool client = c->n_vips && !sa->vips_leased;
	size_t n = 0;

	if (local != client || (client ? c->n_local_ts : !sa->vips_leased))
		return 0;
	if (!sa->n_vips) {
		for (size_t i = 0; i < c->n_vips; i++)
			ts_any(&out[n++], c->vips[i].family == AF_INET6 ? IKE_TS_IPV6_ADDR_RANGE :
									 IKE_TS_IPV4_ADDR_RANGE);
		return n;
	}
	for (size_t i = 0; i < sa->n_vips; i++) {
		ike_sockaddr a = { 0 };

		a.sa.sa_family = (sa_family_t)sa->vips[i].family;
		if (a.sa.sa_family == AF_INET6)
			memcpy(&a.sin6.sin6_addr, sa->vips[i].addr, 16);
		else
			memcpy(&a.sin.sin_addr, sa->vips[i].addr, 4);
		n += child_default_ts(&a, &out[n]);
	}
	return n;
}

size_t child_conf_ts(const struct ike_sa *sa, bool local, struct ike_ts *out)
{
	const struct conf_conn *c = sa->conn;
	size_t n = local ? c->n_local_ts : c->n_remote_ts;
	size_t nv = vip_ts(sa, local, out);

	if (nv)
		return nv;
	if (!n)
		return child_default_ts(local ? &sa->local : &sa->remote, out);
	memcpy(out, local ? c->local_ts : c->remote_ts, n * sizeof(*out));
	return n;
}

void child_install(struct ike_sa *sa, struct child_sa *c)
{
	char err[300] = "";

	c->established = time(NULL);
	if (!c->reqid)
		c->reqid = sa->ctx->next_reqid++;
	c->rekey_ms = ike_rekey_due(sa->ctx, sa->conn->rekey);
	ike_sa_add_child(sa, c);
	if (sa->ctx->ops.child_install &&
	    sa->ctx->ops.child_install(sa->ctx->ops.arg, sa, c, err, sizeof(err))) {
		sa_err(sa, "installing Child SA %08x/%08x failed: %s", c->spi_in, c->spi_out,
		       err[0] ? err : "unknown error");
		ike_sa_delete_child(sa, c);
		return;
	}
	c->installed = true;
	sa_info(sa, "Child SA %08x/%08x established (%s mode)", c->spi_in, c->spi_out,
		c->mode == CONF_MODE_TRANSPORT ? "transport" : "tunnel");
}

void child_free(struct child_sa *c)
{
	OPENSSL_cleanse(c, sizeof(*c));
	free(c);
}
