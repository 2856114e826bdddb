#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stress (issue 7): minutes of it, so not part of make check; run with
# make stress (Debian kernel) or make stress-debug. For NFSEC_STRESS_SECONDS
# (300), while iperf3 sends TCP from a to b through an ESP transport pair:
#
#  - the pair is rekeyed every NFSEC_STRESS_REKEY seconds (2), make before
#    break, as an IKE daemon does: new SAs with new SPIs and keys on both
#    sides, the sender moves to them (the newest SA of the reqid), the old
#    ones are deleted a second later;
#  - on each CPU of the VM, pinned there, a churn loop: in a, batches of
#    NFSEC_STRESS_BATCH (500) forwarding policies added then flushed, and of
#    inbound SAs added then deleted; in b, the whole SPD replaced atomically
#    (ipsecctl -f) by one of two files of as many policies, the stream's
#    own among them, and the same SA batches.
#
# Then: iperf3 moved data in every second but a few (a rekey must not stall
# the stream), no splat, a and b hold exactly the stream's policies and its
# current SA pair once the loops stop and clean up after themselves, the
# pair still carries traffic, and (lib.sh, the VM harness) nfsec unloads
# with no leak on the debug kernel.
#
#   a 10.0.0.1 <--veth--> 10.0.0.2 b
. "$(dirname "$0")/../lib.sh"
command -v iperf3 >/dev/null || skip "iperf3 is not installed"

secs=${NFSEC_STRESS_SECONDS:-300}
rekey_every=${NFSEC_STRESS_REKEY:-2}
batch=${NFSEC_STRESS_BATCH:-500}
cpus=$(nproc)
A=10.0.0.1 B=10.0.0.2
GCM="rfc4106(gcm(aes))"
tmp=$(mktemp -d)
on_exit rm -rf "$tmp"
on_exit bg_stop

# A key per generation and direction, 20 bytes (AES-128 and its salt).
key() { printf '0x%08x%032x' "$1" "$2"; }

# Generation G's SAs: SPI 0x10000+G from a to b, 0x20000+G back.
sa_pair() { # G: inbound first on both sides, then the outbound ones
	local g=$1 ab=$((0x10000 + $1)) ba=$((0x20000 + $1))
	n b ipsecctl sa add dir in spi $ab src $A dst $B ipsec esp mode transport \
		reqid 1 aead "$GCM" "$(key $g 1)" 128 replay-window 1024 &&
	n a ipsecctl sa add dir in spi $ba src $B dst $A ipsec esp mode transport \
		reqid 1 aead "$GCM" "$(key $g 2)" 128 replay-window 1024 &&
	n a ipsecctl sa add dir out spi $ab src $A dst $B ipsec esp mode transport \
		reqid 1 aead "$GCM" "$(key $g 1)" 128 &&
	n b ipsecctl sa add dir out spi $ba src $B dst $A ipsec esp mode transport \
		reqid 1 aead "$GCM" "$(key $g 2)" 128
}
sa_pair_del() { # G: outbound first, then inbound
	local ab=$((0x10000 + $1)) ba=$((0x20000 + $1))
	n a ipsecctl sa del spi $ab dst $B ipsec esp &&
	n b ipsecctl sa del spi $ba dst $A ipsec esp &&
	n b ipsecctl sa del spi $ab dst $B ipsec esp &&
	n a ipsecctl sa del spi $ba dst $A ipsec esp
}

stream_policies() { # SELF PEER: the two policies, in ipsecctl -f's format
	echo "dir out src $1 dst $2 priority 100 action protect ipsec esp mode transport reqid 1"
	echo "dir in src $2 dst $1 priority 100 action protect ipsec esp mode transport reqid 1"
}

# The churn's batches. Their addresses (10.9/16, 10.8/16) are nobody's:
# the stream never matches them.
for ((i = 0; i < batch; i++)); do
	echo "policy add dir fwd src 10.9.$((i / 250)).$((i % 250))/32 dst 10.8.0.0/16 proto udp priority $((1000 + i)) action discard"
