// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: a whole IKEv2 message through every typed payload
 * parser, re-encoded with the typed writers (header included), parsed
 * again and compared field by field. The SK body is treated as an already
 * decrypted inner chain (ID, CERT, CERTREQ, AUTH, CP, EAP normally live
 * there) and goes through the same round trip as a headerless chain.
 *
 * ikev2d's own fuzz/fuzz_ike_msg.c round-trips SA, TS, KE, NOTIFY and
 * DELETE one payload at a time; this target adds the other parsers and the
 * message as a whole.
 */
#include <stdlib.h>
#include <string.h>
#include "ike_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* One payload decoded by its typed parser. */
struct typed {
	uint8_t type;
	union {
		struct ike_sa_payload sa;
		struct ike_ke ke;
		struct ike_id id;
		struct ike_cert cert;
		struct ike_auth auth;
		struct ike_buf buf;	/* NONCE, EAP, VENDOR, SK */
		struct ike_notify n;
		struct ike_delete d;
		struct ike_ts_payload ts;
		struct ike_cp cp;
		struct ike_skf skf;
	} u;
};

static bool buf_eq(struct ike_buf a, struct ike_buf b)
{
	return a.len == b.len && (!a.len || !memcmp(a.ptr, b.ptr, a.len));
}

static int decode(const struct ike_payload *pl, struct typed *t)
{
	memset(t, 0, sizeof(*t));
	t->type = pl->type;
	switch (pl->type) {
	case IKE_PL_SA: return ike_parse_sa(pl->body, &t->u.sa);
	case IKE_PL_KE: return ike_parse_ke(pl->body, &t->u.ke);
	case IKE_PL_IDI:
	case IKE_PL_IDR: return ike_parse_id(pl->body, &t->u.id);
	case IKE_PL_CERT: return ike_parse_cert(pl->body, &t->u.cert);
	case IKE_PL_CERTREQ: return ike_parse_certreq(pl->body, &t->u.cert);
	case IKE_PL_AUTH: return ike_parse_auth(pl->body, &t->u.auth);
	case IKE_PL_NONCE: return ike_parse_nonce(pl->body, &t->u.buf);
	case IKE_PL_NOTIFY: return ike_parse_notify(pl->body, &t->u.n);
	case IKE_PL_DELETE: return ike_parse_delete(pl->body, &t->u.d);
	case IKE_PL_TSI:
	case IKE_PL_TSR: return ike_parse_ts(pl->body, &t->u.ts);
	case IKE_PL_CP: return ike_parse_cp(pl->body, &t->u.cp);
	case IKE_PL_EAP: return ike_parse_eap(pl->body, &t->u.buf);
	case IKE_PL_SKF: return ike_parse_skf(pl->body, &t->u.skf);
	default: t->u.buf = pl->body; return IKE_OK;
	}
}

static void encode(struct ike_wbuf *w, const struct typed *t, uint8_t sk_first)
{
	switch (t->type) {
	case IKE_PL_SA: ike_put_sa(w, &t->u.sa); break;
	case IKE_PL_KE: ike_put_ke(w, &t->u.ke); break;
	case IKE_PL_IDI:
	case IKE_PL_IDR: ike_put_id(w, t->type, &t->u.id); break;
	case IKE_PL_CERT:
	case IKE_PL_CERTREQ: ike_put_cert(w, t->type, &t->u.cert); break;
	case IKE_PL_AUTH: ike_put_auth(w, &t->u.auth); break;
	case IKE_PL_NONCE: ike_put_nonce(w, t->u.buf); break;
	case IKE_PL_NOTIFY: ike_put_notify(w, &t->u.n); break;
	case IKE_PL_DELETE: ike_put_delete(w, &t->u.d); break;
	case IKE_PL_VENDOR: ike_put_vendor(w, t->u.buf); break;
	case IKE_PL_TSI:
	case IKE_PL_TSR: ike_put_ts(w, t->type, &t->u.ts); break;
	case IKE_PL_CP: ike_put_cp(w, &t->u.cp); break;
	case IKE_PL_EAP: ike_put_eap(w, t->u.buf); break;
	case IKE_PL_SK: ike_put_sk(w, sk_first, t->u.buf); break;
	case IKE_PL_SKF:
		ike_put_skf(w, sk_first, t->u.skf.num, t->u.skf.total, t->u.skf.enc);
		break;
	default: abort();	/* the message parser keeps only known types */
	}
}

/* Unknown transform attributes are dropped by the encoder, and the last
 * Key Length attribute wins: compare what the daemon acts on. */
static bool sa_eq(const struct ike_sa_payload *a, const struct ike_sa_payload *b)
{
	if (a->n != b->n)
		return false;
	for (unsigned int i = 0; i < a->n; i++) {
		const struct ike_proposal *p = &a->prop[i], *q = &b->prop[i];

		if (p->num != q->num || p->protocol != q->protocol ||
		    p->spi_size != q->spi_size || memcmp(p->spi, q->spi, sizeof(p->spi)) ||
		    p->n != q->n)
			return false;
		for (unsigned int j = 0; j < p->n; j++)
			if (p->xf[j].type != q->xf[j].type || p->xf[j].id != q->xf[j].id ||
			    p->xf[j].key_len != q->xf[j].key_len)
				return false;
	}
	return true;
}

static bool cp_eq(const struct ike_cp *a, const struct ike_cp *b)
{
	if (a->type != b->type || a->n != b->n)
		return false;
	for (unsigned int i = 0; i < a->n; i++)
		if (a->attr[i].type != b->attr[i].type ||
		    !buf_eq(a->attr[i].value, b->attr[i].value))
			return false;
	return true;
}

