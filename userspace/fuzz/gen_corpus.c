// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writes the seed corpus of the targets in this directory from the values
 * ikev2d's unit tests use (tests/test_ike_msg.c, test_ts.c,
 * test_proposal.c), encoded with libike's own writers, and for fuzz_cert
 * certificate chains and signatures made with keys generated here and
 * thrown away (test_certs.h, cert.c):
 *
 *   gen_corpus DIR    writes DIR/<target>/<name> for each seed
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../ikev2d/tests/test_certs.h"
#include "cert.h"
#include "fuzz_cert.h"
#include "ike_crypto.h"
#include "ike_msg.h"
#include "proposal.h"
#include "ts.h"

static const char *top;

static void put(const char *target, const char *name, const void *p, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", top, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

static struct ike_proposal prop(const char *s, uint8_t proto)
{
	struct ike_proposal p;
	char err[256];

	if (proposal_parse(s, proto, &p, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	return p;
}

static struct ike_ts sel(const char *s)
{
	struct ike_ts ts;
	char err[128];

	if (ts_parse(s, &ts, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		exit(1);
	}
	return ts;
}

/* A TS payload body: the payload without its generic header. */
static size_t ts_body(uint8_t *out, size_t cap, const char *const *sels, size_t n)
{
	struct ike_ts_payload tsp = { .n = n };
	uint8_t buf[1024];
	struct ike_wbuf w;
	int len;

	for (size_t i = 0; i < n; i++)
		tsp.ts[i] = sel(sels[i]);
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_ts(&w, IKE_PL_TSI, &tsp);
	len = ike_wbuf_finish(&w);
	if (len < IKE_GENERIC_HDR_LEN || (size_t)len - IKE_GENERIC_HDR_LEN > cap)
		exit(1);
	memcpy(out, buf + IKE_GENERIC_HDR_LEN, len - IKE_GENERIC_HDR_LEN);
	return len - IKE_GENERIC_HDR_LEN;
}

/* fuzz_sk_peer: suite byte, first inner type, then IV | ciphertext of the
 * chain under the target's fixed keys (the target appends the ICV). */
static void sk_peer(const char *name, uint8_t suite, const uint8_t *chain, int len)
{
	static const struct { uint16_t bits, integ; } s[] = {
		{ 128, IKE_INTEG_HMAC_SHA2_256_128 }, { 256, IKE_INTEG_HMAC_SHA2_512_256 } };
	uint8_t ekey[32], akey[64], iv[16], head[32] = { 0 }, out[2048];
	struct ike_sk sk;
	size_t body;

	memset(ekey, 0x42, sizeof(ekey));
	memset(akey, 0x24, sizeof(akey));
	memset(iv, 0x5a, sizeof(iv));
	if (len < 0 || suite >= 2 ||
	    ike_sk_init(&sk, IKE_ENCR_AES_CBC, s[suite].bits, s[suite].integ,
			IKE_BUF(ekey, ike_encr_keymat_len(IKE_ENCR_AES_CBC, s[suite].bits)),
			IKE_BUF(akey, ike_integ_key_len(s[suite].integ))))
		exit(1);
	body = ike_sk_body_len(&sk, len);
	out[0] = suite;
	out[1] = IKE_PL_IDI;
	if (body + 2 > sizeof(out) ||
	    ike_sk_encrypt(&sk, IKE_BUF(head, sizeof(head)), iv, IKE_BUF(chain, len),
			   out + 2, sizeof(out) - 2))
		exit(1);
	put("fuzz_sk_peer", name, out, 2 + body - sk.icv_len);
	ike_sk_clear(&sk);
}

/* IKE_AUTH request with the inner chain in clear inside SK, as the
 * payloads target reads it: IDi, CERT, CERTREQ, AUTH, CP, SA, TSi, TSr, N. */
static void ike_auth(void)
{
	static const uint8_t dn[] = { 0x30, 0x82, 0x01 }, ip4[] = { 192, 0, 2, 1 };
	static const uint8_t cp_val[] = { 10, 3, 0, 7 };
	static const char *const tsi[] = { "10.1.0.0/16" }, *const tsr[] = {
		"192.168.0.0/16[tcp]", "2001:db8::/32" };
	uint8_t psk[16], hashes[40], inner[1024], msg[2048], tsb[256];
	struct ike_id idi = { .type = IKE_ID_FQDN, .data = IKE_BUF("gw-a.example", 12) };
	struct ike_id idr = { .type = IKE_ID_IPV4_ADDR, .data = IKE_BUF(ip4, 4) };
	struct ike_cert cert = { .encoding = IKE_CERT_X509_SIG, .data = IKE_BUF(dn, 3) };
	struct ike_cert req = { .encoding = IKE_CERT_X509_SIG, .data = IKE_BUF(hashes, 40) };
	struct ike_auth auth = { .method = IKE_AUTH_PSK, .data = IKE_BUF(psk, 16) };
	struct ike_cp cp = { .type = 1, .n = 2, .attr = {
		{ .type = 1, .value = IKE_BUF(cp_val, 4) }, { .type = 3 } } };
	struct ike_sa_payload sa = { .n = 1 };
	struct ike_ts_payload ts;
	struct ike_notify n = { .type = IKE_N_USE_TRANSPORT_MODE };
	struct ike_hdr h = { .spi_i = { 1, 2, 3, 4, 5, 6, 7, 8 },
			     .spi_r = { 8, 7, 6, 5, 4, 3, 2, 1 },
			     .exchange = IKE_AUTH, .flags = 0x08, .msg_id = 1 };
	struct ike_wbuf w;
	int ilen, len;

	memset(psk, 0x11, sizeof(psk));
	memset(hashes, 0xcc, sizeof(hashes));
	sa.prop[0] = prop("aes256gcm16-esn", IKE_PROTO_ESP);
	memcpy(sa.prop[0].spi, "\xc0\xff\xee\x00", 4);
	ike_wbuf_init(&w, inner, sizeof(inner));
	ike_put_id(&w, IKE_PL_IDI, &idi);
	ike_put_cert(&w, IKE_PL_CERT, &cert);
	ike_put_cert(&w, IKE_PL_CERTREQ, &req);
	ike_put_id(&w, IKE_PL_IDR, &idr);
	ike_put_auth(&w, &auth);
	ike_put_cp(&w, &cp);
	ike_put_sa(&w, &sa);
	memset(&ts, 0, sizeof(ts));
	ike_parse_ts(IKE_BUF(tsb, ts_body(tsb, sizeof(tsb), tsi, 1)), &ts);
	ike_put_ts(&w, IKE_PL_TSI, &ts);
	ike_parse_ts(IKE_BUF(tsb, ts_body(tsb, sizeof(tsb), tsr, 2)), &ts);
	ike_put_ts(&w, IKE_PL_TSR, &ts);
	ike_put_notify(&w, &n);
	ilen = ike_wbuf_finish(&w);

	ike_wbuf_init(&w, msg, sizeof(msg));
	ike_put_hdr(&w, &h);
	ike_put_sk(&w, w.first, IKE_BUF(inner, ilen));
	len = ike_wbuf_finish(&w);
	if (ilen < 0 || len < 0)
		exit(1);
	put("fuzz_ike_payloads", "ike_auth_clear", msg, len);
	sk_peer("ike_auth_cbc128", 0, inner, ilen);
	sk_peer("ike_auth_cbc256", 1, inner, ilen);
}

/* INFORMATIONAL with DELETE, EAP, vendor ID and a NAT-D notify in clear. */
static void informational(void)
{
	static const uint8_t spis[] = { 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22 };
	static const uint8_t eap[] = { 1, 1, 0, 5, 1 };
	uint8_t natd[20], msg[512];
	struct ike_delete d = { .protocol = IKE_PROTO_ESP, .spi_size = 4, .n_spi = 2,
				.spis = IKE_BUF(spis, 8) };
	struct ike_notify n = { .type = IKE_N_NAT_DETECTION_SOURCE_IP,
				.data = IKE_BUF(natd, 20) };
	struct ike_hdr h = { .spi_i = { 1 }, .spi_r = { 2 },
			     .exchange = IKE_INFORMATIONAL, .flags = 0x20, .msg_id = 7 };
	struct ike_wbuf w;
	int len;

	memset(natd, 0x5a, sizeof(natd));
	ike_wbuf_init(&w, msg, sizeof(msg));
	ike_put_hdr(&w, &h);
	ike_put_delete(&w, &d);
	ike_put_notify(&w, &n);
	ike_put_eap(&w, IKE_BUF(eap, 5));
	ike_put_vendor(&w, IKE_BUF("nfsec", 5));
	len = ike_wbuf_finish(&w);
	if (len < 0)
		exit(1);
	put("fuzz_ike_payloads", "informational", msg, len);
}

/* Mode byte: low bit 0 = both sides binary, 1 = local side as text; the
 * other bits place the split at the end of the peer's body. */
static void ts_seed(const char *name, const char *const *peer, size_t np,
		    const char *const *local, size_t nl, bool text)
{
	uint8_t buf[2048];
	size_t len = 1, plen;

	plen = ts_body(buf + 1, sizeof(buf) - 1, peer, np);
	len += plen;
	if (text) {
		for (size_t i = 0; i < nl; i++)
			len += sprintf((char *)buf + len, "%s\n", local[i]);
	} else {
		len += ts_body(buf + len, sizeof(buf) - len, local, nl);
	}
	/* split = 1 + (len - 1) * (mode >> 1) / 127 must land on 1 + plen:
	 * pad the local side until a mode value does */
	for (unsigned int m = 0; m < 128; m++)
		if (1 + (len - 1) * m / 127 == 1 + plen) {
			buf[0] = m << 1 | text;
			put("fuzz_ts", name, buf, len);
			return;
		}
	fprintf(stderr, "fuzz_ts/%s: no split byte fits\n", name);
}

static void ts_seeds(void)
{
	static const char *const road[] = { "0.0.0.0/0", "::/0" };
	static const char *const site[] = { "10.1.0.0/16", "10.2.0.0/16[tcp/443]" };
	static const char *const hosts[] = { "10.1.0.7[udp/500-4500]",
					     "10.0.0.1-10.0.0.9[47]" };
	static const char *const v6[] = { "2001:db8::/32[tcp/80]", "2001:db8:1::1/128" };

	ts_seed("road_warrior", road, 2, site, 2, false);
	ts_seed("hosts_in_site", hosts, 2, site, 2, false);
	ts_seed("v6_text", v6, 2, road, 2, true);
	ts_seed("site_text", site, 2, hosts, 2, true);
}

static void proposal_seed(const char *name, bool esp, const char *list,
			  const char *offer)
{
	uint8_t buf[4096], sab[2048];
	struct ike_sa_payload sa = { 0 };
	struct ike_proposal p[8];
	struct ike_wbuf w;
	size_t len, n = 0;
	char err[256];
	int sl;

	buf[0] = esp;
	len = 1 + sprintf((char *)buf + 1, "%s", list);
	if (offer) {
		if (proposal_parse_list(offer, esp ? IKE_PROTO_ESP : IKE_PROTO_IKE, p, 8, &n,
					err, sizeof(err)))
			exit(1);
		for (size_t i = 0; i < n; i++)
			sa.prop[sa.n++] = p[i];
		ike_wbuf_init(&w, sab, sizeof(sab));
		ike_put_sa(&w, &sa);
		sl = ike_wbuf_finish(&w);
		if (sl < IKE_GENERIC_HDR_LEN)
			exit(1);
		buf[len++] = 0;
		memcpy(buf + len, sab + IKE_GENERIC_HDR_LEN, sl - IKE_GENERIC_HDR_LEN);
		len += sl - IKE_GENERIC_HDR_LEN;
	}
	put("fuzz_proposal", name, buf, len);
}

static void proposal_seeds(void)
{
	proposal_seed("ike_two", false, "aes256gcm16-prfsha384-x25519, aes128-sha256-modp3072",
		      "aes128-sha256-modp3072,aes256gcm16-prfsha384-x25519");
	proposal_seed("ike_alternatives", false,
		      "aes256gcm16-aes128gcm16-prfsha384-prfsha256-x25519-ecp256",
		      "aes128gcm16-aes256gcm16-prfsha256-prfsha384-ecp256-x25519");
	proposal_seed("ike_cbc", false, "aes256-sha512-prfsha256-ecp256", NULL);
	proposal_seed("ike_chacha", false, "chacha20poly1305-prfsha256-curve25519", NULL);
	proposal_seed("esp_gcm_esn", true, "aes128gcm16-ecp384-esn", "aes128gcm16-ecp384-esn");
	proposal_seed("esp_cbc", true, "aes256-sha512", "aes256-sha512,aes128gcm16");
	proposal_seed("esp_list", true, "aes128gcm16,aes256-sha512", NULL);
}

/* One fuzz_cert input: method, ID type, then the length-prefixed chunks
 * anchor, ID, AUTH, CERT bodies (encoding byte first). */
static void cert_seed(const char *name, EVP_PKEY *key, bool pss, unsigned int hashes,
		      const char *id, X509 *anchor, X509 *const *certs, size_t n)
{
	uint8_t buf[8192], auth[IKE_AUTH_DATA_MAX], method;
	struct ike_buf chunks[3 + 4];
	unsigned char *der[1 + 4] = { 0 };
	size_t len = 2, auth_len;
	int l;

	if (ike_sig_sign(key, pss, hashes, FUZZ_CERT_OCTETS, &method, auth, sizeof(auth),
			 &auth_len)) {
		fprintf(stderr, "%s: cannot sign\n", name);
		exit(1);
	}
	buf[0] = method;
	buf[1] = IKE_ID_FQDN;
	l = i2d_X509(anchor, &der[0]);
	chunks[0] = IKE_BUF(der[0], (size_t)l);
	chunks[1] = IKE_BUF(id, strlen(id));
	chunks[2] = IKE_BUF(auth, auth_len);
	for (size_t i = 0; i < n; i++) {
		uint8_t *p;

		l = i2d_X509(certs[i], NULL);
		der[1 + i] = p = malloc((size_t)l + 1);
		p[0] = IKE_CERT_X509_SIG;
		p++;
		i2d_X509(certs[i], &p);
		chunks[3 + i] = IKE_BUF(der[1 + i], (size_t)l + 1);
	}
	for (size_t i = 0; i < 3 + n; i++) {
		buf[len++] = (uint8_t)(chunks[i].len >> 8);
		buf[len++] = (uint8_t)chunks[i].len;
		memcpy(buf + len, chunks[i].ptr, chunks[i].len);
		len += chunks[i].len;
	}
	put("fuzz_cert", name, buf, len);
	OPENSSL_free(der[0]);
	for (size_t i = 0; i < n; i++)
		free(der[1 + i]);
}

static void cert_seeds(void)
{
	EVP_PKEY *ca_key = tc_key("p384"), *inter_key = tc_key("p256");
	EVP_PKEY *rsa = tc_key("rsa2048"), *p256 = tc_key("p256"), *p384 = tc_key("p384");
	/* a century of validity, so that the seeds' chains keep verifying */
	X509 *ca = tc_cert(ca_key, "Seed CA", NULL, NULL, true, -1, 36500, NULL);
	X509 *inter = tc_cert(inter_key, "Seed intermediate", ca, ca_key, true, -1, 36500, NULL);
	X509 *l_rsa = tc_cert(rsa, "rsa.example", ca, ca_key, false, -1, 36500,
			      "DNS:rsa.example,email:rsa@example.org,IP:192.0.2.1");
	X509 *l_p256 = tc_cert(p256, "p256.example", inter, inter_key, false, -1, 36500,
			       "DNS:p256.example,IP:2001:db8::1");
	X509 *l_p384 = tc_cert(p384, "p384.example", ca, ca_key, false, -1, 36500,
			       "DNS:p384.example");

	cert_seed("rsa_pkcs1", rsa, false, IKE_HASHES_OURS, "rsa.example", ca, &l_rsa, 1);
	cert_seed("rsa_pss", rsa, true, IKE_HASHES_OURS, "rsa.example", ca, &l_rsa, 1);
	cert_seed("rsa_classic", rsa, false, 0, "rsa.example", ca, &l_rsa, 1);
	cert_seed("ecdsa_p256_chain", p256, false, IKE_HASHES_OURS, "p256.example", ca,
		  (X509 *[]){ l_p256, inter }, 2);
	cert_seed("ecdsa_p384", p384, false, IKE_HASHES_OURS, "p384.example", ca, &l_p384, 1);
	cert_seed("ecdsa_p384_classic", p384, false, 0, "p384.example", ca, &l_p384, 1);
	X509_free(ca);
	X509_free(inter);
	X509_free(l_rsa);
	X509_free(l_p256);
	X509_free(l_p384);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(inter_key);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(p256);
	EVP_PKEY_free(p384);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS-DIR\n", argv[0]);
		return 2;
	}
	top = argv[1];
	ike_auth();
	informational();
	ts_seeds();
	proposal_seeds();
	cert_seeds();
	return 0;
}
