// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for traffic selectors: a TSi/TSr payload body as a peer
 * sends it, narrowed (RFC 7296 §2.9) against local policy, which is either
 * a second payload body or selectors in the configuration's text form.
 *
 * Input: byte 0 picks the mode and where the input splits; then the peer's
 * payload body, then the local side (a body, or text lines).
 * Checked: every narrowed selector lies inside one proposed and one allowed
 * selector, nothing is returned when nothing intersects, and a narrowed
 * selector formats, encodes and parses back to itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "ts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
/* At most every pair intersects: room for all, so -ENOSPC is a bug. */
#define OUT_CAP (IKE_MAX_TS * IKE_MAX_TS)

static bool inside_one(const struct ike_ts *set, size_t n, const struct ike_ts *ts)
{
	for (size_t i = 0; i < n; i++)
		if (ts_contains(&set[i], ts))
			return true;
	return false;
}

/* Selectors in text form, one a line, as in "local-ts = ..." lines. */
static size_t parse_text(const uint8_t *p, size_t len, struct ike_ts *out, size_t cap)
{
	char line[128], err[128];
	size_t n = 0;

	while (len && n < cap) {
		const uint8_t *nl = memchr(p, '\n', len);
		size_t l = nl ? (size_t)(nl - p) : len;

		if (l < sizeof(line)) {
			memcpy(line, p, l);
			line[l] = 0;
			if (!ts_parse(line, &out[n], err, sizeof(err)))
				n++;
			else
				CHECK(err[0]);	/* every rejection says why */
		}
		p += l + (nl ? 1 : 0);
		len -= l + (nl ? 1 : 0);
	}
	return n;
}

/* A selector the daemon sends must read back the same in every form. */
static void check_forms(const struct ike_ts *ts)
{
	static uint8_t buf[512];
	struct ike_ts_payload one = { .n = 1 }, back;
	struct ike_ts txt;
	struct ike_wbuf w;
	char s[128], err[128];
	int len;

	one.ts[0] = *ts;
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_ts(&w, IKE_PL_TSR, &one);
	len = ike_wbuf_finish(&w);
	CHECK(len > IKE_GENERIC_HDR_LEN);
	CHECK(ike_parse_ts(IKE_BUF(buf + IKE_GENERIC_HDR_LEN, len - IKE_GENERIC_HDR_LEN),
			   &back) == IKE_OK);
	CHECK(back.n == 1 && !memcmp(&back.ts[0], ts, sizeof(*ts)));

	CHECK(ts_format(ts, s, sizeof(s)) > 0);
	if (!ts_parse(s, &txt, err, sizeof(err)))
		CHECK(!memcmp(&txt, ts, sizeof(txt)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_ts out[OUT_CAP];
	struct ike_ts_payload peer, local;
	size_t split, n_out;
	bool any = false;
	int ret;

	if (size < 1)
		return 0;
	split = 1 + (size - 1) * (data[0] >> 1) / 127;
	if (ike_parse_ts(IKE_BUF(data + 1, split - 1), &peer) != IKE_OK)
		return 0;
	if (data[0] & 1) {
		local.n = parse_text(data + split, size - split, local.ts, IKE_MAX_TS);
	} else if (ike_parse_ts(IKE_BUF(data + split, size - split), &local) != IKE_OK) {
		return 0;
	}

	ret = ts_narrow(peer.ts, peer.n, local.ts, local.n, out, OUT_CAP, &n_out);
	CHECK(ret == 0 || ret == -ENOENT);
	CHECK(ret == 0 ? n_out > 0 : n_out == 0);
	for (size_t p = 0; p < peer.n; p++)
		for (size_t a = 0; a < local.n; a++) {
			struct ike_ts r;

			any |= ts_intersect(&peer.ts[p], &local.ts[a], &r);
		}
	CHECK(any == (ret == 0));
	for (size_t i = 0; i < n_out; i++) {
		CHECK(inside_one(peer.ts, peer.n, &out[i]));
		CHECK(inside_one(local.ts, local.n, &out[i]));
		check_forms(&out[i]);
	}
	return 0;
}
