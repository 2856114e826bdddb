// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the SA side of ipsecctl without a kernel: "sa ..." and
 * "spi alloc" arguments (every keyword, every bad value: the message and the
 * word it blames), the algorithm table, an SA put into a message and decoded
 * back, an expire event, how SAs and events are shown (keys only when sent),
 * and the ikev2d control protocol's client side.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "ike_proto.h"
#include "ipsecctl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAXW 96

/* A key of each size, in hex. */
#define K16 "000102030405060708090a0b0c0d0e0f"
#define K20 K16 "10111213"
#define K32 K16 "101112131415161718191a1b1c1d1e1f"
#define K36 K32 "20212223"
#define K64 K32 K32

#define BASE "dir out spi 0x1000 src 192.0.2.1 dst 192.0.2.2 ipsec esp mode transport "

static struct nfsec_addr addr4(const char *s)
{
	struct nfsec_addr a;

	assert_int_equal(nfsec_addr_parse(s, &a), 0);
	return a;
}

static char words_buf[4096];
static char *words[MAXW];

static int split(const char *line)
{
	int argc;

	snprintf(words_buf, sizeof(words_buf), "%s", line);
	argc = split_words(words_buf, words, MAXW);
	assert_true(argc >= 0);
	return argc;
}

static int sa_add(const char *line, struct nfsec_sa *sa, struct parse_error *e)
{
	int argc = split(line);

	return parse_sa_add(argc, words, sa, e);
}

static void add_ok(const char *line, struct nfsec_sa *sa)
{
	struct parse_error e;

	if (sa_add(line, sa, &e))
		fail_msg("\"%s\": unexpected error: %s", line, e.msg);
}

/* The word an error blames, or "" for none. */
static const char *blamed(const struct parse_error *e)
{
	return e->argi >= 0 ? words[e->argi] : "";
}

static void test_add_aead(void **state)
{
	struct nfsec_sa sa;

	add_ok(BASE "aead aes128gcm16 0x" K20, &sa);
	assert_true(sa.has_spi);
	assert_int_equal(sa.spi, 0x1000);
	assert_int_equal(sa.proto, IPPROTO_ESP);
	assert_int_equal(sa.dir, NFSEC_DIR_OUT);
	assert_int_equal(sa.mode, NFSEC_MODE_TRANSPORT);
	assert_int_equal(sa.src.family, AF_INET);
	assert_true(sa.aead.present);
	assert_string_equal(sa.aead.name, "rfc4106(gcm(aes))");
	assert_int_equal(sa.aead.key_len, 20);
	assert_int_equal(sa.aead.key[19], 0x13);
	assert_int_equal(sa.aead.icv_bits, 128);
	assert_false(sa.enc.present || sa.auth.present);

	add_ok(BASE "aead rfc4106(gcm(aes)) " K20 " 64", &sa);
	assert_int_equal(sa.aead.icv_bits, 64);
	add_ok(BASE "aead aes128gcm8 " K20, &sa);
	assert_int_equal(sa.aead.icv_bits, 64);
	add_ok(BASE "aead aes128gcm12 " K20 " 96", &sa);
	assert_int_equal(sa.aead.icv_bits, 96);
	add_ok(BASE "aead aes256gcm16 " K36, &sa);
	assert_int_equal(sa.aead.key_len, 36);
	add_ok(BASE "aead chacha20poly1305 " K36, &sa);
	assert_string_equal(sa.aead.name, "rfc7539esp(chacha20,poly1305)");
	add_ok(BASE "aead rfc7539esp(chacha20,poly1305) " K36 " 128", &sa);
	add_ok(BASE "aead aes128gmac " K20, &sa);
	assert_string_equal(sa.aead.name, "rfc4543(gcm(aes))");
	assert_int_equal(sa.aead.icv_bits, 128);
	/* SPI in decimal. */
	add_ok("spi 4096 dir in src 2001:db8::1 dst 2001:db8::2 ipsec esp mode tunnel aead aes128gcm16 " K20, &sa);
	assert_int_equal(sa.spi, 4096);
	assert_int_equal(sa.dst.family, AF_INET6);
	assert_int_equal(nfsec_sa_family(&sa), AF_INET6);
}

static void test_add_enc_auth(void **state)
{
	struct nfsec_sa sa;

	add_ok(BASE "enc cbc(aes) " K32 " auth hmac(sha256) " K32, &sa);
	assert_string_equal(sa.enc.name, "cbc(aes)");
	assert_int_equal(sa.enc.key_len, 32);
	assert_false(sa.enc.has_icv);
	assert_string_equal(sa.auth.name, "hmac(sha256)");
	assert_int_equal(sa.auth.icv_bits, 128);	/* RFC 4868 */
	add_ok(BASE "auth hmac(sha512) " K64 " 256 enc aes128 " K16, &sa);
	assert_string_equal(sa.enc.name, "cbc(aes)");
	assert_int_equal(sa.enc.key_len, 16);
	assert_int_equal(sa.auth.icv_bits, 256);
	add_ok(BASE "enc aes256 " K32 " auth sha384 " K32 K16, &sa);
	assert_string_equal(sa.auth.name, "hmac(sha384)");
	assert_int_equal(sa.auth.icv_bits, 192);
	add_ok(BASE "enc ecb(cipher_null) \"\" auth hmac(sha256) " K32 " 96", &sa);
	assert_int_equal(sa.enc.key_len, 0);
	assert_int_equal(sa.auth.icv_bits, 96);
	add_ok(BASE "enc null 0x auth sha256 " K32, &sa);
	assert_string_equal(sa.enc.name, "ecb(cipher_null)");

	/* One word for both: the key is the cipher key, then the HMAC key. */
	add_ok(BASE "enc aes256-sha256 " K32 K32, &sa);
	assert_string_equal(sa.enc.name, "cbc(aes)");
	assert_int_equal(sa.enc.key_len, 32);
	assert_string_equal(sa.auth.name, "hmac(sha256)");
	assert_int_equal(sa.auth.key_len, 32);
	assert_int_equal(sa.auth.icv_bits, 128);
	assert_memory_equal(sa.enc.key, sa.auth.key, 32);
	add_ok(BASE "enc aes256-sha512 " K32 K64, &sa);
	assert_string_equal(sa.auth.name, "hmac(sha512)");
	assert_int_equal(sa.auth.icv_bits, 256);
	add_ok(BASE "aead aes128-sha256 " K16 K32 " 96", &sa);
	assert_int_equal(sa.auth.icv_bits, 96);

	/* AH. */
	add_ok("dir in spi 0x2000 src 10.0.0.1 dst 10.0.0.2 ipsec ah mode transport auth sha256 " K32, &sa);
	assert_int_equal(sa.proto, IPPROTO_AH);
	assert_true(sa.auth.present);
}

