// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Proposal strings (strongSwan syntax) to IANA transform lists, and
 * responder-side proposal selection.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "ike_crypto.h"
#include "proposal.h"

#define FOR_IKE 1
#define FOR_ESP 2
#define FOR_BOTH (FOR_IKE | FOR_ESP)

struct alg_token {
	const char *name;
	uint8_t type;
	uint16_t id;
	uint16_t key_len;
	uint8_t protos;
};

/* The first name of a transform is the one proposal_format() prints. */
static const struct alg_token tokens[] = {
	{ "aes128", IKE_TRANS_ENCR, IKE_ENCR_AES_CBC, 128, FOR_BOTH },
	{ "aes192", IKE_TRANS_ENCR, IKE_ENCR_AES_CBC, 192, FOR_BOTH },
	{ "aes256", IKE_TRANS_ENCR, IKE_ENCR_AES_CBC, 256, FOR_BOTH },
	{ "aes128gcm16", IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_16, 128, FOR_BOTH },
	{ "aes192gcm16", IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_16, 192, FOR_BOTH },
	{ "aes256gcm16", IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_16, 256, FOR_BOTH },
	{ "aes128gcm", IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_16, 128, FOR_BOTH },
	{ "aes256gcm", IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_16, 256, FOR_BOTH },
	{ "aes128gcm12", IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_12, 128, FOR_BOTH },
	{ "aes256gcm12", IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_12, 256, FOR_BOTH },
	{ "aes128gcm8", IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_8, 128, FOR_BOTH },
	{ "aes256gcm8", IKE_TRANS_ENCR, IKE_ENCR_AES_GCM_8, 256, FOR_BOTH },
	{ "chacha20poly1305", IKE_TRANS_ENCR, IKE_ENCR_CHACHA20_POLY1305, 0, FOR_BOTH },
	{ "sha1", IKE_TRANS_INTEG, IKE_INTEG_HMAC_SHA1_96, 0, FOR_BOTH },
	{ "sha256", IKE_TRANS_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0, FOR_BOTH },
	{ "sha384", IKE_TRANS_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0, FOR_BOTH },
	{ "sha512", IKE_TRANS_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0, FOR_BOTH },
	{ "sha2_256", IKE_TRANS_INTEG, IKE_INTEG_HMAC_SHA2_256_128, 0, FOR_BOTH },
	{ "sha2_384", IKE_TRANS_INTEG, IKE_INTEG_HMAC_SHA2_384_192, 0, FOR_BOTH },
	{ "sha2_512", IKE_TRANS_INTEG, IKE_INTEG_HMAC_SHA2_512_256, 0, FOR_BOTH },
	{ "prfsha1", IKE_TRANS_PRF, IKE_PRF_HMAC_SHA1, 0, FOR_IKE },
	{ "prfsha256", IKE_TRANS_PRF, IKE_PRF_HMAC_SHA2_256, 0, FOR_IKE },
	{ "prfsha384", IKE_TRANS_PRF, IKE_PRF_HMAC_SHA2_384, 0, FOR_IKE },
	{ "prfsha512", IKE_TRANS_PRF, IKE_PRF_HMAC_SHA2_512, 0, FOR_IKE },
	{ "prfaesxcbc", IKE_TRANS_PRF, IKE_PRF_AES128_XCBC, 0, FOR_IKE },
	{ "modp2048", IKE_TRANS_KE, IKE_KE_MODP2048, 0, FOR_BOTH },
	{ "modp3072", IKE_TRANS_KE, IKE_KE_MODP3072, 0, FOR_BOTH },
	{ "ecp256", IKE_TRANS_KE, IKE_KE_ECP256, 0, FOR_BOTH },
	{ "ecp384", IKE_TRANS_KE, IKE_KE_ECP384, 0, FOR_BOTH },
	{ "x25519", IKE_TRANS_KE, IKE_KE_X25519, 0, FOR_BOTH },
	{ "curve25519", IKE_TRANS_KE, IKE_KE_X25519, 0, FOR_BOTH },
	{ "noesn", IKE_TRANS_ESN, IKE_ESN_NO, 0, FOR_ESP },
	{ "esn", IKE_TRANS_ESN, IKE_ESN_YES, 0, FOR_ESP },
};

