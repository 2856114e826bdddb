/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_NETLINK_SA_H
#define _NFSEC_NETLINK_SA_H

#include <net/genetlink.h>
#include <linux/nfsec.h>

struct nfsec_sa;

/* The SA commands of the family (netlink_sa.c); netlink.c lists the ops. */
extern const struct nla_policy nfsec_sa_op_policy[NFSEC_A_MAX + 1];
extern const struct nla_policy nfsec_sa_update_op_policy[NFSEC_A_MAX + 1];
extern const struct nla_policy nfsec_sa_get_op_policy[NFSEC_A_MAX + 1];
extern const struct nla_policy nfsec_spi_op_policy[NFSEC_A_MAX + 1];

int nfsec_nl_sa_new(struct sk_buff *skb, struct genl_info *info);
int nfsec_nl_sa_update(struct sk_buff *skb, struct genl_info *info);
int nfsec_nl_sa_del(struct sk_buff *skb, struct genl_info *info);
int nfsec_nl_sa_get(struct sk_buff *skb, struct genl_info *info);
int nfsec_nl_sa_dump(struct sk_buff *skb, struct netlink_callback *cb);
int nfsec_nl_sa_flush(struct sk_buff *skb, struct genl_info *info);
int nfsec_nl_spi_alloc(struct sk_buff *skb, struct genl_info *info);

/* The SAD's expire callback (nfsec_sa_expire_t): NFSEC_CMD_EXPIRE. */
void nfsec_genl_sa_expire(struct nfsec_sa *sa, bool hard,
			  enum nfsec_expire_reason reason, void *arg);

struct nfsec_net;
union nfsec_addr;

/* The packet path saw a NAT mapping change: NFSEC_CMD_MAPPING. */
void nfsec_genl_sa_mapping(struct nfsec_net *nn, struct nfsec_sa *sa,
			   const union nfsec_addr *saddr, __be16 sport);

#endif /* _NFSEC_NETLINK_SA_H */
