// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * See privs.h. Raw capget/capset and prctl: two system calls do not
 * justify a dependency on libcap.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include "privs.h"

#define KEEP CAP_NET_ADMIN

static int caps_get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };

	return syscall(SYS_capget, &h, d) ? -errno : 0;
}

static int caps_set(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };

	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

/*
 * The bounding set limits what an execve() could ever give back. Dropping
 * from it needs CAP_SETPCAP: a daemon started without it (not as root)
 * has nothing to bound.
 */
static int drop_bounding(bool may)
{
	int in;

	/* PR_CAPBSET_READ: 1 or 0, and EINVAL past the kernel's last one */
	for (int cap = 0; (in = prctl(PR_CAPBSET_READ, cap, 0, 0, 0)) >= 0; cap++) {
		if (cap == KEEP || !in)
			continue;
		if (!may)
			return 0;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0))
			return -errno;
	}
	return 0;
}

int privs_drop(char *err, size_t len)
{
	struct __user_cap_data_struct d[2];
	unsigned int idx = KEEP / 32, bit = 1u << (KEEP % 32);
	bool setpcap;
	int ret;

	ret = caps_get(d);
	if (ret) {
		snprintf(err, len, "capget: %s", strerror(-ret));
		return ret;
	}
	setpcap = d[CAP_SETPCAP / 32].effective & (1u << (CAP_SETPCAP % 32));
	ret = drop_bounding(setpcap);
	if (ret) {
		snprintf(err, len, "dropping the bounding set: %s", strerror(-ret));
		return ret;
	}
	/* ambient capabilities would survive an execve(); none are wanted */
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	for (int i = 0; i < 2; i++) {
		uint32_t keep = i == (int)idx ? bit : 0;

		d[i].effective &= keep;
		d[i].permitted &= keep;
		d[i].inheritable = 0;
	}
	ret = caps_set(d);
	if (ret) {
		snprintf(err, len, "capset: %s", strerror(-ret));
		return ret;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		ret = -errno;
		snprintf(err, len, "no_new_privs: %s", strerror(-ret));
		return ret;
	}
	return 0;
}
