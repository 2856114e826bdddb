// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKEv2 message codec, RFC 7296 §3. Every reader checks the bytes it has
 * before it touches them; nothing here allocates.
 */
#include <string.h>
#include "ike_msg.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

size_t ike_ke_group_len(uint16_t group)
{
	switch (group) {
	case IKE_KE_MODP2048: return 256;
	case IKE_KE_MODP3072: return 384;
	case IKE_KE_ECP256: return 64;
	case IKE_KE_ECP384: return 96;
	case IKE_KE_X25519: return 32;
	default: return 0;
	}
}

const char *ike_strerror(int err)
{
	switch (err) {
	case IKE_OK: return "success";
	case IKE_ERR_TRUNCATED: return "message truncated";
	case IKE_ERR_SYNTAX: return "invalid syntax";
	case IKE_ERR_VERSION: return "unsupported major version";
	case IKE_ERR_UNSUPPORTED_CRITICAL: return "unsupported critical payload";
	case IKE_ERR_TOO_MANY: return "too many elements";
	case IKE_ERR_KE_LENGTH: return "KE data length does not match the group";
	case IKE_ERR_NOSPACE: return "buffer too small";
	default: return "unknown error";
	}
}

uint16_t ike_err_notify(int err)
{
	switch (err) {
	case IKE_ERR_VERSION: return IKE_N_INVALID_MAJOR_VERSION;
	case IKE_ERR_UNSUPPORTED_CRITICAL: return IKE_N_UNSUPPORTED_CRITICAL_PAYLOAD;
	case IKE_ERR_TRUNCATED:
	case IKE_ERR_SYNTAX:
	case IKE_ERR_TOO_MANY:
	case IKE_ERR_KE_LENGTH: return IKE_N_INVALID_SYNTAX;
	default: return 0;
	}
}

static bool known_payload(uint8_t type)
{
	return (type >= IKE_PL_SA && type <= IKE_PL_EAP) || type == IKE_PL_SKF;
}

/* Parse one known body into a scratch struct: rejects malformed bodies
 * at message level so that later users only meet well-formed ones. */
static int validate_body(uint8_t type, struct ike_buf body)
{
	union {
		struct ike_sa_payload sa;
		struct ike_ke ke;
		struct ike_id id;
		struct ike_cert cert;
		struct ike_auth auth;
		struct ike_buf buf;
		struct ike_notify n;
		struct ike_delete d;
		struct ike_ts_payload ts;
		struct ike_cp cp;
		struct ike_skf skf;
	} u;

	switch (type) {
	case IKE_PL_SA: return ike_parse_sa(body, &u.sa);
	case IKE_PL_KE: return ike_parse_ke(body, &u.ke);
	case IKE_PL_IDI:
	case IKE_PL_IDR: return ike_parse_id(body, &u.id);
	case IKE_PL_CERT: return ike_parse_cert(body, &u.cert);
	case IKE_PL_CERTREQ: return ike_parse_certreq(body, &u.cert);
	case IKE_PL_AUTH: return ike_parse_auth(body, &u.auth);
	case IKE_PL_NONCE: return ike_parse_nonce(body, &u.buf);
	case IKE_PL_NOTIFY: return ike_parse_notify(body, &u.n);
	case IKE_PL_DELETE: return ike_parse_delete(body, &u.d);
	case IKE_PL_TSI:
	case IKE_PL_TSR: return ike_parse_ts(body, &u.ts);
	case IKE_PL_CP: return ike_parse_cp(body, &u.cp);
	case IKE_PL_EAP: return ike_parse_eap(body, &u.buf);
	case IKE_PL_SKF: return ike_parse_skf(body, &u.skf);
	default: return IKE_OK;	/* Vendor ID, SK: opaque */
	}
}