static void test_add_options(void **state)
{
	struct nfsec_sa sa;

	add_ok("mode tunnel ipsec esp reqid 7 src 192.0.2.1 dst 192.0.2.2 dir in spi 0xc0ffee "
	       "aead aes128gcm16 " K20 " replay-window 4096 esn "
	       "sel src 10.1.0.0/24 dst 10.2.0.0/24 proto tcp sport 1024-65535 dport 443 "
	       "encap espinudp 4500 4501 "
	       "lifetime soft bytes 1000 packets 10 hard bytes 2000 seconds 3600 use-seconds 600 "
	       "df set dscp 46 tfc 1200 mtu 1400", &sa);
	assert_true(sa.has_reqid);
	assert_int_equal(sa.reqid, 7);
	assert_int_equal(sa.spi, 0xc0ffee);
	assert_int_equal(sa.replay_window, 4096);
	assert_true(sa.flags & NFSEC_SA_F_ESN);
	assert_true(sa.has_sel);
	assert_int_equal(sa.sel.src.prefixlen, 24);
	assert_int_equal(sa.sel.proto, IPPROTO_TCP);
	assert_int_equal(sa.sel.sport_min, 1024);
	assert_int_equal(sa.sel.dport_max, 443);
	assert_true(sa.encap.present);
	assert_int_equal(sa.encap.sport, 4500);
	assert_int_equal(sa.encap.dport, 4501);
	assert_true(sa.has_soft && sa.has_hard);
	assert_int_equal(sa.soft.bytes, 1000);
	assert_int_equal(sa.soft.packets, 10);
	assert_int_equal(sa.hard.bytes, 2000);
	assert_int_equal(sa.hard.add_seconds, 3600);
	assert_int_equal(sa.hard.use_seconds, 600);
	assert_int_equal(sa.df, NFSEC_DF_SET);
	assert_true(sa.has_dscp);
	assert_int_equal(sa.dscp, 46);
	assert_true(sa.flags & NFSEC_SA_F_DSCP_SET);
	assert_int_equal(sa.tfc_pad, 1200);
	assert_int_equal(sa.mtu, 1400);
	assert_false(sa.has_seq);

	/* seq: decimal or hex, past 2^32 with esn, inbound with a window. */
	add_ok(BASE "aead aes128gcm16 " K20 " esn seq 0x1fffffff0", &sa);
	assert_true(sa.has_seq);
	assert_int_equal(sa.seq, 0x1fffffff0ULL);
	add_ok("dir in spi 1 src 192.0.2.1 dst 192.0.2.2 ipsec esp mode transport aead aes128gcm16 " K20 " seq 4294967295", &sa);
	assert_int_equal(sa.seq, 0xffffffffULL);

	/* lifetime may come twice; dscp copy sets nothing. */
	add_ok(BASE "aead aes128gcm16 " K20 " lifetime soft seconds 10 lifetime hard seconds 20", &sa);
	assert_int_equal(sa.soft.add_seconds, 10);
	assert_int_equal(sa.hard.add_seconds, 20);
	add_ok("mode tunnel dir out spi 1 src 192.0.2.1 dst 192.0.2.2 ipsec esp aead aes128gcm16 " K20 " dscp copy df copy", &sa);
	assert_false(sa.has_dscp);
	assert_int_equal(sa.flags & NFSEC_SA_F_DSCP_SET, 0);
	/*
	 * sel takes the sel words right after it, one of each; the first
	 * other word ends it, and src and dst are the SA's again.
	 */
	add_ok("dir out spi 1 sel dst 10.2.0.0/16 proto udp mode transport src 192.0.2.1 dst 192.0.2.2 ipsec esp aead aes128gcm16 " K20, &sa);
	assert_int_equal(sa.sel.dst.prefixlen, 16);
	assert_int_equal(sa.sel.src.family, AF_UNSPEC);
	assert_int_equal(sa.src.family, AF_INET);
	/* ... and a second src ends it too. */
	add_ok("dir out spi 1 sel src 10.1.0.0/16 dst 10.2.0.0/16 src 192.0.2.1 dst 192.0.2.2 ipsec esp mode transport aead aes128gcm16 " K20, &sa);
	assert_int_equal(sa.sel.src.prefixlen, 16);
	assert_int_equal(sa.src.family, AF_INET);
}

struct bad_case {
	const char *line;
	const char *msg;	/* a part of the message */
	const char *word;	/* the word blamed, "" for none */
};

