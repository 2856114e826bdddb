// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include "addrmon.h"
#include "control.h"
#include "daemon.h"
#include "ike_sa.h"
#include "kernel.h"
#include "log.h"
#include "net.h"
#include "privs.h"
#include "template.h"
#include "vip.h"

#define MAX_POLICIES 24

/* What we put into nfsec for one Child SA, to take it out again. */
struct installed {
	struct installed *next;
	uint32_t spi_in, spi_out;
	int family;
	uint8_t local[16], remote[16];
	uint32_t policy[MAX_POLICIES];
	size_t n_policy;
};

/* A trap policy of a "start trap" connection. */
struct trap {
	struct trap *next;
	char name[CONF_NAME_MAX];
	uint32_t reqid, policy;
};

struct daemon {
	const struct daemon_opts *o;
	struct config cfg;
	struct ike_ctx ctx;
	struct net net;
	struct control ctl;
	struct kernel *kernel;
	struct installed *inst;
	struct trap *traps;
	int addrmon;			/* rtnetlink monitor for MOBIKE, -1: none */
	uint64_t addrs_changed_ms;	/* look at our addresses then, 0: no need */
};

/* Address and route changes come in bursts: MOBIKE looks after this. */
#define ADDRS_SETTLE_MS 300

static volatile sig_atomic_t stop_signal, reload_signal;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reload_signal = 1;
	else
		stop_signal = sig;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ": reason" from the kernel's extack, unless it only repeats strerror. */
static const char *nl_reason(int ret, const struct nfsec_nl_err *err, char *buf, size_t len)
{
	if (!err->msg[0] || !strcmp(err->msg, strerror(-ret)))
		snprintf(buf, len, "%s", strerror(-ret));
	else
		snprintf(buf, len, "%s: %s", strerror(-ret), err->msg);
	return buf;
}

/* ---- ike_ops ---- */

static int op_send(void *arg, const ike_sockaddr *local, const ike_sockaddr *remote,
		   const uint8_t *buf, size_t len)
{
	struct daemon *d = arg;

	return net_send(&d->net, local, remote, buf, len);
}

static int op_route(void *arg, const ike_sockaddr *remote, ike_sockaddr *local)
{
	return net_route(remote, local);
}

static size_t op_local_addrs(void *arg, int family, ike_sockaddr *out, size_t max)
{
	return addrmon_local_addrs(family, out, max);
}

static int op_spi_alloc(void *arg, const struct ike_sa *sa, uint32_t *spi)
{
	struct daemon *d = arg;
	struct nfsec_nl_err err = { 0 };
	size_t len;
	const uint8_t *dst = ike_addr_bytes(&sa->local, &len);
	char why[300];
	int ret;

	if (!d->kernel)
		return 0;	/* --no-kernel: a random SPI */

	ret = kernel_spi_alloc(d->kernel, sa->local.sa.sa_family, dst, spi, &err);
	if (ret)
		log_warn("%s: nfsec SPI allocation failed: %s", sa->name,
			 nl_reason(ret, &err, why, sizeof(why)));
	return ret;
}

static void remove_installed(struct daemon *d, struct installed *in)
{
	struct nfsec_nl_err err;

	for (size_t i = 0; i < in->n_policy; i++)
		if (kernel_policy_del(d->kernel, in->policy[i], &err))
			log_warn("removing nfsec policy %u: %s", in->policy[i], err.msg);
	/* ESRCH: the SA is gone already (a hard expiry). */
	if (in->spi_in && kernel_sa_del(d->kernel, in->spi_in, in->family, in->local, &err) &&
	    err.error != -ESRCH)
		log_warn("removing SA %08x: %s", in->spi_in, err.msg);
	if (in->spi_out && kernel_sa_del(d->kernel, in->spi_out, in->family, in->remote, &err) &&
	    err.error != -ESRCH)
		log_warn("removing SA %08x: %s", in->spi_out, err.msg);
}