done >"$tmp/fwd.batch"
for ns in a b; do
	self=$A
	[ $ns = b ] && self=$B
	for cpu in $(seq 0 $((cpus - 1))); do
		for ((i = 0; i < batch; i++)); do
			echo "sa add dir in spi $((0x100000 * (cpu + 1) + i)) src 10.9.0.$((cpu + 1)) dst $self ipsec esp mode transport aead $GCM $(key 0 3) 128"
		done >"$tmp/sa-add.$ns.$cpu"
		sed 's/^sa add dir in \(spi [0-9]*\) src [0-9.]* \(dst [0-9.]*\) ipsec esp .*/sa del \1 \2 ipsec esp/' \
			"$tmp/sa-add.$ns.$cpu" >"$tmp/sa-del.$ns.$cpu"
	done
done
for set in 0 1; do
	{
		stream_policies $B $A
		for ((i = 0; i < batch; i++)); do
			echo "dir in src 10.9.$((i / 250)).$((i % 250))/32 dst 10.8.$set.0/24 priority $((1000 + i)) action discard"
		done
	} >"$tmp/spd.$set"
done

# Each loop counts its rounds in a file: the rates come from there.
churn_loop() { # NS CPU KIND
	local ns=$1 cpu=$2 kind=$3 rounds=0 set=0
	while :; do
		case $kind in
		fwd) ipsecctl -b "$tmp/fwd.batch" && ipsecctl policy flush dir fwd ;;
		spd) ipsecctl -f "$tmp/spd.$set"; set=$((1 - set)) ;;
		sa) ipsecctl -b "$tmp/sa-add.$ns.$cpu" && ipsecctl -b "$tmp/sa-del.$ns.$cpu" ;;
		esac >/dev/null 2>&1
		rounds=$((rounds + 1))
		echo $rounds >"$tmp/rounds.$ns.$cpu.$kind"
	done
}
# (ip netns exec, not n: a function started with & is a subshell, and
# killing it would leave the loop running.)
start_churn() {
	local cpu ns kind ns_kind
	for cpu in $(seq 0 $((cpus - 1))); do
		for ns_kind in a:fwd a:sa b:spd b:sa; do
			ns=${ns_kind%:*} kind=${ns_kind#*:}
			ip netns exec $ns taskset -c "$cpu" bash -c \
				"$(declare -f churn_loop); tmp=$tmp; churn_loop $ns $cpu $kind" &
			bg_pids+=($!)
		done
	done
}
rounds() { # KIND: all loops' rounds of that kind
	cat "$tmp"/rounds.*."$1" 2>/dev/null | paste -sd+ | bc
}

topo_pair
nfsec_load
gen=0
check "the stream's SAs" sa_pair $gen
stream_policies $A $B | sed 's/^/policy add /' >"$tmp/a.policies"
check "a's policies" q n a ipsecctl -b "$tmp/a.policies"
check "b's SPD" q n b ipsecctl -f "$tmp/spd.0"
check "a pings b through ESP" ping_ok a $B

# TCP retransmits here even without churn or rekeys: over the veth, the
# stream reaches b reordered (performance.md, "Reordering"). A baseline
# run without them says what the path costs on its own, and both sides'
# counters say which kind of retransmission it was (timeouts, fast
# retransmits of reordered segments, tail-loss probes, spurious ones the
# receiver reports with D-SACK).
TCP_COUNTERS="TcpRetransSegs TcpExtTCPTimeouts TcpExtTCPFastRetrans TcpExtTCPLossProbes TcpExtTCPSACKReorder TcpExtTCPDSACKRecv TcpExtTCPSpuriousRtxHostQueues TcpExtTCPOFOQueue TcpExtTCPOFODrop TcpExtTCPBacklogDrop"
tcp_counters() { # NS: NAME=VALUE for TCP_COUNTERS (absolute; fresh namespaces)
	# shellcheck disable=SC2086
	n "$1" nstat -asz $TCP_COUNTERS | awk 'NF >= 2 && $1 !~ /^#/ && $2 != 0 { printf "%s=%s ", $1, $2 }'
}
# softnet_stat's second column: packets dropped for a full backlog, per CPU.
backlog_drops() {
	local _ dropped s=0
	while read -r _ dropped _; do
		s=$((s + 16#$dropped))
	done </proc/net/softnet_stat
	echo $s
}

base_secs=${NFSEC_STRESS_BASELINE:-10}
n b iperf3 -s -1 -D -p 5202 >/dev/null
sleep 0.5
if n a iperf3 -c $B -p 5202 -t "$base_secs" -J >"$tmp/base.json" 2>"$tmp/base.err"; then
	log "baseline, no churn: $(jq '.end.sum_received.bits_per_second / 1e6 | floor' "$tmp/base.json") Mb/s," \
		"$(jq '.end.sum_sent.retransmits // 0' "$tmp/base.json") segments retransmitted in $base_secs s"
else
	log "baseline iperf3 failed: $(tail -1 "$tmp/base.err")"
fi
log "baseline counters: a: $(tcp_counters a)"
log "baseline counters: b: $(tcp_counters b)"
backlog_before=$(backlog_drops)

n b iperf3 -s -1 -D -p 5201 >/dev/null
sleep 0.5
n a iperf3 -c $B -p 5201 -t "$secs" -i 1 -J >"$tmp/iperf.json" 2>"$tmp/iperf.err" &
iperf=$!
start_churn
log "iperf3 for $secs s; $cpus CPUs, 4 churn loops each; a rekey every $rekey_every s"
end=$((SECONDS + secs))
rekeys=0 rekey_failed=0
while [ $SECONDS -lt $((end - rekey_every)) ]; do
	sleep "$rekey_every"
	if sa_pair $((gen + 1)); then
		sleep 1
		sa_pair_del $gen || rekey_failed=$((rekey_failed + 1))
		gen=$((gen + 1)) rekeys=$((rekeys + 1))
	else
		rekey_failed=$((rekey_failed + 1))
	fi
done
iperf_rc=0
wait $iperf || iperf_rc=$?
bg_stop

log "rekeys: $rekeys ($rekey_failed failed)"
log "churn: $(rounds fwd) rounds of $batch forwarding policies added and flushed (a)," \
	"$(rounds spd) atomic replaces of $((batch + 2)) policies (b)," \
	"$(rounds sa) rounds of $batch SAs added and deleted (a and b)"
log "that is $(( ($(rounds fwd) * batch * 2 + $(rounds spd) * (batch + 2) + $(rounds sa) * batch * 2) / secs )) policy and SA operations/s"
check_eq "iperf3 ran to its end" 0 "$iperf_rc"
check_eq "every rekey went through" 0 "$rekey_failed"
check "at least one every 30 s" test "$rekeys" -ge $((secs / 30))
intervals=$(jq '.intervals | length' "$tmp/iperf.json")
stalled=$(jq '[.intervals[] | select(.sum.bytes == 0)] | length' "$tmp/iperf.json")
mbps=$(jq '.end.sum_received.bits_per_second / 1e6 | floor' "$tmp/iperf.json")
retr=$(jq '.end.sum_sent.retransmits // 0' "$tmp/iperf.json")
log "iperf3: $mbps Mb/s received, $retr segments retransmitted, $stalled of $intervals one-second intervals without data"
for ns in a b; do
	log "$ns's drops: $(n $ns ipsecctl -j stats | jq -c '.drops | with_entries(select(.value > 0))')"
	log "$ns's counters after both runs: $(tcp_counters $ns)"
done
log "backlog drops in the VM during the run: $(( $(backlog_drops) - backlog_before ))"
check "the stream moved data in all but 5 % of the seconds" test $((stalled * 20)) -le "$intervals"

# The loops were killed in the middle of a round: clean up after them.
n a ipsecctl policy flush dir fwd
n b ipsecctl -f "$tmp/spd.0" >/dev/null
for ns in a b; do
	n $ns ipsecctl -j sa list |
		jq -r 'select(.spi >= 1048576) | "sa del spi \(.spi) dst \(.dst) ipsec esp"' \
		>"$tmp/leftover.$ns"
	check "$ns: the churn's last SAs ($(wc -l <"$tmp/leftover.$ns")) deleted" \
		q n $ns ipsecctl -b "$tmp/leftover.$ns"
done
check_eq "a's SAD: the stream's pair" 2 "$(n a ipsecctl -j sa list | jq -s length)"
check_eq "b's SAD: the stream's pair" 2 "$(n b ipsecctl -j sa list | jq -s length)"
check_eq "a's SPD: the stream's policies" 2 "$(n a ipsecctl -j policy list | jq -s length)"
check_eq "b's SPD: the file's" $((batch + 2)) "$(n b ipsecctl -j policy list | jq -s length)"
out_packets() { n a ipsecctl -j -s sa list | jq -r 'select(.dir == "out") | .stats.packets'; }
before=$(out_packets)
check "a pings b 20 times" q n a ping -q -c 20 -i 0.05 -W 2 $B
check "through generation $gen's SA" test "$(out_packets)" -ge $((before + 20))
