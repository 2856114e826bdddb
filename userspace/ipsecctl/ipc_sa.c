// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsecctl's SA operations over the nfsec netlink family: SA new, update,
 * del, get (do and dump), flush, and SPI allocation.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "ipc.h"

int ipc_sa_add(struct nfsec_nl *nl, const struct nfsec_sa *sa,
	       struct ipc_err *e)
{
	struct nl_msg *msg = ipc_new_msg(nl, NFSEC_CMD_SA_NEW, 0, 0, e);

	if (!msg)
		return -ENOMEM;
	if (nfsec_sa_put(msg, NFSEC_A_SA, sa))
		return ipc_put_failed(msg, e);
	return ipc_request(nl, msg, NULL, NULL, e);
}

int ipc_sa_del(struct nfsec_nl *nl, const struct nfsec_sa *id,
	       struct ipc_err *e)
{
	struct nl_msg *msg = ipc_new_msg(nl, NFSEC_CMD_SA_DEL, 0, 0, e);

	if (!msg)
		return -ENOMEM;
	if (nfsec_sa_id_put(msg, NFSEC_A_SA, id))
		return ipc_put_failed(msg, e);
	return ipc_request(nl, msg, NULL, NULL, e);
}

static int get_reply(const struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct nfsec_sa *sa = arg;

	if (!tb[NFSEC_A_SA] || nfsec_sa_parse_nl(tb[NFSEC_A_SA], sa))
		return -EPROTO;
	return 0;
}

int ipc_sa_get(struct nfsec_nl *nl, const struct nfsec_sa *id, bool keys,
	       struct nfsec_sa *sa, struct ipc_err *e)
{
	struct nl_msg *msg = ipc_new_msg(nl, NFSEC_CMD_SA_GET, 0, 0, e);

	memset(sa, 0, sizeof(*sa));
	if (!msg)
		return -ENOMEM;
	if (nfsec_sa_id_put(msg, NFSEC_A_SA, id) ||
	    (keys && nla_put_flag(msg, NFSEC_A_SHOW_KEYS)))
		return ipc_put_failed(msg, e);
	return ipc_request(nl, msg, get_reply, sa, e);
}

static int list_reply(const struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct sa_vec *sv = arg;

	if (!tb[NFSEC_A_SA])
		return -EPROTO;
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 16;
		struct nfsec_sa *v = realloc(sv->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		sv->v = v;
		sv->cap = cap;
	}
	if (nfsec_sa_parse_nl(tb[NFSEC_A_SA], &sv->v[sv->n]))
		return -EPROTO;
	sv->n++;
	return 0;
}

static void list_restart(void *arg)
{
	struct sa_vec *sv = arg;

	for (size_t i = 0; i < sv->n; i++)
		nfsec_sa_wipe(&sv->v[i]);
	sv->n = 0;
}

int ipc_sa_list(struct nfsec_nl *nl, const struct nfsec_sa *filter, bool keys,
		struct sa_vec *out, struct ipc_err *e)
{
	struct nl_msg *msg = ipc_new_msg(nl, NFSEC_CMD_SA_GET, NLM_F_DUMP, 0, e);
	int ret;

	memset(out, 0, sizeof(*out));
	if (!msg)
		return -ENOMEM;
	if (filter->proto || filter->has_reqid) {
		struct nfsec_sa f = { 0 };

		f.proto = filter->proto;
		f.has_reqid = filter->has_reqid;
		f.reqid = filter->reqid;
		if (nfsec_sa_id_put(msg, NFSEC_A_SA, &f))
			return ipc_put_failed(msg, e);
	}
	if (keys && nla_put_flag(msg, NFSEC_A_SHOW_KEYS))
		return ipc_put_failed(msg, e);
	ret = ipc_dump(nl, msg, list_reply, list_restart, out, e);
	if (!ret) {
		/* Be exact whatever the kernel filtered. */
		size_t n = 0;

		for (size_t i = 0; i < out->n; i++)
			if ((!filter->proto || out->v[i].proto == filter->proto) &&
			    (!filter->has_reqid ||
			     (out->v[i].has_reqid &&
			      out->v[i].reqid == filter->reqid)))
				out->v[n++] = out->v[i];
		out->n = n;
	}
	return ret;
}

void sa_vec_free(struct sa_vec *sv)
{
	if (sv->v)
		explicit_bzero(sv->v, sv->cap * sizeof(*sv->v));
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

int ipc_sa_flush(struct nfsec_nl *nl, uint8_t proto, struct ipc_err *e)
{
	struct nl_msg *msg = ipc_new_msg(nl, NFSEC_CMD_SA_FLUSH, 0, 0, e);
	struct nfsec_sa f = { .proto = proto };

	if (!msg)
		return -ENOMEM;
	if (proto && nfsec_sa_id_put(msg, NFSEC_A_SA, &f))
		return ipc_put_failed(msg, e);
	return ipc_request(nl, msg, NULL, NULL, e);
}

int ipc_sa_update(struct nfsec_nl *nl, const struct nfsec_sa *id,
		  const struct nfsec_sa_path *path, struct ipc_err *e)
{
	struct nl_msg *msg = ipc_new_msg(nl, NFSEC_CMD_SA_UPDATE, 0, 0, e);

	if (!msg)
		return -ENOMEM;
	if (nfsec_sa_id_put(msg, NFSEC_A_SA, id) ||
	    nfsec_sa_path_put(msg, NFSEC_A_SA_PATH, path))
		return ipc_put_failed(msg, e);
	return ipc_request(nl, msg, NULL, NULL, e);
}

static int spi_reply(const struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct nfsec_sa sa;
	uint32_t *spi = arg;

	if (!tb[NFSEC_A_SA] || nfsec_sa_parse_nl(tb[NFSEC_A_SA], &sa) ||
	    !sa.has_spi)
		return -EPROTO;
	*spi = sa.spi;
	return 0;
}

int ipc_spi_alloc(struct nfsec_nl *nl, const struct spi_alloc_req *r,
		  uint32_t *spi, struct ipc_err *e)
{
	struct nl_msg *msg = ipc_new_msg(nl, NFSEC_CMD_SPI_ALLOC, 0, 0, e);

	*spi = 0;
	if (!msg)
		return -ENOMEM;
	if (nfsec_sa_id_put(msg, NFSEC_A_SA, &r->id) ||
	    (r->has_range && (nla_put_u32(msg, NFSEC_A_SPI_MIN, r->min) ||
			      nla_put_u32(msg, NFSEC_A_SPI_MAX, r->max))))
		return ipc_put_failed(msg, e);
	return ipc_request(nl, msg, spi_reply, spi, e);
}
