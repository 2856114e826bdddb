// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ikev2d entry point: options, configuration, then the daemon loop
 * (daemon.c), or only a configuration check with --check.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "control.h"
#include "daemon.h"
#include "log.h"

#define IKEV2D_VERSION "0.2"

enum {
	OPT_CHECK = 0x100,
	OPT_NO_KERNEL,
	OPT_SOCKET,
	OPT_RETX_TIMEOUT,
	OPT_RETX_TRIES,
	OPT_COOKIE_THRESHOLD,
	OPT_PORT,
	OPT_NATT_PORT,
	OPT_KEEP_PRIVILEGES,
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: ikev2d [-c FILE] [-F] [-d | -l LEVEL] [--no-kernel] [--socket PATH]\n"
		"              [--retransmit-timeout MS] [--retransmit-tries N]\n"
		"              [--cookie-threshold N] [--port N] [--natt-port N] [--keep-privileges]\n"
		"       ikev2d [-c FILE] --check\n"
		"       ikev2d -h | --help\n"
		"       ikev2d -V | --version\n"
		"\n"
		"  -c, --config FILE        configuration file (default " CONF_DEFAULT_PATH ")\n"
		"  -F, --foreground         stay in the foreground, log to stderr\n"
		"  -l, --log-level LEVEL    err, warn, info (default) or debug\n"
		"  -d, --debug              same as --log-level debug\n"
		"      --no-kernel          negotiate only, install nothing into nfsec (testing)\n"
		"      --socket PATH        control socket (default " CONTROL_DEFAULT_PATH ")\n"
		"      --retransmit-timeout MS  first retransmission timeout (default 2000)\n"
		"      --retransmit-tries N     transmissions of a request before giving up (5)\n"
		"      --cookie-threshold N     half-open IKE SAs before cookies are asked (10)\n"
		"      --port N, --natt-port N  UDP ports (default 500 and 4500)\n"
		"      --keep-privileges    keep every capability (by default all but\n"
		"                           CAP_NET_ADMIN go once the sockets are open)\n"
		"      --check              parse the configuration, report problems, exit\n"
		"  -h, --help               show this help\n"
		"  -V, --version            show the version\n");
}

static int number(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	*out = strtoul(s, &end, 10);
	return *s && !*end && *out <= max ? 0 : -1;
}

static int daemonize(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	if (setsid() < 0 || chdir("/"))
		return -1;
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'F' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "debug", no_argument, NULL, 'd' },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "no-kernel", no_argument, NULL, OPT_NO_KERNEL },
		{ "socket", required_argument, NULL, OPT_SOCKET },
		{ "retransmit-timeout", required_argument, NULL, OPT_RETX_TIMEOUT },
		{ "retransmit-tries", required_argument, NULL, OPT_RETX_TRIES },
		{ "cookie-threshold", required_argument, NULL, OPT_COOKIE_THRESHOLD },
		{ "port", required_argument, NULL, OPT_PORT },
		{ "natt-port", required_argument, NULL, OPT_NATT_PORT },
		{ "keep-privileges", no_argument, NULL, OPT_KEEP_PRIVILEGES },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct daemon_opts o = {
		.conf_path = CONF_DEFAULT_PATH, .socket_path = CONTROL_DEFAULT_PATH,
		.port = 500, .natt_port = 4500, .cookie_threshold = -1,
	};
	int level = LOG_LVL_INFO;
	bool check = false, foreground = false;
	struct config cfg;
	unsigned long v;
	char err[512];
	int c;

	while ((c = getopt_long(argc, argv, "c:Fl:dhV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.conf_path = optarg;
			break;
		case 'F':
			foreground = true;
			break;
		case 'l':
			level = log_level_parse(optarg);
			if (level < 0) {
				fprintf(stderr, "ikev2d: unknown log level '%s'\n", optarg);
				usage(stderr);
				return 2;
			}
			break;
		case 'd':
			level = LOG_LVL_DEBUG;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case OPT_NO_KERNEL:
			o.no_kernel = true;
			break;
		case OPT_KEEP_PRIVILEGES:
			o.keep_privileges = true;
			break;
		case OPT_SOCKET:
			o.socket_path = optarg;
			break;
		case OPT_RETX_TIMEOUT:
		case OPT_RETX_TRIES:
		case OPT_COOKIE_THRESHOLD:
		case OPT_PORT:
		case OPT_NATT_PORT:
			if (number(optarg, c == OPT_PORT || c == OPT_NATT_PORT ? 65535 : 1000000, &v) ||
			    (c != OPT_COOKIE_THRESHOLD && !v)) {
				fprintf(stderr, "ikev2d: bad number '%s'\n", optarg);
				usage(stderr);
				return 2;
			}
			if (c == OPT_RETX_TIMEOUT)
				o.retx_base_ms = (unsigned int)v;
			else if (c == OPT_RETX_TRIES)
				o.retx_tries = (unsigned int)v;
			else if (c == OPT_COOKIE_THRESHOLD)
				o.cookie_threshold = (int)v;
			else if (c == OPT_PORT)
				o.port = (uint16_t)v;
			else
				o.natt_port = (uint16_t)v;
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

	if (config_load(o.conf_path, &cfg, err, sizeof(err))) {
		fprintf(stderr, "ikev2d: %s\n", err);
		return 1;
	}
	if (check) {
		printf("%s: OK, %zu connection%s\n", o.conf_path, cfg.n, cfg.n == 1 ? "" : "s");
		config_free(&cfg);
		return 0;
	}
	log_init(level, !foreground);
	if (!foreground && daemonize()) {
		perror("ikev2d: cannot detach");
		config_free(&cfg);
		return 1;
	}
	return daemon_run(&o, &cfg);
}