int ike_hdr_parse(const uint8_t *buf, size_t len, struct ike_hdr *h)
{
	if (len < IKE_HDR_LEN)
		return IKE_ERR_TRUNCATED;
	memcpy(h->spi_i, buf, 8);
	memcpy(h->spi_r, buf + 8, 8);
	h->next_payload = buf[16];
	h->version = buf[17];
	h->exchange = buf[18];
	h->flags = buf[19];
	h->msg_id = get32(buf + 20);
	h->length = get32(buf + 24);
	if (h->version >> 4 != 2)
		return IKE_ERR_VERSION;
	if (h->length < IKE_HDR_LEN)
		return IKE_ERR_SYNTAX;
	if (h->length > len)
		return IKE_ERR_TRUNCATED;
	if (h->length != len)
		return IKE_ERR_SYNTAX;
	return IKE_OK;
}

int ike_payloads_parse(uint8_t first, const uint8_t *buf, size_t len,
		       struct ike_msg *m)
{
	uint8_t type = first;
	size_t off = 0;

	while (type != IKE_PL_NONE) {
		uint16_t plen;
		uint8_t next;
		bool critical;
		int err;

		if (len - off < IKE_GENERIC_HDR_LEN)
			return IKE_ERR_TRUNCATED;
		next = buf[off];
		critical = buf[off + 1] & 0x80;
		plen = get16(buf + off + 2);
		if (plen < IKE_GENERIC_HDR_LEN)
			return IKE_ERR_SYNTAX;
		if (plen > len - off)
			return IKE_ERR_TRUNCATED;

		struct ike_buf body = IKE_BUF(buf + off + IKE_GENERIC_HDR_LEN,
					      plen - IKE_GENERIC_HDR_LEN);
		off += plen;

		if (!known_payload(type)) {
			if (critical) {
				m->unsupported_critical = type;
				return IKE_ERR_UNSUPPORTED_CRITICAL;
			}
			type = next;	/* RFC 7296 §2.5: skip it */
			continue;
		}
		err = validate_body(type, body);
		if (err)
			return err;
		if (m->n >= IKE_MAX_PAYLOADS)
			return IKE_ERR_TOO_MANY;
		m->pl[m->n] = (struct ike_payload){
			.type = type, .critical = critical, .body = body,
		};
		if (type == IKE_PL_SK || type == IKE_PL_SKF) {
			/* no SK or SKF inside SK or SKF, never both */
			if (ike_msg_find(m, IKE_PL_SK) || ike_msg_find(m, IKE_PL_SKF))
				return IKE_ERR_SYNTAX;
			/* §3.14, RFC 7383 §2.5: SK/SKF is last; its next-payload
			 * names the inner chain (SKF: in fragment 1 only) */
			m->pl[m->n++].sk_first = next;
			return off == len ? IKE_OK : IKE_ERR_SYNTAX;
		}
		m->n++;
		type = next;
	}
	return off == len ? IKE_OK : IKE_ERR_SYNTAX;
}

int ike_msg_parse(const uint8_t *buf, size_t len, struct ike_msg *m)
{
	int err;

	memset(m, 0, sizeof(*m));
	err = ike_hdr_parse(buf, len, &m->hdr);
	if (err)
		return err;
	return ike_payloads_parse(m->hdr.next_payload, buf + IKE_HDR_LEN,
				  len - IKE_HDR_LEN, m);
}

const struct ike_payload *ike_msg_find(const struct ike_msg *m, uint8_t type)
{
	for (unsigned int i = 0; i < m->n; i++)
		if (m->pl[i].type == type)
			return &m->pl[i];
	return NULL;
}

/* §3.3.5 transform attributes: only Key Length is defined for IKEv2. */
static int parse_attrs(const uint8_t *p, size_t len, struct ike_transform *t)
{
	size_t off = 0;

	while (off < len) {
		uint16_t type, alen;

		if (len - off < 4)
			return IKE_ERR_SYNTAX;
		type = get16(p + off);
		if (type & 0x8000) {	/* TV format */
			if ((type & 0x7fff) == IKE_ATTR_KEY_LENGTH)
				t->key_len = get16(p + off + 2);
			else
				t->unknown_attr = true;
			off += 4;
			continue;
		}
		alen = get16(p + off + 2);
		if (alen > len - off - 4)
			return IKE_ERR_SYNTAX;
		t->unknown_attr = true;	/* no TLV attribute is defined */
		off += 4 + (size_t)alen;
	}
	return IKE_OK;
}

