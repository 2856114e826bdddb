#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MOBIKE (RFC 4555) between a strongSwan road warrior (charon, vips =
# 0.0.0.0, its SAs in XFRM) and the ikev2d gateway of remote-access.sh (its
# SAs in nfsec): charon changes its outer address under a running TCP
# stream and moves the IKE SA with UPDATE_SA_ADDRESSES; ikev2d moves the
# Child SA's nfsec SAs in place (SA_UPDATE) and XFRM's follow on the client:
# same SPIs, new outer addresses, and the stream arrives whole.
#
#                 eth-r 10.1.0.2 --- 10.1.0.1 \
#   a: charon client                            r: ikev2d gateway (pool 10.99.0.0/24) 10.2.0.1 --- 10.2.0.2 b: server
#                  wlan 10.4.0.2 --- 10.4.0.1 /
#
# The client starts on eth-r (wlan down); wlan comes up, eth-r loses its
# address and goes down.
# The other pairings: mobike.sh (ikev2d both sides), mobike-strongswan.sh
# (ikev2d client, strongSwan gateway).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"
. "$(dirname "$0")/rw-lib.sh"

command -v /usr/lib/ipsec/charon >/dev/null || skip "strongSwan's charon is not installed"

rw_gateway "$top"
rw_wlan
rw_server "$top"
rw_stream "$top"
ikev2d_start r "$G"
S=$top/swan
rw_swan_client "$S" %any alice@company.com 10.1.0.1
swan_start a "$S"

# XFRM's states on the client as "SRC DST SPI" lines
xfrm() { n a ip xfrm state | sed -n 's/^src \([^ ]*\) dst \([^ ]*\)$/\1 \2/p; s/^\tproto esp spi \(0x[0-9a-f]*\) .*/\1/p' |
	paste -d' ' - - | sort; }

check "charon: up" q swan a "$S" --initiate --child net --timeout 60
vc=$(swan a "$S" --list-sas | sed -n 's/.*local  *\(10\.99\.0\.[0-9]*\)\/32.*/\1/p' | head -1)
check "charon's Child SA has an address of the pool" test -n "$vc"
check "gateway: MOBIKE negotiated" grep -q "MOBIKE negotiated" "$G/ikev2d.log"
check "ping through the tunnel" within 30 q n a ping -q -c 1 -W 2 -I "$vc" 10.2.0.2
spi_r=$(rw_spis r)
check_eq "gateway: two SAs" 2 "$(wc -l <<<"$spi_r")"
check_eq "the same SPIs in XFRM and nfsec" "$(xfrm | cut -d' ' -f3 | sort)" \
	"$(cut -d' ' -f2 <<<"$spi_r" | sort)"

rw_stream_get a "$top" "$vc"
check "the stream flows" within 30 got_at_least 65536

log "=== wlan up, eth-r down (at ${SECONDS}s)"
n a ip link set wlan up
n a ip route add default via 10.4.0.1 dev wlan metric 200
t0=$SECONDS
# The address goes with the link, as a DHCP client would take it off:
# charon keeps a path whose local address still exists.
n a ip addr flush dev eth-r
n a ip link set eth-r down
# charon may pick any of the addresses the gateway announced (RFC 4555
# §3.5 leaves the choice to the initiator): the path's gateway side is
# whichever it chose, the client side must be 10.4.0.2.
moved_r() {
	local out in
	out=$(rw_outer r out) in=$(rw_outer r in)
	[[ $out == 10.[1-4].0.1\ 10.4.0.2 ]] && [ "$in" = "10.4.0.2 ${out% *}" ]
}
check "gateway: nfsec SAs moved to a gateway address - 10.4.0.2" within 90 moved_r
gw=$(rw_outer r out | cut -d' ' -f1)
log "moved to $gw - 10.4.0.2 in $((SECONDS - t0))s"
check "gateway: logged the peer's move" \
	grep -qE "peer moved the IKE SA to [0-9.]+:[0-9]+ - 10\.4\.0\.2:[0-9]+" "$G/ikev2d.log"
check_eq "gateway: the same SPIs" "$spi_r" "$(rw_spis r)"
check "gateway: its IKE SA is at $gw - 10.4.0.2" \
	sh -c "ip netns exec r ipsecctl -S '$G/ikev2d.sock' ike list | grep -q '^ike rw.* local $gw:.* remote 10.4.0.2:'"
check_eq "gateway: one IKE SA" 1 "$(rw_ike_sas r "$G")"
x_moved() { xfrm | grep -q "^10.4.0.2 $gw " && xfrm | grep -q "^$gw 10.4.0.2 "; }
check "client: XFRM's states moved too" within 30 x_moved
check "ping through the tunnel after the move" within 30 q n a ping -q -c 1 -W 2 -I "$vc" 10.2.0.2
touch "$top/go1" "$top/go2"
check "the 384 KiB stream arrived whole across the move" stream_intact
check_eq "a 256 KiB fetch arrives intact" "$want" "$(rw_fetch a "$vc")"
ike_stop
check_eq "the gateway left no SA behind" 0 "$(gw_sas)"
log "done in ${SECONDS}s"
