#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tunnel benchmark (not a test): make bench, or
#   NFSEC_BENCH=1 selftests/vm/run -- selftests/bench/tunnel.sh
#
#   a 10.0.0.1 <--veth--> b 10.0.0.2
#
# In one VM boot, the same ESP tunnel (host to host, tunnel mode) between a
# and b made three ways: no IPsec (plain routing), the kernel's XFRM on both
# sides, nfsec on both sides; and per algorithm: iperf3 TCP throughput a -> b
# and UDP packets/s with small datagrams. Prints a table with the ratio
# nfsec/XFRM. Numbers from a TCG VM are only comparable with each other.
# A second table takes nfsec's TCP number apart: again with GRO on b's
# veth (a veth has it off; nfsec0 merges the decrypted segments only
# behind a device with GRO on, as on a NIC, and as XFRM does), and again
# with a's inner packets marked (nfsec then looks up the outer route per
# packet instead of using the SA's cached one: route.c).
# A benchmark, not a test: make check skips it unless NFSEC_BENCH=1.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../sa/interop.bash"
. "$(dirname "$0")/tunnel.bash"
[ -n "${NFSEC_BENCH:-}" ] || skip "a benchmark: run with NFSEC_BENCH=1"
command -v iperf3 >/dev/null || skip "iperf3 is not installed"
secs=${NFSEC_BENCH_SECS:-5}
tmp=$(mktemp -d)
on_exit rm -rf "$tmp"

topo_pair
nfsec_load
A=10.0.0.1 B=10.0.0.2

tcp_only() {
	n b iperf3 -s -1 -D -p 5203 >/dev/null
	sleep 0.5
	n a iperf3 -c $B -p 5203 -t "$secs" -J 2>/dev/null |
		jq '.end.sum_received.bits_per_second / 1e6' | xargs printf '%.0f\n'
}

# Mbit/s of one TCP stream a -> b, and kpps of 64-byte UDP datagrams a -> b
# as b received them.
measure() {
	local tcp udp
	n b iperf3 -s -1 -D -p 5201 >/dev/null
	sleep 0.5
	tcp=$(n a iperf3 -c $B -p 5201 -t "$secs" -J 2>/dev/null |
	      jq '.end.sum_received.bits_per_second / 1e6')
	n b iperf3 -s -1 -D -p 5202 >/dev/null
	sleep 0.5
	udp=$(n a iperf3 -c $B -p 5202 -u -b 0 -l 64 -t "$secs" -J 2>/dev/null |
	      jq '(.end.sum.packets - .end.sum.lost_packets) / .end.sum.seconds / 1000')
	printf '%.0f %.1f\n' "${tcp:-0}" "${udp:-0}"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

clear_all
parts=()
read -r plain_tcp plain_udp <<<"$(measure)"
printf '%-18s %12s %12s %12s %8s %12s %12s %8s\n' algorithm "plain Mb/s" \
	"XFRM Mb/s" "nfsec Mb/s" ratio "XFRM kpps" "nfsec kpps" ratio
# interop.bash's algorithms (the keys: one per direction, its sender's
# last address byte).
for name in aes128gcm16 chacha20poly1305 aes128-sha256; do
	IFS='|' read -r _ nf x <<<"$(alg "$name")"
	clear_all
	xfrm_side a $A $B "$x"
	xfrm_side b $B $A "$x"
	ping_ok a $B || log "$name: XFRM tunnel does not pass ping"
	read -r x_tcp x_udp <<<"$(measure)"
	clear_all
	nfsec_side a $A $B "$nf"
	nfsec_side b $B $A "$nf"
	ping_ok a $B || log "$name: nfsec tunnel does not pass ping"
	read -r n_tcp n_udp <<<"$(measure)"
	printf '%-18s %12s %12s %12s %8s %12s %12s %8s\n' "$name" "$plain_tcp" \
		"$x_tcp" "$n_tcp" "$(ratio "$n_tcp" "$x_tcp")" \
		"$x_udp" "$n_udp" "$(ratio "$n_udp" "$x_udp")"
	n b ethtool -K eth-a gro on
	gro=$(tcp_only)
	n b ethtool -K eth-a gro off
	n a nft add table inet bench
	n a nft add chain inet bench out '{ type filter hook output priority 0; }'
	n a nft add rule inet bench out meta mark set 1
	nocache=$(tcp_only)
	n a nft delete table inet bench
	parts+=("$(printf '%-18s %12s %12s %10s %12s %12s' "$name" "$n_tcp" "$gro" \
		"$(ratio "$gro" "$n_tcp")" "$nocache" "$(ratio "$n_tcp" "$nocache")")")
done
echo
printf '%-18s %12s %12s %10s %12s %12s\n' algorithm "nfsec Mb/s" "veth GRO" "GRO/nfsec" \
	"route/pkt" "nfsec/route"
printf '%s\n' "${parts[@]}"
printf 'plain routing: %s Mb/s TCP, %s kpps UDP (64-byte datagrams); %s s per run\n' \
	"$plain_tcp" "$plain_udp" "$secs"
