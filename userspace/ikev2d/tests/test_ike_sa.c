// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The IKE state machine without sockets: two contexts, an initiator and a
 * responder, pass datagrams through an in-memory queue; time is simulated.
 * Covers the AUTH computation (§2.15), full IKE_SA_INIT + IKE_AUTH in both
 * roles with matching Child SA keys, INVALID_KE_PAYLOAD, COOKIE, message ID
 * window, retransmission and the reply cache, Delete, DPD, a kernel
 * install failure, an unsupported critical payload, CREATE_CHILD_SA
 * from the peer, NAT traversal behind a simulated NAT, and MOBIKE (RFC
 * 4555) with addresses that go down.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include "test_certs.h"
#include "exchange.h"
#include "config.h"
#include "pool.h"
#include "ts.h"

struct peer {
	struct ike_ctx ctx;
	unsigned int keepalives, moves;
	ike_sockaddr moved_from;	/* old_remote of the last endpoints_changed */
	struct config cfg;
	ike_sockaddr addr;
	unsigned int sent, installed, removed, spis;
	int install_fail;
	bool drop_out;			/* lose everything this peer sends */
	unsigned int drop_next;		/* lose the next N datagrams */
	unsigned int drop_at;		/* lose datagram number N (counting from 1) */
	size_t max_len;			/* the largest datagram sent after IKE_SA_INIT */
	uint8_t last[IKE_MSG_MAX];	/* the last datagram sent */
	size_t last_len;
	/* MOBIKE: addr is the routing source towards the peer (no_route: none);
	 * addrs what ops.local_addrs reports */
	bool no_route;
	ike_sockaddr addrs[8];
	size_t n_addrs;
};

struct pkt {
	struct peer *to;
	ike_sockaddr from, dst;
	size_t len;
	uint8_t buf[IKE_MSG_MAX];
};

static struct pkt queue[64];
static size_t q_head, q_tail;
static struct peer *peers[2];

/*
 * A NAT in front of peers[0] (when nat.on): what it sends leaves from
 * nat.addr, its port 500 as nat.port[0], 4500 as nat.port[1]; what comes
 * back to a mapped port goes to it, anything else is lost.
 */
static struct {
	bool on;
	ike_sockaddr addr;
	uint16_t port[2];
} nat;

/* Addresses that are down: datagrams from or to them are lost. */
static ike_sockaddr down[4];
static size_t n_down;

static bool addr_down(const ike_sockaddr *a)
{
	for (size_t i = 0; i < n_down; i++)
		if (ike_addr_eq(&down[i], a))
			return true;
	return false;
}

static bool nat_pass(struct pkt *k)
{
	uint16_t p;

	if (!nat.on)
		return true;
	if (k->to == peers[1]) {
		p = ike_addr_port(&k->from);
		k->from.sin.sin_addr = nat.addr.sin.sin_addr;
		ike_addr_set_port(&k->from, p == IKE_PORT ? nat.port[0] : nat.port[1]);
		return true;
	}
	p = ike_addr_port(&k->dst);
	if (!ike_addr_eq(&k->dst, &nat.addr) || (p != nat.port[0] && p != nat.port[1]))
		return false;
	k->dst.sin.sin_addr = peers[0]->addr.sin.sin_addr;
	ike_addr_set_port(&k->dst, p == nat.port[0] ? IKE_PORT : IKE_NATT_PORT);
	return true;
}

static int t_send(void *arg, const ike_sockaddr *local, const ike_sockaddr *remote,
		  const uint8_t *buf, size_t len)
{
	struct peer *p = arg, *to = peers[0] == p ? peers[1] : peers[0];
	struct pkt *k;

	p->sent++;
	assert_true(len <= sizeof(p->last));
	memcpy(p->last, buf, len);
	p->last_len = len;
	if (len > p->max_len && len > 18 && buf[18] != IKE_SA_INIT)
		p->max_len = len;
	if (p->drop_out || p->sent == p->drop_at)
		return 0;
	if (p->drop_next) {
		p->drop_next--;
		return 0;
	}
	assert_true(q_tail - q_head < 64);
	k = &queue[q_tail++ % 64];
	k->to = to;
	k->from = *local;
	k->dst = *remote;
	k->len = len;
	memcpy(k->buf, buf, len);
	return 0;
}

static int t_spi(void *arg, const struct ike_sa *sa, uint32_t *spi)
{
	struct peer *p = arg;

	*spi = 0xc0000000u + (peers[0] == p ? 0x100000u : 0x200000u) + ++p->spis;
	return 0;
}

static int t_install(void *arg, const struct ike_sa *sa, const struct child_sa *c,
		     char *err, size_t errlen)
{
	struct peer *p = arg;

	if (p->install_fail) {
		snprintf(err, errlen, "kernel says no (%s)", strerror(-p->install_fail));
		return p->install_fail;
	}
	p->installed++;
	return 0;
}

static void t_remove(void *arg, const struct ike_sa *sa, const struct child_sa *c)
{
	((struct peer *)arg)->removed++;
}

static int t_keepalive(void *arg, const ike_sockaddr *local, const ike_sockaddr *remote)
{
	assert_int_equal(ike_addr_port(local), IKE_NATT_PORT);
	((struct peer *)arg)->keepalives++;
	return 0;
}

static void t_moved(void *arg, const struct ike_sa *sa, const ike_sockaddr *old_local,
		    const ike_sockaddr *old_remote)
{
	struct peer *p = arg;

	p->moves++;
	p->moved_from = *old_remote;
}

static int t_route(void *arg, const ike_sockaddr *remote, ike_sockaddr *local)
{
	struct peer *p = arg;

	if (p->no_route || remote->sa.sa_family != p->addr.sa.sa_family)
		return -1;
	*local = p->addr;
	return 0;
}

static size_t t_local_addrs(void *arg, int family, ike_sockaddr *out, size_t max)
{
	struct peer *p = arg;
	size_t n = 0;

	for (size_t i = 0; i < p->n_addrs && n < max; i++)
		if (p->addrs[i].sa.sa_family == family)
			out[n++] = p->addrs[i];
	return n;
}

/* Deliver everything queued; returns how many datagrams. */
static unsigned int run(void)
{
	unsigned int n = 0;

	while (q_head != q_tail) {
		struct pkt *k = &queue[q_head++ % 64];

		if (addr_down(&k->from) || addr_down(&k->dst) || !nat_pass(k))
			continue;
		/* the receiver sees its own address as local, the port it came to */
		ike_receive(&k->to->ctx, k->buf, k->len, &k->dst, &k->from);
		n++;
	}
	return n;
}

static void advance(unsigned int ms)
{
	for (int i = 0; i < 2; i++) {
		peers[i]->ctx.now_ms += ms;
		ike_tick(&peers[i]->ctx);
	}
	run();
}

static const char conf_a[] =
	"conn t {\n"
	"  local 192.0.2.1 ; remote 192.0.2.2\n"
	"  local-id a.example ; remote-id b.example\n"
	"  auth psk ; psk \"test secret\"\n"
	"  ike %s ; esp %s\n"
	"  local-ts 10.1.0.0/16 ; remote-ts 10.2.0.0/16\n"
	"  mode %s ; start start ; dpd %s\n"
	"}\n";
static const char conf_b[] =
	"conn t {\n"
	"  local 192.0.2.2 ; remote 192.0.2.1\n"
	"  local-id b.example ; remote-id a.example\n"
	"  auth psk ; psk \"%s\"\n"
	"  ike %s ; esp %s\n"
	"  local-ts 10.2.0.0/16 ; remote-ts 10.0.0.0/8\n"
	"  mode %s ; dpd %s\n"
	"}\n";

static void peer_init(struct peer *p, const char *text, const char *addr)
{
	struct ike_ops ops = { .arg = p, .send = t_send, .spi_alloc = t_spi,
			       .child_install = t_install, .child_remove = t_remove,
			       .keepalive = t_keepalive, .endpoints_changed = t_moved,
			       .route = t_route, .local_addrs = t_local_addrs };
	char err[256];

	memset(p, 0, sizeof(*p));
	if (config_parse("test.conf", text, strlen(text), &p->cfg, err, sizeof(err)))
		fail_msg("config: %s", err);
	ike_ctx_init(&p->ctx, &p->cfg, &ops);
	p->ctx.now_ms = 1000000;
	p->addr.sin.sin_family = AF_INET;
	p->addr.sin.sin_port = htons(500);
	inet_pton(AF_INET, addr, &p->addr.sin.sin_addr);
}

struct setup {
	const char *ike_a, *ike_b, *esp_a, *esp_b, *mode_a, *mode_b, *psk_b, *dpd;
};

static struct peer A, B;

/* Both sides: aes128gcm16-prfsha256-x25519 / esp aes128gcm16, tunnel. */
static const struct setup gcm = {
	.ike_a = "aes128gcm16-prfsha256-x25519",
	.ike_b = "aes128gcm16-prfsha256-x25519",
	.esp_a = "aes128gcm16",
	.esp_b = "aes128gcm16",
};

/* The same with DPD every 10 s. */
static const struct setup gcm_dpd10 = {
	.ike_a = "aes128gcm16-prfsha256-x25519",
	.ike_b = "aes128gcm16-prfsha256-x25519",
	.esp_a = "aes128gcm16",
	.esp_b = "aes128gcm16",
	.dpd = "10",
};

static void setup_peers(const struct setup *s)
{
	char text[1024];

	snprintf(text, sizeof(text), conf_a, s->ike_a, s->esp_a, s->mode_a ? s->mode_a : "tunnel",
		 s->dpd ? s->dpd : "0");
	peer_init(&A, text, "192.0.2.1");
	snprintf(text, sizeof(text), conf_b, s->psk_b ? s->psk_b : "test secret", s->ike_b,
		 s->esp_b, s->mode_b ? s->mode_b : "tunnel", s->dpd ? s->dpd : "0");
	peer_init(&B, text, "192.0.2.2");
	peers[0] = &A;
	peers[1] = &B;
	q_head = q_tail = 0;
	nat.on = false;
	n_down = 0;
}

static int teardown(void **state)
{
	ike_ctx_free(&A.ctx);
	ike_ctx_free(&B.ctx);
	config_free(&A.cfg);
	config_free(&B.cfg);
	return 0;
}

static struct ike_sa *live_sa(struct peer *p)
{
	for (struct ike_sa *sa = p->ctx.sas; sa; sa = sa->next)
		if (sa->state != IKE_SA_DEAD)
			return sa;
	return NULL;
}

static void assert_child_keys_match(const struct child_sa *i, const struct child_sa *r)
{
	assert_int_equal(i->spi_in, r->spi_out);
	assert_int_equal(i->spi_out, r->spi_in);
	assert_int_equal(i->ek_len, r->ek_len);
	assert_int_equal(i->ak_len, r->ak_len);
	assert_memory_equal(i->ek_out, r->ek_in, i->ek_len);
	assert_memory_equal(i->ek_in, r->ek_out, i->ek_len);
	if (i->ak_len) {
		assert_memory_equal(i->ak_out, r->ak_in, i->ak_len);
		assert_memory_equal(i->ak_in, r->ak_out, i->ak_len);
	}
	assert_memory_not_equal(i->ek_in, i->ek_out, i->ek_len);
}

/* An empty INFORMATIONAL from one SA, answered; then sa is still up. */
static void liveness_check(struct ike_sa *from, struct ike_sa *sa)
{
	from->tasks |= IKE_TASK_DPD;
	ike_sa_kick(from);
	run();
	assert_int_equal(from->req_kind, IKE_REQ_NONE);
	assert_int_equal(sa->state, IKE_SA_ESTABLISHED);
}

/* Establishes A -> B and checks both sides agree. */
static void establish(struct ike_sa **sa_a, struct ike_sa **sa_b)
{
	*sa_a = ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	assert_non_null(*sa_a);
	run();
	*sa_b = live_sa(&B);
	assert_non_null(*sa_b);
	assert_int_equal((*sa_a)->state, IKE_SA_ESTABLISHED);
	assert_int_equal((*sa_b)->state, IKE_SA_ESTABLISHED);
	assert_memory_equal((*sa_a)->spi_r, (*sa_b)->spi_r, 8);
	assert_non_null((*sa_a)->children);
	assert_non_null((*sa_b)->children);
	assert_child_keys_match((*sa_a)->children, (*sa_b)->children);
	assert_int_equal(A.ctx.half_open + B.ctx.half_open, 0);
}

/* ctx's "list" into buf, NUL-terminated */
static void list_sas(struct ike_ctx *ctx, char *buf, size_t len)
{
	FILE *f = fmemopen(buf, len, "w");

	assert_non_null(f);
	ike_list(ctx, f);
	assert_int_equal(fclose(f), 0);
}

/* ---- tests ---- */

/* The AUTH value of §2.15 against an independent computation (Python's
 * hmac/hashlib over the same octets). */
static void test_auth_psk_vector(void **state)
{
	uint8_t skp[32], msg[64], nonce[32], idb[13] = { 2, 0, 0, 0 }, out[64];
	size_t len;

	for (int i = 0; i < 32; i++)
		skp[i] = (uint8_t)i, nonce[i] = (uint8_t)(200 + i);
	for (int i = 0; i < 64; i++)
		msg[i] = (uint8_t)(100 + i);
	memcpy(idb + 4, "a.example", 9);
	assert_int_equal(ike_auth_psk(IKE_PRF_HMAC_SHA2_256, IKE_BUF("test secret", 11),
				      IKE_BUF(skp, 32), IKE_BUF(msg, 64), IKE_BUF(nonce, 32),
				      IKE_BUF(idb, 13), out, &len), 0);
	assert_hex_equal(out, len,
			 "2cff01dd31d5bea0288845d460c1fd241fd550246b0760bd8a8dce433a5bea9d");
}

