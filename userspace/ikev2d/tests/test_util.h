/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the ikev2d unit tests. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* Decodes hex (spaces ignored) into a static-size buffer; returns length. */
static inline size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		int v = 0;

		if (*hex == ' ' || *hex == '\n')
			continue;
		if (*hex >= '0' && *hex <= '9')
			v = *hex - '0';
		else if (*hex >= 'a' && *hex <= 'f')
			v = *hex - 'a' + 10;
		else if (*hex >= 'A' && *hex <= 'F')
			v = *hex - 'A' + 10;
		else
			fail_msg("bad hex character '%c'", *hex);
		if (hi < 0) {
			hi = v;
			continue;
		}
		assert_true(n < cap);
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	assert_int_equal(hi, -1);
	return n;
}

/* Compares bytes against hex text. */
#define assert_hex_equal(buf, len, hex) do {				\
	uint8_t exp_[2048];						\
	size_t elen_ = unhex((hex), exp_, sizeof(exp_));		\
	assert_int_equal((len), elen_);					\
	assert_memory_equal((buf), exp_, elen_);			\
} while (0)

#endif
