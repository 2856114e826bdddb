// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of ipsecctl without a kernel: the argument and file parser,
 * the address helpers, the JSON writer, the aligned tables, and the netlink
 * encoding (a policy put into a message and decoded back, and an extack
 * offset mapped to the attribute and the file line it came from).
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
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "ipsecctl.h"
#include "json.h"
#include "parse.h"
#include "table.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAXW 64

/* Split a string into argv (in a static copy) and parse it as policy add. */
static int add(const char *line, struct nfsec_policy *p, struct parse_error *e)
{
	static char buf[4096];
	char *argv[MAXW];
	int argc;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = split_words(buf, argv, MAXW);
	assert_true(argc >= 0);
	return parse_policy_add(argc, argv, p, e);
}

static void add_ok(const char *line, struct nfsec_policy *p)
{
	struct parse_error e;

	if (add(line, p, &e))
		fail_msg("\"%s\": unexpected error: %s", line, e.msg);
}

static struct nfsec_addr addr(const char *s)
{
	struct nfsec_addr a;

	assert_int_equal(nfsec_addr_parse(s, &a), 0);
	return a;
}

static void test_add_minimal(void **state)
{
	struct nfsec_policy p;

	add_ok("dir out action bypass", &p);
	assert_true(p.has_dir);
	assert_int_equal(p.dir, NFSEC_DIR_OUT);
	assert_true(p.has_action);
	assert_int_equal(p.action, NFSEC_ACTION_BYPASS);
	assert_int_equal(p.sel.src.family, AF_UNSPEC);
	assert_int_equal(p.sel.dst.family, AF_UNSPEC);
	assert_false(p.sel.has_proto);
	assert_false(p.has_priority);
	assert_false(p.has_ipsec);
	assert_int_equal(p.id, 0);

	add_ok("action discard dir fwd", &p);
	assert_int_equal(p.dir, NFSEC_DIR_FWD);
	assert_int_equal(p.action, NFSEC_ACTION_DISCARD);
	add_ok("dir in action bypass", &p);
	assert_int_equal(p.dir, NFSEC_DIR_IN);
}

static void test_add_every_keyword(void **state)
{
	struct nfsec_policy p;
	struct nfsec_addr a;

	add_ok("dir out src 10.1.0.0/16 dst 192.0.2.10-192.0.2.20 proto udp "
	       "sport 1024-65535 dport 53 name company.com pfp src,sport "
	       "priority 100 action protect ipsec ah mode tunnel "
	       "tunnel 192.0.2.1 198.51.100.7 reqid 42 proposal aes256gcm16",
	       &p);
	assert_int_equal(p.dir, NFSEC_DIR_OUT);
	assert_int_equal(p.sel.src.family, AF_INET);
	assert_false(p.sel.src.is_range);
	assert_int_equal(p.sel.src.prefixlen, 16);
	a = addr("10.1.255.255");
	assert_memory_equal(p.sel.src.end, a.bytes, 4);
	assert_true(p.sel.dst.is_range);
	a = addr("192.0.2.10");
	assert_memory_equal(p.sel.dst.start, a.bytes, 4);
	a = addr("192.0.2.20");
	assert_memory_equal(p.sel.dst.end, a.bytes, 4);
	assert_true(p.sel.has_proto);
	assert_int_equal(p.sel.proto, IPPROTO_UDP);
	assert_true(p.sel.has_sport);
	assert_int_equal(p.sel.sport_min, 1024);
	assert_int_equal(p.sel.sport_max, 65535);
	assert_true(p.sel.has_dport);
	assert_int_equal(p.sel.dport_min, 53);
	assert_int_equal(p.sel.dport_max, 53);
	assert_string_equal(p.sel.name, "company.com");
	assert_int_equal(p.sel.pfp, NFSEC_PFP_SRC | NFSEC_PFP_SPORT);
	assert_true(p.has_priority);
	assert_int_equal(p.priority, 100);
	assert_int_equal(p.action, NFSEC_ACTION_PROTECT);
	assert_true(p.has_ipsec);
	assert_int_equal(p.ipsec.proto, IPPROTO_AH);
	assert_int_equal(p.ipsec.mode, NFSEC_MODE_TUNNEL);
	assert_int_equal(p.ipsec.tunnel_src.family, AF_INET);
	a = addr("198.51.100.7");
	assert_memory_equal(p.ipsec.tunnel_dst.bytes, a.bytes, 4);
	assert_true(p.ipsec.has_reqid);
	assert_int_equal(p.ipsec.reqid, 42);
	assert_string_equal(p.ipsec.proposal, "aes256gcm16");

	add_ok("dir in proto icmp type 8 code 0 action discard", &p);
	assert_int_equal(p.sel.proto, IPPROTO_ICMP);
	assert_true(p.sel.has_icmp_type);
	assert_int_equal(p.sel.icmp_type, 8);
	assert_true(p.sel.has_icmp_code);
	assert_int_equal(p.sel.icmp_code, 0);

	add_ok("dir in proto tcp opaque action discard", &p);
	assert_true(p.sel.opaque);

	add_ok("dir out family inet6 action discard", &p);
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(nfsec_policy_family(&p), AF_INET6);
	add_ok("dir out family inet action discard", &p);
	assert_int_equal(p.family, AF_INET);
	add_ok("dir out family any action discard", &p);
	assert_int_equal(p.family, AF_UNSPEC);

	/* "any" is the same as leaving a selector out. */
	add_ok("dir out src any dst any proto any action bypass", &p);
	assert_int_equal(p.sel.src.family, AF_UNSPEC);
	assert_false(p.sel.has_proto);
	add_ok("dir out proto tcp sport any dport any action bypass", &p);
	assert_false(p.sel.has_sport);
	assert_false(p.sel.has_dport);

	/* Protocols by name and by number. */
	add_ok("dir out proto 6 action bypass", &p);
	assert_int_equal(p.sel.proto, IPPROTO_TCP);
	add_ok("dir out proto ipv6-icmp action bypass", &p);
	assert_int_equal(p.sel.proto, IPPROTO_ICMPV6);
	add_ok("dir out proto icmpv6 action bypass", &p);
	assert_int_equal(p.sel.proto, IPPROTO_ICMPV6);
	add_ok("dir out proto sctp dport 5000-5010 action bypass", &p);
	assert_int_equal(p.sel.proto, IPPROTO_SCTP);
	add_ok("dir out proto udplite sport 9 action bypass", &p);
	assert_int_equal(p.sel.proto, IPPROTO_UDPLITE);
	add_ok("dir out proto 0x32 action bypass", &p);
	assert_int_equal(p.sel.proto, IPPROTO_ESP);
	add_ok("dir out priority 010 action bypass", &p);
	assert_int_equal(p.priority, 10);	/* decimal, not octal */
	add_ok("dir out priority 0x10 action bypass", &p);
	assert_int_equal(p.priority, 16);
	add_ok("dir out priority 0 action bypass", &p);
	assert_true(p.has_priority);
	assert_int_equal(p.priority, 0);
	add_ok("dir out priority 4294967295 action bypass", &p);
	assert_int_equal(p.priority, 4294967295U);
}

