// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the netlink client (common/nfsec_nl.c) and of ipsecctl's kernel
 * operations (ipc.c) against a scripted fake kernel: a thread with a
 * NETLINK_USERSOCK socket that reads each request and answers it as the
 * nfsec module would (replies, dumps marked NLM_F_DUMP_INTR, errors with
 * extended acks, NLMSG_DONE carrying an error).
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/genl/genl.h>

#include "ipc.h"

#define FAMILY 0x42

struct fake;
typedef void (*script_fn)(struct fake *f, const struct nlmsghdr *req, int n);

/* The fake kernel: answers `requests` requests with `script`. */
struct fake {
	struct nl_sock *sk;
	pthread_t thread;
	script_fn script;
	int requests;
	/* What the last request looked like. */
	uint16_t last_flags;
	uint8_t last_cmd;
	bool last_has_check_only;
	int last_policies;
	int last_dir;		/* the request's NFSEC_A_POLICY DIR, or -1 */
	int last_lists;		/* NFSEC_A_POLICY_LIST attributes */
	/* Replace: each policy decoded, compared with expect[i] (if set). */
	const struct nfsec_policy *expect;
	int mismatches;
	int undecodable;
	/* The last request, for scripts that look deeper. */
	struct nlattr *tb[NFSEC_A_MAX + 1];
};

/* Does a policy decoded back from a request equal the one sent? */
static bool same_policy(const struct nfsec_policy *a,
			const struct nfsec_policy *b)
{
	char sa[NFSEC_ADDR_SEL_STRLEN], sb[NFSEC_ADDR_SEL_STRLEN];

	nfsec_addr_sel_format(&a->sel.src, sa, sizeof(sa));
	nfsec_addr_sel_format(&b->sel.src, sb, sizeof(sb));
	return a->has_dir == b->has_dir && a->dir == b->dir &&
	       a->has_action == b->has_action && a->action == b->action &&
	       a->has_priority == b->has_priority &&
	       a->priority == b->priority && !strcmp(sa, sb) &&
	       a->sel.has_dport == b->sel.has_dport &&
	       a->sel.dport_min == b->sel.dport_min &&
	       a->sel.dport_max == b->sel.dport_max &&
	       a->sel.has_proto == b->sel.has_proto &&
	       a->sel.proto == b->sel.proto;
}

/* Every NFSEC_A_POLICY_LIST of a replace, each policy decoded. */
static void count_lists(struct fake *f, const struct nlmsghdr *req)
{
	struct nlattr *top, *a;
	int rem, r;

	nla_for_each_attr(top, genlmsg_attrdata(nlmsg_data(req), 0),
			  genlmsg_attrlen(nlmsg_data(req), 0), rem) {
		if (nla_type(top) != NFSEC_A_POLICY_LIST)
			continue;
		f->last_lists++;
		nla_for_each_nested(a, top, r) {
			struct nfsec_policy p;

			if (nfsec_policy_parse_nl(a, &p))
				f->undecodable++;
			else if (f->expect &&
				 !same_policy(&p, &f->expect[f->last_policies]))
				f->mismatches++;
			f->last_policies++;
		}
	}
}

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	int fd = nl_socket_get_fd(f->sk);
	uint8_t *buf = NULL;

	for (int n = 0; n < f->requests; n++) {
		/* As large as the request: a big replace is megabytes. */
		ssize_t len = recv(fd, &(char){ 0 }, 1, MSG_PEEK | MSG_TRUNC);
		struct nlattr **tb = f->tb;
		struct nlmsghdr *req;
		struct genlmsghdr *g;

		free(buf);
		buf = len > 0 ? malloc((size_t)len) : NULL;
		if (!buf)
			return NULL;
		len = recv(fd, buf, (size_t)len, 0);
		req = (struct nlmsghdr *)buf;
		g = nlmsg_data(req);
		if (len < (ssize_t)(NLMSG_HDRLEN + GENL_HDRLEN)) {
			free(buf);
			return NULL;
		}
		f->last_flags = req->nlmsg_flags;
		f->last_cmd = g->cmd;
		f->last_policies = 0;
		f->last_lists = 0;
		f->last_dir = -1;
		memset(f->tb, 0, sizeof(f->tb));
		if (!genlmsg_parse(req, 0, tb, NFSEC_A_MAX, NULL)) {
			struct nlattr *pt[NFSEC_POLICY_A_MAX + 1];

			if (tb[NFSEC_A_POLICY] &&
			    !nla_parse_nested(pt, NFSEC_POLICY_A_MAX,
					      tb[NFSEC_A_POLICY], NULL) &&
			    pt[NFSEC_POLICY_A_DIR])
				f->last_dir = nla_get_u8(pt[NFSEC_POLICY_A_DIR]);
			f->last_has_check_only = tb[NFSEC_A_CHECK_ONLY] != NULL;
			if (g->cmd == NFSEC_CMD_POLICY_REPLACE)
				count_lists(f, req);
		}
		f->script(f, req, n);
	}
	free(buf);
	return NULL;
}

static void fake_send(struct fake *f, struct nl_msg *msg)
{
	assert_true(nl_send(f->sk, msg) >= 0);
	nlmsg_free(msg);
}

/* A genl message of the dump or reply, with a policy of this id. */
static void send_policy(struct fake *f, const struct nlmsghdr *req,
			uint32_t id, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;

	genlmsg_put(msg, 0, req->nlmsg_seq, FAMILY, 0, flags,
		    NFSEC_CMD_POLICY_GET, 1);
	nla_put_u32(msg, NFSEC_A_GENERATION, 1);
	nest = nla_nest_start(msg, NFSEC_A_POLICY | NLA_F_NESTED);
	nla_put_u32(msg, NFSEC_POLICY_A_ID, id);
	nla_put_u8(msg, NFSEC_POLICY_A_DIR, NFSEC_DIR_OUT);
	nla_put_u8(msg, NFSEC_POLICY_A_ACTION, NFSEC_ACTION_DISCARD);
	nla_nest_end(msg, nest);
	fake_send(f, msg);
}

static void send_done(struct fake *f, const struct nlmsghdr *req, int error,
		      const char *extack)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI |
						(extack ? NLM_F_ACK_TLVS : 0));

	nlmsg_hdr(msg)->nlmsg_seq = req->nlmsg_seq;
	nlmsg_append(msg, &error, sizeof(error), NLMSG_ALIGNTO);
	if (extack)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, extack);
	fake_send(f, msg);
}

