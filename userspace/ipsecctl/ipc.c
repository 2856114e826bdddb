// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsecctl's kernel operations over the nfsec netlink family. Requests are
 * built from neutral structs, replies decoded into them, and every failure
 * comes back with the kernel's extack text and the attribute it names.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "ipc.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- naming the attribute an extack points at ---- */

struct attr_space {
	const char *const *names;
	size_t n;
	const struct attr_space *const *sub;	/* indexed by type, may be NULL */
	bool list;				/* members are numbered */
};

#define SPACE(names, sub, list) { names, ARRAY_SIZE(names), sub, list }

static const char *const addr_names[] = {
	[NFSEC_ADDR_A_START] = "start",
	[NFSEC_ADDR_A_END] = "end",
	[NFSEC_ADDR_A_PREFIXLEN] = "prefixlen",
};
static const struct attr_space addr_space = SPACE(addr_names, NULL, false);

static const char *const sel_names[] = {
	[NFSEC_SEL_A_SRC] = "src",
	[NFSEC_SEL_A_DST] = "dst",
	[NFSEC_SEL_A_PROTO] = "proto",
	[NFSEC_SEL_A_SPORT_MIN] = "sport-min",
	[NFSEC_SEL_A_SPORT_MAX] = "sport-max",
	[NFSEC_SEL_A_DPORT_MIN] = "dport-min",
	[NFSEC_SEL_A_DPORT_MAX] = "dport-max",
	[NFSEC_SEL_A_ICMP_TYPE] = "icmp-type",
	[NFSEC_SEL_A_ICMP_CODE] = "icmp-code",
	[NFSEC_SEL_A_PORTS_OPAQUE] = "ports-opaque",
	[NFSEC_SEL_A_NAME] = "name",
	[NFSEC_SEL_A_PFP] = "pfp",
};
static const struct attr_space *const sel_sub[] = {
	[NFSEC_SEL_A_SRC] = &addr_space,
	[NFSEC_SEL_A_DST] = &addr_space,
	[NFSEC_SEL_A_PFP] = NULL,
};
static const struct attr_space sel_space = SPACE(sel_names, sel_sub, false);

static const char *const ipsec_names[] = {
	[NFSEC_IPSEC_A_PROTO] = "proto",
	[NFSEC_IPSEC_A_MODE] = "mode",
	[NFSEC_IPSEC_A_TUNNEL_SRC] = "tunnel-src",
	[NFSEC_IPSEC_A_TUNNEL_DST] = "tunnel-dst",
	[NFSEC_IPSEC_A_REQID] = "reqid",
	[NFSEC_IPSEC_A_PROPOSAL] = "proposal",
};
static const struct attr_space ipsec_space = SPACE(ipsec_names, NULL, false);

static const char *const policy_names[] = {
	[NFSEC_POLICY_A_ID] = "id",
	[NFSEC_POLICY_A_DIR] = "dir",
	[NFSEC_POLICY_A_PRIORITY] = "priority",
	[NFSEC_POLICY_A_FAMILY] = "family",
	[NFSEC_POLICY_A_SEL] = "sel",
	[NFSEC_POLICY_A_ACTION] = "action",
	[NFSEC_POLICY_A_IPSEC] = "ipsec",
	[NFSEC_POLICY_A_STATS] = "stats",
};
static const struct attr_space *const policy_sub[] = {
	[NFSEC_POLICY_A_SEL] = &sel_space,
	[NFSEC_POLICY_A_IPSEC] = &ipsec_space,
	[NFSEC_POLICY_A_STATS] = NULL,
};
static const struct attr_space policy_space =
	SPACE(policy_names, policy_sub, false);

static const char *const list_names[] = {
	[NFSEC_A_POLICY] = "policy",
};
static const struct attr_space *const list_sub[] = {
	[NFSEC_A_POLICY] = &policy_space,
};
static const struct attr_space list_space = SPACE(list_names, list_sub, true);