#define N_TOKENS (sizeof(tokens) / sizeof(tokens[0]))

/* strongSwan's canonical order, also the order transforms are sent in */
static const uint8_t type_order[] = {
	IKE_TRANS_ENCR, IKE_TRANS_INTEG, IKE_TRANS_PRF, IKE_TRANS_KE, IKE_TRANS_ESN,
};

static const struct alg_token *find_token(const char *name, size_t len)
{
	for (size_t i = 0; i < N_TOKENS; i++)
		if (strlen(tokens[i].name) == len && !strncmp(tokens[i].name, name, len))
			return &tokens[i];
	return NULL;
}

static bool has_transform(const struct ike_proposal *p, uint8_t type, uint16_t id,
			  uint16_t key_len)
{
	for (unsigned int i = 0; i < p->n; i++)
		if (p->xf[i].type == type && p->xf[i].id == id && p->xf[i].key_len == key_len)
			return true;
	return false;
}

static bool has_type(const struct ike_proposal *p, uint8_t type)
{
	for (unsigned int i = 0; i < p->n; i++)
		if (p->xf[i].type == type)
			return true;
	return false;
}

static int add_transform(struct ike_proposal *p, uint8_t type, uint16_t id, uint16_t key_len)
{
	if (has_transform(p, type, id, key_len))
		return 0;
	if (p->n >= IKE_MAX_TRANSFORMS)
		return -E2BIG;
	p->xf[p->n++] = (struct ike_transform){ .type = type, .id = id, .key_len = key_len };
	return 0;
}

/* IKE: HMAC-SHA2-x integrity implies PRF-HMAC-SHA2-x when none is named. */
static uint16_t prf_for_integ(uint16_t integ)
{
	switch (integ) {
	case IKE_INTEG_HMAC_SHA1_96: return IKE_PRF_HMAC_SHA1;
	case IKE_INTEG_HMAC_SHA2_256_128: return IKE_PRF_HMAC_SHA2_256;
	case IKE_INTEG_HMAC_SHA2_384_192: return IKE_PRF_HMAC_SHA2_384;
	default: return IKE_PRF_HMAC_SHA2_512;
	}
}

/* Sorts transforms into type_order, keeping the order within a type. */
static void sort_transforms(struct ike_proposal *p)
{
	struct ike_transform tmp[IKE_MAX_TRANSFORMS];
	unsigned int n = 0;

	for (size_t t = 0; t < sizeof(type_order); t++)
		for (unsigned int i = 0; i < p->n; i++)
			if (p->xf[i].type == type_order[t])
				tmp[n++] = p->xf[i];
	memcpy(p->xf, tmp, n * sizeof(tmp[0]));
}

