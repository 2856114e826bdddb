// SPDX-License-Identifier: GPL-2.0-or-later
/* Configuration payload attributes (cp.c) and Name selector matching. */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>
#include "test_util.h"
#include "cp.h"

static struct conf_addr addr(const char *s)
{
	struct conf_addr a = { 0 };

	a.family = strchr(s, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a.family, s, a.addr), 1);
	return a;
}

static size_t encode(const struct cp_info *in, uint8_t *out, size_t cap)
{
	uint8_t values[IKE_MAX_CP_ATTRS][17];
	struct ike_cp cp;
	struct ike_wbuf w;
	int n;

	cp_build(in, &cp, values);
	ike_wbuf_init(&w, out, cap);
	ike_put_cp(&w, &cp);
	n = ike_wbuf_finish(&w);
	assert_true(n > 4);
	return (size_t)n;
}

static void test_request_encoding(void **state)
{
	struct cp_info req = { .type = IKE_CFG_REQUEST };
	uint8_t buf[128];
	size_t n;

	/* any IPv4 and IPv6 address, DNS of both: empty attributes */
	req.addr[0].family = AF_INET;
	req.addr[1].family = AF_INET6;
	req.n_addr = 2;
	req.dns[0].family = AF_INET;
	req.dns[1].family = AF_INET6;
	req.n_dns = 2;
	n = encode(&req, buf, sizeof(buf));
	assert_hex_equal(buf + 4, n - 4, "01 000000 0001 0000 0008 0000 0003 0000 000a 0000");
	/* a wish: the address itself (IPv6 with prefix length 128) */
	req.addr[0] = addr("10.99.0.7");
	req.addr[1] = addr("fd00::7");
	req.n_dns = 0;
	n = encode(&req, buf, sizeof(buf));
	assert_hex_equal(buf + 4, n - 4, "01 000000 0001 0004 0a630007 "
			 "0008 0011 fd000000000000000000000000000007 80");
}

static void test_reply_roundtrip(void **state)
{
	struct cp_info rep = { .type = IKE_CFG_REPLY }, back;
	uint8_t buf[128];
	struct ike_cp cp;
	char why[128];
	size_t n;

	rep.addr[rep.n_addr++] = addr("10.99.0.1");
	rep.addr[rep.n_addr++] = addr("fd00:99::1");
	rep.dns[rep.n_dns++] = addr("10.1.0.53");
	rep.dns[rep.n_dns++] = addr("fd00:1::53");
	n = encode(&rep, buf, sizeof(buf));
	assert_int_equal(ike_parse_cp(IKE_BUF(buf + 4, n - 4), &cp), IKE_OK);
	assert_int_equal(cp_read(&cp, &back, why, sizeof(why)), 0);
	assert_int_equal(back.type, IKE_CFG_REPLY);
	assert_int_equal(back.n_addr, 2);
	assert_int_equal(back.n_dns, 2);
	assert_memory_equal(&back.addr[0], &rep.addr[0], sizeof(rep.addr[0]));
	assert_memory_equal(&back.addr[1], &rep.addr[1], sizeof(rep.addr[1]));
	assert_memory_equal(&back.dns[1], &rep.dns[1], sizeof(rep.dns[1]));
}

static void test_read_tolerates_and_refuses(void **state)
{
	uint8_t b[128];
	struct cp_info info;
	struct ike_cp cp;
	char why[128] = "";
	size_t n;

	/* strongSwan-style request: unknown attributes (APPLICATION_VERSION,
	 * 28674, SUPPORTED_ATTRIBUTES) are skipped; the R bit is ignored */
	n = unhex("01 000000 0001 0000 0003 0000 0007 0003 616263 7002 0000 000e 0000 8008 0000",
		  b, sizeof(b));
	assert_int_equal(ike_parse_cp(IKE_BUF(b, n), &cp), IKE_OK);
	assert_int_equal(cp_read(&cp, &info, why, sizeof(why)), 0);
	assert_int_equal(info.type, IKE_CFG_REQUEST);
	assert_int_equal(info.n_addr, 2);
	assert_int_equal(info.addr[0].family, AF_INET);
	assert_int_equal(info.addr[1].family, AF_INET6);
	assert_int_equal(info.n_dns, 1);
	/* an IPv4 address of 3 bytes, an IPv6 address without prefix length */
	n = unhex("02 000000 0001 0003 0a0000", b, sizeof(b));
	assert_int_equal(ike_parse_cp(IKE_BUF(b, n), &cp), IKE_OK);
	assert_int_equal(cp_read(&cp, &info, why, sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "attribute 1"));
	n = unhex("02 000000 0008 0010 fd000000000000000000000000000001", b, sizeof(b));
	assert_int_equal(ike_parse_cp(IKE_BUF(b, n), &cp), IKE_OK);
	assert_int_equal(cp_read(&cp, &info, why, sizeof(why)), -EINVAL);
	/* more addresses than we keep: the extra ones are ignored */
	n = unhex("02 000000 0001 0004 0a000001 0001 0004 0a000002 0001 0004 0a000003 "
		  "0001 0004 0a000004 0001 0004 0a000005", b, sizeof(b));
	assert_int_equal(ike_parse_cp(IKE_BUF(b, n), &cp), IKE_OK);
	assert_int_equal(cp_read(&cp, &info, why, sizeof(why)), 0);
	assert_int_equal(info.n_addr, CP_MAX_ADDRS);
}

static void test_name_matches(void **state)
{
	assert_true(cp_name_matches("company.com", "company.com"));
	assert_true(cp_name_matches("company.com", "alice@company.com"));
	assert_true(cp_name_matches("company.com", "vpn.COMPANY.com"));
	assert_true(cp_name_matches("alice@company.com", "alice@company.com"));
	assert_false(cp_name_matches("company.com", "evilcompany.com"));
	assert_false(cp_name_matches("company.com", "company.com.evil"));
	assert_false(cp_name_matches("company.com", "bob@other.org"));
	assert_false(cp_name_matches("alice@company.com", "company.com"));
	assert_false(cp_name_matches("", "company.com"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_encoding),
		cmocka_unit_test(test_reply_roundtrip),
		cmocka_unit_test(test_read_tolerates_and_refuses),
		cmocka_unit_test(test_name_matches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
