/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The daemon: the event loop (poll and timers) around the state machine,
 * the sockets, the control socket and the kernel interface, and the glue
 * that turns a negotiated Child SA into nfsec SAs and policies.
 */
#ifndef DAEMON_H
#define DAEMON_H

#include <stdbool.h>
#include "config.h"

struct daemon_opts {
	const char *conf_path;
	const char *socket_path;
	bool no_kernel;
	bool keep_privileges;		/* do not drop capabilities (privs.h) */
	uint16_t port, natt_port;
	unsigned int retx_base_ms, retx_tries;
	int cookie_threshold;		/* -1: default */
};

/* Runs until SIGTERM/SIGINT; takes ownership of cfg. Returns the exit status. */
int daemon_run(const struct daemon_opts *o, struct config *cfg);

#endif
