#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The nfsec demo, played inside the bench VM. Two hosts, a and b, joined by
# a veth pair:
#
#   a (10.0.0.1, fd00::1) <--veth--> b (10.0.0.2, fd00::2)
#
# The demo loads nfsec, shows its control interface in each namespace and
# its counters moving with real traffic.
. "$(dirname "$0")/../lib.sh"

say() { printf '\n=== %s\n' "$*"; }

say "loading nfsec with modprobe"
nfsec_load
grep '^nfsec ' /proc/modules
dmesg | grep 'nfsec:' | tail -n 2

say "its generic-netlink family, as the kernel lists it"
genl ctrl get name nfsec

say "two hosts as network namespaces"
topo_pair
n a ip -brief addr show dev eth-b

say "the nfsec family is there in each namespace"
check "family visible in host a" n a genl ctrl get name nfsec
check "family visible in host b" n b genl ctrl get name nfsec

say "traffic between the hosts: nfsec's SPD is empty, so everything is BYPASSed"
check "a pings b over IPv4" ping_ok a 10.0.0.2
check "a pings b over IPv6" ping_ok a fd00::2
