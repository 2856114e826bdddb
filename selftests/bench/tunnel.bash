# SPDX-License-Identifier: GPL-2.0
#
# The benchmarks' host-to-host ESP tunnel between a ($A) and b ($B), sourced
# by tunnel.sh, reorder.sh and sendctx.sh after interop.bash (alg, keys):
# the same SAs and policies made by XFRM (xfrm_side) or nfsec (nfsec_side),
# one side at a time, so either stack can face either. SPI 0x<last byte of
# the sender>00, tunnel mode, replay window 128.

clear_all() {
	local h
	for h in a b; do
		n $h ipsecctl sa flush
		n $h ipsecctl policy flush
		n $h ip xfrm state flush
		n $h ip xfrm policy flush
	done
}

xfrm_side() { # NS SELF PEER ALG
	local ns=$1 s=$2 p=$3 out in
	out=$(keys "$4" "${s##*.}") in=$(keys "$4" "${p##*.}")
	# shellcheck disable=SC2086
	n $ns ip xfrm state add src $s dst $p proto esp spi 0x${s##*.}00 reqid 1 mode tunnel $out
	# shellcheck disable=SC2086
	n $ns ip xfrm state add src $p dst $s proto esp spi 0x${p##*.}00 reqid 1 mode tunnel replay-window 128 $in
	n $ns ip xfrm policy add dir out src $s dst $p tmpl src $s dst $p proto esp reqid 1 mode tunnel
	n $ns ip xfrm policy add dir in src $p dst $s tmpl src $p dst $s proto esp reqid 1 mode tunnel
}

nfsec_side() { # NS SELF PEER ALG
	local ns=$1 s=$2 p=$3 out in
	out=$(keys "$4" "${s##*.}") in=$(keys "$4" "${p##*.}")
	# shellcheck disable=SC2086
	n $ns ipsecctl sa add dir out spi 0x${s##*.}00 src $s dst $p ipsec esp mode tunnel reqid 1 $out
	# shellcheck disable=SC2086
	n $ns ipsecctl sa add dir in spi 0x${p##*.}00 src $p dst $s ipsec esp mode tunnel reqid 1 $in replay-window 128
	n $ns ipsecctl policy add dir out src $s dst $p action protect ipsec esp mode tunnel tunnel $s $p reqid 1 >/dev/null
	n $ns ipsecctl policy add dir in src $p dst $s action protect ipsec esp mode tunnel tunnel $p $s reqid 1 >/dev/null
}
