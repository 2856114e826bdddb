// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Certificates, trust anchors, the PAD identity check, and RFC 7427 /
 * RFC 7296 signatures. See cert.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include "cert.h"

#define CRED_FILE_MAX (1 << 20)
#define CA_MAX 64

unsigned int ike_sig_hashes_parse(struct ike_buf data)
{
	unsigned int set = 0;

	if (data.len % 2)
		return 0;
	for (size_t i = 0; i < data.len; i += 2) {
		unsigned int id = (unsigned int)data.ptr[i] << 8 | data.ptr[i + 1];

		if (id < 32)
			set |= IKE_HASH_BIT(id);
	}
	return set;
}

/* ---- loading ---- */

/* The last OpenSSL error as text, or what. */
static const char *ssl_why(const char *what)
{
	static char buf[160];
	unsigned long e = ERR_peek_last_error();

	if (!e)
		return what;
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

/* A regular file of at most CRED_FILE_MAX bytes, as a memory BIO. */
static BIO *read_file(const char *path, char *err, size_t errlen)
{
	struct stat st;
	uint8_t *buf;
	ssize_t n;
	BIO *bio;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "'%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > CRED_FILE_MAX) {
		snprintf(err, errlen, "'%s' is not a regular file of at most %d bytes", path,
			 CRED_FILE_MAX);
		close(fd);
		return NULL;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		close(fd);
		snprintf(err, errlen, "'%s': out of memory", path);
		return NULL;
	}
	n = read(fd, buf, st.st_size);
	close(fd);
	if (n != st.st_size) {
		snprintf(err, errlen, "'%s': short read", path);
		free(buf);
		return NULL;
	}
	/* a BIO of its own copy, so that the key's buffer can be cleansed */
	bio = BIO_new(BIO_s_mem());
	if (!bio || BIO_write(bio, buf, (int)n) != (int)n) {
		BIO_free(bio);
		bio = NULL;
		snprintf(err, errlen, "'%s': out of memory", path);
	}
	OPENSSL_cleanse(buf, n);
	free(buf);
	return bio;
}

static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	return -1;	/* never prompt: encrypted keys are refused */
}

/* Every certificate of a file: PEM (one or more) or one DER. */
static STACK_OF(X509) *read_certs(const char *path, char *err, size_t errlen)
{
	STACK_OF(X509) *certs = sk_X509_new_null();
	BIO *bio = read_file(path, err, errlen);
	char *data;
	long len;
	X509 *x;

	if (!bio || !certs)
		goto fail;
	len = BIO_get_mem_data(bio, &data);
	if (len > 0 && memmem(data, len, "-----BEGIN", 10)) {
		while ((x = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL))) {
			if (!sk_X509_push(certs, x)) {
				X509_free(x);
				goto fail;
			}
		}
		/* the end of the file, or a broken block */
		if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE) {
			snprintf(err, errlen, "'%s': bad PEM certificate: %s", path,
				 ssl_why("?"));
			goto fail;
		}
		ERR_clear_error();
	} else if (len > 0) {
		const unsigned char *p = (const unsigned char *)data;

		x = d2i_X509(NULL, &p, len);
		if (!x || p != (const unsigned char *)data + len) {
			X509_free(x);
			snprintf(err, errlen, "'%s' is neither PEM nor one DER certificate", path);
			goto fail;
		}
		if (!sk_X509_push(certs, x)) {
			X509_free(x);
			goto fail;
		}
	}
	if (!sk_X509_num(certs)) {
		snprintf(err, errlen, "'%s' holds no certificate", path);
		goto fail;
	}
	BIO_free(bio);
	return certs;
fail:
	if (bio && certs && !*err)
		snprintf(err, errlen, "'%s': out of memory", path);
	BIO_free(bio);
	sk_X509_pop_free(certs, X509_free);
	return NULL;
}

static EVP_PKEY *read_key(const char *path, char *err, size_t errlen)
{
	BIO *bio = read_file(path, err, errlen);
	EVP_PKEY *key = NULL;
	char *data;
	long len;

	if (!bio)
		return NULL;
	len = BIO_get_mem_data(bio, &data);
	if (len > 0 && memmem(data, len, "-----BEGIN", 10)) {
		key = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
	} else if (len > 0) {
		const unsigned char *p = (const unsigned char *)data;

		key = d2i_AutoPrivateKey(NULL, &p, len);
	}
	BIO_free(bio);
	if (!key)
		snprintf(err, errlen, "'%s': not an unencrypted private key (%s)", path,
			 ssl_why("unreadable"));
	return key;
}