static void test_establish_gcm_x25519(void **state)
{
	struct ike_sa *a, *b;
	char list[2048];

	setup_peers(&gcm);
	establish(&a, &b);
	assert_int_equal(a->encr, IKE_ENCR_AES_GCM_16);
	assert_int_equal(a->ke_group, IKE_KE_X25519);
	assert_int_equal(a->children->ek_len, 20);	/* key + salt */
	assert_int_equal(a->children->ak_len, 0);
	assert_int_equal(A.installed, 1);
	assert_int_equal(B.installed, 1);
	/* narrowed: B allowed 10.0.0.0/8 for A's side, A asked for 10.1.0.0/16 */
	assert_int_equal(b->children->n_ts_r, 1);
	ts_format(&b->children->ts_r[0], list, sizeof(list));
	assert_string_equal(list, "10.1.0.0/16");
	assert_int_equal(a->children->mode, CONF_MODE_TUNNEL);
	/* exactly two round trips */
	assert_int_equal(A.sent, 2);
	assert_int_equal(B.sent, 2);
	list_sas(&A.ctx, list, sizeof(list));
	assert_non_null(strstr(list, "ESTABLISHED initiator"));
	assert_non_null(strstr(list, "AES_GCM_16-128/PRF_HMAC_SHA2_256/CURVE_25519"));
	assert_non_null(strstr(list, "INSTALLED TUNNEL"));
}

static void test_establish_cbc_modp2048_transport(void **state)
{
	static const struct setup s = {
		.ike_a = "aes128-sha256-modp2048",
		.ike_b = "aes128-sha256-modp2048",
		.esp_a = "aes128-sha256",
		.esp_b = "aes256-sha512,aes128-sha256",
		.mode_a = "transport",
		.mode_b = "transport",
	};
	struct ike_sa *a, *b;

	setup_peers(&s);
	establish(&a, &b);
	assert_int_equal(a->encr, IKE_ENCR_AES_CBC);
	assert_int_equal(a->integ, IKE_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(a->prf, IKE_PRF_HMAC_SHA2_256);
	assert_int_equal(b->ke_group, IKE_KE_MODP2048);
	assert_int_equal(a->children->encr, IKE_ENCR_AES_CBC);
	assert_int_equal(a->children->integ, IKE_INTEG_HMAC_SHA2_256_128);
	assert_int_equal(a->children->ek_len, 16);
	assert_int_equal(a->children->ak_len, 32);
	assert_int_equal(a->children->mode, CONF_MODE_TRANSPORT);
	assert_int_equal(b->children->mode, CONF_MODE_TRANSPORT);
}

static void test_transport_refused_is_tunnel(void **state)
{
	static const struct setup s = {
		.ike_a = "aes128gcm16-prfsha256-x25519",
		.ike_b = "aes128gcm16-prfsha256-x25519",
		.esp_a = "aes128gcm16",
		.esp_b = "aes128gcm16",
		.mode_a = "transport",
		.mode_b = "tunnel",
	};
	struct ike_sa *a, *b;

	setup_peers(&s);
	establish(&a, &b);
	assert_int_equal(a->children->mode, CONF_MODE_TUNNEL);
	assert_int_equal(b->children->mode, CONF_MODE_TUNNEL);
}

/* The initiator's first KE is not acceptable: INVALID_KE_PAYLOAD from the
 * responder, a new KE from the initiator, same message ID 0. */
static void test_invalid_ke(void **state)
{
	static const struct setup s = {
		.ike_a = "aes128gcm16-prfsha256-x25519-ecp256",
		.ike_b = "aes128gcm16-prfsha256-ecp256",
		.esp_a = "aes128gcm16",
		.esp_b = "aes128gcm16",
	};
	struct ike_sa *a, *b;

	setup_peers(&s);
	establish(&a, &b);
	assert_int_equal(a->ke_group, IKE_KE_ECP256);
	assert_int_equal(b->ke_group, IKE_KE_ECP256);
	assert_int_equal(A.sent, 3);
	assert_int_equal(B.sent, 3);
}

static void test_invalid_ke_unknown_group(void **state)
{
	static const struct setup s = {
		.ike_a = "aes128gcm16-prfsha256-x25519",
		.ike_b = "aes128gcm16-prfsha256-ecp256",
		.esp_a = "aes128gcm16",
		.esp_b = "aes128gcm16",
	};

	setup_peers(&s);
	assert_non_null(ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0));
	run();
	assert_null(live_sa(&A));	/* gave up: we do not offer ecp256 */
	assert_null(live_sa(&B));	/* stateless */
}

/* An IKE_SA_INIT request from A's conn, its KE payload of group `group`. */
static int init_request_with_ke(uint8_t *buf, size_t cap, uint16_t group)
{
	static const uint8_t ni[32] = { 7 }, pub[32] = { 9 };	/* x25519's base point */
	struct ike_hdr h = { .version = 0x20, .exchange = IKE_SA_INIT,
			     .flags = IKE_FLAG_INITIATOR };
	struct ike_sa_payload sap = { .n = 1 };
	struct ike_ke ke = { .group = group, .data = IKE_BUF(pub, sizeof(pub)) };
	struct ike_wbuf w;

	memset(h.spi_i, 0x5a, 8);
	sap.prop[0] = A.cfg.conns[0].ike[0];
	sap.prop[0].num = 1;
	ike_wbuf_init(&w, buf, cap);
	ike_put_hdr(&w, &h);
	ike_put_sa(&w, &sap);
	ike_put_ke(&w, &ke);
	ike_put_nonce(&w, IKE_BUF(ni, sizeof(ni)));
	return ike_wbuf_finish(&w);
}

/* A KE payload of group 0 (NONE) holding an x25519-sized value (hostile.sh
 * found it taken for x25519, and echoed as group 0): INVALID_KE_PAYLOAD
 * asking for x25519, no state; the same request with group 31 is answered. */
static void test_invalid_ke_group_none(void **state)
{
	uint8_t buf[512];
	struct ike_notify n;
	struct ike_msg m;
	struct ike_sa *b;
	const struct ike_payload *p;
	struct ike_ke ke;
	int len;

	setup_peers(&gcm);
	len = init_request_with_ke(buf, sizeof(buf), 0);
	assert_true(len > 0);
	ike_receive(&B.ctx, buf, (size_t)len, &B.addr, &A.addr);
	assert_null(live_sa(&B));
	assert_int_equal(B.sent, 1);
	assert_int_equal(ike_msg_parse(B.last, B.last_len, &m), 0);
	assert_true(ike_msg_notify(&m, IKE_N_INVALID_KE_PAYLOAD, &n));
	assert_int_equal(n.data.len, 2);
	assert_int_equal(n.data.ptr[0] << 8 | n.data.ptr[1], IKE_KE_X25519);
	assert_null(ike_msg_find(&m, IKE_PL_KE));

	len = init_request_with_ke(buf, sizeof(buf), IKE_KE_X25519);
	assert_true(len > 0);
	ike_receive(&B.ctx, buf, (size_t)len, &B.addr, &A.addr);
	b = live_sa(&B);
	assert_non_null(b);
	assert_int_equal(b->ke_group, IKE_KE_X25519);
	assert_int_equal(ike_msg_parse(B.last, B.last_len, &m), 0);
	p = ike_msg_find(&m, IKE_PL_KE);
	assert_non_null(p);
	assert_int_equal(ike_parse_ke(p->body, &ke), 0);
	assert_int_equal(ke.group, IKE_KE_X25519);
	q_head = q_tail = 0;	/* A sent nothing: no one to answer */
}

static void test_no_proposal(void **state)
{
	static const struct setup s = {
		.ike_a = "aes128gcm16-prfsha256-x25519",
		.ike_b = "aes256-sha512-x25519",
		.esp_a = "aes128gcm16",
		.esp_b = "aes128gcm16",
	};

	setup_peers(&s);
	ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	run();
	assert_null(live_sa(&A));
	assert_null(live_sa(&B));
}

static void test_cookie(void **state)
{
	struct ike_sa *a, *b;

	setup_peers(&gcm);
	B.ctx.cookie_threshold = 0;	/* under load: cookies for everyone */
	establish(&a, &b);
	assert_int_equal(a->cookie_len, 33);
	assert_int_equal(A.sent, 3);
	assert_int_equal(B.sent, 3);
}

