/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipsecctl: what the subcommands share. */
#ifndef IPSECCTL_H
#define IPSECCTL_H

#include <stdbool.h>
#include <stdio.h>

#include "ipc.h"
#include "json.h"
#include "nfsec_policy.h"
#include "parse.h"
#include "table.h"

#define IPSECCTL_VERSION "0.1"

/* Exit codes: bad usage or input, and a refusal or failure of the kernel. */
#define EXIT_USAGE 1
#define EXIT_KERNEL 2

struct ctl_opts {
	bool json;		/* -j */
	bool stats;		/* -s */
	bool check_only;	/* -n */
	bool keys;		/* --keys */
	const char *ike_socket;	/* -S PATH */
};

extern struct ctl_opts opts;
extern const char *prog;

int policy_main(int argc, char **argv);
int monitor_main(int argc, char **argv);
int stats_main(int argc, char **argv);
int sa_main(int argc, char **argv);
int spi_main(int argc, char **argv);
int ike_main(int argc, char **argv);
/* -f FILE: parse every line, then one atomic replace. */
int policy_load_file(const char *file);
/*
 * -b FILE: each line (words as in -f files: blanks separate, "..." quotes,
 * "#" starts a comment) is a command, run by @run; stops at the first that fails, naming its line.
 */
#define BATCH_MAX_WORDS 128
int batch_run(const char *file, int (*run)(int argc, char **argv));

/* A command of a table: "policy" in main, "add" in policy. */
struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *description;
};

/*
 * Run the command named by argv[0] ("help" prints usage on stdout); an
 * unknown or missing one gets an error naming ctx and the usage on stderr.
 */
int run_subcommand(const char *ctx, const struct subcommand *cmds, size_t n,
		   int argc, char **argv, void (*print_usage)(FILE *f));

/* main.c: error reports on stderr. */
void report_parse_error(const char *cmd, int argc, char **argv,
			const struct parse_error *e);
void report_ipc_error(const char *cmd, const struct ipc_err *e);
/* Why connecting failed, with a hint when nfsec is not loaded. */
void report_open_error(const char *cmd, const struct ipc_err *e);
/* Connect, or report why not; NULL then. */
struct nfsec_nl *ctl_open(const char *cmd);
void ctl_close(struct nfsec_nl *nl);

/* print.c: a policy, a selector, an acquire, for people and for JSON. */
enum policy_col {
	PCOL_ID, PCOL_DIR, PCOL_PRIORITY, PCOL_FAMILY, PCOL_SRC, PCOL_DST,
	PCOL_PROTO, PCOL_SPORT, PCOL_DPORT, PCOL_TYPE, PCOL_CODE, PCOL_OPAQUE,
	PCOL_NAME, PCOL_PFP, PCOL_ACTION, PCOL_IPSEC, PCOL_MODE, PCOL_TUNNEL,
	PCOL_REQID, PCOL_PROPOSAL, PCOL_OWNED, PCOL_PACKETS, PCOL_BYTES,
	PCOL_MAX
};

void policy_row(struct table *t, const struct nfsec_policy *p, bool stats);
void print_policies(FILE *f, const struct nfsec_policy *v, size_t n,
		    bool stats);
/* "src 10.0.0.0/8 proto udp dport 53 ..." for a selector. */
void sel_words(const struct nfsec_sel *s, char *buf, size_t len);
void json_policy(struct json *j, const char *key, const struct nfsec_policy *p);
void json_sel(struct json *j, const char *key, const struct nfsec_sel *s);
void json_ipsec(struct json *j, const char *key, const struct nfsec_ipsec *ip);
/*
 * An event, one line: an ACQUIRE (a not NULL), an EXPIRE (x not NULL) or
 * another command.
 */
void print_event(FILE *f, unsigned int cmd, const struct nfsec_acquire *a,
		 const struct nfsec_expire *x);
void json_event(struct json *j, unsigned int cmd, const struct nfsec_acquire *a,
		const struct nfsec_expire *x);

/* print_sa.c: SAs and expire events. */
void print_sa(FILE *f, const struct nfsec_sa *sa, bool stats);
void json_sa(struct json *j, const char *key, const struct nfsec_sa *sa,
	     bool stats);
void sa_id_words(const struct nfsec_sa *sa, char *buf, size_t len);
void print_expire(FILE *f, const struct nfsec_expire *x);
/* The members of an expire event's object (the caller opens it). */
void json_expire(struct json *j, const struct nfsec_expire *x);
/* A protocol's name, or its number in buf. */
const char *proto_str(unsigned int proto, char *buf, size_t len);

#endif /* IPSECCTL_H */
