// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MOBIKE (RFC 4555): an IKE SA and its Child SAs move to new addresses.
 *
 * MOBIKE_SUPPORTED and the additional addresses of each side travel in
 * IKE_AUTH, and in an INFORMATIONAL when a side's address set changes.
 * Only the original initiator decides on a move (§3.3): when its path is
 * gone (an address or route change, or no response on it) it sends the
 * request in flight, or an INFORMATIONAL probe with COOKIE2, on every
 * address pair it has (paths[]); the first pair a response comes back on is
 * taken, and UPDATE_SA_ADDRESSES (with NAT-D and COOKIE2) goes out from it.
 * Probes and updates use port 4500 on both sides, so a NAT that appears on
 * the new path needs no further port change.
 *
 * The responder takes the new addresses only from an UPDATE_SA_ADDRESSES
 * that decrypted and is not a retransmission (ike_receive() answers those
 * from the reply cache before anything gets here; §3.5, §3.10). When the
 * new address is not one the peer announced it checks return routability
 * with a COOKIE2 request of its own before it moves the Child SAs (§5.2.1);
 * the IKE SA itself moves at once. Both sides move the Child SAs in place
 * through ops.endpoints_changed, with the encapsulation NAT-D now says.
 */
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include "exchange.h"

/* ---- address sets ---- */

/* A client's virtual address (CP) on our interface: never an outer
 * address, though the routes make it the source towards the gateway's
 * side. */
static bool is_vip(const struct ike_ctx *ctx, const ike_sockaddr *a)
{
	size_t alen;
	const uint8_t *p = ike_addr_bytes(a, &alen);

	for (const struct ike_sa *sa = ctx->sas; sa; sa = sa->next)
		for (size_t i = 0; sa->vips_installed && i < sa->n_vips; i++)
			if (sa->vips[i].family == a->sa.sa_family && !memcmp(sa->vips[i].addr, p, alen))
				return true;
	return false;
}

/* Whether a is one of our addresses (true when we cannot tell). */
static bool is_ours(const struct ike_sa *sa, const ike_sockaddr *a)
{
	ike_sockaddr all[IKE_MAX_ADDRS];
	size_t k;

	if (!sa->ctx->ops.local_addrs)
		return true;
	k = sa->ctx->ops.local_addrs(sa->ctx->ops.arg, a->sa.sa_family, all, IKE_MAX_ADDRS);
	for (size_t i = 0; i < k && i < IKE_MAX_ADDRS; i++)
		if (ike_addr_eq(&all[i], a))
			return true;
	return false;
}

/* Our addresses other than the IKE SA's own and virtual ones. */
static size_t our_addrs(const struct ike_sa *sa, ike_sockaddr *out)
{
	ike_sockaddr all[IKE_MAX_ADDRS];
	size_t n = 0;

	if (!sa->ctx->ops.local_addrs)
		return 0;
	for (int f = 0; f < 2; f++) {
		size_t k = sa->ctx->ops.local_addrs(sa->ctx->ops.arg, f ? AF_INET6 : AF_INET, all,
						    IKE_MAX_ADDRS);

		for (size_t i = 0; i < k && i < IKE_MAX_ADDRS && n < IKE_MAX_ADDRS; i++)
			if (!ike_addr_eq(&all[i], &sa->local) && !is_vip(sa->ctx, &all[i]))
				out[n++] = all[i];
	}
	return n;
}

static bool addrs_equal(const ike_sockaddr *a, size_t na, const ike_sockaddr *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (!ike_addr_eq(&a[i], &b[i]))
			return false;
	return true;
}

/* ADDITIONAL_IP4/6_ADDRESS for each, or NO_ADDITIONAL_ADDRESSES (§3.6). */
static void put_addrs(struct ike_sa *sa, struct ike_wbuf *w)
{
	sa->n_my_addrs = our_addrs(sa, sa->my_addrs);
	if (!sa->n_my_addrs)
		ike_put_notify_simple(w, IKE_N_NO_ADDITIONAL_ADDRESSES, NULL, 0);
	for (size_t i = 0; i < sa->n_my_addrs; i++) {
		size_t len;
		const uint8_t *p = ike_addr_bytes(&sa->my_addrs[i], &len);

		ike_put_notify_simple(w, len == 4 ? IKE_N_ADDITIONAL_IP4_ADDRESS :
				      IKE_N_ADDITIONAL_IP6_ADDRESS, p, len);
	}
}