static void test_cookie_compute(void **state)
{
	uint8_t c[33], spi[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, ni[32] = { 9 };

	setup_peers(&gcm);
	assert_int_equal(ike_cookie_make(&B.ctx, B.ctx.cookie_version, IKE_BUF(ni, 32), &A.addr,
					 spi, c), 33);
	assert_true(ike_cookie_check(&B.ctx, IKE_BUF(c, 33), IKE_BUF(ni, 32), &A.addr, spi));
	/* another address, SPI, nonce, length: refused */
	assert_false(ike_cookie_check(&B.ctx, IKE_BUF(c, 33), IKE_BUF(ni, 32), &B.addr, spi));
	spi[0] ^= 1;
	assert_false(ike_cookie_check(&B.ctx, IKE_BUF(c, 33), IKE_BUF(ni, 32), &A.addr, spi));
	spi[0] ^= 1;
	assert_false(ike_cookie_check(&B.ctx, IKE_BUF(c, 33), IKE_BUF(ni, 31), &A.addr, spi));
	assert_false(ike_cookie_check(&B.ctx, IKE_BUF(c, 32), IKE_BUF(ni, 32), &A.addr, spi));
	/* one rotation: still valid; two: expired */
	B.ctx.now_ms += 300000;
	ike_tick(&B.ctx);
	assert_true(ike_cookie_check(&B.ctx, IKE_BUF(c, 33), IKE_BUF(ni, 32), &A.addr, spi));
	B.ctx.now_ms += 300000;
	ike_tick(&B.ctx);
	assert_false(ike_cookie_check(&B.ctx, IKE_BUF(c, 33), IKE_BUF(ni, 32), &A.addr, spi));
}

static void test_retransmit_timeouts(void **state)
{
	struct ike_ctx ctx;
	struct ike_ops ops = { 0 };

	ike_ctx_init(&ctx, NULL, &ops);
	ctx.retx_base_ms = 1000;
	ctx.retx_max_ms = 10000;
	assert_int_equal(ike_retx_timeout(&ctx, 0), 1000);
	assert_int_equal(ike_retx_timeout(&ctx, 1), 2000);
	assert_int_equal(ike_retx_timeout(&ctx, 3), 8000);
	assert_int_equal(ike_retx_timeout(&ctx, 4), 10000);
	assert_int_equal(ike_retx_timeout(&ctx, 40), 10000);
	ike_ctx_free(&ctx);
}

/* The IKE_SA_INIT response is lost: the initiator retransmits after the
 * timeout, the responder answers from its reply cache (same bytes). */
static void test_retransmit_reply_cache(void **state)
{
	struct ike_sa *a, *b;

	setup_peers(&gcm);
	a = ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	B.drop_next = 1;		/* lose the IKE_SA_INIT response */
	run();
	assert_int_equal(a->state, IKE_SA_INIT_SENT);
	advance(A.ctx.retx_base_ms - 1);
	assert_int_equal(A.sent, 1);	/* not yet */
	advance(1);
	assert_int_equal(A.sent, 3);	/* INIT again, then AUTH */
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	b = live_sa(&B);
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	teardown(NULL);

}

static void test_lost_auth_response(void **state)
{
	uint8_t cached[IKE_MSG_MAX];
	size_t cached_len;
	struct ike_sa *a, *b;
	struct pkt *k;

	setup_peers(&gcm);
	a = ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	/* INIT request to B */
	k = &queue[q_head++ % 64];
	ike_receive(&B.ctx, k->buf, k->len, &k->dst, &k->from);
	/* INIT response to A, which sends IKE_AUTH */
	k = &queue[q_head++ % 64];
	ike_receive(&A.ctx, k->buf, k->len, &k->dst, &k->from);
	assert_int_equal(a->state, IKE_SA_AUTH_SENT);
	/* IKE_AUTH to B; B's response is lost */
	B.drop_next = 1;
	k = &queue[q_head++ % 64];
	ike_receive(&B.ctx, k->buf, k->len, &k->dst, &k->from);
	b = live_sa(&B);
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	assert_int_equal(q_head, q_tail);
	memcpy(cached, B.last, B.last_len);
	cached_len = B.last_len;
	assert_int_equal(B.installed, 1);
	/* A retransmits after the timeout; B answers from the cache, the same
	 * bytes, without processing the request again */
	advance(A.ctx.retx_base_ms);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(B.last_len, cached_len);
	assert_memory_equal(B.last, cached, cached_len);
	assert_int_equal(B.installed, 1);
	assert_child_keys_match(a->children, b->children);
	/* a request with an old message ID gets nothing new; one ahead of the
	 * window is dropped */
	assert_int_equal(b->peer_mid, 2);
}

/*
 * Only the request that was answered gets the cached response again: the
 * same SPIs and message ID with other bytes (an on-path forger's, who has
 * no keys) get nothing, so they cannot reflect the response anywhere.
 */
static void test_forged_retransmission(void **state)
{
	uint8_t req[IKE_MSG_MAX], hdr_only[64];
	struct ike_hdr h = { .version = 0x20, .exchange = IKE_AUTH,
			     .flags = IKE_FLAG_INITIATOR, .msg_id = 1 };
	struct ike_sa *a, *b;
	struct ike_wbuf w;
	unsigned int sent;
	struct pkt *k;
	size_t len;
	int hlen;

	setup_peers(&gcm);
	a = ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	k = &queue[q_head++ % 64];			/* INIT request to B */
	ike_receive(&B.ctx, k->buf, k->len, &k->dst, &k->from);
	k = &queue[q_head++ % 64];			/* its response to A */
	ike_receive(&A.ctx, k->buf, k->len, &k->dst, &k->from);
	k = &queue[q_head++ % 64];			/* A's IKE_AUTH request */
	len = k->len;
	memcpy(req, k->buf, len);
	ike_receive(&B.ctx, k->buf, k->len, &k->dst, &k->from);
	run();					/* its response to A */
	b = live_sa(&B);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	assert_int_equal(b->resp_mid, 1);
	sent = B.sent;

	req[len - 1] ^= 1;			/* its ICV changed */
	ike_receive(&B.ctx, req, len, &B.addr, &A.addr);
	assert_int_equal(B.sent, sent);
	memcpy(h.spi_i, b->spi_i, 8);		/* the header alone */
	memcpy(h.spi_r, b->spi_r, 8);
	ike_wbuf_init(&w, hdr_only, sizeof(hdr_only));
	ike_put_hdr(&w, &h);
	hlen = ike_wbuf_finish(&w);
	assert_int_equal(hlen, 28);
	ike_receive(&B.ctx, hdr_only, (size_t)hlen, &B.addr, &A.addr);
	assert_int_equal(B.sent, sent);

	req[len - 1] ^= 1;			/* the real retransmission */
	ike_receive(&B.ctx, req, len, &B.addr, &A.addr);
	assert_int_equal(B.sent, sent + 1);
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	q_head = q_tail = 0;			/* A has nothing to answer */
}

static void test_window_drops_future_request(void **state)
{
	struct ike_sa *a, *b;
	unsigned int sent;
	struct ike_wbuf w;
	uint8_t buf[64];

	setup_peers(&gcm);
	establish(&a, &b);
	/* A skips a message ID: B must not answer */
	a->my_mid++;
	ike_wbuf_init(&w, buf, sizeof(buf));
	sent = B.sent;
	assert_int_equal(ike_sa_send_request(a, IKE_REQ_DPD, IKE_INFORMATIONAL, &w), 0);
	run();
	assert_int_equal(B.sent, sent);
	assert_int_equal(a->req_kind, IKE_REQ_DPD);
	assert_int_equal(b->peer_mid, 2);
}

static void test_delete_ike_from_initiator(void **state)
{
	struct ike_sa *a, *b;

	setup_peers(&gcm);
	establish(&a, &b);
	assert_int_equal(ike_terminate(&A.ctx, "t"), 1);
	run();
	assert_null(live_sa(&A));
	assert_null(live_sa(&B));
	assert_int_equal(A.removed, 1);
	assert_int_equal(B.removed, 1);
	ike_tick(&A.ctx);
	ike_tick(&B.ctx);
	assert_null(A.ctx.sas);
	assert_null(B.ctx.sas);
}

static void test_delete_child_from_responder(void **state)
{
	struct ike_sa *a, *b;

	setup_peers(&gcm);
	establish(&a, &b);
	ike_sa_delete_child(b, b->children);
	run();
	assert_null(a->children);
	assert_null(b->children);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	assert_int_equal(b->my_mid, 1);		/* the responder's first request was 0 */
	/* and the IKE SA from the responder */
	ike_sa_delete(b);
	run();
	assert_null(live_sa(&A));
	assert_null(live_sa(&B));
}

/* The kernel refuses the Child SA: the error is logged, the Child SA is
 * deleted towards the peer, the IKE SA stays. */
static void test_kernel_install_failure(void **state)
{
	struct ike_sa *a, *b;

	setup_peers(&gcm);
	B.install_fail = -EOPNOTSUPP;
	a = ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	run();
	b = live_sa(&B);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	assert_null(b->children);
	assert_null(a->children);	/* deleted on the peer's request */
	assert_int_equal(A.removed, 1);
}

/* DPD: the peer goes away; liveness checks are retransmitted with backoff
 * and then the IKE SA is given up. */
static void test_dpd_dead_peer(void **state)
{
	struct ike_sa *a, *b;
	unsigned int sent;

	setup_peers(&gcm_dpd10);
	establish(&a, &b);
	/* alive: one liveness check after 10 s, answered */
	sent = A.sent;
	advance(10000);
	assert_true(A.sent > sent);	/* B checks A too, A answers */
	assert_int_equal(a->req_kind, IKE_REQ_NONE);
	B.drop_out = true;
	B.ctx.now_ms += 1000000;	/* B does not run DPD itself */
	sent = A.sent;
	for (int i = 0; i < 200 && live_sa(&A); i++) {
		A.ctx.now_ms += 1000;
		ike_tick(&A.ctx);
		run();
	}
	assert_null(live_sa(&A));
	/* MOBIKE is on: the transmissions on the path, then as many probing
	 * the paths A has (one, the same) before it gives up */
	assert_int_equal(A.sent - sent, 2 * A.ctx.retx_tries);
	assert_int_equal(A.removed, 1);
}

/*
 * RFC 7296 §2.23 and RFC 3948 behind a simulated NAT: both sides find it,
 * A (behind it) moves IKE to 4500 and sends keepalives, B does not; the
 * NAT's mapping changes and B follows A's next authenticated request,
 * once, not a retransmission of an old one from the old mapping; A never
 * follows B.
 */
static void test_nat_traversal(void **state)
{
	static const char conf_any[] =
		"conn t {\n"
		"  local 192.0.2.2 ; remote %any\n"
		"  local-id b.example ; remote-id a.example\n"
		"  auth psk ; psk \"test secret\"\n"
		"  ike aes128gcm16-prfsha256-x25519 ; esp aes128gcm16\n"
		"  local-ts 10.2.0.0/16 ; remote-ts 10.0.0.0/8\n"
		"  start none ; keepalive 5\n"
		"}\n";
	struct ike_sa *a, *b;
	struct pkt old;
	char ra[64];

	setup_peers(&gcm);
	ike_ctx_free(&B.ctx);
	config_free(&B.cfg);
	peer_init(&B, conf_any, "192.0.2.2");
	nat.on = true;
	nat.addr.sin.sin_family = AF_INET;
	inet_pton(AF_INET, "198.51.100.1", &nat.addr.sin.sin_addr);
	nat.port[0] = 10500;
	nat.port[1] = 14500;
	establish(&a, &b);
	assert_true(a->nat_local && !a->nat_remote);
	assert_true(b->nat_remote && !b->nat_local);
	assert_int_equal(ike_addr_port(&a->local), IKE_NATT_PORT);
	assert_int_equal(ike_addr_port(&a->remote), IKE_NATT_PORT);
	assert_int_equal(ike_addr_port(&b->local), IKE_NATT_PORT);
	assert_string_equal(ike_addr_str(&b->remote, true, ra, sizeof(ra)), "198.51.100.1:14500");
	assert_int_equal(A.moves + B.moves, 0);

	/* keepalives: A every 20 s (the default), B none (not behind a NAT) */
	for (int i = 0; i < 61; i++)
		advance(1000);
	assert_int_equal(A.keepalives, 3);
	assert_int_equal(B.keepalives, 0);

	/* the mapping changes; A's next request comes from the new port */
	nat.port[1] = 24500;
	a->tasks |= IKE_TASK_DPD;
	ike_sa_kick(a);
	old = queue[(q_tail - 1) % 64];	/* A's DPD, before the NAT */
	run();
	assert_int_equal(a->req_kind, IKE_REQ_NONE);	/* answered through the NAT */
	assert_string_equal(ike_addr_str(&b->remote, true, ra, sizeof(ra)), "198.51.100.1:24500");
	assert_int_equal(B.moves, 1);
	assert_string_equal(ike_addr_str(&B.moved_from, true, ra, sizeof(ra)),
			    "198.51.100.1:14500");
	/* the same request again from the old mapping: answered from the reply
	 * cache, and no reason to move back */
	old.from.sin.sin_addr = nat.addr.sin.sin_addr;
	ike_addr_set_port(&old.from, 14500);
	ike_receive(&B.ctx, old.buf, old.len, &old.dst, &old.from);
	q_head = q_tail;
	assert_string_equal(ike_addr_str(&b->remote, true, ra, sizeof(ra)), "198.51.100.1:24500");
	assert_int_equal(B.moves, 1);

	/* ESP from yet another port (nfsec's MAPPING event, through the
	 * daemon): the same rule, B moves, A never does */
	{
		ike_sockaddr r = b->remote;

		ike_addr_set_port(&r, 34500);
		ike_sa_follow_peer(b, &b->local, &r);
		r = a->remote;
		ike_addr_set_port(&r, 4501);
		ike_sa_follow_peer(a, &a->local, &r);
	}
	assert_int_equal(B.moves, 2);
	assert_string_equal(ike_addr_str(&b->remote, true, ra, sizeof(ra)), "198.51.100.1:34500");
	assert_int_equal(A.moves, 0);

	/* A is behind the NAT: a request of B's from elsewhere moves nothing */
	nat.on = false;
	b->tasks |= IKE_TASK_DPD;
	ike_sa_kick(b);
	queue[(q_tail - 1) % 64].from.sin.sin_port = htons(4501);
	queue[(q_tail - 1) % 64].dst = a->local;
	run();
	assert_int_equal(ike_addr_port(&a->remote), IKE_NATT_PORT);
	assert_int_equal(A.moves, 0);
}

/* An INFORMATIONAL request with an unknown critical payload gets
 * UNSUPPORTED_CRITICAL_PAYLOAD; an unknown non-critical one is ignored. */
/* The last message p sent, decrypted with sk, its inner payloads in m. */
static void last_decrypted(const struct peer *p, const struct ike_sk *sk, struct ike_msg *m,
			   uint8_t *pt, size_t cap)
{
	const struct ike_payload *skp;
	size_t ptlen;

	assert_int_equal(ike_msg_parse(p->last, p->last_len, m), 0);
	skp = ike_msg_find(m, IKE_PL_SK);
	assert_non_null(skp);
	assert_int_equal(ike_sk_decrypt(sk, IKE_BUF(p->last, skp->body.ptr - p->last), skp->body,
					 pt, cap, &ptlen), 0);
	assert_int_equal(ike_payloads_parse(skp->sk_first, pt, ptlen, m), 0);
}

static void test_unsupported_critical(void **state)
{
	uint8_t buf[128], pt[256];
	struct ike_sa *a, *b;
	struct ike_notify n;
	struct ike_wbuf w;
	struct ike_msg m;

	setup_peers(&gcm);
	establish(&a, &b);
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_raw(&w, 200, false, IKE_BUF("ignored", 7));
	ike_sa_send_request(a, IKE_REQ_DPD, IKE_INFORMATIONAL, &w);
	run();
	assert_int_equal(a->req_kind, IKE_REQ_NONE);
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);

	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_raw(&w, 201, true, IKE_BUF("critical", 8));
	ike_sa_send_request(a, IKE_REQ_DPD, IKE_INFORMATIONAL, &w);
	run();
	assert_int_equal(a->req_kind, IKE_REQ_NONE);
	last_decrypted(&B, &b->sk_r, &m, pt, sizeof(pt));
	assert_true(ike_msg_notify(&m, IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD, &n));
	assert_int_equal(n.data.len, 1);
	assert_int_equal(n.data.ptr[0], 201);
}

static void test_wrong_psk(void **state)
{
	static const struct setup s = {
		.ike_a = "aes128gcm16-prfsha256-x25519",
		.ike_b = "aes128gcm16-prfsha256-x25519",
		.esp_a = "aes128gcm16",
		.esp_b = "aes128gcm16",
		.psk_b = "other secret",
	};

	setup_peers(&s);
	ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	run();
	assert_null(live_sa(&A));
	assert_null(live_sa(&B));
	assert_int_equal(A.installed + B.installed, 0);
}

/* ---- certificates ---- */

static const char conf_cert[] =
	"conn t {\n"
	"  local %s ; remote %s\n"
	"  %s%s ; remote-id \"%s\"\n"
	"  auth pubkey ; cert %s/%s.pem ; key %s/%s.key ; ca %s/%s ; rsa-pss %s\n"
	"  ike aes128gcm16-prfsha256-x25519 ; esp aes128gcm16\n"
	"  local-ts %s ; remote-ts 10.0.0.0/8\n"
	"  start start ; dpd 0\n"
	"}\n";

struct cert_setup {
	const char *key_a, *key_b;	/* tc_key() kinds */
	bool pss_a, pss_b;
	const char *ca_a, *ca_b;	/* the CA file each trusts: "ca.pem" or "other.pem" */
	const char *remote_id_a, *remote_id_b;
	uint16_t frag_size;		/* both sides, when set */
};

static char *cert_dir;
static EVP_PKEY *cert_ca_key;
static X509 *cert_ca;

/* Certificates for A (a.example) and B (DN only) from one CA; another
 * CA that issued nothing. */
static void setup_cert_peers(const struct cert_setup *s)
{
	EVP_PKEY *ca_key = cert_ca_key = tc_key("p256"), *other_key = tc_key("p256");
	EVP_PKEY *ka = tc_key(s->key_a), *kb = tc_key(s->key_b);
	X509 *ca = cert_ca = tc_cert(ca_key, "Test CA", NULL, NULL, true, -1, 30, NULL);
	/* an impostor: the same name, another key */
	X509 *other = tc_cert(other_key, "Test CA", NULL, NULL, true, -1, 30, NULL);
	X509 *ca_ = tc_cert(ka, "a.example", ca, ca_key, false, -1, 30, "DNS:a.example");
	X509 *cb = tc_cert(kb, "b.example", ca, ca_key, false, -1, 30, NULL);
	char text[2048];
	const char *d;

	cert_dir = tc_mkdir();
	d = cert_dir;
	tc_write(d, "ca.pem", &ca, 1, NULL);
	tc_write(d, "other.pem", &other, 1, NULL);
	tc_write(d, "a.pem", &ca_, 1, NULL);
	tc_write(d, "a.key", NULL, 0, ka);
	tc_write(d, "b.pem", &cb, 1, NULL);
	tc_write(d, "b.key", NULL, 0, kb);
	snprintf(text, sizeof(text), conf_cert, "192.0.2.1", "192.0.2.2", "local-id ", "a.example",
		 s->remote_id_a ? s->remote_id_a : "C=CH, O=nfsec test, CN=b.example",
		 d, "a", d, "a", d, s->ca_a ? s->ca_a : "ca.pem", s->pss_a ? "yes" : "no",
		 "10.1.0.0/16");
	peer_init(&A, text, "192.0.2.1");
	/* B has no local-id: its certificate's subject */
	snprintf(text, sizeof(text), conf_cert, "192.0.2.2", "192.0.2.1", "", "",
		 s->remote_id_b ? s->remote_id_b : "a.example",
		 d, "b", d, "b", d, s->ca_b ? s->ca_b : "ca.pem", s->pss_b ? "yes" : "no",
		 "10.2.0.0/16");
	peer_init(&B, text, "192.0.2.2");
	peers[0] = &A;
	peers[1] = &B;
	q_head = q_tail = 0;
	X509_free(other);
	X509_free(ca_);
	X509_free(cb);
	EVP_PKEY_free(other_key);
	EVP_PKEY_free(ka);
	EVP_PKEY_free(kb);
}

static int cert_teardown(void **state)
{
	teardown(state);
	tc_rmdir(cert_dir);
	X509_free(cert_ca);
	EVP_PKEY_free(cert_ca_key);
	cert_ca = NULL;
	cert_ca_key = NULL;
	return 0;
}