/* RSA of at least IKE_RSA_MIN_BITS, or EC on P-256/384/521. NULL is
 * what X509_get0_pubkey() gives for a key OpenSSL cannot decode. */
static int key_acceptable(EVP_PKEY *key, char *why, size_t len)
{
	const char *type;
	char curve[32];

	if (!key) {
		snprintf(why, len, "a public key that cannot be decoded");
		return -EKEYREJECTED;
	}
	if (EVP_PKEY_is_a(key, "RSA")) {
		if (EVP_PKEY_get_bits(key) < IKE_RSA_MIN_BITS) {
			snprintf(why, len, "RSA key of %d bits, fewer than %d",
				 EVP_PKEY_get_bits(key), IKE_RSA_MIN_BITS);
			return -EKEYREJECTED;
		}
		return 0;
	}
	if (EVP_PKEY_is_a(key, "EC")) {
		if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, curve,
						    sizeof(curve), NULL) ||
		    (strcmp(curve, "prime256v1") && strcmp(curve, "secp384r1") &&
		     strcmp(curve, "secp521r1"))) {
			snprintf(why, len, "EC key not on P-256, P-384 or P-521");
			return -EKEYREJECTED;
		}
		return 0;
	}
	type = EVP_PKEY_get0_type_name(key);
	snprintf(why, len, "%s key, not RSA or ECDSA", type ? type : "an unknown");
	return -EKEYREJECTED;
}

/* SHA-1 of the certificate's SubjectPublicKeyInfo (RFC 7296 §3.7). */
static int spki_sha1(X509 *x, uint8_t out[20])
{
	unsigned char *der = NULL;
	unsigned int mdlen;
	int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &der);
	int ok;

	if (len <= 0)
		return -EINVAL;
	ok = EVP_Digest(der, len, out, &mdlen, EVP_sha1(), NULL);
	OPENSSL_free(der);
	return ok && mdlen == 20 ? 0 : -EIO;
}

int ike_creds_load(struct ike_creds **out, const char *cert, const char *key,
		   char *const *ca, size_t n_ca, bool rsa_pss, int *which, char *err,
		   size_t errlen)
{
	struct ike_creds *c = calloc(1, sizeof(*c));
	STACK_OF(X509) *certs = NULL;
	char why[128];
	int ret = -EINVAL;

	err[0] = 0;
	*out = NULL;
	if (!c)
		return -ENOMEM;
	c->rsa_pss = rsa_pss;
	*which = IKE_CREDS_CERT;
	certs = read_certs(cert, err, errlen);
	if (!certs)
		goto fail;
	c->cert = sk_X509_shift(certs);
	c->chain = certs;
	*which = IKE_CREDS_KEY;
	c->key = read_key(key, err, errlen);
	if (!c->key)
		goto fail;
	if (key_acceptable(c->key, why, sizeof(why))) {
		snprintf(err, errlen, "'%s': %s", key, why);
		goto fail;
	}
	if (X509_check_private_key(c->cert, c->key) != 1) {
		ERR_clear_error();
		snprintf(err, errlen, "key '%s' does not belong to certificate '%s'", key, cert);
		goto fail;
	}
	if (rsa_pss && !EVP_PKEY_is_a(c->key, "RSA")) {
		snprintf(err, errlen, "rsa-pss with a key that is not RSA ('%s')", key);
		goto fail;
	}
	*which = IKE_CREDS_CA;
	c->store = X509_STORE_new();
	if (!c->store)
		goto nomem;
	for (size_t i = 0; i < n_ca; i++) {
		STACK_OF(X509) *cas = read_certs(ca[i], err, errlen);

		if (!cas)
			goto fail;
		for (int j = 0; j < sk_X509_num(cas); j++) {
			X509 *x = sk_X509_value(cas, j);
			uint8_t *h;

			if (c->n_ca >= CA_MAX) {
				snprintf(err, errlen, "more than %d CA certificates", CA_MAX);
				sk_X509_pop_free(cas, X509_free);
				goto fail;
			}
			h = realloc(c->ca_hashes, (c->n_ca + 1) * 20);
			if (!h || !X509_STORE_add_cert(c->store, x) ||
			    spki_sha1(x, h + c->n_ca * 20)) {
				if (h)
					c->ca_hashes = h;
				sk_X509_pop_free(cas, X509_free);
				snprintf(err, errlen, "'%s': %s", ca[i], ssl_why("cannot add CA"));
				goto fail;
			}
			c->ca_hashes = h;
			c->n_ca++;
		}
		sk_X509_pop_free(cas, X509_free);
	}
	*out = c;
	return 0;
nomem:
	ret = -ENOMEM;
	snprintf(err, errlen, "out of memory");
fail:
	ike_creds_free(c);
	return ret;
}

