// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parser for ikev2d.conf: a small lexer (words, "quoted strings", braces,
 * ';' and newlines), one handler per keyword, and checks that a
 * connection is complete once its block closes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>
#include "config.h"
#include "pool.h"
#include "proposal.h"
#include "ts.h"

#define DEFAULT_IKE "aes256gcm16-prfsha384-x25519"
#define DEFAULT_ESP "aes256gcm16"
#define MAX_WORDS 16
#define WORD_MAX 1024
#define FILE_MAX (1 << 20)
#define PSK_MAX 1024

struct parser {
	const char *file;
	const char *p, *end;
	unsigned int line;
	char *err;
	size_t errlen;
};

enum tok {
	TOK_EOF,
	TOK_WORD,
	TOK_LBRACE,
	TOK_RBRACE,
	TOK_END,	/* ';' or newline */
	TOK_ERROR,
};

static int fail(struct parser *ps, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct parser *ps, unsigned int line, const char *fmt, ...)
{
	int n = snprintf(ps->err, ps->errlen, "%s:%u: ", ps->file, line);
	va_list ap;

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < ps->errlen)
		vsnprintf(ps->err + n, ps->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Reads one token; a word or string lands in buf. */
static enum tok lex(struct parser *ps, char *buf, size_t cap)
{
	size_t n = 0;

	while (ps->p < ps->end) {
		char c = *ps->p;

		if (c == '#') {
			while (ps->p < ps->end && *ps->p != '\n')
				ps->p++;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			ps->p++;
		} else {
			break;
		}
	}
	if (ps->p >= ps->end)
		return TOK_EOF;
	switch (*ps->p) {
	case '\n':
		ps->p++;
		ps->line++;
		return TOK_END;
	case ';':
		ps->p++;
		return TOK_END;
	case '{':
		ps->p++;
		return TOK_LBRACE;
	case '}':
		ps->p++;
		return TOK_RBRACE;
	case '"':
		for (ps->p++; ps->p < ps->end && *ps->p != '"'; ps->p++) {
			char c = *ps->p;

			if (c == '\n')
				break;
			if (c == '\\' && ps->p + 1 < ps->end &&
			    (ps->p[1] == '"' || ps->p[1] == '\\'))
				c = *++ps->p;
			if (n + 1 >= cap) {
				fail(ps, ps->line, "string too long");
				return TOK_ERROR;
			}
			buf[n++] = c;
		}
		if (ps->p >= ps->end || *ps->p != '"') {
			fail(ps, ps->line, "unterminated string");
			return TOK_ERROR;
		}
		ps->p++;
		buf[n] = 0;
		return TOK_WORD;
	}
	while (ps->p < ps->end && !strchr(" \t\r\n;{}#\"", *ps->p)) {
		if (!*ps->p) {
			fail(ps, ps->line, "NUL byte in file");
			return TOK_ERROR;
		}
		if (n + 1 >= cap) {
			fail(ps, ps->line, "word too long");
			return TOK_ERROR;
		}
		buf[n++] = *ps->p++;
	}
	buf[n] = 0;
	return TOK_WORD;
}

/* ---- values ---- */

static int parse_addr(const char *s, struct conf_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (!strcmp(s, "%any"))
		return 0;
	if (inet_pton(AF_INET, s, a->addr) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, a->addr) == 1)
		a->family = AF_INET6;
	else
		return -EINVAL;
	return 0;
}

static int parse_duration(const char *s, uint32_t *out)
{
	unsigned long long v;
	unsigned long mult = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	if (*end) {
		if (end[1])
			return -EINVAL;
		switch (*end) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		default: return -EINVAL;
		}
	}
	if (v > UINT32_MAX / mult)
		return -EINVAL;
	*out = v * mult;
	return 0;
}