/* The payload of a type in a plain (IKE_SA_INIT) message. */
static bool find_payload(const uint8_t *buf, size_t len, uint8_t type, struct ike_buf *body)
{
	static struct ike_msg m;
	const struct ike_payload *p;

	if (ike_msg_parse(buf, len, &m))
		return false;
	p = ike_msg_find(&m, type);
	if (p)
		*body = p->body;
	return p;
}

static void cert_establish(const struct cert_setup *s)
{
	struct ike_sa *a, *b;
	struct ike_buf body;
	struct ike_cert creq;
	struct pkt *k;

	setup_cert_peers(s);
	if (s->frag_size) {
		A.cfg.conns[0].fragment_size = s->frag_size;
		B.cfg.conns[0].fragment_size = s->frag_size;
	}
	a = ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	assert_non_null(a);
	/* IKE_SA_INIT: the responder asks for certificates from its CA */
	k = &queue[q_head++ % 64];
	ike_receive(&B.ctx, k->buf, k->len, &k->dst, &k->from);
	assert_true(find_payload(B.last, B.last_len, IKE_PL_CERTREQ, &body));
	assert_int_equal(ike_parse_certreq(body, &creq), 0);
	assert_int_equal(creq.encoding, IKE_CERT_X509_SIG);
	assert_int_equal(creq.data.len, 20);
	assert_memory_equal(creq.data.ptr, B.cfg.conns[0].creds->ca_hashes, 20);
	assert_true(find_payload(B.last, B.last_len, IKE_PL_NOTIFY, &body));
	run();
	b = live_sa(&B);
	assert_non_null(b);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	assert_int_equal(a->peer_sig_hashes & IKE_HASHES_OURS, IKE_HASHES_OURS);
	assert_int_equal(b->peer_sig_hashes & IKE_HASHES_OURS, IKE_HASHES_OURS);
	assert_int_equal(a->peer_auth_method, IKE_AUTH_DIGITAL_SIG);
	assert_int_equal(b->peer_auth_method, IKE_AUTH_DIGITAL_SIG);
	assert_int_equal(b->peer_id_type, IKE_ID_FQDN);
	assert_int_equal(a->peer_id_type, IKE_ID_DER_ASN1_DN);
	assert_non_null(a->children);
	assert_non_null(b->children);
	assert_child_keys_match(a->children, b->children);
	assert_int_equal(A.installed + B.installed, 2);
}

/* With an RSA-2048 certificate (about 1100 bytes of IKE_AUTH here) over a
 * 576-byte path, IKE_AUTH goes in RFC 7383 fragments both ways. */
static void test_cert_rsa_ecdsa(void **state)
{
	cert_establish(&(struct cert_setup){ .key_a = "rsa2048", .key_b = "p256",
					     .frag_size = 576 });
	assert_true(live_sa(&A)->frag_ours && live_sa(&A)->frag_peer);
	assert_true(live_sa(&B)->frag_ours && live_sa(&B)->frag_peer);
	assert_true(A.sent >= 4);	/* IKE_SA_INIT, IKE_AUTH in 3+ fragments */
	assert_true(B.sent >= 3);
	assert_true(A.max_len <= 576 - 28);
	assert_true(B.max_len <= 576 - 28);
}

/* The same at the default 1280 bytes: IKE_AUTH fits, no fragments. */
static void test_cert_default_no_frag(void **state)
{
	cert_establish(&(struct cert_setup){ .key_a = "rsa2048", .key_b = "p256" });
	assert_int_equal(A.sent, 2);
	assert_true(A.max_len > 576);
}

static void test_cert_pss_p384(void **state)
{
	/* B's remote-id in other words than the certificate: same DN */
	cert_establish(&(struct cert_setup){ .key_a = "p384", .key_b = "rsa2048", .pss_b = true,
					     .remote_id_a = "C=ch, O=NFSEC test, CN=B.example" });
}

/* B does not trust A's CA (it trusts a CA of the same name): A gets
 * AUTHENTICATION_FAILED, no SA, no Child SA. */
static void test_cert_untrusted_ca(void **state)
{
	struct ike_sa *a;

	setup_cert_peers(&(struct cert_setup){ .key_a = "p256", .key_b = "p256",
					       .ca_b = "other.pem" });
	a = ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	assert_non_null(a);
	/* B answers IKE_AUTH with AUTHENTICATION_FAILED (A logs it) and forgets */
	run();
	assert_null(live_sa(&A));
	assert_null(live_sa(&B));
	assert_int_equal(A.installed + B.installed, 0);
	assert_int_equal(B.sent, 2);
}

/* A does not trust B's CA: B thinks it is done, A refuses and installs
 * nothing. */
static void test_cert_initiator_refuses(void **state)
{
	setup_cert_peers(&(struct cert_setup){ .key_a = "rsa2048", .key_b = "p384",
					       .ca_a = "other.pem" });
	ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	run();
	assert_null(live_sa(&A));
	assert_int_equal(A.installed, 0);
}

/* The peer's certificate is good but not for the identity we want. */
static void test_cert_wrong_identity(void **state)
{
	setup_cert_peers(&(struct cert_setup){ .key_a = "p256", .key_b = "p256",
					       .remote_id_b = "c.example" });
	ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	run();
	assert_null(live_sa(&A));
	assert_null(live_sa(&B));
	assert_int_equal(A.installed + B.installed, 0);
}

/* The responder claims an identity its certificate does not hold: a
 * certificate from the right CA for its key, but for another name. */
static void test_cert_identity_not_in_cert(void **state)
{
	struct ike_creds *cr;
	X509 *evil;

	setup_cert_peers(&(struct cert_setup){ .key_a = "p256", .key_b = "p256" });
	cr = (struct ike_creds *)B.cfg.conns[0].creds;
	evil = tc_cert(cr->key, "evil.example", cert_ca, cert_ca_key, false, -1, 30, NULL);
	X509_free(cr->cert);
	cr->cert = evil;
	ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	run();
	assert_null(live_sa(&A));
	assert_int_equal(A.installed, 0);
}

/*
 * Hostile CERT and AUTH payloads in IKE_AUTH, from a peer that completed
 * IKE_SA_INIT: each gets AUTHENTICATION_FAILED (nothing crashes or leaks,
 * ASan watches), and the responder then still serves a good initiator.
 */
static void test_cert_hostile_auth(void **state)
{
	enum { GARBAGE, ENCODING, TRAILING, TOO_MANY, HUGE_LEN, EMPTY, NO_CERT, BAD_AID, N_CASES };
	static const uint8_t bad_aid[] = { 0x0f, 0x30, 0x0e, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
					   0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00, 0xaa };
	static const uint8_t huge[] = { 0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x30, 0x00 };
	uint8_t inner[IKE_MSG_MAX], der[4096], pt[IKE_MSG_MAX];
	struct ike_sa *a, *b, *a2;
	struct ike_wbuf w;
	struct ike_msg m;
	unsigned int sent;
	struct pkt *k;

	for (int c = 0; c < N_CASES; c++) {
		struct ike_id id = { IKE_ID_FQDN, IKE_BUF("a.example", 9) };
		struct ike_auth auth = { IKE_AUTH_DIGITAL_SIG, IKE_BUF(bad_aid, sizeof(bad_aid)) };
		struct ike_cert cert = { IKE_CERT_X509_SIG, IKE_BUF(der, 0) };
		unsigned char *p = der;
		int len;

		print_message("# case %d\n", c);
		setup_cert_peers(&(struct cert_setup){ .key_a = "p256", .key_b = "p256" });
		len = i2d_X509(A.cfg.conns[0].creds->cert, &p);
		a = ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
		k = &queue[q_head++ % 64];
		ike_receive(&B.ctx, k->buf, k->len, &k->dst, &k->from);
		k = &queue[q_head++ % 64];
		ike_receive(&A.ctx, k->buf, k->len, &k->dst, &k->from);
		q_head = q_tail;	/* A's own IKE_AUTH request: lost */
		b = B.ctx.sas;
		assert_non_null(b);
		ike_wbuf_init(&w, inner, sizeof(inner));
		ike_put_id(&w, IKE_PL_IDI, &id);
		switch (c) {
		case GARBAGE:
			memset(der, 0x41, 300);
			cert.data.len = 300;
			break;
		case ENCODING:
			cert.encoding = 12;	/* hash and URL */
			cert.data.len = (size_t)len;
			break;
		case TRAILING:
			der[len] = 0;
			cert.data.len = (size_t)len + 1;
			break;
		case TOO_MANY:
			cert.data.len = (size_t)len;
			for (int i = 0; i < IKE_PEER_CERTS_MAX; i++)
				ike_put_cert(&w, IKE_PL_CERT, &cert);
			break;
		case HUGE_LEN:
			memcpy(der, huge, sizeof(huge));
			cert.data.len = sizeof(huge);
			break;
		case BAD_AID:
			cert.data.len = (size_t)len;
			break;
		}
		if (c != NO_CERT && c != EMPTY)
			ike_put_cert(&w, IKE_PL_CERT, &cert);
		if (c == EMPTY)
			ike_put_raw(&w, IKE_PL_CERT, false, IKE_BUF("\x04", 1));
		ike_put_auth(&w, &auth);
		a->my_mid = 1;
		sent = B.sent;
		assert_int_equal(ike_sa_send_request(a, IKE_REQ_AUTH, IKE_AUTH, &w), 0);
		run();
		assert_int_equal(B.installed, 0);
		if (c == EMPTY) {
			/* a CERT payload without data fails the payload parser: the
			 * request is dropped like any that does not parse */
			assert_int_equal(b->state, IKE_SA_INIT_DONE);
			assert_int_equal(B.sent, sent);
			goto good_peer;
		}
		/* B's answer: AUTHENTICATION_FAILED */
		assert_int_equal(b->state, IKE_SA_DEAD);
		last_decrypted(&B, &b->sk_r, &m, pt, sizeof(pt));
		assert_true(ike_msg_notify(&m, IKE_N_AUTHENTICATION_FAILED, NULL));
good_peer:
		/* and a good initiator is still served */
		advance(10);
		a2 = ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
		run();
		assert_int_equal(a2->state, IKE_SA_ESTABLISHED);
		assert_int_equal(B.installed, 1);
		cert_teardown(state);
	}
	setup_cert_peers(&(struct cert_setup){ .key_a = "p256", .key_b = "p256" });
}

/* A PSK peer meets a certificate responder: no connection for it. */
static void test_cert_psk_mismatch(void **state)
{
	char text[1024];

	setup_cert_peers(&(struct cert_setup){ .key_a = "p256", .key_b = "p256" });
	ike_ctx_free(&A.ctx);
	config_free(&A.cfg);
	snprintf(text, sizeof(text), conf_a, "aes128gcm16-prfsha256-x25519", "aes128gcm16",
		 "tunnel", "0");
	peer_init(&A, text, "192.0.2.1");
	ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	run();
	assert_null(live_sa(&A));
	assert_null(live_sa(&B));
	assert_int_equal(A.installed + B.installed, 0);
}

/* An INFORMATIONAL before IKE_AUTH completes is dropped. */
static void test_informational_before_auth(void **state)
{
	struct ike_sa *a, *b;
	struct ike_wbuf w;
	uint8_t buf[64];
	struct pkt *k;
	unsigned int sent;

	setup_peers(&gcm);
	a = ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	k = &queue[q_head++ % 64];
	ike_receive(&B.ctx, k->buf, k->len, &k->dst, &k->from);
	k = &queue[q_head++ % 64];
	A.drop_next = 1;	/* the IKE_AUTH request is lost */
	ike_receive(&A.ctx, k->buf, k->len, &k->dst, &k->from);
	b = live_sa(&B);
	assert_int_equal(b->state, IKE_SA_INIT_DONE);
	/* an INFORMATIONAL with message ID 1, keyed correctly */
	ike_wbuf_init(&w, buf, sizeof(buf));
	a->req_kind = IKE_REQ_NONE;
	sent = B.sent;
	ike_sa_send_request(a, IKE_REQ_DPD, IKE_INFORMATIONAL, &w);
	run();
	assert_int_equal(B.sent, sent);
	assert_int_equal(b->state, IKE_SA_INIT_DONE);
}

/* ---- RFC 7383 fragmentation ---- */

/* A PSK IKE_AUTH over a 150-byte path: both directions fragmented. */
static void test_frag_psk(void **state)
{
	struct ike_sa *a, *b;

	setup_peers(&gcm);
	A.cfg.conns[0].fragment_size = 150;
	B.cfg.conns[0].fragment_size = 150;
	establish(&a, &b);
	assert_true(a->frag_ours && a->frag_peer && b->frag_ours && b->frag_peer);
	assert_true(A.sent >= 3);
	assert_true(B.sent >= 3);
	assert_true(A.max_len <= 150 - 28);
	assert_true(B.max_len <= 150 - 28);
	assert_false(b->frag_req.active);
	assert_false(a->frag_resp.active);
}

/* A lost fragment: the retransmission resends them all, the duplicates
 * of those already there are dropped, the SA comes up. */
static void test_frag_lost(void **state)
{
	struct ike_sa *a, *b;

	setup_peers(&gcm);
	A.cfg.conns[0].fragment_size = 150;
	B.cfg.conns[0].fragment_size = 150;
	A.drop_at = 3;			/* IKE_AUTH's second fragment */
	a = ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	run();
	b = live_sa(&B);
	assert_int_equal(a->state, IKE_SA_AUTH_SENT);
	assert_true(b->frag_req.active);
	assert_int_equal(b->frag_req.have, b->frag_req.total - 1);
	advance(2000);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	assert_child_keys_match(a->children, b->children);
}

/* B does not do fragmentation: it does not answer the notify, A sends
 * whole messages however small its path. */
static void test_frag_off(void **state)
{
	struct ike_sa *a, *b;

	setup_peers(&gcm);
	A.cfg.conns[0].fragment_size = 150;
	B.cfg.conns[0].fragmentation = false;
	establish(&a, &b);
	assert_true(a->frag_ours);
	assert_false(a->frag_peer);
	assert_false(b->frag_ours);
	assert_true(b->frag_peer);
	assert_int_equal(A.sent, 2);
	assert_int_equal(B.sent, 2);
}

/* One SKF datagram from A's side of the SA, as A's keys make it (or with
 * a broken ICV), straight into B. */
/* the last datagram inject_fragment() sent */
static uint8_t frag_sent[1024];
static size_t frag_sent_len;

