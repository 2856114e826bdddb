// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for SK payload decryption: the first byte picks a
 * cipher suite, the next 32 bytes are the message head, the rest is the
 * SK body. Anything that decrypts must encrypt back to the same length.
 */
#include <stdlib.h>
#include <string.h>
#include "ike_crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	uint16_t encr, bits, integ;
} suites[] = {
	{ IKE_ENCR_AES_GCM_16, 128, IKE_INTEG_NONE },
	{ IKE_ENCR_AES_GCM_16, 256, IKE_INTEG_NONE },
	{ IKE_ENCR_AES_GCM_8, 256, IKE_INTEG_NONE },
	{ IKE_ENCR_CHACHA20_POLY1305, 0, IKE_INTEG_NONE },
	{ IKE_ENCR_AES_CBC, 128, IKE_INTEG_HMAC_SHA2_256_128 },
	{ IKE_ENCR_AES_CBC, 256, IKE_INTEG_HMAC_SHA2_512_256 },
	{ IKE_ENCR_AES_CBC, 192, IKE_INTEG_HMAC_SHA1_96 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[70000], again[70000];
	uint8_t ek[36], ak[64];
	struct ike_sk sk;
	size_t n, len;
	int ret;

	if (size < 33 || size > 65535)
		return 0;
	n = data[0] % (sizeof(suites) / sizeof(suites[0]));
	memset(ek, 0x42, sizeof(ek));
	memset(ak, 0x24, sizeof(ak));
	if (ike_sk_init(&sk, suites[n].encr, suites[n].bits, suites[n].integ,
			IKE_BUF(ek, ike_encr_keymat_len(suites[n].encr, suites[n].bits)),
			IKE_BUF(ak, ike_integ_key_len(suites[n].integ))))
		abort();
	ret = ike_sk_decrypt(&sk, IKE_BUF(data + 1, 32), IKE_BUF(data + 33, size - 33),
			     out, sizeof(out), &len);
	if (!ret) {
		if (len > size || ike_sk_body_len(&sk, len) > size - 33)
			abort();
		if (ike_sk_encrypt(&sk, IKE_BUF(data + 1, 32), NULL, IKE_BUF(out, len),
				   again, sizeof(again)))
			abort();
	}
	ike_sk_clear(&sk);
	return 0;
}
