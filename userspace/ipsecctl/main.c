// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsecctl: the administrator's command line for nfsec's SPD.
 *
 * A table of subcommands; each lives in its own file. Global options come
 * first: -j (JSON), -s (statistics), --keys (SA keys), -S PATH (ikev2d's
 * socket), -f FILE (load an SPD), -n (check only), -b FILE (a command a line).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipsecctl.h"

struct ctl_opts opts;
const char *prog = "ipsecctl";

static const struct subcommand subcommands[] = {
	{ "policy", policy_main, "Add, delete, list, flush and look up SPD entries" },
	{ "monitor", monitor_main, "Print kernel events (ACQUIRE, ...) as they come" },
	{ "stats", stats_main, "Show SPD counters, cache hits and drops by reason" },
	{ "sa", sa_main, "Add, update, delete, list and flush Security Associations" },
	{ "spi", spi_main, "Reserve a free inbound SPI (spi alloc)" },
	{ "ike", ike_main, "Ask ikev2d: list IKE SAs, bring connections up or down, reload" },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-j] [-s] [--keys] [-S PATH] COMMAND [ARGS]\n"
		"       %s [-n] [-j] -f FILE\n"
		"       %s [-j] [-s] [--keys] -b FILE\n"
		"       %s { -h | --help | -V | --version }\n"
		"Commands:\n", prog, prog, prog, prog);
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(f, "  %-8s %s\n", subcommands[i].name,
			subcommands[i].description);
	fprintf(f,
		"Options:\n"
		"  -j, --json     JSON output, one object per line\n"
		"  -s, --stats    show counters: per policy (policy list, get, lookup),\n"
		"                 per SA with drops by reason (sa list, get)\n"
		"  --keys         show SA keys (sa list, get)\n"
		"  -S PATH        ikev2d's control socket (ike); default $IKEV2D_SOCKET,\n"
		"                 else /run/ikev2d.sock\n"
		"  -f, --file F   replace the whole SPD with the policies in F, atomically\n"
		"                 (\"-\" reads standard input)\n"
		"  -n, --check    with -f: validate only (parse, and ask the kernel to\n"
		"                 check), change nothing\n"		"  -b, --batch F  run the commands in F, one a line (\"-\": standard\n"
		"                 input); stops at the first that fails\n"
		"Try \"%s policy help\"; see ipsecctl(8).\n", prog);
}

int run_subcommand(const char *ctx, const struct subcommand *cmds, size_t n,
		   int argc, char **argv, void (*print_usage)(FILE *f))
{
	if (!argc) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[0], "help")) {
		print_usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(argv[0], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "%s: %s%sunknown command \"%s\"\n", prog,
		ctx ? ctx : "", ctx ? ": " : "", argv[0]);
	print_usage(stderr);
	return EXIT_USAGE;
}

static struct nfsec_nl *batch_nl;
static bool batching;

/* A line of -b FILE: a command of the top-level table. A line that failed
 * may have left replies unread on the shared socket: the next line gets a
 * new one. */
static int run_batch_line(int argc, char **argv)
{
	int ret = run_subcommand(NULL, subcommands,
				 sizeof(subcommands) / sizeof(subcommands[0]),
				 argc, argv, usage);

	if (ret && batch_nl) {
		nfsec_nl_close(batch_nl);
		batch_nl = NULL;
	}
	return ret;
}

/* "where" for a command-line error: the words, the bad one marked. */
void report_parse_error(const char *cmd, int argc, char **argv,
			const struct parse_error *e)
{
	fprintf(stderr, "%s: %s: %s\n", prog, cmd, e->msg);
	if (e->argi < 0 || e->argi >= argc)
		return;
	fprintf(stderr, "  %s", cmd);
	for (int i = 0; i < argc; i++)
		fprintf(stderr, i == e->argi ? " >>>%s<<<" : " %s", argv[i]);
	fputc('\n', stderr);
	if (argv[e->argi][0] == '-' && argv[e->argi][1] && !isdigit((unsigned char)argv[e->argi][1]))
		fprintf(stderr, "%s: options such as %s go before the command\n",
			prog, argv[e->argi]);
}

