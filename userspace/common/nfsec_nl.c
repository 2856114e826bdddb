// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nfsec generic-netlink client over libnl-genl-3.
 *
 * libnl 3.7 does not parse extended acks itself: the socket asks for them
 * (NETLINK_EXT_ACK, NETLINK_CAP_ACK) and the error, ack and done callbacks
 * read the NLMSGERR_ATTR_* TLVs that follow the error code.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "nfsec_nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct nfsec_nl {
	struct nl_sock *sk;
	int family;
	int events_grp;
	int sndbuf;
};

/* State of one request while its replies come in. */
struct req_ctx {
	nfsec_nl_msg_cb cb;
	void *arg;
	struct nfsec_nl_err *err;
	int cb_error;
	bool done;
	bool intr;
};

static void err_clear(struct nfsec_nl_err *err)
{
	memset(err, 0, sizeof(*err));
}

static void err_set(struct nfsec_nl_err *err, int error, const char *what)
{
	err->error = error;
	snprintf(err->msg, sizeof(err->msg), "%s", what);
}

/* libnl's own error codes, for failures that happen before the kernel. */
static int nlerr_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_ATTRSIZE:
		return -E2BIG;
	case NLE_PERM:
		return -EPERM;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INTR:
		return -EINTR;
	case NLE_DUMP_INTR:
		return -EAGAIN;
	case NLE_SEQ_MISMATCH:
	case NLE_MSG_TRUNC:
	case NLE_PARSE_ERR:
		return -EPROTO;
	}
	return -EIO;
}

/* Read the NLMSGERR_ATTR_* TLVs that start at byte off of nlh. */
static void parse_ext_ack_at(const struct nlmsghdr *nlh, size_t off,
			     struct nfsec_nl_err *err)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= nlh->nlmsg_len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		      (int)(nlh->nlmsg_len - off), NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG]) {
		const char *s = nla_data(tb[NLMSGERR_ATTR_MSG]);
		int len = nla_len(tb[NLMSGERR_ATTR_MSG]);

		snprintf(err->msg, sizeof(err->msg), "%.*s", len, s);
	}
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) == 4) {
		err->has_offs = true;
		err->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) == 4) {
		err->has_miss_type = true;
		err->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	}
	if (tb[NLMSGERR_ATTR_MISS_NEST] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_NEST]) == 4) {
		err->has_miss_nest = true;
		err->miss_nest = nla_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]);
	}
}

/* An NLMSG_ERROR: the TLVs follow the echoed request (or its header). */
void nfsec_nl_parse_ext_ack(const struct nlmsghdr *nlh,
			    struct nfsec_nl_err *err)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off = NLMSG_HDRLEN + sizeof(*e);

	if (nlh->nlmsg_len < off)
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - NLMSG_HDRLEN;
	parse_ext_ack_at(nlh, off, err);
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct req_ctx *c = arg;
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)e - 1;

	c->err->error = e->error;
	nfsec_nl_parse_ext_ack(nlh, c->err);
	if (!c->err->msg[0])
		snprintf(c->err->msg, sizeof(c->err->msg), "%s",
			 strerror(-e->error));
	c->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct req_ctx *c = arg;

	/* A success may carry a warning. */
	nfsec_nl_parse_ext_ack(nlmsg_hdr(msg), c->err);
	c->done = true;
	return NL_STOP;
}

/* NLMSG_DONE carries the dump's final status and, since 4.20, an extack. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct req_ctx *c = arg;

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		int status = *(int *)NLMSG_DATA(nlh);

		parse_ext_ack_at(nlh, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int)),
				 c->err);
		if (status < 0) {
			c->err->error = status;
			if (!c->err->msg[0])
				snprintf(c->err->msg, sizeof(c->err->msg),
					 "%s", strerror(-status));
		}
	}
	c->done = true;
	return NL_STOP;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct req_ctx *c = arg;

	c->intr = true;
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[NFSEC_A_MAX + 1];
	struct req_ctx *c = arg;
	int ret;

	if (c->cb_error || !c->cb)
		return NL_OK;
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NFSEC_A_MAX, NULL)) {
		c->cb_error = -EPROTO;
		return NL_OK;
	}
	ret = c->cb(nlmsg_hdr(msg), tb, c->arg);
	if (ret < 0)
		c->cb_error = ret;
	return NL_OK;
}

struct nfsec_nl *nfsec_nl_open(struct nfsec_nl_err *err)
{
	struct nfsec_nl *nl;
	int one = 1, ret;

	err_clear(err);
	nl = calloc(1, sizeof(*nl));
	if (!nl) {
		err_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	nl->events_grp = -1;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		err_set(err, -ENOMEM, "out of memory");
		goto fail;
	}
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		err_set(err, nlerr_errno(ret), "cannot open a generic netlink socket");
		goto fail;
	}
	/* Both are best effort: old kernels work, with less precise errors. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl_socket_enable_msg_peek(nl->sk);

	nl->family = genl_ctrl_resolve(nl->sk, NFSEC_GENL_NAME);
	if (nl->family < 0) {
		if (nl->family == -NLE_OBJ_NOTFOUND)
			err_set(err, -ENOENT,
				"generic netlink family \"" NFSEC_GENL_NAME
				"\" not found");
		else
			err_set(err, nlerr_errno(nl->family),
				"cannot resolve generic netlink family \""
				NFSEC_GENL_NAME "\"");
		goto fail;
	}
	return nl;
fail:
	nfsec_nl_close(nl);
	return NULL;
}

struct nfsec_nl *nfsec_nl_wrap(struct nl_sock *sk, int family)
{
	struct nfsec_nl *nl = calloc(1, sizeof(*nl));

	if (!nl)
		return NULL;
	nl->sk = sk;
	nl->family = family;
	nl->events_grp = -1;
	return nl;
}

void nfsec_nl_close(struct nfsec_nl *nl)
{
	if (!nl)
		return;
	if (nl->sk)
		nl_socket_free(nl->sk);
	free(nl);
}

int nfsec_nl_fd(const struct nfsec_nl *nl)
{
	return nl_socket_get_fd(nl->sk);
}

struct nl_msg *nfsec_nl_msg_new(struct nfsec_nl *nl, uint8_t cmd, int flags,
				size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, NFSEC_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/*
 * A large request (an atomic replace of a big SPD) may exceed the default
 * send buffer; the kernel refuses messages larger than it. Grow it, with
 * SO_SNDBUFFORCE when allowed (CAP_NET_ADMIN) since SO_SNDBUF is capped
 * by net.core.wmem_max.
 */
