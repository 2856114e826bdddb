/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_AH_H
#define _NFSEC_AH_H

#include "esp.h"

/*
 * AH (RFC 4302) on one packet; the same contract as nfsec_esp_output() and
 * nfsec_esp_input() (the keyed hash is synchronous: -EINPROGRESS is never
 * returned today, but callers must handle it). Input errors: -EPROTO
 * (malformed, or a routing header with segments left), -EALREADY,
 * -EBADMSG, -EKEYEXPIRED, -ENOMEM.
 */
int nfsec_ah_output(struct nfsec_sa *sa, struct sk_buff *skb,
		    nfsec_xform_done_t done, void *ctx);
int nfsec_ah_input(struct nfsec_sa *sa, struct sk_buff *skb,
		   nfsec_xform_done_t done, void *ctx);

/* The length of the AH header with its ICV (and IPv6 padding). */
unsigned int nfsec_ah_hlen(const struct nfsec_sa *sa, bool v6);

#endif /* _NFSEC_AH_H */