/* "C=CH, O=Example, CN=gw" to DER; '\,' escapes a comma in a value. */
static int dn_to_der(const char *text, uint8_t *out, size_t cap, size_t *len,
		     char *bad, size_t badlen)
{
	X509_NAME *name = X509_NAME_new();
	char rdn[CONF_ID_MAX], *eq, *k, *v;
	const char *s = text;
	uint8_t *p = out;
	int ret = -EINVAL, l;

	if (!name)
		return -ENOMEM;
	while (*s) {
		size_t n = 0;

		while (*s == ' ')
			s++;
		for (; *s && *s != ','; s++) {
			if (*s == '\\' && s[1] == ',')
				s++;
			if (n + 1 < sizeof(rdn))
				rdn[n++] = *s;
		}
		rdn[n] = 0;
		if (*s == ',')
			s++;
		eq = strchr(rdn, '=');
		if (!eq) {
			snprintf(bad, badlen, "'%s' is not attribute=value", rdn);
			goto out;
		}
		*eq = 0;
		k = rdn;
		v = eq + 1;
		while (*v == ' ')
			v++;
		for (char *e = k + strlen(k); e > k && e[-1] == ' '; )
			*--e = 0;
		if (!*v || !X509_NAME_add_entry_by_txt(name, k, MBSTRING_UTF8,
						       (const unsigned char *)v, -1, -1, 0)) {
			snprintf(bad, badlen, "bad attribute '%s'", k);
			goto out;
		}
	}
	l = i2d_X509_NAME(name, NULL);
	if (l <= 0 || (size_t)l > cap) {
		snprintf(bad, badlen, "distinguished name too long");
		goto out;
	}
	*len = i2d_X509_NAME(name, &p);
	ret = 0;
out:
	X509_NAME_free(name);
	return ret;
}

/* An identity, typed by prefix (ipv4: ipv6: fqdn: email: rfc822: dn:)
 * or by its look: an address, "C=..,CN=.." (DN), user@host (RFC822),
 * @host or anything else (FQDN). */
static int parse_id(const char *s, struct conf_id *id, char *bad, size_t badlen)
{
	static const struct { const char *prefix; uint8_t type; } prefixes[] = {
		{ "ipv4:", IKE_ID_IPV4_ADDR }, { "ipv6:", IKE_ID_IPV6_ADDR },
		{ "fqdn:", IKE_ID_FQDN }, { "email:", IKE_ID_RFC822_ADDR },
		{ "rfc822:", IKE_ID_RFC822_ADDR }, { "dn:", IKE_ID_DER_ASN1_DN },
	};
	const char *v = s;

	memset(id, 0, sizeof(*id));
	if (strlen(s) >= sizeof(id->text)) {
		snprintf(bad, badlen, "identity too long");
		return -EINVAL;
	}
	strcpy(id->text, s);
	if (!strcmp(s, "%any"))
		return 0;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		if (!strncmp(s, prefixes[i].prefix, strlen(prefixes[i].prefix))) {
			id->type = prefixes[i].type;
			v = s + strlen(prefixes[i].prefix);
		}
	}
	if (!id->type) {
		uint8_t tmp[16];

		if (inet_pton(AF_INET, s, tmp) == 1)
			id->type = IKE_ID_IPV4_ADDR;
		else if (inet_pton(AF_INET6, s, tmp) == 1)
			id->type = IKE_ID_IPV6_ADDR;
		else if (strchr(s, '='))
			id->type = IKE_ID_DER_ASN1_DN;
		else if (s[0] != '@' && strchr(s, '@'))
			id->type = IKE_ID_RFC822_ADDR;
		else
			id->type = IKE_ID_FQDN;
		if (s[0] == '@' && id->type == IKE_ID_FQDN)
			v = s + 1;
	}
	switch (id->type) {
	case IKE_ID_IPV4_ADDR:
	case IKE_ID_IPV6_ADDR:
		id->len = id->type == IKE_ID_IPV4_ADDR ? 4 : 16;
		if (inet_pton(id->type == IKE_ID_IPV4_ADDR ? AF_INET : AF_INET6, v,
			      id->data) != 1) {
			snprintf(bad, badlen, "'%s' is not an IPv%c address", v,
				 id->type == IKE_ID_IPV4_ADDR ? '4' : '6');
			return -EINVAL;
		}
		return 0;
	case IKE_ID_DER_ASN1_DN:
		return dn_to_der(v, id->data, sizeof(id->data), &id->len, bad, badlen);
	default:
		if (!*v) {
			snprintf(bad, badlen, "empty identity");
			return -EINVAL;
		}
		id->len = strlen(v);
		memcpy(id->data, v, id->len);
		return 0;
	}
}

static int unhex_psk(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(hex);

	if (!n || n % 2 || n / 2 > cap)
		return -EINVAL;
	for (size_t i = 0; i < n; i += 2) {
		unsigned int v;

		if (sscanf(hex + i, "%2x", &v) != 1 || !strchr("0123456789abcdefABCDEF", hex[i]) ||
		    !strchr("0123456789abcdefABCDEF", hex[i + 1]))
			return -EINVAL;
		out[i / 2] = v;
	}
	*len = n / 2;
	return 0;
}

