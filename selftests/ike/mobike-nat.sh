#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MOBIKE into a NAT (RFC 4555 §3.5, RFC 7296 §2.23): an ikev2d road warrior
# moves under a running TCP stream from a direct path to the gateway to one
# behind a masquerading router. UPDATE_SA_ADDRESSES carries NAT-D, both
# sides find the NAT, and the Child SA's SAs, moved in place, become ESP in
# UDP (the gateway's to the port the NAT picked).
#
#                  eth-r 10.1.0.2 ------------------------- 10.1.0.1 \
#   a: ikev2d client                                                  r: gateway 10.2.0.1 --- 10.2.0.2 b: server
#                   wlan 10.4.0.2 --- 10.4.0.1 c: NAT 10.3.0.2 --- 10.3.0.1 /
#                                     (masquerade, UDP to ports 10000-19999)
#
# Checked after the move: the same Child SA SPIs on both sides, the
# client's SAs ESP in UDP 4500 -> 4500, the gateway's to and from the NAT's
# port, the IKE SAs on the new path, ESP in UDP (and no ESP in IP) through
# the NAT, keepalives from the client, and the stream whole, byte for byte.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"
. "$(dirname "$0")/rw-lib.sh"

rw_gateway "$top"
# c becomes the NAT: a's second way out, masquerading towards r
ip link add wlan netns a type veth peer name eth-a netns c
n c ip link set eth-a up
addr_add c eth-a 10.4.0.1/24
addr_add a wlan 10.4.0.2/24
n c sysctl -qw net.ipv4.ip_forward=1
n c nft -f - <<EOF
table ip nat {
    chain post {
        type nat hook postrouting priority srcnat;
        oifname "eth-r" meta l4proto udp masquerade to :10000-19999
        oifname "eth-r" masquerade
    }
}
table ip filter {
    chain guard {
        type filter hook forward priority 0;
        iifname "eth-r" ct state new drop
    }
}
EOF

A=$top/a
rw_alice "$A" "keepalive 2"
rw_server "$top"
rw_stream "$top"
ikev2d_start r "$G"
ikev2d_start a "$A"

up_on() { rw_list a "$A" | grep -q "^ike vpn.* ESTABLISHED.* mobike"; }
has_vip() { n a ip -4 -o addr show dev lo | grep -q 'inet 10\.99\.0\.1/32'; }
sa_json() { n "$1" ipsecctl -j sa list | jq -c "select(.dir == \"$2\")"; }
encap_of() { sa_json "$1" "$2" | jq -r 'if .encap then "\(.encap.sport) \(.encap.dport)" else "none" end'; }

check "client: up" q n a ipsecctl -S "$A/ikev2d.sock" ike up vpn
wait_for 60 up_on
wait_for 30 rw_alice_up
wait_for 10 has_vip
check "ping through the tunnel" within 30 ping_ok a 10.2.0.2
spi_a=$(rw_spis a) spi_r=$(rw_spis r)
check_eq "client: outbound SA 10.1.0.2 -> 10.1.0.1" "10.1.0.2 10.1.0.1" "$(rw_outer a out)"
check_eq "client: ESP in IP on the direct path" "none" "$(encap_of a out)"
check_eq "gateway: ESP in IP on the direct path" "none" "$(encap_of r out)"
rw_stream_get a "$top"
check "the stream flows" within 30 got_at_least 65536

log "=== wlan up (behind the NAT), eth-r down (at ${SECONDS}s)"
n c tcpdump -U -n -i eth-r -w "$top/nat.pcap" esp or udp 2>/dev/null &
_ike_pids+=($!)
n a ip link set wlan up
n a ip route add default via 10.4.0.1 dev wlan metric 200
t0=$SECONDS
n a ip link set eth-r down
moved() { sed -n 's/.*peer moved the IKE SA to \([0-9.]*\):4500 - 10\.3\.0\.2:\([0-9]*\) (UPDATE_SA_ADDRESSES), behind a NAT$/\1 \2/p' \
	"$G/ikev2d.log" | tail -n 1; }
gw_moved() { [ -n "$(moved)" ]; }
check "gateway: the client moved behind a NAT (UPDATE_SA_ADDRESSES)" within 60 gw_moved
read -r ga port <<<"$(moved)"
log "moved in $((SECONDS - t0))s, to $ga, the NAT's port $port"
check "gateway: the NAT's port is in 10000-19999 ($port)" \
	test "${port:-0}" -ge 10000 -a "${port:-0}" -le 19999
check "client: IKE SA at 10.4.0.2:4500 - $ga:4500" \
	within 30 sh -c "ip netns exec a ipsecctl -S '$A/ikev2d.sock' ike list |
		grep -q '^ike vpn.* ESTABLISHED .*local 10.4.0.2:4500 remote $ga:4500 '"
check "client: knows it is behind a NAT" within 10 grep -q "IKE SA moved to .*, behind a NAT" "$A/ikev2d.log"
enc_a() { [ "$(encap_of a out) $(encap_of a in)" = "4500 4500 4500 4500" ]; }
enc_r() { [ "$(encap_of r out) $(encap_of r in)" = "4500 $port $port 4500" ]; }
check "client: its SAs are ESP in UDP 4500 -> 4500" within 20 enc_a
check "gateway: its SAs are ESP in UDP to and from the NAT's $port" within 20 enc_r
check_eq "client: outbound SA 10.4.0.2 -> $ga" "10.4.0.2 $ga" "$(rw_outer a out)"
check_eq "gateway: outbound SA $ga -> 10.3.0.2" "$ga 10.3.0.2" "$(rw_outer r out)"
check_eq "client: the same Child SA SPIs" "$spi_a" "$(rw_spis a)"
check_eq "gateway: the same Child SA SPIs" "$spi_r" "$(rw_spis r)"
check_eq "client: one IKE SA" 1 "$(rw_ike_sas a "$A")"
check_eq "gateway: one IKE SA" 1 "$(rw_ike_sas r "$G")"
check "ping through the tunnel" within 30 ping_ok a 10.2.0.2
touch "$top/go1" "$top/go2"
check "the 384 KiB stream arrived whole across the move" stream_intact
check_eq "a 256 KiB fetch arrives intact" "$want" "$(rw_fetch a)"
esp_udp() { tcpdump -r "$top/nat.pcap" -n 2>/dev/null | grep -c 'UDP-encap'; }
check "ESP in UDP crossed the NAT" test "$(esp_udp)" -gt 100
check_eq "and no ESP in IP" 0 "$(tcpdump -r "$top/nat.pcap" -n esp 2>/dev/null | wc -l)"
keepalives() { [ "$(tcpdump -r "$top/nat.pcap" -n 'src 10.3.0.2 and udp dst port 4500 and udp[4:2] = 9' \
	2>/dev/null | wc -l)" -ge 2 ]; }
check "the client sends NAT keepalives" within 20 keepalives
check_eq "the client initiated one IKE SA" 1 "$(grep -c 'initiating IKE SA' "$A/ikev2d.log")"
ike_stop
check_eq "the gateway left no SA behind" 0 "$(gw_sas)"
log "done in ${SECONDS}s"