/* NLMSG_ERROR, capped, with an extack message and offset when given. */
static void send_ack(struct fake *f, const struct nlmsghdr *req, int error,
		     const char *extack, uint32_t offs)
{
	struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_CAPPED |
						(extack ? NLM_F_ACK_TLVS : 0));
	struct nlmsgerr e = { .error = error, .msg = *req };

	nlmsg_hdr(msg)->nlmsg_seq = req->nlmsg_seq;
	nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO);
	if (extack) {
		nla_put_string(msg, NLMSGERR_ATTR_MSG, extack);
		if (offs)
			nla_put_u32(msg, NLMSGERR_ATTR_OFFS, offs);
	}
	fake_send(f, msg);
}

static struct nfsec_nl *start(struct fake *f, script_fn script, int requests)
{
	struct nl_sock *client = nl_socket_alloc();
	struct nfsec_nl *nl;

	memset(f, 0, sizeof(*f));
	f->script = script;
	f->requests = requests;
	f->sk = nl_socket_alloc();
	assert_non_null(f->sk);
	assert_int_equal(nl_connect(f->sk, NETLINK_USERSOCK), 0);
	assert_non_null(client);
	assert_int_equal(nl_connect(client, NETLINK_USERSOCK), 0);
	nl_socket_set_peer_port(client, nl_socket_get_local_port(f->sk));
	nl_socket_set_peer_port(f->sk, nl_socket_get_local_port(client));
	nl = nfsec_nl_wrap(client, FAMILY);
	assert_non_null(nl);
	assert_int_equal(pthread_create(&f->thread, NULL, fake_main, f), 0);
	return nl;
}

/* A client for events: the fake kernel sends them all up front. */
static struct nfsec_nl *start_events(struct fake *f, script_fn script)
{
	struct nl_sock *client = nl_socket_alloc();
	struct nfsec_nl *nl;

	memset(f, 0, sizeof(*f));
	f->sk = nl_socket_alloc();
	assert_int_equal(nl_connect(f->sk, NETLINK_USERSOCK), 0);
	assert_int_equal(nl_connect(client, NETLINK_USERSOCK), 0);
	nl_socket_set_peer_port(f->sk, nl_socket_get_local_port(client));
	nl = nfsec_nl_wrap(client, FAMILY);
	assert_non_null(nl);
	script(f, NULL, 0);
	return nl;
}

static void stop(struct fake *f, struct nfsec_nl *nl)
{
	pthread_join(f->thread, NULL);
	nl_socket_free(f->sk);
	nfsec_nl_close(nl);
}

/* ---- dumps ---- */

/* First dump: two policies, the second marked inconsistent; then 3 clean. */
static void script_intr_once(struct fake *f, const struct nlmsghdr *req, int n)
{
	if (n == 0) {
		send_policy(f, req, 1, NLM_F_MULTI);
		send_policy(f, req, 2, NLM_F_MULTI | NLM_F_DUMP_INTR);
		send_done(f, req, 0, NULL);
		return;
	}
	for (uint32_t id = 10; id < 13; id++)
		send_policy(f, req, id, NLM_F_MULTI);
	send_done(f, req, 0, NULL);
}

static void test_dump_retried_on_intr(void **state)
{
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_intr_once, 2);
	struct policy_vec pv;
	struct ipc_err e;

	assert_int_equal(ipc_policy_list(nl, NFSEC_DIR_OUT, &pv, &e), 0);
	/* Only the consistent dump's policies are kept. */
	assert_int_equal(pv.n, 3);
	assert_int_equal(pv.v[0].id, 10);
	assert_int_equal(pv.v[2].id, 12);
	assert_int_equal(pv.v[1].action, NFSEC_ACTION_DISCARD);
	assert_int_equal(f.last_cmd, NFSEC_CMD_POLICY_GET);
	assert_true(f.last_flags & NLM_F_DUMP);
	assert_false(f.last_flags & NLM_F_ACK);
	assert_int_equal(f.last_dir, NFSEC_DIR_OUT);
	policy_vec_free(&pv);
	stop(&f, nl);
}

static void script_intr_always(struct fake *f, const struct nlmsghdr *req,
			       int n)
{
	send_policy(f, req, 1, NLM_F_MULTI | NLM_F_DUMP_INTR);
	send_done(f, req, 0, NULL);
}

static void test_dump_gives_up(void **state)
{
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_intr_always,
				    NFSEC_NL_DUMP_RETRIES + 1);
	struct policy_vec pv;
	struct ipc_err e;

	assert_int_equal(ipc_policy_list(nl, -1, &pv, &e), -EAGAIN);
	assert_non_null(strstr(e.nl.msg, "kept changing"));
	policy_vec_free(&pv);
	stop(&f, nl);
}

/* A long dump spread over many messages (several recv() calls). */
static void script_long_dump(struct fake *f, const struct nlmsghdr *req, int n)
{
	for (uint32_t id = 1; id <= 2000; id++)
		send_policy(f, req, id, NLM_F_MULTI);
	send_done(f, req, 0, NULL);
}

static void test_dump_multipart(void **state)
{
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_long_dump, 1);
	struct policy_vec pv;
	struct ipc_err e;

	assert_int_equal(ipc_policy_list(nl, -1, &pv, &e), 0);
	assert_int_equal(pv.n, 2000);
	for (size_t i = 0; i < pv.n; i++)
		assert_int_equal(pv.v[i].id, i + 1);
	policy_vec_free(&pv);
	stop(&f, nl);
}

/* A kernel that ignored the direction filter: ipsecctl still filters. */
static void test_dump_filter_by_dir(void **state)
{
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_long_dump, 1);
	struct policy_vec pv;
	struct ipc_err e;

	assert_int_equal(ipc_policy_list(nl, NFSEC_DIR_IN, &pv, &e), 0);
	assert_int_equal(f.last_dir, NFSEC_DIR_IN);
	assert_int_equal(pv.n, 0);
	policy_vec_free(&pv);
	stop(&f, nl);
}

static void script_done_error(struct fake *f, const struct nlmsghdr *req,
			      int n)
{
	send_policy(f, req, 1, NLM_F_MULTI);
	send_done(f, req, -EMSGSIZE, "policy too large for a dump message");
}

