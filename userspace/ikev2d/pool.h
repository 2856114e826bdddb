/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Virtual address pools of a gateway (the `pool` keyword): the inner
 * addresses handed out in CFG_REPLY (RFC 7296 §3.15).
 *
 * A pool is a range of addresses and a list of leases, each remembering
 * the identity it was given to. A lease is online while an IKE SA holds it
 * and offline once released; an offline lease is kept so that the same
 * identity reconnecting gets its address back, and is only taken by
 * another identity when the pool has no never-used address left (then
 * the one released longest ago). Nothing here knows about IKE SAs.
 */
#ifndef POOL_H
#define POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define POOL_ID_MAX 260		/* identity type byte + identity data */
#define POOL_MAX_SIZE (1u << 20)	/* addresses; keeps offsets and scans small */

struct pool_lease {
	uint32_t off;			/* from the first address */
	bool online;
	uint64_t released;		/* release order, for reuse of the oldest */
	size_t id_len;
	uint8_t id[POOL_ID_MAX];
};

struct ike_pool {
	struct ike_pool *next;
	char name[64];			/* as configured: pools are found by it */
	int family;			/* AF_INET or AF_INET6 */
	uint8_t first[16];		/* first address handed out */
	uint32_t size;			/* how many */
	struct pool_lease *leases;
	size_t n, cap;
	uint64_t release_seq;
};

/*
 * "10.99.0.0/24", "fd00:99::/120" or "10.99.0.10-10.99.0.20". A prefix
 * leaves out its first address (the network) and, for IPv4, its last
 * (broadcast); a range is used whole. 0, or -EINVAL with why set.
 */
int pool_init(struct ike_pool *p, const char *text, const char **why);
void pool_free(struct ike_pool *p);

/*
 * An address for identity id: its own offline lease if it has one, else a
 * never-used address, else the lease released longest ago. want (family
 * length, or NULL) is the client's wish, honoured if free or its own.
 * Returns 0 with addr set, or -ENOSPC when every address is online.
 */
int pool_acquire(struct ike_pool *p, const uint8_t *id, size_t id_len, const uint8_t *want,
		 uint8_t addr[16]);
/* Takes the lease of addr offline; -ENOENT if it is not an online lease. */
int pool_release(struct ike_pool *p, const uint8_t *addr);
/* addr (family length) lies in the pool's range */
bool pool_contains(const struct ike_pool *p, const uint8_t *addr);
size_t pool_online(const struct ike_pool *p);

#endif
