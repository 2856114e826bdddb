// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Hashes of IKE_SA_INIT that are not key derivation: stateless cookies
 * (RFC 7296 §2.6) and NAT detection (§2.23).
 */
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include "ike_sa.h"

static int digest(const char *name, const struct ike_buf *parts, size_t n, uint8_t *out)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int len;
	int ok;

	if (!md)
		return -1;
	ok = EVP_DigestInit_ex(md, EVP_get_digestbyname(name), NULL);
	for (size_t i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(md, parts[i].ptr, parts[i].len);
	ok = ok && EVP_DigestFinal_ex(md, out, &len);
	EVP_MD_CTX_free(md);
	return ok ? 0 : -1;
}

int ike_natd_hash(const uint8_t spi_i[8], const uint8_t spi_r[8], const ike_sockaddr *a,
		  uint8_t out[20])
{
	uint8_t port[2];
	uint16_t p = ike_addr_port(a);
	size_t alen;
	const uint8_t *addr = ike_addr_bytes(a, &alen);
	struct ike_buf parts[4] = {
		IKE_BUF(spi_i, 8), IKE_BUF(spi_r, 8), IKE_BUF(addr, alen), IKE_BUF(port, 2),
	};

	port[0] = p >> 8;
	port[1] = p & 0xff;
	return digest("SHA1", parts, 4, out);
}

/* The secret of a version: the current one or the one before it. */
static const uint8_t *secret(const struct ike_ctx *ctx, uint8_t version)
{
	if (version == ctx->cookie_version)
		return ctx->cookie_secret;
	if ((uint8_t)(version + 1) == ctx->cookie_version)
		return ctx->cookie_secret_old;
	return NULL;
}

size_t ike_cookie_make(const struct ike_ctx *ctx, uint8_t version, struct ike_buf ni,
		       const ike_sockaddr *ipi, const uint8_t spi_i[8], uint8_t *out)
{
	const uint8_t *s = secret(ctx, version);
	size_t alen;
	const uint8_t *addr = ike_addr_bytes(ipi, &alen);
	struct ike_buf parts[4] = {
		ni, IKE_BUF(addr, alen), IKE_BUF(spi_i, 8), IKE_BUF(s, 32),
	};

	if (!s)
		return 0;
	out[0] = version;
	if (digest("SHA256", parts, 4, out + 1))
		return 0;
	return 33;
}

bool ike_cookie_check(const struct ike_ctx *ctx, struct ike_buf cookie, struct ike_buf ni,
		      const ike_sockaddr *ipi, const uint8_t spi_i[8])
{
	uint8_t want[33];

	if (cookie.len != 33)
		return false;
	if (ike_cookie_make(ctx, cookie.ptr[0], ni, ipi, spi_i, want) != 33)
		return false;
	return !CRYPTO_memcmp(want, cookie.ptr, 33);
}
