# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the nfsec-against-XFRM tests (sourced after ../lib.sh and
# ../spd/traffic.bash): the algorithms, their keys, a TCP bulk transfer, and
# the gateway-to-gateway topology.
#
#   alg NAME                      "PROTO|NFSEC-ALGS|XFRM-ALGS" of algs[] NAME
#   keys STRING DIR               @KEYn@ replaced by direction DIR's n-byte key
#   bulk_ok FROM TO ADDR PORT SIZE   SIZE random bytes over TCP, compared
#   udp_ok3 FROM TO ADDR PORT     udp_ok, tolerating one lost datagram
#   sa_packets NS SPI             packets nfsec's SA SPI carried in NS
#   pair_start                    topo_pair and nfsec, cleaned up on exit
#   pair_case NAME FAMILY MODE    SAs and policies of algorithm NAME on a
#                                 (nfsec) and b (XFRM) of topo_pair
#   pair_matrix full|light NAME...   the checks of those algorithms between
#                                 a and b, both modes and families
#   pair_no_xfrm_errors           b's XFRM counted no wire errors
#   topo_gateways                 ha - ga (nfsec) - r - gb (XFRM) - hb
#   gw_start                      topo_gateways and nfsec, cleaned up on exit
#   gw_case NAME INNER OUTER      SAs and policies of algorithm NAME on ga
#                                 and gb, inner and outer family 4 or 6
#   gw_traffic WHAT INNER         the traffic checks between ha and hb
#   xfrm_wire_errors NS           XFRM's non-zero input error counters in NS
#   xfrm_seq_errors NS            XFRM's sequence (replay) errors in NS

# Keys: deterministic, distinct per direction (the last byte).
key() { # BYTES DIR
	local i hex=0x
	for ((i = 0; i < $1 - 1; i++)); do hex+=$(printf '%02x' $(((i * 7 + 3) & 255))); done
	echo "$hex$(printf '%02x' "$2")"
}

# NAME PROTO NFSEC-ALGS XFRM-ALGS, with @KEYn@ for an n-byte key. XFRM's
# "auth" would truncate hmac(sha256) to 96 bits: auth-trunc with RFC 4868's.
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

alg() { # NAME
	local e
	for e in "${algs[@]}"; do
		[ "${e%%|*}" = "$1" ] && { echo "${e#*|}"; return 0; }
	done
	fail "no algorithm $1"
}

# Expand @KEYn@ with direction DIR's key.
keys() { # STRING DIR
	local s=$1 n
	while [[ $s =~ @KEY([0-9]+)@ ]]; do
		n=${BASH_REMATCH[1]}
		s=${s/@KEY$n@/$(key "$n" "$2")}
	done
	echo "$s"
}

# A TCP transfer of SIZE bytes FROM -> TO, compared byte for byte.
bulk_ok() { # FROM TO ADDR PORT SIZE
	local pf
	pf=$(_pf "$3")
	head -c "$5" /dev/urandom >"$_tmp/bulk.in"
	rm -f "$_tmp/bulk.out"
	n "$2" timeout 30 socat -u "TCP$pf-LISTEN:$4,reuseaddr" "OPEN:$_tmp/bulk.out,creat,trunc" &
	_bg+=($!)
	_listening "$2" t "$4" "$pf" || return 1
	n "$1" timeout 30 socat -u "OPEN:$_tmp/bulk.in" "TCP$pf:$(_sockaddr "$3"):$4" || return 1
	wait "${_bg[-1]}"
	cmp -s "$_tmp/bulk.in" "$_tmp/bulk.out"
}

