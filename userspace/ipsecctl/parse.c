// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ipsecctl argument parsing. Keywords may come in any order, as in
 * iproute2; each may be given once. Every error names the word at fault.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "parse.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

int parse_fail(struct parse_error *e, int argi, const char *fmt, ...)
{
	va_list ap;

	e->argi = argi;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int bad_value(struct parse_error *e, int argi, const char *kw,
		     const char *val, const char *why)
{
	return parse_fail(e, argi, "bad %s \"%s\": %s", kw, val, why);
}

/* One keyword of "policy add": its name, how many values, its handler. */
struct keyword {
	const char *name;
	int nargs;
	int (*fn)(struct nfsec_policy *p, char **v, const char **why);
};

static int kw_dir(struct nfsec_policy *p, char **v, const char **why)
{
	int d = nfsec_dir_parse(v[0]);

	if (d < 0) {
		*why = "expected out, in or fwd";
		return -1;
	}
	p->has_dir = true;
	p->dir = (uint8_t)d;
	return 0;
}

static int kw_src(struct nfsec_policy *p, char **v, const char **why)
{
	return nfsec_addr_sel_parse(v[0], &p->sel.src, why);
}

static int kw_dst(struct nfsec_policy *p, char **v, const char **why)
{
	return nfsec_addr_sel_parse(v[0], &p->sel.dst, why);
}

static int kw_proto(struct nfsec_policy *p, char **v, const char **why)
{
	int proto;

	if (!strcmp(v[0], "any"))
		return 0;
	proto = nfsec_proto_parse(v[0]);
	if (proto < 0) {
		*why = "expected tcp, udp, icmp, ipv6-icmp, sctp, udplite, a number 0-255 or any";
		return -1;
	}
	p->sel.has_proto = true;
	p->sel.proto = (uint8_t)proto;
	return 0;
}

static int kw_sport(struct nfsec_policy *p, char **v, const char **why)
{
	if (!strcmp(v[0], "any"))
		return 0;
	p->sel.has_sport = true;
	return nfsec_port_range_parse(v[0], &p->sel.sport_min,
				      &p->sel.sport_max, why);
}

static int kw_dport(struct nfsec_policy *p, char **v, const char **why)
{
	if (!strcmp(v[0], "any"))
		return 0;
	p->sel.has_dport = true;
	return nfsec_port_range_parse(v[0], &p->sel.dport_min,
				      &p->sel.dport_max, why);
}

static int parse_u8(const char *s, uint8_t *out, const char **why)
{
	uint32_t v;

	if (nfsec_parse_u32(s, 255, &v)) {
		*why = "expected a number 0-255";
		return -1;
	}
	*out = (uint8_t)v;
	return 0;
}

static int kw_type(struct nfsec_policy *p, char **v, const char **why)
{
	if (!strcmp(v[0], "any"))
		return 0;
	p->sel.has_icmp_type = true;
	return parse_u8(v[0], &p->sel.icmp_type, why);
}

static int kw_code(struct nfsec_policy *p, char **v, const char **why)
{
	if (!strcmp(v[0], "any"))
		return 0;
	p->sel.has_icmp_code = true;
	return parse_u8(v[0], &p->sel.icmp_code, why);
}

static int kw_opaque(struct nfsec_policy *p, char **v, const char **why)
{
	p->sel.opaque = true;
	return 0;
}

static int kw_name(struct nfsec_policy *p, char **v, const char **why)
{
	size_t len = strlen(v[0]);

	if (!len || len > NFSEC_NAME_MAX) {
		*why = "must be 1-255 characters";
		return -1;
	}
	memcpy(p->sel.name, v[0], len + 1);
	return 0;
}

static int kw_pfp(struct nfsec_policy *p, char **v, const char **why)
{
	static __thread char msg[128];
	char bad[32];

	if (nfsec_pfp_parse(v[0], &p->sel.pfp, bad, sizeof(bad))) {
		snprintf(msg, sizeof(msg),
			 "\"%s\" is not one of src, dst, proto, sport, dport",
			 bad);
		*why = msg;
		return -1;
	}
	return 0;
}

static int kw_priority(struct nfsec_policy *p, char **v, const char **why)
{
	if (nfsec_parse_u32(v[0], UINT32_MAX, &p->priority)) {
		*why = "expected a number 0-4294967295";
		return -1;
	}
	p->has_priority = true;
	return 0;
}

static int kw_family(struct nfsec_policy *p, char **v, const char **why)
{
	if (!strcmp(v[0], "inet"))
		p->family = AF_INET;
	else if (!strcmp(v[0], "inet6"))
		p->family = AF_INET6;
	else if (strcmp(v[0], "any"))
		return *why = "expected inet, inet6 or any", -1;
	return 0;
}

static int kw_action(struct nfsec_policy *p, char **v, const char **why)
{
	int a = nfsec_action_parse(v[0]);

	if (a < 0) {
		*why = "expected bypass, discard or protect";
		return -1;
	}
	p->has_action = true;
	p->action = (uint8_t)a;
	return 0;
}

static int kw_ipsec(struct nfsec_policy *p, char **v, const char **why)
{
	if (!strcmp(v[0], "esp"))
		p->ipsec.proto = IPPROTO_ESP;
	else if (!strcmp(v[0], "ah"))
		p->ipsec.proto = IPPROTO_AH;
	else
		return *why = "expected esp or ah", -1;
	p->ipsec.has_proto = true;
	p->has_ipsec = true;
	return 0;
}

static int kw_mode(struct nfsec_policy *p, char **v, const char **why)
{
	int m = nfsec_mode_parse(v[0]);

	if (m < 0) {
		*why = "expected tunnel or transport";
		return -1;
	}
	p->ipsec.has_mode = true;
	p->ipsec.mode = (uint8_t)m;
	p->has_ipsec = true;
	return 0;
}

static int kw_tunnel(struct nfsec_policy *p, char **v, const char **why)
{
	if (nfsec_addr_parse(v[0], &p->ipsec.tunnel_src) ||
	    nfsec_addr_parse(v[1], &p->ipsec.tunnel_dst)) {
		*why = "expected two addresses, SRC DST";
		return -1;
	}
	if (p->ipsec.tunnel_src.family != p->ipsec.tunnel_dst.family) {
		*why = "SRC and DST are of different address families";
		return -1;
	}
	p->has_ipsec = true;
	return 0;
}

static int kw_reqid(struct nfsec_policy *p, char **v, const char **why)
{
	if (nfsec_parse_u32(v[0], UINT32_MAX, &p->ipsec.reqid)) {
		*why = "expected a number 0-4294967295";
		return -1;
	}
	p->ipsec.has_reqid = true;
	p->has_ipsec = true;
	return 0;
}

static int kw_proposal(struct nfsec_policy *p, char **v, const char **why)
{
	size_t len = strlen(v[0]);

	if (!len || len > NFSEC_PROPOSAL_MAX) {
		*why = "must be 1-255 characters";
		return -1;
	}
	memcpy(p->ipsec.proposal, v[0], len + 1);
	p->has_ipsec = true;
	return 0;
}

static const struct keyword add_keywords[] = {
	{ "dir", 1, kw_dir },
	{ "src", 1, kw_src },
	{ "dst", 1, kw_dst },
	{ "proto", 1, kw_proto },
	{ "sport", 1, kw_sport },
	{ "dport", 1, kw_dport },
	{ "type", 1, kw_type },
	{ "code", 1, kw_code },
	{ "opaque", 0, kw_opaque },
	{ "name", 1, kw_name },
	{ "pfp", 1, kw_pfp },
	{ "priority", 1, kw_priority },
	{ "family", 1, kw_family },
	{ "action", 1, kw_action },
	{ "ipsec", 1, kw_ipsec },
	{ "mode", 1, kw_mode },
	{ "tunnel", 2, kw_tunnel },
	{ "reqid", 1, kw_reqid },
	{ "proposal", 1, kw_proposal },
};

int parse_policy_add(int argc, char **argv, struct nfsec_policy *p,
		     struct parse_error *e)
{
	uint32_t seen = 0;
	const char *why;

	memset(p, 0, sizeof(*p));
	e->argi = -1;
	e->msg[0] = '\0';

	for (int i = 0; i < argc;) {
		const struct keyword *kw = NULL;
		size_t k;

		for (k = 0; k < ARRAY_SIZE(add_keywords); k++) {
			if (!strcmp(argv[i], add_keywords[k].name)) {
				kw = &add_keywords[k];
				break;
			}
		}
		if (!kw) {
			if (!strcmp(argv[i], "id"))
				return parse_fail(e, i, "\"id\" is assigned by the kernel; it cannot be given to \"policy add\"");
			return parse_fail(e, i, "unknown keyword \"%s\"", argv[i]);
		}
		if (seen & (1U << k))
			return parse_fail(e, i, "\"%s\" given twice", kw->name);
		seen |= 1U << k;
		if (i + kw->nargs >= argc)
			return parse_fail(e, i, kw->nargs == 2 ?
				    "\"%s\" needs two values" :
				    "\"%s\" needs a value", kw->name);
		why = "invalid";
		if (kw->fn(p, argv + i + 1, &why)) {
			if (kw->nargs == 2)
				return parse_fail(e, i + 1, "bad %s \"%s %s\": %s",
					    kw->name, argv[i + 1], argv[i + 2],
					    why);
			return bad_value(e, i + 1, kw->name, argv[i + 1], why);
		}
		i += 1 + kw->nargs;
	}

	/* What PROTECT negotiates unless told: ESP, transport or tunnel. */
	if (p->has_action && p->action == NFSEC_ACTION_PROTECT) {
		p->has_ipsec = true;
		if (!p->ipsec.has_proto) {
			p->ipsec.has_proto = true;
			p->ipsec.proto = IPPROTO_ESP;
		}
		if (!p->ipsec.has_mode) {
			p->ipsec.has_mode = true;
			p->ipsec.mode = p->ipsec.tunnel_src.family ?
					NFSEC_MODE_TUNNEL : NFSEC_MODE_TRANSPORT;
		}
	}
	if (nfsec_policy_check(p, &why))
		return parse_fail(e, -1, "%s", why);
	return 0;
}

/* The keywords of "policy lookup", in the order of lookup_words[]. */
enum lookup_kw {
	LK_DIR, LK_SRC, LK_DST, LK_PROTO, LK_SPORT, LK_DPORT, LK_TYPE, LK_CODE,
};

static const char *const lookup_words[] = {
	[LK_DIR] = "dir", [LK_SRC] = "src", [LK_DST] = "dst",
	[LK_PROTO] = "proto", [LK_SPORT] = "sport", [LK_DPORT] = "dport",
	[LK_TYPE] = "type", [LK_CODE] = "code",
};

#define LK(k) (1U << (k))

/* sport/dport, or ICMP type/code, which travel as SPORT and DPORT. */
static int lookup_port(struct lookup_req *r, enum lookup_kw k, int i,
		       const char *v, struct parse_error *e)
{
	bool is_port = k == LK_SPORT || k == LK_DPORT;
	bool first = k == LK_SPORT || k == LK_TYPE;
	uint32_t n;

	if (nfsec_parse_u32(v, is_port ? 65535 : 255, &n))
		return bad_value(e, i + 1, lookup_words[k], v, is_port ?
				 "expected a port 0-65535" :
				 "expected a number 0-255");
	if (first ? r->has_sport : r->has_dport)
		return parse_fail(e, i, first ? "give either sport or type, not both" :
				   "give either dport or code, not both");
	if (first) {
		r->has_sport = true;
		r->sport = (uint16_t)n;
	} else {
		r->has_dport = true;
		r->dport = (uint16_t)n;
	}
	return 0;
}

int parse_policy_lookup(int argc, char **argv, struct lookup_req *r,
			struct parse_error *e)
{
	uint32_t seen = 0;

	memset(r, 0, sizeof(*r));
	e->argi = -1;
	e->msg[0] = '\0';

	for (int i = 0; i < argc; i += 2) {
		enum lookup_kw k;
		const char *v;
		int n;

		for (k = 0; k < ARRAY_SIZE(lookup_words); k++)
			if (!strcmp(argv[i], lookup_words[k]))
				break;
		if (k == ARRAY_SIZE(lookup_words))
			return parse_fail(e, i, "unknown keyword \"%s\"", argv[i]);
		if (seen & LK(k))
			return parse_fail(e, i, "\"%s\" given twice", lookup_words[k]);
		seen |= LK(k);
		if (i + 1 >= argc)
			return parse_fail(e, i, "\"%s\" needs a value", lookup_words[k]);
		v = argv[i + 1];

		switch (k) {
		case LK_DIR:
			n = nfsec_dir_parse(v);
			if (n < 0)
				return bad_value(e, i + 1, "dir", v,
						 "expected out, in or fwd");
			r->dir = (uint8_t)n;
			break;
		case LK_SRC:
		case LK_DST:
			if (nfsec_addr_parse(v, k == LK_SRC ? &r->src : &r->dst))
				return bad_value(e, i + 1, lookup_words[k], v,
						 "expected one address (a packet's, not a prefix)");
			break;
		case LK_PROTO:
			n = nfsec_proto_parse(v);
			if (n < 0)
				return bad_value(e, i + 1, "proto", v,
						 "expected tcp, udp, icmp, ipv6-icmp, sctp, udplite or a number 0-255");
			r->has_proto = true;
			r->proto = (uint8_t)n;
			break;
		default:
			if (lookup_port(r, k, i, v, e))
				return -1;
			break;
		}
	}
	if (!(seen & LK(LK_DIR)))
		return parse_fail(e, -1, "missing \"dir out|in|fwd\"");
	if (!(seen & LK(LK_SRC)) || !(seen & LK(LK_DST)))
		return parse_fail(e, -1, "missing \"src ADDR\" or \"dst ADDR\"");
	if (r->src.family != r->dst.family)
		return parse_fail(e, -1, "src and dst are of different address families");
	if ((seen & (LK(LK_SPORT) | LK(LK_DPORT))) &&
	    !(r->has_proto && nfsec_proto_has_ports(r->proto)))
		return parse_fail(e, -1, "sport/dport need proto tcp, udp, sctp or udplite");
	if ((seen & (LK(LK_TYPE) | LK(LK_CODE))) &&
	    !(r->has_proto && nfsec_proto_is_icmp(r->proto)))
		return parse_fail(e, -1, "type/code need proto icmp or ipv6-icmp");
	return 0;
}

int parse_policy_dir_filter(int argc, char **argv, int *dir,
			    struct parse_error *e)
{
	*dir = -1;
	e->argi = -1;
	e->msg[0] = '\0';
	if (argc == 0)
		return 0;
	if (strcmp(argv[0], "dir"))
		return parse_fail(e, 0, "unknown keyword \"%s\"", argv[0]);
	if (argc < 2)
		return parse_fail(e, 0, "\"dir\" needs a value");
	*dir = nfsec_dir_parse(argv[1]);
	if (*dir < 0)
		return bad_value(e, 1, "dir", argv[1], "expected out, in or fwd");
	if (argc > 2)
		return parse_fail(e, 2, "unexpected \"%s\"", argv[2]);
	return 0;
}

int parse_policy_del(int argc, char **argv, uint32_t *id,
		     struct parse_error *e)
{
	e->argi = -1;
	e->msg[0] = '\0';
	if (argc == 0)
		return parse_fail(e, -1, "missing \"id N\"");
	if (strcmp(argv[0], "id"))
		return parse_fail(e, 0, "unknown keyword \"%s\"", argv[0]);
	if (argc < 2)
		return parse_fail(e, 0, "\"id\" needs a value");
	if (nfsec_parse_u32(argv[1], UINT32_MAX, id) || !*id)
		return bad_value(e, 1, "id", argv[1],
				 "expected a policy id 1-4294967295");
	if (argc > 2)
		return parse_fail(e, 2, "unexpected \"%s\"", argv[2]);
	return 0;
}

int split_words(char *line, char **words, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p || *p == '#')
			return n;
		if (n == max)
			return -1;
		if (*p == '"') {
			/* A quoted word: a name with blanks. No escapes. */
			char *end = strchr(p + 1, '"');

			if (!end)
				return -2;
			words[n++] = p + 1;
			*end = '\0';
			p = end + 1;
			if (*p && *p != ' ' && *p != '\t' && *p != '\r' &&
			    *p != '\n')
				return -2;
			continue;
		}
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			p++;
		if (!*p)
			return n;
		*p++ = '\0';
	}
}

