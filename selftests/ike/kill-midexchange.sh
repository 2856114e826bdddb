#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ikev2d killed with SIGKILL in the middle of an exchange (restart.sh kills
# it with its tunnels up), on either side of a road-warrior tunnel (the
# remote-access setup of rw-lib.sh). An nft rule holds back the IKE_AUTH
# messages (exchange type 35 in the IKE header, on 500 and on 4500 after the
# non-ESP marker) so that each kill lands at a known point.
#
#   a: client alice 10.1.0.2 --- 10.1.0.1 r: gateway (pool 10.99.0.0/24) 10.2.0.1 --- 10.2.0.2 b: server
#
# 1: the gateway answers alice's IKE_AUTH, installs her Child SA and leases
#    her an address, but the answer never reaches her: her ikev2d, still
#    waiting for it, is killed. Restarted, she connects with INITIAL_CONTACT
#    and the gateway drops the half-finished IKE SA it thinks is up, with
#    its SAs, per-client entries and lease.
# 2: the gateway's ikev2d is killed between IKE_SA_INIT and IKE_AUTH (alice's
#    IKE_AUTH is held back at the gateway) and restarted: it has never heard
#    of her IKE SA, so her IKE_AUTH goes unanswered; she gives up on it,
#    leaves nothing behind, and connects to the new gateway.
# Each time: one IKE SA and one pair of SAs per side, matching, the same
# inner address, traffic through the tunnel.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"
. "$(dirname "$0")/rw-lib.sh"

rw_gateway "$top"
rw_server "$top"
A=$top/a
rw_alice "$A" "dpd 5"
templates=$(n r ipsecctl -j policy list | jq -s length)

kill9() { kill -9 "$1"; wait "$1" 2>/dev/null || true; }
# hold NS: NS drops IKE_AUTH messages it receives (UDP 500, and 4500 with
# the non-ESP marker); release NS: no more
hold() {
	n "$1" nft -f - <<-EOF
	table inet hold {
	    chain in {
	        type filter hook input priority 0;
	        udp dport 500 @th,208,8 35 counter drop
	        udp sport 500 @th,208,8 35 counter drop
	        udp dport 4500 @th,240,8 35 counter drop
	        udp sport 4500 @th,240,8 35 counter drop
	    }
	}
	EOF
}
release() { n "$1" nft delete table inet hold; }
held() { n "$1" nft list table inet hold | grep -q 'counter packets [1-9]'; }
gw_established() { rw_list r "$G" | grep -q '^ike rw.* ESTABLISHED'; }
alice_connecting() { rw_list a "$A" | grep -q '^ike vpn.* CONNECTING'; }
sad_count() { n "$1" ipsecctl -j sa list | jq -s length; }
vip() { n a ip -4 -o addr show dev lo | sed -n 's/.* inet \(10\.99\.0\.[0-9]*\)\/32 .*/\1/p'; }
# matching: alice's outbound SPI is the gateway's inbound one and back
matching() {
	[ "$(rw_sas a | awk '$1 == "out" { print $2 }')" = "$(rw_sas r | awk '$1 == "in" { print $2 }')" ] &&
	[ "$(rw_sas a | awk '$1 == "in" { print $2 }')" = "$(rw_sas r | awk '$1 == "out" { print $2 }')" ]
}
one_each() {
	[ "$(rw_ike_sas a "$A")" = 1 ] && [ "$(rw_ike_sas r "$G")" = 1 ] &&
	[ "$(sad_count a)" = 2 ] && [ "$(sad_count r)" = 2 ]
}
# settled CASE: one IKE SA and one matching pair per side, the address, traffic
settled() {
	check "$1: one IKE SA and one pair of SAs on each side" within 30 one_each
	check "$1: the pairs match" matching
	check_eq "$1: per-client entries: in, fwd and out for alice" 3 \
		"$(gw_policies | grep -c 'alice@company.com')"
	check_eq "$1: alice has her address" 10.99.0.1 "$(vip)"
	check "$1: ping through the tunnel" within 30 ping_ok a 10.2.0.2
	check_eq "$1: the server sees her inner address" 10.99.0.1 "$(rw_peer a)"
}

log "=== 1: alice killed while waiting for the IKE_AUTH answer"
rw_start_gw
rw_start_alice
hold a
check "alice: up" q n a ipsecctl -S "$A/ikev2d.sock" ike up vpn
check "1: the gateway established the IKE SA" within 30 gw_established
check "1: and installed its pair of SAs" within 10 sh -c "[ \$(ip netns exec r ipsecctl -j sa list | jq -s length) = 2 ]"
check "1: alice is still waiting for the answer" alice_connecting
check "1: her IKE_AUTH answer was held back" held a
kill9 "$alice_pid"
check_eq "1: alice's kernel has nothing of hers" 0 "$(sad_count a)"
release a
rw_start_alice
check "1: alice: up again" q n a ipsecctl -S "$A/ikev2d.sock" ike up vpn
check "1: she is up" within 60 rw_alice_up
check "1: the gateway dropped the stale IKE SA (INITIAL_CONTACT)" \
	within 10 grep -q "the peer restarted (INITIAL_CONTACT)" "$G/ikev2d.log"
settled 1

log "=== 2: the gateway killed between IKE_SA_INIT and IKE_AUTH"
ike_stop
check_eq "2: nothing left on the gateway" 0 "$(sad_count r)"
check_eq "2: its templates stay" "$templates" "$(n r ipsecctl -j policy list | jq -s length)"
rw_start_gw
# she gives up on a silent gateway after 0.5 + 1 + 2 s
rw_start_alice --retransmit-timeout 500 --retransmit-tries 3
hold r
check "alice: up" q n a ipsecctl -S "$A/ikev2d.sock" ike up vpn
check "2: alice sent her IKE_AUTH" within 30 alice_connecting
half_open() { rw_list r "$G" | grep -q '^ike rw.* CONNECTING'; }
check "2: the gateway holds her half-open IKE SA" within 10 half_open
check "2: her IKE_AUTH was held back" held r
kill9 "$gw_pid"
release r
rw_start_gw
gave_up() { ! rw_list a "$A" | grep -q '^ike '; }
check "2: alice's IKE_AUTH goes unanswered: she gives up" within 30 gave_up
check "2: and says why" grep -q "peer did not respond" "$A/ikev2d.log"
check_eq "2: she left nothing in her kernel" 0 "$(sad_count a)"
check_eq "2: the new gateway has nothing of hers" 0 "$(sad_count r)"
check_eq "2: nor an IKE SA" 0 "$(rw_ike_sas r "$G")"
check "alice: up again" q n a ipsecctl -S "$A/ikev2d.sock" ike up vpn
check "2: she is up" within 60 rw_alice_up
settled 2
ike_stop
check_eq "the gateway left no SA behind" 0 "$(gw_sas)"
