// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ikev2d entry point. The IKE exchange engine (state machine, sockets,
 * nfsec netlink) is not part of this build: the daemon can validate its
 * configuration and says so plainly when asked to run.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "config.h"

#define IKEV2D_VERSION "0.1"

enum { OPT_CHECK = 0x100 };

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ikev2d [-c FILE] [-F] --check\n"
		"       ikev2d -h | --help\n"
		"       ikev2d -V | --version\n"
		"\n"
		"  -c, --config FILE  configuration file (default " CONF_DEFAULT_PATH ")\n"
		"  -F, --foreground   stay in the foreground, log to stderr\n"
		"      --check        parse the configuration, report problems, exit\n"
		"  -h, --help         show this help\n"
		"  -V, --version      show the version\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'F' },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = CONF_DEFAULT_PATH;
	struct config cfg;
	bool check = false;
	char err[512];
	int c;

	while ((c = getopt_long(argc, argv, "c:FhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'F':
			break;	/* the only mode there is for now */
		case OPT_CHECK:
			check = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("ikev2d (nfsec) %s\n", IKEV2D_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ikev2d: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}

	if (config_load(path, &cfg, err, sizeof(err))) {
		fprintf(stderr, "ikev2d: %s\n", err);
		return 1;
	}
	if (check) {
		printf("%s: OK, %zu connection%s\n", path, cfg.n, cfg.n == 1 ? "" : "s");
		config_free(&cfg);
		return 0;
	}
	config_free(&cfg);
	fprintf(stderr, "ikev2d: %s is valid, but this build has no IKE exchange engine "
		"yet and cannot negotiate SAs; only --check is available\n", path);
	return 1;
}