static const struct bad_case bad_adds[] = {
	{ "", "\"spi\" is required", "" },
	{ "bogus 1", "unknown keyword \"bogus\"", "bogus" },
	{ BASE "aead aes128gcm16 " K20 " spi 2", "\"spi\" given twice", "spi" },
	{ "dir fwd", "an SA's dir is in or out", "fwd" },
	{ "dir", "\"dir\" needs in or out", "dir" },
	{ "spi 0", "0 is reserved", "0" },
	{ "spi 0x100000000", "bad spi", "0x100000000" },
	{ "spi twelve", "bad spi", "twelve" },
	{ "src 10.0.0.300", "bad src \"10.0.0.300\"", "10.0.0.300" },
	{ "dst 10.0.0.0/8", "expected an IPv4 or IPv6 address", "10.0.0.0/8" },
	{ "ipsec ipcomp", "expected esp or ah", "ipcomp" },
	{ "mode beet", "expected tunnel or transport", "beet" },
	{ "reqid -1", "bad reqid", "-1" },
	{ "replay-window 4097", "expected a number 0-4096", "4097" },
	{ "replay-window 16", "expected 0 (off) or 32-4096", "16" },
	{ "tfc 70000", "bad tfc", "70000" },
	{ "mtu 10", "expected 0 (from the route) or 68-65535", "10" },
	{ "seq -1", "bad seq \"-1\"", "-1" },
	{ "seq 0x10000000000000000", "bad seq", "0x10000000000000000" },
	{ "seq 12ab", "bad seq", "12ab" },
	{ "df maybe", "expected copy, set or clear", "maybe" },
	{ "dscp 64", "expected copy or a number 0-63", "64" },
	{ "aead aes128gcm16", "needs NAME KEYHEX ICVBITS", "aead" },
	{ "aead aes128gcm16 " K16, "aes128gcm16 needs 20 bytes (a 16-byte key and a 4-byte salt), not 16", K16 },
	{ "aead aes128gcm16 xyz1", "expected an even number of hex digits", "xyz1" },
	{ "aead aes128gcm16 abc", "expected an even number of hex digits", "abc" },
	{ "aead aes128gcm16 " K20 " 96", "aes128gcm16 has a 128-bit ICV", "96" },
	{ "aead rfc4106(gcm(aes)) " K20, "needs the ICV length in bits after the key (64, 96 or 128)", K20 },
	{ "aead rfc4106(gcm(aes)) " K20 " 100", "ICV is 100 bits; it must be 64, 96 or 128", "100" },
	{ "aead rfc4106(gcm(aes)) " K16 " 128", "key is 16 bytes; it needs 20, 28 or 36 (the key and a 4-byte salt)", K16 },
	{ "aead rfc7539esp(chacha20,poly1305) " K32 " 128", "it needs 36", K32 },
	{ "aead rfc7539esp(chacha20,poly1305) " K36 " 64", "ICV is 64 bits; it must be 128", "64" },
	{ "aead gcm(aes) " K20 " 128", "unknown aead algorithm \"gcm(aes)\" (known: rfc4106(gcm(aes)), rfc4543(gcm(aes)), rfc7539esp(chacha20,poly1305))", "gcm(aes)" },
	{ "aead cbc(aes) " K16 " 128", "cbc(aes) is an enc algorithm, not aead", "cbc(aes)" },
	{ "enc cbc(aes) " K20, "cbc(aes) key is 20 bytes; it needs 16, 24 or 32", K20 },
	{ "enc aes256 " K16, "aes256 needs 32 bytes, not 16", K16 },
	{ "enc des " K16, "unknown enc algorithm \"des\"", "des" },
	{ "enc hmac(sha256) " K32, "hmac(sha256) is an auth algorithm, not enc", "hmac(sha256)" },
	{ "enc aes256-sha256 " K32, "aes256-sha256 needs 64 bytes (a 32-byte cbc(aes) key, then a 32-byte hmac(sha256) key), not 32", K32 },
	{ "enc aes256-sha256 " K32 K32 " 64", "truncation is 64 bits; it must be a multiple of 32 from 96 to 256", "64" },
	{ "auth hmac(sha256) " K16, "hmac(sha256) key is 16 bytes; it needs 32", K16 },
	{ "auth hmac(sha256) " K32 " 100", "must be a multiple of 32 from 96 to 256", "100" },
	{ "auth hmac(sha256) " K32 " 512", "must be a multiple of 32 from 96 to 256", "512" },
	{ "auth hmac(md5) " K16, "unknown auth algorithm \"hmac(md5)\" (known: hmac(sha256), hmac(sha384), hmac(sha512))", "hmac(md5)" },
	{ "auth sha256 " K32 " auth sha256 " K32, "\"auth\" given twice", "auth" },
	{ "sel", "\"sel\" needs src, dst, proto, sport or dport after it", "sel" },
	{ "sel src 10.0.0.0/33", "bad sel src \"10.0.0.0/33\"", "10.0.0.0/33" },
	{ "sel proto bogus", "bad sel proto \"bogus\"", "bogus" },
	{ "sel dport 99999", "bad sel dport \"99999\"", "99999" },
	{ "sel dport 53", "sel sport and dport need sel proto", "sel" },
	{ "sel src 10.0.0.0/8 dst 2001:db8::/32", "different address families", "sel" },
	{ "encap espinudp 4500", "\"encap\" needs espinudp SPORT DPORT", "encap" },
	{ "encap udp 4500 4500", "the only encapsulation is espinudp", "udp" },
	{ "encap espinudp 0 4500", "bad encap sport \"0\"", "0" },
	{ "encap espinudp 4500 65536", "bad encap dport \"65536\"", "65536" },
	{ "lifetime", "\"lifetime\" needs soft or hard", "lifetime" },
	{ "lifetime bytes 10", "\"lifetime\" needs soft or hard", "bytes" },
	{ "lifetime soft", "\"lifetime soft\" needs bytes, packets, seconds or use-seconds N", "soft" },
	{ "lifetime soft bytes", "\"lifetime soft bytes\" needs a value", "bytes" },
	{ "lifetime soft bytes 0", "expected a number from 1", "0" },
	{ "lifetime hard packets 1k", "bad lifetime hard packets \"1k\"", "1k" },
	{ "lifetime soft bytes 5 soft bytes 6", "lifetime soft bytes given twice", "bytes" },
	{ "lifetime soft hard bytes 1", "\"lifetime soft\" needs bytes", "soft" },
	/* Whole-SA checks: no word to blame. */
	{ "dir out spi 1 src 192.0.2.1 dst 192.0.2.2 ipsec esp", "\"mode tunnel|transport\" is required", "" },
	{ "dir out spi 1 src 192.0.2.1 dst 2001:db8::1 ipsec esp mode transport aead aes128gcm16 " K20, "different address families", "" },
	{ BASE, "ESP needs aead, or enc with auth", "" },
	{ BASE "enc aes128 " K16, "ESP with enc needs auth too", "" },
	{ BASE "auth sha256 " K32, "ESP needs aead, or enc with auth", "" },
	{ BASE "aead aes128gcm16 " K20 " auth sha256 " K32, "give no enc or auth with it", "" },
	{ BASE "aead aes128gcm16 " K20 " enc aes256-sha256 " K32 K32, "names both enc and auth", "enc" },
	{ "dir out spi 1 src 192.0.2.1 dst 192.0.2.2 ipsec ah mode transport aead aes128gcm16 " K20, "AH authenticates only", "" },
	{ "dir out spi 1 src 192.0.2.1 dst 192.0.2.2 ipsec ah mode transport auth sha256 " K32 " encap espinudp 4500 4500", "encap espinudp is for ESP", "" },
	{ BASE "aead aes128gcm16 " K20 " df set", "df and dscp apply to tunnel mode only", "" },
	{ BASE "aead aes128gcm16 " K20 " lifetime soft bytes 100 hard bytes 50", "soft bytes lifetime (100) is beyond the hard one (50)", "" },
	{ "dir in spi 1 src 192.0.2.1 dst 192.0.2.2 ipsec esp mode transport aead aes128gcm16 " K20 " esn replay-window 0", "esn on an inbound SA needs a replay window", "" },
	{ BASE "aead aes128gcm16 " K20 " replay-window 64", "replay-window is for inbound SAs", "" },
	{ BASE "aead aes128gcm16 " K20 " seq 4294967296", "seq beyond 4294967295 needs esn", "" },
	{ "dir in spi 1 src 192.0.2.1 dst 192.0.2.2 ipsec esp mode transport aead aes128gcm16 " K20 " seq 5 replay-window 0", "seq on an inbound SA needs a replay window", "" },
};

