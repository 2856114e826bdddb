// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsecctl sa { add | del | get | list | flush | update }, and spi alloc.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsecctl.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s sa add dir in|out spi SPI src ADDR dst ADDR ipsec esp|ah\n"
		"         mode tunnel|transport [reqid N]\n"
		"         ( aead NAME KEYHEX [ICVBITS]\n"
		"         | enc NAME KEYHEX auth NAME KEYHEX [TRUNCBITS]\n"
		"         | enc CIPHER-INTEG KEYHEX [TRUNCBITS]\n"
		"         | auth NAME KEYHEX [TRUNCBITS] )\n"
		"         [replay-window N] [esn]\n"
		"         [sel [src PREFIX] [dst PREFIX] [proto P] [sport N] [dport N]]\n"
		"         [encap espinudp SPORT DPORT]\n"
		"         [lifetime soft|hard bytes|packets|seconds|use-seconds N ...]\n"
		"         [df copy|set|clear] [dscp copy|N] [tfc N] [mtu N] [seq N]\n"
		"       %s sa list [ipsec esp|ah] [reqid N] [-s] [--keys]\n"
		"       %s sa get spi SPI dst ADDR ipsec esp|ah [-s] [--keys]\n"
		"       %s sa del spi SPI dst ADDR ipsec esp|ah\n"
		"       %s sa flush [ipsec esp|ah]\n"
		"       %s sa update spi SPI dst ADDR ipsec esp|ah [new-src ADDR]\n"
		"         [new-dst ADDR] [encap espinudp SPORT DPORT | encap none]\n"
		"       %s spi alloc dst ADDR ipsec esp|ah [min N max N]\n"
		"SPI: decimal or 0x hex. NAME: a kernel name (rfc4106(gcm(aes)), cbc(aes),\n"
		"hmac(sha256), ...) or a friendly one (aes128gcm16, chacha20poly1305,\n"
		"aes256-sha256, ...); see ipsecctl(8). Keys are shown only with --keys.\n",
		prog, prog, prog, prog, prog, prog, prog);
}

static int bad_args(const char *cmd, int argc, char **argv,
		    const struct parse_error *e)
{
	report_parse_error(cmd, argc, argv, e);
	usage(stderr);
	return EXIT_USAGE;
}

/* The command line with every key replaced by "KEY", for error reports. */
static int bad_add_args(int argc, char **argv, const struct parse_error *e)
{
	char **masked = calloc((size_t)argc + 1, sizeof(*masked));
	int ret;

	if (!masked)
		return bad_args("sa add", argc, argv, e);
	for (int i = 0; i < argc; i++) {
		masked[i] = argv[i];
		if (i >= 2 && (!strcmp(argv[i - 2], "aead") ||
			       !strcmp(argv[i - 2], "enc") ||
			       !strcmp(argv[i - 2], "auth")))
			masked[i] = "KEY";
	}
	ret = bad_args("sa add", argc, masked, e);
	free(masked);
	return ret;
}

static int kernel_failed(const char *cmd, struct nfsec_nl *nl,
			 const struct ipc_err *e)
{
	report_ipc_error(cmd, e);
	ctl_close(nl);
	return EXIT_KERNEL;
}

static int sa_add(int argc, char **argv)
{
	struct parse_error pe;
	struct nfsec_nl *nl;
	struct nfsec_sa sa;
	struct ipc_err e;
	int ret;

	ret = parse_sa_add(argc, argv, &sa, &pe);
	if (ret) {
		nfsec_sa_wipe(&sa);
		return bad_add_args(argc, argv, &pe);
	}
	nl = ctl_open("sa add");
	if (!nl) {
		nfsec_sa_wipe(&sa);
		return EXIT_KERNEL;
	}
	ret = ipc_sa_add(nl, &sa, &e);
	nfsec_sa_wipe(&sa);
	if (ret)
		return kernel_failed("sa add", nl, &e);
	ctl_close(nl);
	if (e.nl.msg[0])
		fprintf(stderr, "%s: sa add: warning: %s\n", prog, e.nl.msg);
	return 0;
}

static void show_sa(const struct nfsec_sa *sa, bool stats)
{
	if (opts.json) {
		struct json j;

		json_init(&j, stdout);
		json_sa(&j, NULL, sa, true);	/* JSON always has the counters */
		json_newline(&j);
	} else {
		print_sa(stdout, sa, stats);
	}
}

static int sa_get(int argc, char **argv)
{
	struct parse_error pe;
	struct sa_query q;
	struct nfsec_nl *nl;
	struct nfsec_sa sa;
	struct ipc_err e;

	if (parse_sa_id(argc, argv, &q, &pe))
		return bad_args("sa get", argc, argv, &pe);
	nl = ctl_open("sa get");
	if (!nl)
		return EXIT_KERNEL;
	if (ipc_sa_get(nl, &q.id, q.keys || opts.keys, &sa, &e))
		return kernel_failed("sa get", nl, &e);
	ctl_close(nl);
	show_sa(&sa, q.stats || opts.stats);
	nfsec_sa_wipe(&sa);
	return 0;
}

