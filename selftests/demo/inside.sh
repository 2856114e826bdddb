#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The nfsec demo, played inside the bench VM: the design deck's VPN example
# (shared reference, "VPN Example" and "MOBIKE").
#
#                 eth-r 10.1.0.2 --- 10.1.0.1 \
#   mn (a): VPN client                          sg (r): Security Gateway 10.2.0.1 --- 10.2.0.2 server (b)
#                  wlan 10.4.0.2 --- 10.4.0.1 /          untrusted | trusted
#
# The SG's SPD is the deck's: BYPASS IKE on UDP 500/4500, PROTECT
# company.com's clients (a Name template, PFP on the inner address),
# DISCARD the rest. The client authenticates with a certificate
# (email:alice@company.com from the company CA), gets an inner address from
# the SG's pool, and reaches the server; the SG's IKE daemon turns the
# template into an entry and a pair of SAs for this client alone. Then the
# client's outer address changes (eth-r goes away, wlan comes up): MOBIKE
# moves the SAs in place and a TCP download that was running arrives whole.
# Clear text from the untrusted side stays discarded throughout; when the
# daemons stop, nothing is left behind.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ike/ike-lib.sh"
. "$(dirname "$0")/../ike/rw-lib.sh"

command -v openssl >/dev/null || skip "the openssl command is not installed"

say() { printf '\n=== %s\n' "$*"; }
sg() { n r "$@"; }
sg_ike() { sg ipsecctl -S "$G/ikev2d.sock" "$@"; }
mn_ike() { n a ipsecctl -S "$M/ikev2d.sock" "$@"; }
discards() { sg ipsecctl -j stats | jq '.dir.in.discard + .dir.fwd.discard'; }

say "load nfsec: one modprobe; nothing changes until policies arrive"
nfsec_load
grep '^nfsec ' /proc/modules

say "hosts as network namespaces: mn - sg - server, and mn's second link (wlan)"
topo_router
rw_wlan
sg ip route add 10.99.0.0/24 via 10.1.0.2
check "mn reaches the server through the SG (empty SPD: BYPASS)" ping_ok a 10.2.0.2

say "the SG's SPD: the deck's tables, loaded atomically (ipsecctl -f)"
rw_spd "$top/spd.conf"
check "the SPD loads" sg ipsecctl -f "$top/spd.conf"
sg ipsecctl policy list
check_fail "clear text from mn to the server is now DISCARDed" ping_ok a 10.2.0.2
sg ipsecctl policy lookup dir fwd src 10.1.0.2 dst 10.2.0.2 proto icmp

say "certificates: the company CA, the SG (vpn.company.com), the client (alice@company.com)"
pki=$top/pki
mkdir -p "$pki"
pki_ca ca "company.com CA"
pki_cert sg P-256 vpn.company.com ca
pki_cert alice P-256 alice ca email:alice@company.com
openssl x509 -in "$pki/alice.pem" -noout -subject -issuer -ext subjectAltName

say "the IKE daemons: the SG's (pool 10.99.0.0/24) and the client's (asks for an address)"
G=$top/sg M=$top/mn
mkdir -p "$G" "$M"
cat > "$G/ikev2d.conf" <<EOF
conn rw {
    local %any ; remote %any
    local-id vpn.company.com ; remote-id %any
    auth pubkey
    cert $pki/sg.pem ; key $pki/sg.key ; ca $pki/ca.pem
    local-ts 10.2.0.0/24
    pool 10.99.0.0/24 ; dns 10.2.0.53
    dpd 10
}
EOF
cat > "$M/ikev2d.conf" <<EOF
conn vpn {
    local 10.1.0.2 ; remote 10.1.0.1
    local-id email:alice@company.com ; remote-id vpn.company.com
    auth pubkey
    cert $pki/alice.pem ; key $pki/alice.key ; ca $pki/ca.pem
    remote-ts 10.2.0.0/24
    vips 0.0.0.0
}
EOF
cat "$M/ikev2d.conf"
ikev2d_start r "$G"
ikev2d_start a "$M"
rw_server "$top"

say "the client connects"
check "ike up" q mn_ike ike up vpn
has_vip() { n a ip -4 -o addr show dev lo | grep -q 'inet 10\.99\.0\.1/32'; }
child_up() { mn_ike ike list | grep -q '^child vpn.* INSTALLED'; }
check "the client has its Child SA" within 60 child_up
check "and its inner address from the pool, 10.99.0.1" within 10 has_vip
mn_ike ike list
n a ip -4 -o addr show dev lo

say "the SG instantiated company.com's template for this client (its SPD)"
sg ipsecctl policy list | grep -E 'alice|name company' || true
check "a per-client entry names alice@company.com and 10.99.0.1" \
	sh -c "ip netns exec r ipsecctl policy list | grep 'name alice@company.com' | grep -q 10.99.0.1"

say "the SG's SAD: the deck's pair of SAs, for this client alone"
sg ipsecctl sa list
check_eq "two SAs on the SG" 2 "$(gw_sas)"

say "the client and the server talk through the tunnel"
check "the client pings the server" within 30 ping_ok a 10.2.0.2
check_eq "the server sees the client's inner address" 10.99.0.1 "$(rw_peer a)"
check_eq "a 256 KiB download arrives intact (SHA-256)" "$want" "$(rw_fetch a)"
check_fail "clear text from the client's outer address is still DISCARDed" \
	q n a ping -q -c 1 -W 2 -I 10.1.0.2 10.2.0.2

say "MOBIKE: the client's outer address changes under a running download"
rw_stream "$top"
rw_stream_get a "$top"
check "the download runs" within 30 got_at_least 65536
spis_before=$(sg ipsecctl -j sa list | jq -r .spi_hex | sort)
n a ip link set wlan up
n a ip route add default via 10.4.0.1 dev wlan metric 200
check "the client announced its wlan address" \
	within 30 grep -q "telling the peer about our [0-9]* additional address" "$M/ikev2d.log"
t0=$SECONDS
n a ip link set eth-r down
log "eth-r is down; the client probes and moves"
moved() { [ "$(sg ipsecctl -j sa list | jq -r 'select(.dir == "out") | .dst')" = 10.4.0.2 ]; }
check "the SG's SAs now point at 10.4.0.2" within 60 moved
log "moved in $((SECONDS - t0)) s"
sg ipsecctl sa list
check_eq "the same SPIs: the SAs were moved in place, not made again" \
	"$spis_before" "$(sg ipsecctl -j sa list | jq -r .spi_hex | sort)"
touch "$top/go1" "$top/go2"
check "the 384 KiB download arrived whole across the move" stream_intact
check "the client still pings the server" within 30 ping_ok a 10.2.0.2

say "everything else from the untrusted side is DISCARDed"
before=$(discards)
check_fail "clear text from the new outer address" q n a ping -q -c 1 -W 2 -I 10.4.0.2 10.2.0.2
check "the SG counted it" test "$(discards)" -gt "$before"
sg ipsecctl stats

say "the daemons stop: SAs and per-client entries go with them"
ike_stop
check_eq "the SG's SAD is empty" 0 "$(gw_sas)"
check "no per-client entry is left" no_policy alice@company.com
check_fail "the client's inner address is gone" has_vip
