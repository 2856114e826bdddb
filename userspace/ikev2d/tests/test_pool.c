// SPDX-License-Identifier: GPL-2.0-or-later
/* The address pool allocator (pool.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include "test_util.h"
#include "pool.h"

static const char *str(int family, const uint8_t *a)
{
	static char buf[INET6_ADDRSTRLEN];

	return inet_ntop(family, a, buf, sizeof(buf));
}

#define ID(s) (const uint8_t *)(s), strlen(s)

static void test_prefix_leaves_out_network_and_broadcast(void **state)
{
	struct ike_pool p;
	uint8_t a[16];
	const char *why;

	assert_int_equal(pool_init(&p, "10.99.0.0/30", &why), 0);
	assert_int_equal(p.size, 2);
	assert_int_equal(pool_acquire(&p, ID("alice"), NULL, a), 0);
	assert_string_equal(str(AF_INET, a), "10.99.0.1");
	assert_int_equal(pool_acquire(&p, ID("bob"), NULL, a), 0);
	assert_string_equal(str(AF_INET, a), "10.99.0.2");
	assert_int_equal(pool_acquire(&p, ID("carol"), NULL, a), -ENOSPC);
	assert_int_equal(pool_online(&p), 2);
	pool_free(&p);
	/* a range is used whole; IPv6 prefixes leave out only the first */
	assert_int_equal(pool_init(&p, "10.0.0.5-10.0.0.7", &why), 0);
	assert_int_equal(p.size, 3);
	assert_int_equal(pool_acquire(&p, ID("alice"), NULL, a), 0);
	assert_string_equal(str(AF_INET, a), "10.0.0.5");
	pool_free(&p);
	assert_int_equal(pool_init(&p, "fd00:99::/120", &why), 0);
	assert_int_equal(p.family, AF_INET6);
	assert_int_equal(p.size, 255);
	assert_int_equal(pool_acquire(&p, ID("alice"), NULL, a), 0);
	assert_string_equal(str(AF_INET6, a), "fd00:99::1");
	pool_free(&p);
	assert_int_equal(pool_init(&p, "10.0.0.9", &why), 0);
	assert_int_equal(p.size, 1);
	pool_free(&p);
}

static void test_bad_pools(void **state)
{
	struct ike_pool p;
	const char *why = NULL;

	assert_int_equal(pool_init(&p, "10.0.0.0/33", &why), -EINVAL);
	assert_non_null(why);
	assert_int_equal(pool_init(&p, "banana", &why), -EINVAL);
	assert_int_equal(pool_init(&p, "10.0.0.0/24[tcp]", &why), -EINVAL);
	assert_int_equal(pool_init(&p, "10.0.0.0/8", &why), -EINVAL);	/* 2^24 */
	assert_int_equal(pool_init(&p, "fd00::/64", &why), -EINVAL);
	assert_int_equal(pool_init(&p, "10.0.0.0/12", &why), 0);		/* 2^20 - 2 */
	pool_free(&p);
}

static void test_same_identity_gets_its_address_back(void **state)
{
	struct ike_pool p;
	uint8_t a[16], b[16], c[16];
	const char *why;

	assert_int_equal(pool_init(&p, "10.99.0.0/29", &why), 0);	/* .1 - .6 */
	assert_int_equal(pool_acquire(&p, ID("alice"), NULL, a), 0);
	assert_int_equal(pool_acquire(&p, ID("bob"), NULL, b), 0);
	assert_int_equal(pool_release(&p, a), 0);
	assert_int_equal(pool_release(&p, a), -ENOENT);	/* only once */
	/* carol does not get alice's address while unused ones are left */
	assert_int_equal(pool_acquire(&p, ID("carol"), NULL, c), 0);
	assert_string_equal(str(AF_INET, c), "10.99.0.3");
	assert_int_equal(pool_acquire(&p, ID("alice"), NULL, c), 0);
	assert_memory_equal(a, c, 4);
	/* alice twice at once: a second address */
	assert_int_equal(pool_acquire(&p, ID("alice"), NULL, c), 0);
	assert_string_equal(str(AF_INET, c), "10.99.0.4");
	assert_int_equal(pool_online(&p), 4);
	assert_true(pool_contains(&p, c));
	inet_pton(AF_INET, "10.99.0.7", c);
	assert_false(pool_contains(&p, c));
	assert_int_equal(pool_release(&p, c), -ENOENT);
	pool_free(&p);
}

static void test_full_pool_reuses_oldest_released(void **state)
{
	struct ike_pool p;
	uint8_t a[16], b[16], c[16];
	const char *why;

	assert_int_equal(pool_init(&p, "10.99.0.1-10.99.0.2", &why), 0);
	assert_int_equal(pool_acquire(&p, ID("alice"), NULL, a), 0);
	assert_int_equal(pool_acquire(&p, ID("bob"), NULL, b), 0);
	assert_int_equal(pool_release(&p, b), 0);
	assert_int_equal(pool_release(&p, a), 0);
	/* bob's was released first: carol takes it, alice keeps hers */
	assert_int_equal(pool_acquire(&p, ID("carol"), NULL, c), 0);
	assert_memory_equal(b, c, 4);
	assert_int_equal(pool_acquire(&p, ID("alice"), NULL, c), 0);
	assert_memory_equal(a, c, 4);
	assert_int_equal(pool_acquire(&p, ID("bob"), NULL, c), -ENOSPC);
	pool_free(&p);
}

static void test_wish(void **state)
{
	struct ike_pool p;
	uint8_t a[16], want[16];
	const char *why;

	assert_int_equal(pool_init(&p, "10.99.0.0/24", &why), 0);
	inet_pton(AF_INET, "10.99.0.77", want);
	assert_int_equal(pool_acquire(&p, ID("alice"), want, a), 0);
	assert_string_equal(str(AF_INET, a), "10.99.0.77");
	/* taken by alice: bob gets the first free one instead */
	assert_int_equal(pool_acquire(&p, ID("bob"), want, a), 0);
	assert_string_equal(str(AF_INET, a), "10.99.0.1");
	/* outside the pool: ignored */
	inet_pton(AF_INET, "192.0.2.1", want);
	assert_int_equal(pool_acquire(&p, ID("carol"), want, a), 0);
	assert_string_equal(str(AF_INET, a), "10.99.0.2");
	pool_free(&p);
}

/* Many clients: every address once, all back after release. */
static void test_many(void **state)
{
	struct ike_pool p;
	uint8_t a[16];
	char id[32];
	const char *why;

	assert_int_equal(pool_init(&p, "10.98.0.0/22", &why), 0);
	for (unsigned int i = 0; i < p.size; i++) {
		snprintf(id, sizeof(id), "client%u", i);
		assert_int_equal(pool_acquire(&p, ID(id), NULL, a), 0);
		assert_true(pool_contains(&p, a));
	}
	assert_int_equal(pool_acquire(&p, ID("one too many"), NULL, a), -ENOSPC);
	assert_int_equal(pool_online(&p), 1022);
	for (unsigned int i = 0; i < p.size; i++) {
		uint8_t x[16] = { 10, 98, (uint8_t)((i + 1) >> 8), (uint8_t)(i + 1) };

		assert_int_equal(pool_release(&p, x), 0);
	}
	assert_int_equal(pool_online(&p), 0);
	pool_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_leaves_out_network_and_broadcast),
		cmocka_unit_test(test_bad_pools),
		cmocka_unit_test(test_same_identity_gets_its_address_back),
		cmocka_unit_test(test_full_pool_reuses_oldest_released),
		cmocka_unit_test(test_wish),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