static const char *const lookup_names[] = {
	[NFSEC_LOOKUP_A_DIR] = "dir",
	[NFSEC_LOOKUP_A_SRC] = "src",
	[NFSEC_LOOKUP_A_DST] = "dst",
	[NFSEC_LOOKUP_A_PROTO] = "proto",
	[NFSEC_LOOKUP_A_SPORT] = "sport",
	[NFSEC_LOOKUP_A_DPORT] = "dport",
	[NFSEC_LOOKUP_A_RESULT] = "result",
	[NFSEC_LOOKUP_A_TABLE] = "table",
};
static const struct attr_space lookup_space = SPACE(lookup_names, NULL, false);

static const char *const alg_names[] = {
	[NFSEC_ALG_A_NAME] = "name",
	[NFSEC_ALG_A_KEY] = "key",
	[NFSEC_ALG_A_ICV_BITS] = "icv-bits",
};
static const struct attr_space alg_space = SPACE(alg_names, NULL, false);

static const char *const encap_names[] = {
	[NFSEC_ENCAP_A_SPORT] = "sport",
	[NFSEC_ENCAP_A_DPORT] = "dport",
};
static const struct attr_space encap_space = SPACE(encap_names, NULL, false);

static const char *const lifetime_names[] = {
	[NFSEC_LIFETIME_A_BYTES] = "bytes",
	[NFSEC_LIFETIME_A_PACKETS] = "packets",
	[NFSEC_LIFETIME_A_ADD_SECONDS] = "add-seconds",
	[NFSEC_LIFETIME_A_USE_SECONDS] = "use-seconds",
};
static const struct attr_space lifetime_space =
	SPACE(lifetime_names, NULL, false);

static const char *const sa_names[] = {
	[NFSEC_SA_A_SPI] = "spi",
	[NFSEC_SA_A_PROTO] = "proto",
	[NFSEC_SA_A_MODE] = "mode",
	[NFSEC_SA_A_DIR] = "dir",
	[NFSEC_SA_A_FAMILY] = "family",
	[NFSEC_SA_A_SRC] = "src",
	[NFSEC_SA_A_DST] = "dst",
	[NFSEC_SA_A_REQID] = "reqid",
	[NFSEC_SA_A_SEL] = "sel",
	[NFSEC_SA_A_AEAD] = "aead",
	[NFSEC_SA_A_ENC] = "enc",
	[NFSEC_SA_A_AUTH] = "auth",
	[NFSEC_SA_A_REPLAY_WINDOW] = "replay-window",
	[NFSEC_SA_A_FLAGS] = "flags",
	[NFSEC_SA_A_DF] = "df",
	[NFSEC_SA_A_DSCP] = "dscp",
	[NFSEC_SA_A_ENCAP] = "encap",
	[NFSEC_SA_A_LIFETIME_SOFT] = "lifetime-soft",
	[NFSEC_SA_A_LIFETIME_HARD] = "lifetime-hard",
	[NFSEC_SA_A_TFC_PAD] = "tfc-pad",
	[NFSEC_SA_A_MTU] = "mtu",
	[NFSEC_SA_A_SEQ] = "seq",
	[NFSEC_SA_A_STATS] = "stats",
	[NFSEC_SA_A_CURRENT] = "current",
	[NFSEC_SA_A_PMTU] = "pmtu",
};
static const struct attr_space *const sa_sub[] = {
	[NFSEC_SA_A_SEL] = &sel_space,
	[NFSEC_SA_A_AEAD] = &alg_space,
	[NFSEC_SA_A_ENC] = &alg_space,
	[NFSEC_SA_A_AUTH] = &alg_space,
	[NFSEC_SA_A_ENCAP] = &encap_space,
	[NFSEC_SA_A_LIFETIME_SOFT] = &lifetime_space,
	[NFSEC_SA_A_LIFETIME_HARD] = &lifetime_space,
	[NFSEC_SA_A_CURRENT] = NULL,
};
static const struct attr_space sa_space = SPACE(sa_names, sa_sub, false);

static const char *const path_names[] = {
	[NFSEC_SA_PATH_A_FAMILY] = "family",
	[NFSEC_SA_PATH_A_SRC] = "src",
	[NFSEC_SA_PATH_A_DST] = "dst",
	[NFSEC_SA_PATH_A_ENCAP] = "encap",
};
static const struct attr_space *const path_sub[] = {
	[NFSEC_SA_PATH_A_ENCAP] = &encap_space,
};
static const struct attr_space path_space = SPACE(path_names, path_sub, false);