# udp_ok with up to three datagrams, on ports PORT, PORT+100, PORT+200: one
# datagram may be lost on a loaded TCG host (a full crypto queue); a loss
# is logged with both sides' counters; three in a row fail.
udp_ok3() { # FROM TO ADDR PORT
	local i
	for i in 0 100 200; do
		udp_ok "$1" "$2" "$3" $(($4 + i)) && return 0
		log "UDP $1 -> $2 port $(($4 + i)) lost; XFRM: $(cat_xfrm_errors) nfsec: $(nfsec_drops)"
	done
	return 1
}
cat_xfrm_errors() {
	local ns
	for ns in b gb; do
		[ -e "/run/netns/$ns" ] && n $ns awk '$2 != 0 { printf "%s %s ", $1, $2 }' /proc/net/xfrm_stat
	done
}
nfsec_drops() {
	local ns
	for ns in a ga; do
		[ -e "/run/netns/$ns" ] && n $ns ipsecctl -j -s sa list | jq -c '{spi, drops: .stats.drops}' | tr '\n' ' '
	done
}

sa_packets() { # NS SPI
	n "$1" ipsecctl -j -s sa list | jq -r "select(.spi == $2) | .stats.packets"
}

# XFRM in NS counted no header, ICV or state errors (sequence errors are
# not wire errors: asynchronous crypto under TCG may reorder packets beyond
# a window, or a straggler of a previous case may arrive).
xfrm_wire_errors() { # NS
	n "$1" awk '$1 ~ /XfrmIn(Error|HdrError|StateProtoError|StateModeError|NoStates|StateMismatch|StateInvalid|NoPols|PolError)$/ && $2 != 0' /proc/net/xfrm_stat
}
xfrm_seq_errors() { # NS
	n "$1" awk '$1 == "XfrmInStateSeqError" { print $2 }' /proc/net/xfrm_stat
}

# Host to host (lib.sh's topo_pair): a (nfsec) and b (XFRM). pair_start
# builds it and loads nfsec, with the cleanup of lib.sh and traffic.bash.
pair_start() {
	trap '_traffic_cleanup; _cleanup' EXIT
	topo_pair
	nfsec_load
}
pair_reset() {
	n a ipsecctl sa flush
	n a ipsecctl policy flush
	n b ip xfrm state flush
	n b ip xfrm policy flush
}

# The IPv6 neighbour discovery that must stay clear on both sides.
pair_nd_bypass() {
	local t d
	for t in 133 134 135 136; do
		for d in in out; do
			n a ipsecctl policy add dir $d proto ipv6-icmp type $t priority 10 action bypass >/dev/null
			n b ip xfrm policy add dir $d src ::/0 dst ::/0 proto ipv6-icmp type $t priority 10 action allow
		done
	done
}

# a -> b: SPI 0x1001, b -> a: SPI 0x2002; A and B are set to a's and b's
# addresses. More SA options (sequence numbers, windows, ESN), each side
# and direction: NF_OUT_X, NF_IN_X (default: a 64-packet window),
# X_IN_X (b's state for a -> b), X_OUT_X (both default to a 64-packet window).
pair_case() { # NAME FAMILY MODE
	local proto nf x nf_out nf_in x_out x_in mode=$3 tmpl
	IFS='|' read -r proto nf x <<<"$(alg "$1")"
	if [ "$2" = 4 ]; then A=10.0.0.1 B=10.0.0.2; else A=fd00::1 B=fd00::2; fi
	nf_out=$(keys "$nf" 1) nf_in=$(keys "$nf" 2)
	x_out=$(keys "$x" 2) x_in=$(keys "$x" 1)
	pair_reset
	[ "$2" = 6 ] && pair_nd_bypass
	# shellcheck disable=SC2086
	n a ipsecctl sa add dir out spi 0x1001 src $A dst $B ipsec $proto mode $mode reqid 1 \
		$nf_out ${NF_OUT_X:-} || return 1
	# shellcheck disable=SC2086
	n a ipsecctl sa add dir in spi 0x2002 src $B dst $A ipsec $proto mode $mode reqid 1 \
		$nf_in ${NF_IN_X:-replay-window 64} || return 1
	tmpl=""
	[ "$mode" = tunnel ] && tmpl="tunnel $A $B"
	n a ipsecctl policy add dir out src $A dst $B priority 100 action protect ipsec $proto mode $mode $tmpl reqid 1 >/dev/null || return 1
	tmpl=""
	[ "$mode" = tunnel ] && tmpl="tunnel $B $A"
	n a ipsecctl policy add dir in src $B dst $A priority 100 action protect ipsec $proto mode $mode $tmpl reqid 1 >/dev/null || return 1

	# shellcheck disable=SC2086
	n b ip xfrm state add src $A dst $B proto $proto spi 0x1001 reqid 1 mode $mode \
		${X_IN_X:-replay-window 64} $x_in || return 1
	# shellcheck disable=SC2086
	n b ip xfrm state add src $B dst $A proto $proto spi 0x2002 reqid 1 mode $mode \
		${X_OUT_X:-replay-window 64} $x_out || return 1
	n b ip xfrm policy add dir in src $A dst $B priority 100 tmpl src $A dst $B proto $proto reqid 1 mode $mode || return 1
	n b ip xfrm policy add dir out src $B dst $A priority 100 tmpl src $B dst $A proto $proto reqid 1 mode $mode || return 1
}