static void fill_sa(struct kernel_sa *ks, const struct ike_sa *sa, const struct child_sa *c,
		    bool in)
{
	const char *aead, *enc, *auth;
	uint32_t aead_icv, auth_icv;

	memset(ks, 0, sizeof(*ks));
	kernel_alg_names(c->encr, c->integ, &aead, &aead_icv, &enc, &auth, &auth_icv);
	ks->spi = in ? c->spi_in : c->spi_out;
	ks->dir = in ? NFSEC_DIR_IN : NFSEC_DIR_OUT;
	ks->mode = c->mode == CONF_MODE_TRANSPORT ? NFSEC_MODE_TRANSPORT : NFSEC_MODE_TUNNEL;
	ks->family = sa->local.sa.sa_family;
	ike_addr_copy(&sa->local, in ? ks->dst : ks->src);
	ike_addr_copy(&sa->remote, in ? ks->src : ks->dst);
	ks->reqid = c->reqid;
	ks->aead = aead != NULL;
	ks->enc.name = aead ? aead : enc;
	ks->enc.key = in ? c->ek_in : c->ek_out;
	ks->enc.key_len = c->ek_len;
	ks->enc.icv_bits = aead ? aead_icv : 0;
	ks->auth.name = auth;
	ks->auth.key = in ? c->ak_in : c->ak_out;
	ks->auth.key_len = c->ak_len;
	ks->auth.icv_bits = auth_icv;
	ks->esn = c->esn;
	ks->replay_window = 64;
	if (sa->nat_local || sa->nat_remote) {
		ks->encap_sport = in ? ike_addr_port(&sa->remote) : ike_addr_port(&sa->local);
		ks->encap_dport = in ? ike_addr_port(&sa->local) : ike_addr_port(&sa->remote);
	}
	ks->soft_secs = sa->conn ? sa->conn->rekey : 0;
	ks->hard_secs = sa->conn ? sa->conn->lifetime : 0;
}

static int op_child_install(void *arg, const struct ike_sa *sa, const struct child_sa *c,
			    char *errbuf, size_t errlen)
{
	struct daemon *d = arg;
	struct nfsec_nl_err err = { 0 };
	struct installed *in;
	struct kernel_sa ks;
	const char *what = "";
	bool from_templates;
	int ret;

	if (!d->kernel) {
		log_info("%s: --no-kernel: Child SA %08x/%08x not installed", sa->name, c->spi_in,
			 c->spi_out);
		return 0;
	}
	{
		const char *a, *e, *au;
		uint32_t i1, i2;

		if (!kernel_alg_names(c->encr, c->integ, &a, &i1, &e, &au, &i2)) {
			snprintf(errbuf, errlen, "no nfsec name for ESP algorithm %u/%u", c->encr,
				 c->integ);
			return -ENOTSUP;
		}
	}
	in = calloc(1, sizeof(*in));
	if (!in)
		return -ENOMEM;
	in->family = sa->local.sa.sa_family;
	ike_addr_copy(&sa->local, in->local);
	ike_addr_copy(&sa->remote, in->remote);
	fill_sa(&ks, sa, c, true);
	ret = kernel_sa_add(d->kernel, &ks, &err);
	OPENSSL_cleanse(&ks, sizeof(ks));
	if (ret) {
		what = "inbound SA";
		goto fail;
	}
	in->spi_in = c->spi_in;
	fill_sa(&ks, sa, c, false);
	ret = kernel_sa_add(d->kernel, &ks, &err);
	OPENSSL_cleanse(&ks, sizeof(ks));
	if (ret) {
		what = "outbound SA";
		goto fail;
	}
	in->spi_out = c->spi_out;
	if (sa->vips_leased) {	/* a road warrior: the SPD's Name templates first */
		char why[300] = "";

		ret = template_install(d->kernel, sa, c, in->policy, MAX_POLICIES, &in->n_policy,
				       why, sizeof(why));
		if (ret < 0) {
			snprintf(errbuf, errlen, "%s", why);
			remove_installed(d, in);
			free(in);
			return ret;
		}
		if (ret > 0)
			log_info("%s: %d per-client polic%s from the SPD's Name templates",
				 sa->name, ret, ret == 1 ? "y" : "ies");
	}
	/* Without template entries: one policy per direction and pair of
	 * traffic selectors of one family. */
	from_templates = in->n_policy > 0;
	for (size_t l = 0; l < c->n_ts_l && !from_templates; l++) {
		for (size_t r = 0; r < c->n_ts_r; r++) {
			static const uint8_t dirs[] = { NFSEC_DIR_OUT, NFSEC_DIR_IN, NFSEC_DIR_FWD };
			struct kernel_policy p = { 0 };

			if (c->ts_l[l].type != c->ts_r[r].type)
				continue;
			for (int k = 0; k < (c->mode == CONF_MODE_TUNNEL ? 3 : 2); k++) {
				bool out = dirs[k] == NFSEC_DIR_OUT;

				if (in->n_policy == MAX_POLICIES)
					break;
				p.dir = dirs[k];
				p.src = out ? &c->ts_l[l] : &c->ts_r[r];
				p.dst = out ? &c->ts_r[r] : &c->ts_l[l];
				p.mode = c->mode == CONF_MODE_TRANSPORT ? NFSEC_MODE_TRANSPORT :
									  NFSEC_MODE_TUNNEL;
				p.tun_family = in->family;
				memcpy(p.tun_src, out ? in->local : in->remote, 16);
				memcpy(p.tun_dst, out ? in->remote : in->local, 16);
				p.reqid = c->reqid;
				ret = kernel_policy_add(d->kernel, &p, &in->policy[in->n_policy], &err);
				if (ret) {
					what = "policy";
					goto fail;
				}
				in->n_policy++;
			}
		}
	}
	in->next = d->inst;
	d->inst = in;
	return 0;
fail:
	{
		char why[300];

		snprintf(errbuf, errlen, "nfsec refused the %s: %s", what,
			 nl_reason(ret, &err, why, sizeof(why)));
	}
	remove_installed(d, in);
	free(in);
	return ret;
}