static const char *const top_names[] = {
	[NFSEC_A_POLICY] = "policy",
	[NFSEC_A_POLICY_LIST] = "policy-list",
	[NFSEC_A_GENERATION] = "generation",
	[NFSEC_A_POLICY_COUNT] = "policy-count",
	[NFSEC_A_CHECK_ONLY] = "check-only",
	[NFSEC_A_LOOKUP] = "lookup",
	[NFSEC_A_STATS] = "stats",
	[NFSEC_A_ACQUIRE] = "acquire",
	[NFSEC_A_SA] = "sa",
	[NFSEC_A_SA_PATH] = "sa-path",
	[NFSEC_A_SHOW_KEYS] = "show-keys",
	[NFSEC_A_SPI_MIN] = "spi-min",
	[NFSEC_A_SPI_MAX] = "spi-max",
	[NFSEC_A_EXPIRE] = "expire",
};
static const struct attr_space *const top_sub[] = {
	[NFSEC_A_POLICY] = &policy_space,
	[NFSEC_A_POLICY_LIST] = &list_space,
	[NFSEC_A_LOOKUP] = &lookup_space,
	[NFSEC_A_SA] = &sa_space,
	[NFSEC_A_SA_PATH] = &path_space,
};
static const struct attr_space top_space = SPACE(top_names, top_sub, false);

static const struct attr_space *walk(const struct nfsec_nl_attr_step *path,
				     int depth, char *buf, size_t len,
				     long *policy_index)
{
	const struct attr_space *sp = &top_space;
	size_t off = 0;

	buf[0] = '\0';
	*policy_index = -1;
	for (int i = 0; i < depth; i++) {
		unsigned int type = path[i].type;
		const char *name = sp && type < sp->n ? sp->names[type] : NULL;
		char num[16];

		if (!name) {
			snprintf(num, sizeof(num), "attr%u", type);
			name = num;
		}
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s",
				i ? "." : "", name);
		if (sp && sp->list) {
			off += snprintf(buf + off, off < len ? len - off : 0,
					"[%u]", path[i].index);
			*policy_index = path[i].index;
		}
		sp = sp && sp->sub && type < sp->n ? sp->sub[type] : NULL;
	}
	return sp;
}

void ipc_attr_path_name(const struct nfsec_nl_attr_step *path, int depth,
			char *buf, size_t len, long *policy_index)
{
	walk(path, depth, buf, len, policy_index);
}

/*
 * Fill e->where (and e->policy_index) from the extack of a failed request.
 * starts[k]: how many policies came before the k-th NFSEC_A_POLICY_LIST
 * of a replace, so that the index counts across lists (NULL otherwise).
 */
static void locate_in(struct nl_msg *msg, struct ipc_err *e,
		      const size_t *starts, size_t nlists)
{
	struct nfsec_nl_attr_step path[8];
	const struct attr_space *sp;
	int depth;

	e->where[0] = '\0';
	e->policy_index = -1;
	if (e->nl.has_offs) {
		depth = nfsec_nl_attr_path(msg, e->nl.offs, path, 8);
		if (depth >= 2 && starts && path[0].type == NFSEC_A_POLICY_LIST &&
		    path[0].index < nlists)
			path[1].index += (uint32_t)starts[path[0].index];
		if (depth)
			walk(path, depth, e->where, sizeof(e->where),
			     &e->policy_index);
		return;
	}
	if (!e->nl.has_miss_type)
		return;
	depth = 0;
	if (e->nl.has_miss_nest) {
		depth = nfsec_nl_attr_path(msg, e->nl.miss_nest, path, 8);
		if (!depth)
			return;
	}
	sp = walk(path, depth, e->where, sizeof(e->where), &e->policy_index);
	if (sp && e->nl.miss_type < sp->n && sp->names[e->nl.miss_type]) {
		size_t off = strlen(e->where);

		snprintf(e->where + off, sizeof(e->where) - off, "%s%s (missing)",
			 depth ? "." : "", sp->names[e->nl.miss_type]);
	}
}

static void locate(struct nl_msg *msg, struct ipc_err *e)
{
	locate_in(msg, e, NULL, 0);
}