static int parse_transforms(const uint8_t *p, size_t len, unsigned int count,
			    struct ike_proposal *prop)
{
	size_t off = 0;

	for (unsigned int i = 0; i < count; i++) {
		struct ike_transform *t;
		uint16_t tlen;
		int err;

		if (len - off < 8)
			return IKE_ERR_SYNTAX;
		if (p[off] != (i + 1 == count ? 0 : 3))
			return IKE_ERR_SYNTAX;
		tlen = get16(p + off + 2);
		if (tlen < 8 || tlen > len - off)
			return IKE_ERR_SYNTAX;
		if (prop->n >= IKE_MAX_TRANSFORMS)
			return IKE_ERR_TOO_MANY;
		t = &prop->xf[prop->n++];
		*t = (struct ike_transform){ .type = p[off + 4], .id = get16(p + off + 6) };
		err = parse_attrs(p + off + 8, tlen - 8, t);
		if (err)
			return err;
		off += tlen;
	}
	return off == len ? IKE_OK : IKE_ERR_SYNTAX;
}

int ike_parse_sa(struct ike_buf body, struct ike_sa_payload *sa)
{
	const uint8_t *p = body.ptr;
	size_t off = 0;
	bool last = false;

	sa->n = 0;
	if (!body.len)
		return IKE_ERR_SYNTAX;
	while (off < body.len) {
		struct ike_proposal *prop;
		uint16_t plen;
		uint8_t spi_size;
		int err;

		if (last || body.len - off < 8)
			return IKE_ERR_SYNTAX;
		if (p[off] != 0 && p[off] != 2)
			return IKE_ERR_SYNTAX;
		last = p[off] == 0;
		plen = get16(p + off + 2);
		spi_size = p[off + 6];
		if (plen < 8 + spi_size || plen > body.len - off)
			return IKE_ERR_SYNTAX;
		if (sa->n >= IKE_MAX_PROPOSALS)
			return IKE_ERR_TOO_MANY;
		prop = &sa->prop[sa->n];
		prop->num = p[off + 4];
		prop->protocol = p[off + 5];
		prop->spi_size = spi_size;
		prop->n = 0;
		/* §3.3.1: numbered from one, each one more than the last. A
		 * repeated number (IKEv1's AND of protocols) would make the
		 * number a responder echoes ambiguous. */
		if (prop->num != sa->n + 1)
			return IKE_ERR_SYNTAX;
		switch (prop->protocol) {
		case IKE_PROTO_IKE:
			if (spi_size != 0 && spi_size != 8)
				return IKE_ERR_SYNTAX;
			break;
		case IKE_PROTO_AH:
		case IKE_PROTO_ESP:
			if (spi_size != 4)
				return IKE_ERR_SYNTAX;
			break;
		default:
			return IKE_ERR_SYNTAX;
		}
		memset(prop->spi, 0, sizeof(prop->spi));
		memcpy(prop->spi, p + off + 8, spi_size);
		if (p[off + 7] == 0)
			return IKE_ERR_SYNTAX;
		err = parse_transforms(p + off + 8 + spi_size, plen - 8 - spi_size,
				       p[off + 7], prop);
		if (err)
			return err;
		sa->n++;
		off += plen;
	}
	return last ? IKE_OK : IKE_ERR_SYNTAX;
}

int ike_parse_ke(struct ike_buf body, struct ike_ke *ke)
{
	size_t want;

	if (body.len < 4)
		return IKE_ERR_SYNTAX;
	ke->group = get16(body.ptr);
	ke->data = IKE_BUF(body.ptr + 4, body.len - 4);
	want = ike_ke_group_len(ke->group);
	if (want && ke->data.len != want)
		return IKE_ERR_KE_LENGTH;
	if (!ke->data.len)
		return IKE_ERR_SYNTAX;
	return IKE_OK;
}

/* ID, CERT, CERTREQ and AUTH: a type octet, fixed bytes, then data. */
static int split_typed(struct ike_buf body, size_t fixed, size_t min_data,
		       uint8_t *type, struct ike_buf *data)
{
	if (body.len < fixed + min_data)
		return IKE_ERR_SYNTAX;
	*type = body.ptr[0];
	*data = IKE_BUF(body.ptr + fixed, body.len - fixed);
	return IKE_OK;
}

