// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * INFORMATIONAL (RFC 7296 §1.4): Delete of Child SAs and of the IKE SA,
 * and empty liveness checks (dead peer detection, §2.4); MOBIKE's
 * notifies go to exchange_mobike.c. Notifies we do not know are ignored.
 */
#include <string.h>
#include "exchange.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void put_spis(uint8_t *out, const uint32_t *spis, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[4 * i] = spis[i] >> 24;
		out[4 * i + 1] = spis[i] >> 16;
		out[4 * i + 2] = spis[i] >> 8;
		out[4 * i + 3] = spis[i];
	}
}

int info_start(struct ike_sa *sa, enum ike_req_kind kind)
{
	uint8_t buf[512], spis[4 * IKE_MAX_CHILD_DEL];
	struct ike_delete d = { 0 };
	struct ike_wbuf w;

	ike_wbuf_init(&w, buf, sizeof(buf));
	switch (kind) {
	case IKE_REQ_DELETE_IKE:
		d.protocol = IKE_PROTO_IKE;
		ike_put_delete(&w, &d);
		ike_sa_set_state(sa, IKE_SA_DELETING);
		sa_info(sa, "sending Delete for the IKE SA");
		break;
	case IKE_REQ_DELETE_CHILD:
		d.protocol = IKE_PROTO_ESP;
		d.spi_size = 4;
		d.n_spi = (uint16_t)sa->n_del;
		put_spis(spis, sa->del_spis, sa->n_del);
		d.spis = IKE_BUF(spis, 4 * sa->n_del);
		ike_put_delete(&w, &d);
		memcpy(sa->req_del_spis, sa->del_spis, sa->n_del * sizeof(uint32_t));
		sa->req_n_del = sa->n_del;
		sa->n_del = 0;
		break;
	case IKE_REQ_DPD:
		sa_debug(sa, "sending a liveness check");
		break;
	default:
		return -1;
	}
	return ike_sa_send_request(sa, kind, IKE_INFORMATIONAL, &w);
}

void info_process_request(struct ike_sa *sa, const struct ike_msg *m, uint32_t mid)
{
	uint32_t ours[IKE_MAX_CHILD_DEL];
	uint8_t buf[1024], spis[4 * IKE_MAX_CHILD_DEL];
	struct ike_delete d;
	struct ike_wbuf w;
	size_t n_ours = 0;
	bool delete_ike = false;

	for (unsigned int i = 0; i < m->n; i++) {
		if (m->pl[i].type != IKE_PL_DELETE || ike_parse_delete(m->pl[i].body, &d))
			continue;
		if (d.protocol == IKE_PROTO_IKE) {
			delete_ike = true;
			continue;
		}
		if (d.protocol != IKE_PROTO_ESP || d.spi_size != 4)
			continue;
		for (unsigned int k = 0; k < d.n_spi && 4 * (k + 1) <= d.spis.len; k++) {
			uint32_t spi = get32(d.spis.ptr + 4 * k);
			struct child_sa *c = ike_sa_child_by_spi_out(sa, spi);

			if (!c) {
				sa_debug(sa, "Delete for unknown Child SA %08x", spi);
				continue;
			}
			sa_info(sa, "peer deletes Child SA %08x/%08x", c->spi_in, c->spi_out);
			if (n_ours < IKE_MAX_CHILD_DEL)
				ours[n_ours++] = c->spi_in;
			/* §1.4.1: a Delete we sent for the same SA crossed this one */
			ike_sa_remove_child(sa, c);
		}
	}
	ike_wbuf_init(&w, buf, sizeof(buf));
	if (delete_ike) {
		sa_info(sa, "peer deletes the IKE SA");
		ike_sa_send_response(sa, IKE_INFORMATIONAL, mid, &w);
		ike_sa_kill(sa, "deleted by the peer");
		return;
	}
	if (n_ours) {
		memset(&d, 0, sizeof(d));
		d.protocol = IKE_PROTO_ESP;
		d.spi_size = 4;
		d.n_spi = (uint16_t)n_ours;
		put_spis(spis, ours, n_ours);
		d.spis = IKE_BUF(spis, 4 * n_ours);
		ike_put_delete(&w, &d);
	}
	mobike_process_request(sa, m, &w);
	ike_sa_send_response(sa, IKE_INFORMATIONAL, mid, &w);
}

void info_process_response(struct ike_sa *sa, const struct ike_msg *m, enum ike_req_kind kind)
{
	switch (kind) {
	case IKE_REQ_DELETE_IKE:
		ike_sa_kill(sa, "deleted");
		break;
	case IKE_REQ_DELETE_CHILD:
		sa_debug(sa, "peer confirmed the deletion of %zu Child SA(s)", sa->req_n_del);
		sa->req_n_del = 0;
		break;
	case IKE_REQ_DPD:
		sa_debug(sa, "peer is alive");
		break;
	default:
		break;
	}
}