/* A message with an address list replaces the peer's set (§3.6). */
static void take_addrs(struct ike_sa *sa, const struct ike_msg *m)
{
	ike_sockaddr set[IKE_MAX_ADDRS];
	struct ike_notify n;
	size_t k = 0;
	bool listed = false;

	memset(set, 0, sizeof(set));
	for (unsigned int i = 0; i < m->n; i++) {
		if (m->pl[i].type != IKE_PL_NOTIFY || ike_parse_notify(m->pl[i].body, &n))
			continue;
		if (n.type == IKE_N_NO_ADDITIONAL_ADDRESSES) {
			listed = true;
		} else if (n.type == IKE_N_ADDITIONAL_IP4_ADDRESS && n.data.len == 4) {
			listed = true;
			if (k < IKE_MAX_ADDRS) {
				set[k].sin.sin_family = AF_INET;
				memcpy(&set[k++].sin.sin_addr, n.data.ptr, 4);
			}
		} else if (n.type == IKE_N_ADDITIONAL_IP6_ADDRESS && n.data.len == 16) {
			listed = true;
			if (k < IKE_MAX_ADDRS) {
				set[k].sin6.sin6_family = AF_INET6;
				memcpy(&set[k++].sin6.sin6_addr, n.data.ptr, 16);
			}
		}
	}
	if (!listed)
		return;
	memcpy(sa->peer_addrs, set, sizeof(set));
	sa->n_peer_addrs = k;
	sa_debug(sa, "peer has %zu additional address(es)", k);
}

static bool peer_announced(const struct ike_sa *sa, const ike_sockaddr *a)
{
	for (size_t i = 0; i < sa->n_peer_addrs; i++)
		if (ike_addr_eq(&sa->peer_addrs[i], a))
			return true;
	return false;
}

/* ---- IKE_AUTH ---- */

void mobike_put_auth(struct ike_sa *sa, struct ike_wbuf *w)
{
	if (!sa->conn->mobike || (!sa->initiator && !sa->mobike_peer))
		return;
	ike_put_notify_simple(w, IKE_N_MOBIKE_SUPPORTED, NULL, 0);
	put_addrs(sa, w);
	if (!sa->initiator) {
		sa->mobike = true;
		sa_info(sa, "MOBIKE negotiated");
	}
}

void mobike_take_auth(struct ike_sa *sa, const struct ike_msg *m)
{
	sa->mobike_peer = ike_msg_notify(m, IKE_N_MOBIKE_SUPPORTED, NULL);
	if (!sa->mobike_peer)
		return;
	take_addrs(sa, m);
	if (sa->initiator && sa->conn->mobike) {
		sa->mobike = true;
		sa_info(sa, "MOBIKE negotiated");
	}
}

/* The new SA also takes a move the old one found a path for while the
 * rekey was in flight. */
void mobike_inherit(struct ike_sa *sa, struct ike_sa *old)
{
	sa->orig_initiator = old->orig_initiator;
	sa->mobike = old->mobike;
	sa->mobike_peer = old->mobike_peer;
	memcpy(sa->peer_addrs, old->peer_addrs, sizeof(sa->peer_addrs));
	sa->n_peer_addrs = old->n_peer_addrs;
	memcpy(sa->my_addrs, old->my_addrs, sizeof(sa->my_addrs));
	sa->n_my_addrs = old->n_my_addrs;
	if (old->tasks & IKE_TASK_MOBIKE_UPDATE) {
		old->tasks &= ~IKE_TASK_MOBIKE_UPDATE;
		sa->new_path = old->new_path;
		sa->tasks |= IKE_TASK_MOBIKE_UPDATE;
	}
}

/* ---- paths ---- */

