#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfsec against the kernel's own IPsec (XFRM), same keys on both sides:
# every algorithm of the SA issue, tunnel and transport mode, IPv4 and IPv6,
# both directions, ping, a TCP bulk transfer (GSO, PMTU) and UDP.
#
#   a (nfsec: ipsecctl)  10.0.0.1 fd00::1 --veth-- 10.0.0.2 fd00::2  b (XFRM: ip xfrm)
#
# nfsec is loaded in every namespace, but b has no nfsec policy or SA: its
# ESP goes to XFRM, as if nfsec were not there.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../spd/traffic.bash"
trap '_traffic_cleanup; _cleanup' EXIT

topo_pair
nfsec_load

# Keys: deterministic, distinct per direction (the last byte).
key() { # BYTES DIR
	local i hex=0x
	for ((i = 0; i < $1 - 1; i++)); do hex+=$(printf '%02x' $(((i * 7 + 3) & 255))); done
	echo "$hex$(printf '%02x' "$2")"
}

# NAME PROTO NFSEC-ALGS XFRM-ALGS, with @KEYn@ for an n-byte key.
algs=(
	"aes128gcm16|esp|aead rfc4106(gcm(aes)) @KEY20@ 128|aead rfc4106(gcm(aes)) @KEY20@ 128"
	"aes256gcm12|esp|aead rfc4106(gcm(aes)) @KEY36@ 96|aead rfc4106(gcm(aes)) @KEY36@ 96"
	"aes192gcm8|esp|aead rfc4106(gcm(aes)) @KEY28@ 64|aead rfc4106(gcm(aes)) @KEY28@ 64"
	"chacha20poly1305|esp|aead rfc7539esp(chacha20,poly1305) @KEY36@ 128|aead rfc7539esp(chacha20,poly1305) @KEY36@ 128"
	"aes128-sha256|esp|enc cbc(aes) @KEY16@ auth hmac(sha256) @KEY32@|enc cbc(aes) @KEY16@ auth-trunc hmac(sha256) @KEY32@ 128"
	"aes256-sha512|esp|enc cbc(aes) @KEY32@ auth hmac(sha512) @KEY64@|enc cbc(aes) @KEY32@ auth-trunc hmac(sha512) @KEY64@ 256"
	"aes128gmac|esp|aead rfc4543(gcm(aes)) @KEY20@ 128|aead rfc4543(gcm(aes)) @KEY20@ 128"
	"ah-sha256|ah|auth hmac(sha256) @KEY32@|auth-trunc hmac(sha256) @KEY32@ 128"
	"ah-sha384|ah|auth hmac(sha384) @KEY48@|auth-trunc hmac(sha384) @KEY48@ 192"
	"ah-sha512|ah|auth hmac(sha512) @KEY64@|auth-trunc hmac(sha512) @KEY64@ 256"
)

# Expand @KEYn@ with direction DIR's key.
keys() { # STRING DIR
	local s=$1 n
	while [[ $s =~ @KEY([0-9]+)@ ]]; do
		n=${BASH_REMATCH[1]}
		s=${s/@KEY$n@/$(key "$n" "$2")}
	done
	echo "$s"
}

reset() {
	n a ipsecctl sa flush
	n a ipsecctl policy flush
	n b ip xfrm state flush
	n b ip xfrm policy flush
}

# The IPv6 neighbour discovery that must stay clear on both sides.
nd_bypass() {
	local t d
	for t in 133 134 135 136; do
		for d in in out; do
			n a ipsecctl policy add dir $d proto ipv6-icmp type $t priority 10 action bypass >/dev/null
			n b ip xfrm policy add dir $d src ::/0 dst ::/0 proto ipv6-icmp type $t priority 10 action allow
		done
	done
}