static void fit_sndbuf(struct nfsec_nl *nl, size_t len)
{
	int fd = nl_socket_get_fd(nl->sk);
	int want;

	if (len < 128 * 1024 || (size_t)nl->sndbuf >= 2 * len ||
	    len > INT32_MAX / 4)
		return;
	want = (int)(2 * len + 64 * 1024);
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)))
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
	nl->sndbuf = want;
}

static int run(struct nfsec_nl *nl, struct nl_msg *msg, struct req_ctx *c)
{
	struct nl_cb *cb;
	int ret;

	err_clear(c->err);
	c->cb_error = 0;
	c->done = false;
	c->intr = false;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		err_set(c->err, -ENOMEM, "out of memory");
		return -ENOMEM;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, c);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, c);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, c);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, c);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, c);

	/* A message sent again (a dump restart) needs a new sequence number. */
	nlmsg_hdr(msg)->nlmsg_seq = NL_AUTO_SEQ;
	fit_sndbuf(nl, nlmsg_hdr(msg)->nlmsg_len);
	ret = nl_send_auto(nl->sk, msg);
	if (ret < 0) {
		err_set(c->err, nlerr_errno(ret), nl_geterror(ret));
		if (ret == -NLE_MSGSIZE || ret == -NLE_NOMEM)
			snprintf(c->err->msg, sizeof(c->err->msg),
				 "request of %u bytes too large to send (the socket buffer could not grow to fit: that needs CAP_NET_ADMIN, or net.core.wmem_max of at least the request's size)",
				 nlmsg_hdr(msg)->nlmsg_len);
		goto out;
	}
	while (!c->done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0) {
			if (!c->err->error)
				err_set(c->err, nlerr_errno(ret), nl_geterror(ret));
			break;
		}
	}
	if (!c->err->error && c->cb_error) {
		c->err->error = c->cb_error;
		if (!c->err->msg[0])
			snprintf(c->err->msg, sizeof(c->err->msg),
				 "unexpected reply: %s", strerror(-c->cb_error));
	}
out:
	nl_cb_put(cb);
	return c->err->error;
}

int nfsec_nl_request(struct nfsec_nl *nl, struct nl_msg *msg,
		     nfsec_nl_msg_cb cb, void *arg, struct nfsec_nl_err *err)
{
	struct req_ctx c = { .cb = cb, .arg = arg, .err = err };

	return run(nl, msg, &c);
}

int nfsec_nl_dump(struct nfsec_nl *nl, struct nl_msg *msg, nfsec_nl_msg_cb cb,
		  nfsec_nl_restart_cb restart, void *arg,
		  struct nfsec_nl_err *err)
{
	struct req_ctx c = { .cb = cb, .arg = arg, .err = err };

	for (int tries = 0; tries <= NFSEC_NL_DUMP_RETRIES; tries++) {
		int ret;

		if (tries && restart)
			restart(arg);
		/*
		 * A dump ends with NLMSG_DONE; without NLM_F_ACK no kernel
		 * adds an acknowledgement after it that would be left unread.
		 */
		nl_socket_disable_auto_ack(nl->sk);
		ret = run(nl, msg, &c);
		nl_socket_enable_auto_ack(nl->sk);
		if (ret || !c.intr)
			return ret;
	}
	err_set(err, -EAGAIN,
		"the SPD kept changing during the dump; try again");
	return -EAGAIN;
}

