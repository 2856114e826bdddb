// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection for nfsec's packet path.
 *
 * failslab fails the slab allocations made for a marked task. Inbound
 * packets, forwarded packets and the replies the stack sends from softirq
 * (ICMP, TCP ACKs) are processed in no task of ours, and x86-64 has no
 * stack-trace filter to pick nfsec's allocations out of everybody else's.
 * So nfsec has its own fault attribute, as the block layer and sunrpc do:
 * /sys/kernel/debug/fail_nfsec/ takes the knobs of
 * Documentation/fault-injection/fault-injection.rst (probability, interval,
 * times, space, verbose). The packet path's own allocations (AEAD requests,
 * copies on write, AH's header copy, ACQUIRE's queue entries) ask it first
 * and, told to fail, take the path a real failure takes: the packet is
 * dropped and counted as a nomem drop.
 */
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fault-inject.h>

#include "fault.h"

static DECLARE_FAULT_ATTR(nfsec_fail_alloc);
static struct dentry *nfsec_fault_dir;

bool nfsec_inject_alloc_failure(void)
{
	return should_fail(&nfsec_fail_alloc, 1);
}

/* A module that cannot make its debugfs files still works: no error. */
void nfsec_fault_init(void)
{
	struct dentry *dir;

	dir = fault_create_debugfs_attr("fail_nfsec", NULL, &nfsec_fail_alloc);
	nfsec_fault_dir = IS_ERR(dir) ? NULL : dir;
}

void nfsec_fault_exit(void)
{
	debugfs_remove_recursive(nfsec_fault_dir);
}
