#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ikev2d killed with SIGKILL and restarted, on either side of a road-warrior
# tunnel (the remote-access setup of rw-lib.sh): no stale state is left, and
# traffic flows again.
#
#   a: client alice 10.1.0.2 --- 10.1.0.1 r: gateway (pool 10.99.0.0/24) 10.2.0.1 --- 10.2.0.2 b: server
#
# ikev2d marks its SAs and policies as owned by its netlink socket
# (NFSEC_SA_F_OWNED, NFSEC_POLICY_F_OWNED): the kernel deletes them the moment
# the daemon dies, however it dies.
#
# 1: alice's ikev2d is killed as soon as its IKE SA is up. Her SAs and
#    policies go with it. Restarted, she connects with INITIAL_CONTACT; the
#    gateway deletes her stale IKE SA with its Child SA, per-client policies
#    and lease, and she gets her address back.
# 2: the gateway's ikev2d is killed with the tunnel carrying traffic. Its SAs
#    and per-client policies go at once; the deck's templates (loaded by the
#    administrator) stay, so alice's packets are dropped, never forwarded in
#    clear. Alice's dead peer detection gives up on the old IKE SA; the
#    gateway is restarted and she connects again.
# nfsec-test: debug
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"
. "$(dirname "$0")/rw-lib.sh"

rw_gateway "$top"
rw_server "$top"
A=$top/a
rw_alice "$A" "dpd 2"
templates=$(n r ipsecctl -j policy list | jq -s length)

# alice gives up on a silent gateway after 0.5 + 1 + 2 + 4 s
start_alice() { rw_start_alice --retransmit-timeout 500 --retransmit-tries 4; }
vip() { n a ip -4 -o addr show dev lo | sed -n 's/.*inet \(10\.99\.[0-9.]*\)\/32.*/\1/p'; }
has_vip() { [ -n "$(vip)" ]; }
sa_count() { n "$1" ipsecctl -j sa list | jq -s length; }
policy_count() { n "$1" ipsecctl -j policy list | jq -s length; }
owned_policies() { n "$1" ipsecctl -j policy list | jq -s 'map(select(.owned)) | length'; }
killed() { kill -KILL "$1"; wait "$1" 2>/dev/null || true; }

# connect: alice up, with an address, a ping and a fetch through the tunnel
connect() {
	check "$1: alice: up" q n a ipsecctl -S "$A/ikev2d.sock" ike up vpn
	check "$1: alice: Child SA installed" within 60 rw_alice_up
	check "$1: alice: her address" within 10 has_vip
	check "$1: ping through the tunnel" within 30 ping_ok a 10.2.0.2
	check_eq "$1: a 256 KiB fetch arrives intact" "$want" "$(rw_fetch a)"
}

rw_start_gw
start_alice
connect 0
first_vip=$(vip)
check_eq "0: alice has 10.99.0.1" 10.99.0.1 "$first_vip"
check_eq "0: alice: 2 SAs" 2 "$(sa_count a)"
check "0: the SAs are owned by ikev2d's socket" \
	sh -c "ip netns exec a ipsecctl -j sa list | jq -e -s 'all(.owned)' >/dev/null"
check "0: and so are the gateway's per-client policies" test "$(owned_policies r)" -gt 0
check_eq "0: but not the deck's templates" "$templates" \
	"$(n r ipsecctl -j policy list | jq -s 'map(select(.owned | not)) | length')"

log "=== 1: alice's ikev2d killed (SIGKILL) and restarted"
killed "$alice_pid"
check_eq "1: alice's SAD is empty: the kernel deleted her SAs" 0 "$(sa_count a)"
check_eq "1: and her policies" 0 "$(policy_count a)"
check_fail "1: her packets do not reach the server in clear" ping_ok a 10.2.0.2
start_alice
connect 1
check "1: alice sent INITIAL_CONTACT and the gateway deleted her stale IKE SA" \
	within 30 grep -q "the peer restarted (INITIAL_CONTACT)" "$G/ikev2d.log"
one_ike_sa() { [ "$(rw_ike_sas r "$G")" = 1 ]; }
check "1: gateway: one IKE SA" within 10 one_ike_sa
check_eq "1: gateway: 2 SAs" 2 "$(gw_sas)"
check_eq "1: alice got her address back (the stale lease was released)" \
	"$first_vip" "$(vip)"
check_eq "1: alice: 2 SAs" 2 "$(sa_count a)"

log "=== 2: the gateway's ikev2d killed (SIGKILL) under traffic, and restarted"
n a ping -q -i 0.2 -c 25 10.2.0.2 >/dev/null 2>&1 &
pinger=$!
on_exit "kill $pinger 2>/dev/null"
sleep 1
killed "$gw_pid"
check_eq "2: gateway: its SAD is empty" 0 "$(gw_sas)"
check_eq "2: gateway: its per-client policies went, the templates stayed" \
	"$templates" "$(policy_count r)"
check_eq "2: and none of them is owned" 0 "$(owned_policies r)"
wait $pinger 2>/dev/null || true
check_fail "2: alice's packets are dropped, not forwarded in clear" ping_ok a 10.2.0.2
rw_start_gw
alice_gave_up() { grep -qE "IKE SA deleted \((peer is dead|peer did not respond)\)" "$A/ikev2d.log"; }
check "2: alice: dead peer detection gave up on the old IKE SA" within 60 alice_gave_up
check "2: alice: her SAs went with it" within 10 sh -c "[ \$(ip netns exec a ipsecctl -j sa list | jq -s length) = 0 ]"
check_fail "2: and her address" has_vip
connect 2
check_eq "2: gateway: one IKE SA" 1 "$(rw_ike_sas r "$G")"
check_eq "2: gateway: 2 SAs" 2 "$(gw_sas)"
ike_stop
check_eq "the gateway left no SA behind" 0 "$(gw_sas)"
check_eq "nor a policy of its own" "$templates" "$(policy_count r)"
check_eq "nor did alice" 0 "$(sa_count a)"