static void local_err(struct ipc_err *e, int error, const char *msg)
{
	memset(e, 0, sizeof(*e));
	e->policy_index = -1;
	e->nl.error = error;
	snprintf(e->nl.msg, sizeof(e->nl.msg), "%s", msg);
}

struct nl_msg *ipc_new_msg(struct nfsec_nl *nl, uint8_t cmd, int flags,
			   size_t size, struct ipc_err *e)
{
	struct nl_msg *msg = nfsec_nl_msg_new(nl, cmd, flags, size);

	if (!msg)
		local_err(e, -ENOMEM, "out of memory");
	return msg;
}

int ipc_request(struct nfsec_nl *nl, struct nl_msg *msg, nfsec_nl_msg_cb cb,
		   void *arg, struct ipc_err *e)
{
	int ret;

	memset(e, 0, sizeof(*e));
	e->policy_index = -1;
	ret = nfsec_nl_request(nl, msg, cb, arg, &e->nl);
	if (ret)
		locate(msg, e);
	nlmsg_free(msg);
	return ret;
}

int ipc_dump(struct nfsec_nl *nl, struct nl_msg *msg, nfsec_nl_msg_cb cb,
	     nfsec_nl_restart_cb restart, void *arg, struct ipc_err *e)
{
	int ret;

	memset(e, 0, sizeof(*e));
	e->policy_index = -1;
	ret = nfsec_nl_dump(nl, msg, cb, restart, arg, &e->nl);
	if (ret)
		locate(msg, e);
	nlmsg_free(msg);
	return ret;
}

struct nfsec_nl *ipc_open(struct ipc_err *e)
{
	memset(e, 0, sizeof(*e));
	e->policy_index = -1;
	return nfsec_nl_open(&e->nl);
}

/* ---- policies ---- */

static int policy_id_reply(const struct nlmsghdr *nlh, struct nlattr **tb,
			   void *arg)
{
	struct nlattr *pt[NFSEC_POLICY_A_MAX + 1];
	uint32_t *id = arg;

	if (!tb[NFSEC_A_POLICY] ||
	    nla_parse_nested(pt, NFSEC_POLICY_A_MAX, tb[NFSEC_A_POLICY], NULL) ||
	    !pt[NFSEC_POLICY_A_ID] || nla_len(pt[NFSEC_POLICY_A_ID]) != 4)
		return -EPROTO;
	*id = nla_get_u32(pt[NFSEC_POLICY_A_ID]);
	return 0;
}

int ipc_put_failed(struct nl_msg *msg, struct ipc_err *e)
{
	nlmsg_free(msg);
	local_err(e, -EMSGSIZE, "request does not fit in a netlink message");
	return -EMSGSIZE;
}

int ipc_policy_add(struct nfsec_nl *nl, const struct nfsec_policy *p,
		   uint32_t *id, struct ipc_err *e)
{
	struct nl_msg *msg = ipc_new_msg(nl, NFSEC_CMD_POLICY_NEW, 0, 0, e);

	if (!msg)
		return -ENOMEM;
	if (nfsec_policy_put(msg, NFSEC_A_POLICY, p))
		return ipc_put_failed(msg, e);
	*id = 0;
	return ipc_request(nl, msg, policy_id_reply, id, e);
}

/*
 * A request whose only attribute is NFSEC_A_POLICY { ID or DIR }, with
 * the reply (if any) decoded by cb.
 */
static int policy_simple(struct nfsec_nl *nl, uint8_t cmd, int type,
			 uint32_t value, nfsec_nl_msg_cb cb, void *arg,
			 struct ipc_err *e)
{
	struct nl_msg *msg = ipc_new_msg(nl, cmd, 0, 0, e);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	if (type) {
		nest = nfsec_nest_start(msg, NFSEC_A_POLICY);
		if (!nest)
			return ipc_put_failed(msg, e);
		if (type == NFSEC_POLICY_A_ID ? nla_put_u32(msg, type, value) :
						nla_put_u8(msg, type, (uint8_t)value))
			return ipc_put_failed(msg, e);
		nla_nest_end(msg, nest);
	}
	return ipc_request(nl, msg, cb, arg, e);
}

