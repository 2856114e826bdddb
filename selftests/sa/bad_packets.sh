#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile ESP and AH on nfsec's inbound path: replayed, bit-flipped,
# truncated and wrong-SPI packets are dropped and counted with the right
# reason, and the SA keeps working.
#
#   a (nfsec)  10.0.0.1 fd00::1 --veth-- 10.0.0.2 fd00::2  b (XFRM)
#
# b's XFRM sends real ESP/AH to a; b captures it and sends it again, mangled,
# through a packet socket.
#
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../spd/traffic.bash"
trap '_traffic_cleanup; _cleanup' EXIT

topo_pair
nfsec_load

K1=0x000102030405060708090a0b0c0d0e0f10111213
K2=0x100102030405060708090a0b0c0d0e0f10111213
A32=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f

# proto, nfsec algorithm, XFRM algorithm
setup() { # PROTO A B
	local p=$1 A=$2 B=$3 nf x
	if [ "$p" = esp ]; then
		nf="aead rfc4106(gcm(aes)) $K2 128" x="aead rfc4106(gcm(aes)) $K2 128"
	else
		nf="auth hmac(sha256) $A32" x="auth-trunc hmac(sha256) $A32 128"
	fi
	n a ipsecctl sa flush
	n a ipsecctl policy flush
	n b ip xfrm state flush
	n b ip xfrm policy flush
	# shellcheck disable=SC2086
	n a ipsecctl sa add dir in spi 0x2002 src $B dst $A ipsec $p mode transport reqid 1 $nf replay-window 32 &&
	for t in 133 134 135 136; do
		n a ipsecctl policy add dir in proto ipv6-icmp type $t priority 10 action bypass >/dev/null
	done &&
	n a ipsecctl policy add dir in src $B dst $A priority 100 \
		action protect ipsec $p mode transport reqid 1 >/dev/null &&
	# shellcheck disable=SC2086
	n b ip xfrm state add src $B dst $A proto $p spi 0x2002 reqid 1 mode transport $x &&
	n b ip xfrm policy add dir out src $B dst $A proto udp tmpl src $B dst $A proto $p reqid 1 mode transport
}

drops() { # REASON
	n a ipsecctl -j -s sa list | jq -r "select(.spi == $((0x2002))) | .stats.drops[\"$1\"]"
}
packets() { n a ipsecctl -j -s sa list | jq -r "select(.spi == $((0x2002))) | .stats.packets"; }
spd_drop() { n a ipsecctl -j stats | jq -r ".drops[\"$1\"]"; }

# Within 5 s, does $(FUNC ARGS...) grow beyond OLD? (Not lib.sh's wait_for,
# which ends the test.)
gt_soon() { # OLD FUNC [ARGS...]
	local old=$1 i v
	shift
	for ((i = 0; i < 50; i++)); do
		v=$("$@")
		[ "${v:-0}" -gt "$old" ] && return 0
		sleep 0.1
	done
	return 1
}

# Capture one protected datagram b -> a (to UDP 9999) into FILE; a never
# sees it (nftables drops it at a's door), so its sequence number is fresh.
capture() { # FILE A PROTO
	local pf
	pf=$(_pf "$2")
	n a nft -f - <<-EOF
		table inet capture {
			chain c { type filter hook prerouting priority -500; meta l4proto { esp, ah } drop; }
		}
	EOF
	n b timeout 20 tcpdump -q -i eth-a -c 1 -w "$1" "$3" 2>/dev/null &
	_bg+=($!)
	# tcpdump starts slowly on a loaded TCG guest: send until it has one.
	for _ in $(seq 40); do
		echo hello | n b socat -u - "UDP$pf:$(_sockaddr "$2"):9999"
		sleep 0.5
		kill -0 "${_bg[-1]}" 2>/dev/null || break
	done
	wait "${_bg[-1]}" || true
	n a nft delete table inet capture
	test -s "$1"
}

# Send FILE's packet from b, as it is (none) or mangled: flip, truncate, spi,
# short. Plain Python on a packet socket: scapy's import alone takes 10-20 s
# on a TCG guest, and this runs 24 times.
inject() { # FILE MODE PROTO
	n b python3 - "$@" <<'EOPY'
import socket, struct, sys

path, mode, proto = sys.argv[1:4]
with open(path, 'rb') as f:
    cap = f.read()
# pcap: a 24-byte file header, then one 16-byte record header and an
# Ethernet frame (tcpdump's link type on a veth).
end = '<' if cap[:4] in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
assert struct.unpack(end + 'I', cap[20:24])[0] == 1, 'not Ethernet'
caplen = struct.unpack(end + 'I', cap[32:36])[0]
frame = cap[40:40 + caplen]
eth, data = frame[:14], bytearray(frame[14:])

v4 = data[0] >> 4 == 4
hl = (data[0] & 0xf) * 4 if v4 else 40
spi_off = hl if proto == 'esp' else hl + 4
if mode == 'flip':
    data[-1] ^= 0x01                  # the last byte of the ICV
elif mode == 'truncate':
    data = data[:spi_off + 10]
elif mode == 'spi':
    data[spi_off + 3] ^= 0x55         # an SPI nfsec does not know
elif mode == 'short':
    data = data[:spi_off + 2]         # not even a whole SPI

if v4:
    struct.pack_into('!H', data, 2, len(data))
    struct.pack_into('!H', data, 10, 0)
    s = sum(struct.unpack('!%dH' % (hl // 2), bytes(data[:hl])))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    struct.pack_into('!H', data, 10, ~s & 0xffff)
else:
    struct.pack_into('!H', data, 4, len(data) - 40)

sk = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sk.bind(('eth-a', 0))
sk.send(eth + bytes(data))
EOPY
}

for p in esp ah; do
	for fam in 4 6; do
		if [ $fam = 4 ]; then A=10.0.0.1 B=10.0.0.2; else A=fd00::1 B=fd00::2; fi
		what="$p IPv$fam"
		check "$what: SAs installed" setup $p $A $B || continue
		cap=$_tmp/$p$fam.pcap
		check "$what: a real protected datagram passes" udp_ok b a $A 9000
		check "$what: one more is captured" capture "$cap" $A $p
		before=$(packets)

		r=$(drops auth)
		inject "$cap" flip $p
		check "$what: a bit flip is dropped as an ICV failure" \
			gt_soon "$r" drops auth
		r=$(drops malformed)
		inject "$cap" truncate $p
		check "$what: a truncated packet is dropped as malformed" \
			gt_soon "$r" drops malformed
		r=$(spd_drop unprotected)
		inject "$cap" spi $p
		check "$what: an unknown SPI is clear text to the SPD: dropped as unprotected" \
			gt_soon "$r" spd_drop unprotected
		r=$(spd_drop unprotected)
		inject "$cap" short $p
		check "$what: a header too short for an SPI is dropped as unprotected" \
			gt_soon "$r" spd_drop unprotected
		check_eq "$what: none of them was delivered" "$before" "$(packets)"
		inject "$cap" none $p
		check "$what: the captured packet itself is accepted once" \
			gt_soon "$before" packets
		r=$(drops replay)
		inject "$cap" none $p
		check "$what: and dropped as a replay the second time" \
			gt_soon "$r" drops replay
		check "$what: the SA still carries traffic" udp_ok b a $A 9001
	done
done
