#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A hundred road warriors on one gateway at once (issue 6): the topology
# and the gateway of remote-access.sh (the design deck's SPD, a pool of
# 10.99.0.0/24), and in a: one ikev2d with 100 connections, c1..c100,
# each with an identity of its own (ci@company.com), asking for an inner
# address, all started together ("start start"). Distinct identities are
# distinct clients to the gateway: INITIAL_CONTACT of one closes none of
# the others.
#
#   a: 100 clients 10.1.0.2 --- 10.1.0.1 r: gateway 10.2.0.1 --- 10.2.0.2 b: server
#
# Checked: every client has its own address, IKE SA, pair of SAs (own
# reqid) and per-client SPD entries made from the company.com template;
# every address reaches the server, through its own SA (each of the 100
# inbound SAs counts packets); then all clients leave, and the gateway
# holds no SA, no per-client entry and no lease, and the client no address.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"
. "$(dirname "$0")/rw-lib.sh"

clients=100
rw_gateway "$top"
rw_server "$top"
A=$top/a
mkdir -p "$A"
for ((i = 1; i <= clients; i++)); do
	cat <<-EOF
	conn c$i {
	    local 10.1.0.2 ; remote 10.1.0.1
	    local-id c$i@company.com ; remote-id vpn.company.com
	    auth psk ; psk "$PSK"
	    remote-ts 10.2.0.0/24
	    vips 0.0.0.0
	    dpd 0 ; mobike no ; start start
	}
	EOF
done > "$A/ikev2d.conf"

children_up() { ikectl "$A" list | grep -c '^child .* INSTALLED' || true; }
vips() { n a ip -4 -o addr show dev lo | sed -n 's/.* inet \(10\.99\.0\.[0-9]*\)\/32 .*/\1/p'; }
gw_in_sas_used() {
	n r ipsecctl -j -s sa list |
		jq -s '[.[] | select(.dir == "in" and .stats.packets > 0)] | length'
}
company_entries() { gw_policies | grep -o '[a-z0-9]*@company.com' | sort -u | wc -l; }

ikev2d_start r "$G"
log "=== $clients clients start at once"
t0=$SECONDS
ikev2d_start a "$A"
within 300 sh -c "[ \$(ip netns exec a ipsecctl -S '$A/ikev2d.sock' ike list |
	grep -c '^child .* INSTALLED') = $clients ]" ||
	fail "only $(children_up) of $clients Child SAs came up"
log "all $clients up in $((SECONDS - t0)) s"
check_eq "the gateway holds $clients IKE SAs" "$clients" "$(rw_ike_sas r "$G")"
wait_for 30 sh -c "[ \$(ip netns exec a ip -4 -o addr show dev lo | grep -c ' 10\.99\.') = $clients ]"
check_eq "each client has an address of its own" "$clients" "$(vips | sort -u | wc -l)"
check_eq "all from the pool's first $clients" "$(seq -f 10.99.0.%g 1 $clients | sort)" "$(vips | sort)"
check_eq "the gateway's SAD: a pair per client" $((2 * clients)) "$(gw_sas)"
reqids=$(n r ipsecctl -j sa list | jq -s 'map(.reqid) | unique | length')
check_eq "each pair has its own reqid" "$clients" "$reqids"
check_eq "each client has entries made from the template" "$clients" "$(company_entries)"
check_eq "three per client (in, fwd, out)" $((3 * clients)) \
	"$(gw_policies | grep -c '@company.com')"
check_eq "and the client a pair of SAs per connection" $((2 * clients)) \
	"$(n a ipsecctl -j sa list | jq -s length)"

log "--- every address reaches the server through its own SA"
pinged=$(ip netns exec a sh -c "for v in $(vips | tr '\n' ' '); do
	ping -q -c 1 -W 5 -I \$v 10.2.0.2 >/dev/null && echo \$v; done" | wc -l)
check_eq "all $clients addresses ping the server" "$clients" "$pinged"
check_eq "each inbound SA of the gateway counted its client's packets" \
	"$clients" "$(gw_in_sas_used)"
for v in 10.99.0.1 10.99.0.50 10.99.0.$clients; do
	check_eq "the server sees $v" "$v" "$(rw_peer a "$v")"
done
check_eq "10.99.0.77 fetches 256 KiB intact" "$want" "$(rw_fetch a 10.99.0.77)"

log "--- all clients leave"
ike_stop_ns() { # stop the client's ikev2d only: it deletes its IKE SAs
	kill "$client_pid" && wait "$client_pid" || true
}
client_pid=$_ikev2d_pid
ike_stop_ns
check "the gateway deleted every IKE SA" within 60 sh -c "[ \$(ip netns exec r ipsecctl \
	-S '$G/ikev2d.sock' ike list | grep -c '^ike ') = 0 ]"
check_eq "and every SA" 0 "$(gw_sas)"
check "and every per-client entry" within 10 no_policy "@company.com"
check_eq "the gateway released every lease" "$clients" \
	"$(grep -c 'released 10\.99\.0\.' "$G/ikev2d.log")"
check_eq "the client's SAD is empty" 0 "$(n a ipsecctl -j sa list | jq -s length)"
check_eq "and its addresses are off lo" "" "$(vips)"
check_fail "and nothing reaches the server in clear" ping_ok a 10.2.0.2
ike_stop
