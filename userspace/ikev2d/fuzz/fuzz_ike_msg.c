// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the IKEv2 codec: any datagram is parsed; every
 * payload it accepts is parsed by its typed parser, encoded again and
 * must parse back to the same struct. The SK body is also walked as if
 * it were a decrypted inner chain.
 */
#include <stdlib.h>
#include <string.h>
#include "ike_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* Re-encodes one payload and reparses it; aborts on any difference. */
static void roundtrip(const struct ike_payload *pl)
{
	static uint8_t out[70000];
	static union {
		struct ike_sa_payload sa;
		struct ike_ts_payload ts;
		struct ike_cp cp;
		struct ike_notify n;
		struct ike_delete d;
		struct ike_ke ke;
		struct ike_id id;
		struct ike_cert cert;
		struct ike_auth auth;
	} a, b;
	struct ike_wbuf w;
	struct ike_msg m;
	int len;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	ike_wbuf_init(&w, out, sizeof(out));
	switch (pl->type) {
	case IKE_PL_SA:
		CHECK(ike_parse_sa(pl->body, &a.sa) == IKE_OK);
		for (unsigned int i = 0; i < a.sa.n; i++)	/* not re-encodable */
			for (unsigned int j = 0; j < a.sa.prop[i].n; j++)
				if (a.sa.prop[i].xf[j].unknown_attr)
					return;
		ike_put_sa(&w, &a.sa);
		break;
	case IKE_PL_TSI:
	case IKE_PL_TSR:
		CHECK(ike_parse_ts(pl->body, &a.ts) == IKE_OK);
		ike_put_ts(&w, pl->type, &a.ts);
		break;
	case IKE_PL_NOTIFY:
		CHECK(ike_parse_notify(pl->body, &a.n) == IKE_OK);
		ike_put_notify(&w, &a.n);
		break;
	case IKE_PL_DELETE:
		CHECK(ike_parse_delete(pl->body, &a.d) == IKE_OK);
		ike_put_delete(&w, &a.d);
		break;
	case IKE_PL_KE:
		CHECK(ike_parse_ke(pl->body, &a.ke) == IKE_OK);
		ike_put_ke(&w, &a.ke);
		break;
	default:
		ike_put_raw(&w, pl->type, false, pl->body);
		break;
	}
	len = ike_wbuf_finish(&w);
	CHECK(len >= 0);
	memset(&m, 0, sizeof(m));
	if (pl->type == IKE_PL_SK)
		return;
	CHECK(ike_payloads_parse(w.first, out, len, &m) == IKE_OK);
	CHECK(m.n == 1 && m.pl[0].type == pl->type);
	switch (pl->type) {
	case IKE_PL_SA:
		CHECK(ike_parse_sa(m.pl[0].body, &b.sa) == IKE_OK);
		CHECK(b.sa.n == a.sa.n);
		for (unsigned int i = 0; i < a.sa.n; i++) {
			CHECK(b.sa.prop[i].n == a.sa.prop[i].n);
			CHECK(!memcmp(b.sa.prop[i].xf, a.sa.prop[i].xf,
				      a.sa.prop[i].n * sizeof(a.sa.prop[i].xf[0])));
		}
		break;
	case IKE_PL_TSI:
	case IKE_PL_TSR:
		CHECK(ike_parse_ts(m.pl[0].body, &b.ts) == IKE_OK);
		CHECK(!memcmp(&a.ts, &b.ts, sizeof(a.ts)));
		break;
	case IKE_PL_KE:	/* the reserved octets are sent as zero */
		CHECK(ike_parse_ke(m.pl[0].body, &b.ke) == IKE_OK);
		CHECK(b.ke.group == a.ke.group && b.ke.data.len == a.ke.data.len);
		CHECK(!memcmp(b.ke.data.ptr, a.ke.data.ptr, a.ke.data.len));
		break;
	default:
		CHECK(m.pl[0].body.len == pl->body.len);
		CHECK(!memcmp(m.pl[0].body.ptr, pl->body.ptr, pl->body.len));
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_msg m, inner;

	if (ike_msg_parse(data, size, &m) != IKE_OK)
		return 0;
	for (unsigned int i = 0; i < m.n; i++) {
		roundtrip(&m.pl[i]);
		if (m.pl[i].type == IKE_PL_SK) {
			memset(&inner, 0, sizeof(inner));
			ike_payloads_parse(m.pl[i].sk_first, m.pl[i].body.ptr,
					   m.pl[i].body.len, &inner);
		}
	}
	return 0;
}