# Every case of algorithms NAME... between a (nfsec) and b (XFRM): tunnel
# and transport mode, IPv4 and IPv6. DEPTH "full" checks pings, large pings
# (fragmented before protection), ICMP too-big at the inner MTU, 300 kB of
# TCP each way compared byte for byte (GSO, PMTU) and UDP. DEPTH "light" is
# for one more key size, ICV length or cipher of a construction already run
# full: what differs between them is the transform and its overhead, so it
# checks pings, the inner MTU and 64 kB of TCP each way.
pair_matrix() { # full|light NAME...
	local depth=$1 name fam mode what out in min size
	shift
	for name in "$@"; do
		for fam in 4 6; do
			for mode in tunnel transport; do
				what="$name $mode IPv$fam"
				check "$what: SAs and policies install on both sides" \
					pair_case "$name" "$fam" "$mode" || continue
				check "$what: nfsec pings XFRM" ping_ok a "$B"
				check "$what: XFRM pings nfsec" ping_ok b "$A"
				if [ "$depth" = full ]; then
					check "$what: 3000-byte pings, both ways" \
						sh -c "ip netns exec a ping -q -c 2 -W 2 -s 3000 $B >/dev/null &&
						       ip netns exec b ping -q -c 2 -W 2 -s 3000 $A >/dev/null"
				fi
				check "$what: a don't-fragment ping over the inner MTU gets ICMP too-big" \
					sh -c "ip netns exec a ping -c 1 -W 2 -M do -s 1460 $B 2>&1 | grep -qi 'too long\|too big\|mtu'"
				size=64000 min=40
				[ "$depth" = full ] && size=300000 min=100
				_port=$((_port + 1))
				check "$what: TCP $((size / 1000)) kB nfsec -> XFRM" bulk_ok a b "$B" $_port $size
				_port=$((_port + 1))
				check "$what: TCP $((size / 1000)) kB XFRM -> nfsec" bulk_ok b a "$A" $_port $size
				if [ "$depth" = full ]; then
					_port=$((_port + 1))
					check "$what: UDP XFRM -> nfsec" udp_ok3 b a "$A" $_port
				fi
				out=$(sa_packets a $((0x1001))) in=$(sa_packets a $((0x2002)))
				check "$what: nfsec's SAs carried it (out $out, in $in packets)" \
					test "${out:-0}" -gt $min -a "${in:-0}" -gt $min
			done
		done
	done
}
_port=7000

# What b received really was ESP/AH from a: XFRM counted no header, ICV or
# state errors (sequence errors are only reported, see xfrm_wire_errors).
pair_no_xfrm_errors() {
	pair_reset
	check_eq "XFRM on b saw no ESP/AH errors" "" "$(xfrm_wire_errors b)"
	log "XFRM sequence errors on b: $(xfrm_seq_errors b)"
}

