// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsecctl monitor: print nfsec events as they arrive, one per line (with
 * -j one JSON object per line), until interrupted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipsecctl.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: %s [-j] monitor\n", prog);
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

static void print_acquire_json(const struct nfsec_acquire *a)
{
	char buf[INET6_ADDRSTRLEN], pb[8];
	struct json j;

	json_init(&j, stdout);
	json_obj_open(&j, NULL);
	json_str(&j, "event", "acquire");
	json_u64(&j, "policy", a->policy_id);
	if (a->has_dir)
		json_str(&j, "dir", nfsec_dir_name(a->dir));
	json_str(&j, "family", nfsec_family_name(a->family));
	json_sel(&j, "sel", &a->sel);
	if (a->has_ipsec)
		json_ipsec(&j, "ipsec", &a->ipsec);
	json_obj_open(&j, "packet");
	nfsec_addr_format(&a->packet_src, buf, sizeof(buf));
	json_str(&j, "src", buf);
	nfsec_addr_format(&a->packet_dst, buf, sizeof(buf));
	json_str(&j, "dst", buf);
	if (a->has_packet_proto)
		json_str(&j, "proto", proto_str(a->packet_proto, pb, sizeof(pb)));
	if (a->has_packet_sport)
		json_u64(&j, "sport", a->packet_sport);
	if (a->has_packet_dport)
		json_u64(&j, "dport", a->packet_dport);
	json_obj_close(&j);
	json_obj_close(&j);
	json_newline(&j);
}

static void on_event(unsigned int cmd, const struct nfsec_acquire *a,
		     void *arg)
{
	char sel[1024], pkt[256], ip[256] = "";

	if (!a) {
		if (opts.json) {
			struct json j;

			json_init(&j, stdout);
			json_obj_open(&j, NULL);
			json_str(&j, "event", nfsec_cmd_name(cmd));
			json_u64(&j, "cmd", cmd);
			json_obj_close(&j);
			json_newline(&j);
		} else {
			printf("event %s (%u)\n", nfsec_cmd_name(cmd), cmd);
			fflush(stdout);
		}
		return;
	}
	if (opts.json) {
		print_acquire_json(a);
		return;
	}
	sel_words(&a->sel, sel, sizeof(sel));
	packet_words(a, pkt, sizeof(pkt));
	if (a->has_ipsec) {
		char pb[8];

		snprintf(ip, sizeof(ip), " ipsec %s mode %s",
			 a->ipsec.has_proto ?
			 proto_str(a->ipsec.proto, pb, sizeof(pb)) : "?",
			 a->ipsec.has_mode ? nfsec_mode_name(a->ipsec.mode) : "?");
		if (a->ipsec.has_reqid)
			snprintf(ip + strlen(ip), sizeof(ip) - strlen(ip),
				 " reqid %u", a->ipsec.reqid);
	}
	printf("acquire policy %u dir %s%s sel %s packet %s\n", a->policy_id,
	       a->has_dir ? nfsec_dir_name(a->dir) : "?", ip, sel, pkt);
	fflush(stdout);
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
		nfsec_nl_close(nl);
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
			nfsec_nl_close(nl);
			return EXIT_KERNEL;
		}
	}
}