int nfsec_nl_subscribe(struct nfsec_nl *nl, struct nfsec_nl_err *err)
{
	int ret;

	err_clear(err);
	nl->events_grp = genl_ctrl_resolve_grp(nl->sk, NFSEC_GENL_NAME,
					       NFSEC_MCGRP_EVENTS);
	if (nl->events_grp < 0) {
		err_set(err, nlerr_errno(nl->events_grp),
			"multicast group \"" NFSEC_MCGRP_EVENTS
			"\" of family \"" NFSEC_GENL_NAME "\" not found");
		return err->error;
	}
	ret = nl_socket_add_membership(nl->sk, nl->events_grp);
	if (ret < 0) {
		err_set(err, nlerr_errno(ret), "cannot join the events group");
		return err->error;
	}
	return 0;
}

static int any_seq(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

int nfsec_nl_recv_events(struct nfsec_nl *nl, nfsec_nl_msg_cb cb, void *arg,
			 struct nfsec_nl_err *err)
{
	struct req_ctx c = { .cb = cb, .arg = arg, .err = err };
	struct nl_cb *ncb;
	int ret;

	err_clear(err);
	ncb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!ncb) {
		err_set(err, -ENOMEM, "out of memory");
		return -ENOMEM;
	}
	nl_cb_set(ncb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &c);
	/* Events are not answers: their sequence number is 0. */
	nl_cb_set(ncb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, any_seq, NULL);
	ret = nl_recvmsgs(nl->sk, ncb);
	nl_cb_put(ncb);
	if (ret == -NLE_NOMEM || ret == -NLE_MSG_OVERFLOW) {
		/* recvmsg() said ENOBUFS: the kernel dropped events. */
		err_set(err, -ENOBUFS, "events were lost (receive buffer overrun)");
		return -ENOBUFS;
	}
	if (ret < 0) {
		err_set(err, nlerr_errno(ret), nl_geterror(ret));
		return err->error;
	}
	if (c.cb_error) {
		err_set(err, c.cb_error, "malformed event");
		return c.cb_error;
	}
	return 0;
}

int nfsec_nl_attr_path(struct nl_msg *req, uint32_t offs,
		       struct nfsec_nl_attr_step *path, int max)
{
	struct nlmsghdr *nlh = nlmsg_hdr(req);
	struct genlmsghdr *gnlh = nlmsg_data(nlh);
	struct nlattr *head = genlmsg_attrdata(gnlh, 0);
	int rem = genlmsg_attrlen(gnlh, 0);
	int depth = 0;

	while (depth < max) {
		uint32_t seen[256] = { 0 };
		struct nlattr *a, *hit = NULL;
		int r;

		nla_for_each_attr(a, head, rem, r) {
			uint32_t start = (uint32_t)((char *)a - (char *)nlh);
			uint16_t type = (uint16_t)nla_type(a);

			if (offs >= start &&
			    offs < start + (uint32_t)nla_total_size(nla_len(a))) {
				path[depth].type = type;
				path[depth].index = seen[type & 0xff];
				hit = a;
				break;
			}
			seen[type & 0xff]++;
		}
		if (!hit)
			return 0;
		depth++;
		if ((char *)hit - (char *)nlh == (long)offs)
			return depth;
		/* Inside this attribute: it is a nest; look among its children. */
		head = nla_data(hit);
		rem = nla_len(hit);
	}
	return 0;
}

struct nlattr *nfsec_nest_start(struct nl_msg *msg, int type)
{
	return nla_nest_start(msg, type | NLA_F_NESTED);
}

static const char *const cmd_names[] = {
	[NFSEC_CMD_POLICY_NEW] = "policy-new",
	[NFSEC_CMD_POLICY_DEL] = "policy-del",
	[NFSEC_CMD_POLICY_GET] = "policy-get",
	[NFSEC_CMD_POLICY_FLUSH] = "policy-flush",
	[NFSEC_CMD_POLICY_REPLACE] = "policy-replace",
	[NFSEC_CMD_POLICY_LOOKUP] = "policy-lookup",
	[NFSEC_CMD_STATS_GET] = "stats-get",
	[NFSEC_CMD_ACQUIRE] = "acquire",
	[NFSEC_CMD_SA_NEW] = "sa-new",
	[NFSEC_CMD_SA_UPDATE] = "sa-update",
	[NFSEC_CMD_SA_DEL] = "sa-del",
	[NFSEC_CMD_SA_GET] = "sa-get",
	[NFSEC_CMD_SA_FLUSH] = "sa-flush",
	[NFSEC_CMD_SPI_ALLOC] = "spi-alloc",
	[NFSEC_CMD_EXPIRE] = "expire",
	[NFSEC_CMD_MAPPING] = "mapping",
};

const char *nfsec_cmd_name(unsigned int cmd)
{
	if (cmd < sizeof(cmd_names) / sizeof(cmd_names[0]) && cmd_names[cmd])
		return cmd_names[cmd];
	return "unknown";
}