static void inject_fragment(struct ike_sa *a, uint32_t mid, uint16_t num, uint16_t total,
			    const uint8_t *pt, size_t len, bool forge)
{
	static const uint8_t zeros[512];
	struct ike_hdr h = { .version = 0x20, .exchange = IKE_INFORMATIONAL, .msg_id = mid,
			     .flags = IKE_FLAG_INITIATOR, .next_payload = IKE_PL_SKF };
	uint8_t buf[1024];
	size_t blen = ike_sk_body_len(&a->sk_i, len);
	struct ike_wbuf w;
	int n;

	memcpy(h.spi_i, a->spi_i, 8);
	memcpy(h.spi_r, a->spi_r, 8);
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_hdr(&w, &h);
	ike_put_skf(&w, IKE_PL_NOTIFY, num, total, IKE_BUF(zeros, blen));
	n = ike_wbuf_finish(&w);
	assert_true(n > 0);
	assert_int_equal(ike_sk_encrypt(&a->sk_i, IKE_BUF(buf, n - blen), NULL, IKE_BUF(pt, len),
					buf + n - blen, blen), 0);
	if (forge)
		buf[n - 1] ^= 0x40;
	memcpy(frag_sent, buf, (size_t)n);
	frag_sent_len = (size_t)n;
	ike_receive(&B.ctx, buf, (size_t)n, &B.addr, &A.addr);
}

/* Hostile fragments on an established SA: forged ones, too many, a
 * duplicate, one that never completes (timeout); then a real two-fragment
 * INFORMATIONAL is reassembled and answered. */
static void test_frag_hostile(void **state)
{
	/* N(INITIAL_CONTACT) N(INITIAL_CONTACT): a chain of two notifies */
	static const uint8_t chain[] = {
		IKE_PL_NOTIFY, 0, 0, 8, 0, 0, 0x40, 0x00,
		IKE_PL_NONE, 0, 0, 8, 0, 0, 0x40, 0x00,
	};
	uint8_t first[sizeof(frag_sent)];
	struct ike_sa *a, *b;
	unsigned int sent;
	size_t first_len;
	uint32_t mid;

	setup_peers(&gcm);
	establish(&a, &b);
	mid = b->peer_mid;
	sent = B.sent;
	inject_fragment(a, mid, 1, 2, chain, 8, true);
	assert_false(b->frag_req.active);	/* forged: not kept */
	inject_fragment(a, mid, 1, IKE_FRAG_MAX + 1, chain, 8, false);
	assert_false(b->frag_req.active);	/* too many */
	inject_fragment(a, mid + 5, 1, 2, chain, 8, false);
	assert_false(b->frag_req.active);	/* outside the window */
	inject_fragment(a, mid, 2, 2, chain + 8, 8, false);
	inject_fragment(a, mid, 2, 2, chain + 8, 8, false);
	assert_true(b->frag_req.active);
	assert_int_equal(b->frag_req.have, 1);
	assert_int_equal(B.sent, sent);
	/* never completed: dropped after the timeout */
	advance(IKE_FRAG_TIMEOUT_MS + 1);
	assert_false(b->frag_req.active);
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	/* now both, out of order: B answers request mid */
	inject_fragment(a, mid, 2, 2, chain + 8, 8, false);
	inject_fragment(a, mid, 1, 2, chain, 8, false);
	memcpy(first, frag_sent, frag_sent_len);
	first_len = frag_sent_len;
	assert_false(b->frag_req.active);
	assert_int_equal(B.sent, sent + 1);
	assert_int_equal(b->peer_mid, mid + 1);
	/* its first fragment again: the cached response again; the second,
	 * or a first fragment with other bytes, get nothing */
	inject_fragment(a, mid, 2, 2, chain + 8, 8, false);
	assert_int_equal(B.sent, sent + 1);
	inject_fragment(a, mid, 1, 2, chain, 8, false);	/* encrypted anew */
	assert_int_equal(B.sent, sent + 1);
	ike_receive(&B.ctx, first, first_len, &B.addr, &A.addr);
	assert_int_equal(B.sent, sent + 2);
	assert_false(b->frag_req.active);
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	q_head = q_tail;	/* A never asked: drop B's answers */
}


/* ---- rekeying (§1.3.2, §1.3.3, §2.8.1) ---- */

static unsigned int n_live(struct peer *p)
{
	unsigned int n = 0;

	for (struct ike_sa *sa = p->ctx.sas; sa; sa = sa->next)
		if (sa->state != IKE_SA_DEAD)
			n++;
	return n;
}

static unsigned int n_children(const struct ike_sa *sa)
{
	unsigned int n = 0;

	for (const struct child_sa *c = sa->children; c; c = c->next)
		n++;
	return n;
}

/* After everything settled: one IKE SA each side, the same SPIs, one
 * Child SA each with matching keys. */
static void assert_settled(struct ike_sa **sa_a, struct ike_sa **sa_b)
{
	advance(0);	/* frees the dead */
	assert_int_equal(n_live(&A), 1);
	assert_int_equal(n_live(&B), 1);
	*sa_a = live_sa(&A);
	*sa_b = live_sa(&B);
	assert_int_equal((*sa_a)->state, IKE_SA_ESTABLISHED);
	assert_int_equal((*sa_b)->state, IKE_SA_ESTABLISHED);
	assert_false((*sa_a)->rekeyed || (*sa_b)->rekeyed);
	assert_memory_equal((*sa_a)->spi_i, (*sa_b)->spi_i, 8);
	assert_memory_equal((*sa_a)->spi_r, (*sa_b)->spi_r, 8);
	assert_true((*sa_a)->initiator != (*sa_b)->initiator);
	assert_int_equal(n_children(*sa_a), 1);
	assert_int_equal(n_children(*sa_b), 1);
	assert_child_keys_match((*sa_a)->children, (*sa_b)->children);
	assert_int_equal((*sa_a)->req_kind, IKE_REQ_NONE);
	assert_int_equal((*sa_b)->req_kind, IKE_REQ_NONE);
}

/* A rekeys the Child SA: a new one with new SPIs and keys and the same
 * reqid replaces it on both sides; the old one is removed after. */
static void test_rekey_child(void **state)
{
	struct ike_sa *a, *b;
	struct child_sa old;

	setup_peers(&gcm);
	establish(&a, &b);
	old = *a->children;
	ike_sa_rekey_child(a, a->children);
	assert_null(a->rk.dh);		/* no KE group in the ESP proposals: no PFS */
	run();
	assert_settled(&a, &b);
	assert_int_not_equal(a->children->spi_in, old.spi_in);
	assert_int_not_equal(a->children->spi_out, old.spi_out);
	assert_int_equal(a->children->reqid, old.reqid);
	assert_memory_not_equal(a->children->ek_out, old.ek_out, old.ek_len);
	assert_int_equal(A.installed, 2);
	assert_int_equal(B.installed, 2);
	assert_int_equal(A.removed, 1);
	assert_int_equal(B.removed, 1);
	/* and again, from B */
	ike_sa_rekey_child(b, b->children);
	run();
	assert_settled(&a, &b);
	assert_int_equal(A.removed + B.removed, 4);
}

/* PFS: KE in CREATE_CHILD_SA; a group the responder does not want is
 * answered INVALID_KE_PAYLOAD and the rekey is tried with its group. */
static void test_rekey_child_pfs(void **state)
{
	static const struct setup pfs = {
		.ike_a = "aes128gcm16-prfsha256-x25519",
		.ike_b = "aes128gcm16-prfsha256-x25519",
		.esp_a = "aes128gcm16-x25519-ecp256",
		.esp_b = "aes128gcm16-ecp256",
	};
	struct ike_sa *a, *b;
	uint32_t old_in;

	setup_peers(&pfs);
	establish(&a, &b);
	old_in = a->children->spi_in;
	ike_sa_rekey_child(a, a->children);
	assert_non_null(a->rk.dh);
	assert_int_equal(a->rk.ke_group, IKE_KE_X25519);
	run();			/* INVALID_KE_PAYLOAD(ecp256), then again */
	assert_settled(&a, &b);
	assert_int_not_equal(a->children->spi_in, old_in);
	assert_int_equal(A.removed, 1);
	/* B rekeys: it offers only ecp256, A accepts it */
	old_in = b->children->spi_in;
	ike_sa_rekey_child(b, b->children);
	assert_int_equal(b->rk.ke_group, IKE_KE_ECP256);
	run();
	assert_settled(&a, &b);
	assert_int_not_equal(b->children->spi_in, old_in);
}

/* PFS demanded by the initiator, refused by a responder without a common
 * group: the rekey fails, the old Child SA and the IKE SA stay, and the
 * rekey is tried again later. */
static void test_rekey_child_pfs_refused(void **state)
{
	static const struct setup pfs = {
		.ike_a = "aes128gcm16-prfsha256-x25519",
		.ike_b = "aes128gcm16-prfsha256-x25519",
		.esp_a = "aes128gcm16-x25519",
		.esp_b = "aes128gcm16-ecp384",
	};
	struct ike_sa *a, *b;
	uint32_t old_in;

	setup_peers(&pfs);
	establish(&a, &b);
	old_in = a->children->spi_in;
	ike_sa_rekey_child(a, a->children);
	run();
	assert_settled(&a, &b);
	assert_int_equal(a->children->spi_in, old_in);
	assert_true(a->children->rekey_ms > A.ctx.now_ms);	/* retried later */
	assert_int_equal(A.removed + B.removed, 0);
}

/* A rekeys the IKE SA: new SPIs, keys from SK_d (§2.18), the Child SA
 * moves to the new IKE SA without being touched in the kernel, and the
 * new SA works (a Child SA rekey and a liveness check on it). */
static void test_rekey_ike(void **state)
{
	uint8_t spi_i[8], spi_r[8], sk_d[IKE_PRF_MAX];
	struct ike_sa *a, *b;
	uint32_t child_in;

	setup_peers(&gcm);
	establish(&a, &b);
	memcpy(spi_i, a->spi_i, 8);
	memcpy(spi_r, a->spi_r, 8);
	memcpy(sk_d, a->keys.d.ptr, a->keys.d.len);
	child_in = a->children->spi_in;
	ike_sa_rekey(a);
	run();
	assert_settled(&a, &b);
	assert_memory_not_equal(a->spi_i, spi_i, 8);
	assert_memory_not_equal(a->spi_r, spi_r, 8);
	assert_memory_not_equal(a->keys.d.ptr, sk_d, a->keys.d.len);
	assert_memory_equal(a->keys.d.ptr, b->keys.d.ptr, a->keys.d.len);
	assert_true(a->initiator);
	assert_int_equal(a->children->spi_in, child_in);
	assert_int_equal(A.removed + B.removed, 0);
	assert_int_equal(a->my_mid, 0);
	/* the new SA carries exchanges */
	ike_sa_rekey_child(a, a->children);
	run();
	assert_settled(&a, &b);
	assert_int_not_equal(a->children->spi_in, child_in);
	/* B rekeys it back: B becomes the initiator of the new one */
	ike_sa_rekey(b);
	run();
	assert_settled(&a, &b);
	assert_true(b->initiator);
	assert_false(a->initiator);
	liveness_check(a, a);
}

/* The timers: Child SA rekey at rekey less up to 10% of jitter, IKE SA
 * rekey at ike-rekey; the IKE SA stays up throughout. */
static void test_rekey_timers(void **state)
{
	struct ike_sa *a, *b;
	uint32_t child_in;
	uint8_t spi_i[8];

	setup_peers(&gcm);
	A.cfg.conns[0].rekey = 100;
	A.cfg.conns[0].ike_rekey = 300;
	establish(&a, &b);
	child_in = a->children->spi_in;
	assert_true(a->children->rekey_ms >= A.ctx.now_ms + 90000);
	assert_true(a->children->rekey_ms <= A.ctx.now_ms + 100000);
	assert_true(a->rekey_ms >= A.ctx.now_ms + 270000);
	assert_true(a->rekey_ms <= A.ctx.now_ms + 300000);
	advance(89000);
	assert_int_equal(a->children->spi_in, child_in);
	advance(11000);
	assert_settled(&a, &b);
	assert_int_not_equal(a->children->spi_in, child_in);
	memcpy(spi_i, a->spi_i, 8);
	for (int i = 0; i < 2; i++)	/* the Child SA rekeys again meanwhile */
		advance(100000);
	assert_settled(&a, &b);
	assert_memory_not_equal(a->spi_i, spi_i, 8);
	assert_true(ike_tick(&A.ctx) > A.ctx.now_ms);	/* no busy loop */
}

/* Both ends rekey the Child SA at once (§2.8.1). Whoever loses deletes its
 * redundant new Child SA, the winner the old one; both end with the
 * winner's. Run until each side has won once. */
static void test_rekey_child_collision(void **state)
{
	bool a_won = false, b_won = false;

	for (int i = 0; i < 40 && !(a_won && b_won); i++) {
		struct ike_sa *a, *b;
		uint32_t old_in;

		setup_peers(&gcm);
		establish(&a, &b);
		old_in = a->children->spi_in;
		ike_sa_rekey_child(a, a->children);
		ike_sa_rekey_child(b, b->children);
		run();
		assert_settled(&a, &b);
		assert_int_not_equal(a->children->spi_in, old_in);
		/* four SAs installed, three removed: the old and the loser's */
		assert_int_equal(A.installed, 3);
		assert_int_equal(B.installed, 3);
		assert_int_equal(A.removed, 2);
		assert_int_equal(B.removed, 2);
		/* A took inbound SPI 0xc0100002 for its own rekey, 0xc0100003
		 * when it answered B's */
		if (a->children->spi_in == 0xc0100002u)
			a_won = true;
		else if (a->children->spi_in == 0xc0100003u)
			b_won = true;
		else
			fail_msg("Child SA %08x survived", a->children->spi_in);
		teardown(state);
	}
	assert_true(a_won && b_won);
	setup_peers(&gcm);	/* for the teardown */
}

/* Both ends rekey the IKE SA at once (§2.8.1): one new IKE SA survives on
 * both sides with the Child SA, the other is deleted by its initiator,
 * the old one by the winner; nothing is removed from the kernel. */