void ike_creds_free(struct ike_creds *c)
{
	if (!c)
		return;
	X509_free(c->cert);
	sk_X509_pop_free(c->chain, X509_free);
	EVP_PKEY_free(c->key);
	X509_STORE_free(c->store);
	free(c->ca_hashes);
	free(c);
}

int ike_cert_subject_der(X509 *cert, uint8_t *out, size_t cap, size_t *len)
{
	int l = i2d_X509_NAME(X509_get_subject_name(cert), NULL);
	unsigned char *p = out;

	if (l <= 0 || (size_t)l > cap)
		return -ENOSPC;
	*len = (size_t)i2d_X509_NAME(X509_get_subject_name(cert), &p);
	return 0;
}

static const char *name_str(const X509_NAME *name, char *buf, size_t len)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data;
	long n;

	snprintf(buf, len, "?");
	if (!b || !name)
		goto out;
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		n = BIO_get_mem_data(b, &data);
		snprintf(buf, len, "%.*s", (int)n, data);
	}
out:
	BIO_free(b);
	return buf;
}

const char *ike_cert_subject(X509 *cert, char *buf, size_t len)
{
	return name_str(X509_get_subject_name(cert), buf, len);
}

static X509_NAME *der_to_name(struct ike_buf data);

const char *ike_dn_str(struct ike_buf der, char *buf, size_t len)
{
	X509_NAME *n = der_to_name(der);

	name_str(n, buf, len);
	X509_NAME_free(n);
	return buf;
}

/* ---- identities ---- */

static X509_NAME *der_to_name(struct ike_buf data)
{
	const unsigned char *p = data.ptr;
	X509_NAME *n;

	if (!data.len || data.len > 65535)
		return NULL;
	n = d2i_X509_NAME(NULL, &p, (long)data.len);
	if (n && p != data.ptr + data.len) {
		X509_NAME_free(n);
		return NULL;
	}
	return n;
}

static bool name_equal(const X509_NAME *want, struct ike_buf data)
{
	X509_NAME *n = der_to_name(data);
	bool eq = n && !X509_NAME_cmp(want, n);

	X509_NAME_free(n);
	return eq;
}

bool ike_id_equal(uint8_t type, struct ike_buf a, struct ike_buf b)
{
	switch (type) {
	case IKE_ID_DER_ASN1_DN: {
		X509_NAME *na = der_to_name(a);
		bool eq = na && name_equal(na, b);

		X509_NAME_free(na);
		return eq;
	}
	case IKE_ID_FQDN:
	case IKE_ID_RFC822_ADDR:
		return a.len == b.len && a.len && !memchr(a.ptr, 0, a.len) &&
		       !memchr(b.ptr, 0, b.len) &&
		       !strncasecmp((const char *)a.ptr, (const char *)b.ptr, a.len);
	default:
		return a.len == b.len && (!a.len || !memcmp(a.ptr, b.ptr, a.len));
	}
}

static bool ia5_equal(const ASN1_IA5STRING *s, struct ike_buf data)
{
	return s && ike_id_equal(IKE_ID_FQDN, IKE_BUF(ASN1_STRING_get0_data(s),
						       (size_t)ASN1_STRING_length(s)), data);
}

