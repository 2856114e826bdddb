// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsecctl monitor: print nfsec events as they arrive, one per line (with
 * -j one JSON object per line), until interrupted.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipsecctl.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: %s [-j] monitor\n", prog);
}

static void on_event(unsigned int cmd, const struct nfsec_acquire *a,
		     const struct nfsec_expire *x, void *arg)
{
	if (opts.json) {
		struct json j;

		json_init(&j, stdout);
		json_event(&j, cmd, a, x);
		json_newline(&j);
	} else {
		print_event(stdout, cmd, a, x);
		fflush(stdout);
	}
}

int monitor_main(int argc, char **argv)
{
	struct nfsec_nl *nl;
	struct ipc_err e;

	if (argc == 1 && !strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (argc) {
		fprintf(stderr, "%s: monitor: unexpected \"%s\"\n", prog, argv[0]);
		usage(stderr);
		return EXIT_USAGE;
	}
	nl = ctl_open("monitor");
	if (!nl)
		return EXIT_KERNEL;
	if (ipc_subscribe(nl, &e)) {
		report_ipc_error("monitor", &e);
		ctl_close(nl);
		return EXIT_KERNEL;
	}
	for (;;) {
		int ret = ipc_recv_events(nl, on_event, NULL, &e);

		if (ret == -ENOBUFS) {
			/* Say so, and go on: a monitor outlives bursts. */
			fprintf(stderr, "%s: monitor: %s\n", prog, e.nl.msg);
			continue;
		}
		if (ret == -EPROTO || ret == -EINVAL) {
			fprintf(stderr, "%s: monitor: skipped a malformed event\n",
				prog);
			continue;
		}
		if (ret) {
			report_ipc_error("monitor", &e);
			ctl_close(nl);
			return EXIT_KERNEL;
		}
	}
}
