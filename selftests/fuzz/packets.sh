#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packet fuzzing of nfsec's inbound path: real ESP, AH and ESP-in-UDP
# packets, captured as XFRM sends them, are mutated by pktfuzz.py and sent
# to nfsec by the thousand; afterwards every SA still carries traffic, the
# drops were counted, and (lib.sh, the VM harness) the module unloads with
# no splat and, on the debug kernel, no leak.
#
#   a (nfsec, inbound SAs)  10.0.0.1 fd00::1 --veth-- 10.0.0.2 fd00::2  b (XFRM, pktfuzz)
#
#   SPI     proto  mode       family  to a's UDP port
#   0x4001  ESP    transport  IPv4    9001   AES-GCM, ESN, replay window 4096
#   0x4002  ESP    tunnel     IPv6    9002   AES-CBC + HMAC-SHA-256
#   0x4003  AH     transport  IPv4    9003   HMAC-SHA-256
#   0x4004  AH     transport  IPv6    9004   HMAC-SHA-512
#   0x4005  ESP    tunnel     IPv4    9005   AES-GCM in UDP 4500
#
# NFSEC_FUZZ_PACKETS (default 100000, 8000 on the debug kernel) packets,
# NFSEC_FUZZ_SEED for a replay.
#
# nfsec-test: debug
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../spd/traffic.bash"
trap '_traffic_cleanup; _cleanup' EXIT

dir=$(cd "$(dirname "$0")" && pwd)
if [ -e /sys/kernel/debug/kmemleak ]; then packets=8000; else packets=100000; fi
packets=${NFSEC_FUZZ_PACKETS:-$packets}
seed=${NFSEC_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

topo_pair
nfsec_load

GCM="rfc4106(gcm(aes))"
K20=0x000102030405060708090a0b0c0d0e0f10111213
K16=0x000102030405060708090a0b0c0d0e0f
K32=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
K64=$K32${K32#0x}

# One SA b -> a: nfsec's inbound SA and policy on a, XFRM's on b.
# sa SPI FAMILY PORT PROTO MODE "NFSEC OPTIONS" "XFRM OPTIONS"
sa() {
	local spi=$1 fam=$2 port=$3 p=$4 mode=$5 nf=$6 x=$7 A B tun=""
	if [ "$fam" = 4 ]; then A=10.0.0.1 B=10.0.0.2; else A=fd00::1 B=fd00::2; fi
	[ "$mode" = tunnel ] && tun="tunnel $B $A"
	# shellcheck disable=SC2086
	n a ipsecctl sa add dir in spi "$spi" src $B dst $A ipsec $p mode $mode \
		reqid "$spi" $nf >/dev/null &&
	n a ipsecctl policy add dir in src $B dst $A proto udp dport "$port" priority 100 \
		action protect ipsec $p mode $mode $tun reqid "$spi" >/dev/null &&
	# shellcheck disable=SC2086
	n b ip xfrm state add src $B dst $A proto $p spi "$spi" reqid "$spi" mode $mode \
		$x &&
	n b ip xfrm policy add dir out src $B dst $A proto udp dport "$port" priority 100 \
		tmpl src $B dst $A proto $p reqid "$spi" mode $mode
}

setup() {
	local t
	for t in 133 134 135 136; do
		n a ipsecctl policy add dir in proto ipv6-icmp type $t priority 10 action bypass >/dev/null
	done
	sa 0x4001 4 9001 esp transport "aead $GCM $K20 128 esn replay-window 4096" \
		"aead $GCM $K20 128 flag esn replay-window 4096" &&
	sa 0x4002 6 9002 esp tunnel "enc cbc(aes) $K16 auth hmac(sha256) $K32" \
		"enc cbc(aes) $K16 auth-trunc hmac(sha256) $K32 128" &&
	sa 0x4003 4 9003 ah transport "auth hmac(sha256) $K32" \
		"auth-trunc hmac(sha256) $K32 128" &&
	sa 0x4004 6 9004 ah transport "auth hmac(sha512) $K64" \
		"auth-trunc hmac(sha512) $K64 256" &&
	sa 0x4005 4 9005 esp tunnel "aead $GCM $K20 128 encap espinudp 4500 4500" \
		"aead $GCM $K20 128 encap espinudp 4500 4500 0.0.0.0"
}

addr() { case $1 in 9002|9004) echo fd00::1 ;; *) echo 10.0.0.1 ;; esac; }
# One datagram b -> a on PORT arrives (tried five times: a loaded debug
# kernel can take longer than udp_ok waits).
delivered() { # PORT
	local i
	for i in 1 2 3 4 5; do
		udp_ok b a "$(addr "$1")" "$1" && return 0
		log "UDP to $1: not yet (try $i)"
	done
	return 1
}
ports="9001 9002 9003 9004 9005"
all_drops() {
	n a ipsecctl -j -s sa list | jq -s '[.[].stats.drops | to_entries[].value] | add'
}

check "SAs and policies on both sides" setup
for port in $ports; do
	check "UDP to $port arrives protected" delivered $port
done

# Seeds: a few datagrams per SA, small and large (the large ones leave b in
# fragments: XFRM fragments the ESP packet).
pcap=$_tmp/seeds.pcap
n b timeout 300 tcpdump -q -U -c 30 -i eth-a -w "$pcap" "esp or ah or udp port 4500" 2>/dev/null &
tcpd=$!
_bg+=($tcpd)
# tcpdump starts slowly on a loaded debug kernel: send until it has its 30.
for _ in $(seq 60); do
	for port in $ports; do
		head -c $((RANDOM % 1800 + 1)) /dev/urandom |
			n b socat -u - "UDP$(_pf "$(addr $port)"):$(_sockaddr "$(addr $port)"):$port"
	done
	sleep 0.5
	kill -0 $tcpd 2>/dev/null || break
done
wait $tcpd 2>/dev/null || true
check "seed packets captured" test -s "$pcap"
log "$(n b tcpdump -r "$pcap" 2>/dev/null | wc -l) seed packets"

before=$(all_drops)
log "pktfuzz.py: $packets packets, seed $seed (NFSEC_FUZZ_PACKETS, NFSEC_FUZZ_SEED)"
check "the fuzzer ran" n b python3 "$dir/pktfuzz.py" "$pcap" eth-a "$packets" "$seed"
after=$(all_drops)
log "per-SA drops: $before before, $after after"
n a ipsecctl -j -s sa list | jq -c '{spi, drops: .stats.drops}' | sed 's/^/# /'
n a ipsecctl -j stats | jq -c '.drops' | sed 's/^/# SPD drops: /'
check "mutated packets were dropped and counted" test "$after" -gt "$before"

for port in $ports; do
	check "UDP to $port still arrives protected" delivered $port
done
check "a still answers b's ping" ping_ok b 10.0.0.1
# With its SAs and policies still in place: teardown must free them all.
check "nfsec unloads with live SAs (no reference left behind)" rmmod nfsec
