/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipsecctl's argument parsing: words on the command line (or on a line of an
 * SPD file) into the neutral structs of nfsec_policy.h. Nothing here talks
 * to the kernel, so all of it is unit tested without one.
 */
#ifndef IPSECCTL_PARSE_H
#define IPSECCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nfsec_policy.h"
#include "nfsec_sa.h"

/* What was wrong, and at which word (index into argv, -1: none). */
struct parse_error {
	int argi;
	char msg[320];
};

/* Fill e (the word at argi, -1: none) and return -1. */
int parse_fail(struct parse_error *e, int argi, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "policy add" arguments. Keywords in any order, each at most once. */
int parse_policy_add(int argc, char **argv, struct nfsec_policy *p,
		     struct parse_error *e);

/* A packet tuple for "policy lookup". */
struct lookup_req {
	uint8_t dir;
	struct nfsec_addr src, dst;
	bool has_proto;
	uint8_t proto;
	bool has_sport, has_dport;	/* ICMP: type, code */
	uint16_t sport, dport;
};

int parse_policy_lookup(int argc, char **argv, struct lookup_req *r,
			struct parse_error *e);

/* "policy list [dir D]" and "policy flush [dir D]"; dir -1: all. */
int parse_policy_dir_filter(int argc, char **argv, int *dir,
			    struct parse_error *e);
/* "policy del id N", "policy get id N" */
int parse_policy_del(int argc, char **argv, uint32_t *id,
		     struct parse_error *e);

/* Policies read from an SPD file, with the line each started on. */
struct policy_file {
	struct nfsec_policy *v;
	unsigned int *line;
	size_t n, cap;
	unsigned int errors;		/* lines that failed */
	char first_error[400];		/* "FILE:LINE: ..." of the first */
};

/*
 * Parse a whole SPD file: one "policy add" argument list per line (a leading
 * "policy add" is allowed), '#' comments, blank lines, and a trailing '\'
 * continuing a line. Every error is printed to errs (if not NULL) as
 * "NAME:LINE: message". Returns 0 when every line parsed, else -1. On an I/O
 * or memory failure, -1 with errors counting it too.
 */
int parse_policy_file(FILE *f, const char *name, struct policy_file *out,
		      FILE *errs);
void policy_file_free(struct policy_file *pf);

/* ---- parse_sa.c: "sa ..." and "spi alloc" ---- */

/* "sa add" arguments; checked with nfsec_sa_check(). */
int parse_sa_add(int argc, char **argv, struct nfsec_sa *sa,
		 struct parse_error *e);

/* get, del, list, flush: which SAs, and how to show them. */
struct sa_query {
	struct nfsec_sa id;	/* get/del: SPI, PROTO, FAMILY, DST;
				 * list: PROTO and REQID filters;
				 * flush: PROTO */
	bool keys;		/* --keys */
	bool stats;		/* -s after the command */
};

/* "spi SPI dst A ipsec P [--keys] [-s]" (get, del) */
int parse_sa_id(int argc, char **argv, struct sa_query *q,
		struct parse_error *e);
/* "[ipsec P] [reqid N] [--keys] [-s]" */
int parse_sa_list(int argc, char **argv, struct sa_query *q,
		  struct parse_error *e);
/* "[ipsec P]" */
int parse_sa_flush(int argc, char **argv, struct sa_query *q,
		   struct parse_error *e);

struct sa_update {
	struct nfsec_sa id;
	struct nfsec_sa_path path;
	bool has_src, has_dst, has_encap;	/* what was given */
};

/* "spi SPI dst A ipsec P [new-src A] [new-dst B] [encap espinudp S D|none]" */
int parse_sa_update(int argc, char **argv, struct sa_update *u,
		    struct parse_error *e);

/*
 * The kernel takes a whole new path, where an absent encapsulation means
 * none: fill what was not given from the SA as it is (cur), so that
 * "new-dst" alone keeps ESP-in-UDP. 0, or -1 with why.
 */
int sa_update_complete(struct sa_update *u, const struct nfsec_sa *cur,
		       const char **why);

struct spi_alloc_req {
	struct nfsec_sa id;	/* PROTO, FAMILY, DST */
	bool has_range;
	uint32_t min, max;
};

/* "dst A ipsec P [min N max N]" */
int parse_spi_alloc(int argc, char **argv, struct spi_alloc_req *r,
		    struct parse_error *e);

/*
 * Split a line into words in place; '#' at a word start ends the line and
 * "..." makes one word of text with blanks. Returns the number of words,
 * -1 when there are more than max, -2 for a bad quote.
 */
int split_words(char *line, char **words, int max);

#endif /* IPSECCTL_PARSE_H */