/* Probes and updates go between the NAT-T ports (see the top). */
static uint16_t natt_port(const ike_sockaddr *a)
{
	uint16_t p = ike_addr_port(a);

	return p == IKE_PORT ? IKE_NATT_PORT : p;
}

static void add_path(struct ike_sa *sa, const ike_sockaddr *peer)
{
	struct ike_path p;

	/* nfsec moves an SA within its address family only */
	if (sa->n_paths >= IKE_MAX_PATHS || peer->sa.sa_family != sa->remote.sa.sa_family)
		return;
	memset(&p, 0, sizeof(p));
	p.remote = *peer;
	ike_addr_set_port(&p.remote, natt_port(&sa->remote));
	if (!sa->ctx->ops.route || sa->ctx->ops.route(sa->ctx->ops.arg, &p.remote, &p.local))
		return;
	if (is_vip(sa->ctx, &p.local)) {
		/* the virtual address's routes: the outer one is still ours */
		if (!is_ours(sa, &sa->local))
			return;
		p.local = sa->local;
	}
	ike_addr_set_port(&p.local, natt_port(&sa->local));
	for (size_t i = 0; i < sa->n_paths; i++)
		if (ike_addr_eq(&sa->paths[i].local, &p.local) &&
		    ike_addr_eq(&sa->paths[i].remote, &p.remote))
			return;
	sa->paths[sa->n_paths++] = p;
}

/* The peer's current address first, then those it announced; from the
 * source address the routing table gives for each. */
static size_t find_paths(struct ike_sa *sa)
{
	sa->n_paths = 0;
	add_path(sa, &sa->remote);
	for (size_t i = 0; i < sa->n_peer_addrs; i++)
		add_path(sa, &sa->peer_addrs[i]);
	return sa->n_paths;
}

/* Our current address is still ours and still the source the routes
 * give for the peer (or a virtual address's routes hide that). */
static bool path_ok(struct ike_sa *sa)
{
	ike_sockaddr src;

	if (!is_ours(sa, &sa->local))
		return false;
	if (!sa->ctx->ops.route)
		return true;
	if (sa->ctx->ops.route(sa->ctx->ops.arg, &sa->remote, &src))
		return false;
	return ike_addr_eq(&src, &sa->local) || is_vip(sa->ctx, &src);
}

/* Probing already, the paths are those of now, from the start of the
 * retransmission schedule: a second failure of the whole schedule ends
 * the IKE SA (ike_tick()). */
void ike_sa_mobike_roam(struct ike_sa *sa, const char *why)
{
	struct ike_path was[IKE_MAX_PATHS];
	size_t n_was = sa->n_paths;

	if (!sa->mobike || !sa->orig_initiator || sa->state != IKE_SA_ESTABLISHED ||
	    sa->rekeyed || sa->req_kind == IKE_REQ_DELETE_IKE)
		return;
	memcpy(was, sa->paths, sizeof(was));
	if (!find_paths(sa)) {
		sa_warn(sa, "%s, and no path to the peer is left", why);
		if (sa->probing) {	/* keep trying the ones we had */
			memcpy(sa->paths, was, sizeof(was));
			sa->n_paths = n_was;
		}
		return;
	}
	sa_info(sa, "%s: probing %zu path(s)", why, sa->n_paths);
	sa->probing = true;
	if (sa->req_kind != IKE_REQ_NONE) {
		ike_sa_resend(sa);	/* the request in flight is the probe */
	} else {
		sa->tasks |= IKE_TASK_MOBIKE_PROBE;
		ike_sa_kick(sa);
	}
}

void ike_ctx_addresses_changed(struct ike_ctx *ctx)
{
	for (struct ike_sa *sa = ctx->sas; sa; sa = sa->next) {
		ike_sockaddr now[IKE_MAX_ADDRS];
		size_t n;

		if (!sa->mobike || sa->state != IKE_SA_ESTABLISHED || sa->rekeyed)
			continue;
		if (sa->orig_initiator && !path_ok(sa)) {
			ike_sa_mobike_roam(sa, "local address or route changed");
			continue;	/* UPDATE_SA_ADDRESSES carries our addresses */
		}
		n = our_addrs(sa, now);
		if (!addrs_equal(now, n, sa->my_addrs, sa->n_my_addrs)) {
			sa->tasks |= IKE_TASK_MOBIKE_ADDRS;
			ike_sa_kick(sa);
		}
	}
}