int ipc_policy_del(struct nfsec_nl *nl, uint32_t id, struct ipc_err *e)
{
	return policy_simple(nl, NFSEC_CMD_POLICY_DEL, NFSEC_POLICY_A_ID, id,
			     NULL, NULL, e);
}

static int get_reply(const struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct nfsec_policy *p = arg;

	if (!tb[NFSEC_A_POLICY] || nfsec_policy_parse_nl(tb[NFSEC_A_POLICY], p))
		return -EPROTO;
	return 0;
}

int ipc_policy_get(struct nfsec_nl *nl, uint32_t id, struct nfsec_policy *p,
		   struct ipc_err *e)
{
	memset(p, 0, sizeof(*p));
	return policy_simple(nl, NFSEC_CMD_POLICY_GET, NFSEC_POLICY_A_ID, id,
			     get_reply, p, e);
}

int ipc_policy_flush(struct nfsec_nl *nl, int dir, struct ipc_err *e)
{
	return policy_simple(nl, NFSEC_CMD_POLICY_FLUSH,
			     dir < 0 ? 0 : NFSEC_POLICY_A_DIR,
			     dir < 0 ? 0 : (uint32_t)dir, NULL, NULL, e);
}

static int list_reply(const struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct policy_vec *pv = arg;

	if (!tb[NFSEC_A_POLICY])
		return -EPROTO;
	if (pv->n == pv->cap) {
		size_t cap = pv->cap ? pv->cap * 2 : 64;
		struct nfsec_policy *v = realloc(pv->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		pv->v = v;
		pv->cap = cap;
	}
	if (nfsec_policy_parse_nl(tb[NFSEC_A_POLICY], &pv->v[pv->n]))
		return -EPROTO;
	pv->n++;
	return 0;
}

static void list_restart(void *arg)
{
	struct policy_vec *pv = arg;

	pv->n = 0;
}

int ipc_policy_list(struct nfsec_nl *nl, int dir, struct policy_vec *out,
		    struct ipc_err *e)
{
	struct nl_msg *msg = ipc_new_msg(nl, NFSEC_CMD_POLICY_GET, NLM_F_DUMP, 0, e);
	int ret;

	memset(out, 0, sizeof(*out));
	if (!msg)
		return -ENOMEM;
	if (dir >= 0) {
		struct nlattr *nest = nfsec_nest_start(msg, NFSEC_A_POLICY);

		if (!nest || nla_put_u8(msg, NFSEC_POLICY_A_DIR, (uint8_t)dir))
			return ipc_put_failed(msg, e);
		nla_nest_end(msg, nest);
	}
	ret = ipc_dump(nl, msg, list_reply, list_restart, out, e);
	if (!ret && dir >= 0) {
		/* The kernel filters by direction; be exact whatever it did. */
		size_t n = 0;

		for (size_t i = 0; i < out->n; i++)
			if (out->v[i].has_dir && out->v[i].dir == dir)
				out->v[n++] = out->v[i];
		out->n = n;
	}
	return ret;
}

void policy_vec_free(struct policy_vec *pv)
{
	free(pv->v);
	memset(pv, 0, sizeof(*pv));
}

static int count_reply(const struct nlmsghdr *nlh, struct nlattr **tb,
		       void *arg)
{
	uint32_t *count = arg;

	if (tb[NFSEC_A_POLICY_COUNT] && nla_len(tb[NFSEC_A_POLICY_COUNT]) == 4)
		*count = nla_get_u32(tb[NFSEC_A_POLICY_COUNT]);
	return 0;
}

/*
 * One attribute holds at most 64 KiB (nla_len is 16 bits), so a big batch
 * travels as several NFSEC_A_POLICY_LIST attributes in the one message; the
 * kernel replaces the SPD with all of them together. A list is closed when
 * the next policy would not fit and a new one is started.
 */
#define LIST_MAX 0xffff

struct replace_msg {
	struct nl_msg *msg;
	size_t *starts;		/* index of the first policy of each list */
	size_t nlists;
};

static struct nlattr *start_list(struct replace_msg *r, size_t first)
{
	if (!(r->nlists & (r->nlists - 1))) {
		/* 0, 1, 2, 4, ...: grow the array, doubling. */
		size_t *s = realloc(r->starts, (r->nlists ? 2 * r->nlists : 1) *
				    sizeof(*s));

		if (!s)
			return NULL;
		r->starts = s;
	}
	r->starts[r->nlists++] = first;
	return nfsec_nest_start(r->msg, NFSEC_A_POLICY_LIST);
}

static size_t list_len(struct nl_msg *msg, const struct nlattr *list)
{
	return (size_t)((char *)nlmsg_tail(nlmsg_hdr(msg)) - (char *)list);
}

/*
 * Encode v[0..n-1] over as many lists as needed. -ENOMEM when the message
 * buffer is too small, -E2BIG when one policy alone exceeds a list.
 */
static int replace_encode(struct replace_msg *r, const struct nfsec_policy *v,
			  size_t n)
{
	struct nlmsghdr *nlh = nlmsg_hdr(r->msg);
	struct nlattr *list;

	r->nlists = 0;
	list = start_list(r, 0);
	if (!list)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		uint32_t before = nlh->nlmsg_len;

		if (nfsec_policy_put(r->msg, NFSEC_A_POLICY, &v[i]))
			return -ENOMEM;
		if (list_len(r->msg, list) <= LIST_MAX)
			continue;
		/* Too much for this list: take it back, close, start anew. */
		nlh->nlmsg_len = before;
		if (r->starts[r->nlists - 1] == i)
			return -E2BIG;
		nla_nest_end(r->msg, list);
		list = start_list(r, i);
		if (!list || nfsec_policy_put(r->msg, NFSEC_A_POLICY, &v[i]))
			return -ENOMEM;
	}
	if (n)
		nla_nest_end(r->msg, list);
	else
		nla_nest_end_keep_empty(r->msg, list);
	return 0;
}