static void op_child_remove(void *arg, const struct ike_sa *sa, const struct child_sa *c)
{
	struct daemon *d = arg;

	for (struct installed **pp = &d->inst; *pp; pp = &(*pp)->next) {
		struct installed *in = *pp;

		if (in->spi_in != c->spi_in || in->spi_out != c->spi_out)
			continue;
		*pp = in->next;
		remove_installed(d, in);
		free(in);
		return;
	}
}

/* ---- virtual addresses (a client's, from the gateway's CFG_REPLY) ---- */

/* What vip_install put into the host, to take it out again. */
struct vip_inst {
	struct vip_inst *next;
	struct conf_addr addr[IKE_MAX_VIPS];
	size_t n_addr;
	char ifname[CONF_IFNAME_MAX];
	ike_sockaddr peer;
	struct ike_ts route[CONF_MAX_TS];
	struct conf_addr route_src[CONF_MAX_TS];
	size_t n_route;
};

static struct vip_inst *vip_list;

static void vip_undo(struct vip_inst *v)
{
	char err[200];

	for (size_t i = 0; i < v->n_route; i++)
		if (vip_route(false, &v->route[i], &v->route_src[i], &v->peer, err, sizeof(err)))
			log_warn("virtual address: %s", err);
	for (size_t i = 0; i < v->n_addr; i++)
		if (vip_addr(false, v->ifname, &v->addr[i], err, sizeof(err)))
			log_warn("virtual address: %s", err);
}

static int op_vip_install(void *arg, const struct ike_sa *sa, char *err, size_t errlen)
{
	struct vip_inst *v = calloc(1, sizeof(*v));
	int ret = 0;

	if (!v)
		return -ENOMEM;
	snprintf(v->ifname, sizeof(v->ifname), "%s", sa->conn->vip_interface);
	v->peer = sa->remote;
	for (size_t i = 0; i < sa->n_vips && !ret; i++) {
		ret = vip_addr(true, v->ifname, &sa->vips[i], err, errlen);
		if (!ret)
			v->addr[v->n_addr++] = sa->vips[i];
	}
	/* the protected side, as we asked for it: its traffic leaves from the
	 * virtual address of its family */
	for (size_t i = 0; i < sa->n_want_ts_r && !ret && v->n_route < CONF_MAX_TS; i++) {
		const struct ike_ts *ts = &sa->want_ts_r[i];
		int family = ts->type == IKE_TS_IPV6_ADDR_RANGE ? AF_INET6 : AF_INET;
		size_t k;

		for (k = 0; k < v->n_addr && v->addr[k].family != family; k++)
			;
		if (k == v->n_addr)
			continue;
		ret = vip_route(true, ts, &v->addr[k], &sa->remote, err, errlen);
		if (ret == -EINVAL) {	/* a range: no route for it, say so */
			log_warn("%s: no route for a remote selector: %s", sa->name, err);
			ret = 0;
		} else if (!ret) {
			v->route[v->n_route] = *ts;
			v->route_src[v->n_route++] = v->addr[k];
		}
	}
	if (ret) {
		vip_undo(v);
		free(v);
		return ret;
	}
	v->next = vip_list;
	vip_list = v;
	return 0;
}

