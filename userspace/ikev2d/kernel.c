// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The nfsec operations ikev2d needs. nfsec_nl.c (shared with ipsecctl)
 * resolves the family, sends requests and collects extack errors; what
 * the SA commands carry is encoded here, following the attribute trees
 * documented in uapi/linux/nfsec.h.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include "kernel.h"
#include "nfsec_policy.h"
#include "log.h"

struct kernel {
	struct nfsec_nl *req;	/* requests */
	struct nfsec_nl *ev;	/* subscribed to the events group */
};

bool kernel_alg_names(uint16_t encr, uint16_t integ, const char **aead, uint32_t *aead_icv,
		      const char **enc, const char **auth, uint32_t *auth_icv)
{
	*aead = *enc = *auth = NULL;
	*aead_icv = *auth_icv = 0;
	switch (encr) {
	case IKE_ENCR_AES_GCM_8:
	case IKE_ENCR_AES_GCM_12:
	case IKE_ENCR_AES_GCM_16:
		*aead = "rfc4106(gcm(aes))";
		*aead_icv = encr == IKE_ENCR_AES_GCM_8 ? 64 : encr == IKE_ENCR_AES_GCM_12 ? 96 : 128;
		return true;
	case IKE_ENCR_CHACHA20_POLY1305:
		*aead = "rfc7539esp(chacha20,poly1305)";
		*aead_icv = 128;
		return true;
	case IKE_ENCR_AES_CBC:
		*enc = "cbc(aes)";
		break;
	default:
		return false;
	}
	switch (integ) {	/* RFC 4868 truncations */
	case IKE_INTEG_HMAC_SHA1_96: *auth = "hmac(sha1)"; *auth_icv = 96; break;
	case IKE_INTEG_HMAC_SHA2_256_128: *auth = "hmac(sha256)"; *auth_icv = 128; break;
	case IKE_INTEG_HMAC_SHA2_384_192: *auth = "hmac(sha384)"; *auth_icv = 192; break;
	case IKE_INTEG_HMAC_SHA2_512_256: *auth = "hmac(sha512)"; *auth_icv = 256; break;
	default: return false;
	}
	return true;
}

struct kernel *kernel_open(struct nfsec_nl_err *err)
{
	struct kernel *k = calloc(1, sizeof(*k));

	if (!k) {
		err->error = -ENOMEM;
		return NULL;
	}
	k->req = nfsec_nl_open(err);
	if (k->req) {
		k->ev = nfsec_nl_open(err);
		if (k->ev && nfsec_nl_subscribe(k->ev, err)) {
			nfsec_nl_close(k->ev);
			k->ev = NULL;
		}
	}
	if (!k->req || !k->ev) {
		kernel_close(k);
		return NULL;
	}
	return k;
}

void kernel_close(struct kernel *k)
{
	if (!k)
		return;
	if (k->req)
		nfsec_nl_close(k->req);
	if (k->ev)
		nfsec_nl_close(k->ev);
	free(k);
}

int kernel_event_fd(const struct kernel *k)
{
	return nfsec_nl_fd(k->ev);
}

