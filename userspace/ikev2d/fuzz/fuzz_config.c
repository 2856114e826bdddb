// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the configuration parser, and through it for the
 * proposal and traffic selector parsers. Errors must be reported as
 * "fuzz.conf:LINE: ..." and a successful parse must hold complete
 * connections.
 */
#include <stdlib.h>
#include <string.h>
#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	char err[512];

	if (config_parse("fuzz.conf", (const char *)data, size, &cfg, err, sizeof(err))) {
		if (strncmp(err, "fuzz.conf:", 10))
			abort();
		return 0;
	}
	for (size_t i = 0; i < cfg.n; i++) {
		const struct conf_conn *c = &cfg.conns[i];

		if (!c->n_ike || !c->n_esp || c->auth == CONF_AUTH_NONE ||
		    c->lifetime <= c->rekey)
			abort();
	}
	config_free(&cfg);
	return 0;
}
