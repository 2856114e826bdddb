// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Configuration payload: see cp.h. The gateway's leases are keyed by the
 * peer's authenticated identity (type and data), which is what lets a
 * client that reconnects find its address again.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cert.h"
#include "cp.h"
#include "exchange.h"
#include "pool.h"

static const uint8_t zero16[16];

static bool put_addr(struct conf_addr *a, size_t *n, int family, const uint8_t *bytes)
{
	if (*n >= CP_MAX_ADDRS)
		return false;
	memset(&a[*n], 0, sizeof(a[0]));
	a[*n].family = family;
	if (bytes)
		memcpy(a[*n].addr, bytes, family == AF_INET6 ? 16 : 4);
	(*n)++;
	return true;
}

int cp_read(const struct ike_cp *cp, struct cp_info *out, char *why, size_t len)
{
	memset(out, 0, sizeof(*out));
	out->type = cp->type;
	for (unsigned int i = 0; i < cp->n; i++) {
		const struct ike_cp_attr *a = &cp->attr[i];
		size_t vl = a->value.len;
		bool v6 = a->type == IKE_CP_INTERNAL_IP6_ADDRESS || a->type == IKE_CP_INTERNAL_IP6_DNS;
		size_t want = a->type == IKE_CP_INTERNAL_IP6_ADDRESS ? 17 : v6 ? 16 : 4;
		bool is_dns = a->type == IKE_CP_INTERNAL_IP4_DNS || a->type == IKE_CP_INTERNAL_IP6_DNS;

		if (a->type != IKE_CP_INTERNAL_IP4_ADDRESS && a->type != IKE_CP_INTERNAL_IP6_ADDRESS &&
		    !is_dns)
			continue;
		if (vl && vl != want) {
			snprintf(why, len, "CP attribute %u has %zu bytes, not 0 or %zu", a->type, vl,
				 want);
			return -EINVAL;
		}
		put_addr(is_dns ? out->dns : out->addr, is_dns ? &out->n_dns : &out->n_addr,
			 v6 ? AF_INET6 : AF_INET, vl ? a->value.ptr : NULL);
	}
	return 0;
}

static void put_attr(struct ike_cp *cp, uint8_t values[][17], uint16_t type,
		     const struct conf_addr *a, bool address)
{
	size_t len = a->family == AF_INET6 ? 16 : 4;
	bool any = !memcmp(a->addr, zero16, len);

	if (cp->n >= IKE_MAX_CP_ATTRS)
		return;
	memcpy(values[cp->n], a->addr, len);
	if (address && a->family == AF_INET6)
		values[cp->n][len++] = 128;	/* one address, not a prefix */
	cp->attr[cp->n].type = type;
	cp->attr[cp->n].value = IKE_BUF(values[cp->n], any ? 0 : len);
	cp->n++;
}

void cp_build(const struct cp_info *in, struct ike_cp *cp, uint8_t values[][17])
{
	memset(cp, 0, sizeof(*cp));
	cp->type = in->type;
	for (size_t i = 0; i < in->n_addr; i++)
		put_attr(cp, values, in->addr[i].family == AF_INET6 ? IKE_CP_INTERNAL_IP6_ADDRESS :
				     IKE_CP_INTERNAL_IP4_ADDRESS, &in->addr[i], true);
	for (size_t i = 0; i < in->n_dns; i++)
		put_attr(cp, values, in->dns[i].family == AF_INET6 ? IKE_CP_INTERNAL_IP6_DNS :
				     IKE_CP_INTERNAL_IP4_DNS, &in->dns[i], false);
}

static void put_cp(struct ike_wbuf *w, const struct cp_info *info)
{
	uint8_t values[IKE_MAX_CP_ATTRS][17];
	struct ike_cp cp;

	cp_build(info, &cp, values);
	ike_put_cp(w, &cp);
}

void cp_put_request(const struct ike_sa *sa, struct ike_wbuf *w)
{
	const struct conf_conn *conn = sa->conn;
	struct cp_info req = { .type = IKE_CFG_REQUEST };

	if (!conn->n_vips)
		return;
	for (size_t i = 0; i < conn->n_vips; i++) {
		put_addr(req.addr, &req.n_addr, conn->vips[i].family, conn->vips[i].addr);
		put_addr(req.dns, &req.n_dns, conn->vips[i].family, NULL);
	}
	put_cp(w, &req);
}