static int set_psk(struct conf_conn *c, const uint8_t *v, size_t len)
{
	c->psk = OPENSSL_malloc(len ? len : 1);
	if (!c->psk)
		return -ENOMEM;
	memcpy(c->psk, v, len);
	c->psk_len = len;
	return 0;
}

/* Reads a PSK file: the secret is its content without a trailing newline;
 * "0x..." is hex like inline. */
static int read_psk_file(struct parser *ps, unsigned int line, struct conf_conn *c,
			 const char *path)
{
	uint8_t buf[PSK_MAX + 2], bin[PSK_MAX];
	struct stat st;
	ssize_t n;
	size_t blen;
	int fd, ret;

	/* O_NONBLOCK: a FIFO or device named here must not hang the parser */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return fail(ps, line, "psk-file '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(ps, line, "psk-file '%s' is not a regular file", path);
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return fail(ps, line, "psk-file '%s': %s", path, strerror(errno));
	if ((size_t)n > PSK_MAX) {
		ret = fail(ps, line, "psk-file '%s': longer than %d bytes", path, PSK_MAX);
		goto out;
	}
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = 0;
	if (!n) {
		ret = fail(ps, line, "psk-file '%s' is empty", path);
		goto out;
	}
	if (n > 2 && buf[0] == '0' && buf[1] == 'x') {
		if (unhex_psk((char *)buf + 2, bin, sizeof(bin), &blen)) {
			ret = fail(ps, line, "psk-file '%s': bad hex after 0x", path);
			goto out;
		}
		ret = set_psk(c, bin, blen);
	} else {
		ret = set_psk(c, buf, n);
	}
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	OPENSSL_cleanse(bin, sizeof(bin));
	return ret;
}

static int set_path(struct parser *ps, unsigned int line, const char *key,
		    const char *path, char **dst)
{
	if (access(path, R_OK))
		return fail(ps, line, "%s '%s': %s", key, path, strerror(errno));
	*dst = strdup(path);
	return *dst ? 0 : -ENOMEM;
}

/* Comma- or space-separated selectors. */
static int parse_ts_list(struct parser *ps, unsigned int line, const char *key,
			 char **vals, int nv, struct ike_ts *out, size_t *n)
{
	char msg[160];

	*n = 0;
	for (int i = 0; i < nv; i++) {
		char *save = NULL;

		for (char *t = strtok_r(vals[i], ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			if (*n >= CONF_MAX_TS)
				return fail(ps, line, "%s: more than %d selectors", key,
					    CONF_MAX_TS);
			if (ts_parse(t, &out[*n], msg, sizeof(msg)))
				return fail(ps, line, "%s: %s", key, msg);
			(*n)++;
		}
	}
	if (!*n)
		return fail(ps, line, "%s needs a value", key);
	return 0;
}

static int parse_proposals(struct parser *ps, unsigned int line, const char *key,
			   char **vals, int nv, uint8_t proto, struct ike_proposal *out,
			   size_t *n)
{
	char joined[WORD_MAX * 2] = "", msg[256];

	for (int i = 0; i < nv; i++) {
		if (strlen(joined) + strlen(vals[i]) + 2 > sizeof(joined))
			return fail(ps, line, "%s: list too long", key);
		strcat(joined, vals[i]);
		if (i + 1 < nv)
			strcat(joined, ",");
	}
	for (char *c = joined; *c; c++)	/* "a, b" and "a,b" alike */
		if (*c == ',' && c[1] == ',')
			c[1] = ' ';
	if (proposal_parse_list(joined, proto, out, CONF_MAX_PROPOSALS, n, msg, sizeof(msg)))
		return fail(ps, line, "%s: %s", key, msg);
	return 0;
}

/* ---- connections ---- */

enum keyword {
	KW_LOCAL, KW_REMOTE, KW_LOCAL_ID, KW_REMOTE_ID, KW_AUTH, KW_PSK, KW_PSK_FILE,
	KW_CERT, KW_KEY, KW_CA, KW_RSA_PSS, KW_IKE, KW_ESP, KW_LOCAL_TS, KW_REMOTE_TS,
	KW_MODE, KW_START, KW_REKEY, KW_LIFETIME, KW_IKE_REKEY, KW_DPD, KW_FRAGMENTATION,
	KW_FRAGMENT_SIZE, KW_KEEPALIVE, KW_MOBIKE,
	KW_POOL, KW_DNS, KW_VIPS, KW_VIP_INTERFACE,
	KW_COUNT,
};

static const struct {
	const char *name;
	bool list;	/* takes several values */
} keywords[KW_COUNT] = {
	[KW_LOCAL] = { "local" }, [KW_REMOTE] = { "remote" },
	[KW_LOCAL_ID] = { "local-id" }, [KW_REMOTE_ID] = { "remote-id" },
	[KW_AUTH] = { "auth" }, [KW_PSK] = { "psk" }, [KW_PSK_FILE] = { "psk-file" },
	[KW_CERT] = { "cert" }, [KW_KEY] = { "key" }, [KW_CA] = { "ca", true },
	[KW_RSA_PSS] = { "rsa-pss" },
	[KW_IKE] = { "ike", true }, [KW_ESP] = { "esp", true },
	[KW_LOCAL_TS] = { "local-ts", true }, [KW_REMOTE_TS] = { "remote-ts", true },
	[KW_MODE] = { "mode" }, [KW_START] = { "start" }, [KW_REKEY] = { "rekey" },
	[KW_LIFETIME] = { "lifetime" }, [KW_IKE_REKEY] = { "ike-rekey" }, [KW_DPD] = { "dpd" },
	[KW_FRAGMENTATION] = { "fragmentation" }, [KW_FRAGMENT_SIZE] = { "fragment-size" },
	[KW_POOL] = { "pool", true }, [KW_DNS] = { "dns", true }, [KW_VIPS] = { "vips", true },
	[KW_VIP_INTERFACE] = { "vip-interface" },
	[KW_KEEPALIVE] = { "keepalive" }, [KW_MOBIKE] = { "mobike" },
};

struct conn_state {
	struct conf_conn *c;
	unsigned int seen[KW_COUNT];	/* line where each keyword was set */
};

static int parse_yes_no(struct parser *ps, unsigned int line, const char *kw,
			const char *v, bool *out)
{
	if (!strcmp(v, "yes"))
		*out = true;
	else if (!strcmp(v, "no"))
		*out = false;
	else
		return fail(ps, line, "%s: '%s' is not yes or no", kw, v);
	return 0;
}

/* pool PREFIX|RANGE..., dns ADDR..., vips ADDR... (0.0.0.0, :: or a wish) */
static int parse_cp_list(struct parser *ps, unsigned int line, struct conf_conn *c, int kw,
			 char **w, int nw)
{
	size_t max = kw == KW_POOL ? CONF_MAX_POOLS : kw == KW_DNS ? CONF_MAX_DNS : CONF_MAX_VIPS;
	size_t n = 0;
	char *v[MAX_WORDS * 4], *save;

	for (int i = 1; i < nw; i++)	/* "a, b" and "a b" alike */
		for (char *t = strtok_r(w[i], ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			if (n == max)
				return fail(ps, line, "%s: at most %zu values", w[0], max);
			v[n++] = t;
		}
	for (size_t i = 0; i < n; i++) {
		struct conf_addr *a = kw == KW_DNS ? &c->dns[c->n_dns] : &c->vips[c->n_vips];
		struct ike_pool pool;
		const char *why;

		if (kw == KW_POOL) {
			if (pool_init(&pool, v[i], &why))
				return fail(ps, line, "pool: '%s': %s", v[i], why);
			strcpy(c->pools[c->n_pools++], v[i]);
			continue;
		}
		if (parse_addr(v[i], a) || !a->family)
			return fail(ps, line, "%s: '%s' is not an IP address", w[0], v[i]);
		if (kw == KW_DNS) {
			c->n_dns++;
			continue;
		}
		for (size_t k = 0; k < c->n_vips; k++)
			if (c->vips[k].family == a->family)
				return fail(ps, line, "vips: one address per family");
		c->n_vips++;
	}
	return 0;
}

static int set_keyword(struct parser *ps, struct conn_state *st, unsigned int line,
		       char **w, int nw)
{
	struct conf_conn *c = st->c;
	char msg[160];
	int kw;

	for (kw = 0; kw < KW_COUNT; kw++)
		if (!strcmp(w[0], keywords[kw].name))
			break;
	if (kw == KW_COUNT)
		return fail(ps, line, "unknown keyword '%s'", w[0]);
	if (st->seen[kw])
		return fail(ps, line, "'%s' is already set on line %u", w[0], st->seen[kw]);
	if (nw < 2)
		return fail(ps, line, "'%s' needs a value", w[0]);
	if (nw > 2 && !keywords[kw].list)
		return fail(ps, line, "'%s' takes one value, not %d", w[0], nw - 1);
	st->seen[kw] = line;

	switch (kw) {
	case KW_LOCAL:
	case KW_REMOTE:
		if (parse_addr(w[1], kw == KW_LOCAL ? &c->local : &c->remote))
			return fail(ps, line, "%s: '%s' is not an IP address or %%any",
				    w[0], w[1]);
		return 0;
	case KW_LOCAL_ID:
	case KW_REMOTE_ID:
		if (parse_id(w[1], kw == KW_LOCAL_ID ? &c->local_id : &c->remote_id,
			     msg, sizeof(msg)))
			return fail(ps, line, "%s: %s", w[0], msg);
		if (kw == KW_LOCAL_ID && !c->local_id.type)
			return fail(ps, line, "local-id cannot be %%any");
		return 0;
	case KW_AUTH:
		if (!strcmp(w[1], "psk"))
			c->auth = CONF_AUTH_PSK;
		else if (!strcmp(w[1], "pubkey") || !strcmp(w[1], "cert"))
			c->auth = CONF_AUTH_PUBKEY;
		else
			return fail(ps, line, "auth: '%s' is not psk or pubkey", w[1]);
		return 0;
	case KW_PSK: {
		uint8_t bin[PSK_MAX];
		size_t blen;
		int ret;

		if (st->seen[KW_PSK_FILE])
			return fail(ps, line, "psk and psk-file (line %u) exclude each other",
				    st->seen[KW_PSK_FILE]);
		if (!strncmp(w[1], "0x", 2)) {
			if (unhex_psk(w[1] + 2, bin, sizeof(bin), &blen))
				return fail(ps, line, "psk: bad hex after 0x");
			ret = set_psk(c, bin, blen);
			OPENSSL_cleanse(bin, sizeof(bin));
			return ret;
		}
		if (!*w[1])
			return fail(ps, line, "psk is empty");
		return set_psk(c, (const uint8_t *)w[1], strlen(w[1]));
	}
	case KW_PSK_FILE:
		if (st->seen[KW_PSK])
			return fail(ps, line, "psk-file and psk (line %u) exclude each other",
				    st->seen[KW_PSK]);
		return read_psk_file(ps, line, c, w[1]);
	case KW_CERT:
		return set_path(ps, line, w[0], w[1], &c->cert);
	case KW_KEY:
		return set_path(ps, line, w[0], w[1], &c->key);
	case KW_CA:
		if (nw - 1 > CONF_MAX_CA)
			return fail(ps, line, "ca: more than %d files", CONF_MAX_CA);
		for (int i = 1; i < nw; i++) {
			int ret = set_path(ps, line, w[0], w[i], &c->ca[c->n_ca]);

			if (ret)
				return ret;
			c->n_ca++;
		}
		return 0;
	case KW_RSA_PSS:
		return parse_yes_no(ps, line, w[0], w[1], &c->rsa_pss);
	case KW_IKE:
		return parse_proposals(ps, line, w[0], w + 1, nw - 1, IKE_PROTO_IKE, c->ike,
				       &c->n_ike);
	case KW_ESP:
		return parse_proposals(ps, line, w[0], w + 1, nw - 1, IKE_PROTO_ESP, c->esp,
				       &c->n_esp);
	case KW_LOCAL_TS:
		return parse_ts_list(ps, line, w[0], w + 1, nw - 1, c->local_ts, &c->n_local_ts);
	case KW_REMOTE_TS:
		return parse_ts_list(ps, line, w[0], w + 1, nw - 1, c->remote_ts,
				     &c->n_remote_ts);
	case KW_MODE:
		if (!strcmp(w[1], "tunnel"))
			c->mode = CONF_MODE_TUNNEL;
		else if (!strcmp(w[1], "transport"))
			c->mode = CONF_MODE_TRANSPORT;
		else
			return fail(ps, line, "mode: '%s' is not tunnel or transport", w[1]);
		return 0;
	case KW_START:
		if (!strcmp(w[1], "start"))
			c->start = CONF_START_START;
		else if (!strcmp(w[1], "trap"))
			c->start = CONF_START_TRAP;
		else if (!strcmp(w[1], "none"))
			c->start = CONF_START_NONE;
		else
			return fail(ps, line, "start: '%s' is not start, trap or none", w[1]);
		return 0;
	case KW_FRAGMENTATION:
		return parse_yes_no(ps, line, w[0], w[1], &c->fragmentation);
	case KW_MOBIKE:
		return parse_yes_no(ps, line, w[0], w[1], &c->mobike);
	case KW_FRAGMENT_SIZE: {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(w[1], &end, 10);
		if (errno || *end || end == w[1] || v < 576 || v > 65535)
			return fail(ps, line, "fragment-size: '%s' is not a size in bytes from "
				    "576 to 65535", w[1]);
		c->fragment_size = (uint16_t)v;
		return 0;
	}
	case KW_POOL:
	case KW_DNS:
	case KW_VIPS:
		return parse_cp_list(ps, line, c, kw, w, nw);
	case KW_VIP_INTERFACE:
		if (strlen(w[1]) >= CONF_IFNAME_MAX || strpbrk(w[1], "/ \t"))
			return fail(ps, line, "vip-interface: '%s' is not an interface name", w[1]);
		strcpy(c->vip_interface, w[1]);
		return 0;
	default: {
		uint32_t *dst = kw == KW_REKEY ? &c->rekey : kw == KW_LIFETIME ? &c->lifetime :
				kw == KW_IKE_REKEY ? &c->ike_rekey : kw == KW_DPD ? &c->dpd :
				&c->keepalive;

		if (parse_duration(w[1], dst))
			return fail(ps, line, "%s: '%s' is not a duration (e.g. 3600, 60m, 1h)",
				    w[0], w[1]);
		return 0;
	}
	}
}

/* Our credentials; the local-id must be in our certificate, and is its
 * subject when none is configured. */
static int load_creds(struct parser *ps, struct conn_state *st)
{
	static const int kw_of[] = { [IKE_CREDS_CERT] = KW_CERT, [IKE_CREDS_KEY] = KW_KEY,
				     [IKE_CREDS_CA] = KW_CA };
	struct conf_conn *c = st->c;
	char msg[512];
	int which, ret;

	ret = ike_creds_load(&c->creds, c->cert, c->key, c->ca, c->n_ca, c->rsa_pss, &which,
			     msg, sizeof(msg));
	if (ret)
		return fail(ps, st->seen[kw_of[which]] ? st->seen[kw_of[which]] : c->line,
			    "conn '%s': %s", c->name, msg);
	if (!c->local_id.type) {
		c->local_id.type = IKE_ID_DER_ASN1_DN;
		if (ike_cert_subject_der(c->creds->cert, c->local_id.data,
					 sizeof(c->local_id.data), &c->local_id.len))
			return fail(ps, st->seen[KW_CERT], "conn '%s': certificate subject longer "
				    "than %d bytes; set local-id", c->name, CONF_ID_MAX);
		ike_cert_subject(c->creds->cert, c->local_id.text, sizeof(c->local_id.text));
	} else if (!ike_cert_has_id(c->creds->cert, c->local_id.type,
				    IKE_BUF(c->local_id.data, c->local_id.len))) {
		return fail(ps, st->seen[KW_LOCAL_ID], "conn '%s': local-id '%s' is not in "
			    "certificate '%s' (subject or subjectAltName)", c->name,
			    c->local_id.text, c->cert);
	}
	return 0;
}

/* Defaults and cross-checks once the block is closed. */
static int finish_conn(struct parser *ps, struct conn_state *st)
{
	struct conf_conn *c = st->c;
	char msg[256];
	int ret;

	if (!st->seen[KW_REMOTE])
		return fail(ps, c->line, "conn '%s': 'remote' is missing (an address or %%any)",
			    c->name);
	if (c->local.family && c->remote.family && c->local.family != c->remote.family)
		return fail(ps, st->seen[KW_REMOTE],
			    "conn '%s': local and remote are of different address families",
			    c->name);
	if (c->auth == CONF_AUTH_NONE)
		return fail(ps, c->line, "conn '%s': 'auth' is missing (psk or pubkey)", c->name);
	if (c->auth == CONF_AUTH_PSK && !c->psk)
		return fail(ps, st->seen[KW_AUTH], "conn '%s': auth psk needs psk or psk-file",
			    c->name);
	if (c->auth == CONF_AUTH_PUBKEY) {
		if (c->psk)
			return fail(ps, st->seen[KW_PSK] ? st->seen[KW_PSK] : st->seen[KW_PSK_FILE],
				    "conn '%s': a psk with auth pubkey", c->name);
		if (!c->cert || !c->key || !c->n_ca)
			return fail(ps, st->seen[KW_AUTH],
				    "conn '%s': auth pubkey needs cert, key and ca", c->name);
		ret = load_creds(ps, st);
		if (ret)
			return ret;
	} else if (st->seen[KW_CERT] || st->seen[KW_KEY] || st->seen[KW_CA] ||
		   st->seen[KW_RSA_PSS]) {
		return fail(ps, st->seen[KW_AUTH], "conn '%s': cert, key, ca and rsa-pss "
			    "need auth pubkey", c->name);
	}
	if (c->start != CONF_START_NONE && !c->remote.family)
		return fail(ps, st->seen[KW_START], "conn '%s': start %s needs a remote address, "
			    "not %%any", c->name, c->start == CONF_START_TRAP ? "trap" : "start");
	if (!c->local.family && !c->local_id.type)
		return fail(ps, c->line, "conn '%s': local-id is needed when local is %%any",
			    c->name);
	if (!c->rekey)
		return fail(ps, st->seen[KW_REKEY], "conn '%s': rekey must be positive", c->name);
	if (!st->seen[KW_LIFETIME])	/* 10% more, at least a second */
		c->lifetime = c->rekey + (c->rekey >= 10 ? c->rekey / 10 : 1);
	if (c->lifetime <= c->rekey)
		return fail(ps, st->seen[KW_LIFETIME] ? st->seen[KW_LIFETIME] : st->seen[KW_REKEY],
			    "conn '%s': lifetime (%us) must be longer than rekey (%us)",
			    c->name, c->lifetime, c->rekey);
	if (!c->n_ike) {
		ret = proposal_parse_list(DEFAULT_IKE, IKE_PROTO_IKE, c->ike, CONF_MAX_PROPOSALS,
					  &c->n_ike, msg, sizeof(msg));
		if (ret)
			return ret;
	}
	if (!c->n_esp) {
		ret = proposal_parse_list(DEFAULT_ESP, IKE_PROTO_ESP, c->esp, CONF_MAX_PROPOSALS,
					  &c->n_esp, msg, sizeof(msg));
		if (ret)
			return ret;
	}
	if (c->n_pools && c->n_vips)
		return fail(ps, st->seen[KW_VIPS], "conn '%s': vips (a client) and pool (a gateway) "
			    "exclude each other", c->name);
	if (c->n_dns && !c->n_pools)
		return fail(ps, st->seen[KW_DNS], "conn '%s': dns needs pool", c->name);
	if (st->seen[KW_VIP_INTERFACE] && !c->n_vips)
		return fail(ps, st->seen[KW_VIP_INTERFACE], "conn '%s': vip-interface needs vips",
			    c->name);
	if ((c->n_pools || c->n_vips) && c->mode == CONF_MODE_TRANSPORT)
		return fail(ps, st->seen[KW_MODE], "conn '%s': virtual addresses need mode tunnel",
			    c->name);
	if (c->n_vips && c->start == CONF_START_TRAP)	/* traffic from an address not yet known */
		return fail(ps, st->seen[KW_START], "conn '%s': vips needs start start or none, "
			    "not trap", c->name);
	if (c->n_vips && !c->vip_interface[0])
		strcpy(c->vip_interface, "lo");
	/* default identities: our addresses */
	if (!c->local_id.type && c->local.family) {
		char addr[INET6_ADDRSTRLEN];

		inet_ntop(c->local.family, c->local.addr, addr, sizeof(addr));
		parse_id(addr, &c->local_id, msg, sizeof(msg));
	}
	return 0;
}

static int parse_conn_body(struct parser *ps, struct config *cfg, unsigned int line,
			   char words[MAX_WORDS][WORD_MAX])
{
	char *w[MAX_WORDS];
	struct conn_state st = { 0 };
	struct conf_conn *c;
	enum tok t;
	int nw = 0, ret;

	t = lex(ps, words[0], WORD_MAX);
	if (t != TOK_WORD)
		return t == TOK_ERROR ? -EINVAL : fail(ps, line, "'conn' needs a name");
	if (strlen(words[0]) >= CONF_NAME_MAX || strspn(words[0],
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") !=
	    strlen(words[0]))
		return fail(ps, line, "conn name '%s': use up to %d letters, digits, '-', '_', '.'",
			    words[0], CONF_NAME_MAX - 1);
	if (config_find(cfg, words[0]))
		return fail(ps, line, "conn '%s' is defined twice (first on line %u)", words[0],
			    config_find(cfg, words[0])->line);
	while ((t = lex(ps, words[1], WORD_MAX)) == TOK_END)
		;
	if (t != TOK_LBRACE)
		return t == TOK_ERROR ? -EINVAL :
		       fail(ps, ps->line, "expected '{' after 'conn %s'", words[0]);

	c = realloc(cfg->conns, (cfg->n + 1) * sizeof(*c));
	if (!c)
		return -ENOMEM;
	cfg->conns = c;
	c = &cfg->conns[cfg->n++];
	memset(c, 0, sizeof(*c));
	strcpy(c->name, words[0]);
	c->line = line;
	c->mode = CONF_MODE_TUNNEL;
	c->start = CONF_START_NONE;
	c->rekey = 3600;
	c->lifetime = 3960;
	c->ike_rekey = 14400;
	c->dpd = 30;
	c->keepalive = 20;
	c->fragmentation = true;
	c->mobike = true;
	c->fragment_size = 1280;
	st.c = c;

	for (unsigned int sline = 0;;) {
		unsigned int tline = ps->line;

		t = lex(ps, words[nw], WORD_MAX);
		if (t == TOK_ERROR)
			return -EINVAL;
		if (t == TOK_EOF)
			return fail(ps, tline, "end of file inside conn '%s' (opened on line %u)",
				    c->name, line);
		if (t == TOK_LBRACE)
			return fail(ps, tline, "unexpected '{'");
		if (t == TOK_WORD) {
			if (nw + 1 >= MAX_WORDS)
				return fail(ps, tline, "too many values");
			if (!nw)
				sline = tline;
			w[nw] = words[nw];
			nw++;
			continue;
		}
		if (nw) {	/* TOK_END or TOK_RBRACE ends a statement */
			ret = set_keyword(ps, &st, sline, w, nw);
			if (ret)
				return ret;
			nw = 0;
		}
		if (t == TOK_RBRACE)
			return finish_conn(ps, &st);
	}
}

static int parse_conn(struct parser *ps, struct config *cfg, unsigned int line)
{
	char words[MAX_WORDS][WORD_MAX];
	int ret = parse_conn_body(ps, cfg, line, words);

	OPENSSL_cleanse(words, sizeof(words));	/* may hold an inline psk */
	return ret;
}

int config_parse(const char *file, const char *text, size_t len, struct config *cfg,
		 char *err, size_t errlen)
{
	struct parser ps = { .file = file, .p = text, .end = text + len, .line = 1,
			     .err = err, .errlen = errlen };
	char word[WORD_MAX];
	int ret = 0;

	memset(cfg, 0, sizeof(*cfg));
	if (errlen)
		err[0] = 0;
	for (;;) {
		unsigned int line = ps.line;
		enum tok t = lex(&ps, word, sizeof(word));

		if (t == TOK_EOF)
			break;
		if (t == TOK_END)
			continue;
		if (t == TOK_ERROR) {
			ret = -EINVAL;
			break;
		}
		if (t != TOK_WORD || strcmp(word, "conn")) {
			ret = fail(&ps, line, "expected 'conn NAME {', found '%s'",
				   t == TOK_WORD ? word : t == TOK_LBRACE ? "{" : "}");
			break;
		}
		ret = parse_conn(&ps, cfg, line);
		if (ret)
			break;
	}
	if (ret)
		config_free(cfg);
	return ret;
}

int config_load(const char *path, struct config *cfg, char *err, size_t errlen)
{
	struct stat stbuf;
	char *text;
	ssize_t n;
	int fd, ret;

	memset(cfg, 0, sizeof(*cfg));
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (fstat(fd, &stbuf) || !S_ISREG(stbuf.st_mode) || stbuf.st_size > FILE_MAX) {
		snprintf(err, errlen, "%s: not a readable file of at most %d bytes", path, FILE_MAX);
		close(fd);
		return -EINVAL;
	}
	text = malloc(stbuf.st_size + 1);
	if (!text) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, text, stbuf.st_size);
	close(fd);
	if (n != stbuf.st_size) {
		snprintf(err, errlen, "%s: short read", path);
		free(text);
		return -EIO;
	}
	ret = config_parse(path, text, n, cfg, err, errlen);
	OPENSSL_cleanse(text, n);	/* it may hold inline PSKs */
	free(text);
	return ret;
}

void config_free(struct config *cfg)
{
	for (size_t i = 0; i < cfg->n; i++) {
		struct conf_conn *c = &cfg->conns[i];

		OPENSSL_clear_free(c->psk, c->psk_len);
		free(c->cert);
		free(c->key);
		for (size_t j = 0; j < c->n_ca; j++)
			free(c->ca[j]);
		ike_creds_free(c->creds);
	}
	free(cfg->conns);
	memset(cfg, 0, sizeof(*cfg));
}

const struct conf_conn *config_find(const struct config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n; i++)
		if (!strcmp(cfg->conns[i].name, name))
			return &cfg->conns[i];
	return NULL;
}