static void test_dump_done_error(void **state)
{
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_done_error, 1);
	struct policy_vec pv;
	struct ipc_err e;

	assert_int_equal(ipc_policy_list(nl, -1, &pv, &e), -EMSGSIZE);
	assert_string_equal(e.nl.msg, "policy too large for a dump message");
	policy_vec_free(&pv);
	stop(&f, nl);
}

/* ---- requests ---- */

static void script_new_ok(struct fake *f, const struct nlmsghdr *req, int n)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;

	genlmsg_put(msg, 0, req->nlmsg_seq, FAMILY, 0, 0,
		    NFSEC_CMD_POLICY_NEW, 1);
	nest = nla_nest_start(msg, NFSEC_A_POLICY | NLA_F_NESTED);
	nla_put_u32(msg, NFSEC_POLICY_A_ID, 77);
	nla_nest_end(msg, nest);
	nla_put_u32(msg, NFSEC_A_GENERATION, 3);
	fake_send(f, msg);
	send_ack(f, req, 0, NULL, 0);
}

static void test_add_returns_id(void **state)
{
	struct nfsec_policy p = {
		.has_dir = true, .dir = NFSEC_DIR_IN,
		.has_action = true, .action = NFSEC_ACTION_BYPASS,
	};
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_new_ok, 1);
	struct ipc_err e;
	uint32_t id;

	assert_int_equal(ipc_policy_add(nl, &p, &id, &e), 0);
	assert_int_equal(id, 77);
	assert_int_equal(f.last_cmd, NFSEC_CMD_POLICY_NEW);
	assert_true(f.last_flags & NLM_F_ACK);
	stop(&f, nl);
}

/*
 * Reject the request pointing at its first policy's SEL > SPORT_MIN,
 * found by walking the request as the kernel's extack would.
 */
static uint32_t sport_offset(const struct nlmsghdr *req, bool in_list)
{
	struct nlattr *a, *pol = NULL, *sel;
	int rem;

	a = nlmsg_find_attr((struct nlmsghdr *)req, GENL_HDRLEN,
			    in_list ? NFSEC_A_POLICY_LIST : NFSEC_A_POLICY);
	if (!a)
		return 0;
	if (in_list) {
		int i = 0;

		nla_for_each_nested(pol, a, rem)
			if (i++ == 1)
				break;
	} else {
		pol = a;
	}
	sel = nla_find(nla_data(pol), nla_len(pol), NFSEC_POLICY_A_SEL);
	a = nla_find(nla_data(sel), nla_len(sel), NFSEC_SEL_A_SPORT_MIN);
	return (uint32_t)((char *)a - (char *)req);
}

static void script_new_rejected(struct fake *f, const struct nlmsghdr *req,
				int n)
{
	send_ack(f, req, -EINVAL, "ports need TCP, UDP, SCTP or UDP-Lite",
		 sport_offset(req, false));
}

static void test_add_rejected_with_extack(void **state)
{
	struct nfsec_policy p = {
		.has_dir = true, .dir = NFSEC_DIR_OUT,
		.has_action = true, .action = NFSEC_ACTION_BYPASS,
		.sel = { .has_proto = true, .proto = 1, .has_sport = true,
			 .sport_min = 5, .sport_max = 5 },
	};
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_new_rejected, 1);
	struct ipc_err e;
	uint32_t id;

	assert_int_equal(ipc_policy_add(nl, &p, &id, &e), -EINVAL);
	assert_string_equal(e.nl.msg, "ports need TCP, UDP, SCTP or UDP-Lite");
	assert_string_equal(e.where, "policy.sel.sport-min");
	stop(&f, nl);
}

static void script_replace_rejected(struct fake *f, const struct nlmsghdr *req,
				    int n)
{
	send_ack(f, req, -EINVAL, "bad ports", sport_offset(req, true));
}

static void test_replace_error_names_policy(void **state)
{
	struct nfsec_policy v[3] = { 0 };
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_replace_rejected, 1);
	struct ipc_err e;
	uint32_t count;

	for (int i = 0; i < 3; i++) {
		v[i].has_dir = v[i].has_action = true;
		v[i].sel.has_proto = true;
		v[i].sel.proto = 6;
		v[i].sel.has_sport = true;
		v[i].sel.sport_min = v[i].sel.sport_max = (uint16_t)(i + 1);
	}
	assert_int_equal(ipc_policy_replace(nl, v, 3, true, &count, &e), -EINVAL);
	assert_int_equal(f.last_cmd, NFSEC_CMD_POLICY_REPLACE);
	assert_true(f.last_has_check_only);
	assert_int_equal(f.last_policies, 3);
	assert_int_equal(e.policy_index, 1);
	assert_string_equal(e.where, "policy-list.policy[1].sel.sport-min");
	stop(&f, nl);
}

static void script_replace_ok(struct fake *f, const struct nlmsghdr *req, int n)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, req->nlmsg_seq, FAMILY, 0, 0,
		    NFSEC_CMD_POLICY_REPLACE, 1);
	nla_put_u32(msg, NFSEC_A_GENERATION, 9);
	nla_put_u32(msg, NFSEC_A_POLICY_COUNT, (uint32_t)f->last_policies);
	fake_send(f, msg);
	send_ack(f, req, 0, NULL, 0);
}

static void test_replace_big_batch(void **state)
{
	static struct nfsec_policy v[600];
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_replace_ok, 1);
	struct ipc_err e;
	uint32_t count = 0;

	for (size_t i = 0; i < 600; i++) {
		v[i].has_dir = v[i].has_action = true;
		v[i].has_priority = true;
		v[i].priority = (uint32_t)i;
	}
	assert_int_equal(ipc_policy_replace(nl, v, 600, false, &count, &e), 0);
	assert_int_equal(count, 600);
	assert_false(f.last_has_check_only);
	stop(&f, nl);
}

/*
 * 100,000 policies from an SPD file: far more than one 64 KiB attribute
 * holds, so the batch is split over several NFSEC_A_POLICY_LISTs of the one
 * message, and the fake kernel decodes every policy back in order.
 */
/*
 * The message is megabytes: the send buffer must grow to hold it, with
 * SO_SNDBUFFORCE (CAP_NET_ADMIN) or within net.core.wmem_max.
 */