int ipc_policy_replace(struct nfsec_nl *nl, const struct nfsec_policy *v,
		       size_t n, bool check_only, uint32_t *count,
		       struct ipc_err *e)
{
	struct replace_msg r = { 0 };
	size_t per = 128;
	int ret;

	/* Guess the size, and grow until the batch fits. */
	for (;;) {
		r.msg = ipc_new_msg(nl, NFSEC_CMD_POLICY_REPLACE, 0,
				4096 + n * per, e);
		if (!r.msg) {
			free(r.starts);
			return -ENOMEM;
		}
		if (check_only && nla_put_flag(r.msg, NFSEC_A_CHECK_ONLY))
			ret = -ENOMEM;
		else
			ret = replace_encode(&r, v, n);
		if (ret != -ENOMEM || per >= 64 * 1024)
			break;
		nlmsg_free(r.msg);
		per *= 4;
	}
	if (ret == -E2BIG) {
		nlmsg_free(r.msg);
		free(r.starts);
		local_err(e, -E2BIG, "a policy does not fit in one netlink attribute (64 KiB)");
		return -E2BIG;
	}
	if (ret) {
		free(r.starts);
		return ipc_put_failed(r.msg, e);
	}
	*count = (uint32_t)n;
	memset(e, 0, sizeof(*e));
	e->policy_index = -1;
	ret = nfsec_nl_request(nl, r.msg, count_reply, count, &e->nl);
	if (ret)
		locate_in(r.msg, e, r.starts, r.nlists);
	nlmsg_free(r.msg);
	free(r.starts);
	return ret;
}

/* ---- lookup ---- */

static int lookup_reply(const struct nlmsghdr *nlh, struct nlattr **tb,
			void *arg)
{
	struct nlattr *lt[NFSEC_LOOKUP_A_MAX + 1];
	struct lookup_result *res = arg;

	if (!tb[NFSEC_A_LOOKUP] ||
	    nla_parse_nested(lt, NFSEC_LOOKUP_A_MAX, tb[NFSEC_A_LOOKUP], NULL) ||
	    !lt[NFSEC_LOOKUP_A_RESULT])
		return -EPROTO;
	res->result = nla_get_u8(lt[NFSEC_LOOKUP_A_RESULT]);
	res->table = lt[NFSEC_LOOKUP_A_TABLE] ?
		     nla_get_u8(lt[NFSEC_LOOKUP_A_TABLE]) : NFSEC_SPD_NONE;
	if (tb[NFSEC_A_POLICY]) {
		if (nfsec_policy_parse_nl(tb[NFSEC_A_POLICY], &res->policy))
			return -EPROTO;
		res->has_policy = true;
	}
	return 0;
}