static void test_rekey_ike_collision(void **state)
{
	bool a_won = false, b_won = false;

	for (int i = 0; i < 40 && !(a_won && b_won); i++) {
		struct ike_sa *a, *b;
		uint8_t spi_i[8];

		setup_peers(&gcm);
		establish(&a, &b);
		memcpy(spi_i, a->spi_i, 8);
		ike_sa_rekey(a);
		ike_sa_rekey(b);
		run();
		assert_settled(&a, &b);
		assert_memory_not_equal(a->spi_i, spi_i, 8);
		assert_int_equal(A.removed + B.removed, 0);
		if (a->initiator)
			a_won = true;
		else
			b_won = true;
		/* the survivor works */
		ike_sa_rekey_child(b, b->children);
		run();
		assert_settled(&a, &b);
		teardown(state);
	}
	assert_true(a_won && b_won);
	setup_peers(&gcm);
}

/* A hostile answer to our Child SA rekey: selectors wider than the old
 * Child SA's. Nothing is installed, the SA the peer made is deleted
 * there, the old Child SA stays. */
static void test_rekey_child_widened(void **state)
{
	struct ike_ts_payload tsi = { .n = 1 }, tsr = { .n = 1 };
	struct ike_sa_payload sap = { .n = 1 };
	uint8_t buf[1024], nr[32] = { 7 };
	struct ike_sa *a, *b;
	struct ike_wbuf w;
	uint32_t old_in;

	setup_peers(&gcm);
	establish(&a, &b);
	old_in = a->children->spi_in;
	ike_sa_rekey_child(a, a->children);
	q_head = q_tail;		/* B never sees the request ... */
	child_proposals(&B.cfg.conns[0], 0xc0ffee01, false, &sap.prop[0], 1);
	ts_any(&tsi.ts[0], IKE_TS_IPV4_ADDR_RANGE);	/* ... and "answers" 0.0.0.0/0 */
	tsr.ts[0] = a->children->ts_r[0];
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_sa(&w, &sap);
	ike_put_nonce(&w, IKE_BUF(nr, sizeof(nr)));
	ike_put_ts(&w, IKE_PL_TSI, &tsi);
	ike_put_ts(&w, IKE_PL_TSR, &tsr);
	b->peer_mid = a->req_mid;
	assert_int_equal(ike_sa_send_response(b, IKE_CREATE_CHILD_SA, a->req_mid, &w), 0);
	run();
	assert_int_equal(n_children(a), 1);
	assert_int_equal(a->children->spi_in, old_in);
	assert_false(a->children->rekeyed);
	assert_int_equal(A.installed, 1);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(a->req_kind, IKE_REQ_NONE);	/* B confirmed the Delete */
}

/* A CREATE_CHILD_SA on an IKE SA already replaced: TEMPORARY_FAILURE. A
 * Child SA rekey and an IKE SA rekey crossing: both complete. */
static void test_rekey_crossing(void **state)
{
	struct ike_sa *a, *b;
	uint32_t child_in;

	setup_peers(&gcm);
	establish(&a, &b);
	child_in = a->children->spi_in;
	ike_sa_rekey(a);
	ike_sa_rekey_child(b, b->children);
	run();
	/* B's Child SA rekey ran on the old IKE SA: A answered it before its
	 * own rekey completed, or refused it with TEMPORARY_FAILURE after */
	advance(0);
	a = live_sa(&A);
	b = live_sa(&B);
	assert_int_equal(n_live(&A), 1);
	assert_int_equal(n_live(&B), 1);
	advance(A.ctx.rekey_retry_ms);	/* a refused rekey is tried again */
	assert_settled(&a, &b);
	assert_int_not_equal(a->children->spi_in, child_in);
}

/* CREATE_CHILD_SA from the peer: a rekey of the first Child SA (REKEY_SA)
 * gets a new Child SA with the old one's reqid; PFS the responder is not
 * configured for and an IKE SA rekey without KE are refused, the IKE SA
 * stays. */
/* ---- virtual addresses (CP, RFC 7296 §3.15) ---- */

static const char conf_rw_client[] =
	"conn t {\n"
	"  local 192.0.2.1 ; remote 192.0.2.2\n"
	"  local-id %s ; remote-id vpn.company.com\n"
	"  auth psk ; psk \"test secret\"\n"
	"  ike aes128gcm16-prfsha256-x25519 ; esp aes128gcm16\n"
	"  remote-ts 10.1.0.0/24 ; vips 0.0.0.0 ; start start ; dpd 0\n"
	"}\n";
static const char conf_rw_gateway[] =
	"conn t {\n"
	"  local 192.0.2.2 ; remote %%any\n"
	"  local-id vpn.company.com\n"
	"  auth psk ; psk \"test secret\"\n"
	"  ike aes128gcm16-prfsha256-x25519 ; esp aes128gcm16\n"
	"  local-ts 10.1.0.0/24 ; pool %s ; dns 10.1.0.53 ; dpd 0\n"
	"}\n";

static unsigned int vip_installs, vip_removes;

static int t_vip_install(void *arg, const struct ike_sa *sa, char *err, size_t errlen)
{
	vip_installs++;
	return 0;
}

static void t_vip_remove(void *arg, const struct ike_sa *sa)
{
	vip_removes++;
}

static void setup_rw(const char *client_id, const char *pool)
{
	char text[1024];

	snprintf(text, sizeof(text), conf_rw_client, client_id);
	peer_init(&A, text, "192.0.2.1");
	A.ctx.ops.vip_install = t_vip_install;
	A.ctx.ops.vip_remove = t_vip_remove;
	snprintf(text, sizeof(text), conf_rw_gateway, pool);
	peer_init(&B, text, "192.0.2.2");
	peers[0] = &A;
	peers[1] = &B;
	q_head = q_tail = 0;
	vip_installs = vip_removes = 0;
}

static void assert_ts_host(const struct ike_ts *ts, const char *addr)
{
	uint8_t a[4];

	inet_pton(AF_INET, addr, a);
	assert_int_equal(ts->type, IKE_TS_IPV4_ADDR_RANGE);
	assert_memory_equal(ts->start, a, 4);
	assert_memory_equal(ts->end, a, 4);
}

static void test_vip_assigned_and_released(void **state)
{
	struct ike_sa *a, *b;
	uint8_t want[4];

	setup_rw("alice@company.com", "10.99.0.0/24");
	establish(&a, &b);
	inet_pton(AF_INET, "10.99.0.1", want);
	assert_int_equal(a->n_vips, 1);
	assert_memory_equal(a->vips[0].addr, want, 4);
	assert_true(a->vips_installed);
	assert_int_equal(a->n_dns, 1);
	assert_hex_equal(a->dns[0].addr, 4, "0a010035");
	assert_int_equal(b->n_vips, 1);
	assert_true(b->vips_leased);
	assert_int_equal(vip_installs, 1);
	/* the client's side of the Child SA is narrowed to its address */
	assert_int_equal(a->children->n_ts_l, 1);
	assert_ts_host(&a->children->ts_l[0], "10.99.0.1");
	assert_ts_host(&b->children->ts_r[0], "10.99.0.1");
	assert_int_equal(B.ctx.pools->size, 254);
	assert_int_equal(pool_online(B.ctx.pools), 1);

	/* rekeyed IKE SA (by the gateway) keeps the lease and the address */
	ike_sa_rekey(b);
	run();
	assert_settled(&a, &b);
	assert_int_equal(a->n_vips, 1);
	assert_int_equal(b->n_vips, 1);
	assert_int_equal(pool_online(B.ctx.pools), 1);
	assert_int_equal(vip_removes, 0);
	/* a Child SA rekey by the gateway keeps the client's selector */
	ike_sa_rekey_child(b, b->children);
	run();
	assert_settled(&a, &b);
	assert_ts_host(&a->children->ts_l[0], "10.99.0.1");

	/* down: the address goes off the client, the lease back to the pool */
	assert_int_equal(ike_terminate(&A.ctx, "t"), 1);
	run();
	ike_tick(&A.ctx);
	ike_tick(&B.ctx);
	assert_null(live_sa(&A));
	assert_null(live_sa(&B));
	assert_int_equal(vip_removes, 1);
	assert_int_equal(pool_online(B.ctx.pools), 0);

	/* up again: the same address */
	establish(&a, &b);
	assert_memory_equal(a->vips[0].addr, want, 4);
	assert_int_equal(pool_online(B.ctx.pools), 1);
}

/* A client that restarted (its state gone: a fresh context) connects again
 * with INITIAL_CONTACT: the gateway deletes the stale IKE SA at once, its
 * Child SA taken out of the kernel, its lease released before the new one
 * is taken, so the client gets its address back. A second IKE SA of a live
 * client (no INITIAL_CONTACT) leaves the first alone. */
static void test_vip_initial_contact(void **state)
{
	struct ike_sa *a, *b;
	uint8_t want[4], stale_spi[8];
	char text[1024];

	setup_rw("alice@company.com", "10.99.0.0/24");
	establish(&a, &b);
	memcpy(stale_spi, b->spi_i, 8);
	inet_pton(AF_INET, "10.99.0.1", want);
	assert_int_equal(B.removed, 0);

	ike_ctx_free(&A.ctx);
	config_free(&A.cfg);
	snprintf(text, sizeof(text), conf_rw_client, "alice@company.com");
	peer_init(&A, text, "192.0.2.1");
	A.ctx.ops.vip_install = t_vip_install;
	A.ctx.ops.vip_remove = t_vip_remove;
	establish(&a, &b);
	advance(0);	/* frees the dead */
	assert_int_equal(n_live(&B), 1);
	assert_memory_not_equal(live_sa(&B)->spi_i, stale_spi, 8);
	assert_int_equal(B.removed, 1);
	assert_memory_equal(a->vips[0].addr, want, 4);
	assert_int_equal(pool_online(B.ctx.pools), 1);

	/* the same client, alive, opens a second IKE SA: no INITIAL_CONTACT */
	assert_non_null(ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0));
	run();
	advance(0);
	assert_int_equal(n_live(&B), 2);
	assert_int_equal(B.removed, 1);
}

static void test_vip_pool_exhausted(void **state)
{
	struct ike_sa *a, *b;

	/* one address, taken by someone else */
	setup_rw("alice@company.com", "10.99.0.9");
	establish(&a, &b);
	ike_ctx_free(&A.ctx);
	config_free(&A.cfg);
	{
		char text[1024];

		snprintf(text, sizeof(text), conf_rw_client, "bob@company.com");
		peer_init(&A, text, "192.0.2.1");
	}
	a = ike_initiate(&A.ctx, &A.cfg.conns[0], NULL, 0, NULL, 0);
	assert_non_null(a);
	run();
	/* INTERNAL_ADDRESS_FAILURE: no Child SA, bob's client gives up */
	assert_int_equal(B.installed, 1);
	assert_int_equal(A.installed, 0);
	advance(100);
	ike_tick(&A.ctx);
	assert_null(live_sa(&A));
}

static void test_create_child_rekey(void **state)
{
	struct ike_proposal props[CONF_MAX_PROPOSALS];
	uint8_t buf[1024], spi[4], ni[32] = { 1, 2, 3 };
	struct ike_ts_payload tsi = { .n = 1 }, tsr = { .n = 1 };
	struct ike_sa_payload sap = { 0 };
	struct ike_notify rekey = { .protocol = IKE_PROTO_ESP, .type = IKE_N_REKEY_SA };
	struct child_sa *old, *c;
	struct ike_sa *a, *b;
	struct ike_wbuf w;
	struct ike_ke ke = { .group = IKE_KE_X25519, .data = IKE_BUF(ni, 32) };

	setup_peers(&gcm);
	establish(&a, &b);
	old = b->children;
	spi[0] = old->spi_out >> 24;
	spi[1] = old->spi_out >> 16;
	spi[2] = old->spi_out >> 8;
	spi[3] = old->spi_out;
	rekey.spi = IKE_BUF(spi, 4);
	sap.n = (unsigned int)child_proposals(&A.cfg.conns[0], 0xc0ffee00, false, props,
					      CONF_MAX_PROPOSALS);
	memcpy(sap.prop, props, sap.n * sizeof(props[0]));
	tsi.ts[0] = a->children->ts_l[0];
	tsr.ts[0] = a->children->ts_r[0];

	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_notify(&w, &rekey);
	ike_put_sa(&w, &sap);
	ike_put_nonce(&w, IKE_BUF(ni, 32));
	ike_put_ts(&w, IKE_PL_TSI, &tsi);
	ike_put_ts(&w, IKE_PL_TSR, &tsr);
	assert_int_equal(ike_sa_send_request(a, IKE_REQ_DPD, IKE_CREATE_CHILD_SA, &w), 0);
	run();
	assert_int_equal(a->req_kind, IKE_REQ_NONE);
	c = b->children;
	assert_ptr_not_equal(c, old);
	assert_ptr_equal(c->next, old);
	assert_int_equal(c->spi_out, 0xc0ffee00);
	assert_int_equal(c->reqid, old->reqid);
	assert_memory_not_equal(c->ek_in, old->ek_in, c->ek_len);
	assert_int_equal(B.installed, 2);

	/* PFS asked of a responder without a KE group in its ESP proposals:
	 * NO_PROPOSAL_CHOSEN, nothing new */
	for (unsigned int i = 0; i < sap.n; i++)
		sap.prop[i].xf[sap.prop[i].n++] = (struct ike_transform){ .type = IKE_TRANS_KE,
									   .id = IKE_KE_X25519 };
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_sa(&w, &sap);
	ike_put_nonce(&w, IKE_BUF(ni, 32));
	ike_put_ke(&w, &ke);
	ike_put_ts(&w, IKE_PL_TSI, &tsi);
	ike_put_ts(&w, IKE_PL_TSR, &tsr);
	assert_int_equal(ike_sa_send_request(a, IKE_REQ_DPD, IKE_CREATE_CHILD_SA, &w), 0);
	run();
	assert_int_equal(B.installed, 2);

	/* an IKE SA rekey: refused, the IKE SA stays */
	sap.n = 1;
	sap.prop[0] = A.cfg.conns[0].ike[0];
	sap.prop[0].spi_size = 8;
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_sa(&w, &sap);
	ike_put_nonce(&w, IKE_BUF(ni, 32));
	assert_int_equal(ike_sa_send_request(a, IKE_REQ_DPD, IKE_CREATE_CHILD_SA, &w), 0);
	run();
	assert_int_equal(b->state, IKE_SA_ESTABLISHED);
	assert_int_equal(a->req_kind, IKE_REQ_NONE);
	assert_int_equal(B.installed, 2);
}