static bool can_send_big(int bytes)
{
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_USERSOCK);
	long wmem_max = 0;
	bool ok;
	FILE *f;

	ok = fd >= 0 && !setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &bytes,
				    sizeof(bytes));
	if (fd >= 0)
		close(fd);
	if (ok)
		return true;
	f = fopen("/proc/sys/net/core/wmem_max", "r");
	if (f) {
		if (fscanf(f, "%ld", &wmem_max) != 1)
			wmem_max = 0;
		fclose(f);
	}
	return wmem_max >= bytes;
}

static void test_replace_split_100k(void **state)
{
	const size_t n = 100000;
	struct policy_file pf;
	struct fake f;
	struct nfsec_nl *nl;
	struct ipc_err e;
	uint32_t count = 0;
	FILE *file;

	if (!can_send_big(16 << 20)) {
		print_message("no CAP_NET_ADMIN and a small net.core.wmem_max: cannot send 100,000 policies\n");
		skip();
	}
	file = tmpfile();
	assert_non_null(file);
	for (size_t i = 0; i < n; i++)
		fprintf(file, "dir %s src 10.%zu.%zu.0/24 proto udp dport %zu action %s priority %zu\n",
			i % 2 ? "in" : "out", (i >> 8) & 0xff, i & 0xff,
			i % 65536, i % 3 ? "bypass" : "discard", i);
	rewind(file);
	assert_int_equal(parse_policy_file(file, "big.conf", &pf, stderr), 0);
	fclose(file);
	assert_int_equal(pf.n, n);

	nl = start(&f, script_replace_ok, 1);
	f.expect = pf.v;
	assert_int_equal(ipc_policy_replace(nl, pf.v, pf.n, false, &count, &e), 0);
	stop(&f, nl);
	assert_int_equal(count, n);
	assert_int_equal(f.last_policies, n);
	assert_true(f.last_lists > 1);
	assert_int_equal(f.undecodable, 0);
	assert_int_equal(f.mismatches, 0);
	policy_file_free(&pf);
}

/* A refusal in a later list names the policy by its place in the batch. */
static uint32_t policy_offset(const struct nlmsghdr *req, int list, int idx)
{
	struct nlattr *top, *a;
	int rem, r, l = 0;

	nla_for_each_attr(top, genlmsg_attrdata(nlmsg_data(req), 0),
			  genlmsg_attrlen(nlmsg_data(req), 0), rem) {
		if (nla_type(top) != NFSEC_A_POLICY_LIST || l++ != list)
			continue;
		nla_for_each_nested(a, top, r)
			if (!idx--)
				return (uint32_t)((char *)a - (char *)req);
	}
	return 0;
}

static void script_replace_second_list(struct fake *f,
				       const struct nlmsghdr *req, int n)
{
	send_ack(f, req, -EINVAL, "bad policy", policy_offset(req, 1, 2));
}

static void test_replace_split_error_index(void **state)
{
	static struct nfsec_policy v[5000];
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_replace_second_list, 1);
	struct ipc_err e;
	uint32_t count;
	char want[64];
	long first_of_second;

	for (size_t i = 0; i < 5000; i++) {
		v[i].has_dir = v[i].has_action = v[i].has_priority = true;
		v[i].priority = (uint32_t)i;
	}
	assert_int_equal(ipc_policy_replace(nl, v, 5000, false, &count, &e), -EINVAL);
	stop(&f, nl);
	assert_true(f.last_lists >= 2);
	/* Policies are all alike: 28 bytes each, (65535 - 4) / 28 per list. */
	first_of_second = (65535 - 4) / 28;
	assert_int_equal(e.policy_index, first_of_second + 2);
	snprintf(want, sizeof(want), "policy-list.policy[%ld]",
		 first_of_second + 2);
	assert_string_equal(e.where, want);
}

static void script_get(struct fake *f, const struct nlmsghdr *req, int n)
{
	if (n == 0) {
		send_policy(f, req, 5, 0);
		send_ack(f, req, 0, NULL, 0);
	} else {
		send_ack(f, req, -ENOENT, "no such policy", 0);
	}
}

static void test_get(void **state)
{
	struct nfsec_policy p;
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_get, 2);
	struct ipc_err e;

	assert_int_equal(ipc_policy_get(nl, 5, &p, &e), 0);
	assert_int_equal(f.last_cmd, NFSEC_CMD_POLICY_GET);
	assert_false(f.last_flags & NLM_F_DUMP);
	assert_int_equal(p.id, 5);
	assert_int_equal(p.action, NFSEC_ACTION_DISCARD);
	assert_int_equal(ipc_policy_get(nl, 6, &p, &e), -ENOENT);
	assert_string_equal(e.nl.msg, "no such policy");
	stop(&f, nl);
}

static void script_lookup(struct fake *f, const struct nlmsghdr *req, int n)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;

	genlmsg_put(msg, 0, req->nlmsg_seq, FAMILY, 0, 0,
		    NFSEC_CMD_POLICY_LOOKUP, 1);
	nest = nla_nest_start(msg, NFSEC_A_LOOKUP | NLA_F_NESTED);
	nla_put_u8(msg, NFSEC_LOOKUP_A_RESULT, NFSEC_ACTION_PROTECT);
	nla_put_u8(msg, NFSEC_LOOKUP_A_TABLE, NFSEC_SPD_S);
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, NFSEC_A_POLICY | NLA_F_NESTED);
	nla_put_u32(msg, NFSEC_POLICY_A_ID, 4);
	nla_put_u8(msg, NFSEC_POLICY_A_DIR, NFSEC_DIR_OUT);
	nla_put_u8(msg, NFSEC_POLICY_A_ACTION, NFSEC_ACTION_PROTECT);
	nla_nest_end(msg, nest);
	fake_send(f, msg);
	send_ack(f, req, 0, NULL, 0);
}

static void test_lookup_reply(void **state)
{
	struct lookup_req r = { .dir = NFSEC_DIR_OUT };
	struct lookup_result res;
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_lookup, 1);
	struct ipc_err e;

	assert_int_equal(nfsec_addr_parse("10.0.0.1", &r.src), 0);
	assert_int_equal(nfsec_addr_parse("10.0.0.2", &r.dst), 0);
	assert_int_equal(ipc_policy_lookup(nl, &r, &res, &e), 0);
	assert_int_equal(res.result, NFSEC_ACTION_PROTECT);
	assert_int_equal(res.table, NFSEC_SPD_S);
	assert_true(res.has_policy);
	assert_int_equal(res.policy.id, 4);
	stop(&f, nl);
}