/* The same words in every rotation and reversed give the same policy. */
static void test_add_any_order(void **state)
{
	static const char *const words[] = {
		"dir out", "src 10.0.0.0/8", "dst 2001:db8::1-2001:db8::9",
		"proto tcp", "sport 1-2", "dport 443", "name x.example",
		"pfp dst", "priority 7", "action protect", "ipsec esp",
		"mode transport", "reqid 3", "proposal aes128gcm16",
	};
	const size_t n = ARRAY_SIZE(words);
	struct nfsec_policy ref, p;
	struct parse_error e;
	char line[1024];

	/* The family mismatch makes this invalid; drop the dst. */
	for (size_t rot = 0; rot < n; rot++) {
		size_t off = 0;

		for (size_t i = 0; i < n; i++) {
			const char *w = words[(i + rot) % n];

			if (!strncmp(w, "dst", 3))
				continue;
			off += (size_t)snprintf(line + off, sizeof(line) - off,
						"%s ", w);
		}
		if (add(line, &p, &e))
			fail_msg("\"%s\": %s", line, e.msg);
		if (!rot)
			ref = p;
		else
			assert_memory_equal(&ref, &p, sizeof(p));
	}
	/* Reversed keyword order. */
	line[0] = '\0';
	for (size_t i = n; i-- > 0;) {
		if (strncmp(words[i], "dst", 3)) {
			strcat(line, words[i]);
			strcat(line, " ");
		}
	}
	add_ok(line, &p);
	assert_memory_equal(&ref, &p, sizeof(p));
}

static const struct {
	const char *line;
	int argi;		/* the word blamed; -1: the whole policy */
	const char *msg;	/* a part of the message */
} bad_adds[] = {
	{ "", -1, "missing \"dir out|in|fwd\"" },
	{ "dir out", -1, "missing \"action bypass|discard|protect\"" },
	{ "action bypass", -1, "missing \"dir" },
	{ "dir up action bypass", 1, "bad dir \"up\": expected out, in or fwd" },
	{ "dir out action allow", 3, "bad action \"allow\": expected bypass, discard or protect" },
	{ "dir out action bypass bogus 1", 4, "unknown keyword \"bogus\"" },
	{ "dir out dir in action bypass", 2, "\"dir\" given twice" },
	{ "dir out action bypass action discard", 4, "\"action\" given twice" },
	{ "dir out action", 2, "\"action\" needs a value" },
	{ "dir out action bypass src", 4, "\"src\" needs a value" },
	{ "id 5 dir out action bypass", 0, "\"id\" is assigned by the kernel" },
	{ "dir out src 10.0.0.300 action bypass", 3, "bad src \"10.0.0.300\": not an address" },
	{ "dir out src 10.0.0.0/33 action bypass", 3, "prefix length must be 0-32" },
	{ "dir out src 10.0.0.0/ action bypass", 3, "prefix length must be 0-32" },
	{ "dir out src 10.0.0.0/-1 action bypass", 3, "prefix length must be 0-32" },
	{ "dir out src 10.0.0.1/8 action bypass", 3, "bits set beyond the prefix length" },
	{ "dir out dst 2001:db8::/129 action bypass", 3, "prefix length must be 0-128" },
	{ "dir out dst 2001:db8::1/64 action bypass", 3, "bits set beyond the prefix length" },
	{ "dir out dst 10.0.0.9-10.0.0.5 action bypass", 3, "range start is above its end" },
	{ "dir out dst 10.0.0.1-2001:db8::1 action bypass", 3, "range mixes IPv4 and IPv6" },
	{ "dir out dst 10.0.0.1- action bypass", 3, "not an address range" },
	{ "dir out src 10.0.0.0/8 dst 2001:db8::/32 action bypass", -1, "different address families" },
	{ "dir out family inet6 src 10.0.0.0/8 action bypass", -1, "family does not match" },
	{ "dir out family ip action bypass", 3, "bad family \"ip\": expected inet, inet6 or any" },
	{ "dir out proto foo action bypass", 3, "bad proto \"foo\"" },
	{ "dir out proto 256 action bypass", 3, "bad proto \"256\"" },
	{ "dir out proto -1 action bypass", 3, "bad proto \"-1\"" },
	{ "dir out proto tcp sport 70000 action bypass", 5, "bad sport \"70000\": not a port" },
	{ "dir out proto tcp sport 10-5 action bypass", 5, "bad sport \"10-5\": port range start is above its end" },
	{ "dir out proto tcp sport 1- action bypass", 5, "bad sport \"1-\"" },
	{ "dir out proto tcp dport -5 action bypass", 5, "bad dport \"-5\"" },
	{ "dir out proto tcp dport 5x action bypass", 5, "bad dport \"5x\"" },
	{ "dir out sport 500 action bypass", -1, "sport/dport need proto tcp, udp, sctp or udplite" },
	{ "dir out proto icmp dport 1 action bypass", -1, "sport/dport need proto" },
	{ "dir out proto tcp type 8 action bypass", -1, "type/code need proto icmp or ipv6-icmp" },
	{ "dir out proto icmp type 256 action bypass", 5, "bad type \"256\": expected a number 0-255" },
	{ "dir out proto icmp code 0 action bypass", -1, "code needs a type" },
	{ "dir out proto icmp dst 2001:db8::1 action bypass", -1, "proto icmp is IPv4's" },
	{ "dir out proto ipv6-icmp dst 192.0.2.1 action bypass", -1, "proto ipv6-icmp is IPv6's" },
	{ "dir out proto udp opaque sport 5 action bypass", -1, "opaque excludes sport/dport" },
	{ "dir out pfp src,foo action protect", 3, "bad pfp \"src,foo\": \"foo\" is not one of src, dst, proto, sport, dport" },
	{ "dir out pfp src, action protect", 3, "\"\" is not one of" },
	{ "dir out pfp src action bypass", -1, "pfp needs action protect" },
	{ "dir out priority -1 action bypass", 3, "bad priority \"-1\"" },
	{ "dir out priority 0x action bypass", 3, "bad priority \"0x\"" },
	{ "dir out priority +5 action bypass", 3, "bad priority \"+5\"" },
	{ "dir out priority 1e3 action bypass", 3, "bad priority \"1e3\"" },
	{ "dir out priority \" 5\" action bypass", 3, "bad priority \" 5\"" },
	{ "dir out priority 4294967296 action bypass", 3, "bad priority \"4294967296\"" },
	{ "dir out action bypass ipsec esp", -1, "need action protect" },
	{ "dir out action discard reqid 1", -1, "need action protect" },
	{ "dir out action protect ipsec gre", 5, "bad ipsec \"gre\": expected esp or ah" },
	{ "dir out action protect mode beet", 5, "bad mode \"beet\": expected tunnel or transport" },
	{ "dir out action protect tunnel 192.0.2.1", 4, "\"tunnel\" needs two values" },
	{ "dir out action protect tunnel 192.0.2.1 2001:db8::1", 5, "different address families" },
	{ "dir out action protect tunnel 192.0.2.1 nowhere", 5, "bad tunnel \"192.0.2.1 nowhere\": expected two addresses" },
	{ "dir out action protect mode transport tunnel 192.0.2.1 192.0.2.2", -1, "tunnel endpoints need mode tunnel" },
	{ "dir out action protect reqid x", 5, "bad reqid \"x\"" },
	{ "dir out action protect proposal \"\"", 5, "bad proposal \"\": must be 1-255 characters" },
};

