/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ikev2d control protocol (userspace/ikev2d/ikectl-protocol.md), client
 * side: one command line out; data lines, then "OK" or "ERR reason" back.
 * Reading replies and turning "list" lines into JSON need no daemon, so
 * they are unit tested here; ike.c does the socket.
 */
#ifndef IPSECCTL_IKE_PROTO_H
#define IPSECCTL_IKE_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "json.h"

/* The daemon takes lines of at most 511 bytes, newline included. */
#define IKE_LINE_MAX 511
/* Where ikev2d listens unless -S or IKEV2D_SOCKET say otherwise. */
#define IKE_SOCKET_DEFAULT "/run/ikev2d.sock"

struct ike_reply {
	char **lines;		/* data lines, without their newline */
	size_t n;
	bool ok;		/* "OK"; else err holds the reason */
	char err[IKE_LINE_MAX + 1];
};

/*
 * Build the command line for argv ("list", "up NAME", ...) into buf.
 * Returns 0, or -1 with why and the index of the bad word in *bad.
 */
int ike_command(int argc, char **argv, char *buf, size_t len,
		const char **why, int *bad);
/*
 * Read one reply from f. Returns 0 (r->ok tells OK from ERR), -EPROTO when
 * the daemon closed the connection before its status line, -ENOMEM, or
 * -errno of a read error.
 */
int ike_read_reply(FILE *f, struct ike_reply *r);
void ike_reply_free(struct ike_reply *r);

/*
 * A "list" reply as JSON, one object per IKE SA with its Child SAs in
 * "children", one object per line; unknown fields are left out.
 */
void ike_list_json(FILE *f, char *const *lines, size_t n);

#endif /* IPSECCTL_IKE_PROTO_H */