static int check_proposal(struct ike_proposal *p, const char *str, char *err, size_t errlen)
{
	bool aead = false, classic = false;

	for (unsigned int i = 0; i < p->n; i++) {
		if (p->xf[i].type != IKE_TRANS_ENCR)
			continue;
		if (ike_encr_is_aead(p->xf[i].id))
			aead = true;
		else
			classic = true;
	}
	if (!aead && !classic) {
		snprintf(err, errlen, "'%s': no encryption algorithm", str);
		return -EINVAL;
	}
	if (aead && classic) {
		snprintf(err, errlen, "'%s': cannot mix AEAD and non-AEAD encryption "
			 "in one proposal", str);
		return -EINVAL;
	}
	if (aead && has_type(p, IKE_TRANS_INTEG)) {
		snprintf(err, errlen, "'%s': an AEAD algorithm takes no integrity algorithm", str);
		return -EINVAL;
	}
	if (classic && !has_type(p, IKE_TRANS_INTEG)) {
		snprintf(err, errlen, "'%s': no integrity algorithm (e.g. sha256)", str);
		return -EINVAL;
	}
	if (p->protocol == IKE_PROTO_IKE) {
		if (!has_type(p, IKE_TRANS_PRF)) {
			if (aead) {
				snprintf(err, errlen, "'%s': an AEAD IKE proposal needs a PRF "
					 "(e.g. prfsha384)", str);
				return -EINVAL;
			}
			for (unsigned int i = 0, n = p->n; i < n; i++)
				if (p->xf[i].type == IKE_TRANS_INTEG &&
				    add_transform(p, IKE_TRANS_PRF, prf_for_integ(p->xf[i].id), 0))
					return -E2BIG;
		}
		if (!has_type(p, IKE_TRANS_KE)) {
			snprintf(err, errlen, "'%s': no key exchange group (e.g. x25519)", str);
			return -EINVAL;
		}
	} else if (!has_type(p, IKE_TRANS_ESN) && add_transform(p, IKE_TRANS_ESN, IKE_ESN_NO, 0)) {
		return -E2BIG;
	}
	sort_transforms(p);
	return 0;
}

int proposal_parse(const char *str, uint8_t protocol, struct ike_proposal *out,
		   char *err, size_t errlen)
{
	uint8_t mask = protocol == IKE_PROTO_IKE ? FOR_IKE : FOR_ESP;
	const char *s = str;
	int ret;

	memset(out, 0, sizeof(*out));
	out->num = 1;
	out->protocol = protocol;
	out->spi_size = protocol == IKE_PROTO_IKE ? 0 : 4;
	if (protocol != IKE_PROTO_IKE && protocol != IKE_PROTO_ESP) {
		snprintf(err, errlen, "unsupported protocol %u", protocol);
		return -EINVAL;
	}
	for (;;) {
		size_t len = strcspn(s, "-");
		const struct alg_token *t = find_token(s, len);

		if (!len) {
			snprintf(err, errlen, "'%s': empty algorithm name", str);
			return -EINVAL;
		}
		if (!t) {
			snprintf(err, errlen, "'%s': unknown algorithm '%.*s'", str, (int)len, s);
			return -EINVAL;
		}
		if (!(t->protos & mask)) {
			snprintf(err, errlen, "'%s': '%s' is not valid in an %s proposal", str,
				 t->name, protocol == IKE_PROTO_IKE ? "IKE" : "ESP");
			return -EINVAL;
		}
		if (add_transform(out, t->type, t->id, t->key_len)) {
			snprintf(err, errlen, "'%s': too many algorithms", str);
			return -EINVAL;
		}
		if (!s[len])
			break;
		s += len + 1;
	}
	ret = check_proposal(out, str, err, errlen);
	if (ret == -E2BIG) {
		snprintf(err, errlen, "'%s': too many algorithms", str);
		return -EINVAL;
	}
	return ret;
}

int proposal_parse_list(const char *list, uint8_t protocol, struct ike_proposal *out,
			size_t max, size_t *n, char *err, size_t errlen)
{
	const char *s = list;
	char one[256];

	*n = 0;
	for (;;) {
		size_t len = strcspn(s, ",");
		int ret;

		while (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len >= sizeof(one)) {
			snprintf(err, errlen, "proposal '%.20s...' is too long", s);
			return -EINVAL;
		}
		if (*n >= max) {
			snprintf(err, errlen, "more than %zu proposals", max);
			return -EINVAL;
		}
		memcpy(one, s, len);
		one[len] = 0;
		ret = proposal_parse(one, protocol, &out[*n], err, errlen);
		if (ret)
			return ret;
		out[*n].num = *n + 1;
		(*n)++;
		s = strchr(s, ',');
		if (!s)
			return 0;
		s++;
	}
}