static void test_add_errors(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad_adds); i++) {
		const struct bad_case *c = &bad_adds[i];
		struct parse_error e;
		struct nfsec_sa sa;

		if (!sa_add(c->line, &sa, &e))
			fail_msg("\"%s\": accepted", c->line);
		if (!strstr(e.msg, c->msg))
			fail_msg("\"%s\": message \"%s\", expected \"%s\"",
				 c->line, e.msg, c->msg);
		if (strcmp(blamed(&e), c->word))
			fail_msg("\"%s\": blames \"%s\", expected \"%s\"",
				 c->line, blamed(&e), c->word);
	}
}

static void test_other_commands(void **state)
{
	struct spi_alloc_req r;
	struct parse_error e;
	struct sa_update u;
	struct sa_query q;
	int argc;

	argc = split("spi 0x1000 dst 192.0.2.2 ipsec ah --keys -s");
	assert_int_equal(parse_sa_id(argc, words, &q, &e), 0);
	assert_int_equal(q.id.spi, 0x1000);
	assert_int_equal(q.id.proto, IPPROTO_AH);
	assert_int_equal(q.id.family, AF_INET);
	assert_true(q.keys && q.stats);
	argc = split("spi 0x1000 ipsec esp");
	assert_int_equal(parse_sa_id(argc, words, &q, &e), -1);
	assert_string_equal(e.msg, "\"dst\" is required");
	argc = split("spi 1 dst 192.0.2.2");
	assert_int_equal(parse_sa_id(argc, words, &q, &e), -1);
	assert_string_equal(e.msg, "\"ipsec esp|ah\" is required");
	argc = split("dst 192.0.2.2 ipsec esp");
	assert_int_equal(parse_sa_id(argc, words, &q, &e), -1);
	assert_string_equal(e.msg, "\"spi\" is required");
	argc = split("spi 1 dst 192.0.2.2 ipsec esp mode tunnel");
	assert_int_equal(parse_sa_id(argc, words, &q, &e), -1);
	assert_string_equal(blamed(&e), "mode");

	argc = split("ipsec esp reqid 3 --keys");
	assert_int_equal(parse_sa_list(argc, words, &q, &e), 0);
	assert_int_equal(q.id.proto, IPPROTO_ESP);
	assert_true(q.id.has_reqid && q.keys && !q.stats);
	assert_int_equal(parse_sa_list(0, words, &q, &e), 0);
	assert_int_equal(q.id.proto, 0);
	argc = split("dst 192.0.2.1");
	assert_int_equal(parse_sa_list(argc, words, &q, &e), -1);
	assert_string_equal(blamed(&e), "dst");

	argc = split("ipsec ah");
	assert_int_equal(parse_sa_flush(argc, words, &q, &e), 0);
	assert_int_equal(q.id.proto, IPPROTO_AH);
	argc = split("ipsec gre");
	assert_int_equal(parse_sa_flush(argc, words, &q, &e), -1);
	assert_string_equal(blamed(&e), "gre");

	argc = split("spi 0x10 dst 192.0.2.2 ipsec esp new-dst 198.51.100.7 encap espinudp 4500 4500");
	assert_int_equal(parse_sa_update(argc, words, &u, &e), 0);
	assert_true(u.has_dst && !u.has_src && u.has_encap);
	assert_true(u.path.encap.present);
	argc = split("spi 0x10 dst 192.0.2.2 ipsec esp encap none");
	assert_int_equal(parse_sa_update(argc, words, &u, &e), 0);
	assert_true(u.has_encap && !u.path.encap.present);
	argc = split("spi 0x10 dst 192.0.2.2 ipsec esp");
	assert_int_equal(parse_sa_update(argc, words, &u, &e), -1);
	assert_string_equal(e.msg, "nothing to change: give new-src, new-dst or encap");
	argc = split("spi 0x10 dst 192.0.2.2 ipsec esp new-src 10.0.0.1 new-dst 2001:db8::1");
	assert_int_equal(parse_sa_update(argc, words, &u, &e), -1);
	assert_string_equal(e.msg, "new-src and new-dst are of different address families");
	argc = split("spi 0x10 dst 192.0.2.2 ipsec ah encap espinudp 1 2");
	assert_int_equal(parse_sa_update(argc, words, &u, &e), -1);
	assert_string_equal(e.msg, "encap espinudp is for ESP, not AH");
	argc = split("spi 0x10 dst 192.0.2.2 ipsec esp new-dst nowhere");
	assert_int_equal(parse_sa_update(argc, words, &u, &e), -1);
	assert_string_equal(blamed(&e), "nowhere");
	argc = split("spi 0x10 dst 192.0.2.2 ipsec esp encap espinudp 4500");
	assert_int_equal(parse_sa_update(argc, words, &u, &e), -1);
	assert_string_equal(e.msg, "\"encap\" needs espinudp SPORT DPORT, or none");

	/* What update does not name comes from the SA as it is. */
	{
		struct nfsec_sa cur = { 0 };
		const char *why;

		cur.proto = IPPROTO_ESP;
		cur.src = addr4("192.0.2.1");
		cur.dst = addr4("192.0.2.2");
		cur.encap.present = true;
		cur.encap.sport = cur.encap.dport = 4500;
		argc = split("spi 0x10 dst 192.0.2.2 ipsec esp new-dst 198.51.100.7");
		assert_int_equal(parse_sa_update(argc, words, &u, &e), 0);
		assert_int_equal(sa_update_complete(&u, &cur, &why), 0);
		assert_memory_equal(&u.path.src, &cur.src, sizeof(cur.src));
		assert_int_equal(u.path.dst.bytes[0], 198);
		assert_true(u.path.encap.present);	/* kept */
		assert_int_equal(u.path.family, AF_INET);
		argc = split("spi 0x10 dst 192.0.2.2 ipsec esp encap none");
		assert_int_equal(parse_sa_update(argc, words, &u, &e), 0);
		assert_int_equal(sa_update_complete(&u, &cur, &why), 0);
		assert_false(u.path.encap.present);
		assert_memory_equal(&u.path.dst, &cur.dst, sizeof(cur.dst));
		argc = split("spi 0x10 dst 192.0.2.2 ipsec esp new-dst 2001:db8::1");
		assert_int_equal(parse_sa_update(argc, words, &u, &e), 0);
		assert_int_equal(sa_update_complete(&u, &cur, &why), -1);
		assert_string_equal(why, "the new path mixes address families; give both new-src and new-dst");
	}

	argc = split("dst 192.0.2.1 ipsec esp min 0x100 max 0x1ff");
	assert_int_equal(parse_spi_alloc(argc, words, &r, &e), 0);
	assert_true(r.has_range);
	assert_int_equal(r.min, 0x100);
	assert_int_equal(r.max, 0x1ff);
	argc = split("dst 192.0.2.1 ipsec esp");
	assert_int_equal(parse_spi_alloc(argc, words, &r, &e), 0);
	assert_false(r.has_range);
	argc = split("dst 192.0.2.1 ipsec esp min 5");
	assert_int_equal(parse_spi_alloc(argc, words, &r, &e), -1);
	assert_string_equal(e.msg, "give min and max together");
	argc = split("dst 192.0.2.1 ipsec esp min 9 max 5");
	assert_int_equal(parse_spi_alloc(argc, words, &r, &e), -1);
	assert_string_equal(e.msg, "min (9) is above max (5)");
	argc = split("dst 192.0.2.1 ipsec esp min 0 max 5");
	assert_int_equal(parse_spi_alloc(argc, words, &r, &e), -1);
	assert_string_equal(blamed(&e), "0");
	argc = split("ipsec esp");
	assert_int_equal(parse_spi_alloc(argc, words, &r, &e), -1);
	assert_string_equal(e.msg, "\"dst\" is required");
	argc = split("dst 192.0.2.1");
	assert_int_equal(parse_spi_alloc(argc, words, &r, &e), -1);
	assert_string_equal(e.msg, "\"ipsec esp|ah\" is required");
}

