#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The path MTU of an SA, learned from ICMP (RFC 4301 §8.2; kmod/pmtu.c).
# The gateways of gateway-interop.sh, with a 1400-byte link between r and
# gb: ga's ESP packets that are too big for it make r answer with ICMP
# "fragmentation needed" / ICMPv6 "packet too big". The kernel learns
# nothing from those (no XFRM state has the SPI); nfsec keeps the MTU on
# the SA, announces the smaller inner MTU to ha, and TCP from ha gets
# through instead of into a black hole. IPv4 and IPv6 outside.
#
#   ha 10.1.0.2      ga (nfsec)           r   1400  gb (XFRM)      10.2.0.2 hb
#      fd01::2 -- 10.1.0.1 | 192.168.1.1 -- .1.2 | .2.2 -- 192.168.2.1 | 10.2.0.1 -- fd02::2
#
# Then what an unauthenticated ICMP may not do: lower the MTU of an SA it
# does not quote exactly, or below the minimum; nor teach anything when
# the SPD discards ICMP.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../spd/traffic.bash"
. "$(dirname "$0")/interop.bash"
gw_start
n r ip link set eth-gb mtu 1400
n gb ip link set eth-r mtu 1400

pmtu_of() { # SPI: what nfsec learned for ga's SA, or "null"
	n ga ipsecctl -j sa list | jq -r "select(.spi == $1) | .pmtu"
}
pmtu_is() { [ "$(pmtu_of "$1")" = "$2" ]; }
# The MTU that ping reports (from an ICMP error or from the local route).
ping_mtu() { # SIZE DST
	n ha ping -c 1 -W 2 -M do -s "$1" "$2" 2>&1 | grep -oE 'mtu[ =:]*[0-9]+' | grep -oE '[0-9]+$' | head -n 1
}

for fam in 4 6; do
	what="IPv$fam"
	check "$what: SAs and policies on both gateways" gw_case aes128gcm16 $fam $fam
	gw_addrs $fam $fam
	# hdr: IP and ICMP headers; big: a ping that fits ga's 1500-byte link
	# once encapsulated, but not r's 1400-byte one.
	if [ $fam = 4 ]; then hdr=28 big=1400; else hdr=48 big=1350; fi
	check_eq "$what: no path MTU on the outbound SA yet" null "$(pmtu_of $((0x1001)))"
	check "$what: small pings go through" ping_ok ha $HB
	# r reports, the ping is lost.
	n ha ping -q -c 1 -W 2 -M do -s $big $HB >/dev/null 2>&1 || true
	check "$what: nfsec learned 1400 from r's ICMP" within 10 pmtu_is $((0x1001)) 1400
	check "$what: ipsecctl shows it" \
		sh -c "ip netns exec ga ipsecctl sa list | grep -q 'pmtu 1400 (from ICMP)'"
	n ha ip route flush cache
	n ha ip -6 route flush cache
	mtu=$(ping_mtu 1400 $HB)
	check "$what: ga tells ha the inner MTU that fits 1400 (${mtu:-none})" \
		test "${mtu:-0}" -gt 1300 -a "${mtu:-0}" -lt 1400
	check "$what: a don't-fragment ping of exactly that size goes through" \
		q n ha ping -q -c 1 -W 2 -M do -s $((mtu - hdr)) $HB
	check "$what: and one byte more is refused" \
		sh -c "! ip netns exec ha ping -q -c 1 -W 2 -M do -s $((mtu - hdr + 1)) $HB >/dev/null 2>&1"
	n ha ip route flush cache
	n ha ip -6 route flush cache
	port=$((port + 1))
	check "$what: TCP 300 kB ha -> hb finds the path's MTU" bulk_ok ha hb $HB $port 300000
	check "$what: hb pings ha (the inbound SA is unaffected)" ping_ok hb $HA
	check_eq "$what: the inbound SA has no path MTU" null "$(pmtu_of $((0x2002)))"
done

# forge MTU SRC DST PROTO SPI: r sends ga an ICMP "fragmentation needed"
# with MTU, quoting an IPv4 packet SRC -> DST of PROTO with SPI.
forge() {
	n r python3 - "$@" <<'PYEOF'
import socket, struct, sys
mtu, src, dst, proto, spi = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5], 0)
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff)
    return ~(s + (s >> 16)) & 0xffff
quoted = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 1500, 0, 0x4000, 64, proto, 0,
                     socket.inet_aton(src), socket.inet_aton(dst)) + struct.pack("!II", spi, 1)
icmp = struct.pack("!BBHHH", 3, 4, 0, 0, mtu) + quoted
icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.sendto(icmp, ("192.168.1.1", 0))
PYEOF
}

log "=== forged ICMP (at ${SECONDS}s)"
check "IPv4 again" gw_case aes128gcm16 4 4
gw_addrs 4 4
# The reports pass the SPD through this policy, and nfsec reads them right
# after: its counter says when a report has been dealt with.
reports=$(n ga ipsecctl policy add dir in proto icmp type 3 code 4 priority 10 action bypass)
seen() { [ "$(n ga ipsecctl -j -s policy list | jq "select(.id == $reports) | .stats.packets")" -ge "$1" ]; }
check "forged: 1300 quoting SPI 0x1001 from an address that is not ga's" \
	forge 1300 192.168.1.9 192.168.2.1 50 0x1001
check "forged: 1300 quoting another SPI" forge 1300 192.168.1.1 192.168.2.1 50 0x1002
check "forged: 1300 quoting SPI 0x1001 as AH" forge 1300 192.168.1.1 192.168.2.1 51 0x1001
check "forged: 1300 quoting ga's inbound SA" forge 1300 192.168.2.1 192.168.1.1 50 0x2002
check "ga's SPD let the four reports in" within 10 seen 4
check_eq "none of them taught nfsec anything" "null null" \
	"$(pmtu_of $((0x1001))) $(pmtu_of $((0x2002)))"
check "forged: 100 quoting the SA exactly" forge 100 192.168.1.1 192.168.2.1 50 0x1001
check "the SA's path MTU is clamped to IPv4's 552" within 5 pmtu_is $((0x1001)) 552
check "and traffic still flows" ping_ok ha $HB
check "forged: 1400 quoting the SA exactly" forge 1400 192.168.1.1 192.168.2.1 50 0x1001
check "ga's SPD let it in (the sixth report)" within 10 seen 6
check_eq "a larger report does not raise it: still 552" 552 "$(pmtu_of $((0x1001)))"

log "=== the SPD discards ICMP from the outside (at ${SECONDS}s)"
check "IPv4 again" gw_case aes128gcm16 4 4
icmp=$(n ga ipsecctl policy add dir in proto icmp priority 10 action discard)
# ha forgets what it learned, so that its ping leaves and r reports again
n ha ip route flush cache
n ha ping -q -c 1 -W 2 -M do -s 1400 $HB >/dev/null 2>&1 || true
discarded() { [ "$(n ga ipsecctl -j -s policy list | jq "select(.id == $icmp) | .stats.packets")" -gt 0 ]; }
check "the SPD discarded r's report (policy $icmp)" within 10 discarded
check_eq "nothing learned from it" null "$(pmtu_of $((0x1001)))"
