/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_DEVICE_H
#define _NFSEC_DEVICE_H

#include <linux/netdevice.h>

struct nfsec_net;

int nfsec_dev_create(struct nfsec_net *nn);
void nfsec_dev_destroy(struct nfsec_net *nn);
bool nfsec_dev_rx(struct nfsec_net *nn, struct sk_buff *skb);

#endif /* _NFSEC_DEVICE_H */