bool ike_cert_has_id(X509 *cert, uint8_t type, struct ike_buf data)
{
	GENERAL_NAMES *sans;
	bool found = false;

	if (!data.len)
		return false;
	if (type == IKE_ID_DER_ASN1_DN && name_equal(X509_get_subject_name(cert), data))
		return true;
	if (type != IKE_ID_DER_ASN1_DN && type != IKE_ID_FQDN && type != IKE_ID_RFC822_ADDR &&
	    type != IKE_ID_IPV4_ADDR && type != IKE_ID_IPV6_ADDR)
		return false;
	sans = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
	for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans) && !found; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(sans, i);

		switch (type) {
		case IKE_ID_FQDN:
			found = g->type == GEN_DNS && ia5_equal(g->d.dNSName, data);
			break;
		case IKE_ID_RFC822_ADDR:
			found = g->type == GEN_EMAIL && ia5_equal(g->d.rfc822Name, data);
			break;
		case IKE_ID_IPV4_ADDR:
		case IKE_ID_IPV6_ADDR:
			found = g->type == GEN_IPADD &&
				(size_t)ASN1_STRING_length(g->d.iPAddress) == data.len &&
				data.len == (type == IKE_ID_IPV4_ADDR ? 4u : 16u) &&
				!memcmp(ASN1_STRING_get0_data(g->d.iPAddress), data.ptr, data.len);
			break;
		case IKE_ID_DER_ASN1_DN:
			found = g->type == GEN_DIRNAME && name_equal(g->d.directoryName, data);
			break;
		}
	}
	GENERAL_NAMES_free(sans);
	return found;
}

/* ---- peer certificates ---- */

int ike_peer_certs_add(struct ike_peer_certs *pc, const struct ike_cert *cert,
		       char *err, size_t errlen)
{
	const unsigned char *p = cert->data.ptr;
	X509 *x;

	if (cert->encoding != IKE_CERT_X509_SIG) {
		snprintf(err, errlen, "certificate encoding %u is not X.509 (4)", cert->encoding);
		return -ENOTSUP;
	}
	if ((pc->leaf ? 1 + sk_X509_num(pc->untrusted) : 0) >= IKE_PEER_CERTS_MAX) {
		snprintf(err, errlen, "more than %d certificates", IKE_PEER_CERTS_MAX);
		return -E2BIG;
	}
	if (!cert->data.len || cert->data.len > 65535) {
		snprintf(err, errlen, "certificate of %zu bytes", cert->data.len);
		return -EINVAL;
	}
	x = d2i_X509(NULL, &p, (long)cert->data.len);
	if (!x || p != cert->data.ptr + cert->data.len) {
		X509_free(x);
		ERR_clear_error();
		snprintf(err, errlen, "certificate is not one DER X.509 certificate");
		return -EINVAL;
	}
	if (!pc->leaf) {
		pc->leaf = x;
		return 0;
	}
	if (!pc->untrusted)
		pc->untrusted = sk_X509_new_null();
	if (!pc->untrusted || !sk_X509_push(pc->untrusted, x)) {
		X509_free(x);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

void ike_peer_certs_free(struct ike_peer_certs *pc)
{
	X509_free(pc->leaf);
	sk_X509_pop_free(pc->untrusted, X509_free);
	pc->leaf = NULL;
	pc->untrusted = NULL;
}

int ike_chain_verify(const struct ike_creds *c, const struct ike_peer_certs *pc,
		     char *err, size_t errlen)
{
	X509_STORE_CTX *ctx;
	char why[128];
	int ret = -EKEYREJECTED;

	if (!pc->leaf) {
		snprintf(err, errlen, "no certificate");
		return -ENOENT;
	}
	if (key_acceptable(X509_get0_pubkey(pc->leaf), why, sizeof(why))) {
		snprintf(err, errlen, "certificate with %s", why);
		return -EKEYREJECTED;
	}
	ctx = X509_STORE_CTX_new();
	if (!ctx || !X509_STORE_CTX_init(ctx, c->store, pc->leaf, pc->untrusted)) {
		X509_STORE_CTX_free(ctx);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/* 112-bit security: RSA >= 2048, no SHA-1 signatures in the chain */
	X509_VERIFY_PARAM_set_auth_level(X509_STORE_CTX_get0_param(ctx), 2);
	if (X509_verify_cert(ctx) == 1) {
		ret = 0;
	} else {
		int e = X509_STORE_CTX_get_error(ctx);

		snprintf(err, errlen, "certificate chain does not verify: %s (depth %d)",
			 X509_verify_cert_error_string(e), X509_STORE_CTX_get_error_depth(ctx));
	}
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return ret;
}

/* ---- signatures ---- */

static const char *hash_name(unsigned int id)
{
	switch (id) {
	case IKE_HASH_SHA1: return "SHA1";
	case IKE_HASH_SHA2_256: return "SHA256";
	case IKE_HASH_SHA2_384: return "SHA384";
	case IKE_HASH_SHA2_512: return "SHA512";
	}
	return NULL;
}

static unsigned int hash_id_of_nid(int nid)
{
	switch (nid) {
	case NID_sha256: return IKE_HASH_SHA2_256;
	case NID_sha384: return IKE_HASH_SHA2_384;
	case NID_sha512: return IKE_HASH_SHA2_512;
	case NID_sha1: return IKE_HASH_SHA1;
	}
	return 0;
}

/* Coordinate size of an EC key: 32, 48 or 66; 0 if not one of ours. */
static size_t ec_coord_len(EVP_PKEY *key)
{
	char curve[32];

	if (!EVP_PKEY_is_a(key, "EC") ||
	    !EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, curve,
					    sizeof(curve), NULL))
		return 0;
	if (!strcmp(curve, "prime256v1"))
		return 32;
	if (!strcmp(curve, "secp384r1"))
		return 48;
	if (!strcmp(curve, "secp521r1"))
		return 66;
	return 0;
}

/* Signs with a hash, PSS or not, into out; with_aid puts the RFC 7427
 * length byte and AlgorithmIdentifier first. */
static int do_sign(EVP_PKEY *key, unsigned int hash, bool pss, bool with_aid,
		   struct ike_buf octets, uint8_t *out, size_t cap, size_t *out_len)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	size_t len, off = 0;
	int ret = -EIO;

	if (!mctx)
		return -ENOMEM;
	if (EVP_DigestSignInit_ex(mctx, &pctx, hash_name(hash), NULL, NULL, key, NULL) != 1)
		goto out;
	if (pss && (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
		    EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, hash_name(hash), NULL) != 1))
		goto out;
	if (with_aid) {
		OSSL_PARAM params[2] = {
			OSSL_PARAM_octet_string(OSSL_SIGNATURE_PARAM_ALGORITHM_ID, NULL, 0),
			OSSL_PARAM_END,
		};

		if (cap < 2)
			goto nospace;
		params[0].data = out + 1;
		params[0].data_size = (cap - 1) < 255 ? cap - 1 : 255;
		if (EVP_PKEY_CTX_get_params(pctx, params) != 1 || !params[0].return_size ||
		    params[0].return_size > params[0].data_size)
			goto out;
		out[0] = (uint8_t)params[0].return_size;
		off = 1 + params[0].return_size;
	}
	if (EVP_DigestSign(mctx, NULL, &len, octets.ptr, octets.len) != 1)
		goto out;
	if (len > cap - off)
		goto nospace;
	len = cap - off;
	if (EVP_DigestSign(mctx, out + off, &len, octets.ptr, octets.len) != 1)
		goto out;
	*out_len = off + len;
	ret = 0;
	goto out;
nospace:
	ret = -ENOSPC;
out:
	EVP_MD_CTX_free(mctx);
	ERR_clear_error();
	return ret;
}

