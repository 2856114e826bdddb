// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * How ipsecctl shows SAs and expire events: for people, an SA is a block
 * whose first line names it and whose indented lines use the keywords of
 * "sa add"; for programs, one JSON object. Keys appear only when the kernel
 * sent them (--keys).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "ipsecctl.h"

static void addr_str(const struct nfsec_addr *a, char *buf, size_t len)
{
	if (a->family)
		nfsec_addr_format(a, buf, len);
	else
		snprintf(buf, len, "?");
}

/* "spi 0x00001000 ipsec esp dst 192.0.2.2": an SA's identity. */
void sa_id_words(const struct nfsec_sa *sa, char *buf, size_t len)
{
	char dst[INET6_ADDRSTRLEN];

	addr_str(&sa->dst, dst, sizeof(dst));
	snprintf(buf, len, "spi 0x%08x ipsec %s dst %s", sa->spi,
		 nfsec_sa_proto_name(sa->proto), dst);
}

static void print_alg(FILE *f, const char *kw, const struct nfsec_alg *a)
{
	char key[2 * NFSEC_KEY_MAX + 3];

	if (!a->present)
		return;
	if (a->has_key)
		nfsec_hex_format(a->key, a->key_len, key, sizeof(key));
	else
		snprintf(key, sizeof(key), "(key hidden)");
	fprintf(f, "\t%s %s %s", kw, a->name, key);
	if (a->has_icv)
		fprintf(f, " %u", a->icv_bits);
	fputc('\n', f);
}

static void lifetime_words(const struct nfsec_lifetime *l, char *buf,
			   size_t len)
{
	static const char *const kw[] = {
		"bytes", "packets", "seconds", "use-seconds"
	};
	const uint64_t *v = &l->bytes;
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < 4; i++)
		if (v[i])
			off += (size_t)snprintf(buf + off, off < len ? len - off : 0,
						" %s %llu", kw[i],
						(unsigned long long)v[i]);
}

