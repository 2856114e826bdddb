// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsecctl policy { add | del | list | flush | lookup }, and -f FILE.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsecctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s policy add dir out|in|fwd [family inet|inet6]\n"
		"         [src PREFIX|RANGE|any] [dst PREFIX|RANGE|any]\n"
		"         [proto tcp|udp|icmp|ipv6-icmp|sctp|udplite|NUM|any]\n"
		"         [sport N[-M]] [dport N[-M]] [type N] [code N] [opaque]\n"
		"         [name ID] [pfp src,dst,proto,sport,dport] [priority N]\n"
		"         action bypass|discard|protect [ipsec esp|ah]\n"
		"         [mode tunnel|transport] [tunnel SRC DST] [reqid N]\n"
		"         [proposal STRING]\n"
		"       %s policy del id N\n"
		"       %s policy get id N\n"
		"       %s policy list [dir out|in|fwd]\n"
		"       %s policy flush [dir out|in|fwd]\n"
		"       %s policy lookup dir out|in|fwd src ADDR dst ADDR [proto P]\n"
		"         [sport N | type N] [dport N | code N]\n"
		"PREFIX is ADDR[/LEN], RANGE is ADDR-ADDR (IPv4 or IPv6).\n"
		"Keywords may come in any order.\n",
		prog, prog, prog, prog, prog, prog);
}

static int bad_args(const char *cmd, int argc, char **argv,
		    const struct parse_error *e)
{
	report_parse_error(cmd, argc, argv, e);
	usage(stderr);
	return EXIT_USAGE;
}

static int policy_add(int argc, char **argv)
{
	struct nfsec_policy p;
	struct parse_error pe;
	struct nfsec_nl *nl;
	struct ipc_err e;
	uint32_t id;
	int ret;

	if (parse_policy_add(argc, argv, &p, &pe))
		return bad_args("policy add", argc, argv, &pe);
	nl = ctl_open("policy add");
	if (!nl)
		return EXIT_KERNEL;
	ret = ipc_policy_add(nl, &p, &id, &e);
	ctl_close(nl);
	if (ret) {
		report_ipc_error("policy add", &e);
		return EXIT_KERNEL;
	}
	if (e.nl.msg[0])
		fprintf(stderr, "%s: policy add: warning: %s\n", prog, e.nl.msg);
	if (!id)
		fprintf(stderr, "%s: policy add: added, but the kernel did not say the new id\n",
			prog);
	if (opts.json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_open(&j, NULL);
		json_u64(&j, "id", id);
		json_obj_close(&j);
		json_newline(&j);
	} else {
		printf("%u\n", id);
	}
	return 0;
}

static void print_one(const struct nfsec_policy *p)
{
	if (opts.json) {
		struct json j;

		json_init(&j, stdout);
		json_policy(&j, NULL, p);
		json_newline(&j);
	} else {
		print_policies(stdout, p, 1, opts.stats);
	}
}

/* "policy del id N" and "policy get id N". */
static int policy_by_id(const char *cmd, int argc, char **argv, bool get)
{
	struct nfsec_policy p;
	struct parse_error pe;
	struct nfsec_nl *nl;
	struct ipc_err e;
	uint32_t id;
	int ret;

	if (parse_policy_del(argc, argv, &id, &pe))
		return bad_args(cmd, argc, argv, &pe);
	nl = ctl_open(cmd);
	if (!nl)
		return EXIT_KERNEL;
	ret = get ? ipc_policy_get(nl, id, &p, &e) : ipc_policy_del(nl, id, &e);
	ctl_close(nl);
	if (ret) {
		if (ret == -ENOENT && !e.nl.msg[0])
			snprintf(e.nl.msg, sizeof(e.nl.msg),
				 "no policy with id %u", id);
		report_ipc_error(cmd, &e);
		return EXIT_KERNEL;
	}
	if (get)
		print_one(&p);
	return 0;
}

static int policy_del(int argc, char **argv)
{
	return policy_by_id("policy del", argc, argv, false);
}

static int policy_get(int argc, char **argv)
{
	return policy_by_id("policy get", argc, argv, true);
}

static int policy_flush(int argc, char **argv)
{
	struct parse_error pe;
	struct nfsec_nl *nl;
	struct ipc_err e;
	int dir, ret;

	if (parse_policy_dir_filter(argc, argv, &dir, &pe))
		return bad_args("policy flush", argc, argv, &pe);
	nl = ctl_open("policy flush");
	if (!nl)
		return EXIT_KERNEL;
	ret = ipc_policy_flush(nl, dir, &e);
	ctl_close(nl);
	if (ret) {
		report_ipc_error("policy flush", &e);
		return EXIT_KERNEL;
	}
	return 0;
}

static int policy_list(int argc, char **argv)
{
	struct policy_vec pv;
	struct parse_error pe;
	struct nfsec_nl *nl;
	struct ipc_err e;
	int dir, ret;

	if (parse_policy_dir_filter(argc, argv, &dir, &pe))
		return bad_args("policy list", argc, argv, &pe);
	nl = ctl_open("policy list");
	if (!nl)
		return EXIT_KERNEL;
	ret = ipc_policy_list(nl, dir, &pv, &e);
	ctl_close(nl);
	if (ret) {
		report_ipc_error("policy list", &e);
		policy_vec_free(&pv);
		return EXIT_KERNEL;
	}
	if (opts.json) {
		struct json j;

		/* One object per line, as every read command prints. */
		json_init(&j, stdout);
		for (size_t i = 0; i < pv.n; i++) {
			json_policy(&j, NULL, &pv.v[i]);
			json_newline(&j);
		}
	} else {
		print_policies(stdout, pv.v, pv.n, opts.stats);
	}
	policy_vec_free(&pv);
	return 0;
}

