#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Life cycle with state: namespaces made after the load get enforcement;
# held packets time out exactly once; a namespace deleted and the module
# unloaded with policies, larval entries and held packets present leave
# nothing behind (the debug kernel's kmemleak and KASAN check that).
#
#   a 10.0.0.1 fd00::1 <--veth--> b 10.0.0.2 fd00::2     (made after load)
#   c 10.0.0.1         <--veth--> d 10.0.0.2             (deleted with state)
#
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/traffic.bash"
trap '_traffic_cleanup; _cleanup' EXIT

nfsec_load
topo_pair

log "--- a namespace made after the load enforces its own SPD"
check "a pings b before any policy" ping_ok a 10.0.0.2
n a ipsecctl policy add dir out proto icmp type 8 action discard >/dev/null
check_fail "an OUT DISCARD of echo requests in a stops a's pings" ping_ok a 10.0.0.2
check "b's pings to a (echo replies from a) pass" ping_ok b 10.0.0.1
check_eq "a counted the discard" 1 "$(spd_stat a '.drops.discard')"

log "--- held packets: at most four per entry; expiry drops them once"
param=/sys/module/nfsec/parameters/larval_timeout_ms
echo 600000 >$param
n a ipsecctl policy add dir out proto udp dport 9000-9001 pfp dport action protect ipsec esp >/dev/null
for port in 1 2 3 4 5 6; do
	echo x | n a socat -u STDIN UDP4:10.0.0.2:9000,sourceport=$((4000 + port)) || true
done
check_eq "six datagrams, one larval entry" 1 "$(spd_stat a .larval)"
check_eq "four are held, two dropped (queue full)" 2 "$(spd_stat a '.drops["no-sa"]')"
# The next entry lives 1 s, which a slow VM can outlast before it reads the
# counters: count ACQUIREs (they only grow) rather than live entries.
echo 1000 >$param
echo x | n a socat -u STDIN UDP4:10.0.0.2:9001 || true
check_eq "another port, another entry (pfp dport)" 2 "$(spd_stat a .acquires)"
larval_is() { test "$(spd_stat a .larval)" = "$1"; }
wait_for 20 larval_is 1
check_eq "its held packet expired, counted once" 1 "$(spd_stat a '.drops["acquire-timeout"]')"
echo 30000 >$param

log "--- deleting a namespace with policies, larval entries and held packets"
host_add c d
link_add c d
addr_add c eth-d 10.0.0.1/24
addr_add d eth-c 10.0.0.2/24
n c ipsecctl policy add dir out dst 10.0.0.0/24 pfp dst,dport action protect ipsec esp >/dev/null
n c ipsecctl policy add dir in action discard >/dev/null
for port in 1 2 3; do
	echo x | n c socat -u STDIN UDP4:10.0.0.2:$((9000 + port)) || true
done
check_eq "c has three larval entries" 3 "$(spd_stat c .larval)"
ip netns del c
_hosts=(a b d)
check "nfsec still works in a" q n a ipsecctl stats

log "--- unloading with state in a"
n a ipsecctl policy add dir out proto tcp action protect ipsec esp >/dev/null
tcp_ok a b 10.0.0.2 7000 || true
check "a has a larval entry with held SYNs" test "$(spd_stat a .larval)" -ge 1
check "a has policies" test "$(spd_stat a .policies)" -ge 3
check "nfsec unloads with namespaces, policies and held packets alive" modprobe -r nfsec
check "and loads again" modprobe nfsec
