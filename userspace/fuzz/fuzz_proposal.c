// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for proposal strings and responder-side selection.
 *
 * Input: byte 0 picks IKE or ESP; then a proposal list as in ike=/esp=,
 * up to a NUL byte; after the NUL, an SA payload body as a peer sends it.
 * Checked: a parsed proposal formats to a string that parses back to the
 * same transforms; our proposals encode into an SA payload that parses
 * back and that selection accepts; and whatever selection picks from a
 * peer's offer is in our proposal and in the peer's.
 */
#include <stdlib.h>
#include <string.h>
#include "proposal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
#define MAX_MINE 8	/* CONF_MAX_PROPOSALS */

static bool has_xf(const struct ike_proposal *p, const struct ike_transform *t)
{
	for (unsigned int i = 0; i < p->n; i++)
		if (p->xf[i].type == t->type && p->xf[i].id == t->id &&
		    p->xf[i].key_len == t->key_len)
			return true;
	return false;
}

static bool same_xfs(const struct ike_proposal *a, const struct ike_proposal *b)
{
	if (a->n != b->n)
		return false;
	for (unsigned int i = 0; i < a->n; i++)
		if (!has_xf(b, &a->xf[i]))
			return false;
	return true;
}

static void check_format(const struct ike_proposal *p, uint8_t proto)
{
	struct ike_proposal again;
	char s[1024], s2[1024], err[256];

	CHECK(proposal_format(p, s, sizeof(s)) >= 0);
	CHECK(!proposal_parse(s, proto, &again, err, sizeof(err)));
	CHECK(same_xfs(p, &again));
	CHECK(proposal_format(&again, s2, sizeof(s2)) >= 0);
	CHECK(!strcmp(s, s2));
}

/* Our list as the SA payload an initiator sends; we must accept our own. */
static void check_offer(const struct ike_proposal *mine, size_t n, uint8_t proto)
{
	static uint8_t buf[8192];
	static struct ike_sa_payload sa, back;
	struct ike_proposal chosen;
	struct ike_wbuf w;
	int len;

	memset(&sa, 0, sizeof(sa));
	for (size_t i = 0; i < n; i++) {
		sa.prop[i] = mine[i];
		sa.prop[i].spi_size = proto == IKE_PROTO_IKE ? 0 : 4;
	}
	sa.n = n;
	ike_wbuf_init(&w, buf, sizeof(buf));
	ike_put_sa(&w, &sa);
	len = ike_wbuf_finish(&w);
	CHECK(len > IKE_GENERIC_HDR_LEN);
	CHECK(ike_parse_sa(IKE_BUF(buf + IKE_GENERIC_HDR_LEN, len - IKE_GENERIC_HDR_LEN),
			   &back) == IKE_OK);
	CHECK(back.n == n);
	for (size_t i = 0; i < n; i++)
		CHECK(same_xfs(&back.prop[i], &mine[i]));
	CHECK(!proposal_select(mine, n, &back, &chosen));
	CHECK(chosen.num == 1 && chosen.protocol == proto);
}

static void check_select(const struct ike_proposal *mine, size_t n,
			 const uint8_t *body, size_t len)
{
	static struct ike_sa_payload peer;
	const struct ike_proposal *from = NULL;
	struct ike_proposal chosen;

	if (ike_parse_sa(IKE_BUF(body, len), &peer) != IKE_OK)
		return;
	if (proposal_select(mine, n, &peer, &chosen))
		return;
	for (unsigned int o = 0; o < peer.n && !from; o++)
		if (peer.prop[o].num == chosen.num && peer.prop[o].protocol == chosen.protocol)
			from = &peer.prop[o];
	CHECK(from && chosen.n > 0);
	for (unsigned int i = 0; i < chosen.n; i++) {
		bool ours = false;

		CHECK(has_xf(from, &chosen.xf[i]));
		for (size_t m = 0; m < n && !ours; m++)
			ours = has_xf(&mine[m], &chosen.xf[i]);
		CHECK(ours);
		CHECK(proposal_get(&chosen, chosen.xf[i].type) != NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_proposal mine[MAX_MINE];
	static char str[4096];
	const uint8_t *nul;
	size_t slen, n;
	uint8_t proto;
	char err[256];

	if (size < 1)
		return 0;
	proto = data[0] & 1 ? IKE_PROTO_ESP : IKE_PROTO_IKE;
	data++, size--;
	nul = memchr(data, 0, size);
	slen = nul ? (size_t)(nul - data) : size;
	if (slen >= sizeof(str))
		return 0;
	memcpy(str, data, slen);
	str[slen] = 0;

	err[0] = 0;
	if (proposal_parse_list(str, proto, mine, MAX_MINE, &n, err, sizeof(err))) {
		CHECK(err[0]);
		return 0;
	}
	CHECK(n >= 1 && n <= MAX_MINE);
	for (size_t i = 0; i < n; i++) {
		CHECK(mine[i].num == i + 1 && mine[i].n > 0);
		check_format(&mine[i], proto);
	}
	check_offer(mine, n, proto);
	if (nul)
		check_select(mine, n, nul + 1, size - slen - 1);
	return 0;
}