/* The link of vip_list that holds the IKE SA's virtual addresses. */
static struct vip_inst **find_vip(const struct ike_sa *sa)
{
	struct vip_inst **pp;

	for (pp = &vip_list; *pp; pp = &(*pp)->next)
		if (sa->n_vips && (*pp)->addr[0].family == sa->vips[0].family &&
		    !memcmp((*pp)->addr[0].addr, sa->vips[0].addr, 16))
			break;
	return pp;
}

/* MOBIKE moved the IKE SA: the source routes go the new way to the
 * gateway (their next hop was the old path's). */
static void vip_follow(const struct ike_sa *sa)
{
	struct vip_inst *v = *find_vip(sa);
	char err[200];

	if (!v || !sa->vips_installed)
		return;
	for (size_t i = 0; i < v->n_route; i++) {
		/* the old route may be gone with its link already */
		vip_route(false, &v->route[i], &v->route_src[i], &v->peer, err, sizeof(err));
		if (vip_route(true, &v->route[i], &v->route_src[i], &sa->remote, err, sizeof(err)))
			log_warn("%s: virtual address route after the move: %s", sa->name, err);
	}
	v->peer = sa->remote;
}

static void op_vip_remove(void *arg, const struct ike_sa *sa)
{
	struct vip_inst **pp = find_vip(sa);

	if (*pp) {
		struct vip_inst *v = *pp;

		*pp = v->next;
		vip_undo(v);
		free(v);
		log_info("%s: virtual address removed", sa->name);
	}
}

static int op_keepalive(void *arg, const ike_sockaddr *local, const ike_sockaddr *remote)
{
	struct daemon *d = arg;

	return net_keepalive(&d->net, local, remote);
}

static struct installed *find_installed(struct daemon *d, const struct child_sa *c)
{
	for (struct installed *in = d->inst; in; in = in->next)
		if (in->spi_in == c->spi_in && in->spi_out == c->spi_out)
			return in;
	return NULL;
}

/* One SA of a Child SA to the IKE SA's new endpoints, in place: SPI, keys,
 * sequence numbers and replay window stay (NFSEC_CMD_SA_UPDATE). */
static void move_sa(struct daemon *d, const struct ike_sa *sa, const struct child_sa *c,
		    bool in, const uint8_t *dst)
{
	struct nfsec_nl_err err = { 0 };
	struct kernel_sa ks;
	char why[300];
	int ret;

	fill_sa(&ks, sa, c, in);
	ret = kernel_sa_update(d->kernel, ks.spi, sa->local.sa.sa_family, dst, &ks, &err);
	OPENSSL_cleanse(&ks, sizeof(ks));
	if (ret)
		log_warn("%s: cannot move SA %08x to the new endpoints: %s", sa->name,
			 in ? c->spi_in : c->spi_out, nl_reason(ret, &err, why, sizeof(why)));
}

static void op_endpoints_changed(void *arg, const struct ike_sa *sa, const ike_sockaddr *old_local,
				 const ike_sockaddr *old_remote)
{
	struct daemon *d = arg;

	vip_follow(sa);
	if (!d->kernel)
		return;
	for (const struct child_sa *c = sa->children; c; c = c->next) {
		struct installed *in = c->installed ? find_installed(d, c) : NULL;

		if (!in)
			continue;
		move_sa(d, sa, c, true, in->local);
		move_sa(d, sa, c, false, in->remote);
		/* The policies keep the old tunnel endpoints: nfsec's output
		 * takes the outer header from the SA. */
		ike_addr_copy(&sa->local, in->local);
		ike_addr_copy(&sa->remote, in->remote);
		log_info("%s: Child SA %08x/%08x moved to the IKE SA's endpoints", sa->name,
			 c->spi_in, c->spi_out);
	}
}

