/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_NF_HOOKS_H
#define _NFSEC_NF_HOOKS_H

struct net;

int nfsec_nf_hooks_register(struct net *net);
void nfsec_nf_hooks_unregister(struct net *net);

#endif /* _NFSEC_NF_HOOKS_H */