static int sa_list(int argc, char **argv)
{
	struct parse_error pe;
	struct sa_query q;
	struct nfsec_nl *nl;
	struct sa_vec sv;
	struct ipc_err e;

	if (parse_sa_list(argc, argv, &q, &pe))
		return bad_args("sa list", argc, argv, &pe);
	nl = ctl_open("sa list");
	if (!nl)
		return EXIT_KERNEL;
	if (ipc_sa_list(nl, &q.id, q.keys || opts.keys, &sv, &e))
		return kernel_failed("sa list", nl, &e);
	ctl_close(nl);
	for (size_t i = 0; i < sv.n; i++)
		show_sa(&sv.v[i], q.stats || opts.stats);
	sa_vec_free(&sv);
	return 0;
}

static int sa_del(int argc, char **argv)
{
	struct parse_error pe;
	struct sa_query q;
	struct nfsec_nl *nl;
	struct ipc_err e;

	if (parse_sa_id(argc, argv, &q, &pe))
		return bad_args("sa del", argc, argv, &pe);
	if (q.keys || q.stats) {
		pe.argi = -1;
		snprintf(pe.msg, sizeof(pe.msg), "--keys and -s are for get and list");
		return bad_args("sa del", argc, argv, &pe);
	}
	nl = ctl_open("sa del");
	if (!nl)
		return EXIT_KERNEL;
	if (ipc_sa_del(nl, &q.id, &e))
		return kernel_failed("sa del", nl, &e);
	ctl_close(nl);
	return 0;
}

static int sa_flush(int argc, char **argv)
{
	struct parse_error pe;
	struct sa_query q;
	struct nfsec_nl *nl;
	struct ipc_err e;

	if (parse_sa_flush(argc, argv, &q, &pe))
		return bad_args("sa flush", argc, argv, &pe);
	nl = ctl_open("sa flush");
	if (!nl)
		return EXIT_KERNEL;
	if (ipc_sa_flush(nl, q.id.proto, &e))
		return kernel_failed("sa flush", nl, &e);
	ctl_close(nl);
	return 0;
}

/*
 * The kernel takes the whole new path, and an absent encapsulation means
 * none: what was not given is carried over from the SA as it is, so that
 * "new-dst" alone does not drop ESP-in-UDP.
 */
static int sa_update(int argc, char **argv)
{
	struct parse_error pe;
	struct sa_update u;
	struct nfsec_nl *nl;
	struct nfsec_sa cur;
	struct ipc_err e;

	if (parse_sa_update(argc, argv, &u, &pe))
		return bad_args("sa update", argc, argv, &pe);
	nl = ctl_open("sa update");
	if (!nl)
		return EXIT_KERNEL;
	if (!u.has_src || !u.has_dst || !u.has_encap) {
		const char *why;
		int ret;

		if (ipc_sa_get(nl, &u.id, false, &cur, &e))
			return kernel_failed("sa update", nl, &e);
		ret = sa_update_complete(&u, &cur, &why);
		nfsec_sa_wipe(&cur);
		if (ret) {
			fprintf(stderr, "%s: sa update: %s\n", prog, why);
			ctl_close(nl);
			return EXIT_USAGE;
		}
	}
	u.path.family = u.path.dst.family;
	if (ipc_sa_update(nl, &u.id, &u.path, &e))
		return kernel_failed("sa update", nl, &e);
	ctl_close(nl);
	return 0;
}

int sa_main(int argc, char **argv)
{
	static const struct subcommand cmds[] = {
		{ "add", sa_add, NULL },
		{ "del", sa_del, NULL },
		{ "delete", sa_del, NULL },
		{ "get", sa_get, NULL },
		{ "list", sa_list, NULL },
		{ "show", sa_list, NULL },
		{ "flush", sa_flush, NULL },
		{ "update", sa_update, NULL },
	};

	return run_subcommand("sa", cmds, sizeof(cmds) / sizeof(cmds[0]),
			      argc, argv, usage);
}

static int spi_alloc(int argc, char **argv)
{
	struct spi_alloc_req r;
	struct parse_error pe;
	struct nfsec_nl *nl;
	struct ipc_err e;
	uint32_t spi;

	if (parse_spi_alloc(argc, argv, &r, &pe))
		return bad_args("spi alloc", argc, argv, &pe);
	nl = ctl_open("spi alloc");
	if (!nl)
		return EXIT_KERNEL;
	if (ipc_spi_alloc(nl, &r, &spi, &e))
		return kernel_failed("spi alloc", nl, &e);
	ctl_close(nl);
	if (opts.json) {
		struct json j;
		char hex[12];

		snprintf(hex, sizeof(hex), "0x%08x", spi);
		json_init(&j, stdout);
		json_obj_open(&j, NULL);
		json_u64(&j, "spi", spi);
		json_str(&j, "spi_hex", hex);
		json_obj_close(&j);
		json_newline(&j);
	} else {
		printf("0x%08x\n", spi);
	}
	return 0;
}

int spi_main(int argc, char **argv)
{
	static const struct subcommand cmds[] = {
		{ "alloc", spi_alloc, NULL },
	};

	return run_subcommand("spi", cmds, sizeof(cmds) / sizeof(cmds[0]),
			      argc, argv, usage);
}
