#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kernel allocations that fail (issue 7). failslab's task filter fails the
# slab allocations the kernel makes for marked threads (failslab.h), one in
# NFSEC_FAILSLAB_PERCENT (10) at random:
#
#  1. failsend in a sends UDP through a's ESP SA: nfsec protects locally
#     generated packets in the sender's context, so its whole output path
#     (copies, fragments, GSO segments, crypto requests) meets failures;
#  2. nlfuzz -F in c sends SA and policy requests, valid and random, from
#     two threads: SA creation, crypto allocation, SPD insertion, replies
#     and dumps meet failures;
#
#
# then failslab is turned off. Inbound processing, and the replies the
# stack sends from softirq, run in no task of ours, where the task filter
# never fails anything; nfsec's own fault attribute (kmod/fault.c) does:
#
#  3. /sys/kernel/debug/fail_nfsec fails NFSEC_FAILSLAB_PERCENT of nfsec's
#     packet-path allocations (crypto requests, copies on write) while a
#     floods b with pings through ESP: b decrypts and answers in softirq.
#
# Nothing may crash or splat, nothing may leak (the debug kernel's KASAN,
# lockdep and kmemleak; the VM harness scans the log and kmemleak),
# nlfuzz's model check of the SPD must match, each failure must have been a
# clean error or a counted drop, and traffic flows again.
#
#   a 10.0.0.1, fd00::1 <--veth--> b 10.0.0.2, fd00::2   ESP transport
#   c                                                    nlfuzz alone
#
# Only the debug kernel has failslab.
# nfsec-test: debug-only
. "$(dirname "$0")/../lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
fs=/sys/kernel/debug/failslab
fn=/sys/kernel/debug/fail_nfsec
percent=${NFSEC_FAILSLAB_PERCENT:-10}
seed=${NFSEC_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug || true
[ -d $fs ] || skip "this kernel has no failslab (use --kernel debug)"
make -s -C "$here" nlfuzz failsend >/dev/null

# fault_on DIR Y|N: the fault attribute in DIR fails $percent % of what it
# is asked, silently; Y: only for marked tasks
fault_on() {
	echo "$2" >"$1"/task-filter
	echo 0 >"$1"/verbose
	echo 0 >"$1"/space
	echo 1 >"$1"/interval
	echo -1 >"$1"/times
	echo "$percent" >"$1"/probability
}
fault_off() { [ ! -d "$1" ] || echo 0 >"$1"/probability; }
failslab_on() {
	echo N >$fs/ignore-gfp-wait
	echo N >$fs/cache-filter
	fault_on $fs Y
}
on_exit fault_off $fs
on_exit fault_off $fn

nomem() { # NS: nomem drops, of the namespace and of its SAs
	local g s
	g=$(n "$1" ipsecctl -j stats | jq '.drops.nomem // 0')
	s=$(n "$1" ipsecctl -j -s sa list | jq -s 'map(.stats.drops.nomem // 0) | add // 0')
	echo $((g + s))
}
out_packets() { n a ipsecctl -j -s sa list | jq -r 'select(.dir == "out") | .stats.packets'; }

topo_pair
host_add c
nfsec_load
check "ESP a <-> b" esp_transport a 10.0.0.1 10.0.0.2
check "ESP b <-> a" esp_transport b 10.0.0.2 10.0.0.1
check "ESP a <-> b (IPv6)" esp_transport a fd00::1 fd00::2
check "ESP b <-> a (IPv6)" esp_transport b fd00::2 fd00::1
check "a pings b through ESP" ping_ok a 10.0.0.2
check "and over IPv6" ping_ok a fd00::2
log "failslab: $percent % of the marked threads' slab allocations fail"
failslab_on

log "=== 1: UDP through nfsec's output path"
sent_before=$(out_packets | paste -sd+ | bc)
out4=$(n a "$here/failsend" -d 15 10.0.0.2 9) || fail "failsend (IPv4): $out4"
out6=$(n a "$here/failsend" -d 15 fd00::2 9) || fail "failsend (IPv6): $out6"
log "IPv4: $out4"
log "IPv6: $out6"
refused=$(( $(echo "$out4" | sed -n 's/.*, \([0-9]*\) refused/\1/p') +
	    $(echo "$out6" | sed -n 's/.*, \([0-9]*\) refused/\1/p') ))
sent_after=$(out_packets | paste -sd+ | bc)
drops=$(nomem a)
log "a's SAs sent $((sent_after - sent_before)) packets; $refused sends refused; nfsec counted $drops allocation failures"
check "the sender saw allocation failures (failslab is working)" test "$refused" -gt 0
check "nfsec counted allocation failures as drops" test "$drops" -gt 0
check "and still protected most packets" test $((sent_after - sent_before)) -gt 1000

log "=== 2: SA and policy requests"
out=$(n c "$here/nlfuzz" -F -n 100000000 -d 40 -t 2 -s "$seed" -m 500 -q 2>&1) ||
	{ echo "$out" | sed 's/^/# /'; fail "nlfuzz -F (seed $seed)"; }
echo "$out" | sed 's/^/# /'
check "some requests failed for lack of memory" grep -q 'answers:.* ENOMEM [1-9]' <<<"$out"
check "the SPD dump matches the model" grep -q '^model: .*: match$' <<<"$out"
fault_off $fs

log "=== 3: nfsec's packet-path allocations, softirq context included"
check "the module has its fault attribute" test -d $fn
a_before=$(nomem a) b_before=$(nomem b)
fault_on $fn N
for dst in 10.0.0.2 fd00::2; do
	# Losses are the point: ping's exit status is not.
	out=$(n a ping -q -f -w 8 $dst 2>&1 | grep 'packets transmitted' || true)
	log "ping -f $dst: $out"
done
fault_off $fn
a_drops=$(( $(nomem a) - a_before )) b_drops=$(( $(nomem b) - b_before ))
log "nomem drops counted: a $a_drops, b $b_drops (b's are all in softirq)"
check "b counted failed allocations in softirq as drops" test "$b_drops" -gt 0
check "a counted its own" test "$a_drops" -gt 0

log "=== afterwards"
check "c's family still answers" q n c ipsecctl stats
check_eq "c's SAD flushes to empty" 0 "$(n c ipsecctl sa flush >/dev/null; n c ipsecctl -j sa list | jq -s length)"
check "a still pings b through ESP" ping_ok a 10.0.0.2
check "and over IPv6" ping_ok a fd00::2
before=$(out_packets | paste -sd+ | bc)
check "a pings b 20 times" q n a ping -q -c 20 -i 0.05 -W 2 10.0.0.2
check "through its SAs" test "$(out_packets | paste -sd+ | bc)" -ge $((before + 20))