int proposal_format(const struct ike_proposal *p, char *buf, size_t len)
{
	size_t off = 0;

	if (len)
		buf[0] = 0;
	for (unsigned int i = 0; i < p->n; i++) {
		const struct ike_transform *x = &p->xf[i];
		const char *name = NULL;
		char unknown[32];
		int w;

		for (size_t t = 0; t < N_TOKENS && !name; t++)
			if (tokens[t].type == x->type && tokens[t].id == x->id &&
			    tokens[t].key_len == x->key_len)
				name = tokens[t].name;
		/* "no ESN" alone is the default and stays implicit, as in
		 * strings; beside "esn" it is a real alternative */
		if (x->type == IKE_TRANS_ESN && x->id == IKE_ESN_NO &&
		    !has_transform(p, IKE_TRANS_ESN, IKE_ESN_YES, 0))
			continue;
		if (!name) {
			snprintf(unknown, sizeof(unknown), "%u:%u", x->type, x->id);
			name = unknown;
		}
		w = snprintf(buf + off, len > off ? len - off : 0, "%s%s", off ? "-" : "", name);
		if (w < 0)
			return -EINVAL;
		off += w;
	}
	return off < len ? (int)off : -ENOSPC;
}

const struct ike_transform *proposal_get(const struct ike_proposal *p, uint8_t type)
{
	for (unsigned int i = 0; i < p->n; i++)
		if (p->xf[i].type == type)
			return &p->xf[i];
	return NULL;
}

/* A type one side leaves out matches only the other side's "none" (id 0:
 * no KE, no integrity, no ESN). */
static bool lists_none(const struct ike_proposal *p, uint8_t type)
{
	return type != IKE_TRANS_ENCR && type != IKE_TRANS_PRF &&
	       has_transform(p, type, 0, 0);
}

static bool match(const struct ike_proposal *mine, const struct ike_proposal *peer,
		  struct ike_proposal *chosen)
{
	memset(chosen, 0, sizeof(*chosen));
	/* RFC 7296 §3.3.6: a transform type or attribute we do not know makes
	 * the whole proposal unacceptable */
	for (unsigned int i = 0; i < peer->n; i++)
		if (peer->xf[i].unknown_attr || !memchr(type_order, peer->xf[i].type,
							 sizeof(type_order)))
			return false;
	for (size_t t = 0; t < sizeof(type_order); t++) {
		uint8_t type = type_order[t];
		bool in_mine = has_type(mine, type), in_peer = has_type(peer, type);
		const struct ike_transform *pick = NULL;

		if (!in_mine && !in_peer)
			continue;
		if (!in_mine || !in_peer) {
			if (!lists_none(in_mine ? mine : peer, type))
				return false;
			continue;
		}
		for (unsigned int i = 0; i < mine->n && !pick; i++)
			if (mine->xf[i].type == type &&
			    has_transform(peer, type, mine->xf[i].id, mine->xf[i].key_len))
				pick = &mine->xf[i];
		if (!pick)
			return false;
		chosen->xf[chosen->n++] = *pick;
	}
	return chosen->n > 0;
}

int proposal_select(const struct ike_proposal *mine, size_t n_mine,
		    const struct ike_sa_payload *offered, struct ike_proposal *chosen)
{
	for (size_t m = 0; m < n_mine; m++) {
		for (unsigned int o = 0; o < offered->n; o++) {
			const struct ike_proposal *peer = &offered->prop[o];

			if (peer->protocol != mine[m].protocol || !match(&mine[m], peer, chosen))
				continue;
			chosen->num = peer->num;
			chosen->protocol = peer->protocol;
			chosen->spi_size = peer->spi_size;
			memcpy(chosen->spi, peer->spi, sizeof(chosen->spi));
			return 0;
		}
	}
	memset(chosen, 0, sizeof(*chosen));
	return -ENOENT;
}