static void test_add_bad(void **state)
{
	int failures = 0;

	for (size_t i = 0; i < ARRAY_SIZE(bad_adds); i++) {
		struct nfsec_policy p;
		struct parse_error e;

		if (!add(bad_adds[i].line, &p, &e)) {
			print_error("\"%s\": accepted\n", bad_adds[i].line);
			failures++;
			continue;
		}
		if (!strstr(e.msg, bad_adds[i].msg)) {
			print_error("\"%s\": message \"%s\" lacks \"%s\"\n",
				    bad_adds[i].line, e.msg, bad_adds[i].msg);
			failures++;
		}
		if (e.argi != bad_adds[i].argi) {
			print_error("\"%s\": blamed word %d, not %d\n",
				    bad_adds[i].line, e.argi, bad_adds[i].argi);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

static void test_name_limits(void **state)
{
	char line[600], name[300];
	struct nfsec_policy p;
	struct parse_error e;

	memset(name, 'a', 255);
	name[255] = '\0';
	snprintf(line, sizeof(line), "dir out name %s action discard", name);
	add_ok(line, &p);
	assert_string_equal(p.sel.name, name);
	name[255] = 'a';
	name[256] = '\0';
	snprintf(line, sizeof(line), "dir out name %s action discard", name);
	assert_int_equal(add(line, &p, &e), -1);
	assert_non_null(strstr(e.msg, "must be 1-255 characters"));
	assert_int_equal(e.argi, 3);

	/* Quotes make one word of a name with blanks. */
	add_ok("dir out name \"CN=gw, O=Example\" action discard", &p);
	assert_string_equal(p.sel.name, "CN=gw, O=Example");
}

static void test_protect_defaults(void **state)
{
	struct nfsec_policy p;

	add_ok("dir out action protect", &p);
	assert_true(p.has_ipsec);
	assert_true(p.ipsec.has_proto);
	assert_int_equal(p.ipsec.proto, IPPROTO_ESP);
	assert_true(p.ipsec.has_mode);
	assert_int_equal(p.ipsec.mode, NFSEC_MODE_TRANSPORT);
	assert_false(p.ipsec.has_reqid);

	add_ok("dir out action protect tunnel 2001:db8::1 2001:db8::2", &p);
	assert_int_equal(p.ipsec.mode, NFSEC_MODE_TUNNEL);
	assert_int_equal(p.ipsec.tunnel_src.family, AF_INET6);

	add_ok("dir out action protect ipsec ah mode tunnel", &p);
	assert_int_equal(p.ipsec.proto, IPPROTO_AH);
	assert_int_equal(p.ipsec.mode, NFSEC_MODE_TUNNEL);
}

static void test_addr_sel(void **state)
{
	static const struct {
		const char *in, *out;
		uint16_t family;
		bool range;
		uint8_t plen;
	} cases[] = {
		{ "any", "any", AF_UNSPEC, false, 0 },
		{ "192.0.2.1", "192.0.2.1", AF_INET, false, 32 },
		{ "192.0.2.1/32", "192.0.2.1", AF_INET, false, 32 },
		{ "0.0.0.0/0", "0.0.0.0/0", AF_INET, false, 0 },
		{ "10.0.0.0/8", "10.0.0.0/8", AF_INET, false, 8 },
		{ "10.0.0.5-10.0.0.9", "10.0.0.5-10.0.0.9", AF_INET, true, 0 },
		{ "10.0.0.5-10.0.0.5", "10.0.0.5", AF_INET, true, 0 },
		{ "2001:db8::/32", "2001:db8::/32", AF_INET6, false, 32 },
		{ "2001:db8::1", "2001:db8::1", AF_INET6, false, 128 },
		{ "::/0", "::/0", AF_INET6, false, 0 },
		{ "2001:db8::1-2001:db8::ff", "2001:db8::1-2001:db8::ff", AF_INET6, true, 0 },
		{ "fe80::-fe80::ffff:ffff", "fe80::-fe80::ffff:ffff", AF_INET6, true, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nfsec_addr_sel s;
		char buf[NFSEC_ADDR_SEL_STRLEN];
		const char *why = NULL;

		if (nfsec_addr_sel_parse(cases[i].in, &s, &why))
			fail_msg("%s: %s", cases[i].in, why);
		assert_int_equal(s.family, cases[i].family);
		assert_int_equal(s.is_range, cases[i].range);
		if (!cases[i].range)
			assert_int_equal(s.prefixlen, cases[i].plen);
		nfsec_addr_sel_format(&s, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].out);
	}
}

static void test_addr_sel_contains(void **state)
{
	struct nfsec_addr_sel s;
	const char *why;

	assert_int_equal(nfsec_addr_sel_parse("10.0.0.0/8", &s, &why), 0);
	assert_true(nfsec_addr_sel_contains(&s, &(struct nfsec_addr){ 0 }) == false);
	{
		struct nfsec_addr a = addr("10.255.255.255"), b = addr("11.0.0.0");
		struct nfsec_addr c = addr("2001:db8::1");

		assert_true(nfsec_addr_sel_contains(&s, &a));
		assert_false(nfsec_addr_sel_contains(&s, &b));
		assert_false(nfsec_addr_sel_contains(&s, &c));
	}
	assert_int_equal(nfsec_addr_sel_parse("2001:db8::5-2001:db8::9", &s, &why), 0);
	{
		struct nfsec_addr a = addr("2001:db8::5"), b = addr("2001:db8::9");
		struct nfsec_addr c = addr("2001:db8::a"), d = addr("2001:db8::4");

		assert_true(nfsec_addr_sel_contains(&s, &a));
		assert_true(nfsec_addr_sel_contains(&s, &b));
		assert_false(nfsec_addr_sel_contains(&s, &c));
		assert_false(nfsec_addr_sel_contains(&s, &d));
	}
	assert_int_equal(nfsec_addr_sel_parse("any", &s, &why), 0);
	{
		struct nfsec_addr a = addr("192.0.2.1");

		assert_true(nfsec_addr_sel_contains(&s, &a));
	}
}

static void test_pfp(void **state)
{
	static const struct {
		const char *in;
		uint32_t flags;
		const char *out;
	} ok[] = {
		{ "src", NFSEC_PFP_SRC, "src" },
		{ "dst", NFSEC_PFP_DST, "dst" },
		{ "dport,src", NFSEC_PFP_SRC | NFSEC_PFP_DPORT, "src,dport" },
		{ "src,dst,proto,sport,dport", __NFSEC_PFP_ALL, "src,dst,proto,sport,dport" },
		{ "src,src", NFSEC_PFP_SRC, "src" },
	};
	static const char *const bad[] = { "", ",", "src,", ",dst", "source", "src;dst", "SRC" };
	char buf[64];
	uint32_t f;

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		assert_int_equal(nfsec_pfp_parse(ok[i].in, &f, buf, sizeof(buf)), 0);
		assert_int_equal(f, ok[i].flags);
		nfsec_pfp_format(f, buf, sizeof(buf));
		assert_string_equal(buf, ok[i].out);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (!nfsec_pfp_parse(bad[i], &f, buf, sizeof(buf)))
			fail_msg("pfp \"%s\" accepted", bad[i]);
}

static void test_ports(void **state)
{
	uint16_t lo, hi;
	const char *why;

	assert_int_equal(nfsec_port_range_parse("0", &lo, &hi, &why), 0);
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 0);
	assert_int_equal(nfsec_port_range_parse("65535", &lo, &hi, &why), 0);
	assert_int_equal(nfsec_port_range_parse("0-65535", &lo, &hi, &why), 0);
	assert_int_equal(hi, 65535);
	assert_int_equal(nfsec_port_range_parse("65536", &lo, &hi, &why), -1);
	assert_int_equal(nfsec_port_range_parse("1--2", &lo, &hi, &why), -1);
	assert_int_equal(nfsec_port_range_parse("-", &lo, &hi, &why), -1);
	assert_int_equal(nfsec_port_range_parse(" 1", &lo, &hi, &why), -1);
	assert_int_equal(nfsec_port_range_parse("1-2-3", &lo, &hi, &why), -1);
	assert_int_equal(nfsec_port_range_parse("99999999999999999999", &lo, &hi, &why), -1);
}

static int lookup(const char *line, struct lookup_req *r, struct parse_error *e)
{
	static char buf[1024];
	char *argv[MAXW];
	int argc;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = split_words(buf, argv, MAXW);
	return parse_policy_lookup(argc, argv, r, e);
}

static void test_lookup(void **state)
{
	struct parse_error e;
	struct lookup_req r;

	assert_int_equal(lookup("dir out src 10.0.0.1 dst 192.0.2.7 proto udp sport 4500 dport 53", &r, &e), 0);
	assert_int_equal(r.dir, NFSEC_DIR_OUT);
	assert_int_equal(r.src.family, AF_INET);
	assert_true(r.has_proto);
	assert_int_equal(r.proto, IPPROTO_UDP);
	assert_int_equal(r.sport, 4500);
	assert_int_equal(r.dport, 53);

	/* Any order, IPv6, and ICMP type/code as sport/dport. */
	assert_int_equal(lookup("code 0 type 128 proto ipv6-icmp dst 2001:db8::2 src 2001:db8::1 dir fwd", &r, &e), 0);
	assert_int_equal(r.dir, NFSEC_DIR_FWD);
	assert_int_equal(r.src.family, AF_INET6);
	assert_true(r.has_sport);
	assert_int_equal(r.sport, 128);
	assert_true(r.has_dport);
	assert_int_equal(r.dport, 0);

	assert_int_equal(lookup("src 10.0.0.1 dst 10.0.0.2", &r, &e), -1);
	assert_string_equal(e.msg, "missing \"dir out|in|fwd\"");
	assert_int_equal(lookup("dir in src 10.0.0.1", &r, &e), -1);
	assert_non_null(strstr(e.msg, "missing \"src ADDR\" or \"dst ADDR\""));
	assert_int_equal(lookup("dir in src 10.0.0.0/8 dst 10.0.0.2", &r, &e), -1);
	assert_int_equal(e.argi, 3);
	assert_non_null(strstr(e.msg, "bad src \"10.0.0.0/8\": expected one address"));
	assert_int_equal(lookup("dir in src 10.0.0.1 dst 2001:db8::1", &r, &e), -1);
	assert_non_null(strstr(e.msg, "different address families"));
	assert_int_equal(lookup("dir in src 10.0.0.1 dst 10.0.0.2 sport 5", &r, &e), -1);
	assert_non_null(strstr(e.msg, "sport/dport need proto"));
	assert_int_equal(lookup("dir in src 10.0.0.1 dst 10.0.0.2 proto udp dport 65536", &r, &e), -1);
	assert_int_equal(e.argi, 9);
	assert_int_equal(lookup("dir in src 10.0.0.1 dst 10.0.0.2 proto icmp type 8 sport 1", &r, &e), -1);
	assert_int_equal(lookup("dir in src 10.0.0.1 dst 10.0.0.2 proto tcp type 8", &r, &e), -1);
	assert_non_null(strstr(e.msg, "type/code need proto icmp"));
	assert_int_equal(lookup("dir in src 10.0.0.1 dst 10.0.0.2 dir out", &r, &e), -1);
	assert_non_null(strstr(e.msg, "\"dir\" given twice"));
	assert_int_equal(lookup("dir in src 10.0.0.1 dst 10.0.0.2 name x", &r, &e), -1);
	assert_non_null(strstr(e.msg, "unknown keyword \"name\""));
	assert_int_equal(lookup("dir in src 10.0.0.1 dst", &r, &e), -1);
	assert_non_null(strstr(e.msg, "\"dst\" needs a value"));
}

static void test_del_and_filters(void **state)
{
	char *ok_del[] = { "id", "7" };
	char *bad_del0[] = { "id", "0" };
	char *bad_del1[] = { "id" };
	char *bad_del2[] = { "spi", "7" };
	char *bad_del3[] = { "id", "7", "x" };
	char *dir_ok[] = { "dir", "in" };
	char *dir_bad[] = { "dir", "up" };
	char *dir_extra[] = { "dir", "in", "now" };
	struct parse_error e;
	uint32_t id;
	int dir;

	assert_int_equal(parse_policy_del(2, ok_del, &id, &e), 0);
	assert_int_equal(id, 7);
	assert_int_equal(parse_policy_del(2, bad_del0, &id, &e), -1);
	assert_int_equal(e.argi, 1);
	assert_int_equal(parse_policy_del(1, bad_del1, &id, &e), -1);
	assert_non_null(strstr(e.msg, "\"id\" needs a value"));
	assert_int_equal(parse_policy_del(2, bad_del2, &id, &e), -1);
	assert_non_null(strstr(e.msg, "unknown keyword \"spi\""));
	assert_int_equal(parse_policy_del(3, bad_del3, &id, &e), -1);
	assert_int_equal(e.argi, 2);
	assert_int_equal(parse_policy_del(0, NULL, &id, &e), -1);
	assert_non_null(strstr(e.msg, "missing \"id N\""));

	assert_int_equal(parse_policy_dir_filter(0, NULL, &dir, &e), 0);
	assert_int_equal(dir, -1);
	assert_int_equal(parse_policy_dir_filter(2, dir_ok, &dir, &e), 0);
	assert_int_equal(dir, NFSEC_DIR_IN);
	assert_int_equal(parse_policy_dir_filter(2, dir_bad, &dir, &e), -1);
	assert_int_equal(e.argi, 1);
	assert_int_equal(parse_policy_dir_filter(3, dir_extra, &dir, &e), -1);
	assert_int_equal(e.argi, 2);
}

static void test_split_words(void **state)
{
	char line[] = "  dir\tout  name \"a b\"   # a comment \"x\n";
	char bad[] = "name \"unterminated";
	char glued[] = "name \"a\"b";
	char *w[8];

	assert_int_equal(split_words(line, w, 8), 4);
	assert_string_equal(w[0], "dir");
	assert_string_equal(w[1], "out");
	assert_string_equal(w[2], "name");
	assert_string_equal(w[3], "a b");
	assert_int_equal(split_words(bad, w, 8), -2);
	assert_int_equal(split_words(glued, w, 8), -2);
	{
		char many[] = "a b c";

		assert_int_equal(split_words(many, w, 2), -1);
	}
}

/* Parse a file given as a string; errors go to *errs. */
static int parse_text(const char *text, struct policy_file *pf, char **errs)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	size_t len;
	FILE *err = open_memstream(errs, &len);
	int ret;

	assert_non_null(in);
	assert_non_null(err);
	ret = parse_policy_file(in, "spd.conf", pf, err);
	fclose(in);
	fclose(err);
	return ret;
}

static void test_file_good(void **state)
{
	static const char text[] =
		"# The Security Gateway's SPD\n"
		"\n"
		"policy add dir in dst 192.0.2.1 proto udp dport 500 action bypass\n"
		"   dir out src 192.0.2.1 proto udp sport 500 action bypass   # IKE\n"
		"\t# indented comment\n"
		"dir out name company.com pfp dst \\\n"
		"    action protect mode tunnel \\\n"
		"    reqid 1\n"
		"dir out action discard\r\n"
		"dir in action discard";	/* no final newline */
	struct policy_file pf;
	char *errs = NULL;

	assert_int_equal(parse_text(text, &pf, &errs), 0);
	assert_string_equal(errs, "");
	assert_int_equal(pf.errors, 0);
	assert_int_equal(pf.n, 5);
	assert_int_equal(pf.line[0], 3);
	assert_int_equal(pf.line[1], 4);
	assert_int_equal(pf.line[2], 6);
	assert_int_equal(pf.line[3], 9);
	assert_int_equal(pf.line[4], 10);
	assert_int_equal(pf.v[0].dir, NFSEC_DIR_IN);
	assert_int_equal(pf.v[0].sel.dport_min, 500);
	assert_string_equal(pf.v[2].sel.name, "company.com");
	assert_int_equal(pf.v[2].sel.pfp, NFSEC_PFP_DST);
	assert_int_equal(pf.v[2].ipsec.mode, NFSEC_MODE_TUNNEL);
	assert_int_equal(pf.v[2].ipsec.reqid, 1);
	assert_int_equal(pf.v[4].action, NFSEC_ACTION_DISCARD);
	policy_file_free(&pf);
	free(errs);

	/* A byte order mark does not hide the first keyword. */
	assert_int_equal(parse_text("\xef\xbb\xbf" "dir out action bypass\n", &pf, &errs), 0);
	assert_int_equal(pf.n, 1);
	policy_file_free(&pf);
	free(errs);

	/* An empty file is a valid, empty SPD. */
	assert_int_equal(parse_text("# nothing\n\n", &pf, &errs), 0);
	assert_int_equal(pf.n, 0);
	policy_file_free(&pf);
	free(errs);
}

static void test_file_errors(void **state)
{
	static const char text[] =
		"dir out action bypass\n"
		"dir out proto tcp sport 99999 action bypass\n"
		"\n"
		"dir sideways action bypass\n"
		"dir out src 10.0.0.0/8 \\\n"
		"  dst 2001:db8::/32 action bypass\n"
		"policy add dir in action discard\n"
		"name \"open quote action bypass\n";
	struct policy_file pf;
	char *errs = NULL;

	assert_int_equal(parse_text(text, &pf, &errs), -1);
	assert_int_equal(pf.errors, 4);
	assert_string_equal(pf.first_error,
		"spd.conf:2: bad sport \"99999\": not a port or port range (expected N or N-M, 0-65535)");
	assert_non_null(strstr(errs, "spd.conf:2: bad sport"));
	assert_non_null(strstr(errs, "spd.conf:4: bad dir \"sideways\""));
	/* A continued line is blamed on the line where it starts. */
	assert_non_null(strstr(errs, "spd.conf:5: src and dst are of different address families"));
	assert_non_null(strstr(errs, "spd.conf:8: unterminated quote"));
	/* The good lines were still parsed, to find every error in one go. */
	assert_int_equal(pf.n, 2);
	policy_file_free(&pf);
	free(errs);
}

static void test_json(void **state)
{
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	struct json j;

	json_init(&j, f);
	json_obj_open(&j, NULL);
	json_str(&j, "plain", "company.com");
	json_str(&j, "quote\"key", "a\"b\\c/d");
	json_str(&j, "ctl", "\x01\b\f\n\r\t\x1f\x7f");
	json_str(&j, "utf8", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92");
	json_str(&j, "bad", "a\xff" "b\xc3" "c\xe0\x80\x80" "d\xed\xa0\x80");
	json_u64(&j, "big", UINT64_MAX);
	json_bool(&j, "t", true);
	json_arr_open(&j, "list");
	json_u64(&j, NULL, 1);
	json_obj_open(&j, NULL);
	json_obj_close(&j);
	json_arr_open(&j, NULL);
	json_arr_close(&j);
	json_str(&j, NULL, "");
	json_arr_close(&j);
	json_obj_close(&j);
	json_newline(&j);
	fclose(f);
	assert_string_equal(out,
		"{\"plain\":\"company.com\","
		"\"quote\\\"key\":\"a\\\"b\\\\c/d\","
		"\"ctl\":\"\\u0001\\b\\f\\n\\r\\t\\u001f\\u007f\","
		"\"utf8\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92\","
		"\"bad\":\"a\\ufffdb\\ufffdc\\ufffd\\ufffd\\ufffdd\\ufffd\\ufffd\\ufffd\","
		"\"big\":18446744073709551615,\"t\":true,"
		"\"list\":[1,{},[],\"\"]}\n");
	free(out);
}

static void test_json_policy(void **state)
{
	struct nfsec_policy p;
	char *out = NULL;
	size_t len;
	FILE *f;
	struct json j;

	add_ok("dir out src 10.0.0.0/8 proto udp dport 53 pfp src,dport action protect reqid 9", &p);
	strcpy(p.sel.name, "a\"b\\");
	p.id = 12;
	f = open_memstream(&out, &len);
	json_init(&j, f);
	json_policy(&j, NULL, &p);
	fclose(f);
	assert_string_equal(out,
		"{\"id\":12,\"dir\":\"out\",\"family\":\"inet\","
		"\"sel\":{\"src\":\"10.0.0.0/8\",\"dst\":\"any\",\"proto\":\"udp\","
		"\"dport\":{\"min\":53,\"max\":53},\"name\":\"a\\\"b\\\\\","
		"\"pfp\":[\"src\",\"dport\"]},\"action\":\"protect\","
		"\"ipsec\":{\"proto\":\"esp\",\"mode\":\"transport\",\"reqid\":9},"
		"\"owned\":false}");
	free(out);
}

static void test_table(void **state)
{
	struct nfsec_policy v[3];
	char *out = NULL;
	size_t len;
	FILE *f;

	add_ok("dir in dst 192.0.2.1 proto udp dport 500 priority 10 action bypass", &v[0]);
	v[0].id = 1;
	add_ok("dir out name company.com pfp dst action protect tunnel 192.0.2.1 198.51.100.7", &v[1]);
	v[1].id = 2;
	add_ok("dir fwd action discard", &v[2]);
	v[2].id = 100;
	f = open_memstream(&out, &len);
	print_policies(f, v, 3, false);
	fclose(f);
	assert_string_equal(out,
		"id 1    dir in   priority 10  dst 192.0.2.1  proto udp  dport 500                             action bypass\n"
		"id 2    dir out                                                    name company.com  pfp dst  action protect  ipsec esp  mode tunnel  tunnel 192.0.2.1 198.51.100.7\n"
		"id 100  dir fwd                                                                               action discard\n");
	free(out);
}

/* Encode with nfsec_policy_put, decode with nfsec_policy_parse_nl. */
static void test_nl_roundtrip(void **state)
{
	static const char *const lines[] = {
		"dir out action bypass",
		"dir in src 10.0.0.0/8 dst 192.0.2.5-192.0.2.9 proto tcp sport 1-1023 dport 80 priority 5 action discard",
		"dir fwd src 2001:db8::/48 dst 2001:db8:1::1-2001:db8:1::ff proto ipv6-icmp type 128 code 0 action bypass",
		"dir out family inet6 proto udp opaque action discard",
		"dir out name company.com pfp src,dst,proto,sport,dport action protect ipsec ah mode tunnel tunnel 2001:db8::1 2001:db8::2 reqid 77 proposal aes256gcm16-x25519",
	};

	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		struct nl_msg *msg = nlmsg_alloc();
		struct nfsec_policy p, q;
		struct nlattr *a;

		add_ok(lines[i], &p);
		p.id = (uint32_t)i + 1;
		assert_non_null(msg);
		assert_int_equal(nfsec_policy_put(msg, NFSEC_A_POLICY, &p), 0);
		a = nlmsg_find_attr(nlmsg_hdr(msg), 0, NFSEC_A_POLICY);
		assert_non_null(a);
		/* Strict kernel validation wants NLA_F_NESTED on nests. */
		assert_true(a->nla_type & NLA_F_NESTED);
		assert_int_equal(nfsec_policy_parse_nl(a, &q), 0);
		if (memcmp(&p, &q, sizeof(p)))
			fail_msg("\"%s\" changed in a netlink round trip", lines[i]);
		nlmsg_free(msg);
	}
}

static uint32_t offset_of(struct nl_msg *msg, const struct nlattr *a)
{
	return (uint32_t)((const char *)a - (const char *)nlmsg_hdr(msg));
}

/* An extack offset inside a POLICY_REPLACE maps to the policy's index. */
static void test_attr_path(void **state)
{
	struct nfsec_nl_attr_step path[8];
	struct nlattr *list, *a, *pol = NULL, *sel, *port;
	struct nl_msg *msg = nlmsg_alloc();
	struct nfsec_policy p[3];
	char where[160];
	int depth, rem, n = 0;
	long idx;

	assert_non_null(msg);
	assert_non_null(genlmsg_put(msg, 0, 0, 0x20, 0, 0,
				    NFSEC_CMD_POLICY_REPLACE, 1));
	add_ok("dir out action bypass", &p[0]);
	add_ok("dir in action discard", &p[1]);
	add_ok("dir in proto tcp sport 5 action discard", &p[2]);
	assert_int_equal(nla_put_flag(msg, NFSEC_A_CHECK_ONLY), 0);
	list = nfsec_nest_start(msg, NFSEC_A_POLICY_LIST);
	for (int i = 0; i < 3; i++)
		assert_int_equal(nfsec_policy_put(msg, NFSEC_A_POLICY, &p[i]), 0);
	nla_nest_end(msg, list);

	/* Point at the third policy's sport-min, as the kernel would. */
	nla_for_each_nested(a, list, rem)
		if (n++ == 2)
			pol = a;
	assert_non_null(pol);
	sel = nla_find(nla_data(pol), nla_len(pol), NFSEC_POLICY_A_SEL);
	assert_non_null(sel);
	port = nla_find(nla_data(sel), nla_len(sel), NFSEC_SEL_A_SPORT_MIN);
	assert_non_null(port);

	depth = nfsec_nl_attr_path(msg, offset_of(msg, port), path, 8);
	assert_int_equal(depth, 4);
	ipc_attr_path_name(path, depth, where, sizeof(where), &idx);
	assert_string_equal(where, "policy-list.policy[2].sel.sport-min");
	assert_int_equal(idx, 2);

	depth = nfsec_nl_attr_path(msg, offset_of(msg, pol), path, 8);
	assert_int_equal(depth, 2);
	ipc_attr_path_name(path, depth, where, sizeof(where), &idx);
	assert_string_equal(where, "policy-list.policy[2]");
	assert_int_equal(idx, 2);

	depth = nfsec_nl_attr_path(msg, offset_of(msg, list), path, 8);
	assert_int_equal(depth, 1);
	ipc_attr_path_name(path, depth, where, sizeof(where), &idx);
	assert_string_equal(where, "policy-list");
	assert_int_equal(idx, -1);

	a = nlmsg_find_attr(nlmsg_hdr(msg), GENL_HDRLEN, NFSEC_A_CHECK_ONLY);
	depth = nfsec_nl_attr_path(msg, offset_of(msg, a), path, 8);
	ipc_attr_path_name(path, depth, where, sizeof(where), &idx);
	assert_string_equal(where, "check-only");

	/* Not the start of an attribute: no answer rather than a wrong one. */
	assert_int_equal(nfsec_nl_attr_path(msg, offset_of(msg, port) + 2, path, 8), 0);
	assert_int_equal(nfsec_nl_attr_path(msg, 100000, path, 8), 0);
	nlmsg_free(msg);
}

/* The kernel's NLMSG_ERROR with extended-ack TLVs, capped or not. */
static void test_ext_ack(void **state)
{
	for (int capped = 0; capped < 2; capped++) {
		struct nlmsgerr e = { .error = -EINVAL };
		struct nfsec_nl_err err;
		struct nl_msg *msg;
		uint8_t payload[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };

		msg = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_ACK_TLVS |
					 (capped ? NLM_F_CAPPED : 0));
		assert_non_null(msg);
		/* The echoed request: a header and, uncapped, its payload. */
		e.msg.nlmsg_len = NLMSG_HDRLEN + (capped ? 0 : 10);
		e.msg.nlmsg_type = 0x20;
		assert_int_equal(nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO), 0);
		if (!capped)
			assert_int_equal(nlmsg_append(msg, payload, 10, NLMSG_ALIGNTO), 0);
		assert_int_equal(nla_put_string(msg, NLMSGERR_ATTR_MSG,
						"ports need TCP or UDP"), 0);
		assert_int_equal(nla_put_u32(msg, NLMSGERR_ATTR_OFFS, 56), 0);
		assert_int_equal(nla_put_u32(msg, NLMSGERR_ATTR_MISS_TYPE, 3), 0);
		assert_int_equal(nla_put_u32(msg, NLMSGERR_ATTR_MISS_NEST, 20), 0);

		memset(&err, 0, sizeof(err));
		nfsec_nl_parse_ext_ack(nlmsg_hdr(msg), &err);
		assert_string_equal(err.msg, "ports need TCP or UDP");
		assert_true(err.has_offs);
		assert_int_equal(err.offs, 56);
		assert_true(err.has_miss_type);
		assert_int_equal(err.miss_type, 3);
		assert_true(err.has_miss_nest);
		assert_int_equal(err.miss_nest, 20);
		nlmsg_free(msg);
	}
	{
		/* No TLVs flagged: nothing read. */
		struct nlmsgerr e = { .error = -EPERM };
		struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_CAPPED);
		struct nfsec_nl_err err;

		e.msg.nlmsg_len = NLMSG_HDRLEN;
		assert_int_equal(nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO), 0);
		memset(&err, 0, sizeof(err));
		nfsec_nl_parse_ext_ack(nlmsg_hdr(msg), &err);
		assert_string_equal(err.msg, "");
		assert_false(err.has_offs);
		nlmsg_free(msg);
	}
}

