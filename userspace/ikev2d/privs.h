/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dropping what ikev2d does not need once its sockets are open: every
 * capability but CAP_NET_ADMIN, which nfsec's netlink family and the
 * virtual addresses' rtnetlink requests check. It stays uid 0, so that it
 * can still read its root-owned configuration, keys and certificates on a
 * reload. A compromised daemon can then change the network of its
 * namespace, which is its job, but not load modules, trace processes, read
 * other users' files or regain capabilities through an executable.
 */
#ifndef PRIVS_H
#define PRIVS_H

#include <stddef.h>

/* Effective, permitted, inheritable, ambient and bounding sets reduced to
 * CAP_NET_ADMIN (if held), no_new_privs set. 0, or -errno with err set. */
int privs_drop(char *err, size_t len);

#endif