void print_sa(FILE *f, const struct nfsec_sa *sa, bool stats)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], buf[1024];

	addr_str(&sa->src, src, sizeof(src));
	addr_str(&sa->dst, dst, sizeof(dst));
	fprintf(f, "sa spi 0x%08x ipsec %s", sa->spi,
		nfsec_sa_proto_name(sa->proto));
	if (sa->has_dir)
		fprintf(f, " dir %s", nfsec_dir_name(sa->dir));
	if (sa->has_mode)
		fprintf(f, " mode %s", nfsec_mode_name(sa->mode));
	fprintf(f, " src %s dst %s", src, dst);
	if (sa->has_reqid)
		fprintf(f, " reqid %u", sa->reqid);
	/* Added by a daemon: goes when its netlink socket closes. */
	if (sa->flags & NFSEC_SA_F_OWNED)
		fprintf(f, " owned");
	fputc('\n', f);
	print_alg(f, "aead", &sa->aead);
	print_alg(f, "enc", &sa->enc);
	print_alg(f, "auth", &sa->auth);
	if (sa->has_replay_window || (sa->flags & NFSEC_SA_F_ESN)) {
		fputc('\t', f);
		if (sa->has_replay_window)
			fprintf(f, "replay-window %u", sa->replay_window);
		if (sa->flags & NFSEC_SA_F_ESN)
			fprintf(f, "%sesn", sa->has_replay_window ? " " : "");
		fputc('\n', f);
	}
	if (sa->has_sel) {
		sel_words(&sa->sel, buf, sizeof(buf));
		fprintf(f, "\tsel %s\n", buf);
	}
	if (sa->encap.present)
		fprintf(f, "\tencap espinudp %u %u\n", sa->encap.sport,
			sa->encap.dport);
	if (sa->has_soft || sa->has_hard) {
		fprintf(f, "\tlifetime");
		if (sa->has_soft) {
			lifetime_words(&sa->soft, buf, sizeof(buf));
			fprintf(f, " soft%s", buf[0] ? buf : " none");
		}
		if (sa->has_hard) {
			lifetime_words(&sa->hard, buf, sizeof(buf));
			fprintf(f, " hard%s", buf[0] ? buf : " none");
		}
		fputc('\n', f);
	}
	if (sa->has_df || sa->has_dscp || sa->has_tfc_pad || sa->has_mtu) {
		buf[0] = '\0';
		if (sa->has_df)
			fprintf(f, "\tdf %s", nfsec_df_name(sa->df));
		if (sa->has_dscp)
			fprintf(f, "%sdscp %u", sa->has_df ? " " : "\t", sa->dscp);
		if (sa->has_tfc_pad)
			fprintf(f, "%stfc %u", sa->has_df || sa->has_dscp ?
				" " : "\t", sa->tfc_pad);
		if (sa->has_mtu)
			fprintf(f, "%smtu %u", sa->has_df || sa->has_dscp ||
				sa->has_tfc_pad ? " " : "\t", sa->mtu);
		fputc('\n', f);
	}
	if (sa->pmtu)
		fprintf(f, "\tpmtu %u (from ICMP)\n", sa->pmtu);
	if (!stats)
		return;
	if (sa->has_current) {
		lifetime_words(&sa->current, buf, sizeof(buf));
		fprintf(f, "\tcurrent%s\n", buf[0] ? buf : " none");
	}
	if (sa->has_seq)
		fprintf(f, "\tseq %llu\n", (unsigned long long)sa->seq);
	if (sa->has_stats) {
		const struct nfsec_sa_stats *s = &sa->stats;
		bool any = false;

		fprintf(f, "\tstats packets %llu bytes %llu",
			(unsigned long long)s->packets,
			(unsigned long long)s->bytes);
		if (s->has_replay_top)
			fprintf(f, " replay-top %llu",
				(unsigned long long)s->replay_top);
		fputc('\n', f);
		for (unsigned int r = 0; r < __NFSEC_SA_DROP_MAX; r++) {
			if (!s->has_drop[r])
				continue;
			fprintf(f, "%s %s %llu", any ? "" : "\tdrops",
				nfsec_sa_drop_reason_name(r),
				(unsigned long long)s->drop[r]);
			any = true;
		}
		if (any)
			fputc('\n', f);
	}
}

static void json_alg(struct json *j, const char *key, const struct nfsec_alg *a)
{
	char hex[2 * NFSEC_KEY_MAX + 3];

	if (!a->present)
		return;
	json_obj_open(j, key);
	json_str(j, "name", a->name);
	if (a->has_key) {
		nfsec_hex_format(a->key, a->key_len, hex, sizeof(hex));
		json_str(j, "key", hex);
	}
	if (a->has_icv)
		json_u64(j, "icv_bits", a->icv_bits);
	json_obj_close(j);
}

static void json_lifetime(struct json *j, const char *key,
			  const struct nfsec_lifetime *l)
{
	json_obj_open(j, key);
	json_u64(j, "bytes", l->bytes);
	json_u64(j, "packets", l->packets);
	json_u64(j, "seconds", l->add_seconds);
	json_u64(j, "use_seconds", l->use_seconds);
	json_obj_close(j);
}

/* The identity and path of an SA: what an expire event carries too. */
static void json_sa_head(struct json *j, const struct nfsec_sa *sa)
{
	char buf[INET6_ADDRSTRLEN];

	json_u64(j, "spi", sa->spi);
	snprintf(buf, sizeof(buf), "0x%08x", sa->spi);
	json_str(j, "spi_hex", buf);
	json_str(j, "ipsec", nfsec_sa_proto_name(sa->proto));
	if (sa->has_dir)
		json_str(j, "dir", nfsec_dir_name(sa->dir));
	if (sa->has_mode)
		json_str(j, "mode", nfsec_mode_name(sa->mode));
	json_str(j, "family", nfsec_family_name(nfsec_sa_family(sa)));
	if (sa->src.family) {
		nfsec_addr_format(&sa->src, buf, sizeof(buf));
		json_str(j, "src", buf);
	}
	if (sa->dst.family) {
		nfsec_addr_format(&sa->dst, buf, sizeof(buf));
		json_str(j, "dst", buf);
	}
	if (sa->has_reqid)
		json_u64(j, "reqid", sa->reqid);
}