static size_t alen(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

/* Runs a request and frees it. */
static int run(struct kernel *k, struct nl_msg *msg, nfsec_nl_msg_cb cb, void *arg,
	       struct nfsec_nl_err *err)
{
	int ret = nfsec_nl_request(k->req, msg, cb, arg, err);

	nlmsg_free(msg);
	return ret;
}

static struct nl_msg *new_msg(struct kernel *k, uint8_t cmd, struct nfsec_nl_err *err)
{
	struct nl_msg *msg = nfsec_nl_msg_new(k->req, cmd, 0, 0);

	if (!msg) {
		err->error = -ENOMEM;
		strcpy(err->msg, "out of memory");
	}
	return msg;
}

static int too_big(struct nl_msg *msg, struct nfsec_nl_err *err)
{
	nlmsg_free(msg);
	err->error = -EMSGSIZE;
	strcpy(err->msg, "request does not fit a netlink message");
	return -EMSGSIZE;
}

static int spi_reply(const struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct nlattr *sa[NFSEC_SA_A_MAX + 1];

	if (!tb[NFSEC_A_SA] || nla_parse_nested(sa, NFSEC_SA_A_MAX, tb[NFSEC_A_SA], NULL) ||
	    !sa[NFSEC_SA_A_SPI])
		return -EPROTO;
	*(uint32_t *)arg = nla_get_u32(sa[NFSEC_SA_A_SPI]);
	return 0;
}

int kernel_spi_alloc(struct kernel *k, int family, const uint8_t *dst, uint32_t *spi,
		     struct nfsec_nl_err *err)
{
	struct nl_msg *msg = new_msg(k, NFSEC_CMD_SPI_ALLOC, err);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	nest = nfsec_nest_start(msg, NFSEC_A_SA);
	if (!nest || nla_put_u8(msg, NFSEC_SA_A_PROTO, IPPROTO_ESP) ||
	    nla_put_u16(msg, NFSEC_SA_A_FAMILY, (uint16_t)family) ||
	    nla_put(msg, NFSEC_SA_A_DST, (int)alen(family), dst))
		return too_big(msg, err);
	nla_nest_end(msg, nest);
	*spi = 0;
	return run(k, msg, spi_reply, spi, err);
}

static int put_alg(struct nl_msg *msg, int type, const struct kernel_alg *a)
{
	struct nlattr *nest = nfsec_nest_start(msg, type);

	if (!nest || nla_put_string(msg, NFSEC_ALG_A_NAME, a->name) ||
	    nla_put(msg, NFSEC_ALG_A_KEY, (int)a->key_len, a->key) ||
	    (a->icv_bits && nla_put_u32(msg, NFSEC_ALG_A_ICV_BITS, a->icv_bits)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_lifetime(struct nl_msg *msg, int type, uint64_t secs)
{
	struct nlattr *nest;

	if (!secs)
		return 0;
	nest = nfsec_nest_start(msg, type);
	if (!nest || nla_put_u64(msg, NFSEC_LIFETIME_A_ADD_SECONDS, secs))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int put_encap(struct nl_msg *msg, int type, uint16_t sport, uint16_t dport)
{
	struct nlattr *encap;

	if (!sport)
		return 0;
	encap = nfsec_nest_start(msg, type);
	if (!encap || nla_put_u16(msg, NFSEC_ENCAP_A_SPORT, sport) ||
	    nla_put_u16(msg, NFSEC_ENCAP_A_DPORT, dport))
		return -EMSGSIZE;
	nla_nest_end(msg, encap);
	return 0;
}

int kernel_sa_add(struct kernel *k, const struct kernel_sa *sa, struct nfsec_nl_err *err)
{
	struct nl_msg *msg = new_msg(k, NFSEC_CMD_SA_NEW, err);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	nest = nfsec_nest_start(msg, NFSEC_A_SA);
	if (!nest || nla_put_u32(msg, NFSEC_SA_A_SPI, sa->spi) ||
	    nla_put_u8(msg, NFSEC_SA_A_PROTO, IPPROTO_ESP) ||
	    nla_put_u8(msg, NFSEC_SA_A_MODE, sa->mode) ||
	    nla_put_u8(msg, NFSEC_SA_A_DIR, sa->dir) ||
	    nla_put_u16(msg, NFSEC_SA_A_FAMILY, (uint16_t)sa->family) ||
	    nla_put(msg, NFSEC_SA_A_SRC, (int)alen(sa->family), sa->src) ||
	    nla_put(msg, NFSEC_SA_A_DST, (int)alen(sa->family), sa->dst) ||
	    nla_put_u32(msg, NFSEC_SA_A_REQID, sa->reqid) ||
	    put_alg(msg, sa->aead ? NFSEC_SA_A_AEAD : NFSEC_SA_A_ENC, &sa->enc) ||
	    (!sa->aead && put_alg(msg, NFSEC_SA_A_AUTH, &sa->auth)) ||
	    (sa->dir == NFSEC_DIR_IN &&
	     nla_put_u32(msg, NFSEC_SA_A_REPLAY_WINDOW, sa->replay_window)) ||
	    nla_put_u32(msg, NFSEC_SA_A_FLAGS,
			NFSEC_SA_F_OWNED | (sa->esn ? NFSEC_SA_F_ESN : 0)) ||
	    put_lifetime(msg, NFSEC_SA_A_LIFETIME_SOFT, sa->soft_secs) ||
	    put_lifetime(msg, NFSEC_SA_A_LIFETIME_HARD, sa->hard_secs))
		return too_big(msg, err);
	if (put_encap(msg, NFSEC_SA_A_ENCAP, sa->encap_sport, sa->encap_dport))
		return too_big(msg, err);
	nla_nest_end(msg, nest);
	return run(k, msg, NULL, NULL, err);
}

/* NFSEC_A_SA holding what names an ESP SA (RFC 4301 §4.1): SPI, DST. */
static int put_sa_id(struct nl_msg *msg, uint32_t spi, int family, const uint8_t *dst)
{
	struct nlattr *nest = nfsec_nest_start(msg, NFSEC_A_SA);

	if (!nest || nla_put_u32(msg, NFSEC_SA_A_SPI, spi) ||
	    nla_put_u8(msg, NFSEC_SA_A_PROTO, IPPROTO_ESP) ||
	    nla_put_u16(msg, NFSEC_SA_A_FAMILY, (uint16_t)family) ||
	    nla_put(msg, NFSEC_SA_A_DST, (int)alen(family), dst))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int kernel_sa_update(struct kernel *k, uint32_t spi, int family, const uint8_t *dst,
		     const struct kernel_sa *path, struct nfsec_nl_err *err)
{
	struct nl_msg *msg = new_msg(k, NFSEC_CMD_SA_UPDATE, err);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	if (put_sa_id(msg, spi, family, dst))
		return too_big(msg, err);
	nest = nfsec_nest_start(msg, NFSEC_A_SA_PATH);
	if (!nest || nla_put_u16(msg, NFSEC_SA_PATH_A_FAMILY, (uint16_t)path->family) ||
	    nla_put(msg, NFSEC_SA_PATH_A_SRC, (int)alen(path->family), path->src) ||
	    nla_put(msg, NFSEC_SA_PATH_A_DST, (int)alen(path->family), path->dst) ||
	    put_encap(msg, NFSEC_SA_PATH_A_ENCAP, path->encap_sport, path->encap_dport))
		return too_big(msg, err);
	nla_nest_end(msg, nest);
	return run(k, msg, NULL, NULL, err);
}

int kernel_sa_del(struct kernel *k, uint32_t spi, int family, const uint8_t *dst,
		  struct nfsec_nl_err *err)
{
	struct nl_msg *msg = new_msg(k, NFSEC_CMD_SA_DEL, err);

	if (!msg)
		return -ENOMEM;
	if (put_sa_id(msg, spi, family, dst))
		return too_big(msg, err);
	return run(k, msg, NULL, NULL, err);
}

static int ts_family(const struct ike_ts *ts)
{
	return ts->type == IKE_TS_IPV6_ADDR_RANGE ? AF_INET6 : AF_INET;
}

static int put_addr_sel(struct nl_msg *msg, int type, const struct ike_ts *ts)
{
	struct nlattr *nest = nfsec_nest_start(msg, type);
	int len = (int)alen(ts_family(ts));

	if (!nest || nla_put(msg, NFSEC_ADDR_A_START, len, ts->start) ||
	    nla_put(msg, NFSEC_ADDR_A_END, len, ts->end))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static bool has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_UDPLITE;
}

static int policy_reply(const struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct nlattr *pol[NFSEC_POLICY_A_MAX + 1];

	if (!tb[NFSEC_A_POLICY] ||
	    nla_parse_nested(pol, NFSEC_POLICY_A_MAX, tb[NFSEC_A_POLICY], NULL) ||
	    !pol[NFSEC_POLICY_A_ID])
		return 0;
	*(uint32_t *)arg = nla_get_u32(pol[NFSEC_POLICY_A_ID]);
	return 0;
}

int kernel_policy_add(struct kernel *k, const struct kernel_policy *p, uint32_t *id,
		      struct nfsec_nl_err *err)
{
	struct nl_msg *msg = new_msg(k, NFSEC_CMD_POLICY_NEW, err);
	struct nlattr *nest, *sel, *ipsec;
	uint8_t proto = p->src->ip_proto ? p->src->ip_proto : p->dst->ip_proto;
	int family = ts_family(p->src);

	if (!msg)
		return -ENOMEM;
	nest = nfsec_nest_start(msg, NFSEC_A_POLICY);
	if (!nest || nla_put_u8(msg, NFSEC_POLICY_A_DIR, p->dir) ||
	    (p->priority && nla_put_u32(msg, NFSEC_POLICY_A_PRIORITY, p->priority)) ||
	    nla_put_u16(msg, NFSEC_POLICY_A_FAMILY, (uint16_t)family) ||
	    nla_put_u8(msg, NFSEC_POLICY_A_ACTION, NFSEC_ACTION_PROTECT) ||
	    nla_put_u32(msg, NFSEC_POLICY_A_FLAGS, NFSEC_POLICY_F_OWNED))
		return too_big(msg, err);
	sel = nfsec_nest_start(msg, NFSEC_POLICY_A_SEL);
	if (!sel || put_addr_sel(msg, NFSEC_SEL_A_SRC, p->src) ||
	    put_addr_sel(msg, NFSEC_SEL_A_DST, p->dst) ||
	    (proto && nla_put_u8(msg, NFSEC_SEL_A_PROTO, proto)))
		return too_big(msg, err);
	if (has_ports(proto) && (p->src->start_port || p->src->end_port != 65535) &&
	    (nla_put_u16(msg, NFSEC_SEL_A_SPORT_MIN, p->src->start_port) ||
	     nla_put_u16(msg, NFSEC_SEL_A_SPORT_MAX, p->src->end_port)))
		return too_big(msg, err);
	if (has_ports(proto) && (p->dst->start_port || p->dst->end_port != 65535) &&
	    (nla_put_u16(msg, NFSEC_SEL_A_DPORT_MIN, p->dst->start_port) ||
	     nla_put_u16(msg, NFSEC_SEL_A_DPORT_MAX, p->dst->end_port)))
		return too_big(msg, err);
	nla_nest_end(msg, sel);
	ipsec = nfsec_nest_start(msg, NFSEC_POLICY_A_IPSEC);
	if (!ipsec || nla_put_u8(msg, NFSEC_IPSEC_A_PROTO, IPPROTO_ESP) ||
	    nla_put_u8(msg, NFSEC_IPSEC_A_MODE, p->mode) ||
	    nla_put_u32(msg, NFSEC_IPSEC_A_REQID, p->reqid) ||
	    (p->mode == NFSEC_MODE_TUNNEL &&
	     (nla_put(msg, NFSEC_IPSEC_A_TUNNEL_SRC, (int)alen(p->tun_family), p->tun_src) ||
	      nla_put(msg, NFSEC_IPSEC_A_TUNNEL_DST, (int)alen(p->tun_family), p->tun_dst))))
		return too_big(msg, err);
	nla_nest_end(msg, ipsec);
	nla_nest_end(msg, nest);
	*id = 0;
	return run(k, msg, policy_reply, id, err);
}

int kernel_policy_del(struct kernel *k, uint32_t id, struct nfsec_nl_err *err)
{
	struct nl_msg *msg = new_msg(k, NFSEC_CMD_POLICY_DEL, err);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	nest = nfsec_nest_start(msg, NFSEC_A_POLICY);
	if (!nest || nla_put_u32(msg, NFSEC_POLICY_A_ID, id))
		return too_big(msg, err);
	nla_nest_end(msg, nest);
	return run(k, msg, NULL, NULL, err);
}

/* ---- the SPD as a whole (Name templates, per-client entries) ---- */

struct dump_ctx {
	int (*cb)(void *arg, const struct nfsec_policy *p);
	void (*restart)(void *arg);
	void *arg;
};

static void dump_restart(void *arg)
{
	struct dump_ctx *dc = arg;

	if (dc->restart)
		dc->restart(dc->arg);
}

static int dump_reply(const struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	struct dump_ctx *dc = arg;
	struct nfsec_policy p;

	if (!tb[NFSEC_A_POLICY] || nfsec_policy_parse_nl(tb[NFSEC_A_POLICY], &p))
		return 0;
	return dc->cb(dc->arg, &p);
}

int kernel_policy_dump(struct kernel *k, int (*cb)(void *arg, const struct nfsec_policy *p),
		       void (*restart)(void *arg), void *arg, struct nfsec_nl_err *err)
{
	struct nl_msg *msg = nfsec_nl_msg_new(k->req, NFSEC_CMD_POLICY_GET, NLM_F_DUMP, 0);
	struct dump_ctx dc = { .cb = cb, .restart = restart, .arg = arg };
	int ret;

	if (!msg) {
		err->error = -ENOMEM;
		strcpy(err->msg, "out of memory");
		return -ENOMEM;
	}
	ret = nfsec_nl_dump(k->req, msg, dump_reply, dump_restart, &dc, err);
	nlmsg_free(msg);
	return ret;
}

int kernel_policy_add_full(struct kernel *k, const struct nfsec_policy *p, uint32_t *id,
			   struct nfsec_nl_err *err)
{
	struct nl_msg *msg = new_msg(k, NFSEC_CMD_POLICY_NEW, err);
	struct nfsec_policy owned = *p;

	if (!msg)
		return -ENOMEM;
	owned.flags |= NFSEC_POLICY_F_OWNED;
	if (nfsec_policy_put(msg, NFSEC_A_POLICY, &owned))
		return too_big(msg, err);
	*id = 0;
	return run(k, msg, policy_reply, id, err);
}

/* ---- events ---- */

static void addr_sel(struct nlattr *a, int family, struct ike_ts *ts)
{
	struct nlattr *tb[NFSEC_ADDR_A_MAX + 1];
	size_t len = alen(family);

	ts->type = family == AF_INET6 ? IKE_TS_IPV6_ADDR_RANGE : IKE_TS_IPV4_ADDR_RANGE;
	ts->end_port = 65535;
	memset(ts->end, 0xff, len);
	if (!a || nla_parse_nested(tb, NFSEC_ADDR_A_MAX, a, NULL))
		return;
	if (tb[NFSEC_ADDR_A_START] && (size_t)nla_len(tb[NFSEC_ADDR_A_START]) == len) {
		memcpy(ts->start, nla_data(tb[NFSEC_ADDR_A_START]), len);
		memcpy(ts->end, ts->start, len);
		if (tb[NFSEC_ADDR_A_END] && (size_t)nla_len(tb[NFSEC_ADDR_A_END]) == len) {
			memcpy(ts->end, nla_data(tb[NFSEC_ADDR_A_END]), len);
		} else if (tb[NFSEC_ADDR_A_PREFIXLEN]) {
			unsigned int plen = nla_get_u8(tb[NFSEC_ADDR_A_PREFIXLEN]);

			for (size_t i = 0; i < len; i++) {
				unsigned int bits = plen > 8 * i ? plen - 8 * (unsigned int)i : 0;
				uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));

				ts->start[i] &= mask;
				ts->end[i] = ts->start[i] | (uint8_t)~mask;
			}
		}
	}
}

static void parse_acquire(struct nlattr *nest, const struct kernel_event_ops *ops)
{
	struct nlattr *tb[NFSEC_ACQUIRE_A_MAX + 1], *sel[NFSEC_SEL_A_MAX + 1];
	struct nlattr *ip[NFSEC_IPSEC_A_MAX + 1];
	struct kernel_acquire a;

	memset(&a, 0, sizeof(a));
	if (nla_parse_nested(tb, NFSEC_ACQUIRE_A_MAX, nest, NULL))
		return;
	a.family = tb[NFSEC_ACQUIRE_A_FAMILY] ? nla_get_u16(tb[NFSEC_ACQUIRE_A_FAMILY]) : AF_INET;
	if (tb[NFSEC_ACQUIRE_A_POLICY_ID])
		a.policy_id = nla_get_u32(tb[NFSEC_ACQUIRE_A_POLICY_ID]);
	memset(sel, 0, sizeof(sel));
	if (tb[NFSEC_ACQUIRE_A_SEL])
		nla_parse_nested(sel, NFSEC_SEL_A_MAX, tb[NFSEC_ACQUIRE_A_SEL], NULL);
	addr_sel(sel[NFSEC_SEL_A_SRC], a.family, &a.src);
	addr_sel(sel[NFSEC_SEL_A_DST], a.family, &a.dst);
	if (sel[NFSEC_SEL_A_PROTO])
		a.src.ip_proto = a.dst.ip_proto = nla_get_u8(sel[NFSEC_SEL_A_PROTO]);
	if (sel[NFSEC_SEL_A_SPORT_MIN] && sel[NFSEC_SEL_A_SPORT_MAX]) {
		a.src.start_port = nla_get_u16(sel[NFSEC_SEL_A_SPORT_MIN]);
		a.src.end_port = nla_get_u16(sel[NFSEC_SEL_A_SPORT_MAX]);
	}
	if (sel[NFSEC_SEL_A_DPORT_MIN] && sel[NFSEC_SEL_A_DPORT_MAX]) {
		a.dst.start_port = nla_get_u16(sel[NFSEC_SEL_A_DPORT_MIN]);
		a.dst.end_port = nla_get_u16(sel[NFSEC_SEL_A_DPORT_MAX]);
	}
	if (tb[NFSEC_ACQUIRE_A_IPSEC] &&
	    !nla_parse_nested(ip, NFSEC_IPSEC_A_MAX, tb[NFSEC_ACQUIRE_A_IPSEC], NULL)) {
		if (ip[NFSEC_IPSEC_A_REQID])
			a.reqid = nla_get_u32(ip[NFSEC_IPSEC_A_REQID]);
		if (ip[NFSEC_IPSEC_A_TUNNEL_DST] &&
		    (size_t)nla_len(ip[NFSEC_IPSEC_A_TUNNEL_DST]) == alen(a.family)) {
			a.has_tun_dst = true;
			memcpy(a.tun_dst, nla_data(ip[NFSEC_IPSEC_A_TUNNEL_DST]), alen(a.family));
		}
	}
	if (tb[NFSEC_ACQUIRE_A_PACKET_DST] &&
	    (size_t)nla_len(tb[NFSEC_ACQUIRE_A_PACKET_DST]) == alen(a.family)) {
		a.has_pkt_dst = true;
		memcpy(a.pkt_dst, nla_data(tb[NFSEC_ACQUIRE_A_PACKET_DST]), alen(a.family));
	}
	if (ops->acquire)
		ops->acquire(ops->arg, &a);
}

static void parse_expire(struct nlattr *nest, const struct kernel_event_ops *ops)
{
	struct nlattr *tb[NFSEC_EXPIRE_A_MAX + 1], *sa[NFSEC_SA_A_MAX + 1];
	struct kernel_expire e;

	memset(&e, 0, sizeof(e));
	if (nla_parse_nested(tb, NFSEC_EXPIRE_A_MAX, nest, NULL) || !tb[NFSEC_EXPIRE_A_SA] ||
	    nla_parse_nested(sa, NFSEC_SA_A_MAX, tb[NFSEC_EXPIRE_A_SA], NULL) ||
	    !sa[NFSEC_SA_A_SPI])
		return;
	e.spi = nla_get_u32(sa[NFSEC_SA_A_SPI]);
	if (sa[NFSEC_SA_A_REQID])
		e.reqid = nla_get_u32(sa[NFSEC_SA_A_REQID]);
	if (sa[NFSEC_SA_A_DIR])
		e.dir = nla_get_u8(sa[NFSEC_SA_A_DIR]);
	e.hard = tb[NFSEC_EXPIRE_A_HARD] && nla_get_u8(tb[NFSEC_EXPIRE_A_HARD]);
	if (ops->expire)
		ops->expire(ops->arg, &e);
}

static void parse_mapping(struct nlattr *nest, const struct kernel_event_ops *ops)
{
	struct nlattr *tb[NFSEC_MAPPING_A_MAX + 1], *sa[NFSEC_SA_A_MAX + 1];
	struct kernel_mapping m;

	memset(&m, 0, sizeof(m));
	if (nla_parse_nested(tb, NFSEC_MAPPING_A_MAX, nest, NULL) || !tb[NFSEC_MAPPING_A_SA] ||
	    !tb[NFSEC_MAPPING_A_SRC] || !tb[NFSEC_MAPPING_A_SPORT] ||
	    nla_parse_nested(sa, NFSEC_SA_A_MAX, tb[NFSEC_MAPPING_A_SA], NULL) ||
	    !sa[NFSEC_SA_A_SPI] || !sa[NFSEC_SA_A_FAMILY])
		return;
	m.spi = nla_get_u32(sa[NFSEC_SA_A_SPI]);
	m.family = nla_get_u16(sa[NFSEC_SA_A_FAMILY]);
	if ((m.family != AF_INET && m.family != AF_INET6) ||
	    (size_t)nla_len(tb[NFSEC_MAPPING_A_SRC]) != alen(m.family))
		return;
	memcpy(m.src, nla_data(tb[NFSEC_MAPPING_A_SRC]), alen(m.family));
	m.sport = nla_get_u16(tb[NFSEC_MAPPING_A_SPORT]);
	if (ops->mapping)
		ops->mapping(ops->arg, &m);
}

static int event_cb(const struct nlmsghdr *nlh, struct nlattr **tb, void *arg)
{
	const struct kernel_event_ops *ops = arg;
	const struct genlmsghdr *g = nlmsg_data(nlh);

	if (g->cmd == NFSEC_CMD_ACQUIRE && tb[NFSEC_A_ACQUIRE])
		parse_acquire(tb[NFSEC_A_ACQUIRE], ops);
	else if (g->cmd == NFSEC_CMD_EXPIRE && tb[NFSEC_A_EXPIRE])
		parse_expire(tb[NFSEC_A_EXPIRE], ops);
	else if (g->cmd == NFSEC_CMD_MAPPING && tb[NFSEC_A_MAPPING])
		parse_mapping(tb[NFSEC_A_MAPPING], ops);
	return 0;
}

int kernel_read_events(struct kernel *k, const struct kernel_event_ops *ops)
{
	struct nfsec_nl_err err = { 0 };
	int ret = nfsec_nl_recv_events(k->ev, event_cb, (void *)ops, &err);

	if (ret == -ENOBUFS)
		log_warn("nfsec events were lost (socket buffer full)");
	return ret;
}