# Gateway to gateway, every link IPv4 and IPv6:
#
#   ha 10.1.0.2      ga (nfsec)           r             gb (XFRM)      10.2.0.2 hb
#      fd01::2 -- 10.1.0.1 | 192.168.1.1 -- .1.2 | .2.2 -- 192.168.2.1 | 10.2.0.1 -- fd02::2
#                  fd01::1 | fd10:1::1  fd10:1::2 | fd10:2::2  fd10:2::1 | fd02::1
#
# r routes only the gateways' outside networks: between ha and hb nothing
# gets through but the tunnel.
topo_gateways() {
	host_add ha ga r gb hb
	link_add ha ga
	link_add ga r
	link_add r gb
	link_add gb hb
	addr_add ha eth-ga 10.1.0.2/24 fd01::2/64
	addr_add ga eth-ha 10.1.0.1/24 fd01::1/64
	addr_add ga eth-r 192.168.1.1/24 fd10:1::1/64
	addr_add r eth-ga 192.168.1.2/24 fd10:1::2/64
	addr_add r eth-gb 192.168.2.2/24 fd10:2::2/64
	addr_add gb eth-r 192.168.2.1/24 fd10:2::1/64
	addr_add gb eth-hb 10.2.0.1/24 fd02::1/64
	addr_add hb eth-gb 10.2.0.2/24 fd02::2/64
	n ha ip route add default via 10.1.0.1
	n ha ip -6 route add default via fd01::1
	n hb ip route add default via 10.2.0.1
	n hb ip -6 route add default via fd02::1
	n ga ip route add default via 192.168.1.2
	n ga ip -6 route add default via fd10:1::2
	n gb ip route add default via 192.168.2.2
	n gb ip -6 route add default via fd10:2::2
	local g
	for g in ga r gb; do
		n $g sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	done
}

# topo_gateways and nfsec, cleaned up on exit (as pair_start).
gw_start() {
	trap '_traffic_cleanup; _cleanup' EXIT
	topo_gateways
	nfsec_load
}

gw_reset() {
	n ga ipsecctl sa flush
	n ga ipsecctl policy flush
	n gb ip xfrm state flush
	n gb ip xfrm policy flush
}

# Addresses of family 4 or 6: inside networks, gateways' outside addresses.
gw_addrs() { # INNER OUTER
	if [ "$1" = 4 ]; then NA=10.1.0.0/24 NB=10.2.0.0/24 HA=10.1.0.2 HB=10.2.0.2
	else NA=fd01::/64 NB=fd02::/64 HA=fd01::2 HB=fd02::2; fi
	if [ "$2" = 4 ]; then GA=192.168.1.1 GB=192.168.2.1
	else GA=fd10:1::1 GB=fd10:2::1; fi
}

# ga -> gb: SPI 0x1001, gb -> ga: SPI 0x2002. The SAs carry the inside
# networks as selectors (XFRM needs them for an inter-family tunnel).
# EXTRA_NF/EXTRA_XFRM (optional): more SA options on both sides.
gw_case() { # NAME INNER OUTER
	local proto nf x nf_out nf_in x_out x_in
	IFS='|' read -r proto nf x <<<"$(alg "$1")"
	gw_addrs "$2" "$3"
	nf_out=$(keys "$nf" 1) nf_in=$(keys "$nf" 2)
	x_out=$(keys "$x" 2) x_in=$(keys "$x" 1)
	gw_reset

	# shellcheck disable=SC2086
	n ga ipsecctl sa add dir out spi 0x1001 src $GA dst $GB ipsec $proto mode tunnel reqid 1 \
		sel src $NA dst $NB $nf_out ${EXTRA_NF_OUT:-} || return 1
	# shellcheck disable=SC2086
	n ga ipsecctl sa add dir in spi 0x2002 src $GB dst $GA ipsec $proto mode tunnel reqid 1 \
		sel src $NB dst $NA $nf_in ${EXTRA_NF_IN:-} || return 1
	# The deck's gateway: clear on the inside, protected outside, nothing
	# else forwarded.
	n ga ipsecctl -f - >/dev/null <<EOC || return 1
dir out src $NA dst $NB priority 100 action protect ipsec $proto mode tunnel tunnel $GA $GB reqid 1
dir fwd src $NA dst $NB priority 100 action bypass
dir fwd src $NB dst $NA priority 100 action protect ipsec $proto mode tunnel tunnel $GB $GA reqid 1
dir fwd priority 1000 action discard
EOC

	# shellcheck disable=SC2086
	n gb ip xfrm state add src $GA dst $GB proto $proto spi 0x1001 reqid 1 mode tunnel \
		sel src $NA dst $NB $x_in ${EXTRA_XFRM_IN:-} || return 1
	# shellcheck disable=SC2086
	n gb ip xfrm state add src $GB dst $GA proto $proto spi 0x2002 reqid 1 mode tunnel \
		sel src $NB dst $NA $x_out ${EXTRA_XFRM_OUT:-} || return 1
	n gb ip xfrm policy add dir out src $NB dst $NA priority 100 \
		tmpl src $GB dst $GA proto $proto reqid 1 mode tunnel || return 1
	n gb ip xfrm policy add dir fwd src $NA dst $NB priority 100 \
		tmpl src $GA dst $GB proto $proto reqid 1 mode tunnel || return 1
}

