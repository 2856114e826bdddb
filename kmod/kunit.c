// SPDX-License-Identifier: GPL-2.0
/*
 * nfsec_kunit.ko: the KUnit suites of nfsec (files *_kunit.c), built only
 * against a kernel with CONFIG_KUNIT. The suites run when the module loads.
 */
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for nfsec");
MODULE_IMPORT_NS(NFSEC_KUNIT);
