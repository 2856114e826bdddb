// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Traffic selector text form, intersection and RFC 7296 §2.9 narrowing.
 */
#include <errno.h>
#include "test_util.h"
#include "ts.h"

static struct ike_ts T(const char *s)
{
	struct ike_ts ts;
	char err[128];

	if (ts_parse(s, &ts, err, sizeof(err)))
		fail_msg("'%s': %s", s, err);
	return ts;
}

static void assert_ts(const struct ike_ts *ts, const char *want)
{
	char buf[128];

	assert_true(ts_format(ts, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, want);
}

static void test_parse(void **state)
{
	struct ike_ts ts = T("10.1.0.0/16");

	assert_int_equal(ts.type, IKE_TS_IPV4_ADDR_RANGE);
	assert_hex_equal(ts.start, 4, "0a010000");
	assert_hex_equal(ts.end, 4, "0a01ffff");
	assert_int_equal(ts.ip_proto, 0);
	assert_int_equal(ts.start_port, 0);
	assert_int_equal(ts.end_port, 65535);

	ts = T("2001:db8::/32[tcp/443]");
	assert_int_equal(ts.type, IKE_TS_IPV6_ADDR_RANGE);
	assert_hex_equal(ts.start, 16, "20010db8000000000000000000000000");
	assert_hex_equal(ts.end, 16, "20010db8ffffffffffffffffffffffff");
	assert_int_equal(ts.ip_proto, 6);
	assert_int_equal(ts.start_port, 443);
	assert_int_equal(ts.end_port, 443);

	ts = T("192.0.2.7[udp/500-4500]");
	assert_hex_equal(ts.start, 4, "c0000207");
	assert_hex_equal(ts.end, 4, "c0000207");
	assert_int_equal(ts.ip_proto, 17);
	assert_int_equal(ts.start_port, 500);
	assert_int_equal(ts.end_port, 4500);

	ts = T("10.0.0.1-10.0.0.9[47]");
	assert_hex_equal(ts.end, 4, "0a000009");
	assert_int_equal(ts.ip_proto, 47);

	ts = T("0.0.0.0/0");
	assert_hex_equal(ts.end, 4, "ffffffff");
	ts = T("::/0[ipv6-icmp]");
	assert_int_equal(ts.ip_proto, 58);
}

static void check_err(const char *s, const char *needle)
{
	struct ike_ts ts;
	char err[128] = "";

	assert_int_equal(ts_parse(s, &ts, err, sizeof(err)), -EINVAL);
	if (!strstr(err, needle))
		fail_msg("'%s': \"%s\" lacks \"%s\"", s, err, needle);
}

static void test_parse_errors(void **state)
{
	check_err("10.1.0.0/33", "bad prefix length '/33'");
	check_err("10.1.0.0/", "bad prefix length");
	check_err("10.1.0.1/16", "host bits set");
	check_err("10.1.0.256/24", "not an IPv4 or IPv6 address");
	check_err("gw.example", "not an IPv4 or IPv6 address");
	check_err("10.0.0.9-10.0.0.1", "ends before it starts");
	check_err("10.0.0.1-2001:db8::1", "same family");
	check_err("10.0.0.0/8[foo]", "unknown protocol 'foo'");
	check_err("10.0.0.0/8[tcp/http]", "bad port 'http'");
	check_err("10.0.0.0/8[tcp/70000]", "bad port '70000'");
	check_err("10.0.0.0/8[tcp/90-80]", "bad port range '90-80'");
	check_err("10.0.0.0/8[tcp", "expected [protocol]");
	check_err("10.0.0.0/8[", "expected [protocol]");
	check_err("10.0.0.0/8[tcp]x", "expected [protocol]");
	check_err("10.0.0.0/8-10.0.0.9", "not both");
}

static void test_format(void **state)
{
	struct ike_ts ts;

	ts = T("10.1.0.0/16");
	assert_ts(&ts, "10.1.0.0/16");
	ts = T("10.0.0.1-10.0.0.9[tcp/80]");
	assert_ts(&ts, "10.0.0.1-10.0.0.9[6/80]");
	ts = T("2001:db8::1[udp]");
	assert_ts(&ts, "2001:db8::1/128[17]");
	ts_any(&ts, IKE_TS_IPV6_ADDR_RANGE);
	assert_ts(&ts, "::/0");
}

static void test_intersect(void **state)
{
	struct ike_ts a, b, r;

	/* nested subnets: the smaller */
	a = T("10.0.0.0/8");
	b = T("10.1.0.0/16");
	assert_true(ts_intersect(&a, &b, &r));
	assert_ts(&r, "10.1.0.0/16");
	/* overlapping ranges */
	a = T("10.0.0.1-10.0.0.20");
	b = T("10.0.0.10-10.0.0.30");
	assert_true(ts_intersect(&a, &b, &r));
	assert_ts(&r, "10.0.0.10-10.0.0.20");
	/* disjoint, and different families */
	a = T("10.1.0.0/16");
	b = T("10.2.0.0/16");
	assert_false(ts_intersect(&a, &b, &r));
	b = T("::/0");
	assert_false(ts_intersect(&a, &b, &r));
	/* any protocol meets TCP: TCP; TCP does not meet UDP */
	a = T("0.0.0.0/0");
	b = T("10.0.0.0/8[tcp/22]");
	assert_true(ts_intersect(&a, &b, &r));
	assert_ts(&r, "10.0.0.0/8[6/22]");
	a = T("0.0.0.0/0[udp]");
	assert_false(ts_intersect(&a, &b, &r));
	/* port ranges */
	a = T("0.0.0.0/0[tcp/1000-2000]");
	b = T("0.0.0.0/0[tcp/1500-3000]");
	assert_true(ts_intersect(&a, &b, &r));
	assert_int_equal(r.start_port, 1500);
	assert_int_equal(r.end_port, 2000);
	b = T("0.0.0.0/0[tcp/2001-3000]");
	assert_false(ts_intersect(&a, &b, &r));
	/* OPAQUE ports (65535-0) meet only OPAQUE or all ports */
	a = T("0.0.0.0/0[udp]");
	a.start_port = 65535;
	a.end_port = 0;
	b = T("10.0.0.0/8");
	assert_true(ts_intersect(&a, &b, &r));
	assert_int_equal(r.start_port, 65535);
	assert_int_equal(r.end_port, 0);
	b = T("10.0.0.0/8[udp/53]");
	assert_false(ts_intersect(&a, &b, &r));
}

static void test_contains(void **state)
{
	struct ike_ts a = T("10.0.0.0/8"), b = T("10.1.2.3[tcp/80]"), c = T("11.0.0.0/8");

	assert_true(ts_contains(&a, &b));
	assert_false(ts_contains(&b, &a));
	assert_false(ts_contains(&a, &c));
	assert_true(ts_contains(&a, &a));
}

static void test_narrow(void **state)
{
	struct ike_ts prop[3], allow[2], out[4];
	size_t n;

	/* the peer asks for everything, we allow one subnet */
	prop[0] = T("0.0.0.0/0");
	allow[0] = T("10.1.0.0/16");
	assert_int_equal(ts_narrow(prop, 1, allow, 1, out, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_ts(&out[0], "10.1.0.0/16");

	/* §2.9: the first TS is the packet that triggered the request; it
	 * stays first, then the rest of what both allow */
	prop[0] = T("10.1.2.3[tcp/80]");
	prop[1] = T("10.0.0.0/8");
	assert_int_equal(ts_narrow(prop, 2, allow, 1, out, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_ts(&out[0], "10.1.2.3/32[6/80]");
	assert_ts(&out[1], "10.1.0.0/16");

	/* duplicates and covered results are dropped */
	prop[0] = T("10.1.0.0/16");
	prop[1] = T("10.1.5.0/24");
	prop[2] = T("10.0.0.0/8");
	assert_int_equal(ts_narrow(prop, 3, allow, 1, out, 4, &n), 0);
	assert_int_equal(n, 1);

	/* two policy ranges, both families */
	prop[0] = T("0.0.0.0/0");
	prop[1] = T("::/0");
	allow[0] = T("10.1.0.0/16");
	allow[1] = T("2001:db8:1::/48");
	assert_int_equal(ts_narrow(prop, 2, allow, 2, out, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_ts(&out[1], "2001:db8:1::/48");
	assert_int_equal(ts_narrow(prop, 2, allow, 2, out, 1, &n), -ENOSPC);

	/* nothing in common: TS_UNACCEPTABLE */
	prop[0] = T("192.168.0.0/16");
	allow[0] = T("10.1.0.0/16");
	assert_int_equal(ts_narrow(prop, 1, allow, 1, out, 4, &n), -ENOENT);
	assert_int_equal(n, 0);
	prop[0] = T("10.1.0.0/16[udp]");
	allow[0] = T("10.1.0.0/16[tcp]");
	assert_int_equal(ts_narrow(prop, 1, allow, 1, out, 4, &n), -ENOENT);
}

/* Selectors straight from a TSi payload on the wire. */
static void test_narrow_wire(void **state)
{
	static const char tsi[] =
		"02 000000"
		"07 00 0010 0000 ffff 00000000 ffffffff"
		"08 00 0028 0000 ffff 00000000000000000000000000000000"
		"                     ffffffffffffffffffffffffffffffff";
	struct ike_ts_payload p;
	struct ike_ts allow = T("10.2.0.0/16"), out[2];
	uint8_t b[128];
	size_t n = unhex(tsi, b, sizeof(b)), k;

	assert_int_equal(ike_parse_ts(IKE_BUF(b, n), &p), IKE_OK);
	assert_int_equal(ts_narrow(p.ts, p.n, &allow, 1, out, 2, &k), 0);
	assert_int_equal(k, 1);
	assert_ts(&out[0], "10.2.0.0/16");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_intersect),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_narrow),
		cmocka_unit_test(test_narrow_wire),
	};

	return cmocka_run_group_tests_name("ts", tests, NULL, NULL);
}