/* ---- MOBIKE (RFC 4555) ---- */

static void set_addr(ike_sockaddr *a, const char *text)
{
	memset(a, 0, sizeof(*a));
	if (strchr(text, ':')) {
		a->sin6.sin6_family = AF_INET6;
		inet_pton(AF_INET6, text, &a->sin6.sin6_addr);
	} else {
		a->sin.sin_family = AF_INET;
		inet_pton(AF_INET, text, &a->sin.sin_addr);
	}
}

/* p's addresses (local_addrs), the first also its routing source. */
static void set_addrs(struct peer *p, const char *const *list, size_t n)
{
	p->n_addrs = n;
	for (size_t i = 0; i < n; i++)
		set_addr(&p->addrs[i], list[i]);
	set_addr(&p->addr, list[0]);
	ike_addr_set_port(&p->addr, IKE_PORT);
}

static const char *astr(const ike_sockaddr *a)
{
	static char buf[4][64];
	static int k;

	k = (k + 1) % 4;
	return ike_addr_str(a, true, buf[k], sizeof(buf[k]));
}

/* gcm on both sides, with these addresses; established. */
static void mobike_establish(const char *const *la, size_t na, const char *const *lb, size_t nb,
			     struct ike_sa **a, struct ike_sa **b)
{
	setup_peers(&gcm);
	set_addrs(&A, la, na);
	set_addrs(&B, lb, nb);
	establish(a, b);
}

/* Deliver one queued datagram (lost ones count). */
static void run_one(void)
{
	struct pkt *k;

	assert_true(q_head != q_tail);
	k = &queue[q_head++ % 64];
	if (!addr_down(&k->from) && !addr_down(&k->dst) && nat_pass(k))
		ike_receive(&k->to->ctx, k->buf, k->len, &k->dst, &k->from);
}

/* The new notifies on the wire (RFC 4555 §4): type, and the address as
 * the data of ADDITIONAL_IP4/6_ADDRESS. */
static void test_mobike_notify_encoding(void **state)
{
	uint8_t buf[128], v6[16];
	struct ike_msg m = { 0 };
	struct ike_notify n;
	struct ike_wbuf w;
	int len;

	inet_pton(AF_INET6, "2001:db8::7", v6);
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_notify_simple(&w, IKE_N_MOBIKE_SUPPORTED, NULL, 0);
	ike_put_notify_simple(&w, IKE_N_ADDITIONAL_IP4_ADDRESS, "\xc0\x00\x02\x0b", 4);
	ike_put_notify_simple(&w, IKE_N_ADDITIONAL_IP6_ADDRESS, v6, 16);
	ike_put_notify_simple(&w, IKE_N_COOKIE2, "01234567", 8);
	len = ike_wbuf_finish(&w);
	assert_int_equal(len, 8 + 12 + 24 + 16);
	assert_hex_equal(buf, 20, "29000008 0000400c 29 00000c 0000400d c000020b");
	assert_hex_equal(buf + 20, 8, "2900001800004 00e");
	assert_hex_equal(buf + 44, 8, "0000001000004011");
	assert_int_equal(ike_payloads_parse(w.first, buf, (size_t)len, &m), 0);
	assert_true(ike_msg_notify(&m, IKE_N_MOBIKE_SUPPORTED, &n));
	assert_int_equal(n.data.len, 0);
	assert_true(ike_msg_notify(&m, IKE_N_ADDITIONAL_IP6_ADDRESS, &n));
	assert_memory_equal(n.data.ptr, v6, 16);
	assert_true(ike_msg_notify(&m, IKE_N_COOKIE2, &n));
	assert_memory_equal(n.data.ptr, "01234567", 8);
	assert_string_equal(ike_notify_name(IKE_N_UNACCEPTABLE_ADDRESSES),
			    "UNACCEPTABLE_ADDRESSES");
	assert_int_equal(IKE_N_UPDATE_SA_ADDRESSES, 16400);
	assert_int_equal(IKE_N_NO_NATS_ALLOWED, 16402);
	assert_int_equal(IKE_N_UNEXPECTED_NAT_DETECTED, 41);
}

static const char *const a_addrs[] = { "192.0.2.1", "192.0.2.11", "2001:db8::1" };
static const char *const b_addrs[] = { "192.0.2.2" };

/* Both sides offer MOBIKE by default; the initiator's additional
 * addresses reach the responder, the responder has none. */
static void test_mobike_negotiated(void **state)
{
	struct ike_sa *a, *b;
	char list[2048];

	mobike_establish(a_addrs, 3, b_addrs, 1, &a, &b);
	assert_true(a->mobike && b->mobike);
	assert_int_equal(b->n_peer_addrs, 2);
	assert_string_equal(astr(&b->peer_addrs[0]), "192.0.2.11:0");
	assert_int_equal(b->peer_addrs[1].sa.sa_family, AF_INET6);
	assert_int_equal(a->n_peer_addrs, 0);	/* NO_ADDITIONAL_ADDRESSES */
	list_sas(&A.ctx, list, sizeof(list));
	assert_non_null(strstr(list, " mobike"));
	/* IKE stays on 500 without a NAT until a move */
	assert_int_equal(ike_addr_port(&a->local), IKE_PORT);

	/* A gets another address: an INFORMATIONAL tells B, nothing moves */
	set_addr(&A.addrs[A.n_addrs++], "192.0.2.12");
	ike_ctx_addresses_changed(&A.ctx);
	run();
	assert_int_equal(a->req_kind, IKE_REQ_NONE);
	assert_int_equal(b->n_peer_addrs, 3);
	assert_int_equal(A.moves + B.moves, 0);
	/* nothing changed: nothing sent */
	{
		unsigned int sent = A.sent;

		ike_ctx_addresses_changed(&A.ctx);
		assert_int_equal(A.sent, sent);

		/* a virtual address from the gateway, whose routes make it the
		 * source towards it: neither announced nor a reason to move */
		a->n_vips = 1;
		a->vips[0].family = AF_INET;
		inet_pton(AF_INET, "10.3.0.1", a->vips[0].addr);
		a->vips_installed = true;
		assert_true(A.n_addrs < 8);
		set_addr(&A.addrs[A.n_addrs++], "10.3.0.1");
		set_addr(&A.addr, "10.3.0.1");
		ike_ctx_addresses_changed(&A.ctx);
		assert_int_equal(A.sent, sent);
		assert_false(a->probing);
		a->vips_installed = false;
	}
}

static void test_mobike_off(void **state)
{
	struct ike_sa *a, *b;

	for (int side = 0; side < 2; side++) {
		setup_peers(&gcm);
		((struct conf_conn *)(side ? &B : &A)->cfg.conns)->mobike = false;
		establish(&a, &b);
		assert_false(a->mobike);
		assert_false(b->mobike);
		assert_int_equal(b->mobike_peer, side);
		teardown(NULL);
	}
	setup_peers(&gcm);	/* for the teardown */
}

/*
 * A's address goes away: the monitor says so, A probes from its other
 * address, moves with UPDATE_SA_ADDRESSES (retransmitted on the new path
 * when lost), B follows at once (an address A announced) and both move
 * their Child SAs in place.
 */
static void test_mobike_move(void **state)
{
	struct ike_sa *a, *b;
	struct ike_notify n;
	struct ike_msg m;
	uint8_t pt[1024];
	struct pkt *k;
	uint32_t spi_in;

	mobike_establish(a_addrs, 3, b_addrs, 1, &a, &b);
	spi_in = a->children->spi_in;

	/* 192.0.2.1 is gone; routes now leave from 192.0.2.11 */
	set_addr(&down[n_down++], "192.0.2.1");
	set_addrs(&A, a_addrs + 1, 2);
	ike_ctx_addresses_changed(&A.ctx);
	assert_true(a->probing);
	assert_int_equal(a->req_kind, IKE_REQ_MOBIKE_PROBE);
	k = &queue[(q_tail - 1) % 64];
	assert_string_equal(astr(&k->from), "192.0.2.11:4500");
	assert_string_equal(astr(&k->dst), "192.0.2.2:4500");
	run_one();				/* B answers the probe */
	assert_string_equal(astr(&b->remote), "192.0.2.1:500");	/* a probe moves nothing */
	last_decrypted(&B, &b->sk_r, &m, pt, sizeof(pt));	/* our COOKIE2, NAT-D */
	assert_true(ike_msg_notify(&m, IKE_N_COOKIE2, &n));
	assert_int_equal(n.data.len, sizeof(a->cookie2));
	assert_memory_equal(n.data.ptr, a->cookie2, sizeof(a->cookie2));
	assert_true(ike_msg_notify(&m, IKE_N_NAT_DETECTION_SOURCE_IP, NULL));
	assert_true(ike_msg_notify(&m, IKE_N_NAT_DETECTION_DESTINATION_IP, NULL));
	run_one();				/* A: the path works, UPDATE */
	assert_false(a->probing);
	assert_int_equal(a->req_kind, IKE_REQ_MOBIKE_UPDATE);
	assert_string_equal(astr(&a->local), "192.0.2.11:4500");
	q_head = q_tail;			/* the UPDATE is lost */
	A.ctx.now_ms += 2000;			/* retransmitted, on the new path */
	ike_tick(&A.ctx);
	assert_int_equal(q_tail - q_head, 1);
	assert_string_equal(astr(&queue[q_head % 64].from), "192.0.2.11:4500");
	run();
	assert_int_equal(a->req_kind, IKE_REQ_NONE);
	assert_string_equal(astr(&b->remote), "192.0.2.11:4500");
	assert_string_equal(astr(&b->local), "192.0.2.2:4500");
	assert_int_equal(A.moves, 1);
	assert_int_equal(B.moves, 1);
	assert_string_equal(astr(&B.moved_from), "192.0.2.1:500");
	assert_false(a->nat_local || a->nat_remote || b->nat_local || b->nat_remote);
	/* the same Child SA, not a new one */
	assert_int_equal(a->children->spi_in, spi_in);
	assert_int_equal(A.installed + B.installed, 2);
	/* B's set of A's addresses is the one of the UPDATE */
	assert_int_equal(b->n_peer_addrs, 1);

	/* and the new path carries the IKE SA: B's liveness check */
	liveness_check(b, a);
}

/*
 * The responder never moves on a message that is not an authenticated
 * new UPDATE_SA_ADDRESSES: a replayed UPDATE from elsewhere is answered
 * from the reply cache, one with a broken ICV is dropped, and an
 * authenticated request from a new address without UPDATE_SA_ADDRESSES
 * moves nothing either (RFC 4555 §3.5, §3.10).
 */
static void test_mobike_refuses_replay_and_forgery(void **state)
{
	struct ike_sa *a, *b;
	struct pkt upd;
	ike_sockaddr evil;

	mobike_establish(a_addrs, 3, b_addrs, 1, &a, &b);
	set_addrs(&A, a_addrs + 1, 2);
	ike_ctx_addresses_changed(&A.ctx);
	run_one();
	run_one();
	upd = queue[(q_tail - 1) % 64];		/* the UPDATE_SA_ADDRESSES */
	run();
	assert_int_equal(B.moves, 1);
	assert_string_equal(astr(&b->remote), "192.0.2.11:4500");

	/* replayed from an attacker's address */
	set_addr(&evil, "203.0.113.5");
	ike_addr_set_port(&evil, 4500);
	ike_receive(&B.ctx, upd.buf, upd.len, &upd.dst, &evil);
	q_head = q_tail;
	assert_string_equal(astr(&b->remote), "192.0.2.11:4500");
	assert_int_equal(B.moves, 1);

	/* the same with the next message ID: fails the ICV */
	upd.buf[23]++;
	ike_receive(&B.ctx, upd.buf, upd.len, &upd.dst, &evil);
	assert_int_equal(q_head, q_tail);	/* not even answered */
	assert_string_equal(astr(&b->remote), "192.0.2.11:4500");
	assert_int_equal(B.moves, 1);

	/* an authenticated liveness check from another address */
	a->tasks |= IKE_TASK_DPD;
	ike_sa_kick(a);
	queue[(q_tail - 1) % 64].from = evil;
	run();
	assert_string_equal(astr(&b->remote), "192.0.2.11:4500");
	assert_int_equal(B.moves, 1);
}

/*
 * A moves to an address it never announced: B moves the IKE SA but checks
 * return routability with a COOKIE2 of its own before it moves the Child
 * SAs; an answer without B's COOKIE2 is not enough (§5.2.1).
 */
static void test_mobike_return_routability(void **state)
{
	static const char *const a_new[] = { "192.0.2.99" };
	struct ike_sa *a, *b;

	mobike_establish(a_addrs, 1, b_addrs, 1, &a, &b);	/* A announces nothing */
	assert_int_equal(b->n_peer_addrs, 0);
	set_addr(&down[n_down++], "192.0.2.1");
	set_addrs(&A, a_new, 1);
	ike_sa_mobike_roam(a, "test");
	run_one();				/* probe */
	run_one();				/* probe response */
	run_one();				/* UPDATE: B moves the IKE SA */
	assert_string_equal(astr(&b->remote), "192.0.2.99:4500");
	assert_int_equal(B.moves, 0);
	assert_int_equal(b->req_kind, IKE_REQ_MOBIKE_RR);	/* after its response */
	run_one();				/* UPDATE response, A moves */
	assert_int_equal(A.moves, 1);
	/* B's check went out; its echo gets spoiled */
	b->cookie2[0] ^= 1;
	run();
	assert_int_equal(b->req_kind, IKE_REQ_NONE);
	assert_int_equal(B.moves, 0);
	/* again, intact */
	b->tasks |= IKE_TASK_MOBIKE_RR;
	ike_sa_kick(b);
	run();
	assert_int_equal(B.moves, 1);
	assert_string_equal(astr(&B.moved_from), "192.0.2.1:500");
}

/* A NAT appears with the move: NAT-D of the UPDATE exchange tells both,
 * the Child SAs get ESP-in-UDP, and A starts its keepalives. */
