#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What nfsec puts on the wire, read from captures on the receiving side:
# the outer header of a tunnel (DF copied, set or cleared per SA; DSCP
# copied or set; ECN per RFC 6040), and ESP and AH that tshark decodes as
# such, down to the inner packet once it has the keys.
#
#   a (nfsec: ipsecctl)  10.0.0.1 fd00::1 --veth-- 10.0.0.2 fd00::2  b (XFRM: ip xfrm, tcpdump)
# nfsec-test: slow (make check-slow; too long for CI's 90 minutes, see testing.md)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../spd/traffic.bash"
. "$(dirname "$0")/interop.bash"
trap '_traffic_cleanup; _cleanup' EXIT
command -v tshark >/dev/null || skip "tshark is not installed"

topo_pair
nfsec_load

log "--- the outer header of a tunnel"
# DESC FAMILY SA-OPTIONS PING-OPTIONS EXPECTED ("TOS DF" or "TCLASS -")
outer_case() {
	NF_OUT_X=$3
	check "$1: SAs install" pair_case aes128gcm16 "$2" tunnel
	check "$1: nfsec pings XFRM" ping_ok a "$B"
	# shellcheck disable=SC2086
	check "$1: b captured a's ESP" \
		capture "$_tmp/outer.pcap" 1 "src host $A and esp" ping -c 1 -W 1 $4 "$B"
	check_eq "$1: outer header" "$5" "$(outer_fields "$_tmp/outer.pcap")"
}
# ping -Q: the whole TOS byte, DSCP << 2 | ECN (0xba: DSCP 46, ECT(0)).
outer_case "IPv4, default: DF and DSCP copied" 4 "" "-M do -Q 0xba" "0xba 1"
outer_case "IPv4, default: no DF inside, none outside" 4 "" "-M dont -Q 0x28" "0x28 0"
outer_case "IPv4, df set" 4 "df set" "-M dont -Q 0x28" "0x28 1"
outer_case "IPv4, df clear" 4 "df clear" "-M do -Q 0x28" "0x28 0"
outer_case "IPv4, df copy given" 4 "df copy" "-M do -Q 0x28" "0x28 1"
outer_case "IPv4, dscp 10: set, ECN still copied" 4 "dscp 10" "-M do -Q 0xba" "0x2a 1"
outer_case "IPv4, CE inside is ECT(0) outside (RFC 6040)" 4 "" "-M do -Q 0xbb" "0xba 1"
outer_case "IPv6, default: traffic class copied" 6 "" "-Q 0xba" "0xba -"
outer_case "IPv6, dscp 10" 6 "dscp 10" "-Q 0xba" "0x2a -"
NF_OUT_X=

log "--- tshark decodes nfsec's ESP and AH"
tsh() { tshark -n -r "$_tmp/dec.pcap" "$@" 2>/dev/null; }
# NAME MODE WIRESHARK-ENC ENC-KEY WIRESHARK-AUTH AUTH-KEY
decode_case() {
	local name=$1 mode=$2 uat spis
	check "$name $mode: SAs install" pair_case "$name" 4 "$mode"
	check "$name $mode: b captured four of a's packets" \
		capture "$_tmp/dec.pcap" 4 "src host 10.0.0.1 and (esp or ah)" ping -c 1 -W 1 10.0.0.2
	if [ "$3" = AH ]; then
		spis=$(tsh -T fields -e ah.spi -e ah.next_header | sort -u)
		check_eq "$name $mode: tshark reads AH, SPI 0x1001" \
			"0x00001001	$([ "$mode" = tunnel ] && echo 4 || echo 1)" "$spis"
		check_eq "$name $mode: AH's payload is the echo request" \
			"8" "$(tsh -T fields -e icmp.type | sort -u)"
		return
	fi
	check_eq "$name $mode: tshark reads ESP, SPI 0x1001" \
		"0x00001001" "$(tsh -T fields -e esp.spi | sort -u)"
	check_eq "$name $mode: sequence numbers in order" "" \
		"$(tsh -Y esp.sequence-analysis.expected-sn -T fields -e frame.number)"
	check_eq "$name $mode: without the keys, no ICMP inside" "" \
		"$(tsh -T fields -e icmp.type | sort -u)"
	uat="\"IPv4\",\"10.0.0.1\",\"10.0.0.2\",\"0x00001001\",\"$3\",\"$4\",\"$5\",\"$6\""
	keyed() {
		tsh -o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE \
			-o "uat:esp_sa:$uat" -T fields "$@" | sort -u
	}
	check_eq "$name $mode: with the keys, tshark finds the echo requests inside" "8" \
		"$(keyed -e icmp.type)"
	# (Booleans print as 1 in tshark 4.0, True in later versions.)
	[ "$5" = NULL ] ||
		check "$name $mode: and every ICV verifies" grep -qxE '1|True' <<<"$(keyed -e esp.icv_good)"
}
decode_case aes128gcm16 tunnel "AES-GCM with 16 octet ICV [RFC4106]" "$(key 20 1)" NULL ""
decode_case aes128gcm16 transport "AES-GCM with 16 octet ICV [RFC4106]" "$(key 20 1)" NULL ""
decode_case aes128-sha256 tunnel "AES-CBC [RFC3602]" "$(key 16 1)" "HMAC-SHA-256-128 [RFC4868]" "$(key 32 1)"
decode_case ah-sha256 tunnel AH
decode_case ah-sha256 transport AH

pair_reset