static int file_error(struct policy_file *out, FILE *errs, const char *name,
		      unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int file_error(struct policy_file *out, FILE *errs, const char *name,
		      unsigned int line, const char *fmt, ...)
{
	char msg[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!out->errors++)
		snprintf(out->first_error, sizeof(out->first_error),
			 "%s:%u: %s", name, line, msg);
	if (errs)
		fprintf(errs, "%s:%u: %s\n", name, line, msg);
	return -1;
}

static int push_policy(struct policy_file *out, const struct nfsec_policy *p,
		       unsigned int line)
{
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 64;
		struct nfsec_policy *v = realloc(out->v, cap * sizeof(*v));
		unsigned int *l;

		if (!v)
			return -1;
		out->v = v;
		l = realloc(out->line, cap * sizeof(*l));
		if (!l)
			return -1;
		out->line = l;
		out->cap = cap;
	}
	out->v[out->n] = *p;
	out->line[out->n] = line;
	out->n++;
	return 0;
}

/* The most words one policy line can have: every keyword with its values. */
#define MAX_WORDS 64

static void parse_line(struct policy_file *out, FILE *errs, const char *name,
		       unsigned int lineno, char *text)
{
	struct nfsec_policy p;
	struct parse_error e;
	char *words[MAX_WORDS];
	char **argv = words;
	int argc;

	argc = split_words(text, words, MAX_WORDS);
	if (argc < 0) {
		file_error(out, errs, name, lineno, argc == -1 ?
			   "too many words" :
			   "unterminated quote, or no blank after a closing quote");
		return;
	}
	if (argc == 0)
		return;
	if (argc >= 2 && !strcmp(argv[0], "policy") && !strcmp(argv[1], "add")) {
		argv += 2;
		argc -= 2;
	}
	if (parse_policy_add(argc, argv, &p, &e)) {
		file_error(out, errs, name, lineno, "%s", e.msg);
		return;
	}
	if (push_policy(out, &p, lineno))
		file_error(out, errs, name, lineno, "out of memory");
}