static int do_verify(EVP_PKEY *pub, unsigned int hash, bool pss, int pss_salt,
		     unsigned int mgf_hash, struct ike_buf sig, struct ike_buf octets)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ret = -EBADMSG;

	if (!mctx)
		return -ENOMEM;
	if (EVP_DigestVerifyInit_ex(mctx, &pctx, hash_name(hash), NULL, NULL, pub, NULL) != 1) {
		ret = -EIO;
		goto out;
	}
	if (EVP_PKEY_is_a(pub, "RSA") &&
	    EVP_PKEY_CTX_set_rsa_padding(pctx, pss ? RSA_PKCS1_PSS_PADDING :
					 RSA_PKCS1_PADDING) != 1) {
		ret = -EIO;
		goto out;
	}
	if (pss && (EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, pss_salt) != 1 ||
		    EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, hash_name(mgf_hash), NULL) != 1)) {
		ret = -EIO;
		goto out;
	}
	if (EVP_DigestVerify(mctx, sig.ptr, sig.len, octets.ptr, octets.len) == 1)
		ret = 0;
out:
	EVP_MD_CTX_free(mctx);
	ERR_clear_error();
	return ret;
}

/* Our preference: the curve's hash for ECDSA, else SHA2-256 up. */
static unsigned int pick_hash(EVP_PKEY *key, unsigned int peer)
{
	static const unsigned int order[] = { IKE_HASH_SHA2_256, IKE_HASH_SHA2_384,
					      IKE_HASH_SHA2_512 };
	size_t coord = ec_coord_len(key);
	unsigned int want = coord == 48 ? IKE_HASH_SHA2_384 : coord == 66 ?
			    IKE_HASH_SHA2_512 : IKE_HASH_SHA2_256;

	peer &= IKE_HASHES_OURS;
	if (peer & IKE_HASH_BIT(want))
		return want;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (peer & IKE_HASH_BIT(order[i]))
			return order[i];
	return 0;
}