/* ---- kernel events ---- */

static const struct conf_conn *conn_for_acquire(struct daemon *d, const struct kernel_acquire *a)
{
	for (struct trap *t = d->traps; t; t = t->next)
		if ((a->reqid && t->reqid == a->reqid) || (a->policy_id && t->policy == a->policy_id))
			return config_find(&d->cfg, t->name);
	for (size_t i = 0; i < d->cfg.n; i++) {
		const struct conf_conn *c = &d->cfg.conns[i];
		const uint8_t *dst = a->has_tun_dst ? a->tun_dst : a->pkt_dst;

		if (c->start == CONF_START_TRAP && c->remote.family == a->family &&
		    (a->has_tun_dst || a->has_pkt_dst) &&
		    !memcmp(c->remote.addr, dst, a->family == AF_INET6 ? 16 : 4))
			return c;
	}
	return NULL;
}

static void on_acquire(void *arg, const struct kernel_acquire *a)
{
	struct daemon *d = arg;
	const struct conf_conn *c = conn_for_acquire(d, a);

	if (!c) {
		log_info("ACQUIRE for policy %u (reqid %u) matches no connection", a->policy_id,
			 a->reqid);
		return;
	}
	for (struct ike_sa *sa = d->ctx.sas; sa; sa = sa->next)
		if (!strcmp(sa->name, c->name) && sa->state < IKE_SA_ESTABLISHED)
			return;		/* already negotiating */
	log_info("%s: ACQUIRE for policy %u, initiating", c->name, a->policy_id);
	ike_initiate(&d->ctx, c, &a->src, 1, &a->dst, 1);
}

static void on_expire(void *arg, const struct kernel_expire *e)
{
	struct daemon *d = arg;
	struct child_sa *c = NULL;
	struct ike_sa *sa = NULL;

	for (struct ike_sa *s = d->ctx.sas; s && !c; s = s->next)
		for (struct child_sa *k = s->children; k && !c; k = k->next)
			if (k->spi_in == e->spi || k->spi_out == e->spi)
				c = k, sa = s;
	if (!c)
		return;
	if (!e->hard) {
		log_info("%s: soft expiry of Child SA %08x, rekeying it", sa->name, e->spi);
		ike_sa_rekey_child(sa, c);
		return;
	}
	log_info("%s: Child SA %08x reached its hard lifetime", sa->name, e->spi);
	ike_sa_delete_child(sa, c);
}

/* ESP from a new NAT mapping (RFC 3948): follow it like an IKE message. */
static void on_mapping(void *arg, const struct kernel_mapping *m)
{
	struct daemon *d = arg;
	struct child_sa *c;
	struct ike_sa *sa = ike_sa_by_child_spi(&d->ctx, m->spi, &c);
	ike_sockaddr remote;
	char ra[64];

	if (!sa || sa->state != IKE_SA_ESTABLISHED || m->family != sa->remote.sa.sa_family)
		return;
	memset(&remote, 0, sizeof(remote));
	remote.sa.sa_family = (sa_family_t)m->family;
	if (m->family == AF_INET6)
		memcpy(&remote.sin6.sin6_addr, m->src, 16);
	else
		memcpy(&remote.sin.sin_addr, m->src, 4);
	ike_addr_set_port(&remote, m->sport);
	log_info("%s: ESP of Child SA %08x comes from %s now", sa->name, m->spi,
		 ike_addr_str(&remote, true, ra, sizeof(ra)));
	ike_sa_follow_peer(sa, &sa->local, &remote);
}

