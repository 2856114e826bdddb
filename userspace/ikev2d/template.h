/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Per-client policies from the SPD's Name templates: the design deck's
 * Security Gateway has one PROTECT entry "Name: company.com, PFP on the
 * source" for all its users; each user who authenticates as
 * alice@company.com gets an entry of its own, the template's selectors
 * narrowed to that user's Child SA (its inner address), bound to its SAs
 * by their reqid and placed just before the template. A template is a
 * PROTECT policy with a Name and no tunnel endpoints; the entries made
 * from it carry the client's identity as Name and the tunnel endpoints.
 */
#ifndef TEMPLATE_H
#define TEMPLATE_H

#include "ike_sa.h"
#include "kernel.h"

/*
 * Installs the entries for Child SA c of sa, ids receiving their policy
 * ids. Returns how many (0: no template matches the peer: the caller
 * installs policies from the traffic selectors), or a negative errno with
 * err set (what was installed is in ids, *n_ids).
 */
int template_install(struct kernel *k, const struct ike_sa *sa, const struct child_sa *c,
		     uint32_t *ids, size_t max, size_t *n_ids, char *err, size_t errlen);

#endif