/* DER Ecdsa-Sig-Value <-> r|s of coord bytes each (RFC 4754). */
static int ecdsa_der_to_raw(struct ike_buf der, size_t coord, uint8_t *out)
{
	const unsigned char *p = der.ptr;
	ECDSA_SIG *s = d2i_ECDSA_SIG(NULL, &p, (long)der.len);
	int ret = -EIO;

	if (s && BN_bn2binpad(ECDSA_SIG_get0_r(s), out, (int)coord) == (int)coord &&
	    BN_bn2binpad(ECDSA_SIG_get0_s(s), out + coord, (int)coord) == (int)coord)
		ret = 0;
	ECDSA_SIG_free(s);
	return ret;
}

static int ecdsa_raw_to_der(struct ike_buf raw, uint8_t *out, size_t cap, size_t *len)
{
	ECDSA_SIG *s = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw.ptr, (int)(raw.len / 2), NULL);
	BIGNUM *sv = BN_bin2bn(raw.ptr + raw.len / 2, (int)(raw.len / 2), NULL);
	unsigned char *p = out;
	int l, ret = -EIO;

	if (!s || !r || !sv || ECDSA_SIG_set0(s, r, sv) != 1) {
		BN_free(r);
		BN_free(sv);
		goto out;
	}
	l = i2d_ECDSA_SIG(s, NULL);
	if (l > 0 && (size_t)l <= cap) {
		*len = (size_t)i2d_ECDSA_SIG(s, &p);
		ret = 0;
	}
out:
	ECDSA_SIG_free(s);
	return ret;
}

int ike_sig_sign(EVP_PKEY *key, bool rsa_pss, unsigned int peer_hashes,
		 struct ike_buf octets, uint8_t *method, uint8_t *out, size_t cap,
		 size_t *len)
{
	unsigned int hash = pick_hash(key, peer_hashes);
	bool rsa = EVP_PKEY_is_a(key, "RSA");
	size_t coord = ec_coord_len(key);
	uint8_t der[160];
	size_t sig_len;
	int ret;

	if (!rsa && !coord)
		return -ENOTSUP;
	if (hash) {
		*method = IKE_AUTH_DIGITAL_SIG;
		return do_sign(key, hash, rsa && rsa_pss, true, octets, out, cap, len);
	}
	if (rsa) {
		if (rsa_pss)
			return -ENOTSUP;	/* no classic method for PSS */
		*method = IKE_AUTH_RSA_SIG;
		return do_sign(key, IKE_HASH_SHA1, false, false, octets, out, cap, len);
	}
	if (cap < 2 * coord)
		return -ENOSPC;
	ret = do_sign(key, coord == 32 ? IKE_HASH_SHA2_256 : coord == 48 ? IKE_HASH_SHA2_384 :
		      IKE_HASH_SHA2_512, false, false, octets, der, sizeof(der), &sig_len);
	if (!ret)
		ret = ecdsa_der_to_raw(IKE_BUF(der, sig_len), coord, out);
	if (ret)
		return ret;
	*method = coord == 32 ? IKE_AUTH_ECDSA_256 : coord == 48 ? IKE_AUTH_ECDSA_384 :
		  IKE_AUTH_ECDSA_521;
	*len = 2 * coord;
	return 0;
}

/* The hash of an AlgorithmIdentifier's parameters (absent: SHA-1). */
static unsigned int algor_hash(const X509_ALGOR *a)
{
	const ASN1_OBJECT *obj;

	if (!a)
		return IKE_HASH_SHA1;
	X509_ALGOR_get0(&obj, NULL, NULL, a);
	return hash_id_of_nid(OBJ_obj2nid(obj));
}

