#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ikev2d as a road-warrior client (vips 0.0.0.0) of a strongSwan gateway
# with an address pool: the address strongSwan leases goes on the client's
# lo with a source route to the protected network, ping and a TCP fetch
# (SHA-256 compared) reach the server through the tunnel (nfsec on the
# client, XFRM on the gateway), and everything goes when the client does.
#
#   a: ikev2d 10.1.0.2 --- 10.1.0.1 r: charon, pool 10.98.0.0/24 10.2.0.1 --- 10.2.0.2 b: server
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"
. "$(dirname "$0")/rw-lib.sh"

command -v /usr/lib/ipsec/charon >/dev/null || skip "strongSwan's charon is not installed"

rw_swan_setup

swan_start r "$S"
ikev2d_start a "$A"

up_on() { ikectl "$A" list | grep -q "^ike vpn.* ESTABLISHED"; }
has_child() { ikectl "$A" list | grep -q "^child vpn.* INSTALLED"; }
vip_of() { n a ip -4 -o addr show dev lo | sed -n 's/.* inet \(10\.98\.0\.[0-9]*\)\/32 .*/\1/p'; }
has_vip() { [ -n "$(vip_of)" ]; }
no_vip() { ! has_vip; }
leases() { swan r "$S" --list-pools --leases; }

check "ikev2d: up" q ikectl "$A" up vpn
wait_for 60 up_on
wait_for 30 has_child
wait_for 10 has_vip
v=$(vip_of)
check_eq "strongSwan's pool gave the first address" 10.98.0.1 "$v"
check "ikev2d logged it and the DNS server" grep -q "DNS server 10.2.0.53" "$A/ikev2d.log"
ikectl "$A" list | sed 's/^/# /'
check "ikev2d's Child SA has the address as its side" \
	grep -q "^child vpn.* local 10.98.0.1/32 remote 10.2.0.0/24$" <<<"$(ikectl "$A" list)"
check "the server is routed from it" \
	sh -c "ip netns exec a ip route get 10.2.0.2 | grep -q 'src 10.98.0.1'"
check "strongSwan lists the lease online" grep -q "10.98.0.1 *online *'alice@company.com'" <<<"$(leases)"
check "ping through the tunnel" within 30 ping_ok a 10.2.0.2
check_eq "the server sees the inner address" 10.98.0.1 "$(rw_peer a)"
check_eq "a 256 KiB fetch arrives intact" "$want" "$(rw_fetch a)"
check "ikev2d: down" q ikectl "$A" down vpn
wait_for 30 no_vip
check "the routes and the rule went with it" \
	sh -c "[ -z \"\$(ip netns exec a ip route show table 220)\" ] && ! ip netns exec a ip rule | grep -q 'lookup 220'"
lease_off() { leases | grep -q "10.98.0.1 *offline"; }
check "strongSwan's lease is offline" within 20 lease_off
check_eq "nfsec's SAD on the client is empty" 0 "$(n a ipsecctl -j sa list | wc -l)"
ike_stop
