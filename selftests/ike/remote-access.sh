#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Remote access, the design deck's VPN example with IKE: road-warrior
# clients ask the gateway for an inner address (CP, RFC 7296 §3.15), the
# gateway leases one from its pool and turns its SPD's Name template
# ("company.com", PFP) into an entry per client bound to that client's
# SAs; clients put the address on lo, route the protected network from
# it, and reach the server behind the gateway through the tunnel.
#
#   a: client alice   10.1.0.2 --- 10.1.0.1 \
#                                           r: gateway (pool 10.99.0.0/24) 10.2.0.1 --- 10.2.0.2 b: server
#   c: client bob     10.3.0.2 --- 10.3.0.1 /
#
# ikev2d clients: address, ping, a TCP fetch checked by SHA-256 (the
#    server sees the inner address), the per-client entries in the
#    gateway's SPD and their removal with the client, the lease back in
#    the pool (the same address on reconnect), two clients at once with
#    their own addresses and SAs; the gateway did all that with
#    CAP_NET_ADMIN alone (its other capabilities dropped).
# strongSwan as the client: strongswan-client.sh; ikev2d as the client of
# a strongSwan gateway: strongswan-gateway.sh.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"
. "$(dirname "$0")/rw-lib.sh"

rw_gateway "$top"

# client NS DIR LOCAL GATEWAY ID
client() {
	mkdir -p "$2"
	cat > "$2/ikev2d.conf" <<-EOF
	conn vpn {
	    local $3 ; remote $4
	    local-id $5 ; remote-id vpn.company.com
	    auth psk ; psk "$PSK"
	    remote-ts 10.2.0.0/24
	    vips 0.0.0.0
	    dpd 10
	}
	EOF
	ikev2d_start "$1" "$2"
}

rw_server "$top"
ikev2d_start r "$G"
gw_pid=$_ikev2d_pid
A=$top/a C=$top/c
client a "$A" 10.1.0.2 10.1.0.1 alice@company.com
client c "$C" 10.3.0.2 10.3.0.1 bob@company.com

up_on() { ikectl "$1" list | grep -q "^ike $2.* ESTABLISHED"; }
ike_lists() { ikectl "$1" list | grep -q "$2"; }
has_child() { ikectl "$1" list | grep -q "^child $2"; }
vip_of() { n "$1" ip -4 -o addr show dev lo | sed -n 's/.* inet \(10\.99\.0\.[0-9]*\)\/32 .*/\1/p'; }
has_vip() { [ -n "$(vip_of "$1")" ]; }

log "=== ikev2d clients"
check_fail "clear text from a client is discarded" ping_ok a 10.2.0.2
check "alice: up" q n a ipsecctl -S "$A/ikev2d.sock" ike up vpn
wait_for 60 up_on "$A" vpn
wait_for 30 has_child "$A" vpn
wait_for 10 has_vip a
va=$(vip_of a)
check_eq "alice got the pool's first address" 10.99.0.1 "$va"
check "alice logged the address and DNS server" grep -q "DNS server 10.2.0.53" "$A/ikev2d.log"
check "alice's IKE SA lists it" ike_lists "$A" '^ike vpn.* vips 10.99.0.1$'
check "the gateway's lists it" ike_lists "$G" '^ike rw.* vips 10.99.0.1$'
check "alice's Child SA is narrowed to it" \
	ike_lists "$A" '^child vpn.* local 10.99.0.1/32 remote 10.2.0.0/24$'
check "the protected network is routed from it (table 220)" \
	sh -c "ip netns exec a ip route get 10.2.0.2 | grep -q 'src 10.99.0.1'"
check "alice pings the server" within 30 ping_ok a 10.2.0.2
check_eq "the server sees alice's inner address" "10.99.0.1" "$(rw_peer a)"
check_eq "alice fetches 256 KiB intact" "$want" "$(rw_fetch a)"
gw_policies | sed 's/^/# /'
check "the gateway made alice's entry from the company.com template" \
	lists_policy "alice@company.com"
check "alice's entries select her address" \
	sh -c "ip netns exec r ipsecctl policy list | grep alice@company.com | grep -q 10.99.0.1"
check_eq "the gateway's SAD: alice's pair" 2 "$(gw_sas)"
# privs.h: once its sockets are open the gateway keeps CAP_NET_ADMIN alone
# (effective and bounding sets, 1 << 12) and cannot regain more; all of the
# above, per-client entries and leases included, needed no other
caps() { awk '/^(CapEff|CapBnd|NoNewPrivs):/ { printf "%s%s", s, $2; s = " " }' "/proc/$1/status"; }
check_eq "the gateway's ikev2d holds CAP_NET_ADMIN alone, no_new_privs" \
	"0000000000001000 0000000000001000 1" "$(caps $gw_pid)"
check "it still reads its configuration (reload)" q ikectl "$G" reload

check "bob: up" q n c ipsecctl -S "$C/ikev2d.sock" ike up vpn
wait_for 60 up_on "$C" vpn
wait_for 30 has_child "$C" vpn
wait_for 10 has_vip c
check_eq "bob got another address" 10.99.0.2 "$(vip_of c)"
check "bob pings the server" within 30 ping_ok c 10.2.0.2
check_eq "the server sees bob's inner address" "10.99.0.2" "$(rw_peer c)"
check_eq "bob fetches 256 KiB intact" "$want" "$(rw_fetch c)"
check "bob has entries of his own" lists_policy "bob@company.com"
check_eq "the gateway's SAD: two pairs" 4 "$(gw_sas)"
reqids=$(n r ipsecctl -j sa list | jq -s 'map(.reqid) | unique | length')
check_eq "each client's SAs have their own reqid" 2 "$reqids"

log "--- alice goes"
check "alice: down" q n a ipsecctl -S "$A/ikev2d.sock" ike down vpn
wait_for 30 no_policy "alice@company.com"
check "bob's entries stay" lists_policy "bob@company.com"
check "the gateway released alice's lease" within 10 grep -q "released 10.99.0.1" "$G/ikev2d.log"
check_eq "the gateway's SAD: bob's pair" 2 "$(gw_sas)"
check "alice's address is off lo" within 10 sh -c "! ip netns exec a ip addr show dev lo | grep -q 10.99."
check "and its routes and rule are gone" \
	sh -c "[ -z \"\$(ip netns exec a ip route show table 220)\" ] && ! ip netns exec a ip rule | grep -q 'lookup 220'"
check_fail "alice cannot reach the server in clear" ping_ok a 10.2.0.2
check "bob still pings the server" ping_ok c 10.2.0.2

log "--- alice comes back"
check "alice: up again" q n a ipsecctl -S "$A/ikev2d.sock" ike up vpn
wait_for 60 up_on "$A" vpn
wait_for 10 has_vip a
check_eq "alice has her address again" 10.99.0.1 "$(vip_of a)"
check "alice pings the server again" within 30 ping_ok a 10.2.0.2
ike_stop
check_eq "the gateway left no SA behind" 0 "$(gw_sas)"
check "nor a per-client entry" sh -c "! ip netns exec r ipsecctl policy list | grep -q '@company.com'"
no_vips() { ! has_vip a && ! has_vip c; }
check "the clients took their addresses off" no_vips