/* RSASSA-PSS-params (RFC 4055): hash, MGF1 hash, salt length; trailer 1. */
static int pss_params(const X509_ALGOR *alg, unsigned int *hash, unsigned int *mgf_hash,
		      int *salt, char *err, size_t errlen)
{
	const ASN1_STRING *seq;
	const ASN1_OBJECT *obj;
	const void *pval;
	RSA_PSS_PARAMS *pss;
	const unsigned char *p;
	X509_ALGOR *mgf_md = NULL;
	int ptype, ret = -EINVAL;
	int64_t v;

	X509_ALGOR_get0(NULL, &ptype, &pval, alg);
	if (ptype != V_ASN1_SEQUENCE) {
		snprintf(err, errlen, "RSASSA-PSS without parameters");
		return -EINVAL;
	}
	seq = pval;
	p = ASN1_STRING_get0_data(seq);
	pss = d2i_RSA_PSS_PARAMS(NULL, &p, ASN1_STRING_length(seq));
	if (!pss || p != ASN1_STRING_get0_data(seq) + ASN1_STRING_length(seq)) {
		snprintf(err, errlen, "malformed RSASSA-PSS parameters");
		goto out;
	}
	*hash = algor_hash(pss->hashAlgorithm);
	*mgf_hash = IKE_HASH_SHA1;
	if (pss->maskGenAlgorithm) {
		X509_ALGOR_get0(&obj, &ptype, &pval, pss->maskGenAlgorithm);
		if (OBJ_obj2nid(obj) != NID_mgf1 || ptype != V_ASN1_SEQUENCE) {
			snprintf(err, errlen, "RSASSA-PSS with a mask generation other than MGF1");
			goto out;
		}
		seq = pval;
		p = ASN1_STRING_get0_data(seq);
		mgf_md = d2i_X509_ALGOR(NULL, &p, ASN1_STRING_length(seq));
		if (!mgf_md || p != ASN1_STRING_get0_data(seq) + ASN1_STRING_length(seq)) {
			snprintf(err, errlen, "malformed MGF1 parameters");
			goto out;
		}
		*mgf_hash = algor_hash(mgf_md);
	}
	v = 20;
	if (pss->saltLength && (!ASN1_INTEGER_get_int64(&v, pss->saltLength) || v < 0 ||
				v > 1024)) {
		snprintf(err, errlen, "RSASSA-PSS salt length out of range");
		goto out;
	}
	if (pss->trailerField && ASN1_INTEGER_get(pss->trailerField) != 1) {
		snprintf(err, errlen, "RSASSA-PSS trailer field is not 1");
		goto out;
	}
	*salt = (int)v;
	ret = 0;
out:
	X509_ALGOR_free(mgf_md);
	RSA_PSS_PARAMS_free(pss);
	ERR_clear_error();
	return ret;
}

