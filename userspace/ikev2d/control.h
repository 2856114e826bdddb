/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The control socket: a Unix stream socket, root-only (0600), speaking
 * the line protocol of ikectl-protocol.md. This file does the socket and
 * the framing; what a command does is the handler's business (daemon.c).
 */
#ifndef CONTROL_H
#define CONTROL_H

#include <poll.h>
#include <stdio.h>

#define CONTROL_DEFAULT_PATH "/run/ikev2d.sock"
#define CONTROL_MAX_CLIENTS 8
#define CONTROL_LINE_MAX 512

/*
 * Runs one command line (without its newline). Writes data lines to out
 * and returns 0 for "OK", or -1 with a one-line reason in err for "ERR".
 */
typedef int (*control_cmd_fn)(void *arg, const char *line, FILE *out, char *err,
			      size_t errlen);

struct control_client {
	int fd;
	size_t len;
	char buf[CONTROL_LINE_MAX];
};

struct control {
	int fd;
	char path[108];
	control_cmd_fn cmd;
	void *arg;
	struct control_client clients[CONTROL_MAX_CLIENTS];
};

int control_open(struct control *c, const char *path, control_cmd_fn cmd, void *arg);
void control_close(struct control *c);
/* Adds the listening socket and the clients to fds; returns how many. */
int control_pollfds(const struct control *c, struct pollfd *fds, int max);
/* Handles whatever poll() reported on fds[0..n-1] that is ours. */
void control_handle(struct control *c, const struct pollfd *fds, int n);

#endif