static void script_stats(struct fake *f, const struct nlmsghdr *req, int n)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *st, *a;

	genlmsg_put(msg, 0, req->nlmsg_seq, FAMILY, 0, 0, NFSEC_CMD_STATS_GET, 1);
	st = nla_nest_start(msg, NFSEC_A_STATS | NLA_F_NESTED);
	a = nla_nest_start(msg, NFSEC_STATS_A_DIR | NLA_F_NESTED);
	nla_put_u8(msg, NFSEC_DIR_STATS_A_DIR, NFSEC_DIR_IN);
	nla_put_u64(msg, NFSEC_DIR_STATS_A_DISCARD, 12);
	nla_nest_end(msg, a);
	a = nla_nest_start(msg, NFSEC_STATS_A_DROP | NLA_F_NESTED);
	nla_put_u32(msg, NFSEC_DROP_STATS_A_REASON, NFSEC_DROP_NO_SA);
	nla_put_u64(msg, NFSEC_DROP_STATS_A_PACKETS, 5);
	nla_nest_end(msg, a);
	for (uint32_t cpu = 0; cpu < 2; cpu++) {
		a = nla_nest_start(msg, NFSEC_STATS_A_CPU | NLA_F_NESTED);
		nla_put_u32(msg, NFSEC_CPU_STATS_A_CPU, cpu);
		nla_put_u64(msg, NFSEC_CPU_STATS_A_CACHE_HITS, 100 + cpu);
		nla_put_u64(msg, NFSEC_CPU_STATS_A_CACHE_MISSES, 7);
		nla_nest_end(msg, a);
	}
	nla_put_u32(msg, NFSEC_STATS_A_POLICIES, 14);
	nla_put_u64(msg, NFSEC_STATS_A_ACQUIRES, 3);
	nla_nest_end(msg, st);
	fake_send(f, msg);
	send_ack(f, req, 0, NULL, 0);
}

static void test_stats_reply(void **state)
{
	struct ctl_stats s;
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_stats, 1);
	struct ipc_err e;

	assert_int_equal(ipc_stats(nl, &s, &e), 0);
	assert_true(s.dir[NFSEC_DIR_IN].present);
	assert_false(s.dir[NFSEC_DIR_OUT].present);
	assert_int_equal(s.dir[NFSEC_DIR_IN].discard, 12);
	assert_true(s.drop[NFSEC_DROP_NO_SA].present);
	assert_int_equal(s.drop[NFSEC_DROP_NO_SA].packets, 5);
	assert_int_equal(s.ncpu, 2);
	assert_int_equal(s.cpu[1].hits, 101);
	assert_true(s.has_policies);
	assert_int_equal(s.policies, 14);
	assert_int_equal(s.acquires, 3);
	assert_false(s.has_larval);
	ctl_stats_free(&s);
	stop(&f, nl);
}

static void script_eperm(struct fake *f, const struct nlmsghdr *req, int n)
{
	send_ack(f, req, -EPERM, NULL, 0);
}

static void test_error_without_extack(void **state)
{
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_eperm, 1);
	struct ipc_err e;

	assert_int_equal(ipc_policy_flush(nl, NFSEC_DIR_FWD, &e), -EPERM);
	assert_string_equal(e.nl.msg, strerror(EPERM));
	assert_string_equal(e.where, "");
	assert_int_equal(f.last_cmd, NFSEC_CMD_POLICY_FLUSH);
	stop(&f, nl);
}

/* ---- SAs ---- */

/* The request's NFSEC_A_SA, decoded; and the SA_PATH if any. */
static struct nfsec_sa req_sa;
static bool req_has_sa, req_show_keys, req_has_path;
static struct nfsec_sa_path req_path;
static uint32_t req_spi_min, req_spi_max;

static void decode_sa_request(struct fake *f)
{
	req_has_sa = f->tb[NFSEC_A_SA] &&
		     !nfsec_sa_parse_nl(f->tb[NFSEC_A_SA], &req_sa);
	req_show_keys = f->tb[NFSEC_A_SHOW_KEYS] != NULL;
	req_has_path = f->tb[NFSEC_A_SA_PATH] &&
		       !nfsec_sa_path_parse_nl(f->tb[NFSEC_A_SA_PATH], &req_path);
	req_spi_min = f->tb[NFSEC_A_SPI_MIN] ? nla_get_u32(f->tb[NFSEC_A_SPI_MIN]) : 0;
	req_spi_max = f->tb[NFSEC_A_SPI_MAX] ? nla_get_u32(f->tb[NFSEC_A_SPI_MAX]) : 0;
}

/* A reply or dump message with an SA, as the kernel sends it. */
static void send_sa(struct fake *f, const struct nlmsghdr *req, uint32_t spi,
		    uint8_t proto, int flags, bool keys)
{
	struct nl_msg *msg = nlmsg_alloc();
	uint8_t src[4] = { 192, 0, 2, 1 }, dst[4] = { 192, 0, 2, 2 };
	uint8_t key[20] = { 1, 2, 3 };
	struct nlattr *sa, *alg, *st, *en;

	genlmsg_put(msg, 0, req->nlmsg_seq, FAMILY, 0, flags, NFSEC_CMD_SA_GET, 1);
	sa = nla_nest_start(msg, NFSEC_A_SA | NLA_F_NESTED);
	nla_put_u32(msg, NFSEC_SA_A_SPI, spi);
	nla_put_u8(msg, NFSEC_SA_A_PROTO, proto);
	nla_put_u8(msg, NFSEC_SA_A_MODE, NFSEC_MODE_TUNNEL);
	nla_put_u8(msg, NFSEC_SA_A_DIR, NFSEC_DIR_OUT);
	nla_put_u16(msg, NFSEC_SA_A_FAMILY, AF_INET);
	nla_put(msg, NFSEC_SA_A_SRC, 4, src);
	nla_put(msg, NFSEC_SA_A_DST, 4, dst);
	nla_put_u32(msg, NFSEC_SA_A_REQID, spi & 0xff);
	alg = nla_nest_start(msg, (proto == IPPROTO_AH ? NFSEC_SA_A_AUTH :
				   NFSEC_SA_A_AEAD) | NLA_F_NESTED);
	nla_put_string(msg, NFSEC_ALG_A_NAME, proto == IPPROTO_AH ?
		       "hmac(sha256)" : "rfc4106(gcm(aes))");
	if (keys)
		nla_put(msg, NFSEC_ALG_A_KEY, 20, key);
	nla_put_u32(msg, NFSEC_ALG_A_ICV_BITS, 128);
	nla_nest_end(msg, alg);
	en = nla_nest_start(msg, NFSEC_SA_A_ENCAP | NLA_F_NESTED);
	nla_put_u16(msg, NFSEC_ENCAP_A_SPORT, 4500);
	nla_put_u16(msg, NFSEC_ENCAP_A_DPORT, 4501);
	nla_nest_end(msg, en);
	st = nla_nest_start(msg, NFSEC_SA_A_STATS | NLA_F_NESTED);
	nla_put_u64(msg, NFSEC_SA_STATS_A_PACKETS, spi * 10ULL);
	nla_nest_end(msg, st);
	nla_nest_end(msg, sa);
	fake_send(f, msg);
}

