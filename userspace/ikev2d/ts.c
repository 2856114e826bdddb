// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Traffic selectors: text form, intersection and narrowing.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ts.h"

#define PORT_OPAQUE_START 65535	/* §3.13.1: start 65535, end 0 */
#define PORT_OPAQUE_END 0

static size_t alen(uint8_t type)
{
	return type == IKE_TS_IPV6_ADDR_RANGE ? 16 : 4;
}

static bool opaque(const struct ike_ts *ts)
{
	return ts->start_port == PORT_OPAQUE_START && ts->end_port == PORT_OPAQUE_END;
}

static bool all_ports(const struct ike_ts *ts)
{
	return ts->start_port == 0 && ts->end_port == 65535;
}

void ts_any(struct ike_ts *ts, uint8_t type)
{
	memset(ts, 0, sizeof(*ts));
	ts->type = type;
	ts->end_port = 65535;
	memset(ts->end, 0xff, alen(type));
}

static const struct {
	const char *name;
	uint8_t num;
} protos[] = {
	{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "gre", 47 }, { "esp", 50 },
	{ "ipv6-icmp", 58 }, { "icmp6", 58 }, { "sctp", 132 },
};

static int parse_num(const char *s, size_t len, unsigned long max, unsigned long *out)
{
	char buf[16], *end;

	if (!len || len >= sizeof(buf) || s[0] < '0' || s[0] > '9')
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = 0;
	*out = strtoul(buf, &end, 10);
	return *end || *out > max ? -EINVAL : 0;
}

/* "[proto]" or "[proto/port]" or "[proto/low-high]" */
static int parse_proto_port(const char *s, struct ike_ts *ts, char *err, size_t errlen)
{
	size_t plen = strcspn(s, "/]"), slen = strlen(s);
	unsigned long v, lo, hi;
	bool found = false;

	if (!slen || s[slen - 1] != ']' || strchr(s, ']') != s + slen - 1) {
		snprintf(err, errlen, "'[%s': expected [protocol] or [protocol/port]", s);
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (strlen(protos[i].name) == plen && !strncmp(s, protos[i].name, plen)) {
			ts->ip_proto = protos[i].num;
			found = true;
		}
	}
	if (!found) {
		if (parse_num(s, plen, 255, &v)) {
			snprintf(err, errlen, "unknown protocol '%.*s'", (int)plen, s);
			return -EINVAL;
		}
		ts->ip_proto = v;
	}
	if (s[plen] != '/')
		return 0;
	s += plen + 1;
	plen = strcspn(s, "-]");
	if (parse_num(s, plen, 65535, &lo)) {
		snprintf(err, errlen, "bad port '%.*s'", (int)strcspn(s, "]"), s);
		return -EINVAL;
	}
	hi = lo;
	if (s[plen] == '-') {
		size_t l2 = strcspn(s + plen + 1, "]");

		if (parse_num(s + plen + 1, l2, 65535, &hi) || hi < lo) {
			snprintf(err, errlen, "bad port range '%.*s'", (int)(plen + 1 + l2), s);
			return -EINVAL;
		}
	}
	ts->start_port = lo;
	ts->end_port = hi;
	return 0;
}

static int parse_addr(const char *s, uint8_t *out, uint8_t *type)
{
	if (inet_pton(AF_INET, s, out) == 1) {
		*type = IKE_TS_IPV4_ADDR_RANGE;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out) == 1) {
		*type = IKE_TS_IPV6_ADDR_RANGE;
		return 0;
	}
	return -EINVAL;
}

int ts_parse(const char *str, struct ike_ts *ts, char *err, size_t errlen)
{
	char buf[128], *bracket, *slash, *dash;
	uint8_t type2;

	memset(ts, 0, sizeof(*ts));
	ts->end_port = 65535;
	if (strlen(str) >= sizeof(buf)) {
		snprintf(err, errlen, "traffic selector '%.20s...' is too long", str);
		return -EINVAL;
	}
	strcpy(buf, str);
	bracket = strchr(buf, '[');
	if (bracket) {
		*bracket = 0;
		if (parse_proto_port(bracket + 1, ts, err, errlen))
			return -EINVAL;
	}
	slash = strchr(buf, '/');
	dash = strchr(buf, '-');
	if (slash)
		*slash = 0;
	if (dash)
		*dash = 0;
	if (parse_addr(buf, ts->start, &ts->type)) {
		snprintf(err, errlen, "'%s' is not an IPv4 or IPv6 address", buf);
		return -EINVAL;
	}
	memcpy(ts->end, ts->start, 16);
	if (dash && !slash) {
		if (parse_addr(dash + 1, ts->end, &type2) || type2 != ts->type) {
			snprintf(err, errlen, "'%s' is not an address of the same family as '%s'",
				 dash + 1, buf);
			return -EINVAL;
		}
		if (memcmp(ts->start, ts->end, alen(ts->type)) > 0) {
			snprintf(err, errlen, "range '%s-%s' ends before it starts", buf, dash + 1);
			return -EINVAL;
		}
	} else if (slash && !dash) {
		size_t bits = alen(ts->type) * 8;
		unsigned long plen;

		if (parse_num(slash + 1, strlen(slash + 1), bits, &plen)) {
			snprintf(err, errlen, "bad prefix length '/%s'", slash + 1);
			return -EINVAL;
		}
		for (size_t b = plen; b < bits; b++) {
			uint8_t m = 0x80 >> (b % 8);

			if (ts->start[b / 8] & m) {
				snprintf(err, errlen, "'%s/%lu' has host bits set", buf, plen);
				return -EINVAL;
			}
			ts->end[b / 8] |= m;
		}
	} else if (slash || dash) {
		snprintf(err, errlen, "'%s': use a prefix or a range, not both", str);
		return -EINVAL;
	}
	return 0;
}

