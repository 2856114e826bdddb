#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MOBIKE (RFC 4555) multihoming: the gateway's address that the tunnel uses
# becomes unreachable while nothing changes on the client. The client's
# dead peer detection finds no answer, it probes the other addresses the
# gateway announced, and moves the IKE SA and its Child SA there with
# UPDATE_SA_ADDRESSES; a TCP stream held during the move arrives whole.
#
#   a: ikev2d client 10.1.0.2 --- 10.1.0.1 r: ikev2d gateway 10.2.0.1 --- 10.2.0.2 b: server
#                                          (and 10.3.0.1 on eth-c)
#
# The cut: nftables on r drops everything for 10.1.0.1 that comes from the
# client, before nfsec sees it. The gateway's other addresses are reached
# over the same link (r routes for itself on any interface).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"
. "$(dirname "$0")/rw-lib.sh"

command -v nft >/dev/null || skip "nft is not installed"

rw_gateway "$top"
rw_server "$top"
rw_stream "$top"
A=$top/a
rw_alice "$A" "dpd 2"
ikev2d_start r "$G"
# alice gives up on a silent path after 0.5 + 1 + 2 + 4 s
ikev2d_start a "$A" --retransmit-timeout 500 --retransmit-tries 4

list() { n "$1" ipsecctl -S "$2/ikev2d.sock" ike list; }
has_child() { list a "$A" | grep -q "^child vpn.* INSTALLED"; }
has_vip() { n a ip -4 -o addr show dev lo | grep -q 'inet 10\.99\.0\.1/32'; }

check "client: up" q n a ipsecctl -S "$A/ikev2d.sock" ike up vpn
check "client: Child SA installed" within 60 has_child
check "client: its address" within 10 has_vip
check "gateway: MOBIKE negotiated, the client told its addresses" \
	grep -q "MOBIKE negotiated" "$G/ikev2d.log"
check "client: the gateway announced its other addresses" \
	within 10 grep -q "peer has [0-9]* additional address" "$A/ikev2d.log"
check "ping through the tunnel" within 30 ping_ok a 10.2.0.2
check_eq "client: outbound SA 10.1.0.2 -> 10.1.0.1" "10.1.0.2 10.1.0.1" "$(rw_outer a out)"
spi_a=$(rw_spis a) spi_r=$(rw_spis r)
rw_stream_get a "$top"
check "the stream flows" within 30 got_at_least 65536

log "=== 10.1.0.1 becomes unreachable for the client (at ${SECONDS}s)"
t0=$SECONDS
n r nft -f - <<'EOF'
table inet cut {
	chain pre {
		type filter hook prerouting priority -400; policy accept;
		ip saddr 10.1.0.2 ip daddr 10.1.0.1 drop
	}
}
EOF
dead_path() { grep -q "no response on the current path: probing" "$A/ikev2d.log"; }
check "client: its liveness check went unanswered, it probes" within 60 dead_path
gw_moved() { sed -n "s/.*peer moved the IKE SA to \([0-9.]*\):[0-9]* - 10\.1\.0\.2:[0-9]* (UPDATE_SA_ADDRESSES).*/\1/p" \
	"$G/ikev2d.log" | tail -n 1; }
moved() { [ -n "$(gw_moved)" ]; }
check "gateway: the client moved the IKE SA (UPDATE_SA_ADDRESSES)" within 60 moved
ga=$(gw_moved)
log "moved to $ga in $((SECONDS - t0))s"
check "to another of the gateway's addresses ($ga)" grep -qx '10\.[23]\.0\.1' <<<"$ga"
out_a() { [ "$(rw_outer a out)" = "10.1.0.2 $ga" ] && [ "$(rw_outer a in)" = "$ga 10.1.0.2" ]; }
out_r() { [ "$(rw_outer r out)" = "$ga 10.1.0.2" ] && [ "$(rw_outer r in)" = "10.1.0.2 $ga" ]; }
check "client: SAs moved to 10.1.0.2 - $ga" within 20 out_a
check "gateway: SAs moved to $ga - 10.1.0.2" within 20 out_r
check_eq "client: the same Child SA SPIs" "$spi_a" "$(rw_spis a)"
check_eq "gateway: the same Child SA SPIs" "$spi_r" "$(rw_spis r)"
check_eq "client: one IKE SA" 1 "$(list a "$A" | grep -c '^ike ')"
check_eq "gateway: one IKE SA" 1 "$(list r "$G" | grep -c '^ike ')"
check "ping through the tunnel after the move" within 30 ping_ok a 10.2.0.2
touch "$top/go1" "$top/go2"
check "the 384 KiB stream arrived whole across the move" stream_intact
check_eq "a 256 KiB fetch arrives intact" "$want" "$(rw_fetch a)"
ike_stop
check_eq "the gateway left no SA behind" 0 "$(gw_sas)"
log "done in ${SECONDS}s"