static void script_sa_ack(struct fake *f, const struct nlmsghdr *req, int n)
{
	decode_sa_request(f);
	send_ack(f, req, 0, NULL, 0);
}

static struct nfsec_sa sample_sa(void)
{
	struct nfsec_sa sa;
	struct parse_error e;
	char line[] = "dir out spi 0x1234 src 192.0.2.1 dst 192.0.2.2 ipsec esp "
		      "mode tunnel reqid 3 enc aes256-sha256 "
		      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
		      "encap espinudp 4500 4500 lifetime hard seconds 60";
	char *argv[64];
	int argc = split_words(line, argv, 64);

	assert_int_equal(parse_sa_add(argc, argv, &sa, &e), 0);
	return sa;
}

static void test_sa_add(void **state)
{
	struct nfsec_sa sa = sample_sa();
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_sa_ack, 1);
	struct ipc_err e;

	assert_int_equal(ipc_sa_add(nl, &sa, &e), 0);
	stop(&f, nl);
	assert_int_equal(f.last_cmd, NFSEC_CMD_SA_NEW);
	assert_true(req_has_sa);
	assert_int_equal(req_sa.spi, 0x1234);
	assert_int_equal(req_sa.mode, NFSEC_MODE_TUNNEL);
	assert_int_equal(req_sa.reqid, 3);
	assert_string_equal(req_sa.enc.name, "cbc(aes)");
	assert_string_equal(req_sa.auth.name, "hmac(sha256)");
	assert_memory_equal(req_sa.auth.key, sa.auth.key, 32);
	assert_int_equal(req_sa.auth.icv_bits, 128);
	assert_true(req_sa.encap.present);
	assert_int_equal(req_sa.hard.add_seconds, 60);
	assert_false(req_sa.has_soft);
}

/* The kernel refuses, pointing at the auth key. */
static void script_sa_rejected(struct fake *f, const struct nlmsghdr *req,
			       int n)
{
	struct nlattr *sa = f->tb[NFSEC_A_SA], *a, *k;
	int rem, r;

	nla_for_each_nested(a, sa, rem)
		if (nla_type(a) == NFSEC_SA_A_AUTH)
			nla_for_each_nested(k, a, r)
				if (nla_type(k) == NFSEC_ALG_A_KEY) {
					send_ack(f, req, -EINVAL, "key length",
						 (uint32_t)((char *)k - (char *)req));
					return;
				}
	send_ack(f, req, -EINVAL, "no auth key?", 0);
}

static void test_sa_add_rejected(void **state)
{
	struct nfsec_sa sa = sample_sa();
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_sa_rejected, 1);
	struct ipc_err e;

	assert_int_equal(ipc_sa_add(nl, &sa, &e), -EINVAL);
	stop(&f, nl);
	assert_string_equal(e.nl.msg, "key length");
	assert_string_equal(e.where, "sa.auth.key");
}

static void script_sa_get(struct fake *f, const struct nlmsghdr *req, int n)
{
	decode_sa_request(f);
	send_sa(f, req, req_sa.spi, req_sa.proto, 0, req_show_keys);
	send_ack(f, req, 0, NULL, 0);
}

static void test_sa_get(void **state)
{
	struct nfsec_sa id = { 0 }, sa;
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_sa_get, 2);
	struct ipc_err e;

	id.has_spi = true;
	id.spi = 0x77;
	id.proto = IPPROTO_ESP;
	assert_int_equal(nfsec_addr_parse("192.0.2.2", &id.dst), 0);
	assert_int_equal(ipc_sa_get(nl, &id, false, &sa, &e), 0);
	assert_int_equal(f.last_cmd, NFSEC_CMD_SA_GET);
	assert_false(f.last_flags & NLM_F_DUMP);
	/* The request names the SA by SPI, PROTO, FAMILY and DST only. */
	assert_true(req_has_sa && req_sa.has_spi);
	assert_int_equal(req_sa.family, AF_INET);
	assert_int_equal(req_sa.dst.family, AF_INET);
	assert_int_equal(req_sa.src.family, AF_UNSPEC);
	assert_false(req_sa.has_mode || req_sa.aead.present);
	assert_false(req_show_keys);
	assert_int_equal(sa.spi, 0x77);
	assert_true(sa.aead.present);
	assert_false(sa.aead.has_key);
	assert_true(sa.has_stats);
	assert_int_equal(sa.stats.packets, 0x77 * 10);

	assert_int_equal(ipc_sa_get(nl, &id, true, &sa, &e), 0);
	stop(&f, nl);
	assert_true(req_show_keys);
	assert_true(sa.aead.has_key);
	assert_int_equal(sa.aead.key_len, 20);
}

/* A dump: interrupted once, then three SAs, one of them AH. */
static void script_sa_dump(struct fake *f, const struct nlmsghdr *req, int n)
{
	decode_sa_request(f);
	if (n == 0) {
		send_sa(f, req, 1, IPPROTO_ESP, NLM_F_MULTI | NLM_F_DUMP_INTR, false);
		send_done(f, req, 0, NULL);
		return;
	}
	send_sa(f, req, 0x101, IPPROTO_ESP, NLM_F_MULTI, req_show_keys);
	send_sa(f, req, 0x102, IPPROTO_AH, NLM_F_MULTI, req_show_keys);
	send_sa(f, req, 0x201, IPPROTO_ESP, NLM_F_MULTI, req_show_keys);
	send_done(f, req, 0, NULL);
}

