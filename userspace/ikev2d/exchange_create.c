// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CREATE_CHILD_SA (RFC 7296 §1.3). Not implemented yet: every request is
 * answered with NO_ADDITIONAL_SAS (§1.3), which keeps the IKE SA and its
 * Child SAs as they are; the peer may then reauthenticate or let them
 * expire.
 */
#include "exchange.h"

void create_process_request(struct ike_sa *sa, const struct ike_msg *m, uint32_t mid)
{
	uint8_t buf[64];
	struct ike_wbuf w;

	sa_warn(sa, "CREATE_CHILD_SA is not implemented: answering NO_ADDITIONAL_SAS");
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_notify_simple(&w, IKE_N_NO_ADDITIONAL_SAS, NULL, 0);
	ike_sa_send_response(sa, IKE_CREATE_CHILD_SA, mid, &w);
}