void report_ipc_error(const char *cmd, const struct ipc_err *e)
{
	const char *msg = e->nl.msg[0] ? e->nl.msg : strerror(-e->nl.error);

	fprintf(stderr, "%s: %s: %s", prog, cmd, msg);
	if (e->where[0])
		fprintf(stderr, " (attribute %s)", e->where);
	if (e->nl.msg[0] && e->nl.error && strcmp(msg, strerror(-e->nl.error)))
		fprintf(stderr, " [%s]", strerror(-e->nl.error));
	if (e->nl.error == -EPERM)
		fprintf(stderr, "; changes, and keys, need CAP_NET_ADMIN");
	if (e->nl.error == -EOPNOTSUPP && !e->where[0])
		fprintf(stderr, "; the loaded nfsec module does not implement this command");
	fputc('\n', stderr);
}

void report_open_error(const char *cmd, const struct ipc_err *e)
{
	report_ipc_error(cmd, e);
	if (e->nl.error == -ENOENT)
		fprintf(stderr, "%s: is the nfsec module loaded? (modprobe nfsec)\n",
			prog);
}

/* -b FILE runs its lines on one netlink socket (batch_nl): opening one (a
 * socket, a family lookup) per line costs more than the request itself. */
struct nfsec_nl *ctl_open(const char *cmd)
{
	struct nfsec_nl *nl;
	struct ipc_err e;

	if (batch_nl)
		return batch_nl;
	nl = ipc_open(&e);
	if (!nl)
		report_open_error(cmd, &e);
	if (batching)
		batch_nl = nl;
	return nl;
}

void ctl_close(struct nfsec_nl *nl)
{
	if (nl != batch_nl)
		nfsec_nl_close(nl);
}

static int run_batch(const char *file)
{
	int ret;

	batching = true;
	ret = batch_run(file, run_batch_line);
	if (batch_nl)
		nfsec_nl_close(batch_nl);
	batch_nl = NULL;
	batching = false;
	return ret;
}

int main(int argc, char **argv)
{
	const char *file = NULL, *batch = NULL;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *o = argv[i];

		if (!strcmp(o, "-j") || !strcmp(o, "--json")) {
			opts.json = true;
		} else if (!strcmp(o, "-s") || !strcmp(o, "--stats")) {
			opts.stats = true;
		} else if (!strcmp(o, "--keys")) {
			opts.keys = true;
		} else if (!strcmp(o, "-S") || !strcmp(o, "--socket")) {
			if (++i == argc) {
				fprintf(stderr, "%s: -S needs a PATH\n", prog);
				usage(stderr);
				return EXIT_USAGE;
			}
			opts.ike_socket = argv[i];
		} else if (!strcmp(o, "-n") || !strcmp(o, "--check")) {
			opts.check_only = true;
		} else if (!strcmp(o, "-f") || !strcmp(o, "--file")) {
			if (++i == argc) {
				fprintf(stderr, "%s: -f needs a FILE\n", prog);
				usage(stderr);
				return EXIT_USAGE;
			}
			file = argv[i];
		} else if (!strcmp(o, "-b") || !strcmp(o, "--batch")) {
			if (++i == argc) {
				fprintf(stderr, "%s: -b needs a FILE\n", prog);
				usage(stderr);
				return EXIT_USAGE;
			}
			batch = argv[i];
		} else if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(o, "-V") || !strcmp(o, "--version")) {
			printf("%s %s (nfsec netlink version %d)\n", prog,
			       IPSECCTL_VERSION, NFSEC_GENL_VERSION);
			return 0;
		} else if (!strcmp(o, "--")) {
			i++;
			break;
		} else {
			fprintf(stderr, "%s: unknown option \"%s\"\n", prog, o);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= i;
	argv += i;

	if (file) {
		if (argc) {
			fprintf(stderr, "%s: -f takes no command (\"%s\")\n",
				prog, argv[0]);
			usage(stderr);
			return EXIT_USAGE;
		}
		return policy_load_file(file);
	}
	if (batch) {
		if (argc || file || opts.check_only) {
			fprintf(stderr, "%s: -b takes no command, -f or -n\n",
				prog);
			usage(stderr);
			return EXIT_USAGE;
		}
		return run_batch(batch);
	}
	if (opts.check_only) {
		fprintf(stderr, "%s: -n only applies to -f FILE\n", prog);
		usage(stderr);
		return EXIT_USAGE;
	}
	return run_subcommand(NULL, subcommands,
			      sizeof(subcommands) / sizeof(subcommands[0]),
			      argc, argv, usage);
}