static void install_traps(struct daemon *d)
{
	uint32_t reqid = 0x10000;

	for (size_t i = 0; d->kernel && i < d->cfg.n; i++) {
		const struct conf_conn *c = &d->cfg.conns[i];
		struct ike_ts l, r;
		struct kernel_policy p = { .dir = NFSEC_DIR_OUT };
		struct nfsec_nl_err err = { 0 };
		struct trap *t;
		int ret;

		if (c->start != CONF_START_TRAP)
			continue;
		reqid++;
		if (c->n_local_ts)
			l = c->local_ts[0];
		else if (c->local.family) {
			memset(&l, 0, sizeof(l));
			l.type = c->local.family == AF_INET6 ? IKE_TS_IPV6_ADDR_RANGE :
								IKE_TS_IPV4_ADDR_RANGE;
			memcpy(l.start, c->local.addr, 16);
			memcpy(l.end, c->local.addr, 16);
			l.end_port = 65535;
		} else {
			continue;
		}
		if (c->n_remote_ts) {
			r = c->remote_ts[0];
		} else {
			memset(&r, 0, sizeof(r));
			r.type = l.type;
			memcpy(r.start, c->remote.addr, 16);
			memcpy(r.end, c->remote.addr, 16);
			r.end_port = 65535;
		}
		p.src = &l;
		p.dst = &r;
		p.mode = c->mode == CONF_MODE_TRANSPORT ? NFSEC_MODE_TRANSPORT : NFSEC_MODE_TUNNEL;
		p.tun_family = c->remote.family;
		memcpy(p.tun_src, c->local.addr, 16);
		memcpy(p.tun_dst, c->remote.addr, 16);
		p.reqid = reqid;
		p.priority = 0x90000000u;	/* after the Child SAs' own policies */
		t = calloc(1, sizeof(*t));
		if (!t)
			return;
		ret = kernel_policy_add(d->kernel, &p, &t->policy, &err);
		if (ret) {
			char why[300];

			log_err("%s: cannot install the trap policy: %s", c->name,
				nl_reason(ret, &err, why, sizeof(why)));
			free(t);
			continue;
		}
		snprintf(t->name, sizeof(t->name), "%s", c->name);
		t->reqid = reqid;
		t->next = d->traps;
		d->traps = t;
		log_info("%s: trap policy %u installed", c->name, t->policy);
	}
}

static void remove_traps(struct daemon *d)
{
	struct nfsec_nl_err err;
	struct trap *t;

	while ((t = d->traps)) {
		d->traps = t->next;
		kernel_policy_del(d->kernel, t->policy, &err);
		free(t);
	}
}

/* ---- control commands ---- */

static void start_conns(struct daemon *d)
{
	for (size_t i = 0; i < d->cfg.n; i++) {
		const struct conf_conn *c = &d->cfg.conns[i];
		bool have = false;

		if (c->start != CONF_START_START)
			continue;
		for (struct ike_sa *sa = d->ctx.sas; sa; sa = sa->next)
			have |= sa->state != IKE_SA_DEAD && !strcmp(sa->name, c->name);
		if (!have)
			ike_initiate(&d->ctx, c, NULL, 0, NULL, 0);
	}
}

static int do_reload(struct daemon *d, char *err, size_t errlen)
{
	struct config fresh;

	if (config_load(d->o->conf_path, &fresh, err, errlen)) {
		log_err("reload: %s", err);
		return -1;
	}
	if (d->kernel)
		remove_traps(d);
	ike_ctx_reconfigure(&d->ctx, &fresh);
	config_free(&d->cfg);
	d->cfg = fresh;
	d->ctx.cfg = &d->cfg;
	for (struct ike_sa *sa = d->ctx.sas; sa; sa = sa->next)
		if (sa->state != IKE_SA_DEAD)
			sa->conn = config_find(&d->cfg, sa->name);
	install_traps(d);
	start_conns(d);
	log_info("configuration reloaded: %zu connection%s", d->cfg.n, d->cfg.n == 1 ? "" : "s");
	return 0;
}