static bool typed_eq(const struct typed *a, const struct typed *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case IKE_PL_SA: return sa_eq(&a->u.sa, &b->u.sa);
	case IKE_PL_KE: return a->u.ke.group == b->u.ke.group && buf_eq(a->u.ke.data, b->u.ke.data);
	case IKE_PL_IDI:
	case IKE_PL_IDR: return a->u.id.type == b->u.id.type && buf_eq(a->u.id.data, b->u.id.data);
	case IKE_PL_CERT:
	case IKE_PL_CERTREQ:
		return a->u.cert.encoding == b->u.cert.encoding &&
		       buf_eq(a->u.cert.data, b->u.cert.data);
	case IKE_PL_AUTH:
		return a->u.auth.method == b->u.auth.method && buf_eq(a->u.auth.data, b->u.auth.data);
	case IKE_PL_NOTIFY:
		return a->u.n.protocol == b->u.n.protocol && a->u.n.spi_size == b->u.n.spi_size &&
		       a->u.n.type == b->u.n.type && buf_eq(a->u.n.spi, b->u.n.spi) &&
		       buf_eq(a->u.n.data, b->u.n.data);
	case IKE_PL_DELETE:
		return a->u.d.protocol == b->u.d.protocol && a->u.d.spi_size == b->u.d.spi_size &&
		       a->u.d.n_spi == b->u.d.n_spi && buf_eq(a->u.d.spis, b->u.d.spis);
	case IKE_PL_TSI:
	case IKE_PL_TSR:
		return a->u.ts.n == b->u.ts.n &&
		       !memcmp(a->u.ts.ts, b->u.ts.ts, a->u.ts.n * sizeof(a->u.ts.ts[0]));
	case IKE_PL_CP: return cp_eq(&a->u.cp, &b->u.cp);
	case IKE_PL_SKF:
		return a->u.skf.num == b->u.skf.num && a->u.skf.total == b->u.skf.total &&
		       buf_eq(a->u.skf.enc, b->u.skf.enc);
	default: return buf_eq(a->u.buf, b->u.buf);
	}
}

/* Decodes every payload of m (each must decode: the message parser already
 * validated it), encodes them into w and checks that the result parses
 * back to the same payloads. */
static void roundtrip(const struct ike_msg *m, struct ike_wbuf *w, uint8_t *out)
{
	static struct typed before[IKE_MAX_PAYLOADS], after;
	static struct ike_msg m2;
	uint8_t sk_first = 0;
	int len;

	for (unsigned int i = 0; i < m->n; i++) {
		CHECK(decode(&m->pl[i], &before[i]) == IKE_OK);
		if (m->pl[i].type == IKE_PL_SK || m->pl[i].type == IKE_PL_SKF)
			sk_first = m->pl[i].sk_first;
		encode(w, &before[i], sk_first);
	}
	len = ike_wbuf_finish(w);
	if (len == IKE_ERR_NOSPACE)	/* e.g. a TS payload of 16 IPv6 selectors */
		return;
	CHECK(len >= 0);
	if (w->has_hdr) {
		CHECK(ike_msg_parse(out, len, &m2) == IKE_OK);
		CHECK(!memcmp(m2.hdr.spi_i, m->hdr.spi_i, 8) && !memcmp(m2.hdr.spi_r, m->hdr.spi_r, 8));
		CHECK(m2.hdr.version == m->hdr.version && m2.hdr.exchange == m->hdr.exchange &&
		      m2.hdr.flags == m->hdr.flags && m2.hdr.msg_id == m->hdr.msg_id &&
		      m2.hdr.length == (uint32_t)len);
	} else {
		memset(&m2, 0, sizeof(m2));
		CHECK(ike_payloads_parse(m->n ? w->first : IKE_PL_NONE, out, len, &m2) == IKE_OK);
	}
	CHECK(m2.n == m->n);
	for (unsigned int i = 0; i < m->n; i++) {
		CHECK(decode(&m2.pl[i], &after) == IKE_OK);
		CHECK(typed_eq(&before[i], &after));
		if (m->pl[i].type == IKE_PL_SK)
			CHECK(m2.pl[i].sk_first == m->pl[i].sk_first && m2.pl[i].critical);
		/* RFC 7383 §2.5: only fragment 1 names the inner chain */
		if (m->pl[i].type == IKE_PL_SKF)
			CHECK(m2.pl[i].sk_first ==
			      (before[i].u.skf.num == 1 ? m->pl[i].sk_first : IKE_PL_NONE));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[2 * 65536 + 64];
	static struct ike_msg m, inner;
	const struct ike_payload *sk;
	struct ike_wbuf w;
	int err;

	err = ike_msg_parse(data, size, &m);
	CHECK(ike_strerror(err) != NULL);
	if (err) {
		ike_err_notify(err);
		return 0;
	}
	ike_wbuf_init(&w, out, sizeof(out));
	ike_put_hdr(&w, &m.hdr);
	roundtrip(&m, &w, out);

	sk = ike_msg_find(&m, IKE_PL_SK);
	if (!sk)
		return 0;
	/* As the daemon does it: the decrypted chain is appended to the message
	 * that carried the SK payload, which is how a nested SK is refused. */
	inner = m;
	if (ike_payloads_parse(sk->sk_first, sk->body.ptr, sk->body.len, &inner) != IKE_OK)
		return 0;
	CHECK(inner.n >= m.n);
	inner.n -= m.n;
	memmove(inner.pl, inner.pl + m.n, inner.n * sizeof(inner.pl[0]));
	CHECK(!ike_msg_find(&inner, IKE_PL_SK));
	ike_wbuf_init(&w, out, sizeof(out));
	roundtrip(&inner, &w, out);
	return 0;
}
