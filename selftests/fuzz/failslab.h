/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Marking a thread for failslab's task filter (fault-injection.rst): once
 * /proc/thread-self/make-it-fail is 1, the slab allocations the kernel
 * makes for this thread (in process context) fail as failslab's debugfs
 * knobs say. A marked thread must not touch files: a failed allocation in
 * the VM's 9p root filesystem breaks it for good. So the file is opened
 * before and kept, memory is locked (no page fault needs an allocation),
 * and nothing is printed until the thread is unmarked.
 */
#ifndef NFSEC_SELFTEST_FAILSLAB_H
#define NFSEC_SELFTEST_FAILSLAB_H

#include <fcntl.h>
#include <stdbool.h>
#include <unistd.h>

/* The calling thread's make-it-fail file, opened while unmarked. */
static inline int fail_open(void)
{
	return open("/proc/thread-self/make-it-fail", O_WRONLY | O_CLOEXEC);
}

/* Writing through an open file allocates nothing: it cannot fail itself. */
static inline bool fail_set(int fd, bool on)
{
	return pwrite(fd, on ? "1" : "0", 1, 0) == 1;
}

#endif
