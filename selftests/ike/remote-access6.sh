#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Remote access over IPv6, with an inner address of each family: the
# client reaches the gateway at fd01::1, asks for 0.0.0.0 and :: (CP,
# RFC 7296 §3.15) and gets one address from each of the gateway's pools;
# the gateway's Name templates of both families become per-client entries;
# IPv4 and IPv6 to the server travel in the one Child SA, inside IPv6.
#
#   a: client alice  fd01::2 --- fd01::1  r: gateway  fd02::1 --- fd02::2  b: server
#                                           pools 10.99.0.0/24, fd00:99::/120
#
# remote-access.sh is the IPv4 original (the deck's tables, two clients).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"
. "$(dirname "$0")/rw-lib.sh"

topo_router
nfsec_load
n r ip route add 10.99.0.0/24 via 10.1.0.2
n r ip -6 route add fd00:99::/120 via fd01::2
rw_server "$top"
# the server over IPv6: the blob on 8090, the peer's address on 8091
n b socat TCP6-LISTEN:8090,fork,reuseaddr,ipv6only=1 OPEN:"$top/blob" &
_rw_bg+=($!)
n b socat TCP6-LISTEN:8091,fork,reuseaddr,ipv6only=1 SYSTEM:'echo $SOCAT_PEERADDR' &
_rw_bg+=($!)
wait_for 10 sh -c "ip netns exec b ss -Hltn 'sport = :8091' | grep -q ."

# The deck's SPD in both families, and IPv6 neighbour discovery in clear.
cat > "$top/spd.conf" <<'EOF'
dir in  proto udp dport 500  priority 100 action bypass
dir out proto udp sport 500  priority 100 action bypass
dir in  proto udp dport 4500 priority 100 action bypass
dir out proto udp sport 4500 priority 100 action bypass
dir in  proto ipv6-icmp type 135 priority 100 action bypass
dir in  proto ipv6-icmp type 136 priority 100 action bypass
dir out proto ipv6-icmp type 135 priority 100 action bypass
dir out proto ipv6-icmp type 136 priority 100 action bypass
dir in  src 10.99.0.0/24 name company.com pfp src priority 200 action protect ipsec esp mode tunnel
dir fwd src 10.99.0.0/24 name company.com pfp src priority 200 action protect ipsec esp mode tunnel
dir out dst 10.99.0.0/24 name company.com pfp dst priority 200 action protect ipsec esp mode tunnel
dir in  src fd00:99::/120 name company.com pfp src priority 200 action protect ipsec esp mode tunnel
dir fwd src fd00:99::/120 name company.com pfp src priority 200 action protect ipsec esp mode tunnel
dir out dst fd00:99::/120 name company.com pfp dst priority 200 action protect ipsec esp mode tunnel
dir fwd src 10.2.0.0/24 dst 10.99.0.0/24 priority 300 action bypass
dir out src 10.99.0.0/24 dst 10.2.0.0/24 priority 300 action bypass
dir fwd src fd02::/64 dst fd00:99::/120 priority 300 action bypass
dir out src fd00:99::/120 dst fd02::/64 priority 300 action bypass
dir out dst 10.2.0.0/24 proto icmp priority 300 action bypass
dir out dst fd02::/64 proto ipv6-icmp priority 300 action bypass
dir in  priority 1000 action discard
dir fwd priority 1000 action discard
dir out priority 1000 action discard
EOF
q n r ipsecctl -f "$top/spd.conf"

G=$top/gw A=$top/a
mkdir -p "$G" "$A"
cat > "$G/ikev2d.conf" <<EOF
conn rw {
    local fd01::1 ; remote %any
    local-id vpn.company.com
    auth psk ; psk "$PSK"
    local-ts 10.2.0.0/24, fd02::/64
    pool 10.99.0.0/24, fd00:99::/120 ; dns 10.2.0.53, fd02::53
}
EOF
cat > "$A/ikev2d.conf" <<EOF
conn vpn {
    local fd01::2 ; remote fd01::1
    local-id alice@company.com ; remote-id vpn.company.com
    auth psk ; psk "$PSK"
    remote-ts 10.2.0.0/24, fd02::/64
    vips 0.0.0.0 ::
}
EOF
ikev2d_start r "$G"
ikev2d_start a "$A"