void mobike_path_found(struct ike_sa *sa, const ike_sockaddr *local, const ike_sockaddr *remote)
{
	char l[64], r[64];

	sa->probing = false;
	sa->new_path.local = *local;
	sa->new_path.remote = *remote;
	sa_info(sa, "path %s - %s works", ike_addr_str(local, true, l, sizeof(l)),
		ike_addr_str(remote, true, r, sizeof(r)));
	sa->tasks |= IKE_TASK_MOBIKE_UPDATE;
}

bool mobike_message_moves(const struct ike_sa *sa, const struct ike_msg *m)
{
	return sa->mobike && (ike_msg_notify(m, IKE_N_UPDATE_SA_ADDRESSES, NULL) ||
			      ike_msg_notify(m, IKE_N_COOKIE2, NULL));
}

/* ---- requests ---- */

static void put_cookie2(struct ike_sa *sa, struct ike_wbuf *w)
{
	RAND_bytes(sa->cookie2, sizeof(sa->cookie2));
	ike_put_notify_simple(w, IKE_N_COOKIE2, sa->cookie2, sizeof(sa->cookie2));
}

static bool cookie2_echoed(const struct ike_sa *sa, const struct ike_msg *m)
{
	struct ike_notify n;

	return ike_msg_notify(m, IKE_N_COOKIE2, &n) && n.data.len == sizeof(sa->cookie2) &&
	       !CRYPTO_memcmp(n.data.ptr, sa->cookie2, sizeof(sa->cookie2));
}

static int start(struct ike_sa *sa, enum ike_req_kind kind)
{
	uint8_t buf[1024];
	struct ike_wbuf w;
	int ret;

	ike_wbuf_init(&w, buf, sizeof(buf));
	switch (kind) {
	case IKE_REQ_MOBIKE_PROBE:
		/* the same message goes out on every path: NAT-D of the first */
		init_put_natd(&w, sa->spi_i, sa->spi_r, &sa->paths[0].local,
			      &sa->paths[0].remote);
		put_cookie2(sa, &w);
		sa_debug(sa, "probing %zu path(s)", sa->n_paths);
		break;
	case IKE_REQ_MOBIKE_UPDATE:
		sa->old_path.local = sa->local;
		sa->old_path.remote = sa->remote;
		sa->local = sa->new_path.local;
		sa->remote = sa->new_path.remote;
		ike_put_notify_simple(&w, IKE_N_UPDATE_SA_ADDRESSES, NULL, 0);
		init_put_natd(&w, sa->spi_i, sa->spi_r, &sa->local, &sa->remote);
		put_cookie2(sa, &w);
		put_addrs(sa, &w);
		break;
	case IKE_REQ_MOBIKE_ADDRS:
		put_addrs(sa, &w);
		sa_info(sa, "telling the peer about our %zu additional address(es)",
			sa->n_my_addrs);
		break;
	case IKE_REQ_MOBIKE_RR:
		put_cookie2(sa, &w);
		sa_info(sa, "checking return routability of the peer's new address");
		break;
	default:
		return -1;
	}
	ret = ike_sa_send_request(sa, kind, IKE_INFORMATIONAL, &w);
	if (ret && kind == IKE_REQ_MOBIKE_UPDATE) {
		sa->local = sa->old_path.local;
		sa->remote = sa->old_path.remote;
	}
	return ret;
}