/* An ACQUIRE as the kernel sends it decodes with its PFP-populated sel. */
static void test_acquire_parse(void **state)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nfsec_addr src = addr("10.8.0.5"), dst = addr("192.0.2.80");
	struct nfsec_policy p;
	struct nfsec_acquire a;
	struct nlattr *nest, *ip;
	char words[512];

	add_ok("dir in name company.com src 10.8.0.5 pfp src action protect", &p);
	nest = nfsec_nest_start(msg, NFSEC_A_ACQUIRE);
	assert_int_equal(nla_put_u32(msg, NFSEC_ACQUIRE_A_POLICY_ID, 7), 0);
	assert_int_equal(nla_put_u8(msg, NFSEC_ACQUIRE_A_DIR, NFSEC_DIR_IN), 0);
	assert_int_equal(nla_put_u16(msg, NFSEC_ACQUIRE_A_FAMILY, AF_INET), 0);
	assert_int_equal(nfsec_sel_put(msg, NFSEC_ACQUIRE_A_SEL, &p.sel), 0);
	ip = nfsec_nest_start(msg, NFSEC_ACQUIRE_A_IPSEC);
	assert_int_equal(nla_put_u8(msg, NFSEC_IPSEC_A_PROTO, IPPROTO_ESP), 0);
	assert_int_equal(nla_put_u8(msg, NFSEC_IPSEC_A_MODE, NFSEC_MODE_TUNNEL), 0);
	assert_int_equal(nla_put_u32(msg, NFSEC_IPSEC_A_REQID, 9), 0);
	nla_nest_end(msg, ip);
	assert_int_equal(nla_put(msg, NFSEC_ACQUIRE_A_PACKET_SRC, 4, src.bytes), 0);
	assert_int_equal(nla_put(msg, NFSEC_ACQUIRE_A_PACKET_DST, 4, dst.bytes), 0);
	assert_int_equal(nla_put_u8(msg, NFSEC_ACQUIRE_A_PACKET_PROTO, IPPROTO_TCP), 0);
	assert_int_equal(nla_put_u16(msg, NFSEC_ACQUIRE_A_PACKET_SPORT, 40312), 0);
	assert_int_equal(nla_put_u16(msg, NFSEC_ACQUIRE_A_PACKET_DPORT, 22), 0);
	nla_nest_end(msg, nest);

	nest = nlmsg_find_attr(nlmsg_hdr(msg), 0, NFSEC_A_ACQUIRE);
	assert_int_equal(nfsec_acquire_parse_nl(nest, &a), 0);
	assert_int_equal(a.policy_id, 7);
	assert_int_equal(a.dir, NFSEC_DIR_IN);
	assert_int_equal(a.family, AF_INET);
	assert_memory_equal(&a.sel, &p.sel, sizeof(a.sel));
	assert_true(a.has_ipsec);
	assert_int_equal(a.ipsec.reqid, 9);
	assert_int_equal(a.ipsec.mode, NFSEC_MODE_TUNNEL);
	assert_memory_equal(&a.packet_src, &src, sizeof(src));
	assert_memory_equal(&a.packet_dst, &dst, sizeof(dst));
	assert_int_equal(a.packet_proto, IPPROTO_TCP);
	assert_int_equal(a.packet_sport, 40312);
	assert_int_equal(a.packet_dport, 22);
	sel_words(&a.sel, words, sizeof(words));
	assert_string_equal(words, "src 10.8.0.5 name company.com pfp src");

	/* How ipsecctl monitor shows it, as text and as one JSON line. */
	{
		char *out = NULL;
		size_t len;
		FILE *f = open_memstream(&out, &len);
		struct json j;

		print_event(f, NFSEC_CMD_ACQUIRE, &a, NULL);
		print_event(f, 99, NULL, NULL);
		json_init(&j, f);
		json_event(&j, NFSEC_CMD_ACQUIRE, &a, NULL);
		json_newline(&j);
		fclose(f);
		assert_string_equal(out,
			"acquire policy 7 dir in ipsec esp mode tunnel reqid 9 "
			"sel src 10.8.0.5 name company.com pfp src "
			"packet src 10.8.0.5 dst 192.0.2.80 proto tcp sport 40312 dport 22\n"
			"event unknown (99)\n"
			"{\"event\":\"acquire\",\"policy\":7,\"dir\":\"in\",\"family\":\"inet\","
			"\"sel\":{\"src\":\"10.8.0.5\",\"dst\":\"any\",\"proto\":\"any\","
			"\"name\":\"company.com\",\"pfp\":[\"src\"]},"
			"\"ipsec\":{\"proto\":\"esp\",\"mode\":\"tunnel\",\"reqid\":9},"
			"\"packet\":{\"src\":\"10.8.0.5\",\"dst\":\"192.0.2.80\",\"proto\":\"tcp\","
			"\"sport\":40312,\"dport\":22}}\n");
		free(out);
	}
	{
		char *out = NULL, want[64];
		size_t len;
		FILE *f = open_memstream(&out, &len);

		print_event(f, NFSEC_CMD_EXPIRE, NULL, NULL);
		fclose(f);
		snprintf(want, sizeof(want), "event expire (%u)\n",
			 (unsigned int)NFSEC_CMD_EXPIRE);
		assert_string_equal(out, want);
		free(out);
	}

	/* A truncated address is refused, not read past its end. */
	nlmsg_free(msg);
	msg = nlmsg_alloc();
	nest = nfsec_nest_start(msg, NFSEC_A_ACQUIRE);
	assert_int_equal(nla_put(msg, NFSEC_ACQUIRE_A_PACKET_SRC, 3, src.bytes), 0);
	nla_nest_end(msg, nest);
	nest = nlmsg_find_attr(nlmsg_hdr(msg), 0, NFSEC_A_ACQUIRE);
	assert_int_equal(nfsec_acquire_parse_nl(nest, &a), -EINVAL);
	nlmsg_free(msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_minimal),
		cmocka_unit_test(test_add_every_keyword),
		cmocka_unit_test(test_add_any_order),
		cmocka_unit_test(test_add_bad),
		cmocka_unit_test(test_name_limits),
		cmocka_unit_test(test_protect_defaults),
		cmocka_unit_test(test_addr_sel),
		cmocka_unit_test(test_addr_sel_contains),
		cmocka_unit_test(test_pfp),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_del_and_filters),
		cmocka_unit_test(test_split_words),
		cmocka_unit_test(test_file_good),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_policy),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_nl_roundtrip),
		cmocka_unit_test(test_attr_path),
		cmocka_unit_test(test_ext_ack),
		cmocka_unit_test(test_acquire_parse),
	};

	return cmocka_run_group_tests_name("ipsecctl", tests, NULL, NULL);
}
