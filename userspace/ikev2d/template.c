// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Name templates to per-client entries: see template.h. The SPD is read
 * once per Child SA, which is what keeps ikev2d's view of the templates
 * current without state of its own (an administrator may replace the SPD
 * at any time).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cp.h"
#include "nfsec_policy.h"
#include "template.h"

#define MAX_TEMPLATES 16

struct found {
	const char *peer;
	struct nfsec_policy t[MAX_TEMPLATES];
	size_t n;
};

static void found_restart(void *arg)
{
	((struct found *)arg)->n = 0;
}

static int found_add(void *arg, const struct nfsec_policy *p)
{
	struct found *f = arg;

	if (!p->has_action || p->action != NFSEC_ACTION_PROTECT || !p->sel.name[0] ||
	    !p->has_dir || p->ipsec.tunnel_src.family || p->ipsec.tunnel_dst.family ||
	    (p->ipsec.has_proto && p->ipsec.proto != IPPROTO_ESP) ||
	    !cp_name_matches(p->sel.name, f->peer) || f->n == MAX_TEMPLATES)
		return 0;
	f->t[f->n++] = *p;
	return 0;
}

static int ts_family(const struct ike_ts *ts)
{
	return ts->type == IKE_TS_IPV6_ADDR_RANGE ? AF_INET6 : AF_INET;
}

/* sel = the template's address selector narrowed to ts; false when empty. */
static bool narrow_addr(struct nfsec_addr_sel *sel, const struct ike_ts *ts)
{
	int family = ts_family(ts);
	size_t len = nfsec_addr_len((unsigned int)family);
	uint8_t start[16] = { 0 }, end[16] = { 0 };

	memcpy(start, ts->start, len);
	memcpy(end, ts->end, len);
	if (sel->family && sel->family != family)
		return false;
	if (sel->family) {
		if (memcmp(sel->start, start, len) > 0)
			memcpy(start, sel->start, len);
		if (memcmp(sel->end, end, len) < 0)
			memcpy(end, sel->end, len);
		if (memcmp(start, end, len) > 0)
			return false;
	}
	memset(sel, 0, sizeof(*sel));
	sel->family = (uint16_t)family;
	sel->is_range = true;
	memcpy(sel->start, start, len);
	memcpy(sel->end, end, len);
	return true;
}

/* The template's next-layer selectors, narrowed by the Child SA's. */
static bool narrow_proto(struct nfsec_sel *s, const struct ike_ts *src, const struct ike_ts *dst)
{
	if (!src->ip_proto)
		return true;
	if (s->has_proto && s->proto != src->ip_proto)
		return false;
	s->has_proto = true;
	s->proto = src->ip_proto;
	if (!nfsec_proto_has_ports(s->proto))
		return true;
	if (src->start_port || src->end_port != 65535) {
		s->has_sport = true;
		s->sport_min = src->start_port;
		s->sport_max = src->end_port;
	}
	if (dst->start_port || dst->end_port != 65535) {
		s->has_dport = true;
		s->dport_min = dst->start_port;
		s->dport_max = dst->end_port;
	}
	return true;
}

/* The entry of template t for the pair of selectors l (ours), r (the peer's). */
static bool make_entry(const struct nfsec_policy *t, const struct ike_sa *sa,
		       const struct child_sa *c, const struct ike_ts *l, const struct ike_ts *r,
		       const char *peer, struct nfsec_policy *e)
{
	bool out = t->dir == NFSEC_DIR_OUT;
	const struct ike_ts *src = out ? l : r, *dst = out ? r : l;

	*e = *t;
	e->id = 0;
	e->has_stats = false;
	e->family = 0;
	if (!narrow_addr(&e->sel.src, src) || !narrow_addr(&e->sel.dst, dst) ||
	    !narrow_proto(&e->sel, src, dst))
		return false;
	e->sel.pfp = 0;		/* populated: this is the client's own entry */
	snprintf(e->sel.name, sizeof(e->sel.name), "%s", peer);
	e->has_priority = true;
	e->priority = t->has_priority ? t->priority : NFSEC_PRIORITY_DEFAULT;
	if (e->priority)
		e->priority--;	/* before the template (equal ones keep insertion order) */
	e->has_ipsec = true;
	e->ipsec.has_proto = true;
	e->ipsec.proto = IPPROTO_ESP;
	e->ipsec.has_mode = true;
	e->ipsec.mode = NFSEC_MODE_TUNNEL;
	e->ipsec.has_reqid = true;
	e->ipsec.reqid = c->reqid;
	e->ipsec.tunnel_src.family = e->ipsec.tunnel_dst.family = sa->local.sa.sa_family;
	ike_addr_copy(out ? &sa->local : &sa->remote, e->ipsec.tunnel_src.bytes);
	ike_addr_copy(out ? &sa->remote : &sa->local, e->ipsec.tunnel_dst.bytes);
	return true;
}

int template_install(struct kernel *k, const struct ike_sa *sa, const struct child_sa *c,
		     uint32_t *ids, size_t max, size_t *n_ids, char *err, size_t errlen)
{
	struct nfsec_nl_err nlerr = { 0 };
	char peer[NFSEC_NAME_MAX + 1];
	struct found *f;
	int ret;

	*n_ids = 0;
	if (c->mode != CONF_MODE_TUNNEL)
		return 0;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->peer = cp_peer_name(sa, peer, sizeof(peer));
	ret = kernel_policy_dump(k, found_add, found_restart, f, &nlerr);
	if (ret) {
		snprintf(err, errlen, "reading the SPD: %s", nlerr.msg[0] ? nlerr.msg :
			 strerror(-ret));
		free(f);
		return ret;
	}
	for (size_t i = 0; i < f->n; i++) {
		for (size_t li = 0; li < c->n_ts_l; li++) {
			for (size_t ri = 0; ri < c->n_ts_r; ri++) {
				struct nfsec_policy e;

				if (c->ts_l[li].type != c->ts_r[ri].type ||
				    !make_entry(&f->t[i], sa, c, &c->ts_l[li], &c->ts_r[ri], peer, &e))
					continue;
				if (*n_ids == max) {
					snprintf(err, errlen, "more than %zu per-client entries", max);
					free(f);
					return -E2BIG;
				}
				ret = kernel_policy_add_full(k, &e, &ids[*n_ids], &nlerr);
				if (ret) {
					snprintf(err, errlen, "per-client entry from template %u: %s",
						 f->t[i].id, nlerr.msg[0] ? nlerr.msg : strerror(-ret));
					free(f);
					return ret;
				}
				++*n_ids;
			}
		}
	}
	ret = f->n ? (int)*n_ids : 0;
	if (f->n && !*n_ids) {
		snprintf(err, errlen, "templates for '%s' match none of the Child SA's selectors",
			 peer);
		ret = -ENOENT;
	}
	free(f);
	return ret;
}
