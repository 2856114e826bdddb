#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# MOBIKE (RFC 4555) between an ikev2d road warrior and a strongSwan
# gateway (mobike = yes, an address pool): the client changes its outer
# address under a running TCP stream, moves the IKE SA with
# UPDATE_SA_ADDRESSES, and both kernels move the Child SA's SAs in place
# (nfsec's SA_UPDATE on the client, XFRM on the gateway): same SPIs, new
# outer addresses, and the stream arrives whole, byte for byte.
#
#                  eth-r 10.1.0.2 --- 10.1.0.1 \
#   a: ikev2d client                            r: charon, pool 10.98.0.0/24 10.2.0.1 --- 10.2.0.2 b: server
#                   wlan 10.4.0.2 --- 10.4.0.1 /
#
# The client starts on eth-r; wlan comes up (announced), eth-r goes down.
# ikev2d against an ikev2d gateway, and a move to an address never
# announced: mobike.sh.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"
. "$(dirname "$0")/rw-lib.sh"

command -v /usr/lib/ipsec/charon >/dev/null || skip "strongSwan's charon is not installed"

rw_swan_setup wlan
rw_stream "$top"
swan_start r "$S"
ikev2d_start a "$A"

list() { n a ipsecctl -S "$A/ikev2d.sock" ike list; }
up_on() { list | grep -q "^ike vpn.* ESTABLISHED.* mobike"; }
has_child() { list | grep -q "^child vpn.* INSTALLED"; }
has_vip() { n a ip -4 -o addr show dev lo | grep -q 'inet 10\.98\.0\.1/32'; }
spis_a() { n a ipsecctl -j sa list | jq -r '"\(.dir) \(.spi_hex)"' | sort; }
outer_a() { n a ipsecctl -j sa list | jq -r "select(.dir == \"$1\") | \"\(.src) \(.dst)\""; }
# XFRM's states as "SRC DST SPI" lines
xfrm() { n r ip xfrm state | sed -n 's/^src \([^ ]*\) dst \([^ ]*\)$/\1 \2/p; s/^\tproto esp spi \(0x[0-9a-f]*\) .*/\1/p' |
	paste -d' ' - - | sort; }
xfrm_spis() { xfrm | cut -d' ' -f3 | sort; }

check "client: up" q n a ipsecctl -S "$A/ikev2d.sock" ike up vpn
check "client: IKE SA established, strongSwan sent MOBIKE_SUPPORTED" within 60 up_on
wait_for 30 has_child
wait_for 10 has_vip
check "ping through the tunnel" within 30 ping_ok a 10.2.0.2
spi_a=$(spis_a)
spi_x=$(xfrm_spis)
check_eq "XFRM: two states" 2 "$(wc -l <<<"$spi_x")"
check_eq "the same SPIs in nfsec and XFRM" "$spi_x" "$(cut -d' ' -f2 <<<"$spi_a" | sort)"

rw_stream_get a "$top"
check "the stream flows" within 30 got_at_least 65536

log "=== wlan up, eth-r down (at ${SECONDS}s)"
n a ip link set wlan up
n a ip route add default via 10.4.0.1 dev wlan metric 200
check "client announced 10.4.0.2" \
	within 30 grep -q "telling the peer about our [0-9]* additional address" "$A/ikev2d.log"
check "strongSwan took it" \
	within 30 grep -q "got additional MOBIKE peer address: 10.4.0.2" "$S/charon.log"
t0=$SECONDS
n a ip link set eth-r down
moved_to() { sed -n 's/.*IKE SA moved to 10\.4\.0\.2:[0-9]* - \([0-9.]*\):[0-9]*$/\1/p' "$A/ikev2d.log" | tail -n 1; }
moved() { [ -n "$(moved_to)" ]; }
check "client: moved the IKE SA to 10.4.0.2 (UPDATE_SA_ADDRESSES answered)" within 60 moved
ga=$(moved_to)
log "moved to 10.4.0.2 - $ga in $((SECONDS - t0))s"
check "to one of the gateway's addresses ($ga)" grep -qx '10\.[124]\.0\.1' <<<"$ga"
check "client: ipsecctl ike list has the new addresses" \
	grep -q "^ike vpn.* local 10.4.0.2:[0-9]* remote $ga:" <<<"$(list)"
sas_moved() { [ "$(outer_a out)" = "10.4.0.2 $ga" ] && [ "$(outer_a in)" = "$ga 10.4.0.2" ]; }
check "client: nfsec SAs moved to 10.4.0.2 - $ga" within 20 sas_moved
check_eq "client: the same SPIs" "$spi_a" "$(spis_a)"
x_moved() { [ "$(xfrm | cut -d' ' -f1,2 | sort | tr '\n' ' ')" = "$(printf '%s\n' "10.4.0.2 $ga" "$ga 10.4.0.2" | sort | tr '\n' ' ')" ]; }
check "XFRM: states moved to 10.4.0.2 - $ga" within 30 x_moved
check_eq "XFRM: the same SPIs" "$spi_x" "$(xfrm_spis)"
swan_sa() { swan r "$S" --list-sas; }
swan_moved() { swan_sa | grep -q "remote 'alice@company.com' @ 10.4.0.2\\["; }
check "strongSwan lists the client at 10.4.0.2" within 10 swan_moved
check_eq "strongSwan: one IKE SA" 1 "$(swan_sa | grep -c ESTABLISHED)"
check_eq "client: one IKE SA" 1 "$(list | grep -c '^ike ')"
check "ping through the tunnel after the move" within 30 ping_ok a 10.2.0.2
touch "$top/go1" "$top/go2"
check "the 384 KiB stream arrived whole across the move" stream_intact
check_eq "a 256 KiB fetch arrives intact" "$want" "$(rw_fetch a)"
ike_stop
log "done in ${SECONDS}s"
