// SPDX-License-Identifier: GPL-2.0
/*
 * The nfsec generic-netlink family: the module's only control interface.
 * See uapi/linux/nfsec.h for the commands and their attribute trees.
 */
#include <net/genetlink.h>
#include <linux/nfsec.h>

#include "main.h"
#include "netlink.h"

static struct genl_family nfsec_genl_family;

static int nfsec_put_dir_stats(struct sk_buff *skb,
			       const struct nfsec_stats_total *t,
			       enum nfsec_dir dir)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, NFSEC_STATS_A_DIR);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, NFSEC_DIR_STATS_A_DIR, dir) ||
	    nla_put_u64_64bit(skb, NFSEC_DIR_STATS_A_BYPASS,
			      t->verdict[dir][NFSEC_ACTION_BYPASS],
			      NFSEC_DIR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NFSEC_DIR_STATS_A_DISCARD,
			      t->verdict[dir][NFSEC_ACTION_DISCARD],
			      NFSEC_DIR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NFSEC_DIR_STATS_A_PROTECT,
			      t->verdict[dir][NFSEC_ACTION_PROTECT],
			      NFSEC_DIR_STATS_A_PAD) ||
	    nla_put_u64_64bit(skb, NFSEC_DIR_STATS_A_NOMATCH, t->nomatch[dir],
			      NFSEC_DIR_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int nfsec_put_drop_stats(struct sk_buff *skb,
				const struct nfsec_stats_total *t,
				enum nfsec_drop_reason reason)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, NFSEC_STATS_A_DROP);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, NFSEC_DROP_STATS_A_REASON, reason) ||
	    nla_put_u64_64bit(skb, NFSEC_DROP_STATS_A_PACKETS, t->drop[reason],
			      NFSEC_DROP_STATS_A_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int nfsec_put_stats(struct sk_buff *skb, struct nfsec_net *nn)
{
	struct nfsec_stats_total total;
	struct nlattr *nest;
	int i, err;

	nfsec_stats_fold(nn->stats, &total);
	nest = nla_nest_start(skb, NFSEC_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < __NFSEC_DIR_MAX; i++) {
		err = nfsec_put_dir_stats(skb, &total, i);
		if (err)
			goto cancel;
	}
	for (i = 0; i < __NFSEC_DROP_MAX; i++) {
		err = nfsec_put_drop_stats(skb, &total, i);
		if (err)
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return err;
}

static int nfsec_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nfsec_net *nn = nfsec_net(genl_info_net(info));
	struct sk_buff *reply;
	void *hdr;
	int err;

	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &nfsec_genl_family, 0,
				NFSEC_CMD_STATS_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto free;
	}
	err = nfsec_put_stats(reply, nn);
	if (err)
		goto free;
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
free:
	nlmsg_free(reply);
	return err;
}

/* STATS_GET takes no attributes: an empty policy rejects every one. */
static const struct nla_policy nfsec_stats_get_policy[NFSEC_A_MAX + 1] = {
};

static const struct genl_small_ops nfsec_genl_ops[] = {
	{
		.cmd = NFSEC_CMD_STATS_GET,
		.doit = nfsec_nl_stats_get,
	},
};

static const struct genl_multicast_group nfsec_genl_mcgrps[] = {
	{ .name = NFSEC_MCGRP_EVENTS },
};

static struct genl_family nfsec_genl_family __ro_after_init = {
	.name = NFSEC_GENL_NAME,
	.version = NFSEC_GENL_VERSION,
	.maxattr = NFSEC_A_MAX,
	.policy = nfsec_stats_get_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.small_ops = nfsec_genl_ops,
	.n_small_ops = ARRAY_SIZE(nfsec_genl_ops),
	.resv_start_op = NFSEC_CMD_UNSPEC + 1,
	.mcgrps = nfsec_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nfsec_genl_mcgrps),
};

int __init nfsec_genl_init(void)
{
	return genl_register_family(&nfsec_genl_family);
}

void nfsec_genl_uninit(void)
{
	genl_unregister_family(&nfsec_genl_family);
}