bool mobike_kick(struct ike_sa *sa)
{
	static const struct { unsigned int task; enum ike_req_kind kind; } order[] = {
		{ IKE_TASK_MOBIKE_PROBE, IKE_REQ_MOBIKE_PROBE },
		{ IKE_TASK_MOBIKE_UPDATE, IKE_REQ_MOBIKE_UPDATE },
		{ IKE_TASK_MOBIKE_RR, IKE_REQ_MOBIKE_RR },
		{ IKE_TASK_MOBIKE_ADDRS, IKE_REQ_MOBIKE_ADDRS },
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(sa->tasks & order[i].task))
			continue;
		sa->tasks &= ~order[i].task;
		if (order[i].kind == IKE_REQ_MOBIKE_PROBE && !sa->n_paths)
			continue;
		start(sa, order[i].kind);
		return true;
	}
	return false;
}

/* ---- the peer's requests ---- */

static void move_children(struct ike_sa *sa, const struct ike_path *old)
{
	if (sa->ctx->ops.endpoints_changed)
		sa->ctx->ops.endpoints_changed(sa->ctx->ops.arg, sa, &old->local, &old->remote);
}

/*
 * NO_NATS_ALLOWED (§3.9): the addresses and ports the initiator sent from
 * and to; anything else on the way is a NAT it does not want.
 */
static bool nats_ok(const struct ike_sa *sa, const struct ike_msg *m)
{
	uint8_t want[36];
	size_t alen, off;
	const uint8_t *a;
	struct ike_notify n;

	if (!ike_msg_notify(m, IKE_N_NO_NATS_ALLOWED, &n))
		return true;
	a = ike_addr_bytes(&sa->rx_remote, &alen);
	memcpy(want, a, alen);
	a = ike_addr_bytes(&sa->rx_local, &alen);
	memcpy(want + alen, a, alen);
	off = 2 * alen;
	want[off] = (uint8_t)(ike_addr_port(&sa->rx_remote) >> 8);
	want[off + 1] = (uint8_t)ike_addr_port(&sa->rx_remote);
	want[off + 2] = (uint8_t)(ike_addr_port(&sa->rx_local) >> 8);
	want[off + 3] = (uint8_t)ike_addr_port(&sa->rx_local);
	return n.data.len == off + 4 && !memcmp(n.data.ptr, want, off + 4);
}

static bool same_path(const struct ike_path *p, const ike_sockaddr *l, const ike_sockaddr *r)
{
	return ike_addr_eq(&p->local, l) && ike_addr_eq(&p->remote, r) &&
	       ike_addr_port(&p->local) == ike_addr_port(l) &&
	       ike_addr_port(&p->remote) == ike_addr_port(r);
}

/* Responder: UPDATE_SA_ADDRESSES, authenticated and new (§3.5). */
static void update_addresses(struct ike_sa *sa, const struct ike_msg *m, struct ike_wbuf *w,
			     bool known)
{
	struct ike_path old = { .local = sa->local, .remote = sa->remote };
	bool nat_l = sa->nat_local, nat_r = sa->nat_remote;
	char l[64], r[64];

	if (!nats_ok(sa, m)) {
		sa_warn(sa, "UPDATE_SA_ADDRESSES through a NAT the peer does not allow");
		ike_put_notify_simple(w, IKE_N_UNEXPECTED_NAT_DETECTED, NULL, 0);
		return;
	}
	if (sa->rx_remote.sa.sa_family != sa->remote.sa.sa_family) {
		sa_warn(sa, "UPDATE_SA_ADDRESSES to another address family: not supported");
		ike_put_notify_simple(w, IKE_N_UNACCEPTABLE_ADDRESSES, NULL, 0);
		return;
	}
	sa->local = sa->rx_local;
	sa->remote = sa->rx_remote;
	init_check_natd(sa, m, sa->spi_r);
	init_put_natd(w, sa->spi_i, sa->spi_r, &sa->local, &sa->remote);
	sa->keepalive_ms = 0;
	sa_info(sa, "peer moved the IKE SA to %s - %s (UPDATE_SA_ADDRESSES)%s",
		ike_addr_str(&sa->local, true, l, sizeof(l)),
		ike_addr_str(&sa->remote, true, r, sizeof(r)),
		sa->nat_remote || sa->nat_local ? ", behind a NAT" : "");
	if (same_path(&old, &sa->local, &sa->remote) && nat_l == sa->nat_local &&
	    nat_r == sa->nat_remote)
		return;
	if (sa->tasks & IKE_TASK_MOBIKE_RR || sa->req_kind == IKE_REQ_MOBIKE_RR)
		old = sa->old_path;	/* the Child SAs are still where they were */
	if (known) {
		sa->tasks &= ~IKE_TASK_MOBIKE_RR;
		move_children(sa, &old);
		return;
	}
	/* §5.2.1: an address the peer never announced gets the Child SAs
	 * only once it answers there */
	sa->old_path = old;
	sa->tasks |= IKE_TASK_MOBIKE_RR;
}

