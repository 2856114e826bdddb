// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * How ipsecctl shows policies, selectors and ACQUIREs: keyword/value words
 * in aligned columns for people (the same keywords "policy add" takes), and
 * JSON objects for programs.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ipsecctl.h"

#define CELL 300

typedef char cells_t[PCOL_MAX][CELL];

const char *proto_str(unsigned int proto, char *buf, size_t len)
{
	const char *name = nfsec_proto_name(proto);

	if (name)
		return name;
	snprintf(buf, len, "%u", proto);
	return buf;
}

static void port_str(uint16_t min, uint16_t max, char *buf, size_t len)
{
	if (min == max)
		snprintf(buf, len, "%u", min);
	else
		snprintf(buf, len, "%u-%u", min, max);
}

/* A name as one word: quoted when it has blanks, quotes or is empty. */
static void word_str(const char *s, char *buf, size_t len)
{
	if (*s && !strpbrk(s, " \t\"#"))
		snprintf(buf, len, "%s", s);
	else
		snprintf(buf, len, "\"%s\"", s);
}

static void sel_cells(const struct nfsec_sel *s, cells_t c)
{
	char a[NFSEC_ADDR_SEL_STRLEN], b[NFSEC_NAME_MAX + 3];

	if (s->src.family) {
		nfsec_addr_sel_format(&s->src, a, sizeof(a));
		snprintf(c[PCOL_SRC], CELL, "src %s", a);
	}
	if (s->dst.family) {
		nfsec_addr_sel_format(&s->dst, a, sizeof(a));
		snprintf(c[PCOL_DST], CELL, "dst %s", a);
	}
	if (s->has_proto)
		snprintf(c[PCOL_PROTO], CELL, "proto %s",
			 proto_str(s->proto, a, sizeof(a)));
	if (s->has_sport) {
		port_str(s->sport_min, s->sport_max, a, sizeof(a));
		snprintf(c[PCOL_SPORT], CELL, "sport %s", a);
	}
	if (s->has_dport) {
		port_str(s->dport_min, s->dport_max, a, sizeof(a));
		snprintf(c[PCOL_DPORT], CELL, "dport %s", a);
	}
	if (s->has_icmp_type)
		snprintf(c[PCOL_TYPE], CELL, "type %u", s->icmp_type);
	if (s->has_icmp_code)
		snprintf(c[PCOL_CODE], CELL, "code %u", s->icmp_code);
	if (s->opaque)
		snprintf(c[PCOL_OPAQUE], CELL, "opaque");
	if (s->name[0]) {
		word_str(s->name, b, sizeof(b));
		snprintf(c[PCOL_NAME], CELL, "name %s", b);
	}
	if (s->pfp) {
		nfsec_pfp_format(s->pfp, a, sizeof(a));
		snprintf(c[PCOL_PFP], CELL, "pfp %s", a);
	}
}

static void ipsec_cells(const struct nfsec_ipsec *ip, cells_t c)
{
	char a[INET6_ADDRSTRLEN + 1], b[INET6_ADDRSTRLEN + 1];
	char w[NFSEC_PROPOSAL_MAX + 3];

	if (ip->has_proto)
		snprintf(c[PCOL_IPSEC], CELL, "ipsec %s",
			 proto_str(ip->proto, a, sizeof(a)));
	if (ip->has_mode)
		snprintf(c[PCOL_MODE], CELL, "mode %s", nfsec_mode_name(ip->mode));
	if (ip->tunnel_src.family || ip->tunnel_dst.family) {
		nfsec_addr_format(&ip->tunnel_src, a, sizeof(a));
		nfsec_addr_format(&ip->tunnel_dst, b, sizeof(b));
		snprintf(c[PCOL_TUNNEL], CELL, "tunnel %s %s", a, b);
	}
	if (ip->has_reqid)
		snprintf(c[PCOL_REQID], CELL, "reqid %u", ip->reqid);
	if (ip->proposal[0]) {
		word_str(ip->proposal, w, sizeof(w));
		snprintf(c[PCOL_PROPOSAL], CELL, "proposal %s", w);
	}
}

