// SPDX-License-Identifier: GPL-2.0
/*
 * A test-only module that makes the kernel complain on purpose, so that the
 * bench's splat detector (selftests/vm/run) can be shown to catch it. Never
 * installed; loaded with insmod by selftests/bench/splat.sh.
 */
#include <linux/module.h>
#include <linux/bug.h>

static bool warn;
module_param(warn, bool, 0);
MODULE_PARM_DESC(warn, "WARN_ON() once when loaded");

static int __init nfsec_splat_init(void)
{
	WARN_ON(warn);
	return 0;
}

static void __exit nfsec_splat_exit(void)
{
}

module_init(nfsec_splat_init);
module_exit(nfsec_splat_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nfsec bench: deliberate kernel warning");