static void test_alg_table(void **state)
{
	char buf[512];
	uint8_t k[8];
	uint16_t n;

	assert_non_null(nfsec_alg_info("rfc4106(gcm(aes))"));
	assert_null(nfsec_alg_info("aes128gcm16"));
	assert_string_equal(nfsec_alg_alias("aes128gcm16")->name, "rfc4106(gcm(aes))");
	assert_int_equal(nfsec_alg_alias("aes256-sha512")->auth_trunc, 256);
	nfsec_alg_list(NFSEC_ALG_AUTH, true, buf, sizeof(buf));
	assert_string_equal(buf, "hmac(sha256), hmac(sha384), hmac(sha512), sha256, sha384, sha512");
	assert_int_equal(nfsec_hex_parse("0xA0b1", k, sizeof(k), &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(k[0], 0xa0);
	assert_int_equal(nfsec_hex_parse("0x", k, sizeof(k), &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(nfsec_hex_parse("0011223344556677889", k, sizeof(k), &n), -1);
	assert_int_equal(nfsec_hex_parse("001122334455667788", k, sizeof(k), &n), -1);
	nfsec_hex_format(k, 1, buf, sizeof(buf));
	assert_string_equal(buf, "0xa0");
	assert_string_equal(nfsec_expire_reason_name(NFSEC_EXPIRE_USE_TIME), "use-seconds");
	assert_string_equal(nfsec_sa_drop_reason_name(NFSEC_SA_DROP_SELECTOR), "selector");
	assert_string_equal(nfsec_sa_drop_reason_name(200), "?");
}

/* Put an SA into a message, as the kernel would see it, and read it back. */
static struct nlattr *put_and_find(struct nl_msg *msg, const struct nfsec_sa *sa)
{
	assert_int_equal(nfsec_sa_put(msg, NFSEC_A_SA, sa), 0);
	return nlmsg_find_attr(nlmsg_hdr(msg), 0, NFSEC_A_SA);
}

static void test_sa_roundtrip(void **state)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nfsec_sa sa, back;
	struct nlattr *a, *tb[NFSEC_SA_A_MAX + 1];

	add_ok("mode tunnel ipsec esp reqid 7 src 192.0.2.1 dst 192.0.2.2 dir in spi 0xc0ffee "
	       "enc aes256-sha256 " K32 K32 " replay-window 128 esn sel src 10.1.0.0/24 "
	       "encap espinudp 4500 4500 lifetime soft packets 5 hard packets 9 "
	       "df clear dscp 10 tfc 100 mtu 1300 seq 0x100000005", &sa);
	a = put_and_find(msg, &sa);
	assert_non_null(a);
	assert_true(nla_type(a) == NFSEC_A_SA && (a->nla_type & NLA_F_NESTED));
	/* Exactly the attributes the kernel asks for. */
	assert_int_equal(nla_parse_nested(tb, NFSEC_SA_A_MAX, a, NULL), 0);
	assert_int_equal(nla_get_u16(tb[NFSEC_SA_A_FAMILY]), AF_INET);
	assert_int_equal(nla_len(tb[NFSEC_SA_A_DST]), 4);
	assert_null(tb[NFSEC_SA_A_AEAD]);
	assert_null(tb[NFSEC_SA_A_STATS]);
	assert_int_equal(nla_get_u32(tb[NFSEC_SA_A_FLAGS]),
			 NFSEC_SA_F_ESN | NFSEC_SA_F_DSCP_SET);
	assert_int_equal(nfsec_sa_parse_nl(a, &back), 0);
	assert_int_equal(back.spi, 0xc0ffee);
	assert_int_equal(back.proto, IPPROTO_ESP);
	assert_int_equal(back.mode, NFSEC_MODE_TUNNEL);
	assert_int_equal(back.dir, NFSEC_DIR_IN);
	assert_int_equal(back.reqid, 7);
	assert_memory_equal(&back.src, &sa.src, sizeof(sa.src));
	assert_memory_equal(&back.dst, &sa.dst, sizeof(sa.dst));
	assert_string_equal(back.enc.name, "cbc(aes)");
	assert_true(back.enc.has_key);
	assert_memory_equal(back.enc.key, sa.enc.key, 32);
	assert_int_equal(back.auth.icv_bits, 128);
	assert_memory_equal(back.auth.key, sa.auth.key, 32);
	assert_int_equal(back.replay_window, 128);
	assert_true(back.has_sel);
	assert_int_equal(back.sel.src.prefixlen, 24);
	assert_true(back.encap.present);
	assert_int_equal(back.encap.dport, 4500);
	assert_int_equal(back.soft.packets, 5);
	assert_int_equal(back.hard.packets, 9);
	assert_int_equal(back.df, NFSEC_DF_CLEAR);
	assert_int_equal(back.dscp, 10);
	assert_int_equal(back.tfc_pad, 100);
	assert_int_equal(back.mtu, 1300);
	assert_true(back.has_seq);
	assert_int_equal(back.seq, 0x100000005ULL);
	nlmsg_free(msg);

	/* The identity alone. */
	msg = nlmsg_alloc();
	assert_int_equal(nfsec_sa_id_put(msg, NFSEC_A_SA, &sa), 0);
	a = nlmsg_find_attr(nlmsg_hdr(msg), 0, NFSEC_A_SA);
	assert_int_equal(nla_parse_nested(tb, NFSEC_SA_A_MAX, a, NULL), 0);
	assert_non_null(tb[NFSEC_SA_A_SPI]);
	assert_non_null(tb[NFSEC_SA_A_PROTO]);
	assert_non_null(tb[NFSEC_SA_A_FAMILY]);
	assert_non_null(tb[NFSEC_SA_A_DST]);
	assert_null(tb[NFSEC_SA_A_SRC]);
	assert_null(tb[NFSEC_SA_A_ENC]);
	nlmsg_free(msg);
	nfsec_sa_wipe(&sa);
	assert_int_equal(sa.enc.key[5], 0);
}

/* A reply SA as the kernel sends it: counters, drops, no keys. */
static void put_reply_sa(struct nl_msg *msg, bool keys)
{
	struct nlattr *sa, *alg, *st, *d, *cur;
	uint8_t src[4] = { 192, 0, 2, 1 }, dst[4] = { 192, 0, 2, 2 };
	uint8_t key[20] = { 0xaa };

	sa = nla_nest_start(msg, NFSEC_A_SA | NLA_F_NESTED);
	nla_put_u32(msg, NFSEC_SA_A_SPI, 0x1000);
	nla_put_u8(msg, NFSEC_SA_A_PROTO, IPPROTO_ESP);
	nla_put_u8(msg, NFSEC_SA_A_MODE, NFSEC_MODE_TRANSPORT);
	nla_put_u8(msg, NFSEC_SA_A_DIR, NFSEC_DIR_IN);
	nla_put_u16(msg, NFSEC_SA_A_FAMILY, AF_INET);
	nla_put(msg, NFSEC_SA_A_SRC, 4, src);
	nla_put(msg, NFSEC_SA_A_DST, 4, dst);
	nla_put_u32(msg, NFSEC_SA_A_REQID, 1);
	alg = nla_nest_start(msg, NFSEC_SA_A_AEAD | NLA_F_NESTED);
	nla_put_string(msg, NFSEC_ALG_A_NAME, "rfc4106(gcm(aes))");
	if (keys)
		nla_put(msg, NFSEC_ALG_A_KEY, 20, key);
	nla_put_u32(msg, NFSEC_ALG_A_ICV_BITS, 128);
	nla_nest_end(msg, alg);
	nla_put_u32(msg, NFSEC_SA_A_REPLAY_WINDOW, 64);
	nla_put_u64(msg, NFSEC_SA_A_SEQ, 0);
	st = nla_nest_start(msg, NFSEC_SA_A_STATS | NLA_F_NESTED);
	nla_put_u64(msg, NFSEC_SA_STATS_A_PACKETS, 10);
	nla_put_u64(msg, NFSEC_SA_STATS_A_BYTES, 1400);
	nla_put_u64(msg, NFSEC_SA_STATS_A_REPLAY_TOP, 12);
	d = nla_nest_start(msg, NFSEC_SA_STATS_A_DROP | NLA_F_NESTED);
	nla_put_u32(msg, NFSEC_DROP_STATS_A_REASON, NFSEC_SA_DROP_REPLAY);
	nla_put_u64(msg, NFSEC_DROP_STATS_A_PACKETS, 2);
	nla_nest_end(msg, d);
	d = nla_nest_start(msg, NFSEC_SA_STATS_A_DROP | NLA_F_NESTED);
	nla_put_u32(msg, NFSEC_DROP_STATS_A_REASON, NFSEC_SA_DROP_AUTH);
	nla_put_u64(msg, NFSEC_DROP_STATS_A_PACKETS, 1);
	nla_nest_end(msg, d);
	d = nla_nest_start(msg, NFSEC_SA_STATS_A_DROP | NLA_F_NESTED);
	nla_put_u32(msg, NFSEC_DROP_STATS_A_REASON, 77);	/* from a later kernel */
	nla_put_u64(msg, NFSEC_DROP_STATS_A_PACKETS, 5);
	nla_nest_end(msg, d);
	nla_nest_end(msg, st);
	cur = nla_nest_start(msg, NFSEC_SA_A_CURRENT | NLA_F_NESTED);
	nla_put_u64(msg, NFSEC_LIFETIME_A_BYTES, 1400);
	nla_put_u64(msg, NFSEC_LIFETIME_A_PACKETS, 10);
	nla_put_u64(msg, NFSEC_LIFETIME_A_ADD_SECONDS, 30);
	nla_nest_end(msg, cur);
	nla_nest_end(msg, sa);
}

static char *show(const struct nfsec_sa *sa, bool json, bool stats)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	if (json) {
		struct json j;

		json_init(&j, f);
		json_sa(&j, NULL, sa, stats);
		json_newline(&j);
	} else {
		print_sa(f, sa, stats);
	}
	fclose(f);
	return out;
}

static void test_show_sa(void **state)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nfsec_sa sa;
	char *out;

	put_reply_sa(msg, false);
	assert_int_equal(nfsec_sa_parse_nl(nlmsg_find_attr(nlmsg_hdr(msg), 0, NFSEC_A_SA), &sa), 0);
	assert_false(sa.aead.has_key);
	out = show(&sa, false, false);
	assert_string_equal(out,
		"sa spi 0x00001000 ipsec esp dir in mode transport src 192.0.2.1 dst 192.0.2.2 reqid 1\n"
		"\taead rfc4106(gcm(aes)) (key hidden) 128\n"
		"\treplay-window 64\n");
	free(out);
	out = show(&sa, false, true);
	assert_non_null(strstr(out,
		"\tcurrent bytes 1400 packets 10 seconds 30\n"
		"\tseq 0\n"
		"\tstats packets 10 bytes 1400 replay-top 12\n"
		"\tdrops replay 2 auth 1\n"));
	free(out);
	out = show(&sa, true, true);
	assert_string_equal(out,
		"{\"spi\":4096,\"spi_hex\":\"0x00001000\",\"ipsec\":\"esp\",\"dir\":\"in\","
		"\"mode\":\"transport\",\"family\":\"inet\",\"src\":\"192.0.2.1\",\"dst\":\"192.0.2.2\","
		"\"reqid\":1,\"aead\":{\"name\":\"rfc4106(gcm(aes))\",\"icv_bits\":128},"
		"\"replay_window\":64,\"esn\":false,\"owned\":false,"
		"\"current\":{\"bytes\":1400,\"packets\":10,\"seconds\":30,\"use_seconds\":0},"
		"\"seq\":0,\"stats\":{\"packets\":10,\"bytes\":1400,\"replay_top\":12,"
		"\"drops\":{\"replay\":2,\"auth\":1}}}\n");
	free(out);
	/* An SA a daemon added says so. */
	sa.flags |= NFSEC_SA_F_OWNED;
	out = show(&sa, false, false);
	assert_non_null(strstr(out, " reqid 1 owned\n"));
	free(out);
	nlmsg_free(msg);

	/* With --keys the kernel sends them, and they are shown. */
	msg = nlmsg_alloc();
	put_reply_sa(msg, true);
	assert_int_equal(nfsec_sa_parse_nl(nlmsg_find_attr(nlmsg_hdr(msg), 0, NFSEC_A_SA), &sa), 0);
	out = show(&sa, false, false);
	assert_non_null(strstr(out, "\taead rfc4106(gcm(aes)) 0xaa00000000000000000000000000000000000000 128\n"));
	free(out);
	out = show(&sa, true, false);
	assert_non_null(strstr(out, "\"key\":\"0xaa00000000000000000000000000000000000000\""));
	free(out);
	nlmsg_free(msg);
}

static void test_expire(void **state)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *ex, *sa;
	uint8_t src[4] = { 192, 0, 2, 1 }, dst[4] = { 192, 0, 2, 2 };
	struct nfsec_expire x;
	char *out = NULL;
	size_t len;
	FILE *f;
	struct json j;

	ex = nla_nest_start(msg, NFSEC_A_EXPIRE | NLA_F_NESTED);
	sa = nla_nest_start(msg, NFSEC_EXPIRE_A_SA | NLA_F_NESTED);
	nla_put_u32(msg, NFSEC_SA_A_SPI, 0xc0ffee);
	nla_put_u8(msg, NFSEC_SA_A_PROTO, IPPROTO_ESP);
	nla_put_u16(msg, NFSEC_SA_A_FAMILY, AF_INET);
	nla_put(msg, NFSEC_SA_A_SRC, 4, src);
	nla_put(msg, NFSEC_SA_A_DST, 4, dst);
	nla_put_u8(msg, NFSEC_SA_A_DIR, NFSEC_DIR_OUT);
	nla_put_u32(msg, NFSEC_SA_A_REQID, 5);
	nla_nest_end(msg, sa);
	nla_put_u8(msg, NFSEC_EXPIRE_A_HARD, 0);
	nla_put_u8(msg, NFSEC_EXPIRE_A_REASON, NFSEC_EXPIRE_BYTES);
	nla_nest_end(msg, ex);
	assert_int_equal(nfsec_expire_parse_nl(nlmsg_find_attr(nlmsg_hdr(msg), 0, NFSEC_A_EXPIRE), &x), 0);
	assert_false(x.hard);
	assert_int_equal(x.reason, NFSEC_EXPIRE_BYTES);
	assert_int_equal(x.sa.spi, 0xc0ffee);

	f = open_memstream(&out, &len);
	print_event(f, NFSEC_CMD_EXPIRE, NULL, &x);
	x.hard = true;
	x.reason = NFSEC_EXPIRE_SEQ_EXHAUSTED;
	json_init(&j, f);
	json_event(&j, NFSEC_CMD_EXPIRE, NULL, &x);
	json_newline(&j);
	fclose(f);
	assert_string_equal(out,
		"expire soft reason bytes spi 0x00c0ffee ipsec esp dir out src 192.0.2.1 dst 192.0.2.2 reqid 5\n"
		"{\"event\":\"expire\",\"kind\":\"hard\",\"hard\":true,\"reason\":\"seq-exhausted\","
		"\"sa\":{\"spi\":12648430,\"spi_hex\":\"0x00c0ffee\",\"ipsec\":\"esp\",\"dir\":\"out\","
		"\"family\":\"inet\",\"src\":\"192.0.2.1\",\"dst\":\"192.0.2.2\",\"reqid\":5}}\n");
	free(out);
	nlmsg_free(msg);

	/* Without the SA nest it is malformed. */
	msg = nlmsg_alloc();
	ex = nla_nest_start(msg, NFSEC_A_EXPIRE | NLA_F_NESTED);
	nla_put_u8(msg, NFSEC_EXPIRE_A_HARD, 1);
	nla_nest_end(msg, ex);
	assert_int_equal(nfsec_expire_parse_nl(nlmsg_find_attr(nlmsg_hdr(msg), 0, NFSEC_A_EXPIRE), &x), -EINVAL);
	nlmsg_free(msg);
}

