#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MOBIKE (RFC 4555): an ikev2d road warrior changes its outer address under
# a running TCP stream, and the IKE SA and its Child SA follow instead of
# being made again.
#
#                  eth-r 10.1.0.2 --- 10.1.0.1 \
#   a: ikev2d client                            r: ikev2d gateway (pool 10.99.0.0/24) 10.2.0.1 --- 10.2.0.2 b: server
#                   wlan 10.4.0.2 --- 10.4.0.1 /
#
# The client starts on eth-r (wlan down). 1: wlan comes up (the client
# announces 10.4.0.2), then eth-r goes down: the client probes the paths
# to the gateway's addresses (it announced its four), moves with
# UPDATE_SA_ADDRESSES to 10.4.0.2 and the first that answered, and the
# gateway moves the Child SA at once (the address was announced). 2: wlan
# goes down and eth-r comes back with a new address 10.1.0.3 the client
# never announced: the client moves there, the gateway checks return
# routability before it moves the Child SA. Each time: the same Child SA
# SPIs in both SADs (NFSEC_CMD_SA_UPDATE in place) with the new outer
# addresses, one IKE SA on each side, both list the new addresses, and a
# TCP stream from the server (paced, held at a gate until the move is
# done) arrives whole, byte for byte.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"
. "$(dirname "$0")/rw-lib.sh"

rw_gateway "$top"
rw_wlan

A=$top/a
rw_alice "$A"

rw_server "$top"
rw_stream "$top"

ikev2d_start r "$G"
ikev2d_start a "$A"

up_on() { rw_list a "$A" | grep -q "^ike vpn.* ESTABLISHED.* mobike"; }
has_vip() { n a ip -4 -o addr show dev lo | grep -q 'inet 10\.99\.0\.1/32'; }
logged() { grep -q "$2" "$1/ikev2d.log"; }

check "client: up" q n a ipsecctl -S "$A/ikev2d.sock" ike up vpn
wait_for 60 up_on
wait_for 30 rw_alice_up
wait_for 10 has_vip
check "client: MOBIKE negotiated" logged "$A" "MOBIKE negotiated"
check "gateway: MOBIKE negotiated" logged "$G" "MOBIKE negotiated"
check "the gateway's IKE SA has it" \
	sh -c "ip netns exec r ipsecctl -S '$G/ikev2d.sock' ike list | grep -q '^ike rw.* mobike'"
check "ping through the tunnel" within 30 ping_ok a 10.2.0.2
check_eq "a 256 KiB fetch arrives intact" "$want" "$(rw_fetch a)"
spi_a=$(rw_spis a) spi_r=$(rw_spis r)
check_eq "client: two SAs" 2 "$(wc -l <<<"$spi_a")"
check_eq "client: outbound SA 10.1.0.2 -> 10.1.0.1" "10.1.0.2 10.1.0.1" "$(rw_outer a out)"

rw_stream_get a "$top"
check "the stream flows" within 30 got_at_least 65536

# moved_checks CASE LOCAL: the client moved to LOCAL and one of the
# gateway's addresses (the first probe answered; the gateway announced all
# four); $ga is that address
moved_checks() {
	local c=$1 la=$2
	gw_moved() { sed -n "s/.*peer moved the IKE SA to \([0-9.]*\):[0-9]* - $la:[0-9]* (UPDATE_SA_ADDRESSES)$/\1/p" \
		"$G/ikev2d.log" | tail -n 1; }
	gw_logged() { [ -n "$(gw_moved)" ]; }
	check "$c: gateway: logged the move to $la (UPDATE_SA_ADDRESSES)" within 60 gw_logged
	ga=$(gw_moved)
	check "$c: to one of its addresses ($ga)" \
		grep -qx '10\.[1234]\.0\.1' <<<"$ga"
	check "$c: client: IKE SA at $la - $ga" \
		within 30 sh -c "ip netns exec a ipsecctl -S '$A/ikev2d.sock' ike list |
			grep -q '^ike vpn.* ESTABLISHED .*local $la:[0-9]* remote $ga:'"
	check "$c: gateway: IKE SA at $ga - $la" \
		sh -c "ip netns exec r ipsecctl -S '$G/ikev2d.sock' ike list |
			grep -q '^ike rw.* ESTABLISHED .*local $ga:[0-9]* remote $la:'"
	out_a() { [ "$(rw_outer a out)" = "$la $ga" ]; }
	in_a() { [ "$(rw_outer a in)" = "$ga $la" ]; }
	out_r() { [ "$(rw_outer r out)" = "$ga $la" ]; }
	in_r() { [ "$(rw_outer r in)" = "$la $ga" ]; }
	check "$c: client: outbound SA moved to $la -> $ga" within 20 out_a
	check "$c: client: inbound SA moved to $ga -> $la" within 5 in_a
	check "$c: gateway: outbound SA moved to $ga -> $la" within 30 out_r
	check "$c: gateway: inbound SA moved to $la -> $ga" within 5 in_r
	check_eq "$c: client: the same Child SA SPIs" "$spi_a" "$(rw_spis a)"
	check_eq "$c: gateway: the same Child SA SPIs" "$spi_r" "$(rw_spis r)"
	check_eq "$c: client: one IKE SA" 1 "$(rw_ike_sas a "$A")"
	check_eq "$c: gateway: one IKE SA" 1 "$(rw_ike_sas r "$G")"
	check "$c: ping through the tunnel" within 30 ping_ok a 10.2.0.2
}

log "=== 1: wlan up, eth-r down (at ${SECONDS}s)"
n a ip link set wlan up
n a ip route add default via 10.4.0.1 dev wlan metric 200
check "1: client announced 10.4.0.2" \
	within 30 logged "$A" "telling the peer about our [0-9]* additional address"
t0=$SECONDS
n a ip link set eth-r down
check "1: client probed" within 30 logged "$A" "local address or route changed: probing"
moved_checks 1 10.4.0.2
log "1: moved in $((SECONDS - t0))s"
check "1: no return routability check (the address was announced)" \
	sh -c "! grep -q 'checking return routability' '$G/ikev2d.log'"
touch "$top/go1"
check "1: the stream flows again" within 60 got_at_least 200000

log "=== 2: wlan down, eth-r back with a new address 10.1.0.3 (at ${SECONDS}s)"
# wlan first: the only way out is then the new address, which the client
# has not announced
t0=$SECONDS
n a ip link set wlan down
n a ip addr flush dev eth-r
addr_add a eth-r 10.1.0.3/24
n a ip link set eth-r up
n a ip route add default via 10.1.0.1 dev eth-r
moved_checks 2 10.1.0.3
log "2: moved in $((SECONDS - t0))s"
check "2: gateway checked return routability of 10.1.0.3" \
	logged "$G" "checking return routability"
check "2: and moved the Child SA after it" \
	logged "$G" "peer's new address is reachable: moving the Child SAs"
touch "$top/go2"
check "the 384 KiB stream arrived whole across both moves" stream_intact
check_eq "a 256 KiB fetch arrives intact" "$want" "$(rw_fetch a)"
check_eq "the client initiated one IKE SA" 1 "$(grep -c 'initiating IKE SA' "$A/ikev2d.log")"
ike_stop
check_eq "the gateway left no SA behind" 0 "$(gw_sas)"
log "done in ${SECONDS}s"