static void test_sa_list(void **state)
{
	struct nfsec_sa filter = { 0 };
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_sa_dump, 2);
	struct ipc_err e;
	struct sa_vec sv;

	assert_int_equal(ipc_sa_list(nl, &filter, true, &sv, &e), 0);
	stop(&f, nl);
	assert_true(f.last_flags & NLM_F_DUMP);
	assert_false(req_has_sa);	/* no filter: no SA nest */
	assert_true(req_show_keys);
	assert_int_equal(sv.n, 3);
	assert_int_equal(sv.v[0].spi, 0x101);
	assert_int_equal(sv.v[1].proto, IPPROTO_AH);
	assert_true(sv.v[2].aead.has_key);
	sa_vec_free(&sv);

	/* Filters go to the kernel, and are applied whatever it did. */
	nl = start(&f, script_sa_dump, 2);
	filter.proto = IPPROTO_ESP;
	filter.has_reqid = true;
	filter.reqid = 1;
	assert_int_equal(ipc_sa_list(nl, &filter, false, &sv, &e), 0);
	stop(&f, nl);
	assert_true(req_has_sa);
	assert_int_equal(req_sa.proto, IPPROTO_ESP);
	assert_true(req_sa.has_reqid);
	assert_int_equal(req_sa.reqid, 1);
	assert_false(req_sa.has_spi);
	assert_int_equal(sv.n, 2);
	assert_int_equal(sv.v[0].spi, 0x101);
	assert_int_equal(sv.v[1].spi, 0x201);
	sa_vec_free(&sv);
}

static void script_sa_enoent(struct fake *f, const struct nlmsghdr *req, int n)
{
	decode_sa_request(f);
	send_ack(f, req, -ENOENT, "no such SA", 0);
}

static void test_sa_del_and_flush(void **state)
{
	struct nfsec_sa id = { 0 };
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_sa_ack, 3);
	struct ipc_err e;

	id.has_spi = true;
	id.spi = 0xdead;
	id.proto = IPPROTO_AH;
	assert_int_equal(nfsec_addr_parse("2001:db8::2", &id.dst), 0);
	assert_int_equal(ipc_sa_del(nl, &id, &e), 0);
	assert_int_equal(f.last_cmd, NFSEC_CMD_SA_DEL);
	assert_int_equal(req_sa.spi, 0xdead);
	assert_int_equal(req_sa.proto, IPPROTO_AH);
	assert_int_equal(req_sa.family, AF_INET6);
	assert_int_equal(req_sa.dst.family, AF_INET6);

	assert_int_equal(ipc_sa_flush(nl, 0, &e), 0);
	assert_int_equal(f.last_cmd, NFSEC_CMD_SA_FLUSH);
	assert_false(req_has_sa);
	assert_int_equal(ipc_sa_flush(nl, IPPROTO_ESP, &e), 0);
	stop(&f, nl);
	assert_true(req_has_sa);
	assert_int_equal(req_sa.proto, IPPROTO_ESP);
	assert_false(req_sa.has_spi);

	nl = start(&f, script_sa_enoent, 1);
	assert_int_equal(ipc_sa_del(nl, &id, &e), -ENOENT);
	stop(&f, nl);
	assert_string_equal(e.nl.msg, "no such SA");
}

static void test_sa_update(void **state)
{
	struct nfsec_sa_path path = { 0 };
	struct nfsec_sa id = { 0 };
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_sa_ack, 2);
	struct ipc_err e;

	id.has_spi = true;
	id.spi = 0x10;
	id.proto = IPPROTO_ESP;
	assert_int_equal(nfsec_addr_parse("192.0.2.2", &id.dst), 0);
	assert_int_equal(nfsec_addr_parse("192.0.2.1", &path.src), 0);
	assert_int_equal(nfsec_addr_parse("198.51.100.7", &path.dst), 0);
	path.encap.present = true;
	path.encap.sport = 4500;
	path.encap.dport = 31000;
	assert_int_equal(ipc_sa_update(nl, &id, &path, &e), 0);
	assert_int_equal(f.last_cmd, NFSEC_CMD_SA_UPDATE);
	assert_true(req_has_sa && req_has_path);
	assert_int_equal(req_sa.spi, 0x10);
	assert_memory_equal(&req_sa.dst, &id.dst, sizeof(id.dst));
	assert_int_equal(req_path.family, AF_INET);
	assert_memory_equal(&req_path.dst, &path.dst, sizeof(path.dst));
	assert_true(req_path.encap.present);
	assert_int_equal(req_path.encap.dport, 31000);

	/* Encapsulation off: the path has no ENCAP. */
	path.encap.present = false;
	assert_int_equal(ipc_sa_update(nl, &id, &path, &e), 0);
	stop(&f, nl);
	assert_true(req_has_path);
	assert_false(req_path.encap.present);
}

static void script_spi_alloc(struct fake *f, const struct nlmsghdr *req, int n)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *sa;

	decode_sa_request(f);
	genlmsg_put(msg, 0, req->nlmsg_seq, FAMILY, 0, 0, NFSEC_CMD_SPI_ALLOC, 1);
	sa = nla_nest_start(msg, NFSEC_A_SA | NLA_F_NESTED);
	nla_put_u32(msg, NFSEC_SA_A_SPI, req_spi_min ? req_spi_min + 1 : 0xc1a0);
	nla_put_u8(msg, NFSEC_SA_A_PROTO, req_sa.proto);
	nla_put_u16(msg, NFSEC_SA_A_FAMILY, req_sa.family);
	nla_put(msg, NFSEC_SA_A_DST, (int)nfsec_addr_len(req_sa.dst.family),
		req_sa.dst.bytes);
	nla_nest_end(msg, sa);
	fake_send(f, msg);
	send_ack(f, req, 0, NULL, 0);
}

static void test_spi_alloc(void **state)
{
	struct spi_alloc_req r = { 0 };
	struct fake f;
	struct nfsec_nl *nl = start(&f, script_spi_alloc, 2);
	struct ipc_err e;
	uint32_t spi;

	r.id.proto = IPPROTO_ESP;
	assert_int_equal(nfsec_addr_parse("192.0.2.2", &r.id.dst), 0);
	r.id.family = AF_INET;
	assert_int_equal(ipc_spi_alloc(nl, &r, &spi, &e), 0);
	assert_int_equal(f.last_cmd, NFSEC_CMD_SPI_ALLOC);
	assert_int_equal(spi, 0xc1a0);
	assert_false(req_sa.has_spi);
	assert_int_equal(req_spi_min, 0);
	r.has_range = true;
	r.min = 0x1000;
	r.max = 0x1fff;
	assert_int_equal(ipc_spi_alloc(nl, &r, &spi, &e), 0);
	stop(&f, nl);
	assert_int_equal(req_spi_min, 0x1000);
	assert_int_equal(req_spi_max, 0x1fff);
	assert_int_equal(spi, 0x1001);
}