static void policy_cells(const struct nfsec_policy *p, bool stats, cells_t c)
{
	memset(c, 0, sizeof(cells_t));
	if (p->id)
		snprintf(c[PCOL_ID], CELL, "id %u", p->id);
	if (p->has_dir)
		snprintf(c[PCOL_DIR], CELL, "dir %s", nfsec_dir_name(p->dir));
	if (p->has_priority)
		snprintf(c[PCOL_PRIORITY], CELL, "priority %u", p->priority);
	/* The family only says something when no address does. */
	if (p->family && !p->sel.src.family && !p->sel.dst.family)
		snprintf(c[PCOL_FAMILY], CELL, "family %s",
			 nfsec_family_name(p->family));
	sel_cells(&p->sel, c);
	if (p->has_action)
		snprintf(c[PCOL_ACTION], CELL, "action %s",
			 nfsec_action_name(p->action));
	if (p->has_ipsec)
		ipsec_cells(&p->ipsec, c);
	/* Added by a daemon: goes when its netlink socket closes. */
	if (p->flags & NFSEC_POLICY_F_OWNED)
		snprintf(c[PCOL_OWNED], CELL, "owned");
	if (stats && p->has_stats) {
		snprintf(c[PCOL_PACKETS], CELL, "packets %" PRIu64, p->packets);
		snprintf(c[PCOL_BYTES], CELL, "bytes %" PRIu64, p->bytes);
	}
}

void policy_row(struct table *t, const struct nfsec_policy *p, bool stats)
{
	cells_t c;
	long row;

	policy_cells(p, stats, c);
	row = table_add_row(t);
	for (size_t i = 0; i < PCOL_MAX; i++)
		if (c[i][0])
			table_set(t, row, i, "%s", c[i]);
}

void print_policies(FILE *f, const struct nfsec_policy *v, size_t n,
		    bool stats)
{
	struct table t;

	table_init(&t, PCOL_MAX);
	for (size_t i = 0; i < n; i++)
		policy_row(&t, &v[i], stats);
	table_print(&t, f);
	table_free(&t);
}

void sel_words(const struct nfsec_sel *s, char *buf, size_t len)
{
	size_t off = 0;
	cells_t c;

	memset(c, 0, sizeof(c));
	sel_cells(s, c);
	buf[0] = '\0';
	for (size_t i = 0; i < PCOL_MAX; i++)
		if (c[i][0])
			off += snprintf(buf + off, off < len ? len - off : 0,
					"%s%s", off ? " " : "", c[i]);
	if (!off)
		snprintf(buf, len, "any");
}

static void json_addr_sel(struct json *j, const char *key,
			  const struct nfsec_addr_sel *a)
{
	char buf[NFSEC_ADDR_SEL_STRLEN];

	nfsec_addr_sel_format(a, buf, sizeof(buf));
	json_str(j, key, buf);
}

static void json_range(struct json *j, const char *key, uint16_t min,
		       uint16_t max)
{
	json_obj_open(j, key);
	json_u64(j, "min", min);
	json_u64(j, "max", max);
	json_obj_close(j);
}

void json_sel(struct json *j, const char *key, const struct nfsec_sel *s)
{
	char buf[64];

	json_obj_open(j, key);
	json_addr_sel(j, "src", &s->src);
	json_addr_sel(j, "dst", &s->dst);
	json_str(j, "proto", s->has_proto ?
		 proto_str(s->proto, buf, sizeof(buf)) : "any");
	if (s->has_sport)
		json_range(j, "sport", s->sport_min, s->sport_max);
	if (s->has_dport)
		json_range(j, "dport", s->dport_min, s->dport_max);
	if (s->has_icmp_type)
		json_u64(j, "type", s->icmp_type);
	if (s->has_icmp_code)
		json_u64(j, "code", s->icmp_code);
	if (s->opaque)
		json_bool(j, "opaque", true);
	if (s->name[0])
		json_str(j, "name", s->name);
	json_arr_open(j, "pfp");
	for (unsigned int bit = 0; bit < 5; bit++) {
		if (s->pfp & (1U << bit)) {
			nfsec_pfp_format(1U << bit, buf, sizeof(buf));
			json_str(j, NULL, buf);
		}
	}
	json_arr_close(j);
	json_obj_close(j);
}

void json_ipsec(struct json *j, const char *key, const struct nfsec_ipsec *ip)
{
	char buf[INET6_ADDRSTRLEN + 1];

	json_obj_open(j, key);
	if (ip->has_proto)
		json_str(j, "proto", proto_str(ip->proto, buf, sizeof(buf)));
	if (ip->has_mode)
		json_str(j, "mode", nfsec_mode_name(ip->mode));
	if (ip->tunnel_src.family) {
		nfsec_addr_format(&ip->tunnel_src, buf, sizeof(buf));
		json_str(j, "tunnel_src", buf);
	}
	if (ip->tunnel_dst.family) {
		nfsec_addr_format(&ip->tunnel_dst, buf, sizeof(buf));
		json_str(j, "tunnel_dst", buf);
	}
	if (ip->has_reqid)
		json_u64(j, "reqid", ip->reqid);
	if (ip->proposal[0])
		json_str(j, "proposal", ip->proposal);
	json_obj_close(j);
}