int ike_parse_id(struct ike_buf body, struct ike_id *id)
{
	if (split_typed(body, 4, 1, &id->type, &id->data))
		return IKE_ERR_SYNTAX;
	if (id->type == IKE_ID_IPV4_ADDR && id->data.len != 4)
		return IKE_ERR_SYNTAX;
	if (id->type == IKE_ID_IPV6_ADDR && id->data.len != 16)
		return IKE_ERR_SYNTAX;
	return IKE_OK;
}

int ike_parse_cert(struct ike_buf body, struct ike_cert *cert)
{
	return split_typed(body, 1, 1, &cert->encoding, &cert->data);
}

int ike_parse_certreq(struct ike_buf body, struct ike_cert *cert)
{
	if (split_typed(body, 1, 0, &cert->encoding, &cert->data))
		return IKE_ERR_SYNTAX;
	/* §3.7: X.509 CA is a list of 20-byte SHA-1 key hashes */
	if (cert->encoding == IKE_CERT_X509_SIG && cert->data.len % 20)
		return IKE_ERR_SYNTAX;
	return IKE_OK;
}

int ike_parse_auth(struct ike_buf body, struct ike_auth *auth)
{
	return split_typed(body, 4, 1, &auth->method, &auth->data);
}

int ike_parse_nonce(struct ike_buf body, struct ike_buf *nonce)
{
	if (body.len < IKE_NONCE_MIN || body.len > IKE_NONCE_MAX)
		return IKE_ERR_SYNTAX;
	*nonce = body;
	return IKE_OK;
}

int ike_parse_notify(struct ike_buf body, struct ike_notify *n)
{
	if (body.len < 4)
		return IKE_ERR_SYNTAX;
	n->protocol = body.ptr[0];
	n->spi_size = body.ptr[1];
	n->type = get16(body.ptr + 2);
	if (n->spi_size > body.len - 4)
		return IKE_ERR_SYNTAX;
	n->spi = IKE_BUF(body.ptr + 4, n->spi_size);
	n->data = IKE_BUF(body.ptr + 4 + n->spi_size, body.len - 4 - n->spi_size);
	return IKE_OK;
}

int ike_parse_delete(struct ike_buf body, struct ike_delete *d)
{
	if (body.len < 4)
		return IKE_ERR_SYNTAX;
	d->protocol = body.ptr[0];
	d->spi_size = body.ptr[1];
	d->n_spi = get16(body.ptr + 2);
	d->spis = IKE_BUF(body.ptr + 4, body.len - 4);
	switch (d->protocol) {
	case IKE_PROTO_IKE:
		if (d->spi_size != 0 || d->n_spi != 0)
			return IKE_ERR_SYNTAX;
		break;
	case IKE_PROTO_AH:
	case IKE_PROTO_ESP:
		if (d->spi_size != 4 || d->n_spi == 0)
			return IKE_ERR_SYNTAX;
		break;
	default:
		return IKE_ERR_SYNTAX;
	}
	if ((size_t)d->n_spi * d->spi_size != d->spis.len)
		return IKE_ERR_SYNTAX;
	return IKE_OK;
}

int ike_parse_ts(struct ike_buf body, struct ike_ts_payload *tsp)
{
	const uint8_t *p = body.ptr;
	unsigned int count;
	size_t off = 4;

	tsp->n = 0;
	if (body.len < 4)
		return IKE_ERR_SYNTAX;
	count = p[0];
	if (!count)
		return IKE_ERR_SYNTAX;
	if (count > IKE_MAX_TS)
		return IKE_ERR_TOO_MANY;
	for (unsigned int i = 0; i < count; i++) {
		struct ike_ts *ts = &tsp->ts[i];
		size_t alen, slen;

		if (body.len - off < 4)
			return IKE_ERR_SYNTAX;
		memset(ts, 0, sizeof(*ts));
		ts->type = p[off];
		ts->ip_proto = p[off + 1];
		slen = get16(p + off + 2);
		switch (ts->type) {
		case IKE_TS_IPV4_ADDR_RANGE: alen = 4; break;
		case IKE_TS_IPV6_ADDR_RANGE: alen = 16; break;
		default: return IKE_ERR_SYNTAX;
		}
		if (slen != 8 + 2 * alen || slen > body.len - off)
			return IKE_ERR_SYNTAX;
		ts->start_port = get16(p + off + 4);
		ts->end_port = get16(p + off + 6);
		memcpy(ts->start, p + off + 8, alen);
		memcpy(ts->end, p + off + 8 + alen, alen);
		off += slen;
		tsp->n++;
	}
	return off == body.len ? IKE_OK : IKE_ERR_SYNTAX;
}