/* ---- the ikev2d control protocol ---- */

static void test_ike_command(void **state)
{
	char buf[IKE_LINE_MAX + 2], name[600];
	const char *why;
	int bad, argc;

	argc = split("list");
	assert_int_equal(ike_command(argc, words, buf, sizeof(buf), &why, &bad), 0);
	assert_string_equal(buf, "list\n");
	argc = split("up swan");
	assert_int_equal(ike_command(argc, words, buf, sizeof(buf), &why, &bad), 0);
	assert_string_equal(buf, "up swan\n");
	argc = split("down swan");
	assert_int_equal(ike_command(argc, words, buf, sizeof(buf), &why, &bad), 0);
	argc = split("reload");
	assert_int_equal(ike_command(argc, words, buf, sizeof(buf), &why, &bad), 0);
	argc = split("up");
	assert_int_equal(ike_command(argc, words, buf, sizeof(buf), &why, &bad), -1);
	assert_string_equal(why, "needs the NAME of a connection");
	assert_int_equal(bad, 0);
	argc = split("list more");
	assert_int_equal(ike_command(argc, words, buf, sizeof(buf), &why, &bad), -1);
	assert_int_equal(bad, 1);
	argc = split("start swan");
	assert_int_equal(ike_command(argc, words, buf, sizeof(buf), &why, &bad), -1);
	assert_int_equal(bad, 0);
	argc = split("up \"two words\"");
	assert_int_equal(ike_command(argc, words, buf, sizeof(buf), &why, &bad), -1);
	assert_string_equal(why, "a connection name is one word of printable characters");
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	words[0] = "up";
	words[1] = name;
	assert_int_equal(ike_command(2, words, buf, sizeof(buf), &why, &bad), -1);
	assert_int_equal(bad, 1);
	assert_int_equal(ike_command(0, words, buf, sizeof(buf), &why, &bad), -1);
}