void json_policy(struct json *j, const char *key, const struct nfsec_policy *p)
{
	json_obj_open(j, key);
	json_u64(j, "id", p->id);
	if (p->has_dir)
		json_str(j, "dir", nfsec_dir_name(p->dir));
	if (p->has_priority)
		json_u64(j, "priority", p->priority);
	json_str(j, "family", nfsec_family_name(nfsec_policy_family(p)));
	json_sel(j, "sel", &p->sel);
	if (p->has_action)
		json_str(j, "action", nfsec_action_name(p->action));
	if (p->has_ipsec)
		json_ipsec(j, "ipsec", &p->ipsec);
	json_bool(j, "owned", p->flags & NFSEC_POLICY_F_OWNED);
	if (p->has_stats) {
		json_obj_open(j, "stats");
		json_u64(j, "packets", p->packets);
		json_u64(j, "bytes", p->bytes);
		json_obj_close(j);
	}
	json_obj_close(j);
}

static void packet_words(const struct nfsec_acquire *a, char *buf, size_t len)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], pb[8];
	char sp[8] = "", dp[8] = "";

	nfsec_addr_format(&a->packet_src, src, sizeof(src));
	nfsec_addr_format(&a->packet_dst, dst, sizeof(dst));
	if (a->has_packet_sport)
		snprintf(sp, sizeof(sp), " %u", a->packet_sport);
	if (a->has_packet_dport)
		snprintf(dp, sizeof(dp), " %u", a->packet_dport);
	snprintf(buf, len, "src %s dst %s%s%s%s%s%s%s", src, dst,
		 a->has_packet_proto ? " proto " : "",
		 a->has_packet_proto ? proto_str(a->packet_proto, pb, sizeof(pb)) : "",
		 *sp ? " sport" : "", sp, *dp ? " dport" : "", dp);
}

void print_event(FILE *f, unsigned int cmd, const struct nfsec_acquire *a,
		 const struct nfsec_expire *x)
{
	char sel[1024], pkt[256], ip[256] = "", pb[8];

	if (x) {
		print_expire(f, x);
		return;
	}
	if (!a) {
		fprintf(f, "event %s (%u)\n", nfsec_cmd_name(cmd), cmd);
		return;
	}
	sel_words(&a->sel, sel, sizeof(sel));
	packet_words(a, pkt, sizeof(pkt));
	if (a->has_ipsec) {
		snprintf(ip, sizeof(ip), " ipsec %s mode %s",
			 a->ipsec.has_proto ?
			 proto_str(a->ipsec.proto, pb, sizeof(pb)) : "?",
			 a->ipsec.has_mode ? nfsec_mode_name(a->ipsec.mode) : "?");
		if (a->ipsec.has_reqid)
			snprintf(ip + strlen(ip), sizeof(ip) - strlen(ip),
				 " reqid %u", a->ipsec.reqid);
	}
	fprintf(f, "acquire policy %u dir %s%s sel %s packet %s\n",
		a->policy_id, a->has_dir ? nfsec_dir_name(a->dir) : "?", ip,
		sel, pkt);
}

void json_event(struct json *j, unsigned int cmd, const struct nfsec_acquire *a,
		const struct nfsec_expire *x)
{
	char buf[INET6_ADDRSTRLEN], pb[8];

	json_obj_open(j, NULL);
	if (x) {
		json_expire(j, x);
		json_obj_close(j);
		return;
	}
	if (!a) {
		json_str(j, "event", nfsec_cmd_name(cmd));
		json_u64(j, "cmd", cmd);
		json_obj_close(j);
		return;
	}
	json_str(j, "event", "acquire");
	json_u64(j, "policy", a->policy_id);
	if (a->has_dir)
		json_str(j, "dir", nfsec_dir_name(a->dir));
	json_str(j, "family", nfsec_family_name(a->family));
	json_sel(j, "sel", &a->sel);
	if (a->has_ipsec)
		json_ipsec(j, "ipsec", &a->ipsec);
	json_obj_open(j, "packet");
	nfsec_addr_format(&a->packet_src, buf, sizeof(buf));
	json_str(j, "src", buf);
	nfsec_addr_format(&a->packet_dst, buf, sizeof(buf));
	json_str(j, "dst", buf);
	if (a->has_packet_proto)
		json_str(j, "proto", proto_str(a->packet_proto, pb, sizeof(pb)));
	if (a->has_packet_sport)
		json_u64(j, "sport", a->packet_sport);
	if (a->has_packet_dport)
		json_u64(j, "dport", a->packet_dport);
	json_obj_close(j);
	json_obj_close(j);
}
