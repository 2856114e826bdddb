#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The nfsec demo, played inside the bench VM: the design deck's Security
# Gateway (shared reference "VPN Example: Initial SPD - SG").
#
#   mn (mobile node)          sg (Security Gateway)           server
#   10.1.0.2  <--untrusted-->  10.1.0.1 | 10.2.0.1  <--trusted-->  10.2.0.2
#
# Clients of company.com get inner addresses from 10.9.0.0/24 (routed by
# the SG towards the untrusted side). The SG's SPD: BYPASS IKE on UDP
# 500/4500, PROTECT the clients' traffic with one SA per inner address (PFP),
# DISCARD everything else. With no SA yet, the SG asks its IKE daemon for one
# (ACQUIRE) the moment the server talks to a client; the SAs an IKE daemon
# would negotiate are then installed by hand, the held packet goes out, and
# client and server talk through the tunnel.
. "$(dirname "$0")/../lib.sh"

say() { printf '\n=== %s\n' "$*"; }
sg() { n r "$@"; }
spd=$(mktemp)
events=$(mktemp)
on_exit rm -f "$spd" "$events"

say "load nfsec: one modprobe, and nothing changes until policies arrive"
nfsec_load
grep '^nfsec ' /proc/modules

say "three hosts as network namespaces"
topo_router
n r ip route add 10.9.0.0/24 via 10.1.0.2
n b ip route add 10.9.0.0/24 via 10.2.0.1
check "mn reaches the server through the SG (empty SPD: BYPASS)" ping_ok a 10.2.0.2

say "the SG's SPD, replaced atomically from a file (ipsecctl -f)"
cat >"$spd" <<'EOF'
# BYPASS the IKEv2 channel (the deck's first table)
dir in  dst 10.1.0.1 proto udp dport 500  priority 100 action bypass
dir out src 10.1.0.1 proto udp sport 500  priority 100 action bypass
dir in  dst 10.1.0.1 proto udp dport 4500 priority 100 action bypass
dir out src 10.1.0.1 proto udp sport 4500 priority 100 action bypass
# PROTECT company.com's clients: one SA per inner address (PFP)
dir fwd src 10.9.0.0/24 name company.com pfp src priority 200 action protect ipsec esp mode tunnel proposal aes128gcm16
dir out dst 10.9.0.0/24 name company.com pfp dst priority 200 action protect ipsec esp mode tunnel proposal aes128gcm16
# the trusted network reaches the SG in clear; OUT then protects it
dir fwd src 10.2.0.0/24 dst 10.9.0.0/24 priority 300 action bypass
# and what the clients send, once decrypted, leaves for it in clear
dir out src 10.9.0.0/24 dst 10.2.0.0/24 priority 300 action bypass
# DISCARD anything else
dir in  priority 1000 action discard
dir fwd priority 1000 action discard
dir out priority 1000 action discard
EOF
cat "$spd"
check "the SPD loads" sg ipsecctl -f "$spd"
sg ipsecctl policy list

say "which entry decides what (ipsecctl policy lookup)"
sg ipsecctl policy lookup dir in src 10.1.0.2 dst 10.1.0.1 proto udp sport 500 dport 500
sg ipsecctl policy lookup dir out src 10.2.0.2 dst 10.9.0.7 proto tcp sport 80 dport 40000
sg ipsecctl policy lookup dir fwd src 10.1.0.2 dst 10.2.0.2 proto icmp

sg ipsecctl -j monitor >"$events" &
on_exit kill $!
sleep 0.5

say "IKE reaches the SG in clear (BYPASS)"
sg socat -u UDP4-RECV:500,bind=10.1.0.1 OPEN:/dev/null &
listener=$!
on_exit kill $listener
sleep 0.3
before=$(sg ipsecctl -j stats | jq .dir.in.bypass)
n a socat -u /dev/zero,readbytes=64 UDP4-SENDTO:10.1.0.1:500,sourceport=500
check "the SG counted the IKE packet as BYPASS" \
	test "$(sg ipsecctl -j stats | jq .dir.in.bypass)" -gt "$before"

say "clear text from the untrusted side is DISCARDed"
check_fail "mn cannot ping the server any more" ping_ok a 10.2.0.2
check_fail "nor the SG itself" ping_ok a 10.1.0.1

say "the server talks to a client: PROTECT without an SA raises an ACQUIRE"
n b ping -q -c 1 -W 1 10.9.0.7 >/dev/null 2>&1 || true
wait_for 10 grep -q acquire "$events"
cat "$events"
check "the ACQUIRE asks for an SA for client 10.9.0.7 (PFP dst)" grep -q '10\.9\.0\.7' "$events"

say "the IKE daemon answers the ACQUIRE: here its SAs, by hand, on the SG and on the client"
# The client (mn) has its inner address 10.9.0.7 and protects its traffic
# to the trusted network with the SG as tunnel peer.
K1=0x000102030405060708090a0b0c0d0e0f10111213	# SG -> client
K2=0x101112131415161718191a1b1c1d1e1f20212223	# client -> SG
n a ip addr add 10.9.0.7/32 dev lo
n a ip route add 10.2.0.0/24 via 10.1.0.1 src 10.9.0.7
n a ipsecctl policy add dir out src 10.9.0.7 dst 10.2.0.0/24 action protect \
	ipsec esp mode tunnel tunnel 10.1.0.2 10.1.0.1 >/dev/null
n a ipsecctl policy add dir in src 10.2.0.0/24 dst 10.9.0.7 action protect \
	ipsec esp mode tunnel tunnel 10.1.0.1 10.1.0.2 >/dev/null
n a ipsecctl sa add dir in spi 0x1001 src 10.1.0.1 dst 10.1.0.2 ipsec esp mode tunnel \
	aead 'rfc4106(gcm(aes))' $K1 128 replay-window 64
n a ipsecctl sa add dir out spi 0x2002 src 10.1.0.2 dst 10.1.0.1 ipsec esp mode tunnel \
	aead 'rfc4106(gcm(aes))' $K2 128
sg ipsecctl sa add dir in spi 0x2002 src 10.1.0.2 dst 10.1.0.1 ipsec esp mode tunnel \
	aead 'rfc4106(gcm(aes))' $K2 128 replay-window 64 sel src 10.9.0.7
# The outbound SA releases the packet the ACQUIRE held.
sg ipsecctl sa add dir out spi 0x1001 src 10.1.0.1 dst 10.1.0.2 ipsec esp mode tunnel \
	aead 'rfc4106(gcm(aes))' $K1 128 sel dst 10.9.0.7
check "the held packet went out: no ACQUIRE is pending" \
	test "$(sg ipsecctl -j stats | jq .larval)" = 0

say "protected traffic between the client and the server, through the SG"
check "the server pings the client" ping_ok b 10.9.0.7
check "the client pings the server from its inner address" \
	q n a ping -q -c 2 -W 2 -I 10.9.0.7 10.2.0.2
check_fail "clear text from the client's outer address is still DISCARDed" \
	q n a ping -q -c 1 -W 2 -I 10.1.0.2 10.2.0.2

say "the SG's SAs and their counters (keys are never shown unless asked)"
sg ipsecctl -s sa list
say "decrypted packets re-entered the SG's stack on nfsec0"
sg ip -s link show nfsec0

say "the SG's counters"
sg ipsecctl stats
