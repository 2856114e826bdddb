// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Address pools: see pool.h. Leases are a plain array scanned linearly:
 * a gateway has at most a few thousand clients, and an allocation happens
 * once per IKE_AUTH.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include "pool.h"
#include "ts.h"

typedef unsigned __int128 u128;

static size_t alen(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

static u128 to_int(const uint8_t *a, size_t len)
{
	u128 v = 0;

	for (size_t i = 0; i < len; i++)
		v = v << 8 | a[i];
	return v;
}

static void from_int(u128 v, uint8_t *a, size_t len)
{
	for (size_t i = len; i-- > 0; v >>= 8)
		a[i] = (uint8_t)v;
}

int pool_init(struct ike_pool *p, const char *text, const char **why)
{
	struct ike_ts ts;
	char err[128];
	size_t len;
	u128 start, end;

	memset(p, 0, sizeof(*p));
	if (strlen(text) >= sizeof(p->name) || ts_parse(text, &ts, err, sizeof(err)) ||
	    strchr(text, '[')) {
		*why = "not an address prefix or range";
		return -EINVAL;
	}
	p->family = ts.type == IKE_TS_IPV6_ADDR_RANGE ? AF_INET6 : AF_INET;
	len = alen(p->family);
	start = to_int(ts.start, len);
	end = to_int(ts.end, len);
	if (strchr(text, '/')) {
		/* the network address, and the IPv4 broadcast, are no hosts */
		if (end - start >= 2 || (p->family == AF_INET6 && end - start >= 1))
			start++;
		if (p->family == AF_INET && end - start >= 2)
			end--;
	}
	if (end - start >= POOL_MAX_SIZE) {
		*why = "more than 2^20 addresses";
		return -EINVAL;
	}
	snprintf(p->name, sizeof(p->name), "%s", text);
	from_int(start, p->first, len);
	p->size = (uint32_t)(end - start + 1);
	return 0;
}

void pool_free(struct ike_pool *p)
{
	free(p->leases);
	p->leases = NULL;
	p->n = p->cap = 0;
}

bool pool_contains(const struct ike_pool *p, const uint8_t *addr)
{
	size_t len = alen(p->family);
	u128 a = to_int(addr, len), first = to_int(p->first, len);

	return a >= first && a - first < p->size;
}

size_t pool_online(const struct ike_pool *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += p->leases[i].online;
	return n;
}

static struct pool_lease *lease_at(struct ike_pool *p, uint32_t off)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->leases[i].off == off)
			return &p->leases[i];
	return NULL;
}

static bool same_id(const struct pool_lease *l, const uint8_t *id, size_t id_len)
{
	return l->id_len == id_len && !memcmp(l->id, id, id_len);
}

/* The lowest offset without a lease, or p->size when none is left. */
static uint32_t never_used(const struct ike_pool *p)
{
	uint8_t *used;
	uint32_t off;

	if (p->n >= p->size)
		return p->size;
	used = calloc(p->size / 8 + 1, 1);
	if (!used)
		return p->size;
	for (size_t i = 0; i < p->n; i++)
		used[p->leases[i].off / 8] |= (uint8_t)(1u << (p->leases[i].off % 8));
	for (off = 0; off < p->size && (used[off / 8] & (1u << (off % 8))); off++)
		;
	free(used);
	return off;
}

static struct pool_lease *new_lease(struct ike_pool *p, uint32_t off)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		struct pool_lease *l = realloc(p->leases, cap * sizeof(*l));

		if (!l)
			return NULL;
		p->leases = l;
		p->cap = cap;
	}
	memset(&p->leases[p->n], 0, sizeof(p->leases[0]));
	p->leases[p->n].off = off;
	return &p->leases[p->n++];
}

static struct pool_lease *pick(struct ike_pool *p, const uint8_t *id, size_t id_len,
			       const uint8_t *want)
{
	struct pool_lease *l, *oldest = NULL;
	uint32_t off;

	if (want && pool_contains(p, want)) {
		off = (uint32_t)(to_int(want, alen(p->family)) - to_int(p->first, alen(p->family)));
		l = lease_at(p, off);
		if (!l)
			return new_lease(p, off);
		if (!l->online && same_id(l, id, id_len))
			return l;
	}
	for (size_t i = 0; i < p->n; i++)
		if (!p->leases[i].online && same_id(&p->leases[i], id, id_len))
			return &p->leases[i];
	off = never_used(p);
	if (off < p->size)
		return new_lease(p, off);
	for (size_t i = 0; i < p->n; i++)
		if (!p->leases[i].online && (!oldest || p->leases[i].released < oldest->released))
			oldest = &p->leases[i];
	return oldest;
}

int pool_acquire(struct ike_pool *p, const uint8_t *id, size_t id_len, const uint8_t *want,
		 uint8_t addr[16])
{
	struct pool_lease *l;

	if (id_len > POOL_ID_MAX)
		id_len = POOL_ID_MAX;
	l = pick(p, id, id_len, want);
	if (!l)
		return -ENOSPC;
	l->online = true;
	l->id_len = id_len;
	memcpy(l->id, id, id_len);
	memset(addr, 0, 16);
	from_int(to_int(p->first, alen(p->family)) + l->off, addr, alen(p->family));
	return 0;
}

int pool_release(struct ike_pool *p, const uint8_t *addr)
{
	struct pool_lease *l;

	if (!pool_contains(p, addr))
		return -ENOENT;
	l = lease_at(p, (uint32_t)(to_int(addr, alen(p->family)) -
				   to_int(p->first, alen(p->family))));
	if (!l || !l->online)
		return -ENOENT;
	l->online = false;
	l->released = ++p->release_seq;
	return 0;
}
