/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_OUTPUT_H
#define _NFSEC_OUTPUT_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

#include "main.h"

int nfsec_output_init(struct nfsec_net *nn);
void nfsec_output_exit(struct nfsec_net *nn);
unsigned int nfsec_output(struct nfsec_net *nn, const struct nfsec_spd *spd,
			  const struct nfsec_policy *pol,
			  const struct nfsec_tuple *t, struct sk_buff *skb);

/* Is this hook seeing a packet nfsec itself sent (ESP/AH, outer)? */
static inline bool nfsec_output_own(const struct nfsec_net *nn,
				    const struct nf_hook_state *state)
{
	return state->sk && (state->sk == nn->xmit_sk4 ||
			     state->sk == nn->xmit_sk6);
}

#endif /* _NFSEC_OUTPUT_H */
