#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# strongSwan's charon as a road-warrior client (vips = 0.0.0.0) of the
# ikev2d gateway of remote-access.sh: it gets an address of the pool,
# the gateway makes carol's entries from its company.com Name template,
# ping and a TCP fetch (SHA-256 compared) reach the server from that
# address, and entries and lease go when charon does.
#
#   c: charon 10.3.0.2 --- 10.3.0.1 r: ikev2d gateway 10.2.0.1 --- 10.2.0.2 b: server
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"
. "$(dirname "$0")/rw-lib.sh"

command -v /usr/lib/ipsec/charon >/dev/null || skip "strongSwan's charon is not installed"

rw_gateway "$top"
rw_server "$top"

ikev2d_start r "$G"
S=$top/swan
rw_swan_client "$S" 10.3.0.2 carol@company.com 10.3.0.1
swan_start c "$S"
check "charon: up" q swan c "$S" --initiate --child net --timeout 60
sas=$(swan c "$S" --list-sas)
sed 's/^/# /' <<<"$sas"
vc=$(sed -n 's/.*local  *\(10\.99\.0\.[0-9]*\)\/32.*/\1/p' <<<"$sas" | head -1)
check "charon's Child SA has an address of the pool" test -n "$vc"
check "the gateway made carol's entry" lists_policy "carol@company.com"
check "carol pings the server from it" within 30 q n c ping -q -c 1 -W 2 -I "$vc" 10.2.0.2
check_eq "the server sees carol's inner address" "$vc" "$(rw_peer c "$vc")"
check_eq "carol fetches 256 KiB intact" "$want" "$(rw_fetch c "$vc")"
check "charon: down" q swan c "$S" --terminate --ike gw --timeout 30
wait_for 30 no_policy "carol@company.com"
check "the gateway released carol's lease" within 10 grep -q "released $vc" "$G/ikev2d.log"
ike_stop
check_eq "the gateway left no SA behind" 0 "$(gw_sas)"