int ike_parse_cp(struct ike_buf body, struct ike_cp *cp)
{
	size_t off = 4;

	cp->n = 0;
	if (body.len < 4)
		return IKE_ERR_SYNTAX;
	cp->type = body.ptr[0];
	while (off < body.len) {
		uint16_t alen;

		if (body.len - off < 4)
			return IKE_ERR_SYNTAX;
		alen = get16(body.ptr + off + 2);
		if (alen > body.len - off - 4)
			return IKE_ERR_SYNTAX;
		if (cp->n >= IKE_MAX_CP_ATTRS)
			return IKE_ERR_TOO_MANY;
		cp->attr[cp->n].type = get16(body.ptr + off) & 0x7fff;
		cp->attr[cp->n].value = IKE_BUF(body.ptr + off + 4, alen);
		cp->n++;
		off += 4 + (size_t)alen;
	}
	return IKE_OK;
}

int ike_parse_skf(struct ike_buf body, struct ike_skf *skf)
{
	if (body.len < 4)
		return IKE_ERR_TRUNCATED;
	skf->num = get16(body.ptr);
	skf->total = get16(body.ptr + 2);
	skf->enc = IKE_BUF(body.ptr + 4, body.len - 4);
	/* RFC 7383 §2.5: numbered from 1, never beyond Total Fragments */
	if (!skf->num || !skf->total || skf->num > skf->total)
		return IKE_ERR_SYNTAX;
	return IKE_OK;
}

int ike_parse_eap(struct ike_buf body, struct ike_buf *eap)
{
	/* RFC 3748 §4: code, identifier, length (covering the whole packet) */
	if (body.len < 4 || get16(body.ptr + 2) != body.len)
		return IKE_ERR_SYNTAX;
	*eap = body;
	return IKE_OK;
}

/* ---- encoding ---- */

#define NP_FIRST SIZE_MAX	/* no payload yet: record the type in w->first */
#define NP_CLOSED (SIZE_MAX - 1)	/* SK written: the chain is closed */

void ike_wbuf_init(struct ike_wbuf *w, uint8_t *buf, size_t cap)
{
	*w = (struct ike_wbuf){ .p = buf, .cap = cap, .np_off = NP_FIRST };
}

static uint8_t *reserve(struct ike_wbuf *w, size_t n)
{
	uint8_t *p;

	if (w->overflow || n > w->cap - w->len) {
		w->overflow = true;
		return NULL;
	}
	p = w->p + w->len;
	w->len += n;
	return p;
}

static void put_bytes(struct ike_wbuf *w, const void *src, size_t n)
{
	uint8_t *p = reserve(w, n);

	if (p && n)
		memcpy(p, src, n);
}

static void put8(struct ike_wbuf *w, uint8_t v)
{
	put_bytes(w, &v, 1);
}

static void set16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put16(struct ike_wbuf *w, uint16_t v)
{
	uint8_t b[2];

	set16(b, v);
	put_bytes(w, b, 2);
}

static void put32(struct ike_wbuf *w, uint32_t v)
{
	uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

	put_bytes(w, b, 4);
}

static void put_zero(struct ike_wbuf *w, size_t n)
{
	uint8_t *p = reserve(w, n);

	if (p)
		memset(p, 0, n);
}