int ipc_policy_lookup(struct nfsec_nl *nl, const struct lookup_req *r,
		      struct lookup_result *res, struct ipc_err *e)
{
	struct nl_msg *msg = ipc_new_msg(nl, NFSEC_CMD_POLICY_LOOKUP, 0, 0, e);
	unsigned int alen = nfsec_addr_len(r->src.family);
	struct nlattr *nest;

	memset(res, 0, sizeof(*res));
	if (!msg)
		return -ENOMEM;
	nest = nfsec_nest_start(msg, NFSEC_A_LOOKUP);
	if (!nest || nla_put_u8(msg, NFSEC_LOOKUP_A_DIR, r->dir) ||
	    nla_put(msg, NFSEC_LOOKUP_A_SRC, (int)alen, r->src.bytes) ||
	    nla_put(msg, NFSEC_LOOKUP_A_DST, (int)alen, r->dst.bytes) ||
	    (r->has_proto && nla_put_u8(msg, NFSEC_LOOKUP_A_PROTO, r->proto)) ||
	    (r->has_sport && nla_put_u16(msg, NFSEC_LOOKUP_A_SPORT, r->sport)) ||
	    (r->has_dport && nla_put_u16(msg, NFSEC_LOOKUP_A_DPORT, r->dport)))
		return ipc_put_failed(msg, e);
	nla_nest_end(msg, nest);
	return ipc_request(nl, msg, lookup_reply, res, e);
}

/* ---- statistics ---- */

static uint64_t get_u64(const struct nlattr *a)
{
	return a && nla_len(a) == 8 ? nla_get_u64((struct nlattr *)a) : 0;
}

static int stats_dir(struct ctl_stats *s, struct nlattr *nest)
{
	struct nlattr *t[NFSEC_DIR_STATS_A_MAX + 1];
	unsigned int dir;

	if (nla_parse_nested(t, NFSEC_DIR_STATS_A_MAX, nest, NULL) ||
	    !t[NFSEC_DIR_STATS_A_DIR])
		return -EPROTO;
	dir = nla_get_u8(t[NFSEC_DIR_STATS_A_DIR]);
	if (dir >= __NFSEC_DIR_MAX)
		return 0;	/* a direction this ipsecctl does not know */
	s->dir[dir].present = true;
	s->dir[dir].bypass = get_u64(t[NFSEC_DIR_STATS_A_BYPASS]);
	s->dir[dir].discard = get_u64(t[NFSEC_DIR_STATS_A_DISCARD]);
	s->dir[dir].protect = get_u64(t[NFSEC_DIR_STATS_A_PROTECT]);
	s->dir[dir].nomatch = get_u64(t[NFSEC_DIR_STATS_A_NOMATCH]);
	return 0;
}

static int stats_drop(struct ctl_stats *s, struct nlattr *nest)
{
	struct nlattr *t[NFSEC_DROP_STATS_A_MAX + 1];
	uint32_t reason;

	if (nla_parse_nested(t, NFSEC_DROP_STATS_A_MAX, nest, NULL) ||
	    !t[NFSEC_DROP_STATS_A_REASON])
		return -EPROTO;
	reason = nla_get_u32(t[NFSEC_DROP_STATS_A_REASON]);
	if (reason >= CTL_STATS_MAX_REASON)
		return 0;
	s->drop[reason].present = true;
	s->drop[reason].packets = get_u64(t[NFSEC_DROP_STATS_A_PACKETS]);
	return 0;
}