static int control_cmd(void *arg, const char *line, FILE *out, char *err, size_t errlen)
{
	struct daemon *d = arg;
	char cmd[16] = "", name[CONF_NAME_MAX + 1] = "", extra[2] = "";
	int n = sscanf(line, "%15s %64s %1s", cmd, name, extra);

	if (n <= 0) {
		snprintf(err, errlen, "empty command");
		return -1;
	}
	if (!strcmp(cmd, "list") && n == 1) {
		ike_list(&d->ctx, out);
		return 0;
	}
	if (!strcmp(cmd, "reload") && n == 1)
		return do_reload(d, err, errlen);
	if ((!strcmp(cmd, "up") || !strcmp(cmd, "down")) && n == 2) {
		const struct conf_conn *c = config_find(&d->cfg, name);

		if (!c) {
			snprintf(err, errlen, "no connection '%s'", name);
			return -1;
		}
		if (cmd[0] == 'u') {
			if (!ike_initiate(&d->ctx, c, NULL, 0, NULL, 0)) {
				snprintf(err, errlen, "cannot initiate '%s' (see the log)", name);
				return -1;
			}
			fprintf(out, "initiating %s\n", name);
			return 0;
		}
		n = ike_terminate(&d->ctx, name);
		if (!n) {
			snprintf(err, errlen, "no IKE SA for '%s'", name);
			return -1;
		}
		fprintf(out, "deleting %d IKE SA%s of %s\n", n, n == 1 ? "" : "s", name);
		return 0;
	}
	snprintf(err, errlen, "usage: list | up NAME | down NAME | reload");
	return -1;
}

/* ---- the loop ---- */

static void read_net(struct daemon *d, int i)
{
	static uint8_t buf[65536];
	ike_sockaddr local, remote;

	for (int k = 0; k < 64; k++) {
		ssize_t len = net_recv(&d->net, i, buf, sizeof(buf), &local, &remote);

		if (len < 0)
			return;
		if (len == 0)
			continue;
		d->ctx.now_ms = now_ms();
		ike_receive(&d->ctx, buf, (size_t)len, &local, &remote);
	}
}

static void shutdown_sas(struct daemon *d)
{
	/* One Delete each, not waiting for answers (RFC 7296 §1.4.1 allows
	 * the peer to find out by DPD otherwise). */
	for (struct ike_sa *sa = d->ctx.sas; sa; sa = sa->next)
		if (sa->state == IKE_SA_ESTABLISHED)
			ike_sa_delete(sa);
	ike_ctx_free(&d->ctx);
}