# setup NAME PROTO NFSEC XFRM FAMILY MODE
setup() {
	local proto=$2 nf_out nf_in x_out x_in A B mode=$6 tmpl
	if [ "$5" = 4 ]; then A=10.0.0.1 B=10.0.0.2; else A=fd00::1 B=fd00::2; fi
	nf_out=$(keys "$3" 1) nf_in=$(keys "$3" 2)
	x_out=$(keys "$4" 2) x_in=$(keys "$4" 1)
	reset
	[ "$5" = 6 ] && nd_bypass
	# a -> b: SPI 0x1001, b -> a: SPI 0x2002
	# shellcheck disable=SC2086
	n a ipsecctl sa add dir out spi 0x1001 src $A dst $B ipsec $proto mode $mode reqid 1 $nf_out || return 1
	# shellcheck disable=SC2086
	n a ipsecctl sa add dir in spi 0x2002 src $B dst $A ipsec $proto mode $mode reqid 1 $nf_in replay-window 64 || return 1
	tmpl=""
	[ "$mode" = tunnel ] && tmpl="tunnel $A $B"
	n a ipsecctl policy add dir out src $A dst $B priority 100 action protect ipsec $proto mode $mode $tmpl reqid 1 >/dev/null || return 1
	tmpl=""
	[ "$mode" = tunnel ] && tmpl="tunnel $B $A"
	n a ipsecctl policy add dir in src $B dst $A priority 100 action protect ipsec $proto mode $mode $tmpl reqid 1 >/dev/null || return 1

	# shellcheck disable=SC2086
	n b ip xfrm state add src $A dst $B proto $proto spi 0x1001 reqid 1 mode $mode replay-window 64 $x_in || return 1
	# shellcheck disable=SC2086
	n b ip xfrm state add src $B dst $A proto $proto spi 0x2002 reqid 1 mode $mode replay-window 64 $x_out || return 1
	n b ip xfrm policy add dir in src $A dst $B priority 100 tmpl src $A dst $B proto $proto reqid 1 mode $mode || return 1
	n b ip xfrm policy add dir out src $B dst $A priority 100 tmpl src $B dst $A proto $proto reqid 1 mode $mode || return 1
}

# A TCP transfer of SIZE bytes FROM -> TO, compared byte for byte.
bulk_ok() { # FROM TO ADDR PORT SIZE
	local pf
	pf=$(_pf "$3")
	head -c "$5" /dev/urandom >"$_tmp/bulk.in"
	rm -f "$_tmp/bulk.out"
	n "$2" timeout 20 socat -u "TCP$pf-LISTEN:$4,reuseaddr" "OPEN:$_tmp/bulk.out,creat,trunc" &
	_bg+=($!)
	_listening "$2" t "$4" "$pf" || return 1
	n "$1" timeout 20 socat -u "OPEN:$_tmp/bulk.in" "TCP$pf:$(_sockaddr "$3"):$4" || return 1
	wait "${_bg[-1]}"
	cmp -s "$_tmp/bulk.in" "$_tmp/bulk.out"
}

sa_packets() { # SPI
	n a ipsecctl -j -s sa list | jq -r "select(.spi == $1) | .stats.packets"
}

port=7000
for entry in "${algs[@]}"; do
	IFS='|' read -r name proto nf x <<<"$entry"
	for fam in 4 6; do
		for mode in tunnel transport; do
			what="$name $mode IPv$fam"
			if [ "$fam" = 4 ]; then A=10.0.0.1 B=10.0.0.2; else A=fd00::1 B=fd00::2; fi
			if ! check "$what: SAs and policies install on both sides" setup "$name" "$proto" "$nf" "$x" "$fam" "$mode"; then
				continue
			fi
			check "$what: nfsec pings XFRM" ping_ok a "$B"
			check "$what: XFRM pings nfsec" ping_ok b "$A"
			# Over the inner MTU: fragmented before protection
			# (IPv4 without DF, IPv6 from a socket that allows it).
			check "$what: 3000-byte pings, both ways" \
				sh -c "ip netns exec a ping -q -c 2 -W 2 -s 3000 $B >/dev/null &&
				       ip netns exec b ping -q -c 2 -W 2 -s 3000 $A >/dev/null"
			check "$what: a don't-fragment ping over the inner MTU gets ICMP too-big" \
				sh -c "ip netns exec a ping -c 1 -W 2 -M do -s 1460 $B 2>&1 | grep -qi 'too long\|too big\|mtu'"
			port=$((port + 1))
			check "$what: TCP 300 kB nfsec -> XFRM" bulk_ok a b "$B" $port 300000
			port=$((port + 1))
			check "$what: TCP 300 kB XFRM -> nfsec" bulk_ok b a "$A" $port 300000
			port=$((port + 1))
			check "$what: UDP XFRM -> nfsec" udp_ok b a "$A" $port
			out=$(sa_packets $((0x1001))) in=$(sa_packets $((0x2002)))
			check "$what: nfsec's SAs carried it (out $out, in $in packets)" \
				test "${out:-0}" -gt 100 -a "${in:-0}" -gt 100
		done
	done
done

# What b received really was ESP/AH from a: XFRM counted no header, ICV or
# state errors. (Sequence errors are not wire errors: asynchronous crypto
# under TCG may reorder packets beyond a replay window, or a straggler from
# the previous case may arrive; they are only reported.)
reset
check_eq "XFRM on b saw no ESP/AH errors" "" \
	"$(n b awk '$1 ~ /XfrmIn(Error|HdrError|StateProtoError|StateModeError|NoStates|StateMismatch|StateInvalid|NoPols|PolError)$/ && $2 != 0' /proc/net/xfrm_stat)"
log "XFRM sequence errors on b: $(n b awk '$1 == "XfrmInStateSeqError" { print $2 }' /proc/net/xfrm_stat)"
