#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Reordering benchmark (not a test): make bench-reorder, or
#   NFSEC_BENCH=1 selftests/vm/run -- selftests/bench/reorder.sh
#
#   a 10.0.0.1 <--veth--> 10.0.0.2 b
#
# One iperf3 TCP stream a -> b through the host-to-host ESP tunnel of
# tunnel.sh, made four ways: XFRM on both sides, nfsec on both sides, and
# one of each either way round (the two interoperate). During it, tcpdump
# records the ESP packets twice: leaving a (eth-b, outbound) and arriving
# in b (eth-a). For each capture the script counts
# the packets that came after one with a higher sequence number, how far
# back the worst one was, and those 128 or more behind: the replay window
# tunnel.sh gives both (RFC 4303 §3.4.3 drops them). With them: TCP's
# retransmissions and the replay drops of b's inbound SA.
#
# Why: session 10 found nfsec's TCP retransmitting thousands of segments
# through this tunnel where XFRM's retransmitted none, with nfsec counting
# replay drops and nothing else (Documentation/performance.md).
# NFSEC_BENCH_ALGS (aes128gcm16 aes128-sha256), NFSEC_BENCH_SECS (4).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../sa/interop.bash"
# tunnel.sh's tunnels (SPI 0x100 from a to b, window 128)
. "$(dirname "$0")/tunnel.bash"
[ -n "${NFSEC_BENCH:-}" ] || skip "a benchmark: run with NFSEC_BENCH=1"
command -v iperf3 >/dev/null || skip "iperf3 is not installed"
command -v tcpdump >/dev/null || skip "tcpdump is not installed"
secs=${NFSEC_BENCH_SECS:-4}
tmp=$(mktemp -d)
on_exit rm -rf "$tmp"
on_exit bg_stop

topo_pair
nfsec_load
A=10.0.0.1 B=10.0.0.2

# The ESP packets of SPI 0x100 (a to b) in capture order: "TOTAL LATE
# WORST FAR", the packets, those after a higher sequence number, the
# largest distance back, and those 128 or more back.
order() { # PCAP
	tcpdump -nn -r "$1" 2>/dev/null |
		sed -n 's/.*spi=0x00000100,seq=0x\([0-9a-f]*\).*/\1/p' |
		python3 -c '
import sys
high = late = worst = far = total = 0
for line in sys.stdin:
    seq = int(line, 16)
    total += 1
    if seq < high:
        late += 1
        worst = max(worst, high - seq)
        far += high - seq >= 128
    high = max(high, seq)
print(total, late, worst, far)'
}

# softnet_stat's first column, per CPU: packets taken from the backlogs
# (both namespaces': veth hands every packet to the sending CPU's).
backlog_per_cpu() {
	local n _
	while read -r n _; do
		printf '%d ' $((16#$n))
	done </proc/net/softnet_stat
}
cpu_shares() { # BEFORE AFTER: each CPU's share of the packets in between
	python3 -c '
import sys
b, a = [list(map(int, x.split())) for x in sys.argv[1:3]]
d = [y - x for x, y in zip(b, a)]
t = sum(d) or 1
print(" ".join("cpu%d %d%%" % (i, 100 * v // t) for i, v in enumerate(d)))' "$1" "$2"
}

# One stream with both captures running: a line of the table.
measure() { # WHO ALG STACK-OF-B ITS-REPLAY-DROPS-BEFORE
	local retr t_a t_b ea eb total worst far backlogs
	n b iperf3 -s -1 -D -p 5201 >/dev/null
	n a timeout $((secs + 6)) tcpdump -q -U -i eth-b -Q out -w "$tmp/a.pcap" esp 2>/dev/null &
	t_a=$!
	n b timeout $((secs + 6)) tcpdump -q -U -i eth-a -w "$tmp/b.pcap" esp 2>/dev/null &
	t_b=$!
	bg_pids+=("$t_a" "$t_b")
	sleep 2		# tcpdump starts slowly under TCG
	backlogs=$(backlog_per_cpu)
	retr=$(n a iperf3 -c $B -p 5201 -t "$secs" -J 2>/dev/null |
	       jq '.end.sum_sent.retransmits // "-"')
	shares+=("$1 $2: $(cpu_shares "$backlogs" "$(backlog_per_cpu)")")
	wait "$t_a" "$t_b" || true
	read -r _ ea _ _ <<<"$(order "$tmp/a.pcap")"
	read -r total eb worst far <<<"$(order "$tmp/b.pcap")"
	printf '%-11s %-18s %8s %8s %10s %10s %8s %8s %8s\n' "$1" "$2" "$total" "$retr" \
		"$ea" "$eb" "$worst" "$far" $(( $(replay_drops "$3") - $4 ))
}

# b's replay drops: the nfsec SA's counter, or XFRM's sequence errors
# (cumulative, hence the difference).
replay_drops() { # STACK-OF-B
	case $1 in
	nfsec) n b ipsecctl -j -s sa list | jq -r 'select(.spi == 256) | .stats.drops.replay' ;;
	XFRM) xfrm_seq_errors b ;;
	esac
}

# Each stack on both sides, then one on each side: which end spreads the
# stream over the CPUs, nfsec sending or nfsec receiving?
shares=()
printf '%-11s %-18s %8s %8s %10s %10s %8s %8s %8s\n' "a > b" algorithm packets \
	retrans "late at a" "late at b" worst ">=128" "replay"
for name in ${NFSEC_BENCH_ALGS:-aes128gcm16 aes128-sha256}; do
	IFS='|' read -r _ nf x <<<"$(alg "$name")"
	for pair in XFRM:XFRM nfsec:nfsec nfsec:XFRM XFRM:nfsec; do
		sa=${pair%:*} sb=${pair#*:}
		clear_all
		if [ "$sa" = nfsec ]; then nfsec_side a $A $B "$nf"; else xfrm_side a $A $B "$x"; fi
		if [ "$sb" = nfsec ]; then nfsec_side b $B $A "$nf"; else xfrm_side b $B $A "$x"; fi
		ping_ok a $B || log "$name $pair: the tunnel does not pass ping"
		before=$(replay_drops "$sb")
		measure "$sa>$sb" "$name" "$sb" "$before"
	done
done
clear_all
log "late: arrived after a packet with a higher sequence number; worst: by how many"
log "backlog packets per CPU during each stream (a's data, b's ACKs):"
for line in "${shares[@]}"; do
	log "  $line"
done