static void test_mobike_nat_after_move(void **state)
{
	static const char *const a_new[] = { "10.9.0.2" };
	struct ike_sa *a, *b;

	mobike_establish(a_addrs, 1, b_addrs, 1, &a, &b);
	assert_false(a->nat_local || b->nat_remote);
	set_addr(&down[n_down++], "192.0.2.1");
	set_addrs(&A, a_new, 1);
	nat.on = true;
	set_addr(&nat.addr, "198.51.100.1");
	nat.port[0] = 10500;
	nat.port[1] = 14500;
	ike_ctx_addresses_changed(&A.ctx);
	run();
	assert_int_equal(a->req_kind, IKE_REQ_NONE);
	assert_int_equal(b->req_kind, IKE_REQ_NONE);
	assert_true(a->nat_local && !a->nat_remote);
	assert_true(b->nat_remote && !b->nat_local);
	assert_string_equal(astr(&a->local), "10.9.0.2:4500");
	assert_string_equal(astr(&b->remote), "198.51.100.1:14500");
	assert_int_equal(A.moves, 1);
	assert_int_equal(B.moves, 1);		/* after its return routability check */
	for (int i = 0; i < 21; i++)
		advance(1000);
	assert_int_equal(A.keepalives, 1);
	assert_int_equal(B.keepalives, 0);
}

/* The peer's first address stops answering (DPD): the initiator probes,
 * finds the responder's second address and moves there (multihoming). */
static void test_mobike_dpd_moves_to_second_address(void **state)
{
	static const char *const b2[] = { "192.0.2.2", "192.0.2.22" };
	struct ike_sa *a, *b;

	setup_peers(&gcm_dpd10);
	set_addrs(&A, a_addrs, 1);
	set_addrs(&B, b2, 2);
	establish(&a, &b);
	assert_int_equal(a->n_peer_addrs, 1);
	B.cfg.conns[0].dpd = 0;			/* only A checks */
	set_addr(&down[n_down++], "192.0.2.2");
	for (int i = 0; i < 200 && !A.moves; i++)
		advance(1000);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);
	assert_int_equal(a->n_paths, 2);	/* 192.0.2.2 and 192.0.2.22 probed */
	assert_false(a->probing);
	assert_string_equal(astr(&a->remote), "192.0.2.22:4500");
	assert_string_equal(astr(&b->local), "192.0.2.22:4500");
	assert_int_equal(A.moves, 1);
	assert_int_equal(B.moves, 1);
}

/* The interface goes down (no address, no route: nothing to probe, the
 * IKE SA waits), then comes back with another address: A moves there. */
static void test_mobike_link_down_up(void **state)
{
	static const char *const a_new[] = { "192.0.2.33" };
	struct ike_sa *a, *b;
	unsigned int sent;

	mobike_establish(a_addrs, 1, b_addrs, 1, &a, &b);
	set_addr(&down[n_down++], "192.0.2.1");
	A.n_addrs = 0;
	A.no_route = true;
	sent = A.sent;
	ike_ctx_addresses_changed(&A.ctx);
	assert_false(a->probing);
	assert_int_equal(A.sent, sent);
	advance(5000);
	assert_int_equal(a->state, IKE_SA_ESTABLISHED);

	A.no_route = false;
	set_addrs(&A, a_new, 1);
	ike_ctx_addresses_changed(&A.ctx);
	assert_true(a->probing);
	run();
	assert_int_equal(a->req_kind, IKE_REQ_NONE);
	assert_string_equal(astr(&a->local), "192.0.2.33:4500");
	assert_string_equal(astr(&b->remote), "192.0.2.33:4500");
	assert_int_equal(A.moves, 1);
	assert_int_equal(B.moves, 1);	/* after the return routability check */
	liveness_check(b, a);
}

/*
 * MOBIKE across IKE SA rekeys: after B rekeyed, B initiated the new IKE SA
 * but A still decides moves (the original initiator, as strongSwan's
 * COND_ORIGINAL_INITIATOR); a path found while A's own rekey is in flight
 * goes to the new IKE SA, which moves; the old ones end on their own.
 */
static void test_mobike_across_rekeys(void **state)
{
	static const char *const a44[] = { "192.0.2.44" };
	struct ike_sa *a, *b;

	mobike_establish(a_addrs, 3, b_addrs, 1, &a, &b);
	ike_sa_rekey(b);
	run();
	assert_settled(&a, &b);
	assert_true(b->initiator && !a->initiator);
	assert_true(a->orig_initiator && !b->orig_initiator);
	assert_true(a->mobike && b->mobike);
	assert_int_equal(b->n_peer_addrs, 2);

	set_addr(&down[n_down++], "192.0.2.1");
	set_addrs(&A, a_addrs + 1, 2);
	ike_ctx_addresses_changed(&A.ctx);
	run();
	assert_string_equal(astr(&a->local), "192.0.2.11:4500");
	assert_string_equal(astr(&b->remote), "192.0.2.11:4500");
	assert_int_equal(A.moves, 1);
	assert_int_equal(B.moves, 1);

	/* A rekeys, and its address goes before the request gets out */
	ike_sa_rekey(a);
	set_addr(&down[n_down++], "192.0.2.11");
	set_addrs(&A, a44, 1);
	ike_ctx_addresses_changed(&A.ctx);
	run();
	assert_int_equal(n_live(&A), 2);	/* rekeyed */
	for (int i = 0; i < 300 && (n_live(&A) != 1 || n_live(&B) != 1); i++)
		advance(1000);
	assert_settled(&a, &b);
	assert_string_equal(astr(&a->local), "192.0.2.44:4500");
	assert_string_equal(astr(&b->remote), "192.0.2.44:4500");
	assert_int_equal(A.moves, 2);
	assert_int_equal(B.moves, 2);
	liveness_check(b, a);
}

/* Updates the responder refuses: NO_NATS_ALLOWED that does not match the
 * packet (UNEXPECTED_NAT_DETECTED), another address family
 * (UNACCEPTABLE_ADDRESSES); A stays where it was. And one from the
 * responder, which the initiator ignores. */
static void test_mobike_refused_updates(void **state)
{
	uint8_t buf[256], nna[12] = { 192, 0, 2, 1, 192, 0, 2, 2, 0x11, 0x94, 0x11, 0x94 };
	uint8_t pt[512];
	struct ike_sa *a, *b;
	struct ike_wbuf w;
	struct ike_msg m;

	mobike_establish(a_addrs, 1, b_addrs, 1, &a, &b);
	/* claims 192.0.2.1:4500 -> 192.0.2.2:4500, sent from 192.0.2.1:500 */
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_notify_simple(&w, IKE_N_UPDATE_SA_ADDRESSES, NULL, 0);
	ike_put_notify_simple(&w, IKE_N_NO_NATS_ALLOWED, nna, sizeof(nna));
	ike_put_notify_simple(&w, IKE_N_COOKIE2, a->cookie2, sizeof(a->cookie2));
	a->old_path.local = a->local;
	a->old_path.remote = a->remote;
	assert_int_equal(ike_sa_send_request(a, IKE_REQ_MOBIKE_UPDATE, IKE_INFORMATIONAL, &w), 0);
	run();
	last_decrypted(&B, &b->sk_r, &m, pt, sizeof(pt));
	assert_true(ike_msg_notify(&m, IKE_N_UNEXPECTED_NAT_DETECTED, NULL));
	assert_int_equal(B.moves + A.moves, 0);
	assert_string_equal(astr(&a->local), "192.0.2.1:500");

	/* matching: taken */
	nna[9] = 0xf4, nna[8] = 0x01, nna[11] = 0xf4, nna[10] = 0x01;	/* 500, 500 */
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_notify_simple(&w, IKE_N_UPDATE_SA_ADDRESSES, NULL, 0);
	ike_put_notify_simple(&w, IKE_N_NO_NATS_ALLOWED, nna, sizeof(nna));
	ike_put_notify_simple(&w, IKE_N_COOKIE2, a->cookie2, sizeof(a->cookie2));
	assert_int_equal(ike_sa_send_request(a, IKE_REQ_MOBIKE_UPDATE, IKE_INFORMATIONAL, &w), 0);
	run();
	last_decrypted(&B, &b->sk_r, &m, pt, sizeof(pt));
	assert_false(ike_msg_notify(&m, IKE_N_UNEXPECTED_NAT_DETECTED, NULL));
	assert_true(ike_msg_notify(&m, IKE_N_COOKIE2, NULL));

	/* from another address family: UNACCEPTABLE_ADDRESSES, A goes back */
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_notify_simple(&w, IKE_N_UPDATE_SA_ADDRESSES, NULL, 0);
	ike_put_notify_simple(&w, IKE_N_COOKIE2, a->cookie2, sizeof(a->cookie2));
	a->old_path.local = a->local;
	a->old_path.remote = a->remote;
	set_addr(&a->local, "2001:db8::1");
	assert_int_equal(ike_sa_send_request(a, IKE_REQ_MOBIKE_UPDATE, IKE_INFORMATIONAL, &w), 0);
	run();
	last_decrypted(&B, &b->sk_r, &m, pt, sizeof(pt));
	assert_true(ike_msg_notify(&m, IKE_N_UNACCEPTABLE_ADDRESSES, NULL));
	assert_string_equal(astr(&a->local), "192.0.2.1:500");
	assert_string_equal(astr(&b->remote), "192.0.2.1:500");
	assert_int_equal(B.moves + A.moves, 0);

	/* only the initiator moves the IKE SA (§3.3): B's UPDATE is ignored */
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_notify_simple(&w, IKE_N_UPDATE_SA_ADDRESSES, NULL, 0);
	assert_int_equal(ike_sa_send_request(b, IKE_REQ_DPD, IKE_INFORMATIONAL, &w), 0);
	set_addr(&queue[(q_tail - 1) % 64].from, "192.0.2.77");
	run();
	assert_int_equal(b->req_kind, IKE_REQ_NONE);
	assert_string_equal(astr(&a->remote), "192.0.2.2:500");
	assert_int_equal(B.moves + A.moves, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auth_psk_vector),
		cmocka_unit_test(test_retransmit_timeouts),
		cmocka_unit_test_teardown(test_cookie_compute, teardown),
		cmocka_unit_test_teardown(test_establish_gcm_x25519, teardown),
		cmocka_unit_test_teardown(test_vip_assigned_and_released, teardown),
		cmocka_unit_test_teardown(test_vip_initial_contact, teardown),
		cmocka_unit_test_teardown(test_vip_pool_exhausted, teardown),
		cmocka_unit_test_teardown(test_establish_cbc_modp2048_transport, teardown),
		cmocka_unit_test_teardown(test_transport_refused_is_tunnel, teardown),
		cmocka_unit_test_teardown(test_invalid_ke, teardown),
		cmocka_unit_test_teardown(test_invalid_ke_unknown_group, teardown),
		cmocka_unit_test_teardown(test_invalid_ke_group_none, teardown),
		cmocka_unit_test_teardown(test_no_proposal, teardown),
		cmocka_unit_test_teardown(test_cookie, teardown),
		cmocka_unit_test_teardown(test_retransmit_reply_cache, teardown),
		cmocka_unit_test_teardown(test_forged_retransmission, teardown),
		cmocka_unit_test_teardown(test_lost_auth_response, teardown),
		cmocka_unit_test_teardown(test_window_drops_future_request, teardown),
		cmocka_unit_test_teardown(test_delete_ike_from_initiator, teardown),
		cmocka_unit_test_teardown(test_delete_child_from_responder, teardown),
		cmocka_unit_test_teardown(test_kernel_install_failure, teardown),
		cmocka_unit_test_teardown(test_dpd_dead_peer, teardown),
		cmocka_unit_test_teardown(test_nat_traversal, teardown),
		cmocka_unit_test_teardown(test_unsupported_critical, teardown),
		cmocka_unit_test_teardown(test_wrong_psk, teardown),
		cmocka_unit_test_teardown(test_cert_rsa_ecdsa, cert_teardown),
		cmocka_unit_test_teardown(test_cert_default_no_frag, cert_teardown),
		cmocka_unit_test_teardown(test_cert_pss_p384, cert_teardown),
		cmocka_unit_test_teardown(test_cert_untrusted_ca, cert_teardown),
		cmocka_unit_test_teardown(test_cert_initiator_refuses, cert_teardown),
		cmocka_unit_test_teardown(test_cert_wrong_identity, cert_teardown),
		cmocka_unit_test_teardown(test_cert_identity_not_in_cert, cert_teardown),
		cmocka_unit_test_teardown(test_cert_psk_mismatch, cert_teardown),
		cmocka_unit_test_teardown(test_cert_hostile_auth, cert_teardown),
		cmocka_unit_test_teardown(test_informational_before_auth, teardown),
		cmocka_unit_test_teardown(test_create_child_rekey, teardown),
		cmocka_unit_test_teardown(test_frag_psk, teardown),
		cmocka_unit_test_teardown(test_frag_lost, teardown),
		cmocka_unit_test_teardown(test_frag_off, teardown),
		cmocka_unit_test_teardown(test_frag_hostile, teardown),
		cmocka_unit_test_teardown(test_rekey_child, teardown),
		cmocka_unit_test_teardown(test_rekey_child_pfs, teardown),
		cmocka_unit_test_teardown(test_rekey_child_pfs_refused, teardown),
		cmocka_unit_test_teardown(test_rekey_ike, teardown),
		cmocka_unit_test_teardown(test_rekey_timers, teardown),
		cmocka_unit_test_teardown(test_rekey_child_collision, teardown),
		cmocka_unit_test_teardown(test_rekey_ike_collision, teardown),
		cmocka_unit_test_teardown(test_rekey_crossing, teardown),
		cmocka_unit_test_teardown(test_rekey_child_widened, teardown),
		cmocka_unit_test(test_mobike_notify_encoding),
		cmocka_unit_test_teardown(test_mobike_negotiated, teardown),
		cmocka_unit_test_teardown(test_mobike_off, teardown),
		cmocka_unit_test_teardown(test_mobike_move, teardown),
		cmocka_unit_test_teardown(test_mobike_refuses_replay_and_forgery, teardown),
		cmocka_unit_test_teardown(test_mobike_return_routability, teardown),
		cmocka_unit_test_teardown(test_mobike_nat_after_move, teardown),
		cmocka_unit_test_teardown(test_mobike_dpd_moves_to_second_address, teardown),
		cmocka_unit_test_teardown(test_mobike_refused_updates, teardown),
		cmocka_unit_test_teardown(test_mobike_link_down_up, teardown),
		cmocka_unit_test_teardown(test_mobike_across_rekeys, teardown),
	};

	log_init(getenv("TEST_LOG") ? LOG_LVL_DEBUG : -1, false);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