has_vips() {
	n a ip -4 -o addr show dev lo | grep -q 'inet 10\.99\.0\.1/32' &&
	n a ip -6 -o addr show dev lo | grep -q 'inet6 fd00:99::1/128'
}
check "client: up" q ikectl "$A" up vpn
check "client: got 10.99.0.1 and fd00:99::1 on lo" within 60 has_vips
check "client: the IKE SA runs over IPv6" \
	sh -c "ip netns exec a ipsecctl -S '$A/ikev2d.sock' ike list | grep -qF 'local [fd01::2]:500 remote [fd01::1]:500'"
check "client: the DNS servers of both families" \
	sh -c "grep -q 'DNS server 10\.2\.0\.53' '$A/ikev2d.log' && grep -q 'DNS server fd02::53' '$A/ikev2d.log'"
outer_fams() { n "$1" ipsecctl -j sa list | jq -r .family | sort -u | tr '\n' ' '; }
check_eq "gateway: two SAs" 2 "$(gw_sas)"
check_eq "gateway: their outer family is IPv6" "inet6 " "$(outer_fams r)"
check_eq "client: its SAs are IPv6 outside too" "inet6 " "$(outer_fams a)"
entries() { gw_policies | grep "alice@company\.com" | grep -c "$1" || true; }
check_eq "gateway: alice's IPv4 entries (in, fwd, out)" 3 "$(entries '10\.99\.0\.1\b')"
check_eq "gateway: alice's IPv6 entries (in, fwd, out)" 3 "$(entries 'fd00:99::1\b')"
client_pols() { n a ipsecctl policy list | grep -c "$1" || true; }
check_eq "client: its policies for the IPv4 selectors (out, in, fwd)" 3 "$(client_pols '10\.99\.0\.1\b')"
check_eq "client: and for the IPv6 ones" 3 "$(client_pols 'fd00:99::1\b')"

check "ping the server over IPv4, inside" within 30 ping_ok a 10.2.0.2
check "ping the server over IPv6, inside" within 30 q n a ping -q -c 1 -W 2 -I fd00:99::1 fd02::2
check_eq "the server sees 10.99.0.1" 10.99.0.1 "$(rw_peer a)"
check_eq "the server sees fd00:99::1" "[fd00:0099:0000:0000:0000:0000:0000:0001]" \
	"$(n a timeout 20 socat -u TCP6:[fd02::2]:8091,connect-timeout=10 -)"
check_eq "a 256 KiB fetch over IPv4 arrives intact" "$want" "$(rw_fetch a)"
check_eq "a 256 KiB fetch over IPv6 arrives intact" "$want" \
	"$(n a timeout 60 socat -u TCP6:[fd02::2]:8090,connect-timeout=10 - | sha256sum | cut -d' ' -f1)"
pk() { n r ipsecctl -j -s sa list | jq -r "select(.dir == \"$1\") | .stats.packets"; }
# (The fetches are downloads: the client sends their ACKs, fewer since its
# nfsec0 merges the decrypted segments with GRO.)
check "gateway: the one inbound SA carried both ($(pk in) packets)" test "$(pk in)" -gt 40
check_fail "clear IPv6 from the client's outside address is discarded" \
	q n a ping -q -c 1 -W 1 -I fd01::2 fd02::2

ike_stop
check_eq "gateway: no SA left" 0 "$(gw_sas)"
check "gateway: no per-client entry left" no_policy "alice@company.com"
check_fail "client: no inner address left" has_vips