static int reply_from(const char *text, struct ike_reply *r)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret = ike_read_reply(f, r);

	fclose(f);
	return ret;
}

static const char list_reply[] =
	"ike swan[1] ESTABLISHED initiator local 10.0.0.1:500 remote 10.0.0.2:4500 "
	"spis 8c1e4f0a9b2d3c4e_i* 5d6e7f8091a2b3c4_r ike AES_GCM_16-128/PRF_HMAC_SHA2_256/CURVE_25519 "
	"established 3s ago mobike\n"
	"child swan[1] INSTALLED TUNNEL spis c63c127d_i 80f84d7f_o esp AES_GCM_16-128 "
	"established 3s ago local 10.1.0.0/24 remote 10.2.0.0/24,10.3.0.0/24 future-field x\n"
	"ike v6[2] CONNECTING responder local [2001:db8::1]:500 remote 2001:db8::2:500 "
	"spis 0000000000000001_i 0000000000000002_r*\n"
	"OK\n";

static void test_ike_reply(void **state)
{
	struct ike_reply r;
	char *out = NULL;
	size_t len;
	FILE *f;

	assert_int_equal(reply_from("initiating swan\nOK\n", &r), 0);
	assert_true(r.ok);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.lines[0], "initiating swan");
	ike_reply_free(&r);
	assert_int_equal(reply_from("ERR no connection 'x'\r\n", &r), 0);
	assert_false(r.ok);
	assert_string_equal(r.err, "no connection 'x'");
	ike_reply_free(&r);
	assert_int_equal(reply_from("ERRATIC line\nOK\n", &r), 0);
	assert_true(r.ok);
	assert_string_equal(r.lines[0], "ERRATIC line");
	ike_reply_free(&r);
	assert_int_equal(reply_from("half a reply\n", &r), -EPROTO);
	ike_reply_free(&r);

	assert_int_equal(reply_from(list_reply, &r), 0);
	assert_int_equal(r.n, 3);
	f = open_memstream(&out, &len);
	ike_list_json(f, r.lines, r.n);
	fclose(f);
	assert_string_equal(out,
		"{\"name\":\"swan\",\"id\":1,\"state\":\"ESTABLISHED\",\"role\":\"initiator\","
		"\"local\":{\"addr\":\"10.0.0.1\",\"port\":500},\"remote\":{\"addr\":\"10.0.0.2\",\"port\":4500},"
		"\"spi_i\":{\"spi\":\"8c1e4f0a9b2d3c4e\",\"ours\":true},\"spi_r\":{\"spi\":\"5d6e7f8091a2b3c4\"},"
		"\"algorithms\":\"AES_GCM_16-128/PRF_HMAC_SHA2_256/CURVE_25519\",\"established_seconds_ago\":3,"
		"\"mobike\":true,\"children\":[{\"name\":\"swan\",\"id\":1,\"state\":\"INSTALLED\",\"mode\":\"TUNNEL\","
		"\"spi_in\":{\"spi\":\"c63c127d\"},\"spi_out\":{\"spi\":\"80f84d7f\"},"
		"\"algorithms\":\"AES_GCM_16-128\",\"established_seconds_ago\":3,"
		"\"local\":[\"10.1.0.0/24\"],\"remote\":[\"10.2.0.0/24\",\"10.3.0.0/24\"]}]}\n"
		"{\"name\":\"v6\",\"id\":2,\"state\":\"CONNECTING\",\"role\":\"responder\","
		"\"local\":{\"addr\":\"2001:db8::1\",\"port\":500},\"remote\":{\"addr\":\"2001:db8::2\",\"port\":500},"
		"\"spi_i\":{\"spi\":\"0000000000000001\"},\"spi_r\":{\"spi\":\"0000000000000002\",\"ours\":true},"
		"\"children\":[]}\n");
	free(out);
	ike_reply_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_aead),
		cmocka_unit_test(test_add_enc_auth),
		cmocka_unit_test(test_add_options),
		cmocka_unit_test(test_add_errors),
		cmocka_unit_test(test_other_commands),
		cmocka_unit_test(test_alg_table),
		cmocka_unit_test(test_sa_roundtrip),
		cmocka_unit_test(test_show_sa),
		cmocka_unit_test(test_expire),
		cmocka_unit_test(test_ike_command),
		cmocka_unit_test(test_ike_reply),
	};

	return cmocka_run_group_tests_name("ipsecctl_sa", tests, NULL, NULL);
}