/* The prefix length if [start, end] is exactly one prefix, else -1. */
static int prefix_len(const struct ike_ts *ts)
{
	size_t bits = alen(ts->type) * 8, b = 0;

	while (b < bits && (ts->start[b / 8] & (0x80 >> (b % 8))) ==
			   (ts->end[b / 8] & (0x80 >> (b % 8))))
		b++;
	for (size_t r = b; r < bits; r++) {
		uint8_t m = 0x80 >> (r % 8);

		if ((ts->start[r / 8] & m) || !(ts->end[r / 8] & m))
			return -1;
	}
	return b;
}

int ts_format(const struct ike_ts *ts, char *buf, size_t len)
{
	int af = ts->type == IKE_TS_IPV6_ADDR_RANGE ? AF_INET6 : AF_INET;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], pp[32] = "";
	int plen = prefix_len(ts), w;

	inet_ntop(af, ts->start, a, sizeof(a));
	inet_ntop(af, ts->end, b, sizeof(b));
	if (ts->ip_proto && all_ports(ts))
		snprintf(pp, sizeof(pp), "[%u]", ts->ip_proto);
	else if (ts->ip_proto && ts->start_port == ts->end_port)
		snprintf(pp, sizeof(pp), "[%u/%u]", ts->ip_proto, ts->start_port);
	else if (ts->ip_proto || !all_ports(ts))
		snprintf(pp, sizeof(pp), "[%u/%u-%u]", ts->ip_proto, ts->start_port,
			 ts->end_port);
	if (plen >= 0)
		w = snprintf(buf, len, "%s/%d%s", a, plen, pp);
	else
		w = snprintf(buf, len, "%s-%s%s", a, b, pp);
	return w < 0 || (size_t)w >= len ? -ENOSPC : w;
}

static int cmp_addr(const struct ike_ts *ts, const uint8_t *x, const uint8_t *y)
{
	return memcmp(x, y, alen(ts->type));
}

bool ts_intersect(const struct ike_ts *a, const struct ike_ts *b, struct ike_ts *out)
{
	struct ike_ts r;

	if (a->type != b->type)
		return false;
	memset(&r, 0, sizeof(r));
	r.type = a->type;
	if (a->ip_proto && b->ip_proto && a->ip_proto != b->ip_proto)
		return false;
	r.ip_proto = a->ip_proto ? a->ip_proto : b->ip_proto;

	if (opaque(a) || opaque(b)) {
		/* OPAQUE only meets OPAQUE or the whole port range */
		if (!(opaque(a) || all_ports(a)) || !(opaque(b) || all_ports(b)))
			return false;
		r.start_port = PORT_OPAQUE_START;
		r.end_port = PORT_OPAQUE_END;
	} else {
		r.start_port = a->start_port > b->start_port ? a->start_port : b->start_port;
		r.end_port = a->end_port < b->end_port ? a->end_port : b->end_port;
		if (r.start_port > r.end_port)
			return false;
	}

	memcpy(r.start, cmp_addr(a, a->start, b->start) > 0 ? a->start : b->start, alen(r.type));
	memcpy(r.end, cmp_addr(a, a->end, b->end) < 0 ? a->end : b->end, alen(r.type));
	if (cmp_addr(a, r.start, r.end) > 0)
		return false;
	*out = r;
	return true;
}

bool ts_contains(const struct ike_ts *outer, const struct ike_ts *inner)
{
	struct ike_ts r;

	return ts_intersect(outer, inner, &r) && r.ip_proto == inner->ip_proto &&
	       r.start_port == inner->start_port && r.end_port == inner->end_port &&
	       !cmp_addr(&r, r.start, inner->start) && !cmp_addr(&r, r.end, inner->end);
}

int ts_narrow(const struct ike_ts *proposed, size_t n_proposed,
	      const struct ike_ts *allowed, size_t n_allowed,
	      struct ike_ts *out, size_t cap, size_t *n_out)
{
	*n_out = 0;
	for (size_t p = 0; p < n_proposed; p++) {
		for (size_t a = 0; a < n_allowed; a++) {
			struct ike_ts r;
			bool covered = false;

			if (!ts_intersect(&proposed[p], &allowed[a], &r))
				continue;
			for (size_t i = 0; i < *n_out && !covered; i++)
				covered = ts_contains(&out[i], &r);
			if (covered)
				continue;
			if (*n_out >= cap)
				return -ENOSPC;
			out[(*n_out)++] = r;
		}
	}
	return *n_out ? 0 : -ENOENT;
}

bool ts_all_within(const struct ike_ts *ts, size_t n, const struct ike_ts *allowed,
			  size_t n_allowed)
{
	for (size_t i = 0; i < n; i++) {
		bool ok = false;

		for (size_t j = 0; j < n_allowed && !ok; j++)
			ok = ts_contains(&allowed[j], &ts[i]);
		if (!ok)
			return false;
	}
	return true;
}