static void print_lookup(const struct lookup_req *r,
			 const struct lookup_result *res)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], pb[8];

	nfsec_addr_format(&r->src, src, sizeof(src));
	nfsec_addr_format(&r->dst, dst, sizeof(dst));
	if (opts.json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_open(&j, NULL);
		json_obj_open(&j, "packet");
		json_str(&j, "dir", nfsec_dir_name(r->dir));
		json_str(&j, "src", src);
		json_str(&j, "dst", dst);
		if (r->has_proto)
			json_str(&j, "proto", proto_str(r->proto, pb, sizeof(pb)));
		if (r->has_sport)
			json_u64(&j, "sport", r->sport);
		if (r->has_dport)
			json_u64(&j, "dport", r->dport);
		json_obj_close(&j);
		json_str(&j, "result", nfsec_action_name(res->result));
		json_str(&j, "table", nfsec_table_name(res->table));
		if (res->has_policy)
			json_policy(&j, "policy", &res->policy);
		json_obj_close(&j);
		json_newline(&j);
		return;
	}
	if (res->has_policy) {
		printf("%s: matched policy %u in %s\n",
		       nfsec_action_name(res->result), res->policy.id,
		       nfsec_table_name(res->table));
		print_policies(stdout, &res->policy, 1, opts.stats);
	} else {
		printf("%s: no policy matched (default)\n",
		       nfsec_action_name(res->result));
	}
}

static int policy_lookup(int argc, char **argv)
{
	struct lookup_result res;
	struct parse_error pe;
	struct lookup_req r;
	struct nfsec_nl *nl;
	struct ipc_err e;
	int ret;

	if (parse_policy_lookup(argc, argv, &r, &pe))
		return bad_args("policy lookup", argc, argv, &pe);
	nl = ctl_open("policy lookup");
	if (!nl)
		return EXIT_KERNEL;
	ret = ipc_policy_lookup(nl, &r, &res, &e);
	ctl_close(nl);
	if (ret) {
		report_ipc_error("policy lookup", &e);
		return EXIT_KERNEL;
	}
	print_lookup(&r, &res);
	return 0;
}

int policy_main(int argc, char **argv)
{
	static const struct subcommand cmds[] = {
		{ "add", policy_add, NULL },
		{ "del", policy_del, NULL },
		{ "delete", policy_del, NULL },
		{ "get", policy_get, NULL },
		{ "list", policy_list, NULL },
		{ "show", policy_list, NULL },
		{ "flush", policy_flush, NULL },
		{ "lookup", policy_lookup, NULL },
	};

	return run_subcommand("policy", cmds, sizeof(cmds) / sizeof(cmds[0]),
			      argc, argv, usage);
}

/* Say which line of the file the kernel refused. */
static void report_file_error(const char *file, const struct policy_file *pf,
			      const struct ipc_err *e)
{
	char cmd[512];

	if (e->policy_index >= 0 && (size_t)e->policy_index < pf->n)
		snprintf(cmd, sizeof(cmd), "%s:%u: kernel", file,
			 pf->line[e->policy_index]);
	else
		snprintf(cmd, sizeof(cmd), "%s: kernel", file);
	report_ipc_error(cmd, e);
}

int policy_load_file(const char *file)
{
	bool is_stdin = !strcmp(file, "-");
	struct policy_file pf;
	struct nfsec_nl *nl;
	struct ipc_err e;
	uint32_t count;
	FILE *f;
	int ret;

	f = is_stdin ? stdin : fopen(file, "r");
	if (!f) {
		fprintf(stderr, "%s: %s: %s\n", prog, file, strerror(errno));
		return EXIT_USAGE;
	}
	ret = parse_policy_file(f, is_stdin ? "<stdin>" : file, &pf, stderr);
	if (!is_stdin)
		fclose(f);
	if (ret) {
		fprintf(stderr, "%s: %s: %u error%s%s\n", prog, file,
			pf.errors, pf.errors == 1 ? "" : "s",
			opts.check_only ? "" : "; nothing loaded");
		policy_file_free(&pf);
		return EXIT_USAGE;
	}

	nl = ipc_open(&e);
	if (!nl) {
		if (opts.check_only && e.nl.error == -ENOENT) {
			/* Syntax checks still help where nfsec is not loaded. */
			fprintf(stderr, "%s: %s: %zu policies parsed; the nfsec module is not loaded, so the kernel did not check them\n",
				prog, file, pf.n);
			policy_file_free(&pf);
			return 0;
		}
		report_open_error(file, &e);
		policy_file_free(&pf);
		return EXIT_KERNEL;
	}
	ret = ipc_policy_replace(nl, pf.v, pf.n, opts.check_only, &count, &e);
	nfsec_nl_close(nl);
	if (ret) {
		report_file_error(file, &pf, &e);
		fprintf(stderr, "%s: %s: the SPD was not changed\n", prog, file);
		policy_file_free(&pf);
		return EXIT_KERNEL;
	}
	if (e.nl.msg[0])
		fprintf(stderr, "%s: %s: warning: %s\n", prog, file, e.nl.msg);
	if (opts.json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_open(&j, NULL);
		json_str(&j, "file", file);
		json_u64(&j, "policies", count);
		json_bool(&j, "check_only", opts.check_only);
		json_obj_close(&j);
		json_newline(&j);
	} else {
		printf("%s: %u polic%s %s\n", file, count,
		       count == 1 ? "y" : "ies",
		       opts.check_only ? "checked, nothing changed" : "loaded");
	}
	policy_file_free(&pf);
	return 0;
}