/* RFC 7427 §3: 1-byte length | AlgorithmIdentifier | signature. */
static int verify_digital(EVP_PKEY *pub, struct ike_buf data, struct ike_buf octets,
			  char *err, size_t errlen)
{
	unsigned int hash = 0, mgf_hash = 0;
	const ASN1_OBJECT *obj;
	const unsigned char *p;
	X509_ALGOR *alg;
	bool pss = false, want_rsa = true;
	int ptype, nid, salt = 0, ret;
	size_t alen;

	if (data.len < 1 || (alen = data.ptr[0]) == 0 || data.len <= 1 + alen) {
		snprintf(err, errlen, "AUTH data too short for its AlgorithmIdentifier");
		return -EINVAL;
	}
	p = data.ptr + 1;
	alg = d2i_X509_ALGOR(NULL, &p, (long)alen);
	if (!alg || p != data.ptr + 1 + alen) {
		X509_ALGOR_free(alg);
		ERR_clear_error();
		snprintf(err, errlen, "malformed AlgorithmIdentifier");
		return -EINVAL;
	}
	X509_ALGOR_get0(&obj, &ptype, NULL, alg);
	nid = OBJ_obj2nid(obj);
	switch (nid) {
	case NID_sha256WithRSAEncryption:
	case NID_sha384WithRSAEncryption:
	case NID_sha512WithRSAEncryption:
		hash = nid == NID_sha256WithRSAEncryption ? IKE_HASH_SHA2_256 :
		       nid == NID_sha384WithRSAEncryption ? IKE_HASH_SHA2_384 : IKE_HASH_SHA2_512;
		if (ptype != V_ASN1_NULL && ptype != V_ASN1_UNDEF)
			hash = 0;
		break;
	case NID_rsassaPss:
		pss = true;
		if (pss_params(alg, &hash, &mgf_hash, &salt, err, errlen)) {
			X509_ALGOR_free(alg);
			return -EINVAL;
		}
		if (!(IKE_HASH_BIT(mgf_hash) & IKE_HASHES_OURS))
			hash = 0;
		break;
	case NID_ecdsa_with_SHA256:
	case NID_ecdsa_with_SHA384:
	case NID_ecdsa_with_SHA512:
		want_rsa = false;
		hash = nid == NID_ecdsa_with_SHA256 ? IKE_HASH_SHA2_256 :
		       nid == NID_ecdsa_with_SHA384 ? IKE_HASH_SHA2_384 : IKE_HASH_SHA2_512;
		if (ptype != V_ASN1_UNDEF)
			hash = 0;
		break;
	}
	X509_ALGOR_free(alg);
	if (!hash || !(IKE_HASH_BIT(hash) & IKE_HASHES_OURS)) {
		char name[80];

		OBJ_obj2txt(name, sizeof(name), obj, 0);
		snprintf(err, errlen, "signature algorithm %s is not one we accept", name);
		return -ENOTSUP;
	}
	if (want_rsa != (bool)EVP_PKEY_is_a(pub, "RSA") || (!want_rsa && !ec_coord_len(pub))) {
		snprintf(err, errlen, "signature algorithm does not fit the certificate's key");
		return -EKEYREJECTED;
	}
	ret = do_verify(pub, hash, pss, salt, mgf_hash,
			IKE_BUF(data.ptr + 1 + alen, data.len - 1 - alen), octets);
	if (ret)
		snprintf(err, errlen, "signature (%s%s) does not verify",
			 want_rsa ? (pss ? "RSASSA-PSS " : "RSA PKCS#1 ") : "ECDSA ",
			 hash_name(hash));
	return ret;
}

int ike_sig_verify(EVP_PKEY *pub, uint8_t method, struct ike_buf data, struct ike_buf octets,
		   char *err, size_t errlen)
{
	size_t coord = ec_coord_len(pub);
	uint8_t der[160];
	char why[128];
	size_t dlen;
	int ret;

	if (key_acceptable(pub, why, sizeof(why))) {
		snprintf(err, errlen, "peer's %s", why);
		return -EKEYREJECTED;
	}
	if (data.len > IKE_AUTH_DATA_MAX) {
		snprintf(err, errlen, "AUTH data of %zu bytes", data.len);
		return -EINVAL;
	}
	switch (method) {
	case IKE_AUTH_DIGITAL_SIG:
		return verify_digital(pub, data, octets, err, errlen);
	case IKE_AUTH_RSA_SIG:
		if (!EVP_PKEY_is_a(pub, "RSA")) {
			snprintf(err, errlen, "RSA signature, but the certificate's key is not RSA");
			return -EKEYREJECTED;
		}
		ret = do_verify(pub, IKE_HASH_SHA1, false, 0, 0, data, octets);
		if (ret)
			snprintf(err, errlen, "RSA signature (PKCS#1, SHA1) does not verify");
		return ret;
	case IKE_AUTH_ECDSA_256:
	case IKE_AUTH_ECDSA_384:
	case IKE_AUTH_ECDSA_521:
		if (coord != (method == IKE_AUTH_ECDSA_256 ? 32u : method == IKE_AUTH_ECDSA_384 ?
			      48u : 66u)) {
			snprintf(err, errlen, "ECDSA method %u does not fit the certificate's key",
				 method);
			return -EKEYREJECTED;
		}
		if (data.len != 2 * coord) {
			snprintf(err, errlen, "ECDSA signature of %zu bytes, not %zu", data.len,
				 2 * coord);
			return -EINVAL;
		}
		ret = ecdsa_raw_to_der(data, der, sizeof(der), &dlen);
		if (!ret)
			ret = do_verify(pub, coord == 32 ? IKE_HASH_SHA2_256 : coord == 48 ?
					IKE_HASH_SHA2_384 : IKE_HASH_SHA2_512, false, 0, 0,
					IKE_BUF(der, dlen), octets);
		if (ret)
			snprintf(err, errlen, "ECDSA signature (method %u) does not verify", method);
		return ret;
	}
	snprintf(err, errlen, "authentication method %u is not a signature we support", method);
	return -ENOTSUP;
}
