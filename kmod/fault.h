/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _NFSEC_FAULT_H
#define _NFSEC_FAULT_H

#include <linux/types.h>

/*
 * Fault injection on the packet path (fault.c): with
 * CONFIG_FAULT_INJECTION_DEBUG_FS, /sys/kernel/debug/fail_nfsec/ decides
 * which of nfsec's packet-path allocations fail; without it, none do and
 * the check compiles away.
 */
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
bool nfsec_inject_alloc_failure(void);
void nfsec_fault_init(void);
void nfsec_fault_exit(void);
#else
static inline bool nfsec_inject_alloc_failure(void) { return false; }
static inline void nfsec_fault_init(void) { }
static inline void nfsec_fault_exit(void) { }
#endif

#endif /* _NFSEC_FAULT_H */