void mobike_process_request(struct ike_sa *sa, const struct ike_msg *m, struct ike_wbuf *w)
{
	struct ike_notify cookie2;
	bool known;

	if (!sa->mobike)
		return;
	known = ike_addr_eq(&sa->rx_remote, &sa->remote) || peer_announced(sa, &sa->rx_remote);
	take_addrs(sa, m);
	if (ike_msg_notify(m, IKE_N_UPDATE_SA_ADDRESSES, NULL)) {
		if (sa->orig_initiator)	/* §3.3: only the initiator moves the SA */
			sa_warn(sa, "UPDATE_SA_ADDRESSES from the responder ignored");
		else
			update_addresses(sa, m, w, known);
	} else if (ike_msg_notify(m, IKE_N_COOKIE2, NULL) ||
		   ike_msg_notify(m, IKE_N_NAT_DETECTION_SOURCE_IP, NULL)) {
		/* a probe, or a liveness check that looks for NAT changes
		 * (§3.8; strongSwan's): NAT-D for the path it came on */
		init_put_natd(w, sa->spi_i, sa->spi_r, &sa->rx_local, &sa->rx_remote);
	}
	if (ike_msg_notify(m, IKE_N_COOKIE2, &cookie2) && cookie2.data.len >= 8 &&
	    cookie2.data.len <= 64)
		ike_put_notify_simple(w, IKE_N_COOKIE2, cookie2.data.ptr, cookie2.data.len);
}

/* ---- responses to ours ---- */

void mobike_process_response(struct ike_sa *sa, const struct ike_msg *m, enum ike_req_kind kind)
{
	uint16_t err = ike_msg_error(m);
	bool nat_l = sa->nat_local, nat_r = sa->nat_remote;
	char l[64], r[64];

	switch (kind) {
	case IKE_REQ_MOBIKE_PROBE:
		if (!cookie2_echoed(sa, m)) {
			sa_warn(sa, "probe response without our COOKIE2: not moving");
			sa->tasks &= ~IKE_TASK_MOBIKE_UPDATE;
		}
		break;
	case IKE_REQ_MOBIKE_UPDATE:
		if (err || !cookie2_echoed(sa, m)) {
			sa_warn(sa, "peer did not take our new addresses: %s",
				err ? ike_notify_name(err) : "COOKIE2 not echoed");
			sa->local = sa->old_path.local;
			sa->remote = sa->old_path.remote;
			break;
		}
		init_check_natd(sa, m, sa->spi_r);
		take_addrs(sa, m);
		sa->keepalive_ms = 0;
		sa_info(sa, "IKE SA moved to %s - %s%s", ike_addr_str(&sa->local, true, l, sizeof(l)),
			ike_addr_str(&sa->remote, true, r, sizeof(r)),
			sa->nat_local || sa->nat_remote ? ", behind a NAT" : "");
		if (!same_path(&sa->old_path, &sa->local, &sa->remote) ||
		    nat_l != sa->nat_local || nat_r != sa->nat_remote)
			move_children(sa, &sa->old_path);
		break;
	case IKE_REQ_MOBIKE_RR:
		if (!cookie2_echoed(sa, m)) {
			sa_warn(sa, "return routability check failed: COOKIE2 not echoed");
			break;
		}
		sa_info(sa, "peer's new address is reachable: moving the Child SAs");
		move_children(sa, &sa->old_path);
		break;
	default:
		break;
	}
}
