/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small client of the nfsec generic-netlink family over libnl-genl-3:
 * resolve the family and its events group, send a request and collect its
 * acknowledgement with the kernel's extended-ack text, run a dump (retried
 * when the kernel marks it inconsistent), and receive events.
 *
 * No printing and no exits here: every failure is returned as a negative
 * errno plus, in struct nfsec_nl_err, what the kernel said about it.
 */
#ifndef NFSEC_NL_H
#define NFSEC_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/nfsec.h>

struct nl_msg;
struct nlattr;
struct nlmsghdr;
struct nfsec_nl;

/* What went wrong, as precisely as the kernel told us. */
struct nfsec_nl_err {
	int error;		/* negative errno; 0 on success */
	char msg[256];		/* extack message, or a local explanation */
	bool has_offs;		/* offs: offending attribute, from the start */
	uint32_t offs;		/* of the request's nlmsghdr */
	bool has_miss_type;	/* a required attribute was missing */
	uint32_t miss_type;
	bool has_miss_nest;	/* ... inside the nest at this offset */
	uint32_t miss_nest;
};

/*
 * Called for each reply message with its top-level attributes parsed
 * (tb has NFSEC_A_MAX + 1 entries, NULL when absent). Return 0, or a
 * negative errno to fail the request (the rest of a dump is drained).
 */
typedef int (*nfsec_nl_msg_cb)(const struct nlmsghdr *nlh, struct nlattr **tb,
			       void *arg);
/* A dump is being restarted: forget what the callback collected so far. */
typedef void (*nfsec_nl_restart_cb)(void *arg);

/* How often a dump marked NLM_F_DUMP_INTR is restarted before giving up. */
#define NFSEC_NL_DUMP_RETRIES 10

/* Connect and resolve the family; NULL with *err filled on failure. */
struct nfsec_nl *nfsec_nl_open(struct nfsec_nl_err *err);
/*
 * Use a socket that is already connected, with family as the family id: for
 * tests, where a NETLINK_USERSOCK peer plays the kernel. Takes ownership of
 * sk; NULL when out of memory.
 */
struct nl_sock;
struct nfsec_nl *nfsec_nl_wrap(struct nl_sock *sk, int family);
void nfsec_nl_close(struct nfsec_nl *nl);
/* The socket, for poll() in an event loop. */
int nfsec_nl_fd(const struct nfsec_nl *nl);

/*
 * A new request for cmd with the generic-netlink header filled in; flags
 * such as NLM_F_DUMP. size 0: the default size (a page); a large
 * NFSEC_CMD_POLICY_REPLACE needs more. NULL if out of memory.
 */
struct nl_msg *nfsec_nl_msg_new(struct nfsec_nl *nl, uint8_t cmd, int flags,
				size_t size);

/*
 * Send a request (not a dump), call cb for its reply (cb may be NULL) and
 * wait for the acknowledgement. Returns 0 or a negative errno; err is always
 * filled (an acknowledgement may carry a warning in err->msg). msg is not
 * freed: it is needed to map err->offs to an attribute.
 */
int nfsec_nl_request(struct nfsec_nl *nl, struct nl_msg *msg,
		     nfsec_nl_msg_cb cb, void *arg, struct nfsec_nl_err *err);

/*
 * Send a dump request (msg made with NLM_F_DUMP) and call cb per message.
 * If the kernel marks the dump inconsistent (NLM_F_DUMP_INTR), restart is
 * called and the dump is run again, up to NFSEC_NL_DUMP_RETRIES times; then
 * -EAGAIN. Returns 0 or a negative errno.
 */
int nfsec_nl_dump(struct nfsec_nl *nl, struct nl_msg *msg, nfsec_nl_msg_cb cb,
		  nfsec_nl_restart_cb restart, void *arg,
		  struct nfsec_nl_err *err);

/* Join the events group. The handle is then for events only. */
int nfsec_nl_subscribe(struct nfsec_nl *nl, struct nfsec_nl_err *err);
/*
 * Receive what is pending (blocks when nothing is) and call cb for each
 * event message. Returns 0, -ENOBUFS when events were lost (the socket
 * stays usable), or another negative errno.
 */
int nfsec_nl_recv_events(struct nfsec_nl *nl, nfsec_nl_msg_cb cb, void *arg,
			 struct nfsec_nl_err *err);

/*
 * Where in a request is the attribute at byte offset offs (from an extack)?
 * Fills path[0..depth-1] from the top level down: the attribute's type and
 * its index among the earlier siblings of the same type (the N-th policy in
 * a list). Returns depth, 0 when offs does not start an attribute.
 */
struct nfsec_nl_attr_step {
	uint16_t type;
	uint32_t index;
};

int nfsec_nl_attr_path(struct nl_msg *req, uint32_t offs,
		       struct nfsec_nl_attr_step *path, int max);

/*
 * Read the extended ack (NLMSGERR_ATTR_MSG, _OFFS, _MISS_TYPE, _MISS_NEST)
 * of an NLMSG_ERROR message into err, whether or not the request was echoed
 * (NLM_F_CAPPED). Leaves err alone where the message has none.
 */
void nfsec_nl_parse_ext_ack(const struct nlmsghdr *nlh,
			    struct nfsec_nl_err *err);

/*
 * Start a nest with NLA_F_NESTED set, as the kernel's strict validation
 * requires (libnl's nla_nest_start() does not set it).
 */
struct nlattr *nfsec_nest_start(struct nl_msg *msg, int type);

/* The generic-netlink command of a message ("policy-new", ...). */
const char *nfsec_cmd_name(unsigned int cmd);

#endif /* NFSEC_NL_H */