void json_sa(struct json *j, const char *key, const struct nfsec_sa *sa,
	     bool stats)
{
	json_obj_open(j, key);
	json_sa_head(j, sa);
	json_alg(j, "aead", &sa->aead);
	json_alg(j, "enc", &sa->enc);
	json_alg(j, "auth", &sa->auth);
	if (sa->has_replay_window)
		json_u64(j, "replay_window", sa->replay_window);
	json_bool(j, "esn", sa->flags & NFSEC_SA_F_ESN);
	json_bool(j, "owned", sa->flags & NFSEC_SA_F_OWNED);
	if (sa->has_sel)
		json_sel(j, "sel", &sa->sel);
	if (sa->encap.present) {
		json_obj_open(j, "encap");
		json_str(j, "type", "espinudp");
		json_u64(j, "sport", sa->encap.sport);
		json_u64(j, "dport", sa->encap.dport);
		json_obj_close(j);
	}
	if (sa->has_soft)
		json_lifetime(j, "lifetime_soft", &sa->soft);
	if (sa->has_hard)
		json_lifetime(j, "lifetime_hard", &sa->hard);
	if (sa->has_df)
		json_str(j, "df", nfsec_df_name(sa->df));
	if (sa->has_dscp)
		json_u64(j, "dscp", sa->dscp);
	if (sa->has_tfc_pad)
		json_u64(j, "tfc", sa->tfc_pad);
	if (sa->has_mtu)
		json_u64(j, "mtu", sa->mtu);
	if (sa->pmtu)
		json_u64(j, "pmtu", sa->pmtu);
	if (stats && sa->has_current)
		json_lifetime(j, "current", &sa->current);
	if (stats && sa->has_seq)
		json_u64(j, "seq", sa->seq);
	if (stats && sa->has_stats) {
		const struct nfsec_sa_stats *s = &sa->stats;

		json_obj_open(j, "stats");
		json_u64(j, "packets", s->packets);
		json_u64(j, "bytes", s->bytes);
		if (s->has_replay_top)
			json_u64(j, "replay_top", s->replay_top);
		json_obj_open(j, "drops");
		for (unsigned int r = 0; r < __NFSEC_SA_DROP_MAX; r++)
			if (s->has_drop[r])
				json_u64(j, nfsec_sa_drop_reason_name(r), s->drop[r]);
		json_obj_close(j);
		json_obj_close(j);
	}
	json_obj_close(j);
}

void print_expire(FILE *f, const struct nfsec_expire *x)
{
	const struct nfsec_sa *sa = &x->sa;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	addr_str(&sa->src, src, sizeof(src));
	addr_str(&sa->dst, dst, sizeof(dst));
	fprintf(f, "expire %s reason %s spi 0x%08x ipsec %s", x->hard ? "hard" : "soft",
		x->has_reason ? nfsec_expire_reason_name(x->reason) : "?",
		sa->spi, nfsec_sa_proto_name(sa->proto));
	if (sa->has_dir)
		fprintf(f, " dir %s", nfsec_dir_name(sa->dir));
	fprintf(f, " src %s dst %s", src, dst);
	if (sa->has_reqid)
		fprintf(f, " reqid %u", sa->reqid);
	/* Added by a daemon: goes when its netlink socket closes. */
	if (sa->flags & NFSEC_SA_F_OWNED)
		fprintf(f, " owned");
	fputc('\n', f);
}

void json_expire(struct json *j, const struct nfsec_expire *x)
{
	json_str(j, "event", "expire");
	json_str(j, "kind", x->hard ? "hard" : "soft");
	json_bool(j, "hard", x->hard);
	if (x->has_reason)
		json_str(j, "reason", nfsec_expire_reason_name(x->reason));
	json_obj_open(j, "sa");
	json_sa_head(j, &x->sa);
	json_obj_close(j);
}
