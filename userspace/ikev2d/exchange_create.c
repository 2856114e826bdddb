// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CREATE_CHILD_SA (RFC 7296 §1.3), responder side: a new Child SA or the
 * rekey of one (REKEY_SA, §1.3.3), without PFS. The rekeyed Child SA
 * stays until its initiator deletes it (§2.8). Not implemented yet: the
 * initiator side, KE payloads (PFS), and rekeying the IKE SA (§1.3.2);
 * those requests are answered with NO_PROPOSAL_CHOSEN or
 * NO_ADDITIONAL_SAS, which keeps the IKE SA and its Child SAs as they are.
 */
#include <openssl/rand.h>
#include "exchange.h"

static void refuse(struct ike_sa *sa, uint32_t mid, uint16_t type, const char *why)
{
	uint8_t buf[64];
	struct ike_wbuf w;

	sa_warn(sa, "CREATE_CHILD_SA refused with %s: %s", ike_notify_name(type), why);
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_notify_simple(&w, type, NULL, 0);
	ike_sa_send_response(sa, IKE_CREATE_CHILD_SA, mid, &w);
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
		refuse(sa, mid, IKE_N_INVALID_SYNTAX, "SA or Nonce missing or malformed");
		return;
	}
	if (offered.prop[0].protocol == IKE_PROTO_IKE) {
		refuse(sa, mid, IKE_N_NO_ADDITIONAL_SAS, "IKE SA rekeying is not implemented");
		return;
	}
	if (ike_msg_find(m, IKE_PL_KE)) {
		refuse(sa, mid, IKE_N_NO_PROPOSAL_CHOSEN, "PFS (a KE payload) is not implemented");
		return;
	}
	if (ike_msg_notify(m, IKE_N_REKEY_SA, &n)) {
		uint32_t spi;

		if (n.protocol != IKE_PROTO_ESP || n.spi.len != 4) {
			refuse(sa, mid, IKE_N_INVALID_SYNTAX, "REKEY_SA for something else than ESP");
			return;
		}
		spi = (uint32_t)n.spi.ptr[0] << 24 | n.spi.ptr[1] << 16 | n.spi.ptr[2] << 8 |
		      n.spi.ptr[3];
		old = ike_sa_child_by_spi_out(sa, spi);
		if (!old) {
			refuse(sa, mid, IKE_N_CHILD_SA_NOT_FOUND, "no such Child SA");
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
		sa_info(sa, "Child SA %08x/%08x rekeyed", old->spi_in, old->spi_out);
	}
	child_install(sa, c);
}
