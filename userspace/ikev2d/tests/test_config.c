// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ikev2d.conf parser: the man page's examples parse into the expected
 * structs, and each kind of mistake is reported as FILE:LINE: problem.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include "test_certs.h"
#include "config.h"

static const char site_a[] =
	"# site-to-site, as in ikev2d.conf(5)\n"
	"conn site-a {\n"
	"    local 192.0.2.1 ; remote 198.51.100.2\n"
	"    local-id gw-a.example ; remote-id gw-b.example\n"
	"    auth psk ; psk \"secret \\\"string\\\"\"\n"
	"    ike aes256gcm16-prfsha384-x25519 ; esp aes256gcm16\n"
	"    local-ts 10.1.0.0/16 ; remote-ts 10.2.0.0/16\n"
	"    mode tunnel ; start trap ; rekey 3600 ; lifetime 4000 ; dpd 30\n"
	"}\n";

static void test_site_to_site(void **state)
{
	const struct conf_conn *c;
	struct config cfg;
	char err[256];

	if (config_parse("test.conf", site_a, strlen(site_a), &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(cfg.n, 1);
	c = config_find(&cfg, "site-a");
	assert_non_null(c);
	assert_int_equal(c->line, 2);
	assert_int_equal(c->local.family, AF_INET);
	assert_hex_equal(c->local.addr, 4, "c0000201");
	assert_hex_equal(c->remote.addr, 4, "c6336402");
	assert_int_equal(c->local_id.type, IKE_ID_FQDN);
	assert_int_equal(c->local_id.len, 12);
	assert_memory_equal(c->local_id.data, "gw-a.example", 12);
	assert_int_equal(c->remote_id.type, IKE_ID_FQDN);
	assert_int_equal(c->auth, CONF_AUTH_PSK);
	assert_int_equal(c->psk_len, 15);
	assert_memory_equal(c->psk, "secret \"string\"", 15);
	assert_int_equal(c->n_ike, 1);
	assert_int_equal(c->ike[0].n, 3);
	assert_int_equal(c->ike[0].xf[0].id, IKE_ENCR_AES_GCM_16);
	assert_int_equal(c->ike[0].xf[0].key_len, 256);
	assert_int_equal(c->n_esp, 1);
	assert_int_equal(c->esp[0].protocol, IKE_PROTO_ESP);
	assert_int_equal(c->n_local_ts, 1);
	assert_hex_equal(c->local_ts[0].end, 4, "0a01ffff");
	assert_hex_equal(c->remote_ts[0].start, 4, "0a020000");
	assert_int_equal(c->mode, CONF_MODE_TUNNEL);
	assert_int_equal(c->start, CONF_START_TRAP);
	assert_int_equal(c->rekey, 3600);
	assert_int_equal(c->lifetime, 4000);
	assert_int_equal(c->dpd, 30);
	assert_int_equal(c->ike_rekey, 14400);
	config_free(&cfg);
	assert_int_equal(cfg.n, 0);
}

static char *write_tmp(const char *content)
{
	char *path = strdup("/tmp/ikev2d-test-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	return path;
}

/* Test credentials in a temporary directory: gw.pem/gw.key (RSA, subject
 * C=CH, O=Example, CN=gw-b.example, SAN DNS:gw-b.example) and ca.pem,
 * other.key (P-256, not gw's). */
static char *make_creds(void)
{
	char *dir = tc_mkdir();
	EVP_PKEY *ca_key = tc_key("p256"), *gw_key = tc_key("rsa2048"), *other = tc_key("p256");
	X509 *ca = tc_cert(ca_key, "Test CA", NULL, NULL, true, -1, 30, NULL);
	X509 *gw = tc_cert(gw_key, "/C=CH/O=Example/CN=gw-b.example", ca, ca_key, false, -1, 30,
			   "DNS:gw-b.example");

	tc_write(dir, "ca.pem", &ca, 1, NULL);
	tc_write(dir, "gw.pem", &gw, 1, NULL);
	tc_write(dir, "gw.key", NULL, 0, gw_key);
	tc_write(dir, "other.key", NULL, 0, other);
	X509_free(ca);
	X509_free(gw);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(gw_key);
	EVP_PKEY_free(other);
	return dir;
}

static void test_road_warrior(void **state)
{
	char *dir = make_creds(), cert[300], key[300], ca[300];
	char text[2048], err[512];
	const struct conf_conn *c;
	struct config cfg;

	snprintf(cert, sizeof(cert), "%s/gw.pem", dir);
	snprintf(key, sizeof(key), "%s/gw.key", dir);
	snprintf(ca, sizeof(ca), "%s/ca.pem", dir);
	snprintf(text, sizeof(text),
		 "conn roadwarriors {\n"
		 "  local 2001:db8::1 ; remote %%any\n"
		 "  local-id \"C=CH, O=Example, CN=gw-b.example\"\n"
		 "  remote-id %%any\n"
		 "  auth pubkey ; cert %s ; key %s ; ca %s\n"
		 "  ike aes256gcm16-prfsha384-x25519, aes128-sha256-modp3072\n"
		 "  esp aes256gcm16 chacha20poly1305\n"
		 "  local-ts 2001:db8:1::/48, 10.1.0.0/16\n"
		 "  remote-ts 2001:db8:ff::/64\n"
		 "  start none ; rekey 1h ; ike-rekey 1d ; dpd 0\n"
		 "}\n", cert, key, ca);
	if (config_parse("rw.conf", text, strlen(text), &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	c = &cfg.conns[0];
	assert_int_equal(c->local.family, AF_INET6);
	assert_int_equal(c->remote.family, 0);
	assert_int_equal(c->remote_id.type, 0);
	/* DER of the DN, cross-checked with Python's cryptography.x509 */
	assert_int_equal(c->local_id.type, IKE_ID_DER_ASN1_DN);
	assert_hex_equal(c->local_id.data, c->local_id.len,
			 "3036310b30090603550406130243483110300e060355040a0c074578616d706c65"
			 "3115301306035504030c0c67772d622e6578616d706c65");
	assert_int_equal(c->auth, CONF_AUTH_PUBKEY);
	assert_string_equal(c->cert, cert);
	assert_int_equal(c->n_ca, 1);
	assert_string_equal(c->ca[0], ca);
	assert_non_null(c->creds);
	assert_non_null(c->creds->key);
	assert_int_equal(c->creds->n_ca, 1);
	assert_false(c->creds->rsa_pss);
	assert_null(c->psk);
	assert_int_equal(c->n_ike, 2);
	assert_int_equal(c->ike[1].num, 2);
	assert_int_equal(c->n_esp, 2);
	assert_int_equal(c->esp[1].xf[0].id, IKE_ENCR_CHACHA20_POLY1305);
	assert_int_equal(c->n_local_ts, 2);
	assert_int_equal(c->local_ts[1].type, IKE_TS_IPV4_ADDR_RANGE);
	assert_int_equal(c->rekey, 3600);
	assert_int_equal(c->lifetime, 3960);	/* rekey + 10% */
	assert_int_equal(c->ike_rekey, 86400);
	assert_int_equal(c->dpd, 0);
	config_free(&cfg);
	tc_rmdir(dir);
}

/* Certificate settings: the local-id defaults to the subject, must be in
 * the certificate, and every file problem names its line. */
static void test_cert_settings(void **state)
{
	char *dir = make_creds(), text[2048], err[512];
	struct config cfg;
	static const struct {
		const char *settings, *error;
	} bad[] = {
		{ "local-id gw-b.example\n auth pubkey ; cert D/gw.pem ; key D/other.key\n ca D/ca.pem",
		  "t.conf:3: conn 'x': key 'D/other.key' does not belong to certificate 'D/gw.pem'" },
		{ "local-id other.example\n auth pubkey ; cert D/gw.pem ; key D/gw.key\n ca D/ca.pem",
		  "t.conf:2: conn 'x': local-id 'other.example' is not in certificate 'D/gw.pem' "
		  "(subject or subjectAltName)" },
		{ "auth pubkey\n cert D/gw.pem ; key D/gw.key\n ca D/ca.pem D/gw.key",
		  "t.conf:4: conn 'x': 'D/gw.key' holds no certificate" },
		{ "auth pubkey\n cert D/gw.key ; key D/gw.key\n ca D/ca.pem",
		  "t.conf:3: conn 'x': 'D/gw.key' holds no certificate" },
		{ "auth psk ; psk s\n cert D/gw.pem",
		  "t.conf:2: conn 'x': cert, key, ca and rsa-pss need auth pubkey" },
		{ "auth pubkey ; rsa-pss maybe",
		  "t.conf:2: rsa-pss: 'maybe' is not yes or no" },
		{ "auth pubkey ; ca D/ca.pem D/ca.pem D/ca.pem D/ca.pem D/ca.pem D/ca.pem D/ca.pem "
		  "D/ca.pem D/ca.pem", "t.conf:2: ca: more than 8 files" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char settings[512], want[512], *o = settings, *w = want;

		/* D stands for the directory */
		for (const char *p = bad[i].settings; *p; p++)
			o += *p == 'D' && p[1] == '/' ? sprintf(o, "%s", dir) : sprintf(o, "%c", *p);
		for (const char *p = bad[i].error; *p; p++)
			w += *p == 'D' && p[1] == '/' ? sprintf(w, "%s", dir) : sprintf(w, "%c", *p);
		snprintf(text, sizeof(text), "conn x {\n remote 192.0.2.2 ; %s\n}\n", settings);
		assert_int_not_equal(config_parse("t.conf", text, strlen(text), &cfg, err,
						  sizeof(err)), 0);
		assert_string_equal(err, want);
	}
	/* no local-id: the certificate's subject; rsa-pss; two CA files */
	snprintf(text, sizeof(text), "conn x {\n remote 192.0.2.2 ; local 192.0.2.1\n"
		 " auth pubkey ; cert %s/gw.pem ; key %s/gw.key ; rsa-pss yes\n"
		 " ca %s/ca.pem %s/ca.pem\n}\n", dir, dir, dir, dir);
	if (config_parse("t.conf", text, strlen(text), &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(cfg.conns[0].local_id.type, IKE_ID_DER_ASN1_DN);
	assert_hex_equal(cfg.conns[0].local_id.data, cfg.conns[0].local_id.len,
			 "3036310b30090603550406130243483110300e060355040a0c074578616d706c65"
			 "3115301306035504030c0c67772d622e6578616d706c65");
	assert_string_equal(cfg.conns[0].local_id.text, "CN=gw-b.example,O=Example,C=CH");
	assert_true(cfg.conns[0].creds->rsa_pss);
	assert_int_equal(cfg.conns[0].creds->n_ca, 2);
	config_free(&cfg);
	tc_rmdir(dir);
}

static struct config parse_ok(const char *text)
{
	struct config cfg;
	char err[256];

	if (config_parse("t.conf", text, strlen(text), &cfg, err, sizeof(err)))
		fail_msg("%s", err);
	return cfg;
}

static void test_defaults_and_ids(void **state)
{
	struct config cfg = parse_ok(
		"conn a { remote 198.51.100.2; local 192.0.2.1; auth psk; psk 0x00ff10 }\n"
		"conn b {\n"
		"  remote 198.51.100.3 ; local-id @vpn.example ; remote-id bob@example.org\n"
		"  auth psk ; psk x ; mode transport ; start start\n"
		"  fragmentation no ; fragment-size 576 ; rekey 8\n"
		"}\n"
		"conn c { remote %any ; local-id ipv4:192.0.2.9 ; remote-id ipv6:2001:db8::7\n"
		"  auth psk ; psk y }\n");
	const struct conf_conn *a = config_find(&cfg, "a"), *b = config_find(&cfg, "b");
	const struct conf_conn *c = config_find(&cfg, "c");

	assert_int_equal(cfg.n, 3);
	/* hex PSK, default proposals and identity (our address) */
	assert_int_equal(a->psk_len, 3);
	assert_memory_equal(a->psk, "\x00\xff\x10", 3);
	assert_int_equal(a->ike[0].xf[0].id, IKE_ENCR_AES_GCM_16);
	assert_int_equal(a->ike[0].xf[2].id, IKE_KE_X25519);
	assert_int_equal(a->esp[0].xf[0].key_len, 256);
	assert_int_equal(a->local_id.type, IKE_ID_IPV4_ADDR);
	assert_hex_equal(a->local_id.data, a->local_id.len, "c0000201");
	assert_int_equal(a->mode, CONF_MODE_TUNNEL);
	assert_int_equal(a->start, CONF_START_NONE);
	assert_int_equal(a->n_local_ts, 0);
	assert_true(a->fragmentation);
	assert_int_equal(a->fragment_size, 1280);
	assert_false(b->fragmentation);
	assert_int_equal(b->fragment_size, 576);
	/* a short rekey still gets a longer default lifetime */
	assert_int_equal(a->lifetime, 3960);
	assert_int_equal(b->rekey, 8);
	assert_int_equal(b->lifetime, 9);
	/* @fqdn and user@domain */
	assert_int_equal(b->local_id.type, IKE_ID_FQDN);
	assert_memory_equal(b->local_id.data, "vpn.example", b->local_id.len);
	assert_int_equal(b->remote_id.type, IKE_ID_RFC822_ADDR);
	assert_int_equal(b->mode, CONF_MODE_TRANSPORT);
	assert_int_equal(b->start, CONF_START_START);
	/* typed address identities */
	assert_int_equal(c->local_id.type, IKE_ID_IPV4_ADDR);
	assert_int_equal(c->remote_id.type, IKE_ID_IPV6_ADDR);
	assert_hex_equal(c->remote_id.data, c->remote_id.len, "20010db8000000000000000000000007");
	config_free(&cfg);
}

static void test_psk_file(void **state)
{
	char *bin = write_tmp("0x0102030405\n"), *txt = write_tmp("a long passphrase\n");
	char *empty = write_tmp("\n");
	char text[512], err[256];
	struct config cfg;

	snprintf(text, sizeof(text),
		 "conn a { remote 198.51.100.2 ; local-id a ; auth psk ; psk-file %s }\n"
		 "conn b { remote 198.51.100.2 ; local-id b ; auth psk ; psk-file %s }\n",
		 bin, txt);
	cfg = parse_ok(text);
	assert_int_equal(cfg.conns[0].psk_len, 5);
	assert_memory_equal(cfg.conns[0].psk, "\x01\x02\x03\x04\x05", 5);
	assert_int_equal(cfg.conns[1].psk_len, 17);
	assert_memory_equal(cfg.conns[1].psk, "a long passphrase", 17);
	config_free(&cfg);

	snprintf(text, sizeof(text),
		 "conn a { remote 198.51.100.2 ; local-id a\n auth psk ; psk-file %s }\n", empty);
	assert_int_equal(config_parse("t.conf", text, strlen(text), &cfg, err, sizeof(err)),
			 -EINVAL);
	snprintf(text, sizeof(text), "t.conf:2: psk-file '%s' is empty", empty);
	assert_string_equal(err, text);
	unlink(bin);
	unlink(txt);
	unlink(empty);
	free(bin);
	free(txt);
	free(empty);
}

static void check_error(const char *text, const char *want)
{
	struct config cfg;
	char err[256] = "";

	assert_int_equal(config_parse("t.conf", text, strlen(text), &cfg, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, want);
	assert_null(cfg.conns);
}

#define BASE "conn x {\n remote 198.51.100.2 ; local 192.0.2.1\n auth psk ; psk s\n"

static void test_errors_syntax(void **state)
{
	check_error("foo bar\n", "t.conf:1: expected 'conn NAME {', found 'foo'");
	check_error("\n\n}\n", "t.conf:3: expected 'conn NAME {', found '}'");
	check_error("conn\n", "t.conf:1: 'conn' needs a name");
	check_error("conn a/b {}", "t.conf:1: conn name 'a/b': use up to 63 letters, "
		    "digits, '-', '_', '.'");
	check_error("conn x remote 1.2.3.4", "t.conf:1: expected '{' after 'conn x'");
	check_error(BASE " mode tunnel\n", "t.conf:5: end of file inside conn 'x' "
		    "(opened on line 1)");
	check_error(BASE " psk-file \"/no/such\n}\n", "t.conf:4: unterminated string");
	check_error(BASE " {\n}\n", "t.conf:4: unexpected '{'");
	check_error(BASE "}\nconn x {\n remote 198.51.100.3 ; auth psk ; psk t\n}\n",
		    "t.conf:5: conn 'x' is defined twice (first on line 1)");
}

static void test_errors_keywords(void **state)
{
	check_error(BASE " rekey-margin 10\n}\n", "t.conf:4: unknown keyword 'rekey-margin'");
	check_error(BASE " mode\n}\n", "t.conf:4: 'mode' needs a value");
	check_error(BASE " mode tunnel transport\n}\n", "t.conf:4: 'mode' takes one value, not 2");
	check_error(BASE " mode bridge\n}\n", "t.conf:4: mode: 'bridge' is not tunnel or transport");
	check_error(BASE " start now\n}\n", "t.conf:4: start: 'now' is not start, trap or none");
	check_error(BASE " fragmentation force\n}\n",
		    "t.conf:4: fragmentation: 'force' is not yes or no");
	check_error(BASE " fragment-size 575\n}\n",
		    "t.conf:4: fragment-size: '575' is not a size in bytes from 576 to 65535");
	check_error(BASE " fragment-size 1280b\n}\n",
		    "t.conf:4: fragment-size: '1280b' is not a size in bytes from 576 to 65535");
	check_error(BASE " remote 198.51.100.9\n}\n",
		    "t.conf:4: 'remote' is already set on line 2");
	check_error("conn x {\n remote gw-b.example\n}\n",
		    "t.conf:2: remote: 'gw-b.example' is not an IP address or %any");
	check_error(BASE " ike aes256gcm16-prfsha384-x448\n}\n",
		    "t.conf:4: ike: 'aes256gcm16-prfsha384-x448': unknown algorithm 'x448'");
	check_error(BASE " esp aes128gcm16, aes256-md5\n}\n",
		    "t.conf:4: esp: 'aes256-md5': unknown algorithm 'md5'");
	check_error(BASE " local-ts 10.1.0.0/16, 10.2.0.1/16\n}\n",
		    "t.conf:4: local-ts: '10.2.0.1/16' has host bits set");
	check_error(BASE " rekey 1w\n}\n",
		    "t.conf:4: rekey: '1w' is not a duration (e.g. 3600, 60m, 1h)");
	check_error(BASE " dpd 99999999999\n}\n",
		    "t.conf:4: dpd: '99999999999' is not a duration (e.g. 3600, 60m, 1h)");
	check_error(BASE " remote-id ipv4:gw\n}\n",
		    "t.conf:4: remote-id: 'gw' is not an IPv4 address");
	check_error(BASE " remote-id \"C=CH, XX=foo\"\n}\n",
		    "t.conf:4: remote-id: bad attribute 'XX'");
	check_error(BASE " auth eap\n}\n", "t.conf:4: 'auth' is already set on line 3");
	check_error("conn x {\n remote 198.51.100.2\n auth eap\n}\n",
		    "t.conf:3: auth: 'eap' is not psk or pubkey");
	check_error(BASE " psk-file /etc/passwd\n}\n",
		    "t.conf:4: psk-file and psk (line 3) exclude each other");
	check_error("conn x {\n remote 198.51.100.2 ; local-id a\n psk-file /no/such/file\n}\n",
		    "t.conf:3: psk-file '/no/such/file': No such file or directory");
	check_error("conn x {\n remote 198.51.100.2 ; local-id a\n psk-file /dev/null\n}\n",
		    "t.conf:3: psk-file '/dev/null' is not a regular file");
	check_error(BASE " cert /no/such.pem\n}\n",
		    "t.conf:4: cert '/no/such.pem': No such file or directory");
	check_error(BASE " psk 0xabc\n}\n", "t.conf:4: 'psk' is already set on line 3");
	check_error("conn x {\n remote 198.51.100.2 ; local-id a ; auth psk\n psk 0xabc\n}\n",
		    "t.conf:3: psk: bad hex after 0x");
}

static void test_errors_incomplete(void **state)
{
	check_error("conn x {\n auth psk ; psk s\n}\n",
		    "t.conf:1: conn 'x': 'remote' is missing (an address or %any)");
	check_error("conn x {\n remote 198.51.100.2 ; local-id a\n}\n",
		    "t.conf:1: conn 'x': 'auth' is missing (psk or pubkey)");
	check_error("conn x {\n remote 198.51.100.2 ; local-id a\n auth psk\n}\n",
		    "t.conf:3: conn 'x': auth psk needs psk or psk-file");
	check_error("conn x {\n remote 198.51.100.2 ; local-id a\n auth pubkey\n}\n",
		    "t.conf:3: conn 'x': auth pubkey needs cert, key and ca");
	check_error("conn x {\n remote 198.51.100.2 ; local-id a ; psk s\n auth pubkey\n}\n",
		    "t.conf:2: conn 'x': a psk with auth pubkey");
	check_error("conn x {\n remote %any ; local-id a ; auth psk ; psk s\n start trap\n}\n",
		    "t.conf:3: conn 'x': start trap needs a remote address, not %any");
	check_error("conn x {\n remote 198.51.100.2 ; auth psk ; psk s\n}\n",
		    "t.conf:1: conn 'x': local-id is needed when local is %any");
	check_error(BASE " rekey 3600\n lifetime 3600\n}\n",
		    "t.conf:5: conn 'x': lifetime (3600s) must be longer than rekey (3600s)");
	check_error(BASE " rekey 0\n}\n", "t.conf:4: conn 'x': rekey must be positive");
	check_error("conn x {\n local 192.0.2.1\n remote 2001:db8::2 ; auth psk ; psk s\n}\n",
		    "t.conf:3: conn 'x': local and remote are of different address families");
}

/* The road-warrior example of ikev2d.conf(5): a gateway with pools, a
 * client asking for addresses. */
static const char rw_gateway[] =
	"conn rw {\n"
	"    local 192.0.2.1 ; remote %any\n"
	"    local-id vpn.company.com\n"
	"    auth psk ; psk \"road warriors\"\n"
	"    local-ts 10.1.0.0/24 fd00:1::/64\n"
	"    pool 10.99.0.0/24 fd00:99::/120\n"
	"    dns 10.1.0.53 fd00:1::53\n"
	"}\n";
static const char rw_client[] =
	"conn vpn {\n"
	"    local 198.51.100.7 ; remote 192.0.2.1\n"
	"    local-id alice@company.com ; remote-id vpn.company.com\n"
	"    auth psk ; psk \"road warriors\"\n"
	"    remote-ts 10.1.0.0/24\n"
	"    vips 0.0.0.0 :: ; start start\n"
	"}\n";

static void test_virtual_addresses(void **state)
{
	struct config cfg = parse_ok(rw_gateway);
	const struct conf_conn *c = &cfg.conns[0];

	assert_int_equal(c->n_pools, 2);
	assert_string_equal(c->pools[0], "10.99.0.0/24");
	assert_string_equal(c->pools[1], "fd00:99::/120");
	assert_int_equal(c->n_dns, 2);
	assert_int_equal(c->dns[0].family, AF_INET);
	assert_hex_equal(c->dns[0].addr, 4, "0a010035");
	assert_int_equal(c->dns[1].family, AF_INET6);
	assert_int_equal(c->n_vips, 0);
	assert_string_equal(c->vip_interface, "");
	config_free(&cfg);

	cfg = parse_ok(rw_client);
	c = &cfg.conns[0];
	assert_int_equal(c->n_pools, 0);
	assert_int_equal(c->n_vips, 2);
	assert_int_equal(c->vips[0].family, AF_INET);
	assert_hex_equal(c->vips[0].addr, 4, "00000000");
	assert_int_equal(c->vips[1].family, AF_INET6);
	assert_string_equal(c->vip_interface, "lo");	/* the default */
	config_free(&cfg);

	cfg = parse_ok(BASE " vips 10.99.0.7\n vip-interface dummy0\n}\n");
	assert_hex_equal(cfg.conns[0].vips[0].addr, 4, "0a630007");
	assert_string_equal(cfg.conns[0].vip_interface, "dummy0");
	config_free(&cfg);
	cfg = parse_ok(BASE " pool 10.99.0.5-10.99.0.9, 10.98.0.0/24\n}\n");
	assert_int_equal(cfg.conns[0].n_pools, 2);
	assert_string_equal(cfg.conns[0].pools[0], "10.99.0.5-10.99.0.9");
	config_free(&cfg);
}

static void test_errors_virtual_addresses(void **state)
{
	check_error(BASE " pool 10.99.0.0/33\n}\n",
		    "t.conf:4: pool: '10.99.0.0/33': not an address prefix or range");
	check_error(BASE " pool 10.0.0.0/8\n}\n",
		    "t.conf:4: pool: '10.0.0.0/8': more than 2^20 addresses");
	check_error(BASE " pool 1 2 3 4 5\n}\n", "t.conf:4: pool: at most 4 values");
	check_error(BASE " dns dns.example\n}\n",
		    "t.conf:4: dns: 'dns.example' is not an IP address");
	check_error(BASE " vips %any\n}\n", "t.conf:4: vips: '%any' is not an IP address");
	check_error(BASE " vips 0.0.0.0 10.0.0.1\n}\n",
		    "t.conf:4: vips: one address per family");
	check_error(BASE " vip-interface a/b\n}\n",
		    "t.conf:4: vip-interface: 'a/b' is not an interface name");
	check_error(BASE " vip-interface an-interface-name-too-long\n}\n",
		    "t.conf:4: vip-interface: 'an-interface-name-too-long' is not an interface name");
	check_error(BASE " pool 10.99.0.0/24\n vips 0.0.0.0\n}\n",
		    "t.conf:5: conn 'x': vips (a client) and pool (a gateway) exclude each other");
	check_error(BASE " dns 10.1.0.53\n}\n", "t.conf:4: conn 'x': dns needs pool");
	check_error(BASE " vip-interface lo\n}\n",
		    "t.conf:4: conn 'x': vip-interface needs vips");
	check_error(BASE " vips 0.0.0.0\n mode transport\n}\n",
		    "t.conf:5: conn 'x': virtual addresses need mode tunnel");
	check_error(BASE " vips 0.0.0.0\n start trap\n}\n",
		    "t.conf:5: conn 'x': vips needs start start or none, not trap");
}

static void test_load(void **state)
{
	char *path = write_tmp(site_a), err[256], want[300];
	struct config cfg;

	assert_int_equal(config_load(path, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.n, 1);
	config_free(&cfg);
	unlink(path);
	assert_true(config_load(path, &cfg, err, sizeof(err)) < 0);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(err, want);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_site_to_site),
		cmocka_unit_test(test_road_warrior),
		cmocka_unit_test(test_cert_settings),
		cmocka_unit_test(test_defaults_and_ids),
		cmocka_unit_test(test_psk_file),
		cmocka_unit_test(test_errors_syntax),
		cmocka_unit_test(test_errors_keywords),
		cmocka_unit_test(test_errors_incomplete),
		cmocka_unit_test(test_virtual_addresses),
		cmocka_unit_test(test_errors_virtual_addresses),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
