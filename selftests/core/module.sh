#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's life cycle: modprobe, the netlink family, hooks in namespaces
# that exist before and after the load, clean unload.
#
#   init_net          nfsec loaded here
#   early (netns)     created before the load
#   a <--veth--> b    created after the load (10.0.0.1, 10.0.0.2)
#
# (Not on the debug kernel in make check: spd/lifecycle.sh and
# core/teardown.sh run this life cycle there, with state and under load.)
. "$(dirname "$0")/../lib.sh"

# OUT packets that no policy matched in namespace NS (default BYPASS).
nomatch() { n "$1" ipsecctl -j stats | jq ".dir.$2.nomatch"; }

host_add early
nfsec_load
check "nfsec is loaded" grep -q '^nfsec ' /proc/modules
check "the genl family is registered" sh -c 'genl ctrl get name nfsec | grep -q "name: events"'
# Any user may dump the family's policies; the dump once WARNed (a
# validate_fn on an integer attribute), which the bench counts as a failure.
check "its attribute policies dump" q genl ctrl policy name nfsec
check "the family answers in a namespace made before the load" q n early ipsecctl stats

topo_pair
check "the family answers in a namespace made after the load" q n a ipsecctl stats
# nfsec0: where decapsulated packets re-enter (Documentation/design.md).
check "a namespace made before the load has nfsec0" q n early ip link show nfsec0
check "a namespace made after the load has nfsec0, up" \
	sh -c "ip netns exec a ip -o link show nfsec0 | grep -q ',UP'"
check_fail "nfsec0 cannot be deleted" q n a ip link del nfsec0
check_fail "nfsec0 cannot be moved to another namespace" q n a ip link set nfsec0 netns b
check "nfsec0 stays in its namespace" q n a ip link show nfsec0
before=$(nomatch a out)
check "a pings b" ping_ok a 10.0.0.2
check "a pings b over IPv6" ping_ok a fd00::2
after=$(nomatch a out)
check "a's LOCAL_OUT hook counted a's packets ($before -> $after)" test "$after" -ge $((before + 2))
check "b's LOCAL_IN hook counted them" test "$(nomatch b in)" -ge 2
check "namespaces keep separate counters" test "$(nomatch early out)" = 0

ip netns del early
_hosts=(a b)
check "a namespace deleted with nfsec loaded leaves nfsec working" ping_ok a 10.0.0.2
check "nfsec unloads" modprobe -r nfsec
check "it is gone" sh -c '! grep -q "^nfsec " /proc/modules'
check "and loads again" modprobe nfsec
