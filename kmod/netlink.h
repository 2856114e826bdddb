/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_NETLINK_H
#define _NFSEC_NETLINK_H

#include "spd.h"

int nfsec_genl_init(void);
void nfsec_genl_uninit(void);
void nfsec_genl_acquire_notify(struct nfsec_net *nn,
			       const struct nfsec_policy *pol,
			       const struct nfsec_tuple *t,
			       const struct nfsec_sel *sel);

#endif /* _NFSEC_NETLINK_H */