/* Backpatch a 16-bit length over [start, w->len). */
static void end_len16(struct ike_wbuf *w, size_t len_off, size_t start)
{
	if (w->overflow)
		return;
	if (w->len - start > 0xffff) {
		w->overflow = true;
		return;
	}
	set16(w->p + len_off, w->len - start);
}

void ike_put_hdr(struct ike_wbuf *w, const struct ike_hdr *h)
{
	put_bytes(w, h->spi_i, 8);
	put_bytes(w, h->spi_r, 8);
	w->np_off = w->len;
	put8(w, IKE_PL_NONE);
	put8(w, h->version ? h->version : 0x20);
	put8(w, h->exchange);
	put8(w, h->flags);
	put32(w, h->msg_id);
	put32(w, 0);	/* length, set by ike_wbuf_finish() */
	w->has_hdr = true;
}

int ike_wbuf_finish(struct ike_wbuf *w)
{
	if (w->overflow)
		return IKE_ERR_NOSPACE;
	if (w->has_hdr) {
		uint8_t *p = w->p + 24;

		p[0] = w->len >> 24;
		p[1] = w->len >> 16;
		p[2] = w->len >> 8;
		p[3] = w->len;
	}
	return (int)w->len;
}

/* Starts a payload: links it into the chain and writes a generic header
 * whose length is fixed by pl_end(). Returns the payload's offset. */
static size_t pl_begin(struct ike_wbuf *w, uint8_t type, bool critical)
{
	size_t start = w->len;

	if (w->np_off == NP_CLOSED)
		w->overflow = true;	/* a payload after SK */
	if (w->overflow)
		return start;
	if (w->np_off == NP_FIRST)
		w->first = type;
	else
		w->p[w->np_off] = type;
	w->np_off = start;
	put8(w, IKE_PL_NONE);
	put8(w, critical ? 0x80 : 0);
	put16(w, 0);
	return start;
}

static void pl_end(struct ike_wbuf *w, size_t start)
{
	end_len16(w, start + 2, start);
}

static void put_typed_blob(struct ike_wbuf *w, uint8_t pl, uint8_t type,
			   size_t reserved, struct ike_buf data)
{
	size_t s = pl_begin(w, pl, false);

	put8(w, type);
	put_zero(w, reserved);
	put_bytes(w, data.ptr, data.len);
	pl_end(w, s);
}

static void put_transform(struct ike_wbuf *w, const struct ike_transform *t, bool last)
{
	size_t s = w->len;

	put8(w, last ? 0 : 3);
	put8(w, 0);
	put16(w, 0);
	put8(w, t->type);
	put8(w, 0);
	put16(w, t->id);
	if (t->key_len) {
		put16(w, 0x8000 | IKE_ATTR_KEY_LENGTH);
		put16(w, t->key_len);
	}
	end_len16(w, s + 2, s);
}

void ike_put_sa(struct ike_wbuf *w, const struct ike_sa_payload *sa)
{
	size_t s = pl_begin(w, IKE_PL_SA, false);

	for (unsigned int i = 0; i < sa->n; i++) {
		const struct ike_proposal *p = &sa->prop[i];
		size_t ps = w->len;

		put8(w, i + 1 == sa->n ? 0 : 2);
		put8(w, 0);
		put16(w, 0);
		put8(w, p->num);
		put8(w, p->protocol);
		put8(w, p->spi_size);
		put8(w, p->n);
		put_bytes(w, p->spi, p->spi_size <= 8 ? p->spi_size : 8);
		for (unsigned int j = 0; j < p->n; j++)
			put_transform(w, &p->xf[j], j + 1 == p->n);
		end_len16(w, ps + 2, ps);
	}
	pl_end(w, s);
}

void ike_put_ke(struct ike_wbuf *w, const struct ike_ke *ke)
{
	size_t s = pl_begin(w, IKE_PL_KE, false);

	put16(w, ke->group);
	put16(w, 0);
	put_bytes(w, ke->data.ptr, ke->data.len);
	pl_end(w, s);
}

void ike_put_id(struct ike_wbuf *w, uint8_t type, const struct ike_id *id)
{
	put_typed_blob(w, type, id->type, 3, id->data);
}