static const char *addr_str(const struct conf_addr *a, char *buf, size_t len)
{
	return inet_ntop(a->family, a->addr, buf, (socklen_t)len) ? buf : "?";
}

/* The pool of the context with this name, created on first use. */
static struct ike_pool *pool_get(struct ike_ctx *ctx, const char *name)
{
	struct ike_pool *p;
	const char *why;

	for (p = ctx->pools; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	p = malloc(sizeof(*p));
	if (!p)
		return NULL;
	if (pool_init(p, name, &why)) {	/* the configuration was checked */
		free(p);
		return NULL;
	}
	p->next = ctx->pools;
	ctx->pools = p;
	return p;
}

/* A lease of family for the peer from the first pool of that family with room. */
static int lease(struct ike_sa *sa, int family, const uint8_t *want, struct conf_addr *out)
{
	uint8_t id[POOL_ID_MAX];
	size_t id_len = 1 + sa->peer_id_len;

	id[0] = sa->peer_id_type;
	memcpy(id + 1, sa->peer_id, sa->peer_id_len < POOL_ID_MAX - 1 ? sa->peer_id_len :
								       POOL_ID_MAX - 1);
	if (id_len > POOL_ID_MAX)
		id_len = POOL_ID_MAX;
	for (size_t i = 0; i < sa->conn->n_pools; i++) {
		struct ike_pool *p = pool_get(sa->ctx, sa->conn->pools[i]);

		if (!p || p->family != family)
			continue;
		memset(out, 0, sizeof(*out));
		out->family = family;
		if (!pool_acquire(p, id, id_len, want, out->addr))
			return 0;
	}
	return -ENOSPC;
}

uint16_t cp_respond(struct ike_sa *sa, const struct ike_msg *m, struct ike_wbuf *w)
{
	const struct ike_payload *p = ike_msg_find(m, IKE_PL_CP);
	struct cp_info req, rep = { .type = IKE_CFG_REPLY };
	struct ike_cp cp;
	char why[128], a[INET6_ADDRSTRLEN];

	if (!p)
		return 0;
	if (ike_parse_cp(p->body, &cp) || cp_read(&cp, &req, why, sizeof(why))) {
		sa_warn(sa, "malformed CP payload");
		return IKE_N_INVALID_SYNTAX;
	}
	if (req.type != IKE_CFG_REQUEST || !sa->conn->n_pools)
		return 0;	/* nothing to hand out: no CFG_REPLY (§2.19) */
	for (size_t i = 0; i < req.n_addr && sa->n_vips < IKE_MAX_VIPS; i++) {
		bool dup = false;

		for (size_t k = 0; k < sa->n_vips; k++)
			dup |= sa->vips[k].family == req.addr[i].family;
		if (dup)
			continue;	/* one address per family */
		if (lease(sa, req.addr[i].family, memcmp(req.addr[i].addr, zero16, 16) ?
			  req.addr[i].addr : NULL, &sa->vips[sa->n_vips])) {
			sa_info(sa, "no free %s address in the pools",
				req.addr[i].family == AF_INET6 ? "IPv6" : "IPv4");
			continue;
		}
		sa_info(sa, "leased %s to the peer",
			addr_str(&sa->vips[sa->n_vips], a, sizeof(a)));
		rep.addr[rep.n_addr++] = sa->vips[sa->n_vips++];
	}
	if (req.n_addr && !sa->n_vips)
		return IKE_N_INTERNAL_ADDRESS_FAILURE;
	sa->vips_leased = sa->n_vips > 0;
	for (size_t i = 0; i < sa->conn->n_dns; i++) {
		bool asked = false;

		for (size_t k = 0; k < req.n_dns; k++)
			asked |= req.dns[k].family == sa->conn->dns[i].family;
		for (size_t k = 0; k < sa->n_vips; k++)
			asked |= sa->vips[k].family == sa->conn->dns[i].family;
		if (asked)
			put_addr(rep.dns, &rep.n_dns, sa->conn->dns[i].family, sa->conn->dns[i].addr);
	}
	put_cp(w, &rep);
	return 0;
}

bool cp_process_reply(struct ike_sa *sa, const struct ike_msg *m)
{
	const struct ike_payload *p = ike_msg_find(m, IKE_PL_CP);
	struct cp_info rep;
	struct ike_cp cp;
	char why[128], a[INET6_ADDRSTRLEN];

	if (!sa->conn->n_vips)
		return true;
	if (!p || ike_parse_cp(p->body, &cp) || cp_read(&cp, &rep, why, sizeof(why)) ||
	    rep.type != IKE_CFG_REPLY) {
		sa_err(sa, "we asked for a virtual address; the peer sent no usable CFG_REPLY");
		return false;
	}
	for (size_t i = 0; i < rep.n_addr && sa->n_vips < IKE_MAX_VIPS; i++) {
		bool wanted = false;

		for (size_t k = 0; k < sa->conn->n_vips; k++)
			wanted |= sa->conn->vips[k].family == rep.addr[i].family;
		if (!wanted || !memcmp(rep.addr[i].addr, zero16, 16))
			continue;
		sa->vips[sa->n_vips++] = rep.addr[i];
		sa_info(sa, "virtual address %s assigned", addr_str(&rep.addr[i], a, sizeof(a)));
	}
	for (size_t i = 0; i < rep.n_dns && sa->n_dns < IKE_MAX_DNS; i++)
		if (memcmp(rep.dns[i].addr, zero16, 16)) {
			sa->dns[sa->n_dns++] = rep.dns[i];
			sa_info(sa, "DNS server %s", addr_str(&rep.dns[i], a, sizeof(a)));
		}
	if (!sa->n_vips) {
		sa_err(sa, "the CFG_REPLY has no address of a family we asked for");
		return false;
	}
	if (sa->ctx->ops.vip_install &&
	    sa->ctx->ops.vip_install(sa->ctx->ops.arg, sa, why, sizeof(why))) {
		sa_err(sa, "cannot install the virtual address: %s", why);
		return false;
	}
	sa->vips_installed = true;
	return true;
}

void cp_release(struct ike_sa *sa)
{
	char a[INET6_ADDRSTRLEN];

	if (sa->vips_installed && sa->ctx->ops.vip_remove)
		sa->ctx->ops.vip_remove(sa->ctx->ops.arg, sa);
	sa->vips_installed = false;
	for (size_t i = 0; sa->vips_leased && i < sa->n_vips; i++)
		for (struct ike_pool *p = sa->ctx->pools; p; p = p->next)
			if (p->family == sa->vips[i].family && !pool_release(p, sa->vips[i].addr)) {
				sa_info(sa, "released %s", addr_str(&sa->vips[i], a, sizeof(a)));
				break;
			}
	sa->vips_leased = false;
	sa->n_vips = 0;
}

void cp_move(struct ike_sa *from, struct ike_sa *to)
{
	if (!from->n_vips)
		return;
	memcpy(to->vips, from->vips, sizeof(to->vips));
	to->n_vips = from->n_vips;
	memcpy(to->dns, from->dns, sizeof(to->dns));
	to->n_dns = from->n_dns;
	to->vips_installed = from->vips_installed;
	to->vips_leased = from->vips_leased;
	from->n_vips = 0;
	from->vips_installed = from->vips_leased = false;
}

bool cp_name_matches(const char *name, const char *identity)
{
	size_t n = strlen(name), i = strlen(identity);

	if (!n || i < n || strcasecmp(identity + i - n, name))
		return false;
	return i == n || identity[i - n - 1] == '@' || identity[i - n - 1] == '.';
}

const char *cp_peer_name(const struct ike_sa *sa, char *buf, size_t len)
{
	struct ike_buf id = IKE_BUF(sa->peer_id, sa->peer_id_len);

	if (sa->peer_id_type == IKE_ID_IPV4_ADDR && id.len == 4)
		inet_ntop(AF_INET, id.ptr, buf, (socklen_t)len);
	else if (sa->peer_id_type == IKE_ID_IPV6_ADDR && id.len == 16)
		inet_ntop(AF_INET6, id.ptr, buf, (socklen_t)len);
	else if (sa->peer_id_type == IKE_ID_DER_ASN1_DN)
		ike_dn_str(id, buf, len);
	else
		snprintf(buf, len, "%.*s", (int)id.len, (const char *)id.ptr);
	return buf;
}
