#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Atomic replace under traffic: a pings b without pause while a's SPD is
# replaced again and again by SPDs that all allow ICMP but put a final ANY
# DISCARD and the ICMP BYPASS in different orders of insertion. A replace
# that showed readers a partial SPD would drop pings.
#
#   a 10.0.0.1 fd00::1 <--veth--> b 10.0.0.2 fd00::2
#
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/traffic.bash"
trap '_traffic_cleanup; _cleanup' EXIT

topo_pair
nfsec_load

# SPD one: DISCARD first in the file, BYPASS ICMP before it by priority.
{
	echo "dir out priority 1000 action discard"
	echo "dir in priority 1000 action discard"
	echo "dir out proto icmp priority 10 action bypass"
	echo "dir in proto icmp priority 10 action bypass"
} >"$_tmp/one.conf"
# SPD two: many more entries (a slower build), same verdict for ICMP.
{
	echo "dir out proto icmp priority 20 action bypass"
	echo "dir in proto icmp priority 20 action bypass"
	for i in $(seq 0 799); do
		echo "dir out dst 172.16.$((i / 250)).$((i % 250 + 1)) priority 500 action discard"
	done
	echo "dir out priority 1000 action discard"
	echo "dir in priority 1000 action discard"
} >"$_tmp/two.conf"

check "SPD one loads" q n a ipsecctl -f "$_tmp/one.conf"
check "pings pass" ping_ok a 10.0.0.2
check_fail "UDP does not" udp_ok a b 10.0.0.2 5000

gen0=$(spd_stat a .generation)
n a ping -q -i 0.02 -c 400 -W 1 10.0.0.2 >"$_tmp/ping" 2>&1 &
pinger=$!
for i in $(seq 10); do
	n a ipsecctl -f "$_tmp/two.conf" >/dev/null
	n a ipsecctl -f "$_tmp/one.conf" >/dev/null
done
wait "$pinger"
cat "$_tmp/ping"
check "not one ping lost over 20 replaces" grep -q ' 0% packet loss' "$_tmp/ping"
check_eq "each replace is one generation" $((gen0 + 20)) "$(spd_stat a .generation)"
check_eq "SPD one is in place" 4 "$(spd_stat a .policies)"
check_fail "and still discards UDP" udp_ok a b 10.0.0.2 5000
check "a failed replace changes nothing" sh -c "! printf 'dir out action bypass\ndir out proto tcp sport 9-1 action bypass\n' >$_tmp/bad.conf; ! ip netns exec a ipsecctl -f $_tmp/bad.conf 2>/dev/null"
check_eq "SPD one is still in place" 4 "$(spd_stat a .policies)"