void ike_put_cert(struct ike_wbuf *w, uint8_t type, const struct ike_cert *c)
{
	put_typed_blob(w, type, c->encoding, 0, c->data);
}

void ike_put_auth(struct ike_wbuf *w, const struct ike_auth *a)
{
	put_typed_blob(w, IKE_PL_AUTH, a->method, 3, a->data);
}

void ike_put_raw(struct ike_wbuf *w, uint8_t type, bool critical, struct ike_buf body)
{
	size_t s = pl_begin(w, type, critical);

	put_bytes(w, body.ptr, body.len);
	pl_end(w, s);
}

void ike_put_nonce(struct ike_wbuf *w, struct ike_buf nonce)
{
	ike_put_raw(w, IKE_PL_NONCE, false, nonce);
}

void ike_put_vendor(struct ike_wbuf *w, struct ike_buf vid)
{
	ike_put_raw(w, IKE_PL_VENDOR, false, vid);
}

void ike_put_eap(struct ike_wbuf *w, struct ike_buf eap)
{
	ike_put_raw(w, IKE_PL_EAP, false, eap);
}

void ike_put_sk(struct ike_wbuf *w, uint8_t first_inner, struct ike_buf blob)
{
	size_t s = pl_begin(w, IKE_PL_SK, true);

	put_bytes(w, blob.ptr, blob.len);
	pl_end(w, s);
	if (!w->overflow)
		w->p[s] = first_inner;
	w->np_off = NP_CLOSED;	/* nothing may follow SK */
}

void ike_put_skf(struct ike_wbuf *w, uint8_t first_inner, uint16_t num, uint16_t total,
		 struct ike_buf blob)
{
	size_t s = pl_begin(w, IKE_PL_SKF, false);

	put16(w, num);
	put16(w, total);
	put_bytes(w, blob.ptr, blob.len);
	pl_end(w, s);
	if (!w->overflow)
		w->p[s] = num == 1 ? first_inner : IKE_PL_NONE;
	w->np_off = NP_CLOSED;
}

void ike_put_notify(struct ike_wbuf *w, const struct ike_notify *n)
{
	size_t s = pl_begin(w, IKE_PL_NOTIFY, false);

	put8(w, n->protocol);
	put8(w, n->spi.len);
	put16(w, n->type);
	put_bytes(w, n->spi.ptr, n->spi.len);
	put_bytes(w, n->data.ptr, n->data.len);
	pl_end(w, s);
}

void ike_put_delete(struct ike_wbuf *w, const struct ike_delete *d)
{
	size_t s = pl_begin(w, IKE_PL_DELETE, false);

	put8(w, d->protocol);
	put8(w, d->spi_size);
	put16(w, d->n_spi);
	put_bytes(w, d->spis.ptr, d->spis.len);
	pl_end(w, s);
}

void ike_put_ts(struct ike_wbuf *w, uint8_t type, const struct ike_ts_payload *tsp)
{
	size_t s = pl_begin(w, type, false);

	put8(w, tsp->n);
	put_zero(w, 3);
	for (unsigned int i = 0; i < tsp->n; i++) {
		const struct ike_ts *ts = &tsp->ts[i];
		size_t alen = ts->type == IKE_TS_IPV6_ADDR_RANGE ? 16 : 4;

		put8(w, ts->type);
		put8(w, ts->ip_proto);
		put16(w, 8 + 2 * alen);
		put16(w, ts->start_port);
		put16(w, ts->end_port);
		put_bytes(w, ts->start, alen);
		put_bytes(w, ts->end, alen);
	}
	pl_end(w, s);
}

void ike_put_cp(struct ike_wbuf *w, const struct ike_cp *cp)
{
	size_t s = pl_begin(w, IKE_PL_CP, false);

	put8(w, cp->type);
	put_zero(w, 3);
	for (unsigned int i = 0; i < cp->n; i++) {
		put16(w, cp->attr[i].type & 0x7fff);
		put16(w, cp->attr[i].value.len);
		put_bytes(w, cp->attr[i].value.ptr, cp->attr[i].value.len);
	}
	pl_end(w, s);
}
