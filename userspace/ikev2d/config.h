/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /etc/nfsec/ikev2d.conf: connections in blocks, one setting per line or
 * separated by ';'. See ikev2d.conf(5) for the syntax and every keyword.
 *
 * Parsing produces neutral structs and does not touch the network; the
 * files a connection names are read: psk-file so that its secret is held
 * like an inline one, cert, key and ca into the connection's credentials
 * (cert.h), so that a bad certificate or key stops the daemon at start.
 * Errors are "FILE:LINE: problem".
 */
#ifndef CONFIG_H
#define CONFIG_H

#include <stdbool.h>
#include "cert.h"
#include "ike_msg.h"

#define CONF_DEFAULT_PATH "/etc/nfsec/ikev2d.conf"
#define CONF_MAX_PROPOSALS 8
#define CONF_MAX_TS 8
#define CONF_NAME_MAX 64
#define CONF_ID_MAX 256
#define CONF_MAX_CA 8
#define CONF_MAX_POOLS 4
#define CONF_MAX_DNS 4
#define CONF_MAX_VIPS 2
#define CONF_POOL_MAX 64	/* text of a pool */
#define CONF_IFNAME_MAX 16	/* IFNAMSIZ */

enum conf_auth {
	CONF_AUTH_NONE,
	CONF_AUTH_PSK,
	CONF_AUTH_PUBKEY,
};

enum conf_mode {
	CONF_MODE_TUNNEL,
	CONF_MODE_TRANSPORT,
};

enum conf_start {
	CONF_START_NONE,	/* responder only */
	CONF_START_START,	/* initiate when the daemon starts */
	CONF_START_TRAP,	/* initiate on the kernel's ACQUIRE */
};

struct conf_addr {
	int family;		/* AF_INET, AF_INET6, or 0 for %any */
	uint8_t addr[16];
};

struct conf_id {
	uint8_t type;		/* IKE_ID_*, or 0: any (remote) / our address (local) */
	char text[CONF_ID_MAX];
	uint8_t data[CONF_ID_MAX];	/* payload encoding; DER for a DN */
	size_t len;
};

struct conf_conn {
	char name[CONF_NAME_MAX];
	unsigned int line;
	struct conf_addr local, remote;
	struct conf_id local_id, remote_id;
	enum conf_auth auth;
	uint8_t *psk;
	size_t psk_len;
	char *cert, *key;
	char *ca[CONF_MAX_CA];	/* CA files */
	size_t n_ca;
	bool rsa_pss;		/* sign with RSASSA-PSS */
	struct ike_creds *creds;	/* loaded from cert, key, ca (auth pubkey) */
	struct ike_proposal ike[CONF_MAX_PROPOSALS];
	size_t n_ike;
	struct ike_proposal esp[CONF_MAX_PROPOSALS];
	size_t n_esp;
	/* empty: the connection's own address (dynamic for %any) */
	struct ike_ts local_ts[CONF_MAX_TS];
	size_t n_local_ts;
	struct ike_ts remote_ts[CONF_MAX_TS];
	size_t n_remote_ts;
	enum conf_mode mode;
	enum conf_start start;
	uint32_t rekey;		/* seconds, Child SA */
	uint32_t lifetime;	/* seconds, Child SA hard limit */
	uint32_t ike_rekey;	/* seconds */
	uint32_t dpd;		/* seconds, 0 = off */
	uint32_t keepalive;	/* NAT keepalive interval behind a NAT, seconds, 0 = off */
	bool fragmentation;	/* RFC 7383: advertise, reassemble, fragment */
	uint16_t fragment_size;	/* IP datagram bytes our fragments fit in */
	bool mobike;		/* RFC 4555: offer/accept MOBIKE_SUPPORTED */
	/* gateway: address pools for CFG_REPLY (pool.h), DNS servers */
	char pools[CONF_MAX_POOLS][CONF_POOL_MAX];
	size_t n_pools;
	struct conf_addr dns[CONF_MAX_DNS];
	size_t n_dns;
	/* client: virtual addresses to ask for (all zeros: any of the family),
	 * and the interface they go on */
	struct conf_addr vips[CONF_MAX_VIPS];
	size_t n_vips;
	char vip_interface[CONF_IFNAME_MAX];
};

struct config {
	struct conf_conn *conns;
	size_t n;
};

/* From memory; file names the text in messages. */
int config_parse(const char *file, const char *text, size_t len, struct config *cfg,
		 char *err, size_t errlen);
int config_load(const char *path, struct config *cfg, char *err, size_t errlen);
/* Zeroes the secrets. */
void config_free(struct config *cfg);
const struct conf_conn *config_find(const struct config *cfg, const char *name);

#endif
