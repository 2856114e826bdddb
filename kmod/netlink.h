/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_NETLINK_H
#define _NFSEC_NETLINK_H

#include <net/genetlink.h>

#include "spd.h"
#include "netlink_sa.h"

int nfsec_genl_init(void);
void nfsec_genl_uninit(void);
void nfsec_genl_acquire_notify(struct nfsec_net *nn,
			       const struct nfsec_policy *pol,
			       const struct nfsec_tuple *t,
			       const struct nfsec_sel *sel);

/* Shared by netlink.c (policies) and netlink_sa.c (SAs). */
extern struct genl_family nfsec_genl_family;

struct sk_buff *nfsec_genl_event_new(struct nfsec_net *nn, u8 cmd, int attr,
				     gfp_t gfp, struct nlattr **nest);
void nfsec_genl_event_send(struct nfsec_net *nn, struct sk_buff *skb,
			   struct nlattr *nest, gfp_t gfp);
extern const struct nla_policy nfsec_sel_nl_policy[NFSEC_SEL_A_MAX + 1];
int nfsec_nl_validate_addr(const struct nlattr *attr,
			   struct netlink_ext_ack *extack);
int nfsec_nl_validate_ipsec_proto(const struct nlattr *attr,
				  struct netlink_ext_ack *extack);
int nfsec_nl_parse_sel(const struct nlattr *nest, struct nfsec_policy_spec *spec,
		       unsigned int *alen, struct netlink_ext_ack *extack);
int nfsec_nl_put_sel(struct sk_buff *skb, int type, const struct nfsec_sel *sel,
		     u16 family, const char *name);

#endif /* _NFSEC_NETLINK_H */
