/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_XFORM_KUNIT_H
#define _NFSEC_XFORM_KUNIT_H

#include <kunit/test.h>
#include <linux/skbuff.h>

#include "sad.h"

/* Helpers shared by the ESP and AH suites. */
struct xk_pair {
	struct nfsec_sad *sad;
	struct nfsec_sa *out, *in;
};

void xk_pair_make(struct kunit *test, struct xk_pair *p,
		  struct nfsec_sa_cfg *cfg);
void xk_pair_free(struct xk_pair *p);
void xk_as_received(struct sk_buff *skb);
int xk_esp_run(bool out, struct nfsec_sa *sa, struct sk_buff *skb);
void xk_auth_key(u8 *key, unsigned int len);
void xk_set_addrs(struct nfsec_sa_path *path, u16 family);
struct sk_buff *xk_udp_packet(struct kunit *test, u16 family,
			      unsigned int plen);
struct sk_buff *xk_skb_from(struct kunit *test, const u8 *data,
			    unsigned int len);
bool xk_skb_equal(const struct sk_buff *a, const struct sk_buff *b);
bool xk_skb_equal_buf(const struct sk_buff *skb, unsigned int off,
		      const u8 *buf, unsigned int len);
int xk_check_ip(struct sk_buff *skb);
bool xk_kat_payload(const struct sk_buff *skb, const char *name);
int xk_outer_diff(const struct sk_buff *skb, const u8 *pkt);
int xk_hex2bin(struct kunit *test, const char *hex, u8 **out);

#endif /* _NFSEC_XFORM_KUNIT_H */
