/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Test certificates, made at test time with OpenSSL (no key is committed):
 * keys, certificates signed by a given issuer with a subject, validity and
 * subjectAltNames, and PEM files in a temporary directory.
 */
#ifndef TEST_CERTS_H
#define TEST_CERTS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include "test_util.h"

/* "rsa1024", "rsa2048", "p256", "p384", "p521", "ed25519" */
static inline EVP_PKEY *tc_key(const char *kind)
{
	EVP_PKEY *k = NULL;

	if (!strncmp(kind, "rsa", 3))
		k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)atoi(kind + 3));
	else if (!strcmp(kind, "p256"))
		k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	else if (!strcmp(kind, "p384"))
		k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	else if (!strcmp(kind, "p521"))
		k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
	else if (!strcmp(kind, "ed25519"))
		k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	assert_non_null(k);
	return k;
}

/*
 * A certificate for key with subject "C=CH, O=nfsec test, CN=cn" (or cn
 * itself when it is "/C=../O=../CN=.."), valid
 * from now + from_days for days; issued by issuer (NULL: self-signed) with
 * issuer_key; a CA when ca; with subjectAltName san ("DNS:x,IP:1.2.3.4",
 * NULL for none). Signed with SHA-256.
 */
static inline X509 *tc_cert(EVP_PKEY *key, const char *cn, X509 *issuer, EVP_PKEY *issuer_key,
			    bool ca, long from_days, long days, const char *san)
{
	static long serial = 1;
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), (from_days + days) * 86400);
	if (cn[0] == '/') {
		char buf[256], *save = NULL;

		snprintf(buf, sizeof(buf), "%s", cn);
		for (char *t = strtok_r(buf, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
			char *eq = strchr(t, '=');

			assert_non_null(eq);
			*eq = 0;
			assert_true(X509_NAME_add_entry_by_txt(name, t, MBSTRING_UTF8,
							       (const unsigned char *)eq + 1,
							       -1, -1, 0));
		}
	} else {
		X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, (const unsigned char *)"CH",
					   -1, -1, 0);
		X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
					   (const unsigned char *)"nfsec test", -1, -1, 0);
		X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn,
					   -1, -1, 0);
	}
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
	X509_NAME_free(name);
	X509_set_pubkey(x, key);
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
				  ca ? "critical,CA:TRUE" : "CA:FALSE");
	assert_non_null(ext);
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	if (ca) {
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	if (san) {
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, san);
		assert_non_null(ext);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	assert_true(X509_sign(x, issuer_key ? issuer_key : key,
			      EVP_PKEY_is_a(issuer_key ? issuer_key : key, "ED25519") ?
			      NULL : EVP_sha256()) > 0);
	return x;
}

/* Writes PEM certificates (and optionally a key) to dir/name. */
static inline void tc_write(const char *dir, const char *name, X509 *const *certs, size_t n,
			    EVP_PKEY *key)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		assert_true(PEM_write_X509(f, certs[i]));
	if (key)
		assert_true(PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL));
	fclose(f);
}

/* A temporary directory, removed with its files by tc_rmdir(). */
static inline char *tc_mkdir(void)
{
	char *d = strdup("/tmp/ikev2d-certs-XXXXXX");

	assert_non_null(mkdtemp(d));
	return d;
}

static inline void tc_rmdir(char *dir)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

#endif
