// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IKE fragmentation, RFC 7383: SKF encoding and reassembly; see ike_frag.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include "ike_frag.h"

const char *ike_frag_strstatus(int status)
{
	switch (status) {
	case IKE_FRAG_KEPT: return "kept";
	case IKE_FRAG_COMPLETE: return "complete";
	case IKE_FRAG_DUPLICATE: return "duplicate fragment";
	case IKE_FRAG_STALE: return "fragment of an older fragmentation";
	case IKE_FRAG_TOO_MANY: return "too many fragments";
	case IKE_FRAG_TOO_BIG: return "reassembled message too large";
	case IKE_FRAG_NOMEM: return "out of memory";
	default: return "?";
	}
}

int ike_frag_open(const struct ike_sk *sk, const uint8_t *buf, struct ike_buf skf,
		  struct ike_skf *f, uint8_t *out, size_t cap, size_t *pt_len)
{
	int ret = ike_parse_skf(skf, f);

	*pt_len = 0;
	if (ret)
		return ret;
	/* RFC 7383 §2.5: the ICV (or AEAD's associated data) covers the IKE
	 * header and the SKF payload up to the IV, numbers included */
	return ike_sk_decrypt(sk, IKE_BUF(buf, (size_t)(f->enc.ptr - buf)), f->enc, out, cap,
			      pt_len);
}

void ike_frag_reset(struct ike_frag_in *st)
{
	for (unsigned int i = 0; i < IKE_FRAG_MAX; i++) {
		if (st->frag[i]) {
			OPENSSL_cleanse(st->frag[i], st->frag_len[i]);
			free(st->frag[i]);
		}
	}
	memset(st, 0, sizeof(*st));
}

bool ike_frag_expire(struct ike_frag_in *st, const struct ike_frag_limits *lim,
		     uint64_t now_ms)
{
	if (!st->active || now_ms - st->started_ms < lim->timeout_ms)
		return false;
	ike_frag_reset(st);
	return true;
}

int ike_frag_add(struct ike_frag_in *st, const struct ike_frag_limits *lim, uint32_t mid,
		 const struct ike_skf *f, uint8_t first_np, const uint8_t *pt, size_t pt_len,
		 uint64_t now_ms)
{
	unsigned int max = lim->max_frags < IKE_FRAG_MAX ? lim->max_frags : IKE_FRAG_MAX;
	size_t max_len = lim->max_len < IKE_FRAG_MAX_LEN ? lim->max_len : IKE_FRAG_MAX_LEN;
	uint8_t *copy;

	if (!f->num || !f->total || f->num > f->total)
		return IKE_FRAG_STALE;	/* ike_parse_skf() refuses these already */
	if (f->total > max)
		return IKE_FRAG_TOO_MANY;
	ike_frag_expire(st, lim, now_ms);
	if (st->active && st->mid == mid) {
		if (f->total < st->total)
			return IKE_FRAG_STALE;
		if (f->total > st->total)
			ike_frag_reset(st);
		else if (st->frag[f->num - 1])
			return IKE_FRAG_DUPLICATE;
	} else if (st->active) {
		ike_frag_reset(st);	/* the caller accepts mid: the old one is done */
	}
	if (!st->active) {
		st->active = true;
		st->mid = mid;
		st->total = f->total;
		st->started_ms = now_ms;
	}
	if (pt_len > max_len - st->len || pt_len > UINT16_MAX) {
		ike_frag_reset(st);
		return IKE_FRAG_TOO_BIG;
	}
	copy = malloc(pt_len ? pt_len : 1);
	if (!copy)
		return IKE_FRAG_NOMEM;
	memcpy(copy, pt, pt_len);
	st->frag[f->num - 1] = copy;
	st->frag_len[f->num - 1] = (uint16_t)pt_len;
	st->len += pt_len;
	st->have++;
	if (f->num == 1)
		st->first_np = first_np;
	return st->have == st->total ? IKE_FRAG_COMPLETE : IKE_FRAG_KEPT;
}

int ike_frag_assemble(struct ike_frag_in *st, uint8_t *out, size_t cap, size_t *len,
		      uint8_t *first_np)
{
	size_t off = 0;

	if (!st->active || st->have != st->total)
		return -EINVAL;
	if (st->len > cap) {
		ike_frag_reset(st);
		return -ENOSPC;
	}
	for (unsigned int i = 0; i < st->total; i++) {
		memcpy(out + off, st->frag[i], st->frag_len[i]);
		off += st->frag_len[i];
	}
	*len = off;
	*first_np = st->first_np;
	ike_frag_reset(st);
	return 0;
}

size_t ike_frag_room(size_t dgram, bool ipv6, bool natt)
{
	size_t over = (ipv6 ? 40 : 20) + 8 + (natt ? 4 : 0);

	return dgram > over ? dgram - over : 0;
}

int ike_frag_build(const struct ike_sk *sk, const struct ike_hdr *h, uint8_t first_np,
		   struct ike_buf pt, size_t max_dgram, unsigned int max_frags,
		   uint8_t *out, size_t cap, uint16_t *lens)
{
	static const uint8_t zeros[IKE_FRAG_MAX_LEN];
	const size_t fixed = IKE_HDR_LEN + IKE_GENERIC_HDR_LEN + 4;
	size_t chunk, n, off = 0;
	struct ike_hdr hdr = *h;

	if (max_frags > IKE_FRAG_MAX)
		max_frags = IKE_FRAG_MAX;
	if (max_dgram <= fixed + sk->iv_len + sk->icv_len + sk->block)
		return -EMSGSIZE;
	/* the most plaintext that fits, padding included */
	chunk = max_dgram - fixed - sk->iv_len - sk->icv_len;
	while (chunk && fixed + ike_sk_body_len(sk, chunk) > max_dgram)
		chunk--;
	if (!chunk)
		return -EMSGSIZE;
	n = pt.len ? (pt.len + chunk - 1) / chunk : 1;
	if (n > max_frags)
		return -EMSGSIZE;
	hdr.next_payload = IKE_PL_SKF;
	for (size_t i = 0; i < n; i++) {
		size_t this = pt.len - i * chunk < chunk ? pt.len - i * chunk : chunk;
		size_t blen = ike_sk_body_len(sk, this);
		struct ike_wbuf w;
		int len;

		ike_wbuf_init(&w, out + off, cap - off);
		ike_put_hdr(&w, &hdr);
		ike_put_skf(&w, first_np, (uint16_t)(i + 1), (uint16_t)n, IKE_BUF(zeros, blen));
		len = ike_wbuf_finish(&w);
		if (len < 0)
			return -ENOSPC;
		if (ike_sk_encrypt(sk, IKE_BUF(out + off, (size_t)len - blen), NULL,
				   IKE_BUF(pt.ptr + i * chunk, this), out + off + len - blen, blen))
			return -EIO;
		lens[i] = (uint16_t)len;
		off += (size_t)len;
	}
	return (int)n;
}
