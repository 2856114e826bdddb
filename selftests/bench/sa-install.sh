#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SA install rate (not a test): make bench, or
#   NFSEC_BENCH=1 selftests/vm/run -- selftests/bench/sa-install.sh
#
# In one namespace, N inbound ESP tunnel SAs (AES-GCM-128, window 64, one
# SPI and source each; default N=10000, NFSEC_BENCH_SAS) installed and
# flushed two ways: nfsec with "ipsecctl -b FILE" (one process, one netlink
# request a line) and XFRM with "ip -batch FILE" of "ip xfrm state add";
# then the per-process cost of a loop of 1,000 single commands each.
# Prints times, SAs/s and the ratio nfsec/XFRM.
. "$(dirname "$0")/../lib.sh"
[ -n "${NFSEC_BENCH:-}" ] || skip "a benchmark: run with NFSEC_BENCH=1"
count=${NFSEC_BENCH_SAS:-10000}
loop=1000
tmp=$(mktemp -d)
on_exit rm -rf "$tmp"

host_add x
nfsec_load
KEY=0x000102030405060708090a0b0c0d0e0f10111213
GCM="rfc4106(gcm(aes))"

# SA i: SPI 0x10000 + i, from 10.A.B.C to 10.255.0.1 (awk: 10,000 shell
# substitutions take minutes under TCG).
awk -v n="$count" -v gcm="$GCM" -v key=$KEY -v nf="$tmp/nfsec.batch" -v xf="$tmp/xfrm.batch" 'BEGIN {
	for (i = 0; i < n; i++) {
		src = sprintf("10.%d.%d.%d", int(i / 62500) + 1, int(i / 250) % 250, i % 250 + 1)
		spi = sprintf("0x%x", 65536 + i)
		printf "sa add dir in spi %s src %s dst 10.255.0.1 ipsec esp mode tunnel reqid 1 aead %s %s 128 replay-window 64\n", spi, src, gcm, key > nf
		printf "xfrm state add src %s dst 10.255.0.1 proto esp spi %s reqid 1 mode tunnel replay-window 64 aead %s %s 128\n", src, spi, gcm, key > xf
	}
}'

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
nfsec_count() { n x ipsecctl -j sa list | wc -l; }
xfrm_count() { n x ip xfrm state count | awk '{ print $NF }'; }

# timed NAME CMD...: seconds CMD took; it must succeed.
timed() {
	local t0 t1
	shift
	t0=$(now)
	"$@" >/dev/null || fail "$* failed"
	t1=$(now)
	secs "$t0" "$t1"
}

nf_add=$(timed nfsec n x ipsecctl -b "$tmp/nfsec.batch")
[ "$(nfsec_count)" = "$count" ] || fail "nfsec holds $(nfsec_count) SAs, not $count"
nf_flush=$(timed nfsec n x ipsecctl sa flush)
x_add=$(timed xfrm n x ip -batch "$tmp/xfrm.batch")
[ "$(xfrm_count)" = "$count" ] || fail "XFRM holds $(xfrm_count) SAs, not $count"
x_flush=$(timed xfrm n x ip xfrm state flush)

# One process per SA: what a shell loop (or a daemon that forks) pays.
head -n $loop "$tmp/nfsec.batch" >"$tmp/nfsec.loop"
head -n $loop "$tmp/xfrm.batch" >"$tmp/xfrm.loop"
# PROG FILE: PROG with each line of FILE as its arguments, inside x.
each_line() {
	# shellcheck disable=SC2016
	n x bash -c 'while read -r -a w; do "$0" "${w[@]}" || exit 1; done <"$1"' "$1" "$2"
}
nf_loop=$(timed nfsec each_line ipsecctl "$tmp/nfsec.loop")
x_loop=$(timed xfrm each_line ip "$tmp/xfrm.loop")
n x ipsecctl sa flush
n x ip xfrm state flush

printf '%-34s %10s %10s %10s\n' "$count inbound ESP SAs" "nfsec" "XFRM" "ratio"
printf '%-34s %9ss %9ss %10s\n' "add, one batch (ipsecctl -b, ip -batch)" "$nf_add" "$x_add" "$(ratio "$nf_add" "$x_add")"
printf '%-34s %10s %10s\n' "  SAs/s" "$(rate "$count" "$nf_add")" "$(rate "$count" "$x_add")"
printf '%-34s %9ss %9ss %10s\n' "flush" "$nf_flush" "$x_flush" "$(ratio "$nf_flush" "$x_flush")"
printf '%-34s %9ss %9ss %10s\n' "$loop adds, one process each" "$nf_loop" "$x_loop" "$(ratio "$nf_loop" "$x_loop")"
printf 'ratio: nfsec time / XFRM time (below 1: nfsec faster)\n'
