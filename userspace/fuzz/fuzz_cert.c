// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for certificate authentication (cert.c) as a peer
 * drives it: CERT payload bodies (DER X.509), the chain verified against a
 * trust anchor, the identity it claims checked against the certificate
 * (PAD), and the AUTH data verified with the certificate's key for the
 * method it names (RFC 7427 AlgorithmIdentifier and RSASSA-PSS parameters,
 * classic RSA and ECDSA r|s).
 *
 * Input: byte 0 the AUTH method, byte 1 the ID type, then chunks, each a
 * 2-byte big-endian length and its bytes: the trust anchor (DER), the
 * peer's ID data, its AUTH data, its CERT payload bodies (leaf first; the
 * first byte is the encoding). Missing chunks are empty. The signed octets
 * are FUZZ_CERT_OCTETS, so that a seed made with a real key (gen_corpus.c)
 * verifies.
 * Checked: nothing crashes, leaks or trips UBSan (everything is freed on
 * every path, as the daemon must).
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include "cert.h"
#include "fuzz_cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_CHUNKS (3 + IKE_PEER_CERTS_MAX + 1)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_buf chunk[MAX_CHUNKS] = { 0 };
	struct ike_peer_certs pc = { 0 };
	struct ike_creds creds = { 0 };
	const uint8_t *p = data + 2;
	size_t n = 0, left;
	uint8_t method, id_type;
	char err[300], buf[256];

	if (size < 2)
		return 0;
	method = data[0];
	id_type = data[1];
	for (left = size - 2; left >= 2 && n < MAX_CHUNKS; n++) {
		size_t len = (size_t)p[0] << 8 | p[1];

		p += 2;
		left -= 2;
		if (len > left)
			len = left;
		chunk[n] = IKE_BUF(p, len);
		p += len;
		left -= len;
	}

	ike_sig_hashes_parse(chunk[1]);
	ike_dn_str(chunk[1], buf, sizeof(buf));
	ike_id_equal(id_type, chunk[1], chunk[2]);
	for (size_t i = 3; i < n; i++) {
		struct ike_cert c;

		if (!chunk[i].len)
			continue;
		c.encoding = chunk[i].ptr[0];
		c.data = IKE_BUF(chunk[i].ptr + 1, chunk[i].len - 1);
		if (ike_peer_certs_add(&pc, &c, err, sizeof(err)))
			break;
	}
	creds.store = X509_STORE_new();
	if (creds.store && chunk[0].len) {
		const unsigned char *q = chunk[0].ptr;
		X509 *anchor = d2i_X509(NULL, &q, (long)chunk[0].len);

		if (anchor)
			X509_STORE_add_cert(creds.store, anchor);
		X509_free(anchor);
	}
	if (creds.store)
		ike_chain_verify(&creds, &pc, err, sizeof(err));
	if (pc.leaf) {
		EVP_PKEY *pub = X509_get0_pubkey(pc.leaf);

		ike_cert_has_id(pc.leaf, id_type, chunk[1]);
		ike_cert_subject(pc.leaf, buf, sizeof(buf));
		if (pub)
			ike_sig_verify(pub, method, chunk[2], FUZZ_CERT_OCTETS, err, sizeof(err));
	}
	X509_STORE_free(creds.store);
	ike_peer_certs_free(&pc);
	ERR_clear_error();
	return 0;
}