static int stats_cpu(struct ctl_stats *s, struct nlattr *nest)
{
	struct nlattr *t[NFSEC_CPU_STATS_A_MAX + 1];
	struct ctl_cpu_stats *c;

	if (nla_parse_nested(t, NFSEC_CPU_STATS_A_MAX, nest, NULL) ||
	    !t[NFSEC_CPU_STATS_A_CPU])
		return -EPROTO;
	c = realloc(s->cpu, (s->ncpu + 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	s->cpu = c;
	c += s->ncpu++;
	c->cpu = nla_get_u32(t[NFSEC_CPU_STATS_A_CPU]);
	c->hits = get_u64(t[NFSEC_CPU_STATS_A_CACHE_HITS]);
	c->misses = get_u64(t[NFSEC_CPU_STATS_A_CACHE_MISSES]);
	return 0;
}

static int stats_reply(const struct nlmsghdr *nlh, struct nlattr **tb,
		       void *arg)
{
	struct ctl_stats *s = arg;
	struct nlattr *a;
	int rem, ret = 0;

	if (!tb[NFSEC_A_STATS])
		return -EPROTO;
	nla_for_each_nested(a, tb[NFSEC_A_STATS], rem) {
		switch (nla_type(a)) {
		case NFSEC_STATS_A_DIR:
			ret = stats_dir(s, a);
			break;
		case NFSEC_STATS_A_DROP:
			ret = stats_drop(s, a);
			break;
		case NFSEC_STATS_A_CPU:
			ret = stats_cpu(s, a);
			break;
		case NFSEC_STATS_A_POLICIES:
			s->has_policies = true;
			s->policies = nla_get_u32(a);
			break;
		case NFSEC_STATS_A_GENERATION:
			s->has_generation = true;
			s->generation = nla_get_u32(a);
			break;
		case NFSEC_STATS_A_ACQUIRES:
			s->has_acquires = true;
			s->acquires = get_u64(a);
			break;
		case NFSEC_STATS_A_ACQUIRES_SUPPRESSED:
			s->has_suppressed = true;
			s->suppressed = get_u64(a);
			break;
		case NFSEC_STATS_A_LARVAL:
			s->has_larval = true;
			s->larval = nla_get_u32(a);
			break;
		}
		if (ret)
			return ret;
	}
	return 0;
}

int ipc_stats(struct nfsec_nl *nl, struct ctl_stats *s, struct ipc_err *e)
{
	struct nl_msg *msg = ipc_new_msg(nl, NFSEC_CMD_STATS_GET, 0, 0, e);

	memset(s, 0, sizeof(*s));
	if (!msg)
		return -ENOMEM;
	return ipc_request(nl, msg, stats_reply, s, e);
}

void ctl_stats_free(struct ctl_stats *s)
{
	free(s->cpu);
	memset(s, 0, sizeof(*s));
}

/* ---- events ---- */

int ipc_subscribe(struct nfsec_nl *nl, struct ipc_err *e)
{
	memset(e, 0, sizeof(*e));
	e->policy_index = -1;
	return nfsec_nl_subscribe(nl, &e->nl);
}

struct event_ctx {
	ipc_event_cb cb;
	void *arg;
};

static int event_reply(const struct nlmsghdr *nlh, struct nlattr **tb,
		       void *arg)
{
	const struct genlmsghdr *g = nlmsg_data(nlh);
	struct event_ctx *c = arg;
	struct nfsec_acquire a;
	struct nfsec_expire x;

	switch (g->cmd) {
	case NFSEC_CMD_ACQUIRE:
		if (!tb[NFSEC_A_ACQUIRE] ||
		    nfsec_acquire_parse_nl(tb[NFSEC_A_ACQUIRE], &a))
			return -EPROTO;
		c->cb(g->cmd, &a, NULL, c->arg);
		return 0;
	case NFSEC_CMD_EXPIRE:
		if (!tb[NFSEC_A_EXPIRE] ||
		    nfsec_expire_parse_nl(tb[NFSEC_A_EXPIRE], &x))
			return -EPROTO;
		c->cb(g->cmd, NULL, &x, c->arg);
		return 0;
	}
	c->cb(g->cmd, NULL, NULL, c->arg);
	return 0;
}

int ipc_recv_events(struct nfsec_nl *nl, ipc_event_cb cb, void *arg,
		    struct ipc_err *e)
{
	struct event_ctx c = { .cb = cb, .arg = arg };

	memset(e, 0, sizeof(*e));
	e->policy_index = -1;
	return nfsec_nl_recv_events(nl, event_reply, &c, &e->nl);
}