int daemon_run(const struct daemon_opts *o, struct config *cfg)
{
	struct ike_ops ops = {
		.send = op_send, .route = op_route, .spi_alloc = op_spi_alloc,
		.child_install = op_child_install, .child_remove = op_child_remove,
		.vip_install = op_vip_install, .vip_remove = op_vip_remove,
		.keepalive = op_keepalive, .endpoints_changed = op_endpoints_changed,
		.local_addrs = op_local_addrs,
	};
	struct kernel_event_ops kops = { .acquire = on_acquire, .expire = on_expire,
					 .mapping = on_mapping };
	struct sigaction sa = { .sa_handler = on_signal };
	struct daemon *d = calloc(1, sizeof(*d));
	int ret;

	if (!d)
		return 1;
	d->o = o;
	d->cfg = *cfg;
	ops.arg = d;
	kops.arg = d;
	if (!o->no_kernel) {
		struct nfsec_nl_err err = { 0 };

		d->kernel = kernel_open(&err);
		if (!d->kernel) {
			char why[300];

			log_err("cannot talk to nfsec: %s (is nfsec.ko loaded? --no-kernel "
				"runs without it)", nl_reason(err.error, &err, why, sizeof(why)));
			config_free(&d->cfg);
			free(d);
			return 1;
		}
	} else {
		log_info("--no-kernel: negotiating only, no SA is installed");
	}
	ret = control_open(&d->ctl, o->socket_path, control_cmd, d);
	if (ret) {
		log_err("cannot create the control socket %s: %s", o->socket_path, strerror(-ret));
		goto out_kernel;
	}
	ret = net_open(&d->net, o->port, o->natt_port);
	if (ret) {
		log_err("cannot open the IKE sockets: %s", strerror(-ret));
		control_close(&d->ctl);
		goto out_kernel;
	}
	d->addrmon = addrmon_open();
	if (d->addrmon < 0)
		log_warn("no address monitor (rtnetlink: %s): MOBIKE moves only on DPD",
			 strerror(-d->addrmon));
	if (!o->keep_privileges) {
		char why[128];

		/* every socket is open: from here on only CAP_NET_ADMIN is used */
		if (privs_drop(why, sizeof(why))) {
			log_err("cannot drop privileges: %s (--keep-privileges runs with them)",
				why);
			ret = -EPERM;
			control_close(&d->ctl);
			net_close(&d->net);
			if (d->addrmon >= 0)
				close(d->addrmon);
			goto out_kernel;
		}
		log_debug("privileges dropped: CAP_NET_ADMIN only, no_new_privs");
	}
	ike_ctx_init(&d->ctx, &d->cfg, &ops);
	d->ctx.now_ms = now_ms();
	d->ctx.cookie_rotated_ms = d->ctx.now_ms;
	if (o->retx_base_ms)
		d->ctx.retx_base_ms = o->retx_base_ms;
	if (o->retx_tries)
		d->ctx.retx_tries = o->retx_tries;
	if (o->cookie_threshold >= 0)
		d->ctx.cookie_threshold = (unsigned int)o->cookie_threshold;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	install_traps(d);
	log_info("ikev2d started: %zu connection%s, control socket %s", d->cfg.n,
		 d->cfg.n == 1 ? "" : "s", o->socket_path);
	start_conns(d);

	while (!stop_signal) {
		struct pollfd fds[NET_SOCKS + CONTROL_MAX_CLIENTS + 3];
		int nfds = 0, nctl, ctl_at, kern_at = -1, mon_at = -1, timeout;
		uint64_t next, now;

		if (reload_signal) {
			char err[512];

			reload_signal = 0;
			do_reload(d, err, sizeof(err));
		}
		d->ctx.now_ms = now = now_ms();
		if (d->addrs_changed_ms && now >= d->addrs_changed_ms) {
			d->addrs_changed_ms = 0;
			ike_ctx_addresses_changed(&d->ctx);
		}
		next = ike_tick(&d->ctx);
		if (d->addrs_changed_ms && d->addrs_changed_ms < next)
			next = d->addrs_changed_ms;
		timeout = next == UINT64_MAX ? 60000 : next <= now ? 0 :
			  next - now > 60000 ? 60000 : (int)(next - now);
		for (int i = 0; i < NET_SOCKS; i++)
			fds[nfds++] = (struct pollfd){ .fd = d->net.fd[i], .events = POLLIN };
		ctl_at = nfds;
		nctl = control_pollfds(&d->ctl, fds + nfds, CONTROL_MAX_CLIENTS + 1);
		nfds += nctl;
		if (d->kernel) {
			kern_at = nfds;
			fds[nfds++] = (struct pollfd){ .fd = kernel_event_fd(d->kernel),
						       .events = POLLIN };
		}
		if (d->addrmon >= 0) {
			mon_at = nfds;
			fds[nfds++] = (struct pollfd){ .fd = d->addrmon, .events = POLLIN };
		}
		if (poll(fds, (nfds_t)nfds, timeout) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			break;
		}
		d->ctx.now_ms = now_ms();
		for (int i = 0; i < NET_SOCKS; i++)
			if (fds[i].fd >= 0 && (fds[i].revents & POLLIN))
				read_net(d, i);
		control_handle(&d->ctl, fds + ctl_at, nctl);
		if (kern_at >= 0 && (fds[kern_at].revents & POLLIN))
			kernel_read_events(d->kernel, &kops);
		if (mon_at >= 0 && (fds[mon_at].revents & POLLIN) && addrmon_read(d->addrmon) &&
		    !d->addrs_changed_ms)
			d->addrs_changed_ms = d->ctx.now_ms + ADDRS_SETTLE_MS;
	}
	log_info("shutting down (signal %d)", (int)stop_signal);
	d->ctx.now_ms = now_ms();
	shutdown_sas(d);
	if (d->kernel)
		remove_traps(d);
	control_close(&d->ctl);
	net_close(&d->net);
	if (d->addrmon >= 0)
		close(d->addrmon);
	ret = 0;
out_kernel:
	kernel_close(d->kernel);
	while (d->inst) {
		struct installed *in = d->inst;

		d->inst = in->next;
		free(in);
	}
	config_free(&d->cfg);
	free(d);
	return ret ? 1 : 0;
}
