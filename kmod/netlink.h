/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_NETLINK_H
#define _NFSEC_NETLINK_H

int nfsec_genl_init(void);
void nfsec_genl_uninit(void);

#endif /* _NFSEC_NETLINK_H */