/* ---- events ---- */

static void script_events(struct fake *f, const struct nlmsghdr *req, int n)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest, *sel, *src;
	uint8_t inner[4] = { 10, 8, 0, 5 };

	genlmsg_put(msg, 0, 0, FAMILY, 0, 0, NFSEC_CMD_ACQUIRE, 1);
	nest = nla_nest_start(msg, NFSEC_A_ACQUIRE | NLA_F_NESTED);
	nla_put_u32(msg, NFSEC_ACQUIRE_A_POLICY_ID, 3);
	nla_put_u8(msg, NFSEC_ACQUIRE_A_DIR, NFSEC_DIR_IN);
	sel = nla_nest_start(msg, NFSEC_ACQUIRE_A_SEL | NLA_F_NESTED);
	src = nla_nest_start(msg, NFSEC_SEL_A_SRC | NLA_F_NESTED);
	nla_put(msg, NFSEC_ADDR_A_START, 4, inner);
	nla_put(msg, NFSEC_ADDR_A_END, 4, inner);
	nla_nest_end(msg, src);
	nla_put_u32(msg, NFSEC_SEL_A_PFP, NFSEC_PFP_SRC);
	nla_nest_end(msg, sel);
	nla_put(msg, NFSEC_ACQUIRE_A_PACKET_SRC, 4, inner);
	nla_nest_end(msg, nest);
	fake_send(f, msg);

	/* A hard expire. */
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, FAMILY, 0, 0, NFSEC_CMD_EXPIRE, 1);
	nest = nla_nest_start(msg, NFSEC_A_EXPIRE | NLA_F_NESTED);
	sel = nla_nest_start(msg, NFSEC_EXPIRE_A_SA | NLA_F_NESTED);
	nla_put_u32(msg, NFSEC_SA_A_SPI, 0xabcd);
	nla_put_u8(msg, NFSEC_SA_A_PROTO, IPPROTO_ESP);
	nla_put_u16(msg, NFSEC_SA_A_FAMILY, AF_INET);
	nla_put(msg, NFSEC_SA_A_DST, 4, inner);
	nla_put_u8(msg, NFSEC_SA_A_DIR, NFSEC_DIR_IN);
	nla_put_u32(msg, NFSEC_SA_A_REQID, 4);
	nla_nest_end(msg, sel);
	nla_put_u8(msg, NFSEC_EXPIRE_A_HARD, 1);
	nla_put_u8(msg, NFSEC_EXPIRE_A_REASON, NFSEC_EXPIRE_PACKETS);
	nla_nest_end(msg, nest);
	fake_send(f, msg);

	/* An event this ipsecctl does not know. */
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, FAMILY, 0, 0, 200, 1);
	fake_send(f, msg);
}

struct seen_events {
	int n;
	unsigned int cmd[4];
	struct nfsec_acquire acq;
	struct nfsec_expire exp;
};

static void on_event(unsigned int cmd, const struct nfsec_acquire *a,
		     const struct nfsec_expire *x, void *arg)
{
	struct seen_events *s = arg;

	if (s->n < 4)
		s->cmd[s->n] = cmd;
	if (a)
		s->acq = *a;
	if (x)
		s->exp = *x;
	s->n++;
}

static void test_events(void **state)
{
	struct seen_events seen = { 0 };
	struct fake f;
	struct nfsec_nl *nl = start_events(&f, script_events);
	struct nfsec_addr inner;
	struct ipc_err e;

	while (seen.n < 3)
		if (ipc_recv_events(nl, on_event, &seen, &e))
			fail_msg("events: %s (%d)", e.nl.msg, e.nl.error);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.cmd[0], NFSEC_CMD_ACQUIRE);
	assert_int_equal(seen.cmd[1], NFSEC_CMD_EXPIRE);
	assert_int_equal(seen.cmd[2], 200);
	assert_true(seen.exp.hard);
	assert_true(seen.exp.has_reason);
	assert_int_equal(seen.exp.reason, NFSEC_EXPIRE_PACKETS);
	assert_int_equal(seen.exp.sa.spi, 0xabcd);
	assert_int_equal(seen.exp.sa.dir, NFSEC_DIR_IN);
	assert_int_equal(seen.exp.sa.reqid, 4);
	assert_int_equal(seen.acq.policy_id, 3);
	assert_int_equal(seen.acq.sel.pfp, NFSEC_PFP_SRC);
	assert_true(seen.acq.sel.src.is_range);
	assert_int_equal(nfsec_addr_parse("10.8.0.5", &inner), 0);
	assert_true(nfsec_addr_sel_contains(&seen.acq.sel.src, &inner));
	assert_memory_equal(&seen.acq.packet_src, &inner, sizeof(inner));
	nl_socket_free(f.sk);
	nfsec_nl_close(nl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump_retried_on_intr),
		cmocka_unit_test(test_dump_gives_up),
		cmocka_unit_test(test_dump_multipart),
		cmocka_unit_test(test_dump_filter_by_dir),
		cmocka_unit_test(test_dump_done_error),
		cmocka_unit_test(test_add_returns_id),
		cmocka_unit_test(test_add_rejected_with_extack),
		cmocka_unit_test(test_replace_error_names_policy),
		cmocka_unit_test(test_replace_big_batch),
		cmocka_unit_test(test_replace_split_100k),
		cmocka_unit_test(test_replace_split_error_index),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_lookup_reply),
		cmocka_unit_test(test_stats_reply),
		cmocka_unit_test(test_error_without_extack),
		cmocka_unit_test(test_sa_add),
		cmocka_unit_test(test_sa_add_rejected),
		cmocka_unit_test(test_sa_get),
		cmocka_unit_test(test_sa_list),
		cmocka_unit_test(test_sa_del_and_flush),
		cmocka_unit_test(test_sa_update),
		cmocka_unit_test(test_spi_alloc),
		cmocka_unit_test(test_events),
	};

	return cmocka_run_group_tests_name("nfsec_nl", tests, NULL, NULL);
}