int parse_policy_file(FILE *f, const char *name, struct policy_file *out,
		      FILE *errs)
{
	unsigned int lineno = 0, start = 0;
	char *line = NULL, *acc = NULL;
	size_t cap = 0, acclen = 0;
	ssize_t len;

	memset(out, 0, sizeof(*out));
	while ((len = getline(&line, &cap, f)) >= 0) {
		bool cont;
		char *tmp;

		lineno++;
		if (memchr(line, '\0', (size_t)len)) {
			file_error(out, errs, name, lineno, "NUL byte in line");
			continue;
		}
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (lineno == 1 && len >= 3 && !memcmp(line, "\xef\xbb\xbf", 3)) {
			/* A UTF-8 byte order mark, as some editors write. */
			memmove(line, line + 3, (size_t)len - 2);
			len -= 3;
		}
		cont = len && line[len - 1] == '\\';
		if (cont)
			line[--len] = ' ';
		if (!acc)
			start = lineno;
		tmp = realloc(acc, acclen + (size_t)len + 2);
		if (!tmp) {
			file_error(out, errs, name, lineno, "out of memory");
			break;
		}
		acc = tmp;
		memcpy(acc + acclen, line, (size_t)len);
		acclen += (size_t)len;
		acc[acclen++] = ' ';
		acc[acclen] = '\0';
		if (cont)
			continue;
		parse_line(out, errs, name, start, acc);
		free(acc);
		acc = NULL;
		acclen = 0;
	}
	if (ferror(f))
		file_error(out, errs, name, lineno, "read error: %s",
			   strerror(errno));
	else if (acc)
		parse_line(out, errs, name, start, acc);
	free(acc);
	free(line);
	return out->errors ? -1 : 0;
}

void policy_file_free(struct policy_file *pf)
{
	free(pf->v);
	free(pf->line);
	memset(pf, 0, sizeof(*pf));
}
