#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfsec against XFRM with extended sequence numbers (RFC 4303 §2.2.1) and a
# 4096-packet replay window, both directions starting 300 packets before
# 2^32, so the high 32 bits roll over during the test: the ESN high half is
# never on the wire, only in the ICV, so each side must guess it as the
# other counts. ESP AES-GCM, ESP AES-CBC with HMAC-SHA-256 (authencesn) and
# AH, tunnel and transport, IPv4 and IPv6.
#
#   a (nfsec: ipsecctl)  10.0.0.1 fd00::1 --veth-- 10.0.0.2 fd00::2  b (XFRM: ip xfrm)
#
# Where the sequence numbers start: nfsec's "seq" (outbound: the last sent;
# inbound: the replay window's top), XFRM's replay-oseq/replay-seq.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../spd/traffic.bash"
. "$(dirname "$0")/interop.bash"
pair_start

start=$((0x100000000 - 300))
NF_OUT_X="esn seq $start"
NF_IN_X="esn replay-window 4096 seq $start"
X_IN_X="flag esn replay-window 4096 replay-seq $(printf '%#x' $start) replay-seq-hi 0"
X_OUT_X="flag esn replay-window 4096 replay-oseq $(printf '%#x' $start) replay-oseq-hi 0"

sa_json() { # SPI
	n a ipsecctl -j -s sa list | jq -c "select(.spi == $1)"
}
xfrm_esn() { n b ip -s xfrm state list | grep -h 'seq-hi' | tr -s ' \t\n' ' '; }
# nfsec's outbound sequence number and inbound window top.
out_seq() { sa_json $((0x1001)) | jq -r .seq; }
in_top() { sa_json $((0x2002)) | jq -r .stats.replay_top; }
# Both beyond 2^32 + N: the high halves rolled over and packets followed.
rolled() { # N
	[ "$(out_seq)" -gt $((0x100000000 + $1)) ] && [ "$(in_top)" -gt $((0x100000000 + $1)) ]
}

for c in "aes128gcm16 4 tunnel" "aes128-sha256 6 transport" "ah-sha256 4 transport" "aes128gcm16 6 tunnel"; do
	read -r name fam mode <<<"$c"
	what="$name $mode IPv$fam ESN"
	check "$what: SAs start at 2^32 - 300 on both sides" pair_case "$name" "$fam" "$mode"
	check_eq "$what: nfsec's inbound window starts there" $start "$(in_top)"
	check "$what: nfsec pings XFRM" ping_ok a "$B"
	# 400 echo requests and replies: both directions cross 2^32.
	check "$what: 400 pings (a flood, one at a time) cross 2^32 both ways" \
		q n a ping -q -f -c 400 -W 2 "$B"
	check "$what: nfsec's high halves rolled over (out seq $(out_seq), in top $(in_top))" rolled 90
	port=$((port + 1))
	check "$what: TCP 300 kB nfsec -> XFRM" bulk_ok a b "$B" $port 300000
	port=$((port + 1))
	check "$what: TCP 300 kB XFRM -> nfsec" bulk_ok b a "$A" $port 300000
	port=$((port + 1))
	check "$what: UDP XFRM -> nfsec" udp_ok3 b a "$A" $port
	port=$((port + 1))
	check "$what: UDP nfsec -> XFRM" udp_ok3 a b "$B" $port
	check "$what: still going past 2^32 + 300 (out seq $(out_seq), in top $(in_top))" rolled 300
	# b's inbound state has seq-hi 1, its outbound one oseq-hi 1.
	log "$what: XFRM: $(xfrm_esn)"
	check_eq "$what: XFRM's high halves rolled over too" 2 "$(xfrm_esn | grep -o 'hi 0x1' | wc -l)"
	check_eq "$what: nfsec dropped nothing as replayed or forged" "0 0" \
		"$(sa_json $((0x2002)) | jq -r '"\(.stats.drops.replay // 0) \(.stats.drops.auth // 0)"')"
done

pair_reset
check_eq "XFRM on b saw no ESP/AH errors" "" "$(xfrm_wire_errors b)"
log "XFRM sequence errors on b: $(xfrm_seq_errors b)"