port=7000
# Ping, large pings, TCP both ways, UDP both ways between ha and hb, and
# the counters of nfsec's SAs on ga.
gw_traffic() { # WHAT INNER
	local what=$1 out in
	gw_addrs "$2" 4
	check "$what: ha pings hb" ping_ok ha $HB
	check "$what: hb pings ha" ping_ok hb $HA
	# Over the tunnel's MTU: ha fragments, ga reassembles (nfsec's
	# defrag) and fragments again before protecting.
	check "$what: 3000-byte pings, both ways" \
		sh -c "ip netns exec ha ping -q -c 2 -W 2 -s 3000 $HB >/dev/null &&
		       ip netns exec hb ping -q -c 2 -W 2 -s 3000 $HA >/dev/null"
	check "$what: a don't-fragment ping over the tunnel's MTU gets ICMP too-big from ga" \
		sh -c "ip netns exec ha ping -c 1 -W 2 -M do -s 1460 $HB 2>&1 | grep -qi 'too long\|too big\|mtu'"
	port=$((port + 1))
	check "$what: TCP 300 kB ha -> hb" bulk_ok ha hb $HB $port 300000
	port=$((port + 1))
	check "$what: TCP 300 kB hb -> ha" bulk_ok hb ha $HA $port 300000
	port=$((port + 1))
	check "$what: UDP ha -> hb" udp_ok3 ha hb $HB $port
	port=$((port + 1))
	check "$what: UDP hb -> ha" udp_ok3 hb ha $HA $port
	out=$(sa_packets ga $((0x1001))) in=$(sa_packets ga $((0x2002)))
	check "$what: nfsec's SAs on ga carried it (out $out, in $in packets)" \
		test "${out:-0}" -gt 100 -a "${in:-0}" -gt 100
}

# b captures on eth-a the first packet from a matching FILTER into FILE,
# while a runs CMD again and again (tcpdump starts slowly under TCG).
capture() { # FILE COUNT FILTER CMD...
	local file=$1 count=$2 filter=$3 pid
	shift 3
	rm -f "$file"
	n b timeout 30 tcpdump -q -U -i eth-a -c "$count" -w "$file" "$filter" 2>/dev/null &
	pid=$!
	_bg+=($pid)
	for _ in $(seq 60); do
		n a "$@" >/dev/null 2>&1 || true
		kill -0 $pid 2>/dev/null || break
		sleep 0.2
	done
	wait $pid || true
	test -s "$file"
}

# The outer header of a capture's first packet: "TOS DF" (IPv4, DF 0 or 1)
# or "TCLASS -" (IPv6), the traffic class in hex.
outer_fields() { # FILE
	python3 - "$1" <<'EOP'
import sys
d = open(sys.argv[1], "rb").read()
pkt = d[24 + 16:][14:]	# pcap header, record header, Ethernet
if pkt[0] >> 4 == 4:
	print("%#04x %d" % (pkt[1], (pkt[6] >> 6) & 1))
else:
	print("%#04x -" % (((pkt[0] & 0x0f) << 4) | (pkt[1] >> 4)))
EOP
}
